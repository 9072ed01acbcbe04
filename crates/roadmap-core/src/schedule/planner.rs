//! The session scheduler: every topic as concrete study sessions inside the user's weekly
//! availability, respecting prerequisites, blocked-out days and session length bounds.
//!
//! The policy, and why (also in ARCHITECTURE.md):
//! - One learner, one topic at a time. Topics are taken in a prerequisite-respecting order, so
//!   the next topic is always ready when the previous one ends and no available time is left
//!   idle while work remains.
//! - Among ready topics, the one whose step comes first wins, so a step's topics stay together.
//!   A topic that a topic of an earlier step requires (Git before CI, say) is pulled forward to
//!   that step. Within a step, a topic whose main skill differs from the last one's is
//!   preferred over file order, which interleaves skill areas without scattering steps.
//! - Sessions fill windows from the earliest free minute, up to the maximum length; a topic is
//!   split across sessions so that every piece is between the minimum and maximum length. A
//!   window longer than the maximum holds several sessions back to back, each its own block.
//!   Topic effort is rounded up to whole quarter hours (and, when needed, to a total that such
//!   pieces can make up).
//! - Everything is deterministic: ordered collections only, and time comes in as a parameter.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use chrono::{Datelike, Months, NaiveDate};
use foldhash::{HashMap, HashSet, HashSetExt};
use serde::Serialize;

use super::availability::{
    Availability, Blackout, Blackouts, UNIT_MINUTES, Window, hhmm, weekday_index,
};
use super::{MAX_MONTHS, MIN_MONTHS};
use crate::api::SessionKind;
use crate::clock::WallTime;
use crate::content::Roadmap;
use crate::error::CoreError;
use crate::recall::{self, Memory};

// The horizon and the busy stretches belong to availability (what time there is); kept
// here by name too, for the planner's readers.
pub use crate::schedule::availability::{Busy, HORIZON_YEARS};
pub const DEFAULT_SESSION_MIN: u32 = 30;
pub const DEFAULT_SESSION_MAX: u32 = 120;

/// What to plan, and within which limits.
#[derive(Debug, Clone)]
pub struct PlanRequest<'a> {
    pub roadmap: &'a Roadmap,
    pub start: NaiveDate,
    /// Target duration, 6 to 24 months.
    pub months: Option<u32>,
    /// The target end in place of start plus months: a replan starts later but keeps the
    /// plan's original target.
    pub target: Option<NaiveDate>,
    /// Weekly study windows. `None` with a target: the scheduler proposes one.
    pub availability: Option<Availability>,
    /// Single weeks (by their Monday) whose windows differ from the usual week's.
    pub one_off: BTreeMap<NaiveDate, Availability>,
    pub blackouts: Vec<Blackout>,
    pub session_min: u32,
    pub session_max: u32,
    /// Topics already done or skipped: not planned, and satisfied as prerequisites.
    pub done: BTreeSet<String>,
    pub include_optional: bool,
    /// Minutes still to study per topic, in place of the roadmap's expected hours (replanning:
    /// what was studied or is pinned already is taken off). A topic with 0 left is not planned.
    pub remaining: BTreeMap<String, u32>,
    /// Time already taken (pinned or finished sessions): no new session overlaps it.
    pub busy: Vec<Busy>,
    /// The first local wall time a session may start at, when later than `start`'s midnight:
    /// the past, the earlier hours of today included, is never planned into.
    pub not_before: Option<WallTime>,
    /// Spaced review: the share of the weekly availability reviews may take, in percent (0:
    /// no reviews are planned).
    pub review_cap: u32,
    /// The next review of each topic already finished.
    pub recall: Vec<Due>,
    /// Minutes of review each week (by its Monday) already holds and that stay: reviews done,
    /// missed, placed by hand or in the past.
    pub review_used: BTreeMap<NaiveDate, u32>,
    /// Topics whose next review the learner placed by hand: no other is planned for them.
    pub review_pinned: BTreeSet<String>,
    /// Days that already hold a review of a topic that stays (done, missed, placed by hand):
    /// no second one is planned for that topic that day.
    pub review_days: BTreeSet<(NaiveDate, String)>,
    /// Reviews are looked for up to this day at least (beyond the last study day and four
    /// weeks): a plan that places nothing but a review, around sessions that all stay, finds
    /// its room wherever the plan has some.
    pub reviews_until: Option<NaiveDate>,
    /// Nothing is placed after this day: what does not fit by then is unscheduled (a session
    /// displaced by a move or a busy calendar finds room in its own week, or none).
    pub until: Option<NaiveDate>,
}

/// A finished topic's next review.
#[derive(Debug, Clone, PartialEq)]
pub struct Due {
    pub topic: String,
    pub memory: Memory,
}

impl<'a> PlanRequest<'a> {
    pub fn new(roadmap: &'a Roadmap, start: NaiveDate) -> Self {
        PlanRequest {
            roadmap,
            start,
            months: None,
            target: None,
            availability: None,
            one_off: BTreeMap::new(),
            blackouts: Vec::new(),
            session_min: DEFAULT_SESSION_MIN,
            session_max: DEFAULT_SESSION_MAX,
            done: BTreeSet::new(),
            include_optional: true,
            remaining: BTreeMap::new(),
            busy: Vec::new(),
            not_before: None,
            review_cap: 0,
            recall: Vec::new(),
            review_used: BTreeMap::new(),
            review_pinned: BTreeSet::new(),
            review_days: BTreeSet::new(),
            reviews_until: None,
            until: None,
        }
    }
}

