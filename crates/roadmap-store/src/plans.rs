//! The `plans` and `plan_settings` tables, and loading a plan with everything saved about it.
//!
//! `plans.months` and `plans.target_end` date from the walking skeleton and are still written
//! (both NOT NULL), but `plan_settings` holds the truth: its `months` may be absent.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use roadmap_core::Roadmap;
use roadmap_core::api::TopicMark;
use roadmap_core::api::{PlanSettings, PlanView};
use roadmap_core::progress::{PlanMeta, Record, StoredGoal, StoredLog};
use roadmap_core::schedule::planner;
use roadmap_core::schedule::replan::StoredSession;

use crate::{StoreError, sessions, study_log, topic_marks, week_goals};

/// A plan with everything saved about it: the input of every view and every change.
#[derive(Debug, Clone)]
pub struct StoredPlan {
    pub meta: PlanMeta,
    /// The row in `roadmaps` the plan was made from; `None` for the bundled roadmap.
    pub roadmap_id: Option<i64>,
    pub roadmap: Roadmap,
    pub settings: PlanSettings,
    /// The IANA time zone its local times are in, when it was recorded.
    pub time_zone: Option<String>,
    pub sessions: Vec<StoredSession>,
    pub marks: BTreeMap<String, TopicMark>,
    pub logs: Vec<StoredLog>,
    pub goals: BTreeMap<String, StoredGoal>,
}

impl StoredPlan {
    pub fn record(&self) -> Record<'_> {
        Record {
            roadmap: &self.roadmap,
            settings: &self.settings,
            sessions: &self.sessions,
            marks: &self.marks,
            logs: &self.logs,
        }
    }

    /// The plan as it stands on `today`.
    pub fn view(&self, today: NaiveDate) -> PlanView {
        self.record().plan_view(&self.meta, today)
    }
}

/// Schedules `roadmap` with `settings`, saves the plan with its sessions and makes it the
/// current plan. The app's "Create plan" and `roadmap plan --save` both come here.
pub fn create(
    tx: &Transaction<'_>,
    roadmap: &Roadmap,
    roadmap_id: Option<i64>,
    settings: &PlanSettings,
    time_zone: &str,
    now: &str,
) -> Result<StoredPlan, StoreError> {
    check_time_zone(time_zone)?;
    let plan = planner::plan(&settings.request(roadmap)?)?;
    let mut settings = settings.clone();
    // Keep the windows the sessions were placed in, proposed or not.
    settings.availability = Some(plan.availability.clone());
    let legacy_end = plan
        .target_end
        .or(plan.projected_end)
        .unwrap_or(settings.start);
    let legacy_months = settings.months.unwrap_or_else(|| {
        (1..120)
            .find(|&m| {
                settings
                    .start
                    .checked_add_months(Months::new(m))
                    .is_some_and(|end| end > legacy_end)
            })
            .unwrap_or(120)
    });

    tx.execute("UPDATE plans SET is_current = 0 WHERE is_current = 1", [])?;
    tx.execute(
        "INSERT INTO plans (created_at, roadmap_title, start_date, months, target_end, is_current, roadmap_id)
         VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)",
        params![
            now,
            roadmap.title,
            settings.start.to_string(),
            legacy_months,
            legacy_end.to_string(),
            roadmap_id,
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO plan_settings (plan_id, months, availability, blackouts, session_min,
             session_max, include_optional, revised_at, time_zone)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id,
            settings.months,
            plan.availability,
            join_lines(&settings.blackouts),
            settings.session_min,
            settings.session_max,
            settings.include_optional,
            now,
            time_zone,
        ],
    )?;
    for s in &plan.sessions {
        sessions::insert(tx, id, s, now)?;
    }
    load(tx, id)?.ok_or_else(|| StoreError::Corrupt(format!("plan {id} vanished while saved")))
}

