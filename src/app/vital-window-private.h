/* vital-window-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test hooks of VitalWindow: what the app's tests and benches read off the window's pages.
 * The application itself never includes this header.
 */
#pragma once

#include "vital-export.h"
#include "vital-window.h"

G_BEGIN_DECLS

VitalResultsPanel *vital_window_get_results_panel  (VitalWindow      *self);
const char        *vital_window_get_error_title    (VitalWindow      *self);
const char        *vital_window_get_error_description (VitalWindow   *self);
gboolean           vital_window_get_retry_visible  (VitalWindow      *self);
gboolean           vital_window_get_preferences_visible (VitalWindow *self);
const char        *vital_window_get_progress_text  (VitalWindow      *self);
gboolean           vital_window_get_history_available (VitalWindow   *self);
const char        *vital_window_get_demo_notice    (VitalWindow      *self);
const char        *vital_window_get_last_toast     (VitalWindow      *self);
gboolean           vital_window_get_process_locally_visible (VitalWindow *self);
const char        *vital_window_get_processing_text (VitalWindow     *self);
double             vital_window_get_processing_fraction (VitalWindow *self);
void               vital_window_export_to_file     (VitalWindow      *self,
                                                    VitalExportFormat format,
                                                    GFile            *file);

G_END_DECLS
