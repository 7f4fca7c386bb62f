/* test-engine.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the vitals engine: golden checks per stage on known signals, a seeded grid of
 * synthetic subjects with accuracy bounds, confidence calibration, failures, the synthetic
 * subject itself and the streaming estimator.
 */
#include <math.h>
#include <string.h>
#include <glib.h>

#include "vital-engine.h"
#include "vital-engine-private.h"
#include "vital-stream.h"
#include "vital-resampler.h"
#include "vital-synth.h"
#include "vital-tensor-placeholder.h"

#define RATE 30.0

/* ---- helpers -------------------------------------------------------------------------- */

/* The synthesiser's typical subject (vital_synth_params_init()), with its own @seed. */
static VitalSynthParams
subject (guint64 seed)
{
  VitalSynthParams p;

  vital_synth_params_init (&p);
  p.seed = seed;
  return p;
}

static VitalTensor *
render (const VitalSynthParams *p,
        double                  seconds,
        VitalSynthTruth        *truth)
{
  g_autoptr(VitalSynth) synth = vital_synth_new (p);
  VitalTensor *tensor = vital_synth_render_tensor (synth, (guint) lround (seconds
                                                                           * p->frame_rate));
  if (truth != NULL)
    vital_synth_get_truth (synth, seconds, truth);
  return tensor;
}

static VitalVitals *
analyse_subject (const VitalSynthParams *p,
                 double                  seconds,
                 gboolean                report_weak,
                 VitalSynthTruth        *truth)
{
  g_autoptr(VitalTensor) tensor = render (p, seconds, truth);
  g_autoptr(GError) error = NULL;
  VitalEngineOptions options = { VITAL_PULSE_POS, NULL, report_weak };
  VitalVitals *vitals = vital_engine_analyze (tensor, &options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (vitals);
  return vitals;
}

/* A uniform tensor: every pixel of every plane has the same RGB. */
static VitalTensor *
uniform_tensor (guint  frames,
                guint8 r,
                guint8 g,
                guint8 b)
{
  VitalTensor *tensor = vital_tensor_new (RATE, 0);

  for (guint f = 0; f < frames; f++)
    {
      guint8 *planes = vital_tensor_append_frame (tensor);
      for (guint ch = 0; ch < VITAL_TENSOR_CHANNELS; ch++)
        memset (planes + ch * VITAL_TENSOR_PLANE_SIZE, ch % 3 == 0 ? r : ch % 3 == 1 ? g : b,
                VITAL_TENSOR_PLANE_SIZE);
    }
  return tensor;
}

static double
correlation (const double *a,
             const double *b,
             guint         n)
{
  double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;

  for (guint i = 0; i < n; i++)
    {
      ma += a[i];
      mb += b[i];
    }
  ma /= n;
  mb /= n;
  for (guint i = 0; i < n; i++)
    {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
  return sab / sqrt (saa * sbb);
}

/* ---- filter --------------------------------------------------------------------------- */

static void
test_filter_response (void)
{
  VitalFilter f;
  guint n = 1200;
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);

  vital_filter_butter_bandpass (&f, 4, 0.6, 4.0, RATE);
  g_assert_cmpuint (f.n_sections, ==, 4);
  /* Butterworth: -3 dB at each corner, flat in the middle, steep outside. */
  g_assert_cmpfloat_with_epsilon (vital_filter_gain (&f, 0.6, RATE), M_SQRT1_2, 0.03);
  g_assert_cmpfloat_with_epsilon (vital_filter_gain (&f, 4.0, RATE), M_SQRT1_2, 0.03);
  g_assert_cmpfloat_with_epsilon (vital_filter_gain (&f, 1.5, RATE), 1.0, 0.02);
  g_assert_cmpfloat (vital_filter_gain (&f, 0.15, RATE), <, 0.01);
  g_assert_cmpfloat (vital_filter_gain (&f, 10.0, RATE), <, 0.02);

  /* Forward-backward: an in-band sinusoid keeps amplitude and phase; out-of-band dies. */
  for (guint i = 0; i < n; i++)
    {
      x[i] = sin (2 * G_PI * 1.3 * i / RATE);
      y[i] = x[i] + 3.0 * sin (2 * G_PI * 0.1 * i / RATE) + 0.5 * sin (2 * G_PI * 9.0 * i / RATE);
    }
  vital_filter_filtfilt (&f, y, n);
  for (guint i = 150; i < n - 150; i++)
    g_assert_cmpfloat (fabs (y[i] - x[i]), <, 0.05);
  g_assert_cmpfloat (correlation (x, y, n), >, 0.995);
}

static void
test_filter_detrend (void)
{
  guint n = 900;
  g_autofree double *x = g_new (double, n);
  g_autofree double *s = g_new (double, n);

  for (guint i = 0; i < n; i++)
    {
      double t = i / RATE;
      s[i] = sin (2 * G_PI * 1.2 * t);
      x[i] = s[i] + 50.0 + 2.0 * t + 0.05 * t * t;
    }
  vital_filter_detrend (x, n, 100.0);
  for (guint i = 60; i < n - 60; i++)
    g_assert_cmpfloat (fabs (x[i] - s[i]), <, 0.1);
  vital_filter_normalise (x, n);
  g_assert_cmpfloat_with_epsilon (vital_filter_std (x, n), 1.0, 1e-9);
}

/* ---- spectrum ------------------------------------------------------------------------- */

static void
test_spectrum_sinusoid (void)
{
  static const double freqs[] = { 0.75, 1.0, 1.234, 2.05, 2.9, 3.33 };
  guint n = 600;
  g_autofree double *x = g_new (double, n);

  for (guint k = 0; k < G_N_ELEMENTS (freqs); k++)
    {
      g_autoptr(VitalSpectrum) whole = NULL;
      g_autoptr(VitalSpectrum) welch = NULL;
      double f;

      for (guint i = 0; i < n; i++)
        x[i] = 3.0 + sin (2 * G_PI * freqs[k] * i / RATE + 0.3 * k);
      whole = vital_spectrum_welch (x, n, RATE, 0, 0.005);
      g_assert_cmpfloat (whole->bin_hz, <=, 0.005);
      f = vital_spectrum_peak (whole, 0.5, 4.0, NULL);
      g_assert_cmpfloat (fabs (f - freqs[k]), <, 0.003);  /* 0.18 bpm */
      welch = vital_spectrum_welch (x, n, RATE, 256, 0.01);
      f = vital_spectrum_peak (welch, 0.5, 4.0, NULL);
      g_assert_cmpfloat (fabs (f - freqs[k]), <, 0.01);
    }
  g_assert_null (vital_spectrum_welch (x, 3, RATE, 0, 0.01));
}

static void
test_spectrum_harmonic (void)
{
  guint n = 900;
  g_autofree double *x = g_new (double, n);
  g_autoptr(VitalSpectrum) s = NULL;

  /* A slow pulse whose dicrotic notch makes the second harmonic the highest peak. */
  for (guint i = 0; i < n; i++)
    {
      double t = i / RATE;
      x[i] = 0.8 * sin (2 * G_PI * 0.8 * t) + 1.0 * sin (2 * G_PI * 1.6 * t + 0.5);
    }
  s = vital_spectrum_welch (x, n, RATE, 0, 0.005);
  g_assert_cmpfloat (fabs (vital_spectrum_peak (s, 0.7, 3.5, NULL) - 1.6), <, 0.01);
  g_assert_cmpfloat (fabs (vital_spectrum_heart_rate (s, 0.7, 3.5) - 0.8), <, 0.01);

  /* A clean fundamental with a weak harmonic is left alone. */
  for (guint i = 0; i < n; i++)
    x[i] = sin (2 * G_PI * 1.1 * i / RATE) + 0.3 * sin (2 * G_PI * 2.2 * i / RATE);
  g_clear_pointer (&s, vital_spectrum_free);
  s = vital_spectrum_welch (x, n, RATE, 0, 0.005);
  g_assert_cmpfloat (fabs (vital_spectrum_heart_rate (s, 0.7, 3.5) - 1.1), <, 0.01);
}

/* ---- pulse extraction ----------------------------------------------------------------- */

static void
test_pulse_methods (void)
{
  guint n = 600;
  g_autofree double *r = g_new (double, n);
  g_autofree double *g = g_new (double, n);
  g_autofree double *b = g_new (double, n);
  g_autofree double *truth = g_new (double, n);
  g_autofree double *out = g_new (double, n);
  VitalFilter f;
  void (*methods[]) (const double *, const double *, const double *, guint, double, double *) = {
    vital_pos_pulse, vital_chrom_pulse, vital_green_pulse,
  };

  vital_filter_butter_bandpass (&f, 4, 0.6, 4.0, RATE);
  for (guint i = 0; i < n; i++)
    {
      double t = i / RATE;
      double bvp = sin (2 * G_PI * 1.25 * t);
      double light = 1.0 + 0.05 * sin (2 * G_PI * 0.07 * t);  /* drift: equal in R, G, B */

      truth[i] = bvp;
      r[i] = 180.0 * light * (1.0 - 0.01 * 0.33 * bvp);
      g[i] = 130.0 * light * (1.0 - 0.01 * 0.77 * bvp);
      b[i] = 105.0 * light * (1.0 - 0.01 * 0.53 * bvp);
    }
  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      methods[m] (r, g, b, n, RATE, out);
      vital_filter_filtfilt (&f, out, n);
      /* Rises with blood volume, and follows it closely. */
      g_assert_cmpfloat (correlation (out + 60, truth + 60, n - 120), >, 0.95);
    }
}

