/* vital-scan-controller.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalScanController: drives one window's scans: the object, its wiring to the window and
 * Preferences, and a scan's course (record, or read a video with its progress, then hand the
 * payload to the session, remembering what it was recorded from). The source and its live
 * preview are in vital-scan-controller-source.c, the session through the client in
 * vital-scan-controller-session.c. Nothing here blocks the main thread: recording, encoding,
 * HTTP and processing are all async.
 */
#include "vital-config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "vital-scan-controller-private.h"
#include "vital-video-probe.h"

G_DEFINE_FINAL_TYPE (VitalScanController, vital_scan_controller, G_TYPE_OBJECT)

static gboolean
reconsider_idle (gpointer user_data)
{
  vital_scan_controller_reconsider_source (user_data);
  return G_SOURCE_REMOVE;
}

/* The recording just finished replaces the kept one (the one Retry sends again), together with
 * what it was recorded from and for how long. */
void
vital_scan_controller_keep_payload (VitalScanController *self,
                                    GBytes              *payload,
                                    double               seconds)
{
  g_clear_pointer (&self->payload, g_bytes_unref);
  self->payload = payload;
  self->payload_source = self->scan_source;
  g_free (self->payload_name);
  self->payload_name = g_strdup (self->scan_name);
  self->payload_seconds = seconds;
}

static void
stop_video (VitalScanController *self)
{
  if (self->video == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->video, self);
  vital_capture_stop (self->video);
  g_clear_object (&self->video);
}

/* A recording (@from_video: a video file's reading) ended: its payload goes to the session. */
static void
recording_done (VitalScanController *self,
                VitalCapture        *capture,
                GAsyncResult        *result,
                gboolean             from_video)
{
  g_autoptr(GError) error = NULL;
  VitalScanInfo info = { 0 };
  GBytes *payload;

  payload = vital_capture_scan_finish (capture, result, &info, &error);
  if (from_video)
    {
      if (capture == self->video)
        stop_video (self);
    }
  /* A camera plugged in or out during the recording: switch now, between scans. */
  else if (self->source_stale)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, reconsider_idle, g_object_ref (self),
                     g_object_unref);
  if (payload == NULL)
    {
      vital_scan_controller_fail (self, error);
      return;
    }
  /* a video's guidance is not the camera's: what the last scan said does not count */
  if (from_video)
    memset (self->guidance_counts, 0, sizeof self->guidance_counts);
  vital_scan_controller_keep_payload (self, payload, info.duration_s);
  vital_scan_controller_process_payload (self);
}

static void
scan_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VitalScanController) self = user_data;

  recording_done (self, VITAL_CAPTURE (source), result, FALSE);
}

static void
begin_recording (VitalScanController *self)
{
  VitalWindow *window = self->window;

  self->scan_source = self->using_demo ? VITAL_READING_SOURCE_DEMO : VITAL_READING_SOURCE_CAMERA;
  g_free (self->scan_name);
  self->scan_name = g_strdup (self->source_name);
  memset (self->guidance_counts, 0, sizeof self->guidance_counts);
  vital_window_set_scanning (window, TRUE);
  vital_window_set_scan_progress (window, 0, vital_scan_controller_scan_seconds (self), NAN);
  vital_capture_scan_async (self->capture, vital_scan_controller_scan_seconds (self),
                            self->cancellable, scan_done, g_object_ref (self));
}

static void
connection_checked (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(VitalScanController) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vital_client_check_connection_finish (VITAL_CLIENT (source), result, &error))
    {
      vital_scan_controller_fail (self, error);
      return;
    }
  if (self->window == NULL || self->capture == NULL ||
      g_cancellable_is_cancelled (self->cancellable))
    {
      vital_scan_controller_finish_busy (self);
      return;
    }
  vital_window_show_live (self->window);
  begin_recording (self);
}

/* With a remote server, the key and the server are checked before anything is recorded: a
 * person should not sit through a scan that cannot be measured. The on-device server is
 * started by the app with its own key and needs no check. */
