//! The iCalendar export: structure, determinism, time zones, cancelled sessions, and text that
//! survives the round trip whatever it holds.

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::NaiveDate;
use icalendar::{Calendar, CalendarComponent, Component};
use proptest::prelude::*;
use roadmap_core::Roadmap;
use roadmap_core::api::{PlanSettings, SessionKind, SessionStatus};
use roadmap_core::calendar::{ExportOptions, lint, render, to_utc};
use roadmap_core::content::{Hours, Skill, Step, Topic};
use roadmap_core::progress::{PlanMeta, Record};
use roadmap_core::schedule::planner::plan;
use roadmap_core::schedule::replan::StoredSession;

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn settings() -> PlanSettings {
    PlanSettings {
        start: day("2027-01-04"),
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
    }
}

fn sessions_of(roadmap: &Roadmap, settings: &PlanSettings) -> Vec<StoredSession> {
    let p = plan(&settings.request(roadmap).expect("request")).expect("plan");
    p.sessions
        .iter()
        .enumerate()
        .map(|(i, s)| StoredSession::planned(i as i64 + 1, s))
        .collect()
}

fn meta(revised_at: &str) -> PlanMeta {
    PlanMeta {
        id: 7,
        created_at: "2027-01-03T10:00:00Z".into(),
        revised_at: revised_at.into(),
        roadmap_title: "Backend developer".into(),
    }
}

fn options(zone: &str, alarm: Option<u32>) -> ExportOptions {
    ExportOptions {
        name: "Backend developer, my plan".into(),
        alarm_minutes: alarm,
        time_zone: zone.into(),
    }
}

fn export(roadmap: &Roadmap, sessions: &[StoredSession], opts: &ExportOptions) -> String {
    let s = settings();
    let marks: BTreeMap<String, roadmap_core::progress::MarkRecord> = BTreeMap::new();
    let record = Record {
        roadmap,
        settings: &s,
        sessions,
        marks: &marks,
        logs: &[],
        recalls: &[],
    };
    render(&record, &meta("2027-02-01T08:30:00Z"), opts).expect("render")
}

