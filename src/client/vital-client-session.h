/* vital-client-session.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalClientSession: one scan session as the server describes it (start response or history item).
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "vital-signs.h"

G_BEGIN_DECLS

/**
 * VitalClientSessionStatus:
 * @VITAL_CLIENT_SESSION_STATUS_PENDING: started, waiting for the payload
 * @VITAL_CLIENT_SESSION_STATUS_UPLOADED: payload received
 * @VITAL_CLIENT_SESSION_STATUS_PROCESSING: being processed
 * @VITAL_CLIENT_SESSION_STATUS_COMPLETED: a result is available
 * @VITAL_CLIENT_SESSION_STATUS_FAILED: processing failed
 * @VITAL_CLIENT_SESSION_STATUS_EXPIRED: passed its expiry before completing
 *
 * The session lifecycle: pending → uploaded → processing → completed | failed, or expired.
 */
typedef enum
{
  VITAL_CLIENT_SESSION_STATUS_PENDING,
  VITAL_CLIENT_SESSION_STATUS_UPLOADED,
  VITAL_CLIENT_SESSION_STATUS_PROCESSING,
  VITAL_CLIENT_SESSION_STATUS_COMPLETED,
  VITAL_CLIENT_SESSION_STATUS_FAILED,
  VITAL_CLIENT_SESSION_STATUS_EXPIRED,
} VitalClientSessionStatus;

/**
 * VitalHistoryQuery:
 * @date_gte: (nullable): first day, `YYYY-MM-DD`, inclusive, in @timezone
 * @date_lte: (nullable): last day, `YYYY-MM-DD`, inclusive, in @timezone
 * @ascending: oldest first (`order_by=ASC`) instead of newest first
 * @offset: items to skip
 * @limit: at most this many items (0–100), or -1 for the server's default
 * @timezone: (nullable): IANA zone for the dates and the rendered times; %NULL for UTC
 *
 * Filters for vital_client_list_sessions_async(). Zero-initialise and set what you need
 * (then set @limit to -1 for the default).
 */
typedef struct
{
  const char *date_gte;
  const char *date_lte;
  gboolean    ascending;
  guint       offset;
  int         limit;
  const char *timezone;
} VitalHistoryQuery;

#define VITAL_TYPE_CLIENT_SESSION (vital_client_session_get_type ())

G_DECLARE_FINAL_TYPE (VitalClientSession, vital_client_session, VITAL, CLIENT_SESSION, GObject)

VitalClientSession       *vital_client_session_new_from_start_response (JsonNode     *node,
                                                           GError      **error);
VitalClientSession       *vital_client_session_new_from_history_item   (JsonNode     *node,
                                                           GError      **error);

const char         *vital_client_session_get_id                  (VitalClientSession *self);
VitalClientSessionStatus  vital_client_session_get_status              (VitalClientSession *self);
const char         *vital_client_session_get_upload_url          (VitalClientSession *self);
GDateTime          *vital_client_session_get_expires_at          (VitalClientSession *self);
const char         *vital_client_session_get_start_time          (VitalClientSession *self);
const char         *vital_client_session_get_end_time            (VitalClientSession *self);
const char         *vital_client_session_get_created_timezone    (VitalClientSession *self);
const char         *vital_client_session_get_unexpected_end_time (VitalClientSession *self);
const char         *vital_client_session_get_error               (VitalClientSession *self);
VitalSigns         *vital_client_session_get_vitals              (VitalClientSession *self);

gboolean            vital_client_session_status_from_string      (const char   *text,
                                                           VitalClientSessionStatus *out_status);
const char         *vital_client_session_status_to_string        (VitalClientSessionStatus status);

G_END_DECLS
