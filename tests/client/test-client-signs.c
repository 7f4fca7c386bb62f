/* test-client-signs.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of VitalSigns and VitalClientSession: strict parsing, bands, ranges, round trips.
 */
#include <math.h>

#include "vital-client.h"
#include "vital-test-util.h"

static VitalSigns *
signs_from (const char  *text,
            GError     **error)
{
  g_autoptr(JsonNode) node = vital_test_json_parse (text);

  return vital_signs_new_from_json (node, error);
}

/* @text, which must parse. */
static VitalSigns *
signs_parsed (const char *text)
{
  g_autoptr(GError) error = NULL;
  VitalSigns *signs = signs_from (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (signs);
  return signs;
}

#define FULL_RESULT \
  "{\"session_id\":\"7d0c1c52-6a4f-4f55-9d59-0f7c7a1d2a10\",\"status\":\"completed\"," \
  "\"vitals\":{\"heart_rate\":72,\"respiratory_rate\":15.5,\"hrv\":45.2,\"spo2\":null," \
  "\"systolic_bp\":null,\"diastolic_bp\":null,\"confidence\":0.82}," \
  "\"signal_quality\":{\"snr\":6.5,\"stability\":0.9,\"periodicity\":0.7," \
  "\"confidence_cause\":null}," \
  "\"vital_quality\":{\"heart_rate\":0.82,\"respiratory_rate\":0.7,\"hrv\":0.61," \
  "\"spo2\":0.2,\"blood_pressure\":0.1}," \
  "\"not_measured\":{\"spo2\":\"out_of_range\",\"blood_pressure\":\"low_quality\"}," \
  "\"processing_time_ms\":41.5,\"completed_at\":1795000000,\"sandbox\":true}"

static void
test_parse_full (void)
{
  g_autoptr(VitalSigns) signs = signs_parsed (FULL_RESULT);

  g_assert_cmpstr (vital_signs_get_session_id (signs), ==,
                   "7d0c1c52-6a4f-4f55-9d59-0f7c7a1d2a10");
  g_assert_cmpfloat (vital_signs_get_heart_rate (signs), ==, 72.0);
  g_assert_cmpfloat (vital_signs_get_respiratory_rate (signs), ==, 15.5);
  g_assert_cmpfloat (vital_signs_get_hrv_sdnn (signs), ==, 45.2);
  g_assert_true (isnan (vital_signs_get_spo2 (signs)));
  g_assert_true (isnan (vital_signs_get_systolic_bp (signs)));
  g_assert_true (isnan (vital_signs_get_diastolic_bp (signs)));
  g_assert_cmpfloat (vital_signs_get_confidence (signs), ==, 0.82);
  g_assert_cmpfloat (vital_signs_get_snr (signs), ==, 6.5);
  g_assert_cmpfloat (vital_signs_get_stability (signs), ==, 0.9);
  g_assert_cmpfloat (vital_signs_get_periodicity (signs), ==, 0.7);
  g_assert_cmpfloat (vital_signs_get_processing_time_ms (signs), ==, 41.5);
  g_assert_cmpint (vital_signs_get_completed_at (signs), ==, 1795000000);
  g_assert_false (vital_signs_is_fallback (signs));
  /* Per-vital quality and why a vital is missing; one blood_pressure entry for both. */
  g_assert_cmpfloat (vital_signs_get_quality (signs, VITAL_MEASURE_RESPIRATORY_RATE), ==, 0.7);
  g_assert_cmpfloat (vital_signs_get_quality (signs, VITAL_MEASURE_DIASTOLIC_BP), ==, 0.1);
  g_assert_cmpstr (vital_signs_get_not_measured_reason (signs, VITAL_MEASURE_SPO2), ==,
                   "out_of_range");
  g_assert_cmpstr (vital_signs_get_not_measured_reason (signs, VITAL_MEASURE_SYSTOLIC_BP), ==,
                   "low_quality");
  g_assert_null (vital_signs_get_not_measured_reason (signs, VITAL_MEASURE_HEART_RATE));
  g_assert_null (vital_signs_get_confidence_cause (signs));
  g_assert_true (vital_signs_is_sandbox (signs));
  g_assert_cmpint (vital_signs_get_confidence_band (signs), ==, VITAL_CONFIDENCE_BAND_HIGH);
  g_assert_cmpint (vital_signs_check_range (signs, VITAL_MEASURE_HEART_RATE), ==,
                   VITAL_RANGE_TYPICAL);
  g_assert_cmpint (vital_signs_check_range (signs, VITAL_MEASURE_SPO2), ==,
                   VITAL_RANGE_UNAVAILABLE);
}

static void
test_parse_minimal (void)
{
  g_autoptr(VitalSigns) signs =
    signs_parsed ("{\"vitals\":{\"heart_rate\":58.0,\"confidence\":0.0}}");

  g_assert_null (vital_signs_get_session_id (signs));
  g_assert_true (isnan (vital_signs_get_respiratory_rate (signs)));
  g_assert_true (isnan (vital_signs_get_snr (signs)));
  g_assert_true (isnan (vital_signs_get_processing_time_ms (signs)));
  g_assert_cmpint (vital_signs_get_completed_at (signs), ==, -1);
  g_assert_true (vital_signs_is_fallback (signs));
  g_assert_cmpint (vital_signs_get_confidence_band (signs), ==, VITAL_CONFIDENCE_BAND_FALLBACK);
  g_assert_cmpint (vital_signs_check_range (signs, VITAL_MEASURE_HEART_RATE), ==,
                   VITAL_RANGE_BELOW);
}

static void
test_hrv_object (void)
{
  g_autoptr(VitalSigns) signs =
    signs_parsed ("{\"vitals\":{\"heart_rate\":70,\"hrv\":{\"sdnn\":33},\"confidence\":0.5}}");

  g_assert_cmpfloat (vital_signs_get_hrv_sdnn (signs), ==, 33.0);
}

static void
test_parse_bad (void)
{
  static const char *bad[] = {
    "[]",
    "{}",
    "{\"vitals\":null}",
    "{\"vitals\":[1,2]}",
    "{\"vitals\":{\"confidence\":0.5}}",
    "{\"vitals\":{\"heart_rate\":\"72\",\"confidence\":0.5}}",
    "{\"vitals\":{\"heart_rate\":null,\"confidence\":0.5}}",
    "{\"vitals\":{\"heart_rate\":true,\"confidence\":0.5}}",
    "{\"vitals\":{\"heart_rate\":72}}",
    "{\"vitals\":{\"heart_rate\":72,\"confidence\":\"high\"}}",
    "{\"vitals\":{\"heart_rate\":72,\"confidence\":1.5}}",
    "{\"vitals\":{\"heart_rate\":72,\"confidence\":-0.1}}",
    "{\"vitals\":{\"heart_rate\":-72,\"confidence\":0.5}}",
    "{\"vitals\":{\"heart_rate\":72,\"spo2\":\"98\",\"confidence\":0.5}}",
    "{\"vitals\":{\"heart_rate\":72,\"hrv\":[40],\"confidence\":0.5}}",
    "{\"vitals\":{\"heart_rate\":72,\"confidence\":0.5},\"signal_quality\":3}",
    "{\"vitals\":{\"heart_rate\":72,\"confidence\":0.5},\"signal_quality\":{\"snr\":\"x\"}}",
    "{\"vitals\":{\"heart_rate\":72,\"confidence\":0.5},\"completed_at\":\"yesterday\"}",
    "{\"vitals\":{\"heart_rate\":72,\"confidence\":0.5},\"completed_at\":1e300}",
    "{\"vitals\":{\"heart_rate\":72,\"confidence\":0.5},\"processing_time_ms\":-1}",
    "{\"status\":\"failed\",\"vitals\":{\"heart_rate\":72,\"confidence\":0.5}}",
    "{\"status\":7,\"vitals\":{\"heart_rate\":72,\"confidence\":0.5}}",
    "{\"session_id\":12,\"vitals\":{\"heart_rate\":72,\"confidence\":0.5}}",
    "{\"vitals\":{\"heart_rate\":72,\"confidence\":0.5},\"sandbox\":\"yes\"}",
    "{\"vitals\":{\"heart_rate\":72,\"confidence\":0.5},\"vital_quality\":[0.5]}",
    "{\"vitals\":{\"heart_rate\":72,\"confidence\":0.5},\"vital_quality\":{\"spo2\":1.5}}",
    "{\"vitals\":{\"heart_rate\":72,\"confidence\":0.5},\"vital_quality\":{\"hrv\":\"low\"}}",
    "{\"vitals\":{\"heart_rate\":72,\"confidence\":0.5},\"not_measured\":{\"hrv\":3}}",
    "{\"vitals\":{\"heart_rate\":72,\"confidence\":0.5},"
    "\"signal_quality\":{\"confidence_cause\":false}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VitalSigns) signs = signs_from (bad[i], &error);

      g_test_message ("input %u: %s", i, bad[i]);
      g_assert_null (signs);
      g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE);
      g_assert_nonnull (error->message);
    }
}

