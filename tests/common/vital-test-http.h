/* vital-test-http.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test helpers for talking HTTP to a server under test with libsoup: a request in one call, and
 * the answer kept whole (status, headers, body, the body as JSON) for the test to look at.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  guint               status;   /* 0: no HTTP answer (refused, reset, timed out) */
  GError             *error;    /* (nullable): why no answer came */
  SoupMessageHeaders *headers;  /* (nullable): the answer's headers */
  GBytes             *body;     /* (nullable): the answer's body */
  JsonNode           *json;     /* (nullable): the body, when it is JSON */
} VitalTestReply;

void            vital_test_reply_free       (VitalTestReply *reply);
const char     *vital_test_reply_header     (VitalTestReply *reply,
                                             const char     *name);

SoupMessage    *vital_test_message_new      (const char     *method,
                                             const char     *base_url,
                                             const char     *path_or_url,
                                             const char     *api_key);
void            vital_test_message_set_json (SoupMessage    *msg,
                                             const char     *json);
VitalTestReply *vital_test_send             (SoupSession    *session,
                                             SoupMessage    *msg);
VitalTestReply *vital_test_request          (SoupSession    *session,
                                             const char     *method,
                                             const char     *base_url,
                                             const char     *path_or_url,
                                             const char     *api_key,
                                             const char     *json,
                                             GBytes         *octets);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalTestReply, vital_test_reply_free)

G_END_DECLS
