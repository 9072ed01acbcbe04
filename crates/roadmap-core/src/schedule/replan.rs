//! Replanning a saved plan from a given day.
//!
//! The rules, and why (also in ARCHITECTURE.md):
//! - The past is history: sessions before the replan day are never moved, changed or deleted.
//! - Sessions the user pinned (moved by hand) and sessions already marked done or partly done
//!   stay where they are; new sessions are fitted around them.
//! - Every other session from the replan day on is movable. The remaining work of each topic
//!   (its effort minus what was studied, logged or pinned) is scheduled afresh from that day,
//!   so falling behind pushes work later and being ahead pulls it forward.
//! - Sessions keep their ids: the k-th movable session of a topic takes the id of the k-th new
//!   one. A session whose time changes is an update (its revision rises); a session no longer
//!   needed is cancelled, not deleted, so calendar exports can tell subscribed calendars.
//! - The catch-up policy decides what gives: the finish date (extend), the weekly hours up to
//!   the user's cap (compress), or the optional topics (drop-optional).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::availability::{Availability, UNIT_MINUTES, Window, hhmm};
use super::planner::{self, Busy, Due, Plan, Session, quarter_hours};
use crate::api::{PlanSettings, ReplanPolicy, SessionKind, SessionStatus};
use crate::clock::WallTime;
use crate::content::Roadmap;
use crate::error::CoreError;

/// A session as the store keeps it (and the data file writes it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredSession {
    pub id: i64,
    pub kind: SessionKind,
    pub topic: String,
    pub date: NaiveDate,
    /// Local start time, `HH:MM`.
    pub start: String,
    pub minutes: u32,
    pub status: SessionStatus,
    pub done_minutes: u32,
    pub pinned: bool,
    pub revision: u32,
}

impl StoredSession {
    /// A new session, as the scheduler placed it: planned, not pinned, revision 0.
    pub fn planned(id: i64, s: &Session) -> StoredSession {
        StoredSession {
            id,
            kind: s.kind,
            topic: s.topic.clone(),
            date: s.date,
            start: s.start.clone(),
            minutes: s.minutes,
            status: SessionStatus::Planned,
            done_minutes: 0,
            pinned: false,
            revision: 0,
        }
    }

    /// Whether it is study (not a review).
    pub fn is_study(&self) -> bool {
        self.kind == SessionKind::Study
    }

    /// Minutes actually spent in this session (a review's included; its topic's study is
    /// counted from study sessions only).
    pub fn studied(&self) -> u32 {
        match self.status {
            // Timed beyond the plan: the minutes the timer recorded (never fewer than planned).
            SessionStatus::Done if self.done_minutes > self.minutes => self.done_minutes,
            SessionStatus::Done => self.minutes,
            SessionStatus::Partial => self.done_minutes,
            _ => 0,
        }
    }

    /// Minutes after midnight the session starts at.
    pub fn start_minute(&self) -> Result<u32, CoreError> {
        parse_hhmm(&self.start)
    }

    /// Its start as a wall time; a start that does not parse reads as midnight, which the
    /// store never writes (it checks every start it saves).
    pub fn wall(&self) -> WallTime {
        WallTime {
            date: self.date,
            minute: self.start_minute().unwrap_or(0),
        }
    }

    /// Its end as a wall time (sessions never run past midnight).
    pub fn end(&self) -> WallTime {
        let start = self.wall();
        WallTime {
            minute: start.minute + self.minutes,
            ..start
        }
    }
}

/// What gives when the plan is behind; declared with the IPC types because the window sends it
/// as it is.
pub use crate::api::ReplanPolicy as Policy;

