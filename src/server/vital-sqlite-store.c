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
#include "vital-sqlite-store.h"

struct _VitalSqliteStore
{
  VitalSessionStore parent_instance;
  GMutex            mutex;
  sqlite3          *db;
};

G_DEFINE_FINAL_TYPE (VitalSqliteStore, vital_sqlite_store, VITAL_TYPE_SESSION_STORE)

#define SQLITE_STORE(obj) ((VitalSqliteStore *) (obj))

static const char schema[] =
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

#define SESSION_COLUMNS \
  "id, key_id, user_id, environment, status, created_us, expires_us, uploaded_us, ended_us, " \
  "unexpected_end_us, created_timezone, age, sex, fitzpatrick, payload_bytes, error, " \
  "processing_time_ms, payload_node, error_retryable"

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

static sqlite3_stmt *
prepare (VitalSqliteStore   *self,
         const char         *sql,
         GError            **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      db_fail (self, error, "prepare");
      return NULL;
    }
  return stmt;
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
  sqlite3_stmt *stmt = prepare (self, "SELECT 1 FROM pragma_table_info('sessions') WHERE name = ?",
                                error);
  g_autofree char *sql = NULL;
  gboolean present;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, column, -1, SQLITE_STATIC);
  present = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  if (present)
    return TRUE;
  sql = g_strdup_printf ("ALTER TABLE sessions ADD COLUMN %s %s", column, definition);
  return exec (self, sql, error);
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
  if (!exec (self, schema, error)
      || !ensure_column (self, "result_once", "INTEGER NOT NULL DEFAULT 0", error)
      || !ensure_column (self, "payload_node", "TEXT", error)
      || !ensure_column (self, "error_retryable", "INTEGER NOT NULL DEFAULT 0", error))
    return NULL;
  return g_steal_pointer (&self);
}

static VitalSession *
row_to_session (sqlite3_stmt *stmt)
{
  VitalSession *s = g_new0 (VitalSession, 1);
  const char *text;

  s->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  s->key_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  s->user_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  s->environment = sqlite3_column_int (stmt, 3) ? VITAL_KEY_ENV_LIVE : VITAL_KEY_ENV_TEST;
  text = (const char *) sqlite3_column_text (stmt, 4);
  if (!vital_session_status_from_string (text, &s->status))
    s->status = VITAL_SESSION_FAILED;
  s->created_us = sqlite3_column_int64 (stmt, 5);
  s->expires_us = sqlite3_column_int64 (stmt, 6);
  s->uploaded_us = sqlite3_column_int64 (stmt, 7);
  s->ended_us = sqlite3_column_int64 (stmt, 8);
  s->unexpected_end_us = sqlite3_column_int64 (stmt, 9);
  s->created_timezone = g_strdup ((const char *) sqlite3_column_text (stmt, 10));
  s->demographics.age = sqlite3_column_int (stmt, 11);
  s->demographics.sex = (VitalSex) sqlite3_column_int (stmt, 12);
  s->demographics.fitzpatrick = sqlite3_column_int (stmt, 13);
  s->payload_bytes = sqlite3_column_int64 (stmt, 14);
  s->error = g_strdup ((const char *) sqlite3_column_text (stmt, 15));
  s->processing_time_ms = sqlite3_column_double (stmt, 16);
  s->payload_node = g_strdup ((const char *) sqlite3_column_text (stmt, 17));
  s->retryable = sqlite3_column_int (stmt, 18) != 0;
  return s;
}

/* Expires unfinished sessions past their deadline and purges results past their TTL; a purge
 * is followed by a checkpoint, whichever request or pass ran it. */
