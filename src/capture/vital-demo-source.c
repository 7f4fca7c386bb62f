/* vital-demo-source.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the demo subject: the public-domain NASA portrait (data/demo/, compiled in as a
 * GResource) cropped to a 640×480 head shot, its skin mask, the synthetic subject's per-frame
 * skin modulation (src/core/vital-synth.h), sensor noise and slight head motion; playing it
 * as a GStreamer source element; and writing the demo to a video file for tests and
 * benchmarks.
 */
#include "vital-config.h"

#include <math.h>
#include <string.h>
#include <gst/app/app.h>
#include <gst/video/video.h>

#include "vital-capture-error.h"
#include "vital-capture-gst.h"
#include "vital-capture-resources.h"
#include "vital-demo-source.h"
#include "vital-synth.h"

#define PORTRAIT_RESOURCE "/io/github/vitalscan/Vitalscan/demo/astronaut.png"

/* The portrait is 512×512; the head shot is the 320×240 window at (64, 0), scaled ×2. In that
 * frame OpenCV's frontal-face cascade finds the face at about (222, 128) 194×194. */
#define CROP_X      64.0
#define CROP_Y      0.0
#define CROP_SCALE  2.0
#define FACE_CX     319.0
#define FACE_CY     225.0
#define FACE_SIZE   194.0

struct _VitalDemoSource
{
  VitalDemoSettings settings;
  VitalSynth *synth;
  guint8 *base;            /* VITAL_DEMO_WIDTH × VITAL_DEMO_HEIGHT RGB, stride width × 3 */
  guint8 *mask;            /* skin mask, 255 = skin */
  guint8 *work;            /* the modulated frame before motion */
  guint next_frame;        /* the synth's next sample index */
  VitalRect face;
  guint play_index;        /* the next frame the element plays; its streaming thread's */
};

/**
 * vital_demo_settings_init:
 * @settings: (out caller-allocates): settings to fill
 *
 * The default demo subject: 72 bpm, 15 breaths/min, noise σ = 1.5 levels, ±2 px head motion,
 * seed 1, real time, endless, portrait; neutral white balance, steady light, silent;
 * near-lossless when written to a file.
 */
void
vital_demo_settings_init (VitalDemoSettings *settings)
{
  g_return_if_fail (settings != NULL);

  *settings = (VitalDemoSettings) {
    .heart_rate_bpm = 72.0,
    .respiratory_rate = 15.0,
    .noise_level = 1.5,
    .motion_px = 2.0,
    .seed = 1,
    .realtime = TRUE,
    .duration_s = 0.0,
    .skin_patch = FALSE,
    .white_balance = { 1.0, 1.0, 1.0 },
    .mains_hz = 100.0,
  };
}

static guint32
xorshift (guint32 *state)
{
  guint32 x = *state;

  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

/* gst_parse_launch() of @description; an element it cannot make is
 * %VITAL_CAPTURE_ERROR_MISSING_PLUGIN, said as "cannot @what: …". */
static GstElement *
launch (const char  *description,
        const char  *what,
        GError     **error)
{
  g_autoptr(GError) parse_error = NULL;
  GstElement *pipeline = gst_parse_launch (description, &parse_error);

  if (pipeline == NULL)
    g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_MISSING_PLUGIN,
                 "cannot %s: %s", what, parse_error->message);
  return pipeline;
}

/**
 * vital_demo_load_portrait:
 * @out_width: (out): image width
 * @out_height: (out): image height
 * @error: return location for a #GError
 *
 * Decodes the demo portrait (a GResource compiled into the capture library) with GStreamer.
 *
 * Returns: (transfer full): packed RGB pixels (stride = 3 × width), or %NULL with @error set
 */
