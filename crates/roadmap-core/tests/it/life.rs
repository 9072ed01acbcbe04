//! Whole lives of a plan: random sequences of everything a user can do, at random minutes,
//! across midnight and daylight-saving changes, with every rule of the plan checked after
//! every step. A state-machine test in the manner of proptest-state-machine: the strategy
//! draws the settings and a list of actions; the test runs them on a `SavedPlan`, keeping a
//! reference of what must not change, and shrinks a failure to the shortest history.
//!
//! `make test` runs 256 lives (`PROPTEST_CASES` overrides); `make life` runs them for ten
//! minutes and prints how many it ran.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use roadmap_core::Roadmap;
use roadmap_core::api::SessionChange;
use roadmap_core::api::{
    PlanSettings, Recall, ReplanPolicy, ReviewOutcome, SessionKind, SessionMark, SessionStatus,
    TopicMark, TopicState, WeekReview,
};
use roadmap_core::busy::BusyInterval;
use roadmap_core::clock::{Clock, WallTime};
use roadmap_core::saved::{Change, SavedPlan, session_changes};
use roadmap_core::schedule::availability::{Availability, Blackout, Window, hhmm};
use roadmap_core::schedule::replan::StoredSession;

use crate::planner::{roadmap, window};

/// Zones with and without daylight saving, one with a half-hour change and one south of the
/// equator, so midnight and DST changes land at every kind of moment.
const ZONES: &[&str] = &[
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
];

#[derive(Debug, Clone)]
enum Action {
    /// The clock moves on by this many minutes.
    Wait(u32),
    MarkSession(Index, SessionMark),
    /// Move a session by this many days from today, to this quarter hour.
    Move(Index, u8, u32),
    Log(Index, i64, u8),
    /// Correct a logged entry: another topic, these minutes, this many days ago.
    EditLog(Index, Index, i64, u8),
    /// Take a logged entry back.
    DeleteLog(Index),
    MarkTopic(Index, Option<TopicMark>),
    EditGoal(Vec<Index>, u32),
    CloseWeek,
    /// Close (or close again) the week this many weeks ago.
    CloseWeekOf(u8),
    /// Reopen the week this many weeks ago.
    ReopenWeek(u8),
    /// Change the goal of the week this many weeks ago to these minutes, keeping its topics.
    EditGoalOf(u8, u32),
    Replan(ReplanPolicy),
    /// Take the last replan back.
    UndoReplan,
    /// The week this many weeks ahead gets these windows (empty: no study that week), or
    /// the usual week's again (`None`).
    SetWeek(u8, Option<Vec<Window>>),
    /// Rate a review of a topic (a finished one when there is one), this many days ago.
    Review(Index, Recall, u8),
    /// The busy calendars now block these stretches: (days from today, start quarter hour,
    /// quarter hours).
    Busy(Vec<(u8, u32, u32)>),
    /// The study timer stopped on a session near now after this many minutes (more than
    /// planned, too).
    Timed(Index, i64),
    /// "Not today" on a session's reminder, this many minutes ahead.
    NotToday(Index, u32),
}

#[derive(Debug, Clone)]
struct Life {
    roadmap: Roadmap,
    settings: PlanSettings,
    zone: Tz,
    /// When the plan is made.
    born: DateTime<Utc>,
    /// What the busy calendars block when the plan is made.
    busy: Vec<(u8, u32, u32)>,
    actions: Vec<Action>,
}

fn stretches() -> impl Strategy<Value = Vec<(u8, u32, u32)>> {
    proptest::collection::vec((0u8..28, 0u32..96, 1u32..24), 0..12)
}

/// Busy stretches from `today`, as instants in `zone` (a stretch may run past midnight).
fn busy_at(raw: &[(u8, u32, u32)], today: NaiveDate, zone: Tz) -> Arc<Vec<BusyInterval>> {
    let intervals = raw
        .iter()
        .filter_map(|(d, q, len)| {
            let start =
                roadmap_core::calendar::to_utc(zone, today + Duration::days(i64::from(*d)), q * 15)
                    .ok()?;
            Some(BusyInterval {
                start,
                end: start + Duration::minutes(i64::from(len * 15)),
            })
        })
        .collect();
    Arc::new(roadmap_core::busy::merge(intervals))
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => prop_oneof![1u32..60, 60u32..1440, 1440u32..20_000].prop_map(Action::Wait),
        3 => (any::<Index>(), prop_oneof![
            Just(SessionMark::Done),
            Just(SessionMark::Missed),
            Just(SessionMark::Planned),
            (1u32..200).prop_map(|minutes| SessionMark::Partial { minutes }),
        ]).prop_map(|(i, m)| Action::MarkSession(i, m)),
        2 => (any::<Index>(), 0u8..10, 0u32..96).prop_map(|(i, d, q)| Action::Move(i, d, q * 15)),
        1 => (any::<Index>(), -20i64..300, 0u8..4).prop_map(|(i, m, d)| Action::Log(i, m, d)),
        1 => (any::<Index>(), any::<Index>(), -20i64..300, 0u8..4).prop_map(|(l, t, m, d)| Action::EditLog(l, t, m, d)),
        1 => any::<Index>().prop_map(Action::DeleteLog),
        1 => (any::<Index>(), prop_oneof![
            Just(Some(TopicMark::Done)),
            Just(Some(TopicMark::Skipped)),
            Just(None),
        ]).prop_map(|(i, m)| Action::MarkTopic(i, m)),
        1 => (proptest::collection::vec(any::<Index>(), 0..3), 0u32..2000)
            .prop_map(|(t, m)| Action::EditGoal(t, m)),
        1 => Just(Action::CloseWeek),
        1 => (0u8..6).prop_map(Action::CloseWeekOf),
        1 => (0u8..6).prop_map(Action::ReopenWeek),
        1 => (0u8..6, 0u32..2000).prop_map(|(w, m)| Action::EditGoalOf(w, m)),
        1 => prop_oneof![
            Just(ReplanPolicy::Extend),
            Just(ReplanPolicy::DropOptional),
            Just(ReplanPolicy::UsePace),
            Just(ReplanPolicy::PullForward),
            (0u32..40).prop_map(|h| ReplanPolicy::Compress { cap_hours_per_week: f64::from(h) }),
        ].prop_map(Action::Replan),
        1 => Just(Action::UndoReplan),
        1 => (0u8..4, proptest::option::of(proptest::collection::vec(window(), 0..4)))
            .prop_map(|(w, windows)| Action::SetWeek(w, windows)),
        2 => (any::<Index>(), proptest::sample::select(Recall::ALL.to_vec()), 0u8..3)
            .prop_map(|(i, r, d)| Action::Review(i, r, d)),
        1 => stretches().prop_map(Action::Busy),
        2 => (any::<Index>(), 1i64..400).prop_map(|(i, m)| Action::Timed(i, m)),
        1 => (any::<Index>(), prop_oneof![Just(0u32), Just(15), 60u32..2000]).prop_map(|(i, l)| Action::NotToday(i, l)),
    ]
}

