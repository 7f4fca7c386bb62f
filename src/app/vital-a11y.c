/* vital-a11y.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a screen reader needs beyond what GTK 4.8 and libadwaita 1.2 tell it: control names
 * without mnemonic underscores, the value of a combo row, names for the library's own
 * icon-only buttons and popup items, stack pages out of sight kept out of the tree, and status
 * spoken through the focused control's description. GTK 4.8 has no gtk_accessible_announce()
 * (4.14) and no accessible label for list items (4.12); Orca speaks a change of the focused
 * object's description, so that is where news goes.
 */
#include "vital-config.h"

#include <glib/gi18n.h>

#include "vital-a11y.h"

#define STATUS_KEY "vital-a11y-status"
#define NAMED_KEY "vital-a11y-named"
#define ANNOUNCE_SECONDS 8

static void show_description (GtkWidget  *widget,
                              const char *text);
static void name_list_items  (GtkWidget  *list);
static void follow_drop_down (GtkDropDown *drop_down);

/**
 * vital_a11y_strip_mnemonic:
 * @label: a label with mnemonic underscores ("_Start Scan", "Save__As")
 *
 * Returns: (transfer full): @label as it is read out ("Start Scan", "Save_As")
 */
char *
vital_a11y_strip_mnemonic (const char *label)
{
  GString *out = g_string_new (NULL);

  for (const char *p = label ? label : ""; *p; p++)
    {
      if (*p == '_')
        {
          if (p[1] == '_')
            g_string_append_c (out, '_');
          if (p[1] != '\0')
            p++;
          else
            break;
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* GTK 4.8 names a button with a mnemonic label from both its label property, underscore and
 * all, and the label child it is labelled by ("_Start Scan Start Scan"): the label without
 * the underscore alone names it, kept in step with the label. */
static void
button_label_changed (GObject    *object,
                      GParamSpec *pspec,
                      gpointer    user_data)
{
  g_autofree char *label = NULL;
  g_autofree char *plain = NULL;

  g_object_get (object, "label", &label, NULL);
  if (label == NULL)
    return;
  plain = vital_a11y_strip_mnemonic (label);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (object), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (object), GTK_ACCESSIBLE_PROPERTY_LABEL, plain,
                                  -1);
}

static gboolean
has_ancestor_type (GtkWidget  *widget,
                   const char *type_name)
{
  GType type = g_type_from_name (type_name);

  if (type == 0)
    return FALSE;
  for (GtkWidget *w = gtk_widget_get_parent (widget); w; w = gtk_widget_get_parent (w))
    if (G_TYPE_CHECK_INSTANCE_TYPE (w, type))
      return TRUE;
  return FALSE;
}

static void
page_title_changed (GObject    *page,
                    GParamSpec *pspec,
                    gpointer    scroller)
{
  g_autofree char *title = NULL;

  g_object_get (page, "title", &title, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (scroller), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title ? title : "", -1);
}

/* whether a popover lies between @widget and @top (a drop-down may itself sit in a popover) */
static gboolean
in_popover_below (GtkWidget *widget,
                  GtkWidget *top)
{
  for (GtkWidget *w = gtk_widget_get_parent (widget); w && w != top; w = gtk_widget_get_parent (w))
    if (GTK_IS_POPOVER (w))
      return TRUE;
  return FALSE;
}

static char *
item_string (GObject *item)
{
  if (item != NULL && GTK_IS_STRING_OBJECT (item))
    return g_strdup (gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
  return NULL;
}

/* The parts of a drop-down: its toggle button (which takes the focus) says the drop-down's name
 * and value; the shown item and the popup's items say their text. */
static void
name_drop_down_parts (GtkWidget  *top,
                      GtkWidget  *widget,
                      const char *name,
                      const char *value)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      gboolean popup = GTK_IS_POPOVER (c) || in_popover_below (c, top);

      if (GTK_IS_TOGGLE_BUTTON (c) && !popup)
        {
          gtk_accessible_update_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                          -1);
          show_description (c, value);
        }
      else if (GTK_IS_LIST_VIEW (c) || GTK_IS_SCROLLED_WINDOW (c))
        gtk_accessible_update_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                        -1);
      if (GTK_IS_LIST_VIEW (c))
        name_list_items (c);
      else if (!popup && g_type_from_name ("GtkListItemWidget") != 0 &&
               G_TYPE_CHECK_INSTANCE_TYPE (c, g_type_from_name ("GtkListItemWidget")))
        gtk_accessible_update_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        value ? value : "", -1);
      name_drop_down_parts (top, c, name, value);
    }
}

