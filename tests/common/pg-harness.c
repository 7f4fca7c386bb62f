/* pg-harness.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PgHarness: initdb into a temporary folder and a postgres listening only on a Unix socket
 * there. PostgreSQL refuses to run as root (CI runs as root), so a root caller runs both as
 * `nobody`, with the folder handed to it; the server gets SIGTERM if the test process dies.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>

#include "pg-harness.h"
#include "vital-test-util.h"

#define PORT "5432"
#define SUPERUSER "vitalscan"
#define READY_TIMEOUT_US (60 * G_USEC_PER_SEC)

struct _PgHarness
{
  char  *bindir;
  char  *dir;       /* the temporary folder: data/ and the socket */
  char  *datadir;
  GPid   server;
  uid_t  uid;       /* who runs PostgreSQL (unchanged when not root) */
  gid_t  gid;
  gboolean drop;
};

typedef struct
{
  uid_t    uid;
  gid_t    gid;
  gboolean drop;
} ChildSetup;

/* Between fork and exec: become the unprivileged user, then ask for SIGTERM when the test
 * process dies (set after the credential change, which would clear it). */
static void
child_setup (gpointer data)
{
  ChildSetup *setup = data;

  if (setup->drop)
    {
      if (setgroups (0, NULL) != 0 || setgid (setup->gid) != 0 || setuid (setup->uid) != 0)
        _exit (126);
    }
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static char *
find_bindir (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/usr/lib/postgresql", 0, NULL);
  const char *name;
  int best = 0;

  if (dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *initdb = g_build_filename ("/usr/lib/postgresql", name, "bin", "initdb",
                                                  NULL);
      int version = atoi (name);

      if (version > best && g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE))
        best = version;
    }
  return best > 0 ? g_strdup_printf ("/usr/lib/postgresql/%d/bin", best) : NULL;
}

static gboolean
run_as_owner (PgHarness   *self,
              char       **argv,
              GError     **error)
{
  ChildSetup setup = { self->uid, self->gid, self->drop };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (self->dir, argv, NULL, G_SPAWN_DEFAULT, child_setup, &setup, &out, &err,
                     &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "%s failed: %s", argv[0],
                   err != NULL ? err : "");
      return FALSE;
    }
  return TRUE;
}

/**
 * pg_harness_start_server:
 * @self: a harness whose server is stopped
 * @error: return location for a #GError
 *
 * Starts postgres on the existing data folder and waits until it accepts connections.
 *
 * Returns: %TRUE once it is ready
 */
gboolean
pg_harness_start_server (PgHarness  *self,
                         GError    **error)
{
  g_autofree char *postgres = g_build_filename (self->bindir, "postgres", NULL);
  g_autofree char *conninfo = NULL;
  ChildSetup setup = { self->uid, self->gid, self->drop };
  char *argv[] = { postgres, "-D", self->datadir, "-k", self->dir, "-p", PORT,
                   "-c", "listen_addresses=", "-c", "fsync=off",
                   "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                   "-c", "max_connections=100", "-c", "log_min_messages=fatal", NULL };
  gint64 deadline = g_get_monotonic_time () + READY_TIMEOUT_US;

  if (!g_spawn_async (self->dir, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL
                      | G_SPAWN_STDERR_TO_DEV_NULL, child_setup, &setup, &self->server, error))
    return FALSE;
  conninfo = g_strdup_printf ("host=%s port=" PORT " user=" SUPERUSER " dbname=postgres",
                              self->dir);
  while (PQping (conninfo) != PQPING_OK)
    {
      int status;

      if (waitpid (self->server, &status, WNOHANG) == self->server)
        {
          self->server = 0;
          g_set_error_literal (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                               "postgres exited before it accepted connections");
          return FALSE;
        }
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               "postgres did not accept connections within 60 s");
          return FALSE;
        }
      g_usleep (20 * 1000);
    }
  return TRUE;
}

/**
 * pg_harness_stop_server:
 * @self: a harness
 * @error: return location for a #GError
 *
 * Fast shutdown (SIGINT: open transactions are rolled back, connections closed), waited for.
 *
 * Returns: %TRUE once it exited
 */
gboolean
pg_harness_stop_server (PgHarness  *self,
                        GError    **error)
{
  int status;

  if (self->server == 0)
    return TRUE;
  kill (self->server, SIGINT);
  while (waitpid (self->server, &status, 0) < 0 && errno == EINTR)
    ;
  g_spawn_close_pid (self->server);
  self->server = 0;
  return TRUE;
}

