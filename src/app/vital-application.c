/* vital-application.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalApplication: the AdwApplication — command line (--kiosk, --demo), app actions
 * (quit, preferences, choose-camera, about) with accelerators, and the main window with its
 * scan controller.
 */
#include "vital-config.h"

#include <glib/gi18n.h>

#include "vital-application.h"
#include "vital-application-private.h"
#include "vital-preferences-window.h"
#include "vital-scan-controller.h"
#include "vital-window.h"

struct _VitalApplication
{
  AdwApplication       parent_instance;

  GSettings           *settings;
  GSettingsBackend    *settings_backend;  /* NULL: the default (dconf on a desktop) */
  gboolean             kiosk;
  gboolean             demo;
  double               scan_seconds;
  VitalScanController *controller;
};

G_DEFINE_FINAL_TYPE (VitalApplication, vital_application, ADW_TYPE_APPLICATION)

static void
quit_activated (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  GApplication *app = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  for (GList *l = windows; l != NULL; l = l->next)
    g_signal_emit_by_name (l->data, "cancel-scan");
  g_application_quit (app);
}

/**
 * vital_application_kiosk_is_managed:
 * @settings: the app's settings
 *
 * Kiosk mode is for booths, set up by whoever administers them: `vitalscan --kiosk`, or the
 * "kiosk" key set system-wide and locked (a dconf lock, see the README). A "kiosk" value the
 * user could change themselves is ignored: it would lock a desktop user out of Preferences
 * with no way back in the app.
 *
 * Returns: %TRUE when the settings ask for kiosk mode and the user cannot change that
 */
gboolean
vital_application_kiosk_is_managed (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);
  return g_settings_get_boolean (settings, "kiosk") && !g_settings_is_writable (settings, "kiosk");
}

static VitalPreferencesWindow *
present_preferences (VitalApplication *self)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *prefs;

  if (self->kiosk)
    return NULL;
  prefs = vital_preferences_window_new (parent, self->settings);
  if (self->controller != NULL)
    vital_scan_controller_attach_preferences (self->controller,
                                              VITAL_PREFERENCES_WINDOW (prefs));
  gtk_window_present (GTK_WINDOW (prefs));
  return VITAL_PREFERENCES_WINDOW (prefs);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  present_preferences (user_data);
}

/* Preferences, with the camera choice open. */
static void
choose_camera_activated (GSimpleAction *action,
                         GVariant      *param,
                         gpointer       user_data)
{
  VitalPreferencesWindow *prefs = present_preferences (user_data);

  if (prefs != NULL)
    vital_preferences_window_show_camera_choice (prefs);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  GtkApplication *app = user_data;
  const char *developers[] = { "The Vitalscan authors", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Vitalscan"),
                         "application-icon", "io.github.vitalscan.Vitalscan",
                         "version", VITAL_VERSION,
                         "developer-name", "The Vitalscan authors",
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "website", "https://github.com/vitalscan/vitalscan",
                         "comments", _("Estimates vital signs from a camera. Not a medical "
                                       "device."),
                         /* Translators: put your names here, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
vital_application_activate (GApplication *app)
{
  VitalApplication *self = VITAL_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  VitalScanControllerOptions options = { 0 };
  g_autoptr(GError) error = NULL;

  if (window == NULL)
    {
      window = GTK_WINDOW (vital_window_new (ADW_APPLICATION (app), self->kiosk));
      options.force_demo = self->demo;
      options.scan_seconds = self->scan_seconds;
      options.kiosk = self->kiosk;
      self->controller = vital_scan_controller_new (VITAL_WINDOW (window), self->settings,
                                                    &options);
      gtk_window_present (window);
      if (!vital_scan_controller_start_preview (self->controller, &error))
        vital_window_show_error (VITAL_WINDOW (window), error);
      return;
    }
  gtk_window_present (window);
}

static int
vital_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  VitalApplication *self = VITAL_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("vitalscan %s\n", VITAL_VERSION);
      return 0;
    }
  self->kiosk = g_variant_dict_contains (options, "kiosk");
  self->demo = g_variant_dict_contains (options, "demo");
  if (!g_variant_dict_lookup (options, "scan-seconds", "d", &self->scan_seconds))
    self->scan_seconds = 0;
  if (self->scan_seconds < 0 || self->scan_seconds > 120)
    {
      g_printerr ("%s\n", _("--scan-seconds must be between 0 and 120"));
      return 2;
    }
  return -1;
}

static void
vital_application_startup (GApplication *app)
{
  VitalApplication *self = VITAL_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };
  static const GActionEntry entries[] = {
    { "quit", quit_activated, NULL, NULL, NULL, { 0 } },
    { "preferences", preferences_activated, NULL, NULL, NULL, { 0 } },
    { "choose-camera", choose_camera_activated, NULL, NULL, NULL, { 0 } },
    { "about", about_activated, NULL, NULL, NULL, { 0 } },
  };

  G_APPLICATION_CLASS (vital_application_parent_class)->startup (app);

  if (self->settings_backend != NULL)
    self->settings = g_settings_new_with_backend ("io.github.vitalscan.Vitalscan",
                                                  self->settings_backend);
  else
    self->settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  if (vital_application_kiosk_is_managed (self->settings))
    self->kiosk = TRUE;

  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  /* A visitor's Ctrl+Q must not end a booth: a kiosk has no quit key, only the
   * administrator's win.leave-kiosk (vital-window-kiosk.c). */
  if (!self->kiosk)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         prefs_accels);
  if (self->kiosk)
    {
      GAction *prefs = g_action_map_lookup_action (G_ACTION_MAP (app), "preferences");
      GAction *camera = g_action_map_lookup_action (G_ACTION_MAP (app), "choose-camera");
      g_simple_action_set_enabled (G_SIMPLE_ACTION (prefs), FALSE);
      g_simple_action_set_enabled (G_SIMPLE_ACTION (camera), FALSE);
    }
}

