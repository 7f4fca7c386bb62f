/* vital-synth.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The synthetic subject: beat train with SDNN and respiratory sinus arrhythmia, pulse
 * morphology with a dicrotic notch, breathing, skin-tone-dependent BVP colour signature,
 * illumination drift and flicker, head motion, camera noise and 8-bit quantisation.
 */
#include "vital-synth.h"
#include "vital-engine.h"

#include <math.h>
#include <string.h>

#define CANVAS_PAD   6
#define CANVAS       (VITAL_TENSOR_WIDTH + 2 * CANVAS_PAD)
#define NOISE_TABLE  (1u << 16)
#define BVP_MEAN     0.28    /* mean of the beat template plus baseline, removed from gains */

/* Skin tones (sRGB, white-balanced, well exposed) for Fitzpatrick I-VI, approximating the
 * swatches of the Fitzpatrick/von Luschan charts; and relative pulsatility for each type
 * (melanin absorbs part of the light before it reaches the dermal vessels; docs). */
static const guint8 skin_tones[6][3] = {
  { 236, 201, 180 }, { 226, 181, 152 }, { 201, 151, 116 },
  { 166, 116, 86 },  { 121, 81, 59 },   { 82, 53, 41 },
};
static const double tone_pulsatility[6] = { 1.0, 0.95, 0.85, 0.70, 0.55, 0.45 };

/* Green-normalised skin BVP signature (de Haan & van Leest 2014: [0.33, 0.77, 0.53]). */
#define PBV_BLUE (0.53 / 0.77)
/* The engine's SpO2 calibration, inverted to place the red pulsatility (vital-spo2.c). */
#define SPO2_B         25.0
#define SPO2_A         (97.0 + 25.0 * 0.623)

struct _VitalSynth
{
  GObject          parent_instance;

  VitalSynthParams params;
  guint64          rng;       /* the subject: phases, beat intervals, texture */
  guint64          noise_rng; /* the camera: where each frame's noise starts in the table */
  guint            frame;

  GArray          *beats;     /* beat onset times, seconds (first one before 0) */
  double           ar_state;  /* AR(1) part of the interval process */
  double           resp_phase;
  double           drift_phase[2];
  double           flicker_phase;
  double           motion_phase[4];
  double           talk_phase[3];
  double           flicker_hz;

  double           amp[3];    /* relative pulsatile amplitude per colour */
  float           *base;      /* [region][colour][CANVAS * CANVAS] */
  float           *skin;      /* base * skin mask, same layout */
  float           *noise;     /* NOISE_TABLE standard normal samples */
};

G_DEFINE_FINAL_TYPE (VitalSynth, vital_synth, G_TYPE_OBJECT)

