/* vital-frame-pacer.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns delivery pacing: processed frames come in bursts (face detection releases several at
 * once); a live source's frames are shown one by one, spaced by their timestamps, from a
 * jitter buffer of a few frames; other sources show only the newest. The owner runs the
 * deliveries on its main context when told to.
 */
#include "vital-config.h"

#include "vital-frame-pacer.h"

struct _VitalFramePacer
{
  GObject parent_instance;

  guint max_ready;
  GQueue ready;                     /* VitalCaptureFrame, oldest first */
  gboolean delivery_pending;
};

G_DEFINE_FINAL_TYPE (VitalFramePacer, vital_frame_pacer, G_TYPE_OBJECT)

static void
vital_frame_pacer_finalize (GObject *object)
{
  VitalFramePacer *self = VITAL_FRAME_PACER (object);

  g_queue_clear_full (&self->ready, (GDestroyNotify) vital_capture_frame_unref);

  G_OBJECT_CLASS (vital_frame_pacer_parent_class)->finalize (object);
}

static void
vital_frame_pacer_class_init (VitalFramePacerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vital_frame_pacer_finalize;
}

static void
vital_frame_pacer_init (VitalFramePacer *self)
{
  g_queue_init (&self->ready);
}

/**
 * vital_frame_pacer_new:
 * @live: %TRUE for a real-time source: up to %VITAL_FRAME_PACER_LIVE_MAX frames wait and each
 *   is shown at its time; %FALSE: only the newest frame waits
 *
 * Creates a pacer. A pacer is not thread-safe: its owner serialises calls.
 *
 * Returns: (transfer full): a new #VitalFramePacer
 */
VitalFramePacer *
vital_frame_pacer_new (gboolean live)
{
  VitalFramePacer *self = g_object_new (VITAL_TYPE_FRAME_PACER, NULL);

  self->max_ready = live ? VITAL_FRAME_PACER_LIVE_MAX : 1;
  return self;
}

/**
 * vital_frame_pacer_push:
 * @self: a #VitalFramePacer
 * @frame: (transfer full): the newest processed frame
 *
 * Queues @frame to be shown; the oldest frames beyond the limit are dropped (the preview
 * never lags).
 */
void
vital_frame_pacer_push (VitalFramePacer *self,
                        VitalCaptureFrame *frame)
{
  g_return_if_fail (VITAL_IS_FRAME_PACER (self));
  g_return_if_fail (frame != NULL);

  g_queue_push_tail (&self->ready, frame);
  while (g_queue_get_length (&self->ready) > self->max_ready)
    vital_capture_frame_unref (g_queue_pop_head (&self->ready));
}

/**
 * vital_frame_pacer_request:
 * @self: a #VitalFramePacer
 *
 * Asks for a delivery (a frame is waiting, or something else is to be reported).
 *
 * Returns: %TRUE when the owner must schedule one as soon as its main context is idle;
 *   %FALSE when one is already scheduled
 */
gboolean
vital_frame_pacer_request (VitalFramePacer *self)
{
  g_return_val_if_fail (VITAL_IS_FRAME_PACER (self), FALSE);

  if (self->delivery_pending)
    return FALSE;
  self->delivery_pending = TRUE;
  return TRUE;
}

/**
 * vital_frame_pacer_pop:
 * @self: a #VitalFramePacer
 * @out_next_us: (out): when the owner must run the next delivery, in µs from now, or -1 when
 *   none is due (the next vital_frame_pacer_request() schedules it)
 *
 * Takes the frame to show in this delivery. The next one follows at its own time, not in the
 * same main-loop turn (a window would draw only the second); when more than one more waits,
 * twice as fast, which still leaves a 60 Hz display a refresh for each. The pause is at most
 * %VITAL_FRAME_PACER_MAX_GAP_US.
 *
 * Returns: (transfer full) (nullable): the frame, or %NULL when none waits
 */
VitalCaptureFrame *
vital_frame_pacer_pop (VitalFramePacer *self,
                       gint64 *out_next_us)
{
  VitalCaptureFrame *frame, *next;

  g_return_val_if_fail (VITAL_IS_FRAME_PACER (self), NULL);
  g_return_val_if_fail (out_next_us != NULL, NULL);

  *out_next_us = -1;
  frame = g_queue_pop_head (&self->ready);
  next = g_queue_peek_head (&self->ready);
  if (frame != NULL && next != NULL)
    {
      *out_next_us = CLAMP (next->pts_us - frame->pts_us, 0, VITAL_FRAME_PACER_MAX_GAP_US);
      if (g_queue_get_length (&self->ready) >= 2)
        *out_next_us /= 2;
    }
  else
    self->delivery_pending = FALSE;
  return frame;
}

/**
 * vital_frame_pacer_get_n_ready:
 * @self: a #VitalFramePacer
 *
 * Returns: the number of frames waiting
 */
guint
vital_frame_pacer_get_n_ready (VitalFramePacer *self)
{
  g_return_val_if_fail (VITAL_IS_FRAME_PACER (self), 0);

  return g_queue_get_length (&self->ready);
}

/**
 * vital_frame_pacer_clear:
 * @self: a #VitalFramePacer
 *
 * Drops the waiting frames. A delivery already scheduled still runs (and finds none).
 */
void
vital_frame_pacer_clear (VitalFramePacer *self)
{
  g_return_if_fail (VITAL_IS_FRAME_PACER (self));

  g_queue_clear_full (&self->ready, (GDestroyNotify) vital_capture_frame_unref);
}
