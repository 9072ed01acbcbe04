//! The plan as an iCalendar file (RFC 5545) that calendar apps accept, and that stays correct
//! after every replan.
//!
//! Built with the `icalendar` crate, with what it gets wrong corrected here:
//! - Text holding `\r\n` or a bare `\r` would leave a bare CR in the file: newlines are
//!   normalised to `\n` before escaping.
//! - `all_day(d)` writes DTEND equal to DTSTART, which RFC 5545 forbids: milestones get an
//!   exclusive end date (`d + 1 day`) written by hand.
//! - Without an explicit UID and DTSTAMP it inserts random ones (in alarms too): both are set
//!   everywhere, DTSTAMP from the plan's revision time, so the same plan gives the same file.
//! - It writes no VTIMEZONE: times are written in UTC, converted from the user's local wall
//!   time with the time-zone rules of each session's own date, so a 19:00 session stays at
//!   19:00 local time on both sides of a daylight-saving change.
//!
//! Session UIDs are stable across exports; SEQUENCE is the session's revision, which rises
//! whenever its time changes; sessions a replan cancelled stay in the file for four weeks as
//! STATUS:CANCELLED, so subscribed calendars drop them instead of keeping ghosts.

use chrono::{DateTime, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use icalendar::{Alarm, Calendar, Component, Event, EventLike, EventStatus, Property, Trigger};

use crate::api::SessionStatus;
// Kept at its old address too: every reader of wall times used to find it here.
pub use crate::clock::to_utc;
use crate::error::CoreError;
use crate::progress::{PlanMeta, Record};
use crate::schedule::replan::StoredSession;

/// The product identifier written into every file.
pub const PRODID: &str = "-//Roadmap Planner//Study plan//EN";
/// The domain part of every UID.
pub const UID_DOMAIN: &str = "app.roadmap-planner.desktop";
/// How long a cancelled session stays in the file (counted back from the plan's revision).
pub const CANCELLED_KEPT_DAYS: u64 = 28;

/// What the user chooses about the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// The calendar's name as calendar apps show it.
    pub name: String,
    /// A reminder this many minutes before each session; `None` for no reminders.
    pub alarm_minutes: Option<u32>,
    /// The IANA time zone the sessions' local times are in, e.g. `Europe/Berlin`.
    pub time_zone: String,
}

/// Renders the plan as an iCalendar file. Deterministic: the same record and options give the
/// same bytes.
pub fn render(
    record: &Record<'_>,
    meta: &PlanMeta,
    options: &ExportOptions,
) -> Result<String, CoreError> {
    let tz: Tz = options.time_zone.parse().map_err(|_| {
        CoreError::InvalidSettings(format!(
            "{:?} is not a time zone name such as Europe/Berlin or America/New_York",
            options.time_zone
        ))
    })?;
    if let Some(m) = options.alarm_minutes
        && m > 7 * 24 * 60
    {
        return Err(CoreError::InvalidSettings(format!(
            "a reminder {m} minutes ahead is more than a week; choose at most 10080"
        )));
    }
    let stamp = parse_utc(&meta.revised_at)?;
    let suffix = uid_suffix(meta);
    let kept_from = stamp
        .date_naive()
        .checked_sub_days(Days::new(CANCELLED_KEPT_DAYS))
        .unwrap_or(NaiveDate::MIN);

    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"));
    cal.append_property(Property::new("PRODID", PRODID));
    cal.append_property(Property::new("CALSCALE", "GREGORIAN"));
    cal.append_property(Property::new("METHOD", "PUBLISH"));
    // The crate writes NAME unescaped (it does not know NAME is TEXT), so escape it here;
    // X-WR-CALNAME it escapes itself.
    cal.append_property(Property::new("NAME", escape_text(&text(&options.name))));
    cal.append_property(Property::new("X-WR-CALNAME", text(&options.name)));

    let mut sessions: Vec<&StoredSession> = record
        .sessions
        .iter()
        .filter(|s| s.status != SessionStatus::Cancelled || s.date > kept_from)
        .collect();
    sessions.sort_by_key(|s| s.id);
    for s in sessions {
        cal.push(session_event(record, s, tz, stamp, &suffix, options)?);
    }

    let plan = record.plan_view(meta, &crate::clock::Clock::new(stamp, tz));
    for (_, event) in milestone_events(record, &plan, stamp, &suffix) {
        cal.push(event);
    }
    // The crate lets the last piece of a folded line reach 76 octets; fold again, properly.
    Ok(refold(&cal.done().to_string()))
}

