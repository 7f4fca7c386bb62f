/* vital-export.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Export of a result as JSON, CSV, a printable PDF report and an HL7 FHIR R4 Bundle.
 */
#pragma once

#include <gio/gio.h>

#include "vital-export-text.h"
#include "vital-reading.h"

G_BEGIN_DECLS

typedef enum
{
  VITAL_EXPORT_JSON,
  VITAL_EXPORT_CSV,
  VITAL_EXPORT_PDF,
  VITAL_EXPORT_FHIR,
} VitalExportFormat;

char       *vital_export_to_json              (VitalReading       *reading);
char       *vital_export_to_csv               (VitalReading      **readings,
                                               guint               n_readings);
GBytes     *vital_export_to_pdf               (VitalReading       *reading,
                                               GError            **error);
gboolean    vital_export_save                 (VitalReading       *reading,
                                               VitalExportFormat   format,
                                               GFile              *file,
                                               GError            **error);
gboolean    vital_export_save_many            (VitalReading      **readings,
                                               guint               n_readings,
                                               VitalExportFormat   format,
                                               GFile              *file,
                                               GError            **error);
const char *vital_export_format_get_extension (VitalExportFormat   format);
gboolean    vital_export_format_holds_many    (VitalExportFormat   format);
gboolean    vital_export_format_from_string   (const char         *name,
                                               VitalExportFormat  *out_format);

G_END_DECLS
