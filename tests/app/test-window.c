/* test-window.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the main window without a backend: page/action states, the demo subject said so on
 * the live view, camera view letterboxing and overlay, waveform, demographics opt-in, local
 * history on result, kiosk mode.
 */
#include "vital-config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>

#include "app-test-util.h"
#include "vital-client-error.h"
#include "vital-history-store.h"
#include "vital-window-private.h"

static char *data_home;

static void
count_cb (VitalWindow *window,
          guint       *count)
{
  (*count)++;
}

static VitalWindow *
new_window (gboolean kiosk)
{
  VitalWindow *w = g_object_ref_sink (vital_window_new (NULL, kiosk));

  gtk_window_set_default_size (GTK_WINDOW (w), 900, 640);
  gtk_window_present (GTK_WINDOW (w));
  app_test_iterate (50);
  return w;
}

static void
close_window (VitalWindow *w)
{
  gtk_window_destroy (GTK_WINDOW (w));
  g_object_unref (w);
  app_test_iterate (10);
}

static void
test_states (void)
{
  VitalWindow *w = new_window (FALSE);
  g_autoptr(VitalReading) r = app_test_reading (0.8, 72);
  guint starts = 0, cancels = 0;

  g_assert_true (vital_window_get_history_available (w));
  g_signal_connect (w, "start-scan", G_CALLBACK (count_cb), &starts);
  g_signal_connect (w, "cancel-scan", G_CALLBACK (count_cb), &cancels);
  g_assert_cmpstr (vital_window_get_page (w), ==, "live");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.scan", NULL));
  g_assert_cmpuint (starts, ==, 1);

  /* The preview's estimate before Start is nobody's heart rate: only a recording shows one. */
  vital_window_set_provisional_hr (w, 72);
  g_assert_cmpstr (vital_window_get_provisional_hr_text (w), ==, "— bpm");

  vital_window_set_scanning (w, TRUE);
  g_assert_cmpstr (vital_window_get_provisional_hr_text (w), ==, "— bpm");
  vital_window_set_provisional_hr (w, 72);
  g_assert_cmpstr (vital_window_get_provisional_hr_text (w), ==, "72 bpm");
  vital_window_set_scan_progress (w, 3.2, 15, 0.96);
  g_assert_cmpstr (vital_window_get_progress_text (w), ==, "12 s left · face 96 %");
  vital_window_set_scan_progress (w, 3.2, 15, NAN);
  g_assert_cmpstr (vital_window_get_progress_text (w), ==, "12 s left");
  /* while recording, a second scan cannot start but Cancel works */
  gtk_widget_activate_action (GTK_WIDGET (w), "win.scan", NULL);
  g_assert_cmpuint (starts, ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.cancel", NULL));
  g_assert_cmpuint (cancels, ==, 1);

  vital_window_show_processing (w, "Uploading the scan…", 0.5);
  g_assert_cmpstr (vital_window_get_page (w), ==, "processing");
  vital_window_show_result (w, r);
  /* a desktop's result stays until the user moves on */
  g_assert_null (vital_window_get_countdown (w));
  g_assert_cmpstr (vital_window_get_page (w), ==, "result");
  g_assert_true (vital_results_panel_get_reading (vital_window_get_results_panel (w)) == r);

  /* Scan Again goes back to the camera and starts */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.scan-again", NULL));
  g_assert_cmpstr (vital_window_get_page (w), ==, "live");
  g_assert_cmpuint (starts, ==, 2);
  g_assert_null (vital_results_panel_get_reading (vital_window_get_results_panel (w)));
  close_window (w);
}

static void
press_key (VitalWindow *w,
           const char  *key)
{
  app_test_press_key (GTK_WIDGET (w), key);
}

/* Shows a toast on the page on screen and fails if it lands on a control (with every scrolled
 * page at its end, so that no control can hide below it). */
static void
assert_toast_covers_no_control (VitalWindow *w,
                                const char  *page)
{
  GtkWidget *covered;

  app_test_scroll_to_end (GTK_WIDGET (w));
  app_test_iterate (100);
  vital_window_toast (w, "A toast long enough to span a narrow window from side to side");
  app_test_iterate (600);
  covered = app_test_control_under_toast (GTK_WIDGET (w));
  if (covered != NULL)
    g_error ("on the %s page a toast covers a %s \"%s\"", page, G_OBJECT_TYPE_NAME (covered),
             GTK_IS_BUTTON (covered) ? gtk_button_get_label (GTK_BUTTON (covered)) : "");
}

/* The page on screen fits 400 px (saved as @shot, unless NULL) and a toast there covers none
 * of its controls. */
static void
assert_page_fits_narrow (VitalWindow *w,
                         const char  *page,
                         const char  *shot)
{
  app_test_iterate (300);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (w)), <=, 400);
  if (shot != NULL)
    app_test_assert_screenshot (GTK_WIDGET (w), shot);
  assert_toast_covers_no_control (w, page);
}

