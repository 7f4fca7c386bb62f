/* test-errors.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of error presentation: every client error code becomes a human message with the
 * right action (Retry only where retryable; Preferences and "Process on This Device" when the
 * server cannot be used), shown as a toast or on the error page.
 */
#include "vital-config.h"

#include <adwaita.h>

#include "app-test-util.h"
#include "vital-capture.h"
#include "vital-client-error.h"
#include "vital-error-info.h"
#include "vital-window-private.h"

typedef struct
{
  VitalClientError  code;
  const char       *title;
  VitalErrorAction  action;
  gboolean          retry;
  gboolean          transient;
  gboolean          preferences;   /* offers Open Preferences */
  gboolean          local;         /* offers Process on This Device */
} Case;

static const Case cases[] = {
  { VITAL_CLIENT_ERROR_MISSING_API_KEY, "No API key",
    VITAL_ERROR_ACTION_PREFERENCES, FALSE, FALSE, TRUE, TRUE },
  { VITAL_CLIENT_ERROR_MALFORMED_API_KEY, "The API key is not valid",
    VITAL_ERROR_ACTION_PREFERENCES, FALSE, FALSE, TRUE, FALSE },
  { VITAL_CLIENT_ERROR_INVALID_REQUEST, "The server refused the request",
    VITAL_ERROR_ACTION_PREFERENCES, FALSE, FALSE, TRUE, FALSE },
  { VITAL_CLIENT_ERROR_API_KEY_REJECTED, "The server rejected the API key",
    VITAL_ERROR_ACTION_PREFERENCES, FALSE, FALSE, TRUE, FALSE },
  { VITAL_CLIENT_ERROR_FORBIDDEN, "Access denied",
    VITAL_ERROR_ACTION_PREFERENCES, FALSE, FALSE, TRUE, FALSE },
  { VITAL_CLIENT_ERROR_SESSION_NOT_FOUND, "The scan session was not found",
    VITAL_ERROR_ACTION_SCAN_AGAIN, FALSE, FALSE, FALSE, FALSE },
  { VITAL_CLIENT_ERROR_SESSION_EXPIRED, "The session expired",
    VITAL_ERROR_ACTION_SCAN_AGAIN, FALSE, FALSE, FALSE, FALSE },
  { VITAL_CLIENT_ERROR_PROCESSING_FAILED, "The scan could not be processed",
    VITAL_ERROR_ACTION_SCAN_AGAIN, FALSE, FALSE, FALSE, FALSE },
  { VITAL_CLIENT_ERROR_RATE_LIMIT_EXCEEDED, "Too many scans at once",
    VITAL_ERROR_ACTION_RETRY, TRUE, FALSE, FALSE, FALSE },
  { VITAL_CLIENT_ERROR_QUOTA_EXCEEDED, "Scan quota used up",
    VITAL_ERROR_ACTION_PREFERENCES, FALSE, FALSE, TRUE, TRUE },
  { VITAL_CLIENT_ERROR_PAYLOAD_TOO_LARGE, "The scan is too large for the server",
    VITAL_ERROR_ACTION_PREFERENCES, FALSE, FALSE, TRUE, FALSE },
  { VITAL_CLIENT_ERROR_SERVICE_UNAVAILABLE, "The server is unavailable",
    VITAL_ERROR_ACTION_RETRY, TRUE, FALSE, TRUE, TRUE },
  { VITAL_CLIENT_ERROR_NETWORK, "Cannot reach the server",
    VITAL_ERROR_ACTION_RETRY, TRUE, FALSE, TRUE, TRUE },
  { VITAL_CLIENT_ERROR_TIMEOUT, "The server did not answer in time",
    VITAL_ERROR_ACTION_RETRY, TRUE, FALSE, TRUE, TRUE },
  { VITAL_CLIENT_ERROR_BAD_RESPONSE, "Unexpected answer from the server",
    VITAL_ERROR_ACTION_PREFERENCES, FALSE, FALSE, TRUE, FALSE },
};

