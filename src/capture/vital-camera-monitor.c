/* vital-camera-monitor.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns camera hot-plug: a GstDeviceMonitor on "Video/Source" whose bus is watched on the
 * creating thread's main context, exposed as a GListModel of VitalCamera so that a combo row
 * or the scan controller follows cameras as they come and go; also the one-off camera list.
 */
#include "vital-config.h"

#include "vital-camera-monitor.h"
#include "vital-capture-error.h"
#include "vital-capture-gst.h"

#define GST_CAT_DEFAULT vital_capture_debug

struct _VitalCameraMonitor
{
  GObject parent_instance;

  GstDeviceMonitor *monitor;
  GSource *bus_watch;
  GPtrArray *cameras;        /* VitalCamera, in the order they appeared */
};

static void vital_camera_monitor_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (VitalCameraMonitor, vital_camera_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      vital_camera_monitor_list_model_init))

static GType
vital_camera_monitor_get_item_type (GListModel *model)
{
  return VITAL_TYPE_CAMERA;
}

static guint
vital_camera_monitor_get_n_items (GListModel *model)
{
  return VITAL_CAMERA_MONITOR (model)->cameras->len;
}

static gpointer
vital_camera_monitor_get_item (GListModel *model,
                               guint position)
{
  VitalCameraMonitor *self = VITAL_CAMERA_MONITOR (model);

  if (position >= self->cameras->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->cameras, position));
}

static void
vital_camera_monitor_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = vital_camera_monitor_get_item_type;
  iface->get_n_items = vital_camera_monitor_get_n_items;
  iface->get_item = vital_camera_monitor_get_item;
}

static gboolean
index_of_device (VitalCameraMonitor *self,
                 GstDevice *device,
                 guint *out_index)
{
  for (guint i = 0; i < self->cameras->len; i++)
    if (vital_camera_get_device (g_ptr_array_index (self->cameras, i)) == device)
      {
        *out_index = i;
        return TRUE;
      }
  return FALSE;
}

static void
add_device (VitalCameraMonitor *self,
            GstDevice *device)
{
  guint index;

  if (index_of_device (self, device, &index))
    return;
  g_ptr_array_add (self->cameras, vital_camera_new_for_device (device));
  g_list_model_items_changed (G_LIST_MODEL (self), self->cameras->len - 1, 0, 1);
}

static void
remove_device (VitalCameraMonitor *self,
               GstDevice *device)
{
  guint index;

  if (!index_of_device (self, device, &index))
    return;
  g_ptr_array_remove_index (self->cameras, index);
  g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 0);
}

static gboolean
on_bus_message (GstBus *bus,
                GstMessage *message,
                gpointer user_data)
{
  VitalCameraMonitor *self = user_data;
  g_autoptr(GstDevice) device = NULL;
  g_autoptr(GstDevice) changed = NULL;
  guint index;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_DEVICE_ADDED:
      gst_message_parse_device_added (message, &device);
      add_device (self, device);
      break;

    case GST_MESSAGE_DEVICE_REMOVED:
      gst_message_parse_device_removed (message, &device);
      remove_device (self, device);
      break;

    case GST_MESSAGE_DEVICE_CHANGED:
      /* @device is the new description, @changed the one it replaces. */
      gst_message_parse_device_changed (message, &device, &changed);
      if (index_of_device (self, changed, &index))
        {
          VitalCamera *old = g_ptr_array_index (self->cameras, index);

          g_ptr_array_index (self->cameras, index) = vital_camera_new_for_device (device);
          g_object_unref (old);
          g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 1);
        }
      break;

    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static void
vital_camera_monitor_dispose (GObject *object)
{
  VitalCameraMonitor *self = VITAL_CAMERA_MONITOR (object);

  if (self->bus_watch != NULL)
    {
      g_source_destroy (self->bus_watch);
      g_clear_pointer (&self->bus_watch, g_source_unref);
    }
  if (self->monitor != NULL)
    {
      gst_device_monitor_stop (self->monitor);
      g_clear_pointer (&self->monitor, gst_object_unref);
    }
  if (self->cameras != NULL)
    g_ptr_array_set_size (self->cameras, 0);

  G_OBJECT_CLASS (vital_camera_monitor_parent_class)->dispose (object);
}

static void
vital_camera_monitor_finalize (GObject *object)
{
  VitalCameraMonitor *self = VITAL_CAMERA_MONITOR (object);

  g_clear_pointer (&self->cameras, g_ptr_array_unref);

  G_OBJECT_CLASS (vital_camera_monitor_parent_class)->finalize (object);
}

static void
vital_camera_monitor_class_init (VitalCameraMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vital_camera_monitor_dispose;
  object_class->finalize = vital_camera_monitor_finalize;
}

