/* vital-v1-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of the /v1 dialect share: the dialect on its server, finding a /v1 session
 * in the server's session store, its {"detail": …} answers and the video payload kind.
 */
#pragma once

#include "vital-server.h"

G_BEGIN_DECLS

/* Every /v1 request the early handler lets through carries its key (VitalKeyInfo) here. */
#define VITAL_V1_KEY_DATA "vital-v1-key"

/* The payload kind of /v1 sessions in the server's store: a video file, which the server
 * processes through the decoder vital-v1-decode.c registers. */
#define VITAL_V1_PAYLOAD_KIND "video"

/* The dialect on one server. Owned by the server (object data): it lives as long as the
 * handlers that use it. Touched only on the server thread. Sessions are not kept here: they
 * live in the server's store, like the session API's. */
typedef struct
{
  VitalServer *server;     /* not owned: it owns us */
  GHashTable  *receiving;  /* ids of sessions whose video this node is checking right now */
} VitalV1;

VitalSession *vital_v1_find_session   (VitalV1            *v1,
                                       const VitalKeyInfo *key,
                                       const char         *id,
                                       GError            **error);
JsonNode     *vital_v1_detail_body    (const char         *detail);
void          vital_v1_respond_detail (SoupServerMessage  *msg,
                                       guint               status,
                                       const char         *detail);
void          vital_v1_respond_error  (SoupServerMessage  *msg,
                                       const GError       *error);
void          vital_v1_refuse         (VitalV1            *v1,
                                       SoupServerMessage  *msg,
                                       guint               status,
                                       const char         *detail);
void          vital_v1_refuse_after_body (VitalV1            *v1,
                                          SoupServerMessage  *msg,
                                          guint               status,
                                          const char         *detail);
gboolean      vital_v1_video_prepare  (VitalV1            *v1,
                                       SoupServerMessage  *msg,
                                       const VitalKeyInfo *key,
                                       const char         *id);
void          vital_v1_video_receive  (VitalV1            *v1,
                                       SoupServerMessage  *msg,
                                       const VitalKeyInfo *key,
                                       const char         *id);
void          vital_v1_decode_register (VitalServer       *server);

G_END_DECLS
