/* vital-waveform.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalWaveform: a small scrolling graph of the live pulse waveform.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VITAL_TYPE_WAVEFORM (vital_waveform_get_type ())
G_DECLARE_FINAL_TYPE (VitalWaveform, vital_waveform, VITAL, WAVEFORM, GtkWidget)

GtkWidget *vital_waveform_new          (guint          capacity);
void       vital_waveform_push_samples (VitalWaveform *self,
                                        const float   *samples,
                                        guint          n_samples);
void       vital_waveform_set_samples  (VitalWaveform *self,
                                        const float   *samples,
                                        guint          n_samples);
guint      vital_waveform_get_n_samples (VitalWaveform *self);
void       vital_waveform_clear        (VitalWaveform *self);

G_END_DECLS
