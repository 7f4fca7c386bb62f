/* test-cluster.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real cluster on loopback: a throwaway PostgreSQL (pg-harness.c), three vitalscan-server
 * processes sharing it, and Debian's HAProxy in front with health checks on /health. Clients
 * go through the balancer (or straight to one node): the session flow across nodes, quota
 * and rate limits exact under concurrent clients, a database restart, and two nodes killed
 * with SIGKILL while uploads and processing are under way — every session ends completed or
 * failed with a retryable error, none is left uploaded or processing, no quota unit is spent
 * twice. Skips, saying why, when PostgreSQL or HAProxy is not installed.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <libsoup/soup.h>

#include "pg-harness.h"
#include "vital-keys.h"
#include "vital-test-http.h"
#include "vital-test-util.h"

#define N_NODES 3
#define HAPROXY "/usr/sbin/haproxy"
#define NODE_TIMEOUT_S 3

#define TEST_KEY  "ck_test_aaaaaaaaaaaaaaaaaaaaaaaa"
#define LIVE_KEY  "ck_live_bbbbbbbbbbbbbbbbbbbbbbbb"
#define QUOTA_KEY "ck_live_eeeeeeeeeeeeeeeeeeeeeeee"
#define RATE_KEY  "ck_test_dddddddddddddddddddddddd"
#define KILL_KEY  "ck_live_ffffffffffffffffffffffff"
#define QUOTA 20
#define RATE 15
#define NODE_HEADER "X-Vitalscan-Node"  /* HAProxy's: which node answered */

typedef struct
{
  GPid     pid;
  guint    port;
  char    *data_dir;
  char    *node_id;
  gboolean alive;
} Node;

typedef struct
{
  PgHarness *pg;
  char      *uri;
  char      *dir;
  char      *keys_path;
  Node       nodes[N_NODES];
  GPid       haproxy;
  guint      lb_port;
  char      *lb_url;
} Cluster;

static Cluster *cluster;
static char *skip_reason;

/* ---- Processes --------------------------------------------------------------------------- */

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Starts a node on an ephemeral port and reads the port from its "listening on" line. */
static void
node_start (Node *node)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *public_url = g_strdup_printf ("http://127.0.0.1:%u", cluster->lb_port);
  const char *argv[] = { VITALSCAN_SERVER_BIN, "--address", "127.0.0.1", "--port", "0",
                         "--data-dir", node->data_dir, "--keys", cluster->keys_path,
                         "--database", cluster->uri, "--public-url", public_url,
                         "--node-timeout", G_STRINGIFY (NODE_TIMEOUT_S), "--node-poll-ms", "200",
                         "--workers", "1", "--trust-forwarded-for",
                         /* Every test client is 127.0.0.1: anonymous requests unlimited. */
                         "--anonymous-rate-limit", "0", "--quiet", NULL };
  g_autoptr(GString) line = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  int out = -1;
  const char *at;

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                           G_SPAWN_DO_NOT_REAP_CHILD, die_with_parent, NULL,
                                           &node->pid, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  while (strchr (line->str, '\n') == NULL)
    {
      struct pollfd pfd = { out, POLLIN, 0 };
      char buf[256];
      ssize_t n;

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (poll (&pfd, 1, 100) <= 0)
        continue;
      n = read (out, buf, sizeof buf);
      g_assert_cmpint (n, >, 0);
      g_string_append_len (line, buf, n);
    }
  close (out);
  at = strstr (line->str, "127.0.0.1:");
  g_assert_nonnull (at);
  node->port = (guint) atoi (at + strlen ("127.0.0.1:"));
  g_assert_cmpuint (node->port, >, 0);
  node->alive = TRUE;
  if (node->node_id == NULL)
    {
      g_autofree char *path = g_build_filename (node->data_dir, "node-id", NULL);

      g_assert_true (g_file_get_contents (path, &node->node_id, NULL, NULL));
      g_strstrip (node->node_id);
    }
}

