/* vital-test-util.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers shared by the test programs (and the cluster bench's PostgreSQL harness): GLib and
 * GIO only.
 */
#include <glib/gstdio.h>

#include "vital-test-util.h"

/**
 * vital_test_remove_tree:
 * @path: (type filename): a file or a folder, which may not exist
 *
 * Deletes @path and, for a folder, everything below it. Links are deleted, not followed.
 */
void
vital_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      vital_test_remove_tree (child);
    }
  g_rmdir (path);
}
