/* vital-capture-pipeline.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the GStreamer side of a capture: the pipeline source (file, camera, demo) → RGB → tee
 * → full-size frames and, in face mode, a VitalFaceDetector's branch; turning samples into
 * plain frames; the decoder's streams; the bus and its errors.
 *
 * Threads: the frame appsink and the detector call the owner's callbacks on GStreamer
 * streaming threads; the bus is watched on the main context given to
 * vital_capture_pipeline_play(). Everything else is that context's.
 */
#include "vital-config.h"

#include <string.h>
#include <gst/app/app.h>
#include <gst/video/video.h>

#include "vital-capture-error.h"
#include "vital-capture-gst.h"
#include "vital-capture-pipeline.h"
#include "vital-face-detector.h"

#define GST_CAT_DEFAULT vital_capture_debug

struct _VitalCapturePipeline
{
  GObject parent_instance;

  VitalCaptureSource source;
  char *path;                       /* files */
  VitalDemoSource *demo;            /* the demo */
  VitalCamera *camera;              /* cameras */
  gboolean live;

  VitalCapturePipelineCallbacks callbacks;
  gpointer user_data;

  GstElement *pipeline;
  GstElement *camera_source;
  GSource *bus_source;
  gboolean running;
  gboolean video_linked;            /* streaming thread of the decoder */
  VitalFaceDetector *detector;      /* in face mode, while built */
};

G_DEFINE_FINAL_TYPE (VitalCapturePipeline, vital_capture_pipeline, G_TYPE_OBJECT)

/* ---- GObject ------------------------------------------------------------------------------ */

static void
vital_capture_pipeline_dispose (GObject *object)
{
  VitalCapturePipeline *self = VITAL_CAPTURE_PIPELINE (object);

  vital_capture_pipeline_stop (self);

  G_OBJECT_CLASS (vital_capture_pipeline_parent_class)->dispose (object);
}

static void
vital_capture_pipeline_finalize (GObject *object)
{
  VitalCapturePipeline *self = VITAL_CAPTURE_PIPELINE (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->demo, vital_demo_source_free);
  g_clear_object (&self->camera);

  G_OBJECT_CLASS (vital_capture_pipeline_parent_class)->finalize (object);
}

static void
vital_capture_pipeline_class_init (VitalCapturePipelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vital_capture_pipeline_dispose;
  object_class->finalize = vital_capture_pipeline_finalize;
}

static void
vital_capture_pipeline_init (VitalCapturePipeline *self)
{
}

/* ---- constructors and accessors ----------------------------------------------------------- */

/**
 * vital_capture_pipeline_new_for_file:
 * @path: a video file's path or URI (whether it exists and decodes is found out when the
 *   pipeline plays)
 *
 * Creates a pipeline that reads @path as fast as its consumers allow.
 *
 * Returns: (transfer full): a new #VitalCapturePipeline
 */
VitalCapturePipeline *
vital_capture_pipeline_new_for_file (const char *path)
{
  VitalCapturePipeline *self;

  g_return_val_if_fail (path != NULL, NULL);

  vital_capture_gst_init ();

  self = g_object_new (VITAL_TYPE_CAPTURE_PIPELINE, NULL);
  self->source = VITAL_CAPTURE_SOURCE_FILE;
  self->path = g_strdup (path);
  self->live = FALSE;
  return self;
}

/**
 * vital_capture_pipeline_new_for_demo:
 * @demo: (transfer full): the demo subject; the pipeline owns it from now on
 *
 * Creates a pipeline of the demo subject: live (paced at its frame rate) when its settings
 * say real time, otherwise as fast as its consumers allow; it ends after its settings'
 * duration unless that is 0.
 *
 * Returns: (transfer full): a new #VitalCapturePipeline
 */
VitalCapturePipeline *
vital_capture_pipeline_new_for_demo (VitalDemoSource *demo)
{
  VitalCapturePipeline *self;

  g_return_val_if_fail (demo != NULL, NULL);

  vital_capture_gst_init ();

  self = g_object_new (VITAL_TYPE_CAPTURE_PIPELINE, NULL);
  self->source = VITAL_CAPTURE_SOURCE_DEMO;
  self->demo = demo;
  self->live = vital_demo_source_get_settings (demo)->realtime;
  return self;
}

/**
 * vital_capture_pipeline_new_for_camera:
 * @camera: a camera; the pipeline keeps a reference
 *
 * Creates a live pipeline of @camera (its preferred formats, see
 * vital_camera_get_preferred_caps()).
 *
 * Returns: (transfer full): a new #VitalCapturePipeline
 */
