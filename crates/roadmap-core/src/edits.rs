//! A learner's changes to their plan's roadmap, under the calm plan's footprint rule.
//!
//! Each edit ([`TopicEdit`]) is checked by the roadmap's validator on the plan's own copy
//! ([`Roadmap::for_plan`](crate::Roadmap::for_plan)) and changes only the sessions of the topic
//! it is about:
//! - a topic added, or its estimate or prerequisites changed: its sessions still to come that
//!   the schedule placed are planned again, in the time left free after its prerequisites'
//!   last session; every other session stays where it is (a session that would come back
//!   exactly where it was keeps its id, so no calendar sees it go and come back);
//! - its title, summary or resources changed: no session changes;
//! - a topic removed: its sessions still to come are cancelled. A topic with study recorded
//!   (a session checked off, study logged, a review rated, a done mark) can be skipped, not
//!   removed, so that record keeps its topic.
//!
//! Every edit can be taken back ([`SavedPlan::undo_edit`]), on its own, by the same rule: the
//! plan's roadmap without it, and the sessions of its topic placed again.

use crate::api::{SessionStatus, TopicMark};
use crate::clock::{Clock, WallTime};
use crate::content::{OWN_PREFIX, TopicChange, TopicEdit, own_id};
use crate::error::CoreError;
use crate::saved::{Change, SavedPlan};

impl SavedPlan {
    /// Adds, changes or removes a topic of the plan's roadmap; the changes that make it so.
    /// A topic added without an id gets one made from its title (`own-…`).
    pub fn edit_roadmap(&self, edit: TopicEdit, clock: &Clock) -> Result<Vec<Change>, CoreError> {
        let edit = match edit {
            TopicEdit::Add { mut topic } if topic.id.is_empty() => {
                topic.id = own_id(&topic.title, |id| {
                    self.roadmap.any_topic(id).is_some()
                        || self.settings.edits.iter().any(|e| e.topic() == id)
                });
                TopicEdit::Add { topic }
            }
            other => other,
        };
        match &edit {
            TopicEdit::Add { topic } if !topic.id.starts_with(OWN_PREFIX) => {
                return Err(CoreError::InvalidSettings(format!(
                    "a topic you add has an id that starts with {OWN_PREFIX:?} (got {:?}), so that no update of the roadmap can take it",
                    topic.id
                )));
            }
            TopicEdit::Change { id, change } => {
                self.require_topic(id)?;
                if *change == TopicChange::default() {
                    return Err(CoreError::InvalidSettings(format!(
                        "the change to {id:?} changes nothing; give a title, summary, hours, requires or resources"
                    )));
                }
            }
            TopicEdit::Remove { id } => {
                self.require_topic(id)?;
                self.require_unrecorded(id)?;
                let needed: Vec<&str> = self
                    .roadmap
                    .topics
                    .iter()
                    .filter(|t| t.requires.iter().any(|r| r == id))
                    .map(|t| t.title.as_str())
                    .collect();
                if !needed.is_empty() {
                    return Err(CoreError::Refused(format!(
                        "{} is required by {}; change what they require first (or skip it, which keeps them as they are)",
                        self.title(id),
                        needed.join(", ")
                    )));
                }
            }
            TopicEdit::Add { .. } => {}
        }
        let topic = edit.topic().to_string();
        let mut edits = self.settings.edits.clone();
        edits.push(edit);
        self.set_edits(edits, &topic, clock)
    }

    /// Takes back the edit at `index` of the plan's list (the first is 0), whatever came
    /// after it; refused when a later edit needs it (a change to a topic it added).
    pub fn undo_edit(&self, index: usize, clock: &Clock) -> Result<Vec<Change>, CoreError> {
        let Some(edit) = self.settings.edits.get(index) else {
            return Err(CoreError::NotFound(format!(
                "the plan has no change {} to its roadmap (it has {})",
                index + 1,
                self.settings.edits.len()
            )));
        };
        let topic = edit.topic().to_string();
        let mut edits = self.settings.edits.clone();
        edits.remove(index);
        self.set_edits(edits, &topic, clock).map_err(|e| match e {
            CoreError::Refused(_) => e,
            other => CoreError::Refused(format!(
                "that change cannot be taken back on its own: without it, {other}; take back the later change to {topic:?} first"
            )),
        })
    }

