/* vital-tensor-chunks.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the fast path for indexed gzip payloads: once the gzip header's chunk index is in, and then
 * the first chunk, the tensor header is read from that chunk and the index is checked against it;
 * from then on every chunk is inflated on a core of its own as soon as its bytes are in
 * (vital-gzip.c), and finishing checks the body's CRC-32 against the header. The index is only a
 * claim about untrusted bytes: whenever it does not hold, this path gives up without a reason and
 * the caller reads the payload as a whole (vital-tensor-payload.c), which names the fault, so a
 * lying index can cost time but never change what is decoded.
 */
#include "vital-config.h"

#include "vital-gzip.h"
#include "vital-tensor-chunks-private.h"
#include "vital-tensor-format-private.h"

typedef enum
{
  WAITING_INDEX,   /* the gzip header is not all in yet */
  WAITING_HEADER,  /* indexed; the first chunk (holding the tensor header) is not all in */
  INFLATING,       /* chunks are being inflated as they arrive */
  GIVEN_UP,        /* no index, or it did not fit */
} ChunksState;

struct _VitalTensorChunks
{
  const guint8      *payload;  /* borrowed, filled as bytes arrive */
  gsize              size;     /* the payload's whole size, known in advance */
  ChunksState        state;
  VitalGzipIndex     index;    /* until the gzip chunks take it */
  VitalTensorHeader  header;   /* valid from INFLATING on */
  VitalGzipChunks   *chunks;
};

/**
 * vital_tensor_chunks_new:
 * @payload: where the payload's bytes are, or will be as they arrive (borrowed: it must stay put
 *   and alive until vital_tensor_chunks_free())
 * @size: the payload's whole size
 *
 * Starts watching a payload for a usable chunk index. Nothing happens until
 * vital_tensor_chunks_advance().
 *
 * Returns: (transfer full): the fast path's state
 */
VitalTensorChunks *
vital_tensor_chunks_new (const guint8 *payload,
                         gsize         size)
{
  VitalTensorChunks *self = g_new0 (VitalTensorChunks, 1);

  self->payload = payload;
  self->size = size;
  self->state = WAITING_INDEX;
  return self;
}

/* The first chunk is in: read the tensor header from it and fit the index to that header. */
static gboolean
start_inflating (VitalTensorChunks *self)
{
  guint8 head[VITAL_TENSOR_HEADER_SIZE];
  gsize first_len = self->index.starts[1] - self->index.starts[0];

  if (!vital_gzip_inflate_raw_prefix (self->payload + self->index.starts[0], first_len,
                                      head, sizeof head)
      || !vital_tensor_format_read_header (head, &self->header, NULL))
    return FALSE;

  /* The header must lie in the first chunk and the chunks must cover the payload exactly. */
  self->chunks = vital_gzip_chunks_new (self->payload, &self->index,
                                        vital_tensor_format_payload_size (&self->header),
                                        VITAL_TENSOR_HEADER_SIZE);
  return self->chunks != NULL;
}

/**
 * vital_tensor_chunks_advance:
 * @self: a #VitalTensorChunks
 * @available: how many of the payload's first bytes are in (never fewer than before)
 *
 * Moves the fast path on as far as those bytes allow: reads the index, then the header, and
 * starts inflating every chunk that is all in.
 */
void
vital_tensor_chunks_advance (VitalTensorChunks *self,
                             gsize              available)
{
  if (self->state == WAITING_INDEX)
    {
      /* Past 4 GiB a gzip payload is oversized before anything is inflated (§5). */
      if (self->size > G_MAXUINT)
        {
          self->state = GIVEN_UP;
          return;
        }
      switch (vital_gzip_read_index (self->payload, available, self->size, &self->index))
        {
        case VITAL_GZIP_INDEX_INCOMPLETE:
          return;
        case VITAL_GZIP_INDEX_NONE:
          self->state = GIVEN_UP;
          return;
        case VITAL_GZIP_INDEX_FOUND:
        default:
          self->state = WAITING_HEADER;
          break;
        }
    }
  if (self->state == WAITING_HEADER)
    {
      if (available < self->index.starts[1])
        return;
      self->state = start_inflating (self) ? INFLATING : GIVEN_UP;
      vital_gzip_index_clear (&self->index);
    }
  if (self->state == INFLATING)
    vital_gzip_chunks_start (self->chunks, available);
}

/**
 * vital_tensor_chunks_get_header:
 * @self: a #VitalTensorChunks
 * @out_header: (out caller-allocates): the tensor header, once the fast path holds it
 *
 * Returns: %TRUE when the first chunk was in, its header valid and the index fit it
 */
gboolean
vital_tensor_chunks_get_header (VitalTensorChunks *self,
                                VitalTensorHeader *out_header)
{
  if (self->state != INFLATING)
    return FALSE;
  *out_header = self->header;
  return TRUE;
}

/**
 * vital_tensor_chunks_get_started:
 * @self: a #VitalTensorChunks
 *
 * Returns: how many chunks were handed to the inflating threads so far (0 without a usable
 *   index)
 */
guint
vital_tensor_chunks_get_started (VitalTensorChunks *self)
{
  return self->chunks != NULL ? vital_gzip_chunks_get_started (self->chunks) : 0;
}

/**
 * vital_tensor_chunks_get_inflated:
 * @self: a #VitalTensorChunks
 *
 * Returns: how many chunks have inflated exactly as the index says so far
 */
guint
vital_tensor_chunks_get_inflated (VitalTensorChunks *self)
{
  return self->chunks != NULL ? vital_gzip_chunks_get_inflated (self->chunks) : 0;
}

/**
 * vital_tensor_chunks_finish:
 * @self: a #VitalTensorChunks that was advanced over the whole payload
 * @out_header: (out caller-allocates): the header, on success
 *
 * Waits for the chunks still being inflated and checks them all, then the body CRC-32 in the
 * header and the gzip trailer's CRC-32 and length. Can be called once.
 *
 * Returns: (transfer full) (nullable): the plain payload (header and body as stored, checked),
 *   or %NULL when the fast path did not hold: read the payload as a whole then
 */
GByteArray *
vital_tensor_chunks_finish (VitalTensorChunks *self,
                            VitalTensorHeader *out_header)
{
  g_autoptr(GByteArray) plain = NULL;
  guint32 body_crc = 0;

  if (self->state != INFLATING)
    return NULL;
  plain = vital_gzip_chunks_finish (self->chunks, &body_crc);
  if (plain == NULL || body_crc != self->header.body_crc32)
    return NULL;
  *out_header = self->header;
  return g_steal_pointer (&plain);
}

/**
 * vital_tensor_chunks_free:
 * @self: (transfer full): a #VitalTensorChunks
 *
 * Drops the chunks not started yet, waits for those being inflated, and frees everything.
 */
void
vital_tensor_chunks_free (VitalTensorChunks *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->chunks, vital_gzip_chunks_free);
  vital_gzip_index_clear (&self->index);
  g_free (self);
}
