/* vital-json-text.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns JSON text: the session API's compact bodies and the exports' pretty files. json-glib's
 * generator writes every double with 17 significant digits ("%.17g"), so a confidence of 0.722
 * comes out as 0.72199999999999998: true to the bit, false to the reader, and two tools' texts
 * of one result differ. Here a number is written in the shortest fixed-point form that reads
 * back as the same double, and one that is not finite (JSON has no NaN) as null.
 */
#include <math.h>

#include "vital-json-text.h"

static void
write_number (GString *out,
              double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  if (value == 0.0)
    value = 0.0;   /* no "-0" */
  /* The fewest decimals that read back as the same double; a rounded value needs no more
   * than it was rounded to. Only numbers no fixed form can hold exactly get the long form. */
  for (int decimals = 0; decimals <= 15; decimals++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%df", decimals);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        {
          g_string_append (out, buf);
          return;
        }
    }
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.17g", value));
}

static void
write_string (GString    *out,
              const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  for (const char *c = valid; *c != '\0'; c++)
    {
      switch (*c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if ((guchar) *c < 0x20)
            g_string_append_printf (out, "\\u%04x", (guint) (guchar) *c);
          else
            g_string_append_c (out, *c);
        }
    }
  g_string_append_c (out, '"');
}

/* A new line at @depth levels in, when pretty; nothing when compact (@depth < 0). */
static void
indent (GString *out,
        int      depth)
{
  if (depth < 0)
    return;
  g_string_append_c (out, '\n');
  for (int i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

/* @depth: levels in for pretty text, or -1 for compact */
static void
write_node (GString  *out,
            JsonNode *node,
            int       depth)
{
  int inner = depth < 0 ? -1 : depth + 1;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);   /* insertion order */

        if (members == NULL)
          {
            g_string_append (out, "{}");
            break;
          }
        g_string_append_c (out, '{');
        for (GList *m = members; m != NULL; m = m->next)
          {
            indent (out, inner);
            write_string (out, m->data);
            g_string_append (out, depth < 0 ? ":" : ": ");
            write_node (out, json_object_get_member (object, m->data), inner);
            if (m->next != NULL)
              g_string_append_c (out, ',');
          }
        indent (out, depth);
        g_string_append_c (out, '}');
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        if (n == 0)
          {
            g_string_append (out, "[]");
            break;
          }
        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            indent (out, inner);
            write_node (out, json_array_get_element (array, i), inner);
            if (i + 1 < n)
              g_string_append_c (out, ',');
          }
        indent (out, depth);
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          write_number (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          write_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append (out, "null");
        }
      break;
    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
    }
}

/**
 * vital_json_text_write:
 * @root: a JSON tree
 * @pretty: %TRUE for two-space indents and a final newline (files people read), %FALSE for
 *   compact text (HTTP bodies)
 *
 * Writes @root with members in the order they were added, each number in the shortest
 * fixed-point form that reads back as the same double.
 *
 * Returns: (transfer full): the JSON text
 */
char *
vital_json_text_write (JsonNode *root,
                       gboolean  pretty)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (root != NULL, NULL);

  write_node (out, root, pretty ? 0 : -1);
  if (pretty)
    g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}
