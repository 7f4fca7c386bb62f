/* vital-keys.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalKeys: the API keys a server accepts, stored as SHA-256 hashes (never plaintext).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  VITAL_KEY_ENV_TEST,  /* ck_test_: sandbox, synthetic vitals, no quota */
  VITAL_KEY_ENV_LIVE,  /* ck_live_: real processing, monthly quota */
} VitalKeyEnvironment;

/**
 * VitalKeyInfo:
 * @key_id: a public identifier derived from the key's hash (safe to store and log)
 * @owner: who the key belongs to
 * @environment: test or live
 * @rate_limit: requests per minute, 0 for unlimited
 * @monthly_quota: sessions per calendar month (UTC), 0 for unlimited; ignored for test keys
 * @revoked: a revoked key authenticates like an unknown one (401)
 *
 * What the server knows about one key.
 */
typedef struct
{
  char               *key_id;
  char               *owner;
  VitalKeyEnvironment environment;
  guint               rate_limit;
  guint               monthly_quota;
  gboolean            revoked;
} VitalKeyInfo;

#define VITAL_TYPE_KEY_INFO (vital_key_info_get_type ())
GType         vital_key_info_get_type (void) G_GNUC_CONST;
VitalKeyInfo *vital_key_info_copy     (const VitalKeyInfo *info);
void          vital_key_info_free     (VitalKeyInfo       *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalKeyInfo, vital_key_info_free)

#define VITAL_TYPE_KEYS (vital_keys_get_type ())
G_DECLARE_FINAL_TYPE (VitalKeys, vital_keys, VITAL, KEYS, GObject)

VitalKeys    *vital_keys_new              (void);
gboolean      vital_keys_load_file        (VitalKeys           *self,
                                           const char          *path,
                                           GError             **error);
gboolean      vital_keys_reload           (VitalKeys           *self,
                                           GError             **error);
gboolean      vital_keys_watch            (VitalKeys           *self,
                                           GMainContext        *context,
                                           GError             **error);
gboolean      vital_keys_add              (VitalKeys           *self,
                                           const char          *plaintext_key,
                                           const char          *owner,
                                           guint                rate_limit,
                                           guint                monthly_quota,
                                           GError             **error);
gboolean      vital_keys_revoke           (VitalKeys           *self,
                                           const char          *plaintext_key);
VitalKeyInfo *vital_keys_lookup           (VitalKeys           *self,
                                           const char          *plaintext_key);
guint         vital_keys_get_count        (VitalKeys           *self);

gboolean      vital_key_is_well_formed    (const char          *plaintext_key,
                                           VitalKeyEnvironment *out_environment);
char         *vital_key_hash              (const char          *plaintext_key);
char         *vital_key_generate          (VitalKeyEnvironment  environment,
                                           GError             **error);
char         *vital_key_format_entry      (const char          *plaintext_key,
                                           const char          *owner,
                                           guint                rate_limit,
                                           guint                monthly_quota);
const char   *vital_key_environment_to_string (VitalKeyEnvironment environment);

G_END_DECLS
