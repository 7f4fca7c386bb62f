/* vital-connections.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalConnections owns the transport under the session API: it listens, keeps the table of
 * client connections (counted from any thread), and sweeps it for deadlines that have passed:
 * idle connections, slow headers, stalled bodies and responses nobody reads are shut down. Who
 * gets in is vital-connections-admit.c; a request's progress, which sets those deadlines, and
 * HTTP keep-alive are vital-connections-keepalive.c; refused uploads that are answered and
 * drained are vital-connections-linger.c.
 */
#include "vital-config.h"

#include <sys/resource.h>

#include "vital-connections-private.h"

#define SWEEP_INTERVAL_MS 250
#define LISTEN_BACKLOG 1024
/* A connection we shut down is closed by libsoup as it notices; if it does not (a paused
 * request), the descriptor is closed outright after this long. */
#define FORCE_CLOSE_US (5 * G_USEC_PER_SEC)

G_DEFINE_FINAL_TYPE (VitalConnections, vital_connections, G_TYPE_OBJECT)

static void
connection_free (gpointer data)
{
  VitalConnection *c = data;
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

gboolean
vital_connection_is_closed (VitalConnection *c)
{
  return c->state != CONN_LINGERING && g_socket_is_closed (c->socket);
}

VitalConnection *
vital_connections_lookup_locked (VitalConnections  *self,
                                 SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote != NULL ? g_hash_table_lookup (self->by_remote, remote) : NULL;
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
      VitalConnection *c = value;

      if (vital_connection_is_closed (c))
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
  self->started_id = g_signal_connect (soup, "request-started",
                                       G_CALLBACK (vital_connections_on_request_started), self);
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

  vital_connections_arm_listener (self);
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
      VitalConnection *c = value;

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
connection_is_open (VitalConnection *c)
{
  return !vital_connection_is_closed (c);
}

/* In the middle of a request: reading it, handling it or writing its response */
static gboolean
connection_is_busy (VitalConnection *c)
{
  return !vital_connection_is_closed (c)
         && (c->state == CONN_READING || c->state == CONN_HANDLING || c->state == CONN_WRITING);
}

/* Returns: how many of @self's connections @holds is %TRUE for. Called with the mutex held. */
guint
vital_connections_count_locked (VitalConnections   *self,
                                VitalConnectionTest holds)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_hash_table_iter_init (&iter, self->by_remote);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (holds (value))
      n++;
  return n;
}

/* Returns: how many of @self's connections @holds is %TRUE for (takes the mutex) */
static guint
count_connections (VitalConnections  *self,
                   gboolean         (*holds) (VitalConnection *c))
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = vital_connections_count_locked (self, holds);
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
  VitalConnection *c;
  GSocket *socket = NULL;

  g_return_val_if_fail (VITAL_IS_CONNECTIONS (self), NULL);

  g_mutex_lock (&self->mutex);
  c = vital_connections_lookup_locked (self, msg);
  if (c != NULL)
    socket = g_object_ref (c->socket);
  g_mutex_unlock (&self->mutex);
  return socket;
}
