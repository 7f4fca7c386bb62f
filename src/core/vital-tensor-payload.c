/* vital-tensor-payload.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns reading a whole payload from an untrusted source: plain or gzipped, every check of
 * docs/tensor-format.md §5 in its order, the first fault named with its own error, and a gzip
 * stream never inflated past the size its header declares. A sound gzip member is inflated at once
 * by libdeflate; anything unusual goes to zlib, step by step, which finds the exact fault. Chunk
 * indexes are not looked at here (vital-tensor-chunks.c).
 */
#include "vital-config.h"

#include <zlib.h>

#include "vital-gzip.h"
#include "vital-memory.h"
#include "vital-tensor-format-private.h"
#include "vital-tensor-payload-private.h"

/* Inflate in steps of this many bytes so a lying header never causes a huge allocation. */
#define INFLATE_CHUNK (1024 * 1024)

/**
 * vital_tensor_payload_is_gzip:
 * @data: a payload's first bytes
 * @size: their number
 *
 * Returns: whether the payload is gzipped (starts `1f 8b`); anything else is read as plain
 */
gboolean
vital_tensor_payload_is_gzip (const guint8 *data,
                              gsize size)
{
  return size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
}

/* A plain payload's header: TRUNCATED when its bytes are not all there. */
static gboolean
read_plain_header (const guint8      *data,
                   gsize              size,
                   VitalTensorHeader *header,
                   GError           **error)
{
  if (size < VITAL_TENSOR_HEADER_SIZE)
    {
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_TRUNCATED,
                   "payload truncated: %" G_GSIZE_FORMAT " of %d header bytes",
                   size, VITAL_TENSOR_HEADER_SIZE);
      return FALSE;
    }
  return vital_tensor_format_read_header (data, header, error);
}

/**
 * vital_tensor_payload_peek_header:
 * @data: a payload, or its first bytes
 * @size: their number
 * @header: (out caller-allocates): the validated header
 * @error: return location for a #GError
 *
 * Reads and validates only the header; for gzip payloads only the first bytes are inflated.
 *
 * Returns: %TRUE when the header is valid
 */
gboolean
vital_tensor_payload_peek_header (const guint8 *data,
                                  gsize size,
                                  VitalTensorHeader *header,
                                  GError **error)
{
  guint8 head[VITAL_TENSOR_HEADER_SIZE];

  if (vital_tensor_payload_is_gzip (data, size))
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
      /* As vital_tensor_payload_unpack() does: the header first once its bytes are out. */
      if (zs.avail_out == 0)
        return vital_tensor_format_read_header (head, header, error);
      if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT || ret == Z_MEM_ERROR)
        {
          g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_COMPRESSION,
                       "corrupt gzip stream: %s", zs.msg ? zs.msg : "invalid data");
          return FALSE;
        }
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_TRUNCATED,
                   "payload truncated: %u of %d header bytes",
                   (unsigned) (sizeof head - zs.avail_out), VITAL_TENSOR_HEADER_SIZE);
      return FALSE;
    }

  return read_plain_header (data, size, header, error);
}

/* The fast path for well-formed payloads: zlib inflates just the 36 header bytes, then libdeflate
 * decodes the whole member straight into a buffer of the declared size. Returns NULL for
 * anything unusual (a bad header, a size deflate cannot reach, a corrupt, short, long or trailing
 * stream) and leaves the exact diagnosis to gunzip_checked(). */
static GByteArray *
gunzip_whole (const guint8 *data,
              gsize size,
              VitalTensorHeader *h)
{
  z_stream zs = { 0 };
  guint8 head[VITAL_TENSOR_HEADER_SIZE];

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
  return vital_gzip_inflate_exact (data, size, vital_tensor_format_payload_size (h));
}

/* The exact decoder: inflates a gzip payload into exactly 36 + frame_count × 62,208 bytes with
 * zlib, step by step, validating the header as soon as its 36 bytes are out so a lying or hostile
 * stream is never inflated past that, and names the first fault. */
