/* test-preferences.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preferences round trip: settings bound both ways, and the API key really stored in the
 * Secret Service (gnome-keyring on a private bus, see keyring-run.sh), never in GSettings.
 * API keys: Preferences, the client and the server agree on every key of a table, the rule is
 * stated, Test Connection talks to a real server (OK and each way of failing), a key without a
 * limit shows "Unlimited", and a scan with a key the server refuses fails before recording.
 */
#include "vital-config.h"

#include <adwaita.h>

#include "app-test-util.h"
#include "vital-client.h"
#include "vital-keys.h"
#include "vital-preferences-window-private.h"
#include "vital-scan-controller-private.h"
#include "vital-secret-store.h"
#include "vital-test-server.h"
#include "vital-window-private.h"

#define LIVE_KEY     "ck_live_prefstestlivekey0000000001"
#define UNKNOWN_KEY  "ck_live_prefsnotregistered00000001"

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

/* Preferences for @settings, shown and done loading. */
static GtkWidget *
open_prefs (GSettings *settings)
{
  GtkWidget *prefs = vital_preferences_window_new (NULL, settings);

  gtk_window_present (GTK_WINDOW (prefs));
  g_assert_true (app_test_wait (not_busy, prefs, 10000));
  return prefs;
}

/* Types @text into @row, applies it and waits until @prefs has stored or refused it. */
static void
apply_and_wait (GtkWidget   *prefs,
                AdwEntryRow *row,
                const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_emit_by_name (row, "apply");
  g_assert_true (app_test_wait (not_busy, prefs, 10000));
}

/* The key the Secret Service holds for SERVER, asked without the app; %NULL: none. Free with
 * secret_password_free(). */
static char *
keyring_key (void)
{
  g_autoptr(GError) error = NULL;
  char *stored = secret_password_lookup_sync (vital_secret_store_get_schema (), NULL, &error,
                                              "server", SERVER, NULL);

  g_assert_no_error (error);
  return stored;
}

static void
test_key_round_trip (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  GtkWidget *prefs;
  AdwEntryRow *url_row, *key_row;
  char *stored;

  g_settings_set_string (settings, "backend", "server");
  prefs = open_prefs (settings);
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

  apply_and_wait (prefs, url_row, SERVER);
  {
    g_autofree char *url = g_settings_get_string (settings, "server-url");
    g_assert_cmpstr (url, ==, SERVER);
  }

  /* A malformed key is refused before it reaches the keyring. */
  apply_and_wait (prefs, key_row, "sk_wrong");
  g_assert_null (keyring_key ());

  gtk_editable_set_text (GTK_EDITABLE (key_row), KEY);
  g_assert_cmpstr (vital_preferences_window_get_key_badge (VITAL_PREFERENCES_WINDOW (prefs)), ==,
                   "TEST");
  g_signal_emit_by_name (key_row, "apply");
  g_assert_true (app_test_wait (not_busy, prefs, 10000));
  g_assert_cmpstr (vital_preferences_window_get_key_status (VITAL_PREFERENCES_WINDOW (prefs)), ==,
                   "Key stored in the system keyring.");
  gtk_window_destroy (GTK_WINDOW (prefs));

  /* Independently of the app: the Secret Service has it, GSettings does not. */
  stored = keyring_key ();
  g_assert_cmpstr (stored, ==, KEY);
  secret_password_free (stored);
  g_assert_false (settings_contain (settings, "ck_test_"));

  /* A new window loads it back with its badge. */
  prefs = open_prefs (settings);
  key_row = find_row (prefs, "API _Key");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (key_row)), ==, KEY);
  g_assert_cmpstr (vital_preferences_window_get_key_badge (VITAL_PREFERENCES_WINDOW (prefs)), ==,
                   "TEST");
  app_test_iterate (100);
  app_test_assert_screenshot (prefs, "preferences.png");

  /* Live key replaces it; emptying the field removes it from the keyring. */
  gtk_editable_set_text (GTK_EDITABLE (key_row), "ck_live_abcdefabcdefabcdefabcdefabcdef12");
  g_assert_cmpstr (vital_preferences_window_get_key_badge (VITAL_PREFERENCES_WINDOW (prefs)), ==,
                   "LIVE");
  apply_and_wait (prefs, key_row, "");
  g_assert_null (keyring_key ());
  gtk_window_destroy (GTK_WINDOW (prefs));
}