static guint64
next_u64 (guint64 *state)
{
  /* splitmix64 (Steele, Lea & Flood 2014). */
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static double
uniform (guint64 *state)
{
  return (next_u64 (state) >> 11) * (1.0 / 9007199254740992.0);
}

static double
gaussian (guint64 *state)
{
  double u1 = uniform (state), u2 = uniform (state);
  return sqrt (-2.0 * log (u1 + 1e-300)) * cos (2.0 * G_PI * u2);
}

/**
 * vital_synth_params_init:
 * @params: (out caller-allocates): parameters to fill
 *
 * Fills @params with a typical, well-lit, still adult: 72 bpm, SDNN 50 ms, 15 breaths/min,
 * SpO2 97 %, Fitzpatrick III, 30 fps, noise 2 levels, seed 1.
 */
void
vital_synth_params_init (VitalSynthParams *params)
{
  /* Members not named here (the real-camera effects) are 0: off. */
  static const VitalSynthParams typical = {
    .seed = 1, .frame_rate = 30.0,
    .heart_rate = 72.0, .hrv_sdnn = 50.0, .respiratory_rate = 15.0, .spo2 = 97.0,
    .fitzpatrick = 3, .pulse_strength = 1.0,
    .noise = 2.0, .illumination_drift = 0.01, .exposure = 1.0,
    .white_balance = { 1.0, 1.0, 1.0 }, .exposure_step_s = 6.0, .mains_hz = 100.0,
  };

  g_return_if_fail (params != NULL);
  *params = typical;
}

/**
 * vital_synth_skin_rgb:
 * @fitzpatrick: skin type 1-6 (clamped)
 * @out_rgb: (out caller-allocates) (array fixed-size=3): the skin colour
 *
 * The synthesiser's well-exposed sRGB skin colour for a Fitzpatrick type.
 */
void
vital_synth_skin_rgb (int    fitzpatrick,
                      guint8 out_rgb[3])
{
  int t = CLAMP (fitzpatrick, 1, 6) - 1;
  memcpy (out_rgb, skin_tones[t], 3);
}

static void
vital_synth_finalize (GObject *object)
{
  VitalSynth *self = VITAL_SYNTH (object);

  g_clear_pointer (&self->beats, g_array_unref);
  g_clear_pointer (&self->base, g_free);
  g_clear_pointer (&self->skin, g_free);
  g_clear_pointer (&self->noise, g_free);
  G_OBJECT_CLASS (vital_synth_parent_class)->finalize (object);
}

static void
vital_synth_class_init (VitalSynthClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vital_synth_finalize;
}

static void
vital_synth_init (VitalSynth *self)
{
  self->beats = g_array_new (FALSE, FALSE, sizeof (double));
}

/* Appends beats until the train extends past t. Intervals: mean + RSA (sinusoid at the
 * breathing rate, half the variance) + AR(1) variability (rho 0.5, the other half). */
static void
ensure_beats (VitalSynth *self,
              double      t)
{
  const VitalSynthParams *p = &self->params;
  double mean = 60.0 / p->heart_rate;
  double sd = p->hrv_sdnn / 1000.0;
  double rsa = sd;                          /* amplitude a: variance a^2 / 2 = sd^2 / 2 */
  double innov = sd * sqrt (0.5) * sqrt (1.0 - 0.25);
  double f_r = p->respiratory_rate / 60.0;

  if (self->beats->len == 0)
    {
      double first = -mean * uniform (&self->rng);
      g_array_append_val (self->beats, first);
      self->ar_state = sd * sqrt (0.5) * gaussian (&self->rng);
    }
  while (g_array_index (self->beats, double, self->beats->len - 1) < t + 3.0)
    {
      double last = g_array_index (self->beats, double, self->beats->len - 1);
      double ibi;

      self->ar_state = 0.5 * self->ar_state + innov * gaussian (&self->rng);
      ibi = mean + rsa * sin (2.0 * G_PI * f_r * last + self->resp_phase) + self->ar_state;
      ibi = CLAMP (ibi, 0.25, 2.0);
      last += ibi;
      g_array_append_val (self->beats, last);
    }
}

/* Beat template over one interval: systolic wave and reflected (diastolic) wave, whose
 * overlap leaves the dicrotic notch (two-Gaussian PPG model, e.g. Tang et al. 2020). */
static double
template_at (double phase)
{
  double s = (phase - 0.22) / 0.07, d = (phase - 0.48) / 0.09;
  return exp (-0.5 * s * s) + 0.45 * exp (-0.5 * d * d);
}

static double
blood_volume (VitalSynth *self,
              double      t,
              double      resp)
{
  GArray *b = self->beats;
  guint lo = 0, hi = b->len - 1;
  double t0, t1;

  ensure_beats (self, t);
  b = self->beats;
  hi = b->len - 1;
  if (t < g_array_index (b, double, 0))
    return 0.0;
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;
      if (g_array_index (b, double, mid) <= t)
        lo = mid;
      else
        hi = mid;
    }
  t0 = g_array_index (b, double, lo);
  t1 = g_array_index (b, double, lo + 1);
  /* Respiration modulates beat amplitude (RIAV) and the blood-volume baseline (RIIV). */
  return (1.0 + 0.15 * resp) * template_at ((t - t0) / (t1 - t0)) + 0.25 * resp;
}

