/* fault-server.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A SoupServer on 127.0.0.1:0 in its own thread that speaks the session API and misbehaves
 * on purpose, following a per-route script (gnome-calendar's gcal-simple-server pattern).
 */
#include "fault-server.h"

#include <libsoup/soup.h>
#include <string.h>

typedef struct
{
  FaultKind  kind;
  guint      status;
  char      *content_type;
  char      *body;
  char      *retry_after;
} FaultReply;

typedef struct
{
  GQueue              replies;
  guint               hits;
  SoupMessageHeaders *last_headers;
  char               *last_query;
  char               *last_body;
} FaultRoute;

struct _FaultServer
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  char         *url;

  GMutex        lock;
  GCond         cond;
  gboolean      ready;
  gboolean      rate_headers;
  GHashTable   *routes;   /* name → FaultRoute */
  GPtrArray    *stalled;  /* SoupServerMessage, never answered */
};

static void
fault_reply_free (FaultReply *reply)
{
  g_free (reply->content_type);
  g_free (reply->body);
  g_free (reply->retry_after);
  g_free (reply);
}

static void
fault_route_free (FaultRoute *route)
{
  g_queue_clear_full (&route->replies, (GDestroyNotify) fault_reply_free);
  g_clear_pointer (&route->last_headers, soup_message_headers_unref);
  g_free (route->last_query);
  g_free (route->last_body);
  g_free (route);
}

static FaultRoute *
get_route (FaultServer *self,
           const char  *name)
{
  FaultRoute *route = g_hash_table_lookup (self->routes, name);

  if (route == NULL)
    {
      route = g_new0 (FaultRoute, 1);
      g_hash_table_insert (self->routes, g_strdup (name), route);
    }
  return route;
}

static const char *
route_of (SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));

  if (g_str_equal (method, "POST") && g_str_equal (path, "/sdk/session/start"))
    return "start";
  if (g_str_equal (method, "PUT") && g_str_has_prefix (path, "/upload/"))
    return "upload";
  if (g_str_equal (method, "POST") && g_str_equal (path, "/sdk/session/upload-complete"))
    return "complete";
  if (g_str_equal (method, "GET") && g_str_has_prefix (path, "/sdk/session/result/"))
    return "alias";
  if (g_str_equal (method, "GET") && g_str_has_prefix (path, "/sdk/session/") &&
      g_str_has_suffix (path, "/result"))
    return "result";
  if (g_str_equal (method, "GET") && g_str_equal (path, "/sdk/sessions"))
    return "sessions";
  if (g_str_equal (method, "GET") && g_str_equal (path, "/health"))
    return "health";
  return NULL;
}

/* Takes the next reply of @route (the last one repeats); NULL means the default. Locked. */
static FaultReply *
next_reply (FaultRoute *route,
            gboolean   *out_owned)
{
  *out_owned = FALSE;
  if (g_queue_get_length (&route->replies) > 1)
    {
      *out_owned = TRUE;
      return g_queue_pop_head (&route->replies);
    }
  return g_queue_peek_head (&route->replies);
}

static char *
default_body (FaultServer *self,
              const char  *route)
{
  if (g_str_equal (route, "start"))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) later = g_date_time_add_minutes (now, 15);
      g_autofree char *expires = g_date_time_format_iso8601 (later);

      return g_strdup_printf ("{\"session_id\":\"sess-1\",\"status\":\"pending\","
                              "\"expires_at\":\"%s\","
                              "\"upload_url\":\"%s/upload/sess-1?sig=SECRETSIG\"}",
                              expires, self->url);
    }
  if (g_str_equal (route, "upload"))
    return g_strdup ("");
  if (g_str_equal (route, "complete") || g_str_equal (route, "result") ||
      g_str_equal (route, "alias"))
    return g_strdup ("{\"session_id\":\"sess-1\",\"status\":\"completed\","
                     "\"vitals\":{\"heart_rate\":71.5,\"respiratory_rate\":14,\"hrv\":48,"
                     "\"spo2\":null,\"systolic_bp\":null,\"diastolic_bp\":null,"
                     "\"confidence\":0.83},"
                     "\"signal_quality\":{\"snr\":7.1,\"stability\":0.92,\"periodicity\":0.8},"
                     "\"processing_time_ms\":12,\"completed_at\":1795431600}");
  if (g_str_equal (route, "sessions"))
    return g_strdup ("{\"sessions\":[{\"session_id\":\"sess-1\",\"status\":\"completed\","
                     "\"start_time\":\"2026-11-23T10:00:00Z\",\"created_timezone\":\"UTC\"},"
                     "{\"session_id\":\"sess-0\",\"status\":\"expired\","
                     "\"unexpected_end_time\":\"2026-11-22T10:15:00Z\"}]}");
  if (g_str_equal (route, "health"))
    return g_strdup ("{\"status\":\"ok\",\"service\":\"fault\",\"version\":\"9.9\"}");
  return g_strdup ("");
}