/* ---- HRV ------------------------------------------------------------------------------ */

static void
test_hrv_known_ibis (void)
{
  static const double ibis[] = { 0.80, 0.82, 0.78, 0.85, 0.79, 0.81 };
  /* SD of the above by hand: mean 0.80833, squared deviations sum to 0.0030833, / 5, sqrt. */
  double sdnn = vital_hrv_sdnn (ibis, G_N_ELEMENTS (ibis));

  g_assert_cmpfloat_with_epsilon (sdnn, 24.83, 0.01);
  g_assert_true (isnan (vital_hrv_sdnn (ibis, 1)));
}

static void
test_hrv_cleaning (void)
{
  /* Regular beats at 0.8 s, one missed beat (1.6 s) and one extra beat (0.3 + 0.5). */
  double beats[32];
  guint n = 0, kept = 0;
  double t = 0.0;
  g_autofree double *clean = NULL;

  for (guint i = 0; i < 30; i++)
    {
      if (i == 10)
        t += 0.8;               /* missed */
      beats[n++] = t;
      if (i == 20)
        beats[n++] = t + 0.3;   /* extra */
      t += 0.8 + 0.01 * ((int) ((i * 7) % 3) - 1);
    }
  clean = vital_hrv_clean_ibis (beats, n, &kept);
  g_assert_cmpuint (kept, ==, n - 1 - 3);  /* the long one and the two short ones go */
  for (guint i = 0; i < kept; i++)
    g_assert_cmpfloat (fabs (clean[i] - 0.8), <=, 0.011);
}

