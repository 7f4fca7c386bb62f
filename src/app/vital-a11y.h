/* vital-a11y.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a screen reader needs beyond what GTK 4.8 and libadwaita 1.2 tell it: names, values and
 * status (see vital-a11y.c).
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

char *vital_a11y_strip_mnemonic   (const char  *label);
void  vital_a11y_name_controls    (GtkWidget   *root);
void  vital_a11y_follow_stack     (GtkWidget   *stack);
void  vital_a11y_follow_combo_row (AdwComboRow *row);
void  vital_a11y_set_status       (GtkWidget   *widget,
                                   const char  *text);
void  vital_a11y_announce         (GtkWidget   *widget,
                                   const char  *text);

G_END_DECLS
