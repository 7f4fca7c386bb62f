/* vital-gzip.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to libvitalscan-core: gzip compression of a payload on every core, as one standard
 * gzip member whose header indexes its independently compressed chunks, and the reading of that
 * index.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

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
gboolean             vital_gzip_trailer_matches (const guint8 *member,
                                                 gsize         member_size,
                                                 guint32       crc,
                                                 gsize         inflated_size);
gboolean             vital_gzip_inflate_chunk (const guint8   *in,
                                               gsize           in_len,
                                               gboolean        last,
                                               guint8         *out,
                                               gsize           out_len);

G_END_DECLS
