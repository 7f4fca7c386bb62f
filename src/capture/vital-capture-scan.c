/* vital-capture-scan.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns VitalCapture's scans, on the main context: starting one (its VitalScanRecorder, its
 * cancellation, the camera's exposure lock), ending it (checks, encoding on a worker thread,
 * VitalScanInfo), and vital_capture_process_file(), a whole scan of a file on the calling
 * thread.
 */
#include "vital-config.h"

#include <math.h>
#include <string.h>

#include "vital-capture-private.h"

/* The scan task's data: the facts about the scan, and the tensor while it is encoded. */
typedef struct
{
  VitalTensor *tensor;
  VitalScanInfo info;
} ScanData;

static void
scan_data_free (ScanData *data)
{
  g_clear_pointer (&data->tensor, vital_tensor_unref);
  g_free (data);
}

/* ---- ending a scan ------------------------------------------------------------------------ */

/* Worker thread: the task's tensor to its payload (gzip + delta). */
static void
encode_thread (GTask *task,
               gpointer source_object,
               gpointer task_data,
               GCancellable *cancellable)
{
  ScanData *data = task_data;
  GError *error = NULL;
  GBytes *payload;

  payload = vital_tensor_encode (data->tensor, VITAL_TENSOR_ENCODE_DEFAULT, -1, &error);
  if (payload == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, payload, (GDestroyNotify) g_bytes_unref);
}

/**
 * vital_capture_finish_scan:
 * @self: a #VitalCapture
 * @error: (transfer full) (nullable): why the scan failed, or %NULL
 *
 * Ends the running scan, if any, on the main context: @error fails it; otherwise the
 * recording is checked and encoded on a worker thread. The camera's exposure is given back.
 * Without a running scan, @error is freed.
 */
void
vital_capture_finish_scan (VitalCapture *self,
                           GError *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->scan_task);
  g_autoptr(VitalScanRecorder) recorder = NULL;
  g_autoptr(VitalTensor) tensor = NULL;
  VitalRoiMode roi_mode;
  ScanData *data;

  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }

  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }

  data = g_new0 (ScanData, 1);
  g_mutex_lock (&self->mutex);
  recorder = g_steal_pointer (&self->recorder);
  roi_mode = self->roi_mode;
  g_mutex_unlock (&self->mutex);

  vital_scan_recorder_get_info (recorder, &data->info);
  data->info.exposure_locked = self->exposure_locked;
  g_clear_pointer (&self->camera_lock, vital_camera_lock_release);
  self->exposure_locked = FALSE;
  g_task_set_task_data (task, data, (GDestroyNotify) scan_data_free);

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  tensor = vital_scan_recorder_take_tensor (recorder, roi_mode, &error);
  if (tensor == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data->tensor = g_steal_pointer (&tensor);
  g_task_run_in_thread (task, encode_thread);
}

/* ---- the scan API ------------------------------------------------------------------------- */

/* The scan's cancellable fired (main context): the scan fails with G_IO_ERROR_CANCELLED, and a
 * file is no longer read. @user_data is the capture, borrowed: the source dies with the scan. */
static gboolean
on_scan_cancelled (GCancellable *cancellable,
                   gpointer user_data)
{
  VitalCapture *self = user_data;

  vital_capture_finish_scan (self, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                "the scan was cancelled"));
  if (vital_capture_is_file (self))
    vital_capture_stop (self);
  return G_SOURCE_REMOVE;
}

/**
 * vital_capture_scan_async:
 * @self: a #VitalCapture
 * @duration_s: seconds to record (0 for %VITAL_CAPTURE_DEFAULT_SCAN_SECONDS; for a file, 0
 *   means the whole file, otherwise its first @duration_s seconds)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main context when the payload is ready or the scan failed
 * @user_data: data for @callback
 *
 * Records a scan: from the next frame on, packed frames are resampled to
 * %VITAL_CAPTURE_FRAME_RATE until @duration_s seconds are recorded (or the file ends, or
 * vital_capture_stop_scan() is called); the payload is then encoded (gzip + delta) on a worker
 * thread. Starts the capture if it is not running. Cameras get auto-exposure and white balance
 * locked for the scan when they allow it. #VitalCapture::scan-progress reports progress.
 */