static void
start_scan (VitalWindow         *window,
            VitalScanController *self)
{
  g_autofree char *backend = NULL;

  if (self->busy || self->capture == NULL)
    return;
  self->busy = TRUE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  backend = g_settings_get_string (self->settings, "backend");
  if (g_strcmp0 (backend, "server") == 0 && self->client != NULL)
    {
      /* what is happening, with Cancel, while a slow server is asked */
      vital_window_show_processing (window, _("Checking the server and the key…"), NAN);
      vital_client_check_connection_async (self->client, self->cancellable, connection_checked,
                                           g_object_ref (self));
      return;
    }
  begin_recording (self);
}

static void
cancel_scan (VitalWindow         *window,
             VitalScanController *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* Retry sends the kept recording again; when the failure came before anything was recorded
 * (the server or key check), there is nothing kept and retrying is scanning anew. */
static void
retry_scan (VitalWindow         *window,
            VitalScanController *self)
{
  if (self->busy)
    return;
  if (self->payload == NULL)
    {
      start_scan (window, self);
      return;
    }
  vital_scan_controller_process_payload (self);
}

/* ---- a video file: how long it lasts, then read as fast as it decodes ---------------------- */

static void
video_progress (VitalCapture        *capture,
                double               seconds,
                guint                frames,
                double               coverage,
                VitalScanController *self)
{
  g_autofree char *text = NULL;

  if (self->window == NULL)
    return;
  if (self->video_seconds > 0)
    {
      /* Translators: reading a video, e.g. "Reading “clip.mp4”: 12 of 30 s" */
      text = g_strdup_printf (_("Reading “%s”: %.0f of %.0f s"), self->scan_name,
                              MIN (seconds, self->video_seconds), ceil (self->video_seconds));
      vital_window_show_processing (self->window, text,
                                    CLAMP (seconds / self->video_seconds, 0.0, 1.0));
    }
  else
    {
      if (seconds > 0)
        /* Translators: reading a video of unknown length, e.g. "Reading “clip.mp4”: 12 s so
         * far" */
        text = g_strdup_printf (_("Reading “%s”: %.0f s so far"), self->scan_name, seconds);
      else
        /* Translators: %s is a video's file name */
        text = g_strdup_printf (_("Reading “%s”…"), self->scan_name);
      vital_window_show_processing (self->window, text, NAN);
    }
}

static void
video_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VitalScanController) self = user_data;

  recording_done (self, VITAL_CAPTURE (source), result, TRUE);
}

static void
read_video (VitalScanController *self,
            const char          *path)
{
  g_autoptr(GError) error = NULL;

  self->video = vital_capture_new_for_file (path, &error);
  if (self->video == NULL)
    {
      vital_scan_controller_fail (self, error);
      return;
    }
  vital_capture_set_roi_mode (self->video, VITAL_ROI_FACE);
  vital_capture_set_emit_frames (self->video, FALSE);
  g_signal_connect (self->video, "scan-progress", G_CALLBACK (video_progress), self);
  video_progress (self->video, 0, 0, NAN, self);
  /* 0: the whole file */
  vital_capture_scan_async (self->video, 0, self->cancellable, video_done, g_object_ref (self));
}

typedef struct
{
  VitalScanController *self;
  char                *path;
} VideoProbe;

static void
video_probed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  VideoProbe *probe = user_data;
  g_autoptr(VitalScanController) self = probe->self;
  g_autofree char *path = probe->path;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) cancelled = NULL;

  g_free (probe);
  self->video_seconds = vital_video_probe_duration_finish (result, &error);
  if (g_cancellable_set_error_if_cancelled (self->cancellable, &cancelled))
    {
      vital_scan_controller_fail (self, cancelled);
      return;
    }
  /* Without a duration the progress says how much is read, not how much is left. */
  if (error != NULL)
    g_debug ("video duration unknown: %s", error->message);
  read_video (self, path);
}