static void
test_settings_bound (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  GtkWidget *prefs = open_prefs (settings);
  const char *cams[] = { "Integrated Camera", "USB Webcam", NULL };

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
      app_test_assert_screenshot (prefs, "preferences-scan-length.png");
  }

  g_settings_set_uint (settings, "scan-length", 60);
  text = vital_preferences_window_get_scan_length_subtitle (VITAL_PREFERENCES_WINDOW (prefs));
  g_assert_nonnull (strstr (text, "steadier"));
  g_settings_set_uint (settings, "scan-length", 30);
  gtk_window_destroy (GTK_WINDOW (prefs));
  app_test_iterate (100);
}

/* One rule: for each key, Preferences (its badge and the app's check), the client and the
 * server say the same. `ck_test_demo1234567890` (14 after the prefix) once had a TEST badge in
 * Preferences and was refused by the server. */
static void
test_key_rule_agreement (void)
{
  static const struct { const char *key; gboolean valid; const char *env; } table[] = {
    { "ck_test_demo1234567890", FALSE, NULL },
    { "ck_test_abc", FALSE, NULL },
    { "ck_live_", FALSE, NULL },
    { "ck_prod_0123456789abcdef", FALSE, NULL },
    { "CK_TEST_0123456789abcdef", FALSE, NULL },
    { "ck_test_abcdefghijklmno-1234", FALSE, NULL },
    { "ck_test_abcdefghijklmno_1234", FALSE, NULL },
    { "ck_test_abcdefghijklmn é", FALSE, NULL },
    { "ck_test_abcdefghijklmno", FALSE, NULL },          /* 15 */
    { "ck_test_abcdefghijklmnop", TRUE, "test" },        /* 16 */
    { "ck_live_ABCDEFGHIJKLMNOP5678", TRUE, "live" },
    { KEY, TRUE, "test" },
    { "", FALSE, NULL },
  };
  g_autofree char *longest = g_strnfill (120, 'a');
  g_autofree char *too_long = g_strnfill (121, 'a');
  g_autoptr(GSettings) settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  GtkWidget *prefs;
  AdwEntryRow *key_row;

  g_settings_set_string (settings, "backend", "server");
  prefs = vital_preferences_window_new (NULL, settings);
  gtk_window_present (GTK_WINDOW (prefs));
  key_row = find_row (prefs, "API _Key");
  g_assert_nonnull (key_row);

  for (guint i = 0; i < G_N_ELEMENTS (table) + 2; i++)
    {
      const char *key = i < G_N_ELEMENTS (table) ? table[i].key : NULL;
      g_autofree char *built = NULL;
      gboolean valid;
      const char *env;
      g_autoptr(VitalClient) client = NULL;
      g_autoptr(GError) client_error = NULL;
      VitalKeyEnvironment server_env;
      const char *badge;

      /* the longest key, and one character more */
      if (i == G_N_ELEMENTS (table))
        key = built = g_strconcat ("ck_live_", longest, NULL);
      else if (i == G_N_ELEMENTS (table) + 1)
        key = built = g_strconcat ("ck_live_", too_long, NULL);
      valid = i < G_N_ELEMENTS (table) ? table[i].valid : i == G_N_ELEMENTS (table);
      env = i < G_N_ELEMENTS (table) ? table[i].env : valid ? "live" : NULL;
      g_test_message ("%s: %s", key, valid ? "valid" : "invalid");

      /* the app */
      g_assert_cmpstr (vital_api_key_get_environment (key), ==, env);
      gtk_editable_set_text (GTK_EDITABLE (key_row), key);
      badge = vital_preferences_window_get_key_badge (VITAL_PREFERENCES_WINDOW (prefs));
      if (valid)
        g_assert_cmpstr (badge, ==, g_strcmp0 (env, "test") == 0 ? "TEST" : "LIVE");
      else
        g_assert_null (badge);
      g_assert_cmpint (gtk_widget_has_css_class (GTK_WIDGET (key_row), "error"), ==,
                       !valid && *key != '\0');
      /* the client */
      client = vital_client_new ("http://127.0.0.1:9", key);
      g_assert_cmpint (vital_client_check_key (client, &client_error), ==, valid);
      g_assert_cmpstr (vital_client_get_key_environment (client), ==, env);
      /* the server */
      g_assert_cmpint (vital_key_is_well_formed (key, &server_env), ==, valid);
      if (valid)
        g_assert_cmpstr (vital_key_environment_to_string (server_env), ==, env);
    }
  g_assert_null (vital_api_key_get_environment (NULL));
  gtk_window_destroy (GTK_WINDOW (prefs));
  app_test_iterate (100);
}

