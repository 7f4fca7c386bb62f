/* main.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Entry point of the `vitalscan` desktop app.
 */
#include "vital-config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "vital-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(VitalApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, VITAL_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = vital_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
