/* vital-server-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of the server module share: the VitalServer instance struct and the routes;
 * and the hooks the server's tests and benches use to look inside.
 */
#pragma once

#include "vital-connections.h"
#include "vital-processor.h"
#include "vital-rate-limit.h"
#include "vital-server.h"

G_BEGIN_DECLS

struct _VitalServer
{
  GObject            parent_instance;

  VitalServerConfig *config;
  VitalClock        *clock;
  VitalKeys         *keys;
  VitalSessionStore *store;
  char              *node_id;  /* this node's name in the store (who holds which payload) */
  VitalProcessor    *processor;
  VitalMemoryBudget *decoded_budget;  /* decoded uploads waiting for upload-complete */
  GBytes            *secret;
  char              *spool_dir;
  gboolean           spool_is_temporary;

  SoupServer        *soup;
  VitalConnections  *connections;
  char              *base_url;
  guint              port;

  /* The server thread and its context. */
  GThread           *thread;
  GMainContext      *context;
  GMainLoop         *loop;
  GMutex             mutex;
  GCond              cond;
  gboolean           thread_ready;
  GError            *listen_error;
  char              *listen_address;
  gint               shutting_down;  /* atomic */
  guint              maintenance_source_id;
  guint              cluster_source_id;

  /* Cluster bookkeeping, touched only on the server thread (vital-server-cluster.c). */
  gint64             heartbeat_ok_since;  /* monotonic µs; 0 while heartbeats fail */
  GHashTable        *orphan_candidates;   /* session ids processing here, no job seen */

  /* Touched only on the server thread. */
  GHashTable        *waiters;  /* session id -> Waiter* (upload-complete waiting inline) */
  guint              streaming_uploads;  /* uploads being decoded as they arrive */
};

void     vital_server_routes_install     (VitalServer       *self);
void     vital_server_routes_on_done     (const char        *session_id,
                                          gboolean           completed,
                                          const char        *error_text,
                                          gpointer           user_data);
void     vital_server_routes_waiter_free (gpointer           data);
char    *vital_server_payload_path       (VitalServer       *self,
                                          const char        *session_id);
void     vital_server_requeue_processing (VitalServer       *self);
void     vital_server_routes_answer_waiter (VitalServer     *self,
                                          const char        *session_id,
                                          gboolean           completed,
                                          gboolean           retryable,
                                          const char        *error_text);
gboolean vital_server_routes_has_waiter  (VitalServer       *self,
                                          const char        *session_id);
void     vital_server_cluster_start      (VitalServer       *self);
void     vital_server_cluster_stop       (VitalServer       *self);
void     vital_server_cluster_claim      (VitalServer       *self);

/* Test hooks: introspection and control for the server's tests and benches only. */
guint              vital_server_count_decoded_payloads (VitalServer      *self);
void               vital_server_wait_decoded    (VitalServer             *self);
guint              vital_server_count_streamed_decodes (VitalServer      *self);
guint              vital_server_count_connections (VitalServer           *self);
guint64            vital_server_get_decoded_bytes (VitalServer           *self);
void               vital_server_set_processing_paused (VitalServer       *self,
                                                 gboolean                 paused);
void               vital_server_wait_idle       (VitalServer             *self);

G_END_DECLS
