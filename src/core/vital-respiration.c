/* vital-respiration.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Respiratory rate from the respiration-induced intensity (RIIV), amplitude (RIAV) and
 * frequency (RIFV) variations of the pulse, fused by spectral quality.
 */
#include "vital-engine-private.h"

#include <math.h>
#include <string.h>

#define RESP_LOW_HZ      0.10  /* 6 breaths/min */
#define RESP_HIGH_HZ     0.70  /* 42 breaths/min */
#define RESP_FILTER_LOW  0.07
#define RESP_RATE        4.0   /* Hz, the grid beat-series are resampled to */
#define RESP_PEAK_HZ     0.03  /* half-width of the "peak" for the quality ratio */
#define RESP_AGREE       3.0   /* breaths/min: estimates that agree are averaged */
#define RESP_MIN_SECONDS 15.0

typedef struct
{
  double rate_hz;
  double quality;
} RespEstimate;

/* Band-passes x (sampled at rate) to the respiratory band and scores its spectral peak:
 * quality = power within +-0.03 Hz of the peak / power in the band. */
static RespEstimate
estimate (double *x,
          guint   n,
          double  rate,
          double  high_hz)
{
  RespEstimate est = { NAN, 0.0 };
  VitalFilter bp;
  g_autoptr(VitalSpectrum) s = NULL;
  double sx = 0, sy = 0, sxx = 0, sxy = 0, slope, icpt, total = 0.0, near = 0.0, top = -1.0;
  guint lo, hi, m = 0;

  if (n < 8)
    return est;
  vital_filter_remove_mean (x, n);
  vital_filter_butter_bandpass (&bp, 2, RESP_FILTER_LOW, high_hz + 0.1, rate);
  vital_filter_filtfilt (&bp, x, n);
  s = vital_spectrum_welch (x, n, rate, 0, 0.002);
  lo = (guint) ceil (RESP_LOW_HZ / s->bin_hz);
  hi = MIN (s->n_bins - 1, (guint) floor (high_hz / s->bin_hz));
  if (lo == 0 || hi <= lo + 2)
    return est;

  /* Slow drifts (exposure, a codec's key frames, movement) give the band a 1/f background
   * that peaks at its low edge; a breath is a peak above that background. Fit the background
   * as a power law (a line in log-log) and look for the largest excess over it. */
  for (guint k = lo; k <= hi; k++)
    {
      double lx = log (k * s->bin_hz), ly = log (s->power[k] + 1e-300);

      sx += lx;
      sy += ly;
      sxx += lx * lx;
      sxy += lx * ly;
      m++;
    }
  slope = (m * sxy - sx * sy) / (m * sxx - sx * sx);
  icpt = (sy - slope * sx) / m;
  for (guint k = lo; k <= hi; k++)
    {
      double excess = s->power[k] - exp (icpt + slope * log (k * s->bin_hz));

      total += s->power[k];
      if (excess > top)
        {
          top = excess;
          est.rate_hz = k * s->bin_hz;
        }
    }
  for (guint k = lo; k <= hi; k++)
    if (fabs (k * s->bin_hz - est.rate_hz) <= RESP_PEAK_HZ)
      near += MAX (0.0, s->power[k] - exp (icpt + slope * log (k * s->bin_hz)));
  if (total > 0.0)
    est.quality = near / total;
  /* A maximum on the band edge is the skirt of something outside it, not a breath. */
  if (est.rate_hz < RESP_LOW_HZ + s->bin_hz || est.rate_hz > high_hz - s->bin_hz)
    est.quality *= 0.25;
  return est;
}

/* Linear interpolation of (t[i], v[i]) onto a RESP_RATE grid over [0, duration). */
static double *
resample_series (const double *t,
                 const double *v,
                 guint         count,
                 double        duration,
                 guint        *out_n)
{
  guint m = (guint) floor (duration * RESP_RATE);
  double *out = g_new0 (double, MAX (m, 1u));
  guint k = 0;

  for (guint i = 0; i < m; i++)
    {
      double ti = i / RESP_RATE;

      while (k + 1 < count && t[k + 1] < ti)
        k++;
      if (ti <= t[0])
        out[i] = v[0];
      else if (k + 1 >= count)
        out[i] = v[count - 1];
      else
        out[i] = v[k] + (v[k + 1] - v[k]) * (ti - t[k]) / (t[k + 1] - t[k]);
    }
  *out_n = m;
  return out;
}

/**
 * vital_respiration_rate:
 * @pulse: (array length=n): the fused band-passed pulse
 * @intensity: (array length=n): low-frequency blood-volume trace (RIIV)
 * @n: number of samples
 * @rate: sampling rate
 * @hr_hz: the heart rate
 * @hr_confidence: the heart rate's confidence
 * @out_quality: (out): the estimate's quality, 0-1
 * @out_flags: (out): quality flags
 *
 * Three respiratory modulations (Karlen et al. 2013; Charlton et al. 2016): RIIV, the
 * intensity trace itself; RIAV, the beat-to-beat pulse amplitude; RIFV, the beat-to-beat
 * interval. Beat series are resampled to 4 Hz; each is band-passed to 0.07 Hz - (top + 0.1 Hz)
 * and its spectral peak in 0.1 Hz - top, top = min (0.7 Hz, 0.8 HR) so that a slow pulse stays
 * out of the band, is scored by the share of the band's power it holds (a quarter of that when
 * the peak sits on a band edge). Estimates that agree within 3 breaths/min are averaged,
 * weighted by quality, choosing the cluster with the most quality behind it ("smart fusion",
 * Karlen et al. 2013). The quality is the cluster's, capped by the heart-rate confidence.
 *
 * Returns: breaths per minute, or NAN when the scan is shorter than 15 s or the quality is
 *   under %VITAL_ENGINE_MIN_VITAL_QUALITY.
 */
