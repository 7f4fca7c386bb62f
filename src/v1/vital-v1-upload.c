/* vital-v1-upload.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalV1Upload: a /v1 multipart/form-data body streamed to a 0600 spool file under a hard cap,
 * and one form field copied out of that file to a file of its own, never read into memory.
 * The spool file is named `v1-*.upload.part`, so a restarted server deletes it if a crash left
 * it behind (VitalServer deletes `*.part` from its spool at start).
 */
#include "vital-config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "vital-v1-upload.h"

/* RFC 2046 §5.1.1: a boundary is 1 to 70 characters. */
#define MAX_BOUNDARY 70
/* Spaces or tabs allowed between a boundary and the end of its line. */
#define MAX_PADDING 32
#define MAX_PART_HEADERS (16 * 1024)
#define READ_BLOCK (64 * 1024)

G_DEFINE_QUARK (vital-v1-upload-error-quark, vital_v1_upload_error)

struct _VitalV1Upload
{
  char   *path;
  int     fd;          /* -1 once the spool is gone (refused, or freed) */
  char   *delimiter;   /* "\r\n--" boundary */
  gsize   delimiter_len;
  goffset max_bytes;
  goffset received;
};

/**
 * vital_v1_upload_parse_boundary:
 * @headers: the request headers of an upload
 * @error: return location for a #GError (%VITAL_V1_UPLOAD_ERROR_NOT_MULTIPART)
 *
 * Reads the boundary of a `multipart/form-data` Content-Type: 1 to 70 printable characters.
 *
 * Returns: (transfer full) (nullable): the boundary; free with g_free()
 */
char *
vital_v1_upload_parse_boundary (SoupMessageHeaders  *headers,
                                GError             **error)
{
  g_autoptr(GHashTable) params = NULL;
  const char *type = soup_message_headers_get_content_type (headers, &params);
  const char *boundary;
  gsize len;

  if (type == NULL || g_ascii_strcasecmp (type, "multipart/form-data") != 0)
    {
      g_set_error_literal (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_NOT_MULTIPART,
                           "Expected a multipart/form-data body with a `file` field");
      return NULL;
    }
  boundary = params != NULL ? g_hash_table_lookup (params, "boundary") : NULL;
  len = boundary != NULL ? strlen (boundary) : 0;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isprint (boundary[i]))
      len = 0;
  if (len == 0 || len > MAX_BOUNDARY)
    {
      g_set_error (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_NOT_MULTIPART,
                   "The multipart/form-data Content-Type needs a boundary of 1 to %d printable "
                   "characters", MAX_BOUNDARY);
      return NULL;
    }
  return g_strdup (boundary);
}

/**
 * vital_v1_upload_new:
 * @spool_dir: where to spool (the server's spool directory)
 * @boundary: the body's multipart boundary (see vital_v1_upload_parse_boundary())
 * @max_bytes: the hard cap on the body
 * @error: return location for a #GError (%VITAL_V1_UPLOAD_ERROR_IO)
 *
 * Creates an owner-only (0600) spool file for one upload body.
 *
 * Returns: (transfer full) (nullable): the upload; free with vital_v1_upload_free(), which
 *   deletes its spool file
 */
VitalV1Upload *
vital_v1_upload_new (const char  *spool_dir,
                     const char  *boundary,
                     goffset      max_bytes,
                     GError     **error)
{
  g_autoptr(VitalV1Upload) self = g_new0 (VitalV1Upload, 1);

  g_return_val_if_fail (spool_dir != NULL && boundary != NULL, NULL);

  self->fd = -1;
  self->delimiter = g_strconcat ("\r\n--", boundary, NULL);
  self->delimiter_len = strlen (self->delimiter);
  self->max_bytes = max_bytes;
  self->path = g_build_filename (spool_dir, "v1-XXXXXX.upload.part", NULL);
  self->fd = g_mkstemp_full (self->path, O_RDWR | O_CLOEXEC, 0600);
  if (self->fd < 0)
    {
      int saved = errno;

      g_clear_pointer (&self->path, g_free);
      g_set_error (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_IO,
                   "The upload could not be stored: %s", g_strerror (saved));
      return NULL;
    }
  return g_steal_pointer (&self);
}

