/* test-server-v1.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests the /v1 platform dialect over real HTTP: a VitalServer on 127.0.0.1:0 with the v1
 * routes, videos written by the test, Bearer auth, {"detail"} errors, the retention rules (a
 * manual server clock moves past the TTLs), and the /sdk rules it shares: refusals from the
 * headers before any body byte (a raw socket sends headers alone), the capped upload spool,
 * anonymous throttling, the monthly quota and sandbox keys; and that its sessions are the
 * server's store's: a restarted server knows them, the /sdk API does not.
 */
#include "vital-config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "vital-capture.h"
#include "vital-demo-source.h"
#include "vital-keys.h"
#include "vital-sandbox.h"
#include "vital-test-util.h"
#include "vital-v1.h"

/* 2026-11-20T00:00:00Z, on the server's manual clock. */
#define START_US (G_GINT64_CONSTANT (1795132800) * G_USEC_PER_SEC)
#define TTL_S    900

/* The largest multipart body the server reads: a 100 MB video and 64 KiB of framing. */
#define MAX_UPLOAD ((gsize) VITAL_CAPTURE_MAX_FILE_SIZE + 64 * 1024)

typedef struct
{
  gboolean persist;
  guint anonymous_rate_limit;  /* 0: the default */
} Setup;

static const Setup default_setup = { FALSE, 0 };
static const Setup persist_setup = { TRUE, 0 };
static const Setup throttled_setup = { FALSE, 2 };

typedef struct
{
  VitalServer *server;
  VitalClock *clock;
  SoupSession *session;
  char *key;
  char *other_key;
  char *tmp_dir;
} Fixture;

typedef struct
{
  guint status;
  JsonParser *parser;
  JsonObject *json;
  SoupMessageHeaders *headers;
} Reply;

static void
reply_clear (Reply *reply)
{
  g_clear_object (&reply->parser);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  reply->json = NULL;
}

static void
fixture_setup (Fixture *f,
               gconstpointer data)
{
  const Setup *setup = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();

  f->clock = vital_clock_new_manual (START_US);
  config->clock = g_object_ref (f->clock);
  config->persist_vitals = setup->persist;
  if (setup->anonymous_rate_limit > 0)
    config->anonymous_rate_limit = setup->anonymous_rate_limit;
  config->result_ttl_s = TTL_S;
  config->session_ttl_s = TTL_S;
  f->key = vital_key_generate (VITAL_KEY_ENV_LIVE, &error);
  f->other_key = vital_key_generate (VITAL_KEY_ENV_LIVE, &error);
  f->server = vital_server_new (config, &error);
  g_assert_no_error (error);
  g_assert_true (vital_server_add_key (f->server, f->key, "clinic-a", 0, 0, &error));
  g_assert_true (vital_server_add_key (f->server, f->other_key, "clinic-b", 0, 0, &error));
  vital_v1_install (f->server);
  g_assert_true (vital_server_listen_local (f->server, 0, &error));
  g_assert_no_error (error);
  f->session = soup_session_new ();
  f->tmp_dir = g_dir_make_tmp ("vital-v1-XXXXXX", NULL);
}

static void
fixture_teardown (Fixture *f,
                  gconstpointer data)
{
  vital_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->clock);
  g_clear_object (&f->session);
  g_free (f->key);
  g_free (f->other_key);
  g_rmdir (f->tmp_dir);
  g_free (f->tmp_dir);
}

/* Sends @method @path (with @key as its bearer token and @form as its body, each if not
 * %NULL), asserts that the answer has HTTP status @status (any for 0), and fills @reply with it;
 * when @reply is %NULL, only the status is checked. */
static void
request (Fixture       *f,
         Reply         *reply,
         const char    *method,
         const char    *path,
         const char    *key,
         SoupMultipart *form,
         guint          status)
{
  g_autofree char *url = g_strconcat (vital_server_get_base_url (f->server), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  Reply only_status;

  if (reply == NULL)
    reply = &only_status;
  if (key != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", key, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    auth);
    }
  if (form != NULL)
    {
      g_autoptr(GBytes) form_body = NULL;

      soup_multipart_to_message (form, soup_message_get_request_headers (msg), &form_body);
      soup_message_set_request_body_from_bytes (msg, NULL, form_body);
    }
  body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  reply->parser = json_parser_new ();
  reply->json = NULL;
  if (json_parser_load_from_data (reply->parser, g_bytes_get_data (body, NULL),
                                  g_bytes_get_size (body), NULL)
      && json_parser_get_root (reply->parser) != NULL
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (reply->parser)))
    reply->json = json_node_get_object (json_parser_get_root (reply->parser));
  if (status != 0)
    g_assert_cmpuint (reply->status, ==, status);
  if (reply == &only_status)
    reply_clear (reply);
}

static SoupMultipart *
form_with_file (const char *path,
                const char *filename,
                const char *content_type)
{
  SoupMultipart *form = soup_multipart_new ("multipart/form-data");
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  soup_multipart_append_form_file (form, "file", filename, content_type, bytes);
  return form;
}

static char *
create_session_for (Fixture    *f,
                    const char *key,
                    const char *owner)
{
  Reply reply;
  char *id;

  request (f, &reply, "POST", "/v1/scan-session", key, NULL, 201);
  g_assert_nonnull (reply.json);
  g_assert_cmpstr (json_object_get_string_member (reply.json, "owner"), ==, owner);
  g_assert_true (json_object_has_member (reply.json, "created_at"));
  id = g_strdup (json_object_get_string_member (reply.json, "session_id"));
  reply_clear (&reply);
  return id;
}

