/* vital-v1.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the /v1 dialect (Bearer auth, errors as {"detail": …}):
 *   POST /v1/scan-session                 → 201 {session_id, created_at, owner}
 *   POST /v1/scan-session/{id}/video      multipart `file` → 202 (vital-v1-video.c)
 *   GET  /v1/scan-session/{id}/vitals     → pending | processing | completed | failed
 * It keeps the /sdk rules: every request is authenticated, counted against its key's rate limit
 * (or, without a valid key, its address's) and its body limited from the headers before any
 * body byte is read; a session counts against the key's monthly quota; sandbox (ck_test_) keys
 * get sandbox vitals. Its sessions are the server's: rows of its session store of payload kind
 * "video", processed by its worker pool (the video decoded by vital-v1-decode.c), so they
 * survive a restart and work on any node of a cluster. Only the answers are this dialect's,
 * made from the stored session and result, with the session API's retention rules: a result
 * is handed out once (or, with persistence on, until the result TTL); a session is gone a
 * session TTL after its creation if no video came, a result TTL after it ended.
 */
#include "vital-config.h"

#include <math.h>

#include "vital-random.h"
#include "vital-server-json.h"
#include "vital-v1-private.h"
#include "vital-v1.h"

#define V1_DATA "vital-v1"

/* Requests other than the upload need no body; this much is read and ignored. */
#define MAX_SMALL_BODY (64 * 1024)

/**
 * vital_v1_detail_body:
 * @detail: what went wrong, for a person
 *
 * Returns: (transfer full): the dialect's error shape, {"detail": @detail}
 */
JsonNode *
vital_v1_detail_body (const char *detail)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "detail");
  json_builder_add_string_value (builder, detail);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * vital_v1_respond_detail:
 * @msg: a request
 * @status: the HTTP status
 * @detail: what went wrong
 *
 * Answers @msg with @status and {"detail": @detail}.
 */
void
vital_v1_respond_detail (SoupServerMessage *msg,
                         guint              status,
                         const char        *detail)
{
  g_autoptr(JsonNode) body = vital_v1_detail_body (detail);

  vital_server_json_respond (msg, status, body);
}

/**
 * vital_v1_refuse:
 * @v1: the dialect
 * @msg: a request seen by the early handler
 * @status: the HTTP status
 * @detail: what went wrong
 *
 * Answers @msg with {"detail": @detail} before any of its body is read
 * (vital_server_respond_before_body_json()).
 */
void
vital_v1_refuse (VitalV1           *v1,
                 SoupServerMessage *msg,
                 guint              status,
                 const char        *detail)
{
  g_autoptr(JsonNode) body = vital_v1_detail_body (detail);

  vital_server_respond_before_body_json (v1->server, msg, status, body);
}

/**
 * vital_v1_refuse_after_body:
 * @v1: the dialect
 * @msg: a request seen by the early handler, admitted, whose Content-Length is within the
 *   dialect's limits
 * @status: the HTTP status
 * @detail: what went wrong
 *
 * Answers @msg with {"detail": @detail} once libsoup has read and dropped its body (nothing of
 * it is kept), so that a client that sends its whole body before it reads the answer gets the
 * answer. A body of unknown length (chunked) is never read: see vital_v1_refuse().
 */
void
vital_v1_refuse_after_body (VitalV1           *v1,
                            SoupServerMessage *msg,
                            guint              status,
                            const char        *detail)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    {
      vital_v1_refuse (v1, msg, status, detail);
      return;
    }
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  vital_v1_respond_detail (msg, status, detail);
}

/* Who the sessions created with @key belong to, as shown. */
static const char *
key_owner (const VitalKeyInfo *key)
{
  return key->owner != NULL ? key->owner : key->key_id;
}

/**
 * vital_v1_respond_error:
 * @msg: a request
 * @error: why it failed: a %VITAL_SERVER_ERROR gives its HTTP status, anything else 500
 *
 * Answers @msg with the error's status and {"detail": its message}.
 */
void
vital_v1_respond_error (SoupServerMessage *msg,
                        const GError      *error)
{
  guint status = error->domain == VITAL_SERVER_ERROR
                 ? vital_server_error_http_status (error->code)
                 : SOUP_STATUS_INTERNAL_SERVER_ERROR;

  vital_v1_respond_detail (msg, status, error->message);
}

/**
 * vital_v1_find_session:
 * @v1: the dialect
 * @key: an authenticated key
 * @id: a session id from a path
 * @error: return location for a #GError: %VITAL_SERVER_ERROR_SESSION_NOT_FOUND ("Scan session
 *   not found"), or the store's (%VITAL_SERVER_ERROR_SERVICE_UNAVAILABLE while it is away)
 *
 * Reads a /v1 session from the server's store. Sessions are the key's that created them, as on
 * /sdk: keys that share an owner name (or have none) do not see each other's, and the session
 * API's own sessions are not this dialect's. A session is gone once the dialect's retention
 * says so: expired (no video within the session TTL), or a result TTL after it ended.
 *
 * Returns: (transfer full) (nullable): the session
 */
