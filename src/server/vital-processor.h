/* vital-processor.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalProcessor: the worker pool that decodes (early, in memory) and analyses uploaded payloads
 * off the HTTP thread.
 */
#pragma once

#include <glib-object.h>

#include "vital-clock.h"
#include "vital-memory-budget.h"
#include "vital-session-store.h"
#include "vital-tensor-reader.h"

G_BEGIN_DECLS

/**
 * VitalProcessorDoneFunc:
 * @session_id: the session that finished
 * @completed: %TRUE when completed, %FALSE when failed
 * @error_text: (nullable): why it failed
 * @user_data: closure data
 *
 * Called on the processor's callback context once the store holds the outcome.
 */
typedef void (*VitalProcessorDoneFunc) (const char *session_id,
                                        gboolean    completed,
                                        const char *error_text,
                                        gpointer    user_data);

/**
 * VitalPayloadDecodeFunc:
 * @payload_path: a session's spooled payload (read, never deleted: the processor deletes it)
 * @user_data: closure data
 * @error: return location for a #GError
 *
 * Turns a payload of a registered kind into the tensor the engine measures. Called on a worker
 * thread, one call per session.
 *
 * Returns: (transfer full) (nullable): the tensor
 */
typedef VitalTensor *(*VitalPayloadDecodeFunc) (const char  *payload_path,
                                                gpointer     user_data,
                                                GError     **error);

/**
 * VitalPayloadDescribeFunc:
 * @error: why a session of the kind failed (its decoder's error, or the engine's)
 * @user_data: closure data
 *
 * Words the failure as the session's error says it (for the person who scanned).
 *
 * Returns: (transfer none): the text, static or owned by @error
 */
typedef const char *(*VitalPayloadDescribeFunc) (const GError *error,
                                                 gpointer      user_data);

/**
 * VitalPayloadDecoder:
 * @decode: turns a session's spooled payload into the tensor the engine measures
 * @describe: (nullable): words a failure of such a session; %NULL keeps the error's message
 *
 * How the server processes a payload kind a dialect brings (e.g. /v1's "video").
 */
typedef struct
{
  VitalPayloadDecodeFunc   decode;
  VitalPayloadDescribeFunc describe;
} VitalPayloadDecoder;

#define VITAL_TYPE_PROCESSOR (vital_processor_get_type ())

G_DECLARE_FINAL_TYPE (VitalProcessor, vital_processor, VITAL, PROCESSOR, GObject)

VitalProcessor *vital_processor_new           (VitalSessionStore      *store,
                                               VitalClock             *clock,
                                               guint                   workers,
                                               gboolean                persist,
                                               guint                   result_ttl_s,
                                               VitalPulseMethod        method);
void            vital_processor_set_done_func (VitalProcessor         *self,
                                               GMainContext           *context,
                                               VitalProcessorDoneFunc  func,
                                               gpointer                user_data);
void            vital_processor_register_decoder (VitalProcessor      *self,
                                               const char             *kind,
                                               const VitalPayloadDecoder *decoder,
                                               gpointer                user_data,
                                               GDestroyNotify          destroy);
gboolean        vital_processor_submit        (VitalProcessor         *self,
                                               const VitalSession     *session,
                                               const char             *payload_path,
                                               GError                **error);
void            vital_processor_set_memory_budget (VitalProcessor     *self,
                                               VitalMemoryBudget      *budget);
gboolean        vital_processor_prepare       (VitalProcessor         *self,
                                               const char             *session_id,
                                               const char             *owner,
                                               const char             *payload_path,
                                               VitalTensorReader      *reader,
                                               guint64                 reserved);
void            vital_processor_forget        (VitalProcessor         *self,
                                               const char             *session_id);
void            vital_processor_forget_all    (VitalProcessor         *self);
void            vital_processor_wait_prepared (VitalProcessor         *self);
void            vital_processor_set_paused    (VitalProcessor         *self,
                                               gboolean                paused);
GPtrArray      *vital_processor_dup_prepared_ids (VitalProcessor      *self);
guint           vital_processor_get_in_flight (VitalProcessor         *self);
gboolean        vital_processor_has_job       (VitalProcessor         *self,
                                               const char             *session_id);
guint           vital_processor_count_streamed (VitalProcessor        *self);
void            vital_processor_drain         (VitalProcessor         *self);

G_END_DECLS
