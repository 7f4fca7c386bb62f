/* vital-cli-session.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the commands of vitalscan-cli share around a session: reading their command line, the
 * client they talk through (a --server with its key, or an embedded server with a key of its
 * own), and Ctrl-C.
 */
#include "vital-config.h"

#include <glib-unix.h>
#include <signal.h>
#include <string.h>

#include "vital-cli.h"
#include "vital-cli-output.h"
#include "vital-cli-session.h"

/**
 * vital_cli_parse_command_line:
 * @context: the command's option context
 * @entries: its options
 * @description: (nullable): the text --help prints after the options
 * @prog: the command's name for messages ("vitalscan-cli analyze")
 * @operand: what the one argument left after the options must be, for the message when it
 *   is not there ("one video file (see --help)")
 * @argc: (inout): argument count, argv[0] being the command name
 * @argv: (inout) (array length=argc): the arguments; the options are taken out
 *
 * Parses the options and checks that exactly one argument is left. On a usage error the
 * message is printed on stderr, and the caller returns %VITAL_CLI_EXIT_USAGE.
 *
 * Returns: %TRUE when the command line is usable
 */
gboolean
vital_cli_parse_command_line (GOptionContext      *context,
                              const GOptionEntry  *entries,
                              const char          *description,
                              const char          *prog,
                              const char          *operand,
                              int                 *argc,
                              char              ***argv)
{
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (description != NULL)
    g_option_context_set_description (context, description);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s: %s\n", prog, error->message);
      return FALSE;
    }
  if (*argc != 2)
    {
      g_printerr ("%s: expected %s\n", prog, operand);
      return FALSE;
    }
  return TRUE;
}

/**
 * vital_cli_connect:
 * @session: the session, with a --server and without a client yet
 * @prog: the command's name for messages
 * @out_status: (out): the exit status when %FALSE is returned
 *
 * Gives @session a client for its --server, when the URL is usable and the key (--api-key, else
 * $VITALSCAN_API_KEY) well formed (checked locally, before any request). What is wrong is
 * printed on stderr, and with --json the refused key's error JSON on stdout.
 *
 * Returns: %TRUE when @session has its client
 */
gboolean
vital_cli_connect (VitalCliSession *session,
                   const char      *prog,
                   int             *out_status)
{
  g_autoptr(VitalClient) client = NULL;
  g_autoptr(GError) error = NULL;
  const char *key = session->api_key;

  if (key == NULL)
    key = g_getenv ("VITALSCAN_API_KEY");
  client = vital_client_new (session->server_url, key);
  if (vital_client_get_base_url (client) == NULL)
    {
      g_printerr ("%s: “%s” is not a valid http:// or https:// URL\n", prog,
                  session->server_url);
      *out_status = VITAL_CLI_EXIT_USAGE;
      return FALSE;
    }
  if (!vital_client_check_key (client, &error))
    {
      if (session->json)
        vital_cli_print_json_error (error, NULL);
      g_printerr ("%s: %s (use --api-key or VITALSCAN_API_KEY)\n", prog, error->message);
      *out_status = VITAL_CLI_EXIT_AUTH;
      return FALSE;
    }
  session->client = g_steal_pointer (&client);
  return TRUE;
}

/**
 * vital_cli_connect_embedded:
 * @session: the session, without a client yet
 * @prog: the command's name for messages
 * @environment: the environment of the one-off key (test: sandbox vitals, live: the engine)
 *
 * Starts a default-configured server on 127.0.0.1 with an ephemeral port and one fresh
 * in-memory key, so a scan needs no key file and nothing leaves the machine, and gives
 * @session a client for it. When the server cannot start, why is printed on stderr, and the
 * caller returns %VITAL_CLI_EXIT_FAILURE.
 *
 * Returns: %TRUE when @session has its server and client
 */
gboolean
vital_cli_connect_embedded (VitalCliSession     *session,
                            const char          *prog,
                            VitalKeyEnvironment  environment)
{
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();
  g_autoptr(VitalServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  key = vital_key_generate (environment, &error);
  if (key != NULL)
    server = vital_server_new (config, &error);
  if (server == NULL
      || !vital_server_add_key (server, key, "vitalscan-cli", 0, 0, &error)
      || !vital_server_listen_local (server, 0, &error))
    {
      g_printerr ("%s: cannot start the embedded server: %s\n", prog, error->message);
      return FALSE;
    }

  session->client = vital_client_new (vital_server_get_base_url (server), key);
  /* Loopback: poll briskly. */
  vital_client_set_poll_interval (session->client, 100);
  /* The client and the server hold their own copies: this one does not linger in freed memory. */
  memset (key, 0, strlen (key));
  session->embedded = g_steal_pointer (&server);
  return TRUE;
}

static gboolean
on_sigint (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_CONTINUE;
}

/**
 * vital_cli_session_catch_sigint:
 * @session: the session
 *
 * From now until the scan is over, SIGINT cancels @session's cancellable (every time it comes)
 * instead of ending the process, so an interrupted command still reports, stops its embedded
 * server and exits with a status.
 */
void
vital_cli_session_catch_sigint (VitalCliSession *session)
{
  if (session->cancellable == NULL)
    session->cancellable = g_cancellable_new ();
  if (session->sigint_id == 0)
    session->sigint_id = g_unix_signal_add (SIGINT, on_sigint, session->cancellable);
}

/**
 * vital_cli_session_scan:
 * @session: a session with its client
 * @payload: the encoded tensor
 * @demographics: (nullable): sent with the session's start
 * @error: return location for a #GError
 *
 * Runs one full session for @payload (blocking), cancelled by Ctrl-C. When it is over, Ctrl-C
 * is no longer caught and the embedded server, if any, has stopped.
 *
 * Returns: (transfer full) (nullable): the result, or %NULL with @error set
 */
VitalSigns *
vital_cli_session_scan (VitalCliSession         *session,
                        GBytes                  *payload,
                        const VitalDemographics *demographics,
                        GError                 **error)
{
  VitalSigns *signs;

  vital_cli_session_catch_sigint (session);
  signs = vital_client_scan_tensor_sync (session->client, payload, demographics,
                                         session->cancellable, error);
  g_clear_handle_id (&session->sigint_id, g_source_remove);
  if (session->embedded != NULL)
    vital_server_stop (session->embedded);
  return signs;
}

/**
 * vital_cli_session_clear:
 * @session: a session
 *
 * Stops catching Ctrl-C and releases the client, the embedded server, the cancellable and the
 * options.
 */
void
vital_cli_session_clear (VitalCliSession *session)
{
  g_clear_pointer (&session->server_url, g_free);
  g_clear_pointer (&session->api_key, g_free);
  g_clear_handle_id (&session->sigint_id, g_source_remove);
  g_clear_object (&session->client);
  g_clear_object (&session->embedded);
  g_clear_object (&session->cancellable);
}
