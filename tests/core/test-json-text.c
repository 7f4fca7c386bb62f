/* test-json-text.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSON text as the API and the exports write it: numbers in their shortest exact form (not
 * json-glib's 17 digits), no NaN or -0, members in the order added, strings escaped, compact
 * and pretty.
 */
#include <math.h>

#include "vital-json-text.h"

static JsonNode *
sample (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "zeta");    /* added first: stays first */
  json_builder_add_double_value (b, 0.722);
  json_builder_set_member_name (b, "alpha");
  json_builder_begin_array (b);
  json_builder_add_double_value (b, 72.3);
  json_builder_add_double_value (b, NAN);
  json_builder_add_double_value (b, -0.0);
  json_builder_add_double_value (b, 0.1 + 0.2);   /* no short form reads back as this */
  json_builder_add_int_value (b, -5);
  json_builder_add_boolean_value (b, TRUE);
  json_builder_add_null_value (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, "a \"quote\"\\ new\nline \x01 ü");
  json_builder_set_member_name (b, "empty");
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
test_compact (void)
{
  g_autoptr(JsonNode) root = sample ();
  g_autofree char *text = vital_json_text_write (root, FALSE);

  g_assert_cmpstr (text, ==,
                   "{\"zeta\":0.722,\"alpha\":[72.3,null,0,0.30000000000000004,-5,true,null],"
                   "\"text\":\"a \\\"quote\\\"\\\\ new\\nline \\u0001 ü\",\"empty\":{}}");
}

static void
test_pretty (void)
{
  g_autoptr(JsonNode) root = sample ();
  g_autofree char *text = vital_json_text_write (root, TRUE);

  g_assert_true (g_str_has_prefix (text, "{\n  \"zeta\": 0.722,\n  \"alpha\": [\n    72.3,\n"));
  g_assert_true (g_str_has_suffix (text, "\"empty\": {}\n}\n"));
}

/* What is written reads back as the same values (json-glib parses it). */
static void
test_round_trip (void)
{
  g_autoptr(JsonNode) root = sample ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = vital_json_text_write (root, FALSE);
  JsonObject *object;
  JsonArray *array;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpfloat (json_object_get_double_member (object, "zeta"), ==, 0.722);
  array = json_object_get_array_member (object, "alpha");
  g_assert_cmpfloat (json_array_get_double_element (array, 0), ==, 72.3);
  g_assert_cmpfloat (json_array_get_double_element (array, 3), ==, 0.1 + 0.2);
  g_assert_cmpstr (json_object_get_string_member (object, "text"), ==,
                   "a \"quote\"\\ new\nline \x01 ü");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json-text/compact", test_compact);
  g_test_add_func ("/json-text/pretty", test_pretty);
  g_test_add_func ("/json-text/round-trip", test_round_trip);
  return g_test_run ();
}