fn life() -> impl Strategy<Value = Life> {
    (
        roadmap(),
        proptest::collection::vec(window(), 1..5),
        proptest::option::of(6u32..=24),
        proptest::sample::select(ZONES),
        0u32..700,
        -3i64..4,
        0u32..(24 * 60),
        proptest::option::of((0u64..60, 0u64..10)),
        1u32..4,
        proptest::collection::vec(action(), 1..40),
        // Which steps (by position) the learner knows somewhat: their estimates start lower.
        proptest::collection::vec(any::<bool>(), 8),
        // The share of the week review may take: off, the default, or any.
        (prop_oneof![Just(0u32), Just(15u32), 1u32..=50], stretches()),
    )
        .prop_map(
            |(
                roadmap,
                windows,
                months,
                zone,
                start_day,
                born_day,
                born_minute,
                blackout,
                min_q,
                actions,
                some_steps,
                (review_cap, busy),
            )| {
                let some: Vec<String> = roadmap
                    .steps
                    .iter()
                    .zip(&some_steps)
                    .filter(|(_, on)| **on)
                    .map(|(s, _)| s.id.clone())
                    .collect();
                let start = NaiveDate::from_ymd_opt(2027, 1, 1).expect("date")
                    + Duration::days(i64::from(start_day));
                let zone: Tz = zone.parse().expect("zone");
                let blackouts = blackout
                    .map(|(from, len)| {
                        let first = start + Duration::days(from as i64);
                        vec![format!("{first}..{}", first + Duration::days(len as i64))]
                    })
                    .unwrap_or_default();
                let born_date = start + Duration::days(born_day);
                let born =
                    roadmap_core::calendar::to_utc(zone, born_date, born_minute).expect("instant");
                Life {
                    settings: PlanSettings {
                        start,
                        months,
                        availability: Some(
                            Availability::new(windows).expect("windows").to_string(),
                        ),
                        blackouts,
                        session_min: min_q * 15,
                        session_max: 120,
                        include_optional: true,
                        known: Vec::new(),
                        some,
                        review_cap,
                        pace: None,
                        weeks: Default::default(),
                        chosen: Vec::new(),
                        edits: Vec::new(),
                    },
                    roadmap,
                    zone,
                    born,
                    busy,
                    actions,
                }
            },
        )
}

/// Sessions worth acting on: those near now, where a user acts; all of them when none are.
fn near<'a>(plan: &'a SavedPlan, clock: &Clock) -> Vec<&'a StoredSession> {
    let today = clock.today();
    let near: Vec<&StoredSession> = plan
        .sessions
        .iter()
        .filter(|s| s.date >= today - Duration::days(7) && s.date <= today + Duration::days(14))
        .collect();
    if near.is_empty() {
        plan.sessions.iter().collect()
    } else {
        near
    }
}

fn topic_at(plan: &SavedPlan, i: &Index) -> String {
    plan.roadmap.topics[i.index(plan.roadmap.topics.len())]
        .id
        .clone()
}

/// Runs one life, checking every rule after every step.
fn live(life: &Life) -> Result<(), TestCaseError> {
    let clock = Clock::new(life.born, life.zone);
    let Ok(mut plan) = SavedPlan::create(
        Arc::new(life.roadmap.clone()),
        None,
        &life.settings,
        &clock,
        1,
        busy_at(&life.busy, clock.today(), life.zone),
    ) else {
        // Settings the scheduler refuses (a window shorter than the shortest session) make
        // no plan; the planner's own tests cover those.
        return Ok(());
    };
    let mut now = life.born;
    check_state(&plan, &Clock::new(now, life.zone), None)?;
    // The plan as it was before the last replan accepted.
    let mut before_replan: Option<SavedPlan> = None;
    for (step, action) in life.actions.iter().enumerate() {
        let clock = Clock::new(now, life.zone);
        let before = plan.clone();
        let decided = decide(&plan, action, &clock);
        if let Action::Wait(minutes) = action {
            now += Duration::minutes(i64::from(*minutes));
            check_state(&plan, &Clock::new(now, life.zone), None)?;
            continue;
        }
        let Some(decided) = decided else { continue };
        // The same inputs give the same decision.
        let again = decide(&plan, action, &clock).expect("decided once");
        prop_assert_eq!(
            format!("{:?}", decided),
            format!("{:?}", again),
            "step {}: not deterministic",
            step
        );
        check_refusals(&before, action, &clock, &decided)?;
        let Ok(changes) = decided else { continue };
        if matches!(action, Action::Review(..)) {
            RATED.fetch_add(1, Ordering::Relaxed);
        }
        if let Action::Busy(raw) = action {
            // The store saves the new busy times, then applies the decision.
            plan.busy = busy_at(raw, clock.today(), life.zone);
        }
        plan.apply(&changes, &clock);
        match action {
            Action::Replan(_) => {
                // Taken back at once, a replan gives the plan back as it was.
                let undo = plan.undo_replan(&clock).map_err(|e| {
                    TestCaseError::fail(format!(
                        "step {step}: a replan just made cannot be undone: {e}"
                    ))
                })?;
                let mut back = plan.clone();
                back.apply(&undo, &clock);
                check_undo(&before, &plan, &back)
                    .map_err(|e| TestCaseError::fail(format!("step {step} (undo at once): {e}")))?;
                let live = |p: &SavedPlan| {
                    p.sessions
                        .iter()
                        .filter(|s| s.status != SessionStatus::Cancelled)
                        .map(|s| (s.id, s.date, s.start.clone(), s.minutes, s.status))
                        .collect::<Vec<_>>()
                };
                prop_assert_eq!(live(&back), live(&before), "step {}: undone at once", step);
                before_replan = Some(before.clone());
            }
            Action::SetWeek(..) if !changes.is_empty() => {
                WEEKS_SET.fetch_add(1, Ordering::Relaxed);
            }
            Action::UndoReplan => {
                let snapshot = before_replan.take().expect("an undo without a replan");
                check_undo(&snapshot, &before, &plan)
                    .map_err(|e| TestCaseError::fail(format!("step {step} (undo): {e}")))?;
                UNDONE.fetch_add(1, Ordering::Relaxed);
            }
            _ => {}
        }
        if let Action::Replan(policy) = action {
            // The preview lists exactly the sessions whose place the replan changed, as many
            // as it counts.
            let (preview, _) = before.replan(*policy, &clock).expect("decided once");
            prop_assert_eq!(
                &preview.changes,
                &session_changes(&before.sessions, &plan.sessions),
                "step {}: the preview's changes are not the replan's",
                step
            );
            prop_assert_eq!(
                preview.changes.len() as u32,
                preview.moved + preview.added + preview.cancelled
            );
            check_promise(&before, &plan, *policy, &preview, &clock)
                .map_err(|e| TestCaseError::fail(format!("step {step} ({policy:?}): {e}")))?;
        }
        check_footprint(&before, &plan, action, &clock)
            .map_err(|e| TestCaseError::fail(format!("step {step} ({action:?}): {e}")))?;
        check_transition(&before, &plan, &changes, &clock)
            .map_err(|e| TestCaseError::fail(format!("step {step} ({action:?}): {e}")))?;
        check_state(&plan, &clock, Some(action))
            .map_err(|e| TestCaseError::fail(format!("step {step} ({action:?}): {e}")))?;
    }
    if plan.sessions.iter().any(|s| s.kind == SessionKind::Review) {
        WITH_REVIEWS.fetch_add(1, Ordering::Relaxed);
    }
    check_round_trip(&plan, life)?;
    let clock = Clock::new(now, life.zone);
    // Wherever the life ends, the week flags exactly the sessions still to come that sit on
    // busy time, and an offer to pull forward is the Pull forward replan's own finish, a week
    // or more early, made only when nothing is behind.
    let home = plan.home(&clock);
    for s in &home.week.sessions {
        let wall = WallTime {
            date: s.date,
            minute: roadmap_core::schedule::replan::parse_hhmm(&s.start).expect("a start"),
        };
        let start = clock.instant(wall);
        let end = start + Duration::minutes(i64::from(s.minutes));
        let expected = s.status == SessionStatus::Planned
            && !clock.has_come(wall)
            && plan.busy.iter().any(|b| b.start < end && start < b.end);
        prop_assert_eq!(s.on_busy, expected, "session {:?}", s);
    }
    if let Some(offer) = &home.ahead {
        prop_assert_eq!(home.plan.unplanned_minutes, 0);
        prop_assert_eq!(home.plan.projected_end, Some(offer.finish_before));
        prop_assert!(offer.finish + Duration::days(7) <= offer.finish_before);
        let (preview, _) = plan
            .replan(ReplanPolicy::PullForward, &clock)
            .expect("an offer that can be taken");
        prop_assert_eq!(preview.projected_end, Some(offer.finish));
        AHEAD.fetch_add(1, Ordering::Relaxed);
    }
    // Wherever the life ends, the finish band is ordered, from today on, the same when asked
    // again, and says it has evidence exactly when something was studied.
    let band = plan.forecast(&clock);
    prop_assert_eq!(
        &band,
        &plan.forecast(&clock),
        "the band is not deterministic"
    );
    prop_assert!(band.as_of == clock.today());
    if let (Some(p50), Some(p80), Some(p90)) = (band.p50, band.p80, band.p90) {
        prop_assert!(
            band.as_of <= p50 && p50 <= p80 && p80 <= p90,
            "band out of order: {:?}",
            band
        );
    }
    // Finished with at least a quarter of its expected hours seen: a topic ticked off with
    // less counts as known already, and is no evidence of pace.
    let finished_with_study = plan.marks.iter().any(|(topic, m)| {
        let seen: u32 = plan
            .sessions
            .iter()
            .filter(|s| &s.topic == topic && s.is_study())
            .map(|s| s.studied())
            .sum::<u32>()
            + plan
                .logs
                .iter()
                .filter(|l| &l.topic == topic)
                .map(|l| l.minutes)
                .sum::<u32>();
        let expected = plan
            .roadmap
            .topic(topic)
            .map_or(f64::INFINITY, |t| plan.settings.hours(t).expected);
        m.mark == TopicMark::Done
            && seen > 0
            && f64::from(seen) / 60.0 >= roadmap_core::forecast::KNOWN_SHARE * expected
    });
    prop_assert!(
        band.evidence || !finished_with_study,
        "a topic finished with study, but the band says there is nothing to learn from"
    );
    Ok(())
}

