/* vital-server-error.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The VITAL_SERVER_ERROR domain and its mapping table.
 */
#include "vital-server-error.h"

G_DEFINE_QUARK (vital-server-error-quark, vital_server_error)

typedef struct
{
  guint       status;
  const char *wire;
  gboolean    retryable;
} ErrorInfo;

static const ErrorInfo error_table[] = {
  [VITAL_SERVER_ERROR_INVALID_REQUEST] = { 400, "INVALID_REQUEST", FALSE },
  [VITAL_SERVER_ERROR_API_KEY_INVALID] = { 401, "API_KEY_INVALID", FALSE },
  [VITAL_SERVER_ERROR_FORBIDDEN] = { 403, "FORBIDDEN", FALSE },
  [VITAL_SERVER_ERROR_SESSION_NOT_FOUND] = { 404, "SESSION_NOT_FOUND", FALSE },
  [VITAL_SERVER_ERROR_NOT_FOUND] = { 404, "INVALID_REQUEST", FALSE },
  [VITAL_SERVER_ERROR_METHOD_NOT_ALLOWED] = { 405, "INVALID_REQUEST", FALSE },
  [VITAL_SERVER_ERROR_ILLEGAL_TRANSITION] = { 409, "INVALID_REQUEST", FALSE },
  [VITAL_SERVER_ERROR_SESSION_EXPIRED] = { 410, "SESSION_EXPIRED", FALSE },
  [VITAL_SERVER_ERROR_LENGTH_REQUIRED] = { 411, "INVALID_REQUEST", FALSE },
  [VITAL_SERVER_ERROR_PAYLOAD_TOO_LARGE] = { 413, "PAYLOAD_TOO_LARGE", FALSE },
  [VITAL_SERVER_ERROR_UNSUPPORTED_MEDIA_TYPE] = { 415, "INVALID_REQUEST", FALSE },
  [VITAL_SERVER_ERROR_PROCESSING_FAILED] = { 422, "PROCESSING_FAILED", FALSE },
  [VITAL_SERVER_ERROR_RATE_LIMIT_EXCEEDED] = { 429, "RATE_LIMIT_EXCEEDED", TRUE },
  [VITAL_SERVER_ERROR_QUOTA_EXCEEDED] = { 429, "QUOTA_EXCEEDED", FALSE },
  [VITAL_SERVER_ERROR_INTERNAL] = { 500, "INTERNAL", TRUE },
  [VITAL_SERVER_ERROR_SERVICE_UNAVAILABLE] = { 503, "SERVICE_UNAVAILABLE", TRUE },
  [VITAL_SERVER_ERROR_CONFIG] = { 500, "INTERNAL", FALSE },
};

static const ErrorInfo *
lookup (VitalServerError code)
{
  if ((guint) code >= G_N_ELEMENTS (error_table))
    return &error_table[VITAL_SERVER_ERROR_INTERNAL];
  return &error_table[code];
}

/**
 * vital_server_error_http_status:
 * @code: a #VitalServerError
 *
 * Returns: the HTTP status the server answers with for @code
 */
guint
vital_server_error_http_status (VitalServerError code)
{
  return lookup (code)->status;
}

/**
 * vital_server_error_wire_code:
 * @code: a #VitalServerError
 *
 * Returns: (transfer none): the `error` string of the JSON error body, e.g. "SESSION_EXPIRED"
 */
const char *
vital_server_error_wire_code (VitalServerError code)
{
  return lookup (code)->wire;
}

/**
 * vital_server_error_retryable:
 * @code: a #VitalServerError
 *
 * Returns: the `retryable` flag of the JSON error body for @code
 */
gboolean
vital_server_error_retryable (VitalServerError code)
{
  return lookup (code)->retryable;
}
