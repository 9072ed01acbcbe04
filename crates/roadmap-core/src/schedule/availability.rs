//! Weekly availability ("mon=19:00-21:00,sat=09:00-13:00") and blocked-out periods.

use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::error::CoreError;

/// Minutes are counted in these units; every window edge and session length is a multiple.
pub const UNIT_MINUTES: u32 = 15;

/// A time window on one weekday, in minutes after midnight; `start < end <= 24 * 60`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Window {
    pub weekday: u8, // 0 = Monday
    pub start: u32,
    pub end: u32,
}

impl Window {
    pub fn minutes(&self) -> u32 {
        self.end - self.start
    }
}

/// The windows of a week, sorted by weekday and time, never overlapping.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Availability {
    windows: Vec<Window>,
}

impl Availability {
    /// Builds availability from windows, merging overlapping or touching ones.
    pub fn new(mut windows: Vec<Window>) -> Result<Availability, CoreError> {
        for w in &windows {
            if w.weekday > 6 || w.start >= w.end || w.end > 24 * 60 {
                return Err(CoreError::InvalidSettings(format!(
                    "the window {w} is not a time range within one day"
                )));
            }
            if w.start % UNIT_MINUTES != 0 || w.end % UNIT_MINUTES != 0 {
                return Err(CoreError::InvalidSettings(format!(
                    "the window {w} does not fall on quarter hours; use times like 19:00, 19:15, 19:30 or 19:45"
                )));
            }
        }
        windows.sort();
        let mut merged: Vec<Window> = Vec::with_capacity(windows.len());
        for w in windows {
            match merged.last_mut() {
                Some(last) if last.weekday == w.weekday && w.start <= last.end => {
                    last.end = last.end.max(w.end);
                }
                _ => merged.push(w),
            }
        }
        Ok(Availability { windows: merged })
    }

    /// Parses `mon=19:00-21:00,sat=09:00-13:00` (several windows a day allowed, separated by
    /// commas, e.g. `sat=09:00-12:00,sat=14:00-16:00`).
    pub fn parse(text: &str) -> Result<Availability, CoreError> {
        let mut windows = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let bad = |why: &str| {
                CoreError::InvalidSettings(format!(
                    "availability {part:?}: {why}; write it like mon=19:00-21:00"
                ))
            };
            let (day, range) = part.split_once('=').ok_or_else(|| bad("missing `=`"))?;
            let weekday = parse_weekday(day.trim()).ok_or_else(|| {
                bad(&format!(
                    "unknown weekday {:?} (use mon, tue, wed, thu, fri, sat or sun)",
                    day.trim()
                ))
            })?;
            let (from, to) = range
                .split_once('-')
                .ok_or_else(|| bad("missing `-` between the times"))?;
            let start = parse_time(from.trim())
                .ok_or_else(|| bad(&format!("{:?} is not a time", from.trim())))?;
            let end = parse_time(to.trim())
                .ok_or_else(|| bad(&format!("{:?} is not a time", to.trim())))?;
            if end <= start {
                return Err(bad("the window ends before it starts"));
            }
            windows.push(Window {
                weekday,
                start,
                end,
            });
        }
        if windows.is_empty() {
            return Err(CoreError::InvalidSettings(
                "availability is empty; give at least one window such as mon=19:00-21:00".into(),
            ));
        }
        Availability::new(windows)
    }

    pub fn windows(&self) -> &[Window] {
        &self.windows
    }

    /// The windows on `weekday` (0 = Monday), in time order.
    pub fn on(&self, weekday: u8) -> impl Iterator<Item = &Window> {
        self.windows.iter().filter(move |w| w.weekday == weekday)
    }

    pub fn weekly_minutes(&self) -> u32 {
        self.windows.iter().map(Window::minutes).sum()
    }

    pub fn longest_window(&self) -> u32 {
        self.windows.iter().map(Window::minutes).max().unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.windows.is_empty()
    }
}

impl Availability {
    /// Parses a one-off week's windows: like [`Availability::parse`], but empty text is a week
    /// without study (a holiday with no time, an exam week).
    pub fn parse_week(text: &str) -> Result<Availability, CoreError> {
        if text.trim().is_empty() {
            Ok(Availability::default())
        } else {
            Availability::parse(text)
        }
    }
}

/// The usual week, and the single weeks that differ from it (by their Monday): what time
/// there is on any day.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Weekly {
    pub usual: Availability,
    pub one_off: std::collections::BTreeMap<NaiveDate, Availability>,
}

