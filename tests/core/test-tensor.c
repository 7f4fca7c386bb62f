/* test-tensor.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests for the tensor wire format: golden vectors, round trips, packing, and every way a
 * hostile payload can be malformed.
 */
#include "vital-config.h"

#include <math.h>
#include <string.h>
#include <zlib.h>

#include "vital-tensor.h"
#include "vital-tensor-placeholder.h"
#include "vital-tensor-reader.h"

#include "tensor-asserts.h"
#include "vital-test-util.h"

/* The golden frames: a documented formula (docs/tensor-format.md, "Golden vectors"). */
static guint8
golden_value (guint f, guint c, guint y, guint x)
{
  return (guint8) ((f * 7 + c * 31 + y * 3 + x * 5 + ((x * y) >> 3)) & 0xff);
}

static VitalTensor *
golden_tensor (void)
{
  VitalTensor *t = vital_tensor_new (30.0, G_GINT64_CONSTANT (1767225600000000));

  for (guint f = 0; f < 3; f++)
    {
      guint8 *frame = vital_tensor_append_frame (t);

      for (guint c = 0; c < VITAL_TENSOR_CHANNELS; c++)
        for (guint y = 0; y < VITAL_TENSOR_HEIGHT; y++)
          for (guint x = 0; x < VITAL_TENSOR_WIDTH; x++)
            frame[c * VITAL_TENSOR_PLANE_SIZE + y * VITAL_TENSOR_WIDTH + x] =
              golden_value (f, c, y, x);
    }
  return t;
}

static GBytes *
load_golden (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

typedef struct
{
  const char *file;
  VitalTensorEncodeFlags flags;
} GoldenCase;

static const GoldenCase golden_cases[] = {
  { "tensor-plain.vtsr", VITAL_TENSOR_ENCODE_PLAIN },
  { "tensor-gzip.vtsr", VITAL_TENSOR_ENCODE_GZIP },
  { "tensor-delta.vtsr", VITAL_TENSOR_ENCODE_DELTA },
  { "tensor-delta-gzip.vtsr", VITAL_TENSOR_ENCODE_GZIP | VITAL_TENSOR_ENCODE_DELTA },
};

static void
test_golden_encode (gconstpointer data)
{
  const GoldenCase *gc = data;
  g_autoptr(VitalTensor) t = golden_tensor ();
  g_autoptr(GBytes) expected = load_golden (gc->file);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) encoded = vital_tensor_encode (t, gc->flags, 9, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (encoded), ==, g_bytes_get_size (expected));
  g_assert_true (g_bytes_equal (encoded, expected));
}

static void
test_golden_decode (gconstpointer data)
{
  const GoldenCase *gc = data;
  g_autoptr(VitalTensor) t = golden_tensor ();
  g_autoptr(GBytes) payload = load_golden (gc->file);
  g_autoptr(GError) error = NULL;
  VitalTensorHeader h;
  g_autoptr(VitalTensor) decoded = vital_tensor_decode (payload, &h, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (h.frame_count, ==, 3);
  g_assert_cmpuint (h.frame_rate_millihz, ==, 30000);
  g_assert_cmpuint (!!(h.flags & VITAL_TENSOR_FLAG_DELTA), ==,
                    !!(gc->flags & VITAL_TENSOR_ENCODE_DELTA));
  assert_same_frames (t, decoded);
}

static void
test_header_layout (void)
{
  g_autoptr(VitalTensor) t = golden_tensor ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) encoded = vital_tensor_encode (t, VITAL_TENSOR_ENCODE_DELTA, -1, &error);
  const guint8 *p = g_bytes_get_data (encoded, NULL);
  static const guint8 expected_head[32] = {
    'V', 'T', 'S', 'R', 0x01, 0x00, 0x01, 0x00,  /* magic, version 1, flags delta */
    0x03, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x48, 0x00,  /* 3 frames, 12 channels, height 72 */
    0x48, 0x00, 0x00, 0x00, 0x30, 0x75, 0x00, 0x00,  /* width 72, reserved, 30000 mHz */
    0x00, 0x40, 0x20, 0x46, 0x48, 0x47, 0x06, 0x00,  /* 1767225600000000 µs */
  };

  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (encoded), ==, 36 + 3 * 62208);
  g_assert_cmpmem (p, 32, expected_head, 32);
  g_assert_cmpuint (GUINT32_FROM_LE (*(guint32 *) (p + 32)), ==,
                    crc32 (0, p + 36, 3 * 62208));
}

/* A scan-sized payload is compressed in chunks on several threads, yet it must be one plain gzip
 * member: a single inflate() call with the gzip wrapper (which stops at the end of the first
 * member and checks its CRC-32 and length) gives back every byte. */
