//! The `calendar_feed` table: whether the app serves the plan as a calendar feed on
//! 127.0.0.1, on which port, behind which secret token, and with which reminders.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::StoreError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSettings {
    pub enabled: bool,
    pub port: u16,
    pub token: String,
    pub alarm_minutes: Option<u32>,
}

pub fn get(conn: &Connection) -> Result<Option<FeedSettings>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT enabled, port, token, alarm_minutes FROM calendar_feed WHERE id = 1",
            [],
            |r| {
                Ok(FeedSettings {
                    enabled: r.get(0)?,
                    port: r.get(1)?,
                    token: r.get(2)?,
                    alarm_minutes: r.get(3)?,
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
        "INSERT INTO calendar_feed (id, enabled, port, token, alarm_minutes) VALUES (1, ?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET enabled = ?1, port = ?2, token = ?3, alarm_minutes = ?4",
        params![feed.enabled, feed.port, feed.token, feed.alarm_minutes],
    )?;
    Ok(())
}
