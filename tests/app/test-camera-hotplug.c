/* test-camera-hotplug.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The app follows cameras as they are plugged in and out (a fake device provider stands in for
 * udev): the preview switches from the demo subject to a new camera and back, Preferences lists
 * the cameras live, the camera setting switches the source, and nothing switches mid-recording.
 */
#include "vital-config.h"

#include <adwaita.h>

#include "app-test-util.h"
#include "fake-camera.h"
#include "vital-camera-monitor.h"
#include "vital-preferences-window.h"
#include "vital-scan-controller.h"

typedef struct
{
  VitalWindow         *window;
  VitalScanController *controller;
  GSettings           *settings;
} Fixture;

static gboolean
on_demo (gpointer data)
{
  Fixture *f = data;
  return vital_scan_controller_get_using_demo (f->controller);
}

static gboolean
on_camera (gpointer data)
{
  Fixture *f = data;
  return !vital_scan_controller_get_using_demo (f->controller);
}

/* The preview shows frames from the source now running. */
static gboolean
has_texture (gpointer data)
{
  Fixture *f = data;
  return vital_camera_view_get_texture (vital_window_get_camera_view (f->window)) != NULL;
}

static gboolean
is_scanning (gpointer data)
{
  VitalCapture *capture = data;
  return vital_capture_is_scanning (capture);
}

static gboolean
page_is_live (gpointer data)
{
  Fixture *f = data;
  return g_strcmp0 (vital_window_get_page (f->window), "live") == 0;
}

typedef struct
{
  VitalScanController *controller;
  const char          *id;
} Source;

static gboolean
source_is (gpointer data)
{
  Source *s = data;
  return g_strcmp0 (vital_scan_controller_get_source_id (s->controller), s->id) == 0;
}

static GListModel *
camera_choices (GtkWidget *prefs)
{
  GObject *row = gtk_widget_get_template_child (prefs, VITAL_TYPE_PREFERENCES_WINDOW,
                                                "camera_row");

  g_assert_nonnull (row);
  return adw_combo_row_get_model (ADW_COMBO_ROW (row));
}

static gboolean
lists_camera (GListModel *choices,
              const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (choices); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (choices), i), name) == 0)
      return TRUE;
  return FALSE;
}

/* Iterates until Preferences offers @n cameras (at most 5 s). */
static gboolean
wait_for_choices (GListModel *choices,
                  guint       n)
{
  return app_test_wait (fake_camera_count_reached, &(FakeCameraCount) { choices, n }, 5000);
}

static void
test_hotplug (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstDeviceProvider) provider = fake_camera_provider_get ();
  g_autoptr(VitalCameraMonitor) real = vital_camera_monitor_new (&error);
  VitalScanControllerOptions options = { .scan_seconds = 30 };
  GtkWidget *prefs;
  GListModel *choices;
  VitalCapture *recording;
  GstDevice *desk, *lab;
  Fixture f;

  g_assert_no_error (error);
  if (g_list_model_get_n_items (G_LIST_MODEL (real)) > 0)
    {
      g_test_skip ("this machine has a real camera; the test needs to start without one");
      return;
    }
  g_clear_object (&real);

  f.settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  g_settings_set_string (f.settings, "backend", "local");
  g_settings_set_string (f.settings, "camera", "");
  f.window = g_object_ref_sink (vital_window_new (NULL, FALSE));
  gtk_window_present (GTK_WINDOW (f.window));
  f.controller = vital_scan_controller_new (f.window, f.settings, &options);
  g_assert_true (vital_scan_controller_start_preview (f.controller, &error));
  g_assert_no_error (error);

  /* No camera: the demo subject, and Preferences offers only Automatic and Demo. */
  g_assert_true (vital_scan_controller_get_using_demo (f.controller));
  prefs = vital_preferences_window_new (GTK_WINDOW (f.window), f.settings);
  vital_scan_controller_attach_preferences (f.controller, VITAL_PREFERENCES_WINDOW (prefs));
  choices = camera_choices (prefs);
  g_assert_cmpuint (g_list_model_get_n_items (choices), ==, 2);

  /* A camera is plugged in: Automatic switches the preview to it, Preferences lists it. */
  desk = fake_camera_plug ("Desk Camera");
  g_assert_true (app_test_wait (on_camera, &f, 10000));
  g_assert_cmpstr (vital_scan_controller_get_source_id (f.controller), ==, "Desk Camera");
  g_assert_true (app_test_wait (has_texture, &f, 10000));
  g_assert_true (wait_for_choices (choices, 3));
  g_assert_true (lists_camera (choices, "Desk Camera"));

  /* The camera setting switches the source, both ways. */
  g_settings_set_string (f.settings, "camera", "demo");
  g_assert_true (app_test_wait (on_demo, &f, 10000));
  g_settings_set_string (f.settings, "camera", "");
  g_assert_true (app_test_wait (on_camera, &f, 10000));

  /* Nothing switches during a recording: the choice applies right after it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.scan", NULL));
  recording = vital_scan_controller_get_capture (f.controller);
  g_assert_true (app_test_wait (is_scanning, recording, 10000));
  lab = fake_camera_plug ("Lab Camera");
  g_assert_true (wait_for_choices (choices, 4));
  g_settings_set_string (f.settings, "camera", "Lab Camera");
  app_test_iterate (300);
  g_assert_true (vital_scan_controller_get_capture (f.controller) == recording);
  g_assert_cmpstr (vital_scan_controller_get_source_id (f.controller), ==, "Desk Camera");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.cancel", NULL));
  g_assert_true (app_test_wait (page_is_live, &f, 10000));
  g_assert_true (app_test_wait (source_is, &(Source) { f.controller, "Lab Camera" }, 10000));

  /* The camera in use is unplugged: the other one takes over, then the demo subject. */
  fake_camera_unplug (lab);
  g_assert_true (wait_for_choices (choices, 3));
  g_assert_cmpstr (vital_scan_controller_get_source_id (f.controller), ==, "Desk Camera");
  fake_camera_unplug (desk);
  g_assert_true (app_test_wait (on_demo, &f, 10000));
  g_assert_cmpstr (vital_scan_controller_get_source_id (f.controller), ==, "demo");
  g_assert_true (app_test_wait (has_texture, &f, 10000));
  g_assert_true (wait_for_choices (choices, 2));
  g_assert_false (lists_camera (choices, "Desk Camera"));
  /* The setting still names the unplugged camera: plugged back in, it is used again. */
  {
    g_autofree char *camera = g_settings_get_string (f.settings, "camera");
    g_assert_cmpstr (camera, ==, "Lab Camera");
  }

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_object_unref (f.controller);
  gtk_window_destroy (GTK_WINDOW (f.window));
  g_object_unref (f.window);
  g_object_unref (f.settings);
  app_test_iterate (50);
}

int
main (int   argc,
      char *argv[])
{
  app_test_init (&argc, &argv);
  gst_init (&argc, &argv);

  g_test_add_func ("/app/camera-hotplug", test_hotplug);

  return g_test_run ();
}
