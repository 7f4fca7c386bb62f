/* vital-tensor.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the tensor wire format: header layout, delta coding, gzip framing, the hostile-input-safe
 * decoder, and packing one RGB frame into the 12 planes. The byte layout is in
 * docs/tensor-format.md; keep the two in step.
 */
#include "vital-config.h"

#include <math.h>
#include <string.h>
#include <libdeflate.h>
#include <zlib.h>

#include "vital-gzip.h"
#include "vital-memory.h"
#include "vital-tensor-format-private.h"
#include "vital-tensor-private.h"

/* Inflate in steps of this many bytes so a lying header never causes a huge allocation. */
#define INFLATE_CHUNK (1024 * 1024)

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

static gboolean
is_gzip (const guint8 *data,
         gsize size)
{
  return size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
}

/* ---- encode ------------------------------------------------------------------------------- */

/* Delta-coded bodies are small residuals with runs of zeros: LZ77 string matching finds almost
 * nothing there, so run-length + Huffman (Z_RLE) compresses them better and several times faster
 * than the default strategy (measured by bench/tensor-bench). */
static GBytes *
gzip_bytes (const guint8 *data,
            gsize size,
            int level,
            gboolean delta_coded,
            GError **error)
{
  return vital_gzip_compress (data, size, level, delta_coded ? Z_RLE : Z_DEFAULT_STRATEGY,
                              error);
}

/**
 * vital_tensor_encode:
 * @self: a tensor with at least one frame
 * @flags: %VITAL_TENSOR_ENCODE_GZIP and/or %VITAL_TENSOR_ENCODE_DELTA
 * @level: deflate level 0–9, or -1 for zlib's default (6); ignored without gzip
 * @error: return location for a #GError
 *
 * Serialises the tensor as a payload (docs/tensor-format.md). The output is a pure function of
 * the frames, header fields, @flags and @level.
 *
 * Returns: (transfer full) (nullable): the payload, or %NULL with @error set
 */
GBytes *
vital_tensor_encode (VitalTensor *self,
                     VitalTensorEncodeFlags flags,
                     int level,
                     GError **error)
{
  VitalTensorHeader h = { 0 };
  g_autoptr(GByteArray) plain = NULL;
  gsize body_size;
  guint8 *body;

  g_return_val_if_fail (self != NULL, NULL);

  if (level < -1 || level > 9)
    {
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_INVALID_ARGUMENT,
                   "compression level %d is outside -1..9", level);
      return NULL;
    }
  if ((flags & ~(VITAL_TENSOR_ENCODE_GZIP | VITAL_TENSOR_ENCODE_DELTA)) != 0)
    {
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_INVALID_ARGUMENT,
                   "unknown encode flags 0x%x", (unsigned) flags);
      return NULL;
    }
  if (self->frame_count == 0)
    {
      g_set_error_literal (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_EMPTY,
                           "cannot encode a tensor with no frames");
      return NULL;
    }
  if (!vital_tensor_format_check_frame_rate (self->frame_rate, error))
    return NULL;

  body_size = (gsize) self->frame_count * VITAL_TENSOR_FRAME_SIZE;
  plain = g_byte_array_sized_new (VITAL_TENSOR_HEADER_SIZE + body_size);
  g_byte_array_set_size (plain, VITAL_TENSOR_HEADER_SIZE + body_size);
  vital_memory_prefer_huge_pages (plain->data, plain->len);
  body = plain->data + VITAL_TENSOR_HEADER_SIZE;

  if (flags & VITAL_TENSOR_ENCODE_DELTA)
    vital_tensor_format_delta_encode (frames_base (self), body, body_size);
  else
    memcpy (body, frames_base (self), body_size);

  h.version = VITAL_TENSOR_VERSION;
  h.flags = (flags & VITAL_TENSOR_ENCODE_DELTA) ? VITAL_TENSOR_FLAG_DELTA : 0;
  h.frame_count = self->frame_count;
  h.channels = VITAL_TENSOR_CHANNELS;
  h.height = VITAL_TENSOR_HEIGHT;
  h.width = VITAL_TENSOR_WIDTH;
  h.frame_rate_millihz = (guint32) lround (self->frame_rate * 1000.0);
  h.capture_start_us = self->capture_start_us;
  h.body_crc32 = vital_tensor_format_body_crc32 (body, body_size);
  vital_tensor_format_write_header (plain->data, &h);

  if (flags & VITAL_TENSOR_ENCODE_GZIP)
    return gzip_bytes (plain->data, plain->len, level,
                       (flags & VITAL_TENSOR_ENCODE_DELTA) != 0, error);

  return g_byte_array_free_to_bytes (g_steal_pointer (&plain));
}

/* ---- decode ------------------------------------------------------------------------------- */

