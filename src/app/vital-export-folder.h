/* vital-export-folder.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The folder results were last exported to: the save dialogs open there again (a clinician
 * files every report in the same place).
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void vital_export_folder_apply    (GtkFileChooser *chooser,
                                   GSettings      *settings);
void vital_export_folder_remember (GSettings      *settings,
                                   GFile          *file);

G_END_DECLS
