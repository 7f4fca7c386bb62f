/* vital-server-v1.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the /v1 dialect (Bearer auth, errors as {"detail": …}):
 *   POST /v1/scan-session                 → 201 {session_id, created_at, owner}
 *   POST /v1/scan-session/{id}/video      multipart `file` → 202 (413 > 100 MB, 400 unsupported,
 *                                         422 empty/unreadable)
 *   GET  /v1/scan-session/{id}/vitals     → processing | completed | failed (with `error`)
 * Videos are decoded on a worker thread with the capture code, measured by the engine and
 * deleted right after. Sessions live in memory and keep the session API's retention rules: a
 * result is handed out once (or, with persistence on, until the result TTL), and a session is
 * forgotten a session TTL after its creation if no video came, a result TTL after it ended
 * (on the server's maintenance pass).
 */
#include "vital-config.h"

#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "vital-capture.h"
#include "vital-engine.h"
#include "vital-server-json.h"
#include "vital-server-private.h"
#include "vital-server-v1.h"

/* Multipart framing around a file of at most VITAL_CAPTURE_MAX_FILE_SIZE. */
#define MULTIPART_OVERHEAD (64 * 1024)

typedef enum
{
  V1_CREATED,
  V1_PROCESSING,
  V1_COMPLETED,
  V1_FAILED,
} V1Status;

typedef struct
{
  char *id;
  char *owner;
  gint64 created_us;
  V1Status status;
  VitalVitals *vitals;       /* NULL once handed out (persistence off) */
  gint64 completed_us;
  gint64 forget_us;          /* when maintenance drops the session; not while processing */
  char *error;
} V1Session;

/* Shared by the two handlers (one reference each). Jobs do not hold a reference: the last
 * unref waits for the worker pool to finish them before freeing anything. */
typedef struct
{
  VitalServer *server;     /* not owned: the server owns us through its handlers */
  VitalClock *clock;
  gboolean persist;        /* results stay readable until forget_us */
  gint64 result_ttl_us;
  gint64 session_ttl_us;
  GMutex mutex;
  GHashTable *sessions;    /* id → V1Session */
  GThreadPool *pool;
  gint ref_count;
} V1State;

typedef struct
{
  V1State *state;
  char *session_id;
  char *path;
} V1Job;

static void
v1_session_free (V1Session *session)
{
  g_free (session->id);
  g_free (session->owner);
  g_clear_pointer (&session->vitals, vital_vitals_free);
  g_free (session->error);
  g_free (session);
}

static void
v1_state_unref (gpointer data)
{
  V1State *state = data;

  if (!g_atomic_int_dec_and_test (&state->ref_count))
    return;
  if (state->pool != NULL)
    g_thread_pool_free (state->pool, FALSE, TRUE);
  g_hash_table_unref (state->sessions);
  g_clear_object (&state->clock);
  g_mutex_clear (&state->mutex);
  g_free (state);
}

/* The dialect's error shape: {"detail": "..."}. */
static JsonNode *
detail_body (const char *detail)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "detail");
  json_builder_add_string_value (builder, detail);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
respond_detail (SoupServerMessage *msg,
                guint status,
                const char *detail)
{
  g_autoptr(JsonNode) body = detail_body (detail);

  vital_server_json_respond (msg, status, body);
}

/* Splits /v1/scan-session/{id}/{action}; @out_action is NULL for /v1/scan-session itself. */
static gboolean
parse_path (const char *path,
            char **out_id,
            char **out_action)
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
  if (n != 5 || parts[3][0] == '\0' || parts[4][0] == '\0')
    return FALSE;
  *out_id = g_strdup (parts[3]);
  *out_action = g_strdup (parts[4]);
  return TRUE;
}

/* Known video containers by their first bytes: ISO BMFF (MP4/MOV), Matroska/WebM, AVI. */
static gboolean
looks_like_video (const guint8 *data,
                  gsize length)
{
  if (length >= 12 && memcmp (data + 4, "ftyp", 4) == 0)
    return TRUE;
  if (length >= 12 && (memcmp (data + 4, "moov", 4) == 0 || memcmp (data + 4, "mdat", 4) == 0
                       || memcmp (data + 4, "wide", 4) == 0))
    return TRUE;
  if (length >= 4 && data[0] == 0x1A && data[1] == 0x45 && data[2] == 0xDF && data[3] == 0xA3)
    return TRUE;
  if (length >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "AVI ", 4) == 0)
    return TRUE;
  return FALSE;
}