static void
test_gzip_chunks_make_one_member (void)
{
  g_autoptr(VitalTensor) t = vital_tensor_placeholder (450);   /* 28 MB: several chunks */
  const VitalTensorEncodeFlags modes[] = { VITAL_TENSOR_ENCODE_GZIP, VITAL_TENSOR_ENCODE_DEFAULT };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) gz = vital_tensor_encode (t, modes[m], -1, &error);
      g_autoptr(GBytes) plain = NULL;
      g_autoptr(GBytes) again = NULL;
      g_autoptr(VitalTensor) decoded = NULL;
      z_stream zs = { 0 };
      gsize plain_size;
      guint8 *out;

      g_assert_no_error (error);
      plain = vital_tensor_encode (t, modes[m] & ~VITAL_TENSOR_ENCODE_GZIP, -1, &error);
      g_assert_no_error (error);
      plain_size = g_bytes_get_size (plain);
      out = g_malloc (plain_size + 1);

      g_assert_cmpint (inflateInit2 (&zs, 15 + 16), ==, Z_OK);
      zs.next_in = (Bytef *) g_bytes_get_data (gz, NULL);
      zs.avail_in = (uInt) g_bytes_get_size (gz);
      zs.next_out = out;
      zs.avail_out = (uInt) plain_size + 1;
      g_assert_cmpint (inflate (&zs, Z_FINISH), ==, Z_STREAM_END);
      g_assert_cmpuint (zs.avail_in, ==, 0);        /* nothing after the first member */
      g_assert_cmpuint (zs.total_out, ==, plain_size);
      g_assert_cmpmem (out, plain_size, g_bytes_get_data (plain, NULL), plain_size);
      inflateEnd (&zs);
      g_free (out);

      decoded = vital_tensor_decode (gz, NULL, &error);
      g_assert_no_error (error);
      assert_same_frames (t, decoded);
      /* Reproducible: the chunking depends on the size, not on threads or timing. */
      again = vital_tensor_encode (t, modes[m], -1, &error);
      g_assert_true (g_bytes_equal (gz, again));
    }
}

static void
test_roundtrip_modes (void)
{
  g_autoptr(VitalTensor) t = vital_tensor_placeholder (150);
  const VitalTensorEncodeFlags modes[] = {
    VITAL_TENSOR_ENCODE_PLAIN, VITAL_TENSOR_ENCODE_GZIP, VITAL_TENSOR_ENCODE_DELTA,
    VITAL_TENSOR_ENCODE_DEFAULT,
  };
  gsize sizes[G_N_ELEMENTS (modes)];

  g_assert_cmpuint (vital_tensor_get_frame_count (t), ==, 150);
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) payload = vital_tensor_encode (t, modes[i], 1, &error);
      g_autoptr(VitalTensor) back = NULL;

      g_assert_no_error (error);
      sizes[i] = g_bytes_get_size (payload);
      back = vital_tensor_decode (payload, NULL, &error);
      g_assert_no_error (error);
      assert_same_frames (t, back);
    }
  g_assert_cmpuint (sizes[0], ==, 36 + 150 * 62208);
  g_assert_cmpuint (sizes[1], <, sizes[0]);
}

static void
test_delta_wraps (void)
{
  /* Delta coding is mod 256: 250 → 3 → 255 → 0 must survive. */
  g_autoptr(VitalTensor) t = vital_tensor_new (25.0, 0);
  const guint8 seq[] = { 250, 3, 255, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(VitalTensor) back = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (seq); i++)
    memset (vital_tensor_append_frame (t), seq[i], VITAL_TENSOR_FRAME_SIZE);
  payload = vital_tensor_encode (t, VITAL_TENSOR_ENCODE_DELTA, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (payload, NULL))[36 + 62208], ==, 9);
  back = vital_tensor_decode (payload, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (seq); i++)
    g_assert_cmpuint (vital_tensor_get_frame (back, i)[100], ==, seq[i]);
}

static void
test_encode_rejects (void)
{
  g_autoptr(VitalTensor) empty = vital_tensor_new (30.0, 0);
  g_autoptr(VitalTensor) t = vital_tensor_placeholder (2);
  g_autoptr(VitalTensor) slow = vital_tensor_new (0.2, 0);
  g_autoptr(GError) error = NULL;
  GBytes *out;

  out = vital_tensor_encode (empty, VITAL_TENSOR_ENCODE_GZIP, -1, &error);
  g_assert_null (out);
  g_assert_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_EMPTY);
  g_clear_error (&error);

  out = vital_tensor_encode (t, VITAL_TENSOR_ENCODE_GZIP, 12, &error);
  g_assert_null (out);
  g_assert_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  vital_tensor_append_frame (slow);
  out = vital_tensor_encode (slow, VITAL_TENSOR_ENCODE_PLAIN, -1, &error);
  g_assert_null (out);
  g_assert_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_BAD_FRAME_RATE);
}

/* ---- hostile input ------------------------------------------------------------------------ */

static GBytes *
plain_payload (guint frames)
{
  g_autoptr(VitalTensor) t = vital_tensor_placeholder (frames);

  return vital_test_encode (t, VITAL_TENSOR_ENCODE_PLAIN);
}

static GBytes *
gzip_raw (const guint8 *data, gsize size)
{
  z_stream zs = { 0 };
  gsize cap = compressBound (size) + 64;
  guint8 *out = g_malloc (cap);

  g_assert_cmpint (deflateInit2 (&zs, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY), ==, Z_OK);
  zs.next_in = (Bytef *) data;
  zs.avail_in = size;
  zs.next_out = out;
  zs.avail_out = cap;
  g_assert_cmpint (deflate (&zs, Z_FINISH), ==, Z_STREAM_END);
  deflateEnd (&zs);
  return g_bytes_new_take (out, zs.total_out);
}

