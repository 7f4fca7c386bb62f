/* vital-session.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalSession: record copy/free, status names and the allowed transitions, and the errors a
 * refused transition gives.
 */
#include <string.h>

#include "vital-server-error.h"
#include "vital-session.h"

G_DEFINE_BOXED_TYPE (VitalSession, vital_session, vital_session_copy, vital_session_free)

static const char *status_names[] = {
  [VITAL_SESSION_PENDING] = "pending",
  [VITAL_SESSION_UPLOADED] = "uploaded",
  [VITAL_SESSION_PROCESSING] = "processing",
  [VITAL_SESSION_COMPLETED] = "completed",
  [VITAL_SESSION_FAILED] = "failed",
  [VITAL_SESSION_EXPIRED] = "expired",
};

/* What a client was doing when a transition to each status was refused, for its error. */
static const char *transition_actions[] = {
  [VITAL_SESSION_UPLOADED] = "uploading a payload",
  [VITAL_SESSION_PROCESSING] = "upload-complete",
  [VITAL_SESSION_COMPLETED] = "finishing",
  [VITAL_SESSION_FAILED] = "finishing",
};

/**
 * vital_session_copy:
 * @session: a #VitalSession
 *
 * Returns: (transfer full): a deep copy
 */
VitalSession *
vital_session_copy (const VitalSession *session)
{
  VitalSession *copy = g_new0 (VitalSession, 1);

  *copy = *session;
  copy->id = g_strdup (session->id);
  copy->key_id = g_strdup (session->key_id);
  copy->user_id = g_strdup (session->user_id);
  copy->created_timezone = g_strdup (session->created_timezone);
  copy->error = g_strdup (session->error);
  copy->payload_node = g_strdup (session->payload_node);
  copy->payload_kind = g_strdup (session->payload_kind);
  return copy;
}

/**
 * vital_session_free:
 * @session: (transfer full) (nullable): a #VitalSession
 *
 * Frees @session.
 */
void
vital_session_free (VitalSession *session)
{
  if (session == NULL)
    return;
  g_free (session->id);
  g_free (session->key_id);
  g_free (session->user_id);
  g_free (session->created_timezone);
  g_free (session->error);
  g_free (session->payload_node);
  g_free (session->payload_kind);
  g_free (session);
}

/**
 * vital_session_get_payload_kind:
 * @session: a #VitalSession
 *
 * Returns: (transfer none): its payload kind, %VITAL_PAYLOAD_KIND_TENSOR when unset
 */
const char *
vital_session_get_payload_kind (const VitalSession *session)
{
  return session->payload_kind != NULL ? session->payload_kind : VITAL_PAYLOAD_KIND_TENSOR;
}

/**
 * vital_session_status_to_string:
 * @status: a #VitalSessionStatus
 *
 * Returns: (transfer none): the wire name, e.g. "processing"
 */
const char *
vital_session_status_to_string (VitalSessionStatus status)
{
  if ((guint) status >= G_N_ELEMENTS (status_names))
    return "unknown";
  return status_names[status];
}

/**
 * vital_session_status_from_string:
 * @text: a wire name
 * @out_status: (out): the status
 *
 * Returns: %TRUE when @text names a status
 */
gboolean
vital_session_status_from_string (const char         *text,
                                  VitalSessionStatus *out_status)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (g_strcmp0 (text, status_names[i]) == 0)
      {
        *out_status = (VitalSessionStatus) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * vital_session_status_can_transition:
 * @from: the current status
 * @to: the wanted status
 *
 * Returns: %TRUE when the lifecycle allows @from → @to (uploaded → uploaded is a re-upload)
 */
gboolean
vital_session_status_can_transition (VitalSessionStatus from,
                                     VitalSessionStatus to)
{
  switch (from)
    {
    case VITAL_SESSION_PENDING:
      return to == VITAL_SESSION_UPLOADED || to == VITAL_SESSION_EXPIRED;
    case VITAL_SESSION_UPLOADED:
      return to == VITAL_SESSION_UPLOADED || to == VITAL_SESSION_PROCESSING
             || to == VITAL_SESSION_EXPIRED;
    case VITAL_SESSION_PROCESSING:
      return to == VITAL_SESSION_COMPLETED || to == VITAL_SESSION_FAILED;
    case VITAL_SESSION_COMPLETED:
    case VITAL_SESSION_FAILED:
    case VITAL_SESSION_EXPIRED:
    default:
      return FALSE;
    }
}

/**
 * vital_session_status_is_terminal:
 * @status: a #VitalSessionStatus
 *
 * Returns: %TRUE for completed, failed and expired
 */
gboolean
vital_session_status_is_terminal (VitalSessionStatus status)
{
  return status == VITAL_SESSION_COMPLETED || status == VITAL_SESSION_FAILED
         || status == VITAL_SESSION_EXPIRED;
}

/**
 * vital_session_id_is_valid:
 * @id: (nullable): a candidate session id
 *
 * Returns: %TRUE when @id is a lower-case canonical UUID (8-4-4-4-12 hex)
 */
gboolean
vital_session_id_is_valid (const char *id)
{
  if (id == NULL || strlen (id) != 36)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (id[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (id[i]) || g_ascii_isupper (id[i]))
        return FALSE;
    }
  return TRUE;
}

/**
 * vital_session_set_transition_error:
 * @session: a #VitalSession, as it is now
 * @to: the status it was asked to move to
 * @error: return location for a #GError
 *
 * Says why @session cannot move to @to: %VITAL_SERVER_ERROR_SESSION_EXPIRED when it expired,
 * else %VITAL_SERVER_ERROR_ILLEGAL_TRANSITION naming its status and what was asked.
 */
void
vital_session_set_transition_error (const VitalSession  *session,
                                    VitalSessionStatus   to,
                                    GError             **error)
{
  const char *action = NULL;

  if ((guint) to < G_N_ELEMENTS (transition_actions))
    action = transition_actions[to];
  if (session->status == VITAL_SESSION_EXPIRED)
    g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SESSION_EXPIRED,
                 "Session %s expired; start a new session", session->id);
  else
    g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_ILLEGAL_TRANSITION,
                 "Session %s is %s; %s is not allowed now", session->id,
                 vital_session_status_to_string (session->status),
                 action != NULL ? action : "this transition");
}

/**
 * vital_session_check_transition:
 * @session: a #VitalSession, as it is now
 * @to: the status it is asked to move to
 * @error: return location for a #GError (SESSION_EXPIRED or ILLEGAL_TRANSITION)
 *
 * Whether the lifecycle lets @session move to @to (vital_session_status_can_transition()),
 * with the error a client is given when it does not: a pending session asked to process has
 * no payload yet; any other refusal is explained by vital_session_set_transition_error().
 *
 * Returns: %TRUE when the transition is allowed
 */
gboolean
vital_session_check_transition (const VitalSession  *session,
                                VitalSessionStatus   to,
                                GError             **error)
{
  if (session->status == VITAL_SESSION_PENDING && to == VITAL_SESSION_PROCESSING)
    {
      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_ILLEGAL_TRANSITION,
                   "Session %s has no payload yet; PUT it to the upload_url first", session->id);
      return FALSE;
    }
  if (vital_session_status_can_transition (session->status, to))
    return TRUE;
  vital_session_set_transition_error (session, to, error);
  return FALSE;
}
