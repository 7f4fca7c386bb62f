/* vital-pg-store-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of VitalPgStore share: its instance struct, the connection pool's statement
 * runners and result readers (vital-pg-store-pool.c), and the functions through which each
 * file installs its part of the VitalSessionStore vtable. Private to src/server/.
 */
#pragma once

#include <libpq-fe.h>

#include "vital-pg-store.h"
#include "vital-session-store-private.h"

G_BEGIN_DECLS

/* The LISTEN/NOTIFY channel: "done:<session id>" when a session finished, "jobs:<node id>"
 * when jobs wait for that node. */
#define VITAL_PG_CHANNEL "vitalscan"

/* A statement's tail that tells every node which sessions the CTE @cte (returning their ids)
 * finished. */
#define VITAL_PG_NOTIFY_DONE(cte) \
  "SELECT id, pg_notify('" VITAL_PG_CHANNEL "', 'done:' || id) FROM " cte

/* What a session that ended unexpectedly at $2 (abandoned, or lost with its node) is set to;
 * no node holds its job any more. */
#define VITAL_PG_FAIL_UNEXPECTEDLY \
  "status = 'failed', ended_us = $2, unexpected_end_us = $2, claimed = false"

/* The length of a rate-limit window, in seconds. */
#define VITAL_PG_RATE_WINDOW_S 60

struct _VitalPgStore
{
  VitalSessionStore   parent_instance;
  char               *uri;

  GMutex              mutex;
  GCond               cond;
  GPtrArray          *idle;          /* PGconn*, under mutex */
  guint               open;          /* connections handed out or idle */
  guint               max_open;
  gint64              retry_after;   /* monotonic µs: no new connection attempt before */
  gboolean            available;

  /* The notification listener; touched on the watch context only (and by watch()). */
  GMainContext       *watch_context;
  VitalStoreEventFunc watch_func;
  gpointer            watch_data;
  PGconn             *listen_conn;
  GSource            *listen_source;
  GSource            *retry_source;
};

#define PG_STORE(obj) ((VitalPgStore *) (obj))


G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* vital-pg-store-pool.c: connections and statements */
PGconn       *vital_pg_connect            (const char                 *uri,
                                           GError                    **error);
PGresult     *vital_pg_query_on           (PGconn                     *conn,
                                           const char                 *what,
                                           const char                 *sql,
                                           GError                    **error);
PGconn       *vital_pg_acquire            (VitalPgStore               *self,
                                           GError                    **error);
void          vital_pg_release            (VitalPgStore               *self,
                                           PGconn                     *conn);
PGresult     *vital_pg_run                (VitalPgStore               *self,
                                           const VitalStoreStatement  *statement,
                                           const VitalStoreArgs       *args,
                                           GError                    **error);
gboolean      vital_pg_run_ok             (VitalPgStore               *self,
                                           const VitalStoreStatement  *statement,
                                           const VitalStoreArgs       *args,
                                           GError                    **error);
gboolean      vital_pg_run_rows           (VitalSessionStore          *store,
                                           const VitalStoreStatement  *statement,
                                           const VitalStoreArgs       *args,
                                           VitalStoreRowFunc           row,
                                           gpointer                    user_data,
                                           GError                    **error);
gboolean      vital_pg_store_is_available (VitalSessionStore          *store);

/* vital-pg-store-pool.c: reading a result */
const char   *vital_pg_value_or_null      (const PGresult             *res,
                                           int                         row,
                                           int                         column);
gint64        vital_pg_int_value          (const PGresult             *res,
                                           int                         row,
                                           int                         column);
VitalSession *vital_pg_row_to_session     (const PGresult             *res,
                                           int                         row);
GPtrArray    *vital_pg_rows_to_sessions   (const PGresult             *res);
GPtrArray    *vital_pg_rows_to_ids        (const PGresult             *res);

/* Each file installs its part of the vtable. */
void          vital_pg_store_install_sessions (VitalSessionStoreClass *store_class);
void          vital_pg_store_install_counters (VitalSessionStoreClass *store_class);
void          vital_pg_store_install_cluster  (VitalSessionStoreClass *store_class);

/* vital-pg-store-cluster.c: stops listening, for finalize */
void          vital_pg_store_stop_listening   (VitalPgStore           *self);

G_END_DECLS