/// The plan: sessions, per-topic and per-step dates, weekly load and the feasibility report.
/// Its JSON form is the `roadmap plan --format json` contract (see README).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    #[serde(serialize_with = "crate::schedule::iso::date")]
    pub start: NaiveDate,
    /// The day the target ends (start plus the months; exclusive), when a target was given.
    #[serde(serialize_with = "crate::schedule::iso::option_date")]
    pub target_end: Option<NaiveDate>,
    /// The day of the last session, or `None` when nothing was scheduled.
    #[serde(serialize_with = "crate::schedule::iso::option_date")]
    pub projected_end: Option<NaiveDate>,
    pub feasible: bool,
    /// Hours a week the remaining work needs to finish by the target.
    pub required_hours_per_week: Option<f64>,
    pub available_hours_per_week: f64,
    /// The availability used, in the `--availability` syntax (proposed when none was given).
    pub availability: String,
    pub availability_proposed: bool,
    pub topics: Vec<PlannedTopic>,
    pub sessions: Vec<Session>,
    pub milestones: Vec<MilestoneDate>,
    pub weeks: Vec<WeekLoad>,
    /// Topics that could not be scheduled, and why. Empty when everything fits.
    pub unscheduled: Vec<Unscheduled>,
    /// What would make an infeasible target feasible.
    pub fixes: Vec<Fix>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedTopic {
    pub id: String,
    pub step: String,
    /// Planned hours (the expected effort rounded up to whole quarter hours).
    pub hours: f64,
    pub requires: Vec<String>,
    pub optional: bool,
    #[serde(serialize_with = "crate::schedule::iso::option_date")]
    pub start: Option<NaiveDate>,
    #[serde(serialize_with = "crate::schedule::iso::option_date")]
    pub finish: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    /// Study, or a spaced review of a finished topic.
    pub kind: SessionKind,
    pub topic: String,
    #[serde(serialize_with = "crate::schedule::iso::date")]
    pub date: NaiveDate,
    /// Local start time, `HH:MM`.
    pub start: String,
    pub minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MilestoneDate {
    pub step: String,
    #[serde(serialize_with = "crate::schedule::iso::date")]
    pub date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WeekLoad {
    /// ISO week, e.g. `2027-W03`.
    pub week: String,
    pub planned_minutes: u32,
    pub capacity_minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unscheduled {
    pub topic: String,
    pub minutes: u32,
    pub reason: String,
}

/// What would make an infeasible target feasible; declared with the IPC types because the
/// setup screen shows it as it is.
pub use crate::api::PlanFix as Fix;

/// Plans every remaining topic. Errors only for settings that make no sense.
/// A plan starts within the planner's horizon of `today`, either way: every date it holds
/// then lies in `SavedPlan::reach` (a plan begun in year 8000 could hold no move, one begun in
/// year 7, typed into a date field the wrong way round, nothing a learner meant).
pub fn check_start(start: NaiveDate, today: NaiveDate) -> Result<(), CoreError> {
    let years = Months::new(12 * super::availability::HORIZON_YEARS);
    let (first, last) = (
        today.checked_sub_months(years).unwrap_or(NaiveDate::MIN),
        today.checked_add_months(years).unwrap_or(NaiveDate::MAX),
    );
    if start < first || start > last {
        return Err(CoreError::InvalidSettings(format!(
            "The start, {start}, is more than {} years from today; choose a day between {first} and {last}.",
            super::availability::HORIZON_YEARS
        )));
    }
    Ok(())
}

pub fn plan(req: &PlanRequest<'_>) -> Result<Plan, CoreError> {
    check_bounds(req)?;
    let target_end = match (req.target, req.months) {
        (Some(end), _) => Some(end),
        (None, Some(months)) => Some(target_end(req.start, months)?),
        (None, None) => None,
    };
    let mut topics = select_topics(req);
    // Summed wide: a validated roadmap's minutes fit a u32 (see `content::MAX_TOPICS`), but a
    // request built by hand may not, and a sum must never wrap or panic.
    let raw_total: u32 = wide_sum(topics.iter().map(|t| t.minutes));

    let (availability, proposed) = match (&req.availability, target_end) {
        (Some(a), _) => (a.clone(), false),
        (None, Some(end)) => (propose_availability(req, raw_total, end), true),
        (None, None) => {
            return Err(CoreError::InvalidSettings(
                "give a target duration (months), weekly availability, or both".into(),
            ));
        }
    };
    if availability.is_empty() {
        return Err(CoreError::InvalidSettings(
            "availability has no windows".into(),
        ));
    }
    let longest = availability.longest_window() / UNIT_MINUTES * UNIT_MINUTES;
    if longest < req.session_min {
        return Err(CoreError::InvalidSettings(format!(
            "no availability window is as long as the shortest session ({} minutes); lengthen a window or shorten the minimum",
            req.session_min
        )));
    }
    let piece_max = req.session_max.min(longest);

    let order = priority_order(&topics);
    let mut filler = Filler::new(req, &availability);
    let mut planned: Vec<PlannedTopic> = Vec::with_capacity(topics.len());
    // Room for the fewest study sessions the topics can take, twice over when reviews are
    // planned: the list then grows once or not at all instead of a dozen times.
    let fewest = wide_sum(topics.iter().map(|t| t.minutes.div_ceil(piece_max)));
    let reviews = if req.review_cap > 0 { 2 } else { 1 };
    let mut sessions: Vec<Session> =
        Vec::with_capacity((fewest as usize).saturating_mul(reviews).min(1 << 20));
    let mut unscheduled: Vec<Unscheduled> = Vec::new();
    let mut unscheduled_ids: BTreeSet<String> = BTreeSet::new();

    for &i in &order {
        let t = &mut topics[i];
        let minutes = achievable_total(t.minutes, req.session_min, piece_max);
        let blocked_by = t
            .requires
            .iter()
            .find(|r| unscheduled_ids.contains(r.as_str()));
        let (start, finish) = if let Some(dep) = blocked_by {
            unscheduled.push(Unscheduled {
                topic: t.id.clone(),
                minutes,
                reason: format!("waits for {dep}, which did not fit"),
            });
            unscheduled_ids.insert(t.id.clone());
            (None, None)
        } else {
            let first = sessions.len();
            let mine = |s: &&Session| s.kind == SessionKind::Study && s.topic == t.id;
            match filler.place(&t.id, minutes, piece_max, &mut sessions) {
                Ok(()) => {
                    let start = sessions[first..].iter().find(mine).map(|s| s.date);
                    let finish = sessions[first..].iter().rev().find(mine).map(|s| s.date);
                    if let (Some(day), Some(review)) = (finish, t.review)
                        && !req.review_pinned.contains(&t.id)
                    {
                        filler.learned(t.position, day, review);
                    }
                    (start, finish)
                }
                Err(left) => {
                    // Its study goes; the reviews placed meanwhile stay.
                    let mut i = 0;
                    sessions.retain(|s| {
                        i += 1;
                        i <= first || s.kind == SessionKind::Review
                    });
                    unscheduled.push(Unscheduled {
                        topic: t.id.clone(),
                        minutes: left.max(minutes),
                        reason: format!(
                            "no available time left within {HORIZON_YEARS} years of the start"
                        ),
                    });
                    unscheduled_ids.insert(t.id.clone());
                    (None, None)
                }
            }
        };
        // Each topic is visited once: its text moves to the plan.
        planned.push(PlannedTopic {
            id: std::mem::take(&mut t.id),
            step: std::mem::take(&mut t.step),
            hours: f64::from(minutes) / 60.0,
            requires: std::mem::take(&mut t.requires),
            optional: t.optional,
            start,
            finish,
        });
    }

    let total: u32 = wide_sum(planned.iter().map(|t| (t.hours * 60.0).round() as u32));
    let projected_end = sessions
        .iter()
        .filter(|s| s.kind == SessionKind::Study)
        .map(|s| s.date)
        .max();
    // Reviews are planned up to the last day of study, and four weeks ahead at least.
    let first_day = req.not_before.map_or(req.start, |w| w.date.max(req.start));
    let review_until = projected_end
        .into_iter()
        .chain(first_day.checked_add_days(chrono::Days::new(27)))
        .chain(req.reviews_until)
        .max()
        .unwrap_or(first_day);
    filler.drain_reviews(review_until, &mut sessions);
    sessions.sort_by(|a, b| (a.date, &a.start).cmp(&(b.date, &b.start)));
    let weeks = week_loads(req, &availability, &sessions, projected_end, target_end);
    let milestones = milestones(req.roadmap, &planned);
    let available_hours_per_week = f64::from(availability.weekly_minutes()) / 60.0;
    let required_hours_per_week = target_end.map(|end| {
        let weeks = ((end - req.start).num_days().max(1) as f64) / 7.0;
        round2(f64::from(total) / 60.0 / weeks)
    });
    let feasible = unscheduled.is_empty()
        && match (target_end, projected_end) {
            (Some(end), Some(last)) => last < end,
            _ => true,
        };

    let mut result = Plan {
        start: req.start,
        target_end,
        projected_end,
        feasible,
        required_hours_per_week,
        available_hours_per_week,
        availability: availability.to_string(),
        availability_proposed: proposed,
        topics: planned,
        sessions,
        milestones,
        weeks,
        unscheduled,
        fixes: Vec::new(),
    };
    if !feasible && let Some(end) = target_end {
        result.fixes = fixes(req, &availability, &result, end, total)?;
    }
    Ok(result)
}

/// What "I know some of this step" is worth: its topics' estimates start at this share.
pub const SOME_FACTOR: f64 = 0.6;

/// Every step id in `steps` names a step of the roadmap.
fn check_steps(roadmap: &Roadmap, steps: &[String]) -> Result<(), crate::CoreError> {
    for step in steps {
        if !roadmap.steps.iter().any(|s| &s.id == step) {
            let ids: Vec<&str> = roadmap.steps.iter().map(|s| s.id.as_str()).collect();
            return Err(crate::CoreError::InvalidSettings(format!(
                "there is no step called {step:?} in this roadmap; its steps are {}",
                ids.join(", ")
            )));
        }
    }
    Ok(())
}

impl crate::api::PlanSettings {
    /// The scheduler's request for these settings.
    pub fn request<'a>(&self, roadmap: &'a Roadmap) -> Result<PlanRequest<'a>, crate::CoreError> {
        use crate::schedule::availability::{Availability, Blackout};
        use crate::schedule::planner::PlanRequest;

        let mut req = PlanRequest::new(roadmap, self.start);
        req.months = self.months;
        req.availability = self
            .availability
            .as_deref()
            .filter(|a| !a.trim().is_empty())
            .map(Availability::parse)
            .transpose()?;
        req.blackouts = self
            .blackouts
            .iter()
            .filter(|b| !b.trim().is_empty())
            .map(|b| Blackout::parse(b))
            .collect::<Result<_, _>>()?;
        req.one_off = crate::schedule::availability::Weekly::one_off(&self.weeks)?;
        req.session_min = self.session_min;
        req.session_max = self.session_max;
        req.include_optional = self.include_optional;
        if self.review_cap > recall::MAX_CAP_PERCENT {
            return Err(crate::CoreError::InvalidSettings(format!(
                "review may take between 0 and {} % of the weekly hours (got {} %)",
                recall::MAX_CAP_PERCENT,
                self.review_cap
            )));
        }
        req.review_cap = self.review_cap;
        req.done.extend(self.known_topics(roadmap)?);
        check_steps(roadmap, &self.some)?;
        if let Some(both) = self.some.iter().find(|s| self.known.contains(s)) {
            return Err(crate::CoreError::InvalidSettings(format!(
                "the step {both:?} is given as both known well and known somewhat; choose one"
            )));
        }
        for t in &roadmap.topics {
            if self.some.contains(&t.step) || self.pace_of(&t.id) != 1.0 {
                req.remaining
                    .insert(t.id.clone(), quarter_hours(self.expected_hours(t)));
            }
        }
        Ok(req)
    }

    /// A topic's expected hours in the plan: the roadmap's, or less for a step they know
    /// something of, times the learner's pace where a "Use my pace" put one in force.
    pub fn expected_hours(&self, t: &crate::content::Topic) -> f64 {
        self.hours(t).expected * self.pace_of(&t.id)
    }

    /// The factor in force on topic `id`'s estimate (1 without one).
    pub fn pace_of(&self, id: &str) -> f64 {
        self.pace
            .as_ref()
            .and_then(|p| p.get(id))
            .filter(|&&percent| percent > 0)
            .map_or(1.0, |&percent| f64::from(percent) / 100.0)
    }

    /// A topic's low/expected/high hours for this learner, before any pace is applied (the
    /// forecast learns the pace from them). For a step they know something of,
    /// the estimate starts at `SOME_FACTOR` of the roadmap's, with a wider range (how much
    /// "some" is worth varies more than a topic does).
    pub fn hours(&self, t: &crate::content::Topic) -> crate::content::Hours {
        if self.some.contains(&t.step) {
            crate::content::Hours {
                low: t.hours.low * SOME_FACTOR * 0.6,
                expected: t.hours.expected * SOME_FACTOR,
                high: t.hours.high * SOME_FACTOR * 1.4,
            }
        } else {
            t.hours
        }
    }

    /// The topics of the steps in `known`, each step checked against the roadmap.
    pub fn known_topics(&self, roadmap: &Roadmap) -> Result<Vec<String>, crate::CoreError> {
        check_steps(roadmap, &self.known)?;
        Ok(self
            .known
            .iter()
            .flat_map(|step| roadmap.topics_of(step).map(|t| t.id.clone()))
            .collect())
    }

    /// Runs the scheduler for these settings, for the setup screen, around what the busy
    /// calendars block (`busy`, local stretches of each day). A start that creating would
    /// refuse (see [`check_start`]) is refused here too.
    pub fn preview(
        &self,
        roadmap: &Roadmap,
        busy: &[Busy],
        today: NaiveDate,
    ) -> Result<crate::api::PlanPreview, crate::CoreError> {
        check_start(self.start, today)?;
        let chosen = roadmap.chosen(&self.chosen)?;
        let roadmap = chosen.as_ref().unwrap_or(roadmap);
        let mut req = self.request(roadmap)?;
        req.busy = busy.to_vec();
        let plan = plan(&req)?;
        // What the busy calendars take of the first four weeks, a week on average.
        let busy_hours_per_week = match Availability::parse(&plan.availability) {
            Ok(a) if !busy.is_empty() => {
                let blackouts = Blackouts::new(&req.blackouts);
                let weekly = crate::schedule::availability::Weekly {
                    usual: a,
                    one_off: req.one_off.clone(),
                };
                let (_, taken) =
                    crate::busy::taken_from(busy, &weekly, self.start.iter_days().take(28), |d| {
                        blackouts.contains(d)
                    });
                f64::from(taken) / 60.0 / 4.0
            }
            _ => 0.0,
        };
        Ok(crate::api::PlanPreview {
            feasible: plan.feasible,
            target_end: plan.target_end,
            projected_end: plan.projected_end,
            required_hours_per_week: plan.required_hours_per_week,
            available_hours_per_week: plan.available_hours_per_week,
            availability: plan.availability,
            availability_proposed: plan.availability_proposed,
            session_count: crate::api::count(plan.sessions.len()),
            unscheduled_count: crate::api::count(plan.unscheduled.len()),
            fixes: plan.fixes,
            busy_hours_per_week,
        })
    }
}

// ---------------------------------------------------------------------------------------------

/// A topic as the scheduler sees it: indices instead of lookups.
struct Work {
    /// Where the topic is in the roadmap's list.
    position: usize,
    id: String,
    step: String,
    step_index: usize,
    skill: String,
    /// Minutes to plan, in whole quarter hours.
    minutes: u32,
    requires: Vec<String>,
    optional: bool,
    /// Minutes of each review once it is finished, when it gets reviews.
    review: Option<u32>,
}

fn check_bounds(req: &PlanRequest<'_>) -> Result<(), CoreError> {
    session_bounds(req.session_min, req.session_max).map_err(CoreError::InvalidSettings)?;
    // Dates the calendar arithmetic after it can hold, ten years of horizon and more included
    // (a start in year -262143 panicked in chrono's week arithmetic).
    let (first, last) = (
        NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(NaiveDate::MIN),
        NaiveDate::from_ymd_opt(9000, 12, 31).unwrap_or(NaiveDate::MAX),
    );
    if req.start < first || req.start > last {
        return Err(CoreError::InvalidSettings(format!(
            "The start, {}, is not a day a plan can begin on; choose one between {first} and {last}.",
            req.start
        )));
    }
    Ok(())
}

/// The session lengths a plan accepts, each refused with the reason that applies to it: a
/// range first (so 5,000 minutes is "too long", not "not quarter hours"), then whole quarter
/// hours, then the order of the two.
pub fn session_bounds(min: u32, max: u32) -> Result<(), String> {
    const LONGEST: u32 = 12 * 60;
    for (name, value) in [("shortest", min), ("longest", max)] {
        if !(UNIT_MINUTES..=LONGEST).contains(&value) {
            return Err(format!(
                "The {name} session must be between {UNIT_MINUTES} minutes and 12 hours ({LONGEST} minutes); it is {value} minutes."
            ));
        }
        if value % UNIT_MINUTES != 0 {
            return Err(format!(
                "The {name} session must be whole quarter hours (15, 30, 45, 60 … minutes); {value} minutes is not."
            ));
        }
    }
    if max < min {
        return Err(format!(
            "The longest session ({max} minutes) is shorter than the shortest ({min} minutes)."
        ));
    }
    Ok(())
}

pub fn target_end(start: NaiveDate, months: u32) -> Result<NaiveDate, CoreError> {
    if !(MIN_MONTHS..=MAX_MONTHS).contains(&months) {
        return Err(CoreError::InvalidSettings(format!(
            "months is {months}, but a plan takes {MIN_MONTHS} to {MAX_MONTHS} months"
        )));
    }
    start
        .checked_add_months(Months::new(months))
        .ok_or_else(|| CoreError::InvalidSettings(format!("start date {start} is too far ahead")))
}

fn select_topics(req: &PlanRequest<'_>) -> Vec<Work> {
    let step_index: BTreeMap<&str, usize> = req
        .roadmap
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    // By position in the roadmap; ids are looked up through its index.
    let kept: Vec<bool> = req
        .roadmap
        .topics
        .iter()
        .map(|t| {
            !req.done.contains(&t.id)
                && (req.include_optional || !t.optional)
                && req.remaining.get(&t.id) != Some(&0)
        })
        .collect();
    let is_kept = |id: &str| req.roadmap.position(id).is_some_and(|p| kept[p]);
    req.roadmap
        .topics
        .iter()
        .enumerate()
        .filter(|&(position, _)| kept[position])
        .map(|(position, t)| Work {
            position,
            id: t.id.clone(),
            step: t.step.clone(),
            step_index: step_index
                .get(t.step.as_str())
                .copied()
                .unwrap_or(usize::MAX),
            skill: t.skills.first().cloned().unwrap_or_default(),
            minutes: req
                .remaining
                .get(&t.id)
                .map(|m| m.div_ceil(UNIT_MINUTES) * UNIT_MINUTES)
                .unwrap_or_else(|| quarter_hours(t.hours.expected)),
            // Done, skipped and dropped prerequisites are satisfied.
            requires: t.requires.iter().filter(|r| is_kept(r)).cloned().collect(),
            optional: t.optional,
            // A plan of part of a topic's work (sessions displaced by an action) does not know
            // when the topic ends: its reviews are left where they are.
            review: (req.review_cap > 0 && t.review && req.until.is_none())
                .then(|| recall::minutes_for(t)),
        })
        .collect()
}

/// The order topics are studied in (indices into `topics`); see the module comment.
fn priority_order(topics: &[Work]) -> Vec<usize> {
    let index: HashMap<&str, usize> = topics
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    // Each topic's dependents, in topic order, as slices of one list (not a list per topic).
    let mut edges: Vec<(usize, usize)> = Vec::new();
    for (i, t) in topics.iter().enumerate() {
        for r in &t.requires {
            if let Some(&j) = index.get(r.as_str()) {
                edges.push((j, i));
            }
        }
    }
    let mut waiting: Vec<usize> = vec![0; topics.len()];
    let mut starts: Vec<usize> = vec![0; topics.len() + 1];
    for &(j, i) in &edges {
        waiting[i] += 1;
        starts[j + 1] += 1;
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    let mut flat: Vec<usize> = vec![0; edges.len()];
    let mut next = starts.clone();
    for &(j, i) in &edges {
        flat[next[j]] = i;
        next[j] += 1;
    }
    let dependents = |j: usize| &flat[starts[j]..starts[j + 1]];
    // A plain topological order first, to pull prerequisites forward to the earliest step
    // that needs them.
    let mut topo = Vec::with_capacity(topics.len());
    let mut ready: BTreeSet<usize> = (0..topics.len()).filter(|&i| waiting[i] == 0).collect();
    let mut left = waiting.clone();
    while let Some(i) = ready.pop_first() {
        topo.push(i);
        for &d in dependents(i) {
            left[d] -= 1;
            if left[d] == 0 {
                ready.insert(d);
            }
        }
    }
    let mut rank: Vec<usize> = topics.iter().map(|t| t.step_index).collect();
    for &i in topo.iter().rev() {
        for &d in dependents(i) {
            rank[i] = rank[i].min(rank[d]);
        }
    }

    // Then the study order: earliest step rank first, a change of skill preferred, file order.
    const LOOKAHEAD: usize = 8;
    let mut order = Vec::with_capacity(topics.len());
    let mut ready: BTreeSet<(usize, usize)> = (0..topics.len())
        .filter(|&i| waiting[i] == 0)
        .map(|i| (rank[i], i))
        .collect();
    let mut last_skill: Option<&str> = None;
    while let Some(&first) = ready.first() {
        let pick = ready
            .iter()
            .take(LOOKAHEAD)
            .take_while(|(r, _)| *r == first.0)
            .find(|(_, i)| Some(topics[*i].skill.as_str()) != last_skill)
            .copied()
            .unwrap_or(first);
        ready.remove(&pick);
        let i = pick.1;
        order.push(i);
        last_skill = Some(&topics[i].skill);
        for &d in dependents(i) {
            waiting[d] -= 1;
            if waiting[d] == 0 {
                ready.insert((rank[d], d));
            }
        }
    }
    order
}

/// A sum of minutes that saturates at `u32::MAX` instead of wrapping or panicking.
pub(crate) fn wide_sum(minutes: impl Iterator<Item = u32>) -> u32 {
    u32::try_from(minutes.map(u64::from).sum::<u64>()).unwrap_or(u32::MAX)
}

pub(crate) fn quarter_hours(hours: f64) -> u32 {
    let minutes = (hours * 60.0).max(0.0).min(f64::from(u32::MAX / 2));
    (minutes / f64::from(UNIT_MINUTES)).ceil() as u32 * UNIT_MINUTES
}

/// The smallest total, at least `minutes`, that pieces of `min..=max` minutes can make up.
fn achievable_total(minutes: u32, min: u32, max: u32) -> u32 {
    let minutes = minutes.max(min);
    let pieces = minutes.div_ceil(max);
    minutes.max(pieces * min)
}

fn achievable(minutes: u32, min: u32, max: u32) -> bool {
    minutes == 0 || minutes.div_ceil(max) * min <= minutes
}

/// Positions in the order of their ids (then of the positions): compared by their first
/// eight bytes as one number first (ids are short), then whole, which is the order of the
/// strings themselves.
fn id_order<'s>(ids: impl Iterator<Item = &'s str>) -> Vec<usize> {
    let keyed: Vec<(u64, &str)> = ids
        .map(|id| {
            let mut head = [0u8; 8];
            let n = id.len().min(8);
            head[..n].copy_from_slice(&id.as_bytes()[..n]);
            (u64::from_be_bytes(head), id)
        })
        .collect();
    let mut order: Vec<usize> = (0..keyed.len()).collect();
    order.sort_unstable_by(|&a, &b| keyed[a].cmp(&keyed[b]).then(a.cmp(&b)));
    order
}

/// `(due, rank)` as one number that orders as the pair does: the day (counted from chrono's
/// earliest, so never negative) above, the rank below.
fn due_key(due: NaiveDate, rank: u32) -> u64 {
    let day = i64::from(due.num_days_from_ce()) - i64::from(NaiveDate::MIN.num_days_from_ce());
    (day as u64) << 32 | u64::from(rank)
}

/// The study windows on `date`: its week's own when the week differs (`one_off`, by Monday),
/// else the usual week's (`by_weekday`).
fn windows_on<'w>(
    by_weekday: &'w [Vec<Window>; 7],
    one_off: &'w BTreeMap<NaiveDate, [Vec<Window>; 7]>,
    date: NaiveDate,
) -> &'w [Window] {
    let weekday = usize::from(weekday_index(date));
    if !one_off.is_empty() {
        let monday = date - chrono::Days::new(weekday as u64);
        if let Some(days) = one_off.get(&monday) {
            return &days[weekday];
        }
    }
    &by_weekday[weekday]
}

