/* vital-history-store.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalHistoryStore: the opt-in local history of results (SQLite in the user data dir), so
 * a clinician can look back without server persistence. Deletable with one call.
 */
#include "vital-config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>

#include "vital-history-store.h"

struct _VitalHistoryStore
{
  GObject  parent_instance;
  sqlite3 *db;
};

G_DEFINE_FINAL_TYPE (VitalHistoryStore, vital_history_store, G_TYPE_OBJECT)

static void
vital_history_store_finalize (GObject *object)
{
  VitalHistoryStore *self = VITAL_HISTORY_STORE (object);

  g_clear_pointer (&self->db, sqlite3_close);

  G_OBJECT_CLASS (vital_history_store_parent_class)->finalize (object);
}

static void
vital_history_store_class_init (VitalHistoryStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vital_history_store_finalize;
}

static void
vital_history_store_init (VitalHistoryStore *self)
{
}

static gboolean
set_db_error (VitalHistoryStore  *self,
              const char         *what,
              GError            **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "local history: %s: %s", what,
               self->db ? sqlite3_errmsg (self->db) : "no database");
  return FALSE;
}

/**
 * vital_history_store_default_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/vitalscan/history.db`
 */
char *
vital_history_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "vitalscan", "history.db", NULL);
}

/* Histories kept before results said what they were measured from lack the source column,
 * and those kept before each vital had its own confidence lack the quality columns: their
 * rows stay, with an unknown source and unknown per-vital confidence. */
static gboolean
add_column (VitalHistoryStore  *self,
            const char         *column,
            const char         *type,
            char              **errmsg)
{
  g_autofree char *probe = g_strdup_printf ("SELECT %s FROM results LIMIT 0", column);
  g_autofree char *alter = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, probe, -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_finalize (stmt);
      return TRUE;
    }
  alter = g_strdup_printf ("ALTER TABLE results ADD COLUMN %s %s", column, type);
  return sqlite3_exec (self->db, alter, NULL, NULL, errmsg) == SQLITE_OK;
}

/* The quality columns, in the order of VitalMeasure. */
static const char * const quality_columns[VITAL_MEASURE_COUNT] = {
  "q_heart_rate", "q_respiratory_rate", "q_hrv_sdnn", "q_spo2", "q_systolic_bp",
  "q_diastolic_bp",
};

static gboolean
upgrade (VitalHistoryStore  *self,
         char              **errmsg)
{
  if (!add_column (self, "source", "TEXT", errmsg))
    return FALSE;
  for (guint k = 0; k < VITAL_MEASURE_COUNT; k++)
    if (!add_column (self, quality_columns[k], "REAL", errmsg))
      return FALSE;
  return TRUE;
}

/**
 * vital_history_store_open:
 * @path: the database file (its folder is created, mode 0700)
 * @error: return location for a #GError
 *
 * Opens or creates the history database.
 *
 * Returns: (transfer full) (nullable): the store, or %NULL with @error set
 */
VitalHistoryStore *
vital_history_store_open (const char  *path,
                          GError     **error)
{
  g_autoptr(VitalHistoryStore) self = NULL;
  g_autofree char *dir = NULL;
  char *errmsg = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "local history: cannot create %s: %s", dir, g_strerror (errsv));
      return NULL;
    }

  self = g_object_new (VITAL_TYPE_HISTORY_STORE, NULL);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
      SQLITE_OK)
    {
      set_db_error (self, "cannot open", error);
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 2000);
  if (sqlite3_exec (self->db,
                    "CREATE TABLE IF NOT EXISTS results ("
                    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                    " completed_at INTEGER NOT NULL,"
                    " session_id TEXT,"
                    " heart_rate REAL, respiratory_rate REAL, hrv_sdnn REAL, spo2 REAL,"
                    " systolic_bp REAL, diastolic_bp REAL,"
                    " confidence REAL NOT NULL, snr_db REAL, stability REAL, periodicity REAL,"
                    " source TEXT)",
                    NULL, NULL, &errmsg) != SQLITE_OK ||
      !upgrade (self, &errmsg))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "local history: %s", errmsg);
      sqlite3_free (errmsg);
      return NULL;
    }
  return g_steal_pointer (&self);
}

