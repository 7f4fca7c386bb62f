/* server-soak.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Soak test of the vitalscan-server executable under a descriptor limit (1024 by default, soft
 * and hard): keep-alive clients run full scans through VitalClient (a new client, hence new
 * connections, every ten scans) for --minutes while hundreds of hostile connections from other
 * addresses sit idle, dribble headers or trickle bodies and come back whenever they are cut
 * off. Prints the server's descriptors and RSS over time, then whether the descriptors went
 * back to their idle level once everyone left. Exits non-zero on any scan error or when they
 * did not.
 */
#include "vital-config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <glib/gstdio.h>

#include "bench-util.h"
#include "vital-client.h"
#include "vital-test-util.h"

typedef enum
{
  HOSTILE_IDLE,          /* connects and says nothing */
  HOSTILE_SLOW_HEADERS,  /* a header byte every few seconds */
  HOSTILE_SLOW_BODY,     /* announces a body, then a byte every few seconds */
  N_HOSTILE_KINDS
} HostileKind;

typedef struct
{
  int         fd;
  HostileKind kind;
  char        source[16];
  gint64      next_us;   /* next byte, or next reconnection when fd < 0 */
} Hostile;

typedef struct
{
  /* Set before the threads start. */
  char    *url;
  char    *key;
  GBytes  *payload;
  gint64   deadline_us;
  guint    port;
  guint    n_hostile;
  guint    n_addresses;

  /* Counters, atomics. */
  gint     scans;
  gint     errors;
  gint     hostile_open;
  gint     hostile_cut;   /* hostile connections the server ended (timeouts, refusals) */
  gint     stop;

  GMutex   mutex;
  char    *first_error;
} Soak;

static const char *hostile_openers[N_HOSTILE_KINDS] = {
  "",
  "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ",
  "POST /sdk/session/start HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
  "Content-Length: 60000\r\n\r\n{",
};

static guint
count_fds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static double
rss_mib (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmRSS:");
  return line != NULL ? g_ascii_strtod (line + 6, NULL) / 1024.0 : 0;
}

static void
hostile_connect (Soak    *soak,
                 Hostile *h)
{
  struct sockaddr_in from = { .sin_family = AF_INET };
  struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons ((guint16) soak->port) };
  const char *opener = hostile_openers[h->kind];
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

  h->next_us = g_get_monotonic_time () + G_USEC_PER_SEC;
  if (fd < 0)
    return;
  inet_pton (AF_INET, h->source, &from.sin_addr);
  inet_pton (AF_INET, "127.0.0.1", &to.sin_addr);
  if (bind (fd, (struct sockaddr *) &from, sizeof from) != 0
      || (connect (fd, (struct sockaddr *) &to, sizeof to) != 0 && errno != EINPROGRESS))
    {
      close (fd);
      return;
    }
  if (*opener != '\0')
    send (fd, opener, strlen (opener), MSG_NOSIGNAL);
  h->fd = fd;
  h->next_us = g_get_monotonic_time () + 4 * G_USEC_PER_SEC;
  g_atomic_int_inc (&soak->hostile_open);
}

static void
hostile_drop (Soak    *soak,
              Hostile *h)
{
  close (h->fd);
  h->fd = -1;
  h->next_us = g_get_monotonic_time () + G_USEC_PER_SEC;  /* and come back */
  g_atomic_int_add (&soak->hostile_open, -1);
  g_atomic_int_inc (&soak->hostile_cut);
}

