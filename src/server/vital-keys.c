/* vital-keys.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalKeys: key file parsing (GKeyFile), in-memory registration and lookup by SHA-256 hash.
 */
#include <string.h>

#include "vital-keys.h"
#include "vital-random.h"
#include "vital-server-error.h"

#define KEY_ID_LENGTH 16
#define KEY_MIN_SECRET 16
#define KEY_MAX_LENGTH 128

struct _VitalKeys
{
  GObject     parent_instance;
  GMutex      mutex;
  GHashTable *by_hash;  /* sha256 hex -> VitalKeyInfo* */
};

G_DEFINE_FINAL_TYPE (VitalKeys, vital_keys, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (VitalKeyInfo, vital_key_info, vital_key_info_copy, vital_key_info_free)

/**
 * vital_key_info_copy:
 * @info: a #VitalKeyInfo
 *
 * Returns: (transfer full): a deep copy of @info
 */
VitalKeyInfo *
vital_key_info_copy (const VitalKeyInfo *info)
{
  VitalKeyInfo *copy = g_new0 (VitalKeyInfo, 1);

  *copy = *info;
  copy->key_id = g_strdup (info->key_id);
  copy->owner = g_strdup (info->owner);
  return copy;
}

/**
 * vital_key_info_free:
 * @info: (transfer full) (nullable): a #VitalKeyInfo
 *
 * Frees @info.
 */
void
vital_key_info_free (VitalKeyInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->key_id);
  g_free (info->owner);
  g_free (info);
}

static void
vital_keys_finalize (GObject *object)
{
  VitalKeys *self = VITAL_KEYS (object);

  g_clear_pointer (&self->by_hash, g_hash_table_unref);
  g_mutex_clear (&self->mutex);
  G_OBJECT_CLASS (vital_keys_parent_class)->finalize (object);
}

static void
vital_keys_class_init (VitalKeysClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vital_keys_finalize;
}

static void
vital_keys_init (VitalKeys *self)
{
  g_mutex_init (&self->mutex);
  self->by_hash = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) vital_key_info_free);
}

/**
 * vital_keys_new:
 *
 * Returns: (transfer full): an empty key set
 */
VitalKeys *
vital_keys_new (void)
{
  return g_object_new (VITAL_TYPE_KEYS, NULL);
}

/**
 * vital_key_environment_to_string:
 * @environment: a #VitalKeyEnvironment
 *
 * Returns: (transfer none): "test" or "live"
 */
const char *
vital_key_environment_to_string (VitalKeyEnvironment environment)
{
  return environment == VITAL_KEY_ENV_LIVE ? "live" : "test";
}

/**
 * vital_key_is_well_formed:
 * @plaintext_key: (nullable): a candidate key
 * @out_environment: (out) (optional): the environment its prefix names
 *
 * Checks the shape `ck_(test|live)_` followed by 16 to 120 characters of `[A-Za-z0-9]`.
 *
 * Returns: %TRUE when @plaintext_key has the shape of a key
 */
gboolean
vital_key_is_well_formed (const char          *plaintext_key,
                          VitalKeyEnvironment *out_environment)
{
  VitalKeyEnvironment env;
  gsize len;

  if (plaintext_key == NULL)
    return FALSE;
  if (g_str_has_prefix (plaintext_key, "ck_test_"))
    env = VITAL_KEY_ENV_TEST;
  else if (g_str_has_prefix (plaintext_key, "ck_live_"))
    env = VITAL_KEY_ENV_LIVE;
  else
    return FALSE;

  len = strlen (plaintext_key);
  if (len < 8 + KEY_MIN_SECRET || len > KEY_MAX_LENGTH)
    return FALSE;
  for (gsize i = 8; i < len; i++)
    if (!g_ascii_isalnum (plaintext_key[i]))
      return FALSE;

  if (out_environment != NULL)
    *out_environment = env;
  return TRUE;
}

/**
 * vital_key_hash:
 * @plaintext_key: a key
 *
 * Returns: (transfer full): the lower-case hex SHA-256 of @plaintext_key
 */
char *
vital_key_hash (const char *plaintext_key)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, plaintext_key, -1);
}

/**
 * vital_key_generate:
 * @environment: test or live
 * @error: return location for a #GError
 *
 * Generates a new key: the environment prefix and 32 base-32 characters (160 random bits).
 *
 * Returns: (transfer full) (nullable): the plaintext key
 */
char *
vital_key_generate (VitalKeyEnvironment   environment,
                    GError              **error)
{
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  guint8 bytes[32];
  GString *key;

  if (!vital_random_fill (bytes, sizeof bytes, error))
    return NULL;
  key = g_string_new (environment == VITAL_KEY_ENV_LIVE ? "ck_live_" : "ck_test_");
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_c (key, alphabet[bytes[i] & 31]);
  return g_string_free (key, FALSE);
}