static void
node_kill (Node *node)
{
  int status;

  if (!node->alive)
    return;
  kill (node->pid, SIGKILL);
  while (waitpid (node->pid, &status, 0) < 0 && errno == EINTR)
    ;
  g_spawn_close_pid (node->pid);
  node->alive = FALSE;
}

static void
haproxy_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) cfg = g_string_new (NULL);
  g_autofree char *path = g_build_filename (cluster->dir, "haproxy.cfg", NULL);
  const char *argv[] = { HAPROXY, "-f", path, "-db", "-q", NULL };
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  /* The configuration docs/deploy.md shows, on loopback ports. */
  g_string_append_printf (cfg,
                          "global\n"
                          "  maxconn 2000\n"
                          "defaults\n"
                          "  mode http\n"
                          "  timeout connect 2s\n"
                          "  timeout client 60s\n"
                          "  timeout server 60s\n"
                          "  timeout http-request 30s\n"
                          "  option redispatch\n"
                          "  retries 2\n"
                          "frontend api\n"
                          "  bind 127.0.0.1:%u\n"
                          "  default_backend nodes\n"
                          "backend nodes\n"
                          "  balance roundrobin\n"
                          "  option forwardfor\n"
                          "  option httpchk GET /health\n"
                          "  http-check expect status 200\n"
                          "  default-server inter 300ms fall 2 rise 1\n"
                          "  http-response set-header X-Vitalscan-Node %%s\n",
                          cluster->lb_port);
  for (guint i = 0; i < N_NODES; i++)
    g_string_append_printf (cfg, "  server node%u 127.0.0.1:%u check\n", i + 1,
                            cluster->nodes[i].port);
  g_assert_true (g_file_set_contents (path, cfg->str, -1, &error));
  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                die_with_parent, NULL, &cluster->haproxy, &error));
  g_assert_no_error (error);
  /* Ready once it answers /health through a node. */
  for (;;)
    {
      g_autoptr(SoupSession) session = soup_session_new ();
      g_autoptr(VitalTestReply) health = vital_test_request (session, "GET", cluster->lb_url,
                                                             "/health", NULL, NULL, NULL);

      if (health->status == 200)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
    }
}

