/* vital-server.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalServer: owns the store, keys, secret, spool, worker pool and a SoupServer that runs in
 * its own thread with its own GMainContext, so any embedder (GTK app, blocking CLI, tests) can
 * start it with vital_server_listen_local() and stop it with vital_server_stop(). With a
 * shared (PostgreSQL) store it is one node of a cluster: see vital-server-cluster.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "vital-config.h"
#include "vital-random.h"
#include "vital-server-json.h"
#include "vital-server-private.h"

#define SECRET_BYTES 32
#define SHUTDOWN_FLUSH_US (5 * G_USEC_PER_SEC)

G_DEFINE_FINAL_TYPE (VitalServer, vital_server, G_TYPE_OBJECT)

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        g_unlink (child);
      }
  g_rmdir (path);
}

static void
vital_server_dispose (GObject *object)
{
  VitalServer *self = VITAL_SERVER (object);

  vital_server_stop (self);
  G_OBJECT_CLASS (vital_server_parent_class)->dispose (object);
}

static void
vital_server_finalize (GObject *object)
{
  VitalServer *self = VITAL_SERVER (object);

  g_clear_pointer (&self->waiters, g_hash_table_unref);
  g_clear_object (&self->connections);
  g_clear_object (&self->soup);
  g_clear_object (&self->processor);
  g_clear_pointer (&self->decoded_budget, vital_memory_budget_free);
  g_clear_object (&self->store);
  g_clear_pointer (&self->node_id, g_free);
  g_clear_pointer (&self->orphan_candidates, g_hash_table_unref);
  g_clear_object (&self->keys);
  g_clear_object (&self->clock);
  g_clear_pointer (&self->secret, g_bytes_unref);
  if (self->spool_is_temporary && self->spool_dir != NULL)
    remove_tree (self->spool_dir);
  g_clear_pointer (&self->spool_dir, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->listen_address, g_free);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_error (&self->listen_error);
  g_clear_pointer (&self->config, vital_server_config_free);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (vital_server_parent_class)->finalize (object);
}

static void
vital_server_class_init (VitalServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vital_server_dispose;
  G_OBJECT_CLASS (klass)->finalize = vital_server_finalize;

}

static void
vital_server_init (VitalServer *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->waiters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         vital_server_routes_waiter_free);
  self->orphan_candidates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static GBytes *
load_or_create_secret (const char  *data_dir,
                       GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  guint8 fresh[SECRET_BYTES];
  gsize len = 0;

  if (!vital_random_fill (fresh, sizeof fresh, error))
    return NULL;
  if (data_dir == NULL)
    return g_bytes_new (fresh, sizeof fresh);

  path = g_build_filename (data_dir, "upload-secret", NULL);
  if (g_file_get_contents (path, &contents, &len, NULL) && len == SECRET_BYTES)
    return g_bytes_new (contents, len);

  {
    int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

    if (fd < 0 || write (fd, fresh, sizeof fresh) != (ssize_t) sizeof fresh)
      {
        int saved = errno;

        if (fd >= 0)
          close (fd);
        g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                     "Cannot write the upload secret %s: %s", path, g_strerror (saved));
        return NULL;
      }
    close (fd);
  }
  return g_bytes_new (fresh, sizeof fresh);
}

/* This node's name: configured, else kept in the data directory (a restarted node is the same
 * node and takes its spooled jobs back), else random for the process. */
