/* vital-pg-store-cluster.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What VitalPgStore's nodes tell each other: the shared upload-signing secret, heartbeats,
 * processing jobs claimed by the node holding their payload (FOR UPDATE SKIP LOCKED), the jobs
 * of a node gone silent failed as lost, and LISTEN/NOTIFY on a connection of its own, watched
 * from a GMainContext, for finished sessions and new jobs.
 */
#include <string.h>
#include <glib-unix.h>

#include "vital-pg-store-private.h"
#include "vital-server-error.h"

#define LISTEN_RETRY_MS 1000

enum
{
  SECRET_OFFER,
  SECRET_GET,
  HEARTBEAT,
  CLAIM_JOBS,
  FAIL_LOST,
};

static const VitalStoreStatement statements[] = {
  /* The first node's candidate ($1, hex) is everyone's. */
  [SECRET_OFFER] = { "secret",
    "INSERT INTO cluster_secret (id, secret) VALUES (1, $1::bytea) "
    "ON CONFLICT (id) DO NOTHING" },
  [SECRET_GET] = { "secret", "SELECT encode(secret, 'hex') FROM cluster_secret WHERE id = 1" },
  [HEARTBEAT] = { "heartbeat",
    "INSERT INTO nodes (id, heartbeat_us) VALUES ($1, $2) "
    "ON CONFLICT (id) DO UPDATE SET heartbeat_us = EXCLUDED.heartbeat_us" },
  /* Each job once: a job another node is claiming is skipped, not waited for. */
  [CLAIM_JOBS] = { "claim",
    "UPDATE sessions SET claimed = true WHERE id IN ("
    "  SELECT id FROM sessions WHERE status = 'processing' AND payload_node = $1 "
    "  AND NOT claimed FOR UPDATE SKIP LOCKED) "
    "RETURNING " VITAL_SESSION_COLUMNS },
  /* $1 this node, $2 now, $3 the oldest heartbeat of a live node, $4 the error. */
  [FAIL_LOST] = { "fail lost",
    "WITH lost AS ("
    "  SELECT s.id FROM sessions s "
    "  WHERE s.status = 'processing' AND s.payload_node IS NOT NULL "
    "  AND s.payload_node <> $1 AND NOT EXISTS ("
    "    SELECT 1 FROM nodes n WHERE n.id = s.payload_node AND n.heartbeat_us > $3) "
    "  FOR UPDATE OF s SKIP LOCKED), "
    "gone AS ("
    "  UPDATE sessions s SET " VITAL_PG_FAIL_UNEXPECTEDLY ", error = $4, error_retryable = true "
    "  FROM lost WHERE s.id = lost.id AND s.status = 'processing' RETURNING s.id) "
    VITAL_PG_NOTIFY_DONE ("gone") },
};

static GBytes *
pg_share_secret (VitalSessionStore  *store,
                 GBytes             *candidate,
                 GError            **error)
{
  VitalPgStore *self = PG_STORE (store);
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GString) hex = g_string_new ("\\x");
  gsize len = 0;
  const guint8 *bytes = g_bytes_get_data (candidate, &len);
  const char *text;
  gsize text_len;
  guint8 *secret;

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);
  if (!vital_pg_run_ok (self, &statements[SECRET_OFFER],
                        VITAL_STORE_ARGS (vital_store_text (hex->str)), error))
    return NULL;
  res = vital_pg_run (self, &statements[SECRET_GET], NULL, error);
  if (res == NULL)
    return NULL;
  text = PQntuples (res) > 0 ? PQgetvalue (res, 0, 0) : "";
  text_len = strlen (text);
  if (text_len == 0 || text_len % 2 != 0)
    {
      g_set_error_literal (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                           "The cluster's upload secret in the database is unusable");
      return NULL;
    }
  secret = g_malloc (text_len / 2);
  for (gsize i = 0; i < text_len / 2; i++)
    secret[i] = (guint8) (g_ascii_xdigit_value (text[2 * i]) << 4
                          | g_ascii_xdigit_value (text[2 * i + 1]));
  return g_bytes_new_take (secret, text_len / 2);
}

static gboolean
pg_heartbeat (VitalSessionStore  *store,
              const char         *node_id,
              gint64              now_us,
              GError            **error)
{
  return vital_pg_run_ok (PG_STORE (store), &statements[HEARTBEAT],
                          VITAL_STORE_ARGS (vital_store_text (node_id), vital_store_int (now_us)),
                          error);
}

static GPtrArray *
pg_claim_jobs (VitalSessionStore  *store,
               const char         *node_id,
               gint64              now_us,
               GError            **error)
{
  const VitalStoreArgs *args = VITAL_STORE_ARGS (vital_store_text (node_id));
  g_autoptr(PGresult) res = vital_pg_run (PG_STORE (store), &statements[CLAIM_JOBS], args,
                                          error);

  return res != NULL ? vital_pg_rows_to_sessions (res) : NULL;
}

