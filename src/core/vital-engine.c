/* vital-engine.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine's orchestration: tensor -> skin traces of every patch -> patch pulses fused by
 * quality -> heart-rate evidence over time and its track -> heart rate, confidence,
 * respiration, HRV, SpO2 and BP each with its own quality, with timing.
 */
#include "vital-engine.h"
#include "vital-engine-private.h"

#include <math.h>
#include <string.h>

#define BVP_RATE            30.0  /* Hz of the plotted pulse */
#define HRV_MIN_PERIODICITY 0.7   /* below: SDNN unavailable (docs/algorithms.md, HRV) */
#define WHOLE_RESOLUTION_HZ (0.1 / 60.0) /* bins of the whole-scan spectrum: 0.1 bpm */
/* vital_spectrogram_suppress(): the largest strength that keeps a 45 bpm pulse measurable
 * 5 bpm from a periodic head motion (synthetic grid); it takes pulse-free scans of a moving
 * head from a mean confidence of 0.85 down to 0.12 (docs/algorithms.md, "Motion"). */
#define MOTION_SUPPRESSION  0.3

/**
 * vital_vitals_free:
 * @vitals: (transfer full) (nullable): a result
 *
 * Frees @vitals and its waveform.
 */
void
vital_vitals_free (VitalVitals *vitals)
{
  if (vitals == NULL)
    return;
  g_free (vitals->bvp);
  g_free (vitals);
}

static void
resample_bvp (VitalVitals  *vitals,
              const double *pulse,
              guint         n,
              double        rate)
{
  double duration = n / rate;
  guint m = MAX (1u, (guint) floor (duration * BVP_RATE));

  vitals->bvp = g_new (float, m);
  vitals->bvp_length = m;
  vitals->bvp_rate = BVP_RATE;
  for (guint i = 0; i < m; i++)
    {
      double pos = i / BVP_RATE * rate;
      guint k = MIN ((guint) pos, n - 1);
      double t = pos - k;
      double v = k + 1 < n ? pulse[k] * (1.0 - t) + pulse[k + 1] * t : pulse[k];
      vitals->bvp[i] = (float) v;
    }
}

/* The low-frequency blood-volume trace respiration rides on (RIIV): green minus blue, each
 * relative to its scan mean, averaged over the skin regions. Like POS's first projection it
 * cancels intensity changes (illumination drift, shading from head motion), which are equal
 * in every relative channel, and keeps the blood-volume baseline, which is not. */
static void
intensity_trace (VitalTraces *traces,
                 double      *out)
{
  guint n = traces->n_frames;
  guint used = 0;

  memset (out, 0, n * sizeof (double));
  for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
    {
      const double *g = vital_traces_channel (traces, region, 1);
      const double *b = vital_traces_channel (traces, region, 2);
      double mg = 0.0, mb = 0.0;

      if (!traces->region_is_skin[region])
        continue;
      for (guint i = 0; i < n; i++)
        {
          mg += g[i];
          mb += b[i];
        }
      if (mg <= 0.0 || mb <= 0.0)
        continue;
      for (guint i = 0; i < n; i++)
        out[i] -= n * (g[i] / mg - b[i] / mb);
      used++;
    }
  for (guint i = 0; used > 0 && i < n; i++)
    out[i] /= used;
}

/* The scan's heart rate: the highest peak of the pooled whole-scan spectrum among the rates
 * the track passes through (within the track tolerance). The reference definition of a heart
 * rate over a span is the highest spectral peak of the pulse over that span; the track keeps
 * the noise at other rates, and at rates the heart never had, out of the search. */
