/* vital-pg-store-sessions.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalPgStore's session rows: a session's lifecycle (read, the transitions as one conditional
 * statement each, so that of two nodes asking at once one wins), the result's hand-out (exactly
 * once across nodes under a row lock), a key's history, and the maintenance pass that expires
 * sessions and purges results for every node. Inserting, abandoning, listing ids and counting
 * results run the same way in both back ends (vital-session-store-backend.c, with the SQL in
 * vital-pg-store.c).
 */
#include "vital-pg-store-private.h"
#include "vital-server-error.h"

/* The rows of a key's history: $1 key, $2–$3 created range, $4 user or NULL for every user,
 * $5 payload kind. */
#define LIST_WHERE \
  "key_id = $1 AND created_us >= $2 AND created_us <= $3 " \
  "AND ($4::text IS NULL OR user_id = $4) AND payload_kind = $5"

/* A page of it: each session, its persisted result ($8 now) and the total; $6 limit, $7 offset. */
#define LIST_PAGE(order) \
  "SELECT " VITAL_SESSION_COLUMNS ", " \
  "  CASE WHEN NOT result_once AND result_expires_us > $8 THEN result_json END, " \
  "  count(*) OVER () " \
  "FROM sessions WHERE " LIST_WHERE " " \
  "ORDER BY created_us " order ", id " order " LIMIT $6 OFFSET $7"

enum
{
  SELECT,
  EXPIRE_ONE,
  UPLOADED,
  PROCESSING,
  NOTIFY_JOBS,
  FINISH,
  TAKE_RESULT,
  EXPIRE_KEY,
  LIST_ASCENDING,
  LIST_DESCENDING,
  LIST_COUNT,
  EXPIRE_ALL,
  PURGE_RESULTS,
  PURGE_RATE_WINDOWS,
  VACUUM,
};

static const VitalStoreStatement statements[] = {
  [SELECT] = { "select", "SELECT " VITAL_SESSION_COLUMNS " FROM sessions WHERE id = $1" },
  [EXPIRE_ONE] = { "expire",
    VITAL_SESSION_EXPIRE "AND id = $1 RETURNING " VITAL_SESSION_COLUMNS },
  [UPLOADED] = { "upload",
    "UPDATE sessions SET status = 'uploaded', uploaded_us = $2, "
    "payload_bytes = $3, payload_node = $4 "
    "WHERE id = $1 AND status IN ('pending', 'uploaded') "
    "AND expires_us > $2 RETURNING id" },
  /* Claimed at once when the asking node ($2) holds the payload. */
  [PROCESSING] = { "processing",
    "UPDATE sessions SET status = 'processing', "
    "  claimed = (payload_node IS NOT DISTINCT FROM $2) "
    "WHERE id = $1 AND status = 'uploaded' AND expires_us > $3 "
    "RETURNING " VITAL_SESSION_COLUMNS },
  [NOTIFY_JOBS] = { "notify", "SELECT pg_notify('" VITAL_PG_CHANNEL "', $1)" },
  /* Written once: only a session still processing takes an outcome. */
  [FINISH] = { "finish",
    "WITH done AS ("
    "  UPDATE sessions SET status = $2, ended_us = $3, error = $4, "
    "    processing_time_ms = $5, result_json = $6, result_expires_us = $7, "
    "    result_once = $8, claimed = false "
    "  WHERE id = $1 AND status = 'processing' RETURNING id) "
    VITAL_PG_NOTIFY_DONE ("done") },
  /* The row lock makes a once-only result go to exactly one caller on any node: a second
   * caller waits, then finds it gone. One past its TTL goes now, not at the next maintenance
   * pass. */
  [TAKE_RESULT] = { "result",
    "WITH held AS ("
    "  SELECT id, result_json, result_once FROM sessions "
    "  WHERE id = $1 AND result_json IS NOT NULL AND result_expires_us > $2 "
    "  FOR UPDATE), "
    "gone AS ("
    "  UPDATE sessions s SET " VITAL_SESSION_FORGET_RESULT
    "  FROM held WHERE s.id = held.id AND held.result_once RETURNING s.id), "
    "stale AS ("
    "  UPDATE sessions SET " VITAL_SESSION_FORGET_RESULT
    "  WHERE id = $1 AND result_json IS NOT NULL AND result_expires_us <= $2 "
    "  RETURNING id) "
    "SELECT held.result_json, (SELECT count(*) FROM gone), "
    "  (SELECT count(*) FROM stale) FROM held" },
  [EXPIRE_KEY] = { "expire", VITAL_SESSION_EXPIRE "AND key_id = $1 AND expires_us <= $2" },
  [LIST_ASCENDING] = { "list", LIST_PAGE ("ASC") },
  [LIST_DESCENDING] = { "list", LIST_PAGE ("DESC") },
  [LIST_COUNT] = { "count", "SELECT count(*) FROM sessions WHERE " LIST_WHERE },
  [EXPIRE_ALL] = { "expire", VITAL_SESSION_EXPIRE "AND expires_us <= $1" },
  [PURGE_RESULTS] = { "purge",
    "UPDATE sessions SET " VITAL_SESSION_FORGET_RESULT
    "WHERE result_json IS NOT NULL AND result_expires_us <= $1" },
  [PURGE_RATE_WINDOWS] = { "rate windows", "DELETE FROM rate_windows WHERE window_start < $1" },
  /* SKIP_LOCKED: another node may be vacuuming. */
  [VACUUM] = { "vacuum", "VACUUM (SKIP_LOCKED) sessions" },
};

