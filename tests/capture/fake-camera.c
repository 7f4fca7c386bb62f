/* fake-camera.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the tests' fake camera provider ("Source/Video", registered statically at a high rank so
 * any GstDeviceMonitor on "Video/Source" starts it) and its devices.
 */
#include "vital-config.h"

#include "fake-camera.h"

#define FAKE_TYPE_CAMERA_DEVICE (fake_camera_device_get_type ())
G_DECLARE_FINAL_TYPE (FakeCameraDevice, fake_camera_device, FAKE, CAMERA_DEVICE, GstDevice)

struct _FakeCameraDevice
{
  GstDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (FakeCameraDevice, fake_camera_device, GST_TYPE_DEVICE)

static GstElement *
fake_camera_device_create_element (GstDevice *device,
                                   const char *name)
{
  GstElement *src = gst_element_factory_make ("videotestsrc", name);

  g_object_set (src, "is-live", TRUE, "pattern", 18 /* ball */, NULL);
  return src;
}

static void
fake_camera_device_class_init (FakeCameraDeviceClass *klass)
{
  GST_DEVICE_CLASS (klass)->create_element = fake_camera_device_create_element;
}

static void
fake_camera_device_init (FakeCameraDevice *self)
{
}

#define FAKE_TYPE_CAMERA_PROVIDER (fake_camera_provider_get_type ())
G_DECLARE_FINAL_TYPE (FakeCameraProvider, fake_camera_provider, FAKE, CAMERA_PROVIDER,
                      GstDeviceProvider)

struct _FakeCameraProvider
{
  GstDeviceProvider parent_instance;
};

G_DEFINE_FINAL_TYPE (FakeCameraProvider, fake_camera_provider, GST_TYPE_DEVICE_PROVIDER)

static gboolean
fake_camera_provider_start (GstDeviceProvider *provider)
{
  return TRUE;
}

static void
fake_camera_provider_stop (GstDeviceProvider *provider)
{
}

static GList *
fake_camera_provider_probe (GstDeviceProvider *provider)
{
  return NULL;
}

static void
fake_camera_provider_class_init (FakeCameraProviderClass *klass)
{
  GstDeviceProviderClass *provider_class = GST_DEVICE_PROVIDER_CLASS (klass);

  provider_class->start = fake_camera_provider_start;
  provider_class->stop = fake_camera_provider_stop;
  provider_class->probe = fake_camera_provider_probe;
  gst_device_provider_class_set_static_metadata (provider_class, "Fake cameras",
                                                 "Source/Video",
                                                 "Cameras the Vitalscan tests plug in and out",
                                                 "The Vitalscan authors");
}

static void
fake_camera_provider_init (FakeCameraProvider *self)
{
}

/* Registers the provider on first use; returns (transfer full) its singleton. */
GstDeviceProvider *
fake_camera_provider_get (void)
{
  static gsize registered = 0;

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  if (g_once_init_enter (&registered))
    {
      g_assert_true (gst_device_provider_register (NULL, "vitalfakecameras", GST_RANK_PRIMARY,
                                                   FAKE_TYPE_CAMERA_PROVIDER));
      g_once_init_leave (&registered, 1);
    }
  return gst_device_provider_factory_get_by_name ("vitalfakecameras");
}

static GstDevice *
make_device (const char *name)
{
  g_autoptr(GstCaps) caps = gst_caps_from_string ("video/x-raw,format=I420,width=640,"
                                                  "height=480,framerate=30/1");
  g_autoptr(GstStructure) props = gst_structure_new ("fake-camera-properties", "device.path",
                                                     G_TYPE_STRING, name, NULL);

  /* device.path doubles as the id: the name keeps each fake camera's id distinct. */
  return g_object_new (FAKE_TYPE_CAMERA_DEVICE, "display-name", name, "device-class",
                       "Video/Source", "caps", caps, "properties", props, NULL);
}

/* Plugs in a camera called @name; returns (transfer none) its device (owned by the provider
 * until unplugged). */
GstDevice *
fake_camera_plug (const char *name)
{
  g_autoptr(GstDeviceProvider) provider = fake_camera_provider_get ();
  GstDevice *device = make_device (name);

  gst_device_provider_device_add (provider, device);
  return device;
}

void
fake_camera_unplug (GstDevice *device)
{
  g_autoptr(GstDeviceProvider) provider = fake_camera_provider_get ();

  gst_device_provider_device_remove (provider, device);
}

/* Replaces @device's description; returns (transfer none) the new device. */
GstDevice *
fake_camera_rename (GstDevice *device,
                    const char *name)
{
  g_autoptr(GstDeviceProvider) provider = fake_camera_provider_get ();
  GstDevice *renamed = make_device (name);

  gst_device_provider_device_changed (provider, renamed, device);
  return renamed;
}

/* @count is a FakeCameraCount: whether its model has that many items. */
gboolean
fake_camera_count_reached (gpointer count)
{
  FakeCameraCount *c = count;

  return g_list_model_get_n_items (c->model) == c->n;
}
