/* vital-application.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalApplication: the AdwApplication — command line, app actions, accelerators, windows.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define VITAL_TYPE_APPLICATION (vital_application_get_type ())
G_DECLARE_FINAL_TYPE (VitalApplication, vital_application, VITAL, APPLICATION, AdwApplication)

VitalApplication *vital_application_new          (void);
gboolean          vital_application_get_kiosk    (VitalApplication *self);
GSettings        *vital_application_get_settings (VitalApplication *self);
gboolean          vital_application_kiosk_is_managed (GSettings    *settings);

G_END_DECLS
