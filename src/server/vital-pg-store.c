/* vital-pg-store.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalPgStore: the VitalSessionStore of a cluster, in PostgreSQL through libpq. A small pool
 * of connections under a mutex serves every thread; a connection found dead is dropped and a
 * new one opened, and while none can be opened every call fails fast with a retryable
 * SERVICE_UNAVAILABLE. Every statement is parameterised (PQexecParams). Each change that
 * must be exact across nodes is one atomic statement (quota, rate-limit windows, result
 * hand-out, job claims with FOR UPDATE SKIP LOCKED). Nodes hear of finished sessions and new
 * jobs through LISTEN/NOTIFY on a connection of its own, watched from a GMainContext.
 */
#include <poll.h>
#include <string.h>
#include <libpq-fe.h>
#include <glib-unix.h>

#include "vital-pg-store.h"
#include "vital-server-error.h"
#include "vital-session-store-private.h"

#define CHANNEL "vitalscan"
#define RECONNECT_BACKOFF_US (1 * G_USEC_PER_SEC)
#define LISTEN_RETRY_MS 1000
#define POOL_WAIT_US (10 * G_USEC_PER_SEC)
#define RATE_WINDOW_S 60
#define MIGRATION_LOCK "7415160001"  /* pg_advisory_xact_lock key: one migrating node at once */

struct _VitalPgStore
{
  VitalSessionStore   parent_instance;
  char               *uri;

  GMutex              mutex;
  GCond               cond;
  GPtrArray          *idle;          /* PGconn*, under mutex */
  guint               open;          /* connections handed out or idle */
  guint               max_open;
  gint64              retry_after;   /* monotonic µs: no new connection attempt before */
  gboolean            available;

  /* The notification listener; touched on the watch context only (and by watch()). */
  GMainContext       *watch_context;
  VitalStoreEventFunc watch_func;
  gpointer            watch_data;
  PGconn             *listen_conn;
  GSource            *listen_source;
  GSource            *retry_source;
};

G_DEFINE_FINAL_TYPE (VitalPgStore, vital_pg_store, VITAL_TYPE_SESSION_STORE)

#define PG_STORE(obj) ((VitalPgStore *) (obj))

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

/* ---- Parameters -------------------------------------------------------------------------- */

/* A statement's values as libpq takes them: text, NULL for SQL NULL. */
typedef struct
{
  const char *values[VITAL_STORE_MAX_VALUES];
  char       *owned[VITAL_STORE_MAX_VALUES];
  int         n;
} Params;

static void
params_clear (Params *p)
{
  for (int i = 0; i < p->n; i++)
    g_free (p->owned[i]);
  p->n = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Params, params_clear)

static void
params_set (Params               *p,
            const VitalStoreArgs *args)
{
  g_assert (args->n <= G_N_ELEMENTS (p->values));
  for (guint i = 0; i < args->n; i++)
    {
      const VitalStoreValue *value = &args->values[i];
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      p->owned[i] = NULL;
      if (value->type == VITAL_STORE_INT)
        p->owned[i] = g_strdup_printf ("%" G_GINT64_FORMAT, value->integer);
      else if (value->type == VITAL_STORE_DOUBLE)
        p->owned[i] = g_strdup (g_ascii_dtostr (buf, sizeof buf, value->real));
      if (value->type == VITAL_STORE_BOOL)
        p->values[i] = value->integer ? "t" : "f";
      else
        p->values[i] = p->owned[i] != NULL ? p->owned[i] : value->text;
      p->n = i + 1;
    }
}

/* ---- Connections ------------------------------------------------------------------------- */

/* NOTICEs ("relation already exists, skipping") are not for the server's log. */
static void
ignore_notice (void       *arg,
               const char *message)
{
}

static PGconn *
connect_db (const char  *uri,
            GError     **error)
{
  /* Defaults first: settings in the URI override them. */
  const char *const keywords[] = { "connect_timeout", "application_name", "keepalives",
                                   "keepalives_idle", "keepalives_interval", "keepalives_count",
                                   "dbname", NULL };
  const char *const values[] = { "3", "vitalscan-server", "1", "10", "3", "3", uri, NULL };
  PGconn *conn = PQconnectdbParams (keywords, values, TRUE);
  PGresult *res;

  if (conn == NULL || PQstatus (conn) != CONNECTION_OK)
    {
      /* libpq's message names the host and port, never the password. */
      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SERVICE_UNAVAILABLE,
                   "The database is unreachable; retry shortly (%s)",
                   conn != NULL ? g_strchomp (PQerrorMessage (conn)) : "out of memory");
      g_clear_pointer (&conn, PQfinish);
      return NULL;
    }
  PQsetNoticeProcessor (conn, ignore_notice, NULL);
  /* A statement stuck behind a lock must not hold a request (or a worker) for ever. */
  res = PQexec (conn, "SET statement_timeout = 15000");
  PQclear (res);
  return conn;
}

