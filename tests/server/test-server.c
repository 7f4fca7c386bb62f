/* test-server.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Integration tests of the session API: the real VitalServer on 127.0.0.1:0 with a manual
 * clock, driven by a libsoup client over HTTP (plus a raw socket for the early 413). With
 * VITALSCAN_TEST_BACKEND=postgresql the fixture's servers keep their sessions in a throwaway
 * PostgreSQL (pg-harness.c) instead, and the tests that do not look into SQLite's files run
 * again there: the conformance of a cluster node.
 */
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pg-harness.h"
#include "vital-config.h"
#include "vital-pg-store.h"
#include "vital-presign.h"
#include "vital-sandbox.h"
#include "vital-server-private.h"
#include "vital-server-json.h"
#include "vital-tensor.h"
#include "vital-test-http.h"
#include "vital-test-server.h"
#include "vital-test-util.h"

#define TEST_KEY  "ck_test_aaaaaaaaaaaaaaaaaaaaaaaa"
#define LIVE_KEY  "ck_live_bbbbbbbbbbbbbbbbbbbbbbbb"
#define OTHER_KEY "ck_test_cccccccccccccccccccccccc"
#define LIMIT_KEY "ck_test_dddddddddddddddddddddddd"
#define QUOTA_KEY "ck_live_eeeeeeeeeeeeeeeeeeeeeeee"

typedef struct
{
  char        *data_dir;
  VitalClock  *clock;
  VitalServer *server;
  SoupSession *session;
} Fixture;

/* The PostgreSQL database the fixture's servers use, when the tests run on PostgreSQL. */
static char *pg_uri;

/* 2026-11-23T10:00:00Z */
static gint64
start_time_us (void)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (2026, 11, 23, 10, 0, 0);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static VitalServerConfig *
base_config (Fixture *f)
{
  VitalServerConfig *config = vital_server_config_new ();

  config->clock = g_object_ref (f->clock);
  config->data_dir = g_strdup (f->data_dir);
  config->inline_budget_ms = 60000;  /* inline unless a test says otherwise */
  config->maintenance_interval_s = 0;  /* tests run maintenance themselves */
  config->database = g_strdup (pg_uri);
  return config;
}

/* The keys of the fixture's servers: rate limits a minute, quotas a month. */
static const VitalTestKey fixture_keys[] = {
  { TEST_KEY, "tests", 1000, 0 },
  { LIVE_KEY, "tests", 1000, 0 },
  { OTHER_KEY, "other", 1000, 0 },
  { LIMIT_KEY, "limited", 3, 0 },
  { QUOTA_KEY, "quota", 1000, 2 },
};

static void
start_server (Fixture           *f,
              VitalServerConfig *config)
{
  f->server = vital_test_server_start (config, fixture_keys, G_N_ELEMENTS (fixture_keys));
}

static void
fixture_setup_common (Fixture *f,
                      gboolean persist,
                      guint    budget_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalServerConfig) config = NULL;

  f->data_dir = g_dir_make_tmp ("vitalscan-test-server-XXXXXX", &error);
  g_assert_no_error (error);
  f->clock = vital_clock_new_manual (start_time_us ());
  if (pg_uri != NULL)
    {
      g_autoptr(VitalPgStore) store = vital_pg_store_new (pg_uri, 1, &error);

      /* Each test starts from an empty database, as it would from an empty data dir. */
      g_assert_no_error (error);
      g_assert_true (vital_pg_store_reset (store, &error));
      g_assert_no_error (error);
    }
  config = base_config (f);
  config->persist_vitals = persist;
  config->inline_budget_ms = budget_ms;
  start_server (f, config);
  f->session = soup_session_new ();
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  fixture_setup_common (f, FALSE, 60000);
}

static void
fixture_setup_persist (Fixture       *f,
                       gconstpointer  data)
{
  fixture_setup_common (f, TRUE, 60000);
}

static void
fixture_setup_deferred (Fixture       *f,
                        gconstpointer  data)
{
  fixture_setup_common (f, FALSE, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  if (f->server != NULL)
    vital_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->clock);
  if (f->data_dir != NULL)
    vital_test_remove_tree (f->data_dir);
  g_free (f->data_dir);
}

/* A server on @config alone (none of the fixture's keys, clock or data folder), holding @key
 * (unlimited) when it is not NULL: for tests of a configuration of their own. The test ends
 * with fixture_teardown(). */
static void
start_bare_server (Fixture           *f,
                   VitalServerConfig *config,
                   const char        *key)
{
  const VitalTestKey unlimited = { key, NULL, 0, 0 };

  config->maintenance_interval_s = 0;
  f->server = vital_test_server_start (config, &unlimited, key != NULL ? 1 : 0);
  f->session = soup_session_new ();
}

/* ---- HTTP helpers ------------------------------------------------------------------------ */

/* A request to the fixture's server (the base URL is not needed for a whole URL). */
static SoupMessage *
new_msg (Fixture    *f,
         const char *method,
         const char *path_or_url,
         const char *key)
{
  return vital_test_message_new (method,
                                 f->server != NULL ? vital_server_get_base_url (f->server) : NULL,
                                 path_or_url, key);
}

/* Sends @msg (and drops it): an answer came, with the rate-limit headers, and a body is JSON. */
static VitalTestReply *
send_msg (Fixture     *f,
          SoupMessage *msg)
{
  g_autoptr(SoupMessage) sent = msg;
  VitalTestReply *reply = vital_test_send (f->session, sent);

  g_assert_no_error (reply->error);
  /* Every response carries the rate-limit headers. */
  if (g_test_verbose ()) g_test_message ("status %u", reply->status);
  g_assert_nonnull (vital_test_reply_header (reply, "X-RateLimit-Limit"));
  g_assert_nonnull (vital_test_reply_header (reply, "X-RateLimit-Remaining"));
  g_assert_nonnull (vital_test_reply_header (reply, "X-RateLimit-Reset"));
  if (g_bytes_get_size (reply->body) > 0)
    {
      g_assert_nonnull (reply->json);
      g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==,
                       "application/json");
    }
  return reply;
}

static VitalTestReply *
call (Fixture    *f,
      const char *method,
      const char *path,
      const char *key,
      const char *json)
{
  SoupMessage *msg = new_msg (f, method, path, key);

  if (json != NULL)
    vital_test_message_set_json (msg, json);
  return send_msg (f, msg);
}

static JsonObject *
obj (VitalTestReply *reply)
{
  return vital_test_json_object (reply->json);
}

static const char *
str (VitalTestReply *reply,
     const char     *member)
{
  return json_object_get_string_member (obj (reply), member);
}

/* Asserts the exact error shape {"error","message","retryable","detail"} and the code. */
static void
assert_error (VitalTestReply *reply,
              guint           status,
              const char     *code,
              gboolean        retryable)
{
  JsonObject *o;

  g_assert_cmpuint (reply->status, ==, status);
  o = obj (reply);
  g_assert_cmpuint (json_object_get_size (o), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (o, "error"), ==, code);
  g_assert_true (strlen (json_object_get_string_member (o, "message")) > 0);
  g_assert_true (json_object_get_boolean_member (o, "retryable") == retryable);
  g_assert_nonnull (json_object_get_string_member (o, "detail"));
}

typedef struct
{
  char *id;
  char *upload_url;
} Started;

