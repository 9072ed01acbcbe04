//! The plan's pretty JSON (the `roadmap plan --format json` contract), written by hand for its
//! two long lists. At 1,000 topics the plan holds ~9,000 sessions and 1,000 topics, over a
//! megabyte of JSON; through serde every key of every session was escaped and indented token by
//! token, a quarter of the whole `roadmap plan` process. Here each session is a few copies of
//! ready-made text. Everything else (a few dozen values) still goes through `serde_json` and is
//! indented to its depth, and any string that would need escaping is handed to `serde_json` too,
//! so the bytes are exactly `serde_json::to_writer_pretty`'s: a property test compares them on
//! random plans.

use std::io::{self, Write};

use serde::Serialize;

use super::iso;
use super::planner::{Plan, PlannedTopic, Session};

/// Writes `plan` exactly as `serde_json::to_writer_pretty` would (no trailing newline).
pub fn write_plan(plan: &Plan, out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"{")?;
    field(out, "start", &Iso(Some(plan.start)), true)?;
    field(out, "target_end", &Iso(plan.target_end), false)?;
    field(out, "projected_end", &Iso(plan.projected_end), false)?;
    field(out, "feasible", &plan.feasible, false)?;
    field(
        out,
        "required_hours_per_week",
        &plan.required_hours_per_week,
        false,
    )?;
    field(
        out,
        "available_hours_per_week",
        &plan.available_hours_per_week,
        false,
    )?;
    field(out, "availability", &plan.availability, false)?;
    field(
        out,
        "availability_proposed",
        &plan.availability_proposed,
        false,
    )?;
    out.write_all(b",\n  \"topics\": ")?;
    list(out, &plan.topics, topic)?;
    out.write_all(b",\n  \"sessions\": ")?;
    // Sessions come day by day: each day's text is made once.
    let mut day: Option<(chrono::NaiveDate, [u8; 12])> = None;
    list(out, &plan.sessions, |out, s| session(out, s, &mut day))?;
    field(out, "milestones", &plan.milestones, false)?;
    field(out, "weeks", &plan.weeks, false)?;
    field(out, "unscheduled", &plan.unscheduled, false)?;
    field(out, "fixes", &plan.fixes, false)?;
    out.write_all(b"\n}")
}

/// A date as the plan's fields serialise it (`null` when absent).
struct Iso(Option<chrono::NaiveDate>);

impl Serialize for Iso {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        iso::option_date(&self.0, s)
    }
}

/// `"key": value` at the top level, the value through `serde_json` and indented one level.
fn field<W: Write>(out: &mut W, key: &str, value: &impl Serialize, first: bool) -> io::Result<()> {
    out.write_all(if first { b"\n  " } else { b",\n  " })?;
    string(out, key)?;
    out.write_all(b": ")?;
    let text = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
    let mut lines = text.split(|&b| b == b'\n');
    if let Some(line) = lines.next() {
        out.write_all(line)?;
    }
    for line in lines {
        out.write_all(b"\n  ")?;
        out.write_all(line)?;
    }
    Ok(())
}

/// A top-level list of objects, each written by `item` at depth 2.
fn list<W: Write, T>(
    out: &mut W,
    items: &[T],
    mut item: impl FnMut(&mut W, &T) -> io::Result<()>,
) -> io::Result<()> {
    if items.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[")?;
    for (i, value) in items.iter().enumerate() {
        out.write_all(if i == 0 { b"\n    {" } else { b",\n    {" })?;
        item(out, value)?;
        out.write_all(b"\n    }")?;
    }
    out.write_all(b"\n  ]")
}

fn topic<W: Write>(out: &mut W, t: &PlannedTopic) -> io::Result<()> {
    out.write_all(b"\n      \"id\": ")?;
    string(out, &t.id)?;
    out.write_all(b",\n      \"step\": ")?;
    string(out, &t.step)?;
    out.write_all(b",\n      \"hours\": ")?;
    serde_json::to_writer(&mut *out, &t.hours).map_err(io::Error::other)?;
    out.write_all(b",\n      \"requires\": ")?;
    if t.requires.is_empty() {
        out.write_all(b"[]")?;
    } else {
        for (i, r) in t.requires.iter().enumerate() {
            out.write_all(if i == 0 {
                b"[\n        "
            } else {
                b",\n        "
            })?;
            string(out, r)?;
        }
        out.write_all(b"\n      ]")?;
    }
    out.write_all(if t.optional {
        b",\n      \"optional\": true"
    } else {
        b",\n      \"optional\": false"
    })?;
    out.write_all(b",\n      \"start\": ")?;
    date(out, t.start)?;
    out.write_all(b",\n      \"finish\": ")?;
    date(out, t.finish)
}

/// A session; `day` holds the last day written as quoted ASCII.
fn session<W: Write>(
    out: &mut W,
    s: &Session,
    day: &mut Option<(chrono::NaiveDate, [u8; 12])>,
) -> io::Result<()> {
    out.write_all(b"\n      \"kind\": \"")?;
    out.write_all(s.kind.as_str().as_bytes())?;
    out.write_all(b"\",\n      \"topic\": ")?;
    string(out, &s.topic)?;
    out.write_all(b",\n      \"date\": ")?;
    match day {
        Some((d, text)) if *d == s.date => out.write_all(text)?,
        _ => match iso::ascii(s.date) {
            Some([a, b, c, d, e, f, g, h, i, j]) => {
                let text = [b'"', a, b, c, d, e, f, g, h, i, j, b'"'];
                out.write_all(&text)?;
                *day = Some((s.date, text));
            }
            None => date(out, Some(s.date))?,
        },
    }
    out.write_all(b",\n      \"start\": ")?;
    string(out, &s.start)?;
    out.write_all(b",\n      \"minutes\": ")?;
    out.write_all(format_u32(s.minutes, &mut [0; 10]))
}

/// A string as `serde_json` writes it: as it is when nothing in it needs escaping, otherwise
/// through `serde_json` itself.
fn string<W: Write>(out: &mut W, text: &str) -> io::Result<()> {
    if text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        return serde_json::to_writer(&mut *out, text).map_err(io::Error::other);
    }
    out.write_all(b"\"")?;
    out.write_all(text.as_bytes())?;
    out.write_all(b"\"")
}

fn date<W: Write>(out: &mut W, day: Option<chrono::NaiveDate>) -> io::Result<()> {
    match day.map(|d| (d, iso::ascii(d))) {
        Some((_, Some([a, b, c, d, e, f, g, h, i, j]))) => {
            out.write_all(&[b'"', a, b, c, d, e, f, g, h, i, j, b'"'])
        }
        Some((day, None)) => iso::with_date(day, |text| string(out, text)),
        None => out.write_all(b"null"),
    }
}

/// `n` in decimal, into the end of `buf`.
fn format_u32(mut n: u32, buf: &mut [u8; 10]) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[at..];
        }
    }
}