GBytes *
vital_demo_load_portrait (int *out_width,
                          int *out_height,
                          GError **error)
{
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) src = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstSample) sample = NULL;
  GstVideoInfo info;
  GstVideoFrame frame;
  GstBuffer *buffer;
  guint8 *rgb;
  int width, height;

  g_return_val_if_fail (out_width != NULL && out_height != NULL, NULL);

  vital_capture_gst_init ();

  png = g_resources_lookup_data (PORTRAIT_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (png == NULL)
    {
      g_resources_register (vital_capture_get_resource ());
      g_clear_error (error);
      png = g_resources_lookup_data (PORTRAIT_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (png == NULL)
        return NULL;
    }

  pipeline = launch ("appsrc name=src ! pngdec ! videoconvert ! "
                     "video/x-raw,format=RGB ! appsink name=sink",
                     "decode the demo portrait", error);
  if (pipeline == NULL)
    return NULL;
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_app_src_push_buffer (GST_APP_SRC (src), gst_buffer_new_wrapped_bytes (png));
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  sample = gst_app_sink_try_pull_preroll (GST_APP_SINK (sink), 10 * GST_SECOND);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  if (sample == NULL || (buffer = gst_sample_get_buffer (sample)) == NULL
      || !gst_video_info_from_caps (&info, gst_sample_get_caps (sample))
      || !gst_video_frame_map (&frame, &info, buffer, GST_MAP_READ))
    {
      g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_DECODE,
                   "the demo portrait could not be decoded");
      return NULL;
    }

  width = GST_VIDEO_FRAME_WIDTH (&frame);
  height = GST_VIDEO_FRAME_HEIGHT (&frame);
  rgb = g_malloc ((gsize) width * height * 3);
  for (int y = 0; y < height; y++)
    memcpy (rgb + (gsize) y * width * 3,
            (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0)
              + (gsize) y * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0),
            (gsize) width * 3);
  gst_video_frame_unmap (&frame);

  *out_width = width;
  *out_height = height;
  return g_bytes_new_take (rgb, (gsize) width * height * 3);
}

/* Bilinear sample of a packed RGB image at (fx, fy), clamped to the edges. */
static inline void
sample_bilinear (const guint8 *img,
                 int width,
                 int height,
                 double fx,
                 double fy,
                 guint8 *out)
{
  int x0, y0, x1, y1;
  double ax, ay;

  fx = CLAMP (fx, 0.0, width - 1.0);
  fy = CLAMP (fy, 0.0, height - 1.0);
  x0 = (int) fx;
  y0 = (int) fy;
  x1 = MIN (x0 + 1, width - 1);
  y1 = MIN (y0 + 1, height - 1);
  ax = fx - x0;
  ay = fy - y0;
  for (int c = 0; c < 3; c++)
    {
      double top = img[((gsize) y0 * width + x0) * 3 + c] * (1 - ax)
                   + img[((gsize) y0 * width + x1) * 3 + c] * ax;
      double bottom = img[((gsize) y1 * width + x0) * 3 + c] * (1 - ax)
                      + img[((gsize) y1 * width + x1) * 3 + c] * ax;

      out[c] = (guint8) lround (top * (1 - ay) + bottom * ay);
    }
}

/* Moves a packed RGB image by (dx, dy) px into @dst, edges clamped. A translation has the same
 * bilinear weights at every pixel, so they are computed once, in 8-bit fixed point: the demo
 * renders 30 frames a second next to the live preview, and per-pixel floating point with
 * lround() was a quarter of the app's CPU. */
static void
translate_rgb (const guint8 *src,
               int width,
               int height,
               double dx,
               double dy,
               guint8 *dst,
               gsize stride)
{
  double fx = -dx, fy = -dy;
  int ix = (int) floor (fx), iy = (int) floor (fy);
  guint wx = (guint) lround ((fx - ix) * 256.0), wy = (guint) lround ((fy - iy) * 256.0);
  guint w00, w01, w10, w11;

  if (wx == 256)
    ix++, wx = 0;
  if (wy == 256)
    iy++, wy = 0;
  w00 = (256 - wx) * (256 - wy);
  w01 = wx * (256 - wy);
  w10 = (256 - wx) * wy;
  w11 = wx * wy;

  for (int y = 0; y < height; y++)
    {
      const guint8 *r0 = src + (gsize) CLAMP (y + iy, 0, height - 1) * width * 3;
      const guint8 *r1 = src + (gsize) CLAMP (y + iy + 1, 0, height - 1) * width * 3;
      guint8 *out = dst + (gsize) y * stride;

      for (int x = 0; x < width; x++)
        {
          gsize x0 = (gsize) CLAMP (x + ix, 0, width - 1) * 3;
          gsize x1 = (gsize) CLAMP (x + ix + 1, 0, width - 1) * 3;

          for (int c = 0; c < 3; c++)
            out[x * 3 + c] = (guint8) ((w00 * r0[x0 + c] + w01 * r0[x1 + c] + w10 * r1[x0 + c]
                                        + w11 * r1[x1 + c] + 32768) >> 16);
        }
    }
}

