/* vital-scan-recorder.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalScanRecorder: one scan's recording (packed frames resampled to a uniform rate), the
 * facts about it (VitalScanInfo) and whether it is good enough to hand on.
 */
#pragma once

#include <glib-object.h>

#include "vital-regions.h"
#include "vital-tensor.h"

G_BEGIN_DECLS

/* The uniform rate every scan is resampled to. */
#define VITAL_SCAN_FRAME_RATE         30.0
/* A face-mode scan fails with NO_FACE when a face was tracked in less of it than this. */
#define VITAL_SCAN_MIN_FACE_COVERAGE  0.5
/* Shortest scan that is handed on (the engine decides what it can measure). */
#define VITAL_SCAN_MIN_SECONDS        2.0

/**
 * VitalScanInfo:
 * @frames: frames in the payload (uniform rate)
 * @frame_rate: the payload's frame rate
 * @duration_s: the payload's duration in seconds
 * @source_frames: frames that came from the source during the scan
 * @source_frame_rate: their average rate (frames per second)
 * @face_coverage: fraction of source frames with a tracked face (1 in full-frame mode)
 * @exposure_locked: whether camera auto-exposure/white balance was locked (cameras only)
 *
 * Facts about a finished scan.
 */
typedef struct
{
  guint frames;
  double frame_rate;
  double duration_s;
  guint source_frames;
  double source_frame_rate;
  double face_coverage;
  gboolean exposure_locked;
} VitalScanInfo;

#define VITAL_TYPE_SCAN_RECORDER (vital_scan_recorder_get_type ())

G_DECLARE_FINAL_TYPE (VitalScanRecorder, vital_scan_recorder, VITAL, SCAN_RECORDER, GObject)

VitalScanRecorder *vital_scan_recorder_new               (double              seconds);
guint              vital_scan_recorder_get_target_frames (VitalScanRecorder  *self);
gboolean           vital_scan_recorder_push              (VitalScanRecorder  *self,
                                                          gint64              pts_us,
                                                          const guint8       *planes,
                                                          gboolean            has_face);
void               vital_scan_recorder_stop              (VitalScanRecorder  *self);
gboolean           vital_scan_recorder_is_done           (VitalScanRecorder  *self);
void               vital_scan_recorder_get_progress      (VitalScanRecorder  *self,
                                                          double             *out_seconds,
                                                          guint              *out_frames,
                                                          double             *out_face_coverage);
void               vital_scan_recorder_get_info          (VitalScanRecorder  *self,
                                                          VitalScanInfo      *out_info);
VitalTensor       *vital_scan_recorder_take_tensor       (VitalScanRecorder  *self,
                                                          VitalRoiMode        roi_mode,
                                                          GError            **error);

G_END_DECLS
