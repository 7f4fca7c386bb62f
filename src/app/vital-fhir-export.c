/* vital-fhir-export.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the HL7 FHIR R4 export: a Bundle of type "collection" with a Device (Vitalscan, its
 * version), a Patient only when the user gave a subject identifier, and per result one
 * vital-signs Observation per measured vital (LOINC code and display from the core table of
 * measures, UCUM units, the method and source in Observation.method, the confidence and the
 * caveats in Observation.note). Unmeasured vitals are left out, never invented; a fallback
 * result adds no Observation. The text is English whatever the user's language: it is read by
 * machines and by whoever receives the record.
 *
 * A scan of the built-in demo subject is test data, not an error: its resources carry the
 * standard "test health data" tag (meta.tag HTEST of v3-ActReason, which receiving systems
 * filter on) and a note, and its Observations are never linked to a Patient, even when a subject
 * identifier was typed, because they measure nobody. Its status stays "final": the values are
 * what the software measured from the demo video; "entered-in-error" would claim a mistaken
 * record instead.
 *
 * Observations name the FHIR vital-signs profiles (meta.profile) only when they can meet them:
 * the profiles require a subject, so only when a Patient is there.
 */
#include "vital-config.h"

#include <math.h>

#include "vital-export-text.h"
#include "vital-fhir-export.h"
#include "vital-json-writer.h"

#define LOINC          "http://loinc.org"
#define UCUM           "http://unitsofmeasure.org"
#define CATEGORY       "http://terminology.hl7.org/CodeSystem/observation-category"
#define INTERPRETATION "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
#define ABSENT         "http://terminology.hl7.org/CodeSystem/data-absent-reason"
#define ACT_REASON     "http://terminology.hl7.org/CodeSystem/v3-ActReason"
#define PROFILE        "http://hl7.org/fhir/StructureDefinition/"

/* The blood-pressure panel that holds both pressures (FHIR R4 vital-signs profile "bp"). */
#define BP_PANEL_CODE    "85354-9"
#define BP_PANEL_DISPLAY "Blood pressure panel with all children optional"

/* A name-based UUID (RFC 4122 version 5 layout, SHA-1) from what identifies a resource, so
 * exporting the same result twice gives the same ids and a receiver can recognise it. */
static char *
urn_uuid (const char *kind,
          const char *name)
{
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize len = sizeof digest;

  g_checksum_update (sha, (const guchar *) "vitalscan:", -1);
  g_checksum_update (sha, (const guchar *) kind, -1);
  g_checksum_update (sha, (const guchar *) ":", -1);
  g_checksum_update (sha, (const guchar *) name, -1);
  g_checksum_get_digest (sha, digest, &len);
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  return g_strdup_printf ("urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          digest[0], digest[1], digest[2], digest[3], digest[4], digest[5],
                          digest[6], digest[7], digest[8], digest[9], digest[10], digest[11],
                          digest[12], digest[13], digest[14], digest[15]);
}

/* What identifies one result: its session, else its time and source. */
static char *
reading_name (VitalReading *reading)
{
  const char *source = vital_reading_source_to_string (vital_reading_get_source (reading));
  GDateTime *when = vital_reading_get_completed_at (reading);

  if (vital_reading_get_session_id (reading) != NULL)
    return g_strdup_printf ("session:%s", vital_reading_get_session_id (reading));
  return g_strdup_printf ("time:%" G_GINT64_FORMAT ":%s",
                          when ? g_date_time_to_unix (when) : (gint64) 0,
                          source ? source : "unknown");
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static void
add_coding (JsonBuilder *b,
            const char  *system,
            const char  *code,
            const char  *display)
{
  json_builder_begin_object (b);
  add_string (b, "system", system);
  add_string (b, "code", code);
  if (display != NULL)
    add_string (b, "display", display);
  json_builder_end_object (b);
}

/* A CodeableConcept of one coding, with @text when given. */
static void
add_concept (JsonBuilder *b,
             const char  *name,
             const char  *system,
             const char  *code,
             const char  *display,
             const char  *text)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "coding");
  json_builder_begin_array (b);
  add_coding (b, system, code, display);
  json_builder_end_array (b);
  if (text != NULL)
    add_string (b, "text", text);
  json_builder_end_object (b);
}

