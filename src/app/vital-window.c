/* vital-window.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalWindow: the main window — camera view, scan controls, results, errors and history.
 * It shows state; the scan itself is driven by whoever connects to its signals
 * (VitalScanController in the app). It remembers whether the last scan came from the camera or
 * from a video, so that errors give advice about the right one and "again" means the same.
 */
#include "vital-config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "vital-a11y.h"
#include "vital-export.h"
#include "vital-history-store.h"
#include "vital-history-view.h"
#include "vital-window-private.h"

struct _VitalWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  gboolean              kiosk;
  VitalReading         *reading;
  VitalErrorInfo       *error_info;
  guint                 kiosk_reset_id;
  VitalExportFormat     export_format;
  char                 *progress_text;
  char                 *last_toast;
  gint64                scan_status_time;  /* when the Cancel button last said the status */
  VitalPreview          preview;
  GFile                *video;        /* the last video opened, for "Read Video Again" */
  gboolean              video_scan;   /* the last scan started reads @video */

  /* template children */
  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *view_stack;
  AdwViewStackPage     *history_page;
  GtkWidget            *menu_button;
  GtkWidget            *export_button;
  GtkWidget            *demographics_button;
  GtkStack             *scan_stack;
  VitalCameraView      *camera_view;
  GtkWidget            *demo_notice;
  GtkLabel             *demo_notice_label;
  GtkWidget            *choose_camera_button;
  GtkLabel             *guidance_label;
  GtkWidget            *scan_button;
  GtkWidget            *cancel_button;
  GtkLabel             *progress_label;
  GtkProgressBar       *scan_progress;
  VitalWaveform        *waveform;
  GtkLabel             *provisional_hr;
  AdwStatusPage        *processing_page;
  GtkSpinner           *processing_spinner;
  GtkProgressBar       *processing_progress;
  GtkWidget            *processing_cancel;
  VitalResultsPanel    *results_panel;
  GtkWidget            *read_video_button;
  GtkWidget            *new_scan_button;
  AdwStatusPage        *error_page;
  GtkWidget            *retry_button;
  GtkWidget            *error_prefs_button;
  GtkWidget            *error_local_button;
  GtkWidget            *error_open_video_button;
  GtkWidget            *error_scan_again_button;
  VitalHistoryView     *history_view;
  GtkCheckButton       *demographics_enabled;
  GtkSpinButton        *age_spin;
  GtkDropDown          *sex_dropdown;
  GtkDropDown          *skin_dropdown;
};

G_DEFINE_FINAL_TYPE (VitalWindow, vital_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_KIOSK,
  N_PROPS
};

enum {
  START_SCAN,
  CANCEL_SCAN,
  RETRY_SCAN,
  OPEN_VIDEO,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update_actions (VitalWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->scan_stack);
  gboolean live = g_strcmp0 (page, "live") == 0;
  gboolean scanning = gtk_widget_get_visible (self->cancel_button);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.scan", live && !scanning);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel",
                                 scanning || g_strcmp0 (page, "processing") == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export",
                                 self->reading != NULL && !self->kiosk &&
                                 g_strcmp0 (page, "result") == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.retry",
                                 self->error_info != NULL && self->error_info->retryable);
  /* A video can be opened from wherever a scan is not running: the camera, a result, an
   * error. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-video",
                                 !self->kiosk && !scanning &&
                                 g_strcmp0 (page, "processing") != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.read-video-again",
                                 !self->kiosk && !scanning && self->video != NULL &&
                                 g_strcmp0 (page, "processing") != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.process-locally",
                                 self->error_info != NULL && self->error_info->process_locally &&
                                 g_strcmp0 (page, "error") == 0);
  gtk_widget_set_sensitive (self->export_button,
                            self->reading != NULL && !self->kiosk &&
                            g_strcmp0 (page, "result") == 0);
}

static void
clear_kiosk_reset (VitalWindow *self)
{
  g_clear_handle_id (&self->kiosk_reset_id, g_source_remove);
}

/**
 * vital_window_show_live:
 * @self: a #VitalWindow
 *
 * Returns to the camera view, ready to scan; the shown result is dropped.
 */
void
vital_window_show_live (VitalWindow *self)
{
  g_return_if_fail (VITAL_IS_WINDOW (self));

  clear_kiosk_reset (self);
  g_clear_object (&self->reading);
  g_clear_pointer (&self->error_info, vital_error_info_free);
  vital_results_panel_set_reading (self->results_panel, NULL);
  gtk_spinner_stop (self->processing_spinner);
  vital_window_set_scanning (self, FALSE);
  gtk_stack_set_visible_child_name (self->scan_stack, "live");
  adw_view_stack_set_visible_child_name (self->view_stack, "scan");
  update_actions (self);
  /* after update_actions(): a button whose action is disabled takes no focus */
  gtk_widget_grab_focus (self->scan_button);
}

