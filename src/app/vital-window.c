/* vital-window.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalWindow: the main window — the header bar, the stack of pages (live camera, processing,
 * result, error; each a widget of its own) beside History, toasts, and which page shows when.
 * It shows state; the scan itself is driven by whoever connects to its signals
 * (VitalScanController in the app). It remembers whether the last scan came from the camera or
 * from a video, so that errors give advice about the right one and "again" means the same.
 * Its actions are in vital-window-actions.c, kiosk mode in vital-window-kiosk.c and the test
 * hooks in vital-window-hooks.c.
 */
#include "vital-config.h"

#include <glib/gi18n.h>

#include "vital-a11y.h"
#include "vital-history-store.h"
#include "vital-window-private.h"

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

  vital_window_kiosk_stop_reset (self);
  g_clear_object (&self->reading);
  g_clear_pointer (&self->error_info, vital_error_info_free);
  vital_result_page_set_reading (self->result_page, NULL, FALSE);
  vital_processing_page_stop (self->processing_page);
  vital_window_set_scanning (self, FALSE);
  gtk_stack_set_visible_child_name (self->scan_stack, "live");
  adw_view_stack_set_visible_child_name (self->view_stack, "scan");
  vital_window_update_actions (self);
  /* after the actions: a button whose action is disabled takes no focus */
  vital_live_page_focus_start (self->live_page);
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
  vital_live_page_set_preview (self->live_page, preview);
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

  if (scanning)
    self->video_scan = FALSE;
  vital_live_page_set_scanning (self->live_page, scanning);
  vital_window_update_actions (self);
  if (scanning)
    vital_live_page_focus_cancel (self->live_page);
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
  g_return_if_fail (VITAL_IS_WINDOW (self));
  vital_live_page_set_scan_progress (self->live_page, elapsed_s, total_s, face_coverage);
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
  vital_live_page_set_guidance (self->live_page, text);
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
  g_return_if_fail (VITAL_IS_WINDOW (self));
  vital_live_page_set_provisional_hr (self->live_page, bpm);
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

  vital_live_page_show_start (self->live_page);
  gtk_stack_set_visible_child_name (self->scan_stack, "processing");
  vital_processing_page_set_progress (self->processing_page, phase, fraction);
  vital_window_update_actions (self);
  vital_processing_page_focus_cancel (self->processing_page);
}

/**
 * vital_window_show_result:
 * @self: a #VitalWindow
 * @reading: the result
 *
 * Shows @reading on the results panel. When local history is on (and not in kiosk mode) the
 * result is stored; in kiosk mode the window counts down to the camera view for the
 * configured delay.
 */
