/* vital-reading.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalReading: the app's view-model of one scan result.
 */
#include "vital-config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "vital-reading.h"

struct _VitalReading
{
  GObject        parent_instance;

  double         values[VITAL_KIND_LAST];
  double         confidence;
  double         snr_db;
  double         stability;
  double         periodicity;
  double         processing_time_ms;
  VitalLowCause  low_cause;
  GDateTime     *completed_at;
  char          *session_id;
};

G_DEFINE_FINAL_TYPE (VitalReading, vital_reading, G_TYPE_OBJECT)

/* Typical adult ranges (issue 5): outside is still valid, it is flagged. */
static const struct
{
  const char *key;
  const char *title;
  const char *unit;
  double      low;
  double      high;
  gboolean    experimental;
} kinds[VITAL_KIND_LAST] = {
  [VITAL_KIND_HEART_RATE] = { "heart_rate", N_("Heart rate"), N_("bpm"), 60, 100, FALSE },
  [VITAL_KIND_RESPIRATORY_RATE] = { "respiratory_rate", N_("Breathing rate"), N_("breaths/min"),
                                    12, 20, FALSE },
  [VITAL_KIND_HRV_SDNN] = { "hrv_sdnn", N_("Heart rate variability"), N_("ms SDNN"), 20, 100, FALSE },
  [VITAL_KIND_SPO2] = { "spo2", N_("Blood oxygen"), N_("% SpO₂"), 95, 100, TRUE },
  [VITAL_KIND_SYSTOLIC_BP] = { "systolic_bp", N_("Systolic pressure"), N_("mmHg"), 90, 140, TRUE },
  [VITAL_KIND_DIASTOLIC_BP] = { "diastolic_bp", N_("Diastolic pressure"), N_("mmHg"), 60, 90, TRUE },
};

static void
vital_reading_finalize (GObject *object)
{
  VitalReading *self = VITAL_READING (object);

  g_clear_pointer (&self->completed_at, g_date_time_unref);
  g_clear_pointer (&self->session_id, g_free);

  G_OBJECT_CLASS (vital_reading_parent_class)->finalize (object);
}

static void
vital_reading_class_init (VitalReadingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vital_reading_finalize;
}

static void
vital_reading_init (VitalReading *self)
{
  for (guint i = 0; i < VITAL_KIND_LAST; i++)
    self->values[i] = NAN;
  self->confidence = 0.0;
  self->snr_db = NAN;
  self->stability = NAN;
  self->periodicity = NAN;
  self->processing_time_ms = NAN;
}

/**
 * vital_reading_new:
 *
 * Creates an empty reading: every vital unmeasured (NAN), confidence 0 (fallback).
 *
 * Returns: (transfer full): a new #VitalReading
 */
VitalReading *
vital_reading_new (void)
{
  return g_object_new (VITAL_TYPE_READING, NULL);
}

/**
 * vital_reading_new_from_signs:
 * @signs: a result from the session API client
 *
 * Builds the view-model of a client result: every vital (NAN where the server sent none),
 * confidence, signal quality (SNR, stability, periodicity), completion time,
 * session id and processing time.
 *
 * Returns: (transfer full): a new #VitalReading
 */
VitalReading *
vital_reading_new_from_signs (VitalSigns *signs)
{
  VitalReading *self;
  gint64 completed;

  g_return_val_if_fail (VITAL_IS_SIGNS (signs), NULL);

  self = vital_reading_new ();
  for (guint k = 0; k < VITAL_KIND_LAST; k++)
    vital_reading_set_value (self, k, vital_signs_get_measure (signs, (VitalSignsMeasure) k));
  vital_reading_set_confidence (self, vital_signs_get_confidence (signs));
  vital_reading_set_signal_quality (self, vital_signs_get_snr (signs),
                                    vital_signs_get_stability (signs),
                                    vital_signs_get_periodicity (signs));
  vital_reading_set_session_id (self, vital_signs_get_session_id (signs));
  vital_reading_set_processing_time_ms (self, vital_signs_get_processing_time_ms (signs));
  completed = vital_signs_get_completed_at (signs);
  if (completed >= 0)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (completed);
      vital_reading_set_completed_at (self, when);
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      vital_reading_set_completed_at (self, now);
    }
  return self;
}

