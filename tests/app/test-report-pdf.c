/* test-report-pdf.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PDF report as a reader gets it, read back with poppler (pdftotext -bbox, pdfinfo): it
 * names the subject, the time with its zone, the source, the scan's length and the app's
 * version; its document properties are set; and no word is printed over another or off the
 * page — in English, in German (the build's translation) and with very long texts. And the
 * machine-readable exports are the same in every language.
 */
#include "vital-config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>

#include "vital-export.h"
#include "vital-fhir-export.h"

typedef struct
{
  guint  page;
  double x0, y0, x1, y1;
  char  *text;
} Word;

static void
word_clear (gpointer data)
{
  g_free (((Word *) data)->text);
}

typedef struct
{
  char   *dir;
  char   *path;
  GArray *words;   /* of Word */
  char   *text;    /* all words, space-separated */
  char   *info;    /* pdfinfo's output */
} Report;

static void
report_free (Report *r)
{
  g_autofree char *html = g_strconcat (r->path, ".html", NULL);

  g_unlink (html);
  g_unlink (r->path);
  g_rmdir (r->dir);
  g_free (r->dir);
  g_free (r->path);
  g_array_unref (r->words);
  g_free (r->text);
  g_free (r->info);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Report, report_free)

static char *
run (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s: %s: %s", argv[0], error->message, err);
  return out;
}

static char *
unescape (const char *html)
{
  g_autoptr(GString) s = g_string_new (html);

  g_string_replace (s, "&lt;", "<", 0);
  g_string_replace (s, "&gt;", ">", 0);
  g_string_replace (s, "&quot;", "\"", 0);
  g_string_replace (s, "&apos;", "'", 0);
  g_string_replace (s, "&amp;", "&", 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Saves @reading as a PDF through the export's save call and reads it back with poppler. */
static Report *
render (VitalReading *reading)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GRegex) page_re = g_regex_new ("<page ", 0, 0, NULL);
  g_autoptr(GRegex) word_re =
    g_regex_new ("<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"([0-9.]+)\" "
                 "yMax=\"([0-9.]+)\">([^<]*)</word>", 0, 0, NULL);
  g_autofree char *html_path = NULL;
  g_autofree char *html = NULL;
  g_autoptr(GString) all = g_string_new (NULL);
  g_auto(GStrv) pages = NULL;
  Report *r = g_new0 (Report, 1);

  r->dir = g_dir_make_tmp ("vitalscan-report-XXXXXX", &error);
  g_assert_no_error (error);
  r->path = g_build_filename (r->dir, "report.pdf", NULL);
  file = g_file_new_for_path (r->path);
  g_assert_true (vital_export_save (reading, VITAL_EXPORT_PDF, file, &error));
  g_assert_no_error (error);

  html_path = g_strconcat (r->path, ".html", NULL);
  g_free (run ((const char *[]) { "pdftotext", "-bbox", r->path, html_path, NULL }));
  g_assert_true (g_file_get_contents (html_path, &html, NULL, &error));
  r->info = run ((const char *[]) { "pdfinfo", "-enc", "UTF-8", r->path, NULL });

  r->words = g_array_new (FALSE, TRUE, sizeof (Word));
  g_array_set_clear_func (r->words, word_clear);
  pages = g_regex_split (page_re, html, 0);
  for (guint p = 1; pages[p] != NULL; p++)
    {
      g_autoptr(GMatchInfo) m = NULL;

      g_regex_match (word_re, pages[p], 0, &m);
      for (; g_match_info_matches (m); g_match_info_next (m, NULL))
        {
          g_autofree char *text = g_match_info_fetch (m, 5);
          Word w = { p, 0 };
          char *v;

          v = g_match_info_fetch (m, 1), w.x0 = g_ascii_strtod (v, NULL), g_free (v);
          v = g_match_info_fetch (m, 2), w.y0 = g_ascii_strtod (v, NULL), g_free (v);
          v = g_match_info_fetch (m, 3), w.x1 = g_ascii_strtod (v, NULL), g_free (v);
          v = g_match_info_fetch (m, 4), w.y1 = g_ascii_strtod (v, NULL), g_free (v);
          w.text = unescape (text);
          g_string_append_printf (all, "%s ", w.text);
          g_array_append_val (r->words, w);
        }
    }
  r->text = g_strdup (all->str);
  return r;
}

static guint
report_pages (Report *r)
{
  const char *line = strstr (r->info, "\nPages:");

  g_assert_nonnull (line);
  return (guint) g_ascii_strtoull (line + strlen ("\nPages:"), NULL, 10);
}

