/* vital-capture.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the capture pipeline: source (file, camera, demo) → RGB → tee → full-size frames and a
 * downscaled face-detection branch; matching detections to frames by timestamp, the tracker,
 * guidance, packing, resampling into the scan tensor, and delivery to the main context.
 *
 * Threads: the two appsink callbacks and the detection probe run on GStreamer streaming
 * threads and only touch state under self->mutex; everything that emits signals or completes
 * the scan task runs on the main context the object was created in.
 */
#include "vital-config.h"

#include <math.h>
#include <string.h>
#include <gst/app/app.h>
#include <gst/video/video.h>
#include <glib/gstdio.h>

#include "vital-camera.h"
#include "vital-capture.h"
#include "vital-capture-gst.h"
#include "vital-capture-private.h"
#include "vital-demo-source.h"
#include "vital-frame-pacer.h"
#include "vital-frame-processor.h"
#include "vital-stream.h"
#include "vital-scan-recorder.h"

#define GST_CAT_DEFAULT vital_capture_debug

/* Detection runs on frames at least this far apart: about 10 Hz for live sources (a
 * responsive overlay), 5 Hz for files and the fast demo (the centred fit still sees about
 * five detections per window, and detection is most of the cost of reading a file). */
#define DETECT_INTERVAL_LIVE_US  (90 * G_TIME_SPAN_MILLISECOND)
#define DETECT_INTERVAL_FILE_US  (190 * G_TIME_SPAN_MILLISECOND)
/* Width of the face-detection branch; boxes are scaled back to the full frame. */
#define DETECT_WIDTH         320
/* Frames buffered in front of face detection for files (bounds the lead of the main branch). */
#define FILE_DETECT_QUEUE    12

static const char *const cascade_paths[] = {
  "/app/share/opencv4/haarcascades/haarcascade_frontalface_default.xml",
  "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml",
  "/usr/share/opencv/haarcascades/haarcascade_frontalface_default.xml",
};

typedef enum
{
  SOURCE_FILE,
  SOURCE_DEMO,
  SOURCE_CAMERA,
} SourceKind;

typedef struct
{
  VitalTensor *tensor;
  VitalScanInfo info;
} ScanData;

struct _VitalCapture
{
  GObject parent_instance;

  GMainContext *context;
  SourceKind kind;
  char *path;
  VitalDemoSettings demo_settings;
  VitalDemoSource *demo;
  guint demo_index;                 /* appsrc streaming thread only */
  VitalCamera *camera;
  GstElement *camera_source;
  VitalCameraLock *camera_lock;
  gboolean live;

  GstElement *pipeline;
  GstElement *tee;
  GSource *bus_source;
  gboolean running;
  gboolean video_linked;            /* streaming thread of the decoder */
  gint64 frame_delay_us;            /* tests only; set before starting */

  /* Main-context only. */
  GTask *scan_task;
  GSource *cancel_source;
  VitalCaptureFrame *current;
  gboolean exposure_locked;

  GMutex mutex;                     /* protects everything below */
  VitalRoiMode roi_mode;
  gboolean emit_frames;
  VitalFrameProcessor *processor;
  gint64 det_last_kept_us;
  VitalStream *live_estimate;
  VitalFramePacer *pacer;
  gboolean progress_dirty;
  VitalScanRecorder *recorder;      /* while a scan records or is being finished */
  VitalCaptureFrameHook frame_hook;
  gpointer frame_hook_data;
};

G_DEFINE_FINAL_TYPE (VitalCapture, vital_capture, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROI_MODE,
  PROP_EMIT_FRAMES,
  PROP_IS_LIVE,
  N_PROPS
};

