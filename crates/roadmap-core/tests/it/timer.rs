//! The study timer's rules, over random runs: spans never overlap, time away is found and
//! never booked unasked, and what a stop books is exactly the study it timed.

use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use proptest::prelude::*;

use roadmap_core::Roadmap;
use roadmap_core::api::{PlanSettings, SessionKind, SessionStatus};
use roadmap_core::clock::Clock;
use roadmap_core::saved::SavedPlan;
use roadmap_core::timer::{Machine, Timer};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("instant")
}

/// Something that happens while the timer exists.
#[derive(Debug, Clone)]
enum Step {
    /// Wall time passes, the computer awake.
    Awake(i64),
    /// Wall time passes, the computer awake but no input: the app looks at the desktop's
    /// idle time every `look` seconds meanwhile.
    Idle {
        seconds: i64,
        look: i64,
    },
    /// The computer sleeps this long (the wall clock runs, the monotonic one does not).
    Sleep(i64),
    /// Turned off and on again: a new boot, `off` seconds after the last moment seen.
    Restart {
        off: i64,
    },
    /// The wall clock is set back (a time zone fix, NTP).
    ClockBack(i64),
    Pause,
    Resume,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        5 => (1i64..7200).prop_map(Step::Awake),
        2 => (1i64..3600, 5i64..120).prop_map(|(seconds, look)| Step::Idle { seconds, look }),
        2 => (1i64..20_000).prop_map(Step::Sleep),
        1 => (1i64..50_000).prop_map(|off| Step::Restart { off }),
        1 => (1i64..3600).prop_map(Step::ClockBack),
        2 => Just(Step::Pause),
        2 => Just(Step::Resume),
    ]
}

struct World {
    now: DateTime<Utc>,
    machine: Machine,
    boots: u32,
}

impl World {
    fn sleep(&mut self, s: i64) {
        self.now += Duration::seconds(s);
        self.machine.suspended += s;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(256)))]

    /// Whatever happens while it runs, the timer's spans keep their rules, time away is found
    /// (sleep exactly), and leaving it out books exactly the awake time it ran.
    #[test]
    fn the_timer_counts_awake_time_and_asks_about_the_rest(steps in prop::collection::vec(step(), 0..40)) {
        let start = at("2027-01-04T18:00:00Z");
        let mut w = World {
            now: start,
            machine: Machine { boot: "boot-0".into(), suspended: 100, booted_at: Some(start - Duration::hours(5)) },
            boots: 0,
        };
        let mut timer = Timer::start(1, Some(1), "t", w.now, &w.machine);
        // What really happened while it ran: seconds awake, and whether anything made the
        // truth unknowable (a restart, the clock set back).
        let mut awake = 0i64;
        let mut unknowable = false;
        for s in steps {
            let running = timer.running();
            match s {
                Step::Awake(d) => {
                    w.now += Duration::seconds(d);
                    if running { awake += d; }
                }
                Step::Idle { seconds, look } => {
                    // The app notes what it sees at each look, as `timer::note_idle` does.
                    let from = w.now;
                    let mut seen = 0;
                    while seen + look <= seconds {
                        seen += look;
                        w.now = from + Duration::seconds(seen);
                        if let Some(note) = timer.idle_to_note(seen, w.now) {
                            if note.extends {
                                timer.idle.last_mut().expect("stretch").1 = note.end;
                            } else {
                                timer.idle.push((note.start, note.end));
                            }
                        }
                    }
                    w.now = from + Duration::seconds(seconds);
                    // What was noted is left out; the rest of the stretch is study.
                    if running {
                        let noted = if seen >= roadmap_core::timer::IDLE_NOTE_SECONDS { seen } else { 0 };
                        awake += seconds - noted;
                    }
                }
                Step::Sleep(d) => w.sleep(d),
                Step::Restart { off } => {
                    w.boots += 1;
                    w.now += Duration::seconds(off);
                    w.machine = Machine { boot: format!("boot-{}", w.boots), suspended: 0, booted_at: Some(w.now) };
                    unknowable |= running;
                }
                Step::ClockBack(d) => {
                    w.now -= Duration::seconds(d);
                    unknowable |= running || timer.spans.iter().any(|s| s.end.is_some_and(|e| e > w.now));
                }
                Step::Pause => match timer.pause(w.now, &w.machine) {
                    Ok(closed) => { prop_assert!(running); *timer.spans.last_mut().expect("span") = closed; }
                    Err(_) => prop_assert!(!running, "a running timer refused to pause"),
                },
                Step::Resume => match timer.resume(w.now, &w.machine) {
                    Ok(span) => { prop_assert!(!running); timer.spans.push(span); }
                    Err(_) => prop_assert!(running, "a paused timer refused to resume"),
                },
            }
            prop_assert!(timer.violations().is_empty(), "{:?}", timer.violations());
            let closed = Timer { spans: timer.closed_at(w.now, &w.machine), ..timer.clone() };
            prop_assert!(closed.violations().is_empty(), "closed now: {:?}", closed.violations());
        }
        let keep = timer.minutes_to_book(w.now, &w.machine, true);
        let drop = timer.minutes_to_book(w.now, &w.machine, false);
        let view = timer.view("t", w.now, &w.machine);
        prop_assert!(0 <= drop && drop <= keep, "drop {drop}, keep {keep}");
        prop_assert_eq!(view.elapsed_minutes, keep);
        prop_assert!((keep - drop - view.away_minutes).abs() <= 1, "keep {} drop {} away {}", keep, drop, view.away_minutes);
        // Anything left out is said: never a minute dropped without a sentence.
        prop_assert_eq!(view.away.is_empty(), view.away_minutes == 0);
        if !unknowable {
            prop_assert_eq!(drop, (awake + 30) / 60, "awake {} s", awake);
        }
    }
}

