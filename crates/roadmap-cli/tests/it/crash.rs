//! Crash safety: `roadmap log` processes are killed with SIGKILL at random moments, hundreds of
//! times. After every kill the database must pass `PRAGMA integrity_check`, and every write a
//! process acknowledged (it printed "Logged" and exited) must be there.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{roadmap, roadmap_on, stderr};

/// A small deterministic generator, so a failure can be replayed with the same delays.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn writes_killed_at_random_moments_never_corrupt_or_lose_acknowledged_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = roadmap(
        dir.path(),
        &["plan", "--start", "2027-01-04", "--months", "12", "--save"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let db = dir.path().join(roadmap_store::DATABASE_FILE);

    // Calibrate: how long one `log` takes here (the quickest of three, so a cold first start
    // does not stretch it), so the kills land before, during and after the write.
    let mut quickest = u64::MAX;
    for _ in 0..3 {
        let started = Instant::now();
        let out = roadmap_on(
            dir.path(),
            "2027-02-01",
            &["log", "git-basics", "1", "--date", "2027-01-04"],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        quickest = quickest.min(started.elapsed().as_micros() as u64);
    }
    let mut span = quickest.max(2_000);
    // Outcomes of the current batch of twenty, to keep both kinds common under any load.
    let (mut batch_killed, mut batch_finished) = (0u32, 0u32);

    let mut rng = Lcg(0x5eed);
    // The calibration runs logged 1 minute each: acknowledged writes too.
    let mut acknowledged = vec![1u32];
    let (mut killed, mut finished) = (0, 0);
    for attempt in 2..=240u32 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_roadmap"))
            .args([
                "log",
                "git-basics",
                &attempt.to_string(),
                "--date",
                "2027-01-04",
            ])
            .env("ROADMAP_PLANNER_DATA_DIR", dir.path())
            .env("ROADMAP_PLANNER_TODAY", "2027-02-01")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_micros(rng.next() % (span * 3 / 2)));
        // SIGKILL on Unix; a process that already exited is reaped as it was.
        let _ = child.kill();
        let output = child.wait_with_output().expect("wait");
        if output.status.success() && String::from_utf8_lossy(&output.stdout).starts_with("Logged")
        {
            acknowledged.push(attempt);
            finished += 1;
            batch_finished += 1;
        } else {
            killed += 1;
            batch_killed += 1;
        }
        // Other tests run beside this one and change how long a write takes: when a batch
        // was nearly all kills the window widens, nearly all finishes it narrows, so the
        // kills keep landing before, during and after the write.
        if batch_killed + batch_finished == 20 {
            if batch_finished < 6 {
                span = span * 3 / 2;
            } else if batch_killed < 6 {
                span = (span * 2 / 3).max(500);
            }
            (batch_killed, batch_finished) = (0, 0);
        }

        let conn = rusqlite::Connection::open(&db).expect("open");
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("integrity_check");
        assert_eq!(check, "ok", "after attempt {attempt}");
    }
    // Both outcomes happened many times, or the test did not test anything.
    assert!(
        killed >= 40 && finished >= 40,
        "killed {killed}, finished {finished}"
    );
    assert!(killed + finished >= 200);

    let conn = roadmap_store::open(&db).expect("open");
    let mut stmt = conn
        .prepare("SELECT minutes FROM study_log")
        .expect("prepare");
    let present: std::collections::BTreeSet<u32> = stmt
        .query_map([], |r| r.get(0))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect();
    for a in &acknowledged {
        assert!(present.contains(a), "acknowledged write {a} is missing");
    }
}

