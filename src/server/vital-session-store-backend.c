/* vital-session-store-backend.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns what both back ends of VitalSessionStore do alike: a session row read and written in the
 * one column order of VITAL_SESSION_COLUMNS, what a finished session's columns become, the
 * errors both give, and the vfuncs that run one statement the same way in both, each back end
 * with its own SQL (see vital-session-store-private.h).
 */
#include <string.h>

#include "vital-server-error.h"
#include "vital-session-store-private.h"

/**
 * vital_session_store_read_row:
 * @reader: how the back end reads a column
 * @row: the row, as @reader takes it; its first VITAL_SESSION_N_COLUMNS columns are
 *   VITAL_SESSION_COLUMNS
 *
 * An unknown status reads as failed.
 *
 * Returns: (transfer full): the session
 */
VitalSession *
vital_session_store_read_row (const VitalStoreRowReader *reader,
                              gconstpointer              row)
{
  VitalSession *s = g_new0 (VitalSession, 1);

  s->id = g_strdup (reader->text (row, 0));
  s->key_id = g_strdup (reader->text (row, 1));
  s->user_id = g_strdup (reader->text (row, 2));
  s->environment = reader->integer (row, 3) ? VITAL_KEY_ENV_LIVE : VITAL_KEY_ENV_TEST;
  if (!vital_session_status_from_string (reader->text (row, 4), &s->status))
    s->status = VITAL_SESSION_FAILED;
  s->created_us = reader->integer (row, 5);
  s->expires_us = reader->integer (row, 6);
  s->uploaded_us = reader->integer (row, 7);
  s->ended_us = reader->integer (row, 8);
  s->unexpected_end_us = reader->integer (row, 9);
  s->created_timezone = g_strdup (reader->text (row, 10));
  s->demographics.age = (int) reader->integer (row, 11);
  s->demographics.sex = (VitalSex) reader->integer (row, 12);
  s->demographics.fitzpatrick = (int) reader->integer (row, 13);
  s->payload_bytes = reader->integer (row, 14);
  s->error = g_strdup (reader->text (row, 15));
  s->processing_time_ms = reader->real (row, 16);
  s->payload_node = g_strdup (reader->text (row, 17));
  s->retryable = reader->boolean (row, 18);
  s->payload_kind = g_strdup (reader->text (row, 19));
  return s;
}

/**
 * vital_session_store_row_values:
 * @session: a session
 * @values: (out caller-allocates) (array fixed-size=20): the values of VITAL_SESSION_COLUMNS,
 *   borrowing @session's strings
 *
 * A session without a time zone is stored as in "UTC".
 */
void
vital_session_store_row_values (const VitalSession *session,
                                VitalStoreValue    *values)
{
  const VitalStoreValue row[VITAL_SESSION_N_COLUMNS] = {
    vital_store_text (session->id),
    vital_store_text (session->key_id),
    vital_store_text (session->user_id),
    vital_store_int (session->environment == VITAL_KEY_ENV_LIVE),
    vital_store_text (vital_session_status_to_string (session->status)),
    vital_store_int (session->created_us),
    vital_store_int (session->expires_us),
    vital_store_int (session->uploaded_us),
    vital_store_int (session->ended_us),
    vital_store_int (session->unexpected_end_us),
    vital_store_text (session->created_timezone != NULL ? session->created_timezone : "UTC"),
    vital_store_int (session->demographics.age),
    vital_store_int ((int) session->demographics.sex),
    vital_store_int (session->demographics.fitzpatrick),
    vital_store_int (session->payload_bytes),
    vital_store_text (session->error),
    vital_store_double (session->processing_time_ms),
    vital_store_text (session->payload_node),
    vital_store_bool (session->retryable),
    vital_store_text (vital_session_get_payload_kind (session)),
  };

  memcpy (values, row, sizeof row);
}

/**
 * vital_session_store_outcome_values:
 * @outcome: how the session ended
 * @id: the session
 * @now_us: when it ended
 * @values: (out caller-allocates) (array fixed-size=8): $1 @id, then what a finished session's
 *   columns become (see VITAL_SESSION_N_OUTCOME_VALUES), borrowing @outcome's strings
 */
void
vital_session_store_outcome_values (const VitalSessionOutcome *outcome,
                                    const char                *id,
                                    gint64                     now_us,
                                    VitalStoreValue           *values)
{
  const VitalStoreValue row[VITAL_SESSION_N_OUTCOME_VALUES] = {
    vital_store_text (id), vital_store_text (vital_session_status_to_string (outcome->status)),
    vital_store_int (now_us), vital_store_text (outcome->error_text),
    vital_store_double (outcome->processing_time_ms), vital_store_text (outcome->result_json),
    vital_store_int (outcome->result_expires_us), vital_store_bool (outcome->result_once),
  };

  memcpy (values, row, sizeof row);
}

