/* vital-v1.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The self-hosted platform dialect (/v1): video upload sessions decoded by the capture code,
 * served by a VitalServer through its public API only. Built after capture (src/v1/meson.build)
 * as libvitalscan-v1.
 */
#pragma once

#include "vital-server.h"

G_BEGIN_DECLS

void vital_v1_install (VitalServer *server);

G_END_DECLS
