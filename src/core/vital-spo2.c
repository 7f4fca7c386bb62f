/* vital-spo2.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Experimental SpO2: the ratio of ratios of the red and blue pulsatile components.
 */
#include "vital-engine-private.h"

#include <math.h>
#include <string.h>

/* SpO2 = A - B * R, R = (AC_red / DC_red) / (AC_blue / DC_blue); docs/algorithms.md. */
#define SPO2_B            25.0   /* slope of the classic linear calibration (110 - 25 R) */
#define SPO2_R_NOMINAL    0.623  /* 0.33 / 0.53: red/blue of the skin BVP signature */
#define SPO2_AT_NOMINAL   97.0   /* healthy adult SpO2 assumed at the nominal signature */
#define SPO2_A            (SPO2_AT_NOMINAL + SPO2_B * SPO2_R_NOMINAL)
#define SPO2_MIN_REPORTED 70.0   /* below the range any oximeter is calibrated for */

/* The pulsatile amplitude of one normalised colour trace, as its projection on the fused pulse
 * (least-squares gain; the pulse has unit variance). */
static double
projected_ac (const double *trace,
              const double *pulse,
              guint         n,
              double        rate,
              const VitalFilter *bp)
{
  g_autofree double *x = g_new (double, n);
  double sum = 0.0;

  vital_green_pulse (NULL, trace, NULL, n, rate, x); /* 1 - c / moving mean: AC / DC */
  vital_filter_filtfilt (bp, x, n);
  for (guint i = 0; i < n; i++)
    sum += x[i] * pulse[i];
  return sum / n;
}

/**
 * vital_spo2_estimate:
 * @traces: skin traces
 * @pulse: (array length=traces->n_frames): the fused band-passed pulse, unit variance
 * @region_weight: (array fixed-size=4): fusion weight of each region
 * @hr_hz: the heart rate
 * @snr_db: SNR of the pulse
 * @out_flags: (out): quality flags, always including %VITAL_QUALITY_EXPERIMENTAL
 *
 * Ratio of ratios on the red and blue channels (Wieringa, Mastik & van der Steen 2005;
 * Kong et al. 2013; Shao et al. 2016 use the same form for cameras): the AC/DC of each
 * channel is its projection on the pulse, R is the SNR-weighted mean over regions of red/blue,
 * and SpO2 = A - B R. Not clinically validated.
 *
 * Returns: SpO2 in %, or NAN when the pulse is too weak or R falls outside the calibration.
 */
double
vital_spo2_estimate (VitalTraces       *traces,
                     const double      *pulse,
                     const double      *region_weight,
                     double             hr_hz,
                     double             snr_db,
                     VitalQualityFlags *out_flags)
{
  guint n = traces->n_frames;
  double ratio = 0.0, wsum = 0.0, spo2;
  VitalFilter bp;

  *out_flags = VITAL_QUALITY_EXPERIMENTAL;
  vital_filter_butter_bandpass (&bp, 4, VITAL_PULSE_LOW_HZ, VITAL_PULSE_HIGH_HZ,
                                traces->frame_rate);
  for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
    {
      double red, blue;

      if (!traces->region_is_skin[region] || region_weight[region] <= 0.0)
        continue;
      red = projected_ac (vital_traces_channel (traces, region, 0), pulse, n,
                          traces->frame_rate, &bp);
      blue = projected_ac (vital_traces_channel (traces, region, 2), pulse, n,
                           traces->frame_rate, &bp);
      if (blue <= 0.0 || red <= 0.0)
        continue;
      ratio += region_weight[region] * red / blue;
      wsum += region_weight[region];
    }
  if (wsum <= 0.0 || snr_db < -3.0)
    {
      *out_flags |= VITAL_QUALITY_LOW_SNR | VITAL_QUALITY_UNAVAILABLE;
      return NAN;
    }
  ratio /= wsum;
  spo2 = SPO2_A - SPO2_B * ratio;
  if (spo2 < SPO2_MIN_REPORTED || spo2 > 102.0)
    {
      /* Outside the calibrated range: a measurement problem, not a saturation. */
      *out_flags |= VITAL_QUALITY_UNAVAILABLE;
      return NAN;
    }
  if (snr_db < 3.0)
    *out_flags |= VITAL_QUALITY_LOW_SNR;
  return MIN (spo2, 100.0);
}
