/* test-history.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the History page as a place to reopen, export and delete results: the off state
 * turns history on with a button, rows carry the main vitals and four-digit dates in the local
 * time zone, a row opens the full result, several export to one CSV, rows are deleted after
 * a question, the page fits 400 px, and the server's sessions appear only for a remote server
 * (a real one here), in local time, refreshed after a scan, between days picked on calendars.
 * Runs with TZ=Asia/Kolkata (+05:30, no daylight saving) so that local is not UTC.
 */
#include "vital-config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>

#include "app-test-util.h"
#include "vital-history-store.h"
#include "vital-history-view-private.h"
#include "vital-test-client.h"
#include "vital-test-server.h"
#include "vital-test-util.h"
#include "vital-window-private.h"

#define TEST_KEY "ck_test_historyhistory0123456789"

typedef struct
{
  char              *dir;
  VitalHistoryStore *store;
  GtkWidget         *window;
  VitalHistoryView  *view;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("vitalscan-history-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "history.db", NULL);
  f->store = vital_history_store_open (path, &error);
  g_assert_no_error (error);
  f->window = adw_window_new ();
  f->view = VITAL_HISTORY_VIEW (vital_history_view_new ());
  adw_window_set_content (ADW_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 600, 700);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  app_test_iterate (20);
  g_clear_object (&f->store);
  vital_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* Three results, an hour apart (the newest, a demo scan, first in the list). */
static void
add_three (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  vital_history_view_set_store (f->view, f->store);
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(VitalReading) r = app_test_reading (0.8, 70 + i);
      g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 11, 23, 10 + i, 30, 0);

      vital_signs_set_completed_at (vital_reading_get_signs (r), g_date_time_to_unix (when));
      if (i == 2)
        vital_reading_set_source (r, VITAL_READING_SOURCE_DEMO, NULL);
      g_assert_true (vital_history_view_add_local (f->view, r, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (vital_history_view_get_n_local_rows (f->view), ==, 3);
}

static gboolean
no_result_dialog (gpointer view)
{
  return vital_history_view_get_result_dialog (view) == NULL;
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

/* Off by default: the page says what would be kept and turns it on with a button. */
static void
test_off_turns_on (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  GtkWidget *button = vital_history_view_get_enable_button (f->view);
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (g_get_user_data_dir (), "vitalscan", "history.db",
                                          NULL);

  g_settings_set_boolean (settings, "keep-local-history", FALSE);
  vital_history_view_set_settings (f->view, settings);
  g_assert_null (vital_history_view_get_store (f->view));
  g_assert_true (app_test_wait (is_mapped, button, 5000));
  g_assert_true (gtk_widget_is_sensitive (button));
  app_test_screenshot (f->window, "history-off.png", &error);
  g_assert_no_error (error);

  g_signal_emit_by_name (button, "clicked");
  g_assert_true (g_settings_get_boolean (settings, "keep-local-history"));
  g_assert_nonnull (vital_history_view_get_store (f->view));
  g_assert_true (g_file_test (db, G_FILE_TEST_EXISTS));
  app_test_iterate (50);
  g_assert_false (gtk_widget_get_mapped (button));
  g_settings_set_boolean (settings, "keep-local-history", FALSE);
  g_settings_sync ();
}

/* A row: four-digit year, local time (10:30 UTC is 16:00 in Kolkata), the main vitals. */
static void
test_row_text (Fixture       *f,
               gconstpointer  data)
{
  add_three (f);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                     vital_history_view_get_local_row (f->view, 2))), ==,
                   "23 Nov 2026, 16:00");
  g_assert_cmpstr (vital_history_view_get_local_row_subtitle (f->view, 2), ==,
                   "70 bpm · 15 breaths/min · SpO₂ 98 % · BP 118/76 mmHg · High confidence");
  g_assert_cmpstr (vital_history_view_get_local_row_subtitle (f->view, 0), ==,
                   "Demo scan · 72 bpm · 15 breaths/min · SpO₂ 98 % · BP 118/76 mmHg · "
                   "High confidence");
}

/* Activating a row opens the whole result, each vital with its own confidence. */
static void
test_reopen (Fixture       *f,
             gconstpointer  data)
{
  VitalHistoryResultDialog *dialog;
  VitalResultsPanel *panel;
  VitalReading *shown;
  g_autoptr(GError) error = NULL;

  add_three (f);
  g_assert_null (vital_history_view_get_result_dialog (f->view));
  g_assert_true (gtk_widget_activate (vital_history_view_get_local_row (f->view, 0)));
  dialog = vital_history_view_get_result_dialog (f->view);
  g_assert_nonnull (dialog);
  g_assert_true (app_test_wait (is_mapped, dialog, 5000));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "23 Nov 2026, 18:00");
  panel = vital_history_result_dialog_get_panel (dialog);
  shown = vital_results_panel_get_reading (panel);
  g_assert_cmpfloat (vital_reading_get_value (shown, VITAL_MEASURE_HEART_RATE), ==, 72);
  g_assert_cmpfloat (vital_reading_get_value (shown, VITAL_MEASURE_DIASTOLIC_BP), ==, 76);
  /* per-vital confidence survives the store: SpO₂ was 0.6, breathing 0.8 */
  g_assert_cmpfloat_with_epsilon (vital_reading_get_quality (shown, VITAL_MEASURE_SPO2), 0.6,
                                  1e-9);
  g_assert_cmpfloat_with_epsilon (vital_reading_get_quality (shown,
                                                             VITAL_MEASURE_RESPIRATORY_RATE),
                                  0.8, 1e-9);
  g_assert_true (vital_reading_is_demo (shown));
  g_assert_nonnull (strstr (vital_results_panel_get_source_text (panel), "demo subject"));
  g_assert_true (vital_results_panel_get_values_visible (panel));
  g_assert_false (vital_results_panel_get_scan_again_visible (panel));
  app_test_screenshot (GTK_WIDGET (dialog), "history-result.png", &error);
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_null (vital_history_view_get_result_dialog (f->view));
}