type Decision = Result<Vec<Change>, roadmap_core::CoreError>;

/// What the plan decides for `action`; `None` for a wait.
fn decide(plan: &SavedPlan, action: &Action, clock: &Clock) -> Option<Decision> {
    let today = clock.today();
    Some(match action {
        Action::Wait(_) => return None,
        Action::MarkSession(i, mark) => {
            let near = near(plan, clock);
            if near.is_empty() {
                return None;
            }
            let s = near[i.index(near.len())];
            let mark = match *mark {
                SessionMark::Partial { minutes } => SessionMark::Partial {
                    minutes: minutes % s.minutes.max(1),
                },
                m => m,
            };
            plan.mark_session(s.id, mark, clock)
        }
        Action::Move(i, days, minute) => {
            let near = near(plan, clock);
            if near.is_empty() {
                return None;
            }
            let s = near[i.index(near.len())];
            let date = today + Duration::days(i64::from(*days));
            plan.move_session(s.id, date, &hhmm(*minute), clock)
        }
        Action::Log(i, minutes, days) => plan.log_study(
            &topic_at(plan, i),
            Some(today - Duration::days(i64::from(*days))),
            *minutes,
            clock,
        ),
        Action::EditLog(l, t, minutes, days) => {
            if plan.logs.is_empty() {
                return None;
            }
            let id = plan.logs[l.index(plan.logs.len())].id;
            plan.edit_log(
                id,
                &topic_at(plan, t),
                today - Duration::days(i64::from(*days)),
                *minutes,
                clock,
            )
        }
        Action::DeleteLog(l) => {
            if plan.logs.is_empty() {
                return None;
            }
            plan.delete_log(plan.logs[l.index(plan.logs.len())].id)
        }
        Action::MarkTopic(i, mark) => plan.mark_topic(&topic_at(plan, i), *mark, clock),
        Action::EditGoal(topics, minutes) => {
            let topics: Vec<String> = topics.iter().map(|t| topic_at(plan, t)).collect();
            plan.edit_goal(&topics, *minutes, clock)
        }
        Action::CloseWeek => plan.close_week(
            &WeekReview {
                outcome: ReviewOutcome::Partly,
                note: "so-so".into(),
            },
            clock,
        ),
        Action::CloseWeekOf(ago) => plan.close_week_of(
            today - Duration::weeks(i64::from(*ago)),
            &WeekReview {
                outcome: ReviewOutcome::Blocked,
                note: format!("{ago} weeks ago"),
            },
            clock,
        ),
        Action::ReopenWeek(ago) => {
            plan.reopen_week(today - Duration::weeks(i64::from(*ago)), clock)
        }
        Action::EditGoalOf(ago, minutes) => plan.edit_goal_of(
            today - Duration::weeks(i64::from(*ago)),
            None,
            *minutes,
            clock,
        ),
        Action::Replan(policy) => plan.replan(*policy, clock).map(|(_, c)| c),
        Action::UndoReplan => plan.undo_replan(clock),
        Action::SetWeek(ahead, windows) => {
            let text = windows
                .as_ref()
                .map(|w| Availability::new(w.clone()).expect("windows").to_string());
            plan.set_week(
                today + Duration::weeks(i64::from(*ahead)),
                text.as_deref(),
                clock,
            )
        }
        Action::Busy(raw) => plan.busy_changed(busy_at(raw, today, plan.zone), clock),
        Action::Timed(i, minutes) => {
            let near = near(plan, clock);
            if near.is_empty() {
                return None;
            }
            let s = near[i.index(near.len())];
            plan.book_timer(Some(s.id), &s.topic, *minutes, clock)
                .map(|(c, _)| c)
        }
        Action::NotToday(i, lead) => {
            let near = near(plan, clock);
            if near.is_empty() {
                return None;
            }
            plan.not_today(near[i.index(near.len())].id, *lead, clock)
        }
        Action::Review(i, recall, days) => {
            let done: Vec<&String> = plan
                .marks
                .iter()
                .filter(|(_, m)| m.mark == TopicMark::Done)
                .map(|(t, _)| t)
                .collect();
            let topic = if done.is_empty() {
                topic_at(plan, i)
            } else {
                done[i.index(done.len())].clone()
            };
            plan.review(
                &topic,
                *recall,
                Some(today - Duration::days(i64::from(*days))),
                clock,
            )
        }
    })
}

