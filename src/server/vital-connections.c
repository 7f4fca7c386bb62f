/* vital-connections.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalConnections owns the transport under the session API: it listens, accepts (backing off
 * and re-arming when descriptors run out), caps connections in all and per client address,
 * times out idle connections, slow headers, stalled bodies and responses nobody reads, and
 * carries HTTP keep-alive itself. Each request is handed to the SoupServer on a connection of
 * its own (soup_server_accept_iostream()); once its response is written the connection is
 * taken back and handed over again for the next request. libsoup 3.2 leaks a kept-alive
 * connection that the client closes while idle (fixed in 3.3, "Don't leak idle connections
 * closed by the client"): one descriptor in CLOSE-WAIT per connection, forever. A connection
 * that libsoup sees only ever carry one request never enters that state. It also answers
 * refused uploads and drains them (bounded) so that the client gets to read the answer.
 */
#include "vital-config.h"

#include <sys/resource.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "vital-connections.h"

#define SWEEP_INTERVAL_MS 250
#define ACCEPT_BATCH 64
#define ACCEPT_BACKOFF_MS 100
#define LISTEN_BACKLOG 1024
/* A connection we shut down is closed by libsoup as it notices; if it does not (a paused
 * request), the descriptor is closed outright after this long. */
#define FORCE_CLOSE_US (5 * G_USEC_PER_SEC)
/* A handler holds a request at most this long (the inline wait is seconds). */
#define HANDLING_LIMIT_US (10 * 60 * G_USEC_PER_SEC)
/* Past its first body_timeout_s, a body must average at least this rate. */
#define MIN_BODY_BYTES_PER_S 1024
#define LINGER_MAX_BYTES ((guint64) 256 * 1024 * 1024)
#define LINGER_MAX_US (2 * 60 * G_USEC_PER_SEC)
#define LOG_INTERVAL_US (10 * G_USEC_PER_SEC)

typedef enum
{
  CONN_WAITING,    /* for a request's headers: new, or kept alive after a response */
  CONN_READING,    /* a request body */
  CONN_HANDLING,   /* a handler has the request */
  CONN_WRITING,    /* the response */
  CONN_CLOSING,    /* libsoup closes it once the response is out */
  CONN_LINGERING,  /* refused early: answered, draining what the client still sends */
} ConnState;

typedef struct
{
  VitalConnections  *owner;        /* not owned */
  GSocket           *socket;
  GSocketAddress    *remote;       /* the table key: libsoup hands it back per message */
  GSocketAddress    *local;
  char              *peer;         /* the client address, for the per-address cap */
  ConnState          state;
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
} Connection;

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
  GHashTable            *by_remote;  /* GSocketAddress* -> Connection* (owned) */
  GHashTable            *per_peer;   /* address -> open connections from it */
};

G_DEFINE_FINAL_TYPE (VitalConnections, vital_connections, G_TYPE_OBJECT)

static void
connection_free (gpointer data)
{
  Connection *c = data;
  VitalConnections *self = c->owner;
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_peer, c->peer));

  if (count <= 1)
    g_hash_table_remove (self->per_peer, c->peer);
  else
    g_hash_table_insert (self->per_peer, g_strdup (c->peer), GUINT_TO_POINTER (count - 1));
  if (!g_socket_is_closed (c->socket))
    g_socket_close (c->socket, NULL);
  g_clear_object (&c->linger);
  g_clear_object (&c->cancel);
  g_clear_pointer (&c->answer, g_bytes_unref);
  g_clear_pointer (&c->buf, g_free);
  g_clear_object (&c->socket);
  g_clear_object (&c->remote);
  g_clear_object (&c->local);
  g_free (c->peer);
  g_free (c);
}

static gboolean
connection_is_closed (Connection *c)
{
  return c->state != CONN_LINGERING && g_socket_is_closed (c->socket);
}

/* Forgets connections libsoup has closed. Called with the mutex held. */
static void
forget_closed_locked (VitalConnections *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->by_remote);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (connection_is_closed (value))
      g_hash_table_iter_remove (&iter);
}

/* Connections neither closed nor on their way out. Called with the mutex held. */
static guint
count_live_locked (VitalConnections *self)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_hash_table_iter_init (&iter, self->by_remote);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Connection *c = value;

      if (!connection_is_closed (c) && c->shut_down_at == 0)
        n++;
    }
  return n;
}

