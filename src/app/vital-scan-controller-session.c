/* vital-scan-controller-session.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The session of a recorded payload: the client for the chosen backend (the embedded server,
 * started on first use, or a remote one with the key from the keyring), its progress on the
 * processing page, and the result or error it ends with.
 */
#include "vital-config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "vital-scan-controller-private.h"

void
vital_scan_controller_stop_pulse (VitalScanController *self)
{
  g_clear_handle_id (&self->pulse_id, g_source_remove);
}

void
vital_scan_controller_finish_busy (VitalScanController *self)
{
  self->busy = FALSE;
  vital_scan_controller_stop_pulse (self);
  g_clear_object (&self->cancellable);
}

/* A scan ends in @error: the controller is free for the next one and the window says why. */
void
vital_scan_controller_fail (VitalScanController *self,
                            const GError        *error)
{
  vital_scan_controller_finish_busy (self);
  if (self->window != NULL)
    vital_window_show_error (self->window, error);
}

static void
scan_tensor_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(VitalScanController) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSigns) signs = NULL;
  VitalClientRateLimit limit;

  signs = vital_client_scan_tensor_finish (VITAL_CLIENT (source), result, &error);
  vital_scan_controller_finish_busy (self);
  if (vital_client_get_last_rate_limit (VITAL_CLIENT (source), &limit))
    {
      g_autofree char *backend = g_settings_get_string (self->settings, "backend");

      if (self->prefs != NULL)
        vital_preferences_window_set_rate_limit (self->prefs, limit.limit, limit.remaining,
                                                 limit.reset);
      /* A remote server's rate limit is the user's business: say what is left. */
      if (self->window != NULL && g_strcmp0 (backend, "server") == 0 && limit.limit >= 0 &&
          !vital_client_rate_limit_is_unlimited (&limit))
        {
          g_autofree char *text =
            /* Translators: after a scan, e.g. "58 of 60 requests left this minute" */
            g_strdup_printf (_("%lld of %lld requests left"), (long long) limit.remaining,
                             (long long) limit.limit);
          vital_window_toast (self->window, text);
        }
    }
  if (self->window == NULL)
    return;
  if (signs == NULL)
    {
      vital_window_show_error (self->window, error);
      return;
    }
  {
    g_autoptr(VitalReading) reading = vital_reading_new (signs);
    vital_reading_set_source (reading, self->payload_source, self->payload_name);
    vital_reading_set_scan_seconds (reading, self->payload_seconds);
    vital_reading_set_low_cause (reading, vital_scan_controller_likely_cause (self));
    vital_window_show_result (self->window, reading);
  }
  if (self->options.kiosk)
    g_clear_pointer (&self->payload, g_bytes_unref);
}

static const char *
phase_text (VitalScanPhase phase)
{
  switch (phase)
    {
    case VITAL_SCAN_PHASE_STARTING:
      return _("Starting a session…");
    case VITAL_SCAN_PHASE_UPLOADING:
      return _("Uploading the scan…");
    case VITAL_SCAN_PHASE_COMPLETING:
    case VITAL_SCAN_PHASE_PROCESSING:
      return _("Measuring your vital signs…");
    case VITAL_SCAN_PHASE_DONE:
    case VITAL_SCAN_PHASE_FAILED:
    case VITAL_SCAN_PHASE_IDLE:
    default:
      return NULL;
    }
}

static void
client_progress (VitalClient         *client,
                 GParamSpec          *pspec,
                 VitalScanController *self)
{
  VitalScanPhase phase = vital_client_get_phase (client);
  guint64 total = vital_client_get_bytes_total (client);
  double fraction = NAN;

  if (self->window == NULL || !self->busy || phase_text (phase) == NULL)
    return;
  if (phase == VITAL_SCAN_PHASE_UPLOADING && total > 0)
    fraction = (double) vital_client_get_bytes_uploaded (client) / (double) total;
  else if (phase == VITAL_SCAN_PHASE_COMPLETING || phase == VITAL_SCAN_PHASE_PROCESSING)
    fraction = NAN;
  else
    fraction = 0.0;
  vital_window_show_processing (self->window, phase_text (phase), fraction);
}

gboolean
vital_scan_controller_pulse_cb (gpointer user_data)
{
  VitalScanController *self = user_data;

  if (self->window != NULL && self->client != NULL &&
      vital_client_get_phase (self->client) != VITAL_SCAN_PHASE_UPLOADING)
    vital_window_show_processing (self->window,
                                  phase_text (vital_client_get_phase (self->client)), NAN);
  return G_SOURCE_CONTINUE;
}

/* @remote: @client talks to a remote server (History lists its sessions), not the embedded one */
static void
use_client (VitalScanController *self,
            VitalClient         *client,
            gboolean             remote)
{
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_set_object (&self->client, client);
  g_signal_connect (client, "notify::phase", G_CALLBACK (client_progress), self);
  g_signal_connect (client, "notify::bytes-uploaded", G_CALLBACK (client_progress), self);
  if (self->window != NULL && !self->options.kiosk)
    vital_history_view_set_client (vital_window_get_history_view (self->window), client, remote);
}