/* A pooled connection whose server went away (restart) has a readable socket at EOF. */
static gboolean
idle_conn_is_alive (PGconn *conn)
{
  struct pollfd pfd = { PQsocket (conn), POLLIN, 0 };

  if (PQstatus (conn) != CONNECTION_OK || pfd.fd < 0)
    return FALSE;
  if (poll (&pfd, 1, 0) > 0)
    {
      if (!PQconsumeInput (conn) || PQstatus (conn) != CONNECTION_OK)
        return FALSE;
      /* Stray notices are fine; a notification on a pool connection is not expected. */
    }
  return TRUE;
}

static PGconn *
acquire (VitalPgStore  *self,
         GError       **error)
{
  PGconn *conn = NULL;
  gint64 deadline = g_get_monotonic_time () + POOL_WAIT_US;

  g_mutex_lock (&self->mutex);
  for (;;)
    {
      while (self->idle->len > 0 && conn == NULL)
        {
          conn = g_ptr_array_steal_index (self->idle, self->idle->len - 1);
          if (!idle_conn_is_alive (conn))
            {
              g_clear_pointer (&conn, PQfinish);
              self->open--;
            }
        }
      if (conn != NULL)
        break;
      if (self->open < self->max_open)
        {
          if (g_get_monotonic_time () < self->retry_after)
            {
              g_mutex_unlock (&self->mutex);
              g_set_error_literal (error, VITAL_SERVER_ERROR,
                                   VITAL_SERVER_ERROR_SERVICE_UNAVAILABLE,
                                   "The database is unreachable; retry shortly");
              return NULL;
            }
          self->open++;
          g_mutex_unlock (&self->mutex);
          conn = connect_db (self->uri, error);
          g_mutex_lock (&self->mutex);
          if (conn == NULL)
            {
              self->open--;
              self->retry_after = g_get_monotonic_time () + RECONNECT_BACKOFF_US;
              if (self->available)
                g_message ("The database is unreachable; requests get 503 until it is back");
              self->available = FALSE;
              g_cond_broadcast (&self->cond);
              g_mutex_unlock (&self->mutex);
              return NULL;
            }
          if (!self->available)
            g_message ("The database is reachable again");
          self->available = TRUE;
          break;
        }
      if (!g_cond_wait_until (&self->cond, &self->mutex, deadline))
        {
          g_mutex_unlock (&self->mutex);
          g_set_error_literal (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SERVICE_UNAVAILABLE,
                               "Every database connection is busy; retry shortly");
          return NULL;
        }
    }
  g_mutex_unlock (&self->mutex);
  return conn;
}

static void
release (VitalPgStore *self,
         PGconn       *conn)
{
  gboolean alive = PQstatus (conn) == CONNECTION_OK
                   && PQtransactionStatus (conn) == PQTRANS_IDLE;

  if (!alive)
    PQfinish (conn);
  g_mutex_lock (&self->mutex);
  if (alive)
    g_ptr_array_add (self->idle, conn);
  else
    {
      self->open--;
      if (self->available)
        g_message ("A database connection was lost; the next request opens a new one");
    }
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* Turns a failed result into a GError: lost connections, shutdowns and serialization
 * failures are SERVICE_UNAVAILABLE (retryable); anything else is INTERNAL, with libpq's
 * primary message only (the DETAIL line can quote values). */
static void
set_result_error (PGconn     *conn,
                  PGresult   *res,
                  const char *what,
                  GError    **error)
{
  const char *state = res != NULL ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  const char *primary = res != NULL ? PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  gboolean transient = PQstatus (conn) != CONNECTION_OK
                       || state == NULL
                       || g_str_has_prefix (state, "08")     /* connection exception */
                       || g_str_has_prefix (state, "57P")    /* shutting down, cannot connect */
                       || g_strcmp0 (state, "40001") == 0    /* serialization failure */
                       || g_strcmp0 (state, "40P01") == 0    /* deadlock */
                       || g_strcmp0 (state, "53300") == 0;   /* too many connections */

  if (transient)
    g_set_error_literal (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SERVICE_UNAVAILABLE,
                         "The database is unreachable; retry shortly");
  else
    g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INTERNAL,
                 "Session store: %s: %s", what, primary != NULL ? primary : "unknown error");
}

/* Runs one parameterised statement on a pooled connection. */
static PGresult *
run (VitalPgStore          *self,
     const char            *what,
     const char            *sql,
     const VitalStoreArgs  *args,
     GError               **error)
{
  g_auto(Params) params = { 0 };
  PGconn *conn = acquire (self, error);
  PGresult *res;
  ExecStatusType status;

  if (conn == NULL)
    return NULL;
  if (args != NULL)
    params_set (&params, args);
  res = PQexecParams (conn, sql, params.n, NULL, params.values, NULL, NULL, 0);
  status = PQresultStatus (res);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      set_result_error (conn, res, what, error);
      g_clear_pointer (&res, PQclear);
    }
  release (self, conn);
  return res;
}