static gpointer
hostile_run (gpointer data)
{
  Soak *soak = data;
  g_autofree Hostile *hostile = g_new0 (Hostile, soak->n_hostile);
  g_autofree struct pollfd *polls = g_new0 (struct pollfd, soak->n_hostile);

  for (guint i = 0; i < soak->n_hostile; i++)
    {
      hostile[i].fd = -1;
      hostile[i].kind = (HostileKind) (i % N_HOSTILE_KINDS);
      g_snprintf (hostile[i].source, sizeof hostile[i].source, "127.0.0.%u",
                  2 + i % soak->n_addresses);
      hostile_connect (soak, &hostile[i]);
    }

  while (!g_atomic_int_get (&soak->stop))
    {
      gint64 now;

      for (guint i = 0; i < soak->n_hostile; i++)
        {
          polls[i].fd = hostile[i].fd;
          polls[i].events = POLLIN;
          polls[i].revents = 0;
        }
      poll (polls, soak->n_hostile, 100);
      now = g_get_monotonic_time ();
      for (guint i = 0; i < soak->n_hostile; i++)
        {
          Hostile *h = &hostile[i];

          if (h->fd >= 0 && (polls[i].revents & (POLLIN | POLLHUP | POLLERR)))
            {
              char buf[4096];
              ssize_t n = recv (h->fd, buf, sizeof buf, MSG_DONTWAIT);

              /* An answer (a refusal) or the end: either way it was cut off. */
              if (n >= 0 || (errno != EAGAIN && errno != EINTR))
                {
                  hostile_drop (soak, h);
                  continue;
                }
            }
          if (now < h->next_us)
            continue;
          if (h->fd < 0)
            hostile_connect (soak, h);
          else if (h->kind != HOSTILE_IDLE)
            {
              if (send (h->fd, "x", 1, MSG_NOSIGNAL) != 1)
                hostile_drop (soak, h);
              else
                h->next_us = now + 4 * G_USEC_PER_SEC;
            }
        }
    }
  for (guint i = 0; i < soak->n_hostile; i++)
    if (hostile[i].fd >= 0)
      close (hostile[i].fd);
  return NULL;
}

static gpointer
client_run (gpointer data)
{
  Soak *soak = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(VitalClient) client = NULL;
  guint done = 0;

  /* A VitalClient belongs to the thread-default context it was made in: one per thread. */
  g_main_context_push_thread_default (context);
  while (g_get_monotonic_time () < soak->deadline_us)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VitalSigns) signs = NULL;

      /* A fresh client every ten scans: its kept-alive connections close behind it. */
      if (client == NULL || done % 10 == 0)
        {
          g_clear_object (&client);
          client = vital_client_new (soak->url, soak->key);
        }
      signs = vital_client_scan_tensor_sync (client, soak->payload, NULL, NULL, &error);
      done++;
      if (signs != NULL)
        {
          g_atomic_int_inc (&soak->scans);
          continue;
        }
      g_atomic_int_inc (&soak->errors);
      g_mutex_lock (&soak->mutex);
      if (soak->first_error == NULL)
        soak->first_error = g_strdup (error->message);
      g_mutex_unlock (&soak->mutex);
    }
  g_clear_object (&client);
  g_main_context_pop_thread_default (context);
  return NULL;
}

typedef struct
{
  int limit;
} ChildLimit;

static void
limit_descriptors (gpointer data)
{
  ChildLimit *child = data;
  struct rlimit limit = { (rlim_t) child->limit, (rlim_t) child->limit };

  setrlimit (RLIMIT_NOFILE, &limit);
}

/* `vitalscan-server keygen`: the key (a comment line) and the key-file entry. */
static char *
make_key (const char  *server_bin,
          const char  *keys_path,
          GError     **error)
{
  const char *argv[] = { server_bin, "keygen", "--env", "live", "--owner", "soak",
                         "--rate-limit", "0", "--quota", "0", NULL };
  g_autofree char *out = NULL;
  const char *key;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                     &status, error)
      || !g_spawn_check_wait_status (status, error))
    return NULL;
  if (!g_file_set_contents (keys_path, out, -1, error))
    return NULL;
  key = strstr (out, "ck_live_");
  if (key == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "keygen printed no key");
      return NULL;
    }
  return g_strndup (key, strcspn (key, " \r\n"));
}

