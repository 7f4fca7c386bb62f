/* vital-scan-controller.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalScanController: drives one window's scans — capture preview (frames, overlay,
 * guidance, live waveform), recording, the session through the client's async API against the
 * embedded server (on this device, default) or a remote one, then results and errors. Nothing
 * here blocks the main thread: recording, encoding, HTTP and processing are all async.
 */
#include "vital-config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "vital-camera-monitor.h"
#include "vital-demo-source.h"
#include "vital-keys.h"
#include "vital-scan-controller.h"
#include "vital-secret-store.h"
#include "vital-server.h"

struct _VitalScanController
{
  GObject                     parent_instance;

  VitalWindow                *window;        /* weak */
  VitalPreferencesWindow     *prefs;         /* weak */
  GSettings                  *settings;
  VitalScanControllerOptions  options;

  VitalCapture               *capture;
  gboolean                    using_demo;
  char                       *source_id;     /* the running camera's id, or "demo" */
  VitalCameraMonitor         *cameras;       /* NULL when GStreamer has no device provider */
  gboolean                    source_stale;  /* a better source appeared during a recording */
  gboolean                    capture_failed;
  VitalServer                *server;        /* embedded, started on first use */
  char                       *server_key;    /* the embedded server's in-memory key */
  VitalClient                *client;
  GCancellable               *cancellable;
  GBytes                     *payload;       /* the last recording, kept for Retry */
  gboolean                    busy;
  gboolean                    run_when_ready;  /* a payload waits for the client */
  guint                       prepare_serial;
  guint                       pulse_id;
  guint                       guidance_counts[VITAL_GUIDANCE_OK + 1];
};

G_DEFINE_FINAL_TYPE (VitalScanController, vital_scan_controller, G_TYPE_OBJECT)

static void process_payload (VitalScanController *self);
static void reconsider_source (VitalScanController *self);

static const char *
guidance_text (VitalGuidance guidance)
{
  switch (guidance)
    {
    case VITAL_GUIDANCE_NO_FACE:
      return _("Face not found");
    case VITAL_GUIDANCE_TOO_FAR:
      return _("Move closer");
    case VITAL_GUIDANCE_TOO_DARK:
      return _("More light please");
    case VITAL_GUIDANCE_TOO_BRIGHT:
      return _("Too bright: avoid direct light on the face");
    case VITAL_GUIDANCE_MOVING:
      return _("Hold still");
    case VITAL_GUIDANCE_OK:
    default:
      return NULL;
    }
}

static void
to_graphene (const VitalRect *r,
             graphene_rect_t *out)
{
  graphene_rect_init (out, r->x, r->y, r->width, r->height);
}

static void
on_frame (VitalCapture      *capture,
          VitalCaptureFrame *frame,
          gpointer           user_data)
{
  VitalScanController *self = user_data;
  VitalCameraView *view;
  g_autoptr(GError) error = NULL;

  if (self->window == NULL)
    return;
  view = vital_window_get_camera_view (self->window);
  if (frame->pixels != NULL &&
      !vital_camera_view_push_frame (view, frame->pixels, frame->width, frame->height,
                                     frame->stride, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, &error))
    g_warning ("preview: %s", error->message);

  if (frame->has_face)
    {
      graphene_rect_t face, regions[VITAL_TENSOR_REGIONS];
      to_graphene (&frame->face, &face);
      for (guint i = 0; i < VITAL_TENSOR_REGIONS; i++)
        to_graphene (&frame->regions[i], &regions[i]);
      vital_camera_view_set_face (view,
                                  frame->guidance == VITAL_GUIDANCE_OK ? VITAL_TRACK_GOOD
                                                                       : VITAL_TRACK_POOR,
                                  &face, regions, VITAL_TENSOR_REGIONS);
    }
  else
    vital_camera_view_set_face (view, VITAL_TRACK_NONE, NULL, NULL, 0);
  vital_window_set_guidance (self->window, guidance_text (frame->guidance));

  if (frame->waveform != NULL && frame->waveform_length > 1)
    vital_waveform_set_samples (vital_window_get_waveform (self->window), frame->waveform,
                                frame->waveform_length);
  vital_window_set_provisional_hr (self->window, frame->heart_rate);

  if (vital_capture_is_scanning (capture) && frame->guidance <= VITAL_GUIDANCE_OK)
    self->guidance_counts[frame->guidance]++;
}

