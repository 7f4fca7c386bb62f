/* test-client-server.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalClient against the real VitalServer on an ephemeral loopback port: every call, inline and
 * polled completion, history, rate-limit info, cancellation mid-poll, expiry, errors.
 */
#include "vital-config.h"

#include <math.h>
#include <string.h>

#include "vital-client.h"
#include "vital-test-client.h"
#include "vital-test-server.h"
#include "vital-server.h"
#include "vital-test-util.h"

#define TEST_KEY  "ck_test_clientsandboxkey0000000001"
#define LIVE_KEY  "ck_live_clientlivekey000000000000001"
#define OTHER_KEY "ck_test_clientotherkey00000000000001"
#define LIMIT_KEY "ck_test_clientlimitedkey000000000001"
#define QUOTA_KEY "ck_live_clientquotakey00000000000001"
#define UNKNOWN_KEY "ck_live_notregisteredanywhere0000001"

typedef struct
{
  VitalServer *server;
  VitalClock  *clock;
  guint        retries;
} Fixture;

typedef struct
{
  guint inline_budget_ms;
  guint64 max_upload_bytes;
} Options;

#define INLINE { 60000, 0 }  /* results inline, within a minute */

static const Options inline_opts = INLINE;
static const Options polled_opts = { 0, 0 };
static const Options small_opts = { 60000, 4096 };

/* A "retrying" signal, connected swapped: only the count is read. */
static void
count_retry (guint *retries)
{
  (*retries)++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const VitalTestKey keys[] = {
    { TEST_KEY, "client-tests", 1000, 0 },
    { LIVE_KEY, "client-tests", 1000, 0 },
    { OTHER_KEY, "other", 1000, 0 },
    { LIMIT_KEY, "limited", 2, 0 },
    { QUOTA_KEY, "quota", 1000, 1 },
  };
  const Options *opts = data;
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 11, 23, 10, 0, 0);

  f->clock = vital_clock_new_manual (g_date_time_to_unix (start) * G_USEC_PER_SEC);
  config->clock = g_object_ref (f->clock);
  config->inline_budget_ms = opts->inline_budget_ms;
  config->maintenance_interval_s = 0;
  if (opts->max_upload_bytes > 0)
    config->max_upload_bytes = opts->max_upload_bytes;
  f->server = vital_test_server_start (config, keys, G_N_ELEMENTS (keys));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  vital_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->clock);
}

static VitalClient *
make_client (Fixture    *f,
             const char *key)
{
  VitalClient *client = vital_test_client_new_polling (vital_server_get_base_url (f->server),
                                                       key, 10, 60000);

  g_signal_connect_swapped (client, "retrying", G_CALLBACK (count_retry), &f->retries);
  return client;
}

