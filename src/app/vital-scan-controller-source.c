/* vital-scan-controller-source.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The source and its live preview: the chosen camera, else the first camera, else the demo
 * subject; switching when cameras come and go (never during a recording); frames, face box,
 * guidance and the live waveform on the window. Inside a sandbox the only camera is the one
 * the camera portal grants (vital-camera-portal.c): it is asked when a camera is first
 * wanted, and the preview waits for its answer; a refusal is explained and leaves the demo
 * subject, marked as such. Cameras are opened directly only outside a sandbox.
 */
#include "vital-config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "vital-scan-controller-private.h"
#include "vital-scan-length.h"

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

double
vital_scan_controller_scan_seconds (VitalScanController *self)
{
  double seconds = self->options.scan_seconds > 0
                     ? self->options.scan_seconds
                     : g_settings_get_uint (self->settings, "scan-length");

  return self->options.kiosk ? vital_scan_length_for_kiosk (seconds) : seconds;
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
    vital_window_set_scan_progress (self->window, seconds,
                                    vital_scan_controller_scan_seconds (self), coverage);
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

VitalLowCause
vital_scan_controller_likely_cause (VitalScanController *self)
{
  guint total = 0, face, light, motion, best;

  for (guint i = 0; i <= VITAL_GUIDANCE_OK; i++)
    total += self->guidance_counts[i];
  if (total == 0)
    return VITAL_LOW_CAUSE_UNKNOWN;
  face = self->guidance_counts[VITAL_GUIDANCE_NO_FACE]
         + self->guidance_counts[VITAL_GUIDANCE_TOO_FAR];
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

/* ---- the source: the chosen camera, the first camera, or the demo subject ----------------- */

static VitalCamera *
choose_camera (VitalScanController *self)
{
  g_autofree char *wanted = NULL;

  if (self->options.force_demo)
    return NULL;
  wanted = g_settings_get_string (self->settings, "camera");
  if (self->use_portal)
    return g_strcmp0 (wanted, "demo") == 0 ? NULL : self->portal_camera;
  if (self->cameras == NULL)
    return NULL;
  return vital_camera_monitor_choose (self->cameras, wanted);
}

static void
portal_answered (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  VitalCamera *camera = vital_camera_portal_open_finish (result, &error);
  VitalScanController *self;

  /* Cancelled means disposed: @user_data may be gone (no reference is held, so that a question
   * left unanswered does not keep the controller and its capture alive). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  self->portal_pending = FALSE;
  self->portal_camera = camera;
  self->portal_error = g_steal_pointer (&error);
  if (self->portal_error != NULL)
    g_message ("no camera from the portal: %s", self->portal_error->message);
  vital_scan_controller_update_preferences_cameras (self);

  if (self->capture == NULL)
    {
      /* The first preview waited for the answer. */
      g_autoptr(GError) start_error = NULL;

      if (!vital_scan_controller_start_capture (self, &start_error))
        {
          self->capture_failed = TRUE;
          if (self->window != NULL)
            vital_window_show_error (self->window, start_error);
          return;
        }
    }
  else
    vital_scan_controller_reconsider_source (self);

  /* A refusal (or a portal that failed) is explained over the demo subject's preview, unless
   * a scan of it runs (the preview's notice says it then); no camera at all is said by the
   * preview itself, as outside a sandbox. */
  if (self->window != NULL && self->portal_error != NULL && !self->busy &&
      !g_error_matches (self->portal_error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_NO_CAMERA))
    vital_window_show_error (self->window, self->portal_error);
}

/* Inside a sandbox, the first time a camera is wanted: asks the portal. Returns %TRUE while
 * its answer is awaited (the source is then chosen when it comes). */
static gboolean
ask_portal_if_needed (VitalScanController *self)
{
  g_autofree char *wanted = NULL;

  if (!self->use_portal || self->options.force_demo)
    return FALSE;
  if (self->portal_asked)
    return self->portal_pending;
  wanted = g_settings_get_string (self->settings, "camera");
  if (g_strcmp0 (wanted, "demo") == 0)
    return FALSE;   /* no question for a user who chose the demo subject */

  self->portal_asked = TRUE;
  self->portal_pending = TRUE;
  self->portal_cancellable = g_cancellable_new ();
  /* Translators: the camera that the camera portal gives a sandboxed app (it does not say
   * which of the system's cameras it is) */
  vital_camera_portal_open_async (_("Camera"), self->portal_cancellable, portal_answered, self);
  return TRUE;
}

static VitalCapture *
open_source (VitalScanController  *self,
             GError              **error)
{
  VitalCamera *camera = choose_camera (self);
  VitalDemoSettings demo;

  g_clear_pointer (&self->source_name, g_free);
  if (camera != NULL)
    {
      g_free (self->source_id);
      self->source_id = g_strdup (vital_camera_get_id (camera));
      self->source_name = g_strdup (vital_camera_get_name (camera));
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

/* The live view says when it shows the demo subject, and why: asked for, no camera, or the
 * camera not allowed. */
static void
update_preview (VitalScanController *self)
{
  g_autofree char *wanted = g_settings_get_string (self->settings, "camera");
  VitalPreview preview = VITAL_PREVIEW_CAMERA;

  if (self->window == NULL)
    return;
  if (self->using_demo)
    {
      if (self->options.force_demo || g_strcmp0 (wanted, "demo") == 0)
        preview = VITAL_PREVIEW_DEMO_CHOSEN;
      else if (g_error_matches (self->portal_error, VITAL_CAPTURE_ERROR,
                                VITAL_CAPTURE_ERROR_PERMISSION_DENIED))
        preview = VITAL_PREVIEW_DEMO_NO_PERMISSION;
      else
        preview = VITAL_PREVIEW_DEMO_NO_CAMERA;
    }
  vital_window_set_preview (self->window, preview);
}

void
vital_scan_controller_stop_capture (VitalScanController *self)
{
  if (self->capture == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->capture, self);
  vital_capture_stop (self->capture);
  g_clear_object (&self->capture);
}

/* Starts the preview's source, or, inside a sandbox the first time a camera is wanted, asks
 * the camera portal and starts it when the portal has answered. */
gboolean
vital_scan_controller_start_preview_source (VitalScanController  *self,
                                            GError              **error)
{
  if (ask_portal_if_needed (self))
    return TRUE;
  return vital_scan_controller_start_capture (self, error);
}

gboolean
vital_scan_controller_start_capture (VitalScanController  *self,
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
  if (self->start_hook != NULL ? !self->start_hook (capture, self->start_hook_data, error)
                               : !vital_capture_start (capture, error))
    {
      g_signal_handlers_disconnect_by_data (capture, self);
      return FALSE;
    }
  self->capture = g_steal_pointer (&capture);
  update_preview (self);
  return TRUE;
}

void
vital_scan_controller_update_preferences_cameras (VitalScanController *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint n = self->cameras != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->cameras)) : 0;

  if (self->prefs == NULL)
    return;
  if (self->portal_camera != NULL)
    g_ptr_array_add (names, g_strdup (vital_camera_get_name (self->portal_camera)));
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
void
vital_scan_controller_reconsider_source (VitalScanController *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *old_id = NULL;
  VitalCamera *camera;
  gboolean old_gone;

  if (self->capture == NULL)
    return;   /* no preview yet, or disposed */
  if (ask_portal_if_needed (self))
    return;   /* the answer reconsiders */
  camera = choose_camera (self);
  if (g_strcmp0 (camera != NULL ? vital_camera_get_id (camera) : "demo", self->source_id) == 0)
    {
      /* The same source, maybe for another reason (the demo subject chosen, or no camera). */
      self->source_stale = FALSE;
      update_preview (self);
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
             && (self->cameras == NULL
                 || vital_camera_monitor_find (self->cameras, old_id) == NULL);
  vital_scan_controller_stop_capture (self);
  if (self->window != NULL)
    vital_camera_view_clear (vital_window_get_camera_view (self->window));
  if (!vital_scan_controller_start_capture (self, &error))
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

void
vital_scan_controller_cameras_changed (GListModel          *model,
                                       guint                position,
                                       guint                removed,
                                       guint                added,
                                       VitalScanController *self)
{
  vital_scan_controller_update_preferences_cameras (self);
  vital_scan_controller_reconsider_source (self);
}

void
vital_scan_controller_camera_setting_changed (GSettings           *settings,
                                              const char          *key,
                                              VitalScanController *self)
{
  vital_scan_controller_reconsider_source (self);
}

/**
 * vital_scan_controller_set_start_hook: (skip)
 * @self: a #VitalScanController
 * @hook: (nullable): called instead of starting each capture the controller opens; %NULL to
 *   start them
 * @user_data: data for @hook
 *
 * Private to the app's tests (see vital-scan-controller-private.h).
 */
void
vital_scan_controller_set_start_hook (VitalScanController          *self,
                                      VitalScanControllerStartHook  hook,
                                      gpointer                      user_data)
{
  g_return_if_fail (VITAL_IS_SCAN_CONTROLLER (self));

  self->start_hook = hook;
  self->start_hook_data = user_data;
}