static char *
create_session (Fixture *f)
{
  return create_session_for (f, f->key, "clinic-a");
}

static gboolean
tick (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Polls GET …/vitals (every 200 ms, at most @max_polls times) until it is not processing. */
static void
wait_vitals (Fixture    *f,
             const char *key,
             const char *id,
             Reply      *reply,
             guint       max_polls)
{
  g_autofree char *path = g_strdup_printf ("/v1/scan-session/%s/vitals", id);

  for (guint i = 0; i < max_polls; i++)
    {
      gboolean fired = FALSE;

      request (f, reply, "GET", path, key, NULL, 200);
      if (g_strcmp0 (json_object_get_string_member (reply->json, "status"), "processing") != 0)
        return;
      reply_clear (reply);
      g_timeout_add (200, tick, &fired);
      while (!fired)
        g_main_context_iteration (NULL, TRUE);
    }
  g_assert_not_reached ();
}

/* Moves the server's clock on and runs its maintenance pass. */
static void
pass_time (Fixture *f,
           gint64   seconds)
{
  vital_clock_advance (f->clock, seconds * G_USEC_PER_SEC);
  vital_server_run_maintenance (f->server);
}

static char *
write_video (Fixture *f,
             const char *name,
             double heart_rate,
             gboolean skin_patch)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->tmp_dir, name, NULL);
  VitalDemoSettings s;

  vital_demo_settings_init (&s);
  s.realtime = FALSE;
  s.duration_s = 15;
  s.heart_rate_bpm = heart_rate;
  s.seed = 5;
  s.skin_patch = skin_patch;
  g_assert_true (vital_demo_source_write_video (&s, path, &error));
  g_assert_no_error (error);
  return path;
}

/* Writes a video, uploads it to session @id with @key (202) and polls until its outcome is in
 * @reply. */
static void
scan_video (Fixture    *f,
            const char *key,
            const char *id,
            const char *name,
            double      heart_rate,
            gboolean    skin_patch,
            Reply      *reply)
{
  g_autofree char *video = write_video (f, name, heart_rate, skin_patch);
  g_autofree char *upload = g_strdup_printf ("/v1/scan-session/%s/video", id);
  g_autoptr(SoupMultipart) form = form_with_file (video, name, "video/webm");

  request (f, reply, "POST", upload, key, form, 202);
  g_assert_cmpstr (json_object_get_string_member (reply->json, "status"), ==, "processing");
  reply_clear (reply);
  wait_vitals (f, key, id, reply, 600);
  g_unlink (video);
}

static void
test_v1_video_completes (Fixture *f,
                         gconstpointer data)
{
  g_autofree char *id = create_session (f);
  g_autofree char *video = write_video (f, "face.webm", 76.0, FALSE);
  g_autofree char *upload = g_strdup_printf ("/v1/scan-session/%s/video", id);
  g_autoptr(SoupMultipart) form = form_with_file (video, "face.webm", "video/webm");
  g_autofree char *path = g_strdup_printf ("/v1/scan-session/%s/vitals", id);
  JsonObject *vitals;
  const char *bp;
  Reply reply;
  int sbp, dbp;

  /* Before any video: pending. */
  request (f, &reply, "GET", path, f->key, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (reply.json, "status"), ==, "pending");
  g_assert_false (json_object_has_member (reply.json, "vitals"));
  reply_clear (&reply);

  request (f, NULL, "POST", upload, f->key, form, 202);

  /* Another key cannot see the session. */
  request (f, &reply, "GET", path, f->other_key, NULL, 404);
  g_assert_nonnull (json_object_get_string_member (reply.json, "detail"));
  reply_clear (&reply);

  wait_vitals (f, f->key, id, &reply, 600);
  g_assert_cmpstr (json_object_get_string_member (reply.json, "status"), ==, "completed");
  vitals = json_object_get_object_member (reply.json, "vitals");
  g_test_message ("v1: HR %.1f bpm", json_object_get_double_member (vitals, "heart_rate"));
  g_assert_cmpfloat (fabs (json_object_get_double_member (vitals, "heart_rate") - 76.0), <=, 3.0);
  bp = json_object_get_string_member (vitals, "blood_pressure");
  g_assert_nonnull (bp);
  g_assert_cmpint (sscanf (bp, "%d/%d", &sbp, &dbp), ==, 2);
  g_assert_cmpint (sbp, >, dbp);
  /* The seed shape: timestamp, processing time and signal quality inside `vitals`; still
   * beside it too, as before. */
  g_assert_cmpstr (json_object_get_string_member (vitals, "timestamp"), ==,
                   json_object_get_string_member (reply.json, "timestamp"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (vitals, "timestamp"),
                                   "2026-11-20T00:00:00"));
  g_assert_cmpfloat (json_object_get_double_member (vitals, "processing_time_ms"), >, 0);
  g_assert_cmpfloat (json_object_get_double_member (vitals, "processing_time_ms"), ==,
                     json_object_get_double_member (reply.json, "processing_time_ms"));
  g_assert_true (json_object_has_member (json_object_get_object_member (vitals,
                                                                        "signal_quality"),
                                         "snr"));
  g_assert_nonnull (json_object_get_object_member (reply.json, "signal_quality"));
  g_assert_false (json_object_get_boolean_member (reply.json, "sandbox"));
  reply_clear (&reply);

  /* A second upload to the same session is refused. */
  request (f, NULL, "POST", upload, f->key, form, 409);
  g_unlink (video);

  /* Privacy: the result was handed out once and is not kept (persistence is off). */
  request (f, &reply, "GET", path, f->key, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (reply.json, "status"), ==, "completed");
  g_assert_true (json_object_get_null_member (reply.json, "vitals"));
  g_assert_false (json_object_get_boolean_member (reply.json, "result_available"));
  reply_clear (&reply);

  /* A result TTL after it ended, the maintenance pass forgets the session. */
  pass_time (f, TTL_S - 1);
  request (f, NULL, "GET", path, f->key, NULL, 200);
  pass_time (f, 1);
  request (f, NULL, "GET", path, f->key, NULL, 404);
}

