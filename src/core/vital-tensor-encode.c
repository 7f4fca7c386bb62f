/* vital-tensor-encode.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns writing a tensor as a payload (docs/tensor-format.md): header, optional delta coding, and
 * optional gzip with the deflate settings the document fixes, so the same frames always give the
 * same bytes.
 */
#include "vital-config.h"

#include <math.h>
#include <string.h>
#include <zlib.h>

#include "vital-gzip.h"
#include "vital-memory.h"
#include "vital-tensor.h"
#include "vital-tensor-format-private.h"

/* Delta-coded bodies are small residuals with runs of zeros: LZ77 string matching finds almost
 * nothing there, so run-length + Huffman (Z_RLE) compresses them better and several times faster
 * than the default strategy (measured by bench/tensor-bench). */
static GBytes *
gzip_bytes (const guint8 *data,
            gsize size,
            int level,
            gboolean delta_coded,
            GError **error)
{
  g_autoptr(GError) gzip_error = NULL;
  GBytes *gz = vital_gzip_compress (data, size, level,
                                    delta_coded ? Z_RLE : Z_DEFAULT_STRATEGY, &gzip_error);

  if (gz == NULL)
    g_set_error_literal (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_COMPRESSION,
                         gzip_error->message);
  return gz;
}

/**
 * vital_tensor_encode:
 * @self: a tensor with at least one frame
 * @flags: %VITAL_TENSOR_ENCODE_GZIP and/or %VITAL_TENSOR_ENCODE_DELTA
 * @level: deflate level 0–9, or -1 for zlib's default (6); ignored without gzip
 * @error: return location for a #GError
 *
 * Serialises the tensor as a payload (docs/tensor-format.md). The output is a pure function of
 * the frames, header fields, @flags and @level.
 *
 * Returns: (transfer full) (nullable): the payload, or %NULL with @error set
 */
GBytes *
vital_tensor_encode (VitalTensor *self,
                     VitalTensorEncodeFlags flags,
                     int level,
                     GError **error)
{
  VitalTensorHeader h = { 0 };
  g_autoptr(GByteArray) plain = NULL;
  const guint8 *frames;
  guint frame_count;
  double frame_rate;
  gsize body_size;
  guint8 *body;

  g_return_val_if_fail (self != NULL, NULL);

  if (level < -1 || level > 9)
    {
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_INVALID_ARGUMENT,
                   "compression level %d is outside -1..9", level);
      return NULL;
    }
  if ((flags & ~(VITAL_TENSOR_ENCODE_GZIP | VITAL_TENSOR_ENCODE_DELTA)) != 0)
    {
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_INVALID_ARGUMENT,
                   "unknown encode flags 0x%x", (unsigned) flags);
      return NULL;
    }
  frame_count = vital_tensor_get_frame_count (self);
  frame_rate = vital_tensor_get_frame_rate (self);
  if (frame_count == 0)
    {
      g_set_error_literal (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_EMPTY,
                           "cannot encode a tensor with no frames");
      return NULL;
    }
  if (!vital_tensor_format_check_frame_rate (frame_rate, error))
    return NULL;

  body_size = (gsize) frame_count * VITAL_TENSOR_FRAME_SIZE;
  plain = g_byte_array_sized_new (VITAL_TENSOR_HEADER_SIZE + body_size);
  g_byte_array_set_size (plain, VITAL_TENSOR_HEADER_SIZE + body_size);
  vital_memory_prefer_huge_pages (plain->data, plain->len);
  body = plain->data + VITAL_TENSOR_HEADER_SIZE;

  /* The frames lie back to back from the first one on. */
  frames = vital_tensor_get_frame (self, 0);
  if (flags & VITAL_TENSOR_ENCODE_DELTA)
    vital_tensor_format_delta_encode (frames, body, body_size);
  else
    memcpy (body, frames, body_size);

  h.version = VITAL_TENSOR_VERSION;
  h.flags = (flags & VITAL_TENSOR_ENCODE_DELTA) ? VITAL_TENSOR_FLAG_DELTA : 0;
  h.frame_count = frame_count;
  h.channels = VITAL_TENSOR_CHANNELS;
  h.height = VITAL_TENSOR_HEIGHT;
  h.width = VITAL_TENSOR_WIDTH;
  h.frame_rate_millihz = (guint32) lround (frame_rate * 1000.0);
  h.capture_start_us = vital_tensor_get_capture_start_us (self);
  h.body_crc32 = vital_tensor_format_body_crc32 (body, body_size);
  vital_tensor_format_write_header (plain->data, &h);

  if (flags & VITAL_TENSOR_ENCODE_GZIP)
    return gzip_bytes (plain->data, plain->len, level,
                       (flags & VITAL_TENSOR_ENCODE_DELTA) != 0, error);

  return g_byte_array_free_to_bytes (g_steal_pointer (&plain));
}
