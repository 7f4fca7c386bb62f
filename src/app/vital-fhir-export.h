/* vital-fhir-export.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Export of results as an HL7 FHIR R4 Bundle of vital-signs Observations.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "vital-reading.h"

G_BEGIN_DECLS

JsonNode *vital_fhir_export_bundle  (VitalReading **readings,
                                     guint          n_readings,
                                     GDateTime     *timestamp);
char     *vital_fhir_export_to_json (VitalReading **readings,
                                     guint          n_readings,
                                     GDateTime     *timestamp);

G_END_DECLS
