/* vital-skin.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Skin-pixel colour traces: per frame and region, the mean RGB of the pixels that are neither
 * dark nor saturated nor colour outliers, and the fraction of such pixels.
 */
#include "vital-engine-private.h"

#include <math.h>
#include <string.h>

/* Pixel gates (docs/algorithms.md, "Skin traces"). */
#define SKIN_SATURATED     250   /* any channel at or above: clipped */
#define SKIN_DARK_SUM      45    /* R+G+B below: too dark for a usable ratio (mean 15) */
#define SKIN_LUMA_LOW      0.45  /* luminance gate relative to the region median */
#define SKIN_LUMA_HIGH     1.80
#define SKIN_TOL_MIN       0.020 /* chromaticity gate: 3 x 1.4826 x MAD clamped to these */
#define SKIN_TOL_MAX       0.060
#define SKIN_MIN_FRACTION  0.02  /* fewer accepted pixels: the frame-region is a gap */
#define HIST_BINS          256

/* The region's colour model, fixed point (x 1024). */
typedef struct
{
  gboolean skin;
  int      mr, mg;    /* median chromaticity r = R/S, g = G/S */
  int      tol;       /* accepted |chroma - median| */
  int      s_lo, s_hi;
} SkinModel;

typedef struct
{
  const VitalTensor *tensor;
  VitalTraces       *traces;
  const SkinModel   *models;  /* [region] */
  guint              first, last;
} SkinJob;

/**
 * vital_traces_new:
 * @n_frames: frames per trace
 * @frame_rate: frames per second
 *
 * Allocates zeroed traces (4 regions x RGB and skin fractions).
 *
 * Returns: (transfer full): the traces, free with vital_traces_free()
 */
VitalTraces *
vital_traces_new (guint  n_frames,
                  double frame_rate)
{
  VitalTraces *traces = g_new0 (VitalTraces, 1);

  traces->n_frames = n_frames;
  traces->frame_rate = frame_rate;
  traces->rgb = g_new0 (double, (gsize) VITAL_TENSOR_CHANNELS * n_frames);
  traces->skin_fraction = g_new0 (double, (gsize) VITAL_TENSOR_REGIONS * n_frames);
  return traces;
}

/**
 * vital_traces_free:
 * @traces: (transfer full) (nullable): traces
 *
 * Frees @traces and their arrays.
 */
void
vital_traces_free (VitalTraces *traces)
{
  if (traces == NULL)
    return;
  g_free (traces->rgb);
  g_free (traces->skin_fraction);
  g_free (traces);
}

static int
hist_median (const guint *hist,
             guint        total)
{
  guint acc = 0;

  for (int k = 0; k < HIST_BINS; k++)
    {
      acc += hist[k];
      if (2 * acc >= total)
        return k;
    }
  return HIST_BINS - 1;
}

static int
hist_mad (const guint *hist,
          guint        total,
          int          median)
{
  guint dev[HIST_BINS] = { 0 };

  for (int k = 0; k < HIST_BINS; k++)
    dev[ABS (k - median)] += hist[k];
  return hist_median (dev, total);
}

/* Accumulates the chromaticity and luminance histograms of one region in one frame over the
 * bright-enough, unsaturated pixels. */
static guint
add_histograms (const guint8 *rp,
                const guint8 *gp,
                const guint8 *bp,
                guint        *hr,
                guint        *hg,
                guint        *hs)
{
  guint total = 0;

  for (guint p = 0; p < VITAL_TENSOR_PLANE_SIZE; p++)
    {
      int r = rp[p], g = gp[p], b = bp[p], s = r + g + b;

      if (r >= SKIN_SATURATED || g >= SKIN_SATURATED || b >= SKIN_SATURATED
          || s < SKIN_DARK_SUM)
        continue;
      hr[MIN (HIST_BINS - 1, r * HIST_BINS / s)]++;
      hg[MIN (HIST_BINS - 1, g * HIST_BINS / s)]++;
      hs[s / 3]++;
      total++;
    }
  return total;
}

/* Fits the colour model of one region from its pooled histograms: median and MAD of the
 * chromaticity, median luminance, then the skin-locus test. */
