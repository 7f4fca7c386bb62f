/* vital-skin.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Skin-pixel colour traces: a per-scan skin colour model seeded from the middle of the regions
 * (the detector's face interior), and per frame the mean colour and count of the accepted
 * pixels in every region and in every patch of a 6 x 6 grid over each region.
 */
#include "vital-engine-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Pixel gates (docs/algorithms.md, "Skin model"). */
#define SKIN_SATURATED     250   /* any channel at or above: clipped */
#define SKIN_DARK_SUM      45    /* R+G+B below: too dark for a usable ratio (mean 15) */
#define SKIN_LUMA_LOW      0.50  /* luminance gate relative to the region's median skin */
#define SKIN_LUMA_HIGH     1.60
#define SKIN_SIGMAS        3.0   /* chroma gate: this many robust SDs around the median */
#define SKIN_TOL_MIN       0.03  /* ... in log-chroma units, clamped to these */
#define SKIN_TOL_MAX       0.20
#define SKIN_RED_MARGIN    0.05  /* ln(R/G) and ln(R/B) of skin: red leads by at least 5 % */
#define VITAL_REGION_SEED  0     /* the seed: the middle of the face region, 30-70 % each */
#define SKIN_SEED_LO       0.30  /* way: nose and cheeks, what the detector is surest of */
#define SKIN_SEED_HI       0.70
#define SKIN_SEED_USABLE   0.20  /* fewer usable seed pixels: too dark or overexposed */
#define SKIN_MIN_FRACTION  0.02  /* fewer accepted pixels: the frame-region is a gap */
#define PATCH_MIN_FRACTION 0.10  /* ... and the frame-patch */
#define PATCH_USABLE       0.50  /* a patch is used when on average half of it is skin ... */
#define PATCH_USABLE_REL   0.60  /* ... or, in a very noisy image where few pixels pass the
                                  * gates anywhere, 60 % of what the best patches hold */
#define PATCH_USABLE_MIN   0.10
#define CHROMA_BINS        512   /* log-chroma histograms over [-2.56, 2.56), 0.01 per bin */
#define CHROMA_SCALE       100.0
#define LUMA_BINS          (3 * 256)

#if defined(__GNUC__) && !defined(__clang__)
#define HOT_LOOP __attribute__ ((optimize ("tree-vectorize", "vect-cost-model=dynamic")))
#else
#define HOT_LOOP
#endif

G_STATIC_ASSERT (VITAL_TENSOR_WIDTH % VITAL_SKIN_GRID == 0);
G_STATIC_ASSERT (VITAL_TENSOR_HEIGHT % VITAL_SKIN_GRID == 0);

/* The scan's skin model. The chroma test |ln(R/G) - mu| <= tol_u, |ln(B/G) - mv| <= tol_v is
 * done without logarithms, as R * 1024 >= G * rg_lo and so on (fixed point x 1024). */
typedef struct
{
  int rg_lo, rg_hi;          /* G * e^(mu -+ tol_u) */
  int bg_lo, bg_hi;          /* G * e^(mv -+ tol_v) */
  int rg_lo_far, rg_hi_far;  /* the same at twice the tolerance: outside is surely not skin */
  int bg_lo_far, bg_hi_far;
  int s_lo[VITAL_TENSOR_REGIONS], s_hi[VITAL_TENSOR_REGIONS]; /* luminance gates, R+G+B */
} SkinModel;

typedef struct
{
  const VitalTensor *tensor;
  VitalTraces       *traces;
  const SkinModel   *model;
  guint              first, last;
} SkinJob;

/**
 * vital_traces_new:
 * @n_frames: frames per trace
 * @frame_rate: frames per second
 *
 * Allocates zeroed traces (4 regions x RGB, the regions' skin fractions, and the same for
 * every patch).
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
  traces->patch_rgb = g_new0 (double, (gsize) VITAL_SKIN_PATCHES * 3 * n_frames);
  traces->patch_fraction = g_new0 (double, (gsize) VITAL_SKIN_PATCHES * n_frames);
  traces->other_sum = g_new0 (double, (gsize) VITAL_TENSOR_REGIONS * n_frames);
  traces->other_count = g_new0 (double, (gsize) VITAL_TENSOR_REGIONS * n_frames);
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
  g_free (traces->patch_rgb);
  g_free (traces->patch_fraction);
  g_free (traces->other_sum);
  g_free (traces->other_count);
  g_free (traces->steps);
  g_free (traces);
}

static int
hist_quantile (const guint *hist,
               guint        bins,
               guint        total,
               double       q)
{
  guint acc = 0;

  for (guint k = 0; k < bins; k++)
    {
      acc += hist[k];
      if (acc >= q * total)
        return (int) k;
    }
  return (int) bins - 1;
}

/* Median absolute deviation of a histogram around @median, in bins. */
static int
hist_mad (const guint *hist,
          guint        bins,
          guint        total,
          int          median)
{
  g_autofree guint *dev = g_new0 (guint, bins);

  for (guint k = 0; k < bins; k++)
    dev[ABS ((int) k - median)] += hist[k];
  return hist_quantile (dev, bins, total, 0.5);
}

