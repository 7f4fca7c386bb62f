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
 * get sandbox vitals. Videos are decoded on a worker thread with the capture code, measured by
 * the engine and deleted right after. Sessions live in memory and keep the session API's
 * retention rules: a result is handed out once (or, with persistence on, until the result TTL),
 * and a session is forgotten a session TTL after its creation if no video came, a result TTL
 * after it ended (on the server's maintenance pass).
 */
#include "vital-config.h"

#include <math.h>
#include <glib/gstdio.h>

#include "vital-capture.h"
#include "vital-random.h"
#include "vital-sandbox.h"
#include "vital-server-json.h"
#include "vital-v1-private.h"
#include "vital-v1.h"

/* Requests other than the upload need no body; this much is read and ignored. */
#define MAX_SMALL_BODY (64 * 1024)

static void
session_free (VitalV1Session *session)
{
  g_free (session->id);
  g_free (session->owner);
  g_free (session->key_id);
  g_clear_pointer (&session->vitals, vital_vitals_free);
  g_free (session->error);
  g_free (session);
}

/**
 * vital_v1_state_ref:
 * @state: the dialect's state
 *
 * Returns: (transfer full): @state, with one more reference
 */
VitalV1State *
vital_v1_state_ref (VitalV1State *state)
{
  return g_atomic_rc_box_acquire (state);
}

/* The last release: waits for the processing jobs, then frees the sessions. */
static void
state_clear (gpointer data)
{
  VitalV1State *state = data;

  if (state->pool != NULL)
    g_thread_pool_free (state->pool, FALSE, TRUE);
  g_hash_table_unref (state->sessions);
  g_clear_object (&state->clock);
  g_mutex_clear (&state->mutex);
}

/**
 * vital_v1_state_unref:
 * @data: (transfer full): a #VitalV1State
 *
 * Drops a reference; the last one waits for the processing jobs, then frees the sessions.
 */
void
vital_v1_state_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, state_clear);
}

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
 * @state: the dialect's state
 * @msg: a request seen by the early handler
 * @status: the HTTP status
 * @detail: what went wrong
 *
 * Answers @msg with {"detail": @detail} before any of its body is read
 * (vital_server_respond_before_body_json()).
 */
void
vital_v1_refuse (VitalV1State      *state,
                 SoupServerMessage *msg,
                 guint              status,
                 const char        *detail)
{
  g_autoptr(JsonNode) body = vital_v1_detail_body (detail);

  vital_server_respond_before_body_json (state->server, msg, status, body);
}

/**
 * vital_v1_refuse_after_body:
 * @state: the dialect's state
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
vital_v1_refuse_after_body (VitalV1State      *state,
                            SoupServerMessage *msg,
                            guint              status,
                            const char        *detail)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    {
      vital_v1_refuse (state, msg, status, detail);
      return;
    }
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  vital_v1_respond_detail (msg, status, detail);
}

/**
 * vital_v1_key_owner:
 * @key: an authenticated key
 *
 * Returns: (transfer none): who the sessions created with @key belong to
 */
const char *
vital_v1_key_owner (const VitalKeyInfo *key)
{
  return key->owner != NULL ? key->owner : key->key_id;
}

/**
 * vital_v1_session_is_owned:
 * @session: a session
 * @key: an authenticated key
 *
 * Sessions are the key's that created them, as on /sdk: keys that share an owner name (or have
 * none) do not see each other's.
 *
 * Returns: %TRUE when @key may see and use @session
 */
