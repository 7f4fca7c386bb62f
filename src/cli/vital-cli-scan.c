/* vital-cli-scan.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `scan-tensor` command of vitalscan-cli: one full session for a payload file, against a
 * server or the embedded local one, printed as a table or JSON.
 */
#include "vital-config.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "vital-cli.h"
#include "vital-cli-output.h"
#include "vital-cli-session.h"
#include "vital-client.h"
#include "vital-server.h"

#define PROG "vitalscan-cli scan-tensor"

static const char description[] =
  "Runs one full session (start, upload, complete, result) for a tensor payload FILE and\n"
  "prints the vitals as a table, or as JSON with --json.\n"
  "\n"
  "Without --server the scan runs on an embedded local server (offline; a random ck_live_ key,\n"
  "real processing; with --sandbox a ck_test_ key and deterministic synthetic vitals).\n"
  "With --server the key comes from --api-key or the VITALSCAN_API_KEY environment variable.\n"
  "\n"
  "Exit status:\n"
  "  0  the scan completed\n"
  "  1  any other error (unreadable file, unexpected server error, cancelled)\n"
  "  2  usage error (bad options, bad server URL)\n"
  "  3  network: server unreachable, timeout, server failure or unusable answer, rate limit\n"
  "  4  authentication: missing, malformed or rejected key, forbidden, quota exceeded\n"
  "  5  processing failed: the payload was rejected or no measurement could be made";

static void
on_progress (VitalClient    *client,
             VitalScanPhase  phase,
             guint64         uploaded,
             guint64         total,
             gpointer        user_data)
{
  VitalScanPhase *last = user_data;

  if (phase == *last)
    return;
  *last = phase;
  if (phase == VITAL_SCAN_PHASE_UPLOADING)
    g_printerr ("%s… (%" G_GUINT64_FORMAT " bytes)\n", vital_scan_phase_to_string (phase), total);
  else if (phase != VITAL_SCAN_PHASE_DONE && phase != VITAL_SCAN_PHASE_FAILED)
    g_printerr ("%s…\n", vital_scan_phase_to_string (phase));
}

static void
on_retrying (VitalClient  *client,
             const char   *operation,
             guint         attempt,
             guint         delay_ms,
             const GError *error,
             gpointer      user_data)
{
  g_printerr ("%s failed (%s); retrying in %.1f s\n", operation, error->message,
              delay_ms / 1000.0);
}

static gboolean
parse_sex (const char *text,
           VitalSex   *out_sex)
{
  if (text == NULL)
    *out_sex = VITAL_SEX_UNKNOWN;
  else if (g_str_equal (text, "M") || g_str_equal (text, "m"))
    *out_sex = VITAL_SEX_MALE;
  else if (g_str_equal (text, "F") || g_str_equal (text, "f"))
    *out_sex = VITAL_SEX_FEMALE;
  else if (g_str_equal (text, "other"))
    *out_sex = VITAL_SEX_OTHER;
  else
    return FALSE;
  return TRUE;
}

/**
 * vital_cli_scan_tensor:
 * @argc: argument count, argv[0] being the command name
 * @argv: (array length=argc): the arguments
 *
 * `vitalscan-cli scan-tensor [--server URL] [--api-key KEY] [--json] [--sandbox] FILE`.
 *
 * Returns: the exit status (see the command's --help)
 */
