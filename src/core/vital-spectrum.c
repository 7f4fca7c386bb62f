/* vital-spectrum.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Power spectra (Welch / zero-padded periodogram on GStreamer's libgstfft), peak picking with
 * quadratic interpolation and the heart-rate harmonic check.
 */
#include "vital-engine-private.h"

#include <gst/fft/gstfftf64.h>
#include <math.h>
#include <string.h>

/**
 * vital_spectrum_fft_length:
 * @n: the samples to transform
 *
 * Returns: the smallest length >= @n (and >= 2) that is even and fast for gst_fft_f64, whose
 *   real FFT needs an even length
 */
gint
vital_spectrum_fft_length (gint n)
{
  gint len = gst_fft_next_fast_length (MAX (n, 2));

  while (len % 2 != 0)
    len = gst_fft_next_fast_length (len + 1);
  return len;
}

/**
 * vital_spectrum_welch:
 * @x: (array length=n): the signal
 * @n: number of samples (at least 4)
 * @rate: sampling rate in Hz
 * @segment: Welch segment length in samples; 0 or >= @n for a single whole-signal periodogram
 * @min_resolution_hz: each segment is zero-padded until the bin spacing is at most this
 *
 * Welch's averaged periodogram (Welch 1967): Hann-windowed segments with 50 % overlap, each
 * zero-padded to a fast FFT length and transformed with gst_fft_f64_fft(). The mean of each
 * segment is removed first.
 *
 * Returns: (transfer full) (nullable): the one-sided spectrum, or %NULL if @n < 4.
 */
VitalSpectrum *
vital_spectrum_welch (const double *x,
                      guint         n,
                      double        rate,
                      guint         segment,
                      double        min_resolution_hz)
{
  VitalSpectrum *spectrum;
  GstFFTF64 *fft, *win_fft;
  GstFFTF64Complex *freq;
  g_autofree double *window = NULL;
  g_autofree double *buf = NULL;
  double win_power = 0.0;
  guint hop, n_segments = 0;
  gint nfft;

  if (n < 4 || rate <= 0.0)
    return NULL;

  if (segment == 0 || segment > n)
    segment = n;
  segment &= ~1u; /* libgstfft wants even lengths; drop at most one sample */
  hop = MAX (1u, segment / 2);

  nfft = (gint) segment;
  if (min_resolution_hz > 0.0)
    nfft = MAX (nfft, (gint) ceil (rate / min_resolution_hz));
  nfft = vital_spectrum_fft_length (nfft);

  /* The Hann window over the segment only (the zero padding stays unwindowed zeros). */
  window = g_new (double, segment);
  for (guint i = 0; i < segment; i++)
    window[i] = 1.0;
  win_fft = gst_fft_f64_new ((gint) segment, FALSE);
  gst_fft_f64_window (win_fft, window, GST_FFT_WINDOW_HANN);
  gst_fft_f64_free (win_fft);
  for (guint i = 0; i < segment; i++)
    win_power += window[i] * window[i];

  fft = gst_fft_f64_new (nfft, FALSE);
  freq = g_new (GstFFTF64Complex, nfft / 2 + 1);
  buf = g_new (double, nfft);

  spectrum = g_new0 (VitalSpectrum, 1);
  spectrum->n_bins = (guint) nfft / 2 + 1;
  spectrum->bin_hz = rate / nfft;
  spectrum->power = g_new0 (double, spectrum->n_bins);

  for (guint start = 0; start + segment <= n; start += hop)
    {
      double mean = 0.0;

      for (guint i = 0; i < segment; i++)
        mean += x[start + i];
      mean /= segment;
      for (guint i = 0; i < segment; i++)
        buf[i] = (x[start + i] - mean) * window[i];
      memset (buf + segment, 0, (nfft - segment) * sizeof (double));

      gst_fft_f64_fft (fft, buf, freq);
      for (guint k = 0; k < spectrum->n_bins; k++)
        {
          double p = freq[k].r * freq[k].r + freq[k].i * freq[k].i;
          if (k != 0 && k != spectrum->n_bins - 1)
            p *= 2.0;
          spectrum->power[k] += p / (rate * win_power);
        }
      n_segments++;
      if (segment == n)
        break;
    }

  for (guint k = 0; k < spectrum->n_bins; k++)
    spectrum->power[k] /= MAX (1u, n_segments);

  g_free (freq);
  gst_fft_f64_free (fft);
  return spectrum;
}

/**
 * vital_spectrum_free:
 * @spectrum: (transfer full) (nullable): a spectrum
 *
 * Frees @spectrum.
 */
void
vital_spectrum_free (VitalSpectrum *spectrum)
{
  if (spectrum == NULL)
    return;
  g_free (spectrum->power);
  g_free (spectrum);
}

static guint
bin_of (const VitalSpectrum *spectrum,
        double               freq_hz)
{
  double b = round (freq_hz / spectrum->bin_hz);

  if (b < 0.0)
    return 0;
  if (b > spectrum->n_bins - 1)
    return spectrum->n_bins - 1;
  return (guint) b;
}

/* Quadratic interpolation of the log power around bin k (Smith & Serra 1987; J. O. Smith,
 * "Spectral Audio Signal Processing", quadratic interpolation of spectral peaks). */