/* Smooth pseudo-random texture in [-1, 1]. */
static double
texture (const double *ph,
         double        u,
         double        v)
{
  return (sin (0.31 * u + ph[0]) * cos (0.27 * v + ph[1]) + 0.5 * sin (0.9 * u + 0.7 * v + ph[2])
          + 0.3 * sin (1.7 * u - 1.3 * v + ph[3])) / 1.8;
}

static gboolean
inside_ellipse (double u,
                double v,
                double cu,
                double cv,
                double au,
                double av)
{
  double a = (u - cu) / au, b = (v - cv) / av;
  return a * a + b * b <= 1.0;
}

/* Builds each region's padded canvas: colour and skin mask with hair, eyes, mouth and
 * background where a real crop would have them. */
static void
build_canvas (VitalSynth *self)
{
  const VitalSynthParams *p = &self->params;
  const guint8 *tone = skin_tones[CLAMP (p->fitzpatrick, 1, 6) - 1];
  static const double background[3] = { 70, 92, 112 }, hair[3] = { 46, 33, 26 };
  static const double eye[3] = { 40, 32, 32 }, lip[3] = { 165, 88, 88 };
  gsize plane = (gsize) CANVAS * CANVAS;

  self->base = g_new (float, VITAL_TENSOR_CHANNELS * plane);
  self->skin = g_new (float, VITAL_TENSOR_CHANNELS * plane);

  for (guint region = 0; region < VITAL_TENSOR_REGIONS; region++)
    {
      double ph[4];

      for (guint i = 0; i < 4; i++)
        ph[i] = 2.0 * G_PI * uniform (&self->rng);
      for (guint y = 0; y < CANVAS; y++)
        for (guint x = 0; x < CANVAS; x++)
          {
            double u = x, v = y, c = CANVAS / 2.0;
            const double *other = NULL;
            double shade = 1.0 - 0.15 * ((u - c) / c) * ((u - c) / c) + 0.05 * (v - c) / c;
            double grain = 1.0 + 0.035 * texture (ph, u, v) + 0.015 * gaussian (&self->rng);
            gsize idx = (gsize) y * CANVAS + x;

            switch (region)
              {
              case VITAL_REGION_FACE:
                if (!inside_ellipse (u, v, c, c + 3, 31, 40))
                  other = background;
                else if (v < 12 + 3 * sin (u / 9.0 + ph[0]))
                  other = hair;
                else if (inside_ellipse (u, v, c - 13, c - 5, 6, 3)
                         || inside_ellipse (u, v, c + 13, c - 5, 6, 3)
                         || inside_ellipse (u, v, c - 13, c - 11, 8, 1.5)
                         || inside_ellipse (u, v, c + 13, c - 11, 8, 1.5))
                  other = eye;
                else if (inside_ellipse (u, v, c, c + 22, 10, 3.5))
                  other = lip;
                break;
              case VITAL_REGION_FOREHEAD:
                if (v < 14 + 4 * sin (u / 11.0 + ph[1]))
                  other = hair;
                break;
              case VITAL_REGION_LEFT_CHEEK:
                if (u < 9 + 3 * sin (v / 13.0 + ph[2]))
                  other = background;
                break;
              default:
                if (u > CANVAS - 9 + 3 * sin (v / 13.0 + ph[2]))
                  other = background;
                break;
              }

            for (guint col = 0; col < 3; col++)
              {
                gsize at = (region * 3 + col) * plane + idx;
                double level = (other != NULL ? other[col] : tone[col]) * shade * grain;

                self->base[at] = (float) (level * p->exposure);
                self->skin[at] = other != NULL ? 0.0f : self->base[at];
              }
          }
    }
}

/**
 * vital_synth_new:
 * @params: the subject and camera (see vital_synth_params_init())
 *
 * Creates a synthetic subject. Out-of-range parameters are clamped.
 *
 * Returns: (transfer full): a new #VitalSynth
 */
