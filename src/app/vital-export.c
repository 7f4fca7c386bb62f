/* vital-export.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Export of a result as JSON and CSV, and saving it in any format to a file. Numbers, times and
 * the app's version are written as in every other format (vital-export-text.c). Unmeasured
 * values are null / empty, never invented; a fallback result exports no values. Keys and units
 * of the machine-readable files are never translated (units in UCUM), so a file does not change
 * with the user's language. The PDF report is vital-export-pdf.c, the FHIR Bundle
 * vital-fhir-export.c.
 */
#include "vital-config.h"

#include <math.h>

#include "vital-export.h"
#include "vital-fhir-export.h"
#include "vital-json-writer.h"

static double
shown_value (VitalReading *reading,
             VitalMeasure  kind)
{
  return vital_reading_is_fallback (reading) ? NAN : vital_reading_get_value (reading, kind);
}

static void
add_string_or_null (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_number (JsonBuilder *b,
            const char  *name,
            double       value,
            guint        decimals)
{
  json_builder_set_member_name (b, name);
  vital_json_builder_add_number (b, value, decimals);
}

/**
 * vital_export_to_json:
 * @reading: a result
 *
 * Returns: (transfer full): the result as pretty-printed JSON: completed_at (when it was
 *   measured, RFC 3339 with the zone's offset), session_id, subject_id (as the user typed it, or
 *   null), source ("camera", "demo" — the built-in demo subject, not a person — "video", or
 *   null), source_name (the camera's or video's name, or null), scan_seconds (or null),
 *   app_version, confidence, confidence_band, signal_quality {snr_db, stability, periodicity} and
 *   a "vitals" object whose members are {value (null when unmeasured), unit (UCUM, never
 *   translated), range, experimental, quality and confidence_band (the vital's own, null when
 *   unmeasured or not reported)}; confidence and confidence_band at the top are the heart
 *   rate's. Values have their measure's decimals, qualities two.
 */
char *
vital_export_to_json (VitalReading *reading)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *when = NULL;
  VitalConfidenceBand band;

  g_return_val_if_fail (VITAL_IS_READING (reading), NULL);

  when = vital_export_format_time (vital_reading_get_completed_at (reading));
  json_builder_begin_object (b);
  add_string_or_null (b, "completed_at", when);
  add_string_or_null (b, "session_id", vital_reading_get_session_id (reading));
  add_string_or_null (b, "subject_id", vital_reading_get_subject_id (reading));
  add_string_or_null (b, "source",
                      vital_reading_source_to_string (vital_reading_get_source (reading)));
  add_string_or_null (b, "source_name", vital_reading_get_source_name (reading));
  add_number (b, "scan_seconds", vital_reading_get_scan_seconds (reading),
              VITAL_EXPORT_SECONDS_DECIMALS);
  add_string_or_null (b, "app_version", vital_export_get_app_version ());
  add_number (b, "confidence", vital_reading_get_confidence (reading),
              VITAL_EXPORT_QUALITY_DECIMALS);
  add_string_or_null (b, "confidence_band",
                      vital_confidence_band_to_string (vital_reading_get_band (reading)));
  json_builder_set_member_name (b, "signal_quality");
  json_builder_begin_object (b);
  add_number (b, "snr_db", vital_reading_get_snr_db (reading), VITAL_EXPORT_SNR_DECIMALS);
  add_number (b, "stability", vital_reading_get_stability (reading),
              VITAL_EXPORT_QUALITY_DECIMALS);
  add_number (b, "periodicity", vital_reading_get_periodicity (reading),
              VITAL_EXPORT_QUALITY_DECIMALS);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "vitals");
  json_builder_begin_object (b);
  for (guint k = 0; k < VITAL_MEASURE_COUNT; k++)
    {
      const VitalMeasureInfo *info = vital_measure_get_info (k);
      double v = shown_value (reading, k);

      json_builder_set_member_name (b, info->key);
      json_builder_begin_object (b);
      add_number (b, "value", v, vital_measure_get_decimals (k));
      add_string_or_null (b, "unit", info->ucum);
      add_string_or_null (b, "range",
                          vital_range_check_to_string (isnan (v) ? VITAL_RANGE_UNAVAILABLE
                                                       : vital_reading_check_range (reading, k)));
      json_builder_set_member_name (b, "experimental");
      json_builder_add_boolean_value (b, info->experimental);
      /* each vital's own confidence: the result's is the heart rate's */
      add_number (b, "quality", isnan (v) ? NAN : vital_reading_get_quality (reading, k),
                  VITAL_EXPORT_QUALITY_DECIMALS);
      add_string_or_null (b, "confidence_band",
                          !isnan (v) && vital_reading_get_measure_band (reading, k, &band)
                            ? vital_confidence_band_to_string (band) : NULL);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  add_string_or_null (b, "disclaimer",
                      vital_reading_is_demo (reading)
                        ? "Demo scan of the built-in demo subject, not a measurement of a "
                          "person. Not a medical device."
                        : "Not a medical device. Not for diagnosis.");
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  return vital_json_text_write (root, TRUE);
}

