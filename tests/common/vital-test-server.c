/* vital-test-server.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts a VitalServer for a test; every failure is an assertion.
 */
#include "vital-test-server.h"

/**
 * vital_test_server_start:
 * @config: (transfer none): the server's configuration, as the test made it
 * @keys: (array length=n_keys) (nullable): the keys it accepts
 * @n_keys: how many keys there are
 *
 * Returns: (transfer full): a server listening on 127.0.0.1 at an ephemeral port (see
 *   vital_server_get_base_url()); vital_server_stop() it before the last unref
 */
VitalServer *
vital_test_server_start (const VitalServerConfig *config,
                         const VitalTestKey      *keys,
                         gsize                    n_keys)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalServer) server = vital_server_new (config, &error);

  g_assert_no_error (error);
  for (gsize i = 0; i < n_keys; i++)
    {
      g_assert_true (vital_server_add_key (server, keys[i].key, keys[i].owner, keys[i].rate_limit,
                                           keys[i].monthly_quota, &error));
      g_assert_no_error (error);
    }
  g_assert_true (vital_server_listen_local (server, 0, &error));
  g_assert_no_error (error);
  g_assert_nonnull (vital_server_get_base_url (server));
  return g_steal_pointer (&server);
}