VitalSynth *
vital_synth_new (const VitalSynthParams *params)
{
  VitalSynth *self;
  VitalSynthParams *p;
  double ratio, tone;

  g_return_val_if_fail (params != NULL, NULL);

  self = g_object_new (VITAL_TYPE_SYNTH, NULL);
  self->params = *params;
  p = &self->params;
  p->frame_rate = CLAMP (p->frame_rate, 5.0, 240.0);
  p->heart_rate = CLAMP (p->heart_rate, 30.0, 220.0);
  p->hrv_sdnn = CLAMP (p->hrv_sdnn, 0.0, 200.0);
  p->respiratory_rate = CLAMP (p->respiratory_rate, 3.0, 60.0);
  p->spo2 = CLAMP (p->spo2, 70.0, 100.0);
  p->fitzpatrick = CLAMP (p->fitzpatrick, 1, 6);
  p->pulse_strength = MAX (0.0, p->pulse_strength);
  p->noise = MAX (0.0, p->noise);
  p->motion = CLAMP (p->motion, 0.0, CANVAS_PAD - 1.0);
  p->exposure = CLAMP (p->exposure, 0.05, 2.0);
  for (guint c = 0; c < 3; c++)
    p->white_balance[c] = p->white_balance[c] > 0.0 ? CLAMP (p->white_balance[c], 0.25, 4.0)
                                                   : 1.0;
  p->exposure_step = CLAMP (p->exposure_step, 0.0, 0.5);
  p->exposure_step_s = p->exposure_step_s > 0.5 ? p->exposure_step_s : 6.0;
  p->mains_hz = p->mains_hz > 0.0 ? p->mains_hz : 100.0;
  p->talking = CLAMP (p->talking, 0.0, 0.5);

  self->rng = p->seed ^ G_GUINT64_CONSTANT (0x5641544C5343414E);
  /* A generator of its own: beats are drawn lazily, and must not depend on how many frames
   * were rendered (or whether any were) before they are. */
  self->noise_rng = p->seed ^ G_GUINT64_CONSTANT (0x4E4F495345524E47);
  self->resp_phase = 2.0 * G_PI * uniform (&self->rng);
  self->drift_phase[0] = 2.0 * G_PI * uniform (&self->rng);
  self->drift_phase[1] = 2.0 * G_PI * uniform (&self->rng);
  self->flicker_phase = 2.0 * G_PI * uniform (&self->rng);
  for (guint i = 0; i < 4; i++)
    self->motion_phase[i] = 2.0 * G_PI * uniform (&self->rng);
  {
    /* A generator of its own, so that subjects without speech stay exactly as they were. */
    guint64 talk_rng = p->seed ^ G_GUINT64_CONSTANT (0x54414C4B494E4731);

    for (guint i = 0; i < 3; i++)
      self->talk_phase[i] = 2.0 * G_PI * uniform (&talk_rng);
  }
  /* Mains flicker (twice the mains frequency) aliased by the frame rate. */
  self->flicker_hz = fabs (p->mains_hz - p->frame_rate * round (p->mains_hz / p->frame_rate));

  tone = tone_pulsatility[p->fitzpatrick - 1];
  ratio = (SPO2_A - p->spo2) / SPO2_B;  /* ratio of ratios, red / blue */
  self->amp[1] = 0.009 * tone * p->pulse_strength;
  self->amp[2] = self->amp[1] * PBV_BLUE;
  self->amp[0] = self->amp[2] * ratio;

  build_canvas (self);
  self->noise = g_new (float, NOISE_TABLE);
  for (guint i = 0; i < NOISE_TABLE; i++)
    self->noise[i] = (float) gaussian (&self->rng);
  ensure_beats (self, 0.0);
  return self;
}

/**
 * vital_synth_get_params:
 * @self: a synthetic subject
 *
 * Returns: (transfer none): the parameters in use (after clamping).
 */
const VitalSynthParams *
vital_synth_get_params (VitalSynth *self)
{
  g_return_val_if_fail (VITAL_IS_SYNTH (self), NULL);
  return &self->params;
}

/**
 * vital_synth_reset:
 * @self: a synthetic subject
 *
 * Rewinds to frame 0; the same frames follow again, except for camera noise.
 */
void
vital_synth_reset (VitalSynth *self)
{
  g_return_if_fail (VITAL_IS_SYNTH (self));
  self->frame = 0;
}