static void
process_job (gpointer data,
             gpointer user_data)
{
  V1Job *job = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(VitalTensor) tensor = NULL;
  VitalVitals *vitals = NULL;
  VitalEngineOptions options = { VITAL_PULSE_POS, NULL };
  gint64 start = g_get_monotonic_time ();
  V1Session *session;

  payload = vital_capture_process_file (job->path, VITAL_ROI_FACE, 0, NULL, NULL, &error);
  /* The video is never kept. */
  g_unlink (job->path);
  if (payload != NULL)
    tensor = vital_tensor_decode (payload, NULL, &error);
  if (tensor != NULL)
    vitals = vital_engine_analyze (tensor, &options, &error);
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
          session->status = V1_COMPLETED;
          session->vitals = g_steal_pointer (&vitals);
        }
      else
        {
          session->status = V1_FAILED;
          if (g_error_matches (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_NO_FACE)
              || g_error_matches (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_NO_SKIN))
            session->error = g_strdup ("No face detected in video");
          else
            session->error = g_strdup (error->message);
        }
    }
  g_mutex_unlock (&job->state->mutex);

  g_clear_pointer (&vitals, vital_vitals_free);
  g_free (job->session_id);
  g_free (job->path);
  g_free (job);
}

static void
handle_create (V1State *state,
               SoupServerMessage *msg,
               const VitalKeyInfo *key)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *created = NULL;
  V1Session *session = g_new0 (V1Session, 1);

  session->id = g_uuid_string_random ();
  session->owner = g_strdup (key->owner != NULL ? key->owner : key->key_id);
  session->created_us = vital_clock_now_us (state->clock);
  session->forget_us = session->created_us + state->session_ttl_us;
  session->status = V1_CREATED;
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

static void
handle_video (V1State *state,
              SoupServerMessage *msg,
              const char *id)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GBytes *file = NULL;
  V1Session *session;
  V1Job *job;
  int fd;

  body = soup_message_body_flatten (request);
  if (g_bytes_get_size (body) > VITAL_CAPTURE_MAX_FILE_SIZE + MULTIPART_OVERHEAD)
    {
      respond_detail (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                      "Video file too large; the limit is 100 MB");
      return;
    }
  multipart = soup_multipart_new_from_message (headers, body);
  if (multipart == NULL)
    {
      respond_detail (msg, SOUP_STATUS_BAD_REQUEST,
                      "Expected a multipart/form-data body with a `file` field");
      return;
    }
  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *part_headers;
      GBytes *part_body;
      g_autoptr(GHashTable) params = NULL;

      if (soup_multipart_get_part (multipart, i, &part_headers, &part_body)
          && soup_message_headers_get_content_disposition (part_headers, NULL, &params)
          && g_strcmp0 (g_hash_table_lookup (params, "name"), "file") == 0)
        {
          file = part_body;
          break;
        }
    }
  if (file == NULL)
    {
      respond_detail (msg, SOUP_STATUS_BAD_REQUEST, "The form has no `file` field");
      return;
    }
  if (g_bytes_get_size (file) > VITAL_CAPTURE_MAX_FILE_SIZE)
    {
      respond_detail (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                      "Video file too large; the limit is 100 MB");
      return;
    }
  if (g_bytes_get_size (file) == 0)
    {
      respond_detail (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "The video file is empty");
      return;
    }
  if (!looks_like_video (g_bytes_get_data (file, NULL), g_bytes_get_size (file)))
    {
      respond_detail (msg, SOUP_STATUS_BAD_REQUEST,
                      "Unsupported video format; upload MP4, WebM, MOV or AVI");
      return;
    }

  g_mutex_lock (&state->mutex);
  session = g_hash_table_lookup (state->sessions, id);
  if (session == NULL)
    {
      /* Forgotten by a maintenance pass while the body was read. */
      g_mutex_unlock (&state->mutex);
      respond_detail (msg, SOUP_STATUS_NOT_FOUND, "Scan session not found");
      return;
    }
  if (session->status != V1_CREATED)
    {
      g_mutex_unlock (&state->mutex);
      respond_detail (msg, SOUP_STATUS_CONFLICT, "A video was already uploaded for this session");
      return;
    }
  /* Processing: no maintenance pass forgets it until its job is done. */
  session->status = V1_PROCESSING;
  g_mutex_unlock (&state->mutex);

  fd = g_file_open_tmp ("vitalscan-v1-XXXXXX.video", &path, &error);
  if (fd < 0 || !g_file_set_contents (path, g_bytes_get_data (file, NULL),
                                      g_bytes_get_size (file), &error))
    {
      if (fd >= 0)
        close (fd);
      g_mutex_lock (&state->mutex);
      session->status = V1_CREATED;
      g_mutex_unlock (&state->mutex);
      respond_detail (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Could not store the video");
      return;
    }
  close (fd);

  job = g_new0 (V1Job, 1);
  job->state = state;
  job->session_id = g_strdup (id);
  job->path = g_steal_pointer (&path);
  g_thread_pool_push (state->pool, job, NULL);

  {
    g_autoptr(JsonBuilder) builder = json_builder_new ();
    g_autoptr(JsonNode) reply = NULL;

    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "session_id");
    json_builder_add_string_value (builder, id);
    json_builder_set_member_name (builder, "status");
    json_builder_add_string_value (builder, "processing");
    json_builder_end_object (builder);
    reply = json_builder_get_root (builder);
    vital_server_json_respond (msg, SOUP_STATUS_ACCEPTED, reply);
  }
}

