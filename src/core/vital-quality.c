/* vital-quality.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Signal quality: de Haan SNR, HR-track stability, periodicity, motion, and the calibrated
 * confidence that combines them.
 */
#include "vital-engine-private.h"

#include <math.h>

#define SNR_FUNDAMENTAL_HZ 0.10  /* +-6 bpm around the fundamental (de Haan & Jeanne 2013) */
#define SNR_HARMONIC_HZ    0.20  /* +-12 bpm around the first harmonic */
#define TRACK_WINDOW_S     10.0
#define TRACK_HOP_S        1.0
#define TRACK_TOLERANCE    6.0   /* bpm: a window "agrees" within about this */

/**
 * vital_quality_snr:
 * @spectrum: spectrum of the pulse
 * @hr_hz: the heart rate
 *
 * de Haan & Jeanne 2013, eq. 9: the ratio, in dB, of the power inside a binary template around
 * the fundamental and its first harmonic to the power outside it, over the pulse band.
 *
 * Returns: the SNR in dB.
 */
double
vital_quality_snr (const VitalSpectrum *spectrum,
                   double               hr_hz)
{
  double signal = 0.0, noise = 0.0;

  for (guint k = 0; k < spectrum->n_bins; k++)
    {
      double f = k * spectrum->bin_hz;

      if (f < VITAL_HR_LOW_HZ || f > VITAL_PULSE_HIGH_HZ)
        continue;
      if (fabs (f - hr_hz) <= SNR_FUNDAMENTAL_HZ || fabs (f - 2.0 * hr_hz) <= SNR_HARMONIC_HZ)
        signal += spectrum->power[k];
      else
        noise += spectrum->power[k];
    }
  if (signal <= 0.0)
    return -60.0;
  if (noise <= 0.0)
    return 60.0;
  return CLAMP (10.0 * log10 (signal / noise), -60.0, 60.0);
}

static double
autocorr (const double *x,
          guint         n,
          guint         lag)
{
  double sum = 0.0;

  for (guint i = 0; i + lag < n; i++)
    sum += x[i] * x[i + lag];
  return sum;
}

/**
 * vital_quality_periodicity:
 * @pulse: (array length=n): the band-passed pulse
 * @n: number of samples
 * @rate: sampling rate
 * @hr_hz: the heart rate
 *
 * The normalised autocorrelation of the pulse at one beat's lag (best lag within +-15 % of
 * 1/HR, to allow for beat-to-beat variability), corrected for the shrinking overlap.
 *
 * Returns: periodicity in [0, 1].
 */
double
vital_quality_periodicity (const double *pulse,
                           guint         n,
                           double        rate,
                           double        hr_hz)
{
  double r0 = autocorr (pulse, n, 0), best = 0.0;
  double lag = rate / hr_hz;
  guint lo = (guint) floor (lag * 0.85), hi = (guint) ceil (lag * 1.15);

  if (r0 <= 0.0 || hr_hz <= 0.0)
    return 0.0;
  for (guint l = MAX (1u, lo); l <= hi && l < n / 2; l++)
    {
      double r = autocorr (pulse, n, l) / r0 * n / (n - l);
      best = MAX (best, r);
    }
  return CLAMP (best, 0.0, 1.0);
}

/**
 * vital_quality_stability:
 * @pulse: (array length=n): the band-passed pulse
 * @n: number of samples
 * @rate: sampling rate
 * @hr_hz: the scan heart rate
 * @out_track_sd_bpm: (out) (optional): standard deviation of the HR track
 *
 * Tracks the heart rate in 10 s windows with a 1 s hop (zero-padded periodograms) and scores
 * each window by a Gaussian of its distance to the scan rate (6 bpm scale).
 *
 * Returns: the mean score in [0, 1].
 */
double
vital_quality_stability (const double *pulse,
                         guint         n,
                         double        rate,
                         double        hr_hz,
                         double       *out_track_sd_bpm)
{
  guint win = MIN (n, (guint) lround (TRACK_WINDOW_S * rate));
  guint hop = MAX (1u, (guint) lround (TRACK_HOP_S * rate));
  double score = 0.0, sum = 0.0, sum2 = 0.0;
  guint count = 0;

  if (win < 8)
    return 0.0;
  for (guint start = 0; start + win <= n; start += hop)
    {
      g_autoptr(VitalSpectrum) s = vital_spectrum_welch (pulse + start, win, rate, 0, 0.02);
      double f = vital_spectrum_peak (s, VITAL_HR_LOW_HZ, VITAL_HR_HIGH_HZ, NULL);
      double d = 60.0 * (f - hr_hz) / TRACK_TOLERANCE;

      score += exp (-0.5 * d * d);
      sum += 60.0 * f;
      sum2 += 3600.0 * f * f;
      count++;
    }
  if (out_track_sd_bpm != NULL)
    *out_track_sd_bpm = count > 1 ? sqrt (MAX (0.0, sum2 / count - (sum / count) * (sum / count)))
                                  : 0.0;
  return count > 0 ? score / count : 0.0;
}

/**
 * vital_quality_motion:
 * @traces: skin traces
 *
 * Motion proxy: the RMS frame-to-frame change of each skin region's relative luminance
 * and skin fraction (moving heads move non-skin pixels in and out of the regions and shift the
 * shading), median over regions, mapped to [0, 1) by 1 - exp(-jitter / 0.004).
 *
 * Returns: motion in [0, 1).
 */
