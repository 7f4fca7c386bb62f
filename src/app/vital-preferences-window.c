/* vital-preferences-window.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalPreferencesWindow: backend, server URL, API key (Secret Service, never GSettings; checked
 * by the one rule of the core, which it states), a test of the connection, camera, scan length
 * and local history. Kiosk mode is not a preference: a booth's administrator starts it
 * (vital_application_kiosk_is_managed()).
 */
#include "vital-config.h"

#include <glib/gi18n.h>

#include "vital-a11y.h"
#include "vital-api-key.h"
#include "vital-client.h"
#include "vital-preferences-window-private.h"
#include "vital-scan-length.h"
#include "vital-secret-store.h"

static const guint scan_lengths[] = { 15, 30, 45, 60 };

struct _VitalPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  GCancellable         *cancellable;
  char                 *key_status;
  char                 *connection_status;
  guint                 busy;
  gboolean              loading_key;

  AdwComboRow          *backend_row;
  AdwEntryRow          *server_url_row;
  AdwEntryRow          *api_key_row;
  GtkLabel             *key_badge;
  AdwActionRow         *key_status_row;
  AdwPreferencesGroup  *processing_group;
  AdwActionRow         *connection_row;
  GtkWidget            *test_button;
  AdwActionRow         *rate_limit_row;
  AdwComboRow          *camera_row;
  GtkStringList        *camera_model;
  AdwComboRow          *scan_length_row;
  GtkSwitch            *history_switch;
};

G_DEFINE_FINAL_TYPE (VitalPreferencesWindow, vital_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

enum {
  KEY_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
set_key_status (VitalPreferencesWindow *self,
                const char             *status)
{
  g_free (self->key_status);
  self->key_status = g_strdup (status);
  adw_action_row_set_subtitle (self->key_status_row, status);
}

/* What is wrong with a key, in the words of the one rule (vital_api_key_check()). */
static char *
key_rule_message (const GError *error)
{
  switch (error->code)
    {
    case VITAL_API_KEY_ERROR_EMPTY:
      return g_strdup (_("Enter an API key first."));
    case VITAL_API_KEY_ERROR_TOO_SHORT:
      /* Translators: %d is the least number of characters after the prefix */
      return g_strdup_printf (_("This key is too short: after “ck_test_” or “ck_live_” come at "
                                "least %d letters or digits."), VITAL_API_KEY_SECRET_MIN);
    case VITAL_API_KEY_ERROR_TOO_LONG:
      /* Translators: %d is the greatest number of characters after the prefix */
      return g_strdup_printf (_("This key is too long: after “ck_test_” or “ck_live_” come at "
                                "most %d letters or digits."), VITAL_API_KEY_SECRET_MAX);
    case VITAL_API_KEY_ERROR_CHARACTER:
      return g_strdup (_("An API key has only letters and digits after “ck_test_” or "
                         "“ck_live_”."));
    case VITAL_API_KEY_ERROR_PREFIX:
    default:
      return g_strdup (_("API keys start with “ck_test_” or “ck_live_”."));
    }
}

static void
update_badge (VitalPreferencesWindow *self)
{
  const char *key = gtk_editable_get_text (GTK_EDITABLE (self->api_key_row));
  const char *env = vital_api_key_get_environment (key);

  gtk_widget_remove_css_class (GTK_WIDGET (self->key_badge), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->key_badge), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->api_key_row), "error");
  if (g_strcmp0 (env, "test") == 0)
    {
      gtk_label_set_label (self->key_badge, _("TEST"));
      gtk_widget_add_css_class (GTK_WIDGET (self->key_badge), "warning");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->key_badge),
                                   _("Test key: results are synthetic"));
    }
  else if (g_strcmp0 (env, "live") == 0)
    {
      gtk_label_set_label (self->key_badge, _("LIVE"));
      gtk_widget_add_css_class (GTK_WIDGET (self->key_badge), "success");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->key_badge), _("Live key"));
    }
  else if (*key != '\0')
    gtk_widget_add_css_class (GTK_WIDGET (self->api_key_row), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->key_badge), env != NULL);
}

static const char *
current_server (VitalPreferencesWindow *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->server_url_row));
}

static void
lookup_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(VitalPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = vital_secret_store_lookup_finish (result, &error);

  self->busy--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading_key = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->api_key_row), key ? key : "");
  self->loading_key = FALSE;
  update_badge (self);
  if (error != NULL)
    set_key_status (self, _("The system keyring is not available; the key cannot be stored."));
  else
    set_key_status (self, key ? _("Key stored in the system keyring.")
                              : _("No key stored for this server."));
}

