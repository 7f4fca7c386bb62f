/* vital-api-key.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the one rule of what an API key looks like: `ck_test_` or `ck_live_` followed by 16 to
 * 120 ASCII letters or digits. The server refuses anything else before looking it up, the
 * client before sending it, and Preferences before storing it; each used to have its own
 * rule, so a key Preferences accepted could be refused by the server.
 */
#include "vital-api-key.h"

#include <string.h>

G_DEFINE_QUARK (vital-api-key-error-quark, vital_api_key_error)

/**
 * vital_api_key_check:
 * @key: (nullable): a candidate key
 * @out_kind: (out) (optional): test or live, from its prefix
 * @error: return location for a #VitalApiKeyError saying what is wrong (English; the app
 *   words it for the user from the code)
 *
 * Returns: %TRUE when @key has the shape of a key
 */
gboolean
vital_api_key_check (const char       *key,
                     VitalApiKeyKind  *out_kind,
                     GError          **error)
{
  VitalApiKeyKind kind;
  gsize secret;

  if (key == NULL || *key == '\0')
    {
      g_set_error_literal (error, VITAL_API_KEY_ERROR, VITAL_API_KEY_ERROR_EMPTY,
                           "No API key is set");
      return FALSE;
    }
  if (g_str_has_prefix (key, "ck_test_"))
    kind = VITAL_API_KEY_TEST;
  else if (g_str_has_prefix (key, "ck_live_"))
    kind = VITAL_API_KEY_LIVE;
  else
    {
      g_set_error_literal (error, VITAL_API_KEY_ERROR, VITAL_API_KEY_ERROR_PREFIX,
                           "An API key starts with ck_test_ or ck_live_");
      return FALSE;
    }

  secret = strlen (key) - VITAL_API_KEY_PREFIX_LENGTH;
  for (gsize i = VITAL_API_KEY_PREFIX_LENGTH; key[i] != '\0'; i++)
    if (!g_ascii_isalnum (key[i]))
      {
        g_set_error (error, VITAL_API_KEY_ERROR, VITAL_API_KEY_ERROR_CHARACTER,
                     "An API key has only letters and digits after its prefix; "
                     "character %" G_GSIZE_FORMAT " is not one", i + 1);
        return FALSE;
      }
  if (secret < VITAL_API_KEY_SECRET_MIN)
    {
      g_set_error (error, VITAL_API_KEY_ERROR, VITAL_API_KEY_ERROR_TOO_SHORT,
                   "An API key has at least %d letters or digits after its prefix; "
                   "this one has %" G_GSIZE_FORMAT, VITAL_API_KEY_SECRET_MIN, secret);
      return FALSE;
    }
  if (secret > VITAL_API_KEY_SECRET_MAX)
    {
      g_set_error (error, VITAL_API_KEY_ERROR, VITAL_API_KEY_ERROR_TOO_LONG,
                   "An API key has at most %d letters or digits after its prefix; "
                   "this one has %" G_GSIZE_FORMAT, VITAL_API_KEY_SECRET_MAX, secret);
      return FALSE;
    }
  if (out_kind != NULL)
    *out_kind = kind;
  return TRUE;
}

/**
 * vital_api_key_kind_to_string:
 * @kind: a #VitalApiKeyKind
 *
 * Returns: (transfer none): "test" or "live"
 */
const char *
vital_api_key_kind_to_string (VitalApiKeyKind kind)
{
  return kind == VITAL_API_KEY_LIVE ? "live" : "test";
}
