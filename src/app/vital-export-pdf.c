/* vital-export-pdf.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the printable PDF report (cairo, Pango): whom and when it was measured, from what and for
 * how long, by which version, the heart rate's confidence, a table of the vitals and the
 * disclaimer, with the document's title, author and subject set. Text is laid out before it is
 * drawn: every cell is measured with Pango at its column's width and wraps, a row is as tall as
 * its tallest cell, and what would not fit above the disclaimer goes on a new page, so no line
 * is printed over another in any language. Labels are translated; numbers have the decimals of
 * every other export.
 */
#include "vital-config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "vital-export.h"

/* A4 in points */
#define PAGE_W     595.0
#define PAGE_H     842.0
#define MARGIN     56.0
#define TEXT_W     (PAGE_W - 2 * MARGIN)
#define CELL_GAP   12.0   /* between columns */
#define ROW_GAP    8.0    /* between rows, split around the rule that separates them */

typedef struct
{
  cairo_surface_t *surface;
  cairo_t         *cr;
  double           y;           /* where the next block starts */
  double           footer_top;  /* the disclaimer's top: nothing may reach below it */
  char            *footer;
  guint            pages;
} Report;

static PangoLayout *
make_layout (Report     *report,
             const char *font,
             double      width,
             const char *text)
{
  PangoLayout *layout = pango_cairo_create_layout (report->cr);
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

static void
draw_layout (Report      *report,
             PangoLayout *layout,
             double       x,
             double       y)
{
  cairo_move_to (report->cr, x, y);
  pango_cairo_show_layout (report->cr, layout);
}

static void
draw_footer (Report *report)
{
  g_autoptr(PangoLayout) layout = make_layout (report, "Sans Italic 9", TEXT_W, report->footer);

  cairo_set_source_rgb (report->cr, 0.3, 0.3, 0.3);
  draw_layout (report, layout, MARGIN, report->footer_top);
  cairo_set_source_rgb (report->cr, 0, 0, 0);
}

/* Makes room for @height more points: a new page when it would reach the disclaimer. */
static void
need (Report *report,
      double  height)
{
  if (report->y + height <= report->footer_top - 12.0 || report->y <= MARGIN)
    return;
  draw_footer (report);
  cairo_show_page (report->cr);
  report->pages++;
  report->y = MARGIN;
}

/* A paragraph across the page: measured, moved to a new page if needed, drawn. */
static void
paragraph (Report     *report,
           double      space_before,
           const char *font,
           const char *text)
{
  g_autoptr(PangoLayout) layout = NULL;
  double h;

  if (text == NULL || *text == '\0')
    return;
  layout = make_layout (report, font, TEXT_W, text);
  h = layout_height (layout);
  report->y += space_before;
  need (report, h);
  draw_layout (report, layout, MARGIN, report->y);
  report->y += h;
}

/* One cell of a table row: lines stacked in its column, each measured at the column's width. */
typedef struct
{
  double       x;
  double       width;
  PangoLayout *lines[3];
  double       grey[3];   /* 0 black … 1 white */
} Cell;

static void
cell_add (Report     *report,
          Cell       *cell,
          const char *font,
          const char *text,
          double      grey)
{
  for (guint i = 0; i < G_N_ELEMENTS (cell->lines); i++)
    if (cell->lines[i] == NULL)
      {
        if (text == NULL || *text == '\0')
          return;
        cell->lines[i] = make_layout (report, font, cell->width, text);
        cell->grey[i] = grey;
        return;
      }
  g_assert_not_reached ();
}

static double
cell_height (Cell *cell)
{
  double h = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cell->lines) && cell->lines[i] != NULL; i++)
    h += layout_height (cell->lines[i]) + (i > 0 ? 1.0 : 0.0);
  return h;
}