static void
load_key (VitalPreferencesWindow *self)
{
  self->busy++;
  vital_secret_store_lookup_async (current_server (self), self->cancellable, lookup_done,
                                   g_object_ref (self));
}

static void
save_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VitalPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_task_get_source_tag (G_TASK (result)) == vital_secret_store_clear_async)
    ok = vital_secret_store_clear_finish (result, &error);
  else
    ok = vital_secret_store_save_finish (result, &error);
  self->busy--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!ok)
    set_key_status (self, _("The key could not be stored in the system keyring."));
  else
    {
      set_key_status (self, *gtk_editable_get_text (GTK_EDITABLE (self->api_key_row))
                              ? _("Key stored in the system keyring.")
                              : _("No key stored for this server."));
      g_signal_emit (self, signals[KEY_CHANGED], 0);
    }
}

static void
key_applied (AdwEntryRow            *row,
             VitalPreferencesWindow *self)
{
  const char *key = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autofree char *trimmed = g_strstrip (g_strdup (key));

  g_autoptr(GError) rule_error = NULL;

  update_badge (self);
  if (*trimmed != '\0' && !vital_api_key_check (trimmed, NULL, &rule_error))
    {
      g_autofree char *message = key_rule_message (rule_error);
      set_key_status (self, message);
      return;
    }
  self->busy++;
  if (*trimmed == '\0')
    vital_secret_store_clear_async (current_server (self), self->cancellable, save_done,
                                    g_object_ref (self));
  else
    vital_secret_store_save_async (current_server (self), trimmed, self->cancellable, save_done,
                                   g_object_ref (self));
}

static void
key_changed (GtkEditable            *editable,
             VitalPreferencesWindow *self)
{
  if (!self->loading_key)
    update_badge (self);
}

static void
set_connection_status (VitalPreferencesWindow *self,
                       const char             *status)
{
  g_free (self->connection_status);
  self->connection_status = g_strdup (status);
  adw_action_row_set_subtitle (self->connection_row, status);
}

static void
connection_checked (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(VitalPreferencesWindow) self = user_data;
  VitalClient *client = VITAL_CLIENT (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  VitalClientRateLimit limit;
  gboolean ok = vital_client_check_connection_finish (client, result, &error);

  self->busy--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (self->test_button, TRUE);
  if (vital_client_get_last_rate_limit (client, &limit))
    vital_preferences_window_set_rate_limit (self, limit.limit, limit.remaining, limit.reset);
  if (ok)
    text = g_strdup (g_strcmp0 (vital_client_get_key_environment (client), "test") == 0
                     ? _("OK: the server answers and accepts this test key (results are "
                         "synthetic).")
                     : _("OK: the server answers and accepts this key."));
  else if (g_error_matches (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_MISSING_API_KEY))
    text = g_strdup (_("Enter an API key first."));
  else if (g_error_matches (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_MALFORMED_API_KEY))
    {
      g_autoptr(GError) rule_error = NULL;
      vital_api_key_check (gtk_editable_get_text (GTK_EDITABLE (self->api_key_row)), NULL,
                           &rule_error);
      text = rule_error != NULL ? key_rule_message (rule_error) : g_strdup (error->message);
    }
  else if (g_error_matches (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_API_KEY_REJECTED))
    text = g_strdup (_("The server answers but does not accept this key."));
  else if (g_error_matches (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_NETWORK) ||
           g_error_matches (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_TIMEOUT))
    /* Translators: %s says why, e.g. "Could not connect: Connection refused" */
    text = g_strdup_printf (_("Cannot reach the server: %s"), error->message);
  else
    /* Translators: %s is what the server or the connection said */
    text = g_strdup_printf (_("The server cannot be used: %s"), error->message);
  set_connection_status (self, text);
}

/* Checks the address and the key as typed (applied or not) with the server, the way a scan
 * does before recording. */
static void
test_clicked (VitalPreferencesWindow *self)
{
  g_autofree char *url = g_strstrip (g_strdup (current_server (self)));
  g_autofree char *key =
    g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->api_key_row))));
  g_autoptr(VitalClient) client = vital_client_new (url, key);

  /* an answer now, not after the retries a scan would make */
  vital_retry_policy_set_max_attempts (vital_client_get_retry_policy (client), 1);
  vital_client_set_timeout (client, 15);
  gtk_widget_set_sensitive (self->test_button, FALSE);
  set_connection_status (self, _("Checking…"));
  self->busy++;
  vital_client_check_connection_async (client, self->cancellable, connection_checked,
                                       g_object_ref (self));
}

