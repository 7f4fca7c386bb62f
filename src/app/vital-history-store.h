/* vital-history-store.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalHistoryStore: the opt-in local history of results (SQLite in the user data dir).
 */
#pragma once

#include <gio/gio.h>

#include "vital-reading.h"

G_BEGIN_DECLS

#define VITAL_TYPE_HISTORY_STORE (vital_history_store_get_type ())
G_DECLARE_FINAL_TYPE (VitalHistoryStore, vital_history_store, VITAL, HISTORY_STORE, GObject)

char              *vital_history_store_default_path (void);
VitalHistoryStore *vital_history_store_open   (const char         *path,
                                               GError            **error);
gboolean           vital_history_store_add    (VitalHistoryStore  *self,
                                               VitalReading       *reading,
                                               GError            **error);
GPtrArray         *vital_history_store_list   (VitalHistoryStore  *self,
                                               guint               limit,
                                               GError            **error);
GPtrArray         *vital_history_store_list_with_ids (VitalHistoryStore  *self,
                                                      guint               limit,
                                                      GArray            **out_ids,
                                                      GError            **error);
gboolean           vital_history_store_delete (VitalHistoryStore  *self,
                                               const gint64       *ids,
                                               guint               n_ids,
                                               GError            **error);
gint64             vital_history_store_count  (VitalHistoryStore  *self,
                                               GError            **error);
gboolean           vital_history_store_clear  (VitalHistoryStore  *self,
                                               GError            **error);

G_END_DECLS
