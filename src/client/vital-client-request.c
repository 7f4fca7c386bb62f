/* vital-client-request.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns one request to the session API: building the message (key, user, time zone), sending
 * it, reading the rate-limit headers, mapping transport and HTTP errors to VITAL_CLIENT_ERROR,
 * and retrying by the client's VitalRetryPolicy (Retry-After honoured, never re-sending what
 * may have reached the server when that is unsafe).
 */
#include "vital-config.h"

#include <math.h>
#include <string.h>

#include "vital-client-json.h"
#include "vital-client-private.h"

/* ------------------------------------------------------------------------------------------ */
/* One request with retries                                                                    */


static void
request_clear_message (VitalClientRequest *req)
{
  if (req->msg != NULL)
    {
      g_signal_handlers_disconnect_by_data (req->msg, req);
      g_clear_object (&req->msg);
    }
}

void
vital_client_request_free (VitalClientRequest *req)
{
  request_clear_message (req);
  g_clear_pointer (&req->uri, g_uri_unref);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_clear_pointer (&req->timezone, g_free);
  g_clear_pointer (&req->server_code, g_free);
  g_free (req);
}

VitalClientRequest *
vital_client_request_new (const char *operation,
             const char *method)
{
  VitalClientRequest *req = g_new0 (VitalClientRequest, 1);

  req->operation = operation;
  req->method = method;
  req->send_key = TRUE;
  req->send_user_id = TRUE;
  req->want_json = TRUE;
  return req;
}

/* The base URL's scheme, host and port with its path prefix + @path (starting with '/', already
 * escaped) and @query (already encoded, or NULL). */
GUri *
vital_client_make_uri (VitalClient  *self,
          const char   *path,
          const char   *query,
          GError      **error)
{
  g_autofree char *prefix = NULL;
  g_autofree char *full_path = NULL;

  if (self->base_uri == NULL)
    {
      g_set_error_literal (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_INVALID_REQUEST,
                           self->base_error);
      return NULL;
    }
  prefix = g_strdup (g_uri_get_path (self->base_uri));
  while (g_str_has_suffix (prefix, "/"))
    prefix[strlen (prefix) - 1] = '\0';
  full_path = g_strconcat (prefix, path, NULL);
  return g_uri_build (SOUP_HTTP_URI_FLAGS, g_uri_get_scheme (self->base_uri), NULL,
                      g_uri_get_host (self->base_uri), g_uri_get_port (self->base_uri),
                      full_path, query, NULL);
}

static void
record_rate_limit (VitalClient        *self,
                   SoupMessageHeaders *headers)
{
  const char *limit = soup_message_headers_get_one (headers, "X-RateLimit-Limit");
  const char *remaining = soup_message_headers_get_one (headers, "X-RateLimit-Remaining");
  const char *reset = soup_message_headers_get_one (headers, "X-RateLimit-Reset");
  gint64 l, r, s = -1;

  self->has_rate_limit = FALSE;
  if (limit == NULL || remaining == NULL ||
      !g_ascii_string_to_signed (limit, 10, 0, G_MAXINT64, &l, NULL) ||
      !g_ascii_string_to_signed (remaining, 10, 0, G_MAXINT64, &r, NULL))
    return;
  if (reset != NULL && !g_ascii_string_to_signed (reset, 10, 0, G_MAXINT64, &s, NULL))
    s = -1;

  self->rate_limit.limit = l;
  self->rate_limit.remaining = r;
  self->rate_limit.reset = s;
  self->has_rate_limit = TRUE;
}

static void
on_wrote_headers (SoupMessage *msg,
                  gpointer     user_data)
{
  VitalClientRequest *req = user_data;

  req->may_have_reached = TRUE;
}

static void
on_wrote_body_data (SoupMessage *msg,
                    guint        chunk_size,
                    gpointer     user_data)
{
  VitalClientRequest *req = user_data;
  VitalClient *self = req->client;

  vital_client_set_upload_bytes (self, MIN (self->bytes_uploaded + chunk_size, self->bytes_total),
                    self->bytes_total);
}

