/* vital-memory-budget.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalMemoryBudget: bytes held in memory on behalf of clients, capped in all and per owner
 * (an API key), thread-safe.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _VitalMemoryBudget VitalMemoryBudget;

VitalMemoryBudget *vital_memory_budget_new      (guint64            total,
                                                 guint64            per_owner);
void               vital_memory_budget_free     (VitalMemoryBudget *self);
gboolean           vital_memory_budget_reserve  (VitalMemoryBudget *self,
                                                 const char        *owner,
                                                 guint64            bytes);
void               vital_memory_budget_release  (VitalMemoryBudget *self,
                                                 const char        *owner,
                                                 guint64            bytes);
guint64            vital_memory_budget_get_used (VitalMemoryBudget *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VitalMemoryBudget, vital_memory_budget_free)

G_END_DECLS
