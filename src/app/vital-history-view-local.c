/* vital-history-view-local.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The local history list of VitalHistoryView ("On This Device"): its rows (the main vitals at
 * a glance), a result reopened in full, selection mode, deleting one, several or all results
 * (asked first), and what the page says while local history is off.
 */
#include "vital-config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "vital-history-view-private.h"

#define LOCAL_LIMIT 200

static void
append_part (GString    *text,
             const char *part)
{
  if (text->len > 0)
    g_string_append (text, " · ");
  g_string_append (text, part);
}

/**
 * vital_history_view_format_row:
 * @reading: a result
 *
 * The main vitals of @reading, for a glance: heart rate, breathing, SpO₂ and blood pressure
 * when measured, then the heart rate's confidence; a demo scan says so first.
 *
 * Returns: (transfer full): the row subtitle
 */
char *
vital_history_view_format_row (VitalReading *reading)
{
  g_autoptr(GString) text = g_string_new (NULL);
  double hr = vital_reading_get_value (reading, VITAL_MEASURE_HEART_RATE);
  double rr = vital_reading_get_value (reading, VITAL_MEASURE_RESPIRATORY_RATE);
  double spo2 = vital_reading_get_value (reading, VITAL_MEASURE_SPO2);
  double sys = vital_reading_get_value (reading, VITAL_MEASURE_SYSTOLIC_BP);
  double dia = vital_reading_get_value (reading, VITAL_MEASURE_DIASTOLIC_BP);

  if (vital_reading_is_demo (reading))
    /* Translators: a history row of a scan of the demo subject starts so */
    append_part (text, _("Demo scan"));
  if (!vital_reading_is_fallback (reading))
    {
      g_autofree char *part = NULL;

      if (!isnan (hr))
        {
          /* Translators: a history row, e.g. "72 bpm" */
          g_autofree char *p = g_strdup_printf (_("%.0f bpm"), hr);
          append_part (text, p);
        }
      if (!isnan (rr))
        {
          /* Translators: a history row, e.g. "15 breaths/min" */
          g_autofree char *p = g_strdup_printf (_("%.0f breaths/min"), rr);
          append_part (text, p);
        }
      if (!isnan (spo2))
        {
          /* Translators: a history row, e.g. "SpO₂ 97 %" */
          g_autofree char *p = g_strdup_printf (_("SpO₂ %.0f %%"), spo2);
          append_part (text, p);
        }
      if (!isnan (sys) && !isnan (dia))
        {
          /* Translators: a history row, blood pressure, e.g. "BP 118/76 mmHg" */
          g_autofree char *p = g_strdup_printf (_("BP %.0f/%.0f mmHg"), sys, dia);
          append_part (text, p);
        }
    }
  append_part (text, vital_band_get_title (vital_reading_get_band (reading)));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ---- selection ---------------------------------------------------------------------------- */

GArray *
vital_history_view_selected_indices (VitalHistoryView *self)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < self->local_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->local_checks, i)))
      g_array_append_val (out, i);
  return out;
}

static void
update_selection (VitalHistoryView *self)
{
  g_autoptr(GArray) sel = vital_history_view_selected_indices (self);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->selection_bar, self->selecting);
  gtk_widget_set_sensitive (self->export_selected, sel->len > 0);
  gtk_widget_set_sensitive (self->delete_selected, sel->len > 0);
  gtk_widget_set_visible (self->select_button, self->local_readings->len > 0);
  if (self->selecting)
    /* Translators: how many history rows are selected */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u result selected",
                                         "%u results selected", sel->len), sel->len);
  else
    text = g_strdup (_("Results kept on this device only, newest first."));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->local_group), text);
}

