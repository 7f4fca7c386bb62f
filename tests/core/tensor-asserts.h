/* tensor-asserts.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Assertions the tensor tests share.
 */
#pragma once

#include "vital-tensor.h"

/* Same frames, frame rate and capture start. */
static inline void
assert_same_frames (VitalTensor *a,
                    VitalTensor *b)
{
  g_autoptr(GBytes) fa = vital_tensor_get_frames (a);
  g_autoptr(GBytes) fb = vital_tensor_get_frames (b);

  g_assert_cmpuint (vital_tensor_get_frame_count (a), ==, vital_tensor_get_frame_count (b));
  g_assert_cmpfloat (vital_tensor_get_frame_rate (a), ==, vital_tensor_get_frame_rate (b));
  g_assert_cmpint (vital_tensor_get_capture_start_us (a), ==,
                   vital_tensor_get_capture_start_us (b));
  g_assert_true (g_bytes_equal (fa, fb));
}
