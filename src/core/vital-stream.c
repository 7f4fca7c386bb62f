/* vital-stream.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Streaming estimator: a ring of timestamped region means, resampled to a uniform grid on
 * demand and run through the same POS / filter / spectrum stages as the full engine.
 */
#include "vital-stream.h"
#include "vital-engine-private.h"

#include <math.h>
#include <string.h>

#define STREAM_CAPACITY 4096   /* samples: 34 s at 120 fps */
#define STREAM_RATE     30.0   /* Hz of the uniform analysis grid */

struct _VitalStream
{
  GObject parent_instance;

  double  window;                  /* seconds analysed */
  gint64 *times;                   /* STREAM_CAPACITY timestamps, microseconds */
  double (*means)[VITAL_TENSOR_REGIONS][3];  /* STREAM_CAPACITY frames of region means */
  guint   head;                    /* index of the next write */
  guint   count;
};

G_DEFINE_FINAL_TYPE (VitalStream, vital_stream, G_TYPE_OBJECT)

static void
vital_stream_finalize (GObject *object)
{
  VitalStream *self = VITAL_STREAM (object);

  g_clear_pointer (&self->times, g_free);
  g_clear_pointer (&self->means, g_free);
  G_OBJECT_CLASS (vital_stream_parent_class)->finalize (object);
}

static void
vital_stream_class_init (VitalStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vital_stream_finalize;
}

static void
vital_stream_init (VitalStream *self)
{
  self->window = 10.0;
  self->times = g_new0 (gint64, STREAM_CAPACITY);
  self->means = g_malloc0_n (STREAM_CAPACITY, sizeof *self->means);
}

/**
 * vital_stream_new:
 * @window_seconds: seconds of history to analyse (6-30; 10 is a good preview)
 *
 * Returns: (transfer full): a new streaming estimator
 */
VitalStream *
vital_stream_new (double window_seconds)
{
  VitalStream *self = g_object_new (VITAL_TYPE_STREAM, NULL);

  self->window = CLAMP (window_seconds, VITAL_STREAM_MIN_SECONDS, 30.0);
  return self;
}

/**
 * vital_stream_reset:
 * @self: a streaming estimator
 *
 * Forgets every sample (e.g. when the face is lost).
 */
void
vital_stream_reset (VitalStream *self)
{
  g_return_if_fail (VITAL_IS_STREAM (self));
  self->head = 0;
  self->count = 0;
}

static guint
index_of (VitalStream *self,
          guint        i)   /* 0 = oldest */
{
  return (self->head + STREAM_CAPACITY - self->count + i) % STREAM_CAPACITY;
}

/**
 * vital_stream_push:
 * @self: a streaming estimator
 * @timestamp_us: the frame's capture time in microseconds (any monotonic origin)
 * @means: mean R, G, B of each region's skin, 8-bit units; NAN where a region is missing
 * @error: return location for a #GError
 *
 * Appends one frame. Timestamps must increase; a gap over 1 s restarts the history.
 *
 * Returns: %TRUE, or %FALSE with %VITAL_ENGINE_ERROR_INVALID_ARGUMENT when the timestamp goes
 *   backwards.
 */
gboolean
vital_stream_push (VitalStream  *self,
                   gint64        timestamp_us,
                   const double  means[VITAL_TENSOR_REGIONS][3],
                   GError      **error)
{
  g_return_val_if_fail (VITAL_IS_STREAM (self), FALSE);
  g_return_val_if_fail (means != NULL, FALSE);

  if (self->count > 0)
    {
      gint64 last = self->times[index_of (self, self->count - 1)];

      if (timestamp_us <= last)
        {
          g_set_error (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_INVALID_ARGUMENT,
                       "Frame timestamp %" G_GINT64_FORMAT " µs is not after the previous one",
                       timestamp_us);
          return FALSE;
        }
      if (timestamp_us - last > G_USEC_PER_SEC)
        vital_stream_reset (self);
    }
  self->times[self->head] = timestamp_us;
  memcpy (self->means[self->head], means, sizeof self->means[0]);
  self->head = (self->head + 1) % STREAM_CAPACITY;
  self->count = MIN (self->count + 1, STREAM_CAPACITY);
  return TRUE;
}

