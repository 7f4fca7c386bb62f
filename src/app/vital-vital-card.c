/* vital-vital-card.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalVitalCard: one vital on the results panel (value, unit, typical range, flag, badge) and
 * how sure its value is: a value of low confidence is drawn dimmed and says it is uncertain.
 */
#include "vital-config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "vital-vital-card.h"

struct _VitalVitalCard
{
  GtkWidget  parent_instance;

  VitalMeasure  kind;
  gboolean   flagged;
  gboolean   uncertain;
  char      *summary;

  GtkWidget *box;
  GtkWidget *title;
  GtkWidget *badge;
  GtkWidget *value;
  GtkWidget *unit;
  GtkWidget *range;
  GtkWidget *confidence;
  GtkWidget *flag;
};

G_DEFINE_FINAL_TYPE (VitalVitalCard, vital_vital_card, GTK_TYPE_WIDGET)

static void
vital_vital_card_dispose (GObject *object)
{
  VitalVitalCard *self = VITAL_VITAL_CARD (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (vital_vital_card_parent_class)->dispose (object);
}

static void
vital_vital_card_class_init (VitalVitalCardClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vital_vital_card_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vitalcard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
vital_vital_card_init (VitalVitalCard *self)
{
  GtkWidget *header, *value_row;

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_add_css_class (self->box, "card");
  gtk_widget_add_css_class (self->box, "vital-card");
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->title), 0);
  gtk_widget_set_hexpand (self->title, TRUE);
  gtk_widget_add_css_class (self->title, "heading");
  self->badge = gtk_label_new (_("Experimental"));
  gtk_widget_add_css_class (self->badge, "badge");
  gtk_widget_add_css_class (self->badge, "warning");
  gtk_widget_set_tooltip_text (self->badge,
                               _("Camera estimates of this value are not validated"));
  gtk_box_append (GTK_BOX (header), self->title);
  gtk_box_append (GTK_BOX (header), self->badge);

  value_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->value = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->value, "title-1");
  gtk_widget_add_css_class (self->value, "numeric");
  self->unit = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->unit, "dim-label");
  gtk_widget_set_valign (self->unit, GTK_ALIGN_BASELINE);
  gtk_widget_set_valign (self->value, GTK_ALIGN_BASELINE);
  gtk_box_append (GTK_BOX (value_row), self->value);
  gtk_box_append (GTK_BOX (value_row), self->unit);

  self->range = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->range), 0);
  gtk_widget_add_css_class (self->range, "dim-label");
  gtk_widget_add_css_class (self->range, "caption");

  self->confidence = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->confidence), 0);
  gtk_widget_add_css_class (self->confidence, "caption");

  self->flag = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->flag), 0);
  gtk_widget_add_css_class (self->flag, "warning");
  gtk_widget_add_css_class (self->flag, "caption-heading");

  gtk_box_append (GTK_BOX (self->box), header);
  gtk_box_append (GTK_BOX (self->box), value_row);
  gtk_box_append (GTK_BOX (self->box), self->range);
  gtk_box_append (GTK_BOX (self->box), self->confidence);
  gtk_box_append (GTK_BOX (self->box), self->flag);
}

/**
 * vital_vital_card_new:
 * @kind: which vital the card shows
 *
 * Returns: (transfer floating): a new card showing "not measured" until updated
 */
GtkWidget *
vital_vital_card_new (VitalMeasure kind)
{
  VitalVitalCard *self = g_object_new (VITAL_TYPE_VITAL_CARD, NULL);
  const VitalMeasureInfo *info = vital_measure_get_info (kind);
  g_autofree char *range = NULL;

  self->kind = kind;
  gtk_label_set_label (GTK_LABEL (self->title), vital_measure_get_title_text (kind));
  gtk_label_set_label (GTK_LABEL (self->unit), vital_measure_get_unit_text (kind));
  gtk_widget_set_visible (self->badge, info->experimental);
  /* Translators: the typical adult range of a vital, e.g. "Typical: 60–100 bpm" */
  range = g_strdup_printf (_("Typical: %.0f–%.0f %s"), info->typical_low, info->typical_high,
                           vital_measure_get_unit_text (kind));
  gtk_label_set_label (GTK_LABEL (self->range), range);
  vital_vital_card_update (self, NULL);

  return GTK_WIDGET (self);
}

