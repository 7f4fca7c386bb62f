/* vital-gzip.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the payload's gzip framing. Deflate is sequential, but a stream may be cut into chunks
 * that are compressed independently (each but the last ended by a sync flush, which byte-aligns
 * it) and then concatenated: the result is one ordinary gzip member that any inflater reads,
 * CRC-32 joined with crc32_combine(), as pigz does. Unlike pigz, a chunk is not primed with the
 * 32 KiB before it, and the gzip header carries an index of the chunks (an "extra field" that
 * other readers skip): a reader can then inflate every chunk on its own core, even while later
 * chunks are still arriving. The chunk size is fixed, so the output depends on the input alone,
 * never on the number of cores; a payload of one chunk has no index and is byte-for-byte what a
 * single deflate() call would give.
 */
#include "vital-config.h"

#include <string.h>
#include <zlib.h>
#include <libdeflate.h>

#include "vital-gzip.h"
#include "vital-memory.h"
#include "vital-tensor.h"

/* Big enough that the per-chunk flush and the lost matches across chunks cost nothing
 * measurable, small enough that a 30 s scan (56 MB) keeps two cores busy. */
#define CHUNK_SIZE (4 * 1024 * 1024)

/* RFC 1952 header flags; writers set FEXTRA alone, and only then is an index looked for. */
#define GZIP_FEXTRA   0x04
#define GZIP_BASE_LEN 10

/* The index subfield: ID "VT", then u32 chunk size, then one u32 compressed length per chunk
 * (little-endian). Its length field is 16 bits, hence the chunk limit. */
#define INDEX_SI1        'V'
#define INDEX_SI2        'T'
#define INDEX_MAX_CHUNKS ((G_MAXUINT16 - 4 - 4) / 4)

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
 *   (%VITAL_TENSOR_ERROR_COMPRESSION)
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
      g_set_error_literal (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_COMPRESSION,
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
          g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_COMPRESSION,
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

/**
 * vital_gzip_trailer_matches:
 * @member: a whole gzip member
 * @member_size: its size (at least the 8 trailer bytes)
 * @crc: the CRC-32 of what it inflated to
 * @inflated_size: how many bytes it inflated to
 *
 * Returns: whether the member's trailer records that CRC-32 and that size (modulo 2^32)
 */
gboolean
vital_gzip_trailer_matches (const guint8 *member,
                            gsize         member_size,
                            guint32       crc,
                            gsize         inflated_size)
{
  const guint8 *trailer = member + member_size - 8;

  g_return_val_if_fail (member_size >= 8, FALSE);
  return get_le32 (trailer) == crc && get_le32 (trailer + 4) == (guint32) inflated_size;
}

/**
 * vital_gzip_inflate_chunk:
 * @in: one chunk's raw deflate data
 * @in_len: its length
 * @last: whether it is the member's last chunk
 * @out: where its output goes
 * @out_len: exactly how many bytes it must give
 *
 * Inflates one chunk on its own with libdeflate (half again as fast as zlib here). A chunk but the
 * last ends on a byte-aligned block boundary without a final block, which libdeflate cannot stop
 * at: it reads a copy followed by an empty final block (`03 00`). The chunk must not refer back
 * before its start, must fill @out exactly and must use up @in (and the two added bytes) exactly.
 *
 * Returns: %TRUE when @out holds the chunk's bytes
 */
gboolean
vital_gzip_inflate_chunk (const guint8 *in,
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
