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

/* What a table row asks of its VitalErrorInfo besides the texts. */
enum
{
  RETRYABLE       = 1 << 0,  /* the same request may succeed again */
  RETRY_IF_CLIENT = 1 << 1,  /* ... when vital_client_error_is_retryable() says so */
  NO_DETAIL       = 1 << 2,  /* the error's own message adds nothing to the explanation */
  SERVER_UNUSABLE = 1 << 3,  /* the server cannot be used now (unreachable, no key, quota):
                              * besides Preferences, offer to process on this device */
  TRANSIENT       = 1 << 4,  /* a toast is enough */
};

typedef struct
{
  int               code;
  const char       *title;        /* N_(): translated when used */
  const char       *explanation;  /* N_() */
  const char       *icon_name;
  VitalErrorAction  action;
  guint             flags;
} ErrorText;

/* The errors of VITAL_CLIENT_ERROR; the last row also stands for codes not listed. */
static const ErrorText client_errors[] = {
  { VITAL_CLIENT_ERROR_MISSING_API_KEY, N_("No API key"),
    N_("Scanning with a server needs an API key. Add it in Preferences, or switch to "
       "processing on this device."),
    "dialog-password-symbolic", VITAL_ERROR_ACTION_PREFERENCES, NO_DETAIL | SERVER_UNUSABLE },
  { VITAL_CLIENT_ERROR_MALFORMED_API_KEY, N_("The API key is not valid"),
    N_("API keys start with “ck_test_” or “ck_live_”. Check the key in Preferences."),
    "dialog-password-symbolic", VITAL_ERROR_ACTION_PREFERENCES, NO_DETAIL },
  { VITAL_CLIENT_ERROR_API_KEY_REJECTED, N_("The server rejected the API key"),
    N_("The key may be mistyped or revoked. Check it in Preferences."),
    "dialog-password-symbolic", VITAL_ERROR_ACTION_PREFERENCES, 0 },
  { VITAL_CLIENT_ERROR_FORBIDDEN, N_("Access denied"),
    N_("This API key may not use that session."),
    "action-unavailable-symbolic", VITAL_ERROR_ACTION_PREFERENCES, 0 },
  { VITAL_CLIENT_ERROR_SESSION_NOT_FOUND, N_("The scan session was not found"),
    N_("The server no longer knows this session. Scan again to start a new one."),
    "edit-find-symbolic", VITAL_ERROR_ACTION_SCAN_AGAIN, RETRY_IF_CLIENT },
  { VITAL_CLIENT_ERROR_SESSION_EXPIRED, N_("The session expired"),
    N_("Sessions are only valid for a short time and this one ran out before the scan was "
       "processed. Scan again to start a new session."),
    "alarm-symbolic", VITAL_ERROR_ACTION_SCAN_AGAIN, RETRY_IF_CLIENT },
  { VITAL_CLIENT_ERROR_PROCESSING_FAILED, N_("The scan could not be processed"),
    N_("No usable pulse signal was found. Face the light, keep your face in view and hold "
       "still, then scan again."),
    "face-uncertain-symbolic", VITAL_ERROR_ACTION_SCAN_AGAIN, RETRY_IF_CLIENT },
  { VITAL_CLIENT_ERROR_RATE_LIMIT_EXCEEDED, N_("Too many scans at once"),
    N_("The server asks to slow down. Wait a moment, then retry."),
    "speedometer-symbolic", VITAL_ERROR_ACTION_RETRY, RETRYABLE },
  { VITAL_CLIENT_ERROR_QUOTA_EXCEEDED, N_("Scan quota used up"),
    N_("This API key has used all the scans of its plan for this period. Use another key in "
       "Preferences, or process scans on this device."),
    "dialog-warning-symbolic", VITAL_ERROR_ACTION_PREFERENCES, SERVER_UNUSABLE },
  { VITAL_CLIENT_ERROR_PAYLOAD_TOO_LARGE, N_("The scan is too large for the server"),
    N_("Choose a shorter scan length in Preferences and scan again."),
    "dialog-warning-symbolic", VITAL_ERROR_ACTION_PREFERENCES, 0 },
  { VITAL_CLIENT_ERROR_SERVICE_UNAVAILABLE, N_("The server is unavailable"),
    N_("The server had a problem or is down for maintenance. Retry in a moment, or process "
       "the scan on this device."),
    "network-error-symbolic", VITAL_ERROR_ACTION_RETRY, RETRYABLE | SERVER_UNUSABLE },
  { VITAL_CLIENT_ERROR_NETWORK, N_("Cannot reach the server"),
    N_("Check the network connection and the server address in Preferences, then retry, or "
       "process the scan on this device."),
    "network-offline-symbolic", VITAL_ERROR_ACTION_RETRY, RETRYABLE | SERVER_UNUSABLE },
  { VITAL_CLIENT_ERROR_TIMEOUT, N_("The server did not answer in time"),
    N_("The connection may be slow or the server busy. Retry in a moment, or process the scan "
       "on this device."),
    "network-error-symbolic", VITAL_ERROR_ACTION_RETRY, RETRYABLE | SERVER_UNUSABLE },
  { VITAL_CLIENT_ERROR_BAD_RESPONSE, N_("Unexpected answer from the server"),
    N_("The server is not a compatible session server, or it had a problem. Check the server "
       "address in Preferences."),
    "dialog-error-symbolic", VITAL_ERROR_ACTION_PREFERENCES, RETRY_IF_CLIENT },
  { VITAL_CLIENT_ERROR_INVALID_REQUEST, N_("The server refused the request"),
    N_("Check the server address in Preferences. If it is right, this is a bug in "
       "Vitalscan."),
    "dialog-error-symbolic", VITAL_ERROR_ACTION_PREFERENCES, RETRY_IF_CLIENT },
};

