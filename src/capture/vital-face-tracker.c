/* vital-face-tracker.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns face tracking between detections: sample history, outlier rejection, the local linear
 * fit that smooths the box without lag, and the grace period before "no face".
 */
#include "vital-config.h"

#include <math.h>

#include "vital-face-tracker.h"

/* History older than this behind the newest detection is dropped. */
#define HISTORY_US (10 * G_TIME_SPAN_SECOND)
/* A detection whose centre is further than this many face sizes from the median is an outlier
 * (a false positive or a second person). */
#define OUTLIER_SIZES 0.35
/* The output box edge moves only when the fit has moved at least this far (px) from it: a
 * box dithering between two integer positions would add edge contrast to the skin means. */
#define HYSTERESIS_PX 0.8

typedef struct
{
  gint64 pts_us;
  double cx;
  double cy;
  double w;
  double h;
} Sample;

struct _VitalFaceTracker
{
  GObject parent_instance;

  GArray *samples;       /* Sample, face detections only, sorted by pts */
  gint64 window_us;
  gint64 grace_us;
  gint64 horizon_us;     /* detections later than the frame by more than this are ignored */
  gboolean have_output;
  int output[4];         /* x, y, width, height last returned */
};

G_DEFINE_FINAL_TYPE (VitalFaceTracker, vital_face_tracker, G_TYPE_OBJECT)

static void
vital_face_tracker_finalize (GObject *object)
{
  VitalFaceTracker *self = VITAL_FACE_TRACKER (object);

  g_clear_pointer (&self->samples, g_array_unref);

  G_OBJECT_CLASS (vital_face_tracker_parent_class)->finalize (object);
}

static void
vital_face_tracker_class_init (VitalFaceTrackerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vital_face_tracker_finalize;
}

static void
vital_face_tracker_init (VitalFaceTracker *self)
{
  self->samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  self->window_us = VITAL_FACE_TRACKER_DEFAULT_WINDOW_US;
  self->grace_us = VITAL_FACE_TRACKER_DEFAULT_GRACE_US;
  self->horizon_us = G_MAXINT64;
}

/**
 * vital_face_tracker_new:
 *
 * Creates a tracker with the default smoothing window and grace period. A tracker is not
 * thread-safe: its owner serialises calls.
 *
 * Returns: (transfer full): a new #VitalFaceTracker
 */
VitalFaceTracker *
vital_face_tracker_new (void)
{
  return g_object_new (VITAL_TYPE_FACE_TRACKER, NULL);
}

/**
 * vital_face_tracker_set_grace:
 * @self: a #VitalFaceTracker
 * @grace_us: how long a face may go undetected before it is declared lost, in µs (> 0)
 *
 * Sets the grace period.
 */
void
vital_face_tracker_set_grace (VitalFaceTracker *self,
                              gint64 grace_us)
{
  g_return_if_fail (VITAL_IS_FACE_TRACKER (self));
  g_return_if_fail (grace_us > 0);

  self->grace_us = grace_us;
}

/**
 * vital_face_tracker_get_grace:
 * @self: a #VitalFaceTracker
 *
 * Returns: the grace period in µs
 */
gint64
vital_face_tracker_get_grace (VitalFaceTracker *self)
{
  g_return_val_if_fail (VITAL_IS_FACE_TRACKER (self), 0);

  return self->grace_us;
}

/**
 * vital_face_tracker_set_horizon:
 * @self: a #VitalFaceTracker
 * @horizon_us: how far after a frame's time detections may shape its box, in µs (>= 0), or
 *   %G_MAXINT64 for every detection already pushed (the default)
 *
 * Bounds the look-ahead of vital_face_tracker_get_box(). A file analysis sets it to how far
 * detection is guaranteed to have progressed when a frame is processed, so the box depends on
 * the video alone and never on how the detection thread happened to be scheduled.
 */
void
vital_face_tracker_set_horizon (VitalFaceTracker *self,
                                gint64 horizon_us)
{
  g_return_if_fail (VITAL_IS_FACE_TRACKER (self));
  g_return_if_fail (horizon_us >= 0);

  self->horizon_us = horizon_us;
}

static gboolean
within_horizon (VitalFaceTracker *self,
                gint64 sample_us,
                gint64 frame_us)
{
  return self->horizon_us == G_MAXINT64 || sample_us - frame_us <= self->horizon_us;
}

/* Triangular weight of a sample in the fit at @t: 1 at t, falling to ~0 at the window's edge
 * behind t and at the window's or the horizon's edge, whichever is nearer, ahead of it. A
 * detection that comes within reach therefore enters the fit with no weight, and the box does
 * not jump when it does. */
static double
sample_weight (VitalFaceTracker *self,
               gint64 sample_us,
               gint64 t,
               gint64 horizon_of)
{
  gint64 reach = self->window_us;

  if (sample_us > t && self->horizon_us != G_MAXINT64)
    reach = CLAMP (horizon_of + self->horizon_us - t, 0, self->window_us);
  return MAX (1.0 - fabs ((double) (sample_us - t)) / (double) (reach + 1), 0.0) + 1e-3;
}

