/* vital-client.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalClient: the session API client (start, upload, complete, poll, history, health).
 *
 * Every call builds a fresh SoupMessage per attempt and runs the retry policy (vital-retry.c)
 * around it. The key and upload URLs are credentials: they are sent, never logged or put into
 * error messages. Errors carry the server's message unchanged.
 */
#include "vital-config.h"

#include "vital-client.h"
#include "vital-client-enums.h"
#include "vital-client-json.h"

#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#define KEY_MIN_SECRET      16
#define KEY_MAX_LENGTH      256
#define PROGRESS_NOTIFY_STEP (64 * 1024)

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

enum {
  SIGNAL_PROGRESS,
  SIGNAL_RETRYING,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

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
  signals[SIGNAL_PROGRESS] =
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
  signals[SIGNAL_RETRYING] =
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

static gboolean
key_is_well_formed (const char  *key,
                    const char **out_environment)
{
  gsize len;

  if (g_str_has_prefix (key, "ck_test_"))
    *out_environment = "test";
  else if (g_str_has_prefix (key, "ck_live_"))
    *out_environment = "live";
  else
    return FALSE;

  len = strlen (key);
  if (len < 8 + KEY_MIN_SECRET || len > KEY_MAX_LENGTH)
    return FALSE;
  for (gsize i = 8; i < len; i++)
    if (!g_ascii_isalnum (key[i]) && key[i] != '_' && key[i] != '-')
      return FALSE;
  return TRUE;
}

/**
 * vital_client_check_key:
 * @self: a client
 * @error: return location for %VITAL_CLIENT_ERROR_MISSING_API_KEY or
 *   %VITAL_CLIENT_ERROR_MALFORMED_API_KEY
 *
 * The client-side key check every authenticated call makes before sending anything: a key is
 * `ck_test_` or `ck_live_` followed by 16 or more of `[A-Za-z0-9_-]`.
 *
 * Returns: %TRUE if the key is present and well formed
 */
gboolean
vital_client_check_key (VitalClient  *self,
                        GError      **error)
{
  const char *environment;

  g_return_val_if_fail (VITAL_IS_CLIENT (self), FALSE);

  if (self->api_key == NULL || self->api_key[0] == '\0')
    {
      g_set_error_literal (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_MISSING_API_KEY,
                           "No API key is set");
      return FALSE;
    }
  if (!key_is_well_formed (self->api_key, &environment))
    {
      g_set_error_literal (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_MALFORMED_API_KEY,
                           "The API key is malformed: keys look like ck_test_… or ck_live_… "
                           "followed by at least 16 letters and digits");
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
  const char *environment = NULL;

  g_return_val_if_fail (VITAL_IS_CLIENT (self), NULL);
  if (self->api_key == NULL || !key_is_well_formed (self->api_key, &environment))
    return NULL;
  return environment;
}

/* Header values: printable ASCII only (no CR/LF injection, no encoding surprises). */
static gboolean
is_header_safe (const char *value)
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
  g_return_if_fail (user_id == NULL || is_header_safe (user_id));
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
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0,
                 self->phase, self->bytes_uploaded, self->bytes_total);
}

static void
set_phase (VitalClient    *self,
           VitalScanPhase  phase)
{
  if (self->phase == phase)
    return;
  self->phase = phase;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
  emit_progress (self);
}

static void
set_upload_bytes (VitalClient *self,
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

/* ------------------------------------------------------------------------------------------ */
/* One request with retries                                                                    */

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
} Request;

static void
request_clear_message (Request *req)
{
  if (req->msg != NULL)
    {
      g_signal_handlers_disconnect_by_data (req->msg, req);
      g_clear_object (&req->msg);
    }
}

static void
request_free (Request *req)
{
  request_clear_message (req);
  g_clear_pointer (&req->uri, g_uri_unref);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_clear_pointer (&req->timezone, g_free);
  g_clear_pointer (&req->server_code, g_free);
  g_free (req);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static Request *
request_new (const char *operation,
             const char *method)
{
  Request *req = g_new0 (Request, 1);

  req->operation = operation;
  req->method = method;
  req->send_key = TRUE;
  req->send_user_id = TRUE;
  req->want_json = TRUE;
  return req;
}

/* The base URL's scheme, host and port with its path prefix + @path (starting with '/', already
 * escaped) and @query (already encoded, or NULL). */
static GUri *
make_uri (VitalClient  *self,
          const char   *path,
          const char   *query,
          GError      **error)
{
  g_autofree char *prefix = NULL;
  g_autofree char *full_path = NULL;

  if (self->base_uri == NULL)
    {
      g_set_error_literal (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_INVALID_REQUEST,
                           self->base_error);
      return NULL;
    }
  prefix = g_strdup (g_uri_get_path (self->base_uri));
  while (g_str_has_suffix (prefix, "/"))
    prefix[strlen (prefix) - 1] = '\0';
  full_path = g_strconcat (prefix, path, NULL);
  return g_uri_build (SOUP_HTTP_URI_FLAGS, g_uri_get_scheme (self->base_uri), NULL,
                      g_uri_get_host (self->base_uri), g_uri_get_port (self->base_uri),
                      full_path, query, NULL);
}

static void
record_rate_limit (VitalClient        *self,
                   SoupMessageHeaders *headers)
{
  const char *limit = soup_message_headers_get_one (headers, "X-RateLimit-Limit");
  const char *remaining = soup_message_headers_get_one (headers, "X-RateLimit-Remaining");
  const char *reset = soup_message_headers_get_one (headers, "X-RateLimit-Reset");
  gint64 l, r, s = -1;

  self->has_rate_limit = FALSE;
  if (limit == NULL || remaining == NULL ||
      !g_ascii_string_to_signed (limit, 10, 0, G_MAXINT64, &l, NULL) ||
      !g_ascii_string_to_signed (remaining, 10, 0, G_MAXINT64, &r, NULL))
    return;
  if (reset != NULL && !g_ascii_string_to_signed (reset, 10, 0, G_MAXINT64, &s, NULL))
    s = -1;

  self->rate_limit.limit = l;
  self->rate_limit.remaining = r;
  self->rate_limit.reset = s;
  self->has_rate_limit = TRUE;
}

static void
on_wrote_headers (SoupMessage *msg,
                  gpointer     user_data)
{
  Request *req = user_data;

  req->may_have_reached = TRUE;
}

static void
on_wrote_body_data (SoupMessage *msg,
                    guint        chunk_size,
                    gpointer     user_data)
{
  Request *req = user_data;
  VitalClient *self = req->client;

  set_upload_bytes (self, MIN (self->bytes_uploaded + chunk_size, self->bytes_total),
                    self->bytes_total);
}

static void request_attempt (GTask *task);

/* Maps a transport GError; sets *retryable. */
static GError *
map_transport_error (VitalClient  *self,
                     const GError *error,
                     GCancellable *cancellable,
                     gboolean     *retryable)
{
  *retryable = FALSE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (cancellable))
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                "The operation was cancelled");
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      *retryable = TRUE;
      return g_error_new (VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_TIMEOUT,
                          "The server did not answer within %u s", self->timeout_s);
    }
  if (error->domain == G_TLS_ERROR)
    return g_error_new (VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_NETWORK,
                        "The secure connection to the server failed: %s", error->message);

  *retryable = TRUE;
  return g_error_new (VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_NETWORK,
                      "Could not talk to the server: %s", error->message);
}