/// Requests the rules forbid are refused, with a message.
fn check_refusals(
    plan: &SavedPlan,
    action: &Action,
    clock: &Clock,
    decided: &Decision,
) -> Result<(), TestCaseError> {
    match action {
        Action::Move(i, days, minute) => {
            let near = near(plan, clock);
            let s = near[i.index(near.len())];
            let to = WallTime {
                date: clock.today() + Duration::days(i64::from(*days)),
                minute: *minute,
            };
            let end = to.minute + s.minutes;
            let blocked = plan
                .settings
                .blackouts
                .iter()
                .filter_map(|b| Blackout::parse(b).ok())
                .any(|b| b.contains(to.date));
            let cutoff = clock.cutoff();
            let collides = plan.sessions.iter().any(|o| {
                o.id != s.id
                    && o.status != SessionStatus::Cancelled
                    && o.date == to.date
                    && o.wall().minute < end
                    && to.minute < o.end().minute
                    && (o.status != SessionStatus::Planned || o.pinned || o.wall() < cutoff)
            });
            let start = clock.instant(to);
            let on_busy = plan.busy.iter().any(|b| {
                b.start < start + Duration::minutes(i64::from(s.minutes)) && start < b.end
            });
            let refused = blocked
                || on_busy
                || collides
                || end > 24 * 60
                || clock.instant(to) < clock.now
                || clock.has_come(s.wall())
                || s.status != SessionStatus::Planned;
            if refused {
                prop_assert!(
                    decided.is_err(),
                    "a move that breaks a rule was accepted: {:?} to {:?} (blocked {}, collides {})",
                    s,
                    to,
                    blocked,
                    collides
                );
                let message = decided
                    .as_ref()
                    .err()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                prop_assert!(!message.is_empty());
            }
        }
        Action::EditGoal(_, minutes) | Action::EditGoalOf(_, minutes) if *minutes == 0 => {
            prop_assert!(decided.is_err(), "a goal of 0 minutes was saved");
        }
        Action::EditGoalOf(ago, _)
            if plan
                .goals
                .get(&roadmap_core::clock::iso_week(
                    clock.today() - Duration::weeks(i64::from(*ago)),
                ))
                .is_some_and(|g| g.review.is_some()) =>
        {
            prop_assert!(decided.is_err(), "a closed week's goal changed");
        }
        Action::Log(_, minutes, _) | Action::EditLog(_, _, minutes, _)
            if !(1..=1440).contains(minutes) =>
        {
            prop_assert!(decided.is_err(), "a log of {} minutes was saved", minutes);
        }
        Action::EditLog(_, _, _, days)
            if clock.today() - Duration::days(i64::from(*days)) < plan.settings.start =>
        {
            prop_assert!(decided.is_err(), "a log was moved before the plan began");
        }
        Action::Log(_, _, days)
            if clock.today() - Duration::days(i64::from(*days)) < plan.settings.start =>
        {
            prop_assert!(
                decided.is_err(),
                "study logged before the plan began was saved"
            );
        }
        _ => {}
    }
    Ok(())
}

/// What changed obeys the rules: history stays, nothing new starts in the past.
fn check_transition(
    before: &SavedPlan,
    after: &SavedPlan,
    changes: &[Change],
    clock: &Clock,
) -> Result<(), String> {
    // Logged study: an entry corrected or taken back is that entry alone; every other stays.
    let touched: BTreeSet<i64> = changes
        .iter()
        .filter_map(|c| match c {
            Change::AddLog { id, .. } | Change::EditLog { id, .. } | Change::RemoveLog { id } => {
                Some(*id)
            }
            _ => None,
        })
        .collect();
    let others = |logs: &[roadmap_core::progress::StoredLog]| {
        logs.iter()
            .filter(|l| !touched.contains(&l.id))
            .cloned()
            .collect::<Vec<_>>()
    };
    if others(&before.logs) != others(&after.logs) {
        return Err("a log correction changed another entry".into());
    }
    for c in changes {
        match c {
            Change::RemoveLog { id } if after.logs.iter().any(|l| l.id == *id) => {
                return Err(format!(
                    "logged entry {id} is still there after its deletion"
                ));
            }
            Change::EditLog {
                id,
                topic,
                date,
                minutes,
            } if !after.logs.iter().any(|l| {
                l.id == *id && &l.topic == topic && l.date == *date && l.minutes == *minutes
            }) =>
            {
                return Err(format!("logged entry {id} does not read as corrected"));
            }
            _ => {}
        }
    }
    // Weeks: a week closed has that review, a week reopened none; every other week's record
    // stays as it was.
    let weeks: BTreeSet<&str> = changes
        .iter()
        .filter_map(|c| match c {
            Change::CloseWeek { week, .. }
            | Change::ReopenWeek { week }
            | Change::SaveGoal { week, .. } => Some(week.as_str()),
            _ => None,
        })
        .collect();
    for (week, goal) in &before.goals {
        if !weeks.contains(week.as_str()) && after.goals.get(week) != Some(goal) {
            return Err(format!("the week {week} changed without being touched"));
        }
    }
    for c in changes {
        match c {
            Change::CloseWeek { week, review }
                if after.goals.get(week).and_then(|g| g.review.as_ref()) != Some(review) =>
            {
                return Err(format!("the week {week} does not read as closed"));
            }
            Change::ReopenWeek { week }
                if after.goals.get(week).is_none_or(|g| g.review.is_some()) =>
            {
                return Err(format!("the week {week} is still closed after reopening"));
            }
            _ => {}
        }
    }
    let old: BTreeMap<i64, &StoredSession> = before.sessions.iter().map(|s| (s.id, s)).collect();
    let marked: BTreeSet<i64> = changes
        .iter()
        .filter_map(|c| match c {
            Change::SetSessionStatus { id, .. } => Some(*id),
            _ => None,
        })
        .collect();
    for s in &after.sessions {
        match old.get(&s.id) {
            None => {
                if clock.instant(s.wall()) < clock.now {
                    return Err(format!("new session {s:?} starts before now"));
                }
            }
            Some(o) => {
                let moved = (o.date, &o.start, o.minutes) != (s.date, &s.start, s.minutes);
                if clock.has_come(o.wall()) {
                    // History: a session that started before now keeps its time, and only
                    // the user's own mark may change its status.
                    if moved || o.pinned != s.pinned {
                        return Err(format!("past session {o:?} became {s:?}"));
                    }
                    if o.status != s.status && !marked.contains(&s.id) {
                        return Err(format!("past session {o:?} changed status to {s:?}"));
                    }
                }
                if moved && clock.instant(s.wall()) < clock.now {
                    return Err(format!("session {o:?} moved into the past: {s:?}"));
                }
                if moved && s.revision <= o.revision {
                    return Err(format!("session {} moved without a new revision", s.id));
                }
            }
        }
    }
    if before.sessions.len() > after.sessions.len() {
        return Err("a session was deleted".into());
    }
    Ok(())
}

