/* cluster-load.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same client load (C concurrent clients running full live scans through HAProxy) on one
 * vitalscan-server node with its SQLite store, then on 1, 2 and 3 nodes sharing one
 * throwaway PostgreSQL, then on 3 nodes while one is killed with SIGKILL. Prints scans per
 * minute, p50/p99 from upload-complete to the result in hand, CPU per scan (nodes and
 * database) and errors, as "name: value unit" lines with the conditions.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "bench-util.h"
#include "pg-harness.h"
#include "vital-test-util.h"
#include "vital-keys.h"
#include "vital-tensor.h"

#define HAPROXY "/usr/sbin/haproxy"
#define MAX_NODES 3

typedef struct
{
  GPid     pid;
  guint    port;
  gboolean alive;
} Node;

typedef struct
{
  const char *base_url;
  const char *key;
  GBytes     *payload;
  guint       scans;
  gboolean    careful;       /* retry what is retryable and rescan a lost session */
  GArray     *result_ms;     /* upload-complete → result in hand, double */
  guint       errors;
  guint       rescans;       /* sessions lost with a killed node, scanned again */
  guint       stuck;         /* sessions never finished (lost) */
  char       *first_error;
} Client;

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static guint
free_port (void)
{
  g_autoptr(GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                          G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  if (!g_socket_bind (sock, any, TRUE, NULL))
    return 0;
  bound = g_socket_get_local_address (sock, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
node_start (Node        *node,
            const char  *data_dir,
            const char  *keys,
            const char  *database,
            const char  *public_url,
            guint        workers,
            GError     **error)
{
  g_autofree char *workers_text = g_strdup_printf ("%u", workers);
  const char *argv[] = { VITALSCAN_SERVER_BIN, "--address", "127.0.0.1", "--port", "0",
                         "--data-dir", data_dir, "--keys", keys, "--database", database,
                         "--public-url", public_url, "--workers", workers_text,
                         "--node-timeout", "3", "--node-poll-ms", "200",
                         "--anonymous-rate-limit", "0", "--trust-forwarded-for", "--quiet",
                         NULL };
  g_autoptr(GString) line = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  int out = -1;
  const char *at;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                 die_with_parent, NULL, &node->pid, NULL, &out, NULL, error))
    return FALSE;
  while (strchr (line->str, '\n') == NULL && g_get_monotonic_time () < deadline)
    {
      struct pollfd pfd = { out, POLLIN, 0 };
      char buf[256];
      ssize_t n;

      if (poll (&pfd, 1, 100) <= 0)
        continue;
      n = read (out, buf, sizeof buf);
      if (n <= 0)
        break;
      g_string_append_len (line, buf, n);
    }
  close (out);
  at = strstr (line->str, "127.0.0.1:");
  if (at == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "a node did not start");
      return FALSE;
    }
  node->port = (guint) atoi (at + strlen ("127.0.0.1:"));
  node->alive = TRUE;
  return TRUE;
}

static void
node_stop (Node *node,
           int   signum)
{
  if (!node->alive)
    return;
  kill (node->pid, signum);
  while (waitpid (node->pid, NULL, 0) < 0 && errno == EINTR)
    ;
  g_spawn_close_pid (node->pid);
  node->alive = FALSE;
}

