/* vital-tensor-pack.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns packing one RGB image into a frame's 12 planes: each of the four facial regions is
 * clipped to the image and resized to 72×72 by area averaging (docs/tensor-format.md §3).
 */
#include "vital-config.h"

#include <math.h>

#include "vital-tensor.h"

/* Area-averaging weights for one axis: output cell o covers source [o·s, (o+1)·s) with
 * s = span / 72; each source pixel contributes the length of its overlap. */
typedef struct
{
  int first[VITAL_TENSOR_WIDTH];
  int count[VITAL_TENSOR_WIDTH];
  float weight[VITAL_TENSOR_WIDTH][8];
} AxisWeights;

/* Returns FALSE when a cell would need more taps than the table holds (span > 6 × 72 px);
 * callers then fall back to a pre-shrink by whole pixels. */
static gboolean
axis_weights_init (AxisWeights *w,
                   int span)
{
  double scale = (double) span / VITAL_TENSOR_WIDTH;

  for (int o = 0; o < VITAL_TENSOR_WIDTH; o++)
    {
      double lo = o * scale;
      double hi = (o + 1) * scale;
      int first = (int) floor (lo);
      int last = (int) ceil (hi) - 1;

      if (last >= span)
        last = span - 1;
      if (last - first + 1 > 8)
        return FALSE;
      w->first[o] = first;
      w->count[o] = last - first + 1;
      for (int k = first; k <= last; k++)
        {
          double a = MAX (lo, (double) k);
          double b = MIN (hi, (double) k + 1);
          w->weight[o][k - first] = (float) ((b - a) / scale);
        }
    }
  return TRUE;
}

static gboolean
clip_region (const VitalRect *r,
             int width,
             int height,
             VitalRect *out)
{
  int x0 = MAX (r->x, 0);
  int y0 = MAX (r->y, 0);
  int x1 = MIN ((gint64) r->x + r->width, width);
  int y1 = MIN ((gint64) r->y + r->height, height);

  if (r->width <= 0 || r->height <= 0 || x1 <= x0 || y1 <= y0)
    return FALSE;
  *out = (VitalRect) { x0, y0, x1 - x0, y1 - y0 };
  return TRUE;
}

/* Resizes one clipped region of a packed RGB image into three 72×72 planes. */
static void
pack_region (const guint8 *rgb,
             gsize stride,
             const VitalRect *r,
             guint8 *out_r,
             guint8 *out_g,
             guint8 *out_b)
{
  AxisWeights *wx = g_new (AxisWeights, 1);
  AxisWeights *wy = g_new (AxisWeights, 1);
  /* Horizontal pass result: r->height rows × 72 columns × 3 colours. */
  float *rows = g_new (float, (gsize) r->height * VITAL_TENSOR_WIDTH * 3);
  int step_x = 1;
  int step_y = 1;

  /* Very large regions: sample every step-th pixel so a cell spans at most 8 taps. The
   * averaged area stays the same; only the sampling density drops. */
  while (!axis_weights_init (wx, (r->width + step_x - 1) / step_x))
    step_x++;
  while (!axis_weights_init (wy, (r->height + step_y - 1) / step_y))
    step_y++;

  for (int y = 0; y < r->height; y += step_y)
    {
      const guint8 *line = rgb + (gsize) (r->y + y) * stride + (gsize) r->x * 3;
      float *dst = rows + (gsize) (y / step_y) * VITAL_TENSOR_WIDTH * 3;

      for (int o = 0; o < VITAL_TENSOR_WIDTH; o++)
        {
          float sr = 0, sg = 0, sb = 0;

          for (int k = 0; k < wx->count[o]; k++)
            {
              const guint8 *px = line + (gsize) (wx->first[o] + k) * step_x * 3;
              float w = wx->weight[o][k];

              sr += w * px[0];
              sg += w * px[1];
              sb += w * px[2];
            }
          dst[o * 3 + 0] = sr;
          dst[o * 3 + 1] = sg;
          dst[o * 3 + 2] = sb;
        }
    }

  for (int o = 0; o < VITAL_TENSOR_HEIGHT; o++)
    for (int c = 0; c < VITAL_TENSOR_WIDTH; c++)
      {
        float sr = 0, sg = 0, sb = 0;

        for (int k = 0; k < wy->count[o]; k++)
          {
            const float *src = rows + (gsize) (wy->first[o] + k) * VITAL_TENSOR_WIDTH * 3 + c * 3;
            float w = wy->weight[o][k];

            sr += w * src[0];
            sg += w * src[1];
            sb += w * src[2];
          }
        out_r[o * VITAL_TENSOR_WIDTH + c] = (guint8) CLAMP (lrintf (sr), 0, 255);
        out_g[o * VITAL_TENSOR_WIDTH + c] = (guint8) CLAMP (lrintf (sg), 0, 255);
        out_b[o * VITAL_TENSOR_WIDTH + c] = (guint8) CLAMP (lrintf (sb), 0, 255);
      }

  g_free (rows);
  g_free (wx);
  g_free (wy);
}

/**
 * vital_tensor_pack_frame:
 * @rgb: packed 8-bit RGB pixels (3 bytes a pixel)
 * @width: image width in pixels
 * @height: image height in pixels
 * @stride: bytes from one row to the next, at least 3 × @width
 * @regions: (array fixed-size=4): face, forehead, left cheek, right cheek in image pixels;
 *   each is clipped to the image
 * @out_planes: (out caller-allocates): %VITAL_TENSOR_FRAME_SIZE bytes to fill
 * @error: return location for a #GError
 *
 * Packs one frame: each region is resized to 72×72 by area averaging into its R, G and B planes.
 *
 * Returns: %TRUE on success; %FALSE when the image or a region is empty or out of the image
 */
gboolean
vital_tensor_pack_frame (const guint8 *rgb,
                         int width,
                         int height,
                         gsize stride,
                         const VitalRect regions[VITAL_TENSOR_REGIONS],
                         guint8 *out_planes,
                         GError **error)
{
  g_return_val_if_fail (rgb != NULL, FALSE);
  g_return_val_if_fail (regions != NULL, FALSE);
  g_return_val_if_fail (out_planes != NULL, FALSE);

  if (width <= 0 || height <= 0 || stride < (gsize) width * 3)
    {
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_INVALID_ARGUMENT,
                   "invalid image geometry %d×%d with stride %" G_GSIZE_FORMAT,
                   width, height, stride);
      return FALSE;
    }

  for (int i = 0; i < VITAL_TENSOR_REGIONS; i++)
    {
      VitalRect clipped;
      guint8 *base = out_planes + (gsize) i * 3 * VITAL_TENSOR_PLANE_SIZE;

      if (!clip_region (&regions[i], width, height, &clipped))
        {
          g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_INVALID_ARGUMENT,
                       "region %d (%d,%d %d×%d) lies outside the %d×%d image",
                       i, regions[i].x, regions[i].y, regions[i].width, regions[i].height,
                       width, height);
          return FALSE;
        }
      pack_region (rgb, stride, &clipped, base, base + VITAL_TENSOR_PLANE_SIZE,
                   base + 2 * VITAL_TENSOR_PLANE_SIZE);
    }
  return TRUE;
}
