/* vital-v1-video.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * POST /v1/scan-session/{id}/video: refused from its headers when it can be (session, type,
 * announced size), else streamed to a spool file (vital-v1-upload.c) and cut off with 413 once
 * it passes the cap; the `file` part is then copied out and checked off the server thread, and
 * handed to the server as the session's payload: processed by its worker pool like any
 * session's (202).
 */
#include "vital-config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "vital-capture.h"
#include "vital-server-json.h"
#include "vital-v1-private.h"
#include "vital-v1-upload.h"

/* Multipart framing around a file of at most VITAL_CAPTURE_MAX_FILE_SIZE. */
#define MULTIPART_OVERHEAD (64 * 1024)
#define MAX_UPLOAD ((goffset) VITAL_CAPTURE_MAX_FILE_SIZE + MULTIPART_OVERHEAD)

#define RECEIVE_DATA_KEY "vital-v1-receive"
#define TOO_LARGE_DETAIL "Video file too large; the limit is 100 MB"

/* One video upload: spooled while it arrives, then checked off the server thread. */
typedef struct
{
  VitalV1           *v1;           /* not owned: the server owns it, and outlives the request */
  VitalV1Upload     *upload;
  gboolean           refused;      /* cut off midway (over the cap, or the spool failed) */
  SoupServerMessage *msg;          /* owned once the body is in */
  gulong             finished_id;
  gboolean           gone;         /* the client went away while the video was checked */
  char              *session_id;   /* set while this node lists it as receiving */
  char              *video_path;   /* owned (deleted on free) until handed to the server */
  goffset            video_size;
  guint              status;       /* the refusal; 0 when the video is accepted */
  char              *detail;
} Receive;

static void
receive_free (gpointer data)
{
  Receive *rx = data;

  if (rx->msg != NULL)
    {
      if (rx->finished_id != 0)
        g_signal_handler_disconnect (rx->msg, rx->finished_id);
      g_object_unref (rx->msg);
    }
  g_clear_pointer (&rx->upload, vital_v1_upload_free);
  if (rx->video_path != NULL)
    g_unlink (rx->video_path);
  g_free (rx->video_path);
  g_free (rx->session_id);
  g_free (rx->detail);
  g_free (rx);
}

/* Whether a video may be uploaded to @session now: none came yet (a previous one may have been
 * refused), and none is being checked on this node. Answers 409 otherwise. */
static gboolean
accepts_video (VitalV1            *v1,
               const VitalSession *session,
               GError            **error)
{
  if ((session->status == VITAL_SESSION_PENDING || session->status == VITAL_SESSION_UPLOADED)
      && !g_hash_table_contains (v1->receiving, session->id))
    return TRUE;
  g_set_error_literal (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_ILLEGAL_TRANSITION,
                       "A video was already uploaded for this session");
  return FALSE;
}

/* Known video containers by their first bytes: ISO BMFF (MP4/MOV), Matroska/WebM, AVI. */
static gboolean
looks_like_video (const guint8 *data,
                  gsize         length)
{
  if (length >= 12 && memcmp (data + 4, "ftyp", 4) == 0)
    return TRUE;
  if (length >= 12 && (memcmp (data + 4, "moov", 4) == 0 || memcmp (data + 4, "mdat", 4) == 0
                       || memcmp (data + 4, "wide", 4) == 0))
    return TRUE;
  if (length >= 4 && data[0] == 0x1A && data[1] == 0x45 && data[2] == 0xDF && data[3] == 0xA3)
    return TRUE;
  if (length >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "AVI ", 4) == 0)
    return TRUE;
  return FALSE;
}

static gboolean
refuse_midway (gpointer data)
{
  SoupServerMessage *msg = data;
  Receive *rx = g_object_get_data (G_OBJECT (msg), RECEIVE_DATA_KEY);
  g_autoptr(JsonNode) body = NULL;

  if (rx == NULL)
    return G_SOURCE_REMOVE;
  body = vital_v1_detail_body (rx->detail);
  vital_server_respond_and_close (rx->v1->server, msg, rx->status, body);
  return G_SOURCE_REMOVE;
}