/// Places sessions from a cursor that only moves forward, so sessions never overlap.
struct Filler<'a> {
    horizon: NaiveDate,
    by_weekday: [Vec<Window>; 7],
    /// The weeks (by Monday) whose windows differ, by weekday.
    one_off: BTreeMap<NaiveDate, [Vec<Window>; 7]>,
    blackouts: Blackouts,
    /// Taken stretches per day, as sorted `(start, end)` minutes.
    busy: BTreeMap<NaiveDate, Vec<(u32, u32)>>,
    min: u32,
    /// Cursor: a day and the first free minute on it.
    day: NaiveDate,
    minute: u32,
    reviews: Reviews<'a>,
}

/// The reviews waiting to be placed, and each week's review minutes.
///
/// Topics are known here by their rank: the place of their id among the roadmap's ids in
/// sorted order. Reviews due the same day are then taken in id order, as when the ids
/// themselves were the keys, but a key is a date and a number: no string is compared, hashed
/// or copied while reviews are placed.
struct Reviews<'a> {
    /// The most review minutes a week may hold (0: no reviews).
    cap: u32,
    /// Each roadmap topic's rank, by its position in the roadmap.
    rank: Vec<u32>,
    /// Each rank's topic id.
    ids: Vec<&'a str>,
    /// `(due, rank)`, earliest first, each packed in one number ([`due_key`]).
    waiting: BTreeSet<u64>,
    /// By rank: a waiting topic's memory and review length.
    memory: Vec<Option<(Memory, u32)>>,
    /// Review minutes per week, by its Monday.
    used: BTreeMap<NaiveDate, u32>,
    /// The last day whose due reviews were placed.
    seen: Option<NaiveDate>,
    /// `(day, rank)` pairs that already hold a review.
    held: HashSet<(NaiveDate, u32)>,
}

