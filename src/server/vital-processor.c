/* vital-processor.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalProcessor: two GThreadPools, one for the early decodes of uploads
 * (vital-processor-prepare.c) and one for processing jobs. A processing job takes the early
 * decode (or decodes the payload itself when none was prepared), runs the engine (live keys)
 * or the sandbox generator (test keys), deletes the payload whatever the outcome, records the
 * outcome in the store and reports back on the callback context.
 * Payloads of another kind than the session API's tensor (a /v1 video) are decoded by the
 * decoder a dialect registered for that kind; everything else is the same for them.
 */
#include <math.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "vital-processor-private.h"
#include "vital-sandbox.h"
#include "vital-server-error.h"
#include "vital-server-json.h"
#include "vital-tensor.h"

/* While the store is unreachable (a shared database restarting), the outcome is written
 * again every RECORD_RETRY_INTERVAL_US for at most RECORD_RETRY_US before it is given up (the
 * session is then failed, retryably, by vital_server's sweep once the store is back). */
#define RECORD_RETRY_US (30 * G_USEC_PER_SEC)
#define RECORD_RETRY_INTERVAL_US (250 * 1000)

typedef struct
{
  VitalProcessor *self;
  char           *session_id;
  gboolean        completed;
  char           *error_text;
} Done;

/* What a dialect registered for its payload kind (vital_processor_register_decoder()). */
typedef struct
{
  VitalPayloadDecoder funcs;
  gpointer            user_data;
  GDestroyNotify      destroy;
} Decoder;

G_DEFINE_FINAL_TYPE (VitalProcessor, vital_processor, G_TYPE_OBJECT)

static void
decoder_free (gpointer data)
{
  Decoder *decoder = data;

  if (decoder->destroy != NULL)
    decoder->destroy (decoder->user_data);
  g_free (decoder);
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
  json_builder_set_member_name (b, "vital_quality");
  json_builder_add_value (b, vital_server_json_vital_quality (vitals));
  json_builder_set_member_name (b, "not_measured");
  json_builder_add_value (b, vital_server_json_not_measured (vitals));
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

/* Writes the outcome, again and again while the store is unreachable (bounded). */
static gboolean
record_outcome (VitalProcessor  *self,
                const char      *id,
                gboolean         completed,
                const char      *result_json,
                const char      *error_text,
                double           elapsed_ms,
                gint64           now_us,
                GError         **error)
{
  gint64 give_up = g_get_monotonic_time () + RECORD_RETRY_US;

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;

      if (vital_session_store_finish (self->store, id, completed, result_json, error_text,
                                      elapsed_ms, now_us, self->persist,
                                      now_us + (gint64) self->result_ttl_s * G_USEC_PER_SEC,
                                      &local_error))
        return TRUE;
      if (!g_error_matches (local_error, VITAL_SERVER_ERROR,
                            VITAL_SERVER_ERROR_SERVICE_UNAVAILABLE)
          || g_get_monotonic_time () >= give_up)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_usleep (RECORD_RETRY_INTERVAL_US);
    }
}

