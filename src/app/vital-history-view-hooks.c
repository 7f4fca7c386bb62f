/* vital-history-view-hooks.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The test hooks of VitalHistoryView (vital-history-view-private.h): what its lists show, its
 * buttons, calendars and dialogs, and the last toast it gave; those of the export are in
 * vital-history-view-export.c, beside what they stand in for.
 */
#include "vital-config.h"

#include "vital-history-view-private.h"

static AdwActionRow *
row_at (GtkWidget *list,
        guint      index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), (int) index);

  return ADW_IS_ACTION_ROW (row) ? ADW_ACTION_ROW (row) : NULL;
}

/**
 * vital_history_view_get_server_row_subtitle:
 * @self: a #VitalHistoryView
 * @index: a row of the server's sessions
 *
 * Returns: (transfer none) (nullable): what the row says under its date, %NULL past the end
 */
const char *
vital_history_view_get_server_row_subtitle (VitalHistoryView *self,
                                            guint             index)
{
  AdwActionRow *row;

  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), NULL);
  row = row_at (self->server_list, index);
  return row ? adw_action_row_get_subtitle (row) : NULL;
}

/**
 * vital_history_view_get_server_row_title:
 * @self: a #VitalHistoryView
 * @index: a row of the server's sessions
 *
 * Returns: (transfer none) (nullable): the row's date and time, %NULL past the end
 */
const char *
vital_history_view_get_server_row_title (VitalHistoryView *self,
                                         guint             index)
{
  AdwActionRow *row;

  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), NULL);
  row = row_at (self->server_list, index);
  return row ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)) : NULL;
}

/**
 * vital_history_view_get_local_row_subtitle:
 * @self: a #VitalHistoryView
 * @index: a row of the local history
 *
 * Returns: (transfer none) (nullable): what the row says under its date, %NULL past the end
 */
const char *
vital_history_view_get_local_row_subtitle (VitalHistoryView *self,
                                           guint             index)
{
  AdwActionRow *row;

  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), NULL);
  row = row_at (self->local_list, index);
  return row ? adw_action_row_get_subtitle (row) : NULL;
}

/**
 * vital_history_view_get_local_row:
 * @self: a #VitalHistoryView
 * @index: a row of the local history
 *
 * Returns: (transfer none) (nullable): the row (an #AdwActionRow), %NULL past the end
 */
GtkWidget *
vital_history_view_get_local_row (VitalHistoryView *self,
                                  guint             index)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), NULL);
  return (GtkWidget *) row_at (self->local_list, index);
}

/**
 * vital_history_view_get_local_row_delete_button:
 * @self: a #VitalHistoryView
 * @index: a row of the local history
 *
 * Returns: (transfer none) (nullable): the row's delete button
 */
GtkWidget *
vital_history_view_get_local_row_delete_button (VitalHistoryView *self,
                                                guint             index)
{
  GtkWidget *row = vital_history_view_get_local_row (self, index);

  return row != NULL ? g_object_get_data (G_OBJECT (row), "trash") : NULL;
}

/**
 * vital_history_view_get_enable_button:
 * @self: a #VitalHistoryView
 *
 * Returns: (transfer none): the button that turns local history on (visible while it is off)
 */
GtkWidget *
vital_history_view_get_enable_button (VitalHistoryView *self)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), NULL);
  return self->enable_button;
}

/**
 * vital_history_view_get_server_visible:
 * @self: a #VitalHistoryView
 *
 * Returns: %TRUE when the "Server Sessions" group is shown
 */
gboolean
vital_history_view_get_server_visible (VitalHistoryView *self)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), FALSE);
  return gtk_widget_get_visible (self->server_group);
}

/**
 * vital_history_view_get_select_button:
 * @self: a #VitalHistoryView
 *
 * Returns: (transfer none): the toggle button of selection mode
 */
GtkWidget *
vital_history_view_get_select_button (VitalHistoryView *self)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), NULL);
  return self->select_button;
}

/**
 * vital_history_view_get_selection_buttons:
 * @self: a #VitalHistoryView
 * @out_export: (out) (transfer none): the selection's "Export" menu button
 * @out_delete: (out) (transfer none): "Delete…"
 */
void
vital_history_view_get_selection_buttons (VitalHistoryView  *self,
                                          GtkWidget        **out_export,
                                          GtkWidget        **out_delete)
{
  g_return_if_fail (VITAL_IS_HISTORY_VIEW (self));
  *out_export = self->export_selected;
  *out_delete = self->delete_selected;
}

/**
 * vital_history_view_get_result_dialog:
 * @self: a #VitalHistoryView
 *
 * Returns: (transfer none) (nullable): the reopened result, while it is open
 */
VitalHistoryResultDialog *
vital_history_view_get_result_dialog (VitalHistoryView *self)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), NULL);
  return self->result_dialog;
}

/**
 * vital_history_view_get_confirm_dialog:
 * @self: a #VitalHistoryView
 *
 * Returns: (transfer none) (nullable): the open "Delete …?" question
 */
AdwMessageDialog *
vital_history_view_get_confirm_dialog (VitalHistoryView *self)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), NULL);
  return self->confirm_dialog;
}

/**
 * vital_history_view_get_calendar:
 * @self: a #VitalHistoryView
 * @last: %FALSE for the first day's calendar, %TRUE for the last day's
 *
 * Returns: (transfer none): the calendar in the date row's popover
 */
GtkWidget *
vital_history_view_get_calendar (VitalHistoryView *self,
                                 gboolean          last)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), NULL);
  return last ? self->to.calendar : self->from.calendar;
}

/**
 * vital_history_view_get_range_text:
 * @self: a #VitalHistoryView
 * @last: %FALSE for the first day, %TRUE for the last
 *
 * Returns: (transfer none): what the date row says ("Any day" or the day)
 */
const char *
vital_history_view_get_range_text (VitalHistoryView *self,
                                   gboolean          last)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), NULL);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (last ? self->to.row : self->from.row));
}

/**
 * vital_history_view_get_last_message:
 * @self: a #VitalHistoryView
 *
 * Returns: (transfer none) (nullable): the last toast the page gave
 */
const char *
vital_history_view_get_last_message (VitalHistoryView *self)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), NULL);
  return self->last_message;
}
