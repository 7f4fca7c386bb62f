/* vital-tensor-chunks-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to libvitalscan-core: the fast path for gzip payloads whose header indexes their
 * chunks (docs/tensor-format.md §1.2), shared by both of the tensor's decoders. Not installed.
 */
#pragma once

#include "vital-tensor-format.h"

G_BEGIN_DECLS

typedef struct _VitalTensorChunks VitalTensorChunks;

VitalTensorChunks *vital_tensor_chunks_new                (const guint8       *payload,
                                                           gsize               size);
void               vital_tensor_chunks_advance            (VitalTensorChunks  *self,
                                                           gsize               available);
gboolean           vital_tensor_chunks_get_header         (VitalTensorChunks  *self,
                                                           VitalTensorHeader  *out_header);
guint              vital_tensor_chunks_get_started        (VitalTensorChunks  *self);
guint              vital_tensor_chunks_get_inflated       (VitalTensorChunks  *self);
GByteArray        *vital_tensor_chunks_finish             (VitalTensorChunks  *self,
                                                           VitalTensorHeader  *out_header);
void               vital_tensor_chunks_free               (VitalTensorChunks  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalTensorChunks, vital_tensor_chunks_free)

G_END_DECLS
