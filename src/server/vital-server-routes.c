/* vital-server-routes.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The /sdk session API and /health: routing, authentication, rate limiting, validation, the
 * streamed presigned upload (checked before its body is read) and inline or deferred results.
 * Everything here runs on the server thread; processing happens on the VitalProcessor pool.
 */
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <glib/gstdio.h>

#include "vital-config.h"
#include "vital-presign.h"
#include "vital-random.h"
#include "vital-server-json.h"
#include "vital-server-private.h"
#include "vital-tensor-reader.h"
#include "vital-timezone.h"

#define UPLOAD_DATA_KEY "vital-upload"
#define MAX_USER_ID 128
#define MAX_JSON_BODY (64 * 1024)

/* ---------------------------------------------------------------------------------------- */
/* Small helpers                                                                            */

static void
set_error_response (SoupServerMessage *msg,
                    const GError      *error)
{
  vital_server_json_respond_error (msg, error, NULL);
}

static void
respond_new_error (SoupServerMessage *msg,
                   VitalServerError   code,
                   const char        *detail,
                   const char        *format,
                   ...) G_GNUC_PRINTF (4, 5);

static void
respond_new_error (SoupServerMessage *msg,
                   VitalServerError   code,
                   const char        *detail,
                   const char        *format,
                   ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  error = g_error_new_literal (VITAL_SERVER_ERROR, code, text);
  vital_server_json_respond_error (msg, error, detail);
}

static void
set_rate_headers (SoupServerMessage         *msg,
                  const VitalRateLimitState *state)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  char buf[32];

  g_snprintf (buf, sizeof buf, "%u", state->limit);
  soup_message_headers_replace (headers, "X-RateLimit-Limit", buf);
  g_snprintf (buf, sizeof buf, "%u", state->remaining);
  soup_message_headers_replace (headers, "X-RateLimit-Remaining", buf);
  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, state->reset_unix);
  soup_message_headers_replace (headers, "X-RateLimit-Reset", buf);
  if (state->retry_after_s > 0)
    {
      g_snprintf (buf, sizeof buf, "%u", state->retry_after_s);
      soup_message_headers_replace (headers, "Retry-After", buf);
    }
}

/* The last X-Forwarded-For entry is the address the trusted proxy saw (earlier ones are the
 * client's own say). */
static char *
forwarded_for (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "X-Forwarded-For");
  const char *last;

  if (header == NULL)
    return NULL;
  last = strrchr (header, ',');
  last = last != NULL ? last + 1 : header;
  while (*last == ' ' || *last == '\t')
    last++;
  return *last != '\0' ? g_strndup (last, MIN (strlen (last), 64)) : NULL;
}

static char *
client_bucket (VitalServer        *self,
               SoupServerMessage  *msg,
               const VitalKeyInfo *key)
{
  g_autofree char *forwarded = NULL;
  const char *host;

  if (key != NULL)
    return g_strconcat ("key:", key->key_id, NULL);
  if (self->config->trust_forwarded_for && (forwarded = forwarded_for (msg)) != NULL)
    return g_strconcat ("addr:", forwarded, NULL);
  host = soup_server_message_get_remote_host (msg);
  return g_strconcat ("addr:", host != NULL ? host : "unknown", NULL);
}

/**
 * vital_server_charge:
 * @self: a #VitalServer
 * @msg: a request
 * @key: (nullable): the authenticated key, or %NULL to count against the caller's address
 * @error: return location for a #GError (%VITAL_SERVER_ERROR_RATE_LIMIT_EXCEEDED)
 *
 * Counts the request against the key's (or the address's) per-minute limit and sets the
 * `X-RateLimit-*` headers (and `Retry-After` when refused). Other dialects' handlers call it
 * so every response carries the headers. The counter lives in the store: with a shared store
 * it is one limit across every node.
 *
 * Returns: %TRUE when the request is within the limit (%VITAL_SERVER_ERROR_SERVICE_UNAVAILABLE
 *   when the counter cannot be reached)
 */
gboolean
vital_server_charge (VitalServer        *self,
                     SoupServerMessage  *msg,
                     const VitalKeyInfo *key,
                     GError            **error)
{
  g_autofree char *bucket = client_bucket (self, msg, key);
  guint limit = key != NULL ? key->rate_limit : self->config->anonymous_rate_limit;
  g_autoptr(GError) store_error = NULL;
  VitalRateLimitState state;

  if (vital_session_store_rate_limit (self->store, bucket, limit, TRUE,
                                      vital_clock_now_us (self->clock), &state, &store_error))
    {
      set_rate_headers (msg, &state);
      return TRUE;
    }
  if (store_error != NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "1");
      g_propagate_error (error, g_steal_pointer (&store_error));
      return FALSE;
    }
  set_rate_headers (msg, &state);
  g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_RATE_LIMIT_EXCEEDED,
               "Too many requests: the limit is %u per minute; retry in %u s",
               state.limit, state.retry_after_s);
  return FALSE;
}

/**
 * vital_server_set_rate_headers:
 * @self: a #VitalServer
 * @msg: a request already counted by vital_server_charge()
 * @key: (nullable): the key it was counted against, or %NULL for the caller's address
 *
 * Sets the `X-RateLimit-*` headers from the current window without counting @msg again: for
 * handlers whose request was charged in an early handler (a `100 Continue` clears the response
 * headers set there).
 */
void
vital_server_set_rate_headers (VitalServer        *self,
                               SoupServerMessage  *msg,
                               const VitalKeyInfo *key)
{
  g_autofree char *bucket = client_bucket (self, msg, key);
  guint limit = key != NULL ? key->rate_limit : self->config->anonymous_rate_limit;
  VitalRateLimitState state;

  if (vital_session_store_rate_limit (self->store, bucket, limit, FALSE,
                                      vital_clock_now_us (self->clock), &state, NULL))
    set_rate_headers (msg, &state);
}

/* Authenticates and charges. On failure the error is API_KEY_INVALID, or RATE_LIMIT_EXCEEDED
 * when the caller's address has also run out of unauthenticated requests. */
static VitalKeyInfo *
authenticate_and_charge (VitalServer        *self,
                         SoupServerMessage  *msg,
                         GError            **error)
{
  g_autoptr(VitalKeyInfo) key = NULL;
  g_autoptr(GError) auth_error = NULL;

  key = vital_server_authenticate (self, msg, &auth_error);
  if (key == NULL)
    {
      if (!vital_server_charge (self, msg, NULL, error))
        return NULL;
      g_propagate_error (error, g_steal_pointer (&auth_error));
      return NULL;
    }
  if (!vital_server_charge (self, msg, key, error))
    return NULL;
  return g_steal_pointer (&key);
}