/* With persistence on, a result can be read again until the result TTL, then it is purged. */
static void
test_v1_persisted_until_ttl (Fixture *f,
                             gconstpointer data)
{
  g_autofree char *id = create_session (f);
  g_autofree char *path = g_strdup_printf ("/v1/scan-session/%s/vitals", id);
  double first_hr;
  Reply reply;

  scan_video (f, f->key, id, "persist.webm", 70.0, FALSE, &reply);
  g_assert_cmpstr (json_object_get_string_member (reply.json, "status"), ==, "completed");
  first_hr = json_object_get_double_member (json_object_get_object_member (reply.json, "vitals"),
                                            "heart_rate");
  reply_clear (&reply);

  pass_time (f, TTL_S - 1);
  request (f, &reply, "GET", path, f->key, NULL, 200);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (reply.json,
                                                                                   "vitals"),
                                                    "heart_rate"), ==, first_hr);
  reply_clear (&reply);
  pass_time (f, 1);
  request (f, NULL, "GET", path, f->key, NULL, 404);
}

/* A session that never gets a video is forgotten a session TTL after its creation. */
static void
test_v1_unused_session_expires (Fixture *f,
                                gconstpointer data)
{
  g_autofree char *id = create_session (f);
  g_autofree char *path = g_strdup_printf ("/v1/scan-session/%s/vitals", id);
  Reply reply;

  pass_time (f, TTL_S - 1);
  request (f, &reply, "GET", path, f->key, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (reply.json, "status"), ==, "pending");
  reply_clear (&reply);
  pass_time (f, 1);
  request (f, NULL, "GET", path, f->key, NULL, 404);
}

static void
test_v1_no_face_fails (Fixture *f,
                       gconstpointer data)
{
  g_autofree char *id = create_session (f);
  Reply reply;

  scan_video (f, f->key, id, "patch.webm", 70.0, TRUE, &reply);
  g_assert_cmpstr (json_object_get_string_member (reply.json, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (reply.json, "error"), ==,
                   "No face detected in video");
  reply_clear (&reply);
}

static void
test_v1_errors (Fixture *f,
                gconstpointer data)
{
  g_autofree char *id = create_session (f);
  g_autofree char *upload = g_strdup_printf ("/v1/scan-session/%s/video", id);
  g_autofree char *text = g_build_filename (f->tmp_dir, "notes.mp4", NULL);
  g_autoptr(SoupMultipart) bad_form = NULL;
  g_autoptr(SoupMultipart) no_file = soup_multipart_new ("multipart/form-data");
  Reply reply;

  /* No or wrong key: 401 with a detail. */
  request (f, &reply, "POST", "/v1/scan-session", NULL, NULL, 401);
  g_assert_nonnull (json_object_get_string_member (reply.json, "detail"));
  reply_clear (&reply);
  request (f, NULL, "POST", "/v1/scan-session", "ck_live_not_a_real_key", NULL, 401);

  /* Not a video: 400. */
  g_assert_true (g_file_set_contents (text, "plain text pretending to be a video\n", -1, NULL));
  bad_form = form_with_file (text, "notes.mp4", "video/mp4");
  request (f, &reply, "POST", upload, f->key, bad_form, 400);
  g_assert_nonnull (strstr (json_object_get_string_member (reply.json, "detail"),
                            "Unsupported"));
  reply_clear (&reply);

  /* A form without the file field: 400. */
  soup_multipart_append_form_string (no_file, "comment", "hello");
  request (f, NULL, "POST", upload, f->key, no_file, 400);

  /* Unknown session: 404; unknown route: 404; wrong method: 405. */
  request (f, NULL, "GET", "/v1/scan-session/nope/vitals", f->key, NULL, 404);
  request (f, NULL, "GET", "/v1/scan-session", f->key, NULL, 405);
  g_unlink (text);
}

static void
test_v1_too_large (Fixture *f,
                   gconstpointer data)
{
  g_autofree char *id = create_session (f);
  g_autofree char *url = g_strdup_printf ("%s/v1/scan-session/%s/video",
                                          vital_server_get_base_url (f->server), id);
  g_autofree char *auth = g_strconcat ("Bearer ", f->key, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new ();
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  /* The headers announce 101 MB; the server answers 413 before any body byte is sent. */
  soup_message_headers_replace (headers, "Authorization", auth);
  soup_message_headers_set_expectations (headers, SOUP_EXPECTATION_CONTINUE);
  soup_message_set_request_body (msg, "multipart/form-data; boundary=x", stream,
                                 (gssize) VITAL_CAPTURE_MAX_FILE_SIZE + 1024 * 1024);
  body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 413);

  /* In this dialect's error shape, {"detail": ...}, like its other errors. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *object;

    g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                               (gssize) g_bytes_get_size (body), &error));
    g_assert_no_error (error);
    object = json_node_get_object (json_parser_get_root (parser));
    g_assert_nonnull (strstr (json_object_get_string_member (object, "detail"), "100 MB"));
    g_assert_false (json_object_has_member (object, "error"));
  }
}

/* ---- refusals from the headers, over a raw socket ----------------------------------------- */

typedef struct
{
  guint status;
  char *head;       /* status line and headers */
  JsonNode *json;
} RawReply;

static void
raw_reply_free (RawReply *reply)
{
  g_free (reply->head);
  g_clear_pointer (&reply->json, json_node_unref);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawReply, raw_reply_free)

static GSocketConnection *
raw_connect (Fixture *f)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *conn;

  conn = g_socket_client_connect_to_host (client, "127.0.0.1", vital_server_get_port (f->server),
                                          NULL, &error);
  g_assert_no_error (error);
  /* Bounds every read: a server waiting for a body that never comes fails the test. */
  g_socket_set_timeout (g_socket_connection_get_socket (conn), 20);
  return conn;
}

static void
raw_send (GSocket    *sock,
          const char *data,
          gsize       len)
{
  g_autoptr(GError) error = NULL;

  while (len > 0)
    {
      gssize n = g_socket_send (sock, data, len, NULL, &error);

      g_assert_no_error (error);
      data += n;
      len -= (gsize) n;
    }
}

/* Reads one answer (headers and a Content-Length body); the test fails if none comes. */
static RawReply *
raw_read_reply (GSocket *sock)
{
  g_autoptr(GString) in = g_string_new (NULL);
  RawReply *reply = g_new0 (RawReply, 1);
  const char *end = NULL;
  gsize want = 0;
  char buf[4096];

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive (sock, buf, sizeof buf, NULL, &error);

      g_assert_no_error (error);
      if (n == 0)
        break;
      g_string_append_len (in, buf, n);
      end = strstr (in->str, "\r\n\r\n");
      if (end != NULL)
        {
          const char *cl = strstr (in->str, "Content-Length: ");

          want = (gsize) (end + 4 - in->str) + (cl != NULL ? g_ascii_strtoull (cl + 16, NULL, 10)
                                                           : 0);
          if (in->len >= want)
            break;
        }
    }
  g_assert_nonnull (end);
  g_assert_cmpuint (in->len, >=, want);
  g_assert_true (g_str_has_prefix (in->str, "HTTP/1.1 "));
  reply->status = (guint) g_ascii_strtoull (in->str + 9, NULL, 10);
  reply->head = g_strndup (in->str, (gsize) (end - in->str) + 2);
  reply->json = json_from_string (end + 4, NULL);
  return reply;
}

