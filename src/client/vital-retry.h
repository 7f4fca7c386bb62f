/* vital-retry.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalRetryPolicy: when to retry a request and how long to wait (exponential backoff, full
 * jitter, Retry-After).
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define VITAL_RETRY_DEFAULT_MAX_ATTEMPTS       3
#define VITAL_RETRY_DEFAULT_BASE_DELAY_MS      500
#define VITAL_RETRY_DEFAULT_MAX_DELAY_MS       8000
#define VITAL_RETRY_DEFAULT_MAX_RETRY_AFTER_MS 60000

typedef struct _VitalRetryPolicy VitalRetryPolicy;

GType              vital_retry_policy_get_type           (void) G_GNUC_CONST;
#define VITAL_TYPE_RETRY_POLICY (vital_retry_policy_get_type ())

VitalRetryPolicy  *vital_retry_policy_new                (void);
VitalRetryPolicy  *vital_retry_policy_ref                (VitalRetryPolicy *self);
void               vital_retry_policy_unref              (VitalRetryPolicy *self);

void               vital_retry_policy_set_max_attempts   (VitalRetryPolicy *self,
                                                          guint             max_attempts);
guint              vital_retry_policy_get_max_attempts   (VitalRetryPolicy *self);
void               vital_retry_policy_set_delays         (VitalRetryPolicy *self,
                                                          guint             base_delay_ms,
                                                          guint             max_delay_ms);
void               vital_retry_policy_set_max_retry_after (VitalRetryPolicy *self,
                                                          guint             max_retry_after_ms);
void               vital_retry_policy_set_time_scale     (VitalRetryPolicy *self,
                                                          double            time_scale);
double             vital_retry_policy_get_time_scale     (VitalRetryPolicy *self);
void               vital_retry_policy_set_seed           (VitalRetryPolicy *self,
                                                          guint32           seed);

gboolean           vital_retry_policy_next_delay         (VitalRetryPolicy *self,
                                                          guint             failed_attempts,
                                                          gint64            retry_after_ms,
                                                          guint            *out_delay_ms);
guint              vital_retry_policy_scale_delay        (VitalRetryPolicy *self,
                                                          guint             delay_ms);

gint64             vital_retry_parse_retry_after         (const char       *value,
                                                          GDateTime        *now);
gboolean           vital_retry_status_is_retryable       (guint             http_status,
                                                          const char       *server_code,
                                                          int               server_retryable);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalRetryPolicy, vital_retry_policy_unref)

G_END_DECLS