static guint
count_lines (const char *path)
{
  g_autofree char *text = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

/* Select several, export them to one CSV (a header and a row each). */
/* How many heart-rate Observations (LOINC 8867-4) the FHIR Bundle in @path holds. */
static guint
count_heart_rates (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *bundle;
  JsonArray *entries;
  guint n = 0;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  bundle = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (bundle, "resourceType"), ==, "Bundle");
  entries = json_object_get_array_member (bundle, "entry");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *resource = json_object_get_object_member (
        json_array_get_object_element (entries, i), "resource");
      JsonObject *code;

      if (g_strcmp0 (json_object_get_string_member (resource, "resourceType"), "Observation"))
        continue;
      code = json_array_get_object_element (
        json_object_get_array_member (json_object_get_object_member (resource, "code"),
                                      "coding"), 0);
      n += g_strcmp0 (json_object_get_string_member (code, "code"), "8867-4") == 0;
    }
  return n;
}

/* The actions of the menu @button opens, e.g. "history.export-selected::csv". */
static char *
menu_actions (GtkWidget *button)
{
  GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  GString *out = g_string_new (NULL);

  g_assert_nonnull (menu);
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *action = NULL;
      g_autoptr(GVariant) target = g_menu_model_get_item_attribute_value (
        menu, i, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);

      g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
      g_string_append_printf (out, "%s%s::%s", i ? " " : "", action,
                              target ? g_variant_get_string (target, NULL) : "");
    }
  return g_string_free (out, FALSE);
}

