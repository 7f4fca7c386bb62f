/* vital-reading.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalReading: the app's presentation of one result — the client's VitalSigns plus what only
 * the app knows (the likely cause the capture saw, what it was measured from and for how long,
 * whom the user says it is of) and the translated words for it.
 */
#pragma once

#include <glib-object.h>

#include "vital-measure.h"
#include "vital-signs.h"

G_BEGIN_DECLS

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
 * VitalReadingSource:
 * @VITAL_READING_SOURCE_UNKNOWN: not recorded (results kept before sources were)
 * @VITAL_READING_SOURCE_CAMERA: a camera looking at a person
 * @VITAL_READING_SOURCE_DEMO: the built-in demo subject: not a measurement of anybody
 * @VITAL_READING_SOURCE_VIDEO: a video file
 *
 * What a result was measured from.
 */
typedef enum
{
  VITAL_READING_SOURCE_UNKNOWN,
  VITAL_READING_SOURCE_CAMERA,
  VITAL_READING_SOURCE_DEMO,
  VITAL_READING_SOURCE_VIDEO,
} VitalReadingSource;

#define VITAL_TYPE_READING (vital_reading_get_type ())
G_DECLARE_FINAL_TYPE (VitalReading, vital_reading, VITAL, READING, GObject)

VitalReading        *vital_reading_new                    (VitalSigns     *signs);
VitalSigns          *vital_reading_get_signs              (VitalReading   *self);
double               vital_reading_get_value              (VitalReading   *self,
                                                           VitalMeasure    measure);
double               vital_reading_get_confidence         (VitalReading   *self);
double               vital_reading_get_quality            (VitalReading   *self,
                                                           VitalMeasure    measure);
gboolean             vital_reading_get_measure_band       (VitalReading   *self,
                                                           VitalMeasure    measure,
                                                           VitalConfidenceBand *out_band);
gboolean             vital_reading_is_uncertain           (VitalReading   *self,
                                                           VitalMeasure    measure);
const char          *vital_reading_get_confidence_text    (VitalReading   *self,
                                                           VitalMeasure    measure);
double               vital_reading_get_snr_db             (VitalReading   *self);
double               vital_reading_get_stability          (VitalReading   *self);
double               vital_reading_get_periodicity        (VitalReading   *self);
void                 vital_reading_set_low_cause          (VitalReading   *self,
                                                           VitalLowCause   cause);
VitalLowCause        vital_reading_get_low_cause          (VitalReading   *self);
void                 vital_reading_set_source             (VitalReading   *self,
                                                           VitalReadingSource source,
                                                           const char     *name);
VitalReadingSource   vital_reading_get_source             (VitalReading   *self);
const char          *vital_reading_get_source_name        (VitalReading   *self);
gboolean             vital_reading_is_demo                (VitalReading   *self);
void                 vital_reading_set_subject_id         (VitalReading   *self,
                                                           const char     *subject_id);
const char          *vital_reading_get_subject_id         (VitalReading   *self);
void                 vital_reading_set_scan_seconds       (VitalReading   *self,
                                                           double          seconds);
double               vital_reading_get_scan_seconds       (VitalReading   *self);
char                *vital_reading_dup_source_text        (VitalReading   *self);
GDateTime           *vital_reading_get_completed_at       (VitalReading   *self);
const char          *vital_reading_get_session_id         (VitalReading   *self);
double               vital_reading_get_processing_time_ms (VitalReading   *self);
VitalConfidenceBand  vital_reading_get_band               (VitalReading   *self);
gboolean             vital_reading_is_fallback            (VitalReading   *self);
VitalRangeCheck      vital_reading_check_range            (VitalReading   *self,
                                                           VitalMeasure    measure);

const char          *vital_reading_source_to_string       (VitalReadingSource source);
gboolean             vital_reading_source_from_string     (const char     *text,
                                                           VitalReadingSource *out_source);

const char          *vital_band_get_title                 (VitalConfidenceBand band);
const char          *vital_band_get_heart_rate_title      (VitalConfidenceBand band);
const char          *vital_band_get_advice                (VitalConfidenceBand band);
const char          *vital_low_cause_get_advice           (VitalLowCause  cause);
const char          *vital_measure_get_title_text         (VitalMeasure   measure);
const char          *vital_measure_get_unit_text          (VitalMeasure   measure);

G_END_DECLS
