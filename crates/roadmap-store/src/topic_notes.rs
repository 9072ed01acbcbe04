//! The `topic_notes` table: what the user writes about a topic, kept across plans.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::StoreError;
use crate::plans::StoredPlan;

/// The longest note kept, in characters (the core's rule, which the window counts against).
pub const MAX_NOTE_CHARS: usize = roadmap_core::api::MAX_TOPIC_NOTE_CHARS;

/// The note on `topic`, or an empty one.
pub fn get(conn: &Connection, topic: &str) -> Result<String, StoreError> {
    Ok(conn
        .query_row(
            "SELECT text FROM topic_notes WHERE topic_id = ?1",
            [topic],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default())
}

/// Saves the note on `topic`; an empty note removes it.
pub fn set(
    tx: &Transaction<'_>,
    plan: &StoredPlan,
    topic: &str,
    text: &str,
    now: &str,
) -> Result<(), StoreError> {
    plan.require_topic(topic)?;
    let chars = text.chars().count();
    if chars > MAX_NOTE_CHARS {
        return Err(StoreError::Invalid(format!(
            "the note has {chars} characters; the most a note keeps is {MAX_NOTE_CHARS}"
        )));
    }
    if text.trim().is_empty() {
        tx.execute("DELETE FROM topic_notes WHERE topic_id = ?1", [topic])?;
    } else {
        tx.execute(
            "INSERT INTO topic_notes (topic_id, text, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (topic_id) DO UPDATE SET text = ?2, updated_at = ?3",
            params![topic, text, now],
        )?;
    }
    Ok(())
}
