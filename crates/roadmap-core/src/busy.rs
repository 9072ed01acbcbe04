//! Busy times from the learner's own calendars: an iCalendar file read into the stretches of
//! time it blocks, and those stretches as the scheduler sees them (local minutes of each day).
//!
//! What blocks time (RFC 5545): every VEVENT that is not `TRANSP:TRANSPARENT` and not
//! `STATUS:CANCELLED`, with its recurrences expanded (RRULE by the `rrule` crate; RDATE,
//! EXDATE, and RECURRENCE-ID overrides, which replace the occurrence they name). Times are in
//! UTC (`Z`), in the zone a `TZID` names (an IANA name, also when a calendar app prefixes it,
//! as Mozilla's `/mozilla.org/…/Europe/Berlin` does), or floating (in the plan's zone). An
//! all-day event blocks its whole days in the plan's zone. Only the stretches are kept, never a
//! title or any other detail. An event that cannot be read is left out and named in
//! [`BusyRead::skipped`]: a calendar is never refused for one odd event, and never read wrong in
//! silence.

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::{DateTime, Days, Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use icalendar::parser::{Component, Property, read_calendar, unfold};

use crate::error::CoreError;
use crate::schedule::availability::Busy;

/// The most occurrences one recurring event may have inside the window read.
const MAX_OCCURRENCES: u16 = 5_000;
/// The most candidate times the recurrence of one event may take to expand (its periods from
/// DTSTART to the end of the window read, times the combinations its BYxxx parts make of
/// each), and of a whole calendar. Counted from the rule before anything is expanded: a rule
/// `FREQ=SECONDLY` from year 1 ran for hours, and a short one with many BYxxx parts took
/// gigabytes. A weekly class of ten years is about 520; a daily one since 2000, 10,000.
pub const MAX_RULE_WORK: u64 = 200_000;
pub const MAX_CALENDAR_WORK: u64 = 1_000_000;
/// The most intervals a calendar may block inside the window read.
pub const MAX_INTERVALS: usize = 50_000;
/// The deepest components may nest: a calendar needs three levels (VCALENDAR > VEVENT >
/// VALARM; VCALENDAR > VTIMEZONE > STANDARD); a little room is left for extensions. The parser
/// recurses once a level, so a file nested thousands deep would overflow the stack: it is
/// measured before anything is parsed.
pub const MAX_DEPTH: usize = 8;

/// Checks that the components of (unfolded) iCalendar `text` nest at most [`MAX_DEPTH`] deep,
/// counting `BEGIN:` and `END:` lines as they come: no parse, no recursion.
pub fn check_depth(text: &str) -> Result<(), String> {
    let mut depth = 0usize;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_start();
        if line.len() >= 6 && line[..6].eq_ignore_ascii_case("BEGIN:") {
            depth += 1;
            if depth > MAX_DEPTH {
                return Err(format!(
                    "its components nest more than {MAX_DEPTH} deep (line {}); a calendar needs 3 levels",
                    n + 1
                ));
            }
        } else if line.len() >= 4 && line[..4].eq_ignore_ascii_case("END:") {
            depth = depth.saturating_sub(1);
        }
    }
    Ok(())
}

/// A stretch of time a calendar blocks: `[start, end)`, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BusyInterval {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// What a calendar file blocks inside a window.
#[derive(Debug, Clone, PartialEq)]
pub struct BusyRead {
    /// Sorted, merged where they overlap or touch.
    pub intervals: Vec<BusyInterval>,
    /// Events read (each recurring one once).
    pub events: u32,
    /// Events left out, each with its reason.
    pub skipped: Vec<String>,
}

/// When an event starts (or a date or date-time in RDATE, EXDATE, RECURRENCE-ID).
#[derive(Debug, Clone, Copy, PartialEq)]
enum When {
    Day(NaiveDate),
    At(DateTime<Tz>),
}