/* Reads a session, expiring it first when it is overdue (the same rule the maintenance pass
 * applies to every session). */
static VitalSession *
get_session (VitalPgStore  *self,
             const char    *id,
             gint64         now_us,
             GError       **error)
{
  const VitalStoreArgs *args = VITAL_STORE_ARGS (vital_store_text (id));
  g_autoptr(PGresult) res = vital_pg_run (self, &statements[SELECT], args, error);
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
  session = vital_pg_row_to_session (res, 0);
  if ((session->status != VITAL_SESSION_PENDING && session->status != VITAL_SESSION_UPLOADED)
      || session->expires_us > now_us)
    return g_steal_pointer (&session);
  expired = vital_pg_run (self, &statements[EXPIRE_ONE], args, error);
  if (expired == NULL)
    return NULL;
  if (PQntuples (expired) == 1)
    return vital_pg_row_to_session (expired, 0);
  return g_steal_pointer (&session);
}

static VitalSession *
pg_get (VitalSessionStore  *store,
        const char         *id,
        gint64              now_us,
        GError            **error)
{
  return get_session (PG_STORE (store), id, now_us, error);
}

/* Runs the conditional update @statement that moves session @id to @to: its result when it
 * matched a row; else %NULL, saying why from the session as it is now. */
static PGresult *
run_transition (VitalPgStore               *self,
                const VitalStoreStatement  *statement,
                const VitalStoreArgs       *args,
                const char                 *id,
                VitalSessionStatus          to,
                gint64                      now_us,
                GError                    **error)
{
  PGresult *res = vital_pg_run (self, statement, args, error);
  g_autoptr(VitalSession) session = NULL;

  if (res == NULL || PQntuples (res) > 0)
    return res;
  g_clear_pointer (&res, PQclear);
  session = get_session (self, id, now_us, error);
  if (session != NULL)
    vital_session_set_transition_error (session, to, error);
  return NULL;
}

