/* vital-stream.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalStream: the live view's estimator. Packed frames in, once a second the vitals engine's
 * own evidence over the last seconds, a heart-rate track that follows it causally, and the
 * recent pulse waveform out.
 */
#pragma once

#include <glib-object.h>
#include "vital-tensor.h"

G_BEGIN_DECLS

#define VITAL_TYPE_STREAM (vital_stream_get_type ())
G_DECLARE_FINAL_TYPE (VitalStream, vital_stream, VITAL, STREAM, GObject)

/* Seconds of recent frames each estimate looks at by default, and the least it needs. */
#define VITAL_STREAM_WINDOW_SECONDS 10.0
#define VITAL_STREAM_MIN_SECONDS    6.0
/* How often the estimate is refreshed, in seconds of video. */
#define VITAL_STREAM_UPDATE_SECONDS 1.0

VitalStream *vital_stream_new            (double          window_seconds);
void         vital_stream_reset          (VitalStream    *self);
gboolean     vital_stream_push_planes    (VitalStream    *self,
                                          gint64          timestamp_us,
                                          const guint8   *planes,
                                          GError        **error);
double       vital_stream_get_seconds    (VitalStream    *self);
gboolean     vital_stream_get_heart_rate (VitalStream    *self,
                                          double         *out_bpm,
                                          double         *out_confidence);
float       *vital_stream_get_waveform   (VitalStream    *self,
                                          guint          *out_length,
                                          double         *out_rate);

G_END_DECLS
