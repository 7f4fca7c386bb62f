/* test-store.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The VitalSessionStore interface driven directly, on both back ends: SQLite (a file) and
 * PostgreSQL (a throwaway cluster from pg-harness.c): sessions and their transitions, TTL
 * purges, quota and rate limits exact under concurrent threads (and two "nodes"), job claims,
 * lost jobs, migrations (a database of the previous schema, with its rows, brought up to date),
 * payload kinds, notifications and an unreachable database.
 */
#include <string.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "pg-harness.h"
#include "vital-pg-store.h"
#include "vital-sqlite-store.h"
#include "vital-server-error.h"
#include "vital-session-store.h"
#include "vital-test-util.h"

typedef enum
{
  BACKEND_SQLITE,
  BACKEND_PG,
} Backend;

static PgHarness *harness;
static char *harness_error;
static guint database_counter;

typedef struct
{
  Backend            backend;
  char              *dir;
  char              *uri;   /* PostgreSQL: this test's database */
  VitalSessionStore *store;
} Fixture;

static VitalSessionStore *
open_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  VitalSessionStore *store;

  if (f->backend == BACKEND_PG)
    store = vital_session_store_open_database (f->uri, NULL, 4, &error);
  else
    {
      path = g_build_filename (f->dir, "sessions.db", NULL);
      store = vital_session_store_open_database ("sqlite", path, 4, &error);
    }
  g_assert_no_error (error);
  return store;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->backend = GPOINTER_TO_INT (data);
  f->dir = g_dir_make_tmp ("vitalscan-test-store-XXXXXX", &error);
  g_assert_no_error (error);
  if (f->backend == BACKEND_PG)
    {
      g_autofree char *name = NULL;

      if (harness == NULL)
        return;
      name = g_strdup_printf ("store_%u", ++database_counter);
      g_assert_true (pg_harness_create_database (harness, name, &error));
      g_assert_no_error (error);
      f->uri = pg_harness_uri (harness, name);
    }
  f->store = open_store (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  vital_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->uri);
}

/* Every PostgreSQL test skips, saying why, when no PostgreSQL could be started. */
static gboolean
skip_without_pg (Fixture *f)
{
  if (f->backend == BACKEND_PG && harness == NULL)
    {
      g_test_skip (harness_error);
      return TRUE;
    }
  return FALSE;
}

#define T0 ((gint64) 1795000000 * G_USEC_PER_SEC)  /* 2026-11-18, mid-month */

/* A pending session of @kind (%NULL: as a store from before payload kinds writes it). */
static void
new_session_of_kind (VitalSessionStore *store,
                     const char        *id,
                     const char        *key_id,
                     gint64             created_us,
                     const char        *kind)
{
  g_autoptr(GError) error = NULL;
  VitalSession s = { 0 };

  s.id = (char *) id;
  s.key_id = (char *) key_id;
  s.environment = VITAL_KEY_ENV_LIVE;
  s.status = VITAL_SESSION_PENDING;
  s.created_us = created_us;
  s.expires_us = created_us + 900 * G_USEC_PER_SEC;
  s.created_timezone = (char *) "Europe/Berlin";
  s.demographics.age = 42;
  s.payload_kind = (char *) kind;
  g_assert_true (vital_session_store_insert (store, &s, &error));
  g_assert_no_error (error);
}

static void
new_session (VitalSessionStore *store,
             const char        *id,
             const char        *key_id,
             gint64             created_us)
{
  new_session_of_kind (store, id, key_id, created_us, NULL);
}

/* A page of up to ten of key-a's sessions of @kind, listed at @now_us. */
static GPtrArray *
list_key_a (VitalSessionStore  *store,
            const char         *kind,
            gboolean            ascending,
            guint               offset,
            gint64              now_us,
            GPtrArray         **out_results,
            guint              *out_total)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *page = vital_session_store_list (store, "key-a", kind, NULL, 0, G_MAXINT64,
                                              ascending, offset, 10, now_us, out_results,
                                              out_total, &error);

  g_assert_no_error (error);
  return page;
}

#define ID1 "11111111-1111-4111-8111-111111111111"
#define ID2 "22222222-2222-4222-8222-222222222222"
#define ID3 "33333333-3333-4333-8333-333333333333"

