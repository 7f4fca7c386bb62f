/* test-frame-processor.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests VitalFrameProcessor without a pipeline: synthetic RGB frames of a painted face and
 * timestamped detections in; detection matching, packing, region placement, face loss, motion
 * and bad inputs out.
 */
#include "vital-config.h"

#include <math.h>
#include <string.h>

#include "vital-face-tracker.h"
#include "vital-frame-processor.h"

#define FRAME_US  (G_TIME_SPAN_SECOND / 30)
#define WIDTH     640
#define HEIGHT    480

static const guint8 background[3] = { 40, 45, 50 };
static const guint8 skin[3] = { 190, 140, 110 };
static const guint8 forehead[3] = { 200, 150, 120 };
static const guint8 left_cheek[3] = { 170, 110, 90 };
static const guint8 right_cheek[3] = { 180, 125, 95 };

static void
fill_rect (VitalRgbFrame *frame,
           const VitalRect *rect,
           const guint8 colour[3])
{
  VitalRect r;

  if (!vital_rect_clip (rect, frame->width, frame->height, &r))
    return;
  for (int y = r.y; y < r.y + r.height; y++)
    for (int x = r.x; x < r.x + r.width; x++)
      memcpy (frame->rgb + (gsize) y * frame->stride + (gsize) x * 3, colour, 3);
}

/* A frame at @index (30 fps) showing a face painted in @face (none when NULL): skin, with the
 * forehead and the cheeks in colours of their own where the regions of that box fall. */
static VitalRgbFrame *
render (guint index,
        const VitalRect *face)
{
  VitalRgbFrame *frame = vital_rgb_frame_new ((gint64) index * FRAME_US, WIDTH, HEIGHT);
  VitalRect all = { 0, 0, WIDTH, HEIGHT };

  fill_rect (frame, &all, background);
  if (face != NULL)
    {
      VitalRect regions[VITAL_TENSOR_REGIONS];

      fill_rect (frame, face, skin);
      vital_regions_from_face (face, WIDTH, HEIGHT, regions);
      fill_rect (frame, &regions[VITAL_REGION_FOREHEAD], forehead);
      fill_rect (frame, &regions[VITAL_REGION_LEFT_CHEEK], left_cheek);
      fill_rect (frame, &regions[VITAL_REGION_RIGHT_CHEEK], right_cheek);
    }
  return frame;
}

/* What one processed frame gave, kept past the processor's next call. */
typedef struct
{
  gint64 pts_us;
  VitalFrameResult result;
  gboolean planes_zero;
  guint8 plane_min[VITAL_TENSOR_CHANNELS];
  guint8 plane_max[VITAL_TENSOR_CHANNELS];
} Row;

static void
process_one (VitalFrameProcessor *processor,
             VitalRgbFrame *frame,
             GArray *rows)
{
  g_autoptr(GError) error = NULL;
  Row row = { frame->pts_us };

  g_assert_true (vital_frame_processor_process (processor, frame, &row.result, &error));
  g_assert_no_error (error);
  row.planes_zero = TRUE;
  for (int c = 0; c < VITAL_TENSOR_CHANNELS; c++)
    {
      const guint8 *plane = row.result.planes + (gsize) c * VITAL_TENSOR_PLANE_SIZE;

      row.plane_min[c] = 255;
      for (int i = 0; i < VITAL_TENSOR_PLANE_SIZE; i++)
        {
          row.plane_min[c] = MIN (row.plane_min[c], plane[i]);
          row.plane_max[c] = MAX (row.plane_max[c], plane[i]);
          if (plane[i] != 0)
            row.planes_zero = FALSE;
        }
    }
  row.result.planes = NULL;
  g_array_append_val (rows, row);
}

static void
drain (VitalFrameProcessor *processor,
       gboolean flush,
       GArray *rows)
{
  VitalRgbFrame *frame;

  while ((frame = vital_frame_processor_pop_ready (processor, flush)) != NULL)
    {
      process_one (processor, frame, rows);
      vital_rgb_frame_free (frame);
    }
}