impl<'a> Filler<'a> {
    fn new(req: &PlanRequest<'a>, availability: &Availability) -> Self {
        let by_weekday: [Vec<Window>; 7] =
            std::array::from_fn(|d| availability.on(d as u8).copied().collect());
        let one_off = req
            .one_off
            .iter()
            .map(|(monday, a)| {
                let days: [Vec<Window>; 7] =
                    std::array::from_fn(|d| a.on(d as u8).copied().collect());
                (*monday, days)
            })
            .collect();
        let blackouts = Blackouts::new(&req.blackouts);
        let horizon = req
            .start
            .checked_add_months(Months::new(12 * HORIZON_YEARS))
            .unwrap_or(NaiveDate::MAX)
            .min(req.until.unwrap_or(NaiveDate::MAX));
        let mut busy: BTreeMap<NaiveDate, Vec<(u32, u32)>> = BTreeMap::new();
        for b in &req.busy {
            busy.entry(b.date)
                .or_default()
                .push((b.start, b.start.saturating_add(b.minutes)));
        }
        for day in busy.values_mut() {
            day.sort_unstable();
        }
        let first = WallTime {
            date: req.start,
            minute: 0,
        }
        .max(req.not_before.unwrap_or(WallTime {
            date: req.start,
            minute: 0,
        }));
        let cap = recall::cap_minutes(availability.weekly_minutes(), req.review_cap);
        let mut reviews = Reviews {
            cap,
            rank: Vec::new(),
            ids: Vec::new(),
            waiting: BTreeSet::new(),
            memory: Vec::new(),
            used: req.review_used.clone(),
            seen: None,
            held: HashSet::new(),
        };
        if cap > 0 {
            let topics = &req.roadmap.topics;
            let by_id = id_order(topics.iter().map(|t| t.id.as_str()));
            reviews.rank = vec![0; topics.len()];
            for (rank, &position) in by_id.iter().enumerate() {
                // A roadmap holds far fewer topics than a u32 counts (`content::MAX_TOPICS`).
                reviews.rank[position] = rank as u32;
            }
            reviews.ids = by_id.iter().map(|&p| topics[p].id.as_str()).collect();
            reviews.memory = vec![None; topics.len()];
            let rank_of = |id: &str| req.roadmap.position(id).map(|p| reviews.rank[p]);
            reviews.held = req
                .review_days
                .iter()
                .filter_map(|(day, id)| Some((*day, rank_of(id)?)))
                .collect();
            for d in req
                .recall
                .iter()
                .filter(|d| !req.review_pinned.contains(&d.topic))
            {
                if let Some(position) = req.roadmap.position(&d.topic)
                    && topics[position].review
                {
                    let rank = reviews.rank[position];
                    reviews.waiting.insert(due_key(d.memory.due(), rank));
                    reviews.memory[rank as usize] =
                        Some((d.memory.clone(), recall::minutes_for(&topics[position])));
                }
            }
        }
        Filler {
            horizon,
            by_weekday,
            one_off,
            blackouts,
            busy,
            min: req.session_min,
            day: first.date,
            minute: first.minute,
            reviews,
        }
    }

