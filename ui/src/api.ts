// The only module that talks to the Tauri shell. Components import these functions, never
// `@tauri-apps/api`, so every command name and argument shape is checked by the compiler.

import { invoke } from "@tauri-apps/api/core";
import { localizeDates } from "./lib/dates";
import type { ApiError } from "./bindings/ApiError";
import type { BackupsView } from "./bindings/BackupsView";
import type { BusyCalendarsView } from "./bindings/BusyCalendarsView";
import type { TopicEdit } from "./bindings/TopicEdit";
import type { DataOutcome } from "./bindings/DataOutcome";
import type { CaldavView } from "./bindings/CaldavView";
import type { ServerCalendar } from "./bindings/ServerCalendar";
import type { CalendarView } from "./bindings/CalendarView";
import type { ClockView } from "./bindings/ClockView";
import type { DashboardView } from "./bindings/DashboardView";
import type { ForecastView } from "./bindings/ForecastView";
import type { ExportOutcome } from "./bindings/ExportOutcome";
import type { ExportRequest } from "./bindings/ExportRequest";
import type { FeedView } from "./bindings/FeedView";
import type { TopicDetail } from "./bindings/TopicDetail";
import type { HomeView } from "./bindings/HomeView";
import type { LogView } from "./bindings/LogView";
import type { PlanPreview } from "./bindings/PlanPreview";
import type { PlanSettings } from "./bindings/PlanSettings";
import type { ReplanPolicy } from "./bindings/ReplanPolicy";
import type { ReplanPreview } from "./bindings/ReplanPreview";
import type { SessionMark } from "./bindings/SessionMark";
import type { Recall } from "./bindings/Recall";
import type { TopicMark } from "./bindings/TopicMark";
import type { WeekReview } from "./bindings/WeekReview";
import type { PlanView } from "./bindings/PlanView";
import type { RoadmapFileOutcome } from "./bindings/RoadmapFileOutcome";
import type { RoadmapView } from "./bindings/RoadmapView";
import type { AwayChoice } from "./bindings/AwayChoice";
import type { NextNow } from "./bindings/NextNow";
import type { PreferencesView } from "./bindings/PreferencesView";
import type { TimerBooked } from "./bindings/TimerBooked";

/** Every command the shell exposes: its arguments and what it returns. */
interface Commands {
  get_roadmap: { args: Record<string, never>; result: RoadmapView };
  open_roadmap_file: { args: Record<string, never>; result: RoadmapFileOutcome };
  use_bundled_roadmap: { args: Record<string, never>; result: RoadmapView };
  use_plan_roadmap: { args: Record<string, never>; result: RoadmapView };
  get_plan: { args: Record<string, never>; result: PlanView | null };
  create_plan: { args: { settings: PlanSettings }; result: HomeView };
  preview_plan: { args: { settings: PlanSettings }; result: PlanPreview };
  get_home: { args: Record<string, never>; result: HomeView | null };
  get_forecast: { args: Record<string, never>; result: ForecastView | null };
  mark_session: { args: { id: number; mark: SessionMark }; result: HomeView };
  log_study: { args: { topic: string; minutes: number; date: string | null }; result: HomeView };
  list_logs: { args: Record<string, never>; result: LogView[] };
  edit_log: { args: { id: number; topic: string; minutes: number; date: string }; result: HomeView };
  delete_log: { args: { id: number }; result: HomeView };
  set_topic_mark: { args: { topic: string; mark: TopicMark | null }; result: HomeView };
  review_topic: { args: { topic: string; recall: Recall; date: string | null }; result: HomeView };
  edit_week_goal: { args: { topics: string[]; targetMinutes: number }; result: HomeView };
  close_week: { args: { review: WeekReview }; result: HomeView };
  close_week_of: { args: { day: string; review: WeekReview }; result: HomeView };
  reopen_week: { args: { day: string }; result: HomeView };
  edit_goal_of: { args: { day: string; targetMinutes: number }; result: HomeView };
  preview_replan: { args: { policy: ReplanPolicy }; result: ReplanPreview };
  apply_replan: { args: { policy: ReplanPolicy }; result: HomeView };
  undo_replan: { args: Record<string, never>; result: HomeView };
  preview_track_switch: { args: { option: string }; result: ReplanPreview };
  switch_track: { args: { option: string }; result: HomeView };
  edit_topic: { args: { edit: TopicEdit }; result: HomeView };
  undo_topic_edit: { args: { index: number }; result: HomeView };
  export_plan_roadmap: { args: Record<string, never>; result: string | null };
  set_week_times: { args: { day: string; windows: string | null }; result: HomeView };
  export_all_data: { args: Record<string, never>; result: DataOutcome };
  import_all_data: { args: Record<string, never>; result: DataOutcome };
  move_session: { args: { id: number; date: string; start: string }; result: HomeView };
  get_topic: { args: { topic: string }; result: TopicDetail };
  save_topic_note: { args: { topic: string; note: string }; result: TopicDetail };
  open_resource: { args: { topic: string; index: number }; result: null };
  get_calendar: { args: Record<string, never>; result: CalendarView };
  get_dashboard: { args: Record<string, never>; result: DashboardView };
  export_calendar: { args: { request: ExportRequest }; result: ExportOutcome };
  list_busy: { args: Record<string, never>; result: BusyCalendarsView };
  add_busy_calendar: { args: Record<string, never>; result: BusyCalendarsView };
  add_busy_url: { args: { url: string }; result: BusyCalendarsView };
  confirm_busy_add: { args: Record<string, never>; result: BusyCalendarsView };
  refresh_busy: { args: Record<string, never>; result: BusyCalendarsView };
  remove_busy: { args: { name: string }; result: BusyCalendarsView };
  caldav_status: { args: Record<string, never>; result: CaldavView };
  caldav_connect: {
    args: { server: string; user: string; password: string; calendar: string | null };
    result: CaldavView;
  };
  caldav_sync: { args: Record<string, never>; result: CaldavView };
  caldav_disconnect: { args: { remove: boolean }; result: CaldavView };
  caldav_calendars: { args: Record<string, never>; result: ServerCalendar[] };
  get_feed: { args: Record<string, never>; result: FeedView };
  set_feed: { args: { enabled: boolean }; result: FeedView };
  list_backups: { args: Record<string, never>; result: BackupsView };
  restore_backup: { args: { name: string }; result: BackupsView };
  start_afresh: { args: Record<string, never>; result: BackupsView };
  report_ready: { args: Record<string, never>; result: null };
  get_clock: { args: Record<string, never>; result: ClockView };
  get_next: { args: Record<string, never>; result: NextNow };
  timer_start: { args: { session: number | null; topic: string | null }; result: NextNow };
  timer_pause: { args: Record<string, never>; result: NextNow };
  timer_resume: { args: Record<string, never>; result: NextNow };
  timer_stop: { args: { away: AwayChoice; discard: boolean }; result: TimerBooked };
  get_preferences: { args: Record<string, never>; result: PreferencesView };
  set_reminders: { args: { minutes: number | null }; result: PreferencesView };
  set_keep_in_tray: { args: { keep: boolean }; result: PreferencesView };
  set_start_at_login: { args: { on: boolean }; result: PreferencesView };
}

