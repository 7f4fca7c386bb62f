/* vital-sandbox.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sandbox vitals: every value is drawn from a typical adult range using bytes of
 * SHA-256(session id), so the same session always gives the same, plausible, result.
 */
#include <math.h>

#include "vital-sandbox.h"

static double
pick (const guint8 *digest,
      guint         index,
      double        lo,
      double        hi,
      double        step)
{
  guint v = ((guint) digest[index * 2] << 8) | digest[index * 2 + 1];
  double x = lo + (hi - lo) * (v / 65535.0);

  return round (x / step) * step;
}

/**
 * vital_sandbox_vitals:
 * @session_id: the session
 *
 * Synthesises vitals for a sandbox session: HR 58–96 bpm, RR 12–20 /min, SDNN 25–85 ms,
 * SpO2 95–99 %, BP 105–135 / 65–85 mmHg, confidence 0.72–0.96, per-vital quality 0.6–0.95,
 * and matching signal-quality figures.
 * No payload content is used; the same @session_id always gives the same numbers.
 *
 * Returns: (transfer full): the vitals; free with vital_vitals_free()
 */
VitalVitals *
vital_sandbox_vitals (const char *session_id)
{
  guint8 digest[32];
  gsize len = sizeof digest;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  VitalVitals *v = g_new0 (VitalVitals, 1);

  g_checksum_update (sum, (const guchar *) "vitalscan-sandbox:", -1);
  g_checksum_update (sum, (const guchar *) session_id, -1);
  g_checksum_get_digest (sum, digest, &len);

  v->heart_rate = pick (digest, 0, 58, 96, 0.1);
  v->respiratory_rate = pick (digest, 1, 12, 20, 0.1);
  v->hrv_sdnn = pick (digest, 2, 25, 85, 0.1);
  v->spo2 = pick (digest, 3, 95, 99, 1);
  v->systolic_bp = pick (digest, 4, 105, 135, 1);
  v->diastolic_bp = pick (digest, 5, 65, 85, 1);
  v->confidence = pick (digest, 6, 0.72, 0.96, 0.01);
  v->snr_db = pick (digest, 7, 4, 12, 0.01);
  v->stability = pick (digest, 8, 0.75, 0.98, 0.01);
  v->periodicity = pick (digest, 9, 0.7, 0.97, 0.01);
  v->skin_fraction = pick (digest, 10, 0.6, 0.9, 0.01);
  v->motion = pick (digest, 11, 0.01, 0.1, 0.01);
  v->rr_quality = pick (digest, 12, 0.6, 0.95, 0.01);
  v->hrv_quality = pick (digest, 13, 0.6, 0.95, 0.01);
  v->spo2_quality = pick (digest, 14, 0.6, 0.95, 0.01);
  v->bp_quality = pick (digest, 15, 0.6, 0.95, 0.01);
  v->spo2_flags = VITAL_QUALITY_EXPERIMENTAL;
  v->bp_flags = VITAL_QUALITY_EXPERIMENTAL;
  v->processing_time_ms = 0;
  return v;
}
