/* vital-connections-keepalive.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One request's progress on a VitalConnections connection, and HTTP keep-alive. The signals of
 * each request move its connection from waiting to reading, handling and writing, each state with
 * its deadline (which the sweep in vital-connections.c enforces). VitalConnections carries
 * keep-alive itself: each request is handed to the SoupServer on a connection of its own
 * (soup_server_accept_iostream()); once its response is written the connection is taken back and
 * handed over again for the next request. libsoup 3.2 leaks a kept-alive connection that the
 * client closes while idle (fixed in 3.3, "Don't leak idle connections closed by the client"):
 * one descriptor in CLOSE-WAIT per connection, forever. A connection that libsoup sees only ever
 * carry one request never enters that state.
 */
#include "vital-config.h"

#include "vital-connections-private.h"

/* A handler holds a request at most this long (the inline wait is seconds). */
#define HANDLING_LIMIT_US (10 * 60 * G_USEC_PER_SEC)
/* Past its first body_timeout_s, a body must average at least this rate. */
#define MIN_BODY_BYTES_PER_S 1024

/* Moves @msg's connection, unless it lingers, to @state with a deadline @timeout_us away (none
 * for 0). @arrived: the request's headers (@state %CONN_READING: the body's clock and count
 * start) or its body (%CONN_HANDLING: the request is read) have just come in. */
static void
set_state (VitalConnections  *self,
           SoupServerMessage *msg,
           VitalConnState          state,
           gint64             timeout_us,
           gboolean           arrived)
{
  VitalConnection *c;

  g_mutex_lock (&self->mutex);
  c = vital_connections_lookup_locked (self, msg);
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

static void
on_got_headers (SoupServerMessage *msg,
                gpointer           data)
{
  VitalConnections *self = data;

  set_state (self, msg, CONN_READING, seconds_us (self->limits.body_timeout_s), TRUE);
}

static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           data)
{
  VitalConnections *self = data;
  VitalConnection *c;

  g_mutex_lock (&self->mutex);
  c = vital_connections_lookup_locked (self, msg);
  if (c != NULL && c->state == CONN_READING)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 elapsed = now - c->body_started;
      gint64 grace = seconds_us (self->limits.body_timeout_s);

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
  set_state (self, msg, CONN_READING, seconds_us (self->limits.body_timeout_s), FALSE);
}

static void
on_wrote_some (SoupServerMessage *msg,
               gpointer           data)
{
  VitalConnections *self = data;

  set_state (self, msg, CONN_WRITING, seconds_us (self->limits.write_timeout_s), FALSE);
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
  VitalConnection *c;

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
  VitalConnection *c;
  gboolean keep;

  g_mutex_lock (&self->mutex);
  c = vital_connections_lookup_locked (self, msg);
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
      c->deadline = g_get_monotonic_time () + seconds_us (self->limits.write_timeout_s);
      g_mutex_unlock (&self->mutex);
      return;
    }
  c->state = CONN_WAITING;
  c->deadline = g_get_monotonic_time () + seconds_us (self->limits.request_timeout_s);
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

void
vital_connections_on_request_started (SoupServer        *soup,
                                      SoupServerMessage *msg,
                                      gpointer           data)
{
  VitalConnections *self = data;

  set_state (self, msg, CONN_WAITING, seconds_us (self->limits.request_timeout_s), FALSE);
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (on_got_headers), self, 0);
  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (on_got_chunk), self, 0);
  g_signal_connect_object (msg, "got-body", G_CALLBACK (on_got_body), self, 0);
  g_signal_connect_object (msg, "wrote-informational", G_CALLBACK (on_wrote_informational),
                           self, 0);
  g_signal_connect_object (msg, "wrote-headers", G_CALLBACK (on_wrote_some), self, 0);
  g_signal_connect_object (msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data), self, 0);
  g_signal_connect_object (msg, "wrote-body", G_CALLBACK (on_wrote_body), self, 0);
}
