/* vital-engine.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The vitals engine: a decoded tensor in, a VitalVitals result out (docs/algorithms.md).
 * Pure computation: no GTK, no HTTP, safe to call from any thread.
 */
#pragma once

#include <glib.h>
#include "vital-engine-error.h"
#include "vital-measure.h"
#include "vital-tensor.h"

G_BEGIN_DECLS

typedef enum
{
  VITAL_PULSE_POS = 0,   /* Wang et al. 2017, the default */
  VITAL_PULSE_CHROM,     /* de Haan & Jeanne 2013 */
  VITAL_PULSE_GREEN,     /* Verkruysse et al. 2008 */
} VitalPulseMethod;

typedef enum
{
  VITAL_SEX_UNKNOWN = 0,
  VITAL_SEX_MALE,
  VITAL_SEX_FEMALE,
  VITAL_SEX_OTHER,
} VitalSex;

/* Optional demographics; zero fields mean "not given". */
typedef struct
{
  int      age;          /* years, 1-120, or 0 */
  VitalSex sex;
  int      fitzpatrick;  /* 1-6, or 0 */
} VitalDemographics;

typedef struct
{
  VitalPulseMethod         method;
  const VitalDemographics *demographics; /* nullable */
  /* FALSE (default): a scan whose evidence is below VITAL_ENGINE_MIN_SIGNIFICANCE fails with
   * VITAL_ENGINE_ERROR_NO_PULSE. TRUE: return it anyway (tests, research tools). */
  gboolean                 report_weak_pulse;
} VitalEngineOptions;

/* Shortest scan the engine analyses, and the significance of the heart-rate evidence (in
 * standard deviations above pulse-free scans of the same length) below which no pulse was
 * found: the scan looks like noise. */
#define VITAL_ENGINE_MIN_SECONDS      5.0
#define VITAL_ENGINE_MIN_SIGNIFICANCE 1.0
/* HRV (SDNN) needs at least this much signal; shorter scans report it as NAN. */
#define VITAL_ENGINE_HRV_MIN_SECONDS 20.0

/* Per-vital quality flags (a bit set); a vital is NAN when it could not be measured. */
typedef enum
{
  VITAL_QUALITY_OK = 0,
  VITAL_QUALITY_LOW_SNR = 1 << 0,
  VITAL_QUALITY_TOO_SHORT = 1 << 1,
  VITAL_QUALITY_UNSTABLE = 1 << 2,
  VITAL_QUALITY_EXPERIMENTAL = 1 << 3, /* SpO2 and BP: camera estimates are not validated */
  VITAL_QUALITY_UNAVAILABLE = 1 << 4,
  /* SpO2 only: the estimate fell below what a camera estimate can back (an alarming value
   * needs a pulse oximeter); reported as not measured. */
  VITAL_QUALITY_OUT_OF_RANGE = 1 << 5,
} VitalQualityFlags;

/* A vital is reported only when its own quality (0-1) reaches this. */
#define VITAL_ENGINE_MIN_VITAL_QUALITY 0.5

/* The likely cause of a low heart-rate confidence (below 0.4), or NONE. */
typedef enum
{
  VITAL_CAUSE_NONE = 0,
  VITAL_CAUSE_WEAK_PULSE,    /* the pulse barely stands out of the noise */
  VITAL_CAUSE_AMBIGUOUS,     /* another rhythm is about as strong as the pulse */
  VITAL_CAUSE_MOTION,        /* head movement or changing light dominates the signal */
  VITAL_CAUSE_LITTLE_SKIN,   /* little of the face was usable skin */
  VITAL_CAUSE_SHORT,         /* the scan is too short for a stable estimate */
} VitalConfidenceCause;

/* The result of one analysis. Unmeasurable vitals are NAN (serialised as JSON null). */
typedef struct
{
  double heart_rate;        /* beats per minute */
  double respiratory_rate;  /* breaths per minute, or NAN */
  double hrv_sdnn;          /* ms, or NAN (scan shorter than 20 s, too few clean beats) */
  double spo2;              /* %, experimental, or NAN */
  double systolic_bp;       /* mmHg, experimental, or NAN */
  double diastolic_bp;      /* mmHg, experimental, or NAN */
  double confidence;        /* 0-1, of the heart rate; the engine never returns exactly 0.0 */
  VitalConfidenceCause confidence_cause; /* set when confidence < 0.4 */

  /* Each vital's own quality, 0-1; a vital below VITAL_ENGINE_MIN_VITAL_QUALITY is NAN. */
  double rr_quality;
  double hrv_quality;
  double spo2_quality;
  double bp_quality;

  double snr_db;            /* de Haan SNR of the fused pulse */
  double stability;         /* 0-1, share of windows whose own peak lies on the HR track */
  double track_share;       /* 0-1, mean share of the evidence within 3 bpm of the track */
  double track_margin;      /* the track's evidence over the best track 10 bpm away */
  double significance;      /* both, in standard deviations above pulse-free scans */
  double track_spread;      /* standard deviation of the heart-rate track over the scan, bpm */
  double motion_share;      /* share of the motion and light evidence on the track, 0-1 */
  guint  regions;           /* bit set of the tensor regions the pulse was taken from */
  double periodicity;       /* 0-1, autocorrelation at the HR lag */
  double skin_fraction;     /* 0-1, mean fraction of skin pixels */
  double motion;            /* 0-1, normalised region-mean jitter */

  VitalQualityFlags hr_flags;
  VitalQualityFlags rr_flags;
  VitalQualityFlags hrv_flags;
  VitalQualityFlags spo2_flags;
  VitalQualityFlags bp_flags;

  double processing_time_ms;

  float *bvp;               /* the fused pulse, unit variance, resampled for plotting */
  guint  bvp_length;
  double bvp_rate;          /* samples per second of bvp */
} VitalVitals;

VitalVitals *vital_engine_analyze (VitalTensor              *tensor,
                                   const VitalEngineOptions *options,
                                   GError                  **error);
void         vital_vitals_free    (VitalVitals              *vitals);
double       vital_vitals_get_value   (const VitalVitals   *vitals,
                                       VitalMeasure         measure);
double       vital_vitals_get_quality (const VitalVitals   *vitals,
                                       VitalMeasure         measure);
VitalQualityFlags vital_vitals_get_flags (const VitalVitals *vitals,
                                          VitalMeasure       measure);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalVitals, vital_vitals_free)

G_END_DECLS
