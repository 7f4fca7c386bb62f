/* vital-error-info.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalErrorInfo: turns any GError the app meets into a message a person can act on. Client
 * errors keep the server's message unchanged, after our explanation. What to do differs for a
 * camera scan and a video file: the advice follows where the scan came from.
 */
#include "vital-config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "vital-capture.h"
#include "vital-client-error.h"
#include "vital-error-info.h"

static VitalErrorInfo *
info_new (const char       *title,
          const char       *explanation,
          const char       *detail,
          const char       *icon_name,
          VitalErrorAction  action,
          gboolean          retryable)
{
  VitalErrorInfo *info = g_new0 (VitalErrorInfo, 1);

  info->title = g_strdup (title);
  if (detail != NULL && *detail != '\0' && g_strcmp0 (detail, explanation) != 0)
    /* Translators: an explanation followed by the server's own message */
    info->description = g_strdup_printf (_("%s\n\nDetails: %s"), explanation, detail);
  else
    info->description = g_strdup (explanation);
  info->icon_name = icon_name;
  info->action = action;
  info->retryable = retryable;
  info->preferences = action == VITAL_ERROR_ACTION_PREFERENCES;
  return info;
}

/* The server cannot be used now (unreachable, no key, quota): besides Preferences, offer to
 * process on this device. */
static VitalErrorInfo *
server_unusable (VitalErrorInfo *info)
{
  info->preferences = TRUE;
  info->process_locally = TRUE;
  return info;
}

static VitalErrorInfo *
client_error_info (const GError *error)
{
  const char *msg = error->message;
  gboolean retry = vital_client_error_is_retryable (error);
  VitalErrorInfo *info;

  switch ((VitalClientError) error->code)
    {
    case VITAL_CLIENT_ERROR_MISSING_API_KEY:
      info = info_new (_("No API key"),
                       _("Scanning with a server needs an API key. Add it in Preferences, or "
                         "switch to processing on this device."),
                       NULL, "dialog-password-symbolic", VITAL_ERROR_ACTION_PREFERENCES, FALSE);
      return server_unusable (info);
    case VITAL_CLIENT_ERROR_MALFORMED_API_KEY:
      return info_new (_("The API key is not valid"),
                       _("API keys start with “ck_test_” or “ck_live_”. Check the key in "
                         "Preferences."),
                       NULL, "dialog-password-symbolic", VITAL_ERROR_ACTION_PREFERENCES, FALSE);
    case VITAL_CLIENT_ERROR_API_KEY_REJECTED:
      return info_new (_("The server rejected the API key"),
                       _("The key may be mistyped or revoked. Check it in Preferences."),
                       msg, "dialog-password-symbolic", VITAL_ERROR_ACTION_PREFERENCES, FALSE);
    case VITAL_CLIENT_ERROR_FORBIDDEN:
      return info_new (_("Access denied"),
                       _("This API key may not use that session."),
                       msg, "action-unavailable-symbolic", VITAL_ERROR_ACTION_PREFERENCES, FALSE);
    case VITAL_CLIENT_ERROR_SESSION_NOT_FOUND:
      return info_new (_("The scan session was not found"),
                       _("The server no longer knows this session. Scan again to start a new "
                         "one."),
                       msg, "edit-find-symbolic", VITAL_ERROR_ACTION_SCAN_AGAIN, retry);
    case VITAL_CLIENT_ERROR_SESSION_EXPIRED:
      return info_new (_("The session expired"),
                       _("Sessions are only valid for a short time and this one ran out before "
                         "the scan was processed. Scan again to start a new session."),
                       msg, "alarm-symbolic", VITAL_ERROR_ACTION_SCAN_AGAIN, retry);
    case VITAL_CLIENT_ERROR_PROCESSING_FAILED:
      return info_new (_("The scan could not be processed"),
                       _("No usable pulse signal was found. Face the light, keep your face in "
                         "view and hold still, then scan again."),
                       msg, "face-uncertain-symbolic", VITAL_ERROR_ACTION_SCAN_AGAIN, retry);
    case VITAL_CLIENT_ERROR_RATE_LIMIT_EXCEEDED:
      return info_new (_("Too many scans at once"),
                       _("The server asks to slow down. Wait a moment, then retry."),
                       msg, "speedometer-symbolic", VITAL_ERROR_ACTION_RETRY, TRUE);
    case VITAL_CLIENT_ERROR_QUOTA_EXCEEDED:
      info = info_new (_("Scan quota used up"),
                       _("This API key has used all the scans of its plan for this period. "
                         "Use another key in Preferences, or process scans on this device."),
                       msg, "dialog-warning-symbolic", VITAL_ERROR_ACTION_PREFERENCES, FALSE);
      return server_unusable (info);
    case VITAL_CLIENT_ERROR_PAYLOAD_TOO_LARGE:
      return info_new (_("The scan is too large for the server"),
                       _("Choose a shorter scan length in Preferences and scan again."),
                       msg, "dialog-warning-symbolic", VITAL_ERROR_ACTION_PREFERENCES, FALSE);
    case VITAL_CLIENT_ERROR_SERVICE_UNAVAILABLE:
      info = info_new (_("The server is unavailable"),
                       _("The server had a problem or is down for maintenance. Retry in a "
                         "moment, or process the scan on this device."),
                       msg, "network-error-symbolic", VITAL_ERROR_ACTION_RETRY, TRUE);
      return server_unusable (info);
    case VITAL_CLIENT_ERROR_NETWORK:
      info = info_new (_("Cannot reach the server"),
                       _("Check the network connection and the server address in Preferences, "
                         "then retry, or process the scan on this device."),
                       msg, "network-offline-symbolic", VITAL_ERROR_ACTION_RETRY, TRUE);
      return server_unusable (info);
    case VITAL_CLIENT_ERROR_TIMEOUT:
      info = info_new (_("The server did not answer in time"),
                       _("The connection may be slow or the server busy. Retry in a moment, "
                         "or process the scan on this device."),
                       msg, "network-error-symbolic", VITAL_ERROR_ACTION_RETRY, TRUE);
      return server_unusable (info);
    case VITAL_CLIENT_ERROR_BAD_RESPONSE:
      return info_new (_("Unexpected answer from the server"),
                       _("The server is not a compatible session server, or it had a problem. "
                         "Check the server address in Preferences."),
                       msg, "dialog-error-symbolic", VITAL_ERROR_ACTION_PREFERENCES, retry);
    case VITAL_CLIENT_ERROR_INVALID_REQUEST:
    default:
      return info_new (_("The server refused the request"),
                       _("Check the server address in Preferences. If it is right, this is a "
                         "bug in Vitalscan."),
                       msg, "dialog-error-symbolic", VITAL_ERROR_ACTION_PREFERENCES, retry);
    }
}