static char *
keys_file_text (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const struct { const char *key; guint rate; guint quota; } keys[] = {
    { TEST_KEY, 0, 0 }, { LIVE_KEY, 0, 0 }, { QUOTA_KEY, 0, QUOTA }, { RATE_KEY, RATE, 0 },
    { KILL_KEY, 0, 10000 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *entry = vital_key_format_entry (keys[i].key, "cluster", keys[i].rate,
                                                       keys[i].quota);

      g_string_append (text, entry);
      g_string_append_c (text, '\n');
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
cluster_start (GError **error)
{
  g_autofree char *keys = NULL;

  if (!g_file_test (HAPROXY, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "HAProxy is not installed (build-aux/install-deps installs it)");
      return FALSE;
    }
  cluster = g_new0 (Cluster, 1);
  cluster->pg = pg_harness_start (error);
  if (cluster->pg == NULL || !pg_harness_create_database (cluster->pg, "cluster", error))
    return FALSE;
  cluster->uri = pg_harness_uri (cluster->pg, "cluster");
  cluster->dir = g_dir_make_tmp ("vitalscan-cluster-XXXXXX", error);
  if (cluster->dir == NULL)
    return FALSE;
  cluster->keys_path = g_build_filename (cluster->dir, "keys.ini", NULL);
  keys = keys_file_text ();
  if (!g_file_set_contents (cluster->keys_path, keys, -1, error))
    return FALSE;
  cluster->lb_port = vital_test_unused_port ();
  cluster->lb_url = g_strdup_printf ("http://127.0.0.1:%u", cluster->lb_port);
  for (guint i = 0; i < N_NODES; i++)
    {
      cluster->nodes[i].data_dir = g_strdup_printf ("%s/node%u", cluster->dir, i + 1);
      node_start (&cluster->nodes[i]);
    }
  haproxy_start ();
  return TRUE;
}

static void
cluster_free (void)
{
  if (cluster == NULL)
    return;
  if (cluster->haproxy != 0)
    {
      kill (cluster->haproxy, SIGTERM);
      waitpid (cluster->haproxy, NULL, 0);
      g_spawn_close_pid (cluster->haproxy);
    }
  for (guint i = 0; i < N_NODES; i++)
    {
      Node *node = &cluster->nodes[i];

      if (node->alive)
        {
          kill (node->pid, SIGTERM);
          waitpid (node->pid, NULL, 0);
          g_spawn_close_pid (node->pid);
        }
      g_free (node->data_dir);
      g_free (node->node_id);
    }
  g_clear_pointer (&cluster->pg, pg_harness_free);
  if (cluster->dir != NULL)
    vital_test_remove_tree (cluster->dir);
  g_free (cluster->dir);
  g_free (cluster->keys_path);
  g_free (cluster->uri);
  g_free (cluster->lb_url);
  g_clear_pointer (&cluster, g_free);
}

/* ---- The database, as an operator would look at it --------------------------------------- */

static gint64
sql_count (const char *sql,
           const char *param)
{
  PGconn *conn = PQconnectdb (cluster->uri);
  const char *values[] = { param };
  PGresult *res;
  gint64 n;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  res = PQexecParams (conn, sql, param != NULL ? 1 : 0, NULL, values, NULL, NULL, 0);
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_TUPLES_OK);
  n = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  PQclear (res);
  PQfinish (conn);
  return n;
}

static char *
key_id_of (const char *key)
{
  g_autoptr(VitalKeys) keys = vital_keys_new ();
  g_autoptr(GError) error = NULL;
  VitalKeyInfo *info;
  char *id;

  g_assert_true (vital_keys_add (keys, key, "x", 0, 0, &error));
  info = vital_keys_lookup (keys, key);
  id = g_strdup (info->key_id);
  vital_key_info_free (info);
  return id;
}

/* ---- HTTP -------------------------------------------------------------------------------- */

/* The session API's calls, to @base (a node or the balancer). Any answer is returned (status
 * 0: none), with its JSON body if it has one; HAProxy names the node in X-Vitalscan-Node. */
static VitalTestReply *
start_session (SoupSession *session,
               const char  *base,
               const char  *key)
{
  return vital_test_request (session, "POST", base, "/sdk/session/start", key, "{}", NULL);
}

static VitalTestReply *
upload (SoupSession *session,
        const char  *upload_url,
        GBytes      *payload)
{
  return vital_test_request (session, "PUT", NULL, upload_url, NULL, NULL, payload);
}

static VitalTestReply *
complete (SoupSession *session,
          const char  *base,
          const char  *key,
          const char  *id)
{
  g_autofree char *body = g_strdup_printf ("{\"session_id\":\"%s\"}", id);

  return vital_test_request (session, "POST", base, "/sdk/session/upload-complete", key, body,
                             NULL);
}

static VitalTestReply *
get (SoupSession *session,
     const char  *base,
     const char  *path,
     const char  *key)
{
  return vital_test_request (session, "GET", base, path, key, NULL, NULL);
}

/* The string member of a JSON answer; NULL when there is none (HAProxy's pages are HTML). */
static const char *
str (VitalTestReply *reply,
     const char     *member)
{
  return vital_test_json_string (reply->json, member);
}

static gboolean
boolean (VitalTestReply *reply,
         const char     *member)
{
  return vital_test_json_boolean (reply->json, member);
}

/* A transport failure, a balancer's 502/503/504 or the API's retryable 503: try again. */
static gboolean
retry_later (VitalTestReply *reply)
{
  return reply->status == 0 || reply->status == 502 || reply->status == 503
         || reply->status == 504;
}

/* ---- Tests ------------------------------------------------------------------------------- */

static gboolean
skip_if_no_cluster (void)
{
  if (cluster == NULL || skip_reason != NULL)
    {
      g_test_skip (skip_reason);
      return TRUE;
    }
  return FALSE;
}

static char *
node_url (guint i)
{
  return g_strdup_printf ("http://127.0.0.1:%u", cluster->nodes[i].port);
}

/* Start on node 1, upload through node 2 (the upload URL names the balancer; any node takes
 * it), upload-complete on node 3 — which waits inline for node 2's result — then the same
 * flow through the balancer, spread over the nodes. */
static void
test_session_flow (void)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 30, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GHashTable) nodes_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            NULL);
  g_autofree char *n1 = NULL;
  g_autofree char *n2 = NULL;
  g_autofree char *n3 = NULL;

  if (skip_if_no_cluster ())
    return;
  bytes = vital_test_placeholder_payload (900);
  n1 = node_url (0);
  n2 = node_url (1);
  n3 = node_url (2);
  {
    g_autoptr(VitalTestReply) start = start_session (session, n1, LIVE_KEY);
    g_autofree char *id = NULL;
    g_autofree char *put_url = NULL;
    g_autoptr(VitalTestReply) put = NULL;
    g_autoptr(VitalTestReply) done = NULL;
    g_autoptr(VitalTestReply) again = NULL;
    g_autoptr(VitalTestReply) history = NULL;

    g_assert_cmpuint (start->status, ==, 200);
    id = g_strdup (str (start, "session_id"));
    g_assert_true (g_str_has_prefix (str (start, "upload_url"), cluster->lb_url));
    /* Node 2 verifies a URL node 1 signed: one secret for the cluster. */
    put_url = g_strconcat (n2, str (start, "upload_url") + strlen (cluster->lb_url), NULL);
    put = upload (session, put_url, bytes);
    g_assert_cmpuint (put->status, ==, 200);
    done = complete (session, n3, LIVE_KEY, id);
    g_assert_cmpuint (done->status, ==, 200);
    g_assert_cmpstr (str (done, "status"), ==, "completed");
    g_assert_cmpfloat_with_epsilon (vital_test_json_double (done->json, "vitals.heart_rate"), 72.0,
                                    3.0);
    /* Delivered once, on every node. */
    {
      g_autofree char *path = g_strdup_printf ("/sdk/session/%s/result", id);

      again = get (session, n1, path, LIVE_KEY);
      g_assert_cmpuint (again->status, ==, 200);
      g_assert_cmpstr (str (again, "status"), ==, "completed");
      g_assert_false (boolean (again, "result_available"));
    }
    history = get (session, n2, "/sdk/sessions", LIVE_KEY);
    g_assert_cmpuint (history->status, ==, 200);
  }

  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(VitalTestReply) start = start_session (session, cluster->lb_url, TEST_KEY);
      g_autoptr(VitalTestReply) put = NULL;
      g_autoptr(VitalTestReply) done = NULL;
      g_autoptr(VitalTestReply) health = NULL;

      g_assert_cmpuint (start->status, ==, 200);
      g_hash_table_add (nodes_seen, g_strdup (vital_test_reply_header (start, NODE_HEADER)));
      put = upload (session, str (start, "upload_url"), bytes);
      g_assert_cmpuint (put->status, ==, 200);
      g_hash_table_add (nodes_seen, g_strdup (vital_test_reply_header (put, NODE_HEADER)));
      done = complete (session, cluster->lb_url, TEST_KEY, str (start, "session_id"));
      g_assert_cmpuint (done->status, ==, 200);
      g_assert_cmpstr (str (done, "status"), ==, "completed");
      g_assert_true (boolean (done, "sandbox"));
      health = get (session, cluster->lb_url, "/health", NULL);
      g_assert_cmpuint (health->status, ==, 200);
    }
  g_assert_cmpuint (g_hash_table_size (nodes_seen), ==, N_NODES);
}