static double
whole_scan_rate (const double * const *signals,
                 guint                 n_signals,
                 guint                 n,
                 double                rate,
                 const double         *track,
                 guint                 n_windows,
                 VitalSpectrum       **out_spectrum)
{
  g_autoptr(VitalSpectrum) pooled = NULL;
  g_autofree gboolean *mask = NULL;
  guint best = 0;
  gboolean found = FALSE;
  double f;

  for (guint i = 0; i < n_signals; i++)
    {
      g_autoptr(VitalSpectrum) s = vital_spectrum_welch (signals[i], n, rate, 0,
                                                         WHOLE_RESOLUTION_HZ);
      double total = vital_spectrum_band_power (s, VITAL_HR_LOW_HZ, VITAL_HR_HIGH_HZ);

      if (s == NULL || !(total > 0.0))
        continue;
      if (pooled == NULL)
        {
          pooled = g_steal_pointer (&s);
          for (guint k = 0; k < pooled->n_bins; k++)
            pooled->power[k] /= total;
          continue;
        }
      for (guint k = 0; k < MIN (pooled->n_bins, s->n_bins); k++)
        pooled->power[k] += s->power[k] / total;
    }
  if (pooled == NULL)
    return NAN;

  mask = g_new0 (gboolean, pooled->n_bins);
  for (guint w = 0; w < n_windows; w++)
    {
      double lo = (track[w] - VITAL_TRACK_TOLERANCE_BPM) / 60.0;
      double hi = (track[w] + VITAL_TRACK_TOLERANCE_BPM) / 60.0;

      for (guint k = (guint) MAX (0.0, ceil (lo / pooled->bin_hz));
           k < pooled->n_bins && k * pooled->bin_hz <= hi; k++)
        mask[k] = TRUE;
    }
  for (guint k = 0; k < pooled->n_bins; k++)
    {
      double fk = k * pooled->bin_hz;

      if (!mask[k] || fk < VITAL_HR_LOW_HZ || fk > VITAL_HR_HIGH_HZ)
        continue;
      if (!found || pooled->power[k] > pooled->power[best])
        {
          best = k;
          found = TRUE;
        }
    }
  if (!found)
    return NAN;

  /* Quadratic interpolation of the log power through the peak and its neighbours. */
  f = best * pooled->bin_hz;
  if (best > 0 && best + 1 < pooled->n_bins)
    {
      double a = log (pooled->power[best - 1] + 1e-300);
      double b = log (pooled->power[best] + 1e-300);
      double c = log (pooled->power[best + 1] + 1e-300);
      double den = a - 2.0 * b + c;

      if (den < 0.0)
        f += CLAMP (0.5 * (a - c) / den, -0.5, 0.5) * pooled->bin_hz;
    }
  if (out_spectrum != NULL)
    *out_spectrum = g_steal_pointer (&pooled);
  return f;
}

/* Share of the windows whose own strongest rate lies on the track. */
static double
track_agreement (const VitalSpectrogram *s,
                 const double           *track)
{
  guint agree = 0;

  for (guint w = 0; w < s->n_windows; w++)
    {
      const double *row = s->evidence + (gsize) w * s->n_bins;
      guint best = 0;

      for (guint k = 1; k < s->n_bins; k++)
        if (row[k] > row[best])
          best = k;
      if (fabs (vital_spectrogram_bpm (s, best) - track[w]) <= VITAL_TRACK_TOLERANCE_BPM)
        agree++;
    }
  return s->n_windows > 0 ? (double) agree / s->n_windows : 0.0;
}

static VitalConfidenceCause
confidence_cause (const VitalVitals *v,
                  double             duration_s)
{
  if (v->confidence >= 0.4)
    return VITAL_CAUSE_NONE;
  if (v->skin_fraction < 0.15)
    return VITAL_CAUSE_LITTLE_SKIN;
  if (duration_s < 15.0)
    return VITAL_CAUSE_SHORT;
  if (v->motion > 0.8 || v->motion_share > 0.15)
    return VITAL_CAUSE_MOTION;
  if (v->track_margin < 1.5 && v->track_share >= 0.15)
    return VITAL_CAUSE_AMBIGUOUS;
  return VITAL_CAUSE_WEAK_PULSE;
}

/**
 * vital_evidence_free:
 * @evidence: (transfer full) (nullable): the engine's first stages
 */
void
vital_evidence_free (VitalEvidence *evidence)
{
  if (evidence == NULL)
    return;
  g_clear_pointer (&evidence->traces, vital_traces_free);
  g_clear_pointer (&evidence->pulses, vital_pulses_free);
  g_clear_pointer (&evidence->evidence, vital_spectrogram_free);
  g_free (evidence->track);
  g_free (evidence);
}