/* The fast path for well-formed payloads: zlib inflates just the 36 header bytes, then libdeflate
 * decodes the whole member straight into a buffer of the declared size (it checks the gzip CRC-32
 * and length, and never writes past the buffer). Returns NULL for anything unusual (a bad header,
 * a size deflate cannot reach, a corrupt, short, long or trailing stream) and leaves the exact
 * diagnosis to the incremental decoder. */
static GByteArray *
gunzip_whole (const guint8 *data,
              gsize size,
              VitalTensorHeader *h)
{
  z_stream zs = { 0 };
  guint8 head[VITAL_TENSOR_HEADER_SIZE];
  g_autoptr(GByteArray) out = NULL;
  struct libdeflate_decompressor *d;
  enum libdeflate_result ret;
  size_t in_used = 0, out_len = 0;
  gsize expected;

  if (inflateInit2 (&zs, 15 + 16) != Z_OK)
    return NULL;
  zs.next_in = (Bytef *) data;
  zs.avail_in = (uInt) size;
  zs.next_out = head;
  zs.avail_out = sizeof head;
  while (zs.avail_out > 0 && inflate (&zs, Z_NO_FLUSH) == Z_OK)
    ;
  inflateEnd (&zs);
  if (zs.avail_out > 0 || !vital_tensor_format_read_header (head, h, NULL))
    return NULL;

  expected = VITAL_TENSOR_HEADER_SIZE + (gsize) h->frame_count * VITAL_TENSOR_FRAME_SIZE;
  if (expected > (gsize) 1032 * size)
    return NULL;
  out = g_byte_array_sized_new (expected);
  g_byte_array_set_size (out, expected);
  vital_memory_prefer_huge_pages (out->data, expected);

  d = libdeflate_alloc_decompressor ();
  if (d == NULL)
    return NULL;
  ret = libdeflate_gzip_decompress_ex (d, data, size, out->data, expected, &in_used, &out_len);
  libdeflate_free_decompressor (d);
  if (ret != LIBDEFLATE_SUCCESS || out_len != expected || in_used != size)
    return NULL;
  return g_steal_pointer (&out);
}

/* Inflates a gzip payload into exactly 36 + frame_count × 62,208 bytes, validating the header as
 * soon as its 36 bytes are out so a lying or hostile stream is never inflated past that. With
 * @try_index, an indexed payload is inflated chunk by chunk first; that path checks the body's
 * CRC-32 itself and says so in @out_crc_checked. */
static GByteArray *
gunzip_payload (const guint8 *data,
                gsize size,
                gboolean try_index,
                VitalTensorHeader *h,
                gboolean *out_crc_checked,
                GError **error)
{
  z_stream zs = { 0 };
  g_autoptr(GByteArray) out = NULL;
  gsize expected = VITAL_TENSOR_HEADER_SIZE;
  gboolean have_header = FALSE;
  gboolean ended = FALSE;
  gsize reserve;
  int ret;

  if (size > G_MAXUINT)
    {
      g_set_error_literal (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_OVERSIZED,
                           "compressed payload is larger than 4 GiB");
      return NULL;
    }
  /* Fast paths first: every chunk on its own core when the writer indexed them, else all of it
   * at once with libdeflate. */
  if (try_index)
    out = vital_tensor_reader_inflate_indexed (data, size, h);
  *out_crc_checked = out != NULL;
  if (out == NULL)
    out = gunzip_whole (data, size, h);
  if (out != NULL)
    return g_steal_pointer (&out);
  out = g_byte_array_new ();

  if (inflateInit2 (&zs, 15 + 16) != Z_OK)
    {
      g_set_error_literal (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_COMPRESSION,
                           "zlib could not start decompressing");
      return NULL;
    }
  zs.next_in = (Bytef *) data;
  zs.avail_in = (uInt) size;

  while (!ended)
    {
      gsize room = MIN (expected - out->len, (gsize) INFLATE_CHUNK);
      gsize before = out->len;
      guint8 probe;

      if (room == 0)
        {
          /* Everything the header declares is out: the stream must end right here. */
          zs.next_out = &probe;
          zs.avail_out = 1;
          ret = inflate (&zs, Z_NO_FLUSH);
          if (ret == Z_STREAM_END && zs.avail_out == 1)
            {
              ended = TRUE;
              break;
            }
          if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT || ret == Z_MEM_ERROR)
            goto corrupt;
          if (zs.avail_out == 0)
            {
              inflateEnd (&zs);
              g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_OVERSIZED,
                           "decompressed payload is larger than the %" G_GSIZE_FORMAT
                           " bytes its header declares", expected);
              return NULL;
            }
          if (ret == Z_BUF_ERROR || zs.avail_in == 0)
            goto truncated;
          continue;
        }

      g_byte_array_set_size (out, before + room);
      zs.next_out = out->data + before;
      zs.avail_out = (uInt) room;
      ret = inflate (&zs, Z_NO_FLUSH);
      g_byte_array_set_size (out, before + (room - zs.avail_out));

      if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT || ret == Z_MEM_ERROR)
        goto corrupt;
      if (ret == Z_STREAM_END)
        ended = TRUE;

      if (!have_header && out->len >= VITAL_TENSOR_HEADER_SIZE)
        {
          if (!vital_tensor_format_read_header (out->data, h, error))
            {
              inflateEnd (&zs);
              return NULL;
            }
          have_header = TRUE;
          expected = VITAL_TENSOR_HEADER_SIZE + (gsize) h->frame_count * VITAL_TENSOR_FRAME_SIZE;
          /* Reserve the whole body at once (no regrowth copies), but never more than deflate's
           * 1032:1 maximum ratio allows for this input, so a lying header costs nothing. */
          reserve = MIN (expected, (gsize) 1032 * size + INFLATE_CHUNK);
          if (reserve > out->len)
            {
              gsize keep = out->len;

              g_byte_array_set_size (out, reserve);
              vital_memory_prefer_huge_pages (out->data, reserve);
              g_byte_array_set_size (out, keep);
            }
        }

      if (!ended && out->len == before && (ret == Z_BUF_ERROR || zs.avail_in == 0))
        goto truncated;
    }

  if (out->len < expected || !have_header)
    goto truncated;

  if (zs.avail_in != 0)
    {
      inflateEnd (&zs);
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_OVERSIZED,
                   "%u unexpected bytes after the gzip stream", zs.avail_in);
      return NULL;
    }

  inflateEnd (&zs);
  return g_steal_pointer (&out);

