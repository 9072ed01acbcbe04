//! All of a learner's data as one JSON file: what `roadmap export --all` and the window's
//! "Export all data" write, and what an import reads back.
//!
//! The format (documented in `docs/data-format.md`) is versioned: `format` names it, `version`
//! says which fields it has. An import refuses a newer version with a sentence, and reads an
//! older one as it was written. Every field is what the learner entered or decided: plan
//! settings, the roadmap copy, sessions and their marks, logged study, weeks' goals and
//! reviews, review ratings, notes, busy calendars (their sources without credentials, and the
//! times they block) and the reminder preferences. Nothing secret is written: no passwords, no
//! calendar feed token, no CalDAV account.
//!
//! An import is an outside input like any other: bounded in size and count, and every plan in
//! it must keep every rule a saved plan keeps ([`SavedPlan::violations`]) before anything is
//! replaced. The same data exported again gives the same file apart from `exported_at`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::api::{MAX_TOPIC_NOTE_CHARS, PlanSettings, SessionKind};
use crate::busy::BusyInterval;
use crate::content::Roadmap;
use crate::error::CoreError;
use crate::progress::{MarkRecord, PlanMeta, StoredGoal, StoredLog};
use crate::recall::StoredRecall;
use crate::saved::{MAX_GOAL_MINUTES, MAX_LOG_MINUTES, MAX_NOTE_CHARS, SavedPlan};
use crate::schedule::replan::{ReplanUndo, StoredSession};

/// What `format` says in every file of this kind.
pub const FORMAT: &str = "roadmap-planner-data";
/// The version this build writes, and the newest it reads.
pub const VERSION: u32 = 1;
/// The largest file an import reads: far above ten years of daily study.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;
/// The most plans, sessions per plan, and busy calendars a file may hold.
pub const MAX_PLANS: usize = 200;
pub const MAX_SESSIONS: usize = 200_000;
pub const MAX_BUSY_CALENDARS: usize = 100;
pub const MAX_BUSY_INTERVALS: usize = 100_000;

/// The whole file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataFile {
    pub format: String,
    pub version: u32,
    /// When it was written (RFC 3339, UTC): the one field two exports of the same data differ
    /// in.
    pub exported_at: String,
    /// Every plan, oldest first; at most one is `current`.
    pub plans: Vec<PlanData>,
    /// Notes on topics, kept across plans, by topic id.
    pub notes: BTreeMap<String, String>,
    pub busy_calendars: Vec<BusyCalendarData>,
    pub preferences: PreferencesData,
}

/// One plan and everything saved about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanData {
    pub current: bool,
    pub created_at: String,
    pub revised_at: String,
    pub roadmap_title: String,
    /// The roadmap file it was made from, as text; `None` for the bundled roadmap.
    pub roadmap: Option<RoadmapText>,
    pub time_zone: String,
    pub settings: PlanSettings,
    /// Every session, cancelled ones included, in time order.
    pub sessions: Vec<StoredSession>,
    /// Topics marked done or skipped, with the day they were.
    pub marks: BTreeMap<String, MarkRecord>,
    pub logs: Vec<StoredLog>,
    /// Each week's goal and review, by ISO week (`2027-W03`).
    pub weeks: BTreeMap<String, StoredGoal>,
    pub recalls: Vec<StoredRecall>,
    /// What the last replan did, while it can be taken back.
    pub last_replan: Option<ReplanUndo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoadmapText {
    /// Where it was loaded from (a file name), as the learner saw it.
    pub source: String,
    pub text: String,
}

