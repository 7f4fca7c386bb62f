/* vital-history-view.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalHistoryView: the History page — the opt-in local history (reopen, export, delete) and,
 * with a remote server, its sessions.
 */
#pragma once

#include <adwaita.h>

#include "vital-client.h"
#include "vital-history-store.h"
#include "vital-reading.h"

G_BEGIN_DECLS

#define VITAL_TYPE_HISTORY_VIEW (vital_history_view_get_type ())
G_DECLARE_FINAL_TYPE (VitalHistoryView, vital_history_view, VITAL, HISTORY_VIEW, GtkWidget)

GtkWidget         *vital_history_view_new          (void);
void               vital_history_view_set_settings (VitalHistoryView  *self,
                                                    GSettings         *settings);
void               vital_history_view_set_store    (VitalHistoryView  *self,
                                                    VitalHistoryStore *store);
VitalHistoryStore *vital_history_view_get_store    (VitalHistoryView  *self);
gboolean           vital_history_view_add_local    (VitalHistoryView  *self,
                                                    VitalReading      *reading,
                                                    GError           **error);
gboolean           vital_history_view_delete_local (VitalHistoryView  *self,
                                                    GError           **error);
guint              vital_history_view_get_n_local_rows (VitalHistoryView *self);
char              *vital_history_view_format_row   (VitalReading      *reading);
char              *vital_history_view_format_time  (GDateTime         *when);
void               vital_history_view_set_client   (VitalHistoryView  *self,
                                                    VitalClient       *client,
                                                    gboolean           remote);
void               vital_history_view_refresh      (VitalHistoryView  *self);
void               vital_history_view_load_more    (VitalHistoryView  *self);
void               vital_history_view_set_range    (VitalHistoryView  *self,
                                                    const char        *date_gte,
                                                    const char        *date_lte);
void               vital_history_view_set_newest_first (VitalHistoryView *self,
                                                        gboolean          newest_first);
gboolean           vital_history_view_is_loading   (VitalHistoryView  *self);
guint              vital_history_view_get_n_server_rows (VitalHistoryView *self);
gboolean           vital_history_view_get_can_load_more (VitalHistoryView *self);
const char        *vital_history_view_get_server_status (VitalHistoryView *self);
char              *vital_history_view_format_session (VitalClientSession *session);
void               vital_history_view_note_reading (VitalHistoryView  *self,
                                                    VitalReading      *reading);
gboolean           vital_history_view_is_demo_session (VitalHistoryView *self,
                                                       const char       *session_id);

G_END_DECLS