static void
run_session (VitalScanController *self)
{
  VitalDemographics demo;
  gboolean with_demo = self->window != NULL &&
                       vital_window_get_demographics (self->window, &demo);

  if (self->pulse_id == 0)
    self->pulse_id = g_timeout_add (150, vital_scan_controller_pulse_cb, self);
  vital_client_scan_tensor_async (self->client, self->payload, with_demo ? &demo : NULL,
                                  self->cancellable, scan_tensor_done, g_object_ref (self));
}

/* The client for the chosen backend could not be made. A scan waiting for it fails; without
 * one, a key lookup's error stays unsaid (the next scan meets it again) while @say_anyway
 * reports the others at once. */
static void
client_failed (VitalScanController *self,
               const GError        *error,
               gboolean             say_anyway)
{
  if (self->run_when_ready)
    {
      self->run_when_ready = FALSE;
      vital_scan_controller_fail (self, error);
    }
  else if (say_anyway && self->window != NULL)
    vital_window_show_error (self->window, error);
}

/* @client serves the next scans; a scan that waited for it starts now. */
static void
client_ready (VitalScanController *self,
              VitalClient         *client,
              gboolean             remote)
{
  use_client (self, client, remote);
  if (self->run_when_ready)
    {
      self->run_when_ready = FALSE;
      run_session (self);
    }
}

typedef struct
{
  VitalScanController *self;
  guint                serial;
} Prepare;

static void
remote_key_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Prepare *prep = user_data;
  g_autoptr(VitalScanController) self = prep->self;
  guint serial = prep->serial;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = vital_secret_store_lookup_finish (result, &error);
  g_autofree char *url = g_settings_get_string (self->settings, "server-url");
  g_autoptr(VitalClient) client = NULL;

  g_free (prep);
  if (serial != self->prepare_serial)
    return;   /* the settings changed meanwhile; a newer lookup is running */
  if (error != NULL)
    {
      client_failed (self, error, FALSE);
      return;
    }
  /* A missing or malformed key is reported by the client (MISSING/INVALID_API_KEY). */
  client = vital_client_new (url, key ? key : "");
  client_ready (self, client, TRUE);
}

static gboolean
ensure_embedded_server (VitalScanController  *self,
                        GError              **error)
{
  g_autoptr(VitalServerConfig) config = NULL;
  g_autoptr(VitalServer) server = NULL;
  g_autofree char *key = NULL;

  if (self->server != NULL)
    return TRUE;

  key = vital_key_generate (VITAL_KEY_ENV_LIVE, error);
  if (key == NULL)
    return FALSE;
  config = vital_server_config_new ();   /* in-memory store, nothing kept on disk */
  server = vital_server_new (config, error);
  if (server == NULL)
    return FALSE;
  if (!vital_server_add_key (server, key, "vitalscan-app", 0, 0, error) ||
      !vital_server_listen_local (server, 0, error))
    return FALSE;
  self->server = g_steal_pointer (&server);
  self->server_key = g_steal_pointer (&key);
  return TRUE;
}

void
vital_scan_controller_prepare_client (VitalScanController *self)
{
  g_autofree char *backend = g_settings_get_string (self->settings, "backend");

  self->prepare_serial++;
  if (g_strcmp0 (backend, "server") == 0)
    {
      g_autofree char *url = g_settings_get_string (self->settings, "server-url");
      Prepare *prep = g_new0 (Prepare, 1);

      prep->self = g_object_ref (self);
      prep->serial = self->prepare_serial;
      vital_secret_store_lookup_async (url, NULL, remote_key_done, prep);
      return;
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(VitalClient) client = NULL;

    if (!ensure_embedded_server (self, &error))
      {
        client_failed (self, error, TRUE);
        return;
      }
    client = vital_client_new (vital_server_get_base_url (self->server), self->server_key);
    /* The embedded server answers on loopback: poll it briskly. */
    vital_client_set_poll_interval (client, 250);
    client_ready (self, client, FALSE);
  }
}

void
vital_scan_controller_backend_changed (GSettings           *settings,
                                       const char          *key,
                                       VitalScanController *self)
{
  if (!self->busy)
    vital_scan_controller_prepare_client (self);
}

void
vital_scan_controller_key_changed (VitalScanController *self)
{
  if (!self->busy)
    vital_scan_controller_prepare_client (self);
}

void
vital_scan_controller_process_payload (VitalScanController *self)
{
  g_autofree char *backend = g_settings_get_string (self->settings, "backend");

  if (self->payload == NULL)
    return;
  self->busy = TRUE;
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  if (self->window != NULL)
    vital_window_show_processing (self->window, _("Starting a session…"), 0.0);

  /* The local client is ready once made; a remote key is looked up again each time, since
   * it may have changed in Preferences. */
  if (self->client != NULL && g_strcmp0 (backend, "local") == 0 && self->server != NULL)
    {
      run_session (self);
      return;
    }
  self->run_when_ready = TRUE;
  vital_scan_controller_prepare_client (self);
}
