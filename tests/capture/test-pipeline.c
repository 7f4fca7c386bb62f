/* test-pipeline.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests the real capture pipelines: the demo subject and video files written by the test
 * through capture → payload → engine, face tracking on the portrait, bad files, cameras.
 */
#include "vital-config.h"

#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gst/gst.h>

#include "vital-camera-monitor.h"
#include "vital-capture.h"
#include "vital-capture-private.h"
#include "vital-demo-source.h"
#include "vital-client.h"
#include "vital-engine.h"
#include "vital-server.h"
#include "vital-test-util.h"

/* The face box OpenCV finds in the still demo frame (see vital-demo-source.c). */
#define DEMO_FACE_CX 319.0
#define DEMO_FACE_CY 225.0

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* Iterates the main context until *@result is set, failing after @seconds. */
static void
wait_for (gpointer *result,
          guint seconds)
{
  vital_test_wait_until (vital_test_is_set, result, seconds);
}

/* Decodes a payload and runs the engine; returns the heart rate. */
static double
engine_heart_rate (GBytes *payload)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalTensor) tensor = NULL;
  g_autoptr(VitalVitals) vitals = NULL;
  VitalEngineOptions options = { VITAL_PULSE_POS, NULL };

  tensor = vital_tensor_decode (payload, NULL, &error);
  g_assert_no_error (error);
  vitals = vital_engine_analyze (tensor, &options, &error);
  g_assert_no_error (error);
  g_test_message ("engine: HR %.1f bpm, confidence %.2f, SNR %.1f dB",
                  vitals->heart_rate, vitals->confidence, vitals->snr_db);
  return vitals->heart_rate;
}

/* Runs one full session for a payload on an embedded server (the app's and CLI's default
 * backend); returns the heart rate. */
static double
session_heart_rate (GBytes *payload)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();
  g_autoptr(VitalServer) server = vital_server_new (config, &error);
  g_autoptr(VitalClient) client = NULL;
  g_autoptr(VitalSigns) signs = NULL;
  g_autofree char *key = vital_key_generate (VITAL_KEY_ENV_LIVE, &error);

  g_assert_no_error (error);
  g_assert_true (vital_server_add_key (server, key, "capture-test", 0, 0, &error));
  g_assert_true (vital_server_listen_local (server, 0, &error));
  g_assert_no_error (error);
  client = vital_client_new (vital_server_get_base_url (server), key);
  vital_client_set_poll_interval (client, 100);
  signs = vital_client_scan_tensor_sync (client, payload, NULL, NULL, &error);
  g_assert_no_error (error);
  vital_server_stop (server);
  g_test_message ("session: HR %.1f bpm, confidence %.2f", vital_signs_get_heart_rate (signs),
                  vital_signs_get_confidence (signs));
  return vital_signs_get_heart_rate (signs);
}

static void
demo_settings (VitalDemoSettings *s,
               double heart_rate,
               double duration_s)
{
  vital_demo_settings_init (s);
  s->heart_rate_bpm = heart_rate;
  s->respiratory_rate = 15.0;
  s->realtime = FALSE;
  s->duration_s = duration_s;
  s->seed = 2026;
}

/* ---- bad inputs --------------------------------------------------------------------------- */

static void
test_file_missing (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path ("does-not-exist.mp4");
  g_autoptr(VitalCapture) capture = vital_capture_new_for_file (path, &error);

  g_assert_null (capture);
  g_assert_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "does-not-exist.mp4"));
}

static void
test_file_too_big (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path ("huge.mp4");
  g_autoptr(VitalCapture) capture = NULL;
  int fd = g_open (path, O_CREAT | O_WRONLY | O_TRUNC, 0644);

  /* Sparse: 100 MB + 1 byte without using the disk. */
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, VITAL_CAPTURE_MAX_FILE_SIZE + 1), ==, 0);
  close (fd);

  capture = vital_capture_new_for_file (path, &error);
  g_assert_null (capture);
  g_assert_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "100 MB"));
  g_unlink (path);
}

