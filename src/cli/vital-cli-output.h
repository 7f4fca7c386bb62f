/* vital-cli-output.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The result table, result and error JSON, and exit statuses shared by the CLI's commands.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "vital-client.h"

G_BEGIN_DECLS

int  vital_cli_exit_code_for    (const GError *error);
void vital_cli_print_signs      (VitalSigns   *signs,
                                 const char   *environment);
void vital_cli_print_signs_json (VitalSigns   *signs,
                                 const char   *environment,
                                 JsonObject   *extra);
void vital_cli_print_json_error (const GError *error,
                                 JsonObject   *extra);
int  vital_cli_report_error     (const char   *prog,
                                 const GError *error,
                                 gboolean      json,
                                 JsonObject   *extra);

G_END_DECLS