static void
push (VitalFrameProcessor *processor,
      VitalRgbFrame *frame)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vital_frame_processor_push_frame (processor, frame, &error));
  g_assert_no_error (error);
}

/* Where the face is at frame @index, or FALSE when it is not in the picture. */
typedef gboolean (*FacePath) (guint index, VitalRect *out_face);

/* Feeds @n_frames frames of the face following @path, with a detection of the painted box on
 * every third frame (none found while the face is gone) and "no detection" for the others, as
 * the pipeline's detection branch reports them; processes what becomes ready. */
static GArray *
run (VitalFrameProcessor *processor,
     FacePath path,
     guint n_frames)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (Row));

  for (guint i = 0; i < n_frames; i++)
    {
      VitalRect face;
      gboolean visible = path (i, &face);
      gint64 pts_us = (gint64) i * FRAME_US;

      push (processor, render (i, visible ? &face : NULL));
      if (i % 3 == 0)
        vital_frame_processor_push_detection (processor, pts_us, visible ? &face : NULL,
                                              visible ? 1 : 0);
      else
        vital_frame_processor_skip_detection (processor, pts_us);
      drain (processor, FALSE, rows);
    }
  vital_frame_processor_end_detections (processor);
  drain (processor, FALSE, rows);
  g_assert_cmpuint (vital_frame_processor_get_n_pending (processor), ==, 0);
  g_assert_cmpuint (rows->len, ==, n_frames);
  return rows;
}

static gboolean
still_face (guint index,
            VitalRect *out_face)
{
  *out_face = (VitalRect) { 220, 120, 200, 200 };
  return TRUE;
}

static void
assert_plane_is (const Row *row,
                 VitalRegion region,
                 const guint8 colour[3])
{
  for (int k = 0; k < 3; k++)
    {
      int c = region * 3 + k;

      g_assert_cmpint (abs (row->plane_min[c] - colour[k]), <=, 1);
      g_assert_cmpint (abs (row->plane_max[c] - colour[k]), <=, 1);
    }
}

/* ---- packing and regions ------------------------------------------------------------------ */

static void
test_full_frame_packing (void)
{
  g_autoptr(VitalFrameProcessor) processor = vital_frame_processor_new (FALSE);
  g_autoptr(VitalRgbFrame) frame = vital_rgb_frame_new (0, 144, 72);
  g_autoptr(GError) error = NULL;
  VitalRgbFrame *ready;
  VitalFrameResult result;
  VitalRect left = { 0, 0, 72, 72 }, right = { 72, 0, 72, 72 };
  const guint8 a[3] = { 200, 120, 60 }, b[3] = { 30, 90, 160 };

  /* Left half one colour, right half another: 144 columns average in pairs into 72. */
  fill_rect (frame, &left, a);
  fill_rect (frame, &right, b);
  vital_frame_processor_set_roi_mode (processor, VITAL_ROI_FULL_FRAME);
  g_assert_cmpint (vital_frame_processor_get_roi_mode (processor), ==, VITAL_ROI_FULL_FRAME);

  /* Full frame waits for no detection. */
  push (processor, vital_rgb_frame_new (0, 144, 72));
  ready = vital_frame_processor_pop_ready (processor, FALSE);
  g_assert_nonnull (ready);
  vital_rgb_frame_free (ready);

  g_assert_true (vital_frame_processor_process (processor, frame, &result, &error));
  g_assert_no_error (error);
  g_assert_true (result.has_face);
  g_assert_cmpint (result.face.width, ==, 144);
  g_assert_cmpint (result.face.height, ==, 72);
  g_assert_cmpfloat (result.motion, ==, 0.0);
  for (int r = 0; r < VITAL_TENSOR_REGIONS; r++)
    {
      g_assert_cmpmem (&result.regions[r], sizeof (VitalRect), &result.face, sizeof (VitalRect));
      for (int k = 0; k < 3; k++)
        {
          const guint8 *plane = result.planes + (gsize) (r * 3 + k) * VITAL_TENSOR_PLANE_SIZE;

          /* Planar, row-major: column 0-35 from the left half, 36-71 from the right. */
          for (int y = 0; y < VITAL_TENSOR_HEIGHT; y++)
            for (int x = 0; x < VITAL_TENSOR_WIDTH; x++)
              g_assert_cmpint (abs (plane[y * VITAL_TENSOR_WIDTH + x] - (x < 36 ? a[k] : b[k])),
                               <=, 1);
        }
    }
}

