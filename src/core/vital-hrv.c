/* vital-hrv.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Heart-rate variability: systolic peaks on an interpolated pulse, inter-beat interval
 * cleaning, SDNN.
 */
#include "vital-engine-private.h"

#include <math.h>
#include <string.h>

#define HRV_UPSAMPLED_RATE 240.0 /* Hz; peaks refined further by a parabola */
#define IBI_MIN_S          0.27  /* 222 bpm */
#define IBI_MAX_S          1.60  /* 37.5 bpm */
#define IBI_MAX_JUMP       0.20  /* Malik et al. 1989: reject > 20 % from the local median */
#define HRV_MIN_IBIS       15

/* Catmull-Rom cubic between x[k] and x[k+1] at fraction t. */
static double
cubic_at (const double *x,
          guint         n,
          guint         k,
          double        t)
{
  double p0 = x[k > 0 ? k - 1 : 0], p1 = x[k], p2 = x[MIN (k + 1, n - 1)];
  double p3 = x[MIN (k + 2, n - 1)];

  return p1 + 0.5 * t * (p2 - p0 + t * (2.0 * p0 - 5.0 * p1 + 4.0 * p2 - p3
                                       + t * (3.0 * (p1 - p2) + p3 - p0)));
}

/**
 * vital_hrv_find_beats:
 * @pulse: (array length=n): the band-passed pulse (rises with blood volume)
 * @n: number of samples
 * @rate: sampling rate
 * @hr_hz: the scan heart rate, used for the refractory period
 * @out_n_beats: (out): number of beats found
 *
 * Upsamples the pulse to 240 Hz with a Catmull-Rom cubic, finds local maxima above the
 * signal's median, keeps the larger of two maxima closer than 60 % of the mean beat interval,
 * and refines each by a parabola through its neighbours.
 *
 * Returns: (transfer full) (array length=out_n_beats): beat times in seconds.
 */
