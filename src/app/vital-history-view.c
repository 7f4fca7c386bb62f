/* vital-history-view.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalHistoryView: the History page — the opt-in local history (SQLite, deletable with one
 * action) and the server's sessions.
 */
#include "vital-config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "vital-history-view.h"

#define LOCAL_LIMIT 200

struct _VitalHistoryView
{
  GtkWidget          parent_instance;

  GSettings         *settings;
  VitalHistoryStore *store;

  GtkWidget         *page;
  GtkWidget         *local_group;
  GtkWidget         *local_list;
  GtkWidget         *local_status;
  GtkWidget         *delete_button;
  guint              n_local_rows;
};

G_DEFINE_FINAL_TYPE (VitalHistoryView, vital_history_view, GTK_TYPE_WIDGET)

/**
 * vital_history_view_format_row:
 * @reading: a result
 *
 * Returns: (transfer full): the row subtitle: heart rate (when available) and confidence
 */
char *
vital_history_view_format_row (VitalReading *reading)
{
  double hr = vital_reading_get_value (reading, VITAL_KIND_HEART_RATE);

  if (vital_reading_is_fallback (reading) || isnan (hr))
    return g_strdup (vital_band_get_title (vital_reading_get_band (reading)));
  /* Translators: a history row, e.g. "72 bpm · High confidence" */
  return g_strdup_printf (_("%.0f bpm · %s"), hr,
                          vital_band_get_title (vital_reading_get_band (reading)));
}

static void
reload_local (VitalHistoryView *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  gboolean enabled = self->settings == NULL ||
                     g_settings_get_boolean (self->settings, "keep-local-history");

  while ((child = gtk_widget_get_first_child (self->local_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->local_list), child);
  self->n_local_rows = 0;

  if (self->store != NULL)
    rows = vital_history_store_list (self->store, LOCAL_LIMIT, &error);

  if (rows != NULL)
    for (guint i = 0; i < rows->len; i++)
      {
        VitalReading *r = g_ptr_array_index (rows, i);
        GtkWidget *row = adw_action_row_new ();
        g_autofree char *subtitle = vital_history_view_format_row (r);
        g_autofree char *title = NULL;
        GDateTime *when = vital_reading_get_completed_at (r);

        if (when != NULL)
          {
            g_autoptr(GDateTime) local = g_date_time_to_local (when);
            title = g_date_time_format (local, "%x %X");
          }
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title ? title : "—");
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
        gtk_list_box_append (GTK_LIST_BOX (self->local_list), row);
        self->n_local_rows++;
      }

  gtk_widget_set_visible (self->local_list, self->n_local_rows > 0);
  gtk_widget_set_sensitive (self->delete_button, self->n_local_rows > 0);
  if (error != NULL)
    gtk_label_set_label (GTK_LABEL (self->local_status), error->message);
  else if (!enabled)
    gtk_label_set_label (GTK_LABEL (self->local_status),
                         _("Local history is off. Turn it on in Preferences to keep results on "
                           "this device."));
  else
    gtk_label_set_label (GTK_LABEL (self->local_status), _("No results kept on this device yet."));
  gtk_widget_set_visible (self->local_status, self->n_local_rows == 0 || error != NULL);
}

static void
delete_response (AdwMessageDialog *dialog,
                 const char       *response,
                 gpointer          user_data)
{
  VitalHistoryView *self = user_data;

  if (g_strcmp0 (response, "delete") == 0)
    {
      g_autoptr(GError) error = NULL;
      if (!vital_history_view_delete_local (self, &error))
        g_warning ("%s", error->message);
    }
}