/* Decodes a modified copy of a valid 2-frame plain payload and expects @code. */
static void
expect_decode_error (GBytes *payload, int code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalTensor) t = vital_tensor_decode (payload, NULL, &error);

  g_assert_null (t);
  g_assert_error (error, VITAL_TENSOR_ERROR, code);
  g_assert_nonnull (error->message);
  g_test_message ("%s", error->message);
}

static GBytes *
patched (GBytes *src, gsize offset, const void *bytes, gsize n, gboolean fix_crc)
{
  gsize size = g_bytes_get_size (src);
  guint8 *copy = g_memdup2 (g_bytes_get_data (src, NULL), size);

  memcpy (copy + offset, bytes, n);
  if (fix_crc)
    {
      guint32 crc = GUINT32_TO_LE ((guint32) crc32 (0, copy + 36, size - 36));
      memcpy (copy + 32, &crc, 4);
    }
  return g_bytes_new_take (copy, size);
}

static void
test_decode_bad_header (void)
{
  g_autoptr(GBytes) ok = plain_payload (2);
  const guint8 bad_magic[] = { 'V', 'T', 'S', 'X' };
  const guint8 v2[] = { 2, 0 };
  const guint8 flag8[] = { 8, 0 };
  const guint8 ch3[] = { 3, 0 };
  const guint8 w64[] = { 64, 0 };
  const guint8 zero_rate[] = { 0, 0, 0, 0 };
  const guint8 huge_rate[] = { 0x40, 0x0d, 0x03, 0x00 }; /* 200 000 mHz is fine ... */
  const guint8 too_fast[] = { 0xc1, 0xa9, 0x03, 0x00 };  /* ... 240 001 mHz is not */
  const guint8 zero_frames[] = { 0, 0, 0, 0 };
  const guint8 many_frames[] = { 0x19, 0x15, 0, 0 };     /* 5401 */
  const guint8 reserved[] = { 1, 0 };
  struct { gsize off; const guint8 *b; gsize n; int code; } cases[] = {
    { 0, bad_magic, 4, VITAL_TENSOR_ERROR_BAD_MAGIC },
    { 4, v2, 2, VITAL_TENSOR_ERROR_BAD_VERSION },
    { 6, flag8, 2, VITAL_TENSOR_ERROR_BAD_FLAGS },
    { 18, reserved, 2, VITAL_TENSOR_ERROR_BAD_FLAGS },
    { 12, ch3, 2, VITAL_TENSOR_ERROR_BAD_DIMENSIONS },
    { 16, w64, 2, VITAL_TENSOR_ERROR_BAD_DIMENSIONS },
    { 20, zero_rate, 4, VITAL_TENSOR_ERROR_BAD_FRAME_RATE },
    { 20, too_fast, 4, VITAL_TENSOR_ERROR_BAD_FRAME_RATE },
    { 8, zero_frames, 4, VITAL_TENSOR_ERROR_EMPTY },
    { 8, many_frames, 4, VITAL_TENSOR_ERROR_TOO_MANY_FRAMES },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) p = patched (ok, cases[i].off, cases[i].b, cases[i].n, FALSE);
      g_autoptr(GBytes) z = gzip_raw (g_bytes_get_data (p, NULL), g_bytes_get_size (p));

      expect_decode_error (p, cases[i].code);
      expect_decode_error (z, cases[i].code);
    }

  /* A legal but unusual frame rate decodes. */
  {
    g_autoptr(GBytes) p = patched (ok, 20, huge_rate, 4, FALSE);
    g_autoptr(GError) error = NULL;
    g_autoptr(VitalTensor) t = vital_tensor_decode (p, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpfloat (vital_tensor_get_frame_rate (t), ==, 200.0);
  }
}

static void
test_decode_truncated_and_oversized (void)
{
  g_autoptr(GBytes) ok = plain_payload (2);
  gsize size = g_bytes_get_size (ok);
  const guint8 *data = g_bytes_get_data (ok, NULL);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) head_only = g_bytes_new (data, 20);
  g_autoptr(GBytes) short_body = g_bytes_new (data, size - 1);
  g_autofree guint8 *longer = g_malloc0 (size + 5);
  g_autoptr(GBytes) long_body = NULL;

  memcpy (longer, data, size);
  long_body = g_bytes_new (longer, size + 5);

  expect_decode_error (empty, VITAL_TENSOR_ERROR_TRUNCATED);
  expect_decode_error (head_only, VITAL_TENSOR_ERROR_TRUNCATED);
  expect_decode_error (short_body, VITAL_TENSOR_ERROR_TRUNCATED);
  expect_decode_error (long_body, VITAL_TENSOR_ERROR_OVERSIZED);
}

static void
test_decode_crc (void)
{
  g_autoptr(GBytes) ok = plain_payload (2);
  const guint8 flip[] = { 0x55 };
  g_autoptr(GBytes) bad = patched (ok, 36 + 1000, flip, 1, FALSE);
  g_autoptr(GBytes) z = gzip_raw (g_bytes_get_data (bad, NULL), g_bytes_get_size (bad));

  expect_decode_error (bad, VITAL_TENSOR_ERROR_CHECKSUM);
  expect_decode_error (z, VITAL_TENSOR_ERROR_CHECKSUM);
}

