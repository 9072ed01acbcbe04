//! The `calendar_feed` table: whether the app serves the plan as a calendar feed on
//! 127.0.0.1, on which port, and behind which secret token (its reminders are
//! [`crate::preferences`]').

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::StoreError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSettings {
    pub enabled: bool,
    pub port: u16,
    pub token: String,
}

pub fn get(conn: &Connection) -> Result<Option<FeedSettings>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT enabled, port, token FROM calendar_feed WHERE id = 1",
            [],
            |r| {
                Ok(FeedSettings {
                    enabled: r.get(0)?,
                    port: r.get(1)?,
                    token: r.get(2)?,
                })
            },
        )
        .optional()?)
}

pub fn set(tx: &Transaction<'_>, feed: &FeedSettings) -> Result<(), StoreError> {
    if feed.token.len() < 32 || !feed.token.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(StoreError::Invalid(
            "the feed token must be at least 32 letters and digits".into(),
        ));
    }
    tx.execute(
        "INSERT INTO calendar_feed (id, enabled, port, token) VALUES (1, ?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET enabled = ?1, port = ?2, token = ?3",
        params![feed.enabled, feed.port, feed.token],
    )?;
    Ok(())
}
