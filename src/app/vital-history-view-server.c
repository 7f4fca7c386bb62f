/* vital-history-view-server.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The "Server Sessions" group of VitalHistoryView, shown only when scans go to a remote
 * server: that server's sessions a page at a time, between two days picked on calendars (in
 * the local time zone), newest or oldest first, demo scans marked, and Refresh.
 */
#include "vital-config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "vital-history-view-private.h"
#include "vital-timezone.h"

#define SERVER_PAGE 20

static char *
format_day (const GDate *date)
{
  g_autoptr(GDateTime) dt = NULL;

  if (!g_date_valid (date))
    return g_strdup (_("Any day"));
  dt = g_date_time_new_local (g_date_get_year (date), g_date_get_month (date),
                              g_date_get_day (date), 0, 0, 0);
  /* Translators: a day picked for the server's history (GDateTime format), "27 Nov 2026" */
  return g_date_time_format (dt, C_("history day", "%-d %b %Y"));
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
  gtk_widget_set_visible (self->server_group, self->remote);
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

void
vital_history_view_note_demo_session (VitalHistoryView *self,
                                      VitalReading     *reading)
{
  const char *id = vital_reading_get_session_id (reading);

  if (vital_reading_is_demo (reading) && id != NULL)
    g_hash_table_add (self->demo_sessions, g_strdup (id));
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
 * marked as a demo scan when it is one (kept or not in the local history), and reloads the
 * server's list, which now holds that session.
 */
void
vital_history_view_note_reading (VitalHistoryView *self,
                                 VitalReading     *reading)
{
  g_return_if_fail (VITAL_IS_HISTORY_VIEW (self));
  g_return_if_fail (VITAL_IS_READING (reading));
  vital_history_view_note_demo_session (self, reading);
  if (self->remote && self->client != NULL)
    vital_history_view_refresh (self);
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
      g_autoptr(GDateTime) when = start ? g_date_time_new_from_iso8601 (start, NULL) : NULL;
      g_autofree char *title = NULL;

      if (vital_history_view_is_demo_session (self, vital_client_session_get_id (session)))
        {
          g_autofree char *plain = g_steal_pointer (&subtitle);
          /* Translators: a server history row of a demo scan, e.g. "Demo scan · Completed" */
          subtitle = g_strdup_printf (_("Demo scan · %s"), plain);
        }
      /* The server writes times in whatever zone it was asked for, with their offset: shown
       * here in the zone of this computer. */
      title = when != NULL ? vital_history_view_format_time (when)
                           : g_strdup (vital_client_session_get_id (session));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (GTK_LIST_BOX (self->server_list), row);
      self->n_server_rows++;
    }
  self->can_load_more = sessions->len == SERVER_PAGE;
  set_server_status (self, self->n_server_rows == 0 ? _("No sessions in this range.") : NULL);
  update_server_controls (self);
}

static char *
format_query_day (const GDate *date)
{
  char buf[16];

  if (!g_date_valid (date))
    return NULL;
  g_date_strftime (buf, sizeof buf, "%Y-%m-%d", date);
  return g_strdup (buf);
}

static void
fetch_page (VitalHistoryView *self)
{
  g_autofree char *zone_name = NULL;
  g_autofree char *from = format_query_day (&self->from.date);
  g_autofree char *to = format_query_day (&self->to.date);
  VitalHistoryQuery query = { 0 };

  if (self->client == NULL)
    {
      set_server_status (self, _("Scan once to connect to the server's history."));
      update_server_controls (self);
      return;
    }
  query.date_gte = from;
  query.date_lte = to;
  query.ascending = !gtk_switch_get_active (GTK_SWITCH (self->newest_switch));
  query.offset = self->n_server_rows;
  query.limit = SERVER_PAGE;
  /* the local time zone, so the server's days are the user's: its IANA name, or its offset
   * when TZ is a POSIX string the server does not take */
  zone_name = vital_timezone_dup_local_name ();
  query.timezone = zone_name;

  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  update_server_controls (self);
  vital_client_list_sessions_async (self->client, &query, self->cancellable, list_done,
                                    g_object_ref (self));
}

/**
 * vital_history_view_refresh:
 * @self: a #VitalHistoryView
 *
 * Reloads the server's sessions from the first page with the current range and order (only
 * when scans go to a remote server).
 */
void
vital_history_view_refresh (VitalHistoryView *self)
{
  GtkWidget *child;

  g_return_if_fail (VITAL_IS_HISTORY_VIEW (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  while ((child = gtk_widget_get_first_child (self->server_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->server_list), child);
  self->n_server_rows = 0;
  self->can_load_more = FALSE;
  self->loading = FALSE;

  if (!self->remote)
    {
      set_server_status (self, NULL);
      update_server_controls (self);
      return;
    }
  if (self->range_invalid)
    set_server_status (self, _("Dates are written YYYY-MM-DD, e.g. 2026-11-23."));
  else if (g_date_valid (&self->from.date) && g_date_valid (&self->to.date) &&
           g_date_compare (&self->from.date, &self->to.date) > 0)
    set_server_status (self, _("The first day is after the last day."));
  else
    {
      fetch_page (self);
      return;
    }
  update_server_controls (self);
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
 * @remote: whether @client talks to a remote server; the server's sessions are listed only
 *   then (the on-device server keeps nothing worth a list: the local history does)
 *
 * Uses @client for the server's history and reloads it.
 */
void
vital_history_view_set_client (VitalHistoryView *self,
                               VitalClient      *client,
                               gboolean          remote)
{
  g_return_if_fail (VITAL_IS_HISTORY_VIEW (self));
  remote = remote && client != NULL;
  if (self->client == client && self->remote == remote)
    return;
  g_set_object (&self->client, client);
  self->remote = remote;
  vital_history_view_refresh (self);
}

static void
bound_update (DateBound *bound)
{
  g_autofree char *text = format_day (&bound->date);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (bound->row), text);
  gtk_widget_set_visible (bound->clear, g_date_valid (&bound->date));
  if (g_date_valid (&bound->date))
    {
      g_autoptr(GDateTime) dt = g_date_time_new_local (g_date_get_year (&bound->date),
                                                       g_date_get_month (&bound->date),
                                                       g_date_get_day (&bound->date), 12, 0, 0);
      gtk_calendar_select_day (GTK_CALENDAR (bound->calendar), dt);
    }
}

/**
 * vital_history_view_set_range:
 * @self: a #VitalHistoryView
 * @date_gte: (nullable): first day, YYYY-MM-DD
 * @date_lte: (nullable): last day, YYYY-MM-DD
 *
 * Sets the date range (as if picked on the calendars) and reloads.
 */
void
vital_history_view_set_range (VitalHistoryView *self,
                              const char       *date_gte,
                              const char       *date_lte)
{
  g_return_if_fail (VITAL_IS_HISTORY_VIEW (self));
  g_date_clear (&self->from.date, 1);
  g_date_clear (&self->to.date, 1);
  self->range_invalid = (date_gte != NULL && !vital_date_parse (date_gte, &self->from.date)) ||
                        (date_lte != NULL && !vital_date_parse (date_lte, &self->to.date));
  bound_update (&self->from);
  bound_update (&self->to);
  vital_history_view_refresh (self);
}

static void
day_selected (GtkCalendar      *calendar,
              VitalHistoryView *self)
{
  DateBound *bound = (GtkWidget *) calendar == self->from.calendar ? &self->from : &self->to;
  g_autoptr(GDateTime) dt = gtk_calendar_get_date (calendar);

  g_date_set_dmy (&bound->date, (GDateDay) g_date_time_get_day_of_month (dt),
                  (GDateMonth) g_date_time_get_month (dt),
                  (GDateYear) g_date_time_get_year (dt));
  self->range_invalid = FALSE;
  gtk_menu_button_popdown (GTK_MENU_BUTTON (bound->menu_button));
  bound_update (bound);
  vital_history_view_refresh (self);
}

static void
clear_clicked (GtkButton        *button,
               VitalHistoryView *self)
{
  DateBound *bound = (GtkWidget *) button == self->from.clear ? &self->from : &self->to;

  g_date_clear (&bound->date, 1);
  bound_update (bound);
  vital_history_view_refresh (self);
}

static void
build_bound (VitalHistoryView *self,
             DateBound        *bound,
             const char       *title,
             const char       *pick_name,
             const char       *clear_name)
{
  GtkWidget *popover;

  g_date_clear (&bound->date, 1);
  bound->row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (bound->row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (bound->row), TRUE);
  bound->clear = gtk_button_new_from_icon_name ("edit-clear-symbolic");
  gtk_widget_add_css_class (bound->clear, "flat");
  gtk_widget_set_valign (bound->clear, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (bound->clear, clear_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bound->clear), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  clear_name, -1);
  g_signal_connect (bound->clear, "clicked", G_CALLBACK (clear_clicked), self);
  bound->calendar = gtk_calendar_new ();
  g_signal_connect (bound->calendar, "day-selected", G_CALLBACK (day_selected), self);
  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), bound->calendar);
  bound->menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (bound->menu_button),
                                 "x-office-calendar-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (bound->menu_button), popover);
  gtk_widget_add_css_class (bound->menu_button, "flat");
  gtk_widget_set_valign (bound->menu_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (bound->menu_button, pick_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bound->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, pick_name, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (bound->row), bound->clear);
  adw_action_row_add_suffix (ADW_ACTION_ROW (bound->row), bound->menu_button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (bound->row), bound->menu_button);
  bound_update (bound);
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

void
vital_history_view_build_server_group (VitalHistoryView *self)
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

  build_bound (self, &self->from, _("_From"), _("Pick the first day"),
               _("Any first day"));
  build_bound (self, &self->to, _("_To"), _("Pick the last day"), _("Any last day"));
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
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->server_group), self->from.row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->server_group), self->to.row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->server_group), order_row);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (box, 12);
  self->server_status = vital_history_view_dim_label ();
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
