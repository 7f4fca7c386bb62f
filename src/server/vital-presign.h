/* vital-presign.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Presigned upload URLs: HMAC-SHA-256 over the session id and expiry with a server secret.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *vital_presign_sign   (GBytes     *secret,
                                const char *session_id,
                                gint64      expires_unix);
gboolean  vital_presign_verify (GBytes     *secret,
                                const char *session_id,
                                gint64      expires_unix,
                                const char *signature_hex);

G_END_DECLS