int
vital_cli_scan_tensor (int    argc,
                       char **argv)
{
  g_autofree char *user_id = NULL;
  g_autofree char *sex_text = NULL;
  gboolean sandbox = FALSE;
  int timeout_s = VITAL_CLIENT_DEFAULT_TIMEOUT_S;
  int poll_timeout_s = VITAL_CLIENT_DEFAULT_POLL_TIMEOUT_MS / 1000;
  int age = 0, fitzpatrick = 0;
  g_auto(VitalCliSession) session = { 0 };
  GOptionEntry entries[] = {
    VITAL_CLI_SESSION_OPTIONS (&session),
    { "sandbox", 0, 0, G_OPTION_ARG_NONE, &sandbox,
      "Use a ck_test_ key: deterministic synthetic vitals, no quota", NULL },
    { "user-id", 0, 0, G_OPTION_ARG_STRING, &user_id, "Sent as X-User-Id", "ID" },
    { "age", 0, 0, G_OPTION_ARG_INT, &age, "Age in years (1–120)", "YEARS" },
    { "sex", 0, 0, G_OPTION_ARG_STRING, &sex_text, "Sex: M, F or other", "SEX" },
    { "fitzpatrick", 0, 0, G_OPTION_ARG_INT, &fitzpatrick, "Fitzpatrick skin type (1–6)", "N" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s,
      "Seconds a request may go unanswered (default 30)", "S" },
    { "poll-timeout", 0, 0, G_OPTION_ARG_INT, &poll_timeout_s,
      "Seconds to wait for the result (default 120)", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE — scan a tensor payload");
  g_autoptr(VitalSigns) signs = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GError) error = NULL;
  VitalDemographics demographics = { 0 };
  VitalScanPhase last_phase = VITAL_SCAN_PHASE_IDLE;
  const char *environment;
  char *contents = NULL;
  gsize length = 0;
  int status;

  if (!vital_cli_parse_command_line (context, entries, description, PROG,
                                     "one payload file (see --help)", &argc, &argv))
    return VITAL_CLI_EXIT_USAGE;
  if (timeout_s < 1 || timeout_s > 3600 || poll_timeout_s < 1 || poll_timeout_s > 86400)
    {
      g_printerr (PROG ": --timeout must be 1–3600 and --poll-timeout 1–86400 seconds\n");
      return VITAL_CLI_EXIT_USAGE;
    }
  if ((age != 0 && (age < 1 || age > 120)) || (fitzpatrick != 0 && (fitzpatrick < 1 ||
                                                                      fitzpatrick > 6)) ||
      !parse_sex (sex_text, &demographics.sex))
    {
      g_printerr (PROG ": --age must be 1–120, --fitzpatrick 1–6, --sex M, F or other\n");
      return VITAL_CLI_EXIT_USAGE;
    }
  if (user_id != NULL)
    {
      for (const char *p = user_id; *p != '\0'; p++)
        if (*p < 0x20 || *p > 0x7e)
          {
            g_printerr (PROG ": --user-id must be printable ASCII\n");
            return VITAL_CLI_EXIT_USAGE;
          }
    }
  demographics.age = age;
  demographics.fitzpatrick = fitzpatrick;

  if (!g_file_get_contents (argv[1], &contents, &length, &error))
    {
      g_printerr (PROG ": %s\n", error->message);
      return VITAL_CLI_EXIT_FAILURE;
    }
  payload = g_bytes_new_take (contents, length);

  if (session.server_url != NULL)
    {
      if (!vital_cli_connect (&session, PROG, &status))
        return status;
      if (sandbox && g_strcmp0 (vital_client_get_key_environment (session.client), "test") != 0)
        {
          g_printerr (PROG ": --sandbox with --server needs a ck_test_ key\n");
          return VITAL_CLI_EXIT_USAGE;
        }
    }
  else
    {
      if (session.api_key != NULL)
        g_printerr (PROG ": note: --api-key is only used with --server; the embedded server "
                    "gets its own key\n");
      if (!vital_cli_connect_embedded (&session, PROG, sandbox ? VITAL_KEY_ENV_TEST
                                                               : VITAL_KEY_ENV_LIVE))
        return VITAL_CLI_EXIT_FAILURE;
    }

  environment = vital_client_get_key_environment (session.client);
  vital_client_set_timeout (session.client, (guint) timeout_s);
  vital_client_set_poll_timeout (session.client, (guint) poll_timeout_s * 1000);
  vital_client_set_user_id (session.client, user_id);
  if (isatty (STDERR_FILENO))
    g_signal_connect (session.client, "progress", G_CALLBACK (on_progress), &last_phase);
  g_signal_connect (session.client, "retrying", G_CALLBACK (on_retrying), NULL);

  signs = vital_cli_session_scan (&session, payload,
                                  (demographics.age || demographics.sex ||
                                   demographics.fitzpatrick) ? &demographics : NULL,
                                  &error);
  if (signs == NULL)
    return vital_cli_report_error (PROG, error, session.json, NULL);

  if (session.json)
    vital_cli_print_signs_json (signs, environment, NULL);
  else
    vital_cli_print_signs (signs, environment);
  return VITAL_CLI_EXIT_OK;
}
