/* vital-demographics-popover.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalDemographicsPopover: the opt-in demographics (age, sex, skin type) sent with scans.
 */
#pragma once

#include <gtk/gtk.h>

#include "vital-engine.h"

G_BEGIN_DECLS

#define VITAL_TYPE_DEMOGRAPHICS_POPOVER (vital_demographics_popover_get_type ())
G_DECLARE_FINAL_TYPE (VitalDemographicsPopover, vital_demographics_popover, VITAL,
                      DEMOGRAPHICS_POPOVER, GtkPopover)

gboolean vital_demographics_popover_get (VitalDemographicsPopover *self,
                                         VitalDemographics        *out);

G_END_DECLS
