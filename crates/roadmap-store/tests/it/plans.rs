//! Plans, sessions and progress through the store, on real SQLite files: the core decides,
//! the store loads and applies. Whatever the core decides, what the store writes reads back
//! as the value the core computed.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use roadmap_core::api::{
    PlanSettings, ReplanPolicy, ReviewOutcome, SessionMark, SessionStatus, TopicMark, TopicState,
    WeekReview,
};
use roadmap_core::clock::Clock;
use roadmap_core::saved::{Change, SavedPlan};
use roadmap_core::{CoreError, Roadmap};
use roadmap_store::StoreError;
use roadmap_store::plans::{self, StoredPlan};
use rusqlite::Connection;

const NOW: &str = "2027-01-04T08:00:00Z";

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

/// Noon UTC on `date` (13:00 in Berlin, the plans' zone).
fn noon(date: &str) -> DateTime<Utc> {
    format!("{date}T12:00:00Z").parse().expect("instant")
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
        known: Vec::new(),
        some: Vec::new(),
        review_cap: 15,
        pace: None,
        weeks: Default::default(),
        chosen: Vec::new(),
        edits: Vec::new(),
    }
}

fn create(conn: &mut Connection, s: &PlanSettings) -> StoredPlan {
    let roadmap = Arc::new(Roadmap::bundled().expect("bundled"));
    plans::write(conn, |tx| {
        plans::create(
            tx,
            roadmap,
            None,
            s,
            "Europe/Berlin",
            NOW.parse().expect("now"),
        )
    })
    .expect("create")
}

fn current(conn: &Connection) -> StoredPlan {
    plans::require_current(conn).expect("a plan")
}

/// One change as the shells make it: load, decide, apply, in one IMMEDIATE transaction.
fn act(
    conn: &mut Connection,
    now: DateTime<Utc>,
    decide: impl FnOnce(&SavedPlan, &Clock) -> Result<Vec<Change>, roadmap_core::CoreError>,
) -> Result<StoredPlan, StoreError> {
    plans::write(conn, |tx| {
        plans::change(tx, now, |p, c| decide(p, c).map_err(StoreError::from))
    })
}

fn clock(p: &StoredPlan, date: &str) -> Clock {
    p.clock(noon(date))
}

#[test]
fn no_plan_at_first() {
    let conn = roadmap_store::open_in_memory().expect("open");
    assert!(plans::current(&conn).expect("query").is_none());
    let err = plans::require_current(&conn).expect_err("no plan");
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
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
        loaded.view(&clock(&loaded, "2027-01-04")),
        saved.view(&clock(&saved, "2027-01-04"))
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
    let view = loaded.view(&clock(&loaded, "2027-01-04"));
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
    let roadmap = Arc::new(Roadmap::bundled().expect("bundled"));
    let err = plans::write(&mut conn, |tx| {
        plans::create(tx, roadmap, None, &s, "Europe/Berlin", noon("2027-01-04"))
    })
    .expect_err("refused");
    assert!(
        matches!(err, StoreError::Core(CoreError::InvalidSettings(_))),
        "{err:?}"
    );
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
    let now = noon("2027-01-20");
    let past: Vec<_> = plan
        .sessions
        .iter()
        .filter(|s| s.date < today)
        .cloned()
        .collect();
    assert!(past.len() >= 4);
    act(&mut conn, now, |p, c| {
        p.mark_session(past[0].id, SessionMark::Done, c)
    })
    .expect("done");
    act(&mut conn, now, |p, c| {
        p.mark_session(past[1].id, SessionMark::Partial { minutes: 20 }, c)
    })
    .expect("partial");
    act(&mut conn, now, |p, c| {
        p.mark_session(past[2].id, SessionMark::Missed, c)
    })
    .expect("missed");
    let topic = past[3].topic.clone();
    act(&mut conn, now, |p, c| p.log_study(&topic, None, 45, c)).expect("log");

    let p = current(&conn);
    let view = p.view(&p.clock(now));
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
    let e = act(&mut conn, now, |p, c| {
        p.mark_session(future.id, SessionMark::Done, c)
    })
    .expect_err("future");
    assert!(e.to_string().contains("has not come yet"), "{e}");
    let e = act(&mut conn, now, |p, c| {
        p.log_study("no-such-topic", None, 30, c)
    })
    .expect_err("unknown");
    assert!(e.to_string().contains("no-such-topic"), "{e}");
    let e = act(&mut conn, now, |p, c| p.log_study(&topic, None, -5, c)).expect_err("negative");
    assert!(e.to_string().contains("-5"), "{e}");
    let e = act(&mut conn, now, |p, c| {
        p.log_study(&topic, Some(day("2027-01-21")), 30, c)
    })
    .expect_err("future date");
    assert!(e.to_string().contains("future"), "{e}");
    let e = act(&mut conn, now, |p, c| {
        p.mark_session(past[0].id, SessionMark::Partial { minutes: 500 }, c)
    })
    .expect_err("too many minutes");
    assert!(e.to_string().contains("500"), "{e}");
    let p = current(&conn);
    assert_eq!(p.view(&p.clock(now)).progress.minutes_done, expect);
}

