/* vital-tensor-decode.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns decoding a payload that is all at hand (vital_tensor_decode()), the whole-buffer
 * counterpart of VitalTensorReader: an indexed gzip payload is inflated chunk by chunk on every
 * core (vital-tensor-chunks.c), anything else, and anything that path gives up on, is read as a
 * whole with every check of docs/tensor-format.md §5 (vital-tensor-payload.c).
 */
#include "vital-config.h"

#include "vital-tensor-chunks-private.h"
#include "vital-tensor-payload-private.h"
#include "vital-tensor-private.h"

/**
 * vital_tensor_decode:
 * @payload: an encoded payload, plain or gzipped
 * @out_header: (out caller-allocates) (optional): the header as stored
 * @error: return location for a #GError
 *
 * Decodes a payload from an untrusted source. Every malformation is reported with its own
 * %VITAL_TENSOR_ERROR code, the first in the order docs/tensor-format.md §5 gives; nothing is
 * read out of bounds and a gzip stream is never inflated past the size its header declares.
 *
 * Returns: (transfer full) (nullable): the tensor with raw (un-delta'd) frames, or %NULL
 */
VitalTensor *
vital_tensor_decode (GBytes *payload,
                     VitalTensorHeader *out_header,
                     GError **error)
{
  VitalTensorHeader header = { 0 };
  g_autoptr(GByteArray) plain = NULL;
  gsize size = 0;
  const guint8 *data;

  g_return_val_if_fail (payload != NULL, NULL);

  data = g_bytes_get_data (payload, &size);
  if (vital_tensor_payload_is_gzip (data, size))
    {
      g_autoptr(VitalTensorChunks) chunks = vital_tensor_chunks_new (data, size);

      vital_tensor_chunks_advance (chunks, size);
      plain = vital_tensor_chunks_finish (chunks, &header);
    }
  if (plain == NULL)
    plain = vital_tensor_payload_unpack (data, size, &header, error);
  if (plain == NULL)
    return NULL;

  if (out_header != NULL)
    *out_header = header;
  return vital_tensor_new_from_payload (g_steal_pointer (&plain), &header);
}

/**
 * vital_tensor_peek_header:
 * @payload: an encoded payload, plain or gzipped, or its first bytes
 * @out_header: (out caller-allocates): the validated header
 * @out_gzipped: (out) (optional): whether the payload is gzipped
 * @error: return location for a #GError
 *
 * Reads and validates only the header; for gzip payloads only the first bytes are inflated.
 * The body is not checked (vital_tensor_decode() does that).
 *
 * Returns: %TRUE when the header is valid
 */
gboolean
vital_tensor_peek_header (GBytes *payload,
                          VitalTensorHeader *out_header,
                          gboolean *out_gzipped,
                          GError **error)
{
  gsize size = 0;
  const guint8 *data;

  g_return_val_if_fail (payload != NULL, FALSE);
  g_return_val_if_fail (out_header != NULL, FALSE);

  data = g_bytes_get_data (payload, &size);
  if (out_gzipped)
    *out_gzipped = vital_tensor_payload_is_gzip (data, size);
  return vital_tensor_payload_peek_header (data, size, out_header, error);
}