/// The footprint rule: an action changes the place of its own sessions only; every other
/// session keeps its day, start and length (a plan people rely on stays put unless they ask).
/// - A topic marked, or its mark cleared; a review rated, missed or reopened: that topic's
///   sessions.
/// - A move: the session moved, the sessions it now sits on (placed again in their week, or
///   behind), and those topics' sessions added or cancelled (their work split anew, a
///   projected review no longer after any of their study).
/// - A busy calendar changed: the sessions it now sits on, likewise.
/// - A study session checked off, study logged, the week's goal or review: no place at all.
///
/// A replan is the learner's choice.
fn check_footprint(
    before: &SavedPlan,
    after: &SavedPlan,
    action: &Action,
    clock: &Clock,
) -> Result<(), String> {
    let cutoff = clock.cutoff();
    let movable =
        |s: &&StoredSession| s.status == SessionStatus::Planned && !s.pinned && s.wall() >= cutoff;
    // The sessions an action displaced (by id), and the topics whose sessions it may add or
    // cancel.
    let mut own_ids: BTreeSet<i64> = BTreeSet::new();
    let mut own_topics: BTreeSet<String> = BTreeSet::new();
    match action {
        Action::MarkTopic(i, _) => {
            own_topics.insert(topic_at(before, i));
        }
        Action::Review(..) => {
            // The rated topic: whatever review changed is of it.
            for c in session_changes(&before.sessions, &after.sessions) {
                let s = before.sessions.iter().find(|s| s.id == c.id);
                if s.is_none_or(|s| s.kind == SessionKind::Review) {
                    own_topics.insert(c.topic.clone());
                }
            }
            if own_topics.len() > 1 {
                return Err(format!(
                    "a rated review changed the reviews of {own_topics:?}"
                ));
            }
        }
        // The timer's booking and "Not today" check a session off, as marking it does.
        Action::MarkSession(i, _) | Action::Timed(i, _) | Action::NotToday(i, _) => {
            let near = near(before, clock);
            let Some(marked) = near.get(i.index(near.len().max(1))) else {
                return Ok(());
            };
            // Put back to planned on what a calendar has since made busy, it finds room again:
            // in its own week, where its work may come out in more pieces than one.
            own_ids.insert(marked.id);
            let week = roadmap_core::clock::monday_of(marked.date);
            for c in session_changes(&before.sessions, &after.sessions) {
                if let (None, Some(place)) = (&c.before, &c.after)
                    && c.topic == marked.topic
                    && roadmap_core::clock::monday_of(place.date) == week
                {
                    own_ids.insert(c.id);
                }
            }
            if marked.kind == SessionKind::Review {
                own_topics.insert(marked.topic.clone());
            }
        }
        Action::Move(i, days, minute) => {
            let near = near(before, clock);
            let s = near[i.index(near.len())];
            let date = clock.today() + Duration::days(i64::from(*days));
            own_ids.insert(s.id);
            own_topics.insert(s.topic.clone());
            for o in before.sessions.iter().filter(movable) {
                if o.date == date
                    && o.wall().minute < minute + s.minutes
                    && o.end().minute > *minute
                {
                    own_ids.insert(o.id);
                    own_topics.insert(o.topic.clone());
                }
            }
        }
        Action::SetWeek(ahead, _) => {
            // The week's sessions still to come: they may move within it or become behind.
            let monday =
                roadmap_core::clock::monday_of(clock.today() + Duration::weeks(i64::from(*ahead)));
            for o in before.sessions.iter().filter(movable) {
                if monday <= o.date && o.date <= monday + Duration::days(6) {
                    own_ids.insert(o.id);
                    own_topics.insert(o.topic.clone());
                }
            }
            // And after it, every one of them sits in the week's windows.
            let weekly = after.weekly().map_err(|e| e.to_string())?;
            for s in after.sessions.iter().filter(movable) {
                if monday <= s.date
                    && s.date <= monday + Duration::days(6)
                    && !weekly
                        .on(s.date)
                        .any(|w| w.start <= s.wall().minute && s.end().minute <= w.end)
                {
                    return Err(format!(
                        "session {} ({} {}) is outside its week's windows",
                        s.id, s.date, s.start
                    ));
                }
            }
        }
        Action::Busy(_) => {
            for o in before.sessions.iter().filter(movable) {
                let start = clock.instant(o.wall());
                let end = start + Duration::minutes(i64::from(o.minutes));
                if after.busy.iter().any(|b| b.start < end && start < b.end) {
                    own_ids.insert(o.id);
                    own_topics.insert(o.topic.clone());
                }
            }
        }
        Action::Log(..)
        | Action::EditLog(..)
        | Action::DeleteLog(..)
        | Action::EditGoal(..)
        | Action::CloseWeek
        | Action::CloseWeekOf(..)
        | Action::ReopenWeek(..)
        | Action::EditGoalOf(..) => {}
        // Checked against the plan before the replan (`check_undo`).
        Action::UndoReplan => {
            record_churn(
                action,
                session_changes(&before.sessions, &after.sessions).len(),
            );
            return Ok(());
        }
        Action::Replan(_) => {
            record_churn(
                action,
                session_changes(&before.sessions, &after.sessions).len(),
            );
            return Ok(());
        }
        Action::Wait(_) => return Ok(()),
    }
    // Calm: beyond the sessions the learner acted on (the one moved or marked, a marked
    // topic's own, a rated topic's projected reviews), an action changes at most CALM_LIMIT sessions by itself. (A busy
    // calendar's changes are the calendar's: one that moves more is held for the learner's
    // yes by the application layer, `busy::add`.)
    {
        let acted = |c: &SessionChange| match action {
            Action::Move(..) => c.id == moved_id(before, action, clock),
            // A marked topic's own sessions; a review's topic's projected reviews, which its
            // grade spaces anew.
            Action::MarkTopic(..)
            | Action::Review(..)
            | Action::MarkSession(..)
            | Action::Timed(..)
            | Action::NotToday(..) => own_topics.contains(&c.topic) || own_ids.contains(&c.id),
            _ => false,
        };
        let others: Vec<SessionChange> = session_changes(&before.sessions, &after.sessions)
            .into_iter()
            .filter(|c| !acted(c))
            .collect();
        record_churn(action, others.len());
        if others.len() > roadmap_core::saved::CALM_LIMIT
            && !matches!(action, Action::Busy(_) | Action::SetWeek(..))
        {
            return Err(format!(
                "{} other sessions changed, over the calm limit of {}: {others:?}",
                others.len(),
                roadmap_core::saved::CALM_LIMIT
            ));
        }
    }
    let relocating = matches!(
        action,
        Action::Move(..) | Action::Busy(_) | Action::SetWeek(..)
    );
    let outside: Vec<SessionChange> = session_changes(&before.sessions, &after.sessions)
        .into_iter()
        .filter(|c| {
            let own = own_ids.contains(&c.id)
                || (own_topics.contains(&c.topic)
                    && (!relocating || c.before.is_none() || c.after.is_none()));
            !own
        })
        .collect();
    if outside.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} sessions outside the action's footprint changed, first {:?}",
            outside.len(),
            outside[0]
        ))
    }
}

