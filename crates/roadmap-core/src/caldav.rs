//! Two-way sync of the plan with a calendar on a CalDAV server, decided here.
//!
//! The store speaks HTTP ([`Remote`]) and keeps what was last synced ([`Local`]); every
//! decision — what to fetch, what a change on the server means for the plan, what to push,
//! when to stop — is made by [`sync`], which the property tests run against a model server
//! that loses connections, answers 412 and is edited "on the phone" between syncs.
//!
//! The rules (ARCHITECTURE.md, "CalDAV sync", says why):
//! - Every object lives at a name derived from its UID, so a PUT repeated after a lost answer
//!   can never make a second copy: creating is `If-None-Match: *`, and what is found already
//!   there is adopted.
//! - Every write is conditional (`If-Match` with the ETag last seen): a change made elsewhere
//!   in the meantime makes it fail with 412, and the object is read again before anything is
//!   decided about it (up to [`ROUNDS`] rounds in one sync).
//! - What comes back: a session's new start (a move, pinned, as a drag in the app is) and a
//!   task completed (the topic done). A change the plan refuses is a conflict: it is reported
//!   and the plan's version is written back. Any other edit of our objects is overwritten:
//!   the plan owns its events. Objects the app did not write are never touched.
//! - An object deleted on the server is written again while the plan still holds it.
//! - An edit of an object's alarms alone (the phone snoozed or dismissed one) is neither a
//!   change to follow nor one to overwrite: the server's copy stays as it is.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::api::SyncReport;
use crate::busy::read_object;

/// How many list-fetch-push rounds one sync may take when writes meet changes made meanwhile.
pub const ROUNDS: usize = 3;

// What an object stands for: declared with the calendar objects that carry it.
pub use crate::calendar::Target;

/// An object the plan wants on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    pub uid: String,
    pub target: Target,
    pub title: String,
    /// See [`crate::calendar::Object::state`].
    pub state: String,
    pub ics: String,
    /// The content's fingerprint, DTSTAMP left out (it follows every revision of the plan).
    pub hash: String,
}

impl Wanted {
    pub fn from_object(o: crate::calendar::Object) -> Wanted {
        let hash = fingerprint(&o.ics);
        Wanted {
            uid: o.uid,
            target: o.target,
            title: o.title,
            state: o.state,
            ics: o.ics,
            hash,
        }
    }

    pub fn name(&self) -> String {
        name_of(&self.uid)
    }
}

/// What was last synced of one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synced {
    pub uid: String,
    pub target: Target,
    /// The resource's name inside the calendar collection.
    pub name: String,
    pub etag: String,
    /// The fingerprint of what was written; empty when the server's copy is not ours (it was
    /// changed there, or adopted), so it is written again.
    pub hash: String,
    /// The state written (see [`Wanted::state`]): a change on the server is measured from it.
    pub state: String,
    /// The state of a write sent but not yet answered; empty when none. A write whose answer
    /// is lost reads back as a change on the server: one to this state is our own.
    pub pending: String,
}

/// A change the server asks of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pulled {
    /// Session `session` moved to this instant.
    Move { session: i64, to: DateTime<Utc> },
    /// Topic completed in a tasks app.
    Done { topic: String },
}

/// At most this many writes are given to [`Remote::put_many`] at once: a server that takes
/// 50–90 ms a PUT is kept busy without being flooded.
pub const IN_FLIGHT: usize = 4;

/// One conditional write (see [`Remote::put`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Write<'a> {
    pub name: &'a str,
    pub ics: &'a str,
    pub etag: Option<&'a str>,
}

/// A PUT's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Put {
    /// Stored; the new ETag when the server said it.
    Stored(Option<String>),
    /// 412: the object exists (creating) or changed (updating) since it was last seen.
    Changed,
}

/// A DELETE's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delete {
    /// Deleted, or already gone.
    Gone,
    /// 412: changed since it was last seen.
    Changed,
}

