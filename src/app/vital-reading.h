/* vital-reading.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalReading: the app's view-model of one scan result (what the results panel, export and
 * local history show), with confidence bands and typical-range checks.
 */
#pragma once

#include <glib-object.h>

#include "vital-signs.h"

G_BEGIN_DECLS

/**
 * VitalKind:
 * The vitals a reading carries, in display order.
 */
typedef enum
{
  VITAL_KIND_HEART_RATE = 0,
  VITAL_KIND_RESPIRATORY_RATE,
  VITAL_KIND_HRV_SDNN,
  VITAL_KIND_SPO2,
  VITAL_KIND_SYSTOLIC_BP,
  VITAL_KIND_DIASTOLIC_BP,
  VITAL_KIND_LAST,
} VitalKind;

/**
 * VitalBand:
 * Confidence bands: HIGH (>= 0.7), MODERATE (0.4-0.7), LOW (< 0.4), FALLBACK (exactly 0.0).
 */
typedef enum
{
  VITAL_BAND_HIGH,
  VITAL_BAND_MODERATE,
  VITAL_BAND_LOW,
  VITAL_BAND_FALLBACK,
} VitalBand;

/**
 * VitalLowCause:
 * The most likely reason for a low-confidence result, from what the capture saw.
 */
typedef enum
{
  VITAL_LOW_CAUSE_UNKNOWN,
  VITAL_LOW_CAUSE_LIGHTING,
  VITAL_LOW_CAUSE_MOTION,
  VITAL_LOW_CAUSE_FACE,
} VitalLowCause;

/**
 * VitalReadingRange:
 * A value compared with the typical adult range.
 */
typedef enum
{
  VITAL_READING_RANGE_UNMEASURED,
  VITAL_READING_RANGE_BELOW,
  VITAL_READING_RANGE_TYPICAL,
  VITAL_READING_RANGE_ABOVE,
} VitalReadingRange;

#define VITAL_TYPE_READING (vital_reading_get_type ())
G_DECLARE_FINAL_TYPE (VitalReading, vital_reading, VITAL, READING, GObject)

VitalReading   *vital_reading_new               (void);
VitalReading   *vital_reading_new_from_signs    (VitalSigns    *signs);
void            vital_reading_set_value         (VitalReading  *self,
                                                 VitalKind      kind,
                                                 double         value);
double          vital_reading_get_value         (VitalReading  *self,
                                                 VitalKind      kind);
void            vital_reading_set_confidence    (VitalReading  *self,
                                                 double         confidence);
double          vital_reading_get_confidence    (VitalReading  *self);
void            vital_reading_set_signal_quality (VitalReading *self,
                                                  double        snr_db,
                                                  double        stability,
                                                  double        periodicity);
double          vital_reading_get_snr_db        (VitalReading  *self);
double          vital_reading_get_stability     (VitalReading  *self);
double          vital_reading_get_periodicity   (VitalReading  *self);
void            vital_reading_set_low_cause     (VitalReading  *self,
                                                 VitalLowCause  cause);
VitalLowCause   vital_reading_get_low_cause     (VitalReading  *self);
void            vital_reading_set_completed_at  (VitalReading  *self,
                                                 GDateTime     *when);
GDateTime      *vital_reading_get_completed_at  (VitalReading  *self);
void            vital_reading_set_session_id    (VitalReading  *self,
                                                 const char    *session_id);
const char     *vital_reading_get_session_id    (VitalReading  *self);
void            vital_reading_set_processing_time_ms (VitalReading *self,
                                                      double        ms);
double          vital_reading_get_processing_time_ms (VitalReading *self);

VitalBand       vital_reading_get_band          (VitalReading  *self);
gboolean        vital_reading_is_fallback       (VitalReading  *self);
VitalReadingRange vital_reading_check_range       (VitalReading  *self,
                                                 VitalKind      kind);

VitalBand       vital_band_from_confidence      (double         confidence);
const char     *vital_band_get_title            (VitalBand      band);
const char     *vital_band_get_advice           (VitalBand      band);
const char     *vital_low_cause_get_advice      (VitalLowCause  cause);

const char     *vital_kind_get_title            (VitalKind      kind);
const char     *vital_kind_get_unit             (VitalKind      kind);
const char     *vital_kind_get_key              (VitalKind      kind);
gboolean        vital_kind_is_experimental      (VitalKind      kind);
void            vital_kind_get_typical_range    (VitalKind      kind,
                                                 double        *low,
                                                 double        *high);

G_END_DECLS