/// Whether lives record how many other sessions each action changed (the churn benchmark).
static RECORD_CHURN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
/// Per kind of action, how many other sessions each one changed.
static CHURN: std::sync::Mutex<BTreeMap<&'static str, Vec<usize>>> =
    std::sync::Mutex::new(BTreeMap::new());

fn record_churn(action: &Action, others: usize) {
    if !RECORD_CHURN.load(Ordering::Relaxed) {
        return;
    }
    let kind = match action {
        Action::MarkSession(..) => "mark a session",
        Action::Move(..) => "move a session",
        Action::Log(..) => "log study",
        Action::EditLog(..) => "correct logged study",
        Action::DeleteLog(..) => "delete logged study",
        Action::MarkTopic(_, Some(_)) => "mark a topic done or skipped",
        Action::MarkTopic(_, None) => "clear a topic's mark",
        Action::EditGoal(..) => "edit the week's goal",
        Action::CloseWeek => "close the week",
        Action::CloseWeekOf(..) => "close or correct a week",
        Action::ReopenWeek(..) => "reopen a week",
        Action::EditGoalOf(..) => "edit a week's goal",
        Action::Replan(_) => "replan (asked for)",
        Action::UndoReplan => "undo the last replan (asked for)",
        Action::SetWeek(..) => "change one week's times",
        Action::Review(..) => "rate a review",
        Action::Busy(_) => "busy calendars change",
        Action::Timed(..) => "stop the study timer",
        Action::NotToday(..) => "not today, from a reminder",
        Action::Wait(_) => return,
    };
    if let Ok(mut churn) = CHURN.lock() {
        churn.entry(kind).or_default().push(others);
    }
}

