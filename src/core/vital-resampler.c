/* vital-resampler.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns PTS-based resampling: cameras deliver frames at uneven intervals (variable frame rate,
 * dropped frames); the engine needs a uniform rate, so output frames are linearly interpolated
 * between the two source frames around each output instant.
 */
#include "vital-config.h"

#include <math.h>
#include <string.h>

#include "vital-resampler.h"

/* An output instant this close after a source frame is taken from that frame. */
#define PTS_TOLERANCE_US 1000

struct _VitalResampler
{
  VitalTensor *target;
  double rate;
  guint8 *prev;            /* the last source frame, VITAL_TENSOR_FRAME_SIZE bytes */
  gint64 prev_pts;
  gint64 first_pts;
  gboolean have_prev;
  guint64 next_index;      /* index of the next output frame */
  guint frames_in;
  guint frames_dropped;
};

/**
 * vital_resampler_new:
 * @target: the tensor that receives output frames at its own frame rate
 *
 * Creates a resampler that appends to @target. The first pushed frame is output frame 0.
 *
 * Returns: (transfer full): a new resampler; free with vital_resampler_free()
 */
VitalResampler *
vital_resampler_new (VitalTensor *target)
{
  VitalResampler *self;

  g_return_val_if_fail (target != NULL, NULL);

  self = g_new0 (VitalResampler, 1);
  self->target = vital_tensor_ref (target);
  self->rate = vital_tensor_get_frame_rate (target);
  self->prev = g_malloc (VITAL_TENSOR_FRAME_SIZE);
  return self;
}

/**
 * vital_resampler_free:
 * @self: (transfer full) (nullable): a resampler
 *
 * Frees the resampler (not the target tensor's frames).
 */
void
vital_resampler_free (VitalResampler *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->target, vital_tensor_unref);
  g_free (self->prev);
  g_free (self);
}

static gint64
output_time (VitalResampler *self,
             guint64 index)
{
  return self->first_pts + (gint64) llround ((double) index * G_TIME_SPAN_SECOND / self->rate);
}

/**
 * vital_resampler_push:
 * @self: a resampler
 * @pts_us: the source frame's presentation time in µs
 * @planes: %VITAL_TENSOR_FRAME_SIZE bytes of packed planes
 * @error: return location for a #GError
 *
 * Feeds one source frame. Every output instant up to @pts_us is interpolated and appended to
 * the target tensor. A frame whose time does not advance past the previous one is dropped.
 *
 * Returns: the number of output frames appended (0 or more), or -1 when the target is full
 */
int
vital_resampler_push (VitalResampler *self,
                      gint64 pts_us,
                      const guint8 *planes,
                      GError **error)
{
  int emitted = 0;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (planes != NULL, -1);

  if (!self->have_prev)
    {
      self->first_pts = pts_us;
      self->next_index = 1;
      self->have_prev = TRUE;
      self->prev_pts = pts_us;
      memcpy (self->prev, planes, VITAL_TENSOR_FRAME_SIZE);
      self->frames_in++;
      if (!vital_tensor_push_frame (self->target, planes, error))
        return -1;
      return 1;
    }

  if (pts_us <= self->prev_pts)
    {
      self->frames_dropped++;
      return 0;
    }

  self->frames_in++;
  for (;;)
    {
      gint64 t = output_time (self, self->next_index);
      guint8 *out;
      double alpha;
      int a;

      /* Timestamps in µs are truncated from ns: allow for that rounding. */
      if (t > pts_us + PTS_TOLERANCE_US)
        break;

      alpha = (double) (t - self->prev_pts) / (double) (pts_us - self->prev_pts);
      a = (int) lround (CLAMP (alpha, 0.0, 1.0) * 256.0);
      if (vital_tensor_get_frame_count (self->target) >= VITAL_TENSOR_MAX_FRAMES
          || (out = vital_tensor_append_frame (self->target)) == NULL)
        {
          g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_TOO_MANY_FRAMES,
                       "a scan holds at most %d frames", VITAL_TENSOR_MAX_FRAMES);
          return -1;
        }
      if (a == 0)
        memcpy (out, self->prev, VITAL_TENSOR_FRAME_SIZE);
      else if (a == 256)
        memcpy (out, planes, VITAL_TENSOR_FRAME_SIZE);
      else
        for (gsize i = 0; i < VITAL_TENSOR_FRAME_SIZE; i++)
          out[i] = (guint8) ((self->prev[i] * (256 - a) + planes[i] * a + 128) >> 8);
      self->next_index++;
      emitted++;
    }

  self->prev_pts = pts_us;
  memcpy (self->prev, planes, VITAL_TENSOR_FRAME_SIZE);
  return emitted;
}

/**
 * vital_resampler_get_frames_in:
 * @self: a resampler
 *
 * Returns: the number of source frames used
 */
guint
vital_resampler_get_frames_in (VitalResampler *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->frames_in;
}

/**
 * vital_resampler_get_frames_dropped:
 * @self: a resampler
 *
 * Returns: the number of source frames dropped because their time did not advance
 */
guint
vital_resampler_get_frames_dropped (VitalResampler *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->frames_dropped;
}

/**
 * vital_resampler_get_first_pts:
 * @self: a resampler
 *
 * Returns: the time of output frame 0 in µs, or %G_MININT64 before the first push
 */
gint64
vital_resampler_get_first_pts (VitalResampler *self)
{
  g_return_val_if_fail (self != NULL, G_MININT64);

  return self->have_prev ? self->first_pts : G_MININT64;
}