static void
csv_number (GString *s,
            double   v,
            guint    decimals)
{
  g_autofree char *text = vital_export_format_number (v, decimals);

  g_string_append_c (s, ',');
  if (text != NULL)
    g_string_append (s, text);
}

/* RFC 4180 quoting. A text that a spreadsheet would run as a formula (=, +, -, @ first: a video
 * named "=HYPERLINK(…).mp4") is written with a leading apostrophe, as OWASP advises for CSV
 * files opened in spreadsheets. */
static void
csv_text (GString    *s,
          const char *text)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *escaped = NULL;

  g_string_append_c (s, ',');
  if (text == NULL)
    return;
  parts = g_strsplit (text, "\"", -1);
  escaped = g_strjoinv ("\"\"", parts);
  g_string_append_printf (s, "\"%s%s\"", strchr ("=+-@\t\r", text[0]) && text[0] ? "'" : "",
                          escaped);
}

/**
 * vital_export_to_csv:
 * @readings: (array length=n_readings): results
 * @n_readings: how many
 *
 * Returns: (transfer full): a header line and one line per result (RFC 4180, "." decimal
 *   point whatever the locale, empty fields for unmeasured values); then each vital's own
 *   quality (`heart_rate_quality`, …: confidence and confidence_band are the heart rate's), the
 *   source ("demo" for a scan of the built-in demo subject), and last the subject identifier,
 *   the source's name, the scan's length in seconds and the app's version. Values have their
 *   measure's decimals (units as in the JSON export: UCUM), qualities two.
 */
char *
vital_export_to_csv (VitalReading **readings,
                     guint          n_readings)
{
  GString *s = g_string_new ("completed_at,session_id,confidence,confidence_band,snr_db,"
                             "stability,periodicity");

  for (guint k = 0; k < VITAL_MEASURE_COUNT; k++)
    g_string_append_printf (s, ",%s", vital_measure_get_info (k)->key);
  for (guint k = 0; k < VITAL_MEASURE_COUNT; k++)
    g_string_append_printf (s, ",%s_quality", vital_measure_get_info (k)->key);
  g_string_append (s, ",source,subject_id,source_name,scan_seconds,app_version\r\n");

  for (guint i = 0; i < n_readings; i++)
    {
      VitalReading *r = readings[i];
      g_autofree char *when = vital_export_format_time (vital_reading_get_completed_at (r));
      const char *source;

      g_string_append (s, when ? when : "");
      csv_text (s, vital_reading_get_session_id (r));
      csv_number (s, vital_reading_get_confidence (r), VITAL_EXPORT_QUALITY_DECIMALS);
      g_string_append_printf (s, ",%s",
                              vital_confidence_band_to_string (vital_reading_get_band (r)));
      csv_number (s, vital_reading_get_snr_db (r), VITAL_EXPORT_SNR_DECIMALS);
      csv_number (s, vital_reading_get_stability (r), VITAL_EXPORT_QUALITY_DECIMALS);
      csv_number (s, vital_reading_get_periodicity (r), VITAL_EXPORT_QUALITY_DECIMALS);
      for (guint k = 0; k < VITAL_MEASURE_COUNT; k++)
        csv_number (s, shown_value (r, k), vital_measure_get_decimals (k));
      for (guint k = 0; k < VITAL_MEASURE_COUNT; k++)
        csv_number (s, isnan (shown_value (r, k)) ? NAN : vital_reading_get_quality (r, k),
                    VITAL_EXPORT_QUALITY_DECIMALS);
      source = vital_reading_source_to_string (vital_reading_get_source (r));
      g_string_append_printf (s, ",%s", source ? source : "");
      csv_text (s, vital_reading_get_subject_id (r));
      csv_text (s, vital_reading_get_source_name (r));
      csv_number (s, vital_reading_get_scan_seconds (r), VITAL_EXPORT_SECONDS_DECIMALS);
      g_string_append_printf (s, ",%s\r\n", vital_export_get_app_version ());
    }
  return g_string_free (s, FALSE);
}

