//! What the store writes is what the core decided, and two writers at once neither fail nor
//! lose a change.

use std::sync::{Arc, Barrier};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use roadmap_core::Roadmap;
use roadmap_core::api::{PlanSettings, ReplanPolicy, SessionMark, SessionStatus, TopicMark};
use roadmap_core::saved::SavedPlan;
use roadmap_store::StoreError;
use roadmap_store::plans;

fn settings() -> PlanSettings {
    PlanSettings {
        start: "2027-01-04".parse().expect("date"),
        months: Some(12),
        availability: Some("mon=19:00-21:00,wed=19:00-21:00,sat=09:00-13:00".into()),
        blackouts: vec!["2027-02-01..2027-02-03".into()],
        session_min: 30,
        session_max: 120,
        include_optional: true,
        known: Vec::new(),
        some: Vec::new(),
        review_cap: 15,
    }
}

fn start() -> DateTime<Utc> {
    "2027-01-04T07:00:00Z".parse().expect("instant")
}

/// The parts of a plan the database keeps, for comparing a loaded plan with the core's value.
fn kept(p: &SavedPlan) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{}",
        p.sessions, p.marks, p.logs, p.goals, p.settings, p.meta.revised_at
    )
}

/// A simple pseudo-random walk (deterministic), so the test needs no extra dependency: every
/// kind of change, at every hour of many days, written through the store and read back.
#[test]
fn what_the_store_reads_back_is_what_the_core_decided() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db.sqlite3");
    let mut conn = roadmap_store::open(&path).expect("open");
    let roadmap = Arc::new(Roadmap::bundled().expect("bundled"));
    let mut value = plans::write(&mut conn, |tx| {
        plans::create(tx, roadmap, None, &settings(), "Europe/Berlin", start())
    })
    .expect("create");
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut now = start();
    let topics: Vec<String> = value.roadmap.topics.iter().map(|t| t.id.clone()).collect();
    let mut applied = 0;
    for _ in 0..150 {
        now += Duration::minutes(next(3000) as i64);
        let today: NaiveDate = value.clock(now).today();
        let near: Vec<i64> = value
            .sessions
            .iter()
            .filter(|s| (s.date - today).num_days().abs() < 10)
            .map(|s| s.id)
            .collect();
        let pick = |i: usize| near.get(i % near.len().max(1)).copied().unwrap_or(1);
        let (a, b, c) = (next(1000), next(1000), next(96));
        let topic = topics[a % topics.len()].clone();
        let result = plans::write(&mut conn, |tx| {
            plans::change(tx, now, |p, clock| {
                let decided = match next(7) {
                    0 => p.mark_session(pick(a), SessionMark::Done, clock),
                    1 => p.mark_session(pick(a), SessionMark::Missed, clock),
                    2 => p.move_session(
                        pick(a),
                        today + Duration::days((b % 8) as i64),
                        &format!("{:02}:{:02}", c / 4, (c % 4) * 15),
                        clock,
                    ),
                    3 => p.log_study(&topic, None, (b % 200) as i64 + 1, clock),
                    4 => p.mark_topic(&topic, [Some(TopicMark::Done), None][b % 2], clock),
                    5 => p.edit_goal(std::slice::from_ref(&topic), (b as u32 % 600) + 1, clock),
                    _ => p.replan(ReplanPolicy::Extend, clock).map(|(_, c)| c),
                };
                decided.map_err(StoreError::from)
            })
        });
        if let Ok(after) = result {
            applied += 1;
            value = after;
        }
        let loaded = plans::require_current(&conn).expect("load");
        assert_eq!(
            kept(&loaded),
            kept(&value),
            "the store wrote something else"
        );
        assert!(loaded.violations().is_empty(), "{:?}", loaded.violations());
    }
    assert!(applied > 50, "only {applied} changes were accepted");
}

/// Two connections (the app's and the CLI's) write at once: each waits for the other instead
/// of failing with "database is locked", and each change lands.
#[test]
fn two_writers_at_once_wait_for_each_other_and_lose_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db.sqlite3");
    {
        let mut conn = roadmap_store::open(&path).expect("open");
        let roadmap = Arc::new(Roadmap::bundled().expect("bundled"));
        plans::write(&mut conn, |tx| {
            plans::create(tx, roadmap, None, &settings(), "Europe/Berlin", start())
        })
        .expect("create");
    }
    let writers = 4;
    let per_writer = 25;
    let barrier = Arc::new(Barrier::new(writers));
    let handles: Vec<_> = (0..writers)
        .map(|w| {
            let path = path.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let mut conn = roadmap_store::open(&path).expect("open");
                barrier.wait();
                for i in 0..per_writer {
                    let now = start() + Duration::hours(1);
                    plans::write(&mut conn, |tx| {
                        plans::change(tx, now, |p, c| {
                            // Writers alternate between logging study and replanning (which
                            // reads every session): both must see every earlier write.
                            if i % 5 == 4 {
                                return Ok(p.replan(ReplanPolicy::Extend, c)?.1);
                            }
                            Ok::<_, StoreError>(p.log_study(
                                "git-basics",
                                None,
                                (w * 100 + i + 1) as i64,
                                c,
                            )?)
                        })
                    })
                    .unwrap_or_else(|e| panic!("writer {w}, change {i}: {e}"));
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("writer");
    }
    let conn = roadmap_store::open(&path).expect("open");
    let plan = plans::require_current(&conn).expect("plan");
    let logged: Vec<u32> = plan.logs.iter().map(|l| l.minutes).collect();
    let expected = writers * (per_writer - per_writer / 5);
    assert_eq!(logged.len(), expected, "a write was lost");
    let mut sorted = logged.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), expected, "every log is distinct");
    assert!(plan.violations().is_empty());
    assert!(
        plan.sessions
            .iter()
            .filter(|s| s.status == SessionStatus::Planned)
            .count()
            > 0
    );
}
