/* vital-client-session.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalClientSession: one scan session as the server describes it (start response or history item).
 */
#include "vital-client-session.h"
#include "vital-client-error.h"
#include "vital-client-json.h"

#include <string.h>

struct _VitalClientSession
{
  GObject             parent_instance;

  char               *id;
  VitalClientSessionStatus  status;
  char               *upload_url;          /* secret-bearing: never log it */
  GDateTime          *expires_at;
  char               *start_time;
  char               *end_time;
  char               *created_timezone;
  char               *unexpected_end_time;
  char               *error;
  VitalSigns         *vitals;
};

G_DEFINE_FINAL_TYPE (VitalClientSession, vital_client_session, G_TYPE_OBJECT)

static const char *status_names[] = {
  [VITAL_CLIENT_SESSION_STATUS_PENDING] = "pending",
  [VITAL_CLIENT_SESSION_STATUS_UPLOADED] = "uploaded",
  [VITAL_CLIENT_SESSION_STATUS_PROCESSING] = "processing",
  [VITAL_CLIENT_SESSION_STATUS_COMPLETED] = "completed",
  [VITAL_CLIENT_SESSION_STATUS_FAILED] = "failed",
  [VITAL_CLIENT_SESSION_STATUS_EXPIRED] = "expired",
};

static void
vital_client_session_finalize (GObject *object)
{
  VitalClientSession *self = VITAL_CLIENT_SESSION (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->upload_url, g_free);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  g_clear_pointer (&self->start_time, g_free);
  g_clear_pointer (&self->end_time, g_free);
  g_clear_pointer (&self->created_timezone, g_free);
  g_clear_pointer (&self->unexpected_end_time, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_object (&self->vitals);

  G_OBJECT_CLASS (vital_client_session_parent_class)->finalize (object);
}

static void
vital_client_session_class_init (VitalClientSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vital_client_session_finalize;
}

static void
vital_client_session_init (VitalClientSession *self)
{
}

/**
 * vital_client_session_status_from_string:
 * @text: (nullable): a status as the server spells it
 * @out_status: (out): the status
 *
 * Returns: %TRUE if @text is one of the six statuses
 */
gboolean
vital_client_session_status_from_string (const char         *text,
                                  VitalClientSessionStatus *out_status)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (g_strcmp0 (text, status_names[i]) == 0)
      {
        *out_status = (VitalClientSessionStatus) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * vital_client_session_status_to_string:
 * @status: a status
 *
 * Returns: (transfer none): the status as the server spells it, e.g. `"pending"`
 */
const char *
vital_client_session_status_to_string (VitalClientSessionStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names), NULL);
  return status_names[status];
}

/* Reads the members common to both shapes: session_id and status. */
static VitalClientSession *
parse_common (JsonNode  *node,
              GError   **error)
{
  g_autoptr(VitalClientSession) self = NULL;
  JsonObject *root;
  const char *id, *status;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
                           "The server's session is not a JSON object");
      return NULL;
    }
  root = json_node_get_object (node);

  if (!vital_json_get_string (root, NULL, "session_id", VITAL_JSON_REQUIRED, &id, error) ||
      !vital_json_get_string (root, NULL, "status", VITAL_JSON_REQUIRED, &status, error))
    return NULL;
  if (id[0] == '\0' || strlen (id) > 128 || strpbrk (id, "/?#% \t\r\n") != NULL)
    {
      g_set_error_literal (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
                           "The server sent an unusable session_id");
      return NULL;
    }

  self = g_object_new (VITAL_TYPE_CLIENT_SESSION, NULL);
  self->id = g_strdup (id);
  if (!vital_client_session_status_from_string (status, &self->status))
    {
      g_set_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
                   "The server sent an unknown session status “%s”", status);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * vital_client_session_new_from_start_response:
 * @node: the body of `POST /sdk/session/start`: `{session_id, expires_at, upload_url, status}`
 * @error: return location for a %VITAL_CLIENT_ERROR_BAD_RESPONSE
 *
 * All four members are required; `expires_at` must be an ISO-8601 time with a zone and
 * `upload_url` an absolute http(s) URL or an absolute path.
 *
 * Returns: (transfer full) (nullable): the session, or %NULL with @error set
 */
