/* vital-preferences-window-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test hooks of VitalPreferencesWindow: the key's badge, status and rule, what Test Connection
 * found, the rate limit shown, and whether a keyring or server call is in flight. The
 * application itself never includes this header.
 */
#pragma once

#include "vital-preferences-window.h"

G_BEGIN_DECLS

const char *vital_preferences_window_get_key_badge  (VitalPreferencesWindow *self);
gboolean    vital_preferences_window_is_busy        (VitalPreferencesWindow *self);
const char *vital_preferences_window_get_key_status (VitalPreferencesWindow *self);
const char *vital_preferences_window_get_scan_length_subtitle (VitalPreferencesWindow *self);
const char *vital_preferences_window_get_connection_status (VitalPreferencesWindow *self);
GtkWidget  *vital_preferences_window_get_test_button (VitalPreferencesWindow *self);
const char *vital_preferences_window_get_rate_limit_text (VitalPreferencesWindow *self);
const char *vital_preferences_window_get_key_rule (VitalPreferencesWindow *self);

G_END_DECLS