static void
started_free (Started *s)
{
  g_free (s->id);
  g_free (s->upload_url);
  g_free (s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Started, started_free)

static Started *
start_session (Fixture    *f,
               const char *key,
               const char *user_id)
{
  SoupMessage *msg = new_msg (f, "POST", "/sdk/session/start", key);
  g_autoptr(VitalTestReply) r = NULL;
  Started *s;

  if (user_id != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-User-Id", user_id);
  r = send_msg (f, msg);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (str (r, "status"), ==, "pending");
  s = g_new0 (Started, 1);
  s->id = g_strdup (str (r, "session_id"));
  s->upload_url = g_strdup (str (r, "upload_url"));
  return s;
}

static VitalTestReply *
put_payload (Fixture    *f,
             const char *url,
             GBytes     *payload,
             const char *content_type)
{
  SoupMessage *msg = new_msg (f, "PUT", url, NULL);

  soup_message_set_request_body_from_bytes (msg, content_type, payload);
  return send_msg (f, msg);
}

/* PUTs @payload as an upload does. */
static VitalTestReply *
upload (Fixture    *f,
        const char *url,
        GBytes     *payload)
{
  return put_payload (f, url, payload, "application/octet-stream");
}

/* Starts a session with @key and uploads @payload to it. */
static Started *
start_uploaded (Fixture    *f,
                const char *key,
                GBytes     *payload)
{
  Started *s = start_session (f, key, NULL);
  g_autoptr(VitalTestReply) up = NULL;

  up = upload (f, s->upload_url, payload);
  g_assert_cmpuint (up->status, ==, 200);
  return s;
}

static VitalTestReply *
complete (Fixture    *f,
          const char *key,
          const char *id)
{
  g_autofree char *body = g_strdup_printf ("{\"session_id\":\"%s\"}", id);

  return call (f, "POST", "/sdk/session/upload-complete", key, body);
}

static VitalTestReply *
get_result (Fixture    *f,
            const char *key,
            const char *id,
            gboolean    alias)
{
  g_autofree char *path = alias ? g_strdup_printf ("/sdk/session/result/%s", id)
                                : g_strdup_printf ("/sdk/session/%s/result", id);

  return call (f, "GET", path, key, NULL);
}

static guint
count_spool (Fixture    *f,
             const char *suffix)
{
  return vital_test_count_files (vital_server_get_spool_dir (f->server), suffix);
}

/* Completes session @id, whose processing must fail: upload-complete answers 422, its payload
 * is gone from the spool, and the result (on @alias's path) says "failed" with the same message.
 * Returns: (transfer full): that message */
static char *
complete_fails (Fixture    *f,
                const char *id,
                gboolean    alias)
{
  g_autoptr(VitalTestReply) done = complete (f, LIVE_KEY, id);
  g_autoptr(VitalTestReply) result = NULL;

  assert_error (done, 422, "PROCESSING_FAILED", FALSE);
  g_assert_cmpuint (count_spool (f, ".payload"), ==, 0);
  result = get_result (f, LIVE_KEY, id, alias);
  g_assert_cmpuint (result->status, ==, 200);
  g_assert_cmpstr (str (result, "status"), ==, "failed");
  g_assert_cmpstr (str (result, "error"), ==, str (done, "message"));
  g_assert_true (json_object_get_null_member (obj (result), "vitals"));
  return g_strdup (str (done, "message"));
}

static double
vital_member (VitalTestReply *reply,
              const char     *name)
{
  g_autofree char *path = g_strconcat ("vitals.", name, NULL);

  return vital_test_json_double (reply->json, path);
}

/* The exact `"vitals":{…}` text the server stores and sends for a sandbox session. */
static char *
sandbox_vitals_marker (const char *session_id)
{
  g_autoptr(VitalVitals) vitals = vital_sandbox_vitals (session_id);
  g_autoptr(JsonNode) node = vital_server_json_vitals (vitals);
  g_autofree char *text = vital_server_json_to_string (node);

  return g_strconcat ("\"vitals\":", text, NULL);
}

static gboolean
bytes_contain (const char *data,
               gsize       len,
               const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n > 0 && i + n <= len; i++)
    if (data[i] == needle[0] && memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* Whether @needle is anywhere in the bytes of the store's files: the database, its WAL and a
 * rollback journal. */
static gboolean
store_files_contain (const char *data_dir,
                     const char *needle)
{
  const char *names[] = { "sessions.db", "sessions.db-wal", "sessions.db-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (data_dir, names[i], NULL);
      g_autofree char *data = NULL;
      gsize len = 0;

      if (g_file_get_contents (path, &data, &len, NULL) && bytes_contain (data, len, needle))
        return TRUE;
    }
  return FALSE;
}

/* GET …/result, keeping the body exactly as sent. */
static char *
get_raw_result (Fixture    *f,
                const char *key,
                const char *id)
{
  g_autofree char *path = g_strdup_printf ("/sdk/session/%s/result", id);
  g_autoptr(VitalTestReply) reply = send_msg (f, new_msg (f, "GET", path, key));

  g_assert_cmpuint (reply->status, ==, 200);
  return g_strndup (g_bytes_get_data (reply->body, NULL), g_bytes_get_size (reply->body));
}

/* ---- tests ------------------------------------------------------------------------------- */

static void
test_health (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(VitalTestReply) r = call (f, "GET", "/health", NULL, NULL);
  g_autoptr(VitalTestReply) r405 = NULL;

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (str (r, "status"), ==, "ok");
  g_assert_cmpstr (str (r, "service"), ==, "vitalscan-server");
  g_assert_cmpstr (str (r, "timestamp"), ==, "2026-11-23T10:00:00Z");
  g_assert_nonnull (str (r, "version"));

  r405 = call (f, "POST", "/health", NULL, "{}");
  assert_error (r405, 405, "INVALID_REQUEST", FALSE);
  g_assert_cmpstr (soup_message_headers_get_one (r405->headers, "Allow"), ==, "GET");
}

static void
test_methods_and_routes (Fixture       *f,
                         gconstpointer  data)
{
  struct { const char *method; const char *path; guint status; } cases[] = {
    { "GET", "/sdk/session/start", 405 },
    { "PUT", "/sdk/session/upload-complete", 405 },
    { "POST", "/sdk/sessions", 405 },
    { "DELETE", "/sdk/session/00000000-0000-4000-8000-000000000000/result", 405 },
    { "POST", "/sdk/session/result/00000000-0000-4000-8000-000000000000", 405 },
    { "GET", "/sdk/session/00000000-0000-4000-8000-000000000000/upload", 405 },
    { "GET", "/nope", 404 },
    { "GET", "/sdk/session/x/y/z", 404 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(VitalTestReply) r = call (f, cases[i].method, cases[i].path, TEST_KEY, NULL);

      assert_error (r, cases[i].status, "INVALID_REQUEST", FALSE);
    }
}

static void
test_start_auth (Fixture       *f,
                 gconstpointer  data)
{
  const char *bad_keys[] = { NULL, "", "nope", "ck_test_short",
                             "ck_prod_aaaaaaaaaaaaaaaaaaaaaaaa",
                             "ck_test_zzzzzzzzzzzzzzzzzzzzzzzz",
                             "ck_live_aaaaaaaaaaaaaaaaaaaaaaaa" };
  g_autofree char *first_message = NULL;
  g_autoptr(VitalTestReply) bearer = NULL;
  g_autoptr(VitalTestReply) revoked = NULL;
  SoupMessage *msg;

  for (guint i = 0; i < G_N_ELEMENTS (bad_keys); i++)
    {
      g_autoptr(VitalTestReply) r = call (f, "POST", "/sdk/session/start", bad_keys[i], NULL);

      assert_error (r, 401, "API_KEY_INVALID", FALSE);
      /* The same message whatever is wrong: no oracle. */
      if (first_message == NULL)
        first_message = g_strdup (str (r, "message"));
      g_assert_cmpstr (str (r, "message"), ==, first_message);
    }

  msg = new_msg (f, "POST", "/sdk/session/start", NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer " TEST_KEY);
  bearer = send_msg (f, msg);
  g_assert_cmpuint (bearer->status, ==, 200);
  g_assert_cmpstr (str (bearer, "environment"), ==, "test");

  g_assert_true (vital_keys_revoke (vital_server_get_keys (f->server), OTHER_KEY));
  revoked = call (f, "POST", "/sdk/session/start", OTHER_KEY, NULL);
  assert_error (revoked, 401, "API_KEY_INVALID", FALSE);
  g_assert_cmpstr (str (revoked, "message"), ==, first_message);
}

static void
test_start_shape (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(VitalTestReply) r =
    call (f, "POST", "/sdk/session/start", TEST_KEY,
          "{\"demographics\":{\"age\":35,\"sex\":\"M\",\"fitzpatrick\":3}}");
  g_autoptr(GDateTime) expires = NULL;
  const char *id;
  const char *url;

  g_assert_cmpuint (r->status, ==, 200);
  id = str (r, "session_id");
  g_assert_true (g_uuid_string_is_valid (id));
  g_assert_cmpstr (str (r, "status"), ==, "pending");
  /* 15 minutes after the (manual) clock's now. */
  g_assert_cmpstr (str (r, "expires_at"), ==, "2026-11-23T10:15:00Z");
  expires = g_date_time_new_from_iso8601 (str (r, "expires_at"), NULL);
  g_assert_nonnull (expires);
  url = str (r, "upload_url");
  g_assert_true (g_str_has_prefix (url, vital_server_get_base_url (f->server)));
  g_assert_nonnull (strstr (url, id));
  g_assert_nonnull (strstr (url, "signature="));
}

static void
test_start_validation (Fixture       *f,
                       gconstpointer  data)
{
  const char *bad[] = {
    "{\"demographics\":{\"age\":0}}",
    "{\"demographics\":{\"age\":121}}",
    "{\"demographics\":{\"age\":\"35\"}}",
    "{\"demographics\":{\"age\":35.5}}",
    "{\"demographics\":{\"sex\":\"X\"}}",
    "{\"demographics\":{\"sex\":1}}",
    "{\"demographics\":{\"fitzpatrick\":0}}",
    "{\"demographics\":{\"fitzpatrick\":7}}",
    "{\"demographics\":[35]}",
    "{\"demographics\":",
    "not json",
    "[1,2]",
  };
  const char *good[] = {
    "{}",
    "{\"demographics\":null}",
    "{\"demographics\":{\"age\":1,\"sex\":\"F\",\"fitzpatrick\":6}}",
    "{\"demographics\":{\"age\":120,\"sex\":\"other\",\"fitzpatrick\":1}}",
  };
  SoupMessage *msg;
  g_autoptr(VitalTestReply) bad_user = NULL;
  g_autoptr(VitalTestReply) bad_tz = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(VitalTestReply) r = call (f, "POST", "/sdk/session/start", TEST_KEY, bad[i]);

      assert_error (r, 400, "INVALID_REQUEST", FALSE);
    }
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(VitalTestReply) r = call (f, "POST", "/sdk/session/start", TEST_KEY, good[i]);

      g_assert_cmpuint (r->status, ==, 200);
    }

  msg = new_msg (f, "POST", "/sdk/session/start", TEST_KEY);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-User-Id",
                                "has space");
  bad_user = send_msg (f, msg);
  assert_error (bad_user, 400, "INVALID_REQUEST", FALSE);

  msg = new_msg (f, "POST", "/sdk/session/start", TEST_KEY);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "timezone",
                                "Mars/Olympus_Mons");
  bad_tz = send_msg (f, msg);
  assert_error (bad_tz, 400, "INVALID_REQUEST", FALSE);
  g_assert_cmpstr (str (bad_tz, "message"), ==, "The invalid timezone is provided");
}

static void
test_sandbox_inline (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Started) s = start_session (f, TEST_KEY, NULL);
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (90);
  g_autoptr(VitalTestReply) up = upload (f, s->upload_url, payload);
  g_autoptr(VitalTestReply) done = NULL;
  g_autoptr(VitalTestReply) again = NULL;
  g_autoptr(VitalVitals) expected = vital_sandbox_vitals (s->id);
  JsonObject *quality;

  g_assert_cmpuint (up->status, ==, 200);
  g_assert_cmpstr (str (up, "status"), ==, "uploaded");
  g_assert_cmpint (json_object_get_int_member (obj (up), "bytes"), ==, g_bytes_get_size (payload));
  g_assert_cmpuint (count_spool (f, ".payload"), ==, 1);
  /* The spooled payload, the database and the secret are owner-only. */
  {
    g_autofree char *name = g_strconcat (s->id, ".payload", NULL);
    g_autofree char *path = g_build_filename (vital_server_get_spool_dir (f->server), name, NULL);
    g_autofree char *db = g_build_filename (f->data_dir, "sessions.db", NULL);
    g_autofree char *secret = g_build_filename (f->data_dir, "upload-secret", NULL);
    GStatBuf st;

    g_assert_cmpint (g_stat (path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    g_assert_cmpint (g_stat (db, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    g_assert_cmpint (g_stat (secret, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    g_assert_cmpint (g_stat (vital_server_get_spool_dir (f->server), &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  }

  done = complete (f, TEST_KEY, s->id);
  g_assert_cmpuint (done->status, ==, 200);
  g_assert_cmpstr (str (done, "status"), ==, "completed");
  g_assert_cmpstr (str (done, "session_id"), ==, s->id);
  g_assert_true (json_object_get_boolean_member (obj (done), "sandbox"));
  /* Deterministic synthetic vitals, derived from the session id. */
  g_assert_cmpfloat_with_epsilon (vital_member (done, "heart_rate"), expected->heart_rate, 0.051);
  g_assert_cmpfloat_with_epsilon (vital_member (done, "respiratory_rate"),
                                  expected->respiratory_rate, 0.051);
  g_assert_cmpfloat_with_epsilon (vital_member (done, "spo2"), expected->spo2, 0.5);
  g_assert_cmpfloat (vital_member (done, "heart_rate"), >=, 58);
  g_assert_cmpfloat (vital_member (done, "heart_rate"), <=, 96);
  g_assert_true (vital_member (done, "confidence") > 0 && vital_member (done, "confidence") <= 1);
  quality = json_object_get_object_member (obj (done), "signal_quality");
  g_assert_true (json_object_has_member (quality, "snr"));
  g_assert_true (json_object_has_member (quality, "stability"));
  g_assert_true (json_object_has_member (quality, "periodicity"));
  g_assert_cmpint (json_object_get_int_member (obj (done), "completed_at"), ==,
                   start_time_us () / G_USEC_PER_SEC);
  g_assert_true (json_object_has_member (obj (done), "processing_time_ms"));

  /* Privacy: the payload is gone and the (unpersisted) result was handed out once. */
  g_assert_cmpuint (count_spool (f, ".payload"), ==, 0);
  g_assert_cmpuint (vital_session_store_count_results (vital_server_get_store (f->server)), ==, 0);
  again = get_result (f, TEST_KEY, s->id, FALSE);
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_cmpstr (str (again, "status"), ==, "completed");
  g_assert_true (json_object_get_null_member (obj (again), "vitals"));
  g_assert_false (json_object_get_boolean_member (obj (again), "result_available"));
}

static void
test_sandbox_deterministic (void)
{
  g_autoptr(VitalVitals) a = vital_sandbox_vitals ("11111111-1111-4111-8111-111111111111");
  g_autoptr(VitalVitals) b = vital_sandbox_vitals ("11111111-1111-4111-8111-111111111111");
  g_autoptr(VitalVitals) c = vital_sandbox_vitals ("22222222-2222-4222-8222-222222222222");

  g_assert_cmpfloat (a->heart_rate, ==, b->heart_rate);
  g_assert_cmpfloat (a->systolic_bp, ==, b->systolic_bp);
  g_assert_true (a->heart_rate != c->heart_rate || a->respiratory_rate != c->respiratory_rate);
  g_assert_true (a->diastolic_bp < a->systolic_bp);
}

static void
test_deferred_and_poll (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (30);
  g_autoptr(Started) s = start_uploaded (f, TEST_KEY, payload);
  g_autoptr(VitalTestReply) done = NULL;
  g_autoptr(VitalTestReply) result = NULL;
  g_autoptr(VitalTestReply) second = NULL;

  done = complete (f, TEST_KEY, s->id);
  g_assert_cmpuint (done->status, ==, 202);
  g_assert_cmpstr (str (done, "status"), ==, "processing");
  g_assert_cmpstr (str (done, "session_id"), ==, s->id);

  vital_server_wait_idle (f->server);
  result = get_result (f, TEST_KEY, s->id, TRUE);
  g_assert_cmpuint (result->status, ==, 200);
  g_assert_cmpstr (str (result, "status"), ==, "completed");
  g_assert_true (vital_member (result, "heart_rate") > 0);
  g_assert_cmpuint (count_spool (f, ".payload"), ==, 0);

  /* Delivered once: the other path now reports it without vitals. */
  second = get_result (f, TEST_KEY, s->id, FALSE);
  g_assert_cmpstr (str (second, "status"), ==, "completed");
  g_assert_true (json_object_get_null_member (obj (second), "vitals"));
}

/* The client gives up while upload-complete waits for the inline result: nothing crashes and
 * the result is not lost (it was never delivered), so polling still gets it. */
static void
test_client_gives_up_waiting (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (900);
  g_autoptr(Started) s = start_uploaded (f, LIVE_KEY, payload);
  g_autoptr(SoupSession) impatient = soup_session_new_with_options ("timeout", 1, NULL);
  g_autofree char *body = g_strdup_printf ("{\"session_id\":\"%s\"}", s->id);
  g_autoptr(SoupMessage) msg = new_msg (f, "POST", "/sdk/session/upload-complete", LIVE_KEY);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalTestReply) result = NULL;

  vital_test_message_set_json (msg, body);
  /* Processing is held, so it certainly outlasts the client's 1 s patience. */
  vital_server_set_processing_paused (f->server, TRUE);
  reply = soup_session_send_and_read (impatient, msg, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_clear_object (&impatient);
  vital_server_set_processing_paused (f->server, FALSE);

  vital_server_wait_idle (f->server);
  result = get_result (f, LIVE_KEY, s->id, FALSE);
  g_assert_cmpstr (str (result, "status"), ==, "completed");
  g_assert_true (vital_member (result, "heart_rate") > 0);
}

static void
test_result_pending_states (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(Started) s = start_session (f, TEST_KEY, NULL);
  g_autoptr(VitalTestReply) pending = get_result (f, TEST_KEY, s->id, FALSE);
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (30);
  g_autoptr(VitalTestReply) up = NULL;
  g_autoptr(VitalTestReply) uploaded = NULL;

  g_assert_cmpuint (pending->status, ==, 200);
  g_assert_cmpstr (str (pending, "status"), ==, "pending");
  g_assert_true (json_object_get_null_member (obj (pending), "vitals"));
  up = upload (f, s->upload_url, payload);
  uploaded = get_result (f, TEST_KEY, s->id, TRUE);
  g_assert_cmpstr (str (uploaded, "status"), ==, "uploaded");
}

static void
test_live_engine (Fixture       *f,
                  gconstpointer  data)
{
  /* 30 s of the placeholder subject: a 72 bpm pulse in the green channel. */
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (900);
  g_autoptr(Started) s = start_uploaded (f, LIVE_KEY, payload);
  g_autoptr(VitalTestReply) done = NULL;
  JsonObject *vitals;

  done = complete (f, LIVE_KEY, s->id);
  g_assert_cmpuint (done->status, ==, 200);
  g_assert_cmpstr (str (done, "status"), ==, "completed");
  g_assert_false (json_object_get_boolean_member (obj (done), "sandbox"));
  vitals = json_object_get_object_member (obj (done), "vitals");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (vitals, "heart_rate"), 72.0, 3.0);
  /* Every vital is present: a number or null, never missing. */
  g_assert_true (json_object_has_member (vitals, "respiratory_rate"));
  g_assert_true (json_object_has_member (vitals, "hrv"));
  g_assert_true (json_object_has_member (vitals, "spo2"));
  g_assert_true (json_object_has_member (vitals, "systolic_bp"));
  g_assert_true (json_object_has_member (vitals, "diastolic_bp"));
  g_assert_true (json_object_has_member (vitals, "confidence"));
  /* Each vital's own quality, 0-1, with the heart rate's equal to the confidence; and for
   * every null vital the reason. */
  {
    JsonObject *quality = json_object_get_object_member (obj (done), "vital_quality");
    JsonObject *missing = json_object_get_object_member (obj (done), "not_measured");
    static const char *keys[] = { "respiratory_rate", "hrv", "spo2", "blood_pressure" };
    static const char *vital_keys[] = { "respiratory_rate", "hrv", "spo2", "systolic_bp" };

    g_assert_nonnull (quality);
    g_assert_nonnull (missing);
    g_assert_cmpfloat (json_object_get_double_member (quality, "heart_rate"), ==,
                       json_object_get_double_member (vitals, "confidence"));
    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      {
        double q = json_object_get_double_member (quality, keys[i]);

        g_assert_true (q >= 0.0 && q <= 1.0);
        g_assert_cmpint (json_object_get_null_member (vitals, vital_keys[i]), ==,
                         json_object_has_member (missing, keys[i]));
      }
    g_assert_true (json_object_has_member (json_object_get_object_member (obj (done),
                                                                          "signal_quality"),
                                           "confidence_cause"));
  }
  g_assert_cmpuint (count_spool (f, ".payload"), ==, 0);
}

static void
test_processing_failures (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GBytes) junk = g_bytes_new_static ("this is not a tensor at all", 27);
  g_autoptr(Started) s = start_uploaded (f, LIVE_KEY, junk);
  g_autoptr(Started) s2 = start_session (f, LIVE_KEY, NULL);
  g_autoptr(GBytes) short_payload = vital_test_placeholder_payload (15);
  g_autoptr(VitalTestReply) up2 = NULL;
  g_autofree char *message = complete_fails (f, s->id, FALSE);
  g_autofree char *engine_message = NULL;

  g_assert_nonnull (strstr (message, "not a valid Vitalscan tensor"));
  /* The alias and the history use the same status word. */
  {
    g_autoptr(VitalTestReply) alias = get_result (f, LIVE_KEY, s->id, TRUE);
    g_autoptr(VitalTestReply) hist = call (f, "GET", "/sdk/sessions", LIVE_KEY, NULL);
    JsonArray *items = json_object_get_array_member (obj (hist), "sessions");
    guint found = 0;

    g_assert_cmpstr (str (alias, "status"), ==, "failed");
    g_assert_cmpstr (str (alias, "error"), ==, message);
    for (guint i = 0; i < json_array_get_length (items); i++)
      {
        JsonObject *item = json_array_get_object_element (items, i);

        if (g_strcmp0 (json_object_get_string_member (item, "session_id"), s->id) != 0)
          continue;
        g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "failed");
        found++;
      }
    g_assert_cmpuint (found, ==, 1);
  }

  /* A valid tensor the engine refuses (half a second) fails with the engine's message. */
  up2 = upload (f, s2->upload_url, short_payload);
  engine_message = complete_fails (f, s2->id, TRUE);
  g_assert_null (strstr (engine_message, "not a valid Vitalscan tensor"));
}

/* The payload is decoded as soon as its PUT completes; upload-complete reports the early
 * decode's error exactly as a decode at completion would, and frees it. */
static void
test_early_decode_error (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) junk = g_bytes_new_static ("VTNS but truncated junk", 23);
  g_autoptr(Started) s = start_uploaded (f, LIVE_KEY, junk);
  g_autoptr(GError) decode_error = NULL;
  g_autoptr(VitalTensor) none = vital_tensor_decode (junk, NULL, &decode_error);
  g_autofree char *expected = NULL;
  g_autofree char *message = NULL;

  g_assert_null (none);
  g_assert_nonnull (decode_error);
  expected = g_strconcat ("The payload is not a valid Vitalscan tensor: ", decode_error->message,
                          NULL);
  vital_server_wait_decoded (f->server);
  g_assert_cmpuint (vital_server_count_decoded_payloads (f->server), ==, 1);
  /* Held in memory only: the spool holds the upload itself and nothing else. */
  g_assert_cmpuint (count_spool (f, ".payload"), ==, 1);
  g_assert_cmpuint (count_spool (f, ""), ==, 1);

  message = complete_fails (f, s->id, FALSE);
  g_assert_cmpstr (message, ==, expected);
  g_assert_cmpuint (vital_server_count_decoded_payloads (f->server), ==, 0);
}

/* A scan-sized payload is inflated chunk by chunk while it arrives; a damaged one fails with the
 * very message the whole-payload decoder gives, and a good one gives the engine's result. */
static void
test_streamed_decode (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GBytes) good = vital_test_placeholder_payload (300);
  g_autoptr(GByteArray) copy = g_byte_array_new ();
  g_autoptr(GBytes) damaged = NULL;
  g_autoptr(GError) decode_error = NULL;
  g_autoptr(VitalTensor) none = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(Started) s = start_session (f, LIVE_KEY, NULL);
  g_autoptr(Started) s2 = start_session (f, LIVE_KEY, NULL);
  g_autoptr(VitalTestReply) up = NULL;
  g_autoptr(VitalTestReply) done = NULL;
  g_autoptr(VitalTestReply) up2 = NULL;
  g_autoptr(VitalTestReply) done2 = NULL;

  g_byte_array_append (copy, g_bytes_get_data (good, NULL), g_bytes_get_size (good));
  copy->data[copy->len / 2] ^= 0x5a;
  damaged = g_byte_array_free_to_bytes (g_steal_pointer (&copy));
  none = vital_tensor_decode (damaged, NULL, &decode_error);
  g_assert_null (none);
  expected = g_strconcat ("The payload is not a valid Vitalscan tensor: ", decode_error->message,
                          NULL);

  up = upload (f, s->upload_url, damaged);
  g_assert_cmpuint (up->status, ==, 200);
  done = complete (f, LIVE_KEY, s->id);
  assert_error (done, 422, "PROCESSING_FAILED", FALSE);
  g_assert_cmpstr (str (done, "message"), ==, expected);

  up2 = upload (f, s2->upload_url, good);
  g_assert_cmpuint (up2->status, ==, 200);
  vital_server_wait_decoded (f->server);
  /* Both uploads had chunks inflated as they arrived (the damaged one up to its damage). */
  g_assert_cmpuint (vital_server_count_streamed_decodes (f->server), ==, 2);
  done2 = complete (f, LIVE_KEY, s2->id);
  g_assert_cmpuint (done2->status, ==, 200);
  g_assert_cmpstr (str (done2, "status"), ==, "completed");
  g_assert_cmpuint (count_spool (f, ".payload"), ==, 0);
}

/* Uploads waiting for their upload-complete hold their decoded tensors in memory only within
 * a budget, in all and per key; beyond it they wait on disk and still complete. (Sixteen
 * never-completed uploads of small all-zero 5,400-frame payloads used to pin 4.8 GiB.) */
static void
test_decoded_memory_budget (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalServerConfig) config = NULL;
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (900);
  guint64 decoded = (guint64) 900 * VITAL_TENSOR_FRAME_SIZE;
  const char *keys[] = { TEST_KEY, TEST_KEY, OTHER_KEY, OTHER_KEY, TEST_KEY, OTHER_KEY };
  Started *started[G_N_ELEMENTS (keys)];
  Fixture fixture = { 0 };
  Fixture *f = &fixture;

  f->data_dir = g_dir_make_tmp ("vitalscan-test-server-XXXXXX", &error);
  g_assert_no_error (error);
  f->clock = vital_clock_new_manual (start_time_us ());
  config = base_config (f);
  /* Room for two decoded payloads in all, and one per key. */
  config->max_decoded_bytes = 2 * decoded + 2 * g_bytes_get_size (payload) + 4096;
  config->max_decoded_bytes_per_key = decoded + g_bytes_get_size (payload) + 4096;
  start_server (f, config);
  f->session = soup_session_new ();

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    started[i] = start_uploaded (f, keys[i], payload);
  vital_server_wait_decoded (f->server);
  g_assert_cmpuint (vital_server_count_decoded_payloads (f->server), ==, 2);
  g_assert_cmpuint (vital_server_get_decoded_bytes (f->server), <=,
                    config->max_decoded_bytes);
  g_assert_cmpuint (vital_server_get_decoded_bytes (f->server), >=, 2 * decoded);

  /* Those that did not fit are decoded when processing starts: nothing is lost. */
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(VitalTestReply) done = complete (f, keys[i], started[i]->id);

      g_assert_cmpuint (done->status, ==, 200);
      g_assert_cmpstr (str (done, "status"), ==, "completed");
      started_free (started[i]);
    }
  g_assert_cmpuint (vital_server_get_decoded_bytes (f->server), ==, 0);
  fixture_teardown (f, NULL);
}

/* A re-PUT replaces an early-decoded payload: the second payload decides the outcome, whether
 * the first decode had finished or not. */
static void
test_early_decode_re_put (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GBytes) junk = g_bytes_new_static ("this is not a tensor at all", 27);
  g_autoptr(GBytes) good = vital_test_placeholder_payload (60);

  for (guint round = 0; round < 4; round++)
    {
      g_autoptr(Started) s = start_session (f, TEST_KEY, NULL);
      gboolean good_last = round % 2 == 0;
      gboolean wait_first = round < 2;
      g_autoptr(VitalTestReply) up1 = upload (f, s->upload_url, good_last ? junk : good);
      g_autoptr(VitalTestReply) up2 = NULL;
      g_autoptr(VitalTestReply) done = NULL;

      g_assert_cmpuint (up1->status, ==, 200);
      if (wait_first)
        {
          vital_server_wait_decoded (f->server);
          g_assert_cmpuint (vital_server_count_decoded_payloads (f->server), ==, 1);
        }
      up2 = upload (f, s->upload_url, good_last ? good : junk);
      g_assert_cmpuint (up2->status, ==, 200);
      g_assert_cmpint (json_object_get_int_member (obj (up2), "bytes"), ==,
                       g_bytes_get_size (good_last ? good : junk));
      /* One decoded payload per session, never one per PUT. */
      g_assert_cmpuint (vital_server_count_decoded_payloads (f->server), <=, 1);
      vital_server_wait_decoded (f->server);
      g_assert_cmpuint (vital_server_count_decoded_payloads (f->server), ==, 1);

      done = complete (f, TEST_KEY, s->id);
      if (good_last)
        {
          g_assert_cmpuint (done->status, ==, 200);
          g_assert_cmpstr (str (done, "status"), ==, "completed");
        }
      else
        {
          assert_error (done, 422, "PROCESSING_FAILED", FALSE);
          g_assert_nonnull (strstr (str (done, "message"), "not a valid Vitalscan tensor"));
        }
      g_assert_cmpuint (vital_server_count_decoded_payloads (f->server), ==, 0);
      g_assert_cmpuint (count_spool (f, ".payload"), ==, 0);
    }
}