fn events(file: &str) -> Vec<icalendar::Event> {
    let cal = Calendar::from_str(file).expect("our own file parses");
    cal.components
        .into_iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

#[test]
fn the_bundled_plan_exports_cleanly_and_byte_for_byte_the_same() {
    let roadmap = Roadmap::bundled().expect("bundled");
    let sessions = sessions_of(&roadmap, &settings());
    let opts = options("Europe/Berlin", Some(15));
    let file = export(&roadmap, &sessions, &opts);
    assert_eq!(lint(&file), vec![], "lint");
    assert_eq!(
        file,
        export(&roadmap, &sessions, &opts),
        "not deterministic"
    );
    let evs = events(&file);
    assert_eq!(
        evs.len(),
        sessions.len() + 8,
        "a session each and a milestone per step"
    );
    assert!(file.contains("DTSTAMP:20270201T083000Z"));
    assert!(file.contains("PRODID:-//Roadmap Planner//Study plan//EN"));
    assert!(file.contains("X-WR-CALNAME:Backend developer\\, my plan"));
    assert_eq!(file.matches("BEGIN:VALARM").count(), sessions.len());
    assert!(file.contains("TRIGGER:-PT15M"));
    // All-day milestones end the next day (exclusive).
    let m = evs
        .iter()
        .find(|e| {
            e.get_uid()
                .is_some_and(|u| u.starts_with("milestone-languages"))
        })
        .expect("milestone");
    let raw = m.to_string();
    assert!(raw.contains("DTSTART;VALUE=DATE:"), "{raw}");
    let start = raw
        .lines()
        .find_map(|l| l.strip_prefix("DTSTART;VALUE=DATE:"))
        .expect("start");
    let end = raw
        .lines()
        .find_map(|l| l.strip_prefix("DTEND;VALUE=DATE:"))
        .expect("end");
    let parse = |d: &str| NaiveDate::parse_from_str(d.trim(), "%Y%m%d").expect("date");
    assert_eq!(parse(end), parse(start).succ_opt().expect("next"));
    // Without reminders there are no alarms.
    assert!(!export(&roadmap, &sessions, &options("Europe/Berlin", None)).contains("VALARM"));
}

#[test]
fn a_19_00_session_stays_at_19_00_local_across_daylight_saving() {
    let berlin: chrono_tz::Tz = "Europe/Berlin".parse().expect("zone");
    // Europe switches to summer time on 28 March 2027.
    assert_eq!(
        to_utc(berlin, day("2027-03-22"), 19 * 60)
            .expect("t")
            .to_rfc3339(),
        "2027-03-22T18:00:00+00:00"
    );
    assert_eq!(
        to_utc(berlin, day("2027-03-29"), 19 * 60)
            .expect("t")
            .to_rfc3339(),
        "2027-03-29T17:00:00+00:00"
    );
    // 02:30 does not exist that night; it moves on by the gap.
    assert_eq!(
        to_utc(berlin, day("2027-03-28"), 150)
            .expect("t")
            .to_rfc3339(),
        "2027-03-28T01:30:00+00:00"
    );
    let ny: chrono_tz::Tz = "America/New_York".parse().expect("zone");
    assert_eq!(
        to_utc(ny, day("2027-11-08"), 19 * 60)
            .expect("t")
            .to_rfc3339(),
        "2027-11-09T00:00:00+00:00"
    );
}

#[test]
fn cancelled_sessions_are_kept_for_a_while_then_dropped_and_sequence_is_the_revision() {
    let roadmap = Roadmap::bundled().expect("bundled");
    let mut sessions = sessions_of(&roadmap, &settings());
    let recent = sessions
        .iter()
        .position(|s| s.date >= day("2027-01-20"))
        .expect("recent");
    sessions[recent].status = SessionStatus::Cancelled;
    sessions[recent].revision = 1;
    sessions[0].status = SessionStatus::Cancelled; // 4 January: more than four weeks old
    sessions[1].revision = 3;
    let file = export(&roadmap, &sessions, &options("UTC", None));
    let evs = events(&file);
    let by_uid = |id: i64| {
        evs.iter().find(|e| {
            e.get_uid()
                .is_some_and(|u| u.starts_with(&format!("session-{id}.")))
        })
    };
    let c = by_uid(sessions[recent].id).expect("recently cancelled is kept");
    assert_eq!(c.property_value("STATUS"), Some("CANCELLED"));
    assert_eq!(c.get_sequence(), Some(1));
    assert!(
        by_uid(sessions[0].id).is_none(),
        "old cancellations are dropped"
    );
    assert_eq!(
        by_uid(sessions[1].id).and_then(|e| e.get_sequence()),
        Some(3)
    );
}

#[test]
fn bad_options_are_refused_with_a_reason() {
    let roadmap = Roadmap::bundled().expect("bundled");
    let s = settings();
    let marks = BTreeMap::new();
    let record = Record {
        roadmap: &roadmap,
        settings: &s,
        sessions: &[],
        marks: &marks,
        logs: &[],
        recalls: &[],
    };
    let e = render(
        &record,
        &meta("2027-02-01T08:30:00Z"),
        &options("Mars/Olympus", None),
    )
    .expect_err("zone");
    assert!(e.to_string().contains("Mars/Olympus"));
    let e = render(
        &record,
        &meta("2027-02-01T08:30:00Z"),
        &options("UTC", Some(20_000)),
    )
    .expect_err("alarm");
    assert!(e.to_string().contains("20000"));
}

#[test]
fn the_lint_catches_what_it_is_for() {
    let bad = "BEGIN:VCALENDAR\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20270101T000000\r\nDTSTART:20270102T100000Z\r\nDTEND:20270102T090000Z\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=Europe/Paris:20270102T100000\r\nX-LONG:".to_string()
        + &"é".repeat(40)
        + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let messages: Vec<String> = lint(&bad).into_iter().map(|p| p.message).collect();
    let has = |needle: &str| messages.iter().any(|m| m.contains(needle));
    assert!(has("CRLF"), "{messages:?}");
    assert!(has("PRODID"), "{messages:?}");
    assert!(has("not in UTC"), "{messages:?}");
    assert!(has("not after DTSTART"), "{messages:?}");
    assert!(has("used twice"), "{messages:?}");
    assert!(has("no DTSTAMP"), "{messages:?}");
    assert!(has("octets"), "{messages:?}");
    assert!(has("VTIMEZONE"), "{messages:?}");
}

fn tricky_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just(",".to_string()),
        Just(";".to_string()),
        Just("\\".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("🚀".to_string()),
        Just("e\u{301}".to_string()),
        Just("ß".to_string()),
        Just(":".to_string()),
        Just("\"".to_string()),
        "[a-zA-Z0-9 ]{1,12}",
        "[a-z]{60,90}",
    ];
    proptest::collection::vec(pieces, 1..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(200)))]

    #[test]
    fn any_title_and_description_survive_export_and_parse_back(title in tricky_text(), summary in tricky_text()) {
        let roadmap = Roadmap::new(
            "R".into(),
            String::new(),
            vec![Skill { id: "s".into(), name: "Skill, with; odd \\ chars".into() }],
            vec![Step { id: "one".into(), title: "Step; one, first".into(), summary: String::new(), milestone: None }],
            vec![Topic {
                id: "t".into(),
                step: "one".into(),
                title: title.clone(),
                summary: summary.clone(),
                hours: Hours { low: 1.0, expected: 1.0, high: 1.0 },
                skills: vec!["s".into()],
                requires: Vec::new(),
                optional: false,
                review: true,
                resources: Vec::new(),
                option: None,
                role: None,
            }],
        );
        let sessions = vec![StoredSession {
            id: 1, kind: SessionKind::Study, topic: "t".into(), date: day("2027-01-04"), start: "19:00".into(), minutes: 60,
            status: SessionStatus::Planned, done_minutes: 0, pinned: false, revision: 0,
        }];
        let file = export(&roadmap, &sessions, &options("Europe/Berlin", Some(10)));
        prop_assert_eq!(lint(&file), vec![]);
        let evs = events(&file);
        let e = evs.iter().find(|e| e.get_uid().is_some_and(|u| u.starts_with("session-1."))).expect("event");
        let normalise = |s: &str| s.replace("\r\n", "\n").replace('\r', "\n");
        prop_assert_eq!(e.get_summary().map(str::to_string), Some(normalise(&title)));
        let description = e.get_description().expect("description").to_string();
        prop_assert!(description.starts_with(&normalise(&summary)), "{:?} vs {:?}", description, summary);
    }
}