static void
test_sessions (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSession) got = NULL;
  g_autoptr(VitalSession) processing = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  guint total = 0;

  if (skip_without_pg (f))
    return;
  new_session (f->store, ID1, "key-a", T0);
  new_session (f->store, ID2, "key-a", T0 + 1);
  new_session (f->store, ID3, "key-b", T0 + 2);

  /* Bad inputs: an unknown id, a duplicate, steps out of order. */
  g_assert_null (vital_session_store_get (f->store, "00000000-0000-4000-8000-000000000000", T0,
                                          &error));
  g_assert_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SESSION_NOT_FOUND);
  g_clear_error (&error);
  {
    VitalSession dup = { .id = (char *) ID1, .key_id = (char *) "key-a" };

    g_assert_false (vital_session_store_insert (f->store, &dup, &error));
    g_assert_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INTERNAL);
    /* The message never quotes the row (PostgreSQL's DETAIL would). */
    g_assert_null (strstr (error->message, ID1));
    g_clear_error (&error);
  }
  g_assert_null (vital_session_store_begin_processing_on (f->store, ID1, NULL, T0, &error));
  g_assert_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);

  got = vital_session_store_get (f->store, ID1, T0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->key_id, ==, "key-a");
  g_assert_cmpstr (got->created_timezone, ==, "Europe/Berlin");
  g_assert_cmpint (got->demographics.age, ==, 42);
  g_assert_cmpint (got->status, ==, VITAL_SESSION_PENDING);
  g_assert_null (got->user_id);

  g_assert_true (vital_session_store_mark_uploaded_on (f->store, ID1, 1234, "node-a", T0 + 10,
                                                       &error));
  g_assert_no_error (error);
  processing = vital_session_store_begin_processing_on (f->store, ID1, "node-a", T0 + 20,
                                                        &error);
  g_assert_no_error (error);
  g_assert_cmpint (processing->status, ==, VITAL_SESSION_PROCESSING);
  g_assert_cmpstr (processing->payload_node, ==, "node-a");
  g_assert_cmpint (processing->payload_bytes, ==, 1234);
  /* Twice is an illegal transition, not a second job. */
  g_assert_null (vital_session_store_begin_processing_on (f->store, ID1, "node-a", T0 + 21,
                                                          &error));
  g_assert_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);

  g_assert_true (vital_session_store_finish (f->store, ID1, TRUE, "{\"hr\":61}", NULL, 12.5,
                                             T0 + 30, FALSE, T0 + 900 * G_USEC_PER_SEC,
                                             &error));
  g_assert_no_error (error);
  /* Written once. */
  g_assert_false (vital_session_store_finish (f->store, ID1, FALSE, NULL, "late", 1, T0 + 31,
                                              FALSE, 0, &error));
  g_assert_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);

  /* The history never lists an undelivered once-only result. */
  page = list_key_a (f->store, VITAL_PAYLOAD_KIND_TENSOR, TRUE, 0, T0 + 40, &results, &total);
  g_assert_cmpuint (total, ==, 2);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_cmpstr (((VitalSession *) page->pdata[0])->id, ==, ID1);
  g_assert_cmpint (((VitalSession *) page->pdata[0])->status, ==, VITAL_SESSION_COMPLETED);
  g_assert_null (results->pdata[0]);
  g_clear_pointer (&page, g_ptr_array_unref);
  g_clear_pointer (&results, g_ptr_array_unref);
  page = list_key_a (f->store, VITAL_PAYLOAD_KIND_TENSOR, FALSE, 5, T0 + 40, &results, &total);
  g_assert_cmpuint (total, ==, 2);
  g_assert_cmpuint (page->len, ==, 0);

  first = vital_session_store_take_result (f->store, ID1, T0 + 50, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, "{\"hr\":61}");
  second = vital_session_store_take_result (f->store, ID1, T0 + 51, &error);
  g_assert_no_error (error);
  g_assert_null (second);
  g_assert_cmpuint (vital_session_store_count_results (f->store), ==, 0);
}