static void
test_hrv_pulse_sdnn (void)
{
  /* Beats with a known interval sequence rendered as a smooth pulse; the SDNN found on it
   * matches the sequence's. */
  guint n = 40 * (guint) RATE;
  g_autofree double *x = g_new0 (double, n);
  g_autoptr(GArray) beats = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ibis = g_array_new (FALSE, FALSE, sizeof (double));
  double t = 0.3;
  VitalQualityFlags flags;
  double sdnn, quality;

  for (guint k = 0; t < 41.0; k++)
    {
      double ibi = 0.85 + 0.05 * sin (k * 0.9) + 0.03 * cos (k * 2.3);
      g_array_append_val (beats, t);
      if (t + ibi < 40.0 - 0.5)
        g_array_append_val (ibis, ibi);
      t += ibi;
    }
  for (guint i = 0; i < n; i++)
    {
      double now = i / RATE;
      for (guint k = 0; k < beats->len; k++)
        {
          double d = (now - g_array_index (beats, double, k)) / 0.08;
          x[i] += exp (-0.5 * d * d);
        }
    }
  vital_filter_normalise (x, n);
  sdnn = vital_hrv_analyze (x, n, RATE, 1.0 / 0.85, 1.0, &quality, &flags);
  g_assert_false (flags & VITAL_QUALITY_UNAVAILABLE);
  g_assert_cmpfloat (quality, >=, VITAL_ENGINE_MIN_VITAL_QUALITY);
  g_assert_cmpfloat (fabs (sdnn - vital_hrv_sdnn ((double *) ibis->data, ibis->len)), <, 3.0);

  /* Shorter than 20 s: unavailable, not a guess. */
  sdnn = vital_hrv_analyze (x, 15 * (guint) RATE, RATE, 1.0 / 0.85, 1.0, &quality, &flags);
  g_assert_true (isnan (sdnn));
  g_assert_true (flags & VITAL_QUALITY_TOO_SHORT);

  /* Beats too irregular in shape to time (low periodicity): not measured either. */
  sdnn = vital_hrv_analyze (x, n, RATE, 1.0 / 0.85, 0.4, &quality, &flags);
  g_assert_true (isnan (sdnn));
  g_assert_true (flags & VITAL_QUALITY_UNAVAILABLE);
  g_assert_cmpfloat (quality, <, VITAL_ENGINE_MIN_VITAL_QUALITY);
}

/* ---- quality -------------------------------------------------------------------------- */

static void
test_quality_monotone (void)
{
  /* A 72 bpm sinusoid in more and more noise: the track's share of the evidence and the
   * confidence fall, and the track stays on the pulse while it is clear. */
  guint n = 900;
  g_autofree double *x = g_new (double, n);
  double last_share = G_MAXDOUBLE, last_conf = 1.0;
  guint64 state = 7;

  static const double noise_levels[] = { 0.0, 0.6, 1.2, 1.8, 2.4, 3.0, 6.0, 12.0 };

  for (guint level = 0; level < G_N_ELEMENTS (noise_levels); level++)
    {
      double noise = noise_levels[level];
      g_autoptr(VitalSpectrogram) s = vital_spectrogram_new (n, RATE, 10.0, 1.0);
      g_autofree double *track = NULL;
      g_autofree double *runner_up = NULL;
      double share, margin, conf;

      for (guint i = 0; i < n; i++)
        {
          /* Deterministic pseudo-noise (LCG) so the test is reproducible. */
          state = state * 6364136223846793005ull + 1442695040888963407ull;
          x[i] = sin (2 * G_PI * 1.2 * i / RATE)
                 + noise * ((double) (state >> 11) / 9007199254740992.0 - 0.5) * 3.46;
        }
      vital_spectrogram_add (s, x, 1.0);
      g_assert_cmpuint (s->n_windows, ==, 21);
      track = vital_spectrogram_track (s, 3.0, NULL, 0.0);
      runner_up = vital_spectrogram_track (s, 3.0, track, 10.0);
      share = vital_spectrogram_share (s, track, 3.0);
      margin = share / vital_spectrogram_share (s, runner_up, 3.0);
      conf = vital_quality_confidence (vital_quality_evidence (share, margin, n / RATE), 0.8, 0.0,
                                       0.0);
      g_test_message ("noise %.1f: track %.1f bpm, share %.3f, margin %.2f, confidence %.2f",
                      noise, track[10], share, margin, conf);
      if (level <= 2)
        for (guint w = 0; w < s->n_windows; w++)
          g_assert_cmpfloat (fabs (track[w] - 72.0), <=, 1.0);
      if (noise <= 3.0)
        {
          /* While the pulse stands out, more noise means less evidence and less confidence. */
          g_assert_cmpfloat (share, <, last_share);
          g_assert_cmpfloat (conf, <=, last_conf);
          last_share = share;
          last_conf = conf;
        }
      else
        {
          /* Buried six and twelve times under the noise: at the bottom of the scale. */
          g_assert_cmpfloat (conf, <, 0.2);
        }
    }
  /* Bounds: never exactly 0 or 1. */
  g_assert_cmpfloat (vital_quality_confidence (-20.0, 0.0, 1.0, 1.0), >, 0.0);
  g_assert_cmpfloat (vital_quality_confidence (50.0, 1.0, 0.0, 0.0), <, 1.0);
  /* A track on the rate the head moves at is not surely the pulse. */
  g_assert_cmpfloat (vital_quality_confidence (50.0, 1.0, 0.0, 0.25), <, 0.1);
}

/* ---- the seeded grid ------------------------------------------------------------------ */

typedef struct
{
  double hr, rr, sdnn;
  int    tone;
} GridSubject;

/* HR 45-180, RR 6-30, SDNN 20-100 ms (at most ~7 % of the interval, as physiology has it),
 * every Fitzpatrick type. */
static const GridSubject grid[] = {
  {  45,  6, 100, 1 }, {  52, 12,  80, 6 }, {  60, 30,  60, 2 }, {  68,  9,  45, 5 },
  {  75, 15,  35, 3 }, {  84, 20,  50, 4 }, {  96, 24,  30, 6 }, { 110, 18,  25, 1 },
  { 125, 27,  25, 2 }, { 140, 10,  20, 3 }, { 160, 22,  20, 4 }, { 180, 14,  20, 5 },
};

