/* vital-server-spool.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where this node keeps uploaded payloads (its spool) and which sessions' payloads it holds:
 * shared by the routes, the cluster bookkeeping and maintenance, which never call each other.
 */
#include "vital-server-private.h"

/**
 * vital_server_payload_path:
 * @self: a #VitalServer
 * @session_id: a valid session id
 *
 * Returns: (transfer full): the spool path of the session's payload
 */
char *
vital_server_payload_path (VitalServer *self,
                           const char  *session_id)
{
  g_autofree char *name = g_strconcat (session_id, ".payload", NULL);

  return g_build_filename (self->spool_dir, name, NULL);
}

/**
 * vital_server_holds_payload:
 * @self: a #VitalServer
 * @session: a session
 *
 * Returns: %TRUE when @session is uploaded or processing with its payload in this node's
 *   spool (in a cluster, a re-upload through another node moves it there)
 */
gboolean
vital_server_holds_payload (VitalServer        *self,
                            const VitalSession *session)
{
  if (session->status != VITAL_SESSION_UPLOADED && session->status != VITAL_SESSION_PROCESSING)
    return FALSE;
  return !vital_session_store_is_shared (self->store) || session->payload_node == NULL
         || g_strcmp0 (session->payload_node, self->node_id) == 0;
}
