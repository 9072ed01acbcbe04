//! The data file through the store: whatever a random plan holds, imported into an empty
//! database and exported again, reads back as the same file (apart from its stamp).

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestRunner};
use roadmap_core::Roadmap;
use roadmap_core::api::{
    PlanSettings, Recall, ReplanPolicy, ReviewOutcome, SessionMark, TopicMark, WeekReview,
};
use roadmap_core::clock::Clock;
use roadmap_core::data::{
    BlockData, BusyCalendarData, DataFile, FORMAT, PlanData, PreferencesData, VERSION,
};
use roadmap_core::saved::SavedPlan;

/// What a learner does, in a random order.
#[derive(Debug, Clone)]
enum Act {
    Wait(u32),
    Mark(Index, u8),
    Log(Index, u32),
    Topic(Index, bool),
    Close(u8),
    Review(Index, u8),
    Replan,
    Week(u8, bool),
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        3 => (60u32..6000).prop_map(Act::Wait),
        3 => (any::<Index>(), 0u8..4).prop_map(|(i, m)| Act::Mark(i, m)),
        2 => (any::<Index>(), 1u32..300).prop_map(|(i, m)| Act::Log(i, m)),
        1 => (any::<Index>(), any::<bool>()).prop_map(|(i, d)| Act::Topic(i, d)),
        1 => (0u8..3).prop_map(Act::Close),
        1 => (any::<Index>(), 0u8..4).prop_map(|(i, g)| Act::Review(i, g)),
        1 => Just(Act::Replan),
        1 => (0u8..3, any::<bool>()).prop_map(|(w, none)| Act::Week(w, none)),
    ]
}

/// A plan lived through `acts` (refused ones skipped), from 2027-01-04 in Berlin.
fn lived(roadmap: &Arc<Roadmap>, acts: &[Act]) -> SavedPlan {
    let zone: chrono_tz::Tz = "Europe/Berlin".parse().expect("zone");
    let mut now: DateTime<Utc> = "2027-01-04T07:00:00Z".parse().expect("instant");
    let settings = PlanSettings {
        start: NaiveDate::from_ymd_opt(2027, 1, 4).expect("date"),
        months: Some(12),
        availability: Some("mon=19:00-21:00,wed=19:00-21:00,sat=09:00-13:00".into()),
        blackouts: vec!["2027-04-01..2027-04-10".into()],
        session_min: 30,
        session_max: 120,
        include_optional: true,
        known: Vec::new(),
        some: vec!["version-control".into()],
        review_cap: 15,
        pace: None,
        weeks: BTreeMap::new(),
        chosen: Vec::new(),
        edits: Vec::new(),
    };
    let mut plan = SavedPlan::create(
        Arc::clone(roadmap),
        None,
        &settings,
        &Clock::new(now, zone),
        1,
        Arc::new(Vec::new()),
    )
    .expect("a plan");
    for a in acts {
        let clock = Clock::new(now, zone);
        let today = clock.today();
        let topic = |i: &Index| roadmap.topics[i.index(roadmap.topics.len())].id.clone();
        let near: Vec<i64> = plan
            .sessions
            .iter()
            .filter(|s| s.date <= today && s.date + Duration::days(14) >= today)
            .map(|s| s.id)
            .collect();
        let decided = match a {
            Act::Wait(m) => {
                now += Duration::minutes(i64::from(*m));
                continue;
            }
            Act::Mark(i, m) if !near.is_empty() => {
                let mark = match m {
                    0 => SessionMark::Done,
                    1 => SessionMark::Missed,
                    2 => SessionMark::Partial { minutes: 20 },
                    _ => SessionMark::Planned,
                };
                plan.mark_session(near[i.index(near.len())], mark, &clock)
            }
            Act::Mark(..) => continue,
            Act::Log(i, m) => plan.log_study(&topic(i), None, i64::from(*m), &clock),
            Act::Topic(i, done) => plan.mark_topic(
                &topic(i),
                Some(if *done {
                    TopicMark::Done
                } else {
                    TopicMark::Skipped
                }),
                &clock,
            ),
            Act::Close(ago) => plan.close_week_of(
                today - Duration::weeks(i64::from(*ago)),
                &WeekReview {
                    outcome: ReviewOutcome::Partly,
                    note: format!("{ago} weeks ago, \"quoted\""),
                },
                &clock,
            ),
            Act::Review(i, g) => plan.review(&topic(i), Recall::ALL[usize::from(*g)], None, &clock),
            Act::Replan => plan.replan(ReplanPolicy::Extend, &clock).map(|(_, c)| c),
            Act::Week(ahead, none) => plan.set_week(
                today + Duration::weeks(i64::from(*ahead)),
                Some(if *none { "" } else { "sat=09:00-11:00" }),
                &clock,
            ),
        };
        if let Ok(changes) = decided {
            plan.apply(&changes, &clock);
            let goal = plan.ensure_week_goal(&clock);
            plan.apply(&goal, &clock);
        }
    }
    plan
}

#[test]
fn a_random_plan_imported_into_an_empty_database_exports_as_the_same_file() {
    let roadmap = Arc::new(Roadmap::bundled().expect("bundled"));
    let mut runner = TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(
        &(proptest::collection::vec(act(), 0..40), 0u32..3),
        |(acts, blocks)| {
            let plan = lived(&roadmap, &acts);
            let start: DateTime<Utc> = "2027-02-01T08:00:00Z".parse().expect("instant");
            let file = DataFile {
                format: FORMAT.into(),
                version: VERSION,
                exported_at: "2027-06-01T10:00:00Z".into(),
                plans: vec![PlanData::of(&plan, true, None)],
                notes: BTreeMap::from([(
                    "http-fundamentals".to_string(),
                    "status codes: 2xx, 4xx; \"quoted\"\nsecond line".to_string(),
                )]),
                busy_calendars: vec![BusyCalendarData {
                    name: "Shifts".into(),
                    source: "https://example.org/shifts.ics".into(),
                    blocks: (0..blocks)
                        .map(|d| BlockData {
                            start: start + Duration::days(i64::from(d)),
                            end: start + Duration::days(i64::from(d)) + Duration::hours(8),
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
            let read = DataFile::parse("random.json", &text, &roadmap)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let dir = tempfile::tempdir().expect("tempdir");
            let mut conn =
                roadmap_store::open(&dir.path().join("planner.db")).expect("an empty database");
            let tx = conn.transaction().expect("tx");
            roadmap_store::data::import(&tx, &read, start).expect("import");
            tx.commit().expect("commit");
            let again = roadmap_store::data::export(
                &conn,
                "2027-06-01T10:00:00Z".parse().expect("instant"),
            )
            .expect("export");
            prop_assert_eq!(again.to_json(), text);
            Ok(())
        },
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}