static void
drop_down_changed (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  GtkWidget *widget = GTK_WIDGET (object);
  const char *name = g_object_get_data (object, NAMED_KEY);
  g_autofree char *value = item_string (gtk_drop_down_get_selected_item (GTK_DROP_DOWN (object)));

  show_description (widget, value);
  name_drop_down_parts (widget, widget, name, value);
}

static void
drop_down_popover_mapped (GtkWidget *popover,
                          gpointer   drop_down)
{
  drop_down_changed (G_OBJECT (drop_down), NULL, NULL);
}

/* A drop-down with a mnemonic label is named by it alone: GTK 4.8 adds the label it is
 * labelled by to any accessible label ("Sex Sex"). Its value goes in its description. */
static void
follow_drop_down (GtkDropDown *drop_down)
{
  GList *labels = gtk_widget_list_mnemonic_labels (GTK_WIDGET (drop_down));
  char *name;

  if (labels == NULL || !GTK_IS_LABEL (labels->data))
    {
      g_list_free (labels);
      return;
    }
  name = vital_a11y_strip_mnemonic (gtk_label_get_label (GTK_LABEL (labels->data)));
  g_list_free (labels);
  g_object_set_data_full (G_OBJECT (drop_down), NAMED_KEY, name, g_free);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (drop_down), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  g_signal_connect (drop_down, "notify::selected-item", G_CALLBACK (drop_down_changed), NULL);
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (drop_down)); c;
       c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_POPOVER (c))
      g_signal_connect_object (c, "map", G_CALLBACK (drop_down_popover_mapped), drop_down, 0);
  drop_down_changed (G_OBJECT (drop_down), NULL, NULL);
}

static void
name_control (GtkWidget *widget)
{
  gboolean underline = FALSE;
  g_autofree char *label = NULL;

  if (g_object_get_data (G_OBJECT (widget), NAMED_KEY))
    return;
  if (ADW_IS_COMBO_ROW (widget))
    {
      vital_a11y_follow_combo_row (ADW_COMBO_ROW (widget));
      return;
    }
  if (GTK_IS_DROP_DOWN (widget))
    {
      follow_drop_down (GTK_DROP_DOWN (widget));
      return;
    }
  if (GTK_IS_SCROLLED_WINDOW (widget) && has_ancestor_type (widget, "GtkPopoverMenu"))
    {
      /* a menu scrolls its items in a focusable scroller */
      g_object_set_data (G_OBJECT (widget), NAMED_KEY, GINT_TO_POINTER (TRUE));
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Menu"), -1);
      return;
    }
  if (GTK_IS_SCROLLED_WINDOW (widget) &&
      (ADW_IS_STATUS_PAGE (gtk_widget_get_parent (widget)) ||
       ADW_IS_PREFERENCES_PAGE (gtk_widget_get_parent (widget))))
    {
      /* a page scrolls its content in a focusable scroller: it says the page's title */
      GtkWidget *page = gtk_widget_get_parent (widget);

      g_object_set_data (G_OBJECT (widget), NAMED_KEY, GINT_TO_POINTER (TRUE));
      g_signal_connect_object (page, "notify::title", G_CALLBACK (page_title_changed), widget, 0);
      page_title_changed (G_OBJECT (page), NULL, widget);
      return;
    }
  if (!GTK_IS_BUTTON (widget) && !GTK_IS_CHECK_BUTTON (widget))
    return;

  g_object_get (widget, "label", &label, "use-underline", &underline, NULL);
  if (label != NULL && underline)
    {
      g_object_set_data (G_OBJECT (widget), NAMED_KEY, GINT_TO_POINTER (TRUE));
      g_signal_connect (widget, "notify::label", G_CALLBACK (button_label_changed), NULL);
      button_label_changed (G_OBJECT (widget), NULL, NULL);
    }
  else if ((label == NULL || *label == '\0') && GTK_IS_BUTTON (widget))
    {
      /* Icon-only buttons of libadwaita's own widgets, named after their image otherwise. */
      const char *name = NULL;

      if (has_ancestor_type (widget, "AdwToastWidget"))
        name = _("Dismiss");
      else if (GTK_IS_TOGGLE_BUTTON (widget) && has_ancestor_type (widget, "AdwPasswordEntryRow"))
        name = _("Show Text");
      else if (has_ancestor_type (widget, "AdwEntryRow"))
        name = _("Apply");
      if (name != NULL)
        {
          g_object_set_data (G_OBJECT (widget), NAMED_KEY, GINT_TO_POINTER (TRUE));
          gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          name, -1);
        }
    }
}

