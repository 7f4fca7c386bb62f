/* vital-live-page.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalLivePage: the camera page of the main window — the live view with its demo notice and
 * guidance overlay, Start/Cancel, the countdown, the live waveform and the provisional heart
 * rate. It shows the state of a recording; the window decides when one starts and ends.
 */
#include "vital-config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "vital-a11y.h"
#include "vital-live-page.h"

struct _VitalLivePage
{
  GtkWidget        parent_instance;

  gboolean         kiosk;
  gboolean         scanning;
  VitalPreview     preview;
  char            *progress_text;
  gint64           status_time;  /* when Cancel last said the status */

  /* template children */
  GtkWidget       *box;
  AdwToastOverlay *preview_toasts;
  VitalCameraView *camera_view;
  GtkWidget       *demo_notice;
  GtkLabel        *demo_notice_label;
  GtkWidget       *choose_camera_button;
  GtkWidget       *kiosk_intro;
  GtkLabel        *kiosk_steps;
  GtkLabel        *kiosk_privacy;
  GtkLabel        *guidance_label;
  GtkWidget       *scan_button;
  GtkWidget       *cancel_button;
  GtkLabel        *progress_label;
  GtkProgressBar  *scan_progress;
  VitalWaveform   *waveform;
  GtkLabel        *provisional_hr;
};

G_DEFINE_FINAL_TYPE (VitalLivePage, vital_live_page, GTK_TYPE_WIDGET)

static void
set_progress_text (VitalLivePage *self,
                   const char    *text)
{
  gtk_label_set_label (self->progress_label, text);
  g_free (self->progress_text);
  self->progress_text = g_strdup (text);
}

/* What a screen reader hears of a running recording: Cancel has the focus, and its description
 * says the countdown, the face, the provisional heart rate and any guidance — at most every
 * few seconds, so that Orca can finish a sentence before the next. */
#define STATUS_INTERVAL_US (3 * G_USEC_PER_SEC)

static void
update_status (VitalLivePage *self)
{
  gint64 now = g_get_monotonic_time ();
  gboolean hint = gtk_widget_get_visible (GTK_WIDGET (self->guidance_label));
  g_autofree char *text = NULL;

  if (!gtk_widget_get_visible (self->cancel_button) ||
      (self->status_time != 0 && now - self->status_time < STATUS_INTERVAL_US))
    return;
  self->status_time = now;
  /* Translators: what a screen reader says during a scan: the countdown line, the
   * provisional heart rate and any guidance, e.g.
   * "12 s left · face 96 %. Heart rate so far: 72 bpm. Move closer" */
  text = g_strdup_printf (_("%s. Heart rate so far: %s.%s%s"), self->progress_text,
                          gtk_label_get_label (self->provisional_hr), hint ? " " : "",
                          hint ? gtk_label_get_label (self->guidance_label) : "");
  vital_a11y_set_status (self->cancel_button, text);
}

static const char *
idle_text (VitalLivePage *self)
{
  if (self->preview == VITAL_PREVIEW_CAMERA)
    return _("Look at the camera and press Start Scan.");
  return _("Press Start Scan to try a scan of the demo subject.");
}

/**
 * vital_live_page_set_kiosk:
 * @self: a #VitalLivePage
 * @kiosk: whether the window is a kiosk
 *
 * A kiosk has no Preferences, so the page offers no way there.
 */
void
vital_live_page_set_kiosk (VitalLivePage *self,
                           gboolean       kiosk)
{
  g_return_if_fail (VITAL_IS_LIVE_PAGE (self));

  self->kiosk = kiosk;
  gtk_widget_set_visible (self->choose_camera_button, !kiosk);
  gtk_widget_set_visible (self->kiosk_intro, kiosk && !self->scanning);
}

/**
 * vital_live_page_set_privacy_notice:
 * @self: a #VitalLivePage
 * @text: what happens to a scan, for a kiosk's idle screen
 *
 * A kiosk's idle screen says what to do and, with @text, where the scan goes and that nothing
 * is kept, before anyone presses Start.
 */
