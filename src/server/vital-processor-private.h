/* vital-processor-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of VitalProcessor share: its instance struct, its jobs, and the early decodes
 * (vital-processor-prepare.c) that its processing jobs (vital-processor.c) take over.
 */
#pragma once

#include "vital-memory-budget.h"
#include "vital-processor.h"
#include "vital-tensor-reader.h"

G_BEGIN_DECLS

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

void         vital_processor_job_free      (Job                *job);
void         vital_processor_prepared_free (gpointer            data);
VitalTensor *vital_processor_decode_upload (VitalProcessor     *self,
                                            VitalTensorReader  *reader,
                                            const char         *payload_path,
                                            GError            **error);
void         vital_processor_decode_job    (VitalProcessor     *self,
                                            Job                *job);
gboolean     vital_processor_take_prepared (VitalProcessor     *self,
                                            const char         *session_id,
                                            VitalTensor       **out_tensor,
                                            VitalTensorReader **out_reader,
                                            GError            **error);

G_END_DECLS
