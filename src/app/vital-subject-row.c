/* vital-subject-row.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalSubjectRow: an entry for whom the result on screen is of (a record number, initials),
 * kept with that result (vital_reading_set_subject_id()) as it is typed, so every export of it
 * names the subject. It starts empty for each new result: a result must never inherit the
 * previous person's identifier. The identifier is personal data: it goes into the exports the
 * user asks for and nowhere else — not to the server, not into the local history, not into logs.
 */
#include "vital-config.h"

#include <adwaita.h>

#include "vital-subject-row.h"

struct _VitalSubjectRow
{
  GtkWidget     parent_instance;

  VitalReading *reading;
  gboolean      updating;   /* the entry is being set from the reading */

  GtkWidget    *box;
  GtkWidget    *entry;
};

G_DEFINE_FINAL_TYPE (VitalSubjectRow, vital_subject_row, GTK_TYPE_WIDGET)

static void
entry_changed (GtkEditable     *editable,
               VitalSubjectRow *self)
{
  if (self->updating || self->reading == NULL)
    return;
  vital_reading_set_subject_id (self->reading, gtk_editable_get_text (editable));
}

static void
vital_subject_row_dispose (GObject *object)
{
  VitalSubjectRow *self = VITAL_SUBJECT_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), VITAL_TYPE_SUBJECT_ROW);
  g_clear_object (&self->reading);
  G_OBJECT_CLASS (vital_subject_row_parent_class)->dispose (object);
}

static void
vital_subject_row_class_init (VitalSubjectRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vital_subject_row_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vitalscan/Vitalscan/"
                                               "vital-subject-row.ui");
  gtk_widget_class_bind_template_child (widget_class, VitalSubjectRow, box);
  gtk_widget_class_bind_template_child (widget_class, VitalSubjectRow, entry);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed);
}

static void
vital_subject_row_init (VitalSubjectRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * vital_subject_row_new:
 *
 * Returns: (transfer floating): a new subject row, for no result yet
 */
GtkWidget *
vital_subject_row_new (void)
{
  return g_object_new (VITAL_TYPE_SUBJECT_ROW, NULL);
}

/**
 * vital_subject_row_set_reading:
 * @self: a #VitalSubjectRow
 * @reading: (nullable): the result on screen
 *
 * Shows the subject identifier of @reading (empty for a new result) and keeps what is typed
 * with it from now on. A reference to @reading is held.
 */
void
vital_subject_row_set_reading (VitalSubjectRow *self,
                               VitalReading    *reading)
{
  const char *id;

  g_return_if_fail (VITAL_IS_SUBJECT_ROW (self));
  g_return_if_fail (reading == NULL || VITAL_IS_READING (reading));

  g_set_object (&self->reading, reading);
  id = reading != NULL ? vital_reading_get_subject_id (reading) : NULL;
  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->entry), id != NULL ? id : "");
  self->updating = FALSE;
  gtk_widget_set_sensitive (self->entry, reading != NULL);
}

/**
 * vital_subject_row_get_reading:
 * @self: a #VitalSubjectRow
 *
 * Returns: (transfer none) (nullable): the result the identifier is kept with
 */
VitalReading *
vital_subject_row_get_reading (VitalSubjectRow *self)
{
  g_return_val_if_fail (VITAL_IS_SUBJECT_ROW (self), NULL);
  return self->reading;
}

/**
 * vital_subject_row_get_entry:
 * @self: a #VitalSubjectRow
 *
 * Returns: (transfer none): the entry the identifier is typed into (for focus and tests)
 */
GtkEditable *
vital_subject_row_get_entry (VitalSubjectRow *self)
{
  g_return_val_if_fail (VITAL_IS_SUBJECT_ROW (self), NULL);
  return GTK_EDITABLE (self->entry);
}
