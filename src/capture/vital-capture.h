/* vital-capture.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalCapture: a GStreamer pipeline from a camera, a video file or the demo subject to live
 * frames with face geometry and to the encoded scan payload.
 */
#pragma once

#include <gio/gio.h>

#include "vital-capture-error.h"
#include "vital-capture-frame.h"
#include "vital-guidance.h"
#include "vital-regions.h"
#include "vital-scan-recorder.h"
#include "vital-tensor.h"

G_BEGIN_DECLS

/* Video files above this size are rejected before decoding. */
#define VITAL_CAPTURE_MAX_FILE_SIZE        (100 * 1024 * 1024)
#define VITAL_CAPTURE_DEFAULT_SCAN_SECONDS 30.0
/* The scan's rules, owned by VitalScanRecorder (vital-scan-recorder.h). */
#define VITAL_CAPTURE_FRAME_RATE           VITAL_SCAN_FRAME_RATE
#define VITAL_CAPTURE_MIN_FACE_COVERAGE    VITAL_SCAN_MIN_FACE_COVERAGE
#define VITAL_CAPTURE_MIN_SCAN_SECONDS     VITAL_SCAN_MIN_SECONDS

typedef struct _VitalCamera VitalCamera;
typedef struct _VitalDemoSettings VitalDemoSettings;

#define VITAL_TYPE_CAPTURE (vital_capture_get_type ())

G_DECLARE_FINAL_TYPE (VitalCapture, vital_capture, VITAL, CAPTURE, GObject)

VitalCapture      *vital_capture_new_for_file     (const char        *path,
                                                   GError           **error);
VitalCapture      *vital_capture_new_for_demo     (const VitalDemoSettings *settings,
                                                   GError           **error);
VitalCapture      *vital_capture_new_for_camera   (VitalCamera       *camera,
                                                   GError           **error);

void               vital_capture_set_roi_mode     (VitalCapture      *self,
                                                   VitalRoiMode       mode);
VitalRoiMode       vital_capture_get_roi_mode     (VitalCapture      *self);
void               vital_capture_set_emit_frames  (VitalCapture      *self,
                                                   gboolean           emit_frames);
gboolean           vital_capture_get_is_live      (VitalCapture      *self);

gboolean           vital_capture_start            (VitalCapture      *self,
                                                   GError           **error);
void               vital_capture_stop             (VitalCapture      *self);
VitalCaptureFrame *vital_capture_get_latest_frame (VitalCapture      *self);

void               vital_capture_scan_async       (VitalCapture      *self,
                                                   double             duration_s,
                                                   GCancellable      *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer           user_data);
GBytes            *vital_capture_scan_finish      (VitalCapture      *self,
                                                   GAsyncResult      *result,
                                                   VitalScanInfo     *out_info,
                                                   GError           **error);
void               vital_capture_stop_scan        (VitalCapture      *self);
gboolean           vital_capture_is_scanning      (VitalCapture      *self);

GBytes            *vital_capture_process_file     (const char        *path,
                                                   VitalRoiMode       roi_mode,
                                                   double             max_duration_s,
                                                   GCancellable      *cancellable,
                                                   VitalScanInfo     *out_info,
                                                   GError           **error);

G_END_DECLS