/* Shuts down the waiting connection whose wait is oldest (its deadline is the earliest).
 * Called with the mutex held; FALSE when no connection is waiting. */
static gboolean
evict_longest_waiting_locked (VitalConnections *self)
{
  GHashTableIter iter;
  gpointer value;
  Connection *victim = NULL;

  g_hash_table_iter_init (&iter, self->by_remote);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Connection *c = value;

      if (c->state == CONN_WAITING && c->shut_down_at == 0 && !connection_is_closed (c)
          && (victim == NULL || c->deadline < victim->deadline))
        victim = c;
    }
  if (victim == NULL)
    return FALSE;
  g_socket_shutdown (victim->socket, TRUE, TRUE, NULL);
  victim->shut_down_at = g_get_monotonic_time ();
  return TRUE;
}

static Connection *
lookup_locked (VitalConnections  *self,
               SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote != NULL ? g_hash_table_lookup (self->by_remote, remote) : NULL;
}

/* Moves @msg's connection, unless it lingers, to @state with a deadline @timeout_us away (none
 * for 0). @arrived: the request's headers (@state %CONN_READING: the body's clock and count
 * start) or its body (%CONN_HANDLING: the request is read) have just come in. */
static void
set_state (VitalConnections  *self,
           SoupServerMessage *msg,
           ConnState          state,
           gint64             timeout_us,
           gboolean           arrived)
{
  Connection *c;

  g_mutex_lock (&self->mutex);
  c = lookup_locked (self, msg);
  if (c != NULL && c->state != CONN_LINGERING)
    {
      gint64 now = g_get_monotonic_time ();

      c->state = state;
      c->deadline = timeout_us > 0 ? now + timeout_us : 0;
      if (arrived && state == CONN_READING)
        {
          c->body_started = now;
          c->body_bytes = 0;
        }
      else if (arrived && state == CONN_HANDLING)
        c->request_read = TRUE;
    }
  g_mutex_unlock (&self->mutex);
}

static gint64
seconds (guint s)
{
  return (gint64) s * G_USEC_PER_SEC;
}

static void
on_got_headers (SoupServerMessage *msg,
                gpointer           data)
{
  VitalConnections *self = data;

  set_state (self, msg, CONN_READING, seconds (self->limits.body_timeout_s), TRUE);
}

static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           data)
{
  VitalConnections *self = data;
  Connection *c;

  g_mutex_lock (&self->mutex);
  c = lookup_locked (self, msg);
  if (c != NULL && c->state == CONN_READING)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 elapsed = now - c->body_started;
      gint64 grace = seconds (self->limits.body_timeout_s);

      c->body_bytes += g_bytes_get_size (chunk);
      c->deadline = now + grace;
      /* A body that trickles in just fast enough to dodge the timeout still has to average a
       * minimum rate once its first timeout's worth of time has passed. */
      if (elapsed > grace && (double) c->body_bytes * G_USEC_PER_SEC / (double) elapsed
                             < MIN_BODY_BYTES_PER_S)
        c->deadline = now;
    }
  g_mutex_unlock (&self->mutex);
}

static void
on_got_body (SoupServerMessage *msg,
             gpointer           data)
{
  set_state (data, msg, CONN_HANDLING, HANDLING_LIMIT_US, TRUE);
}

static void
on_wrote_informational (SoupServerMessage *msg,
                        gpointer           data)
{
  VitalConnections *self = data;

  /* 100 Continue: the body comes now. */
  set_state (self, msg, CONN_READING, seconds (self->limits.body_timeout_s), FALSE);
}

static void
on_wrote_some (SoupServerMessage *msg,
               gpointer           data)
{
  VitalConnections *self = data;

  set_state (self, msg, CONN_WRITING, seconds (self->limits.write_timeout_s), FALSE);
}

static void
on_wrote_body_data (SoupServerMessage *msg,
                    guint              size,
                    gpointer           data)
{
  on_wrote_some (msg, data);
}

/* soup_server_message_is_keepalive() is private in libsoup 3.2: the same rule, RFC 9112 §9.3. */
static gboolean
is_keepalive (SoupServerMessage *msg)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);

  if (soup_message_headers_header_contains (response, "Connection", "close")
      || soup_message_headers_header_contains (request, "Connection", "close")
      || soup_message_headers_get_encoding (response) == SOUP_ENCODING_EOF)
    return FALSE;
  if (soup_server_message_get_http_version (msg) == SOUP_HTTP_1_0)
    return soup_message_headers_header_contains (request, "Connection", "keep-alive");
  return soup_server_message_get_http_version (msg) == SOUP_HTTP_1_1;
}