static void
test_file_not_a_video (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path ("notes.mp4");
  g_autofree char *empty = tmp_path ("empty.webm");
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(VitalCapture) capture = NULL;
  VitalScanInfo info;

  g_assert_true (g_file_set_contents (path, "These are not the frames you are looking for.\n"
                                      "Just some text in a file with a video name.\n",
                                      -1, NULL));
  payload = vital_capture_process_file (path, VITAL_ROI_FACE, 0, NULL, &info, &error);
  g_assert_null (payload);
  g_assert_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "notes.mp4"));
  g_assert_cmpuint (info.frames, ==, 0);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  capture = vital_capture_new_for_file (empty, &error);
  g_assert_null (capture);
  g_assert_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_UNSUPPORTED);
}

static void
test_file_truncated (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path ("truncated.webm");
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) payload = NULL;
  VitalDemoSettings s;
  gsize length;

  /* A real WebM cut to its first 3 kB: a header and hardly any frame. */
  demo_settings (&s, 72, 2);
  g_assert_true (vital_demo_source_write_video (&s, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 3000);
  g_assert_true (g_file_set_contents (path, contents, 3000, NULL));

  payload = vital_capture_process_file (path, VITAL_ROI_FACE, 0, NULL, NULL, &error);
  g_assert_null (payload);
  g_assert_nonnull (error);
  g_assert_true (error->domain == VITAL_CAPTURE_ERROR);
  g_test_message ("truncated file: %s", error->message);
}

static void
test_camera_list (void)
{
  g_autoptr(GError) error = NULL;
  GList *cameras = vital_camera_monitor_list_all (&error);

  /* This machine has no camera: an empty list, cleanly. Where there are cameras, each one
   * has a name, an id and a device. */
  g_assert_no_error (error);
  for (GList *l = cameras; l != NULL; l = l->next)
    {
      g_assert_nonnull (vital_camera_get_name (l->data));
      g_assert_nonnull (vital_camera_get_id (l->data));
      g_assert_true (GST_IS_DEVICE (vital_camera_get_device (l->data)));
    }
  g_test_message ("%u camera(s)", g_list_length (cameras));
  g_list_free_full (cameras, g_object_unref);
}

static void
test_camera_portal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalCamera) bad = vital_camera_new_for_pipewire (-1, NULL, "Portal camera", &error);
  g_autoptr(VitalCamera) camera = NULL;
  g_autoptr(VitalCapture) capture = NULL;
  GstElement *source;
  int fds[2];

  g_assert_null (bad);
  g_assert_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_DEVICE);
  g_clear_error (&error);

  /* Any descriptor stands in for the portal's remote; the camera keeps its own copy. */
  g_assert_cmpint (pipe (fds), ==, 0);
  camera = vital_camera_new_for_pipewire (fds[0], "42", "Portal camera", &error);
  close (fds[0]);
  close (fds[1]);
  g_assert_no_error (error);
  g_assert_cmpstr (vital_camera_get_id (camera), ==, "pipewire:42");
  g_assert_null (vital_camera_get_device (camera));

  source = vital_camera_create_source (camera, &error);
  if (source == NULL)
    {
      /* Debian 12 without gstreamer1.0-pipewire: a clear, actionable error ... */
      g_assert_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_MISSING_PLUGIN);
      g_assert_nonnull (strstr (error->message, "gstreamer1.0-pipewire"));
      g_clear_error (&error);
      /* ... which starting a capture on it reports too. */
      capture = vital_capture_new_for_camera (camera, &error);
      g_assert_no_error (error);
      g_assert_false (vital_capture_start (capture, &error));
      g_assert_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_MISSING_PLUGIN);
    }
  else
    gst_object_unref (gst_object_ref_sink (source));
}

/* ---- demo subject ------------------------------------------------------------------------- */

typedef struct
{
  GMutex mutex;
  GArray *pts;      /* gint64 */
  GArray *boxes;    /* VitalRect, width 0 = no face */
  guint n_ok;
} BoxLog;

static void
log_box (VitalCapture *capture,
         gint64 pts_us,
         gboolean has_face,
         const VitalRect *face,
         VitalGuidance guidance,
         gpointer user_data)
{
  BoxLog *log = user_data;
  VitalRect box = has_face ? *face : (VitalRect) { 0, 0, 0, 0 };

  g_mutex_lock (&log->mutex);
  g_array_append_val (log->pts, pts_us);
  g_array_append_val (log->boxes, box);
  if (guidance == VITAL_GUIDANCE_OK)
    log->n_ok++;
  g_mutex_unlock (&log->mutex);
}

