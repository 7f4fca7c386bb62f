/* vital-server-json.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSON bodies of the session API. NAN vitals are written as null, never as a number.
 */
#include <math.h>
#include <string.h>

#include "vital-json-text.h"
#include "vital-server-json.h"

/**
 * vital_server_json_to_string:
 * @node: a JSON tree
 *
 * Serialises compactly (vital_json_text_write()): 72.3 stays "72.3", not json-glib's
 * "72.299999999999997", and a non-finite double is null.
 *
 * Returns: (transfer full): the JSON text
 */
char *
vital_server_json_to_string (JsonNode *node)
{
  return vital_json_text_write (node, FALSE);
}

/**
 * vital_server_json_respond:
 * @msg: the request being answered
 * @status: the HTTP status
 * @body: (transfer none): the JSON body
 *
 * Sets the status and a compact `application/json` body.
 */
void
vital_server_json_respond (SoupServerMessage *msg,
                           guint              status,
                           JsonNode          *body)
{
  g_autofree char *text = vital_server_json_to_string (body);
  gsize len = strlen (text);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), len);
}

/**
 * vital_server_json_respond_object:
 * @msg: the request being answered
 * @status: the HTTP status
 * @b: a builder whose top-level object is still open: it is closed and sent
 *
 * Sets the status and the object built in @b as the body.
 */
void
vital_server_json_respond_object (SoupServerMessage *msg,
                                  guint              status,
                                  JsonBuilder       *b)
{
  g_autoptr(JsonNode) root = NULL;

  json_builder_end_object (b);
  root = json_builder_get_root (b);
  vital_server_json_respond (msg, status, root);
}

/**
 * vital_server_json_respond_processing:
 * @msg: an upload-complete request (of any dialect)
 * @id: its session
 *
 * Answers 202 `{"session_id", "status": "processing"}`: the result is not in yet, poll for it.
 */
void
vital_server_json_respond_processing (SoupServerMessage *msg,
                                      const char        *id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "session_id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "processing");
  vital_server_json_respond_object (msg, SOUP_STATUS_ACCEPTED, b);
}

/**
 * vital_server_json_error_body:
 * @error: a #VITAL_SERVER_ERROR error (other domains are reported as INTERNAL)
 * @detail: (nullable): extra text for the `detail` member (defaults to the HTTP reason)
 *
 * Returns: (transfer full): `{"error", "message", "retryable", "detail"}`
 */
JsonNode *
vital_server_json_error_body (const GError *error,
                              const char   *detail)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  VitalServerError code = error->domain == VITAL_SERVER_ERROR ? (VitalServerError) error->code
                                                              : VITAL_SERVER_ERROR_INTERNAL;
  guint status = vital_server_error_http_status (code);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, vital_server_error_wire_code (code));
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, error->message);
  json_builder_set_member_name (b, "retryable");
  json_builder_add_boolean_value (b, vital_server_error_retryable (code));
  json_builder_set_member_name (b, "detail");
  json_builder_add_string_value (b, detail != NULL ? detail : soup_status_get_phrase (status));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * vital_server_json_respond_error:
 * @msg: the request being answered
 * @error: the error to report
 * @detail: (nullable): extra text for the `detail` member
 *
 * Answers with the error's HTTP status and the standard error body.
 */
void
vital_server_json_respond_error (SoupServerMessage *msg,
                                 const GError      *error,
                                 const char        *detail)
{
  g_autoptr(JsonNode) body = vital_server_json_error_body (error, detail);
  VitalServerError code = error->domain == VITAL_SERVER_ERROR ? (VitalServerError) error->code
                                                              : VITAL_SERVER_ERROR_INTERNAL;

  vital_server_json_respond (msg, vital_server_error_http_status (code), body);
}

static void
add_number (JsonBuilder *b,
            const char  *name,
            double       value,
            double       step)
{
  json_builder_set_member_name (b, name);
  if (!isfinite (value))
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, round (value / step) * step);
}

/* Adds @vitals' member for measure @m to @b. */
typedef void (*AddMeasure) (JsonBuilder       *b,
                            const VitalVitals *vitals,
                            guint              m);

/* Calls @add for each measure from @first on; for each vital instead when @per_vital (both
 * blood pressures are one vital, with one quality: written once). */
static void
add_measures (JsonBuilder       *b,
              const VitalVitals *vitals,
              guint              first,
              gboolean           per_vital,
              AddMeasure         add)
{
  for (guint m = first; m < VITAL_MEASURE_COUNT; m++)
    {
      if (per_vital && m > 0
          && g_str_equal (vital_measure_get_info (m)->quality_key,
                          vital_measure_get_info (m - 1)->quality_key))
        continue;
      add (b, vitals, m);
    }
}

static void
add_value (JsonBuilder       *b,
           const VitalVitals *vitals,
           guint              m)
{
  const VitalMeasureInfo *info = vital_measure_get_info (m);

  add_number (b, info->key, vital_vitals_get_value (vitals, m), info->step);
}