/* Skin: the YCbCr box of Chai & Ngan (1999), inside an ellipse around the known face. */
static void
build_skin_mask (VitalDemoSource *self)
{
  const double rx = 0.55 * FACE_SIZE, ry = 0.80 * FACE_SIZE;

  for (int y = 0; y < VITAL_DEMO_HEIGHT; y++)
    for (int x = 0; x < VITAL_DEMO_WIDTH; x++)
      {
        const guint8 *p = self->base + ((gsize) y * VITAL_DEMO_WIDTH + x) * 3;
        double r = p[0], g = p[1], b = p[2];
        double luma = 0.299 * r + 0.587 * g + 0.114 * b;
        double cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
        double cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
        double ex = (x - FACE_CX) / rx, ey = (y - FACE_CY) / ry;
        gboolean skin = cr >= 133 && cr <= 173 && cb >= 77 && cb <= 127
                        && luma > 40 && luma < 245 && ex * ex + ey * ey <= 1.0;

        self->mask[(gsize) y * VITAL_DEMO_WIDTH + x] = skin ? 255 : 0;
      }
}

static void
build_skin_patch (VitalDemoSource *self)
{
  guint8 tone[3];
  guint32 rng = self->settings.seed * 2654435761u + 7u;

  /* A mid skin tone (Fitzpatrick III) with a fixed mottled texture, filling the frame. */
  vital_synth_skin_rgb (3, tone);
  if (rng == 0)
    rng = 1;
  for (gsize i = 0; i < (gsize) VITAL_DEMO_WIDTH * VITAL_DEMO_HEIGHT; i++)
    {
      int texture = (int) (xorshift (&rng) % 9) - 4;

      for (int c = 0; c < 3; c++)
        self->base[i * 3 + c] = (guint8) CLAMP (tone[c] + texture, 0, 255);
      self->mask[i] = 255;
    }
}

static gboolean
build_portrait (VitalDemoSource *self,
                GError **error)
{
  g_autoptr(GBytes) portrait = NULL;
  const guint8 *img;
  int width, height;

  portrait = vital_demo_load_portrait (&width, &height, error);
  if (portrait == NULL)
    return FALSE;
  img = g_bytes_get_data (portrait, NULL);

  for (int y = 0; y < VITAL_DEMO_HEIGHT; y++)
    for (int x = 0; x < VITAL_DEMO_WIDTH; x++)
      sample_bilinear (img, width, height, CROP_X + (x + 0.5) / CROP_SCALE - 0.5,
                       CROP_Y + (y + 0.5) / CROP_SCALE - 0.5,
                       self->base + ((gsize) y * VITAL_DEMO_WIDTH + x) * 3);
  build_skin_mask (self);
  return TRUE;
}

/**
 * vital_demo_source_new:
 * @settings: the demo subject
 * @error: return location for a #GError
 *
 * Loads the portrait (or makes the skin patch) and sets up the synthetic subject.
 *
 * Returns: (transfer full): a new demo source, or %NULL with @error set
 */
