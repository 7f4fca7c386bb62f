/* vital-export.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Export of a result as JSON, CSV and a printable one-page PDF report (cairo). Unmeasured
 * values are null / empty, never invented; a fallback result exports no values.
 */
#include "vital-config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "vital-export.h"

static double
shown_value (VitalReading *reading,
             VitalMeasure  kind)
{
  return vital_reading_is_fallback (reading) ? NAN : vital_reading_get_value (reading, kind);
}

static char *
iso_time (VitalReading *reading)
{
  GDateTime *when = vital_reading_get_completed_at (reading);
  return when ? g_date_time_format_iso8601 (when) : NULL;
}

/**
 * vital_export_to_json:
 * @reading: a result
 *
 * Returns: (transfer full): the result as pretty-printed JSON: completed_at, session_id,
 *   source ("camera", "demo" — the built-in demo subject, not a person — "video", or null),
 *   source_name (the camera's or video's name, or null), confidence, confidence_band,
 *   signal_quality {snr_db, stability, periodicity} and a "vitals" object whose members are
 *   {value (null when unmeasured), unit, range, experimental, quality and confidence_band (the
 *   vital's own, null when unmeasured or not reported)}; confidence and confidence_band at the
 *   top are the heart rate's
 */
char *
vital_export_to_json (VitalReading *reading)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *when = NULL;
  VitalConfidenceBand band;
  double q;

  g_return_val_if_fail (VITAL_IS_READING (reading), NULL);

  when = iso_time (reading);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "completed_at");
  when ? json_builder_add_string_value (b, when) : json_builder_add_null_value (b);
  json_builder_set_member_name (b, "session_id");
  vital_reading_get_session_id (reading)
    ? json_builder_add_string_value (b, vital_reading_get_session_id (reading))
    : json_builder_add_null_value (b);
  json_builder_set_member_name (b, "source");
  vital_reading_source_to_string (vital_reading_get_source (reading))
    ? json_builder_add_string_value (b, vital_reading_source_to_string (
                                          vital_reading_get_source (reading)))
    : json_builder_add_null_value (b);
  json_builder_set_member_name (b, "source_name");
  vital_reading_get_source_name (reading)
    ? json_builder_add_string_value (b, vital_reading_get_source_name (reading))
    : json_builder_add_null_value (b);
  json_builder_set_member_name (b, "confidence");
  json_builder_add_double_value (b, vital_reading_get_confidence (reading));
  json_builder_set_member_name (b, "confidence_band");
  band = vital_reading_get_band (reading);
  json_builder_add_string_value (b, vital_confidence_band_to_string (band));
  json_builder_set_member_name (b, "signal_quality");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "snr_db");
  q = vital_reading_get_snr_db (reading);
  isnan (q) ? json_builder_add_null_value (b) : json_builder_add_double_value (b, q);
  json_builder_set_member_name (b, "stability");
  q = vital_reading_get_stability (reading);
  isnan (q) ? json_builder_add_null_value (b) : json_builder_add_double_value (b, q);
  json_builder_set_member_name (b, "periodicity");
  q = vital_reading_get_periodicity (reading);
  isnan (q) ? json_builder_add_null_value (b) : json_builder_add_double_value (b, q);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "vitals");
  json_builder_begin_object (b);
  for (guint k = 0; k < VITAL_MEASURE_COUNT; k++)
    {
      double v = shown_value (reading, k);
      VitalRangeCheck check = isnan (v) ? VITAL_RANGE_UNAVAILABLE
                                        : vital_reading_check_range (reading, k);

      json_builder_set_member_name (b, vital_measure_get_info (k)->key);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "value");
      isnan (v) ? json_builder_add_null_value (b) : json_builder_add_double_value (b, v);
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, vital_measure_get_info (k)->unit);
      json_builder_set_member_name (b, "range");
      json_builder_add_string_value (b, vital_range_check_to_string (check));
      json_builder_set_member_name (b, "experimental");
      json_builder_add_boolean_value (b, vital_measure_get_info (k)->experimental);
      /* each vital's own confidence: the result's is the heart rate's */
      json_builder_set_member_name (b, "quality");
      q = isnan (v) ? NAN : vital_reading_get_quality (reading, k);
      isnan (q) ? json_builder_add_null_value (b) : json_builder_add_double_value (b, q);
      json_builder_set_member_name (b, "confidence_band");
      if (!isnan (v) && vital_reading_get_measure_band (reading, k, &band))
        json_builder_add_string_value (b, vital_confidence_band_to_string (band));
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "disclaimer");
  json_builder_add_string_value (b, vital_reading_is_demo (reading)
                                      ? "Demo scan of the built-in demo subject, not a "
                                        "measurement of a person. Not a medical device."
                                      : "Not a medical device. Not for diagnosis.");
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