static void
got_chunk (SoupServerMessage *msg,
           GBytes            *chunk,
           gpointer           data)
{
  Receive *rx = data;
  g_autoptr(GError) error = NULL;
  GSource *source;
  gsize len;
  const guint8 *bytes = g_bytes_get_data (chunk, &len);

  if (rx->refused || vital_v1_upload_append (rx->upload, bytes, len, &error))
    return;

  /* Over the cap (or the spool failed): the spool file is already gone. Stop reading, and
   * answer from a clean stack, taking the connection over. */
  rx->refused = TRUE;
  if (g_error_matches (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_TOO_LARGE))
    {
      rx->status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
      rx->detail = g_strdup (TOO_LARGE_DETAIL);
    }
  else
    {
      g_warning ("v1: an upload could not be spooled: %s", error->message);
      rx->status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
      rx->detail = g_strdup ("Could not store the video");
    }
  soup_server_message_pause (msg);
  source = g_idle_source_new ();
  g_source_set_callback (source, refuse_midway, g_object_ref (msg), g_object_unref);
  g_source_attach (source, vital_server_get_context (rx->v1->server));
  g_source_unref (source);
}

/**
 * vital_v1_video_prepare:
 * @v1: the dialect
 * @msg: a POST …/video whose headers alone were read (early handler)
 * @key: its authenticated key
 * @id: the session in its path
 *
 * Refuses what the headers show is wrong: 413 over the cap (the body is never read); 404,
 * 409, 400 not multipart/form-data with a boundary (a body announced within the cap is read
 * and dropped first). Otherwise prepares the body to be streamed to the spool.
 *
 * Returns: %TRUE when the body will be read, %FALSE when @msg was answered
 */
gboolean
vital_v1_video_prepare (VitalV1            *v1,
                        SoupServerMessage  *msg,
                        const VitalKeyInfo *key,
                        const char         *id)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSession) session = NULL;
  g_autofree char *boundary = NULL;
  VitalV1Upload *upload;
  Receive *rx;

  /* Never read: an announced body over the cap. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (headers) > MAX_UPLOAD)
    {
      vital_v1_refuse (v1, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, TOO_LARGE_DETAIL);
      return FALSE;
    }
  /* Read and dropped (within the cap, nothing kept), then answered. */
  session = vital_v1_find_session (v1, key, id, &error);
  if (session == NULL || !accepts_video (v1, session, &error)
      || (boundary = vital_v1_upload_parse_boundary (headers, &error)) == NULL)
    {
      guint status = error->domain == VITAL_SERVER_ERROR
                     ? vital_server_error_http_status (error->code)
                     : SOUP_STATUS_BAD_REQUEST;

      vital_v1_refuse_after_body (v1, msg, status, error->message);
      return FALSE;
    }
  upload = vital_v1_upload_new (vital_server_get_spool_dir (v1->server), boundary, MAX_UPLOAD,
                                &error);
  if (upload == NULL)
    {
      g_warning ("v1: an upload could not be spooled: %s", error->message);
      vital_v1_refuse (v1, msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Could not store the video");
      return FALSE;
    }
  rx = g_new0 (Receive, 1);
  rx->v1 = v1;
  rx->upload = upload;
  g_object_set_data_full (G_OBJECT (msg), RECEIVE_DATA_KEY, rx, receive_free);
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk), rx);
  return TRUE;
}

/* Worker thread: copies the `file` part out of the spooled body and checks it. */
static void
check_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  Receive *rx = data;
  g_autoptr(GError) error = NULL;
  guint8 head[12];
  gssize got = 0;
  int fd;

  if (!vital_v1_upload_extract_field (rx->upload, "file", rx->video_path,
                                      VITAL_CAPTURE_MAX_FILE_SIZE, &rx->video_size, &error))
    {
      g_clear_pointer (&rx->video_path, g_free);  /* removed by the extraction */
      if (g_error_matches (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_TOO_LARGE))
        {
          rx->status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
          rx->detail = g_strdup (TOO_LARGE_DETAIL);
        }
      else if (g_error_matches (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_IO))
        {
          g_warning ("v1: a video could not be stored: %s", error->message);
          rx->status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
          rx->detail = g_strdup ("Could not store the video");
        }
      else
        {
          /* Malformed multipart or no `file` field: the message says which. */
          rx->status = SOUP_STATUS_BAD_REQUEST;
          rx->detail = g_strdup (error->message);
        }
    }
  /* The body's spool goes as soon as the video is out of it. */
  g_clear_pointer (&rx->upload, vital_v1_upload_free);
  if (rx->status == 0 && rx->video_size == 0)
    {
      rx->status = SOUP_STATUS_UNPROCESSABLE_ENTITY;
      rx->detail = g_strdup ("The video file is empty");
    }
  if (rx->status == 0)
    {
      fd = g_open (rx->video_path, O_RDONLY | O_CLOEXEC, 0);
      if (fd >= 0)
        {
          do
            got = read (fd, head, sizeof head);
          while (got < 0 && errno == EINTR);
          close (fd);
        }
      if (!looks_like_video (head, got > 0 ? (gsize) got : 0))
        {
          rx->status = SOUP_STATUS_BAD_REQUEST;
          rx->detail = g_strdup ("Unsupported video format; upload MP4, WebM, MOV or AVI");
        }
    }
  /* A refused video goes now, before the answer: the task may be freed after it is sent. */
  if (rx->status != 0 && rx->video_path != NULL)
    {
      g_unlink (rx->video_path);
      g_clear_pointer (&rx->video_path, g_free);
    }
  g_task_return_boolean (task, rx->status == 0);
}

