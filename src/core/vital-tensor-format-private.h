/* vital-tensor-format-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to libvitalscan-core: the byte-level rules of the tensor format that both its encoder
 * and its decoders follow — the header layout and checks, the body's CRC-32 and the temporal
 * delta coding. Not installed.
 */
#pragma once

#include "vital-tensor-format.h"

G_BEGIN_DECLS

/* Frame rates outside 1..240 fps are not a camera we know. */
#define VITAL_TENSOR_MIN_FRAME_RATE_MILLIHZ 1000u
#define VITAL_TENSOR_MAX_FRAME_RATE_MILLIHZ 240000u

gboolean vital_tensor_format_read_header      (const guint8            *in,
                                               VitalTensorHeader       *header,
                                               GError                 **error);
void     vital_tensor_format_write_header     (guint8                  *out,
                                               const VitalTensorHeader *header);
gsize    vital_tensor_format_payload_size     (const VitalTensorHeader *header);
gboolean vital_tensor_format_check_frame_rate (double                   frame_rate,
                                               GError                 **error);
guint32  vital_tensor_format_body_crc32       (const guint8            *body,
                                               gsize                    size);
void     vital_tensor_format_delta_encode     (const guint8            *raw,
                                               guint8                  *stored,
                                               gsize                    size);
void     vital_tensor_format_delta_decode     (guint8                  *body,
                                               gsize                    size);

G_END_DECLS
