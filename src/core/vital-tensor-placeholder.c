/* vital-tensor-placeholder.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the placeholder capture: the synthetic subject with one fixed set of parameters, so that
 * every placeholder payload is byte-reproducible and still completes under real processing.
 */
#include "vital-config.h"

#include "vital-synth.h"
#include "vital-tensor-placeholder.h"

/**
 * vital_tensor_placeholder:
 * @frame_count: frames to generate, 1..%VITAL_TENSOR_MAX_FRAMES (150 mimics a 5 s capture)
 *
 * A valid, deterministic synthetic capture at 30 fps for sandbox tests and demos: the synthetic
 * subject (vital-synth.h) at 72 bpm and 15 breaths/min with a fixed seed, captured from
 * 2026-01-01T00:00:00Z.
 *
 * Returns: (transfer full): the tensor
 */
VitalTensor *
vital_tensor_placeholder (guint frame_count)
{
  VitalSynthParams params;
  g_autoptr(VitalSynth) synth = NULL;

  g_return_val_if_fail (frame_count > 0 && frame_count <= VITAL_TENSOR_MAX_FRAMES, NULL);

  vital_synth_params_init (&params);
  params.seed = 0x5654;
  params.frame_rate = 30.0;
  params.heart_rate = 72.0;
  params.respiratory_rate = 15.0;
  synth = vital_synth_new (&params);
  return vital_synth_render_tensor (synth, frame_count);
}
