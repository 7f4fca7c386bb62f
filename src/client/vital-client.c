/* vital-client.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalClient: the session API client object — its configuration (server, key, user, timeouts,
 * retry policy), the key check, and the scan's phase and upload progress. The calls live beside
 * it: vital-client-request.c (one request with retries), -steps.c (start, upload),
 * -result.c (upload-complete, polling), -scan.c (the whole scan), -queries.c (history,
 * health). The key and upload URLs are credentials: they are sent, never logged or put into
 * error messages. Errors carry the server's message unchanged.
 */
#include "vital-config.h"

#include "vital-api-key.h"
#include "vital-client-private.h"
#include "vital-client-enums.h"
#include "vital-client-json.h"

#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#define PROGRESS_NOTIFY_STEP (64 * 1024)


G_DEFINE_FINAL_TYPE (VitalClient, vital_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_API_KEY,
  PROP_USER_ID,
  PROP_TIMEOUT,
  PROP_POLL_INTERVAL,
  PROP_POLL_TIMEOUT,
  PROP_PHASE,
  PROP_BYTES_UPLOADED,
  PROP_BYTES_TOTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
guint vital_client_signals[VITAL_CLIENT_N_SIGNALS];

/* ------------------------------------------------------------------------------------------ */
/* Construction                                                                                */

static void
vital_client_set_base_url (VitalClient *self,
                           const char  *base_url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_clear_pointer (&self->base_error, g_free);

  if (base_url == NULL || base_url[0] == '\0')
    {
      self->base_error = g_strdup ("No server URL is set");
      return;
    }

  uri = g_uri_parse (base_url, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0' ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL ||
      g_uri_get_userinfo (uri) != NULL)
    {
      self->base_error = g_strdup ("The server URL is not a valid http:// or https:// URL");
      return;
    }

  self->base_url = g_strdup (base_url);
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  self->base_uri = g_steal_pointer (&uri);
}

static void
vital_client_constructed (GObject *object)
{
  VitalClient *self = VITAL_CLIENT (object);

  G_OBJECT_CLASS (vital_client_parent_class)->constructed (object);

  self->context = g_main_context_ref_thread_default ();
  /* TLS verification stays on: the default TLS database is the system CA store. */
  self->session = soup_session_new_with_options ("timeout", self->timeout_s,
                                                 "idle-timeout", 60u,
                                                 "user-agent", "vitalscan/" VITAL_VERSION,
                                                 NULL);
}

static void
vital_client_finalize (GObject *object)
{
  VitalClient *self = VITAL_CLIENT (object);

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_clear_pointer (&self->base_error, g_free);
  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_clear_pointer (&self->api_key, g_free);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->retry_policy, vital_retry_policy_unref);
  g_clear_object (&self->session);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (vital_client_parent_class)->finalize (object);
}

