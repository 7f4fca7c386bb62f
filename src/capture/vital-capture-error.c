/* vital-capture-error.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the capture module's error domain.
 */
#include "vital-config.h"

#include "vital-capture-error.h"

G_DEFINE_QUARK (vital-capture-error-quark, vital_capture_error)
