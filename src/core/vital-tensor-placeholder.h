/* vital-tensor-placeholder.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A fixed synthetic capture for tests, benchmarks, demos and `vitalscan-cli placeholder`. A
 * fixture built from the synthetic subject (vital-synth.h), not part of the wire format.
 */
#pragma once

#include "vital-tensor.h"

G_BEGIN_DECLS

VitalTensor *vital_tensor_placeholder (guint frame_count);

G_END_DECLS