fn plan() -> &'static SavedPlan {
    static PLAN: OnceLock<SavedPlan> = OnceLock::new();
    PLAN.get_or_init(|| {
        let settings = PlanSettings {
            start: "2027-01-04".parse::<NaiveDate>().expect("date"),
            months: Some(12),
            availability: Some("mon=19:00-21:00,wed=19:00-21:00,sat=09:00-13:00".into()),
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
        let clock = Clock::new(
            at("2027-01-04T07:00:00Z"),
            "Europe/Berlin".parse().expect("zone"),
        );
        SavedPlan::create(
            Arc::new(Roadmap::bundled().expect("bundled")),
            None,
            &settings,
            &clock,
            1,
            Default::default(),
        )
        .expect("plan")
    })
}

/// Minutes studied on `topic` as the views count them: study sessions and logs.
fn studied(p: &SavedPlan, topic: &str) -> u64 {
    let sessions: u64 = p
        .sessions
        .iter()
        .filter(|s| s.topic == topic && s.is_study())
        .map(|s| u64::from(s.studied()))
        .sum();
    let logs: u64 = p
        .logs
        .iter()
        .filter(|l| l.topic == topic)
        .map(|l| u64::from(l.minutes))
        .sum();
    sessions + logs
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(128)))]

    /// What a stop books, for any session at any moment: the topic's study grows by exactly
    /// the timed minutes (more than planned allowed), the plan keeps every rule, and a review
    /// books nothing (it is rated).
    #[test]
    fn a_stop_books_exactly_the_minutes_timed(
        pick in 0usize..400, minutes in 1i64..600, days in 0i64..60, twice in any::<bool>()
    ) {
        let mut p = plan().clone();
        let clock = Clock::new(at("2027-01-04T22:00:00Z") + Duration::days(days), p.zone);
        let live: Vec<i64> = p.sessions.iter().filter(|s| s.status == SessionStatus::Planned).map(|s| s.id).collect();
        let id = live[pick % live.len()];
        let s = p.session(id).expect("session").clone();
        prop_assert!(p.timer_target(Some(id), None).is_ok());
        for round in 0..if twice { 2 } else { 1 } {
            let before = studied(&p, &s.topic);
            match p.book_timer(Some(id), &s.topic, minutes, &clock) {
                Ok((changes, booked)) => {
                    p.apply(&changes, &clock);
                    prop_assert!(p.violations().is_empty(), "{:?}", p.violations());
                    let after = studied(&p, &s.topic);
                    if s.kind == SessionKind::Review {
                        prop_assert_eq!(after, before);
                        prop_assert_eq!(booked.rate_topic.as_deref(), Some(s.topic.as_str()));
                    } else {
                        prop_assert_eq!(after - before, minutes as u64, "{}", booked.said);
                        let now = p.session(id).expect("session");
                        if s.date <= clock.today() && now.status == SessionStatus::Done {
                            prop_assert!(now.studied() >= now.minutes);
                        }
                    }
                }
                // A done session cannot be timed again: the second round goes to the topic.
                Err(e) => prop_assert!(round == 1, "{e}"),
            }
        }
    }
}
