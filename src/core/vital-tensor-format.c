/* vital-tensor-format.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the tensor format's byte-level rules: the 36-byte header (layout, and the checks in the
 * order docs/tensor-format.md §5 gives them), the body's CRC-32 and the temporal delta coding.
 * Nothing here compresses or allocates; the encoder and both decoders build on it.
 */
#include "vital-config.h"

#include <string.h>
#include <libdeflate.h>

#include "vital-tensor-format-private.h"

G_DEFINE_QUARK (vital-tensor-error-quark, vital_tensor_error)

/* Header field offsets (little-endian). */
enum {
  OFF_MAGIC = 0,
  OFF_VERSION = 4,
  OFF_FLAGS = 6,
  OFF_FRAME_COUNT = 8,
  OFF_CHANNELS = 12,
  OFF_HEIGHT = 14,
  OFF_WIDTH = 16,
  OFF_RESERVED = 18,
  OFF_FRAME_RATE = 20,
  OFF_CAPTURE_START = 24,
  OFF_BODY_CRC = 32,
};

static const guint8 tensor_magic[4] = { 'V', 'T', 'S', 'R' };

static void
put_u16 (guint8 *p, guint16 v)
{
  v = GUINT16_TO_LE (v);
  memcpy (p, &v, sizeof v);
}

static void
put_u32 (guint8 *p, guint32 v)
{
  v = GUINT32_TO_LE (v);
  memcpy (p, &v, sizeof v);
}

static void
put_i64 (guint8 *p, gint64 v)
{
  guint64 u = GUINT64_TO_LE ((guint64) v);
  memcpy (p, &u, sizeof u);
}

static guint16
get_u16 (const guint8 *p)
{
  guint16 v;
  memcpy (&v, p, sizeof v);
  return GUINT16_FROM_LE (v);
}

static guint32
get_u32 (const guint8 *p)
{
  guint32 v;
  memcpy (&v, p, sizeof v);
  return GUINT32_FROM_LE (v);
}

static gint64
get_i64 (const guint8 *p)
{
  guint64 v;
  memcpy (&v, p, sizeof v);
  return (gint64) GUINT64_FROM_LE (v);
}

/**
 * vital_tensor_format_write_header:
 * @out: (out caller-allocates): %VITAL_TENSOR_HEADER_SIZE bytes to fill
 * @header: the fields; the reserved field is always written as 0
 *
 * Lays the header out as docs/tensor-format.md §2 says.
 */
void
vital_tensor_format_write_header (guint8 *out,
                                  const VitalTensorHeader *header)
{
  memcpy (out + OFF_MAGIC, tensor_magic, sizeof tensor_magic);
  put_u16 (out + OFF_VERSION, header->version);
  put_u16 (out + OFF_FLAGS, header->flags);
  put_u32 (out + OFF_FRAME_COUNT, header->frame_count);
  put_u16 (out + OFF_CHANNELS, header->channels);
  put_u16 (out + OFF_HEIGHT, header->height);
  put_u16 (out + OFF_WIDTH, header->width);
  put_u16 (out + OFF_RESERVED, 0);
  put_u32 (out + OFF_FRAME_RATE, header->frame_rate_millihz);
  put_i64 (out + OFF_CAPTURE_START, header->capture_start_us);
  put_u32 (out + OFF_BODY_CRC, header->body_crc32);
}

/**
 * vital_tensor_format_read_header:
 * @in: %VITAL_TENSOR_HEADER_SIZE header bytes
 * @header: (out caller-allocates): the fields
 * @error: return location for a #GError
 *
 * Parses and validates a header; the checks run in the documented order (§5) and the first that
 * fails names the error. capture_start_us and body_crc32 may hold any value.
 *
 * Returns: %TRUE when the header is valid
 */
gboolean
vital_tensor_format_read_header (const guint8 *in,
                                 VitalTensorHeader *header,
                                 GError **error)
{
  if (memcmp (in + OFF_MAGIC, tensor_magic, sizeof tensor_magic) != 0)
    {
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_BAD_MAGIC,
                   "not a Vitalscan tensor: magic is %02x %02x %02x %02x, expected \"VTSR\"",
                   in[0], in[1], in[2], in[3]);
      return FALSE;
    }

  header->version = get_u16 (in + OFF_VERSION);
  header->flags = get_u16 (in + OFF_FLAGS);
  header->frame_count = get_u32 (in + OFF_FRAME_COUNT);
  header->channels = get_u16 (in + OFF_CHANNELS);
  header->height = get_u16 (in + OFF_HEIGHT);
  header->width = get_u16 (in + OFF_WIDTH);
  header->frame_rate_millihz = get_u32 (in + OFF_FRAME_RATE);
  header->capture_start_us = get_i64 (in + OFF_CAPTURE_START);
  header->body_crc32 = get_u32 (in + OFF_BODY_CRC);

  if (header->version != VITAL_TENSOR_VERSION)
    {
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_BAD_VERSION,
                   "tensor format version %u is not supported (this build reads version %d)",
                   header->version, VITAL_TENSOR_VERSION);
      return FALSE;
    }
  if ((header->flags & ~VITAL_TENSOR_KNOWN_FLAGS) != 0 || get_u16 (in + OFF_RESERVED) != 0)
    {
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_BAD_FLAGS,
                   "unknown header flags 0x%04x or non-zero reserved field", header->flags);
      return FALSE;
    }
  if (header->channels != VITAL_TENSOR_CHANNELS || header->height != VITAL_TENSOR_HEIGHT
      || header->width != VITAL_TENSOR_WIDTH)
    {
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_BAD_DIMENSIONS,
                   "tensor is %u channels of %u×%u, expected %d channels of %d×%d",
                   header->channels, header->height, header->width,
                   VITAL_TENSOR_CHANNELS, VITAL_TENSOR_HEIGHT, VITAL_TENSOR_WIDTH);
      return FALSE;
    }
  if (header->frame_rate_millihz < VITAL_TENSOR_MIN_FRAME_RATE_MILLIHZ
      || header->frame_rate_millihz > VITAL_TENSOR_MAX_FRAME_RATE_MILLIHZ)
    {
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_BAD_FRAME_RATE,
                   "frame rate %.3f fps is outside 1–240 fps", header->frame_rate_millihz / 1000.0);
      return FALSE;
    }
  if (header->frame_count == 0)
    {
      g_set_error_literal (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_EMPTY,
                           "tensor holds no frames");
      return FALSE;
    }
  if (header->frame_count > VITAL_TENSOR_MAX_FRAMES)
    {
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_TOO_MANY_FRAMES,
                   "tensor declares %u frames, above the limit of %d",
                   header->frame_count, VITAL_TENSOR_MAX_FRAMES);
      return FALSE;
    }
  return TRUE;
}

