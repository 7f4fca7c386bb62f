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
#include <sys/wait.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <json-glib/json-glib.h>

#include "vital-demo-source.h"

static char *tmp_dir;
static const char *cli;

typedef struct
{
  int status;
  char *out;
  char *err;
  JsonObject *json;
  JsonParser *parser;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_clear_object (&run->parser);
}

/* Runs the CLI with @args (NULL-terminated) and parses stdout as JSON when it is. */
static void
run_cli (Run *run,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;
  int wait_status;

  memset (run, 0, sizeof *run);
  g_ptr_array_add (argv, (char *) cli);
  g_ptr_array_add (argv, (char *) "analyze");
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &run->out, &run->err, &wait_status, &error));
  g_assert_no_error (error);
  run->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  g_test_message ("exit %d; stderr: %s", run->status, run->err);

  run->parser = json_parser_new ();
  if (json_parser_load_from_data (run->parser, run->out, -1, NULL)
      && json_parser_get_root (run->parser) != NULL
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (run->parser)))
    run->json = json_node_get_object (json_parser_get_root (run->parser));
}

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
  JsonObject *vitals, *quality;
  Run run;

  run_cli (&run, "--json", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (run.json);
  vitals = json_object_get_object_member (run.json, "vitals");
  quality = json_object_get_object_member (run.json, "signal_quality");
  g_assert_nonnull (vitals);
  g_assert_nonnull (quality);
  g_assert_true (json_object_has_member (quality, "snr"));
  g_assert_cmpfloat (fabs (json_object_get_double_member (vitals, "heart_rate") - 80.0), <=, 3.0);
  g_assert_cmpint (json_object_get_int_member (run.json, "frame_count"), ==, 480);
  g_assert_cmpfloat (json_object_get_double_member (run.json, "frame_rate"), ==, 30.0);
  g_assert_cmpfloat (json_object_get_double_member (run.json, "face_coverage"), >=, 0.95);
  g_assert_cmpstr (json_object_get_string_member (run.json, "roi"), ==, "face");
  run_clear (&run);

  /* --duration cuts the video; the table output names the coverage. */
  run_cli (&run, "--duration", "12", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "360 frames at 30 fps"));
  g_assert_nonnull (strstr (run.out, "Face coverage"));
  run_clear (&run);
  g_unlink (path);
}

static void
test_analyze_skin_patch (void)
{
  g_autofree char *path = write_demo ("patch-66.webm", 66.0, 15, TRUE);
  JsonObject *vitals;
  Run run;

  /* No face: a measurement failure (exit 5) with the server's wording. */
  run_cli (&run, "--json", path, NULL);
  g_assert_cmpint (run.status, ==, 5);
  g_assert_nonnull (run.json);
  g_assert_cmpstr (json_object_get_string_member (run.json, "error"), ==, "NO_FACE");
  g_assert_cmpstr (json_object_get_string_member (run.json, "message"), ==,
                   "No face detected in video");
  run_clear (&run);

  /* --roi frame: the whole frame is skin (this subject's heart realised 67.0 bpm). */
  run_cli (&run, "--json", "--roi", "frame", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  vitals = json_object_get_object_member (run.json, "vitals");
  g_assert_cmpfloat (fabs (json_object_get_double_member (vitals, "heart_rate") - 66.0), <=, 3.0);
  g_assert_cmpstr (json_object_get_string_member (run.json, "roi"), ==, "frame");
  run_clear (&run);
  g_unlink (path);
}

static void
test_analyze_bad_input (void)
{
  g_autofree char *missing = g_build_filename (tmp_dir, "nope.mp4", NULL);
  g_autofree char *text = g_build_filename (tmp_dir, "text.avi", NULL);
  Run run;

  run_cli (&run, missing, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "nope.mp4"));
  run_clear (&run);

  g_assert_true (g_file_set_contents (text, "not a video at all, just words\n", -1, NULL));
  run_cli (&run, "--json", text, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (run.json, "error"), ==, "VIDEO_ERROR");
  run_clear (&run);

  run_cli (&run, "--roi", "nose", text, NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  run_cli (&run, "--duration", "-4", text, NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  run_cli (&run, NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
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