static void
record_request (FaultRoute        *route,
                SoupServerMessage *msg,
                gboolean           with_body)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *copy = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (copy, name, value);
  g_clear_pointer (&route->last_headers, soup_message_headers_unref);
  route->last_headers = copy;

  g_free (route->last_query);
  route->last_query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));

  g_clear_pointer (&route->last_body, g_free);
  if (with_body)
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);

      route->last_body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }
}

static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  g_signal_handlers_disconnect_by_func (msg, on_got_chunk, user_data);
  drop_connection (msg);
}

static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  FaultServer *self = user_data;
  const char *name = route_of (msg);
  FaultRoute *route;
  FaultReply *reply;
  FaultKind kind;
  gboolean owned;

  if (name == NULL)
    return;

  g_mutex_lock (&self->lock);
  route = get_route (self, name);
  reply = g_queue_peek_head (&route->replies);
  if (reply == NULL || (reply->kind != FAULT_DROP_BODY && reply->kind != FAULT_DROP))
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  kind = reply->kind;
  reply = next_reply (route, &owned);
  route->hits++;
  record_request (route, msg, FALSE);
  if (owned)
    fault_reply_free (reply);
  g_mutex_unlock (&self->lock);

  if (kind == FAULT_DROP_BODY)
    g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), NULL);
  else
    drop_connection (msg);
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  FaultServer *self = user_data;
  const char *name = route_of (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  g_autofree char *body = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *retry_after = NULL;
  FaultRoute *route;
  FaultReply *reply;
  FaultKind kind = FAULT_REPLY;
  gboolean owned;
  guint status = 200;

  if (name == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "no route", 8);
      return;
    }

  g_mutex_lock (&self->lock);
  route = get_route (self, name);
  route->hits++;
  record_request (route, msg, TRUE);
  reply = next_reply (route, &owned);
  if (reply != NULL)
    {
      kind = reply->kind;
      status = reply->status;
      body = g_strdup (reply->body);
      content_type = g_strdup (reply->content_type);
      retry_after = g_strdup (reply->retry_after);
      if (owned)
        fault_reply_free (reply);
    }
  if (self->rate_headers)
    {
      g_autofree char *remaining = g_strdup_printf ("%u", 100 - MIN (route->hits, 100));

      soup_message_headers_replace (response_headers, "X-RateLimit-Limit", "100");
      soup_message_headers_replace (response_headers, "X-RateLimit-Remaining", remaining);
      soup_message_headers_replace (response_headers, "X-RateLimit-Reset", "1795431660");
    }
  if (kind == FAULT_STALL)
    {
      g_ptr_array_add (self->stalled, g_object_ref (msg));
      g_mutex_unlock (&self->lock);
      soup_server_message_pause (msg);
      return;
    }
  g_mutex_unlock (&self->lock);

  if (kind == FAULT_DROP)
    {
      drop_connection (msg);
      return;
    }

  if (body == NULL && status == 200)
    {
      body = default_body (self, name);
      g_free (content_type);
      content_type = g_strdup ("application/json");
    }
  if (retry_after != NULL && status >= 300 && status < 400)
    soup_message_headers_replace (response_headers, "Location", retry_after);
  else if (retry_after != NULL)
    soup_message_headers_replace (response_headers, "Retry-After", retry_after);
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, content_type ? content_type : "application/json",
                                      SOUP_MEMORY_COPY, body, strlen (body));
}

static gpointer
server_thread (gpointer data)
{
  FaultServer *self = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (self->context);

  self->server = soup_server_new ("server-header", "fault-server", NULL);
  soup_server_add_early_handler (self->server, NULL, early_handler, self, NULL);
  soup_server_add_handler (self->server, NULL, handler, self, NULL);
  soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (self->server);
  g_assert_nonnull (uris);
  {
    g_autofree char *text = g_uri_to_string (uris->data);

    self->url = g_strndup (text, strlen (text) - (g_str_has_suffix (text, "/") ? 1 : 0));
  }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_mutex_lock (&self->lock);
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);

  g_main_loop_run (self->loop);

  soup_server_disconnect (self->server);
  g_ptr_array_set_size (self->stalled, 0);
  g_clear_object (&self->server);
  /* Let the disconnects finish. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/**
 * fault_server_new:
 *
 * Starts the server in a thread of its own; every route answers normally until told otherwise.
 *
 * Returns: (transfer full): the server, listening
 */
FaultServer *
fault_server_new (void)
{
  FaultServer *self = g_new0 (FaultServer, 1);

  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) fault_route_free);
  self->stalled = g_ptr_array_new_with_free_func (g_object_unref);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("fault-server", server_thread, self);

  g_mutex_lock (&self->lock);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);

  return self;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/**
 * fault_server_free:
 * @self: (transfer full): a server
 *
 * Stops the server (requests it holds stalled are dropped) and joins its thread.
 */
