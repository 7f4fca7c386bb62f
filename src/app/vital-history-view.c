/* vital-history-view.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VitalHistoryView: the History page — the opt-in local history (SQLite, deletable with one
 * action) and the server's sessions.
 */
#include "vital-timezone.h"
#include "vital-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "vital-history-view-private.h"

#define LOCAL_LIMIT 200
#define SERVER_PAGE 20

struct _VitalHistoryView
{
  GtkWidget          parent_instance;

  GSettings         *settings;
  VitalHistoryStore *store;

  GtkWidget         *page;
  GtkWidget         *local_group;
  GtkWidget         *local_list;
  GtkWidget         *local_status;
  GtkWidget         *delete_button;
  guint              n_local_rows;
  GHashTable        *demo_sessions;  /* ids of sessions scanned from the demo subject */

  /* server sessions */
  VitalClient       *client;
  GCancellable      *cancellable;
  GtkWidget         *server_group;
  GtkWidget         *from_row;
  GtkWidget         *to_row;
  GtkWidget         *newest_switch;
  GtkWidget         *server_list;
  GtkWidget         *server_status;
  GtkWidget         *load_more;
  GtkWidget         *refresh_button;
  guint              n_server_rows;
  gboolean           loading;
  gboolean           can_load_more;
  char              *server_status_text;
};

G_DEFINE_FINAL_TYPE (VitalHistoryView, vital_history_view, GTK_TYPE_WIDGET)

/**
 * vital_history_view_format_row:
 * @reading: a result
 *
 * Returns: (transfer full): the row subtitle: heart rate (when available) and confidence
 */
char *
vital_history_view_format_row (VitalReading *reading)
{
  double hr = vital_reading_get_value (reading, VITAL_MEASURE_HEART_RATE);
  g_autofree char *text = NULL;

  if (vital_reading_is_fallback (reading) || isnan (hr))
    text = g_strdup (vital_band_get_title (vital_reading_get_band (reading)));
  else
    /* Translators: a history row, e.g. "72 bpm · High confidence" */
    text = g_strdup_printf (_("%.0f bpm · %s"), hr,
                            vital_band_get_title (vital_reading_get_band (reading)));
  if (vital_reading_is_demo (reading))
    /* Translators: a history row of a scan of the demo subject, e.g. "Demo scan · 72 bpm" */
    return g_strdup_printf (_("Demo scan · %s"), text);
  return g_steal_pointer (&text);
}

static void
note_demo_session (VitalHistoryView *self,
                   VitalReading     *reading)
{
  const char *id = vital_reading_get_session_id (reading);

  if (vital_reading_is_demo (reading) && id != NULL)
    g_hash_table_add (self->demo_sessions, g_strdup (id));
}

static void
reload_local (VitalHistoryView *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  gboolean enabled = self->settings == NULL ||
                     g_settings_get_boolean (self->settings, "keep-local-history");

  while ((child = gtk_widget_get_first_child (self->local_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->local_list), child);
  self->n_local_rows = 0;

  if (self->store != NULL)
    rows = vital_history_store_list (self->store, LOCAL_LIMIT, &error);

  if (rows != NULL)
    for (guint i = 0; i < rows->len; i++)
      {
        VitalReading *r = g_ptr_array_index (rows, i);
        GtkWidget *row = adw_action_row_new ();
        g_autofree char *subtitle = vital_history_view_format_row (r);
        g_autofree char *title = NULL;
        GDateTime *when = vital_reading_get_completed_at (r);

        if (when != NULL)
          {
            g_autoptr(GDateTime) local = g_date_time_to_local (when);
            title = g_date_time_format (local, "%x %X");
          }
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title ? title : "—");
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
        gtk_list_box_append (GTK_LIST_BOX (self->local_list), row);
        note_demo_session (self, r);
        self->n_local_rows++;
      }

  gtk_widget_set_visible (self->local_list, self->n_local_rows > 0);
  gtk_widget_set_sensitive (self->delete_button, self->n_local_rows > 0);
  if (error != NULL)
    gtk_label_set_label (GTK_LABEL (self->local_status), error->message);
  else if (!enabled)
    gtk_label_set_label (GTK_LABEL (self->local_status),
                         _("Local history is off. Turn it on in Preferences to keep results on "
                           "this device."));
  else
    gtk_label_set_label (GTK_LABEL (self->local_status), _("No results kept on this device yet."));
  gtk_widget_set_visible (self->local_status, self->n_local_rows == 0 || error != NULL);
}

