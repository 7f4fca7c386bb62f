/* vital-history-view.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalHistoryView: the History page — the opt-in local history (SQLite, on this device only),
 * where a result is reopened in full, exported (one in any format, many as a CSV table or one
 * FHIR Bundle) and deleted (one, several or all), and, when scans go to a remote server, that
 * server's sessions between two dates picked on a calendar, in the local time zone. This file
 * holds the object itself: its page of two groups (vital-history-view-local.c and -server.c),
 * its rows' dates, its toasts and its lifetime.
 */
#include "vital-config.h"

#include <glib/gi18n.h>

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
  vital_history_view_class_add_export_actions (widget_class);
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
