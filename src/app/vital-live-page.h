/* vital-live-page.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalLivePage: the camera page of the main window — the live view with its demo notice and
 * guidance overlay, Start/Cancel, the countdown, the live waveform and the provisional heart
 * rate.
 */
#pragma once

#include <adwaita.h>

#include "vital-camera-view.h"
#include "vital-waveform.h"

G_BEGIN_DECLS

/**
 * VitalPreview:
 * @VITAL_PREVIEW_CAMERA: a camera
 * @VITAL_PREVIEW_DEMO_NO_CAMERA: the demo subject, because no camera was found
 * @VITAL_PREVIEW_DEMO_CHOSEN: the demo subject, because it was asked for
 * @VITAL_PREVIEW_DEMO_NO_PERMISSION: the demo subject, because the camera portal refused the
 *   camera (inside Flatpak)
 *
 * What the live view shows.
 */
typedef enum
{
  VITAL_PREVIEW_CAMERA,
  VITAL_PREVIEW_DEMO_NO_CAMERA,
  VITAL_PREVIEW_DEMO_CHOSEN,
  VITAL_PREVIEW_DEMO_NO_PERMISSION,
} VitalPreview;

#define VITAL_TYPE_LIVE_PAGE (vital_live_page_get_type ())
G_DECLARE_FINAL_TYPE (VitalLivePage, vital_live_page, VITAL, LIVE_PAGE, GtkWidget)

void             vital_live_page_set_kiosk          (VitalLivePage *self,
                                                     gboolean       kiosk);
void             vital_live_page_set_privacy_notice (VitalLivePage *self,
                                                     const char    *text);
char            *vital_live_page_get_idle_screen    (VitalLivePage *self);
const char      *vital_live_page_get_provisional_hr_text (VitalLivePage *self);
void             vital_live_page_set_preview        (VitalLivePage *self,
                                                     VitalPreview   preview);
void             vital_live_page_set_scanning       (VitalLivePage *self,
                                                     gboolean       scanning);
gboolean         vital_live_page_get_scanning       (VitalLivePage *self);
void             vital_live_page_show_start         (VitalLivePage *self);
void             vital_live_page_focus_start        (VitalLivePage *self);
void             vital_live_page_focus_cancel       (VitalLivePage *self);
void             vital_live_page_set_scan_progress  (VitalLivePage *self,
                                                     double         elapsed_s,
                                                     double         total_s,
                                                     double         face_coverage);
void             vital_live_page_set_guidance       (VitalLivePage *self,
                                                     const char    *text);
void             vital_live_page_set_provisional_hr (VitalLivePage *self,
                                                     double         bpm);
const char      *vital_live_page_get_progress_text  (VitalLivePage *self);
const char      *vital_live_page_get_demo_notice    (VitalLivePage *self);
VitalCameraView *vital_live_page_get_camera_view    (VitalLivePage *self);
VitalWaveform   *vital_live_page_get_waveform       (VitalLivePage *self);
void             vital_live_page_add_toast          (VitalLivePage *self,
                                                     AdwToast      *toast);

G_END_DECLS