static void
add_reference (JsonBuilder *b,
               const char  *name,
               const char  *urn,
               const char  *display)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  add_string (b, "reference", urn);
  if (display != NULL)
    add_string (b, "display", display);
  json_builder_end_object (b);
}

static void
add_test_tag (JsonBuilder *b)
{
  json_builder_set_member_name (b, "tag");
  json_builder_begin_array (b);
  add_coding (b, ACT_REASON, "HTEST", "test health data");
  json_builder_end_array (b);
}

static void
add_quantity (JsonBuilder  *b,
              const char   *name,
              VitalMeasure  measure,
              double        value)
{
  const VitalMeasureInfo *info = vital_measure_get_info (measure);

  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "value");
  vital_json_builder_add_number (b, value, vital_measure_get_decimals (measure));
  add_string (b, "unit", info->unit);   /* the table's English unit, for people */
  add_string (b, "system", UCUM);
  add_string (b, "code", info->ucum);
  json_builder_end_object (b);
}

/* Where the value lies against the typical adult range, as v3 interpretation codes, and the
 * range itself: a receiver sees what "typical" meant. */
static void
add_range (JsonBuilder  *b,
           VitalReading *reading,
           VitalMeasure  measure)
{
  const VitalMeasureInfo *info = vital_measure_get_info (measure);
  const char *code = NULL, *display = NULL;

  switch (vital_reading_check_range (reading, measure))
    {
    case VITAL_RANGE_BELOW:
      code = "L";
      display = "Low";
      break;
    case VITAL_RANGE_ABOVE:
      code = "H";
      display = "High";
      break;
    case VITAL_RANGE_TYPICAL:
      code = "N";
      display = "Normal";
      break;
    case VITAL_RANGE_UNAVAILABLE:
    default:
      break;
    }
  if (code != NULL)
    {
      json_builder_set_member_name (b, "interpretation");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "coding");
      json_builder_begin_array (b);
      add_coding (b, INTERPRETATION, code, display);
      json_builder_end_array (b);
      json_builder_end_object (b);
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "referenceRange");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  add_quantity (b, "low", measure, info->typical_low);
  add_quantity (b, "high", measure, info->typical_high);
  add_string (b, "text", "Typical adult resting range");
  json_builder_end_object (b);
  json_builder_end_array (b);
}

static void
add_note (JsonBuilder *b,
          const char  *text)
{
  json_builder_begin_object (b);
  add_string (b, "text", text);
  json_builder_end_object (b);
}

/* How sure the value is, and what else a reader must know before trusting it. */
static void
add_notes (JsonBuilder  *b,
           VitalReading *reading,
           VitalMeasure  measure)
{
  VitalConfidenceBand band;

  json_builder_set_member_name (b, "note");
  json_builder_begin_array (b);
  if (vital_reading_is_demo (reading))
    add_note (b, "Demo scan of the built-in demo subject: not a measurement of a person.");
  if (vital_reading_get_measure_band (reading, measure, &band))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      double quality = vital_export_round (vital_reading_get_quality (reading, measure),
                                         VITAL_EXPORT_QUALITY_DECIMALS);
      g_autofree char *text = NULL;

      g_ascii_formatd (buf, sizeof buf, "%.2f", quality);
      if (band == VITAL_CONFIDENCE_BAND_LOW)
        text = g_strdup_printf ("Low confidence (%s of 1): the value is uncertain.", buf);
      else
        text = g_strdup_printf ("%s confidence (%s of 1).",
                                band == VITAL_CONFIDENCE_BAND_HIGH ? "High" : "Moderate", buf);
      add_note (b, text);
    }
  else
    add_note (b, "Confidence not reported.");
  if (vital_measure_get_info (measure)->experimental)
    add_note (b, "Experimental: camera estimates of this vital are not validated against a "
                 "reference measurement.");
  add_note (b, "Not a medical device: not for diagnosis or treatment.");
  json_builder_end_array (b);
}