double
vital_quality_motion (VitalTraces *traces)
{
  guint n = traces->n_frames;
  double jitters[VITAL_TENSOR_REGIONS];
  guint m = 0;

  if (n < 3)
    return 0.0;
  for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
    {
      const double *r = vital_traces_channel (traces, region, 0);
      const double *g = vital_traces_channel (traces, region, 1);
      const double *b = vital_traces_channel (traces, region, 2);
      const double *frac = traces->skin_fraction + (gsize) region * n;
      double mean = 0.0, acc = 0.0;

      if (!traces->region_is_skin[region])
        continue;
      for (guint i = 0; i < n; i++)
        mean += r[i] + g[i] + b[i];
      mean /= n;
      if (mean <= 0.0)
        continue;
      for (guint i = 1; i < n; i++)
        {
          double dl = (r[i] + g[i] + b[i] - r[i - 1] - g[i - 1] - b[i - 1]) / mean;
          double df = frac[i] - frac[i - 1];
          acc += dl * dl + df * df;
        }
      jitters[m++] = sqrt (acc / (n - 1));
    }
  if (m == 0)
    return 0.0;
  /* Median of at most four values. */
  for (guint i = 1; i < m; i++)
    for (guint j = i; j > 0 && jitters[j - 1] > jitters[j]; j--)
      {
        double t = jitters[j];
        jitters[j] = jitters[j - 1];
        jitters[j - 1] = t;
      }
  return 1.0 - exp (-(m % 2 ? jitters[m / 2] : 0.5 * (jitters[m / 2 - 1] + jitters[m / 2]))
                    / 0.004);
}

/* The track's share and margin on pulse-free scans grow as scans get shorter (fewer windows
 * to average), so both are judged against what noise gives at the scan's length: a mean
 * a + b / seconds and a spread c / seconds^e, fitted to the engine's own output on 360
 * pulse-free synthetic scans of 10-60 s (every noise level and skin type, still head;
 * docs/algorithms.md, "Confidence"). */
#define NULL_SHARE_A   0.0877
#define NULL_SHARE_B   0.8495
#define NULL_SHARE_C   0.2321
#define NULL_SHARE_E   0.7323
#define NULL_MARGIN_A  1.1668
#define NULL_MARGIN_B  6.9988
#define NULL_MARGIN_C  3.2952
#define NULL_MARGIN_E  0.6590
/* The significance at which the confidence is one half, and its scale: about one pulse-free
 * scan in twenty scores over 0.2, and on the real development set most right 30 s scans score
 * over 0.7 (chosen on the real development set). */
#define CONF_MOTION_SHARE 0.15
#define CONF_Z_MID     3.0
#define CONF_Z_SCALE   1.0

/**
 * vital_quality_evidence:
 * @track_share: mean share of each window's evidence within 3 bpm of the heart-rate track
 * @track_margin: the track's share over the share of the best track 10 bpm away from it
 * @seconds: the scan's length
 *
 * How far the evidence stands above what noise gives for a scan of this length: the mean of
 * the share's and the margin's z-scores against their pulse-free distributions. About 0 for
 * noise; a clear pulse over 30 s scores 5 and more.
 *
 * Returns: the significance, in standard deviations of noise
 */
double
vital_quality_evidence (double track_share,
                        double track_margin,
                        double seconds)
{
  double d = MAX (seconds, 5.0);
  double z_share = (track_share - (NULL_SHARE_A + NULL_SHARE_B / d))
                   / (NULL_SHARE_C / pow (d, NULL_SHARE_E));
  double z_margin = (track_margin - (NULL_MARGIN_A + NULL_MARGIN_B / d))
                    / (NULL_MARGIN_C / pow (d, NULL_MARGIN_E));

  return 0.5 * (z_share + z_margin);
}

/**
 * vital_quality_confidence:
 * @significance: vital_quality_evidence() of the track
 * @skin_fraction: mean skin fraction of the regions
 * @motion: 0-1 motion score
 * @motion_share: share of the motion and light evidence that lies on the heart-rate track
 *
 * How sure the heart rate is: a logistic of the evidence's significance (0.5 at 3 noise
 * standard deviations), tempered by little skin and by motion, and gone when the track is
 * the rate the head moves or the light changes at. Calibrated on pulse-free
 * synthetic scans and the real development set (docs/algorithms.md, "Confidence").
 *
 * Returns: confidence in (0, 1); never exactly 0 or 1
 */
double
vital_quality_confidence (double significance,
                          double skin_fraction,
                          double motion,
                          double motion_share)
{
  double skin = CLAMP (skin_fraction / 0.25, 0.0, 1.0);
  double still = 1.0 - 0.3 * CLAMP (motion, 0.0, 1.0);
  double q = 1.0 / (1.0 + exp (-(significance - CONF_Z_MID) / CONF_Z_SCALE));
  /* A track on the rate the head moves at (or the light changes at) is that rhythm, not
   * surely the pulse: from 0.15 of the motion evidence on the track the confidence falls, at
   * 0.25 none is left (on the real development set the share is 0.03-0.07, on the synthetic
   * grid up to 0.13; a head swaying periodically without a pulse gives 0.22). */
  double apart = 1.0 - CLAMP ((motion_share - CONF_MOTION_SHARE) / 0.1, 0.0, 1.0);

  q *= (0.5 + 0.5 * skin) * still * apart;
  if (isnan (q))
    q = 0.0;
  return CLAMP (q, 0.01, 0.99);
}
