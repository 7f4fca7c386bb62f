/* vital-waveform.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalWaveform: a small scrolling graph of the live pulse waveform (a ring buffer of the
 * newest samples, auto-scaled, drawn with GtkSnapshot).
 */
#include "vital-config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "vital-waveform.h"

struct _VitalWaveform
{
  GtkWidget  parent_instance;

  float     *ring;
  guint      capacity;
  guint      head;      /* next write position */
  guint      n;
};

G_DEFINE_FINAL_TYPE (VitalWaveform, vital_waveform, GTK_TYPE_WIDGET)

#define DEFAULT_CAPACITY 300   /* 10 s at 30 samples/s */

enum {
  PROP_0,
  PROP_CAPACITY,
  N_PROPS
};

static void
vital_waveform_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  VitalWaveform *self = VITAL_WAVEFORM (object);

  switch (prop_id)
    {
    case PROP_CAPACITY:
      self->capacity = MAX (g_value_get_uint (value), 2);
      g_free (self->ring);
      self->ring = g_new0 (float, self->capacity);
      self->n = self->head = 0;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vital_waveform_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_CAPACITY:
      g_value_set_uint (value, VITAL_WAVEFORM (object)->capacity);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static float
sample_at (VitalWaveform *self,
           guint          i)
{
  return self->ring[(self->head + self->capacity - self->n + i) % self->capacity];
}

static void
vital_waveform_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  VitalWaveform *self = VITAL_WAVEFORM (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  float lo = INFINITY, hi = -INFINITY;
  GdkRGBA color;
  cairo_t *cr;

  if (self->n < 2 || width <= 0 || height <= 0)
    return;

  for (guint i = 0; i < self->n; i++)
    {
      float v = sample_at (self, i);
      if (isfinite (v))
        {
          lo = MIN (lo, v);
          hi = MAX (hi, v);
        }
    }
  if (!isfinite (lo) || !isfinite (hi))
    return;
  if (hi - lo < 1e-6f)
    {
      hi += 0.5f;
      lo -= 0.5f;
    }

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_width (cr, 2.0);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  gdk_cairo_set_source_rgba (cr, &color);
  {
    gboolean pen_down = FALSE;
    for (guint i = 0; i < self->n; i++)
      {
        float v = sample_at (self, i);
        double x = (double) i * (width - 1) / (self->capacity - 1);
        double y;
        if (!isfinite (v))
          {
            pen_down = FALSE;
            continue;
          }
        y = 3 + (1.0 - (v - lo) / (hi - lo)) * (height - 6);
        if (pen_down)
          cairo_line_to (cr, x, y);
        else
          cairo_move_to (cr, x, y);
        pen_down = TRUE;
      }
  }
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
vital_waveform_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 120 : 48;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 64;
}

static void
vital_waveform_finalize (GObject *object)
{
  VitalWaveform *self = VITAL_WAVEFORM (object);

  g_clear_pointer (&self->ring, g_free);

  G_OBJECT_CLASS (vital_waveform_parent_class)->finalize (object);
}

static void
vital_waveform_class_init (VitalWaveformClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = vital_waveform_finalize;
  G_OBJECT_CLASS (klass)->set_property = vital_waveform_set_property;
  G_OBJECT_CLASS (klass)->get_property = vital_waveform_get_property;
  g_object_class_install_property (G_OBJECT_CLASS (klass), PROP_CAPACITY,
    g_param_spec_uint ("capacity", NULL, NULL, 2, 100000, DEFAULT_CAPACITY,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  widget_class->snapshot = vital_waveform_snapshot;
  widget_class->measure = vital_waveform_measure;
  gtk_widget_class_set_css_name (widget_class, "waveform");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
vital_waveform_init (VitalWaveform *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Live pulse waveform"),
                                  -1);
}

/**
 * vital_waveform_new:
 * @capacity: how many samples are shown across the width (at least 2)
 *
 * Returns: (transfer floating): a new, empty waveform graph
 */
GtkWidget *
vital_waveform_new (guint capacity)
{
  return g_object_new (VITAL_TYPE_WAVEFORM, "capacity", MAX (capacity, 2), NULL);
}

/**
 * vital_waveform_push_samples:
 * @self: a #VitalWaveform
 * @samples: (array length=n_samples): new samples, oldest first (NAN leaves a gap)
 * @n_samples: how many
 *
 * Appends samples; the oldest scroll out.
 */
void
vital_waveform_push_samples (VitalWaveform *self,
                             const float   *samples,
                             guint          n_samples)
{
  g_return_if_fail (VITAL_IS_WAVEFORM (self));
  g_return_if_fail (samples != NULL || n_samples == 0);

  for (guint i = 0; i < n_samples; i++)
    {
      self->ring[self->head] = samples[i];
      self->head = (self->head + 1) % self->capacity;
      self->n = MIN (self->n + 1, self->capacity);
    }
  if (n_samples > 0)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * vital_waveform_set_samples:
 * @self: a #VitalWaveform
 * @samples: (array length=n_samples): the whole waveform, oldest first
 * @n_samples: how many (only the newest capacity are kept)
 *
 * Replaces the shown samples.
 */
void
vital_waveform_set_samples (VitalWaveform *self,
                            const float   *samples,
                            guint          n_samples)
{
  g_return_if_fail (VITAL_IS_WAVEFORM (self));
  self->n = 0;
  self->head = 0;
  vital_waveform_push_samples (self, samples, n_samples);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * vital_waveform_get_n_samples:
 * @self: a #VitalWaveform
 *
 * Returns: how many samples are held
 */
guint
vital_waveform_get_n_samples (VitalWaveform *self)
{
  g_return_val_if_fail (VITAL_IS_WAVEFORM (self), 0);
  return self->n;
}

/**
 * vital_waveform_clear:
 * @self: a #VitalWaveform
 *
 * Removes every sample.
 */
void
vital_waveform_clear (VitalWaveform *self)
{
  g_return_if_fail (VITAL_IS_WAVEFORM (self));
  self->n = 0;
  self->head = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
