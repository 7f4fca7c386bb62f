/* test-tracker.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests VitalFaceTracker on seeded synthetic detections: jitter, lag, grace, outliers.
 */
#include "vital-config.h"

#include <math.h>
#include <string.h>

#include "vital-face-tracker.h"

#define FRAME_US  (G_TIME_SPAN_SECOND / 30)

/* Detections at ~10 Hz (every third frame) of a box following (cx(t), cy(t)), size 180,
 * with uniform noise of ±noise px on every coordinate. */
typedef double (*PathFunc) (double t);

static double
still_x (double t)
{
  return 320.0;
}

static double
still_y (double t)
{
  return 240.0;
}

static double
move_x (double t)
{
  return 200.0 + 60.0 * t;  /* 60 px/s: a slow, steady head movement */
}

static void
feed (VitalFaceTracker *tracker,
      GRand *rand,
      PathFunc px,
      PathFunc py,
      double noise,
      guint n_frames)
{
  for (guint f = 0; f < n_frames; f += 3)
    {
      double t = (double) f / 30.0;
      double size = 180.0 + g_rand_double_range (rand, -noise, noise);
      VitalRect box = {
        (int) lround (px (t) - size / 2 + g_rand_double_range (rand, -noise, noise)),
        (int) lround (py (t) - size / 2 + g_rand_double_range (rand, -noise, noise)),
        (int) lround (size), (int) lround (size),
      };

      vital_face_tracker_push_detection (tracker, (gint64) f * FRAME_US, &box, 1);
    }
}

static void
test_tracker_still_jitter (void)
{
  g_autoptr(VitalFaceTracker) tracker = vital_face_tracker_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  VitalRect prev = { 0 }, box;
  double max_step = 0, max_err = 0;

  feed (tracker, rand, still_x, still_y, 6.0, 300);

  /* Raw detections jump by up to 12 px between detections; the tracked box must not. */
  for (guint f = 15; f < 285; f++)
    {
      g_assert_true (vital_face_tracker_get_box (tracker, (gint64) f * FRAME_US, &box));
      if (f > 15)
        max_step = MAX (max_step, MAX (abs (box.x - prev.x), abs (box.y - prev.y)));
      max_err = MAX (max_err, fabs (box.x + box.width / 2.0 - 320.0));
      prev = box;
    }
  g_test_message ("still: max frame-to-frame step %.0f px, max centre error %.1f px",
                  max_step, max_err);
  g_assert_cmpfloat (max_step, <=, 1.0);
  g_assert_cmpfloat (max_err, <=, 4.0);
}

static void
test_tracker_motion_no_lag (void)
{
  g_autoptr(VitalFaceTracker) tracker = vital_face_tracker_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  VitalRect box;
  double sum_err = 0;
  guint n = 0;

  feed (tracker, rand, move_x, still_y, 3.0, 300);

  /* With detections on both sides of a frame, the fit is centred: no lag behind the motion
   * (a trailing moving average would lag 60 px/s × 0.17 s ≈ 10 px). */
  for (guint f = 30; f < 270; f++)
    {
      double t = (double) f / 30.0;

      g_assert_true (vital_face_tracker_get_box (tracker, (gint64) f * FRAME_US, &box));
      sum_err += (box.x + box.width / 2.0) - move_x (t);
      n++;
      g_assert_cmpfloat (fabs ((box.x + box.width / 2.0) - move_x (t)), <=, 4.0);
    }
  g_test_message ("moving: mean signed error %.2f px", sum_err / n);
  g_assert_cmpfloat (fabs (sum_err / n), <=, 1.0);
}

static void
test_tracker_grace (void)
{
  g_autoptr(VitalFaceTracker) tracker = vital_face_tracker_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  gint64 last = 0;
  VitalRect box;

  /* Detections for 3 s, then the face leaves (the detector reports nothing). */
  feed (tracker, rand, still_x, still_y, 2.0, 90);
  for (guint f = 90; f < 180; f += 3)
    vital_face_tracker_push_detection (tracker, (gint64) f * FRAME_US, NULL, 0);
  last = (gint64) 87 * FRAME_US;

  /* Held through short dropouts ... */
  g_assert_true (vital_face_tracker_get_box (tracker, last + 500 * G_TIME_SPAN_MILLISECOND,
                                             &box));
  g_assert_cmpint (abs (box.x + box.width / 2 - 320), <=, 4);
  /* ... and "no face" after the grace period. */
  g_assert_false (vital_face_tracker_get_box (tracker,
                                              last + vital_face_tracker_get_grace (tracker)
                                              + FRAME_US, &box));
  g_assert_cmpint (box.width, ==, 0);

  /* Nothing at all before any detection. */
  vital_face_tracker_reset (tracker);
  g_assert_false (vital_face_tracker_get_box (tracker, 0, &box));
}