/* At 400 px (a phone) every page fits: the window is not held wider by the live view's
 * controls, the result's cards or the error's buttons; and a toast sits where no control is
 * (not on the view switcher, the live view's controls, the result's or the error's buttons,
 * History's). */
static void
test_narrow (void)
{
  VitalWindow *w = g_object_ref_sink (vital_window_new (NULL, FALSE));
  g_autoptr(VitalReading) r = app_test_reading (0.3, 112);
  g_autoptr(GError) error = g_error_new_literal (VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_NETWORK,
                                                 "Could not connect: Connection refused");

  gtk_window_set_default_size (GTK_WINDOW (w), 400, 760);
  gtk_window_present (GTK_WINDOW (w));
  vital_window_set_preview (w, VITAL_PREVIEW_DEMO_NO_CAMERA);
  assert_page_fits_narrow (w, "live", "narrow-live.png");

  vital_window_show_processing (w, "Uploading…", 0.5);
  assert_page_fits_narrow (w, "processing", NULL);

  vital_reading_set_source (r, VITAL_READING_SOURCE_DEMO, NULL);
  vital_window_show_result (w, r);
  assert_page_fits_narrow (w, "result", "narrow-result.png");

  vital_window_show_error (w, error);
  assert_page_fits_narrow (w, "error", "narrow-error.png");

  adw_view_stack_set_visible_child_name (
    ADW_VIEW_STACK (vital_window_get_child (w, "view_stack")), "history");
  assert_page_fits_narrow (w, "history", NULL);
  close_window (w);
}

/* Busy indicators on screen under @widget: spinners, progress bars, status pages with an icon. */
static guint
count_busy_indicators (GtkWidget *widget)
{
  guint n;

  if (!gtk_widget_get_mapped (widget))
    return 0;
  n = GTK_IS_SPINNER (widget) || GTK_IS_PROGRESS_BAR (widget) ||
            (ADW_IS_STATUS_PAGE (widget) &&
             adw_status_page_get_icon_name (ADW_STATUS_PAGE (widget)) != NULL);

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    n += count_busy_indicators (c);
  return n;
}

/* The human interface guidelines: one busy indicator while processing, Cancel is not a
 * destructive action (nothing is lost that a new scan would not make again), and the result's
 * cards, which do nothing, are no focus stops. */
static void
test_hig (void)
{
  VitalWindow *w = g_object_ref_sink (vital_window_new (NULL, FALSE));
  GtkWidget *cancel = vital_window_get_child (w, "cancel_button");

  gtk_window_set_default_size (GTK_WINDOW (w), 400, 760);
  gtk_window_present (GTK_WINDOW (w));
  g_assert_nonnull (cancel);
  g_assert_false (gtk_widget_has_css_class (cancel, "destructive-action"));
  vital_window_show_processing (w, "Uploading…", NAN);
  app_test_iterate (200);
  g_assert_cmpuint (count_busy_indicators (GTK_WIDGET (w)), ==, 1);

  /* after a result, Tab goes from button to button: the six cards are no focus stops */
  {
    g_autoptr(VitalReading) r = app_test_reading (0.8, 72);

    vital_window_show_result (w, r);
    app_test_iterate (300);
    for (guint i = 0; i < 40; i++)
      {
        GtkWidget *focus;

        gtk_widget_child_focus (GTK_WIDGET (w), GTK_DIR_TAB_FORWARD);
        focus = gtk_window_get_focus (GTK_WINDOW (w));
        g_assert_false (focus != NULL && GTK_IS_FLOW_BOX_CHILD (focus));
      }
  }

  close_window (w);
}

static gboolean
is_live (gpointer data)
{
  return g_strcmp0 (vital_window_get_page (data), "live") == 0;
}

static void
video_cb (VitalWindow  *w,
          GFile        *file,
          GFile       **out)
{
  g_set_object (out, file);
}

typedef struct
{
  guint *count;
  guint  expected;
} Count;

static gboolean
count_reached (gpointer data)
{
  Count *c = data;
  return *c->count >= c->expected;
}

