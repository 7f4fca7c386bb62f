/* vital-measure.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the table of measures and the confidence bands. Typical ranges are adult resting
 * values (AHA/ESC guideline ranges for HR and BP, WHO for SpO2, SDNN from the 1996 Task Force
 * short-term recordings); outside is flagged, never rejected.
 */
#include "vital-measure.h"

#include <math.h>

/* Marks a string for translation without translating it here: core has no text domain; the
 * app shows these through gettext. */
#define N_(text) text

/* LOINC codes as the FHIR R4 vital-signs profiles name them (hl7.org/fhir/R4, "Vital Signs");
 * SDNN, which has no vital-signs profile, by LOINC's own code for it. Oxygen saturation is the
 * profile's 2708-6, not the pulse-oximetry 59408-5: a camera is no pulse oximeter. */
static const VitalMeasureInfo measures[VITAL_MEASURE_COUNT] = {
  [VITAL_MEASURE_HEART_RATE] = {
    "heart_rate", "heart_rate", N_("Heart rate"), N_("bpm"), "/min", "8867-4", "Heart rate",
    60, 100, 0.1, FALSE },
  [VITAL_MEASURE_RESPIRATORY_RATE] = {
    "respiratory_rate", "respiratory_rate", N_("Respiratory rate"), N_("breaths/min"), "/min",
    "9279-1", "Respiratory rate", 12, 20, 0.1, FALSE },
  [VITAL_MEASURE_HRV_SDNN] = {
    "hrv", "hrv", N_("Heart rate variability (SDNN)"), "ms", "ms", "80404-7",
    "R-R interval.standard deviation (Heart rate variability)", 20, 100, 0.1, FALSE },
  [VITAL_MEASURE_SPO2] = {
    "spo2", "spo2", N_("Blood oxygen (SpO₂)"), "%", "%", "2708-6",
    "Oxygen saturation in Arterial blood", 95, 100, 1, TRUE },
  [VITAL_MEASURE_SYSTOLIC_BP] = {
    "systolic_bp", "blood_pressure", N_("Systolic blood pressure"), N_("mmHg"), "mm[Hg]",
    "8480-6", "Systolic blood pressure", 90, 140, 1, TRUE },
  [VITAL_MEASURE_DIASTOLIC_BP] = {
    "diastolic_bp", "blood_pressure", N_("Diastolic blood pressure"), N_("mmHg"), "mm[Hg]",
    "8462-4", "Diastolic blood pressure", 60, 90, 1, TRUE },
};

/**
 * vital_measure_get_info:
 * @measure: a measure
 *
 * Returns: (transfer none): its row of the table (static)
 */
const VitalMeasureInfo *
vital_measure_get_info (VitalMeasure measure)
{
  g_return_val_if_fail (measure < VITAL_MEASURE_COUNT, &measures[0]);
  return &measures[measure];
}

/**
 * vital_measure_from_key:
 * @key: a key such as `heart_rate` or `hrv`
 * @out_measure: (out): the measure it names
 *
 * Returns: %TRUE when @key names a measure
 */
gboolean
vital_measure_from_key (const char   *key,
                        VitalMeasure *out_measure)
{
  for (guint m = 0; m < VITAL_MEASURE_COUNT; m++)
    if (g_strcmp0 (key, measures[m].key) == 0)
      {
        *out_measure = (VitalMeasure) m;
        return TRUE;
      }
  return FALSE;
}

/**
 * vital_measure_check_range:
 * @measure: a measure
 * @value: its value, or NAN when not measured
 *
 * Returns: where @value lies against the typical range (bounds inclusive)
 */
VitalRangeCheck
vital_measure_check_range (VitalMeasure measure,
                           double       value)
{
  const VitalMeasureInfo *info = vital_measure_get_info (measure);

  if (!isfinite (value))
    return VITAL_RANGE_UNAVAILABLE;
  if (value < info->typical_low)
    return VITAL_RANGE_BELOW;
  if (value > info->typical_high)
    return VITAL_RANGE_ABOVE;
  return VITAL_RANGE_TYPICAL;
}

/**
 * vital_measure_round:
 * @measure: a measure
 * @value: a value, or NAN
 *
 * Returns: @value at the measure's reporting resolution (NAN stays NAN)
 */
double
vital_measure_round (VitalMeasure measure,
                     double       value)
{
  double step = vital_measure_get_info (measure)->step;

  return isfinite (value) ? round (value / step) * step : value;
}

/**
 * vital_measure_get_decimals:
 * @measure: a measure
 *
 * Every export writes a value with this many decimals, so that JSON, CSV, the report and FHIR
 * say the same number (and none claims more resolution than the measure is reported at).
 *
 * Returns: the decimals of the measure's reporting resolution: 1 for a step of 0.1, 0 for 1
 */
guint
vital_measure_get_decimals (VitalMeasure measure)
{
  double step = vital_measure_get_info (measure)->step;
  guint decimals = 0;

  while (decimals < 6 && round (step * pow (10, decimals)) < 1.0 - 1e-9)
    decimals++;
  return decimals;
}

/**
 * vital_confidence_band_from_confidence:
 * @confidence: a confidence, 0–1
 *
 * Returns: exactly 0 is FALLBACK, below 0.4 LOW, below 0.7 MODERATE, else HIGH
 */
VitalConfidenceBand
vital_confidence_band_from_confidence (double confidence)
{
  if (!(confidence > 0.0))
    return VITAL_CONFIDENCE_BAND_FALLBACK;
  if (confidence < VITAL_CONFIDENCE_MODERATE)
    return VITAL_CONFIDENCE_BAND_LOW;
  if (confidence < VITAL_CONFIDENCE_HIGH)
    return VITAL_CONFIDENCE_BAND_MODERATE;
  return VITAL_CONFIDENCE_BAND_HIGH;
}

/**
 * vital_confidence_band_to_string:
 * @band: a band
 *
 * Returns: (transfer none): `"fallback"`, `"low"`, `"moderate"` or `"high"`, for machines
 */
const char *
vital_confidence_band_to_string (VitalConfidenceBand band)
{
  switch (band)
    {
    case VITAL_CONFIDENCE_BAND_LOW:
      return "low";
    case VITAL_CONFIDENCE_BAND_MODERATE:
      return "moderate";
    case VITAL_CONFIDENCE_BAND_HIGH:
      return "high";
    case VITAL_CONFIDENCE_BAND_FALLBACK:
    default:
      return "fallback";
    }
}

/**
 * vital_range_check_to_string:
 * @check: a range check
 *
 * Returns: (transfer none): `"unavailable"`, `"below"`, `"typical"` or `"above"`, for machines
 */
const char *
vital_range_check_to_string (VitalRangeCheck check)
{
  switch (check)
    {
    case VITAL_RANGE_BELOW:
      return "below";
    case VITAL_RANGE_TYPICAL:
      return "typical";
    case VITAL_RANGE_ABOVE:
      return "above";
    case VITAL_RANGE_UNAVAILABLE:
    default:
      return "unavailable";
    }
}
