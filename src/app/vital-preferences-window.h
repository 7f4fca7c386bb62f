/* vital-preferences-window.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalPreferencesWindow: backend, server URL, API key (Secret Service), camera, scan length
 * and local history.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define VITAL_TYPE_PREFERENCES_WINDOW (vital_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (VitalPreferencesWindow, vital_preferences_window, VITAL,
                      PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget  *vital_preferences_window_new            (GtkWindow              *parent,
                                                     GSettings              *settings);
void        vital_preferences_window_set_cameras    (VitalPreferencesWindow *self,
                                                     const char * const     *names);
void        vital_preferences_window_show_camera_choice (VitalPreferencesWindow *self);
void        vital_preferences_window_set_rate_limit (VitalPreferencesWindow *self,
                                                     gint64                  limit,
                                                     gint64                  remaining,
                                                     gint64                  reset_unix);

G_END_DECLS