static gboolean
haproxy_start (const char  *dir,
               guint        port,
               Node        *nodes,
               guint        n_nodes,
               GPid        *out_pid,
               GError     **error)
{
  g_autoptr(GString) cfg = g_string_new (NULL);
  g_autofree char *path = g_build_filename (dir, "haproxy.cfg", NULL);
  const char *argv[] = { HAPROXY, "-f", path, "-db", "-q", NULL };
  g_autofree char *health = g_strdup_printf ("http://127.0.0.1:%u/health", port);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_string_append_printf (cfg, "global\n  maxconn 2000\ndefaults\n  mode http\n"
                               "  timeout connect 2s\n  timeout client 60s\n"
                               "  timeout server 60s\n  option redispatch\n  retries 2\n"
                               "frontend api\n  bind 127.0.0.1:%u\n  default_backend nodes\n"
                               "backend nodes\n  balance roundrobin\n  option forwardfor\n"
                               "  option httpchk GET /health\n  http-check expect status 200\n"
                               "  default-server inter 500ms fall 2 rise 1\n", port);
  for (guint i = 0; i < n_nodes; i++)
    g_string_append_printf (cfg, "  server node%u 127.0.0.1:%u check\n", i + 1, nodes[i].port);
  if (!g_file_set_contents (path, cfg->str, -1, error)
      || !g_spawn_async (NULL, (char **) argv, NULL,
                         G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                         die_with_parent, NULL, out_pid, error))
    return FALSE;
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(SoupSession) session = soup_session_new ();
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", health);
      g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);

      if (body != NULL && soup_message_get_status (msg) == 200)
        return TRUE;
      g_usleep (50 * 1000);
    }
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "HAProxy did not come up");
  return FALSE;
}

/* utime + stime of @pid (and, with @children, of the processes whose parent it is), in ms. */
static double
cpu_ms_of (GPid     pid,
           gboolean children)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  double ticks = 0;
  long hz = sysconf (_SC_CLK_TCK);

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *stat = NULL;
      g_auto(GStrv) fields = NULL;
      const char *after;
      int this_pid = atoi (name);

      if (this_pid <= 0)
        continue;
      path = g_strdup_printf ("/proc/%s/stat", name);
      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      after = strrchr (stat, ')');
      if (after == NULL)
        continue;
      fields = g_strsplit (after + 2, " ", 0);
      if (g_strv_length (fields) < 13)
        continue;
      /* fields[1] is the parent, [11] utime, [12] stime (after pid and comm). */
      if (this_pid == pid || (children && atoi (fields[1]) == pid))
        ticks += g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL);
    }
  return ticks * 1000.0 / hz;
}

static gboolean
retryable_status (guint status)
{
  return status == 0 || status == 502 || status == 503 || status == 504;
}

typedef enum { SCAN_COMPLETED, SCAN_LOST, SCAN_ERROR, SCAN_STUCK } ScanOutcome;

/* One scan; the careful client retries what is retryable and reports a session lost with its
 * node (failed, retryable) so that it is scanned again. */
