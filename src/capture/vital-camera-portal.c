/* vital-camera-portal.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns reaching the camera from inside a sandbox: there /dev/video* is not visible and the
 * manifest grants no device access, so the camera comes through the camera portal
 * (org.freedesktop.portal.Camera, via libportal): is a camera present, may we use it (the
 * portal asks the user once and remembers), then the PipeWire remote that shows only the
 * cameras, opened by pipewiresrc (vital_camera_new_for_pipewire()).
 *
 * Whether we are in a sandbox is libportal's xdp_portal_running_under_sandbox() (Flatpak's
 * /.flatpak-info, or Snap). Tests set VITALSCAN_FORCE_PORTAL=1 to take the portal path
 * outside a sandbox, against a fake portal on a private session bus; it is not meant for
 * users.
 */
#include "vital-config.h"

#include <unistd.h>
#include <libportal/portal.h>

#include "vital-camera-portal.h"
#include "vital-capture-error.h"

#define PORTAL_BUS_NAME    "org.freedesktop.portal.Desktop"
#define PORTAL_OBJECT_PATH "/org/freedesktop/portal/desktop"
#define CAMERA_INTERFACE   "org.freedesktop.portal.Camera"

/**
 * vital_camera_portal_is_needed:
 *
 * Returns: %TRUE when cameras must be reached through the camera portal (inside Flatpak or
 *   Snap, or when the environment variable VITALSCAN_FORCE_PORTAL is "1"); %FALSE when they
 *   are opened directly (V4L2, or PipeWire's device provider)
 */
gboolean
vital_camera_portal_is_needed (void)
{
  if (g_strcmp0 (g_getenv ("VITALSCAN_FORCE_PORTAL"), "1") == 0)
    return TRUE;
  return xdp_portal_running_under_sandbox ();
}

typedef struct
{
  char      *name;
  XdpPortal *portal;   /* made on the worker thread, once the session bus is known to work */
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_clear_object (&data->portal);
  g_free (data->name);
  g_free (data);
}

/* Worker thread: the session bus, then whether the portal knows of any camera. libportal's
 * xdp_portal_is_camera_present() cannot tell "no camera" from "no portal" (it warns and says
 * FALSE), so the property is read here, where a missing portal becomes an error. */
static void
check_presence_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  OpenData *data = task_data;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) present = NULL;
  g_autoptr(GError) error = NULL;

  /* libportal 0.6's xdp_portal_new() uses the session bus without checking that there is
   * one: make sure first (it then gets the same shared connection). */
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, cancellable, &error);
  if (bus == NULL)
    {
      g_task_return_new_error (task, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_DEVICE,
                               "the camera portal cannot be reached (no session bus): %s",
                               error->message);
      return;
    }
  reply = g_dbus_connection_call_sync (bus, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", CAMERA_INTERFACE,
                                                      "IsCameraPresent"),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       cancellable, &error);
  if (reply == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_DEVICE,
                                 "the camera portal is not available: %s", error->message);
      return;
    }
  g_variant_get (reply, "(v)", &present);
  if (!g_variant_is_of_type (present, G_VARIANT_TYPE_BOOLEAN))
    {
      g_task_return_new_error (task, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_DEVICE,
                               "the camera portal answered IsCameraPresent with a “%s”",
                               g_variant_get_type_string (present));
      return;
    }
  data->portal = xdp_portal_new ();
  g_task_return_boolean (task, g_variant_get_boolean (present));
}

/* Ends @task with @camera (transfer full), or with @error (transfer full) when it is %NULL. */
static void
return_camera (GTask       *task,
               VitalCamera *camera,
               GError      *error)
{
  if (camera == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, camera, g_object_unref);
}