static void request_attempt (GTask *task);

/* Maps a transport GError; sets *retryable. */
static GError *
map_transport_error (VitalClient  *self,
                     const GError *error,
                     GCancellable *cancellable,
                     gboolean     *retryable)
{
  *retryable = FALSE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (cancellable))
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                "The operation was cancelled");
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      *retryable = TRUE;
      return g_error_new (VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_TIMEOUT,
                          "The server did not answer within %u s", self->timeout_s);
    }
  if (error->domain == G_TLS_ERROR)
    return g_error_new (VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_NETWORK,
                        "The secure connection to the server failed: %s", error->message);

  *retryable = TRUE;
  return g_error_new (VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_NETWORK,
                      "Could not talk to the server: %s", error->message);
}

/* Maps a non-2xx response; sets *retryable and the request's server code. */
static GError *
map_status_error (VitalClientRequest  *req,
                  guint     status,
                  GBytes   *body,
                  gboolean *retryable)
{
  g_autoptr(JsonNode) node = vital_json_parse (body, NULL);
  const char *code = NULL, *message = NULL;
  int server_retryable = -1;
  VitalClientError client_code;
  g_autofree char *fallback = NULL;

  if (node != NULL)
    {
      JsonObject *object = json_node_get_object (node);

      /* Lenient: a malformed error body still yields an error from the status. */
      if (!vital_json_get_string (object, NULL, "error", VITAL_JSON_OPTIONAL, &code, NULL))
        code = NULL;
      if (!vital_json_get_string (object, NULL, "message", VITAL_JSON_OPTIONAL, &message, NULL))
        message = NULL;
      if (!vital_json_get_boolean (object, NULL, "retryable", VITAL_JSON_OPTIONAL,
                                   &server_retryable, NULL))
        server_retryable = -1;
    }

  g_free (req->server_code);
  req->server_code = g_strdup (code);

  client_code = vital_client_error_from_server_code (code, status);
  if (status == 429 && server_retryable == 0 && code == NULL)
    client_code = VITAL_CLIENT_ERROR_QUOTA_EXCEEDED;

  *retryable = vital_retry_status_is_retryable (status, code, server_retryable);
  if (req->unsafe_to_resend)
    *retryable = *retryable && (status == 429 || status == 503);

  if (message == NULL || message[0] == '\0')
    message = fallback = g_strdup_printf ("The server answered HTTP %u %s", status,
                                          soup_status_get_phrase (status));

  return g_error_new_literal (VITAL_CLIENT_ERROR, client_code, message);
}

typedef struct
{
  GTask              *task;
  VitalClientTaskStep step;
} WaitData;

static gboolean
on_wait_done (gpointer user_data)
{
  WaitData *data = user_data;

  if (g_task_return_error_if_cancelled (data->task))
    g_object_unref (data->task);
  else
    data->step (data->task);
  return G_SOURCE_REMOVE;
}

/**
 * vital_client_wait_then:
 * @self: the client
 * @delay_ms: how long to wait
 * @task: (transfer full): the call that waits; its cancellable cuts the wait short
 * @step: what the call does next
 *
 * Calls @step with @task on the client's context after @delay_ms. When @task's cancellable
 * fires first, or has fired by then, @task returns %G_IO_ERROR_CANCELLED instead.
 */
void
vital_client_wait_then (VitalClient         *self,
                        guint                delay_ms,
                        GTask               *task,
                        VitalClientTaskStep  step)
{
  GSource *source = g_timeout_source_new (delay_ms);
  GCancellable *cancellable = g_task_get_cancellable (task);
  WaitData *data = g_new (WaitData, 1);

  if (cancellable != NULL)
    {
      GSource *cancel_source = g_cancellable_source_new (cancellable);

      g_source_set_dummy_callback (cancel_source);
      g_source_add_child_source (source, cancel_source);
      g_source_unref (cancel_source);
    }
  data->task = task;
  data->step = step;
  g_source_set_static_name (source, "[vitalscan] client wait");
  g_source_set_callback (source, on_wait_done, data, g_free);
  g_source_attach (source, self->context);
  g_source_unref (source);
}