enum {
  SIGNAL_FRAME,
  SIGNAL_SCAN_PROGRESS,
  SIGNAL_ERROR,
  SIGNAL_EOS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void finish_scan (VitalCapture *self,
                         GError       *error);

static void
scan_data_free (ScanData *data)
{
  g_clear_pointer (&data->tensor, vital_tensor_unref);
  g_free (data);
}

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

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->demo, vital_demo_source_free);
  g_clear_object (&self->camera);
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
      g_value_set_boolean (value, self->live);
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

  /* facedetect loads its nose, mouth and eye cascades whether used or not, and OpenCV logs an
   * ERROR for each that Debian does not ship (opencv_contrib's), on every pipeline. Only the
   * face cascade is used here; the user can still raise the level. Set before OpenCV's logger
   * reads it, on first use of the type. */
  g_setenv ("OPENCV_LOG_LEVEL", "FATAL", FALSE);

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
  signals[SIGNAL_FRAME] =
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
  signals[SIGNAL_SCAN_PROGRESS] =
    g_signal_new ("scan-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_DOUBLE, G_TYPE_UINT, G_TYPE_DOUBLE);

  /**
   * VitalCapture::error:
   * @self: the capture
   * @error: what went wrong (a #VitalCaptureError)
   *
   * Emitted on the main context when the pipeline fails; the capture is stopped.
   */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  /**
   * VitalCapture::eos:
   * @self: the capture
   *
   * Emitted on the main context when a file (or a finite demo) has been read to its end.
   */
  signals[SIGNAL_EOS] =
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
  self->det_last_kept_us = G_MININT64;
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

  self = g_object_new (VITAL_TYPE_CAPTURE, NULL);
  self->kind = SOURCE_FILE;
  self->path = g_file_get_path (file);
  if (self->path == NULL)
    self->path = g_file_get_uri (file);
  self->emit_frames = FALSE;
  self->live = FALSE;
  self->processor = vital_frame_processor_new (self->live);
  self->pacer = vital_frame_pacer_new (self->live);
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
  VitalCapture *self;

  vital_capture_gst_init ();

  if (settings == NULL)
    {
      vital_demo_settings_init (&defaults);
      settings = &defaults;
    }

  demo = vital_demo_source_new (settings, error);
  if (demo == NULL)
    return NULL;

  self = g_object_new (VITAL_TYPE_CAPTURE, NULL);
  self->kind = SOURCE_DEMO;
  self->demo = demo;
  self->demo_settings = *settings;
  self->live = settings->realtime;
  self->processor = vital_frame_processor_new (self->live);
  self->pacer = vital_frame_pacer_new (self->live);
  return self;
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
  VitalCapture *self;

  g_return_val_if_fail (VITAL_IS_CAMERA (camera), NULL);

  vital_capture_gst_init ();

  self = g_object_new (VITAL_TYPE_CAPTURE, NULL);
  self->kind = SOURCE_CAMERA;
  self->camera = g_object_ref (camera);
  self->live = TRUE;
  self->processor = vital_frame_processor_new (self->live);
  self->pacer = vital_frame_pacer_new (self->live);
  return self;
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
  if (self->pipeline == NULL)
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

  return self->live;
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

/* ---- frame processing (streaming threads, under the mutex) -------------------------------- */

static void
deliver_cb_notify (gpointer data)
{
  g_object_unref (data);
}

static gboolean deliver_cb (gpointer data);

/* Queues deliver_cb on the capture's context, after @delay_ms (0: as soon as it is idle). */
static void
attach_delivery (VitalCapture *self,
                 guint delay_ms)
{
  g_autoptr(GSource) source = delay_ms > 0 ? g_timeout_source_new (delay_ms)
                                           : g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver_cb, g_object_ref (self), deliver_cb_notify);
  g_source_set_static_name (source, "[vitalscan] capture frame delivery");
  g_source_attach (source, self->context);
}

static void
schedule_delivery_locked (VitalCapture *self)
{
  if (!vital_frame_pacer_request (self->pacer))
    return;
  /* Always queue on the target context: g_main_context_invoke_full() would run deliver_cb right
   * here when nobody owns that context, and deliver_cb takes the mutex we hold. */
  attach_delivery (self, 0);
}

/* Whether the running scan has all it needs (the frames that follow are not recorded). */
static gboolean
scan_done_locked (VitalCapture *self)
{
  return self->recorder != NULL && vital_scan_recorder_is_done (self->recorder);
}

static void
process_frame_locked (VitalCapture *self,
                      const VitalRgbFrame *pf)
{
  g_autoptr(GError) error = NULL;
  VitalFrameResult result;

  if (!vital_frame_processor_process (self->processor, pf, &result, &error))
    {
      GST_DEBUG ("frame not processed: %s", error->message);
      return;
    }

  /* The live estimate (preview only); frames without a face break its history. */
  if (self->emit_frames && result.has_face)
    vital_stream_push_planes (self->live_estimate, pf->pts_us, result.planes, NULL);
  else if (!result.has_face)
    vital_stream_reset (self->live_estimate);

  if (self->recorder != NULL
      && vital_scan_recorder_push (self->recorder, pf->pts_us, result.planes, result.has_face))
    self->progress_dirty = TRUE;

  if (self->frame_hook != NULL)
    self->frame_hook (self, pf->pts_us, result.has_face, &result.face, result.guidance,
                      self->frame_hook_data);

  if (self->emit_frames)
    {
      VitalCaptureFrame *frame = vital_capture_frame_new_for_rgb (pf->rgb, pf->width, pf->height,
                                                                  pf->stride, pf->pts_us);

      frame->has_face = result.has_face;
      frame->face = result.face;
      memcpy (frame->regions, result.regions, sizeof result.regions);
      frame->guidance = result.guidance;
      frame->waveform = vital_stream_get_waveform (self->live_estimate, &frame->waveform_length,
                                                   &frame->waveform_rate);
      if (!vital_stream_get_heart_rate (self->live_estimate, &frame->heart_rate, NULL))
        frame->heart_rate = NAN;
      vital_frame_pacer_push (self->pacer, frame);
    }

  if (self->emit_frames || self->progress_dirty || scan_done_locked (self))
    schedule_delivery_locked (self);
}

static void
process_ready_locked (VitalCapture *self,
                      gboolean flush)
{
  VitalRgbFrame *pf;

  while ((pf = vital_frame_processor_pop_ready (self->processor, flush)) != NULL)
    {
      if (!scan_done_locked (self) || self->emit_frames)
        process_frame_locked (self, pf);
      vital_rgb_frame_free (pf);
    }
}

