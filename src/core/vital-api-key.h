/* vital-api-key.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the one rule of what an API key looks like, shared by the server, the client and the
 * app's Preferences so that they never disagree about a key.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `ck_test_` or `ck_live_`, then this many letters or digits. */
#define VITAL_API_KEY_PREFIX_LENGTH 8
#define VITAL_API_KEY_SECRET_MIN    16
#define VITAL_API_KEY_SECRET_MAX    120

#define VITAL_API_KEY_ERROR (vital_api_key_error_quark ())

typedef enum
{
  VITAL_API_KEY_ERROR_EMPTY,          /* no key at all */
  VITAL_API_KEY_ERROR_PREFIX,         /* not ck_test_ or ck_live_ */
  VITAL_API_KEY_ERROR_TOO_SHORT,      /* fewer than 16 characters after the prefix */
  VITAL_API_KEY_ERROR_TOO_LONG,       /* more than 120 */
  VITAL_API_KEY_ERROR_CHARACTER,      /* something other than a letter or digit */
} VitalApiKeyError;

typedef enum
{
  VITAL_API_KEY_TEST,                 /* ck_test_: sandbox, synthetic vitals */
  VITAL_API_KEY_LIVE,                 /* ck_live_: real processing */
} VitalApiKeyKind;

GQuark      vital_api_key_error_quark   (void);
gboolean    vital_api_key_check         (const char       *key,
                                         VitalApiKeyKind  *out_kind,
                                         GError          **error);
const char *vital_api_key_kind_to_string (VitalApiKeyKind  kind);

G_END_DECLS
