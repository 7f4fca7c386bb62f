/* vital-export-text.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns what every export (JSON, CSV, the PDF report, FHIR) writes alike, so that they say the
 * same thing: numbers rounded to the resolution they are reported at, written with a "." in any
 * locale; times in RFC 3339 with the zone's offset; the version of the app that wrote them.
 */
#include "vital-config.h"

#include <math.h>

#include "vital-export-text.h"

/**
 * vital_export_round:
 * @value: a number, or NAN
 * @decimals: how many decimals to keep
 *
 * Returns: @value rounded half away from zero to @decimals (non-finite values unchanged)
 */
double
vital_export_round (double value,
                    guint  decimals)
{
  double scale;

  if (!isfinite (value))
    return value;
  scale = pow (10.0, decimals);
  return round (value * scale) / scale;
}

/**
 * vital_export_format_number:
 * @value: a number, or NAN
 * @decimals: how many decimals to write
 *
 * Returns: (transfer full) (nullable): @value rounded and written with exactly @decimals
 *   decimals and a "." whatever the locale, or %NULL when it is not a finite number
 */
char *
vital_export_format_number (double value,
                            guint  decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char format[8];

  if (!isfinite (value))
    return NULL;
  g_snprintf (format, sizeof format, "%%.%uf", MIN (decimals, 9u));
  return g_strdup (g_ascii_formatd (buf, sizeof buf, format,
                                    vital_export_round (value, decimals)));
}

/**
 * vital_export_format_value:
 * @measure: a vital
 * @value: its value, or NAN
 *
 * Returns: (transfer full) (nullable): @value with the measure's decimals (the core table's
 *   resolution), or %NULL when unmeasured
 */
char *
vital_export_format_value (VitalMeasure measure,
                           double       value)
{
  return vital_export_format_number (value, vital_measure_get_decimals (measure));
}

/**
 * vital_export_format_time:
 * @when: (nullable): a time
 *
 * RFC 3339 to the second with the zone's offset ("2026-11-23T11:30:00+01:00", "Z" for UTC): what
 * FHIR's dateTime accepts, unlike GLib's ISO 8601 form ("+01") that drops the minutes.
 *
 * Returns: (transfer full) (nullable): the time, or %NULL for none
 */
char *
vital_export_format_time (GDateTime *when)
{
  if (when == NULL)
    return NULL;
  if (g_date_time_get_utc_offset (when) == 0)
    return g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ");
  return g_date_time_format (when, "%Y-%m-%dT%H:%M:%S%:z");
}

/**
 * vital_export_get_app_version:
 *
 * Returns: (transfer none): the version of Vitalscan that writes the exports
 */
const char *
vital_export_get_app_version (void)
{
  return VITAL_VERSION;
}
