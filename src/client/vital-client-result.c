/* vital-client-result.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns getting a result: upload-complete (answered inline with the result, or 202) and polling
 * the result until it is in, failed or the polling deadline passes.
 */
#include "vital-config.h"

#include <math.h>
#include <string.h>

#include "vital-client-json.h"
#include "vital-client-private.h"

/* ------------------------------------------------------------------------------------------ */
/* Result bodies (upload-complete and result polling)                                          */

typedef enum
{
  RESULT_READY,    /* *out_signs set */
  RESULT_PENDING,  /* not done yet: poll */
  RESULT_ERROR,    /* error set */
} ResultState;

/* Interprets `{session_id, status, vitals…, error}`. */
static ResultState
interpret_result (JsonNode    *node,
                  VitalSigns **out_signs,
                  GError     **error)
{
  JsonObject *object = json_node_get_object (node);
  VitalClientSessionStatus status;
  const char *status_text, *failure;

  if (!vital_json_get_string (object, NULL, "status", VITAL_JSON_REQUIRED, &status_text, error))
    return RESULT_ERROR;
  if (!vital_client_session_status_from_string (status_text, &status))
    {
      g_set_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
                   "The server sent an unknown session status “%s”", status_text);
      return RESULT_ERROR;
    }

  switch (status)
    {
    case VITAL_CLIENT_SESSION_STATUS_COMPLETED:
      *out_signs = vital_signs_new_from_json (node, error);
      return *out_signs != NULL ? RESULT_READY : RESULT_ERROR;

    case VITAL_CLIENT_SESSION_STATUS_FAILED:
      if (!vital_json_get_string (object, NULL, "error", VITAL_JSON_OPTIONAL |
                                  VITAL_JSON_NULLABLE, &failure, error))
        return RESULT_ERROR;
      g_set_error_literal (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_PROCESSING_FAILED,
                           failure != NULL && failure[0] != '\0' ? failure :
                           "The server could not process the scan");
      return RESULT_ERROR;

    case VITAL_CLIENT_SESSION_STATUS_EXPIRED:
      g_set_error_literal (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_SESSION_EXPIRED,
                           "The session expired before a result was available");
      return RESULT_ERROR;

    case VITAL_CLIENT_SESSION_STATUS_PENDING:
    case VITAL_CLIENT_SESSION_STATUS_UPLOADED:
    case VITAL_CLIENT_SESSION_STATUS_PROCESSING:
    default:
      return RESULT_PENDING;
    }
}

