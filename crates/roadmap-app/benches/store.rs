//! `cargo bench -p roadmap-app --bench store`: exporting a 1,000-session plan to .ics, and saving a replan
//! that moves about 1,000 sessions to SQLite (a real file, WAL, one transaction that loads,
//! decides and writes). Prints the
//! median and minimum of repeated runs; targets live in BENCHMARKS.md.

use std::time::{Duration, Instant};

use roadmap_core::Roadmap;
use roadmap_core::api::{PlanSettings, ReplanPolicy};
use roadmap_core::synthetic;

use roadmap_app::export;
use roadmap_store::plans::{self, StoredPlan};

const RUNS: usize = 15;

fn main() {
    // Synthetic topics of a few hours each in two-hour evenings: about 1,000 sessions.
    let text = synthetic::roadmap_toml(250);
    let roadmap = Roadmap::parse("synthetic.toml", &text).expect("synthetic roadmap");
    let settings = PlanSettings {
        start: "2027-01-04".parse().expect("date"),
        months: None,
        availability: Some("mon=19:00-21:00,tue=19:00-21:00,wed=19:00-21:00,thu=19:00-21:00,fri=19:00-21:00,sat=09:00-13:00,sun=09:00-13:00".into()),
        blackouts: Vec::new(),
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
    };
    let dir = tempfile::tempdir().expect("tempdir");

    // Export.
    let (_conn, plan) = fresh(&dir.path().join("export.sqlite3"), &roadmap, &settings);
    let n = plan.sessions.len();
    let mut bytes = 0;
    report(&format!("export {n} sessions to .ics (render)"), || {
        let started = Instant::now();
        let text = export::render_ics(&plan, None, Some(15)).expect("render");
        bytes = text.len();
        started.elapsed()
    });
    let file = dir.path().join("plan.ics");
    report(
        &format!(
            "export {n} sessions to .ics (render + atomic write, {} KiB)",
            bytes / 1024
        ),
        || {
            let started = Instant::now();
            let text = export::render_ics(&plan, None, Some(15)).expect("render");
            export::write_atomically(&file, text.as_bytes()).expect("write");
            started.elapsed()
        },
    );

    // A replan from four weeks in with nothing done: nearly every session moves.
    let mut moved = 0;
    report("replan and save to SQLite (one transaction)", || {
        let path = dir.path().join(format!(
            "replan-{}.sqlite3",
            Instant::now().elapsed().as_nanos()
        ));
        let (mut conn, plan) = fresh(&path, &roadmap, &settings);
        drop(plan);
        let started = Instant::now();
        // As the shells do it: load, decide and apply in one IMMEDIATE transaction.
        let now = "2027-02-01T08:00:00Z".parse().expect("instant");
        let mut preview = None;
        plans::write(&mut conn, |tx| {
            plans::change(tx, now, |p, clock| {
                let (r, changes) = p.replan(ReplanPolicy::Extend, clock)?;
                preview = Some(r);
                Ok::<_, roadmap_store::StoreError>(changes)
            })
        })
        .expect("replan");
        let took = started.elapsed();
        let r = preview.expect("preview");
        moved = r.moved + r.added + r.cancelled;
        drop(conn);
        let _ = std::fs::remove_file(&path);
        took
    });
    println!("  (each replan moved, added or cancelled {moved} sessions; the plan had {n})");

    // A move at 1,000 topics, phase by phase, as the app's `move_session` runs it: where the
    // time of bench/window-latency.mjs goes on the Rust side.
    let text = synthetic::roadmap_toml(1000);
    let big = Roadmap::parse("synthetic-1000.toml", &text).expect("synthetic roadmap");
    let path = dir.path().join("move-1000.sqlite3");
    let (mut conn, _) = fresh(&path, &big, &settings);
    let now: chrono::DateTime<chrono::Utc> = "2027-01-20T11:00:00Z".parse().expect("instant");
    let mut phases: Vec<(&str, Vec<Duration>)> = [
        "load",
        "decide (move)",
        "apply (in memory)",
        "apply (SQL)",
        "views (HomeView)",
        "to JSON",
    ]
    .into_iter()
    .map(|p| (p, Vec::new()))
    .collect();
    let mut changed = 0;
    for i in 0..RUNS {
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .expect("tx");
        let t = Instant::now();
        let mut plan = plans::require_current(&tx).expect("load");
        phases[0].1.push(t.elapsed());
        let clock = plan.clock(now);
        let s = plan
            .sessions
            .iter()
            .find(|s| {
                s.date > "2027-01-21".parse().expect("date")
                    && s.status == roadmap_core::api::SessionStatus::Planned
                    && !s.pinned
            })
            .expect("a session ahead")
            .clone();
        let t = Instant::now();
        let changes = plan
            .move_session(
                s.id,
                "2027-01-21".parse().expect("date"),
                &format!("{:02}:00", i % 10),
                &clock,
            )
            .expect("move");
        phases[1].1.push(t.elapsed());
        changed = changes.len();
        let t = Instant::now();
        plan.apply(&changes, &clock);
        phases[2].1.push(t.elapsed());
        let t = Instant::now();
        plans::apply(&tx, plan.meta.id, &changes, &clock).expect("apply");
        phases[3].1.push(t.elapsed());
        let t = Instant::now();
        let home = plan.home(&clock);
        phases[4].1.push(t.elapsed());
        let t = Instant::now();
        let json = serde_json::to_string(&home).expect("json");
        phases[5].1.push(t.elapsed());
        std::hint::black_box(json);
        tx.rollback().expect("rollback");
    }
    println!("  (each move changed {changed} sessions)");
    for (phase, times) in phases {
        report(&format!("move at 1,000 topics: {phase}"), {
            let mut it = times.into_iter();
            move || it.next().unwrap_or_default()
        });
    }
}

fn fresh(
    path: &std::path::Path,
    roadmap: &Roadmap,
    settings: &PlanSettings,
) -> (rusqlite::Connection, StoredPlan) {
    let mut conn = roadmap_store::open(path).expect("open");
    let plan = plans::write(&mut conn, |tx| {
        plans::create(
            tx,
            std::sync::Arc::new(roadmap.clone()),
            None,
            settings,
            "Europe/Berlin",
            "2027-01-01T00:00:00Z".parse().expect("instant"),
        )
    })
    .expect("create");
    (conn, plan)
}

fn report(label: &str, mut run: impl FnMut() -> Duration) {
    let mut times: Vec<Duration> = (0..RUNS).map(|_| run()).collect();
    times.sort();
    println!(
        "{label}: median {:.2} ms, min {:.2} ms ({RUNS} runs)",
        times[RUNS / 2].as_secs_f64() * 1000.0,
        times[0].as_secs_f64() * 1000.0
    );
}
