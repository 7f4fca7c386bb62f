/* test-client-faults.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalClient against a fault-injecting SoupServer: retries, timeouts, bad bodies, error codes.
 */
#include <math.h>
#include <string.h>

#include "vital-client.h"
#include "vital-test-client.h"
#include "vital-test-util.h"
#include "fault-server.h"

#define TEST_KEY "ck_test_abcdefghijklmnop1234"
#define LIVE_KEY "ck_live_abcdefghijklmnop1234"

typedef struct
{
  FaultServer *server;
  VitalClient *client;
  guint        retries;
  GArray      *delays;      /* guint, unscaled */
  GPtrArray   *operations;  /* char * */
  GArray      *phases;      /* VitalScanPhase, on changes */
} Fixture;

static void
on_retrying (VitalClient  *client,
             const char   *operation,
             guint         attempt,
             guint         delay_ms,
             const GError *error,
             Fixture      *fixture)
{
  g_assert_cmpuint (attempt, ==, fixture->retries + 1 - 0 * attempt);
  g_assert_nonnull (error);
  fixture->retries++;
  g_array_append_val (fixture->delays, delay_ms);
  g_ptr_array_add (fixture->operations, g_strdup (operation));
}

static void
on_progress (VitalClient    *client,
             VitalScanPhase  phase,
             guint64         uploaded,
             guint64         total,
             Fixture        *fixture)
{
  g_assert_cmpuint (uploaded, <=, total);
  if (fixture->phases->len == 0 ||
      g_array_index (fixture->phases, VitalScanPhase, fixture->phases->len - 1) != phase)
    g_array_append_val (fixture->phases, phase);
}

static VitalClient *
make_client (Fixture    *fixture,
             const char *key)
{
  VitalClient *client = vital_test_client_new_polling (fault_server_get_url (fixture->server),
                                                       key, 5, 10000);

  vital_client_set_timeout (client, 10);
  g_signal_connect (client, "retrying", G_CALLBACK (on_retrying), fixture);
  g_signal_connect (client, "progress", G_CALLBACK (on_progress), fixture);
  return client;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->server = fault_server_new ();
  fixture->delays = g_array_new (FALSE, FALSE, sizeof (guint));
  fixture->operations = g_ptr_array_new_with_free_func (g_free);
  fixture->phases = g_array_new (FALSE, FALSE, sizeof (VitalScanPhase));
  fixture->client = make_client (fixture, TEST_KEY);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->client);
  /* Let any finished-but-undispatched source run out before the server goes. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  fault_server_free (fixture->server);
  g_array_unref (fixture->delays);
  g_ptr_array_unref (fixture->operations);
  g_array_unref (fixture->phases);
}

static char *
upload_url (Fixture *fixture)
{
  return g_strdup_printf ("%s/upload/sess-1?sig=SECRETSIG", fault_server_get_url (fixture->server));
}

/* --- scripted faults -------------------------------------------------------------------- */

#define JSON "application/json"
/* The API's error body. */
#define ERROR_JSON(code, message, retryable) \
  "{\"error\":\"" code "\",\"message\":\"" message "\",\"retryable\":" retryable "}"
/* A result body with this status and nothing else. */
#define RESULT_JSON(status) "{\"session_id\":\"sess-1\",\"status\":\"" status "\"}"
#define SUCCEEDS (-1)

typedef struct
{
  FaultKind   kind;
  guint       status;
  const char *content_type;
  const char *body;         /* NULL with status 200: the route's normal success body */
  const char *retry_after;  /* Retry-After, or Location for a 3xx */
} FaultStep;

typedef enum
{
  RETRYABLE_UNCHECKED,
  RETRYABLE,
  FINAL,
} Retryable;

/* What the server answers on a route, and what the one call that uses the route then reports.
 * Counts are of this call alone, whatever the fixture saw before. */
typedef struct
{
  const char *route;         /* "start", "upload", "complete", "result", "sessions", "health" */
  FaultStep   steps[3];      /* queued in order, the last repeating (ended by a zero step) */
  int         code;          /* the VitalClientError it fails with, or SUCCEEDS */
  const char *message;       /* (nullable): the error's message, exactly */
  Retryable   retryable;
  guint       hits;          /* requests the route got (0: not checked) */
  guint       retries;       /* "retrying" signals */
  guint       min_delay[2];  /* bounds of the backoffs those signals reported */
  guint       max_delay[2];  /* (0: not checked) */
} FaultCase;

/* Makes the call that uses @route (uploading @payload for "upload"); TRUE when it returned
 * its result (for "complete": the vitals, inline). */