/* What a screen reader hears of a running recording: the Cancel button has the focus, and its
 * description says the countdown, the face, the provisional heart rate and any guidance —
 * at most every few seconds, so that Orca can finish a sentence before the next. */
#define SCAN_STATUS_INTERVAL_US (3 * G_USEC_PER_SEC)

static void
update_scan_status (VitalWindow *self)
{
  gint64 now = g_get_monotonic_time ();
  g_autofree char *text = NULL;
  gboolean hint = gtk_widget_get_visible (GTK_WIDGET (self->guidance_label));

  if (!gtk_widget_get_visible (self->cancel_button) ||
      (self->scan_status_time != 0 && now - self->scan_status_time < SCAN_STATUS_INTERVAL_US))
    return;
  self->scan_status_time = now;
  /* Translators: what a screen reader says during a scan: the countdown line, the
   * provisional heart rate and any guidance, e.g.
   * "12 s left · face 96 %. Heart rate so far: 72 bpm. Move closer" */
  text = g_strdup_printf (_("%s. Heart rate so far: %s.%s%s"), self->progress_text,
                          gtk_label_get_label (self->provisional_hr),
                          hint ? " " : "",
                          hint ? gtk_label_get_label (self->guidance_label) : "");
  vital_a11y_set_status (self->cancel_button, text);
}

static const char *
idle_text (VitalWindow *self)
{
  if (self->preview == VITAL_PREVIEW_CAMERA)
    return _("Look at the camera and press Start Scan.");
  return _("Press Start Scan to try a scan of the demo subject.");
}

/**
 * vital_window_set_preview:
 * @self: a #VitalWindow
 * @preview: what the live view shows
 *
 * Says on the live view when it shows the demo subject rather than a person, and why, with a
 * way to choose a camera (not in kiosk mode, which has no Preferences).
 */
void
vital_window_set_preview (VitalWindow  *self,
                          VitalPreview  preview)
{
  g_return_if_fail (VITAL_IS_WINDOW (self));

  self->preview = preview;
  gtk_widget_set_visible (self->demo_notice, preview != VITAL_PREVIEW_CAMERA);
  gtk_label_set_label (self->demo_notice_label,
                       preview == VITAL_PREVIEW_DEMO_NO_CAMERA
                         ? _("No camera found — showing the demo subject")
                         : _("Showing the demo subject, not a camera"));
  gtk_widget_set_visible (self->choose_camera_button, !self->kiosk);
  if (!gtk_widget_get_visible (self->cancel_button))
    {
      gtk_label_set_label (self->progress_label, idle_text (self));
      g_free (self->progress_text);
      self->progress_text = g_strdup (idle_text (self));
    }
}

/**
 * vital_window_set_scanning:
 * @self: a #VitalWindow
 * @scanning: whether a recording is running
 *
 * Switches the controls between "Start Scan" and the progress/Cancel of a running recording.
 */
void
vital_window_set_scanning (VitalWindow *self,
                           gboolean     scanning)
{
  g_return_if_fail (VITAL_IS_WINDOW (self));

  gtk_widget_set_visible (self->scan_button, !scanning);
  gtk_widget_set_visible (self->cancel_button, scanning);
  gtk_widget_set_visible (GTK_WIDGET (self->scan_progress), scanning);
  if (scanning)
    {
      self->video_scan = FALSE;
      gtk_progress_bar_set_fraction (self->scan_progress, 0.0);
      vital_waveform_clear (self->waveform);
      vital_window_set_provisional_hr (self, NAN);
      gtk_label_set_label (self->progress_label,
                           self->preview == VITAL_PREVIEW_CAMERA
                             ? _("Hold still and look at the camera…")
                             : _("Scanning the demo subject…"));
    }
  else
    gtk_label_set_label (self->progress_label, idle_text (self));
  g_free (self->progress_text);
  self->progress_text = g_strdup (gtk_label_get_label (self->progress_label));
  update_actions (self);
  if (scanning)
    {
      /* after update_actions(): a button whose action is disabled takes no focus */
      self->scan_status_time = 0;
      update_scan_status (self);
      gtk_widget_grab_focus (self->cancel_button);
    }
}

/**
 * vital_window_set_scan_progress:
 * @self: a #VitalWindow
 * @elapsed_s: seconds recorded
 * @total_s: seconds the scan lasts
 * @face_coverage: fraction 0-1 of frames with a face so far, or NAN
 *
 * Shows the countdown and face coverage of the running recording.
 */
