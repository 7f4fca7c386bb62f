/* test-camera-portal.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The camera inside Flatpak. VITALSCAN_FORCE_PORTAL=1 puts the scan controller on the
 * sandbox's path; a fake org.freedesktop.portal.Camera (python3-dbusmock with the template
 * portal-camera-mock.py) answers on a private session bus (a dbus-daemon of the test's own).
 * Granted: the controller opens the PipeWire remote the portal returns and builds pipewiresrc
 * on that very descriptor (the fake remote's peer is the mock process). Refused or dismissed:
 * the window explains how to allow the camera and offers the demo subject, whose preview says
 * it is the demo. There is no PipeWire daemon here, so the granted pipeline is built and
 * checked, not played.
 */
#include "vital-config.h"

#include <adwaita.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include "app-test-util.h"
#include "vital-capture-private.h"
#include "vital-scan-controller-private.h"
#include "vital-window-private.h"

typedef struct
{
  GSubprocess         *portal;
  GDBusConnection     *connection;
  GSettings           *settings;
  VitalWindow         *window;
  VitalScanController *controller;
} Fixture;

/* The test's helpers (its bus, the fake portal) end with it, even when it aborts: otherwise
 * they hold its output open and the test runner waits for them. */
static void
end_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GSubprocess *
spawn_helper (GSubprocessFlags     flags,
              const char * const  *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GError) error = NULL;
  GSubprocess *helper;

  g_subprocess_launcher_set_child_setup (launcher, end_with_parent, NULL, NULL);
  helper = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  return helper;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static void
name_appeared (GDBusConnection *connection,
               const char      *name,
               const char      *owner,
               gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* Starts the fake portal with the template's @parameters (JSON) and waits for its name. */
static void
start_portal (Fixture    *f,
              const char *parameters)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_build_filename (VITAL_SOURCE_DIR, "tests", "app",
                                                "portal-camera-mock.py", NULL);
  const char *python = VITAL_DBUSMOCK_PYTHON;
  gboolean appeared = FALSE;
  guint watch;

  if (*python == '\0')
    g_error ("no python3 with the dbusmock module was found at configure time: "
             "install python3-dbusmock (build-aux/install-deps) and reconfigure");
  /* Its log of calls goes to stdout, which is the test's TAP stream. */
  f->portal = spawn_helper (G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                            (const char * const[]) { python, "-m", "dbusmock", "--template",
                                                     template, "-p", parameters, NULL });
  f->connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  watch = g_bus_watch_name_on_connection (f->connection, "org.freedesktop.portal.Desktop",
                                          G_BUS_NAME_WATCHER_FLAGS_NONE, name_appeared, NULL,
                                          &appeared, NULL);
  g_assert_true (app_test_wait (is_true, &appeared, 30000));
  g_bus_unwatch_name (watch);
}

/* How often the fake portal's methods were called. */
static guint
portal_calls (Fixture    *f,
              const char *method)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) counts = NULL;
  guint n = 0;

  reply = g_dbus_connection_call_sync (f->connection, "org.freedesktop.portal.Desktop",
                                       "/org/freedesktop/portal/desktop",
                                       "org.freedesktop.DBus.Mock", "CallCounts", NULL,
                                       G_VARIANT_TYPE ("(a{su})"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  counts = g_variant_get_child_value (reply, 0);
  g_assert_true (g_variant_lookup (counts, method, "u", &n));
  return n;
}

static void
fixture_start (Fixture    *f,
               const char *camera_setting)
{
  VitalScanControllerOptions options = { .scan_seconds = 30 };

  g_setenv ("VITALSCAN_FORCE_PORTAL", "1", TRUE);
  f->settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  g_settings_set_string (f->settings, "backend", "local");
  g_settings_set_string (f->settings, "camera", camera_setting);
  f->window = g_object_ref_sink (vital_window_new (NULL, FALSE));
  gtk_window_present (GTK_WINDOW (f->window));
  f->controller = vital_scan_controller_new (f->window, f->settings, &options);
  /* In a sandbox no camera is looked for but the portal's. */
  g_assert_true (f->controller->use_portal);
  g_assert_null (f->controller->cameras);
}

static void
fixture_stop (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->controller);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->window);
  g_clear_object (&f->settings);
  app_test_iterate (50);
  g_subprocess_send_signal (f->portal, SIGTERM);
  g_assert_true (g_subprocess_wait (f->portal, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&f->portal);
  g_clear_object (&f->connection);
  g_unsetenv ("VITALSCAN_FORCE_PORTAL");
}

static gboolean
has_capture (gpointer data)
{
  Fixture *f = data;
  return vital_scan_controller_get_capture (f->controller) != NULL;
}

static gboolean
shows_error (gpointer data)
{
  Fixture *f = data;
  return g_strcmp0 (vital_window_get_page (f->window), "error") == 0;
}

/* ---- granted ------------------------------------------------------------------------------ */

typedef struct
{
  guint  calls;
  char  *factory;     /* the camera source's element factory */
  int    fd;          /* its "fd" property */
  pid_t  peer;        /* the process at the other end of that descriptor */
} Built;

