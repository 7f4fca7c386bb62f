/* vital-route-upload.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PUT /sdk/session/{id}/upload: the presigned upload, checked from its headers before any of
 * its body is read (the early handler, which also caps every other request's body), then
 * streamed to the spool and decoded as it arrives. Also answers refused requests without reading
 * their bodies, for the other dialects' early handlers too.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <glib/gstdio.h>

#include "vital-config.h"
#include "vital-presign.h"
#include "vital-random.h"
#include "vital-server-json.h"
#include "vital-server-routes.h"
#include "vital-tensor-reader.h"

#define UPLOAD_DATA_KEY "vital-upload"

/* Writeback of an upload is started every this many bytes, so that the fsync before the answer
 * (on the HTTP thread) only waits for the tail instead of the whole 25–30 MB payload. */
#define UPLOAD_WRITEBACK_BYTES (4 * 1024 * 1024)

/* libsoup hands the body over in 8 KiB chunks; they are gathered into writes of this size
 * (thousands of syscalls fewer per payload on the HTTP thread). */
#define UPLOAD_BUFFER_BYTES (1024 * 1024)

/* At most this many uploads are decoded while they arrive (each holds its payload, and then the
 * decoded tensor, in memory); others are decoded from the spool once they are in, as before. */
#define MAX_STREAMING_UPLOADS 8

typedef struct
{
  VitalServer       *server;
  VitalTensorReader *reader;  /* decodes the payload as it arrives; NULL beyond the limits */
  char   *owner;              /* the session's key id: whose memory budget the reader uses */
  guint64 reserved;           /* bytes of that budget held for the reader */
  gboolean sized;             /* the reader's memory need is known (and reserved) */
  int     fd;
  char   *part_path;
  char   *session_id;
  goffset length;
  goffset received;
  goffset flushed;
  guint8 *buffer;
  gsize   buffered;
  int     write_errno;
  gboolean committed;
} Upload;

static void
upload_free (gpointer data)
{
  Upload *upload = data;

  if (upload->reader != NULL)
    {
      upload->server->streaming_uploads--;
      g_object_unref (upload->reader);
    }
  if (upload->reserved > 0)
    vital_memory_budget_release (upload->server->decoded_budget, upload->owner,
                                 upload->reserved);
  g_free (upload->owner);
  if (upload->fd >= 0)
    close (upload->fd);
  if (!upload->committed && upload->part_path != NULL)
    g_unlink (upload->part_path);
  g_free (upload->part_path);
  g_free (upload->session_id);
  g_free (upload->buffer);
  g_free (upload);
}

static void
upload_write (Upload       *upload,
              const guint8 *bytes,
              gsize         len)
{
  while (len > 0 && upload->write_errno == 0)
    {
      ssize_t n = write (upload->fd, bytes, len);

      if (n < 0)
        {
          if (errno != EINTR)
            upload->write_errno = errno;
          continue;
        }
      bytes += n;
      len -= (gsize) n;
    }
}

/* Writes out what is buffered; returns FALSE (errno kept in write_errno) when writing failed. */
static gboolean
upload_flush (Upload *upload)
{
  upload_write (upload, upload->buffer, upload->buffered);
  upload->buffered = 0;
  return upload->write_errno == 0;
}

/* Once the payload's header is in, the reader's decode claims what it will hold (the payload
 * and the decoded tensor) from the key's memory budget. FALSE when that does not fit, or when
 * the first bytes are no tensor header: the reader is dropped and the spooled file is decoded
 * when processing starts. */
static gboolean
upload_reserve (Upload *upload)
{
  VitalTensorHeader header;
  guint64 need;

  if (upload->sized)
    return TRUE;
  if (!vital_tensor_reader_peek_header (upload->reader, &header))
    return upload->received < 64 * 1024;
  need = (guint64) header.frame_count * VITAL_TENSOR_FRAME_SIZE + (guint64) upload->length;
  if (!vital_memory_budget_reserve (upload->server->decoded_budget, upload->owner, need))
    return FALSE;
  upload->reserved = need;
  upload->sized = TRUE;
  return TRUE;
}

