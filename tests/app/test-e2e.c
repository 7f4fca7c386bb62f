/* test-e2e.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * End to end: the window on the demo subject with the embedded backend completes a scan of the
 * default 30 s and shows a heart rate within 3 bpm of the demo's setting, marked as a demo scan
 * wherever it appears. Saves the idle, scanning and result screenshots (data/screenshots/ has
 * copies for the README).
 */
#include "vital-config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>

#include "app-test-util.h"
#include "vital-demo-source.h"
#include "vital-export.h"
#include "vital-history-view-private.h"
#include "vital-scan-controller.h"
#include "vital-window-private.h"

#define SCAN_SECONDS 30.0

typedef struct
{
  VitalWindow         *window;
  VitalScanController *controller;
} E2E;

static gboolean
has_frame (gpointer data)
{
  E2E *e = data;
  return vital_camera_view_get_texture (vital_window_get_camera_view (e->window)) != NULL &&
         vital_camera_view_get_track_state (vital_window_get_camera_view (e->window)) !=
           VITAL_TRACK_NONE;
}

static gboolean
halfway (gpointer data)
{
  E2E *e = data;
  const char *t = vital_window_get_progress_text (e->window);
  return t != NULL && strstr (t, "s left") != NULL &&
         vital_waveform_get_n_samples (vital_window_get_waveform (e->window)) > 30 &&
         g_ascii_strtod (t, NULL) <= SCAN_SECONDS / 2;
}

static gboolean
finished (gpointer data)
{
  E2E *e = data;
  const char *page = vital_window_get_page (e->window);
  return g_strcmp0 (page, "result") == 0 || g_strcmp0 (page, "error") == 0;
}

/* "Reading “subject.webm”: 7 of 20 s", the bar at 7/20 */
static gboolean
read_partly (gpointer data)
{
  E2E *e = data;
  const char *text = vital_window_get_processing_text (e->window);
  double fraction = vital_window_get_processing_fraction (e->window);
  const char *prefix = "Reading “subject.webm”: ";
  int read = -1, total = -1;

  /* the quotes are compared here: sscanf did not match them in the tests' UTF-8 locale */
  if (text == NULL || !g_str_has_prefix (text, prefix) ||
      sscanf (text + strlen (prefix), "%d of %d s", &read, &total) != 2)
    return FALSE;
  g_assert_cmpint (total, ==, 20);
  return read > 0 && read < total &&
         fabs (fraction - (double) read / total) < 1.0 / total + 0.01;
}

static gboolean
is_processing (gpointer data)
{
  E2E *e = data;
  return g_strcmp0 (vital_window_get_page (e->window), "processing") == 0;
}

static gboolean
finished_or_live (gpointer data)
{
  E2E *e = data;
  return !vital_scan_controller_get_busy (e->controller) &&
         g_strcmp0 (vital_window_get_page (e->window), "live") == 0;
}