static void
test_export_selected (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "two.csv", NULL);
  g_autofree char *fhir_path = g_build_filename (f->dir, "two.fhir.json", NULL);
  g_autofree char *bad_path = g_build_filename (f->dir, "missing", "x.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) fhir = g_file_new_for_path (fhir_path);
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  GtkWidget *export_button, *delete_button;
  GtkWidget *select = vital_history_view_get_select_button (f->view);
  g_autofree char *csv = NULL;
  g_autofree char *actions = NULL;
  g_autoptr(GError) error = NULL;

  add_three (f);
  vital_history_view_get_selection_buttons (f->view, &export_button, &delete_button);
  g_assert_false (gtk_widget_get_visible (export_button) && gtk_widget_get_mapped (export_button));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (select), TRUE);
  g_assert_true (app_test_wait (is_mapped, export_button, 5000));
  g_assert_false (gtk_widget_get_sensitive (export_button));
  /* in selection mode, activating a row ticks it instead of opening it */
  g_assert_true (gtk_widget_activate (vital_history_view_get_local_row (f->view, 0)));
  g_assert_true (gtk_widget_activate (vital_history_view_get_local_row (f->view, 2)));
  g_assert_null (vital_history_view_get_result_dialog (f->view));
  g_assert_true (gtk_widget_get_sensitive (export_button));
  app_test_iterate (50);
  app_test_screenshot (f->window, "history-select.png", &error);
  g_assert_no_error (error);

  /* the selection goes into one file: a CSV table or one FHIR Bundle */
  actions = menu_actions (export_button);
  g_assert_cmpstr (actions, ==, "history.export-selected::csv history.export-selected::fhir");
  vital_history_view_export_selected_to_file (f->view, VITAL_EXPORT_CSV, file);
  g_assert_cmpstr (vital_history_view_get_last_message (f->view), ==,
                   "Exported 2 results to two.csv");
  g_assert_cmpuint (count_lines (path), ==, 3);
  g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
  g_assert_nonnull (strstr (csv, ",72."));   /* the demo scan, row 0 */
  g_assert_nonnull (strstr (csv, ",70."));
  g_assert_null (strstr (csv, ",71."));      /* not selected */

  vital_history_view_export_selected_to_file (f->view, VITAL_EXPORT_FHIR, fhir);
  g_assert_cmpstr (vital_history_view_get_last_message (f->view), ==,
                   "Exported 2 results to two.fhir.json");
  g_assert_cmpuint (count_heart_rates (fhir_path), ==, 2);

  vital_history_view_export_selected_to_file (f->view, VITAL_EXPORT_CSV, bad);
  g_assert_true (g_str_has_prefix (vital_history_view_get_last_message (f->view),
                                   "Could not export: "));

  /* one, from the reopened result, in every format a result after a scan has */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (select), FALSE);
  g_assert_true (gtk_widget_activate (vital_history_view_get_local_row (f->view, 1)));
  g_assert_nonnull (vital_history_view_get_result_dialog (f->view));
  {
    GtkWidget *dialog = GTK_WIDGET (vital_history_view_get_result_dialog (f->view));
    GtkWidget *menu_button = app_test_find_widget (dialog, GTK_TYPE_MENU_BUTTON);
    g_autofree char *formats = NULL;

    g_assert_nonnull (menu_button);
    formats = menu_actions (menu_button);
    g_assert_cmpstr (formats, ==, "result.export::json result.export::csv result.export::pdf "
                                  "result.export::fhir");
  }
  {
    static const struct { VitalExportFormat format; const char *name, *start; } formats[] = {
      { VITAL_EXPORT_CSV, "one.csv", "completed_at," },
      { VITAL_EXPORT_JSON, "one.json", "{" },
      { VITAL_EXPORT_PDF, "one.pdf", "%PDF-" },
      { VITAL_EXPORT_FHIR, "one.fhir.json", "{" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
      {
        g_autofree char *one_path = g_build_filename (f->dir, formats[i].name, NULL);
        g_autoptr(GFile) one = g_file_new_for_path (one_path);
        g_autofree char *text = NULL;

        vital_history_view_export_shown_to_file (f->view, formats[i].format, one);
        g_assert_true (g_file_get_contents (one_path, &text, NULL, NULL));
        g_assert_true (g_str_has_prefix (text, formats[i].start));
      }
  }
  {
    g_autofree char *one_fhir = g_build_filename (f->dir, "one.fhir.json", NULL);
    g_assert_cmpuint (count_heart_rates (one_fhir), ==, 1);
  }
  gtk_window_destroy (GTK_WINDOW (vital_history_view_get_result_dialog (f->view)));
}

/* Deleting asks first; Cancel keeps, Delete removes from the list and the file. */
static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  GtkWidget *export_button, *delete_button;
  AdwMessageDialog *dialog;
  g_autoptr(GError) error = NULL;

  add_three (f);
  /* one, with its row's button */
  g_signal_emit_by_name (vital_history_view_get_local_row_delete_button (f->view, 1), "clicked");
  dialog = vital_history_view_get_confirm_dialog (f->view);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete 1 Result?");
  adw_message_dialog_response (dialog, "cancel");
  g_assert_cmpuint (vital_history_view_get_n_local_rows (f->view), ==, 3);
  app_test_iterate (20);
  g_signal_emit_by_name (vital_history_view_get_local_row_delete_button (f->view, 1), "clicked");
  adw_message_dialog_response (vital_history_view_get_confirm_dialog (f->view), "delete");
  g_assert_cmpuint (vital_history_view_get_n_local_rows (f->view), ==, 2);
  g_assert_cmpint (vital_history_store_count (f->store, &error), ==, 2);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                     vital_history_view_get_local_row (f->view, 1))), ==,
                   "23 Nov 2026, 16:00");
  app_test_iterate (20);

  /* one, from the reopened result: the dialog closes with it */
  g_assert_true (gtk_widget_activate (vital_history_view_get_local_row (f->view, 0)));
  g_signal_emit_by_name (vital_history_view_get_result_dialog (f->view), "delete");
  adw_message_dialog_response (vital_history_view_get_confirm_dialog (f->view), "delete");
  g_assert_true (app_test_wait (no_result_dialog, f->view, 10000));
  g_assert_cmpuint (vital_history_view_get_n_local_rows (f->view), ==, 1);

  /* the selected ones */
  vital_history_view_get_selection_buttons (f->view, &export_button, &delete_button);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (vital_history_view_get_select_button (f->view)),
                                TRUE);
  g_assert_true (gtk_widget_activate (vital_history_view_get_local_row (f->view, 0)));
  g_signal_emit_by_name (delete_button, "clicked");
  adw_message_dialog_response (vital_history_view_get_confirm_dialog (f->view), "delete");
  g_assert_cmpuint (vital_history_view_get_n_local_rows (f->view), ==, 0);
  g_assert_cmpint (vital_history_store_count (f->store, &error), ==, 0);
  g_assert_no_error (error);
  app_test_iterate (20);
}

