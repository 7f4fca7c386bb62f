/* vital-scan-length.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a scan length measures: the words Preferences shows for it, and the length kiosk mode
 * needs to measure every vital its results show.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The shortest offered scan length that measures every vital the results show: heart-rate
 * variability needs VITAL_ENGINE_HRV_MIN_SECONDS (20 s) and the breathing rate 15 s at the
 * least (two breaths at 6/min take 20 s); 30 s is also what the accuracy figures are for. */
#define VITAL_SCAN_LENGTH_FULL 30.0

const char *vital_scan_length_get_description (double seconds);
double      vital_scan_length_for_kiosk       (double seconds);

G_END_DECLS
