/* vital-capture-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the capture library's own files and tests may see of VitalCapture beyond its public API.
 */
#pragma once

#include "vital-capture.h"

G_BEGIN_DECLS

/* Called on a streaming thread for every processed frame, in order, with the tracker's box. */
typedef void (*VitalCaptureFrameHook) (VitalCapture    *capture,
                                       gint64           pts_us,
                                       gboolean         has_face,
                                       const VitalRect *face,
                                       VitalGuidance    guidance,
                                       gpointer         user_data);

void vital_capture_set_frame_hook (VitalCapture          *self,
                                   VitalCaptureFrameHook  hook,
                                   gpointer               user_data);

/* Tests: sleep this long in the frame branch before each frame is queued, as a loaded machine
 * would, so the face-detection branch runs ahead of it. */
void vital_capture_set_frame_delay (VitalCapture *self,
                                    gint64        delay_us);

G_END_DECLS
