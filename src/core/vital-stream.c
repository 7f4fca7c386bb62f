/* vital-stream.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The live estimator: a ring of recent packed frames; once a second of video they are resampled
 * to a uniform tensor and run through the vitals engine's own first stages (skin, patch fusion,
 * heart-rate evidence), and a causal tracker follows the heart rate from window to window.
 */
#include "vital-stream.h"
#include "vital-engine-private.h"
#include "vital-resampler.h"

#include <math.h>
#include <string.h>

#define STREAM_RATE        30.0  /* Hz of the uniform analysis tensor */
#define STREAM_MAX_GAP_US  (G_USEC_PER_SEC) /* a longer gap restarts the history */

struct _VitalStream
{
  GObject parent_instance;

  double          window;      /* seconds analysed */
  guint           capacity;    /* frames in the ring */
  guint8         *ring;        /* capacity x VITAL_TENSOR_FRAME_SIZE */
  gint64         *times;
  guint           head;        /* index of the oldest frame */
  guint           length;
  gint64          last_update; /* timestamp of the last estimate */
  VitalHrTracker *tracker;
  gboolean        have_rate;
  double          heart_rate;
  double          confidence;
  float          *waveform;
  guint           waveform_length;
};

G_DEFINE_FINAL_TYPE (VitalStream, vital_stream, G_TYPE_OBJECT)

static void
vital_stream_finalize (GObject *object)
{
  VitalStream *self = VITAL_STREAM (object);

  g_clear_pointer (&self->ring, g_free);
  g_clear_pointer (&self->times, g_free);
  g_clear_pointer (&self->waveform, g_free);
  g_clear_pointer (&self->tracker, vital_hr_tracker_free);
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
  self->window = VITAL_STREAM_WINDOW_SECONDS;
  self->tracker = vital_hr_tracker_new (VITAL_TRACK_SIGMA_BPM);
}

/**
 * vital_stream_new:
 * @window_seconds: seconds of recent video each estimate looks at (6-30; 10, as the whole-scan
 *   engine's windows, is a good preview)
 *
 * Returns: (transfer full): a new live estimator
 */
VitalStream *
vital_stream_new (double window_seconds)
{
  VitalStream *self = g_object_new (VITAL_TYPE_STREAM, NULL);

  self->window = CLAMP (window_seconds, VITAL_STREAM_MIN_SECONDS, 30.0);
  /* Room for the window at up to 60 fps. */
  self->capacity = (guint) ceil (self->window * 60.0) + 2;
  return self;
}

/* Forgets the estimate and the tracks, keeping the frames. */
static void
vital_stream_reset_estimate (VitalStream *self)
{
  self->have_rate = FALSE;
  g_clear_pointer (&self->waveform, g_free);
  self->waveform_length = 0;
  vital_hr_tracker_reset (self->tracker);
}

/**
 * vital_stream_reset:
 * @self: a live estimator
 *
 * Forgets the frames and the heart-rate track (the face was lost, the source changed).
 */
void
vital_stream_reset (VitalStream *self)
{
  g_return_if_fail (VITAL_IS_STREAM (self));

  self->head = 0;
  self->length = 0;
  self->last_update = 0;
  vital_stream_reset_estimate (self);
}

static gint64
time_at (VitalStream *self,
         guint        i)   /* 0 = oldest */
{
  return self->times[(self->head + i) % self->capacity];
}

/* Runs the engine's stages on the last window of frames and moves the tracker on. The live
 * view fuses the face region alone: over a single window a choice between region sets is too
 * noisy to make (on the real development set it switched to a false rhythm). */
static void
update_estimate (VitalStream *self)
{
  g_autoptr(VitalTensor) tensor = vital_tensor_new (STREAM_RATE, 0);
  g_autoptr(VitalResampler) resampler = vital_resampler_new (tensor);
  g_autoptr(VitalEvidence) evidence = NULL;
  gint64 newest = time_at (self, self->length - 1);
  gint64 oldest = newest - (gint64) (self->window * G_USEC_PER_SEC);
  const VitalPulses *pulses;
  double bpm, mass;

  for (guint i = 0; i < self->length; i++)
    {
      guint slot = (self->head + i) % self->capacity;

      if (self->times[slot] < oldest)
        continue;
      if (vital_resampler_push (resampler, self->times[slot],
                                self->ring + (gsize) slot * VITAL_TENSOR_FRAME_SIZE, NULL) < 0)
        break;
    }
  if (vital_tensor_get_frame_count (tensor) < VITAL_STREAM_MIN_SECONDS * STREAM_RATE)
    return;

  evidence = vital_engine_evidence (tensor, VITAL_PULSE_POS, VITAL_REGIONS_FACE, NULL);
  if (evidence == NULL)
    {
      /* No usable skin in this window: no estimate, and the track starts afresh. */
      vital_stream_reset_estimate (self);
      return;
    }
  if (!vital_hr_tracker_update (self->tracker, evidence->evidence, &bpm, &mass))
    return;
  self->heart_rate = bpm;
  /* How sure: the tracker's belief, and how clearly this window alone shows the pulse. */
  self->confidence = CLAMP (sqrt (mass * vital_quality_confidence (evidence->significance,
                                                                    1.0, 0.0,
                                                                    evidence->motion_share)),
                            0.01, 0.99);
  self->have_rate = TRUE;

  pulses = evidence->pulses;
  g_clear_pointer (&self->waveform, g_free);
  self->waveform_length = pulses->n;
  self->waveform = g_new (float, pulses->n);
  for (guint i = 0; i < pulses->n; i++)
    self->waveform[i] = (float) pulses->chroma[i];
}

