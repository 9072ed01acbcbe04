//! Every type that crosses the IPC boundary, declared once: plain data, no behaviour beyond
//! naming its variants. What builds these values lives with the decisions (`content`,
//! `schedule`, `progress`, `saved`), so this module depends on nothing else in the crate.
//!
//! Each derives `TS`; `cargo test -p roadmap-core` writes their TypeScript twins into
//! `ui/src/bindings/` (see `.cargo/config.toml`), and `make test` fails when the committed
//! bindings differ from the generated ones.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The `source` of the roadmap that ships with the app.
pub const BUNDLED_SOURCE: &str = "bundled";

/// What the UI needs to show a roadmap before any plan exists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoadmapView {
    /// Where the roadmap comes from: [`BUNDLED_SOURCE`], or the path of a file the user opened.
    pub source: String,
    /// Something the user should know about how this roadmap was chosen, if anything.
    pub notice: Option<String>,
    pub title: String,
    pub description: String,
    pub steps: Vec<StepView>,
    pub topic_count: u32,
    pub expected_hours: f64,
    /// The choices the roadmap offers (a language track), for setup to ask.
    #[serde(default)]
    pub choices: Vec<ChoiceView>,
    pub skills: Vec<SkillView>,
}

/// A choice of the roadmap and its options, as setup asks it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChoiceView {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// The option in force unless another is chosen.
    pub default: String,
    pub options: Vec<OptionView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OptionView {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// The whole roadmap's expected hours with this option chosen.
    pub expected_hours: f64,
    /// The titles of the topics only this option has: what differs.
    pub topics: Vec<String>,
    /// Their ids, in the same order.
    pub topic_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StepView {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub topic_count: u32,
    pub expected_hours: f64,
    /// Its topics in the roadmap's order, so the roadmap can be read before planning.
    pub topics: Vec<StepTopicView>,
}

/// A topic as the roadmap lists it (no plan needed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StepTopicView {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub optional: bool,
    pub expected_hours: f64,
    pub low_hours: f64,
    pub high_hours: f64,
    pub skills: Vec<String>,
    /// The topics it requires, by id.
    pub requires: Vec<String>,
    pub resources: Vec<ResourceView>,
}

/// A skill area of the roadmap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SkillView {
    pub id: String,
    pub name: String,
}

pub(crate) fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// What opening a roadmap file came to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RoadmapFileOutcome {
    /// The file is valid and is now the roadmap plans are made from.
    Loaded { roadmap: RoadmapView },
    /// The file does not validate; nothing changed.
    Invalid {
        file: String,
        errors: Vec<LocatedError>,
    },
    /// The user closed the file dialog without choosing a file.
    Cancelled,
}

/// One problem in a file, at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LocatedError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// The error every command returns. The UI switches on `kind`, never on `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[ts(export)]
#[error("{message}")]
pub struct ApiError {
    pub kind: ErrorKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// An argument out of range or malformed; the message names it.
    InvalidInput,
    /// A roadmap file that does not validate.
    Content,
    /// The database could not be opened or written.
    Database,
    /// The file at the database path is not a Roadmap Planner database.
    NotADatabase,
    /// The database was written by a newer version of the app.
    DatabaseTooNew,
    /// Reading or writing a file failed.
    Io,
    /// Something asked for does not exist.
    NotFound,
    /// A failure inside the app itself (for example a command the window may not call).
    Internal,
}