/* Runs a statement whose rows, if any, are not wanted. */
static gboolean
run_ok (VitalPgStore          *self,
        const char            *what,
        const char            *sql,
        const VitalStoreArgs  *args,
        GError               **error)
{
  g_autoptr(PGresult) res = run (self, what, sql, args, error);

  return res != NULL;
}

/* ---- Rows -------------------------------------------------------------------------------- */

static const char *
value_or_null (const PGresult *res,
               int             row,
               int             col)
{
  return PQgetisnull (res, row, col) ? NULL : PQgetvalue (res, row, col);
}

static gint64
int_value (const PGresult *res,
           int             row,
           int             col)
{
  return g_ascii_strtoll (PQgetvalue (res, row, col), NULL, 10);
}

/* One row of a result, as vital_session_store_read_row() reads it through row_reader. */
typedef struct
{
  const PGresult *res;
  int             row;
} Row;

static const char *
row_text (gconstpointer row,
          int           column)
{
  const Row *r = row;

  return value_or_null (r->res, r->row, column);
}

static gint64
row_integer (gconstpointer row,
             int           column)
{
  const Row *r = row;

  return int_value (r->res, r->row, column);
}

static double
row_real (gconstpointer row,
          int           column)
{
  const Row *r = row;

  return g_ascii_strtod (PQgetvalue (r->res, r->row, column), NULL);
}

static gboolean
row_boolean (gconstpointer row,
             int           column)
{
  const Row *r = row;

  return g_strcmp0 (PQgetvalue (r->res, r->row, column), "t") == 0;
}

static const VitalStoreRowReader row_reader = { row_text, row_integer, row_real, row_boolean };

static VitalSession *
row_to_session (const PGresult *res,
                int             row)
{
  Row r = { res, row };

  return vital_session_store_read_row (&row_reader, &r);
}

static GPtrArray *
rows_to_sessions (const PGresult *res)
{
  GPtrArray *sessions = g_ptr_array_new_with_free_func ((GDestroyNotify) vital_session_free);

  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (sessions, row_to_session (res, i));
  return sessions;
}

/* The first column of every row: the ids a statement returned. */
static GPtrArray *
rows_to_ids (const PGresult *res)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (ids, g_strdup (PQgetvalue (res, i, 0)));
  return ids;
}

/* ---- Schema ------------------------------------------------------------------------------ */

static gboolean
exec_on (PGconn      *conn,
         const char  *what,
         const char  *sql,
         GError     **error)
{
  g_autoptr(PGresult) res = PQexec (conn, sql);
  ExecStatusType status = PQresultStatus (res);

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      set_result_error (conn, res, what, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate (VitalPgStore  *self,
         GError       **error)
{
  PGconn *conn = acquire (self, error);
  g_autoptr(PGresult) res = NULL;
  gboolean ok = FALSE;
  int current = 0;

  if (conn == NULL)
    return FALSE;
  if (!exec_on (conn, "migrate", "BEGIN", error)
      || !exec_on (conn, "migrate", "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK ")", error)
      || !exec_on (conn, "migrate", "CREATE TABLE IF NOT EXISTS schema_version ("
                                    "  version integer NOT NULL,"
                                    "  applied_at timestamptz NOT NULL DEFAULT now())", error))
    goto out;
  res = PQexec (conn, "SELECT coalesce(max(version), 0) FROM schema_version");
  if (PQresultStatus (res) != PGRES_TUPLES_OK)
    {
      set_result_error (conn, res, "schema version", error);
      goto out;
    }
  current = (int) int_value (res, 0, 0);
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
      if (!exec_on (conn, "migrate", migrations[i].sql, error)
          || !exec_on (conn, "migrate", record, error))
        goto out;
      g_info ("database schema migrated to version %d", migrations[i].version);
    }
  ok = exec_on (conn, "migrate", "COMMIT", error);
out:
  if (!ok && PQstatus (conn) == CONNECTION_OK)
    exec_on (conn, "migrate", "ROLLBACK", NULL);
  release (self, conn);
  return ok;
}

/* ---- Sessions ---------------------------------------------------------------------------- */

static gboolean
pg_insert (VitalSessionStore   *store,
           const VitalSession  *session,
           GError             **error)
{
  VitalStoreValue values[VITAL_SESSION_N_COLUMNS];

  vital_session_store_row_values (session, values);
  return run_ok (PG_STORE (store), "insert",
                 "INSERT INTO sessions (" VITAL_SESSION_COLUMNS ") VALUES ($1, $2, $3, $4, $5, "
                 "$6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
                 &(VitalStoreArgs) { values, VITAL_SESSION_N_COLUMNS }, error);
}

/* Reads a session, expiring it first when it is overdue (the same rule the maintenance pass
 * applies to every session). */
static VitalSession *
get_session (VitalPgStore  *self,
             const char    *id,
             gint64         now_us,
             GError       **error)
{
  g_autoptr(PGresult) res = run (self, "select",
                                 "SELECT " VITAL_SESSION_COLUMNS " FROM sessions WHERE id = $1",
                                 VITAL_STORE_ARGS (vital_store_text (id)), error);
  g_autoptr(PGresult) expired = NULL;
  g_autoptr(VitalSession) session = NULL;

  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SESSION_NOT_FOUND,
                   "Session %s was not found", id);
      return NULL;
    }
  session = row_to_session (res, 0);
  if ((session->status != VITAL_SESSION_PENDING && session->status != VITAL_SESSION_UPLOADED)
      || session->expires_us > now_us)
    return g_steal_pointer (&session);
  expired = run (self, "expire",
                 VITAL_SESSION_EXPIRE "AND id = $1 RETURNING " VITAL_SESSION_COLUMNS,
                 VITAL_STORE_ARGS (vital_store_text (id)), error);
  if (expired == NULL)
    return NULL;
  return PQntuples (expired) == 1 ? row_to_session (expired, 0) : g_steal_pointer (&session);
}