static void
vital_application_shutdown (GApplication *app)
{
  VitalApplication *self = VITAL_APPLICATION (app);

  g_clear_object (&self->controller);
  G_APPLICATION_CLASS (vital_application_parent_class)->shutdown (app);
}

static void
vital_application_finalize (GObject *object)
{
  VitalApplication *self = VITAL_APPLICATION (object);

  g_clear_object (&self->controller);
  g_clear_object (&self->settings);
  g_clear_object (&self->settings_backend);

  G_OBJECT_CLASS (vital_application_parent_class)->finalize (object);
}

static void
vital_application_class_init (VitalApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = vital_application_finalize;
  app_class->activate = vital_application_activate;
  app_class->startup = vital_application_startup;
  app_class->shutdown = vital_application_shutdown;
  app_class->handle_local_options = vital_application_handle_local_options;
}

static void
vital_application_init (VitalApplication *self)
{
  static const GOptionEntry options[] = {
    { "kiosk", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Kiosk mode: fullscreen, large type, no preferences or history, nothing kept; "
         "Ctrl+Shift+Alt+Q leaves it"), NULL },
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Use the demo subject instead of a camera"), NULL },
    { "scan-seconds", 0, 0, G_OPTION_ARG_DOUBLE, NULL,
      N_("Override the scan length (seconds)"), N_("SECONDS") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

/**
 * vital_application_new:
 *
 * Returns: (transfer full): the application, id io.github.vitalscan.Vitalscan
 */
VitalApplication *
vital_application_new (void)
{
  return g_object_new (VITAL_TYPE_APPLICATION,
                       "application-id", "io.github.vitalscan.Vitalscan",
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/vitalscan/Vitalscan",
                       NULL);
}

/**
 * vital_application_get_kiosk:
 * @self: a #VitalApplication
 *
 * Returns: %TRUE when running in kiosk mode
 */
gboolean
vital_application_get_kiosk (VitalApplication *self)
{
  g_return_val_if_fail (VITAL_IS_APPLICATION (self), FALSE);
  return self->kiosk;
}

/**
 * vital_application_get_settings:
 * @self: a #VitalApplication
 *
 * Returns: (transfer none) (nullable): the settings, after startup
 */
GSettings *
vital_application_get_settings (VitalApplication *self)
{
  g_return_val_if_fail (VITAL_IS_APPLICATION (self), NULL);
  return self->settings;
}

/**
 * vital_application_set_settings_backend:
 * @self: a #VitalApplication, not started yet
 * @backend: (transfer none): where its settings are read and written
 *
 * A test hook (vital-application-private.h): the app reads its settings from @backend.
 */
void
vital_application_set_settings_backend (VitalApplication *self,
                                        GSettingsBackend *backend)
{
  g_return_if_fail (VITAL_IS_APPLICATION (self));
  g_return_if_fail (self->settings == NULL);
  g_set_object (&self->settings_backend, backend);
}