static void
test_ttl (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSession) expired = NULL;
  g_autoptr(VitalSession) processing = NULL;
  g_autofree char *json = NULL;
  gint64 later = T0 + 901 * G_USEC_PER_SEC;

  if (skip_without_pg (f))
    return;
  new_session (f->store, ID1, "key-a", T0);
  new_session (f->store, ID2, "key-a", T0);
  g_assert_true (vital_session_store_mark_uploaded_on (f->store, ID2, 10, "n", T0, &error));
  processing = vital_session_store_begin_processing_on (f->store, ID2, NULL, T0, &error);
  g_assert_nonnull (processing);
  g_assert_true (vital_session_store_finish (f->store, ID2, TRUE, "{}", NULL, 1, T0, TRUE,
                                             T0 + 60 * G_USEC_PER_SEC, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (vital_session_store_count_results (f->store), ==, 1);

  /* A persisted result is handed out as often as asked while its TTL runs ... */
  json = vital_session_store_take_result (f->store, ID2, T0 + 1, &error);
  g_assert_cmpstr (json, ==, "{}");
  g_clear_pointer (&json, g_free);
  json = vital_session_store_take_result (f->store, ID2, T0 + 2, &error);
  g_assert_cmpstr (json, ==, "{}");
  g_clear_pointer (&json, g_free);
  /* ... and never after, even before a maintenance pass ran. */
  json = vital_session_store_take_result (f->store, ID2, T0 + 61 * G_USEC_PER_SEC, &error);
  g_assert_no_error (error);
  g_assert_null (json);

  g_assert_cmpuint (vital_session_store_maintain (f->store, later), >=, 1);
  g_assert_cmpuint (vital_session_store_count_results (f->store), ==, 0);
  expired = vital_session_store_get (f->store, ID1, later, &error);
  g_assert_no_error (error);
  g_assert_cmpint (expired->status, ==, VITAL_SESSION_EXPIRED);
  g_assert_false (vital_session_store_mark_uploaded_on (f->store, ID1, 10, NULL, later, &error));
  g_assert_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SESSION_EXPIRED);
}

typedef struct
{
  VitalSessionStore *store;
  guint              attempts;
  guint              granted;
  gboolean           rate;  /* rate limit instead of quota */
} Hammer;

static gpointer
hammer_thread (gpointer data)
{
  Hammer *h = data;

  for (guint i = 0; i < h->attempts; i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok;

      if (h->rate)
        {
          VitalRateLimitState state;

          ok = vital_session_store_rate_limit (h->store, "key:hammer", 30, TRUE, T0, &state,
                                               &error);
        }
      else
        ok = vital_session_store_consume_quota (h->store, "key-q", T0, 100, NULL, &error);
      if (ok)
        h->granted++;
      else
        g_assert_true (error == NULL
                       || g_error_matches (error, VITAL_SERVER_ERROR,
                                           VITAL_SERVER_ERROR_QUOTA_EXCEEDED));
    }
  return NULL;
}

/* Eight threads (on PostgreSQL: over two store instances, i.e. two nodes) ask for 400 units
 * of a quota of 100 (or 160 requests of a rate limit of 30): exactly the limit is granted. */
