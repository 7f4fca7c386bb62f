/* vital-timezone.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns which time-zone names are accepted and what the local zone is called on the wire. GLib's
 * g_time_zone_new_identifier() takes far more than names: POSIX TZ strings (in which `UTC+14`
 * is 14 hours *behind* UTC), paths and the plain names of a zoneinfo tree (`localtime`,
 * `posix/…`). Those are refused here before GLib sees them.
 */
#include "vital-timezone.h"

#include <string.h>

G_DEFINE_QUARK (vital-timezone-error-quark, vital_timezone_error)

/* The areas of the tz database's Area/Location names, its backward-compatible ones included. */
static const char *const tz_areas[] = {
  "Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Brazil",
  "Canada", "Chile", "Etc", "Europe", "Indian", "Mexico", "Pacific", "US", NULL
};

#define MAX_NAME 64

/* Area/Location[/Sub] with an area of the database and segments like `Paris`, `Buenos_Aires`,
 * `Port-au-Prince` or `GMT+5`. */
static gboolean
is_iana_form (const char *name)
{
  g_auto(GStrv) parts = NULL;
  guint n;

  if (strlen (name) > MAX_NAME)
    return FALSE;
  parts = g_strsplit (name, "/", -1);
  n = g_strv_length (parts);
  if (n < 2 || n > 3 || !g_strv_contains (tz_areas, parts[0]))
    return FALSE;
  for (guint i = 1; i < n; i++)
    {
      const char *p = parts[i];

      if (!g_ascii_isalpha (*p))
        return FALSE;
      for (; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '+')
          return FALSE;
    }
  return TRUE;
}

/* `+HH:MM` or `-HH:MM`, exactly, from -12:00 to +14:00 (the offsets in use). */
static gboolean
parse_offset (const char *name,
              gint32     *out_seconds)
{
  int hours, minutes;

  if (strlen (name) != 6 || (name[0] != '+' && name[0] != '-') || name[3] != ':'
      || !g_ascii_isdigit (name[1]) || !g_ascii_isdigit (name[2])
      || !g_ascii_isdigit (name[4]) || !g_ascii_isdigit (name[5]))
    return FALSE;
  hours = (name[1] - '0') * 10 + (name[2] - '0');
  minutes = (name[4] - '0') * 10 + (name[5] - '0');
  if (minutes > 59 || hours * 60 + minutes > (name[0] == '+' ? 14 * 60 : 12 * 60))
    return FALSE;
  *out_seconds = (name[0] == '+' ? 1 : -1) * (hours * 3600 + minutes * 60);
  return TRUE;
}

/**
 * vital_timezone_new_from_name:
 * @name: `UTC`, an IANA name (`Europe/Paris`, `America/Argentina/Buenos_Aires`, `Etc/GMT+5`)
 *   or a fixed offset `±HH:MM` (`+05:30`, `-03:00`)
 * @error: return location for a #GError (%VITAL_TIMEZONE_ERROR_INVALID)
 *
 * Returns: (transfer full) (nullable): the zone, or %NULL for anything else (POSIX TZ strings,
 *   other plain names, paths, names the tz database does not hold)
 */
GTimeZone *
vital_timezone_new_from_name (const char  *name,
                              GError     **error)
{
  GTimeZone *tz = NULL;
  gint32 seconds;

  g_return_val_if_fail (name != NULL, NULL);

  if (g_str_equal (name, "UTC"))
    tz = g_time_zone_new_utc ();
  else if (parse_offset (name, &seconds))
    tz = g_time_zone_new_offset (seconds);
  else if (is_iana_form (name))
    /* A name of this form can only load from the tz database. */
    tz = g_time_zone_new_identifier (name);
  if (tz == NULL)
    g_set_error (error, VITAL_TIMEZONE_ERROR, VITAL_TIMEZONE_ERROR_INVALID,
                 "“%s” is not an IANA time zone, UTC or a ±HH:MM offset", name);
  return tz;
}

/**
 * vital_timezone_dup_local_name:
 *
 * What to call the local zone on the wire: its IANA name when it has one (from `TZ` or
 * /etc/localtime), else its current offset as `±HH:MM` (a POSIX `TZ` such as `EST5EDT`).
 *
 * Returns: (transfer full): a name vital_timezone_new_from_name() accepts
 */
char *
vital_timezone_dup_local_name (void)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) now = g_date_time_new_now (local);
  const char *id = g_time_zone_get_identifier (local);
  g_autoptr(GTimeZone) check = NULL;
  gint64 offset_min;

  if (id != NULL && (g_str_equal (id, "UTC") || is_iana_form (id)))
    {
      check = vital_timezone_new_from_name (id, NULL);
      if (check != NULL)
        return g_strdup (id);
    }
  offset_min = g_date_time_get_utc_offset (now) / G_TIME_SPAN_MINUTE;
  return g_strdup_printf ("%c%02d:%02d", offset_min < 0 ? '-' : '+',
                          (int) (ABS (offset_min) / 60), (int) (ABS (offset_min) % 60));
}

/**
 * vital_date_parse:
 * @text: (nullable): a date
 * @out_date: (out caller-allocates) (optional): the day it names
 *
 * Reads a date written exactly `YYYY-MM-DD`: four, two and two ASCII digits, a real calendar
 * day from 0001-01-01. No signs, spaces, times or other separators.
 *
 * Returns: %TRUE when @text is such a date
 */
gboolean
vital_date_parse (const char *text,
                  GDate      *out_date)
{
  int y = 0, m = 0, d = 0;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    {
      if (i == 4 || i == 7)
        continue;
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      if (i < 4)
        y = y * 10 + g_ascii_digit_value (text[i]);
      else if (i < 7)
        m = m * 10 + g_ascii_digit_value (text[i]);
      else
        d = d * 10 + g_ascii_digit_value (text[i]);
    }
  if (!g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  if (out_date != NULL)
    g_date_set_dmy (out_date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}