/// The user's choices for a plan: what the setup screen edits, what a saved plan keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanSettings {
    /// First day of study.
    pub start: NaiveDate,
    /// Target duration, 6 to 24 months; `None` to finish whenever the availability allows.
    pub months: Option<u32>,
    /// Weekly windows in the `mon=19:00-21:00,sat=09:00-13:00` syntax; `None` to have one
    /// proposed. A saved plan always holds the windows it was made with.
    pub availability: Option<String>,
    /// Blocked-out periods, `YYYY-MM-DD..YYYY-MM-DD` or a single date.
    pub blackouts: Vec<String>,
    pub session_min: u32,
    pub session_max: u32,
    pub include_optional: bool,
    /// Steps the learner already knows well: their topics are marked skipped when the plan is
    /// made (visibly, and undoable topic by topic), and not scheduled.
    #[serde(default)]
    pub known: Vec<String>,
    /// Steps the learner knows something of: their topics' estimates start lower
    /// (`planner::SOME_FACTOR`) and, in the forecast, wider.
    #[serde(default)]
    pub some: Vec<String>,
    /// The share of the weekly availability that spaced review of finished topics may take,
    /// in percent (0 turns review off; at most `recall::MAX_CAP_PERCENT`).
    #[serde(default = "default_review_cap")]
    pub review_cap: u32,
    /// The estimates in force: each topic's factor on its expected hours, in percent, from
    /// the last "Use my pace" (`None`, or a topic not in it: the roadmap's estimates). Every
    /// later replan keeps them, and "behind" is measured against them, until the learner
    /// drops them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub pace: Option<std::collections::BTreeMap<String, u32>>,
    /// Single weeks that differ from the usual one, by their Monday: their windows in the
    /// same syntax, empty for a week without study. The usual week is untouched.
    #[serde(default)]
    pub weeks: std::collections::BTreeMap<NaiveDate, String>,
    /// The options chosen among the roadmap's choices (a language track, say), by option id,
    /// one per choice at most; a choice not named here is its first option.
    #[serde(default)]
    pub chosen: Vec<String>,
    /// The learner's changes to the plan's roadmap (topics added, changed, removed), applied
    /// in order to it as resolved for `chosen`.
    #[serde(default)]
    pub edits: Vec<TopicEdit>,
}

/// The share of the weekly hours spaced review takes unless the learner says otherwise.
pub const DEFAULT_CAP_PERCENT: u32 = 15;

fn default_review_cap() -> u32 {
    DEFAULT_CAP_PERCENT
}

/// What a session is for: studying a topic, or a short spaced review of a finished one.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS,
)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    #[default]
    Study,
    Review,
}

impl SessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Study => "study",
            SessionKind::Review => "review",
        }
    }

    pub fn parse(text: &str) -> Option<SessionKind> {
        [SessionKind::Study, SessionKind::Review]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// One of the learner's busy calendars: what it blocks, when it was read, and any problem.
/// Its JSON form is `roadmap busy list --format json` (fields only ever added).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BusyCalendarView {
    pub name: String,
    /// The file it is read from.
    pub source: String,
    /// Events in the last good reading (a recurring one counts once).
    pub events: u32,
    /// Stretches of time it blocks.
    pub intervals: u32,
    /// Events of the last good reading that could not be read, each with why.
    pub skipped: Vec<String>,
    /// When it was last read without error (UTC, RFC 3339).
    pub read_at: Option<String>,
    /// When it was last tried (UTC, RFC 3339).
    pub checked_at: String,
    /// Why the last try failed; the last good reading stays in force meanwhile.
    pub error: Option<String>,
}

/// The busy calendars, and what the last change did, in a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BusyCalendarsView {
    pub calendars: Vec<BusyCalendarView>,
    pub note: Option<String>,
    /// A calendar read but not added yet: it would move more sessions than one action moves
    /// by itself, so the learner sees them first (`confirm_busy_add` adds it).
    #[serde(default)]
    pub held: Option<HeldCalendar>,
}

/// A busy calendar waiting for the learner's yes, and the sessions adding it would move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HeldCalendar {
    pub name: String,
    pub changes: Vec<SessionChange>,
}

/// How well a finished topic was remembered at a review: FSRS's four grades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Recall {
    /// Forgotten: it comes back soon.
    Again,
    Hard,
    Good,
    Easy,
}

impl Recall {
    pub const ALL: [Recall; 4] = [Recall::Again, Recall::Hard, Recall::Good, Recall::Easy];

    pub fn as_str(self) -> &'static str {
        match self {
            Recall::Again => "again",
            Recall::Hard => "hard",
            Recall::Good => "good",
            Recall::Easy => "easy",
        }
    }

    pub fn parse(text: &str) -> Option<Recall> {
        Recall::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// The answer: feasibility at a glance, and fixes the user can apply with one click.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanPreview {
    pub feasible: bool,
    pub target_end: Option<NaiveDate>,
    pub projected_end: Option<NaiveDate>,
    pub required_hours_per_week: Option<f64>,
    pub available_hours_per_week: f64,
    /// The windows used, proposed when the request had none.
    pub availability: String,
    pub availability_proposed: bool,
    pub session_count: u32,
    /// Topics that could not be placed at all.
    pub unscheduled_count: u32,
    pub fixes: Vec<PlanFix>,
    /// Hours a week of the availability that the busy calendars take (over the first four
    /// weeks); the preview plans around them.
    #[serde(default)]
    pub busy_hours_per_week: f64,
}

