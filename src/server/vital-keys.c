/* vital-keys.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalKeys: key file parsing (GKeyFile), in-memory registration, lookup by SHA-256 hash, and
 * reloading the key file (on request, or watched with a GFileMonitor) by swapping the whole key
 * table at once.
 */
#include <string.h>

#include "vital-api-key.h"
#include "vital-keys.h"
#include "vital-random.h"
#include "vital-server-error.h"

#define KEY_ID_LENGTH 16

/* How long the key file must stay quiet after a change before it is read: an editor's save is
 * several events (truncate, writes, close; or create, write, rename), read once at the end. */
#define RELOAD_DELAY_MS 100

struct _VitalKeys
{
  GObject       parent_instance;

  /* Guards everything below. Lookups hold it only to copy one entry. */
  GMutex        mutex;
  GHashTable   *by_hash;  /* sha256 hex -> VitalKeyInfo*: the table lookups see */
  GHashTable   *added;    /* sha256 hex -> VitalKeyInfo*: keys added in memory, kept on reload */
  GHashTable   *revoked;  /* sha256 hex set: keys revoked in memory, kept on reload */
  char         *path;     /* the key file last loaded */
  GFileMonitor *monitor;
  GMainContext *monitor_context;
  GSource      *reload_source;

  /* Serialises loads of the file, so that a slower older read never replaces a newer one. */
  GMutex        load_mutex;
};

enum
{
  SIGNAL_FILE_LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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

static GHashTable *
key_table_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                (GDestroyNotify) vital_key_info_free);
}

static void
vital_keys_dispose (GObject *object)
{
  VitalKeys *self = VITAL_KEYS (object);

  g_mutex_lock (&self->mutex);
  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }
  if (self->reload_source != NULL)
    {
      g_source_destroy (self->reload_source);
      g_clear_pointer (&self->reload_source, g_source_unref);
    }
  g_clear_pointer (&self->monitor_context, g_main_context_unref);
  g_mutex_unlock (&self->mutex);
  G_OBJECT_CLASS (vital_keys_parent_class)->dispose (object);
}

static void
vital_keys_finalize (GObject *object)
{
  VitalKeys *self = VITAL_KEYS (object);

  g_clear_pointer (&self->by_hash, g_hash_table_unref);
  g_clear_pointer (&self->added, g_hash_table_unref);
  g_clear_pointer (&self->revoked, g_hash_table_unref);
  g_clear_pointer (&self->path, g_free);
  g_mutex_clear (&self->mutex);
  g_mutex_clear (&self->load_mutex);
  G_OBJECT_CLASS (vital_keys_parent_class)->finalize (object);
}

