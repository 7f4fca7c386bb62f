/* vital-reading.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalReading: owns nothing of the measurement itself (that is the wrapped VitalSigns, read
 * through the core table of measures); it adds what only the app knows — what the result was
 * measured from (a camera, the demo subject or a video) and the capture's likely cause — a
 * completion time for results that came without one, and the translated titles, units and band
 * wording.
 */
#include "vital-config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "vital-reading.h"

struct _VitalReading
{
  GObject        parent_instance;

  VitalSigns    *signs;
  VitalLowCause  low_cause;
  VitalReadingSource source;
  char          *source_name;   /* the camera's name or the video's file name, or NULL */
  GDateTime     *completed_at;  /* the signs' time in the user's zone, or when first shown */
  gint64         completed_unix;
};

G_DEFINE_FINAL_TYPE (VitalReading, vital_reading, G_TYPE_OBJECT)

static void
vital_reading_finalize (GObject *object)
{
  VitalReading *self = VITAL_READING (object);

  g_clear_object (&self->signs);
  g_clear_pointer (&self->completed_at, g_date_time_unref);
  g_clear_pointer (&self->source_name, g_free);
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
}

/**
 * vital_reading_new:
 * @signs: a result (from the session API, or rebuilt from the local history)
 *
 * Returns: (transfer full): a reading presenting @signs (a reference is taken)
 */
VitalReading *
vital_reading_new (VitalSigns *signs)
{
  VitalReading *self;

  g_return_val_if_fail (VITAL_IS_SIGNS (signs), NULL);

  self = g_object_new (VITAL_TYPE_READING, NULL);
  self->signs = g_object_ref (signs);
  self->completed_at = g_date_time_new_now_local ();
  self->completed_unix = -1;
  return self;
}

/**
 * vital_reading_get_signs:
 * @self: a #VitalReading
 *
 * Returns: (transfer none): the result it presents
 */
VitalSigns *
vital_reading_get_signs (VitalReading *self)
{
  g_return_val_if_fail (VITAL_IS_READING (self), NULL);
  return self->signs;
}

/**
 * vital_reading_get_value:
 * @self: a #VitalReading
 * @measure: which vital
 *
 * Returns: the value in the measure's unit, or NAN when unmeasured
 */
double
vital_reading_get_value (VitalReading *self,
                         VitalMeasure  measure)
{
  g_return_val_if_fail (VITAL_IS_READING (self), NAN);
  return vital_signs_get_measure (self->signs, measure);
}

/**
 * vital_reading_get_confidence:
 * @self: a #VitalReading
 *
 * Returns: the heart rate's confidence, 0–1 (0 when the values are fallbacks)
 */
double
vital_reading_get_confidence (VitalReading *self)
{
  double confidence;

  g_return_val_if_fail (VITAL_IS_READING (self), 0.0);
  confidence = vital_signs_get_confidence (self->signs);
  return isfinite (confidence) ? confidence : 0.0;
}

/**
 * vital_reading_get_quality:
 * @self: a #VitalReading
 * @measure: which vital
 *
 * Returns: how sure the measurement of @measure is, 0–1 (for the heart rate, the confidence),
 *   or NAN when the server did not say or the values are fallbacks
 */
double
vital_reading_get_quality (VitalReading *self,
                           VitalMeasure  measure)
{
  g_return_val_if_fail (VITAL_IS_READING (self), NAN);
  if (vital_reading_is_fallback (self))
    return NAN;
  if (measure == VITAL_MEASURE_HEART_RATE)
    return vital_reading_get_confidence (self);
  return vital_signs_get_quality (self->signs, measure);
}

/**
 * vital_reading_get_measure_band:
 * @self: a #VitalReading
 * @measure: which vital
 * @out_band: (out): the confidence band of its own quality
 *
 * One banner cannot vouch for every vital: each has its own quality, and so its own band.
 *
 * Returns: %TRUE when the vital was measured and its quality is known
 */