static gboolean
check_session_id (const char  *session_id,
                  GError     **error)
{
  if (session_id == NULL || session_id[0] == '\0' || strlen (session_id) > 128 ||
      strpbrk (session_id, "/?#% \t\r\n") != NULL)
    {
      g_set_error_literal (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_INVALID_REQUEST,
                           "The session id is empty or malformed");
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* complete_upload                                                                             */

static void
on_complete_sent (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  VitalSigns *signs = NULL;
  GError *error = NULL;
  guint status;

  node = vital_client_request_finish (VITAL_CLIENT (source_object), result, &status, NULL, &error);
  if (node == NULL)
    {
      /* A re-sent completion refused as a conflict (409): an earlier attempt whose answer was
       * lost did reach the server, which is processing or done. Poll for the result. */
      if (status == 409 && vital_client_request_get_attempts (result) > 1)
        {
          g_clear_error (&error);
          g_task_return_pointer (task, NULL, NULL);
          return;
        }
      g_task_return_error (task, error);
      return;
    }
  switch (interpret_result (node, &signs, &error))
    {
    case RESULT_READY:
      g_task_return_pointer (task, signs, g_object_unref);
      break;
    case RESULT_PENDING:
      g_task_return_pointer (task, NULL, NULL);
      break;
    case RESULT_ERROR:
    default:
      g_task_return_error (task, error);
      break;
    }
}

/**
 * vital_client_complete_upload_async:
 * @self: a client
 * @session_id: the session whose payload is uploaded
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the client's context when done
 * @user_data: data for @callback
 *
 * `POST /sdk/session/upload-complete`. The server answers 200 with the result inline when
 * processing is quick, or 202 while it still processes (then poll). When a re-sent completion
 * (after a lost answer) is refused with 409, the first one reached the server: this finishes
 * without a result and the caller polls.
 */
void
vital_client_complete_upload_async (VitalClient         *self,
                                    const char          *session_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(VitalClientRequest) req = vital_client_request_new ("complete_upload",
                                                                SOUP_METHOD_POST);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;
  char *text;

  g_return_if_fail (VITAL_IS_CLIENT (self));

  if (!check_session_id (session_id, &error) ||
      (req->uri = vital_client_make_uri (self, "/sdk/session/upload-complete", NULL,
                                         &error)) == NULL)
    {
      g_task_report_error (self, callback, user_data, vital_client_complete_upload_async, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "session_id");
  json_builder_add_string_value (builder, session_id);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  req->body = g_bytes_new_take (text, strlen (text));
  req->content_type = "application/json";

  vital_client_call (self, g_steal_pointer (&req), cancellable,
                     vital_client_complete_upload_async, on_complete_sent, callback, user_data);
}

/**
 * vital_client_complete_upload_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @out_signs: (out) (transfer full) (optional) (nullable): the result when the server answered
 *   it inline, %NULL when it is still processing (poll with vital_client_poll_result_async())
 * @error: return location for a %VITAL_CLIENT_ERROR
 *
 * Returns: %TRUE when the server accepted the completion
 */
gboolean
vital_client_complete_upload_finish (VitalClient   *self,
                                     GAsyncResult  *result,
                                     VitalSigns   **out_signs,
                                     GError       **error)
{
  GError *local_error = NULL;
  VitalSigns *signs;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (out_signs != NULL)
    *out_signs = NULL;
  signs = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (out_signs != NULL)
    *out_signs = signs;
  else
    g_clear_object (&signs);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* poll_result                                                                                 */

typedef struct
{
  char   *session_id;
  gint64  deadline_us;
} PollData;

static void
poll_data_free (PollData *data)
{
  g_free (data->session_id);
  g_free (data);
}

static void poll_once (GTask *task);

static void
on_poll_sent (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  VitalClient *self = VITAL_CLIENT (source_object);
  PollData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  VitalSigns *signs = NULL;
  const char *server_code = NULL;
  GError *error = NULL;
  guint status = 0;

  node = vital_client_request_finish (self, result, &status, &server_code, &error);
  if (node == NULL)
    {
      /* An unknown route (404/405 that is not SESSION_NOT_FOUND): try the alias spelling. */
      if ((status == 404 || status == 405) && !self->use_result_alias &&
          g_strcmp0 (server_code, "SESSION_NOT_FOUND") != 0)
        {
          g_clear_error (&error);
          self->use_result_alias = TRUE;
          poll_once (task);
          return;
        }
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  switch (interpret_result (node, &signs, &error))
    {
    case RESULT_READY:
      g_task_return_pointer (task, signs, g_object_unref);
      g_object_unref (task);
      return;

    case RESULT_ERROR:
      g_task_return_error (task, error);
      g_object_unref (task);
      return;

    case RESULT_PENDING:
    default:
      break;
    }

  if (g_get_monotonic_time () + (gint64) self->poll_interval_ms * 1000 > data->deadline_us)
    {
      g_task_return_new_error (task, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_TIMEOUT,
                               "No result arrived within %u s", self->poll_timeout_ms / 1000);
      g_object_unref (task);
      return;
    }
  vital_client_wait_then (self, self->poll_interval_ms, task, poll_once);
}

static void
poll_once (GTask *task)
{
  VitalClient *self = g_task_get_source_object (task);
  PollData *data = g_task_get_task_data (task);
  g_autoptr(VitalClientRequest) req = vital_client_request_new ("poll_result", SOUP_METHOD_GET);
  g_autofree char *escaped = g_uri_escape_string (data->session_id, NULL, FALSE);
  g_autofree char *path = NULL;
  GError *error = NULL;

  if (self->use_result_alias)
    path = g_strdup_printf ("/sdk/session/result/%s", escaped);
  else
    path = g_strdup_printf ("/sdk/session/%s/result", escaped);

  req->uri = vital_client_make_uri (self, path, NULL, &error);
  if (req->uri == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  vital_client_request_send (self, g_steal_pointer (&req), g_task_get_cancellable (task),
                             on_poll_sent, task);
}

/**
 * vital_client_poll_result_async:
 * @self: a client
 * @session_id: the session to wait for
 * @cancellable: (nullable): a #GCancellable; cancelling stops polling at once
 * @callback: called on the client's context when done
 * @user_data: data for @callback
 *
 * Polls `GET /sdk/session/{id}/result` (or the alias `/sdk/session/result/{id}` when the
 * server only knows that one) every #VitalClient:poll-interval until the session is completed
 * (the result), failed (%VITAL_CLIENT_ERROR_PROCESSING_FAILED with the server's text) or
 * expired (%VITAL_CLIENT_ERROR_SESSION_EXPIRED), or #VitalClient:poll-timeout passes
 * (%VITAL_CLIENT_ERROR_TIMEOUT).
 */
void
vital_client_poll_result_async (VitalClient         *self,
                                const char          *session_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PollData *data;
  GError *error = NULL;

  g_return_if_fail (VITAL_IS_CLIENT (self));

  if (!check_session_id (session_id, &error))
    {
      g_task_report_error (self, callback, user_data, vital_client_poll_result_async, error);
      return;
    }

  task = vital_client_task_new (self, cancellable, vital_client_poll_result_async, callback,
                                user_data);
  data = g_new0 (PollData, 1);
  data->session_id = g_strdup (session_id);
  data->deadline_us = g_get_monotonic_time () + (gint64) self->poll_timeout_ms * 1000;
  g_task_set_task_data (task, data, (GDestroyNotify) poll_data_free);

  poll_once (g_steal_pointer (&task));
}

/**
 * vital_client_poll_result_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for a %VITAL_CLIENT_ERROR
 *
 * Returns: (transfer full) (nullable): the completed result
 */
VitalSigns *
vital_client_poll_result_finish (VitalClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