static void
url_applied (AdwEntryRow            *row,
             VitalPreferencesWindow *self)
{
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("Enter an http:// or https:// address")));
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  g_settings_set_string (self->settings, "server-url", url);
  load_key (self);
}

static gboolean
backend_get (GValue   *value,
             GVariant *variant,
             gpointer  user_data)
{
  g_value_set_uint (value, g_strcmp0 (g_variant_get_string (variant, NULL), "server") == 0);
  return TRUE;
}

static GVariant *
backend_set (const GValue       *value,
             const GVariantType *type,
             gpointer            user_data)
{
  return g_variant_new_string (g_value_get_uint (value) == 1 ? "server" : "local");
}

static gboolean
length_get (GValue   *value,
            GVariant *variant,
            gpointer  user_data)
{
  guint s = g_variant_get_uint32 (variant), best = 1;

  for (guint i = 0; i < G_N_ELEMENTS (scan_lengths); i++)
    if (scan_lengths[i] <= s)
      best = i;
  g_value_set_uint (value, best);
  return TRUE;
}

static GVariant *
length_set (const GValue       *value,
            const GVariantType *type,
            gpointer            user_data)
{
  guint i = MIN (g_value_get_uint (value), G_N_ELEMENTS (scan_lengths) - 1);
  return g_variant_new_uint32 (scan_lengths[i]);
}

/* Says what the chosen length measures: a short scan silently loses vitals otherwise. */
static void
length_subtitle_update (VitalPreferencesWindow *self)
{
  guint i = MIN (adw_combo_row_get_selected (self->scan_length_row),
                 G_N_ELEMENTS (scan_lengths) - 1);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->scan_length_row),
                               vital_scan_length_get_description (scan_lengths[i]));
}

static void
server_rows_update (VitalPreferencesWindow *self)
{
  gboolean server = adw_combo_row_get_selected (self->backend_row) == 1;

  gtk_widget_set_sensitive (GTK_WIDGET (self->server_url_row), server);
  gtk_widget_set_sensitive (GTK_WIDGET (self->api_key_row), server);
  gtk_widget_set_sensitive (GTK_WIDGET (self->connection_row), server);
}

static void
camera_selected (AdwComboRow            *row,
                 GParamSpec             *pspec,
                 VitalPreferencesWindow *self)
{
  guint i = adw_combo_row_get_selected (row);
  const char *value = "";

  if (i == GTK_INVALID_LIST_POSITION || self->settings == NULL)
    return;
  if (i == 1)
    value = "demo";
  else if (i > 1)
    value = gtk_string_list_get_string (self->camera_model, i);
  g_settings_set_string (self->settings, "camera", value);
}

static void
vital_preferences_window_dispose (GObject *object)
{
  VitalPreferencesWindow *self = VITAL_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  /* The rows outlive the template pointers while GSettings still drives them: cut both. */
  if (self->backend_row != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->backend_row, self);
      g_signal_handlers_disconnect_by_data (self->server_url_row, self);
      g_signal_handlers_disconnect_by_data (self->api_key_row, self);
      g_signal_handlers_disconnect_by_data (self->camera_row, self);
      g_signal_handlers_disconnect_by_data (self->scan_length_row, self);
      g_settings_unbind (self->backend_row, "selected");
      g_settings_unbind (self->scan_length_row, "selected");
      g_settings_unbind (self->history_switch, "active");
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), VITAL_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (vital_preferences_window_parent_class)->dispose (object);
}

static void
vital_preferences_window_finalize (GObject *object)
{
  VitalPreferencesWindow *self = VITAL_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->key_status, g_free);
  g_clear_pointer (&self->connection_status, g_free);

  G_OBJECT_CLASS (vital_preferences_window_parent_class)->finalize (object);
}