static void
run_demo_scan (const VitalDemoSettings *s,
               BoxLog *log,
               GBytes **out_payload,
               VitalScanInfo *out_info)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalCapture) capture = vital_capture_new_for_demo (s, &error);
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_no_error (error);
  g_assert_false (vital_capture_get_is_live (capture));
  vital_capture_set_emit_frames (capture, FALSE);
  if (log != NULL)
    vital_capture_set_frame_hook (capture, log_box, log);
  vital_capture_scan_async (capture, s->duration_s, NULL, vital_test_store_result, &result);
  wait_for ((gpointer *) &result, 300);
  *out_payload = vital_capture_scan_finish (capture, result, out_info, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*out_payload);
}

static void
test_demo_tracker_stable (gconstpointer data)
{
  double motion = *(const double *) data;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(VitalDemoSource) truth = NULL;
  BoxLog log = { .pts = g_array_new (FALSE, FALSE, sizeof (gint64)),
                 .boxes = g_array_new (FALSE, FALSE, sizeof (VitalRect)) };
  VitalDemoSettings s;
  VitalScanInfo info;
  double bias_x = 0, bias_y = 0, max_step = 0, max_dev = 0;
  guint n_face = 0, first = 15;

  g_mutex_init (&log.mutex);
  demo_settings (&s, 72, 6);
  s.motion_px = motion;
  truth = vital_demo_source_new (&s, NULL);
  run_demo_scan (&s, &log, &payload, &info);

  g_assert_cmpuint (log.boxes->len, >=, 170);
  g_assert_cmpfloat (info.face_coverage, >=, 0.95);
  g_assert_cmpuint (info.frames, ==, 180);

  /* Where the face is: centre near the known one. Bias = detector's constant offset. */
  for (guint i = first; i < log.boxes->len; i++)
    {
      VitalRect *b = &g_array_index (log.boxes, VitalRect, i);
      guint frame = (guint) lround (g_array_index (log.pts, gint64, i) * 30.0 / 1e6);
      double dx, dy;

      if (b->width == 0)
        continue;
      vital_demo_source_get_motion (truth, frame, &dx, &dy);
      bias_x += b->x + b->width / 2.0 - (DEMO_FACE_CX + dx);
      bias_y += b->y + b->height / 2.0 - (DEMO_FACE_CY + dy);
      n_face++;
    }
  g_assert_cmpuint (n_face, >=, (log.boxes->len - first) * 95 / 100);
  bias_x /= n_face;
  bias_y /= n_face;
  g_test_message ("motion %.1f px: face in %u/%u frames, detector bias (%.1f, %.1f) px",
                  motion, n_face, log.boxes->len - first, bias_x, bias_y);
  g_assert_cmpfloat (fabs (bias_x), <=, 12.0);
  g_assert_cmpfloat (fabs (bias_y), <=, 12.0);

  /* Stable: the box follows the true head motion within about two detector pixels (detection
   * runs at half the frame's width and height, so 4 px here, plus the bias estimate's own
   * error) and never jumps. */
  for (guint i = first; i < log.boxes->len; i++)
    {
      VitalRect *b = &g_array_index (log.boxes, VitalRect, i);
      VitalRect *p = &g_array_index (log.boxes, VitalRect, i - 1);
      guint frame = (guint) lround (g_array_index (log.pts, gint64, i) * 30.0 / 1e6);
      double dx, dy;

      if (b->width == 0 || p->width == 0)
        continue;
      vital_demo_source_get_motion (truth, frame, &dx, &dy);
      max_dev = MAX (max_dev, fabs (b->x + b->width / 2.0 - (DEMO_FACE_CX + dx) - bias_x));
      max_dev = MAX (max_dev, fabs (b->y + b->height / 2.0 - (DEMO_FACE_CY + dy) - bias_y));
      max_step = MAX (max_step, MAX (abs (b->x - p->x), abs (b->y - p->y)));
      max_step = MAX (max_step, abs (b->width - p->width));
    }
  g_test_message ("max deviation from the true motion %.1f px, max frame step %.0f px",
                  max_dev, max_step);
  g_assert_cmpfloat (max_dev, <=, 4.5);
  g_assert_cmpfloat (max_step, <=, 1.0 + ceil (motion * 2 * G_PI * 0.21 / 30.0));
  /* Good light, still, close enough: guidance is OK on the portrait. */
  g_assert_cmpuint (log.n_ok, >=, n_face * 9 / 10);

  g_array_unref (log.pts);
  g_array_unref (log.boxes);
  g_mutex_clear (&log.mutex);
}