static VitalSession *
pg_get (VitalSessionStore  *store,
        const char         *id,
        gint64              now_us,
        GError            **error)
{
  return get_session (PG_STORE (store), id, now_us, error);
}

/* After a conditional update matched no row: says why, from the session as it is now. */
static void
explain_no_row (VitalPgStore        *self,
                const char          *id,
                VitalSessionStatus   to,
                gint64               now_us,
                GError             **error)
{
  g_autoptr(VitalSession) session = get_session (self, id, now_us, error);

  if (session != NULL)
    vital_session_set_transition_error (session, to, error);
}

/* Runs a conditional update that moves session @id to @to: its result when it matched a row;
 * else %NULL, with the reason explain_no_row() gives. */
static PGresult *
run_transition (VitalPgStore          *self,
                const char            *what,
                const char            *sql,
                const VitalStoreArgs  *args,
                const char            *id,
                VitalSessionStatus     to,
                gint64                 now_us,
                GError               **error)
{
  PGresult *res = run (self, what, sql, args, error);

  if (res != NULL && PQntuples (res) == 0)
    {
      explain_no_row (self, id, to, now_us, error);
      g_clear_pointer (&res, PQclear);
    }
  return res;
}

static gboolean
pg_mark_uploaded (VitalSessionStore  *store,
                  const char         *id,
                  gint64              payload_bytes,
                  const char         *node_id,
                  gint64              now_us,
                  GError            **error)
{
  g_autoptr(PGresult) res = NULL;

  res = run_transition (PG_STORE (store), "upload",
                        "UPDATE sessions SET status = 'uploaded', uploaded_us = $2, "
                        "payload_bytes = $3, payload_node = $4 "
                        "WHERE id = $1 AND status IN ('pending', 'uploaded') "
                        "AND expires_us > $2 RETURNING id",
                        VITAL_STORE_ARGS (vital_store_text (id), vital_store_int (now_us),
                                          vital_store_int (payload_bytes),
                                          vital_store_text (node_id)),
                        id, VITAL_SESSION_UPLOADED, now_us, error);
  return res != NULL;
}

static VitalSession *
pg_begin_processing (VitalSessionStore  *store,
                     const char         *id,
                     const char         *node_id,
                     gint64              now_us,
                     GError            **error)
{
  VitalPgStore *self = PG_STORE (store);
  g_autoptr(VitalSession) session = get_session (self, id, now_us, error);
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GError) notify_error = NULL;
  g_autofree char *jobs = NULL;
  VitalSession *now_processing;

  if (session == NULL
      || !vital_session_check_transition (session, VITAL_SESSION_PROCESSING, error))
    return NULL;
  /* Claimed at once when the asking node holds the payload; otherwise its holder is told. */
  res = run_transition (self, "processing",
                        "UPDATE sessions SET status = 'processing', "
                        "  claimed = (payload_node IS NOT DISTINCT FROM $2) "
                        "WHERE id = $1 AND status = 'uploaded' AND expires_us > $3 "
                        "RETURNING " VITAL_SESSION_COLUMNS,
                        VITAL_STORE_ARGS (vital_store_text (id), vital_store_text (node_id),
                                          vital_store_int (now_us)),
                        id, VITAL_SESSION_PROCESSING, now_us, error);
  if (res == NULL)
    return NULL;
  now_processing = row_to_session (res, 0);
  if (now_processing->payload_node == NULL
      || g_strcmp0 (now_processing->payload_node, node_id) == 0)
    return now_processing;
  jobs = g_strconcat ("jobs:", now_processing->payload_node, NULL);
  /* Not fatal: the holder also polls for jobs. */
  if (!run_ok (self, "notify", "SELECT pg_notify('" CHANNEL "', $1)",
               VITAL_STORE_ARGS (vital_store_text (jobs)), &notify_error))
    g_debug ("session %s: its holder was not notified: %s", id, notify_error->message);
  return now_processing;
}

