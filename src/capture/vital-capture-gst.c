/* vital-capture-gst.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the capture module's GStreamer set-up: gst_init() on first use, the module's debug
 * category, and making elements with an error a person can act on when a plugin is missing.
 */
#include "vital-config.h"

#include "vital-capture-error.h"
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

/**
 * vital_capture_make_element:
 * @factory: the element's factory name
 * @name: (nullable): the element's name
 * @error: return location for a #GError
 *
 * Makes an element like gst_element_factory_make(), saying which plugin is missing when it
 * cannot (and which package has facedetect).
 *
 * Returns: (transfer floating): the element, or %NULL with @error set
 *   (%VITAL_CAPTURE_ERROR_MISSING_PLUGIN)
 */
GstElement *
vital_capture_make_element (const char *factory,
                            const char *name,
                            GError **error)
{
  GstElement *element;

  g_return_val_if_fail (factory != NULL, NULL);

  element = gst_element_factory_make (factory, name);
  if (element == NULL)
    g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_MISSING_PLUGIN,
                 "the GStreamer element “%s” is not installed%s", factory,
                 g_str_equal (factory, "facedetect") ? " (install gstreamer1.0-opencv)" : "");
  return element;
}