VitalCapturePipeline *
vital_capture_pipeline_new_for_camera (VitalCamera *camera)
{
  VitalCapturePipeline *self;

  g_return_val_if_fail (VITAL_IS_CAMERA (camera), NULL);

  vital_capture_gst_init ();

  self = g_object_new (VITAL_TYPE_CAPTURE_PIPELINE, NULL);
  self->source = VITAL_CAPTURE_SOURCE_CAMERA;
  self->camera = g_object_ref (camera);
  self->live = TRUE;
  return self;
}

/**
 * vital_capture_pipeline_set_callbacks:
 * @self: a #VitalCapturePipeline
 * @callbacks: what to call; copied
 * @user_data: passed to each callback; not referenced, so the owner must outlive the running
 *   pipeline (vital_capture_pipeline_stop() ends all calls)
 *
 * Sets where the pipeline's frames, detections, errors and end go. Set them while stopped.
 */
void
vital_capture_pipeline_set_callbacks (VitalCapturePipeline *self,
                                      const VitalCapturePipelineCallbacks *callbacks,
                                      gpointer user_data)
{
  g_return_if_fail (VITAL_IS_CAPTURE_PIPELINE (self));
  g_return_if_fail (callbacks != NULL);
  g_return_if_fail (self->pipeline == NULL);

  self->callbacks = *callbacks;
  self->user_data = user_data;
}

/**
 * vital_capture_pipeline_get_source:
 * @self: a #VitalCapturePipeline
 *
 * Returns: where the frames come from
 */
VitalCaptureSource
vital_capture_pipeline_get_source (VitalCapturePipeline *self)
{
  g_return_val_if_fail (VITAL_IS_CAPTURE_PIPELINE (self), VITAL_CAPTURE_SOURCE_FILE);

  return self->source;
}

/**
 * vital_capture_pipeline_get_is_live:
 * @self: a #VitalCapturePipeline
 *
 * Returns: %TRUE for real-time sources (camera, real-time demo)
 */
gboolean
vital_capture_pipeline_get_is_live (VitalCapturePipeline *self)
{
  g_return_val_if_fail (VITAL_IS_CAPTURE_PIPELINE (self), FALSE);

  return self->live;
}

/**
 * vital_capture_pipeline_get_camera_source:
 * @self: a #VitalCapturePipeline
 *
 * Returns: (transfer none) (nullable): the camera's source element (v4l2src, pipewiresrc, …)
 *   from vital_capture_pipeline_build() until vital_capture_pipeline_stop(); %NULL for other
 *   sources or when not built
 */
GstElement *
vital_capture_pipeline_get_camera_source (VitalCapturePipeline *self)
{
  g_return_val_if_fail (VITAL_IS_CAPTURE_PIPELINE (self), NULL);

  return self->camera_source;
}

/**
 * vital_capture_pipeline_is_running:
 * @self: a #VitalCapturePipeline
 *
 * Returns: %TRUE from a successful vital_capture_pipeline_play() until
 *   vital_capture_pipeline_stop()
 */
gboolean
vital_capture_pipeline_is_running (VitalCapturePipeline *self)
{
  g_return_val_if_fail (VITAL_IS_CAPTURE_PIPELINE (self), FALSE);

  return self->running;
}

/* What the person knows the source as, for error messages. */
static char *
source_name (VitalCapturePipeline *self)
{
  return g_path_get_basename (self->path != NULL ? self->path
                              : self->source == VITAL_CAPTURE_SOURCE_DEMO ? "demo" : "camera");
}

/* ---- streaming threads -------------------------------------------------------------------- */

/* The frame appsink's new sample (its streaming thread): the frame copied out of GStreamer's
 * memory into a VitalRgbFrame, which the owner's frame callback takes. */
static GstFlowReturn
on_main_sample (GstAppSink *sink,
                gpointer user_data)
{
  VitalCapturePipeline *self = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
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

  if (self->callbacks.frame != NULL)
    self->callbacks.frame (pf, self->user_data);
  else
    vital_rgb_frame_free (pf);

  return GST_FLOW_OK;
}

/* Posts @error (borrowed) on the bus as @element's, for the owner's error callback. */
static void
post_error (GstElement *element,
            GError *error)
{
  gst_element_post_message (element, gst_message_new_error (GST_OBJECT (element), error, NULL));
}

/* A decoder's new stream (its streaming thread): the first video stream is linked to the
 * conversion to RGB, any other is consumed by a fakesink. */
static void
on_decoder_pad_added (GstElement *decoder,
                      GstPad *pad,
                      gpointer user_data)
{
  VitalCapturePipeline *self = user_data;
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

      GST_DEBUG_OBJECT (self->pipeline, "ignoring the decoder's %s stream",
                        gst_structure_get_name (s));
      g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
      gst_bin_add (GST_BIN (self->pipeline), sink);
      gst_element_sync_state_with_parent (sink);
      fake_pad = gst_element_get_static_pad (sink, "sink");
      gst_pad_link (pad, fake_pad);
    }
  gst_object_unref (conv);
}

