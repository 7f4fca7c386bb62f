/* vital-sqlite-store.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalSqliteStore: the embedded session store in one SQLite file (WAL, secure_delete).
 */
#pragma once

#include "vital-session-store.h"

G_BEGIN_DECLS

#define VITAL_TYPE_SQLITE_STORE (vital_sqlite_store_get_type ())

G_DECLARE_FINAL_TYPE (VitalSqliteStore, vital_sqlite_store, VITAL, SQLITE_STORE,
                      VitalSessionStore)

/* The schema version (PRAGMA user_version) this build migrates a store to. */
#define VITAL_SQLITE_STORE_SCHEMA_VERSION 2

VitalSqliteStore *vital_sqlite_store_new (const char  *path,
                                          GError     **error);

G_END_DECLS
