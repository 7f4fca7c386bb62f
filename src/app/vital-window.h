/* vital-window.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalWindow: the main window — camera view, scan controls, results, errors and history.
 */
#pragma once

#include <adwaita.h>

#include "vital-camera-view.h"
#include "vital-engine.h"
#include "vital-error-info.h"
#include "vital-history-view.h"
#include "vital-live-page.h"
#include "vital-reading.h"
#include "vital-results-panel.h"
#include "vital-waveform.h"

G_BEGIN_DECLS

#define VITAL_TYPE_WINDOW (vital_window_get_type ())
G_DECLARE_FINAL_TYPE (VitalWindow, vital_window, VITAL, WINDOW, AdwApplicationWindow)

VitalWindow       *vital_window_new                (AdwApplication   *application,
                                                    gboolean          kiosk);
gboolean           vital_window_get_kiosk          (VitalWindow      *self);
void               vital_window_show_live          (VitalWindow      *self);
void               vital_window_set_preview        (VitalWindow      *self,
                                                    VitalPreview      preview);
void               vital_window_set_scanning       (VitalWindow      *self,
                                                    gboolean          scanning);
void               vital_window_set_scan_progress  (VitalWindow      *self,
                                                    double            elapsed_s,
                                                    double            total_s,
                                                    double            face_coverage);
void               vital_window_set_guidance       (VitalWindow      *self,
                                                    const char       *text);
void               vital_window_set_provisional_hr (VitalWindow      *self,
                                                    double            bpm);
void               vital_window_show_processing    (VitalWindow      *self,
                                                    const char       *phase,
                                                    double            fraction);
void               vital_window_show_result        (VitalWindow      *self,
                                                    VitalReading     *reading);
void               vital_window_show_error         (VitalWindow      *self,
                                                    const GError     *error);
void               vital_window_toast              (VitalWindow      *self,
                                                    const char       *message);

const char        *vital_window_get_page           (VitalWindow      *self);
VitalCameraView   *vital_window_get_camera_view    (VitalWindow      *self);
VitalWaveform     *vital_window_get_waveform       (VitalWindow      *self);
VitalHistoryView  *vital_window_get_history_view   (VitalWindow      *self);
gboolean           vital_window_get_demographics   (VitalWindow      *self,
                                                    VitalDemographics *out);

G_END_DECLS
