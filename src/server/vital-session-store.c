/* vital-session-store.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalSessionStore: the abstract storage interface (dispatch to the back end, argument
 * checks) and what a single process does where a back end leaves an optional part out:
 * in-memory rate-limit windows, its own secret, no other nodes to hear from.
 */
#include "vital-server-error.h"
#include "vital-session-store.h"

typedef struct
{
  VitalRateLimit *rate_limit;  /* rate limiting without a rate_limit vfunc: this process only */
} VitalSessionStorePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (VitalSessionStore, vital_session_store, G_TYPE_OBJECT)

#define CLASS(self) VITAL_SESSION_STORE_GET_CLASS (self)

static void
vital_session_store_finalize (GObject *object)
{
  VitalSessionStore *self = VITAL_SESSION_STORE (object);
  VitalSessionStorePrivate *priv = vital_session_store_get_instance_private (self);

  g_clear_pointer (&priv->rate_limit, vital_rate_limit_free);
  G_OBJECT_CLASS (vital_session_store_parent_class)->finalize (object);
}

static void
vital_session_store_class_init (VitalSessionStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vital_session_store_finalize;
}

static void
vital_session_store_init (VitalSessionStore *self)
{
  VitalSessionStorePrivate *priv = vital_session_store_get_instance_private (self);
  g_autoptr(VitalClock) clock = vital_clock_new_system ();

  /* Only the _at() functions are used: the clock is never read. */
  priv->rate_limit = vital_rate_limit_new (clock, 60);
}

/**
 * vital_session_store_is_shared:
 * @self: a #VitalSessionStore
 *
 * Returns: %TRUE when several server nodes may share this store (PostgreSQL)
 */
gboolean
vital_session_store_is_shared (VitalSessionStore *self)
{
  g_return_val_if_fail (VITAL_IS_SESSION_STORE (self), FALSE);
  return CLASS (self)->shared;
}

/**
 * vital_session_store_insert:
 * @self: a #VitalSessionStore
 * @session: a new session
 * @error: return location for a #GError (SERVICE_UNAVAILABLE while the database is away)
 *
 * Returns: %TRUE when the session was stored
 */
gboolean
vital_session_store_insert (VitalSessionStore   *self,
                            const VitalSession  *session,
                            GError             **error)
{
  g_return_val_if_fail (VITAL_IS_SESSION_STORE (self), FALSE);
  g_return_val_if_fail (session != NULL && session->id != NULL, FALSE);
  return CLASS (self)->insert (self, session, error);
}

/**
 * vital_session_store_get:
 * @self: a #VitalSessionStore
 * @id: a session id
 * @now_us: the current time (sessions past their deadline become expired first)
 * @error: return location for a #GError (%VITAL_SERVER_ERROR_SESSION_NOT_FOUND)
 *
 * Returns: (transfer full) (nullable): the session
 */