/* The rule is said where the key is typed, and a short key is refused with the reason. */
static void
test_key_rule_stated (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  GtkWidget *prefs;
  AdwEntryRow *key_row;
  const char *rule;

  g_settings_set_string (settings, "backend", "server");
  prefs = open_prefs (settings);
  rule = vital_preferences_window_get_key_rule (VITAL_PREFERENCES_WINDOW (prefs));
  g_assert_cmpstr (rule, ==, "With a server, the API key is “ck_live_” or “ck_test_” followed by "
                             "16 to 120 letters or digits.");
  key_row = find_row (prefs, "API _Key");
  gtk_editable_set_text (GTK_EDITABLE (key_row), "ck_test_demo1234567890");
  g_signal_emit_by_name (key_row, "apply");
  g_assert_cmpstr (vital_preferences_window_get_key_status (VITAL_PREFERENCES_WINDOW (prefs)), ==,
                   "This key is too short: after “ck_test_” or “ck_live_” come at least 16 "
                   "letters or digits.");
  /* not stored */
  g_assert_false (vital_preferences_window_is_busy (VITAL_PREFERENCES_WINDOW (prefs)));
  gtk_window_destroy (GTK_WINDOW (prefs));
  app_test_iterate (100);
}

static gboolean
checked (gpointer prefs)
{
  const char *s = vital_preferences_window_get_connection_status (prefs);

  return !vital_preferences_window_is_busy (prefs) && s != NULL && strcmp (s, "Checking…") != 0;
}

static const char *
test_connection (GtkWidget  *prefs,
                 const char *url,
                 const char *key)
{
  gtk_editable_set_text (GTK_EDITABLE (find_row (prefs, "Server _Address")), url);
  gtk_editable_set_text (GTK_EDITABLE (find_row (prefs, "API _Key")), key);
  g_signal_emit_by_name (vital_preferences_window_get_test_button (
                           VITAL_PREFERENCES_WINDOW (prefs)), "clicked");
  g_assert_true (app_test_wait (checked, prefs, 30000));
  return vital_preferences_window_get_connection_status (VITAL_PREFERENCES_WINDOW (prefs));
}

/* Test Connection: GET /health, then an authenticated call, against a real server. */
static void
test_connection_button (void)
{
  static const VitalTestKey keys[] = {
    { KEY, "prefs", 0, 0 },            /* unlimited, like the on-device server's own key */
    { LIVE_KEY, "prefs", 60, 0 },
  };
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();
  g_autoptr(VitalServer) server = vital_test_server_start (config, keys, G_N_ELEMENTS (keys));
  const char *url = vital_server_get_base_url (server);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  GtkWidget *prefs;
  const char *rate;

  g_settings_set_string (settings, "backend", "server");
  prefs = open_prefs (settings);
  g_assert_null (vital_preferences_window_get_connection_status (VITAL_PREFERENCES_WINDOW (prefs)));

  g_assert_cmpstr (test_connection (prefs, url, KEY), ==,
                   "OK: the server answers and accepts this test key (results are synthetic).");
  /* a key without a limit: no 2147483647 */
  rate = vital_preferences_window_get_rate_limit_text (VITAL_PREFERENCES_WINDOW (prefs));
  g_assert_cmpstr (rate, ==, "Unlimited");
  g_assert_cmpstr (test_connection (prefs, url, LIVE_KEY), ==,
                   "OK: the server answers and accepts this key.");
  rate = vital_preferences_window_get_rate_limit_text (VITAL_PREFERENCES_WINDOW (prefs));
  g_assert_true (g_str_has_prefix (rate, "59 of 60"));
  app_test_assert_screenshot (prefs, "preferences-connection.png");

  g_assert_cmpstr (test_connection (prefs, url, UNKNOWN_KEY), ==,
                   "The server answers but does not accept this key.");
  g_assert_cmpstr (test_connection (prefs, url, "ck_test_demo1234567890"), ==,
                   "This key is too short: after “ck_test_” or “ck_live_” come at least 16 "
                   "letters or digits.");
  g_assert_cmpstr (test_connection (prefs, url, ""), ==, "Enter an API key first.");
  g_assert_true (g_str_has_prefix (test_connection (prefs, "http://127.0.0.1:9", KEY),
                                   "Cannot reach the server: "));
  gtk_window_destroy (GTK_WINDOW (prefs));
  app_test_iterate (100);
}

