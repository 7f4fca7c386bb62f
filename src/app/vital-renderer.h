/* vital-renderer.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Which GSK renderer draws the app: GTK's GL renderer where OpenGL is real, the cairo renderer
 * where it is only software GL (thin clients, VMs), whose full-window redraws per camera frame
 * cost more than twice the CPU for fewer frames.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean    vital_renderer_is_software_gl (const char *gl_renderer);
char       *vital_renderer_query_gl       (GdkDisplay *display);
const char *vital_renderer_choose         (GdkDisplay *display);

G_END_DECLS
