/* vital-retry.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalRetryPolicy: when to retry a request and how long to wait (exponential backoff, full
 * jitter, Retry-After).
 *
 * Full jitter (Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015): the n-th
 * wait is uniform in [0, min(cap, base * 2^(n-1))]. A Retry-After sent by the server replaces
 * the computed wait; one longer than max-retry-after ends the retries instead.
 */
#include <string.h>
#include <libsoup/soup.h>

#include "vital-retry.h"

#include <math.h>
#include <stdio.h>

struct _VitalRetryPolicy
{
  gatomicrefcount ref_count;
  GMutex          lock;
  GRand          *rand;
  guint           max_attempts;
  guint           base_delay_ms;
  guint           max_delay_ms;
  guint           max_retry_after_ms;
  double          time_scale;
};

G_DEFINE_BOXED_TYPE (VitalRetryPolicy, vital_retry_policy,
                     vital_retry_policy_ref, vital_retry_policy_unref)

/**
 * vital_retry_policy_new:
 *
 * Creates the default policy: 3 attempts, base 0.5 s, cap 8 s, Retry-After honoured up to 60 s,
 * time scale 1, randomly seeded jitter.
 *
 * Returns: (transfer full): a new policy
 */
VitalRetryPolicy *
vital_retry_policy_new (void)
{
  VitalRetryPolicy *self = g_new0 (VitalRetryPolicy, 1);

  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->lock);
  self->rand = g_rand_new ();
  self->max_attempts = VITAL_RETRY_DEFAULT_MAX_ATTEMPTS;
  self->base_delay_ms = VITAL_RETRY_DEFAULT_BASE_DELAY_MS;
  self->max_delay_ms = VITAL_RETRY_DEFAULT_MAX_DELAY_MS;
  self->max_retry_after_ms = VITAL_RETRY_DEFAULT_MAX_RETRY_AFTER_MS;
  self->time_scale = 1.0;

  return self;
}

/**
 * vital_retry_policy_ref:
 * @self: a policy
 *
 * Returns: (transfer full): @self with one more reference
 */
VitalRetryPolicy *
vital_retry_policy_ref (VitalRetryPolicy *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * vital_retry_policy_unref:
 * @self: (transfer full): a policy
 *
 * Drops one reference; frees the policy with the last one.
 */
void
vital_retry_policy_unref (VitalRetryPolicy *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_rand_free (self->rand);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/**
 * vital_retry_policy_set_max_attempts:
 * @self: a policy
 * @max_attempts: total attempts per request, at least 1 (1 disables retries)
 */
void
vital_retry_policy_set_max_attempts (VitalRetryPolicy *self,
                                     guint             max_attempts)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (max_attempts >= 1);
  g_mutex_lock (&self->lock);
  self->max_attempts = max_attempts;
  g_mutex_unlock (&self->lock);
}

/**
 * vital_retry_policy_get_max_attempts:
 * @self: a policy
 *
 * Returns: total attempts per request
 */
guint
vital_retry_policy_get_max_attempts (VitalRetryPolicy *self)
{
  guint ret;

  g_return_val_if_fail (self != NULL, 1);
  g_mutex_lock (&self->lock);
  ret = self->max_attempts;
  g_mutex_unlock (&self->lock);
  return ret;
}

/**
 * vital_retry_policy_set_delays:
 * @self: a policy
 * @base_delay_ms: the backoff base (the first wait is at most this)
 * @max_delay_ms: the cap of any computed wait
 */
void
vital_retry_policy_set_delays (VitalRetryPolicy *self,
                               guint             base_delay_ms,
                               guint             max_delay_ms)
{
  g_return_if_fail (self != NULL);
  g_mutex_lock (&self->lock);
  self->base_delay_ms = base_delay_ms;
  self->max_delay_ms = MAX (base_delay_ms, max_delay_ms);
  g_mutex_unlock (&self->lock);
}

/**
 * vital_retry_policy_set_max_retry_after:
 * @self: a policy
 * @max_retry_after_ms: the longest server-requested wait the client accepts; a longer
 *   Retry-After ends the retries and reports the error
 */
void
vital_retry_policy_set_max_retry_after (VitalRetryPolicy *self,
                                        guint             max_retry_after_ms)
{
  g_return_if_fail (self != NULL);
  g_mutex_lock (&self->lock);
  self->max_retry_after_ms = max_retry_after_ms;
  g_mutex_unlock (&self->lock);
}

/**
 * vital_retry_policy_set_time_scale:
 * @self: a policy
 * @time_scale: factor applied to every actual wait (1 for real time; tests use a small value
 *   or 0 so retries do not wait seconds); the delays reported to observers are unscaled
 */
void
vital_retry_policy_set_time_scale (VitalRetryPolicy *self,
                                   double            time_scale)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (time_scale >= 0.0 && isfinite (time_scale));
  g_mutex_lock (&self->lock);
  self->time_scale = time_scale;
  g_mutex_unlock (&self->lock);
}

/**
 * vital_retry_policy_get_time_scale:
 * @self: a policy
 *
 * Returns: the factor applied to every actual wait
 */
double
vital_retry_policy_get_time_scale (VitalRetryPolicy *self)
{
  double ret;

  g_return_val_if_fail (self != NULL, 1.0);
  g_mutex_lock (&self->lock);
  ret = self->time_scale;
  g_mutex_unlock (&self->lock);
  return ret;
}