/**
 * vital_server_json_vitals:
 * @vitals: a result
 *
 * Returns: (transfer full): the `vitals` object; unmeasured values are null
 */
JsonNode *
vital_server_json_vitals (const VitalVitals *vitals)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_measures (b, vitals, 0, FALSE, add_value);
  add_number (b, "confidence", vitals->confidence, 0.001);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
add_quality (JsonBuilder       *b,
             const VitalVitals *vitals,
             guint              m)
{
  add_number (b, vital_measure_get_info (m)->quality_key, vital_vitals_get_quality (vitals, m),
              0.001);
}

/* Why measure @m is null, if it is */
static void
add_reason (JsonBuilder       *b,
            const VitalVitals *vitals,
            guint              m)
{
  VitalQualityFlags flags = vital_vitals_get_flags (vitals, m);
  const char *reason;

  if (isfinite (vital_vitals_get_value (vitals, m)))
    return;
  if (flags & VITAL_QUALITY_TOO_SHORT)
    reason = "too_short";
  else if (flags & VITAL_QUALITY_OUT_OF_RANGE)
    reason = "out_of_range";
  else
    reason = "low_quality";
  json_builder_set_member_name (b, vital_measure_get_info (m)->quality_key);
  json_builder_add_string_value (b, reason);
}

static const char *
cause_name (VitalConfidenceCause cause)
{
  switch (cause)
    {
    case VITAL_CAUSE_WEAK_PULSE:
      return "weak_pulse";
    case VITAL_CAUSE_AMBIGUOUS:
      return "ambiguous_rate";
    case VITAL_CAUSE_MOTION:
      return "motion";
    case VITAL_CAUSE_LITTLE_SKIN:
      return "little_skin";
    case VITAL_CAUSE_SHORT:
      return "short_scan";
    case VITAL_CAUSE_NONE:
    default:
      return NULL;
    }
}

/**
 * vital_server_json_vital_quality:
 * @vitals: a result
 *
 * Each vital's own quality (0–1): `heart_rate` is the confidence, `blood_pressure` covers both
 * pressures. A vital below 0.5 is null in `vitals`.
 *
 * Returns: (transfer full): the `vital_quality` object
 */
JsonNode *
vital_server_json_vital_quality (const VitalVitals *vitals)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_measures (b, vitals, 0, TRUE, add_quality);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * vital_server_json_not_measured:
 * @vitals: a result
 *
 * Why each vital that is null was not measured: `too_short` (the scan is too short for it),
 * `out_of_range` (SpO2 under 94 %, which a camera estimate cannot back) or `low_quality`. The
 * heart rate is always measured when there is a result.
 *
 * Returns: (transfer full): the `not_measured` object, empty when every vital was measured
 */
JsonNode *
vital_server_json_not_measured (const VitalVitals *vitals)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_measures (b, vitals, VITAL_MEASURE_RESPIRATORY_RATE, TRUE, add_reason);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * vital_server_json_signal_quality:
 * @vitals: a result
 *
 * Returns: (transfer full): the `signal_quality` object (snr in dB, stability, periodicity,
 *   and `confidence_cause`, the likely cause of a confidence under 0.4, or null)
 */
JsonNode *
vital_server_json_signal_quality (const VitalVitals *vitals)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *cause = cause_name (vitals->confidence_cause);

  json_builder_begin_object (b);
  add_number (b, "snr", vitals->snr_db, 0.01);
  add_number (b, "stability", vitals->stability, 0.001);
  add_number (b, "periodicity", vitals->periodicity, 0.001);
  json_builder_set_member_name (b, "confidence_cause");
  if (cause != NULL)
    json_builder_add_string_value (b, cause);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * vital_server_json_iso8601:
 * @unix_us: a time, µs since the epoch
 * @tz: (nullable): the zone to render in (UTC when %NULL)
 *
 * Returns: (transfer full): e.g. "2026-11-23T10:45:00Z" or "2026-11-23T11:45:00+01:00"
 */
char *
vital_server_json_iso8601 (gint64     unix_us,
                           GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = NULL;

  if (tz == NULL)
    return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  local = g_date_time_to_timezone (utc, tz);
  if (g_date_time_get_utc_offset (local) == 0)
    return g_date_time_format (local, "%Y-%m-%dT%H:%M:%SZ");
  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
}

/**
 * vital_server_json_add_time:
 * @b: a #JsonBuilder inside an object
 * @name: the member's name
 * @unix_us: a time, µs since the epoch; 0 or less for none
 * @tz: (nullable): the zone to render in (UTC when %NULL)
 *
 * Adds @name as an ISO 8601 time (vital_server_json_iso8601()), or null when there is none.
 */
void
vital_server_json_add_time (JsonBuilder *b,
                            const char  *name,
                            gint64       unix_us,
                            GTimeZone   *tz)
{
  json_builder_set_member_name (b, name);
  if (unix_us <= 0)
    json_builder_add_null_value (b);
  else
    {
      g_autofree char *text = vital_server_json_iso8601 (unix_us, tz);

      json_builder_add_string_value (b, text);
    }
}
