/* vital-scan-recorder.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns scan recording: packed frames resampled by their timestamps to VITAL_SCAN_FRAME_RATE
 * until the scan's length is reached (or the tensor is full), the counts behind VitalScanInfo,
 * and the checks a recording must pass before it is handed on (frames, face coverage, length).
 */
#include "vital-config.h"

#include <math.h>

#include "vital-capture-error.h"
#include "vital-resampler.h"
#include "vital-scan-recorder.h"

struct _VitalScanRecorder
{
  GObject parent_instance;

  guint target_frames;
  gboolean done;
  VitalTensor *tensor;              /* from the first frame on */
  VitalResampler *resampler;
  guint frames;                     /* payload frames recorded */
  guint source_frames;
  guint face_frames;
  gint64 first_pts_us;
  gint64 last_pts_us;
};

G_DEFINE_FINAL_TYPE (VitalScanRecorder, vital_scan_recorder, G_TYPE_OBJECT)

static void
vital_scan_recorder_finalize (GObject *object)
{
  VitalScanRecorder *self = VITAL_SCAN_RECORDER (object);

  g_clear_pointer (&self->resampler, vital_resampler_free);
  g_clear_pointer (&self->tensor, vital_tensor_unref);

  G_OBJECT_CLASS (vital_scan_recorder_parent_class)->finalize (object);
}

static void
vital_scan_recorder_class_init (VitalScanRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vital_scan_recorder_finalize;
}

static void
vital_scan_recorder_init (VitalScanRecorder *self)
{
}

/**
 * vital_scan_recorder_new:
 * @seconds: how long the scan is (> 0); at most %VITAL_TENSOR_MAX_FRAMES frames are recorded
 *
 * Creates a recorder for a scan of @seconds at %VITAL_SCAN_FRAME_RATE. The recording starts
 * with the first frame pushed, and the payload's capture time is the wall-clock time then. A
 * recorder is not thread-safe: its owner serialises calls.
 *
 * Returns: (transfer full): a new #VitalScanRecorder
 */
VitalScanRecorder *
vital_scan_recorder_new (double seconds)
{
  VitalScanRecorder *self;

  g_return_val_if_fail (isfinite (seconds) && seconds > 0, NULL);

  self = g_object_new (VITAL_TYPE_SCAN_RECORDER, NULL);
  self->target_frames = (guint) MIN (ceil (seconds * VITAL_SCAN_FRAME_RATE - 1e-6),
                                     (double) VITAL_TENSOR_MAX_FRAMES);
  self->target_frames = MAX (self->target_frames, 1);
  return self;
}

/**
 * vital_scan_recorder_get_target_frames:
 * @self: a #VitalScanRecorder
 *
 * Returns: the number of payload frames that completes the scan
 */
guint
vital_scan_recorder_get_target_frames (VitalScanRecorder *self)
{
  g_return_val_if_fail (VITAL_IS_SCAN_RECORDER (self), 0);

  return self->target_frames;
}

/**
 * vital_scan_recorder_push:
 * @self: a #VitalScanRecorder
 * @pts_us: the source frame's presentation time in µs
 * @planes: %VITAL_TENSOR_FRAME_SIZE bytes of packed planes (all zero without a face)
 * @has_face: whether a face was tracked in the frame
 *
 * Records one source frame: it is resampled into the payload and counted. Once the payload
 * has its target length or is full (%VITAL_TENSOR_MAX_FRAMES), the recording is done and
 * further frames are ignored.
 *
 * Returns: %TRUE when the frame was recorded, %FALSE when the recording was already done
 */
gboolean
vital_scan_recorder_push (VitalScanRecorder *self,
                          gint64 pts_us,
                          const guint8 *planes,
                          gboolean has_face)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (VITAL_IS_SCAN_RECORDER (self), FALSE);
  g_return_val_if_fail (planes != NULL, FALSE);

  if (self->done)
    return FALSE;

  if (self->tensor == NULL)
    {
      self->tensor = vital_tensor_new (VITAL_SCAN_FRAME_RATE, g_get_real_time ());
      self->resampler = vital_resampler_new (self->tensor);
      self->first_pts_us = pts_us;
    }

  if (vital_resampler_push (self->resampler, pts_us, planes, &error) < 0)
    {
      /* Full: the longest scan we accept is recorded; end it here. */
      g_debug ("scan ends: %s", error->message);
      self->done = TRUE;
    }

  self->source_frames++;
  if (has_face)
    self->face_frames++;
  self->last_pts_us = pts_us;
  self->frames = vital_tensor_get_frame_count (self->tensor);
  if (self->frames >= self->target_frames)
    self->done = TRUE;
  return TRUE;
}

/**
 * vital_scan_recorder_stop:
 * @self: a #VitalScanRecorder
 *
 * Ends the recording now, with what was recorded so far.
 */
void
vital_scan_recorder_stop (VitalScanRecorder *self)
{
  g_return_if_fail (VITAL_IS_SCAN_RECORDER (self));

  self->done = TRUE;
}