static double
interpolate_peak (const VitalSpectrum *spectrum,
                  guint                k)
{
  double a, b, c, denom, p;

  if (k == 0 || k + 1 >= spectrum->n_bins)
    return k * spectrum->bin_hz;
  a = log (spectrum->power[k - 1] + 1e-300);
  b = log (spectrum->power[k] + 1e-300);
  c = log (spectrum->power[k + 1] + 1e-300);
  denom = a - 2.0 * b + c;
  p = denom < 0.0 ? 0.5 * (a - c) / denom : 0.0;
  p = CLAMP (p, -0.5, 0.5);
  return (k + p) * spectrum->bin_hz;
}

static guint
max_bin (const VitalSpectrum *spectrum,
         double               low_hz,
         double               high_hz)
{
  guint lo = bin_of (spectrum, low_hz), hi = bin_of (spectrum, high_hz);
  guint best = lo;

  for (guint k = lo; k <= hi; k++)
    if (spectrum->power[k] > spectrum->power[best])
      best = k;
  return best;
}

/**
 * vital_spectrum_peak:
 * @spectrum: a spectrum
 * @low_hz: lower edge of the search band
 * @high_hz: upper edge of the search band
 * @out_power: (out) (optional): power of the peak bin
 *
 * Returns: the frequency of the highest bin in the band, refined between bins by quadratic
 *   interpolation of the log power.
 */
double
vital_spectrum_peak (const VitalSpectrum *spectrum,
                     double               low_hz,
                     double               high_hz,
                     double              *out_power)
{
  guint k = max_bin (spectrum, low_hz, high_hz);

  if (out_power != NULL)
    *out_power = spectrum->power[k];
  return interpolate_peak (spectrum, k);
}

/**
 * vital_spectrum_band_power:
 * @spectrum: a spectrum
 * @low_hz: lower edge
 * @high_hz: upper edge
 *
 * Returns: the summed power of the bins in [@low_hz, @high_hz].
 */
double
vital_spectrum_band_power (const VitalSpectrum *spectrum,
                           double               low_hz,
                           double               high_hz)
{
  guint lo = bin_of (spectrum, MAX (0.0, low_hz)), hi = bin_of (spectrum, high_hz);
  double sum = 0.0;

  for (guint k = lo; k <= hi; k++)
    sum += spectrum->power[k];
  return sum;
}

/**
 * vital_spectrum_power_at:
 * @spectrum: a spectrum
 * @freq_hz: a frequency
 *
 * Returns: the power at @freq_hz, linearly interpolated between bins.
 */
double
vital_spectrum_power_at (const VitalSpectrum *spectrum,
                         double               freq_hz)
{
  double pos = freq_hz / spectrum->bin_hz;
  guint k;
  double t;

  if (pos <= 0.0)
    return spectrum->power[0];
  if (pos >= spectrum->n_bins - 1)
    return spectrum->power[spectrum->n_bins - 1];
  k = (guint) pos;
  t = pos - k;
  return spectrum->power[k] * (1.0 - t) + spectrum->power[k + 1] * t;
}

/* The strongest bin within +-width of freq_hz. */
static guint
local_max (const VitalSpectrum *spectrum,
           double               freq_hz,
           double               width_hz)
{
  return max_bin (spectrum, MAX (0.0, freq_hz - width_hz), freq_hz + width_hz);
}

/**
 * vital_spectrum_heart_rate:
 * @spectrum: spectrum of a pulse signal
 * @low_hz: lowest plausible heart rate
 * @high_hz: highest plausible heart rate
 *
 * Picks the pulse fundamental: the highest peak in the band, then a harmonic check in the
 * spirit of subharmonic summation (Hermes 1988). Candidates at half and double the peak are
 * scored by P(f) + P(2f) / 2; a candidate must itself be a local peak holding at least half the
 * main peak's power to replace it. This undoes the usual double-rate error on pulses with a
 * strong dicrotic notch (second harmonic) and the half-rate error on alternating beats.
 *
 * Returns: the fundamental in Hz.
 */
double
vital_spectrum_heart_rate (const VitalSpectrum *spectrum,
                           double               low_hz,
                           double               high_hz)
{
  guint main_bin = max_bin (spectrum, low_hz, high_hz);
  double f1 = main_bin * spectrum->bin_hz;
  double p1 = spectrum->power[main_bin];
  double width = MAX (0.08, 2.0 * spectrum->bin_hz);
  guint best = main_bin;
  double best_score = p1 + 0.5 * vital_spectrum_power_at (spectrum, 2.0 * f1);
  double cands[2] = { f1 / 2.0, f1 * 2.0 };

  for (guint c = 0; c < G_N_ELEMENTS (cands); c++)
    {
      guint k;
      double fk, pk, score;

      if (cands[c] < low_hz || cands[c] > high_hz)
        continue;
      k = local_max (spectrum, cands[c], width);
      fk = k * spectrum->bin_hz;
      pk = spectrum->power[k];
      /* Must be a true local maximum, not the shoulder of the window. */
      if (k == 0 || k + 1 >= spectrum->n_bins
          || pk < spectrum->power[k - 1] || pk < spectrum->power[k + 1])
        continue;
      if (pk < 0.5 * p1 || fk < low_hz || fk > high_hz)
        continue;
      score = pk + 0.5 * vital_spectrum_power_at (spectrum, 2.0 * fk);
      if (score > best_score)
        {
          best_score = score;
          best = k;
        }
    }
  return interpolate_peak (spectrum, best);
}