/* The harmonic check at the track level: a pulse with a sharp systolic peak and a dicrotic
 * notch has strong harmonics, and near the band's low edge (or next to a head motion) the
 * fundamental can lose to its second or third harmonic. When the track divided by 2 or 3
 * stays in the band and holds at least half the track's evidence itself, the track was a
 * harmonic and the fundamental is taken instead (after Hermes 1988, subharmonic summation;
 * the half-power rule as in vital_spectrum_heart_rate()). */
static void
undo_harmonic (const VitalSpectrogram *evidence,
               double                 *track)
{
  double share = vital_spectrogram_share (evidence, track, VITAL_TRACK_TOLERANCE_BPM);
  guint W = evidence->n_windows;

  for (guint k = 2; k <= 3; k++)
    {
      g_autofree double *sub = g_new (double, W);
      gboolean in_band = TRUE;

      for (guint w = 0; w < W; w++)
        {
          sub[w] = track[w] / k;
          in_band &= sub[w] >= 60.0 * VITAL_HR_LOW_HZ;
        }
      if (in_band && vital_spectrogram_share (evidence, sub, VITAL_TRACK_TOLERANCE_BPM)
                     >= 0.5 * share)
        {
          memcpy (track, sub, W * sizeof (double));
          return;
        }
    }
}

/* The evidence of what is not the pulse: spectrogram of the face region's luminance centroid
 * (both axes: the head moving) and of the light on the non-skin pixels. */
static VitalSpectrogram *
motion_evidence (VitalTraces             *traces,
                 const VitalRegionPulses *rp)
{
  guint n = traces->n_frames;
  double rate = traces->frame_rate;
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  VitalSpectrogram *s = vital_spectrogram_new (n, rate, VITAL_TRACK_WINDOW_S, VITAL_TRACK_HOP_S);
  VitalFilter bandpass;

  vital_motion_centroid (traces, 0, x, y);
  vital_filter_butter_bandpass (&bandpass, 2, VITAL_HR_LOW_HZ, VITAL_HR_HIGH_HZ, rate);
  vital_filter_filtfilt (&bandpass, x, n);
  vital_filter_filtfilt (&bandpass, y, n);
  vital_spectrogram_add (s, x, 1.0);
  vital_spectrogram_add (s, y, 1.0);
  /* What the cancellation leaves of the light (a codec does not change the skin's light and
   * the background's in proportion) counts as motion does. */
  if (rp->light != NULL)
    vital_spectrogram_add (s, rp->light, 1.0);
  return s;
}

/* Fuses @regions, builds their evidence and tracks it; NULL when they hold no usable patch. */
static VitalEvidence *
evidence_for_regions (const VitalRegionPulses *rp,
                      guint                    regions,
                      const VitalSpectrogram  *motion)
{
  g_autoptr(VitalEvidence) e = g_new0 (VitalEvidence, 1);
  g_autofree double *runner_up = NULL;
  double runner_share;

  e->pulses = vital_pulses_combine (rp, regions);
  if (e->pulses == NULL)
    return NULL;
  e->evidence = vital_spectrogram_new (rp->n, rp->rate, VITAL_TRACK_WINDOW_S, VITAL_TRACK_HOP_S);
  vital_spectrogram_add (e->evidence, e->pulses->chroma, 1.0);
  if (rp->method != VITAL_PULSE_GREEN)
    vital_spectrogram_add (e->evidence, e->pulses->green, 1.0);
  vital_spectrogram_suppress (e->evidence, motion, MOTION_SUPPRESSION);
  e->track = vital_spectrogram_track (e->evidence, VITAL_TRACK_SIGMA_BPM, NULL, 0.0);
  if (e->track == NULL)
    return NULL;
  undo_harmonic (e->evidence, e->track);
  runner_up = vital_spectrogram_track (e->evidence, VITAL_TRACK_SIGMA_BPM, e->track,
                                       VITAL_TRACK_RUNNER_UP_BPM);
  e->share = vital_spectrogram_share (e->evidence, e->track, VITAL_TRACK_TOLERANCE_BPM);
  runner_share = vital_spectrogram_share (e->evidence, runner_up, VITAL_TRACK_TOLERANCE_BPM);
  e->margin = runner_share > 0.0 ? e->share / runner_share : 10.0;
  e->significance = vital_quality_evidence (e->share, e->margin, rp->n / rp->rate);
  e->motion_share = vital_spectrogram_share (motion, e->track, VITAL_TRACK_TOLERANCE_BPM);
  return g_steal_pointer (&e);
}

