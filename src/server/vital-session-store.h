/* vital-session-store.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalSessionStore: sessions, results (until delivered or expired) and monthly quota counters in
 * SQLite (WAL).
 */
#pragma once

#include <glib-object.h>

#include "vital-session.h"

G_BEGIN_DECLS

#define VITAL_TYPE_SESSION_STORE (vital_session_store_get_type ())

G_DECLARE_FINAL_TYPE (VitalSessionStore, vital_session_store, VITAL, SESSION_STORE, GObject)

VitalSessionStore *vital_session_store_open            (const char          *path,
                                                        GError             **error);
gboolean           vital_session_store_insert          (VitalSessionStore   *self,
                                                        const VitalSession  *session,
                                                        GError             **error);
VitalSession      *vital_session_store_get             (VitalSessionStore   *self,
                                                        const char          *id,
                                                        gint64               now_us,
                                                        GError             **error);
gboolean           vital_session_store_mark_uploaded   (VitalSessionStore   *self,
                                                        const char          *id,
                                                        gint64               payload_bytes,
                                                        gint64               now_us,
                                                        GError             **error);
gboolean           vital_session_store_begin_processing (VitalSessionStore  *self,
                                                        const char          *id,
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
char              *vital_session_store_take_result     (VitalSessionStore   *self,
                                                        const char          *id,
                                                        gint64               now_us);
GPtrArray         *vital_session_store_list            (VitalSessionStore   *self,
                                                        const char          *key_id,
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
GPtrArray         *vital_session_store_list_ids        (VitalSessionStore   *self,
                                                        VitalSessionStatus   status);
guint              vital_session_store_count_results   (VitalSessionStore   *self);

G_END_DECLS