static void
test_rate_limit_text (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  VitalPreferencesWindow *prefs = VITAL_PREFERENCES_WINDOW (vital_preferences_window_new (NULL,
                                                                                      settings));
  VitalClientRateLimit unlimited = { G_MAXINT32, G_MAXINT32, 0 };
  VitalClientRateLimit sixty = { 60, 58, 0 };

  g_assert_true (vital_client_rate_limit_is_unlimited (&unlimited));
  g_assert_false (vital_client_rate_limit_is_unlimited (&sixty));
  vital_preferences_window_set_rate_limit (prefs, G_MAXINT32, G_MAXINT32, 0);
  g_assert_cmpstr (vital_preferences_window_get_rate_limit_text (prefs), ==, "Unlimited");
  vital_preferences_window_set_rate_limit (prefs, 60, 58, 0);
  g_assert_cmpstr (vital_preferences_window_get_rate_limit_text (prefs), ==, "58 of 60");
  gtk_window_destroy (GTK_WINDOW (prefs));
  app_test_iterate (50);
}

static void
saved (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vital_secret_store_save_finish (result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
has_client (gpointer controller)
{
  return ((VitalScanController *) controller)->client != NULL;
}

/* back on the live page with the countdown running */
static gboolean
recording (gpointer window)
{
  const char *text = vital_window_get_progress_text (window);

  return g_strcmp0 (vital_window_get_page (window), "live") == 0 && text != NULL &&
         strstr (text, "s left") != NULL;
}

static gboolean
not_scanning (gpointer controller)
{
  return !vital_scan_controller_get_busy (controller);
}

/* A key the server refuses: the scan fails before anything is recorded, saying why. */
static void
test_scan_checks_first (void)
{
  static const VitalTestKey keys[] = { { KEY, "prefs", 0, 0 } };
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();
  g_autoptr(VitalServer) server = vital_test_server_start (config, keys, G_N_ELEMENTS (keys));
  const char *url = vital_server_get_base_url (server);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  VitalScanControllerOptions options = { .force_demo = TRUE };
  g_autoptr(VitalScanController) controller = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  VitalWindow *window;

  vital_secret_store_save_async (url, UNKNOWN_KEY, NULL, saved, &done);
  g_assert_true (app_test_wait (flag_set, &done, 10000));
  g_settings_set_string (settings, "backend", "server");
  g_settings_set_string (settings, "server-url", url);
  window = g_object_ref_sink (vital_window_new (NULL, FALSE));
  gtk_window_present (GTK_WINDOW (window));
  controller = vital_scan_controller_new (window, settings, &options);
  g_assert_true (vital_scan_controller_start_preview (controller, &error));
  g_assert_no_error (error);
  g_assert_true (app_test_wait (has_client, controller, 10000));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.scan", NULL));
  g_assert_cmpstr (vital_window_get_page (window), ==, "processing");
  g_assert_cmpstr (vital_window_get_processing_text (window), ==,
                   "Checking the server and the key…");
  g_assert_true (app_test_wait (not_scanning, controller, 30000));
  g_assert_cmpstr (vital_window_get_page (window), ==, "error");
  g_test_message ("%s — %s", vital_window_get_error_title (window),
                  vital_window_get_error_description (window));
  g_assert_null (controller->payload);   /* nothing was recorded */

  /* a key the server accepts: the check passes and the recording starts */
  done = FALSE;
  vital_secret_store_save_async (url, KEY, NULL, saved, &done);
  g_assert_true (app_test_wait (flag_set, &done, 10000));
  g_clear_object (&controller->client);
  vital_scan_controller_key_changed (controller);
  g_assert_true (app_test_wait (has_client, controller, 10000));
  vital_window_show_live (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.scan", NULL));
  g_assert_true (app_test_wait (recording, window, 30000));
  g_assert_true (vital_scan_controller_get_busy (controller));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL));
  g_assert_true (app_test_wait (not_scanning, controller, 30000));

  g_clear_object (&controller);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  g_settings_set_string (settings, "backend", "local");
  app_test_iterate (100);
}

int
main (int   argc,
      char *argv[])
{
  app_test_init (&argc, &argv);

  g_test_add_func ("/app/preferences/key-rule/agreement", test_key_rule_agreement);
  g_test_add_func ("/app/preferences/key-rule/stated", test_key_rule_stated);
  g_test_add_func ("/app/preferences/rate-limit/unlimited", test_rate_limit_text);
  g_test_add_func ("/app/preferences/settings-bound", test_settings_bound);
  g_test_add_func ("/app/preferences/scan-length-says-what-it-measures", test_scan_length);
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    {
      g_test_add_func ("/app/preferences/key-round-trip", test_key_round_trip);
      g_test_add_func ("/app/preferences/test-connection", test_connection_button);
      g_test_add_func ("/app/preferences/scan-checks-key-first", test_scan_checks_first);
    }
  else
    g_test_message ("no session bus: run under keyring-run.sh for the Secret Service test");

  return g_test_run ();
}