gboolean
vital_reading_get_measure_band (VitalReading        *self,
                                VitalMeasure         measure,
                                VitalConfidenceBand *out_band)
{
  double quality;

  g_return_val_if_fail (VITAL_IS_READING (self), FALSE);
  g_return_val_if_fail (out_band != NULL, FALSE);

  quality = vital_reading_get_quality (self, measure);
  if (!isfinite (quality) || !isfinite (vital_reading_get_value (self, measure)))
    return FALSE;
  *out_band = vital_confidence_band_from_confidence (quality);
  /* A measured value with a quality of 0 is shown, so it is low, not a fallback. */
  if (*out_band == VITAL_CONFIDENCE_BAND_FALLBACK)
    *out_band = VITAL_CONFIDENCE_BAND_LOW;
  return TRUE;
}

/**
 * vital_reading_is_uncertain:
 * @self: a #VitalReading
 * @measure: which vital
 *
 * Returns: %TRUE when @measure has a value of low confidence: to be shown as uncertain, not as
 *   a fact
 */
gboolean
vital_reading_is_uncertain (VitalReading *self,
                            VitalMeasure  measure)
{
  VitalConfidenceBand band;

  return vital_reading_get_measure_band (self, measure, &band) &&
         band == VITAL_CONFIDENCE_BAND_LOW;
}

/**
 * vital_reading_get_confidence_text:
 * @self: a #VitalReading
 * @measure: which vital
 *
 * Returns: (transfer none) (nullable): how sure the value of @measure is, translated ("High
 *   confidence", "Low confidence: uncertain", "Confidence not reported"), or %NULL when it has
 *   no value
 */
const char *
vital_reading_get_confidence_text (VitalReading *self,
                                   VitalMeasure  measure)
{
  VitalConfidenceBand band;

  g_return_val_if_fail (VITAL_IS_READING (self), NULL);

  if (vital_reading_is_fallback (self) || isnan (vital_reading_get_value (self, measure)))
    return NULL;
  if (!vital_reading_get_measure_band (self, measure, &band))
    return _("Confidence not reported");
  switch (band)
    {
    case VITAL_CONFIDENCE_BAND_HIGH:
      return _("High confidence");
    case VITAL_CONFIDENCE_BAND_MODERATE:
      return _("Moderate confidence");
    case VITAL_CONFIDENCE_BAND_LOW:
    case VITAL_CONFIDENCE_BAND_FALLBACK:
    default:
      return _("Low confidence: uncertain");
    }
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
  return vital_signs_get_snr (self->signs);
}

/**
 * vital_reading_get_stability:
 * @self: a #VitalReading
 *
 * Returns: the heart-rate stability 0–1, or NAN
 */
double
vital_reading_get_stability (VitalReading *self)
{
  g_return_val_if_fail (VITAL_IS_READING (self), NAN);
  return vital_signs_get_stability (self->signs);
}

/**
 * vital_reading_get_periodicity:
 * @self: a #VitalReading
 *
 * Returns: the pulse periodicity 0–1, or NAN
 */
