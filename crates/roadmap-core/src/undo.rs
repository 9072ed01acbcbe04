//! Taking back the last replan.
//!
//! A replan the learner asked for (Replan, Pull forward, Use my pace) remembers what it did
//! as a [`ReplanUndo`]: where it put each session it added or moved, where the moved ones
//! were, which it cancelled, and the settings before it. [`SavedPlan::undo_replan`] gives the
//! plan back from that record while it still can: every session the replan placed is still
//! planned, where it put it, and to come; every session it takes back is still to come; and
//! the plan given back keeps every rule ([`SavedPlan::violations`]). Otherwise it says which
//! session stands in the way.
//!
//! The record is replaced by the next replan and forgotten by the undo: only the last replan
//! can be taken back, once.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::api::{LastReplan, ReplanPolicy, SessionStatus};
use crate::clock::Clock;
use crate::error::CoreError;
use crate::saved::{Change, SavedPlan};
use crate::schedule::replan::StoredSession;

/// Where a session is: its day, start and length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub id: i64,
    pub date: NaiveDate,
    pub start: String,
    pub minutes: u32,
}

impl Place {
    fn of(s: &StoredSession) -> Place {
        Place {
            id: s.id,
            date: s.date,
            start: s.start.clone(),
            minutes: s.minutes,
        }
    }

    fn matches(&self, s: &StoredSession) -> bool {
        (self.date, self.start.as_str(), self.minutes) == (s.date, s.start.as_str(), s.minutes)
    }
}

/// What a replan did, enough to take it back. Stored as JSON with the plan's settings; its
/// fields are only ever added to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplanUndo {
    pub policy: ReplanPolicy,
    /// When it was accepted (RFC 3339, UTC).
    pub at: String,
    /// The sessions it added.
    pub added: Vec<i64>,
    /// Where it put each session it added or moved.
    pub placed: Vec<Place>,
    /// Where each session it moved was before.
    pub moved_from: Vec<Place>,
    /// The sessions it cancelled.
    pub cancelled: Vec<i64>,
    /// The settings before it.
    pub availability: Option<String>,
    pub include_optional: bool,
    pub pace: Option<BTreeMap<String, u32>>,
}

impl ReplanUndo {
    /// The record of `changes`, a replan of `before` under `policy` at `clock`.
    pub fn of(
        before: &SavedPlan,
        policy: ReplanPolicy,
        changes: &[Change],
        clock: &Clock,
    ) -> ReplanUndo {
        let mut undo = ReplanUndo {
            policy,
            at: clock.stamp(),
            added: Vec::new(),
            placed: Vec::new(),
            moved_from: Vec::new(),
            cancelled: Vec::new(),
            availability: before.settings.availability.clone(),
            include_optional: before.settings.include_optional,
            pace: before.settings.pace.clone(),
        };
        for c in changes {
            match c {
                Change::AddSession { id, session } => {
                    undo.added.push(*id);
                    undo.placed.push(Place {
                        id: *id,
                        date: session.date,
                        start: session.start.clone(),
                        minutes: session.minutes,
                    });
                }
                Change::MoveSession {
                    id,
                    date,
                    start,
                    minutes,
                } => {
                    let place = Place {
                        id: *id,
                        date: *date,
                        start: start.clone(),
                        minutes: *minutes,
                    };
                    match undo.placed.iter_mut().find(|p| p.id == *id) {
                        Some(p) => *p = place,
                        None => {
                            if let Ok(s) = before.session(*id) {
                                undo.moved_from.push(Place::of(s));
                            }
                            undo.placed.push(place);
                        }
                    }
                }
                Change::CancelSession { id } => undo.cancelled.push(*id),
                _ => {}
            }
        }
        undo
    }
}

impl SavedPlan {
    /// The changes that give the plan back as it was before the last replan, or why they
    /// cannot.
    pub fn undo_replan(&self, clock: &Clock) -> Result<Vec<Change>, CoreError> {
        let Some(undo) = &self.last_replan else {
            return Err(CoreError::Refused(
                "there is no replan to undo: only the last replan can be taken back, once".into(),
            ));
        };
        let at =
            |s: &StoredSession| format!("{} on {} at {}", self.title(&s.topic), s.date, s.start);
        for p in &undo.placed {
            let s = self.session(p.id)?;
            let why = if s.status != SessionStatus::Planned {
                Some(format!(
                    "is {} since",
                    match s.status {
                        SessionStatus::Partial => "partly done",
                        SessionStatus::Missed => "missed",
                        SessionStatus::Cancelled => "cancelled",
                        _ => "done",
                    }
                ))
            } else if s.pinned || !p.matches(s) {
                Some("was moved since".to_string())
            } else if clock.has_come(s.wall()) {
                Some("has begun".to_string())
            } else {
                None
            };
            if let Some(why) = why {
                return Err(CoreError::Refused(format!(
                    "the replan can no longer be undone: {}, which it placed, {why}",
                    at(s)
                )));
            }
        }
        for p in &undo.moved_from {
            let s = self.session(p.id)?;
            let back = StoredSession {
                date: p.date,
                start: p.start.clone(),
                ..s.clone()
            };
            if clock.has_come(back.wall()) {
                return Err(CoreError::Refused(format!(
                    "the replan can no longer be undone: it moved {}, and that time has passed",
                    at(&back)
                )));
            }
        }
        for id in &undo.cancelled {
            let s = self.session(*id)?;
            if s.status != SessionStatus::Cancelled {
                return Err(CoreError::Refused(format!(
                    "the replan can no longer be undone: {} is no longer cancelled",
                    at(s)
                )));
            }
            if clock.has_come(s.wall()) {
                return Err(CoreError::Refused(format!(
                    "the replan can no longer be undone: the plan before it had {}, and that time has passed",
                    at(s)
                )));
            }
        }
        let mut changes: Vec<Change> = undo
            .added
            .iter()
            .map(|&id| Change::CancelSession { id })
            .collect();
        changes.extend(undo.moved_from.iter().map(|p| Change::MoveSession {
            id: p.id,
            date: p.date,
            start: p.start.clone(),
            minutes: p.minutes,
        }));
        changes.extend(
            undo.cancelled
                .iter()
                .map(|&id| Change::RestoreSession { id }),
        );
        changes.push(Change::Revise {
            availability: undo.availability.clone().unwrap_or_default(),
            include_optional: undo.include_optional,
            pace: undo.pace.clone(),
        });
        changes.push(Change::RememberReplan { undo: None });
        let mut after = self.clone();
        after.apply(&changes, clock);
        if let Some(broken) = after.violations().into_iter().next() {
            return Err(CoreError::Refused(format!(
                "the replan can no longer be undone: the plan before it would not hold with what changed since ({broken})"
            )));
        }
        Ok(changes)
    }

    /// The last replan, when there is one to take back, and why it cannot be, if so.
    pub fn last_replan(&self, clock: &Clock) -> Option<LastReplan> {
        let undo = self.last_replan.as_ref()?;
        let on = chrono::DateTime::parse_from_rfc3339(&undo.at)
            .map(|t| t.with_timezone(&self.zone).date_naive())
            .unwrap_or_else(|_| clock.today());
        Some(LastReplan {
            policy: undo.policy,
            on,
            refused: self.undo_replan(clock).err().map(|e| e.to_string()),
        })
    }
}
