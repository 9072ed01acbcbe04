//! The hand-written plan JSON (`schedule::json`) is byte for byte `serde_json`'s pretty form:
//! on random plans with strings that need escaping, dates in any year, empty and long lists and
//! every kind of number, and on real plans of the bundled roadmap.

use chrono::NaiveDate;
use proptest::prelude::*;
use roadmap_core::api::SessionKind;
use roadmap_core::schedule::json::write_plan;
use roadmap_core::schedule::planner::{
    Fix, MilestoneDate, Plan, PlanRequest, PlannedTopic, Session, Unscheduled, WeekLoad, plan,
};

/// Text of every kind the JSON treats differently: plain, quotes and backslashes, control
/// characters, DEL, non-ASCII.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9-]{0,12}",
        "[ -~]{0,12}",
        "[\\x00-\\x1f\"\\\\\u{7f}é€😀a]{0,8}",
        any::<String>(),
    ]
}

fn day() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        (0i32..400_000).prop_map(|n| NaiveDate::from_ymd_opt(2000, 1, 1)
            .and_then(|d| d.checked_add_days(chrono::Days::new(n as u64)))
            .unwrap_or(NaiveDate::MAX)),
        Just(NaiveDate::MIN),
        Just(NaiveDate::MAX),
        (-5000i32..0).prop_map(|y| NaiveDate::from_ymd_opt(y, 2, 28).unwrap_or(NaiveDate::MIN)),
    ]
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        (0u32..100_000).prop_map(|q| f64::from(q) / 4.0),
        any::<f64>(),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(-0.0),
        Just(1e300),
    ]
}

fn topic() -> impl Strategy<Value = PlannedTopic> {
    (
        text(),
        text(),
        number(),
        proptest::collection::vec(text(), 0..4),
        any::<bool>(),
        proptest::option::of(day()),
        proptest::option::of(day()),
    )
        .prop_map(
            |(id, step, hours, requires, optional, start, finish)| PlannedTopic {
                id,
                step,
                hours,
                requires,
                optional,
                start,
                finish,
            },
        )
}

fn session() -> impl Strategy<Value = Session> {
    (any::<bool>(), text(), day(), text(), any::<u32>()).prop_map(
        |(review, topic, date, start, minutes)| Session {
            kind: if review {
                SessionKind::Review
            } else {
                SessionKind::Study
            },
            topic,
            date,
            start,
            minutes,
        },
    )
}

fn fix() -> impl Strategy<Value = Fix> {
    prop_oneof![
        number().prop_map(|extra_hours_per_week| Fix::MoreHours {
            extra_hours_per_week
        }),
        proptest::option::of(any::<u32>()).prop_map(|months| Fix::LaterTarget { months }),
        (
            proptest::collection::vec(text(), 0..3),
            number(),
            any::<bool>()
        )
            .prop_map(|(topics, hours, enough)| Fix::DropOptional {
                topics,
                hours,
                enough
            }),
    ]
}

prop_compose! {
    fn random_plan()(
        start in day(),
        target_end in proptest::option::of(day()),
        projected_end in proptest::option::of(day()),
        feasible in any::<bool>(),
        required in proptest::option::of(number()),
        available in number(),
        availability in text(),
        proposed in any::<bool>(),
        topics in proptest::collection::vec(topic(), 0..5),
        sessions in proptest::collection::vec(session(), 0..6),
        milestones in proptest::collection::vec((text(), day()), 0..3),
        weeks in proptest::collection::vec((text(), any::<u32>(), any::<u32>()), 0..3),
        unscheduled in proptest::collection::vec((text(), any::<u32>(), text()), 0..3),
        fixes in proptest::collection::vec(fix(), 0..3),
    ) -> Plan {
        Plan {
            start,
            target_end,
            projected_end,
            feasible,
            required_hours_per_week: required,
            available_hours_per_week: available,
            availability,
            availability_proposed: proposed,
            topics,
            sessions,
            milestones: milestones
                .into_iter()
                .map(|(step, date)| MilestoneDate { step, date })
                .collect(),
            weeks: weeks
                .into_iter()
                .map(|(week, planned_minutes, capacity_minutes)| WeekLoad {
                    week,
                    planned_minutes,
                    capacity_minutes,
                })
                .collect(),
            unscheduled: unscheduled
                .into_iter()
                .map(|(topic, minutes, reason)| Unscheduled { topic, minutes, reason })
                .collect(),
            fixes,
        }
    }
}

fn ours(plan: &Plan) -> String {
    let mut out = Vec::new();
    write_plan(plan, &mut out).expect("written to memory");
    String::from_utf8(out).expect("UTF-8")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(2000)))]

    #[test]
    fn the_plan_json_is_serde_jsons_pretty_form_byte_for_byte(plan in random_plan()) {
        let serde = serde_json::to_string_pretty(&plan).expect("serde_json");
        prop_assert_eq!(ours(&plan), serde);
    }
}

#[test]
fn real_plans_of_the_bundled_roadmap_are_written_as_serde_json_writes_them() {
    let roadmap = roadmap_core::Roadmap::bundled().expect("bundled roadmap");
    let start = NaiveDate::from_ymd_opt(2027, 1, 4).expect("date");
    for months in [6, 12, 24] {
        let mut request = PlanRequest::new(&roadmap, start);
        request.months = Some(months);
        request.review_cap = 20;
        let plan = plan(&request).expect("plan");
        assert!(plan.sessions.len() > 100, "{months} months");
        let serde = serde_json::to_string_pretty(&plan).expect("serde_json");
        assert_eq!(ours(&plan), serde, "{months} months");
    }
}
