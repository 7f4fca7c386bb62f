/* vital-timezone.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The time-zone names the session API exchanges: IANA names, `UTC` and `±HH:MM` offsets.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VITAL_TIMEZONE_ERROR (vital_timezone_error_quark ())

typedef enum
{
  VITAL_TIMEZONE_ERROR_INVALID,  /* not a name of the accepted forms, or unknown to the tz db */
} VitalTimezoneError;

GQuark     vital_timezone_error_quark     (void);
GTimeZone *vital_timezone_new_from_name   (const char  *name,
                                           GError     **error);
char      *vital_timezone_dup_local_name  (void);

G_END_DECLS
