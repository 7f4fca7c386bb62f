/* test-client-retry.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of VitalRetryPolicy: backoff bounds, jitter, Retry-After, which statuses retry.
 */
#include "vital-retry.h"

static void
test_defaults (void)
{
  g_autoptr(VitalRetryPolicy) policy = vital_retry_policy_new ();
  guint delay;

  g_assert_cmpuint (vital_retry_policy_get_max_attempts (policy), ==, 3);
  /* Two retries after the first and second failures, none after the third. */
  g_assert_true (vital_retry_policy_next_delay (policy, 1, -1, &delay));
  g_assert_cmpuint (delay, <=, 500);
  g_assert_true (vital_retry_policy_next_delay (policy, 2, -1, &delay));
  g_assert_cmpuint (delay, <=, 1000);
  g_assert_false (vital_retry_policy_next_delay (policy, 3, -1, &delay));
  g_assert_cmpuint (delay, ==, 0);
  g_assert_false (vital_retry_policy_next_delay (policy, 0, -1, &delay));
}

static void
test_full_jitter_bounds (void)
{
  g_autoptr(VitalRetryPolicy) policy = vital_retry_policy_new ();
  guint max_seen[12] = { 0 };
  guint min_seen[12];

  vital_retry_policy_set_max_attempts (policy, 12);
  vital_retry_policy_set_seed (policy, 42);
  for (guint n = 1; n < 12; n++)
    min_seen[n] = G_MAXUINT;

  for (guint round = 0; round < 2000; round++)
    for (guint n = 1; n < 12; n++)
      {
        guint delay, ceiling = MIN (500u << (n - 1), 8000u);

        g_assert_true (vital_retry_policy_next_delay (policy, n, -1, &delay));
        g_assert_cmpuint (delay, <=, ceiling);
        max_seen[n] = MAX (max_seen[n], delay);
        min_seen[n] = MIN (min_seen[n], delay);
      }

  /* Full jitter spreads over the whole [0, ceiling] interval and the cap holds at 8 s. */
  for (guint n = 1; n < 12; n++)
    {
      guint ceiling = MIN (500u << (n - 1), 8000u);

      g_assert_cmpuint (max_seen[n], >=, ceiling * 9 / 10);
      g_assert_cmpuint (min_seen[n], <=, ceiling / 10);
    }
}

static void
test_seed_reproducible (void)
{
  g_autoptr(VitalRetryPolicy) a = vital_retry_policy_new ();
  g_autoptr(VitalRetryPolicy) b = vital_retry_policy_new ();

  vital_retry_policy_set_seed (a, 7);
  vital_retry_policy_set_seed (b, 7);
  for (guint i = 1; i < 3; i++)
    {
      guint x, y;

      vital_retry_policy_next_delay (a, i, -1, &x);
      vital_retry_policy_next_delay (b, i, -1, &y);
      g_assert_cmpuint (x, ==, y);
    }
}