/* Expiry frees an early-decoded payload (ASan/LSan would report it otherwise), and so does a
 * shutdown with uploads never completed. */
static void
test_early_decode_expiry (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (300);
  g_autoptr(Started) s = start_uploaded (f, LIVE_KEY, payload);
  g_autoptr(VitalTestReply) done = NULL;
  g_autoptr(VitalTestReply) up2 = NULL;

  vital_server_wait_decoded (f->server);
  g_assert_cmpuint (vital_server_count_decoded_payloads (f->server), ==, 1);

  /* Maintenance before expiry keeps it. */
  vital_server_run_maintenance (f->server);
  g_assert_cmpuint (vital_server_count_decoded_payloads (f->server), ==, 1);

  vital_clock_advance (f->clock, (gint64) 15 * 60 * G_USEC_PER_SEC);
  g_assert_cmpuint (vital_server_run_maintenance (f->server), >=, 2);
  g_assert_cmpuint (vital_server_count_decoded_payloads (f->server), ==, 0);
  g_assert_cmpuint (count_spool (f, ".payload"), ==, 0);
  done = complete (f, LIVE_KEY, s->id);
  assert_error (done, 410, "SESSION_EXPIRED", FALSE);

  /* Shutdown drops what uploaded-but-never-completed sessions hold in memory. */
  {
    g_autoptr(Started) s3 = start_session (f, LIVE_KEY, NULL);

    up2 = upload (f, s3->upload_url, payload);
    g_assert_cmpuint (up2->status, ==, 200);
    vital_server_wait_decoded (f->server);
    g_assert_cmpuint (vital_server_count_decoded_payloads (f->server), ==, 1);
    vital_server_stop (f->server);
    g_assert_cmpuint (vital_server_count_decoded_payloads (f->server), ==, 0);
    /* The upload itself stays spooled for a restarted server. */
    g_assert_cmpuint (count_spool (f, ".payload"), ==, 1);
  }
}

static void
test_upload_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Started) s = start_session (f, TEST_KEY, NULL);
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (30);
  g_autoptr(GString) tampered = g_string_new (s->upload_url);
  g_autofree char *unsigned_url = NULL;
  g_autofree char *other_id = NULL;
  g_autoptr(VitalTestReply) r1 = NULL;
  g_autoptr(VitalTestReply) r2 = NULL;
  g_autoptr(VitalTestReply) r3 = NULL;
  g_autoptr(VitalTestReply) r4 = NULL;
  g_autoptr(VitalTestReply) r5 = NULL;
  g_autoptr(VitalTestReply) again = NULL;
  char *sig;

  /* Flip one hex digit of the signature. */
  sig = strstr (tampered->str, "signature=") + strlen ("signature=");
  sig[0] = sig[0] == 'a' ? 'b' : 'a';
  r1 = upload (f, tampered->str, payload);
  assert_error (r1, 403, "FORBIDDEN", FALSE);

  unsigned_url = g_strndup (s->upload_url, strstr (s->upload_url, "&signature=") - s->upload_url);
  r2 = upload (f, unsigned_url, payload);
  assert_error (r2, 403, "FORBIDDEN", FALSE);

  /* A signature for one session does not open another. */
  {
    g_autoptr(Started) s2 = start_session (f, TEST_KEY, NULL);
    g_autoptr(GString) swapped = g_string_new (s->upload_url);

    g_string_replace (swapped, s->id, s2->id, 1);
    r3 = upload (f, swapped->str, payload);
    assert_error (r3, 403, "FORBIDDEN", FALSE);
  }

  r4 = put_payload (f, s->upload_url, payload, "application/json");
  assert_error (r4, 415, "INVALID_REQUEST", FALSE);

  {
    g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);

    r5 = upload (f, s->upload_url, empty);
    assert_error (r5, 400, "INVALID_REQUEST", FALSE);
  }
  g_assert_cmpuint (count_spool (f, ".part"), ==, 0);
  g_assert_cmpuint (count_spool (f, ".payload"), ==, 0);

  /* Re-PUT overwrites. */
  {
    g_autoptr(GBytes) bigger = vital_test_placeholder_payload (60);
    g_autoptr(VitalTestReply) first = upload (f, s->upload_url, payload);

    g_assert_cmpuint (first->status, ==, 200);
    again = upload (f, s->upload_url, bigger);
    g_assert_cmpuint (again->status, ==, 200);
    g_assert_cmpint (json_object_get_int_member (obj (again), "bytes"), ==,
                     g_bytes_get_size (bigger));
    g_assert_cmpuint (count_spool (f, ".payload"), ==, 1);
  }
}

/* Reads one HTTP response from a raw socket (headers + Content-Length body). */
static char *
read_raw_response (GSocket *sock)
{
  GString *in = g_string_new (NULL);
  char buf[4096];

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive (sock, buf, sizeof buf, NULL, &error);
      const char *end;

      if (n <= 0)
        break;
      g_string_append_len (in, buf, n);
      end = strstr (in->str, "\r\n\r\n");
      if (end != NULL)
        {
          const char *cl = strstr (in->str, "Content-Length: ");
          gsize want = cl != NULL ? (gsize) g_ascii_strtoull (cl + 16, NULL, 10) : 0;

          if (in->len >= (gsize) (end + 4 - in->str) + want)
            break;
        }
    }
  return g_string_free (in, FALSE);
}

/* Sends @method @raw_path exactly as written (no client-side URI parsing or normalisation) and
 * reads the answer. */
static VitalTestReply *
raw_call (Fixture    *f,
          const char *method,
          const char *raw_path,
          const char *key)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  g_autofree char *response = NULL;
  g_autofree char *key_header = key != NULL ? g_strdup_printf ("X-API-Key: %s\r\n", key)
                                            : g_strdup ("");
  const char *body;
  VitalTestReply *reply = g_new0 (VitalTestReply, 1);
  GSocket *sock;

  conn = g_socket_client_connect_to_host (client, "127.0.0.1", vital_server_get_port (f->server),
                                          NULL, &error);
  g_assert_no_error (error);
  sock = g_socket_connection_get_socket (conn);
  g_socket_set_timeout (sock, 30);
  request = g_strdup_printf ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sConnection: close\r\n"
                             "Content-Length: 0\r\n\r\n", method, raw_path, key_header);
  g_assert_cmpint (g_socket_send (sock, request, strlen (request), NULL, &error), ==,
                   (gssize) strlen (request));
  g_assert_no_error (error);
  response = read_raw_response (sock);
  g_assert_true (g_str_has_prefix (response, "HTTP/1.1 "));
  reply->status = (guint) g_ascii_strtoull (response + strlen ("HTTP/1.1 "), NULL, 10);
  body = strstr (response, "\r\n\r\n");
  g_assert_nonnull (body);
  g_assert_nonnull (strstr (response, "Content-Type: application/json"));
  reply->json = vital_test_json_parse (body + 4);
  return reply;
}