void
vital_window_set_scan_progress (VitalWindow *self,
                                double       elapsed_s,
                                double       total_s,
                                double       face_coverage)
{
  double left;

  g_return_if_fail (VITAL_IS_WINDOW (self));

  if (!(total_s > 0))
    return;
  left = MAX (0.0, total_s - elapsed_s);
  gtk_progress_bar_set_fraction (self->scan_progress, CLAMP (elapsed_s / total_s, 0.0, 1.0));
  g_free (self->progress_text);
  if (isnan (face_coverage))
    /* Translators: scan countdown, e.g. "12 s left" */
    self->progress_text = g_strdup_printf (_("%.0f s left"), ceil (left));
  else
    /* Translators: scan countdown and the share of frames with a face, e.g. "12 s left · face 96 %" */
    self->progress_text = g_strdup_printf (_("%.0f s left · face %.0f %%"), ceil (left),
                                           face_coverage * 100.0);
  gtk_label_set_label (self->progress_label, self->progress_text);
  update_scan_status (self);
}

/**
 * vital_window_set_guidance:
 * @self: a #VitalWindow
 * @text: (nullable): a guidance line ("Move closer"), or %NULL when all is well
 *
 * Shows or hides the guidance line over the camera view.
 */
void
vital_window_set_guidance (VitalWindow *self,
                           const char  *text)
{
  g_return_if_fail (VITAL_IS_WINDOW (self));

  if (g_strcmp0 (gtk_label_get_label (self->guidance_label), text ? text : "") == 0 &&
      gtk_widget_get_visible (GTK_WIDGET (self->guidance_label)) == (text != NULL))
    return;
  gtk_label_set_label (self->guidance_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->guidance_label), text != NULL);
  /* a new hint is said at once */
  self->scan_status_time = 0;
  update_scan_status (self);
}

/**
 * vital_window_set_provisional_hr:
 * @self: a #VitalWindow
 * @bpm: the streaming estimate, or NAN when there is none yet
 *
 * Shows the provisional heart rate next to the waveform.
 */
void
vital_window_set_provisional_hr (VitalWindow *self,
                                 double       bpm)
{
  g_autofree char *text = NULL;

  g_return_if_fail (VITAL_IS_WINDOW (self));

  if (isnan (bpm) || bpm <= 0)
    text = g_strdup (_("— bpm"));
  else
    /* Translators: provisional heart rate, e.g. "72 bpm" */
    text = g_strdup_printf (_("%.0f bpm"), bpm);
  gtk_label_set_label (self->provisional_hr, text);
  update_scan_status (self);
}

/**
 * vital_window_show_processing:
 * @self: a #VitalWindow
 * @phase: (nullable): what is happening ("Uploading…")
 * @fraction: progress 0-1, or NAN when unknown (the bar pulses)
 *
 * Shows the processing page (upload progress, then a spinner while the server works).
 */
void
vital_window_show_processing (VitalWindow *self,
                              const char  *phase,
                              double       fraction)
{
  g_return_if_fail (VITAL_IS_WINDOW (self));

  gtk_widget_set_visible (self->cancel_button, FALSE);
  gtk_widget_set_visible (self->scan_button, TRUE);
  gtk_stack_set_visible_child_name (self->scan_stack, "processing");
  gtk_spinner_start (self->processing_spinner);
  adw_status_page_set_description (self->processing_page, phase);
  if (isnan (fraction))
    gtk_progress_bar_pulse (self->processing_progress);
  else
    gtk_progress_bar_set_fraction (self->processing_progress, CLAMP (fraction, 0.0, 1.0));
  update_actions (self);
  /* The recording's Cancel is gone: this page's Cancel takes the focus and says the phase. */
  vital_a11y_set_status (self->processing_cancel, phase);
  if (!gtk_widget_has_focus (self->processing_cancel))
    gtk_widget_grab_focus (self->processing_cancel);
}

static gboolean
kiosk_reset_cb (gpointer user_data)
{
  VitalWindow *self = user_data;

  self->kiosk_reset_id = 0;
  vital_window_show_live (self);
  return G_SOURCE_REMOVE;
}

/**
 * vital_window_show_result:
 * @self: a #VitalWindow
 * @reading: the result
 *
 * Shows @reading on the results panel. When local history is on (and not in kiosk mode) the
 * result is stored; in kiosk mode the window returns to the camera view after the configured
 * delay.
 */