/// What would make a missed target feasible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlanFix {
    /// Study this many more hours a week (spread over the existing or new windows).
    MoreHours { extra_hours_per_week: f64 },
    /// Aim for this many months instead (`None`: more than 24 months are needed).
    LaterTarget { months: Option<u32> },
    /// Leave out the optional topics; `enough` says whether that alone meets the target.
    DropOptional {
        topics: Vec<String>,
        hours: f64,
        enough: bool,
    },
}

/// Where a planned session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Planned,
    Done,
    /// Studied for part of the session (`done_minutes`).
    Partial,
    Missed,
    /// Removed by a replan; kept so calendar exports can cancel it.
    Cancelled,
}

impl SessionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Planned => "planned",
            SessionStatus::Done => "done",
            SessionStatus::Partial => "partial",
            SessionStatus::Missed => "missed",
            SessionStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<SessionStatus> {
        [
            SessionStatus::Planned,
            SessionStatus::Done,
            SessionStatus::Partial,
            SessionStatus::Missed,
            SessionStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// How the learner stands against the plan they last accepted (its sessions as they are: a
/// finish past the target that they accepted is not "behind").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Every hour of study left has a session.
    OnPlan,
    /// Some study (missed or unticked sessions) has no time yet, less than
    /// [`BEHIND_WEEKS`] of the week's hours: said quietly, nothing to act on yet.
    Slipping,
    /// At least [`BEHIND_WEEKS`] of the week's hours of study have no time: a replan helps.
    Behind,
}

/// How many weeks of the learner's hours the study without time must reach before they are
/// told they are behind (one: a missed evening is not an alarm, a lost week is).
pub const BEHIND_WEEKS: f64 = 1.0;

impl Standing {
    /// From the minutes of study no session covers and the minutes available a week.
    pub fn of(unplanned_minutes: u32, weekly_minutes: u32) -> Standing {
        if unplanned_minutes == 0 {
            Standing::OnPlan
        } else if f64::from(unplanned_minutes) >= BEHIND_WEEKS * f64::from(weekly_minutes) {
            Standing::Behind
        } else {
            Standing::Slipping
        }
    }
}

/// Where a topic stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum TopicState {
    NotStarted,
    InProgress,
    Done,
    /// The user already knows it.
    Skipped,
}

/// One study session of a saved plan. `id` never changes; `revision` rises whenever its
/// time changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionView {
    pub id: i64,
    /// Study, or a spaced review of a finished topic.
    pub kind: SessionKind,
    pub topic: String,
    pub topic_title: String,
    pub step: String,
    pub date: NaiveDate,
    /// Local start time, `HH:MM`.
    pub start: String,
    pub minutes: u32,
    pub status: SessionStatus,
    pub done_minutes: u32,
    /// Moved by hand: replans leave it where it is.
    pub pinned: bool,
    pub revision: u32,
    /// Still to come and on a busy time of the learner's calendars (a session placed by hand
    /// stays where the learner put it): the window flags it and offers to move it.
    #[serde(default)]
    pub on_busy: bool,
    /// A review that was rated: how well the topic was remembered.
    #[serde(default)]
    pub recall: Option<Recall>,
    /// A review that was rated: the day of the topic's next review, when one is planned.
    #[serde(default)]
    pub next_review: Option<NaiveDate>,
}

/// A topic of a saved plan, with its progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TopicView {
    pub id: String,
    pub step: String,
    pub title: String,
    pub optional: bool,
    pub state: TopicState,
    /// Minutes of study the plan gives it (sessions still to come plus what is done).
    pub planned_minutes: u32,
    pub done_minutes: u32,
    pub start: Option<NaiveDate>,
    pub finish: Option<NaiveDate>,
}

/// A step of a saved plan: when it happens and how far along it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StepPlanView {
    pub id: String,
    pub title: String,
    pub start: Option<NaiveDate>,
    /// The milestone date: the day its last session ends.
    pub milestone: Option<NaiveDate>,
    pub topics_total: u32,
    pub topics_done: u32,
}

