/* vital-tensor-format.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tensor wire format's public vocabulary (docs/tensor-format.md): its sizes and limits, the
 * header fields, and the errors a payload can be rejected with.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VITAL_TENSOR_HEADER_SIZE   36
#define VITAL_TENSOR_VERSION       1
#define VITAL_TENSOR_CHANNELS      12
#define VITAL_TENSOR_REGIONS       4
#define VITAL_TENSOR_HEIGHT        72
#define VITAL_TENSOR_WIDTH         72
#define VITAL_TENSOR_PLANE_SIZE    (VITAL_TENSOR_HEIGHT * VITAL_TENSOR_WIDTH)
#define VITAL_TENSOR_FRAME_SIZE    (VITAL_TENSOR_CHANNELS * VITAL_TENSOR_PLANE_SIZE)
/* 3 minutes at 30 fps: the longest scan we accept (336 MB raw). */
#define VITAL_TENSOR_MAX_FRAMES    5400

/* Header flags (offset 6). */
#define VITAL_TENSOR_FLAG_DELTA    (1u << 0)
#define VITAL_TENSOR_KNOWN_FLAGS   (VITAL_TENSOR_FLAG_DELTA)

/* The four facial regions; channel = region * 3 + colour (0 R, 1 G, 2 B). */
typedef enum
{
  VITAL_REGION_FACE = 0,
  VITAL_REGION_FOREHEAD = 1,
  VITAL_REGION_LEFT_CHEEK = 2,  /* left as seen by the camera */
  VITAL_REGION_RIGHT_CHEEK = 3,
} VitalRegion;

#define VITAL_TENSOR_ERROR (vital_tensor_error_quark ())

/* Which check rejects a payload, and in which order, is docs/tensor-format.md §5. */
typedef enum
{
  VITAL_TENSOR_ERROR_TRUNCATED,      /* fewer bytes than the header or body needs */
  VITAL_TENSOR_ERROR_BAD_MAGIC,      /* not a Vitalscan tensor (nor gzip of one) */
  VITAL_TENSOR_ERROR_BAD_VERSION,    /* a format version this build cannot read */
  VITAL_TENSOR_ERROR_BAD_FLAGS,      /* unknown flag bits set */
  VITAL_TENSOR_ERROR_BAD_DIMENSIONS, /* channels/height/width are not 12/72/72 */
  VITAL_TENSOR_ERROR_BAD_FRAME_RATE, /* zero or implausible frame rate */
  VITAL_TENSOR_ERROR_TOO_MANY_FRAMES,/* frame_count above VITAL_TENSOR_MAX_FRAMES */
  VITAL_TENSOR_ERROR_EMPTY,          /* frame_count is zero */
  VITAL_TENSOR_ERROR_OVERSIZED,      /* bytes after the declared body (or gzip bomb) */
  VITAL_TENSOR_ERROR_CHECKSUM,       /* CRC-32 of the body does not match */
  VITAL_TENSOR_ERROR_COMPRESSION,    /* corrupt gzip stream */
  VITAL_TENSOR_ERROR_INVALID_ARGUMENT,
} VitalTensorError;

GQuark vital_tensor_error_quark (void);

/* The header fields as decoded (or to be encoded). */
typedef struct
{
  guint16 version;
  guint16 flags;
  guint32 frame_count;
  guint16 channels;
  guint16 height;
  guint16 width;
  guint32 frame_rate_millihz; /* frames per second x 1000 */
  gint64  capture_start_us;   /* µs since the Unix epoch, UTC; any value */
  guint32 body_crc32;         /* CRC-32 of the body bytes as stored */
} VitalTensorHeader;

G_END_DECLS