    /// The study of the topic at `position` in the roadmap ends on `day`: its reviews, of
    /// `minutes` each, begin.
    fn learned(&mut self, position: usize, day: NaiveDate, minutes: u32) {
        let Some(&rank) = self.reviews.rank.get(position) else {
            return;
        };
        let memory = Memory::learned(day);
        self.reviews.waiting.insert(due_key(memory.due(), rank));
        self.reviews.memory[rank as usize] = Some((memory, minutes));
    }

    /// Places the reviews due by the cursor's day in that day's first free gaps that hold
    /// them, as long as the week's review minutes stay within the cap; the rest wait for a
    /// later day (so missed reviews move forward, never more than the cap a week). A placed
    /// review's successor is projected as if it were graded "good".
    fn review_day(&mut self, out: &mut Vec<Session>) {
        let day = self.day;
        if self.reviews.cap == 0 || self.reviews.seen == Some(day) || self.blocked(day) {
            return;
        }
        self.reviews.seen = Some(day);
        let monday = crate::clock::monday_of(day);
        // Walk the due reviews in order, stopping as soon as nothing more can fit: the week's
        // room is below the shortest review, or no gap holds one. (A backlog of due reviews is
        // then not scanned again every day, which made 10,000 topics take seconds.)
        let mut after: Option<u64> = None;
        let last_today = due_key(day, u32::MAX);
        let before = self.reviews.used.get(&monday).copied().unwrap_or(0);
        let mut used = before;
        // The day's taken stretches, held here while its reviews are placed and put back after.
        let mut taken = self.busy.remove(&day).unwrap_or_default();
        loop {
            let room = self.reviews.cap.saturating_sub(used);
            if room < recall::SHORT_REVIEW_MINUTES {
                break;
            }
            let next = match &after {
                None => self.reviews.waiting.iter().next(),
                Some(k) => self
                    .reviews
                    .waiting
                    .range((Bound::Excluded(*k), Bound::Unbounded))
                    .next(),
            };
            let Some(&key) = next else {
                break;
            };
            if key > last_today {
                break;
            }
            after = Some(key);
            let rank = key as u32;
            let Some((memory, minutes)) = self.reviews.memory[rank as usize].clone() else {
                continue;
            };
            if minutes > room || self.reviews.held.contains(&(day, rank)) {
                continue;
            }
            let Some(start) = self.free_from_cursor(&taken, minutes) else {
                if minutes <= recall::SHORT_REVIEW_MINUTES {
                    break;
                }
                continue;
            };
            let stretch = (start, start + minutes);
            taken.insert(taken.partition_point(|&t| t < stretch), stretch);
            out.push(Session {
                kind: SessionKind::Review,
                topic: self.reviews.ids[rank as usize].to_string(),
                date: day,
                start: hhmm(start),
                minutes,
            });
            used += minutes;
            self.reviews.waiting.remove(&key);
            let next = recall::after_good(&memory, day);
            self.reviews.waiting.insert(due_key(next.due(), rank));
            self.reviews.memory[rank as usize] = Some((next, minutes));
        }
        if used != before {
            self.reviews.used.insert(monday, used);
        }
        if !taken.is_empty() {
            self.busy.insert(day, taken);
        }
    }

