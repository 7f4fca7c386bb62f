/* vital-cli-scan.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `scan-tensor` command of vitalscan-cli: one full session for a payload file, against a
 * server or the embedded local one, printed as a table or JSON.
 */
#include "vital-config.h"

#include <glib-unix.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vital-cli.h"
#include "vital-cli-embedded.h"
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

static int
exit_code_for (const GError *error)
{
  if (error->domain != VITAL_CLIENT_ERROR)
    return VITAL_CLI_EXIT_FAILURE;

  switch ((VitalClientError) error->code)
    {
    case VITAL_CLIENT_ERROR_NETWORK:
    case VITAL_CLIENT_ERROR_TIMEOUT:
    case VITAL_CLIENT_ERROR_SERVICE_UNAVAILABLE:
    case VITAL_CLIENT_ERROR_RATE_LIMIT_EXCEEDED:
    case VITAL_CLIENT_ERROR_BAD_RESPONSE:
      return VITAL_CLI_EXIT_NETWORK;

    case VITAL_CLIENT_ERROR_MISSING_API_KEY:
    case VITAL_CLIENT_ERROR_INVALID_API_KEY:
    case VITAL_CLIENT_ERROR_API_KEY_INVALID:
    case VITAL_CLIENT_ERROR_FORBIDDEN:
    case VITAL_CLIENT_ERROR_QUOTA_EXCEEDED:
      return VITAL_CLI_EXIT_AUTH;

    case VITAL_CLIENT_ERROR_PROCESSING_FAILED:
    case VITAL_CLIENT_ERROR_PAYLOAD_TOO_LARGE:
      return VITAL_CLI_EXIT_PROCESSING;

    case VITAL_CLIENT_ERROR_INVALID_REQUEST:
    case VITAL_CLIENT_ERROR_SESSION_NOT_FOUND:
    case VITAL_CLIENT_ERROR_SESSION_EXPIRED:
    case VITAL_CLIENT_ERROR_CANCELLED:
    default:
      return VITAL_CLI_EXIT_FAILURE;
    }
}

static gboolean
on_sigint (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_CONTINUE;
}

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

/* printf's widths count bytes; pad by characters so "SpO₂" and "—" line up. */
static void
print_padded (const char *text,
              guint       width)
{
  glong chars = g_utf8_strlen (text, -1);

  g_print ("%s%*s", text, (int) (chars < (glong) width ? width - chars : 1), "");
}

static void
print_table (VitalSigns *signs,
             const char *environment)
{
  VitalConfidenceBand band = vital_signs_get_confidence_band (signs);
  gint64 completed_at = vital_signs_get_completed_at (signs);

  g_print ("%-18s %s\n", "Session", vital_signs_get_session_id (signs) ?
           vital_signs_get_session_id (signs) : "(not given)");
  g_print ("%-18s %s\n", "Key environment", environment);

  for (guint m = 0; m < VITAL_SIGNS_N_MEASURES; m++)
    {
      double value = vital_signs_get_measure (signs, m);
      double lo, hi;
      g_autofree char *number = NULL;
      const char *flag;

      vital_signs_measure_get_typical_range (m, &lo, &hi);
      switch (vital_signs_check_range (signs, m))
        {
        case VITAL_RANGE_BELOW:
          flag = "below typical";
          break;
        case VITAL_RANGE_ABOVE:
          flag = "above typical";
          break;
        case VITAL_RANGE_TYPICAL:
          flag = "typical";
          break;
        case VITAL_RANGE_UNAVAILABLE:
        default:
          flag = NULL;
          break;
        }
      print_padded (vital_signs_measure_get_name (m), 19);
      if (isnan (value))
        {
          print_padded ("—", 17);
          g_print ("not measured\n");
          continue;
        }
      number = g_strdup_printf ("%.1f %s", value, vital_signs_measure_get_unit (m));
      print_padded (number, 17);
      g_print ("%s (%g–%g)\n", flag, lo, hi);
    }

  g_print ("%-18s %.2f (%s) — %s\n", "Confidence", vital_signs_get_confidence (signs),
           vital_confidence_band_to_string (band),
           vital_confidence_band_get_recommendation (band));
  if (!isnan (vital_signs_get_snr (signs)))
    g_print ("%-18s SNR %.1f dB, stability %.2f, periodicity %.2f\n", "Signal quality",
             vital_signs_get_snr (signs), vital_signs_get_stability (signs),
             vital_signs_get_periodicity (signs));
  if (!isnan (vital_signs_get_processing_time_ms (signs)))
    g_print ("%-18s %.0f ms\n", "Processing time", vital_signs_get_processing_time_ms (signs));
  if (completed_at >= 0)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (completed_at);
      g_autofree char *text = when != NULL ? g_date_time_format_iso8601 (when) : NULL;

      if (text != NULL)
        g_print ("%-18s %s\n", "Completed at", text);
    }
  if (vital_signs_is_sandbox (signs))
    g_print ("\nNOTE: sandbox key: these vitals are synthetic, not a measurement.\n");
  if (vital_signs_is_fallback (signs))
    g_print ("\nWARNING: confidence is 0: these are fallback values, not a measurement.\n");
}