static void
test_roundtrip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSigns) a = signs_parsed (FULL_RESULT);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(VitalSigns) b = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  g_autofree char *text_a = NULL, *text_b = NULL;

  node = vital_signs_to_json (a);
  b = vital_signs_new_from_json (node, &error);
  g_assert_no_error (error);

  for (guint m = 0; m < VITAL_MEASURE_COUNT; m++)
    {
      double x = vital_signs_get_measure (a, m), y = vital_signs_get_measure (b, m);

      g_assert_true ((isnan (x) && isnan (y)) || x == y);
    }
  g_assert_cmpfloat (vital_signs_get_confidence (a), ==, vital_signs_get_confidence (b));
  g_assert_cmpint (vital_signs_get_completed_at (a), ==, vital_signs_get_completed_at (b));
  g_assert_cmpstr (vital_signs_get_session_id (a), ==, vital_signs_get_session_id (b));
  g_assert_cmpint (vital_signs_is_sandbox (a), ==, vital_signs_is_sandbox (b));
  g_assert_cmpfloat (vital_signs_get_quality (b, VITAL_MEASURE_HRV_SDNN), ==, 0.61);
  g_assert_cmpstr (vital_signs_get_not_measured_reason (b, VITAL_MEASURE_SPO2), ==,
                   "out_of_range");

  node2 = vital_signs_to_json (b);
  text_a = json_to_string (node, FALSE);
  text_b = json_to_string (node2, FALSE);
  g_assert_cmpstr (text_a, ==, text_b);
  g_assert_nonnull (strstr (text_a, "\"spo2\":null"));
}