static gboolean
shutting_down (VitalServer        *self,
               SoupServerMessage  *msg)
{
  if (!g_atomic_int_get (&self->shutting_down))
    return FALSE;
  respond_new_error (msg, VITAL_SERVER_ERROR_SERVICE_UNAVAILABLE, NULL,
                     "The server is shutting down; retry shortly");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Retry-After", "5");
  return TRUE;
}

static JsonNode *
parse_json_body (SoupServerMessage  *msg,
                 gboolean            allow_empty,
                 GError            **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  const char *data;
  gsize len;

  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &len);
  if (len == 0 && allow_empty)
    return NULL;
  if (len == 0)
    {
      g_set_error_literal (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
                           "The request body must be a JSON object");
      return NULL;
    }
  if (len > MAX_JSON_BODY)
    {
      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_PAYLOAD_TOO_LARGE,
                   "The JSON body is larger than %u bytes", MAX_JSON_BODY);
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &parse_error))
    {
      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
                   "Malformed JSON: %s", parse_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
                           "The request body must be a JSON object");
      return NULL;
    }
  return json_parser_steal_root (parser);
}

/* Reads the zone of the `timezone` header: an IANA name, `UTC` or `±HH:MM` (vital-timezone.c);
 * UTC when absent. */
static GTimeZone *
request_timezone (SoupServerMessage  *msg,
                  char              **out_name,
                  GError            **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *name = soup_message_headers_get_one (headers, "timezone");
  GTimeZone *tz = NULL;

  if (name == NULL || *name == '\0')
    name = "UTC";
  tz = vital_timezone_new_from_name (name, NULL);
  if (tz == NULL)
    {
      g_set_error_literal (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
                           "The invalid timezone is provided");
      return NULL;
    }
  if (out_name != NULL)
    *out_name = g_strdup (name);
  return tz;
}

static void
builder_add_time (JsonBuilder *b,
                  const char  *name,
                  gint64       unix_us,
                  GTimeZone   *tz)
{
  json_builder_set_member_name (b, name);
  if (unix_us <= 0)
    json_builder_add_null_value (b);
  else
    {
      g_autofree char *text = vital_server_json_iso8601 (unix_us, tz);

      json_builder_add_string_value (b, text);
    }
}

static VitalSession *
owned_session (VitalServer         *self,
               const VitalKeyInfo  *key,
               const char          *id,
               GError             **error)
{
  g_autoptr(VitalSession) session = NULL;

  if (!vital_session_id_is_valid (id))
    {
      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SESSION_NOT_FOUND,
                   "Session %s was not found", id != NULL ? id : "(none)");
      return NULL;
    }
  session = vital_session_store_get (self->store, id, vital_clock_now_us (self->clock), error);
  if (session == NULL)
    return NULL;
  if (g_strcmp0 (session->key_id, key->key_id) != 0)
    {
      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_FORBIDDEN,
                   "Session %s belongs to another API key", id);
      return NULL;
    }
  return g_steal_pointer (&session);
}

/* ---------------------------------------------------------------------------------------- */
/* GET /health                                                                              */

static void
handle_health (VitalServer       *self,
               SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  gboolean unavailable;

  if (!vital_server_charge (self, msg, NULL, &error))
    {
      set_error_response (msg, error);
      return;
    }
  /* A cluster node that cannot reach the shared database cannot serve: the balancer should
   * send requests elsewhere. */
  unavailable = vital_session_store_is_shared (self->store)
                && !vital_session_store_is_available (self->store);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, g_atomic_int_get (&self->shutting_down) ? "shutting_down"
                                    : unavailable ? "database_unavailable" : "ok");
  builder_add_time (b, "timestamp", vital_clock_now_us (self->clock), NULL);
  json_builder_set_member_name (b, "service");
  json_builder_add_string_value (b, VITAL_SERVER_SERVICE_NAME);
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, VITAL_VERSION);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  vital_server_json_respond (msg, g_atomic_int_get (&self->shutting_down) || unavailable
                                  ? 503 : 200, root);
}

/* ---------------------------------------------------------------------------------------- */
/* POST /sdk/session/start                                                                  */

static gboolean
read_int_member (JsonObject  *obj,
                 const char  *name,
                 int          lo,
                 int          hi,
                 int         *out,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < lo || json_node_get_int (node) > hi)
    {
      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
                   "demographics.%s must be a whole number from %d to %d", name, lo, hi);
      return FALSE;
    }
  *out = (int) json_node_get_int (node);
  return TRUE;
}

static gboolean
parse_demographics (JsonNode           *root,
                    VitalDemographics  *out,
                    GError            **error)
{
  JsonObject *obj;
  JsonNode *node;

  memset (out, 0, sizeof *out);
  if (root == NULL)
    return TRUE;
  node = json_object_get_member (json_node_get_object (root), "demographics");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
                           "demographics must be an object like "
                           "{\"age\": 35, \"sex\": \"M\", \"fitzpatrick\": 3}");
      return FALSE;
    }
  obj = json_node_get_object (node);
  if (!read_int_member (obj, "age", 1, 120, &out->age, error)
      || !read_int_member (obj, "fitzpatrick", 1, 6, &out->fitzpatrick, error))
    return FALSE;
  node = json_object_get_member (obj, "sex");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      const char *sex = JSON_NODE_HOLDS_VALUE (node)
                        && json_node_get_value_type (node) == G_TYPE_STRING
                        ? json_node_get_string (node) : NULL;

      if (g_strcmp0 (sex, "M") == 0)
        out->sex = VITAL_SEX_MALE;
      else if (g_strcmp0 (sex, "F") == 0)
        out->sex = VITAL_SEX_FEMALE;
      else if (g_strcmp0 (sex, "other") == 0)
        out->sex = VITAL_SEX_OTHER;
      else
        {
          g_set_error_literal (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
                               "demographics.sex must be \"M\", \"F\" or \"other\"");
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
read_user_id (SoupServerMessage  *msg,
              char              **out,
              GError            **error)
{
  const char *user = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "X-User-Id");
  gsize len;

  *out = NULL;
  if (user == NULL)
    return TRUE;
  len = strlen (user);
  if (len == 0 || len > MAX_USER_ID)
    goto bad;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isgraph (user[i]))
      goto bad;
  *out = g_strdup (user);
  return TRUE;