static guint
maintain_locked (VitalSqliteStore  *self,
                 gint64             now_us)
{
  sqlite3_stmt *stmt;
  guint changed = 0;
  guint purged = 0;

  stmt = prepare (self, "UPDATE sessions SET status = 'expired', unexpected_end_us = expires_us "
                        "WHERE status IN ('pending', 'uploaded') AND expires_us <= ?", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, now_us);
      if (sqlite3_step (stmt) == SQLITE_DONE)
        changed += (guint) sqlite3_changes (self->db);
      sqlite3_finalize (stmt);
    }

  stmt = prepare (self, "UPDATE sessions SET result_json = NULL, result_expires_us = 0, "
                        "result_once = 0 "
                        "WHERE result_json IS NOT NULL AND result_expires_us <= ?", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, now_us);
      if (sqlite3_step (stmt) == SQLITE_DONE)
        purged = (guint) sqlite3_changes (self->db);
      sqlite3_finalize (stmt);
    }
  if (purged > 0)
    checkpoint_locked (self);
  return changed + purged;
}

static gboolean
sqlite_insert (VitalSessionStore   *store,
               const VitalSession  *session,
               GError             **error)
{
  VitalSqliteStore *self = SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  gboolean ok;

  g_mutex_lock (&self->mutex);
  stmt = prepare (self, "INSERT INTO sessions (" SESSION_COLUMNS ") "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    {
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, session->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, session->key_id, -1, SQLITE_TRANSIENT);
  if (session->user_id != NULL)
    sqlite3_bind_text (stmt, 3, session->user_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, session->environment == VITAL_KEY_ENV_LIVE);
  sqlite3_bind_text (stmt, 5, vital_session_status_to_string (session->status), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, session->created_us);
  sqlite3_bind_int64 (stmt, 7, session->expires_us);
  sqlite3_bind_int64 (stmt, 8, session->uploaded_us);
  sqlite3_bind_int64 (stmt, 9, session->ended_us);
  sqlite3_bind_int64 (stmt, 10, session->unexpected_end_us);
  sqlite3_bind_text (stmt, 11, session->created_timezone != NULL ? session->created_timezone
                                                                 : "UTC", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 12, session->demographics.age);
  sqlite3_bind_int (stmt, 13, (int) session->demographics.sex);
  sqlite3_bind_int (stmt, 14, session->demographics.fitzpatrick);
  sqlite3_bind_int64 (stmt, 15, session->payload_bytes);
  if (session->error != NULL)
    sqlite3_bind_text (stmt, 16, session->error, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 17, session->processing_time_ms);
  if (session->payload_node != NULL)
    sqlite3_bind_text (stmt, 18, session->payload_node, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 19, session->retryable);
  ok = sqlite3_step (stmt) == SQLITE_DONE || db_fail (self, error, "insert");
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->mutex);
  return ok;
}

static VitalSession *
get_locked (VitalSqliteStore   *self,
            const char         *id,
            GError            **error)
{
  sqlite3_stmt *stmt;
  VitalSession *session = NULL;
  int rc;

  stmt = prepare (self, "SELECT " SESSION_COLUMNS " FROM sessions WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    session = row_to_session (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SESSION_NOT_FOUND,
                 "Session %s was not found", id);
  else
    db_fail (self, error, "select");
  sqlite3_finalize (stmt);
  return session;
}

static VitalSession *
sqlite_get (VitalSessionStore  *store,
            const char         *id,
            gint64              now_us,
            GError            **error)
{
  VitalSqliteStore *self = SQLITE_STORE (store);
  VitalSession *session;

  g_mutex_lock (&self->mutex);
  maintain_locked (self, now_us);
  session = get_locked (self, id, error);
  g_mutex_unlock (&self->mutex);
  return session;
}

