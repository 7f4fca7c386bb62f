/* vital-tensor-reader.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns decoding a payload in pieces. The bytes are kept as they arrive; when the payload is a
 * gzip member whose header indexes independently compressed chunks (vital-gzip.c), each chunk
 * is inflated on a thread of its own as soon as its last byte is in, straight into its place in
 * the output. Finishing then only waits for the last chunks, checks the CRCs and undoes the delta
 * coding. The threads are a process-wide pool started once and never stopped: a pool per reader
 * started and ended threads per payload, each leaving GLib 2.74's per-thread GSlice magazine
 * (2032 bytes) to its exit-time destructor, which LeakSanitizer could catch mid-exit. Anything else, and any chunk that does not inflate exactly as the index says, goes to
 * vital_tensor_decode() once all bytes are in: it decodes what the fast path cannot and names the
 * exact error, so the reader accepts and rejects precisely what vital_tensor_decode() does.
 */
#include "vital-config.h"

#include <string.h>
#include <libdeflate.h>
#include <zlib.h>

#include "vital-gzip.h"
#include "vital-memory.h"
#include "vital-tensor-format-private.h"
#include "vital-tensor-private.h"
#include "vital-tensor-reader.h"

typedef enum
{
  FAST_WAITING_INDEX,   /* the gzip header is not all in yet */
  FAST_WAITING_HEADER,  /* indexed; the first chunk (holding the tensor header) is not all in */
  FAST_ON,              /* chunks are being inflated as they arrive */
  FAST_OFF,             /* no index, or it did not fit: vital_tensor_decode() at the end */
} FastState;

struct _VitalTensorReader
{
  GObject            parent_instance;

  /* Touched by the writing thread only (finish() runs after the last write). */
  guint8            *data;       /* the payload as received */
  gboolean           borrowed;   /* @data belongs to the caller */
  gsize              size;       /* as announced */
  gsize              received;
  gboolean           overflowed;
  gboolean           finished;

  FastState          fast;
  VitalGzipIndex     index;
  VitalTensorHeader  header;
  gsize              total;      /* plain payload size the header declares */
  GByteArray        *out;        /* that payload, each chunk inflated into its place */
  guint              started;    /* chunks handed to the pool */

  /* Written by the pool threads. */
  GMutex             mutex;
  GCond              idle;
  guint              pending;    /* chunks handed over and not done */
  gboolean           cancelled;  /* queued chunks are skipped */
  gboolean           chunk_failed;
  guint              inflated;   /* chunks that inflated as the index says */
  guint32           *body_crcs;  /* per chunk: CRC-32 of its body bytes (chunk 0: after the
                                  * 36 header bytes) */
};

G_DEFINE_FINAL_TYPE (VitalTensorReader, vital_tensor_reader, G_TYPE_OBJECT)

typedef struct
{
  VitalTensorReader *reader;  /* not owned: the reader waits for its chunks before it goes */
  guint              chunk;
} ChunkJob;

static void inflate_chunk (gpointer data, gpointer user_data);

/* Shared by every reader, for the life of the process. */
static GThreadPool *
chunk_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    {
      GThreadPool *created = g_thread_pool_new (inflate_chunk, NULL,
                                                MAX (1, (int) g_get_num_processors ()), TRUE,
                                                NULL);

      g_once_init_leave (&pool, created);
    }
  return pool;
}

/* Waits until no chunk of this reader is queued or being inflated; with @drop_queued, chunks
 * not started yet are skipped. */
static void
stop_pool (VitalTensorReader *self,
           gboolean           drop_queued)
{
  g_mutex_lock (&self->mutex);
  if (drop_queued)
    self->cancelled = TRUE;
  while (self->pending > 0)
    g_cond_wait (&self->idle, &self->mutex);
  g_mutex_unlock (&self->mutex);
}

static void
vital_tensor_reader_finalize (GObject *object)
{
  VitalTensorReader *self = VITAL_TENSOR_READER (object);

  /* The pool's threads use the buffers: they stop first. */
  stop_pool (self, TRUE);
  if (!self->borrowed)
    g_free (self->data);
  g_clear_pointer (&self->out, g_byte_array_unref);
  g_free (self->body_crcs);
  vital_gzip_index_clear (&self->index);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->idle);
  G_OBJECT_CLASS (vital_tensor_reader_parent_class)->finalize (object);
}