static void
cell_draw (Report *report,
           Cell   *cell,
           double  y)
{
  for (guint i = 0; i < G_N_ELEMENTS (cell->lines) && cell->lines[i] != NULL; i++)
    {
      y += i > 0 ? 1.0 : 0.0;
      cairo_set_source_rgb (report->cr, cell->grey[i], cell->grey[i], cell->grey[i]);
      draw_layout (report, cell->lines[i], cell->x, y);
      y += layout_height (cell->lines[i]);
    }
  cairo_set_source_rgb (report->cr, 0, 0, 0);
}

static void
cell_clear (Cell *cell)
{
  for (guint i = 0; i < G_N_ELEMENTS (cell->lines); i++)
    g_clear_object (&cell->lines[i]);
}

/* A row of cells: as tall as its tallest cell, on a new page if it does not fit, then a rule. */
static void
row (Report *report,
     Cell   *cells,
     guint   n_cells,
     gboolean rule)
{
  double h = 0;

  for (guint i = 0; i < n_cells; i++)
    h = MAX (h, cell_height (&cells[i]));
  need (report, h);
  for (guint i = 0; i < n_cells; i++)
    {
      cell_draw (report, &cells[i], report->y);
      cell_clear (&cells[i]);
    }
  report->y += h + ROW_GAP / 2;
  if (rule)
    {
      cairo_set_source_rgb (report->cr, 0.8, 0.8, 0.8);
      cairo_set_line_width (report->cr, 0.5);
      cairo_move_to (report->cr, MARGIN, report->y);
      cairo_line_to (report->cr, MARGIN + TEXT_W, report->y);
      cairo_stroke (report->cr);
      cairo_set_source_rgb (report->cr, 0, 0, 0);
    }
  report->y += ROW_GAP / 2;
}

/* "Label   value" lines of the report's head. */
static void
detail (Report     *report,
        const char *label,
        const char *value,
        gboolean    bold)
{
  const double label_w = 130.0;
  Cell cells[2] = {
    { MARGIN, label_w, { NULL }, { 0 } },
    { MARGIN + label_w + CELL_GAP, TEXT_W - label_w - CELL_GAP, { NULL }, { 0 } },
  };

  cell_add (report, &cells[0], "Sans Bold 10", label, 0.3);
  cell_add (report, &cells[1], bold ? "Sans Bold 10" : "Sans 10", value, 0);
  row (report, cells, G_N_ELEMENTS (cells), FALSE);
  report->y -= ROW_GAP / 2;   /* the head's lines sit close */
}

static char *
measured_at_text (VitalReading *reading)
{
  g_autoptr(GDateTime) local = NULL;

  if (vital_reading_get_completed_at (reading) == NULL)
    return g_strdup (_("Date unknown"));
  /* Four-digit year and the zone with its offset: a report is read elsewhere and later. */
  local = g_date_time_to_local (vital_reading_get_completed_at (reading));
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S %Z (UTC%:z)");
}

static char *
value_text (VitalReading *reading,
            VitalMeasure  measure)
{
  g_autofree char *number = vital_export_format_value (measure,
                                                       vital_reading_get_value (reading,
                                                                                measure));

  if (number == NULL)
    return g_strdup (_("not measured"));
  return g_strdup_printf ("%s %s", number, vital_measure_get_unit_text (measure));
}

