/* vital-server-json.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSON bodies of the session API: the error shape, results, and the response helpers.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "vital-engine.h"
#include "vital-server-error.h"

G_BEGIN_DECLS

char       *vital_server_json_to_string     (JsonNode          *node);
void        vital_server_json_respond       (SoupServerMessage *msg,
                                             guint              status,
                                             JsonNode          *body);
void        vital_server_json_respond_object (SoupServerMessage *msg,
                                              guint              status,
                                              JsonBuilder       *b);
void        vital_server_json_respond_processing (SoupServerMessage *msg,
                                                  const char        *id);
void        vital_server_json_respond_error (SoupServerMessage *msg,
                                             const GError      *error,
                                             const char        *detail);
JsonNode   *vital_server_json_error_body    (const GError      *error,
                                             const char        *detail);
JsonNode   *vital_server_json_vitals        (const VitalVitals *vitals);
JsonNode   *vital_server_json_signal_quality (const VitalVitals *vitals);
JsonNode   *vital_server_json_vital_quality (const VitalVitals *vitals);
JsonNode   *vital_server_json_not_measured  (const VitalVitals *vitals);
char       *vital_server_json_iso8601       (gint64             unix_us,
                                             GTimeZone         *tz);
void        vital_server_json_add_time      (JsonBuilder       *b,
                                             const char        *name,
                                             gint64             unix_us,
                                             GTimeZone         *tz);

G_END_DECLS
