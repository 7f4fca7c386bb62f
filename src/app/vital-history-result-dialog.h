/* vital-history-result-dialog.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalHistoryResultDialog: one kept result reopened from History, in full.
 */
#pragma once

#include <adwaita.h>

#include "vital-results-panel.h"

G_BEGIN_DECLS

#define VITAL_TYPE_HISTORY_RESULT_DIALOG (vital_history_result_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VitalHistoryResultDialog, vital_history_result_dialog, VITAL,
                      HISTORY_RESULT_DIALOG, AdwWindow)

VitalHistoryResultDialog *vital_history_result_dialog_new       (GtkWindow    *parent,
                                                                 VitalReading *reading,
                                                                 const char   *title);
VitalResultsPanel        *vital_history_result_dialog_get_panel (VitalHistoryResultDialog *self);

G_END_DECLS
