/* vital-session-store.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalSessionStore: the storage interface of the session server (sessions, results until
 * delivered or expired, history, quota and rate-limit counters, and what nodes sharing one
 * database tell each other). VitalSqliteStore and VitalPgStore implement it.
 */
#pragma once

#include <glib-object.h>

#include "vital-rate-limit.h"
#include "vital-session.h"

G_BEGIN_DECLS

/**
 * VitalStoreEvent:
 * @VITAL_STORE_EVENT_FINISHED: a session reached completed or failed (on any node)
 * @VITAL_STORE_EVENT_JOBS: processing jobs wait for a node to claim them
 * @VITAL_STORE_EVENT_RECONNECTED: the notification channel was re-established; notifications
 *   sent meanwhile may be lost, so look again at everything waited for
 *
 * What a shared store tells the nodes through vital_session_store_watch().
 */
typedef enum
{
  VITAL_STORE_EVENT_FINISHED,
  VITAL_STORE_EVENT_JOBS,
  VITAL_STORE_EVENT_RECONNECTED,
} VitalStoreEvent;

/**
 * VitalStoreEventFunc:
 * @event: what happened
 * @subject: (nullable): the session id (FINISHED) or the node id (JOBS)
 * @user_data: closure data
 *
 * Called on the context given to vital_session_store_watch().
 */
typedef void (*VitalStoreEventFunc) (VitalStoreEvent  event,
                                     const char      *subject,
                                     gpointer         user_data);

/* What a session whose payload died with its node says: retryable, the user scans again. */
#define VITAL_SESSION_LOST_MESSAGE \
  "The upload was lost when the server node holding it stopped; scan again"

#define VITAL_TYPE_SESSION_STORE (vital_session_store_get_type ())

G_DECLARE_DERIVABLE_TYPE (VitalSessionStore, vital_session_store, VITAL, SESSION_STORE, GObject)

/**
 * VitalSessionOutcome:
 * @status: %VITAL_SESSION_COMPLETED or %VITAL_SESSION_FAILED
 * @result_json: (nullable): the result object to hand out (completed sessions)
 * @error_text: (nullable): why it failed (failed sessions)
 * @processing_time_ms: how long processing took
 * @result_expires_us: when @result_json is purged, delivered or not (0 without a result)
 * @result_once: @result_json is handed out once, then deleted (%FALSE without a result)
 *
 * How a processing session ended: what vital_session_store_finish() has the back end store.
 */
typedef struct
{
  VitalSessionStatus status;
  const char        *result_json;
  const char        *error_text;
  double             processing_time_ms;
  gint64             result_expires_us;
  gboolean           result_once;
} VitalSessionOutcome;

/**
 * VitalSessionQuery:
 * @key_id: the owner key
 * @payload_kind: only sessions of this payload kind (the session API lists its own tensor
 *   sessions, never a dialect's)
 * @user_id: (nullable): only this X-User-Id's sessions
 * @from_us: earliest created time, inclusive
 * @to_us: latest created time, inclusive
 * @ascending: oldest first
 * @offset: rows to skip
 * @limit: rows to return
 *
 * A page of a key's history, as vital_session_store_list() asks the back end for it.
 */
typedef struct
{
  const char *key_id;
  const char *payload_kind;
  const char *user_id;
  gint64      from_us;
  gint64      to_us;
  gboolean    ascending;
  guint       offset;
  guint       limit;
} VitalSessionQuery;

/**
 * VitalSessionStoreClass:
 * @shared: several server processes may use the same store at once (each is a "node")
 * @sql: (nullable): set by vital_session_store_class_install_sql() (private to the back ends,
 *   see vital-session-store-private.h)
 *
 * The virtual methods mirror the public functions below; see their documentation. Those
 * marked optional may be left %NULL: the public function then does what a single process
 * does (its own rate-limit windows, its own secret, no other nodes).
 */
struct _VitalSessionStoreClass
{
  GObjectClass parent_class;

  gboolean shared;
  const struct _VitalStoreSql *sql;


