//! No password in an address: the app refuses addresses with `user:password@` in them, and
//! this removes any that an earlier version stored (the CalDAV server and calendar, busy
//! calendars' addresses), in the database and in its backups.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::{StoreError, backup};

/// `address` without the `user[:password]@` after its `scheme://`, when it has one.
pub fn without_userinfo(address: &str) -> Option<String> {
    let scheme_end = address.find("://")? + 3;
    let rest = &address[scheme_end..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let at = rest[..authority_end].rfind('@')?;
    Some(format!("{}{}", &address[..scheme_end], &rest[at + 1..]))
}

/// A CalDAV account whose server address held a user name or password: the address as it was
/// (the system keyring's entry for the account is named by it) and as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    pub was: String,
    pub now: String,
    pub user: String,
}

/// Removes the user names and passwords stored in addresses; returns how many were.
pub fn strip(conn: &Connection) -> Result<usize, StoreError> {
    Ok(strip_reporting(conn)?.0)
}

/// [`strip`], and the CalDAV accounts whose server address it rewrote.
fn strip_reporting(conn: &Connection) -> Result<(usize, Vec<Rewritten>), StoreError> {
    let mut accounts = Vec::new();
    {
        let mut stmt =
            conn.prepare("SELECT server, user FROM caldav_account WHERE server LIKE '%://%@%'")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (was, user) = row?;
            if let Some(now) = without_userinfo(&was) {
                accounts.push(Rewritten { was, now, user });
            }
        }
    }
    let mut changed = 0;
    for (table, column) in [
        ("caldav_account", "server"),
        ("caldav_account", "calendar_url"),
        ("busy_calendars", "source"),
    ] {
        let rows: Vec<(i64, String)> = {
            let mut stmt = conn.prepare(&format!(
                "SELECT rowid, {column} FROM {table} WHERE {column} LIKE '%://%@%'"
            ))?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?
        };
        for (rowid, address) in rows {
            if let Some(clean) = without_userinfo(&address) {
                conn.execute(
                    &format!("UPDATE {table} SET {column} = ?1 WHERE rowid = ?2"),
                    rusqlite::params![clean, rowid],
                )?;
                changed += 1;
            }
        }
    }
    Ok((changed, accounts))
}

/// [`strip`] on the database at `db`, and, when it held any, on each of its backups too
/// (rewritten in place, each in one transaction; one that cannot be opened is left as it is).
/// Returns the CalDAV accounts rewritten, for the caller to move their keyring entries.
pub fn strip_everywhere(conn: &Connection, db: &Path) -> Result<Vec<Rewritten>, StoreError> {
    let (changed, accounts) = strip_reporting(conn)?;
    if changed > 0 {
        for b in backup::list(db)? {
            let path = backup::folder(db).join(&b.name);
            if let Ok(mut copy) =
                Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_WRITE)
                && let Ok(tx) = copy.transaction()
                && strip(&tx).is_ok()
            {
                let _ = tx.commit();
            }
        }
    }
    Ok(accounts)
}