static gboolean
step_update (VitalSqliteStore   *self,
             sqlite3_stmt       *stmt,
             GError            **error)
{
  gboolean ok = sqlite3_step (stmt) == SQLITE_DONE || db_fail (self, error, "update");

  sqlite3_finalize (stmt);
  return ok;
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
  g_autoptr(VitalSession) session = NULL;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  g_mutex_lock (&self->mutex);
  maintain_locked (self, now_us);
  session = get_locked (self, id, error);
  if (session == NULL)
    goto out;
  if (!vital_session_check_transition (session, VITAL_SESSION_UPLOADED, error))
    goto out;
  stmt = prepare (self, "UPDATE sessions SET status = 'uploaded', uploaded_us = ?, "
                        "payload_bytes = ?, payload_node = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_int64 (stmt, 1, now_us);
  sqlite3_bind_int64 (stmt, 2, payload_bytes);
  if (node_id != NULL)
    sqlite3_bind_text (stmt, 3, node_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, id, -1, SQLITE_TRANSIENT);
  ok = step_update (self, stmt, error);
out:
  g_mutex_unlock (&self->mutex);
  return ok;
}

static VitalSession *
sqlite_begin_processing (VitalSessionStore  *store,
                         const char         *id,
                         const char         *node_id,
                         gint64              now_us,
                         GError            **error)
{
  VitalSqliteStore *self = SQLITE_STORE (store);
  g_autoptr(VitalSession) session = NULL;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  g_mutex_lock (&self->mutex);
  maintain_locked (self, now_us);
  session = get_locked (self, id, error);
  if (session == NULL)
    goto out;
  if (!vital_session_check_transition (session, VITAL_SESSION_PROCESSING, error))
    goto out;
  stmt = prepare (self, "UPDATE sessions SET status = 'processing' WHERE id = ? "
                        "AND status = 'uploaded'", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  ok = step_update (self, stmt, error);
  if (ok)
    session->status = VITAL_SESSION_PROCESSING;
out:
  g_mutex_unlock (&self->mutex);
  return ok ? g_steal_pointer (&session) : NULL;
}

static gboolean
sqlite_finish (VitalSessionStore  *store,
               const char         *id,
               gboolean            completed,
               const char         *result_json,
               const char         *error_text,
               double              processing_time_ms,
               gint64              now_us,
               gboolean            persist,
               gint64              result_expires_us,
               GError            **error)
{
  VitalSqliteStore *self = SQLITE_STORE (store);
  g_autoptr(VitalSession) session = NULL;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  VitalSessionStatus to = completed ? VITAL_SESSION_COMPLETED : VITAL_SESSION_FAILED;

  g_mutex_lock (&self->mutex);
  session = get_locked (self, id, error);
  if (session == NULL)
    goto out;
  if (!vital_session_check_transition (session, to, error))
    goto out;
  stmt = prepare (self, "UPDATE sessions SET status = ?, ended_us = ?, error = ?, "
                        "processing_time_ms = ?, result_json = ?, result_expires_us = ?, "
                        "result_once = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, vital_session_status_to_string (to), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now_us);
  if (error_text != NULL)
    sqlite3_bind_text (stmt, 3, error_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 4, processing_time_ms);
  if (result_json != NULL)
    {
      sqlite3_bind_text (stmt, 5, result_json, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 6, result_expires_us);
      sqlite3_bind_int (stmt, 7, !persist);
    }
  else
    {
      sqlite3_bind_int64 (stmt, 6, 0);
      sqlite3_bind_int (stmt, 7, 0);
    }
  sqlite3_bind_text (stmt, 8, id, -1, SQLITE_TRANSIENT);
  ok = step_update (self, stmt, error);
out:
  g_mutex_unlock (&self->mutex);
  return ok;
}

static gboolean
sqlite_abandon (VitalSessionStore  *store,
                const char         *id,
                const char         *error_text,
                gboolean            retryable,
                gint64              now_us,
                GError            **error)
{
  VitalSqliteStore *self = SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  g_mutex_lock (&self->mutex);
  stmt = prepare (self, "UPDATE sessions SET status = 'failed', ended_us = ?1, "
                        "unexpected_end_us = ?1, error = ?2, error_retryable = ?4 "
                        "WHERE id = ?3 AND status = 'processing'", error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, now_us);
      sqlite3_bind_text (stmt, 2, error_text, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 4, retryable);
      ok = step_update (self, stmt, error);
    }
  g_mutex_unlock (&self->mutex);
  return ok;
}

static char *
sqlite_take_result (VitalSessionStore  *store,
                    const char         *id,
                    gint64              now_us,
                    GError            **error)
{
  VitalSqliteStore *self = SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  char *json = NULL;
  gboolean once = FALSE;

  g_mutex_lock (&self->mutex);
  maintain_locked (self, now_us);
  if ((stmt = prepare (self, "SELECT result_json, result_once FROM sessions WHERE id = ? AND "
                             "result_json IS NOT NULL", NULL)) != NULL)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          json = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          once = sqlite3_column_int (stmt, 1) != 0;
        }
      sqlite3_finalize (stmt);
    }
  if (json != NULL && once)
    {
      g_autoptr(GError) local_error = NULL;

      stmt = prepare (self, "UPDATE sessions SET result_json = NULL, result_expires_us = 0, "
                            "result_once = 0 WHERE id = ?", &local_error);
      if (stmt != NULL)
        {
          sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
          step_update (self, stmt, &local_error);
        }
      if (local_error != NULL)
        {
          /* Not deleted: do not hand it out, or it could be handed out twice. */
          g_warning ("session %s: its delivered-once result could not be deleted: %s", id,
                     local_error->message);
          g_clear_pointer (&json, g_free);
          g_propagate_error (error, g_steal_pointer (&local_error));
        }
      else
        checkpoint_locked (self);
    }
  g_mutex_unlock (&self->mutex);
  return json;
}

