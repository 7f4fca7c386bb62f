/* test-export-keys.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One model of a result: the server's `vitals` object, the client's JSON, the CLI's ranges and
 * the app's JSON, CSV and FHIR exports name every vital with the same key (in FHIR, the LOINC
 * code) and the same unit, from the core table of measures, and carry the same values.
 */
#include <math.h>
#include <json-glib/json-glib.h>

#include "vital-engine.h"
#include "vital-export.h"
#include "vital-fhir-export.h"
#include "vital-measure.h"
#include "vital-reading.h"
#include "vital-server-json.h"
#include "vital-signs.h"

static JsonNode *
server_result (void)
{
  VitalVitals vitals = { 0 };
  g_autoptr(JsonBuilder) b = json_builder_new ();

  vitals.heart_rate = 71.24;
  vitals.respiratory_rate = 14.96;
  vitals.hrv_sdnn = 48.31;
  vitals.spo2 = 97.4;
  vitals.systolic_bp = 118.6;
  vitals.diastolic_bp = 76.2;
  vitals.confidence = 0.8123;
  vitals.rr_quality = 0.7;
  vitals.hrv_quality = 0.66;
  vitals.spo2_quality = 0.55;
  vitals.bp_quality = 0.61;
  vitals.snr_db = 6.25;
  vitals.stability = 0.9;
  vitals.periodicity = 0.81;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "session_id");
  json_builder_add_string_value (b, "0b7c1d52-4a39-4c8f-9f55-5e0d4a6f2c11");
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "completed");
  json_builder_set_member_name (b, "vitals");
  json_builder_add_value (b, vital_server_json_vitals (&vitals));
  json_builder_set_member_name (b, "vital_quality");
  json_builder_add_value (b, vital_server_json_vital_quality (&vitals));
  json_builder_set_member_name (b, "signal_quality");
  json_builder_add_value (b, vital_server_json_signal_quality (&vitals));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
test_keys_agree (void)
{
  g_autoptr(JsonNode) api = server_result ();
  JsonObject *api_vitals = json_object_get_object_member (json_node_get_object (api), "vitals");
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSigns) signs = vital_signs_new_from_json (api, &error);
  g_autoptr(VitalReading) reading = NULL;
  g_autoptr(JsonNode) client = NULL;
  g_autoptr(JsonNode) exported = NULL;
  g_autofree char *json = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) csv_lines = NULL;
  g_auto(GStrv) header = NULL;
  g_auto(GStrv) row = NULL;
  JsonObject *client_vitals, *app_vitals;
  VitalReading *one[1];

  g_assert_no_error (error);
  reading = vital_reading_new (signs);
  client = vital_signs_to_json (signs);
  client_vitals = json_object_get_object_member (json_node_get_object (client), "vitals");
  json = vital_export_to_json (reading);
  exported = json_from_string (json, &error);
  g_assert_no_error (error);
  app_vitals = json_object_get_object_member (json_node_get_object (exported), "vitals");
  one[0] = reading;
  csv = vital_export_to_csv (one, 1);
  csv_lines = g_strsplit (csv, "\r\n", -1);
  header = g_strsplit (csv_lines[0], ",", -1);
  row = g_strsplit (csv_lines[1], ",", -1);

  /* Every layer has exactly the table's keys (plus the API's confidence). */
  g_assert_cmpuint (json_object_get_size (api_vitals), ==, VITAL_MEASURE_COUNT + 1);
  g_assert_cmpuint (json_object_get_size (client_vitals), ==, VITAL_MEASURE_COUNT + 1);
  g_assert_cmpuint (json_object_get_size (app_vitals), ==, VITAL_MEASURE_COUNT);
  for (guint m = 0; m < VITAL_MEASURE_COUNT; m++)
    {
      const VitalMeasureInfo *info = vital_measure_get_info (m);
      double api_value = json_object_get_double_member (api_vitals, info->key);
      JsonObject *app = json_object_get_object_member (app_vitals, info->key);
      gboolean in_csv = FALSE;

      g_test_message ("%s", info->key);
      g_assert_true (json_object_has_member (client_vitals, info->key));
      g_assert_nonnull (app);
      /* The same value everywhere, at the API's resolution. */
      g_assert_cmpfloat (api_value, ==, vital_measure_round (m, api_value));
      g_assert_cmpfloat (json_object_get_double_member (client_vitals, info->key), ==,
                         api_value);
      /* at the same decimals: the API's round (v / step) * step may be a hair off the nearest
       * double (48.300000000000004), the exports write the nearest (48.3) */
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (app, "value"), api_value,
                                      1e-9);
      g_assert_cmpfloat (json_object_get_double_member (app, "value"), ==,
                         vital_export_round (api_value, vital_measure_get_decimals (m)));
      /* The machine unit (UCUM), never a translation. */
      g_assert_cmpstr (json_object_get_string_member (app, "unit"), ==, info->ucum);
      g_assert_cmpstr (json_object_get_string_member (app, "range"), ==,
                       vital_range_check_to_string (vital_measure_check_range (m, api_value)));
      for (guint c = 0; header[c] != NULL; c++)
        if (g_str_equal (header[c], info->key))
          {
            in_csv = TRUE;
            g_assert_cmpfloat (fabs (g_ascii_strtod (row[c], NULL) - api_value), <, 1e-9);
          }
      g_assert_true (in_csv);
    }
}

