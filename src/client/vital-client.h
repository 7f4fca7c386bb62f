/* vital-client.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalClient: the session API client (start, upload, complete, poll, history, health).
 */
#pragma once

#include <gio/gio.h>

#include "vital-engine.h"
#include "vital-client-error.h"
#include "vital-client-session.h"
#include "vital-retry.h"
#include "vital-signs.h"

G_BEGIN_DECLS

#define VITAL_CLIENT_DEFAULT_TIMEOUT_S        30
#define VITAL_CLIENT_DEFAULT_POLL_INTERVAL_MS 2000
#define VITAL_CLIENT_DEFAULT_POLL_TIMEOUT_MS  120000

/**
 * VitalScanPhase:
 * @VITAL_SCAN_PHASE_IDLE: no scan has run yet
 * @VITAL_SCAN_PHASE_STARTING: starting a session
 * @VITAL_SCAN_PHASE_UPLOADING: uploading the payload (see #VitalClient:bytes-uploaded)
 * @VITAL_SCAN_PHASE_COMPLETING: telling the server the upload is complete
 * @VITAL_SCAN_PHASE_PROCESSING: waiting for the server's result
 * @VITAL_SCAN_PHASE_DONE: the result arrived
 * @VITAL_SCAN_PHASE_FAILED: the scan failed or was cancelled
 *
 * Where vital_client_scan_tensor_async() is.
 */
typedef enum
{
  VITAL_SCAN_PHASE_IDLE,
  VITAL_SCAN_PHASE_STARTING,
  VITAL_SCAN_PHASE_UPLOADING,
  VITAL_SCAN_PHASE_COMPLETING,
  VITAL_SCAN_PHASE_PROCESSING,
  VITAL_SCAN_PHASE_DONE,
  VITAL_SCAN_PHASE_FAILED,
} VitalScanPhase;

/**
 * VitalClientRateLimit:
 * @limit: requests allowed per window (`X-RateLimit-Limit`)
 * @remaining: requests left in the window (`X-RateLimit-Remaining`)
 * @reset: when the window resets, as the server sent it (`X-RateLimit-Reset`), or -1
 *
 * The rate-limit headers of the last response.
 */
typedef struct
{
  gint64 limit;
  gint64 remaining;
  gint64 reset;
} VitalClientRateLimit;

/* What a server reports as the limit and the remainder of a key without a limit (its headers
 * stay plain integers): shown as "unlimited", never as a number. */
#define VITAL_CLIENT_RATE_LIMIT_UNLIMITED G_MAXINT32

#define VITAL_TYPE_CLIENT (vital_client_get_type ())

G_DECLARE_FINAL_TYPE (VitalClient, vital_client, VITAL, CLIENT, GObject)

VitalClient        *vital_client_new                     (const char            *base_url,
                                                          const char            *api_key);

const char         *vital_client_get_base_url            (VitalClient           *self);
gboolean            vital_client_check_key               (VitalClient           *self,
                                                          GError               **error);
const char         *vital_client_get_key_environment     (VitalClient           *self);
void                vital_client_set_user_id             (VitalClient           *self,
                                                          const char            *user_id);
void                vital_client_set_timeout             (VitalClient           *self,
                                                          guint                  seconds);
void                vital_client_set_poll_interval       (VitalClient           *self,
                                                          guint                  interval_ms);
void                vital_client_set_poll_timeout        (VitalClient           *self,
                                                          guint                  timeout_ms);
void                vital_client_set_retry_policy        (VitalClient           *self,
                                                          VitalRetryPolicy      *policy);
VitalRetryPolicy   *vital_client_get_retry_policy        (VitalClient           *self);
gboolean            vital_client_get_last_rate_limit     (VitalClient           *self,
                                                          VitalClientRateLimit  *out_rate_limit);
VitalScanPhase      vital_client_get_phase               (VitalClient           *self);
guint64             vital_client_get_bytes_uploaded      (VitalClient           *self);
guint64             vital_client_get_bytes_total         (VitalClient           *self);

void                vital_client_start_session_async     (VitalClient             *self,
                                                          const VitalDemographics *demographics,
                                                          GCancellable            *cancellable,
                                                          GAsyncReadyCallback      callback,
                                                          gpointer                 user_data);
VitalClientSession *vital_client_start_session_finish    (VitalClient           *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);

void                vital_client_upload_async            (VitalClient           *self,
                                                          const char            *upload_url,
                                                          GBytes                *payload,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
gboolean            vital_client_upload_finish           (VitalClient           *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);

void                vital_client_complete_upload_async   (VitalClient           *self,
                                                          const char            *session_id,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
gboolean            vital_client_complete_upload_finish  (VitalClient           *self,
                                                          GAsyncResult          *result,
                                                          VitalSigns           **out_signs,
                                                          GError               **error);

void                vital_client_poll_result_async       (VitalClient           *self,
                                                          const char            *session_id,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
VitalSigns         *vital_client_poll_result_finish      (VitalClient           *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);

void                vital_client_scan_tensor_async       (VitalClient             *self,
                                                          GBytes                  *payload,
                                                          const VitalDemographics *demographics,
                                                          GCancellable            *cancellable,
                                                          GAsyncReadyCallback      callback,
                                                          gpointer                 user_data);
VitalSigns         *vital_client_scan_tensor_finish      (VitalClient           *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);
VitalSigns         *vital_client_scan_tensor_sync        (VitalClient             *self,
                                                          GBytes                  *payload,
                                                          const VitalDemographics *demographics,
                                                          GCancellable            *cancellable,
                                                          GError                 **error);

void                vital_client_list_sessions_async     (VitalClient             *self,
                                                          const VitalHistoryQuery *query,
                                                          GCancellable            *cancellable,
                                                          GAsyncReadyCallback      callback,
                                                          gpointer                 user_data);
GPtrArray          *vital_client_list_sessions_finish    (VitalClient           *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);

void                vital_client_health_async            (VitalClient           *self,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
gboolean            vital_client_health_finish           (VitalClient           *self,
                                                          GAsyncResult          *result,
                                                          char                 **out_version,
                                                          GError               **error);

void                vital_client_check_connection_async  (VitalClient           *self,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
gboolean            vital_client_check_connection_finish (VitalClient           *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);
gboolean            vital_client_rate_limit_is_unlimited (const VitalClientRateLimit *limit);

const char         *vital_scan_phase_to_string           (VitalScanPhase         phase);

G_END_DECLS