static void
on_request_sent (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  VitalClientRequest *req = g_task_get_task_data (task);
  VitalClient *self = req->client;
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) transport_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  gboolean retryable = FALSE;
  gint64 retry_after_ms = -1;
  guint delay_ms;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source_object), result,
                                            &transport_error);
  if (body == NULL)
    {
      error = map_transport_error (self, transport_error, cancellable, &retryable);
      if (req->unsafe_to_resend && req->may_have_reached)
        retryable = FALSE;
      req->status = 0;
    }
  else
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (req->msg);

      req->status = soup_message_get_status (req->msg);
      record_rate_limit (self, headers);

      if (req->status >= 200 && req->status < 300)
        {
          g_autoptr(JsonNode) node = NULL;

          if (!req->want_json)
            {
              g_task_return_pointer (task, NULL, NULL);
              g_object_unref (task);
              return;
            }
          if (req->allow_array)
            {
              g_autoptr(JsonParser) parser = json_parser_new_immutable ();
              gsize size;
              const char *data = g_bytes_get_data (body, &size);

              if (data != NULL && size > 0 && memchr (data, '\0', size) == NULL &&
                  json_parser_load_from_data (parser, data, (gssize) size, NULL) &&
                  json_parser_get_root (parser) != NULL &&
                  JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
                node = json_node_ref (json_parser_get_root (parser));
            }
          if (node == NULL)
            node = vital_json_parse (body, &error);
          if (node != NULL)
            g_task_return_pointer (task, g_steal_pointer (&node),
                                   (GDestroyNotify) json_node_unref);
          else
            g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }

      error = map_status_error (req, req->status, body, &retryable);
      retry_after_ms = vital_retry_parse_retry_after (
        soup_message_headers_get_one (headers, "Retry-After"), NULL);
    }

  if (retryable &&
      vital_retry_policy_next_delay (self->retry_policy, req->attempts, retry_after_ms,
                                     &delay_ms))
    {
      g_signal_emit (self, vital_client_signals[VITAL_CLIENT_SIGNAL_RETRYING], 0,
                     req->operation, req->attempts, delay_ms, error);
      vital_client_wait_then (self, vital_retry_policy_scale_delay (self->retry_policy, delay_ms),
                              task, request_attempt);
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
}