static GstFlowReturn
on_main_sample (GstAppSink *sink,
                gpointer user_data)
{
  VitalCapture *self = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  g_autoptr(GError) error = NULL;
  GstVideoInfo info;
  GstVideoFrame vframe;
  GstBuffer *buffer;
  VitalRgbFrame *pf;
  gsize row;

  if (sample == NULL)
    return GST_FLOW_EOS;

  buffer = gst_sample_get_buffer (sample);
  if (buffer == NULL || !GST_BUFFER_PTS_IS_VALID (buffer)
      || !gst_video_info_from_caps (&info, gst_sample_get_caps (sample))
      || !gst_video_frame_map (&vframe, &info, buffer, GST_MAP_READ))
    return GST_FLOW_OK;

  pf = vital_rgb_frame_new ((gint64) (GST_BUFFER_PTS (buffer) / GST_USECOND),
                            GST_VIDEO_FRAME_WIDTH (&vframe), GST_VIDEO_FRAME_HEIGHT (&vframe));
  row = pf->stride;
  for (int y = 0; y < pf->height; y++)
    memcpy (pf->rgb + y * row,
            (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&vframe, 0)
              + (gsize) y * GST_VIDEO_FRAME_PLANE_STRIDE (&vframe, 0),
            row);
  gst_video_frame_unmap (&vframe);

  if (self->frame_delay_us > 0)
    g_usleep (self->frame_delay_us);

  g_mutex_lock (&self->mutex);
  if (!vital_frame_processor_push_frame (self->processor, pf, &error))
    GST_DEBUG ("frame dropped: %s", error->message);
  process_ready_locked (self, FALSE);
  g_mutex_unlock (&self->mutex);

  return GST_FLOW_OK;
}

static GstFlowReturn
on_detect_sample (GstAppSink *sink,
                  gpointer user_data)
{
  VitalCapture *self = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  g_autoptr(GstCaps) full_caps = NULL;
  g_autoptr(GArray) faces = g_array_new (FALSE, FALSE, sizeof (VitalRect));
  g_autoptr(GstPad) tee_pad = NULL;
  GstVideoInfo det_info, full_info;
  GstVideoRegionOfInterestMeta *meta;
  gpointer state = NULL;
  GstBuffer *buffer;
  double sx, sy;
  gint64 pts_us;

  if (sample == NULL)
    return GST_FLOW_EOS;

  buffer = gst_sample_get_buffer (sample);
  tee_pad = gst_element_get_static_pad (self->tee, "sink");
  full_caps = gst_pad_get_current_caps (tee_pad);
  if (buffer == NULL || !GST_BUFFER_PTS_IS_VALID (buffer) || full_caps == NULL
      || !gst_video_info_from_caps (&det_info, gst_sample_get_caps (sample))
      || !gst_video_info_from_caps (&full_info, full_caps))
    return GST_FLOW_OK;

  sx = (double) GST_VIDEO_INFO_WIDTH (&full_info) / GST_VIDEO_INFO_WIDTH (&det_info);
  sy = (double) GST_VIDEO_INFO_HEIGHT (&full_info) / GST_VIDEO_INFO_HEIGHT (&det_info);
  while ((meta = (GstVideoRegionOfInterestMeta *)
            gst_buffer_iterate_meta_filtered (buffer, &state,
                                              GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE)))
    {
      VitalRect r;

      if (meta->roi_type != g_quark_from_static_string ("face"))
        continue;
      r.x = (int) lround (meta->x * sx);
      r.y = (int) lround (meta->y * sy);
      r.width = (int) lround (meta->w * sx);
      r.height = (int) lround (meta->h * sy);
      g_array_append_val (faces, r);
    }

  pts_us = (gint64) (GST_BUFFER_PTS (buffer) / GST_USECOND);
  g_mutex_lock (&self->mutex);
  vital_frame_processor_push_detection (self->processor, pts_us,
                                        (const VitalRect *) faces->data, faces->len);
  process_ready_locked (self, FALSE);
  g_mutex_unlock (&self->mutex);

  return GST_FLOW_OK;
}

static void
on_detect_eos (GstAppSink *sink,
               gpointer user_data)
{
  VitalCapture *self = user_data;

  g_mutex_lock (&self->mutex);
  vital_frame_processor_end_detections (self->processor);
  process_ready_locked (self, FALSE);
  g_mutex_unlock (&self->mutex);
}

static GstPadProbeReturn
detect_subsample_probe (GstPad *pad,
                        GstPadProbeInfo *info,
                        gpointer user_data)
{
  VitalCapture *self = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstPadProbeReturn ret = GST_PAD_PROBE_OK;
  gint64 pts_us;

  if (buffer == NULL || !GST_BUFFER_PTS_IS_VALID (buffer))
    return GST_PAD_PROBE_OK;

  pts_us = (gint64) (GST_BUFFER_PTS (buffer) / GST_USECOND);
  g_mutex_lock (&self->mutex);
  if (self->det_last_kept_us == G_MININT64
      || pts_us - self->det_last_kept_us
           >= (self->live ? DETECT_INTERVAL_LIVE_US : DETECT_INTERVAL_FILE_US)
      || pts_us < self->det_last_kept_us)
    self->det_last_kept_us = pts_us;
  else
    {
      /* No detection will come for this frame: it counts as progress. */
      vital_frame_processor_skip_detection (self->processor, pts_us);
      process_ready_locked (self, FALSE);
      ret = GST_PAD_PROBE_DROP;
    }
  g_mutex_unlock (&self->mutex);
  return ret;
}