static void
fit_model (const guint *hr,
           const guint *hg,
           const guint *hs,
           guint        total,
           guint        pixels,
           SkinModel   *model)
{
  int med_r, med_g, mad_r, mad_g, med_s;
  double cr, cg, tol;

  memset (model, 0, sizeof *model);
  if (total == 0 || total < SKIN_MIN_FRACTION * pixels)
    return;

  med_r = hist_median (hr, total);
  med_g = hist_median (hg, total);
  med_s = hist_median (hs, total) * 3 + 1;
  mad_r = hist_mad (hr, total, med_r);
  mad_g = hist_mad (hg, total, med_g);
  cr = (med_r + 0.5) / HIST_BINS;
  cg = (med_g + 0.5) / HIST_BINS;

  /* Skin locus in normalised rg (after Soriano et al. 2000 and Kovac et al. 2003: skin has
   * R > G > B): reject grey, blue, green and saturated-colour regions. */
  model->skin = cr >= 0.36 && cr <= 0.70 && cg >= 0.20 && cg <= 0.40 && cr - cg >= 0.025
                && 1.0 - cr - cg < cg;

  tol = 3.0 * 1.4826 * (MAX (mad_r, mad_g) + 0.5) / HIST_BINS;
  tol = CLAMP (tol, SKIN_TOL_MIN, SKIN_TOL_MAX);
  model->mr = (int) lround (cr * 1024.0);
  model->mg = (int) lround (cg * 1024.0);
  model->tol = (int) lround (tol * 1024.0);
  model->s_lo = MAX (SKIN_DARK_SUM, (int) (SKIN_LUMA_LOW * med_s));
  model->s_hi = (int) (SKIN_LUMA_HIGH * med_s) + 1;
}

/* The hot loop: one pass, integer arithmetic, no branches, no allocation. */
static void
extract_range (SkinJob *job)
{
  VitalTraces *traces = job->traces;
  guint n = traces->n_frames;

  for (guint f = job->first; f < job->last; f++)
    {
      const guint8 *frame = vital_tensor_get_frame (job->tensor, f);

      for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
        {
          const SkinModel *m = &job->models[region];
          const guint8 *rp = frame + (gsize) (region * 3 + 0) * VITAL_TENSOR_PLANE_SIZE;
          const guint8 *gp = rp + VITAL_TENSOR_PLANE_SIZE;
          const guint8 *bp = gp + VITAL_TENSOR_PLANE_SIZE;
          guint32 sr = 0, sg = 0, sb = 0, count = 0;
          int mr = m->mr, mg = m->mg, tol = m->tol, s_lo = m->s_lo, s_hi = m->s_hi;

          if (m->skin)
            {
              for (guint p = 0; p < VITAL_TENSOR_PLANE_SIZE; p++)
                {
                  int r = rp[p], g = gp[p], b = bp[p], s = r + g + b;
                  int dr = r * 1024 - mr * s, dg = g * 1024 - mg * s, lim = tol * s;
                  int ok = (r < SKIN_SATURATED) & (g < SKIN_SATURATED) & (b < SKIN_SATURATED)
                           & (s >= s_lo) & (s <= s_hi)
                           & (dr <= lim) & (-dr <= lim) & (dg <= lim) & (-dg <= lim);
                  guint32 mask = (guint32) -ok;

                  count += (guint32) ok;
                  sr += (guint32) r & mask;
                  sg += (guint32) g & mask;
                  sb += (guint32) b & mask;
                }
            }

          traces->skin_fraction[region * n + f] = (double) count / VITAL_TENSOR_PLANE_SIZE;
          if (count >= SKIN_MIN_FRACTION * VITAL_TENSOR_PLANE_SIZE)
            {
              vital_traces_channel (traces, region, 0)[f] = (double) sr / count;
              vital_traces_channel (traces, region, 1)[f] = (double) sg / count;
              vital_traces_channel (traces, region, 2)[f] = (double) sb / count;
            }
          else
            {
              for (guint c = 0; c < 3; c++)
                vital_traces_channel (traces, region, c)[f] = NAN;
            }
        }
    }
}

static gpointer
extract_thread (gpointer data)
{
  extract_range (data);
  return NULL;
}

