/* vital-capture-delivery.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns VitalCapture's frame path: the pipeline's frames and detections on the streaming
 * threads, under the capture's mutex, through the VitalFrameProcessor into the live estimate,
 * the running scan's recording and display frames; and their delivery to the main context,
 * paced by the VitalFramePacer, as #VitalCapture::frame and #VitalCapture::scan-progress.
 */
#include "vital-config.h"

#include <math.h>
#include <string.h>

#include "vital-capture-gst.h"
#include "vital-capture-private.h"

#define GST_CAT_DEFAULT vital_capture_debug

/* ---- frame processing (streaming threads, under the mutex) -------------------------------- */

/* Drops the reference a delivery source holds on the capture. */
static void
deliver_cb_notify (gpointer data)
{
  g_object_unref (data);
}

static gboolean deliver_cb (gpointer data);

/* Queues deliver_cb on the capture's context, after @delay_ms (0: as soon as it is idle); the
 * source holds a reference on the capture. */
static void
attach_delivery (VitalCapture *self,
                 guint delay_ms)
{
  g_autoptr(GSource) source = delay_ms > 0 ? g_timeout_source_new (delay_ms)
                                           : g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver_cb, g_object_ref (self), deliver_cb_notify);
  g_source_set_static_name (source, "[vitalscan] capture frame delivery");
  g_source_attach (source, self->context);
}

/* Asks for a delivery as soon as the main context is idle, unless one is already due. */
static void
schedule_delivery_locked (VitalCapture *self)
{
  if (!vital_frame_pacer_request (self->pacer))
    return;
  /* Always queue on the target context: g_main_context_invoke_full() would run deliver_cb right
   * here when nobody owns that context, and deliver_cb takes the mutex we hold. */
  attach_delivery (self, 0);
}

/* Whether the running scan has all it needs (the frames that follow are not recorded). */
static gboolean
scan_done_locked (VitalCapture *self)
{
  return self->recorder != NULL && vital_scan_recorder_is_done (self->recorder);
}

/* One ready frame (@pf borrowed): processed, then fed to the live estimate, the scan's
 * recording, the frame hook and, when frames are emitted, the pacer as a display frame. */
static void
process_frame_locked (VitalCapture *self,
                      const VitalRgbFrame *pf)
{
  g_autoptr(GError) error = NULL;
  VitalFrameResult result;

  if (!vital_frame_processor_process (self->processor, pf, &result, &error))
    {
      GST_DEBUG ("frame not processed: %s", error->message);
      return;
    }

  /* The live estimate (preview only); frames without a face break its history. */
  if (self->emit_frames && result.has_face)
    vital_stream_push_planes (self->live_estimate, pf->pts_us, result.planes, NULL);
  else if (!result.has_face)
    vital_stream_reset (self->live_estimate);

  if (self->recorder != NULL
      && vital_scan_recorder_push (self->recorder, pf->pts_us, result.planes, result.has_face))
    self->progress_dirty = TRUE;

  if (self->frame_hook != NULL)
    self->frame_hook (self, pf->pts_us, result.has_face, &result.face, result.guidance,
                      self->frame_hook_data);

  if (self->emit_frames)
    {
      VitalCaptureFrame *frame = vital_capture_frame_new_for_rgb (pf->rgb, pf->width, pf->height,
                                                                  pf->stride, pf->pts_us);

      frame->has_face = result.has_face;
      frame->face = result.face;
      memcpy (frame->regions, result.regions, sizeof result.regions);
      frame->guidance = result.guidance;
      frame->waveform = vital_stream_get_waveform (self->live_estimate, &frame->waveform_length,
                                                   &frame->waveform_rate);
      if (!vital_stream_get_heart_rate (self->live_estimate, &frame->heart_rate, NULL))
        frame->heart_rate = NAN;
      vital_frame_pacer_push (self->pacer, frame);
    }

  if (self->emit_frames || self->progress_dirty || scan_done_locked (self))
    schedule_delivery_locked (self);
}

/* Processes and frees the frames the processor has ready (all of them when @flush). Frames
 * after a finished scan are skipped unless they are shown. */
static void
process_ready_locked (VitalCapture *self,
                      gboolean flush)
{
  VitalRgbFrame *pf;

  while ((pf = vital_frame_processor_pop_ready (self->processor, flush)) != NULL)
    {
      if (!scan_done_locked (self) || self->emit_frames)
        process_frame_locked (self, pf);
      vital_rgb_frame_free (pf);
    }
}

/* ---- the pipeline's callbacks ------------------------------------------------------------ */

/**
 * vital_capture_on_frame:
 * @pf: (transfer full): a full-size frame from the pipeline
 * @user_data: the #VitalCapture
 *
 * The pipeline's #VitalCapturePipelineCallbacks.frame, on the frame branch's streaming thread:
 * queues @pf for processing and processes the frames that are ready.
 */