static const char *
raw_detail (RawReply *reply)
{
  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));
  g_assert_false (json_object_has_member (json_node_get_object (reply->json), "error"));
  return json_object_get_string_member (json_node_get_object (reply->json), "detail");
}

/* Sends the request line and headers of a request whose body never comes, reads the answer. */
static RawReply *
raw_headers_only (Fixture    *f,
                  const char *method,
                  const char *path,
                  const char *key,
                  const char *more_headers)
{
  g_autoptr(GSocketConnection) conn = raw_connect (f);
  GSocket *sock = g_socket_connection_get_socket (conn);
  g_autofree char *auth = key != NULL ? g_strdup_printf ("Authorization: Bearer %s\r\n", key)
                                      : g_strdup ("");
  g_autofree char *text = g_strdup_printf ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s%s\r\n",
                                           method, path, auth, more_headers);

  raw_send (sock, text, strlen (text));
  return raw_read_reply (sock);
}

static guint
count_spool (Fixture *f)
{
  g_autoptr(GDir) dir = g_dir_open (vital_server_get_spool_dir (f->server), 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

#define HUGE_CHUNKED "Content-Type: multipart/form-data; boundary=b\r\n" \
                     "Transfer-Encoding: chunked\r\n"

/* Without a valid key, the answer is 401 from the headers: the 300 MB the client announces
 * (chunked) are never read, for the session route and the upload route alike. */
static void
test_v1_unauthenticated_before_body (Fixture       *f,
                                     gconstpointer  data)
{
  g_autofree char *id = create_session (f);
  g_autofree char *upload = g_strdup_printf ("/v1/scan-session/%s/video", id);
  const char *keys[] = { NULL, "ck_live_not_a_real_key_at_all_000" };

  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(RawReply) create = raw_headers_only (f, "POST", "/v1/scan-session", keys[i],
                                                     HUGE_CHUNKED);
      g_autoptr(RawReply) video = raw_headers_only (f, "POST", upload, keys[i],
                                                    "Content-Type: multipart/form-data; "
                                                    "boundary=b\r\nContent-Length: 300000000\r\n");

      g_assert_cmpuint (create->status, ==, 401);
      g_assert_cmpstr (raw_detail (create), ==, "Invalid or missing API key");
      g_assert_nonnull (strstr (create->head, "WWW-Authenticate: Bearer\r\n"));
      g_assert_nonnull (strstr (create->head, "X-RateLimit-Limit: 600\r\n"));
      g_assert_cmpuint (video->status, ==, 401);
      g_assert_cmpstr (raw_detail (video), ==, "Invalid or missing API key");
    }
  g_assert_cmpuint (count_spool (f), ==, 0);
}

/* Requests other than the upload take no body: chunked is refused with 411, more than 64 KiB
 * with 413, both from the headers; a small body is read and ignored. */
static void
test_v1_body_limits (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *id = create_session (f);
  g_autofree char *vitals = g_strdup_printf ("/v1/scan-session/%s/vitals", id);
  g_autoptr(RawReply) chunked = raw_headers_only (f, "POST", "/v1/scan-session", f->key,
                                                  "Transfer-Encoding: chunked\r\n");
  g_autoptr(RawReply) large = raw_headers_only (f, "POST", "/v1/scan-session", f->key,
                                                "Content-Length: 65537\r\n");
  g_autoptr(RawReply) get_large = raw_headers_only (f, "GET", vitals, f->key,
                                                    "Content-Length: 300000000\r\n");
  g_autoptr(RawReply) wrong_method = raw_headers_only (f, "GET", "/v1/scan-session", f->key,
                                                       HUGE_CHUNKED);
  g_autoptr(RawReply) small = NULL;

  g_assert_cmpuint (chunked->status, ==, 411);
  g_assert_nonnull (strstr (raw_detail (chunked), "Content-Length"));
  g_assert_nonnull (strstr (chunked->head, "X-RateLimit-Remaining: "));
  g_assert_cmpuint (large->status, ==, 413);
  g_assert_nonnull (strstr (raw_detail (large), "65536 bytes"));
  g_assert_cmpuint (get_large->status, ==, 413);
  g_assert_cmpuint (wrong_method->status, ==, 411);

  {
    g_autoptr(GSocketConnection) conn = raw_connect (f);
    GSocket *sock = g_socket_connection_get_socket (conn);
    g_autofree char *text = g_strdup_printf ("POST /v1/scan-session HTTP/1.1\r\n"
                                             "Host: 127.0.0.1\r\n"
                                             "Authorization: Bearer %s\r\n"
                                             "Content-Length: 2\r\n\r\n{}", f->key);

    raw_send (sock, text, strlen (text));
    small = raw_read_reply (sock);
  }
  g_assert_cmpuint (small->status, ==, 201);
  g_assert_nonnull (strstr (small->head, "X-RateLimit-Limit: "));
}

/* Guessing keys is throttled per address exactly as on /sdk: 401s count and say so, then 429
 * in this dialect's shape; a valid key has its own bucket. */
static void
test_v1_anonymous_rate_limit (Fixture       *f,
                              gconstpointer  data)
{
  Reply reply;

  for (guint i = 0; i < 2; i++)
    {
      char remaining[8];

      request (f, &reply, "POST", "/v1/scan-session", "ck_live_guessguessguessguessguess", NULL,
               401);
      g_assert_nonnull (json_object_get_string_member (reply.json, "detail"));
      g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "X-RateLimit-Limit"), ==,
                       "2");
      g_snprintf (remaining, sizeof remaining, "%u", 1 - i);
      g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "X-RateLimit-Remaining"), ==,
                       remaining);
      g_assert_nonnull (soup_message_headers_get_one (reply.headers, "X-RateLimit-Reset"));
      reply_clear (&reply);
    }
  request (f, &reply, "POST", "/v1/scan-session", "ck_live_guessguessguessguessguess", NULL,
           429);
  g_assert_nonnull (strstr (json_object_get_string_member (reply.json, "detail"),
                            "Too many requests"));
  g_assert_false (json_object_has_member (reply.json, "error"));
  g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "Retry-After"), ==, "60");
  g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "X-RateLimit-Remaining"), ==,
                   "0");
  reply_clear (&reply);

  /* No key at all, another route: the same address bucket. */
  request (f, NULL, "GET", "/v1/scan-session/anything/vitals", NULL, NULL, 429);

  /* A valid key is counted on its own (unlimited) bucket. */
  g_free (create_session (f));

  /* The next window lets guesses through again (and answers them 401). */
  vital_clock_advance (f->clock, 60 * G_USEC_PER_SEC);
  request (f, NULL, "POST", "/v1/scan-session", NULL, NULL, 401);
}

