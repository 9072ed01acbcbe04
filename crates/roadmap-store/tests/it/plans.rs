//! Plans, sessions and progress through the store, on real SQLite files.

use chrono::NaiveDate;
use roadmap_core::Roadmap;
use roadmap_core::api::{
    ErrorKind, PlanSettings, ReplanPolicy, ReviewOutcome, SessionMark, SessionStatus, TopicMark,
    TopicState, WeekReview,
};
use roadmap_store::plans::{self, StoredPlan};
use roadmap_store::{StoreError, sessions, study_log, topic_marks, week_goals};
use rusqlite::Connection;

const NOW: &str = "2027-01-04T08:00:00Z";

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn settings(start: &str, months: Option<u32>) -> PlanSettings {
    PlanSettings {
        start: day(start),
        months,
        availability: Some("mon=19:00-21:00,wed=19:00-21:00,sat=09:00-13:00".into()),
        blackouts: vec!["2027-04-01..2027-04-10".into()],
        session_min: 30,
        session_max: 120,
        include_optional: true,
    }
}

fn create(conn: &mut Connection, s: &PlanSettings) -> StoredPlan {
    let roadmap = Roadmap::bundled().expect("bundled");
    let tx = conn.transaction().expect("tx");
    let plan = plans::create(&tx, &roadmap, None, s, NOW).expect("create");
    tx.commit().expect("commit");
    plan
}

fn current(conn: &Connection) -> StoredPlan {
    plans::require_current(conn).expect("a plan")
}

/// Runs `f` in a transaction that is committed only when it succeeds, like the shells do.
fn write<T>(
    conn: &mut Connection,
    f: impl FnOnce(&rusqlite::Transaction<'_>, &StoredPlan) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let plan = current(conn);
    let tx = conn.transaction().expect("tx");
    let value = f(&tx, &plan)?;
    tx.commit().expect("commit");
    Ok(value)
}

#[test]
fn no_plan_at_first() {
    let conn = roadmap_store::open_in_memory().expect("open");
    assert!(plans::current(&conn).expect("query").is_none());
    let err = plans::require_current(&conn).expect_err("no plan");
    assert_eq!(
        roadmap_core::api::ApiError::from(err).kind,
        ErrorKind::NotFound
    );
}

#[test]
fn a_saved_plan_reads_back_equal_with_its_sessions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db.sqlite3");
    let saved = create(
        &mut roadmap_store::open(&path).expect("open"),
        &settings("2027-01-04", Some(12)),
    );
    let conn = roadmap_store::open(&path).expect("reopen");
    let loaded = current(&conn);
    assert_eq!(
        loaded.view(day("2027-01-04")),
        saved.view(day("2027-01-04"))
    );
    assert_eq!(loaded.sessions, saved.sessions);
    assert!(loaded.sessions.len() > 100, "{}", loaded.sessions.len());
    assert!(
        loaded
            .sessions
            .iter()
            .all(|s| s.revision == 0 && s.status == SessionStatus::Planned)
    );
    // The sessions are the scheduler's, in the blackout's absence.
    assert!(
        !loaded
            .sessions
            .iter()
            .any(|s| s.date >= day("2027-04-01") && s.date <= day("2027-04-10"))
    );
    let view = loaded.view(day("2027-01-04"));
    assert_eq!(view.steps.len(), 8);
    assert!(view.steps.iter().all(|s| s.milestone.is_some()));
    assert_eq!(
        view.settings.blackouts,
        vec!["2027-04-01..2027-04-10".to_string()]
    );
}

#[test]
fn a_plan_without_a_target_or_availability_is_refused_and_nothing_is_saved() {
    let mut conn = roadmap_store::open_in_memory().expect("open");
    let mut s = settings("2027-01-04", None);
    s.availability = None;
    let roadmap = Roadmap::bundled().expect("bundled");
    let tx = conn.transaction().expect("tx");
    let err = plans::create(&tx, &roadmap, None, &s, NOW).expect_err("refused");
    assert_eq!(
        roadmap_core::api::ApiError::from(err).kind,
        ErrorKind::InvalidInput
    );
    drop(tx);
    assert!(plans::current(&conn).expect("query").is_none());
}

#[test]
fn a_proposed_availability_is_kept_with_the_plan() {
    let mut conn = roadmap_store::open_in_memory().expect("open");
    let mut s = settings("2027-01-04", Some(9));
    s.availability = None;
    let plan = create(&mut conn, &s);
    let a = plan.settings.availability.clone().expect("kept");
    assert!(a.contains("sat="), "{a}");
    assert_eq!(current(&conn).settings.availability, Some(a));
}

#[test]
fn a_new_plan_replaces_the_current_one() {
    let mut conn = roadmap_store::open_in_memory().expect("open");
    let first = create(&mut conn, &settings("2027-01-04", Some(9)));
    let second = create(&mut conn, &settings("2027-03-01", Some(18)));
    assert_ne!(first.meta.id, second.meta.id);
    let now = current(&conn);
    assert_eq!(now.meta.id, second.meta.id);
    assert_eq!(now.settings.months, Some(18));
}

