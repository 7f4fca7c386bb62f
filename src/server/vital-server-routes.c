/* vital-server-routes.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The /sdk session API and /health: which path and method reach which route (one table), and
 * the answers for paths and methods no route takes. Each route's handler lives in its own
 * vital-route-*.c. Everything here runs on the server thread; processing happens on the
 * VitalProcessor pool.
 */
#include <string.h>

#include "vital-server-routes.h"

typedef struct
{
  const char        *pattern;   /* a path, with at most one `{id}` segment */
  const char        *method;    /* GET also takes HEAD */
  gboolean           needs_key; /* authenticated (and charged to the key) before the handler */
  VitalRouteHandler *handler;
} VitalRoute;

/* /health is charged per address; an upload is authorised by its presigned URL, checked (and
 * charged) in the early handler. */
static const VitalRoute routes[] = {
  { "/health",                      "GET",  FALSE, vital_route_health },
  { "/sdk/session/start",           "POST", TRUE,  vital_route_start },
  { "/sdk/session/upload-complete", "POST", TRUE,  vital_route_upload_complete },
  { "/sdk/sessions",                "GET",  TRUE,  vital_route_sessions },
  { "/sdk/session/{id}/upload",     "PUT",  FALSE, vital_route_upload },
  { "/sdk/session/{id}/result",     "GET",  TRUE,  vital_route_result },
  /* The older form of the same route. */
  { "/sdk/session/result/{id}",     "GET",  TRUE,  vital_route_result },
};

static gboolean
route_matches (const VitalRoute  *route,
               const char        *path,
               char             **out_id)
{
  if (strstr (route->pattern, "{id}") == NULL)
    return strcmp (route->pattern, path) == 0;
  return vital_request_match_path (path, route->pattern, out_id);
}

static gboolean
method_matches (const VitalRoute *route,
                const char       *method)
{
  if (strcmp (route->method, "GET") == 0 && method == SOUP_METHOD_HEAD)
    return TRUE;
  return strcmp (route->method, method) == 0;
}

static void
method_not_allowed (VitalServer       *self,
                    SoupServerMessage *msg,
                    const char        *allow)
{
  g_autoptr(GError) error = NULL;

  if (!vital_server_charge (self, msg, NULL, &error))
    {
      vital_request_respond_error (msg, error);
      return;
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  vital_request_refuse (msg, VITAL_SERVER_ERROR_METHOD_NOT_ALLOWED, NULL,
                        "%s is not allowed here; use %s", soup_server_message_get_method (msg),
                        allow);
}

/* Runs @route's handler, after authenticating the request if the route needs a key, and
 * answers with the error when either fails. */
static void
dispatch (VitalServer       *self,
          const VitalRoute  *route,
          SoupServerMessage *msg,
          const char        *id,
          GHashTable        *query)
{
  g_autoptr(VitalKeyInfo) key = NULL;
  g_autoptr(GError) error = NULL;

  if (route->needs_key)
    {
      key = vital_request_authenticate (self, msg, &error);
      if (key == NULL)
        {
          vital_request_respond_error (msg, error);
          return;
        }
    }
  if (!route->handler (self, msg, key, id, query, &error))
    vital_request_respond_error (msg, error);
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           data)
{
  VitalServer *self = data;
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      g_autofree char *id = NULL;

      if (!route_matches (&routes[i], path, &id))
        continue;
      if (method_matches (&routes[i], method))
        dispatch (self, &routes[i], msg, id, query);
      else
        method_not_allowed (self, msg, routes[i].method);
      return;
    }
  if (!vital_server_charge (self, msg, NULL, &error))
    vital_request_respond_error (msg, error);
  else
    vital_request_refuse (msg, VITAL_SERVER_ERROR_NOT_FOUND, NULL, "There is no endpoint %s",
                          path);
}

/**
 * vital_server_routes_install:
 * @self: a #VitalServer
 *
 * Registers the /sdk and /health handlers (and the early upload handler) on the SoupServer.
 * The SoupServer is built with #SoupServer:raw-paths (a construct-only property): handlers see
 * the path as sent, GUri only normalising the escapes of unreserved characters. Otherwise
 * libsoup decodes it first and answers a bare 400 before any handler runs when that fails
 * (`%00`) or yields a `/../` segment, and a decoded `%2f` splits a session id in two. No route
 * needs a decoded path: session ids are plain UUIDs.
 */
void
vital_server_routes_install (VitalServer *self)
{
  /* Same (root) entry as the main handler: libsoup picks one entry per path prefix. */
  soup_server_add_early_handler (self->soup, NULL, vital_route_upload_early, self, NULL);
  soup_server_add_handler (self->soup, NULL, handle_request, self, NULL);
}
