/* vital-live-pulse.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalLivePulse: the live preview's pulse waveform and provisional heart rate.
 */
#pragma once

#include <glib.h>

#include "vital-tensor.h"

G_BEGIN_DECLS

/* Seconds of recent frames the provisional estimate looks at, and the least it needs. */
#define VITAL_LIVE_PULSE_WINDOW_S   10.0
#define VITAL_LIVE_PULSE_MIN_S      6.0
/* How often the estimate is refreshed, in seconds of video. */
#define VITAL_LIVE_PULSE_UPDATE_S   1.0

typedef struct _VitalLivePulse VitalLivePulse;

VitalLivePulse *vital_live_pulse_new            (double          frame_rate);
void            vital_live_pulse_free           (VitalLivePulse *self);
void            vital_live_pulse_reset          (VitalLivePulse *self);
void            vital_live_pulse_push           (VitalLivePulse *self,
                                                 gint64          pts_us,
                                                 const guint8   *planes);
float          *vital_live_pulse_get_waveform   (VitalLivePulse *self,
                                                 guint          *out_length,
                                                 double         *out_rate);
double          vital_live_pulse_get_heart_rate (VitalLivePulse *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalLivePulse, vital_live_pulse_free)

G_END_DECLS