static void
test_decode_gzip_bomb (void)
{
  /* A header claiming 1 frame followed by 64 MB of zeros: the decoder must stop at 62,244. */
  g_autoptr(GBytes) one = plain_payload (1);
  gsize big = 64 * 1024 * 1024;
  g_autofree guint8 *raw = g_malloc0 (big);
  g_autoptr(GBytes) bomb = NULL;

  memcpy (raw, g_bytes_get_data (one, NULL), g_bytes_get_size (one));
  bomb = gzip_raw (raw, big);
  g_assert_cmpuint (g_bytes_get_size (bomb), <, 200 * 1024);
  expect_decode_error (bomb, VITAL_TENSOR_ERROR_OVERSIZED);
}

static void
test_decode_gzip_damage (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) z = vital_test_placeholder_payload (3);
  gsize size = g_bytes_get_size (z);
  const guint8 *data = g_bytes_get_data (z, NULL);
  g_autoptr(GBytes) cut = g_bytes_new (data, size / 2);
  g_autoptr(GBytes) cut_trailer = g_bytes_new (data, size - 4);
  g_autoptr(GBytes) tiny = g_bytes_new (data, 12);
  g_autofree guint8 *garbled = g_memdup2 (data, size);
  g_autofree guint8 *trailing = g_malloc0 (size + 3);
  g_autoptr(GBytes) garbled_bytes = NULL;
  g_autoptr(GBytes) trailing_bytes = NULL;

  g_assert_no_error (error);
  for (gsize i = 20; i < 60; i++)
    garbled[i] ^= 0xa5;
  garbled_bytes = g_bytes_new (garbled, size);
  memcpy (trailing, data, size);
  trailing_bytes = g_bytes_new (trailing, size + 3);

  expect_decode_error (cut, VITAL_TENSOR_ERROR_TRUNCATED);
  expect_decode_error (cut_trailer, VITAL_TENSOR_ERROR_TRUNCATED);
  expect_decode_error (tiny, VITAL_TENSOR_ERROR_TRUNCATED);
  expect_decode_error (trailing_bytes, VITAL_TENSOR_ERROR_OVERSIZED);

  /* Garbled deflate data is caught either by zlib or by the CRC checks, never silently. */
  {
    g_autoptr(GError) e = NULL;
    g_autoptr(VitalTensor) back = vital_tensor_decode (garbled_bytes, NULL, &e);

    g_assert_null (back);
    g_assert_nonnull (e);
    g_assert_true (e->domain == VITAL_TENSOR_ERROR);
  }
}

static void
test_peek_header (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) z = vital_test_placeholder_payload (4);
  VitalTensorHeader h;
  gboolean gz = FALSE;

  g_assert_true (vital_tensor_peek_header (z, &h, &gz, &error));
  g_assert_no_error (error);
  g_assert_true (gz);
  g_assert_cmpuint (h.frame_count, ==, 4);
  g_assert_cmpuint (h.flags, ==, VITAL_TENSOR_FLAG_DELTA);
}

/* ---- which fault wins (docs/tensor-format.md §5) ------------------------------------------- */

/* Both decoders must reject @payload with @code, and with the same message. */
static void
expect_both_reject (GBytes *payload,
                    int     code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) reader_error = NULL;
  g_autoptr(VitalTensor) t = vital_tensor_decode (payload, NULL, &error);
  g_autoptr(VitalTensorReader) reader = vital_tensor_reader_new (g_bytes_get_size (payload));
  g_autoptr(VitalTensor) read = NULL;
  gsize size;
  const guint8 *data = g_bytes_get_data (payload, &size);

  g_assert_null (t);
  g_assert_error (error, VITAL_TENSOR_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_true (vital_tensor_reader_write (reader, data, size / 2, NULL));
  g_assert_true (vital_tensor_reader_write (reader, data + size / 2, size - size / 2, NULL));
  read = vital_tensor_reader_finish (reader, NULL, &reader_error);
  g_assert_null (read);
  g_assert_error (reader_error, VITAL_TENSOR_ERROR, code);
  g_assert_cmpstr (reader_error->message, ==, error->message);
}

/* Both decoders must accept @payload and give @expected's frames. */
static void
expect_both_accept (GBytes      *payload,
                    VitalTensor *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalTensor) t = vital_tensor_decode (payload, NULL, &error);
  g_autoptr(VitalTensorReader) reader = vital_tensor_reader_new (g_bytes_get_size (payload));
  g_autoptr(VitalTensor) read = NULL;

  g_assert_no_error (error);
  assert_same_frames (expected, t);
  g_assert_true (vital_tensor_reader_write (reader, g_bytes_get_data (payload, NULL),
                                            g_bytes_get_size (payload), NULL));
  read = vital_tensor_reader_finish (reader, NULL, &error);
  g_assert_no_error (error);
  assert_same_frames (expected, read);
}

/* Raw deflate of @size bytes; the stream ends with @flush (Z_FINISH, or Z_SYNC_FLUSH to leave it
 * open on a byte boundary). */
