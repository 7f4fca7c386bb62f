/* vital-capture-gst.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The capture module's use of GStreamer as a library: initialising it on first use and the
 * module's debug category ("vitalscan-capture"; GST_DEBUG=vitalscan-capture:6 shows it).
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (vital_capture_debug);

void vital_capture_gst_init (void);

G_END_DECLS
