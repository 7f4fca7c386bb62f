/* vital-rate-limit.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalRateLimit: fixed-window request counting keyed by client (key id or address).
 */
#include "vital-rate-limit.h"

#define MAX_CLIENTS 65536

typedef struct
{
  gint64 window_start;  /* Unix seconds */
  guint  count;
} Window;

struct _VitalRateLimit
{
  GMutex      mutex;
  VitalClock *clock;
  guint       window_s;
  GHashTable *windows;  /* client -> Window* */
};

/**
 * vital_rate_limit_new:
 * @clock: the clock windows are measured with
 * @window_s: the window length in seconds (60 for "per minute")
 *
 * Returns: (transfer full): a new rate limiter
 */
VitalRateLimit *
vital_rate_limit_new (VitalClock *clock,
                      guint       window_s)
{
  VitalRateLimit *self = g_new0 (VitalRateLimit, 1);

  g_mutex_init (&self->mutex);
  self->clock = g_object_ref (clock);
  self->window_s = MAX (window_s, 1);
  self->windows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

/**
 * vital_rate_limit_free:
 * @self: (transfer full) (nullable): a rate limiter
 *
 * Frees @self.
 */
void
vital_rate_limit_free (VitalRateLimit *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->windows);
  g_object_unref (self->clock);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

static Window *
current_window (VitalRateLimit *self,
                const char     *client,
                gint64          now_us,
                gint64         *out_start)
{
  gint64 now = now_us / G_USEC_PER_SEC;
  gint64 start = now - (now % self->window_s);
  Window *w = g_hash_table_lookup (self->windows, client);

  if (w == NULL)
    {
      /* Bound memory: forget every stale window when the table grows too big. */
      if (g_hash_table_size (self->windows) >= MAX_CLIENTS)
        {
          GHashTableIter iter;
          gpointer value;

          g_hash_table_iter_init (&iter, self->windows);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            if (((Window *) value)->window_start != start)
              g_hash_table_iter_remove (&iter);
        }
      w = g_new0 (Window, 1);
      w->window_start = start;
      g_hash_table_insert (self->windows, g_strdup (client), w);
    }
  if (w->window_start != start)
    {
      w->window_start = start;
      w->count = 0;
    }
  *out_start = start;
  return w;
}

static void
fill_state (VitalRateLimit      *self,
            Window              *w,
            gint64               start,
            guint                limit,
            gboolean             refused,
            gint64               now_us,
            VitalRateLimitState *state)
{
  gint64 now = now_us / G_USEC_PER_SEC;

  /* An unlimited client is reported as G_MAXINT32 so the headers stay plain integers. */
  state->limit = limit == 0 ? G_MAXINT32 : limit;
  state->remaining = limit == 0 ? G_MAXINT32 : (w->count >= limit ? 0 : limit - w->count);
  state->reset_unix = start + self->window_s;
  state->retry_after_s = refused ? (guint) MAX (1, state->reset_unix - now) : 0;
}

/**
 * vital_rate_limit_take:
 * @self: a rate limiter
 * @client: who is asking (a key id, or an address for unauthenticated requests)
 * @limit: requests allowed per window, 0 for unlimited
 * @out_state: (out) (optional): the state after this request
 *
 * Counts one request from @client.
 *
 * Returns: %TRUE when the request is within the limit, %FALSE when it must be refused
 */
gboolean
vital_rate_limit_take (VitalRateLimit      *self,
                       const char          *client,
                       guint                limit,
                       VitalRateLimitState *out_state)
{
  return vital_rate_limit_take_at (self, client, limit, vital_clock_now_us (self->clock),
                                   out_state);
}

/**
 * vital_rate_limit_take_at:
 * @self: a rate limiter
 * @client: who is asking
 * @limit: requests allowed per window, 0 for unlimited
 * @now_us: the time of the request, µs since the epoch (instead of the limiter's clock)
 * @out_state: (out) (optional): the state after this request
 *
 * vital_rate_limit_take() at a given time (for the session store, which is handed the time).
 *
 * Returns: %TRUE when the request is within the limit, %FALSE when it must be refused
 */
gboolean
vital_rate_limit_take_at (VitalRateLimit      *self,
                          const char          *client,
                          guint                limit,
                          gint64               now_us,
                          VitalRateLimitState *out_state)
{
  VitalRateLimitState state;
  gboolean allowed;
  gint64 start;
  Window *w;

  g_mutex_lock (&self->mutex);
  w = current_window (self, client, now_us, &start);
  allowed = limit == 0 || w->count < limit;
  if (allowed)
    w->count++;
  fill_state (self, w, start, limit, !allowed, now_us, &state);
  g_mutex_unlock (&self->mutex);

  if (out_state != NULL)
    *out_state = state;
  return allowed;
}

/**
 * vital_rate_limit_peek:
 * @self: a rate limiter
 * @client: who is asking
 * @limit: requests allowed per window, 0 for unlimited
 * @out_state: (out): the current state, nothing counted
 *
 * Reports the state without counting a request (for responses that are not charged).
 */
void
vital_rate_limit_peek (VitalRateLimit      *self,
                       const char          *client,
                       guint                limit,
                       VitalRateLimitState *out_state)
{
  vital_rate_limit_peek_at (self, client, limit, vital_clock_now_us (self->clock), out_state);
}

/**
 * vital_rate_limit_peek_at:
 * @self: a rate limiter
 * @client: who is asking
 * @limit: requests allowed per window, 0 for unlimited
 * @now_us: the time, µs since the epoch
 * @out_state: (out): the current state, nothing counted
 *
 * vital_rate_limit_peek() at a given time.
 */
void
vital_rate_limit_peek_at (VitalRateLimit      *self,
                          const char          *client,
                          guint                limit,
                          gint64               now_us,
                          VitalRateLimitState *out_state)
{
  gint64 start;
  Window *w;

  g_mutex_lock (&self->mutex);
  w = current_window (self, client, now_us, &start);
  fill_state (self, w, start, limit, FALSE, now_us, out_state);
  g_mutex_unlock (&self->mutex);
}