static VitalKeyInfo *
key_info_new (const char          *hash,
              VitalKeyEnvironment  env,
              const char          *owner,
              guint                rate_limit,
              guint                monthly_quota,
              gboolean             revoked)
{
  VitalKeyInfo *info = g_new0 (VitalKeyInfo, 1);

  info->key_id = g_strndup (hash, KEY_ID_LENGTH);
  info->owner = g_strdup (owner != NULL ? owner : "");
  info->environment = env;
  info->rate_limit = rate_limit;
  info->monthly_quota = env == VITAL_KEY_ENV_LIVE ? monthly_quota : 0;
  info->revoked = revoked;
  return info;
}

/**
 * vital_key_format_entry:
 * @plaintext_key: a well-formed key
 * @owner: the key's owner
 * @rate_limit: requests per minute (0 unlimited)
 * @monthly_quota: sessions per month (0 unlimited)
 *
 * Formats the key-file group for @plaintext_key; it holds the hash, never the key.
 *
 * Returns: (transfer full): the group text, ending with a newline
 */
char *
vital_key_format_entry (const char *plaintext_key,
                        const char *owner,
                        guint       rate_limit,
                        guint       monthly_quota)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autofree char *hash = vital_key_hash (plaintext_key);
  g_autofree char *group = NULL;
  VitalKeyEnvironment env = VITAL_KEY_ENV_TEST;

  vital_key_is_well_formed (plaintext_key, &env);
  group = g_strdup_printf ("key %.*s", KEY_ID_LENGTH, hash);
  g_key_file_set_string (kf, group, "sha256", hash);
  g_key_file_set_string (kf, group, "owner", owner);
  g_key_file_set_string (kf, group, "environment", vital_key_environment_to_string (env));
  g_key_file_set_uint64 (kf, group, "rate_limit", rate_limit);
  g_key_file_set_uint64 (kf, group, "monthly_quota", monthly_quota);
  g_key_file_set_boolean (kf, group, "revoked", FALSE);
  return g_key_file_to_data (kf, NULL, NULL);
}

static gboolean
is_sha256_hex (const char *s)
{
  if (s == NULL || strlen (s) != 64)
    return FALSE;
  for (guint i = 0; i < 64; i++)
    if (!g_ascii_isxdigit (s[i]) || g_ascii_isupper (s[i]))
      return FALSE;
  return TRUE;
}

/**
 * vital_keys_load_file:
 * @self: a #VitalKeys
 * @path: a key file
 * @error: return location for a #GError
 *
 * Adds every `[key …]` group of @path. Each group has `sha256` (hex of the key), `owner`,
 * `environment` (test|live), `rate_limit`, `monthly_quota` and optional `revoked`.
 *
 * Returns: %TRUE when the whole file was valid (nothing is added otherwise)
 */
gboolean
vital_keys_load_file (VitalKeys   *self,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify) vital_key_info_free);
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) groups = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (VITAL_IS_KEYS (self), FALSE);

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                   "Cannot read key file %s: %s", path, local_error->message);
      return FALSE;
    }

  groups = g_key_file_get_groups (kf, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *group = groups[i];
      g_autofree char *hash = NULL;
      g_autofree char *owner = NULL;
      g_autofree char *env = NULL;
      guint64 rate_limit, quota;
      gboolean revoked;
      VitalKeyEnvironment environment;

      hash = g_key_file_get_string (kf, group, "sha256", NULL);
      if (!is_sha256_hex (hash))
        {
          g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                       "Key file %s, group [%s]: sha256 must be 64 lower-case hex digits",
                       path, group);
          return FALSE;
        }
      env = g_key_file_get_string (kf, group, "environment", NULL);
      if (g_strcmp0 (env, "live") == 0)
        environment = VITAL_KEY_ENV_LIVE;
      else if (g_strcmp0 (env, "test") == 0)
        environment = VITAL_KEY_ENV_TEST;
      else
        {
          g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                       "Key file %s, group [%s]: environment must be \"test\" or \"live\"",
                       path, group);
          return FALSE;
        }
      owner = g_key_file_get_string (kf, group, "owner", NULL);
      g_clear_error (&local_error);
      rate_limit = g_key_file_get_uint64 (kf, group, "rate_limit", &local_error);
      if (local_error != NULL && !g_error_matches (local_error, G_KEY_FILE_ERROR,
                                                   G_KEY_FILE_ERROR_KEY_NOT_FOUND))
        {
          g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                       "Key file %s, group [%s]: rate_limit: %s", path, group,
                       local_error->message);
          return FALSE;
        }
      g_clear_error (&local_error);
      quota = g_key_file_get_uint64 (kf, group, "monthly_quota", &local_error);
      if (local_error != NULL && !g_error_matches (local_error, G_KEY_FILE_ERROR,
                                                   G_KEY_FILE_ERROR_KEY_NOT_FOUND))
        {
          g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                       "Key file %s, group [%s]: monthly_quota: %s", path, group,
                       local_error->message);
          return FALSE;
        }
      g_clear_error (&local_error);
      revoked = g_key_file_get_boolean (kf, group, "revoked", NULL);

      g_ptr_array_add (infos, key_info_new (hash, environment, owner, (guint) MIN (rate_limit, G_MAXUINT),
                                            (guint) MIN (quota, G_MAXUINT), revoked));
      g_ptr_array_add (hashes, g_steal_pointer (&hash));
    }

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < infos->len; i++)
    g_hash_table_replace (self->by_hash, g_strdup (hashes->pdata[i]),
                          vital_key_info_copy (infos->pdata[i]));
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

