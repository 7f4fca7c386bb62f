/* server-load.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Load test of the session API: N concurrent clients each run full scans (start → PUT payload
 * → upload-complete → result) against an embedded vitalscan-server on loopback (or --url).
 * Prints scans/min, p50/p99 latency per step and the error count.
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "bench-util.h"
#include "vital-server-private.h"

typedef enum { STEP_START, STEP_UPLOAD, STEP_COMPLETE, STEP_RESULT, STEP_TOTAL, N_STEPS } Step;
static const char *step_names[N_STEPS] = { "start", "upload", "complete", "result", "scan" };

typedef struct
{
  const char *base_url;
  const char *key;
  GBytes     *payload;
  guint       scans;       /* scans this worker runs */
  guint       pause_ms;    /* between the PUT's answer and upload-complete */
  GArray     *ms[N_STEPS]; /* double */
  guint       errors;
  guint       deferred;    /* 202 answers that needed polling */
  char       *first_error;
} Worker;

static void
fail (Worker     *w,
      const char *step,
      guint       status)
{
  w->errors++;
  if (w->first_error == NULL)
    w->first_error = g_strdup_printf ("%s answered HTTP %u", step, status);
}

static gint64
timeval_us (const struct timeval *tv)
{
  return (gint64) tv->tv_sec * G_USEC_PER_SEC + tv->tv_usec;
}

static double
since_ms (gint64 t0)
{
  return (g_get_monotonic_time () - t0) / 1000.0;
}

static gpointer
worker_run (gpointer data)
{
  Worker *w = data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 120,
                                                                  "max-conns-per-host", 4,
                                                                  NULL);

  for (guint i = 0; i < w->scans; i++)
    {
      g_autofree char *url = NULL;
      g_autofree char *id = NULL;
      g_autofree char *upload_url = NULL;
      g_autofree char *body = NULL;
      g_autoptr(JsonNode) root = NULL;
      JsonObject *o;
      SoupMessage *msg;
      guint status;
      gint64 t_scan = g_get_monotonic_time ();
      gint64 t0;
      gboolean completed = FALSE;

      /* start */
      url = g_strconcat (w->base_url, "/sdk/session/start", NULL);
      msg = soup_message_new ("POST", url);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "X-API-Key", w->key);
      t0 = g_get_monotonic_time ();
      o = bench_send_json (session, msg, &status, &root);
      g_object_unref (msg);
      if (status != 200 || o == NULL)
        {
          fail (w, "start", status);
          continue;
        }
      g_array_append_val (w->ms[STEP_START], (double) { since_ms (t0) });
      id = g_strdup (json_object_get_string_member (o, "session_id"));
      upload_url = g_strdup (json_object_get_string_member (o, "upload_url"));
      g_clear_pointer (&root, json_node_unref);

      /* upload */
      msg = soup_message_new ("PUT", upload_url);
      soup_message_set_request_body_from_bytes (msg, "application/octet-stream", w->payload);
      t0 = g_get_monotonic_time ();
      o = bench_send_json (session, msg, &status, &root);
      g_object_unref (msg);
      g_clear_pointer (&root, json_node_unref);
      if (status != 200)
        {
          fail (w, "upload", status);
          continue;
        }
      g_array_append_val (w->ms[STEP_UPLOAD], (double) { since_ms (t0) });

      /* A client that does something else before completing (--pause-ms). */
      if (w->pause_ms > 0)
        g_usleep ((gulong) w->pause_ms * 1000);

      /* upload-complete (200 inline or 202) */
      g_free (url);
      url = g_strconcat (w->base_url, "/sdk/session/upload-complete", NULL);
      body = g_strdup_printf ("{\"session_id\":\"%s\"}", id);
      msg = soup_message_new ("POST", url);
      {
        g_autoptr(GBytes) json = g_bytes_new (body, strlen (body));

        soup_message_set_request_body_from_bytes (msg, "application/json", json);
      }
      soup_message_headers_replace (soup_message_get_request_headers (msg), "X-API-Key", w->key);
      t0 = g_get_monotonic_time ();
      o = bench_send_json (session, msg, &status, &root);
      g_object_unref (msg);
      if (status == 200 && o != NULL)
        completed = g_strcmp0 (json_object_get_string_member_with_default (o, "status", ""),
                               "completed") == 0;
      g_clear_pointer (&root, json_node_unref);
      if (status != 200 && status != 202)
        {
          fail (w, "upload-complete", status);
          continue;
        }
      g_array_append_val (w->ms[STEP_COMPLETE], (double) { since_ms (t0) });

      /* result: measured from upload-complete; polled when the answer was 202 */
      if (!completed)
        {
          w->deferred++;
          g_free (url);
          url = g_strdup_printf ("%s/sdk/session/%s/result", w->base_url, id);
          for (guint attempt = 0; attempt < 600 && !completed; attempt++)
            {
              msg = soup_message_new ("GET", url);
              soup_message_headers_replace (soup_message_get_request_headers (msg), "X-API-Key",
                                            w->key);
              o = bench_send_json (session, msg, &status, &root);
              g_object_unref (msg);
              if (status != 200 || o == NULL)
                break;
              if (g_strcmp0 (json_object_get_string_member_with_default (o, "status", ""),
                             "completed") == 0)
                completed = TRUE;
              else if (g_strcmp0 (json_object_get_string_member_with_default (o, "status", ""),
                                  "processing") != 0)
                break;
              g_clear_pointer (&root, json_node_unref);
              if (!completed)
                g_usleep (20 * 1000);
            }
          g_clear_pointer (&root, json_node_unref);
        }
      if (!completed)
        {
          fail (w, "result", status);
          continue;
        }
      g_array_append_val (w->ms[STEP_RESULT], (double) { since_ms (t0) });
      g_array_append_val (w->ms[STEP_TOTAL], (double) { since_ms (t_scan) });
    }
  return NULL;
}