static gboolean
pg_mark_uploaded (VitalSessionStore  *store,
                  const char         *id,
                  gint64              payload_bytes,
                  const char         *node_id,
                  gint64              now_us,
                  GError            **error)
{
  const VitalStoreArgs *args = VITAL_STORE_ARGS (vital_store_text (id), vital_store_int (now_us),
                                                 vital_store_int (payload_bytes),
                                                 vital_store_text (node_id));
  g_autoptr(PGresult) res = run_transition (PG_STORE (store), &statements[UPLOADED], args, id,
                                            VITAL_SESSION_UPLOADED, now_us, error);

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
  res = run_transition (self, &statements[PROCESSING],
                        VITAL_STORE_ARGS (vital_store_text (id), vital_store_text (node_id),
                                          vital_store_int (now_us)),
                        id, VITAL_SESSION_PROCESSING, now_us, error);
  if (res == NULL)
    return NULL;
  now_processing = vital_pg_row_to_session (res, 0);
  if (now_processing->payload_node == NULL
      || g_strcmp0 (now_processing->payload_node, node_id) == 0)
    return now_processing;
  /* Another node holds the payload: it is told (not fatal: it also polls for jobs). */
  jobs = g_strconcat ("jobs:", now_processing->payload_node, NULL);
  if (!vital_pg_run_ok (self, &statements[NOTIFY_JOBS],
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
  res = run_transition (PG_STORE (store), &statements[FINISH],
                        &(VitalStoreArgs) { values, G_N_ELEMENTS (values) },
                        id, outcome->status, now_us, error);
  return res != NULL;
}

static char *
pg_take_result (VitalSessionStore  *store,
                const char         *id,
                gint64              now_us,
                GError            **error)
{
  const VitalStoreArgs *args = VITAL_STORE_ARGS (vital_store_text (id), vital_store_int (now_us));
  g_autoptr(PGresult) res = vital_pg_run (PG_STORE (store), &statements[TAKE_RESULT], args,
                                          error);

  if (res == NULL || PQntuples (res) == 0)
    return NULL;
  return g_strdup (PQgetvalue (res, 0, 0));
}

static GPtrArray *
pg_list (VitalSessionStore        *store,
         const VitalSessionQuery  *query,
         gint64                    now_us,
         GPtrArray               **out_results,
         guint                    *out_total,
         GError                  **error)
{
  VitalPgStore *self = PG_STORE (store);
  VitalStoreValue values[VITAL_SESSION_N_QUERY_VALUES + 1];
  g_autoptr(PGresult) res = NULL;
  g_autoptr(PGresult) counted = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GPtrArray) results = NULL;

  /* This key's overdue sessions show as expired, as everywhere else. */
  if (!vital_pg_run_ok (self, &statements[EXPIRE_KEY],
                        VITAL_STORE_ARGS (vital_store_text (query->key_id),
                                          vital_store_int (now_us)), error))
    return NULL;
  vital_session_store_query_values (query, values);
  values[VITAL_SESSION_N_QUERY_VALUES] = vital_store_int (now_us);
  res = vital_pg_run (self, &statements[query->ascending ? LIST_ASCENDING : LIST_DESCENDING],
                      &(VitalStoreArgs) { values, G_N_ELEMENTS (values) }, error);
  if (res == NULL)
    return NULL;
  sessions = vital_pg_rows_to_sessions (res);
  results = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (results, g_strdup (vital_pg_value_or_null (res, i, VITAL_SESSION_N_COLUMNS)));
  if (PQntuples (res) > 0)
    *out_total = (guint) vital_pg_int_value (res, 0, VITAL_SESSION_N_COLUMNS + 1);
  else
    {
      /* An empty page (offset past the end, or limit 0) still reports the total. */
      counted = vital_pg_run (self, &statements[LIST_COUNT],
                              &(VitalStoreArgs) { values, VITAL_SESSION_N_FILTER_VALUES }, error);
      if (counted == NULL)
        return NULL;
      *out_total = (guint) vital_pg_int_value (counted, 0, 0);
    }
  *out_results = g_steal_pointer (&results);
  return g_steal_pointer (&sessions);
}

/* ---- Maintenance ------------------------------------------------------------------------- */

static guint
pg_maintain (VitalSessionStore  *store,
             gint64              now_us,
             GError            **error)
{
  VitalPgStore *self = PG_STORE (store);
  const VitalStoreArgs *now = VITAL_STORE_ARGS (vital_store_int (now_us));
  gint64 stale_window_s = now_us / G_USEC_PER_SEC - 2 * VITAL_PG_RATE_WINDOW_S;
  g_autoptr(PGresult) expired = vital_pg_run (self, &statements[EXPIRE_ALL], now, error);
  g_autoptr(PGresult) purged = NULL;
  guint changed;
  guint results;

  if (expired == NULL)
    return 0;
  changed = (guint) g_ascii_strtoull (PQcmdTuples (expired), NULL, 10);
  purged = vital_pg_run (self, &statements[PURGE_RESULTS], now, error);
  if (purged == NULL)
    return changed;
  results = (guint) g_ascii_strtoull (PQcmdTuples (purged), NULL, 10);
  vital_pg_run_ok (self, &statements[PURGE_RATE_WINDOWS],
                   VITAL_STORE_ARGS (vital_store_int (stale_window_s)), NULL);
  /* The purged results are dead row versions until vacuumed: vacuum now rather than whenever
   * autovacuum gets to it. */
  if (results > 0)
    vital_pg_run_ok (self, &statements[VACUUM], NULL, NULL);
  return changed + results;
}

void
vital_pg_store_install_sessions (VitalSessionStoreClass *store_class)
{
  store_class->get = pg_get;
  store_class->mark_uploaded = pg_mark_uploaded;
  store_class->begin_processing = pg_begin_processing;
  store_class->finish = pg_finish;
  store_class->take_result = pg_take_result;
  store_class->list = pg_list;
  store_class->maintain = pg_maintain;
}
