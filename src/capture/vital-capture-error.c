/* vital-capture-error.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the capture module's error domain and the mapping of GStreamer's errors to it.
 */
#include "vital-config.h"

#include <gst/gst.h>

#include "vital-capture-error.h"

G_DEFINE_QUARK (vital-capture-error-quark, vital_capture_error)

/**
 * vital_capture_error_from_gst:
 * @gst_error: an error from a GStreamer element (or one of ours posted on the bus)
 * @source_name: what the person knows the source as (a file's base name, "demo", "camera")
 * @is_camera: whether the source is a camera (resource errors are then device failures)
 *
 * Maps a pipeline error to a #VitalCaptureError a person can act on: unreadable or
 * unsupported streams, missing decoders and plugins, camera and file failures. A
 * %VITAL_CAPTURE_ERROR is copied as it is.
 *
 * Returns: (transfer full): the capture error
 */
GError *
vital_capture_error_from_gst (const GError *gst_error,
                              const char *source_name,
                              gboolean is_camera)
{
  g_return_val_if_fail (gst_error != NULL, NULL);
  g_return_val_if_fail (source_name != NULL, NULL);

  if (gst_error->domain == VITAL_CAPTURE_ERROR)
    return g_error_copy (gst_error);

  if (gst_error->domain == GST_STREAM_ERROR)
    {
      switch (gst_error->code)
        {
        case GST_STREAM_ERROR_TYPE_NOT_FOUND:
        case GST_STREAM_ERROR_WRONG_TYPE:
          return g_error_new (VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_UNSUPPORTED,
                              "“%s” is not a video file we can read", source_name);
        case GST_STREAM_ERROR_CODEC_NOT_FOUND:
          return g_error_new (VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_UNSUPPORTED,
                              "no decoder is installed for the video in “%s”", source_name);
        default:
          return g_error_new (VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_DECODE,
                              "could not decode “%s”: %s", source_name, gst_error->message);
        }
    }
  if (gst_error->domain == GST_RESOURCE_ERROR)
    {
      if (is_camera)
        return g_error_new (VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_DEVICE,
                            "camera failure: %s", gst_error->message);
      return g_error_new (VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_NOT_FOUND,
                          "cannot read “%s”: %s", source_name, gst_error->message);
    }
  if (gst_error->domain == GST_CORE_ERROR && gst_error->code == GST_CORE_ERROR_MISSING_PLUGIN)
    return g_error_new (VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_MISSING_PLUGIN,
                        "a GStreamer plugin is missing: %s", gst_error->message);

  return g_error_new (VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_FAILED,
                      "capture failed: %s", gst_error->message);
}
