/* vital-window-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of VitalWindow share — its instance struct, and the calls between the window
 * (vital-window.c) and its actions (vital-window-actions.c) — and its test hooks: what the
 * app's tests and benches read off the window's pages. The application itself never includes
 * this header.
 */
#pragma once

#include "vital-demographics-popover.h"
#include "vital-error-page.h"
#include "vital-export.h"
#include "vital-processing-page.h"
#include "vital-result-page.h"
#include "vital-window.h"

G_BEGIN_DECLS

struct _VitalWindow
{
  AdwApplicationWindow     parent_instance;

  GSettings                *settings;
  gboolean                 kiosk;
  VitalReading             *reading;
  VitalErrorInfo           *error_info;
  guint                    kiosk_reset_id;
  VitalExportFormat        export_format;
  char                     *last_toast;
  guint                    toasts_shown;  /* toasts queued or up: the content makes room */
  GFile                    *video;        /* the last video opened, for "Read Video Again" */
  gboolean                 video_scan;   /* the last scan started reads @video */

  /* template children */
  AdwToastOverlay          *toast_overlay;
  GtkWidget                *content_box;
  AdwViewStack             *view_stack;
  AdwViewStackPage         *history_page;
  GtkWidget                *menu_button;
  GtkWidget                *export_button;
  GtkWidget                *demographics_button;
  GtkStack                 *scan_stack;
  VitalLivePage            *live_page;
  VitalProcessingPage      *processing_page;
  VitalResultPage          *result_page;
  VitalErrorPage           *error_page;
  VitalHistoryView         *history_view;
  VitalDemographicsPopover *demographics_popover;
};

/* vital-window-actions.c */
void               vital_window_class_add_actions  (GtkWidgetClass   *widget_class);
void               vital_window_add_drop_target    (VitalWindow      *self);
void               vital_window_update_actions     (VitalWindow      *self);

/* test hooks */
GtkWidget         *vital_window_get_child          (VitalWindow      *self,
                                                    const char       *name);
VitalResultsPanel *vital_window_get_results_panel  (VitalWindow      *self);
const char        *vital_window_get_error_title    (VitalWindow      *self);
const char        *vital_window_get_error_description (VitalWindow   *self);
gboolean           vital_window_get_retry_visible  (VitalWindow      *self);
gboolean           vital_window_get_preferences_visible (VitalWindow *self);
const char        *vital_window_get_progress_text  (VitalWindow      *self);
gboolean           vital_window_get_history_available (VitalWindow   *self);
const char        *vital_window_get_demo_notice    (VitalWindow      *self);
const char        *vital_window_get_last_toast     (VitalWindow      *self);
gboolean           vital_window_get_process_locally_visible (VitalWindow *self);
const char        *vital_window_get_processing_text (VitalWindow     *self);
double             vital_window_get_processing_fraction (VitalWindow *self);
void               vital_window_export_to_file     (VitalWindow      *self,
                                                    VitalExportFormat format,
                                                    GFile            *file);

G_END_DECLS