void
vital_live_page_set_privacy_notice (VitalLivePage *self,
                                    const char    *text)
{
  g_return_if_fail (VITAL_IS_LIVE_PAGE (self));
  gtk_label_set_label (self->kiosk_privacy, text);
}

/**
 * vital_live_page_get_idle_screen:
 * @self: a #VitalLivePage
 *
 * Returns: (transfer full) (nullable): the text of a kiosk's idle screen (instructions and
 *   privacy notice), %NULL when it is not shown
 */
char *
vital_live_page_get_idle_screen (VitalLivePage *self)
{
  g_return_val_if_fail (VITAL_IS_LIVE_PAGE (self), NULL);
  if (!gtk_widget_get_visible (self->kiosk_intro))
    return NULL;
  return g_strconcat (gtk_label_get_label (self->kiosk_steps), "\n",
                      gtk_label_get_label (self->kiosk_privacy), NULL);
}

/**
 * vital_live_page_set_preview:
 * @self: a #VitalLivePage
 * @preview: what the live view shows
 *
 * Says on the live view when it shows the demo subject rather than a person, and why, with a
 * way to choose a camera (not in kiosk mode, which has no Preferences).
 */
void
vital_live_page_set_preview (VitalLivePage *self,
                             VitalPreview   preview)
{
  g_return_if_fail (VITAL_IS_LIVE_PAGE (self));

  self->preview = preview;
  gtk_widget_set_visible (self->demo_notice, preview != VITAL_PREVIEW_CAMERA);
  gtk_label_set_label (self->demo_notice_label,
                       preview == VITAL_PREVIEW_DEMO_NO_CAMERA
                         ? _("No camera found — showing the demo subject")
                       : preview == VITAL_PREVIEW_DEMO_NO_PERMISSION
                         ? _("The camera is not allowed — showing the demo subject")
                         : _("Showing the demo subject, not a camera"));
  gtk_widget_set_visible (self->choose_camera_button, !self->kiosk);
  if (!gtk_widget_get_visible (self->cancel_button))
    set_progress_text (self, idle_text (self));
}

/**
 * vital_live_page_set_scanning:
 * @self: a #VitalLivePage
 * @scanning: whether a recording is running
 *
 * Switches the controls between "Start Scan" and the progress/Cancel of a running recording;
 * a new recording starts with an empty waveform and no heart rate. Cancel takes the focus
 * from vital_live_page_focus_cancel(), once its action is enabled.
 */
void
vital_live_page_set_scanning (VitalLivePage *self,
                              gboolean       scanning)
{
  g_return_if_fail (VITAL_IS_LIVE_PAGE (self));

  self->scanning = scanning;
  gtk_widget_set_visible (self->kiosk_intro, !scanning && self->kiosk);
  gtk_widget_set_visible (self->scan_button, !scanning);
  gtk_widget_set_visible (self->cancel_button, scanning);
  gtk_widget_set_visible (GTK_WIDGET (self->scan_progress), scanning);
  vital_live_page_set_provisional_hr (self, NAN);
  if (scanning)
    {
      gtk_progress_bar_set_fraction (self->scan_progress, 0.0);
      vital_waveform_clear (self->waveform);
      set_progress_text (self,
                         self->preview == VITAL_PREVIEW_CAMERA
                           ? _("Hold still and look at the camera…")
                           : _("Scanning the demo subject…"));
      self->status_time = 0;
      update_status (self);
    }
  else
    set_progress_text (self, idle_text (self));
}

/**
 * vital_live_page_get_scanning:
 * @self: a #VitalLivePage
 *
 * Returns: %TRUE while a recording runs (Cancel is offered)
 */
gboolean
vital_live_page_get_scanning (VitalLivePage *self)
{
  g_return_val_if_fail (VITAL_IS_LIVE_PAGE (self), FALSE);
  return gtk_widget_get_visible (self->cancel_button);
}

/**
 * vital_live_page_show_start:
 * @self: a #VitalLivePage
 *
 * The recording is over and another page takes its place: Start comes back instead of Cancel,
 * while the countdown stays as it was until the page is reset with
 * vital_live_page_set_scanning().
 */