static char *
method_text (VitalReading *reading)
{
  GString *s = g_string_new ("Remote photoplethysmography (rPPG): the pulse read from colour "
                             "changes of the facial skin in video, by software");
  const char *name = vital_reading_get_source_name (reading);
  double seconds = vital_reading_get_scan_seconds (reading);

  switch (vital_reading_get_source (reading))
    {
    case VITAL_READING_SOURCE_CAMERA:
      if (name != NULL)
        g_string_append_printf (s, "; from the camera \"%s\"", name);
      else
        g_string_append (s, "; from a camera");
      break;
    case VITAL_READING_SOURCE_VIDEO:
      if (name != NULL)
        g_string_append_printf (s, "; from the video file \"%s\"", name);
      else
        g_string_append (s, "; from a video file");
      break;
    case VITAL_READING_SOURCE_DEMO:
      g_string_append (s, "; from the built-in demo subject, not a person");
      break;
    case VITAL_READING_SOURCE_UNKNOWN:
    default:
      break;
    }
  if (isfinite (seconds))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (s, "; %s s of video",
                              g_ascii_formatd (buf, sizeof buf, "%.1f",
                                               vital_export_round (seconds,
                                                                 VITAL_EXPORT_SECONDS_DECIMALS)));
    }
  g_string_append_c (s, '.');
  return g_string_free (s, FALSE);
}

typedef struct
{
  VitalReading *reading;
  const char   *name;         /* reading_name() */
  const char   *device_urn;
  const char   *patient_urn;  /* NULL: no subject, or a demo scan */
  const char   *when;         /* RFC 3339 */
  const char   *method;
} ObservationContext;

/* What every Observation of a result starts with; the caller adds code and value. */
static void
begin_observation (JsonBuilder              *b,
                   const ObservationContext *ctx,
                   const char               *key,
                   const char               *profile)
{
  g_autofree char *urn = urn_uuid (key, ctx->name);

  json_builder_begin_object (b);
  add_string (b, "fullUrl", urn);
  json_builder_set_member_name (b, "resource");
  json_builder_begin_object (b);
  add_string (b, "resourceType", "Observation");
  if (vital_reading_is_demo (ctx->reading) || ctx->patient_urn != NULL)
    {
      json_builder_set_member_name (b, "meta");
      json_builder_begin_object (b);
      if (ctx->patient_urn != NULL)
        {
          json_builder_set_member_name (b, "profile");
          json_builder_begin_array (b);
          json_builder_add_string_value (b, PROFILE "vitalsigns");
          if (profile != NULL)
            json_builder_add_string_value (b, profile);
          json_builder_end_array (b);
        }
      if (vital_reading_is_demo (ctx->reading))
        add_test_tag (b);
      json_builder_end_object (b);
    }
  add_string (b, "status", "final");
  json_builder_set_member_name (b, "category");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "coding");
  json_builder_begin_array (b);
  add_coding (b, CATEGORY, "vital-signs", "Vital Signs");
  json_builder_end_array (b);
  add_string (b, "text", "Vital Signs");
  json_builder_end_object (b);
  json_builder_end_array (b);
}

static void
end_observation (JsonBuilder *b)
{
  json_builder_end_object (b);   /* resource */
  json_builder_end_object (b);   /* entry */
}

/* subject, time, device and method: after code, in the order the specification lists them */
static void
add_context (JsonBuilder              *b,
             const ObservationContext *ctx)
{
  if (ctx->patient_urn != NULL)
    add_reference (b, "subject", ctx->patient_urn, NULL);
  if (ctx->when != NULL)
    add_string (b, "effectiveDateTime", ctx->when);
}

static void
add_device_and_method (JsonBuilder              *b,
                       const ObservationContext *ctx)
{
  json_builder_set_member_name (b, "method");
  json_builder_begin_object (b);
  add_string (b, "text", ctx->method);
  json_builder_end_object (b);
  add_reference (b, "device", ctx->device_urn, "Vitalscan " VITAL_VERSION);
}

static const char *
profile_of (VitalMeasure measure)
{
  switch (measure)
    {
    case VITAL_MEASURE_HEART_RATE:
      return PROFILE "heartrate";
    case VITAL_MEASURE_RESPIRATORY_RATE:
      return PROFILE "resprate";
    case VITAL_MEASURE_SPO2:
      return PROFILE "oxygensat";
    case VITAL_MEASURE_SYSTOLIC_BP:
    case VITAL_MEASURE_DIASTOLIC_BP:
      return PROFILE "bp";
    case VITAL_MEASURE_HRV_SDNN:   /* no vital-signs profile of its own */
    case VITAL_MEASURE_COUNT:
    default:
      return NULL;
    }
}