/// The current plan, if one has been created.
pub fn current(conn: &Connection) -> Result<Option<StoredPlan>, StoreError> {
    let id: Option<i64> = conn
        .query_row(
            "SELECT p.id FROM plans p JOIN plan_settings s ON s.plan_id = p.id
             WHERE p.is_current = 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    match id {
        Some(id) => load(conn, id),
        None => Ok(None),
    }
}

/// The current plan, or an error that tells the user to make one.
pub fn require_current(conn: &Connection) -> Result<StoredPlan, StoreError> {
    current(conn)?.ok_or_else(|| {
        StoreError::NotFound(
            "there is no plan yet: create one in the app, or with `roadmap plan --save`".into(),
        )
    })
}

/// Records that the plan's sessions changed now, with these settings.
pub fn revise(
    tx: &Transaction<'_>,
    plan_id: i64,
    settings: &PlanSettings,
    now: &str,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE plan_settings SET availability = ?2, include_optional = ?3, revised_at = ?4
         WHERE plan_id = ?1",
        params![
            plan_id,
            settings.availability.as_deref().unwrap_or_default(),
            settings.include_optional,
            now
        ],
    )?;
    Ok(())
}

/// Loads plan `id` with its roadmap, sessions and progress.
pub fn load(conn: &Connection, id: i64) -> Result<Option<StoredPlan>, StoreError> {
    let row = conn
        .query_row(
            "SELECT p.created_at, p.roadmap_title, p.start_date, p.roadmap_id, s.months,
                    s.availability, s.blackouts, s.session_min, s.session_max,
                    s.include_optional, s.revised_at, s.time_zone
             FROM plans p JOIN plan_settings s ON s.plan_id = p.id WHERE p.id = ?1",
            [id],
            |r| {
                Ok((
                    PlanMeta {
                        id,
                        created_at: r.get(0)?,
                        roadmap_title: r.get(1)?,
                        revised_at: r.get(10)?,
                    },
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    (
                        r.get::<_, Option<u32>>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, u32>(7)?,
                        r.get::<_, u32>(8)?,
                        r.get::<_, bool>(9)?,
                    ),
                    r.get::<_, Option<String>>(11)?,
                ))
            },
        )
        .optional()?;
    let Some((
        meta,
        start,
        roadmap_id,
        (months, availability, blackouts, min, max, optional),
        time_zone,
    )) = row
    else {
        return Ok(None);
    };
    let settings = PlanSettings {
        start: date(&start)?,
        months,
        availability: Some(availability),
        blackouts: split_lines(&blackouts),
        session_min: min,
        session_max: max,
        include_optional: optional,
    };
    let roadmap = match roadmap_id {
        None => Roadmap::bundled().map_err(roadmap_core::CoreError::from)?,
        Some(rid) => {
            let (source, text): (String, String) = conn.query_row(
                "SELECT source, text FROM roadmaps WHERE id = ?1",
                [rid],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            Roadmap::parse(&source, &text).map_err(roadmap_core::CoreError::from)?
        }
    };
    Ok(Some(StoredPlan {
        sessions: sessions::of_plan(conn, id)?,
        marks: topic_marks::of_plan(conn, id)?,
        logs: study_log::of_plan(conn, id)?,
        goals: week_goals::of_plan(conn, id)?,
        meta,
        roadmap_id,
        roadmap,
        settings,
        time_zone,
    }))
}

/// Refuses a name that is not an IANA time zone.
pub fn check_time_zone(name: &str) -> Result<(), StoreError> {
    name.parse::<chrono_tz::Tz>().map(|_| ()).map_err(|_| {
        StoreError::Invalid(format!(
            "{name:?} is not a time zone name such as Europe/Berlin or America/New_York"
        ))
    })
}

pub(crate) fn date(text: &str) -> Result<NaiveDate, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("{text:?} is not a date")))
}

pub(crate) fn join_lines(items: &[String]) -> String {
    items
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

pub(crate) fn split_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}
