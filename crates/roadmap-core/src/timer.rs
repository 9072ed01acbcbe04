//! The study timer: its spans of running time, the time away inside them, and what stopping
//! it books into the plan.
//!
//! The timer lives in the database, not in a process: each start, pause, resume and stop is
//! one row written (ARCHITECTURE.md, "The study timer"), so closing the app, a crash or a
//! restart loses nothing, and the app and the CLI share one timer.
//!
//! Time away is never booked silently. Each span remembers the machine it began on: its boot
//! and how long that boot had been suspended ([`Machine`], read by the application layer:
//! `CLOCK_BOOTTIME` less `CLOCK_MONOTONIC` on Linux). When the span closes, sleep since then,
//! or a restart in between, is counted as time away, and the learner keeps or drops it.

use chrono::{DateTime, Utc};

use crate::api::{AwayView, NextView, SessionStatus, TimerBooked, TimerView};
use crate::clock::Clock;
use crate::error::CoreError;
use crate::saved::Change;
use crate::schedule::replan::StoredSession;

/// Time away shorter than this in a span is not asked about (a few seconds of suspend are
/// nothing to ask), and not counted either.
pub const AWAY_ASK_SECONDS: i64 = 60;

/// Idle shorter than this is not noted (a pause to think is study).
pub const IDLE_NOTE_SECONDS: i64 = 5 * 60;

/// The most one stop may book: a day. A timer left running longer is discarded, and the
/// study logged by hand.
pub const MAX_TIMER_MINUTES: i64 = 24 * 60;

/// What the machine says about its own time, read when a span opens or closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Machine {
    /// This boot's id (`/proc/sys/kernel/random/boot_id`); empty where unknown, which turns
    /// detection off.
    pub boot: String,
    /// Seconds this boot has spent suspended so far.
    pub suspended: i64,
    /// When this boot began; `None` where unknown.
    pub booted_at: Option<DateTime<Utc>>,
}

impl Machine {
    /// A machine that tells nothing: no time away is ever found.
    pub fn unknown() -> Machine {
        Machine {
            boot: String::new(),
            suspended: 0,
            booted_at: None,
        }
    }
}

/// Why time inside a span is in question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AwayKind {
    /// The computer was asleep (suspended).
    Slept,
    /// The computer was turned off or restarted: when, exactly, is not known.
    Restarted,
}

impl AwayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AwayKind::Slept => "slept",
            AwayKind::Restarted => "restarted",
        }
    }

    pub fn parse(text: &str) -> Option<AwayKind> {
        match text {
            "slept" => Some(AwayKind::Slept),
            "restarted" => Some(AwayKind::Restarted),
            _ => None,
        }
    }
}

/// An idle stretch to note in the timer (see [`Timer::idle_to_note`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdleNote {
    /// It extends the last stretch, the one that began at `start`.
    pub extends: bool,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// One stretch of running time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub start: DateTime<Utc>,
    /// `None` while it runs.
    pub end: Option<DateTime<Utc>>,
    /// The machine when it began.
    pub boot: String,
    pub suspended: i64,
    /// Set when it closed: seconds of it in question, and why.
    pub away: i64,
    pub away_kind: Option<AwayKind>,
}

impl Span {
    fn seconds(&self, now: DateTime<Utc>) -> i64 {
        (self.end.unwrap_or(now) - self.start).num_seconds().max(0)
    }
}

/// The timer: for a session, or for a topic's study outside any session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timer {
    pub id: i64,
    pub session: Option<i64>,
    pub topic: String,
    /// In time order; only the last may be open, and none overlaps the next.
    pub spans: Vec<Span>,
    /// Stretches the desktop reported no input while the timer ran (start, end), as the app
    /// noted them; in time order.
    pub idle: Vec<(DateTime<Utc>, DateTime<Utc>)>,
}

impl Timer {
    /// A timer started at `now`.
    pub fn start(
        id: i64,
        session: Option<i64>,
        topic: &str,
        now: DateTime<Utc>,
        machine: &Machine,
    ) -> Timer {
        Timer {
            id,
            session,
            topic: topic.to_string(),
            spans: vec![open(now, machine)],
            idle: Vec::new(),
        }
    }

    /// Whether it is counting now (not paused).
    pub fn running(&self) -> bool {
        self.spans.last().is_some_and(|s| s.end.is_none())
    }

    pub fn started(&self) -> Option<DateTime<Utc>> {
        self.spans.first().map(|s| s.start)
    }

    /// The open span closed at `now`: the span as it is then stored.
    pub fn pause(&self, now: DateTime<Utc>, machine: &Machine) -> Result<Span, CoreError> {
        match self.spans.last() {
            Some(s) if s.end.is_none() => Ok(close(s, now, machine)),
            _ => Err(CoreError::Refused(
                "the timer is paused already; resume it or stop it".into(),
            )),
        }
    }

