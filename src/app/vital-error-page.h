/* vital-error-page.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalErrorPage: the error page of the main window — what went wrong, what to do, and the
 * buttons that do it.
 */
#pragma once

#include <adwaita.h>

#include "vital-error-info.h"

G_BEGIN_DECLS

/**
 * VitalErrorPageOffer:
 * @VITAL_ERROR_PAGE_OFFER_NONE: only Retry (when the error allows it) and Scan Again
 * @VITAL_ERROR_PAGE_OFFER_PREFERENCES: Open Preferences
 * @VITAL_ERROR_PAGE_OFFER_PROCESS_LOCALLY: Process on This Device
 * @VITAL_ERROR_PAGE_OFFER_OPEN_VIDEO: Open Another Video
 * @VITAL_ERROR_PAGE_FROM_VIDEO: the scan read a video: "again" means the camera, by that name
 *
 * Which ways on the error page offers besides Retry and Scan Again; the window decides, as it
 * knows the mode (kiosk) and the backend.
 */
typedef enum
{
  VITAL_ERROR_PAGE_OFFER_NONE            = 0,
  VITAL_ERROR_PAGE_OFFER_PREFERENCES     = 1 << 0,
  VITAL_ERROR_PAGE_OFFER_PROCESS_LOCALLY = 1 << 1,
  VITAL_ERROR_PAGE_OFFER_OPEN_VIDEO      = 1 << 2,
  VITAL_ERROR_PAGE_FROM_VIDEO            = 1 << 3,
} VitalErrorPageOffer;

#define VITAL_TYPE_ERROR_PAGE (vital_error_page_get_type ())
G_DECLARE_FINAL_TYPE (VitalErrorPage, vital_error_page, VITAL, ERROR_PAGE, GtkWidget)

void        vital_error_page_set_error        (VitalErrorPage       *self,
                                               const VitalErrorInfo *info,
                                               VitalErrorPageOffer   offers);
void        vital_error_page_focus_default    (VitalErrorPage       *self);
const char *vital_error_page_get_title        (VitalErrorPage       *self);
const char *vital_error_page_get_description  (VitalErrorPage       *self);
gboolean    vital_error_page_get_retry_visible (VitalErrorPage      *self);
gboolean    vital_error_page_get_preferences_visible (VitalErrorPage *self);
gboolean    vital_error_page_get_process_locally_visible (VitalErrorPage *self);

G_END_DECLS