/// Every step's milestone as an all-day event, with its step's id.
fn milestone_events(
    record: &Record<'_>,
    plan: &crate::api::PlanView,
    stamp: DateTime<Utc>,
    suffix: &str,
) -> Vec<(String, Event)> {
    let mut out = Vec::new();
    for step in &plan.steps {
        let Some(date) = step.milestone else { continue };
        // The milestone moves whenever one of its step's sessions does; the sum of their
        // revisions rises with every such move, so it serves as the milestone's SEQUENCE.
        let sequence: u32 = record
            .sessions
            .iter()
            .filter(|s| {
                s.is_study()
                    && record
                        .roadmap
                        .topic(&s.topic)
                        .is_some_and(|t| t.step == step.id)
            })
            .map(|s| s.revision)
            .sum();
        let project = record
            .roadmap
            .steps
            .iter()
            .find(|s| s.id == step.id)
            .and_then(|s| s.milestone.as_ref());
        let mut description = format!("Milestone of the step \"{}\".", step.title);
        if let Some(p) = project {
            description.push_str(&format!("\n\nProject: {}", p.title));
            for c in &p.criteria {
                description.push_str(&format!("\n- {c}"));
            }
        }
        let mut event = Event::new();
        event
            .uid(&format!("milestone-{}.{suffix}", step.id))
            .timestamp(stamp)
            .sequence(sequence)
            .summary(&text(&format!("Milestone: {}", step.title)))
            .description(&text(&description))
            .categories([text(&step.title), "Milestone".to_string()])
            .status(EventStatus::Confirmed)
            .append_property(
                Property::new("DTSTART", date.format("%Y%m%d").to_string())
                    .add_parameter("VALUE", "DATE")
                    .done(),
            )
            .append_property(
                Property::new("DTEND", (date + Days::new(1)).format("%Y%m%d").to_string())
                    .add_parameter("VALUE", "DATE")
                    .done(),
            )
            .add_property("TRANSP", "TRANSPARENT");
        out.push((step.id.clone(), event.done()));
    }
    out
}

/// One calendar object resource of a two-way sync (RFC 4791): one event or task in its own
/// VCALENDAR (no METHOD, as a calendar collection requires).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    pub uid: String,
    pub target: Target,
    /// Its title, for messages.
    pub title: String,
    /// What a change made on the server is compared with: a session's start (RFC 3339, UTC),
    /// whether a task is `done` or `open`; empty for milestones.
    pub state: String,
    pub ics: String,
}