static void
run_hammer (Fixture  *f,
            gboolean  rate)
{
  g_autoptr(VitalSessionStore) second = open_store (f);
  Hammer hammers[8];
  GThread *threads[8];
  guint granted = 0;

  for (guint i = 0; i < G_N_ELEMENTS (hammers); i++)
    {
      hammers[i].store = (i % 2 == 0 || f->backend == BACKEND_SQLITE) ? f->store : second;
      hammers[i].attempts = rate ? 20 : 50;
      hammers[i].granted = 0;
      hammers[i].rate = rate;
      threads[i] = g_thread_new ("hammer", hammer_thread, &hammers[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (hammers); i++)
    {
      g_thread_join (threads[i]);
      granted += hammers[i].granted;
    }
  g_assert_cmpuint (granted, ==, rate ? 30 : 100);
}

static void
test_quota_threads (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint used = 0;

  if (skip_without_pg (f))
    return;
  run_hammer (f, FALSE);
  g_assert_cmpuint (vital_session_store_get_quota_used (f->store, "key-q", T0), ==, 100);
  g_assert_false (vital_session_store_consume_quota (f->store, "key-q", T0, 100, &used,
                                                     &error));
  g_assert_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_QUOTA_EXCEEDED);
  g_clear_error (&error);
  /* A new month starts from zero; 0 means unlimited. */
  g_assert_true (vital_session_store_consume_quota (f->store, "key-q",
                                                    T0 + (gint64) 31 * 86400 * G_USEC_PER_SEC,
                                                    100, &used, &error));
  g_assert_cmpuint (used, ==, 1);
  for (guint i = 0; i < 3; i++)
    g_assert_true (vital_session_store_consume_quota (f->store, "key-free", T0, 0, &used,
                                                      &error));
  g_assert_cmpuint (used, ==, 3);
}

static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  VitalRateLimitState state;
  gint64 window = T0 - T0 % (60 * G_USEC_PER_SEC);

  if (skip_without_pg (f))
    return;
  run_hammer (f, TRUE);

  for (guint i = 0; i < 5; i++)
    {
      g_assert_true (vital_session_store_rate_limit (f->store, "addr:1.2.3.4", 5, TRUE,
                                                     window + i, &state, &error));
      g_assert_cmpuint (state.remaining, ==, 4 - i);
      g_assert_cmpuint (state.limit, ==, 5);
    }
  g_assert_false (vital_session_store_rate_limit (f->store, "addr:1.2.3.4", 5, TRUE,
                                                  window + 10 * G_USEC_PER_SEC, &state, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (state.remaining, ==, 0);
  g_assert_cmpuint (state.retry_after_s, ==, 50);
  g_assert_cmpint (state.reset_unix, ==, window / G_USEC_PER_SEC + 60);
  /* Peeking counts nothing; another bucket is apart; the next window starts afresh. */
  g_assert_true (vital_session_store_rate_limit (f->store, "addr:1.2.3.4", 5, FALSE,
                                                 window + 11 * G_USEC_PER_SEC, &state, &error));
  g_assert_cmpuint (state.remaining, ==, 0);
  g_assert_true (vital_session_store_rate_limit (f->store, "addr:5.6.7.8", 5, TRUE,
                                                 window + 12 * G_USEC_PER_SEC, &state, &error));
  g_assert_true (vital_session_store_rate_limit (f->store, "addr:1.2.3.4", 5, TRUE,
                                                 window + 60 * G_USEC_PER_SEC, &state, &error));
  g_assert_cmpuint (state.remaining, ==, 4);
  /* Unlimited. */
  g_assert_true (vital_session_store_rate_limit (f->store, "key:free", 0, TRUE, window, &state,
                                                 &error));
  g_assert_cmpuint (state.limit, ==, G_MAXINT32);
}

/* Jobs of another node wait for their holder to claim them; a dead holder's jobs fail as lost
 * (retryable), and its late outcome is not written over that. */
static void
test_pg_claims_and_lost (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSessionStore) node_b = NULL;
  g_autoptr(VitalSession) processing = NULL;
  g_autoptr(VitalSession) failed = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) lost = NULL;
  g_autoptr(GPtrArray) not_yet = NULL;

  if (skip_without_pg (f))
    return;
  node_b = open_store (f);
  g_assert_true (vital_session_store_is_shared (f->store));
  g_assert_true (vital_session_store_heartbeat (f->store, "node-a", T0, &error));
  g_assert_true (vital_session_store_heartbeat (node_b, "node-b", T0, &error));
  new_session (f->store, ID1, "key-a", T0);
  new_session (f->store, ID2, "key-a", T0);
  g_assert_true (vital_session_store_mark_uploaded_on (f->store, ID1, 10, "node-a", T0, &error));
  g_assert_true (vital_session_store_mark_uploaded_on (f->store, ID2, 10, "node-a", T0, &error));

  /* upload-complete reaches node B: the job waits for node A. */
  processing = vital_session_store_begin_processing_on (node_b, ID1, "node-b", T0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (processing->payload_node, ==, "node-a");
  none = vital_session_store_claim_jobs (node_b, "node-b", T0, &error);
  g_assert_cmpuint (none->len, ==, 0);
  claimed = vital_session_store_claim_jobs (f->store, "node-a", T0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 1);
  g_assert_cmpstr (((VitalSession *) claimed->pdata[0])->id, ==, ID1);
  again = vital_session_store_claim_jobs (f->store, "node-a", T0, &error);
  g_assert_cmpuint (again->len, ==, 0);

  g_clear_pointer (&processing, vital_session_free);
  processing = vital_session_store_begin_processing_on (node_b, ID2, "node-b", T0, &error);
  g_assert_no_error (error);

  /* Node A is silent: not yet lost within the timeout, lost after it; never node B's own. */
  not_yet = vital_session_store_fail_lost (node_b, "node-b", T0 + 5 * G_USEC_PER_SEC,
                                           10 * G_USEC_PER_SEC, &error);
  g_assert_cmpuint (not_yet->len, ==, 0);
  lost = vital_session_store_fail_lost (node_b, "node-b", T0 + 11 * G_USEC_PER_SEC,
                                        10 * G_USEC_PER_SEC, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lost->len, ==, 2);
  failed = vital_session_store_get (node_b, ID1, T0 + 12, &error);
  g_assert_cmpint (failed->status, ==, VITAL_SESSION_FAILED);
  g_assert_true (failed->retryable);
  g_assert_cmpstr (failed->error, ==, VITAL_SESSION_LOST_MESSAGE);
  g_assert_false (vital_session_store_finish (f->store, ID1, TRUE, "{}", NULL, 1, T0, FALSE,
                                              T0 + 60 * G_USEC_PER_SEC, &error));
  g_assert_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_ILLEGAL_TRANSITION);
}