typedef struct
{
  VitalConnections *self;
  GSocketAddress   *remote;
} Rearm;

static void
rearm_free (gpointer data)
{
  Rearm *rearm = data;

  g_object_unref (rearm->self);
  g_object_unref (rearm->remote);
  g_free (rearm);
}

/* Hands a kept-alive connection to the SoupServer again, for its next request. */
static gboolean
rearm_cb (gpointer data)
{
  Rearm *rearm = data;
  VitalConnections *self = rearm->self;
  g_autoptr(GSocketConnection) stream = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  Connection *c;

  g_mutex_lock (&self->mutex);
  c = g_hash_table_lookup (self->by_remote, rearm->remote);
  if (c == NULL || self->closed || g_socket_is_closed (c->socket))
    {
      g_mutex_unlock (&self->mutex);
      return G_SOURCE_REMOVE;
    }
  stream = g_socket_connection_factory_create_connection (c->socket);
  local = g_object_ref (c->local);
  g_mutex_unlock (&self->mutex);

  soup_server_accept_iostream (self->soup, G_IO_STREAM (stream), local, rearm->remote, NULL);
  return G_SOURCE_REMOVE;
}

static void
on_wrote_body (SoupServerMessage *msg,
               gpointer           data)
{
  VitalConnections *self = data;
  g_autoptr(GIOStream) stolen = NULL;
  GSource *source;
  Rearm *rearm;
  Connection *c;
  gboolean keep;

  g_mutex_lock (&self->mutex);
  c = lookup_locked (self, msg);
  if (c == NULL || c->state == CONN_LINGERING)
    {
      g_mutex_unlock (&self->mutex);
      return;
    }
  keep = c->request_read && !self->closed && !g_socket_is_closed (c->socket)
         && is_keepalive (msg);
  c->request_read = FALSE;
  if (!keep)
    {
      c->state = CONN_CLOSING;
      c->deadline = g_get_monotonic_time () + seconds (self->limits.write_timeout_s);
      g_mutex_unlock (&self->mutex);
      return;
    }
  c->state = CONN_WAITING;
  c->deadline = g_get_monotonic_time () + seconds (self->limits.request_timeout_s);
  rearm = g_new0 (Rearm, 1);
  rearm->self = g_object_ref (self);
  rearm->remote = g_object_ref (c->remote);
  g_mutex_unlock (&self->mutex);

  /* The response is all written: take the connection back from libsoup (its wrapper stream
   * goes; the socket stays ours) and offer it again once this request has unwound. */
  stolen = soup_server_message_steal_connection (msg);
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, rearm_cb, rearm, rearm_free);
  g_source_attach (source, self->context);
  g_source_unref (source);
}

static void
on_request_started (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           data)
{
  VitalConnections *self = data;

  set_state (self, msg, CONN_WAITING, seconds (self->limits.request_timeout_s), FALSE);
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (on_got_headers), self, 0);
  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (on_got_chunk), self, 0);
  g_signal_connect_object (msg, "got-body", G_CALLBACK (on_got_body), self, 0);
  g_signal_connect_object (msg, "wrote-informational", G_CALLBACK (on_wrote_informational),
                           self, 0);
  g_signal_connect_object (msg, "wrote-headers", G_CALLBACK (on_wrote_some), self, 0);
  g_signal_connect_object (msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data), self, 0);
  g_signal_connect_object (msg, "wrote-body", G_CALLBACK (on_wrote_body), self, 0);
}

/* Over a limit: answer with the refusal (if it fits the socket buffer at once) and close. */
static void
refuse (VitalConnections *self,
        GSocket          *client,
        const char       *peer,
        guint             from_peer,
        guint             open)
{
  gint64 now = g_get_monotonic_time ();

  if (now - self->last_refusal_log > LOG_INTERVAL_US)
    {
      g_warning ("Refusing connections: %u open from %s (limit %u), %u in all (limit %u)",
                 from_peer, peer, self->limits.max_per_address, open,
                 self->limits.max_connections);
      self->last_refusal_log = now;
    }
  g_socket_set_blocking (client, FALSE);
  if (self->refusal != NULL)
    g_socket_send (client, g_bytes_get_data (self->refusal, NULL),
                   g_bytes_get_size (self->refusal), NULL, NULL);
  g_socket_shutdown (client, FALSE, TRUE, NULL);
  g_socket_close (client, NULL);
}

