/* vital-history-view.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalHistoryView: the History page — the opt-in local history (SQLite, on this device only),
 * where a result is reopened in full, exported as CSV (one or many) and deleted (one, several
 * or all), and, when scans go to a remote server, that server's sessions between two dates
 * picked on a calendar, in the local time zone.
 */
#include "vital-config.h"

#include <glib/gi18n.h>

#include "vital-history-result-dialog.h"
#include "vital-history-view-private.h"

G_DEFINE_FINAL_TYPE (VitalHistoryView, vital_history_view, GTK_TYPE_WIDGET)

/**
 * vital_history_view_format_time:
 * @when: (nullable): a moment
 *
 * A date with its four-digit year and the time, in the local time zone and the user's
 * language (the format is translated: "27 Nov 2026, 14:05", "27. Nov. 2026, 14:05").
 *
 * Returns: (transfer full): the text, "—" for %NULL
 */
char *
vital_history_view_format_time (GDateTime *when)
{
  g_autoptr(GDateTime) local = NULL;

  if (when == NULL)
    return g_strdup ("—");
  local = g_date_time_to_local (when);
  /* Translators: a history row's date and time (GDateTime format; keep the four-digit %Y),
   * e.g. "27 Nov 2026, 14:05" */
  return g_date_time_format (local, C_("history time", "%-d %b %Y, %H:%M"));
}

void
vital_history_view_say (VitalHistoryView *self,
                        const char       *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  g_free (self->last_message);
  self->last_message = g_strdup (message);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
}

GtkWindow *
vital_history_view_parent_window (VitalHistoryView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

GtkWidget *
vital_history_view_dim_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static void
vital_history_view_dispose (GObject *object)
{
  VitalHistoryView *self = VITAL_HISTORY_VIEW (object);

  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_error (&self->store_error);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  if (self->result_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->result_dialog));
  if (self->confirm_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->confirm_dialog));
  g_clear_weak_pointer (&self->result_dialog);
  g_clear_weak_pointer (&self->confirm_dialog);
  g_clear_pointer (&self->server_status_text, g_free);
  g_clear_pointer (&self->last_message, g_free);
  g_clear_pointer (&self->demo_sessions, g_hash_table_unref);
  g_clear_pointer (&self->page, gtk_widget_unparent);
  g_clear_pointer (&self->local_readings, g_ptr_array_unref);
  g_clear_pointer (&self->local_checks, g_ptr_array_unref);
  g_clear_pointer (&self->local_ids, g_array_unref);

  G_OBJECT_CLASS (vital_history_view_parent_class)->dispose (object);
}

static void
vital_history_view_class_init (VitalHistoryViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vital_history_view_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
vital_history_view_init (VitalHistoryView *self)
{
  self->demo_sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->local_readings = g_ptr_array_new_with_free_func (g_object_unref);
  self->local_checks = g_ptr_array_new ();
  self->local_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->page = adw_preferences_page_new ();
  /* what a screen reader calls the page's scroller */
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self->page), _("History"));
  gtk_widget_set_parent (self->page, GTK_WIDGET (self));

  vital_history_view_build_local_group (self);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page),
                            ADW_PREFERENCES_GROUP (self->local_group));
  vital_history_view_build_server_group (self);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page),
                            ADW_PREFERENCES_GROUP (self->server_group));
  vital_history_view_reload_local (self);
  vital_history_view_refresh (self);
}

/**
 * vital_history_view_new:
 *
 * Returns: (transfer floating): a new history view
 */
GtkWidget *
vital_history_view_new (void)
{
  return g_object_new (VITAL_TYPE_HISTORY_VIEW, NULL);
}

/* ---- test hooks (vital-history-view-private.h) -------------------------------------------- */

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
 * @out_export: (out) (transfer none): "Export as CSV…"
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
