/* bench-util.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the load benchmarks (server-load, cluster-load, server-soak) share: the payload they
 * upload, a blocking API call with its JSON answer, and percentiles of the times they take.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

GBytes      *bench_payload     (guint         frames,
                                GError      **error);
SoupMessage *bench_api_message (const char   *method,
                                const char   *url,
                                const char   *key,
                                const char   *json);
JsonObject  *bench_send_json   (SoupSession  *session,
                                SoupMessage  *msg,
                                guint        *out_status,
                                JsonNode    **out_root);
double       bench_percentile  (GArray       *values,
                                double        p);

G_END_DECLS
