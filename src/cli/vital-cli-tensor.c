/* vital-cli-tensor.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The payload commands of vitalscan-cli: `placeholder` writes a synthetic capture and
 * `inspect` prints a payload's header, per-channel statistics and its size in every encoding.
 */
#include "vital-config.h"

#include <stdio.h>
#include <string.h>

#include "vital-cli.h"
#include "vital-cli-session.h"
#include "vital-tensor.h"
#include "vital-tensor-placeholder.h"

static gboolean
parse_mode (const char *name,
            VitalTensorEncodeFlags *flags)
{
  if (g_str_equal (name, "plain"))
    *flags = VITAL_TENSOR_ENCODE_PLAIN;
  else if (g_str_equal (name, "gzip"))
    *flags = VITAL_TENSOR_ENCODE_GZIP;
  else if (g_str_equal (name, "delta"))
    *flags = VITAL_TENSOR_ENCODE_DELTA;
  else if (g_str_equal (name, "delta-gzip"))
    *flags = VITAL_TENSOR_ENCODE_DEFAULT;
  else
    return FALSE;
  return TRUE;
}

int
vital_cli_placeholder (int argc,
                       char **argv)
{
  int frames = 150;
  g_autofree char *mode = NULL;
  GOptionEntry entries[] = {
    { "frames", 'n', 0, G_OPTION_ARG_INT, &frames, "Frames to generate (30 per second)", "N" },
    { "mode", 'm', 0, G_OPTION_ARG_STRING, &mode,
      "Encoding: plain, gzip, delta or delta-gzip (default)", "MODE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("OUT — write a synthetic payload");
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalTensor) tensor = NULL;
  g_autoptr(GBytes) payload = NULL;
  VitalTensorEncodeFlags flags = VITAL_TENSOR_ENCODE_DEFAULT;

  if (!vital_cli_parse_command_line (context, entries, NULL, "vitalscan-cli placeholder",
                                     "one output file", &argc, &argv))
    return VITAL_CLI_EXIT_USAGE;
  if (frames < 1 || frames > VITAL_TENSOR_MAX_FRAMES)
    {
      g_printerr ("vitalscan-cli placeholder: --frames must be within 1–%d\n",
                  VITAL_TENSOR_MAX_FRAMES);
      return VITAL_CLI_EXIT_USAGE;
    }
  if (mode != NULL && !parse_mode (mode, &flags))
    {
      g_printerr ("vitalscan-cli placeholder: unknown mode “%s”\n", mode);
      return VITAL_CLI_EXIT_USAGE;
    }

  tensor = vital_tensor_placeholder ((guint) frames);
  payload = vital_tensor_encode (tensor, flags, -1, &error);
  if (payload == NULL
      || !g_file_set_contents (argv[1], g_bytes_get_data (payload, NULL),
                               (gssize) g_bytes_get_size (payload), &error))
    {
      g_printerr ("vitalscan-cli placeholder: %s\n", error->message);
      return VITAL_CLI_EXIT_FAILURE;
    }
  g_print ("wrote %s: %d frames, %" G_GSIZE_FORMAT " bytes\n",
           argv[1], frames, g_bytes_get_size (payload));
  return VITAL_CLI_EXIT_OK;
}

static void
print_channel_stats (VitalTensor *tensor)
{
  static const char *const region_names[] = { "face", "forehead", "left cheek", "right cheek" };
  guint frames = vital_tensor_get_frame_count (tensor);

  g_print ("%-12s %8s %8s %8s\n", "region", "mean R", "mean G", "mean B");
  for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
    {
      double mean[3] = { 0, 0, 0 };

      for (guint colour = 0; colour < 3; colour++)
        {
          guint64 sum = 0;

          for (guint f = 0; f < frames; f++)
            {
              const guint8 *plane = vital_tensor_get_plane (tensor, f, region * 3 + colour);

              for (guint p = 0; p < VITAL_TENSOR_PLANE_SIZE; p++)
                sum += plane[p];
            }
          mean[colour] = (double) sum / ((double) frames * VITAL_TENSOR_PLANE_SIZE);
        }
      g_print ("%-12s %8.2f %8.2f %8.2f\n", region_names[region], mean[0], mean[1], mean[2]);
    }
}

int
vital_cli_inspect (int argc,
                   char **argv)
{
  gboolean modes = FALSE;
  GOptionEntry entries[] = {
    { "modes", 0, 0, G_OPTION_ARG_NONE, &modes, "Also print the size in every encoding", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE — describe a payload");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(VitalTensor) tensor = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autofree char *start_text = NULL;
  VitalTensorHeader h;
  gboolean gzipped = FALSE;
  char *contents = NULL;
  gsize length = 0;

  if (!vital_cli_parse_command_line (context, entries, NULL, "vitalscan-cli inspect",
                                     "one payload file", &argc, &argv))
    return VITAL_CLI_EXIT_USAGE;
  if (!g_file_get_contents (argv[1], &contents, &length, &error))
    {
      g_printerr ("vitalscan-cli inspect: %s\n", error->message);
      return VITAL_CLI_EXIT_FAILURE;
    }
  payload = g_bytes_new_take (contents, length);

  if (!vital_tensor_peek_header (payload, &h, &gzipped, &error)
      || (tensor = vital_tensor_decode (payload, &h, &error)) == NULL)
    {
      g_printerr ("vitalscan-cli inspect: %s: %s\n", argv[1], error->message);
      return VITAL_CLI_EXIT_PROCESSING;
    }

  {
    g_autoptr(GDateTime) whole =
      g_date_time_new_from_unix_utc (h.capture_start_us / G_USEC_PER_SEC);

    if (whole != NULL)
      start = g_date_time_add (whole, h.capture_start_us % G_USEC_PER_SEC);
  }
  start_text = start ? g_date_time_format_iso8601 (start) : g_strdup ("(out of range)");
  g_print ("file:          %s (%" G_GSIZE_FORMAT " bytes, %s)\n", argv[1], length,
           gzipped ? "gzip" : "uncompressed");
  g_print ("version:       %u\n", h.version);
  g_print ("flags:         0x%04x%s\n", h.flags,
           (h.flags & VITAL_TENSOR_FLAG_DELTA) ? " (temporal delta)" : "");
  g_print ("frames:        %u (%.2f s)\n", h.frame_count,
           h.frame_count / (h.frame_rate_millihz / 1000.0));
  g_print ("shape:         %u channels × %u × %u\n", h.channels, h.height, h.width);
  g_print ("frame rate:    %.3f fps\n", h.frame_rate_millihz / 1000.0);
  g_print ("capture start: %s\n", start_text);
  g_print ("body CRC-32:   %08x (verified)\n", h.body_crc32);
  print_channel_stats (tensor);

  if (modes)
    {
      static const char *const names[] = { "plain", "gzip", "delta", "delta-gzip" };
      gsize raw = VITAL_TENSOR_HEADER_SIZE + (gsize) h.frame_count * VITAL_TENSOR_FRAME_SIZE;

      g_print ("%-12s %12s %8s\n", "encoding", "bytes", "ratio");
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          VitalTensorEncodeFlags flags = 0;
          g_autoptr(GBytes) encoded = NULL;

          parse_mode (names[i], &flags);
          encoded = vital_tensor_encode (tensor, flags, -1, &error);
          if (encoded == NULL)
            {
              g_printerr ("vitalscan-cli inspect: %s\n", error->message);
              return VITAL_CLI_EXIT_FAILURE;
            }
          g_print ("%-12s %12" G_GSIZE_FORMAT " %7.1f%%\n", names[i],
                   g_bytes_get_size (encoded), 100.0 * g_bytes_get_size (encoded) / raw);
        }
    }
  return VITAL_CLI_EXIT_OK;
}