VitalDemoSource *
vital_demo_source_new (const VitalDemoSettings *settings,
                       GError **error)
{
  g_autoptr(VitalDemoSource) self = NULL;
  VitalSynthParams params;

  g_return_val_if_fail (settings != NULL, NULL);

  if (!(settings->heart_rate_bpm >= 40 && settings->heart_rate_bpm <= 200)
      || !(settings->respiratory_rate >= 4 && settings->respiratory_rate <= 40)
      || !(settings->noise_level >= 0 && settings->noise_level <= 50)
      || !(settings->motion_px >= 0 && settings->motion_px <= 50)
      || !(settings->duration_s >= 0)
      || !(settings->exposure_step >= 0 && settings->exposure_step <= 0.5)
      || !(settings->flicker >= 0 && settings->flicker <= 0.2)
      || !(settings->talking >= 0 && settings->talking <= 0.5)
      || !(settings->bitrate_kbps >= 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "demo settings out of range (HR 40-200 bpm, RR 4-40 /min, noise 0-50, "
                   "motion 0-50 px, duration >= 0, exposure steps 0-0.5, flicker 0-0.2, "
                   "talking 0-0.5, bitrate >= 0)");
      return NULL;
    }

  self = g_new0 (VitalDemoSource, 1);
  self->settings = *settings;
  self->base = g_malloc0 ((gsize) VITAL_DEMO_WIDTH * VITAL_DEMO_HEIGHT * 3);
  self->work = g_malloc0 ((gsize) VITAL_DEMO_WIDTH * VITAL_DEMO_HEIGHT * 3);
  self->mask = g_malloc0 ((gsize) VITAL_DEMO_WIDTH * VITAL_DEMO_HEIGHT);

  if (settings->skin_patch)
    {
      build_skin_patch (self);
      self->face = (VitalRect) { 0, 0, VITAL_DEMO_WIDTH, VITAL_DEMO_HEIGHT };
    }
  else
    {
      if (!build_portrait (self, error))
        return NULL;
      self->face = (VitalRect) { (int) (FACE_CX - FACE_SIZE / 2), (int) (FACE_CY - FACE_SIZE / 2),
                                 (int) FACE_SIZE, (int) FACE_SIZE };
    }

  /* The synthetic subject modulates the skin and adds sensor noise before quantisation (so
   * the noise dithers the sub-level pulse); head motion is applied here. */
  vital_synth_params_init (&params);
  params.seed = settings->seed;
  params.frame_rate = VITAL_DEMO_FRAME_RATE;
  params.heart_rate = settings->heart_rate_bpm;
  params.respiratory_rate = settings->respiratory_rate;
  params.noise = settings->noise_level;
  params.motion = 0.0;
  params.illumination_drift = 0.0;
  for (guint c = 0; c < 3; c++)
    params.white_balance[c] = settings->white_balance[c] > 0.0 ? settings->white_balance[c] : 1.0;
  params.exposure_step = settings->exposure_step;
  params.flicker = settings->flicker;
  params.mains_hz = settings->mains_hz > 0.0 ? settings->mains_hz : 100.0;
  params.talking = settings->talking;
  self->synth = vital_synth_new (&params);

  return g_steal_pointer (&self);
}

/**
 * vital_demo_source_free:
 * @self: (transfer full) (nullable): a demo source
 *
 * Frees the demo source.
 */
void
vital_demo_source_free (VitalDemoSource *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->synth);
  g_free (self->base);
  g_free (self->work);
  g_free (self->mask);
  g_free (self);
}

/**
 * vital_demo_source_get_settings:
 * @self: a demo source
 *
 * Returns: (transfer none): the settings it was made with
 */
const VitalDemoSettings *
vital_demo_source_get_settings (VitalDemoSource *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->settings;
}

/**
 * vital_demo_source_get_truth:
 * @self: a demo source
 * @duration_s: the stretch [0, @duration_s) of the demo
 * @out: (out caller-allocates): the realised ground truth (heart rate, SDNN, ...)
 *
 * What the demo subject's heart actually did, for comparing measurements with.
 */
void
vital_demo_source_get_truth (VitalDemoSource *self,
                             double duration_s,
                             VitalSynthTruth *out)
{
  g_return_if_fail (self != NULL);

  vital_synth_get_truth (self->synth, duration_s, out);
}

/**
 * vital_demo_source_get_motion:
 * @self: a demo source
 * @frame_index: a frame number
 * @out_dx: (out): horizontal head offset of that frame in pixels
 * @out_dy: (out): vertical head offset in pixels
 *
 * The slight head motion: two incommensurate slow sways (0.13 Hz and 0.21 Hz), so tests can
 * compare the tracker's boxes with the truth.
 */