    /// The plan with `edits` as its changes to the roadmap, `topic` being the one whose
    /// sessions that may change.
    fn set_edits(
        &self,
        edits: Vec<TopicEdit>,
        topic: &str,
        clock: &Clock,
    ) -> Result<Vec<Change>, CoreError> {
        let roadmap = self.roadmap.for_plan(&self.settings.chosen, &edits)?;
        let before = self.roadmap.topic(topic);
        let after = roadmap.topic(topic);
        if before.is_some() && after.is_none() {
            self.require_unrecorded(topic)?;
        }
        let mut changes = vec![Change::SetEdits { edits }];
        let moves = match (before, after) {
            (Some(b), Some(a)) => b.hours != a.hours || b.requires != a.requires,
            (None, None) => false,
            _ => true,
        };
        if !moves {
            return Ok(changes);
        }
        // Its sessions still to come that the schedule placed, its reviews included (they follow
        // its last session); all of them once it is gone.
        let cutoff = clock.cutoff();
        let cancelled: Vec<i64> = self
            .sessions
            .iter()
            .filter(|s| {
                s.topic == topic
                    && s.status == SessionStatus::Planned
                    && s.wall() >= cutoff
                    && (after.is_none() || !s.pinned)
            })
            .map(|s| s.id)
            .collect();
        changes.extend(cancelled.iter().map(|&id| Change::CancelSession { id }));
        let Some(t) = after else {
            return Ok(changes);
        };
        let mut edited = self.clone();
        edited.apply(&changes, clock);
        // After its prerequisites' last session.
        let from = t
            .requires
            .iter()
            .filter_map(|r| {
                edited
                    .sessions
                    .iter()
                    .filter(|s| {
                        &s.topic == r && s.status != SessionStatus::Cancelled && s.is_study()
                    })
                    .map(|s| s.end())
                    .max()
            })
            .max()
            .unwrap_or(WallTime {
                date: self.settings.start,
                minute: 0,
            });
        let placed = edited.place_topic(topic, from, clock)?;
        changes.extend(placed);
        let (_, changes) = self.unchurned(
            changes,
            |c| match c {
                Change::CancelSession { id } => Some(*id),
                _ => None,
            },
            |c| match c {
                Change::AddSession { session, .. } => Some(session),
                _ => None,
            },
        );
        Ok(changes)
    }

    /// Refused when `topic` has study recorded: the record would lose its topic.
    fn require_unrecorded(&self, topic: &str) -> Result<(), CoreError> {
        let checked = self
            .sessions
            .iter()
            .filter(|s| {
                s.topic == topic && matches!(s.status, SessionStatus::Done | SessionStatus::Partial)
            })
            .count();
        let logged: u32 = self
            .logs
            .iter()
            .filter(|l| l.topic == topic)
            .map(|l| l.minutes)
            .sum();
        let rated = self.recalls.iter().filter(|r| r.topic == topic).count();
        let done = self
            .marks
            .get(topic)
            .is_some_and(|m| m.mark == TopicMark::Done);
        if checked == 0 && logged == 0 && rated == 0 && !done {
            return Ok(());
        }
        let mut what = Vec::new();
        if checked > 0 {
            what.push(format!(
                "{checked} session{} checked off",
                if checked == 1 { "" } else { "s" }
            ));
        }
        if logged > 0 {
            what.push(format!("{:.1} h logged", f64::from(logged) / 60.0));
        }
        if rated > 0 {
            what.push(format!(
                "{rated} review{} rated",
                if rated == 1 { "" } else { "s" }
            ));
        }
        if done {
            what.push("marked done".to_string());
        }
        Err(CoreError::Refused(format!(
            "{} has study recorded ({}): a topic with recorded study can be skipped, not removed, so that the record keeps its topic",
            self.title(topic),
            what.join(", ")
        )))
    }
}
