/* vital-processor-prepare.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalProcessor's early decodes: as soon as a PUT is complete, a decode job (decode pool)
 * finishes decoding the payload into memory (a "prepared" tensor, never written anywhere): from
 * the VitalTensorReader that decoded it while it arrived, or else from the spooled file, within
 * the memory budget; the session's processing job takes it over (vital-processor.c).
 */
#include <glib/gstdio.h>

#include "vital-processor-private.h"
#include "vital-tensor.h"

/* At most this many decoded payloads wait in memory for their upload-complete; uploads beyond
 * it are decoded when processing starts, as before (a bound on what idle sessions can hold). */
#define MAX_PREPARED 16

/* Frees a job of either pool (vital-processor-private.h). */
void
vital_processor_job_free (Job *job)
{
  g_clear_pointer (&job->session, vital_session_free);
  g_free (job->session_id);
  g_free (job->payload_path);
  g_free (job);
}

/* Frees an early decode, giving its memory back to the budget. */
void
vital_processor_prepared_free (gpointer data)
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
VitalTensor *
vital_processor_decode_upload (VitalProcessor     *self,
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

/* Decode pool: one early decode, unless it was replaced, taken over or forgotten meanwhile. */
void
vital_processor_decode_job (VitalProcessor *self,
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

  tensor = vital_processor_decode_upload (self, reader, job->payload_path, &error);

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
gboolean
vital_processor_take_prepared (VitalProcessor     *self,
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
      vital_processor_job_free (job);
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
  g_clear_pointer (&prepared, vital_processor_prepared_free);
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
      self->prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          vital_processor_prepared_free);
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
