/* fuzz-tensor-decode.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the payload decoder: any input must decode or fail with a GError,
 * never crash, leak or read out of bounds.
 */
#include <stddef.h>
#include <stdint.h>

#include "vital-tensor.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t size)
{
  g_autoptr(GBytes) payload = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalTensor) tensor = NULL;
  VitalTensorHeader header;

  vital_tensor_peek_header (payload, &header, NULL, NULL);
  tensor = vital_tensor_decode (payload, &header, &error);
  if (tensor == NULL)
    {
      g_assert (error != NULL && error->domain == VITAL_TENSOR_ERROR);
      return 0;
    }
  /* A decoded tensor must re-encode and decode to the same frames. */
  {
    g_autoptr(GBytes) again = vital_tensor_encode (tensor, VITAL_TENSOR_ENCODE_DELTA, -1, NULL);
    g_autoptr(VitalTensor) back = vital_tensor_decode (again, NULL, NULL);
    g_autoptr(GBytes) a = vital_tensor_get_frames (tensor);
    g_autoptr(GBytes) b = vital_tensor_get_frames (back);

    g_assert (g_bytes_equal (a, b));
  }
  return 0;
}