static void
test_demo_scan (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  VitalScanControllerOptions options = { .force_demo = TRUE, .scan_seconds = SCAN_SECONDS };
  g_autoptr(GError) error = NULL;
  VitalDemoSettings demo;
  VitalReading *reading;
  double hr;
  E2E e;

  vital_demo_settings_init (&demo);
  g_settings_set_string (settings, "backend", "local");
  e.window = g_object_ref_sink (vital_window_new (NULL, FALSE));
  gtk_window_set_default_size (GTK_WINDOW (e.window), 1000, 720);
  /* what the application provides (test-application clicks it for real) */
  {
    g_autoptr(GSimpleActionGroup) app_actions = g_simple_action_group_new ();
    g_autoptr(GSimpleAction) choose = g_simple_action_new ("choose-camera", NULL);

    g_action_map_add_action (G_ACTION_MAP (app_actions), G_ACTION (choose));
    gtk_widget_insert_action_group (GTK_WIDGET (e.window), "app", G_ACTION_GROUP (app_actions));
  }
  gtk_window_present (GTK_WINDOW (e.window));
  e.controller = vital_scan_controller_new (e.window, settings, &options);
  g_assert_true (vital_scan_controller_start_preview (e.controller, &error));
  g_assert_no_error (error);
  g_assert_true (vital_scan_controller_get_using_demo (e.controller));

  g_assert_true (app_test_wait (has_frame, &e, 20000));
  /* the live view says what it shows */
  g_assert_cmpstr (vital_window_get_demo_notice (e.window), ==,
                   "Showing the demo subject, not a camera");
  g_assert_null (strstr (vital_window_get_progress_text (e.window), "Look at the camera"));
  app_test_iterate (500);
  app_test_screenshot (GTK_WIDGET (e.window), "idle.png", &error);
  g_assert_no_error (error);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.window), "win.scan", NULL));
  g_assert_true (vital_scan_controller_get_busy (e.controller));
  /* generous bounds: under ASan and load the pipeline runs slower than real time */
  g_assert_true (app_test_wait (halfway, &e, (guint) (SCAN_SECONDS * 1000 * 8)));
  app_test_screenshot (GTK_WIDGET (e.window), "scanning.png", &error);
  g_assert_no_error (error);

  g_assert_true (app_test_wait (finished, &e, 300000));
  if (g_strcmp0 (vital_window_get_page (e.window), "error") == 0)
    g_error ("scan failed: %s — %s", vital_window_get_error_title (e.window),
             vital_window_get_error_description (e.window));
  app_test_iterate (300);
  app_test_screenshot (GTK_WIDGET (e.window), "result.png", &error);
  g_assert_no_error (error);

  reading = vital_results_panel_get_reading (vital_window_get_results_panel (e.window));
  g_assert_nonnull (reading);
  g_assert_false (vital_reading_is_fallback (reading));
  hr = vital_reading_get_value (reading, VITAL_MEASURE_HEART_RATE);
  g_test_message ("demo %.1f bpm, measured %.1f bpm, confidence %.2f", demo.heart_rate_bpm, hr,
                  vital_reading_get_confidence (reading));
  g_assert_cmpfloat (fabs (hr - demo.heart_rate_bpm), <=, 3.0);
  g_assert_false (vital_scan_controller_get_busy (e.controller));

  /* a demo scan, and it says so on the result and in what it exports */
  g_assert_true (vital_reading_is_demo (reading));
  g_assert_nonnull (strstr (vital_results_panel_get_source_text (
                              vital_window_get_results_panel (e.window)), "demo subject"));
  {
    g_autofree char *json = vital_export_to_json (reading);
    g_autofree char *csv = vital_export_to_csv (&reading, 1);
    g_autofree char *row = vital_history_view_format_row (reading);

    g_assert_nonnull (strstr (json, "\"source\" : \"demo\""));
    g_assert_true (g_str_has_suffix (csv, ",demo\r\n"));
    g_assert_true (g_str_has_prefix (row, "Demo scan · "));
  }

  /* The on-device server's sessions are not listed: the local history is the place for
   * results measured on this device (the remote server's list is tested in test-history). */
  {
    VitalHistoryView *hv = vital_window_get_history_view (e.window);

    g_assert_false (vital_history_view_get_server_visible (hv));
    g_assert_false (vital_history_view_is_loading (hv));
    g_assert_cmpuint (vital_history_view_get_n_server_rows (hv), ==, 0);
  }

  g_clear_object (&e.controller);
  gtk_window_destroy (GTK_WINDOW (e.window));
  g_object_unref (e.window);
  app_test_iterate (50);
}

