/* vital-face-tracker.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalFaceTracker: turns sparse, noisy face detections into a smooth per-frame face box.
 */
#pragma once

#include <glib-object.h>

#include "vital-tensor.h"

G_BEGIN_DECLS

/* Detections closer than this to a frame's time shape its box (local linear fit). */
#define VITAL_FACE_TRACKER_DEFAULT_WINDOW_US (500 * G_TIME_SPAN_MILLISECOND)
/* Without any detection for this long, the face is declared lost. */
#define VITAL_FACE_TRACKER_DEFAULT_GRACE_US  (1000 * G_TIME_SPAN_MILLISECOND)

#define VITAL_TYPE_FACE_TRACKER (vital_face_tracker_get_type ())

G_DECLARE_FINAL_TYPE (VitalFaceTracker, vital_face_tracker, VITAL, FACE_TRACKER, GObject)

VitalFaceTracker *vital_face_tracker_new            (void);
void              vital_face_tracker_set_grace      (VitalFaceTracker *self,
                                                     gint64            grace_us);
gint64            vital_face_tracker_get_grace      (VitalFaceTracker *self);
void              vital_face_tracker_set_horizon    (VitalFaceTracker *self,
                                                     gint64            horizon_us);
void              vital_face_tracker_push_detection (VitalFaceTracker *self,
                                                     gint64            pts_us,
                                                     const VitalRect  *faces,
                                                     guint             n_faces);
gboolean          vital_face_tracker_get_box        (VitalFaceTracker *self,
                                                     gint64            pts_us,
                                                     VitalRect        *out_box);
guint             vital_face_tracker_get_n_samples  (VitalFaceTracker *self);
void              vital_face_tracker_reset          (VitalFaceTracker *self);

G_END_DECLS
