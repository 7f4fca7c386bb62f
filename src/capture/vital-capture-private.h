/* vital-capture-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of VitalCapture share — the instance struct, its signals and the calls
 * between vital-capture.c (the object, its sources, starting and stopping),
 * vital-capture-delivery.c (frames from the pipeline to the main context) and
 * vital-capture-scan.c (scans) — and what the capture library's tests may see of VitalCapture
 * beyond its public API.
 */
#pragma once

#include "vital-capture.h"
#include "vital-capture-pipeline.h"
#include "vital-frame-pacer.h"
#include "vital-frame-processor.h"
#include "vital-stream.h"

G_BEGIN_DECLS

/* Called on a streaming thread for every processed frame, in order, with the tracker's box. */
typedef void (*VitalCaptureFrameHook) (VitalCapture    *capture,
                                       gint64           pts_us,
                                       gboolean         has_face,
                                       const VitalRect *face,
                                       VitalGuidance    guidance,
                                       gpointer         user_data);

void vital_capture_set_frame_hook (VitalCapture          *self,
                                   VitalCaptureFrameHook  hook,
                                   gpointer               user_data);

/* Tests: sleep this long in the frame branch before each frame is queued, as a loaded machine
 * would, so the face-detection branch runs ahead of it. */
void vital_capture_set_frame_delay (VitalCapture *self,
                                    gint64        delay_us);

/* ---- the files of VitalCapture ------------------------------------------------------------ */

struct _VitalCapture
{
  GObject parent_instance;

  GMainContext *context;
  VitalCapturePipeline *pipeline;
  VitalCameraLock *camera_lock;     /* while a scan holds the camera's exposure */
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
  VitalStream *live_estimate;
  VitalFramePacer *pacer;
  gboolean progress_dirty;
  VitalScanRecorder *recorder;      /* while a scan records or is being finished */
  VitalCaptureFrameHook frame_hook;
  gpointer frame_hook_data;
};

enum
{
  VITAL_CAPTURE_SIGNAL_FRAME,
  VITAL_CAPTURE_SIGNAL_SCAN_PROGRESS,
  VITAL_CAPTURE_SIGNAL_ERROR,
  VITAL_CAPTURE_SIGNAL_EOS,
  VITAL_CAPTURE_N_SIGNALS
};

extern guint vital_capture_signals[VITAL_CAPTURE_N_SIGNALS];

/* vital-capture.c */
gboolean vital_capture_is_file              (VitalCapture    *self);

/* vital-capture-delivery.c: the pipeline's frame and detection callbacks (streaming threads),
 * and the last frames at the end of a file (main context). */
void     vital_capture_on_frame             (VitalRgbFrame   *frame,
                                             gpointer         user_data);
void     vital_capture_on_detection         (gint64           pts_us,
                                             const VitalRect *faces,
                                             guint            n_faces,
                                             gpointer         user_data);
void     vital_capture_on_no_detection      (gint64           pts_us,
                                             gpointer         user_data);
void     vital_capture_on_detection_eos     (gpointer         user_data);
gboolean vital_capture_flush_and_deliver    (VitalCapture    *self);

/* vital-capture-scan.c (main context) */
void     vital_capture_finish_scan          (VitalCapture    *self,
                                             GError          *error);

G_END_DECLS
