/* vital-window-kiosk.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalWindow in kiosk mode, for demo booths: fullscreen with large type, no way to
 * Preferences, History, exports or the window controls, an idle screen that says what to do
 * and what happens to a scan, a visible countdown before a result is cleared for the next
 * visitor, and one way out for an administrator: Ctrl+Shift+Alt+Q (win.leave-kiosk), which a
 * visitor at a touch screen cannot press.
 */
#include "vital-config.h"

#include <glib/gi18n.h>

#include "vital-window-private.h"

static void
set_countdown (VitalWindow *self,
               int          seconds)
{
  vital_result_page_set_countdown (self->result_page, seconds);
}

/**
 * vital_window_kiosk_stop_reset:
 * @self: a #VitalWindow
 *
 * Stops the countdown back to the start, if one runs.
 */
void
vital_window_kiosk_stop_reset (VitalWindow *self)
{
  g_clear_handle_id (&self->kiosk_reset_id, g_source_remove);
  set_countdown (self, -1);
}

static gboolean
kiosk_tick_cb (gpointer user_data)
{
  VitalWindow *self = user_data;

  if (--self->kiosk_seconds_left > 0)
    {
      set_countdown (self, self->kiosk_seconds_left);
      return G_SOURCE_CONTINUE;
    }
  self->kiosk_reset_id = 0;
  vital_window_show_live (self);
  return G_SOURCE_REMOVE;
}

/**
 * vital_window_kiosk_start_reset:
 * @self: a kiosk #VitalWindow showing a result or an error
 *
 * Counts down, on screen and second by second, to the camera view: the next visitor must not
 * see this one's result, and this one must not see it vanish unannounced.
 */
void
vital_window_kiosk_start_reset (VitalWindow *self)
{
  vital_window_kiosk_stop_reset (self);
  self->kiosk_seconds_left = (int) g_settings_get_uint (self->settings, "kiosk-reset-seconds");
  set_countdown (self, self->kiosk_seconds_left);
  /* g_timeout_add(), not _seconds(): the countdown must not skip or repeat a number */
  self->kiosk_reset_id = g_timeout_add (1000, kiosk_tick_cb, self);
}

/* What happens to a visitor's scan, said before it is made. */
static char *
privacy_notice (VitalWindow *self)
{
  g_autofree char *backend = g_settings_get_string (self->settings, "backend");
  guint seconds = g_settings_get_uint (self->settings, "kiosk-reset-seconds");

  if (g_strcmp0 (backend, "server") == 0)
    /* Translators: a kiosk's privacy notice, %u is a number of seconds */
    return g_strdup_printf (_("Nothing is kept on this device: the scan is sent to a server to "
                              "be measured, and the result is cleared after %u s."), seconds);
  /* Translators: a kiosk's privacy notice, %u is a number of seconds */
  return g_strdup_printf (_("Nothing is kept: the scan is measured on this device, and the "
                            "result is cleared after %u s."), seconds);
}

/**
 * vital_window_kiosk_setup:
 * @self: a kiosk #VitalWindow, being constructed
 *
 * Turns the window into a booth's: large type, fullscreen, no window controls, no menu,
 * exports, demographics or History, and the idle screen.
 */
void
vital_window_kiosk_setup (VitalWindow *self)
{
  g_autofree char *notice = privacy_notice (self);

  gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk");
  adw_view_stack_page_set_visible (self->history_page, FALSE);
  gtk_widget_set_visible (self->menu_button, FALSE);
  gtk_widget_set_visible (self->export_button, FALSE);
  gtk_widget_set_visible (self->demographics_button, FALSE);
  adw_header_bar_set_show_start_title_buttons (self->header_bar, FALSE);
  adw_header_bar_set_show_end_title_buttons (self->header_bar, FALSE);
  vital_live_page_set_privacy_notice (self->live_page, notice);
  gtk_window_fullscreen (GTK_WINDOW (self));
}

/* The administrator's way out: the one close a kiosk does not refuse. */
static void
leave_kiosk_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  VitalWindow *self = VITAL_WINDOW (widget);

  if (!self->kiosk)
    return;
  self->leaving_kiosk = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

/**
 * vital_window_class_add_kiosk_actions:
 * @widget_class: VitalWindow's class
 *
 * Installs win.leave-kiosk on Ctrl+Shift+Alt+Q.
 */
void
vital_window_class_add_kiosk_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.leave-kiosk", NULL, leave_kiosk_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_q,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK,
                                       "win.leave-kiosk", NULL);
}
