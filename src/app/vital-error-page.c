/* vital-error-page.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalErrorPage: the error page of the main window — the explanation of a VitalErrorInfo and
 * Retry / Open Preferences / Process on This Device / Open Another Video / Scan Again as the
 * error and the window allow, so that no error is a dead end.
 */
#include "vital-config.h"

#include <glib/gi18n.h>

#include "vital-a11y.h"
#include "vital-error-page.h"

struct _VitalErrorPage
{
  GtkWidget      parent_instance;

  gboolean       retryable;

  /* template children */
  AdwStatusPage *status_page;
  GtkWidget     *retry_button;
  GtkWidget     *error_prefs_button;
  GtkWidget     *error_local_button;
  GtkWidget     *error_open_video_button;
  GtkWidget     *error_scan_again_button;
};

G_DEFINE_FINAL_TYPE (VitalErrorPage, vital_error_page, GTK_TYPE_WIDGET)

/**
 * vital_error_page_set_error:
 * @self: a #VitalErrorPage
 * @info: what went wrong
 * @offers: the ways out the window allows besides Retry and Scan Again
 *
 * Shows @info: its title, explanation and icon, Retry when the error is retryable, the other
 * buttons as @offers say.
 */
void
vital_error_page_set_error (VitalErrorPage       *self,
                            const VitalErrorInfo *info,
                            VitalErrorPageOffer   offers)
{
  g_return_if_fail (VITAL_IS_ERROR_PAGE (self));
  g_return_if_fail (info != NULL);

  self->retryable = info->retryable;
  adw_status_page_set_title (self->status_page, info->title);
  adw_status_page_set_description (self->status_page, info->description);
  adw_status_page_set_icon_name (self->status_page, info->icon_name);
  gtk_widget_set_visible (self->retry_button, info->retryable);
  gtk_widget_set_visible (self->error_prefs_button,
                          (offers & VITAL_ERROR_PAGE_OFFER_PREFERENCES) != 0);
  gtk_widget_set_visible (self->error_local_button,
                          (offers & VITAL_ERROR_PAGE_OFFER_PROCESS_LOCALLY) != 0);
  gtk_widget_set_visible (self->error_open_video_button,
                          (offers & VITAL_ERROR_PAGE_OFFER_OPEN_VIDEO) != 0);
  gtk_widget_set_visible (self->error_scan_again_button, TRUE);
  gtk_button_set_label (GTK_BUTTON (self->error_scan_again_button),
                        (offers & VITAL_ERROR_PAGE_FROM_VIDEO) != 0
                          ? _("Scan with _Camera")
                        : info->action == VITAL_ERROR_ACTION_USE_DEMO
                          ? _("Scan the _Demo Subject")
                          : _("_Scan Again"));
}

/**
 * vital_error_page_focus_default:
 * @self: a #VitalErrorPage
 *
 * Moves the keyboard focus to what most likely helps: Retry, else Process on This Device, else
 * Scan Again. That button describes the error and its fix to a screen reader (the status page
 * is no focus stop, and only its title would be heard).
 */
void
vital_error_page_focus_default (VitalErrorPage *self)
{
  GtkWidget *first = self->error_scan_again_button;
  g_autofree char *text = NULL;

  g_return_if_fail (VITAL_IS_ERROR_PAGE (self));

  if (self->retryable)
    first = self->retry_button;
  else if (gtk_widget_get_visible (self->error_local_button))
    first = self->error_local_button;
  text = g_strdup_printf ("%s. %s", adw_status_page_get_title (self->status_page),
                          adw_status_page_get_description (self->status_page));
  vital_a11y_set_status (first, text);
  gtk_widget_grab_focus (first);
}

/**
 * vital_error_page_get_title:
 * @self: a #VitalErrorPage
 *
 * Returns: (transfer none) (nullable): the page's title
 */
const char *
vital_error_page_get_title (VitalErrorPage *self)
{
  g_return_val_if_fail (VITAL_IS_ERROR_PAGE (self), NULL);
  return adw_status_page_get_title (self->status_page);
}

/**
 * vital_error_page_get_description:
 * @self: a #VitalErrorPage
 *
 * Returns: (transfer none) (nullable): the page's explanation
 */
const char *
vital_error_page_get_description (VitalErrorPage *self)
{
  g_return_val_if_fail (VITAL_IS_ERROR_PAGE (self), NULL);
  return adw_status_page_get_description (self->status_page);
}

/**
 * vital_error_page_get_retry_visible:
 * @self: a #VitalErrorPage
 *
 * Returns: %TRUE when the page offers Retry
 */
gboolean
vital_error_page_get_retry_visible (VitalErrorPage *self)
{
  g_return_val_if_fail (VITAL_IS_ERROR_PAGE (self), FALSE);
  return gtk_widget_get_visible (self->retry_button);
}

/**
 * vital_error_page_get_preferences_visible:
 * @self: a #VitalErrorPage
 *
 * Returns: %TRUE when the page offers to open Preferences
 */
gboolean
vital_error_page_get_preferences_visible (VitalErrorPage *self)
{
  g_return_val_if_fail (VITAL_IS_ERROR_PAGE (self), FALSE);
  return gtk_widget_get_visible (self->error_prefs_button);
}

/**
 * vital_error_page_get_process_locally_visible:
 * @self: a #VitalErrorPage
 *
 * Returns: %TRUE when the page offers to process the scan on this device
 */
gboolean
vital_error_page_get_process_locally_visible (VitalErrorPage *self)
{
  g_return_val_if_fail (VITAL_IS_ERROR_PAGE (self), FALSE);
  return gtk_widget_get_visible (self->error_local_button);
}

static void
vital_error_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), VITAL_TYPE_ERROR_PAGE);

  G_OBJECT_CLASS (vital_error_page_parent_class)->dispose (object);
}

static void
vital_error_page_class_init (VitalErrorPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vital_error_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vitalscan/Vitalscan/"
                                               "vital-error-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VitalErrorPage, name)
  BIND (status_page);
  BIND (retry_button);
  BIND (error_prefs_button);
  BIND (error_local_button);
  BIND (error_open_video_button);
  BIND (error_scan_again_button);
#undef BIND
}

static void
vital_error_page_init (VitalErrorPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
