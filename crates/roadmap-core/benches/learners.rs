//! `cargo bench -p roadmap-core --bench learners`: how honest the finish-date band is for
//! learners unlike the forecast's model.
//!
//! Each simulated learner starts from the model's own kind of learner (a pace per skill area, a
//! mean share of planned hours studied, weeks that vary around it, each topic's true effort in
//! its range) and then departs from it in one way, a process:
//!
//! - **drift**: their pace wanders, a random walk of σ 0.1 a month on its logarithm;
//! - **lost weeks**: each week is lost entirely with probability 0.15;
//! - **slow start**: they learn at half speed for six weeks, then at full speed;
//! - **alternating**: two weeks at their full hours, two at a fifth of them, and so on;
//! - **known**: a fifth of the topics they knew already, and tick off unstudied when the plan
//!   brings them up (or when their study reaches them, whichever comes first);
//! - **model**: no departure (the forecast's own kind of learner, for comparison).
//!
//! The learner makes the bundled roadmap's 12-month plan (ten hours a week) and lives it for
//! eight weeks through `SavedPlan`'s actions as the CLI makes them (sessions checked off or
//! partly, study logged on the topic they were really on, topics marked done), the forecast
//! is made from that plan, and the rest of their study is played out to the day they finish.
//! Printed: the share of true finishes on or before the P50, P80 and P90 dates (targets 40–60 %
//! and 70–90 %), and the median finish against the P50. 500 learners per process, fixed seeds.
//! `LEARNERS=n` changes the count. Exits with 1 when a process is outside the targets.

// A benchmark reads its settings from the environment; the library may not (clippy.toml).
#![allow(clippy::disallowed_methods)]

use std::sync::Arc;

use chrono::{Datelike, Days, NaiveDate, TimeZone};
use roadmap_core::Roadmap;
use roadmap_core::api::{PlanSettings, Recall, SessionKind, SessionMark, SessionStatus, TopicMark};
use roadmap_core::clock::Clock;
use roadmap_core::forecast::{self, Rng};
use roadmap_core::saved::SavedPlan;

const AVAILABILITY: &str = "mon=18:00-21:00,wed=18:00-21:00,sat=09:00-13:00";
const WEEKS_SEEN: u64 = 8;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Process {
    Drift,
    LostWeeks,
    SlowStart,
    Alternating,
    Known,
    Model,
}

const PROCESSES: [(Process, &str); 6] = [
    (Process::Drift, "(a) pace drifting, σ 0.1 a month"),
    (Process::LostWeeks, "(b) weeks lost, p 0.15"),
    (Process::SlowStart, "(c) slow start, 0.5× for 6 weeks"),
    (Process::Alternating, "(d) 2 weeks full, 2 at 20 %"),
    (Process::Known, "(e) a fifth ticked off unstudied"),
    (Process::Model, "the model's own learners"),
];

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 4).expect("date")
}

fn settings() -> PlanSettings {
    PlanSettings {
        start: start(),
        months: Some(12),
        availability: Some(AVAILABILITY.into()),
        blackouts: Vec::new(),
        session_min: 30,
        session_max: 120,
        include_optional: false,
        known: Vec::new(),
        some: Vec::new(),
        review_cap: 15,
        pace: None,
        weeks: Default::default(),
        chosen: Vec::new(),
        edits: Vec::new(),
    }
}

fn clock_at(date: NaiveDate, hour: u32) -> Clock {
    let now = chrono::Utc
        .from_utc_datetime(&date.and_hms_opt(hour, 0, 0).expect("time"))
        .to_owned();
    Clock::new(now, chrono_tz::UTC)
}

/// One learner as they really are.
struct Truth {
    /// Topics in the order they study them (the plan's), with the effort each really needs
    /// (hours at pace 1) and whether they knew it already.
    topics: Vec<(String, f64, bool)>,
    mean: f64,
    process: Process,
    /// The drifting log pace (drift only).
    drift: f64,
    /// Where they are: the topic and the effort done on it.
    current: usize,
    done: f64,
}

impl Truth {
    /// This week's share of the planned hours studied, and the speed of learning (effort per
    /// hour studied).
    fn week(&mut self, week: u64, rng: &mut Rng) -> (f64, f64) {
        let mut factor =
            (self.mean + forecast::WEEK_SD * rng.normal()).clamp(0.0, forecast::ADHERENCE_MAX);
        let mut speed = 1.0;
        match self.process {
            Process::Drift => {
                // σ 0.1 a month: a month is 365.25 / 12 / 7 weeks.
                self.drift += 0.1 / (365.25f64 / 12.0 / 7.0).sqrt() * rng.normal();
                speed = (-self.drift).exp();
            }
            Process::LostWeeks => {
                if rng.uniform() < 0.15 {
                    factor = 0.0;
                }
            }
            Process::SlowStart => {
                if week < 6 {
                    speed = 0.5;
                }
            }
            Process::Alternating => {
                if (week / 2) % 2 == 1 {
                    factor *= 0.2;
                }
            }
            Process::Known | Process::Model => {}
        }
        (factor, speed)
    }