/* The errors of VITAL_CAPTURE_ERROR; the last row also stands for codes not listed. */
static const ErrorText capture_errors[] = {
  { VITAL_CAPTURE_ERROR_NOT_FOUND, N_("The video was not found"),
    N_("Choose the file again."),
    "video-x-generic-symbolic", VITAL_ERROR_ACTION_NONE, 0 },
  { VITAL_CAPTURE_ERROR_TOO_LARGE, N_("The video is too large"),
    N_("Videos up to 100 MB can be measured."),
    "video-x-generic-symbolic", VITAL_ERROR_ACTION_NONE, 0 },
  { VITAL_CAPTURE_ERROR_UNSUPPORTED, N_("This video format is not supported"),
    N_("Use an MP4, WebM, MOV or AVI file."),
    "video-x-generic-symbolic", VITAL_ERROR_ACTION_NONE, 0 },
  { VITAL_CAPTURE_ERROR_DECODE, N_("The video could not be decoded"),
    N_("The file may be damaged, or it needs a codec that is not installed."),
    "video-x-generic-symbolic", VITAL_ERROR_ACTION_NONE, 0 },
  { VITAL_CAPTURE_ERROR_NO_FACE, N_("No face found"),
    N_("Keep your whole face in view of the camera, in good light, for the whole scan."),
    "face-uncertain-symbolic", VITAL_ERROR_ACTION_SCAN_AGAIN, 0 },
  { VITAL_CAPTURE_ERROR_TOO_SHORT, N_("The recording is too short"),
    N_("Let the scan run to its end, or use a longer video."),
    "alarm-symbolic", VITAL_ERROR_ACTION_SCAN_AGAIN, 0 },
  { VITAL_CAPTURE_ERROR_DEVICE, N_("The camera could not be used"),
    N_("It may be in use by another application, or unplugged. Choose another camera in "
       "Preferences."),
    "camera-disabled-symbolic", VITAL_ERROR_ACTION_PREFERENCES, 0 },
  { VITAL_CAPTURE_ERROR_MISSING_PLUGIN, N_("A video component is missing"),
    N_("Install the GStreamer plugins Vitalscan needs (see the README)."),
    "dialog-error-symbolic", VITAL_ERROR_ACTION_NONE, 0 },
  { VITAL_CAPTURE_ERROR_BUSY, N_("A scan is already running"),
    N_("Wait for it to finish."),
    "content-loading-symbolic", VITAL_ERROR_ACTION_NONE, NO_DETAIL | TRANSIENT },
  /* Only the portal can change this: say where the user's answer is kept. */
  { VITAL_CAPTURE_ERROR_PERMISSION_DENIED, N_("Vitalscan may not use the camera"),
    N_("Access to the camera was refused. To allow it, open GNOME Settings, go to "
       "Apps → Vitalscan and turn on Camera, then start Vitalscan again; or run "
       "“flatpak permission-reset io.github.vitalscan.Vitalscan” to be asked again at the next "
       "start. Meanwhile you can try the demo subject."),
    "camera-disabled-symbolic", VITAL_ERROR_ACTION_USE_DEMO, NO_DETAIL },
  { VITAL_CAPTURE_ERROR_NO_CAMERA, N_("No camera found"),
    N_("Connect a camera and start Vitalscan again. Meanwhile you can try the demo subject."),
    "camera-disabled-symbolic", VITAL_ERROR_ACTION_USE_DEMO, NO_DETAIL },
  { VITAL_CAPTURE_ERROR_FAILED, N_("The capture failed"),
    N_("The scan could not be recorded."),
    "dialog-error-symbolic", VITAL_ERROR_ACTION_SCAN_AGAIN, 0 },
};

