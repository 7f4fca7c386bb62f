/* vital-history-view-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of VitalHistoryView share — its instance struct, and the calls between the
 * page (vital-history-view.c), the local history list (-local.c), the export of results
 * (-export.c) and the server's sessions (-server.c) — and its test hooks (-hooks.c): what its
 * lists show, its buttons and dialogs, and where the save dialog's answer goes. The
 * application itself never includes this header.
 */
#pragma once

#include "vital-export.h"
#include "vital-history-result-dialog.h"
#include "vital-history-view.h"

G_BEGIN_DECLS

typedef struct
{
  GtkWidget *row;
  GtkWidget *title;      /* the chosen day, or "Any day" */
  GtkWidget *clear;
  GtkWidget *menu_button;
  GtkWidget *calendar;
  GDate      date;       /* invalid: no bound */
} DateBound;

struct _VitalHistoryView
{
  GtkWidget          parent_instance;

  GSettings         *settings;
  VitalHistoryStore *store;
  GError            *store_error;    /* why the default store could not be opened */

  GtkWidget         *page;
  GtkWidget         *local_group;
  GtkWidget         *select_button;
  GtkWidget         *selection_bar;
  GtkWidget         *export_selected;
  GtkWidget         *delete_selected;
  GtkWidget         *off_box;        /* local history is off: what it keeps, and a button */
  GtkWidget         *enable_button;
  GtkWidget         *local_list;
  GtkWidget         *local_status;
  GtkWidget         *delete_button;
  GPtrArray         *local_readings; /* (element-type VitalReading) in row order */
  GArray            *local_ids;      /* (element-type gint64) their ids in the store */
  GPtrArray         *local_checks;   /* (element-type GtkCheckButton) in row order */
  gboolean           selecting;
  GHashTable        *demo_sessions;  /* ids of sessions scanned from the demo subject */

  /* open while they are shown (weak) */
  VitalHistoryResultDialog *result_dialog;
  AdwMessageDialog  *confirm_dialog;
  char              *last_message;

  /* server sessions: only when scans go to a remote server */
  VitalClient       *client;
  gboolean           remote;
  GCancellable      *cancellable;
  GtkWidget         *server_group;
  DateBound          from;
  DateBound          to;
  GtkWidget         *newest_switch;
  GtkWidget         *server_list;
  GtkWidget         *server_status;
  GtkWidget         *load_more;
  GtkWidget         *refresh_button;
  guint              n_server_rows;
  gboolean           loading;
  gboolean           can_load_more;
  gboolean           range_invalid;  /* set_range() was given a date that is not one */
  char              *server_status_text;
};

/* vital-history-view.c */
void        vital_history_view_say                     (VitalHistoryView *self,
                                                        const char       *message);
GtkWindow  *vital_history_view_parent_window           (VitalHistoryView *self);
GtkWidget  *vital_history_view_dim_label               (void);

/* vital-history-view-local.c */
void        vital_history_view_build_local_group       (VitalHistoryView *self);
void        vital_history_view_reload_local            (VitalHistoryView *self);
GArray     *vital_history_view_selected_indices        (VitalHistoryView *self);

/* vital-history-view-export.c */
void        vital_history_view_choose_export_file      (VitalHistoryView  *self,
                                                        GPtrArray         *readings,
                                                        VitalExportFormat  format);
void        vital_history_view_export_selected         (VitalHistoryView  *self,
                                                        VitalExportFormat  format);
void        vital_history_view_class_add_export_actions (GtkWidgetClass  *widget_class);

/* vital-history-view-server.c */
void        vital_history_view_build_server_group      (VitalHistoryView *self);
void        vital_history_view_note_demo_session       (VitalHistoryView *self,
                                                        VitalReading     *reading);

/* test hooks */
const char *vital_history_view_get_server_row_subtitle (VitalHistoryView *self,
                                                        guint             index);
const char *vital_history_view_get_server_row_title    (VitalHistoryView *self,
                                                        guint             index);
const char *vital_history_view_get_local_row_subtitle  (VitalHistoryView *self,
                                                        guint             index);
GtkWidget  *vital_history_view_get_local_row           (VitalHistoryView *self,
                                                        guint             index);
GtkWidget  *vital_history_view_get_local_row_delete_button (VitalHistoryView *self,
                                                            guint             index);
GtkWidget  *vital_history_view_get_enable_button       (VitalHistoryView *self);
gboolean    vital_history_view_get_server_visible      (VitalHistoryView *self);
GtkWidget  *vital_history_view_get_select_button       (VitalHistoryView *self);
void        vital_history_view_get_selection_buttons   (VitalHistoryView  *self,
                                                        GtkWidget        **out_export,
                                                        GtkWidget        **out_delete);
void        vital_history_view_export_selected_to_file (VitalHistoryView  *self,
                                                        VitalExportFormat  format,
                                                        GFile             *file);
void        vital_history_view_export_shown_to_file    (VitalHistoryView  *self,
                                                        VitalExportFormat  format,
                                                        GFile             *file);
VitalHistoryResultDialog *vital_history_view_get_result_dialog (VitalHistoryView *self);
AdwMessageDialog *vital_history_view_get_confirm_dialog (VitalHistoryView *self);
GtkWidget  *vital_history_view_get_calendar            (VitalHistoryView *self,
                                                        gboolean          last);
const char *vital_history_view_get_range_text          (VitalHistoryView *self,
                                                        gboolean          last);
const char *vital_history_view_get_last_message        (VitalHistoryView *self);

G_END_DECLS