static double
scan_seconds (VitalScanController *self)
{
  if (self->options.scan_seconds > 0)
    return self->options.scan_seconds;
  return g_settings_get_uint (self->settings, "scan-length");
}

static void
on_scan_progress (VitalCapture *capture,
                  double        seconds,
                  guint         frames,
                  double        coverage,
                  gpointer      user_data)
{
  VitalScanController *self = user_data;

  if (self->window != NULL)
    vital_window_set_scan_progress (self->window, seconds, scan_seconds (self), coverage);
}

static void
on_capture_error (VitalCapture *capture,
                  GError       *error,
                  gpointer      user_data)
{
  VitalScanController *self = user_data;

  self->capture_failed = TRUE;
  if (self->window != NULL)
    vital_window_show_error (self->window, error);
}

static VitalLowCause
likely_cause (VitalScanController *self)
{
  guint total = 0, face, light, motion, best;

  for (guint i = 0; i <= VITAL_GUIDANCE_OK; i++)
    total += self->guidance_counts[i];
  if (total == 0)
    return VITAL_LOW_CAUSE_UNKNOWN;
  face = self->guidance_counts[VITAL_GUIDANCE_NO_FACE] + self->guidance_counts[VITAL_GUIDANCE_TOO_FAR];
  light = self->guidance_counts[VITAL_GUIDANCE_TOO_DARK] +
          self->guidance_counts[VITAL_GUIDANCE_TOO_BRIGHT];
  motion = self->guidance_counts[VITAL_GUIDANCE_MOVING];
  best = MAX (face, MAX (light, motion));
  /* Only name a cause the capture actually saw in a tenth of the scan. */
  if (best * 10 < total)
    return VITAL_LOW_CAUSE_UNKNOWN;
  if (best == face)
    return VITAL_LOW_CAUSE_FACE;
  if (best == light)
    return VITAL_LOW_CAUSE_LIGHTING;
  return VITAL_LOW_CAUSE_MOTION;
}

static void
stop_pulse (VitalScanController *self)
{
  g_clear_handle_id (&self->pulse_id, g_source_remove);
}

static void
finish_busy (VitalScanController *self)
{
  self->busy = FALSE;
  stop_pulse (self);
  g_clear_object (&self->cancellable);
}

static void
scan_tensor_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(VitalScanController) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSigns) signs = NULL;
  VitalClientRateLimit limit;

  signs = vital_client_scan_tensor_finish (VITAL_CLIENT (source), result, &error);
  finish_busy (self);
  if (vital_client_get_last_rate_limit (VITAL_CLIENT (source), &limit))
    {
      g_autofree char *backend = g_settings_get_string (self->settings, "backend");

      if (self->prefs != NULL)
        vital_preferences_window_set_rate_limit (self->prefs, limit.limit, limit.remaining,
                                                 limit.reset);
      /* A remote server's rate limit is the user's business: say what is left. */
      if (self->window != NULL && g_strcmp0 (backend, "server") == 0 && limit.limit >= 0)
        {
          g_autofree char *text =
            /* Translators: after a scan, e.g. "58 of 60 requests left this minute" */
            g_strdup_printf (_("%lld of %lld requests left"), (long long) limit.remaining,
                             (long long) limit.limit);
          vital_window_toast (self->window, text);
        }
    }
  if (self->window == NULL)
    return;
  if (signs == NULL)
    {
      vital_window_show_error (self->window, error);
      return;
    }
  {
    g_autoptr(VitalReading) reading = vital_reading_new (signs);
    vital_reading_set_low_cause (reading, likely_cause (self));
    vital_window_show_result (self->window, reading);
  }
  if (self->options.kiosk)
    g_clear_pointer (&self->payload, g_bytes_unref);
}