int
main (int    argc,
      char **argv)
{
  int minutes = 10, clients = 8, slow = 1000, addresses = 10, fd_limit = 1024, interval = 10;
  int frames = 900;
  g_autofree char *server_bin = NULL;
  GOptionEntry entries[] = {
    { "minutes", 'm', 0, G_OPTION_ARG_INT, &minutes, "How long the clients scan (10)", "M" },
    { "clients", 'c', 0, G_OPTION_ARG_INT, &clients, "Keep-alive clients doing scans (8)", "N" },
    { "slow", 's', 0, G_OPTION_ARG_INT, &slow, "Slow and idle connections (1000)", "N" },
    { "slow-addresses", 0, 0, G_OPTION_ARG_INT, &addresses,
      "Loopback addresses they come from, 127.0.0.2 on (10)", "N" },
    { "fd-limit", 0, 0, G_OPTION_ARG_INT, &fd_limit, "The server's descriptor limit (1024)",
      "N" },
    { "interval", 'i', 0, G_OPTION_ARG_INT, &interval, "Seconds between reports (10)", "S" },
    { "frames", 'f', 0, G_OPTION_ARG_INT, &frames, "Frames per scan payload (900)", "N" },
    { "server", 0, 0, G_OPTION_ARG_FILENAME, &server_bin, "The vitalscan-server to run",
      "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- soak test of vitalscan-server");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autofree char *dir = NULL;
  g_autofree char *keys_path = NULL;
  g_autofree char *data_path = NULL;
  g_autofree char *line = NULL;
  ChildLimit child;
  GThread *hostile_thread;
  struct rlimit own;
  Soak soak = { 0 };
  guint fds_idle, fds_end = 0, fds_peak = 0;
  double rss_idle, rss_peak = 0, rss_end;
  gint64 t0, next_report;
  GPid pid;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "server-soak: %s\n", error->message);
      return 2;
    }
  if (server_bin == NULL)
    server_bin = g_strdup (VITALSCAN_SERVER_BIN);
  minutes = MAX (minutes, 1);
  clients = CLAMP (clients, 1, 64);
  slow = CLAMP (slow, 0, 20000);
  addresses = CLAMP (addresses, 1, 200);
  interval = MAX (interval, 1);
  signal (SIGPIPE, SIG_IGN);
  /* The hostile side needs its descriptors. */
  if (getrlimit (RLIMIT_NOFILE, &own) == 0 && own.rlim_cur < own.rlim_max)
    {
      own.rlim_cur = own.rlim_max;
      setrlimit (RLIMIT_NOFILE, &own);
    }

  dir = g_dir_make_tmp ("vitalscan-soak-XXXXXX", &error);
  if (dir == NULL)
    {
      fprintf (stderr, "server-soak: %s\n", error->message);
      return 1;
    }
  keys_path = g_build_filename (dir, "keys.ini", NULL);
  data_path = g_build_filename (dir, "data", NULL);
  soak.key = make_key (server_bin, keys_path, &error);
  if (soak.key == NULL)
    {
      fprintf (stderr, "server-soak: %s\n", error->message);
      return 1;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  child.limit = fd_limit;
  g_subprocess_launcher_set_child_setup (launcher, limit_descriptors, &child, NULL);
  server = g_subprocess_launcher_spawn (launcher, &error, server_bin, "--port", "0", "--keys",
                                        keys_path, "--data-dir", data_path,
                                        "--anonymous-rate-limit", "0", "--quiet", NULL);
  if (server == NULL)
    {
      fprintf (stderr, "server-soak: %s\n", error->message);
      return 1;
    }
  pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (server), NULL, 10);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  if (line == NULL || strstr (line, "http://") == NULL)
    {
      fprintf (stderr, "server-soak: the server did not start\n");
      return 1;
    }
  soak.url = g_strndup (strstr (line, "http://"), strcspn (strstr (line, "http://"), " \n"));
  soak.port = (guint) g_ascii_strtoull (strrchr (soak.url, ':') + 1, NULL, 10);
  soak.n_hostile = (guint) slow;
  soak.n_addresses = (guint) addresses;
  g_mutex_init (&soak.mutex);

  soak.payload = bench_payload ((guint) CLAMP (frames, 30, 5400), &error);

  /* Warm up (one scan: the store, the engine, the thread pools) and read the idle level. */
  {
    g_autoptr(VitalClient) client = vital_client_new (soak.url, soak.key);
    g_autoptr(VitalSigns) signs = vital_client_scan_tensor_sync (client, soak.payload, NULL,
                                                                 NULL, &error);

    if (signs == NULL)
      {
        fprintf (stderr, "server-soak: the warm-up scan failed: %s\n", error->message);
        g_subprocess_send_signal (server, SIGTERM);
        return 1;
      }
  }
  g_usleep (G_USEC_PER_SEC);
  fds_idle = count_fds (pid);
  rss_idle = rss_mib (pid);

  printf ("conditions: %d keep-alive clients scanning for %d min (%d-frame payloads, a new "
          "client every 10 scans); %d slow and idle connections from %d addresses; server "
          "descriptor limit %d; %u CPUs\n", clients, minutes, frames, slow, addresses, fd_limit,
          g_get_num_processors ());
  printf ("idle: %u fds, %.1f MiB RSS\n", fds_idle, rss_idle);
  fflush (stdout);

  t0 = g_get_monotonic_time ();
  soak.deadline_us = t0 + (gint64) minutes * 60 * G_USEC_PER_SEC;
  hostile_thread = g_thread_new ("hostile", hostile_run, &soak);
  for (int i = 0; i < clients; i++)
    g_ptr_array_add (threads, g_thread_new ("client", client_run, &soak));

  next_report = t0 + (gint64) interval * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < soak.deadline_us)
    {
      guint fds;
      double rss;

      g_usleep (100 * 1000);
      fds = count_fds (pid);
      rss = rss_mib (pid);
      fds_peak = MAX (fds_peak, fds);
      rss_peak = MAX (rss_peak, rss);
      if (g_get_monotonic_time () < next_report)
        continue;
      next_report += (gint64) interval * G_USEC_PER_SEC;
      printf ("t=%4.0fs scans=%d errors=%d server_fds=%u server_rss_mib=%.1f hostile_open=%d "
              "hostile_cut=%d\n", (g_get_monotonic_time () - t0) / 1e6,
              g_atomic_int_get (&soak.scans), g_atomic_int_get (&soak.errors), fds, rss,
              g_atomic_int_get (&soak.hostile_open), g_atomic_int_get (&soak.hostile_cut));
      fflush (stdout);
    }

  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);
  g_atomic_int_set (&soak.stop, 1);
  g_thread_join (hostile_thread);

  /* Everyone has left: the descriptors must come back to the idle level. */
  for (int waited = 0; waited < 60; waited++)
    {
      fds_end = count_fds (pid);
      if (fds_end <= fds_idle)
        break;
      g_usleep (G_USEC_PER_SEC);
    }
  rss_end = rss_mib (pid);

  printf ("scans_completed: %d scans\n", g_atomic_int_get (&soak.scans));
  printf ("scans_per_min: %.1f scans/min\n", g_atomic_int_get (&soak.scans) / (double) minutes);
  printf ("errors: %d\n", g_atomic_int_get (&soak.errors));
  if (soak.first_error != NULL)
    printf ("first_error: %s\n", soak.first_error);
  printf ("hostile_connections_cut: %d\n", g_atomic_int_get (&soak.hostile_cut));
  printf ("server_fds_idle: %u fds\n", fds_idle);
  printf ("server_fds_peak: %u fds\n", fds_peak);
  printf ("server_fds_end: %u fds\n", fds_end);
  printf ("server_rss_idle: %.1f MiB\n", rss_idle);
  printf ("server_rss_peak: %.1f MiB\n", rss_peak);
  printf ("server_rss_end: %.1f MiB\n", rss_end);

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  vital_test_remove_tree (dir);
  return g_atomic_int_get (&soak.errors) == 0 && fds_end <= fds_idle ? 0 : 1;
}