static void
bind_double (sqlite3_stmt *stmt,
             int           index,
             double        v)
{
  if (isnan (v))
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_double (stmt, index, v);
}

/**
 * vital_history_store_add:
 * @self: a #VitalHistoryStore
 * @reading: the result to keep (unmeasured values are stored as NULL; what it was measured
 *   from is kept, but not the camera's or the video's name)
 * @error: return location for a #GError
 *
 * Returns: %TRUE when stored
 */
gboolean
vital_history_store_add (VitalHistoryStore  *self,
                         VitalReading       *reading,
                         GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  GDateTime *when;
  const char *source;
  gboolean ok;
  gint64 unix_time;

  g_return_val_if_fail (VITAL_IS_HISTORY_STORE (self), FALSE);
  g_return_val_if_fail (VITAL_IS_READING (reading), FALSE);

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO results (completed_at, session_id, heart_rate,"
                          " respiratory_rate, hrv_sdnn, spo2, systolic_bp, diastolic_bp,"
                          " confidence, snr_db, stability, periodicity, source,"
                          " q_heart_rate, q_respiratory_rate, q_hrv_sdnn, q_spo2,"
                          " q_systolic_bp, q_diastolic_bp)"
                          " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return set_db_error (self, "cannot prepare insert", error);

  when = vital_reading_get_completed_at (reading);
  if (when != NULL)
    unix_time = g_date_time_to_unix (when);
  else
    unix_time = g_get_real_time () / G_USEC_PER_SEC;
  sqlite3_bind_int64 (stmt, 1, unix_time);
  if (vital_reading_get_session_id (reading))
    sqlite3_bind_text (stmt, 2, vital_reading_get_session_id (reading), -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 2);
  for (guint k = 0; k < VITAL_MEASURE_COUNT; k++)
    bind_double (stmt, 3 + k,
                 vital_reading_is_fallback (reading) ? NAN : vital_reading_get_value (reading, k));
  sqlite3_bind_double (stmt, 9, vital_reading_get_confidence (reading));
  bind_double (stmt, 10, vital_reading_get_snr_db (reading));
  bind_double (stmt, 11, vital_reading_get_stability (reading));
  bind_double (stmt, 12, vital_reading_get_periodicity (reading));
  source = vital_reading_source_to_string (vital_reading_get_source (reading));
  if (source != NULL)
    sqlite3_bind_text (stmt, 13, source, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 13);
  /* The heart rate's own quality is the confidence; the others are kept as the server gave
   * them. */
  for (guint k = 0; k < VITAL_MEASURE_COUNT; k++)
    bind_double (stmt, 14 + k,
                 k == VITAL_MEASURE_HEART_RATE ? NAN
                 : vital_signs_get_quality (vital_reading_get_signs (reading), k));

  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  if (!ok)
    return set_db_error (self, "cannot store the result", error);
  return TRUE;
}

static double
column_double (sqlite3_stmt *stmt,
               int           i)
{
  return sqlite3_column_type (stmt, i) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, i);
}

/**
 * vital_history_store_list:
 * @self: a #VitalHistoryStore
 * @limit: at most this many (0 = all)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type VitalReading) (nullable): the results, newest first
 */
GPtrArray *
vital_history_store_list (VitalHistoryStore  *self,
                          guint               limit,
                          GError            **error)
{
  return vital_history_store_list_with_ids (self, limit, NULL, error);
}

/**
 * vital_history_store_list_with_ids:
 * @self: a #VitalHistoryStore
 * @limit: at most this many (0 = all)
 * @out_ids: (out) (optional) (transfer full) (element-type gint64): each result's id, for
 *   vital_history_store_delete(), in the order of the results
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type VitalReading) (nullable): the results, newest first
 */
