/* vital-test-util.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers shared by the test programs (and the cluster bench's PostgreSQL harness): GLib, GIO,
 * json-glib and the core library, no server and no client. What they return follows the
 * annotations; every failure they can see is an assertion.
 */
#include <glib/gstdio.h>

#include "vital-tensor.h"
#include "vital-tensor-placeholder.h"
#include "vital-test-util.h"

/**
 * vital_test_remove_tree:
 * @path: (type filename): a file or a folder, which may not exist
 *
 * Deletes @path and, for a folder, everything below it. Links are deleted, not followed.
 */
void
vital_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      vital_test_remove_tree (child);
    }
  g_rmdir (path);
}

/**
 * vital_test_count_files:
 * @path: (type filename): a folder, which must exist
 * @suffix: (nullable): count only the names that end so
 *
 * Returns: how many entries @path holds (ending with @suffix)
 */
guint
vital_test_count_files (const char *path,
                        const char *suffix)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (suffix == NULL || g_str_has_suffix (name, suffix))
      n++;
  return n;
}

/**
 * vital_test_unused_port:
 *
 * A TCP port on 127.0.0.1 that nothing listens on (bound, then let go): connecting to it is
 * refused, and a process started later can listen on it.
 *
 * Returns: the port
 */
guint16
vital_test_unused_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                          G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (sock, any, TRUE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (sock, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
on_wait_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * vital_test_wait_until:
 * @holds: the condition, checked before each iteration
 * @data: its argument
 * @seconds: how long it may take
 *
 * Iterates the default main context until @holds says so; the test fails when that takes
 * longer than @seconds.
 */
void
vital_test_wait_until (VitalTestCondition holds,
                       gpointer           data,
                       guint              seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, on_wait_timeout, &timed_out);

  while (!holds (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

/**
 * vital_test_is_set:
 * @slot: (type gpointer*): a pointer's address
 *
 * A #VitalTestCondition: whether *@slot is no longer %NULL (a result stored by
 * vital_test_store_result(), say).
 *
 * Returns: %TRUE once *@slot is set
 */
gboolean
vital_test_is_set (gpointer slot)
{
  return *(gpointer *) slot != NULL;
}

/**
 * vital_test_store_result:
 * @source: the call's source object
 * @result: its result
 * @slot: (type GAsyncResult**): where to keep a reference to @result
 *
 * A #GAsyncReadyCallback for vital_test_await() and vital_test_is_set().
 */
void
vital_test_store_result (GObject      *source,
                         GAsyncResult *result,
                         gpointer      slot)
{
  *(GAsyncResult **) slot = g_object_ref (result);
}

/**
 * vital_test_placeholder_payload:
 * @frames: how many frames (30 a second)
 *
 * The placeholder subject (a 72 bpm pulse in the green channel) as an upload would carry it,
 * encoded the default way.
 *
 * Returns: (transfer full): the payload
 */
GBytes *
vital_test_placeholder_payload (guint frames)
{
  g_autoptr(VitalTensor) tensor = vital_tensor_placeholder (frames);

  return vital_test_encode (tensor, VITAL_TENSOR_ENCODE_DEFAULT);
}

/**
 * vital_test_encode:
 * @tensor: a tensor
 * @flags: the encoding
 *
 * Encodes @tensor at the default compression level; the test fails if that fails.
 *
 * Returns: (transfer full): the payload
 */
GBytes *
vital_test_encode (VitalTensor           *tensor,
                   VitalTensorEncodeFlags flags)
{
  g_autoptr(GError) error = NULL;
  GBytes *payload = vital_tensor_encode (tensor, flags, -1, &error);

  g_assert_no_error (error);
  return payload;
}

/**
 * vital_test_pattern_payload:
 * @size: its length in bytes
 *
 * Bytes that are no tensor, the same on every call: byte i is (i * 31 + 7) mod 256.
 *
 * Returns: (transfer full): the bytes
 */
GBytes *
vital_test_pattern_payload (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 31 + 7);
  return g_bytes_new_take (data, size);
}

/**
 * vital_test_json_parse:
 * @text: JSON text, ending with a NUL
 *
 * Asserts that @text is JSON.
 *
 * Returns: (transfer full): its root node
 */
JsonNode *
vital_test_json_parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));
  return json_node_ref (json_parser_get_root (parser));
}

/**
 * vital_test_json_object:
 * @node: (nullable): a node
 *
 * Asserts that @node is an object.
 *
 * Returns: (transfer none): the object
 */
