/* vital-capture.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the VitalCapture object: its sources (a VitalCapturePipeline for a file, the demo or a
 * camera), properties and signals, starting and stopping, and what pipeline errors and the end
 * of the stream do. Its frame path is vital-capture-delivery.c's, its scans are
 * vital-capture-scan.c's (vital-capture-private.h).
 *
 * Threads: the pipeline's frame and detection callbacks run on GStreamer streaming threads
 * and only touch state under self->mutex; everything that emits signals or completes the scan
 * task runs on the main context the object was created in.
 */
#include "vital-config.h"

#include "vital-camera.h"
#include "vital-capture.h"
#include "vital-capture-gst.h"
#include "vital-capture-private.h"
#include "vital-demo-source.h"

G_DEFINE_FINAL_TYPE (VitalCapture, vital_capture, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROI_MODE,
  PROP_EMIT_FRAMES,
  PROP_IS_LIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
guint vital_capture_signals[VITAL_CAPTURE_N_SIGNALS];

/* ---- GObject ------------------------------------------------------------------------------ */

static void
vital_capture_dispose (GObject *object)
{
  VitalCapture *self = VITAL_CAPTURE (object);

  vital_capture_stop (self);

  G_OBJECT_CLASS (vital_capture_parent_class)->dispose (object);
}

static void
vital_capture_finalize (GObject *object)
{
  VitalCapture *self = VITAL_CAPTURE (object);

  g_clear_object (&self->pipeline);
  g_clear_object (&self->processor);
  g_clear_object (&self->live_estimate);
  g_clear_object (&self->pacer);
  g_clear_pointer (&self->current, vital_capture_frame_unref);
  g_clear_object (&self->recorder);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (vital_capture_parent_class)->finalize (object);
}

static void
vital_capture_get_property (GObject *object,
                            guint prop_id,
                            GValue *value,
                            GParamSpec *pspec)
{
  VitalCapture *self = VITAL_CAPTURE (object);

  switch (prop_id)
    {
    case PROP_ROI_MODE:
      g_value_set_int (value, vital_capture_get_roi_mode (self));
      break;
    case PROP_EMIT_FRAMES:
      g_mutex_lock (&self->mutex);
      g_value_set_boolean (value, self->emit_frames);
      g_mutex_unlock (&self->mutex);
      break;
    case PROP_IS_LIVE:
      g_value_set_boolean (value, vital_capture_get_is_live (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vital_capture_set_property (GObject *object,
                            guint prop_id,
                            const GValue *value,
                            GParamSpec *pspec)
{
  VitalCapture *self = VITAL_CAPTURE (object);

  switch (prop_id)
    {
    case PROP_ROI_MODE:
      vital_capture_set_roi_mode (self, g_value_get_int (value));
      break;
    case PROP_EMIT_FRAMES:
      vital_capture_set_emit_frames (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vital_capture_class_init (VitalCaptureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vital_capture_dispose;
  object_class->finalize = vital_capture_finalize;
  object_class->get_property = vital_capture_get_property;
  object_class->set_property = vital_capture_set_property;

  /**
   * VitalCapture:roi-mode:
   *
   * A #VitalRoiMode: track a face (default) or use the full frame. Change it only while
   * stopped.
   */
  properties[PROP_ROI_MODE] =
    g_param_spec_int ("roi-mode", NULL, NULL, VITAL_ROI_FACE, VITAL_ROI_FULL_FRAME,
                      VITAL_ROI_FACE,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VitalCapture:emit-frames:
   *
   * Whether #VitalCapture::frame is emitted (display copies cost time; off for headless
   * analysis).
   */
  properties[PROP_EMIT_FRAMES] =
    g_param_spec_boolean ("emit-frames", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VitalCapture:is-live:
   *
   * Whether the source runs in real time (camera, real-time demo) rather than as fast as
   * possible (files, fast demo).
   */
  properties[PROP_IS_LIVE] =
    g_param_spec_boolean ("is-live", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VitalCapture::frame:
   * @self: the capture
   * @frame: the newest #VitalCaptureFrame
   *
   * Emitted on the main context for processed frames. A live source's frames are delivered
   * one by one, paced by their timestamps (face detection makes them come out of processing
   * in bursts, and a burst would otherwise show as dropped frames); at most
   * %VITAL_FRAME_PACER_LIVE_MAX wait, so the preview never lags. Other sources deliver only
   * the newest frame whenever the main context gets to it.
   */
  vital_capture_signals[VITAL_CAPTURE_SIGNAL_FRAME] =
    g_signal_new ("frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, VITAL_TYPE_CAPTURE_FRAME | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * VitalCapture::scan-progress:
   * @self: the capture
   * @seconds: seconds recorded so far
   * @frames: payload frames so far
   * @face_coverage: fraction of source frames with a face so far
   *
   * Emitted on the main context while a scan records.
   */
  vital_capture_signals[VITAL_CAPTURE_SIGNAL_SCAN_PROGRESS] =
    g_signal_new ("scan-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_DOUBLE, G_TYPE_UINT, G_TYPE_DOUBLE);

  /**
   * VitalCapture::error:
   * @self: the capture
   * @error: what went wrong (a #VitalCaptureError)
   *
   * Emitted on the main context when the pipeline fails; the capture is stopped.
   */
  vital_capture_signals[VITAL_CAPTURE_SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  /**
   * VitalCapture::eos:
   * @self: the capture
   *
   * Emitted on the main context when a file (or a finite demo) has been read to its end.
   */
  vital_capture_signals[VITAL_CAPTURE_SIGNAL_EOS] =
    g_signal_new ("eos", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
vital_capture_init (VitalCapture *self)
{
  g_mutex_init (&self->mutex);
  self->context = g_main_context_ref_thread_default ();
  self->roi_mode = VITAL_ROI_FACE;
  self->emit_frames = TRUE;
  self->live_estimate = vital_stream_new (VITAL_STREAM_WINDOW_SECONDS);
}

static void on_pipeline_error (const GError *error,
                               gpointer      user_data);
static void on_pipeline_eos   (gpointer      user_data);

/* Creates the capture of @pipeline (transfer full). */
static VitalCapture *
capture_new (VitalCapturePipeline *pipeline)
{
  static const VitalCapturePipelineCallbacks callbacks = {
    .frame = vital_capture_on_frame,
    .detector = {
      .detection = vital_capture_on_detection,
      .no_detection = vital_capture_on_no_detection,
      .eos = vital_capture_on_detection_eos,
    },
    .error = on_pipeline_error,
    .eos = on_pipeline_eos,
  };
  VitalCapture *self = g_object_new (VITAL_TYPE_CAPTURE, NULL);
  gboolean live = vital_capture_pipeline_get_is_live (pipeline);

  self->pipeline = pipeline;
  vital_capture_pipeline_set_callbacks (pipeline, &callbacks, self);
  self->processor = vital_frame_processor_new (live);
  self->pacer = vital_frame_pacer_new (live);
  return self;
}

/**
 * vital_capture_is_file:
 * @self: a #VitalCapture
 *
 * Returns: whether @self reads a file (to its end, as fast as possible)
 */
gboolean
vital_capture_is_file (VitalCapture *self)
{
  return vital_capture_pipeline_get_source (self->pipeline) == VITAL_CAPTURE_SOURCE_FILE;
}

/* ---- constructors ------------------------------------------------------------------------- */

/**
 * vital_capture_new_for_file:
 * @path: a video file (MP4, WebM, MOV, AVI, ...)
 * @error: return location for a #GError
 *
 * Creates a capture that reads @path as fast as the machine allows. The file must exist and
 * be at most %VITAL_CAPTURE_MAX_FILE_SIZE bytes; whether it decodes is found out when it is
 * read (vital_capture_scan_finish() reports it). Frames are not emitted by default.
 *
 * Returns: (transfer full): a new #VitalCapture, or %NULL with @error set
 */
VitalCapture *
vital_capture_new_for_file (const char *path,
                            GError **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *resolved = NULL;
  VitalCapture *self;

  g_return_val_if_fail (path != NULL, NULL);

  vital_capture_gst_init ();

  file = g_file_new_for_commandline_arg (path);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL)
    {
      g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_NOT_FOUND,
                   "cannot open video “%s”: %s", path, local_error->message);
      return NULL;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_NOT_FOUND,
                   "cannot open video “%s”: not a regular file", path);
      return NULL;
    }
  if (g_file_info_get_size (info) > VITAL_CAPTURE_MAX_FILE_SIZE)
    {
      g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_TOO_LARGE,
                   "video “%s” is %.1f MB; the limit is %d MB", path,
                   g_file_info_get_size (info) / (1024.0 * 1024.0),
                   VITAL_CAPTURE_MAX_FILE_SIZE / (1024 * 1024));
      return NULL;
    }
  if (g_file_info_get_size (info) == 0)
    {
      g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_UNSUPPORTED,
                   "video “%s” is empty", path);
      return NULL;
    }

  resolved = g_file_get_path (file);
  if (resolved == NULL)
    resolved = g_file_get_uri (file);
  self = capture_new (vital_capture_pipeline_new_for_file (resolved));
  self->emit_frames = FALSE;
  return self;
}

/**
 * vital_capture_new_for_demo:
 * @settings: (nullable): the demo subject, or %NULL for the defaults (72 bpm, 15 /min,
 *   real time)
 * @error: return location for a #GError
 *
 * Creates a capture of the built-in demo subject (see #VitalDemoSettings).
 *
 * Returns: (transfer full): a new #VitalCapture, or %NULL with @error set
 */
VitalCapture *
vital_capture_new_for_demo (const VitalDemoSettings *settings,
                            GError **error)
{
  VitalDemoSettings defaults;
  VitalDemoSource *demo;

  vital_capture_gst_init ();

  if (settings == NULL)
    {
      vital_demo_settings_init (&defaults);
      settings = &defaults;
    }

  demo = vital_demo_source_new (settings, error);
  if (demo == NULL)
    return NULL;

  return capture_new (vital_capture_pipeline_new_for_demo (demo));
}

/**
 * vital_capture_new_for_camera:
 * @camera: a camera from a #VitalCameraMonitor (or vital_camera_monitor_list_all())
 * @error: return location for a #GError
 *
 * Creates a live capture of @camera (640×480 or 1280×720 at 30 fps preferred).
 *
 * Returns: (transfer full): a new #VitalCapture, or %NULL with @error set
 */
VitalCapture *
vital_capture_new_for_camera (VitalCamera *camera,
                              GError **error)
{
  g_return_val_if_fail (VITAL_IS_CAMERA (camera), NULL);

  vital_capture_gst_init ();

  return capture_new (vital_capture_pipeline_new_for_camera (camera));
}

/* ---- properties --------------------------------------------------------------------------- */

/**
 * vital_capture_set_roi_mode:
 * @self: a #VitalCapture
 * @mode: where the regions come from
 *
 * Sets the #VitalCapture:roi-mode; takes effect at the next vital_capture_start().
 */
void
vital_capture_set_roi_mode (VitalCapture *self,
                            VitalRoiMode mode)
{
  gboolean changed;

  g_return_if_fail (VITAL_IS_CAPTURE (self));
  g_return_if_fail (mode == VITAL_ROI_FACE || mode == VITAL_ROI_FULL_FRAME);

  g_mutex_lock (&self->mutex);
  changed = self->roi_mode != mode;
  if (!vital_capture_pipeline_is_running (self->pipeline))
    self->roi_mode = mode;
  else
    changed = FALSE;
  g_mutex_unlock (&self->mutex);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROI_MODE]);
}

/**
 * vital_capture_get_roi_mode:
 * @self: a #VitalCapture
 *
 * Returns: the #VitalRoiMode
 */
VitalRoiMode
vital_capture_get_roi_mode (VitalCapture *self)
{
  VitalRoiMode mode;

  g_return_val_if_fail (VITAL_IS_CAPTURE (self), VITAL_ROI_FACE);

  g_mutex_lock (&self->mutex);
  mode = self->roi_mode;
  g_mutex_unlock (&self->mutex);
  return mode;
}

/**
 * vital_capture_set_emit_frames:
 * @self: a #VitalCapture
 * @emit_frames: whether to emit #VitalCapture::frame
 *
 * Turns live frame delivery on or off.
 */
void
vital_capture_set_emit_frames (VitalCapture *self,
                               gboolean emit_frames)
{
  gboolean changed;

  g_return_if_fail (VITAL_IS_CAPTURE (self));

  g_mutex_lock (&self->mutex);
  changed = self->emit_frames != !!emit_frames;
  self->emit_frames = !!emit_frames;
  g_mutex_unlock (&self->mutex);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMIT_FRAMES]);
}

/**
 * vital_capture_get_is_live:
 * @self: a #VitalCapture
 *
 * Returns: %TRUE for real-time sources (camera, real-time demo)
 */
gboolean
vital_capture_get_is_live (VitalCapture *self)
{
  g_return_val_if_fail (VITAL_IS_CAPTURE (self), FALSE);

  return vital_capture_pipeline_get_is_live (self->pipeline);
}

/**
 * vital_capture_get_latest_frame:
 * @self: a #VitalCapture
 *
 * The frame most recently delivered on the main context.
 *
 * Returns: (transfer full) (nullable): the frame, or %NULL before the first one
 */
VitalCaptureFrame *
vital_capture_get_latest_frame (VitalCapture *self)
{
  g_return_val_if_fail (VITAL_IS_CAPTURE (self), NULL);

  return self->current != NULL ? vital_capture_frame_ref (self->current) : NULL;
}

/**
 * vital_capture_set_frame_hook: (skip)
 * @self: a #VitalCapture
 * @hook: (nullable): called on the streaming thread for every processed frame
 * @user_data: data for @hook
 *
 * Private to the capture library and its tests: observe every frame's geometry without the
 * latest-frame coalescing of #VitalCapture::frame. Set it before starting.
 */
void
vital_capture_set_frame_hook (VitalCapture *self,
                              VitalCaptureFrameHook hook,
                              gpointer user_data)
{
  g_return_if_fail (VITAL_IS_CAPTURE (self));

  g_mutex_lock (&self->mutex);
  self->frame_hook = hook;
  self->frame_hook_data = user_data;
  g_mutex_unlock (&self->mutex);
}

/**
 * vital_capture_set_frame_delay: (skip)
 * @self: a #VitalCapture
 * @delay_us: how long the frame branch sleeps before queueing each frame, in µs (0: none)
 *
 * Private to the capture library's tests: imitates a loaded machine, on which the frame branch
 * falls behind face detection. Set it before starting.
 */
void
vital_capture_set_frame_delay (VitalCapture *self,
                               gint64 delay_us)
{
  g_return_if_fail (VITAL_IS_CAPTURE (self));
  g_return_if_fail (delay_us >= 0);

  self->frame_delay_us = delay_us;
}

/* ---- running ------------------------------------------------------------------------------ */

/* The pipeline failed (main context): the scan fails with @error (borrowed), the capture
 * stops, and #VitalCapture::error tells. */
static void
on_pipeline_error (const GError *error,
                   gpointer user_data)
{
  VitalCapture *self = user_data;

  g_object_ref (self);
  vital_capture_finish_scan (self, g_error_copy (error));
  vital_capture_stop (self);
  g_signal_emit (self, vital_capture_signals[VITAL_CAPTURE_SIGNAL_ERROR], 0, error);
  g_object_unref (self);
}

/* The source ended (main context): the last frames are delivered, the scan ends with what
 * it has, and #VitalCapture::eos tells. */
static void
on_pipeline_eos (gpointer user_data)
{
  VitalCapture *self = user_data;

  g_object_ref (self);
  vital_capture_flush_and_deliver (self);
  vital_capture_finish_scan (self, NULL);
  g_signal_emit (self, vital_capture_signals[VITAL_CAPTURE_SIGNAL_EOS], 0);
  g_object_unref (self);
}

/**
 * vital_capture_start:
 * @self: a #VitalCapture
 * @error: return location for a #GError
 *
 * Builds and starts the pipeline. Live sources begin emitting #VitalCapture::frame; a file is
 * read to its end. Starting a running capture does nothing.
 *
 * Returns: %TRUE when the pipeline started; %FALSE with @error set
 */
gboolean
vital_capture_start (VitalCapture *self,
                     GError **error)
{
  g_return_val_if_fail (VITAL_IS_CAPTURE (self), FALSE);

  if (vital_capture_pipeline_is_running (self->pipeline))
    return TRUE;

  g_mutex_lock (&self->mutex);
  vital_frame_processor_set_roi_mode (self->processor, self->roi_mode);
  vital_frame_processor_reset (self->processor);
  vital_stream_reset (self->live_estimate);
  g_mutex_unlock (&self->mutex);

  if (!vital_capture_pipeline_build (self->pipeline, self->roi_mode, error))
    return FALSE;
  if (!vital_capture_pipeline_play (self->pipeline, self->context, error))
    {
      vital_capture_stop (self);
      return FALSE;
    }
  return TRUE;
}

/**
 * vital_capture_stop:
 * @self: a #VitalCapture
 *
 * Stops and frees the pipeline. A scan in progress fails with %G_IO_ERROR_CANCELLED. Frames
 * already queued for the main context are still delivered.
 */
void
vital_capture_stop (VitalCapture *self)
{
  g_return_if_fail (VITAL_IS_CAPTURE (self));

  g_clear_pointer (&self->camera_lock, vital_camera_lock_release);
  vital_capture_pipeline_stop (self->pipeline);

  g_mutex_lock (&self->mutex);
  vital_frame_processor_reset (self->processor);
  vital_frame_pacer_clear (self->pacer);
  g_mutex_unlock (&self->mutex);

  if (self->scan_task != NULL)
    vital_capture_finish_scan (self, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                    "the capture was stopped during the scan"));
}

