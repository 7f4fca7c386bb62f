/* vital-connections-linger.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Refused uploads on a VitalConnections connection: the answer is written on a connection taken
 * from libsoup, and what the client still sends of its body is read and discarded (bounded in
 * bytes and time) so that the client gets to read the answer instead of a connection reset.
 */
#include "vital-config.h"

#include "vital-connections-private.h"

#define LINGER_MAX_BYTES ((guint64) 256 * 1024 * 1024)
#define LINGER_MAX_US (2 * 60 * G_USEC_PER_SEC)

static void linger_finish (VitalConnection *c);

static void
linger_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  VitalConnection *c = data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0 || (guint64) n >= c->drain_left)
    {
      linger_finish (c);
      return;
    }
  g_mutex_lock (&c->owner->mutex);
  c->drain_left -= (guint64) n;
  c->deadline = g_get_monotonic_time () + seconds_us (c->owner->limits.body_timeout_s);
  g_mutex_unlock (&c->owner->mutex);
  g_input_stream_read_async (G_INPUT_STREAM (source), c->buf, 16384, G_PRIORITY_DEFAULT,
                             c->cancel, linger_read_cb, c);
}

static void
linger_wrote_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  VitalConnection *c = data;

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
linger_finish (VitalConnection *c)
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
  VitalConnection *c;
  gint64 now = g_get_monotonic_time ();
  gsize len;
  const guint8 *data;

  g_return_if_fail (VITAL_IS_CONNECTIONS (self));

  g_mutex_lock (&self->mutex);
  c = vital_connections_lookup_locked (self, msg);
  if (c == NULL || c->state == CONN_LINGERING || g_socket_is_closed (c->socket))
    {
      g_mutex_unlock (&self->mutex);
      return;
    }
  c->state = CONN_LINGERING;
  c->deadline = now + seconds_us (self->limits.body_timeout_s);
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
