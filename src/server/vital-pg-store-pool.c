/* vital-pg-store-pool.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalPgStore's connections and statements: a small pool of libpq connections under a mutex
 * serves every thread; a connection found dead is dropped and a new one opened, and while none
 * can be opened every call fails fast with a retryable SERVICE_UNAVAILABLE. Every statement is
 * parameterised (PQexecParams); its rows are read back here as sessions, ids or numbers.
 */
#include <poll.h>

#include "vital-pg-store-private.h"
#include "vital-server-error.h"

#define RECONNECT_BACKOFF_US (1 * G_USEC_PER_SEC)
#define POOL_WAIT_US (10 * G_USEC_PER_SEC)

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

PGconn *
vital_pg_connect (const char  *uri,
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

PGconn *
vital_pg_acquire (VitalPgStore  *self,
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
          conn = vital_pg_connect (self->uri, error);
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

void
vital_pg_release (VitalPgStore *self,
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

/* ---- Statements -------------------------------------------------------------------------- */

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

/* Returns @res when the statement succeeded; else frees it and returns %NULL with @error set. */
static PGresult *
check_result (PGconn      *conn,
              PGresult    *res,
              const char  *what,
              GError     **error)
{
  ExecStatusType status = PQresultStatus (res);

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      set_result_error (conn, res, what, error);
      g_clear_pointer (&res, PQclear);
    }
  return res;
}

/* Runs one parameterised statement on a pooled connection.
 * Returns: (transfer full) (nullable): its result, %NULL when it failed */
PGresult *
vital_pg_run (VitalPgStore               *self,
              const VitalStoreStatement  *statement,
              const VitalStoreArgs       *args,
              GError                    **error)
{
  g_auto(Params) params = { 0 };
  PGconn *conn = vital_pg_acquire (self, error);
  PGresult *res;

  if (conn == NULL)
    return NULL;
  if (args != NULL)
    params_set (&params, args);
  res = PQexecParams (conn, statement->sql, params.n, NULL, params.values, NULL, NULL, 0);
  res = check_result (conn, res, statement->what, error);
  vital_pg_release (self, conn);
  return res;
}

/* Runs a statement whose rows, if any, are not wanted. Returns: %TRUE when it succeeded */
gboolean
vital_pg_run_ok (VitalPgStore               *self,
                 const VitalStoreStatement  *statement,
                 const VitalStoreArgs       *args,
                 GError                    **error)
{
  g_autoptr(PGresult) res = vital_pg_run (self, statement, args, error);

  return res != NULL;
}

/* Runs @sql, which takes no parameters, on @conn (outside the pool: a migration's transaction,
 * the listener). Returns: (transfer full) (nullable): its result, %NULL when it failed */
PGresult *
vital_pg_query_on (PGconn      *conn,
                   const char  *what,
                   const char  *sql,
                   GError     **error)
{
  return check_result (conn, PQexec (conn, sql), what, error);
}

/* For /health: %FALSE while no connection could be opened. */
gboolean
vital_pg_store_is_available (VitalSessionStore *store)
{
  VitalPgStore *self = PG_STORE (store);
  gboolean available;

  g_mutex_lock (&self->mutex);
  available = self->available;
  g_mutex_unlock (&self->mutex);
  return available;
}

/* ---- Rows -------------------------------------------------------------------------------- */

const char *
vital_pg_value_or_null (const PGresult *res,
                        int             row,
                        int             col)
{
  return PQgetisnull (res, row, col) ? NULL : PQgetvalue (res, row, col);
}

gint64
vital_pg_int_value (const PGresult *res,
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

  return vital_pg_value_or_null (r->res, r->row, column);
}

static gint64
row_integer (gconstpointer row,
             int           column)
{
  const Row *r = row;

  return vital_pg_int_value (r->res, r->row, column);
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

VitalSession *
vital_pg_row_to_session (const PGresult *res,
                         int             row)
{
  Row r = { res, row };

  return vital_session_store_read_row (&row_reader, &r);
}

/* VitalStoreSql's run (see vital-session-store-private.h). */
gboolean
vital_pg_run_rows (VitalSessionStore          *store,
                   const VitalStoreStatement  *statement,
                   const VitalStoreArgs       *args,
                   VitalStoreRowFunc           row,
                   gpointer                    user_data,
                   GError                    **error)
{
  g_autoptr(PGresult) res = vital_pg_run (PG_STORE (store), statement, args, error);

  if (res == NULL)
    return FALSE;
  for (int i = 0; row != NULL && i < PQntuples (res); i++)
    row (&row_reader, &(Row) { res, i }, user_data);
  return TRUE;
}

GPtrArray *
vital_pg_rows_to_sessions (const PGresult *res)
{
  GPtrArray *sessions = g_ptr_array_new_with_free_func ((GDestroyNotify) vital_session_free);

  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (sessions, vital_pg_row_to_session (res, i));
  return sessions;
}

/* The first column of every row: the ids a statement returned. */
GPtrArray *
vital_pg_rows_to_ids (const PGresult *res)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (ids, g_strdup (PQgetvalue (res, i, 0)));
  return ids;
}