/** A failed command, carrying the shell's typed error. */
export class CommandError extends Error {
  readonly kind: ApiError["kind"];

  constructor(error: ApiError) {
    // Dates and times in the core's sentences, the locale's way (as every other on screen).
    super(localizeDates(error.message));
    this.kind = error.kind;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ApiError).kind === "string" &&
    typeof (value as ApiError).message === "string"
  );
}

/** Turns whatever a rejected `invoke` gave into a `CommandError`. */
export function toCommandError(reason: unknown): CommandError {
  if (isApiError(reason)) return new CommandError(reason);
  // Tauri itself rejects with a plain string, for example when a permission is missing.
  return new CommandError({ kind: "internal", message: String(reason) });
}

async function call<K extends keyof Commands>(
  command: K,
  args: Commands[K]["args"],
): Promise<Commands[K]["result"]> {
  try {
    return await invoke<Commands[K]["result"]>(command, args);
  } catch (reason) {
    throw toCommandError(reason);
  }
}

export const getRoadmap = () => call("get_roadmap", {});
export const openRoadmapFile = () => call("open_roadmap_file", {});
export const useBundledRoadmap = () => call("use_bundled_roadmap", {});
export const usePlanRoadmap = () => call("use_plan_roadmap", {});
export const getPlan = () => call("get_plan", {});
export const createPlan = (settings: PlanSettings) => call("create_plan", { settings });
export const previewPlan = (settings: PlanSettings) => call("preview_plan", { settings });
export const getHome = () => call("get_home", {});
export const listBusy = () => call("list_busy", {});
export const addBusyCalendar = () => call("add_busy_calendar", {});
export const addBusyUrl = (url: string) => call("add_busy_url", { url });
export const confirmBusyAdd = () => call("confirm_busy_add", {});
export const refreshBusy = () => call("refresh_busy", {});
export const removeBusy = (name: string) => call("remove_busy", { name });
export const caldavStatus = () => call("caldav_status", {});
export const caldavConnect = (server: string, user: string, password: string, calendar: string | null) =>
  call("caldav_connect", { server, user, password, calendar });
export const caldavSync = () => call("caldav_sync", {});
export const caldavDisconnect = (remove: boolean) => call("caldav_disconnect", { remove });
export const caldavCalendars = () => call("caldav_calendars", {});

/** Calls `handler` with the CalDAV view after every sync, also those the app runs by itself
 * (at start and every 15 minutes). Returns the function that stops listening. */
