//! A saved plan as a value, and every decision about it.
//!
//! The store loads a [`SavedPlan`], calls one of its methods with the [`Clock`], and applies the
//! [`Change`]s it returns, all in one transaction; the same changes are applied to the value
//! with [`SavedPlan::apply`], and the views are computed from the result. Nothing here reads the
//! clock or the database, so a property test drives whole lives of a plan through these
//! methods in microseconds (`tests/it/life.rs`).
//!
//! The rules every method keeps (also in ARCHITECTURE.md):
//! - No two live sessions (anything not cancelled) overlap.
//! - Nothing new or moved starts before now: what started before now is history, the earlier
//!   hours of today included.
//! - A missed session keeps its slot: nothing is put there behind the user's back.
//! - Every topic stays on every view whatever its state; the projected finish and the
//!   milestones are derived from the sessions on every change, never stored.
//! - A move onto a blocked-out day, onto a session that stays put, or into the past is refused
//!   with a message that says which; so is a goal that is not one.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;

use crate::api::{
    HomeView, PlanSettings, PlanView, Recall, ReplanPolicy, ReplanPreview, SessionChange,
    SessionKind, SessionMark, SessionPlace, SessionStatus, TopicMark, WeekReview,
};
use crate::busy::{self, BusyInterval};
use crate::clock::{Clock, WallTime};
use crate::content::Roadmap;
use crate::error::CoreError;
use crate::progress::{MarkRecord, PlanMeta, Record, StoredGoal, StoredLog, iso_week, monday_of};
use crate::recall::{self, StoredRecall};
use crate::schedule::availability::{Availability, Blackout, Weekly, hhmm};
use crate::schedule::planner::{self, Due, Session};
use crate::schedule::replan::{self, Place, ReplanInput, ReplanUndo, StoredSession, parse_hhmm};

/// The most study one log entry may hold: a whole day.
pub const MAX_LOG_MINUTES: i64 = 24 * 60;
/// The most a week's goal may ask for: every minute of the week.
pub const MAX_GOAL_MINUTES: u32 = 7 * 24 * 60;
/// The longest review note.
pub const MAX_NOTE_CHARS: usize = 2000;

/// A plan with everything saved about it: the input of every view and every decision.
#[derive(Debug, Clone)]
pub struct SavedPlan {
    pub meta: PlanMeta,
    /// The row in `roadmaps` the plan was made from; `None` for the bundled roadmap.
    pub roadmap_id: Option<i64>,
    pub roadmap: Arc<Roadmap>,
    pub settings: PlanSettings,
    /// The zone its local times are in.
    pub zone: Tz,
    /// Every session, cancelled ones included, in time order.
    pub sessions: Vec<StoredSession>,
    pub marks: BTreeMap<String, MarkRecord>,
    pub logs: Vec<StoredLog>,
    /// Each week's goal, by ISO week.
    pub goals: BTreeMap<String, StoredGoal>,
    /// The id the next new session gets (ids are unique across plans).
    pub next_session_id: i64,
    pub next_log_id: i64,
    /// Every review the learner rated, in date order.
    pub recalls: Vec<StoredRecall>,
    pub next_recall_id: i64,
    /// What the learner's busy calendars block (all of them, merged): no session is planned
    /// or moved onto it.
    pub busy: Arc<Vec<BusyInterval>>,
    /// What the last replan did, while it can still be taken back ([`SavedPlan::undo_replan`]).
    pub last_replan: Option<Box<ReplanUndo>>,
}

/// One change to a saved plan. The store writes each as it is; [`SavedPlan::apply`] applies
/// the same to the value.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    AddSession {
        id: i64,
        session: Session,
    },
    /// The session moves to this time and length; its revision rises.
    MoveSession {
        id: i64,
        date: NaiveDate,
        start: String,
        minutes: u32,
    },
    /// Moved by hand: pinned there, its revision rises.
    PinSession {
        id: i64,
        date: NaiveDate,
        start: String,
    },
    SetSessionStatus {
        id: i64,
        status: SessionStatus,
        done_minutes: u32,
    },
    /// No longer needed; kept so calendars can cancel it. Its revision rises.
    CancelSession {
        id: i64,
    },
    /// A cancelled session planned again where it was (a replan taken back). Its revision
    /// rises.
    RestoreSession {
        id: i64,
    },
    AddLog {
        id: i64,
        topic: String,
        date: NaiveDate,
        minutes: u32,
    },
    /// A logged entry corrected: its topic, day and minutes are now these.
    EditLog {
        id: i64,
        topic: String,
        date: NaiveDate,
        minutes: u32,
    },
    /// A logged entry taken back (a double click, a mistake).
    RemoveLog {
        id: i64,
    },
    /// `None` clears the mark.
    SetTopicMark {
        topic: String,
        mark: Option<TopicMark>,
    },
    /// A week's goal, without its review.
    SaveGoal {
        week: String,
        topics: Vec<String>,
        target_minutes: u32,
    },
    /// A week closed with its review, or closed again with a corrected one.
    CloseWeek {
        week: String,
        review: WeekReview,
    },
    /// A closed week opened again: its review is taken back (its goal stays).
    ReopenWeek {
        week: String,
    },
    /// A review rated; `session` is the review session it checks off, if any.
    AddRecall {
        id: i64,
        topic: String,
        date: NaiveDate,
        recall: Recall,
        session: Option<i64>,
    },
    /// The rating of review session `session` is taken back.
    RemoveRecall {
        session: i64,
    },
    /// The sessions changed under these settings: `revised_at` becomes now. `pace`: the
    /// estimates in force (see [`PlanSettings::pace`]).
    Revise {
        availability: String,
        include_optional: bool,
        pace: Option<BTreeMap<String, u32>>,
    },
    /// The week of `monday` gets these windows (`""`: no study that week); `None`: the usual
    /// week's again.
    SetWeek {
        monday: NaiveDate,
        availability: Option<String>,
    },
    /// What the replan just made did, kept to take it back; `None` forgets it.
    RememberReplan {
        undo: Option<Box<ReplanUndo>>,
    },
    /// The options of the roadmap's choices the plan follows from now on (a track switched):
    /// its roadmap is resolved with them.
    SetChosen {
        chosen: Vec<String>,
    },
    /// The learner's edits of the plan's roadmap are these from now on: its roadmap is
    /// resolved with them.
    SetEdits {
        edits: Vec<crate::content::TopicEdit>,
    },
}

/// The most other sessions one small action may change by itself. An action that would change
/// more is refused with a sentence, or shown first as a preview the learner accepts (a busy
/// calendar added): a plan people rely on stays put unless they ask.
pub const CALM_LIMIT: usize = 8;

/// How much a reschedule plans: all the work left (a replan the learner asked for); nothing
/// but the next review of one topic, everything else staying put (after a topic is marked
/// done or a review rated); or the sessions an action displaced, in their own week.
#[derive(Debug, Clone, Copy)]
enum Scope<'a> {
    Replan,
    ReviewOf(&'a str),
    /// Sessions displaced by an action (a move onto them, a busy calendar over them): only
    /// they move, and only within `from` to `until` (their own week); what does not fit there
    /// becomes "behind".
    Relocate {
        ids: &'a BTreeSet<i64>,
        from: WallTime,
        until: NaiveDate,
    },
    /// One topic's work left placed in the time left free from `from` on (a topic added or
    /// its estimate changed): every other session stays where it is.
    Topic {
        topic: &'a str,
        from: WallTime,
    },
}

impl SavedPlan {
    /// Schedules `roadmap` with `settings` from `clock.now` on: the plan as it is first saved.
    /// Its `meta.id` is 0 until the store gives it one.
    pub fn create(
        roadmap: Arc<Roadmap>,
        roadmap_id: Option<i64>,
        settings: &PlanSettings,
        clock: &Clock,
        next_session_id: i64,
        busy: Arc<Vec<BusyInterval>>,
    ) -> Result<SavedPlan, CoreError> {
        Self::create_scheduled(roadmap, roadmap_id, settings, clock, next_session_id, busy)
            .map(|(saved, _)| saved)
    }