gboolean
vital_v1_session_is_owned (const VitalV1Session *session,
                           const VitalKeyInfo   *key)
{
  return g_str_equal (session->key_id, key->key_id);
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

/* What a failed session says: the engine's and the capture's own words for what went wrong
 * with the measurement, never a server path or an internal decoder message. */
static const char *
failure_text (const GError *error)
{
  if (g_error_matches (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_NO_FACE)
      || g_error_matches (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_NO_SKIN))
    return "No face detected in video";
  if (error->domain == VITAL_ENGINE_ERROR)
    return error->message;
  if (g_error_matches (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_TOO_SHORT))
    return "The video is too short to measure";
  if (error->domain == VITAL_CAPTURE_ERROR)
    return "The video could not be decoded (unsupported codec, or a damaged file)";
  return "The video could not be processed";
}

static void
process_job (gpointer data,
             gpointer user_data)
{
  VitalV1Job *job = data;
  g_autoptr(GError) error = NULL;
  VitalVitals *vitals = NULL;
  gint64 start = g_get_monotonic_time ();
  VitalV1Session *session;

  if (job->sandbox)
    {
      /* Sandbox: synthetic vitals from the session id; the video is never decoded. */
      vitals = vital_sandbox_vitals (job->session_id);
    }
  else
    {
      g_autoptr(GBytes) payload = NULL;
      g_autoptr(VitalTensor) tensor = NULL;
      VitalEngineOptions options = { VITAL_PULSE_POS, NULL };

      payload = vital_capture_process_file (job->path, VITAL_ROI_FACE, 0, NULL, NULL, &error);
      if (payload != NULL)
        tensor = vital_tensor_decode (payload, NULL, &error);
      if (tensor != NULL)
        vitals = vital_engine_analyze (tensor, &options, &error);
    }
  /* The video is never kept. */
  g_unlink (job->path);
  if (vitals != NULL)
    vitals->processing_time_ms = (g_get_monotonic_time () - start) / 1000.0;

  g_mutex_lock (&job->state->mutex);
  session = g_hash_table_lookup (job->state->sessions, job->session_id);
  if (session != NULL)
    {
      session->completed_us = vital_clock_now_us (job->state->clock);
      session->forget_us = session->completed_us + job->state->result_ttl_us;
      if (vitals != NULL)
        {
          session->status = VITAL_V1_COMPLETED;
          session->vitals = g_steal_pointer (&vitals);
        }
      else
        {
          session->status = VITAL_V1_FAILED;
          session->error = g_strdup (failure_text (error));
        }
    }
  g_mutex_unlock (&job->state->mutex);

  g_clear_pointer (&vitals, vital_vitals_free);
  g_free (job->session_id);
  g_free (job->path);
  g_free (job);
}

/* ---- session creation ------------------------------------------------------------------- */

static void
handle_create (VitalV1State       *state,
               SoupServerMessage  *msg,
               const VitalKeyInfo *key)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *created = NULL;
  VitalV1Session *session;

  /* One unit of a live key's monthly quota, on the counter /sdk session start uses. */
  if (!vital_server_consume_quota (state->server, msg, key, &error))
    {
      guint status = error->domain == VITAL_SERVER_ERROR
                     ? vital_server_error_http_status (error->code)
                     : SOUP_STATUS_INTERNAL_SERVER_ERROR;

      vital_v1_respond_detail (msg, status, error->message);
      return;
    }

  session = g_new0 (VitalV1Session, 1);
  session->id = vital_random_uuid (&error);
  if (session->id == NULL)
    {
      session_free (session);
      vital_v1_respond_detail (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                               "Could not create a session");
      return;
    }
  session->owner = g_strdup (vital_v1_key_owner (key));
  session->key_id = g_strdup (key->key_id);
  session->environment = key->environment;
  session->created_us = vital_clock_now_us (state->clock);
  session->forget_us = session->created_us + state->session_ttl_us;
  session->status = VITAL_V1_CREATED;
  created = vital_server_json_iso8601 (session->created_us, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "session_id");
  json_builder_add_string_value (builder, session->id);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, created);
  json_builder_set_member_name (builder, "owner");
  json_builder_add_string_value (builder, session->owner);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  g_mutex_lock (&state->mutex);
  g_hash_table_insert (state->sessions, session->id, session);
  g_mutex_unlock (&state->mutex);

  vital_server_json_respond (msg, SOUP_STATUS_CREATED, body);
}

/* ---- results ---------------------------------------------------------------------------- */