static void
test_health (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(VitalClient) client = make_client (f, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;

  /* Health needs no key. */
  g_assert_true (vital_test_client_health (client, &version, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (version, ==, VITAL_VERSION);
}

static void
test_scan_sandbox_inline (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(VitalClient) client = make_client (f, TEST_KEY);
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (150);
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSigns) signs = NULL;
  g_autoptr(VitalSigns) again = NULL;
  VitalClientRateLimit limit;

  signs = vital_client_scan_tensor_sync (client, payload, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (signs);
  g_assert_nonnull (vital_signs_get_session_id (signs));
  g_assert_true (isfinite (vital_signs_get_heart_rate (signs)));
  g_assert_cmpfloat (vital_signs_get_confidence (signs), >=, 0.0);
  g_assert_cmpfloat (vital_signs_get_confidence (signs), <=, 1.0);
  g_assert_cmpint (vital_client_get_phase (client), ==, VITAL_SCAN_PHASE_DONE);
  g_assert_true (vital_signs_is_sandbox (signs));
  g_assert_cmpuint (vital_client_get_bytes_uploaded (client), ==, g_bytes_get_size (payload));
  g_assert_cmpuint (f->retries, ==, 0);

  /* Rate-limit info from the last response. */
  g_assert_true (vital_client_get_last_rate_limit (client, &limit));
  g_assert_cmpint (limit.limit, ==, 1000);
  g_assert_cmpint (limit.remaining, <, 1000);

  /* The result was handed out inline, once: polling it again finds nothing to give. */
  again = vital_test_client_poll_result (client, vital_signs_get_session_id (signs), NULL,
                                         &error);
  g_assert_null (again);
  g_assert_nonnull (error);
  g_test_message ("second fetch: %s", error->message);
}

static void
test_scan_sandbox_deterministic (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(VitalClient) client = make_client (f, TEST_KEY);
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (150);
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalClientSession) session = NULL;
  g_autoptr(VitalSigns) signs = NULL;
  gboolean ok;

  /* The four raw calls, one by one, polled (the server answers 202). */
  session = vital_test_client_start_session (client, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vital_client_session_get_status (session), ==,
                   VITAL_CLIENT_SESSION_STATUS_PENDING);
  g_assert_nonnull (vital_client_session_get_expires_at (session));

  ok = vital_test_client_upload (client, vital_client_session_get_upload_url (session), payload,
                                 NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  ok = vital_test_client_complete_upload (client, vital_client_session_get_id (session), &signs,
                                          NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_null (signs); /* 202: still processing */

  signs = vital_test_client_poll_result (client, vital_client_session_get_id (session), NULL,
                                         &error);
  g_assert_no_error (error);
  g_assert_nonnull (signs);
  g_assert_cmpstr (vital_signs_get_session_id (signs), ==,
                   vital_client_session_get_id (session));
}

static void
test_scan_live_engine (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(VitalClient) client = make_client (f, LIVE_KEY);
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (300);
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSigns) signs = NULL;

  /* A live key runs the real engine: the placeholder carries a 72 bpm pulse. */
  signs = vital_client_scan_tensor_sync (client, payload, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (vital_signs_get_heart_rate (signs), 72.0, 4.0);
  g_assert_false (vital_signs_is_fallback (signs));
  g_assert_false (vital_signs_is_sandbox (signs));
  g_assert_true (isfinite (vital_signs_get_processing_time_ms (signs)));
}

static void
test_scan_live_bad_payload (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(VitalClient) client = make_client (f, LIVE_KEY);
  g_autoptr(GBytes) payload = g_bytes_new_static ("definitely not a tensor payload", 31);
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSigns) signs = NULL;

  signs = vital_client_scan_tensor_sync (client, payload, NULL, NULL, &error);
  g_assert_null (signs);
  g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_PROCESSING_FAILED);
  g_assert_cmpstr (error->message, !=, "");
  g_test_message ("server says: %s", error->message);
  g_assert_cmpint (vital_client_get_phase (client), ==, VITAL_SCAN_PHASE_FAILED);
  g_assert_cmpuint (f->retries, ==, 0);
}

static void
test_forbidden_and_not_found (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(VitalClient) client = make_client (f, TEST_KEY);
  g_autoptr(VitalClient) other = make_client (f, OTHER_KEY);
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalClientSession) session = NULL;
  g_autoptr(VitalSigns) signs = NULL;

  session = vital_test_client_start_session (client, NULL, NULL, &error);
  g_assert_no_error (error);

  signs = vital_test_client_poll_result (other, vital_client_session_get_id (session), NULL,
                                         &error);
  g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (vital_test_client_complete_upload (other, vital_client_session_get_id (session),
                                                     NULL, NULL, &error));
  g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_FORBIDDEN);
  g_clear_error (&error);

  signs = vital_test_client_poll_result (client, "00000000-0000-4000-8000-000000000000", NULL,
                                         &error);
  g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_SESSION_NOT_FOUND);
  g_assert_cmpuint (f->retries, ==, 0);
}

/* A key the server refuses: its first @allowed calls succeed, the next one fails. The options
 * come first, so that the fixture finds them where it finds a plain Options. */
typedef struct
{
  Options     opts;
  const char *key;
  gboolean    lists;      /* the call: listing sessions (TRUE) or starting one */
  guint       allowed;
  int         code;       /* the VitalClientError it fails with */
  int         retryable;  /* whether that is retryable, or -1: not checked */
  guint       retries;    /* the "retrying" signals meanwhile */
} Refusal;

