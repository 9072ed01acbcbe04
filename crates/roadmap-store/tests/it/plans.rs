use roadmap_core::Roadmap;
use roadmap_core::api::PlanSettings;
use roadmap_core::schedule::{spread_steps, target_end};
use roadmap_store::plans::{NewPlan, current, insert_current};

fn save(conn: &mut rusqlite::Connection, start: &str, months: u32) -> roadmap_core::api::PlanView {
    let roadmap = Roadmap::bundled().expect("bundled");
    let settings = PlanSettings {
        start: start.parse().expect("date"),
        months,
    };
    let steps = spread_steps(&roadmap, &settings).expect("spread");
    let tx = conn.transaction().expect("tx");
    let plan = insert_current(
        &tx,
        &NewPlan {
            created_at: "2026-11-23T10:00:00Z",
            roadmap_id: None,
            roadmap_title: &roadmap.title,
            settings: &settings,
            target_end: target_end(&settings).expect("end"),
            steps: &steps,
        },
    )
    .expect("insert");
    tx.commit().expect("commit");
    plan
}

#[test]
fn no_plan_at_first() {
    let conn = roadmap_store::open_in_memory().expect("open");
    assert_eq!(current(&conn).expect("query"), None);
}

#[test]
fn a_saved_plan_reads_back_equal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db.sqlite3");
    let saved = save(
        &mut roadmap_store::open(&path).expect("open"),
        "2027-01-04",
        9,
    );
    let conn = roadmap_store::open(&path).expect("reopen");
    assert_eq!(current(&conn).expect("query"), Some(saved));
}

#[test]
fn a_new_plan_replaces_the_current_one() {
    let mut conn = roadmap_store::open_in_memory().expect("open");
    let first = save(&mut conn, "2027-01-04", 9);
    let second = save(&mut conn, "2027-03-01", 18);
    assert_ne!(first.id, second.id);
    let now = current(&conn).expect("query").expect("a plan");
    assert_eq!(now.id, second.id);
    assert_eq!(now.settings.months, 18);
    let count: i64 = conn
        .query_row("SELECT count(*) FROM plans WHERE is_current = 1", [], |r| {
            r.get(0)
        })
        .expect("count");
    assert_eq!(count, 1);
}