static void
upload_got_chunk (SoupServerMessage *msg,
                  GBytes            *chunk,
                  gpointer           data)
{
  Upload *upload = data;
  gsize len;
  const guint8 *bytes = g_bytes_get_data (chunk, &len);

  upload->received += (goffset) len;
  /* A failed write drops the early decode only: upload-complete decodes the spooled file. */
  if (upload->reader != NULL && (!vital_tensor_reader_write (upload->reader, bytes, len, NULL)
                                 || !upload_reserve (upload)))
    {
      upload->server->streaming_uploads--;
      g_clear_object (&upload->reader);
      if (upload->reserved > 0)
        vital_memory_budget_release (upload->server->decoded_budget, upload->owner,
                                     upload->reserved);
      upload->reserved = 0;
      upload->sized = FALSE;
    }
  if (upload->write_errno != 0)
    return;
  if (upload->buffered + len > UPLOAD_BUFFER_BYTES && !upload_flush (upload))
    return;
  if (len >= UPLOAD_BUFFER_BYTES)
    upload_write (upload, bytes, len);
  else
    {
      memcpy (upload->buffer + upload->buffered, bytes, len);
      upload->buffered += len;
    }
  if (upload->write_errno == 0
      && upload->received - (goffset) upload->buffered - upload->flushed >= UPLOAD_WRITEBACK_BYTES)
    {
      goffset written = upload->received - (goffset) upload->buffered;

      /* Start (not wait for) writeback of what was written so far; a failure here is harmless,
       * the final fsync reports real errors. */
      sync_file_range (upload->fd, upload->flushed, written - upload->flushed,
                       SYNC_FILE_RANGE_WRITE);
      upload->flushed = written;
    }
}

/* How much of a refused chunked body is read and thrown away before the connection closes. */
#define CHUNKED_DRAIN_BYTES (16 * 1024 * 1024)

/* The session a presigned upload is for, as long as it may still take a payload (pending, or
 * uploaded: a re-upload replaces the payload); a session API session only. */
static VitalSession *
uploadable_session (VitalServer  *self,
                    const char   *id,
                    gint64        now,
                    GError      **error)
{
  g_autoptr(VitalSession) session = vital_request_api_session (self, id, now, error);

  if (session == NULL)
    return NULL;
  if (!vital_session_status_can_transition (session->status, VITAL_SESSION_UPLOADED))
    {
      if (session->status == VITAL_SESSION_EXPIRED)
        g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SESSION_EXPIRED,
                     "Session %s expired; start a new session", id);
      else
        g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_ILLEGAL_TRANSITION,
                     "Session %s is %s; its payload can no longer be replaced", id,
                     vital_session_status_to_string (session->status));
      return NULL;
    }
  return g_steal_pointer (&session);
}

static void
append_header (const char *name,
               const char *value,
               gpointer    data)
{
  g_string_append_printf (data, "%s: %s\r\n", name, value);
}

/* Refuses an upload from its headers alone. With `Expect: 100-continue` (or no body) libsoup
 * answers without reading a body; otherwise libsoup would read the whole announced body first,
 * so the connection is taken over, the answer written directly and the body drained (bounded)
 * before the connection closes, or a client still sending would read a reset instead. */
/**
 * vital_server_respond_before_body:
 * @self: the #VitalServer that received @msg
 * @msg: a request seen by an early handler (only its headers are read)
 * @error: why it is refused
 *
 * Answers @msg with the standard error body without ever reading its request body, as
 * described above; usable from the early handlers of other dialects too.
 */
void
vital_server_respond_before_body (VitalServer       *self,
                                  SoupServerMessage *msg,
                                  const GError      *error)
{
  VitalServerError code = error->domain == VITAL_SERVER_ERROR ? (VitalServerError) error->code
                                                              : VITAL_SERVER_ERROR_INTERNAL;
  g_autoptr(JsonNode) body = vital_server_json_error_body (error, NULL);

  vital_server_respond_before_body_json (self, msg, vital_server_error_http_status (code), body);
}

/**
 * vital_server_respond_before_body_json:
 * @self: the #VitalServer that received @msg
 * @msg: a request seen by an early handler (only its headers are read)
 * @status: the HTTP status
 * @body: the JSON answer, in the caller's dialect
 *
 * Like vital_server_respond_before_body(), for a dialect with an error shape of its own.
 */
void
vital_server_respond_before_body_json (VitalServer       *self,
                                       SoupServerMessage *msg,
                                       guint              status,
                                       JsonNode          *body)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (req);
  gboolean body_follows = encoding == SOUP_ENCODING_CHUNKED
                          || (encoding == SOUP_ENCODING_CONTENT_LENGTH
                              && soup_message_headers_get_content_length (req) > 0);

  if (!body_follows || (soup_message_headers_get_expectations (req) & SOUP_EXPECTATION_CONTINUE))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                    "close");
      vital_server_json_respond (msg, status, body);
      return;
    }
  vital_server_respond_and_close (self, msg, status, body);
}

/**
 * vital_server_respond_and_close:
 * @self: the #VitalServer that received @msg
 * @msg: a request whose body is not (fully) read; paused, or seen by an early handler
 * @status: the HTTP status
 * @body: the JSON answer, in the caller's dialect
 *
 * Takes the connection over from libsoup, writes the answer at once, whatever of the request
 * body is still to come, and closes the connection after a bounded lingering read (so the
 * client can read the answer). For refusing an upload midway, e.g. once it passes a cap; @msg
 * must not be used afterwards except to drop references.
 */