static void
add_simple_observation (JsonBuilder              *b,
                        const ObservationContext *ctx,
                        VitalMeasure              measure,
                        double                    value)
{
  const VitalMeasureInfo *info = vital_measure_get_info (measure);

  begin_observation (b, ctx, info->key, profile_of (measure));
  add_concept (b, "code", LOINC, info->loinc, info->loinc_display, info->title);
  add_context (b, ctx);
  add_quantity (b, "valueQuantity", measure, value);
  add_range (b, ctx->reading, measure);
  add_notes (b, ctx->reading, measure);
  add_device_and_method (b, ctx);
  end_observation (b);
}

/* Both pressures in the panel the vital-signs profile asks for; a pressure that was not
 * measured is a component with a data-absent reason (the profile requires both components). */
static void
add_blood_pressure (JsonBuilder              *b,
                    const ObservationContext *ctx,
                    double                    systolic,
                    double                    diastolic)
{
  const VitalMeasure parts[] = { VITAL_MEASURE_SYSTOLIC_BP, VITAL_MEASURE_DIASTOLIC_BP };
  const double values[] = { systolic, diastolic };

  begin_observation (b, ctx, "blood_pressure", PROFILE "bp");
  add_concept (b, "code", LOINC, BP_PANEL_CODE, BP_PANEL_DISPLAY, "Blood pressure");
  add_context (b, ctx);
  /* the panel's notes are its measured pressure's (both share one quality) */
  add_notes (b, ctx->reading, isfinite (systolic) ? parts[0] : parts[1]);
  add_device_and_method (b, ctx);
  json_builder_set_member_name (b, "component");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      const VitalMeasureInfo *info = vital_measure_get_info (parts[i]);

      json_builder_begin_object (b);
      add_concept (b, "code", LOINC, info->loinc, info->loinc_display, info->title);
      if (isfinite (values[i]))
        {
          add_quantity (b, "valueQuantity", parts[i], values[i]);
          add_range (b, ctx->reading, parts[i]);
        }
      else
        add_concept (b, "dataAbsentReason", ABSENT, "unknown", "Unknown",
                     "Not measured in this scan");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  end_observation (b);
}

static void
add_observations (JsonBuilder              *b,
                  const ObservationContext *ctx)
{
  double v[VITAL_MEASURE_COUNT];

  if (vital_reading_is_fallback (ctx->reading))
    return;   /* nothing was measured: no value leaves the app */
  for (guint k = 0; k < VITAL_MEASURE_COUNT; k++)
    v[k] = vital_reading_get_value (ctx->reading, k);
  for (guint k = 0; k < VITAL_MEASURE_COUNT; k++)
    if (k != VITAL_MEASURE_SYSTOLIC_BP && k != VITAL_MEASURE_DIASTOLIC_BP && isfinite (v[k]))
      add_simple_observation (b, ctx, k, v[k]);
  if (isfinite (v[VITAL_MEASURE_SYSTOLIC_BP]) || isfinite (v[VITAL_MEASURE_DIASTOLIC_BP]))
    add_blood_pressure (b, ctx, v[VITAL_MEASURE_SYSTOLIC_BP], v[VITAL_MEASURE_DIASTOLIC_BP]);
}