static gboolean
call_route (Fixture     *fixture,
            const char  *route,
            GBytes      *payload,
            GError     **error)
{
  if (g_str_equal (route, "start"))
    {
      g_autoptr(VitalClientSession) session =
        vital_test_client_start_session (fixture->client, NULL, NULL, error);

      return session != NULL;
    }
  if (g_str_equal (route, "upload"))
    {
      g_autofree char *url = upload_url (fixture);

      return vital_test_client_upload (fixture->client, url, payload, NULL, error);
    }
  if (g_str_equal (route, "complete"))
    {
      g_autoptr(VitalSigns) signs = NULL;

      return vital_test_client_complete_upload (fixture->client, "sess-1", &signs, NULL, error)
             && signs != NULL;
    }
  if (g_str_equal (route, "result"))
    {
      g_autoptr(VitalSigns) signs =
        vital_test_client_poll_result (fixture->client, "sess-1", NULL, error);

      return signs != NULL;
    }
  if (g_str_equal (route, "sessions"))
    {
      g_autoptr(GPtrArray) list =
        vital_test_client_list_sessions (fixture->client, NULL, NULL, error);

      return list != NULL;
    }
  g_assert_cmpstr (route, ==, "health");
  return vital_test_client_health (fixture->client, NULL, NULL, error);
}

/* Replaces what @c's route answers with @c's steps, makes the call and checks what @c expects.
 *
 * Returns: (transfer full) (nullable): the call's error, for checks of the caller's own */
static GError *
run_fault_case (Fixture         *fixture,
                const FaultCase *c,
                GBytes          *payload)
{
  GError *error = NULL;
  guint hits = fault_server_get_hits (fixture->server, c->route);
  guint retries = fixture->retries;
  gboolean ok;

  fault_server_clear (fixture->server, c->route);
  for (const FaultStep *step = c->steps; step < c->steps + G_N_ELEMENTS (c->steps); step++)
    if (step->kind != FAULT_REPLY || step->status != 0)
      fault_server_push (fixture->server, c->route, step->kind, step->status,
                         step->content_type, step->body, step->retry_after);

  ok = call_route (fixture, c->route, payload, &error);
  if (c->code == SUCCEEDS)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, VITAL_CLIENT_ERROR, c->code);
      if (c->message != NULL)
        g_assert_cmpstr (error->message, ==, c->message);
      if (c->retryable != RETRYABLE_UNCHECKED)
        g_assert_cmpint (vital_client_error_is_retryable (error), ==, c->retryable == RETRYABLE);
    }
  if (c->hits > 0)
    g_assert_cmpuint (fault_server_get_hits (fixture->server, c->route) - hits, ==, c->hits);
  g_assert_cmpuint (fixture->retries - retries, ==, c->retries);
  for (guint i = 0; i < G_N_ELEMENTS (c->max_delay) && c->max_delay[i] > 0; i++)
    {
      guint delay;

      g_assert_cmpuint (fixture->delays->len, >, retries + i);
      delay = g_array_index (fixture->delays, guint, retries + i);
      g_assert_cmpuint (delay, >=, c->min_delay[i]);
      g_assert_cmpuint (delay, <=, c->max_delay[i]);
    }
  return error;
}

static void
check_fault_case (Fixture         *fixture,
                  const FaultCase *c,
                  GBytes          *payload)
{
  g_autoptr(GError) error = run_fault_case (fixture, c, payload);
}

/* A test that is one scripted fault and nothing else. */
static void
test_fault_case (Fixture       *fixture,
                 gconstpointer  data)
{
  check_fault_case (fixture, data, NULL);
}

/* --- key checks ------------------------------------------------------------------------- */

static void
test_key_checks (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char *malformed[] = {
    "abc", "ck_prod_abcdefghijklmnop1234", "ck_test_short", "ck_test_abcdefghij klmnop",
    "ck_test_abcdefghijklmnop\r\nX-Evil: 1", "CK_TEST_abcdefghijklmnop1234",
  };
  g_autoptr(VitalClient) missing = make_client (fixture, NULL);
  g_autoptr(VitalClient) empty = make_client (fixture, "");
  g_autoptr(VitalClient) live = make_client (fixture, LIVE_KEY);
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalClientSession) session = NULL;

  session = vital_test_client_start_session (missing, NULL, NULL, &error);
  g_assert_null (session);
  g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_MISSING_API_KEY);
  g_clear_error (&error);
  g_assert_false (vital_client_check_key (empty, &error));
  g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_MISSING_API_KEY);
  g_clear_error (&error);
  g_assert_null (vital_client_get_key_environment (missing));

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autoptr(VitalClient) bad = make_client (fixture, malformed[i]);
      g_autoptr(GPtrArray) list = vital_test_client_list_sessions (bad, NULL, NULL, &error);

      g_assert_null (list);
      g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_MALFORMED_API_KEY);
      /* The key is never echoed. */
      g_assert_null (strstr (error->message, malformed[i]));
      g_clear_error (&error);
      g_assert_null (vital_client_get_key_environment (bad));
    }

  /* Nothing reached the server. */
  g_assert_cmpuint (fault_server_get_hits (fixture->server, "start"), ==, 0);
  g_assert_cmpuint (fault_server_get_hits (fixture->server, "sessions"), ==, 0);

  g_assert_cmpstr (vital_client_get_key_environment (fixture->client), ==, "test");
  g_assert_cmpstr (vital_client_get_key_environment (live), ==, "live");
}

static void
test_bad_base_url (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char *urls[] = { "", "ftp://example.org", "not a url", "http://", "http://h/?q" };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(VitalClient) client = vital_client_new (urls[i], TEST_KEY);
      g_autoptr(GError) error = NULL;

      g_assert_false (vital_test_client_health (client, NULL, NULL, &error));
      g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_INVALID_REQUEST);
    }
}