#[test]
fn marking_sessions_and_logging_study_show_in_progress() {
    let mut conn = roadmap_store::open_in_memory().expect("open");
    let plan = create(&mut conn, &settings("2027-01-04", Some(12)));
    let today = day("2027-01-20");
    let past: Vec<_> = plan
        .sessions
        .iter()
        .filter(|s| s.date < today)
        .cloned()
        .collect();
    assert!(past.len() >= 4);
    write(&mut conn, |tx, p| {
        sessions::mark(tx, p, past[0].id, SessionMark::Done, today, NOW)
    })
    .expect("done");
    write(&mut conn, |tx, p| {
        sessions::mark(
            tx,
            p,
            past[1].id,
            SessionMark::Partial { minutes: 20 },
            today,
            NOW,
        )
    })
    .expect("partial");
    write(&mut conn, |tx, p| {
        sessions::mark(tx, p, past[2].id, SessionMark::Missed, today, NOW)
    })
    .expect("missed");
    let topic = past[3].topic.clone();
    write(&mut conn, |tx, p| {
        study_log::add(tx, p, &topic, today, 45, today, NOW)
    })
    .expect("log");

    let p = current(&conn);
    let view = p.view(today);
    let expect = past[0].minutes + 20 + 45;
    assert_eq!(view.progress.minutes_done, expect);
    let t0 = view
        .topics
        .iter()
        .find(|t| t.id == past[0].topic)
        .expect("topic");
    assert_eq!(t0.state, TopicState::InProgress);

    // Bad input changes nothing and names the problem.
    let future = plan
        .sessions
        .iter()
        .find(|s| s.date > today)
        .expect("future");
    let e = write(&mut conn, |tx, p| {
        sessions::mark(tx, p, future.id, SessionMark::Done, today, NOW)
    })
    .expect_err("future");
    assert!(e.to_string().contains("has not come yet"), "{e}");
    let e = write(&mut conn, |tx, p| {
        study_log::add(tx, p, "no-such-topic", today, 30, today, NOW)
    })
    .expect_err("unknown");
    assert!(e.to_string().contains("no-such-topic"), "{e}");
    let e = write(&mut conn, |tx, p| {
        study_log::add(tx, p, &topic, today, -5, today, NOW)
    })
    .expect_err("negative");
    assert!(e.to_string().contains("-5"), "{e}");
    let e = write(&mut conn, |tx, p| {
        study_log::add(tx, p, &topic, day("2027-01-21"), 30, today, NOW)
    })
    .expect_err("future date");
    assert!(e.to_string().contains("future"), "{e}");
    let e = write(&mut conn, |tx, p| {
        sessions::mark(
            tx,
            p,
            past[0].id,
            SessionMark::Partial { minutes: 500 },
            today,
            NOW,
        )
    })
    .expect_err("too many minutes");
    assert!(e.to_string().contains("500"), "{e}");
    assert_eq!(current(&conn).view(today).progress.minutes_done, expect);
}

#[test]
fn a_topic_marked_done_drops_its_sessions_to_come() {
    let mut conn = roadmap_store::open_in_memory().expect("open");
    let plan = create(&mut conn, &settings("2027-01-04", Some(12)));
    let today = day("2027-01-04");
    let topic = plan.sessions[0].topic.clone();
    let before = plan.sessions.iter().filter(|s| s.topic == topic).count();
    assert!(before > 0);
    write(&mut conn, |tx, p| {
        topic_marks::set(tx, p, &topic, Some(TopicMark::Done), today, NOW)
    })
    .expect("mark");
    let p = current(&conn);
    assert!(
        p.sessions
            .iter()
            .filter(|s| s.topic == topic)
            .all(|s| s.status == SessionStatus::Cancelled && s.revision == 1)
    );
    let view = p.view(day("2027-01-04"));
    assert_eq!(view.progress.topics_done, 1);
    assert_eq!(
        view.topics
            .iter()
            .find(|t| t.id == topic)
            .expect("topic")
            .state,
        TopicState::Done
    );
}

