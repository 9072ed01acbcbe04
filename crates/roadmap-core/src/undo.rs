//! Taking back the last replan.
//!
//! A replan the learner asked for (Replan, Pull forward, Use my pace) remembers what it did
//! ([`ReplanUndo`](crate::schedule::replan::ReplanUndo)): where it put each session it added
//! or moved, where the moved ones were, which it cancelled, and the settings before it. [`SavedPlan::undo_replan`] gives the
//! plan back from that record while it still can: every session the replan placed is still
//! planned, where it put it, and to come; every session it takes back is still to come; and
//! the plan given back keeps every rule ([`SavedPlan::violations`]). Otherwise it says which
//! session stands in the way.
//!
//! The record is replaced by the next replan and forgotten by the undo: only the last replan
//! can be taken back, once.

use crate::api::{LastReplan, SessionStatus};
use crate::clock::Clock;
use crate::error::CoreError;
use crate::saved::{Change, SavedPlan};
use crate::schedule::replan::StoredSession;

impl SavedPlan {
    /// The changes that give the plan back as it was before the last replan, or why they
    /// cannot.
    pub fn undo_replan(&self, clock: &Clock) -> Result<Vec<Change>, CoreError> {
        let Some(undo) = &self.last_replan else {
            return Err(CoreError::Refused(
                "there is no replan to undo: only the last replan can be taken back, once".into(),
            ));
        };
        // A topic marked (or unmarked) since: the plan before the replan was made for topics as
        // they stood then.
        let now_marked: std::collections::BTreeMap<&String, crate::api::TopicMark> =
            self.marks.iter().map(|(t, m)| (t, m.mark)).collect();
        let then: std::collections::BTreeMap<&String, crate::api::TopicMark> =
            undo.marks.iter().map(|(t, m)| (t, *m)).collect();
        if let Some(topic) = now_marked
            .keys()
            .chain(then.keys())
            .find(|t| now_marked.get(*t) != then.get(*t))
        {
            return Err(CoreError::Refused(format!(
                "the replan can no longer be undone: {} was marked since (or its mark taken back)",
                self.title(topic)
            )));
        }
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
        // A busy calendar may have taken the time since: nothing is brought back onto it.
        for id in undo
            .cancelled
            .iter()
            .chain(undo.moved_from.iter().map(|p| &p.id))
        {
            let s = after.session(*id)?;
            if after.sits_on_busy(s, clock) {
                return Err(CoreError::Refused(format!(
                    "the replan can no longer be undone: it would bring back {}, which is now busy in your calendar",
                    at(s)
                )));
            }
        }
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