/* The decoder has found all its streams: without a video stream, the pipeline fails. */
static void
on_decoder_no_more_pads (GstElement *decoder,
                         gpointer user_data)
{
  VitalCapturePipeline *self = user_data;

  if (!self->video_linked)
    {
      g_autofree char *name = g_path_get_basename (self->path != NULL ? self->path : "input");
      g_autoptr(GError) error = g_error_new (VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_UNSUPPORTED,
                                             "“%s” has no video stream", name);

      post_error (decoder, error);
    }
}

/* ---- building ----------------------------------------------------------------------------- */

/* The source in front of @input: uridecodebin, the demo's appsrc, or camera → decodebin. */
static gboolean
add_source (VitalCapturePipeline *self,
            GstElement *pipeline,
            GstElement *input,
            GError **error)
{
  switch (self->source)
    {
    case VITAL_CAPTURE_SOURCE_FILE:
      {
        GstElement *decoder = vital_capture_make_element ("uridecodebin", NULL, error);
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
      return TRUE;

    case VITAL_CAPTURE_SOURCE_DEMO:
      {
        GstElement *src = vital_demo_source_create_element (self->demo, "demo", error);

        if (src == NULL)
          return FALSE;
        gst_bin_add (GST_BIN (pipeline), src);
        if (!gst_element_link (src, input))
          {
            g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_FAILED,
                         "could not link the demo source");
            return FALSE;
          }
      }
      return TRUE;

    case VITAL_CAPTURE_SOURCE_CAMERA:
      {
        GstElement *source = vital_camera_create_source (self->camera, error);
        GstElement *filter, *decoder;
        g_autoptr(GstCaps) caps = vital_camera_get_preferred_caps ();

        if (source == NULL)
          return FALSE;
        filter = vital_capture_make_element ("capsfilter", NULL, error);
        decoder = filter ? vital_capture_make_element ("decodebin", NULL, error) : NULL;
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
      return TRUE;

    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

/**
 * vital_capture_pipeline_build:
 * @self: a #VitalCapturePipeline, stopped
 * @roi_mode: %VITAL_ROI_FACE adds the face-detection branch
 * @error: return location for a #GError
 *
 * Builds the GStreamer pipeline: the source, conversion to RGB at the source's size, a tee,
 * the frame branch and, in %VITAL_ROI_FACE mode, a #VitalFaceDetector's branch (see
 * #VitalCapturePipelineCallbacks). It does not play yet.
 *
 * Returns: %TRUE when built; %FALSE with @error set (a missing element or cascade is
 *   %VITAL_CAPTURE_ERROR_MISSING_PLUGIN), and nothing is kept
 */
gboolean
vital_capture_pipeline_build (VitalCapturePipeline *self,
                              VitalRoiMode roi_mode,
                              GError **error)
{
  /* Declared first, so freed after the elements that call it. */
  g_autoptr(VitalFaceDetector) detector = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstCaps) rgb_caps = NULL;
  GstElement *input, *rgb_filter, *tee, *main_queue, *main_sink;
  GstAppSinkCallbacks main_callbacks = { .new_sample = on_main_sample };

  g_return_val_if_fail (VITAL_IS_CAPTURE_PIPELINE (self), FALSE);
  g_return_val_if_fail (self->pipeline == NULL, FALSE);

  self->video_linked = FALSE;
  self->camera_source = NULL;

  pipeline = gst_pipeline_new ("vital-capture");
  input = vital_capture_make_element ("videoconvert", "input", error);
  rgb_filter = input ? vital_capture_make_element ("capsfilter", NULL, error) : NULL;
  tee = rgb_filter ? vital_capture_make_element ("tee", NULL, error) : NULL;
  main_queue = tee ? vital_capture_make_element ("queue", NULL, error) : NULL;
  main_sink = main_queue ? vital_capture_make_element ("appsink", "frames", error) : NULL;
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
  g_object_set (main_sink, "caps", rgb_caps,
                "sync", self->live && self->source == VITAL_CAPTURE_SOURCE_DEMO,
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

  if (roi_mode == VITAL_ROI_FACE)
    {
      detector = vital_face_detector_new (self->live, &self->callbacks.detector,
                                          self->user_data);
      if (!vital_face_detector_attach (detector, GST_BIN (pipeline), tee, error))
        return FALSE;
    }
  if (!add_source (self, pipeline, input, error))
    {
      self->camera_source = NULL;
      return FALSE;
    }

  GST_DEBUG_OBJECT (pipeline, "built for %s, %s, %s",
                    self->source == VITAL_CAPTURE_SOURCE_FILE ? "a file"
                    : self->source == VITAL_CAPTURE_SOURCE_DEMO ? "the demo" : "a camera",
                    self->live ? "live" : "as fast as possible",
                    roi_mode == VITAL_ROI_FACE ? "with face detection" : "full frame");
  self->detector = g_steal_pointer (&detector);
  self->pipeline = g_steal_pointer (&pipeline);
  return TRUE;
}

/* ---- running ------------------------------------------------------------------------------ */

/* A pipeline error as a #VitalCaptureError, with GStreamer's details in the debug log. */
static GError *
map_error (VitalCapturePipeline *self,
           const GError *gst_error,
           const char *debug)
{
  g_autofree char *name = source_name (self);

  GST_WARNING_OBJECT (self->pipeline, "pipeline error: %s (%s)", gst_error->message,
                      debug != NULL ? debug : "no details");

  return vital_capture_error_from_gst (gst_error, name,
                                       self->source == VITAL_CAPTURE_SOURCE_CAMERA);
}

/* The bus (the owner's main context): errors, mapped, and end-of-stream go to the owner's
 * callbacks; an error also removes the watch. */
static gboolean
on_bus_message (GstBus *bus,
                GstMessage *message,
                gpointer user_data)
{
  VitalCapturePipeline *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) gst_error = NULL;
        g_autofree char *debug = NULL;
        g_autoptr(GError) error = NULL;

        gst_message_parse_error (message, &gst_error, &debug);
        error = map_error (self, gst_error, debug);
        if (self->callbacks.error != NULL)
          {
            g_object_ref (self);
            self->callbacks.error (error, self->user_data);
            g_object_unref (self);
          }
        return G_SOURCE_REMOVE;
      }

    case GST_MESSAGE_EOS:
      GST_DEBUG_OBJECT (self->pipeline, "end of stream");
      if (self->callbacks.eos != NULL)
        {
          g_object_ref (self);
          self->callbacks.eos (self->user_data);
          g_object_unref (self);
        }
      return G_SOURCE_CONTINUE;

    default:
      return G_SOURCE_CONTINUE;
    }
}