static void
delete_response (AdwMessageDialog *dialog,
                 const char       *response,
                 gpointer          user_data)
{
  VitalHistoryView *self = user_data;

  if (g_strcmp0 (response, "delete") == 0)
    {
      g_autoptr(GError) error = NULL;
      if (!vital_history_view_delete_local (self, &error))
        g_warning ("%s", error->message);
    }
}

static void
delete_clicked (GtkButton        *button,
                VitalHistoryView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Delete Local History?"),
                                   _("Every result kept on this device is deleted. This "
                                     "cannot be undone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (delete_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
keep_history_changed (GSettings        *settings,
                      const char       *key,
                      VitalHistoryView *self)
{
  if (g_settings_get_boolean (settings, "keep-local-history") && self->store == NULL)
    {
      g_autofree char *path = vital_history_store_default_path ();
      g_autoptr(GError) error = NULL;
      self->store = vital_history_store_open (path, &error);
      if (self->store == NULL)
        g_warning ("%s", error->message);
    }
  reload_local (self);
}


static void
set_server_status (VitalHistoryView *self,
                   const char       *text)
{
  g_free (self->server_status_text);
  self->server_status_text = g_strdup (text);
  gtk_label_set_label (GTK_LABEL (self->server_status), text ? text : "");
  gtk_widget_set_visible (self->server_status, text != NULL);
}

static void
update_server_controls (VitalHistoryView *self)
{
  gtk_widget_set_visible (self->server_list, self->n_server_rows > 0);
  gtk_widget_set_visible (self->load_more, self->can_load_more);
  gtk_widget_set_sensitive (self->load_more, !self->loading);
  gtk_widget_set_sensitive (self->refresh_button, !self->loading && self->client != NULL);
}

/**
 * vital_history_view_format_session:
 * @session: a session from the server's history
 *
 * Returns: (transfer full): the row subtitle: status, and heart rate when available
 */
char *
vital_history_view_format_session (VitalClientSession *session)
{
  VitalSigns *signs = vital_client_session_get_vitals (session);
  const char *status;

  switch (vital_client_session_get_status (session))
    {
    case VITAL_CLIENT_SESSION_STATUS_PENDING:
      status = _("Waiting for upload");
      break;
    case VITAL_CLIENT_SESSION_STATUS_UPLOADED:
    case VITAL_CLIENT_SESSION_STATUS_PROCESSING:
      status = _("Processing");
      break;
    case VITAL_CLIENT_SESSION_STATUS_COMPLETED:
      status = _("Completed");
      break;
    case VITAL_CLIENT_SESSION_STATUS_FAILED:
      status = _("Failed");
      break;
    case VITAL_CLIENT_SESSION_STATUS_EXPIRED:
    default:
      status = _("Expired");
      break;
    }
  if (signs != NULL && !vital_signs_is_fallback (signs) &&
      !isnan (vital_signs_get_heart_rate (signs)))
    /* Translators: a server history row, e.g. "Completed · 72 bpm" */
    return g_strdup_printf (_("%s · %.0f bpm"), status, vital_signs_get_heart_rate (signs));
  return g_strdup (status);
}

/**
 * vital_history_view_is_demo_session:
 * @self: a #VitalHistoryView
 * @session_id: a session's id
 *
 * The server does not know what a scan was recorded from; the app does, for the sessions of
 * this run and those of the local history.
 *
 * Returns: %TRUE when @session_id is known to be a scan of the demo subject
 */
gboolean
vital_history_view_is_demo_session (VitalHistoryView *self,
                                    const char       *session_id)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), FALSE);
  return session_id != NULL && g_hash_table_contains (self->demo_sessions, session_id);
}