static ScanOutcome
scan (Client      *c,
      SoupSession *session)
{
  g_autofree char *url = g_strconcat (c->base_url, "/sdk/session/start", NULL);
  g_autofree char *id = NULL;
  g_autofree char *upload_url = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o = NULL;
  guint status = 0;
  guint tries = c->careful ? 50 : 1;
  gboolean sent = FALSE;
  gint64 t0 = 0;
  gint64 deadline;

  for (guint i = 0; i < tries && id == NULL; i++)
    {
      g_autoptr(SoupMessage) msg = bench_api_message ("POST", url, c->key, "{}");

      g_clear_pointer (&root, json_node_unref);
      o = bench_send_json (session, msg, &status, &root);
      if (status == 200 && o != NULL)
        {
          id = g_strdup (json_object_get_string_member (o, "session_id"));
          upload_url = g_strdup (json_object_get_string_member (o, "upload_url"));
        }
      else if (!retryable_status (status))
        break;
      else
        g_usleep (100 * 1000);
    }
  if (id == NULL)
    return SCAN_ERROR;

  status = 0;
  for (guint i = 0; i < tries && status != 200; i++)
    {
      /* A fresh connection per try (see tests/server/test-cluster.c). */
      g_autoptr(SoupSession) fresh = c->careful ? soup_session_new () : g_object_ref (session);
      g_autoptr(SoupMessage) msg = soup_message_new ("PUT", upload_url);

      soup_message_set_request_body_from_bytes (msg, "application/octet-stream", c->payload);
      g_clear_pointer (&root, json_node_unref);
      bench_send_json (fresh, msg, &status, &root);
      if (status != 200 && !retryable_status (status))
        break;
      if (status != 200)
        g_usleep (100 * 1000);
    }
  if (status != 200)
    return SCAN_ERROR;

  g_free (url);
  url = g_strconcat (c->base_url, "/sdk/session/upload-complete", NULL);
  body = g_strdup_printf ("{\"session_id\":\"%s\"}", id);
  deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(SoupMessage) msg = NULL;
      const char *state;

      if (!sent)
        {
          msg = bench_api_message ("POST", url, c->key, body);
          t0 = g_get_monotonic_time ();
          g_clear_pointer (&root, json_node_unref);
          o = bench_send_json (session, msg, &status, &root);
          if (status == 200 && o != NULL)
            {
              g_array_append_val (c->result_ms,
                                  (double) { (g_get_monotonic_time () - t0) / 1000.0 });
              return SCAN_COMPLETED;
            }
          if (status == 202 || status == 409)
            sent = TRUE;
          else if (status == 503 && o != NULL
                   && g_strcmp0 (json_object_get_string_member_with_default (o, "detail", ""),
                                 "Session failed") == 0)
            return SCAN_LOST;
          else if (!c->careful || !retryable_status (status))
            return SCAN_ERROR;
          else
            {
              /* No answer at all: it may have been accepted, so ask for the result; a 5xx
               * from the balancer or a node: send it again. */
              sent = status == 0;
              g_usleep (100 * 1000);
            }
          continue;
        }
      {
        g_autofree char *result_url = g_strdup_printf ("%s/sdk/session/%s/result", c->base_url,
                                                       id);

        msg = bench_api_message ("GET", result_url, c->key, NULL);
      }
      g_clear_pointer (&root, json_node_unref);
      o = bench_send_json (session, msg, &status, &root);
      state = o != NULL ? json_object_get_string_member_with_default (o, "status", "") : "";
      if (status == 200 && g_strcmp0 (state, "completed") == 0)
        {
          g_array_append_val (c->result_ms,
                              (double) { (g_get_monotonic_time () - t0) / 1000.0 });
          return SCAN_COMPLETED;
        }
      if (status == 200 && g_strcmp0 (state, "failed") == 0)
        return json_object_get_boolean_member_with_default (o, "retryable", FALSE)
               ? SCAN_LOST : SCAN_ERROR;
      if (status == 200 && g_strcmp0 (state, "uploaded") == 0)
        sent = FALSE;
      else if (status != 200 && !(c->careful && retryable_status (status)))
        return SCAN_ERROR;
      g_usleep (20 * 1000);
    }
  return SCAN_STUCK;
}

static gpointer
client_run (gpointer data)
{
  Client *c = data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 120, NULL);

  for (guint i = 0; i < c->scans; i++)
    {
      ScanOutcome outcome;

      /* A lost session is scanned again, as its error says. */
      while ((outcome = scan (c, session)) == SCAN_LOST && c->careful)
        c->rescans++;
      if (outcome == SCAN_ERROR)
        {
          c->errors++;
          if (c->first_error == NULL)
            c->first_error = g_strdup ("a scan ended in an error that is not retryable");
        }
      else if (outcome == SCAN_STUCK)
        c->stuck++;
      else if (outcome == SCAN_LOST)
        c->errors++;
    }
  return NULL;
}

typedef struct
{
  double scans_per_min;
  double p50;
  double p99;
  double cpu_per_scan;
  guint  errors;
  guint  rescans;
  guint  stuck;
  guint  done;
} Figures;

/* Runs the load on @n_nodes nodes over @database ("sqlite" or a URI), optionally killing the
 * last node @kill_after_s seconds in. */
