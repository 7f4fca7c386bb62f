/* vital-demo-source.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo subject: a real face photo whose skin carries a synthetic pulse and breathing.
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

#include "vital-synth.h"

G_BEGIN_DECLS

#define VITAL_DEMO_WIDTH       640
#define VITAL_DEMO_HEIGHT      480
#define VITAL_DEMO_FRAME_RATE  30

/**
 * VitalDemoSettings:
 * @heart_rate_bpm: the subject's heart rate (40-200)
 * @respiratory_rate: breaths per minute (4-40)
 * @noise_level: camera noise, standard deviation in 8-bit levels (0 for none)
 * @motion_px: amplitude of the slight head motion in pixels (0 for a still head)
 * @seed: seed of everything random, so a demo run is reproducible
 * @realtime: %TRUE: a live source paced at 30 fps; %FALSE: frames as fast as they are consumed
 * @duration_s: seconds until end-of-stream, or 0 for endless
 * @skin_patch: render a uniform skin patch filling the frame instead of the portrait (for
 *   %VITAL_ROI_FULL_FRAME)
 * @white_balance: the camera's channel gains ({1, 1, 1} neutral; a cool cast puts skin's blue
 *   above its green)
 * @exposure_step: relative size of the camera's exposure steps, one every 6 s (0 for none)
 * @flicker: relative depth of the lights' flicker (0 for none), at @mains_hz as seen by a
 *   30 fps camera
 * @mains_hz: the flicker's frequency (100 for 50 Hz mains, 120 for 60 Hz; 121.2 gives the
 *   1.2 Hz beat that 120 Hz lights make with a 29.7 fps camera)
 * @talking: relative shading change of the lower face while speaking (0 for none)
 * @bitrate_kbps: vital_demo_source_write_video() only: encode at this bitrate with the
 *   codec's streaming settings (key frames every 250 frames, B-frames), as a video call or a
 *   cheap webcam does (60-300 kbit/s); 0 for near-lossless
 *
 * What the demo subject looks like and does, and what the camera and the encoder do to it.
 */
struct _VitalDemoSettings
{
  double heart_rate_bpm;
  double respiratory_rate;
  double noise_level;
  double motion_px;
  guint32 seed;
  gboolean realtime;
  double duration_s;
  gboolean skin_patch;
  double white_balance[3];
  double exposure_step;
  double flicker;
  double mains_hz;
  double talking;
  double bitrate_kbps;
};
typedef struct _VitalDemoSettings VitalDemoSettings;

void vital_demo_settings_init (VitalDemoSettings *settings);

typedef struct _VitalDemoSource VitalDemoSource;

VitalDemoSource *vital_demo_source_new           (const VitalDemoSettings *settings,
                                                  GError                 **error);
void             vital_demo_source_free          (VitalDemoSource         *self);
const VitalDemoSettings *
                 vital_demo_source_get_settings  (VitalDemoSource         *self);
void             vital_demo_source_get_truth     (VitalDemoSource         *self,
                                                  double                   duration_s,
                                                  VitalSynthTruth         *out);
void             vital_demo_source_get_motion    (VitalDemoSource         *self,
                                                  guint                    frame_index,
                                                  double                  *out_dx,
                                                  double                  *out_dy);
void             vital_demo_source_render        (VitalDemoSource         *self,
                                                  guint                    frame_index,
                                                  guint8                  *rgb,
                                                  gsize                    stride);
GstElement      *vital_demo_source_create_element
                                                 (VitalDemoSource         *self,
                                                  const char              *name,
                                                  GError                 **error);
gboolean         vital_demo_source_write_video   (const VitalDemoSettings *settings,
                                                  const char              *path,
                                                  GError                 **error);
GBytes          *vital_demo_load_portrait        (int                     *out_width,
                                                  int                     *out_height,
                                                  GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalDemoSource, vital_demo_source_free)

G_END_DECLS