/**
 * vital_history_view_note_reading:
 * @self: a #VitalHistoryView
 * @reading: a result just shown
 *
 * Remembers what @reading was measured from, so that its session in the server's list is
 * marked as a demo scan when it is one (kept or not in the local history).
 */
void
vital_history_view_note_reading (VitalHistoryView *self,
                                 VitalReading     *reading)
{
  g_return_if_fail (VITAL_IS_HISTORY_VIEW (self));
  g_return_if_fail (VITAL_IS_READING (reading));
  note_demo_session (self, reading);
}

static void
list_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VitalHistoryView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sessions = NULL;

  sessions = vital_client_list_sessions_finish (VITAL_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  if (sessions == NULL)
    {
      set_server_status (self, error->message);
      self->can_load_more = FALSE;
      update_server_controls (self);
      return;
    }
  for (guint i = 0; i < sessions->len; i++)
    {
      VitalClientSession *session = g_ptr_array_index (sessions, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = vital_history_view_format_session (session);
      const char *start = vital_client_session_get_start_time (session);

      if (vital_history_view_is_demo_session (self, vital_client_session_get_id (session)))
        {
          g_autofree char *plain = g_steal_pointer (&subtitle);
          /* Translators: a server history row of a demo scan, e.g. "Demo scan · Completed" */
          subtitle = g_strdup_printf (_("Demo scan · %s"), plain);
        }

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     start ? start : vital_client_session_get_id (session));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (GTK_LIST_BOX (self->server_list), row);
      self->n_server_rows++;
    }
  self->can_load_more = sessions->len == SERVER_PAGE;
  set_server_status (self, self->n_server_rows == 0 ? _("No sessions in this range.") : NULL);
  update_server_controls (self);
}

static void
fetch_page (VitalHistoryView *self)
{
  g_autofree char *zone_name = NULL;
  const char *from = gtk_editable_get_text (GTK_EDITABLE (self->from_row));
  const char *to = gtk_editable_get_text (GTK_EDITABLE (self->to_row));
  VitalHistoryQuery query = { 0 };

  if (self->client == NULL)
    {
      set_server_status (self, _("Scan once to connect to the server's history."));
      update_server_controls (self);
      return;
    }
  query.date_gte = *from ? from : NULL;
  query.date_lte = *to ? to : NULL;
  query.ascending = !gtk_switch_get_active (GTK_SWITCH (self->newest_switch));
  query.offset = self->n_server_rows;
  query.limit = SERVER_PAGE;
  /* the local time zone, so dates and times are the user's: its IANA name, or its offset when
   * TZ is a POSIX string the server does not take */
  zone_name = vital_timezone_dup_local_name ();
  query.timezone = zone_name;

  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  update_server_controls (self);
  vital_client_list_sessions_async (self->client, &query, self->cancellable, list_done,
                                    g_object_ref (self));
}

/* Empty (no bound), or a date the server takes. */
static gboolean
valid_date (const char *text)
{
  return *text == '\0' || vital_date_parse (text, NULL);
}

/**
 * vital_history_view_refresh:
 * @self: a #VitalHistoryView
 *
 * Reloads the server's sessions from the first page with the current range and order.
 */