/* Runs @sql on the test's database directly, as an older server (or an operator) would. */
static void
raw_sql (Fixture    *f,
         const char *sql)
{
  if (f->backend == BACKEND_PG)
    {
      PGconn *conn = PQconnectdb (f->uri);
      PGresult *res;

      g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
      res = PQexec (conn, sql);
      if (PQresultStatus (res) != PGRES_COMMAND_OK)
        g_error ("%s: %s", sql, PQerrorMessage (conn));
      PQclear (res);
      PQfinish (conn);
    }
  else
    {
      g_autofree char *path = g_build_filename (f->dir, "sessions.db", NULL);
      sqlite3 *db = NULL;
      char *message = NULL;

      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
        g_error ("%s: %s", sql, message);
      sqlite3_close (db);
    }
}

/* How many of key-a's sessions are of @kind (all on one page). */
static guint
count_listed (VitalSessionStore *store,
              const char        *kind)
{
  g_autoptr(GPtrArray) results = NULL;
  guint total = 0;
  g_autoptr(GPtrArray) page = list_key_a (store, kind, TRUE, 0, T0 + 1, &results, &total);

  g_assert_cmpuint (page->len, ==, total);
  return total;
}

/* A database written by the previous release (no payload kinds: the SQLite file from before
 * versions were recorded, PostgreSQL at schema 2), with a session in it, is migrated when a
 * store opens it: its sessions are the session API's tensors, and the store keeps and filters
 * payload kinds from then on. A database newer than this build is refused. */