/// Everything a replan looks at.
#[derive(Debug, Clone)]
pub struct ReplanInput<'a> {
    pub roadmap: &'a Roadmap,
    /// The plan's settings; the availability must be set.
    pub settings: &'a PlanSettings,
    /// The first wall time that may change: now, rounded up to the quarter hour
    /// ([`crate::clock::Clock::cutoff`]). What started before it is history.
    pub from: WallTime,
    pub sessions: &'a [StoredSession],
    /// Topics marked done or skipped.
    pub finished: &'a BTreeSet<String>,
    /// Minutes of study logged outside sessions, per topic.
    pub logged: &'a BTreeMap<String, u32>,
    pub policy: Policy,
    /// Only re-pack the work already planned ahead, instead
    /// of planning all the work left: study that past sessions missed stays "behind" until the
    /// user asks for a replan.
    pub adapt_only: bool,
    /// With `adapt_only` or `only`: a topic that gets all the work it still needs (its mark
    /// just cleared, or the topic just added or re-estimated).
    pub restore: Option<&'a str>,
    /// The footprint of an action: only these sessions may move (each within `until`), and
    /// every other session stays where it is. Their work is placed again in the time left
    /// free, with the reviews in `recall`; what does not fit becomes "behind". An empty set
    /// places nothing but those reviews (a topic just marked done gets its first one).
    pub only: Option<&'a BTreeSet<i64>>,
    /// With `only`: nothing is placed after this day.
    pub until: Option<NaiveDate>,
    /// Each topic's pace factor, to scale its estimate by from now on ([`Policy::UsePace`]);
    /// `None` keeps the estimates in force (`settings.pace`).
    pub pace: Option<&'a BTreeMap<String, u32>>,
    /// The next review of each finished topic that has none fixed ahead.
    pub recall: &'a [Due],
    /// What the learner's busy calendars block, as local stretches of each day.
    pub calendar: &'a [Busy],
}

/// The outcome: new settings, the schedule of what is left, and the changes to the sessions.
#[derive(Debug, Clone, PartialEq)]
pub struct Replan {
    pub settings: PlanSettings,
    /// The schedule from the replan day on (new and moved sessions only).
    pub plan: Plan,
    pub changes: Vec<Change>,
    /// The last day with a session still to do or done, after the replan.
    pub projected_end: Option<NaiveDate>,
    pub target_end: Option<NaiveDate>,
    /// Whether the projected end is within the target (always true without one).
    pub on_track: bool,
    pub moved: u32,
    pub added: u32,
    pub cancelled: u32,
    /// Optional topics the replan leaves out.
    pub dropped: Vec<String>,
}

/// One change to the saved sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The session moves to this time (its revision rises).
    Update {
        id: i64,
        date: NaiveDate,
        start: String,
        minutes: u32,
    },
    /// The session is no longer needed.
    Cancel { id: i64 },
    /// A new session.
    Add(Session),
}

