//! The session scheduler's invariants, property-tested over random roadmaps and settings, and
//! a few plain examples.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use roadmap_core::Roadmap;
use roadmap_core::content::{Hours, Skill, Step, Topic};
use roadmap_core::schedule::availability::{Availability, Blackout, Window};
use roadmap_core::schedule::planner::{Fix, Plan, PlanRequest, plan};

fn minutes_of(hhmm: &str) -> u32 {
    let (h, m) = hhmm.split_once(':').expect("HH:MM");
    h.parse::<u32>().expect("hour") * 60 + m.parse::<u32>().expect("minute")
}

fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

// --- Random inputs ------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Case {
    roadmap: Roadmap,
    start: NaiveDate,
    months: Option<u32>,
    windows: Vec<Window>,
    blackouts: Vec<Blackout>,
    min: u32,
    max: u32,
    extra_window: Window,
}

pub(crate) fn window() -> impl Strategy<Value = Window> {
    (0u8..7, 0u32..92, 1u32..17).prop_map(|(weekday, q, len)| {
        let start = q * 15;
        Window {
            weekday,
            start,
            end: (start + len * 15).min(24 * 60),
        }
    })
}

pub(crate) fn roadmap() -> impl Strategy<Value = Roadmap> {
    (1usize..5, 1usize..40).prop_flat_map(|(steps, topics)| {
        proptest::collection::vec(
            (
                0..steps,
                1u32..120,
                0usize..3,
                any::<bool>(),
                proptest::collection::vec(any::<proptest::sample::Index>(), 0..3),
            ),
            topics,
        )
        .prop_map(move |specs| {
            let skills = ["a", "b", "c"];
            let topics = specs
                .iter()
                .enumerate()
                .map(|(i, (step, quarters, skill, optional, reqs))| {
                    // Prerequisites point to earlier topics only, so there is never a cycle.
                    let requires: BTreeSet<String> = if i == 0 {
                        BTreeSet::new()
                    } else {
                        reqs.iter().map(|r| format!("t{}", r.index(i))).collect()
                    };
                    let h = f64::from(*quarters) / 4.0;
                    Topic {
                        id: format!("t{i}"),
                        step: format!("s{step}"),
                        title: format!("Topic {i}"),
                        summary: String::new(),
                        hours: Hours {
                            low: h,
                            expected: h,
                            high: h,
                        },
                        skills: vec![skills[*skill].to_string()],
                        requires: requires.into_iter().collect(),
                        optional: *optional,
                        review: true,
                        resources: Vec::new(),
                        option: None,
                        role: None,
                    }
                })
                .collect();
            Roadmap::new(
                "Random".into(),
                String::new(),
                skills
                    .iter()
                    .map(|s| Skill {
                        id: s.to_string(),
                        name: s.to_string(),
                    })
                    .collect(),
                (0..steps)
                    .map(|i| Step {
                        id: format!("s{i}"),
                        title: format!("Step {i}"),
                        summary: String::new(),
                        milestone: None,
                    })
                    .collect(),
                topics,
            )
        })
    })
}

fn case() -> impl Strategy<Value = Case> {
    (
        roadmap(),
        0u64..1500,
        proptest::option::of(6u32..=24),
        proptest::collection::vec(window(), 1..6),
        proptest::collection::vec((0u64..300, 0u64..30), 0..3),
        1u32..5,
        0u32..8,
        window(),
    )
        .prop_map(
            |(roadmap, offset, months, windows, blackouts, min_q, extra_q, extra_window)| {
                let start = date("2026-01-01") + Days::new(offset);
                let min = min_q * 15;
                Case {
                    roadmap,
                    start,
                    months,
                    windows,
                    blackouts: blackouts
                        .into_iter()
                        .map(|(from, len)| {
                            let first = start + Days::new(from);
                            Blackout::new(first, first + Days::new(len)).expect("ordered")
                        })
                        .collect(),
                    min,
                    max: min + extra_q * 15,
                    extra_window,
                }
            },
        )
}

fn request(c: &Case, windows: Vec<Window>) -> PlanRequest<'_> {
    let mut req = PlanRequest::new(&c.roadmap, c.start);
    req.months = c.months;
    req.availability = Some(Availability::new(windows).expect("valid windows"));
    req.blackouts = c.blackouts.clone();
    req.session_min = c.min;
    req.session_max = c.max;
    req
}