static gboolean
history_loaded (gpointer view)
{
  return !vital_history_view_is_loading (view);
}

/* The page, with rows and the server's group, fits a 400 px window. */
static void
test_width (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(VitalClient) client = vital_client_new ("http://127.0.0.1:9", TEST_KEY);
  g_autoptr(GError) error = NULL;
  int min = 0, nat = 0;

  add_three (f);
  vital_history_view_set_client (f->view, client, TRUE);
  g_assert_true (vital_history_view_get_server_visible (f->view));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (vital_history_view_get_select_button (f->view)),
                                TRUE);
  gtk_widget_measure (GTK_WIDGET (f->view), GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL,
                      NULL);
  g_test_message ("history view: minimum width %d px", min);
  g_assert_cmpint (min, <=, 400);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 400, 800);
  app_test_iterate (200);
  g_assert_cmpint (gtk_widget_get_width (f->window), <=, 400);
  app_test_screenshot (f->window, "history-400.png", &error);
  g_assert_no_error (error);
  /* an unreachable server says so, the page stays */
  g_assert_true (app_test_wait (history_loaded, f->view, 20000));
}

/* The window on its History page, with kept results and a remote server's sessions, fits
 * 400 px too, and a toast there covers no control. */
static void
test_window_width (Fixture       *f,
                   gconstpointer  data)
{
  VitalWindow *w = g_object_ref_sink (vital_window_new (NULL, FALSE));
  VitalHistoryView *view = vital_window_get_history_view (w);
  g_autoptr(VitalClient) client = vital_client_new ("http://127.0.0.1:9", TEST_KEY);
  GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (view), ADW_TYPE_VIEW_STACK);
  g_autoptr(GError) error = NULL;

  vital_history_view_set_store (view, f->store);
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(VitalReading) r = app_test_reading (0.5, 80 + i);
      g_assert_true (vital_history_view_add_local (view, r, &error));
    }
  vital_history_view_set_client (view, client, TRUE);
  gtk_window_set_default_size (GTK_WINDOW (w), 400, 760);
  gtk_window_present (GTK_WINDOW (w));
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "history");
  app_test_iterate (300);
  g_assert_true (app_test_wait (history_loaded, view, 20000));
  app_test_iterate (100);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (w)), <=, 400);
  app_test_screenshot (GTK_WIDGET (w), "history-window-400.png", &error);
  g_assert_no_error (error);

  /* a toast (e.g. "Exported 3 results") covers none of the page's controls when scrolled down */
  app_test_scroll_to_end (GTK_WIDGET (w));
  app_test_iterate (100);
  vital_history_view_say (view, "A toast long enough to span a narrow window from side to side");
  app_test_iterate (600);
  g_assert_null (app_test_control_under_toast (GTK_WIDGET (w)));
  gtk_window_destroy (GTK_WINDOW (w));
  g_object_unref (w);
  app_test_iterate (50);
}