/// The churn benchmark: over random lives (fixed seeds, so the figures repeat), per kind of
/// action, the median, 90th percentile and largest number of other sessions one action changed.
/// `make churn-lives` (part of `make bench`); `CHURN_LIVES` lives, default 2,000.
#[test]
#[ignore = "a benchmark: `make churn-lives`"]
fn churn_over_random_lives() {
    let lives: u32 = std::env::var("CHURN_LIVES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    RECORD_CHURN.store(true, Ordering::Relaxed);
    let mut runner = TestRunner::new(Config {
        cases: lives,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(29),
        ..Config::default()
    });
    if let Err(e) = runner.run(&life(), |l| live(&l)) {
        panic!("{e}");
    }
    RECORD_CHURN.store(false, Ordering::Relaxed);
    let churn = CHURN.lock().expect("churn").clone();
    println!("{lives} random lives: other sessions changed by one action");
    println!(
        "| action | actions | median | 90th percentile | most | over {} |",
        roadmap_core::saved::CALM_LIMIT
    );
    println!("|---|---|---|---|---|---|");
    for (kind, mut counts) in churn {
        counts.sort_unstable();
        let at = |q: f64| counts[((counts.len() - 1) as f64 * q).round() as usize];
        println!(
            "| {kind} | {} | {} | {} | {} | {} |",
            counts.len(),
            at(0.5),
            at(0.9),
            counts[counts.len() - 1],
            counts
                .iter()
                .filter(|&&n| n > roadmap_core::saved::CALM_LIMIT)
                .count()
        );
    }
}

/// The session a move action moves (-1 for any other action).
fn moved_id(plan: &SavedPlan, action: &Action, clock: &Clock) -> i64 {
    match action {
        Action::Move(i, ..) => {
            let near = near(plan, clock);
            near[i.index(near.len())].id
        }
        _ => -1,
    }
}

/// The rules that hold in any state, checked against a reference computed here.
fn check_state(
    plan: &SavedPlan,
    clock: &Clock,
    action: Option<&Action>,
) -> Result<(), TestCaseError> {
    let violations = plan.violations();
    prop_assert!(violations.is_empty(), "{:?}", violations);
    let view = plan.view(clock);
    let live: Vec<&StoredSession> = plan
        .sessions
        .iter()
        .filter(|s| s.status != SessionStatus::Cancelled)
        .collect();
    // The projected finish is the last day with a study session that counts.
    let last = live
        .iter()
        .filter(|s| s.is_study() && s.status != SessionStatus::Missed)
        .map(|s| s.date)
        .max();
    prop_assert_eq!(view.projected_end, last);
    // Every topic of the plan stays on the view, whatever its state, with a place in time
    // once it is finished or has any session.
    for t in &plan.roadmap.topics {
        let in_plan = plan.settings.include_optional || !t.optional;
        let v = view.topics.iter().find(|v| v.id == t.id);
        if in_plan || plan.marks.contains_key(&t.id) {
            let v = v.ok_or_else(|| TestCaseError::fail(format!("topic {} is missing", t.id)))?;
            if matches!(v.state, TopicState::Done | TopicState::Skipped) {
                prop_assert!(
                    v.start.is_some() && v.finish.is_some(),
                    "finished topic {:?} has no place",
                    v
                );
            }
            if live
                .iter()
                .any(|s| s.topic == t.id && s.is_study() && s.status != SessionStatus::Missed)
            {
                prop_assert!(
                    v.start.is_some(),
                    "topic {} with sessions has no start",
                    t.id
                );
            }
        }
    }
    check_reviews(plan, clock, &live)?;
    // Nothing the plan may still move sits on a busy time of the learner's calendars.
    let cutoff = clock.cutoff();
    for s in live
        .iter()
        .filter(|s| s.status == SessionStatus::Planned && !s.pinned && s.wall() >= cutoff)
    {
        let start = clock.instant(s.wall());
        let end = start + Duration::minutes(i64::from(s.minutes));
        prop_assert!(
            !plan.busy.iter().any(|b| b.start < end && start < b.end),
            "session {:?} sits on a busy time",
            s
        );
    }
    // Nor at a wall time the clocks skip: it does not exist (it would be read one gap later,
    // on top of the time after the gap). The days with a change are the core's; every minute
    // of each session on them is asked of the zone itself.
    let changes: BTreeSet<NaiveDate> = roadmap_core::busy::skipped_stretches(
        plan.zone,
        clock.today() - Duration::days(1),
        roadmap_core::schedule::planner::HORIZON_YEARS + 1,
    )
    .iter()
    .map(|b| b.date)
    .collect();
    for s in live.iter().filter(|s| {
        s.status == SessionStatus::Planned
            && !s.pinned
            && s.wall() >= cutoff
            && changes.contains(&s.date)
    }) {
        use chrono::TimeZone;
        let midnight = s.date.and_time(chrono::NaiveTime::MIN);
        let start = i64::from(s.wall().minute);
        for m in start..start + i64::from(s.minutes) {
            let wall = midnight + Duration::minutes(m);
            prop_assert!(
                plan.zone.from_local_datetime(&wall).earliest().is_some(),
                "session {:?} runs through {wall}, which the clocks skip in {}",
                s,
                plan.zone
            );
        }
    }
    // Milestones: the last day of each step's topics, never before the plan begins; none for
    // a step the learner knew already (every topic skipped).
    for step in &view.steps {
        let of_step = || view.topics.iter().filter(|t| t.step == step.id);
        let expected = if of_step().all(|t| t.state == TopicState::Skipped) {
            None
        } else {
            of_step().filter_map(|t| t.finish).max()
        };
        prop_assert_eq!(step.milestone, expected);
        // Never before the plan begins, unless the learner moved study there.
        let first = plan
            .sessions
            .iter()
            .map(|s| s.date)
            .chain(plan.logs.iter().map(|l| l.date))
            .min()
            .map_or(plan.settings.start, |d| d.min(plan.settings.start));
        prop_assert!(step.milestone.is_none_or(|m| m >= first));
    }
    // Right after a full replan that placed everything, nothing is behind.
    if let Some(Action::Replan(_)) = action
        && plan
            .replan(ReplanPolicy::Extend, clock)
            .is_ok_and(|(p, _)| p.unscheduled_minutes == 0)
    {
        prop_assert_eq!(view.unplanned_minutes, 0, "behind right after a replan");
    }
    // The week view holds exactly the week's live sessions.
    let home = plan.home(clock);
    let monday = home.week.monday;
    let in_week = live
        .iter()
        .filter(|s| s.date >= monday && s.date < monday + Duration::days(7))
        .count();
    prop_assert_eq!(home.week.sessions.len(), in_week);
    Ok(())
}

/// Each replan policy keeps its promise (ARCHITECTURE.md, "Replan policies"), whatever came
/// before it.
fn check_promise(
    before: &SavedPlan,
    after: &SavedPlan,
    policy: ReplanPolicy,
    preview: &roadmap_core::api::ReplanPreview,
    clock: &Clock,
) -> Result<(), String> {
    let end = |p: &SavedPlan| p.record().projected_end();
    let (was, now) = (end(before), end(after));
    let earlier = matches!((was, now), (Some(w), Some(n)) if n < w);
    // Every policy but Use my pace keeps the estimates in force.
    if policy != ReplanPolicy::UsePace && after.settings.pace != before.settings.pace {
        return Err("the estimates in force changed".into());
    }
    match policy {
        ReplanPolicy::Extend if earlier => Err(format!(
            "Extend brought the finish earlier: {was:?} to {now:?}"
        )),
        ReplanPolicy::DropOptional => {
            if let Some(t) = preview
                .dropped
                .iter()
                .find(|t| !before.roadmap.topic(t).is_some_and(|t| t.optional))
            {
                return Err(format!("Drop optional dropped {t}, which is not optional"));
            }
            // Never later than keeping them: the same replan with the optional topics in.
            // (Compared when both place all their work: a plan cut off by the horizon ends
            // wherever the horizon does, the more so the more of its work fits.)
            let kept = before
                .replan(ReplanPolicy::Extend, clock)
                .or_else(|_| before.replan(ReplanPolicy::PullForward, clock))
                .ok()
                .filter(|(p, _)| p.unscheduled_minutes == 0 && preview.unscheduled_minutes == 0)
                .and_then(|(p, _)| p.projected_end);
            if let (Some(kept), Some(now)) = (kept, now)
                && now > kept
            {
                return Err(format!(
                    "Drop optional finished later than keeping them: {now} after {kept}"
                ));
            }
            Ok(())
        }
        ReplanPolicy::Compress { cap_hours_per_week } => {
            if preview.hours_per_week > cap_hours_per_week.max(preview.hours_per_week_before) + 1e-9
            {
                return Err(format!(
                    "Keep the target planned {} hours a week, over the cap of {cap_hours_per_week}",
                    preview.hours_per_week
                ));
            }
            // Never later than the finish the learner accepted, or the target if that is later.
            let reference = match (was, preview.target_end) {
                (Some(w), Some(t)) => Some(w.max(t - chrono::Duration::days(1))),
                (w, t) => w.or(t),
            };
            if let (Some(reference), Some(now)) = (reference, now)
                && now > reference
            {
                return Err(format!(
                    "Keep the target finished on {now}, after {reference}"
                ));
            }
            Ok(())
        }
        ReplanPolicy::UsePace => {
            if after.settings.availability != before.settings.availability
                || after.settings.include_optional != before.settings.include_optional
            {
                return Err("Use my pace changed more than the estimates".into());
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Spaced review, against a reference computed here: no week holds more review than the cap
/// (whatever was missed, it moves forward at most the cap a week); reviews are 15 or 30
/// minutes, never of a topic the roadmap leaves out, never two of one topic ahead on a day; a
/// review planned ahead is of a topic marked done or of one studied before it.
fn check_reviews(
    plan: &SavedPlan,
    clock: &Clock,
    live: &[&StoredSession],
) -> Result<(), TestCaseError> {
    let weekly = plan
        .settings
        .availability
        .as_deref()
        .map(|a| {
            Availability::parse(a)
                .expect("availability")
                .weekly_minutes()
        })
        .unwrap_or(0);
    let cap = u64::from(weekly) * u64::from(plan.settings.review_cap) / 100;
    let mut per_week: BTreeMap<NaiveDate, u64> = BTreeMap::new();
    let mut per_day: BTreeSet<(NaiveDate, &str)> = BTreeSet::new();
    for s in live.iter().filter(|s| s.kind == SessionKind::Review) {
        let monday = s.date - Duration::days(i64::from(s.date.weekday().num_days_from_monday()));
        *per_week.entry(monday).or_default() += u64::from(s.minutes);
        prop_assert!(
            s.minutes == 15 || s.minutes == 30,
            "review {:?} is not 15 or 30 minutes",
            s
        );
        let topic = plan.roadmap.topic(&s.topic).expect("topic");
        prop_assert!(topic.review, "review of {}, which opts out", s.topic);
        if !clock.has_come(s.wall()) {
            prop_assert!(
                per_day.insert((s.date, s.topic.as_str())),
                "two reviews of {} ahead on {}",
                s.topic,
                s.date
            );
        }
        if s.status == SessionStatus::Planned && !s.pinned && !clock.has_come(s.wall()) {
            let done = plan
                .marks
                .get(&s.topic)
                .is_some_and(|m| m.mark == TopicMark::Done);
            let studied_before = live
                .iter()
                .any(|o| o.is_study() && o.topic == s.topic && o.date < s.date);
            prop_assert!(
                done || studied_before,
                "review {:?} of a topic neither done nor studied before it",
                s
            );
        }
    }
    for (monday, minutes) in per_week {
        prop_assert!(
            minutes <= cap,
            "the week of {} holds {} minutes of review; the cap is {}",
            monday,
            minutes,
            cap
        );
    }
    if plan.settings.review_cap == 0 {
        prop_assert!(live.iter().all(|s| s.kind == SessionKind::Study));
    }
    Ok(())
}

#[test]
fn every_rule_holds_after_any_sequence_of_actions() {
    let mut runner = TestRunner::new(Config {
        cases: crate::cases(256),
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&life(), |l| live(&l));
    if let Err(e) = result {
        panic!("{e}");
    }
    // The lives reach spaced review: plans with review sessions, and reviews rated.
    let (with, rated) = (
        WITH_REVIEWS.load(Ordering::Relaxed),
        RATED.load(Ordering::Relaxed),
    );
    println!(
        "{with} lives had review sessions; {rated} reviews were rated; {} ended ahead with an offer to pull forward",
        AHEAD.load(Ordering::Relaxed)
    );
    assert!(with > 0 && rated > 0, "no life reached spaced review");
    assert!(
        UNDONE.load(Ordering::Relaxed) > 0,
        "no life took a replan back"
    );
    assert!(
        WEEKS_SET.load(Ordering::Relaxed) > 0,
        "no life changed a single week"
    );
}

static WITH_REVIEWS: AtomicU64 = AtomicU64::new(0);
static RATED: AtomicU64 = AtomicU64::new(0);
static AHEAD: AtomicU64 = AtomicU64::new(0);
static UNDONE: AtomicU64 = AtomicU64::new(0);
static WEEKS_SET: AtomicU64 = AtomicU64::new(0);

/// Wherever a life ends, its data written as the export file reads back as the same file, and
/// the plan it gives back is written as the same plan again.
fn check_round_trip(plan: &SavedPlan, life: &Life) -> Result<(), TestCaseError> {
    use roadmap_core::data::{
        BlockData, BusyCalendarData, DataFile, FORMAT, PlanData, PreferencesData, VERSION,
    };
    // The life's roadmap stands for the bundled one (it has no text of its own).
    let bundled = Arc::new(life.roadmap.clone());
    let file = DataFile {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: "2027-01-01T00:00:00Z".into(),
        plans: vec![PlanData::of(plan, true, None)],
        notes: BTreeMap::from([("a-topic".to_string(), "a note, with \"quotes\"".to_string())]),
        busy_calendars: vec![BusyCalendarData {
            name: "Shifts".into(),
            source: "https://example.org/shifts.ics".into(),
            blocks: plan
                .busy
                .iter()
                .map(|b| BlockData {
                    start: b.start,
                    end: b.end,
                })
                .collect(),
        }],
        preferences: PreferencesData {
            reminder_minutes: Some(30),
            reminders_chosen: true,
            keep_in_tray: false,
        },
    };
    let text = file.to_json();
    let read = DataFile::parse("life.json", &text, &bundled)
        .map_err(|e| TestCaseError::fail(format!("the export does not read back: {e}")))?;
    prop_assert_eq!(&read, &file);
    let plans = read
        .saved_plans(&bundled)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(plans.len(), 1);
    let again = PlanData::of(&plans[0].1, plans[0].0, None);
    prop_assert_eq!(&again, &file.plans[0]);
    let merged = roadmap_core::busy::merge(plan.busy.to_vec());
    prop_assert_eq!(plans[0].1.busy.as_slice(), merged.as_slice());
    prop_assert_eq!(read.to_json(), text);
    Ok(())
}

/// A replan taken back: every session the replan moved or cancelled is where and as it was
/// before the replan, every session it added is cancelled, the settings are those before it,
/// and nothing else changed since the moment of the undo.
fn check_undo(
    before_replan: &SavedPlan,
    before: &SavedPlan,
    after: &SavedPlan,
) -> Result<(), String> {
    let undo = before
        .last_replan
        .as_ref()
        .ok_or("undone without a record")?;
    if after.last_replan.is_some() {
        return Err("the record of the replan outlives its undo".into());
    }
    let touched: BTreeSet<i64> = undo
        .added
        .iter()
        .chain(&undo.cancelled)
        .copied()
        .chain(undo.moved_from.iter().map(|p| p.id))
        .collect();
    for c in session_changes(&before.sessions, &after.sessions) {
        if !touched.contains(&c.id) {
            return Err(format!(
                "session {} changed, and the replan did not touch it",
                c.id
            ));
        }
    }
    let place = |s: &StoredSession| (s.date, s.start.clone(), s.minutes, s.status);
    for id in &touched {
        let now = after.session(*id).map_err(|e| e.to_string())?;
        match before_replan.sessions.iter().find(|s| s.id == *id) {
            Some(was) if place(was) != place(now) => {
                return Err(format!(
                    "session {id} is {:?} after the undo, and was {:?} before the replan",
                    place(now),
                    place(was)
                ));
            }
            None if now.status != SessionStatus::Cancelled => {
                return Err(format!("session {id}, added by the replan, is still live"));
            }
            _ => {}
        }
    }
    let settings = |p: &SavedPlan| {
        (
            p.settings.availability.clone(),
            p.settings.include_optional,
            p.settings.pace.clone(),
        )
    };
    if settings(after) != settings(before_replan) {
        return Err(format!(
            "the settings after the undo are {:?}, and were {:?}",
            settings(after),
            settings(before_replan)
        ));
    }
    Ok(())
}

/// The long run: lives for `LIFE_SECONDS` (default 600), counting them. Ignored in `make test`;
/// `make life` runs it.
#[test]
#[ignore = "a ten-minute run: `make life`"]
fn every_rule_holds_for_ten_minutes() {
    let seconds: u64 = std::env::var("LIFE_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    let mut total = 0u64;
    let mut round = 0u64;
    while std::time::Instant::now() < deadline {
        round += 1;
        let mut runner = TestRunner::new(Config {
            cases: 200,
            failure_persistence: None,
            rng_seed: proptest::test_runner::RngSeed::Fixed(round),
            ..Config::default()
        });
        if let Err(e) = runner.run(&life(), |l| live(&l)) {
            panic!("after {total} lives: {e}");
        }
        total += 200;
        println!("{total} lives, no rule broken");
    }
    println!("done: {total} random lives in {seconds} s, every rule held after every step");
}