static void
vital_client_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  VitalClient *self = VITAL_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_USER_ID:
      g_value_set_string (value, self->user_id);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_s);
      break;
    case PROP_POLL_INTERVAL:
      g_value_set_uint (value, self->poll_interval_ms);
      break;
    case PROP_POLL_TIMEOUT:
      g_value_set_uint (value, self->poll_timeout_ms);
      break;
    case PROP_PHASE:
      g_value_set_enum (value, self->phase);
      break;
    case PROP_BYTES_UPLOADED:
      g_value_set_uint64 (value, self->bytes_uploaded);
      break;
    case PROP_BYTES_TOTAL:
      g_value_set_uint64 (value, self->bytes_total);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vital_client_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  VitalClient *self = VITAL_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      vital_client_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_API_KEY:
      g_free (self->api_key);
      self->api_key = g_value_dup_string (value);
      break;
    case PROP_USER_ID:
      vital_client_set_user_id (self, g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      vital_client_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_POLL_INTERVAL:
      vital_client_set_poll_interval (self, g_value_get_uint (value));
      break;
    case PROP_POLL_TIMEOUT:
      vital_client_set_poll_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vital_client_class_init (VitalClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = vital_client_constructed;
  object_class->finalize = vital_client_finalize;
  object_class->get_property = vital_client_get_property;
  object_class->set_property = vital_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Write-only: the key never leaves the object except in the request header. */
  properties[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER_ID] =
    g_param_spec_string ("user-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, 3600, VITAL_CLIENT_DEFAULT_TIMEOUT_S,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);
  properties[PROP_POLL_INTERVAL] =
    g_param_spec_uint ("poll-interval", NULL, NULL, 0, 600000,
                       VITAL_CLIENT_DEFAULT_POLL_INTERVAL_MS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);
  properties[PROP_POLL_TIMEOUT] =
    g_param_spec_uint ("poll-timeout", NULL, NULL, 0, G_MAXUINT,
                       VITAL_CLIENT_DEFAULT_POLL_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);
  properties[PROP_PHASE] =
    g_param_spec_enum ("phase", NULL, NULL, VITAL_TYPE_SCAN_PHASE, VITAL_SCAN_PHASE_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BYTES_UPLOADED] =
    g_param_spec_uint64 ("bytes-uploaded", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BYTES_TOTAL] =
    g_param_spec_uint64 ("bytes-total", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VitalClient::progress:
   * @self: the client
   * @phase: the scan phase
   * @bytes_uploaded: payload bytes written so far in this upload attempt
   * @bytes_total: payload size
   *
   * Emitted on every phase change and as upload data is written.
   */
  vital_client_signals[VITAL_CLIENT_SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3,
                  VITAL_TYPE_SCAN_PHASE, G_TYPE_UINT64, G_TYPE_UINT64);

  /**
   * VitalClient::retrying:
   * @self: the client
   * @operation: which call is retried, e.g. "upload"
   * @attempt: the attempt that failed (1 for the first)
   * @delay_ms: the backoff before the next attempt, unscaled
   * @error: why the attempt failed
   *
   * Emitted before each automatic retry.
   */
  vital_client_signals[VITAL_CLIENT_SIGNAL_RETRYING] =
    g_signal_new ("retrying", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_STRING, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_ERROR);
}

static void
vital_client_init (VitalClient *self)
{
  self->timeout_s = VITAL_CLIENT_DEFAULT_TIMEOUT_S;
  self->poll_interval_ms = VITAL_CLIENT_DEFAULT_POLL_INTERVAL_MS;
  self->poll_timeout_ms = VITAL_CLIENT_DEFAULT_POLL_TIMEOUT_MS;
  self->retry_policy = vital_retry_policy_new ();
}

/**
 * vital_client_new:
 * @base_url: the server, e.g. `https://vitals.example.org` (a path prefix is kept)
 * @api_key: (nullable): a `ck_test_…` or `ck_live_…` key
 *
 * Creates a client bound to the calling thread's thread-default main context: make every call
 * from that context. Nothing is checked or sent yet; an unusable URL or key is reported by the
 * first call (see vital_client_check_key()).
 *
 * Returns: (transfer full): a new client
 */
VitalClient *
vital_client_new (const char *base_url,
                  const char *api_key)
{
  return g_object_new (VITAL_TYPE_CLIENT, "base-url", base_url, "api-key", api_key, NULL);
}

/**
 * vital_client_get_base_url:
 * @self: a client
 *
 * Returns: (transfer none) (nullable): the server URL without trailing slash, or %NULL when
 *   the URL given was unusable
 */
const char *
vital_client_get_base_url (VitalClient *self)
{
  g_return_val_if_fail (VITAL_IS_CLIENT (self), NULL);
  return self->base_url;
}

/**
 * vital_client_check_key:
 * @self: a client
 * @error: return location for %VITAL_CLIENT_ERROR_MISSING_API_KEY or
 *   %VITAL_CLIENT_ERROR_MALFORMED_API_KEY
 *
 * The client-side key check every authenticated call makes before sending anything: the rule
 * of the core (vital_api_key_check()) that the server and the app's Preferences use too.
 *
 * Returns: %TRUE if the key is present and well formed
 */
gboolean
vital_client_check_key (VitalClient  *self,
                        GError      **error)
{
  g_autoptr(GError) rule_error = NULL;

  g_return_val_if_fail (VITAL_IS_CLIENT (self), FALSE);

  if (self->api_key == NULL || self->api_key[0] == '\0')
    {
      g_set_error_literal (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_MISSING_API_KEY,
                           "No API key is set");
      return FALSE;
    }
  if (!vital_api_key_check (self->api_key, NULL, &rule_error))
    {
      g_set_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_MALFORMED_API_KEY,
                   "The API key is malformed: %s", rule_error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * vital_client_get_key_environment:
 * @self: a client
 *
 * Returns: (transfer none) (nullable): `"test"` for a sandbox key, `"live"` for a live key,
 *   %NULL when the key is missing or malformed
 */
const char *
vital_client_get_key_environment (VitalClient *self)
{
  VitalApiKeyKind kind;

  g_return_val_if_fail (VITAL_IS_CLIENT (self), NULL);
  if (!vital_api_key_check (self->api_key, &kind, NULL))
    return NULL;
  return vital_api_key_kind_to_string (kind);
}

/* Header values: printable ASCII only (no CR/LF injection, no encoding surprises). */
gboolean
vital_client_is_header_safe (const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    if (*p < 0x20 || *p > 0x7e)
      return FALSE;
  return TRUE;
}

/**
 * vital_client_set_user_id:
 * @self: a client
 * @user_id: (nullable): sent as `X-User-Id` to group a person's sessions; printable ASCII
 */
void
vital_client_set_user_id (VitalClient *self,
                          const char  *user_id)
{
  g_return_if_fail (VITAL_IS_CLIENT (self));
  g_return_if_fail (user_id == NULL || vital_client_is_header_safe (user_id));
  if (user_id != NULL && user_id[0] == '\0')
    user_id = NULL;
  if (g_strcmp0 (self->user_id, user_id) == 0)
    return;
  g_free (self->user_id);
  self->user_id = g_strdup (user_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_ID]);
}

/**
 * vital_client_set_timeout:
 * @self: a client
 * @seconds: how long one request may go without the server sending anything (default 30)
 */
void
vital_client_set_timeout (VitalClient *self,
                          guint        seconds)
{
  g_return_if_fail (VITAL_IS_CLIENT (self));
  g_return_if_fail (seconds >= 1);
  if (self->timeout_s == seconds)
    return;
  self->timeout_s = seconds;
  if (self->session != NULL)
    soup_session_set_timeout (self->session, seconds);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

/**
 * vital_client_set_poll_interval:
 * @self: a client
 * @interval_ms: the wait between result polls (default 2000)
 */
void
vital_client_set_poll_interval (VitalClient *self,
                                guint        interval_ms)
{
  g_return_if_fail (VITAL_IS_CLIENT (self));
  if (self->poll_interval_ms == interval_ms)
    return;
  self->poll_interval_ms = interval_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLL_INTERVAL]);
}

/**
 * vital_client_set_poll_timeout:
 * @self: a client
 * @timeout_ms: how long polling may last before %VITAL_CLIENT_ERROR_TIMEOUT (default 120000)
 */
void
vital_client_set_poll_timeout (VitalClient *self,
                               guint        timeout_ms)
{
  g_return_if_fail (VITAL_IS_CLIENT (self));
  if (self->poll_timeout_ms == timeout_ms)
    return;
  self->poll_timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLL_TIMEOUT]);
}

/**
 * vital_client_set_retry_policy:
 * @self: a client
 * @policy: the policy for all later requests
 */
void
vital_client_set_retry_policy (VitalClient      *self,
                               VitalRetryPolicy *policy)
{
  g_return_if_fail (VITAL_IS_CLIENT (self));
  g_return_if_fail (policy != NULL);
  vital_retry_policy_ref (policy);
  g_clear_pointer (&self->retry_policy, vital_retry_policy_unref);
  self->retry_policy = policy;
}

/**
 * vital_client_get_retry_policy:
 * @self: a client
 *
 * Returns: (transfer none): the policy in use
 */
VitalRetryPolicy *
vital_client_get_retry_policy (VitalClient *self)
{
  g_return_val_if_fail (VITAL_IS_CLIENT (self), NULL);
  return self->retry_policy;
}

/**
 * vital_client_get_last_rate_limit:
 * @self: a client
 * @out_rate_limit: (out) (optional): the X-RateLimit-* values of the last response
 *
 * Returns: %TRUE if the last response carried X-RateLimit-Limit and X-RateLimit-Remaining;
 *   %FALSE when no response arrived yet or the last one had none
 */
gboolean
vital_client_get_last_rate_limit (VitalClient          *self,
                                  VitalClientRateLimit *out_rate_limit)
{
  g_return_val_if_fail (VITAL_IS_CLIENT (self), FALSE);
  if (self->has_rate_limit && out_rate_limit != NULL)
    *out_rate_limit = self->rate_limit;
  return self->has_rate_limit;
}

/**
 * vital_client_rate_limit_is_unlimited:
 * @limit: a rate limit from vital_client_get_last_rate_limit()
 *
 * Returns: %TRUE when the key has no limit (the server reports
 *   %VITAL_CLIENT_RATE_LIMIT_UNLIMITED): there is nothing to count down
 */
gboolean
vital_client_rate_limit_is_unlimited (const VitalClientRateLimit *limit)
{
  g_return_val_if_fail (limit != NULL, FALSE);
  return limit->limit >= VITAL_CLIENT_RATE_LIMIT_UNLIMITED;
}

/**
 * vital_client_get_phase:
 * @self: a client
 *
 * Returns: the phase of the most recent scan
 */
VitalScanPhase
vital_client_get_phase (VitalClient *self)
{
  g_return_val_if_fail (VITAL_IS_CLIENT (self), VITAL_SCAN_PHASE_IDLE);
  return self->phase;
}

/**
 * vital_client_get_bytes_uploaded:
 * @self: a client
 *
 * Returns: payload bytes written by the current (or last) upload attempt
 */
guint64
vital_client_get_bytes_uploaded (VitalClient *self)
{
  g_return_val_if_fail (VITAL_IS_CLIENT (self), 0);
  return self->bytes_uploaded;
}

/**
 * vital_client_get_bytes_total:
 * @self: a client
 *
 * Returns: size of the current (or last) payload
 */
guint64
vital_client_get_bytes_total (VitalClient *self)
{
  g_return_val_if_fail (VITAL_IS_CLIENT (self), 0);
  return self->bytes_total;
}

/**
 * vital_scan_phase_to_string:
 * @phase: a phase
 *
 * Returns: (transfer none): a short English description, e.g. "Uploading"
 */
const char *
vital_scan_phase_to_string (VitalScanPhase phase)
{
  switch (phase)
    {
    case VITAL_SCAN_PHASE_IDLE:
      return "Idle";
    case VITAL_SCAN_PHASE_STARTING:
      return "Starting session";
    case VITAL_SCAN_PHASE_UPLOADING:
      return "Uploading";
    case VITAL_SCAN_PHASE_COMPLETING:
      return "Completing upload";
    case VITAL_SCAN_PHASE_PROCESSING:
      return "Processing";
    case VITAL_SCAN_PHASE_DONE:
      return "Done";
    case VITAL_SCAN_PHASE_FAILED:
    default:
      return "Failed";
    }
}

static void
emit_progress (VitalClient *self)
{
  g_signal_emit (self, vital_client_signals[VITAL_CLIENT_SIGNAL_PROGRESS], 0,
                 self->phase, self->bytes_uploaded, self->bytes_total);
}

void
vital_client_set_phase (VitalClient    *self,
           VitalScanPhase  phase)
{
  if (self->phase == phase)
    return;
  self->phase = phase;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
  emit_progress (self);
}

void
vital_client_set_upload_bytes (VitalClient *self,
                  guint64      uploaded,
                  guint64      total)
{
  gboolean total_changed = self->bytes_total != total;

  self->bytes_uploaded = uploaded;
  self->bytes_total = total;
  if (total_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_TOTAL]);
  if (uploaded == 0 || uploaded == total ||
      uploaded >= self->bytes_notified + PROGRESS_NOTIFY_STEP)
    {
      self->bytes_notified = uploaded;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_UPLOADED]);
    }
  emit_progress (self);
}
