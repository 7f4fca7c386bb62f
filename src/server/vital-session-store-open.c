/* vital-session-store-open.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opening a session store: picks the back end (SQLite or PostgreSQL) a `--database` option
 * names. Apart from the interface so that the interface and its back ends never call each other.
 */
#include "vital-pg-store.h"
#include "vital-server-error.h"
#include "vital-session-store.h"
#include "vital-sqlite-store.h"

/**
 * vital_session_store_open:
 * @path: (nullable): the SQLite file, created when missing; %NULL for a private in-memory
 *   database (nothing survives the process)
 * @error: return location for a #GError
 *
 * Opens the embedded default store (see vital_sqlite_store_new()).
 *
 * Returns: (transfer full) (nullable): the store
 */
VitalSessionStore *
vital_session_store_open (const char  *path,
                          GError     **error)
{
  return VITAL_SESSION_STORE (vital_sqlite_store_new (path, error));
}

/**
 * vital_session_store_open_database:
 * @database: (nullable): `postgresql://…` or `postgres://…` (a libpq URI) for a shared
 *   PostgreSQL store; %NULL, "" or "sqlite" for the embedded SQLite store
 * @sqlite_path: (nullable): the SQLite file when @database names SQLite (%NULL: in memory)
 * @connections: how many database connections a PostgreSQL store may hold at once
 * @error: return location for a #GError (%VITAL_SERVER_ERROR_CONFIG)
 *
 * Opens the back end a `--database` option names. A PostgreSQL database is created and
 * migrated to the current schema on the way.
 *
 * Returns: (transfer full) (nullable): the store
 */
VitalSessionStore *
vital_session_store_open_database (const char  *database,
                                   const char  *sqlite_path,
                                   guint        connections,
                                   GError     **error)
{
  if (database == NULL || *database == '\0' || g_strcmp0 (database, "sqlite") == 0)
    return vital_session_store_open (sqlite_path, error);
  if (g_str_has_prefix (database, "postgresql://") || g_str_has_prefix (database, "postgres://"))
    return VITAL_SESSION_STORE (vital_pg_store_new (database, connections, error));
  g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
               "The database must be \"sqlite\" or a postgresql:// URI");
  return NULL;
}