static const char *
phase_text (VitalScanPhase phase)
{
  switch (phase)
    {
    case VITAL_SCAN_PHASE_STARTING:
      return _("Starting a session…");
    case VITAL_SCAN_PHASE_UPLOADING:
      return _("Uploading the scan…");
    case VITAL_SCAN_PHASE_COMPLETING:
    case VITAL_SCAN_PHASE_PROCESSING:
      return _("Measuring your vital signs…");
    case VITAL_SCAN_PHASE_DONE:
    case VITAL_SCAN_PHASE_FAILED:
    case VITAL_SCAN_PHASE_IDLE:
    default:
      return NULL;
    }
}

static void
client_progress (VitalClient         *client,
                 GParamSpec          *pspec,
                 VitalScanController *self)
{
  VitalScanPhase phase = vital_client_get_phase (client);
  guint64 total = vital_client_get_bytes_total (client);
  double fraction = NAN;

  if (self->window == NULL || !self->busy || phase_text (phase) == NULL)
    return;
  if (phase == VITAL_SCAN_PHASE_UPLOADING && total > 0)
    fraction = (double) vital_client_get_bytes_uploaded (client) / (double) total;
  else if (phase == VITAL_SCAN_PHASE_COMPLETING || phase == VITAL_SCAN_PHASE_PROCESSING)
    fraction = NAN;
  else
    fraction = 0.0;
  vital_window_show_processing (self->window, phase_text (phase), fraction);
}

static gboolean
pulse_cb (gpointer user_data)
{
  VitalScanController *self = user_data;

  if (self->window != NULL && self->client != NULL &&
      vital_client_get_phase (self->client) != VITAL_SCAN_PHASE_UPLOADING)
    vital_window_show_processing (self->window,
                                  phase_text (vital_client_get_phase (self->client)), NAN);
  return G_SOURCE_CONTINUE;
}

static void
use_client (VitalScanController *self,
            VitalClient         *client)
{
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_set_object (&self->client, client);
  g_signal_connect (client, "notify::phase", G_CALLBACK (client_progress), self);
  g_signal_connect (client, "notify::bytes-uploaded", G_CALLBACK (client_progress), self);
  if (self->window != NULL && !self->options.kiosk)
    vital_history_view_set_client (vital_window_get_history_view (self->window), client);
}

static void
run_session (VitalScanController *self)
{
  VitalDemographics demo;
  gboolean with_demo = self->window != NULL &&
                       vital_window_get_demographics (self->window, &demo);

  if (self->pulse_id == 0)
    self->pulse_id = g_timeout_add (150, pulse_cb, self);
  vital_client_scan_tensor_async (self->client, self->payload, with_demo ? &demo : NULL,
                                  self->cancellable, scan_tensor_done, g_object_ref (self));
}

typedef struct
{
  VitalScanController *self;
  guint                serial;
} Prepare;

static void
remote_key_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Prepare *prep = user_data;
  g_autoptr(VitalScanController) self = prep->self;
  guint serial = prep->serial;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = vital_secret_store_lookup_finish (result, &error);
  g_autofree char *url = g_settings_get_string (self->settings, "server-url");
  g_autoptr(VitalClient) client = NULL;

  g_free (prep);
  if (serial != self->prepare_serial)
    return;   /* the settings changed meanwhile; a newer lookup is running */
  if (error != NULL)
    {
      if (self->run_when_ready)
        {
          self->run_when_ready = FALSE;
          finish_busy (self);
          if (self->window != NULL)
            vital_window_show_error (self->window, error);
        }
      return;
    }
  /* A missing or malformed key is reported by the client (MISSING/INVALID_API_KEY). */
  client = vital_client_new (url, key ? key : "");
  use_client (self, client);
  if (self->run_when_ready)
    {
      self->run_when_ready = FALSE;
      run_session (self);
    }
}

static gboolean
ensure_embedded_server (VitalScanController  *self,
                        GError              **error)
{
  g_autoptr(VitalServerConfig) config = NULL;
  g_autoptr(VitalServer) server = NULL;
  g_autofree char *key = NULL;

  if (self->server != NULL)
    return TRUE;

  key = vital_key_generate (VITAL_KEY_ENV_LIVE, error);
  if (key == NULL)
    return FALSE;
  config = vital_server_config_new ();   /* in-memory store, nothing kept on disk */
  server = vital_server_new (config, error);
  if (server == NULL)
    return FALSE;
  if (!vital_server_add_key (server, key, "vitalscan-app", 0, 0, error) ||
      !vital_server_listen_local (server, 0, error))
    return FALSE;
  self->server = g_steal_pointer (&server);
  self->server_key = g_steal_pointer (&key);
  return TRUE;
}

