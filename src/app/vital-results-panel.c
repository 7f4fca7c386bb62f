/* vital-results-panel.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalResultsPanel: what the result was measured from (a demo scan says so first), the
 * confidence banner, one card per vital and the disclaimer.
 */
#include "vital-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "vital-results-panel.h"

struct _VitalResultsPanel
{
  GtkWidget     parent_instance;

  VitalReading *reading;
  char         *banner_body;

  GtkWidget    *box;
  GtkWidget    *source;
  GtkWidget    *banner;
  GtkWidget    *banner_icon;
  GtkWidget    *banner_title;
  GtkWidget    *banner_text;
  GtkWidget    *scan_again;
  GtkWidget    *cards;
  GtkWidget    *quality;
  GtkWidget    *disclaimer;
  GtkWidget    *card[VITAL_MEASURE_COUNT];
  gboolean      no_scan_again;  /* a result reopened from History cannot be scanned again */
};

G_DEFINE_FINAL_TYPE (VitalResultsPanel, vital_results_panel, GTK_TYPE_WIDGET)

static void
vital_results_panel_dispose (GObject *object)
{
  VitalResultsPanel *self = VITAL_RESULTS_PANEL (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), VITAL_TYPE_RESULTS_PANEL);
  g_clear_object (&self->reading);
  g_clear_pointer (&self->banner_body, g_free);

  G_OBJECT_CLASS (vital_results_panel_parent_class)->dispose (object);
}

static void
vital_results_panel_class_init (VitalResultsPanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vital_results_panel_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vitalscan/Vitalscan/"
                                               "vital-results-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, VitalResultsPanel, box);
  gtk_widget_class_bind_template_child (widget_class, VitalResultsPanel, source);
  gtk_widget_class_bind_template_child (widget_class, VitalResultsPanel, banner);
  gtk_widget_class_bind_template_child (widget_class, VitalResultsPanel, banner_icon);
  gtk_widget_class_bind_template_child (widget_class, VitalResultsPanel, banner_title);
  gtk_widget_class_bind_template_child (widget_class, VitalResultsPanel, banner_text);
  gtk_widget_class_bind_template_child (widget_class, VitalResultsPanel, scan_again);
  gtk_widget_class_bind_template_child (widget_class, VitalResultsPanel, cards);
  gtk_widget_class_bind_template_child (widget_class, VitalResultsPanel, quality);
  gtk_widget_class_bind_template_child (widget_class, VitalResultsPanel, disclaimer);
}

static void
vital_results_panel_init (VitalResultsPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < VITAL_MEASURE_COUNT; i++)
    {
      self->card[i] = vital_vital_card_new (i);
      gtk_flow_box_append (GTK_FLOW_BOX (self->cards), self->card[i]);
    }
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->banner),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->banner_title, NULL,
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->banner_text, NULL,
                                  -1);
  gtk_label_set_label (GTK_LABEL (self->disclaimer),
                       _("Vitalscan is not a medical device. Its estimates must not be used for "
                         "diagnosis or treatment; ask a health professional about any concern."));
  vital_results_panel_set_reading (self, NULL);
}

/**
 * vital_results_panel_new:
 *
 * Returns: (transfer floating): a new, empty results panel
 */
GtkWidget *
vital_results_panel_new (void)
{
  return g_object_new (VITAL_TYPE_RESULTS_PANEL, NULL);
}

static const char *
band_css (VitalConfidenceBand band)
{
  switch (band)
    {
    case VITAL_CONFIDENCE_BAND_HIGH:
      return "success";
    case VITAL_CONFIDENCE_BAND_MODERATE:
      return "accent";
    case VITAL_CONFIDENCE_BAND_LOW:
      return "warning";
    case VITAL_CONFIDENCE_BAND_FALLBACK:
    default:
      return "error";
    }
}

static const char *
band_icon (VitalConfidenceBand band)
{
  switch (band)
    {
    case VITAL_CONFIDENCE_BAND_HIGH:
      return "emblem-ok-symbolic";
    case VITAL_CONFIDENCE_BAND_MODERATE:
      return "dialog-information-symbolic";
    case VITAL_CONFIDENCE_BAND_LOW:
      return "dialog-warning-symbolic";
    case VITAL_CONFIDENCE_BAND_FALLBACK:
    default:
      return "dialog-error-symbolic";
    }
}

/**
 * vital_results_panel_set_reading:
 * @self: a #VitalResultsPanel
 * @reading: (nullable): the result to show
 *
 * Shows @reading: what it was measured from, the banner for the heart rate's confidence band,
 * the cards with each vital's own confidence (hidden for a fallback result, whose values are
 * never shown as real) and the signal quality.
 */
