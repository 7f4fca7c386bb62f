/* vital-route-health.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /health: whether this node serves (not while shutting down, nor while a cluster node
 * cannot reach the shared database), for load balancers and monitors.
 */
#include "vital-config.h"
#include "vital-server-json.h"
#include "vital-server-routes.h"

gboolean
vital_route_health (VitalServer        *self,
                    SoupServerMessage  *msg,
                    const VitalKeyInfo *key,
                    const char         *id,
                    GHashTable         *query,
                    GError            **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gboolean unavailable;

  if (!vital_server_charge (self, msg, NULL, error))
    return FALSE;
  /* A cluster node that cannot reach the shared database cannot serve: the balancer should
   * send requests elsewhere. */
  unavailable = vital_session_store_is_shared (self->store)
                && !vital_session_store_is_available (self->store);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, g_atomic_int_get (&self->shutting_down) ? "shutting_down"
                                    : unavailable ? "database_unavailable" : "ok");
  vital_server_json_add_time (b, "timestamp", vital_clock_now_us (self->clock), NULL);
  json_builder_set_member_name (b, "service");
  json_builder_add_string_value (b, VITAL_SERVER_SERVICE_NAME);
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, VITAL_VERSION);
  vital_server_json_respond_object (msg, g_atomic_int_get (&self->shutting_down) || unavailable
                                         ? 503 : 200, b);
  return TRUE;
}