/// The plan as calendar objects: every session not cancelled (with a reminder `alarm_minutes`
/// before, when set), every milestone, and every topic not skipped as a task (VTODO) due when
/// its last session is planned, completed when done. Deterministic, sorted by UID.
pub fn objects(
    record: &Record<'_>,
    meta: &PlanMeta,
    tz: Tz,
    alarm_minutes: Option<u32>,
) -> Result<Vec<Object>, CoreError> {
    use Target;
    let stamp = parse_utc(&meta.revised_at)?;
    let suffix = uid_suffix(meta);
    let options = ExportOptions {
        name: String::new(),
        alarm_minutes,
        time_zone: tz.name().to_string(),
    };
    let wrap = |component: &dyn Fn(&mut Calendar)| {
        let mut cal = Calendar::empty();
        cal.append_property(Property::new("VERSION", "2.0"));
        cal.append_property(Property::new("PRODID", PRODID));
        component(&mut cal);
        refold(&cal.done().to_string())
    };
    let mut out = Vec::new();
    for s in record
        .sessions
        .iter()
        .filter(|s| s.status != SessionStatus::Cancelled)
    {
        let event = session_event(record, s, tz, stamp, &suffix, &options)?;
        let start = to_utc(tz, s.date, s.start_minute()?)?;
        let title = record
            .roadmap
            .topic(&s.topic)
            .map_or_else(|| s.topic.clone(), |t| t.title.clone());
        out.push(Object {
            uid: format!("session-{}.{suffix}", s.id),
            target: Target::Session(s.id),
            title: if s.is_study() {
                title
            } else {
                format!("Review: {title}")
            },
            state: format_utc(start),
            ics: wrap(&|cal| {
                cal.push(event.clone());
            }),
        });
    }
    let plan = record.plan_view(meta, &crate::clock::Clock::new(stamp, tz));
    for (step, event) in milestone_events(record, &plan, stamp, &suffix) {
        let title = plan
            .steps
            .iter()
            .find(|s| s.id == step)
            .map_or_else(String::new, |s| format!("Milestone: {}", s.title));
        out.push(Object {
            uid: format!("milestone-{step}.{suffix}"),
            target: Target::Milestone(step),
            title,
            state: String::new(),
            ics: wrap(&|cal| {
                cal.push(event.clone());
            }),
        });
    }
    for t in &plan.topics {
        if t.state == crate::api::TopicState::Skipped {
            continue;
        }
        let done = t.state == crate::api::TopicState::Done;
        let summary = record
            .roadmap
            .topic(&t.id)
            .map_or_else(String::new, |x| x.summary.clone());
        let mut todo = icalendar::Todo::new();
        todo.uid(&format!("topic-{}.{suffix}", t.id))
            .timestamp(stamp)
            .summary(&text(&t.title))
            .description(&text(&summary))
            .status(if done {
                icalendar::TodoStatus::Completed
            } else {
                icalendar::TodoStatus::NeedsAction
            });
        if let Some(st) = record.roadmap.steps.iter().find(|s| s.id == t.step) {
            todo.categories([text(&st.title)]);
        }
        if let Some(start) = t.start {
            todo.append_property(
                Property::new("DTSTART", start.format("%Y%m%d").to_string())
                    .add_parameter("VALUE", "DATE")
                    .done(),
            );
        }
        if let Some(finish) = t.finish {
            // A task is due by the end of the day its last session is on.
            let due = t.start.map_or(finish, |s| s.max(finish));
            todo.append_property(
                Property::new("DUE", due.format("%Y%m%d").to_string())
                    .add_parameter("VALUE", "DATE")
                    .done(),
            );
        }
        if done {
            let on = record
                .marks
                .get(&t.id)
                .map(|m| m.on)
                .or(t.finish)
                .unwrap_or(stamp.date_naive());
            todo.add_property("COMPLETED", format_utc(to_utc(tz, on, 12 * 60)?));
            todo.add_property("PERCENT-COMPLETE", "100");
        }
        let todo = todo.done();
        out.push(Object {
            uid: format!("topic-{}.{suffix}", t.id),
            target: Target::Topic(t.id.clone()),
            title: t.title.clone(),
            state: if done { "done" } else { "open" }.to_string(),
            ics: wrap(&|cal| {
                cal.push(todo.clone());
            }),
        });
    }
    out.sort_by(|a, b| a.uid.cmp(&b.uid));
    Ok(out)
}

/// Unfolds every content line and folds it again at 75 octets, never inside a UTF-8 character.
fn refold(file: &str) -> String {
    let unfolded = file.replace("\r\n ", "");
    let mut out = String::with_capacity(file.len() + file.len() / 64);
    for line in unfolded.split_terminator("\r\n") {
        let mut rest = line;
        let mut limit = 75;
        while rest.len() > limit {
            let mut cut = limit;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            out.push_str(&rest[..cut]);
            out.push_str("\r\n ");
            rest = &rest[cut..];
            // A continuation line starts with the space, so it holds one octet less.
            limit = 74;
        }
        out.push_str(rest);
        out.push_str("\r\n");
    }
    out
}