static void
vitals_table (Report       *report,
              VitalReading *reading)
{
  const double title_w = 160.0, value_w = 150.0;
  const double value_x = MARGIN + title_w + CELL_GAP;
  const double range_x = value_x + value_w + CELL_GAP;
  const double range_w = MARGIN + TEXT_W - range_x;
  Cell head[3] = {
    { MARGIN, title_w, { NULL }, { 0 } },
    { value_x, value_w, { NULL }, { 0 } },
    { range_x, range_w, { NULL }, { 0 } },
  };

  cell_add (report, &head[0], "Sans Bold 9", _("Vital sign"), 0.3);
  cell_add (report, &head[1], "Sans Bold 9", _("Value"), 0.3);
  cell_add (report, &head[2], "Sans Bold 9", _("Typical adult range"), 0.3);
  row (report, head, G_N_ELEMENTS (head), TRUE);

  for (guint k = 0; k < VITAL_MEASURE_COUNT; k++)
    {
      const VitalMeasureInfo *info = vital_measure_get_info (k);
      gboolean uncertain = vital_reading_is_uncertain (reading, k);
      g_autofree char *value = value_text (reading, k);
      g_autofree char *range = NULL;
      const char *flag = NULL;
      Cell cells[3] = {
        { MARGIN, title_w, { NULL }, { 0 } },
        { value_x, value_w, { NULL }, { 0 } },
        { range_x, range_w, { NULL }, { 0 } },
      };

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
      /* Translators: in the PDF report, a typical range, e.g. "60–100 bpm" */
      range = g_strdup_printf (_("%.0f–%.0f %s"), info->typical_low, info->typical_high,
                               vital_measure_get_unit_text (k));

      cell_add (report, &cells[0], "Sans Bold 11", vital_measure_get_title_text (k), 0);
      /* an uncertain value is printed grey, and says it is uncertain */
      cell_add (report, &cells[1], "Sans 11", value, uncertain ? 0.45 : 0);
      cell_add (report, &cells[1], uncertain ? "Sans Bold 8" : "Sans 8",
                vital_reading_get_confidence_text (reading, k), uncertain ? 0.45 : 0.3);
      cell_add (report, &cells[2], "Sans 9", range, 0);
      if (info->experimental)
        cell_add (report, &cells[2], "Sans Italic 9", _("experimental"), 0.3);
      cell_add (report, &cells[2], "Sans Bold 9", flag, 0);
      row (report, cells, G_N_ELEMENTS (cells), TRUE);
    }
}