void
vital_live_page_show_start (VitalLivePage *self)
{
  g_return_if_fail (VITAL_IS_LIVE_PAGE (self));

  gtk_widget_set_visible (self->cancel_button, FALSE);
  gtk_widget_set_visible (self->scan_button, TRUE);
}

/**
 * vital_live_page_focus_start:
 * @self: a #VitalLivePage
 *
 * Moves the keyboard focus to Start Scan.
 */
void
vital_live_page_focus_start (VitalLivePage *self)
{
  g_return_if_fail (VITAL_IS_LIVE_PAGE (self));
  gtk_widget_grab_focus (self->scan_button);
}

/**
 * vital_live_page_focus_cancel:
 * @self: a #VitalLivePage
 *
 * Moves the keyboard focus to Cancel, which describes the running recording to a screen
 * reader. Call it once win.cancel is enabled: a button whose action is not takes no focus.
 */
void
vital_live_page_focus_cancel (VitalLivePage *self)
{
  g_return_if_fail (VITAL_IS_LIVE_PAGE (self));
  gtk_widget_grab_focus (self->cancel_button);
}

/**
 * vital_live_page_set_scan_progress:
 * @self: a #VitalLivePage
 * @elapsed_s: seconds recorded
 * @total_s: seconds the scan lasts
 * @face_coverage: fraction 0-1 of frames with a face so far, or NAN
 *
 * Shows the countdown and face coverage of the running recording.
 */
void
vital_live_page_set_scan_progress (VitalLivePage *self,
                                   double         elapsed_s,
                                   double         total_s,
                                   double         face_coverage)
{
  g_autofree char *text = NULL;
  double left;

  g_return_if_fail (VITAL_IS_LIVE_PAGE (self));

  if (!(total_s > 0))
    return;
  left = MAX (0.0, total_s - elapsed_s);
  gtk_progress_bar_set_fraction (self->scan_progress, CLAMP (elapsed_s / total_s, 0.0, 1.0));
  if (isnan (face_coverage))
    /* Translators: scan countdown, e.g. "12 s left" */
    text = g_strdup_printf (_("%.0f s left"), ceil (left));
  else
    /* Translators: scan countdown and the share of frames with a face,
     * e.g. "12 s left · face 96 %" */
    text = g_strdup_printf (_("%.0f s left · face %.0f %%"), ceil (left),
                            face_coverage * 100.0);
  set_progress_text (self, text);
  update_status (self);
}

/**
 * vital_live_page_set_guidance:
 * @self: a #VitalLivePage
 * @text: (nullable): a guidance line ("Move closer"), or %NULL when all is well
 *
 * Shows or hides the guidance line over the camera view.
 */
void
vital_live_page_set_guidance (VitalLivePage *self,
                              const char    *text)
{
  g_return_if_fail (VITAL_IS_LIVE_PAGE (self));

  if (g_strcmp0 (gtk_label_get_label (self->guidance_label), text ? text : "") == 0 &&
      gtk_widget_get_visible (GTK_WIDGET (self->guidance_label)) == (text != NULL))
    return;
  gtk_label_set_label (self->guidance_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->guidance_label), text != NULL);
  /* a new hint is said at once */
  self->status_time = 0;
  update_status (self);
}

/**
 * vital_live_page_set_provisional_hr:
 * @self: a #VitalLivePage
 * @bpm: the streaming estimate, or NAN when there is none yet
 *
 * Shows the provisional heart rate next to the waveform while a recording runs. Before Start
 * the preview's estimate is nobody's measurement: nothing is shown.
 */
void
vital_live_page_set_provisional_hr (VitalLivePage *self,
                                    double         bpm)
{
  g_autofree char *text = NULL;

  g_return_if_fail (VITAL_IS_LIVE_PAGE (self));

  if (!self->scanning || isnan (bpm) || bpm <= 0)
    text = g_strdup (_("— bpm"));
  else
    /* Translators: provisional heart rate, e.g. "72 bpm" */
    text = g_strdup_printf (_("%.0f bpm"), bpm);
  gtk_label_set_label (self->provisional_hr, text);
  update_status (self);
}