static char *
report_info (Report     *r,
             const char *key)
{
  g_autofree char *prefix = g_strdup_printf ("%s:", key);
  g_auto(GStrv) lines = g_strsplit (r->info, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strstrip (g_strdup (lines[i] + strlen (prefix)));
  return NULL;
}

/* No two words share ink: boxes that meet by more than a sliver (glyph boxes of one line
 * touch, of lines set close may graze) mean one text is printed over another. And every word
 * is on the page, inside a margin. */
static void
assert_no_overlap (Report *r)
{
  guint n = r->words->len;

  g_assert_cmpuint (n, >, 40);
  for (guint i = 0; i < n; i++)
    {
      Word *a = &g_array_index (r->words, Word, i);

      if (a->x0 < 28 || a->x1 > 595 - 28 || a->y0 < 28 || a->y1 > 842 - 28)
        g_error ("“%s” is off the page or in its margin: %.1f,%.1f–%.1f,%.1f", a->text, a->x0,
                 a->y0, a->x1, a->y1);
      for (guint j = i + 1; j < n; j++)
        {
          Word *b = &g_array_index (r->words, Word, j);
          double dx = MIN (a->x1, b->x1) - MAX (a->x0, b->x0);
          double dy = MIN (a->y1, b->y1) - MAX (a->y0, b->y0);
          double h = MIN (a->y1 - a->y0, b->y1 - b->y0);

          if (a->page == b->page && dx > 0.5 && dy > 0.25 * h)
            g_error ("“%s” and “%s” overlap on page %u (%.1f × %.1f pt)", a->text, b->text,
                     a->page, dx, dy);
        }
    }
}

static VitalReading *
reading (void)
{
  g_autoptr(VitalSigns) signs = vital_signs_new ("ses_report_0001", 0.33);
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 11, 23, 10, 30, 0);
  VitalReading *r;

  vital_signs_set_measure (signs, VITAL_MEASURE_HEART_RATE, 104.26, NAN);
  vital_signs_set_measure (signs, VITAL_MEASURE_RESPIRATORY_RATE, 14.96, 0.8);
  vital_signs_set_measure (signs, VITAL_MEASURE_HRV_SDNN, 48.31, 0.3);
  vital_signs_set_measure (signs, VITAL_MEASURE_SPO2, 93, 0.55);   /* below: flagged */
  vital_signs_set_measure (signs, VITAL_MEASURE_SYSTOLIC_BP, 146, 0.61);
  vital_signs_set_measure (signs, VITAL_MEASURE_DIASTOLIC_BP, 76, 0.61);
  vital_signs_set_signal_quality (signs, 3.24, 0.52, 0.41);
  vital_signs_set_completed_at (signs, g_date_time_to_unix (when));
  r = vital_reading_new (signs);
  vital_reading_set_low_cause (r, VITAL_LOW_CAUSE_LIGHTING);
  vital_reading_set_source (r, VITAL_READING_SOURCE_CAMERA, "Integrated Webcam");
  vital_reading_set_subject_id (r, "MRN-0042");
  vital_reading_set_scan_seconds (r, 30.0);
  return r;
}

static void
set_language (const char *language)
{
  g_setenv ("LANGUAGE", language, TRUE);
  /* gettext caches what it found: setting the locale again makes it look anew */
  setlocale (LC_ALL, "");
}