/* A chunked upload is read only up to the cap: the 413 arrives while the client is still
 * sending, and nothing of it stays in the spool. */
static void
test_v1_chunked_upload_cut_off (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *id = create_session (f);
  g_autofree char *path = g_strdup_printf ("/v1/scan-session/%s/vitals", id);
  g_autoptr(GSocketConnection) conn = raw_connect (f);
  GSocket *sock = g_socket_connection_get_socket (conn);
  g_autoptr(RawReply) answer = NULL;
  g_autofree char *head = g_strdup_printf ("POST /v1/scan-session/%s/video HTTP/1.1\r\n"
                                           "Host: 127.0.0.1\r\n"
                                           "Authorization: Bearer %s\r\n" HUGE_CHUNKED "\r\n",
                                           id, f->key);
  static const char part[] = "--b\r\n"
                             "Content-Disposition: form-data; name=\"file\"; filename=\"a.webm\""
                             "\r\nContent-Type: video/webm\r\n\r\n\x1a\x45\xdf\xa3";
  const gsize total = MAX_UPLOAD + 32 * 1024 * 1024;
  g_autofree char *chunk = g_malloc (64 * 1024);
  gboolean answered = FALSE;
  gsize sent = 0;
  Reply reply;

  memset (chunk, 'v', 64 * 1024);
  memcpy (chunk, part, sizeof part - 1);
  raw_send (sock, head, strlen (head));
  while (sent < total)
    {
      g_autoptr(GError) error = NULL;
      char size_line[16];

      if (g_socket_condition_check (sock, G_IO_IN | G_IO_HUP | G_IO_ERR) != 0)
        {
          answered = TRUE;
          break;
        }
      g_snprintf (size_line, sizeof size_line, "%x\r\n", 64 * 1024);
      if (g_socket_send (sock, size_line, strlen (size_line), NULL, &error) < 0
          || !g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)),
                                         chunk, 64 * 1024, NULL, NULL, &error)
          || g_socket_send (sock, "\r\n", 2, NULL, &error) < 0)
        {
          /* The server closed its side after answering: the answer is there to read. */
          answered = TRUE;
          break;
        }
      sent += 64 * 1024;
    }
  if (!answered)
    raw_send (sock, "0\r\n\r\n", 5);
  answer = raw_read_reply (sock);
  g_test_message ("answered after %" G_GSIZE_FORMAT " MiB of %" G_GSIZE_FORMAT, sent >> 20,
                  total >> 20);
  g_assert_true (answered);
  g_assert_cmpuint (sent, <, total);
  g_assert_cmpuint (sent, >=, MAX_UPLOAD);
  g_assert_cmpuint (answer->status, ==, 413);
  g_assert_nonnull (strstr (raw_detail (answer), "100 MB"));
  g_assert_nonnull (strstr (answer->head, "Connection: close\r\n"));
  /* The spooled part was deleted before the answer went out. */
  g_assert_cmpuint (count_spool (f), ==, 0);

  request (f, &reply, "GET", path, f->key, NULL, 0);
  g_assert_cmpstr (json_object_get_string_member (reply.json, "status"), ==, "pending");
  reply_clear (&reply);
}