/// A saved plan as every view shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanView {
    pub id: i64,
    /// When the plan was created, RFC 3339 in UTC.
    pub created_at: String,
    /// When its sessions last changed (creation or replan), RFC 3339 in UTC.
    pub revised_at: String,
    pub roadmap_title: String,
    pub settings: PlanSettings,
    /// The day the target ends (exclusive), when the plan has a target.
    pub target_end: Option<NaiveDate>,
    /// The day of the last session still planned or done.
    pub projected_end: Option<NaiveDate>,
    /// Whether the projected end is within the target.
    pub on_track: bool,
    /// Minutes of study still needed that no session from today on covers: how far behind
    /// the plan is (0 right after a replan). Missed and unmarked past sessions end up here.
    pub unplanned_minutes: u32,
    /// Whether the learner is behind the plan they last accepted, as every view says it
    /// ([`Standing::of`]).
    pub standing: Standing,
    pub available_hours_per_week: f64,
    pub steps: Vec<StepPlanView>,
    pub topics: Vec<TopicView>,
    pub progress: Progress,
}

/// Done against total, for the whole roadmap or one week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Progress {
    pub topics_done: u32,
    pub topics_total: u32,
    pub minutes_done: u32,
    pub minutes_total: u32,
}

/// A week of study as the This Week screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WeekView {
    /// ISO week, e.g. `2027-W03`.
    pub week: String,
    pub monday: NaiveDate,
    /// The day the app takes as today.
    pub today: NaiveDate,
    /// The local time the view was made at, `HH:MM`: sessions that started before it are
    /// history and can no longer be moved.
    pub time: String,
    pub sessions: Vec<SessionView>,
    /// Study logged outside sessions during the week.
    pub logs: Vec<LogView>,
    pub goal: WeekGoal,
    /// Minutes of the week's sessions (cancelled ones left out).
    pub planned_minutes: u32,
    /// Minutes studied: sessions done or partly done, and logged study.
    pub done_minutes: u32,
    /// Weeks before this one, latest first: planned against done.
    pub past: Vec<WeekSummary>,
    /// Minutes of this week's availability that the learner's busy calendars take.
    #[serde(default)]
    pub busy_minutes: u32,
    /// Minutes of availability this week (blocked-out days left out), before busy times.
    #[serde(default)]
    pub available_minutes: u32,
}

/// The goal of one week: topics to finish or advance, and hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WeekGoal {
    pub topics: Vec<GoalTopic>,
    pub target_minutes: u32,
    /// Set once the week is closed.
    pub review: Option<WeekReview>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GoalTopic {
    pub id: String,
    pub title: String,
    pub state: TopicState,
}

/// How a closed week went, in the user's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WeekReview {
    pub outcome: ReviewOutcome,
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ReviewOutcome {
    Done,
    Partly,
    Blocked,
}

impl ReviewOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewOutcome::Done => "done",
            ReviewOutcome::Partly => "partly",
            ReviewOutcome::Blocked => "blocked",
        }
    }

    pub fn parse(text: &str) -> Option<ReviewOutcome> {
        [
            ReviewOutcome::Done,
            ReviewOutcome::Partly,
            ReviewOutcome::Blocked,
        ]
        .into_iter()
        .find(|o| o.as_str() == text)
    }
}

/// A past week: what was planned against what was done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WeekSummary {
    pub week: String,
    /// The week's Monday, for showing it as a date.
    pub monday: NaiveDate,
    pub planned_minutes: u32,
    pub done_minutes: u32,
    pub target_minutes: u32,
    pub review: Option<WeekReview>,
}

/// Study logged outside a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LogView {
    pub id: i64,
    pub topic: String,
    pub topic_title: String,
    pub date: NaiveDate,
    pub minutes: u32,
}

/// What happened to a session: the This Week screen's three buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "mark", rename_all = "snake_case")]
pub enum SessionMark {
    Done,
    Partial {
        minutes: u32,
    },
    Missed,
    /// Back to planned (undo).
    Planned,
}

/// The catch-up policy the user picks for a replan.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "policy", rename_all = "snake_case")]
pub enum ReplanPolicy {
    /// Push the finish date.
    Extend,
    /// Keep the target by raising the weekly hours, up to a cap.
    Compress { cap_hours_per_week: f64 },
    /// Leave out the optional topics not yet done.
    DropOptional,
    /// Re-estimate every topic left at the learner's own pace (each skill area's factor from
    /// the finished topics, shorter or longer than the roadmap's estimate) and move the finish
    /// to match; the estimates stay in force for every later replan. Refused before any
    /// finished topic with study seen.
    UsePace,
    /// The learner is ahead: place the work left from now on at the same hours a week, so the
    /// finish comes forward. Refused when it would not finish earlier.
    PullForward,
}

