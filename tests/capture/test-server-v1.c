/* test-server-v1.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests the /v1 platform dialect over real HTTP: a VitalServer on 127.0.0.1:0 with the v1
 * routes, videos written by the test, Bearer auth, {"detail"} errors, and the retention rules
 * (a manual server clock moves past the TTLs).
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
#include "vital-server-v1.h"

/* 2026-11-20T00:00:00Z, on the server's manual clock. */
#define START_US (G_GINT64_CONSTANT (1795132800) * G_USEC_PER_SEC)
#define TTL_S    900

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
} Reply;

static void
reply_clear (Reply *reply)
{
  g_clear_object (&reply->parser);
  reply->json = NULL;
}

static void
fixture_setup (Fixture *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();

  f->clock = vital_clock_new_manual (START_US);
  config->clock = g_object_ref (f->clock);
  config->persist_vitals = GPOINTER_TO_INT (data);
  config->result_ttl_s = TTL_S;
  config->session_ttl_s = TTL_S;
  f->key = vital_key_generate (VITAL_KEY_ENV_LIVE, &error);
  f->other_key = vital_key_generate (VITAL_KEY_ENV_LIVE, &error);
  f->server = vital_server_new (config, &error);
  g_assert_no_error (error);
  g_assert_true (vital_server_add_key (f->server, f->key, "clinic-a", 0, 0, &error));
  g_assert_true (vital_server_add_key (f->server, f->other_key, "clinic-b", 0, 0, &error));
  vital_server_v1_install (f->server);
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

static void
request (Fixture *f,
         Reply *reply,
         const char *method,
         const char *path,
         const char *key,
         SoupMultipart *form)
{
  g_autofree char *url = g_strconcat (vital_server_get_base_url (f->server), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

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
  reply->parser = json_parser_new ();
  reply->json = NULL;
  if (json_parser_load_from_data (reply->parser, g_bytes_get_data (body, NULL),
                                  g_bytes_get_size (body), NULL)
      && json_parser_get_root (reply->parser) != NULL
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (reply->parser)))
    reply->json = json_node_get_object (json_parser_get_root (reply->parser));
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
create_session (Fixture *f)
{
  Reply reply;
  char *id;

  request (f, &reply, "POST", "/v1/scan-session", f->key, NULL);
  g_assert_cmpuint (reply.status, ==, 201);
  g_assert_nonnull (reply.json);
  g_assert_cmpstr (json_object_get_string_member (reply.json, "owner"), ==, "clinic-a");
  g_assert_true (json_object_has_member (reply.json, "created_at"));
  id = g_strdup (json_object_get_string_member (reply.json, "session_id"));
  reply_clear (&reply);
  return id;
}

static gboolean
tick (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Polls GET …/vitals (every 200 ms, at most @max_polls times) until it is not processing. */
static void
wait_vitals (Fixture *f,
             const char *id,
             Reply *reply,
             guint max_polls)
{
  g_autofree char *path = g_strdup_printf ("/v1/scan-session/%s/vitals", id);

  for (guint i = 0; i < max_polls; i++)
    {
      gboolean fired = FALSE;

      request (f, reply, "GET", path, f->key, NULL);
      g_assert_cmpuint (reply->status, ==, 200);
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

/* GET …/vitals, for its status code alone. */
static guint
vitals_status (Fixture    *f,
               const char *path)
{
  Reply reply;
  guint status;

  request (f, &reply, "GET", path, f->key, NULL);
  status = reply.status;
  reply_clear (&reply);
  return status;
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

/* Writes a video, uploads it to session @id (202) and polls until its outcome is in @reply. */
static void
scan_video (Fixture    *f,
            const char *id,
            const char *name,
            double      heart_rate,
            gboolean    skin_patch,
            Reply      *reply)
{
  g_autofree char *video = write_video (f, name, heart_rate, skin_patch);
  g_autofree char *upload = g_strdup_printf ("/v1/scan-session/%s/video", id);
  g_autoptr(SoupMultipart) form = form_with_file (video, name, "video/webm");

  request (f, reply, "POST", upload, f->key, form);
  g_assert_cmpuint (reply->status, ==, 202);
  reply_clear (reply);
  wait_vitals (f, id, reply, 600);
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

  request (f, &reply, "POST", upload, f->key, form);
  g_assert_cmpuint (reply.status, ==, 202);
  reply_clear (&reply);

  /* Another key cannot see the session. */
  request (f, &reply, "GET", path, f->other_key, NULL);
  g_assert_cmpuint (reply.status, ==, 404);
  g_assert_nonnull (json_object_get_string_member (reply.json, "detail"));
  reply_clear (&reply);

  wait_vitals (f, id, &reply, 600);
  g_assert_cmpstr (json_object_get_string_member (reply.json, "status"), ==, "completed");
  vitals = json_object_get_object_member (reply.json, "vitals");
  g_test_message ("v1: HR %.1f bpm", json_object_get_double_member (vitals, "heart_rate"));
  g_assert_cmpfloat (fabs (json_object_get_double_member (vitals, "heart_rate") - 76.0), <=, 3.0);
  bp = json_object_get_string_member (vitals, "blood_pressure");
  g_assert_nonnull (bp);
  g_assert_cmpint (sscanf (bp, "%d/%d", &sbp, &dbp), ==, 2);
  g_assert_cmpint (sbp, >, dbp);
  g_assert_true (json_object_has_member (reply.json, "timestamp"));
  g_assert_cmpfloat (json_object_get_double_member (reply.json, "processing_time_ms"), >, 0);
  g_assert_nonnull (json_object_get_object_member (reply.json, "signal_quality"));
  reply_clear (&reply);

  /* A second upload to the same session is refused. */
  request (f, &reply, "POST", upload, f->key, form);
  g_assert_cmpuint (reply.status, ==, 409);
  reply_clear (&reply);
  g_unlink (video);

  /* Privacy: the result was handed out once and is not kept (persistence is off). */
  request (f, &reply, "GET", path, f->key, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (reply.json, "status"), ==, "completed");
  g_assert_true (json_object_get_null_member (reply.json, "vitals"));
  g_assert_false (json_object_get_boolean_member (reply.json, "result_available"));
  reply_clear (&reply);

  /* A result TTL after it ended, the maintenance pass forgets the session. */
  pass_time (f, TTL_S - 1);
  g_assert_cmpuint (vitals_status (f, path), ==, 200);
  pass_time (f, 1);
  g_assert_cmpuint (vitals_status (f, path), ==, 404);
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

  scan_video (f, id, "persist.webm", 70.0, FALSE, &reply);
  g_assert_cmpstr (json_object_get_string_member (reply.json, "status"), ==, "completed");
  first_hr = json_object_get_double_member (json_object_get_object_member (reply.json, "vitals"),
                                            "heart_rate");
  reply_clear (&reply);

  pass_time (f, TTL_S - 1);
  request (f, &reply, "GET", path, f->key, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (reply.json,
                                                                                   "vitals"),
                                                    "heart_rate"), ==, first_hr);
  reply_clear (&reply);
  pass_time (f, 1);
  g_assert_cmpuint (vitals_status (f, path), ==, 404);
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
  request (f, &reply, "GET", path, f->key, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (reply.json, "status"), ==, "processing");
  reply_clear (&reply);
  pass_time (f, 1);
  g_assert_cmpuint (vitals_status (f, path), ==, 404);
}

static void
test_v1_no_face_fails (Fixture *f,
                       gconstpointer data)
{
  g_autofree char *id = create_session (f);
  Reply reply;

  scan_video (f, id, "patch.webm", 70.0, TRUE, &reply);
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
  request (f, &reply, "POST", "/v1/scan-session", NULL, NULL);
  g_assert_cmpuint (reply.status, ==, 401);
  g_assert_nonnull (json_object_get_string_member (reply.json, "detail"));
  reply_clear (&reply);
  request (f, &reply, "POST", "/v1/scan-session", "ck_live_not_a_real_key", NULL);
  g_assert_cmpuint (reply.status, ==, 401);
  reply_clear (&reply);

  /* Not a video: 400. */
  g_assert_true (g_file_set_contents (text, "plain text pretending to be a video\n", -1, NULL));
  bad_form = form_with_file (text, "notes.mp4", "video/mp4");
  request (f, &reply, "POST", upload, f->key, bad_form);
  g_assert_cmpuint (reply.status, ==, 400);
  g_assert_nonnull (strstr (json_object_get_string_member (reply.json, "detail"),
                            "Unsupported"));
  reply_clear (&reply);

  /* A form without the file field: 400. */
  soup_multipart_append_form_string (no_file, "comment", "hello");
  request (f, &reply, "POST", upload, f->key, no_file);
  g_assert_cmpuint (reply.status, ==, 400);
  reply_clear (&reply);

  /* Unknown session: 404; unknown route: 404; wrong method: 405. */
  request (f, &reply, "GET", "/v1/scan-session/nope/vitals", f->key, NULL);
  g_assert_cmpuint (reply.status, ==, 404);
  reply_clear (&reply);
  request (f, &reply, "GET", "/v1/scan-session", f->key, NULL);
  g_assert_cmpuint (reply.status, ==, 405);
  reply_clear (&reply);
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

int
main (int argc,
      char *argv[])
{
  g_setenv ("OPENCV_LOG_LEVEL", "SILENT", TRUE);
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_test_add ("/capture/server-v1/video-completes", Fixture, NULL, fixture_setup,
              test_v1_video_completes, fixture_teardown);
  g_test_add ("/capture/server-v1/no-face-fails", Fixture, NULL, fixture_setup,
              test_v1_no_face_fails, fixture_teardown);
  g_test_add ("/capture/server-v1/errors", Fixture, NULL, fixture_setup, test_v1_errors,
              fixture_teardown);
  g_test_add ("/capture/server-v1/too-large", Fixture, NULL, fixture_setup, test_v1_too_large,
              fixture_teardown);
  g_test_add ("/capture/server-v1/persisted-until-ttl", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_v1_persisted_until_ttl, fixture_teardown);
  g_test_add ("/capture/server-v1/unused-session-expires", Fixture, NULL, fixture_setup,
              test_v1_unused_session_expires, fixture_teardown);

  return g_test_run ();
}