static void
test_grid_moderate (void)
{
  double hr_err = 0, rr_err = 0, sdnn_err = 0;
  guint n_rr = 0, n_sdnn = 0, n_sure = 0;

  for (guint i = 0; i < G_N_ELEMENTS (grid); i++)
    {
      VitalSynthParams p = subject (4200 + i);
      VitalSynthTruth truth;
      g_autoptr(VitalVitals) v = NULL;

      p.heart_rate = grid[i].hr;
      p.respiratory_rate = grid[i].rr;
      p.hrv_sdnn = grid[i].sdnn;
      p.fitzpatrick = grid[i].tone;
      p.noise = 3.0;          /* moderate: sensor noise, a little motion, drift, flicker */
      p.motion = 0.3;
      p.illumination_drift = 0.01;
      p.flicker = 0.002;
      /* Every subject is analysed, the weak ones too: the grid measures the estimates. */
      v = analyse_subject (&p, 30.0, TRUE, &truth);

      g_test_message ("subject %u: HR %.1f/%.1f RR %.1f/%.1f SDNN %.1f/%.1f conf %.2f", i,
                      v->heart_rate, truth.heart_rate, v->respiratory_rate,
                      truth.respiratory_rate, v->hrv_sdnn, truth.hrv_sdnn, v->confidence);
      g_assert_cmpfloat (fabs (v->heart_rate - truth.heart_rate), <=, 5.0);
      hr_err += fabs (v->heart_rate - truth.heart_rate);
      n_sure += v->confidence >= 0.7;
      if (!isnan (v->respiratory_rate))
        {
          rr_err += fabs (v->respiratory_rate - truth.respiratory_rate);
          n_rr++;
        }
      if (!isnan (v->hrv_sdnn))
        {
          sdnn_err += fabs (v->hrv_sdnn - truth.hrv_sdnn);
          n_sdnn++;
        }

      /* Every result field is present and in range. */
      g_assert_cmpfloat (v->confidence, >, 0.0);
      g_assert_cmpfloat (v->confidence, <, 1.0);
      g_assert_cmpfloat (v->stability, >=, 0.0);
      g_assert_cmpfloat (v->periodicity, <=, 1.0);
      g_assert_true (v->spo2_flags & VITAL_QUALITY_EXPERIMENTAL);
      g_assert_true (v->bp_flags & VITAL_QUALITY_EXPERIMENTAL);
      g_assert_cmpuint (v->bvp_length, ==, 900);
      g_assert_cmpfloat (v->bvp_rate, ==, 30.0);
      g_assert_cmpfloat (v->processing_time_ms, >, 0.0);
    }
  hr_err /= G_N_ELEMENTS (grid);
  rr_err /= n_rr;
  sdnn_err /= n_sdnn;
  g_test_message ("MAE: HR %.2f bpm, RR %.2f /min (%u reported), SDNN %.1f ms (%u reported), "
                  "%u of 12 sure", hr_err, rr_err, n_rr, sdnn_err, n_sdnn, n_sure);
  /* The one hard corner (45 bpm, 100 ms SDNN, 6 breaths/min: deep respiratory sinus
   * arrhythmia at the band's edge) may be unsure; it and the next slowest, deepest-modulated
   * heart (52 bpm, 80 ms) may lose RR, whose peak must stand clear of the band's 1/f
   * background; the rest may not. */
  g_assert_cmpuint (n_sure, >=, 11);
  g_assert_cmpuint (n_rr, >=, 10);
  g_assert_cmpuint (n_sdnn, >=, 11);
  g_assert_cmpfloat (hr_err, <=, 1.5);
  g_assert_cmpfloat (rr_err, <=, 1.5);
  g_assert_cmpfloat (sdnn_err, <=, 15.0);
}

/* ---- what real cameras and people do ------------------------------------------------- */

typedef enum
{
  HARD_COOL_CAST,      /* white balance puts skin's blue above its green */
  HARD_EXPOSURE_STEPS, /* the camera's exposure moves in 4 % steps */
  HARD_FLICKER,        /* 120 Hz lights at 29.7 fps: a 1.2 Hz (72 bpm) beat, 0.5 % deep */
  HARD_TALKING,        /* speech shades the lower face at syllable rates */
} HardCondition;

static void
apply_condition (VitalSynthParams *p,
                 HardCondition     condition)
{
  switch (condition)
    {
    case HARD_COOL_CAST:
      p->white_balance[0] = 0.92;
      p->white_balance[1] = 0.82;
      p->white_balance[2] = 1.14;
      break;
    case HARD_EXPOSURE_STEPS:
      p->exposure_step = 0.04;
      p->exposure_step_s = 6.0;
      break;
    case HARD_FLICKER:
      p->mains_hz = 120.0;
      p->frame_rate = 29.7;
      p->flicker = 0.005;
      break;
    case HARD_TALKING:
    default:
      p->talking = 0.03;
      break;
    }
}

static void
test_hard_condition (gconstpointer data)
{
  static const double hrs[] = { 58, 72, 90, 110, 135, 160 };
  HardCondition condition = GPOINTER_TO_INT (data);
  double err = 0.0;

  for (guint i = 0; i < G_N_ELEMENTS (hrs); i++)
    {
      VitalSynthParams p = subject (7000 + i * 13 + condition);
      VitalSynthTruth truth;
      g_autoptr(VitalVitals) v = NULL;

      p.heart_rate = hrs[i];
      p.hrv_sdnn = MIN (50.0, 0.05 * 60000.0 / hrs[i]);  /* physiological: 5 % of the beat */
      p.respiratory_rate = 12 + i;
      p.fitzpatrick = (int) i + 1;
      p.noise = 3.0;
      p.motion = 0.3;
      apply_condition (&p, condition);
      if (condition == HARD_COOL_CAST)
        {
          /* The cast really puts blue above green (what the old R > G > B locus refused). */
          guint8 tone[3];

          vital_synth_skin_rgb (p.fitzpatrick, tone);
          g_assert_cmpfloat (tone[2] * p.white_balance[2], >=, tone[1] * p.white_balance[1]);
        }
      /* Measured without asking for weak pulses: a refusal is a failure here. */
      v = analyse_subject (&p, 30.0, FALSE, &truth);
      g_test_message ("HR %.1f (truth %.1f), confidence %.2f", v->heart_rate, truth.heart_rate,
                      v->confidence);
      g_assert_cmpfloat (fabs (v->heart_rate - truth.heart_rate), <=, 5.0);
      g_assert_true (isnan (v->spo2) || v->spo2 >= 94.0);
      err += fabs (v->heart_rate - truth.heart_rate);
    }
  g_assert_cmpfloat (err / G_N_ELEMENTS (hrs), <=, 1.5);
}

static void
test_hard_no_pulse (void)
{
  /* The same conditions and a swaying head without any pulse: nothing may pass for one. */
  for (HardCondition c = HARD_COOL_CAST; c <= HARD_TALKING + 1; c++)
    {
      VitalSynthParams p = subject (31 + c);
      g_autoptr(VitalVitals) v = NULL;

      p.pulse_strength = 0.0;
      p.noise = 3.0;
      if (c <= HARD_TALKING)
        apply_condition (&p, c);
      else
        p.motion = 0.8;  /* two sinusoids per axis, one at 0.83 Hz: a 50 /min sway */
      v = analyse_subject (&p, 30.0, TRUE, NULL);
      g_test_message ("condition %d: HR %.1f, confidence %.2f", c, v->heart_rate,
                      v->confidence);
      g_assert_cmpfloat (v->confidence, <, 0.2);
    }
}