static void
vital_tensor_reader_class_init (VitalTensorReaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vital_tensor_reader_finalize;
}

static void
vital_tensor_reader_init (VitalTensorReader *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->idle);
}

/**
 * vital_tensor_reader_new:
 * @size: the payload's size in bytes, known in advance (an upload's Content-Length)
 *
 * Creates a reader to vital_tensor_reader_write() a payload into, piece by piece, from one
 * thread, then vital_tensor_reader_finish() it (from that thread or another, after the last
 * write). Memory is taken as bytes arrive, not for @size up front.
 *
 * Returns: (transfer full): the reader
 */
VitalTensorReader *
vital_tensor_reader_new (gsize size)
{
  VitalTensorReader *self = g_object_new (VITAL_TYPE_TENSOR_READER, NULL);

  self->size = size;
  /* Untouched pages cost nothing: a 300 MB announcement holds no memory until bytes come. */
  self->data = g_try_malloc (MAX (size, 1));
  if (self->data != NULL)
    vital_memory_prefer_huge_pages (self->data, size);
  return self;
}

static void
inflate_chunk (gpointer data,
               gpointer user_data)
{
  ChunkJob *job = data;
  VitalTensorReader *self = job->reader;
  guint i = job->chunk;
  gsize out_start = i * self->index.chunk_size;
  gsize out_len = MIN (self->index.chunk_size, self->total - out_start);
  gsize body_skip = i == 0 ? VITAL_TENSOR_HEADER_SIZE : 0;
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

  ok = vital_gzip_inflate_chunk (self->data + self->index.starts[i],
                                 self->index.starts[i + 1] - self->index.starts[i],
                                 i + 1 == self->index.n_chunks,
                                 self->out->data + out_start, out_len);
  if (ok)
    crc = vital_tensor_format_body_crc32 (self->out->data + out_start + body_skip, out_len - body_skip);

  g_mutex_lock (&self->mutex);
  if (ok)
    {
      self->body_crcs[i] = crc;
      self->inflated++;
    }
  else
    self->chunk_failed = TRUE;
  if (--self->pending == 0)
    g_cond_broadcast (&self->idle);
  g_mutex_unlock (&self->mutex);
}

/* The first chunk is in: read the tensor header from it and check the index against it. */
static gboolean
start_output (VitalTensorReader *self)
{
  z_stream zs = { 0 };
  guint8 head[VITAL_TENSOR_HEADER_SIZE];
  gsize first_len = self->index.starts[1] - self->index.starts[0];
  gsize n_expected;

  if (first_len > G_MAXUINT || inflateInit2 (&zs, -15) != Z_OK)
    return FALSE;
  zs.next_in = self->data + self->index.starts[0];
  zs.avail_in = (uInt) first_len;
  zs.next_out = head;
  zs.avail_out = sizeof head;
  while (zs.avail_out > 0 && inflate (&zs, Z_NO_FLUSH) == Z_OK)
    ;
  inflateEnd (&zs);
  if (zs.avail_out > 0 || !vital_tensor_format_read_header (head, &self->header, NULL))
    return FALSE;

  self->total = vital_tensor_format_payload_size (&self->header);
  n_expected = (self->total + self->index.chunk_size - 1) / self->index.chunk_size;
  /* The header must sit in the first chunk, the chunks must cover the payload exactly, and the
   * output may not exceed what deflate's 1032:1 ratio allows for the bytes announced. */
  if (self->index.chunk_size < VITAL_TENSOR_HEADER_SIZE || n_expected != self->index.n_chunks
      || self->total > (gsize) 1032 * self->size)
    return FALSE;

  self->out = g_byte_array_sized_new (self->total);
  g_byte_array_set_size (self->out, self->total);
  vital_memory_prefer_huge_pages (self->out->data, self->total);
  self->body_crcs = g_new0 (guint32, self->index.n_chunks);
  return TRUE;
}