impl Weekly {
    /// The usual week `usual` and the one-off weeks `weeks` (Monday → windows, empty for none).
    pub fn parse(
        usual: &str,
        weeks: &std::collections::BTreeMap<NaiveDate, String>,
    ) -> Result<Weekly, CoreError> {
        Ok(Weekly {
            usual: Availability::parse(usual)?,
            one_off: Weekly::one_off(weeks)?,
        })
    }

    /// The one-off weeks `weeks` (Monday → windows, empty for none), parsed.
    pub fn one_off(
        weeks: &std::collections::BTreeMap<NaiveDate, String>,
    ) -> Result<std::collections::BTreeMap<NaiveDate, Availability>, CoreError> {
        let mut one_off = std::collections::BTreeMap::new();
        for (monday, text) in weeks {
            if monday.weekday() != Weekday::Mon {
                return Err(CoreError::InvalidSettings(format!(
                    "the one-off week {monday} does not start on a Monday"
                )));
            }
            let week = Availability::parse_week(text)
                .map_err(|e| CoreError::InvalidSettings(format!("the week of {monday}: {e}")))?;
            one_off.insert(*monday, week);
        }
        Ok(one_off)
    }

    /// The windows of the week that holds `date`.
    pub fn week_of(&self, date: NaiveDate) -> &Availability {
        let monday = date - chrono::Days::new(u64::from(weekday_index(date)));
        self.one_off.get(&monday).unwrap_or(&self.usual)
    }

    /// The windows on `date`, in time order.
    pub fn on(&self, date: NaiveDate) -> impl Iterator<Item = &Window> {
        self.week_of(date).on(weekday_index(date))
    }
}

impl fmt::Display for Availability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, w) in self.windows.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{w}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let day = DAYS.get(usize::from(self.weekday)).unwrap_or(&"?");
        write!(f, "{day}={}-{}", hhmm(self.start), hhmm(self.end))
    }
}

/// Minutes after midnight as `HH:MM`.
pub fn hhmm(minutes: u32) -> String {
    super::iso::hhmm(minutes)
}

pub fn weekday_index(date: NaiveDate) -> u8 {
    date.weekday().num_days_from_monday() as u8
}

fn parse_weekday(s: &str) -> Option<u8> {
    let day = match s.to_ascii_lowercase().as_str() {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tuesday" => Weekday::Tue,
        "wed" | "wednesday" => Weekday::Wed,
        "thu" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    };
    Some(day.num_days_from_monday() as u8)
}

/// `HH:MM`, 00:00 to 24:00.
fn parse_time(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return None;
    }
    Some(h * 60 + m)
}

/// Days on which no session is planned (holidays, exams), both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Blackout {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Blackout {
    pub fn new(first: NaiveDate, last: NaiveDate) -> Result<Blackout, CoreError> {
        if last < first {
            return Err(CoreError::InvalidSettings(format!(
                "the blocked period {first}..{last} ends before it starts"
            )));
        }
        Ok(Blackout { first, last })
    }

    /// Parses `YYYY-MM-DD..YYYY-MM-DD` (a single date blocks one day).
    pub fn parse(text: &str) -> Result<Blackout, CoreError> {
        let date = |s: &str| {
            s.trim().parse::<NaiveDate>().map_err(|_| {
                CoreError::InvalidSettings(format!(
                    "blocked period {text:?}: {:?} is not a date (YYYY-MM-DD)",
                    s.trim()
                ))
            })
        };
        match text.split_once("..") {
            Some((a, b)) => Blackout::new(date(a)?, date(b)?),
            None => {
                let d = date(text)?;
                Blackout::new(d, d)
            }
        }
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.first <= date && date <= self.last
    }
}

/// Blocked periods merged into sorted, disjoint ones, so a date can be looked up by binary
/// search.
#[derive(Debug, Clone, Default)]
pub struct Blackouts(Vec<Blackout>);

impl Blackouts {
    pub fn new(periods: &[Blackout]) -> Blackouts {
        let mut sorted = periods.to_vec();
        sorted.sort();
        let mut merged: Vec<Blackout> = Vec::with_capacity(sorted.len());
        for b in sorted {
            match merged.last_mut() {
                Some(last) if b.first <= last.last.succ_opt().unwrap_or(last.last) => {
                    last.last = last.last.max(b.last);
                }
                _ => merged.push(b),
            }
        }
        Blackouts(merged)
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        let i = self.0.partition_point(|b| b.last < date);
        self.0.get(i).is_some_and(|b| b.contains(date))
    }
}

/// How far ahead the scheduler looks before it calls the remaining work unschedulable.
pub const HORIZON_YEARS: u32 = 10;

/// A stretch of a day that new sessions must leave free.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Busy {
    pub date: NaiveDate,
    /// Minutes after midnight.
    pub start: u32,
    pub minutes: u32,
}