/**
 * vital_reading_set_value:
 * @self: a #VitalReading
 * @kind: which vital
 * @value: the value in the kind's unit, or NAN when it was not measured
 *
 * Sets one vital.
 */
void
vital_reading_set_value (VitalReading *self,
                         VitalKind     kind,
                         double        value)
{
  g_return_if_fail (VITAL_IS_READING (self));
  g_return_if_fail (kind < VITAL_KIND_LAST);

  self->values[kind] = isfinite (value) ? value : NAN;
}

/**
 * vital_reading_get_value:
 * @self: a #VitalReading
 * @kind: which vital
 *
 * Returns: the value, or NAN when unmeasured
 */
double
vital_reading_get_value (VitalReading *self,
                         VitalKind     kind)
{
  g_return_val_if_fail (VITAL_IS_READING (self), NAN);
  g_return_val_if_fail (kind < VITAL_KIND_LAST, NAN);

  return self->values[kind];
}

/**
 * vital_reading_set_confidence:
 * @self: a #VitalReading
 * @confidence: 0-1; exactly 0.0 marks a fallback result
 *
 * Sets the overall confidence (clamped to 0-1; NAN counts as 0).
 */
void
vital_reading_set_confidence (VitalReading *self,
                              double        confidence)
{
  g_return_if_fail (VITAL_IS_READING (self));

  self->confidence = isfinite (confidence) ? CLAMP (confidence, 0.0, 1.0) : 0.0;
}

/**
 * vital_reading_get_confidence:
 * @self: a #VitalReading
 *
 * Returns: the confidence, 0-1
 */
double
vital_reading_get_confidence (VitalReading *self)
{
  g_return_val_if_fail (VITAL_IS_READING (self), 0.0);
  return self->confidence;
}

/**
 * vital_reading_set_signal_quality:
 * @self: a #VitalReading
 * @snr_db: SNR of the pulse in dB, or NAN
 * @stability: 0-1, or NAN
 * @periodicity: 0-1, or NAN
 *
 * Sets the signal-quality figures reported with the result (NAN when not sent).
 */
void
vital_reading_set_signal_quality (VitalReading *self,
                                  double        snr_db,
                                  double        stability,
                                  double        periodicity)
{
  g_return_if_fail (VITAL_IS_READING (self));
  self->snr_db = isfinite (snr_db) ? snr_db : NAN;
  self->stability = isfinite (stability) ? CLAMP (stability, 0.0, 1.0) : NAN;
  self->periodicity = isfinite (periodicity) ? CLAMP (periodicity, 0.0, 1.0) : NAN;
}

/**
 * vital_reading_get_snr_db:
 * @self: a #VitalReading
 *
 * Returns: the pulse SNR in dB, or NAN
 */
double
vital_reading_get_snr_db (VitalReading *self)
{
  g_return_val_if_fail (VITAL_IS_READING (self), NAN);
  return self->snr_db;
}

/**
 * vital_reading_get_stability:
 * @self: a #VitalReading
 *
 * Returns: the heart-rate stability 0-1, or NAN
 */
double
vital_reading_get_stability (VitalReading *self)
{
  g_return_val_if_fail (VITAL_IS_READING (self), NAN);
  return self->stability;
}

/**
 * vital_reading_get_periodicity:
 * @self: a #VitalReading
 *
 * Returns: the pulse periodicity 0-1, or NAN
 */
double
vital_reading_get_periodicity (VitalReading *self)
{
  g_return_val_if_fail (VITAL_IS_READING (self), NAN);
  return self->periodicity;
}

/**
 * vital_reading_set_low_cause:
 * @self: a #VitalReading
 * @cause: the likely cause of a low confidence
 *
 * Records what the capture saw most often during the scan.
 */
void
vital_reading_set_low_cause (VitalReading  *self,
                             VitalLowCause  cause)
{
  g_return_if_fail (VITAL_IS_READING (self));
  self->low_cause = cause;
}

/**
 * vital_reading_get_low_cause:
 * @self: a #VitalReading
 *
 * Returns: the likely cause of a low confidence
 */
