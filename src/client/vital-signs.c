/* vital-signs.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalSigns: one completed scan result as the session API reports it.
 */
#include "vital-signs.h"
#include "vital-client-error.h"
#include "vital-client-json.h"

#include <math.h>

struct _VitalSigns
{
  GObject  parent_instance;

  char    *session_id;
  double   measures[VITAL_MEASURE_COUNT]; /* NAN when not measured */
  double   quality[VITAL_MEASURE_COUNT];  /* each vital's own quality 0-1, NAN if not sent */
  char    *not_measured[VITAL_MEASURE_COUNT]; /* why a NAN vital is missing, or NULL */
  char    *confidence_cause;                 /* likely cause of a low confidence, or NULL */
  double   confidence;
  double   snr;
  double   stability;
  double   periodicity;
  double   processing_time_ms;
  gint64   completed_at;                     /* unix seconds, -1 when unknown */
  gboolean sandbox;                          /* synthetic vitals from a ck_test_ key */
};

G_DEFINE_FINAL_TYPE (VitalSigns, vital_signs, G_TYPE_OBJECT)


static void
vital_signs_finalize (GObject *object)
{
  VitalSigns *self = VITAL_SIGNS (object);

  g_clear_pointer (&self->session_id, g_free);
  g_clear_pointer (&self->confidence_cause, g_free);
  for (guint i = 0; i < VITAL_MEASURE_COUNT; i++)
    g_clear_pointer (&self->not_measured[i], g_free);

  G_OBJECT_CLASS (vital_signs_parent_class)->finalize (object);
}

static void
vital_signs_class_init (VitalSignsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vital_signs_finalize;
}

static void
vital_signs_init (VitalSigns *self)
{
  for (guint i = 0; i < VITAL_MEASURE_COUNT; i++)
    self->measures[i] = self->quality[i] = NAN;
  self->confidence = NAN;
  self->snr = NAN;
  self->stability = NAN;
  self->periodicity = NAN;
  self->processing_time_ms = NAN;
  self->completed_at = -1;
}

/**
 * vital_signs_new:
 * @session_id: (nullable): the session the result belongs to
 * @confidence: the heart rate's confidence, 0–1 (0 marks fallback values)
 *
 * A result built from values (a stored result, a test) rather than read from the API; every
 * vital starts unmeasured (NAN) until vital_signs_set_measure().
 *
 * Returns: (transfer full): the result
 */
VitalSigns *
vital_signs_new (const char *session_id,
                 double      confidence)
{
  VitalSigns *self = g_object_new (VITAL_TYPE_SIGNS, NULL);

  self->session_id = g_strdup (session_id);
  self->confidence = CLAMP (confidence, 0.0, 1.0);
  self->quality[VITAL_MEASURE_HEART_RATE] = self->confidence;
  return self;
}

/**
 * vital_signs_set_measure:
 * @self: a result
 * @measure: which vital
 * @value: its value in the measure's unit, or NAN when it was not measured
 * @quality: its own quality 0–1, or NAN when unknown (the heart rate's is the confidence)
 */
void
vital_signs_set_measure (VitalSigns   *self,
                         VitalMeasure  measure,
                         double        value,
                         double        quality)
{
  g_return_if_fail (VITAL_IS_SIGNS (self));
  g_return_if_fail ((guint) measure < VITAL_MEASURE_COUNT);

  self->measures[measure] = value;
  if (measure != VITAL_MEASURE_HEART_RATE)
    self->quality[measure] = isnan (quality) ? NAN : CLAMP (quality, 0.0, 1.0);
}

/**
 * vital_signs_set_signal_quality:
 * @self: a result
 * @snr: signal-to-noise ratio in dB, or NAN
 * @stability: 0–1, or NAN
 * @periodicity: 0–1, or NAN
 */
void
vital_signs_set_signal_quality (VitalSigns *self,
                                double      snr,
                                double      stability,
                                double      periodicity)
{
  g_return_if_fail (VITAL_IS_SIGNS (self));
  self->snr = snr;
  self->stability = stability;
  self->periodicity = periodicity;
}