void
vital_demo_source_get_motion (VitalDemoSource *self,
                              guint frame_index,
                              double *out_dx,
                              double *out_dy)
{
  double t = (double) frame_index / VITAL_DEMO_FRAME_RATE;
  double a = self->settings.skin_patch ? 0.0 : self->settings.motion_px;

  *out_dx = a * sin (2 * G_PI * 0.13 * t);
  *out_dy = 0.6 * a * sin (2 * G_PI * 0.21 * t + 1.0);
}

/**
 * vital_demo_source_render:
 * @self: a demo source
 * @frame_index: the frame number (frames must be rendered in order; going back restarts the
 *   synthetic subject)
 * @rgb: (out caller-allocates): %VITAL_DEMO_WIDTH × %VITAL_DEMO_HEIGHT RGB pixels to fill
 * @stride: bytes per row of @rgb (at least 3 × %VITAL_DEMO_WIDTH)
 *
 * Renders one frame: skin modulated by the synthetic subject with Gaussian sensor noise and
 * 8-bit quantisation, moved by the head motion.
 */
void
vital_demo_source_render (VitalDemoSource *self,
                          guint frame_index,
                          guint8 *rgb,
                          gsize stride)
{
  VitalSynthSample sample = { 0 };
  g_autoptr(GError) error = NULL;
  double dx, dy;

  g_return_if_fail (self != NULL);
  g_return_if_fail (rgb != NULL && stride >= (gsize) VITAL_DEMO_WIDTH * 3);

  if (frame_index < self->next_frame)
    {
      vital_synth_reset (self->synth);
      self->next_frame = 0;
    }
  while (self->next_frame <= frame_index)
    {
      vital_synth_next_sample (self->synth, &sample);
      self->next_frame++;
    }

  memcpy (self->work, self->base, (gsize) VITAL_DEMO_WIDTH * VITAL_DEMO_HEIGHT * 3);
  if (!vital_synth_modulate_rgb (self->synth, &sample, self->work, VITAL_DEMO_WIDTH,
                                 VITAL_DEMO_HEIGHT, (gsize) VITAL_DEMO_WIDTH * 3, self->mask,
                                 &self->face, &error))
    g_warning ("demo frame %u not modulated: %s", frame_index, error->message);

  vital_demo_source_get_motion (self, frame_index, &dx, &dy);
  if (dx == 0.0 && dy == 0.0)
    for (int y = 0; y < VITAL_DEMO_HEIGHT; y++)
      memcpy (rgb + (gsize) y * stride, self->work + (gsize) y * VITAL_DEMO_WIDTH * 3,
              (gsize) VITAL_DEMO_WIDTH * 3);
  else
    translate_rgb (self->work, VITAL_DEMO_WIDTH, VITAL_DEMO_HEIGHT, dx, dy, rgb, stride);
}

/* ---- playing the demo in a pipeline ------------------------------------------------------- */

static void
on_need_data (GstAppSrc *src,
              guint length,
              gpointer user_data)
{
  VitalDemoSource *self = user_data;
  GstBuffer *buffer;
  GstMapInfo map;

  if (self->settings.duration_s > 0
      && self->play_index >= (guint) lround (self->settings.duration_s * VITAL_DEMO_FRAME_RATE))
    {
      gst_app_src_end_of_stream (src);
      return;
    }

  buffer = gst_buffer_new_allocate (NULL, (gsize) VITAL_DEMO_WIDTH * VITAL_DEMO_HEIGHT * 3, NULL);
  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  vital_demo_source_render (self, self->play_index, map.data, VITAL_DEMO_WIDTH * 3);
  gst_buffer_unmap (buffer, &map);
  GST_BUFFER_PTS (buffer) = gst_util_uint64_scale (self->play_index, GST_SECOND,
                                                   VITAL_DEMO_FRAME_RATE);
  GST_BUFFER_DURATION (buffer) = GST_SECOND / VITAL_DEMO_FRAME_RATE;
  self->play_index++;
  gst_app_src_push_buffer (src, buffer);
}

