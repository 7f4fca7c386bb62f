/* test-cli-scan.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the real `vitalscan-cli scan-tensor` binary: embedded and remote servers, JSON and table
 * output, and every exit status class.
 */
#include "vital-config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "vital-server.h"
#include "vital-test-util.h"

#define REMOTE_KEY "ck_live_clitestremotekey000000000001"

typedef struct
{
  char *dir;
  char *payload_path;
  char *garbage_path;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static void
run_cli (Run         *run,
         const char  *api_key_env,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (char *) VITALSCAN_CLI);
  g_ptr_array_add (args, (char *) "scan-tensor");
  va_start (ap, api_key_env);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  if (api_key_env != NULL)
    g_subprocess_launcher_setenv (launcher, "VITALSCAN_API_KEY", api_key_env, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "VITALSCAN_API_KEY");

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) payload = vital_test_placeholder_payload (300);

  f->dir = g_dir_make_tmp ("vitalscan-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->payload_path = g_build_filename (f->dir, "placeholder.vt", NULL);
  f->garbage_path = g_build_filename (f->dir, "garbage.vt", NULL);
  g_file_set_contents (f->payload_path, g_bytes_get_data (payload, NULL),
                       (gssize) g_bytes_get_size (payload), &error);
  g_assert_no_error (error);
  g_file_set_contents (f->garbage_path, "this is not a tensor", -1, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_remove (f->payload_path);
  g_remove (f->garbage_path);
  g_rmdir (f->dir);
  g_free (f->payload_path);
  g_free (f->garbage_path);
  g_free (f->dir);
}

static JsonObject *
parse_object (const char *text,
              JsonNode  **out_node)
{
  g_autoptr(GError) error = NULL;

  *out_node = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*out_node));
  return json_node_get_object (*out_node);
}

static void
test_sandbox_json (Fixture       *f,
                   gconstpointer  data)
{
  Run run = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object, *vitals;

  run_cli (&run, NULL, "--sandbox", "--json", f->payload_path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  object = parse_object (run.out, &node);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "completed");
  g_assert_cmpstr (json_object_get_string_member (object, "key_environment"), ==, "test");
  vitals = json_object_get_object_member (object, "vitals");
  g_assert_nonnull (vitals);
  g_assert_true (isfinite (json_object_get_double_member (vitals, "heart_rate")));
  g_assert_true (json_object_has_member (object, "confidence_band"));
  g_assert_true (json_object_has_member (object, "ranges"));
  run_clear (&run);
}

static void
test_live_table (Fixture       *f,
                 gconstpointer  data)
{
  Run run = { 0 };
  g_auto(GStrv) lines = NULL;
  double hr = NAN;

  /* The embedded server runs the real engine on the placeholder's 72 bpm pulse. */
  run_cli (&run, NULL, f->payload_path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Key environment                live"));
  lines = g_strsplit (run.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "Heart rate ")
        && !g_str_has_prefix (lines[i], "Heart rate variability"))
      hr = g_ascii_strtod (lines[i] + strlen ("Heart rate"), NULL);
  g_assert_cmpfloat_with_epsilon (hr, 72.0, 4.0);
  g_assert_nonnull (strstr (run.out, "Confidence"));
  run_clear (&run);
}

static void
test_processing_failure (Fixture       *f,
                         gconstpointer  data)
{
  Run run = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  run_cli (&run, NULL, "--json", f->garbage_path, NULL);
  g_assert_cmpint (run.status, ==, 5);
  object = parse_object (run.out, &node);
  g_assert_cmpstr (json_object_get_string_member (object, "error"), ==, "PROCESSING_FAILED");
  g_assert_false (json_object_get_boolean_member (object, "retryable"));
  run_clear (&run);
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  Run run = { 0 };

  run_cli (&run, NULL, NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  run_cli (&run, NULL, "--age", "200", f->payload_path, NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  run_cli (&run, NULL, "--no-such-option", f->payload_path, NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  run_cli (&run, REMOTE_KEY, "--server", "ftp://example.org", f->payload_path, NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  run_cli (&run, NULL, "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Exit status:"));
  run_clear (&run);
  /* An unreadable file is an I/O error. */
  run_cli (&run, NULL, "/nonexistent/payload.vt", NULL);
  g_assert_cmpint (run.status, ==, 1);
  run_clear (&run);
}

static void
test_remote (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();
  g_autoptr(VitalServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *refused = NULL;
  Run run = { 0 };
  const char *url;

  server = vital_server_new (config, &error);
  g_assert_no_error (error);
  g_assert_true (vital_server_add_key (server, REMOTE_KEY, "cli-tests", 0, 0, &error));
  g_assert_true (vital_server_listen_local (server, 0, &error));
  url = vital_server_get_base_url (server);

  /* Key from the environment. */
  run_cli (&run, REMOTE_KEY, "--server", url, "--json", f->payload_path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (parse_object (run.out, &node), "status"), ==,
                   "completed");
  run_clear (&run);

  /* No key, a malformed key, an unknown key: authentication failures. */
  run_cli (&run, NULL, "--server", url, f->payload_path, NULL);
  g_assert_cmpint (run.status, ==, 4);
  run_clear (&run);
  run_cli (&run, NULL, "--server", url, "--api-key", "secret", f->payload_path, NULL);
  g_assert_cmpint (run.status, ==, 4);
  /* The key is never echoed. */
  g_assert_null (strstr (run.err, "secret"));
  run_clear (&run);
  run_cli (&run, NULL, "--server", url, "--api-key", "ck_live_unknownkey00000000000000001",
           f->payload_path, NULL);
  g_assert_cmpint (run.status, ==, 4);
  run_clear (&run);

  /* --sandbox against a server needs a test key. */
  run_cli (&run, REMOTE_KEY, "--server", url, "--sandbox", f->payload_path, NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);

  vital_server_stop (server);

  /* Nobody listening: network. */
  refused = g_strdup_printf ("http://127.0.0.1:%u", vital_test_unused_port ());
  run_cli (&run, REMOTE_KEY, "--server", refused, f->payload_path, NULL);
  g_assert_cmpint (run.status, ==, 3);
  run_clear (&run);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/cli/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("sandbox-json", test_sandbox_json);
  ADD ("live-table", test_live_table);
  ADD ("processing-failure", test_processing_failure);
  ADD ("usage", test_usage);
  ADD ("remote", test_remote);

  return g_test_run ();
}
