//! The JSON shape of what crosses IPC: the UI depends on these names.

use roadmap_core::api::{ApiError, ErrorKind, PlanSettings, ReplanPolicy, SessionMark};

#[test]
fn errors_serialise_as_kind_and_message() {
    let e = ApiError {
        kind: ErrorKind::InvalidInput,
        message: "months is 3".into(),
    };
    let json = serde_json::to_value(&e).expect("serialise");
    assert_eq!(
        json,
        serde_json::json!({ "kind": "invalid_input", "message": "months is 3" })
    );
}

#[test]
fn error_kinds_are_snake_case() {
    let json = serde_json::to_string(&ErrorKind::DatabaseTooNew).expect("serialise");
    assert_eq!(json, "\"database_too_new\"");
}

const SETTINGS: &str = r#"{ "start": "2027-01-04", "months": 9, "availability": null,
    "blackouts": [], "session_min": 30, "session_max": 120, "include_optional": true }"#;

#[test]
fn settings_take_dates_as_iso_strings() {
    let s: PlanSettings = serde_json::from_str(SETTINGS).expect("parse");
    assert_eq!(s.start.to_string(), "2027-01-04");
    assert_eq!(s.months, Some(9));
    let bad = SETTINGS.replace("2027-01-04", "2027-02-30");
    assert!(serde_json::from_str::<PlanSettings>(&bad).is_err());
}

#[test]
fn tagged_enums_carry_their_tag() {
    let json = serde_json::to_value(ReplanPolicy::Compress {
        cap_hours_per_week: 12.5,
    })
    .expect("serialise");
    assert_eq!(
        json,
        serde_json::json!({ "policy": "compress", "cap_hours_per_week": 12.5 })
    );
    let mark: SessionMark =
        serde_json::from_str(r#"{ "mark": "partial", "minutes": 45 }"#).expect("parse");
    assert_eq!(mark, SessionMark::Partial { minutes: 45 });
    assert!(serde_json::from_str::<SessionMark>(r#"{ "mark": "partial" }"#).is_err());
}
