/* vital-history-view-private.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test hooks of VitalHistoryView: what its lists show. The application itself never includes
 * this header.
 */
#pragma once

#include "vital-history-view.h"

G_BEGIN_DECLS

const char *vital_history_view_get_server_row_subtitle (VitalHistoryView *self,
                                                        guint             index);
const char *vital_history_view_get_local_row_subtitle  (VitalHistoryView *self,
                                                        guint             index);

G_END_DECLS
