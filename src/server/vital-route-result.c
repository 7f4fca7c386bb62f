/* vital-route-result.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /sdk/session/{id}/result (and the older /sdk/session/result/{id}): one session's state
 * or result, delivered once.
 */
#include <math.h>

#include "vital-server-json.h"
#include "vital-server-routes.h"
#include "vital-timezone.h"

gboolean
vital_route_result (VitalServer        *self,
                    SoupServerMessage  *msg,
                    const VitalKeyInfo *key,
                    const char         *id,
                    GHashTable         *query,
                    GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(VitalSession) session = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *json = NULL;

  session = vital_request_owned_session (self, key, id, error);
  if (session == NULL)
    return FALSE;
  if (session->status == VITAL_SESSION_EXPIRED)
    {
      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SESSION_EXPIRED,
                   "Session %s expired before it was processed; start a new session", id);
      return FALSE;
    }
  if (session->status == VITAL_SESSION_COMPLETED)
    {
      json = vital_session_store_take_result (self->store, id, vital_clock_now_us (self->clock),
                                              &local_error);
      if (local_error != NULL)
        {
          /* Still held: the client asks again. */
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (json != NULL)
        {
          gsize len = strlen (json);

          soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
          soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                            g_steal_pointer (&json), len);
          return TRUE;
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
  vital_server_json_respond_object (msg, SOUP_STATUS_OK, b);
  return TRUE;
}