export async function onCaldavSynced(handler: (view: CaldavView) => void): Promise<() => void> {
  const { listen } = await import("@tauri-apps/api/event");
  return listen<CaldavView>("caldav-synced", (e) => handler(e.payload));
}
/** Calls `handler` when a reminder asks the window to show This week (clicked, or Start). */
export async function onShowWeek(handler: () => void): Promise<() => void> {
  const { listen } = await import("@tauri-apps/api/event");
  return listen("show-week", () => handler());
}
/** Calls `handler` when the plan changed outside the window (Not today on a reminder). */
export async function onPlanChangedElsewhere(handler: () => void): Promise<() => void> {
  const { listen } = await import("@tauri-apps/api/event");
  return listen("plan-changed-elsewhere", () => handler());
}
/** Calls `handler` with a sentence when an action on a reminder could not be done. */
export async function onReminderProblem(handler: (sentence: string) => void): Promise<() => void> {
  const { listen } = await import("@tauri-apps/api/event");
  return listen<string>("reminder-problem", (e) => handler(e.payload));
}
/** Calls `handler` with a sentence when the hourly reading of the busy calendars moved
 * sessions off new busy times. Returns the function that stops listening. */
export async function onBusyRefreshed(handler: (note: string) => void): Promise<() => void> {
  const { listen } = await import("@tauri-apps/api/event");
  return listen<string>("busy-refreshed", (e) => handler(e.payload));
}
export const getForecast = () => call("get_forecast", {});
export const markSession = (id: number, mark: SessionMark) => call("mark_session", { id, mark });
export const logStudy = (topic: string, minutes: number, date: string | null) =>
  call("log_study", { topic, minutes, date });
export const listLogs = () => call("list_logs", {});
export const editLog = (id: number, topic: string, minutes: number, date: string) =>
  call("edit_log", { id, topic, minutes, date });
export const deleteLog = (id: number) => call("delete_log", { id });
export const reviewTopic = (topic: string, recall: Recall, date: string | null = null) =>
  call("review_topic", { topic, recall, date });
export const setTopicMark = (topic: string, mark: TopicMark | null) =>
  call("set_topic_mark", { topic, mark });
export const editWeekGoal = (topics: string[], targetMinutes: number) =>
  call("edit_week_goal", { topics, targetMinutes });
export const closeWeek = (review: WeekReview) => call("close_week", { review });
export const closeWeekOf = (day: string, review: WeekReview) => call("close_week_of", { day, review });
export const reopenWeek = (day: string) => call("reopen_week", { day });
export const editGoalOf = (day: string, targetMinutes: number) => call("edit_goal_of", { day, targetMinutes });
export const previewReplan = (policy: ReplanPolicy) => call("preview_replan", { policy });
export const applyReplan = (policy: ReplanPolicy) => call("apply_replan", { policy });
export const undoReplan = () => call("undo_replan", {});
export const previewTrackSwitch = (option: string) => call("preview_track_switch", { option });
export const switchTrack = (option: string) => call("switch_track", { option });
export const editTopic = (edit: TopicEdit) => call("edit_topic", { edit });
export const undoTopicEdit = (index: number) => call("undo_topic_edit", { index });
export const exportPlanRoadmap = () => call("export_plan_roadmap", {});
export const setWeekTimes = (day: string, windows: string | null) => call("set_week_times", { day, windows });
export const exportAllData = () => call("export_all_data", {});
export const importAllData = () => call("import_all_data", {});
export const moveSession = (id: number, date: string, start: string) =>
  call("move_session", { id, date, start });
export const getTopic = (topic: string) => call("get_topic", { topic });
export const saveTopicNote = (topic: string, note: string) => call("save_topic_note", { topic, note });
export const openResource = (topic: string, index: number) => call("open_resource", { topic, index });
export const getCalendar = () => call("get_calendar", {});
export const getDashboard = () => call("get_dashboard", {});
export const exportCalendar = (request: ExportRequest) => call("export_calendar", { request });
export const getFeed = () => call("get_feed", {});
export const setFeed = (enabled: boolean) => call("set_feed", { enabled });
export const listBackups = () => call("list_backups", {});
export const restoreBackup = (name: string) => call("restore_backup", { name });
export const startAfresh = () => call("start_afresh", {});
export const reportReady = () => call("report_ready", {});
export const getClock = () => call("get_clock", {});
export const getNext = () => call("get_next", {});
export const timerStart = (session: number | null, topic: string | null = null) =>
  call("timer_start", { session, topic });
export const timerPause = () => call("timer_pause", {});
export const timerResume = () => call("timer_resume", {});
export const timerStop = (away: AwayChoice, discard = false) => call("timer_stop", { away, discard });
export const getPreferences = () => call("get_preferences", {});
export const setReminders = (minutes: number | null) => call("set_reminders", { minutes });
export const setKeepInTray = (keep: boolean) => call("set_keep_in_tray", { keep });
export const setStartAtLogin = (on: boolean) => call("set_start_at_login", { on });