static char *
load_or_create_node_id (const char  *data_dir,
                        GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *fresh = vital_random_uuid (error);

  if (fresh == NULL)
    return NULL;
  if (data_dir == NULL)
    return g_steal_pointer (&fresh);
  path = g_build_filename (data_dir, "node-id", NULL);
  if (g_file_get_contents (path, &contents, NULL, NULL) && *g_strstrip (contents) != '\0')
    return g_steal_pointer (&contents);
  if (!g_file_set_contents_full (path, fresh, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    {
      g_prefix_error (error, "Cannot write the node id %s: ", path);
      return NULL;
    }
  return g_steal_pointer (&fresh);
}

/* What a connection over a limit reads before it is closed: the API's error shape. */
static GBytes *
refusal_response (void)
{
  g_autoptr(GError) error = g_error_new_literal (VITAL_SERVER_ERROR,
                                                 VITAL_SERVER_ERROR_SERVICE_UNAVAILABLE,
                                                 "Too many connections; retry shortly");
  g_autoptr(JsonNode) body = vital_server_json_error_body (error, NULL);
  g_autofree char *text = vital_server_json_to_string (body);
  char *response = g_strdup_printf ("HTTP/1.1 503 Service Unavailable\r\n"
                                    "Server: " VITAL_SERVER_SERVICE_NAME "/" VITAL_VERSION "\r\n"
                                    "Content-Type: application/json\r\n"
                                    "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                                    "Retry-After: 1\r\n"
                                    "Connection: close\r\n\r\n%s", strlen (text), text);

  return g_bytes_new_take (response, strlen (response));
}

static VitalConnections *
new_connections (VitalServer *self)
{
  const VitalServerConfig *config = self->config;
  g_autoptr(GBytes) refusal = refusal_response ();
  VitalConnectionLimits limits;
  VitalConnections *connections;

  limits.max_connections = config->max_connections > 0 ? config->max_connections
                                                       : vital_connections_default_max ();
  limits.max_per_address = config->max_connections_per_address > 0
                           ? config->max_connections_per_address
                           : MAX (8, limits.max_connections / 8);
  limits.request_timeout_s = MAX (1, config->request_timeout_s);
  limits.body_timeout_s = MAX (1, config->body_timeout_s);
  limits.write_timeout_s = MAX (1, config->write_timeout_s);
  connections = vital_connections_new (self->soup, self->context, &limits);
  vital_connections_set_refusal (connections, refusal);
  return connections;
}

/**
 * vital_server_new:
 * @config: (nullable): the configuration (copied); %NULL for all defaults
 * @error: return location for a #GError
 *
 * Opens the store and key file (and watches the key file for changes) and prepares the
 * routes. Nothing listens until vital_server_listen_local() or vital_server_listen(). Register
 * extra keys with vital_server_add_key() and extra routes (e.g. the /v1 dialect) with
 * vital_server_add_handler() before listening.
 *
 * Returns: (transfer full) (nullable): the server
 */
VitalServer *
vital_server_new (const VitalServerConfig  *config,
                  GError                  **error)
{
  g_autoptr(VitalServer) self = g_object_new (VITAL_TYPE_SERVER, NULL);
  g_autofree char *db_path = NULL;

  self->config = config != NULL ? vital_server_config_copy (config) : vital_server_config_new ();
  self->clock = self->config->clock != NULL ? g_object_ref (self->config->clock)
                                            : vital_clock_new_system ();
  self->keys = vital_keys_new ();
  if (self->config->keys_file != NULL
      && !vital_keys_load_file (self->keys, self->config->keys_file, error))
    return NULL;

  if (self->config->data_dir != NULL)
    {
      if (g_mkdir_with_parents (self->config->data_dir, 0700) != 0)
        {
          int saved = errno;

          g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                       "Cannot create the data directory %s: %s", self->config->data_dir,
                       g_strerror (saved));
          return NULL;
        }
      db_path = g_build_filename (self->config->data_dir, "sessions.db", NULL);
      self->spool_dir = g_build_filename (self->config->data_dir, "spool", NULL);
      if (g_mkdir_with_parents (self->spool_dir, 0700) != 0)
        {
          int saved = errno;

          g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                       "Cannot create the spool directory %s: %s", self->spool_dir,
                       g_strerror (saved));
          return NULL;
        }
    }
  else
    {
      g_autoptr(GError) tmp_error = NULL;

      self->spool_dir = g_dir_make_tmp ("vitalscan-spool-XXXXXX", &tmp_error);
      if (self->spool_dir == NULL)
        {
          g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                       "Cannot create a spool directory: %s", tmp_error->message);
          return NULL;
        }
      self->spool_is_temporary = TRUE;
    }

  self->store = vital_session_store_open_database (self->config->database, db_path,
                                                   MAX (self->config->workers, 1) + 4, error);
  if (self->store == NULL)
    return NULL;
  {
    g_autoptr(GBytes) own = load_or_create_secret (self->config->data_dir, error);

    /* Any node of a cluster may receive an upload another signed: they share one secret. */
    if (own == NULL
        || (self->secret = vital_session_store_share_secret (self->store, own, error)) == NULL)
      return NULL;
  }
  if (self->config->node_id != NULL && *self->config->node_id != '\0')
    self->node_id = g_strdup (self->config->node_id);
  else if ((self->node_id = load_or_create_node_id (self->config->data_dir, error)) == NULL)
    return NULL;

  self->processor = vital_processor_new (self->store, self->clock, self->config->workers,
                                         self->config->persist_vitals,
                                         self->config->result_ttl_s, self->config->method);
  self->decoded_budget = vital_memory_budget_new (self->config->max_decoded_bytes,
                                                  self->config->max_decoded_bytes_per_key);
  vital_processor_set_memory_budget (self->processor, self->decoded_budget);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  vital_processor_set_done_func (self->processor, self->context,
                                 vital_server_routes_on_done, self);
  /* Key file edits (or a file renamed over it) are picked up on the server thread. */
  if (self->config->keys_file != NULL)
    {
      g_autoptr(GError) watch_error = NULL;

      if (!vital_keys_watch (self->keys, self->context, &watch_error))
        g_warning ("The key file is not watched for changes (reload it on request only): %s",
                   watch_error->message);
    }

  /* raw-paths: see vital_server_routes_install(). */
  self->soup = soup_server_new ("server-header", VITAL_SERVER_SERVICE_NAME "/" VITAL_VERSION " ",
                                "raw-paths", TRUE, NULL);
  self->connections = new_connections (self);
  vital_server_routes_install (self);
  return g_steal_pointer (&self);
}