VitalClientSession *
vital_client_session_new_from_start_response (JsonNode  *node,
                                       GError   **error)
{
  g_autoptr(VitalClientSession) self = parse_common (node, error);
  JsonObject *root;
  const char *expires_at, *upload_url;

  if (self == NULL)
    return NULL;
  root = json_node_get_object (node);

  if (!vital_json_get_string (root, NULL, "expires_at", VITAL_JSON_REQUIRED, &expires_at,
                              error) ||
      !vital_json_get_string (root, NULL, "upload_url", VITAL_JSON_REQUIRED, &upload_url, error))
    return NULL;

  self->expires_at = g_date_time_new_from_iso8601 (expires_at, NULL);
  if (self->expires_at == NULL)
    {
      g_set_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
                   "The server sent an unreadable expires_at “%s”", expires_at);
      return NULL;
    }

  if (upload_url[0] != '/' &&
      !g_uri_is_valid (upload_url, G_URI_FLAGS_ENCODED, NULL))
    {
      g_set_error_literal (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
                           "The server sent an unusable upload_url");
      return NULL;
    }
  if (upload_url[0] != '/')
    {
      g_autofree char *scheme = g_uri_parse_scheme (upload_url);

      if (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0)
        {
          g_set_error_literal (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
                               "The server sent an upload_url that is not http(s)");
          return NULL;
        }
    }
  self->upload_url = g_strdup (upload_url);

  return g_steal_pointer (&self);
}

/**
 * vital_client_session_new_from_history_item:
 * @node: one item of `GET /sdk/sessions`
 * @error: return location for a %VITAL_CLIENT_ERROR_BAD_RESPONSE
 *
 * `session_id` and `status` are required; `start_time`, `end_time`, `created_timezone`,
 * `unexpected_end_time` and `error` are optional strings; `vitals`, when present and not null,
 * must be a valid result (see vital_signs_new_from_json()).
 *
 * Returns: (transfer full) (nullable): the session, or %NULL with @error set
 */
