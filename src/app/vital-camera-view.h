/* vital-camera-view.h
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalCameraView: draws the latest camera frame letterboxed, with the face box and the four
 * skin regions on top, coloured by tracking state.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * VitalTrackState:
 * How well the face is tracked; picks the overlay colour.
 */
typedef enum
{
  VITAL_TRACK_NONE,     /* no face: no overlay */
  VITAL_TRACK_POOR,     /* face found, but guidance says something is wrong */
  VITAL_TRACK_GOOD,
} VitalTrackState;

#define VITAL_CAMERA_VIEW_N_REGIONS 4

#define VITAL_TYPE_CAMERA_VIEW (vital_camera_view_get_type ())
G_DECLARE_FINAL_TYPE (VitalCameraView, vital_camera_view, VITAL, CAMERA_VIEW, GtkWidget)

GtkWidget  *vital_camera_view_new          (void);
gboolean    vital_camera_view_push_frame   (VitalCameraView       *self,
                                            GBytes                *pixels,
                                            int                    width,
                                            int                    height,
                                            gsize                  stride,
                                            GdkMemoryFormat        format,
                                            GError               **error);
void        vital_camera_view_set_texture  (VitalCameraView       *self,
                                            GdkTexture            *texture);
GdkTexture *vital_camera_view_get_texture  (VitalCameraView       *self);
void        vital_camera_view_set_face     (VitalCameraView       *self,
                                            VitalTrackState        state,
                                            const graphene_rect_t *face,
                                            const graphene_rect_t *regions,
                                            guint                  n_regions);
VitalTrackState vital_camera_view_get_track_state (VitalCameraView *self);
gboolean    vital_camera_view_get_display_rect (VitalCameraView       *self,
                                                graphene_rect_t       *rect);
void        vital_camera_view_clear        (VitalCameraView       *self);
guint64     vital_camera_view_get_frames_drawn (VitalCameraView   *self);

G_END_DECLS