/**
 * vital_scan_recorder_is_done:
 * @self: a #VitalScanRecorder
 *
 * Returns: %TRUE once the recording has its length, is full or was stopped
 */
gboolean
vital_scan_recorder_is_done (VitalScanRecorder *self)
{
  g_return_val_if_fail (VITAL_IS_SCAN_RECORDER (self), TRUE);

  return self->done;
}

/**
 * vital_scan_recorder_get_progress:
 * @self: a #VitalScanRecorder
 * @out_seconds: (out) (optional): seconds of payload recorded
 * @out_frames: (out) (optional): payload frames recorded
 * @out_face_coverage: (out) (optional): fraction of source frames with a face so far
 *
 * How far the recording is.
 */
void
vital_scan_recorder_get_progress (VitalScanRecorder *self,
                                  double *out_seconds,
                                  guint *out_frames,
                                  double *out_face_coverage)
{
  g_return_if_fail (VITAL_IS_SCAN_RECORDER (self));

  if (out_frames != NULL)
    *out_frames = self->frames;
  if (out_seconds != NULL)
    *out_seconds = self->frames / VITAL_SCAN_FRAME_RATE;
  if (out_face_coverage != NULL)
    *out_face_coverage = self->source_frames > 0
      ? (double) self->face_frames / self->source_frames : 0.0;
}

/**
 * vital_scan_recorder_get_info:
 * @self: a #VitalScanRecorder
 * @out_info: (out caller-allocates): the facts about the recording (@exposure_locked is
 *   %FALSE: the recorder does not know the camera)
 *
 * Describes the recording so far.
 */
void
vital_scan_recorder_get_info (VitalScanRecorder *self,
                              VitalScanInfo *out_info)
{
  g_return_if_fail (VITAL_IS_SCAN_RECORDER (self));
  g_return_if_fail (out_info != NULL);

  *out_info = (VitalScanInfo) { 0 };
  out_info->frames = self->frames;
  out_info->frame_rate = VITAL_SCAN_FRAME_RATE;
  out_info->duration_s = out_info->frames / VITAL_SCAN_FRAME_RATE;
  out_info->source_frames = self->source_frames;
  if (self->source_frames > 1 && self->last_pts_us > self->first_pts_us)
    out_info->source_frame_rate = (self->source_frames - 1) * (double) G_TIME_SPAN_SECOND
                                  / (double) (self->last_pts_us - self->first_pts_us);
  out_info->face_coverage = self->source_frames > 0
    ? (double) self->face_frames / self->source_frames : 0.0;
}

/**
 * vital_scan_recorder_take_tensor:
 * @self: a #VitalScanRecorder
 * @roi_mode: how the frames were taken (face coverage counts only in %VITAL_ROI_FACE mode)
 * @error: return location for a #GError
 *
 * Ends the recording and hands out the payload if it can be measured: it fails with
 * %VITAL_CAPTURE_ERROR_TOO_SHORT without frames or under %VITAL_SCAN_MIN_SECONDS, and with
 * %VITAL_CAPTURE_ERROR_NO_FACE when a face was tracked in less than
 * %VITAL_SCAN_MIN_FACE_COVERAGE of the source frames (face mode). Either way the recorder
 * keeps its counts (vital_scan_recorder_get_info()) but no payload afterwards.
 *
 * Returns: (transfer full): the payload frames, or %NULL with @error set
 */
VitalTensor *
vital_scan_recorder_take_tensor (VitalScanRecorder *self,
                                 VitalRoiMode roi_mode,
                                 GError **error)
{
  g_autoptr(VitalTensor) tensor = NULL;
  VitalScanInfo info;

  g_return_val_if_fail (VITAL_IS_SCAN_RECORDER (self), NULL);

  vital_scan_recorder_get_info (self, &info);
  self->done = TRUE;
  g_clear_pointer (&self->resampler, vital_resampler_free);
  tensor = g_steal_pointer (&self->tensor);

  if (info.source_frames == 0)
    {
      g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_TOO_SHORT,
                   "no video frames were captured");
      return NULL;
    }
  if (roi_mode == VITAL_ROI_FACE && info.face_coverage == 0.0)
    {
      g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_NO_FACE,
                   "No face detected in video");
      return NULL;
    }
  if (roi_mode == VITAL_ROI_FACE && info.face_coverage < VITAL_SCAN_MIN_FACE_COVERAGE)
    {
      g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_NO_FACE,
                   "A face was found in only %d%% of the video; at least %d%% is needed",
                   (int) lround (info.face_coverage * 100),
                   (int) lround (VITAL_SCAN_MIN_FACE_COVERAGE * 100));
      return NULL;
    }
  if (info.duration_s < VITAL_SCAN_MIN_SECONDS)
    {
      g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_TOO_SHORT,
                   "only %.1f s of video were captured; at least %.0f s are needed",
                   info.duration_s, VITAL_SCAN_MIN_SECONDS);
      return NULL;
    }

  return g_steal_pointer (&tensor);
}
