/* vitalscan-server.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `vitalscan-server` executable: `serve` (default) runs the session API until SIGINT or
 * SIGTERM, re-reading the key file on SIGHUP; `keygen` prints a new API key and the key-file
 * entry that accepts it. It lives in src/v1, the top of the server side, because it is the one
 * place that adds the /v1 dialect to a VitalServer.
 */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <glib-unix.h>

#include "vital-config.h"
#include "vital-server.h"
#include "vital-v1.h"

static gboolean
quit_on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* SIGHUP: the key file is read again; requests and jobs in flight are not disturbed. */
static gboolean
reload_keys_on_signal (gpointer data)
{
  VitalServer *server = data;
  g_autoptr(GError) error = NULL;

  if (vital_server_reload_keys (server, &error))
    g_print ("vitalscan-server: reloaded the key file (%u API keys)\n",
             vital_keys_get_count (vital_server_get_keys (server)));
  else
    g_printerr ("vitalscan-server: warning: the key file was not reloaded; the previous keys "
                "stay in use: %s\n", error->message);
  fflush (stdout);
  return G_SOURCE_CONTINUE;
}

static int
run_keygen (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new ("keygen - create an API key");
  g_autoptr(GError) error = NULL;
  g_autofree char *env = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *key = NULL;
  g_autofree char *entry = NULL;
  int rate_limit = 60;
  int quota = 1000;
  VitalKeyEnvironment environment;
  GOptionEntry entries[] = {
    { "env", 'e', 0, G_OPTION_ARG_STRING, &env, "test (sandbox) or live (default)", "ENV" },
    { "owner", 'o', 0, G_OPTION_ARG_STRING, &owner, "Who the key belongs to", "NAME" },
    { "rate-limit", 0, 0, G_OPTION_ARG_INT, &rate_limit, "Requests per minute (0 unlimited)",
      "N" },
    { "quota", 0, 0, G_OPTION_ARG_INT, &quota, "Live sessions per month (0 unlimited)", "N" },
    { NULL }
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("vitalscan-server keygen: %s\n", error->message);
      return 2;
    }
  if (env == NULL || g_strcmp0 (env, "live") == 0)
    environment = VITAL_KEY_ENV_LIVE;
  else if (g_strcmp0 (env, "test") == 0)
    environment = VITAL_KEY_ENV_TEST;
  else
    {
      g_printerr ("vitalscan-server keygen: --env must be test or live\n");
      return 2;
    }
  if (rate_limit < 0 || quota < 0)
    {
      g_printerr ("vitalscan-server keygen: limits cannot be negative\n");
      return 2;
    }
  key = vital_key_generate (environment, &error);
  if (key == NULL)
    {
      g_printerr ("vitalscan-server keygen: %s\n", error->message);
      return 1;
    }
  entry = vital_key_format_entry (key, owner != NULL ? owner : "unnamed", (guint) rate_limit,
                                  (guint) quota);
  g_print ("# API key (shown once; give it to the client, it is not stored anywhere):\n"
           "# %s\n"
           "# Append this entry to the server's key file (--keys):\n%s", key, entry);
  return 0;
}

/* Services often start with a soft descriptor limit of 1024 and a far higher hard one; every
 * client connection is a descriptor, so take what the hard limit allows. */
static void
raise_descriptor_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

