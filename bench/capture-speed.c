/* capture-speed.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Benchmark: analyse a 30 s 640×480 30 fps video file (the demo subject encoded to H.264 MP4
 * and VP8 WebM) with face detection, and print frames/s, × real time and peak memory. The
 * time covers decoding, detection, tracking, packing and encoding the gzip payload. CPU time
 * is printed too: wall-clock figures are only meaningful on an otherwise idle machine.
 *
 * Usage: capture-speed [SECONDS]   (default 30)
 */
#include "vital-config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <glib/gstdio.h>
#include <gst/gst.h>

#include "vital-capture.h"
#include "vital-demo-source.h"
#include "vital-engine.h"

/* Peak resident set size in kB since the last reset. */
static long
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");
  return line != NULL ? strtol (line + 6, NULL, 10) : -1;
}

static void
reset_peak_rss (void)
{
  /* Linux: writing 5 to clear_refs resets VmHWM to the current RSS. */
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

/* User + system CPU time of the process in µs (all threads). */
static gint64
cpu_time_us (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC
         + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

static int
run (const char *dir,
     const char *name,
     double seconds)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(VitalTensor) tensor = NULL;
  g_autoptr(VitalVitals) vitals = NULL;
  VitalEngineOptions options = { VITAL_PULSE_POS, NULL };
  VitalDemoSettings settings;
  VitalScanInfo info;
  GStatBuf st;
  gint64 start, elapsed, cpu_start, cpu, encode_cpu = 0;
  const char *ext = strrchr (name, '.') + 1;

  vital_demo_settings_init (&settings);
  settings.realtime = FALSE;
  settings.duration_s = seconds;
  if (!vital_demo_source_write_video (&settings, path, &error))
    {
      g_printerr ("capture-speed: %s\n", error->message);
      return 1;
    }
  g_stat (path, &st);

  reset_peak_rss ();
  start = g_get_monotonic_time ();
  cpu_start = cpu_time_us ();
  payload = vital_capture_process_file (path, VITAL_ROI_FACE, 0, NULL, &info, &error);
  elapsed = g_get_monotonic_time () - start;
  cpu = cpu_time_us () - cpu_start;
  if (payload == NULL)
    {
      g_printerr ("capture-speed: %s\n", error->message);
      return 1;
    }

  tensor = vital_tensor_decode (payload, NULL, NULL);
  vitals = tensor != NULL ? vital_engine_analyze (tensor, &options, NULL) : NULL;

  /* The payload encoding (gzip + delta) alone, which process_file() includes. */
  if (tensor != NULL)
    {
      g_autoptr(GBytes) again = NULL;

      cpu_start = cpu_time_us ();
      again = vital_tensor_encode (tensor, VITAL_TENSOR_ENCODE_DEFAULT, -1, NULL);
      encode_cpu = cpu_time_us () - cpu_start;
    }

  printf ("# %s: %.0f s, %d×%d, %d fps, %.1f MB, face detection on, demo at %.0f bpm\n",
          ext, seconds, VITAL_DEMO_WIDTH, VITAL_DEMO_HEIGHT, VITAL_DEMO_FRAME_RATE,
          st.st_size / 1048576.0, settings.heart_rate_bpm);
  printf ("capture_%s_frames: %u frames\n", ext, info.source_frames);
  printf ("capture_%s_fps: %.1f frames/s\n", ext, info.source_frames * 1e6 / elapsed);
  printf ("capture_%s_realtime: %.2f x\n", ext, seconds * 1e6 / elapsed);
  printf ("capture_%s_cpu: %.2f s\n", ext, cpu / 1e6);
  printf ("capture_%s_cpu_per_video_second: %.3f s/s\n", ext, cpu / 1e6 / seconds);
  printf ("capture_%s_encode_cpu: %.2f s\n", ext, encode_cpu / 1e6);
  printf ("capture_%s_face_coverage: %.3f\n", ext, info.face_coverage);
  printf ("capture_%s_payload: %.1f kB\n", ext, g_bytes_get_size (payload) / 1024.0);
  printf ("capture_%s_peak_rss: %.1f MB\n", ext, peak_rss_kb () / 1024.0);
  printf ("capture_%s_hr: %.1f bpm\n", ext, vitals != NULL ? vitals->heart_rate : NAN);
  g_unlink (path);
  return 0;
}

int
main (int argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  double seconds = argc > 1 ? g_ascii_strtod (argv[1], NULL) : 30.0;
  int ret = 0;

  g_setenv ("OPENCV_LOG_LEVEL", "SILENT", TRUE);
  gst_init (&argc, &argv);
  if (!(seconds >= 2 && seconds <= 180))
    {
      g_printerr ("usage: capture-speed [SECONDS 2-180]\n");
      return 2;
    }

  dir = g_dir_make_tmp ("capture-speed-XXXXXX", NULL);
  ret |= run (dir, "demo.mp4", seconds);
  ret |= run (dir, "demo.webm", seconds);
  g_rmdir (dir);
  return ret;
}
