/* vital-processor.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalProcessor: a GThreadPool. Each job reads the spooled payload, decodes it, runs the engine
 * (live keys) or the sandbox generator (test keys), deletes the payload whatever the outcome,
 * records the outcome in the store and reports back on the callback context.
 */
#include <math.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "vital-processor.h"
#include "vital-sandbox.h"
#include "vital-server-error.h"
#include "vital-server-json.h"
#include "vital-tensor.h"

typedef struct
{
  VitalSession *session;
  char         *payload_path;
} Job;

typedef struct
{
  VitalProcessor *self;
  char           *session_id;
  gboolean        completed;
  char           *error_text;
} Done;

struct _VitalProcessor
{
  GObject                 parent_instance;
  VitalSessionStore      *store;
  VitalClock             *clock;
  GThreadPool            *pool;
  gboolean                persist;
  guint                   result_ttl_s;
  VitalPulseMethod        method;

  GMutex                  mutex;
  GCond                   cond;
  guint                   in_flight;
  GMainContext           *done_context;
  VitalProcessorDoneFunc  done_func;
  gpointer                done_data;
};

G_DEFINE_FINAL_TYPE (VitalProcessor, vital_processor, G_TYPE_OBJECT)

static void
job_free (Job *job)
{
  vital_session_free (job->session);
  g_free (job->payload_path);
  g_free (job);
}

static void
done_free (Done *done)
{
  g_object_unref (done->self);
  g_free (done->session_id);
  g_free (done->error_text);
  g_free (done);
}

static gboolean
done_dispatch (gpointer data)
{
  Done *done = data;
  VitalProcessor *self = done->self;
  VitalProcessorDoneFunc func;
  gpointer func_data;

  g_mutex_lock (&self->mutex);
  func = self->done_func;
  func_data = self->done_data;
  g_mutex_unlock (&self->mutex);

  if (func != NULL)
    func (done->session_id, done->completed, done->error_text, func_data);

  g_mutex_lock (&self->mutex);
  self->in_flight--;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
  return G_SOURCE_REMOVE;
}

static char *
build_result (const VitalSession *session,
              const VitalVitals  *vitals,
              double              processing_time_ms,
              gint64              completed_us)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "session_id");
  json_builder_add_string_value (b, session->id);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "completed");
  json_builder_set_member_name (b, "vitals");
  json_builder_add_value (b, vital_server_json_vitals (vitals));
  json_builder_set_member_name (b, "signal_quality");
  json_builder_add_value (b, vital_server_json_signal_quality (vitals));
  json_builder_set_member_name (b, "processing_time_ms");
  json_builder_add_double_value (b, round (processing_time_ms * 10) / 10);
  json_builder_set_member_name (b, "completed_at");
  json_builder_add_int_value (b, completed_us / G_USEC_PER_SEC);
  json_builder_set_member_name (b, "sandbox");
  json_builder_add_boolean_value (b, session->environment == VITAL_KEY_ENV_TEST);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return vital_server_json_to_string (root);
}

static void
process_job (gpointer data,
             gpointer user_data)
{
  Job *job = data;
  VitalProcessor *self = user_data;
  const VitalSession *session = job->session;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(VitalTensor) tensor = NULL;
  g_autoptr(VitalVitals) vitals = NULL;
  g_autofree char *result_json = NULL;
  g_autofree char *error_text = NULL;
  gint64 started = g_get_monotonic_time ();
  double elapsed_ms;
  gint64 now_us;
  Done *done;

  mapped = g_mapped_file_new (job->payload_path, FALSE, &error);
  if (mapped != NULL)
    {
      payload = g_mapped_file_get_bytes (mapped);
      tensor = vital_tensor_decode (payload, NULL, &error);
      if (tensor == NULL)
        g_prefix_error (&error, "The payload is not a valid Vitalscan tensor: ");
    }
  else
    g_prefix_error (&error, "The uploaded payload could not be read: ");

  if (tensor != NULL)
    {
      if (session->environment == VITAL_KEY_ENV_TEST)
        vitals = vital_sandbox_vitals (session->id);
      else
        {
          VitalEngineOptions options = { self->method, NULL };
          gboolean has_demographics = session->demographics.age > 0
                                      || session->demographics.sex != VITAL_SEX_UNKNOWN
                                      || session->demographics.fitzpatrick > 0;

          if (has_demographics)
            options.demographics = &session->demographics;
          vitals = vital_engine_analyze (tensor, &options, &error);
        }
    }

  /* Privacy: the payload goes as soon as processing ends, whatever the outcome. */
  g_clear_pointer (&tensor, vital_tensor_unref);
  g_clear_pointer (&payload, g_bytes_unref);
  g_clear_pointer (&mapped, g_mapped_file_unref);
  if (g_unlink (job->payload_path) != 0)
    g_warning ("session %s: could not delete its payload", session->id);

  elapsed_ms = (g_get_monotonic_time () - started) / 1000.0;
  now_us = vital_clock_now_us (self->clock);
  if (vitals != NULL)
    result_json = build_result (session, vitals, elapsed_ms, now_us);
  else
    error_text = g_strdup (error != NULL ? error->message : "Processing failed");

  if (!vital_session_store_finish (self->store, session->id, vitals != NULL, result_json,
                                   error_text, elapsed_ms, now_us, self->persist,
                                   now_us + (gint64) self->result_ttl_s * G_USEC_PER_SEC,
                                   &store_error))
    {
      g_warning ("session %s: could not record the outcome: %s", session->id,
                 store_error->message);
      if (error_text == NULL)
        error_text = g_strdup ("The result could not be recorded");
      g_clear_pointer (&result_json, g_free);
      g_clear_pointer (&vitals, vital_vitals_free);
    }

  g_info ("session %s: %s", session->id, vitals != NULL ? "completed" : "failed");

  done = g_new0 (Done, 1);
  done->self = g_object_ref (self);
  done->session_id = g_strdup (session->id);
  done->completed = vitals != NULL;
  done->error_text = g_steal_pointer (&error_text);

  g_mutex_lock (&self->mutex);
  if (self->done_context != NULL)
    {
      GMainContext *context = g_main_context_ref (self->done_context);

      g_mutex_unlock (&self->mutex);
      g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, done_dispatch, done,
                                  (GDestroyNotify) done_free);
      g_main_context_unref (context);
    }
  else
    {
      self->in_flight--;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->mutex);
      done_free (done);
    }
  job_free (job);
}