/// Reschedules what is left of a plan from `input.today`. Deterministic.
pub fn replan(input: &ReplanInput<'_>) -> Result<Replan, CoreError> {
    // A pace re-estimate goes into the settings: the estimates in force from now on.
    let paced;
    let settings = match input.pace {
        Some(p) => {
            paced = PlanSettings {
                pace: Some(p.clone()),
                ..input.settings.clone()
            };
            &paced
        }
        None => input.settings,
    };
    let Some(availability_text) = settings.availability.as_deref() else {
        return Err(CoreError::InvalidSettings(
            "the plan has no weekly availability to replan with".into(),
        ));
    };
    let availability = Availability::parse(availability_text)?;
    let from = input.from.max(WallTime {
        date: settings.start,
        minute: 0,
    });
    let target_end = match settings.months {
        Some(m) => Some(planner::target_end(settings.start, m)?),
        None => None,
    };

    // What is fixed, and what is movable: every live session that has not started, is still
    // planned and was not put in place by hand moves; everything else that is live keeps its
    // slot, a missed one included, so no slot the user let go is refilled behind their back.
    let movable_session = |s: &StoredSession| {
        input.only.is_none_or(|ids| ids.contains(&s.id))
            && s.status == SessionStatus::Planned
            && !s.pinned
            && s.wall() >= from
    };
    let live = |s: &&StoredSession| s.status != SessionStatus::Cancelled;
    let movable: Vec<&StoredSession> = input
        .sessions
        .iter()
        .filter(live)
        .filter(|s| movable_session(s))
        .collect();
    let mut busy = Vec::new();
    let mut review_used: BTreeMap<NaiveDate, u32> = BTreeMap::new();
    let mut review_pinned: BTreeSet<String> = BTreeSet::new();
    let mut review_days: BTreeSet<(NaiveDate, String)> = BTreeSet::new();
    let this_week = crate::clock::monday_of(from.date);
    for s in input
        .sessions
        .iter()
        .filter(live)
        .filter(|s| !movable_session(s))
    {
        if s.kind == SessionKind::Review
            && s.pinned
            && s.status == SessionStatus::Planned
            && s.wall() >= from
        {
            review_pinned.insert(s.topic.clone());
        }
        if s.kind == SessionKind::Review && s.date >= from.date {
            review_days.insert((s.date, s.topic.clone()));
        }
        if s.kind == SessionKind::Review && s.date >= this_week {
            *review_used
                .entry(crate::clock::monday_of(s.date))
                .or_default() += s.minutes;
        }
        if s.date >= from.date {
            busy.push(Busy {
                date: s.date,
                start: s.start_minute()?,
                minutes: s.minutes,
            });
        }
    }

    busy.extend(
        input
            .calendar
            .iter()
            .filter(|b| b.date >= from.date)
            .copied(),
    );

    // What each topic still needs.
    // Looked up per topic, never walked: hashed, as there are thousands of sessions.
    let mut studied: HashMap<&str, u32> = HashMap::new();
    for s in input.sessions.iter().filter(live).filter(|s| s.is_study()) {
        *studied.entry(&s.topic).or_default() += s.studied();
        if s.is_study() && s.status == SessionStatus::Planned && s.pinned && s.wall() >= from {
            *studied.entry(&s.topic).or_default() += s.minutes;
        }
    }
    let mut ahead: HashMap<&str, u32> = HashMap::new();
    for s in movable.iter().filter(|s| s.is_study()) {
        *ahead.entry(&s.topic).or_default() += s.minutes;
    }
    let mut remaining = BTreeMap::new();
    for t in &input.roadmap.topics {
        let done = studied.get(t.id.as_str()).copied().unwrap_or(0)
            + input.logged.get(&t.id).copied().unwrap_or(0);
        let mut left = quarter_hours(settings.expected_hours(t)).saturating_sub(done);
        if input.adapt_only && input.restore != Some(t.id.as_str()) {
            left = left.min(ahead.get(t.id.as_str()).copied().unwrap_or(0));
        }
        if input.only.is_some() && input.restore != Some(t.id.as_str()) {
            left = left.min(ahead.get(t.id.as_str()).copied().unwrap_or(0));
        }
        remaining.insert(t.id.clone(), left);
    }

    let mut new_settings = settings.clone();
    if input.policy == Policy::DropOptional {
        new_settings.include_optional = false;
    }
    let request = |availability: &Availability| {
        let mut req = new_settings.request(input.roadmap)?;
        req.start = from.date;
        req.not_before = Some(from);
        req.target = target_end;
        req.availability = Some(availability.clone());
        req.done = input.finished.clone();
        req.remaining = remaining.clone();
        req.busy = busy.clone();
        req.recall = input.recall.to_vec();
        req.review_used = review_used.clone();
        req.review_pinned = review_pinned.clone();
        req.review_days = review_days.clone();
        if input.only.is_some() {
            // Next to what stays, a review goes in the first room at or after it is due, up to
            // the plan's last session (or `until`).
            req.reviews_until = input
                .sessions
                .iter()
                .filter(|s| s.status != SessionStatus::Cancelled)
                .map(|s| s.date)
                .max();
            req.until = input.until;
        }
        Ok::<_, CoreError>(req)
    };
    let meets = |plan: &Plan| match (target_end, plan.projected_end) {
        (Some(end), Some(last)) => last < end && plan.unscheduled.is_empty(),
        _ => plan.unscheduled.is_empty(),
    };

    let mut chosen = availability.clone();
    let mut plan = planner::plan(&request(&chosen)?)?;
    if let Policy::Compress { cap_hours_per_week } = input.policy {
        if target_end.is_none() {
            return Err(CoreError::InvalidSettings(
                "this plan has no target date to keep; choose to push the finish date instead"
                    .into(),
            ));
        }
        if !(cap_hours_per_week.is_finite() && (0.0..=168.0).contains(&cap_hours_per_week)) {
            return Err(CoreError::InvalidSettings(format!(
                "the weekly cap must be between 0 and 168 hours (got {cap_hours_per_week})"
            )));
        }
        if !meets(&plan) {
            // The fewest extra quarter hours a week, within the cap, that meet the target.
            // Growing windows only adds time, and more time never finishes later, so a binary
            // search finds it.
            let cap = (cap_hours_per_week * 60.0).floor() as u32;
            let base = availability.weekly_minutes();
            let most = cap.saturating_sub(base) / UNIT_MINUTES;
            if most > 0 {
                let widest = grow(&availability, most)?;
                let widest_plan = planner::plan(&request(&widest)?)?;
                if meets(&widest_plan) {
                    let (mut lo, mut hi) = (0, most);
                    let mut best = (widest, widest_plan);
                    while hi - lo > 1 {
                        let mid = lo + (hi - lo) / 2;
                        let a = grow(&availability, mid)?;
                        let p = planner::plan(&request(&a)?)?;
                        if meets(&p) {
                            hi = mid;
                            best = (a, p);
                        } else {
                            lo = mid;
                        }
                    }
                    (chosen, plan) = best;
                } else if finishes_no_later(&widest_plan, &plan) {
                    // The cap is not enough: study up to it, and say the target is missed.
                    (chosen, plan) = (widest, widest_plan);
                }
                // Otherwise the wider week packs its sessions so that it finishes later (more
                // time is not always sooner for a greedy placement: the planner's property test
                // found such weeks): the hours stay as they are, and the target is said to be
                // missed, never a later finish for more study.
            }
        }
    }
    new_settings.availability = Some(chosen.to_string());

    let dropped: Vec<String> = if new_settings.include_optional {
        Vec::new()
    } else {
        input
            .roadmap
            .topics
            .iter()
            .filter(|t| t.optional && !input.finished.contains(&t.id))
            .map(|t| t.id.clone())
            .collect()
    };

    let changes = match_sessions(&movable, &plan.sessions);
    let count = |f: fn(&Change) -> bool| changes.iter().filter(|c| f(c)).count() as u32;
    let moved = count(|c| matches!(c, Change::Update { .. }));
    let added = count(|c| matches!(c, Change::Add(_)));
    let cancelled = count(|c| matches!(c, Change::Cancel { .. }));

    let projected_end = input
        .sessions
        .iter()
        .filter(live)
        .filter(|s| s.is_study() && s.status != SessionStatus::Missed && !movable_session(s))
        .map(|s| s.date)
        .chain(plan.projected_end)
        .max();
    let on_track = plan.unscheduled.is_empty()
        && match (target_end, projected_end) {
            (Some(end), Some(last)) => last < end,
            _ => true,
        };
    Ok(Replan {
        settings: new_settings,
        plan,
        changes,
        projected_end,
        target_end,
        on_track,
        moved,
        added,
        cancelled,
        dropped,
    })
}

