//! Making a plan: the setup screen's preview, and "Create plan" (`roadmap plan --save`).

use std::sync::Arc;

use chrono::{DateTime, Utc};

use roadmap_core::Roadmap;
use roadmap_core::api::{PlanPreview, PlanSettings};
use roadmap_core::saved::SavedPlan;
use roadmap_core::schedule::planner::Plan;
use roadmap_store::{plans, roadmaps};

use crate::{AppError, Db, busy, clock};

/// Where the roadmap a plan is made from comes from.
#[derive(Debug, Clone, Copy)]
pub enum RoadmapSource<'a> {
    /// The roadmap that ships with the app.
    Bundled,
    /// A roadmap already kept in the database (the file the learner opened in the app).
    Kept(i64),
    /// A file read just now: its path and text are kept with the plan, which then never
    /// depends on a file that may move.
    File { path: &'a str, text: &'a str },
}

/// Schedules `roadmap` with `settings` from `now` on, in the time zone `zone`, around the busy
/// calendars, and saves it as the current plan (its roadmap becoming the current one), in one
/// IMMEDIATE transaction. Returns the saved plan and the schedule it was made from.
pub fn create(
    db: &Db,
    roadmap: Arc<Roadmap>,
    source: RoadmapSource<'_>,
    settings: &PlanSettings,
    zone: &str,
    now: DateTime<Utc>,
) -> Result<(Arc<SavedPlan>, Plan), AppError> {
    let mut schedule = None;
    let saved = db.replace(|tx| {
        let roadmap_id = match source {
            RoadmapSource::Bundled => {
                roadmaps::use_bundled(tx)?;
                None
            }
            RoadmapSource::Kept(id) => Some(id),
            RoadmapSource::File { path, text } => {
                Some(roadmaps::insert_current(tx, path, text, &clock::stamp(now))?.id)
            }
        };
        let (saved, plan) = plans::create_scheduled(tx, roadmap, roadmap_id, settings, zone, now)?;
        schedule = Some(plan);
        Ok(saved)
    })?;
    // `replace` returns only once the closure ran and committed.
    let schedule = schedule.ok_or(AppError::Interrupted)?;
    Ok((saved, schedule))
}

/// What a plan with `settings` would be, around the busy calendars; nothing is saved.
pub fn preview(
    db: &Db,
    roadmap: &Roadmap,
    settings: &PlanSettings,
) -> Result<PlanPreview, AppError> {
    let now = crate::clock::now()?;
    let today = now.with_timezone(&db.zone()?).date_naive();
    Ok(settings.preview(roadmap, &busy::local_stretches(db)?, today)?)
}
