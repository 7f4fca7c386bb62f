/* test-geometry.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests region geometry, PTS-based resampling and guidance decisions.
 */
#include "vital-config.h"

#include <math.h>
#include <string.h>

#include "vital-guidance.h"
#include "vital-regions.h"
#include "vital-resampler.h"

static gboolean
rect_inside (const VitalRect *inner,
             const VitalRect *outer)
{
  return inner->x >= outer->x && inner->y >= outer->y
         && inner->x + inner->width <= outer->x + outer->width
         && inner->y + inner->height <= outer->y + outer->height;
}

static void
test_regions_from_face (void)
{
  VitalRect face = { 200, 100, 200, 200 };
  VitalRect r[VITAL_TENSOR_REGIONS];

  g_assert_true (vital_regions_from_face (&face, 640, 480, r));
  for (int i = 0; i < VITAL_TENSOR_REGIONS; i++)
    {
      g_assert_true (rect_inside (&r[i], &face));
      g_assert_cmpint (r[i].width, >, 30);
      g_assert_cmpint (r[i].height, >, 25);
    }
  /* Forehead above the cheeks; left cheek (camera view) left of the right one, no overlap. */
  g_assert_cmpint (r[VITAL_REGION_FOREHEAD].y + r[VITAL_REGION_FOREHEAD].height, <=,
                   r[VITAL_REGION_LEFT_CHEEK].y);
  g_assert_cmpint (r[VITAL_REGION_LEFT_CHEEK].x + r[VITAL_REGION_LEFT_CHEEK].width, <=,
                   r[VITAL_REGION_RIGHT_CHEEK].x);
  g_assert_cmpint (r[VITAL_REGION_LEFT_CHEEK].y, ==, r[VITAL_REGION_RIGHT_CHEEK].y);
  /* Symmetric about the face centre. */
  g_assert_cmpint (abs ((r[VITAL_REGION_LEFT_CHEEK].x - face.x)
                        - (face.x + face.width - r[VITAL_REGION_RIGHT_CHEEK].x
                           - r[VITAL_REGION_RIGHT_CHEEK].width)), <=, 1);
}

static void
test_regions_clipped (void)
{
  VitalRect face = { 560, -40, 200, 200 };
  VitalRect outside = { 700, 500, 100, 100 };
  VitalRect r[VITAL_TENSOR_REGIONS];
  VitalRect frame = { 0, 0, 640, 480 };

  /* Partly outside: regions are clipped to the image; the right cheek is off-image. */
  g_assert_false (vital_regions_from_face (&face, 640, 480, r));
  for (int i = 0; i < VITAL_TENSOR_REGIONS; i++)
    g_assert_true (rect_inside (&r[i], &frame));
  g_assert_cmpint (r[VITAL_REGION_FACE].width, >, 0);
  g_assert_cmpint (r[VITAL_REGION_RIGHT_CHEEK].width, ==, 0);

  g_assert_false (vital_regions_from_face (&outside, 640, 480, r));
  g_assert_false (vital_regions_from_face (&(VitalRect) { 10, 10, 0, 50 }, 640, 480, r));

  vital_regions_full_frame (320, 240, r);
  for (int i = 0; i < VITAL_TENSOR_REGIONS; i++)
    {
      g_assert_cmpint (r[i].x, ==, 0);
      g_assert_cmpint (r[i].y, ==, 0);
      g_assert_cmpint (r[i].width, ==, 320);
      g_assert_cmpint (r[i].height, ==, 240);
    }
}

/* Fills @buf (one frame) with @value and returns it. */
static const guint8 *
flat_frame (guint8 *buf,
            guint8 value)
{
  memset (buf, value, VITAL_TENSOR_FRAME_SIZE);
  return buf;
}

