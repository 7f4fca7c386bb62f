/* vital-test-http.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Requests to a server under test, sent synchronously with soup_session_send_and_read(), and
 * their answers as VitalTestReply. Nothing here asserts on the answer: a test that expects
 * JSON, a header or a transport failure says so itself.
 */
#include <string.h>

#include "vital-test-http.h"

/**
 * vital_test_reply_free:
 * @reply: (transfer full) (nullable): a reply
 */
void
vital_test_reply_free (VitalTestReply *reply)
{
  if (reply == NULL)
    return;
  g_clear_error (&reply->error);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->json, json_node_unref);
  g_free (reply);
}

/**
 * vital_test_reply_header:
 * @reply: a reply
 * @name: a header's name
 *
 * Returns: (transfer none) (nullable): the header's value, NULL without it or without an answer
 */
const char *
vital_test_reply_header (VitalTestReply *reply,
                         const char     *name)
{
  if (reply->headers == NULL)
    return NULL;
  return soup_message_headers_get_one (reply->headers, name);
}

/**
 * vital_test_message_new:
 * @method: the HTTP method
 * @base_url: (nullable): the server's base URL, which a path is appended to
 * @path_or_url: a path, or a whole URL (which @base_url does not change)
 * @api_key: (nullable): sent as X-API-Key
 *
 * Returns: (transfer full): the request, not sent
 */
SoupMessage *
vital_test_message_new (const char *method,
                        const char *base_url,
                        const char *path_or_url,
                        const char *api_key)
{
  g_autofree char *url = NULL;
  SoupMessage *msg;

  if (g_str_has_prefix (path_or_url, "http"))
    url = g_strdup (path_or_url);
  else
    {
      g_assert_nonnull (base_url);
      url = g_strconcat (base_url, path_or_url, NULL);
    }
  msg = soup_message_new (method, url);
  g_assert_nonnull (msg);
  if (api_key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-API-Key", api_key);
  return msg;
}

/**
 * vital_test_message_set_json:
 * @msg: a request
 * @json: its body, sent as application/json
 */
void
vital_test_message_set_json (SoupMessage *msg,
                             const char  *json)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
}

/**
 * vital_test_send:
 * @session: a session
 * @msg: (transfer none): a request
 *
 * Sends @msg and reads the whole answer; a body that is not JSON leaves the reply's json NULL.
 *
 * Returns: (transfer full): the reply
 */
VitalTestReply *
vital_test_send (SoupSession *session,
                 SoupMessage *msg)
{
  VitalTestReply *reply = g_new0 (VitalTestReply, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();

  reply->body = soup_session_send_and_read (session, msg, NULL, &reply->error);
  if (reply->body == NULL)
    return reply;
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (g_bytes_get_size (reply->body) > 0
      && json_parser_load_from_data (parser, g_bytes_get_data (reply->body, NULL),
                                     (gssize) g_bytes_get_size (reply->body), NULL)
      && json_parser_get_root (parser) != NULL)
    reply->json = json_node_ref (json_parser_get_root (parser));
  return reply;
}

/**
 * vital_test_request:
 * @session: a session
 * @method: the HTTP method
 * @base_url: (nullable): as for vital_test_message_new()
 * @path_or_url: as for vital_test_message_new()
 * @api_key: (nullable): sent as X-API-Key
 * @json: (nullable): a body sent as application/json
 * @octets: (nullable): a body sent as application/octet-stream, when @json is NULL
 *
 * Returns: (transfer full): the reply
 */
VitalTestReply *
vital_test_request (SoupSession *session,
                    const char  *method,
                    const char  *base_url,
                    const char  *path_or_url,
                    const char  *api_key,
                    const char  *json,
                    GBytes      *octets)
{
  g_autoptr(SoupMessage) msg = vital_test_message_new (method, base_url, path_or_url, api_key);

  if (json != NULL)
    vital_test_message_set_json (msg, json);
  else if (octets != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/octet-stream", octets);
  return vital_test_send (session, msg);
}
