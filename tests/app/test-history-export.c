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
#include <json-glib/json-glib.h>
#include <math.h>
#include <sqlite3.h>

#include "app-test-util.h"
#include "vital-export.h"
#include "vital-history-store.h"
#include "vital-history-view.h"
#include "vital-test-util.h"

/* A temporary folder for a test's files, removed after it. */
typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("vitalscan-app-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  vital_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
test_store_round_trip (Fixture       *f,
                      gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (f->dir, "sub", "history.db", NULL);
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
}

/* A history kept before results said what they were measured from opens, keeps its rows (of
 * unknown source) and takes new ones. */
static void
test_store_upgrade (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (f->dir, "history.db", NULL);
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
}

static void
test_view_delete (Fixture       *f,
                 gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (f->dir, "history.db", NULL);
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
  app_test_assert_screenshot (window, "history.png");
  g_assert_true (vital_history_view_delete_local (view, &error));
  g_assert_cmpuint (vital_history_view_get_n_local_rows (view), ==, 0);
  g_assert_cmpint (vital_history_store_count (store, &error), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&store);
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
  g_assert_cmpfloat (json_object_get_double_member (root, "confidence"), ==, 0.82);
  g_assert_cmpstr (json_object_get_string_member (hr, "confidence_band"), ==, "high");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (vitals, "spo2"), "confidence_band"), ==,
                   "moderate");
  g_assert_true (json_object_get_null_member (hrv, "quality"));
  g_assert_true (json_object_get_null_member (hrv, "confidence_band"));
  g_assert_true (json_object_get_boolean_member (
    json_object_get_object_member (vitals, "spo2"), "experimental"));
  /* what it was measured from, for how long and of whom: not said, so null */
  g_assert_true (json_object_get_null_member (root, "source"));
  g_assert_true (json_object_get_null_member (root, "source_name"));
  g_assert_true (json_object_get_null_member (root, "subject_id"));
  g_assert_true (json_object_get_null_member (root, "scan_seconds"));
  g_assert_cmpstr (json_object_get_string_member (root, "app_version"), ==, VITAL_VERSION);
  /* units for machines: UCUM, whatever the language */
  g_assert_cmpstr (json_object_get_string_member (hr, "unit"), ==, "/min");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (vitals, "systolic_bp"), "unit"), ==,
                   "mm[Hg]");

  /* the subject, the camera and the scan's length, and numbers as people write them */
  {
    g_autoptr(VitalReading) full = app_test_reading (0.722, 71.96);
    g_autoptr(JsonParser) p5 = json_parser_new ();
    g_autofree char *text = NULL;
    JsonObject *o, *v5;

    vital_reading_set_subject_id (full, "  MRN-0042\t");
    vital_reading_set_source (full, VITAL_READING_SOURCE_CAMERA, "HD Webcam");
    vital_reading_set_scan_seconds (full, 30);
    vital_signs_set_signal_quality (vital_reading_get_signs (full), 6.2549, 0.90001, 0.7071);
    text = vital_export_to_json (full);
    g_test_message ("%s", text);
    g_assert_true (json_parser_load_from_data (p5, text, -1, &error));
    o = json_node_get_object (json_parser_get_root (p5));
    v5 = json_object_get_object_member (o, "vitals");
    g_assert_cmpstr (json_object_get_string_member (o, "subject_id"), ==, "MRN-0042");
    g_assert_cmpstr (json_object_get_string_member (o, "source"), ==, "camera");
    g_assert_cmpstr (json_object_get_string_member (o, "source_name"), ==, "HD Webcam");
    g_assert_cmpfloat (json_object_get_double_member (o, "scan_seconds"), ==, 30);
    g_assert_nonnull (strstr (text, "\"confidence\": 0.72,"));
    g_assert_nonnull (strstr (text, "\"snr_db\": 6.3,"));
    g_assert_nonnull (strstr (text, "\"stability\": 0.9,"));
    g_assert_nonnull (strstr (text, "\"periodicity\": 0.71\n"));
    g_assert_nonnull (strstr (text, "\"value\": 72,"));   /* 71.96 at 0.1 bpm */
    g_assert_nonnull (strstr (text, "\"value\": 98,"));   /* SpO2 97.5, whole percent */
    g_assert_null (strstr (text, "99999"));
    g_assert_null (strstr (text, "00000"));
    g_assert_cmpfloat (json_object_get_double_member (
                         json_object_get_object_member (v5, "heart_rate"), "quality"), ==,
                       0.72);
  }

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
  g_autofree char *suffix_a = NULL;
  g_autofree char *suffix_b = NULL;
  g_auto(GStrv) lines = NULL;

  vital_signs_set_session_id (vital_reading_get_signs (b), "odd\"id,with comma");
  app_test_set_value (b, VITAL_MEASURE_SPO2, NAN);
  vital_reading_set_source (b, VITAL_READING_SOURCE_DEMO, NULL);
  /* a spreadsheet would run this as a formula: it is written as text */
  vital_reading_set_subject_id (b, "=1+2");
  vital_reading_set_scan_seconds (b, 15);
  vital_reading_set_subject_id (a, "MRN \"7\", ward 3");
  vital_reading_set_source (a, VITAL_READING_SOURCE_CAMERA, "HD Webcam");
  csv = vital_export_to_csv (both, 2);
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);   /* header, 2 rows, trailing empty */
  g_assert_cmpstr (lines[0], ==,
                   "completed_at,session_id,confidence,confidence_band,snr_db,stability,"
                   "periodicity,heart_rate,respiratory_rate,hrv,spo2,systolic_bp,"
                   "diastolic_bp,heart_rate_quality,respiratory_rate_quality,hrv_quality,"
                   "spo2_quality,systolic_bp_quality,diastolic_bp_quality,source,"
                   "subject_id,source_name,scan_seconds,app_version");
  g_assert_true (g_str_has_prefix (lines[1], "2026-11-23T10:30:00Z,\"ses_test_0001\",0.82,high,"));
  /* each value at its measure's decimals (SpO2 and pressures whole, the rates one), qualities
   * two; then the source, subject, camera, length and the app's version */
  suffix_a = g_strdup_printf (",72.0,15.0,48.0,98,118,76,0.82,0.80,0.80,0.60,0.60,0.60,camera,"
                              "\"MRN \"\"7\"\", ward 3\",\"HD Webcam\",,%s", VITAL_VERSION);
  g_assert_true (g_str_has_suffix (lines[1], suffix_a));
  g_assert_nonnull (strstr (lines[2], "\"odd\"\"id,with comma\""));
  suffix_b = g_strdup_printf (",61.3,15.0,48.0,,118,76,0.50,0.80,0.80,,0.60,0.60,demo,"
                              "\"'=1+2\",,15.0,%s", VITAL_VERSION);
  g_assert_true (g_str_has_suffix (lines[2], suffix_b));
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
test_pdf (Fixture       *f,
         gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (f->dir, "report.pdf", NULL);
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
    g_autofree char *demo_path = g_build_filename (f->dir, "demo.pdf", NULL);
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
    g_autofree char *jp = g_build_filename (f->dir, "r.json", NULL);
    g_autoptr(GFile) jf = g_file_new_for_path (jp);
    g_assert_true (vital_export_save (r, VITAL_EXPORT_JSON, jf, &error));
    g_assert_true (g_file_test (jp, G_FILE_TEST_IS_REGULAR));
  }
}

int
main (int   argc,
      char *argv[])
{
  app_test_init (&argc, &argv);

  g_test_add ("/app/history/store/round-trip", Fixture, NULL,
              fixture_setup, test_store_round_trip, fixture_teardown);
  g_test_add ("/app/history/store/upgrade", Fixture, NULL,
              fixture_setup, test_store_upgrade, fixture_teardown);
  g_test_add ("/app/history/view/delete-all", Fixture, NULL,
              fixture_setup, test_view_delete, fixture_teardown);
  g_test_add_func ("/app/history/row-text", test_row_text);
  g_test_add_func ("/app/export/json", test_json);
  g_test_add_func ("/app/export/csv", test_csv);
  g_test_add ("/app/export/pdf-one-page", Fixture, NULL,
              fixture_setup, test_pdf, fixture_teardown);

  return g_test_run ();
}