#[test]
fn replans_keep_the_past_and_ids_and_raise_revisions() {
    let mut conn = roadmap_store::open_in_memory().expect("open");
    let plan = create(&mut conn, &settings("2027-01-04", Some(12)));
    // Three weeks in, nothing done: behind.
    let today = day("2027-01-25");
    let preview = write(&mut conn, |tx, p| {
        sessions::replan(tx, p, today, ReplanPolicy::Extend, false, NOW)
    })
    .expect("preview");
    assert!(preview.moved > 0);
    assert!(preview.projected_end > preview.projected_end_before);
    // A dry run changes nothing.
    assert_eq!(current(&conn).sessions, plan.sessions);

    let later = "2027-01-25T09:00:00Z";
    let applied = write(&mut conn, |tx, p| {
        sessions::replan(tx, p, today, ReplanPolicy::Extend, true, later)
    })
    .expect("apply");
    assert_eq!(applied, preview);
    let after = current(&conn);
    assert_eq!(after.meta.revised_at, later);
    for old in &plan.sessions {
        let new = after
            .sessions
            .iter()
            .find(|s| s.id == old.id)
            .expect("ids kept");
        if old.date < today {
            assert_eq!(new, old, "the past changed");
        } else if (new.date, &new.start) != (old.date, &old.start) {
            assert_eq!(new.revision, old.revision + 1);
        }
    }
    assert_eq!(after.view(today).projected_end, preview.projected_end);
    assert_eq!(
        after.view(today).unplanned_minutes,
        0,
        "a replan covers all the work left"
    );
    assert!(
        plan.view(today).unplanned_minutes > 0,
        "three weeks unmarked are behind"
    );

    // Compress with a generous cap keeps the target; the hours go up.
    let c = write(&mut conn, |tx, p| {
        sessions::replan(
            tx,
            p,
            today,
            ReplanPolicy::Compress {
                cap_hours_per_week: 30.0,
            },
            true,
            NOW,
        )
    })
    .expect("compress");
    assert!(c.on_track);
    assert!(c.hours_per_week > c.hours_per_week_before);
    let p = current(&conn);
    assert!(p.view(today).on_track);
    assert!(p.view(today).available_hours_per_week > 8.0);

    // Drop optional: optional topics get no sessions to come.
    let d = write(&mut conn, |tx, p| {
        sessions::replan(tx, p, today, ReplanPolicy::DropOptional, true, NOW)
    })
    .expect("drop");
    assert!(!d.dropped.is_empty());
    let p = current(&conn);
    assert!(!p.settings.include_optional);
    for s in p
        .sessions
        .iter()
        .filter(|s| s.date >= today && s.status == SessionStatus::Planned)
    {
        let t = p.roadmap.topic(&s.topic).expect("topic");
        assert!(!t.optional, "{} still planned", t.id);
    }
}

#[test]
fn a_session_moved_by_hand_stays_through_replans() {
    let mut conn = roadmap_store::open_in_memory().expect("open");
    let plan = create(&mut conn, &settings("2027-01-04", Some(12)));
    let s = plan
        .sessions
        .iter()
        .find(|s| s.date >= day("2027-02-01"))
        .expect("session")
        .clone();
    write(&mut conn, |tx, p| {
        sessions::move_to(tx, p, s.id, day("2027-02-02"), "07:00", NOW)
    })
    .expect("move");
    write(&mut conn, |tx, p| {
        sessions::replan(tx, p, day("2027-01-25"), ReplanPolicy::Extend, true, NOW)
    })
    .expect("replan");
    let moved = current(&conn)
        .sessions
        .into_iter()
        .find(|x| x.id == s.id)
        .expect("kept");
    assert_eq!(
        (moved.date, moved.start.as_str(), moved.pinned),
        (day("2027-02-02"), "07:00", true)
    );
    assert_eq!(moved.revision, 1);
    let e = write(&mut conn, |tx, p| {
        sessions::move_to(tx, p, s.id, day("2027-02-02"), "23:30", NOW)
    })
    .expect_err("past midnight");
    assert!(e.to_string().contains("midnight"), "{e}");
}

#[test]
fn weekly_goals_are_proposed_edited_and_closed() {
    let mut conn = roadmap_store::open_in_memory().expect("open");
    create(&mut conn, &settings("2027-01-04", Some(12)));
    let today = day("2027-01-13");
    let week = write(&mut conn, |tx, p| week_goals::this_week(tx, p, today)).expect("week");
    assert_eq!(week.week, "2027-W02");
    assert_eq!(week.goal.target_minutes, week.planned_minutes);
    assert!(!week.goal.topics.is_empty());
    assert_eq!(week.past.len(), 1);

    let topics = vec![week.goal.topics[0].id.clone(), "git-basics".to_string()];
    write(&mut conn, |tx, p| {
        week_goals::edit(tx, p, today, &topics, 300)
    })
    .expect("edit");
    let e = write(&mut conn, |tx, p| {
        week_goals::edit(tx, p, today, &["nope".into()], 300)
    })
    .expect_err("unknown topic");
    assert!(e.to_string().contains("nope"));
    let week = write(&mut conn, |tx, p| week_goals::this_week(tx, p, today)).expect("week");
    assert_eq!(week.goal.target_minutes, 300);
    assert_eq!(
        week.goal
            .topics
            .iter()
            .map(|t| t.id.clone())
            .collect::<Vec<_>>(),
        topics
    );

    let review = WeekReview {
        outcome: ReviewOutcome::Partly,
        note: "Busy; caught up on Sunday.".into(),
    };
    write(&mut conn, |tx, p| {
        week_goals::close(tx, p, today, &review, NOW)
    })
    .expect("close");
    let next = write(&mut conn, |tx, p| {
        week_goals::this_week(tx, p, day("2027-01-20"))
    })
    .expect("next");
    assert_eq!(next.past[0].week, "2027-W02");
    assert_eq!(next.past[0].review, Some(review));
    assert_eq!(next.past[0].target_minutes, 300);
}
