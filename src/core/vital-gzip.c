/* vital-gzip.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns payload compression. Deflate is sequential, but a stream may be cut into chunks that are
 * compressed independently (each primed with the 32 KiB before it, each but the last ended by a
 * sync flush, which byte-aligns it) and then concatenated: the result is one ordinary gzip member
 * that any inflater reads, CRC-32 joined with crc32_combine(). This is how pigz works. The chunk
 * size is fixed, so the output depends on the input alone, never on the number of cores; a
 * payload of one chunk is byte-for-byte what a single deflate() call would give.
 */
#include "vital-config.h"

#include <string.h>
#include <zlib.h>

#include "vital-gzip.h"
#include "vital-memory.h"
#include "vital-tensor.h"

/* Big enough that the per-chunk flush and the lost matches across chunks cost nothing
 * measurable, small enough that a 30 s scan (56 MB) keeps two cores busy. */
#define CHUNK_SIZE (4 * 1024 * 1024)
#define WINDOW     32768

typedef struct
{
  const guint8 *in;
  gsize in_len;
  gsize dict_len;            /* the bytes before @in that prime the window */
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
  if (c->dict_len > 0)
    deflateSetDictionary (&zs, c->in - c->dict_len, (uInt) c->dict_len);

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
 * OS "unknown"), using a thread per core for payloads of more than one chunk.
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
  guint8 header[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255 };
  GByteArray *out;
  gsize total = sizeof header + 8;
  guint32 crc = (guint32) crc32_z (0, NULL, 0);
  int effective = level == -1 ? 6 : level;

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
      job.chunks[i].dict_len = MIN (start, (gsize) WINDOW);
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
  out = g_byte_array_sized_new (total);
  vital_memory_prefer_huge_pages (out->data, total);
  g_byte_array_append (out, header, sizeof header);
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