/// A busy calendar: its name, where it is read from (without credentials), and the times it
/// blocked when last read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusyCalendarData {
    pub name: String,
    pub source: String,
    pub blocks: Vec<BlockData>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockData {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreferencesData {
    /// Minutes before each session a reminder comes; `None`: no reminders.
    pub reminder_minutes: Option<u32>,
    pub reminders_chosen: bool,
    pub keep_in_tray: bool,
}

/// The Monday of ISO week `week` (`2027-W03`).
fn monday_of_week(week: &str) -> Option<NaiveDate> {
    let (year, w) = week.split_once("-W")?;
    if w.len() != 2 {
        return None;
    }
    NaiveDate::from_isoywd_opt(year.parse().ok()?, w.parse().ok()?, chrono::Weekday::Mon)
        .filter(|d| crate::progress::iso_week(*d) == week)
}

/// A busy calendar's source as it may leave the machine: a web address without its user name
/// and password (a file path as it is).
pub fn public_source(source: &str) -> String {
    match url::Url::parse(source) {
        Ok(mut u) if u.has_host() && (!u.username().is_empty() || u.password().is_some()) => {
            // Both only fail for addresses that cannot have credentials.
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.to_string()
        }
        _ => source.to_string(),
    }
}

impl PlanData {
    /// `plan` as it is written; `roadmap` its roadmap's text (`None`: the bundled one).
    pub fn of(plan: &SavedPlan, current: bool, roadmap: Option<RoadmapText>) -> PlanData {
        PlanData {
            current,
            created_at: plan.meta.created_at.clone(),
            revised_at: plan.meta.revised_at.clone(),
            roadmap_title: plan.meta.roadmap_title.clone(),
            roadmap,
            time_zone: plan.zone.name().to_string(),
            settings: plan.settings.clone(),
            sessions: plan.sessions.clone(),
            marks: plan.marks.clone(),
            logs: plan.logs.clone(),
            weeks: plan.goals.clone(),
            recalls: plan.recalls.clone(),
            last_replan: plan.last_replan.as_deref().cloned(),
        }
    }

    /// The plan as a value, with id `id` and `busy` as what the busy calendars block; refused
    /// when its roadmap or zone does not read.
    pub fn to_saved(
        &self,
        id: i64,
        bundled: &Arc<Roadmap>,
        busy: Arc<Vec<BusyInterval>>,
    ) -> Result<SavedPlan, CoreError> {
        let roadmap = match &self.roadmap {
            None => Arc::clone(bundled),
            Some(r) => Arc::new(Roadmap::parse(&r.source, &r.text)?),
        };
        let roadmap = if self.settings.chosen.is_empty() && self.settings.edits.is_empty() {
            roadmap
        } else {
            Arc::new(roadmap.for_plan(&self.settings.chosen, &self.settings.edits)?)
        };
        let zone: Tz = self.time_zone.parse().map_err(|_| {
            CoreError::InvalidSettings(format!("time zone {:?} is not known", self.time_zone))
        })?;
        let mut sessions = self.sessions.clone();
        sessions.sort_by(|a, b| (a.date, &a.start, a.id).cmp(&(b.date, &b.start, b.id)));
        let mut logs = self.logs.clone();
        logs.sort_by_key(|l| (l.date, l.id));
        let mut recalls = self.recalls.clone();
        recalls.sort_by_key(|r| (r.date, r.id));
        let next = |ids: &mut dyn Iterator<Item = i64>| ids.max().map_or(1, |m| m + 1);
        Ok(SavedPlan {
            meta: PlanMeta {
                id,
                created_at: self.created_at.clone(),
                revised_at: self.revised_at.clone(),
                roadmap_title: self.roadmap_title.clone(),
            },
            roadmap_id: None,
            roadmap,
            settings: self.settings.clone(),
            zone,
            next_session_id: next(&mut sessions.iter().map(|s| s.id)),
            sessions,
            marks: self.marks.clone(),
            next_log_id: next(&mut logs.iter().map(|l| l.id)),
            logs,
            goals: self.weeks.clone(),
            next_recall_id: next(&mut recalls.iter().map(|r| r.id)),
            recalls,
            busy,
            last_replan: self.last_replan.clone().map(Box::new),
        })
    }
}

impl BusyCalendarData {
    fn intervals(&self) -> impl Iterator<Item = BusyInterval> + '_ {
        self.blocks.iter().map(|b| BusyInterval {
            start: b.start,
            end: b.end,
        })
    }
}