static void
vital_keys_class_init (VitalKeysClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vital_keys_dispose;
  G_OBJECT_CLASS (klass)->finalize = vital_keys_finalize;

  /**
   * VitalKeys::file-loaded:
   * @keys: the keys
   * @success: %TRUE when the file was read and its keys are in use, %FALSE when it was invalid
   *   (the keys in use did not change)
   *
   * Emitted after every attempt to load the key file (vital_keys_load_file(),
   * vital_keys_reload() or a change seen by vital_keys_watch()), on the thread that made it.
   */
  signals[SIGNAL_FILE_LOADED] = g_signal_new ("file-loaded", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
vital_keys_init (VitalKeys *self)
{
  g_mutex_init (&self->mutex);
  g_mutex_init (&self->load_mutex);
  self->by_hash = key_table_new ();
  self->added = key_table_new ();
  self->revoked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
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
 * The one rule of the core (vital_api_key_check()), which the client and the app's
 * Preferences use too.
 *
 * Returns: %TRUE when @plaintext_key has the shape of a key
 */
gboolean
vital_key_is_well_formed (const char          *plaintext_key,
                          VitalKeyEnvironment *out_environment)
{
  VitalApiKeyKind kind;

  if (!vital_api_key_check (plaintext_key, &kind, NULL))
    return FALSE;
  if (out_environment != NULL)
    *out_environment = kind == VITAL_API_KEY_LIVE ? VITAL_KEY_ENV_LIVE : VITAL_KEY_ENV_TEST;
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

/* How a group is named in messages: its own name when it is the usual `key <hex>`, else its
 * position, so that a key pasted by mistake as a group name is never logged. */
static char *
group_label (const char *group,
             guint       index)
{
  gsize len = strlen (group);
  gboolean usual = g_str_has_prefix (group, "key ") && len > 4 && len <= 4 + 64;

  for (gsize i = 4; usual && i < len; i++)
    usual = g_ascii_isxdigit (group[i]);
  return usual ? g_strdup_printf ("[%s]", group) : g_strdup_printf ("group %u", index + 1);
}

static gboolean
read_count (GKeyFile    *kf,
            const char  *path,
            const char  *group,
            guint        index,
            const char  *name,
            guint       *out,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  guint64 value = g_key_file_get_uint64 (kf, group, name, &local_error);

  if (local_error != NULL && !g_error_matches (local_error, G_KEY_FILE_ERROR,
                                               G_KEY_FILE_ERROR_KEY_NOT_FOUND))
    {
      g_autofree char *label = group_label (group, index);

      /* GKeyFile's message quotes the value: it is not repeated here. */
      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                   "Key file %s, %s: %s must be a whole number", path, label, name);
      return FALSE;
    }
  *out = (guint) MIN (value, G_MAXUINT);
  return TRUE;
}

/* Reads a key file into a new table (sha256 hex -> VitalKeyInfo*). Error messages name the file
 * and the group, never a line or value of it: a key pasted into the file must not be logged. */
static GHashTable *
parse_key_file (const char  *path,
                GError     **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GHashTable) table = key_table_new ();
  g_auto(GStrv) groups = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local_error))
    {
      if (local_error->domain == G_KEY_FILE_ERROR)
        g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                     "Cannot read key file %s: it is not a key file (every line must be a "
                     "[key <id>] group, a name=value entry, a # comment or empty)", path);
      else
        g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                     "Cannot read key file %s: %s", path, local_error->message);
      return NULL;
    }

  groups = g_key_file_get_groups (kf, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *group = groups[i];
      g_autofree char *hash = NULL;
      g_autofree char *owner = NULL;
      g_autofree char *env = NULL;
      g_autofree char *label = group_label (group, i);
      guint rate_limit = 0, quota = 0;
      VitalKeyEnvironment environment;

      hash = g_key_file_get_string (kf, group, "sha256", NULL);
      if (!is_sha256_hex (hash))
        {
          g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                       "Key file %s, %s: sha256 must be 64 lower-case hex digits", path, label);
          return NULL;
        }
      env = g_key_file_get_string (kf, group, "environment", NULL);
      if (g_strcmp0 (env, "live") == 0)
        environment = VITAL_KEY_ENV_LIVE;
      else if (g_strcmp0 (env, "test") == 0)
        environment = VITAL_KEY_ENV_TEST;
      else
        {
          g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                       "Key file %s, %s: environment must be \"test\" or \"live\"", path,
                       label);
          return NULL;
        }
      owner = g_key_file_get_string (kf, group, "owner", NULL);
      if (!read_count (kf, path, group, i, "rate_limit", &rate_limit, error)
          || !read_count (kf, path, group, i, "monthly_quota", &quota, error))
        return NULL;

      g_hash_table_replace (table, g_strdup (hash),
                            key_info_new (hash, environment, owner, rate_limit, quota,
                                          g_key_file_get_boolean (kf, group, "revoked", NULL)));
    }
  return g_steal_pointer (&table);
}

/* The table lookups will see: the file's keys, then the keys added in memory (a file entry can
 * still revoke one), then the revocations made in memory. Called with the mutex held. */
