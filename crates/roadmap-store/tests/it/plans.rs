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
    let plan = plans::create(&tx, &roadmap, None, s, "Europe/Berlin", NOW).expect("create");
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
    let err = plans::create(&tx, &roadmap, None, &s, "Europe/Berlin", NOW).expect_err("refused");
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

#[test]
fn notes_are_kept_per_topic_across_plans() {
    let mut conn = roadmap_store::open_in_memory().expect("open");
    create(&mut conn, &settings("2027-01-04", Some(12)));
    write(&mut conn, |tx, p| {
        roadmap_store::topic_notes::set(tx, p, "git-basics", "Rebase, then merge; ✓ émoji 🚀", NOW)
    })
    .expect("note");
    create(&mut conn, &settings("2027-03-01", Some(12)));
    assert_eq!(
        roadmap_store::topic_notes::get(&conn, "git-basics").expect("get"),
        "Rebase, then merge; ✓ émoji 🚀"
    );
    let e = write(&mut conn, |tx, p| {
        roadmap_store::topic_notes::set(tx, p, "nope", "x", NOW)
    })
    .expect_err("unknown topic");
    assert!(e.to_string().contains("nope"), "{e}");
    let long = "x".repeat(roadmap_store::topic_notes::MAX_NOTE_CHARS + 1);
    let e = write(&mut conn, |tx, p| {
        roadmap_store::topic_notes::set(tx, p, "git-basics", &long, NOW)
    })
    .expect_err("too long");
    assert!(e.to_string().contains("20000"), "{e}");
    write(&mut conn, |tx, p| {
        roadmap_store::topic_notes::set(tx, p, "git-basics", "  ", NOW)
    })
    .expect("clear");
    assert_eq!(
        roadmap_store::topic_notes::get(&conn, "git-basics").expect("get"),
        ""
    );
}

#[test]
fn a_dragged_session_is_pinned_and_the_rest_adapts_around_it() {
    let mut conn = roadmap_store::open_in_memory().expect("open");
    let plan = create(&mut conn, &settings("2027-01-04", Some(12)));
    let today = day("2027-01-11");
    // Drag next Monday's session onto the Wednesday slot that another session holds.
    let monday = plan
        .sessions
        .iter()
        .find(|s| s.date == day("2027-01-11"))
        .expect("mon")
        .clone();
    let wednesday = plan
        .sessions
        .iter()
        .find(|s| s.date == day("2027-01-13"))
        .expect("wed")
        .clone();
    write(&mut conn, |tx, p| {
        sessions::move_and_adapt(
            tx,
            p,
            monday.id,
            wednesday.date,
            &wednesday.start,
            today,
            NOW,
        )
    })
    .expect("move");
    let after = current(&conn);
    let moved = after
        .sessions
        .iter()
        .find(|s| s.id == monday.id)
        .expect("kept");
    assert_eq!(
        (moved.date, moved.start.as_str(), moved.pinned),
        (wednesday.date, wednesday.start.as_str(), true)
    );
    // Nothing else overlaps it any more.
    let start = |s: &roadmap_core::schedule::replan::StoredSession| s.start_minute().expect("time");
    for s in after
        .sessions
        .iter()
        .filter(|s| s.id != moved.id && s.date == moved.date && s.status == SessionStatus::Planned)
    {
        assert!(
            start(s) + s.minutes <= start(moved) || start(moved) + moved.minutes <= start(s),
            "{s:?} overlaps the moved session"
        );
    }
    // Past sessions and past days are refused.
    let past = plan
        .sessions
        .iter()
        .find(|s| s.date < today)
        .expect("past")
        .clone();
    let e = write(&mut conn, |tx, p| {
        sessions::move_and_adapt(tx, p, past.id, today, "19:00", today, NOW)
    })
    .expect_err("past session");
    assert!(e.to_string().contains("past"), "{e}");
    let e = write(&mut conn, |tx, p| {
        sessions::move_and_adapt(tx, p, moved.id, day("2027-01-05"), "19:00", today, NOW)
    })
    .expect_err("past day");
    assert!(e.to_string().contains("in the past"), "{e}");
}

#[test]
fn the_dashboard_adds_up_to_what_was_studied() {
    let mut conn = roadmap_store::open_in_memory().expect("open");
    let plan = create(&mut conn, &settings("2027-01-04", Some(12)));
    let today = day("2027-01-20");
    let first = plan.sessions[0].clone();
    write(&mut conn, |tx, p| {
        sessions::mark(tx, p, first.id, SessionMark::Done, today, NOW)
    })
    .expect("done");
    write(&mut conn, |tx, p| {
        study_log::add(tx, p, "sql-queries", day("2027-01-15"), 40, today, NOW)
    })
    .expect("log");
    let p = current(&conn);
    let d = p.record().dashboard(today);
    let total: u32 = d.study_days.iter().map(|s| s.minutes).sum();
    assert_eq!(total, first.minutes + 40);
    assert_eq!(
        d.study_days.first().map(|s| s.date),
        Some(day("2027-01-04"))
    );
    assert_eq!(d.study_days.last().map(|s| s.date), Some(today));
    assert_eq!(
        d.steps.iter().map(|s| s.minutes_done).sum::<u32>(),
        first.minutes + 40
    );
    let w3 = d
        .burnup
        .iter()
        .find(|b| b.week == "2027-W03")
        .expect("week 3");
    assert_eq!(w3.done_minutes, Some(first.minutes + 40));
    assert!(
        d.burnup
            .iter()
            .filter(|b| b.end > day("2027-01-24"))
            .all(|b| b.done_minutes.is_none())
    );
    let last = d.burnup.last().expect("weeks");
    assert_eq!(
        last.planned_minutes,
        p.sessions.iter().map(|s| s.minutes).sum::<u32>()
    );
    assert_eq!(d.scope_minutes, p.view(today).progress.minutes_total);
    // Every topic counts once per skill area it has.
    let sql = d
        .skills
        .iter()
        .find(|s| s.minutes_done > 0 && s.id == "databases");
    assert!(sql.is_some(), "{:?}", d.skills);

    let c = p.record().calendar_view(today);
    assert_eq!(c.sessions.len(), p.sessions.len());
    assert_eq!(c.blackouts.len(), 1);
    assert_eq!(c.milestones.len(), 8);

    let detail = p
        .record()
        .topic_detail("git-basics", "mine")
        .expect("topic");
    assert_eq!(detail.note, "mine");
    assert!(!detail.resources.is_empty());
    assert!(
        detail
            .resources
            .iter()
            .all(|r| r.url.starts_with("https://"))
    );
    assert!(p.record().topic_detail("nope", "").is_none());
}
