/* vital-json-writer.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The exports' numbers: each rounded to the decimals its measure is reported at, or null when
 * there is none, before core's vital_json_text_write() writes it in its shortest exact form.
 */
#include "vital-config.h"

#include <math.h>

#include "vital-export-text.h"
#include "vital-json-writer.h"

/**
 * vital_json_builder_add_number:
 * @builder: a #JsonBuilder where a value is expected
 * @value: the number, or NAN for none
 * @decimals: the decimals it is reported at
 *
 * Adds @value rounded to @decimals, or null when it is not a finite number: JSON has no NaN, and
 * an unmeasured value is null in every export, never a made-up number.
 */
void
vital_json_builder_add_number (JsonBuilder *builder,
                               double       value,
                               guint        decimals)
{
  if (isfinite (value))
    json_builder_add_double_value (builder, vital_export_round (value, decimals));
  else
    json_builder_add_null_value (builder);
}