/* Escaped slashes and NULs in a session id: libsoup refused %00 (and an escaped "/../") with a
 * bare 400 before any handler ran, and decoded %2f into a path of its own. Every one gets the
 * documented JSON error now. */
static void
test_escaped_session_ids (Fixture       *f,
                          gconstpointer  data)
{
  struct { const char *method; const char *path; const char *key; guint status;
           const char *code; } cases[] = {
    { "GET", "/sdk/session/abc%2fdef/result", TEST_KEY, 404, "SESSION_NOT_FOUND" },
    { "GET", "/sdk/session/%00/result", TEST_KEY, 404, "SESSION_NOT_FOUND" },
    { "GET", "/sdk/session/result/%00", TEST_KEY, 404, "SESSION_NOT_FOUND" },
    { "GET", "/sdk/session/result/abc%2F..%2Fdef", TEST_KEY, 404, "SESSION_NOT_FOUND" },
    { "GET", "/sdk/session/abc%2f..%2f/result", TEST_KEY, 404, "SESSION_NOT_FOUND" },
    { "GET", "/sdk/session/%00/result", NULL, 401, "API_KEY_INVALID" },
    { "PUT", "/sdk/session/%00/upload?expires=1&signature=00", NULL, 403, "FORBIDDEN" },
    { "POST", "/sdk/session/start%00", TEST_KEY, 404, "INVALID_REQUEST" },
    { "GET", "/%00", NULL, 404, "INVALID_REQUEST" },
  };
  g_autoptr(Started) s = start_session (f, TEST_KEY, NULL);
  g_autoptr(GString) escaped = g_string_new (NULL);
  g_autoptr(VitalTestReply) found = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(VitalTestReply) r = raw_call (f, cases[i].method, cases[i].path, cases[i].key);

      g_test_message ("%s %s", cases[i].method, cases[i].path);
      assert_error (r, cases[i].status, cases[i].code, FALSE);
    }

  /* Escaping what needs no escape still names the session (here every dash as %2D). */
  g_string_append (escaped, "/sdk/session/");
  for (const char *c = s->id; *c != '\0'; c++)
    if (*c == '-')
      g_string_append (escaped, "%2D");
    else
      g_string_append_c (escaped, *c);
  g_string_append (escaped, "/result");
  found = raw_call (f, "GET", escaped->str, TEST_KEY);
  g_assert_cmpuint (found->status, ==, 200);
  g_assert_cmpstr (str (found, "status"), ==, "pending");
  g_assert_cmpstr (str (found, "session_id"), ==, s->id);
}

static void
test_upload_too_large_before_body (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(Started) s = start_session (f, TEST_KEY, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (s->upload_url, G_URI_FLAGS_ENCODED, NULL);
  g_autofree char *request = NULL;
  g_autofree char *response = NULL;
  g_autoptr(JsonNode) json = NULL;
  GSocket *sock;

  g_assert_nonnull (uri);
  conn = g_socket_client_connect_to_host (client, "127.0.0.1", vital_server_get_port (f->server),
                                          NULL, &error);
  g_assert_no_error (error);
  sock = g_socket_connection_get_socket (conn);
  g_socket_set_timeout (sock, 30);
  /* Headers only, announcing 50 GB; not one body byte is sent. */
  request = g_strdup_printf ("PUT %s?%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Content-Type: application/octet-stream\r\n"
                             "Content-Length: 50000000000\r\n\r\n",
                             g_uri_get_path (uri), g_uri_get_query (uri));
  g_assert_cmpint (g_socket_send (sock, request, strlen (request), NULL, &error), ==,
                   (gssize) strlen (request));
  g_assert_no_error (error);

  response = read_raw_response (sock);
  g_assert_true (g_str_has_prefix (response, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (response, "X-RateLimit-Limit"));
  json = vital_test_json_parse (strstr (response, "\r\n\r\n") + 4);
  g_assert_cmpstr (json_object_get_string_member (vital_test_json_object (json), "error"), ==,
                   "PAYLOAD_TOO_LARGE");
  g_assert_cmpuint (count_spool (f, ".part"), ==, 0);
}

static void
test_upload_too_large_config (void)
{
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();
  Fixture f = { 0 };
  g_autoptr(Started) s = NULL;
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (30);
  g_autoptr(VitalTestReply) r = NULL;

  config->max_upload_bytes = 1000;
  start_bare_server (&f, config, TEST_KEY);
  s = start_session (&f, TEST_KEY, NULL);
  g_assert_cmpuint (g_bytes_get_size (payload), >, 1000);
  r = upload (&f, s->upload_url, payload);
  assert_error (r, 413, "PAYLOAD_TOO_LARGE", FALSE);
  fixture_teardown (&f, NULL);
}

static void
test_public_url (void)
{
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();
  Fixture f = { 0 };
  g_autoptr(Started) s = NULL;

  config->public_url = g_strdup ("https://scan.example.org/");
  start_bare_server (&f, config, TEST_KEY);
  s = start_session (&f, TEST_KEY, NULL);
  g_assert_true (g_str_has_prefix (s->upload_url, "https://scan.example.org/sdk/session/"));
  g_assert_nonnull (strstr (s->upload_url, s->id));
  fixture_teardown (&f, NULL);
}

static void
test_transitions (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Started) s = start_session (f, TEST_KEY, NULL);
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (30);
  g_autoptr(VitalTestReply) early = complete (f, TEST_KEY, s->id);
  g_autoptr(VitalTestReply) up = NULL;
  g_autoptr(VitalTestReply) done = NULL;
  g_autoptr(VitalTestReply) twice = NULL;
  g_autoptr(VitalTestReply) late_put = NULL;
  g_autoptr(VitalTestReply) no_id = NULL;
  g_autoptr(VitalTestReply) malformed = NULL;

  assert_error (early, 409, "INVALID_REQUEST", FALSE);
  up = upload (f, s->upload_url, payload);
  done = complete (f, TEST_KEY, s->id);
  g_assert_cmpuint (done->status, ==, 200);
  twice = complete (f, TEST_KEY, s->id);
  assert_error (twice, 409, "INVALID_REQUEST", FALSE);
  late_put = upload (f, s->upload_url, payload);
  assert_error (late_put, 409, "INVALID_REQUEST", FALSE);

  {
    /* JSON bodies are small: a big one is refused from its Content-Length. */
    g_autoptr(GString) big = g_string_new ("{\"demographics\":{\"age\":35},\"pad\":\"");
    g_autoptr(VitalTestReply) too_big = NULL;

    while (big->len < 70 * 1024)
      g_string_append (big, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    g_string_append (big, "\"}");
    too_big = call (f, "POST", "/sdk/session/start", TEST_KEY, big->str);
    assert_error (too_big, 413, "PAYLOAD_TOO_LARGE", FALSE);
  }
  no_id = call (f, "POST", "/sdk/session/upload-complete", TEST_KEY, "{\"id\":1}");
  assert_error (no_id, 400, "INVALID_REQUEST", FALSE);
  malformed = call (f, "POST", "/sdk/session/upload-complete", TEST_KEY, "{\"session_id\":");
  assert_error (malformed, 400, "INVALID_REQUEST", FALSE);

  g_assert_true (vital_session_status_can_transition (VITAL_SESSION_PENDING,
                                                      VITAL_SESSION_UPLOADED));
  g_assert_false (vital_session_status_can_transition (VITAL_SESSION_PENDING,
                                                       VITAL_SESSION_PROCESSING));
  g_assert_false (vital_session_status_can_transition (VITAL_SESSION_COMPLETED,
                                                       VITAL_SESSION_PROCESSING));
  g_assert_false (vital_session_status_can_transition (VITAL_SESSION_PROCESSING,
                                                       VITAL_SESSION_EXPIRED));
  g_assert_false (vital_session_status_can_transition (VITAL_SESSION_EXPIRED,
                                                       VITAL_SESSION_UPLOADED));
}

static void
test_ownership (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Started) s = start_session (f, TEST_KEY, NULL);
  g_autoptr(VitalTestReply) r1 = get_result (f, OTHER_KEY, s->id, FALSE);
  g_autoptr(VitalTestReply) r2 = complete (f, OTHER_KEY, s->id);
  g_autoptr(VitalTestReply) r3 = get_result (f, TEST_KEY,
                                             "00000000-0000-4000-8000-000000000000", FALSE);
  g_autoptr(VitalTestReply) r4 = get_result (f, TEST_KEY, "not-a-uuid", TRUE);
  g_autoptr(VitalTestReply) r5 = complete (f, TEST_KEY, "00000000-0000-4000-8000-000000000000");
  g_autoptr(VitalTestReply) history = call (f, "GET", "/sdk/sessions", OTHER_KEY, NULL);

  assert_error (r1, 403, "FORBIDDEN", FALSE);
  assert_error (r2, 403, "FORBIDDEN", FALSE);
  assert_error (r3, 404, "SESSION_NOT_FOUND", FALSE);
  assert_error (r4, 404, "SESSION_NOT_FOUND", FALSE);
  assert_error (r5, 404, "SESSION_NOT_FOUND", FALSE);
  g_assert_cmpint (json_object_get_int_member (obj (history), "total"), ==, 0);
}

static void
test_expiry (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(Started) s = start_session (f, TEST_KEY, NULL);
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (30);
  g_autoptr(Started) s2 = start_uploaded (f, TEST_KEY, payload);
  g_autoptr(VitalTestReply) put = NULL;
  g_autoptr(VitalTestReply) result = NULL;
  g_autoptr(VitalTestReply) done = NULL;
  g_autoptr(VitalTestReply) history = NULL;
  JsonArray *items;

  g_assert_cmpuint (count_spool (f, ".payload"), ==, 1);
  vital_clock_advance (f->clock, (gint64) 15 * 60 * G_USEC_PER_SEC);

  put = upload (f, s->upload_url, payload);
  assert_error (put, 410, "SESSION_EXPIRED", FALSE);
  result = get_result (f, TEST_KEY, s->id, FALSE);
  assert_error (result, 410, "SESSION_EXPIRED", FALSE);
  done = complete (f, TEST_KEY, s2->id);
  assert_error (done, 410, "SESSION_EXPIRED", FALSE);

  /* The uploaded-but-expired payload is deleted by maintenance. */
  g_assert_cmpuint (vital_server_run_maintenance (f->server), >=, 1);
  g_assert_cmpuint (count_spool (f, ".payload"), ==, 0);

  history = call (f, "GET", "/sdk/sessions", TEST_KEY, NULL);
  items = json_object_get_array_member (obj (history), "sessions");
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "expired");
      g_assert_cmpstr (json_object_get_string_member (item, "unexpected_end_time"), ==,
                       "2026-11-23T10:15:00Z");
    }
}

static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(VitalTestReply) refused = NULL;
  g_autoptr(VitalTestReply) later = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(VitalTestReply) r = call (f, "GET", "/sdk/sessions", LIMIT_KEY, NULL);
      char expected[8];

      g_assert_cmpuint (r->status, ==, 200);
      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "X-RateLimit-Limit"), ==, "3");
      g_snprintf (expected, sizeof expected, "%u", 2 - i);
      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "X-RateLimit-Remaining"), ==,
                       expected);
      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "X-RateLimit-Reset"), ==,
                       "1795428060");
    }
  refused = call (f, "POST", "/sdk/session/start", LIMIT_KEY, NULL);
  assert_error (refused, 429, "RATE_LIMIT_EXCEEDED", TRUE);
  g_assert_cmpstr (soup_message_headers_get_one (refused->headers, "X-RateLimit-Remaining"), ==,
                   "0");
  g_assert_cmpstr (soup_message_headers_get_one (refused->headers, "Retry-After"), ==, "60");

  vital_clock_advance (f->clock, 60 * G_USEC_PER_SEC);
  later = call (f, "POST", "/sdk/session/start", LIMIT_KEY, NULL);
  g_assert_cmpuint (later->status, ==, 200);
}

