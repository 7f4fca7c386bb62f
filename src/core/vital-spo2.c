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

#define SPO2_MIN_BACKED   94.0   /* lower end of the BTS target range (O'Driscoll 2017) */
#define SPO2_MAX_VALID    102.0  /* above: the ratio is off the calibration */
#define SPO2_WINDOW_S     10.0   /* the ratio is measured per window ... */
#define SPO2_HOP_S        5.0
#define SPO2_SE_SCALE     1.5    /* ... and its standard error, in % SpO2, sets the quality */

/* One colour trace as AC/DC on the pulse band: 1 - c / moving mean, band-passed. */
static double *
ac_over_dc (const double      *trace,
            guint              n,
            double             rate,
            const VitalFilter *bp)
{
  double *x = g_new (double, n);

  vital_green_pulse (NULL, trace, NULL, n, rate, x);
  vital_filter_filtfilt (bp, x, n);
  return x;
}

/* The pulsatile amplitude of @x over [first, last) as its least-squares gain on the pulse. */
static double
projected_ac (const double *x,
              const double *pulse,
              guint         first,
              guint         last)
{
  double xy = 0.0, yy = 0.0;

  for (guint i = first; i < last; i++)
    {
      xy += x[i] * pulse[i];
      yy += pulse[i] * pulse[i];
    }
  return yy > 0.0 ? xy / yy : 0.0;
}

/**
 * vital_spo2_estimate:
 * @traces: skin traces
 * @pulse: (array length=traces->n_frames): the fused band-passed pulse, unit variance
 * @region_weight: (array fixed-size=4): fusion weight of each region
 * @hr_hz: the heart rate
 * @hr_confidence: the heart rate's confidence
 * @out_quality: (out): the estimate's quality, 0-1
 * @out_flags: (out): quality flags, always including %VITAL_QUALITY_EXPERIMENTAL
 *
 * Ratio of ratios on the red and blue channels (Wieringa, Mastik & van der Steen 2005;
 * Kong et al. 2013; Shao et al. 2016 use the same form for cameras): the AC/DC of each
 * channel is its projection on the pulse, R is the weighted mean over regions of red/blue,
 * and SpO2 = A - B R. R is measured in 10 s windows; the standard error of their mean sets
 * the quality (with the heart-rate confidence as a cap). Not clinically validated.
 *
 * Returns: SpO2 in %, or NAN when the quality is under %VITAL_ENGINE_MIN_VITAL_QUALITY, when
 *   R falls outside the calibration, or when the estimate is under 94 %: a camera estimate
 *   cannot back an alarming value (%VITAL_QUALITY_OUT_OF_RANGE).
 */
double
vital_spo2_estimate (VitalTraces       *traces,
                     const double      *pulse,
                     const double      *region_weight,
                     double             hr_hz,
                     double             hr_confidence,
                     double            *out_quality,
                     VitalQualityFlags *out_flags)
{
  guint n = traces->n_frames;
  double rate = traces->frame_rate;
  guint win = MIN (n, (guint) lround (SPO2_WINDOW_S * rate));
  guint hop = MAX (1u, (guint) lround (SPO2_HOP_S * rate));
  double *red[VITAL_TENSOR_REGIONS] = { NULL }, *blue[VITAL_TENSOR_REGIONS] = { NULL };
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  double mean = 0.0, var = 0.0, se, spo2;
  VitalFilter bp;

  *out_flags = VITAL_QUALITY_EXPERIMENTAL;
  *out_quality = 0.0;
  vital_filter_butter_bandpass (&bp, 4, VITAL_PULSE_LOW_HZ, VITAL_PULSE_HIGH_HZ, rate);
  for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
    if (traces->region_is_skin[region] && region_weight[region] > 0.0)
      {
        red[region] = ac_over_dc (vital_traces_channel (traces, region, 0), n, rate, &bp);
        blue[region] = ac_over_dc (vital_traces_channel (traces, region, 2), n, rate, &bp);
      }

  for (guint start = 0; win > 0 && start + win <= n; start += hop)
    {
      double ratio = 0.0, wsum = 0.0;

      for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
        {
          double r, b;

          if (red[region] == NULL)
            continue;
          r = projected_ac (red[region], pulse, start, start + win);
          b = projected_ac (blue[region], pulse, start, start + win);
          if (r <= 0.0 || b <= 0.0)
            continue;
          ratio += region_weight[region] * r / b;
          wsum += region_weight[region];
        }
      if (wsum > 0.0)
        {
          double value = SPO2_A - SPO2_B * ratio / wsum;

          g_array_append_val (values, value);
        }
    }
  for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
    {
      g_free (red[region]);
      g_free (blue[region]);
    }

  if (values->len < 2)
    {
      *out_flags |= VITAL_QUALITY_LOW_SNR | VITAL_QUALITY_UNAVAILABLE;
      return NAN;
    }
  for (guint i = 0; i < values->len; i++)
    mean += g_array_index (values, double, i);
  mean /= values->len;
  for (guint i = 0; i < values->len; i++)
    var += pow (g_array_index (values, double, i) - mean, 2.0);
  /* Windows overlap by half: about len / 2 independent ones. */
  se = sqrt (var / (values->len - 1) / MAX (1.0, values->len / 2.0));
  spo2 = mean;
  *out_quality = exp (-0.5 * pow (se / SPO2_SE_SCALE, 2.0)) * CLAMP (hr_confidence / 0.5, 0.0, 1.0);

  if (*out_quality < VITAL_ENGINE_MIN_VITAL_QUALITY)
    {
      *out_flags |= VITAL_QUALITY_LOW_SNR | VITAL_QUALITY_UNAVAILABLE;
      return NAN;
    }
  if (spo2 > SPO2_MAX_VALID)
    {
      /* Outside the calibrated range: a measurement problem, not a saturation. */
      *out_flags |= VITAL_QUALITY_UNAVAILABLE;
      return NAN;
    }
  if (spo2 < SPO2_MIN_BACKED)
    {
      *out_flags |= VITAL_QUALITY_OUT_OF_RANGE | VITAL_QUALITY_UNAVAILABLE;
      return NAN;
    }
  return MIN (spo2, 100.0);
}