void
vital_server_respond_and_close (VitalServer       *self,
                                SoupServerMessage *msg,
                                guint              status,
                                JsonNode          *body)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (req);
  g_autofree char *text = NULL;
  g_autoptr(GString) head = NULL;
  g_autoptr(GBytes) response = NULL;

  soup_message_headers_replace (resp, "Connection", "close");
  text = vital_server_json_to_string (body);
  head = g_string_new (NULL);
  g_string_append_printf (head, "HTTP/1.1 %u %s\r\n", status, soup_status_get_phrase (status));
  soup_message_headers_foreach (resp, append_header, head);
  g_string_append_printf (head, "Server: " VITAL_SERVER_SERVICE_NAME "/" VITAL_VERSION "\r\n"
                                "Content-Type: application/json\r\n"
                                "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n%s",
                          strlen (text), text);
  response = g_string_free_to_bytes (g_steal_pointer (&head));
  /* A body of announced length is drained whole (within the layer's bounds); an endless
   * chunked one only so far. */
  vital_connections_answer_and_drain (self->connections, msg, response,
                                      encoding == SOUP_ENCODING_CONTENT_LENGTH
                                      ? (guint64) soup_message_headers_get_content_length (req)
                                      : CHUNKED_DRAIN_BYTES);
}

void
vital_route_upload_early (SoupServer        *server,
                          SoupServerMessage *msg,
                          const char        *path,
                          GHashTable        *query,
                          gpointer           data)
{
  VitalServer *self = data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSession) session = NULL;
  g_autofree char *id = NULL;
  g_autofree char *ctype = NULL;
  const char *expires_text;
  const char *signature;
  gint64 expires = 0;
  gint64 now;
  goffset length;
  Upload *upload;

  if (!vital_request_match_path (path, "/sdk/session/{id}/upload", &id))
    {
      /* Other requests carry at most a small JSON body: never buffer a big one. */
      SoupEncoding encoding = soup_message_headers_get_encoding (headers);

      if (encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF)
        g_set_error_literal (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_LENGTH_REQUIRED,
                             "Request bodies need a Content-Length header");
      else if (encoding == SOUP_ENCODING_CONTENT_LENGTH
               && soup_message_headers_get_content_length (headers) > VITAL_REQUEST_MAX_JSON_BODY)
        g_set_error (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_PAYLOAD_TOO_LARGE,
                     "The request body is larger than %u bytes", VITAL_REQUEST_MAX_JSON_BODY);
      else
        return;
      vital_server_charge (self, msg, NULL, NULL);
      vital_server_respond_before_body (self, msg, error);
      return;
    }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_PUT)
    return;  /* the main handler answers 405 */

  if (!vital_server_charge (self, msg, NULL, &error))
    goto fail;
  if (g_atomic_int_get (&self->shutting_down))
    {
      g_set_error_literal (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SERVICE_UNAVAILABLE,
                           "The server is shutting down; retry shortly");
      goto fail;
    }

  expires_text = query != NULL ? g_hash_table_lookup (query, "expires") : NULL;
  signature = query != NULL ? g_hash_table_lookup (query, "signature") : NULL;
  if (expires_text == NULL || !g_ascii_string_to_signed (expires_text, 10, 0, G_MAXINT64,
                                                          &expires, NULL)
      || !vital_session_id_is_valid (id)
      || !vital_presign_verify (self->secret, id, expires, signature))
    {
      g_set_error_literal (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_FORBIDDEN,
                           "The upload URL is not valid; use the upload_url returned by "
                           "/sdk/session/start unchanged");
      goto fail;
    }
  now = vital_clock_now_us (self->clock);
  if (now >= expires * G_USEC_PER_SEC)
    {
      g_set_error (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SESSION_EXPIRED,
                   "Session %s expired; start a new session", id);
      goto fail;
    }

  ctype = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  if (g_strcmp0 (ctype, "application/octet-stream") != 0)
    {
      g_set_error (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_UNSUPPORTED_MEDIA_TYPE,
                   "The payload must be sent as application/octet-stream, not %s",
                   ctype != NULL ? ctype : "(no Content-Type)");
      goto fail;
    }
  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    {
      g_set_error_literal (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_LENGTH_REQUIRED,
                           "The upload needs a Content-Length header (chunked uploads are "
                           "not accepted)");
      goto fail;
    }
  length = soup_message_headers_get_content_length (headers);
  if (length <= 0)
    {
      g_set_error_literal (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INVALID_REQUEST,
                           "The payload is empty");
      goto fail;
    }
  if ((guint64) length > self->config->max_upload_bytes)
    {
      g_set_error (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_PAYLOAD_TOO_LARGE,
                   "The payload is %" G_GOFFSET_FORMAT " bytes; the limit is %" G_GUINT64_FORMAT
                   " bytes", length, self->config->max_upload_bytes);
      goto fail;
    }

  session = uploadable_session (self, id, now, &error);
  if (session == NULL)
    goto fail;

  upload = g_new0 (Upload, 1);
  upload->server = self;
  upload->fd = -1;
  upload->length = length;
  upload->owner = g_strdup (session->key_id);
  if (self->streaming_uploads < MAX_STREAMING_UPLOADS)
    {
      upload->reader = vital_tensor_reader_new ((gsize) length);
      self->streaming_uploads++;
    }
  upload->buffer = g_malloc (UPLOAD_BUFFER_BYTES);
  upload->session_id = g_strdup (id);
  {
    guint8 rnd[8];
    g_autofree char *name = NULL;

    if (!vital_random_fill (rnd, sizeof rnd, &error))
      {
        upload_free (upload);
        goto fail;
      }
    name = g_strdup_printf ("%s.%02x%02x%02x%02x%02x%02x%02x%02x.part", id, rnd[0], rnd[1],
                            rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
    upload->part_path = g_build_filename (self->spool_dir, name, NULL);
  }
  upload->fd = g_open (upload->part_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (upload->fd < 0)
    {
      int saved = errno;

      g_free (g_steal_pointer (&upload->part_path));
      upload_free (upload);
      g_set_error (&error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INTERNAL,
                   "The upload could not be stored: %s", g_strerror (saved));
      goto fail;
    }
  g_object_set_data_full (G_OBJECT (msg), UPLOAD_DATA_KEY, upload, upload_free);
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (upload_got_chunk), upload);
  return;

fail:
  g_info ("session %s: upload refused (%s)", vital_session_id_is_valid (id) ? id : "-",
          error->domain == VITAL_SERVER_ERROR
          ? vital_server_error_wire_code ((VitalServerError) error->code) : "INTERNAL");
  vital_server_respond_before_body (self, msg, error);
}