/* The region sets tried when choosing: the whole face region alone, and the face with its
 * forehead and cheek close-ups. */
static const guint region_candidates[] = { VITAL_REGIONS_FACE, VITAL_REGIONS_ALL };

/**
 * vital_engine_evidence:
 * @tensor: a decoded capture
 * @method: the chrominance pulse method
 * @regions: a bit set of the regions to fuse, or 0 to choose by measured quality
 * @error: return location for a #GError
 *
 * The engine's first stages, shared by the whole-scan analysis and the live view: skin traces
 * of every patch, patch pulses fused by quality, the heart-rate evidence of every 10 s window
 * pooled over the chrominance method and GREEN (compressed video keeps the pulse in the
 * luminance better than in the chroma, and GREEN is where it survives there) and its track.
 *
 * With @regions 0, the face region alone and the face with its close-ups are both tracked, and
 * the set whose track holds the clearer evidence (vital_quality_evidence()) is kept: a fringe
 * or a beard in a close-up can make the close-ups worse than the face they are part of, and on
 * a clean face they add resolution.
 *
 * Returns: (transfer full) (nullable): the evidence, or %NULL with
 *   %VITAL_ENGINE_ERROR_NO_SKIN
 */
VitalEvidence *
vital_engine_evidence (const VitalTensor *tensor,
                       VitalPulseMethod   method,
                       guint              regions,
                       GError           **error)
{
  g_autoptr(VitalTraces) traces = NULL;
  g_autoptr(VitalRegionPulses) rp = NULL;
  g_autoptr(VitalEvidence) best = NULL;
  g_autoptr(VitalSpectrogram) motion = NULL;
  const guint *sets = regions != 0 ? &regions : region_candidates;
  guint n_sets = regions != 0 ? 1 : G_N_ELEMENTS (region_candidates);

  traces = vital_skin_extract (tensor, error);
  if (traces == NULL)
    return NULL;
  rp = vital_region_pulses_new (traces, method);
  motion = motion_evidence (traces, rp);
  for (guint i = 0; i < n_sets; i++)
    {
      g_autoptr(VitalEvidence) e = evidence_for_regions (rp, sets[i], motion);

      if (e != NULL && (best == NULL || e->significance > best->significance))
        {
          g_clear_pointer (&best, vital_evidence_free);
          best = g_steal_pointer (&e);
        }
    }
  if (best == NULL)
    {
      g_set_error_literal (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_NO_SKIN,
                           "No usable skin: too little of the face shows skin in most of the "
                           "scan. Face the camera without hair, hands or a mask over the face "
                           "and scan again");
      return NULL;
    }
  best->traces = g_steal_pointer (&traces);
  return g_steal_pointer (&best);
}

/**
 * vital_engine_analyze:
 * @tensor: a decoded capture
 * @options: (nullable): options, or %NULL for POS and no demographics
 * @error: return location for a #GError
 *
 * Measures the vitals in @tensor (docs/algorithms.md). Pure computation; safe to call from any
 * thread. Fails with %VITAL_ENGINE_ERROR_TOO_SHORT for scans shorter than
 * %VITAL_ENGINE_MIN_SECONDS, %VITAL_ENGINE_ERROR_NO_SKIN when the regions hold no usable skin
 * (the message says why: too dark, overexposed, no skin colour) and
 * %VITAL_ENGINE_ERROR_NO_PULSE when no pulse stands out of the noise.
 *
 * Returns: (transfer full) (nullable): the result, free with vital_vitals_free().
 */
