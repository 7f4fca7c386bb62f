/* app-test-util.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared helpers of the app tests: environment, bounded main-loop waits, screenshots.
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
void          app_test_set_value (VitalReading *reading,
                                  VitalMeasure  measure,
                                  double        value);
VitalReading *app_test_reading       (double            confidence,
                                      double            heart_rate);

G_END_DECLS