static GPtrArray *
sqlite_list (VitalSessionStore  *store,
             const char         *key_id,
             const char         *user_id,
             gint64              from_us,
             gint64              to_us,
             gboolean            ascending,
             guint               offset,
             guint               limit,
             gint64              now_us,
             GPtrArray         **out_results,
             guint              *out_total,
             GError            **error)
{
  VitalSqliteStore *self = SQLITE_STORE (store);
  g_autoptr(GPtrArray) sessions =
    g_ptr_array_new_with_free_func ((GDestroyNotify) vital_session_free);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  const char *where = user_id != NULL
    ? "WHERE key_id = ?1 AND created_us >= ?2 AND created_us <= ?3 AND user_id = ?4"
    : "WHERE key_id = ?1 AND created_us >= ?2 AND created_us <= ?3";
  int rc;

  g_mutex_lock (&self->mutex);
  maintain_locked (self, now_us);

  sql = g_strdup_printf ("SELECT COUNT(*) FROM sessions %s", where);
  if ((stmt = prepare (self, sql, error)) == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, key_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, from_us);
  sqlite3_bind_int64 (stmt, 3, to_us);
  if (user_id != NULL)
    sqlite3_bind_text (stmt, 4, user_id, -1, SQLITE_TRANSIENT);
  *out_total = sqlite3_step (stmt) == SQLITE_ROW ? (guint) sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_finalize (stmt);

  g_free (sql);
  sql = g_strdup_printf ("SELECT " SESSION_COLUMNS ", "
                         "CASE WHEN result_once = 0 THEN result_json END FROM sessions %s "
                         "ORDER BY created_us %s, id %s LIMIT ?5 OFFSET ?6", where,
                         ascending ? "ASC" : "DESC", ascending ? "ASC" : "DESC");
  if ((stmt = prepare (self, sql, error)) == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, key_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, from_us);
  sqlite3_bind_int64 (stmt, 3, to_us);
  if (user_id != NULL)
    sqlite3_bind_text (stmt, 4, user_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, limit);
  sqlite3_bind_int64 (stmt, 6, offset);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (sessions, row_to_session (stmt));
      g_ptr_array_add (results, g_strdup ((const char *) sqlite3_column_text (stmt, 19)));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      db_fail (self, error, "list");
      goto fail;
    }
  g_mutex_unlock (&self->mutex);
  *out_results = g_steal_pointer (&results);
  return g_steal_pointer (&sessions);

