/* vital-processing-page.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalProcessingPage: the page the main window shows while a scan is uploaded and measured —
 * what is happening, its progress (a pulsing bar when it is not known) and Cancel. The bar is
 * the page's one busy indicator: a spinner and a loading icon beside it said the same thing
 * three times.
 */
#include "vital-config.h"

#include <math.h>

#include "vital-a11y.h"
#include "vital-processing-page.h"

struct _VitalProcessingPage
{
  GtkWidget       parent_instance;

  /* template children */
  AdwStatusPage  *status_page;
  GtkProgressBar *progress;
  GtkWidget      *cancel_button;

  guint           pulse_id;   /* pulses the bar while the progress is not known */
};

G_DEFINE_FINAL_TYPE (VitalProcessingPage, vital_processing_page, GTK_TYPE_WIDGET)

static gboolean
pulse_cb (gpointer data)
{
  VitalProcessingPage *self = data;

  gtk_progress_bar_pulse (self->progress);
  return G_SOURCE_CONTINUE;
}

/**
 * vital_processing_page_set_progress:
 * @self: a #VitalProcessingPage
 * @phase: (nullable): what is happening ("Uploading…")
 * @fraction: progress 0-1, or NAN when unknown (the bar pulses)
 *
 * Shows how far processing is; an unknown progress pulses the bar until a fraction is known or
 * vital_processing_page_stop() is called.
 */
void
vital_processing_page_set_progress (VitalProcessingPage *self,
                                    const char          *phase,
                                    double               fraction)
{
  g_return_if_fail (VITAL_IS_PROCESSING_PAGE (self));

  adw_status_page_set_description (self->status_page, phase);
  /* Cancel has the focus (vital_processing_page_focus_cancel()) and says the phase. */
  vital_a11y_set_status (self->cancel_button, phase);
  if (isnan (fraction))
    {
      gtk_progress_bar_pulse (self->progress);
      if (self->pulse_id == 0)
        self->pulse_id = g_timeout_add (100, pulse_cb, self);
    }
  else
    {
      g_clear_handle_id (&self->pulse_id, g_source_remove);
      gtk_progress_bar_set_fraction (self->progress, CLAMP (fraction, 0.0, 1.0));
    }
}

/**
 * vital_processing_page_focus_cancel:
 * @self: a #VitalProcessingPage
 *
 * Moves the keyboard focus to Cancel, which describes the phase to a screen reader: the
 * recording's Cancel that had it is gone.
 */
void
vital_processing_page_focus_cancel (VitalProcessingPage *self)
{
  g_return_if_fail (VITAL_IS_PROCESSING_PAGE (self));
  if (!gtk_widget_has_focus (self->cancel_button))
    gtk_widget_grab_focus (self->cancel_button);
}

/**
 * vital_processing_page_stop:
 * @self: a #VitalProcessingPage
 *
 * Processing is over (a result, an error, or back to the camera): the bar stops pulsing.
 */
void
vital_processing_page_stop (VitalProcessingPage *self)
{
  g_return_if_fail (VITAL_IS_PROCESSING_PAGE (self));
  g_clear_handle_id (&self->pulse_id, g_source_remove);
}

/**
 * vital_processing_page_get_text:
 * @self: a #VitalProcessingPage
 *
 * Returns: (transfer none) (nullable): what the page says is happening
 */
const char *
vital_processing_page_get_text (VitalProcessingPage *self)
{
  g_return_val_if_fail (VITAL_IS_PROCESSING_PAGE (self), NULL);
  return adw_status_page_get_description (self->status_page);
}

/**
 * vital_processing_page_get_fraction:
 * @self: a #VitalProcessingPage
 *
 * Returns: the page's progress, 0-1
 */
double
vital_processing_page_get_fraction (VitalProcessingPage *self)
{
  g_return_val_if_fail (VITAL_IS_PROCESSING_PAGE (self), 0.0);
  return gtk_progress_bar_get_fraction (self->progress);
}

static void
vital_processing_page_dispose (GObject *object)
{
  VitalProcessingPage *self = VITAL_PROCESSING_PAGE (object);

  g_clear_handle_id (&self->pulse_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), VITAL_TYPE_PROCESSING_PAGE);

  G_OBJECT_CLASS (vital_processing_page_parent_class)->dispose (object);
}

static void
vital_processing_page_class_init (VitalProcessingPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vital_processing_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vitalscan/Vitalscan/"
                                               "vital-processing-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VitalProcessingPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, VitalProcessingPage, progress);
  gtk_widget_class_bind_template_child (widget_class, VitalProcessingPage, cancel_button);
}

static void
vital_processing_page_init (VitalProcessingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