/// The calendar on the server. Names are resource names inside the calendar collection.
/// An `Err` is a failure of the connection or the server, in a sentence.
pub trait Remote {
    /// Every resource in the calendar with its ETag.
    fn list(&mut self) -> Result<Vec<(String, String)>, String>;
    /// The content and ETag of these resources (those gone meanwhile are left out).
    fn fetch(&mut self, names: &[String]) -> Result<Vec<(String, String, String)>, String>;
    /// Writes `ics` at `name`: only if absent (`etag` `None`) or unchanged since `etag`.
    fn put(&mut self, name: &str, ics: &str, etag: Option<&str>) -> Result<Put, String>;
    /// Several writes, each as [`Remote::put`], answered in order; a server may have them in
    /// flight at once (at most [`IN_FLIGHT`] are given). By default one after another.
    fn put_many(&mut self, writes: &[Write<'_>]) -> Vec<Result<Put, String>> {
        writes
            .iter()
            .map(|w| self.put(w.name, w.ics, w.etag))
            .collect()
    }
    /// The current ETag of `name`, `None` when it is gone.
    fn etag(&mut self, name: &str) -> Result<Option<String>, String>;
    /// Deletes `name` if unchanged since `etag`.
    fn delete(&mut self, name: &str, etag: &str) -> Result<Delete, String>;
}

/// The plan's side: what it wants on the server and what was synced. An `Err` is a failure
/// of the store, in a sentence.
pub trait Local {
    fn wanted(&mut self) -> Result<Vec<Wanted>, String>;
    fn synced(&mut self) -> Result<Vec<Synced>, String>;
    fn save(&mut self, s: &Synced) -> Result<(), String>;
    fn forget(&mut self, uid: &str) -> Result<(), String>;
    /// Applies a change from the server: `Ok(Err(sentence))` when the plan refuses it.
    fn pull(&mut self, change: &Pulled) -> Result<Result<(), String>, String>;
}

/// The resource name of a UID: its letters, digits, `.`, `-` and `_`, others as `_`.
pub fn name_of(uid: &str) -> String {
    let safe: String = uid
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.ics")
}

/// Whether two copies of an object say the same apart from their alarms: VALARM components,
/// ACKNOWLEDGED and X-MOZ-* properties (what a calendar app writes when an alarm is snoozed,
/// dismissed or changed), and DTSTAMP and LAST-MODIFIED (which follow any edit). Lines are
/// unfolded and compared as a set per component, so a server that writes properties in
/// another order or folds them elsewhere says the same.
pub fn same_apart_from_alarms(a: &str, b: &str) -> bool {
    content_lines(a) == content_lines(b)
}

/// The object's content lines, unfolded, alarm lines left out, each prefixed with the path of
/// components it sits in, sorted.
fn content_lines(ics: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for raw in ics.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)) {
        match raw.strip_prefix([' ', '\t']) {
            Some(rest) if !lines.is_empty() => {
                if let Some(last) = lines.last_mut() {
                    last.push_str(rest);
                }
            }
            _ if raw.is_empty() => {}
            _ => lines.push(raw.to_string()),
        }
    }
    let mut path: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for line in lines {
        let name_end = line.find([';', ':']).unwrap_or(line.len());
        let name = line[..name_end].to_ascii_uppercase();
        let value = line
            .get(name_end + 1..)
            .unwrap_or("")
            .trim()
            .to_ascii_uppercase();
        let in_alarm = path.iter().any(|c| c == "VALARM");
        match name.as_str() {
            "BEGIN" => {
                path.push(value);
                continue;
            }
            "END" => {
                path.pop();
                continue;
            }
            _ => {}
        }
        if in_alarm
            || matches!(name.as_str(), "DTSTAMP" | "LAST-MODIFIED" | "ACKNOWLEDGED")
            || name.starts_with("X-MOZ-")
        {
            continue;
        }
        out.push(format!("{}|{name}{}", path.join("/"), &line[name_end..]));
    }
    out.sort();
    out
}