/// The offer This week makes when the learner is ahead: a Pull forward replan would finish at
/// least a week earlier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AheadOffer {
    /// The plan's projected finish as it stands.
    pub finish_before: NaiveDate,
    /// The finish after pulling forward.
    pub finish: NaiveDate,
    /// Days earlier (at least 7).
    pub days: u32,
}

/// What a replan would do, shown before the user accepts it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReplanPreview {
    pub policy: ReplanPolicy,
    /// The day the replan counts from.
    pub from: NaiveDate,
    pub projected_end_before: Option<NaiveDate>,
    pub projected_end: Option<NaiveDate>,
    pub target_end: Option<NaiveDate>,
    pub on_track: bool,
    pub hours_per_week_before: f64,
    pub hours_per_week: f64,
    pub availability: String,
    /// Sessions whose time changes.
    pub moved: u32,
    pub added: u32,
    pub cancelled: u32,
    /// Optional topics left out.
    pub dropped: Vec<String>,
    /// Minutes of work that do not fit at all (within ten years); 0 normally.
    pub unscheduled_minutes: u32,
    /// Every session whose place the replan changes (moved, added or cancelled), by id.
    pub changes: Vec<SessionChange>,
}

/// Where a session is: its day, start (`HH:MM`, local) and length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionPlace {
    pub date: NaiveDate,
    pub start: String,
    pub minutes: u32,
}

/// One session whose place a change moves: `before` is `None` for a session added, `after`
/// is `None` for one cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionChange {
    pub id: i64,
    pub topic: String,
    pub before: Option<SessionPlace>,
    pub after: Option<SessionPlace>,
}

/// The state the user sets on a topic; `None` clears it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum TopicMark {
    Done,
    Skipped,
}

impl TopicMark {
    pub fn as_str(self) -> &'static str {
        match self {
            TopicMark::Done => "done",
            TopicMark::Skipped => "skipped",
        }
    }

    pub fn parse(text: &str) -> Option<TopicMark> {
        [TopicMark::Done, TopicMark::Skipped]
            .into_iter()
            .find(|m| m.as_str() == text)
    }
}

/// The plan and the current week together: what every progress command returns, so each
/// view updates from one answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HomeView {
    pub plan: PlanView,
    pub week: WeekView,
    /// Set when the learner is ahead: pulling the plan forward would finish a week or more
    /// earlier.
    #[serde(default)]
    pub ahead: Option<AheadOffer>,
    /// The last replan, while it is remembered: it can be undone unless `refused` says why not.
    #[serde(default)]
    pub last_replan: Option<LastReplan>,
}

/// The last replan the learner accepted, and whether it can still be taken back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LastReplan {
    pub policy: ReplanPolicy,
    /// The day it was accepted.
    pub on: NaiveDate,
    /// Why it can no longer be undone; `None` while it can.
    pub refused: Option<String>,
}

/// When the plan will most likely be finished, as a band, and the pace and adherence behind
/// it. (`roadmap forecast --format json` prints this; its fields are only ever added to.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ForecastView {
    /// The day the forecast counts from.
    pub as_of: NaiveDate,
    /// The plan's own projected finish (its sessions as scheduled).
    pub naive_end: Option<NaiveDate>,
    /// Finished by these days in 50, 80 and 90 of 100 simulated futures; `None` when not
    /// within 20 years.
    pub p50: Option<NaiveDate>,
    pub p80: Option<NaiveDate>,
    pub p90: Option<NaiveDate>,
    /// The share of planned hours studied over the past whole weeks (0–1, more when studying
    /// beyond the plan); `None` before the first whole week.
    pub adherence: Option<f64>,
    /// Per skill area: actual hours over the roadmap's estimate, shrunk toward 1.0 until
    /// finished topics show otherwise.
    pub pace: Vec<PaceView>,
    /// Futures simulated.
    pub runs: u32,
    /// False while nothing the learner did informs the band: it comes from the roadmap's
    /// ranges alone.
    pub evidence: bool,
    /// One sentence on where the band stands against the plan's own finish, and why: the
    /// same words in every view (`forecast::story`).
    pub story: String,
    /// Topics marked done with less than a quarter of their expected hours seen: counted as
    /// known already (no work left, no evidence of pace).
    pub topics_known: u32,
    /// Hours of study the app saw: sessions checked off (or partly) and study logged.
    pub hours_seen: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PaceView {
    /// The skill area's id.
    pub skill: String,
    pub name: String,
    pub factor: f64,
    /// Hours of finished topics the factor rests on.
    pub evidence_hours: f64,
    /// The factor the plan's estimates already use for this area (1 unless a "Use my pace"
    /// is in force): the plan's finish allows for that much of it.
    pub in_force: f64,
}