static gboolean
pg_finish (VitalSessionStore          *store,
           const char                 *id,
           const VitalSessionOutcome  *outcome,
           gint64                      now_us,
           GError                    **error)
{
  VitalStoreValue values[VITAL_SESSION_N_OUTCOME_VALUES];
  g_autoptr(PGresult) res = NULL;

  vital_session_store_outcome_values (outcome, id, now_us, values);
  /* Written once: only a session still processing takes an outcome. */
  res = run_transition (PG_STORE (store), "finish",
                        "WITH done AS ("
                        "  UPDATE sessions SET status = $2, ended_us = $3, error = $4, "
                        "    processing_time_ms = $5, result_json = $6, result_expires_us = $7, "
                        "    result_once = $8, claimed = false "
                        "  WHERE id = $1 AND status = 'processing' RETURNING id) "
                        "SELECT id, pg_notify('" CHANNEL "', 'done:' || id) FROM done",
                        &(VitalStoreArgs) { values, G_N_ELEMENTS (values) },
                        id, outcome->status, now_us, error);
  return res != NULL;
}

static gboolean
pg_abandon (VitalSessionStore  *store,
            const char         *id,
            const char         *error_text,
            gboolean            retryable,
            gint64              now_us,
            GError            **error)
{
  return run_ok (PG_STORE (store), "abandon",
                 "WITH gone AS ("
                 "  UPDATE sessions SET status = 'failed', ended_us = $2, unexpected_end_us = $2, "
                 "    error = $3, error_retryable = $4, claimed = false "
                 "  WHERE id = $1 AND status = 'processing' RETURNING id) "
                 "SELECT id, pg_notify('" CHANNEL "', 'done:' || id) FROM gone",
                 VITAL_STORE_ARGS (vital_store_text (id), vital_store_int (now_us),
                                   vital_store_text (error_text), vital_store_bool (retryable)),
                 error);
}

static char *
pg_take_result (VitalSessionStore  *store,
                const char         *id,
                gint64              now_us,
                GError            **error)
{
  g_autoptr(PGresult) res = NULL;

  /* The row lock makes a once-only result go to exactly one caller on any node: a second
   * caller waits, then finds it gone. */
  res = run (PG_STORE (store), "result",
             "WITH held AS ("
             "  SELECT id, result_json, result_once FROM sessions "
             "  WHERE id = $1 AND result_json IS NOT NULL AND result_expires_us > $2 "
             "  FOR UPDATE), "
             "gone AS ("
             "  UPDATE sessions s SET " VITAL_SESSION_FORGET_RESULT
             "  FROM held WHERE s.id = held.id AND held.result_once RETURNING s.id), "
             /* One past its TTL goes now, not at the next maintenance pass. */
             "stale AS ("
             "  UPDATE sessions SET " VITAL_SESSION_FORGET_RESULT
             "  WHERE id = $1 AND result_json IS NOT NULL AND result_expires_us <= $2 "
             "  RETURNING id) "
             "SELECT held.result_json, (SELECT count(*) FROM gone), "
             "  (SELECT count(*) FROM stale) FROM held",
             VITAL_STORE_ARGS (vital_store_text (id), vital_store_int (now_us)), error);
  if (res == NULL || PQntuples (res) == 0)
    return NULL;
  return g_strdup (PQgetvalue (res, 0, 0));
}

/* The rows of a key's history: $1 key, $2–$3 created range, $4 user or NULL for every user,
 * $5 payload kind. */
#define LIST_WHERE \
  "key_id = $1 AND created_us >= $2 AND created_us <= $3 " \
  "AND ($4::text IS NULL OR user_id = $4) AND payload_kind = $5"