typedef struct
{
  const char *key;
  guint       requests;
  guint       ok;
  guint       refused;
  const char *refusal;
} Burst;

static gpointer
burst_thread (gpointer data)
{
  Burst *burst = data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 30, NULL);

  for (guint i = 0; i < burst->requests; i++)
    {
      g_autoptr(VitalTestReply) reply = start_session (session, cluster->lb_url, burst->key);

      if (reply->status == 200)
        burst->ok++;
      else if (reply->status == 429 && g_strcmp0 (str (reply, "error"), burst->refusal) == 0)
        burst->refused++;
    }
  return NULL;
}

static void
run_burst (const char *key,
           const char *refusal,
           guint      *ok,
           guint      *refused)
{
  Burst bursts[6];
  GThread *threads[6];

  *ok = *refused = 0;
  for (guint i = 0; i < G_N_ELEMENTS (bursts); i++)
    {
      bursts[i] = (Burst) { key, 10, 0, 0, refusal };
      threads[i] = g_thread_new ("burst", burst_thread, &bursts[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bursts); i++)
    {
      g_thread_join (threads[i]);
      *ok += bursts[i].ok;
      *refused += bursts[i].refused;
    }
}

/* 60 session starts from six concurrent clients, spread over three nodes. */
static void
test_quota_and_rate_limit_exact (void)
{
  g_autofree char *quota_key_id = NULL;
  guint ok, refused;
  gint64 second;

  if (skip_if_no_cluster ())
    return;
  run_burst (QUOTA_KEY, "QUOTA_EXCEEDED", &ok, &refused);
  g_assert_cmpuint (ok, ==, QUOTA);
  g_assert_cmpuint (refused, ==, 60 - QUOTA);
  quota_key_id = key_id_of (QUOTA_KEY);
  g_assert_cmpint (sql_count ("SELECT sum(used) FROM quota WHERE key_id = $1", quota_key_id),
                   ==, QUOTA);

  /* One fixed one-minute window: keep the burst inside one. */
  second = g_get_real_time () / G_USEC_PER_SEC % 60;
  if (second > 45)
    g_usleep ((gulong) (61 - second) * G_USEC_PER_SEC);
  run_burst (RATE_KEY, "RATE_LIMIT_EXCEEDED", &ok, &refused);
  g_assert_cmpuint (ok, ==, RATE);
  g_assert_cmpuint (refused, ==, 60 - RATE);
}

/* The database restarts: clients get retryable answers meanwhile, nodes reconnect, and what
 * was stored before is all there. */
static void
test_database_restart (void)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 30, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalTestReply) before = NULL;
  g_autoptr(GBytes) bytes = vital_test_placeholder_payload (300);
  g_autofree char *id = NULL;
  g_autofree char *upload_url = NULL;
  gint64 deadline;
  gboolean served = FALSE;

  if (skip_if_no_cluster ())
    return;
  before = start_session (session, cluster->lb_url, TEST_KEY);
  g_assert_cmpuint (before->status, ==, 200);
  id = g_strdup (str (before, "session_id"));
  upload_url = g_strdup (str (before, "upload_url"));

  g_assert_true (pg_harness_stop_server (cluster->pg, &error));
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(VitalTestReply) during = start_session (session, cluster->lb_url, TEST_KEY);

      /* From a node (JSON, retryable) or from HAProxy once every node's health check fails. */
      g_assert_cmpuint (during->status, ==, 503);
      if (during->json != NULL)
        {
          g_assert_cmpstr (str (during, "error"), ==, "SERVICE_UNAVAILABLE");
          g_assert_true (boolean (during, "retryable"));
        }
    }
  g_assert_true (pg_harness_start_server (cluster->pg, &error));
  g_assert_no_error (error);

  /* Nodes reconnect by themselves (bounded wait), and the session from before goes on. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!served && g_get_monotonic_time () < deadline)
    {
      g_autoptr(VitalTestReply) put = upload (session, upload_url, bytes);

      served = put->status == 200;
      if (!served)
        {
          if (!retry_later (put))
            g_error ("an upload while the nodes reconnect got %u: %.*s", put->status,
                     put->body ? (int) g_bytes_get_size (put->body) : 0,
                     put->body ? (const char *) g_bytes_get_data (put->body, NULL) : "");
          g_usleep (100 * 1000);
        }
    }
  g_assert_true (served);
  {
    g_autoptr(VitalTestReply) done = NULL;

    /* The balancer may pick a node still inside its one-second reconnect back-off: that node
     * says 503 + retryable, and a client retries, as here. */
    deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
    while (TRUE)
      {
        g_clear_pointer (&done, vital_test_reply_free);
        done = complete (session, cluster->lb_url, TEST_KEY, id);
        if (!retry_later (done) || g_get_monotonic_time () >= deadline)
          break;
        g_usleep (100 * 1000);
      }
    g_assert_cmpuint (done->status, ==, 200);
    g_assert_cmpstr (str (done, "status"), ==, "completed");
  }
  /* Every node is back behind the balancer. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  for (guint i = 0; i < N_NODES; i++)
    {
      g_autofree char *url = node_url (i);
      g_autoptr(VitalTestReply) health = NULL;

      while ((health = get (session, url, "/health", NULL))->status != 200
             && g_get_monotonic_time () < deadline)
        {
          g_clear_pointer (&health, vital_test_reply_free);
          g_usleep (100 * 1000);
        }
      g_assert_cmpuint (health->status, ==, 200);
    }
}

typedef struct
{
  GBytes  *payload;
  guint    scans;
  guint    started;      /* sessions the client got an id for */
  guint    completed;
  guint    failed_retryable;
  guint    failed_other;
  guint    stuck;
} Scanner;

