//! All of the learner's data in and out as one file ([`roadmap_core::data`] decides its format
//! and checks it): [`export`] reads every table the learner's choices live in, [`import`]
//! replaces them all with a file's contents in one transaction (the application layer makes a
//! backup first).
//!
//! Left out on purpose: secrets (they are in the keyring), the CalDAV connection and what it
//! synced (an import disconnects it: the calendar holds another plan's events), the calendar
//! feed's settings (its token is a secret), and a study timer (running time, not history).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction, params};

use roadmap_core::Roadmap;
use roadmap_core::data::{
    BlockData, BusyCalendarData, DataFile, FORMAT, PlanData, PreferencesData, RoadmapText, VERSION,
    public_source,
};

use crate::busy_calendars::{instant, utc_text};
use crate::preferences::{self, Preferences};
use crate::{StoreError, plans, recalls, study_log, week_goals};

/// Everything, as the export file holds it, stamped `exported_at`.
pub fn export(conn: &Connection, exported_at: DateTime<Utc>) -> Result<DataFile, StoreError> {
    let rows: Vec<(i64, bool)> = conn
        .prepare(
            "SELECT p.id, p.is_current FROM plans p JOIN plan_settings s ON s.plan_id = p.id
             ORDER BY p.id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut plans_out = Vec::with_capacity(rows.len());
    for (id, current) in rows {
        let plan = plans::load(conn, id)?
            .ok_or_else(|| StoreError::NotFound(format!("plan {id} vanished while exported")))?;
        let roadmap = match plan.roadmap_id {
            None => None,
            Some(rid) => Some(conn.query_row(
                "SELECT source, text FROM roadmaps WHERE id = ?1",
                [rid],
                |r| {
                    Ok(RoadmapText {
                        source: r.get(0)?,
                        text: r.get(1)?,
                    })
                },
            )?),
        };
        plans_out.push(PlanData::of(&plan, current, roadmap));
    }
    let notes = conn
        .prepare("SELECT topic_id, text FROM topic_notes WHERE text != '' ORDER BY topic_id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let calendars: Vec<(i64, String, String)> = conn
        .prepare("SELECT id, name, source FROM busy_calendars ORDER BY name")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let mut busy_calendars = Vec::with_capacity(calendars.len());
    for (id, name, source) in calendars {
        let blocks = conn
            .prepare(
                "SELECT start_utc, end_utc FROM busy_intervals WHERE calendar_id = ?1
                 ORDER BY start_utc, end_utc",
            )?
            .query_map([id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?
            .map(|row| {
                let (start, end) = row?;
                Ok(BlockData {
                    start: instant(&start)?,
                    end: instant(&end)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        busy_calendars.push(BusyCalendarData {
            name,
            source: public_source(&source),
            blocks,
        });
    }
    let p = preferences::get(conn)?;
    Ok(DataFile {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: exported_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        plans: plans_out,
        notes,
        busy_calendars,
        preferences: PreferencesData {
            reminder_minutes: p.reminder_minutes,
            reminders_chosen: p.reminders_chosen,
            keep_in_tray: p.keep_in_tray,
        },
    })
}

/// What an import replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    pub plans: usize,
    pub sessions: usize,
    /// Whether a CalDAV connection was forgotten.
    pub caldav_disconnected: bool,
}

/// Replaces every plan, note, busy calendar and preference with `file`'s (checked by
/// [`DataFile::parse`]), inside `tx`.
pub fn import(
    tx: &Transaction<'_>,
    file: &DataFile,
    now: DateTime<Utc>,
) -> Result<Imported, StoreError> {
    let stamp = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let caldav_disconnected: bool =
        tx.query_row("SELECT EXISTS (SELECT 1 FROM caldav_account)", [], |r| {
            r.get(0)
        })?;
    for table in [
        "recalls",
        "timer_idle",
        "timer_spans",
        "timers",
        "caldav_objects",
        "caldav_account",
        "busy_intervals",
        "busy_calendars",
        "topic_notes",
        "week_goals",
        "study_log",
        "topic_marks",
        "sessions",
        "plan_steps",
        "plan_settings",
        "plans",
        "roadmaps",
    ] {
        tx.execute(&format!("DELETE FROM {table}"), [])?;
    }
    let bundled: Arc<Roadmap> =
        Arc::new(Roadmap::bundled().map_err(roadmap_core::CoreError::from)?);
    let saved = file.saved_plans(&bundled)?;
    let mut sessions = 0;
    for ((current, mut plan), data) in saved.into_iter().zip(&file.plans) {
        plan.roadmap_id = match &data.roadmap {
            None => None,
            Some(r) => {
                tx.execute(
                    "INSERT INTO roadmaps (source, text, loaded_at, is_current) VALUES (?1, ?2, ?3, ?4)",
                    params![r.source, r.text, stamp, current],
                )?;
                Some(tx.last_insert_rowid())
            }
        };
        let id = plans::insert_saved(tx, &mut plan, &data.time_zone, current)?;
        sessions += plan.sessions.len();
        for l in &plan.logs {
            study_log::insert(tx, id, l.id, &l.topic, l.date, l.minutes, &stamp)?;
        }
        for (week, g) in &plan.goals {
            week_goals::save(tx, id, week, &g.topics, g.target_minutes)?;
            if let Some(review) = &g.review {
                week_goals::close(tx, id, week, review, &stamp)?;
            }
        }
        for r in &plan.recalls {
            recalls::insert(
                tx,
                id,
                &recalls::NewRecall {
                    id: r.id,
                    topic: &r.topic,
                    date: r.date,
                    recall: r.recall,
                    session: r.session,
                },
                &stamp,
            )?;
        }
        plans::remember_replan(tx, id, plan.last_replan.as_deref())?;
    }
    for (topic, text) in &file.notes {
        tx.execute(
            "INSERT INTO topic_notes (topic_id, text, updated_at) VALUES (?1, ?2, ?3)",
            params![topic, text, stamp],
        )?;
    }
    for c in &file.busy_calendars {
        tx.execute(
            "INSERT INTO busy_calendars (name, source, events, skipped, read_at, checked_at)
             VALUES (?1, ?2, 0, '', ?3, ?3)",
            params![c.name, c.source, stamp],
        )?;
        let id = tx.last_insert_rowid();
        let mut insert = tx.prepare_cached(
            "INSERT INTO busy_intervals (calendar_id, start_utc, end_utc) VALUES (?1, ?2, ?3)",
        )?;
        for b in &c.blocks {
            insert.execute(params![id, utc_text(b.start), utc_text(b.end)])?;
        }
    }
    preferences::set(
        tx,
        &Preferences {
            reminder_minutes: file.preferences.reminder_minutes,
            reminders_chosen: file.preferences.reminders_chosen,
            keep_in_tray: file.preferences.keep_in_tray,
        },
    )?;
    Ok(Imported {
        plans: file.plans.len(),
        sessions,
        caldav_disconnected,
    })
}
