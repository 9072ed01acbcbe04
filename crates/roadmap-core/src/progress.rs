//! Progress: what a saved plan looks like once the user has studied, logged and marked topics.
//!
//! Everything here is derived from the stored records and computed on demand, so no view can
//! drift from the data it shows.

use std::collections::{BTreeMap, HashMap};

use chrono::{Days, NaiveDate};

use crate::api::{
    AreaProgress, BurnupPoint, CalendarView, DashboardView, DateRange, GoalTopic, LogView,
    MilestoneView, PlanSettings, PlanView, Progress, ResourceView, SessionKind, SessionStatus,
    SessionView, Standing, StepPlanView, StudyDay, TopicDetail, TopicMark, TopicState, TopicView,
    WeekGoal, WeekReview, WeekSummary, WeekView, count,
};
use crate::clock::Clock;
pub use crate::clock::{iso_week, monday_of};
use crate::content::Roadmap;
use crate::schedule::availability::Availability;
use crate::schedule::availability::Blackout;
use crate::schedule::planner::{quarter_hours, target_end};
use crate::schedule::replan::StoredSession;

/// Study logged outside a session, as the store keeps it (and the data file writes it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredLog {
    pub id: i64,
    pub topic: String,
    pub date: NaiveDate,
    pub minutes: u32,
}

/// A week's goal as the store keeps it (and the data file writes it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredGoal {
    pub topics: Vec<String>,
    pub target_minutes: u32,
    pub review: Option<WeekReview>,
}

/// A plan's identity and history, as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanMeta {
    pub id: i64,
    pub created_at: String,
    pub revised_at: String,
    pub roadmap_title: String,
}

/// A topic the user marked done or skipped, and the day they did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkRecord {
    pub mark: TopicMark,
    /// The local date it was marked on: where a finished topic with no study of its own
    /// stands on the timeline.
    pub on: NaiveDate,
}

/// Everything saved about one plan.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    pub roadmap: &'a Roadmap,
    pub settings: &'a PlanSettings,
    pub sessions: &'a [StoredSession],
    pub marks: &'a BTreeMap<String, MarkRecord>,
    pub logs: &'a [StoredLog],
    /// Every rated review, so a review session can say its grade.
    pub recalls: &'a [crate::recall::StoredRecall],
}

