/* fuzz-tensor-decode.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the payload decoder: any input must decode or fail with a GError,
 * never crash, leak or read out of bounds; and VitalTensorReader, fed the same input in three
 * pieces, must give the same frames or the same error.
 */
#include <stddef.h>
#include <stdint.h>

#include "vital-tensor.h"
#include "vital-tensor-reader.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_reader_agrees (const uint8_t *data,
                     size_t         size,
                     VitalTensor   *tensor,
                     const GError  *error)
{
  g_autoptr(VitalTensorReader) reader = vital_tensor_reader_new (size);
  g_autoptr(VitalTensor) read = NULL;
  g_autoptr(GError) read_error = NULL;
  size_t cut1 = size > 0 ? data[size - 1] * size / 256 : 0;
  size_t cut2 = cut1 + (size - cut1) / 2;

  g_assert (vital_tensor_reader_write (reader, data, cut1, NULL));
  g_assert (vital_tensor_reader_write (reader, data + cut1, cut2 - cut1, NULL));
  g_assert (vital_tensor_reader_write (reader, data + cut2, size - cut2, NULL));
  read = vital_tensor_reader_finish (reader, NULL, &read_error);
  if (tensor == NULL)
    {
      g_assert (read == NULL && read_error != NULL);
      g_assert (read_error->code == error->code);
      g_assert (g_str_equal (read_error->message, error->message));
    }
  else
    {
      g_autoptr(GBytes) a = vital_tensor_get_frames (tensor);
      g_autoptr(GBytes) b = NULL;

      g_assert (read != NULL);
      b = vital_tensor_get_frames (read);
      g_assert (g_bytes_equal (a, b));
    }
}

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
  check_reader_agrees (data, size, tensor, error);
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