static GPtrArray *
pg_list (VitalSessionStore        *store,
         const VitalSessionQuery  *query,
         gint64                    now_us,
         GPtrArray               **out_results,
         guint                    *out_total,
         GError                  **error)
{
  VitalPgStore *self = PG_STORE (store);
  /* $1–$5 choose the rows (and are all the count needs), $6–$8 the page. */
  const VitalStoreValue values[] = {
    vital_store_text (query->key_id), vital_store_int (query->from_us),
    vital_store_int (query->to_us), vital_store_text (query->user_id),
    vital_store_text (query->payload_kind), vital_store_int (now_us),
    vital_store_int (query->limit), vital_store_int (query->offset),
  };
  g_autoptr(PGresult) res = NULL;
  g_autoptr(PGresult) counted = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *sql = NULL;

  /* This key's overdue sessions show as expired, as everywhere else. */
  if (!run_ok (self, "expire",
               VITAL_SESSION_EXPIRE "AND key_id = $1 AND expires_us <= $2",
               VITAL_STORE_ARGS (vital_store_text (query->key_id), vital_store_int (now_us)),
               error))
    return NULL;
  sql = g_strdup_printf ("SELECT " VITAL_SESSION_COLUMNS ", "
                         "  CASE WHEN NOT result_once AND result_expires_us > $6 "
                         "    THEN result_json END, "
                         "  count(*) OVER () "
                         "FROM sessions WHERE " LIST_WHERE " "
                         "ORDER BY created_us %s, id %s LIMIT $7 OFFSET $8",
                         query->ascending ? "ASC" : "DESC",
                         query->ascending ? "ASC" : "DESC");
  res = run (self, "list", sql, &(VitalStoreArgs) { values, G_N_ELEMENTS (values) }, error);
  if (res == NULL)
    return NULL;
  sessions = rows_to_sessions (res);
  results = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (results, g_strdup (value_or_null (res, i, VITAL_SESSION_N_COLUMNS)));
  if (PQntuples (res) > 0)
    *out_total = (guint) int_value (res, 0, VITAL_SESSION_N_COLUMNS + 1);
  else
    {
      /* An empty page (offset past the end, or limit 0) still reports the total. */
      counted = run (self, "count",
                     "SELECT count(*) FROM sessions WHERE " LIST_WHERE,
                     &(VitalStoreArgs) { values, 5 }, error);
      if (counted == NULL)
        return NULL;
      *out_total = (guint) int_value (counted, 0, 0);
    }
  *out_results = g_steal_pointer (&results);
  return g_steal_pointer (&sessions);
}

/* ---- Counters ---------------------------------------------------------------------------- */

static gboolean
pg_consume_quota (VitalSessionStore  *store,
                  const char         *key_id,
                  const char         *month,
                  guint               quota,
                  guint              *out_used,
                  GError            **error)
{
  g_autoptr(PGresult) res = NULL;

  /* One statement: of concurrent callers for the last unit, on any node, one gets a row. */
  res = run (PG_STORE (store), "quota",
             "INSERT INTO quota AS q (key_id, month, used) VALUES ($1, $2, 1) "
             "ON CONFLICT (key_id, month) DO UPDATE SET used = q.used + 1 "
             "WHERE $3::bigint = 0 OR q.used < $3::bigint "
             "RETURNING used",
             VITAL_STORE_ARGS (vital_store_text (key_id), vital_store_text (month),
                               vital_store_int (quota)), error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      *out_used = quota;
      return vital_session_store_quota_error (quota, error);
    }
  *out_used = (guint) CLAMP (int_value (res, 0, 0), 0, G_MAXUINT);
  return TRUE;
}

static gboolean
pg_get_quota_used (VitalSessionStore  *store,
                   const char         *key_id,
                   const char         *month,
                   guint              *out_used,
                   GError            **error)
{
  g_autoptr(PGresult) res = NULL;

  res = run (PG_STORE (store), "quota", "SELECT used FROM quota WHERE key_id = $1 AND month = $2",
             VITAL_STORE_ARGS (vital_store_text (key_id), vital_store_text (month)), error);
  if (res == NULL)
    return FALSE;
  *out_used = PQntuples (res) > 0 ? (guint) CLAMP (int_value (res, 0, 0), 0, G_MAXUINT) : 0;
  return TRUE;
}

static void
fill_rate_state (guint                limit,
                 guint                count,
                 gint64               window_start,
                 gint64               now_s,
                 gboolean             refused,
                 VitalRateLimitState *state)
{
  state->limit = limit == 0 ? G_MAXINT32 : limit;
  state->remaining = limit == 0 ? G_MAXINT32 : (count >= limit ? 0 : limit - count);
  state->reset_unix = window_start + RATE_WINDOW_S;
  state->retry_after_s = refused ? (guint) MAX (1, state->reset_unix - now_s) : 0;
}