/**
 * vital_server_get_keys:
 * @self: a #VitalServer
 *
 * Returns: (transfer none): the keys the server accepts (thread-safe; may be changed any time)
 */
VitalKeys *
vital_server_get_keys (VitalServer *self)
{
  g_return_val_if_fail (VITAL_IS_SERVER (self), NULL);
  return self->keys;
}

/**
 * vital_server_add_key:
 * @self: a #VitalServer
 * @plaintext_key: a `ck_test_…` or `ck_live_…` key (only its hash is kept)
 * @owner: (nullable): the owner shown nowhere but useful in key files
 * @rate_limit: requests per minute, 0 for unlimited
 * @monthly_quota: sessions per month for live keys, 0 for unlimited
 * @error: return location for a #GError
 *
 * Registers an in-memory key — how the app and the CLI give their embedded server a built-in
 * local key without a key file (see vital_key_generate()).
 *
 * Returns: %TRUE on success
 */
gboolean
vital_server_add_key (VitalServer  *self,
                      const char   *plaintext_key,
                      const char   *owner,
                      guint         rate_limit,
                      guint         monthly_quota,
                      GError      **error)
{
  g_return_val_if_fail (VITAL_IS_SERVER (self), FALSE);
  return vital_keys_add (self->keys, plaintext_key, owner, rate_limit, monthly_quota, error);
}

/**
 * vital_server_reload_keys:
 * @self: a #VitalServer started with a key file
 * @error: return location for a #GError
 *
 * Reads the key file again (what `vitalscan-server` does on SIGHUP; edits are also picked up
 * by themselves, see vital_keys_watch()). The key table is swapped at once: work in flight is
 * not disturbed, a key no longer in the file gets 401 from its next request, keys that stay
 * keep their rate-limit window and quota, and keys added with vital_server_add_key() stay.
 * When the file is invalid, nothing changes.
 *
 * Returns: %TRUE when the file was read and its keys are in use
 */
gboolean
vital_server_reload_keys (VitalServer  *self,
                          GError      **error)
{
  g_return_val_if_fail (VITAL_IS_SERVER (self), FALSE);
  return vital_keys_reload (self->keys, error);
}

