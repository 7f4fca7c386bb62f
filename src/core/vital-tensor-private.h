/* vital-tensor-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the tensor's decoders may do to a VitalTensor that its public API does not offer: wrap a
 * checked payload's buffer without copying it. Not installed.
 */
#pragma once

#include "vital-tensor.h"

G_BEGIN_DECLS

VitalTensor *vital_tensor_new_from_payload (GByteArray               *payload,
                                            const VitalTensorHeader  *header);

G_END_DECLS
