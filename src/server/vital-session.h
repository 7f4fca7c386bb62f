/* vital-session.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalSession: one measurement session's record and its status state machine.
 */
#pragma once

#include <glib-object.h>

#include "vital-engine.h"
#include "vital-keys.h"

G_BEGIN_DECLS

/**
 * VitalSessionStatus:
 * @VITAL_SESSION_PENDING: started, waiting for the payload
 * @VITAL_SESSION_UPLOADED: payload received, waiting for upload-complete
 * @VITAL_SESSION_PROCESSING: queued or running on the worker pool
 * @VITAL_SESSION_COMPLETED: vitals available (once, or for the TTL when persisted)
 * @VITAL_SESSION_FAILED: the payload could not be decoded or analysed
 * @VITAL_SESSION_EXPIRED: passed expires_at before processing started
 *
 * The lifecycle: pending → uploaded → processing → completed | failed; pending and uploaded may
 * become expired. Re-uploading keeps a session uploaded.
 */
typedef enum
{
  VITAL_SESSION_PENDING,
  VITAL_SESSION_UPLOADED,
  VITAL_SESSION_PROCESSING,
  VITAL_SESSION_COMPLETED,
  VITAL_SESSION_FAILED,
  VITAL_SESSION_EXPIRED,
} VitalSessionStatus;

/**
 * VitalSession:
 * @id: the session UUID
 * @key_id: the public id of the key that started it (never the key)
 * @user_id: (nullable): the X-User-Id the session was started with
 * @environment: the key's environment
 * @status: the current status
 * @created_us: start time, µs since the epoch
 * @expires_us: when an unfinished session expires
 * @uploaded_us: last upload time, or 0
 * @ended_us: when processing ended (completed or failed), or 0
 * @unexpected_end_us: when the session expired or was abandoned, or 0
 * @created_timezone: the IANA zone the session was started in ("UTC" by default)
 * @demographics: what the start request gave (zeros when not given)
 * @payload_bytes: size of the last upload
 * @error: (nullable): why a failed session failed
 * @processing_time_ms: how long processing took, or 0
 * @payload_node: (nullable): the server node whose spool holds the payload (shared stores only)
 * @retryable: a failed session's failure is not the payload's fault (e.g. the node holding
 *   the upload stopped): scanning again may succeed
 * @payload_kind: what its payload is: %VITAL_PAYLOAD_KIND_TENSOR for the session API's tensors
 *   (%NULL reads as that), or a kind a dialect registered a decoder for
 *   (vital_server_register_payload_decoder()), e.g. "video"
 *
 * One row of the session store.
 */
typedef struct
{
  char               *id;
  char               *key_id;
  char               *user_id;
  VitalKeyEnvironment environment;
  VitalSessionStatus  status;
  gint64              created_us;
  gint64              expires_us;
  gint64              uploaded_us;
  gint64              ended_us;
  gint64              unexpected_end_us;
  char               *created_timezone;
  VitalDemographics   demographics;
  gint64              payload_bytes;
  char               *error;
  double              processing_time_ms;
  char               *payload_node;
  gboolean            retryable;
  char               *payload_kind;
} VitalSession;

/* The payload kind of the session API (/sdk): a Vitalscan tensor, decoded by the server. */
#define VITAL_PAYLOAD_KIND_TENSOR "tensor"


#define VITAL_TYPE_SESSION (vital_session_get_type ())
GType         vital_session_get_type (void) G_GNUC_CONST;
VitalSession *vital_session_copy     (const VitalSession *session);
void          vital_session_free     (VitalSession       *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalSession, vital_session_free)

const char   *vital_session_status_to_string     (VitalSessionStatus  status);
gboolean      vital_session_status_from_string   (const char         *text,
                                                  VitalSessionStatus *out_status);
gboolean      vital_session_status_can_transition (VitalSessionStatus from,
                                                   VitalSessionStatus to);
gboolean      vital_session_status_is_terminal   (VitalSessionStatus  status);
gboolean      vital_session_id_is_valid          (const char         *id);
const char   *vital_session_get_payload_kind     (const VitalSession *session);
gboolean      vital_session_check_transition     (const VitalSession *session,
                                                  VitalSessionStatus  to,
                                                  GError            **error);
void          vital_session_set_transition_error (const VitalSession *session,
                                                  VitalSessionStatus  to,
                                                  GError            **error);

G_END_DECLS
