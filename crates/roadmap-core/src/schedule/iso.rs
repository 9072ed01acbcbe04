//! Dates and clock times written without `core::fmt`: the plan's JSON holds thousands of each,
//! and formatting them through `fmt` (with an allocation per date) was a fifth of `roadmap
//! plan`'s whole process at 1,000 topics. The text is exactly chrono's (a test compares them
//! for every day of years 0 to 9,999); dates outside those years go through chrono itself.

use chrono::{Datelike, NaiveDate};
use serde::Serializer;

/// `YYYY-MM-DD` as ASCII bytes, or `None` outside years 0 to 9,999.
pub fn ascii(date: NaiveDate) -> Option<[u8; 10]> {
    let year = u32::try_from(date.year()).ok().filter(|y| *y <= 9999)?;
    let digits = |n: u32| [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
    let [a, b] = digits(year / 100);
    let [c, d] = digits(year % 100);
    let [e, f] = digits(date.month());
    let [g, h] = digits(date.day());
    Some([a, b, c, d, b'-', e, f, b'-', g, h])
}

/// `YYYY-MM-DD` into `buf`, or `None` outside years 0 to 9,999.
fn write(date: NaiveDate, buf: &mut [u8; 10]) -> Option<&str> {
    *buf = ascii(date)?;
    std::str::from_utf8(buf).ok()
}

/// Calls `f` with the date as chrono writes it (`YYYY-MM-DD`), without allocating in years
/// 0 to 9,999: the store writes thousands of dates at a time.
pub fn with_date<R>(date: NaiveDate, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0; 10];
    match write(date, &mut buf) {
        Some(text) => f(text),
        None => f(&date.to_string()),
    }
}

/// Serialises a date as chrono does (`YYYY-MM-DD`).
pub fn date<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    let mut buf = [0; 10];
    match write(*date, &mut buf) {
        Some(text) => s.serialize_str(text),
        None => s.collect_str(&format_args!("{date:?}")),
    }
}

/// [`date`] for an optional date (`null` when absent).
pub fn option_date<S: Serializer>(value: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(d) => date(d, s),
        None => s.serialize_none(),
    }
}

/// Minutes after midnight as `HH:MM`.
pub fn hhmm(minutes: u32) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    if h >= 100 {
        return format!("{h:02}:{m:02}");
    }
    let mut text = String::with_capacity(5);
    for c in [h / 10, h % 10, 10, m / 10, m % 10] {
        text.push(if c == 10 {
            ':'
        } else {
            char::from(b'0' + c as u8)
        });
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Ours(#[serde(serialize_with = "date")] NaiveDate);

    #[test]
    fn dates_read_exactly_as_chrono_writes_them_in_every_year() {
        let mut day = NaiveDate::from_ymd_opt(-3, 12, 25).expect("date");
        let end = NaiveDate::from_ymd_opt(10_002, 1, 5).expect("date");
        let mut checked = 0;
        while day <= end {
            let ours = serde_json::to_string(&Ours(day)).expect("json");
            let chrono = serde_json::to_string(&day).expect("json");
            assert_eq!(ours, chrono, "{day:?}");
            checked += 1;
            // Every day around the ends and a year's turn, else a stride through the years.
            let step = if day.year() < 2 || day.year() > 9_998 || day.ordinal() > 360 {
                1
            } else {
                7
            };
            day = day + chrono::Days::new(step);
        }
        assert!(checked > 500_000, "{checked}");
    }

    #[test]
    fn clock_times_read_as_format_writes_them() {
        for minutes in (0..24 * 60).chain([6_000, 9_999, 100_000]) {
            assert_eq!(
                hhmm(minutes),
                format!("{:02}:{:02}", minutes / 60, minutes % 60)
            );
        }
    }
}
