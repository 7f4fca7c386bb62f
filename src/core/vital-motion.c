/* vital-motion.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The head's motion as the tensor shows it: the luminance centroid of a region over its patch
 * grid, frame by frame. A moving head shifts the light across the grid; the pulse brightens the
 * whole face together and leaves the centroid where it is.
 */
#include "vital-engine-private.h"

#include <math.h>

/**
 * vital_motion_centroid:
 * @traces: skin traces with patches
 * @region: the region
 * @out_x: (out caller-allocates) (array length=traces->n_frames): horizontal centroid, in
 *   patches from the region's centre
 * @out_y: (out caller-allocates) (array length=traces->n_frames): vertical centroid
 *
 * The centroid of the skin luminance (mean R+G+B times skin fraction) of each frame over the
 * region's patch grid. A frame without skin keeps the previous frame's centroid.
 */
void
vital_motion_centroid (VitalTraces *traces,
                       guint        region,
                       double      *out_x,
                       double      *out_y)
{
  guint n = traces->n_frames;
  guint first = region * VITAL_SKIN_PATCHES_PER_REGION;
  double centre = (VITAL_SKIN_GRID - 1) / 2.0;

  for (guint f = 0; f < n; f++)
    {
      double sum = 0.0, sx = 0.0, sy = 0.0;

      for (guint k = 0; k < VITAL_SKIN_PATCHES_PER_REGION; k++)
        {
          guint patch = first + k;
          double frac = traces->patch_fraction[(gsize) patch * n + f];
          double lum = 0.0, w;

          for (guint c = 0; c < 3; c++)
            lum += vital_traces_patch_channel (traces, patch, c)[f];
          w = lum * frac;
          if (!(w > 0.0))
            continue;
          sum += w;
          sx += w * ((double) (k % VITAL_SKIN_GRID) - centre);
          sy += w * ((double) (k / VITAL_SKIN_GRID) - centre);
        }
      out_x[f] = sum > 0.0 ? sx / sum : (f > 0 ? out_x[f - 1] : 0.0);
      out_y[f] = sum > 0.0 ? sy / sum : (f > 0 ? out_y[f - 1] : 0.0);
    }
}