/* --- happy paths ------------------------------------------------------------------------ */

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_scan_inline (Fixture       *fixture,
                  gconstpointer  data)
{
  guint phase_notifies = 0, bytes_notifies = 0;
  g_autoptr(GBytes) payload = vital_test_pattern_payload (300 * 1024);
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSigns) signs = NULL;
  g_autofree char *upload_key = NULL;
  g_autofree char *start_key = NULL;
  g_autofree char *content_type = NULL;
  static const VitalScanPhase expected[] = {
    VITAL_SCAN_PHASE_STARTING, VITAL_SCAN_PHASE_UPLOADING, VITAL_SCAN_PHASE_COMPLETING,
    VITAL_SCAN_PHASE_DONE,
  };

  /* Properties a UI binds to notify as the scan advances. */
  g_signal_connect (fixture->client, "notify::phase", G_CALLBACK (count_notify),
                    &phase_notifies);
  g_signal_connect (fixture->client, "notify::bytes-uploaded", G_CALLBACK (count_notify),
                    &bytes_notifies);

  signs = vital_client_scan_tensor_sync (fixture->client, payload, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (vital_signs_get_heart_rate (signs), ==, 71.5);
  g_assert_cmpuint (phase_notifies, ==, 4);
  /* 0, then every 64 KiB, then the end: a 300 KiB upload notifies a handful of times. */
  g_assert_cmpuint (bytes_notifies, >=, 3);
  g_assert_cmpuint (bytes_notifies, <=, 12);
  g_assert_cmpstr (vital_signs_get_session_id (signs), ==, "sess-1");

  g_assert_cmpuint (fault_server_get_hits (fixture->server, "start"), ==, 1);
  g_assert_cmpuint (fault_server_get_hits (fixture->server, "upload"), ==, 1);
  g_assert_cmpuint (fault_server_get_hits (fixture->server, "complete"), ==, 1);
  g_assert_cmpuint (fault_server_get_hits (fixture->server, "result"), ==, 0);
  g_assert_cmpuint (fixture->retries, ==, 0);

  g_assert_cmpuint (fixture->phases->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (g_array_index (fixture->phases, VitalScanPhase, i), ==, expected[i]);
  g_assert_cmpint (vital_client_get_phase (fixture->client), ==, VITAL_SCAN_PHASE_DONE);
  g_assert_cmpuint (vital_client_get_bytes_total (fixture->client), ==, 300 * 1024);
  g_assert_cmpuint (vital_client_get_bytes_uploaded (fixture->client), ==, 300 * 1024);

  /* The key goes to the API, never to the upload URL. */
  start_key = fault_server_get_header (fixture->server, "start", "X-API-Key");
  upload_key = fault_server_get_header (fixture->server, "upload", "X-API-Key");
  content_type = fault_server_get_header (fixture->server, "upload", "Content-Type");
  g_assert_cmpstr (start_key, ==, TEST_KEY);
  g_assert_null (upload_key);
  g_assert_cmpstr (content_type, ==, "application/octet-stream");
}

static void
test_scan_polled (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GBytes) payload = vital_test_pattern_payload (1000);
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSigns) signs = NULL;

  fault_server_push_json (fixture->server, "complete", 202, RESULT_JSON ("processing"));
  fault_server_push_json (fixture->server, "result", 200, RESULT_JSON ("processing"));
  fault_server_push_json (fixture->server, "result", 200, RESULT_JSON ("processing"));
  fault_server_push_json (fixture->server, "result", 200, NULL);

  signs = vital_client_scan_tensor_sync (fixture->client, payload, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (signs);
  g_assert_cmpuint (fault_server_get_hits (fixture->server, "result"), ==, 3);
  g_assert_cmpint (g_array_index (fixture->phases, VitalScanPhase, 3), ==,
                   VITAL_SCAN_PHASE_PROCESSING);
}

