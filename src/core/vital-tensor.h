/* vital-tensor.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The measurement payload: a 36-byte little-endian header and frame_count frames of
 * 12 planar 72x72 uint8 planes, optionally delta-coded and gzipped (docs/tensor-format.md).
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define VITAL_TENSOR_HEADER_SIZE   36
#define VITAL_TENSOR_VERSION       1
#define VITAL_TENSOR_CHANNELS      12
#define VITAL_TENSOR_REGIONS       4
#define VITAL_TENSOR_HEIGHT        72
#define VITAL_TENSOR_WIDTH         72
#define VITAL_TENSOR_PLANE_SIZE    (VITAL_TENSOR_HEIGHT * VITAL_TENSOR_WIDTH)
#define VITAL_TENSOR_FRAME_SIZE    (VITAL_TENSOR_CHANNELS * VITAL_TENSOR_PLANE_SIZE)
/* 3 minutes at 30 fps: the longest scan we accept (224 MB raw). */
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

/* Encoding options for vital_tensor_encode(). */
typedef enum
{
  VITAL_TENSOR_ENCODE_PLAIN = 0,
  VITAL_TENSOR_ENCODE_GZIP = 1 << 0,
  VITAL_TENSOR_ENCODE_DELTA = 1 << 1,
} VitalTensorEncodeFlags;

#define VITAL_TENSOR_ENCODE_DEFAULT (VITAL_TENSOR_ENCODE_GZIP | VITAL_TENSOR_ENCODE_DELTA)

/* An axis-aligned rectangle in source-image pixels. */
typedef struct
{
  int x;
  int y;
  int width;
  int height;
} VitalRect;

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
  gint64  capture_start_us;   /* µs since the Unix epoch, UTC */
  guint32 body_crc32;         /* CRC-32 of the body bytes as stored */
} VitalTensorHeader;

/* A decoded capture: frame_count frames of VITAL_TENSOR_FRAME_SIZE bytes, raw (never delta). */
typedef struct _VitalTensor VitalTensor;

GType vital_tensor_get_type (void) G_GNUC_CONST;
#define VITAL_TYPE_TENSOR (vital_tensor_get_type ())

VitalTensor   *vital_tensor_new              (double        frame_rate,
                                              gint64        capture_start_us);
VitalTensor   *vital_tensor_new_from_bytes   (GBytes       *frames,
                                              double        frame_rate,
                                              gint64        capture_start_us,
                                              GError      **error);
VitalTensor   *vital_tensor_ref              (VitalTensor  *self);
void           vital_tensor_unref            (VitalTensor  *self);

guint8        *vital_tensor_append_frame     (VitalTensor  *self);
gboolean       vital_tensor_push_frame       (VitalTensor  *self,
                                              const guint8 *planes,
                                              GError      **error);
guint          vital_tensor_get_frame_count  (const VitalTensor *self);
double         vital_tensor_get_frame_rate   (const VitalTensor *self);
gint64         vital_tensor_get_capture_start_us (const VitalTensor *self);
const guint8  *vital_tensor_get_frame        (const VitalTensor *self,
                                              guint         index);
const guint8  *vital_tensor_get_plane        (const VitalTensor *self,
                                              guint         frame,
                                              guint         channel);
GBytes        *vital_tensor_get_frames       (VitalTensor  *self);

GBytes        *vital_tensor_encode           (VitalTensor  *self,
                                              VitalTensorEncodeFlags flags,
                                              int           level,
                                              GError      **error);
VitalTensor   *vital_tensor_decode           (GBytes       *payload,
                                              VitalTensorHeader *out_header,
                                              GError      **error);
gboolean       vital_tensor_peek_header      (GBytes       *payload,
                                              VitalTensorHeader *out_header,
                                              gboolean     *out_gzipped,
                                              GError      **error);

gboolean       vital_tensor_pack_frame       (const guint8 *rgb,
                                              int           width,
                                              int           height,
                                              gsize         stride,
                                              const VitalRect regions[VITAL_TENSOR_REGIONS],
                                              guint8       *out_planes,
                                              GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalTensor, vital_tensor_unref)

G_END_DECLS