    /// The first minute at or after the cursor, on the cursor's day, that starts a free gap of
    /// `minutes` inside a window, around the day's `taken` stretches.
    fn free_from_cursor(&self, taken: &[(u32, u32)], minutes: u32) -> Option<u32> {
        for w in self.windows(self.day) {
            let mut after = self.minute;
            loop {
                let (from, until) = free_gap(w, after, taken);
                if from >= w.end {
                    break;
                }
                if until - from >= minutes {
                    return Some(from);
                }
                after = until;
            }
        }
        None
    }

    /// Places the reviews due up to `until`, after the last topic.
    fn drain_reviews(&mut self, until: NaiveDate, out: &mut Vec<Session>) {
        if self.reviews.cap == 0 {
            return;
        }
        while self.day <= until.min(self.horizon) {
            self.review_day(out);
            match self.day.succ_opt() {
                Some(next) => {
                    self.day = next;
                    self.minute = 0;
                }
                None => break,
            }
        }
    }

    fn blocked(&self, date: NaiveDate) -> bool {
        self.blackouts.contains(date)
    }

    /// The study windows on `date`.
    fn windows(&self, date: NaiveDate) -> &[Window] {
        windows_on(&self.by_weekday, &self.one_off, date)
    }

    /// Places `minutes` of `topic`; on failure returns the minutes that did not fit.
    fn place(
        &mut self,
        topic: &str,
        minutes: u32,
        max: u32,
        out: &mut Vec<Session>,
    ) -> Result<(), u32> {
        let mut remaining = minutes;
        while remaining > 0 {
            if self.day > self.horizon {
                return Err(remaining);
            }
            if !self.blocked(self.day) {
                self.review_day(out);
                let windows = windows_on(&self.by_weekday, &self.one_off, self.day);
                let taken: &[(u32, u32)] = self.busy.get(&self.day).map_or(&[], Vec::as_slice);
                // A long window holds several sessions back to back.
                for w in windows {
                    while remaining > 0 {
                        let (from, until) = free_gap(w, self.minute, taken);
                        if from >= w.end {
                            break;
                        }
                        let free = (until - from) / UNIT_MINUTES * UNIT_MINUTES;
                        let Some(c) = chunk(remaining, free, self.min, max) else {
                            // Too short a gap: try after the stretch that ends it.
                            self.minute = until;
                            if until >= w.end {
                                break;
                            }
                            continue;
                        };
                        out.push(Session {
                            kind: SessionKind::Study,
                            topic: topic.to_string(),
                            date: self.day,
                            start: hhmm(from),
                            minutes: c,
                        });
                        remaining -= c;
                        self.minute = from + c;
                    }
                }
                if remaining == 0 {
                    return Ok(());
                }
            }
            self.day = self.day.succ_opt().ok_or(remaining)?;
            self.minute = 0;
        }
        Ok(())
    }
}