/// Pairs the movable sessions with the new ones, topic by topic and in time order, so ids
/// survive the replan.
fn match_sessions(movable: &[&StoredSession], new: &[Session]) -> Vec<Change> {
    // Each topic's old sessions of a kind, in time order, and how many the new plan used.
    // Hashed: ~8,000 sessions of 1,000 topics at once on every move.
    let mut old_by_topic: HashMap<(SessionKind, &str), (Vec<&StoredSession>, usize)> =
        HashMap::new();
    for s in movable {
        old_by_topic
            .entry((s.kind, &s.topic))
            .or_default()
            .0
            .push(s);
    }
    for (list, _) in old_by_topic.values_mut() {
        list.sort_by(|a, b| (a.date, &a.start, a.id).cmp(&(b.date, &b.start, b.id)));
    }
    let mut changes = Vec::new();
    for s in new {
        match old_by_topic.get_mut(&(s.kind, s.topic.as_str())) {
            Some((list, used)) if *used < list.len() => {
                let old = list[*used];
                *used += 1;
                if old.date != s.date || old.start != s.start || old.minutes != s.minutes {
                    changes.push(Change::Update {
                        id: old.id,
                        date: s.date,
                        start: s.start.clone(),
                        minutes: s.minutes,
                    });
                }
            }
            _ => changes.push(Change::Add(s.clone())),
        }
    }
    // What the new plan did not use is cancelled, by kind and topic as before (the order of
    // the changes is part of a deterministic plan).
    let mut left: Vec<(&(SessionKind, &str), &[&StoredSession])> = old_by_topic
        .iter()
        .filter(|(_, (list, used))| *used < list.len())
        .map(|(key, (list, used))| (key, &list[*used..]))
        .collect();
    left.sort_unstable_by(|a, b| a.0.cmp(b.0));
    for (_, rest) in left {
        changes.extend(rest.iter().map(|old| Change::Cancel { id: old.id }));
    }
    changes
}

