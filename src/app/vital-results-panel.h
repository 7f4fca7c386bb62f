/* vital-results-panel.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalResultsPanel: what the result was measured from, the confidence banner, one card per
 * vital and the disclaimer.
 */
#pragma once

#include <gtk/gtk.h>

#include "vital-reading.h"
#include "vital-vital-card.h"

G_BEGIN_DECLS

#define VITAL_TYPE_RESULTS_PANEL (vital_results_panel_get_type ())
G_DECLARE_FINAL_TYPE (VitalResultsPanel, vital_results_panel, VITAL, RESULTS_PANEL, GtkWidget)

GtkWidget      *vital_results_panel_new              (void);
void            vital_results_panel_set_reading      (VitalResultsPanel *self,
                                                      VitalReading      *reading);
VitalReading   *vital_results_panel_get_reading      (VitalResultsPanel *self);
VitalVitalCard *vital_results_panel_get_card         (VitalResultsPanel *self,
                                                      VitalMeasure          kind);
gboolean        vital_results_panel_get_values_visible (VitalResultsPanel *self);
const char     *vital_results_panel_get_banner_title (VitalResultsPanel *self);
const char     *vital_results_panel_get_banner_text  (VitalResultsPanel *self);
void            vital_results_panel_set_offer_scan_again (VitalResultsPanel *self,
                                                          gboolean           offer);
gboolean        vital_results_panel_get_scan_again_visible (VitalResultsPanel *self);
const char     *vital_results_panel_get_source_text  (VitalResultsPanel *self);
char           *vital_results_panel_dup_summary      (VitalResultsPanel *self);

G_END_DECLS