static void
test_demo_heart_rate (void)
{
  g_autoptr(GBytes) payload = NULL;
  VitalDemoSettings s;
  VitalScanInfo info;
  double hr;

  g_autoptr(VitalDemoSource) demo = NULL;
  VitalSynthTruth truth;

  demo_settings (&s, 72, 20);
  demo = vital_demo_source_new (&s, NULL);
  vital_demo_source_get_truth (demo, 20, &truth);
  run_demo_scan (&s, NULL, &payload, &info);
  g_assert_cmpuint (info.frames, ==, 600);
  g_assert_cmpfloat (fabs (info.frame_rate - 30.0), <, 1e-9);
  g_assert_cmpfloat (fabs (info.source_frame_rate - 30.0), <, 0.1);
  g_assert_cmpfloat (info.face_coverage, >=, 0.95);
  hr = engine_heart_rate (payload);
  g_test_message ("demo set to 72 bpm, its heart realised %.1f bpm, measured %.1f bpm",
                  truth.heart_rate, hr);
  g_assert_cmpfloat (fabs (hr - 72.0), <=, 3.0);
  g_assert_cmpfloat (fabs (hr - truth.heart_rate), <=, 1.5);

  /* The same payload through the embedded server and the client, as the app sends it. */
  hr = session_heart_rate (payload);
  g_assert_cmpfloat (fabs (hr - 72.0), <=, 3.0);
}

static void
count_frame (VitalCapture *capture,
             VitalCaptureFrame *frame,
             gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_demo_provisional_heart_rate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalCapture) capture = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(VitalCaptureFrame) frame = NULL;
  g_autoptr(VitalDemoSource) demo = NULL;
  VitalDemoSettings s;
  VitalSynthTruth truth;
  guint n_frames = 0;

  /* The preview's estimate: emitted frames carry the live waveform and a provisional HR once
   * enough seconds are in (fast demo, so the test does not wait in real time). */
  demo_settings (&s, 72, 12);
  demo = vital_demo_source_new (&s, NULL);
  vital_demo_source_get_truth (demo, 12, &truth);
  capture = vital_capture_new_for_demo (&s, &error);
  g_assert_no_error (error);
  g_signal_connect (capture, "frame", G_CALLBACK (count_frame), &n_frames);
  vital_capture_scan_async (capture, 12, NULL, vital_test_store_result, &result);
  wait_for ((gpointer *) &result, 300);
  payload = vital_capture_scan_finish (capture, result, NULL, &error);
  g_assert_no_error (error);

  frame = vital_capture_get_latest_frame (capture);
  g_assert_nonnull (frame);
  g_assert_cmpuint (n_frames, >=, 1);
  g_test_message ("provisional HR %.1f bpm (realised %.1f), waveform %u samples at %.0f Hz",
                  frame->heart_rate, truth.heart_rate, frame->waveform_length,
                  frame->waveform_rate);
  g_assert_true (isfinite (frame->heart_rate));
  g_assert_cmpfloat (fabs (frame->heart_rate - truth.heart_rate), <=, 5.0);
  g_assert_cmpuint (frame->waveform_length, >, 0);
  g_assert_cmpfloat (frame->waveform_rate, >, 0);
  vital_capture_stop (capture);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* ---- video files -------------------------------------------------------------------------- */

static void
check_file_heart_rate (const char *name,
                       double heart_rate)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path (name);
  g_autoptr(GBytes) payload = NULL;
  VitalDemoSettings s;
  VitalScanInfo info;
  double hr;

  demo_settings (&s, heart_rate, 20);
  g_assert_true (vital_demo_source_write_video (&s, path, &error));
  g_assert_no_error (error);

  payload = vital_capture_process_file (path, VITAL_ROI_FACE, 0, NULL, &info, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info.frames, >=, 595);
  g_assert_cmpuint (info.frames, <=, 600);
  g_assert_cmpfloat (info.face_coverage, >=, 0.95);
  hr = engine_heart_rate (payload);
  g_assert_cmpfloat (fabs (hr - heart_rate), <=, 3.0);

  /* --duration: only the first 10 s. */
  g_clear_pointer (&payload, g_bytes_unref);
  payload = vital_capture_process_file (path, VITAL_ROI_FACE, 10, NULL, &info, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info.frames, ==, 300);
  g_unlink (path);
}