static void
test_quota (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(VitalTestReply) refused = NULL;
  g_autoptr(VitalTestReply) next_month = NULL;
  g_autoptr(GDateTime) december = g_date_time_new_utc (2026, 12, 1, 0, 0, 1);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(VitalTestReply) r = call (f, "POST", "/sdk/session/start", QUOTA_KEY, NULL);
      char expected[8];

      g_assert_cmpuint (r->status, ==, 200);
      g_snprintf (expected, sizeof expected, "%u", 1 - i);
      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "X-Quota-Remaining"), ==,
                       expected);
    }
  refused = call (f, "POST", "/sdk/session/start", QUOTA_KEY, NULL);
  assert_error (refused, 429, "QUOTA_EXCEEDED", FALSE);
  g_assert_null (soup_message_headers_get_one (refused->headers, "Retry-After"));

  /* Test keys have no quota. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(VitalTestReply) r = call (f, "POST", "/sdk/session/start", TEST_KEY, NULL);

      g_assert_cmpuint (r->status, ==, 200);
    }

  vital_clock_set_us (f->clock, g_date_time_to_unix (december) * G_USEC_PER_SEC);
  next_month = call (f, "POST", "/sdk/session/start", QUOTA_KEY, NULL);
  g_assert_cmpuint (next_month->status, ==, 200);
}

static void
test_persist_ttl_purge (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (30);
  g_autoptr(Started) s = start_uploaded (f, TEST_KEY, payload);
  g_autoptr(VitalTestReply) done = complete (f, TEST_KEY, s->id);
  g_autoptr(VitalTestReply) first = NULL;
  g_autoptr(VitalTestReply) alias = NULL;
  g_autoptr(VitalTestReply) history = NULL;
  g_autoptr(VitalTestReply) purged = NULL;
  g_autoptr(VitalTestReply) history_after = NULL;
  JsonObject *item;

  g_assert_cmpuint (done->status, ==, 200);
  first = get_result (f, TEST_KEY, s->id, FALSE);
  alias = get_result (f, TEST_KEY, s->id, TRUE);
  g_assert_cmpfloat (vital_member (first, "heart_rate"), ==, vital_member (done, "heart_rate"));
  g_assert_cmpfloat (vital_member (alias, "heart_rate"), ==, vital_member (done, "heart_rate"));
  history = call (f, "GET", "/sdk/sessions", TEST_KEY, NULL);
  item = json_array_get_object_element (json_object_get_array_member (obj (history), "sessions"),
                                        0);
  g_assert_false (json_object_get_null_member (item, "vitals"));
  g_assert_cmpuint (vital_session_store_count_results (vital_server_get_store (f->server)), ==, 1);

  vital_clock_advance (f->clock, (gint64) 14 * 60 * G_USEC_PER_SEC);
  vital_server_run_maintenance (f->server);
  g_assert_cmpuint (vital_session_store_count_results (vital_server_get_store (f->server)), ==, 1);
  vital_clock_advance (f->clock, (gint64) 60 * G_USEC_PER_SEC + 1);
  g_assert_cmpuint (vital_server_run_maintenance (f->server), >=, 1);
  g_assert_cmpuint (vital_session_store_count_results (vital_server_get_store (f->server)), ==, 0);

  purged = get_result (f, TEST_KEY, s->id, FALSE);
  g_assert_cmpstr (str (purged, "status"), ==, "completed");
  g_assert_true (json_object_get_null_member (obj (purged), "vitals"));
  history_after = call (f, "GET", "/sdk/sessions", TEST_KEY, NULL);
  item = json_array_get_object_element (json_object_get_array_member (obj (history_after),
                                                                      "sessions"), 0);
  g_assert_true (json_object_get_null_member (item, "vitals"));
}

static VitalTestReply *
history (Fixture    *f,
         const char *query,
         const char *tz,
         const char *user)
{
  g_autofree char *path = g_strconcat ("/sdk/sessions", query, NULL);
  SoupMessage *msg = new_msg (f, "GET", path, TEST_KEY);

  if (tz != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "timezone", tz);
  if (user != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-User-Id", user);
  return send_msg (f, msg);
}

static JsonArray *
items_of (VitalTestReply *r)
{
  g_assert_cmpuint (r->status, ==, 200);
  return json_object_get_array_member (obj (r), "sessions");
}

static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  const char *bad_queries[] = { "?limit=101", "?limit=-1", "?offset=x", "?order_by=UP",
                                "?date_gte=2026-13-01", "?date_lte=23-11-2026",
                                "?date_gte=2026-11-25&date_lte=2026-11-24" };

  /* Sessions at 10:00 UTC on Nov 23, 24, 25 and at 23:30 UTC on Nov 25 (Nov 26 in Paris). */
  for (guint day = 0; day < 3; day++)
    {
      g_autoptr(Started) s = start_session (f, TEST_KEY, day == 1 ? "patient-7" : NULL);

      g_ptr_array_add (ids, g_strdup (s->id));
      vital_clock_advance (f->clock, (gint64) 24 * 3600 * G_USEC_PER_SEC);
    }
  vital_clock_advance (f->clock, (gint64) (-24 * 3600 + 13 * 3600 + 1800) * G_USEC_PER_SEC);
  {
    g_autoptr(Started) s = start_session (f, TEST_KEY, NULL);

    g_ptr_array_add (ids, g_strdup (s->id));
  }

  {
    g_autoptr(VitalTestReply) all = history (f, "", NULL, NULL);
    JsonArray *items = items_of (all);
    JsonObject *newest = json_array_get_object_element (items, 0);

    g_assert_cmpuint (json_array_get_length (items), ==, 4);
    g_assert_cmpint (json_object_get_int_member (obj (all), "total"), ==, 4);
    g_assert_cmpstr (json_object_get_string_member (newest, "session_id"), ==, ids->pdata[3]);
    g_assert_cmpstr (json_object_get_string_member (newest, "start_time"), ==,
                     "2026-11-25T23:30:00Z");
    g_assert_cmpstr (json_object_get_string_member (newest, "created_timezone"), ==, "UTC");
    g_assert_true (json_object_get_null_member (newest, "end_time"));
    g_assert_true (json_object_get_null_member (newest, "vitals"));
  }
  {
    g_autoptr(VitalTestReply) asc = history (f, "?order_by=ASC&offset=1&limit=2", NULL, NULL);
    JsonArray *items = items_of (asc);

    g_assert_cmpuint (json_array_get_length (items), ==, 2);
    g_assert_cmpint (json_object_get_int_member (obj (asc), "total"), ==, 4);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0),
                                                    "session_id"), ==, ids->pdata[1]);
  }
  {
    g_autoptr(VitalTestReply) none = history (f, "?limit=0", NULL, NULL);

    g_assert_cmpuint (json_array_get_length (items_of (none)), ==, 0);
    g_assert_cmpint (json_object_get_int_member (obj (none), "total"), ==, 4);
  }
  {
    /* In UTC, Nov 25 holds two sessions; in Paris the late one belongs to Nov 26. */
    const char *nov25 = "?date_gte=2026-11-25&date_lte=2026-11-25";
    g_autoptr(VitalTestReply) utc = history (f, nov25, NULL, NULL);
    g_autoptr(VitalTestReply) paris = history (f, nov25, "Europe/Paris", NULL);
    g_autoptr(VitalTestReply) paris26 = history (f, "?date_gte=2026-11-26", "Europe/Paris", NULL);
    JsonObject *item;

    g_assert_cmpuint (json_array_get_length (items_of (utc)), ==, 2);
    g_assert_cmpuint (json_array_get_length (items_of (paris)), ==, 1);
    g_assert_cmpuint (json_array_get_length (items_of (paris26)), ==, 1);
    item = json_array_get_object_element (items_of (paris26), 0);
    g_assert_cmpstr (json_object_get_string_member (item, "start_time"), ==,
                     "2026-11-26T00:30:00+01:00");
  }
  {
    g_autoptr(VitalTestReply) user = history (f, "", NULL, "patient-7");
    JsonArray *items = items_of (user);

    g_assert_cmpuint (json_array_get_length (items), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0),
                                                    "user_id"), ==, "patient-7");
  }
  {
    g_autoptr(VitalTestReply) bad_tz = history (f, "", "Not/AZone", NULL);

    assert_error (bad_tz, 400, "INVALID_REQUEST", FALSE);
    g_assert_cmpstr (str (bad_tz, "message"), ==, "The invalid timezone is provided");
  }
  for (guint i = 0; i < G_N_ELEMENTS (bad_queries); i++)
    {
      g_autoptr(VitalTestReply) r = history (f, bad_queries[i], NULL, NULL);

      assert_error (r, 400, "INVALID_REQUEST", FALSE);
    }
}

/* The `timezone` header takes IANA names (Area/Location, from the tz database), `UTC` and
 * `±HH:MM` only;
 * dates are strictly YYYY-MM-DD. Everything else is a 400 with the documented shape. */
static void
test_history_timezone_and_date_forms (Fixture       *f,
                                      gconstpointer  data)
{
  const char *bad_zones[] = { "UTC+14", "FOO+5", "localtime", "EST5EDT", "CET-1CEST",
                              "+5:30", "+05:3", "+0530", "05:30", "+15:00", "-13:00",
                              "+05:60", "Z", "GMT", "utc", "Europe", "Europe/",
                              "/Europe/Paris", "Europe//Paris", "Europe/../Etc/UTC",
                              "posix/Europe/Paris", "right/Europe/Paris", "Mars/Olympus_Mons",
                              "Europe/Paris/Extra/Deep", ":Europe/Paris",
                              "/usr/share/zoneinfo/UTC", "Europe/Paris,M3.5.0", "Etc/GMT+5x" };
  const char *bad_dates[] = { "?date_gte=2026-+1-01", "?date_gte=2026-%2B1-01",
                              "?date_gte=2026-1-01", "?date_gte=2026-11-1", "?date_gte=+026-11-01",
                              "?date_gte=2026-11-0a", "?date_gte=%202026-11-2",
                              "?date_gte=2026-02-29", "?date_lte=2026-04-31",
                              "?date_gte=0000-01-01", "?date_gte=2026-00-10",
                              "?date_gte=2026-11-23T00:00:00Z", "?date_lte=2026/11/23",
                              "?date_lte=20261123", "?date_gte=" };
  /* libsoup's own reading of these would drop the parameter, cut it at the NUL or keep the
   * last one. */
  const char *bad_queries[] = { "?date_lte=2026-11-23%00",
                                "?date_gte", "?=2026-11-23",
                                "?date_gte=2026-11-01&date_gte=2026-11-30" };
  struct { const char *zone; const char *start_time; } good[] = {
    { NULL, "2026-11-23T10:00:00Z" },
    { "UTC", "2026-11-23T10:00:00Z" },
    { "Etc/UTC", "2026-11-23T10:00:00Z" },
    { "Europe/Paris", "2026-11-23T11:00:00+01:00" },
    { "Asia/Kolkata", "2026-11-23T15:30:00+05:30" },
    /* What "UTC+14" was mistaken for (as a POSIX string it means 14 hours *behind* UTC). */
    { "Pacific/Kiritimati", "2026-11-24T00:00:00+14:00" },
    /* The tz database's own name for UTC-5 (its sign is inverted on purpose). */
    { "Etc/GMT+5", "2026-11-23T05:00:00-05:00" },
    { "America/Argentina/Buenos_Aires", "2026-11-23T07:00:00-03:00" },
    { "+05:30", "2026-11-23T15:30:00+05:30" },
    { "-03:00", "2026-11-23T07:00:00-03:00" },
    { "+14:00", "2026-11-24T00:00:00+14:00" },
  };
  const char *good_dates[] = { "?date_gte=2026-11-23", "?date_lte=2026-11-23",
                               "?date_gte=2024-02-29&date_lte=2026-12-31",
                               "?date_gte=0001-01-01&date_lte=9999-12-31" };
  g_autoptr(Started) s = start_session (f, TEST_KEY, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad_zones); i++)
    {
      g_autoptr(VitalTestReply) r = history (f, "", bad_zones[i], NULL);
      SoupMessage *msg = new_msg (f, "POST", "/sdk/session/start", TEST_KEY);
      g_autoptr(VitalTestReply) start = NULL;

      g_test_message ("timezone: %s", bad_zones[i]);
      assert_error (r, 400, "INVALID_REQUEST", FALSE);
      g_assert_cmpstr (str (r, "message"), ==, "The invalid timezone is provided");
      soup_message_headers_replace (soup_message_get_request_headers (msg), "timezone",
                                    bad_zones[i]);
      start = send_msg (f, msg);
      assert_error (start, 400, "INVALID_REQUEST", FALSE);
      g_assert_cmpstr (str (start, "message"), ==, "The invalid timezone is provided");
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_dates); i++)
    {
      g_autoptr(VitalTestReply) r = history (f, bad_dates[i], NULL, NULL);

      g_test_message ("query: %s", bad_dates[i]);
      assert_error (r, 400, "INVALID_REQUEST", FALSE);
      g_assert_true (g_str_has_suffix (str (r, "message"), "must be a date like 2026-11-23"));
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_queries); i++)
    {
      g_autoptr(VitalTestReply) r = history (f, bad_queries[i], NULL, NULL);

      g_test_message ("query: %s", bad_queries[i]);
      assert_error (r, 400, "INVALID_REQUEST", FALSE);
    }

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(VitalTestReply) r = history (f, "", good[i].zone, NULL);
      JsonArray *items = items_of (r);

      g_test_message ("timezone: %s", good[i].zone != NULL ? good[i].zone : "(none)");
      g_assert_cmpstr (str (r, "timezone"), ==, good[i].zone != NULL ? good[i].zone : "UTC");
      g_assert_cmpuint (json_array_get_length (items), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0),
                                                      "start_time"), ==, good[i].start_time);
    }
  {
    SoupMessage *msg = new_msg (f, "POST", "/sdk/session/start", TEST_KEY);
    g_autoptr(VitalTestReply) start = NULL;
    g_autoptr(VitalTestReply) r = NULL;
    JsonObject *newest;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "timezone",
                                  "America/Argentina/Buenos_Aires");
    vital_clock_advance (f->clock, G_USEC_PER_SEC);  /* so it is the newest */
    start = send_msg (f, msg);
    g_assert_cmpuint (start->status, ==, 200);
    r = history (f, "?order_by=DESC&limit=1", NULL, NULL);
    newest = json_array_get_object_element (items_of (r), 0);
    g_assert_cmpstr (json_object_get_string_member (newest, "created_timezone"), ==,
                     "America/Argentina/Buenos_Aires");
  }
  for (guint i = 0; i < G_N_ELEMENTS (good_dates); i++)
    {
      g_autoptr(VitalTestReply) r = history (f, good_dates[i], "Pacific/Kiritimati", NULL);

      g_test_message ("query: %s", good_dates[i]);
      g_assert_cmpuint (r->status, ==, 200);
    }
}

static void
test_restart_keeps_sessions (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (30);
  g_autoptr(Started) s = start_uploaded (f, TEST_KEY, payload);
  g_autoptr(Started) s2 = start_session (f, TEST_KEY, NULL);
  g_autoptr(VitalTestReply) status = NULL;
  g_autoptr(VitalTestReply) put2 = NULL;
  g_autoptr(VitalTestReply) done = NULL;
  g_autoptr(VitalTestReply) hist = NULL;
  g_autoptr(VitalServerConfig) config = NULL;
  g_autoptr(GString) moved_url = NULL;
  g_autofree char *old_base = g_strdup (vital_server_get_base_url (f->server));

  vital_server_stop (f->server);
  g_clear_object (&f->server);

  config = base_config (f);
  start_server (f, config);

  status = get_result (f, TEST_KEY, s->id, FALSE);
  g_assert_cmpuint (status->status, ==, 200);
  g_assert_cmpstr (str (status, "status"), ==, "uploaded");
  /* The upload secret survives too: the old presigned URL (on the new port) still works. */
  moved_url = g_string_new (s2->upload_url);
  g_string_replace (moved_url, old_base, vital_server_get_base_url (f->server), 1);
  put2 = upload (f, moved_url->str, payload);
  g_assert_cmpuint (put2->status, ==, 200);
  done = complete (f, TEST_KEY, s->id);
  g_assert_cmpuint (done->status, ==, 200);
  g_assert_cmpstr (str (done, "status"), ==, "completed");
  hist = call (f, "GET", "/sdk/sessions", TEST_KEY, NULL);
  g_assert_cmpint (json_object_get_int_member (obj (hist), "total"), ==, 2);
}

/* Sessions a crashed instance left in processing: resumed when the payload is still spooled,
 * failed with unexpected_end_time when it is not. */
