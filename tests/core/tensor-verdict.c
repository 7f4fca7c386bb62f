/* tensor-verdict.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A helper for independent-decoder.py: prints what Vitalscan's two decoders make of each payload
 * file, so that the independent decoder's verdicts can be compared with theirs. One line a file:
 * the path, then vital_tensor_decode()'s verdict, then VitalTensorReader's (fed in three
 * pieces), tab-separated; a verdict is "ok FRAMES CRC32-OF-THE-RAW-FRAMES" or "error CODE". When
 * the two reject a payload with different messages, the reader's verdict says so.
 */
#include "vital-config.h"

#include <stdio.h>
#include <zlib.h>

#include "vital-tensor.h"
#include "vital-tensor-reader.h"

static const char *const code_names[] = {
  [VITAL_TENSOR_ERROR_TRUNCATED] = "TRUNCATED",
  [VITAL_TENSOR_ERROR_BAD_MAGIC] = "BAD_MAGIC",
  [VITAL_TENSOR_ERROR_BAD_VERSION] = "BAD_VERSION",
  [VITAL_TENSOR_ERROR_BAD_FLAGS] = "BAD_FLAGS",
  [VITAL_TENSOR_ERROR_BAD_DIMENSIONS] = "BAD_DIMENSIONS",
  [VITAL_TENSOR_ERROR_BAD_FRAME_RATE] = "BAD_FRAME_RATE",
  [VITAL_TENSOR_ERROR_TOO_MANY_FRAMES] = "TOO_MANY_FRAMES",
  [VITAL_TENSOR_ERROR_EMPTY] = "EMPTY",
  [VITAL_TENSOR_ERROR_OVERSIZED] = "OVERSIZED",
  [VITAL_TENSOR_ERROR_CHECKSUM] = "CHECKSUM",
  [VITAL_TENSOR_ERROR_COMPRESSION] = "COMPRESSION",
  [VITAL_TENSOR_ERROR_INVALID_ARGUMENT] = "INVALID_ARGUMENT",
};

static char *
describe (VitalTensor  *tensor,
          const GError *error)
{
  g_autoptr(GBytes) frames = NULL;
  gsize size;
  const guint8 *data;

  if (tensor == NULL)
    return g_strdup_printf ("error %s", error->domain == VITAL_TENSOR_ERROR
                                        && error->code >= 0
                                        && error->code < (int) G_N_ELEMENTS (code_names)
                                        ? code_names[error->code] : error->message);
  frames = vital_tensor_get_frames (tensor);
  data = g_bytes_get_data (frames, &size);
  return g_strdup_printf ("ok %u %08lx", vital_tensor_get_frame_count (tensor),
                          crc32 (0, data, size));
}

int
main (int    argc,
      char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) reader_error = NULL;
      g_autoptr(GBytes) payload = NULL;
      g_autoptr(VitalTensor) decoded = NULL;
      g_autoptr(VitalTensor) read = NULL;
      g_autoptr(VitalTensorReader) reader = NULL;
      g_autofree char *by_decode = NULL;
      g_autofree char *by_reader = NULL;
      char *contents = NULL;
      gsize size = 0;
      gsize cut1, cut2;

      if (!g_file_get_contents (argv[i], &contents, &size, &error))
        {
          g_printerr ("tensor-verdict: %s\n", error->message);
          return 1;
        }
      payload = g_bytes_new_take (contents, size);
      decoded = vital_tensor_decode (payload, NULL, &error);
      by_decode = describe (decoded, error);

      cut1 = size / 3;
      cut2 = 2 * size / 3;
      reader = vital_tensor_reader_new (size);
      if (!vital_tensor_reader_write (reader, (const guint8 *) contents, cut1, &reader_error)
          || !vital_tensor_reader_write (reader, (const guint8 *) contents + cut1, cut2 - cut1,
                                         &reader_error)
          || !vital_tensor_reader_write (reader, (const guint8 *) contents + cut2, size - cut2,
                                         &reader_error))
        {
          g_printerr ("tensor-verdict: %s\n", reader_error->message);
          return 1;
        }
      read = vital_tensor_reader_finish (reader, NULL, &reader_error);
      by_reader = describe (read, reader_error);
      if (error != NULL && reader_error != NULL
          && g_strcmp0 (error->message, reader_error->message) != 0)
        {
          g_autofree char *plain = g_steal_pointer (&by_reader);

          by_reader = g_strdup_printf ("%s (message differs: %s)", plain, reader_error->message);
        }
      printf ("%s\t%s\t%s\n", argv[i], by_decode, by_reader);
    }
  return 0;
}
