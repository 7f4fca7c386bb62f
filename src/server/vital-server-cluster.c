/* vital-server-cluster.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a VitalServer does as one node of a cluster sharing a PostgreSQL store, all on the
 * server thread: it listens for the store's notifications (results finished on any node, jobs
 * left for this node), and every node_poll_ms, whether or not a notification came, it sends
 * its heartbeat, claims the jobs whose payload it holds, answers the upload-complete requests
 * it waits for whose outcome is in, fails the jobs of nodes that stopped (their payloads died
 * with them: retryable) and fails its own jobs that no worker runs any more. With a
 * single-process (SQLite) store none of this runs.
 */
#include "vital-server-private.h"

/* Answers the waiting upload-complete request of @id when the store has its outcome. */
static void
check_waiter (VitalServer *self,
              const char  *id)
{
  g_autoptr(VitalSession) session = NULL;

  if (!vital_server_routes_has_waiter (self, id))
    return;
  session = vital_session_store_get (self->store, id, vital_clock_now_us (self->clock), NULL);
  if (session == NULL)
    return;  /* unreachable now: the next poll looks again, the inline budget bounds it */
  if (session->status == VITAL_SESSION_COMPLETED)
    vital_server_routes_answer_waiter (self, id, TRUE, FALSE, NULL);
  else if (session->status == VITAL_SESSION_FAILED)
    vital_server_routes_answer_waiter (self, id, FALSE, session->retryable, session->error);
}

static void
check_all_waiters (VitalServer *self)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->waiters);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (ids, g_strdup (key));
  for (guint i = 0; i < ids->len; i++)
    check_waiter (self, ids->pdata[i]);
}

/**
 * vital_server_cluster_claim:
 * @self: a #VitalServer with a shared store
 *
 * Claims the jobs other nodes' upload-complete left for this node and queues them (server
 * thread). A job whose payload is not in the spool any more is failed, retryably.
 */
void
vital_server_cluster_claim (VitalServer *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  gint64 now = vital_clock_now_us (self->clock);

  if (g_atomic_int_get (&self->shutting_down))
    return;  /* left claimable: a restarted node (or the failover) takes them */
  jobs = vital_session_store_claim_jobs (self->store, self->node_id, now, &error);
  if (jobs == NULL)
    return;
  for (guint i = 0; i < jobs->len; i++)
    {
      VitalSession *session = jobs->pdata[i];
      g_autofree char *path = vital_server_payload_path (self, session->id);
      g_autoptr(GError) submit_error = NULL;

      if (vital_processor_has_job (self->processor, session->id))
        continue;  /* resumed at startup already */
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR)
          && vital_processor_submit (self->processor, session, path, &submit_error))
        {
          g_info ("session %s: claimed", session->id);
          continue;
        }
      vital_session_store_abandon_retryable (self->store, session->id,
                                             VITAL_SESSION_LOST_MESSAGE, now, NULL);
      g_info ("session %s: claimed without its payload; failed", session->id);
    }
}

/* This node's own processing sessions that no worker runs (their outcome could not be
 * recorded while the database was away, or a claim was lost) are failed, retryably, once they
 * were seen so on two polls in a row: a job claimed in between is running by the second. */
static void
sweep_orphans (VitalServer *self,
               gint64       now)
{
  g_autoptr(GPtrArray) ids = vital_session_store_list_node_ids (self->store,
                                                                VITAL_SESSION_PROCESSING,
                                                                self->node_id, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (ids == NULL)
    return;
  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = ids->pdata[i];

      if (vital_processor_has_job (self->processor, id))
        continue;
      if (g_hash_table_contains (self->orphan_candidates, id))
        {
          vital_session_store_abandon_retryable (self->store, id, VITAL_SESSION_LOST_MESSAGE,
                                                 now, NULL);
          g_info ("session %s: no worker ran it; failed", id);
          check_waiter (self, id);
          continue;
        }
      g_hash_table_add (seen, g_strdup (id));
    }
  g_hash_table_unref (self->orphan_candidates);
  self->orphan_candidates = g_steal_pointer (&seen);
}

static gboolean
cluster_tick (gpointer data)
{
  VitalServer *self = data;
  g_autoptr(GError) error = NULL;
  gint64 now = vital_clock_now_us (self->clock);
  gint64 timeout_us = (gint64) MAX (self->config->node_timeout_s, 1) * G_USEC_PER_SEC;

  if (!vital_session_store_heartbeat (self->store, self->node_id, now, &error))
    {
      self->heartbeat_ok_since = 0;
      return G_SOURCE_CONTINUE;  /* database away: requests get 503 meanwhile */
    }
  if (self->heartbeat_ok_since == 0)
    self->heartbeat_ok_since = g_get_monotonic_time ();

  vital_server_cluster_claim (self);
  /* After an outage every node needs a node timeout of heartbeats before silence means death:
   * until then, no one's jobs are taken for lost. */
  if (g_get_monotonic_time () - self->heartbeat_ok_since >= timeout_us)
    {
      g_autoptr(GPtrArray) lost = vital_session_store_fail_lost (self->store, self->node_id,
                                                                 now, timeout_us, NULL);

      for (guint i = 0; lost != NULL && i < lost->len; i++)
        g_info ("session %s: its node stopped; failed as lost", (char *) lost->pdata[i]);
    }
  sweep_orphans (self, now);
  check_all_waiters (self);
  return G_SOURCE_CONTINUE;
}

static void
on_store_event (VitalStoreEvent  event,
                const char      *subject,
                gpointer         user_data)
{
  VitalServer *self = user_data;

  switch (event)
    {
    case VITAL_STORE_EVENT_FINISHED:
      check_waiter (self, subject);
      break;
    case VITAL_STORE_EVENT_JOBS:
      if (g_strcmp0 (subject, self->node_id) == 0)
        vital_server_cluster_claim (self);
      break;
    case VITAL_STORE_EVENT_RECONNECTED:
      vital_server_cluster_claim (self);
      check_all_waiters (self);
      break;
    default:
      break;
    }
}

/**
 * vital_server_cluster_start:
 * @self: a #VitalServer, on its server thread once it listens
 *
 * With a shared store: sends the first heartbeat, starts listening for the store's
 * notifications and polling. Nothing with a single-process store.
 */
void
vital_server_cluster_start (VitalServer *self)
{
  GSource *source;

  if (!vital_session_store_is_shared (self->store))
    return;
  self->heartbeat_ok_since = 0;
  vital_session_store_watch (self->store, self->context, on_store_event, self);
  cluster_tick (self);
  source = g_timeout_source_new (MAX (self->config->node_poll_ms, 10));
  g_source_set_callback (source, cluster_tick, self, NULL);
  self->cluster_source_id = g_source_attach (source, self->context);
  g_source_unref (source);
}

/**
 * vital_server_cluster_stop:
 * @self: a #VitalServer, on its server thread as it stops
 *
 * Stops polling and listening. The node's row stays: a node restarted within the node
 * timeout takes its jobs back; one that does not come back has them failed as lost.
 */
void
vital_server_cluster_stop (VitalServer *self)
{
  if (self->cluster_source_id != 0)
    {
      GSource *source = g_main_context_find_source_by_id (self->context,
                                                          self->cluster_source_id);

      if (source != NULL)
        g_source_destroy (source);
      self->cluster_source_id = 0;
    }
  if (vital_session_store_is_shared (self->store))
    vital_session_store_watch (self->store, NULL, NULL, NULL);
}