bad:
  g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
               "X-User-Id must be 1 to %d printable characters without spaces", MAX_USER_ID);
  return FALSE;
}

/* The upload URL starts with --public-url when configured, else with the scheme, host and port
 * the client used to reach us (its Host header), so a server bound to 0.0.0.0 hands out URLs
 * its clients can reach. */
static char *
upload_url (VitalServer       *self,
            SoupServerMessage *msg,
            const char        *id,
            gint64             expires_unix)
{
  g_autofree char *signature = vital_presign_sign (self->secret, id, expires_unix);
  g_autofree char *from_request = NULL;
  const char *base = self->config->public_url;
  gsize base_len;

  if (base == NULL)
    {
      GUri *uri = soup_server_message_get_uri (msg);

      if (uri != NULL && g_uri_get_host (uri) != NULL)
        {
          from_request = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL,
                                     g_uri_get_host (uri), g_uri_get_port (uri), "", NULL, NULL);
          base = from_request;
        }
      else
        base = self->base_url;
    }
  base_len = strlen (base);
  while (base_len > 0 && base[base_len - 1] == '/')
    base_len--;
  return g_strdup_printf ("%.*s/sdk/session/%s/upload?expires=%" G_GINT64_FORMAT
                          "&signature=%s", (int) base_len, base, id, expires_unix, signature);
}

/**
 * vital_server_consume_quota:
 * @self: a #VitalServer
 * @msg: a request that starts a session
 * @key: the authenticated key
 * @error: return location for a #GError (%VITAL_SERVER_ERROR_QUOTA_EXCEEDED)
 *
 * Counts one session against a live key's monthly quota (test keys have none) and sets the
 * `X-Quota-Limit` and `X-Quota-Remaining` headers when the key has a quota. Every dialect's
 * session start calls it, so they share one counter per key.
 *
 * Returns: %TRUE when the session fits in the quota
 */
gboolean
vital_server_consume_quota (VitalServer         *self,
                            SoupServerMessage   *msg,
                            const VitalKeyInfo  *key,
                            GError             **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  guint used = 0;
  char buf[16];

  if (key->environment != VITAL_KEY_ENV_LIVE)
    return TRUE;
  if (!vital_session_store_consume_quota (self->store, key->key_id,
                                          vital_clock_now_us (self->clock), key->monthly_quota,
                                          &used, error))
    return FALSE;
  if (key->monthly_quota > 0)
    {
      g_snprintf (buf, sizeof buf, "%u", key->monthly_quota);
      soup_message_headers_replace (headers, "X-Quota-Limit", buf);
      g_snprintf (buf, sizeof buf, "%u", key->monthly_quota - MIN (used, key->monthly_quota));
      soup_message_headers_replace (headers, "X-Quota-Remaining", buf);
    }
  return TRUE;
}

static void
handle_start (VitalServer       *self,
              SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalKeyInfo) key = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *tz_name = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *id = NULL;
  g_autofree char *url = NULL;
  VitalDemographics demographics;
  VitalSession session = { 0 };
  gint64 now = vital_clock_now_us (self->clock);
  gint64 expires_us;

  key = authenticate_and_charge (self, msg, &error);
  if (key == NULL)
    goto fail;
  if (shutting_down (self, msg))
    return;
  body = parse_json_body (msg, TRUE, &error);
  if (body == NULL && error != NULL)
    goto fail;
  if (!parse_demographics (body, &demographics, &error)
      || !read_user_id (msg, &user_id, &error))
    goto fail;
  tz = request_timezone (msg, &tz_name, &error);
  if (tz == NULL)
    goto fail;

  if (!vital_server_consume_quota (self, msg, key, &error))
    goto fail;

  id = vital_random_uuid (&error);
  if (id == NULL)
    goto fail;
  expires_us = now + (gint64) self->config->session_ttl_s * G_USEC_PER_SEC;
  /* Whole seconds, so expires_at and the signed expiry agree exactly. */
  expires_us -= expires_us % G_USEC_PER_SEC;

  session.id = id;
  session.key_id = key->key_id;
  session.user_id = user_id;
  session.environment = key->environment;
  session.status = VITAL_SESSION_PENDING;
  session.created_us = now;
  session.expires_us = expires_us;
  session.created_timezone = tz_name;
  session.demographics = demographics;
  if (!vital_session_store_insert (self->store, &session, &error))
    goto fail;

  url = upload_url (self, msg, id, expires_us / G_USEC_PER_SEC);
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "session_id");
  json_builder_add_string_value (b, id);
  builder_add_time (b, "expires_at", expires_us, NULL);
  json_builder_set_member_name (b, "upload_url");
  json_builder_add_string_value (b, url);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "pending");
  json_builder_set_member_name (b, "environment");
  json_builder_add_string_value (b, vital_key_environment_to_string (key->environment));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  vital_server_json_respond (msg, SOUP_STATUS_OK, root);
  g_info ("session %s: pending", id);
  return;

fail:
  set_error_response (msg, error);
}

/* ---------------------------------------------------------------------------------------- */
/* PUT /sdk/session/{id}/upload?expires=…&signature=…                                       */

/* Writeback of an upload is started every this many bytes, so that the fsync before the answer
 * (on the HTTP thread) only waits for the tail instead of the whole 25–30 MB payload. */
#define UPLOAD_WRITEBACK_BYTES (4 * 1024 * 1024)

/* libsoup hands the body over in 8 KiB chunks; they are gathered into writes of this size
 * (thousands of syscalls fewer per payload on the HTTP thread). */
#define UPLOAD_BUFFER_BYTES (1024 * 1024)

/* At most this many uploads are decoded while they arrive (each holds its payload, and then the
 * decoded tensor, in memory); others are decoded from the spool once they are in, as before. */
#define MAX_STREAMING_UPLOADS 8

typedef struct
{
  VitalServer       *server;
  VitalTensorReader *reader;  /* decodes the payload as it arrives; NULL beyond the limits */
  char   *owner;              /* the session's key id: whose memory budget the reader uses */
  guint64 reserved;           /* bytes of that budget held for the reader */
  gboolean sized;             /* the reader's memory need is known (and reserved) */
  int     fd;
  char   *part_path;
  char   *session_id;
  goffset length;
  goffset received;
  goffset flushed;
  guint8 *buffer;
  gsize   buffered;
  int     write_errno;
  gboolean committed;
} Upload;

