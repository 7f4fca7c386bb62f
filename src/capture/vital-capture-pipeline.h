/* vital-capture-pipeline.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalCapturePipeline: the GStreamer pipeline of a capture, from a video file, the demo
 * subject or a camera to plain RGB frames and timestamped face detections.
 */
#pragma once

#include <gst/gst.h>

#include "vital-camera.h"
#include "vital-demo-source.h"
#include "vital-face-detector.h"
#include "vital-frame-processor.h"
#include "vital-regions.h"

G_BEGIN_DECLS

/**
 * VitalCaptureSource:
 * @VITAL_CAPTURE_SOURCE_FILE: a video file, read as fast as the machine allows
 * @VITAL_CAPTURE_SOURCE_DEMO: the built-in demo subject
 * @VITAL_CAPTURE_SOURCE_CAMERA: a camera
 *
 * Where a pipeline's frames come from.
 */
typedef enum
{
  VITAL_CAPTURE_SOURCE_FILE,
  VITAL_CAPTURE_SOURCE_DEMO,
  VITAL_CAPTURE_SOURCE_CAMERA,
} VitalCaptureSource;

/**
 * VitalCapturePipelineCallbacks:
 * @frame: a full-size frame (transfer full), on the frame branch's streaming thread, in order
 * @detector: what the face detector reports (#VitalFaceDetectorCallbacks: faces scaled to
 *   full-size pixels, on the detection branch's streaming thread), passed on to it as it is
 * @error: the pipeline failed with a #VitalCaptureError, on the main context given to
 *   vital_capture_pipeline_play(); the owner stops the pipeline
 * @eos: the source has ended (files, a finite demo), on that main context
 *
 * What a running pipeline reports to its owner. Any member may be %NULL. The detector's
 * members are called only in %VITAL_ROI_FACE mode.
 */
typedef struct
{
  void (*frame)         (VitalRgbFrame   *frame,
                         gpointer         user_data);
  VitalFaceDetectorCallbacks detector;
  void (*error)         (const GError    *error,
                         gpointer         user_data);
  void (*eos)           (gpointer         user_data);
} VitalCapturePipelineCallbacks;

#define VITAL_TYPE_CAPTURE_PIPELINE (vital_capture_pipeline_get_type ())

G_DECLARE_FINAL_TYPE (VitalCapturePipeline, vital_capture_pipeline, VITAL, CAPTURE_PIPELINE,
                      GObject)

VitalCapturePipeline *vital_capture_pipeline_new_for_file   (const char           *path);
VitalCapturePipeline *vital_capture_pipeline_new_for_demo   (VitalDemoSource      *demo);
VitalCapturePipeline *vital_capture_pipeline_new_for_camera (VitalCamera          *camera);

void                  vital_capture_pipeline_set_callbacks
                                           (VitalCapturePipeline                *self,
                                            const VitalCapturePipelineCallbacks *callbacks,
                                            gpointer                             user_data);
VitalCaptureSource    vital_capture_pipeline_get_source     (VitalCapturePipeline *self);
gboolean              vital_capture_pipeline_get_is_live    (VitalCapturePipeline *self);
GstElement           *vital_capture_pipeline_get_camera_source
                                                             (VitalCapturePipeline *self);
gboolean              vital_capture_pipeline_is_running     (VitalCapturePipeline *self);

gboolean              vital_capture_pipeline_build          (VitalCapturePipeline *self,
                                                             VitalRoiMode          roi_mode,
                                                             GError              **error);
gboolean              vital_capture_pipeline_play           (VitalCapturePipeline *self,
                                                             GMainContext         *context,
                                                             GError              **error);
void                  vital_capture_pipeline_stop           (VitalCapturePipeline *self);
VitalCameraLock      *vital_capture_pipeline_lock_camera    (VitalCapturePipeline *self,
                                                             GError              **error);

G_END_DECLS