/* Closes and deletes the spool file; later appends and extractions fail. */
static void
discard (VitalV1Upload *self)
{
  if (self->fd >= 0)
    close (self->fd);
  self->fd = -1;
  if (self->path != NULL)
    g_unlink (self->path);
  g_clear_pointer (&self->path, g_free);
}

static gboolean
write_all (int            fd,
           const guint8  *data,
           gsize          len,
           GError       **error)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_IO,
                       "The upload could not be stored: %s", g_strerror (saved));
          return FALSE;
        }
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/**
 * vital_v1_upload_append:
 * @self: an upload
 * @data: (array length=len): the next bytes of the body
 * @len: how many
 * @error: return location for a #GError
 *
 * Writes the next bytes of the body to the spool. Once the body would pass the cap it fails
 * with %VITAL_V1_UPLOAD_ERROR_TOO_LARGE and deletes the spool file at once (nothing more is
 * written); a write error gives %VITAL_V1_UPLOAD_ERROR_IO, likewise.
 *
 * Returns: %TRUE when the bytes were written
 */
gboolean
vital_v1_upload_append (VitalV1Upload  *self,
                        const guint8   *data,
                        gsize           len,
                        GError        **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->fd < 0)
    {
      g_set_error_literal (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_IO,
                           "The upload was already refused");
      return FALSE;
    }
  if ((goffset) len > self->max_bytes - self->received)
    {
      discard (self);
      g_set_error (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_TOO_LARGE,
                   "The upload is larger than %" G_GOFFSET_FORMAT " bytes", self->max_bytes);
      return FALSE;
    }
  if (!write_all (self->fd, data, len, error))
    {
      discard (self);
      return FALSE;
    }
  self->received += (goffset) len;
  return TRUE;
}

/**
 * vital_v1_upload_get_received:
 * @self: an upload
 *
 * Returns: how many body bytes were spooled so far
 */
goffset
vital_v1_upload_get_received (VitalV1Upload *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->received;
}

/* ---- reading the spooled body back ------------------------------------------------------ */

typedef struct
{
  int      fd;
  guint8  *buf;
  gsize    start;
  gsize    end;
  gboolean eof;
} Reader;

typedef gboolean (*SinkFunc) (const guint8  *data,
                              gsize          len,
                              gpointer       user_data,
                              GError       **error);

typedef enum
{
  BOUNDARY_NONE,  /* the body ended first */
  BOUNDARY_PART,  /* a part follows */
  BOUNDARY_CLOSE, /* the closing boundary */
  BOUNDARY_NOT,   /* "--boundary" followed by something else: content */
} BoundaryKind;

/* Makes at least @want bytes readable from r->start, fewer only where the file ends. */
static gboolean
reader_ensure (Reader  *r,
               gsize    want,
               GError **error)
{
  g_assert (want <= READ_BLOCK);
  if (r->end - r->start >= want || r->eof)
    return TRUE;
  memmove (r->buf, r->buf + r->start, r->end - r->start);
  r->end -= r->start;
  r->start = 0;
  while (r->end < want && !r->eof)
    {
      ssize_t n = read (r->fd, r->buf + r->end, READ_BLOCK - r->end);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_IO,
                       "The upload could not be read back: %s", g_strerror (saved));
          return FALSE;
        }
      if (n == 0)
        r->eof = TRUE;
      r->end += (gsize) n;
    }
  return TRUE;
}

/* Hands everything before the next @pattern to @sink (skipped when %NULL) and consumes the
 * pattern; *found is %FALSE when the file ended first. */
static gboolean
reader_until (Reader       *r,
              const char   *pattern,
              gsize         len,
              SinkFunc      sink,
              gpointer      data,
              gboolean     *found,
              GError      **error)
{
  *found = FALSE;
  for (;;)
    {
      const guint8 *base;
      const guint8 *hit;
      gsize avail;
      gsize n;

      if (!reader_ensure (r, len, error))
        return FALSE;
      base = r->buf + r->start;
      avail = r->end - r->start;
      hit = avail >= len ? memmem (base, avail, pattern, len) : NULL;
      if (hit != NULL)
        {
          n = (gsize) (hit - base);
          if (sink != NULL && n > 0 && !sink (base, n, data, error))
            return FALSE;
          r->start += n + len;
          *found = TRUE;
          return TRUE;
        }
      if (r->eof)
        {
          r->start = r->end;
          return TRUE;
        }
      /* Keep what could be the start of a pattern split across two reads. */
      n = avail - (len - 1);
      if (sink != NULL && !sink (base, n, data, error))
        return FALSE;
      r->start += n;
    }
}

