/* vital-filter.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared post-processing: smoothness-priors detrending and zero-phase Butterworth biquads.
 */
#include "vital-engine-private.h"

#include <math.h>
#include <string.h>

/* Butterworth section quality factors: Q_k = 1 / (2 sin((2k + 1) pi / 2N)). */
static double
butter_q (guint order,
          guint k)
{
  return 1.0 / (2.0 * sin ((2.0 * k + 1.0) * G_PI / (2.0 * order)));
}

/* RBJ "Audio EQ cookbook" bilinear-transform biquads (prewarped at the corner). */
static void
biquad_design (VitalBiquad *bq,
               gboolean     highpass,
               double       corner_hz,
               double       rate,
               double       q)
{
  double w0 = 2.0 * G_PI * corner_hz / rate;
  double cw = cos (w0);
  double alpha = sin (w0) / (2.0 * q);
  double a0 = 1.0 + alpha;

  if (highpass)
    {
      bq->b0 = (1.0 + cw) / 2.0 / a0;
      bq->b1 = -(1.0 + cw) / a0;
      bq->b2 = (1.0 + cw) / 2.0 / a0;
    }
  else
    {
      bq->b0 = (1.0 - cw) / 2.0 / a0;
      bq->b1 = (1.0 - cw) / a0;
      bq->b2 = (1.0 - cw) / 2.0 / a0;
    }
  bq->a1 = -2.0 * cw / a0;
  bq->a2 = (1.0 - alpha) / a0;
}

static void
add_sections (VitalFilter *filter,
              gboolean     highpass,
              guint        order,
              double       corner_hz,
              double       rate)
{
  order = MAX (2u, order & ~1u);
  for (guint k = 0; k < order / 2 && filter->n_sections < VITAL_FILTER_MAX_SECTIONS; k++)
    biquad_design (&filter->sections[filter->n_sections++], highpass, corner_hz, rate,
                   butter_q (order, k));
}

/**
 * vital_filter_butter_bandpass:
 * @filter: (out caller-allocates): the filter to design
 * @order: order of each of the high-pass and low-pass halves (even, 2-8)
 * @low_hz: lower -3 dB corner
 * @high_hz: upper -3 dB corner
 * @rate: sampling rate in Hz
 *
 * Designs a Butterworth band-pass as a cascade of high-pass and low-pass biquads.
 */
void
vital_filter_butter_bandpass (VitalFilter *filter,
                              guint        order,
                              double       low_hz,
                              double       high_hz,
                              double       rate)
{
  memset (filter, 0, sizeof *filter);
  add_sections (filter, TRUE, order, low_hz, rate);
  if (high_hz < 0.49 * rate)
    add_sections (filter, FALSE, order, high_hz, rate);
}

/**
 * vital_filter_gain:
 * @filter: a designed filter
 * @freq_hz: frequency
 * @rate: sampling rate in Hz
 *
 * Returns: the magnitude response of one (causal) pass at @freq_hz.
 */
double
vital_filter_gain (const VitalFilter *filter,
                   double             freq_hz,
                   double             rate)
{
  double w = 2.0 * G_PI * freq_hz / rate;
  double gain = 1.0;

  for (guint s = 0; s < filter->n_sections; s++)
    {
      const VitalBiquad *q = &filter->sections[s];
      /* H(z) at z = e^{jw}: numerator and denominator as complex numbers. */
      double nr = q->b0 + q->b1 * cos (w) + q->b2 * cos (2 * w);
      double ni = -q->b1 * sin (w) - q->b2 * sin (2 * w);
      double dr = 1.0 + q->a1 * cos (w) + q->a2 * cos (2 * w);
      double di = -q->a1 * sin (w) - q->a2 * sin (2 * w);

      gain *= sqrt ((nr * nr + ni * ni) / (dr * dr + di * di));
    }
  return gain;
}

/* One causal pass through every section, transposed direct form II, with the states set to
 * the steady state of a constant input equal to x[0] (as scipy's lfilter_zi does). */
static void
run_sections (const VitalFilter *filter,
              double            *x,
              guint              n)
{
  if (n == 0)
    return;

  for (guint s = 0; s < filter->n_sections; s++)
    {
      const VitalBiquad *q = &filter->sections[s];
      double u = x[0];
      double dc = (q->b0 + q->b1 + q->b2) / (1.0 + q->a1 + q->a2);
      double y = u * dc;
      double s2 = q->b2 * u - q->a2 * y;
      double s1 = q->b1 * u - q->a1 * y + s2;

      for (guint i = 0; i < n; i++)
        {
          double in = x[i];
          double out = q->b0 * in + s1;

          s1 = q->b1 * in - q->a1 * out + s2;
          s2 = q->b2 * in - q->a2 * out;
          x[i] = out;
        }
    }
}