    /// [`SavedPlan::create`], with the schedule the plan was made from: what `roadmap plan
    /// --save` prints is then exactly what it saved.
    pub fn create_scheduled(
        roadmap: Arc<Roadmap>,
        roadmap_id: Option<i64>,
        settings: &PlanSettings,
        clock: &Clock,
        next_session_id: i64,
        busy: Arc<Vec<BusyInterval>>,
    ) -> Result<(SavedPlan, planner::Plan), CoreError> {
        // The chosen options' topics, with the learner's edits, are the plan's roadmap from
        // now on.
        let roadmap = if settings.chosen.is_empty() && settings.edits.is_empty() {
            roadmap
        } else {
            Arc::new(roadmap.for_plan(&settings.chosen, &settings.edits)?)
        };
        let mut req = settings.request(&roadmap)?;
        planner::check_start(settings.start, clock.today())?;
        req.not_before = Some(clock.cutoff());
        req.busy = busy::planning_stretches(&busy, clock.zone, req.start);
        let plan = planner::plan(&req)?;
        let mut settings = settings.clone();
        // Keep the windows the sessions were placed in, proposed or not.
        settings.availability = Some(plan.availability.clone());
        // What the learner already knows is skipped, visibly: a mark per topic, undoable.
        let today = clock.today();
        let marks = settings
            .known_topics(&roadmap)?
            .into_iter()
            .map(|t| {
                (
                    t,
                    MarkRecord {
                        mark: TopicMark::Skipped,
                        on: today,
                    },
                )
            })
            .collect();
        settings.known = Vec::new();
        let stamp = clock.stamp();
        let sessions = plan
            .sessions
            .iter()
            .zip(next_session_id..)
            .map(|(s, id)| StoredSession::planned(id, s))
            .collect::<Vec<_>>();
        let saved = SavedPlan {
            meta: PlanMeta {
                id: 0,
                created_at: stamp.clone(),
                revised_at: stamp,
                roadmap_title: roadmap.title.clone(),
            },
            roadmap_id,
            next_session_id: next_session_id + sessions.len() as i64,
            roadmap,
            settings,
            zone: clock.zone,
            sessions,
            marks,
            logs: Vec::new(),
            goals: BTreeMap::new(),
            next_log_id: 1,
            recalls: Vec::new(),
            next_recall_id: 1,
            busy,
            last_replan: None,
        };
        Ok((saved, plan))
    }

    /// The clock for this plan at `now`: its own time zone.
    pub fn clock(&self, now: chrono::DateTime<chrono::Utc>) -> Clock {
        Clock::new(now, self.zone)
    }