double
vital_respiration_rate (const double      *pulse,
                        const double      *intensity,
                        guint              n,
                        double             rate,
                        double             hr_hz,
                        double             hr_confidence,
                        double            *out_quality,
                        VitalQualityFlags *out_flags)
{
  RespEstimate est[3];
  guint n_est = 0, n_beats = 0, best = 0;
  g_autofree double *riiv = NULL;
  g_autofree double *beats = NULL;
  double duration = n / rate, sum = 0.0, wsum = 0.0;
  /* Keep the pulse fundamental out of the band for slow hearts (45 bpm = 0.75 Hz). */
  double high_hz = MIN (RESP_HIGH_HZ, 0.8 * hr_hz);

  *out_flags = VITAL_QUALITY_OK;
  *out_quality = 0.0;
  if (duration < RESP_MIN_SECONDS)
    {
      *out_flags = VITAL_QUALITY_TOO_SHORT | VITAL_QUALITY_UNAVAILABLE;
      return NAN;
    }

  riiv = g_memdup2 (intensity, n * sizeof (double));
  est[n_est++] = estimate (riiv, n, rate, high_hz);

  beats = vital_hrv_find_beats (pulse, n, rate, hr_hz, &n_beats);
  if (n_beats >= 8)
    {
      g_autofree double *bt = g_new (double, n_beats);
      g_autofree double *amp = g_new (double, n_beats);
      g_autofree double *ibi = g_new (double, n_beats);
      guint m = 0, count = 0;

      /* Amplitude: peak minus the lowest point since the previous beat. */
      for (guint b = 1; b < n_beats; b++)
        {
          guint i0 = (guint) (beats[b - 1] * rate), i1 = MIN (n - 1, (guint) (beats[b] * rate));
          double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;

          for (guint i = i0; i <= i1; i++)
            lo = MIN (lo, pulse[i]);
          for (guint i = i1 > 0 ? i1 - 1 : 0; i <= MIN (n - 1, i1 + 1); i++)
            hi = MAX (hi, pulse[i]);
          bt[count] = 0.5 * (beats[b - 1] + beats[b]);
          amp[count] = hi - lo;
          ibi[count] = beats[b] - beats[b - 1];
          count++;
        }
      if (count >= 8)
        {
          g_autofree double *ra = resample_series (bt, amp, count, duration, &m);
          g_autofree double *rf = NULL;

          est[n_est++] = estimate (ra, m, RESP_RATE, high_hz);
          rf = resample_series (bt, ibi, count, duration, &m);
          est[n_est++] = estimate (rf, m, RESP_RATE, high_hz);
        }
    }

  /* Smart fusion by agreement: each estimate is scored by the quality of all estimates within
   * 3 breaths/min of it (itself counted 1.3 times, so one strong modulation can outvote two
   * weak ones that happen to agree); the best-scored cluster is averaged by quality. A lone
   * estimate of modest quality (under 0.5) that nothing confirms is not a measurement. */
  {
    double best_score = -1.0;
    guint members = 0;

    for (guint i = 0; i < n_est; i++)
      {
        double score = 0.3 * est[i].quality;

        if (isnan (est[i].rate_hz))
          continue;
        for (guint j = 0; j < n_est; j++)
          if (!isnan (est[j].rate_hz)
              && fabs (est[i].rate_hz - est[j].rate_hz) * 60.0 <= RESP_AGREE)
            score += est[j].quality;
        if (score > best_score)
          {
            best_score = score;
            best = i;
          }
      }
    for (guint i = 0; i < n_est; i++)
      {
        if (isnan (est[i].rate_hz)
            || fabs (est[i].rate_hz - est[best].rate_hz) * 60.0 > RESP_AGREE)
          continue;
        sum += est[i].quality * est[i].rate_hz;
        wsum += est[i].quality;
        members++;
      }
    /* Quality: the cluster's mean spectral quality, a quarter more when two modulations
     * agree (so a lone estimate needs 0.5, as before, and an agreeing pair 0.4), and no more
     * than the pulse it was read from allows (full at a heart-rate confidence of 0.5). */
    if (wsum > 0.0)
      *out_quality = CLAMP (wsum / members * (members >= 2 ? 1.25 : 1.0), 0.0, 1.0)
                     * CLAMP (hr_confidence / 0.5, 0.0, 1.0);
    if (wsum <= 0.0 || *out_quality < VITAL_ENGINE_MIN_VITAL_QUALITY)
      {
        *out_flags = VITAL_QUALITY_LOW_SNR | VITAL_QUALITY_UNAVAILABLE;
        return NAN;
      }
    if (est[best].quality < 0.3 || members < 2)
      *out_flags |= VITAL_QUALITY_LOW_SNR;
  }
  return 60.0 * sum / wsum;
}