static void
test_result_alias (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSigns) signs = NULL;

  /* A server without the /sdk/session/{id}/result route: plain 404 page. */
  fault_server_push (fixture->server, "result", FAULT_REPLY, 404, "text/html",
                     "<html><body>Not Found</body></html>", NULL);
  signs = vital_test_client_poll_result (fixture->client, "sess-1", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (signs);
  g_assert_cmpuint (fault_server_get_hits (fixture->server, "result"), ==, 1);
  g_assert_cmpuint (fault_server_get_hits (fixture->server, "alias"), ==, 1);
  g_clear_object (&signs);

  /* The client remembers the spelling. */
  signs = vital_test_client_poll_result (fixture->client, "sess-1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fault_server_get_hits (fixture->server, "result"), ==, 1);
  g_assert_cmpuint (fault_server_get_hits (fixture->server, "alias"), ==, 2);
}

static const FaultCase session_not_found = {
  "result",
  { { FAULT_REPLY, 404, JSON, ERROR_JSON ("SESSION_NOT_FOUND", "No session sess-9", "false") } },
  VITAL_CLIENT_ERROR_SESSION_NOT_FOUND, "No session sess-9", RETRYABLE_UNCHECKED, 1, 0,
};

static void
test_session_not_found (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = run_fault_case (fixture, &session_not_found, NULL);

  /* The answer was the API's own: no fallback to the alias path. */
  g_assert_cmpuint (fault_server_get_hits (fixture->server, "alias"), ==, 0);
}

static void
test_poll_outcomes (Fixture       *fixture,
                    gconstpointer  data)
{
  static const FaultCase outcomes[] = {
    { "result", { { FAULT_REPLY, 200, JSON, "{\"session_id\":\"sess-1\",\"status\":\"failed\","
                                            "\"error\":\"No face detected\"}" } },
      VITAL_CLIENT_ERROR_PROCESSING_FAILED, "No face detected", RETRYABLE_UNCHECKED, 1, 0 },
    { "result", { { FAULT_REPLY, 200, JSON, RESULT_JSON ("expired") } },
      VITAL_CLIENT_ERROR_SESSION_EXPIRED, NULL, RETRYABLE_UNCHECKED, 1, 0 },
    /* 410 from the server maps the same way. */
    { "result", { { FAULT_REPLY, 410, JSON,
                    ERROR_JSON ("SESSION_EXPIRED", "Session expired at 10:15", "false") } },
      VITAL_CLIENT_ERROR_SESSION_EXPIRED, "Session expired at 10:15", RETRYABLE_UNCHECKED, 1, 0 },
  };
  /* Never finishing: the overall deadline ends the polling. */
  static const FaultCase never = {
    "result", { { FAULT_REPLY, 200, JSON, RESULT_JSON ("processing") } },
    VITAL_CLIENT_ERROR_TIMEOUT, NULL, RETRYABLE_UNCHECKED, 0, 0,
  };

  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    check_fault_case (fixture, &outcomes[i], NULL);
  vital_client_set_poll_timeout (fixture->client, 60);
  check_fault_case (fixture, &never, NULL);
}

static gboolean
polled_three_times (gpointer data)
{
  Fixture *fixture = data;

  return fault_server_get_hits (fixture->server, "result") >= 3;
}

static void
test_cancel_mid_poll (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSigns) signs = NULL;

  fault_server_push_json (fixture->server, "result", 200, RESULT_JSON ("processing"));
  vital_client_set_poll_interval (fixture->client, 20);
  vital_client_poll_result_async (fixture->client, "sess-1", cancellable, vital_test_store_result,
                                  &result);

  vital_test_wait_until (polled_three_times, fixture, 30);
  g_cancellable_cancel (cancellable);

  signs = vital_client_poll_result_finish (fixture->client, vital_test_await (&result), &error);
  g_assert_null (signs);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (vital_client_error_is_retryable (error));
}

static void
test_cancel_before (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) payload = vital_test_pattern_payload (10);
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSigns) signs = NULL;

  g_cancellable_cancel (cancellable);
  signs = vital_client_scan_tensor_sync (fixture->client, payload, NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (vital_client_get_phase (fixture->client), ==, VITAL_SCAN_PHASE_FAILED);
  g_assert_cmpuint (fault_server_get_hits (fixture->server, "start"), ==, 0);
}

/* --- retries ---------------------------------------------------------------------------- */

static const FaultCase upload_drop_then_success = {
  "upload", { { FAULT_DROP_BODY, 0 }, { FAULT_REPLY, 200, JSON } },
  SUCCEEDS, NULL, RETRYABLE_UNCHECKED, 2, 1, { 0 }, { 500 },
};

static void
test_upload_drop_then_success (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GBytes) payload = vital_test_pattern_payload (8 * 1024 * 1024);

  check_fault_case (fixture, &upload_drop_then_success, payload);
  g_assert_cmpstr (g_ptr_array_index (fixture->operations, 0), ==, "upload");
  g_assert_cmpuint (vital_client_get_bytes_uploaded (fixture->client), ==,
                    g_bytes_get_size (payload));
}

static const FaultCase upload_drop_always = {
  "upload", { { FAULT_DROP_BODY, 0 } },
  VITAL_CLIENT_ERROR_NETWORK, NULL, RETRYABLE, 3, 2, { 0, 0 }, { 500, 1000 },
};

static void
test_upload_drop_always (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GBytes) payload = vital_test_pattern_payload (8 * 1024 * 1024);
  g_autoptr(GError) error = run_fault_case (fixture, &upload_drop_always, payload);

  /* The upload URL carries a signature: it never appears in messages. */
  g_assert_null (strstr (error->message, "SECRETSIG"));
  /* The connection broke mid-body. */
  g_test_message ("bytes written before the drop: %" G_GUINT64_FORMAT,
                  vital_client_get_bytes_uploaded (fixture->client));
  g_assert_cmpuint (vital_client_get_bytes_uploaded (fixture->client), >, 0);
  g_assert_cmpuint (vital_client_get_bytes_uploaded (fixture->client), <,
                    g_bytes_get_size (payload));
}

