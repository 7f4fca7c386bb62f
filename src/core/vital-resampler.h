/* vital-resampler.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalResampler: packed frames at their real timestamps in, a uniform-rate tensor out.
 */
#pragma once

#include <glib.h>

#include "vital-tensor.h"

G_BEGIN_DECLS

typedef struct _VitalResampler VitalResampler;

VitalResampler *vital_resampler_new              (VitalTensor    *target);
void            vital_resampler_free             (VitalResampler *self);
int             vital_resampler_push             (VitalResampler *self,
                                                  gint64          pts_us,
                                                  const guint8   *planes,
                                                  GError        **error);
guint           vital_resampler_get_frames_in    (VitalResampler *self);
guint           vital_resampler_get_frames_dropped (VitalResampler *self);
gint64          vital_resampler_get_first_pts    (VitalResampler *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalResampler, vital_resampler_free)

G_END_DECLS
