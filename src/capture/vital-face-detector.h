/* vital-face-detector.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalFaceDetector: OpenCV's facedetect on a downscaled, subsampled branch of a capture
 * pipeline, reporting face boxes in full-frame pixels.
 */
#pragma once

#include <gst/gst.h>

#include "vital-regions.h"

G_BEGIN_DECLS

/**
 * VitalFaceDetectorCallbacks:
 * @detection: the faces found in the frame at @pts_us, in full-frame pixels, in order
 * @no_detection: the frame at @pts_us will not be looked at (detection runs on a subset of the
 *   frames)
 * @eos: the detector has seen its last frame
 *
 * What a detector reports, all on the branch's streaming thread. Any member may be %NULL.
 */
typedef struct
{
  void (*detection)    (gint64           pts_us,
                        const VitalRect *faces,
                        guint            n_faces,
                        gpointer         user_data);
  void (*no_detection) (gint64           pts_us,
                        gpointer         user_data);
  void (*eos)          (gpointer         user_data);
} VitalFaceDetectorCallbacks;

#define VITAL_TYPE_FACE_DETECTOR (vital_face_detector_get_type ())

G_DECLARE_FINAL_TYPE (VitalFaceDetector, vital_face_detector, VITAL, FACE_DETECTOR, GObject)

VitalFaceDetector *vital_face_detector_new    (gboolean                          live,
                                               const VitalFaceDetectorCallbacks *callbacks,
                                               gpointer                          user_data);
gboolean           vital_face_detector_attach (VitalFaceDetector                *self,
                                               GstBin                           *pipeline,
                                               GstElement                       *tee,
                                               GError                          **error);

G_END_DECLS
