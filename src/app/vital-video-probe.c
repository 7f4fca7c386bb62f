/* vital-video-probe.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How long a video file lasts: GStreamer's discoverer reads the container's header (no
 * decoding), in a worker thread.
 */
#include "vital-config.h"

#include <gst/pbutils/pbutils.h>

#include "vital-video-probe.h"

/* A damaged file can stall the discoverer: give up then, the video is read anyway. */
#define PROBE_TIMEOUT (5 * GST_SECOND)

static void
probe_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  g_autoptr(GstDiscoverer) discoverer = NULL;
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autofree char *uri = g_file_get_uri (task_data);
  GError *error = NULL;
  GstClockTime duration;
  double *seconds;

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  discoverer = gst_discoverer_new (PROBE_TIMEOUT, &error);
  if (discoverer != NULL)
    info = gst_discoverer_discover_uri (discoverer, uri, &error);
  if (info == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_error (&error);
  duration = gst_discoverer_info_get_duration (info);
  if (!GST_CLOCK_TIME_IS_VALID (duration) || duration == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "the video does not say how long it lasts");
      return;
    }
  seconds = g_new (double, 1);
  *seconds = (double) duration / GST_SECOND;
  g_task_return_pointer (task, seconds, g_free);
}

/**
 * vital_video_probe_duration_async:
 * @file: a local video file
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the duration
 * @user_data: data for @callback
 *
 * Finds how long @file lasts, without decoding it.
 */
void
vital_video_probe_duration_async (GFile               *file,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vital_video_probe_duration_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, probe_thread);
}

/**
 * vital_video_probe_duration_finish:
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: the duration in seconds, or 0 with @error set when it could not be found
 */
double
vital_video_probe_duration_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_autofree double *seconds = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), 0.0);

  seconds = g_task_propagate_pointer (G_TASK (result), error);
  return seconds != NULL ? *seconds : 0.0;
}
