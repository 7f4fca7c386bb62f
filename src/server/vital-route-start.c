/* vital-route-start.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * POST /sdk/session/start: demographics, quota, a new session and its presigned upload URL.
 */
#include <math.h>
#include <string.h>

#include "vital-presign.h"
#include "vital-random.h"
#include "vital-server-json.h"
#include "vital-server-routes.h"
#include "vital-timezone.h"

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

gboolean
vital_route_start (VitalServer        *self,
                   SoupServerMessage  *msg,
                   const VitalKeyInfo *key,
                   const char         *path_id,
                   GHashTable         *query,
                   GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *tz_name = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *id = NULL;
  g_autofree char *url = NULL;
  VitalDemographics demographics;
  VitalSession session = { 0 };
  gint64 now = vital_clock_now_us (self->clock);
  gint64 expires_us;

  if (vital_request_refuse_if_shutting_down (self, msg))
    return TRUE;
  /* An empty body is no body: NULL without an error. */
  body = vital_request_parse_json_body (msg, TRUE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!parse_demographics (body, &demographics, error)
      || !vital_request_user_id (msg, &user_id, error))
    return FALSE;
  tz = vital_request_timezone (msg, &tz_name, error);
  if (tz == NULL)
    return FALSE;

  if (!vital_server_consume_quota (self, msg, key, error))
    return FALSE;

  id = vital_random_uuid (error);
  if (id == NULL)
    return FALSE;
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
  if (!vital_session_store_insert (self->store, &session, error))
    return FALSE;

  url = upload_url (self, msg, id, expires_us / G_USEC_PER_SEC);
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "session_id");
  json_builder_add_string_value (b, id);
  vital_server_json_add_time (b, "expires_at", expires_us, NULL);
  json_builder_set_member_name (b, "upload_url");
  json_builder_add_string_value (b, url);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "pending");
  json_builder_set_member_name (b, "environment");
  json_builder_add_string_value (b, vital_key_environment_to_string (key->environment));
  vital_server_json_respond_object (msg, SOUP_STATUS_OK, b);
  g_info ("session %s: pending", id);
  return TRUE;
}