void
vital_window_show_result (VitalWindow  *self,
                          VitalReading *reading)
{
  g_return_if_fail (VITAL_IS_WINDOW (self));
  g_return_if_fail (VITAL_IS_READING (reading));

  vital_window_kiosk_stop_reset (self);
  g_set_object (&self->reading, reading);
  g_clear_pointer (&self->error_info, vital_error_info_free);
  vital_processing_page_stop (self->processing_page);
  vital_live_page_show_start (self->live_page);
  vital_result_page_set_reading (self->result_page, reading,
                                 self->video != NULL && !self->kiosk);
  vital_history_view_note_reading (self->history_view, reading);
  gtk_stack_set_visible_child_name (self->scan_stack, "result");
  adw_view_stack_set_visible_child_name (self->view_stack, "scan");
  vital_result_page_focus_next (self->result_page);

  if (self->kiosk)
    vital_window_kiosk_start_reset (self);
  else if (g_settings_get_boolean (self->settings, "keep-local-history"))
    {
      g_autoptr(GError) error = NULL;
      if (!vital_history_view_add_local (self->history_view, reading, &error))
        vital_window_toast (self, error->message);
    }
  vital_window_update_actions (self);
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
  VitalErrorPageOffer offers = VITAL_ERROR_PAGE_OFFER_NONE;
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
  vital_processing_page_stop (self->processing_page);
  if (info->transient)
    {
      vital_window_toast (self, info->title);
      vital_error_info_free (info);
      vital_window_show_live (self);
      return;
    }

  g_clear_pointer (&self->error_info, vital_error_info_free);
  self->error_info = info;
  if (info->preferences && !self->kiosk)
    offers |= VITAL_ERROR_PAGE_OFFER_PREFERENCES;
  /* Only a server can be unreachable: this device always is. */
  backend = g_settings_get_string (self->settings, "backend");
  if (info->process_locally && !self->kiosk && g_strcmp0 (backend, "server") == 0)
    offers |= VITAL_ERROR_PAGE_OFFER_PROCESS_LOCALLY;
  if (from_video && !self->kiosk)
    offers |= VITAL_ERROR_PAGE_OFFER_OPEN_VIDEO;
  if (from_video)
    offers |= VITAL_ERROR_PAGE_FROM_VIDEO;
  vital_error_page_set_error (self->error_page, info, offers);
  vital_live_page_show_start (self->live_page);
  gtk_stack_set_visible_child_name (self->scan_stack, "error");
  adw_view_stack_set_visible_child_name (self->view_stack, "scan");
  vital_window_update_actions (self);
  vital_error_page_focus_default (self->error_page);

  if (self->kiosk)
    vital_window_kiosk_start_reset (self);
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
  /* On the live view the page's controls fill the bottom edge: its toasts go on the preview. */
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "scan") == 0 &&
      g_strcmp0 (vital_window_get_page (self), "live") == 0)
    vital_live_page_add_toast (self->live_page, adw_toast_new (message));
  else
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
  /* A toast is not spoken by itself in GTK 4.8: the focused control says it. */
  vital_a11y_announce (GTK_WIDGET (self), message);
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
vital_window_constructed (GObject *object)
{
  VitalWindow *self = VITAL_WINDOW (object);

  G_OBJECT_CLASS (vital_window_parent_class)->constructed (object);

  vital_live_page_set_kiosk (self->live_page, self->kiosk);
  vital_result_page_set_kiosk (self->result_page, self->kiosk);
  if (self->kiosk)
    vital_window_kiosk_setup (self);
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

  /* A booth's window stays, whatever a visitor presses (Alt+F4); an administrator leaves with
   * win.leave-kiosk. */
  if (self->kiosk && !self->leaving_kiosk)
    return TRUE;
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

  vital_window_kiosk_stop_reset (self);
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

  g_type_ensure (VITAL_TYPE_LIVE_PAGE);
  g_type_ensure (VITAL_TYPE_PROCESSING_PAGE);
  g_type_ensure (VITAL_TYPE_RESULT_PAGE);
  g_type_ensure (VITAL_TYPE_ERROR_PAGE);
  g_type_ensure (VITAL_TYPE_HISTORY_VIEW);
  g_type_ensure (VITAL_TYPE_DEMOGRAPHICS_POPOVER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vitalscan/Vitalscan/vital-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VitalWindow, name)
  BIND (toast_overlay);
  BIND (view_stack);
  BIND (history_page);
  BIND (header_bar);
  BIND (menu_button);
  BIND (export_button);
  BIND (demographics_button);
  BIND (scan_stack);
  BIND (live_page);
  BIND (processing_page);
  BIND (result_page);
  BIND (error_page);
  BIND (history_view);
  BIND (demographics_popover);
#undef BIND

  vital_window_class_add_actions (widget_class);
  vital_window_class_add_kiosk_actions (widget_class);
}

static void
vital_window_init (VitalWindow *self)
{
  self->settings = g_settings_new ("io.github.vitalscan.Vitalscan");
  gtk_widget_init_template (GTK_WIDGET (self));
  vital_a11y_name_controls (GTK_WIDGET (self));
  vital_a11y_follow_stack (GTK_WIDGET (self->scan_stack));
  vital_a11y_follow_stack (GTK_WIDGET (self->view_stack));
  vital_window_add_drop_target (self);
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
  return vital_live_page_get_camera_view (self->live_page);
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
  return vital_live_page_get_waveform (self->live_page);
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

  /* a kiosk's visitor is never asked, and sends nothing */
  if (self->kiosk)
    {
      memset (out, 0, sizeof *out);
      return FALSE;
    }
  return vital_demographics_popover_get (self->demographics_popover, out);
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
