/* vital-engine-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine's internal stages (one rPPG method or DSP step per file), shared by the
 * orchestrator, the streaming estimator, the tests and the benchmarks. Not installed.
 */
#pragma once

#include <glib.h>
#include "vital-engine.h"

G_BEGIN_DECLS

/* ---- vital-skin.c: per-frame, per-region skin-pixel colour traces ---------------------- */

typedef struct
{
  guint   n_frames;
  double  frame_rate;
  /* Mean skin colour, index [(region * 3 + colour) * n_frames + frame], 8-bit units. */
  double *rgb;
  /* Fraction of the region's pixels accepted as skin, index [region * n_frames + frame]. */
  double *skin_fraction;
  /* Mean skin fraction per region over the scan. */
  double  region_fraction[VITAL_TENSOR_REGIONS];
  /* TRUE when the region's colour matched the skin locus in most frames. */
  gboolean region_is_skin[VITAL_TENSOR_REGIONS];
} VitalTraces;

VitalTraces *vital_traces_new          (guint          n_frames,
                                        double         frame_rate);
void         vital_traces_free         (VitalTraces   *traces);
VitalTraces *vital_skin_extract        (const VitalTensor *tensor,
                                        GError       **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalTraces, vital_traces_free)

static inline double *
vital_traces_channel (VitalTraces *traces,
                      guint        region,
                      guint        colour)
{
  return traces->rgb + (gsize) (region * 3 + colour) * traces->n_frames;
}

/* ---- vital-filter.c: detrending and zero-phase IIR band-pass --------------------------- */

typedef struct
{
  double b0, b1, b2, a1, a2;
} VitalBiquad;

#define VITAL_FILTER_MAX_SECTIONS 8

typedef struct
{
  VitalBiquad sections[VITAL_FILTER_MAX_SECTIONS];
  guint       n_sections;
} VitalFilter;

void   vital_filter_butter_bandpass (VitalFilter  *filter,
                                     guint         order,
                                     double        low_hz,
                                     double        high_hz,
                                     double        rate);
void   vital_filter_butter_lowpass  (VitalFilter  *filter,
                                     guint         order,
                                     double        cutoff_hz,
                                     double        rate);
void   vital_filter_butter_highpass (VitalFilter  *filter,
                                     guint         order,
                                     double        cutoff_hz,
                                     double        rate);
void   vital_filter_apply           (const VitalFilter *filter,
                                     double       *x,
                                     guint         n);
void   vital_filter_filtfilt        (const VitalFilter *filter,
                                     double       *x,
                                     guint         n);
double vital_filter_gain            (const VitalFilter *filter,
                                     double        freq_hz,
                                     double        rate);
void   vital_filter_detrend         (double       *x,
                                     guint         n,
                                     double        lambda);
void   vital_filter_remove_mean     (double       *x,
                                     guint         n);
double vital_filter_std             (const double *x,
                                     guint         n);
void   vital_filter_normalise       (double       *x,
                                     guint         n);

/* ---- vital-pos.c / vital-chrom.c / vital-green.c: RGB traces -> pulse ------------------ */

/* Each writes n samples of a pulse signal, positive with blood volume, from mean skin colour
 * traces r, g, b (any positive units). */
void vital_pos_pulse   (const double *r,
                        const double *g,
                        const double *b,
                        guint         n,
                        double        rate,
                        double       *out);
void vital_chrom_pulse (const double *r,
                        const double *g,
                        const double *b,
                        guint         n,
                        double        rate,
                        double       *out);
void vital_green_pulse (const double *r,
                        const double *g,
                        const double *b,
                        guint         n,
                        double        rate,
                        double       *out);

/* ---- vital-spectrum.c: power spectra with libgstfft ------------------------------------ */

typedef struct
{
  double *power;   /* one-sided power spectral density (arbitrary units) */
  guint   n_bins;
  double  bin_hz;  /* frequency step between bins */
} VitalSpectrum;

VitalSpectrum *vital_spectrum_welch      (const double *x,
                                          guint         n,
                                          double        rate,
                                          guint         segment,
                                          double        min_resolution_hz);
void           vital_spectrum_free       (VitalSpectrum *spectrum);
double         vital_spectrum_peak       (const VitalSpectrum *spectrum,
                                          double        low_hz,
                                          double        high_hz,
                                          double       *out_power);
double         vital_spectrum_band_power (const VitalSpectrum *spectrum,
                                          double        low_hz,
                                          double        high_hz);
double         vital_spectrum_power_at   (const VitalSpectrum *spectrum,
                                          double        freq_hz);
double         vital_spectrum_heart_rate (const VitalSpectrum *spectrum,
                                          double        low_hz,
                                          double        high_hz);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalSpectrum, vital_spectrum_free)

/* ---- vital-quality.c: SNR, stability, periodicity and confidence ----------------------- */

double vital_quality_snr          (const VitalSpectrum *spectrum,
                                   double        hr_hz);
double vital_quality_periodicity  (const double *pulse,
                                   guint         n,
                                   double        rate,
                                   double        hr_hz);
double vital_quality_stability    (const double *pulse,
                                   guint         n,
                                   double        rate,
                                   double        hr_hz,
                                   double       *out_track_sd_bpm);
double vital_quality_motion       (VitalTraces  *traces);
double vital_quality_confidence   (double        snr_db,
                                   double        stability,
                                   double        periodicity,
                                   double        skin_fraction,
                                   double        motion);

/* ---- vital-hrv.c: beats, inter-beat intervals, SDNN ------------------------------------ */

double *vital_hrv_find_beats (const double *pulse,
                              guint         n,
                              double        rate,
                              double        hr_hz,
                              guint        *out_n_beats);
double *vital_hrv_clean_ibis (const double *beats,
                              guint         n_beats,
                              guint        *out_n_ibis);
double  vital_hrv_sdnn       (const double *ibis,
                              guint         n);
double  vital_hrv_mean_rate  (const double *pulse,
                              guint         n,
                              double        rate,
                              double        hr_hz);
double  vital_hrv_analyze    (const double *pulse,
                              guint         n,
                              double        rate,
                              double        hr_hz,
                              VitalQualityFlags *out_flags);

/* ---- vital-respiration.c --------------------------------------------------------------- */

double vital_respiration_rate (const double *pulse,
                               const double *intensity,
                               guint         n,
                               double        rate,
                               double        hr_hz,
                               VitalQualityFlags *out_flags);

/* ---- vital-spo2.c / vital-bp.c: experimental ------------------------------------------- */

double vital_spo2_estimate (VitalTraces  *traces,
                            const double *pulse,
                            const double *region_weight,
                            double        hr_hz,
                            double        snr_db,
                            VitalQualityFlags *out_flags);
void   vital_bp_estimate   (const double *pulse,
                            guint         n,
                            double        rate,
                            double        hr_bpm,
                            double        snr_db,
                            const VitalDemographics *demographics,
                            double       *out_systolic,
                            double       *out_diastolic,
                            VitalQualityFlags *out_flags);

/* ---- shared band limits (docs/algorithms.md) ------------------------------------------- */

#define VITAL_HR_LOW_HZ    0.70  /* 42 bpm */
#define VITAL_HR_HIGH_HZ   3.50  /* 210 bpm */
#define VITAL_PULSE_LOW_HZ 0.60  /* band-pass edges, a little outside the search band */
#define VITAL_PULSE_HIGH_HZ 4.00

G_END_DECLS