/* Worker thread: the remote, through libportal's blocking call. */
static void
open_remote_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  OpenData *data = task_data;
  g_autoptr(GError) error = NULL;
  VitalCamera *camera;
  int fd;

  fd = xdp_portal_open_pipewire_remote_for_camera (data->portal);
  if (fd < 0)
    {
      g_task_return_new_error (task, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_DEVICE,
                               "the camera portal granted access but gave no PipeWire "
                               "connection");
      return;
    }
  /* The camera keeps its own copy of the descriptor; pipewiresrc picks the remote's default
   * camera (the remote shows cameras only). */
  camera = vital_camera_new_for_pipewire (fd, NULL, data->name, &error);
  close (fd);
  return_camera (task, camera, g_steal_pointer (&error));
}

static void
remote_opened (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  VitalCamera *camera = g_task_propagate_pointer (G_TASK (result), &error);

  return_camera (task, camera, error);
}

static void
access_answered (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GTask *open;

  if (!xdp_portal_access_camera_finish (XDP_PORTAL (source), result, &error))
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      /* libportal turns the portal's answer into errors: 1 (the question was dismissed) into
       * G_IO_ERROR_CANCELLED, 2 (refused, or remembered as refused) into G_IO_ERROR_FAILED.
       * To the user both mean the camera may not be used. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_FAILED))
        g_task_return_new_error (task, VITAL_CAPTURE_ERROR,
                                 VITAL_CAPTURE_ERROR_PERMISSION_DENIED,
                                 "access to the camera was refused (%s)", error->message);
      else
        g_task_return_new_error (task, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_DEVICE,
                                 "the camera portal failed: %s", error->message);
      return;
    }

  open = g_task_new (NULL, g_task_get_cancellable (task), remote_opened, g_object_ref (task));
  g_task_set_task_data (open, g_task_get_task_data (task), NULL);
  g_task_run_in_thread (open, open_remote_thread);
  g_object_unref (open);
}

static void
presence_checked (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenData *data = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;
  gboolean present;

  present = g_task_propagate_boolean (G_TASK (result), &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!present)
    {
      g_task_return_new_error (task, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_NO_CAMERA,
                               "the camera portal reports no camera");
      return;
    }
  /* The AccessCamera call has no parent window: the portal's question is its own dialog. */
  cancellable = g_task_get_cancellable (task);
  xdp_portal_access_camera (data->portal, NULL, XDP_CAMERA_FLAG_NONE, cancellable,
                            access_answered, g_steal_pointer (&task));
}

/**
 * vital_camera_portal_open_async:
 * @name: the name the camera is shown under
 * @cancellable: (nullable): cancels the request (the portal's question is withdrawn)
 * @callback: called on the thread-default main context when the portal has answered
 * @user_data: data for @callback
 *
 * Asks the camera portal for the camera: whether one is present, then for access (the portal
 * asks the user the first time and remembers the answer), then opens the PipeWire remote that
 * shows the cameras. Only the D-Bus round trips that libportal makes blocking run on a worker
 * thread; the question itself is waited for on the main context.
 */
void
vital_camera_portal_open_async (const char          *name,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) check = NULL;
  OpenData *data;

  g_return_if_fail (name != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vital_camera_portal_open_async);
  data = g_new0 (OpenData, 1);
  data->name = g_strdup (name);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);

  check = g_task_new (NULL, cancellable, presence_checked, g_object_ref (task));
  g_task_set_task_data (check, data, NULL);
  g_task_run_in_thread (check, check_presence_thread);
}

/**
 * vital_camera_portal_open_finish:
 * @result: the result given to the callback of vital_camera_portal_open_async()
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the portal's camera (its source is pipewiresrc on the
 *   granted remote), or %NULL with @error set: %VITAL_CAPTURE_ERROR_PERMISSION_DENIED when the
 *   user refused, %VITAL_CAPTURE_ERROR_NO_CAMERA when the portal knows of no camera,
 *   %VITAL_CAPTURE_ERROR_DEVICE when the portal cannot be reached or failed,
 *   %G_IO_ERROR_CANCELLED when cancelled
 */
VitalCamera *
vital_camera_portal_open_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vital_camera_portal_open_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