/**
 * vital_export_format_get_extension:
 * @format: an export format
 *
 * Returns: (transfer none): "json", "csv", "pdf" or, for FHIR, "fhir.json"
 */
const char *
vital_export_format_get_extension (VitalExportFormat format)
{
  switch (format)
    {
    case VITAL_EXPORT_JSON:
      return "json";
    case VITAL_EXPORT_CSV:
      return "csv";
    case VITAL_EXPORT_FHIR:
      return "fhir.json";
    case VITAL_EXPORT_PDF:
    default:
      return "pdf";
    }
}

/**
 * vital_export_format_from_string:
 * @name: "json", "csv", "pdf" or "fhir" (the target of the window's export action)
 * @out_format: (out): the format it names
 *
 * Returns: %TRUE when @name names a format
 */
gboolean
vital_export_format_from_string (const char        *name,
                                 VitalExportFormat *out_format)
{
  static const struct { const char *name; VitalExportFormat format; } names[] = {
    { "json", VITAL_EXPORT_JSON },
    { "csv", VITAL_EXPORT_CSV },
    { "pdf", VITAL_EXPORT_PDF },
    { "fhir", VITAL_EXPORT_FHIR },
  };

  g_return_val_if_fail (out_format != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (name, names[i].name) == 0)
      {
        *out_format = names[i].format;
        return TRUE;
      }
  return FALSE;
}

/**
 * vital_export_format_holds_many:
 * @format: an export format
 *
 * Returns: %TRUE when one file of @format can hold several results (a CSV table, a FHIR
 *   Bundle); a JSON result and a PDF report hold one
 */
gboolean
vital_export_format_holds_many (VitalExportFormat format)
{
  return format == VITAL_EXPORT_CSV || format == VITAL_EXPORT_FHIR;
}

/**
 * vital_export_save_many:
 * @readings: (array length=n_readings): the results, oldest or newest first as they should
 *   appear
 * @n_readings: how many; more than one only for a format that holds many
 * @format: the format
 * @file: where to write
 * @error: return location for a #GError
 *
 * Writes @readings to @file in @format, whole or not at all (a file already there is replaced
 * only once the new one is written).
 *
 * Returns: %TRUE when written; %FALSE with @error set (the reason a person can act on: the
 *   folder is read-only, the disk is full) otherwise
 */
gboolean
vital_export_save_many (VitalReading      **readings,
                        guint               n_readings,
                        VitalExportFormat   format,
                        GFile              *file,
                        GError            **error)
{
  g_autoptr(GBytes) bytes = NULL;
  char *text;

  g_return_val_if_fail (readings != NULL && n_readings > 0, FALSE);
  g_return_val_if_fail (n_readings == 1 || vital_export_format_holds_many (format), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  switch (format)
    {
    case VITAL_EXPORT_PDF:
      bytes = vital_export_to_pdf (readings[0], error);
      if (bytes == NULL)
        return FALSE;
      break;
    case VITAL_EXPORT_FHIR:
      text = vital_fhir_export_to_json (readings, n_readings, NULL);
      bytes = g_bytes_new_take (text, strlen (text));
      break;
    case VITAL_EXPORT_JSON:
      text = vital_export_to_json (readings[0]);
      bytes = g_bytes_new_take (text, strlen (text));
      break;
    case VITAL_EXPORT_CSV:
    default:
      text = vital_export_to_csv (readings, n_readings);
      bytes = g_bytes_new_take (text, strlen (text));
      break;
    }

  return g_file_replace_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                  NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL,
                                  error);
}

/**
 * vital_export_save:
 * @reading: a result
 * @format: the format
 * @file: where to write
 * @error: return location for a #GError
 *
 * vital_export_save_many() for one result.
 *
 * Returns: %TRUE when written; %FALSE with @error set otherwise
 */
gboolean
vital_export_save (VitalReading       *reading,
                   VitalExportFormat   format,
                   GFile              *file,
                   GError            **error)
{
  g_return_val_if_fail (VITAL_IS_READING (reading), FALSE);
  return vital_export_save_many (&reading, 1, format, file, error);
}