static char *
peer_of (GSocketAddress *remote)
{
  if (G_IS_INET_SOCKET_ADDRESS (remote))
    return g_inet_address_to_string (
      g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
  return g_strdup ("local");
}

static void
admit (VitalConnections *self,
       GSocket          *client)
{
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (client, NULL);
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (client, NULL);
  g_autoptr(GSocketConnection) stream = NULL;
  g_autofree char *peer = NULL;
  Connection *c;
  guint from_peer;
  guint open;

  if (remote == NULL || local == NULL)
    {
      g_socket_close (client, NULL);  /* gone already */
      return;
    }
  peer = peer_of (remote);

  g_mutex_lock (&self->mutex);
  from_peer = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_peer, peer));
  open = g_hash_table_size (self->by_remote);
  if (from_peer >= self->limits.max_per_address || open >= self->limits.max_connections)
    {
      forget_closed_locked (self);
      from_peer = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_peer, peer));
      open = count_live_locked (self);
    }
  /* Full: a connection that is only waiting (idle keep-alive, headers not all in) makes room
   * for the new one, the one that has waited longest first, so that idle connections cannot
   * lock everyone else out. Only when every connection is busy is the new one refused. */
  if (from_peer < self->limits.max_per_address && open >= self->limits.max_connections
      && evict_longest_waiting_locked (self))
    open--;
  if (from_peer >= self->limits.max_per_address || open >= self->limits.max_connections)
    {
      g_mutex_unlock (&self->mutex);
      refuse (self, client, peer, from_peer, open);
      return;
    }
  c = g_new0 (Connection, 1);
  c->owner = self;
  c->socket = g_object_ref (client);
  c->remote = g_object_ref (remote);
  c->local = g_object_ref (local);
  c->peer = g_strdup (peer);
  c->state = CONN_WAITING;
  c->deadline = g_get_monotonic_time () + seconds (self->limits.request_timeout_s);
  g_hash_table_insert (self->by_remote, c->remote, c);
  g_hash_table_insert (self->per_peer, g_strdup (peer), GUINT_TO_POINTER (from_peer + 1));
  g_mutex_unlock (&self->mutex);

  g_socket_set_option (client, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  stream = g_socket_connection_factory_create_connection (client);
  soup_server_accept_iostream (self->soup, G_IO_STREAM (stream), local, remote, NULL);
}

static gboolean on_incoming (GSocket *listener, GIOCondition condition, gpointer data);

static void
arm_listener (VitalConnections *self)
{
  self->accept_source = g_socket_create_source (self->listener, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, G_SOURCE_FUNC (on_incoming), self, NULL);
  g_source_attach (self->accept_source, self->context);
}