/**
 * vital_vital_card_get_kind:
 * @self: a #VitalVitalCard
 *
 * Returns: the vital shown
 */
VitalMeasure
vital_vital_card_get_kind (VitalVitalCard *self)
{
  g_return_val_if_fail (VITAL_IS_VITAL_CARD (self), VITAL_MEASURE_COUNT);
  return self->kind;
}

/**
 * vital_vital_card_update:
 * @self: a #VitalVitalCard
 * @reading: (nullable): the reading to show, or %NULL for "not measured"
 *
 * Shows the reading's value for this card's vital, with the out-of-range flag and an
 * accessible summary for screen readers.
 */
void
vital_vital_card_update (VitalVitalCard *self,
                         VitalReading   *reading)
{
  double v = NAN, lo, hi;
  VitalRangeCheck check = VITAL_RANGE_UNAVAILABLE;
  g_autofree char *value = NULL;
  const char *flag = NULL;
  const char *confidence;

  g_return_if_fail (VITAL_IS_VITAL_CARD (self));

  if (reading != NULL && !vital_reading_is_fallback (reading))
    {
      v = vital_reading_get_value (reading, self->kind);
      check = vital_reading_check_range (reading, self->kind);
    }

  if (isnan (v))
    value = g_strdup ("—");
  else if (self->kind == VITAL_MEASURE_SPO2)
    value = g_strdup_printf ("%.1f", v);
  else
    value = g_strdup_printf ("%.0f", v);
  gtk_label_set_label (GTK_LABEL (self->value), value);

  switch (check)
    {
    case VITAL_RANGE_BELOW:
      flag = _("Below the typical range");
      break;
    case VITAL_RANGE_ABOVE:
      flag = _("Above the typical range");
      break;
    case VITAL_RANGE_UNAVAILABLE:
      flag = reading != NULL ? _("Not measured") : NULL;
      break;
    case VITAL_RANGE_TYPICAL:
    default:
      break;
    }
  self->flagged = (check == VITAL_RANGE_BELOW || check == VITAL_RANGE_ABOVE);
  gtk_label_set_label (GTK_LABEL (self->flag), flag ? flag : "");
  gtk_widget_set_visible (self->flag, flag != NULL);
  if (self->flagged)
    gtk_widget_add_css_class (self->flag, "warning");
  else
    gtk_widget_remove_css_class (self->flag, "warning");
  gtk_widget_set_visible (self->unit, !isnan (v));

  /* Each value says how sure it is; an uncertain one is drawn as such, not as a fact. */
  confidence = reading != NULL && !isnan (v)
                 ? vital_reading_get_confidence_text (reading, self->kind) : NULL;
  self->uncertain = confidence != NULL && vital_reading_is_uncertain (reading, self->kind);
  gtk_label_set_label (GTK_LABEL (self->confidence), confidence ? confidence : "");
  gtk_widget_set_visible (self->confidence, confidence != NULL);
  (self->uncertain ? gtk_widget_add_css_class : gtk_widget_remove_css_class) (self->confidence,
                                                                               "warning");
  (self->uncertain ? gtk_widget_remove_css_class : gtk_widget_add_css_class) (self->confidence,
                                                                               "dim-label");
  (self->uncertain ? gtk_widget_add_css_class : gtk_widget_remove_css_class) (self->value,
                                                                               "dim-label");
  (self->uncertain ? gtk_widget_add_css_class : gtk_widget_remove_css_class) (self->box,
                                                                               "uncertain");

  lo = vital_measure_get_info (self->kind)->typical_low;
  hi = vital_measure_get_info (self->kind)->typical_high;
  g_free (self->summary);
  if (isnan (v))
    /* Translators: screen reader summary of a card without a value,
     * e.g. "Heart rate: not measured" */
    self->summary = g_strdup_printf (_("%s: not measured"),
                                     vital_measure_get_title_text (self->kind));
  else
    /* Translators: screen reader summary: name, value, unit, flag, typical range, confidence,
     * experimental, e.g. "Heart rate: 64 bpm. Typical range 60 to 100. High confidence." */
    self->summary = g_strdup_printf (_("%s: %s %s%s%s. Typical range %.0f to %.0f. %s.%s"),
                                     vital_measure_get_title_text (self->kind), value,
                                     vital_measure_get_unit_text (self->kind),
                                     self->flagged ? ", " : "", self->flagged ? flag : "",
                                     lo, hi, confidence,
                                     vital_measure_get_info (self->kind)->experimental
                                       ? _(" Experimental.") : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->summary,
                                  -1);
}