static pid_t
peer_pid (int fd)
{
  struct ucred cred = { 0 };
  socklen_t len = sizeof cred;

  if (getsockopt (fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
    return -1;
  return cred.pid;
}

/* Instead of playing a camera's capture: builds its pipeline with the capture's own builder, notes
 * the camera source, and stops it again (there is no PipeWire behind the fake remote). */
static gboolean
build_only (VitalCapture  *capture,
            gpointer       user_data,
            GError       **error)
{
  Built *built = user_data;
  GstElement *source;

  /* The demo subject plays as usual. */
  if (vital_capture_pipeline_get_source (capture->pipeline) != VITAL_CAPTURE_SOURCE_CAMERA)
    return vital_capture_start (capture, error);
  built->calls++;
  if (!vital_capture_pipeline_build (capture->pipeline, vital_capture_get_roi_mode (capture),
                                     error))
    return FALSE;
  source = vital_capture_pipeline_get_camera_source (capture->pipeline);
  g_assert_nonnull (source);
  g_free (built->factory);
  built->factory = g_strdup (GST_OBJECT_NAME (gst_element_get_factory (source)));
  g_object_get (source, "fd", &built->fd, NULL);
  built->peer = built->fd >= 0 ? peer_pid (built->fd) : -1;
  vital_capture_pipeline_stop (capture->pipeline);
  return TRUE;
}

static void
test_granted (void)
{
  g_autoptr(GError) error = NULL;
  Built built = { .fd = -1, .peer = -1 };
  Fixture f = { 0 };
  pid_t portal_pid;

  start_portal (&f, "{\"response\": 0}");
  portal_pid = (pid_t) g_ascii_strtoll (g_subprocess_get_identifier (f.portal), NULL, 10);
  fixture_start (&f, "");
  vital_scan_controller_set_start_hook (f.controller, build_only, &built);

  /* The preview waits for the portal's answer: nothing runs, not even the demo subject. */
  g_assert_true (vital_scan_controller_start_preview (f.controller, &error));
  g_assert_no_error (error);
  g_assert_null (vital_scan_controller_get_capture (f.controller));
  g_assert_true (app_test_wait (has_capture, &f, 30000));

  /* Asked once, granted, the remote opened once ... */
  g_assert_cmpuint (portal_calls (&f, "AccessCamera"), ==, 1);
  g_assert_cmpuint (portal_calls (&f, "OpenPipeWireRemote"), ==, 1);
  g_assert_no_error (f.controller->portal_error);
  g_assert_nonnull (f.controller->portal_camera);

  /* ... and the camera's pipeline is pipewiresrc on that remote: the descriptor's peer is the
   * fake portal's process, which made the socket pair. */
  g_assert_cmpuint (built.calls, ==, 1);
  g_assert_cmpstr (built.factory, ==, "pipewiresrc");
  g_assert_cmpint (built.fd, >=, 0);
  g_assert_cmpint (built.peer, ==, portal_pid);

  /* A camera, not the demo subject, and no error. */
  g_assert_false (vital_scan_controller_get_using_demo (f.controller));
  g_assert_cmpstr (vital_scan_controller_get_source_id (f.controller), ==, "pipewire:default");
  g_assert_null (vital_window_get_demo_notice (f.window));
  g_assert_cmpstr (vital_window_get_page (f.window), ==, "live");

  fixture_stop (&f);
  g_free (built.factory);
}

/* ---- refused ------------------------------------------------------------------------------ */

static void
check_refused (const char *parameters)
{
  g_autoptr(GError) error = NULL;
  Fixture f = { 0 };
  GtkWidget *demo_button;
  const char *description;

  start_portal (&f, parameters);
  fixture_start (&f, "");

  g_assert_true (vital_scan_controller_start_preview (f.controller, &error));
  g_assert_no_error (error);
  g_assert_true (app_test_wait (shows_error, &f, 30000));

  /* The portal's answer is kept as a refusal, and no remote was asked for. */
  g_assert_error (f.controller->portal_error, VITAL_CAPTURE_ERROR,
                  VITAL_CAPTURE_ERROR_PERMISSION_DENIED);
  g_assert_null (f.controller->portal_camera);
  g_assert_cmpuint (portal_calls (&f, "AccessCamera"), ==, 1);
  g_assert_cmpuint (portal_calls (&f, "OpenPipeWireRemote"), ==, 0);

  /* The window says so, and how to allow the camera. */
  g_assert_cmpstr (vital_window_get_error_title (f.window), ==,
                   "Vitalscan may not use the camera");
  description = vital_window_get_error_description (f.window);
  g_assert_nonnull (strstr (description, "GNOME Settings"));
  g_assert_nonnull (strstr (description, "Apps → Vitalscan"));
  g_assert_nonnull (strstr (description,
                            "flatpak permission-reset io.github.vitalscan.Vitalscan"));
  g_assert_false (vital_window_get_retry_visible (f.window));
  g_assert_false (vital_window_get_preferences_visible (f.window));

  /* The demo subject is offered, runs behind the page, and says why it is shown. */
  demo_button = vital_window_get_child (f.window, "error_scan_again_button");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (demo_button)), ==,
                   "Scan the _Demo Subject");
  g_assert_true (vital_scan_controller_get_using_demo (f.controller));
  g_assert_cmpstr (vital_scan_controller_get_source_id (f.controller), ==, "demo");
  g_assert_cmpstr (vital_window_get_demo_notice (f.window), ==,
                   "The camera is not allowed — showing the demo subject");

  fixture_stop (&f);
}