static gboolean
pg_rate_limit (VitalSessionStore    *store,
               const char           *bucket,
               guint                 limit,
               gboolean              count,
               gint64                now_us,
               VitalRateLimitState  *out_state,
               GError              **error)
{
  gint64 now_s = now_us / G_USEC_PER_SEC;
  gint64 start = now_s - (now_s % RATE_WINDOW_S);
  g_autoptr(PGresult) res = NULL;
  guint counted;

  /* Unlimited callers cost no round trip. */
  if (limit == 0)
    {
      fill_rate_state (0, 0, start, now_s, FALSE, out_state);
      return TRUE;
    }
  if (!count)
    {
      res = run (PG_STORE (store), "rate limit",
                 "SELECT CASE WHEN window_start = $2 THEN count ELSE 0 END "
                 "FROM rate_windows WHERE bucket = $1",
                 VITAL_STORE_ARGS (vital_store_text (bucket), vital_store_int (start)), error);
    }
  else
    {
      /* One fixed-window counter row per bucket for every node: a new window restarts it,
       * and a full one is left unchanged (no row returned: refused). */
      res = run (PG_STORE (store), "rate limit",
                 "INSERT INTO rate_windows AS w (bucket, window_start, count) "
                 "VALUES ($1, $2, 1) "
                 "ON CONFLICT (bucket) DO UPDATE SET "
                 "  count = CASE WHEN w.window_start = EXCLUDED.window_start THEN w.count + 1 "
                 "               ELSE 1 END, "
                 "  window_start = EXCLUDED.window_start "
                 "WHERE w.window_start <> EXCLUDED.window_start OR w.count < $3 "
                 "RETURNING count",
                 VITAL_STORE_ARGS (vital_store_text (bucket), vital_store_int (start),
                                   vital_store_int (limit)), error);
    }
  if (res == NULL)
    return FALSE;
  if (count && PQntuples (res) == 0)
    {
      fill_rate_state (limit, limit, start, now_s, TRUE, out_state);
      return FALSE;
    }
  counted = PQntuples (res) > 0 ? (guint) int_value (res, 0, 0) : 0;
  fill_rate_state (limit, counted, start, now_s, FALSE, out_state);
  return TRUE;
}

/* ---- Maintenance ------------------------------------------------------------------------- */

static guint
pg_maintain (VitalSessionStore  *store,
             gint64              now_us,
             GError            **error)
{
  VitalPgStore *self = PG_STORE (store);
  g_autoptr(PGresult) expired = run (self, "expire", VITAL_SESSION_EXPIRE "AND expires_us <= $1",
                                     VITAL_STORE_ARGS (vital_store_int (now_us)), error);
  g_autoptr(PGresult) purged = NULL;
  guint changed;
  guint results;

  if (expired == NULL)
    return 0;
  changed = (guint) g_ascii_strtoull (PQcmdTuples (expired), NULL, 10);
  purged = run (self, "purge",
                "UPDATE sessions SET " VITAL_SESSION_FORGET_RESULT
                "WHERE result_json IS NOT NULL AND result_expires_us <= $1",
                VITAL_STORE_ARGS (vital_store_int (now_us)), error);
  if (purged == NULL)
    return changed;
  results = (guint) g_ascii_strtoull (PQcmdTuples (purged), NULL, 10);
  run_ok (self, "rate windows", "DELETE FROM rate_windows WHERE window_start < $1",
          VITAL_STORE_ARGS (vital_store_int (now_us / G_USEC_PER_SEC - 2 * RATE_WINDOW_S)),
          NULL);
  /* The purged results are dead row versions until vacuumed: vacuum now rather than whenever
   * autovacuum gets to it. SKIP_LOCKED: another node may be vacuuming. */
  if (results > 0)
    run_ok (self, "vacuum", "VACUUM (SKIP_LOCKED) sessions", NULL, NULL);
  return changed + results;
}

static GPtrArray *
pg_list_ids (VitalSessionStore   *store,
             VitalSessionStatus   status,
             const char          *node_id,
             GError             **error)
{
  g_autoptr(PGresult) res = NULL;

  res = run (PG_STORE (store), "list ids",
             "SELECT id FROM sessions WHERE status = $1 "
             "AND ($2::text IS NULL OR payload_node = $2)",
             VITAL_STORE_ARGS (vital_store_text (vital_session_status_to_string (status)),
                               vital_store_text (node_id)), error);
  return res != NULL ? rows_to_ids (res) : NULL;
}

static guint
pg_count_results (VitalSessionStore *store)
{
  g_autoptr(PGresult) res = run (PG_STORE (store), "count",
                                 "SELECT count(*) FROM sessions WHERE result_json IS NOT NULL",
                                 NULL, NULL);

  return res != NULL ? (guint) int_value (res, 0, 0) : 0;
}

/* ---- The cluster ------------------------------------------------------------------------- */

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
  if (!run_ok (self, "secret",
               "INSERT INTO cluster_secret (id, secret) VALUES (1, $1::bytea) "
               "ON CONFLICT (id) DO NOTHING", VITAL_STORE_ARGS (vital_store_text (hex->str)),
               error))
    return NULL;
  res = run (self, "secret", "SELECT encode(secret, 'hex') FROM cluster_secret WHERE id = 1",
             NULL, error);
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
  return run_ok (PG_STORE (store), "heartbeat",
                 "INSERT INTO nodes (id, heartbeat_us) VALUES ($1, $2) "
                 "ON CONFLICT (id) DO UPDATE SET heartbeat_us = EXCLUDED.heartbeat_us",
                 VITAL_STORE_ARGS (vital_store_text (node_id), vital_store_int (now_us)), error);
}

