/* vital-timezone.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The time-zone names (IANA names, `UTC`, `±HH:MM` offsets) and calendar dates (exactly
 * `YYYY-MM-DD`) the session API exchanges.
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
gboolean   vital_date_parse               (const char  *text,
                                           GDate       *out_date);

G_END_DECLS