static void
test_grid_methods (void)
{
  static const VitalPulseMethod methods[] = { VITAL_PULSE_CHROM, VITAL_PULSE_GREEN };
  VitalSynthParams p = subject (77);
  VitalSynthTruth truth;
  g_autoptr(VitalTensor) tensor = NULL;

  p.heart_rate = 88;
  tensor = render (&p, 20.0, &truth);
  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      VitalEngineOptions options = { methods[m], NULL, FALSE };
      g_autoptr(GError) error = NULL;
      g_autoptr(VitalVitals) v = vital_engine_analyze (tensor, &options, &error);

      g_assert_no_error (error);
      g_assert_cmpfloat (fabs (v->heart_rate - truth.heart_rate), <=, 3.0);
      /* 20 s: enough for HRV (>= 20 s) */
      g_assert_false (isnan (v->hrv_sdnn));
    }
}

/* ---- confidence calibration ----------------------------------------------------------- */

static void
test_confidence_ordering (void)
{
  VitalSynthParams p = subject (31);
  g_autoptr(VitalVitals) clean = NULL;
  g_autoptr(VitalVitals) noisy = NULL;
  g_autoptr(VitalVitals) noise = NULL;

  p.heart_rate = 70;
  p.noise = 1.0;
  clean = analyse_subject (&p, 20.0, TRUE, NULL);

  p.noise = 12.0;
  p.motion = 1.0;
  p.pulse_strength = 0.5;
  p.flicker = 0.004;
  noisy = analyse_subject (&p, 20.0, TRUE, NULL);

  p.pulse_strength = 0.0;
  noise = analyse_subject (&p, 20.0, TRUE, NULL);

  g_test_message ("confidence clean %.3f noisy %.3f noise %.3f", clean->confidence,
                  noisy->confidence, noise->confidence);
  g_assert_cmpfloat (clean->confidence, >=, 0.7);
  g_assert_cmpfloat (clean->confidence, >, noisy->confidence);
  g_assert_cmpfloat (noisy->confidence, >, noise->confidence);
  g_assert_cmpfloat (noise->confidence, <, 0.2);
  g_assert_cmpfloat (noise->confidence, >, 0.0);
}

static void
test_confidence_monotone_in_noise (void)
{
  static const double noise_levels[] = { 1.0, 6.0, 14.0, 30.0 };
  double last = 1.0;

  for (guint i = 0; i < G_N_ELEMENTS (noise_levels); i++)
    {
      VitalSynthParams p = subject (55);
      g_autoptr(VitalVitals) v = NULL;

      p.fitzpatrick = 4;
      p.noise = noise_levels[i];
      v = analyse_subject (&p, 12.0, TRUE, NULL);
      g_test_message ("noise %.0f: confidence %.3f snr %.1f", noise_levels[i], v->confidence,
                      v->snr_db);
      g_assert_cmpfloat (v->confidence, <, last);
      last = v->confidence;
    }
}

static void
test_frame_rates (void)
{
  static const double rates[] = { 15.0, 60.0 };

  for (guint i = 0; i < G_N_ELEMENTS (rates); i++)
    {
      VitalSynthParams p = subject (600 + i);
      VitalSynthTruth truth;
      g_autoptr(VitalVitals) v = NULL;

      p.frame_rate = rates[i];
      p.heart_rate = 95;
      v = analyse_subject (&p, 16.0, FALSE, &truth);
      g_assert_cmpfloat (fabs (v->heart_rate - truth.heart_rate), <=, 2.0);
      g_assert_cmpfloat (fabs (v->respiratory_rate - truth.respiratory_rate), <=, 2.0);
      g_assert_cmpuint (v->bvp_length, ==, 480);  /* always resampled to 30 Hz */
    }
}

static void
test_missing_region (void)
{
  /* The right cheek is occluded (grey) in every frame: the other regions carry the scan and
   * the skin fraction reflects the loss. */
  VitalSynthParams p = subject (21);
  VitalSynthTruth truth;
  g_autoptr(VitalTensor) src = NULL;
  g_autoptr(VitalTensor) t = vital_tensor_new (RATE, 0);
  g_autoptr(VitalVitals) v = NULL;
  g_autoptr(VitalVitals) full = NULL;
  g_autoptr(GError) error = NULL;

  src = render (&p, 20.0, &truth);
  for (guint f = 0; f < vital_tensor_get_frame_count (src); f++)
    {
      guint8 *planes = vital_tensor_append_frame (t);
      memcpy (planes, vital_tensor_get_frame (src, f), VITAL_TENSOR_FRAME_SIZE);
      memset (planes + 9 * VITAL_TENSOR_PLANE_SIZE, 128, 3 * VITAL_TENSOR_PLANE_SIZE);
    }
  v = vital_engine_analyze (t, NULL, &error);
  g_assert_no_error (error);
  full = vital_engine_analyze (src, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (fabs (v->heart_rate - truth.heart_rate), <=, 2.0);
  g_assert_cmpfloat (v->skin_fraction, <, full->skin_fraction);
}

/* ---- failures ------------------------------------------------------------------------- */

static void
test_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalTensor) empty = vital_tensor_new (RATE, 0);
  g_autoptr(VitalTensor) short_scan = NULL;
  g_autoptr(VitalTensor) black = uniform_tensor (300, 0, 0, 0);
  g_autoptr(VitalTensor) white = uniform_tensor (300, 255, 255, 255);
  g_autoptr(VitalTensor) grey = uniform_tensor (300, 128, 128, 128);
  g_autoptr(VitalTensor) blue = uniform_tensor (300, 60, 90, 200);
  g_autoptr(VitalTensor) teal = uniform_tensor (300, 70, 160, 150);
  g_autoptr(VitalTensor) no_pulse = NULL;
  VitalSynthParams p;

  g_assert_null (vital_engine_analyze (NULL, NULL, &error));
  g_assert_error (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_null (vital_engine_analyze (empty, NULL, &error));
  g_assert_error (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_TOO_SHORT);
  g_clear_error (&error);

  vital_synth_params_init (&p);
  short_scan = render (&p, 3.0, NULL);
  g_assert_null (vital_engine_analyze (short_scan, NULL, &error));
  g_assert_error (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_TOO_SHORT);
  g_clear_error (&error);

  /* The detector found a face: never "No face detected", but why the skin is unusable. */
  g_assert_null (vital_engine_analyze (black, NULL, &error));
  g_assert_error (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_NO_SKIN);
  g_assert_nonnull (strstr (error->message, "too dark"));
  g_assert_null (strstr (error->message, "No face"));
  g_clear_error (&error);
  g_assert_null (vital_engine_analyze (white, NULL, &error));
  g_assert_error (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_NO_SKIN);
  g_assert_nonnull (strstr (error->message, "overexposed"));
  g_clear_error (&error);
  g_assert_null (vital_engine_analyze (grey, NULL, &error));
  g_assert_error (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_NO_SKIN);
  g_assert_nonnull (strstr (error->message, "no skin-coloured pixels"));
  g_clear_error (&error);
  g_assert_null (vital_engine_analyze (blue, NULL, &error));
  g_assert_error (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_NO_SKIN);
  g_clear_error (&error);
  g_assert_null (vital_engine_analyze (teal, NULL, &error));
  g_assert_error (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_NO_SKIN);
  g_clear_error (&error);

  p.pulse_strength = 0.0;
  p.noise = 4.0;
  no_pulse = render (&p, 15.0, NULL);
  g_assert_null (vital_engine_analyze (no_pulse, NULL, &error));
  g_assert_error (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_NO_PULSE);
}

