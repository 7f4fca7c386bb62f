/* vital-client-queries.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the calls that read rather than scan: the session history (GET /sdk/sessions), the
 * server's health, and the check of both with the key before a scan is recorded.
 */
#include "vital-config.h"

#include <math.h>
#include <string.h>

#include "vital-client-json.h"
#include "vital-client-private.h"

/* ------------------------------------------------------------------------------------------ */
/* list_sessions                                                                               */

static void
on_list_sent (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  GError *error = NULL;
  JsonArray *items;

  node = vital_client_request_finish_json (VITAL_CLIENT (source_object), result, task);
  if (node == NULL)
    return;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      items = json_node_get_array (node);
    }
  else
    {
      JsonObject *object = json_node_get_object (node);
      JsonNode *member = json_object_get_member (object, "sessions");

      if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
        {
          g_task_return_new_error (task, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
                                   "The server's history lacks the array “sessions”");
          return;
        }
      items = json_node_get_array (member);
    }

  sessions = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      VitalClientSession *session =
        vital_client_session_new_from_history_item (json_array_get_element (items, i), &error);

      if (session == NULL)
        {
          g_prefix_error (&error, "History item %u: ", i);
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (sessions, session);
    }

  g_task_return_pointer (task, g_steal_pointer (&sessions), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * vital_client_list_sessions_async:
 * @self: a client
 * @query: (nullable): filters; %NULL for the server's defaults
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the client's context when done
 * @user_data: data for @callback
 *
 * `GET /sdk/sessions`: the key's (and #VitalClient:user-id's) sessions.
 */
void
vital_client_list_sessions_async (VitalClient             *self,
                                  const VitalHistoryQuery *query,
                                  GCancellable            *cancellable,
                                  GAsyncReadyCallback      callback,
                                  gpointer                 user_data)
{
  g_autoptr(VitalClientRequest) req = vital_client_request_new ("list_sessions", SOUP_METHOD_GET);
  GData *form = NULL;  /* keeps the parameters in order, for a request that reads the same */
  g_autofree char *params = NULL;
  GError *error = NULL;

  g_return_if_fail (VITAL_IS_CLIENT (self));

  if (query != NULL)
    {
      if (query->limit > 100)
        {
          g_task_report_error (self, callback, user_data, vital_client_list_sessions_async,
                               g_error_new (VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_INVALID_REQUEST,
                                            "A history page holds at most 100 sessions, not %d",
                                            query->limit));
          return;
        }
      if (query->timezone != NULL && (query->timezone[0] == '\0' ||
                                      !vital_client_is_header_safe (query->timezone)))
        {
          g_task_report_error (self, callback, user_data, vital_client_list_sessions_async,
                               g_error_new_literal (VITAL_CLIENT_ERROR,
                                                    VITAL_CLIENT_ERROR_INVALID_REQUEST,
                                                    "The time zone name is empty or not ASCII"));
          return;
        }
      if (query->date_gte != NULL)
        g_datalist_set_data_full (&form, "date_gte", g_strdup (query->date_gte), g_free);
      if (query->date_lte != NULL)
        g_datalist_set_data_full (&form, "date_lte", g_strdup (query->date_lte), g_free);
      g_datalist_set_data_full (&form, "order_by", g_strdup (query->ascending ? "ASC" : "DESC"),
                                g_free);
      g_datalist_set_data_full (&form, "offset", g_strdup_printf ("%u", query->offset),
                                g_free);
      if (query->limit >= 0)
        g_datalist_set_data_full (&form, "limit", g_strdup_printf ("%d", query->limit), g_free);
      req->timezone = g_strdup (query->timezone);
    }

  if (form != NULL)
    params = soup_form_encode_datalist (&form);
  g_datalist_clear (&form);
  req->uri = vital_client_make_uri (self, "/sdk/sessions", params, &error);
  if (req->uri == NULL)
    {
      g_task_report_error (self, callback, user_data, vital_client_list_sessions_async, error);
      return;
    }
  req->allow_array = TRUE;

  vital_client_call (self, g_steal_pointer (&req), cancellable,
                     vital_client_list_sessions_async, on_list_sent, callback, user_data);
}

