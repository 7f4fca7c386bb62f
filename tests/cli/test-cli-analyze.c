/* test-cli-analyze.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests `vitalscan-cli analyze` as a user runs it: the real binary on video files written by
 * the test, through the embedded server, JSON output and exit codes.
 */
#include "vital-config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <json-glib/json-glib.h>

#include "vital-demo-source.h"
#include "vital-test-util.h"

static char *tmp_dir;
static const char *cli;

/* Runs `vitalscan-cli analyze ARGS… NULL`; stdout is parsed as JSON when it is. */
#define ANALYZE(run, ...) vital_test_run_cli (run, cli, NULL, "analyze", __VA_ARGS__)

static char *
write_demo (const char *name,
            double heart_rate,
            double seconds,
            gboolean skin_patch)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmp_dir, name, NULL);
  VitalDemoSettings s;

  vital_demo_settings_init (&s);
  s.realtime = FALSE;
  s.heart_rate_bpm = heart_rate;
  s.duration_s = seconds;
  s.seed = 99;
  s.skin_patch = skin_patch;
  g_assert_true (vital_demo_source_write_video (&s, path, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_analyze_face_video (void)
{
  g_autofree char *path = write_demo ("face-80.webm", 80.0, 16, FALSE);
  g_auto(VitalTestRun) run = { 0 };
  JsonObject *object, *quality;

  ANALYZE (&run, "--json", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  object = vital_test_json_object (run.json);
  quality = json_object_get_object_member (object, "signal_quality");
  g_assert_nonnull (quality);
  g_assert_true (json_object_has_member (quality, "snr"));
  g_assert_cmpfloat (fabs (vital_test_json_double (run.json, "vitals.heart_rate") - 80.0), <=,
                     3.0);
  g_assert_cmpint (json_object_get_int_member (object, "frame_count"), ==, 480);
  g_assert_cmpfloat (json_object_get_double_member (object, "frame_rate"), ==, 30.0);
  g_assert_cmpfloat (json_object_get_double_member (object, "face_coverage"), >=, 0.95);
  g_assert_cmpstr (json_object_get_string_member (object, "roi"), ==, "face");

  /* --duration cuts the video; the table output names the coverage. */
  ANALYZE (&run, "--duration", "12", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "360 frames at 30 fps"));
  g_assert_nonnull (strstr (run.out, "Face coverage"));
  g_unlink (path);
}

static void
test_analyze_skin_patch (void)
{
  g_autofree char *path = write_demo ("patch-66.webm", 66.0, 15, TRUE);
  g_auto(VitalTestRun) run = { 0 };

  /* No face: a measurement failure (exit 5) with the server's wording. */
  ANALYZE (&run, "--json", path, NULL);
  g_assert_cmpint (run.status, ==, 5);
  g_assert_nonnull (run.json);
  g_assert_cmpstr (vital_test_json_string (run.json, "error"), ==, "NO_FACE");
  g_assert_cmpstr (vital_test_json_string (run.json, "message"), ==, "No face detected in video");

  /* --roi frame: the whole frame is skin (this subject's heart realised 67.0 bpm). */
  ANALYZE (&run, "--json", "--roi", "frame", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpfloat (fabs (vital_test_json_double (run.json, "vitals.heart_rate") - 66.0), <=,
                     3.0);
  g_assert_cmpstr (vital_test_json_string (run.json, "roi"), ==, "frame");
  g_unlink (path);
}

static void
test_analyze_bad_input (void)
{
  g_autofree char *missing = g_build_filename (tmp_dir, "nope.mp4", NULL);
  g_autofree char *text = g_build_filename (tmp_dir, "text.avi", NULL);
  g_auto(VitalTestRun) run = { 0 };
  /* Usage errors. */
  const char *usage[][4] = {
    { "--roi", "nose", text, NULL },
    { "--duration", "-4", text, NULL },
    { NULL },
  };

  ANALYZE (&run, missing, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "nope.mp4"));

  g_assert_true (g_file_set_contents (text, "not a video at all, just words\n", -1, NULL));
  ANALYZE (&run, "--json", text, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (vital_test_json_string (run.json, "error"), ==, "VIDEO_ERROR");

  for (guint i = 0; i < G_N_ELEMENTS (usage); i++)
    {
      vital_test_run_cliv (&run, cli, NULL, "analyze", usage[i]);
      g_assert_cmpint (run.status, ==, 2);
    }
  g_unlink (text);
}

int
main (int argc,
      char *argv[])
{
  int ret;

  g_setenv ("OPENCV_LOG_LEVEL", "SILENT", TRUE);
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  /* The binary's path is the first argument left after the test options. */
  if (argc < 2)
    {
      g_printerr ("usage: %s PATH-TO-vitalscan-cli\n", argv[0]);
      return 2;
    }
  cli = argv[1];
  tmp_dir = g_dir_make_tmp ("vital-cli-analyze-XXXXXX", NULL);

  g_test_add_func ("/cli/analyze/face-video", test_analyze_face_video);
  g_test_add_func ("/cli/analyze/skin-patch", test_analyze_skin_patch);
  g_test_add_func ("/cli/analyze/bad-input", test_analyze_bad_input);

  ret = g_test_run ();
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return ret;
}
