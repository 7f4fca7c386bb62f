/* vital-camera.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns camera control: making a camera's source element (v4l2src, or pipewiresrc on the
 * camera portal's remote inside Flatpak), the caps we prefer, and locking V4L2 auto-exposure
 * and auto white balance during a scan because both corrupt the pulse signal. Enumerating
 * cameras is vital-camera-monitor.c's; asking the portal is vital-camera-portal.c's.
 */
#include "vital-config.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/videodev2.h>
#include <glib/gstdio.h>

#include "vital-camera.h"
#include "vital-capture-error.h"

struct _VitalCamera
{
  GObject parent_instance;

  GstDevice *device;         /* NULL for a portal camera */
  char *name;
  char *id;
  int pipewire_fd;           /* the portal's PipeWire remote, or -1 */
  char *pipewire_path;       /* the camera node, or NULL for the remote's default */
};

G_DEFINE_FINAL_TYPE (VitalCamera, vital_camera, G_TYPE_OBJECT)

static void
vital_camera_finalize (GObject *object)
{
  VitalCamera *self = VITAL_CAMERA (object);

  g_clear_object (&self->device);
  if (self->pipewire_fd >= 0)
    close (self->pipewire_fd);
  g_clear_pointer (&self->pipewire_path, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->id, g_free);

  G_OBJECT_CLASS (vital_camera_parent_class)->finalize (object);
}

static void
vital_camera_class_init (VitalCameraClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vital_camera_finalize;
}

static void
vital_camera_init (VitalCamera *self)
{
  self->pipewire_fd = -1;
}

/**
 * vital_camera_new_for_device:
 * @device: a Video/Source #GstDevice
 *
 * Wraps a device found by a #GstDeviceMonitor (e.g. the app's hot-plug monitor).
 *
 * Returns: (transfer full): a new #VitalCamera
 */
VitalCamera *
vital_camera_new_for_device (GstDevice *device)
{
  VitalCamera *self;
  g_autoptr(GstStructure) props = NULL;
  const char *path = NULL;

  g_return_val_if_fail (GST_IS_DEVICE (device), NULL);

  self = g_object_new (VITAL_TYPE_CAMERA, NULL);
  self->device = g_object_ref (device);
  self->name = gst_device_get_display_name (device);
  props = gst_device_get_properties (device);
  if (props != NULL)
    {
      path = gst_structure_get_string (props, "api.v4l2.path");
      if (path == NULL)
        path = gst_structure_get_string (props, "device.path");
      if (path == NULL)
        path = gst_structure_get_string (props, "object.path");
    }
  self->id = g_strdup (path != NULL ? path : self->name);
  return self;
}

/**
 * vital_camera_new_for_pipewire:
 * @fd: the PipeWire remote from the camera portal (libportal's
 *   xdp_portal_open_pipewire_remote_for_camera()); it is duplicated, the caller keeps @fd
 * @node_path: (nullable): the camera node's id on that remote, or %NULL for its default camera
 * @name: the name to show
 * @error: return location for a #GError
 *
 * A camera reached through the Flatpak camera portal: its source is `pipewiresrc` on the
 * portal's remote (inside the sandbox /dev/video* is not visible).
 *
 * Returns: (transfer full): a new #VitalCamera, or %NULL with @error set when @fd is invalid
 */
VitalCamera *
vital_camera_new_for_pipewire (int fd,
                               const char *node_path,
                               const char *name,
                               GError **error)
{
  VitalCamera *self;
  int copy;

  g_return_val_if_fail (name != NULL, NULL);

  copy = fd >= 0 ? dup (fd) : -1;
  if (copy < 0)
    {
      g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_DEVICE,
                   "the camera portal gave no usable PipeWire connection");
      return NULL;
    }

  self = g_object_new (VITAL_TYPE_CAMERA, NULL);
  self->pipewire_fd = copy;
  self->pipewire_path = g_strdup (node_path);
  self->name = g_strdup (name);
  self->id = g_strdup_printf ("pipewire:%s", node_path != NULL ? node_path : "default");
  return self;
}

/**
 * vital_camera_get_name:
 * @self: a #VitalCamera
 *
 * Returns: (transfer none): the human-readable device name
 */
const char *
vital_camera_get_name (VitalCamera *self)
{
  g_return_val_if_fail (VITAL_IS_CAMERA (self), NULL);

  return self->name;
}

/**
 * vital_camera_get_id:
 * @self: a #VitalCamera
 *
 * Returns: (transfer none): a stable identifier (the device path when known) to remember the
 *   user's choice
 */
const char *
vital_camera_get_id (VitalCamera *self)
{
  g_return_val_if_fail (VITAL_IS_CAMERA (self), NULL);

  return self->id;
}

/**
 * vital_camera_get_device:
 * @self: a #VitalCamera
 *
 * Returns: (transfer none) (nullable): the wrapped #GstDevice (%NULL for a portal camera)
 */
GstDevice *
vital_camera_get_device (VitalCamera *self)
{
  g_return_val_if_fail (VITAL_IS_CAMERA (self), NULL);

  return self->device;
}

/**
 * vital_camera_create_source:
 * @self: a #VitalCamera
 * @error: return location for a #GError
 *
 * Makes the device's source element: the device provider's own (v4l2src, or pipewiresrc for
 * PipeWire-provided cameras, which is what the portal gives inside Flatpak).
 *
 * Returns: (transfer floating): the source element, or %NULL with @error set
 */
