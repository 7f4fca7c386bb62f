/* vital-application-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalApplication's test hooks: the settings back end to read, so that a test can hand it a
 * dconf database with a locked key, as an administrator's system-wide setting would be.
 */
#pragma once

#include <gio/gio.h>

#include "vital-application.h"

G_BEGIN_DECLS

void vital_application_set_settings_backend (VitalApplication *self,
                                             GSettingsBackend *backend);

G_END_DECLS
