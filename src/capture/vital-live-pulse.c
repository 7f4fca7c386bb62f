/* vital-live-pulse.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the live preview estimate: a ring of the last VITAL_LIVE_PULSE_WINDOW_S seconds of
 * packed frames, resampled by timestamp and run through the real vitals engine once a second
 * of video, so the preview's waveform and provisional HR come from the same code as the
 * final result.
 */
#include "vital-config.h"

#include <math.h>
#include <string.h>

#include "vital-engine.h"
#include "vital-live-pulse.h"
#include "vital-resampler.h"

struct _VitalLivePulse
{
  double rate;
  guint capacity;          /* frames in the ring */
  guint8 *ring;            /* capacity × VITAL_TENSOR_FRAME_SIZE */
  gint64 *pts;             /* capacity timestamps */
  guint head;              /* index of the oldest frame */
  guint length;            /* frames held */
  guint since_update;      /* frames pushed since the last estimate */
  float *waveform;
  guint waveform_length;
  double waveform_rate;
  double heart_rate;
};

/**
 * vital_live_pulse_new:
 * @frame_rate: the nominal source frame rate (sizes the ring)
 *
 * Returns: (transfer full): a new live estimator; free with vital_live_pulse_free()
 */
VitalLivePulse *
vital_live_pulse_new (double frame_rate)
{
  VitalLivePulse *self = g_new0 (VitalLivePulse, 1);

  self->rate = frame_rate > 0 ? frame_rate : 30.0;
  self->capacity = (guint) ceil (VITAL_LIVE_PULSE_WINDOW_S * self->rate * 1.5);
  self->heart_rate = NAN;
  return self;
}

/**
 * vital_live_pulse_free:
 * @self: (transfer full) (nullable): a live estimator
 */
void
vital_live_pulse_free (VitalLivePulse *self)
{
  if (self == NULL)
    return;

  g_free (self->ring);
  g_free (self->pts);
  g_free (self->waveform);
  g_free (self);
}

/**
 * vital_live_pulse_reset:
 * @self: a live estimator
 *
 * Forgets the history (the face was lost, the source changed).
 */
void
vital_live_pulse_reset (VitalLivePulse *self)
{
  g_return_if_fail (self != NULL);

  self->head = 0;
  self->length = 0;
  self->since_update = 0;
  g_clear_pointer (&self->waveform, g_free);
  self->waveform_length = 0;
  self->heart_rate = NAN;
}

static void
update_estimate (VitalLivePulse *self)
{
  g_autoptr(VitalTensor) tensor = NULL;
  g_autoptr(VitalResampler) resampler = NULL;
  g_autoptr(VitalVitals) vitals = NULL;
  g_autoptr(GError) error = NULL;
  VitalEngineOptions options = { VITAL_PULSE_POS, NULL };
  gint64 newest = self->pts[(self->head + self->length - 1) % self->capacity];
  gint64 oldest = self->pts[self->head];

  if ((double) (newest - oldest) / G_TIME_SPAN_SECOND < VITAL_LIVE_PULSE_MIN_S)
    return;

  tensor = vital_tensor_new (self->rate, g_get_real_time ());
  resampler = vital_resampler_new (tensor);
  for (guint i = 0; i < self->length; i++)
    {
      guint slot = (self->head + i) % self->capacity;

      if (self->pts[slot] < newest - (gint64) (VITAL_LIVE_PULSE_WINDOW_S * G_TIME_SPAN_SECOND))
        continue;
      if (vital_resampler_push (resampler, self->pts[slot],
                                self->ring + (gsize) slot * VITAL_TENSOR_FRAME_SIZE, NULL) < 0)
        break;
    }

  vitals = vital_engine_analyze (tensor, &options, &error);
  g_clear_pointer (&self->waveform, g_free);
  self->waveform_length = 0;
  if (vitals == NULL)
    {
      self->heart_rate = NAN;
      return;
    }
  self->heart_rate = vitals->heart_rate;
  if (vitals->bvp != NULL && vitals->bvp_length > 0)
    {
      self->waveform = g_memdup2 (vitals->bvp, sizeof (float) * vitals->bvp_length);
      self->waveform_length = vitals->bvp_length;
      self->waveform_rate = vitals->bvp_rate;
    }
}

/**
 * vital_live_pulse_push:
 * @self: a live estimator
 * @pts_us: the frame's presentation time in µs
 * @planes: the frame's %VITAL_TENSOR_FRAME_SIZE packed bytes
 *
 * Adds one packed frame; once a second of video the estimate is refreshed from the last
 * %VITAL_LIVE_PULSE_WINDOW_S seconds (when at least %VITAL_LIVE_PULSE_MIN_S are held).
 */
void
vital_live_pulse_push (VitalLivePulse *self,
                       gint64 pts_us,
                       const guint8 *planes)
{
  guint slot;

  g_return_if_fail (self != NULL);
  g_return_if_fail (planes != NULL);

  if (self->ring == NULL)
    {
      self->ring = g_malloc ((gsize) self->capacity * VITAL_TENSOR_FRAME_SIZE);
      self->pts = g_new (gint64, self->capacity);
    }
  if (self->length > 0 && pts_us <= self->pts[(self->head + self->length - 1) % self->capacity])
    return;

  if (self->length == self->capacity)
    {
      self->head = (self->head + 1) % self->capacity;
      self->length--;
    }
  slot = (self->head + self->length) % self->capacity;
  memcpy (self->ring + (gsize) slot * VITAL_TENSOR_FRAME_SIZE, planes, VITAL_TENSOR_FRAME_SIZE);
  self->pts[slot] = pts_us;
  self->length++;

  if (++self->since_update >= (guint) lround (VITAL_LIVE_PULSE_UPDATE_S * self->rate))
    {
      self->since_update = 0;
      update_estimate (self);
    }
}

/**
 * vital_live_pulse_get_waveform:
 * @self: a live estimator
 * @out_length: (out): samples returned
 * @out_rate: (out): samples per second
 *
 * Returns: (transfer full) (array length=out_length) (nullable): a copy of the latest pulse
 *   waveform (unit variance), or %NULL while there is none
 */
float *
vital_live_pulse_get_waveform (VitalLivePulse *self,
                               guint *out_length,
                               double *out_rate)
{
  g_return_val_if_fail (self != NULL, NULL);

  *out_length = self->waveform_length;
  *out_rate = self->waveform_length > 0 ? self->waveform_rate : 0.0;
  return self->waveform_length > 0
    ? g_memdup2 (self->waveform, sizeof (float) * self->waveform_length) : NULL;
}

/**
 * vital_live_pulse_get_heart_rate:
 * @self: a live estimator
 *
 * Returns: the provisional heart rate in BPM, or NAN while not known
 */
double
vital_live_pulse_get_heart_rate (VitalLivePulse *self)
{
  g_return_val_if_fail (self != NULL, NAN);

  return self->heart_rate;
}