void
vital_window_show_result (VitalWindow  *self,
                          VitalReading *reading)
{
  gboolean from_video;

  g_return_if_fail (VITAL_IS_WINDOW (self));
  g_return_if_fail (VITAL_IS_READING (reading));

  clear_kiosk_reset (self);
  g_set_object (&self->reading, reading);
  g_clear_pointer (&self->error_info, vital_error_info_free);
  gtk_spinner_stop (self->processing_spinner);
  gtk_widget_set_visible (self->cancel_button, FALSE);
  gtk_widget_set_visible (self->scan_button, TRUE);
  vital_results_panel_set_reading (self->results_panel, reading);
  /* After a video, "again" could mean the video or the camera: offer both, by name. */
  from_video = vital_reading_get_source (reading) == VITAL_READING_SOURCE_VIDEO;
  gtk_widget_set_visible (self->read_video_button,
                          from_video && self->video != NULL && !self->kiosk);
  gtk_button_set_label (GTK_BUTTON (self->new_scan_button),
                        from_video ? _("Scan with _Camera") : _("_New Scan"));
  vital_history_view_note_reading (self->history_view, reading);
  gtk_stack_set_visible_child_name (self->scan_stack, "result");
  adw_view_stack_set_visible_child_name (self->view_stack, "scan");
  update_actions (self);
  /* Focus on what comes next, which says the whole result: banner, values, signal line and
   * disclaimer are not focus stops, and a screen reader would say nothing of them. */
  {
    g_autofree char *summary = vital_results_panel_dup_summary (self->results_panel);
    vital_a11y_set_status (self->new_scan_button, summary);
  }
  gtk_widget_grab_focus (self->new_scan_button);

  if (self->kiosk)
    self->kiosk_reset_id =
      g_timeout_add_seconds (g_settings_get_uint (self->settings, "kiosk-reset-seconds"),
                             kiosk_reset_cb, self);
  else if (g_settings_get_boolean (self->settings, "keep-local-history"))
    {
      g_autoptr(GError) error = NULL;
      if (!vital_history_view_add_local (self->history_view, reading, &error))
        vital_window_toast (self, error->message);
    }
  update_actions (self);
}

/**
 * vital_window_show_error:
 * @self: a #VitalWindow
 * @error: what went wrong
 *
 * Presents @error: a toast for transient ones (cancelled), else the error page with the
 * explanation (about the video when the scan read one) and Retry / Preferences / Process on
 * This Device / Open Another Video / Scan Again as the error allows.
 */
void
vital_window_show_error (VitalWindow  *self,
                         const GError *error)
{
  VitalErrorInfo *info;
  g_autofree char *backend = NULL;
  gboolean from_video;

  g_return_if_fail (VITAL_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  from_video = self->video_scan && self->video != NULL;
  if (from_video)
    {
      g_autofree char *name = g_file_get_basename (self->video);
      info = vital_error_info_new_for_video (error, name);
    }
  else
    info = vital_error_info_new (error);
  gtk_spinner_stop (self->processing_spinner);
  if (info->transient)
    {
      vital_window_toast (self, info->title);
      vital_error_info_free (info);
      vital_window_show_live (self);
      return;
    }

  g_clear_pointer (&self->error_info, vital_error_info_free);
  self->error_info = info;
  adw_status_page_set_title (self->error_page, info->title);
  adw_status_page_set_description (self->error_page, info->description);
  adw_status_page_set_icon_name (self->error_page, info->icon_name);
  gtk_widget_set_visible (self->retry_button, info->retryable);
  gtk_widget_set_visible (self->error_prefs_button, info->preferences && !self->kiosk);
  /* Only a server can be unreachable: this device always is. */
  backend = g_settings_get_string (self->settings, "backend");
  gtk_widget_set_visible (self->error_local_button,
                          info->process_locally && !self->kiosk &&
                          g_strcmp0 (backend, "server") == 0);
  gtk_widget_set_visible (self->error_open_video_button, from_video && !self->kiosk);
  gtk_widget_set_visible (self->error_scan_again_button, TRUE);
  gtk_button_set_label (GTK_BUTTON (self->error_scan_again_button),
                        from_video ? _("Scan with _Camera") : _("_Scan Again"));
  gtk_widget_set_visible (self->cancel_button, FALSE);
  gtk_widget_set_visible (self->scan_button, TRUE);
  gtk_stack_set_visible_child_name (self->scan_stack, "error");
  adw_view_stack_set_visible_child_name (self->view_stack, "scan");
  update_actions (self);
  /* The page's first action takes the focus and says what went wrong and how to fix it (the
   * status page itself is not a focus stop). */
  {
    GtkWidget *first = self->error_scan_again_button;

    if (info->retryable)
      first = self->retry_button;
    else if (gtk_widget_get_visible (self->error_local_button))
      first = self->error_local_button;
    g_autofree char *text = g_strdup_printf ("%s. %s", info->title, info->description);

    vital_a11y_set_status (first, text);
    gtk_widget_grab_focus (first);
  }

  if (self->kiosk)
    {
      clear_kiosk_reset (self);
      self->kiosk_reset_id =
        g_timeout_add_seconds (g_settings_get_uint (self->settings, "kiosk-reset-seconds"),
                               kiosk_reset_cb, self);
    }
}

/**
 * vital_window_toast:
 * @self: a #VitalWindow
 * @message: the text
 *
 * Shows a short notification.
 */
void
vital_window_toast (VitalWindow *self,
                    const char  *message)
{
  g_return_if_fail (VITAL_IS_WINDOW (self));
  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
  /* A toast is not spoken by itself in GTK 4.8: the focused control says it. */
  vital_a11y_announce (GTK_WIDGET (self), message);
}

static void
scan_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  VitalWindow *self = VITAL_WINDOW (widget);

  g_signal_emit (self, signals[START_SCAN], 0);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  g_signal_emit (widget, signals[CANCEL_SCAN], 0);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  g_signal_emit (widget, signals[RETRY_SCAN], 0);
}

