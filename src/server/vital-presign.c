/* vital-presign.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Presigned upload URLs: signing and constant-time verification.
 */
#include <string.h>

#include "vital-presign.h"

/**
 * vital_presign_sign:
 * @secret: the server secret
 * @session_id: the session the URL uploads to
 * @expires_unix: when the URL stops working, Unix seconds
 *
 * Computes HMAC-SHA-256(secret, "vitalscan-upload\n<session_id>\n<expires>").
 *
 * Returns: (transfer full): the signature as 64 lower-case hex digits
 */
char *
vital_presign_sign (GBytes     *secret,
                    const char *session_id,
                    gint64      expires_unix)
{
  g_autofree char *message = g_strdup_printf ("vitalscan-upload\n%s\n%" G_GINT64_FORMAT,
                                              session_id, expires_unix);
  gsize key_len = 0;
  const guchar *key = g_bytes_get_data (secret, &key_len);

  return g_compute_hmac_for_string (G_CHECKSUM_SHA256, key, key_len, message, -1);
}

/**
 * vital_presign_verify:
 * @secret: the server secret
 * @session_id: the session named by the URL
 * @expires_unix: the expiry named by the URL
 * @signature_hex: (nullable): the signature the URL carries
 *
 * Recomputes the signature and compares it in constant time (the comparison touches every
 * byte whatever the first difference is). Expiry itself is checked by the caller.
 *
 * Returns: %TRUE when @signature_hex is the signature of @session_id and @expires_unix
 */
gboolean
vital_presign_verify (GBytes     *secret,
                      const char *session_id,
                      gint64      expires_unix,
                      const char *signature_hex)
{
  g_autofree char *expected = NULL;
  guint8 diff = 0;
  gsize len;

  if (signature_hex == NULL || session_id == NULL)
    return FALSE;
  expected = vital_presign_sign (secret, session_id, expires_unix);
  len = strlen (expected);
  if (strlen (signature_hex) != len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    diff |= (guint8) (expected[i] ^ signature_hex[i]);
  return diff == 0;
}
