/* vital-cli-session.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the commands of vitalscan-cli share around a session: reading their command line, the
 * client they talk through (a --server with its key, or an embedded server with a key of its
 * own), and Ctrl-C.
 */
#pragma once

#include "vital-client.h"
#include "vital-keys.h"
#include "vital-server.h"

G_BEGIN_DECLS

/* The options of every command that runs a session, in its GOptionEntry array, read into a
 * VitalCliSession: where to send it, with which key, and whether to print JSON. */
#define VITAL_CLI_SESSION_OPTIONS(session) \
  { "server", 's', 0, G_OPTION_ARG_STRING, &(session)->server_url, \
    "Session API server (default: an embedded local server)", "URL" }, \
  { "api-key", 'k', 0, G_OPTION_ARG_STRING, &(session)->api_key, \
    "API key for --server (default: $VITALSCAN_API_KEY)", "KEY" }, \
  { "json", 'j', 0, G_OPTION_ARG_NONE, &(session)->json, \
    "Print the result (or error) as JSON", NULL }

/* The session a command runs: its options, the client, the server it runs on when there is no
 * --server, and what Ctrl-C cancels. Clear with vital_cli_session_clear() (g_auto). */
typedef struct
{
  char         *server_url;
  char         *api_key;
  gboolean      json;
  VitalClient  *client;
  VitalServer  *embedded;
  GCancellable *cancellable;
  guint         sigint_id;
} VitalCliSession;

gboolean     vital_cli_parse_command_line   (GOptionContext          *context,
                                             const GOptionEntry      *entries,
                                             const char              *description,
                                             const char              *prog,
                                             const char              *operand,
                                             int                     *argc,
                                             char                  ***argv);
gboolean     vital_cli_connect              (VitalCliSession         *session,
                                             const char              *prog,
                                             int                     *out_status);
gboolean     vital_cli_connect_embedded     (VitalCliSession         *session,
                                             const char              *prog,
                                             VitalKeyEnvironment      environment);
void         vital_cli_session_catch_sigint (VitalCliSession         *session);
VitalSigns  *vital_cli_session_scan         (VitalCliSession         *session,
                                             GBytes                  *payload,
                                             const VitalDemographics *demographics,
                                             GError                 **error);
void         vital_cli_session_clear        (VitalCliSession         *session);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VitalCliSession, vital_cli_session_clear)

G_END_DECLS