gboolean
vital_route_upload (VitalServer        *self,
                    SoupServerMessage  *msg,
                    const VitalKeyInfo *key,
                    const char         *id,
                    GHashTable         *query,
                    GError            **error)
{
  Upload *upload = g_object_get_data (G_OBJECT (msg), UPLOAD_DATA_KEY);
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *payload_path = NULL;
  gint64 now = vital_clock_now_us (self->clock);

  /* Charged in the early handler; a 100 Continue clears response headers, so set them again. */
  vital_server_set_rate_headers (self, msg, NULL);

  if (upload == NULL)
    {
      vital_request_refuse (msg, VITAL_SERVER_ERROR_INTERNAL, NULL, "The upload was not prepared");
      return TRUE;
    }
  if (!upload_flush (upload) || fsync (upload->fd) != 0)
    {
      vital_request_refuse (msg, VITAL_SERVER_ERROR_INTERNAL, NULL,
                            "The upload could not be stored: %s",
                            g_strerror (upload->write_errno != 0 ? upload->write_errno : errno));
      return TRUE;
    }
  close (upload->fd);
  upload->fd = -1;

  payload_path = vital_server_payload_path (self, id);
  {
    g_autoptr(VitalSession) session = uploadable_session (self, id, now, error);

    if (session == NULL)
      return FALSE;
  }
  if (g_rename (upload->part_path, payload_path) != 0)
    {
      int saved = errno;

      g_set_error (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_INTERNAL,
                   "The upload could not be stored: %s", g_strerror (saved));
      return FALSE;
    }
  upload->committed = TRUE;
  if (!vital_session_store_mark_uploaded_on (self->store, id, upload->received, self->node_id,
                                             now, error))
    {
      g_unlink (payload_path);
      vital_processor_forget (self->processor, id);
      return FALSE;
    }
  /* Its decode, started as the bytes came in, is finished on the worker pool (memory only);
   * upload-complete then only runs the engine. This replaces (and makes stale) the decode of a
   * previous PUT of this session. */
  /* The reservation goes with the reader. */
  vital_processor_prepare (self->processor, id, upload->owner, payload_path,
                           upload->sized ? upload->reader : NULL, upload->reserved);
  upload->reserved = 0;

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "session_id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "uploaded");
  json_builder_set_member_name (b, "bytes");
  json_builder_add_int_value (b, upload->received);
  vital_server_json_respond_object (msg, SOUP_STATUS_OK, b);
  g_info ("session %s: uploaded", id);
  return TRUE;
}