static void
delete_clicked (GtkButton        *button,
                VitalHistoryView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Delete Local History?"),
                                   _("Every result kept on this device is deleted. This "
                                     "cannot be undone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (delete_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
keep_history_changed (GSettings        *settings,
                      const char       *key,
                      VitalHistoryView *self)
{
  if (g_settings_get_boolean (settings, "keep-local-history") && self->store == NULL)
    {
      g_autofree char *path = vital_history_store_default_path ();
      g_autoptr(GError) error = NULL;
      self->store = vital_history_store_open (path, &error);
      if (self->store == NULL)
        g_warning ("%s", error->message);
    }
  reload_local (self);
}

static void
vital_history_view_dispose (GObject *object)
{
  VitalHistoryView *self = VITAL_HISTORY_VIEW (object);

  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_pointer (&self->page, gtk_widget_unparent);

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
  GtkWidget *box;

  self->page = adw_preferences_page_new ();
  gtk_widget_set_parent (self->page, GTK_WIDGET (self));

  self->local_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->local_group),
                                   _("On This Device"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->local_group),
                                         _("Results kept locally, newest first."));
  self->delete_button = gtk_button_new_with_mnemonic (_("_Delete All"));
  gtk_widget_add_css_class (self->delete_button, "destructive-action");
  gtk_widget_set_valign (self->delete_button, GTK_ALIGN_CENTER);
  g_signal_connect (self->delete_button, "clicked", G_CALLBACK (delete_clicked), self);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self->local_group),
                                           self->delete_button);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->local_list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->local_list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->local_list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->local_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Local history"), -1);
  self->local_status = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->local_status), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->local_status), 0);
  gtk_widget_add_css_class (self->local_status, "dim-label");
  gtk_box_append (GTK_BOX (box), self->local_status);
  gtk_box_append (GTK_BOX (box), self->local_list);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->local_group), box);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page),
                            ADW_PREFERENCES_GROUP (self->local_group));
  reload_local (self);
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

/**
 * vital_history_view_set_settings:
 * @self: a #VitalHistoryView
 * @settings: the app's settings; "keep-local-history" opens the default store
 *
 * Follows the local-history setting.
 */
void
vital_history_view_set_settings (VitalHistoryView *self,
                                 GSettings        *settings)
{
  g_return_if_fail (VITAL_IS_HISTORY_VIEW (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_set_object (&self->settings, settings);
  g_signal_connect (settings, "changed::keep-local-history",
                    G_CALLBACK (keep_history_changed), self);
  keep_history_changed (settings, "keep-local-history", self);
}

/**
 * vital_history_view_set_store:
 * @self: a #VitalHistoryView
 * @store: (nullable): the local store to show
 *
 * Uses @store instead of the default one (tests, other locations).
 */
void
vital_history_view_set_store (VitalHistoryView  *self,
                              VitalHistoryStore *store)
{
  g_return_if_fail (VITAL_IS_HISTORY_VIEW (self));
  g_set_object (&self->store, store);
  reload_local (self);
}

/**
 * vital_history_view_get_store:
 * @self: a #VitalHistoryView
 *
 * Returns: (transfer none) (nullable): the local store, when local history is on
 */
VitalHistoryStore *
vital_history_view_get_store (VitalHistoryView *self)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), NULL);
  return self->store;
}

/**
 * vital_history_view_add_local:
 * @self: a #VitalHistoryView
 * @reading: a result
 * @error: return location for a #GError
 *
 * Keeps @reading in the local history (when there is a store) and shows it.
 *
 * Returns: %FALSE with @error set when storing failed
 */
gboolean
vital_history_view_add_local (VitalHistoryView  *self,
                              VitalReading      *reading,
                              GError           **error)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), FALSE);

  if (self->store == NULL)
    return TRUE;
  if (!vital_history_store_add (self->store, reading, error))
    return FALSE;
  reload_local (self);
  return TRUE;
}

/**
 * vital_history_view_delete_local:
 * @self: a #VitalHistoryView
 * @error: return location for a #GError
 *
 * Deletes every locally kept result.
 *
 * Returns: %FALSE with @error set on failure
 */
gboolean
vital_history_view_delete_local (VitalHistoryView  *self,
                                 GError           **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), FALSE);

  if (self->store != NULL)
    ok = vital_history_store_clear (self->store, error);
  reload_local (self);
  return ok;
}

/**
 * vital_history_view_get_n_local_rows:
 * @self: a #VitalHistoryView
 *
 * Returns: how many local results are listed
 */
guint
vital_history_view_get_n_local_rows (VitalHistoryView *self)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), 0);
  return self->n_local_rows;
}
