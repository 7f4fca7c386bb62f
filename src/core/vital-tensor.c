/* vital-tensor.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns VitalTensor, the boxed type a capture lives in between capture, the wire format and the
 * engine: raw planar frames, the frame rate and the capture start. A decoded tensor keeps its
 * payload's buffer and skips the header in it rather than moving 56 MB.
 */
#include "vital-config.h"

#include <string.h>

#include "vital-tensor-format-private.h"
#include "vital-tensor-private.h"

struct _VitalTensor
{
  gatomicrefcount ref_count;
  GByteArray *frames;        /* skip bytes, then frame_count * VITAL_TENSOR_FRAME_SIZE raw bytes */
  gsize skip;                /* a decoded payload's header, left in place to avoid a 56 MB move */
  guint frame_count;
  double frame_rate;
  gint64 capture_start_us;
  gboolean frozen;           /* set once the frames were shared by get_frames() */
};

G_DEFINE_BOXED_TYPE (VitalTensor, vital_tensor, vital_tensor_ref, vital_tensor_unref)

static inline guint8 *
frames_base (const VitalTensor *self)
{
  return self->frames->data + self->skip;
}

/**
 * vital_tensor_new:
 * @frame_rate: frames per second, within 1..240
 * @capture_start_us: capture start in µs since the Unix epoch (UTC)
 *
 * Creates an empty tensor to append frames to.
 *
 * Returns: (transfer full): a new tensor with no frames
 */
VitalTensor *
vital_tensor_new (double frame_rate,
                  gint64 capture_start_us)
{
  VitalTensor *self = g_new0 (VitalTensor, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->frames = g_byte_array_new ();
  self->frame_rate = frame_rate;
  self->capture_start_us = capture_start_us;
  return self;
}

/**
 * vital_tensor_new_from_bytes:
 * @frames: raw planar frames, a whole number of %VITAL_TENSOR_FRAME_SIZE blocks
 * @frame_rate: frames per second, within 1..240
 * @capture_start_us: capture start in µs since the Unix epoch (UTC)
 * @error: return location for a #GError
 *
 * Wraps already-packed frames (copied) in a tensor.
 *
 * Returns: (transfer full) (nullable): the tensor, or %NULL with @error set
 */
VitalTensor *
vital_tensor_new_from_bytes (GBytes *frames,
                             double frame_rate,
                             gint64 capture_start_us,
                             GError **error)
{
  gsize size = 0;
  const guint8 *data;
  VitalTensor *self;

  g_return_val_if_fail (frames != NULL, NULL);

  data = g_bytes_get_data (frames, &size);
  if (size % VITAL_TENSOR_FRAME_SIZE != 0)
    {
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_INVALID_ARGUMENT,
                   "%" G_GSIZE_FORMAT " bytes is not a whole number of %d-byte frames",
                   size, VITAL_TENSOR_FRAME_SIZE);
      return NULL;
    }
  if (size / VITAL_TENSOR_FRAME_SIZE > VITAL_TENSOR_MAX_FRAMES)
    {
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_TOO_MANY_FRAMES,
                   "%" G_GSIZE_FORMAT " frames exceed the limit of %d",
                   size / VITAL_TENSOR_FRAME_SIZE, VITAL_TENSOR_MAX_FRAMES);
      return NULL;
    }
  if (!vital_tensor_format_check_frame_rate (frame_rate, error))
    return NULL;

  self = vital_tensor_new (frame_rate, capture_start_us);
  g_byte_array_append (self->frames, data, size);
  self->frame_count = size / VITAL_TENSOR_FRAME_SIZE;
  return self;
}

/**
 * vital_tensor_ref:
 * @self: a tensor
 *
 * Returns: (transfer full): @self with one more reference
 */
VitalTensor *
vital_tensor_ref (VitalTensor *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * vital_tensor_unref:
 * @self: (transfer full): a tensor
 *
 * Drops one reference; frees the frames with the last one.
 */
void
vital_tensor_unref (VitalTensor *self)
{
  g_return_if_fail (self != NULL);
  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_byte_array_unref (self->frames);
      g_free (self);
    }
}

/**
 * vital_tensor_append_frame:
 * @self: a tensor whose frames were not shared with vital_tensor_get_frames()
 *
 * Grows the tensor by one zeroed frame for the caller to fill in place.
 *
 * Returns: (transfer none) (nullable): the new frame's %VITAL_TENSOR_FRAME_SIZE bytes, valid
 *   until the next append; %NULL when the tensor is full or frozen
 */
guint8 *
vital_tensor_append_frame (VitalTensor *self)
{
  gsize offset;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (!self->frozen, NULL);

  if (self->frame_count >= VITAL_TENSOR_MAX_FRAMES)
    return NULL;

  offset = self->frames->len;
  g_byte_array_set_size (self->frames, offset + VITAL_TENSOR_FRAME_SIZE);
  memset (self->frames->data + offset, 0, VITAL_TENSOR_FRAME_SIZE);
  self->frame_count++;
  return self->frames->data + offset;
}