/// Everything about one topic, for its details panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TopicDetail {
    pub id: String,
    pub title: String,
    pub step: String,
    pub step_title: String,
    pub summary: String,
    pub optional: bool,
    /// Names of its skill areas.
    pub skills: Vec<String>,
    pub requires: Vec<GoalTopic>,
    pub resources: Vec<ResourceView>,
    pub state: TopicState,
    pub planned_minutes: u32,
    pub done_minutes: u32,
    pub start: Option<NaiveDate>,
    pub finish: Option<NaiveDate>,
    /// The user's own notes on the topic.
    pub note: String,
    /// The longest note kept, in characters ([`MAX_TOPIC_NOTE_CHARS`]): the window counts
    /// against it while the learner types.
    pub note_limit: u32,
    pub sessions: Vec<SessionView>,
}

/// The longest note on a topic that is kept, in characters.
pub const MAX_TOPIC_NOTE_CHARS: usize = 20_000;

/// A learning resource. The window opens it through `open_resource`, by topic and index, so it
/// never hands the shell a URL of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ResourceView {
    pub title: String,
    pub url: String,
    /// docs, book, course, video, article, tutorial or exercise.
    pub kind: String,
}

/// The calendar's data: every session still counting, blocked-out periods and milestones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CalendarView {
    pub today: NaiveDate,
    pub sessions: Vec<SessionView>,
    pub blackouts: Vec<DateRange>,
    pub milestones: Vec<MilestoneView>,
    /// What the busy calendars block, as local stretches of each day (no titles: only the
    /// times are kept).
    #[serde(default)]
    pub busy: Vec<BusyStretch>,
}

/// A stretch of one local day that the learner's busy calendars block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BusyStretch {
    pub date: NaiveDate,
    /// Local start, `HH:MM`.
    pub start: String,
    pub minutes: u32,
}

/// Days `first` to `last`, both inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DateRange {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MilestoneView {
    pub step: String,
    pub title: String,
    pub date: NaiveDate,
}

/// What day and time it is for the plan: the window asks when it regains focus and every
/// little while, and reloads its views when the day has changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClockView {
    pub today: NaiveDate,
    /// Local time, `HH:MM`.
    pub time: String,
    /// The IANA zone the plan's times are in (the machine's before there is a plan).
    pub zone: String,
}

/// The progress dashboard's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DashboardView {
    pub today: NaiveDate,
    pub steps: Vec<AreaProgress>,
    pub skills: Vec<AreaProgress>,
    /// Week by week from the plan's start: cumulative minutes planned and done.
    pub burnup: Vec<BurnupPoint>,
    /// The total the burn-up climbs towards: minutes of all topics not skipped.
    pub scope_minutes: u32,
    /// Every day from the plan's start to today with the minutes studied (0 included).
    pub study_days: Vec<StudyDay>,
}

/// Done against total for one step or skill area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AreaProgress {
    pub id: String,
    pub name: String,
    pub topics_done: u32,
    pub topics_total: u32,
    pub minutes_done: u32,
    pub minutes_total: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BurnupPoint {
    /// ISO week, e.g. `2027-W03`.
    pub week: String,
    /// The week's Sunday.
    pub end: NaiveDate,
    /// Cumulative minutes planned, reviews included.
    pub planned_minutes: u32,
    /// `None` for weeks after today. Cumulative, reviews included.
    pub done_minutes: Option<u32>,
    /// Of `planned_minutes` and `done_minutes`, the minutes of spaced review: on top of the
    /// roadmap's own hours, so the chart shows them apart.
    pub planned_review_minutes: u32,
    pub done_review_minutes: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StudyDay {
    pub date: NaiveDate,
    pub minutes: u32,
}

/// What the user chose in "Export to calendar…".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportRequest {
    /// The calendar's name; `None` or empty for "Roadmap Planner: " and the roadmap's title.
    pub name: Option<String>,
}

/// What an export came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ExportOutcome {
    Saved {
        path: String,
        events: u32,
    },
    /// The user closed the save dialog.
    Cancelled,
}

/// What "Export all data…" or "Import data…" did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DataOutcome {
    Exported {
        path: String,
    },
    Imported {
        path: String,
        plans: u32,
        sessions: u32,
        /// The backup of the data as it was, made first.
        backup: Option<String>,
        /// A CalDAV connection was forgotten (the calendar holds the old plan's events).
        caldav_disconnected: bool,
    },
    /// The learner closed the dialog.
    Cancelled,
}