/* After "\r\n--boundary": "--" closes the body; spaces or tabs then CRLF start a part (the CRLF
 * is left in place, as the start of the part's header block). */
static gboolean
reader_boundary_kind (Reader        *r,
                      BoundaryKind  *kind,
                      GError       **error)
{
  const guint8 *p;
  gsize avail;
  gsize i = 0;

  if (!reader_ensure (r, 2 + MAX_PADDING, error))
    return FALSE;
  p = r->buf + r->start;
  avail = r->end - r->start;
  *kind = BOUNDARY_NOT;
  if (avail >= 2 && p[0] == '-' && p[1] == '-')
    *kind = BOUNDARY_CLOSE;
  else
    {
      while (i < avail && i < MAX_PADDING && (p[i] == ' ' || p[i] == '\t'))
        i++;
      if (i + 2 <= avail && p[i] == '\r' && p[i + 1] == '\n')
        {
          r->start += i;
          *kind = BOUNDARY_PART;
        }
    }
  return TRUE;
}

/* Passes the content up to the next real boundary to @sink. */
static gboolean
next_boundary (VitalV1Upload  *self,
               Reader         *r,
               SinkFunc        sink,
               gpointer        data,
               BoundaryKind   *kind,
               GError        **error)
{
  for (;;)
    {
      gboolean found;

      if (!reader_until (r, self->delimiter, self->delimiter_len, sink, data, &found, error))
        return FALSE;
      if (!found)
        {
          *kind = BOUNDARY_NONE;
          return TRUE;
        }
      if (!reader_boundary_kind (r, kind, error))
        return FALSE;
      if (*kind != BOUNDARY_NOT)
        return TRUE;
      if (sink != NULL
          && !sink ((const guint8 *) self->delimiter, self->delimiter_len, data, error))
        return FALSE;
    }
}

static gboolean
headers_sink (const guint8  *data,
              gsize          len,
              gpointer       user_data,
              GError       **error)
{
  GString *text = user_data;

  if (text->len + len > MAX_PART_HEADERS)
    {
      g_set_error (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_MALFORMED,
                   "A part's headers are longer than %d bytes", MAX_PART_HEADERS);
      return FALSE;
    }
  g_string_append_len (text, (const char *) data, (gssize) len);
  return TRUE;
}

typedef struct
{
  int         fd;
  goffset     written;
  goffset     max;
  const char *name;
} FieldSink;

static gboolean
field_sink (const guint8  *data,
            gsize          len,
            gpointer       user_data,
            GError       **error)
{
  FieldSink *field = user_data;

  if ((goffset) len > field->max - field->written)
    {
      g_set_error (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_TOO_LARGE,
                   "The `%s` field is larger than %" G_GOFFSET_FORMAT " bytes", field->name,
                   field->max);
      return FALSE;
    }
  if (!write_all (field->fd, data, len, error))
    return FALSE;
  field->written += (goffset) len;
  return TRUE;
}

/* Reads the part headers that follow a boundary line; *is_field tells whether the part is the
 * form field @name. */
static gboolean
read_part_headers (Reader      *r,
                   const char  *name,
                   gboolean    *is_field,
                   GError     **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GHashTable) params = NULL;
  gboolean found;

  /* The block starts with the CRLF that ends the boundary line, so an empty block is found
   * too; soup_headers_parse() skips that first (empty) line. */
  if (!reader_until (r, "\r\n\r\n", 4, headers_sink, text, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error_literal (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_MALFORMED,
                           "The multipart body is truncated (in a part's headers)");
      return FALSE;
    }
  g_string_append (text, "\r\n");
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  if (!soup_headers_parse (text->str, (int) text->len, headers))
    {
      g_set_error_literal (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_MALFORMED,
                           "A part's headers could not be read");
      return FALSE;
    }
  *is_field = soup_message_headers_get_content_disposition (headers, NULL, &params)
              && params != NULL && g_strcmp0 (g_hash_table_lookup (params, "name"), name) == 0;
  return TRUE;
}