void
vital_capture_on_frame (VitalRgbFrame *pf,
                        gpointer user_data)
{
  VitalCapture *self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->frame_delay_us > 0)
    g_usleep (self->frame_delay_us);

  g_mutex_lock (&self->mutex);
  if (!vital_frame_processor_push_frame (self->processor, pf, &error))
    GST_DEBUG ("frame dropped: %s", error->message);
  process_ready_locked (self, FALSE);
  g_mutex_unlock (&self->mutex);
}

/**
 * vital_capture_on_detection:
 * @pts_us: the timestamp of the frame the detector looked at
 * @faces: (array length=n_faces): the faces found, in full-frame pixels; borrowed
 * @n_faces: the number of @faces
 * @user_data: the #VitalCapture
 *
 * The pipeline's detector's #VitalFaceDetectorCallbacks.detection, on the detection branch's
 * streaming thread: hands the detection to the processor and processes the frames it frees.
 */
void
vital_capture_on_detection (gint64 pts_us,
                            const VitalRect *faces,
                            guint n_faces,
                            gpointer user_data)
{
  VitalCapture *self = user_data;

  g_mutex_lock (&self->mutex);
  vital_frame_processor_push_detection (self->processor, pts_us, faces, n_faces);
  process_ready_locked (self, FALSE);
  g_mutex_unlock (&self->mutex);
}

/**
 * vital_capture_on_no_detection:
 * @pts_us: the timestamp of a frame the detector will not look at
 * @user_data: the #VitalCapture
 *
 * The pipeline's detector's #VitalFaceDetectorCallbacks.no_detection, on the detection branch's
 * streaming thread.
 */
void
vital_capture_on_no_detection (gint64 pts_us,
                               gpointer user_data)
{
  VitalCapture *self = user_data;

  /* No detection will come for this frame: it counts as progress. */
  g_mutex_lock (&self->mutex);
  vital_frame_processor_skip_detection (self->processor, pts_us);
  process_ready_locked (self, FALSE);
  g_mutex_unlock (&self->mutex);
}

/**
 * vital_capture_on_detection_eos:
 * @user_data: the #VitalCapture
 *
 * The pipeline's detector's #VitalFaceDetectorCallbacks.eos, on the detection branch's
 * streaming thread: frames no longer wait for detections.
 */
void
vital_capture_on_detection_eos (gpointer user_data)
{
  VitalCapture *self = user_data;

  g_mutex_lock (&self->mutex);
  vital_frame_processor_end_detections (self->processor);
  process_ready_locked (self, FALSE);
  g_mutex_unlock (&self->mutex);
}

/**
 * vital_capture_flush_and_deliver:
 * @self: a #VitalCapture
 *
 * At the end of the stream, on the main context: processes the frames still waiting for
 * detections and delivers at once what is ready.
 *
 * Returns: %G_SOURCE_REMOVE
 */
gboolean
vital_capture_flush_and_deliver (VitalCapture *self)
{
  g_mutex_lock (&self->mutex);
  process_ready_locked (self, TRUE);
  g_mutex_unlock (&self->mutex);
  /* Called directly, not as a source: deliver_cb borrows @self (a source's ref is dropped by
   * deliver_cb_notify). */
  return deliver_cb (self);
}

/* ---- main-context delivery ---------------------------------------------------------------- */

/* One delivery on the main context: the next paced frame, scan progress, and the end of a scan
 * that has all it needs. @data is the capture, borrowed (a source's reference belongs to
 * deliver_cb_notify()). */
static gboolean
deliver_cb (gpointer data)
{
  VitalCapture *self = data;
  VitalCaptureFrame *frame;
  gboolean progress, done;
  double seconds = 0, coverage = 0;
  guint frames = 0;
  gint64 gap_us = -1;

  g_mutex_lock (&self->mutex);
  frame = vital_frame_pacer_pop (self->pacer, &gap_us);
  progress = self->progress_dirty && self->recorder != NULL;
  self->progress_dirty = FALSE;
  if (self->recorder != NULL)
    vital_scan_recorder_get_progress (self->recorder, &seconds, &frames, &coverage);
  done = scan_done_locked (self);
  g_mutex_unlock (&self->mutex);

  if (gap_us >= 0)
    attach_delivery (self, (guint) (gap_us / G_TIME_SPAN_MILLISECOND));
  if (frame != NULL)
    {
      g_clear_pointer (&self->current, vital_capture_frame_unref);
      self->current = frame;
      g_signal_emit (self, vital_capture_signals[VITAL_CAPTURE_SIGNAL_FRAME], 0, frame);
    }
  if (progress)
    g_signal_emit (self, vital_capture_signals[VITAL_CAPTURE_SIGNAL_SCAN_PROGRESS], 0,
                   seconds, frames, coverage);
  if (done && self->scan_task != NULL)
    {
      vital_capture_finish_scan (self, NULL);
      if (vital_capture_is_file (self))
        vital_capture_stop (self);
    }

  return G_SOURCE_REMOVE;
}