/* Posts @body as the upload of session @id with the Content-Type @type. */
static void
post_body (Fixture    *f,
           const char *id,
           const char *type,
           const char *body,
           Reply      *reply)
{
  g_autofree char *url = g_strdup_printf ("%s/v1/scan-session/%s/video",
                                          vital_server_get_base_url (f->server), id);
  g_autofree char *auth = g_strconcat ("Bearer ", f->key, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, type, bytes);
  answer = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  reply->parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (reply->parser, g_bytes_get_data (answer, NULL),
                                             (gssize) g_bytes_get_size (answer), NULL));
  reply->json = json_node_get_object (json_parser_get_root (reply->parser));
}

/* Malformed multipart bodies get a 400 (or 422 for an empty file) in the {"detail"} shape, the
 * session stays pending, and nothing stays in the spool. */
static void
test_v1_malformed_multipart (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *id = create_session (f);
  g_autofree char *path = g_strdup_printf ("/v1/scan-session/%s/vitals", id);
  const struct
  {
    const char *type;
    const char *body;
    guint status;
    const char *detail;
  } cases[] = {
    { "multipart/form-data", "--b\r\n\r\nx\r\n--b--\r\n", 400, "boundary" },
    { "application/json", "{}", 400, "multipart/form-data" },
    { "multipart/form-data; boundary=b", "", 400, "no multipart boundary line" },
    { "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; "
      "filename=\"a.webm\"\r\n\r\n\x1a\x45\xdf\xa3 cut short", 400, "truncated" },
    { "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data\r\n\r\n"
      "\x1a\x45\xdf\xa3 nameless\r\n--b--\r\n", 400, "no `file` field" },
    { "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; "
      "filename=\"a.webm\"\r\n\r\n\r\n--b--\r\n", 422, "empty" },
    { "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; "
      "filename=\"a.webm\"\r\n\r\nnot a video at all\r\n--b--\r\n", 400, "Unsupported" },
  };
  Reply reply;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      post_body (f, id, cases[i].type, cases[i].body, &reply);
      g_test_message ("case %" G_GSIZE_FORMAT ": %u %s", i, reply.status,
                      json_object_get_string_member (reply.json, "detail"));
      g_assert_cmpuint (reply.status, ==, cases[i].status);
      g_assert_nonnull (strstr (json_object_get_string_member (reply.json, "detail"),
                                cases[i].detail));
      reply_clear (&reply);
      g_assert_cmpuint (count_spool (f), ==, 0);
    }
  request (f, &reply, "GET", path, f->key, NULL, 0);
  g_assert_cmpstr (json_object_get_string_member (reply.json, "status"), ==, "pending");
  reply_clear (&reply);
}

/* ---- quota and sandbox ------------------------------------------------------------------ */

/* A live key's sessions count against its monthly quota, on the counter /sdk start uses. */
static void
test_v1_quota (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = vital_key_generate (VITAL_KEY_ENV_LIVE, &error);
  g_autofree char *sdk_url = g_strconcat (vital_server_get_base_url (f->server),
                                          "/sdk/session/start", NULL);
  g_autoptr(GDateTime) december = g_date_time_new_utc (2026, 12, 1, 0, 0, 1);
  Reply reply;

  g_assert_true (vital_server_add_key (f->server, key, "clinic-q", 0, 2, &error));
  /* One unit spent on /sdk … */
  {
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", sdk_url);
    g_autoptr(GBytes) body = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-API-Key", key);
    body = soup_session_send_and_read (f->session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  }
  /* … one on /v1, the last … */
  request (f, &reply, "POST", "/v1/scan-session", key, NULL, 201);
  g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "X-Quota-Limit"), ==, "2");
  g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "X-Quota-Remaining"), ==, "0");
  reply_clear (&reply);
  /* … and then neither dialect starts a session. */
  request (f, &reply, "POST", "/v1/scan-session", key, NULL, 429);
  g_assert_nonnull (strstr (json_object_get_string_member (reply.json, "detail"),
                            "monthly quota of 2 scans"));
  g_assert_null (soup_message_headers_get_one (reply.headers, "Retry-After"));
  reply_clear (&reply);
  {
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", sdk_url);
    g_autoptr(GBytes) body = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-API-Key", key);
    body = soup_session_send_and_read (f->session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 429);
  }

  /* It renews with the month. */
  vital_clock_set_us (f->clock, g_date_time_to_unix (december) * G_USEC_PER_SEC);
  g_free (create_session_for (f, key, "clinic-q"));
}