static void
test_keyboard (void)
{
  VitalWindow *w;
  guint starts = 0, cancels = 0;

  if (!app_test_can_use_input ())
    return;

  w = new_window (FALSE);
  g_signal_connect (w, "start-scan", G_CALLBACK (count_cb), &starts);
  g_signal_connect (w, "cancel-scan", G_CALLBACK (count_cb), &cancels);
  app_test_iterate (200);

  press_key (w, "space");
  g_assert_true (app_test_wait (count_reached, &(Count) { &starts, 1 }, 5000));
  g_assert_cmpuint (starts, ==, 1);

  /* Recording: Escape cancels, and Space does not start a second scan. */
  vital_window_set_scanning (w, TRUE);
  press_key (w, "space");
  press_key (w, "Escape");
  g_assert_true (app_test_wait (count_reached, &(Count) { &cancels, 1 }, 5000));
  g_assert_cmpuint (starts, ==, 1);

  /* Back on the camera view with nothing focused (the window's own bindings, not the focused
   * Start button's): Enter, the keypad's Enter and Space start a scan too. */
  vital_window_set_scanning (w, FALSE);
  vital_window_show_live (w);
  gtk_window_set_focus (GTK_WINDOW (w), NULL);
  app_test_iterate (100);

  press_key (w, "Return");
  g_assert_true (app_test_wait (count_reached, &(Count) { &starts, 2 }, 5000));
  press_key (w, "KP_Enter");
  g_assert_true (app_test_wait (count_reached, &(Count) { &starts, 3 }, 5000));
  press_key (w, "space");
  g_assert_true (app_test_wait (count_reached, &(Count) { &starts, 4 }, 5000));

  /* On the result page the keys belong to the result, not to a new scan. */
  {
    g_autoptr(VitalReading) r = app_test_reading (0.8, 72);

    vital_window_show_result (w, r);
    gtk_window_set_focus (GTK_WINDOW (w), NULL);
    press_key (w, "space");
    press_key (w, "Return");
    app_test_iterate (200);
  }
  g_assert_cmpuint (starts, ==, 4);

  /* Escape leaves an error page for the camera view (it only cancelled scans before). */
  {
    g_autoptr(GError) error = g_error_new_literal (VITAL_CLIENT_ERROR,
                                                   VITAL_CLIENT_ERROR_PROCESSING_FAILED, "x");

    vital_window_show_error (w, error);
    g_assert_cmpstr (vital_window_get_page (w), ==, "error");
    press_key (w, "Escape");
    g_assert_true (app_test_wait (is_live, w, 5000));
  }
  g_assert_cmpuint (cancels, ==, 1);
  close_window (w);
}

/* The demo subject is never passed off as the person in front of the camera. */
static void
test_demo_preview (void)
{
  VitalWindow *w = new_window (FALSE);
  VitalWindow *kiosk;
  GtkWidget *choose = vital_window_get_child (w, "choose_camera_button");

  g_assert_null (vital_window_get_demo_notice (w));
  g_assert_cmpstr (vital_window_get_progress_text (w), ==,
                   "Look at the camera and press Start Scan.");

  vital_window_set_preview (w, VITAL_PREVIEW_DEMO_NO_CAMERA);
  g_assert_cmpstr (vital_window_get_demo_notice (w), ==,
                   "No camera found — showing the demo subject");
  g_assert_null (strstr (vital_window_get_progress_text (w), "Look at the camera"));
  g_assert_nonnull (strstr (vital_window_get_progress_text (w), "demo subject"));
  /* A way out: the camera choice in Preferences. */
  g_assert_true (gtk_widget_get_visible (choose));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (choose)), ==,
                   "app.choose-camera");

  /* Recording the demo subject does not ask anybody to hold still. */
  vital_window_set_scanning (w, TRUE);
  g_assert_null (strstr (vital_window_get_progress_text (w), "camera"));
  g_assert_nonnull (vital_window_get_demo_notice (w));
  vital_window_set_scanning (w, FALSE);
  g_assert_null (strstr (vital_window_get_progress_text (w), "Look at the camera"));

  vital_window_set_preview (w, VITAL_PREVIEW_DEMO_CHOSEN);
  g_assert_cmpstr (vital_window_get_demo_notice (w), ==, "Showing the demo subject, not a camera");

  vital_window_set_preview (w, VITAL_PREVIEW_CAMERA);
  g_assert_null (vital_window_get_demo_notice (w));
  g_assert_cmpstr (vital_window_get_progress_text (w), ==,
                   "Look at the camera and press Start Scan.");
  close_window (w);

  /* A kiosk says it too, without the way to Preferences it does not have. */
  kiosk = new_window (TRUE);
  vital_window_set_preview (kiosk, VITAL_PREVIEW_DEMO_NO_CAMERA);
  g_assert_nonnull (vital_window_get_demo_notice (kiosk));
  choose = vital_window_get_child (kiosk, "choose_camera_button");
  g_assert_false (gtk_widget_get_visible (choose));
  close_window (kiosk);
}