VitalVitals *
vital_engine_analyze (VitalTensor              *tensor,
                      const VitalEngineOptions *options,
                      GError                  **error)
{
  static const VitalEngineOptions defaults = { VITAL_PULSE_POS, NULL, FALSE };
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(VitalEvidence) evidence = NULL;
  g_autoptr(VitalSpectrum) spectrum = NULL;
  g_autoptr(VitalVitals) vitals = NULL;
  g_autofree double *intensity = NULL;
  VitalTraces *traces;
  VitalPulses *pulses;
  const double *signals[2];
  guint n, n_signals;
  double rate, hr_hz, fraction = 0.0;

  if (options == NULL)
    options = &defaults;
  if (tensor == NULL)
    {
      g_set_error_literal (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_INVALID_ARGUMENT,
                           "No tensor to analyse");
      return NULL;
    }
  n = vital_tensor_get_frame_count (tensor);
  rate = vital_tensor_get_frame_rate (tensor);
  if (!(rate >= 5.0 && rate <= 240.0))
    {
      g_set_error (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_INVALID_ARGUMENT,
                   "Unsupported frame rate %.2f fps (5-240 fps needed)", rate);
      return NULL;
    }
  if (n < VITAL_ENGINE_MIN_SECONDS * rate)
    {
      g_set_error (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_TOO_SHORT,
                   "Scan too short: %.1f s of video, at least %.0f s needed", n / rate,
                   VITAL_ENGINE_MIN_SECONDS);
      return NULL;
    }

  evidence = vital_engine_evidence (tensor, options->method, 0, error);
  if (evidence == NULL)
    return NULL;
  traces = evidence->traces;
  pulses = evidence->pulses;
  for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
    fraction += traces->region_fraction[region] / VITAL_TENSOR_REGIONS;
  signals[0] = pulses->chroma;
  signals[1] = pulses->green;
  n_signals = options->method == VITAL_PULSE_GREEN ? 1 : 2;
  hr_hz = whole_scan_rate (signals, n_signals, n, rate, evidence->track,
                           evidence->evidence->n_windows, &spectrum);
  if (isnan (hr_hz))
    {
      g_set_error (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_NO_PULSE,
                   "No pulse found in the skin signal. Hold still in even light and scan "
                   "again");
      return NULL;
    }

  vitals = g_new0 (VitalVitals, 1);
  vitals->heart_rate = 60.0 * hr_hz;
  vitals->periodicity = vital_quality_periodicity (pulses->chroma, n, rate, hr_hz);
  if (vitals->periodicity >= HRV_MIN_PERIODICITY)
    {
      /* Clean beats: their mean interval is the ECG definition of the mean rate, and it is
       * not blurred by the frequency modulation of beat-to-beat variability (a strong
       * modulation can even lift a breathing sideband, HR - RR, above the carrier). Used when
       * it agrees with the spectral rate within 5 %, or when the spectrum holds a real peak
       * there too (at least 30 % of the chosen one). */
      double beat_rate = vital_hrv_mean_rate (pulses->beat, n, rate, hr_hz);

      if (!isnan (beat_rate) && beat_rate / 60.0 >= VITAL_HR_LOW_HZ
          && beat_rate / 60.0 <= VITAL_HR_HIGH_HZ
          && (fabs (beat_rate - vitals->heart_rate) < 0.05 * vitals->heart_rate
              || vital_spectrum_power_at (spectrum, beat_rate / 60.0)
                 >= 0.3 * vital_spectrum_power_at (spectrum, hr_hz)))
        {
          vitals->heart_rate = beat_rate;
          hr_hz = beat_rate / 60.0;
        }
    }

  vitals->snr_db = vital_quality_snr (spectrum, hr_hz);
  vitals->track_share = evidence->share;
  vitals->track_margin = evidence->margin;
  vitals->regions = pulses->regions;
  vitals->stability = track_agreement (evidence->evidence, evidence->track);
  vitals->track_spread = vital_filter_std (evidence->track, evidence->evidence->n_windows);
  vitals->motion_share = evidence->motion_share;
  vitals->skin_fraction = fraction;
  vitals->motion = vital_quality_motion (traces);
  vitals->significance = evidence->significance;
  vitals->confidence = vital_quality_confidence (evidence->significance, vitals->skin_fraction,
                                                 vitals->motion, vitals->motion_share);
  vitals->confidence_cause = confidence_cause (vitals, n / rate);
  if (vitals->significance < VITAL_ENGINE_MIN_SIGNIFICANCE && !options->report_weak_pulse)
    {
      g_set_error_literal (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_NO_PULSE,
                           "No pulse found: the skin signal holds no rhythm that stands out of "
                           "the noise. Hold still in even light, face the camera and scan "
                           "again");
      return NULL;
    }
  if (vitals->snr_db < 0.0)
    vitals->hr_flags |= VITAL_QUALITY_LOW_SNR;
  if (vitals->stability < 0.5)
    vitals->hr_flags |= VITAL_QUALITY_UNSTABLE;

  intensity = g_new0 (double, n);
  intensity_trace (traces, intensity);
  vitals->respiratory_rate = vital_respiration_rate (pulses->chroma, intensity, n, rate, hr_hz,
                                                     vitals->confidence, &vitals->rr_quality,
                                                     &vitals->rr_flags);
  vitals->hrv_sdnn = vital_hrv_analyze (pulses->beat, n, rate, hr_hz, vitals->periodicity,
                                        &vitals->hrv_quality, &vitals->hrv_flags);
  vitals->spo2 = vital_spo2_estimate (traces, pulses->chroma, pulses->region_weight, hr_hz,
                                      vitals->confidence, &vitals->spo2_quality,
                                      &vitals->spo2_flags);
  vital_bp_estimate (pulses->beat, n, rate, vitals->heart_rate, vitals->periodicity,
                     options->demographics, &vitals->systolic_bp, &vitals->diastolic_bp,
                     &vitals->bp_quality, &vitals->bp_flags);

  resample_bvp (vitals, pulses->chroma, n, rate);
  vitals->processing_time_ms = (g_get_monotonic_time () - t0) / 1000.0;
  return g_steal_pointer (&vitals);
}

