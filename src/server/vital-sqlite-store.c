/* vital-sqlite-store.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalSqliteStore: the embedded VitalSessionStore (the default of the app, the CLI and a lone
 * server), one SQLite connection guarded by a mutex. Every result is kept in the database
 * until its TTL, so a restart loses none; one that is not persisted is deleted the
 * moment it is delivered. Whatever deletes a result (delivery, TTL purge) also overwrites its
 * bytes (secure_delete) and checkpoints and truncates the WAL, so no copy stays on disk.
 */
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "vital-server-error.h"
#include "vital-session-store-private.h"
#include "vital-sqlite-store.h"

struct _VitalSqliteStore
{
  VitalSessionStore parent_instance;
  GMutex            mutex;
  sqlite3          *db;
};

G_DEFINE_FINAL_TYPE (VitalSqliteStore, vital_sqlite_store, VITAL_TYPE_SESSION_STORE)

#define SQLITE_STORE(obj) ((VitalSqliteStore *) (obj))

/* Version 1: the schema from before versions were recorded (PRAGMA user_version 0). A store
 * that old may lack the columns added to it since (ensure_column() adds them). */
static const char schema_v1[] =
  "CREATE TABLE IF NOT EXISTS sessions ("
  "  id TEXT PRIMARY KEY,"
  "  key_id TEXT NOT NULL,"
  "  user_id TEXT,"
  "  environment INTEGER NOT NULL,"
  "  status TEXT NOT NULL,"
  "  created_us INTEGER NOT NULL,"
  "  expires_us INTEGER NOT NULL,"
  "  uploaded_us INTEGER NOT NULL DEFAULT 0,"
  "  ended_us INTEGER NOT NULL DEFAULT 0,"
  "  unexpected_end_us INTEGER NOT NULL DEFAULT 0,"
  "  created_timezone TEXT NOT NULL DEFAULT 'UTC',"
  "  age INTEGER NOT NULL DEFAULT 0,"
  "  sex INTEGER NOT NULL DEFAULT 0,"
  "  fitzpatrick INTEGER NOT NULL DEFAULT 0,"
  "  payload_bytes INTEGER NOT NULL DEFAULT 0,"
  "  error TEXT,"
  "  processing_time_ms REAL NOT NULL DEFAULT 0,"
  "  result_json TEXT,"
  "  result_expires_us INTEGER NOT NULL DEFAULT 0,"
  "  result_once INTEGER NOT NULL DEFAULT 0,"
  "  payload_node TEXT,"
  "  error_retryable INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX IF NOT EXISTS sessions_key_created ON sessions (key_id, created_us);"
  "CREATE INDEX IF NOT EXISTS sessions_status_expires ON sessions (status, expires_us);"
  "CREATE TABLE IF NOT EXISTS quota ("
  "  key_id TEXT NOT NULL,"
  "  month TEXT NOT NULL,"
  "  used INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (key_id, month)"
  ");";

/* Versioned migrations after version 1, applied in order in one transaction; the store's
 * version is its PRAGMA user_version (VITAL_SQLITE_STORE_SCHEMA_VERSION once migrated). */
static const struct
{
  int         version;
  const char *sql;
} migrations[] = {
  { 2,
    /* What a session's payload is: the session API's tensor, or a dialect's (a /v1 video). */
    "ALTER TABLE sessions ADD COLUMN payload_kind TEXT NOT NULL DEFAULT 'tensor';" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) + 1 == VITAL_SQLITE_STORE_SCHEMA_VERSION);

static void
vital_sqlite_store_finalize (GObject *object)
{
  VitalSqliteStore *self = SQLITE_STORE (object);

  g_clear_pointer (&self->db, sqlite3_close);
  g_mutex_clear (&self->mutex);
  G_OBJECT_CLASS (vital_sqlite_store_parent_class)->finalize (object);
}

static void
vital_sqlite_store_init (VitalSqliteStore *self)
{
  g_mutex_init (&self->mutex);
}

static gboolean
db_fail (VitalSqliteStore   *self,
         GError            **error,
         const char         *what)
{
  g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INTERNAL,
               "Session store: %s: %s", what, sqlite3_errmsg (self->db));
  return FALSE;
}

/* Prepares @sql with @args (%NULL: none) bound to ?1, ?2, …; values past the statement's last
 * parameter are not bound (a statement may have no use for them: one process has no nodes). */