/**
 * vital_stream_push_planes:
 * @self: a live estimator
 * @timestamp_us: the frame's capture time in microseconds (any monotonic origin)
 * @planes: the frame's %VITAL_TENSOR_FRAME_SIZE packed bytes (the tensor planes)
 * @error: return location for a #GError
 *
 * Appends one frame. Once every %VITAL_STREAM_UPDATE_SECONDS of video, when at least
 * %VITAL_STREAM_MIN_SECONDS are held, the estimate is refreshed. A gap of over a second
 * restarts the history.
 *
 * Returns: %TRUE, or %FALSE with %VITAL_ENGINE_ERROR_INVALID_ARGUMENT when the timestamp does
 *   not advance
 */
gboolean
vital_stream_push_planes (VitalStream  *self,
                          gint64        timestamp_us,
                          const guint8 *planes,
                          GError      **error)
{
  guint slot;

  g_return_val_if_fail (VITAL_IS_STREAM (self), FALSE);
  g_return_val_if_fail (planes != NULL, FALSE);

  if (self->length > 0)
    {
      gint64 last = time_at (self, self->length - 1);

      if (timestamp_us <= last)
        {
          g_set_error (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_INVALID_ARGUMENT,
                       "Frame time %" G_GINT64_FORMAT " us does not advance past %"
                       G_GINT64_FORMAT " us", timestamp_us, last);
          return FALSE;
        }
      if (timestamp_us - last > STREAM_MAX_GAP_US)
        vital_stream_reset (self);
    }
  if (self->ring == NULL)
    {
      self->ring = g_malloc ((gsize) self->capacity * VITAL_TENSOR_FRAME_SIZE);
      self->times = g_new (gint64, self->capacity);
    }
  if (self->length == self->capacity)
    {
      self->head = (self->head + 1) % self->capacity;
      self->length--;
    }
  slot = (self->head + self->length) % self->capacity;
  memcpy (self->ring + (gsize) slot * VITAL_TENSOR_FRAME_SIZE, planes, VITAL_TENSOR_FRAME_SIZE);
  self->times[slot] = timestamp_us;
  self->length++;

  if (vital_stream_get_seconds (self) >= VITAL_STREAM_MIN_SECONDS
      && (self->last_update == 0
          || timestamp_us - self->last_update >= VITAL_STREAM_UPDATE_SECONDS * G_USEC_PER_SEC))
    {
      self->last_update = timestamp_us;
      update_estimate (self);
    }
  return TRUE;
}

/**
 * vital_stream_get_seconds:
 * @self: a live estimator
 *
 * Returns: seconds of video held (from the oldest to the newest frame)
 */
double
vital_stream_get_seconds (VitalStream *self)
{
  g_return_val_if_fail (VITAL_IS_STREAM (self), 0.0);

  if (self->length < 2)
    return 0.0;
  return (time_at (self, self->length - 1) - time_at (self, 0)) / (double) G_USEC_PER_SEC;
}

/**
 * vital_stream_get_heart_rate:
 * @self: a live estimator
 * @out_bpm: (out) (optional): the provisional heart rate
 * @out_confidence: (out) (optional): the tracker's belief in it (its posterior mass within
 *   3 bpm), 0.01-0.99
 *
 * Returns: %TRUE when an estimate is available
 */
gboolean
vital_stream_get_heart_rate (VitalStream *self,
                             double      *out_bpm,
                             double      *out_confidence)
{
  g_return_val_if_fail (VITAL_IS_STREAM (self), FALSE);

  if (!self->have_rate)
    return FALSE;
  if (out_bpm != NULL)
    *out_bpm = self->heart_rate;
  if (out_confidence != NULL)
    *out_confidence = self->confidence;
  return TRUE;
}

/**
 * vital_stream_get_waveform:
 * @self: a live estimator
 * @out_length: (out): number of samples returned
 * @out_rate: (out): samples per second
 *
 * The pulse of the latest estimate (the engine's fused pulse over the window, unit variance,
 * rising with blood volume), for plotting.
 *
 * Returns: (transfer full) (nullable) (array length=out_length): the waveform, oldest first,
 *   or %NULL while there is none
 */
float *
vital_stream_get_waveform (VitalStream *self,
                           guint       *out_length,
                           double      *out_rate)
{
  g_return_val_if_fail (VITAL_IS_STREAM (self), NULL);
  g_return_val_if_fail (out_length != NULL && out_rate != NULL, NULL);

  *out_length = self->waveform_length;
  *out_rate = self->waveform_length > 0 ? STREAM_RATE : 0.0;
  return self->waveform_length > 0
    ? g_memdup2 (self->waveform, sizeof (float) * self->waveform_length) : NULL;
}