static GPtrArray *
pg_claim_jobs (VitalSessionStore  *store,
               const char         *node_id,
               gint64              now_us,
               GError            **error)
{
  g_autoptr(PGresult) res = NULL;

  res = run (PG_STORE (store), "claim",
             "UPDATE sessions SET claimed = true WHERE id IN ("
             "  SELECT id FROM sessions WHERE status = 'processing' AND payload_node = $1 "
             "  AND NOT claimed FOR UPDATE SKIP LOCKED) "
             "RETURNING " VITAL_SESSION_COLUMNS, VITAL_STORE_ARGS (vital_store_text (node_id)),
             error);
  return res != NULL ? rows_to_sessions (res) : NULL;
}

static GPtrArray *
pg_fail_lost (VitalSessionStore  *store,
              const char         *node_id,
              gint64              now_us,
              gint64              node_timeout_us,
              GError            **error)
{
  g_autoptr(PGresult) res = NULL;

  res = run (PG_STORE (store), "fail lost",
             "WITH lost AS ("
             "  SELECT s.id FROM sessions s "
             "  WHERE s.status = 'processing' AND s.payload_node IS NOT NULL "
             "  AND s.payload_node <> $1 AND NOT EXISTS ("
             "    SELECT 1 FROM nodes n WHERE n.id = s.payload_node AND n.heartbeat_us > $3) "
             "  FOR UPDATE OF s SKIP LOCKED), "
             "gone AS ("
             "  UPDATE sessions s SET status = 'failed', ended_us = $2, unexpected_end_us = $2, "
             "    error = $4, error_retryable = true, claimed = false "
             "  FROM lost WHERE s.id = lost.id AND s.status = 'processing' RETURNING s.id) "
             "SELECT id, pg_notify('" CHANNEL "', 'done:' || id) FROM gone",
             VITAL_STORE_ARGS (vital_store_text (node_id), vital_store_int (now_us),
                               vital_store_int (now_us - node_timeout_us),
                               vital_store_text (VITAL_SESSION_LOST_MESSAGE)), error);
  return res != NULL ? rows_to_ids (res) : NULL;
}

static gboolean
pg_is_available (VitalSessionStore *store)
{
  VitalPgStore *self = PG_STORE (store);
  gboolean available;

  g_mutex_lock (&self->mutex);
  available = self->available;
  g_mutex_unlock (&self->mutex);
  return available;
}

/* ---- LISTEN/NOTIFY ----------------------------------------------------------------------- */

static void listen_start (VitalPgStore *self);

static void
listen_stop (VitalPgStore *self)
{
  if (self->listen_source != NULL)
    {
      g_source_destroy (self->listen_source);
      g_clear_pointer (&self->listen_source, g_source_unref);
    }
  if (self->retry_source != NULL)
    {
      g_source_destroy (self->retry_source);
      g_clear_pointer (&self->retry_source, g_source_unref);
    }
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
  if (self->listen_source != NULL)
    {
      g_source_destroy (self->listen_source);
      g_clear_pointer (&self->listen_source, g_source_unref);
    }
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
  PGconn *conn = connect_db (self->uri, &error);

  if (conn == NULL || !exec_on (conn, "listen", "LISTEN " CHANNEL, &error))
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

/* ---- Object ------------------------------------------------------------------------------ */

static void
vital_pg_store_finalize (GObject *object)
{
  VitalPgStore *self = PG_STORE (object);

  listen_stop (self);
  g_clear_pointer (&self->watch_context, g_main_context_unref);
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
  store_class->insert = pg_insert;
  store_class->get = pg_get;
  store_class->mark_uploaded = pg_mark_uploaded;
  store_class->begin_processing = pg_begin_processing;
  store_class->finish = pg_finish;
  store_class->abandon = pg_abandon;
  store_class->take_result = pg_take_result;
  store_class->list = pg_list;
  store_class->consume_quota = pg_consume_quota;
  store_class->get_quota_used = pg_get_quota_used;
  store_class->maintain = pg_maintain;
  store_class->list_ids = pg_list_ids;
  store_class->count_results = pg_count_results;
  store_class->rate_limit = pg_rate_limit;
  store_class->share_secret = pg_share_secret;
  store_class->heartbeat = pg_heartbeat;
  store_class->claim_jobs = pg_claim_jobs;
  store_class->fail_lost = pg_fail_lost;
  store_class->watch = pg_watch;
  store_class->is_available = pg_is_available;
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
  res = run (self, "schema version", "SELECT coalesce(max(version), 0) FROM schema_version",
             NULL, error);
  return res != NULL ? (int) int_value (res, 0, 0) : -1;
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
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (VITAL_IS_PG_STORE (self), FALSE);
  res = run (self, "reset",
             "TRUNCATE sessions, quota, rate_windows, nodes, cluster_secret", NULL, error);
  return res != NULL;
}