static GByteArray *
deflate_raw (const guint8 *data,
             gsize         size,
             int           flush)
{
  z_stream zs = { 0 };
  GByteArray *out = g_byte_array_new ();

  g_byte_array_set_size (out, compressBound (size) + 64);
  g_assert_cmpint (deflateInit2 (&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), ==, Z_OK);
  zs.next_in = (Bytef *) data;
  zs.avail_in = size;
  zs.next_out = out->data;
  zs.avail_out = out->len;
  g_assert_cmpint (deflate (&zs, flush), ==, flush == Z_FINISH ? Z_STREAM_END : Z_OK);
  g_byte_array_set_size (out, zs.total_out);
  deflateEnd (&zs);
  return out;
}

/* A gzip member by hand: @head (the 10 fixed bytes and any optional fields), @deflated, and a
 * trailer recording @content's CRC-32 and size, XORed with @crc_xor and @size_xor. */
static GBytes *
gzip_member (const guint8 *head,
             gsize         head_len,
             GByteArray   *deflated,
             const guint8 *content,
             gsize         content_size,
             guint32       crc_xor,
             guint32       size_xor)
{
  GByteArray *out = g_byte_array_new ();
  guint32 trailer[2] = {
    GUINT32_TO_LE ((guint32) crc32 (0, content, content_size) ^ crc_xor),
    GUINT32_TO_LE ((guint32) content_size ^ size_xor),
  };

  g_byte_array_append (out, head, head_len);
  g_byte_array_append (out, deflated->data, deflated->len);
  g_byte_array_append (out, (const guint8 *) trailer, sizeof trailer);
  return g_byte_array_free_to_bytes (out);
}

static const guint8 plain_gzip_head[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255 };

/* A valid header is judged as soon as its 36 bytes are out, before anything later in the stream
 * (its end, a cut, or corrupt data right after it) is looked at. */
static void
test_order_header_first (void)
{
  g_autoptr(GBytes) ok = plain_payload (2);
  const guint8 *data = g_bytes_get_data (ok, NULL);
  gsize size = g_bytes_get_size (ok);
  const guint8 bad_magic[] = { 'V', 'T', 'S', 'X' };
  const guint8 v2[] = { 2, 0 };
  const guint8 zero_frames[] = { 0, 0, 0, 0 };
  g_autoptr(GBytes) magic = patched (ok, 0, bad_magic, 4, FALSE);
  g_autoptr(GBytes) magic_z = gzip_raw (g_bytes_get_data (magic, NULL), size);
  g_autoptr(GBytes) magic_cut = g_bytes_new (g_bytes_get_data (magic_z, NULL),
                                             g_bytes_get_size (magic_z) / 2);
  g_autoptr(GBytes) empty = patched (ok, 8, zero_frames, 4, FALSE);
  g_autoptr(GBytes) empty_z = gzip_raw (g_bytes_get_data (empty, NULL), size);

  /* Bad magic and a cut stream: the magic. A header of no frames before a body: empty. */
  expect_both_reject (magic_cut, VITAL_TENSOR_ERROR_BAD_MAGIC);
  expect_both_reject (empty, VITAL_TENSOR_ERROR_EMPTY);
  expect_both_reject (empty_z, VITAL_TENSOR_ERROR_EMPTY);

  /* 36 header bytes in a block that ends on a byte boundary, then an invalid block type: zlib
   * reads on to the bad block in the call that gives the header, but the header wins. */
  for (guint valid = 0; valid < 2; valid++)
    {
      g_autoptr(GBytes) head = valid ? g_bytes_new (data, 36) : patched (ok, 4, v2, 2, FALSE);
      g_autoptr(GByteArray) deflated = deflate_raw (g_bytes_get_data (head, NULL), 36,
                                                    Z_SYNC_FLUSH);
      const guint8 bad_block[] = { 0x07, 0x00 };  /* BFINAL 1, BTYPE 11 */
      g_autoptr(GBytes) z = NULL;

      g_byte_array_append (deflated, bad_block, sizeof bad_block);
      z = gzip_member (plain_gzip_head, sizeof plain_gzip_head, deflated, data, 36, 0, 0);
      expect_both_reject (z, valid ? VITAL_TENSOR_ERROR_COMPRESSION
                                   : VITAL_TENSOR_ERROR_BAD_VERSION);
    }
}

/* At the size the header declares the member must end. One byte more is oversized whatever
 * follows it (a bad trailer included); no byte more, then the trailer must be right. */