static void
install_file_keys_locked (VitalKeys  *self,
                          GHashTable *file_keys)
{
  GHashTableIter iter;
  gpointer hash, value;

  g_hash_table_iter_init (&iter, self->added);
  while (g_hash_table_iter_next (&iter, &hash, &value))
    {
      VitalKeyInfo *in_file = g_hash_table_lookup (file_keys, hash);
      VitalKeyInfo *copy = vital_key_info_copy (value);

      copy->revoked = copy->revoked || (in_file != NULL && in_file->revoked);
      g_hash_table_replace (file_keys, g_strdup (hash), copy);
    }
  g_hash_table_iter_init (&iter, self->revoked);
  while (g_hash_table_iter_next (&iter, &hash, NULL))
    {
      VitalKeyInfo *info = g_hash_table_lookup (file_keys, hash);

      if (info != NULL)
        info->revoked = TRUE;
    }
  g_hash_table_unref (self->by_hash);
  self->by_hash = file_keys;
}

/**
 * vital_keys_load_file:
 * @self: a #VitalKeys
 * @path: a key file
 * @error: return location for a #GError
 *
 * Loads the key file: every `[key …]` group of @path, each with `sha256` (hex of the key),
 * `owner`, `environment` (test|live), `rate_limit`, `monthly_quota` and optional `revoked`.
 * Its keys replace, in one step, those of the file loaded before (requests being answered keep
 * the key they authenticated with; the next lookup sees the new table). Keys added with
 * vital_keys_add() stay, as do revocations made with vital_keys_revoke(). @path is remembered
 * for vital_keys_reload() and vital_keys_watch().
 *
 * Error messages never quote the file's lines or values, so a key pasted into it by mistake
 * is not logged. Thread-safe. Emits #VitalKeys::file-loaded.
 *
 * Returns: %TRUE when the whole file was valid (nothing changes otherwise)
 */