static void
scan_again_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  VitalWindow *self = VITAL_WINDOW (widget);

  vital_window_show_live (self);
  g_signal_emit (self, signals[START_SCAN], 0);
}

static void
read_video_again_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  VitalWindow *self = VITAL_WINDOW (widget);
  g_autoptr(GFile) video = self->video ? g_object_ref (self->video) : NULL;

  if (video != NULL)
    g_signal_emit (self, signals[OPEN_VIDEO], 0, video);
}

/* The server cannot be used now: switch to the embedded one and measure the kept scan there. */
static void
process_locally_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  VitalWindow *self = VITAL_WINDOW (widget);

  g_settings_set_string (self->settings, "backend", "local");
  vital_window_toast (self, _("Scans are now processed on this device"));
  g_signal_emit (self, signals[RETRY_SCAN], 0);
}

/* Escape cancels what runs, and leaves an error page for the camera view. */
static gboolean
escape_pressed (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  VitalWindow *self = VITAL_WINDOW (widget);
  const char *page = gtk_stack_get_visible_child_name (self->scan_stack);

  if (gtk_widget_get_visible (self->cancel_button) || g_strcmp0 (page, "processing") == 0)
    return gtk_widget_activate_action (widget, "win.cancel", NULL);
  if (g_strcmp0 (page, "error") == 0)
    {
      vital_window_show_live (self);
      return TRUE;
    }
  return FALSE;
}

/* Whoever emits "open-video" (the file chooser, a drop, "Read Video Again", a test), the
 * window remembers the file: errors then speak of it and it can be read again. */
static void
vital_window_real_open_video (VitalWindow *self,
                              GFile       *file)
{
  g_set_object (&self->video, file);
  self->video_scan = TRUE;
}

static void
open_video_response (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  VitalWindow *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_signal_emit (self, signals[OPEN_VIDEO], 0, file);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
open_video_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  VitalWindow *self = VITAL_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Open Video"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Videos (MP4, WebM, MOV, AVI)"));
  gtk_file_filter_add_mime_type (filter, "video/mp4");
  gtk_file_filter_add_mime_type (filter, "video/webm");
  gtk_file_filter_add_mime_type (filter, "video/quicktime");
  gtk_file_filter_add_mime_type (filter, "video/x-msvideo");
  gtk_file_filter_add_suffix (filter, "mp4");
  gtk_file_filter_add_suffix (filter, "webm");
  gtk_file_filter_add_suffix (filter, "mov");
  gtk_file_filter_add_suffix (filter, "avi");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (open_video_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         gpointer       user_data)
{
  VitalWindow *self = user_data;

  /* not during a recording: the drop would be taken for the scan being made */
  if (!G_VALUE_HOLDS (value, G_TYPE_FILE) || self->kiosk ||
      gtk_widget_get_visible (self->cancel_button))
    return FALSE;
  g_signal_emit (self, signals[OPEN_VIDEO], 0, g_value_get_object (value));
  return TRUE;
}

/**
 * vital_window_export_to_file:
 * @self: the window
 * @format: what to write
 * @file: (transfer none): where
 *
 * Writes the result on screen to @file and says how it went in a toast. A failed export leaves
 * the result as it was: it can be exported elsewhere. The save dialog ends here; tests call it
 * directly (vital-window-private.h).
 */