/**
 * vital_synth_next_sample:
 * @self: a synthetic subject
 * @out: (out caller-allocates): the next frame's modulation
 *
 * Computes the modulation of the next frame and advances by one frame.
 */
void
vital_synth_next_sample (VitalSynth       *self,
                         VitalSynthSample *out)
{
  const VitalSynthParams *p;
  double t, resp, v, light, m;

  g_return_if_fail (VITAL_IS_SYNTH (self));
  g_return_if_fail (out != NULL);

  p = &self->params;
  t = self->frame / p->frame_rate;
  resp = sin (2.0 * G_PI * p->respiratory_rate / 60.0 * t + self->resp_phase);
  v = blood_volume (self, t, resp);
  m = p->motion;

  out->frame = self->frame++;
  out->time = t;
  out->pulse = v;
  out->respiration = resp;
  out->dx = m * (0.7 * sin (2.0 * G_PI * 0.27 * t + self->motion_phase[0])
                 + 0.3 * sin (2.0 * G_PI * 0.83 * t + self->motion_phase[1]));
  out->dy = m * (0.7 * sin (2.0 * G_PI * 0.19 * t + self->motion_phase[2])
                 + 0.3 * sin (2.0 * G_PI * 0.61 * t + self->motion_phase[3]));

  light = 1.0 + p->illumination_drift * (0.6 * sin (2.0 * G_PI * 0.013 * t + self->drift_phase[0])
                                         + 0.4 * sin (2.0 * G_PI * 0.041 * t
                                                      + self->drift_phase[1]))
          + p->flicker * sin (2.0 * G_PI * self->flicker_hz * t + self->flicker_phase)
          + 0.003 * out->dx + 0.002 * resp;  /* shading follows head and chest motion */
  if (p->exposure_step > 0.0)
    {
      /* The camera's exposure or gain moves in steps: up, back down, up again... */
      guint k = (guint) floor (t / p->exposure_step_s);

      light *= 1.0 + (k % 2 == 1 ? p->exposure_step : 0.0);
    }
  /* Speaking: the jaw and lips move at syllable rates (2-4 per second), in bursts with
   * pauses (one every 5 s), and change the shading of the lower face. */
  out->talk_gain = 1.0 + p->talking * 0.5 * (1.0 + sin (2.0 * G_PI * 0.2 * t + self->talk_phase[0]))
                         * (0.6 * sin (2.0 * G_PI * 3.7 * t + self->talk_phase[1])
                            + 0.4 * sin (2.0 * G_PI * 2.3 * t + self->talk_phase[2]));
  for (guint c = 0; c < 3; c++)
    {
      out->light_gain[c] = light * p->white_balance[c];
      out->skin_gain[c] = light * p->white_balance[c] * (1.0 - self->amp[c] * (v - BVP_MEAN));
    }
}