VitalSession *
vital_session_store_get (VitalSessionStore  *self,
                         const char         *id,
                         gint64              now_us,
                         GError            **error)
{
  g_return_val_if_fail (VITAL_IS_SESSION_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return CLASS (self)->get (self, id, now_us, error);
}

/**
 * vital_session_store_mark_uploaded_on:
 * @self: a #VitalSessionStore
 * @id: a session id
 * @payload_bytes: size of the payload now in the spool
 * @node_id: (nullable): the node whose spool holds the payload (the one that will process it)
 * @now_us: the current time
 * @error: return location for a #GError (SESSION_EXPIRED, ILLEGAL_TRANSITION, NOT_FOUND)
 *
 * pending|uploaded → uploaded, recording which node holds the payload. A re-upload through
 * another node moves the session to that node.
 *
 * Returns: %TRUE on success
 */
gboolean
vital_session_store_mark_uploaded_on (VitalSessionStore  *self,
                                      const char         *id,
                                      gint64              payload_bytes,
                                      const char         *node_id,
                                      gint64              now_us,
                                      GError            **error)
{
  g_return_val_if_fail (VITAL_IS_SESSION_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  return CLASS (self)->mark_uploaded (self, id, payload_bytes, node_id, now_us, error);
}

/**
 * vital_session_store_begin_processing_on:
 * @self: a #VitalSessionStore
 * @id: a session id
 * @node_id: (nullable): the node asking; when it holds the payload, the job is claimed by it
 *   at once, otherwise it waits in the store for its holder (vital_session_store_claim_jobs())
 * @now_us: the current time
 * @error: return location for a #GError (SESSION_EXPIRED, ILLEGAL_TRANSITION, NOT_FOUND)
 *
 * uploaded → processing, atomically (of two nodes asking at once, one succeeds).
 *
 * Returns: (transfer full) (nullable): the session as it is now (`payload_node` says who
 *   processes it)
 */
VitalSession *
vital_session_store_begin_processing_on (VitalSessionStore  *self,
                                         const char         *id,
                                         const char         *node_id,
                                         gint64              now_us,
                                         GError            **error)
{
  g_return_val_if_fail (VITAL_IS_SESSION_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return CLASS (self)->begin_processing (self, id, node_id, now_us, error);
}

/**
 * vital_session_store_finish:
 * @self: a #VitalSessionStore
 * @id: a processing session
 * @completed: %TRUE for completed, %FALSE for failed
 * @result_json: (nullable): the result object to hand out (completed sessions)
 * @error_text: (nullable): why it failed (failed sessions)
 * @processing_time_ms: how long processing took
 * @now_us: the current time
 * @persist: hand @result_json out as often as asked until @result_expires_us; otherwise it is
 *   handed out once (and deleted then). Either way it is stored until then, so that a restart
 *   loses no result that was not delivered yet.
 * @result_expires_us: when the result is purged, delivered or not
 * @error: return location for a #GError
 *
 * processing → completed|failed. A result is written once: a session that is no longer
 * processing (e.g. failed meanwhile as lost) is left as it is, with ILLEGAL_TRANSITION.
 *
 * Returns: %TRUE on success
 */
gboolean
vital_session_store_finish (VitalSessionStore  *self,
                            const char         *id,
                            gboolean            completed,
                            const char         *result_json,
                            const char         *error_text,
                            double              processing_time_ms,
                            gint64              now_us,
                            gboolean            persist,
                            gint64              result_expires_us,
                            GError            **error)
{
  const VitalSessionOutcome outcome = {
    completed ? VITAL_SESSION_COMPLETED : VITAL_SESSION_FAILED, result_json, error_text,
    processing_time_ms, result_json != NULL ? result_expires_us : 0,
    result_json != NULL && !persist
  };

  g_return_val_if_fail (VITAL_IS_SESSION_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  return CLASS (self)->finish (self, id, &outcome, now_us, error);
}

/* What vital_session_store_abandon() and _abandon_retryable() do; @retryable marks the
 * failure so. Returns: %TRUE on success */
static gboolean
abandon (VitalSessionStore  *self,
         gboolean            retryable,
         const char         *id,
         const char         *error_text,
         gint64              now_us,
         GError            **error)
{
  g_return_val_if_fail (VITAL_IS_SESSION_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL && error_text != NULL, FALSE);
  return CLASS (self)->abandon (self, id, error_text, retryable, now_us, error);
}

/**
 * vital_session_store_abandon:
 * @self: a #VitalSessionStore
 * @id: a session left in processing by a previous server instance
 * @error_text: why it was abandoned
 * @now_us: the current time
 * @error: return location for a #GError
 *
 * processing → failed, with `unexpected_end_time` set (the history shows it was abandoned).
 *
 * Returns: %TRUE on success
 */
gboolean
vital_session_store_abandon (VitalSessionStore  *self,
                             const char         *id,
                             const char         *error_text,
                             gint64              now_us,
                             GError            **error)
{
  return abandon (self, FALSE, id, error_text, now_us, error);
}

/**
 * vital_session_store_abandon_retryable:
 * @self: a #VitalSessionStore
 * @id: a processing session whose payload or job is gone through no fault of its own
 * @error_text: why, for a person ("…; scan again")
 * @now_us: the current time
 * @error: return location for a #GError
 *
 * Like vital_session_store_abandon(), and the failure is marked retryable.
 *
 * Returns: %TRUE on success
 */
gboolean
vital_session_store_abandon_retryable (VitalSessionStore  *self,
                                       const char         *id,
                                       const char         *error_text,
                                       gint64              now_us,
                                       GError            **error)
{
  return abandon (self, TRUE, id, error_text, now_us, error);
}

/**
 * vital_session_store_take_result:
 * @self: a #VitalSessionStore
 * @id: a session id
 * @now_us: the current time
 * @error: return location for a #GError (SERVICE_UNAVAILABLE while the database is away)
 *
 * Hands out a completed session's result: a persisted one as long as its TTL runs, an
 * unpersisted one exactly once, across every node: it is deleted from the store as it is
 * returned.
 *
 * Returns: (transfer full) (nullable): the result JSON, or %NULL when none is held (@error
 *   unset) or it could not be read (@error set: it is still held)
 */
char *
vital_session_store_take_result (VitalSessionStore  *self,
                                 const char         *id,
                                 gint64              now_us,
                                 GError            **error)
{
  g_return_val_if_fail (VITAL_IS_SESSION_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return CLASS (self)->take_result (self, id, now_us, error);
}

/**
 * vital_session_store_list:
 * @self: a #VitalSessionStore
 * @key_id: the owner key
 * @payload_kind: only sessions of this kind (e.g. %VITAL_PAYLOAD_KIND_TENSOR)
 * @user_id: (nullable): only this X-User-Id's sessions
 * @from_us: earliest created time, inclusive
 * @to_us: latest created time, inclusive
 * @ascending: oldest first
 * @offset: rows to skip
 * @limit: rows to return (0 returns none, only the total)
 * @now_us: the current time
 * @out_results: (out) (transfer full) (element-type utf8 nullable): the persisted result of each
 *   row, %NULL entries where none is persisted (an undelivered once-only result is not listed:
 *   the history never hands it out)
 * @out_total: (out): matching rows before offset/limit
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type VitalSession) (nullable): the page of sessions
 */
GPtrArray *
vital_session_store_list (VitalSessionStore  *self,
                          const char         *key_id,
                          const char         *payload_kind,
                          const char         *user_id,
                          gint64              from_us,
                          gint64              to_us,
                          gboolean            ascending,
                          guint               offset,
                          guint               limit,
                          gint64              now_us,
                          GPtrArray         **out_results,
                          guint              *out_total,
                          GError            **error)
{
  const VitalSessionQuery query = {
    key_id, payload_kind, user_id, from_us, to_us, ascending, offset, limit
  };

  g_return_val_if_fail (VITAL_IS_SESSION_STORE (self), NULL);
  g_return_val_if_fail (key_id != NULL && payload_kind != NULL, NULL);
  g_return_val_if_fail (out_results != NULL && out_total != NULL, NULL);
  return CLASS (self)->list (self, &query, now_us, out_results, out_total, error);
}

/**
 * vital_session_store_month_of:
 * @now_us: a time, µs since the epoch
 *
 * Returns: (transfer full): its UTC calendar month, "YYYY-MM" (the quota period)
 */
char *
vital_session_store_month_of (gint64 now_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (now_us / G_USEC_PER_SEC);

  return g_date_time_format (dt, "%Y-%m");
}

/**
 * vital_session_store_consume_quota:
 * @self: a #VitalSessionStore
 * @key_id: the key
 * @now_us: the current time (its UTC calendar month is the quota period)
 * @quota: sessions allowed per month, 0 for unlimited
 * @out_used: (out) (optional): sessions used this month after this call
 * @error: return location for a #GError (%VITAL_SERVER_ERROR_QUOTA_EXCEEDED)
 *
 * Counts one session against the key's monthly quota, atomically (across nodes too: of
 * concurrent calls for the last unit, exactly one succeeds).
 *
 * Returns: %TRUE when the session fits in the quota (and was counted)
 */
gboolean
vital_session_store_consume_quota (VitalSessionStore  *self,
                                   const char         *key_id,
                                   gint64              now_us,
                                   guint               quota,
                                   guint              *out_used,
                                   GError            **error)
{
  g_autofree char *month = vital_session_store_month_of (now_us);
  guint used = 0;
  gboolean ok;

  g_return_val_if_fail (VITAL_IS_SESSION_STORE (self), FALSE);
  g_return_val_if_fail (key_id != NULL, FALSE);
  ok = CLASS (self)->consume_quota (self, key_id, month, quota, &used, error);
  if (out_used != NULL)
    *out_used = used;
  return ok;
}

/**
 * vital_session_store_get_quota_used:
 * @self: a #VitalSessionStore
 * @key_id: the key
 * @now_us: the current time
 *
 * Returns: sessions counted against the key in the current UTC month (0 when unknown)
 */
guint
vital_session_store_get_quota_used (VitalSessionStore *self,
                                    const char        *key_id,
                                    gint64             now_us)
{
  g_autofree char *month = vital_session_store_month_of (now_us);
  guint used = 0;

  g_return_val_if_fail (VITAL_IS_SESSION_STORE (self), 0);
  if (!CLASS (self)->get_quota_used (self, key_id, month, &used, NULL))
    return 0;
  return used;
}

/**
 * vital_session_store_maintain:
 * @self: a #VitalSessionStore
 * @now_us: the current time
 *
 * Expires unfinished sessions past their deadline and irreversibly purges results past their
 * TTL (see the back ends for what "irreversibly" can mean there). Every call that reads or
 * changes sessions runs the same pass first.
 *
 * Returns: the number of sessions and results changed
 */
guint
vital_session_store_maintain (VitalSessionStore *self,
                              gint64             now_us)
{
  g_return_val_if_fail (VITAL_IS_SESSION_STORE (self), 0);
  return CLASS (self)->maintain (self, now_us, NULL);
}

/**
 * vital_session_store_list_node_ids:
 * @self: a #VitalSessionStore
 * @status: a status
 * @node_id: (nullable): only sessions whose payload this node holds; %NULL for all
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type utf8) (nullable): the ids
 */
GPtrArray *
vital_session_store_list_node_ids (VitalSessionStore   *self,
                                   VitalSessionStatus   status,
                                   const char          *node_id,
                                   GError             **error)
{
  g_return_val_if_fail (VITAL_IS_SESSION_STORE (self), NULL);
  return CLASS (self)->list_ids (self, status, node_id, error);
}

/**
 * vital_session_store_count_results:
 * @self: a #VitalSessionStore
 *
 * Returns: how many results are held right now (persisted ones and undelivered once-only ones)
 */
guint
vital_session_store_count_results (VitalSessionStore *self)
{
  g_return_val_if_fail (VITAL_IS_SESSION_STORE (self), 0);
  return CLASS (self)->count_results (self);
}

/**
 * vital_session_store_rate_limit:
 * @self: a #VitalSessionStore
 * @bucket: who is counted ("key:…" or "addr:…")
 * @limit: requests per one-minute window, 0 for unlimited
 * @count: %TRUE to count this request, %FALSE only to report the state
 * @now_us: the current time
 * @out_state: (out): the state after this call (for the X-RateLimit-* headers)
 * @error: return location for a #GError (SERVICE_UNAVAILABLE while the database is away)
 *
 * Fixed one-minute windows. In a shared store the window is one counter for every node, so
 * a key's limit holds exactly across the cluster.
 *
 * Returns: %TRUE when the request is within the limit; %FALSE when refused (@error unset) or
 *   the counter could not be reached (@error set)
 */
gboolean
vital_session_store_rate_limit (VitalSessionStore    *self,
                                const char           *bucket,
                                guint                 limit,
                                gboolean              count,
                                gint64                now_us,
                                VitalRateLimitState  *out_state,
                                GError              **error)
{
  VitalSessionStorePrivate *priv;

  g_return_val_if_fail (VITAL_IS_SESSION_STORE (self), FALSE);
  g_return_val_if_fail (bucket != NULL && out_state != NULL, FALSE);
  if (CLASS (self)->rate_limit != NULL)
    return CLASS (self)->rate_limit (self, bucket, limit, count, now_us, out_state, error);
  /* One process: its own windows. */
  priv = vital_session_store_get_instance_private (self);
  if (count)
    return vital_rate_limit_take_at (priv->rate_limit, bucket, limit, now_us, out_state);
  vital_rate_limit_peek_at (priv->rate_limit, bucket, limit, now_us, out_state);
  return TRUE;
}

/**
 * vital_session_store_share_secret:
 * @self: a #VitalSessionStore
 * @candidate: this node's own upload-signing secret
 * @error: return location for a #GError
 *
 * Nodes of a cluster must sign and verify upload URLs with one secret, since any node may
 * receive an upload: the first node stores its candidate, every node then uses the stored one.
 * A single-process store returns @candidate.
 *
 * Returns: (transfer full) (nullable): the secret to use
 */
GBytes *
vital_session_store_share_secret (VitalSessionStore  *self,
                                  GBytes             *candidate,
                                  GError            **error)
{
  g_return_val_if_fail (VITAL_IS_SESSION_STORE (self), NULL);
  g_return_val_if_fail (candidate != NULL, NULL);
  if (CLASS (self)->share_secret == NULL)
    return g_bytes_ref (candidate);
  return CLASS (self)->share_secret (self, candidate, error);
}

/**
 * vital_session_store_heartbeat:
 * @self: a #VitalSessionStore
 * @node_id: this node
 * @now_us: the current time
 * @error: return location for a #GError
 *
 * Records that @node_id is alive (shared stores); nodes silent for longer than the node
 * timeout lose their jobs (vital_session_store_fail_lost()).
 *
 * Returns: %TRUE when recorded
 */
gboolean
vital_session_store_heartbeat (VitalSessionStore  *self,
                               const char         *node_id,
                               gint64              now_us,
                               GError            **error)
{
  g_return_val_if_fail (VITAL_IS_SESSION_STORE (self), FALSE);
  g_return_val_if_fail (node_id != NULL, FALSE);
  if (CLASS (self)->heartbeat == NULL)
    return TRUE;
  return CLASS (self)->heartbeat (self, node_id, now_us, error);
}

/**
 * vital_session_store_claim_jobs:
 * @self: a #VitalSessionStore
 * @node_id: this node
 * @now_us: the current time
 * @error: return location for a #GError
 *
 * Claims the processing jobs that another node's upload-complete left for @node_id (the node
 * holding their payloads), atomically (`FOR UPDATE SKIP LOCKED`): each job is claimed once.
 *
 * Returns: (transfer full) (element-type VitalSession) (nullable): the claimed sessions
 */
GPtrArray *
vital_session_store_claim_jobs (VitalSessionStore  *self,
                                const char         *node_id,
                                gint64              now_us,
                                GError            **error)
{
  g_return_val_if_fail (VITAL_IS_SESSION_STORE (self), NULL);
  g_return_val_if_fail (node_id != NULL, NULL);
  if (CLASS (self)->claim_jobs == NULL)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) vital_session_free);
  return CLASS (self)->claim_jobs (self, node_id, now_us, error);
}

/**
 * vital_session_store_fail_lost:
 * @self: a #VitalSessionStore
 * @node_id: this node (never taken for dead)
 * @now_us: the current time
 * @node_timeout_us: how long a node may be silent before it is taken for dead
 * @error: return location for a #GError
 *
 * Fails, retryably (%VITAL_SESSION_LOST_MESSAGE), every processing session whose payload is
 * held by a node that stopped sending heartbeats: its payload is gone with it.
 *
 * Returns: (transfer full) (element-type utf8) (nullable): the ids of the sessions failed
 */
GPtrArray *
vital_session_store_fail_lost (VitalSessionStore  *self,
                               const char         *node_id,
                               gint64              now_us,
                               gint64              node_timeout_us,
                               GError            **error)
{
  g_return_val_if_fail (VITAL_IS_SESSION_STORE (self), NULL);
  g_return_val_if_fail (node_id != NULL, NULL);
  if (CLASS (self)->fail_lost == NULL)
    return g_ptr_array_new_with_free_func (g_free);
  return CLASS (self)->fail_lost (self, node_id, now_us, node_timeout_us, error);
}

/**
 * vital_session_store_watch:
 * @self: a #VitalSessionStore
 * @context: (nullable): where @func runs; %NULL stops watching
 * @func: (nullable): called for each event other nodes (or this one) announce
 * @user_data: data for @func (must outlive the watch)
 *
 * Listens for what the nodes of a shared store announce (PostgreSQL LISTEN/NOTIFY on a
 * connection of its own, watched from @context). Notifications can be lost while the
 * database is away: callers poll as well. Single-process stores announce nothing.
 */
void
vital_session_store_watch (VitalSessionStore   *self,
                           GMainContext        *context,
                           VitalStoreEventFunc  func,
                           gpointer             user_data)
{
  g_return_if_fail (VITAL_IS_SESSION_STORE (self));
  if (CLASS (self)->watch != NULL)
    CLASS (self)->watch (self, context, func, user_data);
}

/**
 * vital_session_store_is_available:
 * @self: a #VitalSessionStore
 *
 * Returns: %FALSE while the database is known to be unreachable (for /health)
 */
gboolean
vital_session_store_is_available (VitalSessionStore *self)
{
  g_return_val_if_fail (VITAL_IS_SESSION_STORE (self), FALSE);
  return CLASS (self)->is_available == NULL || CLASS (self)->is_available (self);
}
