/* fhir-export-cases.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes the app's FHIR export of a set of results into a folder, through the same save call
 * as the window's export menu, for tests/app/fhir-validate.py to check against the official
 * FHIR R4 JSON schema: a full reading, a partial one (some vitals unmeasured, one blood
 * pressure missing), a demo scan, a fallback, each with and without a subject identifier, and
 * a history export of several results.
 */
#include "vital-config.h"

#include <math.h>

#include "vital-export.h"
#include "vital-fhir-export.h"
#include "vital-reading.h"

static VitalReading *
reading (const char *session,
         double      confidence)
{
  g_autoptr(VitalSigns) signs = vital_signs_new (session, confidence);
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) when = g_date_time_new (berlin, 2026, 11, 23, 11, 30, 0);
  VitalReading *r;

  vital_signs_set_measure (signs, VITAL_MEASURE_HEART_RATE, 72.14, NAN);
  vital_signs_set_measure (signs, VITAL_MEASURE_RESPIRATORY_RATE, 14.96, 0.8);
  vital_signs_set_measure (signs, VITAL_MEASURE_HRV_SDNN, 48.31, 0.35);
  vital_signs_set_measure (signs, VITAL_MEASURE_SPO2, 93, 0.55);
  vital_signs_set_measure (signs, VITAL_MEASURE_SYSTOLIC_BP, 146, 0.61);
  vital_signs_set_measure (signs, VITAL_MEASURE_DIASTOLIC_BP, 76, 0.61);
  vital_signs_set_signal_quality (signs, 6.25, 0.9, 0.81);
  vital_signs_set_completed_at (signs, g_date_time_to_unix (when));
  r = vital_reading_new (signs);
  vital_reading_set_source (r, VITAL_READING_SOURCE_CAMERA, "Integrated \"HD\" Webcam");
  vital_reading_set_scan_seconds (r, 30.0);
  return r;
}

static void
save (const char    *dir,
      const char    *name,
      VitalReading **readings,
      guint          n)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.json", dir, name);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (n == 1)
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);

      if (!vital_export_save (readings[0], VITAL_EXPORT_FHIR, file, &error))
        g_error ("%s: %s", path, error->message);
      return;
    }
  text = vital_fhir_export_to_json (readings, n, NULL);
  if (!g_file_set_contents (path, text, -1, &error))
    g_error ("%s: %s", path, error->message);
}

int
main (int    argc,
      char **argv)
{
  const char *dir;
  g_autoptr(VitalReading) full = NULL;
  g_autoptr(VitalReading) partial = NULL;
  g_autoptr(VitalReading) demo = NULL;
  g_autoptr(VitalReading) fallback = NULL;
  g_autoptr(VitalReading) video = NULL;

  if (argc != 2)
    {
      g_printerr ("usage: %s FOLDER\n", argv[0]);
      return 2;
    }
  dir = argv[1];
  g_mkdir_with_parents (dir, 0755);
  g_setenv ("TZ", "Europe/Berlin", TRUE);

  full = reading ("ses_full_0001", 0.82);
  partial = reading ("ses_partial_0002", 0.31);
  vital_signs_set_measure (vital_reading_get_signs (partial), VITAL_MEASURE_HRV_SDNN, NAN, NAN);
  vital_signs_set_measure (vital_reading_get_signs (partial), VITAL_MEASURE_SPO2, NAN, NAN);
  vital_signs_set_measure (vital_reading_get_signs (partial), VITAL_MEASURE_DIASTOLIC_BP, NAN,
                           NAN);
  vital_reading_set_scan_seconds (partial, 15.0);
  demo = reading ("ses_demo_0003", 0.9);
  vital_reading_set_source (demo, VITAL_READING_SOURCE_DEMO, NULL);
  fallback = reading ("ses_fallback_0004", 0.0);
  video = reading (NULL, 0.75);
  vital_reading_set_source (video, VITAL_READING_SOURCE_VIDEO, "clip.mp4");
  vital_reading_set_scan_seconds (video, NAN);

  save (dir, "full", &full, 1);
  save (dir, "partial", &partial, 1);
  save (dir, "demo", &demo, 1);
  save (dir, "fallback", &fallback, 1);
  save (dir, "video", &video, 1);
  vital_reading_set_subject_id (full, "MRN-0042");
  vital_reading_set_subject_id (partial, "  MRN-0042 ");
  vital_reading_set_subject_id (demo, "MRN-0042");
  vital_reading_set_subject_id (video, "Ünïcødé \"quoted\" id");
  save (dir, "full-subject", &full, 1);
  save (dir, "partial-subject", &partial, 1);
  save (dir, "demo-subject", &demo, 1);
  save (dir, "video-subject", &video, 1);
  {
    VitalReading *all[] = { full, partial, demo, fallback, video };
    save (dir, "history", all, G_N_ELEMENTS (all));
  }
  return 0;
}