static void
test_migrate_previous_schema (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSession) old = NULL;
  g_autoptr(VitalSession) video = NULL;

  if (skip_without_pg (f))
    return;
  g_clear_object (&f->store);
  if (f->backend == BACKEND_PG)
    raw_sql (f, "ALTER TABLE sessions DROP COLUMN payload_kind; "
                "DELETE FROM schema_version WHERE version = 3;");
  else
    raw_sql (f, "ALTER TABLE sessions DROP COLUMN payload_kind; PRAGMA user_version = 0;");
  raw_sql (f, "INSERT INTO sessions (id, key_id, environment, status, created_us, expires_us) "
              "VALUES ('" ID1 "', 'key-a', 1, 'pending', 1795000000000000, "
              "1795000900000000);");

  f->store = open_store (f);
  if (f->backend == BACKEND_PG)
    g_assert_cmpint (vital_pg_store_get_schema_version (VITAL_PG_STORE (f->store), &error), ==,
                     VITAL_PG_STORE_SCHEMA_VERSION);
  old = vital_session_store_get (f->store, ID1, T0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (old->payload_kind, ==, VITAL_PAYLOAD_KIND_TENSOR);
  g_assert_cmpint (old->status, ==, VITAL_SESSION_PENDING);

  /* From now on a session keeps its kind, and the history asks for one kind. */
  new_session_of_kind (f->store, ID2, "key-a", T0, "video");
  video = vital_session_store_get (f->store, ID2, T0, &error);
  g_assert_cmpstr (video->payload_kind, ==, "video");
  g_assert_cmpuint (count_listed (f->store, VITAL_PAYLOAD_KIND_TENSOR), ==, 1);
  g_assert_cmpuint (count_listed (f->store, "video"), ==, 1);

  /* Opening it again changes nothing. */
  g_clear_object (&f->store);
  f->store = open_store (f);
  g_assert_cmpuint (count_listed (f->store, VITAL_PAYLOAD_KIND_TENSOR), ==, 1);
  g_assert_cmpuint (count_listed (f->store, "video"), ==, 1);

  /* A schema from a newer server is refused rather than guessed at. */
  g_clear_object (&f->store);
  if (f->backend == BACKEND_PG)
    raw_sql (f, "INSERT INTO schema_version (version) VALUES (99);");
  else
    raw_sql (f, "PRAGMA user_version = 99;");
  if (f->backend == BACKEND_PG)
    g_assert_null (vital_session_store_open_database (f->uri, NULL, 4, &error));
  else
    {
      g_autofree char *path = g_build_filename (f->dir, "sessions.db", NULL);

      g_assert_null (vital_session_store_open_database ("sqlite", path, 4, &error));
    }
  g_assert_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "newer"));
}

static void
test_pg_migrations (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSessionStore) again = NULL;
  g_autoptr(VitalPgStore) pg = NULL;
  g_autoptr(GBytes) candidate = g_bytes_new_static ("0123456789abcdef", 16);
  g_autoptr(GBytes) other = g_bytes_new_static ("fedcba9876543210", 16);
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;

  if (skip_without_pg (f))
    return;
  pg = g_object_ref (VITAL_PG_STORE (f->store));
  g_assert_cmpint (vital_pg_store_get_schema_version (pg, &error), ==,
                   VITAL_PG_STORE_SCHEMA_VERSION);
  /* Opening a migrated database again changes nothing. */
  again = open_store (f);
  g_assert_cmpint (vital_pg_store_get_schema_version (VITAL_PG_STORE (again), &error), ==,
                   VITAL_PG_STORE_SCHEMA_VERSION);

  /* The first node's secret is everyone's. */
  first = vital_session_store_share_secret (f->store, candidate, &error);
  second = vital_session_store_share_secret (again, other, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (first, candidate));
  g_assert_true (g_bytes_equal (second, candidate));

  /* Bad inputs: another scheme, an unreachable database. */
  g_assert_null (vital_session_store_open_database ("mysql://localhost/x", NULL, 1, &error));
  g_assert_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG);
  g_clear_error (&error);
  {
    g_autofree char *missing = g_strdup_printf ("postgresql:///x?host=%s&port=1", f->dir);

    g_assert_null (vital_session_store_open_database (missing, NULL, 1, &error));
    g_assert_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG);
    g_clear_error (&error);
  }
}

typedef struct
{
  GPtrArray *finished;
  GPtrArray *jobs;
} Heard;

static void
on_event (VitalStoreEvent  event,
          const char      *subject,
          gpointer         user_data)
{
  Heard *heard = user_data;

  if (event == VITAL_STORE_EVENT_FINISHED)
    g_ptr_array_add (heard->finished, g_strdup (subject));
  else if (event == VITAL_STORE_EVENT_JOBS)
    g_ptr_array_add (heard->jobs, g_strdup (subject));
}