/* Maps a non-2xx response; sets *retryable and the request's server code. */
static GError *
map_status_error (Request  *req,
                  guint     status,
                  GBytes   *body,
                  gboolean *retryable)
{
  g_autoptr(JsonNode) node = vital_json_parse (body, NULL);
  const char *code = NULL, *message = NULL;
  int server_retryable = -1;
  VitalClientError client_code;
  g_autofree char *fallback = NULL;

  if (node != NULL)
    {
      JsonObject *object = json_node_get_object (node);

      /* Lenient: a malformed error body still yields an error from the status. */
      if (!vital_json_get_string (object, NULL, "error", VITAL_JSON_OPTIONAL, &code, NULL))
        code = NULL;
      if (!vital_json_get_string (object, NULL, "message", VITAL_JSON_OPTIONAL, &message, NULL))
        message = NULL;
      if (!vital_json_get_boolean (object, NULL, "retryable", VITAL_JSON_OPTIONAL,
                                   &server_retryable, NULL))
        server_retryable = -1;
    }

  g_free (req->server_code);
  req->server_code = g_strdup (code);

  client_code = vital_client_error_from_server_code (code, status);
  if (status == 429 && server_retryable == 0 && code == NULL)
    client_code = VITAL_CLIENT_ERROR_QUOTA_EXCEEDED;

  *retryable = vital_retry_status_is_retryable (status, code, server_retryable);
  if (req->unsafe_to_resend)
    *retryable = *retryable && (status == 429 || status == 503);

  if (message == NULL || message[0] == '\0')
    message = fallback = g_strdup_printf ("The server answered HTTP %u %s", status,
                                          soup_status_get_phrase (status));

  return g_error_new_literal (VITAL_CLIENT_ERROR, client_code, message);
}

static gboolean
on_retry_wait_done (gpointer user_data)
{
  GTask *task = user_data;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The operation was cancelled");
      g_object_unref (task);
    }
  else
    {
      request_attempt (task);
    }
  return G_SOURCE_REMOVE;
}

/* Calls @func on the client's context after @delay_ms, or as soon as @cancellable fires. */
static void
wait_then (VitalClient  *self,
           guint         delay_ms,
           GCancellable *cancellable,
           GSourceFunc   func,
           gpointer      user_data)
{
  GSource *source = g_timeout_source_new (delay_ms);

  if (cancellable != NULL)
    {
      GSource *cancel_source = g_cancellable_source_new (cancellable);

      g_source_set_dummy_callback (cancel_source);
      g_source_add_child_source (source, cancel_source);
      g_source_unref (cancel_source);
    }
  g_source_set_static_name (source, "[vitalscan] client wait");
  g_source_set_callback (source, func, user_data, NULL);
  g_source_attach (source, self->context);
  g_source_unref (source);
}

static void
on_request_sent (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);
  VitalClient *self = req->client;
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) transport_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  gboolean retryable = FALSE;
  gint64 retry_after_ms = -1;
  guint delay_ms;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source_object), result,
                                            &transport_error);
  if (body == NULL)
    {
      error = map_transport_error (self, transport_error, cancellable, &retryable);
      if (req->unsafe_to_resend && req->may_have_reached)
        retryable = FALSE;
      req->status = 0;
    }
  else
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (req->msg);

      req->status = soup_message_get_status (req->msg);
      record_rate_limit (self, headers);

      if (req->status >= 200 && req->status < 300)
        {
          g_autoptr(JsonNode) node = NULL;

          if (!req->want_json)
            {
              g_task_return_pointer (task, NULL, NULL);
              g_object_unref (task);
              return;
            }
          if (req->allow_array)
            {
              g_autoptr(JsonParser) parser = json_parser_new_immutable ();
              gsize size;
              const char *data = g_bytes_get_data (body, &size);

              if (data != NULL && size > 0 && memchr (data, '\0', size) == NULL &&
                  json_parser_load_from_data (parser, data, (gssize) size, NULL) &&
                  json_parser_get_root (parser) != NULL &&
                  JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
                node = json_node_ref (json_parser_get_root (parser));
            }
          if (node == NULL)
            node = vital_json_parse (body, &error);
          if (node != NULL)
            g_task_return_pointer (task, g_steal_pointer (&node),
                                   (GDestroyNotify) json_node_unref);
          else
            g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }

      error = map_status_error (req, req->status, body, &retryable);
      retry_after_ms = vital_retry_parse_retry_after (
        soup_message_headers_get_one (headers, "Retry-After"), NULL);
    }

  if (retryable &&
      vital_retry_policy_next_delay (self->retry_policy, req->attempts, retry_after_ms,
                                     &delay_ms))
    {
      g_signal_emit (self, signals[SIGNAL_RETRYING], 0,
                     req->operation, req->attempts, delay_ms, error);
      wait_then (self, vital_retry_policy_scale_delay (self->retry_policy, delay_ms),
                 cancellable, on_retry_wait_done, task);
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
}

