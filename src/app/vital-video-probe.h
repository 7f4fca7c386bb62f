/* vital-video-probe.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How long a video file lasts, found before it is read, so that reading it can show progress.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void    vital_video_probe_duration_async  (GFile               *file,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
double  vital_video_probe_duration_finish (GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
