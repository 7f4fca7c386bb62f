/* test-tensor-reader.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The chunk index in gzip payloads and VitalTensorReader: a payload written in pieces decodes
 * while it arrives, and the reader accepts and rejects exactly what vital_tensor_decode() does,
 * including payloads whose index lies.
 */
#include "vital-config.h"

#include <string.h>

#include "vital-synth.h"
#include "vital-tensor-reader.h"

#include "tensor-asserts.h"
#include "vital-test-util.h"

#define CHUNK_SIZE   (4 * 1024 * 1024)
#define INDEX_OFFSET 12      /* the subfield after the 10 header bytes and XLEN */

/* A noisy synthetic subject: chunks of realistic size, not the placeholder's long runs. */
static VitalTensor *
render (guint frames)
{
  VitalSynthParams params;
  g_autoptr(VitalSynth) synth = NULL;

  vital_synth_params_init (&params);
  synth = vital_synth_new (&params);
  return vital_synth_render_tensor (synth, frames);
}

static guint32
le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

static void
put_le32 (guint8  *p,
          guint32  v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (guint8) (v >> (8 * i));
}

static guint
index_chunks (GBytes *payload)
{
  const guint8 *p = g_bytes_get_data (payload, NULL);

  return (guint) ((p[INDEX_OFFSET + 2] | p[INDEX_OFFSET + 3] << 8) - 4) / 4;
}

/* Where chunk @i starts in the payload, as the index says. */
static gsize
chunk_start (GBytes *payload,
             guint   i)
{
  const guint8 *p = g_bytes_get_data (payload, NULL);
  gsize xlen = p[10] | p[11] << 8;
  gsize pos = 12 + xlen;

  for (guint k = 0; k < i; k++)
    pos += le32 (p + INDEX_OFFSET + 8 + 4 * k);
  return pos;
}

/* Writes @payload into a reader announced at @announced bytes, in pieces of 1 to @max_piece
 * bytes (the first 64 one by one, so the gzip header arrives split), and finishes it. */
static VitalTensor *
read_in_pieces (GBytes   *payload,
                gsize     announced,
                gsize     max_piece,
                guint32   seed,
                guint    *out_inflated,
                GError  **error)
{
  g_autoptr(VitalTensorReader) reader = vital_tensor_reader_new (announced);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gsize size;
  const guint8 *data = g_bytes_get_data (payload, &size);
  gsize pos = 0;
  VitalTensor *tensor;

  while (pos < size)
    {
      gsize piece = pos < 64 ? 1 : (gsize) g_rand_int_range (rand, 1, (gint32) max_piece + 1);

      piece = MIN (piece, size - pos);
      if (!vital_tensor_reader_write (reader, data + pos, piece, error))
        return NULL;
      pos += piece;
    }
  tensor = vital_tensor_reader_finish (reader, NULL, error);
  if (out_inflated != NULL)
    *out_inflated = vital_tensor_reader_get_chunks_inflated (reader);
  return tensor;
}

/* A payload of several chunks carries the index; one of a single chunk does not (its bytes are
 * what a single deflate() gives, as the golden vectors check). */
static void
test_index_layout (void)
{
  g_autoptr(VitalTensor) tensor = render (300);                 /* 18.7 MB: 5 chunks */
  g_autoptr(VitalTensor) small = render (30);
  g_autoptr(GBytes) payload = vital_test_encode (tensor, VITAL_TENSOR_ENCODE_DEFAULT);
  g_autoptr(GBytes) single = vital_test_encode (small, VITAL_TENSOR_ENCODE_DEFAULT);
  gsize size;
  const guint8 *p = g_bytes_get_data (payload, &size);
  gsize plain_size = 36 + 300 * (gsize) VITAL_TENSOR_FRAME_SIZE;
  guint n = index_chunks (payload);

  g_assert_cmphex (p[3], ==, 0x04);                              /* FEXTRA and nothing else */
  g_assert_cmpuint (p[10] | p[11] << 8, ==, 4 + 4 + 4 * n);      /* XLEN: one subfield */
  g_assert_cmpint (p[INDEX_OFFSET], ==, 'V');
  g_assert_cmpint (p[INDEX_OFFSET + 1], ==, 'T');
  g_assert_cmpuint (le32 (p + INDEX_OFFSET + 4), ==, CHUNK_SIZE);
  g_assert_cmpuint (n, ==, (plain_size + CHUNK_SIZE - 1) / CHUNK_SIZE);
  g_assert_cmpuint (chunk_start (payload, n) + 8, ==, size);
  /* Each chunk but the last ends with the empty stored block of a sync flush. */
  for (guint i = 1; i < n; i++)
    g_assert_cmpmem (p + chunk_start (payload, i) - 4, 4, "\x00\x00\xff\xff", 4);

  g_assert_cmphex (((const guint8 *) g_bytes_get_data (single, NULL))[3], ==, 0);
}