impl DataFile {
    /// The file as written: two-space indented JSON, one trailing newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// What every busy calendar blocks, merged and in order: the plans' `busy`.
    pub fn busy(&self) -> Arc<Vec<BusyInterval>> {
        let all: Vec<BusyInterval> = self
            .busy_calendars
            .iter()
            .flat_map(BusyCalendarData::intervals)
            .collect();
        Arc::new(crate::busy::merge(all))
    }

    /// Reads `text` (the file `name`), refusing what is too large, not this format, newer
    /// than this build, or not whole: every plan in it must keep every rule of a saved plan.
    pub fn parse(name: &str, text: &str, bundled: &Arc<Roadmap>) -> Result<DataFile, CoreError> {
        let bad =
            |what: String| CoreError::Refused(format!("{name}: {what}; nothing was imported"));
        if text.len() > MAX_BYTES {
            return Err(bad(format!(
                "the file is {} MB, more than the {} MB an export of this app can be",
                text.len() / (1024 * 1024),
                MAX_BYTES / (1024 * 1024)
            )));
        }
        // The header first, so a newer file is told as such even when its fields differ.
        #[derive(Deserialize)]
        struct Header {
            format: Option<String>,
            version: Option<u32>,
        }
        let header: Header = serde_json::from_str(text)
            .map_err(|e| bad(format!("this is not a Roadmap Planner data file ({e})")))?;
        if header.format.as_deref() != Some(FORMAT) {
            return Err(bad(format!(
                "this is not a Roadmap Planner data file (its \"format\" is not \"{FORMAT}\")"
            )));
        }
        match header.version {
            Some(v) if v > VERSION => {
                return Err(bad(format!(
                    "it was written by a newer Roadmap Planner (data version {v}; this one reads up to {VERSION}): update the app to import it"
                )));
            }
            Some(v) if v >= 1 => {}
            _ => return Err(bad("its \"version\" is missing or not a version".into())),
        }
        let file: DataFile = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        file.check(bundled).map_err(bad)?;
        Ok(file)
    }