/**
 * vital_a11y_name_controls:
 * @root: a widget
 *
 * Gives every control under @root (popovers included) a name a screen reader can say: buttons
 * and check buttons with a mnemonic label get it without the underscore (and keep it in step
 * with later labels), combo rows say their value (vital_a11y_follow_combo_row()), a toast's
 * close button and a password row's reveal button get a name. Call again after adding
 * controls; each is set up once.
 */
void
vital_a11y_name_controls (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  name_control (root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    vital_a11y_name_controls (c);
}

/* GTK 4.8 keeps the pages a stack does not show in the accessible tree, with their last size,
 * so a screen reader's review reads buttons that are not there. Hidden ones are marked so. */
static void
stack_child_changed (GObject    *stack,
                     GParamSpec *pspec,
                     gpointer    user_data)
{
  GtkWidget *visible = NULL;

  g_object_get (stack, "visible-child", &visible, NULL);
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (stack)); c;
       c = gtk_widget_get_next_sibling (c))
    gtk_accessible_update_state (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_STATE_HIDDEN, c != visible,
                                 -1);
  g_clear_object (&visible);
}

/**
 * vital_a11y_follow_stack:
 * @stack: a #GtkStack or #AdwViewStack
 *
 * Keeps the pages @stack does not show hidden from assistive technologies.
 */
void
vital_a11y_follow_stack (GtkWidget *stack)
{
  g_return_if_fail (GTK_IS_STACK (stack) || ADW_IS_VIEW_STACK (stack));

  g_signal_connect (stack, "notify::visible-child", G_CALLBACK (stack_child_changed), NULL);
  stack_child_changed (G_OBJECT (stack), NULL, NULL);
}

static char *
combo_row_value (AdwComboRow *row)
{
  GObject *item = adw_combo_row_get_selected_item (row);
  GtkExpression *expression = adw_combo_row_get_expression (row);
  g_auto(GValue) value = G_VALUE_INIT;

  if (item == NULL)
    return NULL;
  if (GTK_IS_STRING_OBJECT (item))
    return g_strdup (gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
  if (expression != NULL && gtk_expression_evaluate (expression, item, &value) &&
      G_VALUE_HOLDS_STRING (&value))
    return g_value_dup_string (&value);
  return NULL;
}

/* The popup's items: a list item has no accessible label of its own in GTK 4.8, so it takes
 * the text of the label inside it. */
static void
name_list_items (GtkWidget *list)
{
  for (GtkWidget *item = gtk_widget_get_first_child (list); item;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *w = item;

      while (w != NULL && !GTK_IS_LABEL (w))
        w = gtk_widget_get_first_child (w) ? gtk_widget_get_first_child (w)
                                           : gtk_widget_get_next_sibling (w);
      if (w != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        gtk_label_get_text (GTK_LABEL (w)), -1);
    }
}

static void
name_combo_lists (GtkWidget   *widget,
                  AdwComboRow *row,
                  const char  *value)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_SCROLLED_WINDOW (c) && has_ancestor_type (c, "GtkPopover"))
        {
          g_autofree char *title =
            vital_a11y_strip_mnemonic (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));

          gtk_accessible_update_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          title, -1);
        }
      else if (GTK_IS_LIST_VIEW (c))
        {
          gboolean popup = has_ancestor_type (c, "GtkPopover");
          g_autofree char *title =
            vital_a11y_strip_mnemonic (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));

          /* the row shows its value in a list of one; its popup lists the choices */
          gtk_accessible_update_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          popup ? title : (value ? value : ""), -1);
          name_list_items (c);
        }
      name_combo_lists (c, row, value);
    }
}