void
vital_results_panel_set_reading (VitalResultsPanel *self,
                                 VitalReading      *reading)
{
  static const char *all_css[] = { "success", "accent", "warning", "error" };
  VitalConfidenceBand band;
  gboolean show_values;
  double q;

  g_return_if_fail (VITAL_IS_RESULTS_PANEL (self));
  g_return_if_fail (reading == NULL || VITAL_IS_READING (reading));

  g_set_object (&self->reading, reading);
  gtk_widget_set_visible (self->banner, reading != NULL);

  {
    g_autofree char *source = reading ? vital_reading_dup_source_text (reading) : NULL;
    gboolean demo = reading != NULL && vital_reading_is_demo (reading);

    gtk_label_set_label (GTK_LABEL (self->source), source ? source : "");
    gtk_widget_set_visible (self->source, source != NULL);
    /* A demo scan is said so before anything else, in the banner's size. */
    if (demo)
      {
        gtk_widget_add_css_class (self->source, "title-3");
        gtk_widget_add_css_class (self->source, "demo-source");
        gtk_widget_remove_css_class (self->source, "dim-label");
      }
    else
      {
        gtk_widget_remove_css_class (self->source, "title-3");
        gtk_widget_remove_css_class (self->source, "demo-source");
        gtk_widget_add_css_class (self->source, "dim-label");
      }
  }
  band = reading ? vital_reading_get_band (reading) : VITAL_CONFIDENCE_BAND_FALLBACK;
  show_values = reading != NULL && band != VITAL_CONFIDENCE_BAND_FALLBACK;

  for (guint i = 0; i < G_N_ELEMENTS (all_css); i++)
    gtk_widget_remove_css_class (self->banner, all_css[i]);
  gtk_widget_add_css_class (self->banner, band_css (band));
  gtk_image_set_from_icon_name (GTK_IMAGE (self->banner_icon), band_icon (band));
  /* The banner speaks for the heart rate; each card says how sure its own value is. */
  gtk_label_set_label (GTK_LABEL (self->banner_title), vital_band_get_heart_rate_title (band));

  g_clear_pointer (&self->banner_body, g_free);
  if (band == VITAL_CONFIDENCE_BAND_LOW && reading != NULL)
    self->banner_body =
      g_strconcat (vital_band_get_advice (band), " ",
                   vital_low_cause_get_advice (vital_reading_get_low_cause (reading)), NULL);
  else
    self->banner_body = g_strdup (vital_band_get_advice (band));
  gtk_label_set_label (GTK_LABEL (self->banner_text), self->banner_body);
  /* After a video, the page's own buttons say whether "again" means the video or the camera. */
  gtk_widget_set_visible (self->scan_again,
                          !self->no_scan_again && band != VITAL_CONFIDENCE_BAND_HIGH &&
                          reading != NULL &&
                          vital_reading_get_source (reading) != VITAL_READING_SOURCE_VIDEO);

  for (guint i = 0; i < VITAL_MEASURE_COUNT; i++)
    {
      VitalVitalCard *card = VITAL_VITAL_CARD (self->card[i]);

      vital_vital_card_update (card, show_values ? reading : NULL);
      /* The flow box's wrapper is what a screen reader's review finds: it says the card, not
       * its type. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (self->card[i])),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      vital_vital_card_get_summary (card), -1);
    }
  gtk_widget_set_visible (self->cards, show_values);

  q = reading ? vital_reading_get_snr_db (reading) : NAN;
  if (show_values && !isnan (q))
    {
      g_autofree char *text = NULL;
      /* Translators: signal quality figures,
       * e.g. "Signal: SNR 6.2 dB · stability 84 % · periodicity 71 %" */
      text = g_strdup_printf (_("Signal: SNR %.1f dB · stability %.0f %% · periodicity %.0f %%"),
                              q, vital_reading_get_stability (reading) * 100.0,
                              vital_reading_get_periodicity (reading) * 100.0);
      gtk_label_set_label (GTK_LABEL (self->quality), text);
    }
  gtk_widget_set_visible (self->quality, show_values && !isnan (q));
}

/**
 * vital_results_panel_get_reading:
 * @self: a #VitalResultsPanel
 *
 * Returns: (transfer none) (nullable): the reading shown
 */
VitalReading *
vital_results_panel_get_reading (VitalResultsPanel *self)
{
  g_return_val_if_fail (VITAL_IS_RESULTS_PANEL (self), NULL);
  return self->reading;
}

/**
 * vital_results_panel_get_card:
 * @self: a #VitalResultsPanel
 * @kind: which vital
 *
 * Returns: (transfer none): the card for @kind
 */
