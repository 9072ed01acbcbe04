//! Which roadmap new plans are made from: a file the learner opened (its text kept in the
//! database, so a plan never depends on a file that may move), or the bundled one.

use std::path::Path;

use chrono::{DateTime, Utc};

use roadmap_core::Roadmap;
use roadmap_core::content::ContentErrors;
use roadmap_store::roadmaps;

use crate::{AppError, Db, clock};

/// A roadmap file, read and checked.
pub enum Opened {
    /// Valid: now the current roadmap, kept as row `id`.
    Loaded {
        roadmap: Roadmap,
        source: String,
        id: i64,
    },
    /// Not valid: nothing changed; every problem, located.
    Invalid { file: String, errors: ContentErrors },
}

/// Reads the roadmap at `path` (outside the database), validates it, and when it is valid
/// keeps its text as the current roadmap.
pub fn open_file(db: &Db, path: &Path, now: DateTime<Utc>) -> Result<Opened, AppError> {
    let text = crate::files::read_text(path, roadmap_core::content::MAX_FILE_BYTES as u64)?;
    let source = path.display().to_string();
    let roadmap = match Roadmap::parse(&source, &text) {
        Ok(r) => r,
        Err(errors) => {
            return Ok(Opened::Invalid {
                file: source,
                errors,
            });
        }
    };
    let stored = db.write(|tx| {
        Ok(roadmaps::insert_current(
            tx,
            &source,
            &text,
            &clock::stamp(now),
        )?)
    })?;
    Ok(Opened::Loaded {
        roadmap,
        source,
        id: stored.id,
    })
}

/// Goes back to the roadmap the current plan was made from (the bundled one without a plan).
pub fn use_plans(db: &Db) -> Result<(), AppError> {
    db.write(|tx| Ok(roadmaps::use_plans(tx)?))
}

/// Goes back to the roadmap that ships with the app.
pub fn use_bundled(db: &Db) -> Result<Roadmap, AppError> {
    db.write(|tx| Ok(roadmaps::use_bundled(tx)?))?;
    Ok(Roadmap::bundled().map_err(roadmap_core::CoreError::from)?)
}

/// Adds, changes or removes a topic of the current plan's roadmap (its own copy), decided
/// inside the transaction that writes it: only that topic's sessions change.
pub fn edit_topic(
    db: &Db,
    now: DateTime<Utc>,
    edit: roadmap_core::content::TopicEdit,
) -> Result<std::sync::Arc<roadmap_core::saved::SavedPlan>, AppError> {
    db.change(now, |plan, clock| Ok(plan.edit_roadmap(edit, clock)?))
}

/// Takes back the plan's change to its roadmap at `index` (the first is 0).
pub fn undo_edit(
    db: &Db,
    now: DateTime<Utc>,
    index: usize,
) -> Result<std::sync::Arc<roadmap_core::saved::SavedPlan>, AppError> {
    db.change(now, |plan, clock| Ok(plan.undo_edit(index, clock)?))
}

/// Writes the current plan's roadmap, with the learner's changes, as a roadmap file at `path`
/// (atomically): a file `roadmap validate` accepts and a new plan can be made from.
pub fn export_plan_roadmap(db: &Db, path: &Path) -> Result<(), AppError> {
    let text = db.require_plan()?.roadmap.to_toml();
    crate::export::write_atomically(path, text.as_bytes())
}
