/* vital-guidance.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the guidance decision: exposure and saturation measured on the face region, face size
 * and motion from the tracker, compared with fixed thresholds.
 *
 * Thresholds: rPPG SNR drops steeply below ~100 px face width (Wang et al. 2017 report usable
 * pulses down to ~ 80 px at 640 px frame width); an 8-bit face region with mean luma under ~55
 * leaves the 0.1-1 % pulsatile variation below one quantisation step, while clipped pixels
 * (any channel >= 250) carry no pulse at all; head motion above ~ a quarter face width per second
 * dominates the pulse band in POS/CHROM (de Haan & Jeanne 2013, motion robustness section).
 */
#include "vital-config.h"

#include "vital-guidance.h"

G_DEFINE_ENUM_TYPE (VitalGuidance, vital_guidance,
  G_DEFINE_ENUM_VALUE (VITAL_GUIDANCE_NO_FACE, "no-face"),
  G_DEFINE_ENUM_VALUE (VITAL_GUIDANCE_TOO_FAR, "too-far"),
  G_DEFINE_ENUM_VALUE (VITAL_GUIDANCE_TOO_DARK, "too-dark"),
  G_DEFINE_ENUM_VALUE (VITAL_GUIDANCE_TOO_BRIGHT, "too-bright"),
  G_DEFINE_ENUM_VALUE (VITAL_GUIDANCE_MOVING, "moving"),
  G_DEFINE_ENUM_VALUE (VITAL_GUIDANCE_OK, "ok"))

/**
 * vital_frame_stats_measure:
 * @rgb: packed 8-bit RGB pixels
 * @width: image width
 * @height: image height
 * @stride: bytes per row
 * @region: (nullable): the region to measure (the face), or %NULL for the whole frame
 * @stats: (inout): receives @mean_luma and @saturated_fraction; other fields are untouched
 *
 * Measures exposure on a region, sampling every second pixel in both directions.
 */
void
vital_frame_stats_measure (const guint8 *rgb,
                           int width,
                           int height,
                           gsize stride,
                           const VitalRect *region,
                           VitalFrameStats *stats)
{
  int x0 = 0, y0 = 0, x1 = width, y1 = height;
  guint64 luma_sum = 0, saturated = 0, n = 0;

  g_return_if_fail (rgb != NULL);
  g_return_if_fail (stats != NULL);

  if (region != NULL)
    {
      x0 = CLAMP (region->x, 0, width);
      y0 = CLAMP (region->y, 0, height);
      x1 = CLAMP (region->x + region->width, 0, width);
      y1 = CLAMP (region->y + region->height, 0, height);
    }

  for (int y = y0; y < y1; y += 2)
    {
      const guint8 *row = rgb + (gsize) y * stride;

      for (int x = x0; x < x1; x += 2)
        {
          const guint8 *p = row + (gsize) x * 3;

          /* Rec.601 luma in 8.8 fixed point. */
          luma_sum += (77u * p[0] + 150u * p[1] + 29u * p[2]) >> 8;
          if (p[0] >= 250 || p[1] >= 250 || p[2] >= 250)
            saturated++;
          n++;
        }
    }

  stats->mean_luma = n > 0 ? (double) luma_sum / n : 0.0;
  stats->saturated_fraction = n > 0 ? (double) saturated / n : 0.0;
}

/**
 * vital_guidance_evaluate:
 * @stats: the frame's measurements
 *
 * Decides the guidance, most important problem first: no face, too far, too dark, too bright,
 * moving, else OK.
 *
 * Returns: the guidance
 */
VitalGuidance
vital_guidance_evaluate (const VitalFrameStats *stats)
{
  g_return_val_if_fail (stats != NULL, VITAL_GUIDANCE_NO_FACE);

  if (!stats->has_face)
    return VITAL_GUIDANCE_NO_FACE;
  if (stats->face_fraction < VITAL_GUIDANCE_MIN_FACE_FRACTION)
    return VITAL_GUIDANCE_TOO_FAR;
  if (stats->mean_luma < VITAL_GUIDANCE_MIN_LUMA)
    return VITAL_GUIDANCE_TOO_DARK;
  if (stats->mean_luma > VITAL_GUIDANCE_MAX_LUMA
      || stats->saturated_fraction > VITAL_GUIDANCE_MAX_SATURATED)
    return VITAL_GUIDANCE_TOO_BRIGHT;
  if (stats->motion > VITAL_GUIDANCE_MAX_MOTION)
    return VITAL_GUIDANCE_MOVING;
  return VITAL_GUIDANCE_OK;
}

/**
 * vital_guidance_to_string:
 * @guidance: a guidance state
 *
 * Returns: (transfer none): a stable machine-readable nick ("no-face", "too-far", ...)
 */
const char *
vital_guidance_to_string (VitalGuidance guidance)
{
  switch (guidance)
    {
    case VITAL_GUIDANCE_NO_FACE: return "no-face";
    case VITAL_GUIDANCE_TOO_FAR: return "too-far";
    case VITAL_GUIDANCE_TOO_DARK: return "too-dark";
    case VITAL_GUIDANCE_TOO_BRIGHT: return "too-bright";
    case VITAL_GUIDANCE_MOVING: return "moving";
    case VITAL_GUIDANCE_OK: return "ok";
    default: return "unknown";
    }
}
