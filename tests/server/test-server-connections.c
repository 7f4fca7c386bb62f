/* test-server-connections.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server's transport under hostile and long-running load, over raw sockets: kept-alive
 * connections closed by the client give their descriptors back, idle, slow-header and stalled
 * connections are timed out, connections are capped in all and per client address (loopback
 * has all of 127/8, so tests connect from several addresses), the listener recovers when
 * descriptors run out, and a refused upload is answered and drained so the client reads it.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <json-glib/json-glib.h>

#include "vital-server-private.h"
#include "vital-test-server.h"
#include "vital-test-util.h"

#define LIVE_KEY "ck_live_bbbbbbbbbbbbbbbbbbbbbbbb"

typedef struct
{
  VitalServer *server;
  guint        port;
} Fixture;

static void
start (Fixture           *f,
       VitalServerConfig *config)
{
  static const VitalTestKey live = { LIVE_KEY, "tests", 0, 0 };

  config->maintenance_interval_s = 0;
  f->server = vital_test_server_start (config, &live, 1);
  f->port = vital_server_get_port (f->server);
}

static void
stop (Fixture *f)
{
  vital_server_stop (f->server);
  g_clear_object (&f->server);
}

/* ---- raw sockets ------------------------------------------------------------------------- */

static int
connect_from (const char *source,
              guint       port)
{
  struct sockaddr_in from = { .sin_family = AF_INET };
  struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons ((guint16) port) };
  struct timeval timeout = { .tv_sec = 10 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  inet_pton (AF_INET, source, &from.sin_addr);
  inet_pton (AF_INET, "127.0.0.1", &to.sin_addr);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &from, sizeof from), ==, 0);
  g_assert_cmpint (connect (fd, (struct sockaddr *) &to, sizeof to), ==, 0);
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  return fd;
}