static sqlite3_stmt *
prepare (VitalSqliteStore      *self,
         const char            *sql,
         const VitalStoreArgs  *args,
         GError               **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      db_fail (self, error, "prepare");
      return NULL;
    }
  for (guint i = 0; args != NULL && i < MIN (args->n, (guint) sqlite3_bind_parameter_count (stmt));
       i++)
    {
      const VitalStoreValue *value = &args->values[i];

      switch (value->type)
        {
        case VITAL_STORE_NULL:
          sqlite3_bind_null (stmt, (int) i + 1);
          break;
        case VITAL_STORE_TEXT:
          sqlite3_bind_text (stmt, (int) i + 1, value->text, -1, SQLITE_TRANSIENT);
          break;
        case VITAL_STORE_INT:
        case VITAL_STORE_BOOL:
          sqlite3_bind_int64 (stmt, (int) i + 1, value->integer);
          break;
        case VITAL_STORE_DOUBLE:
          sqlite3_bind_double (stmt, (int) i + 1, value->real);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return stmt;
}

/* Runs @statement, which returns no rows. */
static gboolean
run (VitalSqliteStore           *self,
     const VitalStoreStatement  *statement,
     const VitalStoreArgs       *args,
     GError                    **error)
{
  sqlite3_stmt *stmt = prepare (self, statement->sql, args, error);
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  ok = sqlite3_step (stmt) == SQLITE_DONE || db_fail (self, error, statement->what);
  sqlite3_finalize (stmt);
  return ok;
}

/* Runs the update @statement and returns the rows it changed (0 when it failed, with @error
 * set). */
static guint
run_count (VitalSqliteStore           *self,
           const VitalStoreStatement  *statement,
           const VitalStoreArgs       *args,
           GError                    **error)
{
  guint changed = 0;

  if (run (self, statement, args, error))
    changed = (guint) sqlite3_changes (self->db);
  return changed;
}

/* The first column of the first row @sql selects, 0 when it selects none; %FALSE when the
 * statement cannot be prepared. */
static gboolean
select_int (VitalSqliteStore      *self,
            const char            *sql,
            const VitalStoreArgs  *args,
            gint64                *out_value,
            GError               **error)
{
  sqlite3_stmt *stmt = prepare (self, sql, args, error);

  *out_value = 0;
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    *out_value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return TRUE;
}

static gboolean
exec (VitalSqliteStore   *self,
      const char         *sql,
      GError            **error)
{
  char *msg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INTERNAL,
                   "Session store: %s", msg != NULL ? msg : "unknown error");
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

/* Stores created before a column existed get it added (with its default). */
static gboolean
ensure_column (VitalSqliteStore   *self,
               const char         *column,
               const char         *definition,
               GError            **error)
{
  g_autofree char *sql = NULL;
  gint64 present;

  if (!select_int (self, "SELECT 1 FROM pragma_table_info('sessions') WHERE name = ?",
                   VITAL_STORE_ARGS (vital_store_text (column)), &present, error))
    return FALSE;
  if (present)
    return TRUE;
  sql = g_strdup_printf ("ALTER TABLE sessions ADD COLUMN %s %s", column, definition);
  return exec (self, sql, error);
}

/* Brings the store to VITAL_SQLITE_STORE_SCHEMA_VERSION in one transaction (a process opening
 * it meanwhile waits on the lock); refuses a store written by a newer server. */
static gboolean
migrate (VitalSqliteStore  *self,
         GError           **error)
{
  gint64 current;

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!select_int (self, "PRAGMA user_version", NULL, &current, error))
    goto fail;
  if (current > VITAL_SQLITE_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                   "The session store has schema version %" G_GINT64_FORMAT ", newer than this "
                   "server's %d; upgrade the server", current,
                   VITAL_SQLITE_STORE_SCHEMA_VERSION);
      goto fail;
    }
  if (current < 1
      && (!exec (self, schema_v1, error)
          || !ensure_column (self, "result_once", "INTEGER NOT NULL DEFAULT 0", error)
          || !ensure_column (self, "payload_node", "TEXT", error)
          || !ensure_column (self, "error_retryable", "INTEGER NOT NULL DEFAULT 0", error)))
    goto fail;
  for (guint i = 0; i < G_N_ELEMENTS (migrations); i++)
    {
      if (migrations[i].version <= current)
        continue;
      if (!exec (self, migrations[i].sql, error))
        goto fail;
      g_info ("session store schema migrated to version %d", migrations[i].version);
    }
  if (current < VITAL_SQLITE_STORE_SCHEMA_VERSION)
    {
      g_autofree char *record = g_strdup_printf ("PRAGMA user_version = %d",
                                                 VITAL_SQLITE_STORE_SCHEMA_VERSION);

      if (!exec (self, record, error))
        goto fail;
    }
  return exec (self, "COMMIT", error);

