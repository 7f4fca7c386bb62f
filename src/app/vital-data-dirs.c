/* vital-data-dirs.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where the app finds its settings schema, translations and icons. Installed where it was
 * configured to go, the system's defaults find everything. Installed under another prefix
 * (`meson install --destdir`, an unpacked tarball), the files sit next to the binary in
 * <prefix>/share. Started from the build tree (`build/src/app/vitalscan`, as the README says),
 * they are in the build tree's data/ and po/ and the source tree's icons: without this the app
 * aborted on its missing schema.
 */
#include "vital-config.h"

#include "vital-data-dirs.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <libintl.h>

static gboolean
is_dir (const char *path)
{
  return g_file_test (path, G_FILE_TEST_IS_DIR);
}

/**
 * vital_data_dirs_find:
 * @exe_path: the running binary's absolute path, or %NULL when unknown
 * @build_dir: the meson build root the binary was built in
 * @source_dir: the source root it was built from
 * @prefix: the prefix it was configured for
 * @locale_dir: the locale folder it was configured for
 *
 * Decides where the app's data lives for a binary at @exe_path. Pure apart from looking at
 * which folders exist, so that tests can hand it made-up trees.
 *
 * Returns: (transfer full): the folders; free with vital_data_dirs_free()
 */
VitalDataDirs *
vital_data_dirs_find (const char *exe_path,
                      const char *build_dir,
                      const char *source_dir,
                      const char *prefix,
                      const char *locale_dir)
{
  VitalDataDirs *dirs = g_new0 (VitalDataDirs, 1);
  g_autofree char *exe_dir = exe_path != NULL ? g_path_get_dirname (exe_path) : NULL;
  g_autofree char *built_app_dir = g_build_filename (build_dir, "src", "app", NULL);
  g_autofree char *exe_prefix = NULL;
  g_autofree char *share = NULL;
  g_autofree char *schemas = NULL;
  g_autofree char *locale = NULL;
  g_autofree char *icons = NULL;

  if (exe_dir != NULL && g_str_equal (exe_dir, built_app_dir))
    {
      dirs->schema_dir = g_build_filename (build_dir, "data", NULL);
      dirs->locale_dir = g_build_filename (build_dir, "po", NULL);
      dirs->icon_dir = g_build_filename (source_dir, "data", "icons", NULL);
      return dirs;
    }

  dirs->locale_dir = g_strdup (locale_dir);
  if (exe_dir == NULL)
    return dirs;
  exe_prefix = g_path_get_dirname (exe_dir);
  if (g_str_equal (exe_prefix, prefix))
    return dirs;

  /* installed under another prefix: <prefix>/bin/vitalscan and <prefix>/share/… */
  share = g_build_filename (exe_prefix, "share", NULL);
  schemas = g_build_filename (share, "glib-2.0", "schemas", NULL);
  locale = g_build_filename (share, "locale", NULL);
  icons = g_build_filename (share, "icons", NULL);
  if (is_dir (schemas))
    dirs->schema_dir = g_steal_pointer (&schemas);
  if (is_dir (locale))
    {
      g_free (dirs->locale_dir);
      dirs->locale_dir = g_steal_pointer (&locale);
    }
  if (is_dir (icons))
    dirs->icon_dir = g_steal_pointer (&icons);
  return dirs;
}

/**
 * vital_data_dirs_find_for_self:
 *
 * vital_data_dirs_find() for the running binary (/proc/self/exe) and the folders it was
 * configured with.
 *
 * Returns: (transfer full): the folders; free with vital_data_dirs_free()
 */
VitalDataDirs *
vital_data_dirs_find_for_self (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  return vital_data_dirs_find (exe, VITAL_BUILD_DIR, VITAL_SOURCE_DIR, VITAL_PREFIX,
                               VITAL_LOCALEDIR);
}

/**
 * vital_data_dirs_apply:
 * @dirs: what vital_data_dirs_find() decided
 * @error: return location for a #GError
 *
 * Binds the translations and adds the schema folder (unless GSETTINGS_SCHEMA_DIR was set by
 * whoever started the app: tests and `make run` do). Call it first thing in main(), before any
 * thread or GSettings exists. The icon folder is added by the application once it has a
 * display.
 *
 * Returns: %TRUE when the app's settings schema can be found; otherwise @error says how to
 *   install it (GSettings would abort the app on the first g_settings_new())
 */
gboolean
vital_data_dirs_apply (const VitalDataDirs  *dirs,
                       GError              **error)
{
  GSettingsSchemaSource *source;
  g_autoptr(GSettingsSchema) schema = NULL;

  bindtextdomain (GETTEXT_PACKAGE, dirs->locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (dirs->schema_dir != NULL && g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    g_setenv ("GSETTINGS_SCHEMA_DIR", dirs->schema_dir, TRUE);

  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, VITAL_APP_ID, TRUE);
  if (schema == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The settings schema “%s” is not installed. Install Vitalscan "
                     "(meson install), or start it with “make run”."), VITAL_APP_ID);
      return FALSE;
    }
  return TRUE;
}

/**
 * vital_data_dirs_free:
 * @dirs: (transfer full) (nullable): the folders
 */
void
vital_data_dirs_free (VitalDataDirs *dirs)
{
  if (dirs == NULL)
    return;
  g_free (dirs->schema_dir);
  g_free (dirs->locale_dir);
  g_free (dirs->icon_dir);
  g_free (dirs);
}