static void
test_file_webm (void)
{
  check_file_heart_rate ("demo-84bpm.webm", 84.0);
}

static void
test_file_mp4 (void)
{
  check_file_heart_rate ("demo-66bpm.mp4", 66.0);
}

static GBytes *
scan_file_logged (const char *path,
                  gint64 frame_delay_us,
                  BoxLog *log)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalCapture) capture = vital_capture_new_for_file (path, &error);
  g_autoptr(GAsyncResult) result = NULL;
  GBytes *payload;

  g_assert_no_error (error);
  vital_capture_set_emit_frames (capture, FALSE);
  vital_capture_set_frame_hook (capture, log_box, log);
  vital_capture_set_frame_delay (capture, frame_delay_us);
  vital_capture_scan_async (capture, 0, NULL, vital_test_store_result, &result);
  wait_for ((gpointer *) &result, 300);
  payload = vital_capture_scan_finish (capture, result, NULL, &error);
  g_assert_no_error (error);
  return payload;
}

/* A file's result depends on the file alone: not on whether the frame branch or the detection
 * branch ran ahead. And the demo video written for tests depends on its settings alone: a
 * loaded CI machine once moved a test video's HR by 3 bpm through an encoder that adapted its
 * speed to the CPU. */
static void
test_file_deterministic (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path ("deterministic.webm");
  g_autofree char *path_again = tmp_path ("deterministic-again.webm");
  g_autoptr(GBytes) fast_payload = NULL;
  g_autoptr(GBytes) slow_payload = NULL;
  g_autoptr(VitalTensor) fast = NULL;
  g_autoptr(VitalTensor) slow = NULL;
  BoxLog fast_log = { .pts = g_array_new (FALSE, FALSE, sizeof (gint64)),
                      .boxes = g_array_new (FALSE, FALSE, sizeof (VitalRect)) };
  BoxLog slow_log = { .pts = g_array_new (FALSE, FALSE, sizeof (gint64)),
                      .boxes = g_array_new (FALSE, FALSE, sizeof (VitalRect)) };
  VitalDemoSettings s;
  guint n_differ = 0;

  g_mutex_init (&fast_log.mutex);
  g_mutex_init (&slow_log.mutex);
  demo_settings (&s, 70, 5);
  s.motion_px = 12.0;   /* a moving face: a box fitted with other detections differs */
  /* Written twice: the encoder must not adapt to how busy the machine is either. */
  g_assert_true (vital_demo_source_write_video (&s, path, &error));
  g_assert_no_error (error);
  g_assert_true (vital_demo_source_write_video (&s, path_again, &error));
  g_assert_no_error (error);

  /* The second time the frame branch is slow, so face detection runs ahead of it. */
  fast_payload = scan_file_logged (path, 0, &fast_log);
  slow_payload = scan_file_logged (path_again, 20 * G_TIME_SPAN_MILLISECOND, &slow_log);

  g_assert_cmpuint (fast_log.boxes->len, >=, 140);
  g_assert_cmpuint (fast_log.boxes->len, ==, slow_log.boxes->len);
  for (guint i = 0; i < fast_log.boxes->len; i++)
    {
      const VitalRect *a = &g_array_index (fast_log.boxes, VitalRect, i);
      const VitalRect *b = &g_array_index (slow_log.boxes, VitalRect, i);

      g_assert_cmpint (g_array_index (fast_log.pts, gint64, i), ==,
                       g_array_index (slow_log.pts, gint64, i));
      if (memcmp (a, b, sizeof *a) != 0)
        n_differ++;
    }
  g_assert_cmpuint (n_differ, ==, 0);

  fast = vital_tensor_decode (fast_payload, NULL, &error);
  g_assert_no_error (error);
  slow = vital_tensor_decode (slow_payload, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vital_tensor_get_frame_count (fast), ==, vital_tensor_get_frame_count (slow));
  for (guint f = 0; f < vital_tensor_get_frame_count (fast); f++)
    g_assert_cmpmem (vital_tensor_get_frame (fast, f), VITAL_TENSOR_FRAME_SIZE,
                     vital_tensor_get_frame (slow, f), VITAL_TENSOR_FRAME_SIZE);

  g_array_unref (fast_log.pts);
  g_array_unref (fast_log.boxes);
  g_array_unref (slow_log.pts);
  g_array_unref (slow_log.boxes);
  g_mutex_clear (&fast_log.mutex);
  g_mutex_clear (&slow_log.mutex);
  g_unlink (path);
  g_unlink (path_again);
}