/**
 * vital_filter_apply:
 * @filter: a designed filter
 * @x: (inout) (array length=n): the signal, filtered in place
 * @n: number of samples
 *
 * One causal pass (phase-distorting); use vital_filter_filtfilt() for analysis.
 */
void
vital_filter_apply (const VitalFilter *filter,
                    double            *x,
                    guint              n)
{
  run_sections (filter, x, n);
}

/**
 * vital_filter_filtfilt:
 * @filter: a designed filter
 * @x: (inout) (array length=n): the signal, filtered in place
 * @n: number of samples
 *
 * Zero-phase filtering: forward then backward through the cascade, after extending the signal
 * at both ends by odd reflection so that the start-up transients fall outside it (Gustafsson
 * 1996; the same scheme as scipy.signal.filtfilt). The magnitude response is the square of one
 * pass.
 */
void
vital_filter_filtfilt (const VitalFilter *filter,
                       double            *x,
                       guint              n)
{
  guint pad, total;
  g_autofree double *buf = NULL;

  if (n < 2 || filter->n_sections == 0)
    return;

  pad = MIN (n - 1, 3u * 2u * filter->n_sections + 200u);
  total = n + 2 * pad;
  buf = g_new (double, total);
  for (guint i = 0; i < pad; i++)
    {
      buf[pad - 1 - i] = 2.0 * x[0] - x[i + 1];
      buf[pad + n + i] = 2.0 * x[n - 1] - x[n - 2 - i];
    }
  memcpy (buf + pad, x, n * sizeof (double));

  run_sections (filter, buf, total);
  for (guint i = 0; i < total / 2; i++)
    {
      double t = buf[i];
      buf[i] = buf[total - 1 - i];
      buf[total - 1 - i] = t;
    }
  run_sections (filter, buf, total);
  for (guint i = 0; i < n; i++)
    x[i] = buf[total - 1 - pad - i];
}

/**
 * vital_filter_detrend:
 * @x: (inout) (array length=n): the signal, detrended in place
 * @n: number of samples
 * @lambda: smoothing parameter (larger keeps more low-frequency content)
 *
 * Smoothness-priors detrending (Tarvainen, Ranta-aho & Karjalainen 2002): subtracts the trend
 * z solving (I + lambda^2 D2' D2) z = x, with D2 the second-difference operator. The system is
 * symmetric pentadiagonal and solved by a banded LDL' factorisation in O(n).
 */
void
vital_filter_detrend (double *x,
                      guint   n,
                      double  lambda)
{
  double l2 = lambda * lambda;
  g_autofree double *d = NULL;
  g_autofree double *l1 = NULL;
  g_autofree double *lk2 = NULL;
  g_autofree double *z = NULL;

  if (n < 3)
    {
      vital_filter_remove_mean (x, n);
      return;
    }

  d = g_new0 (double, n);
  l1 = g_new0 (double, n);
  lk2 = g_new0 (double, n);
  z = g_new0 (double, n);

  for (guint i = 0; i < n; i++)
    {
      /* Rows of D2'D2: diagonal 1,5,6,...,6,5,1; first off -2,-4,...,-4,-2; second off 1. */
      double diag, off1, off2;

      if (i == 0 || i == n - 1)
        diag = 1.0;
      else if (i == 1 || i == n - 2)
        diag = 5.0;
      else
        diag = 6.0;
      if (n == 3 && i == 1)
        diag = 4.0;
      off1 = (i + 1 < n) ? ((i == 0 || i + 2 == n) ? -2.0 : -4.0) : 0.0;
      off2 = (i + 2 < n) ? 1.0 : 0.0;
      diag = 1.0 + l2 * diag;
      off1 *= l2;
      off2 *= l2;

      if (i >= 1)
        diag -= l1[i - 1] * l1[i - 1] * d[i - 1];
      if (i >= 2)
        diag -= lk2[i - 2] * lk2[i - 2] * d[i - 2];
      d[i] = diag;
      if (i + 1 < n)
        l1[i] = (off1 - (i >= 1 ? lk2[i - 1] * l1[i - 1] * d[i - 1] : 0.0)) / d[i];
      if (i + 2 < n)
        lk2[i] = off2 / d[i];
    }

  /* Solve L D L' z = x. */
  for (guint i = 0; i < n; i++)
    {
      double v = x[i];
      if (i >= 1)
        v -= l1[i - 1] * z[i - 1];
      if (i >= 2)
        v -= lk2[i - 2] * z[i - 2];
      z[i] = v;
    }
  for (guint i = 0; i < n; i++)
    z[i] /= d[i];
  for (guint i = n; i-- > 0;)
    {
      if (i + 1 < n)
        z[i] -= l1[i] * z[i + 1];
      if (i + 2 < n)
        z[i] -= lk2[i] * z[i + 2];
    }
  for (guint i = 0; i < n; i++)
    x[i] -= z[i];
}