int
main (int    argc,
      char **argv)
{
  int concurrency = 4, scans = 40, frames = 900, workers = 0, pause_ms = 0;
  gboolean sandbox = FALSE;
  g_autofree char *url = NULL;
  g_autofree char *api_key = NULL;
  GOptionEntry entries[] = {
    { "concurrency", 'c', 0, G_OPTION_ARG_INT, &concurrency, "Concurrent clients (4)", "N" },
    { "scans", 'n', 0, G_OPTION_ARG_INT, &scans, "Total scans (40)", "N" },
    { "frames", 'f', 0, G_OPTION_ARG_INT, &frames, "Frames per payload (900 = 30 s)", "N" },
    { "workers", 'w', 0, G_OPTION_ARG_INT, &workers, "Server worker threads (CPUs)", "N" },
    { "pause-ms", 0, 0, G_OPTION_ARG_INT, &pause_ms,
      "Wait between the upload's answer and upload-complete (0)", "MS" },
    { "sandbox", 0, 0, G_OPTION_ARG_NONE, &sandbox, "Use a ck_test_ key (no engine)", NULL },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, "Use a running server instead", "URL" },
    { "api-key", 0, 0, G_OPTION_ARG_STRING, &api_key, "Key for --url", "KEY" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- session API load test");
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalServer) server = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autofree Worker *w = NULL;
  g_autofree char *key = NULL;
  GArray *all[N_STEPS];
  guint errors = 0, deferred = 0, done = 0;
  const char *first_error = NULL;
  double elapsed_s;
  double cpu_ms;
  struct rusage usage0, usage1;
  gint64 t0;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "server-load: %s\n", error->message);
      return 2;
    }
  concurrency = CLAMP (concurrency, 1, 256);
  scans = MAX (scans, concurrency);
  frames = CLAMP (frames, 30, VITAL_TENSOR_MAX_FRAMES);

  payload = bench_payload ((guint) frames, &error);
  if (payload == NULL)
    {
      fprintf (stderr, "server-load: %s\n", error->message);
      return 1;
    }

  if (url == NULL)
    {
      g_autoptr(VitalServerConfig) config = vital_server_config_new ();

      config->workers = workers > 0 ? (guint) workers : g_get_num_processors ();
      config->anonymous_rate_limit = 0;
      server = vital_server_new (config, &error);
      key = vital_key_generate (sandbox ? VITAL_KEY_ENV_TEST : VITAL_KEY_ENV_LIVE, &error);
      if (server == NULL || key == NULL
          || !vital_server_add_key (server, key, "bench", 0, 0, &error)
          || !vital_server_listen_local (server, 0, &error))
        {
          fprintf (stderr, "server-load: %s\n", error->message);
          return 1;
        }
      url = g_strdup (vital_server_get_base_url (server));
    }
  else
    {
      if (api_key == NULL)
        api_key = g_strdup (g_getenv ("VITALSCAN_API_KEY"));
      if (api_key == NULL)
        {
          fprintf (stderr, "server-load: --url needs --api-key (or VITALSCAN_API_KEY)\n");
          return 2;
        }
      key = g_strdup (api_key);
    }

  printf ("conditions: %d clients, %d scans, %d frames (%.0f s at 30 fps), payload %" G_GSIZE_FORMAT
          " bytes, %s key, %s server, %u CPUs\n", concurrency, scans, frames, frames / 30.0,
          g_bytes_get_size (payload), g_str_has_prefix (key, "ck_test_") ? "test" : "live",
          server != NULL ? "embedded" : "remote", g_get_num_processors ());
  if (pause_ms > 0)
    printf ("conditions: clients wait %d ms between the upload's answer and upload-complete\n",
            pause_ms);

  w = g_new0 (Worker, concurrency);
  for (int i = 0; i < concurrency; i++)
    {
      w[i].base_url = url;
      w[i].key = key;
      w[i].payload = payload;
      w[i].scans = (guint) (scans / concurrency + (i < scans % concurrency ? 1 : 0));
      w[i].pause_ms = (guint) MAX (pause_ms, 0);
      for (int s = 0; s < N_STEPS; s++)
        w[i].ms[s] = g_array_new (FALSE, FALSE, sizeof (double));
    }
  getrusage (RUSAGE_SELF, &usage0);
  t0 = g_get_monotonic_time ();
  for (int i = 0; i < concurrency; i++)
    g_ptr_array_add (threads, g_thread_new ("load", worker_run, &w[i]));
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);
  elapsed_s = (g_get_monotonic_time () - t0) / 1e6;
  getrusage (RUSAGE_SELF, &usage1);
  cpu_ms = (timeval_us (&usage1.ru_utime) - timeval_us (&usage0.ru_utime)
            + timeval_us (&usage1.ru_stime) - timeval_us (&usage0.ru_stime)) / 1000.0;

  for (int s = 0; s < N_STEPS; s++)
    all[s] = g_array_new (FALSE, FALSE, sizeof (double));
  for (int i = 0; i < concurrency; i++)
    {
      errors += w[i].errors;
      deferred += w[i].deferred;
      if (first_error == NULL)
        first_error = w[i].first_error;
      for (int s = 0; s < N_STEPS; s++)
        g_array_append_vals (all[s], w[i].ms[s]->data, w[i].ms[s]->len);
    }
  done = all[STEP_TOTAL]->len;

  printf ("scans_completed: %u scans\n", done);
  printf ("scans_per_min: %.1f scans/min\n", done / elapsed_s * 60.0);
  printf ("errors: %u\n", errors);
  printf ("deferred_202: %u\n", deferred);
  /* How many uploads the embedded server inflated while they arrived (docs/api.md). */
  if (server != NULL)
    printf ("streamed_decodes: %u scans\n", vital_server_count_streamed_decodes (server));
  /* CPU time of the whole process (clients and, when embedded, the server): on a busy machine
   * it varies far less than wall time, and bounds what an idle machine could sustain. */
  if (done > 0)
    {
      printf ("cpu_per_scan: %.1f ms\n", cpu_ms / done);
      printf ("cpu_bound_scans_per_min: %.1f scans/min\n",
              60.0 * 1000.0 * g_get_num_processors () / (cpu_ms / done));
    }
  for (int s = 0; s < N_STEPS; s++)
    {
      printf ("%s_p50: %.1f ms\n", step_names[s], bench_percentile (all[s], 0.50));
      printf ("%s_p99: %.1f ms\n", step_names[s], bench_percentile (all[s], 0.99));
    }
  if (first_error != NULL)
    fprintf (stderr, "first error: %s\n", first_error);

  for (int i = 0; i < concurrency; i++)
    {
      for (int s = 0; s < N_STEPS; s++)
        g_array_unref (w[i].ms[s]);
      g_free (w[i].first_error);
    }
  for (int s = 0; s < N_STEPS; s++)
    g_array_unref (all[s]);
  if (server != NULL)
    vital_server_stop (server);
  return errors == 0 ? 0 : 1;
}
