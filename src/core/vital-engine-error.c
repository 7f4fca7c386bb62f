/* vital-engine-error.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine's error domain (see vital-engine-error.h).
 */
#include "vital-engine-error.h"

G_DEFINE_QUARK (vital-engine-error-quark, vital_engine_error)
