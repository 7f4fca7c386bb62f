/* vital-cli-analyze.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `analyze` command of vitalscan-cli: a video file through the capture (face tracking or
 * full frame), the encoded payload through one full session (embedded server by default),
 * and the result printed with the capture's frame count, frame rate and face coverage.
 */
#include "vital-config.h"

#include <math.h>
#include <stdio.h>

#include "vital-capture.h"
#include "vital-cli.h"
#include "vital-cli-output.h"
#include "vital-cli-session.h"
#include "vital-client.h"
#include "vital-server.h"

#define PROG "vitalscan-cli analyze"

static const char description[] =
  "Reads a video FILE (MP4, WebM, MOV, AVI; at most 100 MB) as fast as possible, finds and\n"
  "tracks the face, packs the skin regions into a payload and runs one full session for it.\n"
  "\n"
  "--roi frame skips face detection and uses the whole frame as skin (for pre-cropped skin\n"
  "videos). Without --server the session runs on an embedded local server (offline).\n"
  "\n"
  "Exit status:\n"
  "  0  the scan completed\n"
  "  1  any other error (missing, unreadable or undecodable file, cancelled)\n"
  "  2  usage error\n"
  "  3  network: server unreachable, timeout, server failure, rate limit\n"
  "  4  authentication: missing, malformed or rejected key, quota exceeded\n"
  "  5  the measurement failed: no face in the video, too short, no pulse";

/* What the capture saw, as JSON members (NULL when it saw no frame). */
static JsonObject *
capture_members (const VitalScanInfo *info,
                 VitalRoiMode roi)
{
  JsonObject *object;

  if (info == NULL || info->source_frames == 0)
    return NULL;
  object = json_object_new ();
  json_object_set_int_member (object, "frame_count", info->frames);
  json_object_set_double_member (object, "frame_rate", info->frame_rate);
  json_object_set_double_member (object, "duration_s", info->duration_s);
  json_object_set_int_member (object, "source_frame_count", info->source_frames);
  json_object_set_double_member (object, "source_frame_rate", info->source_frame_rate);
  json_object_set_double_member (object, "face_coverage", info->face_coverage);
  json_object_set_string_member (object, "roi", roi == VITAL_ROI_FACE ? "face" : "frame");
  return object;
}

static void
print_table (VitalSigns *signs,
             const VitalScanInfo *info,
             VitalRoiMode roi)
{
  g_print ("%-18s %u frames at %.0f fps (%.1f s; source %u frames at %.2f fps)\n", "Capture",
           info->frames, info->frame_rate, info->duration_s, info->source_frames,
           info->source_frame_rate);
  if (roi == VITAL_ROI_FACE)
    g_print ("%-18s %.0f %% of frames\n", "Face coverage", info->face_coverage * 100.0);
  else
    g_print ("%-18s full frame (--roi frame)\n", "Skin region");
  vital_cli_print_signs (signs, NULL);
}

static void
print_json (VitalSigns *signs,
            const VitalScanInfo *info,
            VitalRoiMode roi)
{
  g_autoptr(JsonObject) extra = capture_members (info, roi);

  vital_cli_print_signs_json (signs, NULL, extra);
}

/**
 * vital_cli_analyze:
 * @argc: argument count, argv[0] being the command name
 * @argv: (array length=argc): the arguments
 *
 * `vitalscan-cli analyze [--roi face|frame] [--duration S] [--server URL --api-key KEY]
 * [--json] VIDEO`.
 *
 * Returns: the exit status (see the command's --help)
 */
int
vital_cli_analyze (int argc,
                   char **argv)
{
  g_autofree char *roi_text = NULL;
  g_autofree char *payload_path = NULL;
  double duration_s = 0.0;
  g_auto(VitalCliSession) session = { 0 };
  GOptionEntry entries[] = {
    { "roi", 'r', 0, G_OPTION_ARG_STRING, &roi_text,
      "Skin region: face (track the face, default) or frame (the whole frame)", "face|frame" },
    { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &duration_s,
      "Analyse only the first S seconds (default: the whole video, up to 180 s)", "S" },
    VITAL_CLI_SESSION_OPTIONS (&session),
    { "save-payload", 'o', 0, G_OPTION_ARG_FILENAME, &payload_path,
      "Also write the captured payload to FILE (for scan-tensor and inspect)", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("VIDEO — measure a video file");
  g_autoptr(VitalSigns) signs = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GError) error = NULL;
  VitalRoiMode roi = VITAL_ROI_FACE;
  VitalScanInfo info = { 0 };
  int status;

  if (!vital_cli_parse_command_line (context, entries, description, PROG,
                                     "one video file (see --help)", &argc, &argv))
    return VITAL_CLI_EXIT_USAGE;
  if (roi_text != NULL && g_str_equal (roi_text, "frame"))
    roi = VITAL_ROI_FULL_FRAME;
  else if (roi_text != NULL && !g_str_equal (roi_text, "face"))
    {
      g_printerr (PROG ": --roi must be face or frame\n");
      return VITAL_CLI_EXIT_USAGE;
    }
  if (!(duration_s >= 0 && duration_s <= VITAL_TENSOR_MAX_FRAMES / VITAL_CAPTURE_FRAME_RATE))
    {
      g_printerr (PROG ": --duration must be 0–180 seconds\n");
      return VITAL_CLI_EXIT_USAGE;
    }

  if (session.server_url != NULL
      && !vital_cli_connect (&session, PROG, &status))
    return status;

  vital_cli_session_catch_sigint (&session);

  /* The capture runs its own main context on this thread until the payload is ready. */
  payload = vital_capture_process_file (argv[1], roi, duration_s, session.cancellable, &info,
                                        &error);
  if (payload == NULL)
    {
      g_autoptr(JsonObject) extra = capture_members (&info, roi);

      return vital_cli_report_error (PROG, error, session.json, extra);
    }

  if (payload_path != NULL && !g_file_set_contents (payload_path, g_bytes_get_data (payload, NULL),
                                                     g_bytes_get_size (payload), &error))
    {
      g_printerr (PROG ": cannot save the payload: %s\n", error->message);
      return VITAL_CLI_EXIT_FAILURE;
    }

  if (session.client == NULL
      && !vital_cli_connect_embedded (&session, PROG, VITAL_KEY_ENV_LIVE))
    return VITAL_CLI_EXIT_FAILURE;

  signs = vital_cli_session_scan (&session, payload, NULL, &error);
  if (signs == NULL)
    {
      g_autoptr(JsonObject) extra = capture_members (&info, roi);

      return vital_cli_report_error (PROG, error, session.json, extra);
    }

  if (session.json)
    print_json (signs, &info, roi);
  else
    print_table (signs, &info, roi);
  return VITAL_CLI_EXIT_OK;
}
