/* test-results-panel.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the results panel: banner per confidence band (the heart rate's), each vital's own
 * confidence, fallback hides values, range flags, experimental badges, screen-reader summaries.
 */
#include "vital-config.h"

#include <adwaita.h>
#include <math.h>

#include "app-test-util.h"
#include "vital-results-panel.h"

typedef struct
{
  GtkWidget         *window;
  VitalResultsPanel *panel;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 820, 640);
  f->panel = VITAL_RESULTS_PANEL (vital_results_panel_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->panel));
  gtk_window_present (GTK_WINDOW (f->window));
  app_test_iterate (50);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  app_test_iterate (10);
}

static void
assert_values_shown (Fixture *f,
                     double   hr)
{
  g_autofree char *expected = g_strdup_printf ("%.0f", hr);
  VitalVitalCard *card = vital_results_panel_get_card (f->panel, VITAL_MEASURE_HEART_RATE);

  g_assert_true (vital_results_panel_get_values_visible (f->panel));
  g_assert_cmpstr (vital_vital_card_get_value_text (card), ==, expected);
}

/* Shows @r, a result with a confidence band, and checks what every such result shows: the
 * banner's @title, Scan Again offered or not, and the heart rate @hr. */
static void
assert_banded (Fixture      *f,
               VitalReading *r,
               const char   *title,
               gboolean      scan_again,
               double        hr)
{
  vital_results_panel_set_reading (f->panel, r);
  g_assert_cmpstr (vital_results_panel_get_banner_title (f->panel), ==, title);
  g_assert_cmpint (vital_results_panel_get_scan_again_visible (f->panel), ==, scan_again);
  assert_values_shown (f, hr);
}

static void
test_band_high (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(VitalReading) r = app_test_reading (0.85, 72);

  assert_banded (f, r, "Heart rate: high confidence", FALSE, 72);
  /* not a medical device: no result is called reliable */
  g_assert_null (strstr (vital_results_panel_get_banner_text (f->panel), "eliab"));
  for (guint k = 0; k < VITAL_MEASURE_COUNT; k++)
    g_assert_false (vital_vital_card_get_flagged (vital_results_panel_get_card (f->panel, k)));
  app_test_iterate (100);
  app_test_assert_screenshot (f->window, "panel-high.png");
}

static void
test_band_moderate (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(VitalReading) r = app_test_reading (0.55, 80);

  assert_banded (f, r, "Heart rate: moderate confidence", TRUE, 80);
  g_assert_nonnull (strstr (vital_results_panel_get_banner_text (f->panel), "Scanning again"));
}

static void
test_band_low (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(VitalReading) r = app_test_reading (0.25, 66);

  vital_reading_set_low_cause (r, VITAL_LOW_CAUSE_MOTION);
  assert_banded (f, r, "Heart rate: low confidence", TRUE, 66);
  g_assert_nonnull (strstr (vital_results_panel_get_banner_text (f->panel), "may be off"));
  g_assert_nonnull (strstr (vital_results_panel_get_banner_text (f->panel), "motion"));

  vital_reading_set_low_cause (r, VITAL_LOW_CAUSE_LIGHTING);
  vital_results_panel_set_reading (f->panel, r);
  g_assert_nonnull (strstr (vital_results_panel_get_banner_text (f->panel), "lighting"));
  vital_reading_set_low_cause (r, VITAL_LOW_CAUSE_FACE);
  vital_results_panel_set_reading (f->panel, r);
  g_assert_nonnull (strstr (vital_results_panel_get_banner_text (f->panel), "face detection"));
  app_test_iterate (100);
  app_test_assert_screenshot (f->window, "panel-low.png");
}

