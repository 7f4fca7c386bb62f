/* vital-capture-frame.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the live output frame boxed type, its lifetime and its display pixels.
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
 * vital_capture_frame_new_for_rgb:
 * @rgb: (array): packed 8-bit RGB pixels, @stride × @height bytes
 * @width: width in pixels (> 0)
 * @height: height in pixels (> 0)
 * @stride: bytes from one row of @rgb to the next, at least 3 × @width
 * @pts_us: presentation time in µs
 *
 * Creates a frame showing @rgb: its pixels are converted to the display layout described at
 * #VitalCaptureFrame (B, G, R, A bytes, rows of 4 × @width bytes); no face, guidance "no
 * face", heart rate NAN.
 *
 * Returns: (transfer full): a new frame
 */
VitalCaptureFrame *
vital_capture_frame_new_for_rgb (const guint8 *rgb,
                                 int width,
                                 int height,
                                 gsize stride,
                                 gint64 pts_us)
{
  VitalCaptureFrame *self;
  gsize out_stride;
  guint8 *out;

  g_return_val_if_fail (rgb != NULL, NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (stride >= (gsize) width * 3, NULL);

  out_stride = (gsize) width * 4;
  out = g_malloc_n (out_stride, (gsize) height);
  for (int y = 0; y < height; y++)
    {
      const guint8 *s = rgb + (gsize) y * stride;
      guint8 *d = out + (gsize) y * out_stride;

      for (int x = 0; x < width; x++)
        {
          d[0] = s[2];
          d[1] = s[1];
          d[2] = s[0];
          d[3] = 255;
          s += 3;
          d += 4;
        }
    }

  self = vital_capture_frame_new ();
  self->pixels = g_bytes_new_take (out, out_stride * height);
  self->width = width;
  self->height = height;
  self->stride = out_stride;
  self->pts_us = pts_us;
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
