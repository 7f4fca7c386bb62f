/* vital-pos.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * POS, the plane-orthogonal-to-skin pulse extractor (Wang, den Brinker, Stuijk & de Haan 2017).
 */
#include "vital-engine-private.h"

#include <math.h>
#include <string.h>

/**
 * vital_pos_pulse:
 * @r: (array length=n): mean skin red trace
 * @g: (array length=n): mean skin green trace
 * @b: (array length=n): mean skin blue trace
 * @n: number of samples
 * @rate: sampling rate in Hz
 * @out: (out caller-allocates) (array length=n): the pulse
 *
 * Algorithm 1 of Wang et al. 2017: in each 1.6 s window the colour is normalised by its
 * temporal mean, projected on the plane orthogonal to the skin tone with
 * P = [[0, 1, -1], [-2, 1, 1]], the two projections are alpha-tuned
 * (h = S1 + (sd S1 / sd S2) S2) and the zero-mean windows are overlap-added. The result is
 * negated so that it rises with blood volume (the projections fall as blood absorbs light).
 */
void
vital_pos_pulse (const double *r,
                 const double *g,
                 const double *b,
                 guint         n,
                 double        rate,
                 double       *out)
{
  guint l = MAX (2u, (guint) ceil (1.6 * rate));
  double s1[256], s2[256];

  memset (out, 0, n * sizeof (double));
  l = MIN (l, G_N_ELEMENTS (s1));
  if (n < l)
    l = n;
  if (l < 2)
    return;

  for (guint start = 0; start + l <= n; start++)
    {
      double mr = 0, mg = 0, mb = 0, m1 = 0, m2 = 0, v1 = 0, v2 = 0, alpha, mh = 0;

      for (guint i = 0; i < l; i++)
        {
          mr += r[start + i];
          mg += g[start + i];
          mb += b[start + i];
        }
      mr /= l;
      mg /= l;
      mb /= l;
      if (mr <= 0.0 || mg <= 0.0 || mb <= 0.0)
        continue;
      for (guint i = 0; i < l; i++)
        {
          double cr = r[start + i] / mr, cg = g[start + i] / mg, cb = b[start + i] / mb;

          s1[i] = cg - cb;
          s2[i] = -2.0 * cr + cg + cb;
          m1 += s1[i];
          m2 += s2[i];
        }
      m1 /= l;
      m2 /= l;
      for (guint i = 0; i < l; i++)
        {
          v1 += (s1[i] - m1) * (s1[i] - m1);
          v2 += (s2[i] - m2) * (s2[i] - m2);
        }
      alpha = v2 > 0.0 ? sqrt (v1 / v2) : 0.0;
      for (guint i = 0; i < l; i++)
        {
          s1[i] += alpha * s2[i];
          mh += s1[i];
        }
      mh /= l;
      for (guint i = 0; i < l; i++)
        out[start + i] -= s1[i] - mh;
    }
}