void
vital_window_export_to_file (VitalWindow       *self,
                             VitalExportFormat  format,
                             GFile             *file)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (VITAL_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->reading == NULL)
    return;
  if (!vital_export_save (self->reading, format, file, &error))
    {
      g_autofree char *text =
        /* Translators: a toast, %s is the reason, e.g. "Permission denied" */
        g_strdup_printf (_("The result could not be exported: %s"), error->message);
      vital_window_toast (self, text);
    }
  else
    vital_window_toast (self, _("Result exported"));
}

static void
export_response (GtkNativeDialog *dialog,
                 int              response,
                 gpointer         user_data)
{
  VitalWindow *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      vital_window_export_to_file (self, self->export_format, file);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  VitalWindow *self = VITAL_WINDOW (widget);
  const char *fmt = g_variant_get_string (param, NULL);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d-%H%M");

  if (self->reading == NULL)
    return;
  if (g_str_equal (fmt, "json"))
    self->export_format = VITAL_EXPORT_JSON;
  else if (g_str_equal (fmt, "csv"))
    self->export_format = VITAL_EXPORT_CSV;
  else
    self->export_format = VITAL_EXPORT_PDF;

  chooser = gtk_file_chooser_native_new (_("Export Result"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  name = g_strdup_printf ("vitalscan-%s.%s", stamp,
                          vital_export_format_get_extension (self->export_format));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
vital_window_constructed (GObject *object)
{
  VitalWindow *self = VITAL_WINDOW (object);

  G_OBJECT_CLASS (vital_window_parent_class)->constructed (object);

  if (self->kiosk)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk");
      adw_view_stack_page_set_visible (self->history_page, FALSE);
      gtk_widget_set_visible (self->menu_button, FALSE);
      gtk_widget_set_visible (self->export_button, FALSE);
      gtk_widget_set_visible (self->demographics_button, FALSE);
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  else
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      vital_history_view_set_settings (self->history_view, self->settings);
    }
  vital_window_show_live (self);
}

static gboolean
vital_window_close_request (GtkWindow *window)
{
  VitalWindow *self = VITAL_WINDOW (window);

  if (!self->kiosk)
    {
      int w, h;
      gtk_window_get_default_size (window, &w, &h);
      g_settings_set_int (self->settings, "window-width", w);
      g_settings_set_int (self->settings, "window-height", h);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
    }
  g_signal_emit (self, signals[CANCEL_SCAN], 0);
  return GTK_WINDOW_CLASS (vital_window_parent_class)->close_request (window);
}

static void
vital_window_dispose (GObject *object)
{
  VitalWindow *self = VITAL_WINDOW (object);

  clear_kiosk_reset (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), VITAL_TYPE_WINDOW);

  G_OBJECT_CLASS (vital_window_parent_class)->dispose (object);
}

static void
vital_window_finalize (GObject *object)
{
  VitalWindow *self = VITAL_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->reading);
  g_clear_pointer (&self->error_info, vital_error_info_free);
  g_clear_pointer (&self->progress_text, g_free);
  g_clear_pointer (&self->last_toast, g_free);
  g_clear_object (&self->video);

  G_OBJECT_CLASS (vital_window_parent_class)->finalize (object);
}

static void
vital_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  VitalWindow *self = VITAL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_KIOSK:
      g_value_set_boolean (value, self->kiosk);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vital_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  VitalWindow *self = VITAL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_KIOSK:
      self->kiosk = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Space and Enter start a scan unless the focused widget uses the key (buttons, entries):
 * GtkWindow's own bindings turn the keys nothing else used into "activate-focus" and
 * "activate-default", ahead of any binding a subclass adds, so the scan hooks in there. The
 * action is disabled off the camera page and while recording. */
static void
vital_window_activate_focus (GtkWindow *window)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.scan", NULL);
}

static void
vital_window_activate_default (GtkWindow *window)
{
  if (gtk_window_get_default_widget (window) != NULL)
    GTK_WINDOW_CLASS (vital_window_parent_class)->activate_default (window);
  else
    gtk_widget_activate_action (GTK_WIDGET (window), "win.scan", NULL);
}

