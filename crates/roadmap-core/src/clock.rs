//! "Now" as the core sees it: an instant, read by the shell, and the plan's time zone.
//!
//! Sessions are kept in local wall time (a date and a start minute) in the plan's zone, so
//! "19:00" stays 19:00 across daylight-saving changes. Whether a session has started is
//! decided on instants, though: its wall time is read in the zone (a time a change skips is
//! read with the offset before the gap, an ambiguous one takes its first occurrence, exactly
//! as the calendar export does) and compared with `now`. So the repeated hour of an autumn
//! change is handled, and the earlier hours of today are the past.

use chrono::{
    DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, TimeZone,
    Timelike, Utc, Weekday,
};
use chrono_tz::Tz;

use crate::error::CoreError;
use crate::schedule::availability::UNIT_MINUTES;

/// The moment a decision is made, in the plan's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub now: DateTime<Utc>,
    pub zone: Tz,
}

/// A local wall time: a date and the minutes after its midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WallTime {
    pub date: NaiveDate,
    pub minute: u32,
}

impl Clock {
    pub fn new(now: DateTime<Utc>, zone: Tz) -> Clock {
        Clock { now, zone }
    }

    /// The local date and minute of `now`.
    pub fn local(&self) -> WallTime {
        let local = self.now.with_timezone(&self.zone);
        WallTime {
            date: local.date_naive(),
            minute: local.hour() * 60 + local.minute(),
        }
    }

    /// Today, in the plan's zone.
    pub fn today(&self) -> NaiveDate {
        self.local().date
    }

    /// The instant a local wall time stands for (see the module comment).
    pub fn instant(&self, at: WallTime) -> DateTime<Utc> {
        to_utc(self.zone, at.date, at.minute.min(24 * 60 - 1)).unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// Whether the wall time `at` has passed: its instant is before now. A session starting
    /// this very minute has not started yet, exactly as [`Clock::cutoff`] counts it.
    pub fn has_come(&self, at: WallTime) -> bool {
        // No zone is a whole day off another: away from today the date alone decides, and the
        // zone's rules (the costly part) are read only near now.
        let today = self.today();
        if at.date > today.succ_opt().unwrap_or(today) {
            return false;
        }
        if at.date < today.pred_opt().unwrap_or(today) {
            return true;
        }
        self.instant(at) < self.now
    }

    /// The first quarter hour from which every wall time is still to come: new and moved
    /// sessions start here or later. Normally now rounded up to the quarter hour; inside the
    /// second pass of a repeated autumn hour, the end of that hour.
    pub fn cutoff(&self) -> WallTime {
        let local = self.local();
        let mut at = WallTime {
            date: local.date,
            minute: local.minute.div_ceil(UNIT_MINUTES) * UNIT_MINUTES,
        };
        // At most a few hours of repeated or skipped time exist on any day.
        for _ in 0..(24 * 60 / UNIT_MINUTES) {
            if at.minute >= 24 * 60 {
                at = WallTime {
                    date: at.date.checked_add_days(Days::new(1)).unwrap_or(at.date),
                    minute: 0,
                };
            }
            if self.instant(at) >= self.now {
                break;
            }
            at.minute += UNIT_MINUTES;
        }
        at
    }

    /// `now` as it is recorded in the database: RFC 3339 in UTC, to the second.
    pub fn stamp(&self) -> String {
        self.now.to_rfc3339_opts(SecondsFormat::Secs, true)
    }
}

/// The local wall time `minute` after midnight on `date` in `tz`, as UTC. A time that a
/// daylight-saving change skips is moved on by the gap (02:30 becomes 03:30), as calendar apps
/// do; an ambiguous one takes its first occurrence.
pub fn to_utc(tz: Tz, date: NaiveDate, minute: u32) -> Result<DateTime<Utc>, CoreError> {
    let time = NaiveTime::from_num_seconds_from_midnight_opt(minute * 60, 0).ok_or_else(|| {
        CoreError::InvalidSettings(format!("minute {minute} is not a time of day"))
    })?;
    let local = NaiveDateTime::new(date, time);
    let resolved = match tz.from_local_datetime(&local).earliest() {
        Some(t) => t.with_timezone(&Utc),
        None => {
            // In a gap: read the wall time with the offset in force just before it.
            let before = tz
                .from_local_datetime(&(local - chrono::Duration::hours(3)))
                .earliest()
                .ok_or_else(|| {
                    CoreError::InvalidSettings(format!("{local} does not exist in {tz}"))
                })?;
            let offset = chrono::Offset::fix(before.offset());
            (local - chrono::Duration::seconds(i64::from(offset.local_minus_utc()))).and_utc()
        }
    };
    Ok(resolved)
}

/// The ISO week of a day, e.g. `2027-W03`.
pub fn iso_week(date: NaiveDate) -> String {
    let w = date.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

/// The Monday of the week `date` falls in.
pub fn monday_of(date: NaiveDate) -> NaiveDate {
    date.week(Weekday::Mon).first_day()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock(text: &str, zone: &str) -> Clock {
        let now: DateTime<Utc> = text.parse().expect("instant");
        Clock::new(now, zone.parse().expect("zone"))
    }

    #[test]
    fn the_cutoff_rounds_up_to_the_quarter_hour() {
        let c = clock("2027-01-10T20:01:00Z", "UTC");
        assert_eq!(c.cutoff().minute, 20 * 60 + 15);
        let c = clock("2027-01-10T20:00:00Z", "UTC");
        assert_eq!(c.cutoff().minute, 20 * 60);
        let c = clock("2027-01-10T23:50:00Z", "UTC");
        assert_eq!(
            c.cutoff(),
            WallTime {
                date: "2027-01-11".parse().expect("date"),
                minute: 0
            }
        );
    }

    #[test]
    fn a_time_is_past_or_still_to_come_never_both() {
        // At every minute of a day with a DST change, the cutoff is still to come, and less
        // than a quarter hour away (no repeated hour on a spring day).
        for minute in 0..(24 * 60) {
            let now = to_utc(
                "Europe/Berlin".parse().expect("zone"),
                "2027-03-28".parse().expect("date"),
                minute,
            )
            .expect("instant");
            let c = Clock::new(now, "Europe/Berlin".parse().expect("zone"));
            let cut = c.cutoff();
            assert!(!c.has_come(cut), "{minute}: cutoff {cut:?} has come");
            let wait = c.instant(cut) - c.now;
            assert!(
                wait < chrono::Duration::minutes(i64::from(UNIT_MINUTES)),
                "{minute}: the cutoff {cut:?} is {wait} away"
            );
        }
    }

    #[test]
    fn inside_a_repeated_hour_the_cutoff_waits_for_its_end() {
        // New York falls back on 2027-11-07 at 02:00 EDT to 01:00 EST. At 06:30 UTC it is
        // 01:30 EST, the second pass: 01:45 read as EDT (its first occurrence) has passed.
        let c = clock("2027-11-07T06:30:00Z", "America/New_York");
        assert_eq!(c.local().minute, 90);
        let cut = c.cutoff();
        assert!(c.instant(cut) >= c.now);
        assert_eq!(cut.minute, 120);
    }
}