/**
 * vital_capture_pipeline_play:
 * @self: a #VitalCapturePipeline built with vital_capture_pipeline_build()
 * @context: the main context on which the bus is watched (#VitalCapturePipelineCallbacks'
 *   @error and @eos); the pipeline keeps a reference while it runs
 * @error: return location for a #GError
 *
 * Starts the pipeline: live sources begin producing frames, a file is read to its end.
 *
 * Returns: %TRUE when the pipeline started; %FALSE with @error set (the pipeline's own error
 *   mapped onto #VitalCaptureError when it posted one), and the pipeline is stopped
 */
gboolean
vital_capture_pipeline_play (VitalCapturePipeline *self,
                             GMainContext *context,
                             GError **error)
{
  g_autoptr(GstBus) bus = NULL;

  g_return_val_if_fail (VITAL_IS_CAPTURE_PIPELINE (self), FALSE);
  g_return_val_if_fail (self->pipeline != NULL, FALSE);
  g_return_val_if_fail (!self->running, FALSE);

  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  self->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (self->bus_source, (GSourceFunc) (void (*) (void)) on_bus_message,
                         self, NULL);
  g_source_attach (self->bus_source, context);

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
      vital_capture_pipeline_stop (self);
      return FALSE;
    }

  self->running = TRUE;
  return TRUE;
}

/**
 * vital_capture_pipeline_stop:
 * @self: a #VitalCapturePipeline
 *
 * Stops and frees the GStreamer pipeline; when it returns, no streaming thread calls the
 * callbacks any more and the bus is no longer watched. It can be built again. Stopping a
 * stopped pipeline does nothing.
 */
void
vital_capture_pipeline_stop (VitalCapturePipeline *self)
{
  g_return_if_fail (VITAL_IS_CAPTURE_PIPELINE (self));

  if (self->pipeline != NULL)
    {
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      g_clear_object (&self->pipeline);
    }
  g_clear_object (&self->detector);
  self->camera_source = NULL;
  if (self->bus_source != NULL)
    {
      g_source_destroy (self->bus_source);
      g_clear_pointer (&self->bus_source, g_source_unref);
    }
  self->running = FALSE;
}

/**
 * vital_capture_pipeline_lock_camera:
 * @self: a running camera #VitalCapturePipeline
 * @error: return location for a #GError
 *
 * Locks the camera's auto-exposure and white balance (see vital_camera_lock_controls()).
 *
 * Returns: (transfer full) (nullable): the lock, which the caller releases with
 *   vital_camera_lock_release() before it stops the pipeline; %NULL with @error set when the
 *   camera does not allow it
 */
VitalCameraLock *
vital_capture_pipeline_lock_camera (VitalCapturePipeline *self,
                                    GError **error)
{
  g_return_val_if_fail (VITAL_IS_CAPTURE_PIPELINE (self), NULL);
  g_return_val_if_fail (self->camera_source != NULL, NULL);

  return vital_camera_lock_controls (self->camera_source, error);
}
