/* vital-engine-error.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain of the vitals engine and the stages it drives (skin extraction, the stream,
 * the synthetic subject): a header of its own so those stages need not include the engine.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VITAL_ENGINE_ERROR (vital_engine_error_quark ())

typedef enum
{
  VITAL_ENGINE_ERROR_TOO_SHORT,   /* fewer seconds than a measurement needs */
  VITAL_ENGINE_ERROR_NO_SKIN,     /* no usable skin: too dark, overexposed, no skin colour */
  VITAL_ENGINE_ERROR_NO_PULSE,    /* skin present but no pulse found in the band */
  VITAL_ENGINE_ERROR_INVALID_ARGUMENT,
} VitalEngineError;

GQuark vital_engine_error_quark (void);

G_END_DECLS
