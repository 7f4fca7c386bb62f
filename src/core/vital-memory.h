/* vital-memory.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to libvitalscan-core: hints for the payload-sized buffers (tens of megabytes).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void vital_memory_prefer_huge_pages (gpointer data,
                                     gsize    size);

G_END_DECLS
