/* main.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Entry point of the `vitalscan` desktop app: finds its data (vital-data-dirs.c), then runs the
 * application.
 */
#include "vital-config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "vital-application.h"
#include "vital-data-dirs.h"
#include "vital-renderer.h"

/* Icons are looked up per display, so the extra folder is added once GTK has one. */
static void
add_icon_dir (GApplication *app,
              const char   *icon_dir)
{
  GdkDisplay *display = gdk_display_get_default ();

  if (display != NULL)
    gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (display), icon_dir);
}

/* Before the first window: GTK reads GSK_RENDERER once, when a window is realised. */
static void
choose_renderer (GApplication *app)
{
  GdkDisplay *display = gdk_display_get_default ();

  if (display != NULL)
    vital_renderer_choose (display);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(VitalApplication) app = NULL;
  g_autoptr(VitalDataDirs) dirs = NULL;
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  dirs = vital_data_dirs_find_for_self ();
  if (!vital_data_dirs_apply (dirs, &error))
    {
      g_printerr ("vitalscan: %s\n", error->message);
      return 1;
    }

  app = vital_application_new ();
  g_signal_connect_after (app, "startup", G_CALLBACK (choose_renderer), NULL);
  if (dirs->icon_dir != NULL)
    g_signal_connect_after (app, "startup", G_CALLBACK (add_icon_dir), dirs->icon_dir);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
