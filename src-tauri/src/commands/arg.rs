//! Command arguments that the command checks itself.
//!
//! Tauri refuses an argument it cannot deserialize with a plain string, before the command
//! runs. Wrapped in [`Arg`], a malformed value (a date like 2027-13-40, a negative count, a
//! fraction, an unknown variant, a missing key) reaches the command instead, which refuses it
//! with a typed `invalid_input` error naming the argument, as it refuses every other bad input.

use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use serde_json::Value;

use roadmap_core::api::{ApiError, ErrorKind};

/// An argument as the window sent it: parsed, or the reason it could not be.
pub struct Arg<T>(Result<T, String>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for Arg<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Through `Option`: Tauri hands a missing key to `deserialize_option` as none, so a
        // missing argument is refused here too rather than by Tauri.
        let value = Option::<Value>::deserialize(deserializer)?.unwrap_or(Value::Null);
        Ok(Arg(parse(value)))
    }
}

fn parse<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_path_to_error::deserialize(&value).map_err(|e| {
        let path = e.path().to_string();
        // serde's own message quotes the value too: keep it short as well.
        let inner = short(&e.into_inner().to_string(), 120);
        if value.is_null() {
            "is missing".to_string()
        } else if path == "." {
            format!("{} is not valid: {inner}", short(&value.to_string(), 60))
        } else {
            format!("has an invalid {path}: {inner}")
        }
    })
}

/// At most `chars` characters of `text`, with an ellipsis when it was longer.
fn short(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

impl<T> Arg<T> {
    /// The parsed value, or an `invalid_input` error naming `name` (the key the window uses).
    pub fn get(self, name: &str) -> Result<T, ApiError> {
        self.0.map_err(|reason| ApiError {
            kind: ErrorKind::InvalidInput,
            message: format!("{name} {reason}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use roadmap_core::api::{PlanSettings, SessionMark};
    use serde_json::json;

    fn arg<T: DeserializeOwned>(v: Value) -> Result<T, ApiError> {
        serde_json::from_value::<Arg<T>>(v)
            .expect("an Arg always deserializes")
            .get("x")
    }

    #[test]
    fn good_values_pass_through() {
        assert_eq!(arg::<i64>(json!(42)).expect("valid"), 42);
        assert_eq!(arg::<Option<NaiveDate>>(json!(null)).expect("valid"), None);
        assert_eq!(
            arg::<NaiveDate>(json!("2027-01-31")).expect("valid"),
            NaiveDate::from_ymd_opt(2027, 1, 31).expect("valid")
        );
    }

    #[test]
    fn bad_values_are_typed_errors_naming_the_argument() {
        let e = arg::<NaiveDate>(json!("2027-13-40")).expect_err("refused");
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        assert_eq!(
            e.message,
            "x \"2027-13-40\" is not valid: input is out of range"
        );
        let e = arg::<u32>(json!(-10)).expect_err("refused");
        assert!(
            e.message.starts_with("x -10 is not valid: invalid value"),
            "{}",
            e.message
        );
        let e = arg::<i64>(json!(1.5)).expect_err("refused");
        assert!(e.message.starts_with("x 1.5 is not valid"), "{}", e.message);
        assert_eq!(
            arg::<i64>(json!(null)).expect_err("refused").message,
            "x is missing"
        );
    }

    #[test]
    fn nested_errors_say_where() {
        let settings = json!({
            "start": "2027-02-30", "months": 12, "availability": null, "blackouts": [],
            "session_min": 30, "session_max": 120, "include_optional": true,
        });
        let e = arg::<PlanSettings>(settings).expect_err("refused");
        assert_eq!(e.message, "x has an invalid start: input is out of range");
        // Internally tagged enums are read whole, so serde names the value instead.
        let e =
            arg::<SessionMark>(json!({"mark": "partial", "minutes": "ten"})).expect_err("refused");
        assert!(
            e.message.contains(r#"string "ten", expected u32"#),
            "{}",
            e.message
        );
    }

    #[test]
    fn long_values_are_cut_short() {
        let e = arg::<i64>(json!("y".repeat(500))).expect_err("refused");
        assert!(e.message.chars().count() < 220, "{}", e.message);
        assert!(e.message.contains('…'));
    }
}