/// Plans, or returns `None` when the settings are refused (no window as long as a session).
fn plan_case(c: &Case, windows: Vec<Window>) -> Option<(Plan, Availability)> {
    let req = request(c, windows.clone());
    let availability = Availability::new(windows).expect("valid");
    match plan(&req) {
        Ok(p) => Some((p, availability)),
        Err(e) => {
            assert!(
                availability.longest_window() < c.min,
                "unexpected refusal: {e}"
            );
            None
        }
    }
}

// --- The invariants ----------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(300)))]

    #[test]
    fn sessions_respect_windows_blackouts_bounds_and_never_overlap(c in case()) {
        let Some((p, availability)) = plan_case(&c, c.windows.clone()) else { return Ok(()) };
        let mut last_end: Option<(NaiveDate, u32)> = None;
        for s in &p.sessions {
            let start = minutes_of(&s.start);
            let end = start + s.minutes;
            prop_assert!(s.date >= c.start);
            prop_assert!(!c.blackouts.iter().any(|b| b.contains(s.date)), "{s:?} in a blackout");
            prop_assert!(s.minutes >= c.min && s.minutes <= c.max, "{s:?} outside {}..{}", c.min, c.max);
            let weekday = s.date.format("%u").to_string().parse::<u8>().expect("weekday") - 1;
            prop_assert!(
                availability.on(weekday).any(|w| w.start <= start && end <= w.end),
                "{s:?} is outside every window"
            );
            if let Some(prev) = last_end {
                prop_assert!(prev <= (s.date, start), "{s:?} overlaps the session before");
            }
            last_end = Some((s.date, end));
        }
    }

    #[test]
    fn prerequisites_finish_before_a_topic_starts(c in case()) {
        let Some((p, _)) = plan_case(&c, c.windows.clone()) else { return Ok(()) };
        let mut first: BTreeMap<&str, (NaiveDate, u32)> = BTreeMap::new();
        let mut last_end: BTreeMap<&str, (NaiveDate, u32)> = BTreeMap::new();
        for s in &p.sessions {
            let start = minutes_of(&s.start);
            first.entry(&s.topic).or_insert((s.date, start));
            last_end.insert(&s.topic, (s.date, start + s.minutes));
        }
        for t in &p.topics {
            let Some(begin) = first.get(t.id.as_str()) else { continue };
            for r in &t.requires {
                let done = last_end.get(r.as_str());
                prop_assert!(done.is_some(), "{} is scheduled but its prerequisite {r} is not", t.id);
                prop_assert!(done.is_some_and(|d| d <= begin), "{} starts before {r} ends", t.id);
            }
        }
    }

    #[test]
    fn all_effort_is_scheduled_or_reported(c in case()) {
        let Some((p, _)) = plan_case(&c, c.windows.clone()) else { return Ok(()) };
        prop_assert_eq!(p.topics.len(), c.roadmap.topics.len());
        let mut scheduled: BTreeMap<&str, u32> = BTreeMap::new();
        for s in &p.sessions {
            *scheduled.entry(&s.topic).or_default() += s.minutes;
        }
        let unscheduled: BTreeSet<&str> = p.unscheduled.iter().map(|u| u.topic.as_str()).collect();
        for t in &p.topics {
            let planned = (t.hours * 60.0).round() as u32;
            let expected = c.roadmap.topics.iter().find(|x| x.id == t.id).expect("topic").hours.expected;
            prop_assert!(t.hours >= expected, "{} planned {} h of {expected}", t.id, t.hours);
            match scheduled.get(t.id.as_str()) {
                Some(&m) => prop_assert_eq!(m, planned, "{} minutes", t.id),
                None => prop_assert!(unscheduled.contains(t.id.as_str()), "{} silently dropped", t.id),
            }
        }
        if !p.unscheduled.is_empty() {
            prop_assert!(!p.feasible);
        }
    }

    #[test]
    fn weeks_never_exceed_capacity(c in case()) {
        let Some((p, _)) = plan_case(&c, c.windows.clone()) else { return Ok(()) };
        let planned: u32 = p.weeks.iter().map(|w| w.planned_minutes).sum();
        let in_sessions: u32 = p.sessions.iter().map(|s| s.minutes).sum();
        prop_assert_eq!(planned, in_sessions, "every session is counted in a week");
        for w in &p.weeks {
            prop_assert!(w.planned_minutes <= w.capacity_minutes, "{w:?}");
        }
    }

    #[test]
    fn each_week_is_its_days_capacity_and_its_sessions(c in case()) {
        let Some((p, availability)) = plan_case(&c, c.windows.clone()) else { return Ok(()) };
        // Recounted day by day through chrono's own ISO week labels, from the start to the
        // last day planned or before the target.
        let target_last = p.target_end.and_then(|d| d.pred_opt());
        let last = [p.projected_end, target_last].into_iter().flatten().max().unwrap_or(c.start);
        let mut expected: Vec<(String, u32, u32)> = Vec::new();
        let mut day = c.start;
        while day <= last {
            let label = day.format("%G-W%V").to_string();
            if expected.last().map(|e| &e.0) != Some(&label) {
                expected.push((label.clone(), 0, 0));
            }
            let weekday = day.format("%u").to_string().parse::<u8>().expect("weekday") - 1;
            if !c.blackouts.iter().any(|b| b.contains(day)) {
                let daily: u32 = availability.on(weekday).map(|w| w.end - w.start).sum();
                if let Some(e) = expected.last_mut() { e.2 += daily; }
            }
            day = day.succ_opt().expect("day");
        }
        for s in &p.sessions {
            let label = s.date.format("%G-W%V").to_string();
            if let Some(e) = expected.iter_mut().find(|e| e.0 == label) { e.1 += s.minutes; }
        }
        let got: Vec<(String, u32, u32)> = p
            .weeks
            .iter()
            .map(|w| (w.week.clone(), w.planned_minutes, w.capacity_minutes))
            .collect();
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn no_week_with_room_sits_idle_while_work_remains(c in case()) {
        let Some((p, availability)) = plan_case(&c, c.windows.clone()) else { return Ok(()) };
        let Some(end) = p.projected_end else { return Ok(()) };
        let end_week = end.format("%G-W%V").to_string();
        // A week that contains at least one whole window long enough for a session.
        let has_room = |w: &roadmap_core::schedule::planner::WeekLoad| {
            w.capacity_minutes >= availability.weekly_minutes() && availability.longest_window() >= c.min
        };
        for w in p.weeks.iter().filter(|w| w.week < end_week) {
            if has_room(w) {
                prop_assert!(w.planned_minutes > 0, "{w:?} idle before the end {end}");
            }
        }
    }

    #[test]
    fn the_same_inputs_give_the_same_plan(c in case()) {
        let a = plan_case(&c, c.windows.clone()).map(|(p, _)| serde_json::to_string(&p).expect("json"));
        let b = plan_case(&c, c.windows.clone()).map(|(p, _)| serde_json::to_string(&p).expect("json"));
        prop_assert_eq!(a, b);
    }

    #[test]
    fn a_proposed_week_is_in_whole_and_half_hours(c in case(), months in 6u32..=24) {
        let mut req = PlanRequest::new(&c.roadmap, c.start);
        req.months = Some(months);
        req.session_min = c.min;
        req.session_max = c.max;
        let Ok(p) = plan(&req) else { return Ok(()) };
        prop_assert!(p.availability_proposed);
        let week = Availability::parse(&p.availability).expect("a proposal reads back");
        for day in 0..7 {
            for w in week.on(day) {
                prop_assert!(w.start % 30 == 0 && w.end % 30 == 0, "{} has {w:?}", p.availability);
            }
        }
    }

    #[test]
    fn more_availability_never_finishes_later(c in case()) {
        let Some((before, _)) = plan_case(&c, c.windows.clone()) else { return Ok(()) };
        let mut more = c.windows.clone();
        more.push(c.extra_window);
        let Some((after, _)) = plan_case(&c, more) else { return Ok(()) };
        prop_assert!(after.unscheduled.len() <= before.unscheduled.len());
        if before.unscheduled.is_empty() {
            prop_assert!(after.projected_end <= before.projected_end,
                "{:?} then {:?}", before.projected_end, after.projected_end);
        }
    }
}

