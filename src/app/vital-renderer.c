/* vital-renderer.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Which GSK renderer draws the app. On software GL (Mesa's llvmpipe, softpipe or swrast, as
 * on thin clients and VMs without a GPU) GTK's GL renderer redraws the whole window per camera
 * frame on the CPU: bench/app-preview measured 20 fps at 186 % CPU there against 30 fps at
 * 69 % with the cairo renderer. So unless the user chose one (GSK_RENDERER), the app asks the
 * display's OpenGL who renders and takes cairo when the answer is software.
 */
#include "vital-renderer.h"

#include <epoxy/gl.h>

/**
 * vital_renderer_is_software_gl:
 * @gl_renderer: (nullable): what glGetString (GL_RENDERER) said
 *
 * Returns: %TRUE when @gl_renderer names one of Mesa's CPU rasterisers
 */
gboolean
vital_renderer_is_software_gl (const char *gl_renderer)
{
  static const char *const software[] = { "llvmpipe", "softpipe", "swrast",
                                          "Software Rasterizer" };

  if (gl_renderer == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (software); i++)
    if (strstr (gl_renderer, software[i]) != NULL)
      return TRUE;
  return FALSE;
}

/**
 * vital_renderer_query_gl:
 * @display: a display
 *
 * Asks the display's OpenGL who renders (glGetString (GL_RENDERER)) on a context of its own.
 *
 * Returns: (transfer full) (nullable): the renderer string, or %NULL when there is no usable GL
 */
char *
vital_renderer_query_gl (GdkDisplay *display)
{
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  char *name;

  if (!gdk_display_prepare_gl (display, &error))
    return NULL;
  context = gdk_display_create_gl_context (display, &error);
  if (context == NULL || !gdk_gl_context_realize (context, &error))
    return NULL;
  gdk_gl_context_make_current (context);
  name = g_strdup ((const char *) glGetString (GL_RENDERER));
  gdk_gl_context_clear_current ();
  return name;
}

/**
 * vital_renderer_choose:
 * @display: the display the app's windows will be on
 *
 * Picks the renderer before the first window is realised (GTK reads GSK_RENDERER once, then):
 * the user's GSK_RENDERER when set, else cairo on software GL, else GTK's own choice.
 *
 * Returns: (transfer none): the renderer the windows will use: "cairo", "gl", or the user's
 *   choice as given
 */
const char *
vital_renderer_choose (GdkDisplay *display)
{
  const char *chosen = g_getenv ("GSK_RENDERER");
  g_autofree char *gl_renderer = NULL;

  g_return_val_if_fail (GDK_IS_DISPLAY (display), NULL);

  if (chosen != NULL && chosen[0] != '\0')
    return chosen;
  gl_renderer = vital_renderer_query_gl (display);
  if (gl_renderer == NULL || vital_renderer_is_software_gl (gl_renderer))
    {
      g_debug ("drawing with cairo: OpenGL is %s", gl_renderer ? gl_renderer : "unavailable");
      g_setenv ("GSK_RENDERER", "cairo", TRUE);
      return "cairo";
    }
  return "gl";
}
