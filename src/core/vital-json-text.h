/* vital-json-text.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSON text with numbers as people read them (0.722, not 0.72199999999999998), for the session
 * API and the exports alike.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

char *vital_json_text_write (JsonNode *root,
                             gboolean  pretty);

G_END_DECLS
