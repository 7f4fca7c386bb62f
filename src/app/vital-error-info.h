/* vital-error-info.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalErrorInfo: turns any GError the app meets into a message a person can act on.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * VitalErrorAction:
 * What the error view offers besides dismissing.
 */
typedef enum
{
  VITAL_ERROR_ACTION_NONE,
  VITAL_ERROR_ACTION_RETRY,        /* the same request may succeed again */
  VITAL_ERROR_ACTION_SCAN_AGAIN,   /* a new recording is needed */
  VITAL_ERROR_ACTION_PREFERENCES,  /* the settings (key, server, scan length) must change */
  VITAL_ERROR_ACTION_USE_DEMO,     /* no camera may be used now: offer the demo subject */
} VitalErrorAction;

typedef struct
{
  char             *title;        /* short headline */
  char             *description;  /* what happened and what to do, with the server's message */
  const char       *icon_name;
  VitalErrorAction  action;
  gboolean          retryable;    /* show a Retry button */
  gboolean          transient;    /* a toast is enough (e.g. cancelled) */
  gboolean          preferences;  /* offer to open Preferences */
  gboolean          process_locally; /* the server cannot be used now: offer this device */
} VitalErrorInfo;

VitalErrorInfo *vital_error_info_new  (const GError   *error);
VitalErrorInfo *vital_error_info_new_for_video (const GError *error,
                                                const char   *video_name);
void            vital_error_info_free (VitalErrorInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalErrorInfo, vital_error_info_free)

G_END_DECLS