static JsonNode *
session_vitals_json (VitalV1Session *session)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "session_id");
  json_builder_add_string_value (builder, session->id);
  json_builder_set_member_name (builder, "status");
  switch (session->status)
    {
    case VITAL_V1_CREATED:
    case VITAL_V1_RECEIVING:
      json_builder_add_string_value (builder, "pending");
      break;
    case VITAL_V1_PROCESSING:
      json_builder_add_string_value (builder, "processing");
      break;
    case VITAL_V1_FAILED:
      json_builder_add_string_value (builder, "failed");
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, session->error);
      break;
    case VITAL_V1_COMPLETED:
    default:
      json_builder_add_string_value (builder, "completed");
      json_builder_set_member_name (builder, "sandbox");
      json_builder_add_boolean_value (builder, session->environment == VITAL_KEY_ENV_TEST);
      if (session->vitals == NULL)
        {
          json_builder_set_member_name (builder, "vitals");
          json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "result_available");
          json_builder_add_boolean_value (builder, FALSE);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, "The result was already delivered and is not "
                                                  "stored (persistence is off)");
          break;
        }
      {
        const VitalVitals *v = session->vitals;
        JsonNode *vitals = vital_server_json_vitals (v);
        JsonObject *object = json_node_get_object (vitals);
        g_autofree char *timestamp = vital_server_json_iso8601 (session->completed_us, NULL);
        double time_ms = round (v->processing_time_ms * 10) / 10;

        if (!isnan (v->systolic_bp) && !isnan (v->diastolic_bp))
          {
            g_autofree char *bp = g_strdup_printf ("%.0f/%.0f", v->systolic_bp,
                                                   v->diastolic_bp);
            json_object_set_string_member (object, "blood_pressure", bp);
          }
        else
          json_object_set_null_member (object, "blood_pressure");
        /* Seed clients read these inside `vitals`; earlier clients beside it: both. */
        json_object_set_string_member (object, "timestamp", timestamp);
        json_object_set_double_member (object, "processing_time_ms", time_ms);
        json_object_set_member (object, "signal_quality", vital_server_json_signal_quality (v));
        json_builder_set_member_name (builder, "vitals");
        json_builder_add_value (builder, vitals);
        json_builder_set_member_name (builder, "timestamp");
        json_builder_add_string_value (builder, timestamp);
        json_builder_set_member_name (builder, "processing_time_ms");
        json_builder_add_double_value (builder, time_ms);
        json_builder_set_member_name (builder, "signal_quality");
        json_builder_add_value (builder, vital_server_json_signal_quality (v));
      }
      break;
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
handle_vitals (VitalV1State       *state,
               SoupServerMessage  *msg,
               const VitalKeyInfo *key,
               const char         *id)
{
  g_autoptr(JsonNode) body = NULL;
  VitalV1Session *session;

  g_mutex_lock (&state->mutex);
  session = g_hash_table_lookup (state->sessions, id);
  if (session != NULL && vital_v1_session_is_owned (session, key))
    {
      body = session_vitals_json (session);
      /* Privacy: handed out once, unless persistence keeps it until the result TTL. */
      if (!state->persist)
        g_clear_pointer (&session->vitals, vital_vitals_free);
    }
  g_mutex_unlock (&state->mutex);
  if (body != NULL)
    vital_server_json_respond (msg, SOUP_STATUS_OK, body);
  else
    vital_v1_respond_detail (msg, SOUP_STATUS_NOT_FOUND, "Scan session not found");
}

/* ---- routing ---------------------------------------------------------------------------- */

/* Authenticates @msg and counts it against its key's limit or, without a valid key, against
 * the caller's address, as /sdk does: guessing keys is throttled. */