/**
 * vital_signs_set_session_id:
 * @self: a result
 * @session_id: (nullable): the session it belongs to
 */
void
vital_signs_set_session_id (VitalSigns *self,
                            const char *session_id)
{
  g_return_if_fail (VITAL_IS_SIGNS (self));
  g_free (self->session_id);
  self->session_id = g_strdup (session_id);
}

/**
 * vital_signs_set_completed_at:
 * @self: a result
 * @unix_seconds: when processing completed, or -1 when unknown
 */
void
vital_signs_set_completed_at (VitalSigns *self,
                              gint64      unix_seconds)
{
  g_return_if_fail (VITAL_IS_SIGNS (self));
  self->completed_at = unix_seconds < 0 ? -1 : unix_seconds;
}

/**
 * vital_signs_set_processing_time_ms:
 * @self: a result
 * @ms: how long processing took, or NAN
 */
void
vital_signs_set_processing_time_ms (VitalSigns *self,
                                    double      ms)
{
  g_return_if_fail (VITAL_IS_SIGNS (self));
  self->processing_time_ms = ms;
}

static gboolean
check_non_negative (double       value,
                    const char  *field,
                    GError     **error)
{
  if (isnan (value) || value >= 0.0)
    return TRUE;
  g_set_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
               "The server's response has a negative value for the field “%s”", field);
  return FALSE;
}

/* hrv is a number (SDNN) here; some servers send {"sdnn": …}, which is accepted too. */
static gboolean
read_hrv (JsonObject  *vitals,
          double      *out_value,
          GError     **error)
{
  JsonNode *node = json_object_get_member (vitals, "hrv");

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return vital_json_get_number (json_node_get_object (node), "vitals.hrv", "sdnn",
                                  VITAL_JSON_OPTIONAL | VITAL_JSON_NULLABLE, out_value, error);

  return vital_json_get_number (vitals, "vitals", "hrv",
                                VITAL_JSON_OPTIONAL | VITAL_JSON_NULLABLE, out_value, error);
}

/* `vital_quality` (numbers 0-1) and `not_measured` (strings), both optional, keyed by
 * quality_name; and `signal_quality.confidence_cause`. */
static gboolean
read_vital_quality (VitalSigns  *self,
                    JsonObject  *root,
                    JsonObject  *signal_quality,
                    GError     **error)
{
  const VitalJsonFlags maybe = VITAL_JSON_OPTIONAL | VITAL_JSON_NULLABLE;
  g_autoptr(GError) local_error = NULL;
  JsonObject *quality, *missing;
  const char *cause = NULL;

  quality = vital_json_get_object (root, NULL, "vital_quality", maybe, &local_error);
  if (local_error == NULL)
    missing = vital_json_get_object (root, NULL, "not_measured", maybe, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  for (guint i = 0; i < VITAL_MEASURE_COUNT; i++)
    {
      const char *key = vital_measure_get_info (i)->quality_key;
      const char *reason = NULL;

      if (quality != NULL
          && !vital_json_get_number (quality, "vital_quality", key,
                                     maybe, &self->quality[i], error))
        return FALSE;
      if (self->quality[i] < 0.0 || self->quality[i] > 1.0)
        {
          g_set_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
                       "The server's result has quality %g for “%s”, outside 0–1",
                       self->quality[i], vital_measure_get_info (i)->quality_key);
          return FALSE;
        }
      if (missing != NULL
          && !vital_json_get_string (missing, "not_measured", key,
                                     maybe, &reason, error))
        return FALSE;
      if (reason != NULL && isnan (self->measures[i]))
        self->not_measured[i] = g_strdup (reason);
    }
  if (signal_quality != NULL
      && !vital_json_get_string (signal_quality, "signal_quality", "confidence_cause", maybe,
                                 &cause, error))
    return FALSE;
  self->confidence_cause = g_strdup (cause);
  return TRUE;
}