static void
upload_free (gpointer data)
{
  Upload *upload = data;

  if (upload->reader != NULL)
    {
      upload->server->streaming_uploads--;
      g_object_unref (upload->reader);
    }
  if (upload->reserved > 0)
    vital_memory_budget_release (upload->server->decoded_budget, upload->owner,
                                 upload->reserved);
  g_free (upload->owner);
  if (upload->fd >= 0)
    close (upload->fd);
  if (!upload->committed && upload->part_path != NULL)
    g_unlink (upload->part_path);
  g_free (upload->part_path);
  g_free (upload->session_id);
  g_free (upload->buffer);
  g_free (upload);
}

static void
upload_write (Upload       *upload,
              const guint8 *bytes,
              gsize         len)
{
  while (len > 0 && upload->write_errno == 0)
    {
      ssize_t n = write (upload->fd, bytes, len);

      if (n < 0)
        {
          if (errno != EINTR)
            upload->write_errno = errno;
          continue;
        }
      bytes += n;
      len -= (gsize) n;
    }
}

/* Writes out what is buffered; returns FALSE (errno kept in write_errno) when writing failed. */
static gboolean
upload_flush (Upload *upload)
{
  upload_write (upload, upload->buffer, upload->buffered);
  upload->buffered = 0;
  return upload->write_errno == 0;
}

/* Once the payload's header is in, the reader's decode claims what it will hold (the payload
 * and the decoded tensor) from the key's memory budget. FALSE when that does not fit, or when
 * the first bytes are no tensor header: the reader is dropped and the spooled file is decoded
 * when processing starts. */
static gboolean
upload_reserve (Upload *upload)
{
  VitalTensorHeader header;
  guint64 need;

  if (upload->sized)
    return TRUE;
  if (!vital_tensor_reader_peek_header (upload->reader, &header))
    return upload->received < 64 * 1024;
  need = (guint64) header.frame_count * VITAL_TENSOR_FRAME_SIZE + (guint64) upload->length;
  if (!vital_memory_budget_reserve (upload->server->decoded_budget, upload->owner, need))
    return FALSE;
  upload->reserved = need;
  upload->sized = TRUE;
  return TRUE;
}

static void
upload_got_chunk (SoupServerMessage *msg,
                  GBytes            *chunk,
                  gpointer           data)
{
  Upload *upload = data;
  gsize len;
  const guint8 *bytes = g_bytes_get_data (chunk, &len);

  upload->received += (goffset) len;
  /* A failed write drops the early decode only: upload-complete decodes the spooled file. */
  if (upload->reader != NULL && (!vital_tensor_reader_write (upload->reader, bytes, len, NULL)
                                 || !upload_reserve (upload)))
    {
      upload->server->streaming_uploads--;
      g_clear_object (&upload->reader);
      if (upload->reserved > 0)
        vital_memory_budget_release (upload->server->decoded_budget, upload->owner,
                                     upload->reserved);
      upload->reserved = 0;
      upload->sized = FALSE;
    }
  if (upload->write_errno != 0)
    return;
  if (upload->buffered + len > UPLOAD_BUFFER_BYTES && !upload_flush (upload))
    return;
  if (len >= UPLOAD_BUFFER_BYTES)
    upload_write (upload, bytes, len);
  else
    {
      memcpy (upload->buffer + upload->buffered, bytes, len);
      upload->buffered += len;
    }
  if (upload->write_errno == 0
      && upload->received - (goffset) upload->buffered - upload->flushed >= UPLOAD_WRITEBACK_BYTES)
    {
      goffset written = upload->received - (goffset) upload->buffered;

      /* Start (not wait for) writeback of what was written so far; a failure here is harmless,
       * the final fsync reports real errors. */
      sync_file_range (upload->fd, upload->flushed, written - upload->flushed,
                       SYNC_FILE_RANGE_WRITE);
      upload->flushed = written;
    }
}

/* Splits "/sdk/session/{id}/{what}" (3 segments after the root). */
static gboolean
match_session_path (const char  *path,
                    const char  *suffix,
                    char       **out_id)
{
  const char *prefix = "/sdk/session/";
  const char *rest;
  const char *slash;

  if (!g_str_has_prefix (path, prefix))
    return FALSE;
  rest = path + strlen (prefix);
  slash = strchr (rest, '/');
  if (slash == NULL || slash == rest || g_strcmp0 (slash + 1, suffix) != 0)
    return FALSE;
  *out_id = g_strndup (rest, (gsize) (slash - rest));
  return TRUE;
}

/* How much of a refused chunked body is read and thrown away before the connection closes. */
#define CHUNKED_DRAIN_BYTES (16 * 1024 * 1024)

static void
append_header (const char *name,
               const char *value,
               gpointer    data)
{
  g_string_append_printf (data, "%s: %s\r\n", name, value);
}

/* Refuses an upload from its headers alone. With `Expect: 100-continue` (or no body) libsoup
 * answers without reading a body; otherwise libsoup would read the whole announced body first,
 * so the connection is taken over, the answer written directly and the body drained (bounded)
 * before the connection closes, or a client still sending would read a reset instead. */
/**
 * vital_server_respond_before_body:
 * @self: the #VitalServer that received @msg
 * @msg: a request seen by an early handler (only its headers are read)
 * @error: why it is refused
 *
 * Answers @msg with the standard error body without ever reading its request body, as
 * described above; usable from the early handlers of other dialects too.
 */
void
vital_server_respond_before_body (VitalServer       *self,
                                  SoupServerMessage *msg,
                                  const GError      *error)
{
  VitalServerError code = error->domain == VITAL_SERVER_ERROR ? (VitalServerError) error->code
                                                              : VITAL_SERVER_ERROR_INTERNAL;
  g_autoptr(JsonNode) body = vital_server_json_error_body (error, NULL);

  vital_server_respond_before_body_json (self, msg, vital_server_error_http_status (code), body);
}

/**
 * vital_server_respond_before_body_json:
 * @self: the #VitalServer that received @msg
 * @msg: a request seen by an early handler (only its headers are read)
 * @status: the HTTP status
 * @body: the JSON answer, in the caller's dialect
 *
 * Like vital_server_respond_before_body(), for a dialect with an error shape of its own.
 */
void
vital_server_respond_before_body_json (VitalServer       *self,
                                       SoupServerMessage *msg,
                                       guint              status,
                                       JsonNode          *body)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (req);
  gboolean body_follows = encoding == SOUP_ENCODING_CHUNKED
                          || (encoding == SOUP_ENCODING_CONTENT_LENGTH
                              && soup_message_headers_get_content_length (req) > 0);

  if (!body_follows || (soup_message_headers_get_expectations (req) & SOUP_EXPECTATION_CONTINUE))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                    "close");
      vital_server_json_respond (msg, status, body);
      return;
    }
  vital_server_respond_and_close (self, msg, status, body);
}

