/* vital-capture-frame.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalCaptureFrame: one live output frame (display pixels, face geometry, guidance, pulse).
 */
#pragma once

#include <glib-object.h>

#include "vital-guidance.h"
#include "vital-tensor.h"

G_BEGIN_DECLS

/**
 * VitalCaptureFrame:
 * @pixels: 8-bit pixels in B, G, R, A byte order, alpha 255: cairo's ARGB32 on little-endian
 *   machines (GDK_MEMORY_B8G8R8A8_PREMULTIPLIED in GTK terms), which GTK's renderers take
 *   without converting
 * @width: width in pixels
 * @height: height in pixels
 * @stride: bytes per row of @pixels
 * @pts_us: presentation time in µs
 * @has_face: whether a face is tracked (@face and @regions are valid)
 * @face: the smoothed face box in frame pixels
 * @regions: face skin, forehead, left cheek, right cheek in frame pixels (the whole frame in
 *   %VITAL_ROI_FULL_FRAME mode)
 * @guidance: what the person should do
 * @waveform: (array length=waveform_length) (nullable): the recent pulse waveform from the
 *   streaming estimator, oldest first
 * @waveform_length: samples in @waveform
 * @waveform_rate: samples per second of @waveform
 * @heart_rate: the provisional heart rate in BPM, or NAN while not yet known
 *
 * A read-only, reference-counted snapshot handed to the main context. Nothing in it refers
 * to GStreamer memory, so it may be kept as long as needed.
 */
typedef struct
{
  /*< private >*/
  gatomicrefcount ref_count;

  /*< public >*/
  GBytes *pixels;
  int width;
  int height;
  gsize stride;
  gint64 pts_us;
  gboolean has_face;
  VitalRect face;
  VitalRect regions[VITAL_TENSOR_REGIONS];
  VitalGuidance guidance;
  float *waveform;
  guint waveform_length;
  double waveform_rate;
  double heart_rate;
} VitalCaptureFrame;

GType              vital_capture_frame_get_type    (void) G_GNUC_CONST;
#define VITAL_TYPE_CAPTURE_FRAME (vital_capture_frame_get_type ())

VitalCaptureFrame *vital_capture_frame_new         (void);
VitalCaptureFrame *vital_capture_frame_new_for_rgb (const guint8      *rgb,
                                                    int                width,
                                                    int                height,
                                                    gsize              stride,
                                                    gint64             pts_us);
VitalCaptureFrame *vital_capture_frame_ref         (VitalCaptureFrame *self);
void               vital_capture_frame_unref       (VitalCaptureFrame *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalCaptureFrame, vital_capture_frame_unref)

G_END_DECLS
