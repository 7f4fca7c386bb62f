/* vital-sandbox.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sandbox (ck_test_) results: deterministic synthetic vitals derived from the session id.
 */
#pragma once

#include "vital-engine.h"

G_BEGIN_DECLS

VitalVitals *vital_sandbox_vitals (const char *session_id);

G_END_DECLS