static JsonNode *
session_vitals_json (V1Session *session)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "session_id");
  json_builder_add_string_value (builder, session->id);
  json_builder_set_member_name (builder, "status");
  switch (session->status)
    {
    case V1_CREATED:
    case V1_PROCESSING:
      json_builder_add_string_value (builder, "processing");
      break;
    case V1_FAILED:
      json_builder_add_string_value (builder, "failed");
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, session->error);
      break;
    case V1_COMPLETED:
    default:
      if (session->vitals == NULL)
        {
          json_builder_add_string_value (builder, "completed");
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
        g_autofree char *timestamp = vital_server_json_iso8601 (session->completed_us, NULL);

        if (!isnan (v->systolic_bp) && !isnan (v->diastolic_bp))
          {
            g_autofree char *bp = g_strdup_printf ("%.0f/%.0f", v->systolic_bp,
                                                   v->diastolic_bp);
            json_object_set_string_member (json_node_get_object (vitals), "blood_pressure", bp);
          }
        else
          json_object_set_null_member (json_node_get_object (vitals), "blood_pressure");
        json_builder_add_string_value (builder, "completed");
        json_builder_set_member_name (builder, "vitals");
        json_builder_add_value (builder, vitals);
        json_builder_set_member_name (builder, "timestamp");
        json_builder_add_string_value (builder, timestamp);
        json_builder_set_member_name (builder, "processing_time_ms");
        json_builder_add_double_value (builder, v->processing_time_ms);
        json_builder_set_member_name (builder, "signal_quality");
        json_builder_add_value (builder, vital_server_json_signal_quality (v));
      }
      break;
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
v1_early_handler (SoupServer *soup,
                  SoupServerMessage *msg,
                  const char *path,
                  GHashTable *query,
                  gpointer data)
{
  V1State *state = data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autofree char *id = NULL;
  g_autofree char *action = NULL;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST
      || !parse_path (path, &id, &action) || g_strcmp0 (action, "video") != 0)
    return;

  /* Refuse oversized uploads from their headers, before reading 100+ MB. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (headers)
         > VITAL_CAPTURE_MAX_FILE_SIZE + MULTIPART_OVERHEAD)
    {
      g_autoptr(JsonNode) body = detail_body ("Video file too large; the limit is 100 MB");

      vital_server_respond_before_body_json (state->server, msg,
                                             SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, body);
    }
}

static void
v1_handler (SoupServer *soup,
            SoupServerMessage *msg,
            const char *path,
            GHashTable *query,
            gpointer data)
{
  V1State *state = data;
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(VitalKeyInfo) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *action = NULL;
  V1Session *session;

  if (!parse_path (path, &id, &action))
    {
      respond_detail (msg, SOUP_STATUS_NOT_FOUND, "Not found");
      return;
    }

  key = vital_server_authenticate (state->server, msg, &error);
  if (key == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer");
      respond_detail (msg, SOUP_STATUS_UNAUTHORIZED, "Invalid or missing API key");
      return;
    }
  if (!vital_server_charge (state->server, msg, key, &error))
    {
      guint status = error->domain == VITAL_SERVER_ERROR
                     ? vital_server_error_http_status (error->code) : 500;

      respond_detail (msg, status, error->message);
      return;
    }

  if (id == NULL)
    {
      if (method != SOUP_METHOD_POST)
        respond_detail (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed");
      else
        handle_create (state, msg, key);
      return;
    }

  g_mutex_lock (&state->mutex);
  session = g_hash_table_lookup (state->sessions, id);
  if (session == NULL || g_strcmp0 (session->owner, key->owner != NULL ? key->owner
                                                                         : key->key_id) != 0)
    {
      g_mutex_unlock (&state->mutex);
      respond_detail (msg, SOUP_STATUS_NOT_FOUND, "Scan session not found");
      return;
    }
  g_mutex_unlock (&state->mutex);

  if (g_str_equal (action, "video") && method == SOUP_METHOD_POST)
    handle_video (state, msg, id);
  else if (g_str_equal (action, "vitals") && method == SOUP_METHOD_GET)
    {
      g_autoptr(JsonNode) body = NULL;

      g_mutex_lock (&state->mutex);
      /* Looked up again: a maintenance pass on another thread may have forgotten it. */
      session = g_hash_table_lookup (state->sessions, id);
      if (session != NULL)
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
        respond_detail (msg, SOUP_STATUS_NOT_FOUND, "Scan session not found");
    }
  else if (g_str_equal (action, "video") || g_str_equal (action, "vitals"))
    respond_detail (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed");
  else
    respond_detail (msg, SOUP_STATUS_NOT_FOUND, "Not found");
}

