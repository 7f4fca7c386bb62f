/* vital-server-spool.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where this node keeps uploaded payloads (its spool) and which sessions' payloads it holds:
 * shared by the routes, the cluster bookkeeping and maintenance, which never call each other;
 * and how a dialect hands a payload it received to the spool and the processor.
 */
#include <errno.h>
#include <glib/gstdio.h>

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

/**
 * vital_server_process_payload:
 * @self: a #VitalServer
 * @session_id: a pending session of the store, of a payload kind with a registered decoder
 *   (vital_server_register_payload_decoder())
 * @path: the session's payload, a file in this server's spool directory; it becomes the
 *   session's spooled payload (moved, never copied) or is deleted when not needed
 * @payload_bytes: its size
 * @error: return location for a #GError: %VITAL_SERVER_ERROR_SESSION_NOT_FOUND,
 *   %VITAL_SERVER_ERROR_SESSION_EXPIRED, %VITAL_SERVER_ERROR_ILLEGAL_TRANSITION (another upload
 *   came first), %VITAL_SERVER_ERROR_SERVICE_UNAVAILABLE (store away, shutting down)
 *
 * What a dialect does where the session API's upload and upload-complete do it: the session
 * is marked uploaded on this node and processing (atomically: of two nodes asking at once, one
 * wins), and its job queued on the node that holds the payload the store names (when two
 * nodes received one at once, the later upload's). From then on it is like any session:
 * processed by the worker pool, resumed after a restart, failed retryably if its node dies, and
 * its outcome recorded in the store. The file at @path may have been deleted by then.
 *
 * Returns: %TRUE when the job is queued
 */
gboolean
vital_server_process_payload (VitalServer  *self,
                              const char   *session_id,
                              const char   *path,
                              gint64        payload_bytes,
                              GError      **error)
{
  g_autofree char *payload_path = NULL;
  g_autoptr(VitalSession) processing = NULL;
  gint64 now;

  g_return_val_if_fail (VITAL_IS_SERVER (self), FALSE);
  g_return_val_if_fail (session_id != NULL && path != NULL, FALSE);

  if (!vital_session_id_is_valid (session_id))
    {
      g_unlink (path);
      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SESSION_NOT_FOUND,
                   "Session %s was not found", session_id);
      return FALSE;
    }
  /* In the spool under the session's name first: a restart then finds it (and resumes the
   * job, or maintenance deletes it once no session needs it). */
  payload_path = vital_server_payload_path (self, session_id);
  if (g_rename (path, payload_path) != 0)
    {
      int saved = errno;

      g_unlink (path);
      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INTERNAL,
                   "The payload could not be spooled: %s", g_strerror (saved));
      return FALSE;
    }
  now = vital_clock_now_us (self->clock);
  if (vital_session_store_mark_uploaded_on (self->store, session_id, payload_bytes,
                                            self->node_id, now, error))
    processing = vital_session_store_begin_processing_on (self->store, session_id,
                                                          self->node_id, now, error);
  if (processing == NULL)
    {
      g_autoptr(VitalSession) now_held = vital_session_store_get (self->store, session_id, now,
                                                                  NULL);

      /* Kept while the store says this node holds it (uploaded here, e.g. the store went away
       * in between): maintenance deletes it once no session needs it. */
      if (now_held == NULL || !vital_server_holds_payload (self, now_held))
        g_unlink (payload_path);
      return FALSE;
    }
  g_info ("session %s: processing", session_id);
  if (!vital_server_holds_payload (self, processing))
    {
      /* Another node's upload of the same session came in between and holds the payload the
       * store will process: it claims the job (vital-server-cluster.c); ours is not needed. */
      g_unlink (payload_path);
      return TRUE;
    }
  /* Shutting down: the job stays in the store, resumed by the next start. */
  return vital_processor_submit (self->processor, processing, payload_path, error);
}
