/* vital-result-page.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalResultPage: the result page of the main window — the results panel, what to do next and
 * the optional subject identifier for the exports.
 */
#pragma once

#include <adwaita.h>

#include "vital-reading.h"
#include "vital-results-panel.h"
#include "vital-subject-row.h"

G_BEGIN_DECLS

#define VITAL_TYPE_RESULT_PAGE (vital_result_page_get_type ())
G_DECLARE_FINAL_TYPE (VitalResultPage, vital_result_page, VITAL, RESULT_PAGE, GtkWidget)

void               vital_result_page_set_reading       (VitalResultPage *self,
                                                        VitalReading    *reading,
                                                        gboolean         offer_video_again);
void               vital_result_page_set_countdown     (VitalResultPage *self,
                                                        int              seconds);
const char        *vital_result_page_get_countdown     (VitalResultPage *self);
void               vital_result_page_focus_next        (VitalResultPage *self);
VitalResultsPanel *vital_result_page_get_results_panel (VitalResultPage *self);
void               vital_result_page_set_kiosk         (VitalResultPage *self,
                                                        gboolean         kiosk);

G_END_DECLS