static VitalKeyInfo *
admit (VitalV1State       *state,
       SoupServerMessage  *msg,
       GError            **error)
{
  g_autoptr(VitalKeyInfo) key = NULL;
  g_autoptr(GError) auth_error = NULL;

  key = vital_server_authenticate (state->server, msg, &auth_error);
  if (!vital_server_charge (state->server, msg, key, error))
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
refuse_body (VitalV1State      *state,
             SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);

  if (encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF)
    vital_v1_refuse (state, msg, SOUP_STATUS_LENGTH_REQUIRED,
            "Request bodies need a Content-Length header");
  else if (encoding == SOUP_ENCODING_CONTENT_LENGTH
           && soup_message_headers_get_content_length (headers) > MAX_SMALL_BODY)
    vital_v1_refuse (state, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
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
  VitalV1State *state = data;
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
      if (!vital_server_charge (state->server, msg, NULL, &error))
        vital_v1_refuse (state, msg, 429, error->message);
      else
        vital_v1_refuse (state, msg, SOUP_STATUS_NOT_FOUND, "Not found");
      return;
    }
  key = admit (state, msg, &error);
  if (key == NULL)
    {
      if (g_error_matches (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_API_KEY_INVALID))
        {
          soup_message_headers_replace (response, "WWW-Authenticate", "Bearer");
          vital_v1_refuse (state, msg, SOUP_STATUS_UNAUTHORIZED, "Invalid or missing API key");
        }
      else
        vital_v1_refuse (state, msg, 429, error->message);
      return;
    }
  allowed = g_strcmp0 (action, "vitals") == 0 ? SOUP_METHOD_GET : SOUP_METHOD_POST;
  /* As on /sdk: once shutting down, no new work; results can still be read. */
  if (method == SOUP_METHOD_POST && allowed == SOUP_METHOD_POST
      && vital_server_is_shutting_down (state->server))
    {
      soup_message_headers_replace (response, "Retry-After", "5");
      vital_v1_refuse (state, msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                       "The server is shutting down; retry shortly");
      return;
    }
  if (g_strcmp0 (action, "video") == 0 && method == allowed)
    {
      if (!vital_v1_video_prepare (state, msg, key, id))
        return;
    }
  else if (refuse_body (state, msg))
    return;
  else if (method != allowed)
    {
      soup_message_headers_replace (response, "Allow", allowed);
      vital_v1_refuse_after_body (state, msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
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
  VitalV1State *state = data;
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
  vital_server_set_rate_headers (state->server, msg, key);
  if (id == NULL)
    handle_create (state, msg, key);
  else if (g_str_equal (action, "video"))
    vital_v1_video_receive (state, msg, key, id);
  else
    handle_vitals (state, msg, key, id);
}

/* VitalServer::maintenance: forgets sessions past their time (their vitals with them). */
static void
v1_maintain (VitalServer *server,
             gint64       now_us,
             gpointer     data)
{
  VitalV1State *state = data;
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&state->mutex);
  g_hash_table_iter_init (&iter, state->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      VitalV1Session *session = value;

      if (session->status != VITAL_V1_RECEIVING && session->status != VITAL_V1_PROCESSING
          && now_us >= session->forget_us)
        g_hash_table_iter_remove (&iter);
    }
  g_mutex_unlock (&state->mutex);
}

static void
v1_state_closure_unref (gpointer  data,
                        GClosure *closure)
{
  vital_v1_state_unref (data);
}

/*
 * vital_v1_state_new:
 * @server: the #VitalServer the dialect rides on (not owned: it owns the state through the
 *   handlers it is given)
 *
 * Reads the TTLs and persistence from @server's configuration and starts the worker thread.
 *
 * Returns: (transfer full): a new state with one reference (release with
 *   vital_v1_state_unref())
 */
static VitalV1State *
vital_v1_state_new (VitalServer *server)
{
  const VitalServerConfig *config = vital_server_get_config (server);
  VitalV1State *state = g_atomic_rc_box_new0 (VitalV1State);

  state->server = server;
  state->clock = g_object_ref (vital_server_get_clock (server));
  state->persist = config->persist_vitals;
  state->result_ttl_us = (gint64) config->result_ttl_s * G_USEC_PER_SEC;
  state->session_ttl_us = (gint64) config->session_ttl_s * G_USEC_PER_SEC;
  g_mutex_init (&state->mutex);
  state->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) session_free);
  /* Not exclusive: creating it cannot fail. */
  state->pool = g_thread_pool_new (process_job, NULL, 1, FALSE, NULL);
  return state;
}

/**
 * vital_v1_install:
 * @server: a #VitalServer that is not listening yet
 *
 * Adds the /v1 platform dialect to @server. Videos are processed one at a time on a worker
 * thread owned by the handler (released with the server).
 */
void
vital_v1_install (VitalServer *server)
{
  VitalV1State *state;

  g_return_if_fail (VITAL_IS_SERVER (server));

  /* One reference for each of the early handler, the handler and the maintenance closure. */
  state = vital_v1_state_new (server);
  vital_server_add_early_handler (server, "/v1", v1_early_handler, vital_v1_state_ref (state),
                                  vital_v1_state_unref);
  vital_server_add_handler (server, "/v1", v1_handler, vital_v1_state_ref (state),
                            vital_v1_state_unref);
  g_signal_connect_data (server, "maintenance", G_CALLBACK (v1_maintain), state,
                         v1_state_closure_unref, 0);
}
