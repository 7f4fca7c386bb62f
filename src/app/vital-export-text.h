/* vital-export-text.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every export writes alike: a number at its resolution, a time with its zone, the app's
 * version.
 */
#pragma once

#include <glib.h>

#include "vital-measure.h"

G_BEGIN_DECLS

/* The decimals every format writes (a vital's own come from the core table of measures). */
#define VITAL_EXPORT_QUALITY_DECIMALS 2   /* confidence, quality, stability, periodicity */
#define VITAL_EXPORT_SNR_DECIMALS     1   /* dB */
#define VITAL_EXPORT_SECONDS_DECIMALS 1   /* the scan's length */

double      vital_export_round           (double        value,
                                          guint         decimals);
char       *vital_export_format_number   (double        value,
                                          guint         decimals);
char       *vital_export_format_value    (VitalMeasure  measure,
                                          double        value);
char       *vital_export_format_time     (GDateTime    *when);
const char *vital_export_get_app_version (void);

G_END_DECLS
