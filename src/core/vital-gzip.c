/* vital-gzip.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the indexed gzip member. Deflate is sequential, but a stream may be cut into chunks that
 * are compressed independently (each but the last ended by a sync flush, which byte-aligns it)
 * and then concatenated: the result is one ordinary gzip member that any inflater reads, CRC-32
 * joined with crc32_combine(), as pigz does. Unlike pigz, a chunk is not primed with the 32 KiB
 * before it, and the gzip header carries an index of the chunks (an "extra field" that other
 * readers skip): a reader can then inflate every chunk on its own core, even while later chunks
 * are still arriving, which this file also does. The chunk size is fixed, so the output depends
 * on the input alone, never on the number of cores; a payload of one chunk has no index and is
 * byte-for-byte what a single deflate() call would give. What the member holds is the caller's
 * business: nothing here knows the tensor format.
 */
#include "vital-config.h"

#include <string.h>
#include <zlib.h>
#include <libdeflate.h>

#include "vital-gzip.h"
#include "vital-memory.h"

/* Big enough that the per-chunk flush and the lost matches across chunks cost nothing
 * measurable, small enough that a 30 s scan (56 MB) keeps two cores busy. */
#define CHUNK_SIZE (4 * 1024 * 1024)

/* RFC 1952 header flags; writers set FEXTRA alone, and only then is an index looked for. */
#define GZIP_FHCRC    0x02
#define GZIP_FEXTRA   0x04
#define GZIP_BASE_LEN 10

/* The index subfield: ID "VT", then u32 chunk size, then one u32 compressed length per chunk
 * (little-endian). Its length field is 16 bits, hence the chunk limit. */
#define INDEX_SI1        'V'
#define INDEX_SI2        'T'
#define INDEX_MAX_CHUNKS ((G_MAXUINT16 - 4 - 4) / 4)

G_DEFINE_QUARK (vital-gzip-error-quark, vital_gzip_error)

typedef struct
{
  const guint8 *in;
  gsize in_len;
  gboolean last;
  guint8 *out;
  gsize out_len;
  guint32 crc;
  int status;                /* Z_OK when done */
} Chunk;

typedef struct
{
  Chunk *chunks;
  guint n_chunks;
  gint next;                 /* atomic: the next chunk to take */
  int level;
  int strategy;
} Job;

static void
compress_chunk (Chunk *c,
                int level,
                int strategy)
{
  z_stream zs = { 0 };
  gsize capacity;
  int ret;

  c->crc = (guint32) crc32_z (crc32_z (0, NULL, 0), c->in, c->in_len);
  /* Raw deflate (negative window bits): the gzip header and trailer are written once. */
  if (deflateInit2 (&zs, level, Z_DEFLATED, -15, 8, strategy) != Z_OK)
    {
      c->status = Z_MEM_ERROR;
      return;
    }

  /* deflateBound() covers Z_FINISH; a sync flush adds at most an empty stored block. */
  capacity = deflateBound (&zs, (uLong) c->in_len) + 16;
  c->out = g_malloc (capacity);
  vital_memory_prefer_huge_pages (c->out, capacity);
  zs.next_in = (Bytef *) c->in;
  zs.avail_in = (uInt) c->in_len;
  zs.next_out = c->out;
  zs.avail_out = (uInt) capacity;
  ret = deflate (&zs, c->last ? Z_FINISH : Z_SYNC_FLUSH);
  c->status = (c->last ? ret == Z_STREAM_END : ret == Z_OK && zs.avail_out > 0)
              ? Z_OK : (ret == Z_OK ? Z_BUF_ERROR : ret);
  c->out_len = capacity - zs.avail_out;
  deflateEnd (&zs);
}

static gpointer
worker (gpointer data)
{
  Job *job = data;
  int i;

  while ((i = g_atomic_int_add (&job->next, 1)) < (int) job->n_chunks)
    compress_chunk (&job->chunks[i], job->level, job->strategy);
  return NULL;
}

