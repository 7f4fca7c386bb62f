/* vital-engine.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine's orchestration: tensor -> skin traces -> per-region pulse -> SNR-weighted fusion
 * -> heart rate, respiration, HRV, SpO2, BP, quality and confidence, with timing.
 */
#include "vital-engine.h"
#include "vital-engine-private.h"

#include <math.h>
#include <string.h>

#define BVP_RATE 30.0  /* Hz of the plotted pulse */
#define HRV_MIN_PERIODICITY 0.7  /* below: SDNN unavailable (docs/algorithms.md, HRV) */

G_DEFINE_QUARK (vital-engine-error-quark, vital_engine_error)

typedef void (*PulseFunc) (const double *r, const double *g, const double *b, guint n,
                           double rate, double *out);

static PulseFunc
pulse_func (VitalPulseMethod method)
{
  switch (method)
    {
    case VITAL_PULSE_CHROM:
      return vital_chrom_pulse;
    case VITAL_PULSE_GREEN:
      return vital_green_pulse;
    case VITAL_PULSE_POS:
    default:
      return vital_pos_pulse;
    }
}

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

/**
 * vital_engine_analyze:
 * @tensor: a decoded capture
 * @options: (nullable): options, or %NULL for POS and no demographics
 * @error: return location for a #GError
 *
 * Measures the vitals in @tensor (docs/algorithms.md). Pure computation; safe to call from any
 * thread. Fails with %VITAL_ENGINE_ERROR_TOO_SHORT for scans shorter than
 * %VITAL_ENGINE_MIN_SECONDS, %VITAL_ENGINE_ERROR_NO_SKIN when the regions hold no skin
 * ("No face detected") and %VITAL_ENGINE_ERROR_NO_PULSE when no pulse stands out of the noise.
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
  g_autoptr(VitalTraces) traces = NULL;
  g_autoptr(VitalVitals) vitals = NULL;
  g_autoptr(VitalSpectrum) spectrum = NULL;
  g_autofree double *pulses = NULL;
  g_autofree double *wide = NULL;
  g_autofree double *beat_pulse = NULL;
  g_autofree double *fused = NULL;
  g_autofree double *intensity = NULL;
  double weights[VITAL_TENSOR_REGIONS] = { 0 };
  double lambda, hr_hz, fraction = 0.0, weight_sum = 0.0;
  guint n;
  double rate;
  VitalFilter bandpass;
  PulseFunc extract;

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

  traces = vital_skin_extract (tensor, error);
  if (traces == NULL)
    return NULL;

  /* Per-region pulse: method, smoothness-priors detrend, zero-phase band-pass. */
  extract = pulse_func (options->method);
  lambda = 100.0 * (rate / 30.0) * (rate / 30.0);
  vital_filter_butter_bandpass (&bandpass, 4, VITAL_PULSE_LOW_HZ, VITAL_PULSE_HIGH_HZ, rate);
  pulses = g_new0 (double, (gsize) VITAL_TENSOR_REGIONS * n);
  wide = g_new0 (double, (gsize) VITAL_TENSOR_REGIONS * n);
  fused = g_new0 (double, n);
  for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
    {
      double *p = pulses + (gsize) region * n;

      if (!traces->region_is_skin[region])
        continue;
      extract (vital_traces_channel (traces, region, 0), vital_traces_channel (traces, region, 1),
               vital_traces_channel (traces, region, 2), n, rate, p);
      vital_filter_detrend (p, n, lambda);
      memcpy (wide + (gsize) region * n, p, n * sizeof (double));
      vital_filter_filtfilt (&bandpass, p, n);
      vital_filter_normalise (p, n);
      for (guint i = 0; i < n; i++)
        fused[i] += p[i];
    }
  /* Mean over all four regions: an occluded or missing region counts as no skin. */
  for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
    fraction += traces->region_fraction[region] / VITAL_TENSOR_REGIONS;

  /* Provisional rate from the plain sum, then weight each region by its SNR there
   * (linear power ratio) and fuse again. */
  spectrum = vital_spectrum_welch (fused, n, rate, 0, 0.005);
  hr_hz = vital_spectrum_heart_rate (spectrum, VITAL_HR_LOW_HZ, VITAL_HR_HIGH_HZ);
  memset (fused, 0, n * sizeof (double));
  for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
    {
      const double *p = pulses + (gsize) region * n;
      g_autoptr(VitalSpectrum) rs = NULL;

      if (!traces->region_is_skin[region])
        continue;
      rs = vital_spectrum_welch (p, n, rate, 0, 0.005);
      weights[region] = pow (10.0, vital_quality_snr (rs, hr_hz) / 10.0);
      weight_sum += weights[region];
    }
  for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
    {
      const double *p = pulses + (gsize) region * n;
      double w = weight_sum > 0.0 ? weights[region] / weight_sum : 0.0;

      weights[region] = w;
      for (guint i = 0; w > 0.0 && i < n; i++)
        fused[i] += w * p[i];
    }
  /* The same fusion on a wider band keeps the beat shape (systolic peak timing) for HRV
   * and the pulse-shape features: 0.5-8 Hz, second order. */
  beat_pulse = g_new0 (double, n);
  for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
    {
      const double *p = wide + (gsize) region * n;
      double sd = vital_filter_std (p, n);

      for (guint i = 0; weights[region] > 0.0 && sd > 0.0 && i < n; i++)
        beat_pulse[i] += weights[region] * p[i] / sd;
    }
  vital_filter_butter_bandpass (&bandpass, 2, 0.5, 8.0, rate);
  vital_filter_filtfilt (&bandpass, beat_pulse, n);
  vital_filter_normalise (beat_pulse, n);
  vital_filter_normalise (fused, n);
  g_clear_pointer (&spectrum, vital_spectrum_free);
  spectrum = vital_spectrum_welch (fused, n, rate, 0, 0.005);
  hr_hz = vital_spectrum_heart_rate (spectrum, VITAL_HR_LOW_HZ, VITAL_HR_HIGH_HZ);

  vitals = g_new0 (VitalVitals, 1);
  vitals->heart_rate = 60.0 * hr_hz;
  {
    /* The spectral peak is robust but blurred by beat-to-beat variability: a pulse with RSA is
     * frequency-modulated, and a strong modulation can even lift a sideband (HR +- RR) above
     * the carrier. The beats found in the time domain give the mean rate directly
     * (60 / mean interval, the ECG definition); it is the estimate when it agrees with the
     * spectrum within 5 %, or when the spectrum holds a real peak there too (at least 30 % of
     * the highest one). */
    double beat_rate = vital_hrv_mean_rate (beat_pulse, n, rate, hr_hz);

    if (!isnan (beat_rate) && beat_rate / 60.0 >= VITAL_HR_LOW_HZ
        && beat_rate / 60.0 <= VITAL_HR_HIGH_HZ)
      {
        double p_main = vital_spectrum_power_at (spectrum, hr_hz);
        double p_beat = vital_spectrum_power_at (spectrum, beat_rate / 60.0);

        if (fabs (beat_rate - vitals->heart_rate) < 0.05 * vitals->heart_rate
            || p_beat >= 0.3 * p_main)
          {
            vitals->heart_rate = beat_rate;
            hr_hz = beat_rate / 60.0;
          }
      }
  }
  vitals->snr_db = vital_quality_snr (spectrum, hr_hz);
  vitals->periodicity = vital_quality_periodicity (fused, n, rate, hr_hz);
  vitals->stability = vital_quality_stability (fused, n, rate, hr_hz, NULL);
  vitals->skin_fraction = fraction;
  vitals->motion = vital_quality_motion (traces);
  vitals->confidence = vital_quality_confidence (vitals->snr_db, vitals->stability,
                                                 vitals->periodicity, vitals->skin_fraction,
                                                 vitals->motion);
  if (vitals->confidence < VITAL_ENGINE_MIN_CONFIDENCE && !options->report_weak_pulse)
    {
      g_set_error (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_NO_PULSE,
                   "No pulse found: the skin signal is too noisy (SNR %.1f dB). "
                   "Hold still in even light and scan again", vitals->snr_db);
      return NULL;
    }
  if (vitals->snr_db < 0.0)
    vitals->hr_flags |= VITAL_QUALITY_LOW_SNR;
  if (vitals->stability < 0.5)
    vitals->hr_flags |= VITAL_QUALITY_UNSTABLE;

  intensity = g_new0 (double, n);
  intensity_trace (traces, intensity);
  vitals->respiratory_rate = vital_respiration_rate (fused, intensity, n, rate, hr_hz,
                                                     &vitals->rr_flags);
  vitals->hrv_sdnn = vital_hrv_analyze (beat_pulse, n, rate, hr_hz, &vitals->hrv_flags);
  if (!isnan (vitals->hrv_sdnn) && vitals->periodicity < HRV_MIN_PERIODICITY)
    {
      /* Beats too irregular in shape to time: noise jitter would read as variability. */
      vitals->hrv_sdnn = NAN;
      vitals->hrv_flags |= VITAL_QUALITY_LOW_SNR | VITAL_QUALITY_UNAVAILABLE;
    }
  vitals->spo2 = vital_spo2_estimate (traces, fused, weights, hr_hz, vitals->snr_db,
                                      &vitals->spo2_flags);
  vital_bp_estimate (beat_pulse, n, rate, vitals->heart_rate, vitals->snr_db, options->demographics,
                     &vitals->systolic_bp, &vitals->diastolic_bp, &vitals->bp_flags);

  resample_bvp (vitals, fused, n, rate);
  vitals->processing_time_ms = (g_get_monotonic_time () - t0) / 1000.0;
  return g_steal_pointer (&vitals);
}
