/* vital-processor.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalProcessor: two GThreadPools. As soon as a PUT is complete, a decode job (decode pool)
 * finishes decoding the payload into memory (a "prepared" tensor, never written anywhere): from
 * the VitalTensorReader that decoded it while it arrived, or else from the spooled file. A
 * processing job takes that tensor (or decodes the payload itself when none was prepared), runs
 * the engine (live keys) or the sandbox generator (test keys), deletes the payload whatever the
 * outcome, records the outcome in the store and reports back on the callback context.
 * Payloads of another kind than the session API's tensor (a /v1 video) are decoded by the
 * decoder a dialect registered for that kind; everything else is the same for them.
 */
#include <math.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "vital-processor.h"
#include "vital-memory-budget.h"
#include "vital-sandbox.h"
#include "vital-server-error.h"
#include "vital-server-json.h"
#include "vital-tensor.h"
#include "vital-tensor-reader.h"

/* While the store is unreachable (a shared database restarting), the outcome is written
 * again every RECORD_RETRY_INTERVAL_US for at most RECORD_RETRY_US before it is given up (the
 * session is then failed, retryably, by vital_server's sweep once the store is back). */
#define RECORD_RETRY_US (30 * G_USEC_PER_SEC)
#define RECORD_RETRY_INTERVAL_US (250 * 1000)

/* At most this many decoded payloads wait in memory for their upload-complete; uploads beyond
 * it are decoded when processing starts, as before (a bound on what idle sessions can hold). */
#define MAX_PREPARED 16

typedef enum
{
  JOB_PROCESS,
  JOB_DECODE,
} JobKind;

typedef struct
{
  JobKind       kind;
  VitalSession *session;       /* JOB_PROCESS */
  char         *session_id;    /* JOB_DECODE */
  guint64       generation;    /* JOB_DECODE */
  char         *payload_path;
} Job;

typedef enum
{
  PREPARED_QUEUED,
  PREPARED_DECODING,
  PREPARED_DONE,
} PreparedState;

/* One upload's early decode. Replaced (new generation) by a re-PUT; a decode job whose
 * generation is no longer current throws its tensor away. */
typedef struct
{
  guint64            generation;
  PreparedState      state;
  VitalTensorReader *reader;  /* until a job claims it: the upload's decode so far */
  VitalTensor       *tensor;
  GError            *error;
  VitalMemoryBudget *budget;  /* not owned; NULL when nothing is reserved */
  char              *owner;
  guint64            reserved;
} Prepared;

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

struct _VitalProcessor
{
  GObject                 parent_instance;
  VitalSessionStore      *store;
  VitalClock             *clock;
  GThreadPool            *pool;         /* processing jobs */
  GThreadPool            *decode_pool;  /* early decodes, apart so that they never queue a
                                         * short engine run behind a long decode */
  guint                   workers;
  gboolean                persist;
  guint                   result_ttl_s;
  VitalPulseMethod        method;

  GMutex                  mutex;
  GCond                   cond;
  guint                   in_flight;
  GMainContext           *done_context;
  VitalProcessorDoneFunc  done_func;
  gpointer                done_data;

  GHashTable             *decoders;  /* payload kind -> Decoder*, under mutex; never replaced,
                                      * so a worker calls one outside the lock */
  GHashTable             *prepared;  /* session id -> Prepared*, under mutex */
  GHashTable             *active;    /* ids of sessions submitted and not yet recorded */
  VitalMemoryBudget      *budget;    /* not owned; caps what prepared tensors hold */
  guint                   streamed;  /* decodes that inflated chunks while the upload arrived */
  guint64                 next_generation;
  gboolean                closing;
};

G_DEFINE_FINAL_TYPE (VitalProcessor, vital_processor, G_TYPE_OBJECT)

static void
job_free (Job *job)
{
  g_clear_pointer (&job->session, vital_session_free);
  g_free (job->session_id);
  g_free (job->payload_path);
  g_free (job);
}

static void
decoder_free (gpointer data)
{
  Decoder *decoder = data;

  if (decoder->destroy != NULL)
    decoder->destroy (decoder->user_data);
  g_free (decoder);
}

