/* vital-track.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Heart-rate tracking: a spectrogram of the pulse as per-window evidence over heart rates,
 * pooled over pulse methods, and the most likely heart-rate track through it (Viterbi for a
 * whole scan, a forward filter for the live view).
 */
#include "vital-engine-private.h"

#include <gst/fft/gstfftf64.h>
#include <math.h>
#include <string.h>

#define TRACK_RESOLUTION_BPM 0.5   /* evidence bins at most this far apart */
#define TRACK_FLOOR          1e-3  /* share of each window's evidence spread over every bin */
#define TRACK_SPAN_SIGMAS    4.0   /* transitions beyond this many sigmas are impossible */

/**
 * vital_spectrogram_new:
 * @n: samples of the signals that will be added
 * @rate: their sampling rate in Hz
 * @window_s: window length in seconds (shortened to the signal when longer)
 * @hop_s: hop between windows in seconds
 *
 * An empty spectrogram over heart rates %VITAL_HR_LOW_HZ - %VITAL_HR_HIGH_HZ. Windows are laid
 * out from the end of the signal backwards, so the last window always ends with the last
 * sample (the newest, in the live view).
 *
 * Returns: (transfer full): the spectrogram, free with vital_spectrogram_free()
 */
VitalSpectrogram *
vital_spectrogram_new (guint  n,
                       double rate,
                       double window_s,
                       double hop_s)
{
  VitalSpectrogram *s = g_new0 (VitalSpectrogram, 1);
  guint hop = MAX (1u, (guint) lround (hop_s * rate));
  guint first_bin, last_bin;

  s->rate = rate;
  s->n = n;
  s->window = MIN (n, (guint) lround (window_s * rate)) & ~1u;
  s->hop = hop;
  s->n_windows = s->window >= 4 ? (n - s->window) / hop + 1 : 0;
  s->nfft = vital_spectrum_fft_length (MAX ((gint) s->window,
                                   (gint) ceil (rate * 60.0 / TRACK_RESOLUTION_BPM)));
  s->bin_bpm = 60.0 * rate / s->nfft;
  first_bin = (guint) ceil (VITAL_HR_LOW_HZ * 60.0 / s->bin_bpm);
  last_bin = (guint) floor (VITAL_HR_HIGH_HZ * 60.0 / s->bin_bpm);
  s->first_bin = first_bin;
  s->n_bins = last_bin >= first_bin ? last_bin - first_bin + 1 : 0;
  s->evidence = g_new0 (double, (gsize) MAX (1u, s->n_windows) * MAX (1u, s->n_bins));
  return s;
}

/**
 * vital_spectrogram_free:
 * @s: (transfer full) (nullable): a spectrogram
 */
void
vital_spectrogram_free (VitalSpectrogram *s)
{
  if (s == NULL)
    return;
  g_free (s->evidence);
  g_free (s);
}

/**
 * vital_spectrogram_window_start:
 * @s: a spectrogram
 * @w: a window index, 0 the oldest
 *
 * Returns: the index of the first sample of window @w
 */
guint
vital_spectrogram_window_start (const VitalSpectrogram *s,
                                guint                   w)
{
  return s->n - s->window - (s->n_windows - 1 - w) * s->hop;
}

/**
 * vital_spectrogram_add:
 * @s: a spectrogram
 * @x: (array length=s->n): a pulse signal
 * @weight: how much this signal counts
 *
 * Adds @weight times the normalised power spectrum of every window of @x (Hann window, zero
 * padded; each window's power in the heart-rate band sums to @weight): windows where the
 * signal is strong and where it is weak count the same, so one loud motion burst cannot
 * outvote a steady pulse. Pooling several pulse methods is adding each.
 */