// --- Examples -----------------------------------------------------------------------------------

fn bundled() -> Roadmap {
    Roadmap::bundled().expect("bundled roadmap")
}

#[test]
fn the_bundled_roadmap_fits_a_year_of_twenty_hours_a_week() {
    let roadmap = bundled();
    let mut req = PlanRequest::new(&roadmap, date("2027-01-04"));
    req.months = Some(12);
    req.availability = Some(
        Availability::parse("mon=18:00-21:00,tue=18:00-21:00,wed=18:00-21:00,thu=18:00-21:00,sat=09:00-13:00,sun=09:00-13:00")
            .expect("availability"),
    );
    let p = plan(&req).expect("plan");
    assert!(p.feasible, "{:?}", p.fixes);
    assert!(p.unscheduled.is_empty());
    assert_eq!(p.available_hours_per_week, 20.0);
    assert!(p.projected_end.expect("end") < date("2028-01-04"));
    assert_eq!(p.milestones.len(), 8);
}

#[test]
fn a_target_alone_gets_a_proposed_week_that_meets_it() {
    let roadmap = bundled();
    for months in [6, 12, 24] {
        let mut req = PlanRequest::new(&roadmap, date("2027-01-04"));
        req.months = Some(months);
        let p = plan(&req).expect("plan");
        assert!(p.availability_proposed);
        assert!(
            p.feasible,
            "{months} months: {} ({:?})",
            p.availability, p.fixes
        );
        assert!(p.available_hours_per_week >= p.required_hours_per_week.expect("target"));
    }
}