/**
 * vital_session_store_query_values:
 * @query: a page of a key's history
 * @values: (out caller-allocates) (array fixed-size=7): the values of the statement that
 *   selects it (see VITAL_SESSION_N_QUERY_VALUES), borrowing @query's strings
 */
void
vital_session_store_query_values (const VitalSessionQuery *query,
                                  VitalStoreValue         *values)
{
  const VitalStoreValue row[VITAL_SESSION_N_QUERY_VALUES] = {
    vital_store_text (query->key_id), vital_store_int (query->from_us),
    vital_store_int (query->to_us), vital_store_text (query->user_id),
    vital_store_text (query->payload_kind), vital_store_int (query->limit),
    vital_store_int (query->offset),
  };

  memcpy (values, row, sizeof row);
}

/**
 * vital_session_store_quota_error:
 * @quota: the monthly quota that is used up
 * @error: return location for a #GError
 *
 * Sets %VITAL_SERVER_ERROR_QUOTA_EXCEEDED.
 *
 * Returns: %FALSE
 */
gboolean
vital_session_store_quota_error (guint    quota,
                                 GError **error)
{
  g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_QUOTA_EXCEEDED,
               "The monthly quota of %u scans for this key is used up; it renews on the "
               "first day of next month (UTC)", quota);
  return FALSE;
}

/* ---- The vfuncs both back ends share ------------------------------------------------------ */

static gboolean
run_sql (VitalSessionStore       *store,
         VitalStoreSqlStatement   which,
         const VitalStoreArgs    *args,
         VitalStoreRowFunc        row,
         gpointer                 user_data,
         GError                 **error)
{
  const VitalStoreSql *sql = VITAL_SESSION_STORE_GET_CLASS (store)->sql;

  return sql->run (store, &sql->statements[which], args, row, user_data, error);
}

/* A row's first column, as text (for ids) or as a count. */
static void
add_first_text (const VitalStoreRowReader *reader,
                gconstpointer              row,
                gpointer                   user_data)
{
  g_ptr_array_add (user_data, g_strdup (reader->text (row, 0)));
}

static void
read_first_count (const VitalStoreRowReader *reader,
                  gconstpointer              row,
                  gpointer                   user_data)
{
  *(guint *) user_data = (guint) CLAMP (reader->integer (row, 0), 0, G_MAXUINT);
}

static gboolean
sql_insert (VitalSessionStore   *store,
            const VitalSession  *session,
            GError             **error)
{
  VitalStoreValue values[VITAL_SESSION_N_COLUMNS];

  vital_session_store_row_values (session, values);
  return run_sql (store, VITAL_STORE_SQL_INSERT,
                  &(VitalStoreArgs) { values, VITAL_SESSION_N_COLUMNS }, NULL, NULL, error);
}

static gboolean
sql_abandon (VitalSessionStore  *store,
             const char         *id,
             const char         *error_text,
             gboolean            retryable,
             gint64              now_us,
             GError            **error)
{
  return run_sql (store, VITAL_STORE_SQL_ABANDON,
                  VITAL_STORE_ARGS (vital_store_text (id), vital_store_int (now_us),
                                    vital_store_text (error_text), vital_store_bool (retryable)),
                  NULL, NULL, error);
}

static GPtrArray *
sql_list_ids (VitalSessionStore   *store,
              VitalSessionStatus   status,
              const char          *node_id,
              GError             **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  const char *status_text = vital_session_status_to_string (status);

  if (!run_sql (store, VITAL_STORE_SQL_LIST_IDS,
                VITAL_STORE_ARGS (vital_store_text (status_text), vital_store_text (node_id)),
                add_first_text, ids, error))
    return NULL;
  return g_steal_pointer (&ids);
}

static guint
sql_count_results (VitalSessionStore *store)
{
  guint n = 0;

  run_sql (store, VITAL_STORE_SQL_COUNT_RESULTS, NULL, read_first_count, &n, NULL);
  return n;
}

static gboolean
sql_get_quota_used (VitalSessionStore  *store,
                    const char         *key_id,
                    const char         *month,
                    guint              *out_used,
                    GError            **error)
{
  *out_used = 0;
  return run_sql (store, VITAL_STORE_SQL_QUOTA_USED,
                  VITAL_STORE_ARGS (vital_store_text (key_id), vital_store_text (month)),
                  read_first_count, out_used, error);
}

/**
 * vital_session_store_class_install_sql:
 * @klass: a back end's class
 * @sql: (transfer none): how it runs the statements both back ends share; must outlive @klass
 *
 * Installs the vfuncs written once for both back ends (insert, abandon, list_ids,
 * count_results, get_quota_used), each running @sql's statement.
 */
void
vital_session_store_class_install_sql (VitalSessionStoreClass *klass,
                                       const VitalStoreSql    *sql)
{
  klass->sql = sql;
  klass->insert = sql_insert;
  klass->abandon = sql_abandon;
  klass->list_ids = sql_list_ids;
  klass->count_results = sql_count_results;
  klass->get_quota_used = sql_get_quota_used;
}