void
vital_spectrogram_add (VitalSpectrogram *s,
                       const double     *x,
                       double            weight)
{
  GstFFTF64 *fft;
  GstFFTF64Complex *freq;
  g_autofree double *window = NULL;
  g_autofree double *buf = NULL;

  if (s->n_windows == 0 || s->n_bins == 0)
    return;

  window = g_new (double, s->window);
  for (guint i = 0; i < s->window; i++)
    window[i] = 1.0;
  fft = gst_fft_f64_new ((gint) s->window, FALSE);
  gst_fft_f64_window (fft, window, GST_FFT_WINDOW_HANN);
  gst_fft_f64_free (fft);

  fft = gst_fft_f64_new (s->nfft, FALSE);
  freq = g_new (GstFFTF64Complex, s->nfft / 2 + 1);
  buf = g_new0 (double, s->nfft);
  for (guint w = 0; w < s->n_windows; w++)
    {
      const double *seg = x + vital_spectrogram_window_start (s, w);
      double *row = s->evidence + (gsize) w * s->n_bins;
      double mean = 0.0, total = 0.0;

      for (guint i = 0; i < s->window; i++)
        mean += seg[i];
      mean /= s->window;
      memset (buf, 0, s->nfft * sizeof (double));
      for (guint i = 0; i < s->window; i++)
        buf[i] = (seg[i] - mean) * window[i];
      gst_fft_f64_fft (fft, buf, freq);
      for (guint k = 0; k < s->n_bins; k++)
        {
          const GstFFTF64Complex *c = &freq[s->first_bin + k];

          total += c->r * c->r + c->i * c->i;
        }
      if (!(total > 0.0))
        continue;
      for (guint k = 0; k < s->n_bins; k++)
        {
          const GstFFTF64Complex *c = &freq[s->first_bin + k];

          row[k] += weight * (c->r * c->r + c->i * c->i) / total;
        }
    }
  gst_fft_f64_free (fft);
  g_free (freq);
}

/**
 * vital_spectrogram_bpm:
 * @s: a spectrogram
 * @bin: an evidence bin
 *
 * Returns: the heart rate of @bin in beats per minute
 */
double
vital_spectrogram_bpm (const VitalSpectrogram *s,
                       double                  bin)
{
  return (s->first_bin + bin) * s->bin_bpm;
}

/* Log-likelihood of each bin of window @w, with a floor so that one empty window does not
 * forbid any rate. */
static void
emission (const VitalSpectrogram *s,
          guint                   w,
          const double           *exclude,
          double                  exclude_bpm,
          double                 *out)
{
  const double *row = s->evidence + (gsize) w * s->n_bins;
  double total = 0.0;

  for (guint k = 0; k < s->n_bins; k++)
    total += row[k];
  for (guint k = 0; k < s->n_bins; k++)
    {
      double e = total > 0.0 ? row[k] / total : 0.0;

      if (exclude != NULL && fabs (vital_spectrogram_bpm (s, k) - exclude[w]) <= exclude_bpm)
        e = 0.0;
      out[k] = log (e + TRACK_FLOOR / s->n_bins);
    }
}

/**
 * vital_spectrogram_track:
 * @s: a spectrogram
 * @sigma_bpm: standard deviation of the heart rate's change from one window to the next
 * @exclude: (nullable) (array length=s->n_windows): a track to stay away from, or %NULL
 * @exclude_bpm: how far to stay away from @exclude
 *
 * The most likely heart-rate path through the windows (Viterbi): each window's normalised
 * evidence is its likelihood, and the rate moves between windows by a Gaussian step of
 * @sigma_bpm. With @exclude, the best path at least @exclude_bpm away from that track (the
 * runner-up, for the confidence).
 *
 * Returns: (transfer full) (array length=s->n_windows) (nullable): the rate of each window in
 *   bpm, or %NULL when the spectrogram has no window
 */
