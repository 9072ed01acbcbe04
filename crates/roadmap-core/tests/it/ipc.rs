//! What the window sends is parsed into these types; malformed or out-of-range input must be
//! refused with an error, never a panic, and never accepted silently.

use proptest::prelude::*;
use roadmap_core::Roadmap;
use roadmap_core::api::{
    AwayChoice, ExportRequest, PlanSettings, ReplanPolicy, SessionMark, TopicMark, WeekReview,
};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(400)))]

    #[test]
    fn arbitrary_json_never_panics(text in ".{0,200}") {
        let _ = serde_json::from_str::<PlanSettings>(&text);
        let _ = serde_json::from_str::<SessionMark>(&text);
        let _ = serde_json::from_str::<ReplanPolicy>(&text);
        let _ = serde_json::from_str::<ExportRequest>(&text);
        let _ = serde_json::from_str::<WeekReview>(&text);
        let _ = serde_json::from_str::<TopicMark>(&text);
    }

    /// Any settings that parse either plan or are refused with a reason; none panics.
    #[test]
    fn any_settings_plan_or_are_refused_with_a_reason(
        y in 1900i32..2200, m in 0u32..14, d in 0u32..33,
        months in proptest::option::of(0u32..40),
        availability in proptest::option::of("[a-z]{0,4}=[0-9:]{0,6}-[0-9:]{0,6}"),
        min in 0u32..800, max in 0u32..800,
    ) {
        let json = serde_json::json!({
            "start": format!("{y:04}-{m:02}-{d:02}"),
            "months": months,
            "availability": availability,
            "blackouts": [],
            "session_min": min,
            "session_max": max,
            "include_optional": true,
        });
        let Ok(settings) = serde_json::from_value::<PlanSettings>(json) else {
            // Only an impossible date may fail to parse.
            prop_assert!(chrono::NaiveDate::from_ymd_opt(y, m, d).is_none());
            return Ok(());
        };
        let roadmap = Roadmap::bundled().expect("bundled");
        match settings.preview(&roadmap, &[], settings.start) {
            Ok(p) => {
                prop_assert!(months.is_none_or(|m| (6..=24).contains(&m)));
                prop_assert!(min >= 15 && min % 15 == 0 && max % 15 == 0 && max >= min);
                prop_assert!(p.session_count > 0 || p.unscheduled_count > 0);
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

#[test]
fn negative_and_fractional_numbers_are_refused_by_the_types() {
    assert!(serde_json::from_str::<SessionMark>(r#"{"mark":"partial","minutes":-5}"#).is_err());
    assert!(serde_json::from_str::<SessionMark>(r#"{"mark":"partial","minutes":1.5}"#).is_err());
    assert!(serde_json::from_str::<SessionMark>(r#"{"mark":"sideways"}"#).is_err());
    assert!(serde_json::from_str::<ExportRequest>(r#"{"name":5}"#).is_err());
    assert!(serde_json::from_str::<AwayChoice>(r#""sometimes""#).is_err());
    assert!(serde_json::from_str::<ReplanPolicy>(r#"{"policy":"compress"}"#).is_err());
}