static gboolean
send_all (int         fd,
          const void *data,
          gsize       len)
{
  const char *p = data;

  while (len > 0)
    {
      ssize_t n = send (fd, p, len, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      p += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* One response (headers and a Content-Length body), or NULL on end of stream or error. */
static char *
read_response (int fd)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *end;
  const char *length;
  gsize want;

  while ((end = strstr (text->str, "\r\n\r\n")) == NULL)
    {
      char c;

      if (recv (fd, &c, 1, 0) != 1)
        return NULL;
      g_string_append_c (text, c);
    }
  length = strstr (text->str, "Content-Length: ");
  want = (gsize) (end - text->str) + 4 + (length != NULL ? strtoul (length + 16, NULL, 10) : 0);
  while (text->len < want)
    {
      char buf[4096];
      ssize_t n = recv (fd, buf, MIN (sizeof buf, want - text->len), 0);

      if (n <= 0)
        return NULL;
      g_string_append_len (text, buf, n);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static guint
status_of (const char *response)
{
  g_assert_nonnull (response);
  g_assert_true (g_str_has_prefix (response, "HTTP/1.1 "));
  return (guint) strtoul (response + 9, NULL, 10);
}

static JsonObject *
json_of (const char *response,
         JsonNode  **out_node)
{
  *out_node = vital_test_json_parse (strstr (response, "\r\n\r\n") + 4);
  return vital_test_json_object (*out_node);
}

/* Waits for the server to end the connection (end of stream or reset). */
static gboolean
closed_within (int fd,
               int ms)
{
  struct pollfd p = { .fd = fd, .events = POLLIN };
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      char buf[4096];
      ssize_t n;

      if (poll (&p, 1, 50) <= 0)
        continue;
      n = recv (fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
        return TRUE;
    }
  return FALSE;
}

#define HEALTH "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"

static char *
health_from (const char *source,
             guint       port)
{
  int fd = connect_from (source, port);
  char *response = send_all (fd, HEALTH, strlen (HEALTH)) ? read_response (fd) : NULL;

  close (fd);
  return response;
}

/* Sends @request (a GET /health) on @fd and asserts a 200 answer.
 *
 * Returns: (transfer full): the answer */
static char *
assert_health (int         fd,
               const char *request)
{
  char *response;

  g_assert_true (send_all (fd, request, strlen (request)));
  response = read_response (fd);
  g_assert_cmpuint (status_of (response), ==, 200);
  return response;
}

static guint
count_fds (void)
{
  return vital_test_count_files ("/proc/self/fd", NULL);
}

/* Waits (bounded) for the server's descriptors and connection count to settle to @fds. */
static void
assert_settles (Fixture *f,
                guint    fds)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while ((count_fds () > fds || vital_server_count_connections (f->server) > 0)
         && g_get_monotonic_time () < deadline)
    g_usleep (20000);
  g_assert_cmpuint (vital_server_count_connections (f->server), ==, 0);
  g_assert_cmpuint (count_fds (), <=, fds);
}

/* ---- tests ------------------------------------------------------------------------------- */

/* libsoup 3.2 left every kept-alive connection the client closed in CLOSE-WAIT, for ever. */
static void
test_keepalive_closed_by_client (void)
{
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();
  Fixture f = { 0 };
  guint baseline;

  start (&f, config);
  baseline = count_fds ();
  for (int i = 0; i < 50; i++)
    {
      int fd = connect_from ("127.0.0.1", f.port);

      for (int r = 0; r < 3; r++)
        g_free (assert_health (fd, HEALTH));
      close (fd);
    }
  assert_settles (&f, baseline);
  stop (&f);
}

static void
test_keepalive_reuses_connection (void)
{
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();
  Fixture f = { 0 };
  int fd;

  start (&f, config);
  fd = connect_from ("127.0.0.1", f.port);
  for (int r = 0; r < 5; r++)
    {
      g_autofree char *response = assert_health (fd, HEALTH);

      g_assert_null (strstr (response, "Connection: close"));
      g_assert_cmpuint (vital_server_count_connections (f.server), ==, 1);
    }
  /* An explicit close: answered, then closed. */
  g_free (assert_health (fd, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  g_assert_true (closed_within (fd, 2000));
  close (fd);
  stop (&f);
}

static void
test_idle_and_slow_headers_time_out (void)
{
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();
  Fixture f = { 0 };
  guint baseline;
  int idle, slow, kept;

  config->request_timeout_s = 1;
  start (&f, config);
  baseline = count_fds ();
  idle = connect_from ("127.0.0.1", f.port);
  slow = connect_from ("127.0.0.1", f.port);
  g_assert_true (send_all (slow, "GET /hea", 8));
  kept = connect_from ("127.0.0.1", f.port);
  g_free (assert_health (kept, HEALTH));
  /* A header byte every half second does not keep a connection alive either. */
  for (int i = 0; i < 3; i++)
    {
      g_usleep (G_USEC_PER_SEC / 2);
      send (slow, "l", 1, MSG_NOSIGNAL);
    }
  g_assert_true (closed_within (idle, 3000));
  g_assert_true (closed_within (slow, 3000));
  g_assert_true (closed_within (kept, 3000));
  close (idle);
  close (slow);
  close (kept);
  assert_settles (&f, baseline);
  stop (&f);
}

static char *
start_session (guint port)
{
  g_autofree char *request = g_strdup_printf ("POST /sdk/session/start HTTP/1.1\r\nHost: x\r\n"
                                              "X-API-Key: " LIVE_KEY "\r\n"
                                              "Content-Type: application/json\r\n"
                                              "Content-Length: 2\r\n\r\n{}");
  int fd = connect_from ("127.0.0.1", port);
  g_autofree char *response = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  g_autoptr(GUri) uri = NULL;

  g_assert_true (send_all (fd, request, strlen (request)));
  response = read_response (fd);
  close (fd);
  g_assert_cmpuint (status_of (response), ==, 200);
  object = json_of (response, &node);
  uri = g_uri_parse (json_object_get_string_member (object, "upload_url"), G_URI_FLAGS_ENCODED,
                     NULL);
  g_assert_nonnull (uri);
  return g_strdup_printf ("%s?%s", g_uri_get_path (uri), g_uri_get_query (uri));
}

static void
test_stalled_body_times_out (void)
{
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();
  Fixture f = { 0 };
  g_autofree char *target = NULL;
  g_autofree char *request = NULL;
  guint baseline;
  int fd;

  config->body_timeout_s = 1;
  start (&f, config);
  target = start_session (f.port);
  baseline = count_fds ();
  fd = connect_from ("127.0.0.1", f.port);
  request = g_strdup_printf ("PUT %s HTTP/1.1\r\nHost: x\r\n"
                             "Content-Type: application/octet-stream\r\n"
                             "Content-Length: 100000\r\n\r\n0123456789", target);
  g_assert_true (send_all (fd, request, strlen (request)));
  g_assert_true (closed_within (fd, 4000));
  close (fd);
  assert_settles (&f, baseline);
  stop (&f);
}

/* Headers in, body not: a request in progress, which nothing evicts. */
static int
busy_from (const char *source,
           guint       port)
{
  const char *partial = "POST /sdk/session/start HTTP/1.1\r\nHost: x\r\n"
                        "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{";
  int fd = connect_from (source, port);

  g_assert_true (send_all (fd, partial, strlen (partial)));
  return fd;
}

static void
test_connection_caps (void)
{
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();
  Fixture f = { 0 };
  int held[8];
  int waiting;
  g_autofree char *refused = NULL;
  g_autofree char *other = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  config->max_connections = 8;
  config->max_connections_per_address = 4;
  start (&f, config);

  /* Four requests in progress from one address fill its share ... */
  for (int i = 0; i < 4; i++)
    held[i] = busy_from ("127.0.0.2", f.port);
  g_usleep (G_USEC_PER_SEC / 5);
  /* ... the next one from there is refused in the API's error shape ... */
  refused = health_from ("127.0.0.2", f.port);
  g_assert_cmpuint (status_of (refused), ==, 503);
  g_assert_nonnull (strstr (refused, "Retry-After: 1"));
  object = json_of (refused, &node);
  g_assert_cmpstr (json_object_get_string_member (object, "error"), ==, "SERVICE_UNAVAILABLE");
  g_assert_true (json_object_get_boolean_member (object, "retryable"));
  /* ... while other addresses are served, up to the total. */
  other = health_from ("127.0.0.3", f.port);
  g_assert_cmpuint (status_of (other), ==, 200);
  for (int i = 4; i < 8; i++)
    held[i] = busy_from (i < 6 ? "127.0.0.4" : "127.0.0.5", f.port);
  g_usleep (G_USEC_PER_SEC / 5);
  g_clear_pointer (&refused, g_free);
  refused = health_from ("127.0.0.6", f.port);
  g_assert_cmpuint (status_of (refused), ==, 503);

  /* Full, but one connection only waits (here: says nothing): it makes room for a new one. */
  close (held[7]);
  g_usleep (G_USEC_PER_SEC / 2);
  waiting = connect_from ("127.0.0.7", f.port);
  g_usleep (G_USEC_PER_SEC / 5);
  g_clear_pointer (&other, g_free);
  other = health_from ("127.0.0.8", f.port);
  g_assert_cmpuint (status_of (other), ==, 200);
  g_assert_true (closed_within (waiting, 2000));
  close (waiting);

  /* Freed connections are counted out at once. */
  for (int i = 0; i < 7; i++)
    close (held[i]);
  g_usleep (G_USEC_PER_SEC / 2);
  g_clear_pointer (&other, g_free);
  other = health_from ("127.0.0.2", f.port);
  g_assert_cmpuint (status_of (other), ==, 200);
  stop (&f);
}

/* What a client sends when it uploads without `Expect: 100-continue` (Python requests, curl
 * below 1 MiB): the whole body, then it reads. A refusal must reach it, not a reset. */
static void
test_refused_upload_is_drained (void)
{
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();
  Fixture f = { 0 };
  gsize body_len = 6 * 1024 * 1024;
  g_autofree char *body = g_malloc0 (body_len);

  start (&f, config);
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *target = start_session (f.port);
      g_autofree char *tampered = NULL;
      g_autofree char *request = NULL;
      g_autofree char *response = NULL;
      g_autoptr(JsonNode) node = NULL;
      char *signature;
      int fd;

      /* A wrong signature: refused (403) from the headers. */
      tampered = g_strdup (target);
      signature = strstr (tampered, "signature=") + strlen ("signature=");
      signature[0] = signature[0] == 'a' ? 'b' : 'a';
      request = g_strdup_printf ("PUT %s HTTP/1.1\r\nHost: x\r\n"
                                 "Content-Type: application/octet-stream\r\n"
                                 "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", tampered,
                                 body_len);
      fd = connect_from ("127.0.0.1", f.port);
      g_assert_true (send_all (fd, request, strlen (request)));
      g_assert_true (send_all (fd, body, body_len));
      response = read_response (fd);
      g_assert_nonnull (response);
      g_assert_cmpuint (status_of (response), ==, 403);
      g_assert_cmpstr (json_object_get_string_member (json_of (response, &node), "error"), ==,
                       "FORBIDDEN");
      close (fd);
    }
  stop (&f);
}

static void
lower_descriptor_limit (gpointer data)
{
  struct rlimit limit = { 48, 48 };

  setrlimit (RLIMIT_NOFILE, &limit);
}

/* Out of descriptors, the listener backs off and accepts again once some are free. */
static void
test_descriptor_exhaustion_recovers (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *response = NULL;
  const char *url;
  guint port;
  int held[64];

  g_subprocess_launcher_set_child_setup (launcher, lower_descriptor_limit, NULL, NULL);
  /* Caps above the descriptor limit, so that the limit itself is reached. */
  server = g_subprocess_launcher_spawn (launcher, &error, VITALSCAN_SERVER_BIN, "--port", "0",
                                        "--quiet", "--max-connections", "1000",
                                        "--max-connections-per-address", "1000", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  url = strstr (line, "http://127.0.0.1:");
  g_assert_nonnull (url);
  port = (guint) strtoul (url + strlen ("http://127.0.0.1:"), NULL, 10);

  for (int i = 0; i < 64; i++)
    {
      held[i] = connect_from ("127.0.0.1", port);
      send_all (held[i], "GET /hea", 8);
    }
  g_usleep (G_USEC_PER_SEC / 2);
  for (int i = 0; i < 64; i++)
    close (held[i]);
  /* The back-off is 100 ms; allow for the held connections to be noticed first. */
  for (int attempt = 0; attempt < 20 && response == NULL; attempt++)
    {
      g_usleep (G_USEC_PER_SEC / 10);
      response = health_from ("127.0.0.7", port);
    }
  g_assert_cmpuint (status_of (response), ==, 200);

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, &error);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Refusing connections is logged as a warning on purpose; here it is what is tested. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  signal (SIGPIPE, SIG_IGN);
  g_test_add_func ("/server/connections/keepalive-closed-by-client",
                   test_keepalive_closed_by_client);
  g_test_add_func ("/server/connections/keepalive-reuse", test_keepalive_reuses_connection);
  g_test_add_func ("/server/connections/idle-and-slow-headers",
                   test_idle_and_slow_headers_time_out);
  g_test_add_func ("/server/connections/stalled-body", test_stalled_body_times_out);
  g_test_add_func ("/server/connections/caps", test_connection_caps);
  g_test_add_func ("/server/connections/descriptor-exhaustion",
                   test_descriptor_exhaustion_recovers);
  g_test_add_func ("/server/upload/refused-drained", test_refused_upload_is_drained);
  return g_test_run ();
}