static void
vital_processor_finalize (GObject *object)
{
  VitalProcessor *self = VITAL_PROCESSOR (object);

  g_clear_pointer (&self->done_context, g_main_context_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->clock);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (vital_processor_parent_class)->finalize (object);
}

static void
vital_processor_dispose (GObject *object)
{
  VitalProcessor *self = VITAL_PROCESSOR (object);

  /* Jobs hold no reference to the processor: wait for them before it goes. */
  if (self->pool != NULL)
    {
      g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
    }
  G_OBJECT_CLASS (vital_processor_parent_class)->dispose (object);
}

static void
vital_processor_class_init (VitalProcessorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vital_processor_dispose;
  G_OBJECT_CLASS (klass)->finalize = vital_processor_finalize;
}

static void
vital_processor_init (VitalProcessor *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
}

/**
 * vital_processor_new:
 * @store: where outcomes are recorded
 * @clock: the clock for completion times and result TTLs
 * @workers: number of threads (at least 1)
 * @persist: persist results for @result_ttl_s
 * @result_ttl_s: how long results are held
 * @method: the pulse method for live sessions
 *
 * Returns: (transfer full): a new processor
 */
VitalProcessor *
vital_processor_new (VitalSessionStore *store,
                     VitalClock        *clock,
                     guint              workers,
                     gboolean           persist,
                     guint              result_ttl_s,
                     VitalPulseMethod   method)
{
  VitalProcessor *self = g_object_new (VITAL_TYPE_PROCESSOR, NULL);

  self->store = g_object_ref (store);
  self->clock = g_object_ref (clock);
  self->persist = persist;
  self->result_ttl_s = result_ttl_s;
  self->method = method;
  self->pool = g_thread_pool_new (process_job, self, (int) MAX (workers, 1), FALSE, NULL);
  return self;
}

/**
 * vital_processor_set_done_func:
 * @self: a #VitalProcessor
 * @context: (nullable): where @func runs (%NULL: no callback)
 * @func: (nullable): called once per finished job
 * @user_data: data for @func
 *
 * Sets the completion callback.
 */
void
vital_processor_set_done_func (VitalProcessor         *self,
                               GMainContext           *context,
                               VitalProcessorDoneFunc  func,
                               gpointer                user_data)
{
  g_return_if_fail (VITAL_IS_PROCESSOR (self));

  g_mutex_lock (&self->mutex);
  g_clear_pointer (&self->done_context, g_main_context_unref);
  if (context != NULL && func != NULL)
    self->done_context = g_main_context_ref (context);
  self->done_func = func;
  self->done_data = user_data;
  g_mutex_unlock (&self->mutex);
}

/**
 * vital_processor_submit:
 * @self: a #VitalProcessor
 * @session: the session, already marked processing
 * @payload_path: its spooled payload (deleted by the job)
 * @error: return location for a #GError
 *
 * Queues a job.
 *
 * Returns: %TRUE when queued
 */
gboolean
vital_processor_submit (VitalProcessor      *self,
                        const VitalSession  *session,
                        const char          *payload_path,
                        GError             **error)
{
  Job *job;

  g_return_val_if_fail (VITAL_IS_PROCESSOR (self), FALSE);

  job = g_new0 (Job, 1);
  job->session = vital_session_copy (session);
  job->payload_path = g_strdup (payload_path);

  g_mutex_lock (&self->mutex);
  self->in_flight++;
  g_mutex_unlock (&self->mutex);

  if (self->pool == NULL || !g_thread_pool_push (self->pool, job, error))
    {
      g_mutex_lock (&self->mutex);
      self->in_flight--;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->mutex);
      job_free (job);
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SERVICE_UNAVAILABLE,
                             "The server is shutting down");
      return FALSE;
    }
  return TRUE;
}

/**
 * vital_processor_get_in_flight:
 * @self: a #VitalProcessor
 *
 * Returns: jobs queued or running whose callback has not run yet
 */
guint
vital_processor_get_in_flight (VitalProcessor *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->in_flight;
  g_mutex_unlock (&self->mutex);
  return n;
}

/**
 * vital_processor_drain:
 * @self: a #VitalProcessor
 *
 * Blocks until every submitted job has finished and its callback has run. The callback
 * context must be iterated by another thread meanwhile (or be %NULL).
 */
void
vital_processor_drain (VitalProcessor *self)
{
  g_mutex_lock (&self->mutex);
  while (self->in_flight > 0)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);
}