/**
 * vital_demo_source_create_element:
 * @self: a demo source; it must outlive the element, which does not own it
 * @name: (nullable): the element's name
 * @error: return location for a #GError
 *
 * Creates a source element (an appsrc) that plays the demo subject from its first frame:
 * %VITAL_DEMO_WIDTH × %VITAL_DEMO_HEIGHT RGB at %VITAL_DEMO_FRAME_RATE, timestamped by frame
 * index, live when the settings say real time (otherwise as fast as it is consumed), and
 * ending after the settings' duration unless that is 0. One element plays @self at a time.
 *
 * Returns: (transfer floating): the element, or %NULL with @error set
 *   (%VITAL_CAPTURE_ERROR_MISSING_PLUGIN) when appsrc is not installed
 */
GstElement *
vital_demo_source_create_element (VitalDemoSource *self,
                                  const char *name,
                                  GError **error)
{
  GstAppSrcCallbacks callbacks = { .need_data = on_need_data };
  g_autoptr(GstCaps) caps = NULL;
  GstElement *src;

  g_return_val_if_fail (self != NULL, NULL);

  vital_capture_gst_init ();

  src = vital_capture_make_element ("appsrc", name, error);
  if (src == NULL)
    return NULL;
  caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "RGB",
                              "width", G_TYPE_INT, VITAL_DEMO_WIDTH,
                              "height", G_TYPE_INT, VITAL_DEMO_HEIGHT,
                              "framerate", GST_TYPE_FRACTION, VITAL_DEMO_FRAME_RATE, 1,
                              "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);
  g_object_set (src, "caps", caps, "format", GST_FORMAT_TIME,
                "is-live", self->settings.realtime, "do-timestamp", FALSE,
                "max-bytes", (guint64) VITAL_DEMO_WIDTH * VITAL_DEMO_HEIGHT * 3 * 2,
                "block", FALSE, NULL);
  gst_app_src_set_callbacks (GST_APP_SRC (src), &callbacks, self, NULL);
  self->play_index = 0;
  return src;
}

/* ---- writing the demo to a file ----------------------------------------------------------- */

static char *
encoder_for_path (const char *path,
                  double      bitrate_kbps)
{
  if (bitrate_kbps > 0.0)
    {
      /* Streaming settings: a constant bitrate, a key frame every 250 frames, B-frames, as a
       * video call or a cheap webcam's recording; a fixed encoder speed, so the same demo
       * always gives the same file (libvpx's realtime mode picks its speed from the CPU time
       * it gets). */
      guint kbps = (guint) lround (bitrate_kbps);

      if (g_str_has_suffix (path, ".webm"))
        return g_strdup_printf ("vp8enc deadline=1 cpu-used=-5 end-usage=cbr "
                                "target-bitrate=%u keyframe-max-dist=250 threads=2 ! webmmux",
                                kbps * 1000);
      if (g_str_has_suffix (path, ".mp4") || g_str_has_suffix (path, ".mov"))
        return g_strdup_printf ("x264enc speed-preset=veryfast bitrate=%u key-int-max=250 "
                                "bframes=3 threads=2 ! video/x-h264,profile=high ! mp4mux",
                                kbps);
      if (g_str_has_suffix (path, ".mkv"))
        return g_strdup_printf ("x264enc speed-preset=veryfast bitrate=%u key-int-max=250 "
                                "bframes=3 threads=2 ! matroskamux", kbps);
      return NULL;
    }
  /* Near-lossless settings: lossy codecs at streaming bitrates erase the sub-level pulse. */
  if (g_str_has_suffix (path, ".webm"))
    return g_strdup ("vp8enc deadline=1 cpu-used=-8 end-usage=cq cq-level=2 min-quantizer=0 "
                     "max-quantizer=6 target-bitrate=40000000 threads=2 ! webmmux");
  if (g_str_has_suffix (path, ".mp4") || g_str_has_suffix (path, ".mov"))
    return g_strdup ("x264enc speed-preset=ultrafast pass=quant quantizer=8 threads=2 ! "
                     "video/x-h264,profile=high-4:4:4 ! mp4mux");
  if (g_str_has_suffix (path, ".avi"))
    return g_strdup ("jpegenc quality=98 ! avimux");
  if (g_str_has_suffix (path, ".mkv"))
    return g_strdup ("x264enc speed-preset=ultrafast pass=quant quantizer=8 threads=2 ! "
                     "matroskamux");
  return NULL;
}

