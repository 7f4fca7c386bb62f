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

#define G_SETTINGS_ENABLE_BACKEND  /* a dconf back end of its own for the managed kiosk key */
#include <adwaita.h>
#include <gio/gsettingsbackend.h>

#include "app-test-util.h"
#include "vital-application-private.h"
#include "vital-camera-monitor.h"
#include "vital-preferences-window.h"
#include "vital-secret-store.h"
#include "vital-test-util.h"
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

/* A "kiosk" value the user could change (the Preferences switch of old) does not lock them out
 * of Preferences: kiosk mode is the administrator's. */
static gboolean
drive_desktop (gpointer data)
{
  VitalApplication *app = data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_false (vital_application_get_kiosk (app));
  g_assert_false (vital_window_get_kiosk (VITAL_WINDOW (window)));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "preferences"));
  gtk_window_destroy (window);
  g_application_quit (G_APPLICATION (app));
  return G_SOURCE_REMOVE;
}

static void
activated_desktop (GApplication *app)
{
  g_idle_add (drive_desktop, app);
}

static void
test_user_kiosk_key (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  g_autoptr(VitalApplication) app = NULL;
  char *argv[] = { (char *) "vitalscan", (char *) "--demo", NULL };

  g_settings_set_boolean (settings, "kiosk", TRUE);
  g_assert_true (g_settings_is_writable (settings, "kiosk"));
  g_assert_false (vital_application_kiosk_is_managed (settings));
  app = vital_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activated_desktop), NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 2, argv), ==, 0);
  g_settings_reset (settings, "kiosk");
}

/* An administrator's booth: "kiosk" set system-wide and locked, read through dconf as on a
 * desktop — no switch, no Preferences, no Ctrl+Q. */
static gboolean
drive_managed_kiosk (gpointer data)
{
  VitalApplication *app = data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_auto(GStrv) quit_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                       "app.quit");

  g_assert_true (vital_application_get_kiosk (app));
  g_assert_true (vital_window_get_kiosk (VITAL_WINDOW (window)));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "preferences"));
  g_assert_cmpuint (g_strv_length (quit_accels), ==, 0);
  gtk_window_destroy (window);
  return G_SOURCE_REMOVE;
}

static void
activated_managed_kiosk (GApplication *app)
{
  g_idle_add (drive_managed_kiosk, app);
}

/* A dconf back end that reads only a database made in @dir (by `dconf compile`) where "kiosk"
 * is true and locked. */
static GSettingsBackend *
dconf_backend_for (const char *dir)
{
  g_autofree char *keyfiles = g_build_filename (dir, "keyfiles", NULL);
  g_autofree char *locks = g_build_filename (keyfiles, "locks", NULL);
  g_autofree char *key_path = g_build_filename (keyfiles, "00-booth", NULL);
  g_autofree char *lock_path = g_build_filename (locks, "booth", NULL);
  g_autofree char *db = g_build_filename (dir, "booth.db", NULL);
  g_autofree char *profile = g_build_filename (dir, "profile", NULL);
  g_autofree char *profile_text = g_strdup_printf ("file-db:%s\n", db);
  const char *compile[] = { "dconf", "compile", db, keyfiles, NULL };
  g_autoptr(GSettingsBackend) any = g_settings_backend_get_default ();  /* loads GIO modules */
  GIOExtension *dconf;
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_cmpint (g_mkdir_with_parents (locks, 0700), ==, 0);
  g_assert_true (g_file_set_contents (key_path, "[io/github/vitalscan/Vitalscan]\nkiosk=true\n",
                                      -1, &error));
  g_assert_true (g_file_set_contents (lock_path, "/io/github/vitalscan/Vitalscan/kiosk\n", -1,
                                      &error));
  g_assert_true (g_spawn_sync (NULL, (char **) compile, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_file_set_contents (profile, profile_text, -1, &error));
  g_setenv ("DCONF_PROFILE", profile, TRUE);

  dconf = g_io_extension_point_get_extension_by_name (
    g_io_extension_point_lookup (G_SETTINGS_BACKEND_EXTENSION_POINT_NAME), "dconf");
  g_assert_nonnull (dconf);  /* dconf-gsettings-backend, see build-aux/install-deps */
  return g_object_new (g_io_extension_get_type (dconf), NULL);
}

static void
test_managed_kiosk_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vitalscan-dconf-XXXXXX", &error);
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(VitalApplication) app = NULL;
  char *argv[] = { (char *) "vitalscan", (char *) "--demo", NULL };

  g_assert_no_error (error);
  backend = dconf_backend_for (dir);
  settings = g_settings_new_with_backend ("io.github.vitalscan.Vitalscan", backend);
  g_assert_true (g_settings_get_boolean (settings, "kiosk"));
  g_assert_false (g_settings_is_writable (settings, "kiosk"));
  g_assert_true (vital_application_kiosk_is_managed (settings));

  app = vital_application_new ();
  vital_application_set_settings_backend (app, backend);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activated_managed_kiosk), NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 2, argv), ==, 0);
  /* the app lets go of the back end with its settings */
  g_clear_object (&app);
  g_clear_object (&settings);
  g_object_add_weak_pointer (G_OBJECT (backend), (gpointer *) &backend);
  g_object_unref (backend);
  g_assert_null (backend);
  g_unsetenv ("DCONF_PROFILE");
  vital_test_remove_tree (dir);
}