static void
test_band_fallback (Fixture       *f,
                    gconstpointer  data)
{
  /* A fallback result carries numbers, but they must never be shown as real. */
  g_autoptr(VitalReading) r = app_test_reading (0.0, 75);

  vital_results_panel_set_reading (f->panel, r);
  g_assert_true (vital_reading_is_fallback (r));
  g_assert_cmpstr (vital_results_panel_get_banner_title (f->panel), ==,
                   "Measurement could not be completed");
  g_assert_false (vital_results_panel_get_values_visible (f->panel));
  g_assert_true (vital_results_panel_get_scan_again_visible (f->panel));
  for (guint k = 0; k < VITAL_MEASURE_COUNT; k++)
    {
      VitalVitalCard *card = vital_results_panel_get_card (f->panel, k);
      g_assert_cmpstr (vital_vital_card_get_value_text (card), ==, "—");
      g_assert_false (vital_vital_card_get_flagged (card));
    }
  app_test_iterate (100);
  app_test_assert_screenshot (f->window, "panel-fallback.png");

  /* From fallback back to a real result, the values come back. */
  {
    g_autoptr(VitalReading) ok = app_test_reading (0.9, 70);
    vital_results_panel_set_reading (f->panel, ok);
    assert_values_shown (f, 70);
  }
}

static void
test_band_edges (void)
{
  g_assert_cmpint (vital_confidence_band_from_confidence (0.0), ==, VITAL_CONFIDENCE_BAND_FALLBACK);
  g_assert_cmpint (vital_confidence_band_from_confidence (NAN), ==, VITAL_CONFIDENCE_BAND_FALLBACK);
  g_assert_cmpint (vital_confidence_band_from_confidence (0.01), ==, VITAL_CONFIDENCE_BAND_LOW);
  g_assert_cmpint (vital_confidence_band_from_confidence (0.1), ==, VITAL_CONFIDENCE_BAND_LOW);
  g_assert_cmpint (vital_confidence_band_from_confidence (0.399), ==, VITAL_CONFIDENCE_BAND_LOW);
  g_assert_cmpint (vital_confidence_band_from_confidence (0.4), ==, VITAL_CONFIDENCE_BAND_MODERATE);
  g_assert_cmpint (vital_confidence_band_from_confidence (0.699), ==,
                   VITAL_CONFIDENCE_BAND_MODERATE);
  g_assert_cmpint (vital_confidence_band_from_confidence (0.7), ==, VITAL_CONFIDENCE_BAND_HIGH);
  g_assert_cmpint (vital_confidence_band_from_confidence (1.0), ==, VITAL_CONFIDENCE_BAND_HIGH);
}

static void
test_out_of_range (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(VitalReading) r = app_test_reading (0.8, 112);
  VitalVitalCard *hr, *rr, *spo2, *sbp;

  app_test_set_value (r, VITAL_MEASURE_RESPIRATORY_RATE, 9);
  app_test_set_value (r, VITAL_MEASURE_SPO2, 100);   /* the upper bound is still typical */
  app_test_set_value (r, VITAL_MEASURE_SYSTOLIC_BP, 141);
  vital_results_panel_set_reading (f->panel, r);

  hr = vital_results_panel_get_card (f->panel, VITAL_MEASURE_HEART_RATE);
  rr = vital_results_panel_get_card (f->panel, VITAL_MEASURE_RESPIRATORY_RATE);
  spo2 = vital_results_panel_get_card (f->panel, VITAL_MEASURE_SPO2);
  sbp = vital_results_panel_get_card (f->panel, VITAL_MEASURE_SYSTOLIC_BP);

  g_assert_true (vital_vital_card_get_flagged (hr));
  g_assert_cmpstr (vital_vital_card_get_flag_text (hr), ==, "Above the typical range");
  g_assert_true (vital_vital_card_get_flagged (rr));
  g_assert_cmpstr (vital_vital_card_get_flag_text (rr), ==, "Below the typical range");
  g_assert_false (vital_vital_card_get_flagged (spo2));
  g_assert_true (vital_vital_card_get_flagged (sbp));
  g_assert_false (vital_vital_card_get_flagged (
    vital_results_panel_get_card (f->panel, VITAL_MEASURE_DIASTOLIC_BP)));
  /* Out of range is still shown: it is a valid reading, flagged. */
  g_assert_cmpstr (vital_vital_card_get_value_text (hr), ==, "112");
  g_assert_nonnull (strstr (vital_vital_card_get_summary (hr), "Above the typical range"));
}