VitalSession *
vital_v1_find_session (VitalV1             *v1,
                       const VitalKeyInfo  *key,
                       const char          *id,
                       GError             **error)
{
  const VitalServerConfig *config = vital_server_get_config (v1->server);
  gint64 now = vital_clock_now_us (vital_server_get_clock (v1->server));
  g_autoptr(VitalSession) session = NULL;
  g_autoptr(GError) local_error = NULL;

  if (vital_session_id_is_valid (id))
    session = vital_session_store_get (vital_server_get_store (v1->server), id, now,
                                       &local_error);
  if (session == NULL && local_error != NULL
      && !g_error_matches (local_error, VITAL_SERVER_ERROR,
                           VITAL_SERVER_ERROR_SESSION_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (session == NULL
      || !g_str_equal (vital_session_get_payload_kind (session), VITAL_V1_PAYLOAD_KIND)
      || g_strcmp0 (session->key_id, key->key_id) != 0
      || session->status == VITAL_SESSION_EXPIRED
      || (session->ended_us > 0
          && now >= session->ended_us + (gint64) config->result_ttl_s * G_USEC_PER_SEC))
    {
      g_set_error_literal (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SESSION_NOT_FOUND,
                           "Scan session not found");
      return NULL;
    }
  return g_steal_pointer (&session);
}

/* Splits /v1/scan-session/{id}/{video,vitals}; @out_action is NULL for /v1/scan-session. */
static gboolean
parse_path (const char  *path,
            char       **out_id,
            char       **out_action)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  guint n = g_strv_length (parts);

  *out_id = NULL;
  *out_action = NULL;
  /* "", "v1", "scan-session", id, action */
  if (n < 3 || !g_str_equal (parts[1], "v1") || !g_str_equal (parts[2], "scan-session"))
    return FALSE;
  if (n == 3 || (n == 4 && parts[3][0] == '\0'))
    return TRUE;
  if (n != 5 || parts[3][0] == '\0'
      || (!g_str_equal (parts[4], "video") && !g_str_equal (parts[4], "vitals")))
    return FALSE;
  *out_id = g_strdup (parts[3]);
  *out_action = g_strdup (parts[4]);
  return TRUE;
}

/* ---- session creation ------------------------------------------------------------------- */

static void
handle_create (VitalV1            *v1,
               SoupServerMessage  *msg,
               const VitalKeyInfo *key)
{
  const VitalServerConfig *config = vital_server_get_config (v1->server);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *created = NULL;
  VitalSession session = { 0 };

  /* One unit of a live key's monthly quota, on the counter /sdk session start uses. */
  if (!vital_server_consume_quota (v1->server, msg, key, &error))
    {
      vital_v1_respond_error (msg, error);
      return;
    }
  id = vital_random_uuid (&error);
  if (id == NULL)
    {
      vital_v1_respond_detail (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                               "Could not create a session");
      return;
    }
  session.id = id;
  session.key_id = key->key_id;
  session.environment = key->environment;
  session.status = VITAL_SESSION_PENDING;
  session.created_us = vital_clock_now_us (vital_server_get_clock (v1->server));
  /* The store expires it, as a session API session, if no video came by then. */
  session.expires_us = session.created_us + (gint64) config->session_ttl_s * G_USEC_PER_SEC;
  session.payload_kind = (char *) VITAL_V1_PAYLOAD_KIND;
  if (!vital_session_store_insert (vital_server_get_store (v1->server), &session, &error))
    {
      vital_v1_respond_error (msg, error);
      return;
    }
  created = vital_server_json_iso8601 (session.created_us, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "session_id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, created);
  json_builder_set_member_name (builder, "owner");
  json_builder_add_string_value (builder, key_owner (key));
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  vital_server_json_respond (msg, SOUP_STATUS_CREATED, body);
}

/* ---- results ---------------------------------------------------------------------------- */

/* The dialect's `vitals` object and the members beside it, from the result the processor
 * stored (the session API's shape: `vitals`, `signal_quality`, `processing_time_ms`). */
static void
add_result (JsonBuilder        *builder,
            const VitalSession *session,
            JsonObject         *result)
{
  JsonObject *stored = json_object_get_object_member (result, "vitals");
  JsonNode *quality = json_object_get_member (result, "signal_quality");
  g_autoptr(JsonNode) vitals = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *timestamp = vital_server_json_iso8601 (session->ended_us, NULL);
  double time_ms = json_object_get_double_member_with_default (result, "processing_time_ms", 0);
  g_autoptr(GList) members = json_object_get_members (stored);
  double systolic, diastolic;

  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (object, l->data, json_object_dup_member (stored, l->data));
  systolic = json_object_get_double_member_with_default (stored, "systolic_bp", NAN);
  diastolic = json_object_get_double_member_with_default (stored, "diastolic_bp", NAN);
  if (!isnan (systolic) && !isnan (diastolic))
    {
      g_autofree char *bp = g_strdup_printf ("%.0f/%.0f", systolic, diastolic);

      json_object_set_string_member (object, "blood_pressure", bp);
    }
  else
    json_object_set_null_member (object, "blood_pressure");
  /* Seed clients read these inside `vitals`; earlier clients beside it: both. */
  json_object_set_string_member (object, "timestamp", timestamp);
  json_object_set_double_member (object, "processing_time_ms", time_ms);
  json_object_set_member (object, "signal_quality", json_node_copy (quality));
  json_node_set_object (vitals, object);

  json_builder_set_member_name (builder, "vitals");
  json_builder_add_value (builder, g_steal_pointer (&vitals));
  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_string_value (builder, timestamp);
  json_builder_set_member_name (builder, "processing_time_ms");
  json_builder_add_double_value (builder, time_ms);
  json_builder_set_member_name (builder, "signal_quality");
  json_builder_add_value (builder, json_node_copy (quality));
}

/* A completed session: its result is handed out (and, unpersisted, deleted) by the store,
 * exactly once across every node. */
static JsonNode *
completed_json (VitalV1             *v1,
                const VitalSession  *session,
                JsonBuilder         *builder,
                GError             **error)
{
  gint64 now = vital_clock_now_us (vital_server_get_clock (v1->server));
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autofree char *json = NULL;

  json = vital_session_store_take_result (vital_server_get_store (v1->server), session->id, now,
                                          &local_error);
  if (json == NULL && local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (json != NULL)
    result = json_from_string (json, NULL);
  json_builder_set_member_name (builder, "sandbox");
  json_builder_add_boolean_value (builder, session->environment == VITAL_KEY_ENV_TEST);
  if (result != NULL && JSON_NODE_HOLDS_OBJECT (result)
      && json_object_get_object_member (json_node_get_object (result), "vitals") != NULL)
    add_result (builder, session, json_node_get_object (result));
  else
    {
      json_builder_set_member_name (builder, "vitals");
      json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "result_available");
      json_builder_add_boolean_value (builder, FALSE);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, "The result was already delivered and is not "
                                              "stored (persistence is off)");
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The dialect's answer for a session, from the store: its statuses are the session API's
 * with an upload still in flight (or not processing yet) shown as pending. */
static JsonNode *
session_vitals_json (VitalV1             *v1,
                     const VitalSession  *session,
                     GError             **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "session_id");
  json_builder_add_string_value (builder, session->id);
  json_builder_set_member_name (builder, "status");
  switch (session->status)
    {
    case VITAL_SESSION_PENDING:
    case VITAL_SESSION_UPLOADED:
      json_builder_add_string_value (builder, "pending");
      break;
    case VITAL_SESSION_PROCESSING:
      json_builder_add_string_value (builder, "processing");
      break;
    case VITAL_SESSION_COMPLETED:
      json_builder_add_string_value (builder, "completed");
      return completed_json (v1, session, builder, error);
    case VITAL_SESSION_FAILED:
    case VITAL_SESSION_EXPIRED:  /* never here: vital_v1_find_session() says not found */
    default:
      json_builder_add_string_value (builder, "failed");
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, session->error != NULL
                                              ? session->error
                                              : "The video could not be processed");
      break;
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
handle_vitals (VitalV1            *v1,
               SoupServerMessage  *msg,
               const VitalKeyInfo *key,
               const char         *id)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(VitalSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = vital_v1_find_session (v1, key, id, &error);
  if (session != NULL)
    body = session_vitals_json (v1, session, &error);
  if (body != NULL)
    vital_server_json_respond (msg, SOUP_STATUS_OK, body);
  else
    vital_v1_respond_error (msg, error);
}

/* ---- routing ---------------------------------------------------------------------------- */

/* Authenticates @msg and counts it against its key's limit or, without a valid key, against
 * the caller's address, as /sdk does: guessing keys is throttled. */
static VitalKeyInfo *
admit (VitalV1            *v1,
       SoupServerMessage  *msg,
       GError            **error)
{
  g_autoptr(VitalKeyInfo) key = NULL;
  g_autoptr(GError) auth_error = NULL;

  key = vital_server_authenticate (v1->server, msg, &auth_error);
  if (!vital_server_charge (v1->server, msg, key, error))
    return NULL;
  if (key == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&auth_error));
      return NULL;
    }
  return g_steal_pointer (&key);
}

/* Requests other than the upload take no body: a chunked one (411) or one over MAX_SMALL_BODY
 * (413) is refused from the headers. Returns %TRUE when it answered. */
static gboolean
refuse_body (VitalV1           *v1,
             SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);

  if (encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF)
    vital_v1_refuse (v1, msg, SOUP_STATUS_LENGTH_REQUIRED,
            "Request bodies need a Content-Length header");
  else if (encoding == SOUP_ENCODING_CONTENT_LENGTH
           && soup_message_headers_get_content_length (headers) > MAX_SMALL_BODY)
    vital_v1_refuse (v1, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
            "The request body is larger than 65536 bytes");
  else
    return FALSE;
  return TRUE;
}