static void
prepared_free (gpointer data)
{
  Prepared *prepared = data;

  g_clear_object (&prepared->reader);
  g_clear_pointer (&prepared->tensor, vital_tensor_unref);
  g_clear_error (&prepared->error);
  if (prepared->budget != NULL && prepared->reserved > 0)
    vital_memory_budget_release (prepared->budget, prepared->owner, prepared->reserved);
  g_free (prepared->owner);
  g_free (prepared);
}

/* Reads and decodes a spooled payload; the error messages are the ones upload-complete reports. */
static VitalTensor *
decode_payload (const char  *payload_path,
                GError     **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) payload = NULL;
  VitalTensor *tensor;

  mapped = g_mapped_file_new (payload_path, FALSE, error);
  if (mapped == NULL)
    {
      g_prefix_error (error, "The uploaded payload could not be read: ");
      return NULL;
    }
  payload = g_mapped_file_get_bytes (mapped);
  tensor = vital_tensor_decode (payload, NULL, error);
  if (tensor == NULL)
    g_prefix_error (error, "The payload is not a valid Vitalscan tensor: ");
  return tensor;
}

/* Finishes the decode the upload started as it arrived, or decodes its spooled file. */
static VitalTensor *
decode_upload (VitalProcessor     *self,
               VitalTensorReader  *reader,
               const char         *payload_path,
               GError            **error)
{
  VitalTensor *tensor;

  if (reader == NULL)
    return decode_payload (payload_path, error);

  tensor = vital_tensor_reader_finish (reader, NULL, error);
  if (tensor == NULL)
    g_prefix_error (error, "The payload is not a valid Vitalscan tensor: ");
  if (vital_tensor_reader_get_chunks_inflated (reader) > 0)
    {
      g_mutex_lock (&self->mutex);
      self->streamed++;
      g_mutex_unlock (&self->mutex);
    }
  return tensor;
}

static void
decode_job (VitalProcessor *self,
            Job            *job)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalTensor) tensor = NULL;
  g_autoptr(VitalTensorReader) reader = NULL;
  Prepared *prepared;

  g_mutex_lock (&self->mutex);
  prepared = g_hash_table_lookup (self->prepared, job->session_id);
  if (self->closing || prepared == NULL || prepared->generation != job->generation
      || prepared->state != PREPARED_QUEUED)
    {
      /* Replaced by a re-PUT, claimed by its processing job, forgotten or shutting down. */
      if (self->closing && prepared != NULL && prepared->generation == job->generation)
        g_hash_table_remove (self->prepared, job->session_id);
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->mutex);
      return;
    }
  prepared->state = PREPARED_DECODING;
  reader = g_steal_pointer (&prepared->reader);
  g_mutex_unlock (&self->mutex);

  tensor = decode_upload (self, reader, job->payload_path, &error);

  g_mutex_lock (&self->mutex);
  prepared = g_hash_table_lookup (self->prepared, job->session_id);
  if (prepared != NULL && prepared->generation == job->generation)
    {
      prepared->tensor = g_steal_pointer (&tensor);
      prepared->error = g_steal_pointer (&error);
      prepared->state = PREPARED_DONE;
      g_cond_broadcast (&self->cond);
    }
  g_mutex_unlock (&self->mutex);
  /* A stale decode's tensor and error are freed here, outside the lock. */
}

/* Takes the session's early decode, waiting while another worker is decoding it. Returns FALSE
 * when there was none or it had not started: then this worker decodes the payload itself,
 * finishing the upload's reader (set in @out_reader) when it had one. */
