/* vital-tensor-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the tensor's decoders share inside libvitalscan-core: the header check, and turning a
 * checked, inflated payload into a tensor. Not installed.
 */
#pragma once

#include "vital-tensor.h"

G_BEGIN_DECLS

VitalTensor *vital_tensor_new_from_payload     (GByteArray               *payload,
                                                const VitalTensorHeader  *header);
VitalTensor *vital_tensor_decode_full          (GBytes                   *payload,
                                                gboolean                  try_index,
                                                VitalTensorHeader        *out_header,
                                                GError                  **error);

/* vital-tensor-reader.c: the chunk-parallel inflater behind vital_tensor_decode(). */
GByteArray  *vital_tensor_reader_inflate_indexed (const guint8           *data,
                                                  gsize                   size,
                                                  VitalTensorHeader      *header);

G_END_DECLS
