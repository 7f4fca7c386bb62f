/* vital-test-server.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test helper for the session API server: a VitalServer in the test process, holding the keys
 * a test lists, listening on an ephemeral loopback port.
 */
#pragma once

#include "vital-server.h"

G_BEGIN_DECLS

/* A key the server accepts, as vital_server_add_key() takes it. */
typedef struct
{
  const char *key;
  const char *owner;
  guint       rate_limit;     /* requests a minute, 0: unlimited */
  guint       monthly_quota;  /* sessions a month, 0: unlimited */
} VitalTestKey;

VitalServer *vital_test_server_start (const VitalServerConfig *config,
                                      const VitalTestKey      *keys,
                                      gsize                    n_keys);

G_END_DECLS