    pub fn record(&self) -> Record<'_> {
        Record {
            roadmap: &self.roadmap,
            settings: &self.settings,
            sessions: &self.sessions,
            marks: &self.marks,
            logs: &self.logs,
            recalls: &self.recalls,
        }
    }

    // --- Views ----------------------------------------------------------------------------

    /// The plan as it stands at `clock.now`.
    pub fn view(&self, clock: &Clock) -> PlanView {
        self.record().plan_view(&self.meta, clock)
    }

    /// The plan and the current week. The week's goal is the saved one, or the one
    /// [`SavedPlan::ensure_week_goal`] would save.
    pub fn home(&self, clock: &Clock) -> HomeView {
        let today = clock.today();
        let goal = self
            .goals
            .get(&iso_week(today))
            .cloned()
            .unwrap_or_else(|| self.record().proposed_goal(monday_of(today)));
        let mut week = self.record().week_view(clock, &goal, &self.goals);
        (week.available_minutes, week.busy_minutes) = self.week_busy(week.monday);
        self.flag_busy(&mut week.sessions, clock);
        let plan = self.view(clock);
        let ahead = (plan.unplanned_minutes == 0)
            .then(|| self.ahead(plan.projected_end, clock))
            .flatten();
        HomeView {
            plan,
            week,
            ahead,
            last_replan: self.last_replan(clock),
        }
    }

    /// Sets `on_busy` on the sessions still to come that sit on a busy time.
    fn flag_busy(&self, sessions: &mut [crate::api::SessionView], clock: &Clock) {
        if self.busy.is_empty() {
            return;
        }
        for s in sessions
            .iter_mut()
            .filter(|s| s.status == SessionStatus::Planned)
        {
            let Ok(minute) = parse_hhmm(&s.start) else {
                continue;
            };
            let at = WallTime {
                date: s.date,
                minute,
            };
            if clock.has_come(at) {
                continue;
            }
            let start = clock.instant(at);
            let end = start + chrono::Duration::minutes(i64::from(s.minutes));
            // The stretches are merged and in order: the first that ends after the start is
            // the only one that may overlap.
            let i = self.busy.partition_point(|b| b.end <= start);
            s.on_busy = self.busy.get(i).is_some_and(|b| b.start < end);
        }
    }

    /// The offer to pull the plan forward, when the learner is ahead: placing the work left
    /// from now at the same hours would finish at least a week before `finish_before`, the
    /// projected finish. (Never offered while work is behind: that is a replan's.)
    fn ahead(
        &self,
        finish_before: Option<NaiveDate>,
        clock: &Clock,
    ) -> Option<crate::api::AheadOffer> {
        let finish_before = finish_before?;
        let today = clock.today();
        let by = finish_before - chrono::Days::new(7);
        if by < today {
            return None;
        }
        // Cheap first (this runs with every view of the week): finishing a week earlier needs
        // all the study planned from now to fit the free time until then. When it cannot, no
        // replan is run.
        let weekly = self.weekly().ok()?;
        let (available, busy) = busy::taken_from(
            &busy::local_stretches(&self.busy, self.zone),
            &weekly,
            today.iter_days().take_while(|d| *d <= by),
            |d| self.blackout_on(d).is_some(),
        );
        let cutoff = clock.cutoff();
        let planned: u32 = self
            .live()
            .filter(|s| s.is_study() && s.status == SessionStatus::Planned && s.wall() >= cutoff)
            .map(|s| s.minutes)
            .sum();
        if planned > available.saturating_sub(busy) {
            return None;
        }
        let (preview, _) = self.replan(ReplanPolicy::PullForward, clock).ok()?;
        let finish = preview.projected_end?;
        let days = u32::try_from((finish_before - finish).num_days()).ok()?;
        (days >= 7 && preview.unscheduled_minutes == 0).then_some(crate::api::AheadOffer {
            finish_before,
            finish,
            days,
        })
    }

    /// The calendar: sessions, blocked-out days, milestones, and the busy stretches from the
    /// plan's start on.
    pub fn calendar_view(&self, clock: &Clock) -> crate::api::CalendarView {
        let mut view = self.record().calendar_view(clock);
        self.flag_busy(&mut view.sessions, clock);
        let from = self.settings.start.min(clock.today()) - chrono::Days::new(7);
        view.busy = busy::local_stretches(&self.busy, self.zone)
            .into_iter()
            .filter(|b| b.date >= from)
            .map(|b| crate::api::BusyStretch {
                date: b.date,
                start: hhmm(b.start),
                minutes: b.minutes,
            })
            .collect();
        view
    }

    /// The week of `monday`: minutes of availability (blocked-out days left out), and how
    /// many of them the busy calendars take.
    pub fn week_busy(&self, monday: NaiveDate) -> (u32, u32) {
        let Ok(weekly) = self.weekly() else {
            return (0, 0);
        };
        busy::taken_from(
            &busy::local_stretches(&self.busy, self.zone),
            &weekly,
            monday.iter_days().take(7),
            |d| self.blackout_on(d).is_some(),
        )
    }

    /// The finish-date band at the learner's own pace (`roadmap_core::forecast`), beside the
    /// plan's own projected finish. A few milliseconds: the window asks for it after each
    /// change has been answered, not as part of the answer.
    pub fn forecast(&self, clock: &Clock) -> crate::api::ForecastView {
        crate::forecast::plan_view(
            &self.record(),
            clock.today(),
            self.view(clock).projected_end,
        )
    }

    // --- Decisions ------------------------------------------------------------------------

    /// The week's goal is proposed from the plan and saved the first time the week is looked
    /// at, so a later replan does not rewrite a goal the user already has.
    pub fn ensure_week_goal(&self, clock: &Clock) -> Vec<Change> {
        let today = clock.today();
        let week = iso_week(today);
        if self.goals.contains_key(&week) {
            return Vec::new();
        }
        let goal = self.record().proposed_goal(monday_of(today));
        vec![Change::SaveGoal {
            week,
            topics: goal.topics,
            target_minutes: goal.target_minutes,
        }]
    }

    /// Marks a session done, partly done, missed, or back to planned.
    pub fn mark_session(
        &self,
        id: i64,
        mark: SessionMark,
        clock: &Clock,
    ) -> Result<Vec<Change>, CoreError> {
        let mut changes = self.mark_only(id, mark, clock)?;
        // A session put back to planned that a busy calendar has since taken (a done session
        // stays on busy time; planned ones may not) finds room in its own week, or is behind.
        let mut next = self.clone();
        next.apply(&changes, clock);
        let s = next.session(id)?;
        if s.status == SessionStatus::Planned
            && !s.pinned
            && s.wall() >= clock.cutoff()
            && next.sits_on_busy(s, clock)
        {
            changes.extend(next.relocate(&[id], None, clock)?);
        }
        Ok(changes)
    }

    /// The days a session may be put on: from a year before the plan's start to the
    /// planner's horizon after today (or after the start, for a plan yet to begin: every
    /// session it was made with lies inside). A move (or one pulled from the phone) outside is refused:
    /// one to 9999-12-31 became the projected finish, one to chrono's last day broke the
    /// export.
    pub fn reach(&self, clock: &Clock) -> (NaiveDate, NaiveDate) {
        let first = self
            .settings
            .start
            .checked_sub_days(chrono::Days::new(366))
            .unwrap_or(self.settings.start);
        let from = clock.today().max(self.settings.start);
        let last = from
            .checked_add_months(chrono::Months::new(
                12 * crate::schedule::availability::HORIZON_YEARS,
            ))
            .unwrap_or(from);
        (first, last)
    }

    /// Whether session `s` overlaps a busy time of the learner's calendars.
    pub(crate) fn sits_on_busy(&self, s: &StoredSession, clock: &Clock) -> bool {
        let start = clock.instant(s.wall());
        let end = start + chrono::Duration::minutes(i64::from(s.minutes));
        let i = self.busy.partition_point(|b| b.end <= start);
        self.busy.get(i).is_some_and(|b| b.start < end)
    }

    fn mark_only(
        &self,
        id: i64,
        mark: SessionMark,
        clock: &Clock,
    ) -> Result<Vec<Change>, CoreError> {
        let s = self.session(id)?;
        if s.status == SessionStatus::Cancelled {
            return Err(CoreError::Refused(format!(
                "session {id} was cancelled by a replan; log the study time instead"
            )));
        }
        if s.kind == SessionKind::Review {
            return self.mark_review_session(s, mark, clock);
        }
        let (status, done_minutes) = match mark {
            SessionMark::Planned => (SessionStatus::Planned, 0),
            SessionMark::Done => (SessionStatus::Done, 0),
            SessionMark::Missed => (SessionStatus::Missed, 0),
            SessionMark::Partial { minutes } => {
                if minutes == 0 || minutes >= s.minutes {
                    return Err(CoreError::Refused(format!(
                        "a partly done session of {} minutes needs between 1 and {} minutes studied (got {minutes})",
                        s.minutes,
                        s.minutes - 1
                    )));
                }
                (SessionStatus::Partial, minutes)
            }
        };
        let today = clock.today();
        if status != SessionStatus::Planned && s.date > today {
            return Err(CoreError::Refused(format!(
                "session {id} is on {}, which has not come yet (today is {today})",
                s.date
            )));
        }
        Ok(vec![Change::SetSessionStatus {
            id,
            status,
            done_minutes,
        }])
    }

    /// A review session is checked off with a grade ([`SavedPlan::review`]), missed, or put
    /// back to planned (which takes its grade back and re-plans the topic's next review).
    fn mark_review_session(
        &self,
        s: &StoredSession,
        mark: SessionMark,
        clock: &Clock,
    ) -> Result<Vec<Change>, CoreError> {
        let id = s.id;
        let title = self.title(&s.topic);
        match mark {
            SessionMark::Done => Err(CoreError::Refused(format!(
                "a review is checked off with how well you remembered {title}: again, hard, good or easy (`roadmap review {} good`)",
                s.topic
            ))),
            SessionMark::Partial { .. } => Err(CoreError::Refused(format!(
                "a review is done or missed, not partly done (session {id})"
            ))),
            SessionMark::Missed if s.date > clock.today() => Err(CoreError::Refused(format!(
                "session {id} is on {}, which has not come yet (today is {})",
                s.date,
                clock.today()
            ))),
            SessionMark::Missed | SessionMark::Planned => {
                let status = if mark == SessionMark::Missed {
                    SessionStatus::Missed
                } else {
                    SessionStatus::Planned
                };
                let mut changes = vec![Change::SetSessionStatus {
                    id,
                    status,
                    done_minutes: 0,
                }];
                if s.status == SessionStatus::Done {
                    changes.push(Change::RemoveRecall { session: id });
                }
                self.next_review(changes, &s.topic, id, clock)
            }
        }
    }

    /// Records how well `topic` was remembered at a review on `date` (default today): the
    /// topic's review session that day, or the latest one before it still open, is checked
    /// off, and the topic's next review is planned from the grade.
    pub fn review(
        &self,
        topic: &str,
        recall: Recall,
        date: Option<NaiveDate>,
        clock: &Clock,
    ) -> Result<Vec<Change>, CoreError> {
        self.require_topic(topic)?;
        let title = self.title(topic);
        if self.roadmap.topic(topic).is_some_and(|t| !t.review) {
            return Err(CoreError::Refused(format!(
                "{title} is not reviewed: the roadmap leaves it out of spaced review"
            )));
        }
        let Some(done) = self.marks.get(topic).filter(|m| m.mark == TopicMark::Done) else {
            return Err(CoreError::Refused(format!(
                "{title} is not marked done yet; reviews begin once a topic is done"
            )));
        };
        let today = clock.today();
        let date = date.unwrap_or(today);
        if date > today {
            return Err(CoreError::Refused(format!(
                "{date} is in the future (today is {today}); rate a review once it is done"
            )));
        }
        if date < done.on {
            return Err(CoreError::Refused(format!(
                "{title} was marked done on {}, after {date}; a review comes after the topic is done",
                done.on
            )));
        }
        let session = self
            .live()
            .filter(|s| {
                s.kind == SessionKind::Review
                    && s.topic == topic
                    && s.date <= date
                    && matches!(s.status, SessionStatus::Planned | SessionStatus::Missed)
            })
            .max_by_key(|s| (s.date, s.wall(), s.id))
            .map(|s| s.id);
        let mut changes = vec![Change::AddRecall {
            id: self.next_recall_id,
            topic: topic.to_string(),
            date,
            recall,
            session,
        }];
        if let Some(id) = session {
            changes.push(Change::SetSessionStatus {
                id,
                status: SessionStatus::Done,
                done_minutes: 0,
            });
        }
        self.next_review(changes, topic, session.unwrap_or(0), clock)
    }

    /// `changes` to `topic`'s reviews (one rated, missed or reopened), then its next review
    /// planned again: the reviews projected for it ahead are cancelled and the next placed in
    /// the first room once it is due, every other session staying where it is.
    fn next_review(
        &self,
        mut changes: Vec<Change>,
        topic: &str,
        keep: i64,
        clock: &Clock,
    ) -> Result<Vec<Change>, CoreError> {
        let cutoff = clock.cutoff();
        changes.extend(
            self.sessions
                .iter()
                .filter(|s| {
                    s.topic == topic
                        && s.id != keep
                        && s.kind == SessionKind::Review
                        && s.status == SessionStatus::Planned
                        && !s.pinned
                        && s.wall() >= cutoff
                })
                .map(|s| Change::CancelSession { id: s.id }),
        );
        let mut next = self.clone();
        next.apply(&changes, clock);
        let (_, placed) = next.reschedule(ReplanPolicy::Extend, clock, Scope::ReviewOf(topic))?;
        changes.extend(placed);
        Ok(changes)
    }

    /// Each finished topic's next review, from its grades so far: topics marked done that
    /// the roadmap reviews, and that have no review placed by hand still ahead.
    pub fn dues(&self, from: WallTime) -> Vec<Due> {
        if self.settings.review_cap == 0 {
            return Vec::new();
        }
        let pinned_ahead: BTreeSet<&str> = self
            .live()
            .filter(|s| {
                s.kind == SessionKind::Review
                    && s.pinned
                    && s.status == SessionStatus::Planned
                    && s.wall() >= from
            })
            .map(|s| s.topic.as_str())
            .collect();
        self.marks
            .iter()
            .filter(|(t, m)| {
                m.mark == TopicMark::Done
                    && !pinned_ahead.contains(t.as_str())
                    && self.roadmap.topic(t).is_some_and(|t| t.review)
            })
            .map(|(t, m)| Due {
                topic: t.clone(),
                memory: recall::memory(
                    m.on,
                    self.recalls
                        .iter()
                        .filter(|r| &r.topic == t)
                        .map(|r| (r.date, r.recall)),
                ),
            })
            .collect()
    }

    /// The learner's busy calendars changed to `busy`: the sessions they now sit on find room in
    /// their own week or become behind; every other session stays where it is (sessions placed
    /// by hand, done or started stay even on busy time).
    pub fn busy_changed(
        &self,
        busy: Arc<Vec<BusyInterval>>,
        clock: &Clock,
    ) -> Result<Vec<Change>, CoreError> {
        let mut next = self.clone();
        next.busy = busy;
        // The footprint: the sessions the calendar now sits on, each of which finds room in
        // its own week or becomes behind. Sessions placed by hand, done or started stay.
        let cutoff = clock.cutoff();
        let displaced: Vec<i64> = next
            .live()
            .filter(|s| s.status == SessionStatus::Planned && !s.pinned && s.wall() >= cutoff)
            .filter(|s| {
                let start = clock.instant(s.wall());
                let end = start + chrono::Duration::minutes(i64::from(s.minutes));
                next.busy.iter().any(|b| b.start < end && start < b.end)
            })
            .map(|s| s.id)
            .collect();
        next.relocate(&displaced, None, clock)
    }

    /// Gives the week of `day` its own windows (`Some("")`: no study that week), or back the
    /// usual week's (`None`); the usual week is untouched. The week's sessions still to come
    /// that no longer sit in its windows find room in the week, or become behind; nothing
    /// outside the week moves, and sessions placed by hand or checked off stay. More time
    /// moves nothing by itself: a replan uses it when the learner asks.
    pub fn set_week(
        &self,
        day: NaiveDate,
        windows: Option<&str>,
        clock: &Clock,
    ) -> Result<Vec<Change>, CoreError> {
        let monday = monday_of(day);
        let sunday = monday + chrono::Duration::days(6);
        if sunday < clock.today() {
            return Err(CoreError::Refused(format!(
                "the week of {monday} is over; a week can be changed while it is under way or still to come"
            )));
        }
        if sunday < self.settings.start {
            return Err(CoreError::Refused(format!(
                "the week of {monday} is before the plan begins ({})",
                self.settings.start
            )));
        }
        let usual = self.weekly()?.usual.to_string();
        let windows = windows
            .map(|w| {
                Availability::parse_week(w)
                    .map(|a| a.to_string())
                    .map_err(|e| CoreError::InvalidSettings(format!("the week of {monday}: {e}")))
            })
            .transpose()?
            .filter(|w| *w != usual);
        if self.settings.weeks.get(&monday) == windows.as_ref() {
            return Ok(Vec::new());
        }
        let mut changes = vec![Change::SetWeek {
            monday,
            availability: windows,
        }];
        let mut next = self.clone();
        next.apply(&changes, clock);
        let weekly = next.weekly()?;
        let cutoff = clock.cutoff();
        let displaced: Vec<i64> = next
            .live()
            .filter(|s| s.status == SessionStatus::Planned && !s.pinned && s.wall() >= cutoff)
            .filter(|s| monday <= s.date && s.date <= sunday)
            .filter(|s| {
                let (start, end) = (s.wall().minute, s.end().minute);
                !weekly.on(s.date).any(|w| w.start <= start && end <= w.end)
            })
            .map(|s| s.id)
            .collect();
        if !displaced.is_empty() {
            changes.extend(next.relocate(&displaced, None, clock)?);
        }
        Ok(changes)
    }

    /// Places the work of the `displaced` sessions again, each in the free time of its own
    /// week (from now on), every other session staying where it is; what does not fit becomes
    /// "behind", for the next replan the learner asks for.
    /// `moved` is the topic of a session the learner moved, whose reviews are in the footprint
    /// too.
    fn relocate(
        &self,
        displaced: &[i64],
        moved: Option<&str>,
        clock: &Clock,
    ) -> Result<Vec<Change>, CoreError> {
        let mut by_week: BTreeMap<NaiveDate, BTreeSet<i64>> = BTreeMap::new();
        let mut topics: BTreeSet<String> = moved.map(str::to_string).into_iter().collect();
        for s in self.sessions.iter().filter(|s| displaced.contains(&s.id)) {
            by_week.entry(monday_of(s.date)).or_default().insert(s.id);
            topics.insert(s.topic.clone());
        }
        let mut next = self.clone();
        let mut changes = Vec::new();
        for (monday, ids) in &by_week {
            let from = WallTime {
                date: *monday,
                minute: 0,
            };
            let until = *monday + chrono::Duration::days(6);
            let scope = Scope::Relocate { ids, from, until };
            let (_, placed) = next.reschedule(ReplanPolicy::Extend, clock, scope)?;
            next.apply(&placed, clock);
            changes.extend(placed);
        }
        // A review projected for a topic still being studied comes after some of its study;
        // one that no longer does (its study moved past it, or became behind) is cancelled,
        // to be projected again by the next replan or when the topic is done.
        let cutoff = clock.cutoff();
        changes.extend(
            next.sessions
                .iter()
                .filter(|r| {
                    r.kind == SessionKind::Review
                        && topics.contains(&r.topic)
                        && r.status == SessionStatus::Planned
                        && !r.pinned
                        && r.wall() >= cutoff
                        && !next
                            .marks
                            .get(&r.topic)
                            .is_some_and(|m| m.mark == TopicMark::Done)
                        && !next
                            .live()
                            .any(|o| o.is_study() && o.topic == r.topic && o.date < r.date)
                })
                .map(|r| Change::CancelSession { id: r.id }),
        );
        Ok(changes)
    }

    /// The sessions whose place `changes` would change, as a preview lists them.
    pub fn changes_of(&self, changes: &[Change], clock: &Clock) -> Vec<SessionChange> {
        let mut after = self.clone();
        after.apply(changes, clock);
        session_changes(&self.sessions, &after.sessions)
    }

    /// The busy stretch that `[start, end)` minutes of `date` would overlap, if any.
    fn busy_at(&self, date: NaiveDate, start: u32, end: u32) -> Option<(u32, u32)> {
        let from = self.clock_instant(date, start);
        let until = self.clock_instant(date, end);
        self.busy
            .iter()
            .find(|b| b.start < until && from < b.end)
            .map(|b| {
                let local = |t: chrono::DateTime<chrono::Utc>| {
                    let l = t.with_timezone(&self.zone).naive_local();
                    if l.date() < date {
                        0
                    } else if l.date() > date {
                        24 * 60
                    } else {
                        use chrono::Timelike;
                        l.hour() * 60 + l.minute()
                    }
                };
                (local(b.start), local(b.end))
            })
    }

    /// The instant `minute` minutes after `date`'s midnight (24:00 is the next midnight), in
    /// the plan's zone; a date beyond chrono's range reads as the epoch, which no busy time
    /// reaches.
    fn clock_instant(&self, date: NaiveDate, minute: u32) -> chrono::DateTime<chrono::Utc> {
        let (date, minute) = match (minute >= 24 * 60, date.succ_opt()) {
            (true, Some(next)) => (next, minute - 24 * 60),
            _ => (date, minute.min(24 * 60 - 1)),
        };
        crate::calendar::to_utc(self.zone, date, minute).unwrap_or_default()
    }

    /// The review minutes each week may hold.
    pub fn review_cap_minutes(&self) -> u32 {
        let weekly = self
            .settings
            .availability
            .as_deref()
            .and_then(|a| Availability::parse(a).ok())
            .map_or(0, |a| a.weekly_minutes());
        recall::cap_minutes(weekly, self.settings.review_cap)
    }

    /// Minutes of live review sessions in the week of `monday`, leaving out session `except`.
    fn review_minutes_in(&self, monday: NaiveDate, except: i64) -> u32 {
        self.live()
            .filter(|s| {
                s.kind == SessionKind::Review && s.id != except && monday_of(s.date) == monday
            })
            .map(|s| s.minutes)
            .sum()
    }

    /// Moves a session by hand to `date` at `start` (`HH:MM`): it is pinned there, and the
    /// sessions it now sits on find room in their own week (its old slot is free) or become
    /// behind; every other session stays where it is.
    pub fn move_session(
        &self,
        id: i64,
        date: NaiveDate,
        start: &str,
        clock: &Clock,
    ) -> Result<Vec<Change>, CoreError> {
        let s = self.session(id)?;
        // Said as the learner knows the session (its topic and time), never by its number,
        // and without guessing why it went (a replan, a topic finished, a busy calendar).
        let named = || {
            format!(
                "the {} session of {} on {}",
                s.start,
                self.title(&s.topic),
                s.date.format("%a %-d %b %Y")
            )
        };
        match s.status {
            SessionStatus::Planned => {}
            SessionStatus::Cancelled => {
                return Err(CoreError::Refused(format!(
                    "{} is no longer in the plan, so it cannot be moved",
                    named()
                )));
            }
            other => {
                return Err(CoreError::Refused(format!(
                    "{} is already marked {}; undo that first",
                    named(),
                    other.as_str()
                )));
            }
        }
        if clock.has_come(s.wall()) {
            return Err(CoreError::Refused(format!(
                "{} has begun; sessions that have begun stay where they were",
                named()
            )));
        }
        let (first, last) = self.reach(clock);
        if date < first || date > last {
            return Err(CoreError::Refused(format!(
                "{date} is outside the plan's reach ({first} to {last}); choose a day in it"
            )));
        }
        let minute = parse_hhmm(start)?;
        if minute + s.minutes > 24 * 60 {
            return Err(CoreError::Refused(format!(
                "a {}-minute session starting at {start} would run past midnight",
                s.minutes
            )));
        }
        let to = WallTime { date, minute };
        let local = date.and_hms_opt(minute / 60, minute % 60, 0);
        if local.is_some_and(|l| self.zone.from_local_datetime(&l).earliest().is_none()) {
            return Err(CoreError::Refused(format!(
                "{date} {start} does not exist in {} (the clocks skip it); choose another time",
                self.zone
            )));
        }
        if clock.instant(to) < clock.now {
            let now = clock.local();
            return Err(CoreError::Refused(format!(
                "{date} {start} is in the past (it is now {} {}); move the session to a later time",
                now.date,
                hhmm(now.minute)
            )));
        }
        if let Some(b) = self.blackout_on(date) {
            return Err(CoreError::Refused(format!(
                "{date} is blocked out ({}); choose another day or change the blocked-out periods",
                if b.first == b.last {
                    b.first.to_string()
                } else {
                    format!("{} to {}", b.first, b.last)
                }
            )));
        }
        if s.kind == SessionKind::Review {
            let used = self.review_minutes_in(monday_of(date), id);
            let cap = self.review_cap_minutes();
            if used + s.minutes > cap {
                return Err(CoreError::Refused(format!(
                    "the week of {} already has {used} minutes of review, and review may take {cap} minutes a week ({} % of your hours); choose another week",
                    monday_of(date),
                    self.settings.review_cap
                )));
            }
        }
        let end = minute + s.minutes;
        if let Some((b_start, b_end)) = self.busy_at(date, minute, end) {
            return Err(CoreError::Refused(format!(
                "{date} {start}–{} overlaps a busy time in your calendar ({}–{}); choose a free time",
                hhmm(end),
                hhmm(b_start),
                hhmm(b_end)
            )));
        }
        let cutoff = clock.cutoff();
        for other in self.live().filter(|o| o.id != id && o.date == date) {
            let (o_start, o_end) = (other.wall().minute, other.end().minute);
            if o_start >= end || o_end <= minute {
                continue;
            }
            // A session that may move is no obstacle: it finds room elsewhere in its week.
            let stays =
                other.status != SessionStatus::Planned || other.pinned || other.wall() < cutoff;
            if stays {
                let why = match other.status {
                    SessionStatus::Planned if other.pinned => "a session you placed by hand",
                    SessionStatus::Planned => "a session that has started",
                    SessionStatus::Done => "a session marked done",
                    SessionStatus::Partial => "a session marked partly done",
                    SessionStatus::Missed => "a session marked missed",
                    SessionStatus::Cancelled => "a cancelled session",
                };
                return Err(CoreError::Refused(format!(
                    "{date} {start}–{} overlaps {why} ({}, {}–{}); choose a free time",
                    hhmm(end),
                    self.title(&other.topic),
                    other.start,
                    hhmm(o_end)
                )));
            }
        }
        let mut changes = vec![Change::PinSession {
            id,
            date,
            start: hhmm(minute),
        }];
        if s.kind == SessionKind::Review {
            // A review placed by hand stands for its topic's next one: the reviews projected
            // for the topic after it go (they are projected again from its grade).
            changes.extend(
                self.live()
                    .filter(|r| {
                        r.id != id
                            && r.kind == SessionKind::Review
                            && r.topic == s.topic
                            && r.status == SessionStatus::Planned
                            && !r.pinned
                            && r.wall() >= cutoff
                    })
                    .map(|r| Change::CancelSession { id: r.id }),
            );
        }
        // The footprint: the session moved, and the ones it now sits on, each of which finds
        // room in its own week (the moved session's old slot is free now) or becomes behind.
        let displaced: Vec<i64> = self
            .live()
            .filter(|o| {
                o.id != id
                    && o.date == date
                    && o.status == SessionStatus::Planned
                    && !o.pinned
                    && o.wall() >= cutoff
                    && o.wall().minute < end
                    && o.end().minute > minute
            })
            .map(|o| o.id)
            .collect();
        let mut moved = self.clone();
        moved.apply(&changes, clock);
        let placed = moved.relocate(&displaced, Some(&s.topic), clock)?;
        moved.apply(&placed, clock);
        changes.extend(placed);
        let others = session_changes(&self.sessions, &moved.sessions)
            .iter()
            .filter(|c| c.id != id)
            .count();
        if others > CALM_LIMIT {
            return Err(CoreError::Refused(format!(
                "moving this session to {date} {start} would move {others} other sessions (at most {CALM_LIMIT} move with one session); choose a freer time, or move it and replan"
            )));
        }
        Ok(changes)
    }

    /// Records `minutes` of study on `topic` on `date` (default today), not in the future.
    pub fn log_study(
        &self,
        topic: &str,
        date: Option<NaiveDate>,
        minutes: i64,
        clock: &Clock,
    ) -> Result<Vec<Change>, CoreError> {
        let (date, minutes) = self.check_log(topic, date, minutes, clock)?;
        Ok(vec![Change::AddLog {
            id: self.next_log_id,
            topic: topic.to_string(),
            date,
            minutes,
        }])
    }

    /// Corrects logged entry `id`: its topic, day and minutes become these, under the rules a
    /// new entry follows. Its footprint is the entry alone: no session moves.
    pub fn edit_log(
        &self,
        id: i64,
        topic: &str,
        date: NaiveDate,
        minutes: i64,
        clock: &Clock,
    ) -> Result<Vec<Change>, CoreError> {
        self.require_log(id)?;
        let (date, minutes) = self.check_log(topic, Some(date), minutes, clock)?;
        Ok(vec![Change::EditLog {
            id,
            topic: topic.to_string(),
            date,
            minutes,
        }])
    }

    /// Takes logged entry `id` back. Its footprint is the entry alone: no session moves.
    pub fn delete_log(&self, id: i64) -> Result<Vec<Change>, CoreError> {
        self.require_log(id)?;
        Ok(vec![Change::RemoveLog { id }])
    }

    fn require_log(&self, id: i64) -> Result<&StoredLog, CoreError> {
        self.logs.iter().find(|l| l.id == id).ok_or_else(|| {
            CoreError::NotFound(format!(
                "there is no logged study numbered {id} (`roadmap logs` lists them)"
            ))
        })
    }

    /// The rules for a logged entry: a topic of the plan, 1 to 1,440 minutes, a day from the
    /// plan's first to today.
    fn check_log(
        &self,
        topic: &str,
        date: Option<NaiveDate>,
        minutes: i64,
        clock: &Clock,
    ) -> Result<(NaiveDate, u32), CoreError> {
        self.require_topic(topic)?;
        let minutes = u32::try_from(minutes)
            .ok()
            .filter(|m| (1..=MAX_LOG_MINUTES as u32).contains(m))
            .ok_or_else(|| {
                CoreError::Refused(format!(
                    "minutes must be between 1 and {MAX_LOG_MINUTES} (got {minutes})"
                ))
            })?;
        let today = clock.today();
        let date = date.unwrap_or(today);
        if date > today {
            return Err(CoreError::Refused(format!(
                "{date} is in the future (today is {today}); log study once it is done"
            )));
        }
        // Every view counts from the plan's first day: study logged before it would be shown
        // nowhere.
        if date < self.settings.start {
            return Err(CoreError::Refused(format!(
                "{date} is before the plan began ({}); log study from that day on",
                self.settings.start
            )));
        }
        Ok((date, minutes))
    }

    /// Marks `topic` done or skipped (`None` clears the mark). The footprint is the topic's
    /// own: its sessions still to come are cancelled (a topic done gets its first review in
    /// the time left free, within the week's review cap), and every other session stays where
    /// it is — the time freed stays free until the learner asks for a replan. Clearing the mark
    /// gives the topic its work back as "behind", placed by the next replan.
    pub fn mark_topic(
        &self,
        topic: &str,
        mark: Option<TopicMark>,
        clock: &Clock,
    ) -> Result<Vec<Change>, CoreError> {
        self.require_topic(topic)?;
        let mut changes = vec![Change::SetTopicMark {
            topic: topic.to_string(),
            mark,
        }];
        // Its sessions still to come: study when the topic is finished, and the reviews
        // projected for it (a review is planned again from the day it was marked done, or not
        // at all once the mark is cleared or the topic skipped).
        let cutoff = clock.cutoff();
        changes.extend(
            self.sessions
                .iter()
                .filter(|s| {
                    s.topic == topic
                        && s.status == SessionStatus::Planned
                        && !s.pinned
                        && s.wall() >= cutoff
                        && (mark.is_some() || s.kind == SessionKind::Review)
                })
                .map(|s| Change::CancelSession { id: s.id }),
        );
        if mark == Some(TopicMark::Done) {
            let mut marked = self.clone();
            marked.apply(&changes, clock);
            let (_, review) =
                marked.reschedule(ReplanPolicy::Extend, clock, Scope::ReviewOf(topic))?;
            changes.extend(review);
        }
        Ok(changes)
    }

    /// Replaces the goal of the current week.
    pub fn edit_goal(
        &self,
        topics: &[String],
        target_minutes: u32,
        clock: &Clock,
    ) -> Result<Vec<Change>, CoreError> {
        self.edit_goal_of(clock.today(), Some(topics), target_minutes, clock)
    }

    /// Edits the goal of the week `day` falls in (this one or a lived one of the plan, while it
    /// is open: a closed week is reopened first). `topics: None` keeps the week's topics. Its
    /// footprint is the week's record alone.
    pub fn edit_goal_of(
        &self,
        day: NaiveDate,
        topics: Option<&[String]>,
        target_minutes: u32,
        clock: &Clock,
    ) -> Result<Vec<Change>, CoreError> {
        let week = self.past_or_current_week(day, clock)?;
        let kept;
        let topics = match topics {
            Some(t) => t,
            None => {
                kept = self
                    .goals
                    .get(&week)
                    .map(|g| g.topics.clone())
                    .unwrap_or_default();
                &kept
            }
        };
        for t in topics {
            self.require_topic(t)?;
        }
        if !(1..=MAX_GOAL_MINUTES).contains(&target_minutes) {
            return Err(CoreError::Refused(format!(
                "a week's goal needs between 1 minute and {} hours of study (got {target_minutes} minutes)",
                MAX_GOAL_MINUTES / 60
            )));
        }
        if self.goals.get(&week).is_some_and(|g| g.review.is_some()) {
            return Err(CoreError::Refused(format!(
                "the week of {} is closed; reopen it to change its goal",
                monday_of(day)
            )));
        }
        let mut unique: Vec<String> = Vec::new();
        for t in topics {
            if !unique.contains(t) {
                unique.push(t.clone());
            }
        }
        Ok(vec![Change::SaveGoal {
            week,
            topics: unique,
            target_minutes,
        }])
    }

    /// Closes the current week with the user's review.
    pub fn close_week(&self, review: &WeekReview, clock: &Clock) -> Result<Vec<Change>, CoreError> {
        self.close_week_of(clock.today(), review, clock)
    }

    /// Closes the week `day` falls in with `review`, or closes it again with a corrected one:
    /// a week from the plan's first to this one (last week can still be closed all of this
    /// week). A week never looked at gets its proposed goal first. Its footprint is the week's
    /// goal record alone.
    pub fn close_week_of(
        &self,
        day: NaiveDate,
        review: &WeekReview,
        clock: &Clock,
    ) -> Result<Vec<Change>, CoreError> {
        if review.note.chars().count() > MAX_NOTE_CHARS {
            return Err(CoreError::Refused(format!(
                "the review note is longer than {MAX_NOTE_CHARS} characters"
            )));
        }
        let week = self.past_or_current_week(day, clock)?;
        let mut changes = if week == iso_week(clock.today()) {
            self.ensure_week_goal(clock)
        } else if self.goals.contains_key(&week) {
            Vec::new()
        } else {
            let goal = self.record().proposed_goal(monday_of(day));
            vec![Change::SaveGoal {
                week: week.clone(),
                topics: goal.topics,
                target_minutes: goal.target_minutes,
            }]
        };
        changes.push(Change::CloseWeek {
            week,
            review: review.clone(),
        });
        Ok(changes)
    }

    /// Opens the closed week `day` falls in again: its review is taken back, to be written
    /// anew. Its footprint is the week's goal record alone.
    pub fn reopen_week(&self, day: NaiveDate, clock: &Clock) -> Result<Vec<Change>, CoreError> {
        let week = self.past_or_current_week(day, clock)?;
        if self.goals.get(&week).is_none_or(|g| g.review.is_none()) {
            return Err(CoreError::Refused(format!(
                "the week of {} is not closed, so there is nothing to reopen",
                monday_of(day)
            )));
        }
        Ok(vec![Change::ReopenWeek { week }])
    }

    /// The ISO week of `day` when it is this week (always open to a goal and a review, as it
    /// was before weeks could be corrected) or an earlier week of the plan.
    fn past_or_current_week(&self, day: NaiveDate, clock: &Clock) -> Result<String, CoreError> {
        let monday = monday_of(day);
        if monday == monday_of(clock.today()) {
            return Ok(iso_week(day));
        }
        if monday > monday_of(clock.today()) {
            return Err(CoreError::Refused(format!(
                "the week of {monday} has not begun; a week is closed once it is lived"
            )));
        }
        if monday < monday_of(self.settings.start) {
            return Err(CoreError::Refused(format!(
                "the week of {monday} is before the plan began ({})",
                self.settings.start
            )));
        }
        Ok(iso_week(day))
    }

    /// What a replan under `policy` would do from now, and the changes that make it so.
    pub fn replan(
        &self,
        policy: ReplanPolicy,
        clock: &Clock,
    ) -> Result<(ReplanPreview, Vec<Change>), CoreError> {
        let (preview, mut changes) = self.reschedule(policy, clock, Scope::Replan)?;
        // Extend pushes the finish as far as needed, never earlier: that is Pull forward's,
        // which the learner asks for by name.
        if policy == ReplanPolicy::Extend
            && let (Some(before), Some(after)) =
                (preview.projected_end_before, preview.projected_end)
            && after < before
        {
            return Err(CoreError::Refused(format!(
                "nothing needs pushing: the plan finishes on {before} as it stands, and a replan would bring that to {after}; to finish earlier, pull the plan forward"
            )));
        }
        // Keep the target never finishes later than the finish the learner accepted (or the
        // target, if that is later): when the cap cannot do it, it says so and changes nothing.
        if let ReplanPolicy::Compress { cap_hours_per_week } = policy {
            let reference = match (preview.projected_end_before, preview.target_end) {
                (Some(before), Some(end)) => end.pred_opt().map(|last| before.max(last)),
                (before, end) => before.or(end),
            };
            match (reference, preview.projected_end) {
                (Some(reference), Some(after)) if after <= reference => {}
                (None, _) => {}
                (Some(reference), after) => {
                    return Err(CoreError::Refused(format!(
                        "even at {cap_hours_per_week} hours a week the plan would finish on {}, after {reference}; nothing was changed: raise the cap, or push the finish date",
                        after.map_or("no date".to_string(), |d| d.to_string())
                    )));
                }
            }
        }
        if policy == ReplanPolicy::PullForward {
            match (preview.projected_end_before, preview.projected_end) {
                (Some(before), Some(after)) if after < before => {}
                (before, after) => {
                    let day =
                        |d: Option<NaiveDate>| d.map_or("no date".to_string(), |d| d.to_string());
                    return Err(CoreError::Refused(format!(
                        "you are not ahead: pulling the plan forward would finish on {}, not before {}; nothing to pull forward",
                        day(after),
                        day(before)
                    )));
                }
            }
        }
        let undo = self.replan_record(policy, &changes, clock);
        changes.push(Change::RememberReplan {
            undo: Some(Box::new(undo)),
        });
        Ok((preview, changes))
    }

    /// The work `topic` still needs placed in the time left free from `from` (and now) on,
    /// every other session staying where it is.
    pub(crate) fn place_topic(
        &self,
        topic: &str,
        from: WallTime,
        clock: &Clock,
    ) -> Result<Vec<Change>, CoreError> {
        Ok(self
            .reschedule(ReplanPolicy::Extend, clock, Scope::Topic { topic, from })?
            .1)
    }

    /// Everything left planned again from now, as a replan does, without the replan's own
    /// refusals and record: what a track switch does on the new track's roadmap.
    pub(crate) fn reschedule_all(
        &self,
        policy: ReplanPolicy,
        clock: &Clock,
    ) -> Result<(ReplanPreview, Vec<Change>), CoreError> {
        self.reschedule(policy, clock, Scope::Replan)
    }

    fn reschedule(
        &self,
        policy: ReplanPolicy,
        clock: &Clock,
        scope: Scope<'_>,
    ) -> Result<(ReplanPreview, Vec<Change>), CoreError> {
        let finished: BTreeSet<String> = self.marks.keys().cloned().collect();
        let mut logged = BTreeMap::new();
        for l in &self.logs {
            *logged.entry(l.topic.clone()).or_insert(0) += l.minutes;
        }
        let nothing = BTreeSet::new();
        let (from, only, until) = match scope {
            Scope::Relocate { ids, from, until } => {
                (from.max(clock.cutoff()), Some(ids), Some(until))
            }
            Scope::ReviewOf(_) => (clock.cutoff(), Some(&nothing), None),
            Scope::Topic { from, .. } => (from.max(clock.cutoff()), Some(&nothing), None),
            Scope::Replan => (clock.cutoff(), None, None),
        };
        let pace = match policy {
            ReplanPolicy::UsePace => Some(
                crate::forecast::topic_factors(&self.record(), clock.today()).ok_or_else(|| {
                    CoreError::Refused(
                        "there is no pace of yours to use yet: it is learned from topics you finished with their study in the app (sessions checked off, or study logged); nothing was changed"
                            .into(),
                    )
                })?,
            ),
            _ => None,
        };
        let r = replan::replan(&ReplanInput {
            roadmap: &self.roadmap,
            settings: &self.settings,
            from,
            sessions: &self.sessions,
            finished: &finished,
            logged: &logged,
            policy,
            adapt_only: false,
            restore: match scope {
                Scope::Topic { topic, .. } => Some(topic),
                _ => None,
            },
            only,
            until,
            pace: pace.as_ref(),
            recall: &match scope {
                Scope::ReviewOf(topic) => {
                    let mut dues = self.dues(from);
                    dues.retain(|d| d.topic == topic);
                    dues
                }
                Scope::Relocate { ids, .. } => {
                    // The displaced reviews' topics: each gets its next review again.
                    let topics: BTreeSet<&str> = self
                        .sessions
                        .iter()
                        .filter(|s| ids.contains(&s.id) && s.kind == SessionKind::Review)
                        .map(|s| s.topic.as_str())
                        .collect();
                    let mut dues = self.dues(from);
                    dues.retain(|d| topics.contains(d.topic.as_str()));
                    dues
                }
                Scope::Topic { .. } => Vec::new(),
                Scope::Replan => self.dues(from),
            },
            calendar: &busy::planning_stretches(&self.busy, self.zone, from.date),
        })?;
        let weekly = |a: Option<&str>| -> Result<f64, CoreError> {
            let minutes = match a {
                Some(a) => Availability::parse(a)?.weekly_minutes(),
                None => 0,
            };
            Ok(f64::from(minutes) / 60.0)
        };
        let preview = ReplanPreview {
            policy,
            from: from.date.max(self.settings.start),
            projected_end_before: self.record().projected_end(),
            projected_end: r.projected_end,
            target_end: r.target_end,
            on_track: r.on_track,
            hours_per_week_before: weekly(self.settings.availability.as_deref())?,
            hours_per_week: weekly(r.settings.availability.as_deref())?,
            availability: r.settings.availability.clone().unwrap_or_default(),
            moved: r.moved,
            added: r.added,
            cancelled: r.cancelled,
            dropped: r.dropped.clone(),
            unscheduled_minutes: r.plan.unscheduled.iter().map(|u| u.minutes).sum(),
            changes: Vec::new(),
        };
        let mut next_id = self.next_session_id;
        let (kept, r_changes) = self.unchurned(
            r.changes,
            |c| match c {
                replan::Change::Cancel { id } => Some(*id),
                _ => None,
            },
            |c| match c {
                replan::Change::Add(s) => Some(s),
                _ => None,
            },
        );
        let preview = ReplanPreview {
            added: preview.added - kept,
            cancelled: preview.cancelled - kept,
            ..preview
        };
        let mut changes: Vec<Change> = r_changes
            .into_iter()
            .map(|c| match c {
                replan::Change::Update {
                    id,
                    date,
                    start,
                    minutes,
                } => Change::MoveSession {
                    id,
                    date,
                    start,
                    minutes,
                },
                replan::Change::Cancel { id } => Change::CancelSession { id },
                replan::Change::Add(session) => {
                    let id = next_id;
                    next_id += 1;
                    Change::AddSession { id, session }
                }
            })
            .collect();
        changes.push(Change::Revise {
            availability: r.settings.availability.unwrap_or_default(),
            include_optional: r.settings.include_optional,
            pace: r.settings.pace,
        });
        let mut after = self.clone();
        after.apply(&changes, clock);
        let preview = ReplanPreview {
            changes: session_changes(&self.sessions, &after.sessions),
            ..preview
        };
        Ok((preview, changes))
    }

    /// `changes` without the pairs that cancel a session and add one just like it (same topic,
    /// kind, day, start and length): the session stays as it is, with its id, so no calendar
    /// sees it go and come back. `cancel` and `add` read a change as a cancelled id or a new
    /// session (the replan's changes and the plan's have each their own type).
    /// Returns how many sessions were kept so, and the changes left.
    pub(crate) fn unchurned<C>(
        &self,
        changes: Vec<C>,
        cancel: impl Fn(&C) -> Option<i64>,
        add: impl Fn(&C) -> Option<&Session>,
    ) -> (u32, Vec<C>) {
        let place =
            |s: &StoredSession| (s.topic.clone(), s.kind, s.date, s.start.clone(), s.minutes);
        let mut cancelled: BTreeMap<_, Vec<i64>> = BTreeMap::new();
        for c in &changes {
            if let Some(id) = cancel(c)
                && let Ok(s) = self.session(id)
                && s.status == SessionStatus::Planned
                && !s.pinned
            {
                cancelled.entry(place(s)).or_default().push(id);
            }
        }
        if cancelled.is_empty() {
            return (0, changes);
        }
        let mut kept: BTreeSet<i64> = BTreeSet::new();
        let mut out: Vec<C> = changes
            .into_iter()
            .filter(|c| {
                let Some(s) = add(c) else {
                    return true;
                };
                let key = (s.topic.clone(), s.kind, s.date, s.start.clone(), s.minutes);
                match cancelled.get_mut(&key).and_then(Vec::pop) {
                    Some(id) => {
                        kept.insert(id);
                        false
                    }
                    None => true,
                }
            })
            .collect();
        out.retain(|c| cancel(c).is_none_or(|id| !kept.contains(&id)));
        (kept.len() as u32, out)
    }

    /// The record of `changes`, a replan of this plan under `policy` at `clock`: what
    /// [`SavedPlan::undo_replan`] takes back.
    fn replan_record(&self, policy: ReplanPolicy, changes: &[Change], clock: &Clock) -> ReplanUndo {
        let before = self;
        let mut undo = ReplanUndo {
            policy,
            at: clock.stamp(),
            added: Vec::new(),
            placed: Vec::new(),
            moved_from: Vec::new(),
            cancelled: Vec::new(),
            availability: before.settings.availability.clone(),
            include_optional: before.settings.include_optional,
            pace: before.settings.pace.clone(),
            marks: before
                .marks
                .iter()
                .map(|(t, m)| (t.clone(), m.mark))
                .collect(),
        };
        for c in changes {
            match c {
                Change::AddSession { id, session } => {
                    undo.added.push(*id);
                    undo.placed.push(Place {
                        id: *id,
                        date: session.date,
                        start: session.start.clone(),
                        minutes: session.minutes,
                    });
                }
                Change::MoveSession {
                    id,
                    date,
                    start,
                    minutes,
                } => {
                    let place = Place {
                        id: *id,
                        date: *date,
                        start: start.clone(),
                        minutes: *minutes,
                    };
                    match undo.placed.iter_mut().find(|p| p.id == *id) {
                        Some(p) => *p = place,
                        None => {
                            if let Ok(s) = before.session(*id) {
                                undo.moved_from.push(Place::of(s));
                            }
                            undo.placed.push(place);
                        }
                    }
                }
                Change::CancelSession { id } => undo.cancelled.push(*id),
                _ => {}
            }
        }
        undo
    }

    /// Applies `changes`, in order, as the store writes them.
    pub fn apply(&mut self, changes: &[Change], clock: &Clock) {
        let mut resort = false;
        // Where each session is, for changes by id (a re-pack moves thousands; positions hold
        // until the sort at the end, and new sessions go last).
        let mut at: HashMap<i64, usize> = if changes.len() > 8 {
            self.sessions
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id, i))
                .collect()
        } else {
            HashMap::new()
        };
        for c in changes {
            match c {
                Change::AddSession { id, session } => {
                    if !at.is_empty() {
                        at.insert(*id, self.sessions.len());
                    }
                    self.sessions.push(StoredSession::planned(*id, session));
                    self.next_session_id = self.next_session_id.max(id + 1);
                    resort = true;
                }
                Change::MoveSession {
                    id,
                    date,
                    start,
                    minutes,
                } => {
                    if let Some(s) = session_at(&mut self.sessions, &at, *id) {
                        s.date = *date;
                        s.start = start.clone();
                        s.minutes = *minutes;
                        s.revision += 1;
                    }
                    resort = true;
                }
                Change::PinSession { id, date, start } => {
                    if let Some(s) = session_at(&mut self.sessions, &at, *id) {
                        s.date = *date;
                        s.start = start.clone();
                        s.pinned = true;
                        s.revision += 1;
                    }
                    resort = true;
                }
                Change::SetSessionStatus {
                    id,
                    status,
                    done_minutes,
                } => {
                    if let Some(s) = session_at(&mut self.sessions, &at, *id) {
                        s.status = *status;
                        s.done_minutes = *done_minutes;
                    }
                }
                Change::CancelSession { id } => {
                    if let Some(s) = session_at(&mut self.sessions, &at, *id) {
                        s.status = SessionStatus::Cancelled;
                        s.revision += 1;
                    }
                }
                Change::RestoreSession { id } => {
                    if let Some(s) = session_at(&mut self.sessions, &at, *id) {
                        s.status = SessionStatus::Planned;
                        s.done_minutes = 0;
                        s.revision += 1;
                    }
                }
                Change::RememberReplan { undo } => self.last_replan = undo.clone(),
                Change::SetChosen { chosen } => {
                    // The options were checked when the change was made; a roadmap that no
                    // longer offers one keeps the plan's roadmap as it is.
                    if let Ok(r) = self.roadmap.for_plan(chosen, &self.settings.edits) {
                        self.roadmap = Arc::new(r);
                    }
                    self.settings.chosen = chosen.clone();
                }
                Change::SetEdits { edits } => {
                    // Checked when the change was made, as above.
                    if let Ok(r) = self.roadmap.for_plan(&self.settings.chosen, edits) {
                        self.roadmap = Arc::new(r);
                    }
                    self.settings.edits = edits.clone();
                }
                Change::SetWeek {
                    monday,
                    availability,
                } => match availability {
                    Some(a) => {
                        self.settings.weeks.insert(*monday, a.clone());
                    }
                    None => {
                        self.settings.weeks.remove(monday);
                    }
                },
                Change::AddLog {
                    id,
                    topic,
                    date,
                    minutes,
                } => {
                    self.logs.push(StoredLog {
                        id: *id,
                        topic: topic.clone(),
                        date: *date,
                        minutes: *minutes,
                    });
                    self.logs.sort_by_key(|l| (l.date, l.id));
                    self.next_log_id = self.next_log_id.max(id + 1);
                }
                Change::EditLog {
                    id,
                    topic,
                    date,
                    minutes,
                } => {
                    if let Some(l) = self.logs.iter_mut().find(|l| l.id == *id) {
                        l.topic = topic.clone();
                        l.date = *date;
                        l.minutes = *minutes;
                    }
                    self.logs.sort_by_key(|l| (l.date, l.id));
                }
                Change::RemoveLog { id } => self.logs.retain(|l| l.id != *id),
                Change::SetTopicMark { topic, mark } => match mark {
                    Some(mark) => {
                        self.marks.insert(
                            topic.clone(),
                            MarkRecord {
                                mark: *mark,
                                on: clock.today(),
                            },
                        );
                    }
                    None => {
                        self.marks.remove(topic);
                    }
                },
                Change::SaveGoal {
                    week,
                    topics,
                    target_minutes,
                } => {
                    let review = self.goals.get(week).and_then(|g| g.review.clone());
                    self.goals.insert(
                        week.clone(),
                        StoredGoal {
                            topics: topics.clone(),
                            target_minutes: *target_minutes,
                            review,
                        },
                    );
                }
                Change::CloseWeek { week, review } => {
                    if let Some(g) = self.goals.get_mut(week) {
                        g.review = Some(review.clone());
                    }
                }
                Change::ReopenWeek { week } => {
                    if let Some(g) = self.goals.get_mut(week) {
                        g.review = None;
                    }
                }
                Change::AddRecall {
                    id,
                    topic,
                    date,
                    recall,
                    session,
                } => {
                    self.recalls.push(StoredRecall {
                        id: *id,
                        topic: topic.clone(),
                        date: *date,
                        recall: *recall,
                        session: *session,
                    });
                    self.recalls.sort_by_key(|r| (r.date, r.id));
                    self.next_recall_id = self.next_recall_id.max(id + 1);
                }
                Change::RemoveRecall { session } => {
                    self.recalls.retain(|r| r.session != Some(*session));
                }
                Change::Revise {
                    availability,
                    include_optional,
                    pace,
                } => {
                    self.settings.availability = Some(availability.clone());
                    self.settings.include_optional = *include_optional;
                    self.settings.pace = pace.clone();
                    self.meta.revised_at = clock.stamp();
                }
            }
        }
        if resort {
            self.sessions
                .sort_by(|a, b| (a.date, &a.start, a.id).cmp(&(b.date, &b.start, b.id)));
        }
    }

    /// The rules that hold in every state, whatever happened before: an empty list when all
    /// hold, otherwise one sentence per broken rule. The property tests call it after every
    /// step; the store could, too, at the cost of a scan.
    pub fn violations(&self) -> Vec<String> {
        let mut found = Vec::new();
        let mut by_day: BTreeMap<NaiveDate, Vec<&StoredSession>> = BTreeMap::new();
        for s in self.live() {
            by_day.entry(s.date).or_default().push(s);
            if s.start_minute().is_err() {
                found.push(format!("session {} starts at {:?}", s.id, s.start));
            }
            if s.end().minute > 24 * 60 {
                found.push(format!("session {} runs past midnight", s.id));
            }
            if s.status == SessionStatus::Partial && s.done_minutes >= s.minutes {
                found.push(format!("session {} is partly done in full", s.id));
            }
            if s.status == SessionStatus::Done
                && s.done_minutes != 0
                && (s.done_minutes <= s.minutes
                    || i64::from(s.done_minutes) > i64::from(s.minutes) + MAX_LOG_MINUTES)
            {
                found.push(format!(
                    "session {} is done with {} of {} minutes recorded",
                    s.id, s.done_minutes, s.minutes
                ));
            }
        }
        for day in by_day.values_mut() {
            day.sort_by_key(|s| (s.wall(), s.id));
            for pair in day.windows(2) {
                if pair[1].wall() < pair[0].end() {
                    found.push(format!(
                        "sessions {} ({} {}, {} min) and {} ({} {}) overlap",
                        pair[0].id,
                        pair[0].date,
                        pair[0].start,
                        pair[0].minutes,
                        pair[1].id,
                        pair[1].date,
                        pair[1].start
                    ));
                }
            }
        }
        // Review: never more than the cap a week, only for topics the roadmap reviews, and
        // each 15 or 30 minutes.
        let cap = self.review_cap_minutes();
        let mut weekly: BTreeMap<NaiveDate, u32> = BTreeMap::new();
        for s in self.live().filter(|s| s.kind == SessionKind::Review) {
            *weekly.entry(monday_of(s.date)).or_default() += s.minutes;
            if !matches!(
                s.minutes,
                recall::SHORT_REVIEW_MINUTES | recall::LONG_REVIEW_MINUTES
            ) {
                found.push(format!(
                    "review session {} lasts {} minutes",
                    s.id, s.minutes
                ));
            }
            if self.roadmap.topic(&s.topic).is_some_and(|t| !t.review) {
                found.push(format!(
                    "review session {} is for {}, which the roadmap does not review",
                    s.id, s.topic
                ));
            }
        }
        for (monday, minutes) in weekly {
            if minutes > cap {
                found.push(format!(
                    "the week of {monday} holds {minutes} minutes of review, over the cap of {cap}"
                ));
            }
        }
        let mut ids = BTreeSet::new();
        for s in &self.sessions {
            if !ids.insert(s.id) {
                found.push(format!("session id {} is used twice", s.id));
            }
            if s.id >= self.next_session_id {
                found.push(format!("session id {} is not below the next id", s.id));
            }
        }
        found
    }

    // --- Helpers --------------------------------------------------------------------------

    fn live(&self) -> impl Iterator<Item = &StoredSession> {
        self.sessions
            .iter()
            .filter(|s| s.status != SessionStatus::Cancelled)
    }

    /// The usual week and the one-off weeks, as the settings hold them.
    pub fn weekly(&self) -> Result<Weekly, CoreError> {
        Weekly::parse(
            self.settings.availability.as_deref().unwrap_or_default(),
            &self.settings.weeks,
        )
    }

    pub fn session(&self, id: i64) -> Result<&StoredSession, CoreError> {
        self.sessions
            .iter()
            .find(|s| s.id == id)
            .ok_or_else(|| CoreError::NotFound(format!("the plan has no session {id}")))
    }

    pub(crate) fn title(&self, topic: &str) -> String {
        self.roadmap
            .any_topic(topic)
            .map_or_else(|| topic.to_string(), |t| t.title.clone())
    }

    fn blackout_on(&self, date: NaiveDate) -> Option<Blackout> {
        self.settings
            .blackouts
            .iter()
            .filter_map(|b| Blackout::parse(b).ok())
            .find(|b| b.contains(date))
    }

    /// An error naming the topic, and a few the user may have meant, when the plan has no
    /// such topic.
    pub fn require_topic(&self, topic: &str) -> Result<(), CoreError> {
        if self.roadmap.topic(topic).is_some() {
            return Ok(());
        }
        let close: Vec<&str> = self
            .roadmap
            .topics
            .iter()
            .map(|t| t.id.as_str())
            .filter(|id| id.contains(topic) || topic.contains(id))
            .take(3)
            .collect();
        let hint = if close.is_empty() {
            "; `roadmap status --topics` lists them".to_string()
        } else {
            format!("; did you mean {}?", close.join(", "))
        };
        Err(CoreError::NotFound(format!(
            "the roadmap has no topic {topic:?}{hint}"
        )))
    }
}