static VitalWindow *window;

static void
test_info (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GError) error = g_error_new (VITAL_CLIENT_ERROR, c->code,
                                         "server says: code %d", c->code);
  g_autoptr(VitalErrorInfo) info = vital_error_info_new (error);

  g_assert_cmpstr (info->title, ==, c->title);
  g_assert_cmpint (info->action, ==, c->action);
  g_assert_cmpint (info->transient, ==, c->transient);
  /* Retry follows the client's own retryability, and our table agrees with it. */
  g_assert_cmpint (info->retryable, ==, vital_client_error_is_retryable (error));
  g_assert_cmpint (info->retryable, ==, c->retry);
  g_assert_cmpint (info->preferences, ==, c->preferences);
  g_assert_cmpint (info->process_locally, ==, c->local);
  g_assert_nonnull (info->icon_name);
  g_assert_cmpuint (strlen (info->description), >, 20);
  /* The server's message reaches the user unchanged (after our explanation). */
  if (!c->transient && c->code != VITAL_CLIENT_ERROR_MISSING_API_KEY &&
      c->code != VITAL_CLIENT_ERROR_MALFORMED_API_KEY)
    g_assert_nonnull (strstr (info->description, error->message));
}

static void
test_window (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GError) error = g_error_new (VITAL_CLIENT_ERROR, c->code, "Detail %d", c->code);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.vitalscan.Vitalscan");

  /* these errors come from a server */
  g_settings_set_string (settings, "backend", "server");
  vital_window_show_live (window);
  vital_window_show_error (window, error);
  app_test_iterate (20);
  if (c->transient)
    {
      /* A toast, and back to the camera view. */
      g_assert_cmpstr (vital_window_get_page (window), ==, "live");
      return;
    }
  g_assert_cmpstr (vital_window_get_page (window), ==, "error");
  g_assert_cmpstr (vital_window_get_error_title (window), ==, c->title);
  g_assert_cmpint (vital_window_get_retry_visible (window), ==, c->retry);
  g_assert_cmpint (vital_window_get_preferences_visible (window), ==, c->preferences);
  g_assert_cmpint (vital_window_get_process_locally_visible (window), ==, c->local);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.retry", NULL) ||
                 !c->retry);
}

static void
count_cb (VitalWindow *w,
          guint       *count)
{
  (*count)++;
}

static gboolean
count_reached (gpointer data)
{
  return *(guint *) data > 0;
}

/* "Cannot reach the server" is no dead end: Open Preferences, and Process on This Device —
 * clicked for real — switches to the embedded server and retries the kept scan. */
static void
test_unreachable_server (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  g_autoptr(GError) error = g_error_new_literal (VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_NETWORK,
                                                 "Could not connect: Connection refused");
  g_autofree char *backend = NULL;
  GtkWidget *local;
  guint retries = 0;
  gulong id;

  if (!app_test_can_use_input ())
    return;
  g_settings_set_string (settings, "backend", "server");
  vital_window_show_live (window);
  vital_window_show_error (window, error);
  app_test_iterate (200);
  g_assert_cmpstr (vital_window_get_error_title (window), ==, "Cannot reach the server");
  g_assert_true (vital_window_get_preferences_visible (window));
  g_assert_true (vital_window_get_process_locally_visible (window));

  id = g_signal_connect (window, "retry-scan", G_CALLBACK (count_cb), &retries);
  local = vital_window_get_child (window, "error_local_button");
  app_test_click (local);
  g_assert_true (app_test_wait (count_reached, &retries, 15000));
  g_signal_handler_disconnect (window, id);
  backend = g_settings_get_string (settings, "backend");
  g_assert_cmpstr (backend, ==, "local");
  g_assert_cmpuint (retries, ==, 1);

  /* processing on this device already: the same error offers no switch */
  vital_window_show_error (window, error);
  g_assert_false (vital_window_get_process_locally_visible (window));
}