/* Decides every /v1 request from its headers, before any body byte is read: route, key, rate
 * limit, method, body size; for an upload also the session and the Content-Type. */
static void
v1_early_handler (SoupServer        *soup,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           data)
{
  VitalV1 *v1 = data;
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  g_autoptr(VitalKeyInfo) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *action = NULL;
  const char *allowed;

  if (!parse_path (path, &id, &action))
    {
      /* Counted against the caller's address, like /sdk's unknown endpoints. */
      if (!vital_server_charge (v1->server, msg, NULL, &error))
        vital_v1_refuse (v1, msg, 429, error->message);
      else
        vital_v1_refuse (v1, msg, SOUP_STATUS_NOT_FOUND, "Not found");
      return;
    }
  key = admit (v1, msg, &error);
  if (key == NULL)
    {
      if (g_error_matches (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_API_KEY_INVALID))
        {
          soup_message_headers_replace (response, "WWW-Authenticate", "Bearer");
          vital_v1_refuse (v1, msg, SOUP_STATUS_UNAUTHORIZED, "Invalid or missing API key");
        }
      else
        vital_v1_refuse (v1, msg, 429, error->message);
      return;
    }
  allowed = g_strcmp0 (action, "vitals") == 0 ? SOUP_METHOD_GET : SOUP_METHOD_POST;
  /* As on /sdk: once shutting down, no new work; results can still be read. */
  if (method == SOUP_METHOD_POST && allowed == SOUP_METHOD_POST
      && vital_server_is_shutting_down (v1->server))
    {
      soup_message_headers_replace (response, "Retry-After", "5");
      vital_v1_refuse (v1, msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                       "The server is shutting down; retry shortly");
      return;
    }
  if (g_strcmp0 (action, "video") == 0 && method == allowed)
    {
      if (!vital_v1_video_prepare (v1, msg, key, id))
        return;
    }
  else if (refuse_body (v1, msg))
    return;
  else if (method != allowed)
    {
      soup_message_headers_replace (response, "Allow", allowed);
      vital_v1_refuse_after_body (v1, msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                                  "Method not allowed");
      return;
    }
  g_object_set_data_full (G_OBJECT (msg), VITAL_V1_KEY_DATA, g_steal_pointer (&key),
                          (GDestroyNotify) vital_key_info_free);
}