/**
 * vital_signs_new_from_json:
 * @node: a result object: `{session_id, status, vitals:{heart_rate, respiratory_rate, hrv,
 *   spo2, systolic_bp, diastolic_bp, confidence}, signal_quality:{snr, stability, periodicity,
 *   confidence_cause}, vital_quality:{…}, not_measured:{…}, processing_time_ms, completed_at}`
 * @error: return location for a %VITAL_CLIENT_ERROR_BAD_RESPONSE
 *
 * Validates strictly: `vitals.heart_rate` and `vitals.confidence` (0–1) are required numbers;
 * the other vitals, `signal_quality`, `processing_time_ms`, `completed_at` and `sandbox` may be
 * absent or null; any member of the wrong type, a negative vital, or a `status` other than
 * `completed` is an error. Unknown members are ignored.
 *
 * Returns: (transfer full) (nullable): the result, or %NULL with @error set
 */
VitalSigns *
vital_signs_new_from_json (JsonNode  *node,
                           GError   **error)
{
  g_autoptr(VitalSigns) self = NULL;
  const VitalJsonFlags maybe = VITAL_JSON_OPTIONAL | VITAL_JSON_NULLABLE;
  g_autoptr(GError) local_error = NULL;
  JsonObject *root, *vitals, *quality;
  const char *session_id, *status;
  double completed_at;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
                           "The server's result is not a JSON object");
      return NULL;
    }
  root = json_node_get_object (node);
  self = g_object_new (VITAL_TYPE_SIGNS, NULL);

  if (!vital_json_get_string (root, NULL, "session_id", maybe, &session_id, error) ||
      !vital_json_get_string (root, NULL, "status", maybe, &status, error))
    return NULL;
  if (status != NULL && g_strcmp0 (status, "completed") != 0)
    {
      g_set_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
                   "The server's result has status “%s”, not “completed”", status);
      return NULL;
    }
  self->session_id = g_strdup (session_id);

  vitals = vital_json_get_object (root, NULL, "vitals", VITAL_JSON_REQUIRED, error);
  if (vitals == NULL)
    return NULL;

  for (guint i = 0; i < VITAL_MEASURE_COUNT; i++)
    {
      VitalJsonFlags flags = i == VITAL_MEASURE_HEART_RATE ? VITAL_JSON_REQUIRED : maybe;
      gboolean ok;

      if (i == VITAL_MEASURE_HRV_SDNN)
        ok = read_hrv (vitals, &self->measures[i], error);
      else
        ok = vital_json_get_number (vitals, "vitals", vital_measure_get_info (i)->key, flags,
                                    &self->measures[i], error);
      if (!ok || !check_non_negative (self->measures[i], vital_measure_get_info (i)->key, error))
        return NULL;
    }

  if (!vital_json_get_number (vitals, "vitals", "confidence", VITAL_JSON_REQUIRED,
                              &self->confidence, error))
    return NULL;
  if (self->confidence < 0.0 || self->confidence > 1.0)
    {
      g_set_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
                   "The server's result has confidence %g, outside 0–1", self->confidence);
      return NULL;
    }

  quality = vital_json_get_object (root, NULL, "signal_quality", maybe, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (quality != NULL &&
      (!vital_json_get_number (quality, "signal_quality", "snr", maybe, &self->snr, error) ||
       !vital_json_get_number (quality, "signal_quality", "stability", maybe,
                               &self->stability, error) ||
       !vital_json_get_number (quality, "signal_quality", "periodicity", maybe,
                               &self->periodicity, error)))
    return NULL;
  if (!read_vital_quality (self, root, quality, error))
    return NULL;

  if (!vital_json_get_number (root, NULL, "processing_time_ms", maybe,
                              &self->processing_time_ms, error) ||
      !check_non_negative (self->processing_time_ms, "processing_time_ms", error) ||
      !vital_json_get_number (root, NULL, "completed_at", maybe, &completed_at, error) ||
      !check_non_negative (completed_at, "completed_at", error))
    return NULL;
  {
    int sandbox;

    if (!vital_json_get_boolean (root, NULL, "sandbox", maybe, &sandbox, error))
      return NULL;
    self->sandbox = sandbox == 1;
  }

  if (!isnan (completed_at))
    {
      if (completed_at > 253402300799.0) /* 9999-12-31T23:59:59Z */
        {
          g_set_error_literal (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
                               "The server's result has an impossible completed_at");
          return NULL;
        }
      self->completed_at = (gint64) completed_at;
    }

  return g_steal_pointer (&self);
}