/**
 * vital_tensor_push_frame:
 * @self: a tensor
 * @planes: one frame, %VITAL_TENSOR_FRAME_SIZE bytes (12 planar 72×72 planes)
 * @error: return location for a #GError
 *
 * Appends a copy of @planes.
 *
 * Returns: %TRUE on success; %FALSE when the tensor is full or frozen
 */
gboolean
vital_tensor_push_frame (VitalTensor *self,
                         const guint8 *planes,
                         GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (planes != NULL, FALSE);

  if (self->frozen)
    {
      g_set_error_literal (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_INVALID_ARGUMENT,
                           "tensor frames were already shared and can no longer grow");
      return FALSE;
    }
  if (self->frame_count >= VITAL_TENSOR_MAX_FRAMES)
    {
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_TOO_MANY_FRAMES,
                   "a tensor holds at most %d frames", VITAL_TENSOR_MAX_FRAMES);
      return FALSE;
    }
  g_byte_array_append (self->frames, planes, VITAL_TENSOR_FRAME_SIZE);
  self->frame_count++;
  return TRUE;
}

/**
 * vital_tensor_get_frame_count:
 * @self: a tensor
 *
 * Returns: the number of frames
 */
guint
vital_tensor_get_frame_count (const VitalTensor *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->frame_count;
}

/**
 * vital_tensor_get_frame_rate:
 * @self: a tensor
 *
 * Returns: frames per second
 */
double
vital_tensor_get_frame_rate (const VitalTensor *self)
{
  g_return_val_if_fail (self != NULL, 0.0);
  return self->frame_rate;
}

/**
 * vital_tensor_get_capture_start_us:
 * @self: a tensor
 *
 * Returns: the capture start in µs since the Unix epoch (UTC)
 */
gint64
vital_tensor_get_capture_start_us (const VitalTensor *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->capture_start_us;
}

/**
 * vital_tensor_get_frame:
 * @self: a tensor
 * @index: a frame index below the frame count
 *
 * Returns: (transfer none): the frame's %VITAL_TENSOR_FRAME_SIZE bytes
 */
const guint8 *
vital_tensor_get_frame (const VitalTensor *self,
                        guint index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->frame_count, NULL);
  return frames_base (self) + (gsize) index * VITAL_TENSOR_FRAME_SIZE;
}

/**
 * vital_tensor_get_plane:
 * @self: a tensor
 * @frame: a frame index
 * @channel: a channel, region × 3 + colour (0 R, 1 G, 2 B)
 *
 * Returns: (transfer none): the 72×72 row-major plane
 */
const guint8 *
vital_tensor_get_plane (const VitalTensor *self,
                        guint frame,
                        guint channel)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (frame < self->frame_count, NULL);
  g_return_val_if_fail (channel < VITAL_TENSOR_CHANNELS, NULL);
  return frames_base (self) + (gsize) frame * VITAL_TENSOR_FRAME_SIZE
         + (gsize) channel * VITAL_TENSOR_PLANE_SIZE;
}

/**
 * vital_tensor_get_frames:
 * @self: a tensor
 *
 * Shares the raw frames without copying. From then on the tensor can no longer grow.
 *
 * Returns: (transfer full): all frames, planar, frame after frame
 */
GBytes *
vital_tensor_get_frames (VitalTensor *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  self->frozen = TRUE;
  return g_bytes_new_with_free_func (frames_base (self), self->frames->len - self->skip,
                                     (GDestroyNotify) g_byte_array_unref,
                                     g_byte_array_ref (self->frames));
}

/**
 * vital_tensor_new_from_payload:
 * @payload: (transfer full): a plain payload, header and body, already checked (CRC included)
 * @header: its header
 *
 * Undoes the delta coding in place and wraps the frames, without copying them.
 *
 * Returns: (transfer full): the tensor
 */
VitalTensor *
vital_tensor_new_from_payload (GByteArray *payload,
                               const VitalTensorHeader *header)
{
  guint8 *body = payload->data + VITAL_TENSOR_HEADER_SIZE;
  gsize body_size = (gsize) header->frame_count * VITAL_TENSOR_FRAME_SIZE;
  VitalTensor *self;

  if (header->flags & VITAL_TENSOR_FLAG_DELTA)
    vital_tensor_format_delta_decode (body, body_size);

  self = vital_tensor_new (header->frame_rate_millihz / 1000.0, header->capture_start_us);
  g_byte_array_unref (self->frames);
  self->frames = payload;
  self->skip = VITAL_TENSOR_HEADER_SIZE;
  self->frame_count = header->frame_count;
  return self;
}
