/* vital-history-view-export.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The export of VitalHistoryView's kept results: the selected rows (a CSV table or one FHIR
 * Bundle), or the result reopened in full (any format a result after a scan has), through a
 * save dialog, and a toast that says where they went or why they did not.
 */
#include "vital-config.h"

#include <glib/gi18n.h>

#include "vital-export-folder.h"

#include "vital-export.h"
#include "vital-history-view-private.h"

static void
export_finished (VitalHistoryView  *self,
                 GPtrArray         *readings,
                 VitalExportFormat  format,
                 GFile             *file)
{
  g_autoptr(GError) error = NULL;

  if (!vital_export_save_many ((VitalReading **) readings->pdata, readings->len, format, file,
                               &error))
    {
      /* Translators: a toast; the error says why */
      g_autofree char *text = g_strdup_printf (_("Could not export: %s"), error->message);
      vital_history_view_say (self, text);
      return;
    }
  vital_export_folder_remember (self->settings, file);
  {
    g_autofree char *name = g_file_get_basename (file);
    /* Translators: a toast, e.g. "Exported 3 results to history.csv" */
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "Exported %u result to %s",
                                                          "Exported %u results to %s",
                                                          readings->len),
                                             readings->len, name);
    vital_history_view_say (self, text);
  }
}

static void
export_response (GtkNativeDialog  *dialog,
                 int               response,
                 VitalHistoryView *self)
{
  GPtrArray *readings = g_object_get_data (G_OBJECT (dialog), "readings");
  VitalExportFormat format = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "format"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      export_finished (self, readings, format, file);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

void
vital_history_view_choose_export_file (VitalHistoryView  *self,
                                       GPtrArray         *readings,
                                       VitalExportFormat  format)
{
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  g_return_if_fail (readings->len == 1 || vital_export_format_holds_many (format));

  chooser = gtk_file_chooser_native_new (readings->len == 1 ? _("Export Result")
                                                            : _("Export Results"),
                                         vital_history_view_parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                         _("_Cancel"));
  name = g_strdup_printf (readings->len == 1 ? "vitalscan-result.%s" : "vitalscan-results.%s",
                          vital_export_format_get_extension (format));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  vital_export_folder_apply (GTK_FILE_CHOOSER (chooser), self->settings);
  g_object_set_data_full (G_OBJECT (chooser), "readings", g_ptr_array_ref (readings),
                          (GDestroyNotify) g_ptr_array_unref);
  g_object_set_data (G_OBJECT (chooser), "format", GINT_TO_POINTER (format));
  g_signal_connect (chooser, "response", G_CALLBACK (export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static GPtrArray *
selected_readings (VitalHistoryView *self)
{
  g_autoptr(GArray) sel = vital_history_view_selected_indices (self);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < sel->len; i++)
    g_ptr_array_add (out, g_object_ref (g_ptr_array_index (self->local_readings,
                                                           g_array_index (sel, guint, i))));
  return out;
}

void
vital_history_view_export_selected (VitalHistoryView  *self,
                                    VitalExportFormat  format)
{
  g_autoptr(GPtrArray) readings = selected_readings (self);

  if (readings->len > 0)
    vital_history_view_choose_export_file (self, readings, format);
}

static void
export_selected_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  VitalExportFormat format;

  if (vital_export_format_from_string (g_variant_get_string (param, NULL), &format) &&
      vital_export_format_holds_many (format))
    vital_history_view_export_selected (VITAL_HISTORY_VIEW (widget), format);
}

/**
 * vital_history_view_class_add_export_actions:
 * @widget_class: VitalHistoryView's class
 *
 * Installs "history.export-selected" ("csv" or "fhir"), what the selection's Export menu does.
 */
void
vital_history_view_class_add_export_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "history.export-selected", "s",
                                   export_selected_action);
}

/* ---- test hooks (vital-history-view-private.h) -------------------------------------------- */

/**
 * vital_history_view_export_selected_to_file:
 * @self: a #VitalHistoryView
 * @format: CSV or FHIR
 * @file: where to write
 *
 * What the save dialog of the selection's "Export" ends in; tests call it instead of the
 * dialog. Errors are said in a toast (see vital_history_view_get_last_message()).
 */
void
vital_history_view_export_selected_to_file (VitalHistoryView  *self,
                                            VitalExportFormat  format,
                                            GFile             *file)
{
  g_autoptr(GPtrArray) readings = NULL;

  g_return_if_fail (VITAL_IS_HISTORY_VIEW (self));
  g_return_if_fail (vital_export_format_holds_many (format));
  readings = selected_readings (self);
  export_finished (self, readings, format, file);
}

/**
 * vital_history_view_export_shown_to_file:
 * @self: a #VitalHistoryView
 * @format: any export format
 * @file: where to write
 *
 * What the save dialog of the reopened result's Export ends in.
 */
void
vital_history_view_export_shown_to_file (VitalHistoryView  *self,
                                         VitalExportFormat  format,
                                         GFile             *file)
{
  g_autoptr(GPtrArray) readings = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (VITAL_IS_HISTORY_VIEW (self));
  g_return_if_fail (self->result_dialog != NULL);
  g_ptr_array_add (readings, g_object_ref (vital_results_panel_get_reading (
    vital_history_result_dialog_get_panel (self->result_dialog))));
  export_finished (self, readings, format, file);
}