/**
 * vital_vitals_get_value:
 * @vitals: a result
 * @measure: which vital
 *
 * Returns: its value in the measure's unit, or NAN when it was not measured
 */
double
vital_vitals_get_value (const VitalVitals *vitals,
                        VitalMeasure       measure)
{
  switch (measure)
    {
    case VITAL_MEASURE_HEART_RATE:
      return vitals->heart_rate;
    case VITAL_MEASURE_RESPIRATORY_RATE:
      return vitals->respiratory_rate;
    case VITAL_MEASURE_HRV_SDNN:
      return vitals->hrv_sdnn;
    case VITAL_MEASURE_SPO2:
      return vitals->spo2;
    case VITAL_MEASURE_SYSTOLIC_BP:
      return vitals->systolic_bp;
    case VITAL_MEASURE_DIASTOLIC_BP:
      return vitals->diastolic_bp;
    case VITAL_MEASURE_COUNT:
    default:
      g_return_val_if_reached (NAN);
    }
}

/**
 * vital_vitals_get_quality:
 * @vitals: a result
 * @measure: which vital
 *
 * Returns: the vital's own quality, 0–1 (the heart rate's is the confidence; both blood
 *   pressures share one)
 */
double
vital_vitals_get_quality (const VitalVitals *vitals,
                          VitalMeasure       measure)
{
  switch (measure)
    {
    case VITAL_MEASURE_HEART_RATE:
      return vitals->confidence;
    case VITAL_MEASURE_RESPIRATORY_RATE:
      return vitals->rr_quality;
    case VITAL_MEASURE_HRV_SDNN:
      return vitals->hrv_quality;
    case VITAL_MEASURE_SPO2:
      return vitals->spo2_quality;
    case VITAL_MEASURE_SYSTOLIC_BP:
    case VITAL_MEASURE_DIASTOLIC_BP:
      return vitals->bp_quality;
    case VITAL_MEASURE_COUNT:
    default:
      g_return_val_if_reached (NAN);
    }
}

/**
 * vital_vitals_get_flags:
 * @vitals: a result
 * @measure: which vital
 *
 * Returns: the vital's quality flags (both blood pressures share one set)
 */
VitalQualityFlags
vital_vitals_get_flags (const VitalVitals *vitals,
                        VitalMeasure       measure)
{
  switch (measure)
    {
    case VITAL_MEASURE_HEART_RATE:
      return vitals->hr_flags;
    case VITAL_MEASURE_RESPIRATORY_RATE:
      return vitals->rr_flags;
    case VITAL_MEASURE_HRV_SDNN:
      return vitals->hrv_flags;
    case VITAL_MEASURE_SPO2:
      return vitals->spo2_flags;
    case VITAL_MEASURE_SYSTOLIC_BP:
    case VITAL_MEASURE_DIASTOLIC_BP:
      return vitals->bp_flags;
    case VITAL_MEASURE_COUNT:
    default:
      g_return_val_if_reached (VITAL_QUALITY_UNAVAILABLE);
    }
}
