/* vital-synth.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A synthetic subject with known ground truth: tensors for tests and benchmarks, and per-frame
 * skin modulation of a real face image for the demo source (docs/algorithms.md).
 */
#pragma once

#include <glib-object.h>
#include "vital-tensor.h"

G_BEGIN_DECLS

#define VITAL_TYPE_SYNTH (vital_synth_get_type ())
G_DECLARE_FINAL_TYPE (VitalSynth, vital_synth, VITAL, SYNTH, GObject)

/* What the subject and the camera are like. Fill with vital_synth_params_init() first. */
typedef struct
{
  guint64 seed;               /* everything is deterministic from this */
  double  frame_rate;         /* fps, 5-240 */
  double  heart_rate;         /* mean, bpm, 30-220 */
  double  hrv_sdnn;           /* target SDNN of the inter-beat intervals, ms (half of the
                               * variance is respiratory sinus arrhythmia) */
  double  respiratory_rate;   /* breaths per minute, 3-60 */
  double  spo2;               /* %, encoded in the red/blue ratio of ratios */
  int     fitzpatrick;        /* skin type 1-6 */
  double  pulse_strength;     /* 1 = typical pulsatility for the skin type; 0 = no pulse */
  double  noise;              /* camera noise, standard deviation in 8-bit levels */
  double  motion;             /* head motion amplitude in tensor pixels (0 = still) */
  double  illumination_drift; /* relative amplitude of slow illumination drift */
  double  flicker;            /* relative amplitude of mains flicker (aliased to 10 Hz) */
  double  exposure;           /* brightness scale, 1 = well exposed */
  /* What real cameras and people do that a still, clean subject does not (0 = off): */
  double  white_balance[3];   /* the camera's channel gains, {1, 1, 1} = neutral; a cool
                               * cast such as {0.88, 0.9, 1.12} puts skin's blue above green */
  double  exposure_step;      /* relative size of the auto-exposure/gain steps, one every
                               * exposure_step_s seconds, alternately up and down */
  double  exposure_step_s;
  double  mains_hz;           /* the lights' flicker frequency: 100 (50 Hz mains) or 120;
                               * aliased by the frame rate (120 Hz at 29.7 fps: 1.2 Hz) */
  double  talking;            /* relative shading change of the lower face while speaking
                               * (jaw and lips at syllable rate, in bursts) */
} VitalSynthParams;

/* The realised ground truth over a stretch of time. */
typedef struct
{
  double heart_rate;        /* 60 / mean inter-beat interval, bpm */
  double hrv_sdnn;          /* sample SD of the realised intervals, ms */
  double respiratory_rate;  /* breaths per minute */
  double spo2;              /* % */
  guint  n_beats;
} VitalSynthTruth;

/* One frame's modulation, from vital_synth_next_sample(). */
typedef struct
{
  guint  frame;          /* index of the frame */
  double time;           /* seconds since the start */
  double pulse;          /* blood volume waveform (ground-truth BVP), about 0-1 */
  double respiration;    /* breathing phase signal, -1..1 */
  double skin_gain[3];   /* multiply skin pixels' R, G, B by these */
  double light_gain[3];  /* multiply all other pixels by these */
  double talk_gain;      /* and the lower face (below the nose) by this as well */
  double dx, dy;         /* head motion, tensor pixels */
} VitalSynthSample;

void             vital_synth_params_init   (VitalSynthParams       *params);
VitalSynth      *vital_synth_new           (const VitalSynthParams *params);
const VitalSynthParams *vital_synth_get_params (VitalSynth         *self);
VitalTensor     *vital_synth_render_tensor (VitalSynth             *self,
                                            guint                   n_frames);
void             vital_synth_next_sample   (VitalSynth             *self,
                                            VitalSynthSample       *out);
void             vital_synth_reset         (VitalSynth             *self);
gboolean         vital_synth_modulate_rgb  (VitalSynth             *self,
                                            const VitalSynthSample *sample,
                                            guint8                 *rgb,
                                            int                     width,
                                            int                     height,
                                            gsize                   stride,
                                            const guint8           *skin_mask,
                                            const VitalRect        *face,
                                            GError                **error);
void             vital_synth_get_truth     (VitalSynth             *self,
                                            double                  duration_s,
                                            VitalSynthTruth        *out);
void             vital_synth_skin_rgb      (int                     fitzpatrick,
                                            guint8                  out_rgb[3]);

G_END_DECLS
