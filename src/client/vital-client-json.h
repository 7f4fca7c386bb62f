/* vital-client-json.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to src/client: strict typed reads of JSON members (wrong type → BAD_RESPONSE).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  VITAL_JSON_REQUIRED = 0,      /* must be present and of the type */
  VITAL_JSON_OPTIONAL = 1 << 0, /* may be absent */
  VITAL_JSON_NULLABLE = 1 << 1, /* may be JSON null */
} VitalJsonFlags;

JsonNode   *vital_json_parse        (GBytes         *body,
                                     GError        **error);
JsonObject *vital_json_get_object   (JsonObject     *object,
                                     const char     *path,
                                     const char     *member,
                                     VitalJsonFlags  flags,
                                     GError        **error);
gboolean    vital_json_get_number   (JsonObject     *object,
                                     const char     *path,
                                     const char     *member,
                                     VitalJsonFlags  flags,
                                     double         *out_value,
                                     GError        **error);
gboolean    vital_json_get_string   (JsonObject     *object,
                                     const char     *path,
                                     const char     *member,
                                     VitalJsonFlags  flags,
                                     const char    **out_value,
                                     GError        **error);
gboolean    vital_json_get_boolean  (JsonObject     *object,
                                     const char     *path,
                                     const char     *member,
                                     VitalJsonFlags  flags,
                                     int            *out_value,
                                     GError        **error);

G_END_DECLS
