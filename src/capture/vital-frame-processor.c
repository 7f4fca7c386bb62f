/* vital-frame-processor.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns frame processing without GStreamer: frames wait until face detection has looked far
 * enough past them (detection matching), then the tracker's box gives the skin regions, the
 * face centre's speed gives motion, frame statistics give guidance, and the regions are packed
 * into one 12×72×72 tensor frame.
 */
#include "vital-config.h"

#include <math.h>
#include <string.h>

#include "vital-face-tracker.h"
#include "vital-frame-processor.h"

struct _VitalFrameProcessor
{
  GObject parent_instance;

  gboolean live;
  VitalRoiMode roi_mode;

  /* Detection matching. */
  GQueue pending;                   /* VitalRgbFrame, oldest first */
  gint64 det_progress_us;           /* no detection older than this is still to come */
  gboolean det_eos;

  VitalFaceTracker *tracker;

  /* Motion. */
  gboolean have_prev_center;
  double prev_cx;
  double prev_cy;
  gint64 prev_pts_us;
  double motion;

  guint8 *planes;                   /* VITAL_TENSOR_FRAME_SIZE */
};

G_DEFINE_FINAL_TYPE (VitalFrameProcessor, vital_frame_processor, G_TYPE_OBJECT)

/* ---- VitalRgbFrame ------------------------------------------------------------------------ */

/**
 * vital_rgb_frame_new:
 * @pts_us: presentation time in µs
 * @width: width in pixels (> 0)
 * @height: height in pixels (> 0)
 *
 * Allocates a frame with rows of 3 × @width bytes; its pixels are not initialised.
 *
 * Returns: (transfer full): the frame; free it with vital_rgb_frame_free()
 */
VitalRgbFrame *
vital_rgb_frame_new (gint64 pts_us,
                     int width,
                     int height)
{
  VitalRgbFrame *frame;

  g_return_val_if_fail (width > 0 && height > 0, NULL);

  frame = g_new0 (VitalRgbFrame, 1);
  frame->pts_us = pts_us;
  frame->width = width;
  frame->height = height;
  frame->stride = (gsize) width * 3;
  frame->rgb = g_malloc_n (frame->stride, (gsize) height);
  return frame;
}

/**
 * vital_rgb_frame_free:
 * @frame: (transfer full) (nullable): a frame
 *
 * Frees @frame and its pixels.
 */
void
vital_rgb_frame_free (VitalRgbFrame *frame)
{
  if (frame == NULL)
    return;
  g_free (frame->rgb);
  g_free (frame);
}

static gboolean
check_frame (const VitalRgbFrame *frame,
             GError **error)
{
  if (frame->rgb == NULL || frame->width <= 0 || frame->height <= 0
      || frame->stride < (gsize) frame->width * 3)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "invalid RGB frame at %" G_GINT64_FORMAT " µs: %d×%d, stride %"
                   G_GSIZE_FORMAT "%s", frame->pts_us, frame->width, frame->height,
                   frame->stride, frame->rgb == NULL ? ", no pixels" : "");
      return FALSE;
    }
  return TRUE;
}

/* ---- GObject ------------------------------------------------------------------------------ */

static void
vital_frame_processor_finalize (GObject *object)
{
  VitalFrameProcessor *self = VITAL_FRAME_PROCESSOR (object);

  g_queue_clear_full (&self->pending, (GDestroyNotify) vital_rgb_frame_free);
  g_clear_object (&self->tracker);
  g_clear_pointer (&self->planes, g_free);

  G_OBJECT_CLASS (vital_frame_processor_parent_class)->finalize (object);
}

static void
vital_frame_processor_class_init (VitalFrameProcessorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vital_frame_processor_finalize;
}

static void
vital_frame_processor_init (VitalFrameProcessor *self)
{
  g_queue_init (&self->pending);
  self->roi_mode = VITAL_ROI_FACE;
  self->tracker = vital_face_tracker_new ();
  self->planes = g_malloc0 (VITAL_TENSOR_FRAME_SIZE);
}