truncated:
  inflateEnd (&zs);
  if (!have_header)
    g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_TRUNCATED,
                 "payload truncated: %u of %d header bytes", out->len, VITAL_TENSOR_HEADER_SIZE);
  else
    g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_TRUNCATED,
                 "payload truncated: %u of %" G_GSIZE_FORMAT " bytes (compressed stream ended early)",
                 out->len, expected);
  return NULL;

corrupt:
  g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_COMPRESSION,
               "corrupt gzip stream: %s", zs.msg ? zs.msg : "invalid data");
  inflateEnd (&zs);
  return NULL;
}

/**
 * vital_tensor_peek_header:
 * @payload: an encoded payload, plain or gzipped
 * @out_header: (out caller-allocates): the validated header
 * @out_gzipped: (out) (optional): whether the payload is gzipped
 * @error: return location for a #GError
 *
 * Reads and validates only the header; for gzip payloads only the first bytes are inflated.
 * The body is not checked (vital_tensor_decode() does that).
 *
 * Returns: %TRUE when the header is valid
 */
gboolean
vital_tensor_peek_header (GBytes *payload,
                          VitalTensorHeader *out_header,
                          gboolean *out_gzipped,
                          GError **error)
{
  gsize size = 0;
  const guint8 *data;
  guint8 head[VITAL_TENSOR_HEADER_SIZE];

  g_return_val_if_fail (payload != NULL, FALSE);
  g_return_val_if_fail (out_header != NULL, FALSE);

  data = g_bytes_get_data (payload, &size);
  if (out_gzipped)
    *out_gzipped = is_gzip (data, size);

  if (is_gzip (data, size))
    {
      z_stream zs = { 0 };
      int ret;

      if (inflateInit2 (&zs, 15 + 16) != Z_OK)
        {
          g_set_error_literal (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_COMPRESSION,
                               "zlib could not start decompressing");
          return FALSE;
        }
      zs.next_in = (Bytef *) data;
      zs.avail_in = (uInt) MIN (size, (gsize) G_MAXUINT);
      zs.next_out = head;
      zs.avail_out = sizeof head;
      do
        ret = inflate (&zs, Z_NO_FLUSH);
      while (ret == Z_OK && zs.avail_out > 0 && zs.avail_in > 0);
      inflateEnd (&zs);
      if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT || ret == Z_MEM_ERROR)
        {
          g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_COMPRESSION,
                       "corrupt gzip stream: %s", zs.msg ? zs.msg : "invalid data");
          return FALSE;
        }
      if (zs.avail_out > 0)
        {
          g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_TRUNCATED,
                       "payload truncated: %u of %d header bytes",
                       (unsigned) (sizeof head - zs.avail_out), VITAL_TENSOR_HEADER_SIZE);
          return FALSE;
        }
      return vital_tensor_format_read_header (head, out_header, error);
    }

  if (size < VITAL_TENSOR_HEADER_SIZE)
    {
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_TRUNCATED,
                   "payload truncated: %" G_GSIZE_FORMAT " of %d header bytes",
                   size, VITAL_TENSOR_HEADER_SIZE);
      return FALSE;
    }
  return vital_tensor_format_read_header (data, out_header, error);
}