static gboolean
take_prepared (VitalProcessor     *self,
               const char         *session_id,
               VitalTensor       **out_tensor,
               VitalTensorReader **out_reader,
               GError            **error)
{
  Prepared *prepared;
  gboolean found = FALSE;

  g_mutex_lock (&self->mutex);
  while ((prepared = g_hash_table_lookup (self->prepared, session_id)) != NULL
         && prepared->state == PREPARED_DECODING)
    g_cond_wait (&self->cond, &self->mutex);
  if (prepared != NULL)
    {
      if (prepared->state == PREPARED_DONE)
        {
          *out_tensor = g_steal_pointer (&prepared->tensor);
          if (prepared->error != NULL)
            g_propagate_error (error, g_steal_pointer (&prepared->error));
          found = TRUE;
        }
      else
        *out_reader = g_steal_pointer (&prepared->reader);
      /* Still queued: removing it makes the queued decode job a no-op. */
      g_hash_table_remove (self->prepared, session_id);
    }
  g_mutex_unlock (&self->mutex);
  return found;
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
      if (!take_prepared (self, session->id, &tensor, &reader, &error))
        tensor = decode_upload (self, reader, job->payload_path, &error);
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
    decode_job (self, job);
  else
    process_job (self, job);
  job_free (job);
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
  self->prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, prepared_free);
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
      job_free (job);
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

/* What decoding the spooled payload at @path will hold in memory, from its header; 0 when the
 * header cannot be read (the decode then fails at once, holding nothing). */
static guint64
decoded_size_of_file (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  g_autoptr(GBytes) head = NULL;
  VitalTensorHeader header;

  if (in == NULL)
    return 0;
  head = g_input_stream_read_bytes (G_INPUT_STREAM (in), 64 * 1024, NULL, NULL);
  if (head == NULL || !vital_tensor_peek_header (head, &header, NULL, NULL))
    return 0;
  return (guint64) header.frame_count * VITAL_TENSOR_FRAME_SIZE;
}

/**
 * vital_processor_set_memory_budget:
 * @self: a #VitalProcessor
 * @budget: (nullable): caps the memory early decodes hold (not owned: it must outlive @self)
 */
void
vital_processor_set_memory_budget (VitalProcessor    *self,
                                   VitalMemoryBudget *budget)
{
  g_return_if_fail (VITAL_IS_PROCESSOR (self));
  self->budget = budget;
}

/**
 * vital_processor_prepare:
 * @self: a #VitalProcessor
 * @session_id: the session whose upload just completed
 * @owner: the key the session belongs to (whose share of the memory budget it uses)
 * @payload_path: its spooled payload (read, not deleted)
 * @reader: (nullable): the reader the payload was written to as it arrived, if any; it is
 *   finished instead of reading @payload_path
 * @reserved: bytes the caller already reserved in the memory budget for @owner (for @reader's
 *   decode); they are handed over whatever happens
 *
 * Queues an early decode of a freshly uploaded payload on the worker pool, so that
 * upload-complete only has to run the engine. The decoded tensor (or the decoder's error) is
 * held in memory only, until the session's processing job takes it or
 * vital_processor_forget() drops it. A previous upload of the same session is forgotten first
 * (a decode of it still running is ignored when it ends). When the memory budget (in all, or
 * @owner's share) or the count of waiting decodes is used up, nothing is queued and processing
 * decodes the payload itself: the upload waits on disk, not in memory.
 *
 * Returns: %TRUE when a decode was queued
 */
