/* vital-v1-decode.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The "video" payload kind, as the server's processor sees it: the decoder that turns a /v1
 * session's spooled video into the tensor the engine measures (the capture code: face, regions,
 * packing), and the words a failed /v1 session gives. The server never links capture: this
 * dialect, built after both, registers them (vital_server_register_payload_decoder()).
 */
#include "vital-config.h"

#include "vital-capture.h"
#include "vital-v1-private.h"

/* Worker thread: the video as the CLI would scan it, face regions, whole length. */
static VitalTensor *
decode_video (const char  *payload_path,
              gpointer     user_data,
              GError     **error)
{
  g_autoptr(GBytes) payload = NULL;

  payload = vital_capture_process_file (payload_path, VITAL_ROI_FACE, 0, NULL, NULL, error);
  if (payload == NULL)
    return NULL;
  return vital_tensor_decode (payload, NULL, error);
}

/* What a failed session says: the engine's and the capture's own words for what went wrong
 * with the measurement, never a server path or an internal decoder message. */
static const char *
describe_failure (const GError *error,
                  gpointer      user_data)
{
  if (g_error_matches (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_NO_FACE)
      || g_error_matches (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_NO_SKIN))
    return "No face detected in video";
  if (error->domain == VITAL_ENGINE_ERROR)
    return error->message;
  if (g_error_matches (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_TOO_SHORT))
    return "The video is too short to measure";
  if (error->domain == VITAL_CAPTURE_ERROR)
    return "The video could not be decoded (unsupported codec, or a damaged file)";
  return "The video could not be processed";
}

/**
 * vital_v1_decode_register:
 * @server: a #VitalServer that is not listening yet
 *
 * Lets @server process sessions of %VITAL_V1_PAYLOAD_KIND.
 */
void
vital_v1_decode_register (VitalServer *server)
{
  static const VitalPayloadDecoder video = { decode_video, describe_failure };

  vital_server_register_payload_decoder (server, VITAL_V1_PAYLOAD_KIND, &video, NULL, NULL);
}
