/* vital-cli-embedded.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts the embedded server that scan-tensor and analyze use when no --server is given.
 */
#include "vital-config.h"

#include "vital-cli-embedded.h"

/**
 * vital_cli_start_embedded_server:
 * @environment: the environment of the one-off key (test: sandbox vitals, live: the engine)
 * @out_key: (out) (transfer full): the random key registered with the server
 * @error: return location for a #GError
 *
 * Starts a default-configured server on 127.0.0.1 with an ephemeral port and one fresh
 * in-memory key, so a scan needs no key file and nothing leaves the machine.
 *
 * Returns: (transfer full) (nullable): the listening server, or %NULL with @error set
 */
VitalServer *
vital_cli_start_embedded_server (VitalKeyEnvironment environment,
                                 char **out_key,
                                 GError **error)
{
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();
  g_autoptr(VitalServer) server = NULL;
  g_autofree char *key = NULL;

  key = vital_key_generate (environment, error);
  if (key == NULL)
    return NULL;
  server = vital_server_new (config, error);
  if (server == NULL
      || !vital_server_add_key (server, key, "vitalscan-cli", 0, 0, error)
      || !vital_server_listen_local (server, 0, error))
    return NULL;

  *out_key = g_steal_pointer (&key);
  return g_steal_pointer (&server);
}