static int
run_serve (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new ("[serve] - run the session API server");
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();
  g_autoptr(VitalServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *address = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *keys = NULL;
  g_autofree char *public_url = NULL;
  g_autofree char *database = NULL;
  g_autofree char *node_id = NULL;
  gboolean persist = FALSE;
  gboolean forwarded = FALSE;
  gboolean quiet = FALSE;
  int port = 8080;
  guint hup_id;
  int decoded_mb = -1, decoded_key_mb = -1;
  enum
  {
    RESULT_TTL, SESSION_TTL, BUDGET, WORKERS, ANONYMOUS, MAX_CONNECTIONS, PER_ADDRESS,
    REQUEST_TIMEOUT, BODY_TIMEOUT, WRITE_TIMEOUT, NODE_TIMEOUT, NODE_POLL_MS, N_UINTS
  };
  /* The whole-number options that each set a field of the configuration: a value of at least
   * min replaces the default, -1 (not given) leaves it. */
  struct
  {
    int    value;
    int    min;
    guint *field;
  } uints[N_UINTS] = {
    [RESULT_TTL] = { -1, 0, &config->result_ttl_s },
    [SESSION_TTL] = { -1, 1, &config->session_ttl_s },
    [BUDGET] = { -1, 0, &config->inline_budget_ms },
    [WORKERS] = { -1, 1, &config->workers },
    [ANONYMOUS] = { -1, 0, &config->anonymous_rate_limit },
    [MAX_CONNECTIONS] = { -1, 1, &config->max_connections },
    [PER_ADDRESS] = { -1, 1, &config->max_connections_per_address },
    [REQUEST_TIMEOUT] = { -1, 1, &config->request_timeout_s },
    [BODY_TIMEOUT] = { -1, 1, &config->body_timeout_s },
    [WRITE_TIMEOUT] = { -1, 1, &config->write_timeout_s },
    [NODE_TIMEOUT] = { -1, 1, &config->node_timeout_s },
    [NODE_POLL_MS] = { -1, 1, &config->node_poll_ms },
  };
  GOptionEntry entries[] = {
    { "address", 'a', 0, G_OPTION_ARG_STRING, &address, "Address to bind (default 127.0.0.1)",
      "IP" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port (default 8080; 0 picks one)", "PORT" },
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir,
      "Store, secret and spool directory (default: in memory, lost on exit)", "DIR" },
    { "keys", 'k', 0, G_OPTION_ARG_FILENAME, &keys, "Key file (see keygen); re-read when it "
      "changes and on SIGHUP", "FILE" },
    { "persist-vitals", 0, 0, G_OPTION_ARG_NONE, &persist,
      "Keep results for the result TTL (also PERSIST_VITALS=true)", NULL },
    { "result-ttl", 0, 0, G_OPTION_ARG_INT, &uints[RESULT_TTL].value,
      "Seconds results are kept (900)", "S" },
    { "session-ttl", 0, 0, G_OPTION_ARG_INT, &uints[SESSION_TTL].value,
      "Seconds before a session expires (900)", "S" },
    { "inline-budget-ms", 0, 0, G_OPTION_ARG_INT, &uints[BUDGET].value,
      "How long upload-complete waits to answer inline (3000)", "MS" },
    { "workers", 'w', 0, G_OPTION_ARG_INT, &uints[WORKERS].value, "Processing threads (2)", "N" },
    { "anonymous-rate-limit", 0, 0, G_OPTION_ARG_INT, &uints[ANONYMOUS].value,
      "Requests per minute per address without a valid key (600; 0 unlimited)", "N" },
    { "public-url", 0, 0, G_OPTION_ARG_STRING, &public_url,
      "Base URL clients reach the server at (for upload_url)", "URL" },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &uints[MAX_CONNECTIONS].value,
      "Open client connections in all (default: from the descriptor limit)", "N" },
    { "max-connections-per-address", 0, 0, G_OPTION_ARG_INT, &uints[PER_ADDRESS].value,
      "Open connections from one client address (default: an eighth of the total)", "N" },
    { "request-timeout", 0, 0, G_OPTION_ARG_INT, &uints[REQUEST_TIMEOUT].value,
      "Seconds a connection may take to send a request's headers, idle time included (30)",
      "S" },
    { "body-timeout", 0, 0, G_OPTION_ARG_INT, &uints[BODY_TIMEOUT].value,
      "Seconds a request body may go without a byte (30)", "S" },
    { "write-timeout", 0, 0, G_OPTION_ARG_INT, &uints[WRITE_TIMEOUT].value,
      "Seconds a response may go without the client reading (30)", "S" },
    { "max-decoded-mb", 0, 0, G_OPTION_ARG_INT, &decoded_mb,
      "MiB of decoded uploads held for upload-complete, in all (512)", "MB" },
    { "max-decoded-mb-per-key", 0, 0, G_OPTION_ARG_INT, &decoded_key_mb,
      "MiB of decoded uploads held for one key's sessions (256)", "MB" },
    { "database", 0, 0, G_OPTION_ARG_STRING, &database,
      "sqlite (default, in --data-dir) or a postgresql:// URI shared by the nodes of a cluster "
      "(also VITALSCAN_DATABASE)", "URI" },
    { "node-id", 0, 0, G_OPTION_ARG_STRING, &node_id,
      "This node's name in a cluster (default: kept in --data-dir)", "NAME" },
    { "node-timeout", 0, 0, G_OPTION_ARG_INT, &uints[NODE_TIMEOUT].value,
      "Seconds without a heartbeat before a node's jobs are failed as lost (10)", "S" },
    { "node-poll-ms", 0, 0, G_OPTION_ARG_INT, &uints[NODE_POLL_MS].value,
      "How often a cluster node heartbeats and polls for jobs and results (1000)", "MS" },
    { "trust-forwarded-for", 0, 0, G_OPTION_ARG_NONE, &forwarded,
      "Behind a load balancer: rate-limit anonymous requests by X-Forwarded-For", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Only log warnings", NULL },
    { NULL }
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (ctx, "Other commands:\n  keygen    create an API key "
                                         "(vitalscan-server keygen --help)\n");
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("vitalscan-server: %s\n", error->message);
      return 2;
    }
  if (argc > 2 || (argc == 2 && g_strcmp0 (argv[1], "serve") != 0))
    {
      g_printerr ("vitalscan-server: unknown command \"%s\"\n", argv[1]);
      return 2;
    }
  if (port < 0 || port > 65535)
    {
      g_printerr ("vitalscan-server: --port must be 0-65535\n");
      return 2;
    }
  if (!quiet && g_getenv ("G_MESSAGES_DEBUG") == NULL)
    g_setenv ("G_MESSAGES_DEBUG", "vitalscan-server", TRUE);

  if (!vital_server_config_apply_environment (config, &error))
    {
      g_printerr ("vitalscan-server: %s\n", error->message);
      return 2;
    }
  if (data_dir != NULL)
    {
      g_free (config->data_dir);
      config->data_dir = g_steal_pointer (&data_dir);
    }
  config->keys_file = g_steal_pointer (&keys);
  config->public_url = g_steal_pointer (&public_url);
  if (database != NULL)
    {
      g_free (config->database);
      config->database = g_steal_pointer (&database);
    }
  config->node_id = g_steal_pointer (&node_id);
  config->trust_forwarded_for = forwarded;
  if (persist)
    config->persist_vitals = TRUE;
  for (guint i = 0; i < N_UINTS; i++)
    if (uints[i].value >= uints[i].min)
      *uints[i].field = (guint) uints[i].value;
  if (decoded_mb >= 0)
    config->max_decoded_bytes = (guint64) decoded_mb * 1024 * 1024;
  if (decoded_key_mb >= 0)
    config->max_decoded_bytes_per_key = (guint64) decoded_key_mb * 1024 * 1024;

  raise_descriptor_limit ();
  server = vital_server_new (config, &error);
  if (server == NULL)
    {
      g_printerr ("vitalscan-server: %s\n", error->message);
      return 1;
    }
  if (vital_keys_get_count (vital_server_get_keys (server)) == 0)
    g_printerr ("vitalscan-server: warning: no API keys configured (use --keys; create one "
                "with \"vitalscan-server keygen\")\n");
  /* The /v1 platform dialect (video uploads, Bearer auth) rides on the same server. */
  vital_v1_install (server);
  if (!vital_server_listen (server, address != NULL ? address : "127.0.0.1", (guint) port,
                            &error))
    {
      g_printerr ("vitalscan-server: %s\n", error->message);
      return 1;
    }
  /* Handled from before the line below, which tells a supervisor the server is up. */
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_on_signal, loop);
  g_unix_signal_add (SIGTERM, quit_on_signal, loop);
  hup_id = g_unix_signal_add (SIGHUP, reload_keys_on_signal, server);
  g_print ("vitalscan-server %s listening on %s\n", VITAL_VERSION,
           vital_server_get_base_url (server));
  fflush (stdout);

  g_main_loop_run (loop);
  g_source_remove (hup_id);

  g_print ("vitalscan-server: shutting down, finishing in-flight work\n");
  vital_server_stop (server);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  if (argc >= 2 && g_strcmp0 (argv[1], "keygen") == 0)
    return run_keygen (argc - 1, argv + 1);
  return run_serve (argc, argv);
}
