/* vital-random.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cryptographically secure random bytes via getrandom(2).
 */
#include <errno.h>
#include <sys/random.h>
#include <gio/gio.h>

#include "vital-random.h"

/**
 * vital_random_fill:
 * @buffer: (out caller-allocates) (array length=length): where to write
 * @length: number of bytes
 * @error: return location for a #GError
 *
 * Fills @buffer with bytes from the kernel's CSPRNG (never GLib's GRand).
 *
 * Returns: %TRUE on success
 */
gboolean
vital_random_fill (guint8  *buffer,
                   gsize    length,
                   GError **error)
{
  gsize done = 0;

  while (done < length)
    {
      ssize_t n = getrandom (buffer + done, length - done, 0);

      if (n < 0)
        {
          int saved = errno;

          if (saved == EINTR)
            continue;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "Cannot read random bytes: %s", g_strerror (saved));
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

/**
 * vital_random_uuid:
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a random RFC 4122 version-4 UUID in lower case
 */
char *
vital_random_uuid (GError **error)
{
  guint8 b[16];

  if (!vital_random_fill (b, sizeof b, error))
    return NULL;
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
                          b[10], b[11], b[12], b[13], b[14], b[15]);
}