static void
request_attempt (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  VitalClient *self = req->client;
  SoupMessageHeaders *headers;

  request_clear_message (req);
  req->attempts++;
  req->may_have_reached = FALSE;
  req->status = 0;
  g_clear_pointer (&req->server_code, g_free);

  /* A fresh message per attempt. Redirects are not followed: they would carry the key (or the
   * payload) to wherever the Location points. */
  req->msg = soup_message_new_from_uri (req->method, req->uri);
  soup_message_add_flags (req->msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (req->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (req->send_key)
    soup_message_headers_replace (headers, "X-API-Key", self->api_key);
  if (req->send_user_id && self->user_id != NULL)
    soup_message_headers_replace (headers, "X-User-Id", self->user_id);
  if (req->timezone != NULL)
    soup_message_headers_replace (headers, "timezone", req->timezone);
  if (req->body != NULL)
    soup_message_set_request_body_from_bytes (req->msg, req->content_type, req->body);
  /* libsoup silently re-sends an idempotent request that failed on a reused connection, and
   * the re-sent PUT has an empty body (libsoup 3.2): uploads take a fresh connection so every
   * re-send is ours, with the whole payload. (Expect: 100-continue is deliberately not used:
   * libsoup 3.2 can touch freed I/O state when a server refuses such a request early.) */
  if (req->track_upload)
    soup_message_add_flags (req->msg, SOUP_MESSAGE_NEW_CONNECTION);

  g_signal_connect (req->msg, "wrote-headers", G_CALLBACK (on_wrote_headers), req);
  if (req->track_upload)
    {
      set_upload_bytes (self, 0, req->body != NULL ? g_bytes_get_size (req->body) : 0);
      g_signal_connect (req->msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data), req);
    }

  soup_session_send_and_read_async (self->session, req->msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_request_sent, task);
}

/* Takes ownership of @req. Fails early (as the task's error) on the key check. */
static void
request_send (VitalClient         *self,
              Request             *req,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, request_send);
  g_task_set_check_cancellable (task, FALSE);
  req->client = self;
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);

  if (req->send_key && !vital_client_check_key (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The operation was cancelled");
      return;
    }

  request_attempt (g_steal_pointer (&task));
}