static void
process_job (VitalProcessor *self,
             Job            *job)
{
  const VitalSession *session = job->session;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  g_autoptr(VitalTensor) tensor = NULL;
  g_autoptr(VitalTensorReader) reader = NULL;
  g_autoptr(VitalVitals) vitals = NULL;
  g_autofree char *result_json = NULL;
  g_autofree char *error_text = NULL;
  gboolean sandbox = session->environment == VITAL_KEY_ENV_TEST;
  const Decoder *decoder = NULL;
  const char *kind;
  gint64 started = g_get_monotonic_time ();
  double elapsed_ms;
  gint64 now_us;
  Done *done;

  kind = vital_session_get_payload_kind (session);
  if (g_str_equal (kind, VITAL_PAYLOAD_KIND_TENSOR))
    {
      /* Sandbox tensors are decoded too: a malformed one fails as it would live. */
      if (!vital_processor_take_prepared (self, session->id, &tensor, &reader, &error))
        tensor = vital_processor_decode_upload (self, reader, job->payload_path, &error);
    }
  else
    {
      g_mutex_lock (&self->mutex);
      decoder = g_hash_table_lookup (self->decoders, kind);
      g_mutex_unlock (&self->mutex);
      if (decoder == NULL)
        g_set_error (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_PROCESSING_FAILED,
                     "This server cannot process payloads of kind “%s”", kind);
      else if (!sandbox)
        tensor = decoder->funcs.decode (job->payload_path, decoder->user_data, &error);
    }

  /* Sandbox vitals come from the session id. A registered kind's sandbox payload is not
   * decoded at all: decoding a video costs much and would change nothing. */
  if (sandbox && error == NULL)
    vitals = vital_sandbox_vitals (session->id);
  else if (tensor != NULL)
    {
      VitalEngineOptions options = { self->method, NULL };
      gboolean has_demographics = session->demographics.age > 0
                                  || session->demographics.sex != VITAL_SEX_UNKNOWN
                                  || session->demographics.fitzpatrick > 0;

      if (has_demographics)
        options.demographics = &session->demographics;
      vitals = vital_engine_analyze (tensor, &options, &error);
    }

  /* Privacy: the payload goes as soon as processing ends, whatever the outcome. */
  g_clear_pointer (&tensor, vital_tensor_unref);
  if (g_unlink (job->payload_path) != 0)
    g_warning ("session %s: could not delete its payload", session->id);

  elapsed_ms = (g_get_monotonic_time () - started) / 1000.0;
  now_us = vital_clock_now_us (self->clock);
  if (vitals != NULL)
    result_json = build_result (session, vitals, elapsed_ms, now_us);
  else if (error != NULL && decoder != NULL && decoder->funcs.describe != NULL)
    error_text = g_strdup (decoder->funcs.describe (error, decoder->user_data));
  else
    error_text = g_strdup (error != NULL ? error->message : "Processing failed");

  if (!record_outcome (self, session->id, vitals != NULL, result_json, error_text, elapsed_ms,
                       now_us, &store_error))
    {
      g_message ("session %s: could not record the outcome: %s", session->id,
                 store_error->message);
      if (error_text == NULL)
        error_text = g_strdup ("The result could not be recorded");
      g_clear_pointer (&result_json, g_free);
      g_clear_pointer (&vitals, vital_vitals_free);
    }

  g_info ("session %s: %s", session->id, vitals != NULL ? "completed" : "failed");

  g_mutex_lock (&self->mutex);
  g_hash_table_remove (self->active, session->id);
  g_mutex_unlock (&self->mutex);

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
}

static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  VitalProcessor *self = user_data;

  if (job->kind == JOB_DECODE)
    vital_processor_decode_job (self, job);
  else
    process_job (self, job);
  vital_processor_job_free (job);
}

static void
vital_processor_finalize (GObject *object)
{
  VitalProcessor *self = VITAL_PROCESSOR (object);

  g_clear_pointer (&self->done_context, g_main_context_unref);
  g_clear_pointer (&self->prepared, g_hash_table_unref);
  g_clear_pointer (&self->active, g_hash_table_unref);
  g_clear_pointer (&self->decoders, g_hash_table_unref);
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

  /* Jobs hold no reference to the processor: wait for them before it goes. Queued decode
   * jobs see `closing` and return at once. */
  g_mutex_lock (&self->mutex);
  self->closing = TRUE;
  g_mutex_unlock (&self->mutex);
  vital_processor_set_paused (self, FALSE);
  if (self->decode_pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->decode_pool), FALSE, TRUE);
  if (self->pool != NULL)
    {
      g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
    }
  vital_processor_forget_all (self);
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
  self->prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          vital_processor_prepared_free);
  self->active = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->decoders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, decoder_free);
}