/// The first free gap in window `w` at or after minute `after`, around the taken stretches:
/// `(from, until)` with `from < until`, or `from >= w.end` when the window is full.
fn free_gap(w: &Window, after: u32, taken: &[(u32, u32)]) -> (u32, u32) {
    let mut from = w.start.max(after);
    for &(start, end) in taken {
        if end <= from {
            continue;
        }
        if start <= from {
            from = end;
            continue;
        }
        return (from, start.min(w.end));
    }
    (from, w.end)
}

/// The length of the next piece of a topic with `remaining` minutes in a gap of `free`
/// minutes, such that what is left can still be split into valid pieces; `None` to skip.
///
/// The longest such piece is preferred unless it leaves a rest between one and two minimum
/// sessions: such a rest cannot be split and waits for one gap as long as all of it, so a
/// longer gap (more availability) could otherwise finish later than a shorter one. A rest of
/// exactly one minimum, or of two minimums or more, fits whatever gaps later days have.
fn chunk(remaining: u32, free: u32, min: u32, max: u32) -> Option<u32> {
    let cap = free.min(max);
    if remaining <= cap {
        return Some(remaining);
    }
    let splittable = |c: u32| achievable(remaining - c, min, max);
    let roomy = |c: u32| {
        let rest = remaining - c;
        rest == min || rest >= 2 * min
    };
    let pieces = || (min..=cap).rev().step_by(UNIT_MINUTES as usize);
    pieces()
        .find(|&c| splittable(c) && roomy(c))
        .or_else(|| pieces().find(|&c| splittable(c)))
}