static void
add_device (JsonBuilder *b,
            const char  *urn)
{
  json_builder_begin_object (b);
  add_string (b, "fullUrl", urn);
  json_builder_set_member_name (b, "resource");
  json_builder_begin_object (b);
  add_string (b, "resourceType", "Device");
  add_string (b, "status", "active");
  add_string (b, "manufacturer", "The Vitalscan authors");
  json_builder_set_member_name (b, "deviceName");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  add_string (b, "name", "Vitalscan");
  add_string (b, "type", "user-friendly-name");
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "type");
  json_builder_begin_object (b);
  add_string (b, "text", "Software that estimates vital signs from video of the face (remote "
                         "photoplethysmography)");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  add_string (b, "value", VITAL_VERSION);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "note");
  json_builder_begin_array (b);
  add_note (b, "Not a medical device: its estimates must not be used for diagnosis or "
               "treatment.");
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
add_patient (JsonBuilder *b,
             const char  *urn,
             const char  *subject_id)
{
  json_builder_begin_object (b);
  add_string (b, "fullUrl", urn);
  json_builder_set_member_name (b, "resource");
  json_builder_begin_object (b);
  add_string (b, "resourceType", "Patient");
  json_builder_set_member_name (b, "identifier");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  add_string (b, "use", "usual");
  /* The user typed it; whose numbering it follows is theirs to know, so no system is claimed. */
  json_builder_set_member_name (b, "type");
  json_builder_begin_object (b);
  add_string (b, "text", "Subject identifier entered in Vitalscan");
  json_builder_end_object (b);
  add_string (b, "value", subject_id);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

/**
 * vital_fhir_export_bundle:
 * @readings: (array length=n_readings): results
 * @n_readings: how many
 * @timestamp: (nullable): when the Bundle is assembled; %NULL for now
 *
 * Builds an HL7 FHIR R4 Bundle (type "collection") of @readings: one Device for Vitalscan,
 * one Patient per subject identifier given (not for demo scans) and one vital-signs
 * Observation per measured vital of each result (both blood pressures in one panel). Ids are
 * urn:uuid names derived from each result's session (or time), so they are stable.
 *
 * Returns: (transfer full): the Bundle
 */
JsonNode *
vital_fhir_export_bundle (VitalReading **readings,
                          guint          n_readings,
                          GDateTime     *timestamp)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GDateTime) now = timestamp ? g_date_time_ref (timestamp)
                                       : g_date_time_new_now_local ();
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GHashTable) patients = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                          g_free);
  g_autofree char *device_urn = urn_uuid ("device", "Vitalscan " VITAL_VERSION);
  g_autofree char *bundle_urn = NULL;
  g_autofree char *stamp = vital_export_format_time (now);
  gboolean any_demo = FALSE;

  for (guint i = 0; i < n_readings; i++)
    {
      g_autofree char *name = reading_name (readings[i]);

      g_string_append_printf (names, "%s;", name);
      any_demo |= vital_reading_is_demo (readings[i]);
    }
  bundle_urn = urn_uuid ("bundle", names->str);

  json_builder_begin_object (b);
  add_string (b, "resourceType", "Bundle");
  if (any_demo)
    {
      json_builder_set_member_name (b, "meta");
      json_builder_begin_object (b);
      add_test_tag (b);
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "identifier");
  json_builder_begin_object (b);
  add_string (b, "system", "urn:ietf:rfc:3986");
  add_string (b, "value", bundle_urn);
  json_builder_end_object (b);
  add_string (b, "type", "collection");
  add_string (b, "timestamp", stamp);
  json_builder_set_member_name (b, "entry");
  json_builder_begin_array (b);
  add_device (b, device_urn);

  for (guint i = 0; i < n_readings; i++)
    {
      VitalReading *r = readings[i];
      const char *subject = vital_reading_get_subject_id (r);
      g_autofree char *name = reading_name (r);
      g_autofree char *when = vital_export_format_time (vital_reading_get_completed_at (r));
      g_autofree char *method = method_text (r);
      ObservationContext ctx = { r, name, device_urn, NULL, when, method };

      if (subject != NULL && !vital_reading_is_demo (r))
        {
          ctx.patient_urn = g_hash_table_lookup (patients, subject);
          if (ctx.patient_urn == NULL)
            {
              char *urn = urn_uuid ("patient", subject);

              add_patient (b, urn, subject);
              g_hash_table_insert (patients, (gpointer) subject, urn);
              ctx.patient_urn = urn;
            }
        }
      add_observations (b, &ctx);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * vital_fhir_export_to_json:
 * @readings: (array length=n_readings): results
 * @n_readings: how many
 * @timestamp: (nullable): when the Bundle is assembled; %NULL for now
 *
 * Returns: (transfer full): vital_fhir_export_bundle() as JSON text (numbers at their
 *   measure's decimals)
 */
char *
vital_fhir_export_to_json (VitalReading **readings,
                           guint          n_readings,
                           GDateTime     *timestamp)
{
  g_autoptr(JsonNode) root = vital_fhir_export_bundle (readings, n_readings, timestamp);

  return vital_json_text_write (root, TRUE);
}