static void
prepare_client (VitalScanController *self)
{
  g_autofree char *backend = g_settings_get_string (self->settings, "backend");

  self->prepare_serial++;
  if (g_strcmp0 (backend, "server") == 0)
    {
      g_autofree char *url = g_settings_get_string (self->settings, "server-url");
      Prepare *prep = g_new0 (Prepare, 1);

      prep->self = g_object_ref (self);
      prep->serial = self->prepare_serial;
      vital_secret_store_lookup_async (url, NULL, remote_key_done, prep);
      return;
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(VitalClient) client = NULL;

    if (!ensure_embedded_server (self, &error))
      {
        if (self->run_when_ready)
          {
            self->run_when_ready = FALSE;
            finish_busy (self);
          }
        if (self->window != NULL)
          vital_window_show_error (self->window, error);
        return;
      }
    client = vital_client_new (vital_server_get_base_url (self->server), self->server_key);
    /* The embedded server answers on loopback: poll it briskly. */
    vital_client_set_poll_interval (client, 250);
    use_client (self, client);
    if (self->run_when_ready)
      {
        self->run_when_ready = FALSE;
        run_session (self);
      }
  }
}

static void
backend_changed (GSettings           *settings,
                 const char          *key,
                 VitalScanController *self)
{
  if (!self->busy)
    prepare_client (self);
}

static void
key_changed (VitalScanController *self)
{
  if (!self->busy)
    prepare_client (self);
}

static void
process_payload (VitalScanController *self)
{
  g_autofree char *backend = g_settings_get_string (self->settings, "backend");

  if (self->payload == NULL)
    return;
  self->busy = TRUE;
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  if (self->window != NULL)
    vital_window_show_processing (self->window, _("Starting a session…"), 0.0);

  /* The local client is ready once made; a remote key is looked up again each time, since
   * it may have changed in Preferences. */
  if (self->client != NULL && g_strcmp0 (backend, "local") == 0 && self->server != NULL)
    {
      run_session (self);
      return;
    }
  self->run_when_ready = TRUE;
  prepare_client (self);
}

static gboolean
reconsider_idle (gpointer user_data)
{
  reconsider_source (user_data);
  return G_SOURCE_REMOVE;
}

static void
scan_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VitalScanController) self = user_data;
  g_autoptr(GError) error = NULL;
  VitalScanInfo info = { 0 };
  GBytes *payload;

  payload = vital_capture_scan_finish (VITAL_CAPTURE (source), result, &info, &error);
  /* A camera plugged in or out during the recording: switch now, between scans. */
  if (self->source_stale)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, reconsider_idle, g_object_ref (self),
                     g_object_unref);
  if (payload == NULL)
    {
      finish_busy (self);
      if (self->window != NULL)
        vital_window_show_error (self->window, error);
      return;
    }
  g_clear_pointer (&self->payload, g_bytes_unref);
  self->payload = payload;
  process_payload (self);
}

static void
start_scan (VitalWindow         *window,
            VitalScanController *self)
{
  if (self->busy || self->capture == NULL)
    return;
  self->busy = TRUE;
  memset (self->guidance_counts, 0, sizeof self->guidance_counts);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  vital_window_set_scanning (window, TRUE);
  vital_window_set_scan_progress (window, 0, scan_seconds (self), NAN);
  vital_capture_scan_async (self->capture, scan_seconds (self), self->cancellable, scan_done,
                            g_object_ref (self));
}

static void
cancel_scan (VitalWindow         *window,
             VitalScanController *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
retry_scan (VitalWindow         *window,
            VitalScanController *self)
{
  if (self->busy || self->payload == NULL)
    return;
  process_payload (self);
}

static void
video_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  GBytes *payload = vital_capture_process_file (task_data, VITAL_ROI_FACE, 0, cancellable, NULL,
                                                &error);

  if (payload == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, payload, (GDestroyNotify) g_bytes_unref);
}

