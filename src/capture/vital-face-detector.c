/* vital-face-detector.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns face detection in the capture pipeline: the branch tee → queue → subsampling probe →
 * videoscale → facedetect → appsink, how often and how small it looks, where OpenCV's cascade
 * is found, and scaling the boxes it finds back to the full frame.
 *
 * Threads: the probe and the appsink callbacks run on the branch's streaming thread, which is
 * the only one to touch the detector once attached.
 */
#include "vital-config.h"

#include <math.h>
#include <gst/app/app.h>
#include <gst/video/video.h>

#include "vital-capture-error.h"
#include "vital-capture-gst.h"
#include "vital-face-detector.h"

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

struct _VitalFaceDetector
{
  GObject parent_instance;

  gboolean live;
  VitalFaceDetectorCallbacks callbacks;
  gpointer user_data;

  GstElement *tee;                  /* the full-size frames' tee; the pipeline's */
  gint64 last_kept_us;              /* the last frame let through to facedetect */
};

G_DEFINE_FINAL_TYPE (VitalFaceDetector, vital_face_detector, G_TYPE_OBJECT)

static void
vital_face_detector_class_init (VitalFaceDetectorClass *klass)
{
  /* facedetect loads its nose, mouth and eye cascades whether used or not, and OpenCV logs an
   * ERROR for each that Debian does not ship (opencv_contrib's), on every pipeline. Only the
   * face cascade is used here; the user can still raise the level. Set before OpenCV's logger
   * reads it, on first use of the type (before the first facedetect is made). */
  g_setenv ("OPENCV_LOG_LEVEL", "FATAL", FALSE);
}

static void
vital_face_detector_init (VitalFaceDetector *self)
{
  self->last_kept_us = G_MININT64;
}

/**
 * vital_face_detector_new:
 * @live: %TRUE for a real-time source: about 10 detections a second, and frames that come
 *   while the detector is busy are dropped; %FALSE: about 5 a second, and the branch holds
 *   the frame branch back rather than drop frames
 * @callbacks: what to call; copied
 * @user_data: passed to each callback; not referenced, so it must outlive the pipeline's
 *   streaming
 *
 * Creates a detector for one run of a pipeline; vital_face_detector_attach() adds its branch.
 *
 * Returns: (transfer full): a new #VitalFaceDetector
 */
VitalFaceDetector *
vital_face_detector_new (gboolean live,
                         const VitalFaceDetectorCallbacks *callbacks,
                         gpointer user_data)
{
  VitalFaceDetector *self;

  g_return_val_if_fail (callbacks != NULL, NULL);

  self = g_object_new (VITAL_TYPE_FACE_DETECTOR, NULL);
  self->live = live;
  self->callbacks = *callbacks;
  self->user_data = user_data;
  return self;
}

/* facedetect's output (the branch's streaming thread): its face boxes, scaled from the
 * detection width to the full frame's size, go to the detection callback. */
static GstFlowReturn
on_detect_sample (GstAppSink *sink,
                  gpointer user_data)
{
  VitalFaceDetector *self = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  g_autoptr(GstCaps) full_caps = NULL;
  g_autoptr(GArray) faces = g_array_new (FALSE, FALSE, sizeof (VitalRect));
  g_autoptr(GstPad) tee_pad = NULL;
  GstVideoInfo det_info, full_info;
  GstVideoRegionOfInterestMeta *meta;
  gpointer state = NULL;
  GstBuffer *buffer;
  double sx, sy;

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

  if (self->callbacks.detection != NULL)
    self->callbacks.detection ((gint64) (GST_BUFFER_PTS (buffer) / GST_USECOND),
                               (const VitalRect *) faces->data, faces->len, self->user_data);

  return GST_FLOW_OK;
}

/* The branch's end of stream: no more detections will come. */
static void
on_detect_eos (GstAppSink *sink,
               gpointer user_data)
{
  VitalFaceDetector *self = user_data;

  if (self->callbacks.eos != NULL)
    self->callbacks.eos (self->user_data);
}

/* Lets through to facedetect only frames DETECT_INTERVAL_*_US apart; the owner hears of each
 * frame dropped here, as no detection will come for it. */
static GstPadProbeReturn
subsample_probe (GstPad *pad,
                 GstPadProbeInfo *info,
                 gpointer user_data)
{
  VitalFaceDetector *self = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  gint64 pts_us;

  if (buffer == NULL || !GST_BUFFER_PTS_IS_VALID (buffer))
    return GST_PAD_PROBE_OK;

  pts_us = (gint64) (GST_BUFFER_PTS (buffer) / GST_USECOND);
  if (self->last_kept_us == G_MININT64
      || pts_us - self->last_kept_us
           >= (self->live ? DETECT_INTERVAL_LIVE_US : DETECT_INTERVAL_FILE_US)
      || pts_us < self->last_kept_us)
    {
      self->last_kept_us = pts_us;
      return GST_PAD_PROBE_OK;
    }

  if (self->callbacks.no_detection != NULL)
    self->callbacks.no_detection (pts_us, self->user_data);
  return GST_PAD_PROBE_DROP;
}

/**
 * vital_face_detector_attach:
 * @self: a #VitalFaceDetector, not yet attached
 * @pipeline: the capture pipeline, not yet playing
 * @tee: the tee in @pipeline that carries the full-size RGB frames; the branch hangs off it
 * @error: return location for a #GError
 *
 * Adds the detection branch to @pipeline. Once it plays, @self reports through its callbacks
 * until the pipeline is stopped; @self must stay alive until then.
 *
 * Returns: %TRUE when the branch was added; %FALSE with @error set
 *   (%VITAL_CAPTURE_ERROR_MISSING_PLUGIN without facedetect or the frontal-face cascade)
 */
gboolean
vital_face_detector_attach (VitalFaceDetector *self,
                            GstBin *pipeline,
                            GstElement *tee,
                            GError **error)
{
  GstElement *det_queue, *det_scale, *det_filter, *detect, *det_sink;
  GstAppSinkCallbacks det_callbacks = { .eos = on_detect_eos,
                                        .new_sample = on_detect_sample };
  g_autoptr(GstCaps) det_caps = NULL;
  g_autoptr(GstPad) probe_pad = NULL;
  const char *cascade = NULL;

  g_return_val_if_fail (VITAL_IS_FACE_DETECTOR (self), FALSE);
  g_return_val_if_fail (GST_IS_BIN (pipeline), FALSE);
  g_return_val_if_fail (GST_IS_ELEMENT (tee), FALSE);
  g_return_val_if_fail (self->tee == NULL, FALSE);

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

  det_queue = vital_capture_make_element ("queue", NULL, error);
  det_scale = det_queue ? vital_capture_make_element ("videoscale", NULL, error) : NULL;
  det_filter = det_scale ? vital_capture_make_element ("capsfilter", NULL, error) : NULL;
  detect = det_filter ? vital_capture_make_element ("facedetect", NULL, error) : NULL;
  det_sink = detect ? vital_capture_make_element ("appsink", "detections", error) : NULL;
  if (det_sink == NULL)
    {
      g_clear_object (&det_queue);
      g_clear_object (&det_scale);
      g_clear_object (&det_filter);
      g_clear_object (&detect);
      return FALSE;
    }

  gst_bin_add_many (pipeline, det_queue, det_scale, det_filter, detect, det_sink, NULL);
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
  gst_pad_add_probe (probe_pad, GST_PAD_PROBE_TYPE_BUFFER, subsample_probe, self, NULL);
  self->tee = tee;
  return TRUE;
}