static void
vital_window_class_init (VitalWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = vital_window_constructed;
  object_class->dispose = vital_window_dispose;
  object_class->finalize = vital_window_finalize;
  object_class->get_property = vital_window_get_property;
  object_class->set_property = vital_window_set_property;
  GTK_WINDOW_CLASS (klass)->close_request = vital_window_close_request;
  GTK_WINDOW_CLASS (klass)->activate_focus = vital_window_activate_focus;
  GTK_WINDOW_CLASS (klass)->activate_default = vital_window_activate_default;

  properties[PROP_KIOSK] =
    g_param_spec_boolean ("kiosk", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VitalWindow::start-scan:
   * The user asked for a scan (button, Space/Enter, Scan Again).
   */
  signals[START_SCAN] = g_signal_new ("start-scan", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * VitalWindow::cancel-scan:
   * The user cancelled the running scan, or the window is closing.
   */
  signals[CANCEL_SCAN] = g_signal_new ("cancel-scan", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * VitalWindow::retry-scan:
   * The user asked to retry processing the last recording after a retryable error.
   */
  signals[RETRY_SCAN] = g_signal_new ("retry-scan", G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * VitalWindow::open-video:
   * @file: the chosen or dropped video
   * The user chose a video file to measure.
   */
  signals[OPEN_VIDEO] = g_signal_new_class_handler ("open-video", G_TYPE_FROM_CLASS (klass),
                                                    G_SIGNAL_RUN_FIRST,
                                                    G_CALLBACK (vital_window_real_open_video),
                                                    NULL, NULL, NULL, G_TYPE_NONE, 1,
                                                    G_TYPE_FILE);

  g_type_ensure (VITAL_TYPE_CAMERA_VIEW);
  g_type_ensure (VITAL_TYPE_WAVEFORM);
  g_type_ensure (VITAL_TYPE_RESULTS_PANEL);
  g_type_ensure (VITAL_TYPE_HISTORY_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vitalscan/Vitalscan/vital-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VitalWindow, name)
  BIND (toast_overlay);
  BIND (view_stack);
  BIND (history_page);
  BIND (menu_button);
  BIND (export_button);
  BIND (demographics_button);
  BIND (scan_stack);
  BIND (camera_view);
  BIND (demo_notice);
  BIND (demo_notice_label);
  BIND (choose_camera_button);
  BIND (guidance_label);
  BIND (scan_button);
  BIND (cancel_button);
  BIND (progress_label);
  BIND (scan_progress);
  BIND (waveform);
  BIND (provisional_hr);
  BIND (processing_page);
  BIND (processing_spinner);
  BIND (processing_progress);
  BIND (processing_cancel);
  BIND (results_panel);
  BIND (read_video_button);
  BIND (new_scan_button);
  BIND (error_page);
  BIND (retry_button);
  BIND (error_prefs_button);
  BIND (error_local_button);
  BIND (error_open_video_button);
  BIND (error_scan_again_button);
  BIND (history_view);
  BIND (demographics_enabled);
  BIND (age_spin);
  BIND (sex_dropdown);
  BIND (skin_dropdown);
#undef BIND

  gtk_widget_class_install_action (widget_class, "win.scan", NULL, scan_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "win.scan-again", NULL, scan_again_action);
  gtk_widget_class_install_action (widget_class, "win.open-video", NULL, open_video_action);
  gtk_widget_class_install_action (widget_class, "win.read-video-again", NULL,
                                   read_video_again_action);
  gtk_widget_class_install_action (widget_class, "win.process-locally", NULL,
                                   process_locally_action);
  gtk_widget_class_install_action (widget_class, "win.export", "s", export_action);

  /* Space/Enter: see vital_window_activate_focus() and vital_window_activate_default(). */
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_pressed, NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "win.open-video", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "win.export", "s", "pdf");
}

static void
vital_window_init (VitalWindow *self)
{
  GtkDropTarget *drop;

  self->settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  gtk_widget_init_template (GTK_WIDGET (self));
  vital_a11y_name_controls (GTK_WIDGET (self));
  vital_a11y_follow_stack (GTK_WIDGET (self->scan_stack));
  vital_a11y_follow_stack (GTK_WIDGET (self->view_stack));

  drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->camera_view), GTK_EVENT_CONTROLLER (drop));
}

/**
 * vital_window_new:
 * @application: the application
 * @kiosk: whether to run in kiosk mode (fullscreen, large type, no preferences or history,
 *   auto reset, nothing kept)
 *
 * Returns: (transfer full): a new main window
 */
VitalWindow *
vital_window_new (AdwApplication *application,
                  gboolean        kiosk)
{
  return g_object_new (VITAL_TYPE_WINDOW, "application", application, "kiosk", kiosk, NULL);
}

/**
 * vital_window_get_kiosk:
 * @self: a #VitalWindow
 *
 * Returns: %TRUE in kiosk mode
 */
gboolean
vital_window_get_kiosk (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), FALSE);
  return self->kiosk;
}

/**
 * vital_window_get_page:
 * @self: a #VitalWindow
 *
 * Returns: (transfer none): "live", "processing", "result" or "error"
 */
const char *
vital_window_get_page (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->scan_stack);
}

/**
 * vital_window_get_camera_view:
 * @self: a #VitalWindow
 *
 * Returns: (transfer none): the camera view
 */
