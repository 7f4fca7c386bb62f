/* test-payload-decoder.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The decode hook for a payload kind, driven directly: a VitalServer with a decoder registered
 * for a made-up kind ("placeholder": a file naming a frame count, decoded into the placeholder
 * subject) processes that kind's sessions on its pool like the session API's, words their
 * failures as the hook says, never decodes a sandbox one, fails a kind nobody registered, and
 * refuses a second payload for one session; the session API neither finds nor lists them.
 */
#include <string.h>
#include <glib/gstdio.h>

#include "vital-server-private.h"
#include "vital-tensor-placeholder.h"
#include "vital-test-http.h"
#include "vital-test-server.h"
#include "vital-test-util.h"

#define KIND "placeholder"
#define LIVE_KEY "ck_live_dddddddddddddddddddddddd"
#define TEST_KEY "ck_test_eeeeeeeeeeeeeeeeeeeeeeee"

#define TEST_ERROR (g_quark_from_static_string ("test-payload-decoder"))

typedef struct
{
  VitalServer *server;
  VitalClock  *clock;
  GMutex       mutex;
  GPtrArray   *decoded;   /* paths the hook was called with, under mutex */
  gboolean     destroyed;
} Fixture;

/* Worker thread: the payload is text, "frames N" (a tensor of the placeholder subject) or
 * anything else (an error of the hook's own domain). */
static VitalTensor *
decode_placeholder (const char  *payload_path,
                    gpointer     user_data,
                    GError     **error)
{
  Fixture *f = user_data;
  g_autofree char *text = NULL;
  guint64 frames;

  g_mutex_lock (&f->mutex);
  g_ptr_array_add (f->decoded, g_strdup (payload_path));
  g_mutex_unlock (&f->mutex);
  if (!g_file_get_contents (payload_path, &text, NULL, error))
    return NULL;
  if (!g_str_has_prefix (text, "frames ")
      || !g_ascii_string_to_unsigned (text + 7, 10, 1, 3000, &frames, NULL))
    {
      g_set_error (error, TEST_ERROR, 1, "internal decoder detail from %s", payload_path);
      return NULL;
    }
  return vital_tensor_placeholder ((guint) frames);
}

static const char *
describe_placeholder (const GError *error,
                      gpointer      user_data)
{
  return error->domain == TEST_ERROR ? "The placeholder was unreadable" : error->message;
}

static const VitalPayloadDecoder placeholder_decoder = {
  decode_placeholder, describe_placeholder
};

