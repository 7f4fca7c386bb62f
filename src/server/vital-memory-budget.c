/* vital-memory-budget.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the accounting of memory that clients make the server hold (decoded uploads waiting for
 * their upload-complete): a reservation either fits both the total and its owner's share, or is
 * refused and the caller does without (decodes later, from disk).
 */
#include "vital-memory-budget.h"

struct _VitalMemoryBudget
{
  GMutex      mutex;
  guint64     total;
  guint64     per_owner;
  guint64     used;
  GHashTable *by_owner;  /* owner -> guint64* bytes */
};

/**
 * vital_memory_budget_new:
 * @total: bytes that may be reserved in all
 * @per_owner: bytes one owner may reserve
 *
 * Returns: (transfer full): an empty budget
 */
VitalMemoryBudget *
vital_memory_budget_new (guint64 total,
                         guint64 per_owner)
{
  VitalMemoryBudget *self = g_new0 (VitalMemoryBudget, 1);

  g_mutex_init (&self->mutex);
  self->total = total;
  self->per_owner = per_owner;
  self->by_owner = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

/**
 * vital_memory_budget_free:
 * @self: (nullable): a budget
 */
void
vital_memory_budget_free (VitalMemoryBudget *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->by_owner);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

/**
 * vital_memory_budget_reserve:
 * @self: a budget
 * @owner: who the bytes are held for
 * @bytes: how many
 *
 * Returns: %TRUE when reserved (release them with vital_memory_budget_release()); %FALSE when
 *   they would exceed the total or @owner's share, and nothing is reserved
 */
gboolean
vital_memory_budget_reserve (VitalMemoryBudget *self,
                             const char        *owner,
                             guint64            bytes)
{
  guint64 *held;
  gboolean fits;

  g_return_val_if_fail (self != NULL && owner != NULL, FALSE);

  g_mutex_lock (&self->mutex);
  held = g_hash_table_lookup (self->by_owner, owner);
  fits = bytes <= self->total - MIN (self->used, self->total)
         && bytes <= self->per_owner - MIN (held != NULL ? *held : 0, self->per_owner);
  if (fits)
    {
      if (held == NULL)
        {
          held = g_new0 (guint64, 1);
          g_hash_table_insert (self->by_owner, g_strdup (owner), held);
        }
      *held += bytes;
      self->used += bytes;
    }
  g_mutex_unlock (&self->mutex);
  return fits;
}

/**
 * vital_memory_budget_release:
 * @self: a budget
 * @owner: the owner a reservation was made for
 * @bytes: the bytes reserved
 */
void
vital_memory_budget_release (VitalMemoryBudget *self,
                             const char        *owner,
                             guint64            bytes)
{
  guint64 *held;

  g_return_if_fail (self != NULL && owner != NULL);

  g_mutex_lock (&self->mutex);
  held = g_hash_table_lookup (self->by_owner, owner);
  g_warn_if_fail (held != NULL && *held >= bytes && self->used >= bytes);
  if (held != NULL)
    {
      *held -= MIN (*held, bytes);
      if (*held == 0)
        g_hash_table_remove (self->by_owner, owner);
    }
  self->used -= MIN (self->used, bytes);
  g_mutex_unlock (&self->mutex);
}

/**
 * vital_memory_budget_get_used:
 * @self: a budget
 *
 * Returns: bytes reserved now
 */
guint64
vital_memory_budget_get_used (VitalMemoryBudget *self)
{
  guint64 used;

  g_return_val_if_fail (self != NULL, 0);
  g_mutex_lock (&self->mutex);
  used = self->used;
  g_mutex_unlock (&self->mutex);
  return used;
}