    /// A new span from `now` (never before the last one ended, should the clock have gone
    /// back meanwhile).
    pub fn resume(&self, now: DateTime<Utc>, machine: &Machine) -> Result<Span, CoreError> {
        match self.spans.last() {
            Some(s) if s.end.is_none() => Err(CoreError::Refused(
                "the timer is running already; pause it or stop it".into(),
            )),
            Some(s) => Ok(open(now.max(s.end.unwrap_or(now)), machine)),
            None => Ok(open(now, machine)),
        }
    }

    /// The spans as they are at `now`, the open one closed then.
    pub fn closed_at(&self, now: DateTime<Utc>, machine: &Machine) -> Vec<Span> {
        self.spans
            .iter()
            .map(|s| match s.end {
                Some(_) => s.clone(),
                None => close(s, now, machine),
            })
            .collect()
    }

    /// Seconds counted at `now`, and of those the seconds away worth asking about. Time away
    /// too short to ask about (under [`AWAY_ASK_SECONDS`] in a span) is left out: never
    /// booked, and never asked.
    fn counted(&self, now: DateTime<Utc>, machine: &Machine) -> (Vec<Away>, i64, i64) {
        let spans = self.closed_at(now, machine);
        let mut seconds = 0;
        let mut asked = 0;
        let mut away = Vec::new();
        for s in &spans {
            let a = self.away_in(s, now);
            seconds += s.seconds(now);
            if a.total() >= AWAY_ASK_SECONDS {
                asked += a.total();
                away.push(a);
            } else {
                seconds -= a.total();
            }
        }
        (away, seconds, asked)
    }

    /// The time away inside span `s`: asleep or off (found when it closed), and idle (the
    /// stretches noted overlapping it), together never more than the span.
    fn away_in(&self, s: &Span, now: DateTime<Utc>) -> Away {
        let end = s.end.unwrap_or(now).max(s.start);
        let length = (end - s.start).num_seconds();
        let idle: i64 = self
            .idle
            .iter()
            .map(|(from, to)| ((*to).min(end) - (*from).max(s.start)).num_seconds().max(0))
            .sum();
        let machine = s.away.clamp(0, length);
        Away {
            machine,
            kind: s.away_kind,
            idle: idle.clamp(0, length - machine),
        }
    }

    /// The idle stretch to note for `idle` seconds without input reported at `now`, if it is
    /// worth noting: a new one from `now − idle`, or the last one (the same idle period, seen
    /// again) lasting until `now`.
    pub fn idle_to_note(&self, idle: i64, now: DateTime<Utc>) -> Option<IdleNote> {
        if !self.running() || idle < IDLE_NOTE_SECONDS {
            return None;
        }
        let start = now - chrono::Duration::seconds(idle);
        Some(match self.idle.last() {
            // The same idle period seen at the next look: its start agrees within a minute.
            Some((from, _)) if (*from - start).num_seconds().abs() <= 60 => IdleNote {
                extends: true,
                start: *from,
                end: now,
            },
            _ => IdleNote {
                extends: false,
                start,
                end: now,
            },
        })
    }

    /// The timer as the window and `roadmap timer status` show it, at `now`.
    pub fn view(&self, title: &str, now: DateTime<Utc>, machine: &Machine) -> TimerView {
        let (away, seconds, asked) = self.counted(now, machine);
        let away = away_of(&away);
        TimerView {
            running: self.running(),
            session: self.session,
            topic: self.topic.clone(),
            title: title.to_string(),
            started: self
                .started()
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default(),
            elapsed_minutes: minutes(seconds),
            away_minutes: minutes(asked),
            away,
        }
    }

    /// The minutes stopping at `now` books: all of them, or without the time away.
    pub fn minutes_to_book(&self, now: DateTime<Utc>, machine: &Machine, keep_away: bool) -> i64 {
        let (_, seconds, asked) = self.counted(now, machine);
        minutes(if keep_away { seconds } else { seconds - asked })
    }

    /// The rules every stored timer keeps: an empty list when all hold.
    pub fn violations(&self) -> Vec<String> {
        let mut found = Vec::new();
        for (i, s) in self.spans.iter().enumerate() {
            if let Some(end) = s.end
                && end < s.start
            {
                found.push(format!("span {i} ends before it starts"));
            }
            if s.end.is_none() && i + 1 != self.spans.len() {
                found.push(format!("span {i} is open but not the last"));
            }
            if s.away < 0 || s.away > s.seconds(s.end.unwrap_or(s.start)) {
                found.push(format!("span {i} is away {} s, more than it ran", s.away));
            }
        }
        for (i, pair) in self.spans.windows(2).enumerate() {
            if pair[0].end.is_none_or(|end| end > pair[1].start) {
                found.push(format!("spans {i} and {} overlap", i + 1));
            }
        }
        found
    }
}

