/* vital-client-error.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The VITAL_CLIENT_ERROR domain: mapping server error codes and HTTP statuses to client codes.
 */
#include "vital-client-error.h"

G_DEFINE_QUARK (vital-client-error-quark, vital_client_error)

static const struct
{
  const char       *name;
  VitalClientError  code;
} server_codes[] = {
  { "INVALID_REQUEST", VITAL_CLIENT_ERROR_INVALID_REQUEST },
  { "API_KEY_INVALID", VITAL_CLIENT_ERROR_API_KEY_REJECTED },
  { "FORBIDDEN", VITAL_CLIENT_ERROR_FORBIDDEN },
  { "SESSION_NOT_FOUND", VITAL_CLIENT_ERROR_SESSION_NOT_FOUND },
  { "SESSION_EXPIRED", VITAL_CLIENT_ERROR_SESSION_EXPIRED },
  { "PROCESSING_FAILED", VITAL_CLIENT_ERROR_PROCESSING_FAILED },
  { "RATE_LIMIT_EXCEEDED", VITAL_CLIENT_ERROR_RATE_LIMIT_EXCEEDED },
  { "QUOTA_EXCEEDED", VITAL_CLIENT_ERROR_QUOTA_EXCEEDED },
  { "PAYLOAD_TOO_LARGE", VITAL_CLIENT_ERROR_PAYLOAD_TOO_LARGE },
  { "SERVICE_UNAVAILABLE", VITAL_CLIENT_ERROR_SERVICE_UNAVAILABLE },
  { "INTERNAL", VITAL_CLIENT_ERROR_SERVICE_UNAVAILABLE },
  { "INTERNAL_ERROR", VITAL_CLIENT_ERROR_SERVICE_UNAVAILABLE },
  { "MISSING_API_KEY", VITAL_CLIENT_ERROR_MISSING_API_KEY },
  { "MALFORMED_API_KEY", VITAL_CLIENT_ERROR_MALFORMED_API_KEY },
  { "NETWORK", VITAL_CLIENT_ERROR_NETWORK },
  { "TIMEOUT", VITAL_CLIENT_ERROR_TIMEOUT },
  { "BAD_RESPONSE", VITAL_CLIENT_ERROR_BAD_RESPONSE },
};

/**
 * vital_client_error_from_server_code:
 * @code: (nullable): the `error` field of a server error body
 * @http_status: the HTTP status of the response
 *
 * Maps a server error to a client code. A known @code wins; otherwise the HTTP status decides
 * (any 4xx not listed maps to %VITAL_CLIENT_ERROR_INVALID_REQUEST, any 5xx to
 * %VITAL_CLIENT_ERROR_SERVICE_UNAVAILABLE; a 429 without a code is a rate limit).
 *
 * Returns: the client error code
 */
VitalClientError
vital_client_error_from_server_code (const char *code,
                                     guint       http_status)
{
  if (code != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (server_codes); i++)
        {
          /* Client-side codes are never taken from a server body. */
          if (server_codes[i].code == VITAL_CLIENT_ERROR_MISSING_API_KEY ||
              server_codes[i].code == VITAL_CLIENT_ERROR_MALFORMED_API_KEY)
            continue;
          if (g_strcmp0 (code, server_codes[i].name) == 0)
            return server_codes[i].code;
        }
    }

  switch (http_status)
    {
    case 401:
      return VITAL_CLIENT_ERROR_API_KEY_REJECTED;
    case 403:
      return VITAL_CLIENT_ERROR_FORBIDDEN;
    case 404:
      return VITAL_CLIENT_ERROR_SESSION_NOT_FOUND;
    case 408:
      return VITAL_CLIENT_ERROR_TIMEOUT;
    case 410:
      return VITAL_CLIENT_ERROR_SESSION_EXPIRED;
    case 413:
      return VITAL_CLIENT_ERROR_PAYLOAD_TOO_LARGE;
    case 422:
      return VITAL_CLIENT_ERROR_PROCESSING_FAILED;
    case 429:
      return VITAL_CLIENT_ERROR_RATE_LIMIT_EXCEEDED;
    default:
      break;
    }

  if (http_status >= 500 && http_status < 600)
    return VITAL_CLIENT_ERROR_SERVICE_UNAVAILABLE;
  if (http_status >= 400 && http_status < 500)
    return VITAL_CLIENT_ERROR_INVALID_REQUEST;

  return VITAL_CLIENT_ERROR_BAD_RESPONSE;
}

/**
 * vital_client_error_to_server_code:
 * @code: a client error code
 *
 * Returns: (transfer none): the canonical upper-case name of @code (as used in server bodies and
 *   in the CLI's JSON output), e.g. `"QUOTA_EXCEEDED"`
 */
const char *
vital_client_error_to_server_code (VitalClientError code)
{
  for (guint i = 0; i < G_N_ELEMENTS (server_codes); i++)
    if (server_codes[i].code == code)
      return server_codes[i].name;
  return "UNKNOWN";
}

/**
 * vital_client_error_is_retryable:
 * @error: (nullable): an error from a #VitalClient operation
 *
 * Whether trying the same operation again later may succeed: transport failures, timeouts,
 * server failures and rate limits. Authentication, validation, quota, expiry, processing
 * failures, malformed answers and cancellation are not retryable.
 *
 * Returns: %TRUE if @error is a retryable %VITAL_CLIENT_ERROR
 */
gboolean
vital_client_error_is_retryable (const GError *error)
{
  if (error == NULL || error->domain != VITAL_CLIENT_ERROR)
    return FALSE;

  switch ((VitalClientError) error->code)
    {
    case VITAL_CLIENT_ERROR_NETWORK:
    case VITAL_CLIENT_ERROR_TIMEOUT:
    case VITAL_CLIENT_ERROR_SERVICE_UNAVAILABLE:
    case VITAL_CLIENT_ERROR_RATE_LIMIT_EXCEEDED:
      return TRUE;

    case VITAL_CLIENT_ERROR_MISSING_API_KEY:
    case VITAL_CLIENT_ERROR_MALFORMED_API_KEY:
    case VITAL_CLIENT_ERROR_INVALID_REQUEST:
    case VITAL_CLIENT_ERROR_API_KEY_REJECTED:
    case VITAL_CLIENT_ERROR_FORBIDDEN:
    case VITAL_CLIENT_ERROR_SESSION_NOT_FOUND:
    case VITAL_CLIENT_ERROR_SESSION_EXPIRED:
    case VITAL_CLIENT_ERROR_PROCESSING_FAILED:
    case VITAL_CLIENT_ERROR_QUOTA_EXCEEDED:
    case VITAL_CLIENT_ERROR_PAYLOAD_TOO_LARGE:
    case VITAL_CLIENT_ERROR_BAD_RESPONSE:
    default:
      return FALSE;
    }
}