/* Chunks are inflated while later ones are still arriving, and the result is the tensor. */
static void
test_streams_in_pieces (void)
{
  g_autoptr(VitalTensor) tensor = render (300);
  const VitalTensorEncodeFlags modes[] = { VITAL_TENSOR_ENCODE_DEFAULT, VITAL_TENSOR_ENCODE_GZIP };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autoptr(GBytes) payload = vital_test_encode (tensor, modes[m]);
      gsize size = g_bytes_get_size (payload);
      guint n = index_chunks (payload);
      gsize last_start = chunk_start (payload, n - 1);
      g_autoptr(VitalTensorReader) reader = vital_tensor_reader_new (size);
      g_autoptr(GError) error = NULL;
      g_autoptr(VitalTensor) decoded = NULL;
      g_autoptr(VitalTensor) in_pieces = NULL;
      VitalTensorHeader header, decode_header;
      const guint8 *data = g_bytes_get_data (payload, NULL);
      guint inflated = 0;

      /* Everything but the last chunk: all the others are already being inflated. */
      g_assert_true (vital_tensor_reader_write (reader, data, last_start, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (vital_tensor_reader_get_chunks_started (reader), ==, n - 1);
      g_assert_true (vital_tensor_reader_write (reader, data + last_start, size - last_start,
                                                &error));
      g_assert_cmpuint (vital_tensor_reader_get_chunks_started (reader), ==, n);
      decoded = vital_tensor_reader_finish (reader, &header, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (vital_tensor_reader_get_chunks_inflated (reader), ==, n);
      assert_same_frames (tensor, decoded);
      g_clear_pointer (&decoded, vital_tensor_unref);
      decoded = vital_tensor_decode (payload, &decode_header, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (&header, sizeof header, &decode_header, sizeof decode_header);

      /* Pieces of every size, as an HTTP body arrives. */
      in_pieces = read_in_pieces (payload, size, 300000, 7 + m, &inflated, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (inflated, ==, n);
      assert_same_frames (tensor, in_pieces);
    }
}

/* Payloads without an index (plain, or one chunk) are read too, by the whole-payload decoder. */
static void
test_unindexed (void)
{
  g_autoptr(VitalTensor) tensor = render (30);
  const VitalTensorEncodeFlags modes[] = {
    VITAL_TENSOR_ENCODE_PLAIN, VITAL_TENSOR_ENCODE_DELTA, VITAL_TENSOR_ENCODE_DEFAULT,
  };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autoptr(GBytes) payload = vital_test_encode (tensor, modes[m]);
      g_autoptr(GError) error = NULL;
      guint inflated = G_MAXUINT;
      g_autoptr(VitalTensor) decoded = read_in_pieces (payload, g_bytes_get_size (payload), 5000,
                                                       m, &inflated, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (inflated, ==, 0);
      assert_same_frames (tensor, decoded);
    }
}

typedef void (*Damage) (GByteArray *payload, GBytes *original);

static void
flip_in_chunk_2 (GByteArray *p, GBytes *original)
{
  p->data[chunk_start (original, 2) + 5000] ^= 0x55;
}

static void
flip_in_last_chunk (GByteArray *p, GBytes *original)
{
  p->data[chunk_start (original, index_chunks (original) - 1) + 100] ^= 0x01;
}

static void
bad_trailer_crc (GByteArray *p, GBytes *original)
{
  p->data[p->len - 8] ^= 0xff;
}

static void
bad_trailer_length (GByteArray *p, GBytes *original)
{
  p->data[p->len - 1] ^= 0x01;
}

/* The lengths still add up, but the chunks are not where the index says. */
static void
index_swaps_lengths (GByteArray *p, GBytes *original)
{
  guint32 a = le32 (p->data + INDEX_OFFSET + 8);
  guint32 b = le32 (p->data + INDEX_OFFSET + 12);

  g_assert_cmpuint (a, !=, b);
  put_le32 (p->data + INDEX_OFFSET + 8, b);
  put_le32 (p->data + INDEX_OFFSET + 12, a);
}

static void
index_moves_boundary (GByteArray *p, GBytes *original)
{
  put_le32 (p->data + INDEX_OFFSET + 8, le32 (p->data + INDEX_OFFSET + 8) - 1);
  put_le32 (p->data + INDEX_OFFSET + 12, le32 (p->data + INDEX_OFFSET + 12) + 1);
}

static void
index_wrong_chunk_size (GByteArray *p, GBytes *original)
{
  put_le32 (p->data + INDEX_OFFSET + 4, CHUNK_SIZE / 2);
}

static void
index_tiny_chunk_size (GByteArray *p, GBytes *original)
{
  put_le32 (p->data + INDEX_OFFSET + 4, 8);
}

static void
index_does_not_add_up (GByteArray *p, GBytes *original)
{
  put_le32 (p->data + INDEX_OFFSET + 8, le32 (p->data + INDEX_OFFSET + 8) + 1);
}

static void
index_zero_length (GByteArray *p, GBytes *original)
{
  put_le32 (p->data + INDEX_OFFSET + 8, 0);
}

static void
index_renamed (GByteArray *p, GBytes *original)
{
  p->data[INDEX_OFFSET + 1] = 'X';
}

static void
xlen_too_long (GByteArray *p, GBytes *original)
{
  p->data[10] = 0xff;
  p->data[11] = 0xff;
}

static void
trailing_bytes (GByteArray *p, GBytes *original)
{
  g_byte_array_append (p, (const guint8 *) "junk", 4);
}

static void
cut_in_chunk_3 (GByteArray *p, GBytes *original)
{
  g_byte_array_set_size (p, chunk_start (original, 3) + 1234);
}

static void
cut_in_index (GByteArray *p, GBytes *original)
{
  g_byte_array_set_size (p, INDEX_OFFSET + 10);
}

/* Whatever the damage, the reader's answer is vital_tensor_decode()'s: the same frames, or the
 * same error code and message. A lying index never changes the frames, at worst the speed. */
static void
test_same_as_decode (void)
{
  static const struct
  {
    const char *name;
    Damage      damage;
    gboolean    decodes;  /* (by the whole-payload decoder: no chunk path covers it) */
  } cases[] = {
    { "flip-in-chunk-2", flip_in_chunk_2, FALSE },
    { "flip-in-last-chunk", flip_in_last_chunk, FALSE },
    { "bad-trailer-crc", bad_trailer_crc, FALSE },
    { "bad-trailer-length", bad_trailer_length, FALSE },
    { "index-swaps-lengths", index_swaps_lengths, TRUE },
    { "index-moves-boundary", index_moves_boundary, TRUE },
    { "index-wrong-chunk-size", index_wrong_chunk_size, TRUE },
    { "index-tiny-chunk-size", index_tiny_chunk_size, TRUE },
    { "index-does-not-add-up", index_does_not_add_up, TRUE },
    { "index-zero-length", index_zero_length, TRUE },
    { "index-renamed", index_renamed, TRUE },
    { "xlen-too-long", xlen_too_long, FALSE },
    { "trailing-bytes", trailing_bytes, FALSE },
    { "cut-in-chunk-3", cut_in_chunk_3, FALSE },
    { "cut-in-index", cut_in_index, FALSE },
  };
  g_autoptr(VitalTensor) tensor = render (300);
  g_autoptr(GBytes) original = vital_test_encode (tensor, VITAL_TENSOR_ENCODE_DEFAULT);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GByteArray) damaged = g_byte_array_new ();
      g_autoptr(GBytes) payload = NULL;
      g_autoptr(GError) decode_error = NULL;
      g_autoptr(GError) reader_error = NULL;
      g_autoptr(VitalTensor) by_decode = NULL;
      g_autoptr(VitalTensor) by_reader = NULL;
      guint inflated = 0;

      g_test_message ("damage: %s", cases[c].name);
      g_byte_array_append (damaged, g_bytes_get_data (original, NULL),
                           g_bytes_get_size (original));
      cases[c].damage (damaged, original);
      payload = g_bytes_new (damaged->data, damaged->len);

      by_decode = vital_tensor_decode (payload, NULL, &decode_error);
      by_reader = read_in_pieces (payload, g_bytes_get_size (payload), 1 << 20, c, &inflated,
                                  &reader_error);
      if (cases[c].decodes)
        {
          g_assert_no_error (decode_error);
          g_assert_no_error (reader_error);
          assert_same_frames (tensor, by_decode);
          assert_same_frames (tensor, by_reader);
          /* Not by the chunks: the index lied, so the whole-payload decoder did it. */
          g_assert_cmpuint (inflated, <, index_chunks (original));
        }
      else
        {
          g_assert_null (by_decode);
          g_assert_null (by_reader);
          g_assert_error (reader_error, VITAL_TENSOR_ERROR, decode_error->code);
          g_assert_cmpstr (reader_error->message, ==, decode_error->message);
        }
    }
}

/* An upload that stops early reads as a truncated payload; more bytes than announced, a second
 * finish and a write after it are errors; a reader dropped mid-payload just goes. */
static void
test_misuse (void)
{
  g_autoptr(VitalTensor) tensor = render (300);
  g_autoptr(GBytes) payload = vital_test_encode (tensor, VITAL_TENSOR_ENCODE_DEFAULT);
  gsize size;
  const guint8 *data = g_bytes_get_data (payload, &size);
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(VitalTensorReader) reader = vital_tensor_reader_new (size);
    g_autoptr(VitalTensor) none = NULL;
    g_autoptr(GBytes) half = g_bytes_new_static (data, size / 2);
    g_autoptr(GError) decode_error = NULL;
    g_autoptr(VitalTensor) also_none = vital_tensor_decode (half, NULL, &decode_error);

    g_assert_true (vital_tensor_reader_write (reader, data, size / 2, &error));
    g_assert_cmpuint (vital_tensor_reader_get_chunks_started (reader), >, 0);
    none = vital_tensor_reader_finish (reader, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_TRUNCATED);
    g_assert_cmpstr (error->message, ==, decode_error->message);
    g_clear_error (&error);

    g_assert_false (vital_tensor_reader_write (reader, data, 1, &error));
    g_assert_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
    g_assert_null (vital_tensor_reader_finish (reader, NULL, &error));
    g_assert_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }
  {
    g_autoptr(VitalTensorReader) reader = vital_tensor_reader_new (size - 1);

    g_assert_false (vital_tensor_reader_write (reader, data, size, &error));
    g_assert_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_OVERSIZED);
    g_clear_error (&error);
    g_assert_null (vital_tensor_reader_finish (reader, NULL, &error));
    g_assert_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_OVERSIZED);
    g_clear_error (&error);
  }
  {
    /* Dropped while chunks are inflating: they finish or are dropped, nothing leaks. */
    g_autoptr(VitalTensorReader) reader = vital_tensor_reader_new (size);

    g_assert_true (vital_tensor_reader_write (reader, data, size - 10, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(VitalTensorReader) reader = vital_tensor_reader_new (0);
    g_autoptr(VitalTensor) none = vital_tensor_reader_finish (reader, NULL, &error);

    g_assert_null (none);
    g_assert_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_TRUNCATED);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/tensor-reader/index-layout", test_index_layout);
  g_test_add_func ("/core/tensor-reader/streams-in-pieces", test_streams_in_pieces);
  g_test_add_func ("/core/tensor-reader/unindexed", test_unindexed);
  g_test_add_func ("/core/tensor-reader/same-as-decode", test_same_as_decode);
  g_test_add_func ("/core/tensor-reader/misuse", test_misuse);
  return g_test_run ();
}