static void
test_explanations (void)
{
  /* The errors users hit most (quota, key, network, an expired session) are explained, not
   * only named. */
  struct { VitalClientError code; const char *needle; } explained[] = {
    { VITAL_CLIENT_ERROR_QUOTA_EXCEEDED, "used all the scans" },
    { VITAL_CLIENT_ERROR_API_KEY_REJECTED, "mistyped or revoked" },
    { VITAL_CLIENT_ERROR_NETWORK, "network connection" },
    { VITAL_CLIENT_ERROR_SESSION_EXPIRED, "ran out before" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (explained); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (VITAL_CLIENT_ERROR, explained[i].code, "x");
      g_autoptr(VitalErrorInfo) info = vital_error_info_new (error);
      g_assert_nonnull (strstr (info->description, explained[i].needle));
    }
}

static void
test_other_domains (void)
{
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");
  g_autoptr(GError) refused = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                                                   "Connection refused");
  g_autoptr(GError) other = g_error_new_literal (G_FILE_ERROR, G_FILE_ERROR_NOENT,
                                                 "No such file");
  g_autoptr(VitalErrorInfo) a = vital_error_info_new (cancelled);
  g_autoptr(VitalErrorInfo) b = vital_error_info_new (refused);
  g_autoptr(VitalErrorInfo) c = vital_error_info_new (other);

  g_assert_true (a->transient);
  g_assert_true (b->retryable);
  g_assert_cmpstr (b->title, ==, "Cannot reach the server");
  g_assert_false (c->retryable);
  g_assert_nonnull (strstr (c->description, "No such file"));
}

static void
test_capture_errors (void)
{
  struct { VitalCaptureError code; const char *title; gboolean transient; } c[] = {
    { VITAL_CAPTURE_ERROR_NO_FACE, "No face found", FALSE },
    { VITAL_CAPTURE_ERROR_TOO_LARGE, "The video is too large", FALSE },
    { VITAL_CAPTURE_ERROR_UNSUPPORTED, "This video format is not supported", FALSE },
    { VITAL_CAPTURE_ERROR_DEVICE, "The camera could not be used", FALSE },
    { VITAL_CAPTURE_ERROR_BUSY, "A scan is already running", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (c); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (VITAL_CAPTURE_ERROR, c[i].code,
                                                     "No face detected in video");
      g_autoptr(VitalErrorInfo) info = vital_error_info_new (error);
      g_assert_cmpstr (info->title, ==, c[i].title);
      g_assert_cmpint (info->transient, ==, c[i].transient);
      g_assert_false (info->retryable);
    }
}

/* A video's errors give advice about the file, not about the camera, the light or holding
 * still; and the page offers another video or the camera, not "Scan Again". */
static void
test_video_errors (void)
{
  g_autoptr(GError) no_face = g_error_new_literal (VITAL_CAPTURE_ERROR,
                                                   VITAL_CAPTURE_ERROR_NO_FACE,
                                                   "a face in 12 % of the frames");
  g_autoptr(GError) short_video = g_error_new_literal (VITAL_CAPTURE_ERROR,
                                                       VITAL_CAPTURE_ERROR_TOO_SHORT, "1.2 s");
  g_autoptr(GError) no_pulse = g_error_new_literal (VITAL_CLIENT_ERROR,
                                                    VITAL_CLIENT_ERROR_PROCESSING_FAILED,
                                                    "no pulse");
  g_autoptr(GError) network = g_error_new_literal (VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_NETWORK,
                                                   "refused");
  g_autoptr(GFile) clip = g_file_new_for_path ("/tmp/clip.mp4");
  g_autoptr(VitalErrorInfo) a = vital_error_info_new_for_video (no_face, "clip.mp4");
  g_autoptr(VitalErrorInfo) b = vital_error_info_new_for_video (short_video, "clip.mp4");
  g_autoptr(VitalErrorInfo) c = vital_error_info_new_for_video (no_pulse, "clip.mp4");
  g_autoptr(VitalErrorInfo) d = vital_error_info_new_for_video (network, "clip.mp4");
  GtkWidget *scan_again, *open_video;

  g_assert_cmpstr (a->title, ==, "No face found in “clip.mp4”");
  g_assert_nonnull (strstr (a->description, "of the video"));
  g_assert_null (strstr (a->description, "Keep your whole face in view"));
  g_assert_cmpstr (b->title, ==, "“clip.mp4” is too short");
  g_assert_null (strstr (b->description, "Let the scan run"));
  g_assert_cmpstr (c->title, ==, "No pulse found in the video");
  g_assert_null (strstr (c->description, "hold still"));
  /* what has nothing to do with the source reads the same */
  g_assert_cmpstr (d->title, ==, "Cannot reach the server");
  g_assert_true (d->retryable);

  /* the window: the last scan read a video */
  g_signal_emit_by_name (window, "open-video", clip);
  vital_window_show_error (window, no_face);
  app_test_iterate (50);
  g_assert_cmpstr (vital_window_get_error_title (window), ==, "No face found in “clip.mp4”");
  scan_again = vital_window_get_child (window, "error_scan_again_button");
  open_video = vital_window_get_child (window, "error_open_video_button");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (scan_again)), ==, "Scan with _Camera");
  g_assert_true (gtk_widget_get_visible (open_video));
  app_test_iterate (200);
  {
    g_autoptr(GError) shot_error = NULL;
    app_test_screenshot (GTK_WIDGET (window), "error-video.png", &shot_error);
    g_assert_no_error (shot_error);
  }

  /* a camera scan since: camera advice again */
  vital_window_show_live (window);
  vital_window_set_scanning (window, TRUE);
  vital_window_set_scanning (window, FALSE);
  vital_window_show_error (window, no_face);
  g_assert_cmpstr (vital_window_get_error_title (window), ==, "No face found");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (scan_again)), ==, "_Scan Again");
  g_assert_false (gtk_widget_get_visible (open_video));
}

