/* test-history-export.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the local history (SQLite, deletable) and of export as JSON, CSV and PDF; a scan of
 * the demo subject says so in each of them.
 */
#include "vital-config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <sqlite3.h>

#include "app-test-util.h"
#include "vital-export.h"
#include "vital-history-store.h"
#include "vital-history-view.h"

static char *
tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("vitalscan-app-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

static void
rm_rf (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      if (g_file_test (p, G_FILE_TEST_IS_DIR))
        rm_rf (p);
      else
        g_unlink (p);
    }
  g_rmdir (dir);
}

static void
test_store_round_trip (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "sub", "history.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalHistoryStore) store = vital_history_store_open (path, &error);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(VitalReading) a = app_test_reading (0.8, 70);
  g_autoptr(VitalReading) b = app_test_reading (0.0, 99);   /* fallback: values not kept */
  g_autoptr(GDateTime) later = g_date_time_new_utc (2026, 11, 23, 11, 0, 0);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  app_test_set_value (a, VITAL_MEASURE_HRV_SDNN, NAN);
  vital_reading_set_source (a, VITAL_READING_SOURCE_DEMO, NULL);
  vital_reading_set_source (b, VITAL_READING_SOURCE_VIDEO, "clip.mp4");
  vital_signs_set_completed_at (vital_reading_get_signs (b), g_date_time_to_unix (later));
  g_assert_true (vital_history_store_add (store, a, &error));
  g_assert_true (vital_history_store_add (store, b, &error));
  g_assert_no_error (error);
  g_assert_cmpint (vital_history_store_count (store, &error), ==, 2);

  rows = vital_history_store_list (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  /* newest first */
  g_assert_true (vital_reading_is_fallback (g_ptr_array_index (rows, 0)));
  g_assert_true (isnan (vital_reading_get_value (g_ptr_array_index (rows, 0),
                                                 VITAL_MEASURE_HEART_RATE)));
  g_assert_cmpfloat (vital_reading_get_value (g_ptr_array_index (rows, 1),
                                             VITAL_MEASURE_HEART_RATE), ==, 70);
  g_assert_true (isnan (vital_reading_get_value (g_ptr_array_index (rows, 1),
                                                 VITAL_MEASURE_HRV_SDNN)));
  g_assert_cmpstr (vital_reading_get_session_id (g_ptr_array_index (rows, 1)), ==,
                   "ses_test_0001");
  /* what each was measured from is kept (not the video's name: that stays with the file) */
  g_assert_true (vital_reading_is_demo (g_ptr_array_index (rows, 1)));
  g_assert_cmpint (vital_reading_get_source (g_ptr_array_index (rows, 0)), ==,
                   VITAL_READING_SOURCE_VIDEO);
  g_assert_null (vital_reading_get_source_name (g_ptr_array_index (rows, 0)));
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = vital_history_store_list (store, 1, &error);
  g_assert_cmpuint (rows->len, ==, 1);

  g_assert_true (vital_history_store_clear (store, &error));
  g_assert_cmpint (vital_history_store_count (store, &error), ==, 0);
  g_clear_object (&store);

  /* A path that cannot be created fails cleanly. */
  store = vital_history_store_open ("/proc/vitalscan/history.db", &error);
  g_assert_null (store);
  g_assert_nonnull (error);
  rm_rf (dir);
}

/* A history kept before results said what they were measured from opens, keeps its rows (of
 * unknown source) and takes new ones. */
static void
test_store_upgrade (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalHistoryStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(VitalReading) demo = app_test_reading (0.8, 70);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TABLE results ("
                                 " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                                 " completed_at INTEGER NOT NULL, session_id TEXT,"
                                 " heart_rate REAL, respiratory_rate REAL, hrv_sdnn REAL,"
                                 " spo2 REAL, systolic_bp REAL, diastolic_bp REAL,"
                                 " confidence REAL NOT NULL, snr_db REAL, stability REAL,"
                                 " periodicity REAL);"
                                 "INSERT INTO results (completed_at, heart_rate, confidence)"
                                 " VALUES (1795000000, 66, 0.8);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = vital_history_store_open (path, &error);
  g_assert_no_error (error);
  vital_reading_set_source (demo, VITAL_READING_SOURCE_DEMO, NULL);
  g_assert_true (vital_history_store_add (store, demo, &error));
  g_assert_no_error (error);
  rows = vital_history_store_list (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_true (vital_reading_is_demo (g_ptr_array_index (rows, 0)));
  g_assert_cmpint (vital_reading_get_source (g_ptr_array_index (rows, 1)), ==,
                   VITAL_READING_SOURCE_UNKNOWN);
  g_assert_cmpfloat (vital_reading_get_value (g_ptr_array_index (rows, 1),
                                              VITAL_MEASURE_HEART_RATE), ==, 66);
  g_clear_object (&store);
  rm_rf (dir);
}

static void
test_view_delete (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalHistoryStore) store = vital_history_store_open (path, &error);
  GtkWidget *window = gtk_window_new ();
  VitalHistoryView *view = VITAL_HISTORY_VIEW (vital_history_view_new ());

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_set_default_size (GTK_WINDOW (window), 700, 500);
  gtk_window_present (GTK_WINDOW (window));
  vital_history_view_set_store (view, store);
  g_assert_cmpuint (vital_history_view_get_n_local_rows (view), ==, 0);
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(VitalReading) r = app_test_reading (0.3 + 0.2 * i, 65 + i);
      g_assert_true (vital_history_view_add_local (view, r, &error));
    }
  g_assert_cmpuint (vital_history_view_get_n_local_rows (view), ==, 3);
  app_test_iterate (100);
  app_test_screenshot (window, "history.png", &error);
  g_assert_no_error (error);
  g_assert_true (vital_history_view_delete_local (view, &error));
  g_assert_cmpuint (vital_history_view_get_n_local_rows (view), ==, 0);
  g_assert_cmpint (vital_history_store_count (store, &error), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&store);
  rm_rf (dir);
}

static void
test_row_text (void)
{
  g_autoptr(VitalReading) ok = app_test_reading (0.8, 71.6);
  g_autoptr(VitalReading) fb = app_test_reading (0.0, 71.6);
  g_autoptr(VitalReading) demo = app_test_reading (0.8, 71.6);
  g_autofree char *a = vital_history_view_format_row (ok);
  g_autofree char *b = vital_history_view_format_row (fb);
  g_autofree char *c = NULL;

  g_assert_cmpstr (a, ==,
                   "72 bpm · 15 breaths/min · SpO₂ 98 % · BP 118/76 mmHg · High confidence");
  g_assert_cmpstr (b, ==, "Measurement could not be completed");
  vital_reading_set_source (demo, VITAL_READING_SOURCE_DEMO, NULL);
  c = vital_history_view_format_row (demo);
  g_assert_cmpstr (c, ==, "Demo scan · 72 bpm · 15 breaths/min · SpO₂ 98 % · BP 118/76 mmHg · "
                   "High confidence");
}

static void
test_json (void)
{
  g_autoptr(VitalReading) r = app_test_reading (0.82, 112);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  JsonObject *root, *vitals, *hr, *hrv;

  app_test_set_value (r, VITAL_MEASURE_HRV_SDNN, NAN);
  json = vital_export_to_json (r);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "confidence_band"), ==, "high");
  g_assert_cmpstr (json_object_get_string_member (root, "completed_at"), ==,
                   "2026-11-23T10:30:00Z");
  vitals = json_object_get_object_member (root, "vitals");
  hr = json_object_get_object_member (vitals, "heart_rate");
  g_assert_cmpfloat (json_object_get_double_member (hr, "value"), ==, 112);
  g_assert_cmpstr (json_object_get_string_member (hr, "range"), ==, "above");
  g_assert_false (json_object_get_boolean_member (hr, "experimental"));
  hrv = json_object_get_object_member (vitals, "hrv");
  g_assert_true (json_object_get_null_member (hrv, "value"));
  /* each vital says how sure it is; the top-level confidence is the heart rate's */
  g_assert_cmpfloat (json_object_get_double_member (hr, "quality"), ==, 0.82);
  g_assert_cmpstr (json_object_get_string_member (hr, "confidence_band"), ==, "high");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (vitals, "spo2"), "confidence_band"), ==,
                   "moderate");
  g_assert_true (json_object_get_null_member (hrv, "quality"));
  g_assert_true (json_object_get_null_member (hrv, "confidence_band"));
  g_assert_true (json_object_get_boolean_member (
    json_object_get_object_member (vitals, "spo2"), "experimental"));
  /* what it was measured from: not said, so null */
  g_assert_true (json_object_get_null_member (root, "source"));
  g_assert_true (json_object_get_null_member (root, "source_name"));

  /* a scan of the demo subject says so */
  {
    g_autoptr(VitalReading) demo = app_test_reading (0.82, 72);
    g_autoptr(JsonParser) p3 = json_parser_new ();
    g_autofree char *dj = NULL;
    JsonObject *d;

    vital_reading_set_source (demo, VITAL_READING_SOURCE_DEMO, NULL);
    dj = vital_export_to_json (demo);
    g_assert_true (json_parser_load_from_data (p3, dj, -1, &error));
    d = json_node_get_object (json_parser_get_root (p3));
    g_assert_cmpstr (json_object_get_string_member (d, "source"), ==, "demo");
    g_assert_nonnull (strstr (json_object_get_string_member (d, "disclaimer"), "demo subject"));
  }
  /* and a video names its file */
  {
    g_autoptr(VitalReading) video = app_test_reading (0.82, 72);
    g_autoptr(JsonParser) p4 = json_parser_new ();
    g_autofree char *vj = NULL;
    JsonObject *v;

    vital_reading_set_source (video, VITAL_READING_SOURCE_VIDEO, "clip.mp4");
    vj = vital_export_to_json (video);
    g_assert_true (json_parser_load_from_data (p4, vj, -1, &error));
    v = json_node_get_object (json_parser_get_root (p4));
    g_assert_cmpstr (json_object_get_string_member (v, "source"), ==, "video");
    g_assert_cmpstr (json_object_get_string_member (v, "source_name"), ==, "clip.mp4");
  }

  /* fallback: no value leaves the app */
  {
    g_autoptr(VitalReading) fb = app_test_reading (0.0, 75);
    g_autofree char *fj = vital_export_to_json (fb);
    g_autoptr(JsonParser) p2 = json_parser_new ();
    JsonObject *v;
    g_assert_true (json_parser_load_from_data (p2, fj, -1, &error));
    v = json_object_get_object_member (json_node_get_object (json_parser_get_root (p2)), "vitals");
    for (guint k = 0; k < VITAL_MEASURE_COUNT; k++)
      g_assert_true (json_object_get_null_member (
        json_object_get_object_member (v, vital_measure_get_info (k)->key), "value"));
  }
}

