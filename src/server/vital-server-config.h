/* vital-server-config.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalServerConfig: everything a VitalServer is built from, with documented defaults.
 */
#pragma once

#include <glib-object.h>

#include "vital-clock.h"
#include "vital-engine.h"

G_BEGIN_DECLS

/**
 * VitalServerConfig:
 * @data_dir: (nullable): where the SQLite store (`sessions.db`), the upload secret and the spool
 *   live; %NULL keeps the store in memory and spools to a private temporary directory that is
 *   removed on finalize (nothing survives a restart)
 * @keys_file: (nullable): a key file to load (see vital_keys_load_file()), reloaded whenever it
 *   changes (see vital_keys_watch()) and by vital_server_reload_keys()
 * @persist_vitals: hand results out as often as asked for @result_ttl_s (also
 *   `PERSIST_VITALS=true`); otherwise a result is handed out once, and kept in the store only
 *   until then (at most @result_ttl_s), so that a restart loses none
 * @result_ttl_s: how long results are held, default 900
 * @session_ttl_s: how long a session may take to reach processing, default 900
 * @max_upload_bytes: largest accepted payload, default a raw 3-minute tensor
 * @inline_budget_ms: how long upload-complete waits to answer 200 with the result before it
 *   answers 202, default 3000; 0 always answers 202
 * @workers: processing threads, default 2
 * @anonymous_rate_limit: requests per minute per client address for requests without a valid
 *   key (health, presigned uploads, 401s), default 600; 0 unlimited
 * @maintenance_interval_s: how often expiry and TTL purges run, default 30
 * @public_url: (nullable): base URL written into upload_url (default: the listening address)
 * @clock: (nullable): the clock (default: the system clock); tests inject a manual one
 * @method: the engine's pulse method for live sessions
 * @max_connections: open client connections in all; 0 (default) derives it from the
 *   descriptor limit (vital_connections_default_max())
 * @max_connections_per_address: open connections from one client address; 0 (default) is an
 *   eighth of @max_connections (at least 8)
 * @request_timeout_s: how long a connection may take to send a request's headers, idle
 *   keep-alive time included, default 30
 * @body_timeout_s: how long a request body may go without a byte, default 30
 * @write_timeout_s: how long a response may go without the client reading, default 30
 * @max_decoded_bytes: memory early-decoded payloads may hold while they wait for
 *   upload-complete, default 512 MiB; uploads beyond it are decoded when processing starts
 * @max_decoded_bytes_per_key: the same, for the sessions of one key, default 256 MiB
 * @database: (nullable): where sessions live: %NULL or "sqlite" for the embedded SQLite file
 *   in @data_dir (the default), or a `postgresql://…` URI for a database that several
 *   nodes share behind a load balancer (also `VITALSCAN_DATABASE`)
 * @node_id: (nullable): this node's name in a cluster (default: kept in @data_dir's
 *   `node-id` file, so a restarted node takes its jobs back; random without a data dir)
 * @node_timeout_s: how long a node may go without a heartbeat before the other nodes fail
 *   its jobs as lost (retryable), default 10
 * @node_poll_ms: how often a cluster node heartbeats, claims jobs and looks at the results it
 *   waits for, when no notification came, default 1000
 * @trust_forwarded_for: take the client address for anonymous rate limits from the last
 *   `X-Forwarded-For` entry (set it only behind a proxy that sets that header, e.g. HAProxy's
 *   `option forwardfor`)
 *
 * A plain struct; create with vital_server_config_new() so every field has its default.
 */
typedef struct
{
  char            *data_dir;
  char            *keys_file;
  gboolean         persist_vitals;
  guint            result_ttl_s;
  guint            session_ttl_s;
  guint64          max_upload_bytes;
  guint            inline_budget_ms;
  guint            workers;
  guint            anonymous_rate_limit;
  guint            maintenance_interval_s;
  char            *public_url;
  VitalClock      *clock;
  guint            max_connections;
  guint            max_connections_per_address;
  guint            request_timeout_s;
  guint            body_timeout_s;
  guint            write_timeout_s;
  guint64          max_decoded_bytes;
  guint64          max_decoded_bytes_per_key;
  VitalPulseMethod method;
  char            *database;
  char            *node_id;
  guint            node_timeout_s;
  guint            node_poll_ms;
  gboolean         trust_forwarded_for;
} VitalServerConfig;

#define VITAL_TYPE_SERVER_CONFIG (vital_server_config_get_type ())
GType              vital_server_config_get_type          (void) G_GNUC_CONST;
VitalServerConfig *vital_server_config_new               (void);
VitalServerConfig *vital_server_config_copy              (const VitalServerConfig *config);
void               vital_server_config_free              (VitalServerConfig       *config);
gboolean           vital_server_config_apply_environment (VitalServerConfig       *config,
                                                          GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalServerConfig, vital_server_config_free)

G_END_DECLS