static void
vital_camera_monitor_init (VitalCameraMonitor *self)
{
  self->cameras = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * vital_camera_monitor_new:
 * @error: return location for a #GError
 *
 * Starts watching for cameras ("Video/Source" devices giving raw video or JPEG). The list is
 * filled at once with the cameras present now, and changes are delivered on the calling
 * thread's thread-default main context as #GListModel::items-changed. A machine without a
 * camera gives an empty list, not an error.
 *
 * Returns: (transfer full): a new monitor, or %NULL with @error set when GStreamer has no
 *   device provider at all
 */
VitalCameraMonitor *
vital_camera_monitor_new (GError **error)
{
  g_autoptr(VitalCameraMonitor) self = NULL;
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autolist(GstDeviceProviderFactory) factories = NULL;
  g_autoptr(GMainContext) context = NULL;
  GList *devices;

  vital_capture_gst_init ();

  factories = gst_device_provider_factory_list_get_device_providers (GST_RANK_MARGINAL);
  if (factories == NULL)
    {
      g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_MISSING_PLUGIN,
                   "no GStreamer device provider is installed (gstreamer1.0-plugins-good)");
      return NULL;
    }

  self = g_object_new (VITAL_TYPE_CAMERA_MONITOR, NULL);
  self->monitor = gst_device_monitor_new ();
  caps = gst_caps_new_empty_simple ("video/x-raw");
  gst_caps_append (caps, gst_caps_new_empty_simple ("image/jpeg"));
  gst_device_monitor_add_filter (self->monitor, "Video/Source", caps);

  bus = gst_device_monitor_get_bus (self->monitor);
  self->bus_watch = gst_bus_create_watch (bus);
  /* The watch holds the monitor weakly: dispose destroys the source before the monitor. */
  g_source_set_callback (self->bus_watch, G_SOURCE_FUNC (on_bus_message), self, NULL);
  context = g_main_context_ref_thread_default ();
  g_source_attach (self->bus_watch, context);

  /* No provider could start (e.g. no udev): no camera and no hot-plug, but not an error. */
  if (!gst_device_monitor_start (self->monitor))
    {
      GST_DEBUG ("camera monitor: no device provider started");
      return g_steal_pointer (&self);
    }

  devices = gst_device_monitor_get_devices (self->monitor);
  for (GList *l = devices; l != NULL; l = l->next)
    g_ptr_array_add (self->cameras, vital_camera_new_for_device (l->data));
  g_list_free_full (devices, gst_object_unref);

  return g_steal_pointer (&self);
}

/**
 * vital_camera_monitor_list_all:
 * @error: return location for a #GError
 *
 * Enumerates the cameras present now (a one-off #VitalCameraMonitor). A machine without a
 * camera gives an empty list, not an error.
 *
 * Returns: (transfer full) (element-type VitalCamera): the cameras, possibly %NULL (empty);
 *   %NULL with @error set when GStreamer has no device provider at all
 */
GList *
vital_camera_monitor_list_all (GError **error)
{
  g_autoptr(VitalCameraMonitor) monitor = vital_camera_monitor_new (error);
  GList *cameras = NULL;

  if (monitor == NULL)
    return NULL;
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (monitor)); i > 0; i--)
    cameras = g_list_prepend (cameras, g_list_model_get_item (G_LIST_MODEL (monitor), i - 1));
  return cameras;
}

/**
 * vital_camera_monitor_find:
 * @self: a #VitalCameraMonitor
 * @id_or_name: a camera's id (vital_camera_get_id()) or display name
 *
 * Returns: (transfer none) (nullable): the camera present now with that id or name
 */
VitalCamera *
vital_camera_monitor_find (VitalCameraMonitor *self,
                           const char *id_or_name)
{
  g_return_val_if_fail (VITAL_IS_CAMERA_MONITOR (self), NULL);
  g_return_val_if_fail (id_or_name != NULL, NULL);

  for (guint i = 0; i < self->cameras->len; i++)
    {
      VitalCamera *camera = g_ptr_array_index (self->cameras, i);

      if (g_strcmp0 (vital_camera_get_id (camera), id_or_name) == 0)
        return camera;
    }
  for (guint i = 0; i < self->cameras->len; i++)
    {
      VitalCamera *camera = g_ptr_array_index (self->cameras, i);

      if (g_strcmp0 (vital_camera_get_name (camera), id_or_name) == 0)
        return camera;
    }
  return NULL;
}

/**
 * vital_camera_monitor_choose:
 * @self: a #VitalCameraMonitor
 * @wanted: the user's choice: "" for automatic, "demo" for the demo subject, else a camera's
 *   id or name
 *
 * The camera to use for @wanted now: that camera if it is present, else the first camera
 * (a chosen camera that is unplugged does not leave the user without one).
 *
 * Returns: (transfer none) (nullable): the camera, or %NULL for the demo subject (asked for,
 *   or no camera present)
 */
VitalCamera *
vital_camera_monitor_choose (VitalCameraMonitor *self,
                             const char *wanted)
{
  VitalCamera *camera = NULL;

  g_return_val_if_fail (VITAL_IS_CAMERA_MONITOR (self), NULL);

  if (g_strcmp0 (wanted, "demo") == 0)
    return NULL;
  if (wanted != NULL && *wanted != '\0')
    camera = vital_camera_monitor_find (self, wanted);
  if (camera == NULL && self->cameras->len > 0)
    camera = g_ptr_array_index (self->cameras, 0);
  return camera;
}