gboolean
vital_processor_prepare (VitalProcessor    *self,
                         const char        *session_id,
                         const char        *owner,
                         const char        *payload_path,
                         VitalTensorReader *reader,
                         guint64            reserved)
{
  Prepared *prepared;
  Job *job;

  g_return_val_if_fail (VITAL_IS_PROCESSOR (self), FALSE);
  g_return_val_if_fail (session_id != NULL && owner != NULL && payload_path != NULL, FALSE);

  /* An upload that did not reserve as it arrived reserves for its decode from the file. */
  if (reader == NULL && reserved == 0 && self->budget != NULL)
    {
      guint64 need = decoded_size_of_file (payload_path);

      if (need > 0 && !vital_memory_budget_reserve (self->budget, owner, need))
        {
          vital_processor_forget (self, session_id);
          return FALSE;
        }
      reserved = need;
    }

  g_mutex_lock (&self->mutex);
  g_hash_table_remove (self->prepared, session_id);
  if (self->closing || self->decode_pool == NULL
      || g_hash_table_size (self->prepared) >= MAX_PREPARED)
    {
      g_mutex_unlock (&self->mutex);
      if (self->budget != NULL && reserved > 0)
        vital_memory_budget_release (self->budget, owner, reserved);
      return FALSE;
    }
  prepared = g_new0 (Prepared, 1);
  prepared->generation = ++self->next_generation;
  prepared->state = PREPARED_QUEUED;
  prepared->reader = reader != NULL ? g_object_ref (reader) : NULL;
  prepared->budget = self->budget;
  prepared->owner = g_strdup (owner);
  prepared->reserved = self->budget != NULL ? reserved : 0;
  g_hash_table_replace (self->prepared, g_strdup (session_id), prepared);

  job = g_new0 (Job, 1);
  job->kind = JOB_DECODE;
  job->session_id = g_strdup (session_id);
  job->generation = prepared->generation;
  job->payload_path = g_strdup (payload_path);
  if (!g_thread_pool_push (self->decode_pool, job, NULL))
    {
      g_hash_table_remove (self->prepared, session_id);
      g_mutex_unlock (&self->mutex);
      job_free (job);
      return FALSE;
    }
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

/**
 * vital_processor_forget:
 * @self: a #VitalProcessor
 * @session_id: a session
 *
 * Drops the session's early-decoded payload, if any (expiry, failed upload). A decode of it
 * still running is thrown away when it ends.
 */
void
vital_processor_forget (VitalProcessor *self,
                        const char     *session_id)
{
  Prepared *prepared = NULL;
  g_autofree char *key = NULL;

  g_return_if_fail (VITAL_IS_PROCESSOR (self));

  g_mutex_lock (&self->mutex);
  g_hash_table_steal_extended (self->prepared, session_id, (gpointer *) &key,
                               (gpointer *) &prepared);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
  /* The tensor is freed outside the lock. */
  g_clear_pointer (&prepared, prepared_free);
}

/**
 * vital_processor_forget_all:
 * @self: a #VitalProcessor
 *
 * Drops every early-decoded payload (shutdown).
 */
void
vital_processor_forget_all (VitalProcessor *self)
{
  g_autoptr(GHashTable) old = NULL;

  g_return_if_fail (VITAL_IS_PROCESSOR (self));

  g_mutex_lock (&self->mutex);
  if (self->prepared != NULL)
    {
      old = g_steal_pointer (&self->prepared);
      self->prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, prepared_free);
    }
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

/**
 * vital_processor_dup_prepared_ids:
 * @self: a #VitalProcessor
 *
 * Returns: (transfer full) (element-type utf8): the sessions holding an early decode
 */
GPtrArray *
vital_processor_dup_prepared_ids (VitalProcessor *self)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (VITAL_IS_PROCESSOR (self), ids);

  g_mutex_lock (&self->mutex);
  g_hash_table_iter_init (&iter, self->prepared);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (ids, g_strdup (key));
  g_mutex_unlock (&self->mutex);
  return ids;
}

/**
 * vital_processor_count_streamed:
 * @self: a #VitalProcessor
 *
 * Returns: how many early decodes so far had chunks inflated while their upload arrived
 */
guint
vital_processor_count_streamed (VitalProcessor *self)
{
  guint n;

  g_return_val_if_fail (VITAL_IS_PROCESSOR (self), 0);
  g_mutex_lock (&self->mutex);
  n = self->streamed;
  g_mutex_unlock (&self->mutex);
  return n;
}

static gboolean
any_decode_pending (VitalProcessor *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->prepared);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Prepared *) value)->state != PREPARED_DONE)
      return TRUE;
  return FALSE;
}

/**
 * vital_processor_wait_prepared:
 * @self: a #VitalProcessor
 *
 * Blocks until every early decode queued so far has finished (or was dropped). For tests.
 */
void
vital_processor_wait_prepared (VitalProcessor *self)
{
  g_return_if_fail (VITAL_IS_PROCESSOR (self));

  g_mutex_lock (&self->mutex);
  while (any_decode_pending (self))
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