/* ---- demo source (appsrc streaming thread) ------------------------------------------------ */

static void
on_demo_need_data (GstAppSrc *src,
                   guint length,
                   gpointer user_data)
{
  VitalCapture *self = user_data;
  const VitalDemoSettings *settings = &self->demo_settings;
  GstBuffer *buffer;
  GstMapInfo map;

  if (settings->duration_s > 0
      && self->demo_index >= (guint) lround (settings->duration_s * VITAL_DEMO_FRAME_RATE))
    {
      gst_app_src_end_of_stream (src);
      return;
    }

  buffer = gst_buffer_new_allocate (NULL, (gsize) VITAL_DEMO_WIDTH * VITAL_DEMO_HEIGHT * 3, NULL);
  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  vital_demo_source_render (self->demo, self->demo_index, map.data, VITAL_DEMO_WIDTH * 3);
  gst_buffer_unmap (buffer, &map);
  GST_BUFFER_PTS (buffer) = gst_util_uint64_scale (self->demo_index, GST_SECOND,
                                                   VITAL_DEMO_FRAME_RATE);
  GST_BUFFER_DURATION (buffer) = GST_SECOND / VITAL_DEMO_FRAME_RATE;
  self->demo_index++;
  gst_app_src_push_buffer (src, buffer);
}

/* ---- pipeline ----------------------------------------------------------------------------- */

static GstElement *
make_element (const char *factory,
              const char *name,
              GError **error)
{
  GstElement *element = gst_element_factory_make (factory, name);

  if (element == NULL)
    g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_MISSING_PLUGIN,
                 "the GStreamer element “%s” is not installed%s", factory,
                 g_str_equal (factory, "facedetect") ? " (install gstreamer1.0-opencv)" : "");
  return element;
}

static void
post_error (GstElement *element,
            GError *error)
{
  gst_element_post_message (element, gst_message_new_error (GST_OBJECT (element), error, NULL));
}

static void
on_decoder_pad_added (GstElement *decoder,
                      GstPad *pad,
                      gpointer user_data)
{
  VitalCapture *self = user_data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  GstStructure *s;
  GstElement *conv;
  g_autoptr(GstPad) sink_pad = NULL;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  s = gst_caps_get_structure (caps, 0);

  conv = gst_bin_get_by_name (GST_BIN (self->pipeline), "input");
  sink_pad = gst_element_get_static_pad (conv, "sink");
  if (g_str_has_prefix (gst_structure_get_name (s), "video/") && !gst_pad_is_linked (sink_pad)
      && gst_pad_link (pad, sink_pad) == GST_PAD_LINK_OK)
    self->video_linked = TRUE;
  else
    {
      /* Audio, subtitles, a second video stream: consumed and ignored. */
      GstElement *sink = gst_element_factory_make ("fakesink", NULL);
      g_autoptr(GstPad) fake_pad = NULL;

      g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
      gst_bin_add (GST_BIN (self->pipeline), sink);
      gst_element_sync_state_with_parent (sink);
      fake_pad = gst_element_get_static_pad (sink, "sink");
      gst_pad_link (pad, fake_pad);
    }
  gst_object_unref (conv);
}

static void
on_decoder_no_more_pads (GstElement *decoder,
                         gpointer user_data)
{
  VitalCapture *self = user_data;

  if (!self->video_linked)
    {
      g_autofree char *name = g_path_get_basename (self->path != NULL ? self->path : "input");
      g_autoptr(GError) error = g_error_new (VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_UNSUPPORTED,
                                             "“%s” has no video stream", name);

      post_error (decoder, error);
    }
}

