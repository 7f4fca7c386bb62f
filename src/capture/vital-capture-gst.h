/* vital-capture-gst.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The capture module's use of GStreamer as a library: initialising it on first use, the
 * module's debug category ("vitalscan-capture"; GST_DEBUG=vitalscan-capture:6 shows it) and
 * making elements.
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (vital_capture_debug);

void        vital_capture_gst_init     (void);
GstElement *vital_capture_make_element (const char  *factory,
                                        const char  *name,
                                        GError     **error);

G_END_DECLS
