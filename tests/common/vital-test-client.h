/* vital-test-client.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test helpers for the session API client: a client whose retries do not wait, and its
 * asynchronous calls run to completion, for tests that read best in sequence. (Applications
 * call the asynchronous API; the CLI uses vital_client_scan_tensor_sync().)
 */
#pragma once

#include "vital-client.h"
#include "vital-test-util.h"

G_BEGIN_DECLS

VitalClient        *vital_test_client_new            (const char              *base_url,
                                                      const char              *api_key);
VitalClient        *vital_test_client_new_polling    (const char              *base_url,
                                                      const char              *api_key,
                                                      guint                    interval_ms,
                                                      guint                    timeout_ms);

GAsyncResult       *vital_test_await                 (GAsyncResult           **slot);

VitalClientSession *vital_test_client_start_session  (VitalClient             *client,
                                                      const VitalDemographics *demographics,
                                                      GCancellable            *cancellable,
                                                      GError                 **error);
gboolean            vital_test_client_upload         (VitalClient             *client,
                                                      const char              *upload_url,
                                                      GBytes                  *payload,
                                                      GCancellable            *cancellable,
                                                      GError                 **error);
gboolean            vital_test_client_complete_upload (VitalClient            *client,
                                                       const char             *session_id,
                                                       VitalSigns            **out_signs,
                                                       GCancellable           *cancellable,
                                                       GError                **error);
VitalSigns         *vital_test_client_poll_result    (VitalClient             *client,
                                                      const char              *session_id,
                                                      GCancellable            *cancellable,
                                                      GError                 **error);
GPtrArray          *vital_test_client_list_sessions  (VitalClient             *client,
                                                      const VitalHistoryQuery *query,
                                                      GCancellable            *cancellable,
                                                      GError                 **error);
gboolean            vital_test_client_health         (VitalClient             *client,
                                                      char                   **out_version,
                                                      GCancellable            *cancellable,
                                                      GError                 **error);

G_END_DECLS