static void
test_camera_view (void)
{
  GtkWidget *win = gtk_window_new ();
  VitalCameraView *view = VITAL_CAMERA_VIEW (vital_camera_view_new ());
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pixels = NULL;
  g_autoptr(GBytes) short_pixels = NULL;
  graphene_rect_t rect, face, regions[4];
  guint8 *buf = g_malloc (640 * 480 * 4);

  for (gsize i = 0; i < 640 * 480; i++)
    {
      buf[i * 4 + 0] = (guint8) (i % 640 * 255 / 640);
      buf[i * 4 + 1] = 90;
      buf[i * 4 + 2] = (guint8) (i / 640 * 255 / 480);
      buf[i * 4 + 3] = 255;
    }
  pixels = g_bytes_new_take (buf, 640 * 480 * 4);
  gtk_window_set_default_size (GTK_WINDOW (win), 800, 400);
  gtk_window_set_resizable (GTK_WINDOW (win), FALSE);
  gtk_window_set_child (GTK_WINDOW (win), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (win));
  app_test_iterate (50);

  g_assert_false (vital_camera_view_get_display_rect (view, &rect));
  g_assert_true (vital_camera_view_push_frame (view, pixels, 640, 480, 640 * 4,
                                               GDK_MEMORY_R8G8B8A8, &error));
  g_assert_no_error (error);
  app_test_iterate (100);
  g_assert_true (vital_camera_view_get_display_rect (view, &rect));
  {
    /* letterboxed: the frame keeps 4:3, fills one dimension and is centred in the other */
    double w = gtk_widget_get_width (GTK_WIDGET (view));
    double h = gtk_widget_get_height (GTK_WIDGET (view));
    double scale = MIN (w / 640.0, h / 480.0);
    g_test_message ("camera view %.0f×%.0f", w, h);
    g_assert_cmpfloat (w, >, h * 4 / 3 + 10);   /* wider than 4:3: pillarbox */
    g_assert_cmpfloat_with_epsilon (rect.size.height, h, 0.01);
    g_assert_cmpfloat_with_epsilon (rect.size.width, 640 * scale, 0.01);
    g_assert_cmpfloat_with_epsilon (rect.origin.x, (w - 640 * scale) / 2, 0.01);
    g_assert_cmpfloat_with_epsilon (rect.origin.y, 0, 0.01);
  }
  g_assert_cmpuint (vital_camera_view_get_frames_drawn (view), >=, 1);

  graphene_rect_init (&face, 220, 120, 200, 240);
  for (int i = 0; i < 4; i++)
    graphene_rect_init (&regions[i], 230 + 40 * i, 140, 30, 30);
  vital_camera_view_set_face (view, VITAL_TRACK_GOOD, &face, regions, 4);
  g_assert_cmpint (vital_camera_view_get_track_state (view), ==, VITAL_TRACK_GOOD);
  vital_camera_view_set_face (view, VITAL_TRACK_GOOD, NULL, NULL, 0);
  g_assert_cmpint (vital_camera_view_get_track_state (view), ==, VITAL_TRACK_NONE);
  vital_camera_view_set_face (view, VITAL_TRACK_POOR, &face, regions, 4);
  app_test_iterate (50);
  app_test_screenshot (win, "camera-view.png", &error);
  g_assert_no_error (error);

  /* buffers too small for the geometry, odd strides and formats are refused */
  short_pixels = g_bytes_new_static (buf, 100);
  g_assert_false (vital_camera_view_push_frame (view, short_pixels, 640, 480, 640 * 4,
                                                GDK_MEMORY_R8G8B8A8, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_false (vital_camera_view_push_frame (view, pixels, 640, 480, 100,
                                                GDK_MEMORY_R8G8B8A8, &error));
  g_clear_error (&error);
  g_assert_false (vital_camera_view_push_frame (view, pixels, 0, 480, 640 * 4,
                                                GDK_MEMORY_R8G8B8A8, &error));
  g_clear_error (&error);
  g_assert_false (vital_camera_view_push_frame (view, pixels, 640, 480, 640 * 4,
                                                GDK_MEMORY_R16G16B16, &error));
  g_clear_error (&error);
  vital_camera_view_clear (view);
  g_assert_null (vital_camera_view_get_texture (view));
  g_clear_pointer (&short_pixels, g_bytes_unref);
  gtk_window_destroy (GTK_WINDOW (win));
}

static void
test_waveform (void)
{
  VitalWaveform *wave = g_object_ref_sink (VITAL_WAVEFORM (vital_waveform_new (100)));
  float samples[250];

  for (int i = 0; i < 250; i++)
    samples[i] = sinf (i * 0.2f);
  vital_waveform_push_samples (wave, samples, 30);
  g_assert_cmpuint (vital_waveform_get_n_samples (wave), ==, 30);
  vital_waveform_push_samples (wave, samples, 250);
  g_assert_cmpuint (vital_waveform_get_n_samples (wave), ==, 100);
  vital_waveform_set_samples (wave, samples, 10);
  g_assert_cmpuint (vital_waveform_get_n_samples (wave), ==, 10);
  vital_waveform_clear (wave);
  g_assert_cmpuint (vital_waveform_get_n_samples (wave), ==, 0);
  g_object_unref (wave);
}

static void
test_demographics (void)
{
  VitalWindow *w = new_window (FALSE);
  VitalDemographics d;

  g_assert_false (vital_window_get_demographics (w, &d));
  g_assert_cmpint (d.age, ==, 0);
  g_assert_cmpint (d.fitzpatrick, ==, 0);
  close_window (w);
}

static void
test_local_history (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  g_autoptr(VitalReading) r = app_test_reading (0.8, 72);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = vital_history_store_default_path ();
  g_autoptr(VitalHistoryStore) store = NULL;
  VitalWindow *w;

  g_assert_true (g_str_has_prefix (path, data_home));
  g_settings_set_boolean (settings, "keep-local-history", TRUE);
  w = new_window (FALSE);
  vital_window_show_result (w, r);
  vital_window_show_result (w, r);
  close_window (w);

  store = vital_history_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vital_history_store_count (store, &error), ==, 2);

  /* Kiosk mode keeps nothing even with local history on. */
  w = new_window (TRUE);
  vital_window_show_result (w, r);
  close_window (w);
  g_assert_cmpint (vital_history_store_count (store, &error), ==, 2);
  g_assert_true (vital_history_store_clear (store, &error));
  g_settings_set_boolean (settings, "keep-local-history", FALSE);
}

/* Waits for the file chooser, lets it list its folder (closed while listing, it leaves an
 * error dialog behind), and presses Escape in it. */
static void
close_file_chooser (void)
{
  gpointer type = GSIZE_TO_POINTER (GTK_TYPE_FILE_CHOOSER);

  g_assert_true (app_test_wait (app_test_window_shown, type, 10000));
  app_test_iterate (1000);
  app_test_press_key (GTK_WIDGET (app_test_find_window (GTK_TYPE_FILE_CHOOSER)), "Escape");
  g_assert_true (app_test_wait (app_test_window_gone, type, 10000));
}

/* After a video, the result names it and offers to read it again or to scan with the camera,
 * by those names; Open Video (Ctrl+O, pressed for real) works from the result page. */
static void
test_video_result (void)
{
  g_autoptr(VitalReading) r = app_test_reading (0.8, 72);
  g_autoptr(GFile) clip = g_file_new_for_path ("/tmp/clip.mp4");
  g_autoptr(GFile) opened = NULL;
  VitalWindow *w;
  GtkWidget *again, *camera;

  if (!app_test_can_use_input ())
    return;
  w = new_window (FALSE);
  g_signal_emit_by_name (w, "open-video", clip);
  vital_reading_set_source (r, VITAL_READING_SOURCE_VIDEO, "clip.mp4");
  vital_window_show_result (w, r);
  app_test_iterate (200);

  again = vital_window_get_child (w, "read_video_button");
  camera = vital_window_get_child (w, "new_scan_button");
  g_assert_true (gtk_widget_get_visible (again));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (camera)), ==, "Scan with _Camera");
  g_assert_false (vital_results_panel_get_scan_again_visible (vital_window_get_results_panel (w)));
  g_signal_connect (w, "open-video", G_CALLBACK (video_cb), &opened);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.read-video-again", NULL));
  g_assert_nonnull (opened);
  g_assert_true (g_file_equal (opened, clip));

  /* Ctrl+O on the result page opens the file chooser */
  vital_window_show_result (w, r);
  gtk_window_set_focus (GTK_WINDOW (w), NULL);
  if (app_test_can_open_file_chooser ())
    {
      app_test_press_key (GTK_WIDGET (w), "ctrl+o");
      close_file_chooser ();
    }

  /* a camera result: one button, "New Scan" */
  vital_reading_set_source (r, VITAL_READING_SOURCE_CAMERA, NULL);
  vital_window_show_result (w, r);
  g_assert_false (gtk_widget_get_visible (again));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (camera)), ==, "_New Scan");
  close_window (w);
}