#[test]
fn availability_alone_gives_a_finish_date() {
    let roadmap = bundled();
    let mut req = PlanRequest::new(&roadmap, date("2027-01-04"));
    req.availability = Some(Availability::parse("sat=09:00-13:00").expect("availability"));
    let p = plan(&req).expect("plan");
    assert!(p.target_end.is_none());
    assert!(p.feasible);
    // About 690 hours at 4 hours a week is more than three years.
    assert!(p.projected_end.expect("end") > date("2030-01-01"));
}

#[test]
fn an_impossible_target_says_what_would_fix_it() {
    let roadmap = bundled();
    let mut req = PlanRequest::new(&roadmap, date("2027-01-04"));
    req.months = Some(6);
    req.availability =
        Some(Availability::parse("mon=19:00-21:00,sat=09:00-13:00").expect("availability"));
    let p = plan(&req).expect("plan");
    assert!(!p.feasible);
    let more = p.fixes.iter().find_map(|f| match f {
        Fix::MoreHours {
            extra_hours_per_week,
        } => Some(*extra_hours_per_week),
        _ => None,
    });
    assert!(more.is_some_and(|h| h > 10.0), "{:?}", p.fixes);
    assert!(
        p.fixes
            .iter()
            .any(|f| matches!(f, Fix::LaterTarget { months: None })),
        "{:?}",
        p.fixes
    );
    assert!(
        p.fixes
            .iter()
            .any(|f| matches!(f, Fix::DropOptional { enough: false, .. })),
        "{:?}",
        p.fixes
    );
}

#[test]
fn blocked_days_get_no_sessions_and_done_topics_are_not_planned() {
    let roadmap = bundled();
    let mut req = PlanRequest::new(&roadmap, date("2027-01-04"));
    req.months = Some(12);
    req.availability =
        Some(Availability::parse("mon=18:00-22:00,wed=18:00-22:00,sat=08:00-14:00").expect("a"));
    req.blackouts = vec![Blackout::parse("2027-01-04..2027-01-17").expect("blackout")];
    req.done = ["python-fundamentals".to_string()].into();
    let p = plan(&req).expect("plan");
    let first = p.sessions.first().expect("sessions");
    assert_eq!(first.date, date("2027-01-18"));
    assert!(p.sessions.iter().all(|s| s.topic != "python-fundamentals"));
    assert!(p.topics.iter().all(|t| t.id != "python-fundamentals"));
}

#[test]
fn a_step_stays_together_and_prerequisites_from_later_steps_are_pulled_forward() {
    let roadmap = bundled();
    let mut req = PlanRequest::new(&roadmap, date("2027-01-04"));
    req.months = Some(12);
    let p = plan(&req).expect("plan");
    let order: Vec<&str> = p.topics.iter().map(|t| t.id.as_str()).collect();
    let pos = |id: &str| order.iter().position(|t| *t == id).expect("planned");
    // Git is learned before the CI topic that needs it, not after the security step.
    assert!(pos("github-collaboration") < pos("ci-cd"));
    // The languages step's required topics come before any database topic.
    assert!(pos("python-testing") < pos("sql-queries"));
}

#[test]
fn bad_availability_and_blackouts_are_refused_clearly() {
    for (text, needle) in [
        ("mon=21:00-19:00", "ends before it starts"),
        ("funday=19:00-21:00", "unknown weekday"),
        ("mon=19:00", "missing `-`"),
        ("mon=25:00-26:00", "is not a time"),
        ("mon=19:10-21:00", "quarter hours"),
        ("", "empty"),
    ] {
        let err = Availability::parse(text).expect_err(text).to_string();
        assert!(err.contains(needle), "{text}: {err}");
    }
    assert!(
        Blackout::parse("2027-02-10..2027-02-01")
            .expect_err("reversed")
            .to_string()
            .contains("ends before")
    );
    assert!(
        Blackout::parse("2027-02-30..2027-03-01")
            .expect_err("no such day")
            .to_string()
            .contains("not a date")
    );
}