/* One scan as a careful client does it: retry what is retryable, and when the answer to
 * upload-complete is lost, ask for the result. */
static void
scan_once (Scanner     *scanner,
           SoupSession *session)
{
  g_autofree char *id = NULL;
  g_autofree char *upload_url = NULL;
  g_autofree char *result_path = NULL;
  gboolean uploaded = FALSE;
  gboolean complete_sent = FALSE;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  for (guint attempt = 0; id == NULL && attempt < 50; attempt++)
    {
      g_autoptr(VitalTestReply) start = start_session (session, cluster->lb_url, KILL_KEY);

      if (start->status == 200)
        {
          id = g_strdup (str (start, "session_id"));
          upload_url = g_strdup (str (start, "upload_url"));
        }
      else
        {
          g_assert_true (retry_later (start));
          g_usleep (100 * 1000);
        }
    }
  g_assert_nonnull (id);
  scanner->started++;
  result_path = g_strdup_printf ("/sdk/session/%s/result", id);

  for (guint attempt = 0; !uploaded && attempt < 50; attempt++)
    {
      /* A connection of its own: a PUT resent on a kept-alive connection that died under it
       * was seen to reach a node with an empty body (libsoup 3.2 behind HAProxy). */
      g_autoptr(SoupSession) fresh = soup_session_new_with_options ("timeout", 30, NULL);
      g_autoptr(VitalTestReply) put = upload (fresh, upload_url, scanner->payload);

      uploaded = put->status == 200;
      if (!uploaded)
        {
          if (!retry_later (put))
            g_error ("PUT answered %u %s: %s", put->status, str (put, "error"),
                     str (put, "message"));
          g_usleep (100 * 1000);
        }
    }
  g_assert_true (uploaded);

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(VitalTestReply) reply = NULL;
      const char *status;

      if (!complete_sent)
        {
          reply = complete (session, cluster->lb_url, KILL_KEY, id);
          if (reply->status == 200 || reply->status == 202 || reply->status == 409
              || reply->status == 422)
            complete_sent = TRUE;  /* accepted (409: an earlier try was, its answer lost) */
          if (reply->status == 503 && reply->json != NULL
              && g_strcmp0 (str (reply, "detail"), "Session failed") == 0)
            complete_sent = TRUE;  /* lost with its node: the result says so too */
          if (reply->status == 200 || reply->status == 422)
            {
              if (reply->status == 200)
                scanner->completed++;
              else
                scanner->failed_other++;
              return;
            }
          if (!complete_sent)
            {
              g_assert_true (retry_later (reply));
              g_usleep (100 * 1000);
              continue;
            }
          g_clear_pointer (&reply, vital_test_reply_free);
        }
      reply = get (session, cluster->lb_url, result_path, KILL_KEY);
      status = str (reply, "status");
      if (reply->status == 200 && g_strcmp0 (status, "completed") == 0)
        {
          scanner->completed++;
          return;
        }
      if (reply->status == 200 && g_strcmp0 (status, "failed") == 0)
        {
          if (boolean (reply, "retryable"))
            scanner->failed_retryable++;
          else
            scanner->failed_other++;
          return;
        }
      if (reply->status == 200 && g_strcmp0 (status, "uploaded") == 0)
        complete_sent = FALSE;  /* the upload-complete never arrived: send it again */
      g_usleep (100 * 1000);
    }
  scanner->stuck++;
}