static void
add_number (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  if (isnan (value))
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, value);
}

/**
 * vital_signs_to_json:
 * @self: a result
 *
 * Serialises @self in the wire shape vital_signs_new_from_json() reads (status `completed`,
 * unmeasured values as null), so the two round-trip.
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
vital_signs_to_json (VitalSigns *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (VITAL_IS_SIGNS (self), NULL);

  json_builder_begin_object (builder);
  if (self->session_id != NULL)
    {
      json_builder_set_member_name (builder, "session_id");
      json_builder_add_string_value (builder, self->session_id);
    }
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "completed");

  json_builder_set_member_name (builder, "vitals");
  json_builder_begin_object (builder);
  for (guint i = 0; i < VITAL_MEASURE_COUNT; i++)
    add_number (builder, vital_measure_get_info (i)->key, self->measures[i]);
  add_number (builder, "confidence", self->confidence);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "signal_quality");
  json_builder_begin_object (builder);
  add_number (builder, "snr", self->snr);
  add_number (builder, "stability", self->stability);
  add_number (builder, "periodicity", self->periodicity);
  json_builder_set_member_name (builder, "confidence_cause");
  if (self->confidence_cause != NULL)
    json_builder_add_string_value (builder, self->confidence_cause);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "vital_quality");
  json_builder_begin_object (builder);
  for (guint i = 0; i < VITAL_MEASURE_COUNT; i++)
    if (i != VITAL_MEASURE_DIASTOLIC_BP)  /* blood_pressure is one entry for both pressures */
      add_number (builder, vital_measure_get_info (i)->quality_key, self->quality[i]);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "not_measured");
  json_builder_begin_object (builder);
  for (guint i = 0; i < VITAL_MEASURE_COUNT; i++)
    if (self->not_measured[i] != NULL && i != VITAL_MEASURE_DIASTOLIC_BP)
      {
        json_builder_set_member_name (builder, vital_measure_get_info (i)->quality_key);
        json_builder_add_string_value (builder, self->not_measured[i]);
      }
  json_builder_end_object (builder);

  add_number (builder, "processing_time_ms", self->processing_time_ms);
  json_builder_set_member_name (builder, "completed_at");
  if (self->completed_at >= 0)
    json_builder_add_int_value (builder, self->completed_at);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "sandbox");
  json_builder_add_boolean_value (builder, self->sandbox);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * vital_signs_get_session_id:
 * @self: a result
 *
 * Returns: (transfer none) (nullable): the session the result belongs to, if the server said
 */
const char *
vital_signs_get_session_id (VitalSigns *self)
{
  g_return_val_if_fail (VITAL_IS_SIGNS (self), NULL);
  return self->session_id;
}

/**
 * vital_signs_get_measure:
 * @self: a result
 * @measure: which vital
 *
 * Returns: the vital in its unit (see vital_signs_measure_get_unit()), or NAN if not measured
 */
double
vital_signs_get_measure (VitalSigns        *self,
                         VitalMeasure       measure)
{
  g_return_val_if_fail (VITAL_IS_SIGNS (self), NAN);
  g_return_val_if_fail ((guint) measure < VITAL_MEASURE_COUNT, NAN);
  return self->measures[measure];
}

/**
 * vital_signs_get_quality:
 * @self: a result
 * @measure: which vital
 *
 * Returns: the vital's own quality, 0–1 (for the heart rate, the confidence), or NAN when the
 *   server did not say
 */