static gboolean
backoff_done (gpointer data)
{
  VitalConnections *self = data;

  g_clear_pointer (&self->backoff_source, g_source_unref);
  if (!self->closed)
    arm_listener (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_incoming (GSocket      *listener,
             GIOCondition  condition,
             gpointer      data)
{
  VitalConnections *self = data;

  for (int i = 0; i < ACCEPT_BATCH; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) client = g_socket_accept (listener, NULL, &error);
      gint64 now;

      if (client != NULL)
        {
          admit (self, client);
          continue;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED)
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
        continue;  /* that client gave up while queued */

      /* Out of descriptors (or memory): stop polling the listener, which would spin, and try
       * again shortly; queued clients wait in the backlog meanwhile. */
      now = g_get_monotonic_time ();
      if (now - self->last_accept_error_log > LOG_INTERVAL_US)
        {
          g_warning ("Cannot accept connections for now: %s", error->message);
          self->last_accept_error_log = now;
        }
      g_clear_pointer (&self->accept_source, g_source_unref);
      self->backoff_source = g_timeout_source_new (ACCEPT_BACKOFF_MS);
      g_source_set_callback (self->backoff_source, backoff_done, self, NULL);
      g_source_attach (self->backoff_source, self->context);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
sweep (gpointer data)
{
  VitalConnections *self = data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&self->mutex);
  g_hash_table_iter_init (&iter, self->by_remote);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Connection *c = value;

      if (connection_is_closed (c))
        {
          g_hash_table_iter_remove (&iter);
          continue;
        }
      if (c->state == CONN_LINGERING)
        {
          if (now >= c->deadline || now >= c->linger_until)
            g_cancellable_cancel (c->cancel);
          continue;
        }
      if (c->shut_down_at != 0)
        {
          if (now - c->shut_down_at >= FORCE_CLOSE_US)
            g_hash_table_iter_remove (&iter);  /* closes the socket */
          continue;
        }
      if (c->deadline != 0 && now >= c->deadline)
        {
          /* libsoup notices the end of the stream (or the failed write) and closes it. */
          g_socket_shutdown (c->socket, TRUE, TRUE, NULL);
          c->shut_down_at = now;
        }
    }
  g_mutex_unlock (&self->mutex);
  return G_SOURCE_CONTINUE;
}

static void
vital_connections_dispose (GObject *object)
{
  VitalConnections *self = VITAL_CONNECTIONS (object);

  vital_connections_close_all (self);
  if (self->started_id != 0)
    g_clear_signal_handler (&self->started_id, self->soup);
  G_OBJECT_CLASS (vital_connections_parent_class)->dispose (object);
}

static void
vital_connections_finalize (GObject *object)
{
  VitalConnections *self = VITAL_CONNECTIONS (object);

  g_clear_pointer (&self->by_remote, g_hash_table_unref);
  g_clear_pointer (&self->per_peer, g_hash_table_unref);
  g_clear_pointer (&self->refusal, g_bytes_unref);
  g_clear_object (&self->listener);
  g_clear_object (&self->soup);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->mutex);
  G_OBJECT_CLASS (vital_connections_parent_class)->finalize (object);
}

static void
vital_connections_class_init (VitalConnectionsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vital_connections_dispose;
  G_OBJECT_CLASS (klass)->finalize = vital_connections_finalize;
}

static void
vital_connections_init (VitalConnections *self)
{
  g_mutex_init (&self->mutex);
  self->by_remote = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, connection_free);
  self->per_peer = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * vital_connections_default_max:
 *
 * The total connection cap that fits the process's descriptor limit (RLIMIT_NOFILE), keeping
 * an eighth of it (at least 64) for the store, spooled uploads and worker threads.
 *
 * Returns: the cap, at least 16
 */
guint
vital_connections_default_max (void)
{
  struct rlimit limit;
  guint64 cur = 1024;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0)
    cur = limit.rlim_cur == RLIM_INFINITY ? 65536 : MIN (limit.rlim_cur, 65536);
  return (guint) MAX (16, (gint64) cur - (gint64) MAX (64, cur / 8));
}

/**
 * vital_connections_new:
 * @soup: the server requests are handed to (it must not listen itself)
 * @context: the context the server runs in; every callback runs there
 * @limits: the limits (copied)
 *
 * Returns: (transfer full): the connection owner; call vital_connections_listen() to start
 */
VitalConnections *
vital_connections_new (SoupServer                  *soup,
                       GMainContext                *context,
                       const VitalConnectionLimits *limits)
{
  VitalConnections *self;

  g_return_val_if_fail (SOUP_IS_SERVER (soup), NULL);
  g_return_val_if_fail (limits != NULL && limits->max_connections > 0
                        && limits->max_per_address > 0 && limits->request_timeout_s > 0
                        && limits->body_timeout_s > 0 && limits->write_timeout_s > 0, NULL);

  self = g_object_new (VITAL_TYPE_CONNECTIONS, NULL);
  self->soup = g_object_ref (soup);
  self->context = g_main_context_ref (context);
  self->limits = *limits;
  self->started_id = g_signal_connect (soup, "request-started", G_CALLBACK (on_request_started),
                                       self);
  return self;
}

/**
 * vital_connections_set_refusal:
 * @self: a #VitalConnections
 * @response: (nullable): a complete HTTP response (status line, headers, body) sent to a
 *   connection refused for being over a limit; %NULL to just close it
 */
void
vital_connections_set_refusal (VitalConnections *self,
                               GBytes           *response)
{
  g_return_if_fail (VITAL_IS_CONNECTIONS (self));
  g_clear_pointer (&self->refusal, g_bytes_unref);
  self->refusal = response != NULL ? g_bytes_ref (response) : NULL;
}

