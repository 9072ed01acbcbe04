//! The `roadmap` command's arguments, as clap reads them.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use roadmap_core::schedule::planner;

#[derive(Parser)]
#[command(
    name = "roadmap",
    version,
    about = "Plan and track your path to backend developer"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Check a roadmap file (default: the bundled roadmap) and print a summary or every error.
    Validate {
        /// The roadmap file to check.
        file: Option<PathBuf>,
    },
    /// The choices a roadmap offers (a language track, say): each option's id, title and
    /// expected hours with it chosen. The first option is the one in force unless chosen.
    Tracks {
        /// A roadmap file instead of the bundled one.
        #[arg(long)]
        roadmap: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Schedule every topic as study sessions from a start date, within a target duration
    /// and/or weekly availability, and report whether the target can be met.
    Plan {
        /// A roadmap file to plan instead of the bundled one.
        #[arg(long)]
        roadmap: Option<PathBuf>,
        /// First day of study, YYYY-MM-DD.
        #[arg(long)]
        start: NaiveDate,
        /// Target duration in months (6 to 24). Without --availability, a week is proposed.
        #[arg(long)]
        months: Option<u32>,
        /// Weekly study windows, e.g. "mon=19:00-21:00,sat=09:00-13:00".
        #[arg(long)]
        availability: Option<String>,
        /// A blocked-out period, YYYY-MM-DD..YYYY-MM-DD (repeatable).
        #[arg(long = "blackout", value_name = "FROM..TO")]
        blackouts: Vec<String>,
        /// Shortest session in minutes (a multiple of 15).
        #[arg(long, default_value_t = planner::DEFAULT_SESSION_MIN)]
        session_min: u32,
        /// Longest session in minutes (a multiple of 15).
        #[arg(long, default_value_t = planner::DEFAULT_SESSION_MAX)]
        session_max: u32,
        /// Leave out the optional topics.
        #[arg(long)]
        without_optional: bool,
        /// Steps you already know well (ids, comma-separated, e.g. `version-control`): their
        /// topics are marked skipped in the plan (undo any with the app) and not scheduled.
        #[arg(long, value_delimiter = ',')]
        known: Option<Vec<String>>,
        /// Steps you know something of: their topics' estimates start lower (at 60 %).
        #[arg(long, value_delimiter = ',')]
        some: Option<Vec<String>>,
        /// The option to take of a choice the roadmap offers (a language track: `roadmap
        /// tracks` lists them); each choice not named takes its first option.
        #[arg(long, value_name = "OPTION")]
        track: Vec<String>,
        /// The share of the weekly hours that spaced review of finished topics may take, in
        /// percent (0 to 50; 0 turns review off).
        #[arg(long, value_name = "PERCENT", default_value_t = roadmap_core::recall::DEFAULT_CAP_PERCENT)]
        review_cap: u32,
        /// The IANA time zone the sessions' times are in (default: this machine's).
        #[arg(long, value_name = "ZONE")]
        time_zone: Option<String>,
        /// Make this the current plan in the database, exactly as creating it in the app does.
        #[arg(long)]
        save: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print the current plan: progress, this week's sessions and goal, and where each step
    /// stands.
    Status {
        /// List every topic with its state.
        #[arg(long)]
        topics: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Record study outside a planned session.
    #[command(allow_negative_numbers = true)]
    Log {
        /// The topic's id (`roadmap status --topics` lists them).
        #[arg(required_unless_present = "delete")]
        topic: Option<String>,
        /// Minutes studied.
        #[arg(required_unless_present = "delete")]
        minutes: Option<i64>,
        /// The day of study, YYYY-MM-DD (default: today; with --edit, the entry's own day);
        /// not in the future.
        #[arg(long)]
        date: Option<NaiveDate>,
        /// Correct logged entry ID (`roadmap logs` lists them) to this topic and these minutes.
        #[arg(long, value_name = "ID", conflicts_with = "delete")]
        edit: Option<i64>,
        /// Take logged entry ID back.
        #[arg(long, value_name = "ID", conflicts_with_all = ["topic", "minutes", "date"])]
        delete: Option<i64>,
    },
    /// Every logged entry (study outside the planned sessions), with the number
    /// `log --edit` and `log --delete` take.
    Logs {
        /// From this day on, YYYY-MM-DD.
        #[arg(long)]
        from: Option<NaiveDate>,
        /// Up to this day, YYYY-MM-DD.
        #[arg(long)]
        to: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Mark a topic done; its sessions still to come are dropped, and its spaced reviews
    /// begin.
    Done { topic: String },
    /// Rate a spaced review of a finished topic: how well you remembered it. Checks off the
    /// topic's review session of that day (or the latest one before it still open) and plans
    /// the next review from the grade.
    Review {
        /// The topic's id (`roadmap status --topics` lists them).
        topic: String,
        /// again (forgotten), hard, good or easy.
        #[arg(value_enum)]
        grade: GradeArg,
        /// The day of the review, YYYY-MM-DD (default: today); not in the future.
        #[arg(long)]
        date: Option<NaiveDate>,
    },
    /// Mark a topic skipped (you already know it); its sessions still to come are dropped.
    Skip { topic: String },
    /// Write the current plan to an iCalendar file that calendar apps import: a timed event
    /// per session and an all-day event per milestone, the same as the app's export.
    #[command(group = clap::ArgGroup::new("what").required(true).args(["ics", "all", "roadmap"]))]
    Export {
        /// The .ics file to write (replaced atomically if it exists).
        #[arg(long, value_name = "FILE")]
        ics: Option<PathBuf>,
        /// Write all of your data instead (every plan with its sessions and marks, logged
        /// study, weeks' goals and reviews, review ratings, notes, busy calendars' sources and
        /// the times they block, preferences) as one JSON file that `roadmap import` reads back.
        /// No passwords or tokens. The format: docs/data-format.md.
        #[arg(long, value_name = "FILE.json", conflicts_with_all = ["ics", "alarm", "name"])]
        all: Option<PathBuf>,
        /// Write the current plan's roadmap instead, with your changes to it, as a roadmap file
        /// (TOML) that `roadmap validate` accepts and `roadmap plan --roadmap` plans.
        #[arg(long, value_name = "FILE.toml", conflicts_with_all = ["ics", "all", "alarm", "name"])]
        roadmap: Option<PathBuf>,
        /// A reminder this many minutes before each session, in this file only (default:
        /// your reminder setting, `roadmap reminders`).
        #[arg(long, value_name = "MINUTES")]
        alarm: Option<u32>,
        /// The calendar's name (default: "Roadmap Planner: " and the roadmap's title).
        #[arg(long)]
        name: Option<String>,
    },
    /// Change the times of one week only (an exam week with less time, a holiday with more),
    /// leaving your usual week as it is. That week's sessions that no longer fit its times
    /// move within it, or become behind; nothing else moves.
    Availability {
        /// Any day of the week to change, YYYY-MM-DD.
        #[arg(long, value_name = "YYYY-MM-DD")]
        week: NaiveDate,
        /// The week's windows, like "mon=19:00-21:00,sat=09:00-13:00"; "" for no study that
        /// week.
        #[arg(required_unless_present = "usual", conflicts_with = "usual")]
        windows: Option<String>,
        /// Give the week your usual times again.
        #[arg(long)]
        usual: bool,
    },
    /// Replace all of your data with a file `roadmap export --all` wrote (here or on another
    /// machine). A backup of the data as it is is made first; a file that is damaged, too large
    /// or from a newer version is refused and changes nothing. A CalDAV connection is
    /// forgotten (connect again).
    Import { file: PathBuf },
    /// Check an iCalendar file's structure: CRLF line ends, lines of at most 75 octets, no
    /// split UTF-8 character, the required properties, UTC stamps, ends after starts, unique
    /// UIDs, a VTIMEZONE for every TZID. Prints each problem with its line.
    CheckIcs { file: PathBuf },
    /// List the plan's sessions (cancelled ones included), oldest first.
    Sessions {
        /// The first day to list, YYYY-MM-DD.
        #[arg(long)]
        from: Option<NaiveDate>,
        /// The last day to list, YYYY-MM-DD.
        #[arg(long)]
        to: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Check a session off: `done`, `missed`, `partly MINUTES`, or `planned` to undo.
    Mark {
        /// The session's id (`roadmap sessions` lists them).
        session: i64,
        /// done, missed, partly or planned.
        #[arg(value_enum)]
        mark: MarkArg,
        /// With `partly`: the minutes studied.
        minutes: Option<u32>,
    },
    /// Move a session to another day and time: it is pinned there, and a session it sits on
    /// finds room in its own week (or becomes behind), as dragging it in the app does.
    Move {
        /// The session's id (`roadmap sessions` lists them).
        session: i64,
        /// The new local start, YYYY-MM-DDTHH:MM.
        to: String,
    },
    /// Reschedule what is left from now: past sessions stay, pinned ones stay put.
    Replan {
        #[arg(long, value_enum, default_value_t = PolicyArg::Extend)]
        policy: PolicyArg,
        /// With --policy compress: the most hours a week you are willing to study.
        #[arg(long, default_value_t = 20.0)]
        cap: f64,
        /// Re-estimate every topic left at your own pace (from the topics you finished), and
        /// move the finish date to match, earlier or later; later replans keep these
        /// estimates. The same as `--policy use-pace`.
        #[arg(long)]
        use_pace: bool,
        /// Show what would change without saving it.
        #[arg(long)]
        dry_run: bool,
        /// Take the last replan back: the sessions it placed go, the ones it moved or
        /// cancelled return, and the settings before it are in force again. Refused, with the
        /// reason, once a session it placed has begun or been marked or moved.
        #[arg(long, conflicts_with_all = ["policy", "cap", "use_pace", "dry_run"])]
        undo: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Your own roadmap: add, change or remove topics of the current plan's roadmap (the plan's
    /// own copy; the roadmap file is not touched). Only the topic's own sessions move. `topic
    /// changes` lists your changes and `topic undo N` takes one back.
    Topic {
        #[command(subcommand)]
        action: TopicAction,
    },
    /// The plan's language track (the roadmap's choice): switch it mid-plan, keeping what you
    /// recorded; `roadmap tracks` lists the options.
    Track {
        #[command(subcommand)]
        action: TrackAction,
    },
    /// Calendars whose events block study time (shifts, classes, family): sessions are never
    /// planned or moved onto them. Only the times they block are kept, never their events.
    Busy {
        #[command(subcommand)]
        action: BusyAction,
    },
    /// When the plan will most likely be finished: a band (50, 80 and 90 % likely), from your
    /// own pace and the share of planned hours you study, beside the plan's own finish
    Forecast {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// What to do next: the session under way or the next to come, with its topic's summary,
    /// resources and your notes.
    Next {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// A study timer, shared with the app: start it for a session or a topic, pause, resume,
    /// and stop it to record the real minutes (the session done or partly done, or study
    /// logged). Time the computer slept or was off is asked about, never recorded silently.
    Timer {
        #[command(subcommand)]
        action: TimerAction,
    },
    /// Reminders before each session and review: `roadmap reminders 15`, `roadmap reminders
    /// off`, or no argument to show the setting. Exports, the live feed, CalDAV events and
    /// the app's notifications all follow it.
    Reminders {
        /// Minutes before (0 to 10080), or `off`.
        setting: Option<String>,
    },
    /// The plan in your own calendar server (CalDAV: Nextcloud, Fastmail, iCloud, Radicale…),
    /// both ways: sessions, reviews and milestones as events, topics as tasks; a session moved
    /// there moves in the plan, a task completed there marks its topic done.
    Caldav {
        #[command(subcommand)]
        action: CaldavAction,
    },
    /// A week's review: close a week that has passed (or this one), correct its review by
    /// closing it again, or reopen it.
    Week {
        #[command(subcommand)]
        action: WeekAction,
    },
}

#[derive(Subcommand)]
pub enum WeekAction {
    /// Close the week a day falls in (this week or an earlier one of the plan), or close it
    /// again with a corrected review.
    Close {
        /// Any day of the week, YYYY-MM-DD.
        day: NaiveDate,
        #[arg(long, value_enum)]
        outcome: OutcomeArg,
        /// What helped, what got in the way.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Open a closed week again: its review is taken back.
    Reopen {
        /// Any day of the week, YYYY-MM-DD.
        day: NaiveDate,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OutcomeArg {
    Done,
    Partly,
    Blocked,
}

#[derive(Subcommand)]
pub enum CaldavAction {
    /// Connect to a server (its plain address is enough: the calendar home is discovered),
    /// and choose or make the calendar. The password goes to the system keyring.
    Connect {
        /// The server's address, e.g. https://dav.example.com
        url: String,
        #[arg(long)]
        user: String,
        /// Read the password from the first line of this file instead of asking for it.
        #[arg(long)]
        password_file: Option<PathBuf>,
        /// The calendar to use or make (default: "Roadmap Planner").
        #[arg(long)]
        calendar: Option<String>,
    },
    /// Send the plan's changes and bring back the calendar's (moves, completed tasks).
    Sync {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Use the password in this file rather than the one in the system keyring.
        #[arg(long)]
        password_file: Option<PathBuf>,
    },
    /// The connection, and what the last sync did.
    Status {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Forget the connection and its password; the calendar on the server stays as it is.
    Disconnect {
        /// First remove every event and task of the plan from the calendar (when that cannot
        /// be finished, nothing is forgotten: try again, or disconnect without it).
        #[arg(long)]
        remove: bool,
    },
    /// Your other calendars on the server, each with the source `roadmap busy add` takes to
    /// keep study off its events.
    Calendars {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[arg(long)]
        password_file: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum TimerAction {
    /// Start the timer for a session (default: the next one, as `roadmap next` shows), or
    /// for a topic outside any session; refused while a timer runs.
    Start {
        /// The session's id (`roadmap sessions` lists them).
        session: Option<i64>,
        /// Time study of this topic outside any session.
        #[arg(long, conflicts_with = "session")]
        topic: Option<String>,
    },
    Pause,
    Resume,
    /// Stop the timer and record its minutes.
    Stop {
        /// Record nothing.
        #[arg(long)]
        discard: bool,
        /// Count time the computer was asleep or off as studied.
        #[arg(long, conflicts_with_all = ["discard", "drop_away"])]
        keep_away: bool,
        /// Leave time the computer was asleep or off out.
        #[arg(long, conflicts_with = "discard")]
        drop_away: bool,
    },
    /// Whether a timer runs, for what, since when, and its minutes so far.
    Status {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum PolicyArg {
    /// Push the finish date.
    Extend,
    /// Keep the target by studying more each week, up to --cap hours.
    Compress,
    /// Leave out the optional topics not yet done.
    DropOptional,
    /// Push the finish date, re-estimating what is left at your own pace.
    UsePace,
    /// You are ahead: place what is left from now at the same hours, finishing earlier.
    PullForward,
}

#[derive(Subcommand)]
pub enum TopicAction {
    /// Add a topic of your own (its id is made from the title, starting with "own-"); its
    /// work is planned in the time left free after its prerequisites.
    Add {
        #[arg(long)]
        title: String,
        /// The step it belongs to, by id (`roadmap status --topics` shows them).
        #[arg(long)]
        step: String,
        /// Its skill areas, by id, comma-separated.
        #[arg(long, value_delimiter = ',', required = true)]
        skills: Vec<String>,
        /// The expected hours; --low and --high default to 70 % and 150 % of it.
        #[arg(long)]
        hours: f64,
        #[arg(long)]
        low: Option<f64>,
        #[arg(long)]
        high: Option<f64>,
        /// The topics it requires, by id, comma-separated.
        #[arg(long, value_delimiter = ',')]
        requires: Vec<String>,
        #[arg(long, default_value = "")]
        summary: String,
        /// A resource, "TITLE|URL|KIND" (kind: docs, book, course, video, article, tutorial
        /// or exercise); repeat for more.
        #[arg(long = "resource", value_name = "TITLE|URL|KIND")]
        resources: Vec<String>,
        /// Planned only when the plan includes optional topics.
        #[arg(long)]
        optional: bool,
    },
    /// Change a topic: its estimate, prerequisites, resources, title or summary. Only what
    /// you give changes.
    Edit {
        /// The topic's id.
        id: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        summary: Option<String>,
        /// The expected hours; --low and --high default to 70 % and 150 % of it.
        #[arg(long)]
        hours: Option<f64>,
        #[arg(long, requires = "hours")]
        low: Option<f64>,
        #[arg(long, requires = "hours")]
        high: Option<f64>,
        /// What it requires from now on, by id, comma-separated ("" for nothing).
        #[arg(long)]
        requires: Option<String>,
        /// Its resources from now on, "TITLE|URL|KIND"; repeat for more.
        #[arg(
            long = "resource",
            value_name = "TITLE|URL|KIND",
            conflicts_with = "no_resources"
        )]
        resources: Vec<String>,
        /// Remove all of its resources.
        #[arg(long)]
        no_resources: bool,
    },
    /// Remove a topic from the plan: its sessions still to come are cancelled. A topic with
    /// study recorded can be skipped (`roadmap skip ID`), not removed.
    Remove { id: String },
    /// Your changes to the plan's roadmap, numbered.
    Changes {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Take back change N (as `topic changes` numbers them); only its topic's sessions move.
    Undo { number: usize },
}

#[derive(Subcommand)]
pub enum TrackAction {
    /// Switch the plan to another option (`roadmap tracks` lists them): study recorded stays,
    /// the old track's sessions still to come are cancelled, and the work left is planned
    /// again from now with the new track's topics, as a replan does.
    Switch {
        /// The option's id, such as `java` or `node`.
        option: String,
        /// Show what would change without saving it.
        #[arg(long)]
        dry_run: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Subcommand)]
pub enum BusyAction {
    /// Add an .ics file; the plan's work ahead moves off the times it blocks.
    Add {
        /// The .ics file (a calendar app's export), an https:// or webcal:// address, or
        /// caldav:PATH, a calendar on the connected CalDAV server (`roadmap caldav calendars`).
        source: String,
        /// What to call it (default: the file's name).
        #[arg(long)]
        name: Option<String>,
        /// Add it even when it moves more than 8 sessions (without it, such a calendar is
        /// not added: the sessions it would move are listed first).
        #[arg(long)]
        yes: bool,
    },
    /// List the busy calendars: what each blocks, when it was read, and any problem.
    List {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Read every busy calendar again; one that cannot be read keeps its last good copy.
    Refresh,
    /// Remove a busy calendar; the times it blocked are free again.
    Remove { name: String },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum GradeArg {
    Again,
    Hard,
    Good,
    Easy,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum MarkArg {
    Done,
    Missed,
    Partly,
    Planned,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
}