static void
test_pg_notifications (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(VitalSessionStore) other = NULL;
  g_autoptr(VitalSession) processing = NULL;
  Heard heard = { g_ptr_array_new_with_free_func (g_free),
                  g_ptr_array_new_with_free_func (g_free) };
  gint64 deadline;

  if (skip_without_pg (f))
    return;
  other = open_store (f);
  vital_session_store_watch (f->store, context, on_event, &heard);
  new_session (other, ID1, "key-a", T0);
  g_assert_true (vital_session_store_mark_uploaded_on (other, ID1, 10, "node-a", T0, &error));
  processing = vital_session_store_begin_processing_on (other, ID1, "node-b", T0, &error);
  g_assert_no_error (error);
  g_assert_true (vital_session_store_finish (other, ID1, TRUE, "{}", NULL, 1, T0, FALSE,
                                             T0 + 60 * G_USEC_PER_SEC, &error));
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while ((heard.finished->len == 0 || heard.jobs->len == 0)
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, FALSE) || (g_usleep (1000), TRUE);
  g_assert_cmpuint (heard.jobs->len, ==, 1);
  g_assert_cmpstr (heard.jobs->pdata[0], ==, "node-a");
  g_assert_cmpuint (heard.finished->len, ==, 1);
  g_assert_cmpstr (heard.finished->pdata[0], ==, ID1);
  vital_session_store_watch (f->store, NULL, NULL, NULL);
  g_ptr_array_unref (heard.finished);
  g_ptr_array_unref (heard.jobs);
}

/* The database goes away: calls fail at once with a retryable SERVICE_UNAVAILABLE (no hang),
 * and work again once it is back, on new connections. */
static void
test_pg_reconnect (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSession) got = NULL;
  VitalRateLimitState state;
  gint64 before;

  if (skip_without_pg (f))
    return;
  new_session (f->store, ID1, "key-a", T0);
  g_assert_true (pg_harness_stop_server (harness, &error));

  before = g_get_monotonic_time ();
  g_assert_null (vital_session_store_get (f->store, ID1, T0, &error));
  g_assert_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SERVICE_UNAVAILABLE);
  g_clear_error (&error);
  g_assert_false (vital_session_store_rate_limit (f->store, "key:x", 5, TRUE, T0, &state,
                                                  &error));
  g_assert_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SERVICE_UNAVAILABLE);
  g_clear_error (&error);
  g_assert_false (vital_session_store_consume_quota (f->store, "key-q", T0, 10, NULL, &error));
  g_assert_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SERVICE_UNAVAILABLE);
  g_clear_error (&error);
  g_assert_false (vital_session_store_is_available (f->store));
  /* Fail fast: no call waits for a connect timeout. */
  g_assert_cmpint (g_get_monotonic_time () - before, <, 5 * G_USEC_PER_SEC);

  g_assert_true (pg_harness_start_server (harness, &error));
  g_assert_no_error (error);
  /* Within the reconnect back-off, then on a fresh connection. */
  before = g_get_monotonic_time ();
  while ((got = vital_session_store_get (f->store, ID1, T0, &error)) == NULL
         && g_get_monotonic_time () - before < 10 * G_USEC_PER_SEC)
    {
      g_assert_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SERVICE_UNAVAILABLE);
      g_clear_error (&error);
      g_usleep (100 * 1000);
    }
  g_assert_no_error (error);
  g_assert_nonnull (got);
  g_assert_cmpstr (got->id, ==, ID1);
  g_assert_true (vital_session_store_is_available (f->store));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  harness = pg_harness_try_start (&harness_error);


#define ADD_BOTH(path, func) \
  g_test_add ("/store/sqlite/" path, Fixture, GINT_TO_POINTER (BACKEND_SQLITE), fixture_setup, \
              func, fixture_teardown); \
  g_test_add ("/store/postgresql/" path, Fixture, GINT_TO_POINTER (BACKEND_PG), fixture_setup, \
              func, fixture_teardown)
#define ADD_PG(path, func) \
  g_test_add ("/store/postgresql/" path, Fixture, GINT_TO_POINTER (BACKEND_PG), fixture_setup, \
              func, fixture_teardown)

  ADD_BOTH ("sessions", test_sessions);
  ADD_BOTH ("ttl-purge", test_ttl);
  ADD_BOTH ("quota-atomic-threads", test_quota_threads);
  ADD_BOTH ("rate-limit-windows", test_rate_limit);
  ADD_BOTH ("migrate-previous-schema", test_migrate_previous_schema);
  ADD_PG ("claims-and-lost-jobs", test_pg_claims_and_lost);
  ADD_PG ("migrations-and-secret", test_pg_migrations);
  ADD_PG ("notifications", test_pg_notifications);
  ADD_PG ("database-restart", test_pg_reconnect);

  status = g_test_run ();
  g_clear_pointer (&harness, pg_harness_free);
  g_free (harness_error);
  return status;
}
