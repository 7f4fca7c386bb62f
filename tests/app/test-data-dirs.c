/* test-data-dirs.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where the app looks for its schema, translations and icons, for a binary in the build tree,
 * at its configured prefix and under another prefix (made-up trees in a temporary folder).
 */
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "app-test-util.h"
#include "vital-data-dirs.h"

#define PREFIX "/usr/local"
#define LOCALEDIR "/usr/local/share/locale"

static void
test_build_tree (void)
{
  g_autoptr(VitalDataDirs) dirs =
    vital_data_dirs_find ("/b/src/app/vitalscan", "/b", "/s", PREFIX, LOCALEDIR);

  g_assert_cmpstr (dirs->schema_dir, ==, "/b/data");
  g_assert_cmpstr (dirs->locale_dir, ==, "/b/po");
  g_assert_cmpstr (dirs->icon_dir, ==, "/s/data/icons");
}

static void
test_configured_prefix (void)
{
  g_autoptr(VitalDataDirs) dirs =
    vital_data_dirs_find (PREFIX "/bin/vitalscan", "/b", "/s", PREFIX, LOCALEDIR);
  g_autoptr(VitalDataDirs) unknown = vital_data_dirs_find (NULL, "/b", "/s", PREFIX, LOCALEDIR);

  /* the system's own paths find everything */
  g_assert_null (dirs->schema_dir);
  g_assert_cmpstr (dirs->locale_dir, ==, LOCALEDIR);
  g_assert_null (dirs->icon_dir);
  g_assert_null (unknown->schema_dir);
  g_assert_cmpstr (unknown->locale_dir, ==, LOCALEDIR);
}

static void
test_other_prefix (void)
{
  g_autofree char *root = g_dir_make_tmp ("vitalscan-dirs-XXXXXX", NULL);
  g_autofree char *exe = g_build_filename (root, "bin", "vitalscan", NULL);
  g_autofree char *schemas = g_build_filename (root, "share", "glib-2.0", "schemas", NULL);
  g_autofree char *locale = g_build_filename (root, "share", "locale", NULL);
  g_autofree char *icons = g_build_filename (root, "share", "icons", NULL);
  g_autoptr(VitalDataDirs) bare = NULL;
  g_autoptr(VitalDataDirs) dirs = NULL;
  const char *made[] = { locale, icons, schemas };

  /* nothing installed next to the binary: the configured folders, nothing added */
  bare = vital_data_dirs_find (exe, "/b", "/s", PREFIX, LOCALEDIR);
  g_assert_null (bare->schema_dir);
  g_assert_cmpstr (bare->locale_dir, ==, LOCALEDIR);
  g_assert_null (bare->icon_dir);

  for (guint i = 0; i < G_N_ELEMENTS (made); i++)
    g_assert_cmpint (g_mkdir_with_parents (made[i], 0700), ==, 0);
  dirs = vital_data_dirs_find (exe, "/b", "/s", PREFIX, LOCALEDIR);
  g_assert_cmpstr (dirs->schema_dir, ==, schemas);
  g_assert_cmpstr (dirs->locale_dir, ==, locale);
  g_assert_cmpstr (dirs->icon_dir, ==, icons);

  for (guint i = G_N_ELEMENTS (made); i > 0; i--)
    g_rmdir (made[i - 1]);
  g_rmdir (schemas);
  {
    g_autofree char *glib = g_path_get_dirname (schemas);
    g_autofree char *share = g_path_get_dirname (glib);
    g_rmdir (glib);
    g_rmdir (share);
  }
  g_rmdir (root);
}

/* No schema anywhere: a sentence saying how to install, not GSettings' abort (in a process of
 * its own: it changes XDG_DATA_DIRS). */
static void
test_missing_schema (void)
{
  g_autofree char *empty = g_dir_make_tmp ("vitalscan-noschema-XXXXXX", NULL);
  VitalDataDirs dirs = { .schema_dir = empty, .locale_dir = (char *) LOCALEDIR };
  g_autoptr(GError) error = NULL;

  g_setenv ("XDG_DATA_DIRS", empty, TRUE);
  g_unsetenv ("GSETTINGS_SCHEMA_DIR");
  g_assert_false (vital_data_dirs_apply (&dirs, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "meson install"));
  g_rmdir (empty);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/data-dirs/build-tree", test_build_tree);
  g_test_add_func ("/app/data-dirs/configured-prefix", test_configured_prefix);
  g_test_add_func ("/app/data-dirs/other-prefix", test_other_prefix);
  app_test_add_isolated ("/app/data-dirs/missing-schema", test_missing_schema);
  return g_test_run ();
}