static gboolean
extract (VitalV1Upload  *self,
         int             dest_fd,
         const char     *name,
         goffset         max_field_bytes,
         goffset        *out_size,
         GError        **error)
{
  g_autofree guint8 *buf = g_malloc (READ_BLOCK);
  Reader r = { self->fd, buf, 0, 2, FALSE };
  BoundaryKind kind;

  /* A body may start with its first boundary line: read it as if a CRLF came before. */
  memcpy (buf, "\r\n", 2);
  if (!next_boundary (self, &r, NULL, NULL, &kind, error))
    return FALSE;
  if (kind == BOUNDARY_NONE)
    {
      g_set_error_literal (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_MALFORMED,
                           "The body has no multipart boundary line");
      return FALSE;
    }
  while (kind == BOUNDARY_PART)
    {
      gboolean is_field = FALSE;

      if (!read_part_headers (&r, name, &is_field, error))
        return FALSE;
      if (is_field)
        {
          FieldSink field = { dest_fd, 0, max_field_bytes, name };

          if (!next_boundary (self, &r, field_sink, &field, &kind, error))
            return FALSE;
          if (kind == BOUNDARY_NONE)
            {
              g_set_error (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_MALFORMED,
                           "The multipart body is truncated (the `%s` part has no closing "
                           "boundary)", name);
              return FALSE;
            }
          *out_size = field.written;
          return TRUE;
        }
      if (!next_boundary (self, &r, NULL, NULL, &kind, error))
        return FALSE;
      if (kind == BOUNDARY_NONE)
        {
          g_set_error_literal (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_MALFORMED,
                               "The multipart body is truncated (a part has no closing "
                               "boundary)");
          return FALSE;
        }
    }
  g_set_error (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_NO_FIELD,
               "The form has no `%s` field", name);
  return FALSE;
}

/**
 * vital_v1_upload_extract_field:
 * @self: an upload whose body was fully appended
 * @name: the form field to copy out, e.g. "file"
 * @dest_path: the file to create (0600; it must not exist)
 * @max_field_bytes: the largest field accepted
 * @out_size: (out): the field's size in bytes
 * @error: return location for a #GError
 *
 * Reads the spooled body back in blocks and copies the first part named @name to @dest_path.
 * May run on any thread, as long as nothing else uses @self meanwhile. On failure @dest_path
 * is removed again.
 *
 * Returns: %TRUE when the field was copied
 */
gboolean
vital_v1_upload_extract_field (VitalV1Upload  *self,
                               const char     *name,
                               const char     *dest_path,
                               goffset         max_field_bytes,
                               goffset        *out_size,
                               GError        **error)
{
  int dest_fd;
  gboolean ok;

  g_return_val_if_fail (self != NULL && name != NULL && dest_path != NULL, FALSE);

  if (self->fd < 0 || lseek (self->fd, 0, SEEK_SET) != 0)
    {
      g_set_error_literal (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_IO,
                           "The upload is no longer spooled");
      return FALSE;
    }
  dest_fd = g_open (dest_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (dest_fd < 0)
    {
      int saved = errno;

      g_set_error (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_IO,
                   "The `%s` field could not be stored: %s", name, g_strerror (saved));
      return FALSE;
    }
  ok = extract (self, dest_fd, name, max_field_bytes, out_size, error);
  if (close (dest_fd) != 0 && ok)
    {
      int saved = errno;

      g_set_error (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_IO,
                   "The `%s` field could not be stored: %s", name, g_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (dest_path);
  return ok;
}

/**
 * vital_v1_upload_free:
 * @self: (transfer full) (nullable): an upload
 *
 * Deletes the spool file and frees @self.
 */
void
vital_v1_upload_free (VitalV1Upload *self)
{
  if (self == NULL)
    return;
  discard (self);
  g_free (self->delimiter);
  g_free (self);
}
