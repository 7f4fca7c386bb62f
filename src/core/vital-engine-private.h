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

/* ---- vital-skin.c: per-frame skin colour traces of every region and patch -------------- */

/* Each 72 x 72 region is cut into a grid of square patches; pulses are extracted per patch and
 * fused by their measured quality (docs/algorithms.md, "Patches"). */
#define VITAL_SKIN_GRID               6
#define VITAL_SKIN_PATCH_SIZE         (VITAL_TENSOR_WIDTH / VITAL_SKIN_GRID)
#define VITAL_SKIN_PATCHES_PER_REGION (VITAL_SKIN_GRID * VITAL_SKIN_GRID)
#define VITAL_SKIN_PATCHES            (VITAL_TENSOR_REGIONS * VITAL_SKIN_PATCHES_PER_REGION)

/* Why a scan holds no usable skin (the seed of the skin model). */
typedef enum
{
  VITAL_SKIN_OK,
  VITAL_SKIN_TOO_DARK,
  VITAL_SKIN_OVEREXPOSED,
  VITAL_SKIN_NOT_SKIN,
} VitalSkinVerdict;

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
  /* TRUE when at least half the region's frames held skin. */
  gboolean region_is_skin[VITAL_TENSOR_REGIONS];
  /* The same per patch: [(patch * 3 + colour) * n_frames + frame] and
   * [patch * n_frames + frame]; patch = region * 36 + row * 6 + column. */
  double *patch_rgb;
  double *patch_fraction;
  /* TRUE when the patch is on average at least half skin and held skin in most frames. */
  gboolean patch_usable[VITAL_SKIN_PATCHES];
  /* Brightness steps taken out (vital_traces_remove_steps()): their frames. */
  guint   *steps;
  guint    n_steps;
  /* The lit pixels that are surely not skin (background, hair, eyes: chroma outside twice the
   * skin model's tolerance): per region and frame, the sum
   * of their R+G+B and their count, [region * n_frames + frame]. The light, without the
   * pulse: the reference that cancels flicker (vital_traces_illumination()). */
  double  *other_sum;
  double  *other_count;
} VitalTraces;

VitalTraces *vital_traces_new          (guint          n_frames,
                                        double         frame_rate);
void         vital_traces_free         (VitalTraces   *traces);
VitalTraces *vital_skin_extract        (const VitalTensor *tensor,
                                        GError       **error);
guint        vital_traces_remove_steps (VitalTraces   *traces);
gboolean     vital_traces_illumination (VitalTraces   *traces,
                                        double        *out);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalTraces, vital_traces_free)

static inline double *
vital_traces_channel (VitalTraces *traces,
                      guint        region,
                      guint        colour)
{
  return traces->rgb + (gsize) (region * 3 + colour) * traces->n_frames;
}

static inline double *
vital_traces_patch_channel (VitalTraces *traces,
                            guint        patch,
                            guint        colour)
{
  return traces->patch_rgb + (gsize) (patch * 3 + colour) * traces->n_frames;
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
void   vital_filter_cancel          (double       *x,
                                     const double *reference,
                                     guint         n,
                                     guint         window);

/* ---- vital-pos.c / vital-chrom.c / vital-green.c: RGB traces -> pulse ------------------ */

/* A pulse extractor: writes n samples of a pulse signal, positive with blood volume, from mean
 * skin colour traces r, g, b (any positive units). */
typedef void VitalPulseFunc (const double *r,
                             const double *g,
                             const double *b,
                             guint         n,
                             double        rate,
                             double       *out);

VitalPulseFunc vital_pos_pulse;
VitalPulseFunc vital_chrom_pulse;
VitalPulseFunc vital_green_pulse;

/* ---- vital-fusion.c: patch pulses fused by quality ------------------------------------ */

/* Per region, the patch pulses summed with inverse in-band power weights (not band-passed). */
typedef struct
{
  guint            n;
  double           rate;
  VitalPulseMethod method;
  double          *chroma;   /* [region * n + i] */
  double          *green;    /* [region * n + i] */
  double           weight[VITAL_TENSOR_REGIONS];
  guint            n_patches[VITAL_TENSOR_REGIONS];
  double          *light;    /* the light's change, HR band (vital_traces_illumination()), or
                              * NULL when the regions hold too little that is not skin */
} VitalRegionPulses;

typedef struct
{
  guint   n;
  double  rate;
  guint   regions;  /* bit set of the regions fused */
  double *chroma;   /* the chrominance method's fused pulse, HR band, unit variance */
  double *green;    /* GREEN's fused pulse, HR band, unit variance */
  double *beat;     /* the chrominance pulse on the 0.5-8 Hz beat band, unit variance */
  double  region_weight[VITAL_TENSOR_REGIONS]; /* each region's share of the fusion weight */
  guint   n_patches;
} VitalPulses;

#define VITAL_REGIONS_FACE (1u << 0)
#define VITAL_REGIONS_ALL  ((1u << VITAL_TENSOR_REGIONS) - 1)

VitalRegionPulses *vital_region_pulses_new  (VitalTraces             *traces,
                                             VitalPulseMethod         method);
void               vital_region_pulses_free (VitalRegionPulses       *rp);
VitalPulses       *vital_pulses_combine     (const VitalRegionPulses *rp,
                                             guint                    regions);
void               vital_pulses_free        (VitalPulses             *pulses);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalRegionPulses, vital_region_pulses_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalPulses, vital_pulses_free)

/* ---- vital-track.c: heart-rate evidence over time and its most likely track ------------ */

