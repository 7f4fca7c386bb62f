/* vital-capture-error.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VITAL_CAPTURE_ERROR: the error domain of the whole capture module (sources, cameras, scans),
 * and how GStreamer's errors map onto it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VITAL_CAPTURE_ERROR (vital_capture_error_quark ())

/**
 * VitalCaptureError:
 * @VITAL_CAPTURE_ERROR_NOT_FOUND: the video file does not exist or cannot be read
 * @VITAL_CAPTURE_ERROR_TOO_LARGE: the video file is larger than %VITAL_CAPTURE_MAX_FILE_SIZE
 * @VITAL_CAPTURE_ERROR_UNSUPPORTED: not a video file, or no video stream in it
 * @VITAL_CAPTURE_ERROR_DECODE: the video could not be decoded
 * @VITAL_CAPTURE_ERROR_NO_FACE: no face (or too little of the time) was found
 * @VITAL_CAPTURE_ERROR_TOO_SHORT: too few frames were captured
 * @VITAL_CAPTURE_ERROR_DEVICE: the camera could not be opened or controlled
 * @VITAL_CAPTURE_ERROR_MISSING_PLUGIN: a GStreamer element we need is not installed
 * @VITAL_CAPTURE_ERROR_BUSY: a scan is already running
 * @VITAL_CAPTURE_ERROR_FAILED: the pipeline failed for another reason
 * @VITAL_CAPTURE_ERROR_PERMISSION_DENIED: the camera portal refused access to the camera (the
 *   user said no, or dismissed the question)
 * @VITAL_CAPTURE_ERROR_NO_CAMERA: the camera portal reports no camera on the system
 *
 * Errors of the capture layer. Cancellation is never one of them: a cancelled or stopped
 * operation fails with %G_IO_ERROR_CANCELLED, and a bad argument with
 * %G_IO_ERROR_INVALID_ARGUMENT.
 */
typedef enum
{
  VITAL_CAPTURE_ERROR_NOT_FOUND,
  VITAL_CAPTURE_ERROR_TOO_LARGE,
  VITAL_CAPTURE_ERROR_UNSUPPORTED,
  VITAL_CAPTURE_ERROR_DECODE,
  VITAL_CAPTURE_ERROR_NO_FACE,
  VITAL_CAPTURE_ERROR_TOO_SHORT,
  VITAL_CAPTURE_ERROR_DEVICE,
  VITAL_CAPTURE_ERROR_MISSING_PLUGIN,
  VITAL_CAPTURE_ERROR_BUSY,
  VITAL_CAPTURE_ERROR_FAILED,
  VITAL_CAPTURE_ERROR_PERMISSION_DENIED,
  VITAL_CAPTURE_ERROR_NO_CAMERA,
} VitalCaptureError;

GQuark  vital_capture_error_quark    (void);
GError *vital_capture_error_from_gst (const GError *gst_error,
                                      const char   *source_name,
                                      gboolean      is_camera);

G_END_DECLS
