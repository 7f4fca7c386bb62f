/* vital-test-client.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the client's asynchronous calls to completion on the calling thread's default context
 * (the one a client made on that thread is bound to).
 */
#include "vital-test-client.h"

/**
 * vital_test_store_result:
 * @source: the call's source object
 * @result: its result
 * @slot: (type GAsyncResult**): where to keep a reference to @result
 *
 * A #GAsyncReadyCallback for vital_test_await().
 */
void
vital_test_store_result (GObject      *source,
                         GAsyncResult *result,
                         gpointer      slot)
{
  *(GAsyncResult **) slot = g_object_ref (result);
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
