/* vital-frame-pacer.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalFramePacer: the display frames waiting for the main context, and when each is due.
 */
#pragma once

#include <glib-object.h>

#include "vital-capture-frame.h"

G_BEGIN_DECLS

/* Live sources: frames waiting to be shown (a jitter buffer of about 100 ms). Other sources
 * keep only the newest. */
#define VITAL_FRAME_PACER_LIVE_MAX    3
/* The longest pause between two deliveries. */
#define VITAL_FRAME_PACER_MAX_GAP_US  (50 * G_TIME_SPAN_MILLISECOND)

#define VITAL_TYPE_FRAME_PACER (vital_frame_pacer_get_type ())

G_DECLARE_FINAL_TYPE (VitalFramePacer, vital_frame_pacer, VITAL, FRAME_PACER, GObject)

VitalFramePacer   *vital_frame_pacer_new         (gboolean           live);
void               vital_frame_pacer_push        (VitalFramePacer   *self,
                                                  VitalCaptureFrame *frame);
gboolean           vital_frame_pacer_request     (VitalFramePacer   *self);
VitalCaptureFrame *vital_frame_pacer_pop         (VitalFramePacer   *self,
                                                  gint64            *out_next_us);
guint              vital_frame_pacer_get_n_ready (VitalFramePacer   *self);
void               vital_frame_pacer_clear       (VitalFramePacer   *self);

G_END_DECLS