/**
 * vital_processor_new:
 * @store: where outcomes are recorded
 * @clock: the clock for completion times and result TTLs
 * @workers: number of processing threads, and of early-decode threads (at least 1 each)
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
  self->workers = MAX (workers, 1);
  self->pool = g_thread_pool_new (run_job, self, (int) self->workers, FALSE, NULL);
  self->decode_pool = g_thread_pool_new (run_job, self, (int) MAX (workers, 1), FALSE, NULL);
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
 * vital_processor_register_decoder:
 * @self: a #VitalProcessor
 * @kind: a payload kind other than %VITAL_PAYLOAD_KIND_TENSOR, not registered yet
 * @decoder: how to decode a payload of @kind into the tensor the engine measures (on a
 *   worker thread) and, optionally, how to word a failure of these sessions (the decoder's or
 *   the engine's) for the session's error (copied)
 * @user_data: data for @decoder's functions
 * @destroy: (nullable): frees @user_data when @self goes
 *
 * Lets the processor process sessions whose payload is of @kind: their jobs are queued,
 * claimed, recorded and failed like every other, only the payload is decoded by @decoder.
 * Sandbox sessions of @kind are not decoded: they get the sandbox vitals.
 */
void
vital_processor_register_decoder (VitalProcessor            *self,
                                  const char                *kind,
                                  const VitalPayloadDecoder *decoder,
                                  gpointer                   user_data,
                                  GDestroyNotify             destroy)
{
  Decoder *registered;

  g_return_if_fail (VITAL_IS_PROCESSOR (self));
  g_return_if_fail (kind != NULL && decoder != NULL && decoder->decode != NULL);
  g_return_if_fail (!g_str_equal (kind, VITAL_PAYLOAD_KIND_TENSOR));

  registered = g_new0 (Decoder, 1);
  registered->funcs = *decoder;
  registered->user_data = user_data;
  registered->destroy = destroy;
  g_mutex_lock (&self->mutex);
  if (g_hash_table_contains (self->decoders, kind))
    {
      g_mutex_unlock (&self->mutex);
      g_critical ("A decoder for payload kind “%s” is registered already", kind);
      decoder_free (registered);
      return;
    }
  g_hash_table_insert (self->decoders, g_strdup (kind), registered);
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
  job->kind = JOB_PROCESS;
  job->session = vital_session_copy (session);
  job->payload_path = g_strdup (payload_path);

  g_mutex_lock (&self->mutex);
  self->in_flight++;
  g_hash_table_add (self->active, g_strdup (session->id));
  g_mutex_unlock (&self->mutex);

  if (self->pool == NULL || !g_thread_pool_push (self->pool, job, error))
    {
      g_mutex_lock (&self->mutex);
      self->in_flight--;
      g_hash_table_remove (self->active, session->id);
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->mutex);
      vital_processor_job_free (job);
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SERVICE_UNAVAILABLE,
                             "The server is shutting down");
      return FALSE;
    }
  return TRUE;
}

/**
 * vital_processor_has_job:
 * @self: a #VitalProcessor
 * @session_id: a session
 *
 * Returns: %TRUE while the session's job is queued or running and its outcome not yet
 *   recorded in the store
 */
gboolean
vital_processor_has_job (VitalProcessor *self,
                         const char     *session_id)
{
  gboolean found;

  g_return_val_if_fail (VITAL_IS_PROCESSOR (self), FALSE);
  g_mutex_lock (&self->mutex);
  found = g_hash_table_contains (self->active, session_id);
  g_mutex_unlock (&self->mutex);
  return found;
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
  vital_processor_set_paused (self, FALSE);
  g_mutex_lock (&self->mutex);
  while (self->in_flight > 0)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);
}

/**
 * vital_processor_set_paused:
 * @self: a #VitalProcessor
 * @paused: %TRUE to hold processing jobs in the queue
 *
 * Freezes (or resumes) the processing pool: submitted jobs wait until it resumes. Early decodes
 * are not affected. vital_processor_drain() and disposal resume it. For tests that need a
 * session to stay `processing`.
 */
void
vital_processor_set_paused (VitalProcessor *self,
                            gboolean        paused)
{
  g_return_if_fail (VITAL_IS_PROCESSOR (self));

  if (self->pool != NULL)
    g_thread_pool_set_max_threads (self->pool, paused ? 0 : (int) self->workers, NULL);
}
