/* vital-scan-controller-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of VitalScanController share: its instance struct, and the calls between the
 * scan's course (vital-scan-controller.c), the source and preview (-source.c) and the session
 * (-session.c).
 */
#pragma once

#include "vital-camera-monitor.h"
#include "vital-camera-portal.h"
#include "vital-demo-source.h"
#include "vital-keys.h"
#include "vital-scan-controller.h"
#include "vital-secret-store.h"
#include "vital-server.h"

G_BEGIN_DECLS

/* Tests: what the controller does with a capture it opened, instead of starting it; %FALSE
 * with @error set as if starting had failed. The portal test's PipeWire remote has no
 * PipeWire behind it, and pipewiresrc would wait for one inside its state change. */
typedef gboolean (*VitalScanControllerStartHook) (VitalCapture  *capture,
                                                  gpointer       user_data,
                                                  GError       **error);

struct _VitalScanController
{
  GObject                     parent_instance;

  VitalWindow                *window;        /* weak */
  VitalPreferencesWindow     *prefs;         /* weak */
  GSettings                  *settings;
  VitalScanControllerOptions  options;

  VitalCapture               *capture;
  gboolean                    using_demo;
  char                       *source_id;     /* the running camera's id, or "demo" */
  char                       *source_name;   /* the running camera's name, NULL for the demo */
  VitalCameraMonitor         *cameras;       /* NULL in a sandbox, or when GStreamer has no
                                              * device provider */
  gboolean                    use_portal;    /* in a sandbox: the camera comes from the portal */
  gboolean                    portal_asked;  /* the portal was asked (once per controller) */
  gboolean                    portal_pending; /* ... and has not answered yet */
  GCancellable               *portal_cancellable;
  VitalCamera                *portal_camera; /* what the portal granted, or NULL */
  GError                     *portal_error;  /* why it granted nothing, or NULL */
  VitalScanControllerStartHook start_hook;   /* tests */
  gpointer                    start_hook_data;
  gboolean                    source_stale;  /* a better source appeared during a recording */
  gboolean                    capture_failed;
  VitalServer                *server;        /* embedded, started on first use */
  char                       *server_key;    /* the embedded server's in-memory key */
  VitalClient                *client;
  GCancellable               *cancellable;
  GBytes                     *payload;       /* the last recording, kept for Retry */
  VitalReadingSource          payload_source; /* what @payload was recorded from */
  char                       *payload_name;  /* the camera's or the video's name, or NULL */
  double                      payload_seconds; /* how long @payload lasts, NAN when unknown */
  VitalReadingSource          scan_source;   /* what the recording in progress records */
  char                       *scan_name;
  VitalCapture               *video;         /* the video file being read, or NULL */
  double                      video_seconds; /* how long it lasts, 0 when unknown */
  gboolean                    busy;
  gboolean                    run_when_ready;  /* a payload waits for the client */
  guint                       prepare_serial;
  guint                       pulse_id;
  guint                       guidance_counts[VITAL_GUIDANCE_OK + 1];
};

/* vital-scan-controller.c */
void vital_scan_controller_keep_payload (VitalScanController *self,
                                         GBytes              *payload,
                                         double               seconds);

/* vital-scan-controller-source.c */
double vital_scan_controller_scan_seconds (VitalScanController *self);
VitalLowCause vital_scan_controller_likely_cause (VitalScanController *self);
void vital_scan_controller_stop_capture (VitalScanController *self);
gboolean vital_scan_controller_start_capture (VitalScanController  *self,
                                              GError              **error);
gboolean vital_scan_controller_start_preview_source (VitalScanController  *self,
                                                     GError              **error);
void vital_scan_controller_update_preferences_cameras (VitalScanController *self);
void vital_scan_controller_reconsider_source (VitalScanController *self);
void vital_scan_controller_cameras_changed (GListModel          *model,
                                            guint                position,
                                            guint                removed,
                                            guint                added,
                                            VitalScanController *self);
void vital_scan_controller_camera_setting_changed (GSettings           *settings,
                                                   const char          *key,
                                                   VitalScanController *self);
void vital_scan_controller_set_start_hook (VitalScanController          *self,
                                           VitalScanControllerStartHook  hook,
                                           gpointer                      user_data);

/* vital-scan-controller-session.c */
void vital_scan_controller_stop_pulse (VitalScanController *self);
void vital_scan_controller_finish_busy (VitalScanController *self);
void vital_scan_controller_fail (VitalScanController *self,
                                 const GError        *error);
gboolean vital_scan_controller_pulse_cb (gpointer user_data);
void vital_scan_controller_prepare_client (VitalScanController *self);
void vital_scan_controller_backend_changed (GSettings           *settings,
                                            const char          *key,
                                            VitalScanController *self);
void vital_scan_controller_key_changed (VitalScanController *self);
void vital_scan_controller_process_payload (VitalScanController *self);

G_END_DECLS
