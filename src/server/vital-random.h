/* vital-random.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cryptographically secure random bytes from the kernel (keys, secrets, session ids).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean vital_random_fill (guint8  *buffer,
                            gsize    length,
                            GError **error);
char    *vital_random_uuid (GError **error);

G_END_DECLS