static gboolean
run_scenario (const char  *name,
              const char  *database,
              PgHarness   *pg,
              guint        n_nodes,
              guint        workers,
              guint        concurrency,
              guint        scans,
              GBytes      *payload,
              const char  *key,
              const char  *keys_path,
              double       kill_after_s,
              Figures     *out,
              GError     **error)
{
  g_autofree char *dir = g_dir_make_tmp ("vitalscan-cluster-load-XXXXXX", error);
  g_autofree char *lb_url = NULL;
  g_autofree Client *clients = NULL;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  Node nodes[MAX_NODES] = { 0 };
  GPid haproxy = 0;
  guint lb_port = free_port ();
  double cpu0 = 0, cpu1 = 0;
  gint64 t0;
  double elapsed_s;

  if (dir == NULL)
    return FALSE;
  lb_url = g_strdup_printf ("http://127.0.0.1:%u", lb_port);
  for (guint i = 0; i < n_nodes; i++)
    {
      g_autofree char *data_dir = g_strdup_printf ("%s/node%u", dir, i + 1);

      if (!node_start (&nodes[i], data_dir, keys_path, database, lb_url, workers, error))
        return FALSE;
    }
  if (!haproxy_start (dir, lb_port, nodes, n_nodes, &haproxy, error))
    return FALSE;

  clients = g_new0 (Client, concurrency);
  for (guint i = 0; i < n_nodes; i++)
    cpu0 += cpu_ms_of (nodes[i].pid, FALSE);
  if (pg != NULL)
    cpu0 += cpu_ms_of (pg_harness_get_pid (pg), TRUE);
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < concurrency; i++)
    {
      clients[i].base_url = lb_url;
      clients[i].key = key;
      clients[i].payload = payload;
      clients[i].scans = scans / concurrency + (i < scans % concurrency ? 1 : 0);
      clients[i].careful = kill_after_s > 0;
      clients[i].result_ms = g_array_new (FALSE, FALSE, sizeof (double));
      g_ptr_array_add (threads, g_thread_new ("client", client_run, &clients[i]));
    }
  if (kill_after_s > 0)
    {
      g_usleep ((gulong) (kill_after_s * G_USEC_PER_SEC));
      node_stop (&nodes[n_nodes - 1], SIGKILL);
    }
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);
  elapsed_s = (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC;
  for (guint i = 0; i < n_nodes; i++)
    if (nodes[i].alive)
      cpu1 += cpu_ms_of (nodes[i].pid, FALSE);
  if (pg != NULL)
    cpu1 += cpu_ms_of (pg_harness_get_pid (pg), TRUE);

  memset (out, 0, sizeof *out);
  for (guint i = 0; i < concurrency; i++)
    {
      g_array_append_vals (all, clients[i].result_ms->data, clients[i].result_ms->len);
      out->errors += clients[i].errors;
      out->rescans += clients[i].rescans;
      out->stuck += clients[i].stuck;
      if (clients[i].first_error != NULL && out->errors > 0)
        fprintf (stderr, "cluster-load: %s: %s\n", name, clients[i].first_error);
      g_free (clients[i].first_error);
    }
  out->done = all->len;
  out->scans_per_min = out->done / elapsed_s * 60.0;
  out->p50 = bench_percentile (all, 0.50);
  out->p99 = bench_percentile (all, 0.99);
  /* A killed node's CPU is not counted (it cannot be read any more): a lower bound there. */
  out->cpu_per_scan = out->done > 0 ? MAX (cpu1 - cpu0, 0) / out->done : 0;
  for (guint i = 0; i < concurrency; i++)
    g_array_unref (clients[i].result_ms);

  if (haproxy != 0)
    {
      kill (haproxy, SIGTERM);
      waitpid (haproxy, NULL, 0);
      g_spawn_close_pid (haproxy);
    }
  for (guint i = 0; i < n_nodes; i++)
    node_stop (&nodes[i], SIGTERM);
  vital_test_remove_tree (dir);
  return TRUE;
}

