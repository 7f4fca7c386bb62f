/* vital-export-folder.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The folder results were last exported to, kept in the "export-folder" setting: the save
 * dialogs of the window and of History open there again. A folder that has gone since is not
 * offered (the dialog then opens where GTK would).
 */
#include "vital-export-folder.h"

/**
 * vital_export_folder_apply:
 * @chooser: a save dialog
 * @settings: (nullable): the app's settings (none: nothing is remembered)
 *
 * Opens @chooser in the folder of the last export, when there was one and it still exists.
 */
void
vital_export_folder_apply (GtkFileChooser *chooser,
                           GSettings      *settings)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) folder = NULL;

  if (settings == NULL)
    return;
  path = g_settings_get_string (settings, "export-folder");
  if (path[0] == '\0' || !g_file_test (path, G_FILE_TEST_IS_DIR))
    return;
  folder = g_file_new_for_path (path);
  gtk_file_chooser_set_current_folder (chooser, folder, NULL);
}

/**
 * vital_export_folder_remember:
 * @settings: (nullable): the app's settings (none: nothing is remembered)
 * @file: (transfer none): a file a result was just written to
 *
 * Keeps @file's folder for the next save dialog. Files without a local path (a portal's
 * document store, a remote location) leave the setting as it was.
 */
void
vital_export_folder_remember (GSettings *settings,
                              GFile     *file)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *path = parent != NULL ? g_file_get_path (parent) : NULL;

  if (settings != NULL && path != NULL)
    g_settings_set_string (settings, "export-folder", path);
}
