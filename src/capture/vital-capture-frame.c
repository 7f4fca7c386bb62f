/* vital-capture-frame.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the live output frame boxed type and its lifetime.
 */
#include "vital-config.h"

#include <math.h>

#include "vital-capture-frame.h"

G_DEFINE_BOXED_TYPE (VitalCaptureFrame, vital_capture_frame,
                     vital_capture_frame_ref, vital_capture_frame_unref)

/**
 * vital_capture_frame_new:
 *
 * Creates an empty frame (no pixels, no face, guidance "no face", heart rate NAN).
 *
 * Returns: (transfer full): a new frame
 */
VitalCaptureFrame *
vital_capture_frame_new (void)
{
  VitalCaptureFrame *self = g_new0 (VitalCaptureFrame, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->guidance = VITAL_GUIDANCE_NO_FACE;
  self->heart_rate = NAN;
  return self;
}

/**
 * vital_capture_frame_ref:
 * @self: a frame
 *
 * Returns: (transfer full): @self with one more reference
 */
VitalCaptureFrame *
vital_capture_frame_ref (VitalCaptureFrame *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * vital_capture_frame_unref:
 * @self: (transfer full): a frame
 *
 * Drops a reference; the last one frees the frame.
 */
void
vital_capture_frame_unref (VitalCaptureFrame *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_pointer (&self->pixels, g_bytes_unref);
  g_free (self->waveform);
  g_free (self);
}