static void
video_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  VitalScanController *self = VITAL_SCAN_CONTROLLER (source);
  g_autoptr(GError) error = NULL;
  GBytes *payload = g_task_propagate_pointer (G_TASK (result), &error);

  if (payload == NULL)
    {
      finish_busy (self);
      if (self->window != NULL)
        vital_window_show_error (self->window, error);
      return;
    }
  memset (self->guidance_counts, 0, sizeof self->guidance_counts);
  g_clear_pointer (&self->payload, g_bytes_unref);
  self->payload = payload;
  process_payload (self);
}

static void
open_video (VitalWindow         *window,
            GFile               *file,
            VitalScanController *self)
{
  g_autoptr(GTask) task = NULL;
  char *path = g_file_get_path (file);

  if (self->busy)
    {
      g_free (path);
      return;
    }
  if (path == NULL)
    {
      g_autoptr(GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                             _("Only local video files can be measured."));
      vital_window_show_error (window, error);
      return;
    }
  self->busy = TRUE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  vital_window_show_processing (window, _("Reading the video…"), NAN);
  if (self->pulse_id == 0)
    self->pulse_id = g_timeout_add (150, pulse_cb, self);
  task = g_task_new (self, self->cancellable, video_done, NULL);
  g_task_set_task_data (task, path, g_free);
  g_task_run_in_thread (task, video_thread);
}

/* ---- the source: the chosen camera, the first camera, or the demo subject ----------------- */

static VitalCamera *
choose_camera (VitalScanController *self)
{
  g_autofree char *wanted = NULL;

  if (self->options.force_demo || self->cameras == NULL)
    return NULL;
  wanted = g_settings_get_string (self->settings, "camera");
  return vital_camera_monitor_choose (self->cameras, wanted);
}

static VitalCapture *
open_source (VitalScanController  *self,
             GError              **error)
{
  VitalCamera *camera = choose_camera (self);
  VitalDemoSettings demo;

  if (camera != NULL)
    {
      g_free (self->source_id);
      self->source_id = g_strdup (vital_camera_get_id (camera));
      self->using_demo = FALSE;
      return vital_capture_new_for_camera (camera, error);
    }

  /* No camera (or the demo was asked for): the built-in demo subject. */
  vital_demo_settings_init (&demo);
  g_free (self->source_id);
  self->source_id = g_strdup ("demo");
  self->using_demo = TRUE;
  return vital_capture_new_for_demo (&demo, error);
}

static void
stop_capture (VitalScanController *self)
{
  if (self->capture == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->capture, self);
  vital_capture_stop (self->capture);
  g_clear_object (&self->capture);
}

static gboolean
start_capture (VitalScanController  *self,
               GError              **error)
{
  g_autoptr(VitalCapture) capture = open_source (self, error);

  if (capture == NULL)
    return FALSE;
  vital_capture_set_emit_frames (capture, TRUE);
  g_signal_connect (capture, "frame", G_CALLBACK (on_frame), self);
  g_signal_connect (capture, "scan-progress", G_CALLBACK (on_scan_progress), self);
  g_signal_connect (capture, "error", G_CALLBACK (on_capture_error), self);
  self->capture_failed = FALSE;
  if (!vital_capture_start (capture, error))
    {
      g_signal_handlers_disconnect_by_data (capture, self);
      return FALSE;
    }
  self->capture = g_steal_pointer (&capture);
  return TRUE;
}

static void
update_preferences_cameras (VitalScanController *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint n = self->cameras != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->cameras)) : 0;

  if (self->prefs == NULL)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VitalCamera) camera = g_list_model_get_item (G_LIST_MODEL (self->cameras), i);
      g_ptr_array_add (names, g_strdup (vital_camera_get_name (camera)));
    }
  g_ptr_array_add (names, NULL);
  vital_preferences_window_set_cameras (self->prefs, (const char * const *) names->pdata);
}

/* Follows the camera setting and cameras coming and going: switches the preview to the source
 * that should run now. Never during a recording (it switches right after it instead). */