fail:
  exec (self, "ROLLBACK", NULL);
  return FALSE;
}

/* Moves every WAL frame into the database and truncates the WAL to zero bytes: after a result
 * was deleted (secure_delete overwrote it in the page), no older copy of the page stays in the
 * WAL. A no-op for an in-memory store. */
static void
checkpoint_locked (VitalSqliteStore  *self)
{
  int rc = sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);

  if (rc != SQLITE_OK)
    g_warning ("Session store: the WAL could not be checkpointed after deleting a result: %s",
               sqlite3_errstr (rc));
}

/**
 * vital_sqlite_store_new:
 * @path: (nullable): the SQLite file, created when missing; %NULL for a private in-memory
 *   database (nothing survives the process)
 * @error: return location for a #GError
 *
 * Opens (and migrates) the store with WAL journaling and secure_delete, so purged results are
 * overwritten on disk rather than left in free pages.
 *
 * Returns: (transfer full) (nullable): the store
 */
VitalSqliteStore *
vital_sqlite_store_new (const char  *path,
                        GError     **error)
{
  g_autoptr(VitalSqliteStore) self = g_object_new (VITAL_TYPE_SQLITE_STORE, NULL);
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;

  if (sqlite3_open_v2 (path != NULL ? path : ":memory:", &self->db, flags, NULL) != SQLITE_OK)
    {
      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                   "Cannot open the session store %s: %s", path != NULL ? path : ":memory:",
                   self->db != NULL ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }
  /* Results and session history are personal data: owner-only, like the spool. */
  if (path != NULL)
    g_chmod (path, 0600);
  sqlite3_busy_timeout (self->db, 5000);
  if (!exec (self, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                   "PRAGMA secure_delete=ON; PRAGMA foreign_keys=ON;", error))
    return NULL;
  if (!migrate (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* The columns of a statement's current row, as vital_session_store_read_row() reads them
 * through row_reader. */
static const char *
column_text (gconstpointer row,
             int           column)
{
  return (const char *) sqlite3_column_text ((sqlite3_stmt *) row, column);
}

static gint64
column_integer (gconstpointer row,
                int           column)
{
  return sqlite3_column_int64 ((sqlite3_stmt *) row, column);
}

static double
column_real (gconstpointer row,
             int           column)
{
  return sqlite3_column_double ((sqlite3_stmt *) row, column);
}

static gboolean
column_boolean (gconstpointer row,
                int           column)
{
  return sqlite3_column_int ((sqlite3_stmt *) row, column) != 0;
}

static const VitalStoreRowReader row_reader = {
  column_text, column_integer, column_real, column_boolean
};

/* The rows of a key's history (see vital_session_store_query_values()). */
#define LIST_WHERE \
  "WHERE key_id = ?1 AND created_us >= ?2 AND created_us <= ?3 AND (?4 IS NULL OR user_id = ?4) " \
  "AND payload_kind = ?5"

/* A page of it: each session and its persisted result; ?6 limit, ?7 offset. */
#define LIST_PAGE(order) \
  "SELECT " VITAL_SESSION_COLUMNS ", CASE WHEN result_once = 0 THEN result_json END " \
  "FROM sessions " LIST_WHERE " ORDER BY created_us " order ", id " order " LIMIT ?6 OFFSET ?7"

/* The units a key (?1) used in a month (?2). */
#define QUOTA_USED_SQL "SELECT used FROM quota WHERE key_id = ?1 AND month = ?2"

enum
{
  EXPIRE_ALL,
  PURGE_RESULTS,
  SELECT,
  UPLOADED,
  PROCESSING,
  FINISH,
  TAKE_RESULT,
  FORGET_RESULT,
  LIST_ASCENDING,
  LIST_DESCENDING,
  LIST_COUNT,
  QUOTA_TAKE,
};

/* The statements; the lifecycle's checks are made in C under the store's mutex (one process),
 * so an update need not repeat them. */
static const VitalStoreStatement statements[] = {
  [EXPIRE_ALL] = { "update", VITAL_SESSION_EXPIRE "AND expires_us <= ?1" },
  [PURGE_RESULTS] = { "update",
    "UPDATE sessions SET " VITAL_SESSION_FORGET_RESULT
    "WHERE result_json IS NOT NULL AND result_expires_us <= ?1" },
  [SELECT] = { "select", "SELECT " VITAL_SESSION_COLUMNS " FROM sessions WHERE id = ?1" },
  [UPLOADED] = { "update",
    "UPDATE sessions SET status = 'uploaded', uploaded_us = ?2, payload_bytes = ?3, "
    "payload_node = ?4 WHERE id = ?1" },
  [PROCESSING] = { "update",
    "UPDATE sessions SET status = 'processing' WHERE id = ?1 AND status = 'uploaded'" },
  [FINISH] = { "update",
    "UPDATE sessions SET status = ?2, ended_us = ?3, error = ?4, "
    "processing_time_ms = ?5, result_json = ?6, result_expires_us = ?7, "
    "result_once = ?8 WHERE id = ?1" },
  [TAKE_RESULT] = { "select",
    "SELECT result_json, result_once FROM sessions WHERE id = ?1 AND result_json IS NOT NULL" },
  [FORGET_RESULT] = { "update",
    "UPDATE sessions SET " VITAL_SESSION_FORGET_RESULT "WHERE id = ?1" },
  [LIST_ASCENDING] = { "list", LIST_PAGE ("ASC") },
  [LIST_DESCENDING] = { "list", LIST_PAGE ("DESC") },
  [LIST_COUNT] = { "count", "SELECT COUNT(*) FROM sessions " LIST_WHERE },
  [QUOTA_TAKE] = { "update",
    "INSERT INTO quota (key_id, month, used) VALUES (?1, ?2, 1) "
    "ON CONFLICT (key_id, month) DO UPDATE SET used = used + 1" },
};

/* Expires unfinished sessions past their deadline and purges results past their TTL; a purge
 * is followed by a checkpoint, whichever request or pass ran it. A pass that fails changes
 * nothing now; the next one tries again. */
static guint
maintain_locked (VitalSqliteStore  *self,
                 gint64             now_us)
{
  const VitalStoreArgs *now = VITAL_STORE_ARGS (vital_store_int (now_us));
  guint changed = run_count (self, &statements[EXPIRE_ALL], now, NULL);
  guint purged = run_count (self, &statements[PURGE_RESULTS], now, NULL);

  if (purged > 0)
    checkpoint_locked (self);
  return changed + purged;
}

static VitalSession *
get_locked (VitalSqliteStore   *self,
            const char         *id,
            GError            **error)
{
  sqlite3_stmt *stmt;
  VitalSession *session = NULL;
  int rc;

  stmt = prepare (self, statements[SELECT].sql, VITAL_STORE_ARGS (vital_store_text (id)), error);
  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    session = vital_session_store_read_row (&row_reader, stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SESSION_NOT_FOUND,
                 "Session %s was not found", id);
  else
    db_fail (self, error, statements[SELECT].what);
  sqlite3_finalize (stmt);
  return session;
}

/* The session, when the lifecycle lets it move to @to. */
static VitalSession *
get_for_transition_locked (VitalSqliteStore    *self,
                           const char          *id,
                           VitalSessionStatus   to,
                           GError             **error)
{
  g_autoptr(VitalSession) session = get_locked (self, id, error);

  if (session == NULL || !vital_session_check_transition (session, to, error))
    return NULL;
  return g_steal_pointer (&session);
}

/* Moves session @id to @to (its checks made, then @statement run with @args), after the
 * maintenance pass: a session past its deadline is expired first. Returns: (transfer full)
 * (nullable): the session as it was before the move */
static VitalSession *
transition_locked (VitalSqliteStore           *self,
                   const char                 *id,
                   VitalSessionStatus          to,
                   const VitalStoreStatement  *statement,
                   const VitalStoreArgs       *args,
                   gint64                      now_us,
                   GError                    **error)
{
  g_autoptr(VitalSession) session = NULL;

  maintain_locked (self, now_us);
  session = get_for_transition_locked (self, id, to, error);
  if (session == NULL || !run (self, statement, args, error))
    return NULL;
  return g_steal_pointer (&session);
}

static VitalSession *
sqlite_get (VitalSessionStore  *store,
            const char         *id,
            gint64              now_us,
            GError            **error)
{
  VitalSqliteStore *self = SQLITE_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  maintain_locked (self, now_us);
  return get_locked (self, id, error);
}

static gboolean
sqlite_mark_uploaded (VitalSessionStore  *store,
                      const char         *id,
                      gint64              payload_bytes,
                      const char         *node_id,
                      gint64              now_us,
                      GError            **error)
{
  VitalSqliteStore *self = SQLITE_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  const VitalStoreArgs *args = VITAL_STORE_ARGS (vital_store_text (id), vital_store_int (now_us),
                                                 vital_store_int (payload_bytes),
                                                 vital_store_text (node_id));
  g_autoptr(VitalSession) before = transition_locked (self, id, VITAL_SESSION_UPLOADED,
                                                      &statements[UPLOADED], args, now_us,
                                                      error);

  return before != NULL;
}

static VitalSession *
sqlite_begin_processing (VitalSessionStore  *store,
                         const char         *id,
                         const char         *node_id,
                         gint64              now_us,
                         GError            **error)
{
  VitalSqliteStore *self = SQLITE_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  VitalSession *session;

  session = transition_locked (self, id, VITAL_SESSION_PROCESSING, &statements[PROCESSING],
                               VITAL_STORE_ARGS (vital_store_text (id)), now_us, error);
  if (session != NULL)
    session->status = VITAL_SESSION_PROCESSING;
  return session;
}

static gboolean
sqlite_finish (VitalSessionStore          *store,
               const char                 *id,
               const VitalSessionOutcome  *outcome,
               gint64                      now_us,
               GError                    **error)
{
  VitalSqliteStore *self = SQLITE_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  g_autoptr(VitalSession) session = get_for_transition_locked (self, id, outcome->status,
                                                               error);
  VitalStoreValue values[VITAL_SESSION_N_OUTCOME_VALUES];

  vital_session_store_outcome_values (outcome, id, now_us, values);
  return session != NULL
         && run (self, &statements[FINISH], &(VitalStoreArgs) { values, G_N_ELEMENTS (values) },
                 error);
}

static char *
sqlite_take_result (VitalSessionStore  *store,
                    const char         *id,
                    gint64              now_us,
                    GError            **error)
{
  VitalSqliteStore *self = SQLITE_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  const VitalStoreArgs *args = VITAL_STORE_ARGS (vital_store_text (id));
  g_autoptr(GError) local_error = NULL;
  g_autofree char *json = NULL;
  gboolean once = FALSE;
  sqlite3_stmt *stmt;

  maintain_locked (self, now_us);
  stmt = prepare (self, statements[TAKE_RESULT].sql, args, NULL);
  if (stmt != NULL)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          json = g_strdup (column_text (stmt, 0));
          once = column_boolean (stmt, 1);
        }
      sqlite3_finalize (stmt);
    }
  if (json == NULL || !once)
    return g_steal_pointer (&json);
  if (!run (self, &statements[FORGET_RESULT], args, &local_error))
    {
      /* Not deleted: do not hand it out, or it could be handed out twice. */
      g_warning ("session %s: its delivered-once result could not be deleted: %s", id,
                 local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  checkpoint_locked (self);
  return g_steal_pointer (&json);
}

static GPtrArray *
sqlite_list (VitalSessionStore        *store,
             const VitalSessionQuery  *query,
             gint64                    now_us,
             GPtrArray               **out_results,
             guint                    *out_total,
             GError                  **error)
{
  VitalSqliteStore *self = SQLITE_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  VitalStoreValue values[VITAL_SESSION_N_QUERY_VALUES];
  const VitalStoreStatement *page = &statements[query->ascending ? LIST_ASCENDING
                                                                  : LIST_DESCENDING];
  g_autoptr(GPtrArray) sessions =
    g_ptr_array_new_with_free_func ((GDestroyNotify) vital_session_free);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gint64 total;
  int rc;

  maintain_locked (self, now_us);
  vital_session_store_query_values (query, values);
  if (!select_int (self, statements[LIST_COUNT].sql,
                   &(VitalStoreArgs) { values, VITAL_SESSION_N_FILTER_VALUES }, &total, error))
    return NULL;
  *out_total = (guint) total;
  stmt = prepare (self, page->sql, &(VitalStoreArgs) { values, G_N_ELEMENTS (values) }, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (sessions, vital_session_store_read_row (&row_reader, stmt));
      g_ptr_array_add (results, g_strdup (column_text (stmt, VITAL_SESSION_N_COLUMNS)));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      db_fail (self, error, page->what);
      return NULL;
    }
  *out_results = g_steal_pointer (&results);
  return g_steal_pointer (&sessions);
}

/* The sessions counted against a key in a month (@key_month: ?1 key, ?2 month), 0 when none
 * are. */
static gboolean
quota_used_locked (VitalSqliteStore      *self,
                   const VitalStoreArgs  *key_month,
                   gint64                *out_used,
                   GError               **error)
{
  return select_int (self, QUOTA_USED_SQL, key_month, out_used, error);
}

static gboolean
sqlite_consume_quota (VitalSessionStore  *store,
                      const char         *key_id,
                      const char         *month,
                      guint               quota,
                      guint              *out_used,
                      GError            **error)
{
  VitalSqliteStore *self = SQLITE_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  const VitalStoreArgs *args = VITAL_STORE_ARGS (vital_store_text (key_id),
                                                 vital_store_text (month));
  gint64 used = 0;
  gboolean ok;

  if (!quota_used_locked (self, args, &used, error))
    ok = FALSE;
  else if (quota > 0 && used >= quota)
    ok = vital_session_store_quota_error (quota, error);
  else
    {
      ok = run (self, &statements[QUOTA_TAKE], args, error);
      used++;
    }
  *out_used = (guint) MIN (used, G_MAXUINT);
  return ok;
}

static guint
sqlite_maintain (VitalSessionStore  *store,
                 gint64              now_us,
                 GError            **error)
{
  VitalSqliteStore *self = SQLITE_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  return maintain_locked (self, now_us);
}

/* VitalStoreSql's run (see vital-session-store-private.h). */
static gboolean
sqlite_run_rows (VitalSessionStore          *store,
                 const VitalStoreStatement  *statement,
                 const VitalStoreArgs       *args,
                 VitalStoreRowFunc           row,
                 gpointer                    user_data,
                 GError                    **error)
{
  VitalSqliteStore *self = SQLITE_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  sqlite3_stmt *stmt = prepare (self, statement->sql, args, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (row != NULL)
      row (&row_reader, stmt, user_data);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE || db_fail (self, error, statement->what);
}

/* What the vfuncs both back ends share run here. */
static const VitalStoreSql shared_sql = {
  sqlite_run_rows, {
    [VITAL_STORE_SQL_INSERT] = { "insert",
      VITAL_SESSION_INSERT ("?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?") },
    [VITAL_STORE_SQL_ABANDON] = { "update",
      "UPDATE sessions SET status = 'failed', ended_us = ?2, "
      "unexpected_end_us = ?2, error = ?3, error_retryable = ?4 "
      "WHERE id = ?1 AND status = 'processing'" },
    /* One process: every session is this node's, whatever the node (?2) says. */
    [VITAL_STORE_SQL_LIST_IDS] = { "list ids", "SELECT id FROM sessions WHERE status = ?1" },
    [VITAL_STORE_SQL_COUNT_RESULTS] = { "count",
      "SELECT COUNT(*) FROM sessions WHERE result_json IS NOT NULL" },
    [VITAL_STORE_SQL_QUOTA_USED] = { "quota", QUOTA_USED_SQL },
  }
};

static void
vital_sqlite_store_class_init (VitalSqliteStoreClass *klass)
{
  VitalSessionStoreClass *store_class = VITAL_SESSION_STORE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = vital_sqlite_store_finalize;
  store_class->shared = FALSE;
  vital_session_store_class_install_sql (store_class, &shared_sql);
  store_class->get = sqlite_get;
  store_class->mark_uploaded = sqlite_mark_uploaded;
  store_class->begin_processing = sqlite_begin_processing;
  store_class->finish = sqlite_finish;
  store_class->take_result = sqlite_take_result;
  store_class->list = sqlite_list;
  store_class->consume_quota = sqlite_consume_quota;
  store_class->maintain = sqlite_maintain;
}
