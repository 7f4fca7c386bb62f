/* vital-bp.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Experimental blood pressure from pulse shape (crest-time ratio), heart rate and optional
 * demographics.
 */
#include "vital-engine-private.h"

#include <math.h>

/* Model coefficients; the source of each is in docs/algorithms.md ("Blood pressure"). */
#define BP_SBP_BASE        117.0  /* mmHg, adult population mean */
#define BP_DBP_BASE        74.0
#define BP_HR_REF          70.0   /* bpm */
#define BP_SBP_PER_BPM     0.30
#define BP_DBP_PER_BPM     0.25
#define BP_AGE_REF         40.0   /* years */
#define BP_SBP_PER_YEAR    0.50
#define BP_DBP_PER_YEAR    0.15
#define BP_SBP_MALE        4.0
#define BP_DBP_MALE        2.0
#define BP_SBP_FEMALE      -4.0
#define BP_DBP_FEMALE      -2.0
#define BP_CREST_REF       0.30   /* crest time / beat interval of a compliant adult artery */
#define BP_SBP_PER_CREST   -60.0  /* mmHg per unit crest ratio (shorter crest: stiffer) */
#define BP_DBP_PER_CREST   -30.0
/* The crest ratio is averaged over the beats, so it needs less timing precision than SDNN:
 * quality 0.5 at a periodicity of 0.55, full at 0.7 (HRV: 0.7 and 0.85). Chosen: on the
 * synthetic grid and the demo video the beats' crests are found from 0.55 on; the real
 * development set's compressed pulses (0-0.4) give none. */
#define BP_MIN_PERIODICITY 0.40

/* Mean ratio of crest time (foot to systolic peak) to beat interval. */
static double
crest_ratio (const double *pulse,
             guint         n,
             double        rate,
             double        hr_hz,
             guint        *out_count)
{
  guint n_beats = 0, count = 0;
  g_autofree double *beats = vital_hrv_find_beats (pulse, n, rate, hr_hz, &n_beats);
  double sum = 0.0;

  for (guint b = 1; b < n_beats; b++)
    {
      double ibi = beats[b] - beats[b - 1];
      guint i0 = (guint) ceil (beats[b - 1] * rate), i1 = MIN (n - 1, (guint) (beats[b] * rate));
      guint foot = i0;

      if (ibi <= 0.0 || i1 <= i0)
        continue;
      for (guint i = i0; i <= i1; i++)
        if (pulse[i] < pulse[foot])
          foot = i;
      sum += (beats[b] - foot / rate) / ibi;
      count++;
    }
  *out_count = count;
  return count > 0 ? sum / count : NAN;
}

/**
 * vital_bp_estimate:
 * @pulse: (array length=n): the fused band-passed pulse
 * @n: number of samples
 * @rate: sampling rate
 * @hr_bpm: heart rate
 * @periodicity: the pulse's periodicity (vital_quality_periodicity())
 * @demographics: (nullable): age and sex, when given
 * @out_systolic: (out): systolic pressure in mmHg, or NAN
 * @out_diastolic: (out): diastolic pressure in mmHg, or NAN
 * @out_quality: (out): the estimate's quality, 0-1
 * @out_flags: (out): quality flags, always including %VITAL_QUALITY_EXPERIMENTAL
 *
 * A linear model in the feature families reviewed by Elgendi et al. 2019 (pulse-shape
 * timing, heart rate, demographics). Not clinically validated; NAN when the quality is under
 * %VITAL_ENGINE_MIN_VITAL_QUALITY: the beats are too irregular in shape (periodicity under
 * about 0.55) or too few (15 for full quality) to time their crests.
 */
void
vital_bp_estimate (const double            *pulse,
                   guint                    n,
                   double                   rate,
                   double                   hr_bpm,
                   double                   periodicity,
                   const VitalDemographics *demographics,
                   double                  *out_systolic,
                   double                  *out_diastolic,
                   double                  *out_quality,
                   VitalQualityFlags       *out_flags)
{
  guint count = 0;
  double crest = crest_ratio (pulse, n, rate, hr_bpm / 60.0, &count);
  double sbp, dbp;

  *out_flags = VITAL_QUALITY_EXPERIMENTAL;
  *out_systolic = NAN;
  *out_diastolic = NAN;
  *out_quality = isnan (crest) ? 0.0
    : MIN (CLAMP ((periodicity - BP_MIN_PERIODICITY) / 0.3, 0.0, 1.0), MIN (1.0, count / 15.0));
  if (*out_quality < VITAL_ENGINE_MIN_VITAL_QUALITY)
    {
      *out_flags |= VITAL_QUALITY_LOW_SNR | VITAL_QUALITY_UNAVAILABLE;
      return;
    }

  sbp = BP_SBP_BASE + BP_SBP_PER_BPM * (hr_bpm - BP_HR_REF)
        + BP_SBP_PER_CREST * (crest - BP_CREST_REF);
  dbp = BP_DBP_BASE + BP_DBP_PER_BPM * (hr_bpm - BP_HR_REF)
        + BP_DBP_PER_CREST * (crest - BP_CREST_REF);
  if (demographics != NULL && demographics->age >= 1 && demographics->age <= 120)
    {
      sbp += BP_SBP_PER_YEAR * (demographics->age - BP_AGE_REF);
      dbp += BP_DBP_PER_YEAR * (demographics->age - BP_AGE_REF);
    }
  if (demographics != NULL && demographics->sex == VITAL_SEX_MALE)
    {
      sbp += BP_SBP_MALE;
      dbp += BP_DBP_MALE;
    }
  else if (demographics != NULL && demographics->sex == VITAL_SEX_FEMALE)
    {
      sbp += BP_SBP_FEMALE;
      dbp += BP_DBP_FEMALE;
    }
  if (*out_quality < 0.8)
    *out_flags |= VITAL_QUALITY_LOW_SNR;
  *out_systolic = CLAMP (sbp, 80.0, 200.0);
  *out_diastolic = CLAMP (MIN (dbp, *out_systolic - 20.0), 40.0, 130.0);
}