typedef struct
{
  double  rate;
  guint   n;          /* samples of the signals */
  guint   window;     /* samples per window */
  guint   hop;        /* samples between windows */
  guint   n_windows;
  gint    nfft;
  double  bin_bpm;    /* bpm between evidence bins */
  guint   first_bin;  /* FFT bin of evidence bin 0 */
  guint   n_bins;
  double *evidence;   /* [window * n_bins + bin], each window's pooled normalised power */
} VitalSpectrogram;

VitalSpectrogram *vital_spectrogram_new          (guint                   n,
                                                  double                  rate,
                                                  double                  window_s,
                                                  double                  hop_s);
void              vital_spectrogram_free         (VitalSpectrogram       *s);
void              vital_spectrogram_add          (VitalSpectrogram       *s,
                                                  const double           *x,
                                                  double                  weight);
guint             vital_spectrogram_window_start (const VitalSpectrogram *s,
                                                  guint                   w);
double            vital_spectrogram_bpm          (const VitalSpectrogram *s,
                                                  double                  bin);
double           *vital_spectrogram_track        (const VitalSpectrogram *s,
                                                  double                  sigma_bpm,
                                                  const double           *exclude,
                                                  double                  exclude_bpm);
void              vital_spectrogram_suppress     (VitalSpectrogram       *s,
                                                  const VitalSpectrogram *motion,
                                                  double                  strength);
double            vital_spectrogram_share        (const VitalSpectrogram *s,
                                                  const double           *track,
                                                  double                  tolerance_bpm);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalSpectrogram, vital_spectrogram_free)

typedef struct _VitalHrTracker VitalHrTracker;

VitalHrTracker   *vital_hr_tracker_new           (double                  sigma_bpm);
void              vital_hr_tracker_free          (VitalHrTracker         *self);
void              vital_hr_tracker_reset         (VitalHrTracker         *self);
gboolean          vital_hr_tracker_update        (VitalHrTracker         *self,
                                                  const VitalSpectrogram *s,
                                                  double                 *out_bpm,
                                                  double                 *out_share);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalHrTracker, vital_hr_tracker_free)

/* ---- vital-motion.c: the head's motion as the tensor shows it ------------------------- */

void vital_motion_centroid (VitalTraces *traces,
                            guint        region,
                            double      *out_x,
                            double      *out_y);

/* ---- vital-engine.c: the stages shared by the whole-scan analysis and the live view ---- */

typedef struct
{
  VitalTraces      *traces;
  VitalPulses      *pulses;     /* of the chosen regions */
  VitalSpectrogram *evidence;   /* pooled over the chrominance method and GREEN */
  double           *track;      /* the heart rate of each window, bpm */
  double            share;      /* vital_spectrogram_share() of the track */
  double            margin;     /* the share over the runner-up's (10 bpm away) */
  double            significance; /* vital_quality_evidence() of both */
  double            motion_share; /* how much of the motion and light evidence is on the track */
} VitalEvidence;

VitalEvidence *vital_engine_evidence      (const VitalTensor *tensor,
                                           VitalPulseMethod   method,
                                           guint              regions,
                                           GError           **error);
void           vital_evidence_free        (VitalEvidence     *evidence);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalEvidence, vital_evidence_free)

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

/* The smallest length >= @n (and >= 2) that is even and fast for gst_fft_f64 (a real FFT needs
 * an even length). */
gint           vital_spectrum_fft_length (gint          n);

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
double vital_quality_evidence     (double        track_share,
                                   double        track_margin,
                                   double        seconds);
double vital_quality_confidence   (double        significance,
                                   double        skin_fraction,
                                   double        motion,
                                   double        motion_share);

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
                              double        periodicity,
                              double       *out_quality,
                              VitalQualityFlags *out_flags);

/* ---- vital-respiration.c --------------------------------------------------------------- */

double vital_respiration_rate (const double *pulse,
                               const double *intensity,
                               guint         n,
                               double        rate,
                               double        hr_hz,
                               double        hr_confidence,
                               double       *out_quality,
                               VitalQualityFlags *out_flags);

/* ---- vital-spo2.c / vital-bp.c: experimental ------------------------------------------- */

double vital_spo2_estimate (VitalTraces  *traces,
                            const double *pulse,
                            const double *region_weight,
                            double        hr_hz,
                            double        hr_confidence,
                            double       *out_quality,
                            VitalQualityFlags *out_flags);
void   vital_bp_estimate   (const double *pulse,
                            guint         n,
                            double        rate,
                            double        hr_bpm,
                            double        periodicity,
                            const VitalDemographics *demographics,
                            double       *out_systolic,
                            double       *out_diastolic,
                            double       *out_quality,
                            VitalQualityFlags *out_flags);

/* ---- shared band limits (docs/algorithms.md) ------------------------------------------- */

#define VITAL_HR_LOW_HZ    0.70  /* 42 bpm */
#define VITAL_HR_HIGH_HZ   3.50  /* 210 bpm */
#define VITAL_PULSE_LOW_HZ 0.60  /* band-pass edges, a little outside the search band */
#define VITAL_PULSE_HIGH_HZ 4.00

/* Heart-rate tracking (docs/algorithms.md, "Heart-rate track"). */
#define VITAL_TRACK_WINDOW_S       10.0 /* evidence windows, as the rPPG-Toolbox's HR windows */
#define VITAL_TRACK_HOP_S          1.0
#define VITAL_TRACK_SIGMA_BPM      3.0  /* SD of the rate's change per hop */
#define VITAL_TRACK_TOLERANCE_BPM  3.0  /* "on the track" */
#define VITAL_TRACK_RUNNER_UP_BPM  10.0 /* the runner-up track keeps this far away */

G_END_DECLS