#[test]
fn a_topic_marked_done_drops_its_sessions_to_come() {
    let mut conn = roadmap_store::open_in_memory().expect("open");
    let plan = create(&mut conn, &settings("2027-01-04", Some(12)));
    let topic = plan.sessions[0].topic.clone();
    let before = plan.sessions.iter().filter(|s| s.topic == topic).count();
    assert!(before > 0);
    act(&mut conn, noon("2027-01-04"), |p, c| {
        p.mark_topic(&topic, Some(TopicMark::Done), c)
    })
    .expect("mark");
    let p = current(&conn);
    assert!(
        p.sessions
            .iter()
            .filter(|s| s.topic == topic && s.is_study())
            .all(|s| s.status == SessionStatus::Cancelled && s.revision == 1)
    );
    // Its spaced reviews begin: the first within a week of today, saved with the plan.
    let first_review = p
        .sessions
        .iter()
        .filter(|s| s.topic == topic && !s.is_study() && s.status == SessionStatus::Planned)
        .map(|s| s.date)
        .min()
        .expect("a review is planned");
    assert!(first_review <= day("2027-01-11"), "{first_review}");
    let view = p.view(&clock(&p, "2027-01-04"));
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
    let now = noon("2027-01-25");
    let (preview, _) = plan
        .replan(ReplanPolicy::Extend, &plan.clock(now))
        .expect("preview");
    assert!(preview.moved > 0);
    assert!(preview.projected_end > preview.projected_end_before);

    let later: DateTime<Utc> = "2027-01-25T09:00:00Z".parse().expect("instant");
    act(&mut conn, later, |p, c| {
        Ok(p.replan(ReplanPolicy::Extend, c)?.1)
    })
    .expect("apply");
    let after = current(&conn);
    assert_eq!(after.meta.revised_at, "2027-01-25T09:00:00Z");
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
    let view = after.view(&after.clock(now));
    assert_eq!(view.projected_end, preview.projected_end);
    assert_eq!(
        view.unplanned_minutes, 0,
        "a replan covers all the work left"
    );
    assert!(
        plan.view(&plan.clock(now)).unplanned_minutes > 0,
        "three weeks unmarked are behind"
    );

    // Compress with a generous cap keeps the target; the hours go up.
    let compress = ReplanPolicy::Compress {
        cap_hours_per_week: 30.0,
    };
    let (c, _) = after.replan(compress, &after.clock(now)).expect("compress");
    act(&mut conn, now, |p, c| Ok(p.replan(compress, c)?.1)).expect("compress");
    assert!(c.on_track);
    assert!(c.hours_per_week > c.hours_per_week_before);
    let p = current(&conn);
    assert!(p.view(&p.clock(now)).on_track);
    assert!(p.view(&p.clock(now)).available_hours_per_week > 8.0);

    // Drop optional: optional topics get no sessions to come.
    let (d, _) = p
        .replan(ReplanPolicy::DropOptional, &p.clock(now))
        .expect("drop");
    act(&mut conn, now, |p, c| {
        Ok(p.replan(ReplanPolicy::DropOptional, c)?.1)
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
    act(&mut conn, noon("2027-01-25"), |p, c| {
        p.move_session(s.id, day("2027-02-02"), "07:00", c)
    })
    .expect("move");
    act(&mut conn, noon("2027-01-25"), |p, c| {
        Ok(p.replan(ReplanPolicy::Extend, c)?.1)
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
    let e = act(&mut conn, noon("2027-01-25"), |p, c| {
        p.move_session(s.id, day("2027-02-02"), "23:30", c)
    })
    .expect_err("past midnight");
    assert!(e.to_string().contains("midnight"), "{e}");
}

#[test]
fn weekly_goals_are_proposed_edited_and_closed() {
    let mut conn = roadmap_store::open_in_memory().expect("open");
    create(&mut conn, &settings("2027-01-04", Some(12)));
    let now = noon("2027-01-13");
    let look = |conn: &mut Connection, now| {
        let p = act(conn, now, |_, _| Ok(Vec::new())).expect("week");
        p.home(&p.clock(now)).week
    };
    let week = look(&mut conn, now);
    assert_eq!(week.week, "2027-W02");
    assert_eq!(week.goal.target_minutes, week.planned_minutes);
    assert!(!week.goal.topics.is_empty());
    assert_eq!(week.past.len(), 1);

    let topics = vec![week.goal.topics[0].id.clone(), "git-basics".to_string()];
    act(&mut conn, now, |p, c| p.edit_goal(&topics, 300, c)).expect("edit");
    let e = act(&mut conn, now, |p, c| p.edit_goal(&["nope".into()], 300, c))
        .expect_err("unknown topic");
    assert!(e.to_string().contains("nope"));
    let e = act(&mut conn, now, |p, c| p.edit_goal(&topics, 0, c)).expect_err("no hours");
    assert!(e.to_string().contains("0 minutes"), "{e}");
    let week = look(&mut conn, now);
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
    act(&mut conn, now, |p, c| p.close_week(&review, c)).expect("close");
    let next = look(&mut conn, noon("2027-01-20"));
    assert_eq!(next.past[0].week, "2027-W02");
    assert_eq!(next.past[0].review, Some(review));
    assert_eq!(next.past[0].target_minutes, 300);
}

#[test]
fn notes_are_kept_per_topic_across_plans() {
    let mut conn = roadmap_store::open_in_memory().expect("open");
    create(&mut conn, &settings("2027-01-04", Some(12)));
    let write =
        |conn: &mut Connection,
         f: &dyn Fn(&rusqlite::Transaction<'_>, &StoredPlan) -> Result<(), StoreError>| {
            let p = current(conn);
            plans::write(conn, |tx| f(tx, &p))
        };
    write(&mut conn, &|tx, p| {
        roadmap_store::topic_notes::set(tx, p, "git-basics", "Rebase, then merge; ✓ émoji 🚀", NOW)
    })
    .expect("note");
    create(&mut conn, &settings("2027-03-01", Some(12)));
    assert_eq!(
        roadmap_store::topic_notes::get(&conn, "git-basics").expect("get"),
        "Rebase, then merge; ✓ émoji 🚀"
    );
    let e = write(&mut conn, &|tx, p| {
        roadmap_store::topic_notes::set(tx, p, "nope", "x", NOW)
    })
    .expect_err("unknown topic");
    assert!(e.to_string().contains("nope"), "{e}");
    let long = "x".repeat(roadmap_store::topic_notes::MAX_NOTE_CHARS + 1);
    let e = write(&mut conn, &|tx, p| {
        roadmap_store::topic_notes::set(tx, p, "git-basics", &long, NOW)
    })
    .expect_err("too long");
    assert!(e.to_string().contains("20000"), "{e}");
    write(&mut conn, &|tx, p| {
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
    let now = noon("2027-01-11");
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
    act(&mut conn, now, |p, c| {
        p.move_session(monday.id, wednesday.date, &wednesday.start, c)
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
    assert!(after.violations().is_empty(), "{:?}", after.violations());
    // Past sessions and past days are refused.
    let past = plan
        .sessions
        .iter()
        .find(|s| s.date < today)
        .expect("past")
        .clone();
    let e = act(&mut conn, now, |p, c| {
        p.move_session(past.id, today, "19:00", c)
    })
    .expect_err("past session");
    assert!(e.to_string().contains("has begun"), "{e}");
    let e = act(&mut conn, now, |p, c| {
        p.move_session(moved.id, day("2027-01-05"), "19:00", c)
    })
    .expect_err("past day");
    assert!(e.to_string().contains("in the past"), "{e}");
}

#[test]
fn the_dashboard_adds_up_to_what_was_studied() {
    let mut conn = roadmap_store::open_in_memory().expect("open");
    let plan = create(&mut conn, &settings("2027-01-04", Some(12)));
    let today = day("2027-01-20");
    let now = noon("2027-01-20");
    let first = plan.sessions[0].clone();
    act(&mut conn, now, |p, c| {
        p.mark_session(first.id, SessionMark::Done, c)
    })
    .expect("done");
    act(&mut conn, now, |p, c| {
        p.log_study("sql-queries", Some(day("2027-01-15")), 40, c)
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
    // Reviews are told apart: the planned study alone stays within the whole roadmap (with
    // them, the planned line rose above it).
    let reviews: u32 = p
        .sessions
        .iter()
        .filter(|s| !s.is_study())
        .map(|s| s.minutes)
        .sum();
    assert!(reviews > 0, "the plan has reviews");
    assert_eq!(last.planned_review_minutes, reviews);
    assert!(
        last.planned_minutes - last.planned_review_minutes <= d.scope_minutes,
        "{} study against {} in the roadmap",
        last.planned_minutes - last.planned_review_minutes,
        d.scope_minutes
    );
    assert_eq!(w3.done_review_minutes, Some(0));
    assert_eq!(
        d.scope_minutes,
        p.view(&p.clock(now)).progress.minutes_total
    );
    // Every topic counts once per skill area it has.
    let sql = d
        .skills
        .iter()
        .find(|s| s.minutes_done > 0 && s.id == "databases");
    assert!(sql.is_some(), "{:?}", d.skills);

    let c = p.record().calendar_view(&p.clock(now));
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

/// Every write loads the plan; its roadmap is parsed once, not on every load.
#[test]
fn loading_a_plan_again_reuses_its_parsed_roadmap() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db.sqlite3");
    let mut conn = roadmap_store::open(&path).expect("open");
    let text = roadmap_core::content::BUNDLED_ROADMAP.replace(
        "title = \"Backend developer\"",
        "title = \"Backend developer (mine)\"",
    );
    let roadmap = Arc::new(Roadmap::parse("mine.toml", &text).expect("parse"));
    plans::write(&mut conn, |tx| {
        let stored = roadmap_store::roadmaps::insert_current(tx, "mine.toml", &text, NOW)?;
        plans::create(
            tx,
            roadmap,
            Some(stored.id),
            &settings("2027-01-04", Some(12)),
            "UTC",
            noon("2027-01-04"),
        )
    })
    .expect("create");
    let a = current(&conn);
    let b = current(&roadmap_store::open(&path).expect("reopen"));
    assert!(Arc::ptr_eq(&a.roadmap, &b.roadmap), "parsed twice");
    assert_eq!(a.roadmap.title, "Backend developer (mine)");
}

/// "Use my pace" puts the learner's pace in force: it is stored with the plan, read back the
/// same, and kept by the next replan (which measured from the roadmap's estimates again and
/// cancelled 82 sessions). Before any finished study there is no pace to use, and nothing
/// changes.
#[test]
fn the_pace_in_force_is_stored_and_kept_by_later_replans() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db.sqlite3");
    let mut conn = roadmap_store::open(&path).expect("open");
    let plan = create(&mut conn, &settings("2027-01-04", Some(12)));
    let now = noon("2027-02-20");
    let refused = act(&mut conn, now, |p, c| {
        p.replan(ReplanPolicy::UsePace, c).map(|(_, c)| c)
    })
    .expect_err("no pace yet");
    assert!(
        refused.to_string().contains("no pace of yours"),
        "{refused}"
    );
    // The first topic studied at half again its sessions, and finished.
    let topic = plan.sessions[0].topic.clone();
    for s in plan
        .sessions
        .iter()
        .filter(|s| s.topic == topic && s.is_study() && s.date < day("2027-02-20"))
    {
        act(&mut conn, now, |p, c| {
            p.mark_session(s.id, SessionMark::Done, c)
        })
        .expect("done");
    }
    let studied: u32 = plan
        .sessions
        .iter()
        .filter(|s| s.topic == topic && s.is_study())
        .map(|s| s.minutes)
        .sum();
    act(&mut conn, now, |p, c| {
        p.log_study(&topic, Some(day("2027-02-19")), i64::from(studied / 2), c)
    })
    .expect("log");
    act(&mut conn, now, |p, c| {
        p.mark_topic(&topic, Some(TopicMark::Done), c)
    })
    .expect("finished");
    act(&mut conn, now, |p, c| {
        p.replan(ReplanPolicy::UsePace, c).map(|(_, c)| c)
    })
    .expect("use my pace");
    let paced = current(&roadmap_store::open(&path).expect("reopen"));
    let pace = paced.settings.pace.clone().expect("a pace in force");
    assert!(pace.values().any(|&p| p != 100), "{pace:?}");
    // A later Extend keeps it (or says there is nothing to push), and changes no estimate.
    let _ = act(&mut conn, noon("2027-02-21"), |p, c| {
        p.replan(ReplanPolicy::Extend, c).map(|(_, c)| c)
    });
    assert_eq!(current(&conn).settings.pace, Some(pace));
}
