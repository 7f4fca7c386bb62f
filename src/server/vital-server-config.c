/* vital-server-config.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalServerConfig: defaults, copying and the environment variables the server honours.
 */
#include "vital-server-config.h"
#include "vital-server-error.h"
#include "vital-tensor.h"

G_DEFINE_BOXED_TYPE (VitalServerConfig, vital_server_config, vital_server_config_copy,
                     vital_server_config_free)

/**
 * vital_server_config_new:
 *
 * Returns: (transfer full): a configuration with every default set
 */
VitalServerConfig *
vital_server_config_new (void)
{
  VitalServerConfig *config = g_new0 (VitalServerConfig, 1);

  config->result_ttl_s = 15 * 60;
  config->session_ttl_s = 15 * 60;
  config->max_upload_bytes = VITAL_TENSOR_HEADER_SIZE
                             + (guint64) VITAL_TENSOR_MAX_FRAMES * VITAL_TENSOR_FRAME_SIZE;
  config->inline_budget_ms = 3000;
  config->workers = 2;
  config->anonymous_rate_limit = 600;
  config->maintenance_interval_s = 30;
  config->method = VITAL_PULSE_POS;
  config->request_timeout_s = 30;
  config->body_timeout_s = 30;
  config->write_timeout_s = 30;
  config->max_decoded_bytes = (guint64) 512 * 1024 * 1024;
  config->max_decoded_bytes_per_key = (guint64) 256 * 1024 * 1024;
  config->node_timeout_s = 10;
  config->node_poll_ms = 1000;
  return config;
}

/**
 * vital_server_config_copy:
 * @config: a configuration
 *
 * Returns: (transfer full): a deep copy (the clock is shared, with a new reference)
 */
VitalServerConfig *
vital_server_config_copy (const VitalServerConfig *config)
{
  VitalServerConfig *copy = g_new0 (VitalServerConfig, 1);

  *copy = *config;
  copy->data_dir = g_strdup (config->data_dir);
  copy->keys_file = g_strdup (config->keys_file);
  copy->public_url = g_strdup (config->public_url);
  copy->database = g_strdup (config->database);
  copy->node_id = g_strdup (config->node_id);
  copy->clock = config->clock != NULL ? g_object_ref (config->clock) : NULL;
  return copy;
}

/**
 * vital_server_config_free:
 * @config: (transfer full) (nullable): a configuration
 *
 * Frees @config.
 */
void
vital_server_config_free (VitalServerConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->data_dir);
  g_free (config->keys_file);
  g_free (config->public_url);
  g_free (config->database);
  g_free (config->node_id);
  g_clear_object (&config->clock);
  g_free (config);
}

/**
 * vital_server_config_apply_environment:
 * @config: a configuration
 * @error: return location for a #GError
 *
 * Applies `PERSIST_VITALS` (true/false/1/0), `VITALSCAN_DATA_DIR` and `VITALSCAN_DATABASE`
 * (see @database) when set.
 *
 * Returns: %FALSE when a variable has an unusable value
 */
gboolean
vital_server_config_apply_environment (VitalServerConfig  *config,
                                       GError            **error)
{
  const char *persist = g_getenv ("PERSIST_VITALS");
  const char *data_dir = g_getenv ("VITALSCAN_DATA_DIR");
  const char *database = g_getenv ("VITALSCAN_DATABASE");

  if (persist != NULL && *persist != '\0')
    {
      if (g_ascii_strcasecmp (persist, "true") == 0 || g_strcmp0 (persist, "1") == 0)
        config->persist_vitals = TRUE;
      else if (g_ascii_strcasecmp (persist, "false") == 0 || g_strcmp0 (persist, "0") == 0)
        config->persist_vitals = FALSE;
      else
        {
          g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                       "PERSIST_VITALS must be true or false, not \"%s\"", persist);
          return FALSE;
        }
    }
  if (data_dir != NULL && *data_dir != '\0')
    {
      g_free (config->data_dir);
      config->data_dir = g_strdup (data_dir);
    }
  if (database != NULL && *database != '\0')
    {
      g_free (config->database);
      config->database = g_strdup (database);
    }
  return TRUE;
}