/* Fills gaps (NAN) linearly from the neighbouring valid samples; returns the valid count. */
static guint
fill_gaps (double *x,
           guint   n)
{
  gint prev = -1;
  guint valid = 0;

  for (guint i = 0; i < n; i++)
    {
      if (isnan (x[i]))
        continue;
      valid++;
      if (prev < 0)
        {
          for (guint j = 0; j < i; j++)
            x[j] = x[i];
        }
      else if ((guint) prev + 1 < i)
        {
          for (guint j = prev + 1; j < i; j++)
            x[j] = x[prev] + (x[i] - x[prev]) * (double) (j - prev) / (i - prev);
        }
      prev = (gint) i;
    }
  if (prev >= 0)
    for (guint j = prev + 1; j < n; j++)
      x[j] = x[prev];
  return valid;
}

/**
 * vital_skin_extract:
 * @tensor: a decoded tensor
 * @error: return location for a #GError
 *
 * Computes the skin colour traces of every region. The colour model of each region (median
 * and MAD of the normalised-rg chromaticity, median luminance) is fitted once, on one frame
 * per second of video; pixels are then kept when unsaturated, bright enough, within the luminance gate and
 * within 3 robust standard deviations of the median chromaticity. Frames of a region with too
 * few skin pixels are gaps, filled by linear interpolation. Two threads share the frames.
 *
 * Returns: (transfer full) (nullable): the traces, or %NULL with
 *   %VITAL_ENGINE_ERROR_NO_SKIN when no region holds skin.
 */
VitalTraces *
vital_skin_extract (const VitalTensor *tensor,
                    GError           **error)
{
  guint n = vital_tensor_get_frame_count (tensor);
  double rate = vital_tensor_get_frame_rate (tensor);
  g_autoptr(VitalTraces) traces = vital_traces_new (n, rate);
  guint step = MAX (1u, (guint) lround (rate));
  SkinModel models[VITAL_TENSOR_REGIONS];
  SkinJob jobs[2];
  GThread *worker = NULL;
  gboolean any = FALSE;

  if (n == 0)
    {
      g_set_error_literal (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_TOO_SHORT,
                           "The scan holds no frames");
      return NULL;
    }

  /* One model per region, fitted on histograms pooled over one frame per second: the gates
   * stay fixed through the scan, so that pixels do not flip in and out of the mask in step
   * with a refit (which would put a 1 Hz artefact in the pulse band). */
  for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
    {
      g_autofree guint *hist = g_new0 (guint, 3 * HIST_BINS);
      guint total = 0, pixels = 0;

      for (guint f = MIN (n - 1, step / 2); f < n; f += step)
        {
          const guint8 *rp = vital_tensor_get_frame (tensor, f)
                             + (gsize) (region * 3) * VITAL_TENSOR_PLANE_SIZE;
          total += add_histograms (rp, rp + VITAL_TENSOR_PLANE_SIZE,
                                   rp + 2 * VITAL_TENSOR_PLANE_SIZE, hist, hist + HIST_BINS,
                                   hist + 2 * HIST_BINS);
          pixels += VITAL_TENSOR_PLANE_SIZE;
        }
      fit_model (hist, hist + HIST_BINS, hist + 2 * HIST_BINS, total, pixels, &models[region]);
    }

  for (guint j = 0; j < 2; j++)
    {
      jobs[j].tensor = tensor;
      jobs[j].traces = traces;
      jobs[j].models = models;
    }
  jobs[0].first = 0;
  jobs[0].last = n / 2;
  jobs[1].first = n / 2;
  jobs[1].last = n;
  if (n >= 64)
    worker = g_thread_try_new ("vital-skin", extract_thread, &jobs[1], NULL);
  if (worker == NULL)
    {
      jobs[0].last = n;
      extract_range (&jobs[0]);
    }
  else
    {
      extract_range (&jobs[0]);
      g_thread_join (worker);
    }

  for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
    {
      double sum = 0.0;
      guint valid = 0;

      for (guint f = 0; f < n; f++)
        sum += traces->skin_fraction[region * n + f];
      traces->region_fraction[region] = n > 0 ? sum / n : 0.0;
      for (guint c = 0; c < 3; c++)
        valid = fill_gaps (vital_traces_channel (traces, region, c), n);
      /* A region counts when at least half its frames held skin. */
      traces->region_is_skin[region] = valid * 2 >= n && valid > 0;
      any |= traces->region_is_skin[region];
    }

  if (!any)
    {
      g_set_error_literal (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_NO_SKIN,
                           "No face detected: the face regions hold no skin-coloured pixels");
      return NULL;
    }
  return g_steal_pointer (&traces);
}
