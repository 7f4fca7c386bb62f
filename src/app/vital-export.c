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
 *   confidence, confidence_band, signal_quality {snr_db, stability, periodicity} and a "vitals"
 *   object whose members are
 *   {value (null when unmeasured), unit, range, experimental}
 */
char *
vital_export_to_json (VitalReading *reading)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *when = NULL;
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
  json_builder_set_member_name (b, "confidence");
  json_builder_add_double_value (b, vital_reading_get_confidence (reading));
  json_builder_set_member_name (b, "confidence_band");
  json_builder_add_string_value (b, vital_confidence_band_to_string (vital_reading_get_band (reading)));
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
      json_builder_set_member_name (b, vital_measure_get_info (k)->key);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "value");
      isnan (v) ? json_builder_add_null_value (b) : json_builder_add_double_value (b, v);
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, vital_measure_get_info (k)->unit);
      json_builder_set_member_name (b, "range");
      json_builder_add_string_value (b, vital_range_check_to_string (isnan (v) ? VITAL_RANGE_UNAVAILABLE
                                                  : vital_reading_check_range (reading, k)));
      json_builder_set_member_name (b, "experimental");
      json_builder_add_boolean_value (b, vital_measure_get_info (k)->experimental);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "disclaimer");
  json_builder_add_string_value (b, "Not a medical device. Not for diagnosis.");
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
 *   point whatever the locale, empty fields for unmeasured values)
 */
char *
vital_export_to_csv (VitalReading **readings,
                     guint          n_readings)
{
  GString *s = g_string_new ("completed_at,session_id,confidence,confidence_band,snr_db,"
                             "stability,periodicity");

  for (guint k = 0; k < VITAL_MEASURE_COUNT; k++)
    g_string_append_printf (s, ",%s", vital_measure_get_info (k)->key);
  g_string_append (s, "\r\n");

  for (guint i = 0; i < n_readings; i++)
    {
      VitalReading *r = readings[i];
      g_autofree char *when = iso_time (r);
      const char *sid = vital_reading_get_session_id (r);

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
      g_string_append_printf (s, ",%s", vital_confidence_band_to_string (vital_reading_get_band (r)));
      csv_double (s, vital_reading_get_snr_db (r));
      csv_double (s, vital_reading_get_stability (r));
      csv_double (s, vital_reading_get_periodicity (r));
      for (guint k = 0; k < VITAL_MEASURE_COUNT; k++)
        csv_double (s, shown_value (r, k));
      g_string_append (s, "\r\n");
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

/**
 * vital_export_write_pdf:
 * @reading: a result
 * @path: the PDF file to write
 * @error: return location for a #GError
 *
 * Writes a one-page A4 report: date, confidence band and advice, a table of the vitals with
 * units and typical ranges (flags when outside), and the disclaimer.
 *
 * Returns: %TRUE when written
 */
gboolean
vital_export_write_pdf (VitalReading  *reading,
                        const char    *path,
                        GError       **error)
{
  const double page_w = 595.0, page_h = 842.0, margin = 56.0;   /* A4 in points */
  double y, text_w = page_w - 2 * margin;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  VitalConfidenceBand band;
  g_autofree char *when = NULL;
  g_autofree char *conf = NULL;

  g_return_val_if_fail (VITAL_IS_READING (reading), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  surface = cairo_pdf_surface_create (path, page_w, page_h);
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

  /* Translators: in the PDF report, e.g. "High confidence (0.82)" */
  conf = g_strdup_printf (_("%s (%.2f)"), vital_band_get_title (band),
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
          double row_y = y;

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
          range = g_strdup_printf (_("typical %.0f–%.0f%s%s"), info->typical_low, info->typical_high,
                                   vital_measure_get_info (k)->experimental ? ", " : "",
                                   vital_measure_get_info (k)->experimental ? _("experimental") : "");
          draw_text (cr, margin, row_y, 170, "Sans Bold 11", vital_measure_get_title_text (k));
          draw_text (cr, margin + 175, row_y, 120, "Sans 11", value);
          draw_text (cr, margin + 300, row_y, text_w - 300, "Sans 9", range);
          y = draw_text (cr, margin + 300, row_y + 13, text_w - 300, "Sans Bold 9", flag);
          y = MAX (y, row_y + 16) + 10;
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
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write %s: %s", path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
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
 * @file: where to write (a local file for PDF)
 * @error: return location for a #GError
 *
 * Writes @reading to @file in @format.
 *
 * Returns: %TRUE when written
 */
gboolean
vital_export_save (VitalReading       *reading,
                   VitalExportFormat   format,
                   GFile              *file,
                   GError            **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (VITAL_IS_READING (reading), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (format == VITAL_EXPORT_PDF)
    {
      g_autofree char *path = g_file_get_path (file);
      if (path == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "PDF reports can only be written to local files");
          return FALSE;
        }
      return vital_export_write_pdf (reading, path, error);
    }

  if (format == VITAL_EXPORT_JSON)
    text = vital_export_to_json (reading);
  else
    text = vital_export_to_csv (&reading, 1);

  return g_file_replace_contents (file, text, strlen (text), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
}