/// The session with this id: through `at` (id → position) when it has it, else by a search.
fn session_at<'a>(
    sessions: &'a mut [StoredSession],
    at: &HashMap<i64, usize>,
    id: i64,
) -> Option<&'a mut StoredSession> {
    match at.get(&id) {
        Some(&i) if sessions.get(i).is_some_and(|s| s.id == id) => sessions.get_mut(i),
        _ => sessions.iter_mut().find(|s| s.id == id),
    }
}

/// The sessions whose place differs between `before` and `after` (the same plan's sessions,
/// before and after a change): moved, added or cancelled, in order of id. A status (done,
/// missed) is not a place.
pub fn session_changes(before: &[StoredSession], after: &[StoredSession]) -> Vec<SessionChange> {
    let place = |s: &StoredSession| {
        (s.status != SessionStatus::Cancelled).then(|| SessionPlace {
            date: s.date,
            start: s.start.clone(),
            minutes: s.minutes,
        })
    };
    let mut was: BTreeMap<i64, (&str, Option<SessionPlace>)> = before
        .iter()
        .map(|s| (s.id, (s.topic.as_str(), place(s))))
        .collect();
    let mut out = Vec::new();
    for s in after {
        let (topic, before) = was.remove(&s.id).unwrap_or((s.topic.as_str(), None));
        let after = place(s);
        if before != after {
            out.push(SessionChange {
                id: s.id,
                topic: topic.to_string(),
                before,
                after,
            });
        }
    }
    // Sessions are never deleted; one missing after is read as cancelled.
    out.extend(was.into_iter().filter_map(|(id, (topic, before))| {
        before.map(|b| SessionChange {
            id,
            topic: topic.to_string(),
            before: Some(b),
            after: None,
        })
    }));
    out.sort_by_key(|c| c.id);
    out
}
