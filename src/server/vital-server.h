/* vital-server.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalServer: the session API server (libsoup3), embeddable by the app, the CLI and the tests.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "vital-clock.h"
#include "vital-keys.h"
#include "vital-processor.h"
#include "vital-server-config.h"
#include "vital-server-error.h"
#include "vital-session-store.h"

G_BEGIN_DECLS

#define VITAL_SERVER_SERVICE_NAME "vitalscan-server"

#define VITAL_TYPE_SERVER (vital_server_get_type ())

G_DECLARE_FINAL_TYPE (VitalServer, vital_server, VITAL, SERVER, GObject)

VitalServer       *vital_server_new             (const VitalServerConfig *config,
                                                 GError                 **error);
VitalKeys         *vital_server_get_keys        (VitalServer             *self);
gboolean           vital_server_add_key         (VitalServer             *self,
                                                 const char              *plaintext_key,
                                                 const char              *owner,
                                                 guint                    rate_limit,
                                                 guint                    monthly_quota,
                                                 GError                 **error);
gboolean           vital_server_reload_keys     (VitalServer             *self,
                                                 GError                 **error);
void               vital_server_add_handler     (VitalServer             *self,
                                                 const char              *path,
                                                 SoupServerCallback       callback,
                                                 gpointer                 user_data,
                                                 GDestroyNotify           destroy);
gboolean           vital_server_listen          (VitalServer             *self,
                                                 const char              *address,
                                                 guint                    port,
                                                 GError                 **error);
gboolean           vital_server_listen_local    (VitalServer             *self,
                                                 guint                    port,
                                                 GError                 **error);
const char        *vital_server_get_base_url    (VitalServer             *self);
guint              vital_server_get_port        (VitalServer             *self);
GMainContext      *vital_server_get_context     (VitalServer             *self);
void               vital_server_begin_shutdown  (VitalServer             *self);
void               vital_server_stop            (VitalServer             *self);
guint              vital_server_run_maintenance (VitalServer             *self);

VitalClock        *vital_server_get_clock       (VitalServer             *self);
const VitalServerConfig *vital_server_get_config (VitalServer            *self);
VitalSessionStore *vital_server_get_store       (VitalServer             *self);
const char        *vital_server_get_spool_dir   (VitalServer             *self);
const char        *vital_server_get_node_id     (VitalServer             *self);
gboolean           vital_server_holds_payload   (VitalServer             *self,
                                                 const VitalSession      *session);
VitalKeyInfo      *vital_server_authenticate    (VitalServer             *self,
                                                 SoupServerMessage       *msg,
                                                 GError                 **error);
gboolean           vital_server_charge          (VitalServer             *self,
                                                 SoupServerMessage       *msg,
                                                 const VitalKeyInfo      *key,
                                                 GError                 **error);
void               vital_server_add_early_handler (VitalServer           *self,
                                                 const char              *path,
                                                 SoupServerCallback       callback,
                                                 gpointer                 user_data,
                                                 GDestroyNotify           destroy);
void               vital_server_respond_before_body (VitalServer         *self,
                                                 SoupServerMessage       *msg,
                                                 const GError            *error);
void               vital_server_respond_before_body_json (VitalServer     *self,
                                                 SoupServerMessage       *msg,
                                                 guint                    status,
                                                 JsonNode                *body);
gboolean           vital_server_consume_quota   (VitalServer             *self,
                                                 SoupServerMessage       *msg,
                                                 const VitalKeyInfo      *key,
                                                 GError                 **error);
void               vital_server_respond_and_close (VitalServer           *self,
                                                 SoupServerMessage       *msg,
                                                 guint                    status,
                                                 JsonNode                *body);
void               vital_server_set_rate_headers (VitalServer            *self,
                                                 SoupServerMessage       *msg,
                                                 const VitalKeyInfo      *key);
gboolean           vital_server_is_shutting_down (VitalServer            *self);
void               vital_server_register_payload_decoder (VitalServer    *self,
                                                 const char              *kind,
                                                 const VitalPayloadDecoder *decoder,
                                                 gpointer                 user_data,
                                                 GDestroyNotify           destroy);
gboolean           vital_server_process_payload (VitalServer             *self,
                                                 const char              *session_id,
                                                 const char              *path,
                                                 gint64                   payload_bytes,
                                                 GError                 **error);

G_END_DECLS