static void
put_le16 (guint8 *p,
          guint16 v)
{
  p[0] = v & 0xff;
  p[1] = (v >> 8) & 0xff;
}

static guint32
get_le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

static void
put_le32 (guint8 *p,
          guint32 v)
{
  p[0] = v & 0xff;
  p[1] = (v >> 8) & 0xff;
  p[2] = (v >> 16) & 0xff;
  p[3] = (v >> 24) & 0xff;
}

/**
 * vital_gzip_compress:
 * @data: the bytes to compress
 * @size: their number (below 4 GiB)
 * @level: deflate level 0–9, or -1 for zlib's default
 * @strategy: a zlib strategy (%Z_DEFAULT_STRATEGY, %Z_RLE, ...)
 * @error: return location for a #GError
 *
 * Compresses @data into one gzip member with a fixed header (no name, modification time 0,
 * OS "unknown"), using a thread per core for payloads of more than one chunk; those carry the
 * chunk index that vital_gzip_read_index() reads.
 *
 * Returns: (transfer full) (nullable): the gzip stream, or %NULL with @error set
 *   (%VITAL_GZIP_ERROR)
 */
GBytes *
vital_gzip_compress (const guint8 *data,
                     gsize size,
                     int level,
                     int strategy,
                     GError **error)
{
  Job job = { 0 };
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  guint n_workers;
  guint8 header[GZIP_BASE_LEN] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255 };
  GByteArray *out;
  gsize total = sizeof header + 8;
  gsize index_len = 0;
  guint32 crc = (guint32) crc32_z (0, NULL, 0);
  int effective = level == -1 ? 6 : level;

  G_STATIC_ASSERT (G_MAXUINT32 / CHUNK_SIZE + 1 <= INDEX_MAX_CHUNKS);
  if (size > G_MAXUINT32)
    {
      g_set_error_literal (error, VITAL_GZIP_ERROR, VITAL_GZIP_ERROR_TOO_LARGE,
                           "cannot compress 4 GiB or more");
      return NULL;
    }

  job.n_chunks = MAX (1, (guint) ((size + CHUNK_SIZE - 1) / CHUNK_SIZE));
  job.chunks = g_new0 (Chunk, job.n_chunks);
  job.level = level;
  job.strategy = strategy;
  for (guint i = 0; i < job.n_chunks; i++)
    {
      gsize start = (gsize) i * CHUNK_SIZE;

      job.chunks[i].in = data + start;
      job.chunks[i].in_len = MIN ((gsize) CHUNK_SIZE, size - start);
      job.chunks[i].last = i + 1 == job.n_chunks;
    }

  /* The caller's thread is one of the workers. */
  n_workers = MIN (job.n_chunks, (guint) MAX (1, g_get_num_processors ()));
  for (guint i = 1; i < n_workers; i++)
    {
      GThread *thread = g_thread_try_new ("vital-gzip", worker, &job, NULL);

      if (thread != NULL)
        g_ptr_array_add (threads, thread);
    }
  worker (&job);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));

  for (guint i = 0; i < job.n_chunks; i++)
    {
      if (job.chunks[i].status != Z_OK)
        {
          g_set_error (error, VITAL_GZIP_ERROR, VITAL_GZIP_ERROR_FAILED,
                       "zlib could not compress the payload (code %d)", job.chunks[i].status);
          for (guint k = 0; k < job.n_chunks; k++)
            g_free (job.chunks[k].out);
          g_free (job.chunks);
          return NULL;
        }
      total += job.chunks[i].out_len;
      crc = (guint32) crc32_combine (crc, job.chunks[i].crc, (z_off_t) job.chunks[i].in_len);
    }

  /* The extra-flags byte as zlib's own gzip wrapper sets it. */
  header[8] = effective == 9 ? 2 : (strategy >= Z_HUFFMAN_ONLY || effective < 2) ? 4 : 0;
  if (job.n_chunks > 1)
    {
      header[3] = GZIP_FEXTRA;
      index_len = 2 + 4 + 4 + 4 * (gsize) job.n_chunks;  /* XLEN, subfield head, chunk size */
      total += index_len;
    }
  out = g_byte_array_sized_new (total);
  vital_memory_prefer_huge_pages (out->data, total);
  g_byte_array_append (out, header, sizeof header);
  if (index_len > 0)
    {
      guint8 *p;

      g_byte_array_set_size (out, sizeof header + index_len);
      p = out->data + sizeof header;
      put_le16 (p, (guint16) (index_len - 2));
      p[2] = INDEX_SI1;
      p[3] = INDEX_SI2;
      put_le16 (p + 4, (guint16) (index_len - 6));
      put_le32 (p + 6, CHUNK_SIZE);
      for (guint i = 0; i < job.n_chunks; i++)
        put_le32 (p + 10 + 4 * i, (guint32) job.chunks[i].out_len);
    }
  for (guint i = 0; i < job.n_chunks; i++)
    {
      g_byte_array_append (out, job.chunks[i].out, job.chunks[i].out_len);
      g_free (job.chunks[i].out);
    }
  g_free (job.chunks);
  g_byte_array_set_size (out, total);
  put_le32 (out->data + total - 8, crc);
  put_le32 (out->data + total - 4, (guint32) size);
  return g_byte_array_free_to_bytes (out);
}

