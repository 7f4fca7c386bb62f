/* vital-v1-upload.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalV1Upload: a /v1 multipart/form-data body streamed to a 0600 spool file under a hard cap,
 * and one form field copied out of that file to a file of its own, never read into memory.
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define VITAL_V1_UPLOAD_ERROR (vital_v1_upload_error_quark ())

/**
 * VitalV1UploadError:
 * @VITAL_V1_UPLOAD_ERROR_NOT_MULTIPART: the Content-Type is not multipart/form-data with a
 *   usable boundary
 * @VITAL_V1_UPLOAD_ERROR_TOO_LARGE: the body, or the field copied out, is over its cap
 * @VITAL_V1_UPLOAD_ERROR_MALFORMED: the body is not a well-formed multipart body (no boundary
 *   line, truncated, part headers too long or unreadable)
 * @VITAL_V1_UPLOAD_ERROR_NO_FIELD: the form has no field of that name
 * @VITAL_V1_UPLOAD_ERROR_IO: the spool or the field's file could not be written or read
 *
 * Errors of a /v1 upload.
 */
typedef enum
{
  VITAL_V1_UPLOAD_ERROR_NOT_MULTIPART,
  VITAL_V1_UPLOAD_ERROR_TOO_LARGE,
  VITAL_V1_UPLOAD_ERROR_MALFORMED,
  VITAL_V1_UPLOAD_ERROR_NO_FIELD,
  VITAL_V1_UPLOAD_ERROR_IO,
} VitalV1UploadError;

GQuark vital_v1_upload_error_quark (void);

typedef struct _VitalV1Upload VitalV1Upload;

char          *vital_v1_upload_parse_boundary (SoupMessageHeaders *headers,
                                               GError            **error);
VitalV1Upload *vital_v1_upload_new            (const char         *spool_dir,
                                               const char         *boundary,
                                               goffset             max_bytes,
                                               GError            **error);
gboolean       vital_v1_upload_append         (VitalV1Upload      *self,
                                               const guint8       *data,
                                               gsize               len,
                                               GError            **error);
goffset        vital_v1_upload_get_received   (VitalV1Upload      *self);
gboolean       vital_v1_upload_extract_field  (VitalV1Upload      *self,
                                               const char         *name,
                                               const char         *dest_path,
                                               goffset             max_field_bytes,
                                               goffset            *out_size,
                                               GError            **error);
void           vital_v1_upload_free           (VitalV1Upload      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalV1Upload, vital_v1_upload_free)

G_END_DECLS
