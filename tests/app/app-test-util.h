/* app-test-util.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared helpers of the app tests: environment, bounded main-loop waits, screenshots, real
 * key presses and clicks.
 */
#pragma once

#include <gtk/gtk.h>

#include "vital-reading.h"

G_BEGIN_DECLS

typedef gboolean (*AppTestCondition) (gpointer user_data);

void          app_test_init          (int              *argc,
                                      char           ***argv);
gboolean      app_test_wait          (AppTestCondition  condition,
                                      gpointer          user_data,
                                      guint             timeout_ms);
void          app_test_iterate       (guint             ms);
gboolean      app_test_screenshot    (GtkWidget        *widget,
                                      const char       *name,
                                      GError          **error);
void          app_test_assert_screenshot (GtkWidget    *widget,
                                          const char   *name);
GtkWidget    *app_test_find_widget   (GtkWidget        *root,
                                      GType             type);
void          app_test_scroll_to_end (GtkWidget        *widget);
GtkWidget    *app_test_control_under_toast (GtkWidget *window);
void          app_test_set_value (VitalReading *reading,
                                  VitalMeasure  measure,
                                  double        value);
void          app_test_set_quality   (VitalReading     *reading,
                                      VitalMeasure      measure,
                                      double            quality);
VitalReading *app_test_reading       (double            confidence,
                                      double            heart_rate);
gboolean      app_test_can_use_input (void);
gboolean      app_test_can_open_file_chooser (void);
void          app_test_press_key     (GtkWidget        *window,
                                      const char       *key);
void          app_test_type          (GtkWidget        *window,
                                      const char       *text);
void          app_test_click         (GtkWidget        *widget);
GtkWindow    *app_test_find_window   (GType             type);
gboolean      app_test_window_shown  (gpointer          type);
gboolean      app_test_window_gone   (gpointer          type);
void          app_test_add_isolated  (const char       *path,
                                      GTestFunc         body);

G_END_DECLS