static VitalErrorInfo *
capture_error_info (const GError *error)
{
  const char *msg = error->message;
  VitalErrorInfo *info;

  switch ((VitalCaptureError) error->code)
    {
    case VITAL_CAPTURE_ERROR_NOT_FOUND:
      return info_new (_("The video was not found"), _("Choose the file again."), msg,
                       "video-x-generic-symbolic", VITAL_ERROR_ACTION_NONE, FALSE);
    case VITAL_CAPTURE_ERROR_TOO_LARGE:
      return info_new (_("The video is too large"), _("Videos up to 100 MB can be measured."),
                       msg, "video-x-generic-symbolic", VITAL_ERROR_ACTION_NONE, FALSE);
    case VITAL_CAPTURE_ERROR_UNSUPPORTED:
      return info_new (_("This video format is not supported"),
                       _("Use an MP4, WebM, MOV or AVI file."), msg,
                       "video-x-generic-symbolic", VITAL_ERROR_ACTION_NONE, FALSE);
    case VITAL_CAPTURE_ERROR_DECODE:
      return info_new (_("The video could not be decoded"),
                       _("The file may be damaged, or it needs a codec that is not installed."),
                       msg, "video-x-generic-symbolic", VITAL_ERROR_ACTION_NONE, FALSE);
    case VITAL_CAPTURE_ERROR_NO_FACE:
      return info_new (_("No face found"),
                       _("Keep your whole face in view of the camera, in good light, for the "
                         "whole scan."),
                       msg, "face-uncertain-symbolic", VITAL_ERROR_ACTION_SCAN_AGAIN, FALSE);
    case VITAL_CAPTURE_ERROR_TOO_SHORT:
      return info_new (_("The recording is too short"),
                       _("Let the scan run to its end, or use a longer video."), msg,
                       "alarm-symbolic", VITAL_ERROR_ACTION_SCAN_AGAIN, FALSE);
    case VITAL_CAPTURE_ERROR_DEVICE:
      return info_new (_("The camera could not be used"),
                       _("It may be in use by another application, or unplugged. Choose "
                         "another camera in Preferences."),
                       msg, "camera-disabled-symbolic", VITAL_ERROR_ACTION_PREFERENCES, FALSE);
    case VITAL_CAPTURE_ERROR_MISSING_PLUGIN:
      return info_new (_("A video component is missing"),
                       _("Install the GStreamer plugins Vitalscan needs (see the README)."),
                       msg, "dialog-error-symbolic", VITAL_ERROR_ACTION_NONE, FALSE);
    case VITAL_CAPTURE_ERROR_BUSY:
      info = info_new (_("A scan is already running"), _("Wait for it to finish."), NULL,
                       "content-loading-symbolic", VITAL_ERROR_ACTION_NONE, FALSE);
      info->transient = TRUE;
      return info;
    case VITAL_CAPTURE_ERROR_FAILED:
    default:
      return info_new (_("The capture failed"), _("The scan could not be recorded."), msg,
                       "dialog-error-symbolic", VITAL_ERROR_ACTION_SCAN_AGAIN, FALSE);
    }
}

