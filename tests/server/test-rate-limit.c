/* test-rate-limit.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalRateLimit on its own: fixed windows, one counter per client, peeking without counting,
 * what the headers report, the bound on remembered clients and exact counts under threads.
 */
#include "vital-config.h"

#include "vital-clock.h"
#include "vital-rate-limit.h"

#define WINDOW_START_US (G_GINT64_CONSTANT (1800000000) * G_USEC_PER_SEC)  /* a window edge */

static void
test_window (void)
{
  g_autoptr(VitalClock) clock = vital_clock_new_manual (WINDOW_START_US);
  g_autoptr(VitalRateLimit) limiter = vital_rate_limit_new (clock, 60);
  VitalRateLimitState state;

  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (vital_rate_limit_take_at (limiter, "key:a", 3, WINDOW_START_US, &state));
      g_assert_cmpuint (state.limit, ==, 3);
      g_assert_cmpuint (state.remaining, ==, 2 - i);
      g_assert_cmpint (state.reset_unix, ==, WINDOW_START_US / G_USEC_PER_SEC + 60);
      g_assert_cmpuint (state.retry_after_s, ==, 0);
    }
  /* The fourth is refused, told to come back when the window ends. */
  g_assert_false (vital_rate_limit_take_at (limiter, "key:a", 3,
                                            WINDOW_START_US + 45 * G_USEC_PER_SEC, &state));
  g_assert_cmpuint (state.remaining, ==, 0);
  g_assert_cmpuint (state.retry_after_s, ==, 15);
  /* Another client has its own counter. */
  g_assert_true (vital_rate_limit_take_at (limiter, "key:b", 3, WINDOW_START_US, &state));
  g_assert_cmpuint (state.remaining, ==, 2);
  /* The next window starts afresh. */
  g_assert_true (vital_rate_limit_take_at (limiter, "key:a", 3,
                                           WINDOW_START_US + 60 * G_USEC_PER_SEC, &state));
  g_assert_cmpuint (state.remaining, ==, 2);
  g_assert_cmpint (state.reset_unix, ==, WINDOW_START_US / G_USEC_PER_SEC + 120);
}

static void
test_peek_and_unlimited (void)
{
  g_autoptr(VitalClock) clock = vital_clock_new_manual (WINDOW_START_US);
  g_autoptr(VitalRateLimit) limiter = vital_rate_limit_new (clock, 60);
  VitalRateLimitState state;

  vital_rate_limit_peek (limiter, "addr:192.0.2.1", 2, &state);
  vital_rate_limit_peek (limiter, "addr:192.0.2.1", 2, &state);
  g_assert_cmpuint (state.remaining, ==, 2);
  g_assert_true (vital_rate_limit_take (limiter, "addr:192.0.2.1", 2, &state));
  vital_rate_limit_peek (limiter, "addr:192.0.2.1", 2, &state);
  g_assert_cmpuint (state.remaining, ==, 1);
  g_assert_cmpuint (state.retry_after_s, ==, 0);

  /* 0 is unlimited, reported as plain integers. */
  for (guint i = 0; i < 1000; i++)
    g_assert_true (vital_rate_limit_take (limiter, "key:unlimited", 0, &state));
  g_assert_cmpuint (state.limit, ==, G_MAXINT32);
  g_assert_cmpuint (state.remaining, ==, G_MAXINT32);
}

/* Many clients (an address scan): once the table is full, stale windows are forgotten, while the
 * current window's clients keep their counts. */
static void
test_many_clients (void)
{
  g_autoptr(VitalClock) clock = vital_clock_new_manual (WINDOW_START_US);
  g_autoptr(VitalRateLimit) limiter = vital_rate_limit_new (clock, 60);
  gint64 next_window = WINDOW_START_US + 60 * G_USEC_PER_SEC;
  VitalRateLimitState state;

  for (guint i = 0; i < 70000; i++)
    {
      char client[32];

      g_snprintf (client, sizeof client, "addr:%u", i);
      g_assert_true (vital_rate_limit_take_at (limiter, client, 1, WINDOW_START_US, NULL));
    }
  g_assert_true (vital_rate_limit_take_at (limiter, "key:kept", 1, next_window, &state));
  for (guint i = 0; i < 70000; i++)
    {
      char client[32];

      g_snprintf (client, sizeof client, "addr:%u", i);
      g_assert_true (vital_rate_limit_take_at (limiter, client, 1, next_window, NULL));
    }
  g_assert_false (vital_rate_limit_take_at (limiter, "key:kept", 1, next_window, &state));
}

typedef struct
{
  VitalRateLimit *limiter;
  gint            allowed;
} Race;

static gpointer
race_thread (gpointer data)
{
  Race *race = data;

  for (guint i = 0; i < 500; i++)
    if (vital_rate_limit_take_at (race->limiter, "key:shared", 1000, WINDOW_START_US, NULL))
      g_atomic_int_inc (&race->allowed);
  return NULL;
}

/* Eight threads take 4000 times from a limit of 1000: exactly 1000 are allowed. */
static void
test_threads (void)
{
  g_autoptr(VitalClock) clock = vital_clock_new_manual (WINDOW_START_US);
  g_autoptr(VitalRateLimit) limiter = vital_rate_limit_new (clock, 60);
  Race race = { limiter, 0 };
  GThread *threads[8];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("race", race_thread, &race);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  g_assert_cmpint (race.allowed, ==, 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/rate-limit/window", test_window);
  g_test_add_func ("/server/rate-limit/peek-and-unlimited", test_peek_and_unlimited);
  g_test_add_func ("/server/rate-limit/many-clients", test_many_clients);
  g_test_add_func ("/server/rate-limit/threads", test_threads);
  return g_test_run ();
}
