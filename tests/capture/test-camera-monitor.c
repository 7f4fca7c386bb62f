/* test-camera-monitor.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests VitalCameraMonitor: cameras plugged in, renamed and unplugged while it runs (through
 * a fake device provider), the automatic choice, and a live capture from a plugged camera.
 */
#include "vital-config.h"

#include "fake-camera.h"
#include "vital-camera-monitor.h"
#include "vital-capture.h"
#include "vital-test-util.h"

/* Iterates the main context until @n items are in @model (at most 10 s). */
static void
wait_for_n_items (GListModel *model,
                  guint n)
{
  FakeCameraCount count = { model, n };

  vital_test_wait_until (fake_camera_count_reached, &count, 10);
}

static gboolean
has_renamed_camera (gpointer monitor)
{
  return vital_camera_monitor_find (monitor, "Lab Camera (USB 3)") != NULL;
}

typedef struct
{
  VitalCapture      *capture;
  VitalCaptureFrame *frame;
} LatestFrame;

static gboolean
has_frame (gpointer data)
{
  LatestFrame *l = data;

  l->frame = vital_capture_get_latest_frame (l->capture);
  return l->frame != NULL;
}

static void
count_changes (GListModel *model,
               guint position,
               guint removed,
               guint added,
               gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_monitor_hotplug (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstDeviceProvider) provider = fake_camera_provider_get ();
  g_autoptr(VitalCameraMonitor) monitor = NULL;
  g_autoptr(VitalCamera) first = NULL;
  GListModel *model;
  GstDevice *desk, *lab;
  guint n0, changes = 0;

  monitor = vital_camera_monitor_new (&error);
  g_assert_no_error (error);
  model = G_LIST_MODEL (monitor);
  g_assert_true (g_list_model_get_item_type (model) == VITAL_TYPE_CAMERA);
  g_signal_connect (model, "items-changed", G_CALLBACK (count_changes), &changes);
  /* A machine with real cameras keeps them; the test counts from there. */
  n0 = g_list_model_get_n_items (model);
  g_assert_null (g_list_model_get_item (model, n0));
  if (n0 == 0)
    g_assert_null (vital_camera_monitor_choose (monitor, ""));
  g_assert_null (vital_camera_monitor_choose (monitor, "demo"));

  desk = fake_camera_plug ("Desk Camera");
  wait_for_n_items (model, n0 + 1);
  lab = fake_camera_plug ("Lab Camera");
  wait_for_n_items (model, n0 + 2);
  g_assert_cmpuint (changes, ==, 2);

  first = g_list_model_get_item (model, n0);
  g_assert_cmpstr (vital_camera_get_name (first), ==, "Desk Camera");
  g_assert_cmpstr (vital_camera_get_id (first), ==, "Desk Camera");
  g_assert_true (vital_camera_get_device (first) == desk);
  g_assert_true (vital_camera_monitor_find (monitor, "Lab Camera") != NULL);
  g_assert_null (vital_camera_monitor_find (monitor, "Attic Camera"));
  g_assert_true (vital_camera_get_device (vital_camera_monitor_choose (monitor, "Lab Camera"))
                 == lab);
  if (n0 == 0)
    {
      /* Automatic, or a chosen camera that is not plugged in: the first camera. */
      g_assert_true (vital_camera_monitor_choose (monitor, "") == first);
      g_assert_true (vital_camera_monitor_choose (monitor, "Attic Camera") == first);
    }
  g_assert_null (vital_camera_monitor_choose (monitor, "demo"));

  /* A camera whose description changes keeps its place. */
  lab = fake_camera_rename (lab, "Lab Camera (USB 3)");
  vital_test_wait_until (has_renamed_camera, monitor, 10);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n0 + 2);
  g_assert_null (vital_camera_monitor_find (monitor, "Lab Camera"));

  fake_camera_unplug (desk);
  wait_for_n_items (model, n0 + 1);
  g_assert_null (vital_camera_monitor_find (monitor, "Desk Camera"));
  /* The camera object handed out before stays valid after its device is gone. */
  g_assert_cmpstr (vital_camera_get_name (first), ==, "Desk Camera");
  fake_camera_unplug (lab);
  wait_for_n_items (model, n0);
  if (n0 == 0)
    g_assert_null (vital_camera_monitor_choose (monitor, ""));
}

static void
test_monitor_capture_from_plugged_camera (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalCameraMonitor) monitor = vital_camera_monitor_new (&error);
  g_autoptr(VitalCapture) capture = NULL;
  g_autoptr(VitalCaptureFrame) frame = NULL;
  LatestFrame latest = { 0 };
  GstDevice *device;
  guint n0;

  g_assert_no_error (error);
  n0 = g_list_model_get_n_items (G_LIST_MODEL (monitor));
  device = fake_camera_plug ("Booth Camera");
  wait_for_n_items (G_LIST_MODEL (monitor), n0 + 1);

  capture = vital_capture_new_for_camera (vital_camera_monitor_find (monitor, "Booth Camera"),
                                          &error);
  g_assert_no_error (error);
  g_assert_true (vital_capture_get_is_live (capture));
  vital_capture_set_emit_frames (capture, TRUE);
  g_assert_true (vital_capture_start (capture, &error));
  g_assert_no_error (error);

  latest.capture = capture;
  vital_test_wait_until (has_frame, &latest, 20);
  frame = latest.frame;
  g_assert_cmpint (frame->width, ==, 640);
  g_assert_cmpint (frame->height, ==, 480);
  vital_capture_stop (capture);

  fake_camera_unplug (device);
  wait_for_n_items (G_LIST_MODEL (monitor), n0);
}

int
main (int argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/capture/camera-monitor/hotplug", test_monitor_hotplug);
  g_test_add_func ("/capture/camera-monitor/capture-from-plugged-camera",
                   test_monitor_capture_from_plugged_camera);

  return g_test_run ();
}
