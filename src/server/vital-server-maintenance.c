/* vital-server-maintenance.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a VitalServer does apart from answering requests: the periodic maintenance pass (expiry,
 * result purges, spooled payloads and early decodes no session needs) and, at startup, taking
 * back the jobs a previous instance of this node left in processing.
 */
#include <string.h>
#include <glib/gstdio.h>

#include "vital-server-private.h"

/* Spooled payloads that no session can be processed from any more. */
static guint
delete_unneeded_payloads (VitalServer *self,
                          gint64       now)
{
  g_autoptr(GDir) dir = g_dir_open (self->spool_dir, 0, NULL);
  const char *name;
  guint changed = 0;

  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (self->spool_dir, name, NULL);
      g_autofree char *id = NULL;
      g_autoptr(VitalSession) session = NULL;
      g_autoptr(GError) error = NULL;

      if (!g_str_has_suffix (name, ".payload"))
        continue;
      id = g_strndup (name, strlen (name) - strlen (".payload"));
      session = vital_session_store_get (self->store, id, now, &error);
      /* While the store is unreachable nothing is known: keep the file. */
      if (session == NULL && !g_error_matches (error, VITAL_SERVER_ERROR,
                                               VITAL_SERVER_ERROR_SESSION_NOT_FOUND))
        continue;
      if (session == NULL || !vital_server_holds_payload (self, session))
        {
          if (g_unlink (path) == 0)
            changed++;
        }
    }
  return changed;
}

/**
 * vital_server_run_maintenance:
 * @self: a #VitalServer
 *
 * Expires overdue sessions, purges results past their TTL and deletes spooled payloads that
 * no session needs any more (expired sessions, abandoned partial uploads), for every dialect:
 * their sessions are all the store's. Runs every maintenance interval on the server thread;
 * tests call it after moving the clock.
 *
 * Returns: the number of things changed or deleted
 */
guint
vital_server_run_maintenance (VitalServer *self)
{
  gint64 now = vital_clock_now_us (self->clock);
  guint changed;

  changed = vital_session_store_maintain (self->store, now);

  /* Decoded payloads held in memory for sessions that can no longer be processed. */
  {
    g_autoptr(GPtrArray) prepared = vital_processor_dup_prepared_ids (self->processor);

    for (guint i = 0; i < prepared->len; i++)
      {
        const char *id = prepared->pdata[i];
        g_autoptr(GError) error = NULL;
        g_autoptr(VitalSession) session = vital_session_store_get (self->store, id, now, &error);

        if (session == NULL && !g_error_matches (error, VITAL_SERVER_ERROR,
                                                 VITAL_SERVER_ERROR_SESSION_NOT_FOUND))
          continue;
        if (session == NULL || !vital_server_holds_payload (self, session))
          {
            vital_processor_forget (self->processor, id);
            changed++;
          }
      }
  }

  changed += delete_unneeded_payloads (self, now);
  return changed;
}

/**
 * vital_server_requeue_processing:
 * @self: a #VitalServer
 *
 * At startup: sessions left in `processing` by a previous instance (of this node, in a
 * cluster) are queued again when their payload is still spooled, and failed otherwise.
 * Leftover partial uploads are deleted.
 */
void
vital_server_requeue_processing (VitalServer *self)
{
  g_autoptr(GPtrArray) ids = vital_session_store_list_node_ids (self->store,
                                                                VITAL_SESSION_PROCESSING,
                                                                self->node_id, NULL);
  g_autoptr(GDir) dir = g_dir_open (self->spool_dir, 0, NULL);
  gint64 now = vital_clock_now_us (self->clock);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".part"))
      {
        g_autofree char *path = g_build_filename (self->spool_dir, name, NULL);

        g_unlink (path);
      }

  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      const char *id = ids->pdata[i];
      g_autofree char *path = vital_server_payload_path (self, id);
      g_autoptr(VitalSession) session = vital_session_store_get (self->store, id, now, NULL);
      g_autoptr(GError) error = NULL;

      if (session == NULL)
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR)
          && vital_processor_submit (self->processor, session, path, &error))
        {
          g_info ("session %s: resumed", id);
          continue;
        }
      if (vital_session_store_is_shared (self->store))
        vital_session_store_abandon_retryable (self->store, id, VITAL_SESSION_LOST_MESSAGE, now,
                                               NULL);
      else
        vital_session_store_abandon (self->store, id,
                                     "The server restarted before this session was processed; "
                                     "start a new session", now, NULL);
      g_info ("session %s: failed", id);
    }
}