static void
v1_handler (SoupServer        *soup,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           data)
{
  VitalV1 *v1 = data;
  const VitalKeyInfo *key = g_object_get_data (G_OBJECT (msg), VITAL_V1_KEY_DATA);
  g_autofree char *id = NULL;
  g_autofree char *action = NULL;

  if (key == NULL || !parse_path (path, &id, &action))
    {
      /* The early handler admits (and marks) every request it lets through. */
      vital_v1_respond_detail (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                               "The request was not admitted");
      return;
    }
  /* Counted by the early handler; a 100 Continue cleared the headers it set. */
  vital_server_set_rate_headers (v1->server, msg, key);
  if (id == NULL)
    handle_create (v1, msg, key);
  else if (g_str_equal (action, "video"))
    vital_v1_video_receive (v1, msg, key, id);
  else
    handle_vitals (v1, msg, key, id);
}

static void
v1_free (gpointer data)
{
  VitalV1 *v1 = data;

  g_hash_table_unref (v1->receiving);
  g_free (v1);
}

/**
 * vital_v1_install:
 * @server: a #VitalServer that is not listening yet
 *
 * Adds the /v1 platform dialect to @server: its routes, and the decoder that lets the server
 * process its video sessions. The dialect's state belongs to @server and goes with it.
 */
void
vital_v1_install (VitalServer *server)
{
  VitalV1 *v1;

  g_return_if_fail (VITAL_IS_SERVER (server));
  g_return_if_fail (g_object_get_data (G_OBJECT (server), V1_DATA) == NULL);

  v1 = g_new0 (VitalV1, 1);
  v1->server = server;
  v1->receiving = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_object_set_data_full (G_OBJECT (server), V1_DATA, v1, v1_free);
  vital_v1_decode_register (server);
  vital_server_add_early_handler (server, "/v1", v1_early_handler, v1, NULL);
  vital_server_add_handler (server, "/v1", v1_handler, v1, NULL);
}
