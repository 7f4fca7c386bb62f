/* vital-measure.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one table of what a result measures: each vital's key, unit, typical range and
 * experimental flag, and the confidence bands. Server, client, CLI and app all read it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * VitalMeasure:
 * @VITAL_MEASURE_HEART_RATE: heart rate, beats per minute
 * @VITAL_MEASURE_RESPIRATORY_RATE: respiratory rate, breaths per minute
 * @VITAL_MEASURE_HRV_SDNN: heart-rate variability (SDNN), milliseconds
 * @VITAL_MEASURE_SPO2: blood oxygen saturation, percent (experimental)
 * @VITAL_MEASURE_SYSTOLIC_BP: systolic blood pressure, mmHg (experimental)
 * @VITAL_MEASURE_DIASTOLIC_BP: diastolic blood pressure, mmHg (experimental)
 * @VITAL_MEASURE_COUNT: the number of measures
 *
 * The vitals of a result, in display order.
 */
typedef enum
{
  VITAL_MEASURE_HEART_RATE,
  VITAL_MEASURE_RESPIRATORY_RATE,
  VITAL_MEASURE_HRV_SDNN,
  VITAL_MEASURE_SPO2,
  VITAL_MEASURE_SYSTOLIC_BP,
  VITAL_MEASURE_DIASTOLIC_BP,
  VITAL_MEASURE_COUNT,
} VitalMeasure;

/**
 * VitalMeasureInfo:
 * @key: the key in the API's `vitals` object and in every export (`heart_rate`, `hrv`, …)
 * @quality_key: the key in the API's `vital_quality` and `not_measured` objects (both blood
 *   pressures share `blood_pressure`)
 * @title: what people call it, in English; marked for translation (show it through gettext)
 * @unit: the unit as written in machine-readable output, never translated
 * @ucum: the unit in UCUM, for clinical exchange formats and the machine-readable exports
 * @loinc: the LOINC code of the observation in clinical exchange formats (HL7 FHIR)
 * @loinc_display: LOINC's own display name of @loinc (never translated)
 * @typical_low: lower bound of the typical adult resting range (inclusive)
 * @typical_high: upper bound of it (inclusive)
 * @step: the resolution values are reported at (0.1 or 1)
 * @experimental: camera estimates of it are not validated against a reference
 *
 * One row of the table.
 */
typedef struct
{
  const char *key;
  const char *quality_key;
  const char *title;
  const char *unit;
  const char *ucum;
  const char *loinc;
  const char *loinc_display;
  double      typical_low;
  double      typical_high;
  double      step;
  gboolean    experimental;
} VitalMeasureInfo;

/**
 * VitalConfidenceBand:
 * @VITAL_CONFIDENCE_BAND_FALLBACK: confidence exactly 0: the values are fallbacks, not
 *   measurements
 * @VITAL_CONFIDENCE_BAND_LOW: below %VITAL_CONFIDENCE_MODERATE
 * @VITAL_CONFIDENCE_BAND_MODERATE: from %VITAL_CONFIDENCE_MODERATE to below
 *   %VITAL_CONFIDENCE_HIGH
 * @VITAL_CONFIDENCE_BAND_HIGH: %VITAL_CONFIDENCE_HIGH or more
 *
 * How far a value can be trusted.
 */
typedef enum
{
  VITAL_CONFIDENCE_BAND_FALLBACK,
  VITAL_CONFIDENCE_BAND_LOW,
  VITAL_CONFIDENCE_BAND_MODERATE,
  VITAL_CONFIDENCE_BAND_HIGH,
} VitalConfidenceBand;

#define VITAL_CONFIDENCE_MODERATE 0.4
#define VITAL_CONFIDENCE_HIGH     0.7

/**
 * VitalRangeCheck:
 * @VITAL_RANGE_UNAVAILABLE: the vital was not measured
 * @VITAL_RANGE_BELOW: below the typical adult resting range
 * @VITAL_RANGE_TYPICAL: inside it (bounds included)
 * @VITAL_RANGE_ABOVE: above it
 *
 * Where a value lies against the typical range. Outside is still a valid reading; it is
 * flagged for attention, not rejected.
 */
typedef enum
{
  VITAL_RANGE_UNAVAILABLE,
  VITAL_RANGE_BELOW,
  VITAL_RANGE_TYPICAL,
  VITAL_RANGE_ABOVE,
} VitalRangeCheck;

const VitalMeasureInfo *vital_measure_get_info          (VitalMeasure        measure);
gboolean                vital_measure_from_key          (const char         *key,
                                                         VitalMeasure       *out_measure);
VitalRangeCheck         vital_measure_check_range       (VitalMeasure        measure,
                                                         double              value);
double                  vital_measure_round             (VitalMeasure        measure,
                                                         double              value);
guint                   vital_measure_get_decimals      (VitalMeasure        measure);

VitalConfidenceBand     vital_confidence_band_from_confidence (double        confidence);
const char             *vital_confidence_band_to_string (VitalConfidenceBand band);
const char             *vital_range_check_to_string     (VitalRangeCheck     check);

G_END_DECLS
