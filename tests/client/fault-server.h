/* fault-server.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A SoupServer on 127.0.0.1:0 in its own thread that speaks the session API and misbehaves
 * on purpose, following a per-route script.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  FAULT_REPLY,     /* answer with status/content type/body */
  FAULT_DROP,      /* close the connection as soon as the request headers arrive */
  FAULT_DROP_BODY, /* close the connection once part of the request body arrived */
  FAULT_STALL,     /* never answer (the client must time out) */
} FaultKind;

typedef struct _FaultServer FaultServer;

/* Routes: "start", "upload", "complete", "result", "alias", "sessions", "health". */
FaultServer *fault_server_new          (void);
void         fault_server_free         (FaultServer *self);
const char  *fault_server_get_url      (FaultServer *self);

/* Queues a reply for @route; the last queued reply of a route repeats. A NULL @body with
 * FAULT_REPLY and status 200 means the route's normal success body. @retry_after is sent as
 * Retry-After, or as Location for a 3xx status. */
void         fault_server_push         (FaultServer *self,
                                        const char  *route,
                                        FaultKind    kind,
                                        guint        status,
                                        const char  *content_type,
                                        const char  *body,
                                        const char  *retry_after);
void         fault_server_push_json    (FaultServer *self,
                                        const char  *route,
                                        guint        status,
                                        const char  *body);
void         fault_server_clear        (FaultServer *self,
                                        const char  *route);
guint        fault_server_get_hits     (FaultServer *self,
                                        const char  *route);
/* What the last request to @route carried (NULL if absent). */
char        *fault_server_get_header   (FaultServer *self,
                                        const char  *route,
                                        const char  *header);
char        *fault_server_get_query    (FaultServer *self,
                                        const char  *route);
char        *fault_server_get_body     (FaultServer *self,
                                        const char  *route);
void         fault_server_set_rate_headers (FaultServer *self,
                                        gboolean     send);

G_END_DECLS