static gboolean
build_pipeline (VitalCapture *self,
                GError **error)
{
  g_autoptr(GstElement) pipeline = gst_pipeline_new ("vital-capture");
  g_autoptr(GstCaps) rgb_caps = NULL;
  GstElement *input, *rgb_filter, *tee, *main_queue, *main_sink;
  GstAppSinkCallbacks main_callbacks = { .new_sample = on_main_sample };
  gboolean face_mode = self->roi_mode == VITAL_ROI_FACE;

  input = make_element ("videoconvert", "input", error);
  rgb_filter = input ? make_element ("capsfilter", NULL, error) : NULL;
  tee = rgb_filter ? make_element ("tee", NULL, error) : NULL;
  main_queue = tee ? make_element ("queue", NULL, error) : NULL;
  main_sink = main_queue ? make_element ("appsink", "frames", error) : NULL;
  if (main_sink == NULL)
    {
      g_clear_object (&input);
      g_clear_object (&rgb_filter);
      g_clear_object (&tee);
      g_clear_object (&main_queue);
      return FALSE;
    }

  gst_bin_add_many (GST_BIN (pipeline), input, rgb_filter, tee, main_queue, main_sink, NULL);

  /* Full frames keep the source's size: a scaler in front of the tee would negotiate down to
   * the detection branch's width. */
  rgb_caps = gst_caps_from_string ("video/x-raw,format=RGB");
  g_object_set (rgb_filter, "caps", rgb_caps, NULL);
  g_object_set (main_queue, "max-size-buffers", 3, "max-size-bytes", 0, "max-size-time",
                (guint64) 0, NULL);
  g_object_set (main_sink, "caps", rgb_caps, "sync", self->live && self->kind == SOURCE_DEMO,
                "max-buffers", self->live ? 2 : 0, "drop", self->live,
                "enable-last-sample", FALSE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (main_sink), &main_callbacks, self, NULL);

  if (!gst_element_link_many (input, rgb_filter, tee, NULL)
      || !gst_element_link_many (tee, main_queue, main_sink, NULL))
    {
      g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_FAILED,
                   "could not link the capture pipeline");
      return FALSE;
    }

  if (face_mode)
    {
      GstElement *det_queue, *det_scale, *det_filter, *detect, *det_sink;
      GstAppSinkCallbacks det_callbacks = { .eos = on_detect_eos,
                                            .new_sample = on_detect_sample };
      g_autoptr(GstCaps) det_caps = NULL;
      g_autoptr(GstPad) probe_pad = NULL;
      const char *cascade = NULL;

      for (gsize i = 0; i < G_N_ELEMENTS (cascade_paths); i++)
        if (g_file_test (cascade_paths[i], G_FILE_TEST_EXISTS))
          {
            cascade = cascade_paths[i];
            break;
          }
      if (cascade == NULL)
        {
          g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_MISSING_PLUGIN,
                       "the OpenCV frontal-face cascade is not installed (install opencv-data)");
          return FALSE;
        }

      det_queue = make_element ("queue", NULL, error);
      det_scale = det_queue ? make_element ("videoscale", NULL, error) : NULL;
      det_filter = det_scale ? make_element ("capsfilter", NULL, error) : NULL;
      detect = det_filter ? make_element ("facedetect", NULL, error) : NULL;
      det_sink = detect ? make_element ("appsink", "detections", error) : NULL;
      if (det_sink == NULL)
        {
          g_clear_object (&det_queue);
          g_clear_object (&det_scale);
          g_clear_object (&det_filter);
          g_clear_object (&detect);
          return FALSE;
        }

      gst_bin_add_many (GST_BIN (pipeline), det_queue, det_scale, det_filter, detect, det_sink,
                        NULL);
      g_object_set (det_queue, "max-size-buffers", self->live ? 1 : FILE_DETECT_QUEUE,
                    "max-size-bytes", 0, "max-size-time", (guint64) 0,
                    "leaky", self->live ? 2 /* downstream */ : 0, NULL);
      /* Square pixels: with the width alone, videoscale may keep the height and stretch the
       * pixel aspect ratio instead, and the detector then sees faces squeezed to half width
       * (boxes half as tall as wide once scaled back). */
      det_caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "RGB",
                                      "width", G_TYPE_INT, DETECT_WIDTH,
                                      "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);
      g_object_set (det_filter, "caps", det_caps, NULL);
      g_object_set (detect, "display", FALSE, "profile", cascade, "updates", 3 /* none */,
                    "qos", FALSE, "min-size-width", 24, "min-size-height", 24, NULL);
      g_object_set (det_sink, "sync", FALSE, "max-buffers", self->live ? 1 : 0,
                    "drop", self->live, "enable-last-sample", FALSE, NULL);
      gst_app_sink_set_callbacks (GST_APP_SINK (det_sink), &det_callbacks, self, NULL);

      if (!gst_element_link_many (tee, det_queue, det_scale, det_filter, detect, det_sink, NULL))
        {
          g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_FAILED,
                       "could not link the face-detection branch");
          return FALSE;
        }
      probe_pad = gst_element_get_static_pad (det_queue, "src");
      gst_pad_add_probe (probe_pad, GST_PAD_PROBE_TYPE_BUFFER, detect_subsample_probe, self,
                         NULL);
    }

  switch (self->kind)
    {
    case SOURCE_FILE:
      {
        GstElement *decoder = make_element ("uridecodebin", NULL, error);
        g_autofree char *uri = NULL;

        if (decoder == NULL)
          return FALSE;
        uri = g_str_has_prefix (self->path, "file:") ? g_strdup (self->path)
                                                     : gst_filename_to_uri (self->path, NULL);
        g_object_set (decoder, "uri", uri, NULL);
        g_signal_connect (decoder, "pad-added", G_CALLBACK (on_decoder_pad_added), self);
        g_signal_connect (decoder, "no-more-pads", G_CALLBACK (on_decoder_no_more_pads), self);
        gst_bin_add (GST_BIN (pipeline), decoder);
      }
      break;

    case SOURCE_DEMO:
      {
        GstElement *src = make_element ("appsrc", "demo", error);
        g_autoptr(GstCaps) caps = NULL;
        GstAppSrcCallbacks callbacks = { .need_data = on_demo_need_data };

        if (src == NULL)
          return FALSE;
        caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "RGB",
                                    "width", G_TYPE_INT, VITAL_DEMO_WIDTH,
                                    "height", G_TYPE_INT, VITAL_DEMO_HEIGHT,
                                    "framerate", GST_TYPE_FRACTION, VITAL_DEMO_FRAME_RATE, 1,
                                    "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);
        g_object_set (src, "caps", caps, "format", GST_FORMAT_TIME,
                      "is-live", self->demo_settings.realtime, "do-timestamp", FALSE,
                      "max-bytes", (guint64) VITAL_DEMO_WIDTH * VITAL_DEMO_HEIGHT * 3 * 2,
                      "block", FALSE, NULL);
        gst_app_src_set_callbacks (GST_APP_SRC (src), &callbacks, self, NULL);
        gst_bin_add (GST_BIN (pipeline), src);
        if (!gst_element_link (src, input))
          {
            g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_FAILED,
                         "could not link the demo source");
            return FALSE;
          }
        self->demo_index = 0;
      }
      break;

    case SOURCE_CAMERA:
      {
        GstElement *source = vital_camera_create_source (self->camera, error);
        GstElement *filter, *decoder;
        g_autoptr(GstCaps) caps = vital_camera_get_preferred_caps ();

        if (source == NULL)
          return FALSE;
        filter = make_element ("capsfilter", NULL, error);
        decoder = filter ? make_element ("decodebin", NULL, error) : NULL;
        if (decoder == NULL)
          {
            gst_object_unref (gst_object_ref_sink (source));
            g_clear_object (&filter);
            return FALSE;
          }
        g_object_set (filter, "caps", caps, NULL);
        gst_bin_add_many (GST_BIN (pipeline), source, filter, decoder, NULL);
        if (!gst_element_link_many (source, filter, decoder, NULL))
          {
            g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_DEVICE,
                         "the camera “%s” offers no video format we can use",
                         vital_camera_get_name (self->camera));
            return FALSE;
          }
        g_signal_connect (decoder, "pad-added", G_CALLBACK (on_decoder_pad_added), self);
        self->camera_source = source;
      }
      break;

    default:
      g_assert_not_reached ();
    }

  self->tee = tee;
  self->pipeline = g_steal_pointer (&pipeline);
  return TRUE;
}