/// The live calendar feed, as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FeedView {
    pub enabled: bool,
    /// The subscription URL (on 127.0.0.1, with its secret token), while the feed runs.
    pub url: Option<String>,
    /// Why the feed is not running although it is switched on, if so.
    pub problem: Option<String>,
}

/// One verified backup of the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupView {
    /// The file's name, which also says when and why it was made.
    pub name: String,
    pub bytes: u64,
    /// When it was made, as an RFC 3339 instant in UTC (the window shows it in local time).
    pub made: Option<String>,
    pub reason: BackupReason,
    pub holds: BackupHolds,
}

/// Why a backup was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum BackupReason {
    Daily,
    BeforeUpdate,
    BeforeRestore,
    BeforeImport,
    Other,
}

/// What a backup holds, so copies can be told apart before one is restored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BackupHolds {
    /// No plan had been made yet.
    NoPlan,
    /// A plan starting `start`, made at `made` (RFC 3339), with sessions checked off.
    Plan {
        start: String,
        made: String,
        sessions_done: u32,
    },
    /// It could not be read (it can still be restored).
    Unknown,
}

/// The backups there are, and any trouble making today's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupsView {
    pub folder: String,
    pub backups: Vec<BackupView>,
    pub problem: Option<String>,
    /// Set after a backup replaced a database that could not be opened: says where the
    /// unusable file was kept.
    pub restored_note: Option<String>,
}

/// What one CalDAV sync did (`roadmap caldav sync --format json`; fields are only added).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncReport {
    /// Objects written to the server for the first time.
    pub pushed: u32,
    /// Objects rewritten because the plan (or the server's copy) changed.
    pub updated: u32,
    /// Objects deleted because the plan no longer holds them.
    pub deleted: u32,
    /// Sessions moved in another calendar app, now moved in the plan.
    pub pulled_moves: u32,
    /// Topics completed in a tasks app, now done in the plan.
    pub pulled_done: u32,
    /// Changes on the server the plan did not follow, each in a sentence.
    pub conflicts: Vec<String>,
    /// Why the sync stopped early, if it did; what it did before is kept.
    pub errors: Vec<String>,
}

/// The CalDAV connection as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CaldavStatus {
    /// The address the learner gave.
    pub server: String,
    pub user: String,
    /// The calendar's name and its address on the server.
    pub calendar: String,
    pub calendar_url: String,
    /// Objects of ours on the server as of the last sync.
    pub objects: u32,
    /// When the last sync ended (RFC 3339, UTC), and what it did.
    pub last_sync: Option<String>,
    pub last_report: Option<SyncReport>,
}

/// The Calendars screen's CalDAV part: the connection (none when not connected) and what just
/// happened, in a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CaldavView {
    pub status: Option<CaldavStatus>,
    pub note: Option<String>,
    /// Whether a sync is running now (in the background or asked for).
    pub syncing: bool,
}

/// A calendar of the learner's on the connected CalDAV server, other than the plan's own, that
/// can block study time as a busy calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ServerCalendar {
    pub name: String,
    /// The busy calendar's source: `caldav:` and the calendar's path on the server.
    pub source: String,
}

/// The study timer as the window and `roadmap timer status --format json` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TimerView {
    /// Counting now; false while paused.
    pub running: bool,
    /// The session it times, if any (else study of `topic` outside any session).
    pub session: Option<i64>,
    pub topic: String,
    /// The topic's title (a review's: "Review: …").
    pub title: String,
    /// When it was first started: RFC 3339, UTC.
    pub started: String,
    /// Minutes counted so far, pauses left out.
    #[ts(type = "number")]
    pub elapsed_minutes: i64,
    /// Of those, minutes the computer was away (asleep, off): asked about when it stops.
    #[ts(type = "number")]
    pub away_minutes: i64,
    pub away: Vec<AwayView>,
}

/// Time inside the timer the computer was away, and why, in a sentence's clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AwayView {
    #[ts(type = "number")]
    pub minutes: i64,
    pub why: String,
}

/// What stopping the timer did, in a sentence (and the minutes booked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TimerBooked {
    #[ts(type = "number")]
    pub minutes: i64,
    pub said: String,
    /// A review timed: the learner rates it next (the rating checks it off).
    pub rate_topic: Option<String>,
}