static GByteArray *
gunzip_checked (const guint8 *data,
                gsize size,
                VitalTensorHeader *h,
                GError **error)
{
  z_stream zs = { 0 };
  g_autoptr(GByteArray) out = NULL;
  gsize expected = VITAL_TENSOR_HEADER_SIZE;
  gboolean have_header = FALSE;
  gboolean ended = FALSE;
  gsize reserve;
  int ret;

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
          /* One byte more is too many, whatever comes after it: zlib may have read on past it
           * (to a bad trailer, say) in the same call, but the document stops at that byte. */
          if (zs.avail_out == 0)
            {
              inflateEnd (&zs);
              g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_OVERSIZED,
                           "decompressed payload is larger than the %" G_GSIZE_FORMAT
                           " bytes its header declares", expected);
              return NULL;
            }
          if (ret == Z_STREAM_END)
            {
              ended = TRUE;
              break;
            }
          if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT || ret == Z_MEM_ERROR)
            goto corrupt;
          if (ret == Z_BUF_ERROR || zs.avail_in == 0)
            goto truncated;
          continue;
        }

      g_byte_array_set_size (out, before + room);
      zs.next_out = out->data + before;
      zs.avail_out = (uInt) room;
      ret = inflate (&zs, Z_NO_FLUSH);
      g_byte_array_set_size (out, before + (room - zs.avail_out));

      /* The header is judged as soon as its 36 bytes are out, before anything after them: zlib
       * may have read on past them in the same call and found the stream corrupt there. */
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
          reserve = MIN (expected, (gsize) VITAL_GZIP_MAX_RATIO * size + INFLATE_CHUNK);
          if (reserve > out->len)
            {
              gsize keep = out->len;

              g_byte_array_set_size (out, reserve);
              vital_memory_prefer_huge_pages (out->data, reserve);
              g_byte_array_set_size (out, keep);
            }
        }

      if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT || ret == Z_MEM_ERROR)
        goto corrupt;
      if (ret == Z_STREAM_END)
        ended = TRUE;
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
                 "payload truncated: %u of %" G_GSIZE_FORMAT
                 " bytes (compressed stream ended early)", out->len, expected);
  return NULL;

corrupt:
  g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_COMPRESSION,
               "corrupt gzip stream: %s", zs.msg ? zs.msg : "invalid data");
  inflateEnd (&zs);
  return NULL;
}

/**
 * vital_tensor_payload_unpack:
 * @data: an encoded payload, plain or gzipped
 * @size: its size
 * @header: (out caller-allocates): its header, on success
 * @error: return location for a #GError
 *
 * Checks a whole payload in the order of docs/tensor-format.md §5 and inflates it if gzipped.
 * Any chunk index is ignored.
 *
 * Returns: (transfer full) (nullable): the plain payload (header and body as stored, CRC-32
 *   checked), or %NULL with the first fault in @error
 */
GByteArray *
vital_tensor_payload_unpack (const guint8 *data,
                             gsize size,
                             VitalTensorHeader *header,
                             GError **error)
{
  g_autoptr(GByteArray) whole = NULL;
  VitalTensorHeader h = { 0 };
  gsize body_size;
  guint32 crc;

  if (vital_tensor_payload_is_gzip (data, size))
    {
      if (size > G_MAXUINT)
        {
          g_set_error_literal (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_OVERSIZED,
                               "compressed payload is larger than 4 GiB");
          return NULL;
        }
      whole = gunzip_whole (data, size, &h);
      if (whole == NULL)
        whole = gunzip_checked (data, size, &h, error);
      if (whole == NULL)
        return NULL;
    }
  else
    {
      gsize expected;

      if (!read_plain_header (data, size, &h, error))
        return NULL;
      expected = vital_tensor_format_payload_size (&h);
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
  crc = vital_tensor_format_body_crc32 (whole->data + VITAL_TENSOR_HEADER_SIZE, body_size);
  if (crc != h.body_crc32)
    {
      g_set_error (error, VITAL_TENSOR_ERROR, VITAL_TENSOR_ERROR_CHECKSUM,
                   "payload corrupted: body CRC-32 is %08x, header says %08x", crc, h.body_crc32);
      return NULL;
    }
  *header = h;
  return g_steal_pointer (&whole);
}
