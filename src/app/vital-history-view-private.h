/* vital-history-view-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test hooks of VitalHistoryView: what its lists show, its buttons and dialogs, and where the
 * save dialog's answer goes. The application itself never includes this header.
 */
#pragma once

#include "vital-history-result-dialog.h"
#include "vital-history-view.h"

G_BEGIN_DECLS

const char *vital_history_view_get_server_row_subtitle (VitalHistoryView *self,
                                                        guint             index);
const char *vital_history_view_get_server_row_title    (VitalHistoryView *self,
                                                        guint             index);
const char *vital_history_view_get_local_row_subtitle  (VitalHistoryView *self,
                                                        guint             index);
GtkWidget  *vital_history_view_get_local_row           (VitalHistoryView *self,
                                                        guint             index);
GtkWidget  *vital_history_view_get_local_row_delete_button (VitalHistoryView *self,
                                                            guint             index);
GtkWidget  *vital_history_view_get_enable_button       (VitalHistoryView *self);
gboolean    vital_history_view_get_server_visible      (VitalHistoryView *self);
GtkWidget  *vital_history_view_get_select_button       (VitalHistoryView *self);
void        vital_history_view_get_selection_buttons   (VitalHistoryView  *self,
                                                        GtkWidget        **out_export,
                                                        GtkWidget        **out_delete);
void        vital_history_view_export_selected_to_file (VitalHistoryView *self,
                                                        GFile            *file);
void        vital_history_view_export_shown_to_file    (VitalHistoryView *self,
                                                        GFile            *file);
VitalHistoryResultDialog *vital_history_view_get_result_dialog (VitalHistoryView *self);
AdwMessageDialog *vital_history_view_get_confirm_dialog (VitalHistoryView *self);
GtkWidget  *vital_history_view_get_calendar            (VitalHistoryView *self,
                                                        gboolean          last);
const char *vital_history_view_get_range_text          (VitalHistoryView *self,
                                                        gboolean          last);
const char *vital_history_view_get_last_message        (VitalHistoryView *self);

G_END_DECLS