double *
vital_hrv_find_beats (const double *pulse,
                      guint         n,
                      double        rate,
                      double        hr_hz,
                      guint        *out_n_beats)
{
  guint up = MAX (1u, (guint) ceil (HRV_UPSAMPLED_RATE / rate));
  guint m = n > 1 ? (n - 1) * up + 1 : n;
  double urate = rate * up;
  double refractory = 0.6 / MAX (hr_hz, 0.3);
  g_autofree double *x = g_new (double, MAX (m, 1u));
  g_autoptr(GArray) beats = g_array_new (FALSE, FALSE, sizeof (double));
  double last_t = -1e9, last_v = 0.0;

  for (guint i = 0; i < m; i++)
    {
      guint k = i / up;
      x[i] = k + 1 < n ? cubic_at (pulse, n, k, (double) (i % up) / up) : pulse[n - 1];
    }

  for (guint i = 1; i + 1 < m; i++)
    {
      double a, b, c, denom, p, t, v;

      if (!(x[i] > x[i - 1] && x[i] >= x[i + 1]) || x[i] <= 0.0)
        continue;
      a = x[i - 1];
      b = x[i];
      c = x[i + 1];
      denom = a - 2.0 * b + c;
      p = denom < 0.0 ? 0.5 * (a - c) / denom : 0.0;
      t = (i + p) / urate;
      v = b - 0.25 * (a - c) * p;

      if (beats->len > 0 && t - last_t < refractory)
        {
          if (v > last_v)
            {
              g_array_index (beats, double, beats->len - 1) = t;
              last_t = t;
              last_v = v;
            }
          continue;
        }
      g_array_append_val (beats, t);
      last_t = t;
      last_v = v;
    }

  *out_n_beats = beats->len;
  return (double *) g_array_free (g_steal_pointer (&beats), FALSE);
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/**
 * vital_hrv_clean_ibis:
 * @beats: (array length=n_beats): beat times in seconds
 * @n_beats: number of beats
 * @out_n_ibis: (out): number of intervals kept
 *
 * Forms the inter-beat intervals and keeps those inside physiological bounds (0.27-1.6 s)
 * that differ by at most 20 % from the median of their 7-interval neighbourhood (Malik et al.
 * 1989), which rejects missed and extra beats and ectopic-like jumps.
 *
 * Returns: (transfer full) (array length=out_n_ibis): the clean intervals in seconds.
 */
double *
vital_hrv_clean_ibis (const double *beats,
                      guint         n_beats,
                      guint        *out_n_ibis)
{
  guint n = n_beats > 1 ? n_beats - 1 : 0;
  g_autofree double *ibi = g_new0 (double, MAX (n, 1u));
  double *clean = g_new0 (double, MAX (n, 1u));
  guint kept = 0;

  for (guint i = 0; i < n; i++)
    ibi[i] = beats[i + 1] - beats[i];

  for (guint i = 0; i < n; i++)
    {
      double window[7];
      guint lo = i >= 3 ? i - 3 : 0, hi = MIN (n, i + 4), w = 0;
      double median;

      if (ibi[i] < IBI_MIN_S || ibi[i] > IBI_MAX_S)
        continue;
      for (guint j = lo; j < hi; j++)
        window[w++] = ibi[j];
      qsort (window, w, sizeof (double), cmp_double);
      median = w % 2 ? window[w / 2] : 0.5 * (window[w / 2 - 1] + window[w / 2]);
      if (fabs (ibi[i] - median) > IBI_MAX_JUMP * median)
        continue;
      clean[kept++] = ibi[i];
    }
  *out_n_ibis = kept;
  return clean;
}

/**
 * vital_hrv_sdnn:
 * @ibis: (array length=n): intervals in seconds
 * @n: number of intervals
 *
 * Returns: the sample standard deviation of the intervals in ms, or NAN for fewer than two.
 */
double
vital_hrv_sdnn (const double *ibis,
                guint         n)
{
  double mean = 0.0, var = 0.0;

  if (n < 2)
    return NAN;
  for (guint i = 0; i < n; i++)
    mean += ibis[i];
  mean /= n;
  for (guint i = 0; i < n; i++)
    var += (ibis[i] - mean) * (ibis[i] - mean);
  return 1000.0 * sqrt (var / (n - 1));
}

/**
 * vital_hrv_mean_rate:
 * @pulse: (array length=n): the beat pulse
 * @n: number of samples
 * @rate: sampling rate
 * @hr_hz: the spectral heart rate
 *
 * The time-domain mean heart rate, 60 / mean clean inter-beat interval, used to refine the
 * spectral estimate when the two agree (vital-engine.c).
 *
 * Returns: bpm, or NAN when fewer than 8 clean intervals or under 80 % of them survive.
 */
double
vital_hrv_mean_rate (const double *pulse,
                     guint         n,
                     double        rate,
                     double        hr_hz)
{
  guint n_beats = 0, n_ibis = 0;
  g_autofree double *beats = vital_hrv_find_beats (pulse, n, rate, hr_hz, &n_beats);
  g_autofree double *ibis = vital_hrv_clean_ibis (beats, n_beats, &n_ibis);
  double mean = 0.0;

  if (n_ibis < 8 || n_ibis < 0.8 * (n_beats - 1))
    return NAN;
  for (guint i = 0; i < n_ibis; i++)
    mean += ibis[i];
  return 60.0 / (mean / n_ibis);
}

/**
 * vital_hrv_analyze:
 * @pulse: (array length=n): the fused beat pulse
 * @n: number of samples
 * @rate: sampling rate
 * @hr_hz: the scan heart rate
 * @periodicity: the pulse's periodicity (vital_quality_periodicity())
 * @out_quality: (out): the SDNN's quality, 0-1
 * @out_flags: (out): quality flags
 *
 * Returns: SDNN in ms, or NAN when the scan is shorter than %VITAL_ENGINE_HRV_MIN_SECONDS, or
 *   the quality is under %VITAL_ENGINE_MIN_VITAL_QUALITY: fewer than 15 clean intervals, or
 *   beats too irregular in shape (periodicity under about 0.7) or too often rejected (under
 *   about 70 % clean) to time.
 */
double
vital_hrv_analyze (const double      *pulse,
                   guint              n,
                   double             rate,
                   double             hr_hz,
                   double             periodicity,
                   double            *out_quality,
                   VitalQualityFlags *out_flags)
{
  g_autofree double *beats = NULL;
  g_autofree double *ibis = NULL;
  guint n_beats = 0, n_ibis = 0;
  double kept, quality;

  *out_flags = VITAL_QUALITY_OK;
  *out_quality = 0.0;
  if (n / rate < VITAL_ENGINE_HRV_MIN_SECONDS)
    {
      *out_flags = VITAL_QUALITY_TOO_SHORT | VITAL_QUALITY_UNAVAILABLE;
      return NAN;
    }
  beats = vital_hrv_find_beats (pulse, n, rate, hr_hz, &n_beats);
  ibis = vital_hrv_clean_ibis (beats, n_beats, &n_ibis);
  kept = n_beats >= 2 ? (double) n_ibis / (n_beats - 1) : 0.0;
  /* Both the beat shape (periodicity 0.7) and the share of clean intervals (70 %) must hold:
   * 0.5 at those limits; noise timing jitter otherwise reads as variability. */
  quality = MIN (CLAMP ((periodicity - 0.55) / 0.3, 0.0, 1.0),
                CLAMP ((kept - 0.55) / 0.3, 0.0, 1.0));
  if (n_ibis < HRV_MIN_IBIS)
    quality = 0.0;
  *out_quality = quality;
  if (quality < VITAL_ENGINE_MIN_VITAL_QUALITY)
    {
      *out_flags = VITAL_QUALITY_LOW_SNR | VITAL_QUALITY_UNAVAILABLE;
      return NAN;
    }
  if (kept < 0.9)
    *out_flags |= VITAL_QUALITY_UNSTABLE;
  return vital_hrv_sdnn (ibis, n_ibis);
}