/**
 * vital_tensor_new_from_payload:
 * @payload: (transfer full): a plain payload, header and body, already checked (CRC included)
 * @h: its header
 *
 * Undoes the delta coding in place and wraps the frames, without copying them.
 *
 * Returns: (transfer full): the tensor
 */
VitalTensor *
vital_tensor_new_from_payload (GByteArray *payload,
                               const VitalTensorHeader *h)
{
  guint8 *body = payload->data + VITAL_TENSOR_HEADER_SIZE;
  gsize body_size = (gsize) h->frame_count * VITAL_TENSOR_FRAME_SIZE;
  VitalTensor *self;

  if (h->flags & VITAL_TENSOR_FLAG_DELTA)
    vital_tensor_format_delta_decode (body, body_size);

  self = vital_tensor_new (h->frame_rate_millihz / 1000.0, h->capture_start_us);
  g_byte_array_unref (self->frames);
  self->frames = payload;
  self->skip = VITAL_TENSOR_HEADER_SIZE;
  self->frame_count = h->frame_count;
  return self;
}

/**
 * vital_tensor_decode:
 * @payload: an encoded payload, plain or gzipped
 * @out_header: (out caller-allocates) (optional): the header as stored
 * @error: return location for a #GError
 *
 * Decodes a payload from an untrusted source. Every malformation is reported with its own
 * %VITAL_TENSOR_ERROR code; nothing is read out of bounds and a gzip stream is never inflated past
 * the size its header declares.
 *
 * Returns: (transfer full) (nullable): the tensor with raw (un-delta'd) frames, or %NULL
 */
VitalTensor *
vital_tensor_decode (GBytes *payload,
                     VitalTensorHeader *out_header,
                     GError **error)
{
  g_return_val_if_fail (payload != NULL, NULL);
  return vital_tensor_decode_full (payload, TRUE, out_header, error);
}

/**
 * vital_tensor_decode_full:
 * @payload: an encoded payload, plain or gzipped
 * @try_index: whether to inflate an indexed payload chunk by chunk first; %FALSE when that was
 *   just tried on these bytes and failed
 * @out_header: (out caller-allocates) (optional): the header as stored
 * @error: return location for a #GError
 *
 * vital_tensor_decode(), for the reader's fallback.
 *
 * Returns: (transfer full) (nullable): the tensor, or %NULL
 */
VitalTensor *
vital_tensor_decode_full (GBytes *payload,
                          gboolean try_index,
                          VitalTensorHeader *out_header,
                          GError **error)
{
  VitalTensorHeader h = { 0 };
  g_autoptr(GByteArray) whole = NULL;
  gsize size = 0;
  const guint8 *data;
  gsize body_size;
  gboolean crc_checked = FALSE;
  guint32 crc;
  VitalTensor *self;

  data = g_bytes_get_data (payload, &size);

  if (is_gzip (data, size))
    {
      whole = gunzip_payload (data, size, try_index, &h, &crc_checked, error);
      if (whole == NULL)
        return NULL;
    }
  else
    {
      gsize expected;

      if (size < VITAL_TENSOR_HEADER_SIZE)
        {
          g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_TRUNCATED,
                       "payload truncated: %" G_GSIZE_FORMAT " of %d header bytes",
                       size, VITAL_TENSOR_HEADER_SIZE);
          return NULL;
        }
      if (!vital_tensor_format_read_header (data, &h, error))
        return NULL;
      expected = VITAL_TENSOR_HEADER_SIZE + (gsize) h.frame_count * VITAL_TENSOR_FRAME_SIZE;
      if (size < expected)
        {
          g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_TRUNCATED,
                       "payload truncated: %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes",
                       size, expected);
          return NULL;
        }
      if (size > expected)
        {
          g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_OVERSIZED,
                       "payload has %" G_GSIZE_FORMAT " bytes after the %u frames it declares",
                       size - expected, h.frame_count);
          return NULL;
        }
      whole = g_byte_array_sized_new (size);
      g_byte_array_append (whole, data, size);
    }

  body_size = (gsize) h.frame_count * VITAL_TENSOR_FRAME_SIZE;
  if (!crc_checked)
    {
      crc = vital_tensor_format_body_crc32 (whole->data + VITAL_TENSOR_HEADER_SIZE, body_size);
      if (crc != h.body_crc32)
        {
          g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_CHECKSUM,
                       "payload corrupted: body CRC-32 is %08x, header says %08x", crc,
                       h.body_crc32);
          return NULL;
        }
    }

  self = vital_tensor_new_from_payload (g_steal_pointer (&whole), &h);
  if (out_header)
    *out_header = h;
  return self;
}
