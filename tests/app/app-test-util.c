/* app-test-util.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared helpers of the app tests: environment, bounded main-loop waits, screenshots, real
 * key presses and clicks (xdotool, through XTEST).
 */
#include "vital-config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>

#include "app-test-util.h"

#if defined(__SANITIZE_ADDRESS__)
/* GLib, GTK and GStreamer are built without frame pointers: the fast unwinder stops at
 * g_malloc(), so leak reports (and tests/lsan.supp's third-party entries) need the slow one. */
const char *__asan_default_options (void);
const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0:malloc_context_size=40";
}
#endif

/**
 * app_test_init:
 * @argc: argc of main
 * @argv: argv of main
 *
 * Sets the GUI test environment (X11 under Xvfb, cairo renderer, no a11y bus, memory
 * GSettings with the schema compiled into the build dir), then g_test_init() and
 * adw_init().
 */
void
app_test_init (int    *argc,
               char ***argv)
{
  g_autofree char *schema_dir = g_build_filename (VITAL_BUILD_DIR, "data", NULL);

  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dir, TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_unsetenv ("LANGUAGE");

  g_test_init (argc, argv, NULL);
  adw_init ();
  /* Own the main context for the whole test, as g_main_loop_run() does in the app: otherwise
   * g_main_context_invoke() from a streaming thread may run its callback on that thread. */
  g_assert_true (g_main_context_acquire (g_main_context_default ()));

  /* What AdwApplication does for the app: load style.css from the resource base path. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
    gtk_css_provider_load_from_resource (css, "/io/github/vitalscan/Vitalscan/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
}

/**
 * app_test_iterate:
 * @ms: how long to run the default main context
 *
 * Iterates the main context for @ms (lets layout, drawing and idles happen).
 */
void
app_test_iterate (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

/**
 * app_test_wait:
 * @condition: returns %TRUE when the wait is over
 * @user_data: data for @condition
 * @timeout_ms: upper bound
 *
 * Iterates the main context until @condition holds or the bound passes.
 *
 * Returns: %TRUE when @condition held
 */
gboolean
app_test_wait (AppTestCondition condition,
               gpointer         user_data,
               guint            timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (user_data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return TRUE;
}

/**
 * app_test_screenshot:
 * @widget: a realized, mapped widget (usually a window)
 * @name: file name without folder, e.g. "result.png"
 * @error: return location for a #GError
 *
 * Renders @widget with its own renderer and saves a PNG under `<builddir>/tests/app/`.
 *
 * Returns: %TRUE when saved
 */
gboolean
app_test_screenshot (GtkWidget   *widget,
                     const char  *name,
                     GError     **error)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = g_build_filename (VITAL_BUILD_DIR, "tests", "app", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GskRenderer *renderer;
  int w, h;

  /* a window presented just now may not be allocated yet (slow under ASan): bounded wait */
  for (guint i = 0; i < 100 && gtk_widget_get_width (widget) <= 0; i++)
    app_test_iterate (20);
  w = gtk_widget_get_width (widget);
  h = gtk_widget_get_height (widget);
  if (w <= 0 || h <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: widget has no size", name);
      return FALSE;
    }
  /* A widget with a pending relayout draws nothing: let a frame pass and retry (bounded). */
  for (guint attempt = 0; attempt < 40 && node == NULL; attempt++)
    {
      if (attempt > 0)
        app_test_iterate (50);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: nothing drawn", name);
      return FALSE;
    }
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_mkdir_with_parents (dir, 0755);
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write %s", path);
      return FALSE;
    }
  g_test_message ("screenshot: %s", path);
  return TRUE;
}

/**
 * app_test_find_widget:
 * @root: where to look
 * @type: a widget type
 *
 * Returns: (transfer none) (nullable): the first mapped widget of @type under @root (itself
 *   included), depth first
 */
GtkWidget *
app_test_find_widget (GtkWidget *root,
                      GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && gtk_widget_get_mapped (root))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = app_test_find_widget (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * app_test_assert_screenshot:
 * @widget: a realized, mapped widget (usually a window)
 * @name: file name without folder, e.g. "result.png"
 *
 * app_test_screenshot(), which must succeed.
 */
void
app_test_assert_screenshot (GtkWidget  *widget,
                            const char *name)
{
  g_autoptr(GError) error = NULL;

  app_test_screenshot (widget, name, &error);
  g_assert_no_error (error);
}

/**
 * app_test_scroll_to_end:
 * @widget: a widget
 *
 * Scrolls every scrolled window under @widget to its end, where a page's last controls are.
 */
void
app_test_scroll_to_end (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget))
    {
      GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (widget));

      gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) -
                                       gtk_adjustment_get_page_size (adj));
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    app_test_scroll_to_end (c);
}

