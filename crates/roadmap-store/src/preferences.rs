//! The `preferences` row: the learner's choices about the app itself, apart from any plan
//! (reminders, the tray).

use rusqlite::{Connection, Transaction, params};

use crate::StoreError;

/// The longest reminder lead: a week.
pub const MAX_REMINDER_MINUTES: u32 = 7 * 24 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Preferences {
    /// Minutes before each session and review; `None`: no reminders.
    pub reminder_minutes: Option<u32>,
    /// Whether the learner has chosen (reminders stay off until they do).
    pub reminders_chosen: bool,
    /// Whether closing the window keeps the app running in the tray.
    pub keep_in_tray: bool,
}

pub fn get(conn: &Connection) -> Result<Preferences, StoreError> {
    Ok(conn.query_row(
        "SELECT reminder_minutes, reminders_chosen, keep_in_tray FROM preferences WHERE id = 1",
        [],
        |r| {
            Ok(Preferences {
                reminder_minutes: r.get(0)?,
                reminders_chosen: r.get(1)?,
                keep_in_tray: r.get(2)?,
            })
        },
    )?)
}

pub fn set(tx: &Transaction<'_>, p: &Preferences) -> Result<(), StoreError> {
    if p.reminder_minutes.is_some_and(|m| m > MAX_REMINDER_MINUTES) {
        return Err(StoreError::Invalid(format!(
            "a reminder is at most {MAX_REMINDER_MINUTES} minutes ahead"
        )));
    }
    tx.execute(
        "INSERT INTO preferences (id, reminder_minutes, reminders_chosen, keep_in_tray)
         VALUES (1, ?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET reminder_minutes = ?1, reminders_chosen = ?2, keep_in_tray = ?3",
        params![p.reminder_minutes, p.reminders_chosen, p.keep_in_tray],
    )?;
    Ok(())
}