  gboolean      (*insert)           (VitalSessionStore          *self,
                                     const VitalSession         *session,
                                     GError                    **error);
  VitalSession *(*get)              (VitalSessionStore          *self,
                                     const char                 *id,
                                     gint64                      now_us,
                                     GError                    **error);
  gboolean      (*mark_uploaded)    (VitalSessionStore          *self,
                                     const char                 *id,
                                     gint64                      payload_bytes,
                                     const char                 *node_id,
                                     gint64                      now_us,
                                     GError                    **error);
  VitalSession *(*begin_processing) (VitalSessionStore          *self,
                                     const char                 *id,
                                     const char                 *node_id,
                                     gint64                      now_us,
                                     GError                    **error);
  gboolean      (*finish)           (VitalSessionStore          *self,
                                     const char                 *id,
                                     const VitalSessionOutcome  *outcome,
                                     gint64                      now_us,
                                     GError                    **error);
  gboolean      (*abandon)          (VitalSessionStore          *self,
                                     const char                 *id,
                                     const char                 *error_text,
                                     gboolean                    retryable,
                                     gint64                      now_us,
                                     GError                    **error);
  char         *(*take_result)      (VitalSessionStore          *self,
                                     const char                 *id,
                                     gint64                      now_us,
                                     GError                    **error);
  GPtrArray    *(*list)             (VitalSessionStore          *self,
                                     const VitalSessionQuery    *query,
                                     gint64                      now_us,
                                     GPtrArray                 **out_results,
                                     guint                      *out_total,
                                     GError                    **error);
  gboolean      (*consume_quota)    (VitalSessionStore          *self,
                                     const char                 *key_id,
                                     const char                 *month,
                                     guint                       quota,
                                     guint                      *out_used,
                                     GError                    **error);
  gboolean      (*get_quota_used)   (VitalSessionStore          *self,
                                     const char                 *key_id,
                                     const char                 *month,
                                     guint                      *out_used,
                                     GError                    **error);
  guint         (*maintain)         (VitalSessionStore          *self,
                                     gint64                      now_us,
                                     GError                    **error);
  GPtrArray    *(*list_ids)         (VitalSessionStore          *self,
                                     VitalSessionStatus          status,
                                     const char                 *node_id,
                                     GError                    **error);
  guint         (*count_results)    (VitalSessionStore          *self);

  /* Optional. */
  gboolean      (*rate_limit)       (VitalSessionStore          *self,
                                     const char                 *bucket,
                                     guint                       limit,
                                     gboolean                    count,
                                     gint64                      now_us,
                                     VitalRateLimitState        *out_state,
                                     GError                    **error);
  GBytes       *(*share_secret)     (VitalSessionStore          *self,
                                     GBytes                     *candidate,
                                     GError                    **error);
  gboolean      (*heartbeat)        (VitalSessionStore          *self,
                                     const char                 *node_id,
                                     gint64                      now_us,
                                     GError                    **error);
  GPtrArray    *(*claim_jobs)       (VitalSessionStore          *self,
                                     const char                 *node_id,
                                     gint64                      now_us,
                                     GError                    **error);
  GPtrArray    *(*fail_lost)        (VitalSessionStore          *self,
                                     const char                 *node_id,
                                     gint64                      now_us,
                                     gint64                      node_timeout_us,
                                     GError                    **error);
  void          (*watch)            (VitalSessionStore          *self,
                                     GMainContext               *context,
                                     VitalStoreEventFunc         func,
                                     gpointer                    user_data);
  gboolean      (*is_available)     (VitalSessionStore          *self);

  gpointer padding[7];
};

VitalSessionStore *vital_session_store_open            (const char          *path,
                                                        GError             **error);
VitalSessionStore *vital_session_store_open_database   (const char          *database,
                                                        const char          *sqlite_path,
                                                        guint                connections,
                                                        GError             **error);
gboolean           vital_session_store_is_shared       (VitalSessionStore   *self);
gboolean           vital_session_store_insert          (VitalSessionStore   *self,
                                                        const VitalSession  *session,
                                                        GError             **error);