void
fault_server_free (FaultServer *self)
{
  g_main_context_invoke (self->context, quit_loop, self->loop);
  g_thread_join (self->thread);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_hash_table_unref (self->routes);
  g_ptr_array_unref (self->stalled);
  g_free (self->url);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}

/**
 * fault_server_get_url:
 * @self: a server
 *
 * Returns: (transfer none): its base URL, without a final slash
 */
const char *
fault_server_get_url (FaultServer *self)
{
  return self->url;
}

/**
 * fault_server_push:
 * @self: a server
 * @route: a route's name
 * @kind: what to do
 * @status: the HTTP status (FAULT_REPLY)
 * @content_type: (nullable): the body's type
 * @body: (nullable): the body; NULL with status 200: the route's normal success body
 * @retry_after: (nullable): sent as Retry-After, or as Location with a 3xx status
 *
 * Queues a reply for @route (the strings are copied); the last one queued repeats.
 */
void
fault_server_push (FaultServer *self,
                   const char  *route,
                   FaultKind    kind,
                   guint        status,
                   const char  *content_type,
                   const char  *body,
                   const char  *retry_after)
{
  FaultReply *reply = g_new0 (FaultReply, 1);

  reply->kind = kind;
  reply->status = status;
  reply->content_type = g_strdup (content_type);
  reply->body = g_strdup (body);
  reply->retry_after = g_strdup (retry_after);

  g_mutex_lock (&self->lock);
  g_queue_push_tail (&get_route (self, route)->replies, reply);
  g_mutex_unlock (&self->lock);
}

/**
 * fault_server_push_json:
 *
 * fault_server_push() of a FAULT_REPLY with an application/json @body.
 */
void
fault_server_push_json (FaultServer *self,
                        const char  *route,
                        guint        status,
                        const char  *body)
{
  fault_server_push (self, route, FAULT_REPLY, status, "application/json", body, NULL);
}

/**
 * fault_server_clear:
 * @self: a server
 * @route: a route's name
 *
 * Forgets the replies queued for @route: it answers normally again.
 */
void
fault_server_clear (FaultServer *self,
                    const char  *route)
{
  g_mutex_lock (&self->lock);
  g_queue_clear_full (&get_route (self, route)->replies, (GDestroyNotify) fault_reply_free);
  g_mutex_unlock (&self->lock);
}

/**
 * fault_server_get_hits:
 * @self: a server
 * @route: a route's name
 *
 * Returns: how many requests @route got
 */
guint
fault_server_get_hits (FaultServer *self,
                       const char  *route)
{
  guint hits;

  g_mutex_lock (&self->lock);
  hits = get_route (self, route)->hits;
  g_mutex_unlock (&self->lock);
  return hits;
}

/**
 * fault_server_get_header:
 * @self: a server
 * @route: a route's name
 * @header: a header's name
 *
 * Returns: (transfer full) (nullable): the header of the last request to @route
 */
char *
fault_server_get_header (FaultServer *self,
                         const char  *route,
                         const char  *header)
{
  char *value = NULL;
  FaultRoute *r;

  g_mutex_lock (&self->lock);
  r = get_route (self, route);
  if (r->last_headers != NULL)
    value = g_strdup (soup_message_headers_get_one (r->last_headers, header));
  g_mutex_unlock (&self->lock);
  return value;
}

/* A copy of the last request to @route's query (@body FALSE) or body, taken under the lock. */
static char *
copy_last (FaultServer *self,
           const char  *route,
           gboolean     body)
{
  FaultRoute *r;
  char *value;

  g_mutex_lock (&self->lock);
  r = get_route (self, route);
  value = g_strdup (body ? r->last_body : r->last_query);
  g_mutex_unlock (&self->lock);
  return value;
}

/**
 * fault_server_get_query:
 * @self: a server
 * @route: a route's name
 *
 * Returns: (transfer full) (nullable): the query of the last request to @route
 */
char *
fault_server_get_query (FaultServer *self,
                        const char  *route)
{
  return copy_last (self, route, FALSE);
}

/**
 * fault_server_get_body:
 * @self: a server
 * @route: a route's name
 *
 * Returns: (transfer full) (nullable): the body of the last request to @route
 */
char *
fault_server_get_body (FaultServer *self,
                       const char  *route)
{
  return copy_last (self, route, TRUE);
}

/**
 * fault_server_set_rate_headers:
 * @self: a server
 * @send: whether answers carry X-RateLimit-* headers
 */
void
fault_server_set_rate_headers (FaultServer *self,
                               gboolean     send)
{
  g_mutex_lock (&self->lock);
  self->rate_headers = send;
  g_mutex_unlock (&self->lock);
}