#[test]
#[ignore = "prints a sample file for a human to read"]
fn print_a_sample() {
    let roadmap = Roadmap::bundled().expect("bundled");
    let sessions = sessions_of(&roadmap, &settings());
    print!(
        "{}",
        export(
            &roadmap,
            &sessions[..2],
            &options("Europe/Berlin", Some(15))
        )
    );
}

/// Control characters never reach a calendar file, and the lint flags them in any file.
#[test]
fn control_characters_are_kept_out_and_flagged() {
    let file = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20270101T000000Z\r\nDTSTART:20270101T100000Z\r\nSUMMARY:ring \u{7} \u{1b}]0;x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let problems = roadmap_core::calendar::lint(file);
    assert!(
        problems
            .iter()
            .any(|p| p.line == 8 && p.message.contains("U+0007")),
        "{problems:?}"
    );
    // A calendar name the user typed with control characters in it exports clean.
    let roadmap = Roadmap::bundled().expect("bundled");
    let sessions = sessions_of(&roadmap, &settings());
    let mut opts = options("Europe/Berlin", None);
    opts.name = "Mine\u{7}\u{1b}[31m\u{0}".into();
    let out = export(&roadmap, &sessions, &opts);
    assert_eq!(lint(&out), vec![]);
    assert!(
        out.contains("X-WR-CALNAME:Mine[31m\r\n"),
        "the name lost more than its controls"
    );
    // A folded line's leading tab is allowed.
    let folded = file.replace("SUMMARY:ring \u{7} \u{1b}]0;x", "SUMMARY:ring\r\n\tbell");
    assert!(roadmap_core::calendar::lint(&folded).is_empty());
}
