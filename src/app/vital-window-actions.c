/* vital-window-actions.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The actions of VitalWindow (win.scan, win.cancel, win.retry, win.scan-again, win.open-video,
 * win.read-video-again, win.process-locally, win.export) with their keys, when each is
 * enabled, and the dialogs and drops they start: a video to open, a file to export to.
 */
#include "vital-config.h"

#include <glib/gi18n.h>

#include "vital-export-folder.h"

#include "vital-window-private.h"

/**
 * vital_window_update_actions:
 * @self: a #VitalWindow
 *
 * Enables the window's actions for the page shown and the state of the scan.
 */
void
vital_window_update_actions (VitalWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->scan_stack);
  gboolean live = g_strcmp0 (page, "live") == 0;
  gboolean scanning = vital_live_page_get_scanning (self->live_page);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.scan", live && !scanning);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel",
                                 scanning || g_strcmp0 (page, "processing") == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export",
                                 self->reading != NULL && !self->kiosk &&
                                 g_strcmp0 (page, "result") == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.retry",
                                 self->error_info != NULL && self->error_info->retryable);
  /* A video can be opened from wherever a scan is not running: the camera, a result, an
   * error. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-video",
                                 !self->kiosk && !scanning &&
                                 g_strcmp0 (page, "processing") != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.read-video-again",
                                 !self->kiosk && !scanning && self->video != NULL &&
                                 g_strcmp0 (page, "processing") != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.process-locally",
                                 self->error_info != NULL && self->error_info->process_locally &&
                                 g_strcmp0 (page, "error") == 0);
  gtk_widget_set_sensitive (self->export_button,
                            self->reading != NULL && !self->kiosk &&
                            g_strcmp0 (page, "result") == 0);
}

static void
scan_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  VitalWindow *self = VITAL_WINDOW (widget);

  g_signal_emit_by_name (self, "start-scan");
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  g_signal_emit_by_name (widget, "cancel-scan");
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  g_signal_emit_by_name (widget, "retry-scan");
}

static void
scan_again_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  VitalWindow *self = VITAL_WINDOW (widget);

  vital_window_show_live (self);
  g_signal_emit_by_name (self, "start-scan");
}

static void
read_video_again_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  VitalWindow *self = VITAL_WINDOW (widget);
  g_autoptr(GFile) video = self->video ? g_object_ref (self->video) : NULL;

  if (video != NULL)
    g_signal_emit_by_name (self, "open-video", video);
}

/* The server cannot be used now: switch to the embedded one and measure the kept scan there. */
static void
process_locally_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  VitalWindow *self = VITAL_WINDOW (widget);

  g_settings_set_string (self->settings, "backend", "local");
  vital_window_toast (self, _("Scans are now processed on this device"));
  g_signal_emit_by_name (self, "retry-scan");
}

/* Escape cancels what runs, and leaves an error page for the camera view. */
static gboolean
escape_pressed (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  VitalWindow *self = VITAL_WINDOW (widget);
  const char *page = gtk_stack_get_visible_child_name (self->scan_stack);

  if (vital_live_page_get_scanning (self->live_page) || g_strcmp0 (page, "processing") == 0)
    return gtk_widget_activate_action (widget, "win.cancel", NULL);
  if (g_strcmp0 (page, "error") == 0)
    {
      vital_window_show_live (self);
      return TRUE;
    }
  return FALSE;
}

static void
open_video_response (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  VitalWindow *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_signal_emit_by_name (self, "open-video", file);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
open_video_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  VitalWindow *self = VITAL_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Open Video"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Videos (MP4, WebM, MOV, AVI)"));
  gtk_file_filter_add_mime_type (filter, "video/mp4");
  gtk_file_filter_add_mime_type (filter, "video/webm");
  gtk_file_filter_add_mime_type (filter, "video/quicktime");
  gtk_file_filter_add_mime_type (filter, "video/x-msvideo");
  gtk_file_filter_add_suffix (filter, "mp4");
  gtk_file_filter_add_suffix (filter, "webm");
  gtk_file_filter_add_suffix (filter, "mov");
  gtk_file_filter_add_suffix (filter, "avi");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (open_video_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         gpointer       user_data)
{
  VitalWindow *self = user_data;

  /* not during a recording: the drop would be taken for the scan being made */
  if (!G_VALUE_HOLDS (value, G_TYPE_FILE) || self->kiosk ||
      vital_live_page_get_scanning (self->live_page))
    return FALSE;
  g_signal_emit_by_name (self, "open-video", g_value_get_object (value));
  return TRUE;
}

/**
 * vital_window_export_to_file:
 * @self: the window
 * @format: what to write
 * @file: (transfer none): where
 *
 * Writes the result on screen to @file and says how it went in a toast. A failed export leaves
 * the result as it was: it can be exported elsewhere. The save dialog ends here; tests call it
 * directly (vital-window-private.h).
 */
void
vital_window_export_to_file (VitalWindow       *self,
                             VitalExportFormat  format,
                             GFile             *file)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (VITAL_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->reading == NULL)
    return;
  if (!vital_export_save (self->reading, format, file, &error))
    {
      g_autofree char *text =
        /* Translators: a toast, %s is the reason, e.g. "Permission denied" */
        g_strdup_printf (_("The result could not be exported: %s"), error->message);
      vital_window_toast (self, text);
    }
  else
    {
      vital_export_folder_remember (self->settings, file);
      vital_window_toast (self, _("Result exported"));
    }
}

static void
export_response (GtkNativeDialog *dialog,
                 int              response,
                 gpointer         user_data)
{
  VitalWindow *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      vital_window_export_to_file (self, self->export_format, file);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  VitalWindow *self = VITAL_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d-%H%M");

  if (self->reading == NULL ||
      !vital_export_format_from_string (g_variant_get_string (param, NULL),
                                        &self->export_format))
    return;

  chooser = gtk_file_chooser_native_new (_("Export Result"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  name = g_strdup_printf ("vitalscan-%s.%s", stamp,
                          vital_export_format_get_extension (self->export_format));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  vital_export_folder_apply (GTK_FILE_CHOOSER (chooser), self->settings);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/**
 * vital_window_add_drop_target:
 * @self: a #VitalWindow
 *
 * Lets a video be dropped on the camera view to be measured.
 */
void
vital_window_add_drop_target (VitalWindow *self)
{
  GtkDropTarget *drop;

  drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (vital_live_page_get_camera_view (self->live_page)),
                             GTK_EVENT_CONTROLLER (drop));
}

/**
 * vital_window_class_add_actions:
 * @widget_class: VitalWindow's class
 *
 * Installs the window's actions and their keys (Space/Enter: see vital_window_activate_focus()
 * and vital_window_activate_default()).
 */
void
vital_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.scan", NULL, scan_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "win.scan-again", NULL, scan_again_action);
  gtk_widget_class_install_action (widget_class, "win.open-video", NULL, open_video_action);
  gtk_widget_class_install_action (widget_class, "win.read-video-again", NULL,
                                   read_video_again_action);
  gtk_widget_class_install_action (widget_class, "win.process-locally", NULL,
                                   process_locally_action);
  gtk_widget_class_install_action (widget_class, "win.export", "s", export_action);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_pressed, NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "win.open-video", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "win.export", "s", "pdf");
}