gboolean
vital_keys_load_file (VitalKeys   *self,
                      const char  *path,
                      GError     **error)
{
  GHashTable *file_keys;

  g_return_val_if_fail (VITAL_IS_KEYS (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  g_mutex_lock (&self->load_mutex);
  file_keys = parse_key_file (path, error);
  if (file_keys != NULL)
    {
      g_mutex_lock (&self->mutex);
      install_file_keys_locked (self, file_keys);
      if (g_strcmp0 (self->path, path) != 0)
        {
          g_free (self->path);
          self->path = g_strdup (path);
        }
      g_mutex_unlock (&self->mutex);
    }
  g_mutex_unlock (&self->load_mutex);
  g_signal_emit (self, signals[SIGNAL_FILE_LOADED], 0, file_keys != NULL);
  return file_keys != NULL;
}

/**
 * vital_keys_reload:
 * @self: a #VitalKeys
 * @error: return location for a #GError
 *
 * Reads the key file loaded last again (see vital_keys_load_file()): what a server does on
 * SIGHUP. When it is invalid, the keys in use stay as they are.
 *
 * Returns: %TRUE when the file was read and its keys are in use
 */
gboolean
vital_keys_reload (VitalKeys  *self,
                   GError    **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (VITAL_IS_KEYS (self), FALSE);

  g_mutex_lock (&self->mutex);
  path = g_strdup (self->path);
  g_mutex_unlock (&self->mutex);
  if (path == NULL)
    {
      g_set_error_literal (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                           "No key file was loaded, so there is none to reload");
      return FALSE;
    }
  return vital_keys_load_file (self, path, error);
}

static gboolean
reload_cb (gpointer data)
{
  VitalKeys *self = data;
  g_autoptr(GError) error = NULL;

  g_mutex_lock (&self->mutex);
  if (self->reload_source == g_main_current_source ())
    g_clear_pointer (&self->reload_source, g_source_unref);
  g_mutex_unlock (&self->mutex);

  if (vital_keys_reload (self, &error))
    g_info ("the key file changed: %u API keys in use", vital_keys_get_count (self));
  else
    g_warning ("The key file changed but was not reloaded; the previous keys stay in use: %s",
               error->message);
  return G_SOURCE_REMOVE;
}

static void
key_file_changed (GFileMonitor      *monitor,
                  GFile             *file,
                  GFile             *other_file,
                  GFileMonitorEvent  event,
                  gpointer           data)
{
  VitalKeys *self = data;

  /* Writes in place end with CHANGES_DONE_HINT; an editor that saves by renaming a new file
   * over the old one gives MOVED_IN or RENAMED (or CREATED); a removed file is noticed too and
   * its reload fails, keeping the keys. CHANGED alone would read a half-written file. */
  if (event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT && event != G_FILE_MONITOR_EVENT_CREATED
      && event != G_FILE_MONITOR_EVENT_DELETED && event != G_FILE_MONITOR_EVENT_MOVED_IN
      && event != G_FILE_MONITOR_EVENT_MOVED_OUT && event != G_FILE_MONITOR_EVENT_RENAMED)
    return;

  g_mutex_lock (&self->mutex);
  if (self->monitor_context != NULL)
    {
      if (self->reload_source != NULL)
        {
          g_source_destroy (self->reload_source);
          g_source_unref (self->reload_source);
        }
      self->reload_source = g_timeout_source_new (RELOAD_DELAY_MS);
      g_source_set_callback (self->reload_source, reload_cb, self, NULL);
      g_source_attach (self->reload_source, self->monitor_context);
    }
  g_mutex_unlock (&self->mutex);
}

/**
 * vital_keys_watch:
 * @self: a #VitalKeys whose key file was loaded with vital_keys_load_file()
 * @context: the main context that will dispatch the file's changes and run the reloads
 * @error: return location for a #GError
 *
 * Reloads the key file whenever it changes: written in place, or replaced by renaming another
 * file over it (how many editors save). A reload runs on @context once the file has been quiet
 * for a moment; an invalid file is logged as a warning (never quoting it) and the keys in use
 * stay. Call it before @context is iterated by another thread, or on that thread. The watch
 * ends when @self is disposed, which must not happen while @context runs a reload.
 *
 * Returns: %TRUE when the file is watched
 */
gboolean
vital_keys_watch (VitalKeys     *self,
                  GMainContext  *context,
                  GError       **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileMonitor) monitor = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (VITAL_IS_KEYS (self), FALSE);
  g_return_val_if_fail (context != NULL, FALSE);

  g_mutex_lock (&self->mutex);
  path = g_strdup (self->path);
  g_mutex_unlock (&self->mutex);
  g_return_val_if_fail (path != NULL, FALSE);

  file = g_file_new_for_path (path);
  /* The monitor reports on the thread-default context of the thread that creates it. */
  g_main_context_push_thread_default (context);
  monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, error);
  g_main_context_pop_thread_default (context);
  if (monitor == NULL)
    return FALSE;

  g_mutex_lock (&self->mutex);
  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_file_monitor_cancel (self->monitor);
      g_object_unref (self->monitor);
    }
  self->monitor = g_steal_pointer (&monitor);
  g_clear_pointer (&self->monitor_context, g_main_context_unref);
  self->monitor_context = g_main_context_ref (context);
  g_signal_connect (self->monitor, "changed", G_CALLBACK (key_file_changed), self);
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
 * It stays registered when the key file is reloaded.
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
  g_hash_table_replace (self->added, g_strdup (hash),
                        key_info_new (hash, env, owner, rate_limit, monthly_quota, FALSE));
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
 * Marks a key revoked: it then authenticates exactly like an unknown key, also after the key
 * file is reloaded.
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
    {
      VitalKeyInfo *added = g_hash_table_lookup (self->added, hash);

      info->revoked = TRUE;
      if (added != NULL)
        added->revoked = TRUE;
      g_hash_table_add (self->revoked, g_steal_pointer (&hash));
    }
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
