/* vital-chrom.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CHROM, the chrominance-based pulse extractor (de Haan & Jeanne 2013).
 */
#include "vital-engine-private.h"

#include <math.h>
#include <string.h>

/**
 * vital_chrom_pulse:
 * @r: (array length=n): mean skin red trace
 * @g: (array length=n): mean skin green trace
 * @b: (array length=n): mean skin blue trace
 * @n: number of samples
 * @rate: sampling rate in Hz
 * @out: (out caller-allocates) (array length=n): the pulse
 *
 * de Haan & Jeanne 2013, section 4 with the windowing of their section 5: in 1.6 s Hann
 * windows at 50 % overlap the colour is normalised by its mean, the chrominance signals
 * X = 3R - 2G and Y = 1.5R + G - 1.5B are band-passed to the pulse band, combined as
 * S = X - (sd X / sd Y) Y, and overlap-added. S rises with blood volume.
 */
void
vital_chrom_pulse (const double *r,
                   const double *g,
                   const double *b,
                   guint         n,
                   double        rate,
                   double       *out)
{
  guint l = MAX (4u, (guint) ceil (1.6 * rate)) & ~1u;
  guint hop;
  g_autofree double *x = g_new0 (double, n);
  g_autofree double *y = g_new0 (double, n);
  VitalFilter bp;

  memset (out, 0, n * sizeof (double));
  if (n < 8)
    return;
  if (l > n)
    l = n & ~1u;
  hop = l / 2;

  /* Normalise by a centred moving mean of one window, then form X and Y. */
  for (guint i = 0; i < n; i++)
    {
      guint lo = i >= l / 2 ? i - l / 2 : 0, hi = MIN (n, i + l / 2 + 1);
      double mr = 0, mg = 0, mb = 0;

      for (guint j = lo; j < hi; j++)
        {
          mr += r[j];
          mg += g[j];
          mb += b[j];
        }
      mr /= hi - lo;
      mg /= hi - lo;
      mb /= hi - lo;
      if (mr <= 0.0 || mg <= 0.0 || mb <= 0.0)
        continue;
      x[i] = 3.0 * r[i] / mr - 2.0 * g[i] / mg;
      y[i] = 1.5 * r[i] / mr + g[i] / mg - 1.5 * b[i] / mb;
    }
  vital_filter_butter_bandpass (&bp, 2, VITAL_PULSE_LOW_HZ, VITAL_PULSE_HIGH_HZ, rate);
  vital_filter_filtfilt (&bp, x, n);
  vital_filter_filtfilt (&bp, y, n);

  for (guint start = 0; start + l <= n; start += hop)
    {
      double sx = vital_filter_std (x + start, l), sy = vital_filter_std (y + start, l);
      double alpha = sy > 0.0 ? sx / sy : 0.0;
      double mean = 0.0;

      for (guint i = 0; i < l; i++)
        mean += x[start + i] - alpha * y[start + i];
      mean /= l;
      for (guint i = 0; i < l; i++)
        {
          double w = 0.5 - 0.5 * cos (2.0 * G_PI * i / l); /* periodic Hann: sums to 1 */
          out[start + i] += w * (x[start + i] - alpha * y[start + i] - mean);
        }
    }
}
