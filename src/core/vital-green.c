/* vital-green.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GREEN, the single-channel baseline pulse extractor (Verkruysse, Svaasand & Nelson 2008).
 */
#include "vital-engine-private.h"

#include <math.h>

/**
 * vital_green_pulse:
 * @r: (array length=n): mean skin red trace (unused)
 * @g: (array length=n): mean skin green trace
 * @b: (array length=n): mean skin blue trace (unused)
 * @n: number of samples
 * @rate: sampling rate in Hz
 * @out: (out caller-allocates) (array length=n): the pulse
 *
 * Verkruysse et al. 2008: the green channel carries the strongest plethysmographic signal.
 * The trace is normalised by its 1.6 s centred moving mean and negated, so the result rises
 * with blood volume (haemoglobin absorbs green light).
 */
void
vital_green_pulse (const double *r,
                   const double *g,
                   const double *b,
                   guint         n,
                   double        rate,
                   double       *out)
{
  guint half = MAX (1u, (guint) ceil (0.8 * rate));
  double sum = 0.0;
  guint lo = 0, hi = 0;

  /* Running sum over [i - half, i + half]. */
  for (guint i = 0; i < n; i++)
    {
      guint want_lo = i >= half ? i - half : 0, want_hi = MIN (n, i + half + 1);

      while (hi < want_hi)
        sum += g[hi++];
      while (lo < want_lo)
        sum -= g[lo++];
      out[i] = sum > 0.0 ? 1.0 - g[i] * (hi - lo) / sum : 0.0;
    }
}
