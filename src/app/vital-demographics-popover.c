/* vital-demographics-popover.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalDemographicsPopover: the opt-in demographics (age, sex, skin type) sent with scans.
 * Nothing is sent until the user turns "Send with scans" on, and nothing is stored.
 */
#include "vital-config.h"

#include <glib/gi18n.h>

#include "vital-demographics-popover.h"

struct _VitalDemographicsPopover
{
  GtkPopover      parent_instance;

  /* template children */
  GtkLabel       *explanation;
  GtkCheckButton *demographics_enabled;
  GtkSpinButton  *age_spin;
  GtkDropDown    *sex_dropdown;
  GtkDropDown    *skin_dropdown;
};

G_DEFINE_FINAL_TYPE (VitalDemographicsPopover, vital_demographics_popover, GTK_TYPE_POPOVER)

/**
 * vital_demographics_popover_get:
 * @self: a #VitalDemographicsPopover
 * @out: (out caller-allocates): the demographics entered
 *
 * Returns: %TRUE when the user opted in to sending demographics and filled at least one
 *   field; @out is zeroed otherwise
 */
gboolean
vital_demographics_popover_get (VitalDemographicsPopover *self,
                                VitalDemographics        *out)
{
  g_return_val_if_fail (VITAL_IS_DEMOGRAPHICS_POPOVER (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (!gtk_check_button_get_active (self->demographics_enabled))
    return FALSE;
  out->age = gtk_spin_button_get_value_as_int (self->age_spin);
  switch (gtk_drop_down_get_selected (self->sex_dropdown))
    {
    case 1:
      out->sex = VITAL_SEX_MALE;
      break;
    case 2:
      out->sex = VITAL_SEX_FEMALE;
      break;
    case 3:
      out->sex = VITAL_SEX_OTHER;
      break;
    default:
      out->sex = VITAL_SEX_UNKNOWN;
    }
  out->fitzpatrick = (int) MIN (gtk_drop_down_get_selected (self->skin_dropdown), 6u);
  return out->age > 0 || out->sex != VITAL_SEX_UNKNOWN || out->fitzpatrick > 0;
}

static void
vital_demographics_popover_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), VITAL_TYPE_DEMOGRAPHICS_POPOVER);

  G_OBJECT_CLASS (vital_demographics_popover_parent_class)->dispose (object);
}

static void
vital_demographics_popover_class_init (VitalDemographicsPopoverClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vital_demographics_popover_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vitalscan/Vitalscan/"
                                               "vital-demographics-popover.ui");
#define BIND(name) \
  gtk_widget_class_bind_template_child (widget_class, VitalDemographicsPopover, name)
  BIND (explanation);
  BIND (demographics_enabled);
  BIND (age_spin);
  BIND (sex_dropdown);
  BIND (skin_dropdown);
#undef BIND
}

static void
vital_demographics_popover_init (VitalDemographicsPopover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_label_set_label (self->explanation,
                       _("Demographics can make estimates more accurate. They are sent with the "
                         "next scans only when you turn this on, and are never stored."));
}
