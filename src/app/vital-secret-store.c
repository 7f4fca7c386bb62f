/* vital-secret-store.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The API key in the Secret Service (libsecret), one per server URL; never in GSettings and
 * never logged.
 */
#include "vital-config.h"

#include <glib/gi18n.h>

#include "vital-api-key.h"
#include "vital-secret-store.h"

/**
 * vital_secret_store_get_schema:
 *
 * The schema under which API keys are stored: attribute "server" is the server's base URL.
 *
 * Returns: (transfer none): the schema
 */
const SecretSchema *
vital_secret_store_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.vitalscan.Vitalscan.ApiKey", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };
  return &schema;
}

/* A task for one of the async calls below, tagged with that call (@source_tag). */
static GTask *
start_task (GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

/* Ends a save's or a clear's task (@user_data, transfer full) with %TRUE, or with the Secret
 * Service's error. */
static void
stored_or_cleared_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_task_get_source_tag (task) == vital_secret_store_save_async)
    secret_password_store_finish (result, &error);
  else
    secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* The end of a save or a clear: %TRUE, or %FALSE with @error set. */
static gboolean
boolean_finish (GAsyncResult  *result,
                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * vital_secret_store_save_async:
 * @server_url: the server the key belongs to
 * @api_key: the key
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when stored
 * @user_data: data for @callback
 *
 * Stores @api_key for @server_url in the default keyring, replacing any previous key.
 */
void
vital_secret_store_save_async (const char          *server_url,
                               const char          *api_key,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  g_autofree char *label = NULL;

  g_return_if_fail (server_url != NULL);
  g_return_if_fail (api_key != NULL);

  task = start_task (cancellable, callback, user_data, vital_secret_store_save_async);
  /* Translators: the label of the keyring item, %s is the server URL */
  label = g_strdup_printf (_("Vitalscan API key for %s"), server_url);
  secret_password_store (vital_secret_store_get_schema (), SECRET_COLLECTION_DEFAULT, label,
                         api_key, cancellable, stored_or_cleared_cb, task,
                         "server", server_url, NULL);
}

/**
 * vital_secret_store_save_finish:
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the key was stored
 */
gboolean
vital_secret_store_save_finish (GAsyncResult  *result,
                                GError       **error)
{
  return boolean_finish (result, error);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    {
      char *copy = g_strdup (password);
      secret_password_free (password);
      g_task_return_pointer (task, copy, g_free);
    }
}

/**
 * vital_secret_store_lookup_async:
 * @server_url: the server
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the key
 * @user_data: data for @callback
 *
 * Looks up the key stored for @server_url.
 */
void
vital_secret_store_lookup_async (const char          *server_url,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (server_url != NULL);

  secret_password_lookup (vital_secret_store_get_schema (), cancellable, lookup_cb,
                          start_task (cancellable, callback, user_data,
                                      vital_secret_store_lookup_async),
                          "server", server_url, NULL);
}

/**
 * vital_secret_store_lookup_finish:
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the key, or %NULL (without error) when none is stored
 */
char *
vital_secret_store_lookup_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * vital_secret_store_clear_async:
 * @server_url: the server
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Removes the key stored for @server_url, if any.
 */
void
vital_secret_store_clear_async (const char          *server_url,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (server_url != NULL);

  secret_password_clear (vital_secret_store_get_schema (), cancellable, stored_or_cleared_cb,
                         start_task (cancellable, callback, user_data,
                                     vital_secret_store_clear_async),
                         "server", server_url, NULL);
}

/**
 * vital_secret_store_clear_finish:
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE unless the Secret Service failed (a missing key is not an error)
 */
gboolean
vital_secret_store_clear_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return boolean_finish (result, error);
}

/**
 * vital_api_key_get_environment:
 * @api_key: (nullable): a key
 *
 * By the one rule of the core (vital_api_key_check()), which the client and the server use.
 *
 * Returns: (transfer none) (nullable): "test" for a well-formed `ck_test_…` key, "live" for a
 *   well-formed `ck_live_…` one, else %NULL
 */
const char *
vital_api_key_get_environment (const char *api_key)
{
  VitalApiKeyKind kind;

  if (!vital_api_key_check (api_key, &kind, NULL))
    return NULL;
  return vital_api_key_kind_to_string (kind);
}
