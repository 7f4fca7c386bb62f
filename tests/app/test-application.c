/* test-application.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application as it starts on a machine without a camera: the live view says it shows the
 * demo subject, and its "Choose Camera…" button, clicked for real, opens Preferences on the
 * camera choice. With a server that cannot be reached, "Process on This Device" measures the
 * same scan on the embedded server.
 */
#include "vital-config.h"

#include <adwaita.h>

#include "app-test-util.h"
#include "vital-application.h"
#include "vital-camera-monitor.h"
#include "vital-preferences-window.h"
#include "vital-secret-store.h"
#include "vital-window-private.h"

static gboolean
has_demo_notice (gpointer data)
{
  return vital_window_get_demo_notice (data) != NULL;
}

/* The camera row has the focus, or its list of choices (a popover of the row) does. */
static gboolean
camera_choice_focused (gpointer data)
{
  GtkWindow *prefs = app_test_find_window (VITAL_TYPE_PREFERENCES_WINDOW);
  GtkWidget *row, *focus;

  if (prefs == NULL)
    return FALSE;
  row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (prefs),
                                                   VITAL_TYPE_PREFERENCES_WINDOW, "camera_row"));
  focus = gtk_root_get_focus (GTK_ROOT (prefs));
  return focus != NULL && (focus == row || gtk_widget_is_ancestor (focus, row));
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Runs inside g_application_run(), once the application has opened its window. */
static gboolean
drive_app (gpointer data)
{
  VitalApplication *app = data;
  VitalWindow *window;
  GtkWidget *choose;

  window = VITAL_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  g_assert_true (app_test_wait (has_demo_notice, window, 10000));
  g_assert_cmpstr (vital_window_get_demo_notice (window), ==,
                   "No camera found — showing the demo subject");
  g_assert_null (strstr (vital_window_get_progress_text (window), "Look at the camera"));

  choose = vital_window_get_child (window, "choose_camera_button");
  app_test_iterate (300);
  app_test_click (choose);
  g_assert_true (app_test_wait (app_test_window_shown,
                                GSIZE_TO_POINTER (VITAL_TYPE_PREFERENCES_WINDOW), 10000));
  g_assert_true (app_test_wait (camera_choice_focused, NULL, 10000));

  /* Preferences outlive their window until their keyring lookup returns: wait for that, as
   * their transient parent must outlive them. */
  {
    GtkWindow *prefs = app_test_find_window (VITAL_TYPE_PREFERENCES_WINDOW);

    /* close the list of choices as a user would: an open popover holds the pointer */
    app_test_press_key (GTK_WIDGET (prefs), "Escape");
    app_test_iterate (300);
    g_object_add_weak_pointer (G_OBJECT (prefs), (gpointer *) &prefs);
    gtk_window_destroy (prefs);
    g_assert_true (app_test_wait (is_null, &prefs, 30000));
  }
  /* gone, not just left behind: another test's clicks must reach its own window */
  gtk_window_destroy (GTK_WINDOW (window));
  g_application_quit (G_APPLICATION (app));
  return G_SOURCE_REMOVE;
}

static void
activated (GApplication *app)
{
  g_idle_add (drive_app, app);
}

static void
test_no_camera (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalCameraMonitor) cameras = vital_camera_monitor_new (&error);
  g_autoptr(VitalApplication) app = NULL;

  g_assert_no_error (error);
  if (g_list_model_get_n_items (G_LIST_MODEL (cameras)) > 0)
    {
      g_test_skip ("this machine has a real camera; the test needs to start without one");
      return;
    }
  if (!app_test_can_use_input ())
    return;

  app = vital_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activated), NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 0, NULL), ==, 0);
}

static gboolean
page_is_error_or_result (gpointer data)
{
  const char *page = vital_window_get_page (data);
  return g_strcmp0 (page, "error") == 0 || g_strcmp0 (page, "result") == 0;
}

static gboolean
page_is_result (gpointer data)
{
  return g_strcmp0 (vital_window_get_page (data), "result") == 0;
}

static gboolean
drive_unreachable (gpointer data)
{
  VitalApplication *app = data;
  VitalWindow *window = VITAL_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_autofree char *backend = NULL;
  VitalReading *reading;

  g_assert_true (app_test_wait (has_demo_notice, window, 10000));
  app_test_iterate (500);
  app_test_click (vital_window_get_child (window, "scan_button"));
  g_assert_true (app_test_wait (page_is_error_or_result, window, 120000));
  g_assert_cmpstr (vital_window_get_page (window), ==, "error");
  g_assert_cmpstr (vital_window_get_error_title (window), ==, "Cannot reach the server");
  g_assert_true (vital_window_get_preferences_visible (window));
  g_assert_true (vital_window_get_process_locally_visible (window));
  app_test_iterate (300);
  {
    g_autoptr(GError) error = NULL;
    app_test_screenshot (GTK_WIDGET (window), "error-unreachable.png", &error);
    g_assert_no_error (error);
  }

  app_test_click (vital_window_get_child (window, "error_local_button"));
  g_assert_true (app_test_wait (page_is_result, window, 120000));
  backend = g_settings_get_string (vital_application_get_settings (app), "backend");
  g_assert_cmpstr (backend, ==, "local");
  reading = vital_results_panel_get_reading (vital_window_get_results_panel (window));
  g_assert_true (vital_reading_is_demo (reading));
  g_assert_false (vital_reading_is_fallback (reading));

  gtk_window_destroy (GTK_WINDOW (window));
  g_application_quit (G_APPLICATION (app));
  return G_SOURCE_REMOVE;
}

static void
activated_unreachable (GApplication *app)
{
  g_idle_add (drive_unreachable, app);
}

static void
test_unreachable_server (void)
{
  const char *url = "http://127.0.0.1:9";   /* discard: nobody listens */
  g_autoptr(GSettings) settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  g_autoptr(VitalApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  char *argv[] = { (char *) "vitalscan", (char *) "--demo", (char *) "--scan-seconds",
                   (char *) "15", NULL };

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("the key is kept in the Secret Service: run under keyring-run.sh");
      return;
    }
  if (!app_test_can_use_input ())
    return;
  g_assert_true (secret_password_store_sync (vital_secret_store_get_schema (),
                                             SECRET_COLLECTION_DEFAULT, "test key",
                                             "ck_live_abcdefabcdefabcdefabcdefabcdef12", NULL,
                                             &error, "server", url, NULL));
  g_assert_no_error (error);
  g_settings_set_string (settings, "server-url", url);
  g_settings_set_string (settings, "backend", "server");

  app = vital_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activated_unreachable), NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 4, argv), ==, 0);
  g_settings_reset (settings, "backend");
  g_settings_reset (settings, "server-url");
}

int
main (int   argc,
      char *argv[])
{
  app_test_init (&argc, &argv);
  g_test_add_func ("/app/application/no-camera", test_no_camera);
  g_test_add_func ("/app/application/unreachable-server", test_unreachable_server);
  return g_test_run ();
}