static void
destroy_data (gpointer data)
{
  ((Fixture *) data)->destroyed = TRUE;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(VitalServerConfig) config = vital_server_config_new ();
  g_autoptr(GError) error = NULL;
  const VitalTestKey keys[] = {
    { LIVE_KEY, "clinic", 0, 0 },
    { TEST_KEY, "sandbox", 0, 0 },
  };

  g_mutex_init (&f->mutex);
  f->decoded = g_ptr_array_new_with_free_func (g_free);
  f->clock = vital_clock_new_manual ((gint64) 1795000000 * G_USEC_PER_SEC);
  config->clock = g_object_ref (f->clock);
  config->persist_vitals = TRUE;
  f->server = vital_server_new (config, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (vital_server_add_key (f->server, keys[i].key, keys[i].owner, 0, 0, &error));
  vital_server_register_payload_decoder (f->server, KIND, &placeholder_decoder, f,
                                         destroy_data);
  g_assert_true (vital_server_listen_local (f->server, 0, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  vital_server_stop (f->server);
  g_clear_object (&f->server);
  /* The server owned the hook's data. */
  g_assert_true (f->destroyed);
  g_clear_object (&f->clock);
  g_ptr_array_unref (f->decoded);
  g_mutex_clear (&f->mutex);
}

/* A pending session of @kind for @key, as a dialect creates it. */
static char *
new_session (Fixture    *f,
             const char *key,
             const char *kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalKeyInfo) info = NULL;
  VitalSession s = { 0 };
  char *id = g_uuid_string_random ();

  info = vital_keys_lookup (vital_server_get_keys (f->server), key);
  g_assert_nonnull (info);
  s.id = id;
  s.key_id = info->key_id;
  s.environment = info->environment;
  s.status = VITAL_SESSION_PENDING;
  s.created_us = vital_clock_now_us (f->clock);
  s.expires_us = s.created_us + 900 * G_USEC_PER_SEC;
  s.payload_kind = (char *) kind;
  g_assert_true (vital_session_store_insert (vital_server_get_store (f->server), &s, &error));
  g_assert_no_error (error);
  return id;
}

/* Writes @text to a file in the spool, as a dialect receives a payload. */
static char *
spool_file (Fixture    *f,
            const char *text)
{
  g_autofree char *name = g_strdup_printf ("test-%u.part", g_random_int ());
  char *path = g_build_filename (vital_server_get_spool_dir (f->server), name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

/* Hands @text over as the session's payload and waits for its outcome. */
static VitalSession *
process (Fixture    *f,
         const char *id,
         const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = spool_file (f, text);

  g_assert_true (vital_server_process_payload (f->server, id, path, (gint64) strlen (text),
                                               &error));
  g_assert_no_error (error);
  /* Moved into the spool as the session's payload. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  vital_server_wait_idle (f->server);
  return vital_session_store_get (vital_server_get_store (f->server), id,
                                  vital_clock_now_us (f->clock), &error);
}

static guint
count_decoded (Fixture *f)
{
  guint n;

  g_mutex_lock (&f->mutex);
  n = f->decoded->len;
  g_mutex_unlock (&f->mutex);
  return n;
}

static void
test_decoded_and_measured (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *id = new_session (f, LIVE_KEY, KIND);
  g_autoptr(VitalSession) done = process (f, id, "frames 600");
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;
  g_autoptr(JsonNode) json = NULL;
  double hr;

  g_assert_nonnull (done);
  g_assert_cmpint (done->status, ==, VITAL_SESSION_COMPLETED);
  g_assert_cmpstr (done->payload_kind, ==, KIND);
  /* The hook was called once, with the session's spooled payload, which is deleted now. */
  g_assert_cmpuint (count_decoded (f), ==, 1);
  g_assert_true (g_str_has_prefix (f->decoded->pdata[0],
                                   vital_server_get_spool_dir (f->server)));
  g_assert_nonnull (strstr (f->decoded->pdata[0], id));
  g_assert_false (g_file_test (f->decoded->pdata[0], G_FILE_TEST_EXISTS));
  /* The engine ran on what the hook decoded: the placeholder subject's 72 bpm. */
  result = vital_session_store_take_result (vital_server_get_store (f->server), id,
                                            vital_clock_now_us (f->clock), &error);
  g_assert_no_error (error);
  json = vital_test_json_parse (result);
  hr = vital_test_json_double (vital_test_json_member (json, "vitals"), "heart_rate");
  g_assert_cmpfloat (hr, >=, 70);
  g_assert_cmpfloat (hr, <=, 74);
  g_assert_false (vital_test_json_boolean (json, "sandbox"));
}

static void
test_failure_worded_by_hook (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *id = new_session (f, LIVE_KEY, KIND);
  g_autoptr(VitalSession) done = process (f, id, "not a placeholder");

  g_assert_cmpint (done->status, ==, VITAL_SESSION_FAILED);
  g_assert_cmpstr (done->error, ==, "The placeholder was unreadable");
  g_assert_false (done->retryable);
  g_assert_cmpuint (count_decoded (f), ==, 1);
}

static void
test_sandbox_not_decoded (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *id = new_session (f, TEST_KEY, KIND);
  g_autoptr(VitalSession) done = process (f, id, "not a placeholder either");
  g_autofree char *result = NULL;
  g_autoptr(JsonNode) json = NULL;

  g_assert_cmpint (done->status, ==, VITAL_SESSION_COMPLETED);
  g_assert_cmpuint (count_decoded (f), ==, 0);
  result = vital_session_store_take_result (vital_server_get_store (f->server), id,
                                            vital_clock_now_us (f->clock), NULL);
  json = vital_test_json_parse (result);
  g_assert_true (vital_test_json_boolean (json, "sandbox"));
}

static void
test_unknown_kind_fails (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *id = new_session (f, LIVE_KEY, "hologram");
  g_autoptr(VitalSession) done = process (f, id, "frames 600");

  g_assert_cmpint (done->status, ==, VITAL_SESSION_FAILED);
  g_assert_nonnull (strstr (done->error, "hologram"));
  g_assert_cmpuint (count_decoded (f), ==, 0);
}

static void
test_one_payload_per_session (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *id = new_session (f, LIVE_KEY, KIND);
  g_autoptr(VitalSession) done = process (f, id, "frames 600");
  g_autofree char *again = spool_file (f, "frames 600");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (done->status, ==, VITAL_SESSION_COMPLETED);
  g_assert_false (vital_server_process_payload (f->server, id, again, 10, &error));
  g_assert_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  /* Refused payloads are deleted, and never decoded. */
  g_assert_false (g_file_test (again, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_decoded (f), ==, 1);

  g_free (again);
  again = spool_file (f, "frames 600");
  g_assert_false (vital_server_process_payload (f->server, "no-such-session", again, 10,
                                                &error));
  g_assert_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SESSION_NOT_FOUND);
  g_assert_false (g_file_test (again, G_FILE_TEST_EXISTS));
}

/* The session API's routes neither find nor list another kind's sessions, even for the key
 * that created them; its own sessions are listed as before. */
static void
test_session_api_ignores_kind (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *id = new_session (f, LIVE_KEY, KIND);
  g_autofree char *tensor_id = new_session (f, LIVE_KEY, VITAL_PAYLOAD_KIND_TENSOR);
  g_autofree char *path = g_strdup_printf ("/sdk/session/%s/result", id);
  g_autofree char *tensor_path = g_strdup_printf ("/sdk/session/%s/result", tensor_id);
  g_autoptr(VitalSession) done = process (f, id, "frames 600");
  g_autoptr(SoupSession) http = soup_session_new ();
  const char *base = vital_server_get_base_url (f->server);
  g_autoptr(VitalTestReply) result = NULL;
  g_autoptr(VitalTestReply) own = NULL;
  g_autoptr(VitalTestReply) history = NULL;
  JsonArray *sessions;

  g_assert_cmpint (done->status, ==, VITAL_SESSION_COMPLETED);
  result = vital_test_request (http, "GET", base, path, LIVE_KEY, NULL, NULL);
  g_assert_cmpuint (result->status, ==, 404);
  own = vital_test_request (http, "GET", base, tensor_path, LIVE_KEY, NULL, NULL);
  g_assert_cmpuint (own->status, ==, 200);
  history = vital_test_request (http, "GET", base, "/sdk/sessions", LIVE_KEY, NULL, NULL);
  g_assert_cmpuint (history->status, ==, 200);
  sessions = json_object_get_array_member (vital_test_json_object (history->json), "sessions");
  g_assert_cmpuint (json_array_get_length (sessions), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sessions, 0),
                                                  "session_id"), ==, tensor_id);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/server/payload-decoder/" path, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)

  ADD ("decoded-and-measured", test_decoded_and_measured);
  ADD ("failure-worded-by-hook", test_failure_worded_by_hook);
  ADD ("sandbox-not-decoded", test_sandbox_not_decoded);
  ADD ("unknown-kind-fails", test_unknown_kind_fails);
  ADD ("one-payload-per-session", test_one_payload_per_session);
  ADD ("session-api-ignores-kind", test_session_api_ignores_kind);

  return g_test_run ();
}