/// FNV-1a (64 bit) of the text without its DTSTAMP lines, in hex.
pub fn fingerprint(ics: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for line in ics.split("\r\n").filter(|l| !l.starts_with("DTSTAMP")) {
        for b in line.bytes().chain([b'\n']) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// Syncs the plan with the calendar: pulls the server's changes into the plan, then pushes
/// what the plan changed. Stops at the first failure of the server or the store (recorded in
/// `errors`); everything done before it is saved, so the next sync goes on from there.
pub fn sync(remote: &mut dyn Remote, local: &mut dyn Local, zone: Tz) -> SyncReport {
    let mut report = SyncReport::default();
    sync_rounds(remote, local, zone, &mut report);
    // Said in bounded space, stored and printed: a server of a million odd objects, or one
    // with a title of megabytes, would otherwise fill both.
    crate::busy::shorten_list(&mut report.conflicts, "more changes not followed");
    crate::busy::shorten_list(&mut report.errors, "more problems");
    report
}

fn sync_rounds(remote: &mut dyn Remote, local: &mut dyn Local, zone: Tz, report: &mut SyncReport) {
    for round in 0..ROUNDS {
        match one_round(remote, local, zone, report) {
            Ok(false) => return,
            Ok(true) if round + 1 == ROUNDS => {
                report.errors.push(
                    "some events kept changing on the server during the sync; the next sync finishes them"
                        .into(),
                );
            }
            Ok(true) => {}
            Err(e) => {
                report.errors.push(e);
                return;
            }
        }
    }
}

/// One round; `Ok(true)` when a write met a change made meanwhile (another round is due).
fn one_round(
    remote: &mut dyn Remote,
    local: &mut dyn Local,
    zone: Tz,
    report: &mut SyncReport,
) -> Result<bool, String> {
    let listing: BTreeMap<String, String> = remote.list()?.into_iter().collect();
    let synced = local.synced()?;
    let wanted = local.wanted()?;
    let wanted_names: BTreeMap<String, &Wanted> = wanted.iter().map(|w| (w.name(), w)).collect();
    let synced_names: BTreeMap<&str, &Synced> =
        synced.iter().map(|s| (s.name.as_str(), s)).collect();

    // Deleted on the server: forgotten, so it is written again below if the plan holds it.
    for s in &synced {
        if !listing.contains_key(&s.name) {
            local.forget(&s.uid)?;
            if let Some(w) = wanted_names.get(&s.name) {
                report.conflicts.push(format!(
                    "\"{}\" was deleted in the calendar; the plan still holds it, so it was put back",
                    w.title
                ));
            }
        }
    }

    // Changed on the server (or ours but not yet recorded): read again.
    let to_fetch: Vec<String> = listing
        .iter()
        .filter(|(name, etag)| match synced_names.get(name.as_str()) {
            Some(s) => s.etag != **etag,
            None => wanted_names.contains_key(*name),
        })
        .map(|(name, _)| name.clone())
        .collect();
    let fetched = if to_fetch.is_empty() {
        Vec::new()
    } else {
        remote.fetch(&to_fetch)?
    };
    for (name, etag, ics) in fetched {
        match synced_names.get(name.as_str()) {
            Some(s) => {
                let wanted = wanted_names.get(&name).copied();
                // Only its alarms changed (snoozed, dismissed or edited on the phone) since we
                // wrote what the plan still says: nothing to follow, and nothing to put back:
                // the server's copy stays.
                if let Some(w) = wanted
                    && s.hash == w.hash
                    && same_apart_from_alarms(&ics, &w.ics)
                {
                    local.save(&Synced {
                        etag,
                        hash: w.hash.clone(),
                        state: w.state.clone(),
                        pending: String::new(),
                        ..(*s).clone()
                    })?;
                    continue;
                }
                let read = pull_one(local, s, wanted, &ics, zone, report)?;
                // Measured from now on from what the server's copy says; written again.
                local.save(&Synced {
                    etag,
                    hash: String::new(),
                    state: read.unwrap_or_else(|| s.state.clone()),
                    pending: String::new(),
                    ..(*s).clone()
                })?;
            }
            None => {
                // Ours, written by a sync whose answer was lost: adopted, then rewritten.
                let Some(w) = wanted_names.get(&name) else {
                    continue;
                };
                local.save(&Synced {
                    uid: w.uid.clone(),
                    target: w.target.clone(),
                    name,
                    etag,
                    hash: String::new(),
                    state: w.state.clone(),
                    pending: String::new(),
                })?;
            }
        }
    }

    // Push what the plan holds now.
    let wanted = local.wanted()?;
    let synced: BTreeMap<String, Synced> = local
        .synced()?
        .into_iter()
        .map(|s| (s.uid.clone(), s))
        .collect();
    let mut again = false;
    let due: Vec<(&Wanted, String, Option<&Synced>)> = wanted
        .iter()
        .filter_map(|w| {
            let before = synced.get(&w.uid);
            before
                .is_none_or(|s| s.hash != w.hash)
                .then(|| (w, w.name(), before))
        })
        .collect();
    for batch in due.chunks(IN_FLIGHT) {
        // What each write will say is recorded before it is sent: an answer lost on the way
        // back then reads as our own write, not as a change made on the server.
        // A new object is recorded too, with no ETag yet: if its answer is lost, the next
        // sync finds it ours (and deletes it if the plan has dropped it meanwhile) instead of
        // leaving it on the server as someone else's.
        // An update's recorded hash is cleared too: until its answer comes, the server's copy
        // is not known to be any version of ours, so a copy read back later is never taken
        // for ours with only its alarms edited.
        for (w, name, before) in batch {
            match before {
                Some(s) if s.state != w.state && s.pending != w.state => local.save(&Synced {
                    pending: w.state.clone(),
                    hash: String::new(),
                    ..(*s).clone()
                })?,
                Some(s) if !s.hash.is_empty() => local.save(&Synced {
                    hash: String::new(),
                    ..(*s).clone()
                })?,
                Some(_) => {}
                None => local.save(&Synced {
                    uid: w.uid.clone(),
                    target: w.target.clone(),
                    name: name.clone(),
                    etag: String::new(),
                    hash: String::new(),
                    state: String::new(),
                    pending: w.state.clone(),
                })?,
            }
        }
        let writes: Vec<Write<'_>> = batch
            .iter()
            .map(|(w, name, before)| Write {
                name,
                ics: &w.ics,
                etag: before.map(|s| s.etag.as_str()),
            })
            .collect();
        let answers = remote.put_many(&writes);
        // Every write answered is recorded, also when another of the batch failed; the first
        // failure then ends the sync.
        let mut failure = None;
        for ((w, name, before), answer) in batch.iter().zip(answers) {
            match answer {
                Ok(Put::Stored(etag)) => {
                    let etag = match etag {
                        Some(e) => e,
                        None => match remote.etag(name) {
                            Ok(e) => e.unwrap_or_default(),
                            Err(e) => {
                                failure.get_or_insert(e);
                                continue;
                            }
                        },
                    };
                    local.save(&Synced {
                        uid: w.uid.clone(),
                        target: w.target.clone(),
                        name: name.clone(),
                        etag,
                        hash: w.hash.clone(),
                        state: w.state.clone(),
                        pending: String::new(),
                    })?;
                    if before.is_some() {
                        report.updated += 1;
                    } else {
                        report.pushed += 1;
                    }
                }
                Ok(Put::Changed) => again = true,
                Err(e) => {
                    failure.get_or_insert(e);
                }
            }
        }
        if let Some(e) = failure {
            return Err(e);
        }
    }
    let keep: BTreeSet<&str> = wanted.iter().map(|w| w.uid.as_str()).collect();
    for s in synced.values().filter(|s| !keep.contains(s.uid.as_str())) {
        match remote.delete(&s.name, &s.etag)? {
            Delete::Gone => {
                local.forget(&s.uid)?;
                report.deleted += 1;
            }
            Delete::Changed => again = true,
        }
    }
    Ok(again)
}

/// Reads what changed on the server in one of our objects and asks the plan to follow it
/// (`wanted`: what the plan holds for the object, if anything). A change to what our last
/// unanswered write said is none: our own write whose answer was lost reads as one, and must
/// not pin a session. A move to where the plan happens to be is one (the learner chose that
/// time: it is pinned). Returns the state the server's copy holds, when it could be read.
fn pull_one(
    local: &mut dyn Local,
    s: &Synced,
    wanted: Option<&Wanted>,
    ics: &str,
    zone: Tz,
    report: &mut SyncReport,
) -> Result<Option<String>, String> {
    let title = wanted.map(|w| w.title.as_str());
    let holds = |state: &str| s.state == state || s.pending == state;
    let read = match read_object(ics, zone) {
        Ok(r) => r,
        Err(e) => {
            let title = title.unwrap_or(&s.uid);
            report.conflicts.push(format!(
                "\"{title}\" as changed in the calendar could not be read ({e}); the plan's version was put back"
            ));
            return Ok(None);
        }
    };
    let state = match &s.target {
        Target::Session(_) => read.start.map(format_utc),
        Target::Topic(_) => Some(if read.completed { "done" } else { "open" }.to_string()),
        Target::Milestone(_) => None,
    };
    let moved = |now: &String| !holds(now);
    let change = match (&s.target, read.start) {
        (Target::Session(id), Some(to)) if state.as_ref().is_some_and(moved) => {
            Pulled::Move { session: *id, to }
        }
        (Target::Topic(topic), _) if read.completed && !holds("done") => Pulled::Done {
            topic: topic.clone(),
        },
        _ => return Ok(state),
    };
    // Named as the plan calls it, or as the server's copy does for what the plan dropped.
    let title = title.map_or_else(|| read.summary.clone(), str::to_string);
    match local.pull(&change)? {
        Ok(()) => match change {
            Pulled::Move { .. } => report.pulled_moves += 1,
            Pulled::Done { .. } => report.pulled_done += 1,
        },
        Err(why) => report.conflicts.push(match change {
            Pulled::Move { to, .. } => format!(
                "\"{title}\" was moved in the calendar to {}, but {why}; the plan's time was put back",
                to.with_timezone(&zone).format("%a %-d %b %Y %H:%M")
            ),
            Pulled::Done { .. } => format!(
                "\"{title}\" was completed in the calendar, but {why}; the plan's state was put back"
            ),
        }),
    }
    Ok(state)
}

/// An instant as [`crate::calendar::Object::state`] writes it.
pub fn format_utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}