static void
msg_finished (SoupServerMessage *msg,
              gpointer           data)
{
  Receive *rx = data;

  rx->gone = TRUE;
}

/* Server thread: an accepted video becomes the session's payload, processed by the server;
 * the upload is answered. */
static void
checked (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Receive *rx = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean queued = FALSE;

  g_hash_table_remove (rx->v1->receiving, rx->session_id);
  if (rx->status == 0)
    {
      /* Handed over: moved into the server's spool, or deleted on failure. */
      queued = vital_server_process_payload (rx->v1->server, rx->session_id, rx->video_path,
                                             rx->video_size, &error);
      g_clear_pointer (&rx->video_path, g_free);
      if (!queued)
        g_message ("v1: session %s: the video was not queued: %s", rx->session_id,
                   error->message);
    }

  /* The message is let go here, on the server thread, whichever thread frees the task. */
  g_signal_handler_disconnect (rx->msg, rx->finished_id);
  rx->finished_id = 0;
  if (!rx->gone)
    {
      if (queued)
        vital_server_json_respond_processing (rx->msg, rx->session_id);
      else if (error == NULL)
        vital_v1_respond_detail (rx->msg, rx->status, rx->detail);
      else if (g_error_matches (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_SESSION_EXPIRED)
               || g_error_matches (error, VITAL_SERVER_ERROR,
                                   VITAL_SERVER_ERROR_SESSION_NOT_FOUND))
        vital_v1_respond_detail (rx->msg, SOUP_STATUS_NOT_FOUND, "Scan session not found");
      else if (g_error_matches (error, VITAL_SERVER_ERROR, VITAL_SERVER_ERROR_ILLEGAL_TRANSITION))
        vital_v1_respond_detail (rx->msg, SOUP_STATUS_CONFLICT,
                                 "A video was already uploaded for this session");
      else
        vital_v1_respond_error (rx->msg, error);
      soup_server_message_unpause (rx->msg);
    }
  g_clear_object (&rx->msg);
}

/**
 * vital_v1_video_receive:
 * @v1: the dialect
 * @msg: a POST …/video whose body was spooled by vital_v1_video_prepare()
 * @key: its authenticated key
 * @id: the session in its path
 *
 * Lists the session as receiving on this node (a second upload meanwhile is refused) and pauses
 * @msg while a worker thread copies the `file` part out of the spool and checks it; then hands
 * the video to the server and answers 202, or answers the refusal (400, 413, 422) and lets the
 * client upload again.
 */
void
vital_v1_video_receive (VitalV1            *v1,
                        SoupServerMessage  *msg,
                        const VitalKeyInfo *key,
                        const char         *id)
{
  Receive *rx = g_object_steal_data (G_OBJECT (msg), RECEIVE_DATA_KEY);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalSession) session = NULL;
  g_autofree char *name = NULL;

  if (rx == NULL || rx->refused)
    {
      g_clear_pointer (&rx, receive_free);
      vital_v1_respond_detail (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                               "The upload was not prepared");
      return;
    }
  g_signal_handlers_disconnect_by_data (msg, rx);

  /* Looked at again: it may have expired, or another upload begun, while this one arrived. */
  session = vital_v1_find_session (v1, key, id, &error);
  if (session == NULL || !accepts_video (v1, session, &error))
    {
      receive_free (rx);
      vital_v1_respond_error (msg, error);
      return;
    }

  rx->session_id = g_strdup (id);
  g_hash_table_add (v1->receiving, g_strdup (id));
  /* `.part`: a restarted server deletes what a crash left behind. */
  name = g_strconcat ("v1-", id, ".video.part", NULL);
  rx->video_path = g_build_filename (vital_server_get_spool_dir (v1->server), name, NULL);
  rx->msg = g_object_ref (msg);
  rx->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (msg_finished), rx);
  soup_server_message_pause (msg);
  task = g_task_new (NULL, NULL, checked, NULL);
  g_task_set_task_data (task, rx, receive_free);
  g_task_run_in_thread (task, check_thread);
}
