/* vital-vital-card.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalVitalCard: one vital on the results panel (value, unit, typical range, confidence, flag,
 * badge).
 */
#pragma once

#include <gtk/gtk.h>

#include "vital-reading.h"

G_BEGIN_DECLS

#define VITAL_TYPE_VITAL_CARD (vital_vital_card_get_type ())
G_DECLARE_FINAL_TYPE (VitalVitalCard, vital_vital_card, VITAL, VITAL_CARD, GtkWidget)

GtkWidget  *vital_vital_card_new             (VitalMeasure       kind);
VitalMeasure   vital_vital_card_get_kind        (VitalVitalCard *self);
void        vital_vital_card_update          (VitalVitalCard *self,
                                              VitalReading   *reading);
const char *vital_vital_card_get_value_text  (VitalVitalCard *self);
const char *vital_vital_card_get_flag_text   (VitalVitalCard *self);
gboolean    vital_vital_card_get_flagged     (VitalVitalCard *self);
gboolean    vital_vital_card_get_experimental (VitalVitalCard *self);
const char *vital_vital_card_get_summary     (VitalVitalCard *self);
const char *vital_vital_card_get_confidence_text (VitalVitalCard *self);
gboolean    vital_vital_card_get_uncertain   (VitalVitalCard *self);

G_END_DECLS