static void
check_report (const char *language)
{
  g_autoptr(VitalReading) r = reading ();
  g_autoptr(Report) pdf = NULL;
  g_autofree char *title = NULL;
  g_autofree char *author = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *source = NULL;

  set_language (language);
  if (g_str_equal (language, "de"))
    /* the build's German catalogue is in use, or this test would check English twice */
    g_assert_cmpstr (_("Heart rate"), ==, "Herzfrequenz");

  pdf = render (r);
  g_test_message ("%s", pdf->text);
  assert_no_overlap (pdf);
  g_assert_cmpuint (report_pages (pdf), ==, 1);

  /* what a clinic files it by */
  g_assert_nonnull (strstr (pdf->text, "MRN-0042"));
  g_assert_nonnull (strstr (pdf->text, "2026-11-23 10:30:00 UTC (UTC+00:00)"));
  g_assert_nonnull (strstr (pdf->text, "Integrated Webcam"));
  g_assert_nonnull (strstr (pdf->text, "30.0 s"));
  g_assert_nonnull (strstr (pdf->text, "Vitalscan " VITAL_VERSION));
  g_assert_nonnull (strstr (pdf->text, "ses_report_0001"));
  /* numbers with the decimals of every export */
  g_assert_nonnull (strstr (pdf->text, "104.3 "));
  g_assert_nonnull (strstr (pdf->text, "15.0 "));
  g_assert_nonnull (strstr (pdf->text, "48.3 "));
  g_assert_nonnull (strstr (pdf->text, " 93 %"));
  g_assert_nonnull (strstr (pdf->text, (_("experimental"))));
  g_assert_nonnull (strstr (pdf->text, (_("below typical range"))));
  g_assert_nonnull (strstr (pdf->text, (_("above typical range"))));
  g_assert_nonnull (strstr (pdf->text, (_("Low confidence: uncertain"))));

  /* the document's properties, readable without opening it */
  title = report_info (pdf, "Title");
  author = report_info (pdf, "Author");
  subject = report_info (pdf, "Subject");
  source = vital_reading_dup_source_text (r);
  g_assert_cmpstr (title, ==, g_str_equal (language, "de") ? "Vitalscan-Bericht: MRN-0042"
                                                           : "Vitalscan report: MRN-0042");
  g_assert_cmpstr (author, ==, "Vitalscan " VITAL_VERSION);
  g_assert_cmpstr (subject, ==, source);
  set_language ("C");
}

static void
test_english (void)
{
  check_report ("C");
}

static void
test_german (void)
{
  check_report ("de");
}

/* Texts much longer than the columns were made for wrap inside them; a report too long for a
 * page goes on to the next, and no line reaches the disclaimer. */
static void
test_long_texts (void)
{
  g_autoptr(VitalReading) r = reading ();
  g_autoptr(VitalReading) demo = reading ();
  g_autoptr(Report) pdf = NULL;
  g_autoptr(Report) demo_pdf = NULL;
  g_autoptr(GString) id = g_string_new (NULL);
  g_autofree char *title = NULL;

  for (int i = 0; i < 30; i++)
    g_string_append_printf (id, "subject-%02d-with-a-very-long-identifier ", i);
  vital_reading_set_subject_id (r, id->str);
  vital_reading_set_source (r, VITAL_READING_SOURCE_VIDEO,
                            "a-video-file-whose-name-is-far-longer-than-any-column-of-the-"
                            "report-was-made-for-and-has-no-spaces-to-break-at.mp4");
  pdf = render (r);
  g_test_message ("%s", pdf->text);
  assert_no_overlap (pdf);
  g_assert_cmpuint (report_pages (pdf), ==, 2);
  g_assert_nonnull (strstr (pdf->text, "subject-29-"));

  /* a demo scan says so at the top and in the title */
  vital_reading_set_source (demo, VITAL_READING_SOURCE_DEMO, NULL);
  vital_reading_set_subject_id (demo, NULL);
  demo_pdf = render (demo);
  assert_no_overlap (demo_pdf);
  title = report_info (demo_pdf, "Title");
  g_assert_cmpstr (title, ==, "Vitalscan report (demo scan)");
  g_assert_nonnull (strstr (demo_pdf->text, "Demo scan:"));
  g_assert_nonnull (strstr (demo_pdf->text, "not given"));
}

/* The machine-readable exports do not change with the user's language: keys, units and words
 * are the same bytes in English and German (only the PDF, for people, is translated). */
static void
test_same_in_every_language (void)
{
  g_autoptr(VitalReading) r = reading ();
  g_autoptr(GDateTime) stamp = g_date_time_new_utc (2026, 11, 23, 12, 0, 0);
  char *english[3], *german[3];
  VitalReading *one[] = { r };

  for (guint pass = 0; pass < 2; pass++)
    {
      char **out = pass == 0 ? english : german;

      set_language (pass == 0 ? "C" : "de");
      out[0] = vital_export_to_json (r);
      out[1] = vital_export_to_csv (one, 1);
      out[2] = vital_fhir_export_to_json (one, 1, stamp);
    }
  g_assert_cmpstr (_("Heart rate"), ==, "Herzfrequenz");   /* German was in use */
  set_language ("C");
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpstr (english[i], ==, german[i]);
      g_free (english[i]);
      g_free (german[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *po = g_build_filename (VITAL_BUILD_DIR, "po", NULL);

  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("TZ", "UTC", TRUE);
  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, po);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/report/pdf/english", test_english);
  g_test_add_func ("/app/report/pdf/german", test_german);
  g_test_add_func ("/app/report/pdf/long-texts", test_long_texts);
  g_test_add_func ("/app/export/same-in-every-language", test_same_in_every_language);
  return g_test_run ();
}