/* Maps a GStreamer error to a #VitalCaptureError a person can act on. */
static GError *
map_error (VitalCapture *self,
           const GError *gst_error,
           const char *debug)
{
  g_autofree char *name = g_path_get_basename (self->path != NULL ? self->path
                                               : self->kind == SOURCE_DEMO ? "demo" : "camera");

  GST_WARNING_OBJECT (self->pipeline, "pipeline error: %s (%s)", gst_error->message,
                      debug != NULL ? debug : "no details");

  return vital_capture_error_from_gst (gst_error, name, self->kind == SOURCE_CAMERA);
}

static gboolean
flush_and_deliver (VitalCapture *self)
{
  g_mutex_lock (&self->mutex);
  process_ready_locked (self, TRUE);
  g_mutex_unlock (&self->mutex);
  /* Called directly, not as a source: deliver_cb borrows @self (a source's ref is dropped by
   * deliver_cb_notify). */
  return deliver_cb (self);
}

static gboolean
on_bus_message (GstBus *bus,
                GstMessage *message,
                gpointer user_data)
{
  VitalCapture *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) gst_error = NULL;
        g_autofree char *debug = NULL;
        g_autoptr(GError) error = NULL;

        gst_message_parse_error (message, &gst_error, &debug);
        error = map_error (self, gst_error, debug);
        g_object_ref (self);
        finish_scan (self, g_error_copy (error));
        vital_capture_stop (self);
        g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
        g_object_unref (self);
        return G_SOURCE_REMOVE;
      }

    case GST_MESSAGE_EOS:
      g_object_ref (self);
      flush_and_deliver (self);
      finish_scan (self, NULL);
      g_signal_emit (self, signals[SIGNAL_EOS], 0);
      g_object_unref (self);
      return G_SOURCE_CONTINUE;

    default:
      return G_SOURCE_CONTINUE;
    }
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
  g_autoptr(GstBus) bus = NULL;

  g_return_val_if_fail (VITAL_IS_CAPTURE (self), FALSE);

  if (self->running)
    return TRUE;

  g_mutex_lock (&self->mutex);
  self->det_last_kept_us = G_MININT64;
  vital_frame_processor_set_roi_mode (self->processor, self->roi_mode);
  vital_frame_processor_reset (self->processor);
  vital_stream_reset (self->live_estimate);
  g_mutex_unlock (&self->mutex);
  self->video_linked = FALSE;

  if (!build_pipeline (self, error))
    return FALSE;

  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  self->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (self->bus_source, (GSourceFunc) (void (*) (void)) on_bus_message,
                         self, NULL);
  g_source_attach (self->bus_source, self->context);

  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr(GstMessage) msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

      if (msg != NULL)
        {
          g_autoptr(GError) gst_error = NULL;
          g_autofree char *debug = NULL;

          gst_message_parse_error (msg, &gst_error, &debug);
          g_propagate_error (error, map_error (self, gst_error, debug));
        }
      else
        g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_FAILED,
                     "the capture pipeline could not start");
      vital_capture_stop (self);
      return FALSE;
    }

  self->running = TRUE;
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

  if (self->pipeline != NULL)
    {
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      g_clear_object (&self->pipeline);
    }
  self->tee = NULL;
  self->camera_source = NULL;
  if (self->bus_source != NULL)
    {
      g_source_destroy (self->bus_source);
      g_clear_pointer (&self->bus_source, g_source_unref);
    }
  self->running = FALSE;

  g_mutex_lock (&self->mutex);
  vital_frame_processor_reset (self->processor);
  vital_frame_pacer_clear (self->pacer);
  g_mutex_unlock (&self->mutex);

  if (self->scan_task != NULL)
    finish_scan (self, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                    "the capture was stopped during the scan"));
}