/* json-glib prints doubles with 17 significant digits (72.8 → 72.799999999999997); this
 * writer uses %.15g, which round-trips every value the server sends, and 2-space indents. */
static void
append_json (GString  *out,
             JsonNode *node,
             guint     depth)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        guint i = 0;

        g_string_append (out, "{");
        for (GList *l = members; l != NULL; l = l->next, i++)
          {
            g_autoptr(JsonNode) key = json_node_init_string (json_node_alloc (), l->data);
            g_autofree char *quoted = json_to_string (key, FALSE);

            g_string_append_printf (out, "%s\n%*s%s: ", i ? "," : "", (int) (depth + 1) * 2, "",
                                    quoted);
            append_json (out, json_object_get_member (object, l->data), depth + 1);
          }
        g_string_append_printf (out, "\n%*s}", (int) depth * 2, "");
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append (out, "[");
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            g_string_append_printf (out, "%s\n%*s", i ? "," : "", (int) (depth + 1) * 2, "");
            append_json (out, json_array_get_element (array, i), depth + 1);
          }
        g_string_append_printf (out, "\n%*s]", (int) depth * 2, "");
      }
      break;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.15g",
                                                 json_node_get_double (node)));
          break;
        }
      G_GNUC_FALLTHROUGH;
    case JSON_NODE_NULL:
    default:
      {
        g_autofree char *text = json_to_string (node, FALSE);

        g_string_append (out, text);
      }
      break;
    }
}

static void
print_json (VitalSigns *signs,
            const char *environment)
{
  g_autoptr(JsonNode) node = vital_signs_to_json (signs);
  JsonObject *object = json_node_get_object (node);
  VitalConfidenceBand band = vital_signs_get_confidence_band (signs);
  g_autoptr(JsonObject) ranges = json_object_new ();
  g_autoptr(GString) out = NULL;
  static const char *names[VITAL_SIGNS_N_MEASURES] = {
    "heart_rate", "respiratory_rate", "hrv", "spo2", "systolic_bp", "diastolic_bp",
  };

  for (guint m = 0; m < VITAL_SIGNS_N_MEASURES; m++)
    json_object_set_string_member (ranges, names[m],
                                   vital_range_check_to_string (vital_signs_check_range (signs,
                                                                                         m)));
  json_object_set_string_member (object, "key_environment", environment);
  json_object_set_boolean_member (object, "is_fallback", vital_signs_is_fallback (signs));
  json_object_set_string_member (object, "confidence_band",
                                 vital_confidence_band_to_string (band));
  json_object_set_string_member (object, "recommendation",
                                 vital_confidence_band_get_recommendation (band));
  json_object_set_object_member (object, "ranges", g_steal_pointer (&ranges));

  out = g_string_new (NULL);
  append_json (out, node, 0);
  g_print ("%s\n", out->str);
}