    /// `hours` of study at `speed`: the (topic index, hours) spent on each and the topics
    /// finished (or ticked off as known) on the way, in order.
    fn study(&mut self, mut hours: f64, speed: f64) -> (Vec<(usize, f64)>, Vec<usize>) {
        let mut chunks = Vec::new();
        let mut finished = Vec::new();
        loop {
            while self.current < self.topics.len() && self.topics[self.current].2 {
                finished.push(self.current);
                self.current += 1;
            }
            if self.current >= self.topics.len() || hours <= 1e-9 {
                break;
            }
            let need = (self.topics[self.current].1 - self.done) / speed;
            if need > hours {
                self.done += hours * speed;
                chunks.push((self.current, hours));
                break;
            }
            chunks.push((self.current, need));
            hours -= need;
            finished.push(self.current);
            self.current += 1;
            self.done = 0.0;
        }
        (chunks, finished)
    }

    fn finished(&self) -> bool {
        self.current >= self.topics.len()
    }
}

/// What one learner gives: the true finish and the band made after eight weeks.
struct Outcome {
    /// `None`: not within twenty years.
    truth: Option<NaiveDate>,
    p50: Option<NaiveDate>,
    p80: Option<NaiveDate>,
    p90: Option<NaiveDate>,
}

fn apply(
    plan: &mut SavedPlan,
    changes: Result<Vec<roadmap_core::saved::Change>, impl std::fmt::Debug>,
    clock: &Clock,
) {
    let changes = changes.expect("an action the CLI would take");
    plan.apply(&changes, clock);
}

fn learner(roadmap: &Arc<Roadmap>, process: Process, seed: u64) -> Outcome {
    let mut rng = Rng::new(seed);
    let begin = clock_at(start() - Days::new(1), 20);
    let mut plan = SavedPlan::create(
        Arc::clone(roadmap),
        None,
        &settings(),
        &begin,
        1,
        Arc::new(Vec::new()),
    )
    .expect("plan");
    // The order they study in: the plan's.
    let mut order: Vec<String> = Vec::new();
    for s in plan
        .sessions
        .iter()
        .filter(|s| s.kind == SessionKind::Study)
    {
        if !order.contains(&s.topic) {
            order.push(s.topic.clone());
        }
    }
    let skills = roadmap.skills.len();
    let shared = forecast::SHARED_SD * rng.normal();
    let log_pace: Vec<f64> = (0..skills)
        .map(|_| shared + forecast::SKILL_SD * rng.normal())
        .collect();
    let mean = (forecast::ADHERENCE_PRIOR + forecast::ADHERENCE_SPREAD * rng.normal())
        .clamp(0.25, forecast::ADHERENCE_MAX);
    let topics = order
        .iter()
        .map(|id| {
            let t = roadmap.topic(id).expect("topic");
            let effort =
                forecast::triangular(t.hours.low, t.hours.expected, t.hours.high, rng.uniform());
            let k: Vec<usize> = t
                .skills
                .iter()
                .filter_map(|s| roadmap.skills.iter().position(|k| &k.id == s))
                .collect();
            let pace = k.iter().map(|&s| log_pace[s]).sum::<f64>() / k.len().max(1) as f64;
            let known = process == Process::Known && rng.uniform() < 0.2;
            (id.clone(), effort * pace.exp(), known)
        })
        .collect();
    let mut truth = Truth {
        topics,
        mean,
        process,
        drift: 0.0,
        current: 0,
        done: 0.0,
    };

    // Eight weeks lived through the plan's own actions.
    let (mut factor, mut speed) = (1.0, 1.0);
    for d in 0..WEEKS_SEEN * 7 {
        let date = start() + Days::new(d);
        if d.is_multiple_of(7) {
            (factor, speed) = truth.week(d / 7, &mut rng);
            // The week's sessions of topics they knew already are ticked off as they come
            // up (as the learner ticked the next topics off).
            let week_end = date + Days::new(6);
            let known: Vec<String> = truth
                .topics
                .iter()
                .filter(|(id, _, known)| {
                    *known
                        && !plan.marks.contains_key(id)
                        && plan.sessions.iter().any(|s| {
                            &s.topic == id
                                && s.status == SessionStatus::Planned
                                && (date..=week_end).contains(&s.date)
                        })
                })
                .map(|t| t.0.clone())
                .collect();
            let clock = clock_at(date, 7);
            for id in known {
                let c = plan.mark_topic(&id, Some(TopicMark::Done), &clock);
                apply(&mut plan, c, &clock);
            }
        }
        let clock = clock_at(date, 23);
        let today: Vec<(i64, SessionKind, String, u32)> = plan
            .sessions
            .iter()
            .filter(|s| s.date == date && s.status == SessionStatus::Planned)
            .map(|s| (s.id, s.kind, s.topic.clone(), s.minutes))
            .collect();
        for (id, kind, topic, minutes) in today {
            if plan.session(id).map(|s| s.status) != Ok(SessionStatus::Planned) {
                continue;
            }
            let hours = f64::from(minutes) / 60.0 * factor;
            // A review of a topic they have not finished yet is time for study.
            let finished_topic = plan
                .marks
                .get(&topic)
                .is_some_and(|m| m.mark == TopicMark::Done);
            if kind != SessionKind::Study && finished_topic {
                // A review is done or not (no partial reviews): done when most of it was.
                if hours * 60.0 >= f64::from(minutes) / 2.0 {
                    let c = plan.review(&topic, Recall::Good, Some(date), &clock);
                    apply(&mut plan, c, &clock);
                }
                continue;
            }
            let (chunks, finished) = truth.study(hours, speed);
            match chunks.as_slice() {
                [(i, h)] if kind == SessionKind::Study && truth.topics[*i].0 == topic => {
                    mark(&mut plan, id, minutes, *h, &clock)
                }
                _ => {
                    for (i, h) in chunks {
                        let m = (h * 60.0).round() as i64;
                        if m >= 1 {
                            let c = plan.log_study(&truth.topics[i].0, Some(date), m, &clock);
                            apply(&mut plan, c, &clock);
                        }
                    }
                }
            }
            for i in finished {
                if plan.marks.contains_key(&truth.topics[i].0) {
                    continue;
                }
                let c = plan.mark_topic(&truth.topics[i].0, Some(TopicMark::Done), &clock);
                apply(&mut plan, c, &clock);
            }
        }
        if truth.finished() {
            break;
        }
    }
    let as_of = start() + Days::new(WEEKS_SEEN * 7);
    let band = plan.forecast(&clock_at(as_of, 8));

    // The rest of their study, played out: the hours the plan gives study on each weekday,
    // at each week's share and speed.
    let e = forecast::plan_input(&plan.record(), as_of);
    let mut d = WEEKS_SEEN * 7;
    let mut finish = Some(as_of);
    while !truth.finished() {
        // Twenty years on they are counted as never finishing (as the band counts them).
        if d > WEEKS_SEEN * 7 + 20 * 365 {
            finish = None;
            break;
        }
        let date = start() + Days::new(d);
        if d.is_multiple_of(7) {
            (factor, speed) = truth.week(d / 7, &mut rng);
        }
        let hours = e.day_hours[date.weekday().num_days_from_monday() as usize] * factor;
        truth.study(hours, speed);
        finish = Some(date);
        d += 1;
    }
    Outcome {
        truth: finish,
        p50: band.p50,
        p80: band.p80,
        p90: band.p90,
    }
}