fn session_event(
    record: &Record<'_>,
    s: &StoredSession,
    tz: Tz,
    stamp: DateTime<Utc>,
    suffix: &str,
    options: &ExportOptions,
) -> Result<Event, CoreError> {
    let topic = record.roadmap.any_topic(&s.topic);
    let title = topic.map_or_else(|| s.topic.clone(), |t| t.title.clone());
    let step = topic.and_then(|t| record.roadmap.steps.iter().find(|st| st.id == t.step));
    let start = to_utc(tz, s.date, s.start_minute()?)?;
    let end = start + chrono::Duration::minutes(i64::from(s.minutes));

    let review = !s.is_study();
    let summary = if review {
        format!("Review: {title}")
    } else {
        title.clone()
    };
    let mut description = String::new();
    if review {
        description.push_str(&format!(
            "A short spaced review of \"{title}\": recall what you learned without notes, check, then rate how well you remembered it (again, hard, good or easy) in Roadmap Planner.\n\n"
        ));
    }
    if let Some(t) = topic {
        description.push_str(&t.summary);
        if let Some(st) = step {
            description.push_str(&format!("\n\nStep: {}", st.title));
        }
        if !t.resources.is_empty() {
            description.push_str("\n\nResources:");
            for r in &t.resources {
                description.push_str(&format!("\n- {}: {}", r.title, r.url));
            }
        }
    }
    let mut categories: Vec<String> = Vec::new();
    if review {
        categories.push("Review".to_string());
    }
    if let Some(st) = step {
        categories.push(text(&st.title));
    }
    if let Some(t) = topic {
        for id in &t.skills {
            let name = record
                .roadmap
                .skills
                .iter()
                .find(|k| &k.id == id)
                .map_or(id.as_str(), |k| k.name.as_str());
            let name = text(name);
            if !categories.contains(&name) {
                categories.push(name);
            }
        }
    }

    let uid = format!("session-{}.{suffix}", s.id);
    let mut event = Event::new();
    event
        .uid(&uid)
        .timestamp(stamp)
        .sequence(s.revision)
        .summary(&text(&summary))
        .description(&text(&description))
        .starts(start)
        .ends(end)
        .add_property("TRANSP", "OPAQUE")
        .status(if s.status == SessionStatus::Cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        });
    if !categories.is_empty() {
        event.categories(categories);
    }
    if let Some(m) = options.alarm_minutes
        && s.status != SessionStatus::Cancelled
    {
        let mut alarm = Alarm::display(
            &text(&if review {
                summary.clone()
            } else {
                format!("Study: {title}")
            }),
            Trigger::before_start(chrono::Duration::minutes(i64::from(m))),
        );
        // Set explicitly: the crate would otherwise write a random UID and the clock's time.
        alarm
            // chrono writes durations in seconds (-PT900S); minutes read better.
            .add_property("TRIGGER", format!("-PT{m}M"))
            .add_property("UID", format!("alarm-{}.{suffix}", s.id))
            .add_property("DTSTAMP", format_utc(stamp));
        event.alarm(alarm);
    }
    Ok(event.done())
}

/// RFC 5545 TEXT escaping, for the properties the crate writes raw.
fn escape_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Text as calendar apps should see it: every newline a plain `\n`, and no other control
/// character (RFC 5545 forbids them; the roadmap validator refuses them too, so this only
/// guards against text that reached the database some other way).
fn text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect()
}

fn uid_suffix(meta: &PlanMeta) -> String {
    let created: String = meta
        .created_at
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    format!("plan-{}-{created}@{UID_DOMAIN}", meta.id)
}

fn parse_utc(text: &str) -> Result<DateTime<Utc>, CoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| CoreError::InvalidSettings(format!("{text:?} is not an RFC 3339 time")))
}

fn format_utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// One problem the structural lint found, with the 1-based line it is on (0: the whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintProblem {
    pub line: usize,
    pub message: String,
}