static gpointer
scanner_thread (gpointer data)
{
  Scanner *scanner = data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 30, NULL);

  for (guint i = 0; i < scanner->scans; i++)
    scan_once (scanner, session);
  return NULL;
}

/* Waits (bounded) until @node holds sessions in @status, then kills it with SIGKILL. */
static gboolean
kill_when_holding (Node       *node,
                   const char *status)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM sessions WHERE payload_node = $1 "
                                          "AND status = '%s'", status);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      if (sql_count (sql, node->node_id) > 0)
        {
          node_kill (node);
          return TRUE;
        }
      g_usleep (2 * 1000);
    }
  return FALSE;
}

/* Eight clients scan while node 3 is killed holding uploads that wait for upload-complete and
 * node 2 is killed holding jobs in processing: node 1 carries on alone. */
static void
test_node_kill (void)
{
  g_autofree char *kill_key_id = NULL;
  g_autoptr(GBytes) bytes = NULL;
  Scanner scanners[8];
  GThread *threads[8];
  guint started = 0, completed = 0, retryable = 0, other = 0, stuck = 0;
  gboolean killed_uploading, killed_processing;

  if (skip_if_no_cluster ())
    return;
  bytes = vital_test_placeholder_payload (1800);
  for (guint i = 0; i < G_N_ELEMENTS (scanners); i++)
    {
      scanners[i] = (Scanner) { bytes, 4, 0, 0, 0, 0, 0 };
      threads[i] = g_thread_new ("scanner", scanner_thread, &scanners[i]);
    }
  killed_uploading = kill_when_holding (&cluster->nodes[2], "uploaded");
  killed_processing = kill_when_holding (&cluster->nodes[1], "processing");
  for (guint i = 0; i < G_N_ELEMENTS (scanners); i++)
    {
      g_thread_join (threads[i]);
      started += scanners[i].started;
      completed += scanners[i].completed;
      retryable += scanners[i].failed_retryable;
      other += scanners[i].failed_other;
      stuck += scanners[i].stuck;
    }
  g_test_message ("%u scans: %u completed, %u failed retryably (lost with their node), "
                  "%u failed otherwise, %u stuck", started, completed, retryable, other, stuck);
  g_assert_true (killed_uploading);
  g_assert_true (killed_processing);
  g_assert_cmpuint (started, ==, 32);
  g_assert_cmpuint (stuck, ==, 0);
  g_assert_cmpuint (other, ==, 0);
  g_assert_cmpuint (completed + retryable, ==, 32);
  g_assert_cmpuint (completed, >, 0);

  /* Nothing is left uploaded or processing on the dead nodes; a quota unit was spent once
   * per session created, retries included. */
  kill_key_id = key_id_of (KILL_KEY);
  g_assert_cmpint (sql_count ("SELECT count(*) FROM sessions WHERE key_id = $1 "
                              "AND status IN ('uploaded', 'processing')", kill_key_id), ==, 0);
  g_assert_cmpint (sql_count ("SELECT sum(used) FROM quota WHERE key_id = $1", kill_key_id), ==,
                   sql_count ("SELECT count(*) FROM sessions WHERE key_id = $1", kill_key_id));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);
  if (!cluster_start (&error))
    skip_reason = g_strdup_printf ("The cluster cannot be set up: %s", error->message);

  g_test_add_func ("/cluster/session-flow-across-nodes", test_session_flow);
  g_test_add_func ("/cluster/quota-and-rate-limit-exact", test_quota_and_rate_limit_exact);
  g_test_add_func ("/cluster/database-restart", test_database_restart);
  g_test_add_func ("/cluster/node-kill-during-uploads-and-processing", test_node_kill);

  status = g_test_run ();
  cluster_free ();
  g_free (skip_reason);
  return status;
}
