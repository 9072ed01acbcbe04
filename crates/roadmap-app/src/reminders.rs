//! The one reminder setting: minutes before each session and review, or none. Exports, the
//! live feed, CalDAV and the desktop's notifications all read it when they run, so a change
//! reaches each at once.

use roadmap_store::preferences::{self, MAX_REMINDER_MINUTES, Preferences};

use crate::{AppError, Db};

/// The learner's choices about the app.
pub fn get(db: &Db) -> Result<Preferences, AppError> {
    db.read(|conn| Ok(preferences::get(conn)?))
}

/// Reminders `minutes` before (or none): the learner's choice from now on.
pub fn set(db: &Db, minutes: Option<u32>) -> Result<Preferences, AppError> {
    if let Some(m) = minutes
        && m > MAX_REMINDER_MINUTES
    {
        return Err(AppError::ReminderTooEarly {
            minutes: m,
            most: MAX_REMINDER_MINUTES,
        });
    }
    db.write(|tx| {
        let mut p = preferences::get(tx)?;
        p.reminder_minutes = minutes;
        p.reminders_chosen = true;
        preferences::set(tx, &p)?;
        Ok(p)
    })
}

/// Whether closing the window keeps the app in the tray.
pub fn set_keep_in_tray(db: &Db, keep: bool) -> Result<Preferences, AppError> {
    db.write(|tx| {
        let mut p = preferences::get(tx)?;
        p.keep_in_tray = keep;
        preferences::set(tx, &p)?;
        Ok(p)
    })
}

/// The reminder lead in force.
pub fn minutes(db: &Db) -> Result<Option<u32>, AppError> {
    Ok(get(db)?.reminder_minutes)
}