static void
test_video_file (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  VitalScanControllerOptions options = { .force_demo = TRUE };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vitalscan-video-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "subject.webm", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  VitalDemoSettings demo;
  VitalReading *reading;
  double hr;
  E2E e;

  /* a recorded video of the demo subject (the capture's own tests validate this setting) */
  vital_demo_settings_init (&demo);
  demo.realtime = FALSE;
  demo.duration_s = 20.0;
  g_assert_no_error (error);
  g_assert_true (vital_demo_source_write_video (&demo, path, &error));
  g_assert_no_error (error);

  e.window = g_object_ref_sink (vital_window_new (NULL, FALSE));
  gtk_window_present (GTK_WINDOW (e.window));
  e.controller = vital_scan_controller_new (e.window, settings, &options);
  g_signal_emit_by_name (e.window, "open-video", file);
  g_assert_true (vital_scan_controller_get_busy (e.controller));
  g_assert_cmpstr (vital_window_get_page (e.window), ==, "processing");
  g_assert_cmpstr (vital_window_get_processing_text (e.window), ==,
                   "Reading “subject.webm”…");
  /* reading shows how far it is, against the video's length */
  g_assert_true (app_test_wait (read_partly, &e, 300000));
  g_test_message ("progress: %s (%.2f)", vital_window_get_processing_text (e.window),
                  vital_window_get_processing_fraction (e.window));
  g_assert_true (app_test_wait (finished, &e, 300000));
  if (g_strcmp0 (vital_window_get_page (e.window), "error") == 0)
    g_error ("video failed: %s — %s", vital_window_get_error_title (e.window),
             vital_window_get_error_description (e.window));
  reading = vital_results_panel_get_reading (vital_window_get_results_panel (e.window));
  hr = vital_reading_get_value (reading, VITAL_MEASURE_HEART_RATE);
  g_test_message ("video %.1f bpm, measured %.1f bpm", demo.heart_rate_bpm, hr);
  g_assert_cmpfloat (fabs (hr - demo.heart_rate_bpm), <=, 3.0);
  /* the result names its file, not the demo subject the preview shows */
  g_assert_cmpint (vital_reading_get_source (reading), ==, VITAL_READING_SOURCE_VIDEO);
  g_assert_cmpstr (vital_reading_get_source_name (reading), ==, "subject.webm");
  g_assert_cmpstr (vital_results_panel_get_source_text (vital_window_get_results_panel (e.window)),
                   ==, "From the video “subject.webm”");

  /* "again" after a video: the video or the camera, by those names; the video, clicked */
  {
    GtkWidget *again = vital_window_get_child (e.window, "read_video_button");
    GtkWidget *camera = vital_window_get_child (e.window, "new_scan_button");
    g_autoptr(VitalReading) first = g_object_ref (reading);

    g_assert_true (gtk_widget_get_visible (again));
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (camera)), ==, "Scan with _Camera");
    g_assert_true (app_test_can_use_input ());
    app_test_iterate (300);
    app_test_click (again);
    g_assert_true (app_test_wait (is_processing, &e, 10000));
    g_assert_true (app_test_wait (finished, &e, 300000));
    g_assert_cmpstr (vital_window_get_page (e.window), ==, "result");
    reading = vital_results_panel_get_reading (vital_window_get_results_panel (e.window));
    g_assert_true (reading != first);
    g_assert_cmpstr (vital_reading_get_source_name (reading), ==, "subject.webm");
  }

  /* a file that is not a video is explained, not crashed on */
  {
    g_autofree char *bogus = g_build_filename (dir, "notes.mp4", NULL);
    g_autoptr(GFile) bf = g_file_new_for_path (bogus);
    g_assert_true (g_file_set_contents (bogus, "not a video", -1, &error));
    vital_window_show_live (e.window);
    g_signal_emit_by_name (e.window, "open-video", bf);
    g_assert_true (app_test_wait (finished, &e, 60000));
    g_assert_cmpstr (vital_window_get_page (e.window), ==, "error");
    g_test_message ("bogus video: %s", vital_window_get_error_title (e.window));
    g_unlink (bogus);
  }

  g_clear_object (&e.controller);
  gtk_window_destroy (GTK_WINDOW (e.window));
  g_object_unref (e.window);
  app_test_iterate (50);
  g_unlink (path);
  g_rmdir (dir);
}

/* A kiosk shows every vital: it scans long enough to measure them, whatever the setting. */
static void
test_kiosk_scan_length (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  VitalScanControllerOptions options = { .force_demo = TRUE, .kiosk = TRUE };
  g_autoptr(GError) error = NULL;
  E2E e;

  g_settings_set_uint (settings, "scan-length", 15);
  e.window = g_object_ref_sink (vital_window_new (NULL, TRUE));
  gtk_window_present (GTK_WINDOW (e.window));
  e.controller = vital_scan_controller_new (e.window, settings, &options);
  g_assert_true (vital_scan_controller_start_preview (e.controller, &error));
  g_assert_no_error (error);
  g_assert_true (app_test_wait (has_frame, &e, 20000));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.window), "win.scan", NULL));
  g_test_message ("kiosk: %s", vital_window_get_progress_text (e.window));
  g_assert_true (g_str_has_prefix (vital_window_get_progress_text (e.window), "30 s left"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.window), "win.cancel", NULL));
  g_assert_true (app_test_wait (finished_or_live, &e, 20000));

  g_settings_set_uint (settings, "scan-length", 30);
  g_clear_object (&e.controller);
  gtk_window_destroy (GTK_WINDOW (e.window));
  g_object_unref (e.window);
  app_test_iterate (50);
}

int
main (int   argc,
      char *argv[])
{
  app_test_init (&argc, &argv);
  g_test_add_func ("/app/e2e/demo-scan", test_demo_scan);
  g_test_add_func ("/app/e2e/video-file", test_video_file);
  g_test_add_func ("/app/e2e/kiosk-scan-length", test_kiosk_scan_length);
  return g_test_run ();
}