/// Our own structural check of an iCalendar file: CRLF line ends, lines of at most 75 octets,
/// no UTF-8 character split by folding, VERSION and PRODID present, every event with UID,
/// DTSTAMP (in UTC), DTSTART and a DTEND after it, unique UIDs, and a VTIMEZONE for every TZID.
pub fn lint(file: &str) -> Vec<LintProblem> {
    let mut problems = Vec::new();
    let mut say = |line: usize, message: String| problems.push(LintProblem { line, message });
    let bytes = file.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        let lf = *b == b'\n' && (i == 0 || bytes[i - 1] != b'\r');
        let cr = *b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
        if lf || cr {
            let line = file[..i].matches('\n').count() + 1;
            say(line, "a line does not end in CRLF".into());
        }
    }
    if !file.ends_with("\r\n") {
        say(0, "the file does not end with CRLF".into());
    }
    // Physical lines: length and UTF-8 boundaries.
    let raw: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    for (i, line) in raw.iter().enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.len() > 75 {
            say(
                i + 1,
                format!("the line is {} octets long (at most 75)", line.len()),
            );
        }
        if std::str::from_utf8(line).is_err() {
            say(i + 1, "folding split a UTF-8 character".into());
        }
        // RFC 5545 allows no control character in content but the tab of folding and white
        // space (CR and LF only as the line's end).
        if let Some(&b) = line
            .iter()
            .find(|&&b| (b < 0x20 && b != b'\t') || b == 0x7f)
        {
            say(
                i + 1,
                format!("the line holds the control character U+{b:04X}, which RFC 5545 forbids"),
            );
        }
    }
    // Logical lines.
    let unfolded = file.replace("\r\n ", "").replace("\r\n\t", "");
    let lines: Vec<&str> = unfolded.split("\r\n").filter(|l| !l.is_empty()).collect();
    let name = |l: &str| -> String {
        l.split([':', ';'])
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase()
    };
    let value = |l: &str| l.split_once(':').map_or("", |(_, v)| v).to_string();
    if lines.first() != Some(&"BEGIN:VCALENDAR") || lines.last() != Some(&"END:VCALENDAR") {
        say(0, "the file is not one VCALENDAR".into());
    }
    for required in ["VERSION", "PRODID"] {
        if !lines.iter().any(|l| name(l) == required) {
            say(0, format!("the calendar has no {required}"));
        }
    }
    let mut uids = std::collections::BTreeSet::new();
    let mut tzids = std::collections::BTreeSet::new();
    let mut timezones = std::collections::BTreeSet::new();
    let mut depth: Vec<String> = Vec::new();
    let mut event: Vec<(String, String)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if let Some(tzid) = l
            .split(';')
            .skip(1)
            .find_map(|p| p.split(':').next()?.strip_prefix("TZID="))
        {
            tzids.insert(tzid.to_string());
        }
        match (name(l).as_str(), value(l)) {
            ("BEGIN", kind) => {
                depth.push(kind.clone());
                if kind == "VEVENT" {
                    event.clear();
                }
            }
            ("END", kind) => {
                if depth.pop().as_deref() != Some(kind.as_str()) {
                    say(
                        i + 1,
                        format!("END:{kind} does not close the open component"),
                    );
                }
                if kind == "VEVENT" {
                    let get = |k: &str| event.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
                    for required in ["UID", "DTSTAMP", "DTSTART"] {
                        if get(required).is_none() {
                            say(i + 1, format!("an event has no {required}"));
                        }
                    }
                    if let Some(uid) = get("UID")
                        && !uids.insert(uid.clone())
                    {
                        say(i + 1, format!("the UID {uid} is used twice"));
                    }
                    if let Some(stamp) = get("DTSTAMP")
                        && !stamp.ends_with('Z')
                    {
                        say(i + 1, format!("DTSTAMP {stamp} is not in UTC"));
                    }
                    if let (Some(start), Some(end)) = (get("DTSTART"), get("DTEND"))
                        && end <= start
                    {
                        say(i + 1, format!("DTEND {end} is not after DTSTART {start}"));
                    }
                }
            }
            (prop, v) if depth.last().map(String::as_str) == Some("VEVENT") => {
                event.push((prop.to_string(), v));
            }
            ("TZID", v) if depth.last().map(String::as_str) == Some("VTIMEZONE") => {
                timezones.insert(v);
            }
            _ => {}
        }
    }
    for tzid in tzids.difference(&timezones) {
        say(0, format!("TZID {tzid} has no VTIMEZONE"));
    }
    problems
}

/// What an object stands for in the plan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Session(i64),
    Milestone(String),
    Topic(String),
}

impl Target {
    /// As stored: `session:12`, `milestone:apis`, `topic:sql-basics`.
    pub fn key(&self) -> String {
        match self {
            Target::Session(id) => format!("session:{id}"),
            Target::Milestone(s) => format!("milestone:{s}"),
            Target::Topic(t) => format!("topic:{t}"),
        }
    }

    pub fn from_key(key: &str) -> Option<Target> {
        let (kind, rest) = key.split_once(':')?;
        match kind {
            "session" => rest.parse().ok().map(Target::Session),
            "milestone" => Some(Target::Milestone(rest.to_string())),
            "topic" => Some(Target::Topic(rest.to_string())),
            _ => None,
        }
    }
}