/**
 * vital_server_respond_and_close:
 * @self: the #VitalServer that received @msg
 * @msg: a request whose body is not (fully) read; paused, or seen by an early handler
 * @status: the HTTP status
 * @body: the JSON answer, in the caller's dialect
 *
 * Takes the connection over from libsoup, writes the answer at once, whatever of the request
 * body is still to come, and closes the connection after a bounded lingering read (so the
 * client can read the answer). For refusing an upload midway, e.g. once it passes a cap; @msg
 * must not be used afterwards except to drop references.
 */
void
vital_server_respond_and_close (VitalServer       *self,
                                SoupServerMessage *msg,
                                guint              status,
                                JsonNode          *body)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (req);
  g_autofree char *text = NULL;
  g_autoptr(GString) head = NULL;
  g_autoptr(GBytes) response = NULL;

  soup_message_headers_replace (resp, "Connection", "close");
  text = vital_server_json_to_string (body);
  head = g_string_new (NULL);
  g_string_append_printf (head, "HTTP/1.1 %u %s\r\n", status, soup_status_get_phrase (status));
  soup_message_headers_foreach (resp, append_header, head);
  g_string_append_printf (head, "Server: " VITAL_SERVER_SERVICE_NAME "/" VITAL_VERSION "\r\n"
                                "Content-Type: application/json\r\n"
                                "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n%s",
                          strlen (text), text);
  response = g_string_free_to_bytes (g_steal_pointer (&head));
  /* A body of announced length is drained whole (within the layer's bounds); an endless
   * chunked one only so far. */
  vital_connections_answer_and_drain (self->connections, msg, response,
                                      encoding == SOUP_ENCODING_CONTENT_LENGTH
                                      ? (guint64) soup_message_headers_get_content_length (req)
                                      : CHUNKED_DRAIN_BYTES);
}

static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           data)
{
  VitalServer *self = data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSession) session = NULL;
  g_autofree char *id = NULL;
  g_autofree char *ctype = NULL;
  const char *expires_text;
  const char *signature;
  gint64 expires = 0;
  gint64 now;
  goffset length;
  Upload *upload;

  if (!match_session_path (path, "upload", &id))
    {
      /* Other requests carry at most a small JSON body: never buffer a big one. */
      SoupEncoding encoding = soup_message_headers_get_encoding (headers);

      if (encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF)
        g_set_error_literal (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_LENGTH_REQUIRED,
                             "Request bodies need a Content-Length header");
      else if (encoding == SOUP_ENCODING_CONTENT_LENGTH
               && soup_message_headers_get_content_length (headers) > MAX_JSON_BODY)
        g_set_error (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_PAYLOAD_TOO_LARGE,
                     "The request body is larger than %u bytes", MAX_JSON_BODY);
      else
        return;
      vital_server_charge (self, msg, NULL, NULL);
      vital_server_respond_before_body (self, msg, error);
      return;
    }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_PUT)
    return;  /* the main handler answers 405 */

  if (!vital_server_charge (self, msg, NULL, &error))
    goto fail;
  if (g_atomic_int_get (&self->shutting_down))
    {
      g_set_error_literal (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SERVICE_UNAVAILABLE,
                           "The server is shutting down; retry shortly");
      goto fail;
    }

  expires_text = query != NULL ? g_hash_table_lookup (query, "expires") : NULL;
  signature = query != NULL ? g_hash_table_lookup (query, "signature") : NULL;
  if (expires_text == NULL || !g_ascii_string_to_signed (expires_text, 10, 0, G_MAXINT64,
                                                          &expires, NULL)
      || !vital_session_id_is_valid (id)
      || !vital_presign_verify (self->secret, id, expires, signature))
    {
      g_set_error_literal (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_FORBIDDEN,
                           "The upload URL is not valid; use the upload_url returned by "
                           "/sdk/session/start unchanged");
      goto fail;
    }
  now = vital_clock_now_us (self->clock);
  if (now >= expires * G_USEC_PER_SEC)
    {
      g_set_error (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SESSION_EXPIRED,
                   "Session %s expired; start a new session", id);
      goto fail;
    }

  ctype = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  if (g_strcmp0 (ctype, "application/octet-stream") != 0)
    {
      g_set_error (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_UNSUPPORTED_MEDIA_TYPE,
                   "The payload must be sent as application/octet-stream, not %s",
                   ctype != NULL ? ctype : "(no Content-Type)");
      goto fail;
    }
  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    {
      g_set_error_literal (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_LENGTH_REQUIRED,
                           "The upload needs a Content-Length header (chunked uploads are "
                           "not accepted)");
      goto fail;
    }
  length = soup_message_headers_get_content_length (headers);
  if (length <= 0)
    {
      g_set_error_literal (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
                           "The payload is empty");
      goto fail;
    }
  if ((guint64) length > self->config->max_upload_bytes)
    {
      g_set_error (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_PAYLOAD_TOO_LARGE,
                   "The payload is %" G_GOFFSET_FORMAT " bytes; the limit is %" G_GUINT64_FORMAT
                   " bytes", length, self->config->max_upload_bytes);
      goto fail;
    }

  session = vital_session_store_get (self->store, id, now, &error);
  if (session == NULL)
    goto fail;
  if (!vital_session_status_can_transition (session->status, VITAL_SESSION_UPLOADED))
    {
      if (session->status == VITAL_SESSION_EXPIRED)
        g_set_error (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SESSION_EXPIRED,
                     "Session %s expired; start a new session", id);
      else
        g_set_error (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_ILLEGAL_TRANSITION,
                     "Session %s is %s; its payload can no longer be replaced", id,
                     vital_session_status_to_string (session->status));
      goto fail;
    }

  upload = g_new0 (Upload, 1);
  upload->server = self;
  upload->fd = -1;
  upload->length = length;
  upload->owner = g_strdup (session->key_id);
  if (self->streaming_uploads < MAX_STREAMING_UPLOADS)
    {
      upload->reader = vital_tensor_reader_new ((gsize) length);
      self->streaming_uploads++;
    }
  upload->buffer = g_malloc (UPLOAD_BUFFER_BYTES);
  upload->session_id = g_strdup (id);
  {
    guint8 rnd[8];
    g_autofree char *name = NULL;

    if (!vital_random_fill (rnd, sizeof rnd, &error))
      {
        upload_free (upload);
        goto fail;
      }
    name = g_strdup_printf ("%s.%02x%02x%02x%02x%02x%02x%02x%02x.part", id, rnd[0], rnd[1],
                            rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
    upload->part_path = g_build_filename (self->spool_dir, name, NULL);
  }
  upload->fd = g_open (upload->part_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (upload->fd < 0)
    {
      int saved = errno;

      g_free (g_steal_pointer (&upload->part_path));
      upload_free (upload);
      g_set_error (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INTERNAL,
                   "The upload could not be stored: %s", g_strerror (saved));
      goto fail;
    }
  g_object_set_data_full (G_OBJECT (msg), UPLOAD_DATA_KEY, upload, upload_free);
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (upload_got_chunk), upload);
  return;

fail:
  g_info ("session %s: upload refused (%s)", vital_session_id_is_valid (id) ? id : "-",
          error->domain == VITAL_SERVER_ERROR
          ? vital_server_error_wire_code ((VitalServerError) error->code) : "INTERNAL");
  vital_server_respond_before_body (self, msg, error);
}