static void
print_json_error (const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, error->domain == VITAL_CLIENT_ERROR ?
                                 vital_client_error_to_server_code (error->code) : "ERROR");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, error->message);
  json_builder_set_member_name (builder, "retryable");
  json_builder_add_boolean_value (builder, vital_client_error_is_retryable (error));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  g_print ("%s\n", text);
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
  g_autofree char *server_url = NULL;
  g_autofree char *api_key = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *sex_text = NULL;
  gboolean json = FALSE, sandbox = FALSE;
  int timeout_s = VITAL_CLIENT_DEFAULT_TIMEOUT_S;
  int poll_timeout_s = VITAL_CLIENT_DEFAULT_POLL_TIMEOUT_MS / 1000;
  int age = 0, fitzpatrick = 0;
  GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server_url,
      "Session API server (default: an embedded local server)", "URL" },
    { "api-key", 'k', 0, G_OPTION_ARG_STRING, &api_key,
      "API key for --server (default: $VITALSCAN_API_KEY)", "KEY" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print the result (or error) as JSON", NULL },
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
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(VitalServer) embedded = NULL;
  g_autoptr(VitalClient) client = NULL;
  g_autoptr(VitalSigns) signs = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GError) error = NULL;
  VitalDemographics demographics = { 0 };
  VitalScanPhase last_phase = VITAL_SCAN_PHASE_IDLE;
  const char *environment;
  char *contents = NULL;
  gsize length = 0;
  guint sigint_id;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context, description);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr (PROG ": %s\n", error->message);
      return VITAL_CLI_EXIT_USAGE;
    }
  if (argc != 2)
    {
      g_printerr (PROG ": expected one payload file (see --help)\n");
      return VITAL_CLI_EXIT_USAGE;
    }
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

  if (server_url != NULL)
    {
      if (api_key == NULL)
        api_key = g_strdup (g_getenv ("VITALSCAN_API_KEY"));
      client = vital_client_new (server_url, api_key);
      if (vital_client_get_base_url (client) == NULL)
        {
          g_printerr (PROG ": “%s” is not a valid http:// or https:// URL\n", server_url);
          return VITAL_CLI_EXIT_USAGE;
        }
      if (!vital_client_check_key (client, &error))
        {
          if (json)
            print_json_error (error);
          g_printerr (PROG ": %s (use --api-key or VITALSCAN_API_KEY)\n", error->message);
          return VITAL_CLI_EXIT_AUTH;
        }
      if (sandbox && g_strcmp0 (vital_client_get_key_environment (client), "test") != 0)
        {
          g_printerr (PROG ": --sandbox with --server needs a ck_test_ key\n");
          return VITAL_CLI_EXIT_USAGE;
        }
    }
  else
    {
      g_autofree char *key = NULL;

      if (api_key != NULL)
        g_printerr (PROG ": note: --api-key is only used with --server; the embedded server "
                    "gets its own key\n");
      embedded = vital_cli_start_embedded_server (sandbox ? VITAL_KEY_ENV_TEST
                                                                  : VITAL_KEY_ENV_LIVE,
                                                  &key, &error);
      if (embedded == NULL)
        {
          g_printerr (PROG ": cannot start the embedded server: %s\n", error->message);
          return VITAL_CLI_EXIT_FAILURE;
        }
      client = vital_client_new (vital_server_get_base_url (embedded), key);
      /* Loopback: poll briskly. */
      vital_client_set_poll_interval (client, 100);
      memset (key, 0, strlen (key));
    }

  environment = vital_client_get_key_environment (client);
  vital_client_set_timeout (client, (guint) timeout_s);
  vital_client_set_poll_timeout (client, (guint) poll_timeout_s * 1000);
  vital_client_set_user_id (client, user_id);
  if (isatty (STDERR_FILENO))
    g_signal_connect (client, "progress", G_CALLBACK (on_progress), &last_phase);
  g_signal_connect (client, "retrying", G_CALLBACK (on_retrying), NULL);
  sigint_id = g_unix_signal_add (SIGINT, on_sigint, cancellable);

  signs = vital_client_scan_tensor_sync (client, payload,
                                         (demographics.age || demographics.sex ||
                                          demographics.fitzpatrick) ? &demographics : NULL,
                                         cancellable, &error);
  g_source_remove (sigint_id);
  if (embedded != NULL)
    vital_server_stop (embedded);

  if (signs == NULL)
    {
      if (json)
        print_json_error (error);
      g_printerr (PROG ": %s\n", error->message);
      return exit_code_for (error);
    }

  if (json)
    print_json (signs, environment);
  else
    print_table (signs, environment);
  return VITAL_CLI_EXIT_OK;
}
