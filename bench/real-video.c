/* real-video.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accuracy on real webcam recordings with a contact-PPG reference (a folder of subjectN/ with
 * vid.mp4 and ground_truth.txt, by default ../shared/data/real-video-dev next to the source
 * tree). Each recording goes through `vitalscan-cli analyze --json` as a user would run it;
 * its payload is then cut into 30 s scans (the app's scan length) for the engine and fed frame
 * by frame to the live estimator (VitalStream) for the 10 s windows. Nothing from the
 * recordings is written anywhere but a temporary folder that is removed at the end.
 */
#include "vital-config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vital-engine.h"
#include "vital-engine-private.h"
#include "vital-stream.h"
#include "vital-tensor.h"

#define DEFAULT_DATA     VITAL_SOURCE_DIR "/../shared/data/real-video-dev"
#define DEFAULT_CLI      VITAL_BUILD_DIR "/src/cli/vitalscan-cli"
#define WINDOW_S         10.0
#define SCAN_HOP_S       10.0
#define RIGHT_BPM        5.0

typedef struct
{
  double *ppg;
  double *time;
  guint   n;
} Reference;

typedef struct
{
  double sum, count, within;
  GArray *conf_err;  /* pairs (confidence, abs error) */
} Tally;

static void
reference_clear (Reference *ref)
{
  g_free (ref->ppg);
  g_free (ref->time);
}

/* ground_truth.txt: three rows (PPG, oximeter HR, time in s), one column per video frame. */
static gboolean
reference_load (const char *path,
                Reference  *ref,
                GError    **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) ppg = NULL;
  g_auto(GStrv) times = NULL;

  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  lines = g_strsplit (g_strstrip (text), "\n", 4);
  if (g_strv_length (lines) < 3)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: expected three rows", path);
      return FALSE;
    }
  ppg = g_regex_split_simple ("\\s+", g_strstrip (lines[0]), 0, 0);
  times = g_regex_split_simple ("\\s+", g_strstrip (lines[2]), 0, 0);
  ref->n = MIN (g_strv_length (ppg), g_strv_length (times));
  ref->ppg = g_new (double, ref->n);
  ref->time = g_new (double, ref->n);
  for (guint i = 0; i < ref->n; i++)
    {
      ref->ppg[i] = g_ascii_strtod (ppg[i], NULL);
      ref->time[i] = g_ascii_strtod (times[i], NULL);
    }
  return ref->n > 100;
}

/* The reference heart rate over samples [j0, j1]: the contact PPG resampled to its mean rate
 * on its true sample times, linearly detrended, the highest peak of its zero-padded (0.1 bpm)
 * Hann periodogram between 0.7 and 3.5 Hz (the data set's README). */
static double
reference_rate (const Reference *ref,
                guint            j0,
                guint            j1)
{
  double t0 = ref->time[j0], t1 = ref->time[j1];
  double rate = (j1 - j0) / (t1 - t0);
  guint m = (guint) floor ((t1 - t0) * rate) + 1, j = j0;
  g_autofree double *x = g_new (double, m);
  g_autoptr(VitalSpectrum) s = NULL;
  double sx = 0, sy = 0, sxx = 0, sxy = 0, slope, icpt;

  for (guint i = 0; i < m; i++)
    {
      double t = t0 + i / rate;

      while (j + 1 < j1 && ref->time[j + 1] < t)
        j++;
      x[i] = ref->time[j + 1] > ref->time[j]
        ? ref->ppg[j] + (ref->ppg[j + 1] - ref->ppg[j]) * (t - ref->time[j])
                        / (ref->time[j + 1] - ref->time[j])
        : ref->ppg[j];
      sx += i;
      sy += x[i];
      sxx += (double) i * i;
      sxy += i * x[i];
    }
  slope = (m * sxy - sx * sy) / (m * sxx - sx * sx);
  icpt = (sy - slope * sx) / m;
  for (guint i = 0; i < m; i++)
    x[i] -= icpt + slope * i;
  s = vital_spectrum_welch (x, m, rate, 0, 0.1 / 60.0);
  return 60.0 * vital_spectrum_peak (s, 0.7, 3.5, NULL);
}

/* GT sample of tensor frame k: the video's frames map one to one onto the GT columns, and the
 * payload spreads them evenly over its own frames. */
static guint
gt_index (const Reference *ref,
          guint            k,
          guint            n_frames)
{
  return MIN (ref->n - 1, (guint) lround ((double) k * (ref->n - 1) / MAX (1u, n_frames - 1)));
}

static void
tally_add (Tally *t,
           double err,
           double confidence)
{
  double pair[2] = { confidence, fabs (err) };

  t->sum += fabs (err);
  t->count++;
  t->within += fabs (err) <= RIGHT_BPM;
  if (t->conf_err == NULL)
    t->conf_err = g_array_new (FALSE, FALSE, sizeof pair);
  g_array_append_val (t->conf_err, pair);
}

