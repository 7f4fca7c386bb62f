/* vital-tensor-reader.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalTensorReader: decodes a payload while it is still arriving (an upload), so that little
 * is left to do once its last byte is in.
 */
#pragma once

#include <glib-object.h>
#include "vital-tensor.h"

G_BEGIN_DECLS

#define VITAL_TYPE_TENSOR_READER (vital_tensor_reader_get_type ())

G_DECLARE_FINAL_TYPE (VitalTensorReader, vital_tensor_reader, VITAL, TENSOR_READER, GObject)

VitalTensorReader *vital_tensor_reader_new          (gsize               size);
gboolean           vital_tensor_reader_write        (VitalTensorReader  *self,
                                                     const guint8       *data,
                                                     gsize               len,
                                                     GError            **error);
gboolean           vital_tensor_reader_peek_header  (VitalTensorReader  *self,
                                                     VitalTensorHeader  *out_header);
VitalTensor       *vital_tensor_reader_finish       (VitalTensorReader  *self,
                                                     VitalTensorHeader  *out_header,
                                                     GError            **error);
guint              vital_tensor_reader_get_chunks_started  (VitalTensorReader *self);
guint              vital_tensor_reader_get_chunks_inflated (VitalTensorReader *self);

G_END_DECLS
