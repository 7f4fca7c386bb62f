/* fake-camera.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GStreamer device provider whose cameras the tests plug in and out, for hot-plug tests on
 * machines without a camera. Its cameras give a live videotestsrc.
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

G_BEGIN_DECLS

GstDeviceProvider *fake_camera_provider_get (void);
GstDevice         *fake_camera_plug         (const char *name);
void               fake_camera_unplug       (GstDevice  *device);
GstDevice         *fake_camera_rename       (GstDevice  *device,
                                             const char *name);

/* For the tests' waits: @model (the monitor, or a list of camera choices) holds @n items once
 * what was plugged in or out has gone through. */
typedef struct
{
  GListModel *model;
  guint       n;
} FakeCameraCount;

gboolean           fake_camera_count_reached (gpointer count);

G_END_DECLS
