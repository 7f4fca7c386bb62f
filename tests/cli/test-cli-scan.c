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
#include <math.h>
#include <string.h>

#include "vital-test-server.h"
#include "vital-test-util.h"

#define REMOTE_KEY "ck_live_clitestremotekey000000000001"

typedef struct
{
  char *dir;
  char *payload_path;
  char *garbage_path;
} Fixture;

/* Runs `vitalscan-cli scan-tensor ARGS… NULL` with VITALSCAN_API_KEY @key (unset: NULL). */
#define SCAN_TENSOR(run, key, ...) \
  vital_test_run_cli (run, VITALSCAN_CLI, key, "scan-tensor", __VA_ARGS__)

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
  vital_test_remove_tree (f->dir);
  g_free (f->payload_path);
  g_free (f->garbage_path);
  g_free (f->dir);
}

static void
test_sandbox_json (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(VitalTestRun) run = { 0 };
  JsonObject *object;

  SCAN_TENSOR (&run, NULL, "--sandbox", "--json", f->payload_path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  object = vital_test_json_object (run.json);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "completed");
  g_assert_cmpstr (json_object_get_string_member (object, "key_environment"), ==, "test");
  g_assert_true (isfinite (vital_test_json_double (run.json, "vitals.heart_rate")));
  g_assert_true (json_object_has_member (object, "confidence_band"));
  g_assert_true (json_object_has_member (object, "ranges"));
}

static void
test_live_table (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(VitalTestRun) run = { 0 };
  g_auto(GStrv) lines = NULL;
  double hr = NAN;

  /* The embedded server runs the real engine on the placeholder's 72 bpm pulse. */
  SCAN_TENSOR (&run, NULL, f->payload_path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Key environment                live"));
  lines = g_strsplit (run.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "Heart rate ")
        && !g_str_has_prefix (lines[i], "Heart rate variability"))
      hr = g_ascii_strtod (lines[i] + strlen ("Heart rate"), NULL);
  g_assert_cmpfloat_with_epsilon (hr, 72.0, 4.0);
  g_assert_nonnull (strstr (run.out, "Confidence"));
}

static void
test_processing_failure (Fixture       *f,
                         gconstpointer  data)
{
  g_auto(VitalTestRun) run = { 0 };
  JsonObject *object;

  SCAN_TENSOR (&run, NULL, "--json", f->garbage_path, NULL);
  g_assert_cmpint (run.status, ==, 5);
  object = vital_test_json_object (run.json);
  g_assert_cmpstr (json_object_get_string_member (object, "error"), ==, "PROCESSING_FAILED");
  g_assert_false (json_object_get_boolean_member (object, "retryable"));
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  const struct { const char *key; const char *args[4]; int status; } cases[] = {
    { NULL, { NULL }, 2 },
    { NULL, { "--age", "200", f->payload_path, NULL }, 2 },
    { NULL, { "--no-such-option", f->payload_path, NULL }, 2 },
    { REMOTE_KEY, { "--server", "ftp://example.org", f->payload_path, NULL }, 2 },
    /* An unreadable file is an I/O error. */
    { NULL, { "/nonexistent/payload.vt", NULL }, 1 },
  };
  g_auto(VitalTestRun) run = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      vital_test_run_cliv (&run, VITALSCAN_CLI, cases[i].key, "scan-tensor", cases[i].args);
      g_assert_cmpint (run.status, ==, cases[i].status);
    }
  SCAN_TENSOR (&run, NULL, "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Exit status:"));
}

static void
test_remote (Fixture       *f,
             gconstpointer  data)
{
  static const VitalTestKey remote = { REMOTE_KEY, "cli-tests", 0, 0 };
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();
  g_autoptr(VitalServer) server = vital_test_server_start (config, &remote, 1);
  g_autofree char *refused = NULL;
  g_auto(VitalTestRun) run = { 0 };
  const char *url = vital_server_get_base_url (server);

  /* Key from the environment. */
  SCAN_TENSOR (&run, REMOTE_KEY, "--server", url, "--json", f->payload_path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (vital_test_json_string (run.json, "status"), ==, "completed");

  {
    /* No key, a malformed key, an unknown key: authentication failures (4); --sandbox against
     * a server needs a test key (2). The key is never echoed. */
    const char *unknown = "ck_live_unknownkey00000000000000001";
    const struct { const char *key; const char *args[6]; int status; } cases[] = {
      { NULL, { "--server", url, f->payload_path, NULL }, 4 },
      { NULL, { "--server", url, "--api-key", "secret", f->payload_path, NULL }, 4 },
      { NULL, { "--server", url, "--api-key", unknown, f->payload_path, NULL }, 4 },
      { REMOTE_KEY, { "--server", url, "--sandbox", f->payload_path, NULL }, 2 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        vital_test_run_cliv (&run, VITALSCAN_CLI, cases[i].key, "scan-tensor", cases[i].args);
        g_assert_cmpint (run.status, ==, cases[i].status);
        g_assert_null (strstr (run.err, "secret"));
      }
  }

  vital_server_stop (server);

  /* Nobody listening: network. */
  refused = g_strdup_printf ("http://127.0.0.1:%u", vital_test_unused_port ());
  SCAN_TENSOR (&run, REMOTE_KEY, "--server", refused, f->payload_path, NULL);
  g_assert_cmpint (run.status, ==, 3);
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