/**
 * vital_gzip_index_clear:
 * @index: an index filled by vital_gzip_read_index()
 *
 * Frees what the index holds; it may be read into again.
 */
void
vital_gzip_index_clear (VitalGzipIndex *index)
{
  g_clear_pointer (&index->starts, g_free);
  index->n_chunks = 0;
  index->chunk_size = 0;
}

/* Reads the "VT" subfield's body; the offsets must add up to exactly @member_size. */
static gboolean
parse_index (const guint8   *p,
             gsize           len,
             gsize           deflate_start,
             gsize           member_size,
             VitalGzipIndex *index)
{
  guint n;

  if (len < 8 || (len - 4) % 4 != 0)
    return FALSE;
  n = (guint) ((len - 4) / 4);
  index->chunk_size = get_le32 (p);
  if (index->chunk_size == 0)
    return FALSE;
  index->n_chunks = n;
  index->starts = g_new (gsize, n + 1);
  index->starts[0] = deflate_start;
  for (guint i = 0; i < n; i++)
    {
      guint32 chunk_len = get_le32 (p + 4 + 4 * i);

      /* No overflow: at most 16,381 lengths below 4 GiB each. */
      if (chunk_len == 0)
        return FALSE;
      index->starts[i + 1] = index->starts[i] + chunk_len;
    }
  return index->starts[n] + 8 == member_size;
}

/**
 * vital_gzip_read_index:
 * @data: the first bytes of a gzip member
 * @available: how many bytes of it are at hand
 * @member_size: its whole size (an index that does not add up to it is no index)
 * @index: (out caller-allocates): the chunk layout, when found; clear it with
 *   vital_gzip_index_clear()
 *
 * Looks for the chunk index vital_gzip_compress() writes. The index is only a claim about
 * untrusted bytes: vital_gzip_inflate_chunk() checks each chunk against it.
 *
 * Returns: whether an index was found, or more bytes are needed to tell
 */