static const FaultCase complete_500_then_success = {
  "complete", { { FAULT_REPLY, 500, JSON, ERROR_JSON ("INTERNAL", "database is locked", "true") },
                { FAULT_REPLY, 200, JSON } },
  SUCCEEDS, NULL, RETRYABLE_UNCHECKED, 2, 1,
};

static void
test_complete_resent_conflict (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GBytes) payload = vital_test_pattern_payload (1000);
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSigns) signs = NULL;

  /* The first completion's answer is lost; the re-send meets the server's conflict. */
  fault_server_push (fixture->server, "complete", FAULT_DROP, 0, NULL, NULL, NULL);
  fault_server_push_json (fixture->server, "complete", 409,
                          "{\"error\":\"INVALID_REQUEST\",\"message\":\"Session is processing\","
                          "\"retryable\":false}");
  signs = vital_client_scan_tensor_sync (fixture->client, payload, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (signs);
  g_assert_cmpuint (fault_server_get_hits (fixture->server, "complete"), ==, 2);
  g_assert_cmpuint (fault_server_get_hits (fixture->server, "result"), ==, 1);

  /* A 409 on the first attempt is a real error. */
  g_clear_object (&signs);
  fault_server_clear (fixture->server, "complete");
  fault_server_push_json (fixture->server, "complete", 409,
                          "{\"error\":\"INVALID_REQUEST\",\"message\":\"Upload the payload first\","
                          "\"retryable\":false}");
  signs = vital_client_scan_tensor_sync (fixture->client, payload, NULL, NULL, &error);
  g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_INVALID_REQUEST);
  g_assert_cmpstr (error->message, ==, "Upload the payload first");
}

static const FaultCase sessions_502_exhausted = {
  "sessions", { { FAULT_REPLY, 502, "text/html",
                  "<html><head><title>502 Bad Gateway</title></head></html>" } },
  VITAL_CLIENT_ERROR_SERVICE_UNAVAILABLE, "The server answered HTTP 502 Bad Gateway",
  RETRYABLE_UNCHECKED, 3, 2,
};

/* Retry-After: 3 replaces the backoff (which could not exceed 500 ms here). */
static const FaultCase result_429_retry_after = {
  "result", { { FAULT_REPLY, 429, JSON, ERROR_JSON ("RATE_LIMIT_EXCEEDED", "Slow down", "true"),
                "3" },
              { FAULT_REPLY, 200, JSON } },
  SUCCEEDS, NULL, RETRYABLE_UNCHECKED, 2, 1, { 3000 }, { 3000 },
};

static const FaultCase result_429_without_retry_after = {
  "result", { { FAULT_REPLY, 429, JSON, ERROR_JSON ("RATE_LIMIT_EXCEEDED", "Slow down", "true") } },
  VITAL_CLIENT_ERROR_RATE_LIMIT_EXCEEDED, "Slow down", RETRYABLE_UNCHECKED, 3, 2, { 0, 0 },
  { 500, 1000 },
};

static const FaultCase result_429_not_retryable = {
  "result", { { FAULT_REPLY, 429, JSON, ERROR_JSON ("RATE_LIMIT_EXCEEDED", "Blocked", "false") } },
  VITAL_CLIENT_ERROR_RATE_LIMIT_EXCEEDED, NULL, RETRYABLE_UNCHECKED, 1, 0,
};

#define QUOTA_MESSAGE "Monthly quota of 500 scans reached; resets on 2026-12-01"

static const FaultCase start_quota_exceeded = {
  "start", { { FAULT_REPLY, 429, JSON, ERROR_JSON ("QUOTA_EXCEEDED", QUOTA_MESSAGE, "false"),
               "1" } },
  VITAL_CLIENT_ERROR_QUOTA_EXCEEDED, QUOTA_MESSAGE, FINAL, 1, 0,
};