/**
 * vital_frame_processor_new:
 * @live: %TRUE for a real-time source (frames wait for detection at most
 *   %VITAL_FRAME_PROCESSOR_LIVE_MAX_LAG_US, every detection known shapes the box); %FALSE for
 *   files and the fast demo (frames wait for detections %VITAL_FRAME_PROCESSOR_LOOKAHEAD_US
 *   past them, and only those shape the box, so the result depends on the video alone)
 *
 * Creates a processor in %VITAL_ROI_FACE mode. A processor is not thread-safe: its owner
 * serialises calls.
 *
 * Returns: (transfer full): a new #VitalFrameProcessor
 */
VitalFrameProcessor *
vital_frame_processor_new (gboolean live)
{
  VitalFrameProcessor *self = g_object_new (VITAL_TYPE_FRAME_PROCESSOR, NULL);

  self->live = !!live;
  vital_frame_processor_reset (self);
  return self;
}

/**
 * vital_frame_processor_get_live:
 * @self: a #VitalFrameProcessor
 *
 * Returns: whether @self was made for a real-time source
 */
gboolean
vital_frame_processor_get_live (VitalFrameProcessor *self)
{
  g_return_val_if_fail (VITAL_IS_FRAME_PROCESSOR (self), FALSE);

  return self->live;
}

/**
 * vital_frame_processor_set_roi_mode:
 * @self: a #VitalFrameProcessor
 * @mode: where the regions come from
 *
 * In %VITAL_ROI_FULL_FRAME mode detections are not waited for and every region is the whole
 * frame. Change it between runs (after vital_frame_processor_reset()).
 */
void
vital_frame_processor_set_roi_mode (VitalFrameProcessor *self,
                                    VitalRoiMode mode)
{
  g_return_if_fail (VITAL_IS_FRAME_PROCESSOR (self));
  g_return_if_fail (mode == VITAL_ROI_FACE || mode == VITAL_ROI_FULL_FRAME);

  self->roi_mode = mode;
}

/**
 * vital_frame_processor_get_roi_mode:
 * @self: a #VitalFrameProcessor
 *
 * Returns: the #VitalRoiMode
 */
VitalRoiMode
vital_frame_processor_get_roi_mode (VitalFrameProcessor *self)
{
  g_return_val_if_fail (VITAL_IS_FRAME_PROCESSOR (self), VITAL_ROI_FACE);

  return self->roi_mode;
}

/**
 * vital_frame_processor_reset:
 * @self: a #VitalFrameProcessor
 *
 * Starts a new run: drops the frames still waiting, forgets every detection and the motion
 * history. The #VitalRoiMode is kept.
 */
void
vital_frame_processor_reset (VitalFrameProcessor *self)
{
  g_return_if_fail (VITAL_IS_FRAME_PROCESSOR (self));

  g_queue_clear_full (&self->pending, (GDestroyNotify) vital_rgb_frame_free);
  self->det_progress_us = G_MININT64;
  self->det_eos = FALSE;
  self->have_prev_center = FALSE;
  self->motion = 0.0;
  vital_face_tracker_reset (self->tracker);
  vital_face_tracker_set_horizon (self->tracker,
                                  self->live ? G_MAXINT64 : VITAL_FRAME_PROCESSOR_LOOKAHEAD_US);
}

/* ---- detection matching ------------------------------------------------------------------- */

/**
 * vital_frame_processor_push_frame:
 * @self: a #VitalFrameProcessor
 * @frame: (transfer full): the next source frame
 * @error: return location for a #GError
 *
 * Queues @frame until face detection has progressed far enough past it (see
 * vital_frame_processor_pop_ready()). A frame without pixels, with a width or height under 1
 * or with a stride under 3 × width is freed and refused with %G_IO_ERROR_INVALID_ARGUMENT.
 *
 * Returns: %TRUE when @frame was queued
 */
gboolean
vital_frame_processor_push_frame (VitalFrameProcessor *self,
                                  VitalRgbFrame *frame,
                                  GError **error)
{
  g_autoptr(VitalRgbFrame) owned = frame;

  g_return_val_if_fail (VITAL_IS_FRAME_PROCESSOR (self), FALSE);
  g_return_val_if_fail (frame != NULL, FALSE);

  if (!check_frame (frame, error))
    return FALSE;
  g_queue_push_tail (&self->pending, g_steal_pointer (&owned));
  return TRUE;
}

