/* app-preview.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Benchmark of the app's live preview: displayed frames per second and CPU% of the whole
 * process while the window shows the 640×480 demo source, once per renderer — GTK's GL
 * renderer, the cairo renderer, and the one the app chooses itself (vital-renderer.c: cairo
 * when GL is only software) — each in a fresh process, since GTK reads GSK_RENDERER once; then
 * RSS during a scan (embedded backend). Without a display it re-runs itself under xvfb-run.
 */
#include "vital-config.h"

#include <adwaita.h>
#include <math.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "vital-demo-source.h"
#include "vital-renderer.h"
#include "vital-scan-controller.h"
#include "vital-window-private.h"

#define PREVIEW_SECONDS 10.0
#define SCAN_SECONDS    30.0   /* the default scan: 15 s scans are known to be unsure */

static double
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static long
rss_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  p = strstr (status, field);
  return p ? strtol (p + strlen (field), NULL, 10) : -1;
}

static void
count_frame (VitalCapture      *capture,
             VitalCaptureFrame *frame,
             guint64           *count)
{
  (*count)++;
}

static void
iterate_for (double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
}

/* One renderer, in this process: prints its figures as "<renderer>_preview_…" lines; the app's
 * own choice ("app") also runs a scan. */
static int
measure (const char *renderer)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *schema_dir = g_build_filename (VITAL_BUILD_DIR, "data", NULL);
  VitalScanControllerOptions options = { .force_demo = TRUE, .scan_seconds = SCAN_SECONDS };
  VitalScanController *controller;
  VitalWindow *window;
  VitalCameraView *view;
  guint64 frames0, frames1, delivered = 0;
  double cpu0, cpu1, t0, t1, fps, cpu_pct;
  long rss_peak = 0;
  gint64 deadline;

  const char *used;

  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dir, FALSE);
  g_setenv ("GTK_A11Y", "none", FALSE);
  if (g_str_equal (renderer, "app"))
    g_unsetenv ("GSK_RENDERER");
  else
    g_setenv ("GSK_RENDERER", renderer, TRUE);
  if (!gtk_init_check ())
    {
      g_printerr ("app-preview: no display\n");
      return 1;
    }
  used = vital_renderer_choose (gdk_display_get_default ());
  adw_init ();
  g_main_context_acquire (NULL);

  settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  window = g_object_ref_sink (vital_window_new (NULL, FALSE));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 720);
  gtk_window_present (GTK_WINDOW (window));
  controller = vital_scan_controller_new (window, settings, &options);
  if (!vital_scan_controller_start_preview (controller, &error))
    {
      g_printerr ("app-preview: %s\n", error->message);
      return 1;
    }
  view = vital_window_get_camera_view (window);

  iterate_for (2.0);   /* warm-up: pipeline start, first detections */
  g_signal_connect (vital_scan_controller_get_capture (controller), "frame",
                    G_CALLBACK (count_frame), &delivered);
  frames0 = vital_camera_view_get_frames_drawn (view);
  cpu0 = cpu_seconds ();
  t0 = g_get_monotonic_time () / 1e6;
  iterate_for (PREVIEW_SECONDS);
  frames1 = vital_camera_view_get_frames_drawn (view);
  cpu1 = cpu_seconds ();
  t1 = g_get_monotonic_time () / 1e6;
  fps = (frames1 - frames0) / (t1 - t0);
  cpu_pct = 100.0 * (cpu1 - cpu0) / (t1 - t0);

  printf ("%s_renderer: %s\n", renderer, used);
  printf ("%s_preview_displayed_fps: %.1f fps\n", renderer, fps);
  printf ("%s_preview_delivered_fps: %.1f fps (frames the capture handed to the window)\n",
          renderer, delivered / (t1 - t0));
  printf ("%s_preview_cpu: %.1f %%\n", renderer, cpu_pct);
  printf ("%s_preview_rss: %.1f MiB\n", renderer, rss_kib ("VmRSS:") / 1024.0);
  fflush (stdout);
  if (!g_str_equal (renderer, "app"))
    {
      gtk_window_destroy (GTK_WINDOW (window));
      g_object_unref (controller);
      g_object_unref (window);
      return 0;
    }

  gtk_widget_activate_action (GTK_WIDGET (window), "win.scan", NULL);
  deadline = g_get_monotonic_time () + (gint64) ((SCAN_SECONDS + 120) * G_USEC_PER_SEC);
  while ((vital_scan_controller_get_busy (controller) ||
          g_strcmp0 (vital_window_get_page (window), "live") == 0) &&
         g_get_monotonic_time () < deadline)
    {
      long rss = rss_kib ("VmRSS:");
      rss_peak = MAX (rss_peak, rss);
      iterate_for (0.1);
    }
  printf ("scan_seconds: %.0f s\n", SCAN_SECONDS);
  printf ("scan_rss_peak: %.1f MiB\n", rss_peak / 1024.0);
  printf ("scan_result_page: %s\n", vital_window_get_page (window));
  if (g_strcmp0 (vital_window_get_page (window), "result") == 0)
    {
      VitalReading *r = vital_results_panel_get_reading (vital_window_get_results_panel (window));
      printf ("scan_confidence: %.2f\n", vital_reading_get_confidence (r));
    }

  g_object_unref (controller);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  static const char *const renderers[] = { "gl", "cairo", "app" };

  if (argc == 3 && g_str_equal (argv[1], "--renderer"))
    return measure (argv[2]);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      if (g_getenv ("VITAL_BENCH_UNDER_XVFB") == NULL && g_find_program_in_path ("xvfb-run"))
        {
          const char *args[] = { "xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", argv[0], NULL };
          g_setenv ("VITAL_BENCH_UNDER_XVFB", "1", TRUE);
          g_setenv ("GDK_BACKEND", "x11", TRUE);
          execvp ("xvfb-run", (char **) args);
        }
      g_printerr ("app-preview: no display\n");
      return 0;
    }

  printf ("conditions: demo source %dx%d at %d fps, window 1000×720, %.0f s measured per "
          "renderer, each in a fresh process; \"app\" is the renderer the app chooses\n",
          VITAL_DEMO_WIDTH, VITAL_DEMO_HEIGHT, VITAL_DEMO_FRAME_RATE, PREVIEW_SECONDS);
  fflush (stdout);
  for (guint i = 0; i < G_N_ELEMENTS (renderers); i++)
    {
      const char *args[] = { argv[0], "--renderer", renderers[i], NULL };
      g_autoptr(GError) error = NULL;
      int status = 0;

      if (!g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL,
                         NULL, NULL, &status, &error) ||
          !g_spawn_check_wait_status (status, &error))
        g_printerr ("app-preview: %s: %s\n", renderers[i], error->message);
    }
  return 0;
}