/* Replaces the fixture's server with one on @data_dir (its SQLite store and spool), persisting
 * results, with the fixture's keys and @key ("sandbox-co"). */
static void
restart_on (Fixture    *f,
            const char *data_dir,
            const char *key)
{
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();
  g_autoptr(GError) error = NULL;

  vital_server_stop (f->server);
  g_clear_object (&f->server);
  config->clock = g_object_ref (f->clock);
  config->data_dir = g_strdup (data_dir);
  config->persist_vitals = TRUE;
  config->result_ttl_s = TTL_S;
  config->session_ttl_s = TTL_S;
  f->server = vital_server_new (config, &error);
  g_assert_no_error (error);
  g_assert_true (vital_server_add_key (f->server, f->key, "clinic-a", 0, 0, &error));
  g_assert_true (vital_server_add_key (f->server, key, "sandbox-co", 0, 0, &error));
  vital_v1_install (f->server);
  g_assert_true (vital_server_listen_local (f->server, 0, &error));
  g_assert_no_error (error);
}

/* /v1 sessions live in the server's store: a server restarted on the same data directory still
 * has a pending session, which then takes its video, and once completed its persisted result
 * outlives another restart. They are this dialect's alone: the /sdk API neither finds nor
 * lists them. */
static void
test_v1_survives_restart (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = vital_key_generate (VITAL_KEY_ENV_TEST, &error);
  g_autofree char *data_dir = g_dir_make_tmp ("vital-v1-data-XXXXXX", &error);
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *sdk_result = NULL;
  g_autoptr(JsonNode) first_vitals = NULL;
  Reply reply;

  g_assert_no_error (error);
  restart_on (f, data_dir, key);
  id = create_session_for (f, key, "sandbox-co");
  path = g_strdup_printf ("/v1/scan-session/%s/vitals", id);

  restart_on (f, data_dir, key);
  request (f, &reply, "GET", path, key, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (reply.json, "status"), ==, "pending");
  reply_clear (&reply);
  /* The session created before the restart takes its video after it. */
  scan_video (f, key, id, "restart.webm", 70.0, FALSE, &reply);
  g_assert_cmpstr (json_object_get_string_member (reply.json, "status"), ==, "completed");
  first_vitals = json_node_copy (json_object_get_member (reply.json, "vitals"));
  reply_clear (&reply);

  restart_on (f, data_dir, key);
  request (f, &reply, "GET", path, key, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (reply.json, "status"), ==, "completed");
  g_assert_true (json_node_equal (json_object_get_member (reply.json, "vitals"), first_vitals));
  reply_clear (&reply);
  /* Still another key's to no one. */
  request (f, NULL, "GET", path, f->key, NULL, 404);

  /* Not the session API's: no result there, nothing in its history. */
  sdk_result = g_strdup_printf ("/sdk/session/%s/result", id);
  request (f, NULL, "GET", sdk_result, key, NULL, 404);
  request (f, &reply, "GET", "/sdk/sessions", key, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (reply.json, "total"), ==, 0);
  reply_clear (&reply);

  /* Off the data directory (the fixture's teardown stops this one), which then goes. */
  restart_on (f, NULL, key);
  vital_test_remove_tree (data_dir);
}

/* A sandbox key gets the deterministic sandbox vitals without the engine (a video without a
 * face completes), after the same checks of the upload; it has no quota. */
static void
test_v1_sandbox (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = vital_key_generate (VITAL_KEY_ENV_TEST, &error);
  g_autofree char *id = NULL;
  g_autofree char *text = g_build_filename (f->tmp_dir, "notes.webm", NULL);
  g_autofree char *upload = NULL;
  g_autoptr(SoupMultipart) bad_form = NULL;
  g_autoptr(VitalVitals) expected = NULL;
  JsonObject *vitals;
  Reply reply;

  g_assert_true (vital_server_add_key (f->server, key, "sandbox-co", 0, 1, &error));
  for (guint i = 0; i < 3; i++)
    {
      request (f, &reply, "POST", "/v1/scan-session", key, NULL, 201);
      g_assert_null (soup_message_headers_get_one (reply.headers, "X-Quota-Limit"));
      g_free (id);
      id = g_strdup (json_object_get_string_member (reply.json, "session_id"));
      reply_clear (&reply);
    }

  /* The upload is checked as for a live key. */
  upload = g_strdup_printf ("/v1/scan-session/%s/video", id);
  g_assert_true (g_file_set_contents (text, "plain text pretending to be a video\n", -1, NULL));
  bad_form = form_with_file (text, "notes.webm", "video/webm");
  request (f, NULL, "POST", upload, key, bad_form, 400);
  g_unlink (text);

  /* No face in it: the engine would fail; the sandbox does not run it. */
  scan_video (f, key, id, "sandbox.webm", 70.0, TRUE, &reply);
  g_assert_cmpstr (json_object_get_string_member (reply.json, "status"), ==, "completed");
  g_assert_true (json_object_get_boolean_member (reply.json, "sandbox"));
  vitals = json_object_get_object_member (reply.json, "vitals");
  expected = vital_sandbox_vitals (id);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (vitals, "heart_rate"),
                                  expected->heart_rate, 0.051);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (vitals, "respiratory_rate"),
                                  expected->respiratory_rate, 0.051);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (vitals, "spo2"),
                                  expected->spo2, 0.5);
  {
    g_autofree char *bp = g_strdup_printf ("%.0f/%.0f", expected->systolic_bp,
                                           expected->diastolic_bp);

    g_assert_cmpstr (json_object_get_string_member (vitals, "blood_pressure"), ==, bp);
  }
  g_assert_true (json_object_has_member (vitals, "timestamp"));
  reply_clear (&reply);
  g_assert_cmpuint (count_spool (f), ==, 0);
}

