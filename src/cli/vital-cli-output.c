/* vital-cli-output.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every vitalscan-cli command prints about a result or a failure: the result table, the
 * result and error JSON, and the exit status for an error.
 */
#include "vital-config.h"

#include <math.h>

#include "vital-capture.h"
#include "vital-cli.h"
#include "vital-cli-output.h"

/**
 * vital_cli_exit_code_for:
 * @error: why a command failed
 *
 * Returns: the exit status documented in every command's --help for @error
 */
int
vital_cli_exit_code_for (const GError *error)
{
  if (g_error_matches (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_NO_FACE)
      || g_error_matches (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_TOO_SHORT))
    return VITAL_CLI_EXIT_PROCESSING;
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
    case VITAL_CLIENT_ERROR_MALFORMED_API_KEY:
    case VITAL_CLIENT_ERROR_API_KEY_REJECTED:
    case VITAL_CLIENT_ERROR_FORBIDDEN:
    case VITAL_CLIENT_ERROR_QUOTA_EXCEEDED:
      return VITAL_CLI_EXIT_AUTH;

    case VITAL_CLIENT_ERROR_PROCESSING_FAILED:
    case VITAL_CLIENT_ERROR_PAYLOAD_TOO_LARGE:
      return VITAL_CLI_EXIT_PROCESSING;

    case VITAL_CLIENT_ERROR_INVALID_REQUEST:
    case VITAL_CLIENT_ERROR_SESSION_NOT_FOUND:
    case VITAL_CLIENT_ERROR_SESSION_EXPIRED:
    default:
      return VITAL_CLI_EXIT_FAILURE;
    }
}

/* The label column: wide enough for the longest measure title. */
#define LABEL_WIDTH 30

/* printf's widths count bytes; pad by characters so "SpO₂" and "—" line up. */
static void
print_padded (const char *text,
              guint       width)
{
  glong chars = g_utf8_strlen (text, -1);

  g_print ("%s%*s", text, (int) (chars < (glong) width ? width - chars : 1), "");
}

/* ": too short", ": quality too low", … for a vital that was not measured. */
static const char *
not_measured_text (VitalSigns        *signs,
                   VitalMeasure       m)
{
  const char *reason = vital_signs_get_not_measured_reason (signs, m);

  if (g_strcmp0 (reason, "too_short") == 0)
    return " (the scan is too short for it)";
  if (g_strcmp0 (reason, "out_of_range") == 0)
    return " (the estimate fell below 94 %, which a camera cannot back: use a pulse oximeter)";
  if (g_strcmp0 (reason, "low_quality") == 0)
    return " (the signal was not clear enough)";
  return "";
}

static const char *
cause_text (const char *cause)
{
  if (g_str_equal (cause, "weak_pulse"))
    return "the pulse barely stands out of the noise";
  if (g_str_equal (cause, "ambiguous_rate"))
    return "another rhythm is about as strong as the pulse";
  if (g_str_equal (cause, "motion"))
    return "head movement or changing light";
  if (g_str_equal (cause, "little_skin"))
    return "little of the face was usable skin";
  if (g_str_equal (cause, "short_scan"))
    return "the scan is too short for a stable estimate";
  return cause;
}

/**
 * vital_cli_print_signs:
 * @signs: a completed scan's result
 * @environment: (nullable): the key's environment ("live", "test"), or %NULL to leave it out
 *
 * Prints the result as an aligned table on stdout: each vital with its unit, typical range and
 * where the value falls, then confidence, signal quality and warnings.
 */