/**
 * vital_tensor_format_payload_size:
 * @header: a valid header
 *
 * Returns: the size of the plain payload it heads: 36 + frame_count × 62,208 bytes
 */
gsize
vital_tensor_format_payload_size (const VitalTensorHeader *header)
{
  return VITAL_TENSOR_HEADER_SIZE + (gsize) header->frame_count * VITAL_TENSOR_FRAME_SIZE;
}

/**
 * vital_tensor_format_check_frame_rate:
 * @frame_rate: frames per second
 * @error: return location for a #GError
 *
 * Checks that a frame rate is one the header can carry (1–240 fps).
 *
 * Returns: %TRUE when it is; %FALSE with %VITAL_TENSOR_ERROR_BAD_FRAME_RATE otherwise
 */
gboolean
vital_tensor_format_check_frame_rate (double frame_rate,
                                      GError **error)
{
  if (!(frame_rate * 1000.0 >= VITAL_TENSOR_MIN_FRAME_RATE_MILLIHZ
        && frame_rate * 1000.0 <= VITAL_TENSOR_MAX_FRAME_RATE_MILLIHZ))
    {
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_BAD_FRAME_RATE,
                   "frame rate %.3f fps is outside 1–240 fps", frame_rate);
      return FALSE;
    }
  return TRUE;
}

/**
 * vital_tensor_format_body_crc32:
 * @body: body bytes as stored
 * @size: their number
 *
 * Returns: their CRC-32, as zlib's crc32() gives it (libdeflate's is several times faster)
 */
guint32
vital_tensor_format_body_crc32 (const guint8 *body,
                                gsize size)
{
  return libdeflate_crc32 (0, body, size);
}

/* One frame of the delta coding, over memory that does not overlap: a loop of a constant length
 * (a multiple of any vector width) through restrict parameters is one GCC vectorizes at -O2,
 * where its cheap cost model refuses a loop that needs a remainder or an alias check. */
static inline void
delta_encode_frame (const guint8 *restrict now,
                    const guint8 *restrict before,
                    guint8 *restrict       out)
{
  for (gsize i = 0; i < VITAL_TENSOR_FRAME_SIZE; i++)
    out[i] = (guint8) (now[i] - before[i]);
}

static inline void
delta_decode_frame (guint8 *restrict       frame,
                    const guint8 *restrict before)
{
  for (gsize i = 0; i < VITAL_TENSOR_FRAME_SIZE; i++)
    frame[i] = (guint8) (frame[i] + before[i]);
}

/**
 * vital_tensor_format_delta_encode:
 * @raw: whole frames, raw
 * @stored: (out caller-allocates): @size bytes for the body as stored; must not overlap @raw
 * @size: a multiple of %VITAL_TENSOR_FRAME_SIZE, at least one frame
 *
 * Temporal delta coding (§4): frame 0 as is, every later byte minus the same byte one frame
 * earlier, modulo 256.
 */
void
vital_tensor_format_delta_encode (const guint8 *raw,
                                  guint8 *stored,
                                  gsize size)
{
  memcpy (stored, raw, VITAL_TENSOR_FRAME_SIZE);
  for (gsize f = VITAL_TENSOR_FRAME_SIZE; f < size; f += VITAL_TENSOR_FRAME_SIZE)
    delta_encode_frame (raw + f, raw + f - VITAL_TENSOR_FRAME_SIZE, stored + f);
}

/**
 * vital_tensor_format_delta_decode:
 * @body: (inout): a delta-coded body, turned into raw frames in place
 * @size: a multiple of %VITAL_TENSOR_FRAME_SIZE
 *
 * Undoes vital_tensor_format_delta_encode(), frame after frame (each adds the one before,
 * which it does not overlap).
 */
void
vital_tensor_format_delta_decode (guint8 *body,
                                  gsize size)
{
  for (gsize f = VITAL_TENSOR_FRAME_SIZE; f < size; f += VITAL_TENSOR_FRAME_SIZE)
    delta_decode_frame (body + f, body + f - VITAL_TENSOR_FRAME_SIZE);
}