/* Returns the JSON body (NULL for want_json = FALSE) or NULL with @error set. */
static JsonNode *
request_finish (VitalClient   *self,
                GAsyncResult  *result,
                guint         *out_status,
                const char   **out_server_code,
                GError       **error)
{
  Request *req = g_task_get_task_data (G_TASK (result));

  if (out_status != NULL)
    *out_status = req->status;
  if (out_server_code != NULL)
    *out_server_code = req->server_code;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* How many attempts the request took. */
static guint
request_get_attempts (GAsyncResult *result)
{
  Request *req = g_task_get_task_data (G_TASK (result));

  return req->attempts;
}

/* ------------------------------------------------------------------------------------------ */
/* Running an async call synchronously                                                         */

static void
on_sync_ready (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static void
sync_begin (VitalClient *self)
{
  g_main_context_push_thread_default (self->context);
}

static GAsyncResult *
sync_wait (VitalClient   *self,
           GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (self->context, TRUE);
  g_main_context_pop_thread_default (self->context);
  return *slot;
}

/* ------------------------------------------------------------------------------------------ */
/* start_session                                                                               */

static void
on_start_sent (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VitalClient *self = VITAL_CLIENT (source_object);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  VitalClientSession *session;

  node = request_finish (self, result, NULL, NULL, &error);
  if (node == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  session = vital_client_session_new_from_start_response (node, &error);
  if (session == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, session, g_object_unref);
}

static gboolean
demographics_to_json (const VitalDemographics  *demographics,
                      GBytes                  **out_body,
                      GError                  **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  gsize length;

  if (demographics->age != 0 && (demographics->age < 1 || demographics->age > 120))
    {
      g_set_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_INVALID_REQUEST,
                   "Age %d is outside 1–120", demographics->age);
      return FALSE;
    }
  if (demographics->fitzpatrick != 0 &&
      (demographics->fitzpatrick < 1 || demographics->fitzpatrick > 6))
    {
      g_set_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_INVALID_REQUEST,
                   "Fitzpatrick skin type %d is outside 1–6", demographics->fitzpatrick);
      return FALSE;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "demographics");
  json_builder_begin_object (builder);
  if (demographics->age != 0)
    {
      json_builder_set_member_name (builder, "age");
      json_builder_add_int_value (builder, demographics->age);
    }
  if (demographics->sex != VITAL_SEX_UNKNOWN)
    {
      json_builder_set_member_name (builder, "sex");
      json_builder_add_string_value (builder,
                                     demographics->sex == VITAL_SEX_MALE ? "M" :
                                     demographics->sex == VITAL_SEX_FEMALE ? "F" : "other");
    }
  if (demographics->fitzpatrick != 0)
    {
      json_builder_set_member_name (builder, "fitzpatrick");
      json_builder_add_int_value (builder, demographics->fitzpatrick);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  length = strlen (text);
  *out_body = g_bytes_new_take (g_steal_pointer (&text), length);
  return TRUE;
}

/**
 * vital_client_start_session_async:
 * @self: a client
 * @demographics: (nullable): optional age/sex/skin type sent with the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the client's context when done
 * @user_data: data for @callback
 *
 * `POST /sdk/session/start`. Starting a session may consume quota, so once the request may
 * have reached the server it is never re-sent: only connection failures before sending,
 * 429 marked retryable and 503 are retried.
 */
void
vital_client_start_session_async (VitalClient             *self,
                                  const VitalDemographics *demographics,
                                  GCancellable            *cancellable,
                                  GAsyncReadyCallback      callback,
                                  gpointer                 user_data)
{
  g_autoptr(Request) req = request_new ("start_session", SOUP_METHOD_POST);
  GError *error = NULL;

  g_return_if_fail (VITAL_IS_CLIENT (self));

  req->unsafe_to_resend = TRUE;
  req->uri = make_uri (self, "/sdk/session/start", NULL, &error);
  if (req->uri != NULL && demographics != NULL &&
      demographics_to_json (demographics, &req->body, &error))
    req->content_type = "application/json";
  if (error != NULL)
    {
      g_task_report_error (self, callback, user_data, vital_client_start_session_async, error);
      return;
    }

  {
    g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

    g_task_set_source_tag (task, vital_client_start_session_async);
    g_task_set_check_cancellable (task, FALSE);
    request_send (self, g_steal_pointer (&req), cancellable, on_start_sent,
                  g_steal_pointer (&task));
  }
}

/**
 * vital_client_start_session_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for a %VITAL_CLIENT_ERROR
 *
 * Returns: (transfer full) (nullable): the new session (id, upload URL, expiry, status)
 */
VitalClientSession *
vital_client_start_session_finish (VitalClient   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * vital_client_start_session_sync:
 * @self: a client
 * @demographics: (nullable): optional demographics
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a %VITAL_CLIENT_ERROR
 *
 * Blocking vital_client_start_session_async(): call from the thread that owns the client's
 * context, with no other thread iterating it.
 *
 * Returns: (transfer full) (nullable): the new session
 */
VitalClientSession *
vital_client_start_session_sync (VitalClient             *self,
                                 const VitalDemographics *demographics,
                                 GCancellable            *cancellable,
                                 GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (VITAL_IS_CLIENT (self), NULL);
  sync_begin (self);
  vital_client_start_session_async (self, demographics, cancellable, on_sync_ready, &result);
  return vital_client_start_session_finish (self, sync_wait (self, &result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* upload                                                                                      */

static void
on_upload_sent (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  request_finish (VITAL_CLIENT (source_object), result, NULL, NULL, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * vital_client_upload_async:
 * @self: a client
 * @upload_url: the session's presigned upload URL (absolute, or a path on the server)
 * @payload: the tensor payload
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the client's context when done
 * @user_data: data for @callback
 *
 * `PUT <upload_url>` with `Content-Type: application/octet-stream`. The API key is not sent
 * (the URL is the credential). Progress is reported through #VitalClient::progress and
 * #VitalClient:bytes-uploaded. Re-PUT overwrites, so failures are retried per the policy.
 */
void
vital_client_upload_async (VitalClient         *self,
                           const char          *upload_url,
                           GBytes              *payload,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(Request) req = request_new ("upload", SOUP_METHOD_PUT);
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VITAL_IS_CLIENT (self));
  g_return_if_fail (payload != NULL);

  if (upload_url == NULL || upload_url[0] == '\0')
    {
      g_task_report_error (self, callback, user_data, vital_client_upload_async,
                           g_error_new_literal (VITAL_CLIENT_ERROR,
                                                VITAL_CLIENT_ERROR_INVALID_REQUEST,
                                                "No upload URL was given"));
      return;
    }
  if (upload_url[0] == '/')
    {
      g_autoptr(GUri) base = self->base_url ?
        g_uri_parse (self->base_url, SOUP_HTTP_URI_FLAGS, NULL) : NULL;

      req->uri = base != NULL ?
        g_uri_parse_relative (base, upload_url, SOUP_HTTP_URI_FLAGS, NULL) : NULL;
    }
  else
    {
      req->uri = g_uri_parse (upload_url, SOUP_HTTP_URI_FLAGS, NULL);
    }
  if (req->uri == NULL ||
      (g_strcmp0 (g_uri_get_scheme (req->uri), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (req->uri), "https") != 0))
    {
      /* Never echo the URL: it carries a signature. */
      g_task_report_error (self, callback, user_data, vital_client_upload_async,
                           g_error_new_literal (VITAL_CLIENT_ERROR,
                                                VITAL_CLIENT_ERROR_INVALID_REQUEST,
                                                "The upload URL is not a usable http(s) URL"));
      return;
    }

  req->body = g_bytes_ref (payload);
  req->content_type = "application/octet-stream";
  req->send_key = FALSE;
  req->send_user_id = FALSE;
  req->want_json = FALSE;
  req->track_upload = TRUE;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vital_client_upload_async);
  g_task_set_check_cancellable (task, FALSE);
  request_send (self, g_steal_pointer (&req), cancellable, on_upload_sent,
                g_steal_pointer (&task));
}

/**
 * vital_client_upload_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for a %VITAL_CLIENT_ERROR
 *
 * Returns: %TRUE when the server accepted the payload
 */
gboolean
vital_client_upload_finish (VitalClient   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * vital_client_upload_sync:
 * @self: a client
 * @upload_url: the presigned upload URL
 * @payload: the tensor payload
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a %VITAL_CLIENT_ERROR
 *
 * Blocking vital_client_upload_async().
 *
 * Returns: %TRUE when the server accepted the payload
 */
gboolean
vital_client_upload_sync (VitalClient   *self,
                          const char    *upload_url,
                          GBytes        *payload,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (VITAL_IS_CLIENT (self), FALSE);
  sync_begin (self);
  vital_client_upload_async (self, upload_url, payload, cancellable, on_sync_ready, &result);
  return vital_client_upload_finish (self, sync_wait (self, &result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* Result bodies (upload-complete and result polling)                                          */

typedef enum
{
  RESULT_READY,    /* *out_signs set */
  RESULT_PENDING,  /* not done yet: poll */
  RESULT_ERROR,    /* error set */
} ResultState;

/* Interprets `{session_id, status, vitals…, error}`. */
static ResultState
interpret_result (JsonNode    *node,
                  VitalSigns **out_signs,
                  GError     **error)
{
  JsonObject *object = json_node_get_object (node);
  VitalClientSessionStatus status;
  const char *status_text, *failure;

  if (!vital_json_get_string (object, NULL, "status", VITAL_JSON_REQUIRED, &status_text, error))
    return RESULT_ERROR;
  if (!vital_client_session_status_from_string (status_text, &status))
    {
      g_set_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
                   "The server sent an unknown session status “%s”", status_text);
      return RESULT_ERROR;
    }

  switch (status)
    {
    case VITAL_CLIENT_SESSION_STATUS_COMPLETED:
      *out_signs = vital_signs_new_from_json (node, error);
      return *out_signs != NULL ? RESULT_READY : RESULT_ERROR;

    case VITAL_CLIENT_SESSION_STATUS_FAILED:
      if (!vital_json_get_string (object, NULL, "error", VITAL_JSON_OPTIONAL |
                                  VITAL_JSON_NULLABLE, &failure, error))
        return RESULT_ERROR;
      g_set_error_literal (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_PROCESSING_FAILED,
                           failure != NULL && failure[0] != '\0' ? failure :
                           "The server could not process the scan");
      return RESULT_ERROR;

    case VITAL_CLIENT_SESSION_STATUS_EXPIRED:
      g_set_error_literal (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_SESSION_EXPIRED,
                           "The session expired before a result was available");
      return RESULT_ERROR;

    case VITAL_CLIENT_SESSION_STATUS_PENDING:
    case VITAL_CLIENT_SESSION_STATUS_UPLOADED:
    case VITAL_CLIENT_SESSION_STATUS_PROCESSING:
    default:
      return RESULT_PENDING;
    }
}

static gboolean
check_session_id (const char  *session_id,
                  GError     **error)
{
  if (session_id == NULL || session_id[0] == '\0' || strlen (session_id) > 128 ||
      strpbrk (session_id, "/?#% \t\r\n") != NULL)
    {
      g_set_error_literal (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_INVALID_REQUEST,
                           "The session id is empty or malformed");
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* complete_upload                                                                             */

static void
on_complete_sent (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  VitalSigns *signs = NULL;
  GError *error = NULL;
  guint status;

  node = request_finish (VITAL_CLIENT (source_object), result, &status, NULL, &error);
  if (node == NULL)
    {
      /* A re-sent completion refused as a conflict (409): an earlier attempt whose answer was
       * lost did reach the server, which is processing or done. Poll for the result. */
      if (status == 409 && request_get_attempts (result) > 1)
        {
          g_clear_error (&error);
          g_task_return_pointer (task, NULL, NULL);
          return;
        }
      g_task_return_error (task, error);
      return;
    }
  switch (interpret_result (node, &signs, &error))
    {
    case RESULT_READY:
      g_task_return_pointer (task, signs, g_object_unref);
      break;
    case RESULT_PENDING:
      g_task_return_pointer (task, NULL, NULL);
      break;
    case RESULT_ERROR:
    default:
      g_task_return_error (task, error);
      break;
    }
}

/**
 * vital_client_complete_upload_async:
 * @self: a client
 * @session_id: the session whose payload is uploaded
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the client's context when done
 * @user_data: data for @callback
 *
 * `POST /sdk/session/upload-complete`. The server answers 200 with the result inline when
 * processing is quick, or 202 while it still processes (then poll). When a re-sent completion
 * (after a lost answer) is refused with 409, the first one reached the server: this finishes
 * without a result and the caller polls.
 */
void
vital_client_complete_upload_async (VitalClient         *self,
                                    const char          *session_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(Request) req = request_new ("complete_upload", SOUP_METHOD_POST);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  char *text;

  g_return_if_fail (VITAL_IS_CLIENT (self));

  if (!check_session_id (session_id, &error) ||
      (req->uri = make_uri (self, "/sdk/session/upload-complete", NULL, &error)) == NULL)
    {
      g_task_report_error (self, callback, user_data, vital_client_complete_upload_async, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "session_id");
  json_builder_add_string_value (builder, session_id);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  req->body = g_bytes_new_take (text, strlen (text));
  req->content_type = "application/json";

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vital_client_complete_upload_async);
  g_task_set_check_cancellable (task, FALSE);
  request_send (self, g_steal_pointer (&req), cancellable, on_complete_sent,
                g_steal_pointer (&task));
}

/**
 * vital_client_complete_upload_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @out_signs: (out) (transfer full) (optional) (nullable): the result when the server answered
 *   it inline, %NULL when it is still processing (poll with vital_client_poll_result_async())
 * @error: return location for a %VITAL_CLIENT_ERROR
 *
 * Returns: %TRUE when the server accepted the completion
 */
gboolean
vital_client_complete_upload_finish (VitalClient   *self,
                                     GAsyncResult  *result,
                                     VitalSigns   **out_signs,
                                     GError       **error)
{
  GError *local_error = NULL;
  VitalSigns *signs;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (out_signs != NULL)
    *out_signs = NULL;
  signs = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (out_signs != NULL)
    *out_signs = signs;
  else
    g_clear_object (&signs);
  return TRUE;
}

/**
 * vital_client_complete_upload_sync:
 * @self: a client
 * @session_id: the session whose payload is uploaded
 * @out_signs: (out) (transfer full) (optional) (nullable): the inline result, if any
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a %VITAL_CLIENT_ERROR
 *
 * Blocking vital_client_complete_upload_async().
 *
 * Returns: %TRUE when the server accepted the completion
 */
gboolean
vital_client_complete_upload_sync (VitalClient   *self,
                                   const char    *session_id,
                                   VitalSigns   **out_signs,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (VITAL_IS_CLIENT (self), FALSE);
  sync_begin (self);
  vital_client_complete_upload_async (self, session_id, cancellable, on_sync_ready, &result);
  return vital_client_complete_upload_finish (self, sync_wait (self, &result), out_signs, error);
}

/* ------------------------------------------------------------------------------------------ */
/* poll_result                                                                                 */

typedef struct
{
  char   *session_id;
  gint64  deadline_us;
} PollData;

static void
poll_data_free (PollData *data)
{
  g_free (data->session_id);
  g_free (data);
}

static void poll_once (GTask *task);

static gboolean
on_poll_wait_done (gpointer user_data)
{
  GTask *task = user_data;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The operation was cancelled");
      g_object_unref (task);
    }
  else
    {
      poll_once (task);
    }
  return G_SOURCE_REMOVE;
}

static void
on_poll_sent (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  VitalClient *self = VITAL_CLIENT (source_object);
  PollData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  VitalSigns *signs = NULL;
  const char *server_code = NULL;
  GError *error = NULL;
  guint status = 0;

  node = request_finish (self, result, &status, &server_code, &error);
  if (node == NULL)
    {
      /* An unknown route (404/405 that is not SESSION_NOT_FOUND): try the alias spelling. */
      if ((status == 404 || status == 405) && !self->use_result_alias &&
          g_strcmp0 (server_code, "SESSION_NOT_FOUND") != 0)
        {
          g_clear_error (&error);
          self->use_result_alias = TRUE;
          poll_once (task);
          return;
        }
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  switch (interpret_result (node, &signs, &error))
    {
    case RESULT_READY:
      g_task_return_pointer (task, signs, g_object_unref);
      g_object_unref (task);
      return;

    case RESULT_ERROR:
      g_task_return_error (task, error);
      g_object_unref (task);
      return;

    case RESULT_PENDING:
    default:
      break;
    }

  if (g_get_monotonic_time () + (gint64) self->poll_interval_ms * 1000 > data->deadline_us)
    {
      g_task_return_new_error (task, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_TIMEOUT,
                               "No result arrived within %u s", self->poll_timeout_ms / 1000);
      g_object_unref (task);
      return;
    }
  wait_then (self, self->poll_interval_ms, g_task_get_cancellable (task), on_poll_wait_done,
             task);
}

static void
poll_once (GTask *task)
{
  VitalClient *self = g_task_get_source_object (task);
  PollData *data = g_task_get_task_data (task);
  g_autoptr(Request) req = request_new ("poll_result", SOUP_METHOD_GET);
  g_autofree char *escaped = g_uri_escape_string (data->session_id, NULL, FALSE);
  g_autofree char *path = NULL;
  GError *error = NULL;

  if (self->use_result_alias)
    path = g_strdup_printf ("/sdk/session/result/%s", escaped);
  else
    path = g_strdup_printf ("/sdk/session/%s/result", escaped);

  req->uri = make_uri (self, path, NULL, &error);
  if (req->uri == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  request_send (self, g_steal_pointer (&req), g_task_get_cancellable (task), on_poll_sent,
                task);
}

/**
 * vital_client_poll_result_async:
 * @self: a client
 * @session_id: the session to wait for
 * @cancellable: (nullable): a #GCancellable; cancelling stops polling at once
 * @callback: called on the client's context when done
 * @user_data: data for @callback
 *
 * Polls `GET /sdk/session/{id}/result` (or the alias `/sdk/session/result/{id}` when the
 * server only knows that one) every #VitalClient:poll-interval until the session is completed
 * (the result), failed (%VITAL_CLIENT_ERROR_PROCESSING_FAILED with the server's text) or
 * expired (%VITAL_CLIENT_ERROR_SESSION_EXPIRED), or #VitalClient:poll-timeout passes
 * (%VITAL_CLIENT_ERROR_TIMEOUT).
 */
void
vital_client_poll_result_async (VitalClient         *self,
                                const char          *session_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PollData *data;
  GError *error = NULL;

  g_return_if_fail (VITAL_IS_CLIENT (self));

  if (!check_session_id (session_id, &error))
    {
      g_task_report_error (self, callback, user_data, vital_client_poll_result_async, error);
      return;
    }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vital_client_poll_result_async);
  g_task_set_check_cancellable (task, FALSE);
  data = g_new0 (PollData, 1);
  data->session_id = g_strdup (session_id);
  data->deadline_us = g_get_monotonic_time () + (gint64) self->poll_timeout_ms * 1000;
  g_task_set_task_data (task, data, (GDestroyNotify) poll_data_free);

  poll_once (g_steal_pointer (&task));
}

/**
 * vital_client_poll_result_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for a %VITAL_CLIENT_ERROR
 *
 * Returns: (transfer full) (nullable): the completed result
 */
VitalSigns *
vital_client_poll_result_finish (VitalClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * vital_client_poll_result_sync:
 * @self: a client
 * @session_id: the session to wait for
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a %VITAL_CLIENT_ERROR
 *
 * Blocking vital_client_poll_result_async().
 *
 * Returns: (transfer full) (nullable): the completed result
 */
VitalSigns *
vital_client_poll_result_sync (VitalClient   *self,
                               const char    *session_id,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (VITAL_IS_CLIENT (self), NULL);
  sync_begin (self);
  vital_client_poll_result_async (self, session_id, cancellable, on_sync_ready, &result);
  return vital_client_poll_result_finish (self, sync_wait (self, &result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* scan_tensor                                                                                 */

typedef struct
{
  GBytes             *payload;
  VitalDemographics   demographics;
  gboolean            has_demographics;
  VitalClientSession *session;
} ScanData;

static void
scan_data_free (ScanData *data)
{
  g_clear_pointer (&data->payload, g_bytes_unref);
  g_clear_object (&data->session);
  g_free (data);
}

static void
scan_fail (GTask  *task,
           GError *error)
{
  set_phase (g_task_get_source_object (task), VITAL_SCAN_PHASE_FAILED);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
scan_succeed (GTask      *task,
              VitalSigns *signs)
{
  set_phase (g_task_get_source_object (task), VITAL_SCAN_PHASE_DONE);
  g_task_return_pointer (task, signs, g_object_unref);
  g_object_unref (task);
}

static void
on_scan_polled (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  VitalSigns *signs;

  signs = vital_client_poll_result_finish (VITAL_CLIENT (source_object), result, &error);
  if (signs == NULL)
    scan_fail (task, error);
  else
    scan_succeed (task, signs);
}

static void
on_scan_completed (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  VitalClient *self = VITAL_CLIENT (source_object);
  ScanData *data = g_task_get_task_data (task);
  VitalSigns *signs = NULL;
  GError *error = NULL;

  if (!vital_client_complete_upload_finish (self, result, &signs, &error))
    {
      scan_fail (task, error);
      return;
    }
  if (signs != NULL)
    {
      scan_succeed (task, signs);
      return;
    }
  set_phase (self, VITAL_SCAN_PHASE_PROCESSING);
  vital_client_poll_result_async (self, vital_client_session_get_id (data->session),
                                  g_task_get_cancellable (task), on_scan_polled, task);
}

static void
on_scan_uploaded (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  VitalClient *self = VITAL_CLIENT (source_object);
  ScanData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!vital_client_upload_finish (self, result, &error))
    {
      scan_fail (task, error);
      return;
    }
  set_phase (self, VITAL_SCAN_PHASE_COMPLETING);
  vital_client_complete_upload_async (self, vital_client_session_get_id (data->session),
                                      g_task_get_cancellable (task), on_scan_completed, task);
}

static void
on_scan_started (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  VitalClient *self = VITAL_CLIENT (source_object);
  ScanData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->session = vital_client_start_session_finish (self, result, &error);
  if (data->session == NULL)
    {
      scan_fail (task, error);
      return;
    }
  set_upload_bytes (self, 0, g_bytes_get_size (data->payload));
  set_phase (self, VITAL_SCAN_PHASE_UPLOADING);
  vital_client_upload_async (self, vital_client_session_get_upload_url (data->session),
                             data->payload, g_task_get_cancellable (task), on_scan_uploaded,
                             task);
}

/**
 * vital_client_scan_tensor_async:
 * @self: a client
 * @payload: an encoded tensor payload (see docs/tensor-format.md)
 * @demographics: (nullable): optional demographics for the start request
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the client's context when done
 * @user_data: data for @callback
 *
 * One full session: start → upload → complete → (poll). #VitalClient:phase,
 * #VitalClient:bytes-uploaded and #VitalClient::progress follow along.
 */
void
vital_client_scan_tensor_async (VitalClient             *self,
                                GBytes                  *payload,
                                const VitalDemographics *demographics,
                                GCancellable            *cancellable,
                                GAsyncReadyCallback      callback,
                                gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  ScanData *data;

  g_return_if_fail (VITAL_IS_CLIENT (self));
  g_return_if_fail (payload != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vital_client_scan_tensor_async);
  g_task_set_check_cancellable (task, FALSE);
  data = g_new0 (ScanData, 1);
  data->payload = g_bytes_ref (payload);
  if (demographics != NULL)
    {
      data->demographics = *demographics;
      data->has_demographics = TRUE;
    }
  g_task_set_task_data (task, data, (GDestroyNotify) scan_data_free);

  self->bytes_notified = 0;
  set_phase (self, VITAL_SCAN_PHASE_STARTING);
  set_upload_bytes (self, 0, g_bytes_get_size (payload));

  if (g_bytes_get_size (payload) == 0)
    {
      g_set_error_literal (&error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_INVALID_REQUEST,
                           "The payload is empty");
      scan_fail (g_steal_pointer (&task), error);
      return;
    }

  vital_client_start_session_async (self, data->has_demographics ? &data->demographics : NULL,
                                    cancellable, on_scan_started, g_steal_pointer (&task));
}

/**
 * vital_client_scan_tensor_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for a %VITAL_CLIENT_ERROR
 *
 * Returns: (transfer full) (nullable): the result of the scan
 */
VitalSigns *
vital_client_scan_tensor_finish (VitalClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * vital_client_scan_tensor_sync:
 * @self: a client
 * @payload: an encoded tensor payload
 * @demographics: (nullable): optional demographics
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a %VITAL_CLIENT_ERROR
 *
 * Blocking vital_client_scan_tensor_async(); signals are emitted while it runs.
 *
 * Returns: (transfer full) (nullable): the result of the scan
 */
VitalSigns *
vital_client_scan_tensor_sync (VitalClient             *self,
                               GBytes                  *payload,
                               const VitalDemographics *demographics,
                               GCancellable            *cancellable,
                               GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (VITAL_IS_CLIENT (self), NULL);
  sync_begin (self);
  vital_client_scan_tensor_async (self, payload, demographics, cancellable, on_sync_ready,
                                  &result);
  return vital_client_scan_tensor_finish (self, sync_wait (self, &result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* list_sessions                                                                               */

static void
on_list_sent (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  GError *error = NULL;
  JsonArray *items;

  node = request_finish (VITAL_CLIENT (source_object), result, NULL, NULL, &error);
  if (node == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      items = json_node_get_array (node);
    }
  else
    {
      JsonObject *object = json_node_get_object (node);
      JsonNode *member = json_object_get_member (object, "sessions");

      if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
        {
          g_task_return_new_error (task, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
                                   "The server's history lacks the array “sessions”");
          return;
        }
      items = json_node_get_array (member);
    }

  sessions = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      VitalClientSession *session =
        vital_client_session_new_from_history_item (json_array_get_element (items, i), &error);

      if (session == NULL)
        {
          g_prefix_error (&error, "History item %u: ", i);
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (sessions, session);
    }

  g_task_return_pointer (task, g_steal_pointer (&sessions), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * vital_client_list_sessions_async:
 * @self: a client
 * @query: (nullable): filters; %NULL for the server's defaults
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the client's context when done
 * @user_data: data for @callback
 *
 * `GET /sdk/sessions`: the key's (and #VitalClient:user-id's) sessions.
 */
void
vital_client_list_sessions_async (VitalClient             *self,
                                  const VitalHistoryQuery *query,
                                  GCancellable            *cancellable,
                                  GAsyncReadyCallback      callback,
                                  gpointer                 user_data)
{
  g_autoptr(Request) req = request_new ("list_sessions", SOUP_METHOD_GET);
  GData *form = NULL;  /* keeps the parameters in order, for a request that reads the same */
  g_autofree char *params = NULL;
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (VITAL_IS_CLIENT (self));

  if (query != NULL)
    {
      if (query->limit > 100)
        {
          g_task_report_error (self, callback, user_data, vital_client_list_sessions_async,
                               g_error_new (VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_INVALID_REQUEST,
                                            "A history page holds at most 100 sessions, not %d",
                                            query->limit));
          return;
        }
      if (query->timezone != NULL && (query->timezone[0] == '\0' ||
                                      !is_header_safe (query->timezone)))
        {
          g_task_report_error (self, callback, user_data, vital_client_list_sessions_async,
                               g_error_new_literal (VITAL_CLIENT_ERROR,
                                                    VITAL_CLIENT_ERROR_INVALID_REQUEST,
                                                    "The time zone name is empty or not ASCII"));
          return;
        }
      if (query->date_gte != NULL)
        g_datalist_set_data_full (&form, "date_gte", g_strdup (query->date_gte), g_free);
      if (query->date_lte != NULL)
        g_datalist_set_data_full (&form, "date_lte", g_strdup (query->date_lte), g_free);
      g_datalist_set_data_full (&form, "order_by", g_strdup (query->ascending ? "ASC" : "DESC"),
                                g_free);
      g_datalist_set_data_full (&form, "offset", g_strdup_printf ("%u", query->offset),
                                g_free);
      if (query->limit >= 0)
        g_datalist_set_data_full (&form, "limit", g_strdup_printf ("%d", query->limit), g_free);
      req->timezone = g_strdup (query->timezone);
    }

  if (form != NULL)
    params = soup_form_encode_datalist (&form);
  g_datalist_clear (&form);
  req->uri = make_uri (self, "/sdk/sessions", params, &error);
  if (req->uri == NULL)
    {
      g_task_report_error (self, callback, user_data, vital_client_list_sessions_async, error);
      return;
    }
  req->allow_array = TRUE;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vital_client_list_sessions_async);
  g_task_set_check_cancellable (task, FALSE);
  request_send (self, g_steal_pointer (&req), cancellable, on_list_sent,
                g_steal_pointer (&task));
}

/**
 * vital_client_list_sessions_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for a %VITAL_CLIENT_ERROR
 *
 * Returns: (transfer container) (element-type VitalClientSession) (nullable): the sessions
 */
GPtrArray *
vital_client_list_sessions_finish (VitalClient   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * vital_client_list_sessions_sync:
 * @self: a client
 * @query: (nullable): filters
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a %VITAL_CLIENT_ERROR
 *
 * Blocking vital_client_list_sessions_async().
 *
 * Returns: (transfer container) (element-type VitalClientSession) (nullable): the sessions
 */
GPtrArray *
vital_client_list_sessions_sync (VitalClient             *self,
                                 const VitalHistoryQuery *query,
                                 GCancellable            *cancellable,
                                 GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (VITAL_IS_CLIENT (self), NULL);
  sync_begin (self);
  vital_client_list_sessions_async (self, query, cancellable, on_sync_ready, &result);
  return vital_client_list_sessions_finish (self, sync_wait (self, &result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* health                                                                                      */

static void
on_health_sent (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  const char *status, *version;
  GError *error = NULL;
  JsonObject *object;

  node = request_finish (VITAL_CLIENT (source_object), result, NULL, NULL, &error);
  if (node == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  object = json_node_get_object (node);
  if (!vital_json_get_string (object, NULL, "status", VITAL_JSON_REQUIRED, &status, &error) ||
      !vital_json_get_string (object, NULL, "version", VITAL_JSON_OPTIONAL | VITAL_JSON_NULLABLE,
                              &version, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_strcmp0 (status, "ok") != 0)
    {
      g_task_return_new_error (task, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_SERVICE_UNAVAILABLE,
                               "The server reports status “%s”", status);
      return;
    }
  g_task_return_pointer (task, g_strdup (version != NULL ? version : ""), g_free);
}

/**
 * vital_client_health_async:
 * @self: a client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the client's context when done
 * @user_data: data for @callback
 *
 * `GET /health` (no key needed).
 */
void
vital_client_health_async (VitalClient         *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(Request) req = request_new ("health", SOUP_METHOD_GET);
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (VITAL_IS_CLIENT (self));

  req->uri = make_uri (self, "/health", NULL, &error);
  if (req->uri == NULL)
    {
      g_task_report_error (self, callback, user_data, vital_client_health_async, error);
      return;
    }
  req->send_key = FALSE;
  req->send_user_id = FALSE;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vital_client_health_async);
  g_task_set_check_cancellable (task, FALSE);
  request_send (self, g_steal_pointer (&req), cancellable, on_health_sent,
                g_steal_pointer (&task));
}

/**
 * vital_client_health_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @out_version: (out) (transfer full) (optional): the server's version ("" if not sent)
 * @error: return location for a %VITAL_CLIENT_ERROR
 *
 * Returns: %TRUE when the server answered `{"status":"ok"}`
 */
gboolean
vital_client_health_finish (VitalClient   *self,
                            GAsyncResult  *result,
                            char         **out_version,
                            GError       **error)
{
  g_autofree char *version = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  version = g_task_propagate_pointer (G_TASK (result), error);
  if (version == NULL)
    return FALSE;
  if (out_version != NULL)
    *out_version = g_steal_pointer (&version);
  return TRUE;
}

/**
 * vital_client_health_sync:
 * @self: a client
 * @out_version: (out) (transfer full) (optional): the server's version
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a %VITAL_CLIENT_ERROR
 *
 * Blocking vital_client_health_async().
 *
 * Returns: %TRUE when the server is healthy
 */
gboolean
vital_client_health_sync (VitalClient   *self,
                          char         **out_version,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (VITAL_IS_CLIENT (self), FALSE);
  sync_begin (self);
  vital_client_health_async (self, cancellable, on_sync_ready, &result);
  return vital_client_health_finish (self, sync_wait (self, &result), out_version, error);
}