/**
 * vital_stream_push_planes:
 * @self: a streaming estimator
 * @timestamp_us: the frame's capture time in microseconds
 * @planes: one tensor frame (%VITAL_TENSOR_FRAME_SIZE bytes, e.g. from
 *   vital_tensor_pack_frame())
 * @error: return location for a #GError
 *
 * Appends one frame given as tensor planes, averaging each region's pixels that are neither
 * dark nor saturated and redder than blue (the engine's pixel gates plus the simplest skin
 * cue; the engine's per-scan colour model needs the whole scan).
 *
 * Returns: %TRUE on success
 */
gboolean
vital_stream_push_planes (VitalStream  *self,
                          gint64        timestamp_us,
                          const guint8 *planes,
                          GError      **error)
{
  double means[VITAL_TENSOR_REGIONS][3];

  g_return_val_if_fail (planes != NULL, FALSE);

  for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
    {
      const guint8 *rp = planes + (gsize) region * 3 * VITAL_TENSOR_PLANE_SIZE;
      const guint8 *gp = rp + VITAL_TENSOR_PLANE_SIZE, *bp = gp + VITAL_TENSOR_PLANE_SIZE;
      guint32 sr = 0, sg = 0, sb = 0, count = 0;

      for (guint p = 0; p < VITAL_TENSOR_PLANE_SIZE; p++)
        {
          int r = rp[p], g = gp[p], b = bp[p];
          int ok = (r < 250) & (g < 250) & (b < 250) & (r + g + b >= 45) & (r > b);
          guint32 mask = (guint32) -ok;

          count += (guint32) ok;
          sr += (guint32) r & mask;
          sg += (guint32) g & mask;
          sb += (guint32) b & mask;
        }
      if (count < VITAL_TENSOR_PLANE_SIZE / 20)
        means[region][0] = means[region][1] = means[region][2] = NAN;
      else
        {
          means[region][0] = (double) sr / count;
          means[region][1] = (double) sg / count;
          means[region][2] = (double) sb / count;
        }
    }
  return vital_stream_push (self, timestamp_us, means, error);
}

/**
 * vital_stream_get_seconds:
 * @self: a streaming estimator
 *
 * Returns: the span of the history in seconds.
 */
double
vital_stream_get_seconds (VitalStream *self)
{
  g_return_val_if_fail (VITAL_IS_STREAM (self), 0.0);
  if (self->count < 2)
    return 0.0;
  return (self->times[index_of (self, self->count - 1)] - self->times[index_of (self, 0)])
         / (double) G_USEC_PER_SEC;
}

/* Resamples the last `seconds` of each region onto a STREAM_RATE grid, runs POS, detrend and
 * band-pass, and sums the regions (unit variance each). Returns the number of samples. */
static guint
analyse (VitalStream *self,
         double       seconds,
         double     **out_pulse)
{
  gint64 t_end, t_start;
  guint n, first = 0, used = 0;
  g_autofree double *rgb = NULL;
  g_autofree double *pulse = NULL;
  g_autofree double *tmp = NULL;
  VitalFilter bp;

  *out_pulse = NULL;
  if (self->count < 8)
    return 0;
  t_end = self->times[index_of (self, self->count - 1)];
  t_start = MAX (self->times[index_of (self, 0)], t_end - (gint64) (seconds * G_USEC_PER_SEC));
  n = (guint) floor ((t_end - t_start) / (double) G_USEC_PER_SEC * STREAM_RATE) + 1;
  if (n < 16)
    return 0;

  rgb = g_new (double, 3 * (gsize) n);
  pulse = g_new0 (double, n);
  tmp = g_new (double, n);
  vital_filter_butter_bandpass (&bp, 4, VITAL_PULSE_LOW_HZ, VITAL_PULSE_HIGH_HZ, STREAM_RATE);

  for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
    {
      gboolean ok = TRUE;
      guint k = first;

      for (guint i = 0; i < n && ok; i++)
        {
          gint64 t = t_start + (gint64) (i * G_USEC_PER_SEC / STREAM_RATE);
          guint a, b;
          double w;

          while (k + 1 < self->count && self->times[index_of (self, k + 1)] <= t)
            k++;
          a = index_of (self, k);
          b = index_of (self, MIN (k + 1, self->count - 1));
          w = self->times[b] > self->times[a]
                ? (double) (t - self->times[a]) / (self->times[b] - self->times[a]) : 0.0;
          w = CLAMP (w, 0.0, 1.0);
          for (guint c = 0; c < 3; c++)
            {
              double v = self->means[a][region][c] * (1.0 - w) + self->means[b][region][c] * w;
              if (isnan (v) || v <= 0.0)
                ok = FALSE;
              rgb[c * n + i] = v;
            }
        }
      if (!ok)
        continue;
      vital_pos_pulse (rgb, rgb + n, rgb + 2 * n, n, STREAM_RATE, tmp);
      vital_filter_detrend (tmp, n, 100.0);
      vital_filter_filtfilt (&bp, tmp, n);
      vital_filter_normalise (tmp, n);
      for (guint i = 0; i < n; i++)
        pulse[i] += tmp[i];
      used++;
    }
  if (used == 0)
    return 0;
  vital_filter_normalise (pulse, n);
  *out_pulse = g_steal_pointer (&pulse);
  return n;
}