VitalLowCause
vital_reading_get_low_cause (VitalReading *self)
{
  g_return_val_if_fail (VITAL_IS_READING (self), VITAL_LOW_CAUSE_UNKNOWN);
  return self->low_cause;
}

/**
 * vital_reading_set_completed_at:
 * @self: a #VitalReading
 * @when: (nullable): when the result was completed
 *
 * Sets the completion time (a reference is taken).
 */
void
vital_reading_set_completed_at (VitalReading *self,
                                GDateTime    *when)
{
  g_return_if_fail (VITAL_IS_READING (self));

  g_clear_pointer (&self->completed_at, g_date_time_unref);
  if (when != NULL)
    self->completed_at = g_date_time_ref (when);
}

/**
 * vital_reading_get_completed_at:
 * @self: a #VitalReading
 *
 * Returns: (transfer none) (nullable): the completion time
 */
GDateTime *
vital_reading_get_completed_at (VitalReading *self)
{
  g_return_val_if_fail (VITAL_IS_READING (self), NULL);
  return self->completed_at;
}

/**
 * vital_reading_set_session_id:
 * @self: a #VitalReading
 * @session_id: (nullable): the server's session id
 *
 * Sets the session id the result came from.
 */
void
vital_reading_set_session_id (VitalReading *self,
                              const char   *session_id)
{
  g_return_if_fail (VITAL_IS_READING (self));
  g_free (self->session_id);
  self->session_id = g_strdup (session_id);
}

/**
 * vital_reading_get_session_id:
 * @self: a #VitalReading
 *
 * Returns: (transfer none) (nullable): the session id
 */
const char *
vital_reading_get_session_id (VitalReading *self)
{
  g_return_val_if_fail (VITAL_IS_READING (self), NULL);
  return self->session_id;
}

/**
 * vital_reading_set_processing_time_ms:
 * @self: a #VitalReading
 * @ms: server processing time, or NAN
 *
 * Sets the processing time reported by the server.
 */
void
vital_reading_set_processing_time_ms (VitalReading *self,
                                      double        ms)
{
  g_return_if_fail (VITAL_IS_READING (self));
  self->processing_time_ms = isfinite (ms) ? ms : NAN;
}

/**
 * vital_reading_get_processing_time_ms:
 * @self: a #VitalReading
 *
 * Returns: the processing time in ms, or NAN
 */
double
vital_reading_get_processing_time_ms (VitalReading *self)
{
  g_return_val_if_fail (VITAL_IS_READING (self), NAN);
  return self->processing_time_ms;
}

/**
 * vital_band_from_confidence:
 * @confidence: 0-1
 *
 * Returns: the band: exactly 0.0 is FALLBACK, below 0.4 LOW, below 0.7 MODERATE, else HIGH
 */
VitalBand
vital_band_from_confidence (double confidence)
{
  if (!isfinite (confidence) || confidence <= 0.0)
    return VITAL_BAND_FALLBACK;
  if (confidence < 0.4)
    return VITAL_BAND_LOW;
  if (confidence < 0.7)
    return VITAL_BAND_MODERATE;
  return VITAL_BAND_HIGH;
}

/**
 * vital_reading_get_band:
 * @self: a #VitalReading
 *
 * Returns: the confidence band of the reading
 */
VitalBand
vital_reading_get_band (VitalReading *self)
{
  g_return_val_if_fail (VITAL_IS_READING (self), VITAL_BAND_FALLBACK);
  return vital_band_from_confidence (self->confidence);
}

/**
 * vital_reading_is_fallback:
 * @self: a #VitalReading
 *
 * Returns: %TRUE when the measurement could not be completed (values must not be shown)
 */
gboolean
vital_reading_is_fallback (VitalReading *self)
{
  return vital_reading_get_band (self) == VITAL_BAND_FALLBACK;
}

/**
 * vital_reading_check_range:
 * @self: a #VitalReading
 * @kind: which vital
 *
 * Returns: how the value compares with the typical adult range
 */
