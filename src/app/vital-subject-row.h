/* vital-subject-row.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalSubjectRow: the optional subject identifier of the result on screen, typed by the user
 * for the exports.
 */
#pragma once

#include <gtk/gtk.h>

#include "vital-reading.h"

G_BEGIN_DECLS

#define VITAL_TYPE_SUBJECT_ROW (vital_subject_row_get_type ())
G_DECLARE_FINAL_TYPE (VitalSubjectRow, vital_subject_row, VITAL, SUBJECT_ROW, GtkWidget)

GtkWidget    *vital_subject_row_new         (void);
void          vital_subject_row_set_reading (VitalSubjectRow *self,
                                             VitalReading    *reading);
VitalReading *vital_subject_row_get_reading (VitalSubjectRow *self);
GtkEditable  *vital_subject_row_get_entry   (VitalSubjectRow *self);

G_END_DECLS