static void
test_unmeasured_and_badges (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(VitalReading) r = app_test_reading (0.75, 64);
  VitalVitalCard *hrv;

  app_test_set_value (r, VITAL_MEASURE_HRV_SDNN, NAN);
  vital_results_panel_set_reading (f->panel, r);
  hrv = vital_results_panel_get_card (f->panel, VITAL_MEASURE_HRV_SDNN);
  g_assert_cmpstr (vital_vital_card_get_value_text (hrv), ==, "—");
  g_assert_cmpstr (vital_vital_card_get_flag_text (hrv), ==, "Not measured");
  g_assert_false (vital_vital_card_get_flagged (hrv));
  g_assert_cmpstr (vital_vital_card_get_summary (hrv), ==,
                   "Heart rate variability (SDNN): not measured");

  for (guint k = 0; k < VITAL_MEASURE_COUNT; k++)
    g_assert_cmpint (vital_vital_card_get_experimental (vital_results_panel_get_card (f->panel, k)),
                     ==, k == VITAL_MEASURE_SPO2 || k == VITAL_MEASURE_SYSTOLIC_BP ||
                         k == VITAL_MEASURE_DIASTOLIC_BP);
  g_assert_nonnull (strstr (vital_vital_card_get_summary (
                              vital_results_panel_get_card (f->panel, VITAL_MEASURE_SPO2)),
                            "Experimental"));
  g_assert_cmpstr (vital_vital_card_get_summary (
                     vital_results_panel_get_card (f->panel, VITAL_MEASURE_HEART_RATE)), ==,
                   "Heart rate: 64 bpm. Typical range 60 to 100. High confidence.");
}

/* A result says what it was measured from; a demo scan says so first. */
static void
test_source (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(VitalReading) r = app_test_reading (0.8, 72);

  vital_results_panel_set_reading (f->panel, r);
  g_assert_null (vital_results_panel_get_source_text (f->panel));

  vital_reading_set_source (r, VITAL_READING_SOURCE_DEMO, NULL);
  vital_results_panel_set_reading (f->panel, r);
  g_assert_cmpstr (vital_results_panel_get_source_text (f->panel), ==,
                   "Demo scan: these values come from the built-in demo subject, not from a "
                   "person.");
  app_test_iterate (100);
  app_test_assert_screenshot (f->window, "panel-demo.png");

  vital_reading_set_source (r, VITAL_READING_SOURCE_VIDEO, "clip.mp4");
  vital_results_panel_set_reading (f->panel, r);
  g_assert_cmpstr (vital_results_panel_get_source_text (f->panel), ==,
                   "From the video “clip.mp4”");
  /* after a video the window's own buttons offer the video or the camera */
  vital_reading_set_source (r, VITAL_READING_SOURCE_CAMERA, "Desk Camera");
  vital_results_panel_set_reading (f->panel, r);
  g_assert_cmpstr (vital_results_panel_get_source_text (f->panel), ==,
                   "From the camera “Desk Camera”");
}

static VitalVitalCard *
card (Fixture      *f,
      VitalMeasure  m)
{
  return vital_results_panel_get_card (f->panel, m);
}

/* One banner cannot vouch for five vitals: each card says how sure its value is, and an
 * alarming value of low confidence is drawn as uncertain under a confident heart rate. */