double
vital_signs_get_quality (VitalSigns        *self,
                         VitalMeasure       measure)
{
  g_return_val_if_fail (VITAL_IS_SIGNS (self), NAN);
  g_return_val_if_fail ((guint) measure < VITAL_MEASURE_COUNT, NAN);
  return self->quality[measure];
}

/**
 * vital_signs_get_not_measured_reason:
 * @self: a result
 * @measure: which vital
 *
 * Returns: (transfer none) (nullable): why the vital was not measured (`too_short`,
 *   `out_of_range`, `low_quality`, or another code a newer server sends), or %NULL when it was
 *   measured or the server did not say
 */
const char *
vital_signs_get_not_measured_reason (VitalSigns        *self,
                                     VitalMeasure       measure)
{
  g_return_val_if_fail (VITAL_IS_SIGNS (self), NULL);
  g_return_val_if_fail ((guint) measure < VITAL_MEASURE_COUNT, NULL);
  return self->not_measured[measure];
}

/**
 * vital_signs_get_confidence_cause:
 * @self: a result
 *
 * Returns: (transfer none) (nullable): the likely cause of a confidence under 0.4
 *   (`weak_pulse`, `ambiguous_rate`, `motion`, `little_skin`, `short_scan`), or %NULL
 */
const char *
vital_signs_get_confidence_cause (VitalSigns *self)
{
  g_return_val_if_fail (VITAL_IS_SIGNS (self), NULL);
  return self->confidence_cause;
}

/**
 * vital_signs_get_heart_rate:
 * @self: a result
 *
 * Returns: beats per minute
 */
double
vital_signs_get_heart_rate (VitalSigns *self)
{
  return vital_signs_get_measure (self, VITAL_MEASURE_HEART_RATE);
}

/**
 * vital_signs_get_respiratory_rate:
 * @self: a result
 *
 * Returns: breaths per minute, or NAN if not measured
 */
double
vital_signs_get_respiratory_rate (VitalSigns *self)
{
  return vital_signs_get_measure (self, VITAL_MEASURE_RESPIRATORY_RATE);
}

/**
 * vital_signs_get_hrv_sdnn:
 * @self: a result
 *
 * Returns: SDNN in milliseconds, or NAN if not measured
 */
double
vital_signs_get_hrv_sdnn (VitalSigns *self)
{
  return vital_signs_get_measure (self, VITAL_MEASURE_HRV_SDNN);
}

/**
 * vital_signs_get_spo2:
 * @self: a result
 *
 * Returns: SpO2 in percent, or NAN if not measured
 */
double
vital_signs_get_spo2 (VitalSigns *self)
{
  return vital_signs_get_measure (self, VITAL_MEASURE_SPO2);
}

/**
 * vital_signs_get_systolic_bp:
 * @self: a result
 *
 * Returns: systolic pressure in mmHg, or NAN if not measured
 */
double
vital_signs_get_systolic_bp (VitalSigns *self)
{
  return vital_signs_get_measure (self, VITAL_MEASURE_SYSTOLIC_BP);
}

/**
 * vital_signs_get_diastolic_bp:
 * @self: a result
 *
 * Returns: diastolic pressure in mmHg, or NAN if not measured
 */
double
vital_signs_get_diastolic_bp (VitalSigns *self)
{
  return vital_signs_get_measure (self, VITAL_MEASURE_DIASTOLIC_BP);
}

/**
 * vital_signs_get_confidence:
 * @self: a result
 *
 * Returns: the server's confidence, 0–1
 */
double
vital_signs_get_confidence (VitalSigns *self)
{
  g_return_val_if_fail (VITAL_IS_SIGNS (self), NAN);
  return self->confidence;
}

/**
 * vital_signs_get_snr:
 * @self: a result
 *
 * Returns: `signal_quality.snr` (dB), or NAN if not sent
 */
double
vital_signs_get_snr (VitalSigns *self)
{
  g_return_val_if_fail (VITAL_IS_SIGNS (self), NAN);
  return self->snr;
}

/**
 * vital_signs_get_stability:
 * @self: a result
 *
 * Returns: `signal_quality.stability` (0–1), or NAN if not sent
 */