static void
test_4xx_never_retried (Fixture       *fixture,
                        gconstpointer  data)
{
  static const struct { guint status; const char *code; VitalClientError expected; } cases[] = {
    { 400, "INVALID_REQUEST", VITAL_CLIENT_ERROR_INVALID_REQUEST },
    { 401, "API_KEY_INVALID", VITAL_CLIENT_ERROR_API_KEY_REJECTED },
    { 403, "FORBIDDEN", VITAL_CLIENT_ERROR_FORBIDDEN },
    { 404, "SESSION_NOT_FOUND", VITAL_CLIENT_ERROR_SESSION_NOT_FOUND },
    { 410, "SESSION_EXPIRED", VITAL_CLIENT_ERROR_SESSION_EXPIRED },
    { 413, "PAYLOAD_TOO_LARGE", VITAL_CLIENT_ERROR_PAYLOAD_TOO_LARGE },
    { 422, "PROCESSING_FAILED", VITAL_CLIENT_ERROR_PROCESSING_FAILED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* Marked retryable, and still answered once; the server's message reaches the user
       * unchanged. */
      g_autofree char *message = g_strdup_printf ("Server says %s (case %u)", cases[i].code, i);
      g_autofree char *body =
        g_strdup_printf ("{\"error\":\"%s\",\"message\":\"%s\",\"retryable\":true,"
                         "\"detail\":\"d\"}", cases[i].code, message);
      FaultCase c = { "complete", { { FAULT_REPLY, cases[i].status, JSON, body } },
                      cases[i].expected, message, RETRYABLE_UNCHECKED, 1, 0 };

      check_fault_case (fixture, &c, NULL);
    }
}

static void
test_start_not_resent (Fixture       *fixture,
                       gconstpointer  data)
{
  static const FaultCase not_resent[] = {
    /* A 500 means the request reached the server: never re-sent (quota may be consumed). */
    { "start", { { FAULT_REPLY, 500, JSON, ERROR_JSON ("INTERNAL", "boom", "true") },
                 { FAULT_REPLY, 200, JSON } },
      VITAL_CLIENT_ERROR_SERVICE_UNAVAILABLE, NULL, RETRYABLE_UNCHECKED, 1, 0 },
    /* A connection dropped after the request was sent: not re-sent either. */
    { "start", { { FAULT_DROP, 0 }, { FAULT_REPLY, 200, JSON } },
      VITAL_CLIENT_ERROR_NETWORK, NULL, RETRYABLE_UNCHECKED, 1, 0 },
  };
  /* 503 and retryable 429 say the server did not act: those are retried. */
  static const FaultCase resent = {
    "start", { { FAULT_REPLY, 503, JSON,
                 "{\"error\":\"SERVICE_UNAVAILABLE\",\"message\":\"draining\"}" },
               { FAULT_REPLY, 429, JSON, ERROR_JSON ("RATE_LIMIT_EXCEEDED", "x", "true") },
               { FAULT_REPLY, 200, JSON } },
    SUCCEEDS, NULL, RETRYABLE_UNCHECKED, 3, 2,
  };

  for (guint i = 0; i < G_N_ELEMENTS (not_resent); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VitalClientSession) session = NULL;

      check_fault_case (fixture, &not_resent[i], NULL);
      /* The next start gets the next answer. */
      session = vital_test_client_start_session (fixture->client, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  check_fault_case (fixture, &resent, NULL);
}

static void
test_connection_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalClient) client = NULL;
  g_autoptr(VitalClientSession) session = NULL;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", vital_test_unused_port ());

  client = vital_test_client_new (url, TEST_KEY);
  g_signal_connect (client, "retrying", G_CALLBACK (on_retrying), fixture);

  /* Refused before anything was sent: even start_session may retry. */
  session = vital_test_client_start_session (client, NULL, NULL, &error);
  g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_NETWORK);
  g_assert_cmpuint (fixture->retries, ==, 2);
  g_assert_false (vital_client_get_last_rate_limit (client, NULL));
}

static void
test_slow_timeout (Fixture       *fixture,
                   gconstpointer  data)
{
  static const FaultCase stall = {
    "health", { { FAULT_STALL, 200 } },
    VITAL_CLIENT_ERROR_TIMEOUT, NULL, RETRYABLE, 2, 1,
  };
  g_autoptr(VitalRetryPolicy) policy = vital_retry_policy_new ();

  vital_retry_policy_set_time_scale (policy, 0.0);
  vital_retry_policy_set_max_attempts (policy, 2);
  vital_client_set_retry_policy (fixture->client, policy);
  vital_client_set_timeout (fixture->client, 1);
  check_fault_case (fixture, &stall, NULL);
}

/* --- malformed answers ------------------------------------------------------------------ */