static void
test_bands (void)
{
  static const struct { double c; VitalConfidenceBand band; } cases[] = {
    { 0.0, VITAL_CONFIDENCE_BAND_FALLBACK },
    { 0.05, VITAL_CONFIDENCE_BAND_LOW },
    { 0.1, VITAL_CONFIDENCE_BAND_LOW },
    { 0.399, VITAL_CONFIDENCE_BAND_LOW },
    { 0.4, VITAL_CONFIDENCE_BAND_MODERATE },
    { 0.699, VITAL_CONFIDENCE_BAND_MODERATE },
    { 0.7, VITAL_CONFIDENCE_BAND_HIGH },
    { 1.0, VITAL_CONFIDENCE_BAND_HIGH },
  };
  const char *texts[4] = { NULL };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (vital_confidence_band_from_confidence (cases[i].c), ==, cases[i].band);

  /* Every band has its own recommendation. */
  for (guint b = 0; b < 4; b++)
    {
      texts[b] = vital_confidence_band_get_recommendation (b);
      g_assert_nonnull (texts[b]);
      /* not a medical device: nothing is called reliable */
      g_assert_null (strstr (texts[b], "eliab"));
      for (guint j = 0; j < b; j++)
        g_assert_cmpstr (texts[j], !=, texts[b]);
    }
  g_assert_cmpstr (vital_confidence_band_to_string (VITAL_CONFIDENCE_BAND_MODERATE), ==,
                   "moderate");
}