static void
test_restart_resumes_processing (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (f->data_dir, "sessions.db", NULL);
  g_autofree char *hash = vital_key_hash (TEST_KEY);
  g_autofree char *key_id = g_strndup (hash, 16);
  g_autoptr(VitalSessionStore) store = NULL;
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (30);
  g_autoptr(VitalServerConfig) config = NULL;
  g_autoptr(VitalTestReply) resumed = NULL;
  g_autoptr(VitalTestReply) abandoned = NULL;
  g_autoptr(VitalTestReply) hist = NULL;
  const char *ids[] = { "aaaaaaaa-0000-4000-8000-000000000001",
                        "aaaaaaaa-0000-4000-8000-000000000002" };
  gint64 now = vital_clock_now_us (f->clock);
  g_autofree char *spool = g_strdup (vital_server_get_spool_dir (f->server));
  g_autofree char *payload_path = NULL;
  JsonArray *items;

  vital_server_stop (f->server);
  g_clear_object (&f->server);

  store = vital_session_store_open (db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      VitalSession s = { 0 };
      g_autoptr(VitalSession) processing = NULL;

      s.id = (char *) ids[i];
      s.key_id = key_id;
      s.environment = VITAL_KEY_ENV_TEST;
      s.status = VITAL_SESSION_PENDING;
      s.created_us = now;
      s.expires_us = now + 900 * G_USEC_PER_SEC;
      s.created_timezone = (char *) "UTC";
      g_assert_true (vital_session_store_insert (store, &s, &error));
      g_assert_true (vital_session_store_mark_uploaded_on (store, ids[i], 10, NULL, now, &error));
      processing = vital_session_store_begin_processing_on (store, ids[i], NULL, now, &error);
      g_assert_nonnull (processing);
    }
  g_clear_object (&store);
  payload_path = g_strdup_printf ("%s/%s.payload", spool, ids[0]);
  g_assert_true (g_file_set_contents (payload_path, g_bytes_get_data (payload, NULL),
                                      (gssize) g_bytes_get_size (payload), &error));

  config = base_config (f);
  start_server (f, config);
  vital_server_wait_idle (f->server);

  resumed = get_result (f, TEST_KEY, ids[0], FALSE);
  g_assert_cmpstr (str (resumed, "status"), ==, "completed");
  g_assert_true (vital_member (resumed, "heart_rate") > 0);
  g_assert_false (g_file_test (payload_path, G_FILE_TEST_EXISTS));
  abandoned = get_result (f, TEST_KEY, ids[1], FALSE);
  g_assert_cmpstr (str (abandoned, "status"), ==, "failed");
  g_assert_nonnull (strstr (str (abandoned, "error"), "restarted"));

  hist = call (f, "GET", "/sdk/sessions?order_by=ASC", TEST_KEY, NULL);
  items = json_object_get_array_member (obj (hist), "sessions");
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      gboolean is_abandoned = g_strcmp0 (json_object_get_string_member (item, "session_id"),
                                         ids[1]) == 0;

      g_assert_true (json_object_get_null_member (item, "unexpected_end_time") != is_abandoned);
    }
}

/* Completes a sandbox session deferred (202) and waits for its result to be recorded. */
static Started *
finish_deferred (Fixture *f)
{
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (30);
  Started *s = start_uploaded (f, TEST_KEY, payload);
  g_autoptr(VitalTestReply) done = complete (f, TEST_KEY, s->id);

  g_assert_cmpuint (done->status, ==, 202);
  vital_server_wait_idle (f->server);
  return s;
}

static void
restart_server (Fixture *f)
{
  g_autoptr(VitalServerConfig) config = NULL;

  vital_server_stop (f->server);
  g_clear_object (&f->server);
  config = base_config (f);
  start_server (f, config);
}

/* A result finished but not yet fetched survives a restart (persistence off): it is handed out
 * once after the restart, and a result whose TTL passed meanwhile is gone. */
static void
test_restart_keeps_undelivered_result (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(Started) s = finish_deferred (f);
  g_autoptr(Started) late = finish_deferred (f);
  g_autoptr(VitalVitals) expected = vital_sandbox_vitals (s->id);
  g_autoptr(VitalTestReply) first = NULL;
  g_autoptr(VitalTestReply) again = NULL;
  g_autoptr(VitalTestReply) expired = NULL;

  g_assert_cmpuint (vital_session_store_count_results (vital_server_get_store (f->server)), ==, 2);
  restart_server (f);
  g_assert_cmpuint (vital_session_store_count_results (vital_server_get_store (f->server)), ==, 2);

  first = get_result (f, TEST_KEY, s->id, FALSE);
  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpstr (str (first, "status"), ==, "completed");
  g_assert_cmpfloat_with_epsilon (vital_member (first, "heart_rate"), expected->heart_rate, 0.051);
  /* Delivered once, as before a restart. */
  again = get_result (f, TEST_KEY, s->id, TRUE);
  g_assert_cmpstr (str (again, "status"), ==, "completed");
  g_assert_true (json_object_get_null_member (obj (again), "vitals"));
  g_assert_false (json_object_get_boolean_member (obj (again), "result_available"));
  g_assert_cmpuint (vital_session_store_count_results (vital_server_get_store (f->server)), ==, 1);

  /* Undelivered results keep the result TTL (15 minutes) across restarts. */
  vital_clock_advance (f->clock, (gint64) 15 * 60 * G_USEC_PER_SEC + 1);
  restart_server (f);
  expired = get_result (f, TEST_KEY, late->id, FALSE);
  g_assert_cmpstr (str (expired, "status"), ==, "completed");
  g_assert_true (json_object_get_null_member (obj (expired), "vitals"));
  g_assert_false (json_object_get_boolean_member (obj (expired), "result_available"));
  g_assert_cmpuint (vital_session_store_count_results (vital_server_get_store (f->server)), ==, 0);
}

/* Persistence off: an undelivered result is in the store (so a restart keeps it), and the
 * moment it is delivered its bytes leave the database and the WAL. */
static void
test_delivered_once_leaves_no_bytes (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(Started) s = finish_deferred (f);
  g_autofree char *marker = sandbox_vitals_marker (s->id);
  g_autofree char *body = NULL;
  g_autoptr(Started) inline_s = start_session (f, TEST_KEY, NULL);
  g_autofree char *inline_marker = sandbox_vitals_marker (inline_s->id);
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (30);
  g_autoptr(VitalTestReply) up = NULL;
  g_autoptr(VitalTestReply) done = NULL;

  g_assert_true (store_files_contain (f->data_dir, marker));
  body = get_raw_result (f, TEST_KEY, s->id);
  g_assert_true (bytes_contain (body, strlen (body), marker));
  g_assert_false (store_files_contain (f->data_dir, marker));

  /* An inline answer delivers it too: nothing is left behind. */
  up = upload (f, inline_s->upload_url, payload);
  restart_server (f);  /* with an inline budget */
  done = complete (f, TEST_KEY, inline_s->id);
  g_assert_cmpuint (done->status, ==, 200);
  g_assert_cmpfloat (vital_member (done, "heart_rate"), >, 0);
  g_assert_false (store_files_contain (f->data_dir, inline_marker));
}

/* Persist mode with a 3 s TTL: 70 s later the vitals are nowhere in the files, whether the purge
 * ran in a request (history, result) or in the maintenance pass. */
static void
test_purge_leaves_no_bytes (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(VitalServerConfig) config = base_config (f);
  g_autoptr(GPtrArray) markers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  vital_server_stop (f->server);
  g_clear_object (&f->server);
  config->persist_vitals = TRUE;
  config->result_ttl_s = 3;
  start_server (f, config);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(Started) s = start_session (f, TEST_KEY, NULL);
      g_autoptr(GBytes) payload = vital_test_placeholder_payload (30);
      g_autoptr(VitalTestReply) up = upload (f, s->upload_url, payload);
      g_autoptr(VitalTestReply) done = complete (f, TEST_KEY, s->id);
      g_autofree char *body = NULL;

      g_assert_cmpuint (done->status, ==, 200);
      body = get_raw_result (f, TEST_KEY, s->id);
      g_ptr_array_add (markers, sandbox_vitals_marker (s->id));
      g_assert_true (bytes_contain (body, strlen (body), markers->pdata[i]));
      g_assert_true (store_files_contain (f->data_dir, markers->pdata[i]));
      g_ptr_array_add (ids, g_strdup (s->id));
    }

  vital_clock_advance (f->clock, (gint64) 70 * G_USEC_PER_SEC);
  /* The history purges what is past its TTL before it answers. */
  {
    g_autoptr(VitalTestReply) hist = call (f, "GET", "/sdk/sessions", TEST_KEY, NULL);

    g_assert_cmpuint (hist->status, ==, 200);
    for (guint i = 0; i < markers->len; i++)
      g_assert_false (store_files_contain (f->data_dir, markers->pdata[i]));
  }
  vital_server_run_maintenance (f->server);
  for (guint i = 0; i < markers->len; i++)
    g_assert_false (store_files_contain (f->data_dir, markers->pdata[i]));
  {
    g_autoptr(VitalTestReply) gone = get_result (f, TEST_KEY, ids->pdata[2], FALSE);

    g_assert_true (json_object_get_null_member (obj (gone), "vitals"));
  }
}

/* A store written before results got their result_once column opens (the column is added) and
 * its persisted results stay persisted: handed out as often as asked. */
static void
test_store_migrates_old_schema (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vitalscan-test-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "sessions.db", NULL);
  g_autoptr(VitalSessionStore) store = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  const char *id = "bbbbbbbb-0000-4000-8000-000000000001";
  g_autofree char *sql = g_strdup_printf (
    "CREATE TABLE sessions (id TEXT PRIMARY KEY, key_id TEXT NOT NULL, user_id TEXT,"
    " environment INTEGER NOT NULL, status TEXT NOT NULL, created_us INTEGER NOT NULL,"
    " expires_us INTEGER NOT NULL, uploaded_us INTEGER NOT NULL DEFAULT 0,"
    " ended_us INTEGER NOT NULL DEFAULT 0, unexpected_end_us INTEGER NOT NULL DEFAULT 0,"
    " created_timezone TEXT NOT NULL DEFAULT 'UTC', age INTEGER NOT NULL DEFAULT 0,"
    " sex INTEGER NOT NULL DEFAULT 0, fitzpatrick INTEGER NOT NULL DEFAULT 0,"
    " payload_bytes INTEGER NOT NULL DEFAULT 0, error TEXT,"
    " processing_time_ms REAL NOT NULL DEFAULT 0, result_json TEXT,"
    " result_expires_us INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO sessions (id, key_id, environment, status, created_us, expires_us, ended_us,"
    " result_json, result_expires_us) VALUES ('%s', 'k', 0, 'completed', 1, 2, 3,"
    " '{\"vitals\":{}}', %" G_GINT64_FORMAT ");", id, G_MAXINT64);
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = vital_session_store_open (path, &error);
  g_assert_no_error (error);
  first = vital_session_store_take_result (store, id, 10, &error);
  g_assert_no_error (error);
  second = vital_session_store_take_result (store, id, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, "{\"vitals\":{}}");
  g_assert_cmpstr (second, ==, first);
  g_assert_cmpuint (vital_session_store_count_results (store), ==, 1);
  g_clear_object (&store);
  vital_test_remove_tree (dir);
}

static void
test_graceful_shutdown (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (300);
  VitalSessionStore *store;
  g_autoptr(VitalTestReply) refused = NULL;

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(Started) s = start_session (f, LIVE_KEY, NULL);
      g_autoptr(VitalTestReply) up = upload (f, s->upload_url, payload);
      g_autoptr(VitalTestReply) done = complete (f, LIVE_KEY, s->id);

      g_assert_cmpuint (done->status, ==, 202);
      g_ptr_array_add (ids, g_strdup (s->id));
    }
  store = g_object_ref (vital_server_get_store (f->server));
  /* Stop while jobs are queued: it returns only when all of them have finished. */
  vital_server_stop (f->server);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(VitalSession) session = vital_session_store_get (store, ids->pdata[i],
                                                                 vital_clock_now_us (f->clock),
                                                                 NULL);

      g_assert_nonnull (session);
      g_assert_true (session->status == VITAL_SESSION_COMPLETED
                     || session->status == VITAL_SESSION_FAILED);
    }
  g_assert_cmpuint (count_spool (f, ".payload"), ==, 0);
  g_object_unref (store);
}

static void
test_shutdown_refuses_new_work (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(Started) s = start_session (f, TEST_KEY, NULL);
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (30);
  g_autoptr(VitalTestReply) start = NULL;
  g_autoptr(VitalTestReply) put = NULL;
  g_autoptr(VitalTestReply) health = NULL;
  g_autoptr(VitalTestReply) result = NULL;

  vital_server_begin_shutdown (f->server);
  start = call (f, "POST", "/sdk/session/start", TEST_KEY, NULL);
  assert_error (start, 503, "SERVICE_UNAVAILABLE", TRUE);
  put = upload (f, s->upload_url, payload);
  assert_error (put, 503, "SERVICE_UNAVAILABLE", TRUE);
  health = call (f, "GET", "/health", NULL, NULL);
  g_assert_cmpuint (health->status, ==, 503);
  g_assert_cmpstr (str (health, "status"), ==, "shutting_down");
  /* Reading stays possible. */
  result = get_result (f, TEST_KEY, s->id, FALSE);
  g_assert_cmpuint (result->status, ==, 200);
}

static void
test_internal_error (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Started) s = start_session (f, TEST_KEY, NULL);
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (30);
  g_autoptr(VitalTestReply) put = NULL;

  /* The spool directory vanished under the server: storing the upload fails. */
  g_assert_cmpint (g_rmdir (vital_server_get_spool_dir (f->server)), ==, 0);
  put = upload (f, s->upload_url, payload);
  assert_error (put, 500, "INTERNAL", TRUE);
}

static void
test_upload_expect_continue_and_chunked (Fixture       *f,
                                         gconstpointer  data)
{
  /* With Expect: 100-continue libsoup answers from the headers, the body is never sent; an
   * upload without a length (chunked) is refused with 411. */
  const struct { const char *type; gboolean chunked; guint status; } puts[] = {
    { "text/plain", FALSE, 415 },
    { "application/octet-stream", FALSE, 200 },
    { "application/octet-stream", TRUE, 411 },
  };
  g_autoptr(Started) s = start_session (f, TEST_KEY, NULL);
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (30);

  for (guint i = 0; i < G_N_ELEMENTS (puts); i++)
    {
      SoupMessage *msg = new_msg (f, "PUT", s->upload_url, NULL);
      SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
      g_autoptr(VitalTestReply) r = NULL;

      soup_message_set_request_body_from_bytes (msg, puts[i].type, payload);
      if (puts[i].chunked)
        soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      else
        soup_message_headers_set_expectations (headers, SOUP_EXPECTATION_CONTINUE);
      r = send_msg (f, msg);
      if (puts[i].status == 200)
        g_assert_cmpuint (r->status, ==, 200);
      else
        assert_error (r, puts[i].status, "INVALID_REQUEST", FALSE);
    }
}