/* The LOINC-coded quantity of @loinc in a FHIR Bundle: an Observation's value or a component's
 * (blood pressure), or NULL. */
static JsonObject *
fhir_quantity (JsonObject *bundle,
               const char *loinc)
{
  JsonArray *entries = json_object_get_array_member (bundle, "entry");

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *res = json_object_get_object_member (
        json_array_get_object_element (entries, i), "resource");
      JsonArray *parts;

      if (g_strcmp0 (json_object_get_string_member (res, "resourceType"), "Observation") != 0)
        continue;
      parts = json_object_has_member (res, "component")
                ? json_object_get_array_member (res, "component") : NULL;
      for (guint c = 0; c < (parts ? json_array_get_length (parts) : 1); c++)
        {
          JsonObject *o = parts ? json_array_get_object_element (parts, c) : res;
          JsonObject *coding = json_array_get_object_element (
            json_object_get_array_member (json_object_get_object_member (o, "code"), "coding"),
            0);

          g_assert_cmpstr (json_object_get_string_member (coding, "system"), ==,
                           "http://loinc.org");
          if (g_str_equal (json_object_get_string_member (coding, "code"), loinc))
            return json_object_get_object_member (o, "valueQuantity");
        }
    }
  return NULL;
}

/* The FHIR export carries each vital under the table's LOINC code, with its UCUM unit and the
 * API's value. */
static void
test_fhir_agrees (void)
{
  g_autoptr(JsonNode) api = server_result ();
  JsonObject *api_vitals = json_object_get_object_member (json_node_get_object (api), "vitals");
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSigns) signs = vital_signs_new_from_json (api, &error);
  g_autoptr(VitalReading) reading = NULL;
  g_autoptr(JsonNode) bundle = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  reading = vital_reading_new (signs);
  text = vital_fhir_export_to_json (&reading, 1, NULL);
  bundle = json_from_string (text, &error);
  g_assert_no_error (error);
  for (guint m = 0; m < VITAL_MEASURE_COUNT; m++)
    {
      const VitalMeasureInfo *info = vital_measure_get_info (m);
      JsonObject *q = fhir_quantity (json_node_get_object (bundle), info->loinc);

      g_test_message ("%s: LOINC %s", info->key, info->loinc);
      g_assert_nonnull (q);
      g_assert_cmpstr (json_object_get_string_member (q, "system"), ==,
                       "http://unitsofmeasure.org");
      g_assert_cmpstr (json_object_get_string_member (q, "code"), ==, info->ucum);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (q, "value"),
                                      json_object_get_double_member (api_vitals, info->key),
                                      1e-9);
    }
}

/* No key of the table is used twice, and each names itself back. */
static void
test_table (void)
{
  for (guint m = 0; m < VITAL_MEASURE_COUNT; m++)
    {
      const VitalMeasureInfo *info = vital_measure_get_info (m);
      VitalMeasure back;

      g_assert_true (vital_measure_from_key (info->key, &back));
      g_assert_cmpint (back, ==, m);
      g_assert_cmpfloat (info->typical_low, <, info->typical_high);
      g_assert_nonnull (info->ucum);
      g_assert_nonnull (info->loinc);
      g_assert_nonnull (info->loinc_display);
      /* what every export writes: the resolution the API reports at */
      g_assert_cmpfloat (pow (10, -(double) vital_measure_get_decimals (m)), ==, info->step);
    }
  g_assert_false (vital_measure_from_key ("hrv_sdnn", &(VitalMeasure) { 0 }));
  g_assert_cmpint (vital_confidence_band_from_confidence (0.0), ==,
                   VITAL_CONFIDENCE_BAND_FALLBACK);
  g_assert_cmpint (vital_confidence_band_from_confidence (0.39), ==, VITAL_CONFIDENCE_BAND_LOW);
  g_assert_cmpint (vital_confidence_band_from_confidence (0.4), ==,
                   VITAL_CONFIDENCE_BAND_MODERATE);
  g_assert_cmpint (vital_confidence_band_from_confidence (0.7), ==, VITAL_CONFIDENCE_BAND_HIGH);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/export/keys-agree-with-api", test_keys_agree);
  g_test_add_func ("/app/export/measure-table", test_table);
  g_test_add_func ("/app/export/fhir-agrees-with-api", test_fhir_agrees);
  return g_test_run ();
}
