/* test-scan-recorder.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests VitalScanRecorder without a pipeline: length, resampling of an uneven source rate,
 * the facts about a scan, and the checks that refuse a recording (no frames, too short, too
 * little face).
 */
#include "vital-config.h"

#include <math.h>

#include "vital-capture-error.h"
#include "vital-scan-recorder.h"

static guint8 planes[VITAL_TENSOR_FRAME_SIZE];

/* @n frames at @fps from 0 s, with a face in those where @face_every divides the index. */
static void
feed (VitalScanRecorder *recorder,
      guint n,
      double fps,
      guint face_every)
{
  for (guint i = 0; i < n; i++)
    vital_scan_recorder_push (recorder, (gint64) llround (i * G_TIME_SPAN_SECOND / fps), planes,
                              face_every > 0 && i % face_every == 0);
}

static void
test_length (void)
{
  g_autoptr(VitalScanRecorder) recorder = vital_scan_recorder_new (2.5);
  g_autoptr(VitalTensor) tensor = NULL;
  g_autoptr(GError) error = NULL;
  VitalScanInfo info;
  double seconds, coverage;
  guint frames;

  g_assert_cmpuint (vital_scan_recorder_get_target_frames (recorder), ==, 75);
  feed (recorder, 74, 30.0, 1);
  g_assert_false (vital_scan_recorder_is_done (recorder));
  vital_scan_recorder_get_progress (recorder, &seconds, &frames, &coverage);
  g_assert_cmpuint (frames, ==, 74);
  g_assert_cmpfloat (fabs (seconds - 74 / 30.0), <, 1e-9);
  g_assert_cmpfloat (coverage, ==, 1.0);

  /* The 75th frame completes it; later ones are not recorded. */
  g_assert_true (vital_scan_recorder_push (recorder, 74 * G_TIME_SPAN_SECOND / 30, planes, TRUE));
  g_assert_true (vital_scan_recorder_is_done (recorder));
  g_assert_false (vital_scan_recorder_push (recorder, 75 * G_TIME_SPAN_SECOND / 30, planes, TRUE));

  vital_scan_recorder_get_info (recorder, &info);
  g_assert_cmpuint (info.frames, ==, 75);
  g_assert_cmpuint (info.source_frames, ==, 75);
  g_assert_cmpfloat (info.frame_rate, ==, VITAL_SCAN_FRAME_RATE);
  g_assert_cmpfloat (fabs (info.duration_s - 2.5), <, 1e-9);
  g_assert_cmpfloat (fabs (info.source_frame_rate - 30.0), <, 0.01);
  g_assert_false (info.exposure_locked);

  tensor = vital_scan_recorder_take_tensor (recorder, VITAL_ROI_FACE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tensor);
  g_assert_cmpuint (vital_tensor_get_frame_count (tensor), ==, 75);
  /* The counts stay; the payload was handed out once. */
  vital_scan_recorder_get_info (recorder, &info);
  g_assert_cmpuint (info.frames, ==, 75);
}

static void
test_uneven_rate (void)
{
  g_autoptr(VitalScanRecorder) recorder = vital_scan_recorder_new (30);
  g_autoptr(VitalTensor) tensor = NULL;
  g_autoptr(GError) error = NULL;
  VitalScanInfo info;

  /* 4 s of a 24 fps source: resampled to 30 fps; the source rate is reported as it was. */
  feed (recorder, 97, 24.0, 1);
  vital_scan_recorder_get_info (recorder, &info);
  g_assert_cmpuint (info.source_frames, ==, 97);
  g_assert_cmpfloat (fabs (info.source_frame_rate - 24.0), <, 0.01);
  g_assert_cmpint (abs ((int) info.frames - 121), <=, 1);
  g_assert_false (vital_scan_recorder_is_done (recorder));

  /* Stopped early: what was recorded is handed on. */
  vital_scan_recorder_stop (recorder);
  g_assert_true (vital_scan_recorder_is_done (recorder));
  tensor = vital_scan_recorder_take_tensor (recorder, VITAL_ROI_FACE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vital_tensor_get_frame_count (tensor), ==, info.frames);
}

static void
test_refused (void)
{
  struct {
    guint n_frames;
    guint face_every;
    VitalRoiMode mode;
    int code;            /* -1: accepted */
  } cases[] = {
    { 0, 1, VITAL_ROI_FACE, VITAL_CAPTURE_ERROR_TOO_SHORT },
    { 59, 1, VITAL_ROI_FACE, VITAL_CAPTURE_ERROR_TOO_SHORT },       /* 1.97 s */
    { 60, 1, VITAL_ROI_FACE, -1 },                                  /* 2 s */
    { 90, 0, VITAL_ROI_FACE, VITAL_CAPTURE_ERROR_NO_FACE },         /* never a face */
    { 90, 3, VITAL_ROI_FACE, VITAL_CAPTURE_ERROR_NO_FACE },         /* a third of the time */
    { 90, 2, VITAL_ROI_FACE, -1 },                                  /* half the time */
    { 90, 0, VITAL_ROI_FULL_FRAME, -1 },                            /* coverage not counted */
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(VitalScanRecorder) recorder = vital_scan_recorder_new (10);
      g_autoptr(VitalTensor) tensor = NULL;
      g_autoptr(GError) error = NULL;

      feed (recorder, cases[c].n_frames, 30.0, cases[c].face_every);
      tensor = vital_scan_recorder_take_tensor (recorder, cases[c].mode, &error);
      if (cases[c].code < 0)
        {
          g_assert_no_error (error);
          g_assert_nonnull (tensor);
        }
      else
        {
          g_assert_null (tensor);
          g_assert_error (error, VITAL_CAPTURE_ERROR, cases[c].code);
          g_test_message ("%u frames, face every %u: %s", cases[c].n_frames,
                          cases[c].face_every, error->message);
        }
    }
}

static void
test_full (void)
{
  g_autoptr(VitalScanRecorder) recorder = vital_scan_recorder_new (1000);

  /* Asked for more than a payload holds: it ends at VITAL_TENSOR_MAX_FRAMES. */
  g_assert_cmpuint (vital_scan_recorder_get_target_frames (recorder), ==,
                    VITAL_TENSOR_MAX_FRAMES);
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/capture/scan-recorder/length", test_length);
  g_test_add_func ("/capture/scan-recorder/uneven-rate", test_uneven_rate);
  g_test_add_func ("/capture/scan-recorder/refused", test_refused);
  g_test_add_func ("/capture/scan-recorder/full", test_full);

  return g_test_run ();
}
