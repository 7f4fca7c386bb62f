/* vital-server-request.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every /sdk request goes through before its route's own work: the standard error
 * answers, rate limiting (per key or per address, one limit across a cluster), authentication,
 * refusal while shutting down, the JSON body, the `timezone` and `X-User-Id` headers, session
 * ownership and path matching.
 */
#include <string.h>

#include "vital-server-json.h"
#include "vital-server-routes.h"
#include "vital-timezone.h"

#define MAX_USER_ID 128

void
vital_request_respond_error (SoupServerMessage *msg,
                             const GError      *error)
{
  vital_server_json_respond_error (msg, error, NULL);
}

void
vital_request_refuse (SoupServerMessage *msg,
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
 * vital_server_authenticate:
 * @self: a #VitalServer
 * @msg: a request
 * @error: return location for a #GError (%VITAL_SERVER_ERROR_API_KEY_INVALID)
 *
 * Reads `X-API-Key` or `Authorization: Bearer` and looks the key up. Missing, malformed,
 * unknown and revoked keys all give the same error.
 *
 * Returns: (transfer full) (nullable): the key's info
 */
VitalKeyInfo *
vital_server_authenticate (VitalServer        *self,
                           SoupServerMessage  *msg,
                           GError            **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *key = soup_message_headers_get_one (headers, "X-API-Key");
  g_autofree char *bearer = NULL;
  VitalKeyInfo *info;

  if (key == NULL)
    {
      const char *auth = soup_message_headers_get_one (headers, "Authorization");

      if (auth != NULL && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
        {
          bearer = g_strstrip (g_strdup (auth + 7));
          key = bearer;
        }
    }
  info = vital_keys_lookup (self->keys, key);
  if (info == NULL)
    g_set_error_literal (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_API_KEY_INVALID,
                         "The API key is missing or invalid");
  return info;
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
VitalKeyInfo *
vital_request_authenticate (VitalServer        *self,
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

gboolean
vital_request_refuse_if_shutting_down (VitalServer        *self,
                                       SoupServerMessage  *msg)
{
  if (!g_atomic_int_get (&self->shutting_down))
    return FALSE;
  vital_request_refuse (msg, VITAL_SERVER_ERROR_SERVICE_UNAVAILABLE, NULL,
                        "The server is shutting down; retry shortly");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Retry-After", "5");
  return TRUE;
}

JsonNode *
vital_request_parse_json_body (SoupServerMessage  *msg,
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
  if (len > VITAL_REQUEST_MAX_JSON_BODY)
    {
      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_PAYLOAD_TOO_LARGE,
                   "The JSON body is larger than %u bytes", VITAL_REQUEST_MAX_JSON_BODY);
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
GTimeZone *
vital_request_timezone (SoupServerMessage  *msg,
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

/**
 * vital_request_api_session:
 * @self: a #VitalServer
 * @id: (nullable): a session id from a request
 * @now_us: the current time
 * @error: return location for a #GError (SESSION_NOT_FOUND, or the store's)
 *
 * Reads a session of the session API. A dialect's session (a /v1 video) is not one of this
 * API's: here it does not exist.
 *
 * Returns: (transfer full) (nullable): the session
 */
VitalSession *
vital_request_api_session (VitalServer  *self,
                           const char   *id,
                           gint64        now_us,
                           GError      **error)
{
  g_autoptr(VitalSession) session = NULL;

  if (vital_session_id_is_valid (id))
    session = vital_session_store_get (self->store, id, now_us, error);
  else
    g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SESSION_NOT_FOUND,
                 "Session %s was not found", id != NULL ? id : "(none)");
  if (session != NULL
      && !g_str_equal (vital_session_get_payload_kind (session), VITAL_PAYLOAD_KIND_TENSOR))
    {
      g_clear_pointer (&session, vital_session_free);
      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SESSION_NOT_FOUND,
                   "Session %s was not found", id);
    }
  return g_steal_pointer (&session);
}

VitalSession *
vital_request_owned_session (VitalServer         *self,
                             const VitalKeyInfo  *key,
                             const char          *id,
                             GError             **error)
{
  g_autoptr(VitalSession) session = NULL;

  session = vital_request_api_session (self, id, vital_clock_now_us (self->clock), error);
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

gboolean
vital_request_user_id (SoupServerMessage  *msg,
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

/**
 * vital_request_match_path:
 * @path: a request path as sent (raw: see vital_server_routes_install())
 * @pattern: a path with one `{id}` segment, e.g. `/sdk/session/{id}/upload`
 * @out_id: (out) (transfer full): the text standing for `{id}`, on a match
 *
 * Matches @path against @pattern; `{id}` stands for one non-empty segment (no `/`).
 *
 * Returns: %TRUE when @path matches
 */
gboolean
vital_request_match_path (const char  *path,
                          const char  *pattern,
                          char       **out_id)
{
  const char *hole = strstr (pattern, "{id}");
  gsize prefix_len = (gsize) (hole - pattern);
  const char *suffix = hole + strlen ("{id}");
  gsize path_len = strlen (path);
  gsize suffix_len = strlen (suffix);
  gsize id_len;

  if (path_len <= prefix_len + suffix_len || strncmp (path, pattern, prefix_len) != 0
      || strcmp (path + path_len - suffix_len, suffix) != 0)
    return FALSE;
  id_len = path_len - prefix_len - suffix_len;
  if (memchr (path + prefix_len, '/', id_len) != NULL)
    return FALSE;
  *out_id = g_strndup (path + prefix_len, id_len);
  return TRUE;
}