typedef struct
{
  VitalWindow *window;
  const char  *text;
} Countdown;

static gboolean
countdown_is (gpointer data)
{
  Countdown *c = data;
  return g_strcmp0 (vital_window_get_countdown (c->window), c->text) == 0;
}

static gboolean
has_toast (gpointer data)
{
  return vital_window_get_last_toast (data) != NULL;
}

/* Ctrl+E offers the save dialog; saving a report where it cannot be written is said in a toast
 * and the result stays; it can then be saved elsewhere. The dialog's own typing is GTK's: the
 * test answers it through the window's save hook. */
static void
test_export_error (void)
{
  g_autoptr(VitalReading) r = app_test_reading (0.8, 72);
  g_autoptr(GFile) unwritable = g_file_new_for_path ("/sys/report.json");
  g_autofree char *dir = g_dir_make_tmp ("vitalscan-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "report.json", NULL);
  g_autoptr(GFile) writable = g_file_new_for_path (path);
  VitalWindow *w;

  if (!app_test_can_use_input ())
    return;
  w = new_window (FALSE);
  vital_window_show_result (w, r);
  app_test_iterate (200);

  if (app_test_can_open_file_chooser ())
    {
      app_test_press_key (GTK_WIDGET (w), "ctrl+e");
      close_file_chooser ();
    }

  /* sysfs takes no new files, not even from root (and, unlike /proc, can be listed) */
  vital_window_export_to_file (w, VITAL_EXPORT_JSON, unwritable);
  g_assert_true (app_test_wait (has_toast, w, 10000));
  g_test_message ("toast: %s", vital_window_get_last_toast (w));
  g_assert_true (g_str_has_prefix (vital_window_get_last_toast (w),
                                   "The result could not be exported: "));
  g_assert_cmpstr (vital_window_get_page (w), ==, "result");
  g_assert_true (vital_results_panel_get_reading (vital_window_get_results_panel (w)) == r);

  /* and it can still be exported, elsewhere */
  vital_window_export_to_file (w, VITAL_EXPORT_JSON, writable);
  g_assert_cmpstr (vital_window_get_last_toast (w), ==, "Result exported");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  /* the next save dialog opens in the folder of this export */
  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.vitalscan.Vitalscan");
    g_autofree char *kept = g_settings_get_string (settings, "export-folder");

    g_assert_cmpstr (kept, ==, dir);
    if (app_test_can_open_file_chooser ())
      {
        g_autoptr(GFile) folder = NULL;
        g_autofree char *shown = NULL;

        app_test_press_key (GTK_WIDGET (w), "ctrl+e");
        g_assert_true (app_test_wait (app_test_window_shown,
                                      GSIZE_TO_POINTER (GTK_TYPE_FILE_CHOOSER), 10000));
        app_test_iterate (1000);
        folder = gtk_file_chooser_get_current_folder (
          GTK_FILE_CHOOSER (app_test_find_window (GTK_TYPE_FILE_CHOOSER)));
        shown = folder != NULL ? g_file_get_path (folder) : NULL;
        g_assert_cmpstr (shown, ==, dir);
        close_file_chooser ();
      }
    g_settings_reset (settings, "export-folder");
  }
  g_unlink (path);
  g_rmdir (dir);
  close_window (w);
}