static void
test_retry_after (void)
{
  g_autoptr(VitalRetryPolicy) policy = vital_retry_policy_new ();
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 23, 10, 0, 0);
  guint delay;

  g_assert_cmpint (vital_retry_parse_retry_after ("3", now), ==, 3000);
  g_assert_cmpint (vital_retry_parse_retry_after (" 0 ", now), ==, 0);
  g_assert_cmpint (vital_retry_parse_retry_after ("Mon, 23 Nov 2026 10:00:07 GMT", now), ==,
                   7000);
  g_assert_cmpint (vital_retry_parse_retry_after ("Mon, 23 Nov 2026 09:00:00 GMT", now), ==, 0);
  /* The obsolete forms recipients must still read (RFC 9110 §5.6.7). */
  g_assert_cmpint (vital_retry_parse_retry_after ("Monday, 23-Nov-26 10:00:07 GMT", now), ==,
                   7000);
  g_assert_cmpint (vital_retry_parse_retry_after ("Mon Nov 23 10:00:07 2026", now), ==, 7000);
  g_assert_cmpint (vital_retry_parse_retry_after (NULL, now), ==, -1);
  g_assert_cmpint (vital_retry_parse_retry_after ("", now), ==, -1);
  g_assert_cmpint (vital_retry_parse_retry_after ("soon", now), ==, -1);
  g_assert_cmpint (vital_retry_parse_retry_after ("-5", now), ==, -1);
  g_assert_cmpint (vital_retry_parse_retry_after ("5s", now), ==, -1);
  g_assert_cmpint (vital_retry_parse_retry_after ("99999999999", now), ==, -1);
  g_assert_cmpint (vital_retry_parse_retry_after ("Mon, 23 Foo 2026 10:00:07 GMT", now), ==, -1);
  g_assert_cmpint (vital_retry_parse_retry_after ("Mon, 23 Nov 2026 10:00:07 PST", now), ==, -1);

  /* Retry-After replaces the computed wait, even above the backoff cap... */
  g_assert_true (vital_retry_policy_next_delay (policy, 1, 20000, &delay));
  g_assert_cmpuint (delay, ==, 20000);
  /* ...but one beyond the accepted maximum ends the retries. */
  vital_retry_policy_set_max_retry_after (policy, 10000);
  g_assert_false (vital_retry_policy_next_delay (policy, 1, 20000, &delay));
}

static void
test_time_scale (void)
{
  g_autoptr(VitalRetryPolicy) policy = vital_retry_policy_new ();

  g_assert_cmpuint (vital_retry_policy_scale_delay (policy, 4000), ==, 4000);
  vital_retry_policy_set_time_scale (policy, 0.001);
  g_assert_cmpuint (vital_retry_policy_scale_delay (policy, 4000), ==, 4);
  vital_retry_policy_set_time_scale (policy, 0.0);
  g_assert_cmpuint (vital_retry_policy_scale_delay (policy, 4000), ==, 0);
}

static void
test_statuses (void)
{
  static const guint never[] = { 200, 400, 401, 403, 404, 405, 409, 410, 413, 415, 422 };

  for (guint i = 0; i < G_N_ELEMENTS (never); i++)
    g_assert_false (vital_retry_status_is_retryable (never[i], NULL, -1));
  /* Even if a server wrongly marks them retryable. */
  g_assert_false (vital_retry_status_is_retryable (401, "API_KEY_INVALID", 1));

  g_assert_true (vital_retry_status_is_retryable (408, NULL, -1));
  g_assert_true (vital_retry_status_is_retryable (500, "INTERNAL", -1));
  g_assert_true (vital_retry_status_is_retryable (502, NULL, -1));
  g_assert_true (vital_retry_status_is_retryable (503, NULL, -1));
  g_assert_true (vital_retry_status_is_retryable (429, NULL, -1));
  g_assert_true (vital_retry_status_is_retryable (429, "RATE_LIMIT_EXCEEDED", 1));
  g_assert_false (vital_retry_status_is_retryable (429, "RATE_LIMIT_EXCEEDED", 0));
  g_assert_false (vital_retry_status_is_retryable (429, "QUOTA_EXCEEDED", -1));
  g_assert_false (vital_retry_status_is_retryable (429, "QUOTA_EXCEEDED", 1));
  g_assert_false (vital_retry_status_is_retryable (500, "INTERNAL", 0));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/retry/defaults", test_defaults);
  g_test_add_func ("/client/retry/full-jitter-bounds", test_full_jitter_bounds);
  g_test_add_func ("/client/retry/seed-reproducible", test_seed_reproducible);
  g_test_add_func ("/client/retry/retry-after", test_retry_after);
  g_test_add_func ("/client/retry/time-scale", test_time_scale);
  g_test_add_func ("/client/retry/statuses", test_statuses);

  return g_test_run ();
}
