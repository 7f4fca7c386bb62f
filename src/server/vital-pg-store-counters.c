/* vital-pg-store-counters.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalPgStore's counters, exact across the nodes of a cluster: the monthly quota of a key and
 * the fixed one-minute rate-limit windows, each change one atomic statement (an upsert that
 * refuses the unit past the limit). Reading a quota is shared with SQLite
 * (vital-session-store-backend.c).
 */
#include "vital-pg-store-private.h"
#include "vital-server-error.h"

enum
{
  QUOTA_TAKE,
  RATE_PEEK,
  RATE_TAKE,
};

static const VitalStoreStatement statements[] = {
  /* $1 key, $2 month, $3 quota (0: unlimited). Of concurrent callers for the last unit, on any
   * node, one gets a row. */
  [QUOTA_TAKE] = { "quota",
    "INSERT INTO quota AS q (key_id, month, used) VALUES ($1, $2, 1) "
    "ON CONFLICT (key_id, month) DO UPDATE SET used = q.used + 1 "
    "WHERE $3::bigint = 0 OR q.used < $3::bigint "
    "RETURNING used" },
  /* $1 bucket, $2 the current window's start */
  [RATE_PEEK] = { "rate limit",
    "SELECT CASE WHEN window_start = $2 THEN count ELSE 0 END "
    "FROM rate_windows WHERE bucket = $1" },
  /* ... and $3 the limit. One fixed-window counter row per bucket for every node: a new window
   * restarts it, and a full one is left unchanged (no row returned: refused). */
  [RATE_TAKE] = { "rate limit",
    "INSERT INTO rate_windows AS w (bucket, window_start, count) "
    "VALUES ($1, $2, 1) "
    "ON CONFLICT (bucket) DO UPDATE SET "
    "  count = CASE WHEN w.window_start = EXCLUDED.window_start "
    "               THEN w.count + 1 ELSE 1 END, "
    "  window_start = EXCLUDED.window_start "
    "WHERE w.window_start <> EXCLUDED.window_start OR w.count < $3 "
    "RETURNING count" },
};

/* The count in the first row of @res, 0 without one. */
static guint
first_count (const PGresult *res)
{
  return PQntuples (res) > 0 ? (guint) CLAMP (vital_pg_int_value (res, 0, 0), 0, G_MAXUINT) : 0;
}

static gboolean
pg_consume_quota (VitalSessionStore  *store,
                  const char         *key_id,
                  const char         *month,
                  guint               quota,
                  guint              *out_used,
                  GError            **error)
{
  const VitalStoreArgs *args = VITAL_STORE_ARGS (vital_store_text (key_id),
                                                 vital_store_text (month),
                                                 vital_store_int (quota));
  g_autoptr(PGresult) res = vital_pg_run (PG_STORE (store), &statements[QUOTA_TAKE], args,
                                          error);

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      *out_used = quota;
      return vital_session_store_quota_error (quota, error);
    }
  *out_used = first_count (res);
  return TRUE;
}

static void
fill_rate_state (guint                limit,
                 guint                count,
                 gint64               window_start,
                 gint64               now_s,
                 gboolean             refused,
                 VitalRateLimitState *state)
{
  state->limit = limit == 0 ? G_MAXINT32 : limit;
  state->remaining = limit == 0 ? G_MAXINT32 : (count >= limit ? 0 : limit - count);
  state->reset_unix = window_start + VITAL_PG_RATE_WINDOW_S;
  state->retry_after_s = refused ? (guint) MAX (1, state->reset_unix - now_s) : 0;
}

static gboolean
pg_rate_limit (VitalSessionStore    *store,
               const char           *bucket,
               guint                 limit,
               gboolean              count,
               gint64                now_us,
               VitalRateLimitState  *out_state,
               GError              **error)
{
  gint64 now_s = now_us / G_USEC_PER_SEC;
  gint64 start = now_s - (now_s % VITAL_PG_RATE_WINDOW_S);
  const VitalStoreValue values[] = {
    vital_store_text (bucket), vital_store_int (start), vital_store_int (limit),
  };
  g_autoptr(PGresult) res = NULL;

  /* Unlimited callers cost no round trip. */
  if (limit == 0)
    {
      fill_rate_state (0, 0, start, now_s, FALSE, out_state);
      return TRUE;
    }
  res = vital_pg_run (PG_STORE (store), &statements[count ? RATE_TAKE : RATE_PEEK],
                      &(VitalStoreArgs) { values, count ? 3 : 2 }, error);
  if (res == NULL)
    return FALSE;
  if (count && PQntuples (res) == 0)
    {
      fill_rate_state (limit, limit, start, now_s, TRUE, out_state);
      return FALSE;
    }
  fill_rate_state (limit, first_count (res), start, now_s, FALSE, out_state);
  return TRUE;
}

void
vital_pg_store_install_counters (VitalSessionStoreClass *store_class)
{
  store_class->consume_quota = pg_consume_quota;
  store_class->rate_limit = pg_rate_limit;
}
