/* vital-pg-store.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalPgStore: the VitalSessionStore of a cluster, in PostgreSQL through libpq. This file owns
 * the object, its schema (versioned migrations, applied under an advisory lock) and the SQL of
 * what both back ends run alike; the pool and statements are in vital-pg-store-pool.c, the
 * session rows in vital-pg-store-sessions.c, the counters in vital-pg-store-counters.c and what
 * the nodes tell each other in vital-pg-store-cluster.c. Each change that must be exact across
 * nodes is one atomic statement.
 */
#include "vital-pg-store-private.h"
#include "vital-server-error.h"

#define MIGRATION_LOCK "7415160001"  /* pg_advisory_xact_lock key: one migrating node at once */

G_DEFINE_FINAL_TYPE (VitalPgStore, vital_pg_store, VITAL_TYPE_SESSION_STORE)

/* Versioned migrations, applied in order inside one transaction under an advisory lock. */
static const struct
{
  int         version;
  const char *sql;
} migrations[] = {
  { 1,
    "CREATE TABLE sessions ("
    "  id text PRIMARY KEY,"
    "  key_id text NOT NULL,"
    "  user_id text,"
    "  environment integer NOT NULL,"
    "  status text NOT NULL,"
    "  created_us bigint NOT NULL,"
    "  expires_us bigint NOT NULL,"
    "  uploaded_us bigint NOT NULL DEFAULT 0,"
    "  ended_us bigint NOT NULL DEFAULT 0,"
    "  unexpected_end_us bigint NOT NULL DEFAULT 0,"
    "  created_timezone text NOT NULL DEFAULT 'UTC',"
    "  age integer NOT NULL DEFAULT 0,"
    "  sex integer NOT NULL DEFAULT 0,"
    "  fitzpatrick integer NOT NULL DEFAULT 0,"
    "  payload_bytes bigint NOT NULL DEFAULT 0,"
    "  error text,"
    "  processing_time_ms double precision NOT NULL DEFAULT 0,"
    "  result_json text,"
    "  result_expires_us bigint NOT NULL DEFAULT 0,"
    "  result_once boolean NOT NULL DEFAULT false"
    ");"
    "CREATE INDEX sessions_key_created ON sessions (key_id, created_us);"
    "CREATE INDEX sessions_status_expires ON sessions (status, expires_us);"
    "CREATE TABLE quota ("
    "  key_id text NOT NULL,"
    "  month text NOT NULL,"
    "  used bigint NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (key_id, month)"
    ");" },
  { 2,
    /* Clusters: who holds each payload, job claims, node heartbeats, shared rate windows and
     * the upload-signing secret every node must share. */
    "ALTER TABLE sessions ADD COLUMN payload_node text;"
    "ALTER TABLE sessions ADD COLUMN claimed boolean NOT NULL DEFAULT false;"
    "ALTER TABLE sessions ADD COLUMN error_retryable boolean NOT NULL DEFAULT false;"
    "CREATE INDEX sessions_jobs ON sessions (payload_node) WHERE status = 'processing';"
    "CREATE INDEX sessions_results ON sessions (result_expires_us) "
    "  WHERE result_json IS NOT NULL;"
    "CREATE TABLE nodes ("
    "  id text PRIMARY KEY,"
    "  heartbeat_us bigint NOT NULL"
    ");"
    "CREATE TABLE rate_windows ("
    "  bucket text PRIMARY KEY,"
    "  window_start bigint NOT NULL,"
    "  count integer NOT NULL"
    ");"
    "CREATE TABLE cluster_secret ("
    "  id integer PRIMARY KEY CHECK (id = 1),"
    "  secret bytea NOT NULL"
    ");" },
  { 3,
    /* What a session's payload is: the session API's tensor, or a dialect's (a /v1 video). */
    "ALTER TABLE sessions ADD COLUMN payload_kind text NOT NULL DEFAULT 'tensor';" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == VITAL_PG_STORE_SCHEMA_VERSION);

/* What the vfuncs both back ends share run here (see vital-session-store-private.h). */
static const VitalStoreSql shared_sql = {
  vital_pg_run_rows, {
    [VITAL_STORE_SQL_INSERT] = { "insert",
      VITAL_SESSION_INSERT ("$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
                            "$16, $17, $18, $19, $20") },
    [VITAL_STORE_SQL_ABANDON] = { "abandon",
      "WITH gone AS ("
      "  UPDATE sessions SET " VITAL_PG_FAIL_UNEXPECTEDLY ", error = $3, error_retryable = $4 "
      "  WHERE id = $1 AND status = 'processing' RETURNING id) "
      VITAL_PG_NOTIFY_DONE ("gone") },
    [VITAL_STORE_SQL_LIST_IDS] = { "list ids",
      "SELECT id FROM sessions WHERE status = $1 AND ($2::text IS NULL OR payload_node = $2)" },
    [VITAL_STORE_SQL_COUNT_RESULTS] = { "count",
      "SELECT count(*) FROM sessions WHERE result_json IS NOT NULL" },
    [VITAL_STORE_SQL_QUOTA_USED] = { "quota",
      "SELECT used FROM quota WHERE key_id = $1 AND month = $2" },
  }
};

/* ---- Schema ------------------------------------------------------------------------------ */

#define SCHEMA_VERSION_SQL "SELECT coalesce(max(version), 0) FROM schema_version"

static const VitalStoreStatement schema_version = { "schema version", SCHEMA_VERSION_SQL };

/* Empties every table but the schema's (for tests). */
static const VitalStoreStatement reset = {
  "reset", "TRUNCATE sessions, quota, rate_windows, nodes, cluster_secret"
};

/* What a migration starts with: its transaction, the lock that makes nodes starting at once
 * migrate one after another, and the table that records the versions applied. */
static const char *const migration_begin[] = {
  "BEGIN",
  "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK ")",
  "CREATE TABLE IF NOT EXISTS schema_version ("
  "  version integer NOT NULL,"
  "  applied_at timestamptz NOT NULL DEFAULT now())",
};