void
vital_history_view_refresh (VitalHistoryView *self)
{
  GtkWidget *child;
  gboolean ok_from, ok_to;

  g_return_if_fail (VITAL_IS_HISTORY_VIEW (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  while ((child = gtk_widget_get_first_child (self->server_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->server_list), child);
  self->n_server_rows = 0;
  self->can_load_more = FALSE;
  self->loading = FALSE;

  ok_from = valid_date (gtk_editable_get_text (GTK_EDITABLE (self->from_row)));
  ok_to = valid_date (gtk_editable_get_text (GTK_EDITABLE (self->to_row)));
  (ok_from ? gtk_widget_remove_css_class : gtk_widget_add_css_class) (self->from_row, "error");
  (ok_to ? gtk_widget_remove_css_class : gtk_widget_add_css_class) (self->to_row, "error");
  if (!ok_from || !ok_to)
    {
      set_server_status (self, _("Dates are written YYYY-MM-DD, e.g. 2026-11-23."));
      update_server_controls (self);
      return;
    }
  fetch_page (self);
}

/**
 * vital_history_view_load_more:
 * @self: a #VitalHistoryView
 *
 * Appends the next page of 20 sessions.
 */
void
vital_history_view_load_more (VitalHistoryView *self)
{
  g_return_if_fail (VITAL_IS_HISTORY_VIEW (self));
  if (!self->loading && self->can_load_more)
    fetch_page (self);
}

/**
 * vital_history_view_set_client:
 * @self: a #VitalHistoryView
 * @client: (nullable): the client of the current backend
 *
 * Uses @client for the server's history and reloads it.
 */
void
vital_history_view_set_client (VitalHistoryView *self,
                               VitalClient      *client)
{
  g_return_if_fail (VITAL_IS_HISTORY_VIEW (self));
  if (self->client == client)
    return;
  g_set_object (&self->client, client);
  vital_history_view_refresh (self);
}

/**
 * vital_history_view_set_range:
 * @self: a #VitalHistoryView
 * @date_gte: (nullable): first day, YYYY-MM-DD
 * @date_lte: (nullable): last day, YYYY-MM-DD
 *
 * Sets the date range and reloads.
 */
void
vital_history_view_set_range (VitalHistoryView *self,
                              const char       *date_gte,
                              const char       *date_lte)
{
  g_return_if_fail (VITAL_IS_HISTORY_VIEW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->from_row), date_gte ? date_gte : "");
  gtk_editable_set_text (GTK_EDITABLE (self->to_row), date_lte ? date_lte : "");
  vital_history_view_refresh (self);
}

/**
 * vital_history_view_set_newest_first:
 * @self: a #VitalHistoryView
 * @newest_first: order
 *
 * Sets the order (reloads through the switch).
 */
void
vital_history_view_set_newest_first (VitalHistoryView *self,
                                     gboolean          newest_first)
{
  g_return_if_fail (VITAL_IS_HISTORY_VIEW (self));
  if (gtk_switch_get_active (GTK_SWITCH (self->newest_switch)) == newest_first)
    vital_history_view_refresh (self);
  else
    gtk_switch_set_active (GTK_SWITCH (self->newest_switch), newest_first);
}

/**
 * vital_history_view_is_loading:
 * @self: a #VitalHistoryView
 *
 * Returns: %TRUE while a page is being fetched
 */
gboolean
vital_history_view_is_loading (VitalHistoryView *self)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), FALSE);
  return self->loading;
}

/**
 * vital_history_view_get_n_server_rows:
 * @self: a #VitalHistoryView
 *
 * Returns: how many server sessions are listed
 */
guint
vital_history_view_get_n_server_rows (VitalHistoryView *self)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), 0);
  return self->n_server_rows;
}

/**
 * vital_history_view_get_can_load_more:
 * @self: a #VitalHistoryView
 *
 * Returns: %TRUE when "Load More" is offered (the last page was full)
 */
gboolean
vital_history_view_get_can_load_more (VitalHistoryView *self)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), FALSE);
  return self->can_load_more;
}

/**
 * vital_history_view_get_server_status:
 * @self: a #VitalHistoryView
 *
 * Returns: (transfer none) (nullable): the status line of the server list (errors, empty)
 */
const char *
vital_history_view_get_server_status (VitalHistoryView *self)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), NULL);
  return self->server_status_text;
}