/**
 * vital_keys_add:
 * @self: a #VitalKeys
 * @plaintext_key: a well-formed key; only its hash is kept
 * @owner: (nullable): the owner
 * @rate_limit: requests per minute, 0 for unlimited
 * @monthly_quota: sessions per month for live keys, 0 for unlimited
 * @error: return location for a #GError
 *
 * Registers a key in memory (how the app and the CLI give their embedded server a local key).
 *
 * Returns: %TRUE on success, %FALSE when @plaintext_key is malformed
 */
gboolean
vital_keys_add (VitalKeys   *self,
                const char  *plaintext_key,
                const char  *owner,
                guint        rate_limit,
                guint        monthly_quota,
                GError     **error)
{
  VitalKeyEnvironment env;
  char *hash;

  g_return_val_if_fail (VITAL_IS_KEYS (self), FALSE);

  if (!vital_key_is_well_formed (plaintext_key, &env))
    {
      g_set_error_literal (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                           "An API key must look like ck_test_… or ck_live_… followed by at "
                           "least 16 letters or digits");
      return FALSE;
    }
  hash = vital_key_hash (plaintext_key);
  g_mutex_lock (&self->mutex);
  g_hash_table_replace (self->by_hash, hash,
                        key_info_new (hash, env, owner, rate_limit, monthly_quota, FALSE));
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

/**
 * vital_keys_revoke:
 * @self: a #VitalKeys
 * @plaintext_key: a registered key
 *
 * Marks a key revoked: it then authenticates exactly like an unknown key.
 *
 * Returns: %TRUE if the key was known
 */
gboolean
vital_keys_revoke (VitalKeys  *self,
                   const char *plaintext_key)
{
  g_autofree char *hash = NULL;
  VitalKeyInfo *info;

  g_return_val_if_fail (VITAL_IS_KEYS (self), FALSE);

  hash = vital_key_hash (plaintext_key);
  g_mutex_lock (&self->mutex);
  info = g_hash_table_lookup (self->by_hash, hash);
  if (info != NULL)
    info->revoked = TRUE;
  g_mutex_unlock (&self->mutex);
  return info != NULL;
}

/**
 * vital_keys_lookup:
 * @self: a #VitalKeys
 * @plaintext_key: (nullable): the key a request presented
 *
 * Looks a key up by its hash. Malformed, unknown, revoked and environment-mismatched keys all
 * give %NULL, so callers cannot tell them apart (no oracle).
 *
 * Returns: (transfer full) (nullable): the key's info
 */
VitalKeyInfo *
vital_keys_lookup (VitalKeys  *self,
                   const char *plaintext_key)
{
  g_autofree char *hash = NULL;
  VitalKeyInfo *info;
  VitalKeyInfo *copy = NULL;
  VitalKeyEnvironment env;

  g_return_val_if_fail (VITAL_IS_KEYS (self), NULL);

  if (!vital_key_is_well_formed (plaintext_key, &env))
    return NULL;
  hash = vital_key_hash (plaintext_key);
  g_mutex_lock (&self->mutex);
  info = g_hash_table_lookup (self->by_hash, hash);
  if (info != NULL && !info->revoked && info->environment == env)
    copy = vital_key_info_copy (info);
  g_mutex_unlock (&self->mutex);
  return copy;
}

/**
 * vital_keys_get_count:
 * @self: a #VitalKeys
 *
 * Returns: the number of registered keys (revoked ones included)
 */
guint
vital_keys_get_count (VitalKeys *self)
{
  guint n;

  g_return_val_if_fail (VITAL_IS_KEYS (self), 0);
  g_mutex_lock (&self->mutex);
  n = g_hash_table_size (self->by_hash);
  g_mutex_unlock (&self->mutex);
  return n;
}
