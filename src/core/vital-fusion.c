/* vital-fusion.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Patch fusion: a pulse per skin patch (the chosen chrominance method and GREEN), each weighted
 * by the inverse of its in-band power and summed per region; a set of regions is then combined
 * into one pulse per method.
 */
#include "vital-engine-private.h"

#include <math.h>
#include <string.h>

/* The fused pulses are band-passed to the heart-rate search band itself, gently (second order
 * per half): power just outside the band (breathing, drift) must not leak into its edge bins,
 * where it would pass for a 42 bpm pulse (chosen on the real development set: a 0.6 Hz
 * fourth-order edge let such leakage win on one of seven recordings). */
#define FUSION_ORDER 2
/* The light's coupling into GREEN is fitted over windows this long (as the evidence's). */
#define FUSION_CANCEL_WINDOW_S 10.0

static VitalPulseFunc *
chroma_func (VitalPulseMethod method)
{
  switch (method)
    {
    case VITAL_PULSE_CHROM:
      return vital_chrom_pulse;
    case VITAL_PULSE_GREEN:
      return vital_green_pulse;
    case VITAL_PULSE_POS:
    default:
      return vital_pos_pulse;
    }
}

/**
 * vital_region_pulses_free:
 * @rp: (transfer full) (nullable): per-region pulse sums
 */
void
vital_region_pulses_free (VitalRegionPulses *rp)
{
  if (rp == NULL)
    return;
  g_free (rp->chroma);
  g_free (rp->green);
  g_free (rp->light);
  g_free (rp);
}

/**
 * vital_pulses_free:
 * @pulses: (transfer full) (nullable): fused pulses
 */
void
vital_pulses_free (VitalPulses *pulses)
{
  if (pulses == NULL)
    return;
  g_free (pulses->chroma);
  g_free (pulses->green);
  g_free (pulses->beat);
  g_free (pulses);
}

/* In-band power of a raw patch pulse (its variance after the band-pass): the weight of the
 * patch is its inverse. */
static double
band_power (const VitalFilter *bandpass,
            const double      *raw,
            double            *scratch,
            guint              n)
{
  double sd;

  memcpy (scratch, raw, n * sizeof (double));
  vital_filter_filtfilt (bandpass, scratch, n);
  sd = vital_filter_std (scratch, n);
  return sd * sd;
}

/**
 * vital_region_pulses_new:
 * @traces: skin traces with patches
 * @method: the chrominance method (POS, CHROM); %VITAL_PULSE_GREEN uses GREEN alone
 *
 * Extracts a pulse from every usable patch with @method and with GREEN, and sums each
 * region's patch pulses weighted by the inverse of their in-band power: the pulse is about as
 * strong in every skin patch, so this is maximal-ratio combining with the noise each patch
 * shows (compression noise, motion at the edges, specular spots). The sums are raw (not yet
 * band-passed); vital_pulses_combine() joins regions.
 *
 * Returns: (transfer full): the per-region sums
 */
VitalRegionPulses *
vital_region_pulses_new (VitalTraces      *traces,
                         VitalPulseMethod  method)
{
  guint n = traces->n_frames;
  double rate = traces->frame_rate;
  VitalRegionPulses *rp = g_new0 (VitalRegionPulses, 1);
  g_autofree double *raw = g_new (double, n);
  g_autofree double *scratch = g_new (double, n);
  VitalPulseFunc *chroma = chroma_func (method);
  VitalFilter bandpass;

  rp->n = n;
  rp->rate = rate;
  rp->method = method;
  rp->chroma = g_new0 (double, (gsize) VITAL_TENSOR_REGIONS * n);
  rp->green = g_new0 (double, (gsize) VITAL_TENSOR_REGIONS * n);
  vital_filter_butter_bandpass (&bandpass, FUSION_ORDER, VITAL_HR_LOW_HZ, VITAL_HR_HIGH_HZ, rate);
  rp->light = g_new (double, n);
  if (vital_traces_illumination (traces, rp->light))
    vital_filter_filtfilt (&bandpass, rp->light, n);
  else
    g_clear_pointer (&rp->light, g_free);
  for (guint patch = 0; patch < VITAL_SKIN_PATCHES; patch++)
    {
      guint region = patch / VITAL_SKIN_PATCHES_PER_REGION;
      const double *r = vital_traces_patch_channel (traces, patch, 0);
      const double *g = vital_traces_patch_channel (traces, patch, 1);
      const double *b = vital_traces_patch_channel (traces, patch, 2);
      double *chroma_sum = rp->chroma + (gsize) region * n;
      double *green_sum = rp->green + (gsize) region * n;
      double power;

      if (!traces->patch_usable[patch])
        continue;

      chroma (r, g, b, n, rate, raw);
      power = band_power (&bandpass, raw, scratch, n);
      if (!(power > 0.0))
        continue;
      for (guint i = 0; i < n; i++)
        chroma_sum[i] += raw[i] / power;
      rp->weight[region] += 1.0 / power;
      rp->n_patches[region]++;

      vital_green_pulse (r, g, b, n, rate, raw);
      power = band_power (&bandpass, raw, scratch, n);
      if (power > 0.0)
        for (guint i = 0; i < n; i++)
          green_sum[i] += raw[i] / power;
    }
  return rp;
}

