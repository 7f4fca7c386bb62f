/* vital-client-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of VitalClient share: the instance struct, one request with its retries
 * (vital-client-request.c) and the scan's progress (vital-client.c).
 */
#pragma once

#include <libsoup/soup.h>

#include "vital-client.h"

G_BEGIN_DECLS

struct _VitalClient
{
  GObject               parent_instance;

  char                 *base_url;          /* without a trailing slash */
  GUri                 *base_uri;          /* base_url parsed, once */
  char                 *base_error;        /* why base_url is unusable, or NULL */
  char                 *api_key;           /* a credential: never log it */
  char                 *user_id;
  guint                 timeout_s;
  guint                 poll_interval_ms;
  guint                 poll_timeout_ms;
  VitalRetryPolicy     *retry_policy;

  GMainContext         *context;
  SoupSession          *session;

  gboolean              has_rate_limit;
  VitalClientRateLimit  rate_limit;

  VitalScanPhase        phase;
  guint64               bytes_uploaded;
  guint64               bytes_total;
  guint64               bytes_notified;

  /* The server only answers the /sdk/session/result/{id} spelling. */
  gboolean              use_result_alias;
};

enum
{
  VITAL_CLIENT_SIGNAL_PROGRESS,
  VITAL_CLIENT_SIGNAL_RETRYING,
  VITAL_CLIENT_N_SIGNALS
};

extern guint vital_client_signals[VITAL_CLIENT_N_SIGNALS];

/* What a call does next with its task (see vital_client_wait_then()). */
typedef void (*VitalClientTaskStep) (GTask *task);

/* One call to the API: what to send, and what came back. */
typedef struct
{
  VitalClient *client;            /* borrowed: the task holds a reference */
  const char  *operation;         /* static */
  const char  *method;            /* static */
  GUri        *uri;
  GBytes      *body;
  const char  *content_type;      /* static */
  char        *timezone;
  gboolean     send_key;
  gboolean     send_user_id;
  gboolean     unsafe_to_resend;  /* not re-sent once it may have reached the server */
  gboolean     want_json;
  gboolean     allow_array;
  gboolean     track_upload;

  guint        attempts;
  gboolean     may_have_reached;
  SoupMessage *msg;
  guint        status;
  char        *server_code;
} VitalClientRequest;

VitalClientRequest *vital_client_request_new          (const char          *operation,
                                                       const char          *method);
void                vital_client_request_free         (VitalClientRequest  *req);
void                vital_client_request_send         (VitalClient         *self,
                                                       VitalClientRequest  *req,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
JsonNode           *vital_client_request_finish       (VitalClient         *self,
                                                       GAsyncResult        *result,
                                                       guint               *out_status,
                                                       const char         **out_server_code,
                                                       GError             **error);
JsonNode           *vital_client_request_finish_json  (VitalClient         *self,
                                                       GAsyncResult        *result,
                                                       GTask               *task);
guint               vital_client_request_get_attempts (GAsyncResult        *result);
GUri               *vital_client_make_uri             (VitalClient         *self,
                                                       const char          *path,
                                                       const char          *query,
                                                       GError             **error);
GTask              *vital_client_task_new             (VitalClient         *self,
                                                       GCancellable        *cancellable,
                                                       gpointer             source_tag,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
void                vital_client_call                 (VitalClient         *self,
                                                       VitalClientRequest  *req,
                                                       GCancellable        *cancellable,
                                                       gpointer             source_tag,
                                                       GAsyncReadyCallback  on_sent,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
void                vital_client_wait_then            (VitalClient         *self,
                                                       guint                delay_ms,
                                                       GTask               *task,
                                                       VitalClientTaskStep  step);
void                vital_client_set_phase            (VitalClient         *self,
                                                       VitalScanPhase       phase);
void                vital_client_set_upload_bytes     (VitalClient         *self,
                                                       guint64              uploaded,
                                                       guint64              total);
gboolean            vital_client_is_header_safe       (const char          *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalClientRequest, vital_client_request_free)

G_END_DECLS