VitalGzipIndexStatus
vital_gzip_read_index (const guint8   *data,
                       gsize           available,
                       gsize           member_size,
                       VitalGzipIndex *index)
{
  gsize xlen;
  gsize end;

  memset (index, 0, sizeof *index);
  if (available < GZIP_BASE_LEN + 2)
    return member_size < GZIP_BASE_LEN + 2 + 8 ? VITAL_GZIP_INDEX_NONE
                                                : VITAL_GZIP_INDEX_INCOMPLETE;
  if (data[0] != 0x1f || data[1] != 0x8b || data[2] != 8 || data[3] != GZIP_FEXTRA)
    return VITAL_GZIP_INDEX_NONE;
  xlen = (gsize) data[10] | (gsize) data[11] << 8;
  end = GZIP_BASE_LEN + 2 + xlen;
  if (end + 8 > member_size)
    return VITAL_GZIP_INDEX_NONE;
  if (available < end)
    return VITAL_GZIP_INDEX_INCOMPLETE;

  for (gsize pos = GZIP_BASE_LEN + 2; pos + 4 <= end;)
    {
      gsize len = (gsize) data[pos + 2] | (gsize) data[pos + 3] << 8;

      if (pos + 4 + len > end)
        break;
      if (data[pos] == INDEX_SI1 && data[pos + 1] == INDEX_SI2)
        {
          if (parse_index (data + pos + 4, len, end, member_size, index))
            return VITAL_GZIP_INDEX_FOUND;
          break;
        }
      pos += 4 + len;
    }
  vital_gzip_index_clear (index);
  return VITAL_GZIP_INDEX_NONE;
}

/* Whether the member's trailer records that CRC-32 and that size (modulo 2^32). */
static gboolean
trailer_matches (const guint8 *member,
                 gsize         member_size,
                 guint32       crc,
                 gsize         inflated_size)
{
  const guint8 *trailer = member + member_size - 8;

  return get_le32 (trailer) == crc && get_le32 (trailer + 4) == (guint32) inflated_size;
}

/* Inflates one chunk on its own with libdeflate (half again as fast as zlib here). A chunk but the
 * last ends on a byte-aligned block boundary without a final block, which libdeflate cannot stop
 * at: it reads a copy followed by an empty final block (`03 00`). The chunk must not refer back
 * before its start, must fill @out exactly and must use up @in (and the two added bytes)
 * exactly. */
static gboolean
inflate_one_chunk (const guint8 *in,
                   gsize         in_len,
                   gboolean      last,
                   guint8       *out,
                   gsize         out_len)
{
  struct libdeflate_decompressor *d;
  g_autofree guint8 *closed = NULL;
  enum libdeflate_result ret;
  size_t in_used = 0;

  if (!last)
    {
      closed = g_malloc (in_len + 2);
      memcpy (closed, in, in_len);
      closed[in_len] = 0x03;      /* BFINAL 1, fixed Huffman, then end-of-block (all zeros) */
      closed[in_len + 1] = 0x00;
      in = closed;
      in_len += 2;
    }
  d = libdeflate_alloc_decompressor ();
  if (d == NULL)
    return FALSE;
  /* Without an "actual out" pointer, libdeflate insists on exactly @out_len bytes of output. */
  ret = libdeflate_deflate_decompress_ex (d, in, in_len, out, out_len, &in_used, NULL);
  libdeflate_free_decompressor (d);
  return ret == LIBDEFLATE_SUCCESS && in_used == in_len;
}

/* ---- inflating the chunks of an indexed member on every core ------------------------------- */

struct _VitalGzipChunks
{
  /* Touched by the owner's thread only. */
  const guint8   *member;     /* not owned; filled as bytes arrive, never moved */
  VitalGzipIndex  index;
  gsize           inflated_size;
  gsize           crc_skip;
  gsize           available;  /* bytes of @member in so far */
  GByteArray     *out;        /* the inflated member, each chunk inflated into its place */
  guint           started;    /* chunks handed to the pool */

  /* Shared with the pool's threads. */
  GMutex          mutex;
  GCond           idle;
  guint           pending;    /* chunks handed over and not done */
  gboolean        cancelled;  /* queued chunks are skipped */
  gboolean        failed;     /* a chunk did not inflate as the index says */
  guint           inflated;   /* chunks that did */
  guint32        *crcs;       /* per chunk: CRC-32 of its output (chunk 0: past crc_skip) */
};