/// Whole minutes, to the nearest.
fn minutes(seconds: i64) -> i64 {
    (seconds.max(0) + 30) / 60
}

fn open(now: DateTime<Utc>, machine: &Machine) -> Span {
    Span {
        start: now,
        end: None,
        boot: machine.boot.clone(),
        suspended: machine.suspended,
        away: 0,
        away_kind: None,
    }
}

/// `s` closed at `now` (or at its start, should the clock have gone back), with the time away
/// inside it.
fn close(s: &Span, now: DateTime<Utc>, machine: &Machine) -> Span {
    let end = now.max(s.start);
    let length = (end - s.start).num_seconds();
    let (away, kind) = if s.boot.is_empty() || machine.boot.is_empty() {
        (0, None)
    } else if s.boot == machine.boot {
        (machine.suspended - s.suspended, Some(AwayKind::Slept))
    } else {
        // Restarted in between: from the span's start to the new boot is in question (when the
        // computer went off is not known), and the new boot's own sleep.
        let before = machine
            .booted_at
            .map_or(length, |b| (b - s.start).num_seconds());
        (before + machine.suspended, Some(AwayKind::Restarted))
    };
    let away = away.clamp(0, length);
    Span {
        end: Some(end),
        away,
        away_kind: kind.filter(|_| away > 0),
        ..s.clone()
    }
}

/// Time away inside one span.
struct Away {
    /// Asleep, or off (`kind` says which).
    machine: i64,
    kind: Option<AwayKind>,
    idle: i64,
}

impl Away {
    fn total(&self) -> i64 {
        self.machine + self.idle
    }
}

/// The time away worth asking about, one line per kind.
fn away_of(away: &[Away]) -> Vec<AwayView> {
    let mut slept = 0;
    let mut restarted = 0;
    let mut idle = 0;
    for a in away {
        match a.kind {
            Some(AwayKind::Slept) => slept += a.machine,
            Some(AwayKind::Restarted) => restarted += a.machine,
            None => {}
        }
        idle += a.idle;
    }
    let mut out = Vec::new();
    if minutes(slept) > 0 {
        let m = minutes(slept);
        out.push(AwayView {
            minutes: m,
            why: format!("the computer was asleep for {}", minutes_text(m)),
        });
    }
    if minutes(idle) > 0 {
        let m = minutes(idle);
        out.push(AwayView {
            minutes: m,
            why: format!("the desktop had no input from you for {}", minutes_text(m)),
        });
    }
    if minutes(restarted) > 0 {
        let m = minutes(restarted);
        out.push(AwayView {
            minutes: m,
            why: format!(
                "the computer was turned off or restarted; up to {} of the timer's time may have been away",
                minutes_text(m)
            ),
        });
    }
    out
}

/// Minutes as a person says them: "45 minutes", "1 hour", "2 h 5 min".
pub fn minutes_text(m: i64) -> String {
    match (m / 60, m % 60) {
        (0, 1) => "1 minute".into(),
        (0, m) => format!("{m} minutes"),
        (1, 0) => "1 hour".into(),
        (h, 0) => format!("{h} hours"),
        (h, m) => format!("{h} h {m} min"),
    }
}

impl crate::saved::SavedPlan {
    /// What to do next at `clock`: the session under way, else the next to come (a review
    /// included); `None` when nothing is planned ahead. Its `notes` are left empty: the store
    /// keeps them apart from the plan.
    pub fn next(&self, clock: &Clock) -> Option<NextView> {
        let now = clock.now;
        let s = self
            .sessions
            .iter()
            .filter(|s| s.status == SessionStatus::Planned)
            .map(|s| {
                let start = clock.instant(s.wall());
                (
                    start,
                    start + chrono::Duration::minutes(i64::from(s.minutes)),
                    s,
                )
            })
            .filter(|(_, end, _)| *end > now)
            .min_by_key(|(start, _, s)| (*start, s.id))?;
        let (start, _, s) = s;
        let same: Vec<&StoredSession> = {
            let mut v: Vec<&StoredSession> = self
                .sessions
                .iter()
                .filter(|o| {
                    o.status != SessionStatus::Cancelled && o.topic == s.topic && o.kind == s.kind
                })
                .collect();
            v.sort_by_key(|o| (o.wall(), o.id));
            v
        };
        let index = same.iter().position(|o| o.id == s.id).unwrap_or(0) + 1;
        let topic = self.roadmap.any_topic(&s.topic);
        let title = topic.map_or_else(|| s.topic.clone(), |t| t.title.clone());
        Some(NextView {
            session: s.id,
            kind: s.kind,
            topic: s.topic.clone(),
            title: if s.is_study() {
                title
            } else {
                format!("Review: {title}")
            },
            summary: topic.map_or_else(String::new, |t| t.summary.clone()),
            date: s.date,
            start: s.start.clone(),
            minutes: s.minutes,
            under_way: start <= now,
            first: !self
                .sessions
                .iter()
                .any(|o| o.status != SessionStatus::Cancelled && clock.has_come(o.wall())),
            index: u32::try_from(index).unwrap_or(u32::MAX),
            of: u32::try_from(same.len()).unwrap_or(u32::MAX),
            resources: topic.map_or_else(Vec::new, crate::progress::resource_views),
            notes: String::new(),
        })
    }