VitalClientSession *
vital_client_session_new_from_history_item (JsonNode  *node,
                                     GError   **error)
{
  const VitalJsonFlags maybe = VITAL_JSON_OPTIONAL | VITAL_JSON_NULLABLE;
  g_autoptr(VitalClientSession) self = parse_common (node, error);
  const char *start_time, *end_time, *created_timezone, *unexpected_end_time, *failure;
  JsonNode *vitals;
  JsonObject *root;

  if (self == NULL)
    return NULL;
  root = json_node_get_object (node);

  if (!vital_json_get_string (root, NULL, "start_time", maybe, &start_time, error) ||
      !vital_json_get_string (root, NULL, "end_time", maybe, &end_time, error) ||
      !vital_json_get_string (root, NULL, "created_timezone", maybe, &created_timezone, error) ||
      !vital_json_get_string (root, NULL, "unexpected_end_time", maybe, &unexpected_end_time,
                              error) ||
      !vital_json_get_string (root, NULL, "error", maybe, &failure, error))
    return NULL;

  self->start_time = g_strdup (start_time);
  self->end_time = g_strdup (end_time);
  self->created_timezone = g_strdup (created_timezone);
  self->unexpected_end_time = g_strdup (unexpected_end_time);
  self->error = g_strdup (failure);

  vitals = json_object_get_member (root, "vitals");
  if (vitals != NULL && !JSON_NODE_HOLDS_NULL (vitals))
    {
      if (self->status != VITAL_CLIENT_SESSION_STATUS_COMPLETED)
        {
          g_set_error_literal (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
                               "The server sent vitals for a session that is not completed");
          return NULL;
        }
      self->vitals = vital_signs_new_from_json (node, error);
      if (self->vitals == NULL)
        return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * vital_client_session_get_id:
 * @self: a session
 *
 * Returns: (transfer none): the session id
 */
const char *
vital_client_session_get_id (VitalClientSession *self)
{
  g_return_val_if_fail (VITAL_IS_CLIENT_SESSION (self), NULL);
  return self->id;
}

/**
 * vital_client_session_get_status:
 * @self: a session
 *
 * Returns: the status when the server described the session
 */
VitalClientSessionStatus
vital_client_session_get_status (VitalClientSession *self)
{
  g_return_val_if_fail (VITAL_IS_CLIENT_SESSION (self), VITAL_CLIENT_SESSION_STATUS_FAILED);
  return self->status;
}

/**
 * vital_client_session_get_upload_url:
 * @self: a session
 *
 * The presigned upload URL. It is a credential: never log or display it.
 *
 * Returns: (transfer none) (nullable): the URL (start responses only)
 */
const char *
vital_client_session_get_upload_url (VitalClientSession *self)
{
  g_return_val_if_fail (VITAL_IS_CLIENT_SESSION (self), NULL);
  return self->upload_url;
}

/**
 * vital_client_session_get_expires_at:
 * @self: a session
 *
 * Returns: (transfer none) (nullable): when the session expires (start responses only)
 */
GDateTime *
vital_client_session_get_expires_at (VitalClientSession *self)
{
  g_return_val_if_fail (VITAL_IS_CLIENT_SESSION (self), NULL);
  return self->expires_at;
}

/**
 * vital_client_session_get_start_time:
 * @self: a session
 *
 * Returns: (transfer none) (nullable): the start time as the server rendered it (history)
 */
const char *
vital_client_session_get_start_time (VitalClientSession *self)
{
  g_return_val_if_fail (VITAL_IS_CLIENT_SESSION (self), NULL);
  return self->start_time;
}

/**
 * vital_client_session_get_end_time:
 * @self: a session
 *
 * Returns: (transfer none) (nullable): the end time as the server rendered it (history)
 */
const char *
vital_client_session_get_end_time (VitalClientSession *self)
{
  g_return_val_if_fail (VITAL_IS_CLIENT_SESSION (self), NULL);
  return self->end_time;
}

/**
 * vital_client_session_get_created_timezone:
 * @self: a session
 *
 * Returns: (transfer none) (nullable): the zone the session was created in (history)
 */
const char *
vital_client_session_get_created_timezone (VitalClientSession *self)
{
  g_return_val_if_fail (VITAL_IS_CLIENT_SESSION (self), NULL);
  return self->created_timezone;
}

/**
 * vital_client_session_get_unexpected_end_time:
 * @self: a session
 *
 * Returns: (transfer none) (nullable): when the session expired or was abandoned (history)
 */
const char *
vital_client_session_get_unexpected_end_time (VitalClientSession *self)
{
  g_return_val_if_fail (VITAL_IS_CLIENT_SESSION (self), NULL);
  return self->unexpected_end_time;
}

/**
 * vital_client_session_get_error:
 * @self: a session
 *
 * Returns: (transfer none) (nullable): the failure text of a failed session (history)
 */
const char *
vital_client_session_get_error (VitalClientSession *self)
{
  g_return_val_if_fail (VITAL_IS_CLIENT_SESSION (self), NULL);
  return self->error;
}

/**
 * vital_client_session_get_vitals:
 * @self: a session
 *
 * Returns: (transfer none) (nullable): the result, while the server still keeps it (history)
 */
VitalSigns *
vital_client_session_get_vitals (VitalClientSession *self)
{
  g_return_val_if_fail (VITAL_IS_CLIENT_SESSION (self), NULL);
  return self->vitals;
}