double
vital_signs_get_stability (VitalSigns *self)
{
  g_return_val_if_fail (VITAL_IS_SIGNS (self), NAN);
  return self->stability;
}

/**
 * vital_signs_get_periodicity:
 * @self: a result
 *
 * Returns: `signal_quality.periodicity` (0–1), or NAN if not sent
 */
double
vital_signs_get_periodicity (VitalSigns *self)
{
  g_return_val_if_fail (VITAL_IS_SIGNS (self), NAN);
  return self->periodicity;
}

/**
 * vital_signs_get_processing_time_ms:
 * @self: a result
 *
 * Returns: the server's processing time in milliseconds, or NAN if not sent
 */
double
vital_signs_get_processing_time_ms (VitalSigns *self)
{
  g_return_val_if_fail (VITAL_IS_SIGNS (self), NAN);
  return self->processing_time_ms;
}

/**
 * vital_signs_get_completed_at:
 * @self: a result
 *
 * Returns: when processing completed, Unix seconds, or -1 if not sent
 */
gint64
vital_signs_get_completed_at (VitalSigns *self)
{
  g_return_val_if_fail (VITAL_IS_SIGNS (self), -1);
  return self->completed_at;
}

/**
 * vital_signs_is_sandbox:
 * @self: a result
 *
 * Returns: %TRUE when the server said the vitals are synthetic (`"sandbox": true`, from a
 *   `ck_test_` key); %FALSE when it said otherwise or did not say
 */
gboolean
vital_signs_is_sandbox (VitalSigns *self)
{
  g_return_val_if_fail (VITAL_IS_SIGNS (self), FALSE);
  return self->sandbox;
}

/**
 * vital_signs_is_fallback:
 * @self: a result
 *
 * Returns: %TRUE when confidence is exactly 0.0: the server produced fallback values, not a
 *   measurement
 */
gboolean
vital_signs_is_fallback (VitalSigns *self)
{
  g_return_val_if_fail (VITAL_IS_SIGNS (self), TRUE);
  return self->confidence == 0.0;
}

/**
 * vital_signs_get_confidence_band:
 * @self: a result
 *
 * Returns: the band of the result's confidence
 */
VitalConfidenceBand
vital_signs_get_confidence_band (VitalSigns *self)
{
  g_return_val_if_fail (VITAL_IS_SIGNS (self), VITAL_CONFIDENCE_BAND_FALLBACK);
  return vital_confidence_band_from_confidence (self->confidence);
}

/**
 * vital_confidence_band_get_recommendation:
 * @band: a band
 *
 * Returns: (transfer none): what the user should do with a result whose heart rate is of this
 *   band (never that it is reliable: this is not a medical device)
 */
const char *
vital_confidence_band_get_recommendation (VitalConfidenceBand band)
{
  switch (band)
    {
    case VITAL_CONFIDENCE_BAND_HIGH:
      return "High confidence in the heart rate; each other vital has its own quality.";
    case VITAL_CONFIDENCE_BAND_MODERATE:
      return "Moderate confidence in the heart rate; rescan in steady, even light to improve it.";
    case VITAL_CONFIDENCE_BAND_LOW:
      return "Low confidence: rescan while keeping still, facing the camera in even light.";
    case VITAL_CONFIDENCE_BAND_FALLBACK:
    default:
      return "Nothing was measured: these values are fallbacks, not readings. Rescan.";
    }
}

/**
 * vital_signs_check_range:
 * @self: a result
 * @measure: a vital
 *
 * Returns: where the vital lies relative to its typical adult range (bounds inclusive)
 */
VitalRangeCheck
vital_signs_check_range (VitalSigns        *self,
                         VitalMeasure       measure)
{
  g_return_val_if_fail (VITAL_IS_SIGNS (self), VITAL_RANGE_UNAVAILABLE);
  g_return_val_if_fail ((guint) measure < VITAL_MEASURE_COUNT, VITAL_RANGE_UNAVAILABLE);

  return vital_measure_check_range (measure, self->measures[measure]);
}