typedef struct
{
  VitalGzipChunks *chunks;    /* not owned: vital_gzip_chunks_free() waits for its jobs */
  guint            chunk;
} ChunkJob;

static void inflate_chunk_job (gpointer data, gpointer user_data);

/* One pool for every member, started once and never stopped: a pool per member started and
 * ended threads per payload, each leaving GLib 2.74's per-thread GSlice magazine (2032 bytes) to
 * its exit-time destructor, which LeakSanitizer could catch mid-exit. */
static GThreadPool *
chunk_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    {
      GThreadPool *created = g_thread_pool_new (inflate_chunk_job, NULL,
                                                MAX (1, (int) g_get_num_processors ()), TRUE,
                                                NULL);

      g_once_init_leave (&pool, created);
    }
  return pool;
}

static void
inflate_chunk_job (gpointer data,
                   gpointer user_data)
{
  ChunkJob *job = data;
  VitalGzipChunks *self = job->chunks;
  guint i = job->chunk;
  gsize out_start = i * self->index.chunk_size;
  gsize out_len = MIN (self->index.chunk_size, self->inflated_size - out_start);
  gsize skip = i == 0 ? self->crc_skip : 0;
  gboolean ok;
  guint32 crc = 0;

  g_free (job);
  g_mutex_lock (&self->mutex);
  if (self->cancelled)
    {
      if (--self->pending == 0)
        g_cond_broadcast (&self->idle);
      g_mutex_unlock (&self->mutex);
      return;
    }
  g_mutex_unlock (&self->mutex);

  ok = inflate_one_chunk (self->member + self->index.starts[i],
                          self->index.starts[i + 1] - self->index.starts[i],
                          i + 1 == self->index.n_chunks,
                          self->out->data + out_start, out_len);
  if (ok)
    crc = libdeflate_crc32 (0, self->out->data + out_start + skip, out_len - skip);

  g_mutex_lock (&self->mutex);
  if (ok)
    {
      self->crcs[i] = crc;
      self->inflated++;
    }
  else
    self->failed = TRUE;
  if (--self->pending == 0)
    g_cond_broadcast (&self->idle);
  g_mutex_unlock (&self->mutex);
}

/* Waits until no chunk is queued or being inflated; with @drop_queued, chunks not started yet
 * are skipped. */
static void
wait_for_jobs (VitalGzipChunks *self,
               gboolean         drop_queued)
{
  g_mutex_lock (&self->mutex);
  if (drop_queued)
    self->cancelled = TRUE;
  while (self->pending > 0)
    g_cond_wait (&self->idle, &self->mutex);
  g_mutex_unlock (&self->mutex);
}

/**
 * vital_gzip_chunks_new:
 * @member: where the member's bytes are, or will be as they arrive (borrowed: it must stay put
 *   and alive until vital_gzip_chunks_free())
 * @index: (transfer full): the member's index from vital_gzip_read_index(); emptied
 * @inflated_size: how many bytes the member must inflate to
 * @crc_skip: leave the output's first @crc_skip bytes out of the CRC-32 that
 *   vital_gzip_chunks_finish() returns (a header the caller checks on its own)
 *
 * Plans inflating an indexed member chunk by chunk into one buffer of @inflated_size bytes. The
 * index must agree with that size: as many chunks as it takes to cut it every chunk size
 * bytes, the skipped bytes inside the first, and no more output than deflate can give for the
 * member's size. Nothing is inflated yet (vital_gzip_chunks_start()).
 *
 * Returns: (transfer full) (nullable): the plan, or %NULL when the index does not fit
 */
