/* vital-scan-length.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a scan length measures, from the engine's own limits (docs/algorithms.md, sections 7
 * and 8): under VITAL_ENGINE_HRV_MIN_SECONDS no heart-rate variability, under 15 s no breathing
 * rate, and near 15 s a breathing rate only when breaths are quick and regular.
 */
#include "vital-config.h"

#include <glib/gi18n.h>

#include "vital-engine.h"
#include "vital-scan-length.h"

/**
 * vital_scan_length_get_description:
 * @seconds: a scan length
 *
 * Returns: (transfer none): what a scan of @seconds measures, translated, for the scan-length
 *   choice in Preferences
 */
const char *
vital_scan_length_get_description (double seconds)
{
  if (seconds < VITAL_ENGINE_HRV_MIN_SECONDS)
    return _("Heart rate only: too short for heart-rate variability, and the breathing rate is "
             "often not measured");
  if (seconds < VITAL_SCAN_LENGTH_FULL)
    return _("Heart rate and heart-rate variability; the breathing rate is often not measured");
  if (seconds < 45.0)
    return _("Heart rate, breathing rate and heart-rate variability");
  return _("Heart rate, breathing rate and heart-rate variability, steadier if you can hold "
           "still that long");
}

/**
 * vital_scan_length_for_kiosk:
 * @seconds: the scan length asked for
 *
 * A kiosk shows every vital, and a booth's visitor cannot open Preferences to find out why
 * one is missing: its scans are never shorter than %VITAL_SCAN_LENGTH_FULL.
 *
 * Returns: the scan length to use in kiosk mode
 */
double
vital_scan_length_for_kiosk (double seconds)
{
  return MAX (seconds, VITAL_SCAN_LENGTH_FULL);
}