static void
test_order_at_the_limit (void)
{
  g_autoptr(GBytes) ok = plain_payload (1);
  gsize size = g_bytes_get_size (ok);
  g_autofree guint8 *longer = g_malloc0 (size + 1);
  g_autoptr(GByteArray) exact = NULL;
  g_autoptr(GByteArray) one_more = NULL;

  memcpy (longer, g_bytes_get_data (ok, NULL), size);
  longer[size] = 0x42;
  exact = deflate_raw (longer, size, Z_FINISH);
  one_more = deflate_raw (longer, size + 1, Z_FINISH);

  for (guint32 bad = 0; bad < 2; bad++)
    {
      g_autoptr(GBytes) over = gzip_member (plain_gzip_head, 10, one_more, longer, size + 1,
                                            bad, 0);
      g_autoptr(GBytes) over_len = gzip_member (plain_gzip_head, 10, one_more, longer, size + 1,
                                                0, bad);

      expect_both_reject (over, VITAL_TENSOR_ERROR_OVERSIZED);
      expect_both_reject (over_len, VITAL_TENSOR_ERROR_OVERSIZED);
    }
  {
    g_autoptr(GBytes) bad_crc = gzip_member (plain_gzip_head, 10, exact, longer, size, 1, 0);
    g_autoptr(GBytes) bad_len = gzip_member (plain_gzip_head, 10, exact, longer, size, 0, 1);
    g_autoptr(GBytes) good = gzip_member (plain_gzip_head, 10, exact, longer, size, 0, 0);
    g_autoptr(GByteArray) two = g_byte_array_new ();
    g_autoptr(GBytes) two_members = NULL;
    g_autoptr(VitalTensor) expected = vital_tensor_decode (ok, NULL, NULL);

    expect_both_reject (bad_crc, VITAL_TENSOR_ERROR_COMPRESSION);
    expect_both_reject (bad_len, VITAL_TENSOR_ERROR_COMPRESSION);
    expect_both_accept (good, expected);
    g_byte_array_append (two, g_bytes_get_data (good, NULL), g_bytes_get_size (good));
    g_byte_array_append (two, g_bytes_get_data (good, NULL), g_bytes_get_size (good));
    two_members = g_bytes_new (two->data, two->len);
    expect_both_reject (two_members, VITAL_TENSOR_ERROR_OVERSIZED);
  }
}

/* A sound member whose content is shorter than the header says, or than a header, is
 * truncated, even with bytes after it; a fault of the gzip header itself is a compression
 * error, a gzip header cut short is truncated. */
static void
test_gzip_header_and_short_content (void)
{
  g_autoptr(GBytes) ok = plain_payload (2);
  const guint8 *data = g_bytes_get_data (ok, NULL);
  gsize size = g_bytes_get_size (ok);
  g_autoptr(GByteArray) one_frame = deflate_raw (data, 36 + 62208, Z_FINISH);
  g_autoptr(GByteArray) twenty = deflate_raw (data, 20, Z_FINISH);
  g_autoptr(GByteArray) whole = deflate_raw (data, size, Z_FINISH);
  g_autoptr(GBytes) short_body = gzip_member (plain_gzip_head, 10, one_frame, data, 36 + 62208,
                                              0, 0);
  g_autoptr(GBytes) short_head = gzip_member (plain_gzip_head, 10, twenty, data, 20, 0, 0);
  g_autoptr(GByteArray) short_trailing = g_byte_array_new ();
  g_autoptr(GBytes) short_trailing_bytes = NULL;
  g_autoptr(GBytes) head_cut = g_bytes_new (plain_gzip_head, 5);
  g_autoptr(GBytes) magic_only = g_bytes_new (plain_gzip_head, 2);
  g_autoptr(VitalTensor) expected = vital_tensor_decode (ok, NULL, NULL);
  /* MTIME, XFL and OS as anyone may set them, an extra field that is no index, a name and a
   * comment, and a header CRC-16 over all of it. */
  guint8 rich[64] = { 0x1f, 0x8b, 8, 0x04 | 0x08 | 0x10 | 0x02, 1, 2, 3, 4, 2, 3,
                      6, 0, 'A', 'B', 2, 0, 'x', 'y' };
  gsize rich_len = 18;
  guint16 hcrc;

  memcpy (rich + rich_len, "scan.vtsr", 10);
  rich_len += 10;
  memcpy (rich + rich_len, "a comment", 10);
  rich_len += 10;
  hcrc = GUINT16_TO_LE ((guint16) crc32 (0, rich, rich_len));
  memcpy (rich + rich_len, &hcrc, 2);
  rich_len += 2;

  expect_both_reject (short_body, VITAL_TENSOR_ERROR_TRUNCATED);
  expect_both_reject (short_head, VITAL_TENSOR_ERROR_TRUNCATED);
  g_byte_array_append (short_trailing, g_bytes_get_data (short_body, NULL),
                       g_bytes_get_size (short_body));
  g_byte_array_append (short_trailing, (const guint8 *) "junk", 4);
  short_trailing_bytes = g_bytes_new (short_trailing->data, short_trailing->len);
  expect_both_reject (short_trailing_bytes, VITAL_TENSOR_ERROR_TRUNCATED);
  expect_both_reject (head_cut, VITAL_TENSOR_ERROR_TRUNCATED);
  expect_both_reject (magic_only, VITAL_TENSOR_ERROR_TRUNCATED);

  {
    g_autoptr(GBytes) rich_member = gzip_member (rich, rich_len, whole, data, size, 0, 0);

    expect_both_accept (rich_member, expected);
  }
  {
    guint8 faults[3][64];
    const struct { gsize off; guint8 value; } fault[] = {
      { 2, 7 },                   /* compression method 7 */
      { 3, 0x04 | 0x08 | 0x10 | 0x02 | 0x20 },  /* a reserved flag bit */
      { rich_len - 1, 0 },        /* the header CRC-16 is wrong */
    };

    for (guint i = 0; i < G_N_ELEMENTS (fault); i++)
      {
        g_autoptr(GBytes) member = NULL;

        memcpy (faults[i], rich, rich_len);
        faults[i][fault[i].off] = fault[i].value == faults[i][fault[i].off]
                                  ? fault[i].value ^ 0xff : fault[i].value;
        member = gzip_member (faults[i], rich_len, whole, data, size, 0, 0);
        expect_both_reject (member, VITAL_TENSOR_ERROR_COMPRESSION);
      }
  }
}

