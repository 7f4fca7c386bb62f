/* vital-server-hooks.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The hooks through which the server's tests, benches and embedders look inside a VitalServer
 * and wait for it (vital-server-private.h): its processing and early decodes, the memory they
 * hold, its connections.
 */
#include "vital-server-private.h"

/**
 * vital_server_wait_idle:
 * @self: a listening #VitalServer
 *
 * Blocks until every queued or running processing job has finished and its outcome is
 * recorded (upload-complete requests waiting inline are answered by then). For embedders that
 * must not exit mid-scan, and for tests. Call from any thread except the server thread.
 */
void
vital_server_wait_idle (VitalServer *self)
{
  g_return_if_fail (VITAL_IS_SERVER (self));
  vital_processor_drain (self->processor);
}

/**
 * vital_server_count_decoded_payloads:
 * @self: a #VitalServer
 *
 * Uploads are decoded into memory as soon as their PUT completes; this counts the decoded
 * payloads (or decode errors) currently held for sessions not yet processed. For tests and
 * monitoring.
 *
 * Returns: how many early-decoded payloads are held in memory
 */
guint
vital_server_count_decoded_payloads (VitalServer *self)
{
  g_autoptr(GPtrArray) ids = NULL;

  g_return_val_if_fail (VITAL_IS_SERVER (self), 0);
  ids = vital_processor_dup_prepared_ids (self->processor);
  return ids->len;
}

/**
 * vital_server_get_decoded_bytes:
 * @self: a #VitalServer
 *
 * Returns: bytes of memory reserved now for uploads decoded (or being decoded) ahead of their
 *   upload-complete; never above the configured budget. For tests and monitoring.
 */
guint64
vital_server_get_decoded_bytes (VitalServer *self)
{
  g_return_val_if_fail (VITAL_IS_SERVER (self), 0);
  return vital_memory_budget_get_used (self->decoded_budget);
}

/**
 * vital_server_wait_decoded:
 * @self: a #VitalServer
 *
 * Blocks until every early decode of a completed PUT queued so far has finished, so its
 * tensor (or decode error) is held in memory. For tests. Call from any thread except the
 * server thread.
 */
void
vital_server_wait_decoded (VitalServer *self)
{
  g_return_if_fail (VITAL_IS_SERVER (self));
  vital_processor_wait_prepared (self->processor);
}

/**
 * vital_server_count_streamed_decodes:
 * @self: a #VitalServer
 *
 * Uploads of indexed payloads are inflated chunk by chunk while they arrive (at most eight at a
 * time); this counts the early decodes so far that did so. For tests and monitoring.
 *
 * Returns: how many uploads were decoded while they arrived
 */
guint
vital_server_count_streamed_decodes (VitalServer *self)
{
  g_return_val_if_fail (VITAL_IS_SERVER (self), 0);
  return vital_processor_count_streamed (self->processor);
}

/**
 * vital_server_set_processing_paused:
 * @self: a #VitalServer
 * @paused: %TRUE to hold processing jobs in their queue
 *
 * Freezes (or resumes) processing: upload-complete requests are accepted and wait (inline,
 * then 202) but no job starts until resumed. vital_server_wait_idle() and vital_server_stop()
 * resume it. For tests that need a session to stay `processing`.
 */
void
vital_server_set_processing_paused (VitalServer *self,
                                    gboolean     paused)
{
  g_return_if_fail (VITAL_IS_SERVER (self));
  vital_processor_set_paused (self->processor, paused);
}

/**
 * vital_server_count_connections:
 * @self: a #VitalServer
 *
 * Returns: client connections open now (kept-alive idle ones included); for tests and
 *   monitoring
 */
guint
vital_server_count_connections (VitalServer *self)
{
  g_return_val_if_fail (VITAL_IS_SERVER (self), 0);
  return vital_connections_count_open (self->connections);
}