/**
 * vital_frame_processor_push_detection:
 * @self: a #VitalFrameProcessor
 * @pts_us: the presentation time of the frame the detector looked at, in µs
 * @faces: (array length=n_faces) (nullable): the faces found in it, in frame pixels
 * @n_faces: the number of faces (0: the detector found none)
 *
 * Adds one detector result (see vital_face_tracker_push_detection(): empty boxes are ignored,
 * the face continuing the track is kept). Detection has then progressed to @pts_us.
 */
void
vital_frame_processor_push_detection (VitalFrameProcessor *self,
                                      gint64 pts_us,
                                      const VitalRect *faces,
                                      guint n_faces)
{
  g_return_if_fail (VITAL_IS_FRAME_PROCESSOR (self));
  g_return_if_fail (faces != NULL || n_faces == 0);

  vital_face_tracker_push_detection (self->tracker, pts_us, faces, n_faces);
  self->det_progress_us = MAX (self->det_progress_us, pts_us);
}

/**
 * vital_frame_processor_skip_detection:
 * @self: a #VitalFrameProcessor
 * @pts_us: the presentation time of a frame the detector will not look at, in µs
 *
 * Detection runs on a subset of the frames: no result will come for the frame at @pts_us,
 * which counts as progress like a detection would.
 */
void
vital_frame_processor_skip_detection (VitalFrameProcessor *self,
                                      gint64 pts_us)
{
  g_return_if_fail (VITAL_IS_FRAME_PROCESSOR (self));

  self->det_progress_us = MAX (self->det_progress_us, pts_us);
}

/**
 * vital_frame_processor_end_detections:
 * @self: a #VitalFrameProcessor
 *
 * No detection will come any more (the detector reached the end of the stream): every
 * waiting frame is ready.
 */
void
vital_frame_processor_end_detections (VitalFrameProcessor *self)
{
  g_return_if_fail (VITAL_IS_FRAME_PROCESSOR (self));

  self->det_eos = TRUE;
}

/**
 * vital_frame_processor_get_n_pending:
 * @self: a #VitalFrameProcessor
 *
 * Returns: the number of frames waiting for detection
 */
guint
vital_frame_processor_get_n_pending (VitalFrameProcessor *self)
{
  g_return_val_if_fail (VITAL_IS_FRAME_PROCESSOR (self), 0);

  return g_queue_get_length (&self->pending);
}

/**
 * vital_frame_processor_pop_ready:
 * @self: a #VitalFrameProcessor
 * @flush: %TRUE to hand out the oldest waiting frame whatever detection has seen (end of
 *   the source)
 *
 * The oldest waiting frame, once it is ready: detection has progressed
 * %VITAL_FRAME_PROCESSOR_LOOKAHEAD_US past it (files) or up to it (live sources), or a live
 * frame is %VITAL_FRAME_PROCESSOR_LIVE_MAX_LAG_US behind the newest one, or detection has
 * ended, or more than %VITAL_FRAME_PROCESSOR_MAX_PENDING frames wait. Always in
 * %VITAL_ROI_FULL_FRAME mode. Frames come out in the order they were pushed; hand each to
 * vital_frame_processor_process() (or drop it).
 *
 * Returns: (transfer full) (nullable): the frame, or %NULL when none is ready
 */
VitalRgbFrame *
vital_frame_processor_pop_ready (VitalFrameProcessor *self,
                                 gboolean flush)
{
  VitalRgbFrame *frame, *newest;
  gboolean ready;

  g_return_val_if_fail (VITAL_IS_FRAME_PROCESSOR (self), NULL);

  frame = g_queue_peek_head (&self->pending);
  if (frame == NULL)
    return NULL;

  newest = g_queue_peek_tail (&self->pending);
  ready = flush
    || self->roi_mode == VITAL_ROI_FULL_FRAME
    || self->det_eos
    || g_queue_get_length (&self->pending) > VITAL_FRAME_PROCESSOR_MAX_PENDING
    || (self->live && self->det_progress_us >= frame->pts_us)
    || (self->live && newest->pts_us - frame->pts_us > VITAL_FRAME_PROCESSOR_LIVE_MAX_LAG_US)
    || (!self->live
        && self->det_progress_us >= frame->pts_us + VITAL_FRAME_PROCESSOR_LOOKAHEAD_US);
  if (!ready)
    return NULL;

  return g_queue_pop_head (&self->pending);
}