/* Runs one statement of a migration. */
static gboolean
migrate_step (PGconn      *conn,
              const char  *sql,
              GError     **error)
{
  g_autoptr(PGresult) res = vital_pg_query_on (conn, "migrate", sql, error);

  return res != NULL;
}

static gboolean
migrate (VitalPgStore  *self,
         GError       **error)
{
  PGconn *conn = vital_pg_acquire (self, error);
  g_autoptr(PGresult) res = NULL;
  gboolean ok = FALSE;
  int current = 0;

  if (conn == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (migration_begin); i++)
    if (!migrate_step (conn, migration_begin[i], error))
      goto out;
  res = vital_pg_query_on (conn, "schema version", SCHEMA_VERSION_SQL, error);
  if (res == NULL)
    goto out;
  current = (int) vital_pg_int_value (res, 0, 0);
  if (current > VITAL_PG_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                   "The database has schema version %d, newer than this server's %d; "
                   "upgrade the server", current, VITAL_PG_STORE_SCHEMA_VERSION);
      goto out;
    }
  for (guint i = 0; i < G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *record = NULL;

      if (migrations[i].version <= current)
        continue;
      record = g_strdup_printf ("INSERT INTO schema_version (version) VALUES (%d)",
                                migrations[i].version);
      if (!migrate_step (conn, migrations[i].sql, error)
          || !migrate_step (conn, record, error))
        goto out;
      g_info ("database schema migrated to version %d", migrations[i].version);
    }
  ok = migrate_step (conn, "COMMIT", error);
out:
  if (!ok && PQstatus (conn) == CONNECTION_OK)
    migrate_step (conn, "ROLLBACK", NULL);
  vital_pg_release (self, conn);
  return ok;
}

/* ---- Object ------------------------------------------------------------------------------ */

static void
vital_pg_store_finalize (GObject *object)
{
  VitalPgStore *self = PG_STORE (object);

  vital_pg_store_stop_listening (self);
  g_clear_pointer (&self->idle, g_ptr_array_unref);
  g_free (self->uri);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (vital_pg_store_parent_class)->finalize (object);
}

static void
vital_pg_store_class_init (VitalPgStoreClass *klass)
{
  VitalSessionStoreClass *store_class = VITAL_SESSION_STORE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = vital_pg_store_finalize;
  store_class->shared = TRUE;
  store_class->is_available = vital_pg_store_is_available;
  vital_session_store_class_install_sql (store_class, &shared_sql);

  vital_pg_store_install_sessions (store_class);
  vital_pg_store_install_counters (store_class);
  vital_pg_store_install_cluster (store_class);
}

static void
vital_pg_store_init (VitalPgStore *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->idle = g_ptr_array_new_with_free_func ((GDestroyNotify) PQfinish);
  self->available = TRUE;
}

/**
 * vital_pg_store_new:
 * @uri: a libpq connection URI, `postgresql://user@host:port/dbname?…` (the password, if
 *   any, is better kept in `~/.pgpass` or `PGPASSWORD` than in the URI)
 * @connections: the most connections the pool opens (at least 1; the listener has its own)
 * @error: return location for a #GError (%VITAL_SERVER_ERROR_CONFIG when the database cannot
 *   be reached or migrated at startup)
 *
 * Connects, and creates or migrates the schema (versioned, in `schema_version`; nodes starting
 * at once migrate one after another).
 *
 * Returns: (transfer full) (nullable): the store
 */
VitalPgStore *
vital_pg_store_new (const char  *uri,
                    guint        connections,
                    GError     **error)
{
  g_autoptr(VitalPgStore) self = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (uri != NULL, NULL);

  self = g_object_new (VITAL_TYPE_PG_STORE, NULL);
  self->uri = g_strdup (uri);
  self->max_open = MAX (connections, 1);
  if (!migrate (self, &local_error))
    {
      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                   "Cannot use the PostgreSQL database: %s", local_error->message);
      return NULL;
    }
  return g_steal_pointer (&self);
}

/**
 * vital_pg_store_get_schema_version:
 * @self: a #VitalPgStore
 * @error: return location for a #GError
 *
 * Returns: the schema version the database is at, or -1 on error
 */
int
vital_pg_store_get_schema_version (VitalPgStore  *self,
                                   GError       **error)
{
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (VITAL_IS_PG_STORE (self), -1);
  res = vital_pg_run (self, &schema_version, NULL, error);
  return res != NULL ? (int) vital_pg_int_value (res, 0, 0) : -1;
}

/**
 * vital_pg_store_reset:
 * @self: a #VitalPgStore
 * @error: return location for a #GError
 *
 * Deletes every session, counter, node and the shared secret (the schema stays). For tests
 * that reuse one database; never called by the server.
 *
 * Returns: %TRUE on success
 */
gboolean
vital_pg_store_reset (VitalPgStore  *self,
                      GError       **error)
{
  g_return_val_if_fail (VITAL_IS_PG_STORE (self), FALSE);
  return vital_pg_run_ok (self, &reset, NULL, error);
}
