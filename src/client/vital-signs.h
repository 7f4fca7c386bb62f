/* vital-signs.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalSigns: one completed scan result as the session API reports it.
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * VitalConfidenceBand:
 * @VITAL_CONFIDENCE_BAND_FALLBACK: confidence is exactly 0.0: the values are fallbacks, not
 *   measurements
 * @VITAL_CONFIDENCE_BAND_LOW: confidence below 0.4
 * @VITAL_CONFIDENCE_BAND_MODERATE: confidence from 0.4 to below 0.7
 * @VITAL_CONFIDENCE_BAND_HIGH: confidence 0.7 or more
 *
 * How far a result can be trusted.
 */
typedef enum
{
  VITAL_CONFIDENCE_BAND_FALLBACK,
  VITAL_CONFIDENCE_BAND_LOW,
  VITAL_CONFIDENCE_BAND_MODERATE,
  VITAL_CONFIDENCE_BAND_HIGH,
} VitalConfidenceBand;

/**
 * VitalSignsMeasure:
 * @VITAL_SIGNS_HEART_RATE: heart rate, beats per minute
 * @VITAL_SIGNS_RESPIRATORY_RATE: respiratory rate, breaths per minute
 * @VITAL_SIGNS_HRV_SDNN: heart-rate variability (SDNN), milliseconds
 * @VITAL_SIGNS_SPO2: blood oxygen saturation, percent
 * @VITAL_SIGNS_SYSTOLIC_BP: systolic blood pressure, mmHg
 * @VITAL_SIGNS_DIASTOLIC_BP: diastolic blood pressure, mmHg
 *
 * The vitals of a result.
 */
typedef enum
{
  VITAL_SIGNS_HEART_RATE,
  VITAL_SIGNS_RESPIRATORY_RATE,
  VITAL_SIGNS_HRV_SDNN,
  VITAL_SIGNS_SPO2,
  VITAL_SIGNS_SYSTOLIC_BP,
  VITAL_SIGNS_DIASTOLIC_BP,
} VitalSignsMeasure;

#define VITAL_SIGNS_N_MEASURES (VITAL_SIGNS_DIASTOLIC_BP + 1)

/**
 * VitalRangeCheck:
 * @VITAL_RANGE_UNAVAILABLE: the vital was not measured
 * @VITAL_RANGE_BELOW: below the typical adult resting range
 * @VITAL_RANGE_TYPICAL: inside the typical adult resting range
 * @VITAL_RANGE_ABOVE: above the typical adult resting range
 *
 * Where a vital lies relative to the typical adult range. Outside is still a valid reading; it
 * is flagged for attention, not rejected.
 */
typedef enum
{
  VITAL_RANGE_UNAVAILABLE,
  VITAL_RANGE_BELOW,
  VITAL_RANGE_TYPICAL,
  VITAL_RANGE_ABOVE,
} VitalRangeCheck;

#define VITAL_TYPE_SIGNS (vital_signs_get_type ())

G_DECLARE_FINAL_TYPE (VitalSigns, vital_signs, VITAL, SIGNS, GObject)

VitalSigns          *vital_signs_new_from_json            (JsonNode          *node,
                                                           GError           **error);
JsonNode            *vital_signs_to_json                  (VitalSigns        *self);

const char          *vital_signs_get_session_id           (VitalSigns        *self);
double               vital_signs_get_heart_rate           (VitalSigns        *self);
double               vital_signs_get_respiratory_rate     (VitalSigns        *self);
double               vital_signs_get_hrv_sdnn             (VitalSigns        *self);
double               vital_signs_get_spo2                 (VitalSigns        *self);
double               vital_signs_get_systolic_bp          (VitalSigns        *self);
double               vital_signs_get_diastolic_bp         (VitalSigns        *self);
double               vital_signs_get_measure              (VitalSigns        *self,
                                                           VitalSignsMeasure  measure);
double               vital_signs_get_quality              (VitalSigns        *self,
                                                           VitalSignsMeasure  measure);
const char          *vital_signs_get_not_measured_reason  (VitalSigns        *self,
                                                           VitalSignsMeasure  measure);
const char          *vital_signs_get_confidence_cause     (VitalSigns        *self);
double               vital_signs_get_confidence           (VitalSigns        *self);
double               vital_signs_get_snr                  (VitalSigns        *self);
double               vital_signs_get_stability            (VitalSigns        *self);
double               vital_signs_get_periodicity          (VitalSigns        *self);
double               vital_signs_get_processing_time_ms   (VitalSigns        *self);
gint64               vital_signs_get_completed_at         (VitalSigns        *self);
gboolean             vital_signs_is_fallback              (VitalSigns        *self);
gboolean             vital_signs_is_sandbox               (VitalSigns        *self);
VitalConfidenceBand  vital_signs_get_confidence_band      (VitalSigns        *self);
VitalRangeCheck      vital_signs_check_range              (VitalSigns        *self,
                                                           VitalSignsMeasure  measure);

VitalConfidenceBand  vital_confidence_band_from_confidence (double           confidence);
const char          *vital_confidence_band_to_string      (VitalConfidenceBand band);
const char          *vital_confidence_band_get_recommendation (VitalConfidenceBand band);
const char          *vital_signs_measure_get_name         (VitalSignsMeasure  measure);
const char          *vital_signs_measure_get_unit         (VitalSignsMeasure  measure);
void                 vital_signs_measure_get_typical_range (VitalSignsMeasure measure,
                                                           double            *out_low,
                                                           double            *out_high);
const char          *vital_range_check_to_string          (VitalRangeCheck    check);

G_END_DECLS
