/* test-frame-pacer.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests VitalFramePacer and display frames without a pipeline: the live jitter buffer, the
 * spacing of deliveries, newest-only delivery for files, and RGB to display pixels.
 */
#include "vital-config.h"

#include <math.h>

#include "vital-frame-pacer.h"

#define FRAME_US  (G_TIME_SPAN_SECOND / 30)

static VitalCaptureFrame *
frame_at (guint index)
{
  VitalCaptureFrame *frame = vital_capture_frame_new ();

  frame->pts_us = (gint64) index * FRAME_US;
  return frame;
}

static void
test_live (void)
{
  g_autoptr(VitalFramePacer) pacer = vital_frame_pacer_new (TRUE);
  VitalCaptureFrame *frame;
  gint64 next_us;

  /* One delivery is scheduled for a burst, not one per frame. */
  g_assert_true (vital_frame_pacer_request (pacer));
  for (guint i = 0; i < 5; i++)
    {
      vital_frame_pacer_push (pacer, frame_at (i));
      g_assert_false (vital_frame_pacer_request (pacer));
    }
  /* A burst of five keeps the newest three. */
  g_assert_cmpuint (vital_frame_pacer_get_n_ready (pacer), ==, VITAL_FRAME_PACER_LIVE_MAX);

  /* Two more behind this one: the next comes at twice the speed ... */
  frame = vital_frame_pacer_pop (pacer, &next_us);
  g_assert_cmpint (frame->pts_us, ==, 2 * FRAME_US);
  g_assert_cmpint (next_us, ==, FRAME_US / 2);
  vital_capture_frame_unref (frame);
  /* ... then at its own time ... */
  frame = vital_frame_pacer_pop (pacer, &next_us);
  g_assert_cmpint (frame->pts_us, ==, 3 * FRAME_US);
  g_assert_cmpint (next_us, ==, FRAME_US);
  vital_capture_frame_unref (frame);
  /* ... and after the last, none is due until the next request. */
  frame = vital_frame_pacer_pop (pacer, &next_us);
  g_assert_cmpint (frame->pts_us, ==, 4 * FRAME_US);
  g_assert_cmpint (next_us, ==, -1);
  vital_capture_frame_unref (frame);
  g_assert_true (vital_frame_pacer_request (pacer));

  /* A long pause between two frames is cut to MAX_GAP; time running backwards gives none. */
  vital_frame_pacer_push (pacer, frame_at (0));
  vital_frame_pacer_push (pacer, frame_at (90));
  frame = vital_frame_pacer_pop (pacer, &next_us);
  g_assert_cmpint (next_us, ==, VITAL_FRAME_PACER_MAX_GAP_US);
  vital_capture_frame_unref (frame);
  vital_frame_pacer_push (pacer, frame_at (10));
  frame = vital_frame_pacer_pop (pacer, &next_us);
  g_assert_cmpint (frame->pts_us, ==, 90 * FRAME_US);
  g_assert_cmpint (next_us, ==, 0);
  vital_capture_frame_unref (frame);

  /* Cleared: the scheduled delivery finds nothing and ends the round. */
  vital_frame_pacer_clear (pacer);
  g_assert_null (vital_frame_pacer_pop (pacer, &next_us));
  g_assert_cmpint (next_us, ==, -1);
  g_assert_true (vital_frame_pacer_request (pacer));
}

static void
test_newest_only (void)
{
  g_autoptr(VitalFramePacer) pacer = vital_frame_pacer_new (FALSE);
  VitalCaptureFrame *frame;
  gint64 next_us;

  for (guint i = 0; i < 4; i++)
    vital_frame_pacer_push (pacer, frame_at (i));
  g_assert_cmpuint (vital_frame_pacer_get_n_ready (pacer), ==, 1);
  frame = vital_frame_pacer_pop (pacer, &next_us);
  g_assert_cmpint (frame->pts_us, ==, 3 * FRAME_US);
  g_assert_cmpint (next_us, ==, -1);
  vital_capture_frame_unref (frame);
}

static void
test_display_pixels (void)
{
  const guint8 rgb[] = {
    10, 20, 30,   40, 50, 60,   0xee, 0xee, 0xee,   /* third pixel: stride padding */
    70, 80, 90,   250, 251, 252, 0xee, 0xee, 0xee,
  };
  g_autoptr(VitalCaptureFrame) frame = vital_capture_frame_new_for_rgb (rgb, 2, 2, 9, 1234);
  const guint8 bgra[] = { 30, 20, 10, 255,   60, 50, 40, 255,
                          90, 80, 70, 255,   252, 251, 250, 255 };
  gsize size;
  const guint8 *pixels = g_bytes_get_data (frame->pixels, &size);

  g_assert_cmpint (frame->width, ==, 2);
  g_assert_cmpint (frame->height, ==, 2);
  g_assert_cmpuint (frame->stride, ==, 8);
  g_assert_cmpint (frame->pts_us, ==, 1234);
  g_assert_false (frame->has_face);
  g_assert_cmpint (frame->guidance, ==, VITAL_GUIDANCE_NO_FACE);
  g_assert_true (isnan (frame->heart_rate));
  g_assert_cmpmem (pixels, size, bgra, sizeof bgra);
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/capture/frame-pacer/live", test_live);
  g_test_add_func ("/capture/frame-pacer/newest-only", test_newest_only);
  g_test_add_func ("/capture/frame-pacer/display-pixels", test_display_pixels);

  return g_test_run ();
}
