/* vital-camera-portal.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The camera inside a sandbox: asking the camera portal (libportal) for access and opening the
 * PipeWire remote it grants, as a VitalCamera.
 */
#pragma once

#include <gio/gio.h>

#include "vital-camera.h"

G_BEGIN_DECLS

gboolean     vital_camera_portal_is_needed   (void);
void         vital_camera_portal_open_async  (const char           *name,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
VitalCamera *vital_camera_portal_open_finish (GAsyncResult         *result,
                                              GError              **error);

G_END_DECLS