static void
set_selecting (VitalHistoryView *self,
               gboolean          selecting)
{
  if (self->local_readings->len == 0)
    selecting = FALSE;
  self->selecting = selecting;
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->select_button)) != selecting)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->select_button), selecting);
  for (guint i = 0; i < self->local_checks->len; i++)
    {
      GtkWidget *check = g_ptr_array_index (self->local_checks, i);
      GtkWidget *row = gtk_widget_get_ancestor (check, ADW_TYPE_ACTION_ROW);
      GtkWidget *trash = g_object_get_data (G_OBJECT (row), "trash");

      gtk_widget_set_visible (check, selecting);
      gtk_widget_set_visible (trash, !selecting);
      if (!selecting)
        gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
    }
  gtk_widget_set_visible (self->delete_button, !selecting && self->local_readings->len > 0);
  update_selection (self);
}

static void
select_toggled (GtkToggleButton  *button,
                VitalHistoryView *self)
{
  if (gtk_toggle_button_get_active (button) != self->selecting)
    set_selecting (self, gtk_toggle_button_get_active (button));
}

static void
select_all_clicked (VitalHistoryView *self)
{
  for (guint i = 0; i < self->local_checks->len; i++)
    gtk_check_button_set_active (g_ptr_array_index (self->local_checks, i), TRUE);
}

/* ---- delete ------------------------------------------------------------------------------- */

static gboolean
destroy_window_cb (gpointer window)
{
  gtk_window_destroy (window);
  return G_SOURCE_REMOVE;
}

static void
delete_ids_response (AdwMessageDialog *dialog,
                     const char       *response,
                     VitalHistoryView *self)
{
  GArray *ids = g_object_get_data (G_OBJECT (dialog), "ids");
  gboolean all = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "all"));
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "delete") != 0 || self->store == NULL)
    return;
  if (all ? !vital_history_store_clear (self->store, &error)
          : !vital_history_store_delete (self->store, (const gint64 *) ids->data, ids->len,
                                         &error))
    {
      vital_history_view_say (self, error->message);
      return;
    }
  /* The reopened result is gone too; closed once the question (transient for it) is. */
  if (self->result_dialog != NULL)
    g_idle_add_full (G_PRIORITY_DEFAULT, destroy_window_cb, g_object_ref (self->result_dialog),
                     g_object_unref);
  vital_history_view_reload_local (self);
  /* Translators: a toast after deleting from the local history */
  vital_history_view_say (self, g_dngettext (GETTEXT_PACKAGE, "Result deleted",
                                             "Results deleted", all ? 2 : ids->len));
}

/* Asks before deleting: what is deleted from this device cannot be brought back. */
static void
confirm_delete (VitalHistoryView *self,
                GArray           *ids,
                gboolean          all,
                GtkWindow        *parent)
{
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (all)
    heading = g_strdup (_("Delete All Results?"));
  else
    /* Translators: the heading of the confirmation before deleting from the local history */
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Delete %u Result?",
                                            "Delete %u Results?", ids->len), ids->len);
  dialog = adw_message_dialog_new (parent, heading,
                                   all ? _("Every result kept on this device is deleted. This "
                                           "cannot be undone.")
                                       : _("They are deleted from this device. This cannot be "
                                           "undone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "ids", g_array_ref (ids),
                          (GDestroyNotify) g_array_unref);
  g_object_set_data (G_OBJECT (dialog), "all", GINT_TO_POINTER (all));
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_ids_response), self, 0);
  g_set_weak_pointer (&self->confirm_dialog, ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
confirm_delete_reading (VitalHistoryView *self,
                        VitalReading     *reading,
                        GtkWindow        *parent)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < self->local_readings->len; i++)
    if (g_ptr_array_index (self->local_readings, i) == reading)
      g_array_append_val (ids, g_array_index (self->local_ids, gint64, i));
  if (ids->len > 0)
    confirm_delete (self, ids, FALSE, parent);
}

static void
delete_selected_clicked (VitalHistoryView *self)
{
  g_autoptr(GArray) sel = vital_history_view_selected_indices (self);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < sel->len; i++)
    g_array_append_val (ids, g_array_index (self->local_ids, gint64,
                                            g_array_index (sel, guint, i)));
  if (ids->len > 0)
    confirm_delete (self, ids, FALSE, vital_history_view_parent_window (self));
}