static cairo_status_t
append_to_array (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
set_metadata (Report       *report,
              VitalReading *reading,
              const char   *source)
{
  const char *subject = vital_reading_get_subject_id (reading);
  const char *title = vital_reading_is_demo (reading) ? _("Vitalscan report (demo scan)")
                                                      : _("Vitalscan report");
  g_autofree char *full_title = NULL;
  g_autofree char *creator = g_strdup_printf ("Vitalscan %s", vital_export_get_app_version ());

  /* Unlike the page's text, the document's properties can be read without a PDF reader. */
  if (subject != NULL)
    /* Translators: the PDF report's title with the subject identifier the user typed */
    full_title = g_strdup_printf (_("%s: %s"), title, subject);
  cairo_pdf_surface_set_metadata (report->surface, CAIRO_PDF_METADATA_TITLE,
                                  full_title ? full_title : title);
  cairo_pdf_surface_set_metadata (report->surface, CAIRO_PDF_METADATA_AUTHOR, creator);
  cairo_pdf_surface_set_metadata (report->surface, CAIRO_PDF_METADATA_CREATOR, creator);
  cairo_pdf_surface_set_metadata (report->surface, CAIRO_PDF_METADATA_SUBJECT,
                                  source ? source
                                         : _("Vital signs estimated from video of the face"));
}

/**
 * vital_export_to_pdf:
 * @reading: a result
 * @error: return location for a #GError
 *
 * Renders an A4 report (one page unless the text needs more): the subject identifier, when it
 * was measured (with the zone), what it was measured from (a demo scan says so, in the page and
 * in the document's title), the scan's length, the session and the app's version; the heart
 * rate's confidence band and advice; a table of the vitals with units, each one's confidence
 * and the typical ranges (flags when outside); the signal quality and the disclaimer.
 *
 * Returns: (transfer full) (nullable): the PDF document, or %NULL with @error set
 */
GBytes *
vital_export_to_pdf (VitalReading  *reading,
                     GError       **error)
{
  g_autoptr(GByteArray) pdf = g_byte_array_new ();
  Report report = { 0 };
  VitalConfidenceBand band;
  g_autofree char *when = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *source = NULL;
  g_autofree char *length = NULL;
  g_autofree char *version = NULL;
  cairo_status_t status;
  double seconds;

  g_return_val_if_fail (VITAL_IS_READING (reading), NULL);

  report.surface = cairo_pdf_surface_create_for_stream (append_to_array, pdf, PAGE_W, PAGE_H);
  report.cr = cairo_create (report.surface);
  report.pages = 1;
  report.y = MARGIN;
  report.footer = g_strdup (_("Vitalscan is not a medical device. Its estimates must not be "
                               "used for diagnosis or treatment; ask a health professional "
                               "about any concern."));
  {
    g_autoptr(PangoLayout) footer = make_layout (&report, "Sans Italic 9", TEXT_W,
                                                 report.footer);
    report.footer_top = PAGE_H - MARGIN - layout_height (footer);
  }
  band = vital_reading_get_band (reading);
  source = vital_reading_dup_source_text (reading);
  set_metadata (&report, reading, source);

  cairo_set_source_rgb (report.cr, 0, 0, 0);
  paragraph (&report, 0, "Sans Bold 20", _("Vitalscan report"));
  if (vital_reading_is_demo (reading))
    paragraph (&report, 4, "Sans Bold 12", source);
  report.y += 12;

  when = measured_at_text (reading);
  seconds = vital_reading_get_scan_seconds (reading);
  if (isfinite (seconds))
    /* Translators: a scan's length in seconds, e.g. "30.0 s" */
    length = g_strdup_printf (_("%.1f s"), seconds);
  version = g_strdup_printf ("Vitalscan %s", vital_export_get_app_version ());
  detail (&report, _("Subject"),
          vital_reading_get_subject_id (reading) ? vital_reading_get_subject_id (reading)
                                                 : _("not given"), FALSE);
  detail (&report, _("Measured"), when, FALSE);
  detail (&report, _("Source"), source ? source : _("unknown"), vital_reading_is_demo (reading));
  detail (&report, _("Scan length"), length ? length : _("unknown"), FALSE);
  if (vital_reading_get_session_id (reading) != NULL)
    detail (&report, _("Session"), vital_reading_get_session_id (reading), FALSE);
  detail (&report, _("Made with"), version, FALSE);

  /* Translators: in the PDF report, e.g. "Heart rate: high confidence (0.82)" */
  conf = g_strdup_printf (_("%s (%.2f)"), vital_band_get_heart_rate_title (band),
                          vital_reading_get_confidence (reading));
  paragraph (&report, 14, "Sans Bold 14", conf);
  paragraph (&report, 4, "Sans 11", vital_band_get_advice (band));
  if (band == VITAL_CONFIDENCE_BAND_LOW)
    paragraph (&report, 2, "Sans 11",
               vital_low_cause_get_advice (vital_reading_get_low_cause (reading)));

  if (band != VITAL_CONFIDENCE_BAND_FALLBACK)
    {
      report.y += 16;
      vitals_table (&report, reading);
      if (!isnan (vital_reading_get_snr_db (reading)))
        {
          g_autofree char *q =
            g_strdup_printf (_("Signal: SNR %.1f dB · stability %.0f %% · periodicity %.0f %%"),
                             vital_reading_get_snr_db (reading),
                             vital_reading_get_stability (reading) * 100.0,
                             vital_reading_get_periodicity (reading) * 100.0);
          paragraph (&report, 4, "Sans 10", q);
        }
    }

  draw_footer (&report);
  cairo_show_page (report.cr);
  cairo_destroy (report.cr);
  cairo_surface_finish (report.surface);
  status = cairo_surface_status (report.surface);
  cairo_surface_destroy (report.surface);
  g_free (report.footer);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot draw the report: %s",
                   cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&pdf));
}