static void
handle_upload (VitalServer       *self,
               SoupServerMessage *msg,
               const char        *id)
{
  Upload *upload = g_object_get_data (G_OBJECT (msg), UPLOAD_DATA_KEY);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *payload_path = NULL;
  gint64 now = vital_clock_now_us (self->clock);

  /* Charged in the early handler; a 100 Continue clears response headers, so set them again. */
  vital_server_set_rate_headers (self, msg, NULL);

  if (upload == NULL)
    {
      respond_new_error (msg, VITAL_SERVER_ERROR_INTERNAL, NULL, "The upload was not prepared");
      return;
    }
  if (!upload_flush (upload) || fsync (upload->fd) != 0)
    {
      respond_new_error (msg, VITAL_SERVER_ERROR_INTERNAL, NULL,
                         "The upload could not be stored: %s",
                         g_strerror (upload->write_errno != 0 ? upload->write_errno : errno));
      return;
    }
  close (upload->fd);
  upload->fd = -1;

  payload_path = vital_server_payload_path (self, id);
  {
    g_autoptr(VitalSession) session = vital_session_store_get (self->store, id, now, &error);

    if (session == NULL)
      goto fail;
    if (!vital_session_status_can_transition (session->status, VITAL_SESSION_UPLOADED))
      {
        if (session->status == VITAL_SESSION_EXPIRED)
          g_set_error (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SESSION_EXPIRED,
                       "Session %s expired; start a new session", id);
        else
          g_set_error (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_ILLEGAL_TRANSITION,
                       "Session %s is %s; its payload can no longer be replaced", id,
                       vital_session_status_to_string (session->status));
        goto fail;
      }
  }
  if (g_rename (upload->part_path, payload_path) != 0)
    {
      int saved = errno;

      g_set_error (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INTERNAL,
                   "The upload could not be stored: %s", g_strerror (saved));
      goto fail;
    }
  upload->committed = TRUE;
  if (!vital_session_store_mark_uploaded_on (self->store, id, upload->received, self->node_id,
                                             now, &error))
    {
      g_unlink (payload_path);
      vital_processor_forget (self->processor, id);
      goto fail;
    }
  /* Its decode, started as the bytes came in, is finished on the worker pool (memory only);
   * upload-complete then only runs the engine. This replaces (and makes stale) the decode of a
   * previous PUT of this session. */
  /* The reservation goes with the reader. */
  vital_processor_prepare (self->processor, id, upload->owner, payload_path,
                           upload->sized ? upload->reader : NULL, upload->reserved);
  upload->reserved = 0;

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "session_id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "uploaded");
  json_builder_set_member_name (b, "bytes");
  json_builder_add_int_value (b, upload->received);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  vital_server_json_respond (msg, SOUP_STATUS_OK, root);
  g_info ("session %s: uploaded", id);
  return;

fail:
  set_error_response (msg, error);
}

/* ---------------------------------------------------------------------------------------- */
/* POST /sdk/session/upload-complete                                                        */

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

static void
respond_processing (SoupServerMessage *msg,
                    const char        *id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "session_id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "processing");
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  vital_server_json_respond (msg, SOUP_STATUS_ACCEPTED, root);
}