/* Moves the fast path on as far as the bytes received allow. */
static void
advance (VitalTensorReader *self)
{
  if (self->fast == FAST_WAITING_INDEX)
    {
      switch (vital_gzip_read_index (self->data, self->received, self->size, &self->index))
        {
        case VITAL_GZIP_INDEX_INCOMPLETE:
          return;
        case VITAL_GZIP_INDEX_NONE:
          self->fast = FAST_OFF;
          return;
        case VITAL_GZIP_INDEX_FOUND:
        default:
          self->fast = FAST_WAITING_HEADER;
          break;
        }
    }
  if (self->fast == FAST_WAITING_HEADER)
    {
      if (self->received < self->index.starts[1])
        return;
      self->fast = start_output (self) ? FAST_ON : FAST_OFF;
    }
  if (self->fast != FAST_ON)
    return;
  while (self->started < self->index.n_chunks
         && self->index.starts[self->started + 1] <= self->received)
    {
      ChunkJob *job = g_new (ChunkJob, 1);

      job->reader = self;
      job->chunk = self->started++;
      g_mutex_lock (&self->mutex);
      self->pending++;
      g_mutex_unlock (&self->mutex);
      g_thread_pool_push (chunk_pool (), job, NULL);
    }
}

/**
 * vital_tensor_reader_write:
 * @self: a #VitalTensorReader
 * @data: (array length=len): the next bytes of the payload
 * @len: their number
 * @error: return location for a #GError
 *
 * Appends bytes (copied) and starts inflating every chunk they complete.
 *
 * Returns: %FALSE (%VITAL_TENSOR_ERROR_OVERSIZED) when they go past the announced size, or
 *   %VITAL_TENSOR_ERROR_INVALID_ARGUMENT when memory for them ran out or the reader finished
 */
gboolean
vital_tensor_reader_write (VitalTensorReader  *self,
                           const guint8       *data,
                           gsize               len,
                           GError            **error)
{
  g_return_val_if_fail (VITAL_IS_TENSOR_READER (self), FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (self->finished || self->data == NULL)
    {
      g_set_error_literal (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_INVALID_ARGUMENT,
                           self->finished ? "the payload was already finished"
                                          : "no memory for the payload");
      return FALSE;
    }
  if (len > self->size - self->received)
    {
      self->overflowed = TRUE;
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_OVERSIZED,
                   "payload is longer than the %" G_GSIZE_FORMAT " bytes announced", self->size);
      return FALSE;
    }
  memcpy (self->data + self->received, data, len);
  self->received += len;
  advance (self);
  return TRUE;
}

/**
 * vital_tensor_reader_peek_header:
 * @self: a #VitalTensorReader
 * @out_header: (out caller-allocates): the payload's header, once known
 *
 * Reads the tensor header from the bytes written so far (inflating the first of them when the
 * payload is gzipped), so that a caller can learn early how large the decoded tensor will be.
 *
 * Returns: %TRUE when the bytes so far hold a valid header
 */
gboolean
vital_tensor_reader_peek_header (VitalTensorReader *self,
                                 VitalTensorHeader *out_header)
{
  g_autoptr(GBytes) head = NULL;

  g_return_val_if_fail (VITAL_IS_TENSOR_READER (self), FALSE);
  g_return_val_if_fail (out_header != NULL, FALSE);

  if (self->fast == FAST_ON)
    {
      *out_header = self->header;
      return TRUE;
    }
  if (self->data == NULL || self->received == 0)
    return FALSE;
  head = g_bytes_new_static (self->data, self->received);
  return vital_tensor_peek_header (head, out_header, NULL, NULL);
}

/* Waits for the chunks and checks them all, then the body CRC in the header and the gzip
 * trailer's CRC and length. Returns the plain payload, or NULL when the fast path did not hold. */
static GByteArray *
finish_fast (VitalTensorReader *self)
{
  guint32 body_crc = 0;
  guint32 whole_crc;
  gsize body_size;

  stop_pool (self, FALSE);
  if (self->fast != FAST_ON || self->started != self->index.n_chunks || self->chunk_failed
      || self->received != self->size)
    return NULL;

  for (guint i = 0; i < self->index.n_chunks; i++)
    {
      gsize out_start = i * self->index.chunk_size;
      gsize len = MIN (self->index.chunk_size, self->total - out_start);

      if (i == 0)
        body_crc = self->body_crcs[0];
      else
        body_crc = (guint32) crc32_combine (body_crc, self->body_crcs[i], (z_off_t) len);
    }
  body_size = self->total - VITAL_TENSOR_HEADER_SIZE;
  whole_crc = (guint32) crc32_combine (libdeflate_crc32 (0, self->out->data,
                                                          VITAL_TENSOR_HEADER_SIZE),
                                       body_crc, (z_off_t) body_size);
  if (body_crc != self->header.body_crc32
      || !vital_gzip_trailer_matches (self->data, self->size, whole_crc, self->total))
    return NULL;
  return g_steal_pointer (&self->out);
}