static gboolean
has_rows (gpointer view)
{
  return !vital_history_view_is_loading (view) && vital_history_view_get_n_server_rows (view) > 0;
}

static VitalSigns *
scan (VitalClient *client)
{
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (150);
  g_autoptr(GError) error = NULL;
  VitalSigns *signs = vital_client_scan_tensor_sync (client, payload, NULL, NULL, &error);

  g_assert_no_error (error);
  return signs;
}

/* Server sessions: hidden for the on-device server; for a remote one, in local time, reloaded
 * after a scan, limited by days picked on the calendars. */
static void
test_server (Fixture       *f,
             gconstpointer  data)
{
  static const VitalTestKey keys[] = { { TEST_KEY, "history", 0, 0 } };
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();
  g_autoptr(VitalServer) server = vital_test_server_start (config, keys, G_N_ELEMENTS (keys));
  g_autoptr(VitalClient) client = vital_test_client_new (vital_server_get_base_url (server),
                                                         TEST_KEY);
  g_autoptr(VitalSigns) first = scan (client);
  g_autoptr(GPtrArray) sessions = NULL;
  VitalHistoryQuery utc_query = { .limit = 5, .timezone = "UTC" };
  g_autoptr(GDateTime) start = NULL, local = NULL;
  g_autoptr(GTimeZone) kolkata = g_time_zone_new_identifier ("Asia/Kolkata");
  g_autofree char *expected = NULL, *as_utc = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *calendar;

  /* the on-device server: no server group, nothing asked */
  vital_history_view_set_client (f->view, client, FALSE);
  g_assert_false (vital_history_view_get_server_visible (f->view));
  g_assert_false (vital_history_view_is_loading (f->view));
  app_test_iterate (100);
  g_assert_cmpuint (vital_history_view_get_n_server_rows (f->view), ==, 0);

  /* a remote one */
  vital_history_view_set_client (f->view, client, TRUE);
  g_assert_true (vital_history_view_get_server_visible (f->view));
  g_assert_true (app_test_wait (has_rows, f->view, 20000));
  g_assert_cmpuint (vital_history_view_get_n_server_rows (f->view), ==, 1);

  /* its time, as the server writes it in UTC, shown in Kolkata's */
  sessions = vital_test_client_list_sessions (client, &utc_query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sessions->len, ==, 1);
  start = g_date_time_new_from_iso8601 (
    vital_client_session_get_start_time (g_ptr_array_index (sessions, 0)), NULL);
  g_assert_nonnull (start);
  local = g_date_time_to_timezone (start, kolkata);
  expected = g_date_time_format (local, "%-d %b %Y, %H:%M");
  as_utc = g_date_time_format (start, "%-d %b %Y, %H:%M");
  g_assert_cmpstr (vital_history_view_get_server_row_title (f->view, 0), ==, expected);
  g_assert_cmpstr (vital_history_view_get_server_row_title (f->view, 0), !=, as_utc);

  /* a new result reloads the list (its session is the demo subject's) */
  {
    g_autoptr(VitalSigns) second = scan (client);
    g_autoptr(VitalReading) reading = vital_reading_new (second);

    vital_reading_set_source (reading, VITAL_READING_SOURCE_DEMO, NULL);
    vital_history_view_note_reading (f->view, reading);
    g_assert_true (vital_history_view_is_loading (f->view));
    g_assert_true (app_test_wait (has_rows, f->view, 20000));
    g_assert_cmpuint (vital_history_view_get_n_server_rows (f->view), ==, 2);
    g_assert_true (g_str_has_prefix (vital_history_view_get_server_row_subtitle (f->view, 0),
                                     "Demo scan · "));
  }

  /* days from the calendars */
  g_assert_cmpstr (vital_history_view_get_range_text (f->view, TRUE), ==, "Any day");
  calendar = vital_history_view_get_calendar (f->view, TRUE);
  {
    g_autoptr(GDateTime) day = g_date_time_new_local (2000, 1, 2, 12, 0, 0);
    gtk_calendar_select_day (GTK_CALENDAR (calendar), day);
  }
  g_assert_cmpstr (vital_history_view_get_range_text (f->view, TRUE), ==, "2 Jan 2000");
  g_assert_true (app_test_wait (history_loaded, f->view, 20000));
  g_assert_cmpuint (vital_history_view_get_n_server_rows (f->view), ==, 0);
  g_assert_cmpstr (vital_history_view_get_server_status (f->view), ==,
                   "No sessions in this range.");
  {
    g_autoptr(GDateTime) day = g_date_time_new_local (2000, 1, 3, 12, 0, 0);
    gtk_calendar_select_day (GTK_CALENDAR (vital_history_view_get_calendar (f->view, FALSE)),
                             day);
  }
  g_assert_cmpstr (vital_history_view_get_server_status (f->view), ==,
                   "The first day is after the last day.");
  vital_history_view_set_range (f->view, NULL, NULL);
  g_assert_true (app_test_wait (has_rows, f->view, 20000));
  g_assert_cmpuint (vital_history_view_get_n_server_rows (f->view), ==, 2);
  app_test_screenshot (f->window, "history-server.png", &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("vitalscan-history-data-XXXXXX", NULL);
  int rc;

  g_setenv ("TZ", "Asia/Kolkata", TRUE);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  app_test_init (&argc, &argv);

#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/app/history/off/turns-on", test_off_turns_on);
  ADD ("/app/history/row/text", test_row_text);
  ADD ("/app/history/row/reopen", test_reopen);
  ADD ("/app/history/export/selected", test_export_selected);
  ADD ("/app/history/delete", test_delete);
  ADD ("/app/history/width-400", test_width);
  ADD ("/app/history/window-width-400", test_window_width);
  ADD ("/app/history/server", test_server);
#undef ADD
  rc = g_test_run ();
  vital_test_remove_tree (data_home);
  return rc;
}
