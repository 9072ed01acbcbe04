//! Switching a running plan to another option of its roadmap's choice (another language
//! track).
//!
//! A switch is a replan the learner asks for by name, previewed first: the plan's roadmap
//! becomes the one with the new option chosen; the old option's sessions still to come are
//! cancelled (pinned ones too: they were that track's work); everything the learner recorded
//! stays (sessions checked off, logs, marks, ratings), so a shared topic half done stays half
//! done; and the work left is planned again from now, as a replan does, with the new option's
//! topics in it. The old option's topics leave the plan's roadmap; what was studied of them is
//! still in the plan's history, under its title ([`Roadmap::any_topic`]).
//!
//! A switch cannot be undone by the replan undo (the record is forgotten); switching back is
//! the way back, and it keeps what was recorded in the meantime.

use crate::api::{ReplanPolicy, ReplanPreview, SessionStatus};
use crate::clock::Clock;
use crate::content::Roadmap;
use crate::error::CoreError;
use crate::saved::{Change, SavedPlan, session_changes};

impl SavedPlan {
    /// What switching to `option` would do from now, and the changes that make it so.
    pub fn switch_track(
        &self,
        option: &str,
        clock: &Clock,
    ) -> Result<(ReplanPreview, Vec<Change>), CoreError> {
        // The option must be one the roadmap offers; the learner's edits go with the plan.
        self.roadmap.choose(option)?;
        let Some(choice) = self
            .roadmap
            .choices
            .iter()
            .find(|c| c.options.iter().any(|o| o.id == option))
        else {
            return Err(CoreError::NotFound(format!(
                "the plan's roadmap offers no option {option:?}"
            )));
        };
        if choice.chosen == option {
            let title = choice
                .options
                .iter()
                .find(|o| o.id == option)
                .map_or(option, |o| o.title.as_str());
            return Err(CoreError::Refused(format!(
                "the plan already follows {title} ({}); nothing was changed",
                choice.title
            )));
        }
        let mut chosen: Vec<String> = self
            .settings
            .chosen
            .iter()
            .filter(|o| !choice.options.iter().any(|c| &&c.id == o))
            .cloned()
            .collect();
        chosen.push(option.to_string());
        // The new track's roadmap, with the learner's edits: refused when one of them cannot
        // stand on it (a topic of theirs requires one only the old track has).
        let switched: Roadmap = self
            .roadmap
            .for_plan(&chosen, &self.settings.edits)
            .map_err(|e| {
                CoreError::Refused(format!(
                    "your changes to the roadmap do not fit the new track: {e}; take back the change that names a topic of the old track first"
                ))
            })?;
        let mut changes = vec![Change::SetChosen { chosen }];
        // The old option's sessions still to come: that track's work, no longer the plan's.
        let cutoff = clock.cutoff();
        changes.extend(
            self.sessions
                .iter()
                .filter(|s| {
                    s.status == SessionStatus::Planned
                        && s.wall() >= cutoff
                        && switched.topic(&s.topic).is_none()
                })
                .map(|s| Change::CancelSession { id: s.id }),
        );
        let mut on_new = self.clone();
        on_new.apply(&changes, clock);
        let (preview, replanned) = on_new.reschedule_all(ReplanPolicy::Extend, clock)?;
        changes.extend(replanned);
        // The replan record was made for the old track's roadmap: it can no longer be taken back.
        changes.push(Change::RememberReplan { undo: None });
        let mut after = self.clone();
        after.apply(&changes, clock);
        let diff = session_changes(&self.sessions, &after.sessions);
        let count =
            |f: fn(&crate::api::SessionChange) -> bool| diff.iter().filter(|c| f(c)).count() as u32;
        let preview = ReplanPreview {
            projected_end_before: self.record().projected_end(),
            moved: count(|c| c.before.is_some() && c.after.is_some()),
            added: count(|c| c.before.is_none()),
            cancelled: count(|c| c.after.is_none()),
            changes: diff,
            ..preview
        };
        Ok((preview, changes))
    }
}
