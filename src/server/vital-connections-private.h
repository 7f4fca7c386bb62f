/* vital-connections-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of VitalConnections share: its instance struct and the per-connection record,
 * and the entry points of admission (vital-connections-admit.c), per-request tracking and
 * keep-alive (vital-connections-keepalive.c) that the object itself calls.
 */
#pragma once

#include "vital-connections.h"

G_BEGIN_DECLS

typedef enum
{
  CONN_WAITING,    /* for a request's headers: new, or kept alive after a response */
  CONN_READING,    /* a request body */
  CONN_HANDLING,   /* a handler has the request */
  CONN_WRITING,    /* the response */
  CONN_CLOSING,    /* libsoup closes it once the response is out */
  CONN_LINGERING,  /* refused early: answered, draining what the client still sends */
} VitalConnState;

typedef struct _VitalConnection VitalConnection;

struct _VitalConnection
{
  VitalConnections  *owner;        /* not owned */
  GSocket           *socket;
  GSocketAddress    *remote;       /* the table key: libsoup hands it back per message */
  GSocketAddress    *local;
  char              *peer;         /* the client address, for the per-address cap */
  VitalConnState          state;
  gint64             deadline;     /* monotonic µs; 0 for none */
  gint64             body_started;
  guint64            body_bytes;
  gint64             shut_down_at; /* when a timeout shut it down; 0 if not */
  gboolean           request_read; /* the current request's body is all in */

  /* CONN_LINGERING */
  GSocketConnection *linger;
  GCancellable      *cancel;
  GBytes            *answer;
  guint64            drain_left;
  gint64             linger_until;
  guint8            *buf;
};

struct _VitalConnections
{
  GObject                parent_instance;

  SoupServer            *soup;
  GMainContext          *context;
  VitalConnectionLimits  limits;
  GBytes                *refusal;

  GSocket               *listener;
  guint                  port;
  GSource               *accept_source;
  GSource               *backoff_source;
  GSource               *sweep_source;
  gulong                 started_id;
  gboolean               closed;
  gint64                 last_refusal_log;
  gint64                 last_accept_error_log;

  /* Written on the server thread; counted from any thread. */
  GMutex                 mutex;
  GHashTable            *by_remote;  /* GSocketAddress* -> VitalConnection* (owned) */
  GHashTable            *per_peer;   /* address -> open connections from it */
};


static inline gint64
seconds_us (guint s)
{
  return (gint64) s * G_USEC_PER_SEC;
}

/* vital-connections.c: the table of connections. */
gboolean         vital_connection_is_closed            (VitalConnection   *c);
VitalConnection *vital_connections_lookup_locked       (VitalConnections  *self,
                                                        SoupServerMessage *msg);
typedef gboolean (*VitalConnectionTest) (VitalConnection *c);
guint            vital_connections_count_locked        (VitalConnections   *self,
                                                        VitalConnectionTest holds);

/* vital-connections-admit.c: accepting and admitting. */
void             vital_connections_arm_listener        (VitalConnections  *self);

/* vital-connections-keepalive.c: one request's progress, and keep-alive. */
void             vital_connections_on_request_started  (SoupServer        *soup,
                                                        SoupServerMessage *msg,
                                                        gpointer           data);

G_END_DECLS
