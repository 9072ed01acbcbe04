//! The schema, as an append-only list of migrations tracked in `PRAGMA user_version`.
//!
//! Never edit a migration that has shipped: add a new one at the end.

use std::path::Path;

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

use crate::StoreError;

const MIGRATIONS: &[M<'static>] = &[
    // 1: plans and the dated spread of their steps.
    M::up(
        "CREATE TABLE plans (
            id            INTEGER PRIMARY KEY,
            created_at    TEXT NOT NULL,
            roadmap_title TEXT NOT NULL,
            start_date    TEXT NOT NULL,
            months        INTEGER NOT NULL CHECK (months BETWEEN 1 AND 120),
            target_end    TEXT NOT NULL,
            is_current    INTEGER NOT NULL DEFAULT 0 CHECK (is_current IN (0, 1))
        ) STRICT;
        CREATE UNIQUE INDEX plans_one_current ON plans (is_current) WHERE is_current = 1;
        CREATE TABLE plan_steps (
            plan_id    INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
            position   INTEGER NOT NULL,
            step_id    TEXT NOT NULL,
            title      TEXT NOT NULL,
            start_date TEXT NOT NULL,
            end_date   TEXT NOT NULL,
            hours      REAL NOT NULL,
            PRIMARY KEY (plan_id, position)
        ) STRICT;",
    ),
    // 2: the roadmap a plan was made from, kept as text so the plan never depends on a file
    // that may move or change.
    M::up(
        "CREATE TABLE roadmaps (
            id         INTEGER PRIMARY KEY,
            source     TEXT NOT NULL,
            text       TEXT NOT NULL,
            loaded_at  TEXT NOT NULL,
            is_current INTEGER NOT NULL DEFAULT 0 CHECK (is_current IN (0, 1))
        ) STRICT;
        CREATE UNIQUE INDEX roadmaps_one_current ON roadmaps (is_current) WHERE is_current = 1;
        ALTER TABLE plans ADD COLUMN roadmap_id INTEGER REFERENCES roadmaps (id);",
    ),
    // 3: plans made of study sessions. A plan's settings (its own table, so `months` can be
    // absent); sessions with stable ids and a revision that rises when their time changes,
    // cancelled rather than deleted; topic marks, logged study and weekly goals.
    // Plans made before this migration keep their rows but have no settings, so they are no
    // longer current: the app asks for a new plan.
    M::up(
        "CREATE TABLE plan_settings (
            plan_id          INTEGER PRIMARY KEY REFERENCES plans (id) ON DELETE CASCADE,
            months           INTEGER CHECK (months IS NULL OR months BETWEEN 6 AND 24),
            availability     TEXT NOT NULL,
            blackouts        TEXT NOT NULL,
            session_min      INTEGER NOT NULL CHECK (session_min > 0),
            session_max      INTEGER NOT NULL CHECK (session_max >= session_min),
            include_optional INTEGER NOT NULL CHECK (include_optional IN (0, 1)),
            revised_at       TEXT NOT NULL
        ) STRICT;
        CREATE TABLE sessions (
            id           INTEGER PRIMARY KEY,
            plan_id      INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
            topic_id     TEXT NOT NULL,
            date         TEXT NOT NULL,
            start        TEXT NOT NULL,
            minutes      INTEGER NOT NULL CHECK (minutes > 0),
            status       TEXT NOT NULL DEFAULT 'planned'
                         CHECK (status IN ('planned', 'done', 'partial', 'missed', 'cancelled')),
            done_minutes INTEGER NOT NULL DEFAULT 0 CHECK (done_minutes >= 0),
            pinned       INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
            revision     INTEGER NOT NULL DEFAULT 0 CHECK (revision >= 0),
            updated_at   TEXT NOT NULL
        ) STRICT;
        CREATE INDEX sessions_by_plan ON sessions (plan_id, date, start);
        CREATE TABLE topic_marks (
            plan_id   INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
            topic_id  TEXT NOT NULL,
            mark      TEXT NOT NULL CHECK (mark IN ('done', 'skipped')),
            marked_at TEXT NOT NULL,
            PRIMARY KEY (plan_id, topic_id)
        ) STRICT;
        CREATE TABLE study_log (
            id        INTEGER PRIMARY KEY,
            plan_id   INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
            topic_id  TEXT NOT NULL,
            date      TEXT NOT NULL,
            minutes   INTEGER NOT NULL CHECK (minutes > 0),
            logged_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE week_goals (
            plan_id        INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
            week           TEXT NOT NULL,
            topics         TEXT NOT NULL,
            target_minutes INTEGER NOT NULL CHECK (target_minutes >= 0),
            review_outcome TEXT CHECK (review_outcome IN ('done', 'partly', 'blocked')),
            review_note    TEXT,
            closed_at      TEXT,
            PRIMARY KEY (plan_id, week)
        ) STRICT;
        UPDATE plans SET is_current = 0;",
    ),
    // 4: the user's notes on topics, kept across plans (a note is about the topic, not about
    // when it is studied).
    M::up(
        "CREATE TABLE topic_notes (
            topic_id   TEXT PRIMARY KEY,
            text       TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;",
    ),
    // 5: the time zone a plan's local times are in (absent for plans made before it was
    // recorded: exports then use the zone of the machine), and the calendar feed's settings.
    M::up(
        "ALTER TABLE plan_settings ADD COLUMN time_zone TEXT;
        CREATE TABLE calendar_feed (
            id            INTEGER PRIMARY KEY CHECK (id = 1),
            enabled       INTEGER NOT NULL CHECK (enabled IN (0, 1)),
            port          INTEGER NOT NULL CHECK (port BETWEEN 1024 AND 65535),
            token         TEXT NOT NULL,
            alarm_minutes INTEGER CHECK (alarm_minutes IS NULL OR alarm_minutes BETWEEN 0 AND 10080)
        ) STRICT;",
    ),
    // 6: the steps the learner knew something of when the plan was made (one id a line): their
    // topics' estimates start lower for as long as the plan lives.
    M::up("ALTER TABLE plan_settings ADD COLUMN some_steps TEXT NOT NULL DEFAULT '';"),
    // 7: spaced review. A session is study or a review; the share of the week review may take;
    // every grade the learner gave a review (the topic's memory is replayed from them).
    M::up(
        "ALTER TABLE sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'study'
             CHECK (kind IN ('study', 'review'));
        ALTER TABLE plan_settings ADD COLUMN review_cap INTEGER NOT NULL DEFAULT 15
             CHECK (review_cap BETWEEN 0 AND 50);
        CREATE TABLE recalls (
            id         INTEGER PRIMARY KEY,
            plan_id    INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            topic_id   TEXT NOT NULL,
            date       TEXT NOT NULL,
            rating     TEXT NOT NULL CHECK (rating IN ('again', 'hard', 'good', 'easy')),
            session_id INTEGER REFERENCES sessions(id),
            created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX recalls_by_plan ON recalls (plan_id, date);",
    ),
    // 8: the learner's busy calendars, and only the stretches of time they block (never an
    // event's title or details). A calendar that cannot be read keeps its last good stretches.
    M::up(
        "CREATE TABLE busy_calendars (
            id         INTEGER PRIMARY KEY,
            name       TEXT NOT NULL UNIQUE,
            source     TEXT NOT NULL,
            events     INTEGER NOT NULL DEFAULT 0,
            skipped    TEXT NOT NULL DEFAULT '',
            read_at    TEXT,
            checked_at TEXT NOT NULL,
            error      TEXT
        ) STRICT;
        CREATE TABLE busy_intervals (
            calendar_id INTEGER NOT NULL REFERENCES busy_calendars(id) ON DELETE CASCADE,
            start_utc   TEXT NOT NULL,
            end_utc     TEXT NOT NULL CHECK (end_utc > start_utc)
        ) STRICT;
        CREATE INDEX busy_intervals_by_calendar ON busy_intervals (calendar_id);",
    ),
    // 9: the CalDAV connection (one; the password is in the system keyring, never here) and
    // what was last synced of each object, by UID.
    M::up(
        "CREATE TABLE caldav_account (
            id            INTEGER PRIMARY KEY CHECK (id = 1),
            server        TEXT NOT NULL,
            user          TEXT NOT NULL,
            calendar_url  TEXT NOT NULL,
            calendar_name TEXT NOT NULL,
            connected_at  TEXT NOT NULL,
            last_sync     TEXT,
            last_report   TEXT
        ) STRICT;
        CREATE TABLE caldav_objects (
            uid    TEXT PRIMARY KEY,
            target TEXT NOT NULL,
            name   TEXT NOT NULL UNIQUE,
            etag   TEXT NOT NULL,
            hash   TEXT NOT NULL,
            state  TEXT NOT NULL
        ) STRICT;",
    ),
    // 10: the same sessions, columns and rules, with the status rule written as comparisons.
    // SQLite checks `status IN (five values)` by building a temporary b-tree on every insert
    // (and every status change): two fifths of saving a new plan of 8,000 sessions. Rebuilt
    // the way SQLite documents for a changed CHECK (new table, copy, drop, rename), with
    // foreign keys off for the copy (`apply`) and checked after it. The index holds the plan
    // only, no longer the day and time: a move re-packs thousands of sessions, and each new
    // time moved an index entry too (half of the move's write); the one query that wants
    // them in time order (`sessions::of_plan`, a load) sorts them instead.
    M::up(
        "CREATE TABLE sessions_new (
            id           INTEGER PRIMARY KEY,
            plan_id      INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
            topic_id     TEXT NOT NULL,
            date         TEXT NOT NULL,
            start        TEXT NOT NULL,
            minutes      INTEGER NOT NULL CHECK (minutes > 0),
            status       TEXT NOT NULL DEFAULT 'planned'
                         CHECK (status = 'planned' OR status = 'done' OR status = 'partial'
                                OR status = 'missed' OR status = 'cancelled'),
            done_minutes INTEGER NOT NULL DEFAULT 0 CHECK (done_minutes >= 0),
            pinned       INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
            revision     INTEGER NOT NULL DEFAULT 0 CHECK (revision >= 0),
            updated_at   TEXT NOT NULL,
            kind         TEXT NOT NULL DEFAULT 'study' CHECK (kind IN ('study', 'review'))
        ) STRICT;
        INSERT INTO sessions_new (id, plan_id, topic_id, date, start, minutes, status,
                                  done_minutes, pinned, revision, updated_at, kind)
            SELECT id, plan_id, topic_id, date, start, minutes, status,
                   done_minutes, pinned, revision, updated_at, kind
            FROM sessions;
        DROP TABLE sessions;
        ALTER TABLE sessions_new RENAME TO sessions;
        CREATE INDEX sessions_of_plan ON sessions (plan_id);",
    )
    .foreign_key_check(),
    // 11: the state of a CalDAV write sent but not yet answered (empty: none), so that a
    // write whose answer was lost is known as ours when it is read back.
    M::up("ALTER TABLE caldav_objects ADD COLUMN pending TEXT NOT NULL DEFAULT '';"),
    // 12: the estimates in force after "Use my pace": `topic=percent`, one a line (NULL: the
    // roadmap's estimates). Every later replan keeps them.
    M::up("ALTER TABLE plan_settings ADD COLUMN pace TEXT;"),
    // 13: one reminder setting for exports, the feed, CalDAV and the desktop (it was the
    // feed's own, and each export's), the tray and start-up choices; and the study timer,
    // a row per span of running time, so that closing the app, a crash or a restart loses
    // none (at most one timer is unfinished), with the idle stretches the app noted in it.
    M::up(
        "CREATE TABLE preferences (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            reminder_minutes INTEGER
                CHECK (reminder_minutes IS NULL OR reminder_minutes BETWEEN 0 AND 10080),
            reminders_chosen INTEGER NOT NULL DEFAULT 0 CHECK (reminders_chosen IN (0, 1)),
            keep_in_tray INTEGER NOT NULL DEFAULT 0 CHECK (keep_in_tray IN (0, 1))
        ) STRICT;
        INSERT INTO preferences (id, reminder_minutes, reminders_chosen)
            SELECT 1, alarm_minutes, alarm_minutes IS NOT NULL FROM calendar_feed WHERE id = 1;
        INSERT OR IGNORE INTO preferences (id) VALUES (1);
        ALTER TABLE calendar_feed DROP COLUMN alarm_minutes;
        CREATE TABLE timers (
            id INTEGER PRIMARY KEY,
            session_id INTEGER,
            topic_id TEXT NOT NULL CHECK (length(topic_id) BETWEEN 1 AND 200),
            finished INTEGER NOT NULL DEFAULT 0 CHECK (finished IN (0, 1)),
            booked_minutes INTEGER
        ) STRICT;
        CREATE UNIQUE INDEX one_unfinished_timer ON timers (finished) WHERE finished = 0;
        CREATE TABLE timer_spans (
            timer_id INTEGER NOT NULL REFERENCES timers (id) ON DELETE CASCADE,
            start TEXT NOT NULL,
            end TEXT,
            boot TEXT NOT NULL,
            suspended INTEGER NOT NULL,
            away INTEGER NOT NULL DEFAULT 0 CHECK (away >= 0),
            away_kind TEXT CHECK (away_kind IS NULL OR away_kind IN ('slept', 'restarted')),
            PRIMARY KEY (timer_id, start),
            CHECK (end IS NULL OR end >= start)
        ) STRICT;
        CREATE UNIQUE INDEX one_open_span ON timer_spans (timer_id) WHERE end IS NULL;
        CREATE TABLE timer_idle (
            timer_id INTEGER NOT NULL REFERENCES timers (id) ON DELETE CASCADE,
            start TEXT NOT NULL,
            end TEXT NOT NULL,
            PRIMARY KEY (timer_id, start),
            CHECK (end >= start)
        ) STRICT;",
    ),
    // 14: what the last replan did (JSON, `roadmap_core::schedule::replan::ReplanUndo`), while it can be
    // taken back; NULL when there is none.
    M::up("ALTER TABLE plan_settings ADD COLUMN last_replan TEXT;"),
    // 15: single weeks that differ from the usual week (JSON: Monday → windows, "" for a week
    // without study).
    M::up("ALTER TABLE plan_settings ADD COLUMN weeks TEXT NOT NULL DEFAULT '{}';"),
    // 16: the options chosen among the roadmap's choices (a language track), one id a line;
    // empty: each choice's first option.
    M::up("ALTER TABLE plan_settings ADD COLUMN chosen TEXT NOT NULL DEFAULT '';"),
    // 17: the learner's changes to the plan's roadmap (JSON: topics added, changed, removed).
    M::up("ALTER TABLE plan_settings ADD COLUMN edits TEXT NOT NULL DEFAULT '[]';"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub fn migrations() -> Migrations<'static> {
    Migrations::from_slice(MIGRATIONS)
}

/// Reads the schema version (which makes SQLite read the file header, so a file that is not a
/// database fails here) and refuses a database newer than this build. Writes nothing.
pub(crate) fn refuse_newer(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| StoreError::classify(path, e))?;
    // A damaged file (truncated, overwritten in part) is refused here too, before anything
    // writes to it. quick_check reads every page once: milliseconds for a planner's database.
    let check: String = conn
        .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
        .map_err(|e| StoreError::classify(path, e))?;
    if check != "ok" {
        return Err(StoreError::NotADatabase {
            path: path.to_path_buf(),
        });
    }
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Brings the database up to [`SCHEMA_VERSION`].
pub(crate) fn apply(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    refuse_newer(conn, path)?;
    // A table rebuilt by a migration (10) is dropped and copied: with foreign keys on, the
    // drop would delete what refers to it. Off for the migrations (outside any transaction,
    // where SQLite allows the switch), each such migration checks the keys before it commits,
    // and on again whatever happened.
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let migrated = migrations().to_latest(conn);
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrated.map_err(|e| StoreError::Migration {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}
