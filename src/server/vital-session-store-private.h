/* vital-session-store-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What VitalSessionStore's back ends share: the SQL both speak (the session row's columns,
 * expiry, forgetting a result), a statement and its parameter values, the session row and a
 * finished session's values, the errors both give, and the driver (VitalStoreSql) through which
 * the vfuncs that both run alike are written once (all in vital-session-store-backend.c).
 * Private to src/server/.
 */
#pragma once

#include "vital-session-store.h"

G_BEGIN_DECLS

/* The columns of a session row, in the order vital_session_store_read_row() reads them and
 * vital_session_store_row_values() gives their values. */
#define VITAL_SESSION_COLUMNS \
  "id, key_id, user_id, environment, status, created_us, expires_us, uploaded_us, ended_us, " \
  "unexpected_end_us, created_timezone, age, sex, fitzpatrick, payload_bytes, error, " \
  "processing_time_ms, payload_node, error_retryable, payload_kind"
#define VITAL_SESSION_N_COLUMNS 20

/* Inserts a session row: @placeholders are the back end's for the VITAL_SESSION_N_COLUMNS
 * values. */
#define VITAL_SESSION_INSERT(placeholders) \
  "INSERT INTO sessions (" VITAL_SESSION_COLUMNS ") VALUES (" placeholders ")"


/* The lifecycle's expiry in SQL: an unfinished session past its deadline expires, ended
 * unexpectedly at that deadline. Callers append "AND expires_us <= <now>" (or test the
 * deadline themselves) and any narrower condition. */
#define VITAL_SESSION_EXPIRE \
  "UPDATE sessions SET status = 'expired', unexpected_end_us = expires_us " \
  "WHERE status IN ('pending', 'uploaded') "

/* What forgetting a session's result sets (delivered once, or past its TTL). */
#define VITAL_SESSION_FORGET_RESULT \
  "result_json = NULL, result_expires_us = 0, result_once = false "

/* The most parameters one statement takes. */
#define VITAL_STORE_MAX_VALUES 24

/**
 * VitalStoreValueType:
 * @VITAL_STORE_NULL: SQL NULL
 * @VITAL_STORE_TEXT: @text
 * @VITAL_STORE_INT: @integer
 * @VITAL_STORE_DOUBLE: @real
 * @VITAL_STORE_BOOL: @integer, 0 or 1 (a boolean column in PostgreSQL, an integer in SQLite)
 *
 * What a #VitalStoreValue holds.
 */
typedef enum
{
  VITAL_STORE_NULL,
  VITAL_STORE_TEXT,
  VITAL_STORE_INT,
  VITAL_STORE_DOUBLE,
  VITAL_STORE_BOOL,
} VitalStoreValueType;

/**
 * VitalStoreValue:
 * @type: which member holds the value
 * @text: (nullable): borrowed: it must outlive the statement
 * @integer: an integer or boolean value
 * @real: a floating-point value
 *
 * One parameter of a statement; every value reaches the database as a parameter, never in the
 * SQL text.
 */
typedef struct
{
  VitalStoreValueType type;
  const char         *text;
  gint64              integer;
  double              real;
} VitalStoreValue;

/**
 * VitalStoreArgs:
 * @values: (array length=n): the parameters, $1 (or ?1) first
 * @n: how many
 *
 * A statement's parameters, borrowed for the call.
 */
typedef struct
{
  const VitalStoreValue *values;
  guint                  n;
} VitalStoreArgs;

static inline VitalStoreValue
vital_store_text (const char *text)
{
  return (VitalStoreValue) { text != NULL ? VITAL_STORE_TEXT : VITAL_STORE_NULL, text, 0, 0 };
}

static inline VitalStoreValue
vital_store_int (gint64 integer)
{
  return (VitalStoreValue) { VITAL_STORE_INT, NULL, integer, 0 };
}

static inline VitalStoreValue
vital_store_double (double real)
{
  return (VitalStoreValue) { VITAL_STORE_DOUBLE, NULL, 0, real };
}

static inline VitalStoreValue
vital_store_bool (gboolean value)
{
  return (VitalStoreValue) { VITAL_STORE_BOOL, NULL, value ? 1 : 0, 0 };
}

/* (const VitalStoreArgs *) for the values given, e.g.
 * VITAL_STORE_ARGS (vital_store_text (id), vital_store_int (now_us)); they live until the end
 * of the enclosing block. */
#define VITAL_STORE_ARGS(...) \
  (&(const VitalStoreArgs) { (const VitalStoreValue[]) { __VA_ARGS__ }, \
                             sizeof ((const VitalStoreValue[]) { __VA_ARGS__ }) \
                             / sizeof (VitalStoreValue) })