/// What to do next: the session under way or the next to come (`roadmap next`, the top of
/// This week).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NextView {
    pub session: i64,
    pub kind: SessionKind,
    pub topic: String,
    pub title: String,
    pub summary: String,
    pub date: NaiveDate,
    /// Local start, `HH:MM`.
    pub start: String,
    pub minutes: u32,
    /// Already begun (it started before now and has not ended).
    pub under_way: bool,
    /// Before the plan's first session.
    pub first: bool,
    /// Its place among its topic's sessions of the same kind: `index` of `of`, from 1.
    pub index: u32,
    pub of: u32,
    pub resources: Vec<ResourceView>,
    /// The learner's own notes on the topic.
    pub notes: String,
}

/// This week's "what now": the next session and the timer, if one is unfinished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NextNow {
    pub next: Option<NextView>,
    pub timer: Option<TimerView>,
}

/// What a stop does with time the computer was away inside the timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum AwayChoice {
    /// Refuse to stop while there is any: the learner is asked first.
    Ask,
    Keep,
    Drop,
}

/// The learner's choices about the app: reminders and the tray.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PreferencesView {
    /// Minutes before each session and review; `None`: no reminders.
    pub reminder_minutes: Option<u32>,
    /// False until the learner has chosen (at setup or in the settings).
    pub reminders_chosen: bool,
    pub keep_in_tray: bool,
    /// Whether this desktop shows tray icons (a StatusNotifierWatcher on the session bus).
    pub tray_host: bool,
    /// Whether the app starts at login (the platform's autostart entry exists).
    pub start_at_login: bool,
    /// While reminders are on, why closing the window stops them (it quits the app); `None`
    /// when closing keeps the app in the tray, or reminders are off.
    pub closing: Option<String>,
    /// Something the learner should know about the change just made (the CalDAV calendar
    /// rewritten once, say).
    pub notice: Option<String>,
}

// --- The learner's changes to a plan's roadmap (applied by `content::edit`) ---------------

/// One change to the plan's roadmap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "edit", rename_all = "snake_case", deny_unknown_fields)]
pub enum TopicEdit {
    /// A topic of the learner's own.
    Add { topic: NewTopic },
    /// A topic's fields changed; the fields not given stay as they are.
    Change { id: String, change: TopicChange },
    /// A topic taken out of the plan (one without recorded study).
    Remove { id: String },
}

impl TopicEdit {
    /// The topic it is about.
    pub fn topic(&self) -> &str {
        match self {
            TopicEdit::Add { topic } => &topic.id,
            TopicEdit::Change { id, .. } | TopicEdit::Remove { id } => id,
        }
    }
}

/// A topic the learner adds, as they describe it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct NewTopic {
    /// Starts with `own-`; empty for one made from the title.
    #[serde(default)]
    pub id: String,
    pub step: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    pub skills: Vec<String>,
    pub hours: HoursSpec,
    #[serde(default)]
    pub requires: Vec<String>,
    #[serde(default)]
    pub optional: bool,
    #[serde(default)]
    pub resources: Vec<ResourceSpec>,
}

/// An estimate: `low <= expected <= high` hours.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct HoursSpec {
    pub low: f64,
    pub expected: f64,
    pub high: f64,
}

impl HoursSpec {
    /// An estimate around `expected` hours when only that is given: low at 70 % and high at
    /// 150 % of it (about the bundled roadmap's spread), each to the half hour.
    pub fn around(expected: f64) -> HoursSpec {
        let half = |h: f64| ((h * 2.0).round() / 2.0).max(0.5);
        HoursSpec {
            low: half(expected * 0.7).min(expected),
            expected,
            high: half(expected * 1.5).max(expected),
        }
    }
}

/// Hours are finite (JSON has no NaN, and the validator refuses what is out of range), so
/// equality is an equivalence.
impl Eq for HoursSpec {}

/// A resource: its title, address and kind (`docs`, `book`, `course`, `video`, `article`,
/// `tutorial` or `exercise`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct ResourceSpec {
    pub title: String,
    pub url: String,
    pub kind: String,
}

/// What changes in a topic; a field left out stays as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct TopicChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub hours: Option<HoursSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub requires: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub resources: Option<Vec<ResourceSpec>>,
}

impl TopicChange {
    /// Whether it changes what the schedule reads (the estimate or the prerequisites).
    pub fn moves_sessions(&self) -> bool {
        self.hours.is_some() || self.requires.is_some()
    }
}
