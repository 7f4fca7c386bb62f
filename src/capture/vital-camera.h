/* vital-camera.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalCamera: one camera (a GstDevice or a portal PipeWire node), its source element, and the
 * V4L2 exposure/white-balance lock. Finding cameras is VitalCameraMonitor's.
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define VITAL_TYPE_CAMERA (vital_camera_get_type ())

G_DECLARE_FINAL_TYPE (VitalCamera, vital_camera, VITAL, CAMERA, GObject)

VitalCamera *vital_camera_new_for_device     (GstDevice   *device);
VitalCamera *vital_camera_new_for_pipewire   (int          fd,
                                              const char  *node_path,
                                              const char  *name,
                                              GError     **error);
const char  *vital_camera_get_name           (VitalCamera *self);
const char  *vital_camera_get_id             (VitalCamera *self);
GstDevice   *vital_camera_get_device         (VitalCamera *self);
GstElement  *vital_camera_create_source      (VitalCamera *self,
                                              GError     **error);
GstCaps     *vital_camera_get_preferred_caps (void);

/* Auto-exposure/white-balance lock on a running source element (best effort). */
typedef struct _VitalCameraLock VitalCameraLock;

VitalCameraLock *vital_camera_lock_controls  (GstElement      *source,
                                              GError         **error);
void             vital_camera_lock_release   (VitalCameraLock *lock);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalCameraLock, vital_camera_lock_release)

G_END_DECLS
