/* vital-guidance.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Guidance for the person being scanned, from measured frame statistics.
 */
#pragma once

#include <glib-object.h>

#include "vital-tensor.h"

G_BEGIN_DECLS

/**
 * VitalGuidance:
 * @VITAL_GUIDANCE_NO_FACE: no face is tracked
 * @VITAL_GUIDANCE_TOO_FAR: the face is too small in the frame: move closer
 * @VITAL_GUIDANCE_TOO_DARK: the face is underexposed: more light
 * @VITAL_GUIDANCE_TOO_BRIGHT: the face is overexposed or saturated: less light
 * @VITAL_GUIDANCE_MOVING: the face moves too much: hold still
 * @VITAL_GUIDANCE_OK: good conditions for a measurement
 *
 * What the person in front of the camera should do, most important first.
 */
typedef enum
{
  VITAL_GUIDANCE_NO_FACE = 0,
  VITAL_GUIDANCE_TOO_FAR,
  VITAL_GUIDANCE_TOO_DARK,
  VITAL_GUIDANCE_TOO_BRIGHT,
  VITAL_GUIDANCE_MOVING,
  VITAL_GUIDANCE_OK,
} VitalGuidance;

GType vital_guidance_get_type (void) G_GNUC_CONST;
#define VITAL_TYPE_GUIDANCE (vital_guidance_get_type ())

/* Thresholds (see vital-guidance.c for where each comes from). */
#define VITAL_GUIDANCE_MIN_FACE_FRACTION   0.15  /* face width / frame width */
#define VITAL_GUIDANCE_MIN_LUMA            55.0  /* mean Rec.601 luma of the face region */
#define VITAL_GUIDANCE_MAX_LUMA            215.0
#define VITAL_GUIDANCE_MAX_SATURATED       0.05  /* fraction of face pixels with a channel >= 250 */
#define VITAL_GUIDANCE_MAX_MOTION          0.25  /* face-centre speed in face widths per second */

/**
 * VitalFrameStats:
 * @has_face: whether a face is tracked in the frame
 * @face_fraction: face box width divided by frame width (0 without a face)
 * @mean_luma: mean luma (0-255) of the face region (or of the frame in full-frame mode)
 * @saturated_fraction: fraction of those pixels with any channel at or above 250
 * @motion: face-centre speed in face widths per second (0 when unknown)
 *
 * Measurements of one frame that guidance is decided from.
 */
typedef struct
{
  gboolean has_face;
  double face_fraction;
  double mean_luma;
  double saturated_fraction;
  double motion;
} VitalFrameStats;

void          vital_frame_stats_measure (const guint8    *rgb,
                                         int              width,
                                         int              height,
                                         gsize            stride,
                                         const VitalRect *region,
                                         VitalFrameStats *stats);
VitalGuidance vital_guidance_evaluate   (const VitalFrameStats *stats);
const char   *vital_guidance_to_string  (VitalGuidance    guidance);

G_END_DECLS