/**
 * vital_tensor_reader_finish:
 * @self: a #VitalTensorReader that was written to
 * @out_header: (out caller-allocates) (optional): the header as stored
 * @error: return location for a #GError
 *
 * Completes the decoding, blocking until the chunks still being inflated are done. The result,
 * and every error, is what vital_tensor_decode() gives for the bytes written. The reader keeps
 * nothing afterwards; it cannot be written to or finished again.
 *
 * Returns: (transfer full) (nullable): the tensor, or %NULL with @error set
 */
VitalTensor *
vital_tensor_reader_finish (VitalTensorReader  *self,
                            VitalTensorHeader  *out_header,
                            GError            **error)
{
  g_autoptr(GByteArray) payload = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (VITAL_IS_TENSOR_READER (self), NULL);

  if (self->finished || self->data == NULL)
    {
      g_set_error_literal (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_INVALID_ARGUMENT,
                           self->finished ? "the payload was already finished"
                                          : "no memory for the payload");
      return NULL;
    }
  self->finished = TRUE;

  if (self->overflowed)
    {
      stop_pool (self, TRUE);
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_OVERSIZED,
                   "payload is longer than the %" G_GSIZE_FORMAT " bytes announced", self->size);
      return NULL;
    }

  payload = finish_fast (self);
  if (payload != NULL)
    {
      if (out_header != NULL)
        *out_header = self->header;
      g_clear_pointer (&self->data, g_free);
      return vital_tensor_new_from_payload (g_steal_pointer (&payload), &self->header);
    }

  /* The chunk path was taken as far as these bytes allow: the whole-payload decoder need not
   * try it again. */
  g_clear_pointer (&self->out, g_byte_array_unref);
  bytes = g_bytes_new_take (g_steal_pointer (&self->data), self->received);
  return vital_tensor_decode_full (bytes, FALSE, out_header, error);
}

/**
 * vital_tensor_reader_get_chunks_started:
 * @self: a #VitalTensorReader
 *
 * Returns: how many indexed chunks were handed to the inflating threads so far (0 when the
 *   payload has no usable index); for tests and diagnostics
 */
guint
vital_tensor_reader_get_chunks_started (VitalTensorReader *self)
{
  g_return_val_if_fail (VITAL_IS_TENSOR_READER (self), 0);
  return self->started;
}

/**
 * vital_tensor_reader_get_chunks_inflated:
 * @self: a #VitalTensorReader
 *
 * Returns: how many indexed chunks have inflated exactly as the index says so far; for tests
 *   and diagnostics
 */
guint
vital_tensor_reader_get_chunks_inflated (VitalTensorReader *self)
{
  guint n;

  g_return_val_if_fail (VITAL_IS_TENSOR_READER (self), 0);
  g_mutex_lock (&self->mutex);
  n = self->inflated;
  g_mutex_unlock (&self->mutex);
  return n;
}

/**
 * vital_tensor_reader_inflate_indexed:
 * @data: a whole gzip payload
 * @size: its size
 * @header: (out caller-allocates): its tensor header, on success
 *
 * The chunk-parallel inflate on a payload that is all at hand (borrowed, not copied).
 *
 * Returns: (transfer full) (nullable): the plain payload with its CRCs checked, or %NULL when the
 *   payload has no usable index or does not inflate exactly as it says
 */
GByteArray *
vital_tensor_reader_inflate_indexed (const guint8      *data,
                                     gsize              size,
                                     VitalTensorHeader *header)
{
  g_autoptr(VitalTensorReader) self = g_object_new (VITAL_TYPE_TENSOR_READER, NULL);
  GByteArray *payload;

  self->data = (guint8 *) data;
  self->borrowed = TRUE;
  self->size = size;
  self->received = size;
  advance (self);
  if (self->fast != FAST_ON)
    return NULL;
  payload = finish_fast (self);
  if (payload != NULL)
    *header = self->header;
  return payload;
}
