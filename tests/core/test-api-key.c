/* test-api-key.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one rule of API keys (vital_api_key_check()): its edges and what it says is wrong.
 * tests/app/test-preferences.c checks that Preferences, the client and the server agree on it.
 */
#include <glib.h>

#include "vital-api-key.h"

static void
test_rule (void)
{
  static const struct { const char *key; int code; VitalApiKeyKind kind; } table[] = {
    { "", VITAL_API_KEY_ERROR_EMPTY, 0 },
    { "ck_prod_0123456789abcdef", VITAL_API_KEY_ERROR_PREFIX, 0 },
    { "CK_TEST_0123456789abcdef", VITAL_API_KEY_ERROR_PREFIX, 0 },
    { "ck_test_demo1234567890", VITAL_API_KEY_ERROR_TOO_SHORT, 0 },
    { "ck_test_abcdefghijklmno", VITAL_API_KEY_ERROR_TOO_SHORT, 0 },
    { "ck_test_", VITAL_API_KEY_ERROR_TOO_SHORT, 0 },
    { "ck_test_abcdefghijklmno-1234", VITAL_API_KEY_ERROR_CHARACTER, 0 },
    { "ck_live_abcdefghijklmnop 234", VITAL_API_KEY_ERROR_CHARACTER, 0 },
    { "ck_test_abcdefghijklmnop", -1, VITAL_API_KEY_TEST },
    { "ck_live_ABCDEFGHIJKLMNOP5678", -1, VITAL_API_KEY_LIVE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(GError) error = NULL;
      VitalApiKeyKind kind = 99;
      gboolean ok = vital_api_key_check (table[i].key, &kind, &error);

      g_test_message ("%s", table[i].key);
      if (table[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (kind, ==, table[i].kind);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, VITAL_API_KEY_ERROR, table[i].code);
          g_assert_cmpint (kind, ==, 99);
        }
    }
}

static void
test_lengths (void)
{
  for (guint n = 0; n <= VITAL_API_KEY_SECRET_MAX + 2; n++)
    {
      g_autofree char *secret = g_strnfill (n, '7');
      g_autofree char *key = g_strconcat ("ck_live_", secret, NULL);
      g_autoptr(GError) error = NULL;
      gboolean ok = vital_api_key_check (key, NULL, &error);

      g_assert_cmpint (ok, ==, n >= VITAL_API_KEY_SECRET_MIN && n <= VITAL_API_KEY_SECRET_MAX);
      if (n > VITAL_API_KEY_SECRET_MAX)
        g_assert_error (error, VITAL_API_KEY_ERROR, VITAL_API_KEY_ERROR_TOO_LONG);
    }
  g_assert_false (vital_api_key_check (NULL, NULL, NULL));
  g_assert_cmpstr (vital_api_key_kind_to_string (VITAL_API_KEY_TEST), ==, "test");
  g_assert_cmpstr (vital_api_key_kind_to_string (VITAL_API_KEY_LIVE), ==, "live");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/api-key/rule", test_rule);
  g_test_add_func ("/core/api-key/lengths", test_lengths);
  return g_test_run ();
}
