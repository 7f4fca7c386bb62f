/* vital-regions.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the mapping from a detected face box to the four skin regions packed into the tensor.
 */
#include "vital-config.h"

#include <math.h>

#include "vital-regions.h"

/* Fractions of the face box (x0, y0, x1, y1) for each region. The OpenCV frontal-face cascade's
 * box runs from the upper forehead to just below the mouth and includes a margin of background
 * at the sides; these proportions keep every region on skin for a frontal face (they follow the
 * forehead/cheek layouts used in rPPG work such as Kwon et al. 2015 and the rPPG-Toolbox). */
static const double region_fractions[VITAL_TENSOR_REGIONS][4] = {
  [VITAL_REGION_FACE] = { 0.20, 0.10, 0.80, 0.92 },
  [VITAL_REGION_FOREHEAD] = { 0.25, 0.08, 0.75, 0.25 },
  [VITAL_REGION_LEFT_CHEEK] = { 0.20, 0.45, 0.42, 0.68 },
  [VITAL_REGION_RIGHT_CHEEK] = { 0.58, 0.45, 0.80, 0.68 },
};

/**
 * vital_rect_clip:
 * @rect: the rectangle to clip
 * @frame_width: image width in pixels
 * @frame_height: image height in pixels
 * @out_rect: (out caller-allocates): the part of @rect inside the image
 *
 * Clips a rectangle to the image.
 *
 * Returns: %TRUE when something of @rect lies inside the image (@out_rect is then non-empty)
 */
gboolean
vital_rect_clip (const VitalRect *rect,
                 int frame_width,
                 int frame_height,
                 VitalRect *out_rect)
{
  gint64 x0, y0, x1, y1;

  g_return_val_if_fail (rect != NULL, FALSE);
  g_return_val_if_fail (out_rect != NULL, FALSE);

  x0 = MAX ((gint64) rect->x, 0);
  y0 = MAX ((gint64) rect->y, 0);
  x1 = MIN ((gint64) rect->x + rect->width, (gint64) frame_width);
  y1 = MIN ((gint64) rect->y + rect->height, (gint64) frame_height);

  if (rect->width <= 0 || rect->height <= 0 || x1 <= x0 || y1 <= y0)
    {
      *out_rect = (VitalRect) { 0, 0, 0, 0 };
      return FALSE;
    }

  *out_rect = (VitalRect) { (int) x0, (int) y0, (int) (x1 - x0), (int) (y1 - y0) };
  return TRUE;
}

/**
 * vital_regions_from_face:
 * @face: the face box in image pixels
 * @frame_width: image width in pixels
 * @frame_height: image height in pixels
 * @out_regions: (array fixed-size=4) (out caller-allocates): face skin, forehead, left cheek
 *   (as seen by the camera) and right cheek, clipped to the image, indexed by #VitalRegion
 *
 * Derives the four skin regions from a face box.
 *
 * Returns: %TRUE when every region has at least one pixel inside the image
 */
gboolean
vital_regions_from_face (const VitalRect *face,
                         int frame_width,
                         int frame_height,
                         VitalRect out_regions[VITAL_TENSOR_REGIONS])
{
  gboolean all_inside = TRUE;

  g_return_val_if_fail (face != NULL, FALSE);
  g_return_val_if_fail (out_regions != NULL, FALSE);

  for (int i = 0; i < VITAL_TENSOR_REGIONS; i++)
    {
      const double *f = region_fractions[i];
      double x0 = face->x + f[0] * face->width;
      double y0 = face->y + f[1] * face->height;
      double x1 = face->x + f[2] * face->width;
      double y1 = face->y + f[3] * face->height;
      VitalRect r = {
        (int) lround (x0), (int) lround (y0),
        (int) MAX (1, lround (x1 - x0)), (int) MAX (1, lround (y1 - y0)),
      };

      if (face->width <= 0 || face->height <= 0
          || !vital_rect_clip (&r, frame_width, frame_height, &out_regions[i]))
        all_inside = FALSE;
    }

  return all_inside;
}

/**
 * vital_regions_full_frame:
 * @frame_width: image width in pixels
 * @frame_height: image height in pixels
 * @out_regions: (array fixed-size=4) (out caller-allocates): four copies of the whole frame
 *
 * The %VITAL_ROI_FULL_FRAME geometry: every region is the whole image.
 */
void
vital_regions_full_frame (int frame_width,
                          int frame_height,
                          VitalRect out_regions[VITAL_TENSOR_REGIONS])
{
  g_return_if_fail (out_regions != NULL);

  for (int i = 0; i < VITAL_TENSOR_REGIONS; i++)
    out_regions[i] = (VitalRect) { 0, 0, MAX (frame_width, 0), MAX (frame_height, 0) };
}