static double
overlap_score (const Sample *track,
               const VitalRect *face)
{
  double fx = face->x + face->width / 2.0;
  double fy = face->y + face->height / 2.0;
  double size = MAX (track->w, 1.0);

  /* Distance of centres in track sizes, plus the relative size difference. */
  return hypot (fx - track->cx, fy - track->cy) / size + fabs (face->width - track->w) / size;
}

/**
 * vital_face_tracker_push_detection:
 * @self: a #VitalFaceTracker
 * @pts_us: the presentation time of the frame the detector looked at, in µs
 * @faces: (array length=n_faces) (nullable): the faces found in that frame
 * @n_faces: the number of faces (0: the detector found none)
 *
 * Adds one detector result. With several faces, the one continuing the current track is kept
 * (or the largest when there is no track). Detections may arrive out of order.
 */
void
vital_face_tracker_push_detection (VitalFaceTracker *self,
                                   gint64 pts_us,
                                   const VitalRect *faces,
                                   guint n_faces)
{
  const VitalRect *best = NULL;
  Sample sample;
  guint pos;

  g_return_if_fail (VITAL_IS_FACE_TRACKER (self));
  g_return_if_fail (faces != NULL || n_faces == 0);

  if (n_faces == 0)
    return;

  if (self->samples->len > 0)
    {
      const Sample *last = &g_array_index (self->samples, Sample, self->samples->len - 1);
      double best_score = G_MAXDOUBLE;

      for (guint i = 0; i < n_faces; i++)
        {
          double score;

          if (faces[i].width <= 0 || faces[i].height <= 0)
            continue;
          score = overlap_score (last, &faces[i]);
          if (score < best_score)
            {
              best_score = score;
              best = &faces[i];
            }
        }
    }
  else
    {
      for (guint i = 0; i < n_faces; i++)
        {
          if (faces[i].width <= 0 || faces[i].height <= 0)
            continue;
          if (best == NULL
              || (gint64) faces[i].width * faces[i].height > (gint64) best->width * best->height)
            best = &faces[i];
        }
    }

  if (best == NULL)
    return;

  sample = (Sample) {
    pts_us,
    best->x + best->width / 2.0,
    best->y + best->height / 2.0,
    best->width,
    best->height,
  };

  /* Keep the history sorted; detections almost always arrive in order. */
  pos = self->samples->len;
  while (pos > 0 && g_array_index (self->samples, Sample, pos - 1).pts_us > pts_us)
    pos--;
  if (pos > 0 && g_array_index (self->samples, Sample, pos - 1).pts_us == pts_us)
    g_array_index (self->samples, Sample, pos - 1) = sample;
  else
    g_array_insert_val (self->samples, pos, sample);

  /* Forget what is far behind the newest detection. */
  {
    gint64 newest = g_array_index (self->samples, Sample, self->samples->len - 1).pts_us;
    guint drop = 0;

    while (drop < self->samples->len
           && g_array_index (self->samples, Sample, drop).pts_us < newest - HISTORY_US)
      drop++;
    if (drop > 0)
      g_array_remove_range (self->samples, 0, drop);
  }
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Local linear fit of the samples in [t - window, t + window] (and within the horizon of the
 * frame at @horizon_of), evaluated at t clamped to the samples' time span (never extrapolated,
 * so noise is not amplified). */