GPtrArray *
vital_history_store_list_with_ids (VitalHistoryStore  *self,
                                   guint               limit,
                                   GArray            **out_ids,
                                   GError            **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (VITAL_IS_HISTORY_STORE (self), NULL);

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT completed_at, session_id, heart_rate, respiratory_rate,"
                          " hrv_sdnn, spo2, systolic_bp, diastolic_bp, confidence,"
                          " snr_db, stability, periodicity, source, q_heart_rate,"
                          " q_respiratory_rate, q_hrv_sdnn, q_spo2, q_systolic_bp,"
                          " q_diastolic_bp, id FROM results"
                          " ORDER BY completed_at DESC, id DESC"
                          " LIMIT ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (self, "cannot prepare query", error);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, limit == 0 ? -1 : (gint64) limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(VitalSigns) signs = vital_signs_new ((const char *) sqlite3_column_text (stmt, 1),
                                                     sqlite3_column_double (stmt, 8));
      VitalReadingSource source;
      VitalReading *reading;
      gint64 id = sqlite3_column_int64 (stmt, 19);

      for (guint k = 0; k < VITAL_MEASURE_COUNT; k++)
        vital_signs_set_measure (signs, k, column_double (stmt, 2 + k),
                                 column_double (stmt, 13 + k));
      vital_signs_set_signal_quality (signs, column_double (stmt, 9), column_double (stmt, 10),
                                      column_double (stmt, 11));
      vital_signs_set_completed_at (signs, sqlite3_column_int64 (stmt, 0));
      reading = vital_reading_new (signs);
      vital_reading_source_from_string ((const char *) sqlite3_column_text (stmt, 12), &source);
      vital_reading_set_source (reading, source, NULL);
      g_ptr_array_add (out, reading);
      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, "cannot read", error);
      return NULL;
    }
  if (out_ids != NULL)
    *out_ids = g_steal_pointer (&ids);
  return g_steal_pointer (&out);
}

/**
 * vital_history_store_count:
 * @self: a #VitalHistoryStore
 * @error: return location for a #GError
 *
 * Returns: the number of stored results, or -1 on error
 */
gint64
vital_history_store_count (VitalHistoryStore  *self,
                           GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_return_val_if_fail (VITAL_IS_HISTORY_STORE (self), -1);

  if (sqlite3_prepare_v2 (self->db, "SELECT COUNT(*) FROM results", -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (self, "cannot count", error);
      return -1;
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    set_db_error (self, "cannot count", error);
  sqlite3_finalize (stmt);
  return n;
}

/**
 * vital_history_store_delete:
 * @self: a #VitalHistoryStore
 * @ids: (array length=n_ids): ids from vital_history_store_list_with_ids()
 * @n_ids: how many
 * @error: return location for a #GError
 *
 * Deletes those results, all or none, and compacts the file so that what was deleted is not
 * left in its free pages.
 *
 * Returns: %TRUE on success (ids no longer stored are ignored)
 */
gboolean
vital_history_store_delete (VitalHistoryStore  *self,
                            const gint64       *ids,
                            guint               n_ids,
                            GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (VITAL_IS_HISTORY_STORE (self), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  if (sqlite3_exec (self->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    return set_db_error (self, "cannot begin", error);
  if (sqlite3_prepare_v2 (self->db, "DELETE FROM results WHERE id = ?", -1, &stmt, NULL) !=
      SQLITE_OK)
    {
      set_db_error (self, "cannot prepare delete", error);
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  for (guint i = 0; i < n_ids && ok; i++)
    {
      sqlite3_bind_int64 (stmt, 1, ids[i]);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  if (!ok)
    {
      set_db_error (self, "cannot delete", error);
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  if (sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec (self->db, "VACUUM", NULL, NULL, NULL) != SQLITE_OK)
    return set_db_error (self, "cannot delete", error);
  return TRUE;
}

/**
 * vital_history_store_clear:
 * @self: a #VitalHistoryStore
 * @error: return location for a #GError
 *
 * Deletes every stored result and compacts the file so nothing is left on disk.
 *
 * Returns: %TRUE on success
 */
gboolean
vital_history_store_clear (VitalHistoryStore  *self,
                           GError            **error)
{
  char *errmsg = NULL;

  g_return_val_if_fail (VITAL_IS_HISTORY_STORE (self), FALSE);

  if (sqlite3_exec (self->db, "DELETE FROM results; VACUUM;", NULL, NULL, &errmsg) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "local history: %s", errmsg);
      sqlite3_free (errmsg);
      return FALSE;
    }
  return TRUE;
}
