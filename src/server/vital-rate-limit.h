/* vital-rate-limit.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalRateLimit: fixed one-minute windows of requests per client key, thread-safe.
 */
#pragma once

#include <glib.h>

#include "vital-clock.h"

G_BEGIN_DECLS

typedef struct _VitalRateLimit VitalRateLimit;

/**
 * VitalRateLimitState:
 * @limit: requests allowed per window (0 for unlimited)
 * @remaining: requests left in the current window
 * @reset_unix: when the current window ends, Unix seconds
 * @retry_after_s: seconds until a refused request may be retried (0 when allowed)
 *
 * What the X-RateLimit-* headers report.
 */
typedef struct
{
  guint  limit;
  guint  remaining;
  gint64 reset_unix;
  guint  retry_after_s;
} VitalRateLimitState;

VitalRateLimit *vital_rate_limit_new   (VitalClock          *clock,
                                        guint                window_s);
void            vital_rate_limit_free  (VitalRateLimit      *self);
gboolean        vital_rate_limit_take  (VitalRateLimit      *self,
                                        const char          *client,
                                        guint                limit,
                                        VitalRateLimitState *out_state);
void            vital_rate_limit_peek  (VitalRateLimit      *self,
                                        const char          *client,
                                        guint                limit,
                                        VitalRateLimitState *out_state);
gboolean        vital_rate_limit_take_at (VitalRateLimit    *self,
                                        const char          *client,
                                        guint                limit,
                                        gint64               now_us,
                                        VitalRateLimitState *out_state);
void            vital_rate_limit_peek_at (VitalRateLimit    *self,
                                        const char          *client,
                                        guint                limit,
                                        gint64               now_us,
                                        VitalRateLimitState *out_state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalRateLimit, vital_rate_limit_free)

G_END_DECLS
