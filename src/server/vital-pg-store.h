/* vital-pg-store.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalPgStore: the session store in PostgreSQL (libpq), shared by the nodes of a cluster.
 */
#pragma once

#include "vital-session-store.h"

G_BEGIN_DECLS

#define VITAL_TYPE_PG_STORE (vital_pg_store_get_type ())

G_DECLARE_FINAL_TYPE (VitalPgStore, vital_pg_store, VITAL, PG_STORE, VitalSessionStore)

/* The schema version this build migrates a database to. */
#define VITAL_PG_STORE_SCHEMA_VERSION 3

VitalPgStore *vital_pg_store_new                (const char   *uri,
                                                 guint         connections,
                                                 GError      **error);
int           vital_pg_store_get_schema_version (VitalPgStore *self,
                                                 GError      **error);
gboolean      vital_pg_store_reset              (VitalPgStore *self,
                                                 GError      **error);

G_END_DECLS