static void
test_csv (void)
{
  g_autoptr(VitalReading) a = app_test_reading (0.82, 72);
  g_autoptr(VitalReading) b = app_test_reading (0.5, 61.25);
  VitalReading *both[] = { a, b };
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;

  vital_signs_set_session_id (vital_reading_get_signs (b), "odd\"id,with comma");
  app_test_set_value (b, VITAL_MEASURE_SPO2, NAN);
  vital_reading_set_source (b, VITAL_READING_SOURCE_DEMO, NULL);
  csv = vital_export_to_csv (both, 2);
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);   /* header, 2 rows, trailing empty */
  g_assert_cmpstr (lines[0], ==,
                   "completed_at,session_id,confidence,confidence_band,snr_db,stability,"
                   "periodicity,heart_rate,respiratory_rate,hrv,spo2,systolic_bp,"
                   "diastolic_bp,heart_rate_quality,respiratory_rate_quality,hrv_quality,"
                   "spo2_quality,systolic_bp_quality,diastolic_bp_quality,source");
  g_assert_true (g_str_has_prefix (lines[1], "2026-11-23T10:30:00Z,\"ses_test_0001\",0.82,high,"));
  g_assert_true (g_str_has_suffix (lines[1], ",72.00,15.00,48.00,97.50,118.00,76.00,"
                                             "0.82,0.80,0.80,0.60,0.60,0.60,"));
  g_assert_nonnull (strstr (lines[2], "\"odd\"\"id,with comma\""));
  g_assert_true (g_str_has_suffix (lines[2], ",61.25,15.00,48.00,,118.00,76.00,"
                                             "0.50,0.80,0.80,,0.60,0.60,demo"));
  g_assert_cmpstr (lines[3], ==, "");
}