/// `availability` with `quarters` more quarter hours a week, spread round-robin over its
/// windows by moving their ends later (never past midnight).
pub fn grow(availability: &Availability, quarters: u32) -> Result<Availability, CoreError> {
    let windows = availability.windows();
    if windows.is_empty() {
        return Ok(availability.clone());
    }
    let n = windows.len() as u32;
    let grown: Vec<Window> = windows
        .iter()
        .enumerate()
        .map(|(j, w)| {
            let extra = quarters / n + u32::from((j as u32) < quarters % n);
            Window {
                end: (w.end + extra * UNIT_MINUTES).min(24 * 60),
                ..*w
            }
        })
        .collect();
    Availability::new(grown)
}

/// Minutes after midnight of an `HH:MM` time.
pub fn parse_hhmm(text: &str) -> Result<u32, CoreError> {
    let bad = || CoreError::InvalidSettings(format!("{text:?} is not a time of day (HH:MM)"));
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: u32 = h.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if h > 23 || m > 59 {
        return Err(bad());
    }
    let minute = h * 60 + m;
    debug_assert_eq!(hhmm(minute), text);
    Ok(minute)
}

/// Whether `a` places at least as much as `b` and finishes no later.
fn finishes_no_later(a: &Plan, b: &Plan) -> bool {
    let left = |p: &Plan| p.unscheduled.iter().map(|u| u.minutes).sum::<u32>();
    left(a) <= left(b)
        && match (a.projected_end, b.projected_end) {
            (Some(x), Some(y)) => x <= y,
            (None, Some(_)) => false,
            _ => true,
        }
}

// --- The record that takes a replan back (`crate::undo`) -------------------------------

/// Where a session is: its day, start and length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub id: i64,
    pub date: NaiveDate,
    pub start: String,
    pub minutes: u32,
}

impl Place {
    pub fn of(s: &StoredSession) -> Place {
        Place {
            id: s.id,
            date: s.date,
            start: s.start.clone(),
            minutes: s.minutes,
        }
    }

    pub fn matches(&self, s: &StoredSession) -> bool {
        (self.date, self.start.as_str(), self.minutes) == (s.date, s.start.as_str(), s.minutes)
    }
}

/// What a replan did, enough to take it back. Stored as JSON with the plan's settings; its
/// fields are only ever added to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplanUndo {
    pub policy: ReplanPolicy,
    /// When it was accepted (RFC 3339, UTC).
    pub at: String,
    /// The sessions it added.
    pub added: Vec<i64>,
    /// Where it put each session it added or moved.
    pub placed: Vec<Place>,
    /// Where each session it moved was before.
    pub moved_from: Vec<Place>,
    /// The sessions it cancelled.
    pub cancelled: Vec<i64>,
    /// The settings before it.
    pub availability: Option<String>,
    pub include_optional: bool,
    pub pace: Option<BTreeMap<String, u32>>,
    /// The topics marked done or skipped when it was made: a mark since changes what the
    /// plan before it would need (a topic's study or reviews), so the undo is refused.
    #[serde(default)]
    pub marks: BTreeMap<String, crate::api::TopicMark>,
}