static void
delete_all_clicked (VitalHistoryView *self)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  confirm_delete (self, ids, TRUE, vital_history_view_parent_window (self));
}

static void
row_trash_clicked (GtkButton        *button,
                   VitalHistoryView *self)
{
  VitalReading *reading = g_object_get_data (G_OBJECT (button), "reading");

  confirm_delete_reading (self, reading, vital_history_view_parent_window (self));
}

/* ---- reopening a result ------------------------------------------------------------------- */

static void
dialog_export (VitalHistoryResultDialog *dialog,
               VitalExportFormat         format,
               VitalHistoryView         *self)
{
  g_autoptr(GPtrArray) readings = g_ptr_array_new_with_free_func (g_object_unref);
  VitalReading *reading = vital_results_panel_get_reading (
    vital_history_result_dialog_get_panel (dialog));

  g_ptr_array_add (readings, g_object_ref (reading));
  vital_history_view_choose_export_file (self, readings, format);
}

static void
dialog_delete (VitalHistoryResultDialog *dialog,
               VitalHistoryView         *self)
{
  confirm_delete_reading (self,
                          vital_results_panel_get_reading (
                            vital_history_result_dialog_get_panel (dialog)),
                          GTK_WINDOW (dialog));
}

static void
open_reading (VitalHistoryView *self,
              VitalReading     *reading)
{
  g_autofree char *when = vital_history_view_format_time (vital_reading_get_completed_at (reading));
  VitalHistoryResultDialog *dialog;

  if (self->result_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->result_dialog));
  dialog = vital_history_result_dialog_new (vital_history_view_parent_window (self), reading,
                                            when);
  g_signal_connect_object (dialog, "export", G_CALLBACK (dialog_export), self, 0);
  g_signal_connect_object (dialog, "delete", G_CALLBACK (dialog_delete), self, 0);
  g_set_weak_pointer (&self->result_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
local_row_activated (GtkListBox       *list,
                     GtkListBoxRow    *row,
                     VitalHistoryView *self)
{
  int index = gtk_list_box_row_get_index (row);

  if (index < 0 || (guint) index >= self->local_readings->len)
    return;
  if (self->selecting)
    {
      GtkCheckButton *check = g_ptr_array_index (self->local_checks, index);
      gtk_check_button_set_active (check, !gtk_check_button_get_active (check));
      return;
    }
  open_reading (self, g_ptr_array_index (self->local_readings, index));
}

/* ---- the local list ----------------------------------------------------------------------- */

static GtkWidget *
local_row_new (VitalHistoryView *self,
               VitalReading     *reading)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *trash = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *subtitle = vital_history_view_format_row (reading);
  GDateTime *when = vital_reading_get_completed_at (reading);
  g_autofree char *title = vital_history_view_format_time (when);
  g_autofree char *select_name = NULL, *delete_name = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  /* Translators: the name of a history row's check box, e.g. "Select 27 Nov 2026, 14:05" */
  select_name = g_strdup_printf (_("Select %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  select_name, -1);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (check, self->selecting);
  g_signal_connect_swapped (check, "toggled", G_CALLBACK (update_selection), self);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);

  /* Translators: the name of a history row's delete button, e.g. "Delete 27 Nov 2026, 14:05" */
  delete_name = g_strdup_printf (_("Delete %s"), title);
  gtk_widget_set_tooltip_text (trash, _("Delete"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (trash), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  delete_name, -1);
  gtk_widget_add_css_class (trash, "flat");
  gtk_widget_set_valign (trash, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (trash, !self->selecting);
  g_object_set_data_full (G_OBJECT (trash), "reading", g_object_ref (reading), g_object_unref);
  g_signal_connect (trash, "clicked", G_CALLBACK (row_trash_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), trash);
  g_object_set_data (G_OBJECT (row), "trash", trash);
  g_ptr_array_add (self->local_checks, check);
  return row;
}

void
vital_history_view_reload_local (VitalHistoryView *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  gboolean enabled = self->settings == NULL ||
                     g_settings_get_boolean (self->settings, "keep-local-history");

  while ((child = gtk_widget_get_first_child (self->local_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->local_list), child);
  g_ptr_array_set_size (self->local_readings, 0);
  g_ptr_array_set_size (self->local_checks, 0);
  g_array_set_size (self->local_ids, 0);

  if (self->store != NULL)
    rows = vital_history_store_list_with_ids (self->store, LOCAL_LIMIT, &ids, &error);
  else if (enabled && self->store_error != NULL)
    error = g_error_copy (self->store_error);

  if (rows != NULL)
    for (guint i = 0; i < rows->len; i++)
      {
        VitalReading *r = g_ptr_array_index (rows, i);

        gtk_list_box_append (GTK_LIST_BOX (self->local_list), local_row_new (self, r));
        g_ptr_array_add (self->local_readings, g_object_ref (r));
        g_array_append_val (self->local_ids, g_array_index (ids, gint64, i));
        vital_history_view_note_demo_session (self, r);
      }

  gtk_widget_set_visible (self->off_box, !enabled && self->local_readings->len == 0);
  gtk_widget_set_sensitive (self->enable_button, self->settings != NULL);
  gtk_widget_set_visible (self->local_list, self->local_readings->len > 0);
  if (error != NULL)
    gtk_label_set_label (GTK_LABEL (self->local_status), error->message);
  else
    gtk_label_set_label (GTK_LABEL (self->local_status),
                         _("No results yet: each scan's result will be kept here."));
  gtk_widget_set_visible (self->local_status,
                          error != NULL || (enabled && self->local_readings->len == 0));
  set_selecting (self, self->selecting);
}

static void
open_default_store (VitalHistoryView *self)
{
  g_autofree char *path = vital_history_store_default_path ();

  g_clear_error (&self->store_error);
  self->store = vital_history_store_open (path, &self->store_error);
}

static void
keep_history_changed (GSettings        *settings,
                      const char       *key,
                      VitalHistoryView *self)
{
  if (g_settings_get_boolean (settings, "keep-local-history") && self->store == NULL)
    open_default_store (self);
  vital_history_view_reload_local (self);
}

static void
enable_clicked (VitalHistoryView *self)
{
  if (self->settings != NULL)
    g_settings_set_boolean (self->settings, "keep-local-history", TRUE);
}

static GtkWidget *
build_off_box (VitalHistoryView *self)
{
  GtkWidget *box, *icon, *title, *text;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  icon = gtk_image_new_from_icon_name ("document-open-recent-symbolic");
  gtk_image_set_pixel_size (GTK_IMAGE (icon), 64);
  gtk_widget_add_css_class (icon, "dim-label");
  title = gtk_label_new (_("Keep Results on This Device?"));
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_justify (GTK_LABEL (title), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (title, "title-2");
  text = gtk_label_new (_("Local history is off. When it is on, each result is kept on this "
                          "device only, in your user folder: when it was measured, the vital "
                          "signs, how sure each one is and whether it was a demo scan — no "
                          "images, no names. Nothing is sent anywhere. You can reopen, export "
                          "and delete results here, and turn history off in Preferences."));
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_justify (GTK_LABEL (text), GTK_JUSTIFY_CENTER);
  gtk_label_set_max_width_chars (GTK_LABEL (text), 60);
  self->enable_button = gtk_button_new_with_mnemonic (_("_Keep Results on This Device"));
  gtk_widget_add_css_class (self->enable_button, "pill");
  gtk_widget_add_css_class (self->enable_button, "suggested-action");
  gtk_widget_set_halign (self->enable_button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (self->enable_button, "clicked", G_CALLBACK (enable_clicked), self);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), self->enable_button);
  return box;
}

void
vital_history_view_build_local_group (VitalHistoryView *self)
{
  GtkWidget *box, *select_all, *bottom;
  g_autoptr(GMenu) export_menu = NULL;

  self->local_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->local_group),
                                   _("On This Device"));
  self->select_button = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (self->select_button), "selection-mode-symbolic");
  gtk_widget_set_tooltip_text (self->select_button, _("Select"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->select_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Select results"), -1);
  gtk_widget_add_css_class (self->select_button, "flat");
  gtk_widget_set_valign (self->select_button, GTK_ALIGN_CENTER);
  g_signal_connect (self->select_button, "toggled", G_CALLBACK (select_toggled), self);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self->local_group),
                                           self->select_button);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  /* What the selection can do; buttons wrap under each other when narrow. */
  self->selection_bar = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->selection_bar), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->selection_bar), 3);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->selection_bar), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (self->selection_bar), 6);
  select_all = gtk_button_new_with_mnemonic (_("Select _All"));
  g_signal_connect_swapped (select_all, "clicked", G_CALLBACK (select_all_clicked), self);
  /* many results fit in a CSV table or one FHIR Bundle (a JSON result or a PDF holds one) */
  export_menu = g_menu_new ();
  g_menu_append (export_menu, _("As _CSV Table…"), "history.export-selected::csv");
  g_menu_append (export_menu, _("As _FHIR Bundle (JSON)…"), "history.export-selected::fhir");
  self->export_selected = gtk_menu_button_new ();
  gtk_menu_button_set_label (GTK_MENU_BUTTON (self->export_selected), _("_Export"));
  gtk_menu_button_set_use_underline (GTK_MENU_BUTTON (self->export_selected), TRUE);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->export_selected),
                                  G_MENU_MODEL (export_menu));
  self->delete_selected = gtk_button_new_with_mnemonic (_("_Delete…"));
  gtk_widget_add_css_class (self->delete_selected, "destructive-action");
  g_signal_connect_swapped (self->delete_selected, "clicked",
                            G_CALLBACK (delete_selected_clicked), self);
  gtk_flow_box_append (GTK_FLOW_BOX (self->selection_bar), select_all);
  gtk_flow_box_append (GTK_FLOW_BOX (self->selection_bar), self->export_selected);
  gtk_flow_box_append (GTK_FLOW_BOX (self->selection_bar), self->delete_selected);
  /* the buttons, not their flow box children, are the focus stops */
  for (GtkWidget *c = gtk_widget_get_first_child (self->selection_bar); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    gtk_widget_set_focusable (c, FALSE);

  self->off_box = build_off_box (self);
  self->local_status = vital_history_view_dim_label ();
  self->local_list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->local_list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->local_list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->local_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Local history"), -1);
  g_signal_connect (self->local_list, "row-activated", G_CALLBACK (local_row_activated), self);

  bottom = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_halign (bottom, GTK_ALIGN_END);
  self->delete_button = gtk_button_new_with_mnemonic (_("Delete A_ll…"));
  gtk_widget_add_css_class (self->delete_button, "destructive-action");
  g_signal_connect_swapped (self->delete_button, "clicked", G_CALLBACK (delete_all_clicked),
                            self);
  gtk_box_append (GTK_BOX (bottom), self->delete_button);

  gtk_box_append (GTK_BOX (box), self->selection_bar);
  gtk_box_append (GTK_BOX (box), self->off_box);
  gtk_box_append (GTK_BOX (box), self->local_status);
  gtk_box_append (GTK_BOX (box), self->local_list);
  gtk_box_append (GTK_BOX (box), bottom);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->local_group), box);
}

/**
 * vital_history_view_set_settings:
 * @self: a #VitalHistoryView
 * @settings: the app's settings; "keep-local-history" opens the default store
 *
 * Follows the local-history setting; the button of the empty page turns it on.
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
  g_clear_error (&self->store_error);
  vital_history_view_reload_local (self);
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
  vital_history_view_reload_local (self);
  return TRUE;
}

/**
 * vital_history_view_delete_local:
 * @self: a #VitalHistoryView
 * @error: return location for a #GError
 *
 * Deletes every locally kept result, without asking (the Delete All button asks first).
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
  vital_history_view_reload_local (self);
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
  return self->local_readings->len;
}