/* The first mapped control (a button, or anything but a scroller that takes focus) under
 * @widget, outside @toast, whose bounds meet @toast_bounds. */
static GtkWidget *
control_under (GtkWidget             *widget,
               GtkWidget             *window,
               GtkWidget             *toast,
               const graphene_rect_t *toast_bounds)
{
  graphene_rect_t bounds;

  if (widget == toast || !gtk_widget_get_mapped (widget))
    return NULL;
  if ((GTK_IS_BUTTON (widget) ||
       (gtk_widget_get_focusable (widget) && !GTK_IS_SCROLLED_WINDOW (widget) &&
        !GTK_IS_VIEWPORT (widget))) &&
      gtk_widget_compute_bounds (widget, window, &bounds) &&
      graphene_rect_intersection (&bounds, toast_bounds, NULL))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = control_under (c, window, toast, toast_bounds);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * app_test_control_under_toast:
 * @window: a window showing a toast
 *
 * Fails the test when @window shows no toast.
 *
 * Returns: (transfer none) (nullable): a control (button, entry, list…) the toast covers
 */
GtkWidget *
app_test_control_under_toast (GtkWidget *window)
{
  GType toast_type = g_type_from_name ("AdwToastWidget");  /* libadwaita's, private */
  GtkWidget *toast;
  graphene_rect_t toast_bounds;

  g_assert_true (toast_type != G_TYPE_INVALID);
  toast = app_test_find_widget (window, toast_type);
  g_assert_nonnull (toast);
  g_assert_true (gtk_widget_compute_bounds (toast, window, &toast_bounds));
  return control_under (window, window, toast, &toast_bounds);
}

/**
 * app_test_set_value:
 * @reading: a reading
 * @measure: which vital
 * @value: its new value, or NAN
 *
 * Changes a vital of the result @reading presents.
 */
void
app_test_set_value (VitalReading *reading,
                    VitalMeasure  measure,
                    double        value)
{
  vital_signs_set_measure (vital_reading_get_signs (reading), measure, value, NAN);
}

/**
 * app_test_set_quality:
 * @reading: a reading
 * @measure: which vital (not the heart rate: its quality is the confidence)
 * @quality: its own quality, 0-1, or NAN
 *
 * Changes how sure the result @reading presents is of one vital.
 */
void
app_test_set_quality (VitalReading *reading,
                      VitalMeasure  measure,
                      double        quality)
{
  VitalSigns *signs = vital_reading_get_signs (reading);

  vital_signs_set_measure (signs, measure, vital_signs_get_measure (signs, measure), quality);
}

/**
 * app_test_reading:
 * @confidence: 0-1
 * @heart_rate: bpm
 *
 * Returns: (transfer full): a reading with every vital filled with typical values except the
 *   given heart rate
 */
VitalReading *
app_test_reading (double confidence,
                  double heart_rate)
{
  g_autoptr(VitalSigns) signs = vital_signs_new ("ses_test_0001", confidence);
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 11, 23, 10, 30, 0);

  vital_signs_set_measure (signs, VITAL_MEASURE_HEART_RATE, heart_rate, NAN);
  vital_signs_set_measure (signs, VITAL_MEASURE_RESPIRATORY_RATE, 15, 0.8);
  vital_signs_set_measure (signs, VITAL_MEASURE_HRV_SDNN, 48, 0.8);
  vital_signs_set_measure (signs, VITAL_MEASURE_SPO2, 97.5, 0.6);
  vital_signs_set_measure (signs, VITAL_MEASURE_SYSTOLIC_BP, 118, 0.6);
  vital_signs_set_measure (signs, VITAL_MEASURE_DIASTOLIC_BP, 76, 0.6);
  vital_signs_set_signal_quality (signs, 2.0 + 8.0 * confidence, confidence, confidence * 0.9);
  vital_signs_set_completed_at (signs, g_date_time_to_unix (when));
  return vital_reading_new (signs);
}

/**
 * app_test_can_use_input:
 *
 * Real input needs the X11 backend (Xvfb) and xdotool; without them the test is skipped (no
 * X11) or failed (xdotool missing: build-aux/install-deps installs it).
 *
 * Returns: %TRUE when app_test_press_key() and app_test_click() can be used
 */
gboolean
app_test_can_use_input (void)
{
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");

  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("real input needs the X11 backend (the test runner uses Xvfb)");
      return FALSE;
    }
  if (xdotool == NULL)
    {
      g_test_fail_printf ("xdotool is missing: build-aux/install-deps installs it");
      return FALSE;
    }
  return TRUE;
}

/**
 * app_test_can_open_file_chooser:
 *
 * GTK 4.8's own file chooser leaks when it lists a folder (tree paths of its GtkTreeView,
 * libcloudproviders' lookups, its file-info threads; every frame is inside GTK or GLib), so
 * under AddressSanitizer the tests do not open the real dialog; the normal suite does.
 *
 * Returns: %TRUE when a test may open the real save/open dialog
 */