static void
test_face_regions (void)
{
  g_autoptr(VitalFrameProcessor) processor = vital_frame_processor_new (FALSE);
  g_autoptr(GArray) rows = run (processor, still_face, 60);
  VitalRect face, expected[VITAL_TENSOR_REGIONS];

  still_face (0, &face);
  g_assert_true (vital_regions_from_face (&face, WIDTH, HEIGHT, expected));
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = &g_array_index (rows, Row, i);

      /* A still face's box is the detector's box, and every region is where its colour is. */
      g_assert_true (row->result.has_face);
      g_assert_cmpmem (&row->result.face, sizeof face, &face, sizeof face);
      g_assert_cmpmem (row->result.regions, sizeof expected, expected, sizeof expected);
      assert_plane_is (row, VITAL_REGION_FOREHEAD, forehead);
      assert_plane_is (row, VITAL_REGION_LEFT_CHEEK, left_cheek);
      assert_plane_is (row, VITAL_REGION_RIGHT_CHEEK, right_cheek);
      /* The face region spans skin, forehead and cheeks: within their range, never the
       * background. */
      for (int k = 0; k < 3; k++)
        g_assert_cmpint (row->plane_min[VITAL_REGION_FACE * 3 + k], >=,
                         MIN (MIN (skin[k], forehead[k]), MIN (left_cheek[k], right_cheek[k]))
                         - 1);
      g_assert_cmpint (row->result.guidance, ==, VITAL_GUIDANCE_OK);
      g_assert_cmpfloat (row->result.motion, <, 1e-9);
    }
}

/* ---- detection matching ------------------------------------------------------------------- */

static void
test_matching_file (void)
{
  g_autoptr(VitalFrameProcessor) processor = vital_frame_processor_new (FALSE);
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  VitalRect face;
  /* Whole frames a detection must be ahead: 16 (15 frames are 499,995 µs). */
  guint lookahead = (VITAL_FRAME_PROCESSOR_LOOKAHEAD_US + FRAME_US - 1) / FRAME_US;

  still_face (0, &face);
  g_assert_false (vital_frame_processor_get_live (processor));
  for (guint i = 0; i < 30; i++)
    push (processor, render (i, &face));
  /* No detection yet: a file's frame waits. */
  g_assert_null (vital_frame_processor_pop_ready (processor, FALSE));

  /* Detection at frame 20 (skipped frames count too): frames up to 20 - 16 are ready. */
  vital_frame_processor_push_detection (processor, 0, &face, 1);
  vital_frame_processor_skip_detection (processor, 10 * FRAME_US);
  vital_frame_processor_push_detection (processor, 20 * FRAME_US, &face, 1);
  drain (processor, FALSE, rows);
  g_assert_cmpuint (rows->len, ==, 20 - lookahead + 1);
  g_assert_cmpint (g_array_index (rows, Row, rows->len - 1).pts_us, ==,
                   (gint64) (20 - lookahead) * FRAME_US);
  /* An older detection arriving late moves nothing forward. */
  vital_frame_processor_push_detection (processor, 3 * FRAME_US, &face, 1);
  drain (processor, FALSE, rows);
  g_assert_cmpuint (rows->len, ==, 20 - lookahead + 1);

  /* End of detections: the rest is ready, in order. */
  vital_frame_processor_end_detections (processor);
  drain (processor, FALSE, rows);
  g_assert_cmpuint (rows->len, ==, 30);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpint (g_array_index (rows, Row, i).pts_us, ==, (gint64) i * FRAME_US);

  /* A reset run waits again; flush hands a waiting frame out regardless. */
  vital_frame_processor_reset (processor);
  push (processor, render (0, &face));
  g_assert_null (vital_frame_processor_pop_ready (processor, FALSE));
  drain (processor, TRUE, rows);
  g_assert_cmpuint (rows->len, ==, 31);
  g_assert_cmpuint (vital_frame_processor_get_n_pending (processor), ==, 0);

  /* More than MAX_PENDING waiting: the oldest goes, without detection. */
  vital_frame_processor_reset (processor);
  for (guint i = 0; i <= VITAL_FRAME_PROCESSOR_MAX_PENDING; i++)
    push (processor, render (i, &face));
  drain (processor, FALSE, rows);
  g_assert_cmpuint (vital_frame_processor_get_n_pending (processor), ==,
                    VITAL_FRAME_PROCESSOR_MAX_PENDING);
}

