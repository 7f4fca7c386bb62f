/* vitalscan-cli.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Entry point of vitalscan-cli: picks the command from argv[1] and runs it.
 */
#include "vital-config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "vital-cli.h"

typedef struct
{
  const char *name;
  const char *summary;
  VitalCliCommandFunc run;
} VitalCliCommand;

static const VitalCliCommand commands[] = {
  { "placeholder", "write a synthetic capture payload to a file", vital_cli_placeholder },
  { "inspect", "print a payload's header, statistics and size per encoding", vital_cli_inspect },
  { "scan-tensor", "run one session for a payload file and print the vitals",
    vital_cli_scan_tensor },
  { "analyze", "measure a video file (capture, then one session) and print the vitals",
    vital_cli_analyze },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "Usage: vitalscan-cli COMMAND [OPTION…]\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-14s %s\n", commands[i].name, commands[i].summary);
  fprintf (out,
           "\nRun 'vitalscan-cli COMMAND --help' for a command's options.\n"
           "\nExit status: 0 success, 1 error, 2 usage, 3 network, 4 authentication,\n"
           "5 measurement failed.\n");
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");

  if (argc < 2)
    {
      print_usage (stderr);
      return VITAL_CLI_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
      || strcmp (argv[1], "help") == 0)
    {
      print_usage (stdout);
      return VITAL_CLI_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("vitalscan-cli %s\n", VITAL_VERSION);
      return VITAL_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  fprintf (stderr, "vitalscan-cli: unknown command “%s”\n\n", argv[1]);
  print_usage (stderr);
  return VITAL_CLI_EXIT_USAGE;
}
