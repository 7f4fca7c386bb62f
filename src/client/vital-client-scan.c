/* vital-client-scan.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the whole scan as one call: start → upload → upload-complete → poll, with the client's
 * phase and progress, and its blocking form for the CLI.
 */
#include "vital-config.h"

#include <math.h>
#include <string.h>

#include "vital-client-json.h"
#include "vital-client-private.h"

/* ------------------------------------------------------------------------------------------ */
/* Running an async call synchronously                                                         */

static void
on_sync_ready (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static void
sync_begin (VitalClient *self)
{
  g_main_context_push_thread_default (self->context);
}

static GAsyncResult *
sync_wait (VitalClient   *self,
           GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (self->context, TRUE);
  g_main_context_pop_thread_default (self->context);
  return *slot;
}

/* ------------------------------------------------------------------------------------------ */
/* scan_tensor                                                                                 */

typedef struct
{
  GBytes             *payload;
  VitalDemographics   demographics;
  gboolean            has_demographics;
  VitalClientSession *session;
  VitalScanPhase      step;      /* the call in flight: this scan's own, whatever the client's
                                  * phase says about another scan on the same client */
} ScanData;

static void
scan_data_free (ScanData *data)
{
  g_clear_pointer (&data->payload, g_bytes_unref);
  g_clear_object (&data->session);
  g_free (data);
}

static void
scan_fail (GTask  *task,
           GError *error)
{
  vital_client_set_phase (g_task_get_source_object (task), VITAL_SCAN_PHASE_FAILED);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
scan_succeed (GTask      *task,
              VitalSigns *signs)
{
  vital_client_set_phase (g_task_get_source_object (task), VITAL_SCAN_PHASE_DONE);
  g_task_return_pointer (task, signs, g_object_unref);
  g_object_unref (task);
}

static void on_scan_step (GObject      *source_object,
                          GAsyncResult *result,
                          gpointer      user_data);

/* Starts the next step of the scan (start, upload, complete, poll). */
static void
scan_begin_step (GTask          *task,
                 VitalScanPhase  step)
{
  VitalClient *self = g_task_get_source_object (task);
  ScanData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  const char *id = data->session != NULL ? vital_client_session_get_id (data->session) : NULL;

  data->step = step;
  vital_client_set_phase (self, step);
  switch (step)
    {
    case VITAL_SCAN_PHASE_STARTING:
      vital_client_start_session_async (self,
                                        data->has_demographics ? &data->demographics : NULL,
                                        cancellable, on_scan_step, task);
      break;
    case VITAL_SCAN_PHASE_UPLOADING:
      vital_client_upload_async (self, vital_client_session_get_upload_url (data->session),
                                 data->payload, cancellable, on_scan_step, task);
      break;
    case VITAL_SCAN_PHASE_COMPLETING:
      vital_client_complete_upload_async (self, id, cancellable, on_scan_step, task);
      break;
    case VITAL_SCAN_PHASE_PROCESSING:
      vital_client_poll_result_async (self, id, cancellable, on_scan_step, task);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* One callback for every step: finishes the step in flight, then begins the next one (an
 * inline result at upload-complete skips the polling). */
static void
on_scan_step (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  VitalClient *self = VITAL_CLIENT (source_object);
  ScanData *data = g_task_get_task_data (task);
  VitalSigns *signs = NULL;
  GError *error = NULL;
  gboolean ok = FALSE;

  switch (data->step)
    {
    case VITAL_SCAN_PHASE_STARTING:
      data->session = vital_client_start_session_finish (self, result, &error);
      ok = data->session != NULL;
      break;
    case VITAL_SCAN_PHASE_UPLOADING:
      ok = vital_client_upload_finish (self, result, &error);
      break;
    case VITAL_SCAN_PHASE_COMPLETING:
      ok = vital_client_complete_upload_finish (self, result, &signs, &error);
      break;
    case VITAL_SCAN_PHASE_PROCESSING:
      signs = vital_client_poll_result_finish (self, result, &error);
      ok = signs != NULL;
      break;
    default:
      g_assert_not_reached ();
    }
  if (!ok)
    scan_fail (task, error);
  else if (signs != NULL)
    scan_succeed (task, signs);
  else if (data->step == VITAL_SCAN_PHASE_STARTING)
    {
      vital_client_set_upload_bytes (self, 0, g_bytes_get_size (data->payload));
      scan_begin_step (task, VITAL_SCAN_PHASE_UPLOADING);
    }
  else
    scan_begin_step (task, data->step == VITAL_SCAN_PHASE_UPLOADING
                           ? VITAL_SCAN_PHASE_COMPLETING : VITAL_SCAN_PHASE_PROCESSING);
}

/**
 * vital_client_scan_tensor_async:
 * @self: a client
 * @payload: an encoded tensor payload (see docs/tensor-format.md)
 * @demographics: (nullable): optional demographics for the start request
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the client's context when done
 * @user_data: data for @callback
 *
 * One full session: start → upload → complete → (poll). #VitalClient:phase,
 * #VitalClient:bytes-uploaded and #VitalClient::progress follow along.
 */
void
vital_client_scan_tensor_async (VitalClient             *self,
                                GBytes                  *payload,
                                const VitalDemographics *demographics,
                                GCancellable            *cancellable,
                                GAsyncReadyCallback      callback,
                                gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  ScanData *data;

  g_return_if_fail (VITAL_IS_CLIENT (self));
  g_return_if_fail (payload != NULL);

  task = vital_client_task_new (self, cancellable, vital_client_scan_tensor_async, callback,
                                user_data);
  data = g_new0 (ScanData, 1);
  data->payload = g_bytes_ref (payload);
  if (demographics != NULL)
    {
      data->demographics = *demographics;
      data->has_demographics = TRUE;
    }
  g_task_set_task_data (task, data, (GDestroyNotify) scan_data_free);

  self->bytes_notified = 0;
  vital_client_set_phase (self, VITAL_SCAN_PHASE_STARTING);
  vital_client_set_upload_bytes (self, 0, g_bytes_get_size (payload));

  if (g_bytes_get_size (payload) == 0)
    {
      g_set_error_literal (&error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_INVALID_REQUEST,
                           "The payload is empty");
      scan_fail (g_steal_pointer (&task), error);
      return;
    }

  scan_begin_step (g_steal_pointer (&task), VITAL_SCAN_PHASE_STARTING);
}

/**
 * vital_client_scan_tensor_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for a %VITAL_CLIENT_ERROR
 *
 * Returns: (transfer full) (nullable): the result of the scan
 */
VitalSigns *
vital_client_scan_tensor_finish (VitalClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * vital_client_scan_tensor_sync:
 * @self: a client
 * @payload: an encoded tensor payload
 * @demographics: (nullable): optional demographics
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a %VITAL_CLIENT_ERROR
 *
 * Blocking vital_client_scan_tensor_async(); signals are emitted while it runs.
 *
 * Returns: (transfer full) (nullable): the result of the scan
 */
VitalSigns *
vital_client_scan_tensor_sync (VitalClient             *self,
                               GBytes                  *payload,
                               const VitalDemographics *demographics,
                               GCancellable            *cancellable,
                               GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (VITAL_IS_CLIENT (self), NULL);
  sync_begin (self);
  vital_client_scan_tensor_async (self, payload, demographics, cancellable, on_sync_ready,
                                  &result);
  return vital_client_scan_tensor_finish (self, sync_wait (self, &result), error);
}