/**
 * vital_retry_policy_set_seed:
 * @self: a policy
 * @seed: seed of the jitter generator, for reproducible waits
 */
void
vital_retry_policy_set_seed (VitalRetryPolicy *self,
                             guint32           seed)
{
  g_return_if_fail (self != NULL);
  g_mutex_lock (&self->lock);
  g_rand_set_seed (self->rand, seed);
  g_mutex_unlock (&self->lock);
}

/**
 * vital_retry_policy_next_delay:
 * @self: a policy
 * @failed_attempts: how many attempts have failed so far (1 after the first failure)
 * @retry_after_ms: the server's Retry-After in milliseconds, or -1 when none was sent
 * @out_delay_ms: (out): the unscaled wait before the next attempt
 *
 * Decides whether another attempt is allowed and how long to wait first: Retry-After when sent
 * (if not above max-retry-after), otherwise uniform in [0, min(cap, base × 2^(n-1))].
 *
 * Returns: %TRUE if another attempt should be made
 */
gboolean
vital_retry_policy_next_delay (VitalRetryPolicy *self,
                               guint             failed_attempts,
                               gint64            retry_after_ms,
                               guint            *out_delay_ms)
{
  gboolean ret = TRUE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out_delay_ms != NULL, FALSE);

  *out_delay_ms = 0;

  g_mutex_lock (&self->lock);

  if (failed_attempts == 0 || failed_attempts >= self->max_attempts)
    {
      ret = FALSE;
    }
  else if (retry_after_ms >= 0)
    {
      if (retry_after_ms > (gint64) self->max_retry_after_ms)
        ret = FALSE;
      else
        *out_delay_ms = (guint) retry_after_ms;
    }
  else
    {
      guint exponent = MIN (failed_attempts - 1, 30u);
      guint64 ceiling = (guint64) self->base_delay_ms << exponent;

      ceiling = MIN (ceiling, (guint64) self->max_delay_ms);
      /* g_rand_int_range's end is exclusive: +1 makes the ceiling reachable. */
      if (ceiling > 0)
        *out_delay_ms = (guint) g_rand_int_range (self->rand, 0, (gint32) ceiling + 1);
    }

  g_mutex_unlock (&self->lock);

  return ret;
}

/**
 * vital_retry_policy_scale_delay:
 * @self: a policy
 * @delay_ms: an unscaled wait
 *
 * Returns: @delay_ms multiplied by the time scale: the wait actually slept
 */
guint
vital_retry_policy_scale_delay (VitalRetryPolicy *self,
                                guint             delay_ms)
{
  double scaled = (double) delay_ms * vital_retry_policy_get_time_scale (self);

  return (guint) MIN (scaled, (double) G_MAXUINT);
}

/**
 * vital_retry_parse_retry_after:
 * @value: (nullable): a `Retry-After` header value
 * @now: (nullable): the current time for HTTP-date values; %NULL for the system clock
 *
 * Parses delta-seconds (`"3"`) or an HTTP-date (`"Sun, 06 Nov 1994 08:49:37 GMT"`, or the
 * obsolete RFC 850 and asctime forms; RFC 9110 §10.2.3) with libsoup's parser. A date in the
 * past means "now" (0).
 *
 * Returns: the wait in milliseconds, or -1 when @value is absent or unparseable
 */
gint64
vital_retry_parse_retry_after (const char *value,
                               GDateTime  *now)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now_owned = NULL;
  const char *p;

  if (value == NULL)
    return -1;

  while (g_ascii_isspace (*value))
    value++;

  for (p = value; g_ascii_isdigit (*p); p++)
    ;
  if (p != value)
    {
      guint64 seconds;

      while (g_ascii_isspace (*p))
        p++;
      if (*p != '\0' || p - value > 9)
        return -1;
      seconds = g_ascii_strtoull (value, NULL, 10);
      return (gint64) seconds * 1000;
    }

  /* An HTTP-date in any of the three forms RFC 9110 §5.6.7 says recipients accept; all are
   * GMT (asctime's form names no zone). libsoup also takes other zones, which HTTP does not. */
  if (*value == '\0' ||
      (!g_str_has_suffix (value, " GMT") && !g_ascii_isdigit (value[strlen (value) - 1])))
    return -1;
  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return -1;
  if (now == NULL)
    now = now_owned = g_date_time_new_now_utc ();

  return MAX (0, g_date_time_difference (when, now) / 1000);
}

/**
 * vital_retry_status_is_retryable:
 * @http_status: the response status
 * @server_code: (nullable): the `error` field of the body, if any
 * @server_retryable: the `retryable` field of the body: 1 true, 0 false, -1 absent
 *
 * Retries are for 408, 5xx and 429 unless the server marked it not retryable or it is
 * QUOTA_EXCEEDED. Never for 400, 401, 403, 404, 410, 413, 422 or any other status.
 *
 * Returns: whether the same request may be sent again
 */
gboolean
vital_retry_status_is_retryable (guint       http_status,
                                 const char *server_code,
                                 int         server_retryable)
{
  if (http_status == 429)
    return server_retryable != 0 && g_strcmp0 (server_code, "QUOTA_EXCEEDED") != 0;
  if (http_status == 408 || (http_status >= 500 && http_status < 600))
    return server_retryable != 0;
  return FALSE;
}
