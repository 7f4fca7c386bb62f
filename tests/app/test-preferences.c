/* test-preferences.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preferences round trip: settings bound both ways, and the API key really stored in the
 * Secret Service (gnome-keyring on a private bus, see keyring-run.sh), never in GSettings.
 */
#include "vital-config.h"

#include <adwaita.h>

#include "app-test-util.h"
#include "vital-preferences-window-private.h"
#include "vital-secret-store.h"

#define SERVER "https://scan.example.org"
#define KEY "ck_test_0123456789abcdef0123456789abcdef"

static gboolean
not_busy (gpointer data)
{
  return !vital_preferences_window_is_busy (data);
}

static AdwEntryRow *
find_row (GtkWidget  *root,
          const char *title)
{
  for (GtkWidget *w = gtk_widget_get_first_child (root); w; w = gtk_widget_get_next_sibling (w))
    {
      AdwEntryRow *found;
      if (ADW_IS_ENTRY_ROW (w) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)), title) == 0)
        return ADW_ENTRY_ROW (w);
      if ((found = find_row (w, title)) != NULL)
        return found;
    }
  return NULL;
}

static gboolean
settings_contain (GSettings  *settings,
                  const char *needle)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i]; i++)
    {
      g_autoptr(GVariant) v = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (v, FALSE);
      if (strstr (text, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_key_round_trip (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  g_autoptr(GError) error = NULL;
  GtkWidget *prefs;
  AdwEntryRow *url_row, *key_row;
  char *stored;

  g_settings_set_string (settings, "backend", "server");
  prefs = vital_preferences_window_new (NULL, settings);
  gtk_window_present (GTK_WINDOW (prefs));
  g_assert_true (app_test_wait (not_busy, prefs, 10000));
  g_assert_null (vital_preferences_window_get_key_badge (VITAL_PREFERENCES_WINDOW (prefs)));

  url_row = find_row (prefs, "Server _Address");
  key_row = find_row (prefs, "API _Key");
  g_assert_nonnull (url_row);
  g_assert_nonnull (key_row);

  /* A bad URL is refused and not saved. */
  gtk_editable_set_text (GTK_EDITABLE (url_row), "ftp://nope");
  g_signal_emit_by_name (url_row, "apply");
  {
    g_autofree char *url = g_settings_get_string (settings, "server-url");
    g_assert_cmpstr (url, !=, "ftp://nope");
  }

  gtk_editable_set_text (GTK_EDITABLE (url_row), SERVER);
  g_signal_emit_by_name (url_row, "apply");
  g_assert_true (app_test_wait (not_busy, prefs, 10000));
  {
    g_autofree char *url = g_settings_get_string (settings, "server-url");
    g_assert_cmpstr (url, ==, SERVER);
  }

  /* A malformed key is refused before it reaches the keyring. */
  gtk_editable_set_text (GTK_EDITABLE (key_row), "sk_wrong");
  g_signal_emit_by_name (key_row, "apply");
  g_assert_true (app_test_wait (not_busy, prefs, 10000));
  stored = secret_password_lookup_sync (vital_secret_store_get_schema (), NULL, &error,
                                        "server", SERVER, NULL);
  g_assert_no_error (error);
  g_assert_null (stored);

  gtk_editable_set_text (GTK_EDITABLE (key_row), KEY);
  g_assert_cmpstr (vital_preferences_window_get_key_badge (VITAL_PREFERENCES_WINDOW (prefs)), ==,
                   "TEST");
  g_signal_emit_by_name (key_row, "apply");
  g_assert_true (app_test_wait (not_busy, prefs, 10000));
  g_assert_cmpstr (vital_preferences_window_get_key_status (VITAL_PREFERENCES_WINDOW (prefs)), ==,
                   "Key stored in the system keyring.");
  gtk_window_destroy (GTK_WINDOW (prefs));

  /* Independently of the app: the Secret Service has it, GSettings does not. */
  stored = secret_password_lookup_sync (vital_secret_store_get_schema (), NULL, &error,
                                        "server", SERVER, NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, KEY);
  secret_password_free (stored);
  g_assert_false (settings_contain (settings, "ck_test_"));

  /* A new window loads it back with its badge. */
  prefs = vital_preferences_window_new (NULL, settings);
  gtk_window_present (GTK_WINDOW (prefs));
  g_assert_true (app_test_wait (not_busy, prefs, 10000));
  key_row = find_row (prefs, "API _Key");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (key_row)), ==, KEY);
  g_assert_cmpstr (vital_preferences_window_get_key_badge (VITAL_PREFERENCES_WINDOW (prefs)), ==,
                   "TEST");
  app_test_iterate (100);
  app_test_screenshot (prefs, "preferences.png", &error);
  g_assert_no_error (error);

  /* Live key replaces it; emptying the field removes it from the keyring. */
  gtk_editable_set_text (GTK_EDITABLE (key_row), "ck_live_abcdefabcdefabcdefabcdefabcdef12");
  g_assert_cmpstr (vital_preferences_window_get_key_badge (VITAL_PREFERENCES_WINDOW (prefs)), ==,
                   "LIVE");
  gtk_editable_set_text (GTK_EDITABLE (key_row), "");
  g_signal_emit_by_name (key_row, "apply");
  g_assert_true (app_test_wait (not_busy, prefs, 10000));
  stored = secret_password_lookup_sync (vital_secret_store_get_schema (), NULL, &error,
                                        "server", SERVER, NULL);
  g_assert_no_error (error);
  g_assert_null (stored);
  gtk_window_destroy (GTK_WINDOW (prefs));
}

static void
test_settings_bound (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  GtkWidget *prefs = vital_preferences_window_new (NULL, settings);
  const char *cams[] = { "Integrated Camera", "USB Webcam", NULL };

  gtk_window_present (GTK_WINDOW (prefs));
  g_assert_true (app_test_wait (not_busy, prefs, 10000));

  /* settings -> widgets -> settings, through the scan-length mapping */
  g_settings_set_uint (settings, "scan-length", 45);
  g_settings_set_uint (settings, "scan-length", 60);
  g_assert_cmpuint (g_settings_get_uint (settings, "scan-length"), ==, 60);
  g_settings_set_string (settings, "camera", "USB Webcam");
  vital_preferences_window_set_cameras (VITAL_PREFERENCES_WINDOW (prefs), cams);
  {
    g_autofree char *cam = g_settings_get_string (settings, "camera");
    g_assert_cmpstr (cam, ==, "USB Webcam");
  }
  g_settings_set_boolean (settings, "keep-local-history", TRUE);
  g_assert_true (g_settings_get_boolean (settings, "keep-local-history"));
  vital_preferences_window_set_rate_limit (VITAL_PREFERENCES_WINDOW (prefs), 60, 58, 0);
  gtk_window_destroy (GTK_WINDOW (prefs));
}

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0 &&
      gtk_widget_get_mapped (root))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_label (c, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} LabelSearch;