impl Record<'_> {
    fn live(&self) -> impl Iterator<Item = &StoredSession> {
        self.sessions
            .iter()
            .filter(|s| s.status != SessionStatus::Cancelled)
    }

    /// Live study sessions (not reviews).
    fn study(&self) -> impl Iterator<Item = &StoredSession> {
        self.live().filter(|s| s.is_study())
    }

    /// Minutes studied per topic: study sessions done or partly done, and logged study. A
    /// topic with none may be missing. Looked up by topic, never walked: a hash map, since a
    /// plan at 1,000 topics has ~8,000 sessions and this runs for every view.
    pub fn studied(&self) -> HashMap<&str, u32> {
        let mut studied: HashMap<&str, u32> = HashMap::new();
        for s in self.study() {
            let minutes = s.studied();
            if minutes > 0 {
                *studied.entry(&s.topic).or_default() += minutes;
            }
        }
        for l in self.logs {
            *studied.entry(&l.topic).or_default() += l.minutes;
        }
        studied
    }

    pub fn topic_state(&self, topic: &str, studied: &HashMap<&str, u32>) -> TopicState {
        match self.marks.get(topic).map(|m| m.mark) {
            Some(TopicMark::Done) => TopicState::Done,
            Some(TopicMark::Skipped) => TopicState::Skipped,
            None if studied.get(topic).copied().unwrap_or(0) > 0 => TopicState::InProgress,
            None => TopicState::NotStarted,
        }
    }

    fn title(&self, topic: &str) -> String {
        self.roadmap
            .topic(topic)
            .map_or_else(|| topic.to_string(), |t| t.title.clone())
    }

    pub fn session_view(&self, s: &StoredSession) -> SessionView {
        SessionView {
            id: s.id,
            kind: s.kind,
            topic: s.topic.clone(),
            topic_title: self.title(&s.topic),
            step: self
                .roadmap
                .topic(&s.topic)
                .map(|t| t.step.clone())
                .unwrap_or_default(),
            date: s.date,
            start: s.start.clone(),
            minutes: s.minutes,
            status: s.status,
            done_minutes: s.done_minutes,
            pinned: s.pinned,
            revision: s.revision,
            on_busy: false,
            recall: self.rated(s),
            next_review: self.rated(s).and_then(|_| {
                self.live()
                    .filter(|n| {
                        n.kind == SessionKind::Review
                            && n.topic == s.topic
                            && n.status == SessionStatus::Planned
                            && (n.date, n.wall(), n.id) > (s.date, s.wall(), s.id)
                    })
                    .map(|n| n.date)
                    .min()
            }),
        }
    }

    /// Every logged entry from `from` to `to` (both included), in date order.
    pub fn logs_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<LogView> {
        self.logs
            .iter()
            .filter(|l| l.date >= from && l.date <= to)
            .map(|l| LogView {
                id: l.id,
                topic: l.topic.clone(),
                topic_title: self.title(&l.topic),
                date: l.date,
                minutes: l.minutes,
            })
            .collect()
    }

    /// How well the review session `s` found the topic remembered, once it was rated.
    fn rated(&self, s: &StoredSession) -> Option<crate::api::Recall> {
        if s.kind != SessionKind::Review {
            return None;
        }
        self.recalls
            .iter()
            .rev()
            .find(|r| r.session == Some(s.id))
            .map(|r| r.recall)
    }

    /// The plan with every topic's and step's progress, as it stands at `clock.now`.
    /// The last day of study that counts (missed sessions do not): the plan's projected end.
    pub fn projected_end(&self) -> Option<NaiveDate> {
        self.study()
            .filter(|s| s.status != SessionStatus::Missed)
            .map(|s| s.date)
            .max()
    }

    pub fn plan_view(&self, meta: &PlanMeta, clock: &Clock) -> PlanView {
        let studied = self.studied();
        // Study still ahead: planned sessions that have not ended yet.
        let mut ahead: HashMap<&str, u32> = HashMap::new();
        for s in self
            .study()
            .filter(|s| s.status == SessionStatus::Planned && !clock.has_come(s.end()))
        {
            *ahead.entry(&s.topic).or_default() += s.minutes;
        }
        // Where each topic stands in time: its sessions that count (missed ones do not), the
        // days study was logged, and for a finished topic the day it was marked when nothing
        // else places it. Every topic of the plan gets a place, whatever its state.
        let mut span: HashMap<&str, (NaiveDate, NaiveDate, u32)> = HashMap::new();
        for s in self.study().filter(|s| s.status != SessionStatus::Missed) {
            let e = span.entry(&s.topic).or_insert((s.date, s.date, 0));
            e.0 = e.0.min(s.date);
            e.1 = e.1.max(s.date);
            e.2 += s.minutes;
        }
        for l in self.logs {
            let e = span.entry(&l.topic).or_insert((l.date, l.date, 0));
            e.0 = e.0.min(l.date);
            e.1 = e.1.max(l.date);
        }
        // A mark made before the plan begins (steps known already, skipped when the plan was
        // made) places its topic on the first day, never before the plan.
        for (topic, m) in self.marks {
            let on = m.on.max(self.settings.start);
            span.entry(topic.as_str()).or_insert((on, on, 0));
        }
        let topics: Vec<TopicView> = self
            .roadmap
            .topics
            .iter()
            .filter(|t| {
                self.settings.include_optional
                    || !t.optional
                    || self.marks.contains_key(&t.id)
                    || span.contains_key(t.id.as_str())
            })
            .map(|t| {
                let s = span.get(t.id.as_str());
                let done_minutes = studied.get(t.id.as_str()).copied().unwrap_or(0);
                TopicView {
                    id: t.id.clone(),
                    step: t.step.clone(),
                    title: t.title.clone(),
                    optional: t.optional,
                    state: self.topic_state(&t.id, &studied),
                    // Never less than what was studied: logged study counts as planned too.
                    planned_minutes: s.map_or(0, |s| s.2).max(done_minutes),
                    done_minutes,
                    start: s.map(|s| s.0),
                    finish: s.map(|s| s.1),
                }
            })
            .collect();
        let finished = |t: &TopicView| matches!(t.state, TopicState::Done | TopicState::Skipped);
        let unplanned_minutes = topics
            .iter()
            .filter(|t| !finished(t))
            .filter(|t| self.settings.include_optional || !t.optional)
            .filter_map(|t| self.roadmap.topic(&t.id))
            .map(|t| {
                let covered = studied.get(t.id.as_str()).copied().unwrap_or(0)
                    + ahead.get(t.id.as_str()).copied().unwrap_or(0);
                quarter_hours(self.settings.expected_hours(t)).saturating_sub(covered)
            })
            .sum();
        let steps = self
            .roadmap
            .steps
            .iter()
            .map(|step| {
                let of_step = || topics.iter().filter(|t| t.step == step.id);
                StepPlanView {
                    id: step.id.clone(),
                    title: step.title.clone(),
                    start: of_step().filter_map(|t| t.start).min(),
                    // A step the learner knew already (every topic skipped) has nothing to
                    // reach: no milestone.
                    milestone: if of_step().all(|t| t.state == TopicState::Skipped) {
                        None
                    } else {
                        of_step().filter_map(|t| t.finish).max()
                    },
                    topics_total: count(of_step().count()),
                    topics_done: count(of_step().filter(|t| finished(t)).count()),
                }
            })
            .collect();
        let progress = Progress {
            topics_done: count(topics.iter().filter(|t| finished(t)).count()),
            topics_total: count(topics.len()),
            minutes_done: topics.iter().map(|t| t.done_minutes).sum(),
            // Each topic of the plan once (ids are unique), skipped ones not at all.
            minutes_total: topics
                .iter()
                .filter(|v| v.state != TopicState::Skipped)
                .filter_map(|v| self.roadmap.topic(&v.id))
                .map(|t| quarter_hours(self.settings.expected_hours(t)))
                .sum(),
        };
        let target = self
            .settings
            .months
            .and_then(|m| target_end(self.settings.start, m).ok());
        let projected_end = self.projected_end();
        let available_minutes = self
            .settings
            .availability
            .as_deref()
            .and_then(|a| Availability::parse(a).ok())
            .map_or(0, |a| a.weekly_minutes());
        PlanView {
            id: meta.id,
            created_at: meta.created_at.clone(),
            revised_at: meta.revised_at.clone(),
            roadmap_title: meta.roadmap_title.clone(),
            settings: self.settings.clone(),
            target_end: target,
            projected_end,
            on_track: match (target, projected_end) {
                (Some(end), Some(last)) => last < end,
                _ => true,
            },
            unplanned_minutes,
            standing: Standing::of(unplanned_minutes, available_minutes),
            available_hours_per_week: f64::from(available_minutes) / 60.0,
            steps,
            topics,
            progress,
        }
    }

    /// The goal a week starts with: the topics its sessions work on, in order, and their hours.
    pub fn proposed_goal(&self, monday: NaiveDate) -> StoredGoal {
        let sunday = monday + Days::new(6);
        let mut topics: Vec<String> = Vec::new();
        let mut minutes = 0;
        let mut week: Vec<&StoredSession> = self
            .live()
            .filter(|s| s.date >= monday && s.date <= sunday)
            .collect();
        week.sort_by(|a, b| (a.date, &a.start, a.id).cmp(&(b.date, &b.start, b.id)));
        for s in week {
            minutes += s.minutes;
            if s.is_study() && !topics.contains(&s.topic) {
                topics.push(s.topic.clone());
            }
        }
        StoredGoal {
            topics,
            target_minutes: minutes,
            review: None,
        }
    }

    pub(crate) fn week_minutes(&self, monday: NaiveDate) -> (u32, u32) {
        let sunday = monday + Days::new(6);
        let in_week = |d: NaiveDate| d >= monday && d <= sunday;
        let planned = self
            .live()
            .filter(|s| in_week(s.date))
            .map(|s| s.minutes)
            .sum();
        let done = self
            .live()
            .filter(|s| in_week(s.date))
            .map(StoredSession::studied)
            .sum::<u32>()
            + self
                .logs
                .iter()
                .filter(|l| in_week(l.date))
                .map(|l| l.minutes)
                .sum::<u32>();
        (planned, done)
    }

    /// The week containing today, with its goal and the weeks before it.
    pub fn week_view(
        &self,
        clock: &Clock,
        goal: &StoredGoal,
        goals: &BTreeMap<String, StoredGoal>,
    ) -> WeekView {
        let local = clock.local();
        let today = local.date;
        let monday = monday_of(today);
        let sunday = monday + Days::new(6);
        let studied = self.studied();
        let mut sessions: Vec<SessionView> = self
            .live()
            .filter(|s| s.date >= monday && s.date <= sunday)
            .map(|s| self.session_view(s))
            .collect();
        sessions.sort_by(|a, b| (a.date, &a.start, a.id).cmp(&(b.date, &b.start, b.id)));
        let logs = self.logs_between(monday, sunday);
        let (planned_minutes, done_minutes) = self.week_minutes(monday);
        let mut past = Vec::new();
        let mut m = monday_of(self.settings.start);
        while m < monday {
            let (planned, done) = self.week_minutes(m);
            let week = iso_week(m);
            let stored = goals.get(&week);
            past.push(WeekSummary {
                target_minutes: stored.map_or(planned, |g| g.target_minutes),
                review: stored.and_then(|g| g.review.clone()),
                week,
                monday: m,
                planned_minutes: planned,
                done_minutes: done,
            });
            m = m + Days::new(7);
        }
        past.reverse();
        WeekView {
            week: iso_week(monday),
            monday,
            today,
            time: crate::schedule::availability::hhmm(local.minute),
            sessions,
            logs,
            goal: WeekGoal {
                topics: goal
                    .topics
                    .iter()
                    .map(|t| GoalTopic {
                        id: t.clone(),
                        title: self.title(t),
                        state: self.topic_state(t, &studied),
                    })
                    .collect(),
                target_minutes: goal.target_minutes,
                review: goal.review.clone(),
            },
            planned_minutes,
            done_minutes,
            past,
            busy_minutes: 0,
            available_minutes: 0,
        }
    }

    /// Everything about `topic`, with the user's `note`; `None` when the roadmap has no such
    /// topic.
    pub fn topic_detail(&self, topic: &str, note: &str) -> Option<TopicDetail> {
        let t = self.roadmap.topic(topic)?;
        let studied = self.studied();
        let mut sessions: Vec<SessionView> = self
            .live()
            .filter(|s| s.topic == topic)
            .map(|s| self.session_view(s))
            .collect();
        sessions.sort_by(|a, b| (a.date, &a.start, a.id).cmp(&(b.date, &b.start, b.id)));
        let counted = || {
            sessions
                .iter()
                .filter(|s| s.kind == SessionKind::Study && s.status != SessionStatus::Missed)
        };
        Some(TopicDetail {
            id: t.id.clone(),
            title: t.title.clone(),
            step: t.step.clone(),
            step_title: self
                .roadmap
                .steps
                .iter()
                .find(|s| s.id == t.step)
                .map_or_else(|| t.step.clone(), |s| s.title.clone()),
            summary: t.summary.clone(),
            optional: t.optional,
            skills: t
                .skills
                .iter()
                .map(|id| {
                    self.roadmap
                        .skills
                        .iter()
                        .find(|s| &s.id == id)
                        .map_or_else(|| id.clone(), |s| s.name.clone())
                })
                .collect(),
            requires: t
                .requires
                .iter()
                .map(|r| GoalTopic {
                    id: r.clone(),
                    title: self.title(r),
                    state: self.topic_state(r, &studied),
                })
                .collect(),
            resources: resource_views(t),
            state: self.topic_state(topic, &studied),
            planned_minutes: counted().map(|s| s.minutes).sum(),
            done_minutes: studied.get(topic).copied().unwrap_or(0),
            start: counted().map(|s| s.date).min(),
            finish: counted().map(|s| s.date).max(),
            note: note.to_string(),
            note_limit: crate::api::MAX_TOPIC_NOTE_CHARS as u32,
            sessions,
        })
    }

    /// The calendar: sessions that still count, blocked-out periods and step milestones.
    pub fn calendar_view(&self, clock: &Clock) -> CalendarView {
        let plan = self.plan_view(
            &PlanMeta {
                id: 0,
                created_at: String::new(),
                revised_at: String::new(),
                roadmap_title: String::new(),
            },
            clock,
        );
        CalendarView {
            today: clock.today(),
            sessions: self.live().map(|s| self.session_view(s)).collect(),
            blackouts: self
                .settings
                .blackouts
                .iter()
                .filter_map(|b| Blackout::parse(b).ok())
                .map(|b| DateRange {
                    first: b.first,
                    last: b.last,
                })
                .collect(),
            milestones: plan
                .steps
                .iter()
                .filter_map(|s| {
                    s.milestone.map(|date| MilestoneView {
                        step: s.id.clone(),
                        title: s.title.clone(),
                        date,
                    })
                })
                .collect(),
            busy: Vec::new(),
        }
    }

    /// Progress per step and skill area, the burn-up and the days studied, as of `today`.
    pub fn dashboard(&self, today: NaiveDate) -> DashboardView {
        let studied = self.studied();
        let skipped = |id: &str| self.marks.get(id).map(|m| m.mark) == Some(TopicMark::Skipped);
        let in_plan = |t: &&crate::content::Topic| {
            self.settings.include_optional || !t.optional || self.marks.contains_key(&t.id)
        };
        let area = |id: &str, name: &str, topics: &[&crate::content::Topic]| AreaProgress {
            id: id.to_string(),
            name: name.to_string(),
            topics_done: count(
                topics
                    .iter()
                    .filter(|t| self.marks.contains_key(&t.id))
                    .count(),
            ),
            topics_total: count(topics.len()),
            minutes_done: topics
                .iter()
                .map(|t| studied.get(t.id.as_str()).copied().unwrap_or(0))
                .sum(),
            minutes_total: topics
                .iter()
                .filter(|t| !skipped(&t.id))
                .map(|t| quarter_hours(self.settings.expected_hours(t)))
                .sum(),
        };
        let topics: Vec<&crate::content::Topic> =
            self.roadmap.topics.iter().filter(in_plan).collect();
        let steps = self
            .roadmap
            .steps
            .iter()
            .map(|s| {
                let of: Vec<_> = topics.iter().copied().filter(|t| t.step == s.id).collect();
                area(&s.id, &s.title, &of)
            })
            .collect();
        let skills = self
            .roadmap
            .skills
            .iter()
            .map(|k| {
                let of: Vec<_> = topics
                    .iter()
                    .copied()
                    .filter(|t| t.skills.contains(&k.id))
                    .collect();
                area(&k.id, &k.name, &of)
            })
            .collect();
        let scope_minutes = topics
            .iter()
            .filter(|t| !skipped(&t.id))
            .map(|t| quarter_hours(self.settings.expected_hours(t)))
            .sum();

        // Minutes studied per day.
        let mut per_day: BTreeMap<NaiveDate, u32> = BTreeMap::new();
        for s in self.live() {
            if s.studied() > 0 {
                *per_day.entry(s.date).or_default() += s.studied();
            }
        }
        for l in self.logs {
            *per_day.entry(l.date).or_default() += l.minutes;
        }
        let start = self.settings.start;
        let study_days = start
            .iter_days()
            .take_while(|d| *d <= today)
            .map(|date| StudyDay {
                date,
                minutes: per_day.get(&date).copied().unwrap_or(0),
            })
            .collect();

        // Burn-up, week by week to the later of the last session and today.
        let last = self
            .live()
            .map(|s| s.date)
            .chain(std::iter::once(today))
            .max()
            .unwrap_or(today);
        // (all, of which reviews) per day
        let mut planned_by_day: BTreeMap<NaiveDate, (u32, u32)> = BTreeMap::new();
        let mut review_done_by_day: BTreeMap<NaiveDate, u32> = BTreeMap::new();
        for s in self.live().filter(|s| s.status != SessionStatus::Missed) {
            let e = planned_by_day.entry(s.date).or_default();
            e.0 += s.minutes;
            if !s.is_study() {
                e.1 += s.minutes;
                *review_done_by_day.entry(s.date).or_default() += s.studied();
            }
        }
        let mut burnup = Vec::new();
        let mut monday = monday_of(start);
        let (mut planned, mut planned_review, mut done, mut done_review) = (0u32, 0u32, 0u32, 0u32);
        while monday <= last {
            let sunday = monday + Days::new(6);
            for (_, (all, review)) in planned_by_day.range(monday..=sunday) {
                planned += all;
                planned_review += review;
            }
            done += per_day.range(monday..=sunday).map(|(_, m)| m).sum::<u32>();
            done_review += review_done_by_day
                .range(monday..=sunday)
                .map(|(_, m)| m)
                .sum::<u32>();
            burnup.push(BurnupPoint {
                week: iso_week(monday),
                end: sunday,
                planned_minutes: planned,
                done_minutes: (monday <= today).then_some(done),
                planned_review_minutes: planned_review,
                done_review_minutes: (monday <= today).then_some(done_review),
            });
            monday = monday + Days::new(7);
        }
        DashboardView {
            today,
            steps,
            skills,
            burnup,
            scope_minutes,
            study_days,
        }
    }
}

/// A topic's resources as the window shows them.
pub fn resource_views(t: &crate::content::Topic) -> Vec<ResourceView> {
    t.resources
        .iter()
        .map(|r| ResourceView {
            title: r.title.clone(),
            url: r.url.clone(),
            kind: serde_json::to_value(r.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
        })
        .collect()
}
