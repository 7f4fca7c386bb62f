/* vital-frame-processor.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalFrameProcessor: plain RGB frames and timestamped face detections in; face box, skin
 * regions, motion, guidance and the packed 12×72×72 tensor frame out. No GStreamer.
 */
#pragma once

#include <gio/gio.h>

#include "vital-guidance.h"
#include "vital-regions.h"
#include "vital-tensor.h"

G_BEGIN_DECLS

/* Files and the fast demo: a frame is processed once detections this far past it are known,
 * so the tracker's fit is centred (no lag). It is also the tracker's horizon there: later
 * detections may already be known too, depending on thread timing, and must not change the
 * result. */
#define VITAL_FRAME_PROCESSOR_LOOKAHEAD_US    (500 * G_TIME_SPAN_MILLISECOND)
/* Live sources: a frame never waits longer than this (behind the newest frame) for its
 * detection. */
#define VITAL_FRAME_PROCESSOR_LIVE_MAX_LAG_US (100 * G_TIME_SPAN_MILLISECOND)
/* Hard bound on frames waiting for detections (a detection queue bounds it in practice). */
#define VITAL_FRAME_PROCESSOR_MAX_PENDING     40
/* Face-centre speed smoothing time constant, seconds. */
#define VITAL_FRAME_PROCESSOR_MOTION_TAU_S    0.5

/**
 * VitalRgbFrame:
 * @pts_us: presentation time in µs
 * @width: width in pixels
 * @height: height in pixels
 * @stride: bytes from one row to the next, at least 3 × @width
 * @rgb: 8-bit pixels, R, G, B bytes, @stride × @height bytes (owned by the frame)
 *
 * One source frame: packed RGB pixels and their timestamp.
 */
typedef struct
{
  gint64 pts_us;
  int width;
  int height;
  gsize stride;
  guint8 *rgb;
} VitalRgbFrame;

VitalRgbFrame *vital_rgb_frame_new  (gint64         pts_us,
                                     int            width,
                                     int            height);
void           vital_rgb_frame_free (VitalRgbFrame *frame);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalRgbFrame, vital_rgb_frame_free)

/**
 * VitalFrameResult:
 * @has_face: whether a face is tracked, its regions lie in the frame and the frame was packed
 *   (always in %VITAL_ROI_FULL_FRAME mode)
 * @face: the tracker's face box in frame pixels (the whole frame in %VITAL_ROI_FULL_FRAME
 *   mode); all zero when the tracker has none, but kept when only its regions fail
 * @regions: face skin, forehead, left cheek, right cheek in frame pixels, clipped to the frame;
 *   all zero when the tracker has no box or a region lies outside the frame
 * @guidance: what the person should do
 * @motion: smoothed face-centre speed in face widths per second (0 without a face)
 * @planes: %VITAL_TENSOR_FRAME_SIZE bytes, the frame packed into the tensor's 12 planes (all
 *   zero when @has_face is %FALSE); owned by the processor and valid until its next call
 *
 * What one frame gave.
 */
typedef struct
{
  gboolean has_face;
  VitalRect face;
  VitalRect regions[VITAL_TENSOR_REGIONS];
  VitalGuidance guidance;
  double motion;
  const guint8 *planes;
} VitalFrameResult;

#define VITAL_TYPE_FRAME_PROCESSOR (vital_frame_processor_get_type ())

G_DECLARE_FINAL_TYPE (VitalFrameProcessor, vital_frame_processor, VITAL, FRAME_PROCESSOR, GObject)

VitalFrameProcessor *vital_frame_processor_new            (gboolean             live);
gboolean             vital_frame_processor_get_live       (VitalFrameProcessor *self);
void                 vital_frame_processor_set_roi_mode   (VitalFrameProcessor *self,
                                                           VitalRoiMode         mode);
VitalRoiMode         vital_frame_processor_get_roi_mode   (VitalFrameProcessor *self);
void                 vital_frame_processor_reset          (VitalFrameProcessor *self);

gboolean             vital_frame_processor_push_frame     (VitalFrameProcessor *self,
                                                           VitalRgbFrame       *frame,
                                                           GError             **error);
void                 vital_frame_processor_push_detection (VitalFrameProcessor *self,
                                                           gint64               pts_us,
                                                           const VitalRect     *faces,
                                                           guint                n_faces);
void                 vital_frame_processor_skip_detection (VitalFrameProcessor *self,
                                                           gint64               pts_us);
void                 vital_frame_processor_end_detections (VitalFrameProcessor *self);
guint                vital_frame_processor_get_n_pending  (VitalFrameProcessor *self);
VitalRgbFrame       *vital_frame_processor_pop_ready      (VitalFrameProcessor *self,
                                                           gboolean             flush);

gboolean             vital_frame_processor_process        (VitalFrameProcessor *self,
                                                           const VitalRgbFrame *frame,
                                                           VitalFrameResult    *out_result,
                                                           GError             **error);

G_END_DECLS