static void
open_video (VitalWindow         *window,
            GFile               *file,
            VitalScanController *self)
{
  g_autofree char *path = g_file_get_path (file);
  VideoProbe *probe;

  if (self->busy)
    return;
  if (path == NULL)
    {
      g_autoptr(GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                             _("Only local video files can be measured."));
      vital_window_show_error (window, error);
      return;
    }
  self->busy = TRUE;
  self->scan_source = VITAL_READING_SOURCE_VIDEO;
  g_free (self->scan_name);
  self->scan_name = g_file_get_basename (file);
  self->video_seconds = 0;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  video_progress (NULL, 0, 0, NAN, self);
  probe = g_new0 (VideoProbe, 1);
  probe->self = g_object_ref (self);
  probe->path = g_steal_pointer (&path);
  vital_video_probe_duration_async (file, self->cancellable, video_probed, probe);
}

static void
vital_scan_controller_dispose (GObject *object)
{
  VitalScanController *self = VITAL_SCAN_CONTROLLER (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->portal_cancellable != NULL)
    g_cancellable_cancel (self->portal_cancellable);
  vital_scan_controller_stop_pulse (self);
  stop_video (self);
  if (self->window != NULL)
    g_signal_handlers_disconnect_by_data (self->window, self);
  g_clear_weak_pointer (&self->window);
  g_clear_weak_pointer (&self->prefs);
  vital_scan_controller_stop_capture (self);
  if (self->cameras != NULL)
    g_signal_handlers_disconnect_by_data (self->cameras, self);
  g_clear_object (&self->cameras);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  if (self->server != NULL)
    vital_server_stop (self->server);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (vital_scan_controller_parent_class)->dispose (object);
}

static void
vital_scan_controller_finalize (GObject *object)
{
  VitalScanController *self = VITAL_SCAN_CONTROLLER (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->portal_cancellable);
  g_clear_object (&self->portal_camera);
  g_clear_error (&self->portal_error);
  g_clear_pointer (&self->payload, g_bytes_unref);
  g_clear_pointer (&self->source_id, g_free);
  g_clear_pointer (&self->source_name, g_free);
  g_clear_pointer (&self->payload_name, g_free);
  g_clear_pointer (&self->scan_name, g_free);
  if (self->server_key != NULL)
    memset (self->server_key, 0, strlen (self->server_key));
  g_clear_pointer (&self->server_key, g_free);

  G_OBJECT_CLASS (vital_scan_controller_parent_class)->finalize (object);
}

static void
vital_scan_controller_class_init (VitalScanControllerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vital_scan_controller_dispose;
  G_OBJECT_CLASS (klass)->finalize = vital_scan_controller_finalize;
}

static void
vital_scan_controller_init (VitalScanController *self)
{
}

/**
 * vital_scan_controller_new:
 * @window: the window to drive (held weakly)
 * @settings: the app's settings
 * @options: (nullable): overrides
 *
 * Connects to @window's scan signals. Call vital_scan_controller_start_preview() to start the
 * camera (or the demo subject).
 *
 * Returns: (transfer full): a new controller
 */
