/* vital-history-view.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalHistoryView: the History page — the server's sessions and the opt-in local history.
 */
#pragma once

#include <adwaita.h>

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

G_END_DECLS