/**
 * vital_error_info_new:
 * @error: any error the app met
 *
 * Describes @error for a person: a headline, an explanation with what to do (and the server's
 * message unchanged, when it sent one), whether Retry makes sense and which action to offer.
 *
 * Returns: (transfer full): the description; free with vital_error_info_free()
 */
VitalErrorInfo *
vital_error_info_new (const GError *error)
{
  VitalErrorInfo *info;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == VITAL_CLIENT_ERROR)
    return client_error_info (error);
  if (error->domain == VITAL_CAPTURE_ERROR)
    return capture_error_info (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      info = info_new (_("Scan cancelled"), _("The scan was cancelled."), NULL,
                       "process-stop-symbolic", VITAL_ERROR_ACTION_NONE, FALSE);
      info->transient = TRUE;
      return info;
    }

  if (error->domain == G_RESOLVER_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      info = info_new (_("Cannot reach the server"),
                       _("Check the network connection and the server address in Preferences, "
                         "then retry, or process the scan on this device."),
                       error->message, "network-offline-symbolic", VITAL_ERROR_ACTION_RETRY,
                       TRUE);
      return server_unusable (info);
    }

  return info_new (_("Something went wrong"), _("The scan could not be completed."),
                   error->message, "dialog-error-symbolic", VITAL_ERROR_ACTION_SCAN_AGAIN, FALSE);
}

/**
 * vital_error_info_new_for_video:
 * @error: an error met while measuring a video file
 * @video_name: (nullable): the file's name, for display
 *
 * Like vital_error_info_new(), with advice about the file where a camera scan would get advice
 * about the camera, the light or holding still.
 *
 * Returns: (transfer full): the description; free with vital_error_info_free()
 */
VitalErrorInfo *
vital_error_info_new_for_video (const GError *error,
                                const char   *video_name)
{
  g_autofree char *title = NULL;
  const char *explanation;
  const char *icon_name = "video-x-generic-symbolic";

  g_return_val_if_fail (error != NULL, NULL);

  if (g_error_matches (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_NO_FACE))
    {
      title = video_name
        /* Translators: %s is a video's file name */
        ? g_strdup_printf (_("No face found in “%s”"), video_name)
        : g_strdup (_("No face found in the video"));
      explanation = _("A face must be in view, well lit and facing the camera for at least half "
                      "of the video. Choose another video, or scan with the camera.");
      icon_name = "face-uncertain-symbolic";
    }
  else if (g_error_matches (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_TOO_SHORT))
    {
      title = video_name
        /* Translators: %s is a video's file name */
        ? g_strdup_printf (_("“%s” is too short"), video_name)
        : g_strdup (_("The video is too short"));
      explanation = _("Use a video with a face in view for 30 seconds or more: shorter ones "
                      "measure the heart rate at best.");
    }
  else if (g_error_matches (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_FAILED))
    {
      title = video_name
        /* Translators: %s is a video's file name */
        ? g_strdup_printf (_("“%s” could not be read"), video_name)
        : g_strdup (_("The video could not be read"));
      explanation = _("The file may be damaged or still being written. Choose another video.");
    }
  else if (g_error_matches (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_PROCESSING_FAILED))
    {
      title = g_strdup (_("No pulse found in the video"));
      explanation = _("Videos with a steady, well-lit face and little compression work best. "
                      "Choose another video, or scan with the camera.");
      icon_name = "face-uncertain-symbolic";
    }
  else
    return vital_error_info_new (error);

  return info_new (title, explanation, error->message, icon_name,
                   VITAL_ERROR_ACTION_SCAN_AGAIN, FALSE);
}

/**
 * vital_error_info_free:
 * @info: (transfer full) (nullable): a #VitalErrorInfo
 *
 * Frees @info.
 */
void
vital_error_info_free (VitalErrorInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->title);
  g_free (info->description);
  g_free (info);
}