/* ---- main-context delivery and the scan task ---------------------------------------------- */

static gboolean
deliver_cb (gpointer data)
{
  VitalCapture *self = data;
  VitalCaptureFrame *frame;
  gboolean progress, done;
  double seconds = 0, coverage = 0;
  guint frames = 0;
  gint64 gap_us = -1;

  g_mutex_lock (&self->mutex);
  frame = vital_frame_pacer_pop (self->pacer, &gap_us);
  progress = self->progress_dirty && self->recorder != NULL;
  self->progress_dirty = FALSE;
  if (self->recorder != NULL)
    vital_scan_recorder_get_progress (self->recorder, &seconds, &frames, &coverage);
  done = scan_done_locked (self);
  g_mutex_unlock (&self->mutex);

  if (gap_us >= 0)
    attach_delivery (self, (guint) (gap_us / G_TIME_SPAN_MILLISECOND));
  if (frame != NULL)
    {
      g_clear_pointer (&self->current, vital_capture_frame_unref);
      self->current = frame;
      g_signal_emit (self, signals[SIGNAL_FRAME], 0, frame);
    }
  if (progress)
    g_signal_emit (self, signals[SIGNAL_SCAN_PROGRESS], 0, seconds, frames, coverage);
  if (done && self->scan_task != NULL)
    {
      finish_scan (self, NULL);
      if (self->kind == SOURCE_FILE)
        vital_capture_stop (self);
    }

  return G_SOURCE_REMOVE;
}

static void
encode_thread (GTask *task,
               gpointer source_object,
               gpointer task_data,
               GCancellable *cancellable)
{
  ScanData *data = task_data;
  GError *error = NULL;
  GBytes *payload;

  payload = vital_tensor_encode (data->tensor, VITAL_TENSOR_ENCODE_DEFAULT, -1, &error);
  if (payload == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, payload, (GDestroyNotify) g_bytes_unref);
}

/* Ends the scan: @error (transfer full) fails it; otherwise the recording is checked and
 * encoded on a worker thread. Main context only. */
static void
finish_scan (VitalCapture *self,
             GError *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->scan_task);
  g_autoptr(VitalScanRecorder) recorder = NULL;
  g_autoptr(VitalTensor) tensor = NULL;
  VitalRoiMode roi_mode;
  ScanData *data;

  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }

  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }

  data = g_new0 (ScanData, 1);
  g_mutex_lock (&self->mutex);
  recorder = g_steal_pointer (&self->recorder);
  roi_mode = self->roi_mode;
  g_mutex_unlock (&self->mutex);

  vital_scan_recorder_get_info (recorder, &data->info);
  data->info.exposure_locked = self->exposure_locked;
  g_clear_pointer (&self->camera_lock, vital_camera_lock_release);
  self->exposure_locked = FALSE;
  g_task_set_task_data (task, data, (GDestroyNotify) scan_data_free);

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  tensor = vital_scan_recorder_take_tensor (recorder, roi_mode, &error);
  if (tensor == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data->tensor = g_steal_pointer (&tensor);
  g_task_run_in_thread (task, encode_thread);
}

static gboolean
on_scan_cancelled (GCancellable *cancellable,
                   gpointer user_data)
{
  VitalCapture *self = user_data;

  finish_scan (self, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, "the scan was cancelled"));
  if (self->kind == SOURCE_FILE)
    vital_capture_stop (self);
  return G_SOURCE_REMOVE;
}

/**
 * vital_capture_scan_async:
 * @self: a #VitalCapture
 * @duration_s: seconds to record (0 for %VITAL_CAPTURE_DEFAULT_SCAN_SECONDS; for a file, 0
 *   means the whole file, otherwise its first @duration_s seconds)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main context when the payload is ready or the scan failed
 * @user_data: data for @callback
 *
 * Records a scan: from the next frame on, packed frames are resampled to
 * %VITAL_CAPTURE_FRAME_RATE until @duration_s seconds are recorded (or the file ends, or
 * vital_capture_stop_scan() is called); the payload is then encoded (gzip + delta) on a worker
 * thread. Starts the capture if it is not running. Cameras get auto-exposure and white balance
 * locked for the scan when they allow it. #VitalCapture::scan-progress reports progress.
 */
