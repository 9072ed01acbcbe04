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
        pace: None,
        weeks: Default::default(),
        chosen: Vec::new(),
        edits: Vec::new(),
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

/// A simple pseudo-random walk (xorshift, deterministic), so the tests need no extra
/// dependency: each call gives a number below `n`.
fn walk(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |n| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    }
}

/// Everything in a plan value but its roadmap (compared on its own: its index is a hash map,
/// whose debug text has no fixed order).
fn whole(p: &SavedPlan) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{}/{}/{}\n{:?}\n{:?}",
        p.meta,
        p.roadmap_id,
        p.settings,
        p.zone,
        p.sessions,
        p.marks,
        p.logs,
        p.goals,
        p.recalls,
        p.next_session_id,
        p.next_log_id,
        p.next_recall_id,
        p.busy,
        p.roadmap.topics,
    )
}

/// The app keeps the plan between actions (`KeptPlan`) instead of loading it for each: after
/// any sequence of its own changes, the CLI's changes on another connection, writes of other
/// tables and refused changes, the plan it hands out is exactly what a fresh load reads.
#[test]
fn the_kept_plan_is_always_what_a_load_reads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db.sqlite3");
    let mut app = roadmap_store::open(&path).expect("open");
    let mut cli = roadmap_store::open(&path).expect("open");
    let fresh = roadmap_store::open(&path).expect("open");
    let mut kept = plans::KeptPlan::default();
    let roadmap = Arc::new(Roadmap::bundled().expect("bundled"));
    assert!(kept.current(&app).expect("current").is_none());
    kept.replace(&mut app, |tx| {
        plans::create(tx, roadmap, None, &settings(), "Europe/Berlin", start())
    })
    .expect("create");
    let mut next = walk(0x2545_F491_4F6C_DD1D);
    let mut now = start();
    let (mut ours, mut theirs, mut refused) = (0, 0, 0);
    for step in 0..200 {
        let plan = kept.require_current(&app).expect("current");
        let loaded = plans::require_current(&fresh).expect("load");
        assert_eq!(
            whole(&plan),
            whole(&loaded),
            "step {step}: the kept plan is stale"
        );
        now += Duration::minutes(next(3000) as i64);
        let clock = plan.clock(now);
        let today = clock.today();
        let ids: Vec<i64> = plan
            .sessions
            .iter()
            .filter(|s| (s.date - today).num_days().abs() < 10)
            .map(|s| s.id)
            .collect();
        let id = ids.get(next(ids.len().max(1))).copied().unwrap_or(1);
        let topic = plan.roadmap.topics[next(plan.roadmap.topics.len())]
            .id
            .clone();
        let (b, c, action) = (next(1000), next(96), next(8));
        let decide = |p: &SavedPlan, clock: &roadmap_core::clock::Clock| match action {
            0 => p.mark_session(id, SessionMark::Done, clock),
            1 => p.mark_session(id, SessionMark::Missed, clock),
            2 => p.move_session(
                id,
                today + Duration::days((b % 8) as i64),
                &format!("{:02}:{:02}", c / 4, (c % 4) * 15),
                clock,
            ),
            3 => p.log_study(&topic, None, (b % 200) as i64 + 1, clock),
            4 => p.mark_topic(&topic, [Some(TopicMark::Done), None][b % 2], clock),
            5 => p.review(&topic, roadmap_core::api::Recall::Good, None, clock),
            6 => p.mark_session(id, SessionMark::Planned, clock),
            _ => p.replan(ReplanPolicy::Extend, clock).map(|(_, c)| c),
        };
        let result = match step % 5 {
            // The CLI, on its own connection.
            0 => plans::write(&mut cli, |tx| {
                plans::change(tx, now, |p, clock| {
                    decide(p, clock).map_err(StoreError::from)
                })
            })
            .map(|_| theirs += 1),
            // A change through the app's own connection, past the kept plan.
            1 => plans::write(&mut app, |tx| {
                plans::change(tx, now, |p, clock| {
                    decide(p, clock).map_err(StoreError::from)
                })
            })
            .map(|_| theirs += 1),
            // A write of another table through the app's own connection.
            2 if b % 3 == 0 => plans::write(&mut app, |tx| {
                roadmap_store::topic_notes::set(tx, &plan, &topic, "a note", "2027-01-04T00:00:00Z")
            }),
            _ => kept
                .change(&mut app, now, |p, clock| {
                    decide(p, clock).map_err(StoreError::from)
                })
                .map(|_| ours += 1),
        };
        if result.is_err() {
            refused += 1;
        }
    }
    assert!(ours > 60 && theirs > 15, "ours {ours}, theirs {theirs}");
    assert!(
        refused > 0,
        "no change was refused: the refused path is not tested"
    );
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
    let mut next = walk(0x9E37_79B9_7F4A_7C15);
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
                            // (A replan that would only bring the finish earlier is refused,
                            // and changes nothing.)
                            if i % 5 == 4 {
                                return match p.replan(ReplanPolicy::Extend, c) {
                                    Ok((_, changes)) => Ok(changes),
                                    Err(roadmap_core::CoreError::Refused(_)) => Ok(Vec::new()),
                                    Err(e) => Err(e.into()),
                                };
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