/* cairo writes the document's properties as UTF-16BE in hexadecimal */
static char *
pdf_hex_string (const char *ascii)
{
  GString *hex = g_string_new (NULL);

  for (const char *c = ascii; *c != '\0'; c++)
    g_string_append_printf (hex, "%04X", (guint) *c);
  return g_string_free (hex, FALSE);
}

static void
test_pdf (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "report.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VitalReading) r = app_test_reading (0.3, 104);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *demo_hex = pdf_hex_string ("(demo scan)");
  gsize len = 0;
  guint pages = 0;

  vital_reading_set_low_cause (r, VITAL_LOW_CAUSE_LIGHTING);
  g_assert_true (vital_export_save (r, VITAL_EXPORT_PDF, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_assert_cmpuint (len, >, 1000);
  g_assert_true (g_str_has_prefix (data, "%PDF-"));
  /* binary streams contain NULs: search with memmem, count /Type /Page but not /Pages */
  for (const char *p = data;
       (p = memmem (p, len - (gsize) (p - data), "/Type /Page", 11)) != NULL; p++)
    if (p + 11 < data + len && p[11] != 's')
      pages++;
  g_assert_cmpuint (pages, ==, 1);

  /* the document's title marks a demo scan (the page's text is in compressed streams) */
  g_assert_null (memmem (data, len, demo_hex, strlen (demo_hex)));
  {
    g_autofree char *demo_path = g_build_filename (dir, "demo.pdf", NULL);
    g_autoptr(GFile) demo_file = g_file_new_for_path (demo_path);
    g_autofree char *demo_data = NULL;
    gsize demo_len = 0;

    vital_reading_set_source (r, VITAL_READING_SOURCE_DEMO, NULL);
    g_assert_true (vital_export_save (r, VITAL_EXPORT_PDF, demo_file, &error));
    g_assert_true (g_file_get_contents (demo_path, &demo_data, &demo_len, &error));
    g_assert_nonnull (memmem (demo_data, demo_len, demo_hex, strlen (demo_hex)));
  }

  /* a folder that does not exist is an error, not a crash */
  {
    g_autoptr(GFile) bad = g_file_new_for_path ("/nonexistent/dir/report.pdf");
    g_autoptr(GError) e2 = NULL;
    g_assert_false (vital_export_save (r, VITAL_EXPORT_PDF, bad, &e2));
    g_assert_nonnull (e2);
  }
  /* JSON and CSV through the same entry point */
  {
    g_autofree char *jp = g_build_filename (dir, "r.json", NULL);
    g_autoptr(GFile) jf = g_file_new_for_path (jp);
    g_assert_true (vital_export_save (r, VITAL_EXPORT_JSON, jf, &error));
    g_assert_true (g_file_test (jp, G_FILE_TEST_IS_REGULAR));
  }
  rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  app_test_init (&argc, &argv);

  g_test_add_func ("/app/history/store/round-trip", test_store_round_trip);
  g_test_add_func ("/app/history/store/upgrade", test_store_upgrade);
  g_test_add_func ("/app/history/view/delete-all", test_view_delete);
  g_test_add_func ("/app/history/row-text", test_row_text);
  g_test_add_func ("/app/export/json", test_json);
  g_test_add_func ("/app/export/csv", test_csv);
  g_test_add_func ("/app/export/pdf-one-page", test_pdf);

  return g_test_run ();
}