VitalSession      *vital_session_store_get             (VitalSessionStore   *self,
                                                        const char          *id,
                                                        gint64               now_us,
                                                        GError             **error);
gboolean           vital_session_store_mark_uploaded_on (VitalSessionStore  *self,
                                                        const char          *id,
                                                        gint64               payload_bytes,
                                                        const char          *node_id,
                                                        gint64               now_us,
                                                        GError             **error);
VitalSession      *vital_session_store_begin_processing_on (VitalSessionStore *self,
                                                        const char          *id,
                                                        const char          *node_id,
                                                        gint64               now_us,
                                                        GError             **error);
gboolean           vital_session_store_finish          (VitalSessionStore   *self,
                                                        const char          *id,
                                                        gboolean             completed,
                                                        const char          *result_json,
                                                        const char          *error_text,
                                                        double               processing_time_ms,
                                                        gint64               now_us,
                                                        gboolean             persist,
                                                        gint64               result_expires_us,
                                                        GError             **error);
gboolean           vital_session_store_abandon         (VitalSessionStore   *self,
                                                        const char          *id,
                                                        const char          *error_text,
                                                        gint64               now_us,
                                                        GError             **error);
gboolean           vital_session_store_abandon_retryable (VitalSessionStore *self,
                                                        const char          *id,
                                                        const char          *error_text,
                                                        gint64               now_us,
                                                        GError             **error);
char              *vital_session_store_take_result     (VitalSessionStore   *self,
                                                        const char          *id,
                                                        gint64               now_us,
                                                        GError             **error);
GPtrArray         *vital_session_store_list            (VitalSessionStore   *self,
                                                        const char          *key_id,
                                                        const char          *payload_kind,
                                                        const char          *user_id,
                                                        gint64               from_us,
                                                        gint64               to_us,
                                                        gboolean             ascending,
                                                        guint                offset,
                                                        guint                limit,
                                                        gint64               now_us,
                                                        GPtrArray          **out_results,
                                                        guint               *out_total,
                                                        GError             **error);
gboolean           vital_session_store_consume_quota   (VitalSessionStore   *self,
                                                        const char          *key_id,
                                                        gint64               now_us,
                                                        guint                quota,
                                                        guint               *out_used,
                                                        GError             **error);
guint              vital_session_store_get_quota_used  (VitalSessionStore   *self,
                                                        const char          *key_id,
                                                        gint64               now_us);
guint              vital_session_store_maintain        (VitalSessionStore   *self,
                                                        gint64               now_us);
GPtrArray         *vital_session_store_list_node_ids   (VitalSessionStore   *self,
                                                        VitalSessionStatus   status,
                                                        const char          *node_id,
                                                        GError             **error);
guint              vital_session_store_count_results   (VitalSessionStore   *self);
gboolean           vital_session_store_rate_limit      (VitalSessionStore   *self,
                                                        const char          *bucket,
                                                        guint                limit,
                                                        gboolean             count,
                                                        gint64               now_us,
                                                        VitalRateLimitState *out_state,
                                                        GError             **error);
GBytes            *vital_session_store_share_secret    (VitalSessionStore   *self,
                                                        GBytes              *candidate,
                                                        GError             **error);
gboolean           vital_session_store_heartbeat       (VitalSessionStore   *self,
                                                        const char          *node_id,
                                                        gint64               now_us,
                                                        GError             **error);
GPtrArray         *vital_session_store_claim_jobs      (VitalSessionStore   *self,
                                                        const char          *node_id,
                                                        gint64               now_us,
                                                        GError             **error);
GPtrArray         *vital_session_store_fail_lost       (VitalSessionStore   *self,
                                                        const char          *node_id,
                                                        gint64               now_us,
                                                        gint64               node_timeout_us,
                                                        GError             **error);
void               vital_session_store_watch           (VitalSessionStore   *self,
                                                        GMainContext        *context,
                                                        VitalStoreEventFunc  func,
                                                        gpointer             user_data);
gboolean           vital_session_store_is_available    (VitalSessionStore   *self);

char              *vital_session_store_month_of        (gint64               now_us);

G_END_DECLS