/* capture_start_us is not checked: any 64-bit value goes through. */
static void
test_capture_start_any (void)
{
  const gint64 starts[] = { G_MININT64, -1, 0, G_MAXINT64 };

  for (guint i = 0; i < G_N_ELEMENTS (starts); i++)
    {
      g_autoptr(VitalTensor) t = vital_tensor_new (30.0, starts[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) payload = NULL;
      g_autoptr(VitalTensor) back = NULL;

      memset (vital_tensor_append_frame (t), 9, VITAL_TENSOR_FRAME_SIZE);
      payload = vital_tensor_encode (t, VITAL_TENSOR_ENCODE_DEFAULT, -1, &error);
      g_assert_no_error (error);
      back = vital_tensor_decode (payload, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (vital_tensor_get_capture_start_us (back), ==, starts[i]);
    }
}

/* ---- packing ------------------------------------------------------------------------------ */

static void
test_pack_uniform_and_layout (void)
{
  const int w = 320, h = 240;
  gsize stride = w * 3 + 4; /* padded rows */
  g_autofree guint8 *rgb = g_malloc0 (stride * h);
  g_autofree guint8 *planes = g_malloc (VITAL_TENSOR_FRAME_SIZE);
  VitalRect regions[4] = {
    { 0, 0, 160, 120 }, { 160, 0, 160, 120 }, { 0, 120, 160, 120 }, { 160, 120, 160, 120 },
  };
  g_autoptr(GError) error = NULL;

  /* Quadrant q painted (10q+1, 10q+2, 10q+3). */
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        int q = (y >= 120) * 2 + (x >= 160);
        guint8 *px = rgb + y * stride + x * 3;

        px[0] = 10 * q + 1;
        px[1] = 10 * q + 2;
        px[2] = 10 * q + 3;
      }

  g_assert_true (vital_tensor_pack_frame (rgb, w, h, stride, regions, planes, &error));
  g_assert_no_error (error);
  for (int region = 0; region < 4; region++)
    for (int colour = 0; colour < 3; colour++)
      {
        const guint8 *plane = planes + (region * 3 + colour) * VITAL_TENSOR_PLANE_SIZE;

        for (int p = 0; p < VITAL_TENSOR_PLANE_SIZE; p++)
          g_assert_cmpuint (plane[p], ==, 10 * region + colour + 1);
      }
}

/* Packs @rgb (@w×@h, rows without padding) with the whole image as every region, and checks
 * that every cell of the frame is @expected. */
static void
assert_packs_uniform (const guint8 *rgb,
                      int           w,
                      int           h,
                      guint8        expected)
{
  g_autofree guint8 *planes = g_malloc (VITAL_TENSOR_FRAME_SIZE);
  VitalRect whole = { 0, 0, w, h };
  VitalRect regions[4] = { whole, whole, whole, whole };
  g_autoptr(GError) error = NULL;

  g_assert_true (vital_tensor_pack_frame (rgb, w, h, w * 3, regions, planes, &error));
  g_assert_no_error (error);
  for (int p = 0; p < VITAL_TENSOR_FRAME_SIZE; p++)
    g_assert_cmpuint (planes[p], ==, expected);
}

static void
test_pack_area_average (void)
{
  /* A 144×144 checkerboard of 0/200 pixels: each output cell averages exactly 2×2 → 100. A
   * 108-wide gradient checks fractional (1.5 px) cells against the exact area weights. */
  const int w = 144, h = 144;
  g_autofree guint8 *rgb = g_malloc (w * h * 3);
  g_autofree guint8 *planes = g_malloc (VITAL_TENSOR_FRAME_SIZE);
  VitalRect partial = { 0, 0, 108, 108 };
  VitalRect regions[4] = { partial, partial, partial, partial };
  g_autoptr(GError) error = NULL;

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      memset (rgb + (y * w + x) * 3, ((x + y) & 1) ? 200 : 0, 3);
  assert_packs_uniform (rgb, w, h, 100);

  /* Horizontal ramp x → 2x: cell o covers [1.5o, 1.5o+1.5), mean of 2x over it is 3o + 1.5,
   * sampled at pixel centres (pixel k holds 2k) gives 3o + 0.5 → rounds to 3o (banker's) or
   * 3o + 1; check within 1 of the exact area mean minus the half-pixel offset. */
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      memset (rgb + (y * w + x) * 3, 2 * x, 3);
  g_assert_true (vital_tensor_pack_frame (rgb, w, h, w * 3, regions, planes, &error));
  for (int o = 0; o < VITAL_TENSOR_WIDTH; o++)
    {
      double exact = 3.0 * o + 0.5;
      g_assert_cmpfloat (fabs (planes[5 * VITAL_TENSOR_WIDTH + o] - exact), <=, 0.51);
    }
}

static void
test_pack_clips_and_rejects (void)
{
  const int w = 64, h = 48;
  g_autofree guint8 *rgb = g_malloc0 (w * h * 3);
  g_autofree guint8 *planes = g_malloc (VITAL_TENSOR_FRAME_SIZE);
  VitalRect partly_out = { -10, -10, 30, 30 };
  VitalRect outside = { 100, 100, 10, 10 };
  VitalRect empty = { 5, 5, 0, 10 };
  VitalRect r[4] = { partly_out, partly_out, partly_out, partly_out };
  g_autoptr(GError) error = NULL;

  g_assert_true (vital_tensor_pack_frame (rgb, w, h, w * 3, r, planes, &error));
  g_assert_no_error (error);

  r[2] = outside;
  g_assert_false (vital_tensor_pack_frame (rgb, w, h, w * 3, r, planes, &error));
  g_assert_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  r[2] = empty;
  g_assert_false (vital_tensor_pack_frame (rgb, w, h, w * 3, r, planes, &error));
  g_assert_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  r[2] = partly_out;
  g_assert_false (vital_tensor_pack_frame (rgb, w, h, w * 2, r, planes, &error));
  g_assert_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_INVALID_ARGUMENT);
}