static void
csv_double (GString *s,
            double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (s, ',');
  if (!isnan (v))
    g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.2f", v));
}

/**
 * vital_export_to_csv:
 * @readings: (array length=n_readings): results
 * @n_readings: how many
 *
 * Returns: (transfer full): a header line and one line per result (RFC 4180, "." decimal
 *   point whatever the locale, empty fields for unmeasured values); then each vital's own
 *   quality (`heart_rate_quality`, …: confidence and confidence_band are the heart rate's), and
 *   last the source, "demo" for a scan of the built-in demo subject
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
  g_string_append (s, ",source\r\n");

  for (guint i = 0; i < n_readings; i++)
    {
      VitalReading *r = readings[i];
      g_autofree char *when = iso_time (r);
      const char *sid = vital_reading_get_session_id (r);
      const char *source;

      g_string_append (s, when ? when : "");
      g_string_append_c (s, ',');
      if (sid != NULL)
        {
          g_autofree char *esc = NULL;
          g_auto(GStrv) parts = g_strsplit (sid, "\"", -1);
          esc = g_strjoinv ("\"\"", parts);
          g_string_append_printf (s, "\"%s\"", esc);
        }
      csv_double (s, vital_reading_get_confidence (r));
      g_string_append_printf (s, ",%s",
                              vital_confidence_band_to_string (vital_reading_get_band (r)));
      csv_double (s, vital_reading_get_snr_db (r));
      csv_double (s, vital_reading_get_stability (r));
      csv_double (s, vital_reading_get_periodicity (r));
      for (guint k = 0; k < VITAL_MEASURE_COUNT; k++)
        csv_double (s, shown_value (r, k));
      for (guint k = 0; k < VITAL_MEASURE_COUNT; k++)
        csv_double (s, isnan (shown_value (r, k)) ? NAN : vital_reading_get_quality (r, k));
      source = vital_reading_source_to_string (vital_reading_get_source (r));
      g_string_append_printf (s, ",%s\r\n", source ? source : "");
    }
  return g_string_free (s, FALSE);
}

static double
draw_text (cairo_t    *cr,
           double      x,
           double      y,
           double      width,
           const char *font,
           const char *text)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (font);
  int w, h;

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, &w, &h);
  return y + (double) h / PANGO_SCALE;
}

static cairo_status_t
append_to_array (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/**
 * vital_export_to_pdf:
 * @reading: a result
 * @error: return location for a #GError
 *
 * Renders a one-page A4 report: date, what the result was measured from (a demo scan says so,
 * in the page and in the document's title), confidence band and advice, a table of the vitals
 * with units and typical ranges (flags when outside), and the disclaimer.
 *
 * Returns: (transfer full) (nullable): the PDF document, or %NULL with @error set
 */