static gboolean
label_shown (gpointer data)
{
  LabelSearch *search = data;
  return find_label (search->root, search->text) != NULL;
}

static gboolean
length_is_15 (gpointer data)
{
  return g_settings_get_uint (data, "scan-length") == 15;
}

/* Where the scan length is chosen, it says what that length measures: 15 s silently lost
 * heart-rate variability and the breathing rate. The choice is made with real clicks. */
static void
test_scan_length (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  GtkWidget *prefs, *row;
  const char *text;

  if (!app_test_can_use_input ())
    return;
  g_settings_set_uint (settings, "scan-length", 30);
  prefs = vital_preferences_window_new (NULL, settings);
  gtk_window_set_default_size (GTK_WINDOW (prefs), 560, 900);
  gtk_window_present (GTK_WINDOW (prefs));
  g_assert_true (app_test_wait (not_busy, prefs, 10000));
  app_test_iterate (300);

  text = vital_preferences_window_get_scan_length_subtitle (VITAL_PREFERENCES_WINDOW (prefs));
  g_assert_cmpstr (text, ==, "Heart rate, breathing rate and heart-rate variability");

  row = GTK_WIDGET (gtk_widget_get_template_child (prefs, VITAL_TYPE_PREFERENCES_WINDOW,
                                                   "scan_length_row"));
  app_test_click (row);
  g_assert_true (app_test_wait (label_shown, &(LabelSearch) { row, "15 seconds" }, 5000));
  app_test_iterate (300);
  app_test_click (find_label (row, "15 seconds"));
  g_assert_true (app_test_wait (length_is_15, settings, 5000));

  text = vital_preferences_window_get_scan_length_subtitle (VITAL_PREFERENCES_WINDOW (prefs));
  g_test_message ("15 s: %s", text);
  g_assert_nonnull (strstr (text, "too short for heart-rate variability"));
  g_assert_nonnull (strstr (text, "breathing rate"));
  app_test_iterate (300);
  {
    g_autoptr(GError) error = NULL;
    app_test_screenshot (prefs, "preferences-scan-length.png", &error);
    g_assert_no_error (error);
  }

  g_settings_set_uint (settings, "scan-length", 60);
  text = vital_preferences_window_get_scan_length_subtitle (VITAL_PREFERENCES_WINDOW (prefs));
  g_assert_nonnull (strstr (text, "steadier"));
  g_settings_set_uint (settings, "scan-length", 30);
  gtk_window_destroy (GTK_WINDOW (prefs));
  app_test_iterate (100);
}

static void
test_key_environment (void)
{
  g_assert_cmpstr (vital_api_key_get_environment ("ck_test_abc"), ==, "test");
  g_assert_cmpstr (vital_api_key_get_environment ("ck_live_abc"), ==, "live");
  g_assert_null (vital_api_key_get_environment ("ck_live_"));
  g_assert_null (vital_api_key_get_environment ("ck_prod_abc"));
  g_assert_null (vital_api_key_get_environment (""));
  g_assert_null (vital_api_key_get_environment (NULL));
}

int
main (int   argc,
      char *argv[])
{
  app_test_init (&argc, &argv);

  g_test_add_func ("/app/preferences/key-environment", test_key_environment);
  g_test_add_func ("/app/preferences/settings-bound", test_settings_bound);
  g_test_add_func ("/app/preferences/scan-length-says-what-it-measures", test_scan_length);
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    g_test_add_func ("/app/preferences/key-round-trip", test_key_round_trip);
  else
    g_test_message ("no session bus: run under keyring-run.sh for the Secret Service test");

  return g_test_run ();
}