fn week_loads(
    req: &PlanRequest<'_>,
    availability: &Availability,
    sessions: &[Session],
    projected_end: Option<NaiveDate>,
    target_end: Option<NaiveDate>,
) -> Vec<WeekLoad> {
    let last = [projected_end, target_end.and_then(|d| d.pred_opt())]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(req.start);
    if last < req.start {
        return Vec::new();
    }
    let blackouts = Blackouts::new(&req.blackouts);
    let daily: [u32; 7] =
        std::array::from_fn(|d| availability.on(d as u8).map(Window::minutes).sum());
    // The ISO weeks from the start's to the last day's, in order: a week's place is its
    // distance in days from the first Monday, over seven (no calendar lookups per day or
    // per session).
    let first_monday = crate::clock::monday_of(req.start);
    let place = |day: NaiveDate| usize::try_from((day - first_monday).num_days() / 7).ok();
    let count = place(last).map_or(0, |p| p + 1);
    let mut weeks: Vec<WeekLoad> = Vec::with_capacity(count);
    let mut day = req.start;
    // Days since the first Monday, counted along.
    let mut offset = (req.start - first_monday).num_days();
    while day <= last {
        let Ok(p) = usize::try_from(offset / 7) else {
            break;
        };
        offset += 1;
        if p == weeks.len() {
            let w = day.iso_week();
            weeks.push(WeekLoad {
                week: format!("{}-W{:02}", w.year(), w.week()),
                planned_minutes: 0,
                capacity_minutes: 0,
            });
        }
        if let Some(entry) = weeks.get_mut(p)
            && !blackouts.contains(day)
        {
            entry.capacity_minutes += daily[usize::from(weekday_index(day))];
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    // Sessions come day by day: each day's week is found once.
    let mut known: Option<(NaiveDate, Option<usize>)> = None;
    for s in sessions {
        let p = match known {
            Some((d, p)) if d == s.date => p,
            _ => {
                let p = if s.date >= first_monday {
                    place(s.date)
                } else {
                    None
                };
                known = Some((s.date, p));
                p
            }
        };
        if let Some(entry) = p.and_then(|p| weeks.get_mut(p)) {
            entry.planned_minutes += s.minutes;
        }
    }
    weeks
}

/// Minutes of availability on the days from `from` up to (not including) `to`.
fn capacity_between(
    req: &PlanRequest<'_>,
    availability: &Availability,
    from: NaiveDate,
    to: NaiveDate,
) -> u32 {
    let blackouts = Blackouts::new(&req.blackouts);
    let daily: [u32; 7] =
        std::array::from_fn(|d| availability.on(d as u8).map(Window::minutes).sum());
    from.iter_days()
        .take_while(|d| *d < to)
        .filter(|d| !blackouts.contains(*d))
        .map(|d| daily[usize::from(weekday_index(d))])
        .sum()
}

fn milestones(roadmap: &Roadmap, planned: &[PlannedTopic]) -> Vec<MilestoneDate> {
    roadmap
        .steps
        .iter()
        .filter_map(|s| {
            planned
                .iter()
                .filter(|t| t.step == s.id)
                .filter_map(|t| t.finish)
                .max()
                .map(|date| MilestoneDate {
                    step: s.id.clone(),
                    date,
                })
        })
        .collect()
}

/// A default week for a target: weekday evenings from 19:00 and a Saturday morning from 09:00,
/// sized to the hours needed plus a tenth for blocked days and slippage, and half the review
/// cap for spaced review (reviews rarely fill their cap).
fn propose_availability(
    req: &PlanRequest<'_>,
    total_minutes: u32,
    target_end: NaiveDate,
) -> Availability {
    let weeks = ((target_end - req.start).num_days().max(7) as f64) / 7.0;
    let slack = 1.1 + f64::from(req.review_cap.min(recall::MAX_CAP_PERCENT)) / 200.0;
    let per_week = (f64::from(total_minutes) * slack / weeks).ceil() as u32;
    // Whole and half hours, as a person would set them (19:00–21:30, not 19:00–21:15): rounding
    // up only adds room, so the proposal still meets the target.
    const HALF_HOUR: u32 = 30;
    let round = |m: u32| m.div_ceil(HALF_HOUR) * HALF_HOUR;
    let floor = round(req.session_min.max(UNIT_MINUTES));
    // A shortest session longer than the usual window widens the window, never the reverse.
    let saturday = round(per_week * 3 / 10).clamp(floor, (8 * 60).max(floor));
    let rest = per_week.saturating_sub(saturday);
    let evening = round(rest.div_ceil(5)).clamp(floor, (5 * 60).max(floor));
    // Fewer, longer evenings when each would be shorter than a session.
    let days: u8 = if rest == 0 {
        0
    } else {
        rest.div_ceil(evening).clamp(1, 5) as u8
    };
    let evening_days: &[u8] = match days {
        0 => &[],
        1 => &[2],
        2 => &[1, 3],
        3 => &[0, 2, 4],
        4 => &[0, 1, 2, 3],
        _ => &[0, 1, 2, 3, 4],
    };
    let mut windows: Vec<Window> = evening_days
        .iter()
        .map(|&d| Window {
            weekday: d,
            start: 19 * 60,
            end: (19 * 60 + evening).min(24 * 60),
        })
        .collect();
    windows.push(Window {
        weekday: 5,
        start: 9 * 60,
        end: 9 * 60 + saturday,
    });
    let long_week = 5 * 5 * 60 + 8 * 60;
    if per_week > long_week {
        windows.push(Window {
            weekday: 6,
            start: 9 * 60,
            end: (9 * 60 + round(per_week - long_week)).min(24 * 60),
        });
    }
    Availability::new(windows).unwrap_or_default()
}

fn fixes(
    req: &PlanRequest<'_>,
    availability: &Availability,
    plan: &Plan,
    target_end: NaiveDate,
    total_minutes: u32,
) -> Result<Vec<Fix>, CoreError> {
    let mut fixes = Vec::new();
    // Hours: the capacity before the target, blocked days left out, must hold the work.
    let capacity_to_target = capacity_between(req, availability, req.start, target_end);
    let weekly = availability.weekly_minutes();
    let weeks_to_target = ((target_end - req.start).num_days().max(1) as f64) / 7.0;
    let usable_share = if weekly == 0 {
        1.0
    } else {
        (f64::from(capacity_to_target) / (f64::from(weekly) * weeks_to_target)).clamp(0.1, 1.0)
    };
    let needed = f64::from(total_minutes) / 60.0 / weeks_to_target / usable_share;
    let extra = ((needed - f64::from(weekly) / 60.0) * 2.0).ceil() / 2.0;
    if extra > 0.0 {
        fixes.push(Fix::MoreHours {
            extra_hours_per_week: extra,
        });
    }
    // Months: the first whole month after the projected finish.
    let months = plan.projected_end.and_then(|last| {
        (MIN_MONTHS..=MAX_MONTHS).find(|&m| {
            req.start
                .checked_add_months(Months::new(m))
                .is_some_and(|end| last < end)
        })
    });
    fixes.push(Fix::LaterTarget {
        months: if plan.unscheduled.is_empty() {
            months
        } else {
            None
        },
    });
    // Optional topics.
    let optional: Vec<&PlannedTopic> = plan.topics.iter().filter(|t| t.optional).collect();
    if req.include_optional && !optional.is_empty() {
        let mut without = req.clone();
        without.include_optional = false;
        without.availability = Some(availability.clone());
        let enough = plan_without_fixes(&without)?;
        fixes.push(Fix::DropOptional {
            topics: optional.iter().map(|t| t.id.clone()).collect(),
            hours: optional.iter().map(|t| t.hours).sum(),
            enough,
        });
    }
    Ok(fixes)
}

/// Whether the plan for `req` meets its target (without computing fixes of its own).
fn plan_without_fixes(req: &PlanRequest<'_>) -> Result<bool, CoreError> {
    let mut r = req.clone();
    // Dropping optional topics is never offered again inside, so this recursion ends.
    r.include_optional = false;
    Ok(plan(&r)?.feasible)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Days;
    use proptest::prelude::*;

    fn any_day() -> impl Strategy<Value = NaiveDate> {
        let (first, last) = (
            NaiveDate::MIN.num_days_from_ce(),
            NaiveDate::MAX.num_days_from_ce(),
        );
        prop_oneof![
            first..=last,
            // Days next to each other, where an off-by-one would show.
            730_000..740_000i32,
            Just(first),
            Just(last),
        ]
        .prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d).expect("in range"))
    }

    proptest! {
        #[test]
        fn ids_are_ranked_in_the_order_of_the_strings(
            ids in prop::collection::vec("[a-c\\x00-]{0,10}", 0..40)
        ) {
            let mut expected: Vec<usize> = (0..ids.len()).collect();
            expected.sort_by(|&a, &b| ids[a].cmp(&ids[b]).then(a.cmp(&b)));
            prop_assert_eq!(id_order(ids.iter().map(String::as_str)), expected);
        }

        #[test]
        fn a_due_key_orders_as_its_day_and_rank(
            a in any_day(), r in any::<u32>(), b in any_day(), s in any::<u32>()
        ) {
            prop_assert_eq!(due_key(a, r).cmp(&due_key(b, s)), (a, r).cmp(&(b, s)));
            prop_assert_eq!(due_key(a, r) as u32, r);
        }
    }

    #[test]
    fn session_lengths_are_refused_for_the_reason_that_applies() {
        let said = |min, max| session_bounds(min, max).expect_err("refused");
        // Too long is too long, even when it is not whole quarter hours either.
        assert!(
            said(30, 5000)
                .starts_with("The longest session must be between 15 minutes and 12 hours"),
            "{}",
            said(30, 5000)
        );
        assert!(said(0, 120).starts_with("The shortest session must be between"));
        assert!(said(20, 120).starts_with("The shortest session must be whole quarter hours"));
        assert!(said(30, 100).starts_with("The longest session must be whole quarter hours"));
        assert!(said(120, 60).starts_with("The longest session (60 minutes) is shorter"));
        assert_eq!(session_bounds(15, 720), Ok(()));
        assert_eq!(session_bounds(60, 60), Ok(()));
    }

    #[test]
    fn chunks_leave_a_splittable_rest() {
        assert_eq!(chunk(90, 120, 30, 120), Some(90));
        assert_eq!(chunk(150, 120, 30, 120), Some(120));
        // 120 - 60 = 60 is fine; with min 45 and max 60, 105 - 60 = 45 is fine too.
        assert_eq!(chunk(120, 60, 60, 60), Some(60));
        assert_eq!(chunk(105, 60, 45, 60), Some(60));
        // 150 would leave 105, which only a gap of 105 minutes could hold; 135 leaves 120,
        // which any two gaps of an hour can.
        assert_eq!(chunk(255, 150, 60, 150), Some(135));
        // Where no piece leaves a roomy rest, the longest splittable piece still goes.
        assert_eq!(chunk(170, 105, 60, 150), Some(105));
        // A 30-minute gap cannot hold a piece of a 60-minute minimum.
        assert_eq!(chunk(120, 30, 60, 120), None);
    }

    #[test]
    fn totals_round_up_to_what_pieces_can_make() {
        assert_eq!(achievable_total(90, 60, 60), 120);
        assert_eq!(achievable_total(10, 30, 120), 30);
        assert_eq!(achievable_total(135, 30, 120), 135);
    }

    #[test]
    fn days_are_weekday_indexed_from_monday() {
        let monday: NaiveDate = "2027-01-04".parse().expect("date");
        assert_eq!(weekday_index(monday), 0);
        assert_eq!(weekday_index(monday + Days::new(6)), 6);
    }
}