static void
build_server_group (VitalHistoryView *self)
{
  GtkWidget *box, *order_row, *buttons;

  self->server_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->server_group),
                                   _("Server Sessions"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->server_group),
                                         _("Sessions the server knows, in your time zone."));
  self->refresh_button = gtk_button_new_from_icon_name ("view-refresh-symbolic");
  gtk_widget_set_tooltip_text (self->refresh_button, _("Refresh"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->refresh_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Refresh"), -1);
  gtk_widget_add_css_class (self->refresh_button, "flat");
  gtk_widget_set_valign (self->refresh_button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (self->refresh_button, "clicked",
                            G_CALLBACK (vital_history_view_refresh), self);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self->server_group),
                                           self->refresh_button);

  self->from_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->from_row), _("From (YYYY-MM-DD)"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->from_row), TRUE);
  g_signal_connect_swapped (self->from_row, "apply", G_CALLBACK (vital_history_view_refresh),
                            self);
  self->to_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->to_row), _("To (YYYY-MM-DD)"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->to_row), TRUE);
  g_signal_connect_swapped (self->to_row, "apply", G_CALLBACK (vital_history_view_refresh),
                            self);
  order_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (order_row), _("_Newest First"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (order_row), TRUE);
  self->newest_switch = gtk_switch_new ();
  gtk_switch_set_active (GTK_SWITCH (self->newest_switch), TRUE);
  gtk_widget_set_valign (self->newest_switch, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (order_row), self->newest_switch);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (order_row), self->newest_switch);
  g_signal_connect_swapped (self->newest_switch, "notify::active",
                            G_CALLBACK (vital_history_view_refresh), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->server_group), self->from_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->server_group), self->to_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->server_group), order_row);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (box, 12);
  self->server_status = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->server_status), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->server_status), 0);
  gtk_widget_add_css_class (self->server_status, "dim-label");
  self->server_list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->server_list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->server_list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->server_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Server sessions"), -1);
  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  self->load_more = gtk_button_new_with_mnemonic (_("_Load More"));
  gtk_widget_add_css_class (self->load_more, "pill");
  g_signal_connect_swapped (self->load_more, "clicked",
                            G_CALLBACK (vital_history_view_load_more), self);
  gtk_box_append (GTK_BOX (buttons), self->load_more);
  gtk_box_append (GTK_BOX (box), self->server_status);
  gtk_box_append (GTK_BOX (box), self->server_list);
  gtk_box_append (GTK_BOX (box), buttons);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->server_group), box);
}

static void
vital_history_view_dispose (GObject *object)
{
  VitalHistoryView *self = VITAL_HISTORY_VIEW (object);

  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->server_status_text, g_free);
  g_clear_pointer (&self->demo_sessions, g_hash_table_unref);
  g_clear_pointer (&self->page, gtk_widget_unparent);

  G_OBJECT_CLASS (vital_history_view_parent_class)->dispose (object);
}

static void
vital_history_view_class_init (VitalHistoryViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vital_history_view_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
vital_history_view_init (VitalHistoryView *self)
{
  GtkWidget *box;

  self->demo_sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->page = adw_preferences_page_new ();
  /* what a screen reader calls the page's scroller */
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self->page), _("History"));
  gtk_widget_set_parent (self->page, GTK_WIDGET (self));

  self->local_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->local_group),
                                   _("On This Device"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->local_group),
                                         _("Results kept locally, newest first."));
  self->delete_button = gtk_button_new_with_mnemonic (_("_Delete All"));
  gtk_widget_add_css_class (self->delete_button, "destructive-action");
  gtk_widget_set_valign (self->delete_button, GTK_ALIGN_CENTER);
  g_signal_connect (self->delete_button, "clicked", G_CALLBACK (delete_clicked), self);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self->local_group),
                                           self->delete_button);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->local_list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->local_list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->local_list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->local_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Local history"), -1);
  self->local_status = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->local_status), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->local_status), 0);
  gtk_widget_add_css_class (self->local_status, "dim-label");
  gtk_box_append (GTK_BOX (box), self->local_status);
  gtk_box_append (GTK_BOX (box), self->local_list);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->local_group), box);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page),
                            ADW_PREFERENCES_GROUP (self->local_group));
  build_server_group (self);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page),
                            ADW_PREFERENCES_GROUP (self->server_group));
  reload_local (self);
  vital_history_view_refresh (self);
}