VitalReadingRange
vital_reading_check_range (VitalReading *self,
                           VitalKind     kind)
{
  double v, lo, hi;

  g_return_val_if_fail (VITAL_IS_READING (self), VITAL_READING_RANGE_UNMEASURED);
  g_return_val_if_fail (kind < VITAL_KIND_LAST, VITAL_READING_RANGE_UNMEASURED);

  v = self->values[kind];
  if (isnan (v))
    return VITAL_READING_RANGE_UNMEASURED;
  vital_kind_get_typical_range (kind, &lo, &hi);
  if (v < lo)
    return VITAL_READING_RANGE_BELOW;
  if (v > hi)
    return VITAL_READING_RANGE_ABOVE;
  return VITAL_READING_RANGE_TYPICAL;
}

/**
 * vital_band_get_title:
 * @band: a band
 *
 * Returns: (transfer none): the translated banner title
 */
const char *
vital_band_get_title (VitalBand band)
{
  switch (band)
    {
    case VITAL_BAND_HIGH:
      return _("High confidence");
    case VITAL_BAND_MODERATE:
      return _("Moderate confidence");
    case VITAL_BAND_LOW:
      return _("Low confidence");
    case VITAL_BAND_FALLBACK:
    default:
      return _("Measurement could not be completed");
    }
}

/**
 * vital_band_get_advice:
 * @band: a band
 *
 * Returns: (transfer none): the translated recommendation for the band
 */
const char *
vital_band_get_advice (VitalBand band)
{
  switch (band)
    {
    case VITAL_BAND_HIGH:
      return _("The results are reliable.");
    case VITAL_BAND_MODERATE:
      return _("The results are usable. Scanning again may improve them.");
    case VITAL_BAND_LOW:
      return _("The results may be unreliable.");
    case VITAL_BAND_FALLBACK:
    default:
      return _("No values could be measured from this scan. Please scan again.");
    }
}

/**
 * vital_low_cause_get_advice:
 * @cause: a cause
 *
 * Returns: (transfer none): the translated explanation of the likely cause
 */
const char *
vital_low_cause_get_advice (VitalLowCause cause)
{
  switch (cause)
    {
    case VITAL_LOW_CAUSE_LIGHTING:
      return _("Likely cause: lighting. Face a window or a lamp with even, steady light.");
    case VITAL_LOW_CAUSE_MOTION:
      return _("Likely cause: motion. Sit still and rest your head during the scan.");
    case VITAL_LOW_CAUSE_FACE:
      return _("Likely cause: face detection. Keep your whole face in view, close to the camera.");
    case VITAL_LOW_CAUSE_UNKNOWN:
    default:
      return _("Check the lighting, hold still and keep your face in view.");
    }
}

/**
 * vital_kind_get_title:
 * @kind: a vital
 *
 * Returns: (transfer none): the translated name
 */
const char *
vital_kind_get_title (VitalKind kind)
{
  g_return_val_if_fail (kind < VITAL_KIND_LAST, NULL);
  return _(kinds[kind].title);
}

/**
 * vital_kind_get_unit:
 * @kind: a vital
 *
 * Returns: (transfer none): the translated unit
 */
const char *
vital_kind_get_unit (VitalKind kind)
{
  g_return_val_if_fail (kind < VITAL_KIND_LAST, NULL);
  return _(kinds[kind].unit);
}

/**
 * vital_kind_get_key:
 * @kind: a vital
 *
 * Returns: (transfer none): the untranslated JSON/CSV key, e.g. "heart_rate"
 */
const char *
vital_kind_get_key (VitalKind kind)
{
  g_return_val_if_fail (kind < VITAL_KIND_LAST, NULL);
  return kinds[kind].key;
}

/**
 * vital_kind_is_experimental:
 * @kind: a vital
 *
 * Returns: %TRUE for SpO2 and blood pressure (camera estimates are not validated)
 */
gboolean
vital_kind_is_experimental (VitalKind kind)
{
  g_return_val_if_fail (kind < VITAL_KIND_LAST, FALSE);
  return kinds[kind].experimental;
}

/**
 * vital_kind_get_typical_range:
 * @kind: a vital
 * @low: (out): lower bound of the typical adult range
 * @high: (out): upper bound
 *
 * Gets the typical adult range.
 */
void
vital_kind_get_typical_range (VitalKind  kind,
                              double    *low,
                              double    *high)
{
  g_return_if_fail (kind < VITAL_KIND_LAST);
  *low = kinds[kind].low;
  *high = kinds[kind].high;
}
