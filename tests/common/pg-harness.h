/* pg-harness.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PgHarness: a throwaway PostgreSQL cluster (Debian's postgresql package) on a Unix socket in a
 * temporary folder, run as an unprivileged user: for the store, server and cluster tests and
 * the cluster bench.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PgHarness PgHarness;

PgHarness  *pg_harness_start           (GError     **error);
PgHarness  *pg_harness_try_start       (char       **out_unavailable);
void        pg_harness_free             (PgHarness   *self);
gboolean    pg_harness_create_database (PgHarness   *self,
                                        const char  *name,
                                        GError     **error);
char       *pg_harness_uri             (PgHarness   *self,
                                        const char  *database);
gboolean    pg_harness_stop_server     (PgHarness   *self,
                                        GError     **error);
gboolean    pg_harness_start_server    (PgHarness   *self,
                                        GError     **error);
GPid        pg_harness_get_pid         (PgHarness   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PgHarness, pg_harness_free)

G_END_DECLS
