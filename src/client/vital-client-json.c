/* vital-client-json.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to src/client: strict typed reads of JSON members (wrong type → BAD_RESPONSE).
 */
#include "vital-client-json.h"
#include "vital-client-error.h"

#include <math.h>
#include <string.h>

/* Describes a node's JSON type for messages ("a string", "null"). */
static const char *
describe_node (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      break;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      return "a number";
    default:
      return "an unknown value";
    }
}

/**
 * vital_json_parse:
 * @body: (nullable): a response body
 * @error: return location for a %VITAL_CLIENT_ERROR_BAD_RESPONSE
 *
 * Parses @body as one JSON document whose root is an object.
 *
 * Returns: (transfer full) (nullable): the root node, or %NULL with @error set
 */
JsonNode *
vital_json_parse (GBytes  *body,
                  GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize size = 0;
  JsonNode *root;

  data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  if (data == NULL || size == 0)
    {
      g_set_error_literal (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
                           "The server sent an empty response where JSON was expected");
      return NULL;
    }
  if (size > G_MAXSSIZE || memchr (data, '\0', size) != NULL)
    {
      g_set_error_literal (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
                           "The server sent binary data where JSON was expected");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, (gssize) size, &local_error))
    {
      g_set_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
                   "The server sent malformed JSON: %s", local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
                   "The server sent %s where a JSON object was expected",
                   root != NULL ? describe_node (root) : "nothing");
      return NULL;
    }

  return json_node_ref (root);
}

/* Looks up @member; returns NULL (no error) when absent/null is allowed. */
static JsonNode *
lookup (JsonObject      *object,
        const char      *path,
        const char      *member,
        VitalJsonFlags   flags,
        gboolean        *out_ok,
        GError         **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out_ok = TRUE;

  if (node == NULL)
    {
      if (flags & VITAL_JSON_OPTIONAL)
        return NULL;
      g_set_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
                   "The server's response lacks the field “%s%s%s”",
                   path ? path : "", path ? "." : "", member);
      *out_ok = FALSE;
      return NULL;
    }
  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (flags & VITAL_JSON_NULLABLE)
        return NULL;
      g_set_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
                   "The server's response has null for the field “%s%s%s”",
                   path ? path : "", path ? "." : "", member);
      *out_ok = FALSE;
      return NULL;
    }

  return node;
}

static gboolean
type_error (JsonNode    *node,
            const char  *path,
            const char  *member,
            const char  *expected,
            GError     **error)
{
  g_set_error (error, VITAL_CLIENT_ERROR, VITAL_CLIENT_ERROR_BAD_RESPONSE,
               "The server's response has %s for the field “%s%s%s”, expected %s",
               describe_node (node), path ? path : "", path ? "." : "", member, expected);
  return FALSE;
}

/* Looks up @member and checks that it is a value of @type (described as @expected in the
 * error); *out_node is NULL (no error) when it is absent or null as @flags allow. */
static gboolean
lookup_value (JsonObject      *object,
              const char      *path,
              const char      *member,
              VitalJsonFlags   flags,
              GType            type,
              const char      *expected,
              JsonNode       **out_node,
              GError         **error)
{
  gboolean ok;
  JsonNode *node = lookup (object, path, member, flags, &ok, error);

  *out_node = NULL;
  if (node == NULL)
    return ok;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != type)
    return type_error (node, path, member, expected, error);
  *out_node = node;
  return TRUE;
}

/*
 * The typed getters below read @member of @object:
 *
 * @object: the containing object
 * @path: (nullable): the containing object's path, for messages
 * @member: the member name
 * @flags: whether the member may be absent or null
 * @error: return location for a %VITAL_CLIENT_ERROR_BAD_RESPONSE, set when the member is
 *   missing, null or of another type than @flags and the getter allow
 */

/**
 * vital_json_get_object:
 *
 * Returns: (transfer none) (nullable): the member object; %NULL when absent/null as allowed
 *   (error unset) or on a type error (error set)
 */
JsonObject *
vital_json_get_object (JsonObject      *object,
                       const char      *path,
                       const char      *member,
                       VitalJsonFlags   flags,
                       GError         **error)
{
  gboolean ok;
  JsonNode *node = lookup (object, path, member, flags, &ok, error);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      type_error (node, path, member, "an object", error);
      return NULL;
    }
  return json_node_get_object (node);
}

/**
 * vital_json_get_number:
 * @out_value: (out): the number; NAN when absent or null
 *
 * Accepts JSON integers and finite reals; strings, booleans and containers are type errors.
 *
 * Returns: %TRUE on success
 */
gboolean
vital_json_get_number (JsonObject      *object,
                       const char      *path,
                       const char      *member,
                       VitalJsonFlags   flags,
                       double          *out_value,
                       GError         **error)
{
  gboolean ok;
  JsonNode *node = lookup (object, path, member, flags, &ok, error);

  *out_value = NAN;
  if (node == NULL)
    return ok;
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_INT64)
        {
          *out_value = (double) json_node_get_int (node);
          return TRUE;
        }
      if (type == G_TYPE_DOUBLE)
        {
          *out_value = json_node_get_double (node);
          if (isfinite (*out_value))
            return TRUE;
          *out_value = NAN;
        }
    }
  return type_error (node, path, member, "a number", error);
}

/**
 * vital_json_get_string:
 * @out_value: (out) (transfer none) (nullable): the string, owned by @object; %NULL when
 *   absent or null
 *
 * Returns: %TRUE on success
 */
gboolean
vital_json_get_string (JsonObject      *object,
                       const char      *path,
                       const char      *member,
                       VitalJsonFlags   flags,
                       const char     **out_value,
                       GError         **error)
{
  JsonNode *node;

  *out_value = NULL;
  if (!lookup_value (object, path, member, flags, G_TYPE_STRING, "a string", &node, error))
    return FALSE;
  if (node != NULL)
    *out_value = json_node_get_string (node);
  return TRUE;
}

/**
 * vital_json_get_boolean:
 * @out_value: (out): 1 true, 0 false, -1 absent or null
 *
 * Returns: %TRUE on success
 */
gboolean
vital_json_get_boolean (JsonObject      *object,
                        const char      *path,
                        const char      *member,
                        VitalJsonFlags   flags,
                        int             *out_value,
                        GError         **error)
{
  JsonNode *node;

  *out_value = -1;
  if (!lookup_value (object, path, member, flags, G_TYPE_BOOLEAN, "a boolean", &node, error))
    return FALSE;
  if (node != NULL)
    *out_value = json_node_get_boolean (node) ? 1 : 0;
  return TRUE;
}
