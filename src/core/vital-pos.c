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
 *
 * Computed in O(n) rather than O(n l): each window's projection is a linear map of the raw
 * colour, h_w(i) = a_w G(i) + b_w B(i) + c_w R(i) (its window mean is exactly zero, since each
 * normalised channel has mean 1), so the overlap-add is a sum of running sums of the window
 * coefficients, and the window statistics come from prefix sums.
 */
/* Prefix sums of the colour deviations from their scan means and of their products. */
enum { PR, PG, PB, PRR, PGG, PBB, PRG, PRB, PGB, N_SUMS };

void
vital_pos_pulse (const double *r,
                 const double *g,
                 const double *b,
                 guint         n,
                 double        rate,
                 double       *out)
{
  guint l = MAX (2u, (guint) ceil (1.6 * rate));
  g_autofree double *sums = NULL;
  g_autofree double *coef = NULL;
  double mean[3] = { 0.0, 0.0, 0.0 };

  memset (out, 0, n * sizeof (double));
  if (n < l)
    l = n;
  if (l < 2)
    return;

  for (guint i = 0; i < n; i++)
    {
      mean[0] += r[i];
      mean[1] += g[i];
      mean[2] += b[i];
    }
  for (guint c = 0; c < 3; c++)
    mean[c] /= n;

  sums = g_new0 (double, (gsize) (n + 1) * N_SUMS);
  for (guint i = 0; i < n; i++)
    {
      const double *p = sums + (gsize) i * N_SUMS;
      double *q = sums + (gsize) (i + 1) * N_SUMS;
      double dr = r[i] - mean[0], dg = g[i] - mean[1], db = b[i] - mean[2];

      q[PR] = p[PR] + dr;
      q[PG] = p[PG] + dg;
      q[PB] = p[PB] + db;
      q[PRR] = p[PRR] + dr * dr;
      q[PGG] = p[PGG] + dg * dg;
      q[PBB] = p[PBB] + db * db;
      q[PRG] = p[PRG] + dr * dg;
      q[PRB] = p[PRB] + dr * db;
      q[PGB] = p[PGB] + dg * db;
    }

  /* Per window start s: the coefficients (c_R, c_G, c_B) of h_w, as prefix sums over s. */
  coef = g_new0 (double, (gsize) (n - l + 2) * 3);
  for (guint s = 0; s + l <= n; s++)
    {
      const double *p = sums + (gsize) s * N_SUMS;
      const double *q = sums + (gsize) (s + l) * N_SUMS;
      double w[N_SUMS], mr, mg, mb, vr, vg, vb, crg, crb, cgb, v1, v2, alpha;
      double *next = coef + (gsize) (s + 1) * 3;
      const double *prev = coef + (gsize) s * 3;

      for (guint k = 0; k < N_SUMS; k++)
        w[k] = (q[k] - p[k]) / l;
      mr = mean[0] + w[PR];
      mg = mean[1] + w[PG];
      mb = mean[2] + w[PB];
      next[0] = prev[0];
      next[1] = prev[1];
      next[2] = prev[2];
      if (mr <= 0.0 || mg <= 0.0 || mb <= 0.0)
        continue;
      vr = (w[PRR] - w[PR] * w[PR]) / (mr * mr);
      vg = (w[PGG] - w[PG] * w[PG]) / (mg * mg);
      vb = (w[PBB] - w[PB] * w[PB]) / (mb * mb);
      crg = (w[PRG] - w[PR] * w[PG]) / (mr * mg);
      crb = (w[PRB] - w[PR] * w[PB]) / (mr * mb);
      cgb = (w[PGB] - w[PG] * w[PB]) / (mg * mb);
      /* S1 = Cg - Cb, S2 = -2 Cr + Cg + Cb on the normalised colour C. */
      v1 = vg + vb - 2.0 * cgb;
      v2 = 4.0 * vr + vg + vb - 4.0 * crg - 4.0 * crb + 2.0 * cgb;
      alpha = v2 > 0.0 && v1 > 0.0 ? sqrt (v1 / v2) : 0.0;
      next[0] += -2.0 * alpha / mr;
      next[1] += (1.0 + alpha) / mg;
      next[2] += (alpha - 1.0) / mb;
    }

  /* Sample i is covered by the windows starting in [i - l + 1, i] (and at most n - l). */
  for (guint i = 0; i < n; i++)
    {
      guint hi = MIN (i, n - l) + 1;
      guint lo = i + 1 >= l ? i + 1 - l : 0;
      const double *a = coef + (gsize) lo * 3, *z = coef + (gsize) hi * 3;

      if (lo >= hi)
        continue;
      out[i] = -((z[0] - a[0]) * (r[i] - mean[0]) + (z[1] - a[1]) * (g[i] - mean[1])
                 + (z[2] - a[2]) * (b[i] - mean[2]));
      /* The scan means' share: sum over windows of (c_R mean_R + c_G mean_G + c_B mean_B). */
      out[i] -= (z[0] - a[0]) * mean[0] + (z[1] - a[1]) * mean[1] + (z[2] - a[2]) * mean[2];
    }
}
