/* vital-camera-view.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalCameraView: draws the latest camera frame letterboxed, with the face box and the four
 * skin regions on top, coloured by tracking state. One texture slot, never a backlog; no
 * widget is rebuilt per frame, only a redraw is queued.
 */
#include "vital-config.h"

#include <glib/gi18n.h>

#include "vital-camera-view.h"

struct _VitalCameraView
{
  GtkWidget        parent_instance;

  GdkTexture      *texture;
  VitalTrackState  state;
  graphene_rect_t  face;
  graphene_rect_t  regions[VITAL_CAMERA_VIEW_N_REGIONS];
  guint            n_regions;
  guint64          frames_drawn;
};

G_DEFINE_FINAL_TYPE (VitalCameraView, vital_camera_view, GTK_TYPE_WIDGET)

static gboolean
compute_display_rect (VitalCameraView *self,
                      double           width,
                      double           height,
                      graphene_rect_t *out)
{
  double tw, th, scale;

  if (self->texture == NULL || width <= 0 || height <= 0)
    return FALSE;
  tw = gdk_texture_get_width (self->texture);
  th = gdk_texture_get_height (self->texture);
  scale = MIN (width / tw, height / th);
  graphene_rect_init (out, (width - tw * scale) / 2.0, (height - th * scale) / 2.0,
                      tw * scale, th * scale);
  return TRUE;
}

static void
outline (GtkSnapshot           *snapshot,
         const graphene_rect_t *r,
         const GdkRGBA         *color,
         float                  w)
{
  GskRoundedRect rr;
  const float widths[4] = { w, w, w, w };
  const GdkRGBA colors[4] = { *color, *color, *color, *color };

  gsk_rounded_rect_init_from_rect (&rr, r, 4.0f);
  gtk_snapshot_append_border (snapshot, &rr, widths, colors);
}

static void
map_rect (const graphene_rect_t *src,
          const graphene_rect_t *display,
          double                 scale,
          graphene_rect_t       *out)
{
  graphene_rect_init (out,
                      display->origin.x + src->origin.x * scale,
                      display->origin.y + src->origin.y * scale,
                      src->size.width * scale,
                      src->size.height * scale);
}

static void
vital_camera_view_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  VitalCameraView *self = VITAL_CAMERA_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  graphene_rect_t display;
  double scale;
  GdkRGBA bg = { 0, 0, 0, 1 };
  GdkRGBA good = { 0.2f, 0.82f, 0.48f, 1 };   /* libadwaita green_3 */
  GdkRGBA poor = { 0.96f, 0.76f, 0.07f, 1 };  /* yellow_4 */
  GdkRGBA region_good = { 0.2f, 0.82f, 0.48f, 0.7f };
  GdkRGBA region_poor = { 0.96f, 0.76f, 0.07f, 0.7f };

  gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!compute_display_rect (self, width, height, &display))
    return;

  gtk_snapshot_append_texture (snapshot, self->texture, &display);
  self->frames_drawn++;

  if (self->state == VITAL_TRACK_NONE)
    return;

  scale = display.size.width / gdk_texture_get_width (self->texture);
  for (guint i = 0; i < self->n_regions; i++)
    {
      graphene_rect_t r;
      map_rect (&self->regions[i], &display, scale, &r);
      outline (snapshot, &r, self->state == VITAL_TRACK_GOOD ? &region_good : &region_poor, 1.5f);
    }
  {
    graphene_rect_t r;
    map_rect (&self->face, &display, scale, &r);
    outline (snapshot, &r, self->state == VITAL_TRACK_GOOD ? &good : &poor, 3.0f);
  }
}

static void
vital_camera_view_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 160 : 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 480;
}

static void
vital_camera_view_dispose (GObject *object)
{
  VitalCameraView *self = VITAL_CAMERA_VIEW (object);

  g_clear_object (&self->texture);

  G_OBJECT_CLASS (vital_camera_view_parent_class)->dispose (object);
}