gboolean
app_test_can_open_file_chooser (void)
{
#if defined(__SANITIZE_ADDRESS__)
  g_test_message ("not opening GTK's file chooser under AddressSanitizer: it leaks in GTK 4.8");
  return FALSE;
#else
  return TRUE;
#endif
}

static void
run_xdotool (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
}

static char *
window_xid (GtkWidget *widget)
{
  GdkSurface *surface = gtk_native_get_surface (gtk_widget_get_native (widget));

  return g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (surface));
}

/**
 * app_test_press_key:
 * @window: a mapped window
 * @key: an xdotool key name ("space", "Escape", "ctrl+o")
 *
 * Types @key into @window for real: xdotool focuses the X11 window and sends the key through
 * XTEST, so it arrives as a user's key press would (event controllers, bindings, focus).
 */
void
app_test_press_key (GtkWidget  *window,
                    const char *key)
{
  g_autofree char *xid = window_xid (window);
  const char *argv[] = { "xdotool", "windowfocus", "--sync", xid, "key", key, NULL };

  run_xdotool (argv);
}

/**
 * app_test_type:
 * @window: a mapped window
 * @text: what to type
 *
 * Types @text into the focused widget of @window for real, key by key (xdotool, XTEST).
 */
void
app_test_type (GtkWidget  *window,
               const char *text)
{
  g_autofree char *xid = window_xid (window);
  const char *focus[] = { "xdotool", "windowfocus", "--sync", xid, NULL };
  const char *type[] = { "xdotool", "type", "--delay", "20", text, NULL };

  run_xdotool (focus);
  run_xdotool (type);
}

/**
 * app_test_click:
 * @widget: a mapped, visible widget
 *
 * Clicks the middle of @widget for real: xdotool moves the pointer there and presses the first
 * button through XTEST, as a user's click would arrive (picking, gestures, sensitivity).
 */
void
app_test_click (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  g_autofree char *xid = window_xid (widget);
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  graphene_point_t middle, point;
  double dx, dy;

  g_assert_true (gtk_widget_get_mapped (widget));
  graphene_point_init (&middle, gtk_widget_get_width (widget) / 2.0,
                       gtk_widget_get_height (widget) / 2.0);
  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &middle, &point));
  gtk_native_get_surface_transform (native, &dx, &dy);
  x = g_strdup_printf ("%d", (int) (point.x + dx));
  y = g_strdup_printf ("%d", (int) (point.y + dy));
  {
    const char *focus[] = { "xdotool", "windowfocus", "--sync", xid, NULL };
    const char *click[] = { "xdotool", "mousemove", "--window", xid, "--sync", x, y,
                            "click", "1", NULL };
    run_xdotool (focus);
    run_xdotool (click);
  }
}

/**
 * app_test_find_window:
 * @type: a window type, or an interface windows implement (GTK_TYPE_FILE_CHOOSER)
 *
 * Returns: (transfer none) (nullable): a mapped toplevel of @type, such as the Preferences a
 *   click opened
 */
GtkWindow *
app_test_find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_mapped (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

/**
 * app_test_window_shown:
 * @type: a #GType as a pointer (GSIZE_TO_POINTER())
 *
 * An #AppTestCondition for app_test_wait().
 *
 * Returns: %TRUE when a toplevel of @type is mapped
 */
gboolean
app_test_window_shown (gpointer type)
{
  return app_test_find_window (GPOINTER_TO_SIZE (type)) != NULL;
}

/**
 * app_test_window_gone:
 * @type: a #GType as a pointer (GSIZE_TO_POINTER())
 *
 * An #AppTestCondition for app_test_wait().
 *
 * Returns: %TRUE when no toplevel of @type is mapped
 */
gboolean
app_test_window_gone (gpointer type)
{
  return app_test_find_window (GPOINTER_TO_SIZE (type)) == NULL;
}

static void
run_isolated (gconstpointer body)
{
  if (g_test_subprocess ())
    {
      (*(const GTestFunc *) body) ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/**
 * app_test_add_isolated:
 * @path: the test's path
 * @body: the test
 *
 * Adds @body as the test @path, run in a process of its own: for tests that change the
 * environment or a once-per-process choice (the renderer, where the schemas are).
 */
void
app_test_add_isolated (const char *path,
                       GTestFunc   body)
{
  /* Static, not allocated: a child runs one test and exits without freeing the others' data,
   * which LeakSanitizer would report. */
  static GTestFunc bodies[8];
  static guint n_bodies;

  g_assert_cmpuint (n_bodies, <, G_N_ELEMENTS (bodies));
  bodies[n_bodies] = body;
  g_test_add_data_func (path, &bodies[n_bodies++], run_isolated);
}
