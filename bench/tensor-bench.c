/* tensor-bench.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Encodes and decodes a 900-frame (30 s × 30 fps) synthetic capture in every mode and prints
 * payload size and throughput, one "name: value unit" line each.
 */
#include "vital-config.h"

#include <stdio.h>

#include "vital-tensor.h"
#include "vital-tensor-placeholder.h"

#define REPEATS 3

int
main (int argc, char *argv[])
{
  static const struct { const char *name; VitalTensorEncodeFlags flags; int level; } modes[] = {
    { "plain", VITAL_TENSOR_ENCODE_PLAIN, -1 },
    { "delta", VITAL_TENSOR_ENCODE_DELTA, -1 },
    { "gzip1", VITAL_TENSOR_ENCODE_GZIP, 1 },
    { "gzip6", VITAL_TENSOR_ENCODE_GZIP, 6 },
    { "delta_gzip1", VITAL_TENSOR_ENCODE_DEFAULT, 1 },
    { "delta_gzip6", VITAL_TENSOR_ENCODE_DEFAULT, 6 },
  };
  const guint frames = 900;
  g_autoptr(VitalTensor) tensor = vital_tensor_placeholder (frames);
  double raw_mb = (double) frames * VITAL_TENSOR_FRAME_SIZE / 1e6;

  printf ("conditions: %u frames, 30 fps, synthetic subject, %d repeats; gzipN = zlib level N\n",
          frames, REPEATS);
  printf ("raw_size: %.2f MB\n", raw_mb);
  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      double best_enc = G_MAXDOUBLE, best_dec = G_MAXDOUBLE;
      gsize size = 0;

      for (int r = 0; r < REPEATS; r++)
        {
          g_autoptr(GError) error = NULL;
          gint64 t0 = g_get_monotonic_time ();
          g_autoptr(GBytes) payload = vital_tensor_encode (tensor, modes[m].flags, modes[m].level,
                                                              &error);
          gint64 t1 = g_get_monotonic_time ();
          g_autoptr(VitalTensor) back = NULL;

          if (payload == NULL)
            {
              fprintf (stderr, "encode failed: %s\n", error->message);
              return 1;
            }
          back = vital_tensor_decode (payload, NULL, &error);
          if (back == NULL)
            {
              fprintf (stderr, "decode failed: %s\n", error->message);
              return 1;
            }
          best_enc = MIN (best_enc, (t1 - t0) / 1e6);
          best_dec = MIN (best_dec, (g_get_monotonic_time () - t1) / 1e6);
          size = g_bytes_get_size (payload);
        }
      printf ("%s_size: %.2f MB\n", modes[m].name, size / 1e6);
      printf ("%s_encode: %.0f MB/s\n", modes[m].name, raw_mb / best_enc);
      printf ("%s_decode: %.0f MB/s\n", modes[m].name, raw_mb / best_dec);
      printf ("%s_roundtrip: %.0f ms\n", modes[m].name, (best_enc + best_dec) * 1e3);
    }
  return 0;
}