static gboolean
subject_typed (gpointer data)
{
  return g_strcmp0 (vital_reading_get_subject_id (data), "MRN-0042") == 0;
}

/* The subject identifier is typed on the result page (for real, key by key), kept with that
 * result and written into its exports, FHIR included; the next result starts without it. */
static void
test_subject_export (void)
{
  g_autoptr(VitalReading) r = app_test_reading (0.8, 72);
  g_autoptr(VitalReading) next = app_test_reading (0.8, 66);
  g_autofree char *dir = g_dir_make_tmp ("vitalscan-export-XXXXXX", NULL);
  g_autofree char *fhir_path = g_build_filename (dir, "result.fhir.json", NULL);
  g_autofree char *json_path = g_build_filename (dir, "result.json", NULL);
  g_autoptr(GFile) fhir_file = g_file_new_for_path (fhir_path);
  g_autoptr(GFile) json_file = g_file_new_for_path (json_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *fhir = NULL;
  g_autofree char *json = NULL;
  VitalSubjectRow *row;
  VitalWindow *w;

  if (!app_test_can_use_input ())
    return;
  w = new_window (FALSE);
  row = VITAL_SUBJECT_ROW (vital_window_get_child (w, "subject_row"));
  vital_window_show_result (w, r);
  app_test_iterate (200);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row)));
  g_assert_cmpstr (gtk_editable_get_text (vital_subject_row_get_entry (row)), ==, "");
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (vital_subject_row_get_entry (row))));
  app_test_iterate (100);
  app_test_type (GTK_WIDGET (w), "MRN-0042");
  g_assert_true (app_test_wait (subject_typed, r, 10000));
  app_test_iterate (100);
  app_test_screenshot (GTK_WIDGET (w), "result-subject.png", &error);
  g_assert_no_error (error);

  vital_window_export_to_file (w, VITAL_EXPORT_FHIR, fhir_file);
  g_assert_cmpstr (vital_window_get_last_toast (w), ==, "Result exported");
  g_assert_true (g_file_get_contents (fhir_path, &fhir, NULL, &error));
  g_assert_nonnull (strstr (fhir, "\"resourceType\": \"Bundle\""));
  g_assert_nonnull (strstr (fhir, "\"value\": \"MRN-0042\""));
  g_assert_nonnull (strstr (fhir, "\"code\": \"8867-4\""));
  vital_window_export_to_file (w, VITAL_EXPORT_JSON, json_file);
  g_assert_true (g_file_get_contents (json_path, &json, NULL, &error));
  g_assert_nonnull (strstr (json, "\"subject_id\": \"MRN-0042\""));

  /* the export menu offers FHIR (GTK's save dialog is not opened under ASan: it leaks) */
  if (app_test_can_open_file_chooser ())
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.export", "s", "fhir"));
      close_file_chooser ();
    }

  /* a new result is somebody's until said otherwise: it starts without an identifier */
  vital_window_show_result (w, next);
  app_test_iterate (100);
  g_assert_cmpstr (gtk_editable_get_text (vital_subject_row_get_entry (row)), ==, "");
  g_assert_null (vital_reading_get_subject_id (next));
  g_assert_cmpstr (vital_reading_get_subject_id (r), ==, "MRN-0042");

  g_unlink (fhir_path);
  g_unlink (json_path);
  g_rmdir (dir);
  close_window (w);
}

