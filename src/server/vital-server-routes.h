/* vital-server-routes.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to the server library: the /sdk routes. Each route's handler lives in its own
 * vital-route-*.c; vital-server-routes.c maps paths and methods to them, and
 * vital-server-request.c holds what every request goes through.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "vital-server-private.h"

G_BEGIN_DECLS

/* Request bodies other than uploads are small JSON objects. */
#define VITAL_REQUEST_MAX_JSON_BODY (64 * 1024)

/* What every /sdk request goes through (vital-server-request.c). */
void          vital_request_respond_error           (SoupServerMessage   *msg,
                                                     const GError        *error);
void          vital_request_refuse                  (SoupServerMessage   *msg,
                                                     VitalServerError     code,
                                                     const char          *detail,
                                                     const char          *format,
                                                     ...) G_GNUC_PRINTF (4, 5);
VitalKeyInfo *vital_request_authenticate            (VitalServer         *self,
                                                     SoupServerMessage   *msg,
                                                     GError             **error);
gboolean      vital_request_refuse_if_shutting_down (VitalServer         *self,
                                                     SoupServerMessage   *msg);
JsonNode     *vital_request_parse_json_body         (SoupServerMessage   *msg,
                                                     gboolean             allow_empty,
                                                     GError             **error);
GTimeZone    *vital_request_timezone                (SoupServerMessage   *msg,
                                                     char               **out_name,
                                                     GError             **error);
gboolean      vital_request_user_id                 (SoupServerMessage   *msg,
                                                     char               **out,
                                                     GError             **error);
VitalSession *vital_request_api_session             (VitalServer         *self,
                                                     const char          *id,
                                                     gint64               now_us,
                                                     GError             **error);
VitalSession *vital_request_owned_session           (VitalServer         *self,
                                                     const VitalKeyInfo  *key,
                                                     const char          *id,
                                                     GError             **error);
gboolean      vital_request_match_path              (const char          *path,
                                                     const char          *pattern,
                                                     char               **out_id);

/* A route. @key is the caller's key when the route requires one (the router authenticates the
 * request first), %NULL otherwise; @id is the path's `{id}` segment (NULL when the path has
 * none), @query its query. Returns %FALSE with @error set for the router to answer with that
 * error, or %TRUE once the route has answered (or paused the request to answer later). */
typedef gboolean VitalRouteHandler (VitalServer        *self,
                                    SoupServerMessage  *msg,
                                    const VitalKeyInfo *key,
                                    const char         *id,
                                    GHashTable         *query,
                                    GError            **error);

VitalRouteHandler vital_route_health;
VitalRouteHandler vital_route_start;
VitalRouteHandler vital_route_upload;
VitalRouteHandler vital_route_upload_complete;
VitalRouteHandler vital_route_result;
VitalRouteHandler vital_route_sessions;

/* The early handler of every request (vital-route-upload.c): checks uploads from their headers
 * and caps every other request's body. */
void vital_route_upload_early    (SoupServer        *server,
                                  SoupServerMessage *msg,
                                  const char        *path,
                                  GHashTable        *query,
                                  gpointer           data);

G_END_DECLS
