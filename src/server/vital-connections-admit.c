/* vital-connections-admit.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Who gets a connection: VitalConnections' accept loop (which backs off and re-arms when
 * descriptors run out) and its admission, which caps connections in all and per client address,
 * makes room by shutting down the connection that has waited longest for a request when full,
 * and otherwise refuses with the configured answer.
 */
#include "vital-config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "vital-connections-private.h"

#define ACCEPT_BATCH 64
#define ACCEPT_BACKOFF_MS 100
#define LOG_INTERVAL_US (10 * G_USEC_PER_SEC)

/* Forgets connections libsoup has closed. Called with the mutex held. */
static void
forget_closed_locked (VitalConnections *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->by_remote);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (vital_connection_is_closed (value))
      g_hash_table_iter_remove (&iter);
}

/* Neither closed nor on its way out */
static gboolean
connection_is_live (VitalConnection *c)
{
  return !vital_connection_is_closed (c) && c->shut_down_at == 0;
}

/* Shuts down the waiting connection whose wait is oldest (its deadline is the earliest).
 * Called with the mutex held; FALSE when no connection is waiting. */
static gboolean
evict_longest_waiting_locked (VitalConnections *self)
{
  GHashTableIter iter;
  gpointer value;
  VitalConnection *victim = NULL;

  g_hash_table_iter_init (&iter, self->by_remote);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      VitalConnection *c = value;

      if (c->state == CONN_WAITING && c->shut_down_at == 0 && !vital_connection_is_closed (c)
          && (victim == NULL || c->deadline < victim->deadline))
        victim = c;
    }
  if (victim == NULL)
    return FALSE;
  g_socket_shutdown (victim->socket, TRUE, TRUE, NULL);
  victim->shut_down_at = g_get_monotonic_time ();
  return TRUE;
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
  VitalConnection *c;
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
      open = vital_connections_count_locked (self, connection_is_live);
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
  c = g_new0 (VitalConnection, 1);
  c->owner = self;
  c->socket = g_object_ref (client);
  c->remote = g_object_ref (remote);
  c->local = g_object_ref (local);
  c->peer = g_strdup (peer);
  c->state = CONN_WAITING;
  c->deadline = g_get_monotonic_time () + seconds_us (self->limits.request_timeout_s);
  g_hash_table_insert (self->by_remote, c->remote, c);
  g_hash_table_insert (self->per_peer, g_strdup (peer), GUINT_TO_POINTER (from_peer + 1));
  g_mutex_unlock (&self->mutex);

  g_socket_set_option (client, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  stream = g_socket_connection_factory_create_connection (client);
  soup_server_accept_iostream (self->soup, G_IO_STREAM (stream), local, remote, NULL);
}

static gboolean on_incoming (GSocket *listener, GIOCondition condition, gpointer data);

void
vital_connections_arm_listener (VitalConnections *self)
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
    vital_connections_arm_listener (self);
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