VitalGzipChunks *
vital_gzip_chunks_new (const guint8   *member,
                       VitalGzipIndex *index,
                       gsize           inflated_size,
                       gsize           crc_skip)
{
  VitalGzipChunks *self;
  gsize member_size = index->starts[index->n_chunks] + 8;
  gsize n_expected = (inflated_size + index->chunk_size - 1) / index->chunk_size;

  if (index->chunk_size < crc_skip || n_expected != index->n_chunks
      || inflated_size > (gsize) VITAL_GZIP_MAX_RATIO * member_size)
    {
      vital_gzip_index_clear (index);
      return NULL;
    }

  self = g_new0 (VitalGzipChunks, 1);
  self->member = member;
  self->index = *index;
  memset (index, 0, sizeof *index);
  self->inflated_size = inflated_size;
  self->crc_skip = crc_skip;
  g_mutex_init (&self->mutex);
  g_cond_init (&self->idle);
  self->out = g_byte_array_sized_new (inflated_size);
  g_byte_array_set_size (self->out, inflated_size);
  vital_memory_prefer_huge_pages (self->out->data, inflated_size);
  self->crcs = g_new0 (guint32, self->index.n_chunks);
  return self;
}

/**
 * vital_gzip_chunks_start:
 * @self: a #VitalGzipChunks
 * @available: how many of the member's first bytes are in (never fewer than before)
 *
 * Hands every chunk whose bytes are now all in to the shared threads.
 */
void
vital_gzip_chunks_start (VitalGzipChunks *self,
                         gsize            available)
{
  self->available = MAX (self->available, available);
  while (self->started < self->index.n_chunks
         && self->index.starts[self->started + 1] <= self->available)
    {
      ChunkJob *job = g_new (ChunkJob, 1);

      job->chunks = self;
      job->chunk = self->started++;
      g_mutex_lock (&self->mutex);
      self->pending++;
      g_mutex_unlock (&self->mutex);
      g_thread_pool_push (chunk_pool (), job, NULL);
    }
}

/**
 * vital_gzip_chunks_get_started:
 * @self: a #VitalGzipChunks
 *
 * Returns: how many chunks were handed to the threads so far
 */
guint
vital_gzip_chunks_get_started (VitalGzipChunks *self)
{
  return self->started;
}

/**
 * vital_gzip_chunks_get_inflated:
 * @self: a #VitalGzipChunks
 *
 * Returns: how many chunks have inflated exactly as the index says so far
 */
guint
vital_gzip_chunks_get_inflated (VitalGzipChunks *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->inflated;
  g_mutex_unlock (&self->mutex);
  return n;
}

/**
 * vital_gzip_chunks_finish:
 * @self: a #VitalGzipChunks
 * @out_crc: (out): the CRC-32 of the output past its first crc_skip bytes
 *
 * Waits for the chunks still being inflated, then checks that the whole member is in, that every
 * chunk inflated exactly as the index says and that the trailer records the output's CRC-32 and
 * size. Can be called once.
 *
 * Returns: (transfer full) (nullable): the inflated member, or %NULL when any of that does not
 *   hold (the member may still be a sound one: inflate it as a whole to know)
 */
GByteArray *
vital_gzip_chunks_finish (VitalGzipChunks *self,
                          guint32         *out_crc)
{
  gsize member_size = self->index.starts[self->index.n_chunks] + 8;
  guint32 tail_crc = 0;
  guint32 whole_crc;

  wait_for_jobs (self, FALSE);
  if (self->out == NULL || self->started != self->index.n_chunks || self->failed
      || self->available < member_size)
    return NULL;

  for (guint i = 0; i < self->index.n_chunks; i++)
    {
      gsize out_start = i * self->index.chunk_size;
      gsize len = MIN (self->index.chunk_size, self->inflated_size - out_start);

      if (i == 0)
        tail_crc = self->crcs[0];
      else
        tail_crc = (guint32) crc32_combine (tail_crc, self->crcs[i], (z_off_t) len);
    }
  whole_crc = (guint32) crc32_combine (libdeflate_crc32 (0, self->out->data, self->crc_skip),
                                       tail_crc, (z_off_t) (self->inflated_size - self->crc_skip));
  if (!trailer_matches (self->member, member_size, whole_crc, self->inflated_size))
    return NULL;
  *out_crc = tail_crc;
  return g_steal_pointer (&self->out);
}

