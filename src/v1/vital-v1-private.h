/* vital-v1-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of the /v1 dialect share: its state, its in-memory sessions, its processing
 * jobs and its {"detail": …} answers.
 */
#pragma once

#include "vital-engine.h"
#include "vital-server.h"

G_BEGIN_DECLS

/* Every /v1 request the early handler lets through carries its key (VitalKeyInfo) here. */
#define VITAL_V1_KEY_DATA "vital-v1-key"

typedef enum
{
  VITAL_V1_CREATED,
  VITAL_V1_RECEIVING,    /* a video is being copied out of its upload and checked */
  VITAL_V1_PROCESSING,
  VITAL_V1_COMPLETED,
  VITAL_V1_FAILED,
} VitalV1Status;

typedef struct
{
  char               *id;
  char               *owner;         /* the key's owner name, as shown */
  char               *key_id;        /* the key that created it: the only one that sees it */
  VitalKeyEnvironment environment;
  gint64              created_us;
  VitalV1Status       status;
  VitalVitals        *vitals;        /* NULL once handed out (persistence off) */
  gint64              completed_us;
  gint64              forget_us;     /* when maintenance drops it; not while a video is in */
  char               *error;
} VitalV1Session;

/* An atomic reference-counted box (g_atomic_rc_box_*), shared by the early handler, the
 * handler and the maintenance closure (one reference each) and by the uploads in flight.
 * Jobs do not hold a reference: the last release waits for the worker pool to finish them
 * before freeing anything. */
typedef struct
{
  VitalServer *server;        /* not owned: the server owns us through its handlers */
  VitalClock  *clock;
  gboolean     persist;       /* results stay readable until forget_us */
  gint64       result_ttl_us;
  gint64       session_ttl_us;
  GMutex       mutex;
  GHashTable  *sessions;      /* id → VitalV1Session */
  GThreadPool *pool;          /* runs VitalV1Job, one at a time */
} VitalV1State;

typedef struct
{
  VitalV1State *state;
  char         *session_id;
  char         *path;         /* the video, deleted by the job */
  gboolean      sandbox;
} VitalV1Job;

VitalV1State *vital_v1_state_ref      (VitalV1State       *state);
void          vital_v1_state_unref    (gpointer            data);
const char   *vital_v1_key_owner      (const VitalKeyInfo *key);
gboolean      vital_v1_session_is_owned (const VitalV1Session *session,
                                         const VitalKeyInfo   *key);
JsonNode     *vital_v1_detail_body    (const char         *detail);
void          vital_v1_respond_detail (SoupServerMessage  *msg,
                                       guint               status,
                                       const char         *detail);
void          vital_v1_refuse         (VitalV1State       *state,
                                       SoupServerMessage  *msg,
                                       guint               status,
                                       const char         *detail);
void          vital_v1_refuse_after_body (VitalV1State       *state,
                                          SoupServerMessage  *msg,
                                          guint               status,
                                          const char         *detail);
gboolean      vital_v1_video_prepare  (VitalV1State       *state,
                                       SoupServerMessage  *msg,
                                       const VitalKeyInfo *key,
                                       const char         *id);
void          vital_v1_video_receive  (VitalV1State       *state,
                                       SoupServerMessage  *msg,
                                       const VitalKeyInfo *key,
                                       const char         *id);

G_END_DECLS
