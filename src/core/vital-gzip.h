/* vital-gzip.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to libvitalscan-core: the indexed gzip member. Writing one on every core (a standard
 * gzip member whose header indexes its independently compressed chunks), reading its index,
 * inflating its chunks on every core as their bytes arrive, and inflating a whole member of known
 * size at once. Knows nothing of tensors.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deflate's best case: 258 bytes out of a 2-bit match code, about 1032:1 once the block
 * overhead is counted. A member of N bytes never inflates to more than this many times N. */
#define VITAL_GZIP_MAX_RATIO 1032

#define VITAL_GZIP_ERROR (vital_gzip_error_quark ())

typedef enum
{
  VITAL_GZIP_ERROR_TOO_LARGE,  /* 4 GiB or more to compress: beyond the index and ISIZE */
  VITAL_GZIP_ERROR_FAILED,     /* zlib could not compress (out of memory) */
} VitalGzipError;

GQuark  vital_gzip_error_quark (void);

GBytes *vital_gzip_compress (const guint8  *data,
                             gsize          size,
                             int            level,
                             int            strategy,
                             GError       **error);

/* Where each chunk of an indexed member lies. */
typedef struct
{
  gsize  chunk_size;  /* uncompressed bytes in every chunk but the last */
  guint  n_chunks;
  gsize *starts;      /* n_chunks + 1 offsets in the member: each chunk's first byte, then the
                       * trailer's */
} VitalGzipIndex;

typedef enum
{
  VITAL_GZIP_INDEX_INCOMPLETE,  /* more of the member is needed to tell */
  VITAL_GZIP_INDEX_NONE,        /* no (usable) index: inflate the member as a whole */
  VITAL_GZIP_INDEX_FOUND,
} VitalGzipIndexStatus;

VitalGzipIndexStatus vital_gzip_read_index    (const guint8   *data,
                                               gsize           available,
                                               gsize           member_size,
                                               VitalGzipIndex *index);
void                 vital_gzip_index_clear   (VitalGzipIndex *index);

/* An indexed member whose chunks are being inflated on the shared threads. */
typedef struct _VitalGzipChunks VitalGzipChunks;

VitalGzipChunks *vital_gzip_chunks_new           (const guint8    *member,
                                                  VitalGzipIndex  *index,
                                                  gsize            inflated_size,
                                                  gsize            crc_skip);
void             vital_gzip_chunks_start         (VitalGzipChunks *self,
                                                  gsize            available);
guint            vital_gzip_chunks_get_started   (VitalGzipChunks *self);
guint            vital_gzip_chunks_get_inflated  (VitalGzipChunks *self);
GByteArray      *vital_gzip_chunks_finish        (VitalGzipChunks *self,
                                                  guint32         *out_crc);
void             vital_gzip_chunks_free          (VitalGzipChunks *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalGzipChunks, vital_gzip_chunks_free)

gboolean         vital_gzip_inflate_raw_prefix   (const guint8    *in,
                                                  gsize            in_len,
                                                  guint8          *out,
                                                  gsize            out_len);
GByteArray      *vital_gzip_inflate_exact        (const guint8    *member,
                                                  gsize            member_size,
                                                  gsize            inflated_size);

G_END_DECLS
