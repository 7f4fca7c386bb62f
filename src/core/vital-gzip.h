/* vital-gzip.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to libvitalscan-core: gzip compression of a payload on every core, as one standard
 * gzip member.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *vital_gzip_compress (const guint8  *data,
                             gsize          size,
                             int            level,
                             int            strategy,
                             GError       **error);

G_END_DECLS
