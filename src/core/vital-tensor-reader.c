/* vital-tensor-reader.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns decoding a payload in pieces (VitalTensorReader), the streaming counterpart of
 * vital_tensor_decode(). The bytes are kept as they arrive; when the payload is a gzip member
 * whose header indexes independently compressed chunks, each chunk is inflated on a core of its
 * own as soon as its last byte is in (vital-tensor-chunks.c), straight into its place in the
 * output. Finishing then only waits for the last chunks and checks the CRCs. Anything else, and
 * any payload whose chunks do not inflate exactly as the index says, is read as a whole once all
 * bytes are in (vital-tensor-payload.c), which decodes what the fast path cannot and names the
 * exact error. Both decoders use those two paths, so they accept and reject exactly the same
 * payloads, with the same errors.
 */
#include "vital-config.h"

#include <string.h>

#include "vital-memory.h"
#include "vital-tensor-chunks-private.h"
#include "vital-tensor-payload-private.h"
#include "vital-tensor-private.h"
#include "vital-tensor-reader.h"

struct _VitalTensorReader
{
  GObject            parent_instance;

  /* Touched by the writing thread only (finish() runs after the last write). */
  guint8            *data;       /* the payload as received */
  gsize              size;       /* as announced */
  gsize              received;
  gboolean           overflowed;
  gboolean           finished;
  VitalTensorChunks *chunks;     /* the indexed fast path, reading @data as it fills; gone
                                  * once finished */
  guint              chunks_started;   /* its statistics, kept past finishing */
  guint              chunks_inflated;
};

G_DEFINE_FINAL_TYPE (VitalTensorReader, vital_tensor_reader, G_TYPE_OBJECT)

static void
vital_tensor_reader_finalize (GObject *object)
{
  VitalTensorReader *self = VITAL_TENSOR_READER (object);

  /* The chunks being inflated read @data: they stop first. */
  g_clear_pointer (&self->chunks, vital_tensor_chunks_free);
  g_free (self->data);
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
    {
      vital_memory_prefer_huge_pages (self->data, size);
      self->chunks = vital_tensor_chunks_new (self->data, size);
    }
  return self;
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
  vital_tensor_chunks_advance (self->chunks, self->received);
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
  g_return_val_if_fail (VITAL_IS_TENSOR_READER (self), FALSE);
  g_return_val_if_fail (out_header != NULL, FALSE);

  if (self->data == NULL)
    return FALSE;
  if (self->chunks != NULL && vital_tensor_chunks_get_header (self->chunks, out_header))
    return TRUE;
  if (self->received == 0)
    return FALSE;
  return vital_tensor_payload_peek_header (self->data, self->received, out_header, NULL);
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
  VitalTensorHeader header = { 0 };
  g_autoptr(GByteArray) plain = NULL;

  g_return_val_if_fail (VITAL_IS_TENSOR_READER (self), NULL);

  if (self->finished || self->data == NULL)
    {
      g_set_error_literal (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_INVALID_ARGUMENT,
                           self->finished ? "the payload was already finished"
                                          : "no memory for the payload");
      return NULL;
    }
  self->finished = TRUE;

  /* Waits for every chunk still being inflated: afterwards nothing reads @data any more. */
  if (!self->overflowed)
    plain = vital_tensor_chunks_finish (self->chunks, &header);
  self->chunks_started = vital_tensor_chunks_get_started (self->chunks);
  self->chunks_inflated = vital_tensor_chunks_get_inflated (self->chunks);
  g_clear_pointer (&self->chunks, vital_tensor_chunks_free);

  if (self->overflowed)
    {
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_OVERSIZED,
                   "payload is longer than the %" G_GSIZE_FORMAT " bytes announced", self->size);
      return NULL;
    }
  if (plain == NULL)
    plain = vital_tensor_payload_unpack (self->data, self->received, &header, error);
  g_clear_pointer (&self->data, g_free);
  if (plain == NULL)
    return NULL;

  if (out_header != NULL)
    *out_header = header;
  return vital_tensor_new_from_payload (g_steal_pointer (&plain), &header);
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
  return self->chunks != NULL ? vital_tensor_chunks_get_started (self->chunks)
                              : self->chunks_started;
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
  g_return_val_if_fail (VITAL_IS_TENSOR_READER (self), 0);
  return self->chunks != NULL ? vital_tensor_chunks_get_inflated (self->chunks)
                              : self->chunks_inflated;
}
