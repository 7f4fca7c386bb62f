/* vital-cli.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The vitalscan-cli command table: each command is a function in its own vital-cli-*.c file.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes shared by every command (documented in `vitalscan-cli --help`). */
enum
{
  VITAL_CLI_EXIT_OK = 0,
  VITAL_CLI_EXIT_FAILURE = 1,    /* I/O or any other error */
  VITAL_CLI_EXIT_USAGE = 2,      /* bad command line */
  VITAL_CLI_EXIT_NETWORK = 3,    /* server unreachable, timeout */
  VITAL_CLI_EXIT_AUTH = 4,       /* missing/invalid key, forbidden, quota */
  VITAL_CLI_EXIT_PROCESSING = 5, /* the measurement failed (no face, no pulse, bad payload) */
};

typedef int (*VitalCliCommandFunc) (int argc, char **argv);

int vital_cli_placeholder (int argc, char **argv);
int vital_cli_inspect     (int argc, char **argv);
int vital_cli_scan_tensor (int argc, char **argv);
int vital_cli_analyze     (int argc, char **argv);

G_END_DECLS
