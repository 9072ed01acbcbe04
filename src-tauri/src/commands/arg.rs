//! Command arguments that the command checks itself.
//!
//! Tauri refuses an argument it cannot deserialize with a plain string, before the command
//! runs. Wrapped in [`Arg`], a malformed value (a date like 2027-13-40, a negative count, a
//! fraction, an unknown variant, a missing key) reaches the command instead, which refuses it
//! with a typed `invalid_input` error naming the argument, as it refuses every other bad input.

use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use serde_json::Value;

use roadmap_core::api::ErrorKind;

use crate::wire::Wire;

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
    pub fn get(self, name: &str) -> Result<T, Wire> {
        self.0
            .map_err(|reason| Wire::new(ErrorKind::InvalidInput, format!("{name} {reason}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use proptest::prelude::*;
    use proptest::test_runner::TestCaseError;
    use roadmap_core::api::{
        AwayChoice, ExportRequest, PlanSettings, Recall, ReplanPolicy, SessionMark, TopicMark,
        WeekReview,
    };
    use serde_json::json;

    fn arg<T: DeserializeOwned>(v: Value) -> Result<T, roadmap_core::api::ApiError> {
        serde_json::from_value::<Arg<T>>(v)
            .expect("an Arg always deserializes")
            .get("x")
            .map_err(|w| w.0)
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

    /// Any JSON: keys and words the commands know, dates real and impossible, numbers of every
    /// size and sign, nesting.
    fn json() -> impl Strategy<Value = Value> {
        let word = prop_oneof![
            "[0-9]{4}-[0-9]{2}-[0-9]{2}",
            prop::sample::select(WORDS).prop_map(str::to_string),
            ".{0,300}",
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            (-1e12f64..1e12).prop_map(Value::from),
            word.prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            let key = prop_oneof![
                prop::sample::select(WORDS).prop_map(str::to_string),
                "[a-z_]{1,12}",
            ];
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::from),
                prop::collection::btree_map(key, inner, 0..8)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// A valid argument of one of the commands' types, then maybe one of its keys dropped or
    /// given any JSON: most of these are one mistake away from valid.
    fn near_valid() -> impl Strategy<Value = Value> {
        let valid = prop::sample::select(vec![
            json!({"start": "2027-01-04", "months": 12, "availability": "mon=19:00-21:00",
                   "blackouts": ["2027-03-01..2027-03-07"], "session_min": 30,
                   "session_max": 120, "include_optional": false}),
            json!({"mark": "partial", "minutes": 45}),
            json!({"mark": "missed"}),
            json!({"policy": "compress", "cap_hours_per_week": 12.5}),
            json!({"policy": "drop_optional"}),
            json!({"outcome": "partly", "note": "ran out of time"}),
            json!({"name": "Study"}),
            json!({"name": null}),
            json!("keep"),
            json!("ask"),
        ]);
        (valid, any::<prop::sample::Index>(), 0..3u8, json()).prop_map(|(mut v, at, how, other)| {
            if let Value::Object(map) = &mut v {
                let key = map.keys().nth(at.index(map.len())).cloned();
                match (key, how) {
                    (Some(k), 0) => {
                        map.remove(&k);
                    }
                    (Some(k), 1) => {
                        map.insert(k, other);
                    }
                    _ => {}
                }
            }
            v
        })
    }

    const WORDS: &[&str] = &[
        "start",
        "months",
        "availability",
        "blackouts",
        "session_min",
        "session_max",
        "include_optional",
        "mark",
        "minutes",
        "done",
        "partial",
        "missed",
        "planned",
        "skipped",
        "policy",
        "extend",
        "compress",
        "drop_optional",
        "cap_hours_per_week",
        "outcome",
        "partly",
        "blocked",
        "note",
        "name",
        "keep",
        "drop",
        "mon=19:00-21:00",
    ];

    /// `Arg<T>` always deserializes, accepts exactly what `T` accepts (and reads it the same),
    /// and refuses the rest with a short `invalid_input` error that starts with the name.
    fn same_as_the_type<T>(value: &Value, name: &str) -> Result<(), TestCaseError>
    where
        T: DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let direct = serde_json::from_value::<T>(value.clone());
        let wrapped = serde_json::from_value::<Arg<T>>(value.clone())
            .map_err(|e| TestCaseError::fail(format!("Arg itself was refused: {e}")))?
            .get(name)
            .map_err(|w| w.0);
        match (direct, wrapped) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(_), Err(e)) => {
                prop_assert_eq!(e.kind, ErrorKind::InvalidInput);
                prop_assert!(e.message.starts_with(&format!("{name} ")), "{}", e.message);
                prop_assert!(e.message.chars().count() < 300, "{}", e.message);
            }
            (a, b) => prop_assert!(
                false,
                "the type said {:?}, Arg said {:?}",
                a.is_ok(),
                b.is_ok()
            ),
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn every_argument_type_is_read_as_its_type_or_refused_with_a_typed_error(
            v in prop_oneof![json(), near_valid()]
        ) {
            same_as_the_type::<PlanSettings>(&v, "settings")?;
            same_as_the_type::<SessionMark>(&v, "mark")?;
            same_as_the_type::<Option<TopicMark>>(&v, "mark")?;
            same_as_the_type::<ReplanPolicy>(&v, "policy")?;
            same_as_the_type::<WeekReview>(&v, "review")?;
            same_as_the_type::<Recall>(&v, "recall")?;
            same_as_the_type::<ExportRequest>(&v, "request")?;
            same_as_the_type::<NaiveDate>(&v, "date")?;
            same_as_the_type::<Option<NaiveDate>>(&v, "date")?;
            same_as_the_type::<Vec<String>>(&v, "topics")?;
            same_as_the_type::<String>(&v, "topic")?;
            same_as_the_type::<i64>(&v, "id")?;
            same_as_the_type::<u32>(&v, "targetMinutes")?;
            same_as_the_type::<Option<u32>>(&v, "minutes")?;
            same_as_the_type::<Option<i64>>(&v, "session")?;
            same_as_the_type::<Option<String>>(&v, "topic")?;
            same_as_the_type::<AwayChoice>(&v, "away")?;
            same_as_the_type::<usize>(&v, "index")?;
            same_as_the_type::<bool>(&v, "enabled")?;
            same_as_the_type::<bool>(&v, "keep")?;
        }
    }

    #[test]
    fn long_values_are_cut_short() {
        let e = arg::<i64>(json!("y".repeat(500))).expect_err("refused");
        assert!(e.message.chars().count() < 220, "{}", e.message);
        assert!(e.message.contains('…'));
    }
}