static void
count_quit (guint *count)
{
  (*count)++;
}

static gboolean
count_reached (gpointer data)
{
  return *(guint *) data > 0;
}

/* `vitalscan --kiosk`: a visitor's Ctrl+Q, pressed for real, does not end the booth; the
 * administrator's Ctrl+Shift+Alt+Q does. */
static gboolean
drive_kiosk (gpointer data)
{
  VitalApplication *app = data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  GAction *quit = g_action_map_lookup_action (G_ACTION_MAP (app), "quit");
  guint quits = 0, closes = 0;

  g_assert_true (vital_application_get_kiosk (app));
  g_assert_true (vital_window_get_kiosk (VITAL_WINDOW (window)));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "preferences"));
  /* g_application_quit() would end the main loop only after this function: count the quits;
   * a closed window is destroyed at once, though others may hold it a while longer */
  g_signal_connect_swapped (quit, "activate", G_CALLBACK (count_quit), &quits);
  g_signal_connect_swapped (window, "destroy", G_CALLBACK (count_quit), &closes);
  app_test_iterate (500);
  app_test_press_key (GTK_WIDGET (window), "ctrl+q");
  app_test_iterate (1000);
  g_assert_cmpuint (quits, ==, 0);
  g_assert_cmpuint (closes, ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  app_test_press_key (GTK_WIDGET (window), "ctrl+shift+alt+q");
  g_assert_true (app_test_wait (count_reached, &closes, 30000));
  return G_SOURCE_REMOVE;
}

static void
activated_kiosk (GApplication *app)
{
  g_idle_add (drive_kiosk, app);
}

static void
test_kiosk (void)
{
  g_autoptr(VitalApplication) app = NULL;
  char *argv[] = { (char *) "vitalscan", (char *) "--kiosk", (char *) "--demo", NULL };

  if (!app_test_can_use_input ())
    return;
  app = vital_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activated_kiosk), NULL);
  /* returns once the window is gone: nothing else ends a kiosk */
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 3, argv), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  app_test_init (&argc, &argv);
  g_test_add_func ("/app/application/no-camera", test_no_camera);
  g_test_add_func ("/app/application/unreachable-server", test_unreachable_server);
  g_test_add_func ("/app/application/user-kiosk-key", test_user_kiosk_key);
  g_test_add_func ("/app/application/kiosk", test_kiosk);
  g_test_add_func ("/app/application/managed-kiosk-key", test_managed_kiosk_key);
  return g_test_run ();
}
