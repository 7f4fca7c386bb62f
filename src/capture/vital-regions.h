/* vital-regions.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Region geometry: the four skin regions (face, forehead, cheeks) derived from a face box.
 */
#pragma once

#include <glib.h>

#include "vital-tensor.h"

G_BEGIN_DECLS

/**
 * VitalRoiMode:
 * @VITAL_ROI_FACE: detect and track a face; regions come from its box
 * @VITAL_ROI_FULL_FRAME: no face detection; all four regions are the whole frame (for
 *   pre-cropped skin videos from research datasets)
 *
 * Where the skin regions come from.
 */
typedef enum
{
  VITAL_ROI_FACE = 0,
  VITAL_ROI_FULL_FRAME = 1,
} VitalRoiMode;

gboolean vital_rect_clip          (const VitalRect *rect,
                                   int              frame_width,
                                   int              frame_height,
                                   VitalRect       *out_rect);
gboolean vital_regions_from_face  (const VitalRect *face,
                                   int              frame_width,
                                   int              frame_height,
                                   VitalRect        out_regions[VITAL_TENSOR_REGIONS]);
void     vital_regions_full_frame (int              frame_width,
                                   int              frame_height,
                                   VitalRect        out_regions[VITAL_TENSOR_REGIONS]);

G_END_DECLS