static void
render_frame (VitalSynth             *self,
              const VitalSynthSample *s,
              guint8                 *planes)
{
  gsize plane = (gsize) CANVAS * CANVAS;
  double fx = CANVAS_PAD + s->dx, fy = CANVAS_PAD + s->dy;
  int ix = (int) floor (fx), iy = (int) floor (fy);
  float ax = (float) (fx - ix), ay = (float) (fy - iy);
  float w00 = (1 - ax) * (1 - ay), w01 = ax * (1 - ay), w10 = (1 - ax) * ay, w11 = ax * ay;
  float sigma = (float) self->params.noise;

  for (guint ch = 0; ch < VITAL_TENSOR_CHANNELS; ch++)
    {
      const float *base = self->base + ch * plane + (gsize) iy * CANVAS + ix;
      const float *skin = self->skin + ch * plane + (gsize) iy * CANVAS + ix;
      guint8 *out = planes + (gsize) ch * VITAL_TENSOR_PLANE_SIZE;
      float gl = (float) s->light_gain[ch % 3];
      float gs = (float) (s->skin_gain[ch % 3] - s->light_gain[ch % 3]);
      /* The rows below the nose: the face region's lower 40 %, the cheeks' lower half. */
      guint talk_row = ch / 3 == VITAL_REGION_FACE ? VITAL_TENSOR_HEIGHT * 3 / 5
                       : ch / 3 == VITAL_REGION_FOREHEAD ? VITAL_TENSOR_HEIGHT
                       : VITAL_TENSOR_HEIGHT / 2;
      float talk = (float) s->talk_gain;
      /* A random contiguous stretch of the noise table (no wrap inside the plane), so the
       * inner loop vectorises. */
      const float *noise =
        self->noise + next_u64 (&self->noise_rng) % (NOISE_TABLE - VITAL_TENSOR_PLANE_SIZE);

      for (guint y = 0; y < VITAL_TENSOR_HEIGHT; y++)
        {
          const float *b0 = base + (gsize) y * CANVAS, *s0 = skin + (gsize) y * CANVAS;
          const float *n0 = noise + (gsize) y * VITAL_TENSOR_WIDTH;
          guint8 *o = out + (gsize) y * VITAL_TENSOR_WIDTH;
          float row_gain = y >= talk_row ? talk : 1.0f;

          for (guint x = 0; x < VITAL_TENSOR_WIDTH; x++)
            {
              float b = w00 * b0[x] + w01 * b0[x + 1] + w10 * b0[x + CANVAS]
                        + w11 * b0[x + CANVAS + 1];
              float k = w00 * s0[x] + w01 * s0[x + 1] + w10 * s0[x + CANVAS]
                        + w11 * s0[x + CANVAS + 1];
              float val = (b * gl + k * gs) * row_gain + sigma * n0[x] + 0.5f;

              o[x] = (guint8) (val < 0.0f ? 0.0f : val > 255.0f ? 255.0f : val);
            }
        }
    }
}

/**
 * vital_synth_render_tensor:
 * @self: a synthetic subject
 * @n_frames: frames to render (at most %VITAL_TENSOR_MAX_FRAMES)
 *
 * Renders the next @n_frames frames (from frame 0 for a new subject) into a tensor at the
 * subject's frame rate, with capture start 2026-01-01T00:00:00Z.
 *
 * Returns: (transfer full): the tensor
 */
VitalTensor *
vital_synth_render_tensor (VitalSynth *self,
                           guint       n_frames)
{
  VitalTensor *tensor;

  g_return_val_if_fail (VITAL_IS_SYNTH (self), NULL);

  n_frames = MIN (n_frames, VITAL_TENSOR_MAX_FRAMES);
  tensor = vital_tensor_new (self->params.frame_rate, G_GINT64_CONSTANT (1767225600000000));
  for (guint i = 0; i < n_frames; i++)
    {
      VitalSynthSample sample;
      guint8 *planes = vital_tensor_append_frame (tensor);

      if (planes == NULL)
        break;
      vital_synth_next_sample (self, &sample);
      render_frame (self, &sample, planes);
    }
  return tensor;
}

/**
 * vital_synth_modulate_rgb:
 * @self: a synthetic subject
 * @sample: the frame's modulation from vital_synth_next_sample()
 * @rgb: (inout): packed 8-bit RGB image, modified in place
 * @width: image width
 * @height: image height
 * @stride: bytes per row (at least 3 * @width)
 * @skin_mask: (nullable): @width x @height bytes, non-zero on skin; or %NULL to treat the
 *   ellipse inscribed in @face as skin
 * @face: (nullable): the face rectangle; required when @skin_mask is %NULL
 * @error: return location for a #GError
 *
 * Turns a still face photo into one frame of a synthetic subject: skin pixels are multiplied
 * by @sample's skin gains (pulse, breathing, illumination), others by its light gains, then
 * camera noise is added and the result quantised. Head motion is left to the caller (shift
 * the photo by @sample's dx, dy scaled from tensor pixels to image pixels).
 *
 * Returns: %TRUE on success; %FALSE with %VITAL_ENGINE_ERROR_INVALID_ARGUMENT on bad geometry.
 */