static int
cmp_throughput (const void *a,
                const void *b)
{
  double x = ((const Figures *) a)->scans_per_min, y = ((const Figures *) b)->scans_per_min;

  return x < y ? -1 : x > y;
}

static void
print_figures (const char    *name,
               const Figures *f)
{
  printf ("%s_scans_per_min: %.1f scans/min\n", name, f->scans_per_min);
  printf ("%s_result_p50: %.1f ms\n", name, f->p50);
  printf ("%s_result_p99: %.1f ms\n", name, f->p99);
  printf ("%s_cpu_per_scan: %.1f ms\n", name, f->cpu_per_scan);
  printf ("%s_errors: %u\n", name, f->errors);
}

int
main (int    argc,
      char **argv)
{
  int concurrency = 4, scans = 60, frames = 900, workers = 2, rounds = 3;
  GOptionEntry entries[] = {
    { "concurrency", 'c', 0, G_OPTION_ARG_INT, &concurrency, "Concurrent clients (4)", "N" },
    { "scans", 'n', 0, G_OPTION_ARG_INT, &scans, "Scans per scenario (60)", "N" },
    { "frames", 'f', 0, G_OPTION_ARG_INT, &frames, "Frames per payload (900 = 30 s)", "N" },
    { "workers", 'w', 0, G_OPTION_ARG_INT, &workers, "Processing threads per node (2)", "N" },
    { "rounds", 'r', 0, G_OPTION_ARG_INT, &rounds,
      "Alternating SQLite / PostgreSQL single-node rounds, the median reported (3)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- the session API on a cluster");
  g_autoptr(GError) error = NULL;
  g_autoptr(PgHarness) pg = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autofree char *key = NULL;
  g_autofree char *entry = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *keys_path = NULL;
  Figures sqlite1, pg_n[MAX_NODES], killed;
  g_autofree Figures *sqlite_rounds = NULL;
  g_autofree Figures *pg_rounds = NULL;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "cluster-load: %s\n", error->message);
      return 2;
    }
  concurrency = CLAMP (concurrency, 1, 64);
  scans = MAX (scans, concurrency);
  frames = CLAMP (frames, 30, VITAL_TENSOR_MAX_FRAMES);
  rounds = CLAMP (rounds, 1, 9);
  signal (SIGPIPE, SIG_IGN);

  if (!g_file_test (HAPROXY, G_FILE_TEST_IS_EXECUTABLE))
    {
      printf ("cluster-load: skipped: HAProxy is not installed (build-aux/install-deps)\n");
      return 0;
    }
  pg = pg_harness_start (&error);
  if (pg == NULL || !pg_harness_create_database (pg, "bench", &error))
    {
      printf ("cluster-load: skipped: %s\n", error->message);
      return 0;
    }

  payload = bench_payload ((guint) frames, &error);
  key = vital_key_generate (VITAL_KEY_ENV_LIVE, &error);
  dir = g_dir_make_tmp ("vitalscan-cluster-keys-XXXXXX", &error);
  if (payload == NULL || key == NULL || dir == NULL)
    {
      fprintf (stderr, "cluster-load: %s\n", error->message);
      return 1;
    }
  keys_path = g_build_filename (dir, "keys.ini", NULL);
  entry = vital_key_format_entry (key, "bench", 0, 0);
  g_file_set_contents (keys_path, entry, -1, NULL);

  printf ("conditions: %d clients, %d live scans per scenario, %d frames (%.0f s at 30 fps), "
          "payload %" G_GSIZE_FORMAT " bytes, %d processing threads per node, %u cores\n",
          concurrency, scans, frames, frames / 30.0, g_bytes_get_size (payload), workers,
          g_get_num_processors ());
  printf ("conditions: clients go through HAProxy (round robin, /health checks) in every "
          "scenario; nodes, HAProxy, PostgreSQL (fsync off, Unix socket) and clients share "
          "this machine; CPU per scan counts the nodes and the database, not HAProxy or the "
          "clients\n");
  fflush (stdout);

  /* The single node on SQLite and on PostgreSQL, alternately, so that whatever else the
   * machine does weighs on both alike; the median round of each is reported. */
  sqlite_rounds = g_new0 (Figures, rounds);
  pg_rounds = g_new0 (Figures, rounds);
  for (int r = 0; r < rounds; r++)
    {
      g_autofree char *uri = pg_harness_uri (pg, "bench");

      if (!run_scenario ("sqlite_1node", "sqlite", NULL, 1, (guint) workers,
                         (guint) concurrency, (guint) scans, payload, key, keys_path, 0,
                         &sqlite_rounds[r], &error)
          || !run_scenario ("postgresql_1node", uri, pg, 1, (guint) workers,
                            (guint) concurrency, (guint) scans, payload, key, keys_path, 0,
                            &pg_rounds[r], &error))
        goto fail;
      printf ("round_%d: sqlite %.1f, postgresql %.1f scans/min\n", r + 1,
              sqlite_rounds[r].scans_per_min, pg_rounds[r].scans_per_min);
      fflush (stdout);
    }
  qsort (sqlite_rounds, (size_t) rounds, sizeof (Figures), cmp_throughput);
  qsort (pg_rounds, (size_t) rounds, sizeof (Figures), cmp_throughput);
  sqlite1 = sqlite_rounds[rounds / 2];
  pg_n[0] = pg_rounds[rounds / 2];
  print_figures ("sqlite_1node", &sqlite1);
  print_figures ("postgresql_1node", &pg_n[0]);
  for (int r = 0; r < rounds; r++)
    {
      sqlite1.errors += r != rounds / 2 ? sqlite_rounds[r].errors : 0;
      pg_n[0].errors += r != rounds / 2 ? pg_rounds[r].errors : 0;
    }
  printf ("single_node_errors_all_rounds: %u sqlite, %u postgresql\n", sqlite1.errors,
          pg_n[0].errors);
  fflush (stdout);
  for (guint n = 2; n <= MAX_NODES; n++)
    {
      g_autofree char *uri = pg_harness_uri (pg, "bench");
      g_autofree char *name = g_strdup_printf ("postgresql_%unode", n);

      if (!run_scenario (name, uri, pg, n, (guint) workers, (guint) concurrency, (guint) scans,
                         payload, key, keys_path, 0, &pg_n[n - 1], &error))
        goto fail;
      print_figures (name, &pg_n[n - 1]);
      fflush (stdout);
    }
  {
    g_autofree char *uri = pg_harness_uri (pg, "bench");

    if (!run_scenario ("kill", uri, pg, MAX_NODES, (guint) workers, (guint) concurrency,
                       (guint) scans, payload, key, keys_path, 5.0, &killed, &error))
      goto fail;
  }
  print_figures ("postgresql_3node_kill", &killed);
  printf ("postgresql_3node_kill_rescans: %u scans (sessions lost with the killed node, "
          "failed retryably and scanned again)\n", killed.rescans);
  printf ("postgresql_3node_kill_lost_sessions: %u\n", killed.stuck);
  printf ("postgresql_1node_vs_sqlite_throughput: %.1f %%\n",
          sqlite1.scans_per_min > 0 ? 100.0 * pg_n[0].scans_per_min / sqlite1.scans_per_min : 0);
  printf ("note: on this %u-core machine more nodes add no cores: the point is the shared "
          "database's overhead against SQLite, and that nothing breaks (no errors, no lost "
          "session) as nodes are added or killed\n", g_get_num_processors ());
  g_unlink (keys_path);
  g_rmdir (dir);
  return 0;

fail:
  fprintf (stderr, "cluster-load: %s\n", error->message);
  return 1;
}
