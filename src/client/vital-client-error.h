/* vital-client-error.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The VITAL_CLIENT_ERROR domain: every error the session API client can report.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VITAL_CLIENT_ERROR (vital_client_error_quark ())

/**
 * VitalClientError:
 * @VITAL_CLIENT_ERROR_MISSING_API_KEY: no API key was configured (checked before any request)
 * @VITAL_CLIENT_ERROR_MALFORMED_API_KEY: the key is not of the form `ck_test_…` / `ck_live_…`
 *   (checked before any request)
 * @VITAL_CLIENT_ERROR_INVALID_REQUEST: the server rejected the request (400, 405, 415) or the
 *   request could not be built (bad server URL, bad arguments)
 * @VITAL_CLIENT_ERROR_API_KEY_REJECTED: the server rejected the key (401)
 * @VITAL_CLIENT_ERROR_FORBIDDEN: the session belongs to another key (403)
 * @VITAL_CLIENT_ERROR_SESSION_NOT_FOUND: no such session (404)
 * @VITAL_CLIENT_ERROR_SESSION_EXPIRED: the session passed its expiry (410, or status `expired`)
 * @VITAL_CLIENT_ERROR_PROCESSING_FAILED: the payload could not be processed (422, or status
 *   `failed`)
 * @VITAL_CLIENT_ERROR_RATE_LIMIT_EXCEEDED: too many requests (429, retryable)
 * @VITAL_CLIENT_ERROR_QUOTA_EXCEEDED: the key's monthly scans are used up (429, not retryable)
 * @VITAL_CLIENT_ERROR_PAYLOAD_TOO_LARGE: the payload is over the server's limit (413)
 * @VITAL_CLIENT_ERROR_SERVICE_UNAVAILABLE: the server failed or is unavailable (5xx)
 * @VITAL_CLIENT_ERROR_NETWORK: the server could not be reached or the connection broke
 * @VITAL_CLIENT_ERROR_TIMEOUT: the server did not answer in time, or a result did not arrive
 *   before the polling deadline
 * @VITAL_CLIENT_ERROR_BAD_RESPONSE: the server's answer is not what the API promises
 *   (malformed or truncated JSON, HTML, wrong types, missing fields)
 *
 * Error codes of the %VITAL_CLIENT_ERROR domain. A cancelled call fails with
 * %G_IO_ERROR_CANCELLED, as every GIO operation does. When the server sent an error body, the
 * #GError message is the server's `message` text, unchanged.
 */
typedef enum
{
  VITAL_CLIENT_ERROR_MISSING_API_KEY,
  VITAL_CLIENT_ERROR_MALFORMED_API_KEY,
  VITAL_CLIENT_ERROR_INVALID_REQUEST,
  VITAL_CLIENT_ERROR_API_KEY_REJECTED,
  VITAL_CLIENT_ERROR_FORBIDDEN,
  VITAL_CLIENT_ERROR_SESSION_NOT_FOUND,
  VITAL_CLIENT_ERROR_SESSION_EXPIRED,
  VITAL_CLIENT_ERROR_PROCESSING_FAILED,
  VITAL_CLIENT_ERROR_RATE_LIMIT_EXCEEDED,
  VITAL_CLIENT_ERROR_QUOTA_EXCEEDED,
  VITAL_CLIENT_ERROR_PAYLOAD_TOO_LARGE,
  VITAL_CLIENT_ERROR_SERVICE_UNAVAILABLE,
  VITAL_CLIENT_ERROR_NETWORK,
  VITAL_CLIENT_ERROR_TIMEOUT,
  VITAL_CLIENT_ERROR_BAD_RESPONSE,
} VitalClientError;

GQuark             vital_client_error_quark             (void);
gboolean           vital_client_error_is_retryable      (const GError *error);
VitalClientError   vital_client_error_from_server_code  (const char   *code,
                                                         guint         http_status);
const char        *vital_client_error_to_server_code    (VitalClientError code);

G_END_DECLS
