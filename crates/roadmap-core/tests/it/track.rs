//! Every bundled track plans, and switching tracks in a running plan keeps what the learner
//! recorded: random plans on the bundled roadmap, studied for a while (sessions checked off,
//! study logged, a topic marked done), then switched from track to track.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use roadmap_core::Roadmap;
use roadmap_core::api::{PlanSettings, SessionMark, SessionStatus, TopicMark};
use roadmap_core::clock::Clock;
use roadmap_core::saved::{SavedPlan, session_changes};
use roadmap_core::schedule::planner;

const OPTIONS: [&str; 3] = ["python", "java", "node"];

/// Switches made, over all cases: the test below must have switched at all.
static SWITCHED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The property below makes real switches, not only refusals: it is run again here (a
/// proptest is an ordinary function) and the switches it made are counted.
#[test]
fn switches_happen() {
    a_track_switch_keeps_what_was_recorded_and_plans_the_new_track();
    assert!(SWITCHED.load(std::sync::atomic::Ordering::Relaxed) > 10);
}

/// Plan settings for the bundled roadmap (the first track, no optional topics).
pub(super) fn settings(
    start: NaiveDate,
    months: Option<u32>,
    availability: Option<&str>,
) -> PlanSettings {
    PlanSettings {
        start,
        months,
        availability: availability.map(str::to_string),
        blackouts: Vec::new(),
        session_min: 30,
        session_max: 120,
        include_optional: false,
        known: Vec::new(),
        some: Vec::new(),
        review_cap: 15,
        pace: None,
        weeks: Default::default(),
        chosen: Vec::new(),
        edits: Vec::new(),
    }
}

/// Every track of the bundled roadmap plans in full over 6 to 24 months with the hours it
/// proposes: every topic scheduled, each after its prerequisites, inside the target.
#[test]
fn every_bundled_track_plans_feasibly_over_6_to_24_months() {
    let bundled = Roadmap::bundled().expect("bundled");
    let start = NaiveDate::from_ymd_opt(2027, 1, 4).expect("date");
    for option in OPTIONS {
        let roadmap = bundled.choose(option).expect("an option");
        assert!(
            roadmap
                .topics
                .iter()
                .all(|t| t.option.as_deref().is_none_or(|o| o == option))
        );
        for months in [6, 9, 12, 18, 24] {
            let s = PlanSettings {
                chosen: vec![option.to_string()],
                ..settings(start, Some(months), None)
            };
            let plan = planner::plan(&s.request(&roadmap).expect("request")).expect("plan");
            assert!(
                plan.feasible,
                "{option}, {months} months: {:?}",
                plan.unscheduled
            );
            assert!(plan.unscheduled.is_empty(), "{option}, {months} months");
            let end = planner::target_end(start, months).expect("end");
            assert!(
                plan.projected_end.is_some_and(|d| d < end),
                "{option}, {months}"
            );
            let mut last: BTreeMap<&str, NaiveDate> = BTreeMap::new();
            let mut first: BTreeMap<&str, NaiveDate> = BTreeMap::new();
            for x in plan
                .sessions
                .iter()
                .filter(|x| x.kind == roadmap_core::api::SessionKind::Study)
            {
                last.insert(&x.topic, x.date);
                first.entry(&x.topic).or_insert(x.date);
            }
            for t in roadmap.topics.iter().filter(|t| !t.optional) {
                assert!(
                    first.contains_key(t.id.as_str()),
                    "{option}: {} unplanned",
                    t.id
                );
                for r in &t.requires {
                    assert!(
                        roadmap.topic(r).is_some(),
                        "{option}: {} requires {r}",
                        t.id
                    );
                    if let (Some(f), Some(l)) = (first.get(t.id.as_str()), last.get(r.as_str())) {
                        assert!(l <= f, "{option}: {} starts before {r} ends", t.id);
                    }
                }
            }
        }
    }
}

/// What the learner recorded: each session's state, logs, marks.
pub(super) type Recorded = (
    Vec<(i64, SessionStatus, u32)>,
    usize,
    BTreeMap<String, TopicMark>,
);

pub(super) fn recorded(p: &SavedPlan) -> Recorded {
    (
        p.sessions
            .iter()
            .filter(|s| {
                matches!(
                    s.status,
                    SessionStatus::Done | SessionStatus::Partial | SessionStatus::Missed
                )
            })
            .map(|s| (s.id, s.status, s.done_minutes))
            .collect(),
        p.logs.len(),
        p.marks.iter().map(|(t, m)| (t.clone(), m.mark)).collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn a_track_switch_keeps_what_was_recorded_and_plans_the_new_track(
        first in 0usize..3,
        switches in proptest::collection::vec((0usize..3, 1i64..60), 1..4),
        studied in 1usize..12,
        hours in prop_oneof![Just("mon=19:00-21:00,wed=19:00-21:00,sat=09:00-13:00"), Just("tue=18:00-21:00,thu=18:00-21:00,sun=10:00-16:00")],
        minute in 0u32..(24 * 60),
        mark_one in any::<bool>(),
    ) {
        let zone: chrono_tz::Tz = "Europe/Berlin".parse().expect("zone");
        let start = NaiveDate::from_ymd_opt(2027, 1, 4).expect("date");
        let s = PlanSettings {
            chosen: vec![OPTIONS[first].to_string()],
            ..settings(start, Some(18), Some(hours))
        };
        let born = Clock::new(
            roadmap_core::calendar::to_utc(zone, start, 7 * 60).expect("instant"),
            zone,
        );
        let roadmap = Arc::new(Roadmap::bundled().expect("bundled"));
        let mut plan = SavedPlan::create(roadmap, None, &s, &born, 1, Default::default()).expect("plan");
        let mut now = roadmap_core::calendar::to_utc(zone, start + Duration::days(1), minute).expect("now");
        for (option, days) in switches {
            // Study for a while: the first few sessions that have come are checked off, one
            // partly, and an hour logged on a shared topic.
            now += Duration::days(days);
            let clock = plan.clock(now);
            let come: Vec<i64> = plan
                .sessions
                .iter()
                .filter(|x| x.status == SessionStatus::Planned && clock.has_come(x.wall()))
                .map(|x| x.id)
                .take(studied)
                .collect();
            for (k, id) in come.iter().enumerate() {
                let mark = if k == 0 { SessionMark::Partial { minutes: 10 } } else { SessionMark::Done };
                if let Ok(c) = plan.mark_session(*id, mark, &clock) {
                    plan.apply(&c, &clock);
                }
            }
            if let Ok(c) = plan.log_study("git-basics", None, 60, &clock) {
                plan.apply(&c, &clock);
            }
            if mark_one && let Ok(c) = plan.mark_topic("linux-command-line", Some(TopicMark::Done), &clock) {
                plan.apply(&c, &clock);
            }

            let before = plan.clone();
            let option = OPTIONS[option];
            let result = plan.switch_track(option, &clock);
            let chosen_now = plan.roadmap.choices[0].chosen.clone();
            if chosen_now == option {
                prop_assert!(result.is_err(), "switching to the track in force is refused");
                continue;
            }
            let (preview, changes) = result.expect("a switch");
            plan.apply(&changes, &clock);
            // The plan follows the new track, and its roadmap is that track's.
            prop_assert_eq!(&plan.roadmap.choices[0].chosen, option);
            SWITCHED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            prop_assert_eq!(&plan.settings.chosen, &vec![option.to_string()]);
            prop_assert!(plan.roadmap.topics.iter().all(|t| t.option.as_deref().is_none_or(|o| o == option)));
            // Every rule holds; the preview is what the switch did.
            prop_assert_eq!(plan.violations(), Vec::<String>::new());
            prop_assert_eq!(&preview.changes, &session_changes(&before.sessions, &plan.sessions));
            // What was recorded is kept, every session that has begun stays as it was.
            prop_assert_eq!(recorded(&before), recorded(&plan));
            prop_assert_eq!(&before.logs, &plan.logs);
            for b in before.sessions.iter().filter(|x| !clock.has_come(x.wall()) || x.status != SessionStatus::Planned) {
                let a = plan.sessions.iter().find(|x| x.id == b.id).expect("kept");
                if clock.has_come(b.wall()) {
                    prop_assert_eq!(b, a, "a session that has begun changed");
                }
            }
            // No session still to come is of a topic the new track lacks.
            let cutoff = clock.cutoff();
            let topics: BTreeSet<&str> = plan.roadmap.topics.iter().map(|t| t.id.as_str()).collect();
            for x in plan.sessions.iter().filter(|x| x.status == SessionStatus::Planned && x.wall() >= cutoff) {
                prop_assert!(topics.contains(x.topic.as_str()), "{} is still planned", x.topic);
            }
            // The new track's own topics are planned, unless the plan has no room left.
            if preview.unscheduled_minutes == 0 {
                for t in plan.roadmap.topics.iter().filter(|t| t.option.is_some() && !t.optional) {
                    prop_assert!(
                        plan.marks.contains_key(&t.id)
                            || plan.sessions.iter().any(|x| x.topic == t.id && x.status != SessionStatus::Cancelled),
                        "{} has no session", t.id
                    );
                }
            }
            // Study recorded on the old track still reads under its title.
            for x in plan.sessions.iter().filter(|x| x.status == SessionStatus::Done) {
                prop_assert!(plan.roadmap.any_topic(&x.topic).is_some(), "{} has no title", x.topic);
            }
        }
    }
}