static void
test_matching_live (void)
{
  g_autoptr(VitalFrameProcessor) processor = vital_frame_processor_new (TRUE);
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  VitalRect face;
  guint max_lag = VITAL_FRAME_PROCESSOR_LIVE_MAX_LAG_US / FRAME_US;  /* 3 frames */

  still_face (0, &face);
  g_assert_true (vital_frame_processor_get_live (processor));
  /* Live: a frame is ready as soon as detection has reached it ... */
  push (processor, render (0, &face));
  push (processor, render (1, &face));
  g_assert_null (vital_frame_processor_pop_ready (processor, FALSE));
  vital_frame_processor_push_detection (processor, 0, &face, 1);
  drain (processor, FALSE, rows);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_true (g_array_index (rows, Row, 0).result.has_face);

  /* ... or once it lags the newest frame by more than LIVE_MAX_LAG. */
  for (guint i = 2; i <= 1 + max_lag; i++)
    push (processor, render (i, &face));
  g_assert_null (vital_frame_processor_pop_ready (processor, FALSE));
  push (processor, render (2 + max_lag, &face));
  drain (processor, FALSE, rows);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpint (g_array_index (rows, Row, 1).pts_us, ==, FRAME_US);
}

/* ---- face loss ---------------------------------------------------------------------------- */

/* In the picture for the first second, gone for two, back from three seconds on. */
static gboolean
face_leaves_and_returns (guint index,
                         VitalRect *out_face)
{
  still_face (index, out_face);
  return index < 30 || index >= 90;
}

static void
test_face_lost (void)
{
  g_autoptr(VitalFrameProcessor) processor = vital_frame_processor_new (FALSE);
  g_autoptr(GArray) rows = run (processor, face_leaves_and_returns, 120);
  gint64 grace_us = VITAL_FACE_TRACKER_DEFAULT_GRACE_US;
  guint n_held = 0, n_ahead = 0, n_lost = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = &g_array_index (rows, Row, i);

      if (i < 30 || i >= 90)
        {
          g_assert_true (row->result.has_face);
          assert_plane_is (row, VITAL_REGION_FOREHEAD, forehead);
        }
      else if (row->result.has_face)
        {
          /* The box is held (over background now) for the tracker's grace after the last
           * detection (frame 27), and shows up to the look-ahead before the face returns
           * (frame 90). */
          if (row->pts_us <= 27 * FRAME_US + grace_us)
            n_held++;
          else
            {
              g_assert_cmpint (90 * FRAME_US - row->pts_us, <=,
                               VITAL_FRAME_PROCESSOR_LOOKAHEAD_US);
              n_ahead++;
            }
        }
      else
        {
          n_lost++;
          g_assert_true (row->planes_zero);
          g_assert_cmpint (row->result.face.width, ==, 0);
          g_assert_cmpint (row->result.regions[VITAL_REGION_FOREHEAD].width, ==, 0);
          g_assert_cmpint (row->result.guidance, ==, VITAL_GUIDANCE_NO_FACE);
          g_assert_cmpfloat (row->result.motion, ==, 0.0);
        }
    }
  g_test_message ("face gone for 60 frames: held %u, seen ahead %u, lost %u",
                  n_held, n_ahead, n_lost);
  g_assert_cmpuint (n_held, ==, 28);
  g_assert_cmpuint (n_ahead, ==, 15);
  g_assert_cmpuint (n_lost, ==, 60 - 28 - 15);
}

