//! The `caldav_objects` table: what was last synced of each object on the CalDAV server (see
//! `roadmap_core::caldav::Synced`). Each row is written as soon as its step is done, so a
//! sync cut short goes on from there the next time.

use rusqlite::{Connection, params};

use roadmap_core::caldav::{Synced, Target};

use crate::StoreError;

/// Every synced object, by uid.
pub fn list(conn: &Connection) -> Result<Vec<Synced>, StoreError> {
    let mut q = conn.prepare(
        "SELECT uid, target, name, etag, hash, state, pending FROM caldav_objects ORDER BY uid",
    )?;
    let rows = q.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (uid, target, name, etag, hash, state, pending) = row?;
        let target = Target::from_key(&target).ok_or_else(|| {
            StoreError::Corrupt(format!("synced object {uid} has no target ({target:?})"))
        })?;
        out.push(Synced {
            uid,
            target,
            name,
            etag,
            hash,
            state,
            pending,
        });
    }
    Ok(out)
}

/// Saves what was synced of one object (added, or in place of what was).
pub fn save(conn: &Connection, s: &Synced) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO caldav_objects (uid, target, name, etag, hash, state, pending)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (uid) DO UPDATE SET target = ?2, name = ?3, etag = ?4, hash = ?5,
             state = ?6, pending = ?7",
        params![
            s.uid,
            s.target.key(),
            s.name,
            s.etag,
            s.hash,
            s.state,
            s.pending
        ],
    )?;
    Ok(())
}

/// Forgets the object `uid` (gone from the server and from the plan).
pub fn forget(conn: &Connection, uid: &str) -> Result<(), StoreError> {
    conn.execute("DELETE FROM caldav_objects WHERE uid = ?1", [uid])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a sync saves of each object comes back field for field, the state of a write not
    /// yet answered included (it tells a lost answer from a change made elsewhere).
    #[test]
    fn the_sync_state_of_an_object_reads_back_as_saved() {
        let conn = crate::open_in_memory().expect("open");
        let first = Synced {
            uid: "session-1@roadmap".into(),
            target: Target::Session(1),
            name: "session-1.ics".into(),
            etag: "\"e1\"".into(),
            hash: "h1".into(),
            state: "20270104T180000Z".into(),
            pending: "20270106T180000Z".into(),
        };
        let second = Synced {
            uid: "topic-sql@roadmap".into(),
            target: Target::Topic("sql".into()),
            name: "topic-sql.ics".into(),
            etag: "\"e2\"".into(),
            hash: String::new(),
            state: "open".into(),
            pending: String::new(),
        };
        save(&conn, &first).expect("save");
        save(&conn, &second).expect("save");
        assert_eq!(
            list(&conn).expect("read"),
            vec![first.clone(), second.clone()]
        );
        // Saved again: the answer came, nothing is pending any more.
        let answered = Synced {
            etag: "\"e3\"".into(),
            state: first.pending.clone(),
            pending: String::new(),
            ..first
        };
        save(&conn, &answered).expect("save");
        assert_eq!(list(&conn).expect("read"), vec![answered, second.clone()]);
        forget(&conn, "session-1@roadmap").expect("forget");
        assert_eq!(list(&conn).expect("read"), vec![second]);
    }
}
