/* vital-test-util.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test helpers that need no server and no client: temporary folders, ports, payloads, JSON
 * readers and runs of the vitalscan-cli binary, which several test programs would otherwise
 * each write again (libsoup's tests/test-utils.c is the model).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "vital-tensor.h"

G_BEGIN_DECLS

void        vital_test_remove_tree           (const char  *path);
guint       vital_test_count_files           (const char  *path,
                                              const char  *suffix);
guint16     vital_test_unused_port           (void);

/* What vital_test_wait_until() waits for. */
typedef gboolean (*VitalTestCondition) (gpointer data);

void        vital_test_wait_until            (VitalTestCondition  holds,
                                              gpointer            data,
                                              guint               seconds);
gboolean    vital_test_is_set                (gpointer            slot);
void        vital_test_store_result          (GObject            *source,
                                              GAsyncResult       *result,
                                              gpointer            slot);

GBytes     *vital_test_placeholder_payload   (guint        frames);
GBytes     *vital_test_encode                (VitalTensor           *tensor,
                                              VitalTensorEncodeFlags flags);
GBytes     *vital_test_pattern_payload       (gsize        size);

JsonNode   *vital_test_json_parse            (const char  *text);
JsonObject *vital_test_json_object           (JsonNode    *node);
JsonNode   *vital_test_json_member           (JsonNode    *node,
                                              const char  *path);
const char *vital_test_json_string           (JsonNode    *node,
                                              const char  *path);
gboolean    vital_test_json_boolean          (JsonNode    *node,
                                              const char  *path);
double      vital_test_json_double           (JsonNode    *node,
                                              const char  *path);

typedef struct
{
  int       status;  /* the exit status */
  char     *out;     /* what it wrote to stdout */
  char     *err;     /* what it wrote to stderr */
  JsonNode *json;    /* (nullable): stdout, when that is a JSON object */
} VitalTestRun;

void        vital_test_run_clear             (VitalTestRun       *run);
void        vital_test_run_cliv              (VitalTestRun       *run,
                                              const char         *cli,
                                              const char         *api_key,
                                              const char         *command,
                                              const char * const *args);
void        vital_test_run_cli               (VitalTestRun       *run,
                                              const char         *cli,
                                              const char         *api_key,
                                              const char         *command,
                                              ...) G_GNUC_NULL_TERMINATED;

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VitalTestRun, vital_test_run_clear)

G_END_DECLS