/* One set of rules with /sdk: sessions are the creating key's (two keys with no owner name
 * do not share them), a shutting-down server takes no new work, and a failure says what went
 * wrong without naming server files. */
static void
test_v1_same_rules (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *anonymous_a = vital_key_generate (VITAL_KEY_ENV_LIVE, &error);
  g_autofree char *anonymous_b = vital_key_generate (VITAL_KEY_ENV_LIVE, &error);
  g_autofree char *id = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *theirs = NULL;
  g_autofree char *upload = NULL;
  g_autofree char *broken = g_build_filename (f->tmp_dir, "broken.mp4", NULL);
  g_autoptr(SoupMultipart) form = NULL;
  static const char mp4_head[] = "\0\0\0\x18" "ftypmp42" "\0\0\0\0" "mp42isom";
  g_autoptr(GString) junk = g_string_new_len (mp4_head, sizeof mp4_head - 1);
  const char *text;
  Reply reply;

  g_assert_true (vital_server_add_key (f->server, anonymous_a, NULL, 0, 0, &error));
  g_assert_true (vital_server_add_key (f->server, anonymous_b, NULL, 0, 0, &error));
  request (f, &reply, "POST", "/v1/scan-session", anonymous_a, NULL, 201);
  id = g_strdup (json_object_get_string_member (reply.json, "session_id"));
  reply_clear (&reply);
  mine = g_strdup_printf ("/v1/scan-session/%s/vitals", id);
  request (f, NULL, "GET", mine, anonymous_a, NULL, 200);
  request (f, NULL, "GET", mine, anonymous_b, NULL, 404);

  /* An MP4 signature over garbage: accepted as a video, fails to decode. */
  for (int i = 0; i < 4096; i++)
    g_string_append_c (junk, (char) (i * 37));
  g_assert_true (g_file_set_contents (broken, junk->str, (gssize) junk->len, NULL));
  theirs = create_session (f);
  upload = g_strdup_printf ("/v1/scan-session/%s/video", theirs);
  form = form_with_file (broken, "broken.mp4", "video/mp4");
  request (f, NULL, "POST", upload, f->key, form, 202);
  wait_vitals (f, f->key, theirs, &reply, 300);
  g_assert_cmpstr (json_object_get_string_member (reply.json, "status"), ==, "failed");
  text = json_object_get_string_member (reply.json, "error");
  g_assert_null (strchr (text, '/'));
  g_assert_cmpstr (text, ==,
                   "The video could not be decoded (unsupported codec, or a damaged file)");
  reply_clear (&reply);

  vital_server_begin_shutdown (f->server);
  request (f, &reply, "POST", "/v1/scan-session", f->key, NULL, 503);
  g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "Retry-After"), ==, "5");
  reply_clear (&reply);
  /* Results can still be read. */
  request (f, NULL, "GET", mine, anonymous_a, NULL, 200);
  g_unlink (broken);
}

int
main (int argc,
      char *argv[])
{
  g_setenv ("OPENCV_LOG_LEVEL", "SILENT", TRUE);
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

#define ADD(path, func, setup) \
  g_test_add ("/capture/server-v1/" path, Fixture, &setup, fixture_setup, func, fixture_teardown)

  ADD ("video-completes", test_v1_video_completes, default_setup);
  ADD ("no-face-fails", test_v1_no_face_fails, default_setup);
  ADD ("errors", test_v1_errors, default_setup);
  ADD ("too-large", test_v1_too_large, default_setup);
  ADD ("persisted-until-ttl", test_v1_persisted_until_ttl, persist_setup);
  ADD ("unused-session-expires", test_v1_unused_session_expires, default_setup);
  ADD ("auth/unauthenticated-before-body", test_v1_unauthenticated_before_body, default_setup);
  ADD ("auth/anonymous-rate-limit", test_v1_anonymous_rate_limit, throttled_setup);
  ADD ("limits/body-from-headers", test_v1_body_limits, default_setup);
  ADD ("limits/chunked-upload-cut-off", test_v1_chunked_upload_cut_off, default_setup);
  ADD ("upload/malformed-multipart", test_v1_malformed_multipart, default_setup);
  ADD ("quota", test_v1_quota, default_setup);
  ADD ("sandbox", test_v1_sandbox, default_setup);
  ADD ("same-rules", test_v1_same_rules, default_setup);
  ADD ("survives-restart", test_v1_survives_restart, default_setup);

  return g_test_run ();
}