double
vital_reading_get_periodicity (VitalReading *self)
{
  g_return_val_if_fail (VITAL_IS_READING (self), NAN);
  return vital_signs_get_periodicity (self->signs);
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
 * vital_reading_set_source:
 * @self: a #VitalReading
 * @source: what the result was measured from
 * @name: (nullable): the camera's name or the video's file name, for display
 *
 * Records what the result was measured from, so that a demo scan is never taken for a person's.
 */
void
vital_reading_set_source (VitalReading       *self,
                          VitalReadingSource  source,
                          const char         *name)
{
  g_return_if_fail (VITAL_IS_READING (self));
  self->source = source;
  g_free (self->source_name);
  self->source_name = g_strdup (name);
}

/**
 * vital_reading_get_source:
 * @self: a #VitalReading
 *
 * Returns: what the result was measured from
 */
VitalReadingSource
vital_reading_get_source (VitalReading *self)
{
  g_return_val_if_fail (VITAL_IS_READING (self), VITAL_READING_SOURCE_UNKNOWN);
  return self->source;
}

/**
 * vital_reading_get_source_name:
 * @self: a #VitalReading
 *
 * Returns: (transfer none) (nullable): the camera's name or the video's file name
 */
const char *
vital_reading_get_source_name (VitalReading *self)
{
  g_return_val_if_fail (VITAL_IS_READING (self), NULL);
  return self->source_name;
}

/**
 * vital_reading_is_demo:
 * @self: a #VitalReading
 *
 * Returns: %TRUE when the result comes from the built-in demo subject, not from a person
 */
gboolean
vital_reading_is_demo (VitalReading *self)
{
  return vital_reading_get_source (self) == VITAL_READING_SOURCE_DEMO;
}

/**
 * vital_reading_dup_source_text:
 * @self: a #VitalReading
 *
 * Returns: (transfer full) (nullable): what the result was measured from, translated, for the
 *   results page and the report ("Demo scan: …", "From the video “clip.mp4”"), or %NULL when
 *   unknown
 */
char *
vital_reading_dup_source_text (VitalReading *self)
{
  g_return_val_if_fail (VITAL_IS_READING (self), NULL);

  switch (self->source)
    {
    case VITAL_READING_SOURCE_DEMO:
      return g_strdup (_("Demo scan: these values come from the built-in demo subject, not from "
                         "a person."));
    case VITAL_READING_SOURCE_VIDEO:
      if (self->source_name != NULL)
        /* Translators: %s is a video's file name */
        return g_strdup_printf (_("From the video “%s”"), self->source_name);
      return g_strdup (_("From a video"));
    case VITAL_READING_SOURCE_CAMERA:
      if (self->source_name != NULL)
        /* Translators: %s is a camera's name */
        return g_strdup_printf (_("From the camera “%s”"), self->source_name);
      return g_strdup (_("From the camera"));
    case VITAL_READING_SOURCE_UNKNOWN:
    default:
      return NULL;
    }
}

/**
 * vital_reading_source_to_string:
 * @source: a source
 *
 * Returns: (transfer none) (nullable): `"camera"`, `"demo"` or `"video"` for machines (exports,
 *   the local history), %NULL when unknown
 */
const char *
vital_reading_source_to_string (VitalReadingSource source)
{
  switch (source)
    {
    case VITAL_READING_SOURCE_CAMERA:
      return "camera";
    case VITAL_READING_SOURCE_DEMO:
      return "demo";
    case VITAL_READING_SOURCE_VIDEO:
      return "video";
    case VITAL_READING_SOURCE_UNKNOWN:
    default:
      return NULL;
    }
}

/**
 * vital_reading_source_from_string:
 * @text: (nullable): what vital_reading_source_to_string() wrote
 * @out_source: (out): the source it names, %VITAL_READING_SOURCE_UNKNOWN otherwise
 *
 * Returns: %TRUE when @text names a source
 */
gboolean
vital_reading_source_from_string (const char         *text,
                                  VitalReadingSource *out_source)
{
  g_return_val_if_fail (out_source != NULL, FALSE);

  for (VitalReadingSource s = VITAL_READING_SOURCE_CAMERA; s <= VITAL_READING_SOURCE_VIDEO; s++)
    if (g_strcmp0 (text, vital_reading_source_to_string (s)) == 0)
      {
        *out_source = s;
        return TRUE;
      }
  *out_source = VITAL_READING_SOURCE_UNKNOWN;
  return FALSE;
}

/**
 * vital_reading_get_completed_at:
 * @self: a #VitalReading
 *
 * Returns: (transfer none): when the result was completed (when it was shown, for a result
 *   that came without a time)
 */
GDateTime *
vital_reading_get_completed_at (VitalReading *self)
{
  gint64 completed;

  g_return_val_if_fail (VITAL_IS_READING (self), NULL);

  /* Shown in the user's zone; follows the signs should their time be set later. */
  completed = vital_signs_get_completed_at (self->signs);
  if (completed >= 0 && completed != self->completed_unix)
    {
      g_clear_pointer (&self->completed_at, g_date_time_unref);
      self->completed_at = g_date_time_new_from_unix_local (completed);
      self->completed_unix = completed;
    }
  return self->completed_at;
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
  return vital_signs_get_session_id (self->signs);
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
  return vital_signs_get_processing_time_ms (self->signs);
}

/**
 * vital_reading_get_band:
 * @self: a #VitalReading
 *
 * Returns: the heart rate's confidence band
 */
VitalConfidenceBand
vital_reading_get_band (VitalReading *self)
{
  g_return_val_if_fail (VITAL_IS_READING (self), VITAL_CONFIDENCE_BAND_FALLBACK);
  return vital_confidence_band_from_confidence (vital_reading_get_confidence (self));
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
  return vital_reading_get_band (self) == VITAL_CONFIDENCE_BAND_FALLBACK;
}

/**
 * vital_reading_check_range:
 * @self: a #VitalReading
 * @measure: which vital
 *
 * Returns: how the value compares with the typical adult range
 */
VitalRangeCheck
vital_reading_check_range (VitalReading *self,
                           VitalMeasure  measure)
{
  g_return_val_if_fail (VITAL_IS_READING (self), VITAL_RANGE_UNAVAILABLE);
  return vital_signs_check_range (self->signs, measure);
}

/* What a band says, by band: the general title, the banner's (which speaks for the heart rate
 * only), and the advice for the heart rate. */
static const struct
{
  const char *title;             /* N_(): translated when used */
  const char *heart_rate_title;  /* N_() */
  const char *advice;            /* N_() */
} band_texts[] = {
  [VITAL_CONFIDENCE_BAND_FALLBACK] = {
    N_("Measurement could not be completed"), N_("Measurement could not be completed"),
    N_("No values could be measured from this scan. Please scan again.") },
  [VITAL_CONFIDENCE_BAND_LOW] = {
    N_("Low confidence"), N_("Heart rate: low confidence"),
    N_("The heart rate may be off.") },
  [VITAL_CONFIDENCE_BAND_MODERATE] = {
    N_("Moderate confidence"), N_("Heart rate: moderate confidence"),
    N_("The heart rate is usable. Scanning again may improve it.") },
  [VITAL_CONFIDENCE_BAND_HIGH] = {
    N_("High confidence"), N_("Heart rate: high confidence"),
    N_("The pulse signal was strong and steady. Each value below says how sure it is.") },
};

/* A band out of the table's range reads as the fallback. */
static guint
band_index (VitalConfidenceBand band)
{
  return (guint) band < G_N_ELEMENTS (band_texts) ? (guint) band
                                                   : VITAL_CONFIDENCE_BAND_FALLBACK;
}

/**
 * vital_band_get_title:
 * @band: a band
 *
 * Returns: (transfer none): the translated banner title
 */
const char *
vital_band_get_title (VitalConfidenceBand band)
{
  return _(band_texts[band_index (band)].title);
}

/**
 * vital_band_get_heart_rate_title:
 * @band: the heart rate's band
 *
 * Returns: (transfer none): the translated banner title: the banner speaks for the heart rate
 *   only, each other vital says how sure it is on its own card
 */
const char *
vital_band_get_heart_rate_title (VitalConfidenceBand band)
{
  return _(band_texts[band_index (band)].heart_rate_title);
}

/**
 * vital_band_get_advice:
 * @band: the heart rate's band
 *
 * Returns: (transfer none): the translated recommendation for the heart rate of the band (not
 *   for the other vitals, nor a promise: Vitalscan is not a medical device)
 */
const char *
vital_band_get_advice (VitalConfidenceBand band)
{
  return _(band_texts[band_index (band)].advice);
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
 * vital_measure_get_title_text:
 * @measure: a vital
 *
 * Returns: (transfer none): its title from the core table, translated
 */
const char *
vital_measure_get_title_text (VitalMeasure measure)
{
  return _(vital_measure_get_info (measure)->title);
}

/**
 * vital_measure_get_unit_text:
 * @measure: a vital
 *
 * Returns: (transfer none): its unit for display, translated (exports use the untranslated
 *   unit of the core table)
 */
const char *
vital_measure_get_unit_text (VitalMeasure measure)
{
  return _(vital_measure_get_info (measure)->unit);
}
