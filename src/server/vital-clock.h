/* vital-clock.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalClock: the server's notion of "now", injectable so tests can move time (expiry, TTL, quota).
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define VITAL_TYPE_CLOCK (vital_clock_get_type ())

G_DECLARE_FINAL_TYPE (VitalClock, vital_clock, VITAL, CLOCK, GObject)

VitalClock *vital_clock_new_system (void);
VitalClock *vital_clock_new_manual (gint64      start_us);
gboolean    vital_clock_is_manual  (VitalClock *self);
gint64      vital_clock_now_us     (VitalClock *self);
void        vital_clock_set_us     (VitalClock *self,
                                    gint64      now_us);
void        vital_clock_advance    (VitalClock *self,
                                    gint64      delta_us);

G_END_DECLS