static void
combo_row_changed (AdwComboRow *row)
{
  g_autofree char *value = combo_row_value (row);
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_autofree char *description = NULL;

  /* Orca reads a combo box's name and description: the description carries the value. */
  if (value != NULL && subtitle != NULL && *subtitle != '\0')
    description = g_strdup_printf ("%s. %s", value, subtitle);
  else
    description = g_strdup (value);
  if (description != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    description, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  name_combo_lists (GTK_WIDGET (row), row, value);
}

static void
combo_row_notify (GObject    *object,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  combo_row_changed (ADW_COMBO_ROW (object));
}

/* The popup's items are made when it first opens. */
static void
combo_popover_mapped (GtkWidget *popover,
                      gpointer   user_data)
{
  combo_row_changed (ADW_COMBO_ROW (user_data));
}

static void
connect_popovers (GtkWidget   *widget,
                  AdwComboRow *row)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_POPOVER (c))
        g_signal_connect_object (c, "map", G_CALLBACK (combo_popover_mapped), row, 0);
      connect_popovers (c, row);
    }
}

/**
 * vital_a11y_follow_combo_row:
 * @row: a combo row
 *
 * Keeps @row's value in its accessible description (with its subtitle, if any) and names its
 * popup list and items, which GTK 4.8 leaves nameless.
 */
void
vital_a11y_follow_combo_row (AdwComboRow *row)
{
  g_return_if_fail (ADW_IS_COMBO_ROW (row));

  if (g_object_get_data (G_OBJECT (row), NAMED_KEY))
    return;
  g_object_set_data (G_OBJECT (row), NAMED_KEY, GINT_TO_POINTER (TRUE));
  g_signal_connect (row, "notify::selected-item", G_CALLBACK (combo_row_notify), NULL);
  g_signal_connect (row, "notify::subtitle", G_CALLBACK (combo_row_notify), NULL);
  connect_popovers (GTK_WIDGET (row), row);
  combo_row_changed (row);
}

static void
show_description (GtkWidget  *widget,
                  const char *text)
{
  if (text != NULL && *text != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    text, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/**
 * vital_a11y_set_status:
 * @widget: a control
 * @text: (nullable): what it should say beyond its name, or %NULL for its tooltip
 *
 * Sets @widget's accessible description to @text: Orca speaks it when the control takes the
 * focus, and again when it changes while focused, which is how a running status reaches a
 * screen reader under GTK 4.8. Change it at a pace a listener can follow.
 */
void
vital_a11y_set_status (GtkWidget  *widget,
                       const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (g_strcmp0 (g_object_get_data (G_OBJECT (widget), STATUS_KEY), text) == 0)
    return;
  g_object_set_data_full (G_OBJECT (widget), STATUS_KEY, g_strdup (text), g_free);
  show_description (widget, text);
}

static gboolean
restore_status (gpointer user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(GtkWidget) widget = g_weak_ref_get (ref);

  if (widget != NULL)
    show_description (widget, g_object_get_data (G_OBJECT (widget), STATUS_KEY));
  return G_SOURCE_REMOVE;
}

static void
free_weak_ref (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

typedef struct
{
  GWeakRef  widget;
  char     *text;
} Announcement;

static void
announcement_free (gpointer data)
{
  Announcement *a = data;

  g_weak_ref_clear (&a->widget);
  g_free (a->text);
  g_free (a);
}

static gboolean
announce_idle (gpointer data)
{
  Announcement *a = data;
  g_autoptr(GtkWidget) widget = g_weak_ref_get (&a->widget);
  GtkRoot *root;
  GtkWidget *focus;
  GWeakRef *ref;

  if (widget == NULL || (root = gtk_widget_get_root (widget)) == NULL)
    return G_SOURCE_REMOVE;
  /* New controls (a toast's close button) get their names too. */
  vital_a11y_name_controls (GTK_WIDGET (root));
  focus = gtk_root_get_focus (root);
  if (focus == NULL)
    focus = GTK_WIDGET (root);
  show_description (focus, a->text);
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, focus);
  g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, ANNOUNCE_SECONDS, restore_status, ref,
                              free_weak_ref);
  return G_SOURCE_REMOVE;
}

/**
 * vital_a11y_announce:
 * @widget: any widget of the window that has news
 * @text: the news (a toast's text)
 *
 * Has a screen reader say @text: once the focus has settled (an idle), the window's focused
 * control describes @text for a few seconds, then says its own status again.
 */
void
vital_a11y_announce (GtkWidget  *widget,
                     const char *text)
{
  Announcement *a;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (text != NULL);

  a = g_new0 (Announcement, 1);
  g_weak_ref_init (&a->widget, widget);
  a->text = g_strdup (text);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, announce_idle, a, announcement_free);
}