/// Reads `text` (an iCalendar file) into the stretches it blocks between `from` and `until`;
/// floating times and all-day events are in `zone`.
pub fn read(
    text: &str,
    zone: Tz,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<BusyRead, CoreError> {
    let text = text.trim_start_matches('\u{feff}');
    if !text.trim_start().starts_with("BEGIN:VCALENDAR") {
        return Err(CoreError::Refused(
            "this is not an iCalendar file: it does not begin with BEGIN:VCALENDAR".into(),
        ));
    }
    let unfolded = unfold(text);
    check_depth(&unfolded)
        .map_err(|why| CoreError::Refused(format!("this calendar cannot be read: {why}")))?;
    let calendar = read_calendar(&unfolded).map_err(|e| {
        CoreError::Refused(format!(
            "this is not an iCalendar file (the parser says: {})",
            first_line(&e)
        ))
    })?;
    let events: Vec<&Component<'_>> = calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .collect();
    // Overrides by their event's UID, each with the instant it replaces.
    let mut overrides: BTreeMap<String, Vec<(DateTime<Utc>, &Component<'_>)>> = BTreeMap::new();
    let mut masters = Vec::new();
    let mut read = BusyRead {
        intervals: Vec::new(),
        events: 0,
        skipped: Vec::new(),
    };
    for e in &events {
        match e.find_prop("RECURRENCE-ID") {
            Some(rid) => match when(rid, zone) {
                Ok(w) => overrides
                    .entry(uid(e))
                    .or_default()
                    .push((instant(w, zone), e)),
                Err(why) => read.skipped.push(format!("{}: {why}", describe(e))),
            },
            None => masters.push(*e),
        }
    }
    let mut intervals = Vec::new();
    let mut budget = MAX_CALENDAR_WORK;
    for e in masters {
        read.events += 1;
        let replaced: Vec<DateTime<Utc>> = overrides
            .get(&uid(e))
            .map(|o| o.iter().map(|(at, _)| *at).collect())
            .unwrap_or_default();
        if let Err(why) = occurrences(e, zone, from, until, &replaced, &mut budget, &mut intervals)
        {
            read.skipped.push(format!("{}: {why}", describe(e)));
        }
    }
    for list in overrides.values() {
        for (_, e) in list {
            if let Err(why) = occurrences(e, zone, from, until, &[], &mut budget, &mut intervals) {
                read.skipped.push(format!("{}: {why}", describe(e)));
            }
        }
    }
    // Clipped to the window read: an event from 1893 on was kept whole, and walked day by
    // day (minute by minute across clock changes) by every later command.
    intervals.retain(|i| i.end > from && i.start < until && i.end > i.start);
    for i in &mut intervals {
        i.start = i.start.max(from);
        i.end = i.end.min(until);
    }
    if intervals.len() > MAX_INTERVALS {
        return Err(CoreError::Refused(format!(
            "this calendar blocks {} separate stretches of time in the months read; at most {MAX_INTERVALS} are accepted",
            intervals.len()
        )));
    }
    read.intervals = merge(intervals);
    // What is said of the events left out is kept short: a file of a million odd events gave
    // megabytes stored and printed.
    shorten_list(&mut read.skipped, "more events left out");
    Ok(read)
}

/// The most events left out (or sync conflicts) that are named one by one, and the longest a
/// sentence about one may be.
pub const MAX_SKIPPED: usize = 100;
pub const MAX_SKIPPED_CHARS: usize = 300;

/// Keeps the first [`MAX_SKIPPED`] sentences of `list`, each cut to [`MAX_SKIPPED_CHARS`], and
/// counts the rest in a last one: "and N {more}". What comes from outside (a calendar's event
/// names, a server's answers) is said in bounded space, however much there is.
pub fn shorten_list(list: &mut Vec<String>, more: &str) {
    let all = list.len();
    list.truncate(MAX_SKIPPED);
    for s in list.iter_mut() {
        if s.chars().count() > MAX_SKIPPED_CHARS {
            *s = s.chars().take(MAX_SKIPPED_CHARS).collect::<String>() + "…";
        }
    }
    if all > MAX_SKIPPED {
        list.push(format!("and {} {more}", all - MAX_SKIPPED));
    }
}

/// Sorted, and merged where they overlap or touch.
pub fn merge(mut intervals: Vec<BusyInterval>) -> Vec<BusyInterval> {
    intervals.sort();
    let mut out: Vec<BusyInterval> = Vec::with_capacity(intervals.len());
    for i in intervals {
        match out.last_mut() {
            Some(last) if i.start <= last.end => last.end = last.end.max(i.end),
            _ => out.push(i),
        }
    }
    out
}

/// The stretches of each local day that `intervals` block, as the scheduler takes them.
pub fn local_stretches(intervals: &[BusyInterval], zone: Tz) -> Vec<Busy> {
    use chrono::Offset;
    let offset = |t: DateTime<Utc>| {
        zone.offset_from_utc_datetime(&t.naive_utc())
            .fix()
            .local_minus_utc()
    };
    let mut out = Vec::new();
    for whole in intervals {
        // A long interval is taken a day at a time (a UTC day: no zone is a whole day off
        // another), so that only a day with a change of the clocks is walked by the minute.
        let mut pieces = Vec::new();
        let mut from = whole.start;
        while from < whole.end {
            let until = (from + Duration::days(1)).min(whole.end);
            pieces.push(BusyInterval {
                start: from,
                end: until,
            });
            from = until;
        }
        for i in &pieces {
            if offset(i.start) != offset(i.end) {
                // The clocks change inside it: when they go back, the wall times it covers are not
                // those between its two ends (01:30 to 02:00 may be covered before a change to
                // 01:30). Walked a minute at a time: a day at most, twice a year at most.
                let mut days: BTreeMap<NaiveDate, (u32, u32)> = BTreeMap::new();
                // From the start of its first minute, so every minute it touches is counted.
                let mut t = i.start
                    - Duration::seconds(i64::from(i.start.second()))
                    - Duration::nanoseconds(i64::from(i.start.nanosecond()));
                while t < i.end {
                    let l = t.with_timezone(&zone).naive_local();
                    let m = minute_of(l);
                    let e = days.entry(l.date()).or_insert((m, m + 1));
                    e.0 = e.0.min(m);
                    e.1 = e.1.max(m + 1);
                    t += Duration::minutes(1);
                }
                out.extend(days.into_iter().map(|(date, (from, to))| Busy {
                    date,
                    start: from,
                    minutes: to - from,
                }));
                continue;
            }
            split_by_day(
                i.start.with_timezone(&zone).naive_local(),
                i.end.with_timezone(&zone).naive_local(),
                &mut out,
            );
        }
    }
    // Pieces of one interval meet at UTC midnights: a local day they share is one stretch.
    out.sort_by_key(|b| (b.date, b.start));
    let mut merged: Vec<Busy> = Vec::with_capacity(out.len());
    for b in out {
        match merged.last_mut() {
            Some(last) if last.date == b.date && last.start + last.minutes >= b.start => {
                let end = (last.start + last.minutes).max(b.start + b.minutes);
                last.minutes = end - last.start;
            }
            _ => merged.push(b),
        }
    }
    merged
}

/// The local wall times `[start, end)` as a stretch of each day they touch.
fn split_by_day(start: NaiveDateTime, end: NaiveDateTime, out: &mut Vec<Busy>) {
    let mut day = start.date();
    while day <= end.date() {
        let from = if day == start.date() {
            minute_of(start)
        } else {
            0
        };
        let to = if day == end.date() {
            // A part of a minute blocks the whole minute (a stretch to 10:00:30 would
            // otherwise let a session start at 10:00 on it; one of a second blocked nothing).
            minute_of(end) + u32::from(end.second() > 0 || end.nanosecond() > 0)
        } else {
            24 * 60
        };
        if to > from {
            out.push(Busy {
                date: day,
                start: from,
                minutes: to - from,
            });
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
}

/// The stretches the scheduler keeps free in `zone` from `from` on: those the busy
/// `intervals` block, and the wall times the clocks skip (see [`skipped_stretches`]).
pub fn planning_stretches(intervals: &[BusyInterval], zone: Tz, from: NaiveDate) -> Vec<Busy> {
    // Only what the scheduler can reach: from the day before `from` to its horizon (busy
    // times saved before reading clipped them may reach back to year 1).
    let start = from
        .pred_opt()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(DateTime::<Utc>::MIN_UTC, |d| d.and_utc());
    let end = from
        .checked_add_days(Days::new(
            366 * u64::from(crate::schedule::availability::HORIZON_YEARS + 1),
        ))
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(DateTime::<Utc>::MAX_UTC, |d| d.and_utc());
    let clipped: Vec<BusyInterval> = intervals
        .iter()
        .filter(|i| i.end > start && i.start < end)
        .map(|i| BusyInterval {
            start: i.start.max(start),
            end: i.end.min(end),
        })
        .collect();
    let mut out = local_stretches(&clipped, zone);
    out.extend(skipped_stretches(
        zone,
        from,
        crate::schedule::availability::HORIZON_YEARS,
    ));
    out
}

/// The wall times that the clocks skip in `zone` (a change forward: 02:00 to 03:00) over
/// `years` from `from`, as stretches of their local days. They do not exist: a session planned
/// at 02:30 would start at 03:30 (see [`crate::clock::to_utc`]), on top of the hour after
/// the gap and of anything busy there, so nothing is planned in them.
///
/// Found from the zone's offset a week apart, and where it changed, the minute of the change
/// by halving; two changes within one week (none in today's rules) would be missed.
pub fn skipped_stretches(zone: Tz, from: NaiveDate, years: u32) -> Vec<Busy> {
    use chrono::Offset;
    let offset = |minute: i64| {
        DateTime::from_timestamp(minute * 60, 0).map_or(0, |t| {
            zone.offset_from_utc_datetime(&t.naive_utc())
                .fix()
                .local_minus_utc()
        })
    };
    const WEEK: i64 = 7 * 24 * 60;
    // From the day before `from` (no zone is a day off UTC), in minutes since the epoch.
    let mut at = from.and_time(chrono::NaiveTime::MIN).and_utc().timestamp() / 60 - 24 * 60;
    let end = at + i64::from(years) * 366 * 24 * 60 + 2 * WEEK;
    let mut now = offset(at);
    let mut out = Vec::new();
    while at < end {
        let next = offset(at + WEEK);
        if next == now {
            at += WEEK;
            continue;
        }
        // offset(lo) == now, offset(hi) != now: hi ends as the first minute of the new offset.
        let (mut lo, mut hi) = (at, at + WEEK);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if offset(mid) == now {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let after = offset(hi);
        if after > now {
            // The wall clock jumps from `hi` read at the old offset to `hi` read at the new one.
            let wall = |off: i32| {
                DateTime::from_timestamp(hi * 60 + i64::from(off), 0).map(|t| t.naive_utc())
            };
            if let (Some(gap_from), Some(gap_to)) = (wall(now), wall(after)) {
                split_by_day(gap_from, gap_to, &mut out);
            }
        }
        at = hi;
        now = after;
    }
    out
}

/// Over `days`: minutes of availability (days `blocked` left out) and how many of them the
/// busy `stretches` take, each minute counted once however many stretches cover it.
pub fn taken_from(
    stretches: &[Busy],
    weekly: &crate::schedule::availability::Weekly,
    days: impl Iterator<Item = NaiveDate>,
    blocked: impl Fn(NaiveDate) -> bool,
) -> (u32, u32) {
    let mut by_day: BTreeMap<NaiveDate, Vec<(u32, u32)>> = BTreeMap::new();
    for b in stretches {
        by_day
            .entry(b.date)
            .or_default()
            .push((b.start, b.start + b.minutes));
    }
    let (mut available, mut taken) = (0, 0);
    for date in days {
        if blocked(date) {
            continue;
        }
        for w in weekly.on(date) {
            available += w.minutes();
            let mut covered: Vec<(u32, u32)> = by_day
                .get(&date)
                .into_iter()
                .flatten()
                .map(|&(s, e)| (s.max(w.start), e.min(w.end)))
                .filter(|(s, e)| s < e)
                .collect();
            covered.sort_unstable();
            let mut reach = w.start;
            for (s, e) in covered {
                let s = s.max(reach);
                if e > s {
                    taken += e - s;
                    reach = e;
                }
            }
        }
    }
    (available, taken)
}

fn minute_of(t: NaiveDateTime) -> u32 {
    t.hour() * 60 + t.minute()
}

/// Every occurrence of `e` inside the window, as intervals; `replaced` are the instants its
/// overrides take over.
fn occurrences(
    e: &Component<'_>,
    zone: Tz,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    replaced: &[DateTime<Utc>],
    budget: &mut u64,
    out: &mut Vec<BusyInterval>,
) -> Result<(), String> {
    if prop(e, "TRANSP").is_some_and(|p| p.val.as_str().eq_ignore_ascii_case("TRANSPARENT"))
        || prop(e, "STATUS").is_some_and(|p| p.val.as_str().eq_ignore_ascii_case("CANCELLED"))
    {
        return Ok(());
    }
    let start = when(prop(e, "DTSTART").ok_or("it has no DTSTART")?, zone)?;
    let length = length(e, start, zone)?;
    let mut starts: Vec<When> = vec![start];
    if let Some(rule) = prop(e, "RRULE") {
        let work = rule_work(rule.val.as_str(), instant(start, zone), until);
        if work > MAX_RULE_WORK {
            return Err(format!(
                "its RRULE would take {work} steps to read (at most {MAX_RULE_WORK} are taken for one event)"
            ));
        }
        if work > *budget {
            return Err(format!(
                "the calendar's recurring events would take more than {MAX_CALENDAR_WORK} steps to read; this one and those after it are left out"
            ));
        }
        *budget -= work;
        starts = expand(rule.val.as_str(), start, zone, from, until, length)?;
    }
    for p in e.properties.iter().filter(|p| p.name == "RDATE") {
        starts.extend(list(p, zone)?);
    }
    let excluded: Vec<DateTime<Utc>> = e
        .properties
        .iter()
        .filter(|p| p.name == "EXDATE")
        .map(|p| list(p, zone))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .map(|w| instant(w, zone))
        .collect();
    for s in starts {
        let at = instant(s, zone);
        if excluded.contains(&at) || replaced.contains(&at) {
            continue;
        }
        let end = match (s, length) {
            (When::Day(d), Length::Days(n)) => d
                .checked_add_days(Days::new(n))
                .map(|d| instant(When::Day(d), zone))
                .ok_or("its end is out of range")?,
            (_, Length::Exact(d)) => at + d,
            (When::At(_), Length::Days(n)) => at + Duration::days(n as i64),
        };
        out.push(BusyInterval { start: at, end });
    }
    Ok(())
}

#[derive(Debug, Clone, Copy)]
enum Length {
    /// Whole days (an all-day event).
    Days(u64),
    Exact(Duration),
}

fn length(e: &Component<'_>, start: When, zone: Tz) -> Result<Length, String> {
    if let Some(end) = prop(e, "DTEND") {
        let end = when(end, zone)?;
        return match (start, end) {
            (When::Day(a), When::Day(b)) => Ok(Length::Days((b - a).num_days().max(0) as u64)),
            _ => Ok(Length::Exact(
                (instant(end, zone) - instant(start, zone)).max(Duration::zero()),
            )),
        };
    }
    if let Some(d) = prop(e, "DURATION") {
        let d = duration(d.val.as_str())?;
        return Ok(match start {
            When::Day(_) if d.num_seconds() % 86_400 == 0 => {
                Length::Days(d.num_days().max(0) as u64)
            }
            _ => Length::Exact(d.max(Duration::zero())),
        });
    }
    // RFC 5545: without either, an all-day event lasts its day, a timed one no time at all.
    Ok(match start {
        When::Day(_) => Length::Days(1),
        When::At(_) => Length::Exact(Duration::zero()),
    })
}

/// The recurrence's starts between `from` (less the event's length) and `until`.
fn expand(
    rule: &str,
    start: When,
    zone: Tz,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    length: Length,
) -> Result<Vec<When>, String> {
    let rule_zone = match start {
        When::At(t) => t.timezone(),
        When::Day(_) => zone,
    };
    let dt_start = match start {
        When::At(t) => t,
        When::Day(d) => local(zone, d.and_time(chrono::NaiveTime::MIN))?,
    }
    .with_timezone(&rrule::Tz::Tz(rule_zone));
    // The crate reads an UNTIL without `Z` in the machine's own zone: give it in UTC instead,
    // read in the event's zone (a date-only UNTIL takes the whole day).
    let rule = fix_until(rule, rule_zone)?;
    let parsed: rrule::RRule<rrule::Unvalidated> = rule
        .parse()
        .map_err(|e| format!("its RRULE does not read ({e})"))?;
    let valid = parsed
        .validate(dt_start)
        .map_err(|e| format!("its RRULE does not read ({e})"))?;
    let reach = match length {
        Length::Days(n) => Duration::days(n as i64 + 1),
        Length::Exact(d) => d,
    };
    let after = (from - reach).with_timezone(&rrule::Tz::UTC);
    let before = until.with_timezone(&rrule::Tz::UTC);
    let set = rrule::RRuleSet::new(dt_start)
        .rrule(valid)
        .after(after)
        .before(before);
    let result = set.all(MAX_OCCURRENCES);
    if result.limited && result.dates.len() >= usize::from(MAX_OCCURRENCES) {
        return Err(format!(
            "it repeats more than {MAX_OCCURRENCES} times in the months read"
        ));
    }
    Ok(result
        .dates
        .into_iter()
        .map(|d| match start {
            When::Day(_) => When::Day(d.with_timezone(&zone).date_naive()),
            When::At(_) => When::At(d.with_timezone(&rule_zone)),
        })
        .collect())
}

/// How many candidate times expanding `rule` from `start` to `until` may take: its periods
/// (FREQ and INTERVAL; COUNT when smaller) times the combinations of its BYxxx lists.
/// An upper bound, from the text alone.
pub fn rule_work(rule: &str, start: DateTime<Utc>, until: DateTime<Utc>) -> u64 {
    let mut seconds: u64 = 0;
    let mut interval: u64 = 1;
    let mut count: Option<u64> = None;
    let mut combinations: u64 = 1;
    for part in rule.split(';') {
        let Some((key, value)) = part.split_once('=') else {
            continue;
        };
        let key = key.trim().to_ascii_uppercase();
        match key.as_str() {
            "FREQ" => {
                seconds = match value.trim().to_ascii_uppercase().as_str() {
                    "SECONDLY" => 1,
                    "MINUTELY" => 60,
                    "HOURLY" => 3_600,
                    "DAILY" => 86_400,
                    "WEEKLY" => 7 * 86_400,
                    "MONTHLY" => 28 * 86_400,
                    _ => 365 * 86_400,
                }
            }
            "INTERVAL" => interval = value.trim().parse().unwrap_or(1).max(1),
            "COUNT" => count = value.trim().parse().ok(),
            k if k.starts_with("BY") && k != "BYSETPOS" => {
                let n = value.split(',').count() as u64;
                combinations = combinations.saturating_mul(n.max(1));
            }
            _ => {}
        }
    }
    let span = (until - start).num_seconds().max(0) as u64;
    let mut periods = span / (seconds.max(1).saturating_mul(interval)) + 1;
    if let Some(c) = count {
        periods = periods.min(c.max(1));
    }
    periods.saturating_mul(combinations)
}

fn fix_until(rule: &str, zone: Tz) -> Result<String, String> {
    let parts: Vec<String> = rule
        .split(';')
        .map(|part| {
            let Some(value) = part.strip_prefix("UNTIL=") else {
                return Ok(part.to_string());
            };
            if value.ends_with('Z') {
                return Ok(part.to_string());
            }
            let naive = if value.len() == 8 {
                NaiveDate::parse_from_str(value, "%Y%m%d")
                    .map(|d| d.and_hms_opt(23, 59, 59).unwrap_or_default())
            } else {
                NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S")
            }
            .map_err(|_| format!("its RRULE's UNTIL {value:?} is not a date"))?;
            let utc = local(zone, naive)?.with_timezone(&Utc);
            Ok(format!("UNTIL={}", utc.format("%Y%m%dT%H%M%SZ")))
        })
        .collect::<Result<_, String>>()?;
    Ok(parts.join(";"))
}

/// The values of an RDATE or EXDATE (comma-separated; periods keep their start).
fn list(p: &Property<'_>, zone: Tz) -> Result<Vec<When>, String> {
    p.val
        .as_str()
        .split(',')
        .filter(|v| !v.trim().is_empty())
        .map(|v| value(v.split('/').next().unwrap_or(v).trim(), p, zone))
        .collect()
}

fn when(p: &Property<'_>, zone: Tz) -> Result<When, String> {
    value(p.val.as_str().trim(), p, zone)
}

/// A DATE or DATE-TIME value of property `p`, in its TZID, UTC or floating in `zone`.
fn value(v: &str, p: &Property<'_>, zone: Tz) -> Result<When, String> {
    let name = p.name.as_str();
    let date_only = param(p, "VALUE").is_some_and(|t| t.eq_ignore_ascii_case("DATE"))
        || (v.len() == 8 && !v.contains('T'));
    if date_only {
        return NaiveDate::parse_from_str(v, "%Y%m%d")
            .map(When::Day)
            .map_err(|_| format!("its {name} {v:?} is not a date"));
    }
    let (text, utc) = match v.strip_suffix('Z') {
        Some(t) => (t, true),
        None => (v, false),
    };
    let naive = NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%S")
        .map_err(|_| format!("its {name} {v:?} is not a date and time"))?;
    if utc {
        return Ok(When::At(
            Utc.from_utc_datetime(&naive).with_timezone(&Tz::UTC),
        ));
    }
    let tz = match param(p, "TZID") {
        Some(id) => time_zone(id)
            .ok_or_else(|| format!("its time zone {id:?} is not one this app knows"))?,
        None => zone,
    };
    Ok(When::At(local(tz, naive)?))
}

/// An IANA zone from a TZID, also when an app prefixes it with a path.
fn time_zone(id: &str) -> Option<Tz> {
    let id = id.trim().trim_matches('"');
    if let Ok(tz) = Tz::from_str(id) {
        return Some(tz);
    }
    // "/mozilla.org/20050126_1/Europe/Berlin", "/citadel.org/…/America/New_York": try the
    // last parts.
    let parts: Vec<&str> = id.split('/').filter(|p| !p.is_empty()).collect();
    (1..=parts.len().min(3))
        .rev()
        .find_map(|n| Tz::from_str(&parts[parts.len() - n..].join("/")).ok())
}

/// A local time in `zone`; one the clocks skip is read an hour later (after the gap), an
/// ambiguous one at its first occurrence (as calendar apps do).
fn local(zone: Tz, t: NaiveDateTime) -> Result<DateTime<Tz>, String> {
    use chrono::LocalResult;
    match zone.from_local_datetime(&t) {
        LocalResult::Single(d) => Ok(d),
        LocalResult::Ambiguous(first, _) => Ok(first),
        LocalResult::None => zone
            .from_local_datetime(&(t + Duration::hours(1)))
            .earliest()
            .ok_or_else(|| format!("{t} does not exist in {zone}")),
    }
}

/// The instant a `When` starts: a date at its local midnight in `zone`.
fn instant(w: When, zone: Tz) -> DateTime<Utc> {
    match w {
        When::At(t) => t.with_timezone(&Utc),
        When::Day(d) => local(zone, d.and_time(chrono::NaiveTime::MIN))
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|_| Utc.from_utc_datetime(&d.and_time(chrono::NaiveTime::MIN))),
    }
}

/// An RFC 5545 duration: `[+-]P[nW]` or `[+-]P[nD][T[nH][nM][nS]]`.
fn duration(text: &str) -> Result<Duration, String> {
    let bad = || format!("its DURATION {text:?} is not a duration");
    let (sign, rest) = match text.as_bytes().first() {
        Some(b'-') => (-1, &text[1..]),
        Some(b'+') => (1, &text[1..]),
        _ => (1, text),
    };
    let rest = rest.strip_prefix('P').ok_or_else(bad)?;
    let mut seconds: i64 = 0;
    let mut number = String::new();
    let mut in_time = false;
    for c in rest.chars() {
        match c {
            '0'..='9' => number.push(c),
            'T' if number.is_empty() => in_time = true,
            'W' | 'D' | 'H' | 'M' | 'S' => {
                let n: i64 = number.parse().map_err(|_| bad())?;
                number.clear();
                let unit = match (c, in_time) {
                    ('W', false) => 7 * 86_400,
                    ('D', false) => 86_400,
                    ('H', true) => 3_600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return Err(bad()),
                };
                seconds = n
                    .checked_mul(unit)
                    .and_then(|s| seconds.checked_add(s))
                    .ok_or_else(bad)?;
            }
            _ => return Err(bad()),
        }
    }
    if !number.is_empty() {
        return Err(bad());
    }
    Ok(Duration::seconds(sign * seconds.min(400 * 86_400)))
}

fn prop<'a>(e: &'a Component<'a>, name: &str) -> Option<&'a Property<'a>> {
    e.properties.iter().find(|p| p.name == name)
}

fn param<'a>(p: &'a Property<'a>, key: &str) -> Option<&'a str> {
    p.params
        .iter()
        .find(|k| k.key.as_str().eq_ignore_ascii_case(key))
        .and_then(|k| k.val.as_ref())
        .map(|v| v.as_str())
}

fn uid(e: &Component<'_>) -> String {
    prop(e, "UID").map_or_else(String::new, |p| p.val.as_str().to_string())
}

/// An event named without its title (titles are never kept): its start.
fn describe(e: &Component<'_>) -> String {
    match prop(e, "DTSTART") {
        Some(p) => format!("the event starting {}", p.val.as_str()),
        None => "an event without a start".to_string(),
    }
}

fn first_line(text: &str) -> String {
    text.lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect()
}

/// What a two-way sync reads back from one calendar object resource (RFC 4791: one UID per
/// resource): its first VEVENT's or VTODO's UID, start and whether the task is completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRead {
    pub uid: String,
    /// `VEVENT` or `VTODO`.
    pub component: String,
    /// DTSTART as an instant (an all-day date at local midnight in the zone given).
    pub start: Option<DateTime<Utc>>,
    /// `STATUS:COMPLETED` or a `COMPLETED` time on a task.
    pub completed: bool,
    /// Its SUMMARY, unescaped.
    pub summary: String,
}

/// Reads one calendar object resource; floating times are in `zone`.
pub fn read_object(text: &str, zone: Tz) -> Result<ObjectRead, String> {
    let text = text.trim_start_matches('\u{feff}');
    let unfolded = unfold(text);
    check_depth(&unfolded)?;
    let calendar = read_calendar(&unfolded)
        .map_err(|e| format!("it is not iCalendar text ({})", first_line(&e)))?;
    let c = calendar
        .components
        .iter()
        .find(|c| c.name == "VEVENT" || c.name == "VTODO")
        .ok_or_else(|| "it holds no event or task".to_string())?;
    let start = match prop(c, "DTSTART") {
        Some(p) => Some(instant(when(p, zone)?, zone)),
        None => None,
    };
    let completed = c.name == "VTODO"
        && (prop(c, "COMPLETED").is_some()
            || prop(c, "STATUS").is_some_and(|p| p.val.as_str().eq_ignore_ascii_case("COMPLETED")));
    let summary = prop(c, "SUMMARY").map_or_else(String::new, |p| {
        let mut out = String::new();
        let mut chars = p.val.as_str().chars();
        while let Some(ch) = chars.next() {
            match (ch, ch == '\\') {
                (_, true) => match chars.next() {
                    Some('n' | 'N') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => {}
                },
                (other, false) => out.push(other),
            }
        }
        out
    });
    Ok(ObjectRead {
        uid: uid(c),
        component: c.name.to_string(),
        start,
        completed,
        summary,
    })
}
