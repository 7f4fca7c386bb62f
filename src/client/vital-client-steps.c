/* vital-client-steps.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the first two steps of a scan: starting a session (with demographics) and uploading
 * the payload to its presigned URL, with upload progress.
 */
#include "vital-config.h"

#include <math.h>
#include <string.h>

#include "vital-client-json.h"
#include "vital-client-private.h"

/* ------------------------------------------------------------------------------------------ */
/* start_session                                                                               */

static void
on_start_sent (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VitalClient *self = VITAL_CLIENT (source_object);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  VitalClientSession *session;

  node = vital_client_request_finish_json (self, result, task);
  if (node == NULL)
    return;
  session = vital_client_session_new_from_start_response (node, &error);
  if (session == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, session, g_object_unref);
}

static gboolean
demographics_to_json (const VitalDemographics  *demographics,
                      GBytes                  **out_body,
                      GError                  **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  gsize length;

  if (demographics->age != 0 && (demographics->age < 1 || demographics->age > 120))
    {
      g_set_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_INVALID_REQUEST,
                   "Age %d is outside 1–120", demographics->age);
      return FALSE;
    }
  if (demographics->fitzpatrick != 0 &&
      (demographics->fitzpatrick < 1 || demographics->fitzpatrick > 6))
    {
      g_set_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_INVALID_REQUEST,
                   "Fitzpatrick skin type %d is outside 1–6", demographics->fitzpatrick);
      return FALSE;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "demographics");
  json_builder_begin_object (builder);
  if (demographics->age != 0)
    {
      json_builder_set_member_name (builder, "age");
      json_builder_add_int_value (builder, demographics->age);
    }
  if (demographics->sex != VITAL_SEX_UNKNOWN)
    {
      json_builder_set_member_name (builder, "sex");
      json_builder_add_string_value (builder,
                                     demographics->sex == VITAL_SEX_MALE ? "M" :
                                     demographics->sex == VITAL_SEX_FEMALE ? "F" : "other");
    }
  if (demographics->fitzpatrick != 0)
    {
      json_builder_set_member_name (builder, "fitzpatrick");
      json_builder_add_int_value (builder, demographics->fitzpatrick);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  length = strlen (text);
  *out_body = g_bytes_new_take (g_steal_pointer (&text), length);
  return TRUE;
}

/**
 * vital_client_start_session_async:
 * @self: a client
 * @demographics: (nullable): optional age/sex/skin type sent with the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the client's context when done
 * @user_data: data for @callback
 *
 * `POST /sdk/session/start`. Starting a session may consume quota, so once the request may
 * have reached the server it is never re-sent: only connection failures before sending,
 * 429 marked retryable and 503 are retried.
 */
void
vital_client_start_session_async (VitalClient             *self,
                                  const VitalDemographics *demographics,
                                  GCancellable            *cancellable,
                                  GAsyncReadyCallback      callback,
                                  gpointer                 user_data)
{
  g_autoptr(VitalClientRequest) req = vital_client_request_new ("start_session", SOUP_METHOD_POST);
  GError *error = NULL;

  g_return_if_fail (VITAL_IS_CLIENT (self));

  req->unsafe_to_resend = TRUE;
  req->uri = vital_client_make_uri (self, "/sdk/session/start", NULL, &error);
  if (req->uri != NULL && demographics != NULL &&
      demographics_to_json (demographics, &req->body, &error))
    req->content_type = "application/json";
  if (error != NULL)
    {
      g_task_report_error (self, callback, user_data, vital_client_start_session_async, error);
      return;
    }

  {
    vital_client_call (self, g_steal_pointer (&req), cancellable,
                       vital_client_start_session_async, on_start_sent, callback, user_data);
  }
}

/**
 * vital_client_start_session_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for a %VITAL_CLIENT_ERROR
 *
 * Returns: (transfer full) (nullable): the new session (id, upload URL, expiry, status)
 */
VitalClientSession *
vital_client_start_session_finish (VitalClient   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* upload                                                                                      */

static void
on_upload_sent (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  vital_client_request_finish (VITAL_CLIENT (source_object), result, NULL, NULL, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * vital_client_upload_async:
 * @self: a client
 * @upload_url: the session's presigned upload URL (absolute, or a path on the server)
 * @payload: the tensor payload
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the client's context when done
 * @user_data: data for @callback
 *
 * `PUT <upload_url>` with `Content-Type: application/octet-stream`. The API key is not sent
 * (the URL is the credential). Progress is reported through #VitalClient::progress and
 * #VitalClient:bytes-uploaded. Re-PUT overwrites, so failures are retried per the policy.
 */
void
vital_client_upload_async (VitalClient         *self,
                           const char          *upload_url,
                           GBytes              *payload,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(VitalClientRequest) req = vital_client_request_new ("upload", SOUP_METHOD_PUT);

  g_return_if_fail (VITAL_IS_CLIENT (self));
  g_return_if_fail (payload != NULL);

  if (upload_url == NULL || upload_url[0] == '\0')
    {
      g_task_report_error (self, callback, user_data, vital_client_upload_async,
                           g_error_new_literal (VITAL_CLIENT_ERROR,
                                                VITAL_CLIENT_ERROR_INVALID_REQUEST,
                                                "No upload URL was given"));
      return;
    }
  if (upload_url[0] == '/')
    {
      g_autoptr(GUri) base = self->base_url ?
        g_uri_parse (self->base_url, SOUP_HTTP_URI_FLAGS, NULL) : NULL;

      req->uri = base != NULL ?
        g_uri_parse_relative (base, upload_url, SOUP_HTTP_URI_FLAGS, NULL) : NULL;
    }
  else
    {
      req->uri = g_uri_parse (upload_url, SOUP_HTTP_URI_FLAGS, NULL);
    }
  if (req->uri == NULL ||
      (g_strcmp0 (g_uri_get_scheme (req->uri), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (req->uri), "https") != 0))
    {
      /* Never echo the URL: it carries a signature. */
      g_task_report_error (self, callback, user_data, vital_client_upload_async,
                           g_error_new_literal (VITAL_CLIENT_ERROR,
                                                VITAL_CLIENT_ERROR_INVALID_REQUEST,
                                                "The upload URL is not a usable http(s) URL"));
      return;
    }

  req->body = g_bytes_ref (payload);
  req->content_type = "application/octet-stream";
  req->send_key = FALSE;
  req->send_user_id = FALSE;
  req->want_json = FALSE;
  req->track_upload = TRUE;

  vital_client_call (self, g_steal_pointer (&req), cancellable,
                     vital_client_upload_async, on_upload_sent, callback, user_data);
}

/**
 * vital_client_upload_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for a %VITAL_CLIENT_ERROR
 *
 * Returns: %TRUE when the server accepted the payload
 */
gboolean
vital_client_upload_finish (VitalClient   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