double *
vital_spectrogram_track (const VitalSpectrogram *s,
                         double                  sigma_bpm,
                         const double           *exclude,
                         double                  exclude_bpm)
{
  guint K = s->n_bins, W = s->n_windows;
  gint span = (gint) ceil (TRACK_SPAN_SIGMAS * sigma_bpm / s->bin_bpm);
  g_autofree double *score = NULL;
  g_autofree double *next = NULL;
  g_autofree double *e = NULL;
  g_autofree guint *back = NULL;
  g_autofree double *step = NULL;
  double *track;
  guint best = 0;

  if (W == 0 || K == 0)
    return NULL;

  score = g_new (double, K);
  next = g_new (double, K);
  e = g_new (double, K);
  back = g_new0 (guint, (gsize) W * K);
  step = g_new (double, 2 * span + 1);
  for (gint d = -span; d <= span; d++)
    {
      double z = d * s->bin_bpm / sigma_bpm;

      step[d + span] = -0.5 * z * z;
    }

  emission (s, 0, exclude, exclude_bpm, score);
  for (guint w = 1; w < W; w++)
    {
      emission (s, w, exclude, exclude_bpm, e);
      for (guint k = 0; k < K; k++)
        {
          gint lo = MAX (0, (gint) k - span), hi = MIN ((gint) K - 1, (gint) k + span);
          double top = -G_MAXDOUBLE;
          guint arg = k;

          for (gint j = lo; j <= hi; j++)
            {
              double v = score[j] + step[j - (gint) k + span];

              if (v > top)
                {
                  top = v;
                  arg = (guint) j;
                }
            }
          next[k] = top + e[k];
          back[(gsize) w * K + k] = arg;
        }
      memcpy (score, next, K * sizeof (double));
    }

  for (guint k = 1; k < K; k++)
    if (score[k] > score[best])
      best = k;
  track = g_new (double, W);
  for (guint w = W; w-- > 0;)
    {
      track[w] = vital_spectrogram_bpm (s, best);
      if (w > 0)
        best = back[(gsize) w * K + best];
    }
  return track;
}

/**
 * vital_spectrogram_suppress:
 * @s: pulse evidence
 * @motion: motion evidence with the same layout
 * @strength: how hard a rate the head moves at is discounted
 *
 * Discounts the pulse evidence at the rates where the head moves: each bin is divided by
 * 1 + @strength x (the motion evidence's share there relative to a flat share). Flat motion
 * evidence scales every bin alike and so changes nothing; a head nodding at 50 per minute
 * takes 50 bpm out of the running.
 */
void
vital_spectrogram_suppress (VitalSpectrogram       *s,
                            const VitalSpectrogram *motion,
                            double                  strength)
{
  g_return_if_fail (s->n_windows == motion->n_windows && s->n_bins == motion->n_bins);

  for (guint w = 0; w < s->n_windows; w++)
    {
      double *row = s->evidence + (gsize) w * s->n_bins;
      const double *m = motion->evidence + (gsize) w * s->n_bins;
      double total = 0.0;

      for (guint k = 0; k < s->n_bins; k++)
        total += m[k];
      if (!(total > 0.0))
        continue;
      for (guint k = 0; k < s->n_bins; k++)
        row[k] /= 1.0 + strength * s->n_bins * m[k] / total;
    }
}

/**
 * vital_spectrogram_share:
 * @s: a spectrogram
 * @track: (array length=s->n_windows): a heart rate per window
 * @tolerance_bpm: half-width of the band around the track
 *
 * Returns: the mean share of each window's evidence within @tolerance_bpm of @track: about
 *   2 x @tolerance_bpm / 168 bpm for noise, 1 for a pure pulse on the track
 */
double
vital_spectrogram_share (const VitalSpectrogram *s,
                         const double           *track,
                         double                  tolerance_bpm)
{
  double share = 0.0;

  if (s->n_windows == 0)
    return 0.0;
  for (guint w = 0; w < s->n_windows; w++)
    {
      const double *row = s->evidence + (gsize) w * s->n_bins;
      double total = 0.0, near = 0.0;

      for (guint k = 0; k < s->n_bins; k++)
        {
          total += row[k];
          if (fabs (vital_spectrogram_bpm (s, k) - track[w]) <= tolerance_bpm)
            near += row[k];
        }
      share += total > 0.0 ? near / total : 0.0;
    }
  return share / s->n_windows;
}

/* ---- the causal tracker of the live view ---------------------------------------------- */

struct _VitalHrTracker
{
  double  sigma_bpm;
  guint   n_bins;
  double  bin_bpm;
  guint   first_bin;
  double *belief;   /* posterior over the bins, sums to 1; NULL before the first window */
  double *scratch;
};