gboolean
vital_synth_modulate_rgb (VitalSynth             *self,
                          const VitalSynthSample *sample,
                          guint8                 *rgb,
                          int                     width,
                          int                     height,
                          gsize                   stride,
                          const guint8           *skin_mask,
                          const VitalRect        *face,
                          GError                **error)
{
  float sigma;
  double cx = 0, cy = 0, ax = 1, ay = 1;
  int talk_row;

  g_return_val_if_fail (VITAL_IS_SYNTH (self), FALSE);
  g_return_val_if_fail (sample != NULL, FALSE);

  if (rgb == NULL || width <= 0 || height <= 0 || stride < (gsize) width * 3)
    {
      g_set_error (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_INVALID_ARGUMENT,
                   "Bad image geometry %dx%d, stride %" G_GSIZE_FORMAT, width, height, stride);
      return FALSE;
    }
  if (skin_mask == NULL)
    {
      if (face == NULL || face->width <= 0 || face->height <= 0)
        {
          g_set_error_literal (error, VITAL_ENGINE_ERROR, VITAL_ENGINE_ERROR_INVALID_ARGUMENT,
                               "Need a skin mask or a face rectangle");
          return FALSE;
        }
      cx = face->x + face->width / 2.0;
      cy = face->y + face->height / 2.0;
      ax = face->width / 2.0;
      ay = face->height / 2.0;
    }

  sigma = (float) self->params.noise;
  /* Speaking changes the lower face: below the nose, 60 % down the face (or the image). */
  talk_row = face != NULL ? face->y + face->height * 3 / 5 : height * 3 / 5;
  for (int y = 0; y < height; y++)
    {
      guint8 *row = rgb + (gsize) y * stride;
      guint j = (guint) next_u64 (&self->noise_rng);

      for (int x = 0; x < width; x++)
        {
          gboolean is_skin;
          const double *gain;

          if (skin_mask != NULL)
            is_skin = skin_mask[(gsize) y * width + x] != 0;
          else
            is_skin = inside_ellipse (x + 0.5, y + 0.5, cx, cy, ax, ay);
          gain = is_skin ? sample->skin_gain : sample->light_gain;
          for (int c = 0; c < 3; c++)
            {
              double talk = y >= talk_row ? sample->talk_gain : 1.0;
              float v = (float) (row[3 * x + c] * gain[c] * talk)
                        + sigma * self->noise[j++ & (NOISE_TABLE - 1)] + 0.5f;
              row[3 * x + c] = (guint8) CLAMP (v, 0.0f, 255.0f);
            }
        }
    }
  return TRUE;
}

/**
 * vital_synth_get_truth:
 * @self: a synthetic subject
 * @duration_s: the stretch [0, @duration_s) the truth is about
 * @out: (out caller-allocates): the realised ground truth
 *
 * Heart rate and SDNN come from the beats actually generated in the stretch; respiratory
 * rate and SpO2 are the parameters.
 */
void
vital_synth_get_truth (VitalSynth      *self,
                       double           duration_s,
                       VitalSynthTruth *out)
{
  g_autoptr(GArray) ibis = g_array_new (FALSE, FALSE, sizeof (double));
  double prev = NAN, mean = 0.0, var = 0.0;

  g_return_if_fail (VITAL_IS_SYNTH (self));
  g_return_if_fail (out != NULL);

  ensure_beats (self, duration_s);
  for (guint i = 0; i < self->beats->len; i++)
    {
      double t = g_array_index (self->beats, double, i);

      if (t < 0.0 || t >= duration_s)
        continue;
      if (!isnan (prev))
        {
          double ibi = t - prev;
          g_array_append_val (ibis, ibi);
        }
      prev = t;
    }
  for (guint i = 0; i < ibis->len; i++)
    mean += g_array_index (ibis, double, i);
  mean /= MAX (1u, ibis->len);
  for (guint i = 0; i < ibis->len; i++)
    var += pow (g_array_index (ibis, double, i) - mean, 2);

  out->n_beats = ibis->len + (isnan (prev) ? 0 : 1);
  out->heart_rate = ibis->len > 0 ? 60.0 / mean : NAN;
  out->hrv_sdnn = ibis->len > 1 ? 1000.0 * sqrt (var / (ibis->len - 1)) : NAN;
  out->respiratory_rate = self->params.respiratory_rate;
  out->spo2 = self->params.spo2;
}