/**
 * vital_connections_listen:
 * @self: a #VitalConnections
 * @address: the IP address to bind
 * @port: the TCP port, 0 for an ephemeral one
 * @error: return location for a #GError
 *
 * Binds and starts accepting in the context given to vital_connections_new().
 *
 * Returns: %TRUE when listening
 */
gboolean
vital_connections_listen (VitalConnections  *self,
                          const char        *address,
                          guint              port,
                          GError           **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) wanted = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) listener = NULL;

  g_return_val_if_fail (VITAL_IS_CONNECTIONS (self), FALSE);
  g_return_val_if_fail (self->listener == NULL, FALSE);

  inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "\"%s\" is not an IP address", address);
      return FALSE;
    }
  wanted = g_inet_socket_address_new (inet, (guint16) port);
  listener = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                           G_SOCKET_PROTOCOL_TCP, error);
  if (listener == NULL)
    return FALSE;
  g_socket_set_listen_backlog (listener, LISTEN_BACKLOG);
  if (!g_socket_bind (listener, wanted, TRUE, error) || !g_socket_listen (listener, error))
    return FALSE;
  g_socket_set_blocking (listener, FALSE);
  bound = g_socket_get_local_address (listener, error);
  if (bound == NULL)
    return FALSE;
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  self->listener = g_steal_pointer (&listener);

  arm_listener (self);
  self->sweep_source = g_timeout_source_new (SWEEP_INTERVAL_MS);
  g_source_set_callback (self->sweep_source, sweep, self, NULL);
  g_source_attach (self->sweep_source, self->context);
  return TRUE;
}

/**
 * vital_connections_get_port:
 * @self: a listening #VitalConnections
 *
 * Returns: the bound port
 */
guint
vital_connections_get_port (VitalConnections *self)
{
  g_return_val_if_fail (VITAL_IS_CONNECTIONS (self), 0);
  return self->port;
}

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/**
 * vital_connections_close_all:
 * @self: a #VitalConnections
 *
 * Stops listening and closes every connection (after soup_server_disconnect(), at shutdown;
 * on the server thread). Lingering connections end when their context next runs.
 */
void
vital_connections_close_all (VitalConnections *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (VITAL_IS_CONNECTIONS (self));

  self->closed = TRUE;
  destroy_source (&self->accept_source);
  destroy_source (&self->backoff_source);
  destroy_source (&self->sweep_source);
  if (self->listener != NULL)
    g_socket_close (self->listener, NULL);

  g_mutex_lock (&self->mutex);
  g_hash_table_iter_init (&iter, self->by_remote);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Connection *c = value;

      if (c->state == CONN_LINGERING)
        {
          g_cancellable_cancel (c->cancel);
          continue;
        }
      g_socket_close (c->socket, NULL);
      g_hash_table_iter_remove (&iter);
    }
  g_mutex_unlock (&self->mutex);
}

static gboolean
connection_is_open (Connection *c)
{
  return !connection_is_closed (c);
}

/* In the middle of a request: reading it, handling it or writing its response */
static gboolean
connection_is_busy (Connection *c)
{
  return !connection_is_closed (c) && (c->state == CONN_READING || c->state == CONN_HANDLING
                                       || c->state == CONN_WRITING);
}

/* Returns: how many of @self's connections @holds is %TRUE for (takes the mutex) */
static guint
count_connections (VitalConnections  *self,
                   gboolean         (*holds) (Connection *c))
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_mutex_lock (&self->mutex);
  g_hash_table_iter_init (&iter, self->by_remote);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (holds (value))
      n++;
  g_mutex_unlock (&self->mutex);
  return n;
}

/**
 * vital_connections_count_open:
 * @self: a #VitalConnections
 *
 * Returns: client connections open now (any thread)
 */
guint
vital_connections_count_open (VitalConnections *self)
{
  g_return_val_if_fail (VITAL_IS_CONNECTIONS (self), 0);
  return count_connections (self, connection_is_open);
}

/**
 * vital_connections_count_busy:
 * @self: a #VitalConnections
 *
 * Returns: connections in the middle of a request: reading it, handling it or writing its
 *   response (any thread)
 */
guint
vital_connections_count_busy (VitalConnections *self)
{
  g_return_val_if_fail (VITAL_IS_CONNECTIONS (self), 0);
  return count_connections (self, connection_is_busy);
}