/* ---- motion ------------------------------------------------------------------------------- */

/* 100 px/s to the right: half a face width (200 px) a second. */
static gboolean
moving_face (guint index,
             VitalRect *out_face)
{
  *out_face = (VitalRect) { 120 + (int) lround (index * 100.0 / 30.0), 120, 200, 200 };
  return TRUE;
}

static void
test_motion (void)
{
  g_autoptr(VitalFrameProcessor) processor = vital_frame_processor_new (FALSE);
  g_autoptr(GArray) still = run (processor, still_face, 90);
  g_autoptr(GArray) moving = NULL;
  const Row *last;

  last = &g_array_index (still, Row, still->len - 1);
  g_assert_cmpfloat (last->result.motion, <, 0.01);
  g_assert_cmpint (last->result.guidance, ==, VITAL_GUIDANCE_OK);

  vital_frame_processor_reset (processor);
  moving = run (processor, moving_face, 90);
  /* The tracker follows without lag up to the last detection (frame 87; it never
   * extrapolates), and the smoothed speed settles at 0.5 widths/s after a few time constants;
   * that is moving too much. */
  for (guint i = 15; i <= 87; i++)
    {
      const Row *row = &g_array_index (moving, Row, i);
      VitalRect truth;

      moving_face (i, &truth);
      g_assert_true (row->result.has_face);
      g_assert_cmpint (abs (row->result.face.x - truth.x), <=, 2);
    }
  last = &g_array_index (moving, Row, 87);
  g_test_message ("moving at 0.5 face widths/s: motion %.3f", last->result.motion);
  g_assert_cmpfloat (fabs (last->result.motion - 0.5), <, 0.05);
  g_assert_cmpint (last->result.guidance, ==, VITAL_GUIDANCE_MOVING);
  g_assert_cmpfloat (g_array_index (moving, Row, 5).result.motion, <, last->result.motion);

  /* The full frame has no motion. */
  vital_frame_processor_reset (processor);
  vital_frame_processor_set_roi_mode (processor, VITAL_ROI_FULL_FRAME);
  g_clear_pointer (&moving, g_array_unref);
  moving = run (processor, moving_face, 30);
  g_assert_cmpfloat (g_array_index (moving, Row, 29).result.motion, ==, 0.0);
}

/* ---- bad inputs --------------------------------------------------------------------------- */