static void
test_kiosk (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  g_autoptr(VitalReading) r = app_test_reading (0.8, 72);
  g_autoptr(GError) error = NULL;
  VitalWindow *w;
  gint64 start;

  g_settings_set_uint (settings, "kiosk-reset-seconds", 5);
  w = new_window (TRUE);
  g_assert_true (vital_window_get_kiosk (w));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (w), "kiosk"));
  /* No history, menu (preferences) or export in kiosk mode. */
  g_assert_false (vital_window_get_history_available (w));

  /* auto reset to the camera view after the configured delay (bounded wait), counted down on
   * screen second by second */
  start = g_get_monotonic_time ();
  vital_window_show_result (w, r);
  g_assert_cmpstr (vital_window_get_page (w), ==, "result");
  g_assert_cmpstr (vital_window_get_countdown (w), ==, "Back to the start in 5 s");
  /* nor a subject identifier: a booth exports nothing */
  g_assert_false (gtk_widget_get_visible (vital_window_get_child (w, "subject_row")));
  app_test_iterate (300);
  app_test_screenshot (GTK_WIDGET (w), "kiosk-result.png", &error);
  g_assert_no_error (error);
  {
    /* in view, not below six cards at the end of the scrolled result */
    GtkWidget *label = vital_window_get_child (w, "countdown_label");
    graphene_rect_t bounds;

    g_assert_true (gtk_widget_compute_bounds (label, GTK_WIDGET (w), &bounds));
    g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                       gtk_widget_get_height (GTK_WIDGET (w)));
  }
  g_assert_true (app_test_wait (countdown_is, &(Countdown) { w, "Back to the start in 3 s" },
                                10000));
  g_assert_true (app_test_wait (is_live, w, 10000));
  /* not before its time */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 4 * G_USEC_PER_SEC);
  g_assert_null (vital_results_panel_get_reading (vital_window_get_results_panel (w)));
  g_assert_null (vital_window_get_countdown (w));
  close_window (w);
}

/* Before Start, a booth says what to do and what happens to the scan; a desktop does not. */
static void
test_kiosk_idle_screen (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  g_autoptr(GError) error = NULL;
  g_autofree char *idle = NULL;
  g_autofree char *scanning = NULL;
  g_autofree char *desktop = NULL;
  VitalWindow *w;

  g_settings_set_uint (settings, "kiosk-reset-seconds", 20);
  w = new_window (TRUE);
  vital_window_set_preview (w, VITAL_PREVIEW_DEMO_CHOSEN);
  idle = vital_window_get_idle_screen (w);
  g_assert_nonnull (idle);
  g_test_message ("idle screen: %s", idle);
  g_assert_nonnull (strstr (idle, "Press Start Scan"));
  g_assert_nonnull (strstr (idle, "Nothing is kept"));
  g_assert_nonnull (strstr (idle, "cleared after 20 s"));
  app_test_iterate (300);
  app_test_screenshot (GTK_WIDGET (w), "kiosk-idle.png", &error);
  g_assert_no_error (error);
  /* out of the way while the visitor is scanned, back after */
  vital_window_set_scanning (w, TRUE);
  scanning = vital_window_get_idle_screen (w);
  g_assert_null (scanning);
  vital_window_show_live (w);
  g_clear_pointer (&idle, g_free);
  idle = vital_window_get_idle_screen (w);
  g_assert_nonnull (idle);
  close_window (w);

  w = new_window (FALSE);
  desktop = vital_window_get_idle_screen (w);
  g_assert_null (desktop);
  close_window (w);
}

