/* vital-result-page.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalResultPage: the result page of the main window — the results panel, and "New Scan" (or,
 * after a video, "Read Video Again" and "Scan with Camera", so that "again" is never
 * ambiguous); below them the optional subject identifier that the result's exports name
 * (VitalSubjectRow), not offered in kiosk mode, where nothing is exported.
 */
#include "vital-config.h"

#include <glib/gi18n.h>

#include "vital-a11y.h"
#include "vital-result-page.h"

struct _VitalResultPage
{
  GtkWidget          parent_instance;

  /* template children */
  GtkWidget         *box;
  VitalResultsPanel *results_panel;
  VitalSubjectRow   *subject_row;
  GtkWidget         *read_video_button;
  GtkWidget         *new_scan_button;
  GtkLabel          *countdown_label;
};

G_DEFINE_FINAL_TYPE (VitalResultPage, vital_result_page, GTK_TYPE_WIDGET)

/**
 * vital_result_page_set_reading:
 * @self: a #VitalResultPage
 * @reading: (nullable): the result, or %NULL to drop the shown one
 * @offer_video_again: whether the video @reading was read from can be read again
 *
 * Shows @reading. After a video, "again" could mean the video or the camera: both are offered,
 * by name.
 */
void
vital_result_page_set_reading (VitalResultPage *self,
                               VitalReading    *reading,
                               gboolean         offer_video_again)
{
  gboolean from_video;

  g_return_if_fail (VITAL_IS_RESULT_PAGE (self));
  g_return_if_fail (reading == NULL || VITAL_IS_READING (reading));

  vital_results_panel_set_reading (self->results_panel, reading);
  vital_subject_row_set_reading (self->subject_row, reading);
  if (reading == NULL)
    return;
  from_video = vital_reading_get_source (reading) == VITAL_READING_SOURCE_VIDEO;
  gtk_widget_set_visible (self->read_video_button, from_video && offer_video_again);
  gtk_button_set_label (GTK_BUTTON (self->new_scan_button),
                        from_video ? _("Scan with _Camera") : _("_New Scan"));
}

/**
 * vital_result_page_set_countdown:
 * @self: a #VitalResultPage
 * @seconds: seconds until the page is left for the start, or -1 when it stays
 *
 * Says how long the result stays (a kiosk clears it for the next visitor), so that it does not
 * vanish unannounced.
 */
void
vital_result_page_set_countdown (VitalResultPage *self,
                                 int              seconds)
{
  g_autofree char *text = NULL;

  g_return_if_fail (VITAL_IS_RESULT_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->countdown_label), seconds >= 0);
  if (seconds < 0)
    return;
  /* Translators: a kiosk's countdown before the result is cleared, e.g. "Back to the start in
   * 12 s" */
  text = g_strdup_printf (_("Back to the start in %d s"), seconds);
  gtk_label_set_label (self->countdown_label, text);
}

/**
 * vital_result_page_get_countdown:
 * @self: a #VitalResultPage
 *
 * Returns: (transfer none) (nullable): the countdown as shown, %NULL when there is none
 */
const char *
vital_result_page_get_countdown (VitalResultPage *self)
{
  g_return_val_if_fail (VITAL_IS_RESULT_PAGE (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->countdown_label)))
    return NULL;
  return gtk_label_get_label (self->countdown_label);
}

/**
 * vital_result_page_focus_next:
 * @self: a #VitalResultPage
 *
 * Moves the keyboard focus to New Scan (or Scan with Camera), which describes the whole result
 * to a screen reader: the banner, the values, the signal line and the disclaimer are no focus
 * stops, and would not be heard otherwise.
 */
void
vital_result_page_focus_next (VitalResultPage *self)
{
  g_autofree char *summary = NULL;

  g_return_if_fail (VITAL_IS_RESULT_PAGE (self));

  summary = vital_results_panel_dup_summary (self->results_panel);
  vital_a11y_set_status (self->new_scan_button, summary);
  gtk_widget_grab_focus (self->new_scan_button);
}

/**
 * vital_result_page_get_results_panel:
 * @self: a #VitalResultPage
 *
 * Returns: (transfer none): the results panel
 */
VitalResultsPanel *
vital_result_page_get_results_panel (VitalResultPage *self)
{
  g_return_val_if_fail (VITAL_IS_RESULT_PAGE (self), NULL);
  return self->results_panel;
}

/**
 * vital_result_page_set_kiosk:
 * @self: a #VitalResultPage
 * @kiosk: whether the window is a demo booth's
 *
 * A booth exports nothing, so it asks for no subject identifier.
 */
void
vital_result_page_set_kiosk (VitalResultPage *self,
                             gboolean         kiosk)
{
  g_return_if_fail (VITAL_IS_RESULT_PAGE (self));
  gtk_widget_set_visible (GTK_WIDGET (self->subject_row), !kiosk);
}

static void
vital_result_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), VITAL_TYPE_RESULT_PAGE);

  G_OBJECT_CLASS (vital_result_page_parent_class)->dispose (object);
}

static void
vital_result_page_class_init (VitalResultPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vital_result_page_dispose;
  g_type_ensure (VITAL_TYPE_RESULTS_PANEL);
  g_type_ensure (VITAL_TYPE_SUBJECT_ROW);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vitalscan/Vitalscan/"
                                               "vital-result-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VitalResultPage, box);
  gtk_widget_class_bind_template_child (widget_class, VitalResultPage, results_panel);
  gtk_widget_class_bind_template_child (widget_class, VitalResultPage, subject_row);
  gtk_widget_class_bind_template_child (widget_class, VitalResultPage, read_video_button);
  gtk_widget_class_bind_template_child (widget_class, VitalResultPage, new_scan_button);
  gtk_widget_class_bind_template_child (widget_class, VitalResultPage, countdown_label);
}

static void
vital_result_page_init (VitalResultPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