/**
 * vital_history_view_new:
 *
 * Returns: (transfer floating): a new history view
 */
GtkWidget *
vital_history_view_new (void)
{
  return g_object_new (VITAL_TYPE_HISTORY_VIEW, NULL);
}

/**
 * vital_history_view_set_settings:
 * @self: a #VitalHistoryView
 * @settings: the app's settings; "keep-local-history" opens the default store
 *
 * Follows the local-history setting.
 */
void
vital_history_view_set_settings (VitalHistoryView *self,
                                 GSettings        *settings)
{
  g_return_if_fail (VITAL_IS_HISTORY_VIEW (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_set_object (&self->settings, settings);
  g_signal_connect (settings, "changed::keep-local-history",
                    G_CALLBACK (keep_history_changed), self);
  keep_history_changed (settings, "keep-local-history", self);
}

/**
 * vital_history_view_set_store:
 * @self: a #VitalHistoryView
 * @store: (nullable): the local store to show
 *
 * Uses @store instead of the default one (tests, other locations).
 */
void
vital_history_view_set_store (VitalHistoryView  *self,
                              VitalHistoryStore *store)
{
  g_return_if_fail (VITAL_IS_HISTORY_VIEW (self));
  g_set_object (&self->store, store);
  reload_local (self);
}

/**
 * vital_history_view_get_store:
 * @self: a #VitalHistoryView
 *
 * Returns: (transfer none) (nullable): the local store, when local history is on
 */
VitalHistoryStore *
vital_history_view_get_store (VitalHistoryView *self)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), NULL);
  return self->store;
}

/**
 * vital_history_view_add_local:
 * @self: a #VitalHistoryView
 * @reading: a result
 * @error: return location for a #GError
 *
 * Keeps @reading in the local history (when there is a store) and shows it.
 *
 * Returns: %FALSE with @error set when storing failed
 */
gboolean
vital_history_view_add_local (VitalHistoryView  *self,
                              VitalReading      *reading,
                              GError           **error)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), FALSE);

  if (self->store == NULL)
    return TRUE;
  if (!vital_history_store_add (self->store, reading, error))
    return FALSE;
  reload_local (self);
  return TRUE;
}

/**
 * vital_history_view_delete_local:
 * @self: a #VitalHistoryView
 * @error: return location for a #GError
 *
 * Deletes every locally kept result.
 *
 * Returns: %FALSE with @error set on failure
 */
gboolean
vital_history_view_delete_local (VitalHistoryView  *self,
                                 GError           **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), FALSE);

  if (self->store != NULL)
    ok = vital_history_store_clear (self->store, error);
  reload_local (self);
  return ok;
}

/**
 * vital_history_view_get_n_local_rows:
 * @self: a #VitalHistoryView
 *
 * Returns: how many local results are listed
 */
guint
vital_history_view_get_n_local_rows (VitalHistoryView *self)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), 0);
  return self->n_local_rows;
}

static const char *
row_subtitle (GtkWidget *list,
              guint      index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), (int) index);

  return ADW_IS_ACTION_ROW (row) ? adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) : NULL;
}

/**
 * vital_history_view_get_server_row_subtitle:
 * @self: a #VitalHistoryView
 * @index: a row of the server's sessions
 *
 * Returns: (transfer none) (nullable): what the row says under its date, %NULL past the end
 */
const char *
vital_history_view_get_server_row_subtitle (VitalHistoryView *self,
                                            guint             index)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), NULL);
  return row_subtitle (self->server_list, index);
}

/**
 * vital_history_view_get_local_row_subtitle:
 * @self: a #VitalHistoryView
 * @index: a row of the local history
 *
 * Returns: (transfer none) (nullable): what the row says under its date, %NULL past the end
 */
const char *
vital_history_view_get_local_row_subtitle (VitalHistoryView *self,
                                           guint             index)
{
  g_return_val_if_fail (VITAL_IS_HISTORY_VIEW (self), NULL);
  return row_subtitle (self->local_list, index);
}
