/* vital-clock.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalClock: wall clock (real time) or a manual clock that only moves when told to.
 */
#include "vital-clock.h"

struct _VitalClock
{
  GObject  parent_instance;
  gboolean manual;
  GMutex   mutex;
  gint64   now_us;  /* under mutex; only used when manual */
};

G_DEFINE_FINAL_TYPE (VitalClock, vital_clock, G_TYPE_OBJECT)

static void
vital_clock_finalize (GObject *object)
{
  VitalClock *self = VITAL_CLOCK (object);

  g_mutex_clear (&self->mutex);
  G_OBJECT_CLASS (vital_clock_parent_class)->finalize (object);
}

static void
vital_clock_class_init (VitalClockClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vital_clock_finalize;
}

static void
vital_clock_init (VitalClock *self)
{
  g_mutex_init (&self->mutex);
}

/**
 * vital_clock_new_system:
 *
 * Creates a clock that reads the real time (`g_get_real_time()`).
 *
 * Returns: (transfer full): a new #VitalClock
 */
VitalClock *
vital_clock_new_system (void)
{
  return g_object_new (VITAL_TYPE_CLOCK, NULL);
}

/**
 * vital_clock_new_manual:
 * @start_us: the initial time in microseconds since the Unix epoch (UTC)
 *
 * Creates a clock that stands still until vital_clock_set_us() or vital_clock_advance() moves it.
 * Safe to move from one thread while others read it.
 *
 * Returns: (transfer full): a new #VitalClock
 */
VitalClock *
vital_clock_new_manual (gint64 start_us)
{
  VitalClock *self = g_object_new (VITAL_TYPE_CLOCK, NULL);

  self->manual = TRUE;
  self->now_us = start_us;
  return self;
}

/**
 * vital_clock_is_manual:
 * @self: a #VitalClock
 *
 * Returns: %TRUE for a clock created with vital_clock_new_manual()
 */
gboolean
vital_clock_is_manual (VitalClock *self)
{
  g_return_val_if_fail (VITAL_IS_CLOCK (self), FALSE);
  return self->manual;
}

/**
 * vital_clock_now_us:
 * @self: a #VitalClock
 *
 * Returns: the current time in microseconds since the Unix epoch (UTC)
 */
gint64
vital_clock_now_us (VitalClock *self)
{
  gint64 now;

  g_return_val_if_fail (VITAL_IS_CLOCK (self), 0);

  if (!self->manual)
    return g_get_real_time ();
  g_mutex_lock (&self->mutex);
  now = self->now_us;
  g_mutex_unlock (&self->mutex);
  return now;
}

/**
 * vital_clock_set_us:
 * @self: a manual #VitalClock
 * @now_us: the new time in microseconds since the Unix epoch (UTC)
 *
 * Sets a manual clock. Does nothing (with a critical) on a system clock.
 */
void
vital_clock_set_us (VitalClock *self,
                    gint64      now_us)
{
  g_return_if_fail (VITAL_IS_CLOCK (self));
  g_return_if_fail (self->manual);

  g_mutex_lock (&self->mutex);
  self->now_us = now_us;
  g_mutex_unlock (&self->mutex);
}

/**
 * vital_clock_advance:
 * @self: a manual #VitalClock
 * @delta_us: microseconds to move forward (or back, when negative)
 *
 * Moves a manual clock.
 */
void
vital_clock_advance (VitalClock *self,
                     gint64      delta_us)
{
  g_return_if_fail (VITAL_IS_CLOCK (self));
  g_return_if_fail (self->manual);

  g_mutex_lock (&self->mutex);
  self->now_us += delta_us;
  g_mutex_unlock (&self->mutex);
}