static gboolean
waiter_timeout (gpointer data)
{
  Waiter *waiter = data;
  VitalServer *self = waiter->self;
  SoupServerMessage *msg = g_object_ref (waiter->msg);

  respond_processing (msg, waiter->session_id);
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

void
vital_server_routes_on_done (const char *session_id,
                             gboolean    completed,
                             const char *error_text,
                             gpointer    user_data)
{
  vital_server_routes_answer_waiter (VITAL_SERVER (user_data), session_id, completed, FALSE,
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
      respond_processing (msg, session_id);
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
        respond_processing (msg, session_id);
    }
  else if (retryable)
    respond_new_error (msg, VITAL_SERVER_ERROR_SERVICE_UNAVAILABLE, "Session failed", "%s",
                       error_text != NULL ? error_text : VITAL_SESSION_LOST_MESSAGE);
  else
    respond_new_error (msg, VITAL_SERVER_ERROR_PROCESSING_FAILED, "Session failed", "%s",
                       error_text != NULL ? error_text : "Processing failed");
  g_hash_table_remove (self->waiters, session_id);
  soup_server_message_unpause (msg);
}

static void
handle_upload_complete (VitalServer       *self,
                        SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalKeyInfo) key = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(VitalSession) session = NULL;
  g_autoptr(VitalSession) processing = NULL;
  g_autofree char *payload_path = NULL;
  JsonNode *id_node;
  const char *id;
  Waiter *waiter;

  key = authenticate_and_charge (self, msg, &error);
  if (key == NULL)
    goto fail;
  if (shutting_down (self, msg))
    return;
  body = parse_json_body (msg, FALSE, &error);
  if (body == NULL)
    goto fail;
  id_node = json_object_get_member (json_node_get_object (body), "session_id");
  if (id_node == NULL || !JSON_NODE_HOLDS_VALUE (id_node)
      || json_node_get_value_type (id_node) != G_TYPE_STRING)
    {
      g_set_error_literal (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
                           "The body must be {\"session_id\": \"…\"}");
      goto fail;
    }
  id = json_node_get_string (id_node);
  session = owned_session (self, key, id, &error);
  if (session == NULL)
    goto fail;
  processing = vital_session_store_begin_processing_on (self->store, id, self->node_id,
                                                        vital_clock_now_us (self->clock), &error);
  if (processing == NULL)
    goto fail;
  g_info ("session %s: processing", id);

  /* The node holding the payload processes it; another node's upload-complete waits for the
   * outcome through the store (a notification, or polling). */
  if (vital_server_holds_payload (self, processing))
    {
      payload_path = vital_server_payload_path (self, id);
      if (!vital_processor_submit (self->processor, processing, payload_path, &error))
        goto fail;
    }

  if (self->config->inline_budget_ms == 0)
    {
      respond_processing (msg, id);
      return;
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
  return;

fail:
  set_error_response (msg, error);
}

/* ---------------------------------------------------------------------------------------- */
/* GET /sdk/session/{id}/result and /sdk/session/result/{id}                                */

static void
handle_result (VitalServer       *self,
               SoupServerMessage *msg,
               const char        *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalKeyInfo) key = NULL;
  g_autoptr(VitalSession) session = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  key = authenticate_and_charge (self, msg, &error);
  if (key == NULL)
    goto fail;
  session = owned_session (self, key, id, &error);
  if (session == NULL)
    goto fail;
  if (session->status == VITAL_SESSION_EXPIRED)
    {
      g_set_error (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SESSION_EXPIRED,
                   "Session %s expired before it was processed; start a new session", id);
      goto fail;
    }
  if (session->status == VITAL_SESSION_COMPLETED)
    {
      json = vital_session_store_take_result (self->store, id, vital_clock_now_us (self->clock),
                                              &error);
      if (error != NULL)
        goto fail;  /* still held: the client asks again */
      if (json != NULL)
        {
          gsize len = strlen (json);

          soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
          soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                            g_steal_pointer (&json), len);
          return;
        }
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "session_id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, vital_session_status_to_string (session->status));
  json_builder_set_member_name (b, "vitals");
  json_builder_add_null_value (b);
  json_builder_set_member_name (b, "signal_quality");
  json_builder_add_null_value (b);
  json_builder_set_member_name (b, "processing_time_ms");
  if (session->ended_us > 0)
    json_builder_add_double_value (b, round (session->processing_time_ms * 10) / 10);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "completed_at");
  if (session->ended_us > 0)
    json_builder_add_int_value (b, session->ended_us / G_USEC_PER_SEC);
  else
    json_builder_add_null_value (b);
  if (session->status == VITAL_SESSION_FAILED)
    {
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, session->error != NULL ? session->error
                                                               : "Processing failed");
      json_builder_set_member_name (b, "retryable");
      json_builder_add_boolean_value (b, session->retryable);
    }
  if (session->status == VITAL_SESSION_COMPLETED)
    {
      json_builder_set_member_name (b, "result_available");
      json_builder_add_boolean_value (b, FALSE);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, "The result was already delivered and is not stored "
                                        "(persistence is off or its retention ended)");
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  vital_server_json_respond (msg, SOUP_STATUS_OK, root);
  return;

fail:
  set_error_response (msg, error);
}

/* ---------------------------------------------------------------------------------------- */
/* GET /sdk/sessions                                                                        */

/* Reads a date written exactly YYYY-MM-DD (digits only, a real calendar day) as the start (or,
 * with @end_of_day, the last microsecond) of that day in @tz. */
static gboolean
parse_date (const char  *text,
            GTimeZone   *tz,
            gboolean     end_of_day,
            gint64      *out_us)
{
  g_autoptr(GDateTime) dt = NULL;
  GDate date;

  if (!vital_date_parse (text, &date))
    return FALSE;
  dt = g_date_time_new (tz, g_date_get_year (&date), g_date_get_month (&date),
                        g_date_get_day (&date), 0, 0, 0);
  if (dt == NULL)
    return FALSE;
  if (end_of_day)
    {
      g_autoptr(GDateTime) next = g_date_time_add_days (dt, 1);

      /* The day after 9999-12-31 is not representable: the range is open-ended. */
      *out_us = next != NULL ? g_date_time_to_unix (next) * G_USEC_PER_SEC - 1 : G_MAXINT64;
    }
  else
    *out_us = g_date_time_to_unix (dt) * G_USEC_PER_SEC;
  return TRUE;
}

static gboolean
parse_uint_param (GHashTable  *query,
                  const char  *name,
                  guint        def,
                  guint        max,
                  guint       *out,
                  GError     **error)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  guint64 value;

  if (text == NULL)
    {
      *out = def;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 0, max, &value, NULL))
    {
      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
                   "%s must be a whole number from 0 to %u", name, max);
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

/* libsoup silently drops a query parameter it cannot decode, cuts a value at an escaped NUL and
 * keeps the last of repeated ones: such a query is refused rather than read loosely. */
static gboolean
check_query (SoupServerMessage  *msg,
             GError            **error)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) seen = NULL;
  g_auto(GStrv) pairs = NULL;

  if (query == NULL)
    return TRUE;
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  pairs = g_strsplit (query, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *eq = strchr (pairs[i], '=');
      g_autofree char *raw_name = NULL;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (*pairs[i] == '\0')
        continue;
      if (eq != NULL)
        {
          raw_name = g_strndup (pairs[i], (gsize) (eq - pairs[i]));
          name = g_uri_unescape_string (raw_name, NULL);
          value = g_uri_unescape_string (eq + 1, NULL);
        }
      if (name == NULL || value == NULL || *name == '\0')
        {
          g_set_error_literal (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
                               "The query string is malformed: each parameter must be "
                               "name=value, percent-encoded, without NUL characters");
          return FALSE;
        }
      if (g_hash_table_contains (seen, name))
        {
          g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
                       "The query parameter %s is given more than once", name);
          return FALSE;
        }
      g_hash_table_add (seen, g_steal_pointer (&name));
    }
  return TRUE;
}