static void
test_pack_large_region (void)
{
  /* A 1920-px-wide region needs > 8 taps per cell; the sampled average stays exact on a
   * uniform image. */
  const int w = 1920, h = 1080;
  g_autofree guint8 *rgb = g_malloc (w * h * 3);

  memset (rgb, 77, w * h * 3);
  assert_packs_uniform (rgb, w, h, 77);
}

static void
test_frozen_after_share (void)
{
  g_autoptr(VitalTensor) t = vital_tensor_placeholder (2);
  g_autoptr(GBytes) frames = vital_tensor_get_frames (t);
  g_autofree guint8 *frame = g_malloc0 (VITAL_TENSOR_FRAME_SIZE);
  g_autoptr(GError) error = NULL;

  g_assert_false (vital_tensor_push_frame (t, frame, &error));
  g_assert_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (g_bytes_get_size (frames), ==, 2 * VITAL_TENSOR_FRAME_SIZE);
}

static void
test_new_from_bytes (void)
{
  g_autoptr(GBytes) odd = g_bytes_new_take (g_malloc0 (1000), 1000);
  g_autoptr(GBytes) two = g_bytes_new_take (g_malloc0 (2 * VITAL_TENSOR_FRAME_SIZE),
                                            2 * VITAL_TENSOR_FRAME_SIZE);
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalTensor) t = vital_tensor_new_from_bytes (odd, 30, 0, &error);

  g_assert_null (t);
  g_assert_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  t = vital_tensor_new_from_bytes (two, 0.0, 0, &error);
  g_assert_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_BAD_FRAME_RATE);
  g_clear_error (&error);
  t = vital_tensor_new_from_bytes (two, 29.97, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vital_tensor_get_frame_count (t), ==, 2);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (golden_cases); i++)
    {
      g_autofree char *enc = g_strdup_printf ("/core/tensor/golden/encode/%s",
                                              golden_cases[i].file);
      g_autofree char *dec = g_strdup_printf ("/core/tensor/golden/decode/%s",
                                              golden_cases[i].file);

      g_test_add_data_func (enc, &golden_cases[i], test_golden_encode);
      g_test_add_data_func (dec, &golden_cases[i], test_golden_decode);
    }
  g_test_add_func ("/core/tensor/header/layout", test_header_layout);
  g_test_add_func ("/core/tensor/gzip/chunks-make-one-member", test_gzip_chunks_make_one_member);
  g_test_add_func ("/core/tensor/roundtrip/modes", test_roundtrip_modes);
  g_test_add_func ("/core/tensor/roundtrip/delta-wraps", test_delta_wraps);
  g_test_add_func ("/core/tensor/encode/rejects", test_encode_rejects);
  g_test_add_func ("/core/tensor/decode/bad-header", test_decode_bad_header);
  g_test_add_func ("/core/tensor/decode/truncated-oversized", test_decode_truncated_and_oversized);
  g_test_add_func ("/core/tensor/decode/crc", test_decode_crc);
  g_test_add_func ("/core/tensor/decode/gzip-bomb", test_decode_gzip_bomb);
  g_test_add_func ("/core/tensor/decode/gzip-damage", test_decode_gzip_damage);
  g_test_add_func ("/core/tensor/decode/peek-header", test_peek_header);
  g_test_add_func ("/core/tensor/decode/order/header-first", test_order_header_first);
  g_test_add_func ("/core/tensor/decode/order/at-the-limit", test_order_at_the_limit);
  g_test_add_func ("/core/tensor/decode/gzip-header-short-content",
                   test_gzip_header_and_short_content);
  g_test_add_func ("/core/tensor/header/capture-start-any", test_capture_start_any);
  g_test_add_func ("/core/tensor/pack/uniform-layout", test_pack_uniform_and_layout);
  g_test_add_func ("/core/tensor/pack/area-average", test_pack_area_average);
  g_test_add_func ("/core/tensor/pack/clips-rejects", test_pack_clips_and_rejects);
  g_test_add_func ("/core/tensor/pack/large-region", test_pack_large_region);
  g_test_add_func ("/core/tensor/frozen-after-share", test_frozen_after_share);
  g_test_add_func ("/core/tensor/new-from-bytes", test_new_from_bytes);

  return g_test_run ();
}