static void
test_file_no_face_and_full_frame (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path ("skin-patch.webm");
  g_autoptr(GBytes) payload = NULL;
  VitalDemoSettings s;
  VitalScanInfo info;
  double hr;

  /* A pre-cropped skin patch (as in research datasets): no face anywhere. */
  demo_settings (&s, 78, 15);
  s.skin_patch = TRUE;
  g_assert_true (vital_demo_source_write_video (&s, path, &error));
  g_assert_no_error (error);

  payload = vital_capture_process_file (path, VITAL_ROI_FACE, 0, NULL, &info, &error);
  g_assert_null (payload);
  g_assert_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_NO_FACE);
  g_assert_cmpstr (error->message, ==, "No face detected in video");
  g_assert_cmpfloat (info.face_coverage, ==, 0.0);
  g_assert_cmpuint (info.source_frames, >=, 440);
  g_clear_error (&error);

  /* --roi frame: the whole frame is the skin region, and the pulse is found. Compared with
   * the beats the synthetic subject really made in those 15 s. */
  payload = vital_capture_process_file (path, VITAL_ROI_FULL_FRAME, 0, NULL, &info, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (info.face_coverage, ==, 1.0);
  g_assert_cmpuint (info.frames, ==, 450);
  hr = engine_heart_rate (payload);
  {
    g_autoptr(VitalDemoSource) demo = vital_demo_source_new (&s, NULL);
    VitalSynthTruth truth;

    vital_demo_source_get_truth (demo, 15, &truth);
    g_test_message ("skin patch set to 78 bpm, realised %.1f bpm, measured %.1f bpm",
                    truth.heart_rate, hr);
    g_assert_cmpfloat (fabs (hr - truth.heart_rate), <=, 3.0);
  }
  g_unlink (path);
}

/* ---- live delivery ------------------------------------------------------------------------ */

typedef struct
{
  guint n_frames;
  VitalCaptureFrame *last;
  guint n_progress;
  double last_seconds;
} LiveLog;

static void
on_frame (VitalCapture *capture,
          VitalCaptureFrame *frame,
          gpointer user_data)
{
  LiveLog *log = user_data;

  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  log->n_frames++;
  g_clear_pointer (&log->last, vital_capture_frame_unref);
  log->last = vital_capture_frame_ref (frame);
}

static void
on_progress (VitalCapture *capture,
             double seconds,
             guint frames,
             double coverage,
             gpointer user_data)
{
  LiveLog *log = user_data;

  g_assert_cmpfloat (seconds, >=, log->last_seconds);
  log->last_seconds = seconds;
  log->n_progress++;
}