/**
 * vital_pulses_combine:
 * @rp: per-region pulse sums
 * @regions: a bit set of the regions to use (1 << region)
 *
 * Joins the sums of @regions into one pulse per method, band-passed to the heart-rate band
 * (the chrominance method's also to the 0.5-8 Hz beat band) and normalised.
 *
 * Returns: (transfer full) (nullable): the fused pulses, or %NULL when none of @regions has a
 *   usable patch
 */
VitalPulses *
vital_pulses_combine (const VitalRegionPulses *rp,
                      guint                    regions)
{
  guint n = rp->n;
  g_autoptr(VitalPulses) pulses = g_new0 (VitalPulses, 1);
  double weight_sum = 0.0;
  VitalFilter bandpass;

  pulses->n = n;
  pulses->rate = rp->rate;
  pulses->regions = regions;
  pulses->chroma = g_new0 (double, n);
  pulses->green = g_new0 (double, n);
  for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
    {
      const double *c = rp->chroma + (gsize) region * n;
      const double *g = rp->green + (gsize) region * n;

      if (!(regions & (1u << region)) || rp->n_patches[region] == 0)
        continue;
      for (guint i = 0; i < n; i++)
        {
          pulses->chroma[i] += c[i];
          pulses->green[i] += g[i];
        }
      weight_sum += rp->weight[region];
      pulses->n_patches += rp->n_patches[region];
    }
  if (pulses->n_patches == 0)
    return NULL;
  for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
    if ((regions & (1u << region)) && rp->n_patches[region] > 0)
      pulses->region_weight[region] = rp->weight[region] / weight_sum;

  /* The wider band keeps the beat shape (systolic peak timing) for HRV and pulse shape. */
  pulses->beat = g_memdup2 (pulses->chroma, n * sizeof (double));
  vital_filter_butter_bandpass (&bandpass, 2, 0.5, 8.0, rp->rate);
  vital_filter_filtfilt (&bandpass, pulses->beat, n);
  vital_filter_normalise (pulses->beat, n);

  vital_filter_butter_bandpass (&bandpass, FUSION_ORDER, VITAL_HR_LOW_HZ, VITAL_HR_HIGH_HZ,
                                rp->rate);
  vital_filter_filtfilt (&bandpass, pulses->chroma, n);
  vital_filter_filtfilt (&bandpass, pulses->green, n);
  /* The pulses see the light as well as the blood: flicker aliased into the band (120 Hz
   * lights at 29.7 fps beat at 1.2 Hz) and lights changing. GREEN fully; POS and CHROM only
   * partly cancel it, as a video codec turns a change of light into an equal change of every
   * channel (in luma), not a proportional one. Take out what the non-skin pixels show of it. */
  if (rp->light != NULL)
    {
      guint window = (guint) lround (FUSION_CANCEL_WINDOW_S * rp->rate);

      vital_filter_cancel (pulses->chroma, rp->light, n, window);
      vital_filter_cancel (pulses->green, rp->light, n, window);
    }
  vital_filter_normalise (pulses->chroma, n);
  vital_filter_normalise (pulses->green, n);
  return g_steal_pointer (&pulses);
}
