//! The shells' one clock read, shared by the app and the CLI so that both agree on "now".
//!
//! The core never reads the clock; the app and the CLI call [`now`] and pass the instant in.
//! Debug builds (and builds with the `test-clock` feature, for benchmarks) let tests set the
//! clock: `ROADMAP_PLANNER_NOW=YYYY-MM-DDTHH:MM` (local time in the machine's zone, `$TZ`
//! included) or the older `ROADMAP_PLANNER_TODAY=YYYY-MM-DD`
//! (that day's midnight). The clock then runs on from there in real time, so a window opened
//! at 23:59 sees the day change a minute later, exactly as it would with the real clock.

use std::sync::OnceLock;
use std::time::Instant;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Timelike, Utc};

use crate::StoreError;

/// Debug builds: the local date and time the clock starts from.
pub const NOW_ENV: &str = "ROADMAP_PLANNER_NOW";
/// Debug builds: the date the clock starts from, at midnight.
pub const TODAY_ENV: &str = "ROADMAP_PLANNER_TODAY";

/// A clock set by the environment: the instant it was set to, and when that was read.
type SetClock = (DateTime<Utc>, Instant);

/// Now. In debug builds, the time the environment sets, advanced by the time since the first
/// call.
pub fn now() -> Result<DateTime<Utc>, StoreError> {
    static SET: OnceLock<Result<Option<SetClock>, String>> = OnceLock::new();
    let set = SET.get_or_init(|| {
        if !cfg!(any(debug_assertions, feature = "test-clock")) {
            return Ok(None);
        }
        let zone = crate::system_time_zone();
        let start = match (std::env::var(NOW_ENV), std::env::var(TODAY_ENV)) {
            (Ok(text), _) => Some(parse_now(&text, &zone)?),
            (Err(_), Ok(text)) => Some(parse_today(&text, &zone)?),
            _ => None,
        };
        Ok(start.map(|s| (s, Instant::now())))
    });
    match set {
        Err(message) => Err(StoreError::Invalid(message.clone())),
        Ok(None) => Ok(Utc::now()),
        Ok(Some((start, at))) => {
            let elapsed = chrono::Duration::from_std(at.elapsed()).unwrap_or_default();
            Ok(*start + elapsed)
        }
    }
}

fn local_to_utc(local: NaiveDateTime, zone: &str) -> Result<DateTime<Utc>, String> {
    let tz: chrono_tz::Tz = zone
        .parse()
        .map_err(|_| format!("{zone:?} is not a time zone"))?;
    let minute = local.time().num_seconds_from_midnight() / 60;
    roadmap_core::calendar::to_utc(tz, local.date(), minute).map_err(|e| e.to_string())
}

fn parse_now(text: &str, zone: &str) -> Result<DateTime<Utc>, String> {
    let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .map_err(|_| format!("{NOW_ENV}={text:?} is not a YYYY-MM-DDTHH:MM local time"))?;
    local_to_utc(local, zone)
}

fn parse_today(text: &str, zone: &str) -> Result<DateTime<Utc>, String> {
    let day: NaiveDate = text
        .parse()
        .map_err(|_| format!("{TODAY_ENV}={text:?} is not a YYYY-MM-DD date"))?;
    local_to_utc(day.and_time(chrono::NaiveTime::MIN), zone)
}
