/* bench-util.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the load benchmarks (server-load, cluster-load, server-soak) share: the payload they
 * upload, a blocking API call with its JSON answer, and percentiles of the times they take.
 */
#include <string.h>

#include "bench-util.h"
#include "vital-synth.h"
#include "vital-tensor.h"

/**
 * bench_payload:
 * @frames: frames of the synthetic subject (30 per second)
 * @error: return location for a #GError
 *
 * The payload every load benchmark uploads: the synthetic subject with sensor noise 3,
 * encoded as the client encodes (delta, gzip).
 *
 * Returns: (transfer full) (nullable): the payload, or %NULL with @error set
 */
GBytes *
bench_payload (guint    frames,
               GError **error)
{
  g_autoptr(VitalSynth) synth = NULL;
  g_autoptr(VitalTensor) tensor = NULL;
  VitalSynthParams params;

  vital_synth_params_init (&params);
  params.noise = 3.0;
  synth = vital_synth_new (&params);
  tensor = vital_synth_render_tensor (synth, frames);
  return vital_tensor_encode (tensor, VITAL_TENSOR_ENCODE_DEFAULT, -1, error);
}

/**
 * bench_api_message:
 * @method: the HTTP method
 * @url: the URL
 * @key: (nullable): the API key to send
 * @json: (nullable): a JSON request body
 *
 * Returns: (transfer full): the request
 */
SoupMessage *
bench_api_message (const char *method,
                   const char *url,
                   const char *key,
                   const char *json)
{
  SoupMessage *msg = soup_message_new (method, url);

  if (key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-API-Key", key);
  if (json != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  return msg;
}

/**
 * bench_send_json:
 * @session: the session to send on (blocking)
 * @msg: the request
 * @out_status: (out): the HTTP status, 0 when nothing came back
 * @out_root: (out) (transfer full) (nullable): the answer parsed as JSON
 *
 * Returns: (transfer none) (nullable): the answer's object (owned by @out_root), or %NULL when
 *   it is not one
 */
JsonObject *
bench_send_json (SoupSession  *session,
                 SoupMessage  *msg,
                 guint        *out_status,
                 JsonNode    **out_root)
{
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);
  gsize len = 0;
  const char *data;

  *out_status = body != NULL ? soup_message_get_status (msg) : 0;
  *out_root = NULL;
  if (body == NULL)
    return NULL;
  data = g_bytes_get_data (body, &len);
  *out_root = len > 0 ? json_from_string (data, NULL) : NULL;
  return *out_root != NULL && JSON_NODE_HOLDS_OBJECT (*out_root)
         ? json_node_get_object (*out_root) : NULL;
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/**
 * bench_percentile:
 * @values: (element-type double): the figures; sorted in place
 * @p: the fraction, 0–1
 *
 * Returns: the nearest-rank @p percentile of @values, 0 when there are none
 */
double
bench_percentile (GArray *values,
                  double  p)
{
  guint idx;

  if (values->len == 0)
    return 0;
  g_array_sort (values, cmp_double);
  idx = (guint) MIN (values->len - 1, (guint) (p * (values->len - 1) + 0.5));
  return g_array_index (values, double, idx);
}
