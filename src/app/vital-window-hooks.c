/* vital-window-hooks.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The test hooks of VitalWindow (vital-window-private.h): what the app's tests and benches
 * read off the window and its pages, and how they find a widget to click. The application
 * itself calls none of them.
 */
#include "vital-config.h"

#include "vital-window-private.h"

/**
 * vital_window_get_child:
 * @self: a #VitalWindow
 * @name: the id of a widget in the window's template or in one of its pages' templates
 *
 * Returns: (transfer none) (nullable): the widget, for tests that click it or check it
 */
GtkWidget *
vital_window_get_child (VitalWindow *self,
                        const char  *name)
{
  struct { GtkWidget *widget; GType type; } parts[] = {
    { GTK_WIDGET (self), VITAL_TYPE_WINDOW },
    { GTK_WIDGET (self->live_page), VITAL_TYPE_LIVE_PAGE },
    { GTK_WIDGET (self->processing_page), VITAL_TYPE_PROCESSING_PAGE },
    { GTK_WIDGET (self->result_page), VITAL_TYPE_RESULT_PAGE },
    { GTK_WIDGET (self->error_page), VITAL_TYPE_ERROR_PAGE },
  };

  g_return_val_if_fail (VITAL_IS_WINDOW (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      GObject *child = gtk_widget_get_template_child (parts[i].widget, parts[i].type, name);

      if (child != NULL)
        return GTK_WIDGET (child);
    }
  return NULL;
}

/**
 * vital_window_get_results_panel:
 * @self: a #VitalWindow
 *
 * Returns: (transfer none): the results panel
 */
VitalResultsPanel *
vital_window_get_results_panel (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), NULL);
  return vital_result_page_get_results_panel (self->result_page);
}

/**
 * vital_window_get_error_title:
 * @self: a #VitalWindow
 *
 * Returns: (transfer none) (nullable): the error page's title
 */
const char *
vital_window_get_error_title (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), NULL);
  return vital_error_page_get_title (self->error_page);
}

/**
 * vital_window_get_error_description:
 * @self: a #VitalWindow
 *
 * Returns: (transfer none) (nullable): the error page's explanation
 */
const char *
vital_window_get_error_description (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), NULL);
  return vital_error_page_get_description (self->error_page);
}

/**
 * vital_window_get_retry_visible:
 * @self: a #VitalWindow
 *
 * Returns: %TRUE when the error page offers Retry
 */
gboolean
vital_window_get_retry_visible (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), FALSE);
  return vital_error_page_get_retry_visible (self->error_page);
}

/**
 * vital_window_get_preferences_visible:
 * @self: a #VitalWindow
 *
 * Returns: %TRUE when the error page offers to open Preferences
 */
gboolean
vital_window_get_preferences_visible (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), FALSE);
  return vital_error_page_get_preferences_visible (self->error_page);
}

/**
 * vital_window_get_progress_text:
 * @self: a #VitalWindow
 *
 * Returns: (transfer none): the countdown / instruction line under the camera view
 */
const char *
vital_window_get_progress_text (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), NULL);
  return vital_live_page_get_progress_text (self->live_page);
}

/**
 * vital_window_get_history_available:
 * @self: a #VitalWindow
 *
 * Returns: %TRUE when the History page and the export/menu buttons are offered (not in kiosk
 *   mode)
 */
gboolean
vital_window_get_history_available (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), FALSE);
  return adw_view_stack_page_get_visible (self->history_page) &&
         gtk_widget_get_visible (self->menu_button);
}

/**
 * vital_window_get_demo_notice:
 * @self: a #VitalWindow
 *
 * Returns: (transfer none) (nullable): the notice over the live view that it shows the demo
 *   subject, %NULL when it shows a camera
 */
const char *
vital_window_get_demo_notice (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), NULL);
  return vital_live_page_get_demo_notice (self->live_page);
}

/**
 * vital_window_get_last_toast:
 * @self: a #VitalWindow
 *
 * Returns: (transfer none) (nullable): the text of the last toast shown
 */
const char *
vital_window_get_last_toast (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), NULL);
  return self->last_toast;
}

/**
 * vital_window_get_process_locally_visible:
 * @self: a #VitalWindow
 *
 * Returns: %TRUE when the error page offers to process the scan on this device
 */
gboolean
vital_window_get_process_locally_visible (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), FALSE);
  return vital_error_page_get_process_locally_visible (self->error_page);
}

/**
 * vital_window_get_processing_text:
 * @self: a #VitalWindow
 *
 * Returns: (transfer none) (nullable): what the processing page says is happening
 */
const char *
vital_window_get_processing_text (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), NULL);
  return vital_processing_page_get_text (self->processing_page);
}

/**
 * vital_window_get_processing_fraction:
 * @self: a #VitalWindow
 *
 * Returns: the processing page's progress, 0-1
 */
double
vital_window_get_processing_fraction (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), 0.0);
  return vital_processing_page_get_fraction (self->processing_page);
}

/**
 * vital_window_get_provisional_hr_text:
 * @self: a #VitalWindow
 *
 * Returns: (transfer none): the provisional heart rate as the live view shows it
 */
const char *
vital_window_get_provisional_hr_text (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), NULL);
  return vital_live_page_get_provisional_hr_text (self->live_page);
}

/**
 * vital_window_get_countdown:
 * @self: a #VitalWindow
 *
 * Returns: (transfer none) (nullable): a kiosk's countdown on the result page, %NULL when none
 *   is shown
 */
const char *
vital_window_get_countdown (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), NULL);
  return vital_result_page_get_countdown (self->result_page);
}

/**
 * vital_window_get_idle_screen:
 * @self: a #VitalWindow
 *
 * Returns: (transfer full) (nullable): the text of a kiosk's idle screen, %NULL when it is not
 *   shown
 */
char *
vital_window_get_idle_screen (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), NULL);
  return vital_live_page_get_idle_screen (self->live_page);
}
