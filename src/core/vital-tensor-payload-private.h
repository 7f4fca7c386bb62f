/* vital-tensor-payload-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to libvitalscan-core: reading a whole encoded payload from an untrusted source, plain
 * or gzipped, with every check of docs/tensor-format.md §5 in its order. Both of the tensor's
 * decoders end here for whatever their fast paths do not take. Not installed.
 */
#pragma once

#include "vital-tensor-format.h"

G_BEGIN_DECLS

gboolean    vital_tensor_payload_is_gzip      (const guint8       *data,
                                               gsize               size);
gboolean    vital_tensor_payload_peek_header  (const guint8       *data,
                                               gsize               size,
                                               VitalTensorHeader  *header,
                                               GError            **error);
GByteArray *vital_tensor_payload_unpack       (const guint8       *data,
                                               gsize               size,
                                               VitalTensorHeader  *header,
                                               GError            **error);

G_END_DECLS
