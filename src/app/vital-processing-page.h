/* vital-processing-page.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalProcessingPage: the page the main window shows while a scan is uploaded and measured.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define VITAL_TYPE_PROCESSING_PAGE (vital_processing_page_get_type ())
G_DECLARE_FINAL_TYPE (VitalProcessingPage, vital_processing_page, VITAL, PROCESSING_PAGE,
                      GtkWidget)

void        vital_processing_page_set_progress (VitalProcessingPage *self,
                                                const char          *phase,
                                                double               fraction);
void        vital_processing_page_focus_cancel (VitalProcessingPage *self);
void        vital_processing_page_stop         (VitalProcessingPage *self);
const char *vital_processing_page_get_text     (VitalProcessingPage *self);
double      vital_processing_page_get_fraction (VitalProcessingPage *self);

G_END_DECLS