VitalScanController *
vital_scan_controller_new (VitalWindow                      *window,
                           GSettings                        *settings,
                           const VitalScanControllerOptions *options)
{
  VitalScanController *self;

  g_return_val_if_fail (VITAL_IS_WINDOW (window), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (VITAL_TYPE_SCAN_CONTROLLER, NULL);
  g_set_weak_pointer (&self->window, window);
  self->settings = g_object_ref (settings);
  if (options != NULL)
    self->options = *options;
  g_signal_connect (window, "start-scan", G_CALLBACK (start_scan), self);
  g_signal_connect (window, "cancel-scan", G_CALLBACK (cancel_scan), self);
  g_signal_connect (window, "retry-scan", G_CALLBACK (retry_scan), self);
  g_signal_connect (window, "open-video", G_CALLBACK (open_video), self);
  g_signal_connect (settings, "changed::backend",
                    G_CALLBACK (vital_scan_controller_backend_changed), self);
  g_signal_connect (settings, "changed::server-url",
                    G_CALLBACK (vital_scan_controller_backend_changed), self);
  g_signal_connect (settings, "changed::camera",
                    G_CALLBACK (vital_scan_controller_camera_setting_changed), self);

  /* Inside a sandbox no camera is visible but the one the portal grants: no monitor. Outside,
   * even with the demo forced, Preferences lists the cameras present. */
  self->use_portal = vital_camera_portal_is_needed ();
  if (!self->use_portal)
    {
      g_autoptr(GError) error = NULL;

      self->cameras = vital_camera_monitor_new (&error);
      if (self->cameras == NULL)
        g_message ("no camera support: %s", error->message);
      else
        g_signal_connect (self->cameras, "items-changed",
                          G_CALLBACK (vital_scan_controller_cameras_changed), self);
    }
  return self;
}

/**
 * vital_scan_controller_start_preview:
 * @self: a #VitalScanController
 * @error: return location for a #GError
 *
 * Opens the chosen camera, the first camera, or the demo subject when there is none, and
 * starts the live preview in the window. From then on the preview follows the camera setting
 * and cameras being plugged in and out. Inside a sandbox the camera portal is asked first
 * (unless the demo subject is chosen): the preview starts when it answers, and a refusal is
 * shown in the window.
 *
 * Returns: %FALSE with @error set when no source could be started
 */
gboolean
vital_scan_controller_start_preview (VitalScanController  *self,
                                     GError              **error)
{
  g_return_val_if_fail (VITAL_IS_SCAN_CONTROLLER (self), FALSE);

  if (!vital_scan_controller_start_preview_source (self, error))
    return FALSE;
  if (!self->options.kiosk)
    vital_scan_controller_prepare_client (self);
  return TRUE;
}

/**
 * vital_scan_controller_attach_preferences:
 * @self: a #VitalScanController
 * @prefs: an open preferences window (held weakly)
 *
 * Shows the rate limit of the last scan in @prefs and the cameras present, kept up to date
 * while cameras are plugged in and out.
 */
void
vital_scan_controller_attach_preferences (VitalScanController    *self,
                                          VitalPreferencesWindow *prefs)
{
  VitalClientRateLimit limit;

  g_return_if_fail (VITAL_IS_SCAN_CONTROLLER (self));

  g_set_weak_pointer (&self->prefs, prefs);
  g_signal_connect_object (prefs, "key-changed",
                           G_CALLBACK (vital_scan_controller_key_changed), self, G_CONNECT_SWAPPED);
  if (self->client != NULL && vital_client_get_last_rate_limit (self->client, &limit))
    vital_preferences_window_set_rate_limit (prefs, limit.limit, limit.remaining, limit.reset);
  vital_scan_controller_update_preferences_cameras (self);
}

/**
 * vital_scan_controller_get_capture:
 * @self: a #VitalScanController
 *
 * Returns: (transfer none) (nullable): the running capture
 */
VitalCapture *
vital_scan_controller_get_capture (VitalScanController *self)
{
  g_return_val_if_fail (VITAL_IS_SCAN_CONTROLLER (self), NULL);
  return self->capture;
}

/**
 * vital_scan_controller_get_busy:
 * @self: a #VitalScanController
 *
 * Returns: %TRUE while recording or processing
 */
gboolean
vital_scan_controller_get_busy (VitalScanController *self)
{
  g_return_val_if_fail (VITAL_IS_SCAN_CONTROLLER (self), FALSE);
  return self->busy;
}

/**
 * vital_scan_controller_get_source_id:
 * @self: a #VitalScanController
 *
 * Returns: (transfer none) (nullable): the id of the camera the preview runs on, "demo" for
 *   the demo subject, or %NULL before the preview starts
 */
const char *
vital_scan_controller_get_source_id (VitalScanController *self)
{
  g_return_val_if_fail (VITAL_IS_SCAN_CONTROLLER (self), NULL);
  return self->capture != NULL ? self->source_id : NULL;
}

/**
 * vital_scan_controller_get_using_demo:
 * @self: a #VitalScanController
 *
 * Returns: %TRUE when the preview shows the demo subject
 */
gboolean
vital_scan_controller_get_using_demo (VitalScanController *self)
{
  g_return_val_if_fail (VITAL_IS_SCAN_CONTROLLER (self), FALSE);
  return self->using_demo;
}