/**
 * vital_client_list_sessions_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for a %VITAL_CLIENT_ERROR
 *
 * Returns: (transfer container) (element-type VitalClientSession) (nullable): the sessions
 */
GPtrArray *
vital_client_list_sessions_finish (VitalClient   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* health                                                                                      */

static void
on_health_sent (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  const char *status, *version;
  GError *error = NULL;
  JsonObject *object;

  node = vital_client_request_finish_json (VITAL_CLIENT (source_object), result, task);
  if (node == NULL)
    return;
  object = json_node_get_object (node);
  if (!vital_json_get_string (object, NULL, "status", VITAL_JSON_REQUIRED, &status, &error) ||
      !vital_json_get_string (object, NULL, "version", VITAL_JSON_OPTIONAL | VITAL_JSON_NULLABLE,
                              &version, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_strcmp0 (status, "ok") != 0)
    {
      g_task_return_new_error (task, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_SERVICE_UNAVAILABLE,
                               "The server reports status “%s”", status);
      return;
    }
  g_task_return_pointer (task, g_strdup (version != NULL ? version : ""), g_free);
}

/**
 * vital_client_health_async:
 * @self: a client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the client's context when done
 * @user_data: data for @callback
 *
 * `GET /health` (no key needed).
 */
void
vital_client_health_async (VitalClient         *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(VitalClientRequest) req = vital_client_request_new ("health", SOUP_METHOD_GET);
  GError *error = NULL;

  g_return_if_fail (VITAL_IS_CLIENT (self));

  req->uri = vital_client_make_uri (self, "/health", NULL, &error);
  if (req->uri == NULL)
    {
      g_task_report_error (self, callback, user_data, vital_client_health_async, error);
      return;
    }
  req->send_key = FALSE;
  req->send_user_id = FALSE;

  vital_client_call (self, g_steal_pointer (&req), cancellable,
                     vital_client_health_async, on_health_sent, callback, user_data);
}

/**
 * vital_client_health_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @out_version: (out) (transfer full) (optional): the server's version ("" if not sent)
 * @error: return location for a %VITAL_CLIENT_ERROR
 *
 * Returns: %TRUE when the server answered `{"status":"ok"}`
 */
gboolean
vital_client_health_finish (VitalClient   *self,
                            GAsyncResult  *result,
                            char         **out_version,
                            GError       **error)
{
  g_autofree char *version = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  version = g_task_propagate_pointer (G_TASK (result), error);
  if (version == NULL)
    return FALSE;
  if (out_version != NULL)
    *out_version = g_steal_pointer (&version);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* check_connection                                                                            */

static void
on_check_listed (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) sessions = NULL;
  GError *error = NULL;

  sessions = vital_client_list_sessions_finish (VITAL_CLIENT (source_object), result, &error);
  if (sessions == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_check_health (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VitalHistoryQuery query = { .limit = 1 };
  GError *error = NULL;

  if (!vital_client_health_finish (VITAL_CLIENT (source_object), result, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The cheapest authenticated call: one session of the history. */
  vital_client_list_sessions_async (VITAL_CLIENT (source_object), &query,
                                    g_task_get_cancellable (task), on_check_listed,
                                    g_object_ref (task));
}

/**
 * vital_client_check_connection_async:
 * @self: a client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the client's context when done
 * @user_data: data for @callback
 *
 * Checks what a scan will need before anything is recorded: the key's shape (no request is
 * made for a malformed key), that the server answers `GET /health`, and that it accepts the
 * key (`GET /sdk/sessions?limit=1`, which also reports the rate limit).
 */
void
vital_client_check_connection_async (VitalClient         *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (VITAL_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vital_client_check_connection_async);
  if (!vital_client_check_key (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  vital_client_health_async (self, cancellable, on_check_health, g_steal_pointer (&task));
}

/**
 * vital_client_check_connection_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for a %VITAL_CLIENT_ERROR: MISSING_API_KEY or MALFORMED_API_KEY,
 *   NETWORK (and the other errors of /health) when the server cannot be used,
 *   API_KEY_REJECTED when it refuses the key
 *
 * Returns: %TRUE when the server answers and accepts the key
 */
gboolean
vital_client_check_connection_finish (VitalClient   *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