/* ---- processing --------------------------------------------------------------------------- */

static void
update_motion (VitalFrameProcessor *self,
               gboolean has_face,
               const VitalRect *box,
               gint64 pts_us)
{
  double cx, cy, dt;

  if (!has_face || self->roi_mode == VITAL_ROI_FULL_FRAME)
    {
      self->have_prev_center = FALSE;
      self->motion = 0.0;
      return;
    }

  cx = box->x + box->width / 2.0;
  cy = box->y + box->height / 2.0;
  dt = (double) (pts_us - self->prev_pts_us) / G_TIME_SPAN_SECOND;
  if (self->have_prev_center && dt > 0 && dt < 1.0)
    {
      double speed = hypot (cx - self->prev_cx, cy - self->prev_cy) / MAX (box->width, 1) / dt;
      double alpha = dt / (VITAL_FRAME_PROCESSOR_MOTION_TAU_S + dt);

      self->motion += alpha * (speed - self->motion);
    }
  self->have_prev_center = TRUE;
  self->prev_cx = cx;
  self->prev_cy = cy;
  self->prev_pts_us = pts_us;
}

/**
 * vital_frame_processor_process:
 * @self: a #VitalFrameProcessor
 * @frame: a frame from vital_frame_processor_pop_ready() (or any frame, in time order)
 * @out_result: (out caller-allocates): what @frame gave
 * @error: return location for a #GError
 *
 * Processes one frame: the tracker's box at its time (or the whole frame), the skin regions,
 * the face's motion, guidance from the face region's statistics, and the packed tensor frame
 * (all zero without a face). A frame whose face regions cannot be packed counts as a frame
 * without a face. Frames must come in time order; a frame with bad geometry (see
 * vital_frame_processor_push_frame()) is refused with %G_IO_ERROR_INVALID_ARGUMENT and changes
 * nothing.
 *
 * Returns: %TRUE when @out_result was filled
 */
gboolean
vital_frame_processor_process (VitalFrameProcessor *self,
                               const VitalRgbFrame *frame,
                               VitalFrameResult *out_result,
                               GError **error)
{
  VitalRect box = { 0, 0, 0, 0 };
  VitalRect regions[VITAL_TENSOR_REGIONS];
  VitalFrameStats stats = { 0 };
  VitalGuidance guidance;
  gboolean has_face;

  g_return_val_if_fail (VITAL_IS_FRAME_PROCESSOR (self), FALSE);
  g_return_val_if_fail (frame != NULL, FALSE);
  g_return_val_if_fail (out_result != NULL, FALSE);

  if (!check_frame (frame, error))
    return FALSE;

  if (self->roi_mode == VITAL_ROI_FULL_FRAME)
    {
      vital_regions_full_frame (frame->width, frame->height, regions);
      box = regions[VITAL_REGION_FACE];
      has_face = TRUE;
    }
  else
    {
      has_face = vital_face_tracker_get_box (self->tracker, frame->pts_us, &box)
                 && vital_regions_from_face (&box, frame->width, frame->height, regions);
      if (!has_face)
        memset (regions, 0, sizeof regions);
    }

  update_motion (self, has_face, &box, frame->pts_us);
  stats.has_face = has_face;
  stats.face_fraction = has_face ? (double) box.width / frame->width : 0.0;
  stats.motion = self->motion;
  vital_frame_stats_measure (frame->rgb, frame->width, frame->height, frame->stride,
                             has_face ? &regions[VITAL_REGION_FACE] : NULL, &stats);
  guidance = vital_guidance_evaluate (&stats);

  if (has_face)
    {
      g_autoptr(GError) pack_error = NULL;

      if (!vital_tensor_pack_frame (frame->rgb, frame->width, frame->height, frame->stride,
                                    regions, self->planes, &pack_error))
        {
          g_debug ("frame not packed: %s", pack_error->message);
          has_face = FALSE;
        }
    }
  if (!has_face)
    memset (self->planes, 0, VITAL_TENSOR_FRAME_SIZE);

  out_result->has_face = has_face;
  out_result->face = box;
  memcpy (out_result->regions, regions, sizeof regions);
  out_result->guidance = guidance;
  out_result->motion = self->motion;
  out_result->planes = self->planes;
  return TRUE;
}