static gboolean
fit_at (VitalFaceTracker *self,
        gint64 t,
        gint64 horizon_of,
        Sample *out)
{
  g_autoptr(GArray) sel = g_array_new (FALSE, FALSE, sizeof (Sample));
  g_autofree double *cx = NULL;
  g_autofree double *cy = NULL;
  double med_x, med_y, med_size;
  double sw = 0, st = 0, stt = 0;
  double t_min = G_MAXDOUBLE, t_max = -G_MAXDOUBLE, te;
  double fit[4];
  guint n;

  for (guint i = 0; i < self->samples->len; i++)
    {
      const Sample *s = &g_array_index (self->samples, Sample, i);

      if (s->pts_us >= t - self->window_us && s->pts_us <= t + self->window_us
          && within_horizon (self, s->pts_us, horizon_of))
        g_array_append_val (sel, *s);
    }

  n = sel->len;
  if (n == 0)
    return FALSE;

  /* Reject outliers against the median centre. */
  cx = g_new (double, n);
  cy = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      cx[i] = g_array_index (sel, Sample, i).cx;
      cy[i] = g_array_index (sel, Sample, i).cy;
    }
  qsort (cx, n, sizeof (double), compare_double);
  qsort (cy, n, sizeof (double), compare_double);
  med_x = cx[n / 2];
  med_y = cy[n / 2];
  for (guint i = 0; i < n; i++)
    cx[i] = g_array_index (sel, Sample, i).w;
  qsort (cx, n, sizeof (double), compare_double);
  med_size = cx[n / 2];

  for (guint i = n; i > 0; i--)
    {
      const Sample *s = &g_array_index (sel, Sample, i - 1);

      if (hypot (s->cx - med_x, s->cy - med_y) > OUTLIER_SIZES * med_size
          || fabs (s->w - med_size) > OUTLIER_SIZES * med_size)
        g_array_remove_index (sel, i - 1);
    }
  n = sel->len;
  if (n == 0)
    return FALSE;

  /* Triangular weights centred on t; times in seconds relative to t. */
  for (guint i = 0; i < n; i++)
    {
      const Sample *s = &g_array_index (sel, Sample, i);
      double dt = (double) (s->pts_us - t) / G_TIME_SPAN_SECOND;
      double w = sample_weight (self, s->pts_us, t, horizon_of);

      sw += w;
      st += w * dt;
      stt += w * dt * dt;
      t_min = MIN (t_min, dt);
      t_max = MAX (t_max, dt);
    }
  te = CLAMP (0.0, t_min, t_max);

  for (int k = 0; k < 4; k++)
    {
      double sy = 0, sty = 0, denom, slope, intercept;

      for (guint i = 0; i < n; i++)
        {
          const Sample *s = &g_array_index (sel, Sample, i);
          double dt = (double) (s->pts_us - t) / G_TIME_SPAN_SECOND;
          double w = sample_weight (self, s->pts_us, t, horizon_of);
          double v = k == 0 ? s->cx : k == 1 ? s->cy : k == 2 ? s->w : s->h;

          sy += w * v;
          sty += w * dt * v;
        }

      denom = sw * stt - st * st;
      if (n >= 3 && t_max - t_min > 0.15 && denom > 1e-12)
        {
          slope = (sw * sty - st * sy) / denom;
          intercept = (sy - slope * st) / sw;
          fit[k] = intercept + slope * te;
        }
      else
        fit[k] = sy / sw;
    }

  *out = (Sample) { t, fit[0], fit[1], fit[2], fit[3] };
  return TRUE;
}

/**
 * vital_face_tracker_get_box:
 * @self: a #VitalFaceTracker
 * @pts_us: the presentation time of the frame, in µs
 * @out_box: (out caller-allocates): the smoothed face box in image pixels
 *
 * The face box for one frame: a local linear fit through the detections around @pts_us (those
 * after it too when they are known and within the horizon, which removes lag), held at the
 * nearest detection for up to the grace period, and "no face" beyond it. Each edge of the
 * returned box moves only once the fit is %HYSTERESIS_PX away from it, so a still face gets a
 * constant box. Query frames in time order.
 *
 * Returns: %TRUE when a face is tracked at @pts_us
 */
gboolean
vital_face_tracker_get_box (VitalFaceTracker *self,
                            gint64 pts_us,
                            VitalRect *out_box)
{
  Sample fit;
  gint64 nearest = G_MAXINT64;
  gint64 nearest_pts = 0;

  g_return_val_if_fail (VITAL_IS_FACE_TRACKER (self), FALSE);
  g_return_val_if_fail (out_box != NULL, FALSE);

  *out_box = (VitalRect) { 0, 0, 0, 0 };

  for (guint i = 0; i < self->samples->len; i++)
    {
      gint64 pts = g_array_index (self->samples, Sample, i).pts_us;
      gint64 d = pts > pts_us ? pts - pts_us : pts_us - pts;

      if (d < nearest && within_horizon (self, pts, pts_us))
        {
          nearest = d;
          nearest_pts = pts;
        }
    }

  if (nearest > self->grace_us
      || (!fit_at (self, pts_us, pts_us, &fit) && !fit_at (self, nearest_pts, pts_us, &fit)))
    {
      self->have_output = FALSE;
      return FALSE;
    }

  {
    double w = MAX (fit.w, 1.0);
    double h = MAX (fit.h, 1.0);
    double target[4] = { fit.cx - w / 2.0, fit.cy - h / 2.0, w, h };

    for (int k = 0; k < 4; k++)
      if (!self->have_output || fabs (target[k] - self->output[k]) >= HYSTERESIS_PX)
        self->output[k] = (int) lround (target[k]);
    self->have_output = TRUE;

    out_box->x = self->output[0];
    out_box->y = self->output[1];
    out_box->width = self->output[2];
    out_box->height = self->output[3];
  }
  return TRUE;
}

/**
 * vital_face_tracker_get_n_samples:
 * @self: a #VitalFaceTracker
 *
 * Returns: the number of face detections in the history
 */
guint
vital_face_tracker_get_n_samples (VitalFaceTracker *self)
{
  g_return_val_if_fail (VITAL_IS_FACE_TRACKER (self), 0);

  return self->samples->len;
}

/**
 * vital_face_tracker_reset:
 * @self: a #VitalFaceTracker
 *
 * Forgets every detection (e.g. after a seek or a source change).
 */
void
vital_face_tracker_reset (VitalFaceTracker *self)
{
  g_return_if_fail (VITAL_IS_FACE_TRACKER (self));

  g_array_set_size (self->samples, 0);
  self->have_output = FALSE;
}