/**
 * vital_vital_card_get_value_text:
 * @self: a #VitalVitalCard
 *
 * Returns: (transfer none): the displayed value ("—" when unmeasured)
 */
const char *
vital_vital_card_get_value_text (VitalVitalCard *self)
{
  g_return_val_if_fail (VITAL_IS_VITAL_CARD (self), NULL);
  return gtk_label_get_label (GTK_LABEL (self->value));
}

/**
 * vital_vital_card_get_flag_text:
 * @self: a #VitalVitalCard
 *
 * Returns: (transfer none): the flag line, empty when none
 */
const char *
vital_vital_card_get_flag_text (VitalVitalCard *self)
{
  g_return_val_if_fail (VITAL_IS_VITAL_CARD (self), NULL);
  return gtk_label_get_label (GTK_LABEL (self->flag));
}

/**
 * vital_vital_card_get_flagged:
 * @self: a #VitalVitalCard
 *
 * Returns: %TRUE when the value is outside the typical range
 */
gboolean
vital_vital_card_get_flagged (VitalVitalCard *self)
{
  g_return_val_if_fail (VITAL_IS_VITAL_CARD (self), FALSE);
  return self->flagged;
}

/**
 * vital_vital_card_get_experimental:
 * @self: a #VitalVitalCard
 *
 * Returns: %TRUE when the "Experimental" badge is shown
 */
gboolean
vital_vital_card_get_experimental (VitalVitalCard *self)
{
  g_return_val_if_fail (VITAL_IS_VITAL_CARD (self), FALSE);
  return gtk_widget_get_visible (self->badge);
}

/**
 * vital_vital_card_get_summary:
 * @self: a #VitalVitalCard
 *
 * Returns: (transfer none): the sentence given to screen readers as the card's label
 */
const char *
vital_vital_card_get_summary (VitalVitalCard *self)
{
  g_return_val_if_fail (VITAL_IS_VITAL_CARD (self), NULL);
  return self->summary;
}

/**
 * vital_vital_card_get_confidence_text:
 * @self: a #VitalVitalCard
 *
 * Returns: (transfer none) (nullable): how sure the value is, in words; %NULL without a value
 */
const char *
vital_vital_card_get_confidence_text (VitalVitalCard *self)
{
  g_return_val_if_fail (VITAL_IS_VITAL_CARD (self), NULL);
  if (!gtk_widget_get_visible (self->confidence))
    return NULL;
  return gtk_label_get_label (GTK_LABEL (self->confidence));
}

/**
 * vital_vital_card_get_uncertain:
 * @self: a #VitalVitalCard
 *
 * Returns: %TRUE when the value is of low confidence, and drawn dimmed as uncertain
 */
gboolean
vital_vital_card_get_uncertain (VitalVitalCard *self)
{
  g_return_val_if_fail (VITAL_IS_VITAL_CARD (self), FALSE);
  return self->uncertain;
}