static void
assert_refused (VitalFrameProcessor *processor,
                VitalRgbFrame *frame)
{
  g_autoptr(GError) error = NULL;
  VitalFrameResult result;
  guint n = vital_frame_processor_get_n_pending (processor);

  g_assert_false (vital_frame_processor_process (processor, frame, &result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (vital_frame_processor_push_frame (processor, frame, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_test_message ("refused: %s", error->message);
  g_assert_cmpuint (vital_frame_processor_get_n_pending (processor), ==, n);
}

static void
test_bad_frames (void)
{
  g_autoptr(VitalFrameProcessor) processor = vital_frame_processor_new (FALSE);
  VitalRgbFrame *frame;

  frame = vital_rgb_frame_new (0, 16, 16);
  frame->width = 0;
  assert_refused (processor, frame);

  frame = vital_rgb_frame_new (0, 16, 16);
  frame->height = -4;
  assert_refused (processor, frame);

  frame = vital_rgb_frame_new (0, 16, 16);
  frame->stride = 16 * 3 - 1;
  assert_refused (processor, frame);

  frame = vital_rgb_frame_new (0, 16, 16);
  g_clear_pointer (&frame->rgb, g_free);
  assert_refused (processor, frame);
}

/* A new run of one frame showing @face, with @boxes detected in it: its row. */
static const Row *
process_detected (VitalFrameProcessor *processor,
                  const VitalRect     *face,
                  const VitalRect     *boxes,
                  guint                n_boxes,
                  GArray              *rows)
{
  vital_frame_processor_reset (processor);
  push (processor, render (0, face));
  vital_frame_processor_push_detection (processor, 0, boxes, n_boxes);
  vital_frame_processor_end_detections (processor);
  drain (processor, FALSE, rows);
  return &g_array_index (rows, Row, rows->len - 1);
}

/* Detections the tracker cannot use: empty boxes, a box off the picture, one half off it. */
static void
test_bad_detections (void)
{
  g_autoptr(VitalFrameProcessor) processor = vital_frame_processor_new (FALSE);
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  const VitalRect empty[] = { { 100, 100, 0, 120 }, { 100, 100, 120, -5 } };
  const VitalRect off = { WIDTH + 50, 100, 200, 200 };
  const VitalRect half_off = { WIDTH - 100, 100, 200, 200 };
  VitalRect face;
  const Row *row;

  still_face (0, &face);
  row = process_detected (processor, &face, empty, G_N_ELEMENTS (empty), rows);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_false (row->result.has_face);
  g_assert_true (row->planes_zero);

  /* A box the tracker keeps but whose regions lie off the frame: no face, box reported. */
  row = process_detected (processor, &face, &off, 1, rows);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_false (row->result.has_face);
  g_assert_cmpint (row->result.face.x, ==, off.x);
  g_assert_cmpint (row->result.regions[VITAL_REGION_FACE].width, ==, 0);
  g_assert_true (row->planes_zero);
  g_assert_cmpint (row->result.guidance, ==, VITAL_GUIDANCE_NO_FACE);

  /* Half off the right edge: the right cheek is outside, so no face either. */
  row = process_detected (processor, &face, &half_off, 1, rows);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_false (row->result.has_face);
  g_assert_true (row->planes_zero);
}

/* Timestamps that run backwards (a restarted source) or repeat are processed, not trusted. */
static void
test_bad_timestamps (void)
{
  g_autoptr(VitalFrameProcessor) processor = vital_frame_processor_new (FALSE);
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  const guint order[] = { 0, 3, 6, 6, 2, 9, 1, 12 };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      VitalRect face;

      moving_face (order[i], &face);
      push (processor, render (order[i], &face));
      vital_frame_processor_push_detection (processor, (gint64) order[i] * FRAME_US, &face, 1);
    }
  vital_frame_processor_end_detections (processor);
  drain (processor, FALSE, rows);
  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = &g_array_index (rows, Row, i);

      g_assert_cmpint (row->pts_us, ==, (gint64) order[i] * FRAME_US);
      g_assert_true (row->result.has_face);
      g_assert_true (isfinite (row->result.motion));
      g_assert_cmpfloat (row->result.motion, >=, 0.0);
    }
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/capture/frame-processor/full-frame/packing", test_full_frame_packing);
  g_test_add_func ("/capture/frame-processor/face/regions", test_face_regions);
  g_test_add_func ("/capture/frame-processor/matching/file", test_matching_file);
  g_test_add_func ("/capture/frame-processor/matching/live", test_matching_live);
  g_test_add_func ("/capture/frame-processor/face/lost", test_face_lost);
  g_test_add_func ("/capture/frame-processor/face/motion", test_motion);
  g_test_add_func ("/capture/frame-processor/bad-input/frames", test_bad_frames);
  g_test_add_func ("/capture/frame-processor/bad-input/detections", test_bad_detections);
  g_test_add_func ("/capture/frame-processor/bad-input/timestamps", test_bad_timestamps);

  return g_test_run ();
}