void
vital_capture_scan_async (VitalCapture *self,
                          double duration_s,
                          GCancellable *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  double seconds;

  g_return_if_fail (VITAL_IS_CAPTURE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vital_capture_scan_async);

  if (self->scan_task != NULL)
    {
      g_task_return_new_error (task, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_BUSY,
                               "a scan is already running");
      return;
    }
  if (!isfinite (duration_s) || duration_s < 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "invalid scan duration");
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  if (duration_s > 0)
    seconds = duration_s;
  else if (vital_capture_is_file (self))
    seconds = VITAL_TENSOR_MAX_FRAMES / VITAL_CAPTURE_FRAME_RATE;
  else
    seconds = VITAL_CAPTURE_DEFAULT_SCAN_SECONDS;

  g_mutex_lock (&self->mutex);
  g_clear_object (&self->recorder);
  self->recorder = vital_scan_recorder_new (seconds);
  g_mutex_unlock (&self->mutex);

  self->scan_task = g_steal_pointer (&task);

  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source,
                             (GSourceFunc) (void (*) (void)) on_scan_cancelled, self, NULL);
      g_source_attach (self->cancel_source, self->context);
    }

  if (!vital_capture_pipeline_is_running (self->pipeline) && !vital_capture_start (self, &error))
    {
      vital_capture_finish_scan (self, g_steal_pointer (&error));
      return;
    }

  if (vital_capture_pipeline_get_source (self->pipeline) == VITAL_CAPTURE_SOURCE_CAMERA
      && vital_capture_pipeline_is_running (self->pipeline))
    {
      self->camera_lock = vital_capture_pipeline_lock_camera (self->pipeline, &error);
      self->exposure_locked = self->camera_lock != NULL;
      if (error != NULL)
        g_message ("scan without exposure lock: %s", error->message);
    }
}

/**
 * vital_capture_scan_finish:
 * @self: a #VitalCapture
 * @result: the #GAsyncResult
 * @out_info: (out caller-allocates) (optional): facts about the scan (also on failure, as far
 *   as they are known)
 * @error: return location for a #GError
 *
 * Finishes vital_capture_scan_async().
 *
 * Returns: (transfer full): the encoded payload (vital_tensor_encode() with
 *   %VITAL_TENSOR_ENCODE_DEFAULT), or %NULL with @error set
 */
GBytes *
vital_capture_scan_finish (VitalCapture *self,
                           GAsyncResult *result,
                           VitalScanInfo *out_info,
                           GError **error)
{
  ScanData *data;

  g_return_val_if_fail (VITAL_IS_CAPTURE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (out_info != NULL)
    {
      if (data != NULL)
        *out_info = data->info;
      else
        memset (out_info, 0, sizeof *out_info);
    }
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * vital_capture_stop_scan:
 * @self: a #VitalCapture
 *
 * Ends the running scan now; it completes with what was recorded so far (and fails as too
 * short if that is under %VITAL_CAPTURE_MIN_SCAN_SECONDS).
 */
void
vital_capture_stop_scan (VitalCapture *self)
{
  g_return_if_fail (VITAL_IS_CAPTURE (self));

  if (self->scan_task == NULL)
    return;

  g_mutex_lock (&self->mutex);
  vital_scan_recorder_stop (self->recorder);
  g_mutex_unlock (&self->mutex);
  vital_capture_finish_scan (self, NULL);
}

/**
 * vital_capture_is_scanning:
 * @self: a #VitalCapture
 *
 * Returns: %TRUE while a scan is recording or encoding
 */
gboolean
vital_capture_is_scanning (VitalCapture *self)
{
  g_return_val_if_fail (VITAL_IS_CAPTURE (self), FALSE);

  return self->scan_task != NULL;
}

/* ---- synchronous file analysis ------------------------------------------------------------ */

typedef struct
{
  GAsyncResult *result;
} SyncData;

/* Keeps a reference on the scan's @result for vital_capture_process_file() to finish. */
static void
on_sync_scan_done (GObject *source,
                   GAsyncResult *result,
                   gpointer user_data)
{
  SyncData *data = user_data;

  data->result = g_object_ref (result);
}

/**
 * vital_capture_process_file:
 * @path: a video file
 * @roi_mode: face tracking or full frame
 * @max_duration_s: analyse at most this many seconds from the start (0: the whole file)
 * @cancellable: (nullable): a #GCancellable
 * @out_info: (out caller-allocates) (optional): facts about the scan
 * @error: return location for a #GError
 *
 * Reads a whole video file as fast as possible and returns its encoded payload. Blocks the
 * calling thread (it runs its own main context), so it suits the CLI, benchmarks and server
 * worker threads.
 *
 * Returns: (transfer full): the payload, or %NULL with @error set
 */
GBytes *
vital_capture_process_file (const char *path,
                            VitalRoiMode roi_mode,
                            double max_duration_s,
                            GCancellable *cancellable,
                            VitalScanInfo *out_info,
                            GError **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(VitalCapture) capture = NULL;
  SyncData data = { NULL };
  GBytes *payload;

  g_return_val_if_fail (path != NULL, NULL);

  if (out_info != NULL)
    memset (out_info, 0, sizeof *out_info);

  g_main_context_push_thread_default (context);

  capture = vital_capture_new_for_file (path, error);
  if (capture == NULL)
    {
      g_main_context_pop_thread_default (context);
      return NULL;
    }
  vital_capture_set_roi_mode (capture, roi_mode);
  vital_capture_set_emit_frames (capture, FALSE);
  vital_capture_scan_async (capture, max_duration_s, cancellable, on_sync_scan_done, &data);
  while (data.result == NULL)
    g_main_context_iteration (context, TRUE);

  payload = vital_capture_scan_finish (capture, data.result, out_info, error);
  g_clear_object (&data.result);
  vital_capture_stop (capture);
  g_clear_object (&capture);
  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);

  g_main_context_pop_thread_default (context);
  return payload;
}
