//! The `caldav_account` table: the one saved CalDAV connection and the report of its last
//! sync. Finding the calendar, the password and every request are `roadmap_app::caldav`'s.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use roadmap_core::api::{CaldavStatus, SyncReport};

use crate::StoreError;

/// The saved connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub server: String,
    pub user: String,
    pub calendar_url: String,
    pub calendar_name: String,
    pub connected_at: String,
    pub last_sync: Option<String>,
    pub last_report: Option<SyncReport>,
}

/// The saved connection, if there is one.
pub fn get(conn: &Connection) -> Result<Option<Account>, StoreError> {
    let row = conn
        .query_row(
            "SELECT server, user, calendar_url, calendar_name, connected_at, last_sync, last_report
             FROM caldav_account WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                ))
            },
        )
        .optional()?;
    let Some((server, user, calendar_url, calendar_name, connected_at, last_sync, report)) = row
    else {
        return Ok(None);
    };
    let last_report = match report {
        Some(text) => Some(
            serde_json::from_str(&text)
                .map_err(|e| StoreError::Corrupt(format!("the last CalDAV sync's report: {e}")))?,
        ),
        None => None,
    };
    Ok(Some(Account {
        server,
        user,
        calendar_url,
        calendar_name,
        connected_at,
        last_sync,
        last_report,
    }))
}

/// The connection as the window and `roadmap caldav status` show it.
pub fn status(conn: &Connection) -> Result<Option<CaldavStatus>, StoreError> {
    let Some(a) = get(conn)? else {
        return Ok(None);
    };
    let objects: i64 = conn.query_row("SELECT count(*) FROM caldav_objects", [], |r| r.get(0))?;
    Ok(Some(CaldavStatus {
        server: a.server,
        user: a.user,
        calendar: a.calendar_name,
        calendar_url: a.calendar_url,
        objects: u32::try_from(objects).unwrap_or(u32::MAX),
        last_sync: a.last_sync,
        last_report: a.last_report,
    }))
}

/// Saves the connection to the calendar at `calendar_url`. Another calendar than before
/// starts afresh: nothing of what was synced to the old one applies to it.
pub fn save(
    tx: &Transaction<'_>,
    server: &str,
    user: &str,
    calendar_url: &str,
    calendar_name: &str,
    connected_at: &str,
) -> Result<(), StoreError> {
    let before: Option<String> = tx
        .query_row(
            "SELECT calendar_url FROM caldav_account WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if before.as_deref() != Some(calendar_url) {
        tx.execute("DELETE FROM caldav_objects", [])?;
    }
    tx.execute(
        "INSERT INTO caldav_account (id, server, user, calendar_url, calendar_name, connected_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET server = ?1, user = ?2, calendar_url = ?3,
             calendar_name = ?4, connected_at = ?5",
        params![server, user, calendar_url, calendar_name, connected_at],
    )?;
    Ok(())
}

/// Forgets the connection and everything synced through it.
pub fn remove(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute("DELETE FROM caldav_objects", [])?;
    tx.execute("DELETE FROM caldav_account", [])?;
    Ok(())
}

/// Records the report of the sync that ran at `at`, finished or not.
pub fn save_report(conn: &Connection, at: &str, report: &SyncReport) -> Result<(), StoreError> {
    let text = serde_json::to_string(report)
        .map_err(|e| StoreError::Corrupt(format!("a sync report could not be written: {e}")))?;
    conn.execute(
        "UPDATE caldav_account SET last_sync = ?1, last_report = ?2 WHERE id = 1",
        params![at, text],
    )?;
    Ok(())
}