static void
test_anonymous_rate_limit (void)
{
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();
  Fixture f = { 0 };
  g_autoptr(VitalTestReply) refused = NULL;
  g_autoptr(VitalTestReply) health_refused = NULL;

  config->anonymous_rate_limit = 2;
  start_bare_server (&f, config, NULL);
  /* Guessing keys is throttled per address: after the limit, 429 instead of 401. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(VitalTestReply) r = call (&f, "POST", "/sdk/session/start",
                                          "ck_test_guessguessguessguessguess", NULL);

      assert_error (r, 401, "API_KEY_INVALID", FALSE);
    }
  refused = call (&f, "POST", "/sdk/session/start", "ck_test_guessguessguessguessguess", NULL);
  assert_error (refused, 429, "RATE_LIMIT_EXCEEDED", TRUE);
  g_assert_nonnull (soup_message_headers_get_one (refused->headers, "Retry-After"));
  health_refused = call (&f, "GET", "/health", NULL, NULL);
  assert_error (health_refused, 429, "RATE_LIMIT_EXCEEDED", TRUE);
  fixture_teardown (&f, NULL);
}

static char *
read_line (GDataInputStream *in)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (line);
  return line;
}

static GSubprocess *
spawn_server (const char        *keys_path,
              const char        *data_dir,
              char             **out_url,
              GDataInputStream **out_stdout)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  GSubprocess *proc;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, VITALSCAN_SERVER_BIN,
                           "--port", "0", "--keys", keys_path, "--data-dir", data_dir,
                           "--inline-budget-ms", "0", "--quiet", NULL);
  g_assert_no_error (error);
  *out_stdout = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = read_line (*out_stdout);
  g_assert_nonnull (strstr (line, "listening on http://127.0.0.1:"));
  *out_url = g_strdup (strstr (line, "http://"));
  return proc;
}

/* The executable: keygen's entry is accepted, SIGTERM finishes in-flight work before exiting,
 * and a restart on the same data directory keeps the sessions and the result not yet fetched. */
static void
test_executable_sigterm_restart (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vitalscan-test-exe-XXXXXX", &error);
  g_autofree char *keys_path = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *out = NULL;
  g_autofree char *key = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) proc_out = NULL;
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (900);
  g_auto(GStrv) lines = NULL;
  g_autoptr(VitalTestReply) done = NULL;
  g_autoptr(VitalTestReply) after = NULL;
  g_autoptr(VitalTestReply) again = NULL;
  g_autoptr(VitalTestReply) hist = NULL;
  g_autoptr(Started) s = NULL;
  g_autofree char *line = NULL;
  int status = 0;
  Fixture f = { 0 };
  const char *keygen[] = { VITALSCAN_SERVER_BIN, "keygen", "--env", "live", "--owner", "exe",
                           "--rate-limit", "0", "--quota", "0", NULL };

  g_assert_no_error (error);
  g_assert_true (g_spawn_sync (NULL, (char **) keygen, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  lines = g_strsplit (out, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[1], "# ck_live_"));
  key = g_strdup (lines[1] + 2);
  keys_path = g_build_filename (dir, "keys.ini", NULL);
  g_assert_true (g_file_set_contents (keys_path, out, -1, &error));
  data_dir = g_build_filename (dir, "data", NULL);

  proc = spawn_server (keys_path, data_dir, &url, &proc_out);
  f.session = soup_session_new ();
  /* new_msg() uses the base URL of f.server; here URLs are absolute instead. */
  {
    g_autofree char *start_url = g_strconcat (url, "/sdk/session/start", NULL);
    g_autoptr(VitalTestReply) r = call (&f, "POST", start_url, key, NULL);
    g_autoptr(VitalTestReply) up = NULL;
    g_autofree char *complete_url = g_strconcat (url, "/sdk/session/upload-complete", NULL);
    g_autofree char *body = NULL;

    g_assert_cmpuint (r->status, ==, 200);
    s = g_new0 (Started, 1);
    s->id = g_strdup (str (r, "session_id"));
    s->upload_url = g_strdup (str (r, "upload_url"));
    up = upload (&f, s->upload_url, payload);
    g_assert_cmpuint (up->status, ==, 200);
    body = g_strdup_printf ("{\"session_id\":\"%s\"}", s->id);
    done = call (&f, "POST", complete_url, key, body);
    g_assert_cmpuint (done->status, ==, 202);
  }
  /* SIGTERM right away, while the live scan is processing: the exit waits for it. */
  g_subprocess_send_signal (proc, SIGTERM);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_clear_object (&proc);
  g_clear_object (&proc_out);
  g_clear_pointer (&url, g_free);
  /* Processing ended before the exit: its payload is already deleted (a restart would
   * otherwise resume the session from the spool). */
  {
    g_autofree char *spool = g_build_filename (data_dir, "spool", NULL);

    g_assert_cmpuint (vital_test_count_files (spool, ".payload"), ==, 0);
  }

  proc = spawn_server (keys_path, data_dir, &url, &proc_out);
  {
    g_autofree char *result_url = g_strdup_printf ("%s/sdk/session/%s/result", url, s->id);
    g_autofree char *hist_url = g_strconcat (url, "/sdk/sessions", NULL);

    after = call (&f, "GET", result_url, key, NULL);
    g_assert_cmpuint (after->status, ==, 200);
    g_assert_cmpstr (str (after, "status"), ==, "completed");
    /* The result finished before the exit and was never fetched: the restart kept it. */
    g_assert_cmpfloat_with_epsilon (vital_member (after, "heart_rate"), 72.0, 3.0);
    /* Persistence is off: it was handed out once, as without a restart. */
    again = call (&f, "GET", result_url, key, NULL);
    g_assert_cmpstr (str (again, "status"), ==, "completed");
    g_assert_true (json_object_get_null_member (obj (again), "vitals"));
    g_assert_false (json_object_get_boolean_member (obj (again), "result_available"));
    hist = call (&f, "GET", hist_url, key, NULL);
    g_assert_cmpint (json_object_get_int_member (obj (hist), "total"), ==, 1);
  }
  g_subprocess_send_signal (proc, SIGINT);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_clear_object (&f.session);
  vital_test_remove_tree (dir);
}

static void
test_keys_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalKeys) keys = vital_keys_new ();
  g_autofree char *key = vital_key_generate (VITAL_KEY_ENV_LIVE, &error);
  g_autofree char *entry = NULL;
  g_autofree char *path = NULL;
  g_autofree char *bad_path = NULL;
  g_autoptr(VitalKeyInfo) info = NULL;
  int fd;

  g_assert_no_error (error);
  g_assert_true (vital_key_is_well_formed (key, NULL));
  entry = vital_key_format_entry (key, "Clinic A", 30, 500);
  /* The entry holds the hash, never the key. */
  g_assert_null (strstr (entry, key));
  fd = g_file_open_tmp ("vitalscan-keys-XXXXXX.ini", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, entry, -1, &error));
  g_assert_true (vital_keys_load_file (keys, path, &error));
  g_assert_no_error (error);
  info = vital_keys_lookup (keys, key);
  g_assert_nonnull (info);
  g_assert_cmpstr (info->owner, ==, "Clinic A");
  g_assert_cmpint (info->environment, ==, VITAL_KEY_ENV_LIVE);
  g_assert_cmpuint (info->rate_limit, ==, 30);
  g_assert_cmpuint (info->monthly_quota, ==, 500);
  g_assert_null (vital_keys_lookup (keys, "ck_live_aaaaaaaaaaaaaaaaaaaaaaaa"));
  g_unlink (path);

  fd = g_file_open_tmp ("vitalscan-keys-XXXXXX.ini", &bad_path, &error);
  close (fd);
  g_assert_true (g_file_set_contents (bad_path, "[key x]\nsha256=zz\nenvironment=live\n", -1,
                                      &error));
  g_assert_false (vital_keys_load_file (keys, bad_path, &error));
  g_assert_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG);
  g_unlink (bad_path);
}

/* What a reload keeps: keys added in memory (unless the file revokes them), revocations made in
 * memory; and what its errors never say: a key pasted into the file. */
static void
test_keys_reload_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalKeys) keys = vital_keys_new ();
  g_autofree char *dir = g_dir_make_tmp ("vitalscan-test-keys-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "keys.ini", NULL);
  g_autofree char *memory_key = vital_key_generate (VITAL_KEY_ENV_LIVE, &error);
  g_autofree char *file_key = vital_key_generate (VITAL_KEY_ENV_LIVE, &error);
  g_autofree char *file_entry = vital_key_format_entry (file_key, "file", 0, 0);
  g_autofree char *memory_entry = vital_key_format_entry (memory_key, "file too", 0, 0);
  g_autoptr(GString) revoking = g_string_new (memory_entry);
  g_autoptr(VitalKeyInfo) info = NULL;
  /* KEY stands for the plaintext key. */
  const char *leaky[] = { "[key 0123]\nsha256=KEY\n", "KEY\n", "[KEY]\nsha256=zz\n",
                          "[key 01]\nsha256=" "0000000000000000000000000000000000000000000000000000"
                          "000000000000\nenvironment=live\nrate_limit=KEY\n" };

  g_assert_no_error (error);
  g_assert_false (vital_keys_reload (keys, &error));
  g_assert_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG);
  g_clear_error (&error);

  g_assert_true (vital_keys_add (keys, memory_key, "memory", 0, 0, &error));
  g_assert_true (g_file_set_contents (path, file_entry, -1, &error));
  g_assert_true (vital_keys_load_file (keys, path, &error));
  g_assert_cmpuint (vital_keys_get_count (keys), ==, 2);

  /* Revoked in memory: still revoked after a reload of a file that does not revoke it. */
  g_assert_true (vital_keys_revoke (keys, file_key));
  g_assert_true (vital_keys_reload (keys, &error));
  g_assert_null (vital_keys_lookup (keys, file_key));
  info = vital_keys_lookup (keys, memory_key);
  g_assert_nonnull (info);
  g_assert_cmpstr (info->owner, ==, "memory");

  /* The file can revoke an in-memory key. */
  g_string_replace (revoking, "revoked=false", "revoked=true", 1);
  g_assert_true (g_file_set_contents (path, revoking->str, -1, &error));
  g_assert_true (vital_keys_reload (keys, &error));
  g_assert_null (vital_keys_lookup (keys, memory_key));
  g_assert_cmpuint (vital_keys_get_count (keys), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (leaky); i++)
    {
      g_autoptr(GString) contents = g_string_new (leaky[i]);

      g_string_replace (contents, "KEY", file_key, 0);
      g_assert_true (g_file_set_contents (path, contents->str, -1, &error));
      g_assert_false (vital_keys_reload (keys, &error));
      g_assert_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, path));
      g_assert_null (strstr (error->message, file_key));
      g_clear_error (&error);
      /* Nothing changed. */
      g_assert_cmpuint (vital_keys_get_count (keys), ==, 1);
    }
  vital_test_remove_tree (dir);
}

/* ---- key file reloads ---------------------------------------------------------------- */

typedef struct
{
  GMutex  mutex;
  GCond   cond;
  guint   loaded;
  guint   failed;
} KeyLoads;

/* Warnings about the key file that a test expects the server to log: kept (to check what they
 * say) instead of aborting the test. A log writer is needed because structured logging goes
 * around g_test_log_set_fatal_handler(); the lock is there because the server thread logs. */
static struct
{
  GMutex   mutex;
  GString *text;  /* NULL when none is expected */
} key_warnings;

static GLogWriterOutput
test_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         data)
{
  g_autofree char *domain = NULL;
  g_autofree char *message = NULL;
  gboolean expected = FALSE;

  if (!(log_level & G_LOG_LEVEL_WARNING))
    return g_log_writer_default (log_level, fields, n_fields, data);
  for (gsize i = 0; i < n_fields; i++)
    {
      char **slot = g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0 ? &domain
                    : g_strcmp0 (fields[i].key, "MESSAGE") == 0 ? &message : NULL;

      if (slot != NULL && *slot == NULL)
        *slot = fields[i].length < 0 ? g_strdup (fields[i].value)
                                     : g_strndup (fields[i].value, (gsize) fields[i].length);
    }
  g_mutex_lock (&key_warnings.mutex);
  if (key_warnings.text != NULL && g_strcmp0 (domain, "vitalscan-server") == 0
      && message != NULL && strstr (message, "key file") != NULL)
    {
      g_string_append_printf (key_warnings.text, "%s\n", message);
      expected = TRUE;
    }
  g_mutex_unlock (&key_warnings.mutex);
  if (expected)
    return g_log_writer_standard_streams (log_level, fields, n_fields, data);
  return g_log_writer_default (log_level, fields, n_fields, data);
}

static void
key_file_loaded (VitalKeys *keys,
                 gboolean   success,
                 KeyLoads  *loads)
{
  g_mutex_lock (&loads->mutex);
  if (success)
    loads->loaded++;
  else
    loads->failed++;
  g_cond_broadcast (&loads->cond);
  g_mutex_unlock (&loads->mutex);
}

/* Waits (at most 10 s, woken by each load of the file) until @present is accepted and @absent
 * refused. */
static gboolean
wait_for_keys (KeyLoads   *loads,
               VitalKeys  *keys,
               const char *present,
               const char *absent)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gboolean ok = FALSE;

  g_mutex_lock (&loads->mutex);
  for (;;)
    {
      g_autoptr(VitalKeyInfo) yes = present != NULL ? vital_keys_lookup (keys, present) : NULL;
      g_autoptr(VitalKeyInfo) no = absent != NULL ? vital_keys_lookup (keys, absent) : NULL;

      ok = (present == NULL || yes != NULL) && no == NULL;
      if (ok || !g_cond_wait_until (&loads->cond, &loads->mutex, deadline))
        break;
    }
  g_mutex_unlock (&loads->mutex);
  return ok;
}

/* Waits (at most 10 s) until a load of the file has failed @failed times in all. */
static gboolean
wait_for_failed_load (KeyLoads *loads,
                      guint     failed)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gboolean ok;

  g_mutex_lock (&loads->mutex);
  while (loads->failed < failed && g_cond_wait_until (&loads->cond, &loads->mutex, deadline))
    ;
  ok = loads->failed >= failed;
  g_mutex_unlock (&loads->mutex);
  return ok;
}

static void
write_in_place (const char *path,
                const char *contents)
{
  FILE *file = fopen (path, "w");

  g_assert_nonnull (file);
  g_assert_cmpint (fputs (contents, file), >=, 0);
  g_assert_cmpint (fclose (file), ==, 0);
}

static guint
status_of (Fixture    *f,
           const char *key)
{
  g_autoptr(VitalTestReply) r = call (f, "GET", "/sdk/sessions", key, NULL);

  return r->status;
}

/* The key file is watched: edits in place and files renamed over it are picked up without a
 * restart; a removed key gets 401 from its next request, a kept one keeps its rate-limit
 * window, in-memory keys stay, and an invalid file keeps the keys in use with a warning that
 * does not quote the file. */