static void
print_confidence (const char  *prefix,
                  const Tally *t)
{
  double right = 0, wrong = 0, hi_err = 0, lo_err = 0;
  guint n_right = 0, n_wrong = 0, n_hi = 0, n_lo = 0, wrong_low = 0;

  if (t->conf_err == NULL)
    return;
  for (guint i = 0; i < t->conf_err->len; i++)
    {
      const double *p = &g_array_index (t->conf_err, double, 2 * i);

      if (p[1] <= RIGHT_BPM)
        {
          right += p[0];
          n_right++;
        }
      else
        {
          wrong += p[0];
          n_wrong++;
          wrong_low += p[0] < 0.4;
        }
      if (p[0] >= 0.7)
        {
          hi_err += p[1];
          n_hi++;
        }
      else if (p[0] < 0.4)
        {
          lo_err += p[1];
          n_lo++;
        }
    }
  printf ("%s_confidence_right_mean: %.3f (%u results within 5 bpm)\n", prefix,
          n_right ? right / n_right : NAN, n_right);
  printf ("%s_confidence_wrong_mean: %.3f (%u results off by more, %u of them under 0.4)\n",
          prefix, n_wrong ? wrong / n_wrong : NAN, n_wrong, wrong_low);
  printf ("%s_mae_confidence_high_bpm: %.2f (%u results at 0.7 or more)\n", prefix,
          n_hi ? hi_err / n_hi : NAN, n_hi);
  printf ("%s_mae_confidence_low_bpm: %.2f (%u results under 0.4)\n", prefix,
          n_lo ? lo_err / n_lo : NAN, n_lo);
}

/* Runs the CLI's analyze on @video, saving the payload; returns the parsed JSON output. */
static JsonNode *
run_analyze (const char *cli,
             const char *video,
             const char *payload_path)
{
  const char *argv[] = { cli, "analyze", "--json", "--save-payload", payload_path, video, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                     NULL, &status, &error))
    {
      fprintf (stderr, "real-video: cannot run %s: %s\n", cli, error->message);
      return NULL;
    }
  return json_from_string (out, NULL);
}

static VitalTensor *
load_payload (const char *path)
{
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, NULL);
  g_autoptr(GBytes) bytes = NULL;

  if (file == NULL)
    return NULL;
  bytes = g_mapped_file_get_bytes (file);
  return vital_tensor_decode (bytes, NULL, NULL);
}

static VitalTensor *
slice (VitalTensor *tensor,
       guint        first,
       guint        count)
{
  VitalTensor *out = vital_tensor_new (vital_tensor_get_frame_rate (tensor), 0);

  for (guint f = first; f < first + count; f++)
    vital_tensor_push_frame (out, vital_tensor_get_frame (tensor, f), NULL);
  return out;
}

/* @value with @decimals and @unit, or "not measured" when NAN. */
static const char *
measured_or_not (double      value,
                 int         decimals,
                 const char *unit,
                 char        buf[32])
{
  if (isnan (value))
    return "not measured";
  g_snprintf (buf, 32, "%.*f%s", decimals, value, unit);
  return buf;
}