VitalCameraView *
vital_window_get_camera_view (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), NULL);
  return self->camera_view;
}

/**
 * vital_window_get_waveform:
 * @self: a #VitalWindow
 *
 * Returns: (transfer none): the live waveform graph
 */
VitalWaveform *
vital_window_get_waveform (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), NULL);
  return self->waveform;
}

/**
 * vital_window_get_results_panel:
 * @self: a #VitalWindow
 *
 * Returns: (transfer none): the results panel
 */
VitalResultsPanel *
vital_window_get_results_panel (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), NULL);
  return self->results_panel;
}

/**
 * vital_window_get_error_title:
 * @self: a #VitalWindow
 *
 * Returns: (transfer none) (nullable): the error page's title
 */
const char *
vital_window_get_error_title (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), NULL);
  return adw_status_page_get_title (self->error_page);
}

/**
 * vital_window_get_error_description:
 * @self: a #VitalWindow
 *
 * Returns: (transfer none) (nullable): the error page's explanation
 */
const char *
vital_window_get_error_description (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), NULL);
  return adw_status_page_get_description (self->error_page);
}

/**
 * vital_window_get_retry_visible:
 * @self: a #VitalWindow
 *
 * Returns: %TRUE when the error page offers Retry
 */
gboolean
vital_window_get_retry_visible (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), FALSE);
  return gtk_widget_get_visible (self->retry_button);
}

/**
 * vital_window_get_preferences_visible:
 * @self: a #VitalWindow
 *
 * Returns: %TRUE when the error page offers to open Preferences
 */
gboolean
vital_window_get_preferences_visible (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), FALSE);
  return gtk_widget_get_visible (self->error_prefs_button);
}

/**
 * vital_window_get_progress_text:
 * @self: a #VitalWindow
 *
 * Returns: (transfer none): the countdown / instruction line under the camera view
 */
const char *
vital_window_get_progress_text (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), NULL);
  return self->progress_text;
}

/**
 * vital_window_get_demographics:
 * @self: a #VitalWindow
 * @out: (out caller-allocates): the demographics entered
 *
 * Returns: %TRUE when the user opted in to sending demographics and filled at least one
 *   field; @out is zeroed otherwise
 */
gboolean
vital_window_get_demographics (VitalWindow       *self,
                               VitalDemographics *out)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (self->kiosk || !gtk_check_button_get_active (self->demographics_enabled))
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

/**
 * vital_window_get_history_available:
 * @self: a #VitalWindow
 *
 * Returns: %TRUE when the History page and the export/menu buttons are offered (not in kiosk
 *   mode)
 */
gboolean
vital_window_get_history_available (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), FALSE);
  return adw_view_stack_page_get_visible (self->history_page) &&
         gtk_widget_get_visible (self->menu_button);
}

/**
 * vital_window_get_history_view:
 * @self: a #VitalWindow
 *
 * Returns: (transfer none): the History page
 */
VitalHistoryView *
vital_window_get_history_view (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), NULL);
  return self->history_view;
}

/**
 * vital_window_get_demo_notice:
 * @self: a #VitalWindow
 *
 * Returns: (transfer none) (nullable): the notice over the live view that it shows the demo
 *   subject, %NULL when it shows a camera
 */
const char *
vital_window_get_demo_notice (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), NULL);
  if (!gtk_widget_get_visible (self->demo_notice))
    return NULL;
  return gtk_label_get_label (self->demo_notice_label);
}

/**
 * vital_window_get_last_toast:
 * @self: a #VitalWindow
 *
 * Returns: (transfer none) (nullable): the text of the last toast shown
 */
const char *
vital_window_get_last_toast (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), NULL);
  return self->last_toast;
}

/**
 * vital_window_get_process_locally_visible:
 * @self: a #VitalWindow
 *
 * Returns: %TRUE when the error page offers to process the scan on this device
 */
gboolean
vital_window_get_process_locally_visible (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), FALSE);
  return gtk_widget_get_visible (self->error_local_button);
}

/**
 * vital_window_get_processing_text:
 * @self: a #VitalWindow
 *
 * Returns: (transfer none) (nullable): what the processing page says is happening
 */
const char *
vital_window_get_processing_text (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), NULL);
  return adw_status_page_get_description (self->processing_page);
}

/**
 * vital_window_get_processing_fraction:
 * @self: a #VitalWindow
 *
 * Returns: the processing page's progress, 0-1
 */
double
vital_window_get_processing_fraction (VitalWindow *self)
{
  g_return_val_if_fail (VITAL_IS_WINDOW (self), 0.0);
  return gtk_progress_bar_get_fraction (self->processing_progress);
}
