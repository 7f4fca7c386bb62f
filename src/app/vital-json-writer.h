/* vital-json-writer.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSON text for the exports, with numbers written as the people who read them expect: rounded
 * to the measure's resolution and in their shortest exact form (0.72, not 0.71999999999999997).
 */
#pragma once

#include "vital-json-text.h"

G_BEGIN_DECLS

void    vital_json_builder_add_number (JsonBuilder *builder,
                                       double       value,
                                       guint        decimals);

G_END_DECLS