/* Adds a dialect's @callback for @path, before the server listens: as an early handler (called
 * once the request headers are read) when @early. */
static void
add_handler (VitalServer        *self,
             gboolean            early,
             const char         *path,
             SoupServerCallback  callback,
             gpointer            user_data,
             GDestroyNotify      destroy)
{
  g_return_if_fail (VITAL_IS_SERVER (self));
  g_return_if_fail (self->thread == NULL);
  if (early)
    soup_server_add_early_handler (self->soup, path, callback, user_data, destroy);
  else
    soup_server_add_handler (self->soup, path, callback, user_data, destroy);
}

/**
 * vital_server_add_handler:
 * @self: a #VitalServer that is not listening yet
 * @path: the path prefix, e.g. "/v1"
 * @callback: the handler, run on the server thread
 * @user_data: data for @callback
 * @destroy: (nullable): frees @user_data
 *
 * Adds routes of another API dialect next to the built-in ones.
 */
void
vital_server_add_handler (VitalServer        *self,
                          const char         *path,
                          SoupServerCallback  callback,
                          gpointer            user_data,
                          GDestroyNotify      destroy)
{
  add_handler (self, FALSE, path, callback, user_data, destroy);
}

/**
 * vital_server_add_early_handler:
 * @self: a #VitalServer that is not listening yet
 * @path: the path prefix, e.g. "/v1"
 * @callback: called once the request headers are read, before the body (server thread)
 * @user_data: data for @callback
 * @destroy: (nullable): frees @user_data
 *
 * Lets another dialect check uploads from their headers (size, type, auth) and refuse them
 * with vital_server_respond_before_body() before any body byte is read.
 */
void
vital_server_add_early_handler (VitalServer        *self,
                                const char         *path,
                                SoupServerCallback  callback,
                                gpointer            user_data,
                                GDestroyNotify      destroy)
{
  add_handler (self, TRUE, path, callback, user_data, destroy);
}

/**
 * vital_server_is_shutting_down:
 * @self: a #VitalServer
 *
 * Returns: %TRUE once vital_server_begin_shutdown() or vital_server_stop() was called
 */
gboolean
vital_server_is_shutting_down (VitalServer *self)
{
  g_return_val_if_fail (VITAL_IS_SERVER (self), TRUE);
  return g_atomic_int_get (&self->shutting_down) != 0;
}

static gboolean
maintenance_cb (gpointer data)
{
  vital_server_run_maintenance (VITAL_SERVER (data));
  return G_SOURCE_CONTINUE;
}