static void
test_bad_bodies (Fixture       *fixture,
                 gconstpointer  data)
{
  static const struct { const char *content_type; const char *body; } start_bodies[] = {
    { "application/json", "garbage, not json" },
    { "text/html", "<!DOCTYPE html><html><body>Welcome to nginx!</body></html>" },
    { "application/json", "{\"session_id\":\"sess-1\",\"status\":\"pen" },
    { "application/json", "" },
    { "application/json", "[\"sess-1\"]" },
    { "application/json", "null" },
    { "application/json", "{\"session_id\":5,\"status\":\"pending\","
                          "\"expires_at\":\"2026-11-23T11:00:00Z\",\"upload_url\":\"/u\"}" },
    { "application/json", "{\"session_id\":\"s\",\"status\":true,"
                          "\"expires_at\":\"2026-11-23T11:00:00Z\",\"upload_url\":\"/u\"}" },
    { "application/json", "{\"session_id\":\"s\",\"status\":\"pending\","
                          "\"expires_at\":1795431600,\"upload_url\":\"/u\"}" },
    { "application/json", "{\"session_id\":\"s\",\"status\":\"pending\"}" },
    { "application/octet-stream", "\x1f\x8b\x08\x00\x00" },
  };
  static const char *result_bodies[] = {
    "{\"session_id\":\"sess-1\",\"status\":\"completed\",\"vitals\":{\"heart_rate\":\"72\","
    "\"confidence\":0.9}}",
    "{\"session_id\":\"sess-1\",\"status\":\"completed\"}",
    "{\"session_id\":\"sess-1\",\"status\":\"completed\",\"vitals\":{\"heart_rate\":72,"
    "\"confidence\":7}}",
    "{\"session_id\":\"sess-1\",\"status\":\"teleported\"}",
    "{\"session_id\":\"sess-1\"}",
    "{\"session_id\":\"sess-1\",\"status\":\"completed\",\"vitals\":{\"heart_rate\":72,"
    "\"confidence\":0.9},\"signal_quality\":\"good\"}",
    "{\"session_id\":\"sess-1\",\"status\":\"completed\",\"vitals\":{\"heart_rate\":72,\"con",
  };

  for (guint i = 0; i < G_N_ELEMENTS (start_bodies); i++)
    {
      FaultCase c = { "start", { { FAULT_REPLY, 200, start_bodies[i].content_type,
                                   start_bodies[i].body } },
                      VITAL_CLIENT_ERROR_BAD_RESPONSE, NULL, FINAL, 1, 0 };

      g_test_message ("start body %u", i);
      check_fault_case (fixture, &c, NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (result_bodies); i++)
    {
      FaultCase c = { "result", { { FAULT_REPLY, 200, JSON, result_bodies[i] } },
                      VITAL_CLIENT_ERROR_BAD_RESPONSE, NULL, RETRYABLE_UNCHECKED, 1, 0 };

      g_test_message ("result body %u", i);
      check_fault_case (fixture, &c, NULL);
    }
}

static void
test_bad_error_bodies (Fixture       *fixture,
                       gconstpointer  data)
{
  static const FaultCase cases[] = {
    /* Wrong types in an error body: the status still decides, nothing crashes. */
    { "complete", { { FAULT_REPLY, 403, JSON,
                      "{\"error\":17,\"message\":[\"x\"],\"retryable\":\"yes\"}" } },
      VITAL_CLIENT_ERROR_FORBIDDEN, "The server answered HTTP 403 Forbidden",
      RETRYABLE_UNCHECKED, 1, 0 },
    { "complete", { { FAULT_REPLY, 401, "text/html", "<h1>401</h1>" } },
      VITAL_CLIENT_ERROR_API_KEY_REJECTED, NULL, RETRYABLE_UNCHECKED, 1, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    check_fault_case (fixture, &cases[i], NULL);
}

/* --- history, rate limits, health ------------------------------------------------------- */

static void
test_history (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *query = NULL;
  g_autofree char *zone = NULL;
  g_autofree char *user = NULL;
  VitalHistoryQuery q = {
    .date_gte = "2026-11-01", .date_lte = "2026-11-23", .ascending = TRUE,
    .offset = 5, .limit = 10, .timezone = "Europe/Berlin",
  };
  VitalHistoryQuery too_many = { .limit = 101 };

  vital_client_set_user_id (fixture->client, "patient 7");
  list = vital_test_client_list_sessions (fixture->client, &q, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (vital_client_session_get_id (g_ptr_array_index (list, 0)), ==, "sess-1");
  g_assert_cmpint (vital_client_session_get_status (g_ptr_array_index (list, 1)), ==,
                   VITAL_CLIENT_SESSION_STATUS_EXPIRED);
  g_assert_cmpstr (vital_client_session_get_unexpected_end_time (g_ptr_array_index (list, 1)),
                   ==, "2026-11-22T10:15:00Z");

  query = fault_server_get_query (fixture->server, "sessions");
  zone = fault_server_get_header (fixture->server, "sessions", "timezone");
  user = fault_server_get_header (fixture->server, "sessions", "X-User-Id");
  g_assert_cmpstr (query, ==,
                   "date_gte=2026-11-01&date_lte=2026-11-23&order_by=ASC&offset=5&limit=10");
  g_assert_cmpstr (zone, ==, "Europe/Berlin");
  g_assert_cmpstr (user, ==, "patient 7");
  g_clear_pointer (&list, g_ptr_array_unref);

  /* A bare array is accepted too; a bad item fails the whole page. */
  fault_server_push_json (fixture->server, "sessions", 200,
                          "[{\"session_id\":\"a\",\"status\":\"pending\"}]");
  fault_server_push_json (fixture->server, "sessions", 200,
                          "{\"sessions\":[{\"session_id\":\"a\",\"status\":\"pending\"},"
                          "{\"session_id\":\"b\",\"status\":1}]}");
  list = vital_test_client_list_sessions (fixture->client, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = vital_test_client_list_sessions (fixture->client, NULL, NULL, &error);
  g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE);
  g_clear_error (&error);

  list = vital_test_client_list_sessions (fixture->client, &too_many, NULL, &error);
  g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_INVALID_REQUEST);
  g_clear_error (&error);

  /* Header injection through the zone is refused before sending. */
  {
    VitalHistoryQuery evil = { .limit = -1, .timezone = "UTC\r\nX-Evil: 1" };
    guint before = fault_server_get_hits (fixture->server, "sessions");

    list = vital_test_client_list_sessions (fixture->client, &evil, NULL, &error);
    g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_INVALID_REQUEST);
    g_assert_cmpuint (fault_server_get_hits (fixture->server, "sessions"), ==, before);
  }
}

static void
test_rate_limit_headers (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  VitalClientRateLimit limit = { 0 };

  g_assert_false (vital_client_get_last_rate_limit (fixture->client, &limit));

  fault_server_set_rate_headers (fixture->server, TRUE);
  g_assert_true (vital_test_client_health (fixture->client, NULL, NULL, &error));
  g_assert_true (vital_test_client_health (fixture->client, NULL, NULL, &error));
  g_assert_true (vital_client_get_last_rate_limit (fixture->client, &limit));
  g_assert_cmpint (limit.limit, ==, 100);
  g_assert_cmpint (limit.remaining, ==, 98);
  g_assert_cmpint (limit.reset, ==, 1795431660);

  /* The last response had none: none. */
  fault_server_set_rate_headers (fixture->server, FALSE);
  g_assert_true (vital_test_client_health (fixture->client, NULL, NULL, &error));
  g_assert_false (vital_client_get_last_rate_limit (fixture->client, &limit));
}

static void
test_no_redirect (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *elsewhere =
    g_strdup_printf ("%s/health", fault_server_get_url (fixture->server));

  /* A redirect would carry the key elsewhere: it is reported, not followed. */
  fault_server_push (fixture->server, "sessions", FAULT_REPLY, 302, "text/plain", "moved",
                     elsewhere);
  list = vital_test_client_list_sessions (fixture->client, NULL, NULL, &error);
  g_assert_null (list);
  g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE);
  g_assert_cmpuint (fault_server_get_hits (fixture->server, "sessions"), ==, 1);
  g_assert_cmpuint (fault_server_get_hits (fixture->server, "health"), ==, 0);
}

static void
test_health (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  g_autofree char *key = NULL;

  g_assert_true (vital_test_client_health (fixture->client, &version, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (version, ==, "9.9");
  key = fault_server_get_header (fixture->server, "health", "X-API-Key");
  g_assert_null (key);

  fault_server_push_json (fixture->server, "health", 200, "{\"status\":\"degraded\"}");
  g_assert_false (vital_test_client_health (fixture->client, NULL, NULL, &error));
  g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_SERVICE_UNAVAILABLE);
}

static void
test_demographics (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalClientSession) session = NULL;
  g_autofree char *body = NULL;
  VitalDemographics good = { .age = 35, .sex = VITAL_SEX_MALE, .fitzpatrick = 3 };
  VitalDemographics bad_age = { .age = 130 };
  VitalDemographics bad_skin = { .fitzpatrick = 9 };

  session = vital_test_client_start_session (fixture->client, &good, NULL, &error);
  g_assert_no_error (error);
  body = fault_server_get_body (fixture->server, "start");
  g_assert_cmpstr (body, ==, "{\"demographics\":{\"age\":35,\"sex\":\"M\",\"fitzpatrick\":3}}");
  g_assert_cmpstr (vital_client_session_get_upload_url (session), !=, NULL);

  g_clear_object (&session);
  session = vital_test_client_start_session (fixture->client, &bad_age, NULL, &error);
  g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_INVALID_REQUEST);
  g_clear_error (&error);
  session = vital_test_client_start_session (fixture->client, &bad_skin, NULL, &error);
  g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_INVALID_REQUEST);
  g_assert_cmpuint (fault_server_get_hits (fixture->server, "start"), ==, 1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/client/faults/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
#define ADD_CASE(path, fault_case) \
  g_test_add ("/client/faults/" path, Fixture, &fault_case, fixture_setup, test_fault_case, \
              fixture_teardown)

  ADD ("key-checks", test_key_checks);
  ADD ("bad-base-url", test_bad_base_url);
  ADD ("scan/inline", test_scan_inline);
  ADD ("scan/polled", test_scan_polled);
  ADD ("result/alias-path", test_result_alias);
  ADD ("result/session-not-found", test_session_not_found);
  ADD ("result/outcomes", test_poll_outcomes);
  ADD ("cancel/mid-poll", test_cancel_mid_poll);
  ADD ("cancel/before-start", test_cancel_before);
  ADD ("retry/upload-drop-then-success", test_upload_drop_then_success);
  ADD ("retry/upload-drop-always", test_upload_drop_always);
  ADD_CASE ("retry/500-then-success", complete_500_then_success);
  ADD_CASE ("retry/502-html-exhausted", sessions_502_exhausted);
  ADD ("retry/complete-resent-conflict", test_complete_resent_conflict);
  ADD_CASE ("retry/429-retry-after", result_429_retry_after);
  ADD_CASE ("retry/429-without-retry-after", result_429_without_retry_after);
  ADD_CASE ("retry/429-not-retryable", result_429_not_retryable);
  ADD_CASE ("retry/quota-exceeded", start_quota_exceeded);
  ADD ("retry/4xx-never", test_4xx_never_retried);
  ADD ("retry/start-not-resent", test_start_not_resent);
  ADD ("retry/connection-refused", test_connection_refused);
  ADD ("timeout/slow-response", test_slow_timeout);
  ADD ("bad-response/bodies", test_bad_bodies);
  ADD ("bad-response/error-bodies", test_bad_error_bodies);
  ADD ("history", test_history);
  ADD ("rate-limit", test_rate_limit_headers);
  ADD ("health", test_health);
  ADD ("no-redirect", test_no_redirect);
  ADD ("demographics", test_demographics);

  return g_test_run ();
}