static const Refusal unknown_key = {
  INLINE, UNKNOWN_KEY, FALSE, 0, VITAL_CLIENT_ERROR_API_KEY_REJECTED, -1, 0,
};
/* Two requests a minute; the clock is frozen, so the third and its retries are refused: retried
 * per the policy (Retry-After honoured, waits scaled to 0 in tests). */
static const Refusal rate_limited = {
  INLINE, LIMIT_KEY, TRUE, 2, VITAL_CLIENT_ERROR_RATE_LIMIT_EXCEEDED, TRUE, 2,
};
static const Refusal quota_exceeded = {
  INLINE, QUOTA_KEY, FALSE, 1, VITAL_CLIENT_ERROR_QUOTA_EXCEEDED, FALSE, 0,
};

static void
test_refusal (Fixture       *f,
              gconstpointer  data)
{
  const Refusal *r = data;
  g_autoptr(VitalClient) client = make_client (f, r->key);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i <= r->allowed; i++)
    {
      g_autoptr(GPtrArray) list = NULL;
      g_autoptr(VitalClientSession) session = NULL;

      g_clear_error (&error);
      if (r->lists)
        list = vital_test_client_list_sessions (client, NULL, NULL, &error);
      else
        session = vital_test_client_start_session (client, NULL, NULL, &error);
      if (i < r->allowed)
        g_assert_no_error (error);
      g_assert_true ((list != NULL || session != NULL) == (i < r->allowed));
    }
  g_assert_error (error, VITAL_CLIENT_ERROR, r->code);
  if (r->retryable >= 0)
    g_assert_cmpint (vital_client_error_is_retryable (error), ==, r->retryable);
  g_assert_cmpuint (f->retries, ==, r->retries);
}

static void
test_expiry (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(VitalClient) client = make_client (f, TEST_KEY);
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (5);
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalClientSession) session = NULL;
  g_autoptr(VitalSigns) signs = NULL;
  g_autoptr(GPtrArray) list = NULL;
  VitalClientSession *item = NULL;

  session = vital_test_client_start_session (client, NULL, NULL, &error);
  g_assert_no_error (error);

  vital_clock_advance (f->clock, (gint64) 16 * 60 * G_USEC_PER_SEC);
  vital_server_run_maintenance (f->server);

  g_assert_false (vital_test_client_upload (client, vital_client_session_get_upload_url (session),
                                            payload, NULL, &error));
  g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_SESSION_EXPIRED);
  g_test_message ("upload after expiry: %s", error->message);
  g_assert_false (vital_client_error_is_retryable (error));
  g_clear_error (&error);

  signs = vital_test_client_poll_result (client, vital_client_session_get_id (session), NULL,
                                         &error);
  g_assert_null (signs);
  g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_SESSION_EXPIRED);
  g_clear_error (&error);

  /* History shows the expiry. */
  list = vital_test_client_list_sessions (client, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (vital_client_session_get_id (list->pdata[i]),
                     vital_client_session_get_id (session)))
      item = list->pdata[i];
  g_assert_nonnull (item);
  g_assert_cmpint (vital_client_session_get_status (item), ==,
                   VITAL_CLIENT_SESSION_STATUS_EXPIRED);
  g_assert_nonnull (vital_client_session_get_unexpected_end_time (item));
}

/* Polls that went out since a client's rate-limit window had @before requests left. */
typedef struct
{
  VitalClient   *client;
  gint64         before;
  GAsyncResult **result;
} Polls;

static gboolean
polled_three_times (gpointer data)
{
  Polls *polls = data;
  VitalClientRateLimit now;

  /* A result that arrives (it should not) ends the wait too. */
  if (*polls->result != NULL)
    return TRUE;
  vital_client_get_last_rate_limit (polls->client, &now);
  return polls->before - now.remaining >= 3;
}