static gpointer
server_thread (gpointer data)
{
  VitalServer *self = data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (self->context);

  ok = vital_connections_listen (self->connections, self->listen_address, self->port, &error);
  if (ok)
    {
      gboolean v6 = strchr (self->listen_address, ':') != NULL;

      self->port = vital_connections_get_port (self->connections);
      self->base_url = g_strdup_printf ("http://%s%s%s:%u", v6 ? "[" : "",
                                        self->listen_address, v6 ? "]" : "", self->port);
      if (self->config->maintenance_interval_s > 0)
        {
          GSource *source = g_timeout_source_new_seconds (self->config->maintenance_interval_s);

          g_source_set_callback (source, maintenance_cb, self, NULL);
          self->maintenance_source_id = g_source_attach (source, self->context);
          g_source_unref (source);
        }
      vital_server_cluster_start (self);
    }
  else
    {
      g_autoptr(GError) listen_error = g_steal_pointer (&error);

      g_set_error (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_CONFIG,
                   "Cannot listen on %s port %u: %s", self->listen_address, self->port,
                   listen_error->message);
    }

  g_mutex_lock (&self->mutex);
  self->thread_ready = TRUE;
  if (!ok)
    self->listen_error = g_steal_pointer (&error);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  if (ok)
    g_main_loop_run (self->loop);

  if (self->maintenance_source_id != 0)
    {
      GSource *source = g_main_context_find_source_by_id (self->context,
                                                          self->maintenance_source_id);

      if (source != NULL)
        g_source_destroy (source);
      self->maintenance_source_id = 0;
    }
  vital_server_cluster_stop (self);
  soup_server_disconnect (self->soup);
  vital_connections_close_all (self->connections);
  /* Let the disconnects finish their own callbacks before the context goes idle. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/**
 * vital_server_listen:
 * @self: a #VitalServer
 * @address: an IP address to bind, e.g. "127.0.0.1" or "0.0.0.0"
 * @port: the TCP port, 0 for an ephemeral one
 * @error: return location for a #GError
 *
 * Starts the server thread and binds. Returns once the socket listens (or failed). Sessions
 * that were processing when a previous instance stopped are resumed first.
 *
 * Returns: %TRUE when listening
 */
gboolean
vital_server_listen (VitalServer  *self,
                     const char   *address,
                     guint         port,
                     GError      **error)
{
  g_return_val_if_fail (VITAL_IS_SERVER (self), FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  self->listen_address = g_strdup (address);
  self->port = port;
  vital_server_requeue_processing (self);
  self->thread = g_thread_new ("vitalscan-server", server_thread, self);

  g_mutex_lock (&self->mutex);
  while (!self->thread_ready)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  if (self->listen_error != NULL)
    {
      g_thread_join (g_steal_pointer (&self->thread));
      g_propagate_error (error, g_steal_pointer (&self->listen_error));
      self->thread_ready = FALSE;
      return FALSE;
    }
  g_info ("listening on %s", self->base_url);
  return TRUE;
}

/**
 * vital_server_listen_local:
 * @self: a #VitalServer
 * @port: the port, 0 for an ephemeral one
 * @error: return location for a #GError
 *
 * vital_server_listen() on 127.0.0.1 (the embedded, offline case).
 *
 * Returns: %TRUE when listening
 */
gboolean
vital_server_listen_local (VitalServer  *self,
                           guint         port,
                           GError      **error)
{
  return vital_server_listen (self, "127.0.0.1", port, error);
}

/**
 * vital_server_get_base_url:
 * @self: a listening #VitalServer
 *
 * Returns: (transfer none) (nullable): e.g. "http://127.0.0.1:40123", %NULL before listening
 */
const char *
vital_server_get_base_url (VitalServer *self)
{
  g_return_val_if_fail (VITAL_IS_SERVER (self), NULL);
  return self->base_url;
}

/**
 * vital_server_get_port:
 * @self: a listening #VitalServer
 *
 * Returns: the bound port
 */
guint
vital_server_get_port (VitalServer *self)
{
  g_return_val_if_fail (VITAL_IS_SERVER (self), 0);
  return self->port;
}

/**
 * vital_server_get_context:
 * @self: a #VitalServer
 *
 * Returns: (transfer none): the main context the server thread iterates (handlers run there)
 */
GMainContext *
vital_server_get_context (VitalServer *self)
{
  g_return_val_if_fail (VITAL_IS_SERVER (self), NULL);
  return self->context;
}

typedef struct
{
  VitalServer *self;
  gint64       deadline;
} StopData;

static gboolean
stop_when_idle (gpointer data)
{
  StopData *stop = data;
  VitalServer *self = stop->self;

  /* Wait (bounded) for requests in progress to be answered and written. */
  if ((g_hash_table_size (self->waiters) > 0
       || vital_connections_count_busy (self->connections) > 0)
      && g_get_monotonic_time () < stop->deadline)
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

/**
 * vital_server_begin_shutdown:
 * @self: a #VitalServer
 *
 * Stops taking new work: from now on new sessions, uploads and upload-complete requests get
 * 503 SERVICE_UNAVAILABLE (retryable) and /health reports "shutting_down", while results,
 * history and jobs already queued keep working. vital_server_stop() calls it first.
 */
void
vital_server_begin_shutdown (VitalServer *self)
{
  g_return_if_fail (VITAL_IS_SERVER (self));
  g_atomic_int_set (&self->shutting_down, 1);
}

/**
 * vital_server_stop:
 * @self: a #VitalServer
 *
 * Graceful shutdown: new sessions are refused with 503, queued and running jobs finish and
 * their waiting upload-complete requests are answered, then the socket closes and the thread
 * ends. Blocks until done. Call from any thread except the server thread. Idempotent.
 */
void
vital_server_stop (VitalServer *self)
{
  StopData stop;
  GSource *source;

  g_return_if_fail (VITAL_IS_SERVER (self));

  if (self->thread == NULL)
    return;
  vital_server_begin_shutdown (self);
  vital_processor_drain (self->processor);
  /* Sessions never completed: their decoded payloads go now (their spool files stay, as the
   * sessions are still `uploaded` for a restarted server). */
  vital_processor_forget_all (self->processor);

  stop.self = self;
  stop.deadline = g_get_monotonic_time () + SHUTDOWN_FLUSH_US;
  source = g_timeout_source_new (20);
  g_source_set_callback (source, stop_when_idle, &stop, NULL);
  g_source_attach (source, self->context);
  g_thread_join (g_steal_pointer (&self->thread));
  g_source_destroy (source);
  g_source_unref (source);
  self->thread_ready = FALSE;
  g_info ("stopped");
}

/**
 * vital_server_get_clock:
 * @self: a #VitalServer
 *
 * Returns: (transfer none): the server's clock
 */
VitalClock *
vital_server_get_clock (VitalServer *self)
{
  g_return_val_if_fail (VITAL_IS_SERVER (self), NULL);
  return self->clock;
}

/**
 * vital_server_get_config:
 * @self: a #VitalServer
 *
 * What other dialects read to keep the session API's rules (result and session TTLs,
 * persistence).
 *
 * Returns: (transfer none): the configuration @self was created with (a copy of its own; not
 *   to be changed)
 */
const VitalServerConfig *
vital_server_get_config (VitalServer *self)
{
  g_return_val_if_fail (VITAL_IS_SERVER (self), NULL);
  return self->config;
}

/**
 * vital_server_get_store:
 * @self: a #VitalServer
 *
 * Returns: (transfer none): the session store
 */
VitalSessionStore *
vital_server_get_store (VitalServer *self)
{
  g_return_val_if_fail (VITAL_IS_SERVER (self), NULL);
  return self->store;
}

/**
 * vital_server_get_node_id:
 * @self: a #VitalServer
 *
 * Returns: (transfer none): this node's name in the store (see #VitalServerConfig.node_id)
 */
const char *
vital_server_get_node_id (VitalServer *self)
{
  g_return_val_if_fail (VITAL_IS_SERVER (self), NULL);
  return self->node_id;
}

/**
 * vital_server_register_payload_decoder:
 * @self: a #VitalServer that is not listening yet
 * @kind: a payload kind (e.g. "video"), not %VITAL_PAYLOAD_KIND_TENSOR
 * @decoder: how to decode such a payload into the tensor the engine measures (on a worker
 *   thread), and how to word a failure (copied)
 * @user_data: data for @decoder's functions
 * @destroy: (nullable): frees @user_data when @self goes
 *
 * Lets a dialect's sessions of @kind (created in the store by the dialect, their payloads
 * handed over with vital_server_process_payload()) be processed like the session API's: the
 * server itself never decodes anything but its tensors, so a layer above it (the /v1 video
 * dialect, with the capture code) supplies the decoder.
 */
void
vital_server_register_payload_decoder (VitalServer               *self,
                                       const char                *kind,
                                       const VitalPayloadDecoder *decoder,
                                       gpointer                   user_data,
                                       GDestroyNotify             destroy)
{
  g_return_if_fail (VITAL_IS_SERVER (self));
  vital_processor_register_decoder (self->processor, kind, decoder, user_data, destroy);
}

/**
 * vital_server_get_spool_dir:
 * @self: a #VitalServer
 *
 * Returns: (transfer none): where uploads are spooled (one 0600 file per session)
 */
const char *
vital_server_get_spool_dir (VitalServer *self)
{
  g_return_val_if_fail (VITAL_IS_SERVER (self), NULL);
  return self->spool_dir;
}