static int
chroma_bin (double value)
{
  return CLAMP ((int) floor (value * CHROMA_SCALE) + CHROMA_BINS / 2, 0, CHROMA_BINS - 1);
}

static double
bin_chroma (double bin)
{
  return (bin - CHROMA_BINS / 2 + 0.5) / CHROMA_SCALE;
}

/* The frames the model is fitted on: one per second of video. */
static guint
model_step (const VitalTensor *tensor)
{
  return MAX (1u, (guint) lround (vital_tensor_get_frame_rate (tensor)));
}

/* Fits the chroma part of the model on the seed (the middle of the face region: nose and
 * cheeks, the detector's face interior) pooled over one frame per second. The close-ups'
 * middles are not pooled in: a fringe over the forehead or a beard on a cheek would widen the
 * model (on the real development set it cost one recording of seven). Returns the verdict on
 * the seed pixels. */
static VitalSkinVerdict
fit_chroma (const VitalTensor *tensor,
            double             log_table[256],
            SkinModel         *model)
{
  guint n = vital_tensor_get_frame_count (tensor);
  guint step = model_step (tensor);
  guint lo = (guint) (SKIN_SEED_LO * VITAL_TENSOR_WIDTH);
  guint hi = (guint) (SKIN_SEED_HI * VITAL_TENSOR_WIDTH);
  g_autofree guint *hu = g_new0 (guint, CHROMA_BINS);
  g_autofree guint *hv = g_new0 (guint, CHROMA_BINS);
  guint total = 0, clipped = 0, dark = 0, usable = 0;
  int med_u, med_v, mad_u, mad_v;
  double mu, mv, tol_u, tol_v;

  for (guint f = MIN (n - 1, step / 2); f < n; f += step)
    {
      const guint8 *frame = vital_tensor_get_frame (tensor, f);

      const guint8 *rp = frame + (gsize) (VITAL_REGION_SEED * 3) * VITAL_TENSOR_PLANE_SIZE;
      const guint8 *gp = rp + VITAL_TENSOR_PLANE_SIZE;
      const guint8 *bp = gp + VITAL_TENSOR_PLANE_SIZE;

      for (guint y = lo; y < hi; y++)
        for (guint x = lo; x < hi; x++)
          {
            guint p = y * VITAL_TENSOR_WIDTH + x;
            int r = rp[p], g = gp[p], b = bp[p];

            total++;
            if (r >= SKIN_SATURATED || g >= SKIN_SATURATED || b >= SKIN_SATURATED)
              {
                clipped++;
                continue;
              }
            if (r + g + b < SKIN_DARK_SUM)
              {
                dark++;
                continue;
              }
            hu[chroma_bin (log_table[r] - log_table[g])]++;
            hv[chroma_bin (log_table[b] - log_table[g])]++;
            usable++;
          }
    }

  if (usable < SKIN_SEED_USABLE * total)
    return clipped > dark ? VITAL_SKIN_OVEREXPOSED : VITAL_SKIN_TOO_DARK;

  med_u = hist_quantile (hu, CHROMA_BINS, usable, 0.5);
  med_v = hist_quantile (hv, CHROMA_BINS, usable, 0.5);
  mad_u = hist_mad (hu, CHROMA_BINS, usable, med_u);
  mad_v = hist_mad (hv, CHROMA_BINS, usable, med_v);
  mu = bin_chroma (med_u);
  mv = bin_chroma (med_v);

  /* Blood and melanin absorb green and blue more than red: under any white balance a camera's
   * auto white balance produces, skin is red-led (its B and G may come in either order). A
   * seed that is not is a wall, hair or a coloured light, not skin. */
  if (mu < SKIN_RED_MARGIN || mu - mv < SKIN_RED_MARGIN)
    return VITAL_SKIN_NOT_SKIN;

  tol_u = CLAMP (SKIN_SIGMAS * 1.4826 * (mad_u + 0.5) / CHROMA_SCALE, SKIN_TOL_MIN, SKIN_TOL_MAX);
  tol_v = CLAMP (SKIN_SIGMAS * 1.4826 * (mad_v + 0.5) / CHROMA_SCALE, SKIN_TOL_MIN, SKIN_TOL_MAX);
  model->rg_lo = (int) lround (1024.0 * exp (mu - tol_u));
  model->rg_hi = (int) lround (1024.0 * exp (mu + tol_u));
  model->bg_lo = (int) lround (1024.0 * exp (mv - tol_v));
  model->bg_hi = (int) lround (1024.0 * exp (mv + tol_v));
  model->rg_lo_far = (int) lround (1024.0 * exp (mu - 2.0 * tol_u));
  model->rg_hi_far = (int) lround (1024.0 * exp (mu + 2.0 * tol_u));
  model->bg_lo_far = (int) lround (1024.0 * exp (mv - 2.0 * tol_v));
  model->bg_hi_far = (int) lround (1024.0 * exp (mv + 2.0 * tol_v));
  return VITAL_SKIN_OK;
}