JsonObject *
vital_test_json_object (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

/**
 * vital_test_json_member:
 * @node: (nullable): a node
 * @path: member names joined by dots ("vitals.heart_rate")
 *
 * Returns: (transfer none) (nullable): the member, NULL when a step is missing or not an object
 */
JsonNode *
vital_test_json_member (JsonNode   *node,
                        const char *path)
{
  g_auto(GStrv) names = g_strsplit (path, ".", -1);

  for (guint i = 0; names[i] != NULL && node != NULL; i++)
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      node = json_object_get_member (json_node_get_object (node), names[i]);
    }
  return node;
}

/**
 * vital_test_json_string:
 * @node: (nullable): a node
 * @path: a member path, as for vital_test_json_member()
 *
 * Returns: (transfer none) (nullable): the string there, NULL when there is none
 */
const char *
vital_test_json_string (JsonNode   *node,
                        const char *path)
{
  JsonNode *member = vital_test_json_member (node, path);

  if (member == NULL || json_node_get_value_type (member) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (member);
}

/**
 * vital_test_json_boolean:
 * @node: (nullable): a node
 * @path: a member path, as for vital_test_json_member()
 *
 * Returns: %TRUE when the member is the boolean true, %FALSE otherwise (missing included)
 */
gboolean
vital_test_json_boolean (JsonNode   *node,
                         const char *path)
{
  JsonNode *member = vital_test_json_member (node, path);

  return member != NULL && json_node_get_value_type (member) == G_TYPE_BOOLEAN
         && json_node_get_boolean (member);
}

/**
 * vital_test_json_double:
 * @node: (nullable): a node
 * @path: a member path, as for vital_test_json_member()
 *
 * Asserts that the member is a number.
 *
 * Returns: the number
 */
double
vital_test_json_double (JsonNode   *node,
                        const char *path)
{
  JsonNode *member = vital_test_json_member (node, path);
  GType type;

  g_assert_nonnull (member);
  type = json_node_get_value_type (member);
  g_assert_true (type == G_TYPE_DOUBLE || type == G_TYPE_INT64);
  return json_node_get_double (member);
}

/**
 * vital_test_run_clear:
 * @run: a run, or zeroes
 *
 * Frees what @run holds and zeroes it, ready for another run.
 */
void
vital_test_run_clear (VitalTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
  g_clear_pointer (&run->json, json_node_unref);
  run->status = 0;
}

/**
 * vital_test_run_cliv:
 * @run: (out caller-allocates): a run, or zeroes; what it held is freed first
 * @cli: (type filename): the vitalscan-cli binary
 * @api_key: (nullable): VITALSCAN_API_KEY for the run (unset when NULL)
 * @command: the subcommand ("scan-tensor", "analyze")
 * @args: (array zero-terminated=1): its arguments
 *
 * Runs `@cli @command @args…` to the end and keeps its exit status and output (also shown with
 * g_test_message()). Asserts that it exited rather than died from a signal.
 */
void
vital_test_run_cliv (VitalTestRun       *run,
                     const char         *cli,
                     const char         *api_key,
                     const char         *command,
                     const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  vital_test_run_clear (run);
  g_ptr_array_add (argv, (char *) cli);
  g_ptr_array_add (argv, (char *) command);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  line = g_strjoinv (" ", (char **) argv->pdata);
  if (api_key != NULL)
    g_subprocess_launcher_setenv (launcher, "VITALSCAN_API_KEY", api_key, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "VITALSCAN_API_KEY");

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("%s: exit %d\nstdout: %s\nstderr: %s", line, run->status, run->out, run->err);

  if (json_parser_load_from_data (parser, run->out, -1, NULL)
      && json_parser_get_root (parser) != NULL
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    run->json = json_node_ref (json_parser_get_root (parser));
}

/**
 * vital_test_run_cli:
 * @run: (out caller-allocates): as for vital_test_run_cliv()
 * @cli: (type filename): the vitalscan-cli binary
 * @api_key: (nullable): VITALSCAN_API_KEY for the run (unset when NULL)
 * @command: the subcommand
 * @...: its arguments, then NULL
 *
 * vital_test_run_cliv() with the arguments listed.
 */
void
vital_test_run_cli (VitalTestRun *run,
                    const char   *cli,
                    const char   *api_key,
                    const char   *command,
                    ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  va_start (ap, command);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  vital_test_run_cliv (run, cli, api_key, command, (const char * const *) args->pdata);
}
