/* vital-route-complete.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * POST /sdk/session/upload-complete: queues processing and waits for the result inline, up to
 * the inline budget (the waiters), or answers `processing` for the client to poll.
 */
#include <sys/socket.h>

#include "vital-server-json.h"
#include "vital-server-routes.h"

typedef struct
{
  VitalServer       *self;
  SoupServerMessage *msg;
  char              *session_id;
  GSource           *timeout;
  gulong             finished_id;
} Waiter;

/**
 * vital_server_routes_waiter_free:
 * @data: (transfer full): a Waiter (an upload-complete request paused for its inline result)
 *
 * Frees a waiter: drops its timeout, its signal handler and its message reference.
 */
void
vital_server_routes_waiter_free (gpointer data)
{
  Waiter *waiter = data;

  if (waiter->timeout != NULL)
    {
      g_source_destroy (waiter->timeout);
      g_source_unref (waiter->timeout);
    }
  if (waiter->finished_id != 0)
    g_signal_handler_disconnect (waiter->msg, waiter->finished_id);
  g_object_unref (waiter->msg);
  g_free (waiter->session_id);
  g_free (waiter);
}

static gboolean
waiter_timeout (gpointer data)
{
  Waiter *waiter = data;
  VitalServer *self = waiter->self;
  SoupServerMessage *msg = g_object_ref (waiter->msg);

  vital_server_json_respond_processing (msg, waiter->session_id);
  g_hash_table_remove (self->waiters, waiter->session_id);
  soup_server_message_unpause (msg);
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

static void
waiter_finished (SoupServerMessage *msg,
                 gpointer           data)
{
  Waiter *waiter = data;

  /* The client went away while waiting; forget it (the result stays available). */
  waiter->finished_id = 0;
  g_signal_handlers_disconnect_by_data (msg, waiter);
  g_hash_table_remove (waiter->self->waiters, waiter->session_id);
}

/* libsoup does not watch a paused request's connection: peek at it. A client that gave up has
 * closed it (a zero-byte read), and must not be handed the once-only result. */
static gboolean
client_has_gone (VitalServer       *self,
                 SoupServerMessage *msg)
{
  g_autoptr(GSocket) sock = vital_connections_dup_socket (self->connections, msg);
  char byte;
  ssize_t n;

  if (sock == NULL || g_socket_is_closed (sock))
    return sock != NULL;
  do
    n = recv (g_socket_get_fd (sock), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

/**
 * vital_server_routes_on_done:
 * @session_id: the session whose processing ended
 * @completed: %TRUE when completed, %FALSE when failed
 * @error_text: (nullable): why it failed
 * @user_data: the #VitalServer
 *
 * The processor's completion callback (server thread): answers a waiting upload-complete
 * with 200 and the result (handing it out) or 422, and resumes it.
 */
void
vital_server_routes_on_done (const char *session_id,
                             gboolean    completed,
                             const char *error_text,
                             gpointer    user_data)
{
  vital_server_routes_answer_waiter ((VitalServer *) user_data, session_id, completed, FALSE,
                                     error_text);
}

/**
 * vital_server_routes_has_waiter:
 * @self: a #VitalServer
 * @session_id: a session
 *
 * Returns: %TRUE when an upload-complete request on this node waits for the session's outcome
 */
gboolean
vital_server_routes_has_waiter (VitalServer *self,
                                const char  *session_id)
{
  return g_hash_table_contains (self->waiters, session_id);
}

/**
 * vital_server_routes_answer_waiter:
 * @self: a #VitalServer
 * @session_id: a session whose processing ended (here or on another node)
 * @completed: %TRUE when completed
 * @retryable: a failure that is not the payload's fault (its node stopped): 503, retryable
 * @error_text: (nullable): why it failed
 *
 * Answers the upload-complete request waiting for @session_id, if any (server thread).
 */
void
vital_server_routes_answer_waiter (VitalServer *self,
                                   const char  *session_id,
                                   gboolean     completed,
                                   gboolean     retryable,
                                   const char  *error_text)
{
  Waiter *waiter = g_hash_table_lookup (self->waiters, session_id);
  g_autoptr(SoupServerMessage) msg = NULL;

  if (waiter == NULL)
    return;
  msg = g_object_ref (waiter->msg);
  if (client_has_gone (self, msg))
    {
      /* Keep the result for polling; let libsoup notice the closed connection. */
      vital_server_json_respond_processing (msg, session_id);
    }
  else if (completed)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *json = vital_session_store_take_result (self->store, session_id,
                                                               vital_clock_now_us (self->clock),
                                                               &error);

      if (json != NULL)
        {
          gsize len = strlen (json);

          soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
          soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                            g_steal_pointer (&json), len);
        }
      else
        vital_server_json_respond_processing (msg, session_id);
    }
  else if (retryable)
    vital_request_refuse (msg, VITAL_SERVER_ERROR_SERVICE_UNAVAILABLE, "Session failed", "%s",
                          error_text != NULL ? error_text : VITAL_SESSION_LOST_MESSAGE);
  else
    vital_request_refuse (msg, VITAL_SERVER_ERROR_PROCESSING_FAILED, "Session failed", "%s",
                          error_text != NULL ? error_text : "Processing failed");
  g_hash_table_remove (self->waiters, session_id);
  soup_server_message_unpause (msg);
}

gboolean
vital_route_upload_complete (VitalServer        *self,
                             SoupServerMessage  *msg,
                             const VitalKeyInfo *key,
                             const char         *path_id,
                             GHashTable         *query,
                             GError            **error)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(VitalSession) session = NULL;
  g_autoptr(VitalSession) processing = NULL;
  g_autofree char *payload_path = NULL;
  JsonNode *id_node;
  const char *id;
  Waiter *waiter;

  if (vital_request_refuse_if_shutting_down (self, msg))
    return TRUE;
  body = vital_request_parse_json_body (msg, FALSE, error);
  if (body == NULL)
    return FALSE;
  id_node = json_object_get_member (json_node_get_object (body), "session_id");
  if (id_node == NULL || !JSON_NODE_HOLDS_VALUE (id_node)
      || json_node_get_value_type (id_node) != G_TYPE_STRING)
    {
      g_set_error_literal (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
                           "The body must be {\"session_id\": \"…\"}");
      return FALSE;
    }
  id = json_node_get_string (id_node);
  session = vital_request_owned_session (self, key, id, error);
  if (session == NULL)
    return FALSE;
  processing = vital_session_store_begin_processing_on (self->store, id, self->node_id,
                                                        vital_clock_now_us (self->clock), error);
  if (processing == NULL)
    return FALSE;
  g_info ("session %s: processing", id);

  /* The node holding the payload processes it; another node's upload-complete waits for the
   * outcome through the store (a notification, or polling). */
  if (vital_server_holds_payload (self, processing))
    {
      payload_path = vital_server_payload_path (self, id);
      if (!vital_processor_submit (self->processor, processing, payload_path, error))
        return FALSE;
    }

  if (self->config->inline_budget_ms == 0)
    {
      vital_server_json_respond_processing (msg, id);
      return TRUE;
    }

  waiter = g_new0 (Waiter, 1);
  waiter->self = self;
  waiter->msg = g_object_ref (msg);
  waiter->session_id = g_strdup (id);
  waiter->timeout = g_timeout_source_new (self->config->inline_budget_ms);
  g_source_set_callback (waiter->timeout, waiter_timeout, waiter, NULL);
  g_source_attach (waiter->timeout, self->context);
  waiter->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (waiter_finished), waiter);
  g_hash_table_replace (self->waiters, g_strdup (id), waiter);
  soup_server_message_pause (msg);
  return TRUE;
}