/**
 * vital_demo_source_write_video:
 * @settings: the demo subject; @duration_s must be > 0
 * @path: the file to write: .webm (VP8), .mp4/.mov (H.264), .avi (MJPEG) or .mkv (H.264)
 * @error: return location for a #GError
 *
 * Encodes the demo subject to a video file at 30 fps (tests and benchmarks use it as a
 * recorded video with known ground truth): near-lossless, or at @settings' bitrate with
 * streaming settings.
 *
 * Returns: %TRUE when the file was written
 */
gboolean
vital_demo_source_write_video (const VitalDemoSettings *settings,
                               const char *path,
                               GError **error)
{
  g_autoptr(VitalDemoSource) demo = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) src = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) msg = NULL;
  g_autofree char *description = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *encoder = NULL;
  const gsize frame_bytes = (gsize) VITAL_DEMO_WIDTH * VITAL_DEMO_HEIGHT * 3;
  guint n_frames;

  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  vital_capture_gst_init ();

  encoder = encoder_for_path (path, settings->bitrate_kbps);
  if (encoder == NULL || !(settings->duration_s > 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "need a duration and a .webm, .mp4, .mov, .avi or .mkv file name "
                   "(.avi only near-lossless)");
      return FALSE;
    }

  demo = vital_demo_source_new (settings, error);
  if (demo == NULL)
    return FALSE;

  escaped = g_strescape (path, NULL);
  description = g_strdup_printf ("appsrc name=src format=time "
                                 "caps=video/x-raw,format=RGB,width=%d,height=%d,"
                                 "framerate=%d/1,pixel-aspect-ratio=1/1 ! videoconvert ! "
                                 "%s ! filesink location=\"%s\"",
                                 VITAL_DEMO_WIDTH, VITAL_DEMO_HEIGHT, VITAL_DEMO_FRAME_RATE,
                                 encoder, escaped);
  pipeline = launch (description, "build the encoder", error);
  if (pipeline == NULL)
    return FALSE;
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);

  n_frames = (guint) lround (settings->duration_s * VITAL_DEMO_FRAME_RATE);
  for (guint i = 0; i < n_frames && msg == NULL; i++)
    {
      GstBuffer *buffer = gst_buffer_new_allocate (NULL, frame_bytes, NULL);
      GstMapInfo map;

      /* Keep at most a few frames queued; stop at the first pipeline error. */
      while (msg == NULL && gst_app_src_get_current_level_bytes (GST_APP_SRC (src))
                              > 4 * frame_bytes)
        msg = gst_bus_timed_pop_filtered (bus, 5 * GST_MSECOND, GST_MESSAGE_ERROR);

      gst_buffer_map (buffer, &map, GST_MAP_WRITE);
      vital_demo_source_render (demo, i, map.data, VITAL_DEMO_WIDTH * 3);
      gst_buffer_unmap (buffer, &map);
      GST_BUFFER_PTS (buffer) = gst_util_uint64_scale (i, GST_SECOND, VITAL_DEMO_FRAME_RATE);
      GST_BUFFER_DURATION (buffer) = GST_SECOND / VITAL_DEMO_FRAME_RATE;
      gst_app_src_push_buffer (GST_APP_SRC (src), buffer);
    }
  gst_app_src_end_of_stream (GST_APP_SRC (src));

  if (msg == NULL)
    msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
                                      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  if (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) gst_error = NULL;

      gst_message_parse_error (msg, &gst_error, NULL);
      g_set_error (error, VITAL_CAPTURE_ERROR, VITAL_CAPTURE_ERROR_FAILED,
                   "writing “%s” failed: %s", path, gst_error->message);
      return FALSE;
    }
  return TRUE;
}