static void
test_keys_reload_on_change (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();
  g_autofree char *dir = g_dir_make_tmp ("vitalscan-test-keys-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "keys.ini", NULL);
  g_autofree char *key_a = vital_key_generate (VITAL_KEY_ENV_LIVE, &error);
  g_autofree char *key_b = vital_key_generate (VITAL_KEY_ENV_TEST, &error);
  g_autofree char *entry_a = vital_key_format_entry (key_a, "A", 3, 0);
  g_autofree char *entry_b = vital_key_format_entry (key_b, "B", 0, 0);
  g_autofree char *both = g_strconcat (entry_a, "\n", entry_b, NULL);
  g_autofree char *broken = g_strdup_printf ("%s\n%s\n", entry_b, key_b);
  KeyLoads loads = { 0 };
  VitalKeys *keys;
  Fixture f = { 0 };

  g_assert_no_error (error);
  g_mutex_init (&loads.mutex);
  g_cond_init (&loads.cond);
  g_mutex_lock (&key_warnings.mutex);
  key_warnings.text = g_string_new (NULL);
  g_mutex_unlock (&key_warnings.mutex);

  g_assert_true (g_file_set_contents (path, entry_a, -1, &error));
  f.clock = vital_clock_new_manual (start_time_us ());
  config->clock = g_object_ref (f.clock);
  config->keys_file = g_strdup (path);
  start_bare_server (&f, config, TEST_KEY);
  keys = vital_server_get_keys (f.server);
  g_signal_connect (keys, "file-loaded", G_CALLBACK (key_file_loaded), &loads);

  g_assert_cmpuint (status_of (&f, key_a), ==, 200);  /* 1 of A's 3 a minute */
  g_assert_cmpuint (status_of (&f, key_b), ==, 401);
  g_assert_cmpuint (status_of (&f, TEST_KEY), ==, 200);

  /* Written in place: B comes in. */
  write_in_place (path, both);
  g_assert_true (wait_for_keys (&loads, keys, key_b, NULL));
  g_assert_cmpuint (status_of (&f, key_b), ==, 200);
  /* A stayed, and so did its rate-limit window: 2 and 3 of 3, then 429. */
  g_assert_cmpuint (status_of (&f, key_a), ==, 200);
  g_assert_cmpuint (status_of (&f, key_a), ==, 200);
  g_assert_cmpuint (status_of (&f, key_a), ==, 429);

  /* Replaced by a file renamed over it (g_file_set_contents), as editors save: A goes. */
  g_assert_true (g_file_set_contents (path, entry_b, -1, &error));
  g_assert_true (wait_for_keys (&loads, keys, key_b, key_a));
  g_assert_cmpuint (status_of (&f, key_a), ==, 401);
  g_assert_cmpuint (status_of (&f, key_b), ==, 200);
  /* The built-in (in-memory) key survives every reload. */
  g_assert_cmpuint (status_of (&f, TEST_KEY), ==, 200);

  /* Invalid (a key pasted in as a line of its own): the keys in use stay, with a warning that
   * names the file but never quotes the key. */
  write_in_place (path, broken);
  g_assert_true (wait_for_failed_load (&loads, 1));
  g_assert_cmpuint (status_of (&f, key_b), ==, 200);
  g_assert_cmpuint (status_of (&f, key_a), ==, 401);
  g_mutex_lock (&key_warnings.mutex);
  g_assert_nonnull (strstr (key_warnings.text->str, "keys.ini"));
  g_assert_null (strstr (key_warnings.text->str, key_b));
  g_mutex_unlock (&key_warnings.mutex);
  g_assert_false (vital_server_reload_keys (f.server, &error));
  g_assert_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG);
  g_assert_null (strstr (error->message, key_b));
  g_clear_error (&error);

  /* Reloading on request (what SIGHUP does) takes effect before it returns. */
  g_assert_true (g_file_set_contents (path, entry_a, -1, &error));
  g_assert_true (vital_server_reload_keys (f.server, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (status_of (&f, key_b), ==, 401);
  g_assert_cmpuint (status_of (&f, TEST_KEY), ==, 200);

  g_signal_handlers_disconnect_by_data (keys, &loads);
  fixture_teardown (&f, NULL);
  g_mutex_lock (&key_warnings.mutex);
  g_string_free (g_steal_pointer (&key_warnings.text), TRUE);
  g_mutex_unlock (&key_warnings.mutex);
  g_mutex_clear (&loads.mutex);
  g_cond_clear (&loads.cond);
  vital_test_remove_tree (dir);
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

/* Reads lines of @in until one starts with @prefix (others are skipped); at most @seconds. */
static char *
read_line_starting (GDataInputStream *in,
                    const char       *prefix,
                    guint             seconds)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) timeout = g_timeout_source_new_seconds (seconds);
  char *line = NULL;

  g_source_set_callback (timeout, cancel_cb, cancellable, NULL);
  g_source_attach (timeout, NULL);
  while (line == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      char *next;

      g_data_input_stream_read_line_async (in, G_PRIORITY_DEFAULT, cancellable,
                                           store_result, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      next = g_data_input_stream_read_line_finish_utf8 (in, result, NULL, &error);
      if (next == NULL)
        break;  /* end of the output (the server died), or the time is up */
      if (g_str_has_prefix (next, prefix))
        line = next;
      else
        g_free (next);
    }
  g_source_destroy (timeout);
  return line;
}

static guint
status_at (Fixture    *f,
           const char *url,
           const char *key)
{
  g_autofree char *sessions_url = g_strconcat (url, "/sdk/sessions", NULL);
  g_autoptr(VitalTestReply) r = call (f, "GET", sessions_url, key, NULL);

  return r->status;
}

/* Edits the key file (@target) to @content, sends the server @proc SIGHUP, and returns the line
 * it then prints that starts with @logged. */
static char *
edit_and_hangup (GSubprocess      *proc,
                 GDataInputStream *out,
                 const char       *target,
                 const char       *content,
                 const char       *logged)
{
  char *line;

  write_in_place (target, content);
  g_subprocess_send_signal (proc, SIGHUP);
  line = read_line_starting (out, logged, 30);
  g_assert_nonnull (line);
  return line;
}

/* The executable re-reads its key file on SIGHUP (here a symlink whose target is edited, which
 * the file watch does not see, so only the signal can make the change), and survives an
 * invalid file with a warning that does not quote it. */
static void
test_executable_sighup_reloads_keys (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vitalscan-test-hup-XXXXXX", &error);
  g_autofree char *real_dir = g_build_filename (dir, "real", NULL);
  g_autofree char *target = g_build_filename (real_dir, "keys-1.ini", NULL);
  g_autofree char *keys_path = g_build_filename (dir, "keys.ini", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *key_a = vital_key_generate (VITAL_KEY_ENV_LIVE, &error);
  g_autofree char *key_b = vital_key_generate (VITAL_KEY_ENV_TEST, &error);
  g_autofree char *entry_a = vital_key_format_entry (key_a, "A", 0, 0);
  g_autofree char *entry_b = vital_key_format_entry (key_b, "B", 0, 0);
  g_autofree char *broken = g_strdup_printf ("%s\n%s\n", entry_a, key_a);
  g_autofree char *line = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  Fixture f = { 0 };

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (real_dir, 0700), ==, 0);
  write_in_place (target, entry_a);
  g_assert_cmpint (symlink (target, keys_path), ==, 0);

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                           &error, VITALSCAN_SERVER_BIN, "--port", "0", "--keys", keys_path,
                           "--data-dir", data_dir, "--quiet", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = read_line_starting (out, "vitalscan-server " VITAL_VERSION " listening on ", 30);
  g_assert_nonnull (line);
  url = g_strdup (strstr (line, "http://"));
  f.session = soup_session_new ();
  g_assert_cmpuint (status_at (&f, url, key_a), ==, 200);
  g_assert_cmpuint (status_at (&f, url, key_b), ==, 401);

  g_free (line);
  line = edit_and_hangup (proc, out, target, entry_b, "vitalscan-server: reloaded the key file");
  g_assert_cmpuint (status_at (&f, url, key_a), ==, 401);
  g_assert_cmpuint (status_at (&f, url, key_b), ==, 200);

  g_free (line);
  line = edit_and_hangup (proc, out, target, broken,
                          "vitalscan-server: warning: the key file was not reloaded");
  g_assert_nonnull (strstr (line, "keys.ini"));
  g_assert_null (strstr (line, key_a));
  g_assert_cmpuint (status_at (&f, url, key_b), ==, 200);
  g_assert_cmpuint (status_at (&f, url, key_a), ==, 401);

  g_subprocess_send_signal (proc, SIGTERM);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_clear_object (&f.session);
  vital_test_remove_tree (dir);
}

static void
test_presign (void)
{
  g_autoptr(GBytes) secret = g_bytes_new_static ("0123456789abcdef0123456789abcdef", 32);
  g_autoptr(GBytes) other = g_bytes_new_static ("fedcba9876543210fedcba9876543210", 32);
  const char *id = "11111111-1111-4111-8111-111111111111";
  g_autofree char *sig = vital_presign_sign (secret, id, 1800000000);

  g_assert_cmpuint (strlen (sig), ==, 64);
  g_assert_true (vital_presign_verify (secret, id, 1800000000, sig));
  g_assert_false (vital_presign_verify (secret, id, 1800000001, sig));
  g_assert_false (vital_presign_verify (other, id, 1800000000, sig));
  g_assert_false (vital_presign_verify (secret, "11111111-1111-4111-8111-111111111112",
                                        1800000000, sig));
  g_assert_false (vital_presign_verify (secret, id, 1800000000, NULL));
  g_assert_false (vital_presign_verify (secret, id, 1800000000, "abc"));
}

static char *pg_unavailable;

static void
test_pg_unavailable (void)
{
  g_test_skip (pg_unavailable);
}

/* Tests that look into SQLite's own files (or write one), which a PostgreSQL-backed server
 * does not have. */
static gboolean
sqlite_only (const char *path)
{
  const char *paths[] = { "sandbox/inline-result", "lifecycle/restart-resumes-processing",
                          "privacy/delivered-once-leaves-no-bytes",
                          "privacy/purge-leaves-no-bytes", NULL };

  return g_strv_contains (paths, path);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(PgHarness) harness = NULL;
  gboolean on_pg = g_strcmp0 (g_getenv ("VITALSCAN_TEST_BACKEND"), "postgresql") == 0;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (test_log_writer, NULL, NULL);

  if (on_pg)
    {
      g_autoptr(GError) error = NULL;

      harness = pg_harness_start (&error);
      if (harness != NULL && pg_harness_create_database (harness, "conformance", &error))
        pg_uri = pg_harness_uri (harness, "conformance");
      else
        {
          pg_unavailable = g_strdup_printf ("PostgreSQL is not available: %s", error->message);
          g_test_add_func ("/server/postgresql/unavailable", test_pg_unavailable);
          status = g_test_run ();
          g_free (pg_unavailable);
          return status;
        }
    }

#define ADD(path, func, setup) \
  if (!on_pg || !sqlite_only (path)) \
    g_test_add (on_pg ? "/server/postgresql/" path : "/server/" path, Fixture, NULL, setup, \
                func, fixture_teardown)

  ADD ("health", test_health, fixture_setup);
  ADD ("routes/methods-and-unknown", test_methods_and_routes, fixture_setup);
  ADD ("start/auth", test_start_auth, fixture_setup);
  ADD ("start/shape", test_start_shape, fixture_setup);
  ADD ("start/validation", test_start_validation, fixture_setup);
  ADD ("start/rate-limit", test_rate_limit, fixture_setup);
  ADD ("start/quota-exceeded", test_quota, fixture_setup);
  ADD ("sandbox/inline-result", test_sandbox_inline, fixture_setup);
  ADD ("complete/deferred-202-then-poll", test_deferred_and_poll, fixture_setup_deferred);
  ADD ("complete/client-gives-up-waiting", test_client_gives_up_waiting, fixture_setup);
  ADD ("result/pending-states", test_result_pending_states, fixture_setup);
  ADD ("live/engine-result", test_live_engine, fixture_setup);
  ADD ("live/processing-failures", test_processing_failures, fixture_setup);
  ADD ("live/early-decode-error", test_early_decode_error, fixture_setup);
  ADD ("live/streamed-decode", test_streamed_decode, fixture_setup);
  ADD ("upload/re-put-replaces-early-decode", test_early_decode_re_put, fixture_setup);
  ADD ("session/expiry-frees-early-decode", test_early_decode_expiry, fixture_setup);
  ADD ("upload/errors", test_upload_errors, fixture_setup);
  ADD ("routes/escaped-session-ids", test_escaped_session_ids, fixture_setup);
  ADD ("upload/too-large-before-body", test_upload_too_large_before_body, fixture_setup);
  ADD ("session/transitions", test_transitions, fixture_setup);
  ADD ("session/ownership", test_ownership, fixture_setup);
  ADD ("session/expiry", test_expiry, fixture_setup);
  ADD ("persist/ttl-purge", test_persist_ttl_purge, fixture_setup_persist);
  ADD ("sessions/history", test_history, fixture_setup);
  ADD ("sessions/timezone-and-date-forms", test_history_timezone_and_date_forms, fixture_setup);
  ADD ("lifecycle/restart-keeps-sessions", test_restart_keeps_sessions, fixture_setup);
  ADD ("lifecycle/restart-resumes-processing", test_restart_resumes_processing, fixture_setup);
  ADD ("lifecycle/restart-keeps-undelivered-result", test_restart_keeps_undelivered_result,
       fixture_setup_deferred);
  ADD ("privacy/delivered-once-leaves-no-bytes", test_delivered_once_leaves_no_bytes,
       fixture_setup_deferred);
  ADD ("privacy/purge-leaves-no-bytes", test_purge_leaves_no_bytes, fixture_setup);
  ADD ("lifecycle/graceful-shutdown", test_graceful_shutdown, fixture_setup_deferred);
  ADD ("lifecycle/shutdown-refuses-new-work", test_shutdown_refuses_new_work, fixture_setup);
  ADD ("errors/internal", test_internal_error, fixture_setup);
  ADD ("upload/expect-continue-and-chunked", test_upload_expect_continue_and_chunked,
       fixture_setup);
  if (on_pg)
    {
      /* The rest build servers of their own: the SQLite run covers them. */
      status = g_test_run ();
      g_clear_pointer (&pg_uri, g_free);
      return status;
    }
  g_test_add_func ("/server/errors/anonymous-rate-limit", test_anonymous_rate_limit);
  g_test_add_func ("/server/executable/sigterm-restart", test_executable_sigterm_restart);
  g_test_add_func ("/server/upload/too-large-config", test_upload_too_large_config);
  g_test_add_func ("/server/start/public-url", test_public_url);
  g_test_add_func ("/server/sandbox/deterministic", test_sandbox_deterministic);
  g_test_add_func ("/server/store/migrates-old-schema", test_store_migrates_old_schema);
  g_test_add_func ("/server/keys/file", test_keys_file);
  g_test_add_func ("/server/upload/decoded-memory-budget", test_decoded_memory_budget);
  g_test_add_func ("/server/keys/reload-rules", test_keys_reload_rules);
  g_test_add_func ("/server/keys/reload-on-change", test_keys_reload_on_change);
  g_test_add_func ("/server/executable/sighup-reloads-keys", test_executable_sighup_reloads_keys);
  g_test_add_func ("/server/presign/verify", test_presign);

  return g_test_run ();
}