static double
json_number (JsonObject *object,
             const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_double (node) : NAN;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *data = NULL;
  g_autofree char *cli = NULL;
  g_autofree char *payloads = NULL;
  double scan_s = 30.0;
  gboolean dump = FALSE;
  g_autofree char *method_name = NULL;
  VitalPulseMethod method = VITAL_PULSE_POS;
  GOptionEntry entries[] = {
    { "scan-seconds", 's', 0, G_OPTION_ARG_DOUBLE, &scan_s,
      "Length of the scans cut from each recording (default 30, the app's)", "S" },
    { "method", 'm', 0, G_OPTION_ARG_STRING, &method_name,
      "Chrominance method of the 30 s scans and, with --payloads, of the whole recordings: "
      "pos (default), chrom or green (to compare the methods on the real set)", "METHOD" },
    { "dump", 0, 0, G_OPTION_ARG_NONE, &dump,
      "Print one line per scan with the engine's evidence (for calibrating the confidence)",
      NULL },
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data, "Recordings folder", "DIR" },
    { "cli", 'c', 0, G_OPTION_ARG_FILENAME, &cli, "vitalscan-cli to run", "PATH" },
    { "payloads", 'p', 0, G_OPTION_ARG_FILENAME, &payloads,
      "Reuse payloads saved by an earlier run (DIR/subjectN.vtsr) and skip the capture; the "
      "whole-recording result then comes from the engine in-process", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— real-video accuracy");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *tmp = NULL;
  Tally whole = { 0 }, windows = { 0 }, scans = { 0 };
  guint measured = 0, spo2_reported = 0, spo2_outside = 0;
  const char *name;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "real-video: %s\n", error->message);
      return 2;
    }
  if (g_strcmp0 (method_name, "chrom") == 0)
    method = VITAL_PULSE_CHROM;
  else if (g_strcmp0 (method_name, "green") == 0)
    method = VITAL_PULSE_GREEN;
  else if (method_name != NULL && g_strcmp0 (method_name, "pos") != 0)
    {
      fprintf (stderr, "real-video: --method must be pos, chrom or green\n");
      return 2;
    }
  if (data == NULL)
    data = g_strdup (g_getenv ("VITALSCAN_REAL_VIDEO_DIR") ? g_getenv ("VITALSCAN_REAL_VIDEO_DIR")
                                                           : DEFAULT_DATA);
  if (cli == NULL)
    cli = g_strdup (DEFAULT_CLI);

  dir = g_dir_open (data, 0, NULL);
  if (dir == NULL)
    {
      printf ("real-video: skipped, no recordings at %s (set VITALSCAN_REAL_VIDEO_DIR)\n", data);
      return 0;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "subject"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  if (payloads == NULL)
    tmp = g_dir_make_tmp ("vitalscan-real-video-XXXXXX", NULL);

  printf ("conditions: %u recordings in %s; whole recording via `vitalscan-cli analyze`; "
          "%.0f s scans every %.0f s and the live estimator's %.0f s windows every second on "
          "the same payload; right = within %.0f bpm of the contact PPG\n",
          names->len, data, scan_s, SCAN_HOP_S, WINDOW_S, RIGHT_BPM);

  for (guint i = 0; i < names->len; i++)
    {
      const char *subject = names->pdata[i];
      g_autofree char *video = g_build_filename (data, subject, "vid.mp4", NULL);
      g_autofree char *gt = g_build_filename (data, subject, "ground_truth.txt", NULL);
      g_autofree char *payload = NULL;
      g_autoptr(VitalTensor) tensor = NULL;
      g_autoptr(JsonNode) result = NULL;
      g_autoptr(VitalStream) stream = NULL;
      Reference ref = { 0 };
      JsonObject *vitals = NULL;
      guint n;
      double rate, truth, hr = NAN, conf = NAN, spo2 = NAN, rr = NAN, hrv = NAN, sbp = NAN;
      const char *message = NULL;
      Tally subject_windows = { 0 };

      if (!reference_load (gt, &ref, &error))
        {
          printf ("%s: skipped (%s)\n", subject, error ? error->message : "no reference");
          g_clear_error (&error);
          continue;
        }

      if (payloads != NULL)
        {
          g_autoptr(VitalVitals) v = NULL;

          payload = g_strdup_printf ("%s/%s.vtsr", payloads, subject);
          tensor = load_payload (payload);
          if (tensor != NULL)
            {
              VitalEngineOptions options = { method, NULL, FALSE };

              v = vital_engine_analyze (tensor, &options, &error);
              if (v != NULL)
                {
                  hr = v->heart_rate;
                  conf = v->confidence;
                  spo2 = v->spo2;
                  rr = v->respiratory_rate;
                  hrv = v->hrv_sdnn;
                  sbp = v->systolic_bp;
                }
              else
                message = error->message;
            }
        }
      else
        {
          payload = g_strdup_printf ("%s/%s.vtsr", tmp, subject);
          result = run_analyze (cli, video, payload);
          if (result != NULL && JSON_NODE_HOLDS_OBJECT (result))
            {
              JsonObject *o = json_node_get_object (result);

              if (json_object_has_member (o, "vitals")
                  && JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "vitals")))
                vitals = json_object_get_object_member (o, "vitals");
              if (json_object_has_member (o, "message"))
                message = json_object_get_string_member (o, "message");
            }
          hr = json_number (vitals, "heart_rate");
          conf = json_number (vitals, "confidence");
          spo2 = json_number (vitals, "spo2");
          rr = json_number (vitals, "respiratory_rate");
          hrv = json_number (vitals, "hrv");
          sbp = json_number (vitals, "systolic_bp");
          tensor = load_payload (payload);
        }
      if (tensor == NULL)
        {
          printf ("%s: no payload (%s)\n", subject, message ? message : "capture failed");
          reference_clear (&ref);
          g_clear_error (&error);
          continue;
        }

      n = vital_tensor_get_frame_count (tensor);
      rate = vital_tensor_get_frame_rate (tensor);
      truth = reference_rate (&ref, 0, ref.n - 1);
      if (!isnan (hr))
        {
          char b1[32], b2[32], b3[32], b4[32];

          measured++;
          tally_add (&whole, hr - truth, conf);
          printf ("%s: reference %.1f bpm, estimate %.1f bpm, error %+.1f, confidence %.2f, "
                  "RR %s, HRV %s, SpO2 %s, systolic BP %s\n", subject, truth, hr, hr - truth,
                  conf, measured_or_not (rr, 1, "/min", b1), measured_or_not (hrv, 0, " ms", b2),
                  measured_or_not (spo2, 0, " %", b3), measured_or_not (sbp, 0, " mmHg", b4));
        }
      else
        {
          whole.count++;
          printf ("%s: reference %.1f bpm, NOT MEASURED: %s\n", subject, truth,
                  message ? message : "no result");
        }
      if (!isnan (spo2))
        {
          spo2_reported++;
          spo2_outside += spo2 < 94.0 || spo2 > 100.0;
        }
      g_clear_error (&error);

      /* 30 s scans, as the app records them. */
      for (guint first = 0; first + scan_s * rate <= n; first += (guint) (SCAN_HOP_S * rate))
        {
          guint count = (guint) (scan_s * rate);
          g_autoptr(VitalTensor) part = slice (tensor, first, count);
          VitalEngineOptions options = { method, NULL, TRUE };
          g_autoptr(VitalVitals) v = vital_engine_analyze (part, &options, NULL);
          double t = reference_rate (&ref, gt_index (&ref, first, n),
                                     gt_index (&ref, first + count - 1, n));

          if (v == NULL)
            {
              scans.count++;
              continue;
            }
          tally_add (&scans, v->heart_rate - t, v->confidence);
          if (dump)
            printf ("scan %s %.1f %.1f ref %.1f est %.1f share %.3f margin %.2f conf %.3f "
                    "skin %.2f motion %.2f spread %.2f z %.2f motion_share %.3f\n", subject,
                    first / rate, count / rate, t, v->heart_rate, v->track_share, v->track_margin,
                    v->confidence, v->skin_fraction, v->motion, v->track_spread,
                    v->significance, v->motion_share);
          if (!isnan (v->spo2))
            {
              spo2_reported++;
              spo2_outside += v->spo2 < 94.0 || v->spo2 > 100.0;
            }
        }

      /* The live estimator, fed frame by frame; scored once a second after 10 s. */
      stream = vital_stream_new (WINDOW_S);
      for (guint f = 0; f < n; f++)
        {
          gint64 ts = (gint64) llround (f * G_USEC_PER_SEC / rate) + 1;
          double bpm, c;

          vital_stream_push_planes (stream, ts, vital_tensor_get_frame (tensor, f), NULL);
          if (f + 1 >= WINDOW_S * rate && (f + 1 - (guint) (WINDOW_S * rate)) % (guint) rate == 0
              && vital_stream_get_heart_rate (stream, &bpm, &c))
            {
              guint first = gt_index (&ref, f + 1 - (guint) (WINDOW_S * rate), n);
              double t = reference_rate (&ref, first, gt_index (&ref, f, n));

              tally_add (&windows, bpm - t, c);
              tally_add (&subject_windows, bpm - t, c);
            }
        }
      printf ("%s: live windows %.0f, MAE %.2f bpm, within 5 bpm %.0f\n", subject,
              subject_windows.count, subject_windows.sum / MAX (1.0, subject_windows.count),
              subject_windows.within);
      g_clear_pointer (&subject_windows.conf_err, g_array_unref);
      reference_clear (&ref);
      if (payloads == NULL)
        g_unlink (payload);
    }
  if (tmp != NULL)
    g_rmdir (tmp);

  printf ("real_measured: %u of %.0f\n", measured, whole.count);
  printf ("real_hr_mae_bpm: %.2f\n", whole.count > 0 ? whole.sum / MAX (1u, measured) : NAN);
  printf ("real_within5: %.0f of %.0f\n", whole.within, whole.count);
  printf ("real_window_hr_mae_bpm: %.2f (%.0f windows)\n", windows.sum / MAX (1.0, windows.count),
          windows.count);
  printf ("real_window_within5: %.0f of %.0f\n", windows.within, windows.count);
  printf ("real_scan%.0f_hr_mae_bpm: %.2f (%.0f scans)\n", scan_s,
          scans.sum / MAX (1.0, scans.count), scans.count);
  printf ("real_scan%.0f_within5: %.0f of %.0f\n", scan_s, scans.within, scans.count);
  {
    g_autofree char *prefix = g_strdup_printf ("real_scan%.0f", scan_s);

    print_confidence (prefix, &scans);
  }
  print_confidence ("real_window", &windows);
  printf ("real_spo2_reported: %u (outside 94-100 %%: %u)\n", spo2_reported, spo2_outside);
  g_clear_pointer (&whole.conf_err, g_array_unref);
  g_clear_pointer (&windows.conf_err, g_array_unref);
  g_clear_pointer (&scans.conf_err, g_array_unref);
  return 0;
}