GBytes *
vital_export_to_pdf (VitalReading  *reading,
                     GError       **error)
{
  g_autoptr(GByteArray) pdf = g_byte_array_new ();
  const double page_w = 595.0, page_h = 842.0, margin = 56.0;   /* A4 in points */
  double y, text_w = page_w - 2 * margin;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  VitalConfidenceBand band;
  g_autofree char *when = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *source = NULL;

  g_return_val_if_fail (VITAL_IS_READING (reading), NULL);

  surface = cairo_pdf_surface_create_for_stream (append_to_array, pdf, page_w, page_h);
  cr = cairo_create (surface);
  band = vital_reading_get_band (reading);

  cairo_set_source_rgb (cr, 0, 0, 0);
  y = draw_text (cr, margin, margin, text_w, "Sans Bold 20", _("Vitalscan report"));
  if (vital_reading_get_completed_at (reading) != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (vital_reading_get_completed_at (reading));
      when = g_date_time_format (local, "%x %X %Z");
    }
  y = draw_text (cr, margin, y + 4, text_w, "Sans 10", when ? when : _("Date unknown"));
  source = vital_reading_dup_source_text (reading);
  if (source != NULL)
    y = draw_text (cr, margin, y + 4, text_w,
                   vital_reading_is_demo (reading) ? "Sans Bold 12" : "Sans 10", source);
  /* Unlike the page's text, the document's properties can be read without a PDF reader. */
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE,
                                  vital_reading_is_demo (reading)
                                    ? "Vitalscan report (demo scan)" : "Vitalscan report");
  if (source != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, source);

  /* Translators: in the PDF report, e.g. "Heart rate: high confidence (0.82)" */
  conf = g_strdup_printf (_("%s (%.2f)"), vital_band_get_heart_rate_title (band),
                          vital_reading_get_confidence (reading));
  y = draw_text (cr, margin, y + 18, text_w, "Sans Bold 14", conf);
  y = draw_text (cr, margin, y + 4, text_w, "Sans 11", vital_band_get_advice (band));
  if (band == VITAL_CONFIDENCE_BAND_LOW)
    y = draw_text (cr, margin, y + 2, text_w, "Sans 11",
                   vital_low_cause_get_advice (vital_reading_get_low_cause (reading)));

  y += 18;
  if (band != VITAL_CONFIDENCE_BAND_FALLBACK)
    {
      for (guint k = 0; k < VITAL_MEASURE_COUNT; k++)
        {
          const VitalMeasureInfo *info = vital_measure_get_info (k);
          double v = vital_reading_get_value (reading, k);
          g_autofree char *value = NULL;
          g_autofree char *range = NULL;
          const char *flag = "";
          const char *confidence = vital_reading_get_confidence_text (reading, k);
          gboolean uncertain = vital_reading_is_uncertain (reading, k);
          double row_y = y, value_y, range_y;

          if (isnan (v))
            value = g_strdup (_("not measured"));
          else
            value = g_strdup_printf ("%.*f %s", k == VITAL_MEASURE_SPO2 ? 1 : 0, v,
                                     vital_measure_get_unit_text (k));
          switch (vital_reading_check_range (reading, k))
            {
            case VITAL_RANGE_BELOW:
              flag = _("below typical range");
              break;
            case VITAL_RANGE_ABOVE:
              flag = _("above typical range");
              break;
            default:
              break;
            }
          range = g_strdup_printf (_("typical %.0f–%.0f%s%s"),
                                   info->typical_low, info->typical_high,
                                   info->experimental ? ", " : "",
                                   info->experimental ? _("experimental") : "");
          /* each column may wrap: the row ends below the longest */
          y = draw_text (cr, margin, row_y, 170, "Sans Bold 11", vital_measure_get_title_text (k));
          /* an uncertain value is printed grey, and says it is uncertain */
          if (uncertain)
            cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
          value_y = draw_text (cr, margin + 175, row_y, 120, "Sans 11", value);
          if (confidence != NULL)
            value_y = draw_text (cr, margin + 175, value_y + 1, 120,
                                 uncertain ? "Sans Bold 8" : "Sans 8", confidence);
          cairo_set_source_rgb (cr, 0, 0, 0);
          range_y = draw_text (cr, margin + 300, row_y, text_w - 300, "Sans 9", range);
          range_y = draw_text (cr, margin + 300, range_y + 1, text_w - 300, "Sans Bold 9", flag);
          y = MAX (MAX (y, value_y), MAX (range_y, row_y + 16)) + 10;
        }
      if (!isnan (vital_reading_get_snr_db (reading)))
        {
          g_autofree char *q =
            g_strdup_printf (_("Signal: SNR %.1f dB · stability %.0f %% · periodicity %.0f %%"),
                             vital_reading_get_snr_db (reading),
                             vital_reading_get_stability (reading) * 100.0,
                             vital_reading_get_periodicity (reading) * 100.0);
          y = draw_text (cr, margin, y + 6, text_w, "Sans 10", q);
        }
    }

  draw_text (cr, margin, page_h - margin - 40, text_w, "Sans Italic 9",
             _("Vitalscan is not a medical device. Its estimates must not be used for diagnosis "
               "or treatment; ask a health professional about any concern."));
  (void) y;

  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot draw the report: %s",
                   cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&pdf));
}

/**
 * vital_export_format_get_extension:
 * @format: an export format
 *
 * Returns: (transfer none): "json", "csv" or "pdf"
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
    case VITAL_EXPORT_PDF:
    default:
      return "pdf";
    }
}

/**
 * vital_export_save:
 * @reading: a result
 * @format: the format
 * @file: where to write
 * @error: return location for a #GError
 *
 * Writes @reading to @file in @format, whole or not at all (a file already there is replaced
 * only once the new one is written).
 *
 * Returns: %TRUE when written; %FALSE with @error set (the reason a person can act on: the
 *   folder is read-only, the disk is full) otherwise
 */
gboolean
vital_export_save (VitalReading       *reading,
                   VitalExportFormat   format,
                   GFile              *file,
                   GError            **error)
{
  g_autoptr(GBytes) bytes = NULL;
  char *text;

  g_return_val_if_fail (VITAL_IS_READING (reading), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (format == VITAL_EXPORT_PDF)
    {
      bytes = vital_export_to_pdf (reading, error);
      if (bytes == NULL)
        return FALSE;
    }
  else
    {
      text = format == VITAL_EXPORT_JSON ? vital_export_to_json (reading)
                                         : vital_export_to_csv (&reading, 1);
      bytes = g_bytes_new_take (text, strlen (text));
    }

  return g_file_replace_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                  NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL,
                                  error);
}