/**
 * vital_filter_remove_mean:
 * @x: (inout) (array length=n): the signal
 * @n: number of samples
 *
 * Subtracts the mean.
 */
void
vital_filter_remove_mean (double *x,
                          guint   n)
{
  double mean = 0.0;

  if (n == 0)
    return;
  for (guint i = 0; i < n; i++)
    mean += x[i];
  mean /= n;
  for (guint i = 0; i < n; i++)
    x[i] -= mean;
}

/**
 * vital_filter_std:
 * @x: (array length=n): the signal
 * @n: number of samples
 *
 * Returns: the population standard deviation, 0 for fewer than two samples.
 */
double
vital_filter_std (const double *x,
                  guint         n)
{
  double mean = 0.0, var = 0.0;

  if (n < 2)
    return 0.0;
  for (guint i = 0; i < n; i++)
    mean += x[i];
  mean /= n;
  for (guint i = 0; i < n; i++)
    var += (x[i] - mean) * (x[i] - mean);
  return sqrt (var / n);
}

/**
 * vital_filter_normalise:
 * @x: (inout) (array length=n): the signal
 * @n: number of samples
 *
 * Scales to zero mean and unit variance (left at zero mean if constant).
 */
void
vital_filter_normalise (double *x,
                        guint   n)
{
  double sd;

  vital_filter_remove_mean (x, n);
  sd = vital_filter_std (x, n);
  if (sd > 0.0)
    for (guint i = 0; i < n; i++)
      x[i] /= sd;
}

/**
 * vital_filter_cancel:
 * @x: (array length=n) (inout): the signal to clean
 * @reference: (array length=n): what to take out of it (a noise reference, zero mean)
 * @n: number of samples
 * @window: window length in samples
 *
 * Takes out of @x its least-squares projection on @reference, with the gain fitted in each
 * window (Hann windows, half overlapping) and blended between windows, so it can follow a
 * coupling that changes slowly: an adaptive noise canceller with a noise reference (Widrow
 * et al., "Adaptive noise cancelling: principles and applications", Proc. IEEE 63(12), 1975),
 * as Li, Chen, Zhao & Pietikäinen (CVPR 2014) use the background against illumination changes
 * in rPPG. A reference that holds none of the wanted signal cannot take it away.
 */
void
vital_filter_cancel (double       *x,
                     const double *reference,
                     guint         n,
                     guint         window)
{
  g_autofree double *gain = g_new0 (double, n);
  g_autofree double *weight = g_new0 (double, n);
  guint hop;

  window = CLAMP (window, 2u, MAX (n, 2u));
  hop = MAX (1u, window / 2);
  for (guint start = 0;; start += hop)
    {
      guint first = MIN (start, n > window ? n - window : 0);
      double xr = 0.0, rr = 0.0, beta;

      for (guint i = 0; i < window && first + i < n; i++)
        {
          double h = 0.5 - 0.5 * cos (2.0 * G_PI * (i + 0.5) / window);

          xr += h * x[first + i] * reference[first + i];
          rr += h * reference[first + i] * reference[first + i];
        }
      beta = rr > 0.0 ? xr / rr : 0.0;
      for (guint i = 0; i < window && first + i < n; i++)
        {
          double h = 0.5 - 0.5 * cos (2.0 * G_PI * (i + 0.5) / window);

          gain[first + i] += h * beta;
          weight[first + i] += h;
        }
      if (first + window >= n)
        break;
    }
  for (guint i = 0; i < n; i++)
    if (weight[i] > 0.0)
      x[i] -= gain[i] / weight[i] * reference[i];
}