static void
test_ranges (void)
{
  static const struct
  {
    const char *member;
    VitalMeasure measure;
    double below, low, high, above;
  } cases[] = {
    { "heart_rate", VITAL_MEASURE_HEART_RATE, 59.9, 60, 100, 100.1 },
    { "respiratory_rate", VITAL_MEASURE_RESPIRATORY_RATE, 11.9, 12, 20, 20.1 },
    { "hrv", VITAL_MEASURE_HRV_SDNN, 19.9, 20, 100, 100.1 },
    { "spo2", VITAL_MEASURE_SPO2, 94.9, 95, 100, 100.1 },
    { "systolic_bp", VITAL_MEASURE_SYSTOLIC_BP, 89.9, 90, 140, 140.1 },
    { "diastolic_bp", VITAL_MEASURE_DIASTOLIC_BP, 59.9, 60, 90, 90.1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double values[4] = { cases[i].below, cases[i].low, cases[i].high, cases[i].above };
      VitalRangeCheck expected[4] = { VITAL_RANGE_BELOW, VITAL_RANGE_TYPICAL,
                                      VITAL_RANGE_TYPICAL, VITAL_RANGE_ABOVE };
      double lo, hi;

      lo = vital_measure_get_info (cases[i].measure)->typical_low;
      hi = vital_measure_get_info (cases[i].measure)->typical_high;
      g_assert_cmpfloat (lo, ==, cases[i].low);
      g_assert_cmpfloat (hi, ==, cases[i].high);

      for (guint v = 0; v < 4; v++)
        {
          g_autofree char *text = NULL;
          g_autoptr(VitalSigns) signs = NULL;

          if (cases[i].measure == VITAL_MEASURE_HEART_RATE)
            text = g_strdup_printf ("{\"vitals\":{\"heart_rate\":%.1f,\"confidence\":0.5}}",
                                    values[v]);
          else
            text = g_strdup_printf ("{\"vitals\":{\"heart_rate\":70,\"%s\":%.1f,"
                                    "\"confidence\":0.5}}", cases[i].member, values[v]);
          signs = signs_parsed (text);
          g_assert_cmpint (vital_signs_check_range (signs, cases[i].measure), ==, expected[v]);
        }
    }
}

static void
test_session_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node =
    vital_test_json_parse ("{\"session_id\":\"abc-123\",\"status\":\"pending\","
                           "\"expires_at\":\"2026-11-23T11:00:00Z\","
                           "\"upload_url\":\"http://h/upload/abc-123?sig=x\"}");
  g_autoptr(VitalClientSession) session = vital_client_session_new_from_start_response (node,
                                                                                        &error);

  g_assert_no_error (error);
  g_assert_cmpstr (vital_client_session_get_id (session), ==, "abc-123");
  g_assert_cmpint (vital_client_session_get_status (session), ==,
                   VITAL_CLIENT_SESSION_STATUS_PENDING);
  g_assert_cmpstr (vital_client_session_get_upload_url (session), ==,
                   "http://h/upload/abc-123?sig=x");
  g_assert_cmpint (g_date_time_to_unix (vital_client_session_get_expires_at (session)), ==,
                   1795431600);
}

static void
test_session_bad (void)
{
  static const char *bad[] = {
    "{\"status\":\"pending\",\"expires_at\":\"2026-11-23T11:00:00Z\",\"upload_url\":\"/u\"}",
    "{\"session_id\":\"a\",\"status\":\"weird\",\"expires_at\":\"2026-11-23T11:00:00Z\","
    "\"upload_url\":\"/u\"}",
    "{\"session_id\":\"a\",\"status\":\"pending\",\"expires_at\":\"soon\",\"upload_url\":\"/u\"}",
    "{\"session_id\":\"a\",\"status\":\"pending\",\"expires_at\":\"2026-11-23T11:00:00Z\"}",
    "{\"session_id\":\"a\",\"status\":\"pending\",\"expires_at\":\"2026-11-23T11:00:00Z\","
    "\"upload_url\":\"ftp://h/x\"}",
    "{\"session_id\":\"../x\",\"status\":\"pending\",\"expires_at\":\"2026-11-23T11:00:00Z\","
    "\"upload_url\":\"/u\"}",
    "{\"session_id\":[],\"status\":\"pending\",\"expires_at\":\"2026-11-23T11:00:00Z\","
    "\"upload_url\":\"/u\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = vital_test_json_parse (bad[i]);
      g_autoptr(VitalClientSession) session =
        vital_client_session_new_from_start_response (node, &error);

      g_test_message ("input %u: %s", i, bad[i]);
      g_assert_null (session);
      g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE);
    }
}

static void
test_history_item (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node =
    vital_test_json_parse ("{\"session_id\":\"s1\",\"status\":\"completed\","
                           "\"start_time\":\"2026-11-23T12:00:00+01:00\","
                           "\"created_timezone\":\"Europe/Berlin\","
                           "\"vitals\":{\"heart_rate\":65,\"confidence\":0.9}}");
  g_autoptr(JsonNode) bad =
    vital_test_json_parse ("{\"session_id\":\"s1\",\"status\":\"pending\","
                           "\"vitals\":{\"heart_rate\":65,\"confidence\":0.9}}");
  g_autoptr(VitalClientSession) session = vital_client_session_new_from_history_item (node,
                                                                                      &error);
  g_autoptr(VitalClientSession) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (vital_client_session_get_created_timezone (session), ==, "Europe/Berlin");
  g_assert_cmpstr (vital_client_session_get_start_time (session), ==,
                   "2026-11-23T12:00:00+01:00");
  g_assert_null (vital_client_session_get_unexpected_end_time (session));
  g_assert_nonnull (vital_client_session_get_vitals (session));
  g_assert_cmpfloat (vital_signs_get_heart_rate (vital_client_session_get_vitals (session)), ==,
                     65);

  none = vital_client_session_new_from_history_item (bad, &error);
  g_assert_null (none);
  g_assert_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE);
}

