//! The JSON shape of what crosses IPC: the UI depends on these names.

use roadmap_core::CoreError;
use roadmap_core::api::{ApiError, ErrorKind, PlanSettings};

#[test]
fn errors_serialise_as_kind_and_message() {
    let e = ApiError::from(CoreError::InvalidSettings("months is 3".into()));
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

#[test]
fn settings_take_dates_as_iso_strings() {
    let s: PlanSettings =
        serde_json::from_str(r#"{ "start": "2027-01-04", "months": 9 }"#).expect("parse");
    assert_eq!(s.start.to_string(), "2027-01-04");
    assert!(
        serde_json::from_str::<PlanSettings>(r#"{ "start": "2027-02-30", "months": 9 }"#).is_err()
    );
}
