/* vital-secret-store.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The API key in the Secret Service (libsecret), one per server URL; never in GSettings.
 */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

const SecretSchema *vital_secret_store_get_schema   (void);

void      vital_secret_store_save_async    (const char           *server_url,
                                            const char           *api_key,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean  vital_secret_store_save_finish   (GAsyncResult         *result,
                                            GError              **error);
void      vital_secret_store_lookup_async  (const char           *server_url,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
char     *vital_secret_store_lookup_finish (GAsyncResult         *result,
                                            GError              **error);
void      vital_secret_store_clear_async   (const char           *server_url,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean  vital_secret_store_clear_finish  (GAsyncResult         *result,
                                            GError              **error);

const char *vital_api_key_get_environment  (const char           *api_key);

G_END_DECLS
