/* vital-cli-embedded.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The on-device backend of vitalscan-cli: an embedded server on loopback with a one-off key.
 */
#pragma once

#include "vital-keys.h"
#include "vital-server.h"

G_BEGIN_DECLS

VitalServer *vital_cli_start_embedded_server (VitalKeyEnvironment   environment,
                                              char                **out_key,
                                              GError              **error);

G_END_DECLS