    /// Whether a timer may start for `session` (or for `topic`, outside any session): the
    /// topic it times and the title it shows.
    pub fn timer_target(
        &self,
        session: Option<i64>,
        topic: Option<&str>,
    ) -> Result<(String, String), CoreError> {
        match (session, topic) {
            (Some(id), _) => {
                let s = self.session(id)?;
                let title = self.title(&s.topic);
                match s.status {
                    SessionStatus::Cancelled => Err(CoreError::Refused(format!(
                        "session {id} was cancelled by a replan; time the topic instead (`roadmap timer start --topic {}`)",
                        s.topic
                    ))),
                    SessionStatus::Done if s.is_study() => Err(CoreError::Refused(format!(
                        "session {id} ({title}) is done already; time the topic instead (`roadmap timer start --topic {}`)",
                        s.topic
                    ))),
                    _ if s.is_study() => Ok((s.topic.clone(), title)),
                    _ => Ok((s.topic.clone(), format!("Review: {title}"))),
                }
            }
            (None, Some(topic)) => {
                self.require_topic(topic)?;
                Ok((topic.to_string(), self.title(topic)))
            }
            (None, None) => Err(CoreError::Refused(
                "say what the timer is for: a session, or a topic".into(),
            )),
        }
    }

    /// What `minutes` of timed study book: a study session done (more than planned allowed)
    /// or partly done, study logged when the session's day has not come (studied early) or
    /// the timer was for a topic; nothing for a review, which the learner then rates.
    pub fn book_timer(
        &self,
        session: Option<i64>,
        topic: &str,
        minutes: i64,
        clock: &Clock,
    ) -> Result<(Vec<Change>, TimerBooked), CoreError> {
        let nothing = |said: String, rate: Option<String>| {
            Ok((
                Vec::new(),
                TimerBooked {
                    minutes: 0,
                    said,
                    rate_topic: rate,
                },
            ))
        };
        if minutes > MAX_TIMER_MINUTES {
            return Err(CoreError::Refused(format!(
                "the timer ran {}, more than a day; stop it without recording (--discard, or Discard in the window) and log the time you studied",
                minutes_text(minutes)
            )));
        }
        if minutes <= 0 {
            return nothing("Under a minute: nothing recorded.".into(), None);
        }
        let title = self.title(topic);
        let today = clock.today();
        let session = match session.map(|id| self.session(id)) {
            Some(Ok(s)) if s.status != SessionStatus::Cancelled => Some(s),
            _ => None,
        };
        if let Some(s) = session
            && !s.is_study()
        {
            return nothing(
                format!(
                    "Reviews are checked off by how well you remembered: rate {title} to finish it."
                ),
                Some(s.topic.clone()),
            );
        }
        let minutes_u = u32::try_from(minutes).unwrap_or(u32::MAX);
        let booked = |changes: Vec<Change>, said: String| {
            Ok((
                changes,
                TimerBooked {
                    minutes,
                    said,
                    rate_topic: None,
                },
            ))
        };
        match session {
            Some(s) if s.date <= today => {
                let before = if s.status == SessionStatus::Missed {
                    0
                } else {
                    s.studied()
                };
                let total = before.saturating_add(minutes_u);
                let (status, done_minutes, said) = if total >= s.minutes {
                    (
                        SessionStatus::Done,
                        if total > s.minutes { total } else { 0 },
                        format!(
                            "{title}: session done, {} studied.",
                            minutes_text(i64::from(total))
                        ),
                    )
                } else {
                    (
                        SessionStatus::Partial,
                        total,
                        format!(
                            "{title}: partly done, {} of {} studied.",
                            minutes_text(i64::from(total)),
                            minutes_text(i64::from(s.minutes))
                        ),
                    )
                };
                booked(
                    vec![Change::SetSessionStatus {
                        id: s.id,
                        status,
                        done_minutes,
                    }],
                    said,
                )
            }
            _ => {
                let changes = self.log_study(topic, Some(today), minutes, clock)?;
                let said = match session {
                    Some(s) => format!(
                        "{title}: {} logged as study today; the session on {} stays planned.",
                        minutes_text(minutes),
                        s.date
                    ),
                    None => format!("{title}: {} logged as study today.", minutes_text(minutes)),
                };
                booked(changes, said)
            }
        }
    }
}
