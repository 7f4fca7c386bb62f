/* vital-history-result-dialog.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalHistoryResultDialog: one kept result reopened from History, in full — the same
 * VitalResultsPanel as after a scan (every vital, its own confidence, the demo marking), with
 * Export (in any format a result after a scan has) and Delete for this one result. Which file
 * and whether to delete are the History page's business: the dialog only says what was asked
 * ("export" and "delete" signals).
 */
#include "vital-config.h"

#include <glib/gi18n.h>

#include "vital-export.h"
#include "vital-history-result-dialog.h"

struct _VitalHistoryResultDialog
{
  AdwWindow          parent_instance;

  VitalResultsPanel *panel;
};

G_DEFINE_FINAL_TYPE (VitalHistoryResultDialog, vital_history_result_dialog, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_EXPORT,
  SIGNAL_DELETE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  VitalExportFormat format;

  if (vital_export_format_from_string (g_variant_get_string (parameter, NULL), &format))
    g_signal_emit (widget, signals[SIGNAL_EXPORT], 0, format);
}

static void
delete_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_DELETE], 0);
}

static void
vital_history_result_dialog_class_init (VitalHistoryResultDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /**
   * VitalHistoryResultDialog::export:
   * @format: a #VitalExportFormat
   *
   * The user asked to export this result in @format.
   */
  signals[SIGNAL_EXPORT] = g_signal_new ("export", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  /**
   * VitalHistoryResultDialog::delete:
   *
   * The user asked to delete this result from the local history.
   */
  signals[SIGNAL_DELETE] = g_signal_new ("delete", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_install_action (widget_class, "result.export", "s", export_activated);
  gtk_widget_class_install_action (widget_class, "result.delete", NULL, delete_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vital_history_result_dialog_init (VitalHistoryResultDialog *self)
{
  GtkWidget *box, *header, *scrolled, *clamp, *export_button, *delete_button;
  g_autoptr(GMenu) export_menu = NULL;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  /* the same formats as the main window's Export menu (vital-window.ui) */
  export_menu = g_menu_new ();
  g_menu_append (export_menu, _("Export as _JSON…"), "result.export::json");
  g_menu_append (export_menu, _("Export as _CSV…"), "result.export::csv");
  g_menu_append (export_menu, _("Save _Report as PDF…"), "result.export::pdf");
  g_menu_append (export_menu, _("Export as _FHIR (JSON)…"), "result.export::fhir");
  export_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (export_button), "document-save-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (export_button), G_MENU_MODEL (export_menu));
  gtk_widget_set_tooltip_text (export_button, _("Export Result"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (export_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Export Result"), -1);
  delete_button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_tooltip_text (delete_button, _("Delete This Result"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (delete_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Delete this result"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (delete_button), "result.delete");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), export_button);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), delete_button);
  gtk_box_append (GTK_BOX (box), header);

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 800);
  gtk_widget_set_margin_top (clamp, 12);
  gtk_widget_set_margin_bottom (clamp, 12);
  gtk_widget_set_margin_start (clamp, 12);
  gtk_widget_set_margin_end (clamp, 12);
  self->panel = VITAL_RESULTS_PANEL (vital_results_panel_new ());
  /* a kept result cannot be scanned again */
  vital_results_panel_set_offer_scan_again (self->panel, FALSE);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (self->panel));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (self), box);
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 720);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
}

/**
 * vital_history_result_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @reading: the kept result
 * @title: the window title (when the result was measured)
 *
 * Returns: (transfer none): a new dialog, not yet presented (GTK holds toplevels)
 */
VitalHistoryResultDialog *
vital_history_result_dialog_new (GtkWindow    *parent,
                                 VitalReading *reading,
                                 const char   *title)
{
  VitalHistoryResultDialog *self;

  g_return_val_if_fail (VITAL_IS_READING (reading), NULL);

  self = g_object_new (VITAL_TYPE_HISTORY_RESULT_DIALOG, "title", title,
                       "transient-for", parent, NULL);
  vital_results_panel_set_reading (self->panel, reading);
  return self;
}

/**
 * vital_history_result_dialog_get_panel:
 * @self: a #VitalHistoryResultDialog
 *
 * Returns: (transfer none): the panel showing the result
 */
VitalResultsPanel *
vital_history_result_dialog_get_panel (VitalHistoryResultDialog *self)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_RESULT_DIALOG (self), NULL);
  return self->panel;
}