static void
test_cancel_mid_poll (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(VitalClient) client = make_client (f, TEST_KEY);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalClientSession) session = NULL;
  g_autoptr(VitalSigns) signs = NULL;
  VitalClientRateLimit before;
  Polls polls;

  /* Never uploaded: the session stays pending and polling goes on until cancelled. */
  session = vital_test_client_start_session (client, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (vital_client_get_last_rate_limit (client, &before));

  vital_client_poll_result_async (client, vital_client_session_get_id (session), cancellable,
                                  vital_test_store_result, &result);
  /* Wait until at least three polls went out (each consumes one request of the window). */
  polls.client = client;
  polls.before = before.remaining;
  polls.result = &result;
  vital_test_wait_until (polled_three_times, &polls, 30);
  g_assert_null (result);
  g_cancellable_cancel (cancellable);

  signs = vital_client_poll_result_finish (client, vital_test_await (&result), &error);
  g_assert_null (signs);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(VitalClient) client = make_client (f, TEST_KEY);
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (30);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *first_id = NULL;
  VitalHistoryQuery asc = { .ascending = TRUE, .limit = -1, .timezone = "Asia/Tokyo",
                            .date_gte = "2026-11-23", .date_lte = "2026-11-23" };
  VitalHistoryQuery page = { .ascending = FALSE, .offset = 1, .limit = 1 };
  VitalHistoryQuery bad_zone = { .limit = -1, .timezone = "Mars/Olympus_Mons" };

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(VitalSigns) signs = vital_client_scan_tensor_sync (client, payload, NULL, NULL,
                                                                   &error);
      g_assert_no_error (error);
      if (i == 0)
        first_id = g_strdup (vital_signs_get_session_id (signs));
      vital_clock_advance (f->clock, 60 * G_USEC_PER_SEC);
    }

  list = vital_test_client_list_sessions (client, &asc, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (vital_client_session_get_id (list->pdata[0]), ==, first_id);
  g_assert_cmpint (vital_client_session_get_status (list->pdata[0]), ==,
                   VITAL_CLIENT_SESSION_STATUS_COMPLETED);
  g_assert_nonnull (vital_client_session_get_start_time (list->pdata[0]));
  /* Rendered in the requested zone. */
  g_assert_true (g_str_has_suffix (vital_client_session_get_start_time (list->pdata[0]),
                                   "+09:00"));
  /* Results are not persisted by default: no vitals in history. */
  g_assert_null (vital_client_session_get_vitals (list->pdata[0]));
  g_clear_pointer (&list, g_ptr_array_unref);

  list = vital_test_client_list_sessions (client, &page, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);

  list = vital_test_client_list_sessions (client, &bad_zone, NULL, &error);
  g_assert_null (list);
  g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_INVALID_REQUEST);
  /* The server's message, unchanged. */
  g_assert_cmpstr (error->message, ==, "The invalid timezone is provided");
}

static void
test_payload_too_large (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(VitalClient) client = make_client (f, TEST_KEY);
  g_autoptr(GBytes) payload = g_bytes_new_take (g_malloc0 (64 * 1024), 64 * 1024);
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSigns) signs = NULL;

  /* Over the 4096-byte limit; small enough that the server's refusal is read, not reset. */
  signs = vital_client_scan_tensor_sync (client, payload, NULL, NULL, &error);
  g_assert_null (signs);
  g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_PAYLOAD_TOO_LARGE);
  g_assert_cmpuint (f->retries, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, opts, func) \
  g_test_add ("/client/server/" path, Fixture, &opts, fixture_setup, func, fixture_teardown)

  ADD ("health", inline_opts, test_health);
  ADD ("scan/sandbox-inline", inline_opts, test_scan_sandbox_inline);
  ADD ("scan/raw-calls-polled", polled_opts, test_scan_sandbox_deterministic);
  ADD ("scan/live-engine", inline_opts, test_scan_live_engine);
  ADD ("scan/live-bad-payload", polled_opts, test_scan_live_bad_payload);
  ADD ("errors/unknown-key", unknown_key, test_refusal);
  ADD ("errors/forbidden-not-found", inline_opts, test_forbidden_and_not_found);
  ADD ("errors/rate-limited", rate_limited, test_refusal);
  ADD ("errors/quota-exceeded", quota_exceeded, test_refusal);
  ADD ("errors/payload-too-large", small_opts, test_payload_too_large);
  ADD ("expiry", inline_opts, test_expiry);
  ADD ("cancel/mid-poll", polled_opts, test_cancel_mid_poll);
  ADD ("history", inline_opts, test_history);

  return g_test_run ();
}