static inline int
chroma_ok (const SkinModel *m,
           int              r,
           int              g,
           int              b)
{
  int r10 = r * 1024, b10 = b * 1024;

  return (r10 >= g * m->rg_lo) & (r10 <= g * m->rg_hi) & (b10 >= g * m->bg_lo)
         & (b10 <= g * m->bg_hi);
}

/* Surely not skin: outside twice the model's tolerance (noisy or mixed skin pixels are
 * near it, and carry the pulse). */
static inline int
chroma_far (const SkinModel *m,
            int              r,
            int              g,
            int              b)
{
  int r10 = r * 1024, b10 = b * 1024;

  return (r10 < g * m->rg_lo_far) | (r10 > g * m->rg_hi_far) | (b10 < g * m->bg_lo_far)
         | (b10 > g * m->bg_hi_far);
}

/* The luminance gate of each region, around the median luminance of its skin-coloured pixels
 * (a forehead is often brighter than the cheeks). */
static void
fit_luminance (const VitalTensor *tensor,
               SkinModel         *model)
{
  guint n = vital_tensor_get_frame_count (tensor);
  guint step = model_step (tensor);

  for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
    {
      g_autofree guint *hs = g_new0 (guint, LUMA_BINS);
      guint total = 0;
      int med;

      for (guint f = MIN (n - 1, step / 2); f < n; f += step)
        {
          const guint8 *rp = vital_tensor_get_frame (tensor, f)
                             + (gsize) (region * 3) * VITAL_TENSOR_PLANE_SIZE;
          const guint8 *gp = rp + VITAL_TENSOR_PLANE_SIZE;
          const guint8 *bp = gp + VITAL_TENSOR_PLANE_SIZE;

          for (guint p = 0; p < VITAL_TENSOR_PLANE_SIZE; p++)
            {
              int r = rp[p], g = gp[p], b = bp[p];

              if (r >= SKIN_SATURATED || g >= SKIN_SATURATED || b >= SKIN_SATURATED
                  || r + g + b < SKIN_DARK_SUM || !chroma_ok (model, r, g, b))
                continue;
              hs[r + g + b]++;
              total++;
            }
        }
      if (total == 0)
        {
          /* Nothing skin-coloured: an empty gate, the region will hold no skin. */
          model->s_lo[region] = 1;
          model->s_hi[region] = 0;
          continue;
        }
      med = hist_quantile (hs, LUMA_BINS, total, 0.5);
      model->s_lo[region] = MAX (SKIN_DARK_SUM, (int) (SKIN_LUMA_LOW * med));
      model->s_hi[region] = (int) (SKIN_LUMA_HIGH * med) + 1;
    }
}

/* The hot loop: per pixel one gate, integer arithmetic, branch-free, no allocation. Sums go
 * to the pixel's patch; the region's sums are the sums of its patches. Built with the
 * vectoriser's full cost model even at -O2 (it halves the time of this loop). */