static void
vital_camera_view_class_init (VitalCameraViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vital_camera_view_dispose;
  widget_class->snapshot = vital_camera_view_snapshot;
  widget_class->measure = vital_camera_view_measure;
  gtk_widget_class_set_css_name (widget_class, "cameraview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
vital_camera_view_init (VitalCameraView *self)
{
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Camera view"),
                                  -1);
}

/**
 * vital_camera_view_new:
 *
 * Returns: (transfer floating): a new, black camera view
 */
GtkWidget *
vital_camera_view_new (void)
{
  return g_object_new (VITAL_TYPE_CAMERA_VIEW, NULL);
}

/**
 * vital_camera_view_set_texture:
 * @self: a #VitalCameraView
 * @texture: (nullable): the frame to show
 *
 * Replaces the shown frame (the previous one is dropped) and queues a redraw; the size is
 * only re-measured when the frame size changes.
 */
void
vital_camera_view_set_texture (VitalCameraView *self,
                               GdkTexture      *texture)
{
  gboolean resized;

  g_return_if_fail (VITAL_IS_CAMERA_VIEW (self));

  resized = (self->texture == NULL) != (texture == NULL) ||
            (texture != NULL &&
             (gdk_texture_get_width (texture) != gdk_texture_get_width (self->texture) ||
              gdk_texture_get_height (texture) != gdk_texture_get_height (self->texture)));
  g_set_object (&self->texture, texture);
  if (resized)
    gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * vital_camera_view_push_frame:
 * @self: a #VitalCameraView
 * @pixels: the frame's pixels (a reference is taken; do not modify them afterwards)
 * @width: frame width in pixels
 * @height: frame height in pixels
 * @stride: bytes per row
 * @format: the pixel layout (RGBA, BGRA or RGB)
 * @error: return location for a #GError
 *
 * Wraps the pixels in a #GdkMemoryTexture and shows it.
 *
 * Returns: %FALSE (with @error set) when the buffer is too small for the geometry
 */
gboolean
vital_camera_view_push_frame (VitalCameraView  *self,
                              GBytes           *pixels,
                              int               width,
                              int               height,
                              gsize             stride,
                              GdkMemoryFormat   format,
                              GError          **error)
{
  g_autoptr(GdkTexture) texture = NULL;
  gsize bpp;

  g_return_val_if_fail (VITAL_IS_CAMERA_VIEW (self), FALSE);
  g_return_val_if_fail (pixels != NULL, FALSE);

  switch (format)
    {
    case GDK_MEMORY_R8G8B8:
    case GDK_MEMORY_B8G8R8:
      bpp = 3;
      break;
    case GDK_MEMORY_R8G8B8A8:
    case GDK_MEMORY_B8G8R8A8:
    case GDK_MEMORY_R8G8B8A8_PREMULTIPLIED:
    case GDK_MEMORY_B8G8R8A8_PREMULTIPLIED:
    case GDK_MEMORY_A8R8G8B8:
    case GDK_MEMORY_A8B8G8R8:
      bpp = 4;
      break;
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "unsupported pixel format %d", (int) format);
      return FALSE;
    }

  if (width <= 0 || height <= 0 || stride < (gsize) width * bpp ||
      g_bytes_get_size (pixels) < stride * (gsize) (height - 1) + (gsize) width * bpp)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "frame buffer of %" G_GSIZE_FORMAT " bytes does not hold %d×%d pixels "
                   "at stride %" G_GSIZE_FORMAT,
                   g_bytes_get_size (pixels), width, height, stride);
      return FALSE;
    }

  texture = gdk_memory_texture_new (width, height, format, pixels, stride);
  vital_camera_view_set_texture (self, texture);
  return TRUE;
}

/**
 * vital_camera_view_get_texture:
 * @self: a #VitalCameraView
 *
 * Returns: (transfer none) (nullable): the frame shown
 */
GdkTexture *
vital_camera_view_get_texture (VitalCameraView *self)
{
  g_return_val_if_fail (VITAL_IS_CAMERA_VIEW (self), NULL);
  return self->texture;
}

/**
 * vital_camera_view_set_face:
 * @self: a #VitalCameraView
 * @state: tracking state; %VITAL_TRACK_NONE hides the overlay
 * @face: (nullable): the face box in frame pixels
 * @regions: (array length=n_regions) (nullable): skin regions in frame pixels
 * @n_regions: number of regions (at most 4 are drawn)
 *
 * Sets the overlay drawn over the frame.
 */
void
vital_camera_view_set_face (VitalCameraView       *self,
                            VitalTrackState        state,
                            const graphene_rect_t *face,
                            const graphene_rect_t *regions,
                            guint                  n_regions)
{
  g_return_if_fail (VITAL_IS_CAMERA_VIEW (self));

  if (face == NULL)
    state = VITAL_TRACK_NONE;
  self->state = state;
  if (face != NULL)
    self->face = *face;
  self->n_regions = regions ? MIN (n_regions, VITAL_CAMERA_VIEW_N_REGIONS) : 0;
  for (guint i = 0; i < self->n_regions; i++)
    self->regions[i] = regions[i];
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * vital_camera_view_get_track_state:
 * @self: a #VitalCameraView
 *
 * Returns: the tracking state of the overlay
 */
VitalTrackState
vital_camera_view_get_track_state (VitalCameraView *self)
{
  g_return_val_if_fail (VITAL_IS_CAMERA_VIEW (self), VITAL_TRACK_NONE);
  return self->state;
}

/**
 * vital_camera_view_get_display_rect:
 * @self: a #VitalCameraView
 * @rect: (out): where the frame is drawn, in widget coordinates
 *
 * Returns: %FALSE when no frame is shown
 */
gboolean
vital_camera_view_get_display_rect (VitalCameraView *self,
                                    graphene_rect_t *rect)
{
  g_return_val_if_fail (VITAL_IS_CAMERA_VIEW (self), FALSE);
  return compute_display_rect (self, gtk_widget_get_width (GTK_WIDGET (self)),
                               gtk_widget_get_height (GTK_WIDGET (self)), rect);
}

/**
 * vital_camera_view_clear:
 * @self: a #VitalCameraView
 *
 * Drops the frame and the overlay.
 */
void
vital_camera_view_clear (VitalCameraView *self)
{
  g_return_if_fail (VITAL_IS_CAMERA_VIEW (self));
  vital_camera_view_set_face (self, VITAL_TRACK_NONE, NULL, NULL, 0);
  vital_camera_view_set_texture (self, NULL);
}

/**
 * vital_camera_view_get_frames_drawn:
 * @self: a #VitalCameraView
 *
 * Returns: how many frames snapshot() has drawn (for the preview benchmark)
 */
guint64
vital_camera_view_get_frames_drawn (VitalCameraView *self)
{
  g_return_val_if_fail (VITAL_IS_CAMERA_VIEW (self), 0);
  return self->frames_drawn;
}