static void
vital_preferences_window_class_init (VitalPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vital_preferences_window_dispose;
  G_OBJECT_CLASS (klass)->finalize = vital_preferences_window_finalize;

  /**
   * VitalPreferencesWindow::key-changed:
   * The API key was stored in or removed from the keyring.
   */
  signals[KEY_CHANGED] = g_signal_new ("key-changed", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vitalscan/Vitalscan/"
                                               "vital-preferences-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VitalPreferencesWindow, name)
  BIND (backend_row);
  BIND (server_url_row);
  BIND (api_key_row);
  BIND (key_badge);
  BIND (key_status_row);
  BIND (processing_group);
  BIND (connection_row);
  BIND (test_button);
  BIND (rate_limit_row);
  BIND (camera_row);
  BIND (camera_model);
  BIND (scan_length_row);
  BIND (history_switch);
#undef BIND
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vital_preferences_window_init (VitalPreferencesWindow *self)
{
  g_autofree char *rule = NULL;

  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The rule the server applies, said where the key is typed (from the same constants). */
  /* Translators: the two numbers are the least and greatest number of characters */
  rule = g_strdup_printf (_("With a server, the API key is “ck_live_” or “ck_test_” followed by "
                            "%d to %d letters or digits."),
                          VITAL_API_KEY_SECRET_MIN, VITAL_API_KEY_SECRET_MAX);
  adw_preferences_group_set_description (self->processing_group, rule);
  g_signal_connect_swapped (self->test_button, "clicked", G_CALLBACK (test_clicked), self);
  vital_a11y_name_controls (GTK_WIDGET (self));
}

/**
 * vital_preferences_window_set_cameras:
 * @self: a #VitalPreferencesWindow
 * @names: (array zero-terminated=1) (nullable): display names of the cameras found
 *
 * Fills the camera choice: "Automatic", "Demo subject", then @names; keeps the stored choice.
 */
void
vital_preferences_window_set_cameras (VitalPreferencesWindow *self,
                                      const char * const     *names)
{
  g_autofree char *chosen = NULL;
  guint n, selected = 0;

  g_return_if_fail (VITAL_IS_PREFERENCES_WINDOW (self));

  chosen = g_settings_get_string (self->settings, "camera");
  g_signal_handlers_block_by_func (self->camera_row, camera_selected, self);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->camera_model));
  gtk_string_list_splice (self->camera_model, 0, n, NULL);
  gtk_string_list_append (self->camera_model, _("Automatic"));
  gtk_string_list_append (self->camera_model, _("Demo subject"));
  if (g_strcmp0 (chosen, "demo") == 0)
    selected = 1;
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      gtk_string_list_append (self->camera_model, names[i]);
      if (g_strcmp0 (chosen, names[i]) == 0)
        selected = i + 2;
    }
  adw_combo_row_set_selected (self->camera_row, selected);
  g_signal_handlers_unblock_by_func (self->camera_row, camera_selected, self);
}

/**
 * vital_preferences_window_show_camera_choice:
 * @self: a #VitalPreferencesWindow
 *
 * Focuses the camera row and opens its list of choices.
 */
void
vital_preferences_window_show_camera_choice (VitalPreferencesWindow *self)
{
  g_return_if_fail (VITAL_IS_PREFERENCES_WINDOW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->camera_row));
  gtk_widget_activate (GTK_WIDGET (self->camera_row));
}

/**
 * vital_preferences_window_new:
 * @parent: (nullable): the main window
 * @settings: the app's settings
 *
 * Returns: (transfer full): a new preferences window; the stored API key for the configured
 *   server is loaded from the keyring asynchronously
 */
