/* engine-speed.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Time to analyse a 30 s x 30 fps synthetic tensor, and of its skin-extraction stage.
 */
#include <stdio.h>
#include <glib.h>

#include "vital-engine.h"
#include "vital-engine-private.h"
#include "vital-synth.h"

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  guint runs = argc > 1 ? (guint) atoi (argv[1]) : 15;
  VitalSynthParams p;
  g_autoptr(VitalSynth) synth = NULL;
  g_autoptr(VitalTensor) tensor = NULL;
  g_autofree double *total = g_new (double, MAX (runs, 1u));
  g_autofree double *skin = g_new (double, MAX (runs, 1u));
  gint64 t0;

  vital_synth_params_init (&p);
  p.noise = 3.0;
  p.motion = 0.3;
  synth = vital_synth_new (&p);
  t0 = g_get_monotonic_time ();
  tensor = vital_synth_render_tensor (synth, 900);
  printf ("conditions: 900 frames, 30 fps, 12x72x72, POS, %u runs, %u CPUs\n", runs,
          g_get_num_processors ());
  printf ("synth_render_ms: %.1f ms\n", (g_get_monotonic_time () - t0) / 1000.0);

  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VitalVitals) vitals = NULL;
      g_autoptr(VitalTraces) traces = NULL;

      t0 = g_get_monotonic_time ();
      traces = vital_skin_extract (tensor, &error);
      skin[i] = (g_get_monotonic_time () - t0) / 1000.0;
      t0 = g_get_monotonic_time ();
      vitals = vital_engine_analyze (tensor, NULL, &error);
      total[i] = (g_get_monotonic_time () - t0) / 1000.0;
      if (vitals == NULL)
        {
          fprintf (stderr, "analysis failed: %s\n", error->message);
          return 1;
        }
    }
  qsort (total, runs, sizeof (double), cmp_double);
  qsort (skin, runs, sizeof (double), cmp_double);
  printf ("engine_analyze_median_ms: %.1f ms\n", total[runs / 2]);
  printf ("engine_analyze_min_ms: %.1f ms\n", total[0]);
  printf ("skin_extract_median_ms: %.1f ms\n", skin[runs / 2]);
  return 0;
}