/**
 * vital_gzip_chunks_free:
 * @self: (transfer full): a #VitalGzipChunks
 *
 * Drops the chunks not started yet, waits for those being inflated, and frees everything.
 */
void
vital_gzip_chunks_free (VitalGzipChunks *self)
{
  if (self == NULL)
    return;
  /* The pool's threads use the buffers: they stop first. */
  wait_for_jobs (self, TRUE);
  g_clear_pointer (&self->out, g_byte_array_unref);
  g_free (self->crcs);
  vital_gzip_index_clear (&self->index);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->idle);
  g_free (self);
}

/* ---- inflating at once ------------------------------------------------------------------- */

/**
 * vital_gzip_inflate_raw_prefix:
 * @in: the start of a raw deflate stream (a chunk)
 * @in_len: its length
 * @out: (out caller-allocates): where its first @out_len bytes go
 * @out_len: how many
 *
 * Inflates just the first bytes of a raw deflate stream, with zlib (which, unlike libdeflate,
 * can stop anywhere).
 *
 * Returns: %TRUE when @out_len bytes came out
 */
gboolean
vital_gzip_inflate_raw_prefix (const guint8 *in,
                               gsize         in_len,
                               guint8       *out,
                               gsize         out_len)
{
  z_stream zs = { 0 };

  if (in_len > G_MAXUINT || out_len > G_MAXUINT || inflateInit2 (&zs, -15) != Z_OK)
    return FALSE;
  zs.next_in = (Bytef *) in;
  zs.avail_in = (uInt) in_len;
  zs.next_out = out;
  zs.avail_out = (uInt) out_len;
  while (zs.avail_out > 0 && inflate (&zs, Z_NO_FLUSH) == Z_OK)
    ;
  inflateEnd (&zs);
  return zs.avail_out == 0;
}

/**
 * vital_gzip_inflate_exact:
 * @member: a whole gzip member
 * @member_size: its size
 * @inflated_size: how many bytes it must inflate to
 *
 * Inflates a member at once with libdeflate, straight into a buffer of the size it must have
 * (libdeflate checks the trailer's CRC-32 and size, and never writes past the buffer). The fast
 * path for sound members: anything unusual, and any member with a header CRC, gives %NULL and no
 * reason.
 *
 * Returns: (transfer full) (nullable): exactly @inflated_size bytes, or %NULL when the member is
 *   not one gzip member, taking up all of @member_size, that inflates to exactly that many
 */
GByteArray *
vital_gzip_inflate_exact (const guint8 *member,
                          gsize         member_size,
                          gsize         inflated_size)
{
  g_autoptr(GByteArray) out = NULL;
  struct libdeflate_decompressor *d;
  enum libdeflate_result ret;
  size_t in_used = 0, out_len = 0;

  if (inflated_size > (gsize) VITAL_GZIP_MAX_RATIO * member_size)
    return NULL;
  /* libdeflate skips a header CRC-16 without checking it, zlib checks it. The tensor decoders
   * happen to read the header through zlib first, but a member with a header CRC (which no
   * writer of ours sets) is left to zlib here too, so this path never accepts a wrong one. */
  if (member_size >= GZIP_BASE_LEN && (member[3] & GZIP_FHCRC) != 0)
    return NULL;
  out = g_byte_array_sized_new (inflated_size);
  g_byte_array_set_size (out, inflated_size);
  vital_memory_prefer_huge_pages (out->data, inflated_size);

  d = libdeflate_alloc_decompressor ();
  if (d == NULL)
    return NULL;
  ret = libdeflate_gzip_decompress_ex (d, member, member_size, out->data, inflated_size,
                                       &in_used, &out_len);
  libdeflate_free_decompressor (d);
  if (ret != LIBDEFLATE_SUCCESS || out_len != inflated_size || in_used != member_size)
    return NULL;
  return g_steal_pointer (&out);
}