/**
 * pg_harness_start:
 * @error: return location for a #GError (%G_IO_ERROR_NOT_FOUND when PostgreSQL is not
 *   installed: callers skip)
 *
 * Returns: (transfer full) (nullable): a running throwaway PostgreSQL
 */
PgHarness *
pg_harness_start (GError **error)
{
  g_autoptr(PgHarness) self = g_new0 (PgHarness, 1);
  g_autofree char *initdb = NULL;
  g_autofree char *pwfile = NULL;

  self->bindir = find_bindir ();
  if (self->bindir == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb; "
                           "build-aux/install-deps installs it)");
      return NULL;
    }
  self->dir = g_dir_make_tmp ("vitalscan-pg-XXXXXX", error);
  if (self->dir == NULL)
    return NULL;
  self->datadir = g_build_filename (self->dir, "data", NULL);
  self->uid = getuid ();
  self->gid = getgid ();
  if (self->uid == 0)
    {
      struct passwd *pw = getpwnam ("nobody");

      if (pw == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               "No unprivileged user \"nobody\" to run PostgreSQL as");
          return NULL;
        }
      self->uid = pw->pw_uid;
      self->gid = pw->pw_gid;
      self->drop = TRUE;
      if (chown (self->dir, self->uid, self->gid) != 0)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                       "Cannot hand %s to nobody: %s", self->dir, g_strerror (errno));
          return NULL;
        }
    }
  g_chmod (self->dir, 0700);

  initdb = g_build_filename (self->bindir, "initdb", NULL);
  {
    char *argv[] = { initdb, "-D", self->datadir, "-U", SUPERUSER, "-A", "trust",
                     "--no-sync", "-E", "UTF8", "--no-locale", NULL };

    if (!run_as_owner (self, argv, error))
      return NULL;
  }
  if (!pg_harness_start_server (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * pg_harness_try_start:
 * @out_unavailable: (out) (transfer full): why there is no PostgreSQL, for g_test_skip() (set
 *   only when %NULL is returned)
 *
 * pg_harness_start() for a test program whose PostgreSQL tests skip without one.
 *
 * Returns: (transfer full) (nullable): a running throwaway PostgreSQL
 */
PgHarness *
pg_harness_try_start (char **out_unavailable)
{
  g_autoptr(GError) error = NULL;
  PgHarness *self = pg_harness_start (&error);

  if (self == NULL)
    *out_unavailable = g_strdup_printf ("PostgreSQL is not available: %s", error->message);
  return self;
}

/**
 * pg_harness_free:
 * @self: (transfer full) (nullable): a harness
 *
 * Stops the server and deletes its folder.
 */
void
pg_harness_free (PgHarness *self)
{
  if (self == NULL)
    return;
  pg_harness_stop_server (self, NULL);
  if (self->dir != NULL)
    vital_test_remove_tree (self->dir);
  g_free (self->bindir);
  g_free (self->datadir);
  g_free (self->dir);
  g_free (self);
}

/**
 * pg_harness_uri:
 * @self: a harness
 * @database: a database name
 *
 * Returns: (transfer full): a libpq URI for @database over the harness's socket
 */
char *
pg_harness_uri (PgHarness  *self,
                const char *database)
{
  g_autofree char *host = g_uri_escape_string (self->dir, NULL, FALSE);

  return g_strdup_printf ("postgresql:///%s?host=%s&port=" PORT "&user=" SUPERUSER, database,
                          host);
}

/**
 * pg_harness_create_database:
 * @self: a harness
 * @name: a new database's name (letters, digits and `_`)
 * @error: return location for a #GError
 *
 * Returns: %TRUE once created
 */
gboolean
pg_harness_create_database (PgHarness   *self,
                            const char  *name,
                            GError     **error)
{
  g_autofree char *uri = pg_harness_uri (self, "postgres");
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s", name);
  PGconn *conn = PQconnectdb (uri);
  PGresult *res;
  gboolean ok;

  for (const char *p = name; *p != '\0'; p++)
    g_return_val_if_fail (g_ascii_isalnum (*p) || *p == '_', FALSE);
  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", PQerrorMessage (conn));
      PQfinish (conn);
      return FALSE;
    }
  res = PQexec (conn, sql);
  ok = PQresultStatus (res) == PGRES_COMMAND_OK;
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", PQresultErrorMessage (res));
  PQclear (res);
  PQfinish (conn);
  return ok;
}

/**
 * pg_harness_get_pid:
 * @self: a harness
 *
 * Returns: the postmaster's process id (its backends are its children), 0 when stopped
 */
GPid
pg_harness_get_pid (PgHarness *self)
{
  return self->server;
}