/* VitalServer::maintenance: forgets sessions past their time (their vitals with them). */
static void
v1_maintain (VitalServer *server,
             gint64       now_us,
             gpointer     data)
{
  V1State *state = data;
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&state->mutex);
  g_hash_table_iter_init (&iter, state->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      V1Session *session = value;

      if (session->status != V1_PROCESSING && now_us >= session->forget_us)
        g_hash_table_iter_remove (&iter);
    }
  g_mutex_unlock (&state->mutex);
}

static void
v1_state_closure_unref (gpointer  data,
                        GClosure *closure)
{
  v1_state_unref (data);
}

/**
 * vital_server_v1_install:
 * @server: a #VitalServer that is not listening yet
 *
 * Adds the /v1 platform dialect to @server. Videos are processed one at a time on a worker
 * thread owned by the handler (released with the server).
 */
void
vital_server_v1_install (VitalServer *server)
{
  V1State *state;

  g_return_if_fail (VITAL_IS_SERVER (server));

  state = g_new0 (V1State, 1);
  state->server = server;
  state->clock = g_object_ref (server->clock);
  state->persist = server->config->persist_vitals;
  state->result_ttl_us = (gint64) server->config->result_ttl_s * G_USEC_PER_SEC;
  state->session_ttl_us = (gint64) server->config->session_ttl_s * G_USEC_PER_SEC;
  g_mutex_init (&state->mutex);
  state->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) v1_session_free);
  state->pool = g_thread_pool_new (process_job, NULL, 1, FALSE, NULL);
  state->ref_count = 3;

  vital_server_add_early_handler (server, "/v1", v1_early_handler, state, v1_state_unref);
  vital_server_add_handler (server, "/v1", v1_handler, state, v1_state_unref);
  g_signal_connect_data (server, "maintenance", G_CALLBACK (v1_maintain), state,
                         v1_state_closure_unref, 0);
}
