/* test-renderer.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The renderer choice: Mesa's CPU rasterisers are recognised, a user's GSK_RENDERER wins, and
 * the app draws with cairo exactly when the display's GL is software or missing (on Xvfb, the
 * test runner's display, it is Mesa's llvmpipe or none).
 */
#include <gtk/gtk.h>

#include "app-test-util.h"
#include "vital-renderer.h"

static void
test_software_names (void)
{
  struct { const char *name; gboolean software; } cases[] = {
    { "llvmpipe (LLVM 15.0.6, 256 bits)", TRUE },
    { "softpipe", TRUE },
    { "Software Rasterizer", TRUE },
    { "Mesa DRI swrast", TRUE },
    { "Mesa Intel(R) UHD Graphics 620 (KBL GT2)", FALSE },
    { "AMD Radeon RX 6600 (navi23, LLVM 15.0.6, DRM 3.49, 6.1.0-13-amd64)", FALSE },
    { "NVIDIA GeForce GTX 1650/PCIe/SSE2", FALSE },
    { NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (vital_renderer_is_software_gl (cases[i].name), ==, cases[i].software);
}

static void
test_user_choice (void)
{
  g_setenv ("GSK_RENDERER", "ngl", TRUE);
  g_assert_cmpstr (vital_renderer_choose (gdk_display_get_default ()), ==, "ngl");
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "ngl");
}

static void
test_cairo_on_software_gl (void)
{
  g_autofree char *gl = vital_renderer_query_gl (gdk_display_get_default ());
  gboolean software = gl == NULL || vital_renderer_is_software_gl (gl);

  g_test_message ("OpenGL renderer: %s", gl ? gl : "none");
  g_unsetenv ("GSK_RENDERER");
  g_assert_cmpstr (vital_renderer_choose (gdk_display_get_default ()), ==,
                   software ? "cairo" : "gl");
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, software ? "cairo" : NULL);
}

int
main (int   argc,
      char *argv[])
{
  gboolean display;

  g_test_init (&argc, &argv, NULL);
  display = gtk_init_check ();
  g_test_add_func ("/app/renderer/software-names", test_software_names);
  if (display)
    {
      app_test_add_isolated ("/app/renderer/user-choice", test_user_choice);
      app_test_add_isolated ("/app/renderer/cairo-on-software-gl",
                             test_cairo_on_software_gl);
    }
  return g_test_run ();
}