static GPtrArray *
pg_fail_lost (VitalSessionStore  *store,
              const char         *node_id,
              gint64              now_us,
              gint64              node_timeout_us,
              GError            **error)
{
  g_autoptr(PGresult) res = NULL;

  res = vital_pg_run (PG_STORE (store), &statements[FAIL_LOST],
                      VITAL_STORE_ARGS (vital_store_text (node_id), vital_store_int (now_us),
                                        vital_store_int (now_us - node_timeout_us),
                                        vital_store_text (VITAL_SESSION_LOST_MESSAGE)), error);
  return res != NULL ? vital_pg_rows_to_ids (res) : NULL;
}

/* ---- LISTEN/NOTIFY ----------------------------------------------------------------------- */

static void listen_start (VitalPgStore *self);

/* Destroys *@source (if any) and clears it. */
static void
clear_source (GSource **source)
{
  if (*source != NULL)
    g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
listen_stop (VitalPgStore *self)
{
  clear_source (&self->listen_source);
  clear_source (&self->retry_source);
  g_clear_pointer (&self->listen_conn, PQfinish);
}

static gboolean
listen_retry_cb (gpointer data)
{
  VitalPgStore *self = data;

  g_clear_pointer (&self->retry_source, g_source_unref);
  listen_start (self);
  if (self->listen_conn != NULL && self->watch_func != NULL)
    self->watch_func (VITAL_STORE_EVENT_RECONNECTED, NULL, self->watch_data);
  return G_SOURCE_REMOVE;
}

static void
listen_lost (VitalPgStore *self)
{
  clear_source (&self->listen_source);
  g_clear_pointer (&self->listen_conn, PQfinish);
  if (self->retry_source == NULL && self->watch_context != NULL)
    {
      self->retry_source = g_timeout_source_new (LISTEN_RETRY_MS);
      g_source_set_callback (self->retry_source, listen_retry_cb, self, NULL);
      g_source_attach (self->retry_source, self->watch_context);
    }
}

static gboolean
listen_readable_cb (int          fd,
                    GIOCondition condition,
                    gpointer     data)
{
  VitalPgStore *self = data;
  PGnotify *notify;

  if (!PQconsumeInput (self->listen_conn) || PQstatus (self->listen_conn) != CONNECTION_OK)
    {
      g_message ("The database notification connection was lost; polling until it is back");
      g_clear_pointer (&self->listen_source, g_source_unref);
      listen_lost (self);
      return G_SOURCE_REMOVE;
    }
  while ((notify = PQnotifies (self->listen_conn)) != NULL)
    {
      const char *extra = notify->extra != NULL ? notify->extra : "";

      if (self->watch_func != NULL)
        {
          if (g_str_has_prefix (extra, "done:"))
            self->watch_func (VITAL_STORE_EVENT_FINISHED, extra + 5, self->watch_data);
          else if (g_str_has_prefix (extra, "jobs:"))
            self->watch_func (VITAL_STORE_EVENT_JOBS, extra + 5, self->watch_data);
        }
      PQfreemem (notify);
    }
  return G_SOURCE_CONTINUE;
}

static void
listen_start (VitalPgStore *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) listening = NULL;
  PGconn *conn = vital_pg_connect (self->uri, &error);

  if (conn != NULL)
    listening = vital_pg_query_on (conn, "listen", "LISTEN " VITAL_PG_CHANNEL, &error);
  if (listening == NULL)
    {
      g_clear_pointer (&conn, PQfinish);
      g_debug ("LISTEN failed, retrying: %s", error->message);
      listen_lost (self);
      return;
    }
  self->listen_conn = conn;
  self->listen_source = g_unix_fd_source_new (PQsocket (conn), G_IO_IN | G_IO_ERR | G_IO_HUP);
  g_source_set_callback (self->listen_source, G_SOURCE_FUNC (listen_readable_cb), self, NULL);
  g_source_attach (self->listen_source, self->watch_context);
}

static void
pg_watch (VitalSessionStore   *store,
          GMainContext        *context,
          VitalStoreEventFunc  func,
          gpointer             user_data)
{
  VitalPgStore *self = PG_STORE (store);

  listen_stop (self);
  g_clear_pointer (&self->watch_context, g_main_context_unref);
  self->watch_func = NULL;
  self->watch_data = NULL;
  if (context == NULL || func == NULL)
    return;
  self->watch_context = g_main_context_ref (context);
  self->watch_func = func;
  self->watch_data = user_data;
  listen_start (self);
}

/* Stops listening, for the store's finalize. */
void
vital_pg_store_stop_listening (VitalPgStore *self)
{
  listen_stop (self);
  g_clear_pointer (&self->watch_context, g_main_context_unref);
}

void
vital_pg_store_install_cluster (VitalSessionStoreClass *store_class)
{
  store_class->share_secret = pg_share_secret;
  store_class->heartbeat = pg_heartbeat;
  store_class->claim_jobs = pg_claim_jobs;
  store_class->fail_lost = pg_fail_lost;
  store_class->watch = pg_watch;
}