HOT_LOOP
static void
extract_range (SkinJob *job)
{
  VitalTraces *traces = job->traces;
  const SkinModel *m = job->model;
  guint n = traces->n_frames;

  for (guint f = job->first; f < job->last; f++)
    {
      const guint8 *frame = vital_tensor_get_frame (job->tensor, f);

      for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
        {
          const guint8 *rp = frame + (gsize) (region * 3 + 0) * VITAL_TENSOR_PLANE_SIZE;
          const guint8 *gp = rp + VITAL_TENSOR_PLANE_SIZE;
          const guint8 *bp = gp + VITAL_TENSOR_PLANE_SIZE;
          guint32 sr[VITAL_SKIN_GRID * VITAL_SKIN_GRID] = { 0 };
          guint32 sg[VITAL_SKIN_GRID * VITAL_SKIN_GRID] = { 0 };
          guint32 sb[VITAL_SKIN_GRID * VITAL_SKIN_GRID] = { 0 };
          guint32 cnt[VITAL_SKIN_GRID * VITAL_SKIN_GRID] = { 0 };
          guint32 tr = 0, tg = 0, tb = 0, tc = 0, other_sum = 0, other_count = 0;
          int s_lo = m->s_lo[region], s_hi = m->s_hi[region];

          for (guint y = 0; y < VITAL_TENSOR_HEIGHT; y++)
            {
              guint row = (y / VITAL_SKIN_PATCH_SIZE) * VITAL_SKIN_GRID;
              const guint8 *rr = rp + y * VITAL_TENSOR_WIDTH;
              const guint8 *gg = gp + y * VITAL_TENSOR_WIDTH;
              const guint8 *bb = bp + y * VITAL_TENSOR_WIDTH;
              guint32 ok[VITAL_TENSOR_WIDTH], other[VITAL_TENSOR_WIDTH];

              /* The gates of a whole row at once (vectorises), then the sums per patch. */
              for (guint x = 0; x < VITAL_TENSOR_WIDTH; x++)
                {
                  int r = rr[x], g = gg[x], b = bb[x], s = r + g + b;
                  int lit = (r < SKIN_SATURATED) & (g < SKIN_SATURATED) & (b < SKIN_SATURATED)
                            & (s >= SKIN_DARK_SUM);

                  ok[x] = (guint32) -(lit & (s >= s_lo) & (s <= s_hi) & chroma_ok (m, r, g, b));
                  other[x] = (guint32) -(lit & chroma_far (m, r, g, b));
                }
              for (guint px = 0; px < VITAL_SKIN_GRID; px++)
                {
                  guint x0 = px * VITAL_SKIN_PATCH_SIZE;
                  guint32 ar = 0, ag = 0, ab = 0, ac = 0, os = 0, oc = 0;

                  for (guint x = x0; x < x0 + VITAL_SKIN_PATCH_SIZE; x++)
                    {
                      guint32 mask = ok[x], omask = other[x];

                      ac -= mask;
                      ar += rr[x] & mask;
                      ag += gg[x] & mask;
                      ab += bb[x] & mask;
                      oc -= omask;
                      os += ((guint32) rr[x] + gg[x] + bb[x]) & omask;
                    }
                  sr[row + px] += ar;
                  sg[row + px] += ag;
                  sb[row + px] += ab;
                  cnt[row + px] += ac;
                  other_sum += os;
                  other_count += oc;
                }
            }

          for (guint k = 0; k < VITAL_SKIN_GRID * VITAL_SKIN_GRID; k++)
            {
              guint patch = region * VITAL_SKIN_GRID * VITAL_SKIN_GRID + k;
              double *prgb = traces->patch_rgb + (gsize) patch * 3 * n;
              double frac = (double) cnt[k] / (VITAL_SKIN_PATCH_SIZE * VITAL_SKIN_PATCH_SIZE);

              traces->patch_fraction[(gsize) patch * n + f] = frac;
              if (frac >= PATCH_MIN_FRACTION)
                {
                  prgb[f] = (double) sr[k] / cnt[k];
                  prgb[n + f] = (double) sg[k] / cnt[k];
                  prgb[2 * n + f] = (double) sb[k] / cnt[k];
                }
              else
                prgb[f] = prgb[n + f] = prgb[2 * n + f] = NAN;
              tr += sr[k];
              tg += sg[k];
              tb += sb[k];
              tc += cnt[k];
            }

          traces->other_sum[region * n + f] = other_sum;
          traces->other_count[region * n + f] = other_count;
          traces->skin_fraction[region * n + f] = (double) tc / VITAL_TENSOR_PLANE_SIZE;
          if (tc >= SKIN_MIN_FRACTION * VITAL_TENSOR_PLANE_SIZE)
            {
              vital_traces_channel (traces, region, 0)[f] = (double) tr / tc;
              vital_traces_channel (traces, region, 1)[f] = (double) tg / tc;
              vital_traces_channel (traces, region, 2)[f] = (double) tb / tc;
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

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static const char *
verdict_message (VitalSkinVerdict verdict)
{
  switch (verdict)
    {
    case VITAL_SKIN_TOO_DARK:
      return "No usable skin: the face is too dark to measure. Add light in front of the face "
             "and scan again";
    case VITAL_SKIN_OVEREXPOSED:
      return "No usable skin: the face is overexposed (washed out). Reduce the light on the "
             "face or move away from the window and scan again";
    case VITAL_SKIN_NOT_SKIN:
    case VITAL_SKIN_OK:
    default:
      return "No usable skin: the face regions hold no skin-coloured pixels. Check that the "
             "face is lit by ordinary white light and scan again";
    }
}

/**
 * vital_skin_extract:
 * @tensor: a decoded tensor
 * @error: return location for a #GError
 *
 * Computes the skin colour traces of every region and patch (docs/algorithms.md, "Skin
 * model"). The colour model is fitted once per scan on the middle of the face region (the face
 * interior the detector found), in log-chroma ln(R/G), ln(B/G): a camera's white balance
 * scales the channels and so only shifts the model, and brightness cancels. Pixels are kept
 * when unclipped, bright enough, within the region's luminance gate and within 3 robust
 * standard deviations of the model's chroma. Frames of a region or patch with too few skin
 * pixels are gaps, filled by linear interpolation. Two threads share the frames.
 *
 * Returns: (transfer full) (nullable): the traces, or %NULL with
 *   %VITAL_ENGINE_ERROR_NO_SKIN, whose message says why: too dark, overexposed, or no
 *   skin-coloured pixels.
 */
VitalTraces *
vital_skin_extract (const VitalTensor *tensor,
                    GError           **error)
{
  guint n = vital_tensor_get_frame_count (tensor);
  double rate = vital_tensor_get_frame_rate (tensor);
  g_autoptr(VitalTraces) traces = NULL;
  double log_table[256];
  SkinModel model = { 0 };
  VitalSkinVerdict verdict;
  SkinJob jobs[2];
  GThread *worker = NULL;
  gboolean any = FALSE;

  if (n == 0)
    {
      g_set_error_literal (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_TOO_SHORT,
                           "The scan holds no frames");
      return NULL;
    }

  for (guint v = 0; v < 256; v++)
    log_table[v] = log (v + 0.5);
  verdict = fit_chroma (tensor, log_table, &model);
  if (verdict != VITAL_SKIN_OK)
    {
      g_set_error_literal (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_NO_SKIN,
                           verdict_message (verdict));
      return NULL;
    }
  fit_luminance (tensor, &model);

  traces = vital_traces_new (n, rate);
  for (guint j = 0; j < 2; j++)
    {
      jobs[j].tensor = tensor;
      jobs[j].traces = traces;
      jobs[j].model = &model;
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
      traces->region_fraction[region] = sum / n;
      for (guint c = 0; c < 3; c++)
        valid = fill_gaps (vital_traces_channel (traces, region, c), n);
      /* A region counts when at least half its frames held skin. */
      traces->region_is_skin[region] = valid * 2 >= n && valid > 0;
      any |= traces->region_is_skin[region];
    }
  {
    double mean_fraction[VITAL_SKIN_PATCHES], sorted[VITAL_SKIN_PATCHES], threshold;

    for (guint patch = 0; patch < VITAL_SKIN_PATCHES; patch++)
      {
        const double *frac = traces->patch_fraction + (gsize) patch * n;
        double sum = 0.0;

        for (guint f = 0; f < n; f++)
          sum += frac[f];
        mean_fraction[patch] = sorted[patch] = sum / n;
      }
    qsort (sorted, VITAL_SKIN_PATCHES, sizeof (double), compare_doubles);
    threshold = MIN (PATCH_USABLE, PATCH_USABLE_REL * sorted[VITAL_SKIN_PATCHES * 4 / 5]);
    threshold = MAX (threshold, PATCH_USABLE_MIN);
    for (guint patch = 0; patch < VITAL_SKIN_PATCHES; patch++)
      {
        double *prgb = traces->patch_rgb + (gsize) patch * 3 * n;
        guint valid = 0;

        for (guint c = 0; c < 3; c++)
          valid = fill_gaps (prgb + (gsize) c * n, n);
        traces->patch_usable[patch] = mean_fraction[patch] >= threshold && valid * 2 >= n;
      }
  }

  if (!any)
    {
      g_set_error_literal (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_NO_SKIN,
                           verdict_message (VITAL_SKIN_NOT_SKIN));
      return NULL;
    }
  vital_traces_remove_steps (traces);
  return g_steal_pointer (&traces);
}