static const ErrorText cancelled = {
  G_IO_ERROR_CANCELLED, N_("Scan cancelled"), N_("The scan was cancelled."),
  "process-stop-symbolic", VITAL_ERROR_ACTION_NONE, NO_DETAIL | TRANSIENT
};

static const ErrorText unknown = {
  0, N_("Something went wrong"), N_("The scan could not be completed."),
  "dialog-error-symbolic", VITAL_ERROR_ACTION_SCAN_AGAIN, 0
};

/* What a video's errors say instead: advice about the file rather than the camera, the light or
 * holding still. */
typedef struct
{
  GQuark      (*domain) (void);
  int           code;
  const char   *title_named;   /* with the file's name; NULL: @title even when it is known */
  const char   *title;
  const char   *explanation;
  const char   *icon_name;
} VideoText;

static const VideoText video_errors[] = {
  { vital_capture_error_quark, VITAL_CAPTURE_ERROR_NO_FACE,
    /* Translators: %s is a video's file name */
    N_("No face found in “%s”"), N_("No face found in the video"),
    N_("A face must be in view, well lit and facing the camera for at least half of the "
       "video. Choose another video, or scan with the camera."),
    "face-uncertain-symbolic" },
  { vital_capture_error_quark, VITAL_CAPTURE_ERROR_TOO_SHORT,
    /* Translators: %s is a video's file name */
    N_("“%s” is too short"), N_("The video is too short"),
    N_("Use a video with a face in view for 30 seconds or more: shorter ones measure the heart "
       "rate at best."),
    "video-x-generic-symbolic" },
  { vital_capture_error_quark, VITAL_CAPTURE_ERROR_FAILED,
    /* Translators: %s is a video's file name */
    N_("“%s” could not be read"), N_("The video could not be read"),
    N_("The file may be damaged or still being written. Choose another video."),
    "video-x-generic-symbolic" },
  { vital_client_error_quark, VITAL_CLIENT_ERROR_PROCESSING_FAILED,
    NULL, N_("No pulse found in the video"),
    N_("Videos with a steady, well-lit face and little compression work best. Choose another "
       "video, or scan with the camera."),
    "face-uncertain-symbolic" },
};

/* @format is a title_named of video_errors, translated: one %s, which msgfmt --check keeps in
 * every translation; the compiler cannot see that through the table. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static char *
title_with_name (const char *format,
                 const char *name)
{
  return g_strdup_printf (format, name);
}
#pragma GCC diagnostic pop

/* The row of @code, else the table's last row. */
static const ErrorText *
lookup (const ErrorText *table,
        gsize            n_rows,
        int              code)
{
  for (gsize i = 0; i < n_rows; i++)
    if (table[i].code == code)
      return &table[i];
  return &table[n_rows - 1];
}

static VitalErrorInfo *
info_from_text (const ErrorText *text,
                const GError    *error)
{
  VitalErrorInfo *info;
  gboolean retryable = (text->flags & RETRYABLE) != 0 ||
                       ((text->flags & RETRY_IF_CLIENT) != 0 &&
                        vital_client_error_is_retryable (error));

  info = info_new (_(text->title), _(text->explanation),
                   (text->flags & NO_DETAIL) ? NULL : error->message,
                   text->icon_name, text->action, retryable);
  info->transient = (text->flags & TRANSIENT) != 0;
  if (text->flags & SERVER_UNUSABLE)
    {
      info->preferences = TRUE;
      info->process_locally = TRUE;
    }
  return info;
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
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == VITAL_CLIENT_ERROR)
    return info_from_text (lookup (client_errors, G_N_ELEMENTS (client_errors), error->code),
                           error);
  if (error->domain == VITAL_CAPTURE_ERROR)
    return info_from_text (lookup (capture_errors, G_N_ELEMENTS (capture_errors), error->code),
                           error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return info_from_text (&cancelled, error);
  /* a server out of reach, however GIO says it, reads as the client's network error */
  if (error->domain == G_RESOLVER_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return info_from_text (lookup (client_errors, G_N_ELEMENTS (client_errors),
                                   VITAL_CLIENT_ERROR_NETWORK), error);
  return info_from_text (&unknown, error);
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
  const VideoText *text = NULL;

  g_return_val_if_fail (error != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (video_errors) && text == NULL; i++)
    if (g_error_matches (error, video_errors[i].domain (), video_errors[i].code))
      text = &video_errors[i];
  if (text == NULL)
    return vital_error_info_new (error);

  if (video_name != NULL && text->title_named != NULL)
    title = title_with_name (_(text->title_named), video_name);
  else
    title = g_strdup (_(text->title));
  return info_new (title, _(text->explanation), error->message, text->icon_name,
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