static void
test_refused (void)
{
  check_refused ("{\"response\": 2}");
}

/* Closing the portal's question without answering is no permission either. */
static void
test_dismissed (void)
{
  check_refused ("{\"response\": 1}");
}

/* ---- asked later, or not at all ------------------------------------------------------------ */

static gboolean
on_portal_camera (gpointer data)
{
  Fixture *f = data;
  return g_strcmp0 (vital_scan_controller_get_source_id (f->controller), "pipewire:default") == 0;
}

static void
test_demo_chosen (void)
{
  g_autoptr(GError) error = NULL;
  Built built = { .fd = -1, .peer = -1 };
  Fixture f = { 0 };

  start_portal (&f, "{\"response\": 0}");
  fixture_start (&f, "demo");
  vital_scan_controller_set_start_hook (f.controller, build_only, &built);

  /* Whoever chose the demo subject is not asked about the camera ... */
  g_assert_true (vital_scan_controller_start_preview (f.controller, &error));
  g_assert_no_error (error);
  g_assert_true (vital_scan_controller_get_using_demo (f.controller));
  app_test_iterate (200);
  g_assert_cmpuint (portal_calls (&f, "AccessCamera"), ==, 0);
  g_assert_cmpstr (vital_window_get_demo_notice (f.window), ==,
                   "Showing the demo subject, not a camera");

  /* ... until they choose a camera: then the portal is asked, and its camera replaces the
   * demo subject. */
  g_settings_set_string (f.settings, "camera", "");
  g_assert_true (app_test_wait (on_portal_camera, &f, 30000));
  g_assert_cmpuint (portal_calls (&f, "AccessCamera"), ==, 1);
  g_assert_cmpuint (portal_calls (&f, "OpenPipeWireRemote"), ==, 1);
  g_assert_cmpstr (built.factory, ==, "pipewiresrc");
  g_assert_false (vital_scan_controller_get_using_demo (f.controller));
  g_assert_null (vital_window_get_demo_notice (f.window));
  g_assert_cmpstr (vital_window_get_last_toast (f.window), ==, "Using camera “Camera”");

  fixture_stop (&f);
  g_free (built.factory);
}

/* The portal knows no camera: the demo subject, said as outside a sandbox, without asking. */
static void
test_no_camera (void)
{
  g_autoptr(GError) error = NULL;
  Fixture f = { 0 };

  start_portal (&f, "{\"present\": false}");
  fixture_start (&f, "");

  g_assert_true (vital_scan_controller_start_preview (f.controller, &error));
  g_assert_no_error (error);
  g_assert_true (app_test_wait (has_capture, &f, 30000));
  g_assert_error (f.controller->portal_error, VITAL_CAPTURE_ERROR,
                  VITAL_CAPTURE_ERROR_NO_CAMERA);
  g_assert_cmpuint (portal_calls (&f, "AccessCamera"), ==, 0);
  g_assert_true (vital_scan_controller_get_using_demo (f.controller));
  g_assert_cmpstr (vital_window_get_page (f.window), ==, "live");
  g_assert_cmpstr (vital_window_get_demo_notice (f.window), ==,
                   "No camera found — showing the demo subject");

  fixture_stop (&f);
}

/* A private session bus for the fake portal: a dbus-daemon of the test's own, whose address
 * replaces the session's before anything connects to it (libadwaita looks for the settings
 * portal in adw_init()). Not GTestDBus: its teardown waits for the shared connection to be
 * finalized, and libadwaita keeps it for the life of the process. */
static GSubprocess *
start_session_bus (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *address = NULL;
  GSubprocess *daemon;

  daemon = spawn_helper (G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                         (const char * const[]) { "dbus-daemon", "--session", "--nofork",
                                                  "--print-address=1", NULL });
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (daemon));
  address = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  return daemon;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSubprocess) bus = start_session_bus ();
  g_autoptr(GDBusConnection) connection = NULL;
  int status;

  app_test_init (&argc, &argv);
  gst_init (&argc, &argv);

  g_test_add_func ("/app/camera-portal/granted", test_granted);
  g_test_add_func ("/app/camera-portal/refused", test_refused);
  g_test_add_func ("/app/camera-portal/dismissed", test_dismissed);
  g_test_add_func ("/app/camera-portal/demo-chosen", test_demo_chosen);
  g_test_add_func ("/app/camera-portal/no-camera", test_no_camera);

  status = g_test_run ();

  /* The bus goes first: its closing must not end the process (exit-on-close). */
  connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (connection != NULL)
    g_dbus_connection_set_exit_on_close (connection, FALSE);
  g_subprocess_send_signal (bus, SIGTERM);
  g_subprocess_wait (bus, NULL, NULL);
  return status;
}