static void
test_short_scan_nan (void)
{
  VitalSynthParams p = subject (9);
  g_autoptr(VitalVitals) v = NULL;

  v = analyse_subject (&p, 10.0, FALSE, NULL);
  g_assert_true (isnan (v->hrv_sdnn));
  g_assert_true (v->hrv_flags & VITAL_QUALITY_TOO_SHORT);
  g_assert_true (isnan (v->respiratory_rate));  /* under 15 s */
  g_assert_false (isnan (v->heart_rate));
}

/* ---- SpO2 and BP: experimental, measured, never constant ------------------------------ */

static void
test_spo2_bp (void)
{
  VitalSynthParams p = subject (3);
  VitalSynthTruth truth;
  g_autoptr(VitalTensor) tensor = NULL;
  g_autoptr(VitalVitals) low = NULL;
  g_autoptr(VitalVitals) high = NULL;
  g_autoptr(VitalVitals) old = NULL;
  VitalDemographics demo = { 70, VITAL_SEX_MALE, 0 };
  VitalEngineOptions options = { VITAL_PULSE_POS, &demo, FALSE };
  g_autoptr(GError) error = NULL;

  p.spo2 = 89.0;
  low = analyse_subject (&p, 20.0, FALSE, &truth);
  p.spo2 = 97.0;
  tensor = render (&p, 20.0, NULL);
  high = vital_engine_analyze (tensor, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("SpO2 %.1f (quality %.2f), %.1f (quality %.2f)", low->spo2, low->spo2_quality,
                  high->spo2, high->spo2_quality);
  g_assert_cmpfloat (fabs (high->spo2 - 97.0), <, 2.0);
  g_assert_cmpfloat (high->spo2_quality, >=, VITAL_ENGINE_MIN_VITAL_QUALITY);
  /* A clear, well-measured 89 %: a camera estimate cannot back an alarming value, so it is
   * not reported, and the flag says why. */
  g_assert_true (isnan (low->spo2));
  g_assert_cmpfloat (low->spo2_quality, >=, VITAL_ENGINE_MIN_VITAL_QUALITY);
  g_assert_true (low->spo2_flags & VITAL_QUALITY_OUT_OF_RANGE);
  g_assert_true (low->spo2_flags & VITAL_QUALITY_EXPERIMENTAL);

  g_assert_false (isnan (high->systolic_bp));
  g_assert_cmpfloat (high->systolic_bp, >, high->diastolic_bp);
  old = vital_engine_analyze (tensor, &options, &error);
  g_assert_no_error (error);
  /* Demographics move the estimate (age 70, male vs none). */
  g_assert_cmpfloat (old->systolic_bp, >, high->systolic_bp + 5.0);
  g_assert_true (old->bp_flags & VITAL_QUALITY_EXPERIMENTAL);
}

/* ---- synthetic subject ---------------------------------------------------------------- */

static void
test_synth_deterministic (void)
{
  VitalSynthParams p;
  g_autoptr(VitalTensor) a = NULL;
  g_autoptr(VitalTensor) b = NULL;
  g_autoptr(VitalTensor) c = NULL;
  g_autoptr(GBytes) ba = NULL;
  g_autoptr(GBytes) bb = NULL;
  g_autoptr(GBytes) bc = NULL;

  vital_synth_params_init (&p);
  p.motion = 0.5;
  a = render (&p, 2.0, NULL);
  b = render (&p, 2.0, NULL);
  p.seed = 2;
  c = render (&p, 2.0, NULL);
  ba = vital_tensor_get_frames (a);
  bb = vital_tensor_get_frames (b);
  bc = vital_tensor_get_frames (c);
  g_assert_true (g_bytes_equal (ba, bb));
  g_assert_false (g_bytes_equal (ba, bc));
  g_assert_cmpuint (vital_tensor_get_frame_count (a), ==, 60);
  g_assert_cmpfloat (vital_tensor_get_frame_rate (a), ==, 30.0);
}

static void
test_synth_truth (void)
{
  VitalSynthParams p;
  g_autoptr(VitalSynth) synth = NULL;
  VitalSynthTruth truth;
  VitalSynthSample s;
  double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;

  vital_synth_params_init (&p);
  p.heart_rate = 66;
  p.hrv_sdnn = 60;
  synth = vital_synth_new (&p);
  vital_synth_get_truth (synth, 300.0, &truth);
  g_assert_cmpfloat (fabs (truth.heart_rate - 66), <, 3.0);
  g_assert_cmpfloat (fabs (truth.hrv_sdnn - 60), <, 15.0);
  g_assert_cmpfloat (truth.respiratory_rate, ==, 15.0);

  /* BVP colour signature: green pulsates most, then blue, then red (at SpO2 97 %). */
  for (guint i = 0; i < 60; i++)
    {
      vital_synth_next_sample (synth, &s);
      lo = MIN (lo, s.skin_gain[1] / s.light_gain[1]);
      hi = MAX (hi, s.skin_gain[1] / s.light_gain[1]);
      g_assert_cmpfloat (fabs (s.skin_gain[1] - s.light_gain[1]), >=,
                         fabs (s.skin_gain[2] - s.light_gain[2]));
      g_assert_cmpfloat (fabs (s.skin_gain[2] - s.light_gain[2]), >=,
                         fabs (s.skin_gain[0] - s.light_gain[0]));
    }
  g_assert_cmpfloat (hi - lo, >, 0.004);
  g_assert_cmpfloat (hi - lo, <, 0.02);
}

static void
test_synth_tones (void)
{
  for (int tone = 1; tone <= 6; tone++)
    {
      VitalSynthParams p;
      g_autoptr(VitalTensor) t = NULL;
      g_autoptr(VitalTraces) traces = NULL;
      g_autoptr(GError) error = NULL;
      guint8 rgb[3];

      vital_synth_params_init (&p);
      p.fitzpatrick = tone;
      t = render (&p, 2.0, NULL);
      traces = vital_skin_extract (t, &error);
      g_assert_no_error (error);
      /* Each region is recognised as skin; the background, hair and eyes are not counted. */
      for (guint r = 0; r < VITAL_TENSOR_REGIONS; r++)
        {
          g_assert_true (traces->region_is_skin[r]);
          g_assert_cmpfloat (traces->region_fraction[r], >, 0.4);
          g_assert_cmpfloat (traces->region_fraction[r], <, 0.999);
        }
      vital_synth_skin_rgb (tone, rgb);
      g_assert_cmpfloat (fabs (vital_traces_channel (traces, 1, 1)[0] - rgb[1]), <, 0.3 * rgb[1]);
      if (tone > 1)
        {
          guint8 lighter[3];
          vital_synth_skin_rgb (tone - 1, lighter);
          g_assert_cmpuint (lighter[0] + lighter[1] + lighter[2], >, rgb[0] + rgb[1] + rgb[2]);
        }
    }
}

static void
test_synth_modulate_rgb (void)
{
  VitalSynthParams p;
  g_autoptr(VitalSynth) synth = NULL;
  g_autoptr(GError) error = NULL;
  const int w = 64, h = 48;
  g_autofree guint8 *img = g_new (guint8, w * h * 3);
  VitalRect face = { 16, 8, 32, 32 };
  VitalSynthSample s;
  double skin_lo = G_MAXDOUBLE, skin_hi = 0, bg_lo = G_MAXDOUBLE, bg_hi = 0;

  vital_synth_params_init (&p);
  p.noise = 0.0;
  p.illumination_drift = 0.0;
  synth = vital_synth_new (&p);
  for (guint frame = 0; frame < 30; frame++)
    {
      double skin = 0;

      vital_synth_next_sample (synth, &s);
      memset (img, 150, w * h * 3);
      g_assert_true (vital_synth_modulate_rgb (synth, &s, img, w, h, w * 3, NULL, &face,
                                               &error));
      g_assert_no_error (error);
      /* Green of the face centre (8x8) and of a background corner pixel. */
      for (int y = 20; y < 28; y++)
        for (int x = 28; x < 36; x++)
          skin += img[(y * w + x) * 3 + 1] / 64.0;
      skin_lo = MIN (skin_lo, skin);
      skin_hi = MAX (skin_hi, skin);
      bg_lo = MIN (bg_lo, img[(2 * w + 2) * 3 + 1]);
      bg_hi = MAX (bg_hi, img[(2 * w + 2) * 3 + 1]);
    }
  /* Only skin carries the pulse (about 1 %% of 150 peak to peak); the background only sees
   * the light. */
  g_assert_cmpfloat (skin_hi - skin_lo, >=, 0.9);
  g_assert_cmpfloat (bg_hi - bg_lo, <=, 1.0);

  g_assert_false (vital_synth_modulate_rgb (synth, &s, img, w, h, 10, NULL, &face, &error));
  g_assert_error (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (vital_synth_modulate_rgb (synth, &s, img, w, h, w * 3, NULL, NULL, &error));
  g_assert_error (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_INVALID_ARGUMENT);
}

static void
test_placeholder (void)
{
  g_autoptr(VitalTensor) t = vital_tensor_placeholder (450);
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalVitals) v = vital_engine_analyze (t, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpfloat (fabs (v->heart_rate - 72.0), <, 3.0);
  g_assert_cmpfloat (v->confidence, >=, 0.5);
}

/* ---- resampling ----------------------------------------------------------------------- */

static void
test_resampler_no_artefact (void)
{
  /* A 1.2 Hz pulse filmed at 29.03 fps and resampled to 30: the interpolation weights cycle at
   * 0.97 Hz, in the pulse band. The pulse must stay at 1.2 Hz (a resampler that took the frames
   * as 30 fps would move it to 1.24 Hz) and gain no sideband at 1.2 + 0.97 Hz (picking the
   * nearest frame instead of interpolating puts one there at -27 dB). */
  g_autoptr(VitalTensor) tensor = vital_tensor_new (30.0, 0);
  g_autoptr(VitalResampler) resampler = vital_resampler_new (tensor);
  g_autofree guint8 *frame = g_new (guint8, VITAL_TENSOR_FRAME_SIZE);
  g_autofree double *y = NULL;
  g_autoptr(VitalSpectrum) s = NULL;
  guint n;
  double main_power, side_power;

  for (guint k = 0; k < 2000; k++)
    {
      double t = k / 29.03;
      int level = (int) lround (100.0 + 20.0 * sin (2.0 * G_PI * 1.2 * t));

      memset (frame, level, VITAL_TENSOR_FRAME_SIZE);
      g_assert_cmpint (vital_resampler_push (resampler, (gint64) llround (t * 1e6) + 1, frame,
                                             NULL), >=, 0);
    }
  n = vital_tensor_get_frame_count (tensor);
  g_assert_cmpuint (n, >=, 2060);
  y = g_new (double, n);
  for (guint i = 0; i < n; i++)
    y[i] = vital_tensor_get_frame (tensor, i)[0];
  vital_filter_remove_mean (y, n);
  s = vital_spectrum_welch (y, n, 30.0, 0, 0.001);
  g_assert_cmpfloat (fabs (vital_spectrum_peak (s, 0.7, 3.5, &main_power) - 1.2), <, 0.005);
  vital_spectrum_peak (s, 1.2 + 0.97 - 0.02, 1.2 + 0.97 + 0.02, &side_power);
  g_test_message ("sideband at 2.17 Hz: %.1e of the pulse", side_power / main_power);
  g_assert_cmpfloat (side_power / main_power, <, 1e-4);
}

/* ---- streaming estimator -------------------------------------------------------------- */

static void
test_stream (void)
{
  VitalSynthParams p = subject (12);
  VitalSynthTruth truth;
  g_autoptr(VitalTensor) t = NULL;
  g_autoptr(VitalStream) stream = vital_stream_new (10.0);
  g_autoptr(GError) error = NULL;
  g_autofree float *wave = NULL;
  double bpm = 0, conf = 0, rate = 0;
  guint len = 0;
  gint64 ts = 1000000;

  p.heart_rate = 84;
  p.hrv_sdnn = 25;
  t = render (&p, 14.0, &truth);
  for (guint f = 0; f < vital_tensor_get_frame_count (t); f++)
    {
      /* Jittered timestamps, as from a real camera. */
      ts += 33333 + ((f * 7919) % 5 - 2) * 1000;
      g_assert_true (vital_stream_push_planes (stream, ts, vital_tensor_get_frame (t, f),
                                               &error));
      g_assert_no_error (error);
      if (f == 90)
        g_assert_false (vital_stream_get_heart_rate (stream, &bpm, &conf));
    }
  g_assert_true (vital_stream_get_heart_rate (stream, &bpm, &conf));
  g_test_message ("stream HR %.1f (truth %.1f), confidence %.2f", bpm, truth.heart_rate, conf);
  g_assert_cmpfloat (fabs (bpm - truth.heart_rate), <, 4.0);
  g_assert_cmpfloat (conf, >, 0.4);

  wave = vital_stream_get_waveform (stream, &len, &rate);
  g_assert_nonnull (wave);
  g_assert_cmpfloat (rate, ==, 30.0);
  g_assert_cmpuint (len, >=, 290);
  g_assert_cmpuint (len, <=, 301);
  for (guint i = 0; i < len; i++)
    g_assert_true (isfinite (wave[i]));

  g_assert_false (vital_stream_push_planes (stream, ts - 10, vital_tensor_get_frame (t, 0),
                                            &error));
  g_assert_error (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_INVALID_ARGUMENT);
  vital_stream_reset (stream);
  g_assert_cmpfloat (vital_stream_get_seconds (stream), ==, 0.0);
  g_assert_false (vital_stream_get_heart_rate (stream, NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/engine/filter/response", test_filter_response);
  g_test_add_func ("/core/engine/filter/detrend", test_filter_detrend);
  g_test_add_func ("/core/engine/spectrum/sinusoid", test_spectrum_sinusoid);
  g_test_add_func ("/core/engine/spectrum/harmonic-check", test_spectrum_harmonic);
  g_test_add_func ("/core/engine/pulse/methods", test_pulse_methods);
  g_test_add_func ("/core/engine/hrv/known-ibis", test_hrv_known_ibis);
  g_test_add_func ("/core/engine/hrv/cleaning", test_hrv_cleaning);
  g_test_add_func ("/core/engine/hrv/pulse-sdnn", test_hrv_pulse_sdnn);
  g_test_add_func ("/core/engine/quality/monotone", test_quality_monotone);
  g_test_add_func ("/core/engine/grid/moderate", test_grid_moderate);
  g_test_add_func ("/core/engine/grid/methods", test_grid_methods);
  g_test_add_data_func ("/core/engine/hard/cool-cast", GINT_TO_POINTER (HARD_COOL_CAST),
                        test_hard_condition);
  g_test_add_data_func ("/core/engine/hard/exposure-steps", GINT_TO_POINTER (HARD_EXPOSURE_STEPS),
                        test_hard_condition);
  g_test_add_data_func ("/core/engine/hard/flicker-60hz", GINT_TO_POINTER (HARD_FLICKER),
                        test_hard_condition);
  g_test_add_data_func ("/core/engine/hard/talking", GINT_TO_POINTER (HARD_TALKING),
                        test_hard_condition);
  g_test_add_func ("/core/engine/hard/no-pulse", test_hard_no_pulse);
  g_test_add_func ("/core/engine/confidence/ordering", test_confidence_ordering);
  g_test_add_func ("/core/engine/confidence/monotone-in-noise", test_confidence_monotone_in_noise);
  g_test_add_func ("/core/engine/frame-rates", test_frame_rates);
  g_test_add_func ("/core/engine/missing-region", test_missing_region);
  g_test_add_func ("/core/engine/errors", test_errors);
  g_test_add_func ("/core/engine/short-scan-nan", test_short_scan_nan);
  g_test_add_func ("/core/engine/spo2-bp", test_spo2_bp);
  g_test_add_func ("/core/engine/placeholder", test_placeholder);
  g_test_add_func ("/core/synth/deterministic", test_synth_deterministic);
  g_test_add_func ("/core/synth/truth", test_synth_truth);
  g_test_add_func ("/core/synth/tones", test_synth_tones);
  g_test_add_func ("/core/synth/modulate-rgb", test_synth_modulate_rgb);
  g_test_add_func ("/core/resampler/no-artefact", test_resampler_no_artefact);
  g_test_add_func ("/core/stream/provisional", test_stream);

  return g_test_run ();
}