GtkWidget *
vital_preferences_window_new (GtkWindow *parent,
                              GSettings *settings)
{
  VitalPreferencesWindow *self;
  g_autofree char *url = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (VITAL_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
  self->settings = g_object_ref (settings);

  g_settings_bind_with_mapping (settings, "backend", self->backend_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, backend_get, backend_set, NULL, NULL);
  g_settings_bind_with_mapping (settings, "scan-length", self->scan_length_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, length_get, length_set, NULL, NULL);
  g_settings_bind (settings, "keep-local-history", self->history_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);

  url = g_settings_get_string (settings, "server-url");
  gtk_editable_set_text (GTK_EDITABLE (self->server_url_row), url);
  server_rows_update (self);
  g_signal_connect_swapped (self->backend_row, "notify::selected",
                            G_CALLBACK (server_rows_update), self);
  g_signal_connect (self->server_url_row, "apply", G_CALLBACK (url_applied), self);
  g_signal_connect (self->api_key_row, "apply", G_CALLBACK (key_applied), self);
  g_signal_connect (self->api_key_row, "changed", G_CALLBACK (key_changed), self);
  g_signal_connect (self->camera_row, "notify::selected", G_CALLBACK (camera_selected), self);
  length_subtitle_update (self);
  g_signal_connect_swapped (self->scan_length_row, "notify::selected",
                            G_CALLBACK (length_subtitle_update), self);
  vital_preferences_window_set_cameras (self, NULL);

  load_key (self);
  return GTK_WIDGET (self);
}

/**
 * vital_preferences_window_set_rate_limit:
 * @self: a #VitalPreferencesWindow
 * @limit: requests allowed per window, or -1 when unknown
 * @remaining: requests left
 * @reset_unix: when the window resets (Unix time), or 0
 *
 * Shows the rate limit the server reported after the last scan.
 */
void
vital_preferences_window_set_rate_limit (VitalPreferencesWindow *self,
                                         gint64                  limit,
                                         gint64                  remaining,
                                         gint64                  reset_unix)
{
  g_autofree char *text = NULL;

  g_return_if_fail (VITAL_IS_PREFERENCES_WINDOW (self));

  if (limit < 0)
    text = g_strdup (_("Shown after the first scan with a server"));
  else if (limit >= VITAL_CLIENT_RATE_LIMIT_UNLIMITED)
    /* the on-device server's own key, or a server's key without a limit */
    text = g_strdup (_("Unlimited"));
  else if (reset_unix > 0)
    {
      g_autoptr(GDateTime) reset = g_date_time_new_from_unix_local (reset_unix);
      g_autofree char *when = g_date_time_format (reset, "%X");
      /* Translators: e.g. "58 of 60, resets at 14:02:00" */
      text = g_strdup_printf (_("%lld of %lld, resets at %s"), (long long) remaining,
                              (long long) limit, when);
    }
  else
    /* Translators: requests left of the limit, e.g. "58 of 60" */
    text = g_strdup_printf (_("%lld of %lld"), (long long) remaining, (long long) limit);
  adw_action_row_set_subtitle (self->rate_limit_row, text);
}

/**
 * vital_preferences_window_get_connection_status:
 * @self: a #VitalPreferencesWindow
 *
 * Returns: (transfer none) (nullable): what Test Connection found, %NULL before it is used
 */
const char *
vital_preferences_window_get_connection_status (VitalPreferencesWindow *self)
{
  g_return_val_if_fail (VITAL_IS_PREFERENCES_WINDOW (self), NULL);
  return self->connection_status;
}

/**
 * vital_preferences_window_get_test_button:
 * @self: a #VitalPreferencesWindow
 *
 * Returns: (transfer none): the Test Connection button
 */
GtkWidget *
vital_preferences_window_get_test_button (VitalPreferencesWindow *self)
{
  g_return_val_if_fail (VITAL_IS_PREFERENCES_WINDOW (self), NULL);
  return self->test_button;
}

/**
 * vital_preferences_window_get_rate_limit_text:
 * @self: a #VitalPreferencesWindow
 *
 * Returns: (transfer none) (nullable): what the Requests Left row says
 */
const char *
vital_preferences_window_get_rate_limit_text (VitalPreferencesWindow *self)
{
  g_return_val_if_fail (VITAL_IS_PREFERENCES_WINDOW (self), NULL);
  return adw_action_row_get_subtitle (self->rate_limit_row);
}

/**
 * vital_preferences_window_get_key_rule:
 * @self: a #VitalPreferencesWindow
 *
 * Returns: (transfer none): the rule of API keys as the window states it
 */
const char *
vital_preferences_window_get_key_rule (VitalPreferencesWindow *self)
{
  g_return_val_if_fail (VITAL_IS_PREFERENCES_WINDOW (self), NULL);
  return adw_preferences_group_get_description (self->processing_group);
}

/**
 * vital_preferences_window_get_key_badge:
 * @self: a #VitalPreferencesWindow
 *
 * Returns: (transfer none) (nullable): "TEST", "LIVE" (translated) or %NULL when no badge
 */
const char *
vital_preferences_window_get_key_badge (VitalPreferencesWindow *self)
{
  g_return_val_if_fail (VITAL_IS_PREFERENCES_WINDOW (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->key_badge)))
    return NULL;
  return gtk_label_get_label (self->key_badge);
}

/**
 * vital_preferences_window_is_busy:
 * @self: a #VitalPreferencesWindow
 *
 * Returns: %TRUE while a keyring operation is running
 */
gboolean
vital_preferences_window_is_busy (VitalPreferencesWindow *self)
{
  g_return_val_if_fail (VITAL_IS_PREFERENCES_WINDOW (self), FALSE);
  return self->busy > 0;
}

/**
 * vital_preferences_window_get_key_status:
 * @self: a #VitalPreferencesWindow
 *
 * Returns: (transfer none) (nullable): the last keyring status line
 */
const char *
vital_preferences_window_get_key_status (VitalPreferencesWindow *self)
{
  g_return_val_if_fail (VITAL_IS_PREFERENCES_WINDOW (self), NULL);
  return self->key_status;
}

/**
 * vital_preferences_window_get_scan_length_subtitle:
 * @self: a #VitalPreferencesWindow
 *
 * Returns: (transfer none) (nullable): what the scan-length row says under its title
 */
const char *
vital_preferences_window_get_scan_length_subtitle (VitalPreferencesWindow *self)
{
  g_return_val_if_fail (VITAL_IS_PREFERENCES_WINDOW (self), NULL);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (self->scan_length_row));
}