/**
 * vital_connections_dup_socket:
 * @self: a #VitalConnections
 * @msg: a request being handled
 *
 * Returns: (transfer full) (nullable): the socket @msg arrived on, e.g. to see whether the
 *   client of a paused request is still there
 */
GSocket *
vital_connections_dup_socket (VitalConnections  *self,
                              SoupServerMessage *msg)
{
  Connection *c;
  GSocket *socket = NULL;

  g_return_val_if_fail (VITAL_IS_CONNECTIONS (self), NULL);

  g_mutex_lock (&self->mutex);
  c = lookup_locked (self, msg);
  if (c != NULL)
    socket = g_object_ref (c->socket);
  g_mutex_unlock (&self->mutex);
  return socket;
}

static void linger_finish (Connection *c);

static void
linger_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  Connection *c = data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0 || (guint64) n >= c->drain_left)
    {
      linger_finish (c);
      return;
    }
  g_mutex_lock (&c->owner->mutex);
  c->drain_left -= (guint64) n;
  c->deadline = g_get_monotonic_time () + seconds (c->owner->limits.body_timeout_s);
  g_mutex_unlock (&c->owner->mutex);
  g_input_stream_read_async (G_INPUT_STREAM (source), c->buf, 16384, G_PRIORITY_DEFAULT,
                             c->cancel, linger_read_cb, c);
}

static void
linger_wrote_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Connection *c = data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL)
      || c->drain_left == 0)
    {
      linger_finish (c);
      return;
    }
  /* The answer is out: say so (FIN), then read and discard the rest of the body so that the
   * kernel does not reset the connection before the client has read the answer. */
  g_socket_shutdown (c->socket, FALSE, TRUE, NULL);
  c->buf = g_malloc (16384);
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (c->linger)), c->buf,
                             16384, G_PRIORITY_DEFAULT, c->cancel, linger_read_cb, c);
}

static void
linger_finish (Connection *c)
{
  VitalConnections *self = c->owner;

  g_socket_close (c->socket, NULL);
  g_mutex_lock (&self->mutex);
  g_hash_table_remove (self->by_remote, c->remote);
  g_mutex_unlock (&self->mutex);
  g_object_unref (self);
}

/**
 * vital_connections_answer_and_drain:
 * @self: a #VitalConnections
 * @msg: a request whose body is not read (seen by an early handler)
 * @response: the complete HTTP response to send (it should say `Connection: close`)
 * @drain_bytes: how much of the request body may still come (its Content-Length, or
 *   %G_MAXUINT64 when chunked)
 *
 * Takes @msg's connection from libsoup, writes @response, and then reads and discards up to
 * @drain_bytes (at most 256 MiB, for at most two minutes, the body timeout between reads)
 * before closing. A client that sends its whole body before reading (no `Expect:
 * 100-continue`) thus reads the answer instead of a connection reset.
 */
void
vital_connections_answer_and_drain (VitalConnections  *self,
                                    SoupServerMessage *msg,
                                    GBytes            *response,
                                    guint64            drain_bytes)
{
  g_autoptr(GIOStream) stolen = NULL;
  Connection *c;
  gint64 now = g_get_monotonic_time ();
  gsize len;
  const guint8 *data;

  g_return_if_fail (VITAL_IS_CONNECTIONS (self));

  g_mutex_lock (&self->mutex);
  c = lookup_locked (self, msg);
  if (c == NULL || c->state == CONN_LINGERING || g_socket_is_closed (c->socket))
    {
      g_mutex_unlock (&self->mutex);
      return;
    }
  c->state = CONN_LINGERING;
  c->deadline = now + seconds (self->limits.body_timeout_s);
  c->linger_until = now + LINGER_MAX_US;
  c->drain_left = MIN (drain_bytes, LINGER_MAX_BYTES);
  c->linger = g_socket_connection_factory_create_connection (c->socket);
  c->cancel = g_cancellable_new ();
  c->answer = g_bytes_ref (response);
  g_mutex_unlock (&self->mutex);

  stolen = soup_server_message_steal_connection (msg);
  g_object_ref (self);  /* released by linger_finish() */
  data = g_bytes_get_data (c->answer, &len);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (c->linger)),
                                   data, len, G_PRIORITY_DEFAULT, c->cancel, linger_wrote_cb, c);
}
