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

#include "vital-measure.h"

G_BEGIN_DECLS

#define VITAL_TYPE_SIGNS (vital_signs_get_type ())

G_DECLARE_FINAL_TYPE (VitalSigns, vital_signs, VITAL, SIGNS, GObject)

VitalSigns          *vital_signs_new                      (const char        *session_id,
                                                           double             confidence);
void                 vital_signs_set_measure              (VitalSigns        *self,
                                                           VitalMeasure       measure,
                                                           double             value,
                                                           double             quality);
void                 vital_signs_set_signal_quality       (VitalSigns        *self,
                                                           double             snr,
                                                           double             stability,
                                                           double             periodicity);
void                 vital_signs_set_session_id           (VitalSigns        *self,
                                                           const char        *session_id);
void                 vital_signs_set_completed_at         (VitalSigns        *self,
                                                           gint64             unix_seconds);
void                 vital_signs_set_processing_time_ms   (VitalSigns        *self,
                                                           double             ms);
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
                                                           VitalMeasure       measure);
double               vital_signs_get_quality              (VitalSigns        *self,
                                                           VitalMeasure       measure);
const char          *vital_signs_get_not_measured_reason  (VitalSigns        *self,
                                                           VitalMeasure       measure);
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
                                                           VitalMeasure       measure);

const char          *vital_confidence_band_get_recommendation (VitalConfidenceBand band);

G_END_DECLS