/// The timer's start, pause, resume and stop, killed at random moments: after every kill the
/// database is whole, at most one timer is unfinished with at most one span open, no two spans
/// overlap, and every start or stop a process acknowledged is recorded.
#[test]
fn timer_actions_killed_at_random_moments_lose_no_interval() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = roadmap(
        dir.path(),
        &["plan", "--start", "2027-01-04", "--months", "12", "--save"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let db = dir.path().join(roadmap_store::DATABASE_FILE);
    let base = chrono::NaiveDate::from_ymd_opt(2027, 1, 4)
        .and_then(|d| d.and_hms_opt(18, 0, 0))
        .expect("time");
    let mut rng = Lcg(0x7131e);
    let mut span = 20_000u64;
    // (minute, what): starts and resumes open a span at that minute, pauses and stops close
    // one there.
    let mut opened: Vec<i64> = Vec::new();
    let mut closed: Vec<i64> = Vec::new();
    let (mut killed, mut finished) = (0, 0);
    let actions: [&[&str]; 5] = [
        &["timer", "start", "--topic", "git-basics"],
        &["timer", "pause"],
        &["timer", "resume"],
        &["timer", "stop", "--keep-away"],
        &["timer", "stop", "--discard"],
    ];
    for attempt in 0..160i64 {
        let which = (rng.next() % 5) as usize;
        // Whether a span is open before this action (the processes run one after another).
        let was_running = {
            let conn = rusqlite::Connection::open(&db).expect("open");
            roadmap_store::timers::all_spans(&conn)
                .expect("spans")
                .iter()
                .any(|s| s.2.is_none())
        };
        let at = base + chrono::Duration::minutes(attempt * 3);
        let mut child = Command::new(env!("CARGO_BIN_EXE_roadmap"))
            .args(actions[which])
            .env("ROADMAP_PLANNER_DATA_DIR", dir.path())
            .env(
                "ROADMAP_PLANNER_NOW",
                at.format("%Y-%m-%dT%H:%M").to_string(),
            )
            .env("TZ", "UTC")
            .env_remove("ROADMAP_PLANNER_TODAY")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_micros(rng.next() % (span * 3 / 2)));
        let _ = child.kill();
        let output = child.wait_with_output().expect("wait");
        let minute = attempt * 3;
        if output.status.success() {
            finished += 1;
            match which {
                0 | 2 => opened.push(minute),
                1 => closed.push(minute),
                // A stop closes the open span, if it was running.
                _ if was_running => closed.push(minute),
                _ => {}
            }
        } else {
            killed += 1;
        }
        if attempt % 20 == 19 {
            if finished * 3 < killed {
                span = span * 3 / 2;
            } else if killed * 3 < finished {
                span = (span * 2 / 3).max(500);
            }
        }
        let conn = rusqlite::Connection::open(&db).expect("open");
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("integrity_check");
        assert_eq!(check, "ok", "after attempt {attempt}");
        let unfinished: i64 = conn
            .query_row("SELECT count(*) FROM timers WHERE finished = 0", [], |r| {
                r.get(0)
            })
            .expect("count");
        assert!(unfinished <= 1, "{unfinished} timers unfinished");
        let spans = roadmap_store::timers::all_spans(&conn).expect("spans");
        let open = spans.iter().filter(|s| s.2.is_none()).count();
        assert!(open <= 1, "{open} spans open");
        for pair in spans.windows(2) {
            let end = pair[0].2.expect("only the last span may be open");
            assert!(end <= pair[1].1, "spans overlap: {pair:?}");
        }
    }
    assert!(
        killed >= 20 && finished >= 20,
        "killed {killed}, finished {finished}"
    );
    let conn = roadmap_store::open(&db).expect("open");
    let spans = roadmap_store::timers::all_spans(&conn).expect("spans");
    let minute = |t: chrono::DateTime<chrono::Utc>| (t.naive_utc() - base).num_minutes();
    for m in opened {
        assert!(
            spans.iter().any(|s| minute(s.1) == m),
            "a start acknowledged at minute {m} is missing"
        );
    }
    for m in closed {
        assert!(
            spans.iter().any(|s| s.2.is_some_and(|e| minute(e) == m)),
            "a stop acknowledged at minute {m} is missing"
        );
    }
}