/**
 * vital_live_page_get_provisional_hr_text:
 * @self: a #VitalLivePage
 *
 * Returns: (transfer none): the provisional heart rate as shown ("72 bpm", "— bpm")
 */
const char *
vital_live_page_get_provisional_hr_text (VitalLivePage *self)
{
  g_return_val_if_fail (VITAL_IS_LIVE_PAGE (self), NULL);
  return gtk_label_get_label (self->provisional_hr);
}

/**
 * vital_live_page_get_progress_text:
 * @self: a #VitalLivePage
 *
 * Returns: (transfer none): the countdown / instruction line under the camera view
 */
const char *
vital_live_page_get_progress_text (VitalLivePage *self)
{
  g_return_val_if_fail (VITAL_IS_LIVE_PAGE (self), NULL);
  return self->progress_text;
}

/**
 * vital_live_page_get_demo_notice:
 * @self: a #VitalLivePage
 *
 * Returns: (transfer none) (nullable): the notice over the live view that it shows the demo
 *   subject, %NULL when it shows a camera
 */
const char *
vital_live_page_get_demo_notice (VitalLivePage *self)
{
  g_return_val_if_fail (VITAL_IS_LIVE_PAGE (self), NULL);
  if (!gtk_widget_get_visible (self->demo_notice))
    return NULL;
  return gtk_label_get_label (self->demo_notice_label);
}

/**
 * vital_live_page_get_camera_view:
 * @self: a #VitalLivePage
 *
 * Returns: (transfer none): the camera view
 */
VitalCameraView *
vital_live_page_get_camera_view (VitalLivePage *self)
{
  g_return_val_if_fail (VITAL_IS_LIVE_PAGE (self), NULL);
  return self->camera_view;
}

/**
 * vital_live_page_add_toast:
 * @self: a #VitalLivePage
 * @toast: (transfer full): the toast
 *
 * Shows @toast over the preview, where it covers none of the page's controls.
 */
void
vital_live_page_add_toast (VitalLivePage *self,
                           AdwToast      *toast)
{
  g_return_if_fail (VITAL_IS_LIVE_PAGE (self));
  adw_toast_overlay_add_toast (self->preview_toasts, toast);
}

/**
 * vital_live_page_get_waveform:
 * @self: a #VitalLivePage
 *
 * Returns: (transfer none): the live waveform graph
 */
VitalWaveform *
vital_live_page_get_waveform (VitalLivePage *self)
{
  g_return_val_if_fail (VITAL_IS_LIVE_PAGE (self), NULL);
  return self->waveform;
}

static void
vital_live_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), VITAL_TYPE_LIVE_PAGE);

  G_OBJECT_CLASS (vital_live_page_parent_class)->dispose (object);
}

static void
vital_live_page_finalize (GObject *object)
{
  VitalLivePage *self = VITAL_LIVE_PAGE (object);

  g_clear_pointer (&self->progress_text, g_free);

  G_OBJECT_CLASS (vital_live_page_parent_class)->finalize (object);
}

static void
vital_live_page_class_init (VitalLivePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vital_live_page_dispose;
  object_class->finalize = vital_live_page_finalize;

  g_type_ensure (VITAL_TYPE_CAMERA_VIEW);
  g_type_ensure (VITAL_TYPE_WAVEFORM);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vitalscan/Vitalscan/vital-live-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VitalLivePage, name)
  BIND (box);
  BIND (preview_toasts);
  BIND (camera_view);
  BIND (demo_notice);
  BIND (demo_notice_label);
  BIND (choose_camera_button);
  BIND (kiosk_intro);
  BIND (kiosk_steps);
  BIND (kiosk_privacy);
  BIND (guidance_label);
  BIND (scan_button);
  BIND (cancel_button);
  BIND (progress_label);
  BIND (scan_progress);
  BIND (waveform);
  BIND (provisional_hr);
#undef BIND
}

static void
vital_live_page_init (VitalLivePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_label_set_label (self->kiosk_steps,
                       _("Sit in good light, look at the camera and keep still until the scan "
                         "ends. Press Start Scan to begin."));
  self->progress_text = g_strdup (gtk_label_get_label (self->progress_label));
}