/**
 * vital_hr_tracker_new:
 * @sigma_bpm: standard deviation of the heart rate's change from one update to the next
 *
 * A forward filter over heart rates: each update moves the belief by a Gaussian step, then
 * weighs it by the newest window's evidence. The same model as vital_spectrogram_track(),
 * causal (it never revises the past), for the live view.
 *
 * Returns: (transfer full): a tracker, free with vital_hr_tracker_free()
 */
VitalHrTracker *
vital_hr_tracker_new (double sigma_bpm)
{
  VitalHrTracker *self = g_new0 (VitalHrTracker, 1);

  self->sigma_bpm = sigma_bpm;
  return self;
}

/**
 * vital_hr_tracker_free:
 * @self: (transfer full) (nullable): a tracker
 */
void
vital_hr_tracker_free (VitalHrTracker *self)
{
  if (self == NULL)
    return;
  g_free (self->belief);
  g_free (self->scratch);
  g_free (self);
}

/**
 * vital_hr_tracker_reset:
 * @self: a tracker
 *
 * Forgets the belief (the face was lost, the source changed).
 */
void
vital_hr_tracker_reset (VitalHrTracker *self)
{
  g_clear_pointer (&self->belief, g_free);
  g_clear_pointer (&self->scratch, g_free);
}

/**
 * vital_hr_tracker_update:
 * @self: a tracker
 * @s: a spectrogram whose last window is the newest evidence
 * @out_bpm: (out) (optional): the most likely heart rate now
 * @out_share: (out) (optional): the belief's mass within 3 bpm of it
 *
 * Feeds the newest window of @s. A spectrogram with another bin layout than the previous one
 * restarts the belief.
 *
 * Returns: %FALSE when @s has no window
 */
gboolean
vital_hr_tracker_update (VitalHrTracker         *self,
                         const VitalSpectrogram *s,
                         double                 *out_bpm,
                         double                 *out_share)
{
  guint K = s->n_bins;
  gint span;
  double total = 0.0, mass = 0.0;
  guint best = 0;
  g_autofree double *e = NULL;

  if (s->n_windows == 0 || K == 0)
    return FALSE;
  if (self->belief != NULL && (self->n_bins != K || self->bin_bpm != s->bin_bpm
                               || self->first_bin != s->first_bin))
    vital_hr_tracker_reset (self);
  if (self->belief == NULL)
    {
      self->n_bins = K;
      self->bin_bpm = s->bin_bpm;
      self->first_bin = s->first_bin;
      self->belief = g_new (double, K);
      self->scratch = g_new (double, K);
      for (guint k = 0; k < K; k++)
        self->belief[k] = 1.0 / K;
    }

  /* Predict: spread the belief by the Gaussian step. */
  span = (gint) ceil (TRACK_SPAN_SIGMAS * self->sigma_bpm / self->bin_bpm);
  for (guint k = 0; k < K; k++)
    {
      double acc = 0.0, norm = 0.0;

      for (gint j = MAX (0, (gint) k - span); j <= MIN ((gint) K - 1, (gint) k + span); j++)
        {
          double z = (j - (gint) k) * self->bin_bpm / self->sigma_bpm;
          double t = exp (-0.5 * z * z);

          acc += t * self->belief[j];
          norm += t;
        }
      self->scratch[k] = norm > 0.0 ? acc / norm : 0.0;
    }

  /* Update with the newest window's evidence. */
  e = g_new (double, K);
  emission (s, s->n_windows - 1, NULL, 0.0, e);
  for (guint k = 0; k < K; k++)
    {
      self->belief[k] = self->scratch[k] * exp (e[k]);
      total += self->belief[k];
    }
  for (guint k = 0; k < K; k++)
    {
      self->belief[k] = total > 0.0 ? self->belief[k] / total : 1.0 / K;
      if (self->belief[k] > self->belief[best])
        best = k;
    }
  for (guint k = 0; k < K; k++)
    if (fabs ((double) k - best) * self->bin_bpm <= 3.0)
      mass += self->belief[k];

  if (out_bpm != NULL)
    *out_bpm = (self->first_bin + best) * self->bin_bpm;
  if (out_share != NULL)
    *out_share = mass;
  return TRUE;
}
