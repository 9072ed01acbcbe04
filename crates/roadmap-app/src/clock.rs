//! The one clock read, shared by the app and the CLI so that both agree on "now".
//!
//! The core never reads the clock (a test in the core's suite fails if it does); the app and
//! the CLI call [`now`] here and pass the instant in.
//! Debug builds (and builds with the `test-clock` feature, for benchmarks) let tests set the
//! clock: `ROADMAP_PLANNER_NOW=YYYY-MM-DDTHH:MM[:SS]` (local time in the machine's zone, `$TZ`
//! included) or the older `ROADMAP_PLANNER_TODAY=YYYY-MM-DD`
//! (that day's midnight). The clock then runs on from there in real time, so a window opened
//! at 23:59 sees the day change a minute later, exactly as it would with the real clock.

use std::sync::OnceLock;
use std::time::Instant;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Timelike, Utc};

use crate::AppError;

/// Debug builds: the local date and time the clock starts from.
pub const NOW_ENV: &str = "ROADMAP_PLANNER_NOW";
/// Debug builds: the date the clock starts from, at midnight.
pub const TODAY_ENV: &str = "ROADMAP_PLANNER_TODAY";

/// A clock set by the environment: the instant it was set to, and when (by the real clock,
/// both ways) that was read.
#[derive(Clone, Copy)]
struct SetClock {
    start: DateTime<Utc>,
    at: Instant,
    real: DateTime<Utc>,
}

/// A clock setting that could not be read: the variable, its value and what it should be.
type BadSetting = (&'static str, String, &'static str);

fn set_clock() -> &'static Result<Option<SetClock>, BadSetting> {
    static SET: OnceLock<Result<Option<SetClock>, BadSetting>> = OnceLock::new();
    SET.get_or_init(|| {
        if !cfg!(any(debug_assertions, feature = "test-clock")) {
            return Ok(None);
        }
        let zone = roadmap_store::system_time_zone();
        let start = match (std::env::var(NOW_ENV), std::env::var(TODAY_ENV)) {
            (Ok(text), _) => Some(parse_now(&text, &zone)?),
            (Err(_), Ok(text)) => Some(parse_today(&text, &zone)?),
            _ => None,
        };
        Ok(start.map(|start| SetClock {
            start,
            at: Instant::now(),
            real: Utc::now(),
        }))
    })
}

fn bad(setting: &BadSetting) -> AppError {
    let (variable, value, expected) = setting;
    AppError::ClockSetting {
        variable,
        value: value.clone(),
        expected,
    }
}

/// Now. In debug builds, the time the environment sets, advanced by the time since the first
/// call.
pub fn now() -> Result<DateTime<Utc>, AppError> {
    match set_clock() {
        Err(setting) => Err(bad(setting)),
        Ok(None) => Ok(Utc::now()),
        Ok(Some(set)) => {
            let elapsed = chrono::Duration::from_std(set.at.elapsed()).unwrap_or_default();
            Ok(set.start + elapsed)
        }
    }
}

/// What this clock read when the real clock read `real` (a file's time, say): the same
/// instant with the real clock, shifted as the set clock is in debug builds, so that a backup
/// made "now" says the time the rest of the app calls now.
pub fn of_real(real: DateTime<Utc>) -> Result<DateTime<Utc>, AppError> {
    match set_clock() {
        Err(setting) => Err(bad(setting)),
        Ok(set) => Ok(shifted(real, *set)),
    }
}

fn shifted(real: DateTime<Utc>, set: Option<SetClock>) -> DateTime<Utc> {
    match set {
        None => real,
        Some(set) => real + (set.start - set.real),
    }
}

/// Now as the database records it: RFC 3339 in UTC, to the second.
pub fn stamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The machine's time zone (UTC when it names none chrono-tz knows).
pub fn system_zone() -> chrono_tz::Tz {
    roadmap_store::system_time_zone()
        .parse()
        .unwrap_or(chrono_tz::Tz::UTC)
}

/// The day `now` falls on in the machine's time zone, as the daily backup's name has it.
pub fn backup_day(now: DateTime<Utc>) -> String {
    now.with_timezone(&system_zone())
        .format("%Y%m%d")
        .to_string()
}

fn local_to_utc(local: NaiveDateTime, zone: &str) -> Option<DateTime<Utc>> {
    let tz: chrono_tz::Tz = zone.parse().ok()?;
    let minute = local.time().num_seconds_from_midnight() / 60;
    roadmap_core::calendar::to_utc(tz, local.date(), minute).ok()
}

fn parse_now(text: &str, zone: &str) -> Result<DateTime<Utc>, BadSetting> {
    // To the second when given (the reminder tests start a few seconds before a minute).
    let seconds = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .ok()
        .map(|t| (t, t.time().second()));
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .ok()
        .map(|t| (t, 0))
        .or(seconds)
        .and_then(|(local, second)| {
            local_to_utc(local, zone).map(|t| t + chrono::Duration::seconds(i64::from(second)))
        })
        .ok_or((
            NOW_ENV,
            text.to_string(),
            "a YYYY-MM-DDTHH:MM (or HH:MM:SS) local time that exists in this time zone",
        ))
}

fn parse_today(text: &str, zone: &str) -> Result<DateTime<Utc>, BadSetting> {
    text.parse::<NaiveDate>()
        .ok()
        .and_then(|day| local_to_utc(day.and_time(chrono::NaiveTime::MIN), zone))
        .ok_or((TODAY_ENV, text.to_string(), "a YYYY-MM-DD date"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_real_time_reads_as_the_set_clock_read_then() {
        let at = Instant::now();
        let real: DateTime<Utc> = "2026-12-06T10:00:00Z".parse().expect("time");
        let start: DateTime<Utc> = "2027-01-04T07:00:00Z".parse().expect("time");
        let set = Some(SetClock { start, at, real });
        // The moment the clock was set reads as the time it was set to; later and earlier
        // real times keep their distance from it.
        assert_eq!(shifted(real, set), start);
        let later = real + chrono::Duration::minutes(95);
        assert_eq!(shifted(later, set), start + chrono::Duration::minutes(95));
        let earlier = real - chrono::Duration::days(3);
        assert_eq!(shifted(earlier, set), start - chrono::Duration::days(3));
        // Without a set clock, the real time is the time.
        assert_eq!(shifted(later, None), later);
    }
}