/// Checks off session `id` for `hours` of study: done (the hours beyond it logged), partly,
/// or left unticked when nothing was studied.
fn mark(plan: &mut SavedPlan, id: i64, minutes: u32, hours: f64, clock: &Clock) {
    let spent = (hours * 60.0).round() as u32;
    if spent == 0 {
        return;
    }
    let m = if spent >= minutes {
        SessionMark::Done
    } else {
        SessionMark::Partial { minutes: spent }
    };
    let c = plan.mark_session(id, m, clock);
    apply(plan, c, clock);
    if spent > minutes {
        let topic = plan.session(id).expect("session").topic.clone();
        let c = plan.log_study(
            &topic,
            Some(clock.today()),
            i64::from(spent - minutes),
            clock,
        );
        apply(plan, c, clock);
    }
}

fn main() {
    let roadmap = Arc::new(Roadmap::bundled().expect("bundled roadmap"));
    let learners: u64 = std::env::var("LEARNERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(500);
    let mut outside = Vec::new();
    println!("| process | P50 covers | P80 covers | P90 covers | finish after P50, median days |");
    println!("|---|---|---|---|---|");
    for (process, label) in PROCESSES {
        let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
            let threads = 2u64;
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let roadmap = &roadmap;
                    scope.spawn(move || {
                        (0..learners)
                            .filter(|i| i % threads == t)
                            .map(|i| learner(roadmap, process, 1_000 + i))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("thread"))
                .collect()
        });
        let share = |pick: fn(&Outcome) -> Option<NaiveDate>| {
            let n = outcomes
                .iter()
                .filter(|o| match (o.truth, pick(o)) {
                    (_, None) => true,
                    (None, Some(_)) => false,
                    (Some(t), Some(p)) => t <= p,
                })
                .count();
            100.0 * n as f64 / outcomes.len() as f64
        };
        let mut late: Vec<i64> = outcomes
            .iter()
            .filter_map(|o| Some((o.truth? - o.p50?).num_days()))
            .collect();
        late.sort_unstable();
        let (p50, p80) = (share(|o| o.p50), share(|o| o.p80));
        println!(
            "| {label} | {p50:.1} % | {p80:.1} % | {:.1} % | {} |",
            share(|o| o.p90),
            late.get(late.len() / 2).copied().unwrap_or(0)
        );
        if !(40.0..=60.0).contains(&p50) || !(70.0..=90.0).contains(&p80) {
            outside.push(label);
        }
    }
    if !outside.is_empty() {
        eprintln!("outside the targets (P50 40–60 %, P80 70–90 %): {outside:?}");
        std::process::exit(1);
    }
}