static void
test_demo_live (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalCapture) capture = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) busy = NULL;
  g_autoptr(GAsyncResult) cancelled = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(VitalCaptureFrame) latest = NULL;
  LiveLog log = { 0 };
  VitalScanInfo info;
  VitalDemoSettings s;
  gint64 start;

  vital_demo_settings_init (&s);
  s.realtime = TRUE;
  capture = vital_capture_new_for_demo (&s, &error);
  g_assert_no_error (error);
  g_assert_true (vital_capture_get_is_live (capture));
  g_signal_connect (capture, "frame", G_CALLBACK (on_frame), &log);
  g_signal_connect (capture, "scan-progress", G_CALLBACK (on_progress), &log);

  g_assert_true (vital_capture_start (capture, &error));
  g_assert_no_error (error);

  /* A 2.5 s scan in real time; frames keep coming to the main context meanwhile. */
  start = g_get_monotonic_time ();
  vital_capture_scan_async (capture, 2.5, NULL, vital_test_store_result, &result);
  vital_capture_scan_async (capture, 2.5, NULL, vital_test_store_result, &busy);
  wait_for ((gpointer *) &busy, 5);
  g_assert_null (vital_capture_scan_finish (capture, busy, NULL, &error));
  g_assert_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_true (vital_capture_is_scanning (capture));

  wait_for ((gpointer *) &result, 30);
  payload = vital_capture_scan_finish (capture, result, &info, &error);
  g_assert_no_error (error);
  g_assert_nonnull (payload);
  g_assert_cmpuint (info.frames, ==, 75);
  /* Paced by the clock: 2.5 s of frames take about 2.5 s. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 2 * G_TIME_SPAN_SECOND);
  g_assert_cmpuint (log.n_progress, >, 5);
  g_assert_cmpfloat (log.last_seconds, >=, 2.4);

  g_assert_cmpuint (log.n_frames, >=, 30);
  g_assert_nonnull (log.last);
  g_assert_cmpint (log.last->width, ==, VITAL_DEMO_WIDTH);
  g_assert_cmpint (log.last->height, ==, VITAL_DEMO_HEIGHT);
  g_assert_cmpuint (log.last->stride, ==, VITAL_DEMO_WIDTH * 4);
  g_assert_cmpuint (g_bytes_get_size (log.last->pixels), ==,
                    VITAL_DEMO_WIDTH * VITAL_DEMO_HEIGHT * 4);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (log.last->pixels, NULL))[3], ==, 255);
  g_assert_true (log.last->has_face);
  g_assert_cmpint (abs (log.last->face.x + log.last->face.width / 2 - (int) DEMO_FACE_CX), <=, 15);
  g_assert_true (log.last->regions[VITAL_REGION_FOREHEAD].width > 0);
  latest = vital_capture_get_latest_frame (capture);
  g_assert_true (latest == log.last);

  /* A cancelled scan fails with G_IO_ERROR_CANCELLED and the preview goes on. */
  vital_capture_scan_async (capture, 30, cancellable, vital_test_store_result, &cancelled);
  g_cancellable_cancel (cancellable);
  wait_for ((gpointer *) &cancelled, 5);
  g_assert_null (vital_capture_scan_finish (capture, cancelled, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (vital_capture_is_scanning (capture));

  vital_capture_stop (capture);
  g_clear_pointer (&log.last, vital_capture_frame_unref);
  /* Deliveries queued before the stop still hold a reference: let them run. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_clear_pointer (&log.last, vital_capture_frame_unref);
}

int
main (int argc,
      char *argv[])
{
  static const double still = 0.0, moving = 3.0;
  int ret;

  g_setenv ("OPENCV_LOG_LEVEL", "SILENT", TRUE);
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  tmp_dir = g_dir_make_tmp ("vital-capture-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/capture/file/missing", test_file_missing);
  g_test_add_func ("/capture/file/deterministic", test_file_deterministic);
  g_test_add_func ("/capture/file/too-big", test_file_too_big);
  g_test_add_func ("/capture/file/not-a-video", test_file_not_a_video);
  g_test_add_func ("/capture/file/truncated", test_file_truncated);
  g_test_add_func ("/capture/camera/list", test_camera_list);
  g_test_add_func ("/capture/camera/portal", test_camera_portal);
  g_test_add_data_func ("/capture/demo/tracker-stable/still", &still, test_demo_tracker_stable);
  g_test_add_data_func ("/capture/demo/tracker-stable/moving", &moving,
                        test_demo_tracker_stable);
  g_test_add_func ("/capture/demo/heart-rate", test_demo_heart_rate);
  g_test_add_func ("/capture/demo/live", test_demo_live);
  g_test_add_func ("/capture/demo/provisional-heart-rate", test_demo_provisional_heart_rate);
  g_test_add_func ("/capture/file/webm-heart-rate", test_file_webm);
  g_test_add_func ("/capture/file/mp4-heart-rate", test_file_mp4);
  g_test_add_func ("/capture/file/no-face-and-full-frame", test_file_no_face_and_full_frame);

  ret = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = tmp_path (name);
        g_unlink (path);
      }
    g_rmdir (tmp_dir);
    g_free (tmp_dir);
  }
  return ret;
}
