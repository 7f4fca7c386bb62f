/* vital-capture-gst.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the capture module's GStreamer set-up: gst_init() on first use and the module's debug
 * category.
 */
#include "vital-config.h"

#include "vital-capture-gst.h"

GST_DEBUG_CATEGORY (vital_capture_debug);

/**
 * vital_capture_gst_init:
 *
 * Initialises GStreamer unless the program already has, and registers the module's debug
 * category. Every entry point of the module that uses GStreamer calls it first; it may be
 * called from any thread, any number of times.
 */
void
vital_capture_gst_init (void)
{
  static gsize initialised = 0;

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  if (g_once_init_enter (&initialised))
    {
      GST_DEBUG_CATEGORY_INIT (vital_capture_debug, "vitalscan-capture", 0,
                               "Vitalscan capture: pipelines, frames and scans");
      g_once_init_leave (&initialised, 1);
    }
}