void
vital_cli_print_signs (VitalSigns *signs,
                       const char *environment)
{
  VitalConfidenceBand band = vital_signs_get_confidence_band (signs);
  gint64 completed_at = vital_signs_get_completed_at (signs);

  g_print ("%-30s %s\n", "Session", vital_signs_get_session_id (signs) ?
           vital_signs_get_session_id (signs) : "(not given)");
  if (environment != NULL)
    g_print ("%-30s %s\n", "Key environment", environment);

  for (guint m = 0; m < VITAL_MEASURE_COUNT; m++)
    {
      const VitalMeasureInfo *info = vital_measure_get_info (m);
      double value = vital_signs_get_measure (signs, m);
      g_autofree char *number = NULL;
      const char *flag;

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
      print_padded (info->title, LABEL_WIDTH + 1);
      if (isnan (value))
        {
          print_padded ("—", 17);
          g_print ("not measured%s\n", not_measured_text (signs, m));
          continue;
        }
      number = g_strdup_printf ("%.1f %s", value, info->unit);
      print_padded (number, 17);
      g_print ("%s (%g–%g)", flag, info->typical_low, info->typical_high);
      if (m != VITAL_MEASURE_HEART_RATE && !isnan (vital_signs_get_quality (signs, m)))
        g_print (", quality %.2f", vital_signs_get_quality (signs, m));
      g_print ("\n");
    }

  g_print ("%-30s %.2f (%s) — %s\n", "Confidence", vital_signs_get_confidence (signs),
           vital_confidence_band_to_string (band),
           vital_confidence_band_get_recommendation (band));
  if (vital_signs_get_confidence_cause (signs) != NULL)
    g_print ("%-30s %s\n", "Likely cause", cause_text (vital_signs_get_confidence_cause (signs)));
  if (!isnan (vital_signs_get_snr (signs)))
    g_print ("%-30s SNR %.1f dB, stability %.2f, periodicity %.2f\n", "Signal quality",
             vital_signs_get_snr (signs), vital_signs_get_stability (signs),
             vital_signs_get_periodicity (signs));
  if (!isnan (vital_signs_get_processing_time_ms (signs)))
    g_print ("%-30s %.0f ms\n", "Processing time", vital_signs_get_processing_time_ms (signs));
  if (completed_at >= 0)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (completed_at);
      g_autofree char *text = when != NULL ? g_date_time_format_iso8601 (when) : NULL;

      if (text != NULL)
        g_print ("%-30s %s\n", "Completed at", text);
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
print_json_node (JsonNode *node)
{
  g_autoptr(GString) out = g_string_new (NULL);

  append_json (out, node, 0);
  g_print ("%s\n", out->str);
}

static void
merge_members (JsonObject *into,
               JsonObject *extra)
{
  g_autoptr(GList) members = extra != NULL ? json_object_get_members (extra) : NULL;

  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (into, l->data,
                            json_node_copy (json_object_get_member (extra, l->data)));
}

/**
 * vital_cli_print_signs_json:
 * @signs: a completed scan's result
 * @environment: (nullable): the key's environment, or %NULL to leave it out
 * @extra: (nullable): more members to add (e.g. the capture's), not modified
 *
 * Prints the result as JSON on stdout: the API's result with the confidence band, its
 * recommendation and where each vital falls against its typical range.
 */
void
vital_cli_print_signs_json (VitalSigns *signs,
                            const char *environment,
                            JsonObject *extra)
{
  g_autoptr(JsonNode) node = vital_signs_to_json (signs);
  JsonObject *object = json_node_get_object (node);
  VitalConfidenceBand band = vital_signs_get_confidence_band (signs);
  g_autoptr(JsonObject) ranges = json_object_new ();

  for (guint m = 0; m < VITAL_MEASURE_COUNT; m++)
    json_object_set_string_member (ranges, vital_measure_get_info (m)->key,
                                   vital_range_check_to_string (vital_signs_check_range (signs,
                                                                                         m)));
  if (environment != NULL)
    json_object_set_string_member (object, "key_environment", environment);
  json_object_set_boolean_member (object, "is_fallback", vital_signs_is_fallback (signs));
  json_object_set_string_member (object, "confidence_band",
                                 vital_confidence_band_to_string (band));
  json_object_set_string_member (object, "recommendation",
                                 vital_confidence_band_get_recommendation (band));
  json_object_set_object_member (object, "ranges", g_steal_pointer (&ranges));
  merge_members (object, extra);
  print_json_node (node);
}

/**
 * vital_cli_print_json_error:
 * @error: why the command failed
 * @extra: (nullable): more members to add (e.g. what the capture saw), not modified
 *
 * Prints `{"error": CODE, "message": ..., "retryable": ...}` on stdout: the API's error code
 * for client errors, NO_FACE or VIDEO_ERROR for the capture's, else ERROR.
 */
void
vital_cli_print_json_error (const GError *error,
                            JsonObject   *extra)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  const char *code = "ERROR";

  if (error->domain == VITAL_CLIENT_ERROR)
    code = vital_client_error_to_server_code (error->code);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    code = "CANCELLED";
  else if (g_error_matches (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_NO_FACE))
    code = "NO_FACE";
  else if (error->domain == VITAL_CAPTURE_ERROR)
    code = "VIDEO_ERROR";
  json_object_set_string_member (object, "error", code);
  json_object_set_string_member (object, "message", error->message);
  json_object_set_boolean_member (object, "retryable", vital_client_error_is_retryable (error));
  merge_members (object, extra);
  json_node_take_object (root, g_steal_pointer (&object));
  print_json_node (root);
}

/**
 * vital_cli_report_error:
 * @prog: the command's name for the message on stderr
 * @error: why the command failed
 * @json: whether to print the error JSON on stdout too
 * @extra: (nullable): more members for the error JSON, not modified
 *
 * Reports a failed command: the error JSON (with @json) and a message on stderr.
 *
 * Returns: the exit status for @error
 */
int
vital_cli_report_error (const char   *prog,
                        const GError *error,
                        gboolean      json,
                        JsonObject   *extra)
{
  if (json)
    vital_cli_print_json_error (error, extra);
  g_printerr ("%s: %s\n", prog, error->message);
  return vital_cli_exit_code_for (error);
}
