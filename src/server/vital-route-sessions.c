/* vital-route-sessions.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /sdk/sessions: a key's history, filtered by user and date in the caller's time zone,
 * paged.
 */
#include <string.h>

#include "vital-server-json.h"
#include "vital-server-routes.h"
#include "vital-timezone.h"

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

gboolean
vital_route_sessions (VitalServer        *self,
                      SoupServerMessage  *msg,
                      const VitalKeyInfo *key,
                      const char         *id,
                      GHashTable         *query,
                      GError            **error)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *tz_name = NULL;
  g_autofree char *user_id = NULL;
  const char *order = NULL;
  const char *date;
  gint64 from_us = G_MININT64, to_us = G_MAXINT64;
  gboolean ascending = FALSE;
  guint offset, limit, total = 0;

  tz = vital_request_timezone (msg, &tz_name, error);
  if (tz == NULL)
    return FALSE;
  if (!vital_request_user_id (msg, &user_id, error) || !check_query (msg, error))
    return FALSE;

  date = query != NULL ? g_hash_table_lookup (query, "date_gte") : NULL;
  if (date != NULL && !parse_date (date, tz, FALSE, &from_us))
    {
      g_set_error_literal (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
                           "date_gte must be a date like 2026-11-23");
      return FALSE;
    }
  date = query != NULL ? g_hash_table_lookup (query, "date_lte") : NULL;
  if (date != NULL && !parse_date (date, tz, TRUE, &to_us))
    {
      g_set_error_literal (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
                           "date_lte must be a date like 2026-11-23");
      return FALSE;
    }
  if (from_us > to_us)
    {
      g_set_error_literal (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
                           "date_gte is after date_lte");
      return FALSE;
    }
  if (query != NULL)
    order = g_hash_table_lookup (query, "order_by");
  if (order != NULL)
    {
      if (g_ascii_strcasecmp (order, "ASC") == 0)
        ascending = TRUE;
      else if (g_ascii_strcasecmp (order, "DESC") != 0)
        {
          g_set_error_literal (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
                               "order_by must be ASC or DESC");
          return FALSE;
        }
    }
  if (!parse_uint_param (query, "offset", 0, G_MAXINT32, &offset, error)
      || !parse_uint_param (query, "limit", 20, 100, &limit, error))
    return FALSE;

  /* The history lists this API's sessions: a dialect's (e.g. /v1 videos) are its own. */
  sessions = vital_session_store_list (self->store, key->key_id, VITAL_PAYLOAD_KIND_TENSOR,
                                       user_id, from_us, to_us, ascending, offset, limit,
                                       vital_clock_now_us (self->clock), &results, &total,
                                       error);
  if (sessions == NULL)
    return FALSE;

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
      vital_server_json_add_time (b, "start_time", s->created_us, tz);
      vital_server_json_add_time (b, "end_time", s->ended_us, tz);
      json_builder_set_member_name (b, "created_timezone");
      json_builder_add_string_value (b, s->created_timezone);
      vital_server_json_add_time (b, "unexpected_end_time", s->unexpected_end_us, tz);
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
  vital_server_json_respond_object (msg, SOUP_STATUS_OK, b);
  return TRUE;
}