void
vital_capture_scan_async (VitalCapture *self,
                          double duration_s,
                          GCancellable *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  double seconds;

  g_return_if_fail (VITAL_IS_CAPTURE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vital_capture_scan_async);

  if (self->scan_task != NULL)
    {
      g_task_return_new_error (task, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_BUSY,
                               "a scan is already running");
      return;
    }
  if (!isfinite (duration_s) || duration_s < 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "invalid scan duration");
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  if (duration_s > 0)
    seconds = duration_s;
  else if (self->kind == SOURCE_FILE)
    seconds = VITAL_TENSOR_MAX_FRAMES / VITAL_CAPTURE_FRAME_RATE;
  else
    seconds = VITAL_CAPTURE_DEFAULT_SCAN_SECONDS;

  g_mutex_lock (&self->mutex);
  g_clear_object (&self->recorder);
  self->recorder = vital_scan_recorder_new (seconds);
  g_mutex_unlock (&self->mutex);

  self->scan_task = g_steal_pointer (&task);

  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source,
                             (GSourceFunc) (void (*) (void)) on_scan_cancelled, self, NULL);
      g_source_attach (self->cancel_source, self->context);
    }

  if (!self->running && !vital_capture_start (self, &error))
    {
      finish_scan (self, g_steal_pointer (&error));
      return;
    }

  if (self->kind == SOURCE_CAMERA && self->camera_source != NULL)
    {
      self->camera_lock = vital_camera_lock_controls (self->camera_source, &error);
      self->exposure_locked = self->camera_lock != NULL;
      if (error != NULL)
        g_message ("scan without exposure lock: %s", error->message);
    }
}

/**
 * vital_capture_scan_finish:
 * @self: a #VitalCapture
 * @result: the #GAsyncResult
 * @out_info: (out caller-allocates) (optional): facts about the scan (also on failure, as far
 *   as they are known)
 * @error: return location for a #GError
 *
 * Finishes vital_capture_scan_async().
 *
 * Returns: (transfer full): the encoded payload (vital_tensor_encode() with
 *   %VITAL_TENSOR_ENCODE_DEFAULT), or %NULL with @error set
 */
GBytes *
vital_capture_scan_finish (VitalCapture *self,
                           GAsyncResult *result,
                           VitalScanInfo *out_info,
                           GError **error)
{
  ScanData *data;

  g_return_val_if_fail (VITAL_IS_CAPTURE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (out_info != NULL)
    {
      if (data != NULL)
        *out_info = data->info;
      else
        memset (out_info, 0, sizeof *out_info);
    }
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * vital_capture_stop_scan:
 * @self: a #VitalCapture
 *
 * Ends the running scan now; it completes with what was recorded so far (and fails as too
 * short if that is under %VITAL_CAPTURE_MIN_SCAN_SECONDS).
 */
void
vital_capture_stop_scan (VitalCapture *self)
{
  g_return_if_fail (VITAL_IS_CAPTURE (self));

  if (self->scan_task == NULL)
    return;

  g_mutex_lock (&self->mutex);
  vital_scan_recorder_stop (self->recorder);
  g_mutex_unlock (&self->mutex);
  finish_scan (self, NULL);
}

/**
 * vital_capture_is_scanning:
 * @self: a #VitalCapture
 *
 * Returns: %TRUE while a scan is recording or encoding
 */
gboolean
vital_capture_is_scanning (VitalCapture *self)
{
  g_return_val_if_fail (VITAL_IS_CAPTURE (self), FALSE);

  return self->scan_task != NULL;
}

/* ---- synchronous file analysis ------------------------------------------------------------ */

typedef struct
{
  GAsyncResult *result;
} SyncData;

static void
on_sync_scan_done (GObject *source,
                   GAsyncResult *result,
                   gpointer user_data)
{
  SyncData *data = user_data;

  data->result = g_object_ref (result);
}

/**
 * vital_capture_process_file:
 * @path: a video file
 * @roi_mode: face tracking or full frame
 * @max_duration_s: analyse at most this many seconds from the start (0: the whole file)
 * @cancellable: (nullable): a #GCancellable
 * @out_info: (out caller-allocates) (optional): facts about the scan
 * @error: return location for a #GError
 *
 * Reads a whole video file as fast as possible and returns its encoded payload. Blocks the
 * calling thread (it runs its own main context), so it suits the CLI, benchmarks and server
 * worker threads.
 *
 * Returns: (transfer full): the payload, or %NULL with @error set
 */
GBytes *
vital_capture_process_file (const char *path,
                            VitalRoiMode roi_mode,
                            double max_duration_s,
                            GCancellable *cancellable,
                            VitalScanInfo *out_info,
                            GError **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(VitalCapture) capture = NULL;
  SyncData data = { NULL };
  GBytes *payload;

  g_return_val_if_fail (path != NULL, NULL);

  if (out_info != NULL)
    memset (out_info, 0, sizeof *out_info);

  g_main_context_push_thread_default (context);

  capture = vital_capture_new_for_file (path, error);
  if (capture == NULL)
    {
      g_main_context_pop_thread_default (context);
      return NULL;
    }
  vital_capture_set_roi_mode (capture, roi_mode);
  vital_capture_set_emit_frames (capture, FALSE);
  vital_capture_scan_async (capture, max_duration_s, cancellable, on_sync_scan_done, &data);
  while (data.result == NULL)
    g_main_context_iteration (context, TRUE);

  payload = vital_capture_scan_finish (capture, data.result, out_info, error);
  g_clear_object (&data.result);
  vital_capture_stop (capture);
  g_clear_object (&capture);
  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);

  g_main_context_pop_thread_default (context);
  return payload;
}