/**
 * VitalStoreStatement:
 * @what: names the statement in an error ("Session store: claim: …")
 * @sql: the statement; its parameters are $1, $2, … in PostgreSQL, ?1, ?2, … in SQLite
 *
 * One statement of a back end, kept in a table at the top of the file that runs it.
 */
typedef struct
{
  const char *what;
  const char *sql;
} VitalStoreStatement;

/**
 * VitalStoreRowReader:
 * @text: the column's text, %NULL for SQL NULL (borrowed from @row)
 * @integer: the column as an integer
 * @real: the column as a floating-point number
 * @boolean: the column as a boolean
 *
 * How a back end reads the columns of one result row (@row is its own: a statement, a result
 * and a row number, ...).
 */
typedef struct
{
  const char *(*text)    (gconstpointer row,
                          int           column);
  gint64      (*integer) (gconstpointer row,
                          int           column);
  double      (*real)    (gconstpointer row,
                          int           column);
  gboolean    (*boolean) (gconstpointer row,
                          int           column);
} VitalStoreRowReader;

/**
 * VitalStoreRowFunc:
 * @reader: reads @row's columns
 * @row: one row of the statement's result
 * @user_data: closure data
 *
 * Called by #VitalStoreSql's run for each row a statement returns.
 */
typedef void (*VitalStoreRowFunc) (const VitalStoreRowReader *reader,
                                   gconstpointer              row,
                                   gpointer                   user_data);

/**
 * VitalStoreSqlStatement:
 * @VITAL_STORE_SQL_INSERT: a new session: the values of VITAL_SESSION_COLUMNS, in that order
 * @VITAL_STORE_SQL_ABANDON: 1 id, 2 now, 3 error text, 4 retryable: a processing session fails
 *   unexpectedly (and its end is announced to the nodes, where there are any)
 * @VITAL_STORE_SQL_LIST_IDS: 1 status, 2 node id or NULL: the ids of its sessions (the node's
 *   only, where there are nodes), in the first column
 * @VITAL_STORE_SQL_COUNT_RESULTS: how many results are held, in the first column
 * @VITAL_STORE_SQL_QUOTA_USED: 1 key, 2 month: the units used, in the first column of the
 *   row (no row: none)
 *
 * The statements that both back ends run the same way, with their own SQL.
 */
typedef enum
{
  VITAL_STORE_SQL_INSERT,
  VITAL_STORE_SQL_ABANDON,
  VITAL_STORE_SQL_LIST_IDS,
  VITAL_STORE_SQL_COUNT_RESULTS,
  VITAL_STORE_SQL_QUOTA_USED,
  VITAL_STORE_SQL_N_STATEMENTS,
} VitalStoreSqlStatement;

/**
 * VitalStoreSql:
 * @run: runs @statement with @args (a statement may leave trailing values unused), calling
 *   @row (if not %NULL) for each row it returns; %FALSE with @error set when it failed
 * @statements: the back end's SQL of each #VitalStoreSqlStatement
 *
 * What the vfuncs written once in vital-session-store-backend.c need of a back end.
 */
typedef struct _VitalStoreSql
{
  gboolean (*run) (VitalSessionStore          *store,
                   const VitalStoreStatement  *statement,
                   const VitalStoreArgs       *args,
                   VitalStoreRowFunc           row,
                   gpointer                    user_data,
                   GError                    **error);
  VitalStoreStatement statements[VITAL_STORE_SQL_N_STATEMENTS];
} VitalStoreSql;

/* What vital_session_store_outcome_values() gives: $1 the session's id, then the values of
 * its columns status, ended_us, error, processing_time_ms, result_json, result_expires_us and
 * result_once ($2–$8). */
#define VITAL_SESSION_N_OUTCOME_VALUES 8

/* What vital_session_store_query_values() gives for a page of a key's history: $1 key_id,
 * $2–$3 the created range, $4 user_id (NULL: every user), $5 payload_kind (the first
 * VITAL_SESSION_N_FILTER_VALUES choose the rows), then $6 limit and $7 offset. */
#define VITAL_SESSION_N_FILTER_VALUES 5
#define VITAL_SESSION_N_QUERY_VALUES 7

VitalSession *vital_session_store_read_row        (const VitalStoreRowReader *reader,
                                                  gconstpointer              row);
void          vital_session_store_row_values     (const VitalSession        *session,
                                                  VitalStoreValue           *values);
void          vital_session_store_outcome_values (const VitalSessionOutcome *outcome,
                                                  const char                *id,
                                                  gint64                     now_us,
                                                  VitalStoreValue           *values);
void          vital_session_store_query_values   (const VitalSessionQuery   *query,
                                                  VitalStoreValue           *values);
void          vital_session_store_class_install_sql (VitalSessionStoreClass *klass,
                                                     const VitalStoreSql    *sql);
gboolean      vital_session_store_quota_error      (guint                      quota,
                                                  GError                   **error);

G_END_DECLS
