/* vital-camera-monitor.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cameras present now, kept up to date as cameras are plugged in and out.
 */
#pragma once

#include <gio/gio.h>

#include "vital-camera.h"

G_BEGIN_DECLS

#define VITAL_TYPE_CAMERA_MONITOR (vital_camera_monitor_get_type ())

G_DECLARE_FINAL_TYPE (VitalCameraMonitor, vital_camera_monitor, VITAL, CAMERA_MONITOR, GObject)

VitalCameraMonitor *vital_camera_monitor_new         (GError             **error);
GList              *vital_camera_monitor_list_all    (GError             **error);
VitalCamera        *vital_camera_monitor_find        (VitalCameraMonitor  *self,
                                                      const char          *id_or_name);
VitalCamera        *vital_camera_monitor_choose      (VitalCameraMonitor  *self,
                                                      const char          *wanted);

G_END_DECLS