static void
test_error_mapping (void)
{
  static const struct { const char *code; guint status; VitalClientError expected; } cases[] = {
    { "INVALID_REQUEST", 400, VITAL_CLIENT_ERROR_INVALID_REQUEST },
    { "API_KEY_INVALID", 401, VITAL_CLIENT_ERROR_API_KEY_REJECTED },
    { "FORBIDDEN", 403, VITAL_CLIENT_ERROR_FORBIDDEN },
    { "SESSION_NOT_FOUND", 404, VITAL_CLIENT_ERROR_SESSION_NOT_FOUND },
    { "SESSION_EXPIRED", 410, VITAL_CLIENT_ERROR_SESSION_EXPIRED },
    { "PAYLOAD_TOO_LARGE", 413, VITAL_CLIENT_ERROR_PAYLOAD_TOO_LARGE },
    { "PROCESSING_FAILED", 422, VITAL_CLIENT_ERROR_PROCESSING_FAILED },
    { "RATE_LIMIT_EXCEEDED", 429, VITAL_CLIENT_ERROR_RATE_LIMIT_EXCEEDED },
    { "QUOTA_EXCEEDED", 429, VITAL_CLIENT_ERROR_QUOTA_EXCEEDED },
    { "INTERNAL", 500, VITAL_CLIENT_ERROR_SERVICE_UNAVAILABLE },
    { "SERVICE_UNAVAILABLE", 503, VITAL_CLIENT_ERROR_SERVICE_UNAVAILABLE },
    { NULL, 401, VITAL_CLIENT_ERROR_API_KEY_REJECTED },
    { NULL, 415, VITAL_CLIENT_ERROR_INVALID_REQUEST },
    { NULL, 502, VITAL_CLIENT_ERROR_SERVICE_UNAVAILABLE },
    { "MISSING_API_KEY", 401, VITAL_CLIENT_ERROR_API_KEY_REJECTED },
    { "SOMETHING_NEW", 409, VITAL_CLIENT_ERROR_INVALID_REQUEST },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (vital_client_error_from_server_code (cases[i].code, cases[i].status), ==,
                     cases[i].expected);

  for (int code = VITAL_CLIENT_ERROR_MISSING_API_KEY; code <= VITAL_CLIENT_ERROR_BAD_RESPONSE;
       code++)
    {
      g_autoptr(GError) error = g_error_new_literal (VITAL_CLIENT_ERROR, code, "x");
      gboolean expected = code == VITAL_CLIENT_ERROR_NETWORK ||
                          code == VITAL_CLIENT_ERROR_TIMEOUT ||
                          code == VITAL_CLIENT_ERROR_SERVICE_UNAVAILABLE ||
                          code == VITAL_CLIENT_ERROR_RATE_LIMIT_EXCEEDED;

      g_assert_cmpint (vital_client_error_is_retryable (error), ==, expected);
    }
  g_assert_false (vital_client_error_is_retryable (NULL));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/signs/parse/full", test_parse_full);
  g_test_add_func ("/client/signs/parse/minimal", test_parse_minimal);
  g_test_add_func ("/client/signs/parse/hrv-object", test_hrv_object);
  g_test_add_func ("/client/signs/parse/bad", test_parse_bad);
  g_test_add_func ("/client/signs/roundtrip", test_roundtrip);
  g_test_add_func ("/client/signs/confidence-bands", test_bands);
  g_test_add_func ("/client/signs/typical-ranges", test_ranges);
  g_test_add_func ("/client/session/start-response", test_session_start);
  g_test_add_func ("/client/session/start-response-bad", test_session_bad);
  g_test_add_func ("/client/session/history-item", test_history_item);
  g_test_add_func ("/client/error/mapping", test_error_mapping);

  return g_test_run ();
}
