/* vital-steps.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Brightness steps: a video codec's key frames (every few seconds: a periodic step that the
 * respiratory band would read as breathing) and a camera's auto-exposure or gain changes move
 * the whole face's brightness from one frame to the next. They are found in the face region's
 * luminance and taken out of every trace. And the light itself, from the pixels that are not
 * skin, as the reference that cancels flicker.
 */
#include "vital-engine-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define STEP_SIGMAS   6.0   /* a step: a frame-to-frame change this many robust SDs out */
#define STEP_CONTEXT  4     /* frames on each side whose median sets the levels */
#define ILLUMINATION_MIN_PIXELS 200  /* fewer non-skin pixels: the frame's light is a gap */

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

/* The median of x over [first, last), clipped to the trace. */
static double
local_level (const double *x,
             gint          first,
             gint          last,
             guint         n)
{
  double buf[STEP_CONTEXT];
  guint m = 0;

  for (gint i = MAX (first, 0); i < MIN (last, (gint) n) && m < STEP_CONTEXT; i++)
    if (!isnan (x[i]))
      buf[m++] = x[i];
  return m > 0 ? median (buf, m) : NAN;
}

/* Scales @x after each step so that its level just after the step matches the level just
 * before it (the levels are medians of a few frames, so a pulse beat does not move them). */
static void
remove_steps (double      *x,
              guint        n,
              const guint *steps,
              guint        n_steps)
{
  g_autofree double *gain = g_new (double, MAX (1u, n_steps));
  double acc = 1.0;
  guint s = 0;

  for (guint k = 0; k < n_steps; k++)
    {
      guint at = steps[k];
      double before = local_level (x, (gint) at - STEP_CONTEXT, (gint) at, n);
      double after = local_level (x, (gint) at, (gint) at + STEP_CONTEXT, n);

      gain[k] = before > 0.0 && after > 0.0 ? before / after : 1.0;
    }
  for (guint i = 0; i < n; i++)
    {
      while (s < n_steps && i == steps[s])
        acc *= gain[s++];
      x[i] *= acc;
    }
}

/**
 * vital_traces_remove_steps:
 * @traces: skin traces, gaps already filled
 *
 * Finds the frames where the face region's skin luminance jumps (a frame-to-frame change of
 * its log more than 6 robust standard deviations out: key frames of a video codec, exposure or
 * gain steps of a camera) and rescales every region and patch trace after each jump to the
 * level before it. The pulse changes the luminance by a fraction of a percent over a quarter
 * of a second, never from one frame to the next by that much.
 *
 * The steps found are kept in @traces for vital_traces_illumination().
 *
 * Returns: the number of steps removed
 */
guint
vital_traces_remove_steps (VitalTraces *traces)
{
  guint n = traces->n_frames;
  g_autofree double *d = NULL;
  g_autofree double *sorted = NULL;
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (guint));
  const double *r = vital_traces_channel (traces, 0, 0);
  const double *g = vital_traces_channel (traces, 0, 1);
  const double *b = vital_traces_channel (traces, 0, 2);
  double med, mad;

  if (n < 4 * STEP_CONTEXT || !traces->region_is_skin[0])
    return 0;

  d = g_new (double, n);
  sorted = g_new (double, n);
  d[0] = 0.0;
  for (guint i = 1; i < n; i++)
    {
      double now = r[i] + g[i] + b[i], prev = r[i - 1] + g[i - 1] + b[i - 1];

      d[i] = now > 0.0 && prev > 0.0 ? log (now / prev) : 0.0;
    }
  memcpy (sorted, d + 1, (n - 1) * sizeof (double));
  med = median (sorted, n - 1);
  for (guint i = 1; i < n; i++)
    sorted[i - 1] = fabs (d[i] - med);
  mad = 1.4826 * median (sorted, n - 1);
  if (!(mad > 0.0))
    return 0;

  for (guint i = STEP_CONTEXT; i + STEP_CONTEXT < n; i++)
    if (fabs (d[i] - med) > STEP_SIGMAS * mad)
      {
        /* One event may spread over two frames (a blended or interpolated frame): keep the
         * larger change of neighbours. */
        if (steps->len > 0 && i - g_array_index (steps, guint, steps->len - 1) < STEP_CONTEXT)
          continue;
        g_array_append_val (steps, i);
      }
  if (steps->len == 0)
    return 0;

  for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
    for (guint c = 0; c < 3 && traces->region_is_skin[region]; c++)
      remove_steps (vital_traces_channel (traces, region, c), n, (guint *) steps->data,
                    steps->len);
  for (guint patch = 0; patch < VITAL_SKIN_PATCHES; patch++)
    for (guint c = 0; c < 3 && traces->patch_usable[patch]; c++)
      remove_steps (vital_traces_patch_channel (traces, patch, c), n, (guint *) steps->data,
                    steps->len);
  g_free (traces->steps);
  traces->n_steps = steps->len;
  traces->steps = (guint *) g_array_free (g_steal_pointer (&steps), FALSE);
  return traces->n_steps;
}

/**
 * vital_traces_illumination:
 * @traces: skin traces
 * @out: (out caller-allocates) (array length=traces->n_frames): the light's relative change
 *
 * The light on the scene without the pulse: the mean brightness of the lit pixels that are not
 * skin (background, hair, eyes) over every region, relative to its mean, with the same steps
 * taken out as from the skin. Flicker and lights changing show here as in the skin; the pulse
 * does not. A frame with too few such pixels is a gap, filled from its neighbours.
 *
 * Returns: %FALSE when the regions hold too little that is not skin (a close crop)
 */
gboolean
vital_traces_illumination (VitalTraces *traces,
                           double      *out)
{
  guint n = traces->n_frames;
  guint valid = 0;
  double mean = 0.0;
  gint prev = -1;

  for (guint f = 0; f < n; f++)
    {
      double sum = 0.0, count = 0.0;

      for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
        {
          sum += traces->other_sum[region * n + f];
          count += traces->other_count[region * n + f];
        }
      out[f] = count >= ILLUMINATION_MIN_PIXELS ? sum / count : NAN;
    }
  /* Fill gaps with the nearest earlier value (the first ones with the first valid). */
  for (guint f = 0; f < n; f++)
    {
      if (!isnan (out[f]))
        {
          if (prev < 0)
            for (guint j = 0; j < f; j++)
              out[j] = out[f];
          prev = (gint) f;
          valid++;
        }
      else if (prev >= 0)
        out[f] = out[prev];
    }
  if (valid * 2 < n)
    return FALSE;
  remove_steps (out, n, traces->steps, traces->n_steps);
  for (guint f = 0; f < n; f++)
    mean += out[f];
  mean /= n;
  if (!(mean > 0.0))
    return FALSE;
  for (guint f = 0; f < n; f++)
    out[f] = out[f] / mean - 1.0;
  return TRUE;
}