static void
reconsider_source (VitalScanController *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *old_id = NULL;
  VitalCamera *camera;
  gboolean old_gone;

  if (self->capture == NULL)
    return;   /* no preview yet, or disposed */
  camera = choose_camera (self);
  if (g_strcmp0 (camera != NULL ? vital_camera_get_id (camera) : "demo", self->source_id) == 0)
    {
      self->source_stale = FALSE;
      return;
    }
  if (vital_capture_is_scanning (self->capture))
    {
      self->source_stale = TRUE;
      return;
    }
  self->source_stale = FALSE;

  old_id = g_strdup (self->source_id);
  old_gone = g_strcmp0 (old_id, "demo") != 0
             && (self->cameras == NULL || vital_camera_monitor_find (self->cameras, old_id) == NULL);
  stop_capture (self);
  if (self->window != NULL)
    vital_camera_view_clear (vital_window_get_camera_view (self->window));
  if (!start_capture (self, &error))
    {
      self->capture_failed = TRUE;
      if (self->window != NULL)
        vital_window_show_error (self->window, error);
      return;
    }
  if (self->window == NULL)
    return;

  /* A source that failed left an error page; the new one replaces it. */
  if (g_strcmp0 (vital_window_get_page (self->window), "error") == 0 && !self->busy)
    vital_window_show_live (self->window);
  {
    g_autofree char *text = NULL;

    if (camera == NULL && old_gone)
      text = g_strdup (_("Camera disconnected: using the demo subject"));
    else if (camera == NULL)
      text = g_strdup (_("Using the demo subject"));
    else if (old_gone)
      /* Translators: %s is a camera's name */
      text = g_strdup_printf (_("Camera disconnected: using “%s”"), vital_camera_get_name (camera));
    else
      /* Translators: %s is a camera's name */
      text = g_strdup_printf (_("Using camera “%s”"), vital_camera_get_name (camera));
    vital_window_toast (self->window, text);
  }
}

static void
cameras_changed (GListModel          *model,
                 guint                position,
                 guint                removed,
                 guint                added,
                 VitalScanController *self)
{
  update_preferences_cameras (self);
  reconsider_source (self);
}

static void
camera_setting_changed (GSettings           *settings,
                        const char          *key,
                        VitalScanController *self)
{
  reconsider_source (self);
}

static void
vital_scan_controller_dispose (GObject *object)
{
  VitalScanController *self = VITAL_SCAN_CONTROLLER (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  stop_pulse (self);
  if (self->window != NULL)
    g_signal_handlers_disconnect_by_data (self->window, self);
  g_clear_weak_pointer (&self->window);
  g_clear_weak_pointer (&self->prefs);
  stop_capture (self);
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
  g_clear_pointer (&self->payload, g_bytes_unref);
  g_clear_pointer (&self->source_id, g_free);
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
  g_signal_connect (settings, "changed::backend", G_CALLBACK (backend_changed), self);
  g_signal_connect (settings, "changed::server-url", G_CALLBACK (backend_changed), self);
  g_signal_connect (settings, "changed::camera", G_CALLBACK (camera_setting_changed), self);

  /* Even with the demo forced, Preferences lists the cameras present. */
    {
      g_autoptr(GError) error = NULL;

      self->cameras = vital_camera_monitor_new (&error);
      if (self->cameras == NULL)
        g_message ("no camera support: %s", error->message);
      else
        g_signal_connect (self->cameras, "items-changed", G_CALLBACK (cameras_changed), self);
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
 * and cameras being plugged in and out.
 *
 * Returns: %FALSE with @error set when no source could be started
 */
gboolean
vital_scan_controller_start_preview (VitalScanController  *self,
                                     GError              **error)
{
  g_return_val_if_fail (VITAL_IS_SCAN_CONTROLLER (self), FALSE);

  if (!start_capture (self, error))
    return FALSE;
  if (!self->options.kiosk)
    prepare_client (self);
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
  g_signal_connect_object (prefs, "key-changed", G_CALLBACK (key_changed), self,
                           G_CONNECT_SWAPPED);
  if (self->client != NULL && vital_client_get_last_rate_limit (self->client, &limit))
    vital_preferences_window_set_rate_limit (prefs, limit.limit, limit.remaining, limit.reset);
  update_preferences_cameras (self);
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
