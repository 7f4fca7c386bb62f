/* vital-stream.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The streaming estimator behind the live preview: fed one frame's region colour means at a
 * time, it returns the recent pulse waveform and a provisional heart rate.
 */
#pragma once

#include <glib-object.h>
#include "vital-tensor.h"

G_BEGIN_DECLS

#define VITAL_TYPE_STREAM (vital_stream_get_type ())
G_DECLARE_FINAL_TYPE (VitalStream, vital_stream, VITAL, STREAM, GObject)

/* Seconds of signal before vital_stream_get_heart_rate() answers. */
#define VITAL_STREAM_MIN_SECONDS 6.0

VitalStream *vital_stream_new              (double          window_seconds);
void         vital_stream_reset            (VitalStream    *self);
gboolean     vital_stream_push             (VitalStream    *self,
                                            gint64          timestamp_us,
                                            const double    means[VITAL_TENSOR_REGIONS][3],
                                            GError        **error);
gboolean     vital_stream_push_planes      (VitalStream    *self,
                                            gint64          timestamp_us,
                                            const guint8   *planes,
                                            GError        **error);
double       vital_stream_get_seconds      (VitalStream    *self);
gboolean     vital_stream_get_heart_rate   (VitalStream    *self,
                                            double         *out_bpm,
                                            double         *out_confidence);
float       *vital_stream_get_waveform     (VitalStream    *self,
                                            double          seconds,
                                            double          rate,
                                            guint          *out_length);

G_END_DECLS
