/* test-timezone.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The time-zone names the session API takes, and what the local zone is called on the wire.
 */
#include "vital-timezone.h"

static void
test_accepted (void)
{
  struct { const char *name; gint32 offset_s; } good[] = {
    { "UTC", 0 }, { "Europe/Paris", 3600 }, { "Asia/Kolkata", 19800 },
    { "America/Argentina/Buenos_Aires", -3 * 3600 }, { "Etc/GMT+5", -5 * 3600 },
    { "+05:30", 19800 }, { "-03:00", -3 * 3600 }, { "+14:00", 14 * 3600 },
    { "-12:00", -12 * 3600 }, { "+00:00", 0 },
  };
  /* 2026-11-23T10:00:00Z, when Paris is on +01:00 */
  gint64 when = 1795428000;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GTimeZone) tz = vital_timezone_new_from_name (good[i].name, &error);
      int interval;

      g_test_message ("%s", good[i].name);
      g_assert_no_error (error);
      g_assert_nonnull (tz);
      interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, when);
      g_assert_cmpint (g_time_zone_get_offset (tz, interval), ==, good[i].offset_s);
    }
}

static void
test_refused (void)
{
  const char *bad[] = { "UTC+14", "FOO+5", "localtime", "EST5EDT", "CET-1CEST", "Z", "GMT",
                        "utc", "", "Europe", "Europe/", "/Europe/Paris", "Europe//Paris",
                        "Europe/../Etc/UTC", "posix/Europe/Paris", "Mars/Olympus_Mons",
                        "Europe/Paris/Extra/Deep", ":Europe/Paris", "/usr/share/zoneinfo/UTC",
                        "+5:30", "+05:3", "+0530", "05:30", "+15:00", "-13:00", "+05:60",
                        "+05:30 ", "\342\210\22205:00" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GTimeZone) tz = vital_timezone_new_from_name (bad[i], &error);

      g_test_message ("%s", bad[i]);
      g_assert_null (tz);
      g_assert_error (error, VITAL_TIMEZONE_ERROR, VITAL_TIMEZONE_ERROR_INVALID);
    }
}

/* A POSIX TZ has no IANA name: the local zone goes out as its current offset. */
static void
test_local_name (void)
{
  struct { const char *tz; const char *sent; } cases[] = {
    { "Europe/Paris", "Europe/Paris" }, { "UTC", "UTC" }, { "Asia/Kolkata", "Asia/Kolkata" },
    { "IST-5:30", "+05:30" }, { "<-03>3", "-03:00" },
  };
  g_autofree char *saved = g_strdup (g_getenv ("TZ"));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GTimeZone) back = NULL;

      g_setenv ("TZ", cases[i].tz, TRUE);
      name = vital_timezone_dup_local_name ();
      g_test_message ("TZ=%s sent as %s", cases[i].tz, name);
      g_assert_cmpstr (name, ==, cases[i].sent);
      back = vital_timezone_new_from_name (name, NULL);
      g_assert_nonnull (back);
    }
  if (saved != NULL)
    g_setenv ("TZ", saved, TRUE);
  else
    g_unsetenv ("TZ");
}

static void
test_dates (void)
{
  const char *good[] = { "2026-11-23", "2024-02-29", "0001-01-01", "9999-12-31" };
  const char *bad[] = { "2026-+1-01", "2026-1-01", "2026-11-1", "+026-11-01", "2026-11-0a",
                        " 2026-11-2", "2026-02-29", "2026-04-31", "0000-01-01", "2026-00-10",
                        "2026-11-23T00:00:00Z", "2026/11/23", "20261123", "", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      GDate date;

      g_assert_true (vital_date_parse (good[i], &date));
      g_assert_true (g_date_valid (&date));
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (vital_date_parse (bad[i], NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/timezone/accepted", test_accepted);
  g_test_add_func ("/core/timezone/refused", test_refused);
  g_test_add_func ("/core/timezone/local-name", test_local_name);
  g_test_add_func ("/core/date/parse", test_dates);
  return g_test_run ();
}