static void
test_per_vital_confidence (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(VitalReading) r = app_test_reading (0.85, 72);
  g_autoptr(VitalReading) low_hr = app_test_reading (0.25, 58);

  app_test_set_value (r, VITAL_MEASURE_SYSTOLIC_BP, 165);   /* alarming... */
  app_test_set_quality (r, VITAL_MEASURE_SYSTOLIC_BP, 0.2);  /* ...and unsure */
  app_test_set_quality (r, VITAL_MEASURE_DIASTOLIC_BP, NAN);
  vital_results_panel_set_reading (f->panel, r);

  g_assert_cmpstr (vital_results_panel_get_banner_title (f->panel), ==,
                   "Heart rate: high confidence");
  g_assert_cmpstr (vital_vital_card_get_confidence_text (card (f, VITAL_MEASURE_HEART_RATE)), ==,
                   "High confidence");
  g_assert_false (vital_vital_card_get_uncertain (card (f, VITAL_MEASURE_HEART_RATE)));
  g_assert_cmpstr (vital_vital_card_get_confidence_text (card (f, VITAL_MEASURE_RESPIRATORY_RATE)),
                   ==, "High confidence");
  g_assert_cmpstr (vital_vital_card_get_confidence_text (card (f, VITAL_MEASURE_SPO2)), ==,
                   "Moderate confidence");
  g_assert_cmpstr (vital_vital_card_get_confidence_text (card (f, VITAL_MEASURE_SYSTOLIC_BP)), ==,
                   "Low confidence: uncertain");
  g_assert_true (vital_vital_card_get_uncertain (card (f, VITAL_MEASURE_SYSTOLIC_BP)));
  g_assert_true (vital_vital_card_get_flagged (card (f, VITAL_MEASURE_SYSTOLIC_BP)));
  g_assert_nonnull (strstr (vital_vital_card_get_summary (card (f, VITAL_MEASURE_SYSTOLIC_BP)),
                            "Low confidence: uncertain"));
  g_assert_cmpstr (vital_vital_card_get_confidence_text (card (f, VITAL_MEASURE_DIASTOLIC_BP)),
                   ==, "Confidence not reported");
  g_assert_false (vital_vital_card_get_uncertain (card (f, VITAL_MEASURE_DIASTOLIC_BP)));
  app_test_iterate (100);
  app_test_assert_screenshot (f->window, "panel-per-vital.png");

  /* an unsure heart rate is drawn unsure too, whatever the other vitals */
  vital_results_panel_set_reading (f->panel, low_hr);
  g_assert_true (vital_vital_card_get_uncertain (card (f, VITAL_MEASURE_HEART_RATE)));
  g_assert_false (vital_vital_card_get_uncertain (card (f, VITAL_MEASURE_RESPIRATORY_RATE)));

  /* an unmeasured vital has no confidence to show */
  app_test_set_value (low_hr, VITAL_MEASURE_HRV_SDNN, NAN);
  vital_results_panel_set_reading (f->panel, low_hr);
  g_assert_null (vital_vital_card_get_confidence_text (card (f, VITAL_MEASURE_HRV_SDNN)));
}

static void
test_clear (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(VitalReading) r = app_test_reading (0.8, 72);

  vital_results_panel_set_reading (f->panel, r);
  vital_results_panel_set_reading (f->panel, NULL);
  g_assert_null (vital_results_panel_get_reading (f->panel));
  g_assert_false (vital_results_panel_get_values_visible (f->panel));
}

int
main (int   argc,
      char *argv[])
{
  app_test_init (&argc, &argv);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/app/results/band/high", test_band_high);
  ADD ("/app/results/band/moderate", test_band_moderate);
  ADD ("/app/results/band/low", test_band_low);
  ADD ("/app/results/band/fallback-hides-values", test_band_fallback);
  ADD ("/app/results/range/flags", test_out_of_range);
  ADD ("/app/results/unmeasured-and-badges", test_unmeasured_and_badges);
  ADD ("/app/results/source", test_source);
  ADD ("/app/results/per-vital-confidence", test_per_vital_confidence);
  ADD ("/app/results/clear", test_clear);
#undef ADD
  g_test_add_func ("/app/results/band/edges", test_band_edges);

  return g_test_run ();
}