/**
 * vital_stream_get_heart_rate:
 * @self: a streaming estimator
 * @out_bpm: (out) (optional): provisional heart rate
 * @out_confidence: (out) (optional): its confidence, 0.01-0.99
 *
 * Estimates the heart rate over the analysis window, once at least
 * %VITAL_STREAM_MIN_SECONDS of signal are in.
 *
 * Returns: %TRUE when an estimate is available
 */
gboolean
vital_stream_get_heart_rate (VitalStream *self,
                             double      *out_bpm,
                             double      *out_confidence)
{
  g_autofree double *pulse = NULL;
  g_autoptr(VitalSpectrum) spectrum = NULL;
  guint n;
  double hr_hz, snr, periodicity;

  g_return_val_if_fail (VITAL_IS_STREAM (self), FALSE);

  if (vital_stream_get_seconds (self) < VITAL_STREAM_MIN_SECONDS)
    return FALSE;
  n = analyse (self, self->window, &pulse);
  if (n == 0)
    return FALSE;
  spectrum = vital_spectrum_welch (pulse, n, STREAM_RATE, 0, 0.01);
  hr_hz = vital_spectrum_heart_rate (spectrum, VITAL_HR_LOW_HZ, VITAL_HR_HIGH_HZ);
  snr = vital_quality_snr (spectrum, hr_hz);
  periodicity = vital_quality_periodicity (pulse, n, STREAM_RATE, hr_hz);
  if (out_bpm != NULL)
    *out_bpm = 60.0 * hr_hz;
  if (out_confidence != NULL)
    *out_confidence = vital_quality_confidence (snr, periodicity, periodicity, 1.0, 0.0);
  return TRUE;
}

/**
 * vital_stream_get_waveform:
 * @self: a streaming estimator
 * @seconds: how much recent pulse to return
 * @rate: samples per second wanted (1-120)
 * @out_length: (out): number of samples returned
 *
 * The recent pulse (POS, band-passed, unit variance, rising with blood volume) for plotting.
 * Filtering is over the whole analysis window, so the end of the trace is as good as the rest.
 *
 * Returns: (transfer full) (nullable) (array length=out_length): the waveform, oldest first,
 *   or %NULL before there is enough signal (about half a second)
 */
float *
vital_stream_get_waveform (VitalStream *self,
                           double       seconds,
                           double       rate,
                           guint       *out_length)
{
  g_autofree double *pulse = NULL;
  guint n, m;
  float *out;
  double span;

  g_return_val_if_fail (VITAL_IS_STREAM (self), NULL);
  g_return_val_if_fail (out_length != NULL, NULL);

  *out_length = 0;
  rate = CLAMP (rate, 1.0, 120.0);
  n = analyse (self, MAX (seconds, self->window), &pulse);
  if (n == 0)
    return NULL;
  span = MIN (seconds, (n - 1) / STREAM_RATE);
  m = MAX (1u, (guint) floor (span * rate));
  out = g_new (float, m);
  for (guint i = 0; i < m; i++)
    {
      double pos = (n - 1) - (m - 1 - i) / rate * STREAM_RATE;
      guint k = (guint) MAX (0.0, floor (pos));
      double t = pos - k;
      out[i] = (float) (k + 1 < n ? pulse[k] * (1 - t) + pulse[k + 1] * t : pulse[n - 1]);
    }
  *out_length = m;
  return out;
}
