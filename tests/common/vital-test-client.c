/* vital-test-client.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A client for tests, and its asynchronous calls run to completion on the calling thread's
 * default context (the one a client made on that thread is bound to). Each wrapper takes the
 * same arguments as the call it wraps and gives back what its _finish() gives.
 */
#include "vital-test-client.h"

/**
 * vital_test_client_new:
 * @base_url: the server's base URL
 * @api_key: (nullable): the API key
 *
 * A client whose retries do not wait: each backoff is computed (from a fixed seed) and
 * reported by #VitalClient::retrying, and the wait itself is scaled to nothing.
 *
 * Returns: (transfer full): the client
 */
VitalClient *
vital_test_client_new (const char *base_url,
                       const char *api_key)
{
  g_autoptr(VitalRetryPolicy) policy = vital_retry_policy_new ();
  VitalClient *client = vital_client_new (base_url, api_key);

  vital_retry_policy_set_time_scale (policy, 0.0);
  vital_retry_policy_set_seed (policy, 1234);
  vital_client_set_retry_policy (client, policy);
  return client;
}

/**
 * vital_test_client_new_polling:
 * @base_url: the server's base URL
 * @api_key: (nullable): the API key
 * @interval_ms: how often it polls a result
 * @timeout_ms: how long it polls before giving up
 *
 * vital_test_client_new(), polling a result at the pace a test's server calls for.
 *
 * Returns: (transfer full): the client
 */
VitalClient *
vital_test_client_new_polling (const char *base_url,
                               const char *api_key,
                               guint       interval_ms,
                               guint       timeout_ms)
{
  VitalClient *client = vital_test_client_new (base_url, api_key);

  vital_client_set_poll_interval (client, interval_ms);
  vital_client_set_poll_timeout (client, timeout_ms);
  return client;
}

/**
 * vital_test_await:
 * @slot: a slot vital_test_store_result() fills
 *
 * Iterates the thread-default context until the call completes.
 *
 * Returns: (transfer none): the result (the slot keeps its reference)
 */
GAsyncResult *
vital_test_await (GAsyncResult **slot)
{
  GMainContext *context = g_main_context_get_thread_default ();

  while (*slot == NULL)
    g_main_context_iteration (context, TRUE);
  return *slot;
}

/**
 * vital_test_client_start_session:
 *
 * vital_client_start_session_async(), run to completion.
 *
 * Returns: (transfer full) (nullable): the session, NULL with @error set
 */
VitalClientSession *
vital_test_client_start_session (VitalClient             *client,
                                 const VitalDemographics *demographics,
                                 GCancellable            *cancellable,
                                 GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vital_client_start_session_async (client, demographics, cancellable, vital_test_store_result,
                                    &result);
  return vital_client_start_session_finish (client, vital_test_await (&result), error);
}

/**
 * vital_test_client_upload:
 *
 * vital_client_upload_async(), run to completion (@payload is borrowed).
 *
 * Returns: %TRUE once uploaded, %FALSE with @error set
 */
gboolean
vital_test_client_upload (VitalClient   *client,
                          const char    *upload_url,
                          GBytes        *payload,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vital_client_upload_async (client, upload_url, payload, cancellable, vital_test_store_result,
                             &result);
  return vital_client_upload_finish (client, vital_test_await (&result), error);
}

/**
 * vital_test_client_complete_upload:
 * @out_signs: (out) (optional) (transfer full) (nullable): the vitals, when the server gave
 *   them inline (NULL on a 202)
 *
 * vital_client_complete_upload_async(), run to completion.
 *
 * Returns: %TRUE once accepted, %FALSE with @error set
 */
gboolean
vital_test_client_complete_upload (VitalClient   *client,
                                   const char    *session_id,
                                   VitalSigns   **out_signs,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vital_client_complete_upload_async (client, session_id, cancellable, vital_test_store_result,
                                      &result);
  return vital_client_complete_upload_finish (client, vital_test_await (&result), out_signs,
                                              error);
}

/**
 * vital_test_client_poll_result:
 *
 * vital_client_poll_result_async(), run to completion.
 *
 * Returns: (transfer full) (nullable): the vitals, NULL with @error set
 */
VitalSigns *
vital_test_client_poll_result (VitalClient   *client,
                               const char    *session_id,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vital_client_poll_result_async (client, session_id, cancellable, vital_test_store_result,
                                  &result);
  return vital_client_poll_result_finish (client, vital_test_await (&result), error);
}

/**
 * vital_test_client_list_sessions:
 *
 * vital_client_list_sessions_async(), run to completion.
 *
 * Returns: (transfer full) (nullable) (element-type VitalClientSession): the page of history,
 *   NULL with @error set
 */
GPtrArray *
vital_test_client_list_sessions (VitalClient             *client,
                                 const VitalHistoryQuery *query,
                                 GCancellable            *cancellable,
                                 GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vital_client_list_sessions_async (client, query, cancellable, vital_test_store_result,
                                    &result);
  return vital_client_list_sessions_finish (client, vital_test_await (&result), error);
}

/**
 * vital_test_client_health:
 * @out_version: (out) (optional) (transfer full): the server's version
 *
 * vital_client_health_async(), run to completion.
 *
 * Returns: %TRUE when the server is up, %FALSE with @error set
 */
gboolean
vital_test_client_health (VitalClient   *client,
                          char         **out_version,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vital_client_health_async (client, cancellable, vital_test_store_result, &result);
  return vital_client_health_finish (client, vital_test_await (&result), out_version, error);
}
