/* vital-connections.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalConnections: the listening socket and every client connection of a SoupServer.
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/**
 * VitalConnectionLimits:
 * @max_connections: open client connections in all
 * @max_per_address: open client connections from one client address
 * @request_timeout_s: how long a connection may take to send a request's headers, counted from
 *   when it is ready for one (accepted, or its previous response written): covers idle
 *   keep-alive connections and slowly sent headers alike
 * @body_timeout_s: how long a request body may go without a byte arriving
 * @write_timeout_s: how long a response may go without the client taking a byte of it
 *
 * Transport limits; every field must be non-zero.
 */
typedef struct
{
  guint max_connections;
  guint max_per_address;
  guint request_timeout_s;
  guint body_timeout_s;
  guint write_timeout_s;
} VitalConnectionLimits;

#define VITAL_TYPE_CONNECTIONS (vital_connections_get_type ())

G_DECLARE_FINAL_TYPE (VitalConnections, vital_connections, VITAL, CONNECTIONS, GObject)

VitalConnections *vital_connections_new             (SoupServer                  *soup,
                                                     GMainContext                *context,
                                                     const VitalConnectionLimits *limits);
void              vital_connections_set_refusal     (VitalConnections            *self,
                                                     GBytes                      *response);
gboolean          vital_connections_listen          (VitalConnections            *self,
                                                     const char                  *address,
                                                     guint                        port,
                                                     GError                     **error);
guint             vital_connections_get_port        (VitalConnections            *self);
void              vital_connections_close_all       (VitalConnections            *self);
guint             vital_connections_count_open      (VitalConnections            *self);
guint             vital_connections_count_busy      (VitalConnections            *self);
GSocket          *vital_connections_dup_socket      (VitalConnections            *self,
                                                     SoupServerMessage           *msg);
void              vital_connections_answer_and_drain (VitalConnections           *self,
                                                      SoupServerMessage          *msg,
                                                      GBytes                     *response,
                                                      guint64                     drain_bytes);

guint             vital_connections_default_max     (void);

G_END_DECLS