static void
request_attempt (GTask *task)
{
  VitalClientRequest *req = g_task_get_task_data (task);
  VitalClient *self = req->client;
  SoupMessageHeaders *headers;

  request_clear_message (req);
  req->attempts++;
  req->may_have_reached = FALSE;
  req->status = 0;
  g_clear_pointer (&req->server_code, g_free);

  /* A fresh message per attempt. Redirects are not followed: they would carry the key (or the
   * payload) to wherever the Location points. */
  req->msg = soup_message_new_from_uri (req->method, req->uri);
  soup_message_add_flags (req->msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (req->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (req->send_key)
    soup_message_headers_replace (headers, "X-API-Key", self->api_key);
  if (req->send_user_id && self->user_id != NULL)
    soup_message_headers_replace (headers, "X-User-Id", self->user_id);
  if (req->timezone != NULL)
    soup_message_headers_replace (headers, "timezone", req->timezone);
  if (req->body != NULL)
    soup_message_set_request_body_from_bytes (req->msg, req->content_type, req->body);
  /* libsoup silently re-sends an idempotent request that failed on a reused connection, and
   * the re-sent PUT has an empty body (libsoup 3.2): uploads take a fresh connection so every
   * re-send is ours, with the whole payload. (Expect: 100-continue is deliberately not used:
   * libsoup 3.2 can touch freed I/O state when a server refuses such a request early.) */
  if (req->track_upload)
    soup_message_add_flags (req->msg, SOUP_MESSAGE_NEW_CONNECTION);

  g_signal_connect (req->msg, "wrote-headers", G_CALLBACK (on_wrote_headers), req);
  if (req->track_upload)
    {
      vital_client_set_upload_bytes (self, 0, req->body != NULL ? g_bytes_get_size (req->body) : 0);
      g_signal_connect (req->msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data), req);
    }

  soup_session_send_and_read_async (self->session, req->msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_request_sent, task);
}

/**
 * vital_client_task_new:
 * @self: the client
 * @cancellable: (nullable): the call's cancellable
 * @source_tag: the public function of the call
 * @callback: the caller's callback
 * @user_data: its data
 *
 * The task of one of the client's calls. The call itself decides where @cancellable counts
 * and returns %G_IO_ERROR_CANCELLED there; GTask's own check, which would turn a result that
 * came in after the cancellation into that error as well, is off.
 *
 * Returns: (transfer full): the task
 */
GTask *
vital_client_task_new (VitalClient         *self,
                       GCancellable        *cancellable,
                       gpointer             source_tag,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, FALSE);
  return task;
}

/**
 * vital_client_call:
 * @self: the client
 * @req: (transfer full): the request
 * @cancellable: (nullable): the call's cancellable
 * @source_tag: the public function of the call
 * @on_sent: gets the answer (vital_client_request_finish()) and the call's task, which it
 *   returns and unrefs
 * @callback: the caller's callback
 * @user_data: its data
 *
 * Starts a call that is one request: its task (vital_client_task_new()) is sent with @req.
 */
void
vital_client_call (VitalClient         *self,
                   VitalClientRequest  *req,
                   GCancellable        *cancellable,
                   gpointer             source_tag,
                   GAsyncReadyCallback  on_sent,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  vital_client_request_send (self, req, cancellable, on_sent,
                             vital_client_task_new (self, cancellable, source_tag, callback,
                                                    user_data));
}

/* Takes ownership of @req. Fails early (as the task's error) on the key check. */
void
vital_client_request_send (VitalClient         *self,
                           VitalClientRequest  *req,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = vital_client_task_new (self, cancellable, vital_client_request_send,
                                                 callback, user_data);
  GError *error = NULL;

  req->client = self;
  g_task_set_task_data (task, req, (GDestroyNotify) vital_client_request_free);

  if (req->send_key && !vital_client_check_key (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The operation was cancelled");
      return;
    }

  request_attempt (g_steal_pointer (&task));
}

/* Returns the JSON body (NULL for want_json = FALSE) or NULL with @error set. */
JsonNode *
vital_client_request_finish (VitalClient   *self,
                GAsyncResult  *result,
                guint         *out_status,
                const char   **out_server_code,
                GError       **error)
{
  VitalClientRequest *req = g_task_get_task_data (G_TASK (result));

  if (out_status != NULL)
    *out_status = req->status;
  if (out_server_code != NULL)
    *out_server_code = req->server_code;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* For a request that wants JSON, in its callback: the body (transfer full), or %NULL once
 * @task, the caller's own task, has returned the request's error. */
JsonNode *
vital_client_request_finish_json (VitalClient  *self,
                                  GAsyncResult *result,
                                  GTask        *task)
{
  GError *error = NULL;
  JsonNode *node = vital_client_request_finish (self, result, NULL, NULL, &error);

  if (node == NULL)
    g_task_return_error (task, error);
  return node;
}

/* How many attempts the request took. */
guint
vital_client_request_get_attempts (GAsyncResult *result)
{
  VitalClientRequest *req = g_task_get_task_data (G_TASK (result));

  return req->attempts;
}