static void
test_screenshot (void)
{
  g_autoptr(GError) error = g_error_new_literal (VITAL_CLIENT_ERROR,
                                                 VITAL_CLIENT_ERROR_QUOTA_EXCEEDED,
                                                 "Monthly quota of 1000 scans exceeded");
  g_autoptr(GError) shot_error = NULL;

  vital_window_show_error (window, error);
  app_test_iterate (200);
  app_test_screenshot (GTK_WIDGET (window), "error-quota.png", &shot_error);
  g_assert_no_error (shot_error);
  g_assert_no_error (shot_error);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  app_test_init (&argc, &argv);
  window = g_object_ref_sink (vital_window_new (NULL, FALSE));
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  gtk_window_present (GTK_WINDOW (window));
  app_test_iterate (50);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *nick = vital_client_error_to_server_code (cases[i].code);
      g_autofree char *p1 = g_strdup_printf ("/app/errors/info/%d-%s", cases[i].code,
                                             nick ? nick : "client");
      g_autofree char *p2 = g_strdup_printf ("/app/errors/window/%d-%s", cases[i].code,
                                             nick ? nick : "client");
      g_test_add_data_func (p1, &cases[i], test_info);
      g_test_add_data_func (p2, &cases[i], test_window);
    }
  g_test_add_func ("/app/errors/explanations", test_explanations);
  g_test_add_func ("/app/errors/unreachable-server", test_unreachable_server);
  g_test_add_func ("/app/errors/other-domains", test_other_domains);
  g_test_add_func ("/app/errors/capture", test_capture_errors);
  g_test_add_func ("/app/errors/video", test_video_errors);
  g_test_add_func ("/app/errors/screenshot", test_screenshot);

  ret = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  return ret;
}
