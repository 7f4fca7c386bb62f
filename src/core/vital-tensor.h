/* vital-tensor.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tensor module's public API. A VitalTensor holds a capture as raw planar frames
 * (vital-tensor.c); it is written as a payload — a 36-byte header and 12 planes of 72×72 bytes a
 * frame, optionally delta-coded and gzipped (docs/tensor-format.md) — by vital-tensor-encode.c,
 * read from one all at hand by vital-tensor-decode.c (VitalTensorReader reads one as it arrives),
 * and an RGB image is packed into a frame by vital-tensor-pack.c. The format's sizes, header
 * and errors are in vital-tensor-format.h.
 */
#pragma once

#include <glib-object.h>

#include "vital-tensor-format.h"

G_BEGIN_DECLS

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