fail:
  g_mutex_unlock (&self->mutex);
  return NULL;
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
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  gint64 used = 0;

  g_mutex_lock (&self->mutex);
  stmt = prepare (self, "SELECT used FROM quota WHERE key_id = ? AND month = ?", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, key_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, month, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    used = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  if (quota > 0 && used >= quota)
    {
      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_QUOTA_EXCEEDED,
                   "The monthly quota of %u scans for this key is used up; it renews on the "
                   "first day of next month (UTC)", quota);
      goto out;
    }
  if ((stmt = prepare (self, "INSERT INTO quota (key_id, month, used) VALUES (?, ?, 1) "
                             "ON CONFLICT (key_id, month) DO UPDATE SET used = used + 1",
                       error)) == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, key_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, month, -1, SQLITE_TRANSIENT);
  ok = step_update (self, stmt, error);
  used++;
out:
  g_mutex_unlock (&self->mutex);
  *out_used = (guint) MIN (used, G_MAXUINT);
  return ok;
}

static gboolean
sqlite_get_quota_used (VitalSessionStore  *store,
                       const char         *key_id,
                       const char         *month,
                       guint              *out_used,
                       GError            **error)
{
  VitalSqliteStore *self = SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  *out_used = 0;
  g_mutex_lock (&self->mutex);
  if ((stmt = prepare (self, "SELECT used FROM quota WHERE key_id = ? AND month = ?", error)))
    {
      sqlite3_bind_text (stmt, 1, key_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, month, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        *out_used = (guint) sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
    }
  g_mutex_unlock (&self->mutex);
  return stmt != NULL;
}

static guint
sqlite_maintain (VitalSessionStore  *store,
                 gint64              now_us,
                 GError            **error)
{
  VitalSqliteStore *self = SQLITE_STORE (store);
  guint changed;

  g_mutex_lock (&self->mutex);
  changed = maintain_locked (self, now_us);
  g_mutex_unlock (&self->mutex);
  return changed;
}

static GPtrArray *
sqlite_list_ids (VitalSessionStore   *store,
                 VitalSessionStatus   status,
                 const char          *node_id,
                 GError             **error)
{
  VitalSqliteStore *self = SQLITE_STORE (store);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;

  g_mutex_lock (&self->mutex);
  /* One process: every session is this node's, whatever node_id says. */
  if ((stmt = prepare (self, "SELECT id FROM sessions WHERE status = ?", error)) != NULL)
    {
      sqlite3_bind_text (stmt, 1, vital_session_status_to_string (status), -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      sqlite3_finalize (stmt);
    }
  g_mutex_unlock (&self->mutex);
  return ids;
}

static guint
sqlite_count_results (VitalSessionStore *store)
{
  VitalSqliteStore *self = SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  guint n = 0;

  g_mutex_lock (&self->mutex);
  if ((stmt = prepare (self, "SELECT COUNT(*) FROM sessions WHERE result_json IS NOT NULL",
                       NULL)) != NULL)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n += (guint) sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
    }
  g_mutex_unlock (&self->mutex);
  return n;
}

static void
vital_sqlite_store_class_init (VitalSqliteStoreClass *klass)
{
  VitalSessionStoreClass *store_class = VITAL_SESSION_STORE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = vital_sqlite_store_finalize;
  store_class->shared = FALSE;
  store_class->insert = sqlite_insert;
  store_class->get = sqlite_get;
  store_class->mark_uploaded = sqlite_mark_uploaded;
  store_class->begin_processing = sqlite_begin_processing;
  store_class->finish = sqlite_finish;
  store_class->abandon = sqlite_abandon;
  store_class->take_result = sqlite_take_result;
  store_class->list = sqlite_list;
  store_class->consume_quota = sqlite_consume_quota;
  store_class->get_quota_used = sqlite_get_quota_used;
  store_class->maintain = sqlite_maintain;
  store_class->list_ids = sqlite_list_ids;
  store_class->count_results = sqlite_count_results;
}