static GtkWidget *
find_with_class (GtkWidget  *widget,
                 const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_with_class (c, css_class);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The heart rate's value label's height as a window shows it. */
static int
value_height (gboolean kiosk)
{
  g_autoptr(VitalReading) r = app_test_reading (0.8, 72);
  VitalWindow *w = new_window (kiosk);
  GtkWidget *card, *value;
  int height;

  vital_window_show_result (w, r);
  app_test_iterate (200);
  card = GTK_WIDGET (vital_results_panel_get_card (vital_window_get_results_panel (w),
                                                   VITAL_MEASURE_HEART_RATE));
  value = find_with_class (card, "title-1");
  g_assert_nonnull (value);
  gtk_widget_measure (value, GTK_ORIENTATION_VERTICAL, -1, NULL, &height, NULL, NULL);
  close_window (w);
  return height;
}

/* Large type makes the values large, not only the text around them. */
static void
test_kiosk_large_values (void)
{
  int desktop = value_height (FALSE);
  int kiosk = value_height (TRUE);

  g_test_message ("value height: desktop %d px, kiosk %d px", desktop, kiosk);
  g_assert_cmpfloat ((double) kiosk / desktop, >=, 1.35);
}

static gboolean
is_hidden (gpointer data)
{
  return !gtk_widget_get_visible (data);
}

/* A booth's window has no close button and refuses to close (Alt+F4, a window manager); the
 * administrator's Ctrl+Shift+Alt+Q, pressed for real, closes it. */
static void
test_kiosk_exit (void)
{
  VitalWindow *w;
  GtkWidget *header;

  if (!app_test_can_use_input ())
    return;
  w = new_window (TRUE);
  header = vital_window_get_child (w, "header_bar");
  g_assert_false (adw_header_bar_get_show_end_title_buttons (ADW_HEADER_BAR (header)));
  g_assert_false (adw_header_bar_get_show_start_title_buttons (ADW_HEADER_BAR (header)));

  gtk_window_close (GTK_WINDOW (w));
  app_test_iterate (200);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (w)));
  press_key (w, "ctrl+q");
  press_key (w, "Escape");
  app_test_iterate (200);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (w)));

  press_key (w, "ctrl+shift+alt+q");
  g_assert_true (app_test_wait (is_hidden, w, 5000));
  g_object_unref (w);
  app_test_iterate (10);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  data_home = g_dir_make_tmp ("vitalscan-data-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  app_test_init (&argc, &argv);

  g_test_add_func ("/app/window/states", test_states);
  g_test_add_func ("/app/window/keyboard", test_keyboard);
  g_test_add_func ("/app/window/demo-preview", test_demo_preview);
  g_test_add_func ("/app/window/camera-view", test_camera_view);
  g_test_add_func ("/app/window/waveform", test_waveform);
  g_test_add_func ("/app/window/demographics-opt-in", test_demographics);
  g_test_add_func ("/app/window/local-history", test_local_history);
  g_test_add_func ("/app/window/export-error-keeps-result", test_export_error);
  g_test_add_func ("/app/window/subject-and-fhir-export", test_subject_export);
  g_test_add_func ("/app/window/video-result", test_video_result);
  g_test_add_func ("/app/window/kiosk", test_kiosk);
  g_test_add_func ("/app/window/kiosk-idle-screen", test_kiosk_idle_screen);
  g_test_add_func ("/app/window/kiosk-large-values", test_kiosk_large_values);
  g_test_add_func ("/app/window/kiosk-exit", test_kiosk_exit);
  g_test_add_func ("/app/window/narrow", test_narrow);
  g_test_add_func ("/app/window/hig", test_hig);

  ret = g_test_run ();
  {
    g_autofree char *db = g_build_filename (data_home, "vitalscan", "history.db", NULL);
    g_autofree char *sub = g_build_filename (data_home, "vitalscan", NULL);
    g_unlink (db);
    g_rmdir (sub);
    g_rmdir (data_home);
  }
  g_free (data_home);
  return ret;
}
