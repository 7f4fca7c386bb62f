/* vital-scan-controller.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalScanController: drives one window's scans — capture preview, recording, the session
 * through the client (embedded server or a remote one), results and errors.
 */
#pragma once

#include "vital-capture.h"
#include "vital-client.h"
#include "vital-preferences-window.h"
#include "vital-window.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean force_demo;    /* use the demo subject whatever the camera setting */
  double   scan_seconds;  /* > 0 overrides the scan-length setting (tests, demos) */
  gboolean kiosk;         /* keep nothing: drop the payload after the result */
} VitalScanControllerOptions;

#define VITAL_TYPE_SCAN_CONTROLLER (vital_scan_controller_get_type ())
G_DECLARE_FINAL_TYPE (VitalScanController, vital_scan_controller, VITAL, SCAN_CONTROLLER,
                      GObject)

VitalScanController *vital_scan_controller_new        (VitalWindow                      *window,
                                                       GSettings                        *settings,
                                                       const VitalScanControllerOptions *options);
gboolean             vital_scan_controller_start_preview (VitalScanController           *self,
                                                          GError                       **error);
void                 vital_scan_controller_attach_preferences (VitalScanController      *self,
                                                               VitalPreferencesWindow   *prefs);
VitalCapture        *vital_scan_controller_get_capture (VitalScanController             *self);
gboolean             vital_scan_controller_get_busy   (VitalScanController              *self);
gboolean             vital_scan_controller_get_using_demo (VitalScanController          *self);
const char          *vital_scan_controller_get_source_id (VitalScanController           *self);

G_END_DECLS