GstElement *
vital_camera_create_source (VitalCamera *self,
                            GError **error)
{
  GstElement *source;

  g_return_val_if_fail (VITAL_IS_CAMERA (self), NULL);

  if (self->pipewire_fd >= 0)
    {
      int fd;

      source = gst_element_factory_make ("pipewiresrc", NULL);
      if (source == NULL)
        {
          g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_MISSING_PLUGIN,
                       "the GStreamer element “pipewiresrc” is not installed "
                       "(install gstreamer1.0-pipewire)");
          return NULL;
        }
      /* pipewiresrc takes ownership of the descriptor it is given. */
      fd = dup (self->pipewire_fd);
      g_object_set (source, "fd", fd, NULL);
      if (self->pipewire_path != NULL)
        g_object_set (source, "path", self->pipewire_path, NULL);
      return source;
    }

  source = gst_device_create_element (self->device, NULL);
  if (source == NULL)
    {
      g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_DEVICE,
                   "could not open the camera “%s”", self->name);
      return NULL;
    }
  return source;
}

/**
 * vital_camera_get_preferred_caps:
 *
 * The formats we ask a camera for, best first: 640×480 or 1280×720 at 30 fps, raw or MJPEG,
 * then anything.
 *
 * Returns: (transfer full): the caps
 */
GstCaps *
vital_camera_get_preferred_caps (void)
{
  return gst_caps_from_string ("video/x-raw,width=640,height=480,framerate=30/1;"
                               "image/jpeg,width=640,height=480,framerate=30/1;"
                               "video/x-raw,width=1280,height=720,framerate=30/1;"
                               "image/jpeg,width=1280,height=720,framerate=30/1;"
                               "video/x-raw;image/jpeg");
}

/* ---- V4L2 control lock -------------------------------------------------------------------- */

typedef struct
{
  guint32 id;
  gint32 saved;
} SavedControl;

struct _VitalCameraLock
{
  int fd;
  SavedControl saved[2];
  guint n_saved;
};

static gboolean
set_control (int fd,
             guint32 id,
             gint32 value,
             gint32 *out_previous)
{
  struct v4l2_control ctrl = { .id = id };

  if (ioctl (fd, VIDIOC_G_CTRL, &ctrl) < 0)
    return FALSE;
  *out_previous = ctrl.value;
  ctrl.value = value;
  return ioctl (fd, VIDIOC_S_CTRL, &ctrl) >= 0;
}

/**
 * vital_camera_lock_controls:
 * @source: a running camera source element (v4l2src in the PLAYING or PAUSED state)
 * @error: return location for a #GError
 *
 * Best effort: switches the camera to manual exposure and fixed white balance at their current
 * values, because automatic adjustments during a scan look like pulse to the engine.
 *
 * Returns: (transfer full) (nullable): the lock, to release with vital_camera_lock_release()
 *   (which restores the previous settings); %NULL with @error set when the source is not a
 *   V4L2 device or the camera has neither control
 */
VitalCameraLock *
vital_camera_lock_controls (GstElement *source,
                            GError **error)
{
  g_autofree VitalCameraLock *lock = NULL;
  int fd = -1;
  gint32 previous;

  g_return_val_if_fail (GST_IS_ELEMENT (source), NULL);

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (source), "device-fd") != NULL)
    g_object_get (source, "device-fd", &fd, NULL);
  if (fd < 0)
    {
      g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_DEVICE,
                   "exposure lock unavailable: %s is not an open V4L2 camera",
                   G_OBJECT_TYPE_NAME (source));
      return NULL;
    }

  lock = g_new0 (VitalCameraLock, 1);
  lock->fd = fd;

  if (set_control (fd, V4L2_CID_EXPOSURE_AUTO, V4L2_EXPOSURE_MANUAL, &previous))
    lock->saved[lock->n_saved++] = (SavedControl) { V4L2_CID_EXPOSURE_AUTO, previous };
  if (set_control (fd, V4L2_CID_AUTO_WHITE_BALANCE, 0, &previous))
    lock->saved[lock->n_saved++] = (SavedControl) { V4L2_CID_AUTO_WHITE_BALANCE, previous };

  if (lock->n_saved == 0)
    {
      int saved_errno = errno;

      g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_DEVICE,
                   "the camera does not allow locking exposure or white balance: %s",
                   g_strerror (saved_errno));
      return NULL;
    }

  return g_steal_pointer (&lock);
}

/**
 * vital_camera_lock_release:
 * @lock: (transfer full) (nullable): a lock from vital_camera_lock_controls()
 *
 * Restores the camera's previous automatic settings and frees the lock. The source element
 * must still be open.
 */
void
vital_camera_lock_release (VitalCameraLock *lock)
{
  if (lock == NULL)
    return;

  for (guint i = lock->n_saved; i > 0; i--)
    {
      struct v4l2_control ctrl = { .id = lock->saved[i - 1].id, .value = lock->saved[i - 1].saved };

      if (ioctl (lock->fd, VIDIOC_S_CTRL, &ctrl) < 0)
        g_debug ("could not restore camera control %#x: %s", ctrl.id, g_strerror (errno));
    }
  g_free (lock);
}
