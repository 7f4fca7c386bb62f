/* test-keys.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalKeys on its own: the key shape, hashes instead of keys, keys added and revoked in
 * memory, key files (their entries round-trip, a bad file changes nothing and its error never
 * quotes a key) and reloading.
 */
#include "vital-config.h"

#include <glib/gstdio.h>

#include "vital-keys.h"
#include "vital-server-error.h"

#define TEST_KEY "ck_test_abcdefghijklmnop1234"
#define LIVE_KEY "ck_live_ABCDEFGHIJKLMNOP5678"

static void
test_shape (void)
{
  const char *bad[] = { NULL, "", "ck_test_", "ck_test_short", "ck_prod_abcdefghijklmnop1234",
                        "ck_test_abcdefghijklmno-1234", "CK_TEST_abcdefghijklmnop1234",
                        " ck_test_abcdefghijklmnop1234" };
  VitalKeyEnvironment env = VITAL_KEY_ENV_LIVE;
  g_autofree char *longest = g_strnfill (120, 'a');
  g_autofree char *too_long = g_strnfill (121, 'a');
  g_autofree char *longest_key = g_strconcat ("ck_live_", longest, NULL);
  g_autofree char *too_long_key = g_strconcat ("ck_live_", too_long, NULL);

  g_assert_true (vital_key_is_well_formed (TEST_KEY, &env));
  g_assert_cmpint (env, ==, VITAL_KEY_ENV_TEST);
  g_assert_true (vital_key_is_well_formed (LIVE_KEY, &env));
  g_assert_cmpint (env, ==, VITAL_KEY_ENV_LIVE);
  g_assert_true (vital_key_is_well_formed (longest_key, NULL));
  g_assert_false (vital_key_is_well_formed (too_long_key, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (vital_key_is_well_formed (bad[i], NULL));

  /* Generated keys have the shape, and differ. */
  for (VitalKeyEnvironment e = VITAL_KEY_ENV_TEST; e <= VITAL_KEY_ENV_LIVE; e++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *a = vital_key_generate (e, &error);
      g_autofree char *b = vital_key_generate (e, &error);

      g_assert_no_error (error);
      g_assert_true (vital_key_is_well_formed (a, &env));
      g_assert_cmpint (env, ==, e);
      g_assert_cmpstr (a, !=, b);
    }
}

static void
test_memory (void)
{
  g_autoptr(VitalKeys) keys = vital_keys_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalKeyInfo) info = NULL;
  g_autofree char *hash = vital_key_hash (TEST_KEY);

  g_assert_cmpuint (strlen (hash), ==, 64);
  g_assert_false (vital_keys_add (keys, "ck_test_short", "someone", 10, 0, &error));
  g_assert_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG);
  g_assert_null (strstr (error->message, "ck_test_short"));
  g_clear_error (&error);

  g_assert_true (vital_keys_add (keys, TEST_KEY, "clinic", 60, 500, &error));
  g_assert_true (vital_keys_add (keys, LIVE_KEY, "clinic", 30, 500, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (vital_keys_get_count (keys), ==, 2);

  info = vital_keys_lookup (keys, TEST_KEY);
  g_assert_nonnull (info);
  g_assert_cmpstr (info->owner, ==, "clinic");
  g_assert_cmpint (info->environment, ==, VITAL_KEY_ENV_TEST);
  g_assert_cmpuint (info->rate_limit, ==, 60);
  g_assert_cmpuint (info->monthly_quota, ==, 0);  /* test keys have no quota */
  g_assert_true (g_str_has_prefix (hash, info->key_id));
  g_assert_null (strstr (info->key_id, "abcdefghijklmnop"));
  g_clear_pointer (&info, vital_key_info_free);

  info = vital_keys_lookup (keys, LIVE_KEY);
  g_assert_cmpuint (info->monthly_quota, ==, 500);
  g_clear_pointer (&info, vital_key_info_free);

  /* Unknown, near-miss and revoked keys are all just unknown. */
  g_assert_null (vital_keys_lookup (keys, "ck_test_abcdefghijklmnop1235"));
  g_assert_null (vital_keys_lookup (keys, "ck_live_abcdefghijklmnop1234"));
  g_assert_null (vital_keys_lookup (keys, NULL));
  g_assert_true (vital_keys_revoke (keys, TEST_KEY));
  g_assert_false (vital_keys_revoke (keys, "ck_test_neverregistered123"));
  g_assert_null (vital_keys_lookup (keys, TEST_KEY));
  g_assert_cmpuint (vital_keys_get_count (keys), ==, 2);
}

static char *
write_key_file (const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("vitalscan-keys-XXXXXX", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_file (void)
{
  g_autoptr(VitalKeys) keys = vital_keys_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalKeyInfo) info = NULL;
  g_autofree char *test_entry = vital_key_format_entry (TEST_KEY, "clinic a", 60, 0);
  g_autofree char *live_entry = vital_key_format_entry (LIVE_KEY, "clinic b", 5, 100);
  g_autofree char *contents = g_strconcat ("# keys\n", test_entry, "\n", live_entry, NULL);
  g_autofree char *path = write_key_file (contents);

  /* An entry holds the key's hash, never the key. */
  g_assert_null (strstr (contents, "abcdefghijklmnop"));
  g_assert_null (strstr (contents, "ABCDEFGHIJKLMNOP"));

  g_assert_true (vital_keys_load_file (keys, path, &error));
  g_assert_no_error (error);
  info = vital_keys_lookup (keys, LIVE_KEY);
  g_assert_nonnull (info);
  g_assert_cmpstr (info->owner, ==, "clinic b");
  g_assert_cmpuint (info->rate_limit, ==, 5);
  g_assert_cmpuint (info->monthly_quota, ==, 100);
  g_clear_pointer (&info, vital_key_info_free);

  /* A bad file is refused whole, names the file and group, never quotes its lines; the keys in
   * use stay. */
  {
    const char *bad[] = {
      "not a key file\n",
      "[key 1]\nsha256=" TEST_KEY "\nenvironment=test\n",
      "[key 1]\nsha256=ABCDEF\nenvironment=test\n",
      "[" TEST_KEY "]\nsha256=0000000000000000000000000000000000000000000000000000000000000000\n"
      "environment=staging\n",
      "[key 1]\nsha256=0000000000000000000000000000000000000000000000000000000000000000\n"
      "environment=test\nrate_limit=" TEST_KEY "\n",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *bad_path = write_key_file (bad[i]);
        g_autoptr(GError) bad_error = NULL;

        g_assert_false (vital_keys_load_file (keys, bad_path, &bad_error));
        g_assert_error (bad_error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG);
        g_assert_nonnull (strstr (bad_error->message, bad_path));
        g_assert_null (strstr (bad_error->message, "abcdefghijklmnop"));
        info = vital_keys_lookup (keys, LIVE_KEY);
        g_assert_nonnull (info);
        g_clear_pointer (&info, vital_key_info_free);
        g_unlink (bad_path);
      }
  }

  /* Reloading reads the file again: a key revoked there is refused from then on. */
  {
    g_autofree char *revoked = g_strdup (live_entry);
    g_autofree char *new_contents = NULL;
    char *flag = strstr (revoked, "revoked=false");

    g_assert_nonnull (flag);
    memcpy (flag, "revoked=true\n", strlen ("revoked=true\n"));
    flag[strlen ("revoked=true\n")] = '\0';
    new_contents = g_strconcat (test_entry, "\n", revoked, NULL);
    g_assert_true (g_file_set_contents (path, new_contents, -1, &error));
    g_assert_true (vital_keys_reload (keys, &error));
    g_assert_no_error (error);
    g_assert_null (vital_keys_lookup (keys, LIVE_KEY));
    info = vital_keys_lookup (keys, TEST_KEY);
    g_assert_nonnull (info);
  }
  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/keys/shape", test_shape);
  g_test_add_func ("/server/keys/memory", test_memory);
  g_test_add_func ("/server/keys/file", test_file);
  return g_test_run ();
}