static void
test_tracker_outlier_and_second_face (void)
{
  g_autoptr(VitalFaceTracker) tracker = vital_face_tracker_new ();
  VitalRect box;

  for (guint f = 0; f < 90; f += 3)
    {
      VitalRect faces[2] = {
        { 230, 150, 180, 180 },   /* the person being scanned */
        { 10, 10, 300, 300 },     /* a bigger face walking by: must not steal the track */
      };
      guint n = f >= 30 && f < 60 ? 2 : 1;

      vital_face_tracker_push_detection (tracker, (gint64) f * FRAME_US, faces, n);
    }
  /* A single false positive far away must be rejected as an outlier. */
  vital_face_tracker_push_detection (tracker, (gint64) 45 * FRAME_US + 1,
                                     &(VitalRect) { 500, 400, 60, 60 }, 1);

  for (guint f = 20; f < 70; f++)
    {
      g_assert_true (vital_face_tracker_get_box (tracker, (gint64) f * FRAME_US, &box));
      g_assert_cmpint (abs (box.x - 230), <=, 1);
      g_assert_cmpint (abs (box.width - 180), <=, 1);
    }
}

/* With a horizon, a frame's box depends only on detections up to that far past it: a tracker
 * that already knows the whole video and one fed just in time give the same boxes, and a
 * moving face is still followed without lag. */
static void
test_tracker_horizon (void)
{
  g_autoptr(VitalFaceTracker) knows_all = vital_face_tracker_new ();
  g_autoptr(VitalFaceTracker) just_in_time = vital_face_tracker_new ();
  g_autoptr(VitalFaceTracker) unbounded = vital_face_tracker_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GArray) detections = g_array_new (FALSE, FALSE, sizeof (VitalRect));
  const gint64 horizon = 250 * G_TIME_SPAN_MILLISECOND;
  guint next = 0, n_unbounded_differ = 0;
  double max_err = 0, prev_x = 0;
  VitalRect a, b, c;

  for (guint f = 0; f < 300; f += 3)
    {
      double t = (double) f / 30.0;
      VitalRect box = { (int) lround (move_x (t) - 90 + g_rand_double_range (rand, -4, 4)),
                        (int) lround (150 + g_rand_double_range (rand, -4, 4)), 180, 180 };

      g_array_append_val (detections, box);
      vital_face_tracker_push_detection (knows_all, (gint64) f * FRAME_US, &box, 1);
      vital_face_tracker_push_detection (unbounded, (gint64) f * FRAME_US, &box, 1);
    }
  vital_face_tracker_set_horizon (knows_all, horizon);
  vital_face_tracker_set_horizon (just_in_time, horizon);

  for (guint f = 0; f < 300; f++)
    {
      gint64 t = (gint64) f * FRAME_US;

      while (next < detections->len && (gint64) next * 3 * FRAME_US <= t + horizon)
        {
          vital_face_tracker_push_detection (just_in_time, (gint64) next * 3 * FRAME_US,
                                             &g_array_index (detections, VitalRect, next), 1);
          next++;
        }
      g_assert_true (vital_face_tracker_get_box (knows_all, t, &a));
      g_assert_true (vital_face_tracker_get_box (just_in_time, t, &b));
      g_assert_true (vital_face_tracker_get_box (unbounded, t, &c));
      g_assert_cmpmem (&a, sizeof a, &b, sizeof b);
      if (memcmp (&a, &c, sizeof a) != 0)
        n_unbounded_differ++;
      if (f >= 30 && f < 270)
        {
          max_err = MAX (max_err, fabs (a.x + a.width / 2.0 - move_x ((double) f / 30.0)));
          /* No jump when a detection comes within the horizon. */
          g_assert_cmpfloat (fabs (a.x - prev_x), <=, 4.0);
        }
      prev_x = a.x;
    }
  g_test_message ("horizon: max centre error %.1f px; %u of 300 boxes differ without it",
                  max_err, n_unbounded_differ);
  g_assert_cmpfloat (max_err, <=, 4.0);
  /* The horizon really bounds what the fit sees. */
  g_assert_cmpuint (n_unbounded_differ, >, 0);
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/capture/tracker/still-jitter", test_tracker_still_jitter);
  g_test_add_func ("/capture/tracker/motion-no-lag", test_tracker_motion_no_lag);
  g_test_add_func ("/capture/tracker/grace", test_tracker_grace);
  g_test_add_func ("/capture/tracker/horizon", test_tracker_horizon);
  g_test_add_func ("/capture/tracker/outlier-second-face", test_tracker_outlier_and_second_face);

  return g_test_run ();
}
