/* vital-data-dirs.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where the app finds its settings schema, translations and icons: installed under the prefix
 * it was configured for, installed (or unpacked) under another prefix, or run from the build
 * tree as the README says.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VITAL_APP_ID "io.github.vitalscan.Vitalscan"

typedef struct
{
  char *schema_dir;   /* a folder to add to GSettings' schema path, or NULL */
  char *locale_dir;   /* what bindtextdomain() gets */
  char *icon_dir;     /* a folder to add to the icon theme's search path, or NULL */
} VitalDataDirs;

VitalDataDirs *vital_data_dirs_find         (const char          *exe_path,
                                             const char          *build_dir,
                                             const char          *source_dir,
                                             const char          *prefix,
                                             const char          *locale_dir);
VitalDataDirs *vital_data_dirs_find_for_self (void);
gboolean       vital_data_dirs_apply        (const VitalDataDirs *dirs,
                                             GError             **error);
void           vital_data_dirs_free         (VitalDataDirs       *dirs);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalDataDirs, vital_data_dirs_free)

G_END_DECLS