static void
test_resampler_uniform_passthrough (void)
{
  g_autofree guint8 *buf = g_malloc (VITAL_TENSOR_FRAME_SIZE);
  g_autoptr(VitalTensor) tensor = vital_tensor_new (30.0, 0);
  g_autoptr(VitalResampler) rs = vital_resampler_new (tensor);
  g_autoptr(GError) error = NULL;

  /* 30 fps in (with the rounding of real timestamps), 30 fps out: one frame per frame. */
  for (guint i = 0; i < 90; i++)
    {
      gint64 pts = (gint64) i * 1000000 / 30 + 1000;

      g_assert_cmpint (vital_resampler_push (rs, pts, flat_frame (buf, (guint8) i), &error), ==, 1);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (vital_tensor_get_frame_count (tensor), ==, 90);
  for (guint i = 0; i < 90; i++)
    g_assert_cmpuint (vital_tensor_get_frame (tensor, i)[100], ==, i);
}

static void
test_resampler_variable_rate (void)
{
  g_autofree guint8 *buf = g_malloc (VITAL_TENSOR_FRAME_SIZE);
  g_autoptr(VitalTensor) tensor = vital_tensor_new (30.0, 0);
  g_autoptr(VitalResampler) rs = vital_resampler_new (tensor);
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  gint64 pts = 5000000;

  /* A camera at a jittery ~24 fps whose value ramps linearly in time (value = 10 × t): the
   * output must be the ramp sampled at exactly 30 fps. */
  for (guint i = 0; i < 200; i++)
    {
      double t = (pts - 5000000) / 1e6;
      guint8 v = (guint8) lround (10.0 * t);

      g_assert_cmpint (vital_resampler_push (rs, pts, flat_frame (buf, v), NULL), >=, 0);
      pts += 41667 + g_rand_int_range (rand, -8000, 8000);
    }
  g_assert_cmpuint (vital_resampler_get_frames_in (rs), ==, 200);
  {
    guint n = vital_tensor_get_frame_count (tensor);
    double span = (pts - 5000000) / 1e6;

    /* Every 1/30 s of the span is present (±1 frame at the end). */
    g_assert_cmpint (abs ((int) n - (int) floor (span * 30.0)), <=, 2);
    for (guint k = 0; k < n; k++)
      {
        double expected = 10.0 * k / 30.0;

        g_assert_cmpfloat (fabs (vital_tensor_get_frame (tensor, k)[7] - expected), <=, 1.01);
      }
  }
}

static void
test_resampler_drops_backwards (void)
{
  g_autofree guint8 *buf = g_malloc (VITAL_TENSOR_FRAME_SIZE);
  g_autoptr(VitalTensor) tensor = vital_tensor_new (30.0, 0);
  g_autoptr(VitalResampler) rs = vital_resampler_new (tensor);

  g_assert_cmpint (vital_resampler_push (rs, 1000000, flat_frame (buf, 1), NULL), ==, 1);
  g_assert_cmpint (vital_resampler_push (rs, 1000000, flat_frame (buf, 2), NULL), ==, 0);
  g_assert_cmpint (vital_resampler_push (rs, 900000, flat_frame (buf, 3), NULL), ==, 0);
  g_assert_cmpuint (vital_resampler_get_frames_dropped (rs), ==, 2);
  /* A 1 s gap is bridged by interpolation: 30 output frames. */
  g_assert_cmpint (vital_resampler_push (rs, 2000000, flat_frame (buf, 31), NULL), ==, 30);
  g_assert_cmpuint (vital_tensor_get_frame (tensor, 15)[0], ==, 16);
  g_assert_cmpint (vital_resampler_get_first_pts (rs), ==, 1000000);
}

static void
test_guidance (void)
{
  VitalFrameStats ok = { TRUE, 0.3, 120.0, 0.0, 0.05 };
  VitalFrameStats s;
  guint8 *img = g_malloc (64 * 64 * 3);

  g_assert_cmpint (vital_guidance_evaluate (&ok), ==, VITAL_GUIDANCE_OK);
  s = ok, s.has_face = FALSE;
  g_assert_cmpint (vital_guidance_evaluate (&s), ==, VITAL_GUIDANCE_NO_FACE);
  s = ok, s.face_fraction = 0.1;
  g_assert_cmpint (vital_guidance_evaluate (&s), ==, VITAL_GUIDANCE_TOO_FAR);
  s = ok, s.mean_luma = 30;
  g_assert_cmpint (vital_guidance_evaluate (&s), ==, VITAL_GUIDANCE_TOO_DARK);
  s = ok, s.saturated_fraction = 0.2;
  g_assert_cmpint (vital_guidance_evaluate (&s), ==, VITAL_GUIDANCE_TOO_BRIGHT);
  s = ok, s.motion = 1.0;
  g_assert_cmpint (vital_guidance_evaluate (&s), ==, VITAL_GUIDANCE_MOVING);
  g_assert_cmpstr (vital_guidance_to_string (VITAL_GUIDANCE_TOO_DARK), ==, "too-dark");

  /* Measured on pixels: a dark image, then a clipped one; only the region counts. */
  memset (img, 20, 64 * 64 * 3);
  s = ok;
  vital_frame_stats_measure (img, 64, 64, 64 * 3, NULL, &s);
  g_assert_cmpfloat (fabs (s.mean_luma - 20), <, 1.0);
  g_assert_cmpint (vital_guidance_evaluate (&s), ==, VITAL_GUIDANCE_TOO_DARK);
  memset (img, 255, 64 * 32 * 3);
  vital_frame_stats_measure (img, 64, 64, 64 * 3, &(VitalRect) { 0, 0, 64, 16 }, &s);
  g_assert_cmpfloat (s.saturated_fraction, ==, 1.0);
  g_assert_cmpint (vital_guidance_evaluate (&s), ==, VITAL_GUIDANCE_TOO_BRIGHT);
  vital_frame_stats_measure (img, 64, 64, 64 * 3, &(VitalRect) { 0, 40, 64, 24 }, &s);
  g_assert_cmpfloat (s.saturated_fraction, ==, 0.0);
  g_free (img);
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/capture/regions/from-face", test_regions_from_face);
  g_test_add_func ("/capture/regions/clipped", test_regions_clipped);
  g_test_add_func ("/capture/resampler/uniform", test_resampler_uniform_passthrough);
  g_test_add_func ("/capture/resampler/variable-rate", test_resampler_variable_rate);
  g_test_add_func ("/capture/resampler/drops-backwards", test_resampler_drops_backwards);
  g_test_add_func ("/capture/guidance/thresholds", test_guidance);

  return g_test_run ();
}