VitalVitalCard *
vital_results_panel_get_card (VitalResultsPanel *self,
                              VitalMeasure          kind)
{
  g_return_val_if_fail (VITAL_IS_RESULTS_PANEL (self), NULL);
  g_return_val_if_fail (kind < VITAL_MEASURE_COUNT, NULL);
  return VITAL_VITAL_CARD (self->card[kind]);
}

/**
 * vital_results_panel_get_values_visible:
 * @self: a #VitalResultsPanel
 *
 * Returns: %TRUE when the value cards are shown (never for a fallback result)
 */
gboolean
vital_results_panel_get_values_visible (VitalResultsPanel *self)
{
  g_return_val_if_fail (VITAL_IS_RESULTS_PANEL (self), FALSE);
  return gtk_widget_get_visible (self->cards);
}

/**
 * vital_results_panel_get_banner_title:
 * @self: a #VitalResultsPanel
 *
 * Returns: (transfer none): the confidence banner's title
 */
const char *
vital_results_panel_get_banner_title (VitalResultsPanel *self)
{
  g_return_val_if_fail (VITAL_IS_RESULTS_PANEL (self), NULL);
  return gtk_label_get_label (GTK_LABEL (self->banner_title));
}

/**
 * vital_results_panel_get_banner_text:
 * @self: a #VitalResultsPanel
 *
 * Returns: (transfer none): the confidence banner's advice
 */
const char *
vital_results_panel_get_banner_text (VitalResultsPanel *self)
{
  g_return_val_if_fail (VITAL_IS_RESULTS_PANEL (self), NULL);
  return self->banner_body;
}

/**
 * vital_results_panel_set_offer_scan_again:
 * @self: a #VitalResultsPanel
 * @offer: whether a low-confidence result offers "Scan Again" (the default)
 *
 * A result reopened from History is not the scan in front of the camera: it offers no
 * "Scan Again".
 */
void
vital_results_panel_set_offer_scan_again (VitalResultsPanel *self,
                                          gboolean           offer)
{
  g_return_if_fail (VITAL_IS_RESULTS_PANEL (self));
  self->no_scan_again = !offer;
  vital_results_panel_set_reading (self, self->reading);
}

/**
 * vital_results_panel_get_scan_again_visible:
 * @self: a #VitalResultsPanel
 *
 * Returns: %TRUE when the banner offers "Scan Again"
 */
gboolean
vital_results_panel_get_scan_again_visible (VitalResultsPanel *self)
{
  g_return_val_if_fail (VITAL_IS_RESULTS_PANEL (self), FALSE);
  return gtk_widget_get_visible (self->scan_again);
}

/**
 * vital_results_panel_get_source_text:
 * @self: a #VitalResultsPanel
 *
 * Returns: (transfer none) (nullable): the line saying what the result was measured from, %NULL
 *   when it is not shown
 */
const char *
vital_results_panel_get_source_text (VitalResultsPanel *self)
{
  g_return_val_if_fail (VITAL_IS_RESULTS_PANEL (self), NULL);
  if (!gtk_widget_get_visible (self->source))
    return NULL;
  return gtk_label_get_label (GTK_LABEL (self->source));
}

/* Appends @text to @out as a sentence of its own: a listener hears the pause. */
static void
append_sentence (GString    *out,
                 const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  if (out->len > 0)
    g_string_append_c (out, ' ');
  g_string_append (out, text);
  if (strchr (".!?", out->str[out->len - 1]) == NULL)
    g_string_append_c (out, '.');
}

/**
 * vital_results_panel_dup_summary:
 * @self: a #VitalResultsPanel
 *
 * The whole result as a screen reader should hear it when it arrives: what it was measured
 * from, the banner, each value shown, the signal line and the disclaimer, in the order they
 * are on screen.
 *
 * Returns: (transfer full) (nullable): the summary, %NULL without a reading
 */
char *
vital_results_panel_dup_summary (VitalResultsPanel *self)
{
  GString *out;

  g_return_val_if_fail (VITAL_IS_RESULTS_PANEL (self), NULL);

  if (self->reading == NULL)
    return NULL;
  out = g_string_new (NULL);
  if (gtk_widget_get_visible (self->source))
    append_sentence (out, gtk_label_get_label (GTK_LABEL (self->source)));
  append_sentence (out, gtk_label_get_label (GTK_LABEL (self->banner_title)));
  append_sentence (out, self->banner_body);
  if (gtk_widget_get_visible (self->cards))
    for (guint i = 0; i < VITAL_MEASURE_COUNT; i++)
      append_sentence (out, vital_vital_card_get_summary (VITAL_VITAL_CARD (self->card[i])));
  if (gtk_widget_get_visible (self->quality))
    append_sentence (out, gtk_label_get_label (GTK_LABEL (self->quality)));
  append_sentence (out, gtk_label_get_label (GTK_LABEL (self->disclaimer)));
  return g_string_free (out, FALSE);
}