static void
handle_sessions (VitalServer       *self,
                 SoupServerMessage *msg,
                 GHashTable        *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalKeyInfo) key = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *tz_name = NULL;
  g_autofree char *user_id = NULL;
  const char *order = NULL;
  const char *date;
  gint64 from_us = G_MININT64, to_us = G_MAXINT64;
  gboolean ascending = FALSE;
  guint offset, limit, total = 0;

  key = authenticate_and_charge (self, msg, &error);
  if (key == NULL)
    goto fail;
  tz = request_timezone (msg, &tz_name, &error);
  if (tz == NULL)
    goto fail;
  if (!read_user_id (msg, &user_id, &error) || !check_query (msg, &error))
    goto fail;

  date = query != NULL ? g_hash_table_lookup (query, "date_gte") : NULL;
  if (date != NULL && !parse_date (date, tz, FALSE, &from_us))
    {
      g_set_error_literal (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
                           "date_gte must be a date like 2026-11-23");
      goto fail;
    }
  date = query != NULL ? g_hash_table_lookup (query, "date_lte") : NULL;
  if (date != NULL && !parse_date (date, tz, TRUE, &to_us))
    {
      g_set_error_literal (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
                           "date_lte must be a date like 2026-11-23");
      goto fail;
    }
  if (from_us > to_us)
    {
      g_set_error_literal (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
                           "date_gte is after date_lte");
      goto fail;
    }
  if (query != NULL)
    order = g_hash_table_lookup (query, "order_by");
  if (order != NULL)
    {
      if (g_ascii_strcasecmp (order, "ASC") == 0)
        ascending = TRUE;
      else if (g_ascii_strcasecmp (order, "DESC") != 0)
        {
          g_set_error_literal (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
                               "order_by must be ASC or DESC");
          goto fail;
        }
    }
  if (!parse_uint_param (query, "offset", 0, G_MAXINT32, &offset, &error)
      || !parse_uint_param (query, "limit", 20, 100, &limit, &error))
    goto fail;

  sessions = vital_session_store_list (self->store, key->key_id, user_id, from_us, to_us,
                                       ascending, offset, limit,
                                       vital_clock_now_us (self->clock), &results, &total,
                                       &error);
  if (sessions == NULL)
    goto fail;

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "sessions");
  json_builder_begin_array (b);
  for (guint i = 0; i < sessions->len; i++)
    {
      const VitalSession *s = sessions->pdata[i];
      const char *result = results->pdata[i];
      g_autoptr(JsonNode) parsed = result != NULL ? json_from_string (result, NULL) : NULL;
      JsonObject *obj = parsed != NULL && JSON_NODE_HOLDS_OBJECT (parsed)
                        ? json_node_get_object (parsed) : NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "session_id");
      json_builder_add_string_value (b, s->id);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, vital_session_status_to_string (s->status));
      builder_add_time (b, "start_time", s->created_us, tz);
      builder_add_time (b, "end_time", s->ended_us, tz);
      json_builder_set_member_name (b, "created_timezone");
      json_builder_add_string_value (b, s->created_timezone);
      builder_add_time (b, "unexpected_end_time", s->unexpected_end_us, tz);
      json_builder_set_member_name (b, "user_id");
      if (s->user_id != NULL)
        json_builder_add_string_value (b, s->user_id);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "vitals");
      if (obj != NULL && json_object_has_member (obj, "vitals"))
        json_builder_add_value (b, json_node_copy (json_object_get_member (obj, "vitals")));
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, total);
  json_builder_set_member_name (b, "offset");
  json_builder_add_int_value (b, offset);
  json_builder_set_member_name (b, "limit");
  json_builder_add_int_value (b, limit);
  json_builder_set_member_name (b, "order_by");
  json_builder_add_string_value (b, ascending ? "ASC" : "DESC");
  json_builder_set_member_name (b, "timezone");
  json_builder_add_string_value (b, tz_name);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  vital_server_json_respond (msg, SOUP_STATUS_OK, root);
  return;

fail:
  set_error_response (msg, error);
}

/* ---------------------------------------------------------------------------------------- */
/* Router                                                                                   */

static void
method_not_allowed (VitalServer       *self,
                    SoupServerMessage *msg,
                    const char        *allow)
{
  g_autoptr(GError) error = NULL;

  if (!vital_server_charge (self, msg, NULL, &error))
    {
      set_error_response (msg, error);
      return;
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  respond_new_error (msg, VITAL_SERVER_ERROR_METHOD_NOT_ALLOWED, NULL,
                     "%s is not allowed here; use %s", soup_server_message_get_method (msg),
                     allow);
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           data)
{
  VitalServer *self = data;
  const char *method = soup_server_message_get_method (msg);
  gboolean get = method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD;
  gboolean post = method == SOUP_METHOD_POST;
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (path, "/health") == 0)
    {
      if (get)
        handle_health (self, msg);
      else
        method_not_allowed (self, msg, "GET");
    }
  else if (g_strcmp0 (path, "/sdk/session/start") == 0)
    {
      if (post)
        handle_start (self, msg);
      else
        method_not_allowed (self, msg, "POST");
    }
  else if (g_strcmp0 (path, "/sdk/session/upload-complete") == 0)
    {
      if (post)
        handle_upload_complete (self, msg);
      else
        method_not_allowed (self, msg, "POST");
    }
  else if (g_strcmp0 (path, "/sdk/sessions") == 0)
    {
      if (get)
        handle_sessions (self, msg, query);
      else
        method_not_allowed (self, msg, "GET");
    }
  else if (match_session_path (path, "upload", &id))
    {
      if (method == SOUP_METHOD_PUT)
        handle_upload (self, msg, id);
      else
        method_not_allowed (self, msg, "PUT");
    }
  else if (match_session_path (path, "result", &id)
           || (g_str_has_prefix (path, "/sdk/session/result/")
               && strchr (path + strlen ("/sdk/session/result/"), '/') == NULL
               && (id = g_strdup (path + strlen ("/sdk/session/result/"))) != NULL))
    {
      if (get)
        handle_result (self, msg, id);
      else
        method_not_allowed (self, msg, "GET");
    }
  else
    {
      if (!vital_server_charge (self, msg, NULL, &error))
        set_error_response (msg, error);
      else
        respond_new_error (msg, VITAL_SERVER_ERROR_NOT_FOUND, NULL, "There is no endpoint %s",
                           path);
    }
}

/**
 * vital_server_routes_install:
 * @self: a #VitalServer
 *
 * Registers the /sdk and /health handlers (and the early upload handler) on the SoupServer.
 * The SoupServer is built with #SoupServer:raw-paths (a construct-only property): handlers see
 * the path as sent, GUri only normalising the escapes of unreserved characters. Otherwise
 * libsoup decodes it first and answers a bare 400 before any handler runs when that fails
 * (`%00`) or yields a `/../` segment, and a decoded `%2f` splits a session id in two. No route
 * needs a decoded path: session ids are plain UUIDs.
 */
void
vital_server_routes_install (VitalServer *self)
{
  /* Same (root) entry as the main handler: libsoup picks one entry per path prefix. */
  soup_server_add_early_handler (self->soup, NULL, early_handler, self, NULL);
  soup_server_add_handler (self->soup, NULL, handle_request, self, NULL);
}