    /// Every rule an imported file must keep; the first broken one, said.
    fn check(&self, bundled: &Arc<Roadmap>) -> Result<(), String> {
        if self.plans.len() > MAX_PLANS {
            return Err(format!(
                "it holds {} plans, more than {MAX_PLANS}",
                self.plans.len()
            ));
        }
        if self.plans.iter().filter(|p| p.current).count() > 1 {
            return Err("more than one plan is marked current".into());
        }
        if self.busy_calendars.len() > MAX_BUSY_CALENDARS {
            return Err(format!(
                "it holds {} busy calendars, more than {MAX_BUSY_CALENDARS}",
                self.busy_calendars.len()
            ));
        }
        let mut names = BTreeSet::new();
        let mut intervals = 0usize;
        for c in &self.busy_calendars {
            if c.name.trim().is_empty() || c.name.chars().count() > 200 {
                return Err(format!(
                    "busy calendar {:?}: a name of 1 to 200 characters",
                    c.name
                ));
            }
            if !names.insert(c.name.as_str()) {
                return Err(format!("busy calendar {:?} appears twice", c.name));
            }
            if c.source.is_empty() || c.source.len() > 4096 {
                return Err(format!(
                    "busy calendar {:?}: its source is empty or too long",
                    c.name
                ));
            }
            intervals += c.blocks.len();
            if let Some(b) = c.blocks.iter().find(|b| b.end <= b.start) {
                return Err(format!(
                    "busy calendar {:?}: the time blocked from {} ends before it starts",
                    c.name, b.start
                ));
            }
        }
        if intervals > MAX_BUSY_INTERVALS {
            return Err(format!(
                "its busy calendars block {intervals} stretches, more than {MAX_BUSY_INTERVALS}"
            ));
        }
        if self
            .preferences
            .reminder_minutes
            .is_some_and(|m| m > 7 * 24 * 60)
        {
            return Err("the reminder comes more than a week before each session".into());
        }
        for (topic, note) in &self.notes {
            if topic.is_empty() || topic.len() > 200 {
                return Err(format!("a note is on the topic id {topic:?}"));
            }
            if note.chars().count() > MAX_TOPIC_NOTE_CHARS {
                return Err(format!(
                    "the note on {topic} is longer than {MAX_TOPIC_NOTE_CHARS} characters"
                ));
            }
        }
        let mut session_ids = BTreeSet::new();
        let mut log_ids = BTreeSet::new();
        let mut recall_ids = BTreeSet::new();
        let busy = self.busy();
        for (n, p) in self.plans.iter().enumerate() {
            let which = format!("plan {} ({:?})", n + 1, p.roadmap_title);
            let at = |what: String| format!("{which}: {what}");
            if p.sessions.len() > MAX_SESSIONS {
                return Err(at(format!(
                    "{} sessions, more than {MAX_SESSIONS}",
                    p.sessions.len()
                )));
            }
            for (stamp, what) in [(&p.created_at, "created_at"), (&p.revised_at, "revised_at")] {
                if DateTime::parse_from_rfc3339(stamp).is_err() {
                    return Err(at(format!("its {what} {stamp:?} is not a time")));
                }
            }
            let saved = p
                .to_saved(n as i64 + 1, bundled, Arc::clone(&busy))
                .map_err(|e| at(e.to_string()))?;
            crate::schedule::availability::Weekly::parse(
                p.settings.availability.as_deref().unwrap_or_default(),
                &p.settings.weeks,
            )
            .map_err(|e| at(e.to_string()))?;
            if p.settings.session_min == 0 || p.settings.session_max < p.settings.session_min {
                return Err(at("its session lengths are not a range".into()));
            }
            for s in &p.sessions {
                if !session_ids.insert(s.id) {
                    return Err(at(format!("session id {} is used twice", s.id)));
                }
                if s.id < 1 || s.minutes == 0 || saved.roadmap.any_topic(&s.topic).is_none() {
                    return Err(at(format!(
                        "session {} is not one of its roadmap's topics, or lasts no time",
                        s.id
                    )));
                }
            }
            for l in &p.logs {
                if !log_ids.insert(l.id) || l.id < 1 {
                    return Err(at(format!("logged study {} is used twice", l.id)));
                }
                if l.minutes == 0 || i64::from(l.minutes) > MAX_LOG_MINUTES {
                    return Err(at(format!(
                        "logged study {} holds {} minutes",
                        l.id, l.minutes
                    )));
                }
            }
            for r in &p.recalls {
                if !recall_ids.insert(r.id) || r.id < 1 {
                    return Err(at(format!("review rating {} is used twice", r.id)));
                }
                if let Some(s) = r.session
                    && !p
                        .sessions
                        .iter()
                        .any(|x| x.id == s && x.kind == SessionKind::Review)
                {
                    return Err(at(format!(
                        "review rating {} checks off session {s}, which is not one of its reviews",
                        r.id
                    )));
                }
            }
            for (week, g) in &p.weeks {
                if g.target_minutes > MAX_GOAL_MINUTES {
                    return Err(at(format!("the goal of {week} is more than a week")));
                }
                if g.review
                    .as_ref()
                    .is_some_and(|r| r.note.chars().count() > MAX_NOTE_CHARS)
                {
                    return Err(at(format!(
                        "the review of {week} is longer than {MAX_NOTE_CHARS} characters"
                    )));
                }
                if monday_of_week(week).is_none() {
                    return Err(at(format!("{week:?} is not a week (YYYY-Www)")));
                }
            }
            if let Some(broken) = saved.violations().into_iter().next() {
                return Err(at(broken));
            }
        }
        Ok(())
    }

    /// The plans, as values: (whether current, the plan with id 0).
    pub fn saved_plans(&self, bundled: &Arc<Roadmap>) -> Result<Vec<(bool, SavedPlan)>, CoreError> {
        let busy = self.busy();
        self.plans
            .iter()
            .map(|p| Ok((p.current, p.to_saved(0, bundled, Arc::clone(&busy))?)))
            .collect()
    }
}
