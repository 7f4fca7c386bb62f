/* vital-demo-source.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo subject: a real face photo whose skin carries a synthetic pulse and breathing.
 */
#pragma once

#include <gio/gio.h>

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
 *
 * What the demo subject looks like and does.
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
gboolean         vital_demo_source_write_video   (const VitalDemoSettings *settings,
                                                  const char              *path,
                                                  GError                 **error);
GBytes          *vital_demo_load_portrait        (int                     *out_width,
                                                  int                     *out_height,
                                                  GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalDemoSource, vital_demo_source_free)

G_END_DECLS
