//! The `plans` and `plan_steps` tables.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use roadmap_core::api::{PlanSettings, PlanView, StepSpan};

use crate::StoreError;

/// What a new plan is made of; the id is given by the database.
pub struct NewPlan<'a> {
    pub created_at: &'a str,
    /// The row in `roadmaps` the plan was made from; `None` for the bundled roadmap.
    pub roadmap_id: Option<i64>,
    pub roadmap_title: &'a str,
    pub settings: &'a PlanSettings,
    pub target_end: NaiveDate,
    pub steps: &'a [StepSpan],
}

/// Saves `plan` and makes it the current plan, in the caller's transaction.
pub fn insert_current(tx: &Transaction<'_>, plan: &NewPlan<'_>) -> Result<PlanView, StoreError> {
    tx.execute("UPDATE plans SET is_current = 0 WHERE is_current = 1", [])?;
    tx.execute(
        "INSERT INTO plans (created_at, roadmap_title, start_date, months, target_end, is_current, roadmap_id)
         VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)",
        params![
            plan.created_at,
            plan.roadmap_title,
            plan.settings.start.to_string(),
            plan.settings.months,
            plan.target_end.to_string(),
            plan.roadmap_id,
        ],
    )?;
    let id = tx.last_insert_rowid();
    let mut insert = tx.prepare(
        "INSERT INTO plan_steps (plan_id, position, step_id, title, start_date, end_date, hours)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (position, s) in plan.steps.iter().enumerate() {
        insert.execute(params![
            id,
            position as i64,
            s.step,
            s.title,
            s.start.to_string(),
            s.end.to_string(),
            s.hours,
        ])?;
    }
    Ok(PlanView {
        id,
        created_at: plan.created_at.to_string(),
        roadmap_title: plan.roadmap_title.to_string(),
        settings: plan.settings.clone(),
        target_end: plan.target_end,
        steps: plan.steps.to_vec(),
    })
}

/// The current plan, if one has been created.
pub fn current(conn: &Connection) -> Result<Option<PlanView>, StoreError> {
    let row = conn
        .query_row(
            "SELECT id, created_at, roadmap_title, start_date, months, target_end
             FROM plans WHERE is_current = 1",
            [],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, u32>(4)?,
                    r.get::<_, String>(5)?,
                ))
            },
        )
        .optional()?;
    let Some((id, created_at, roadmap_title, start, months, target_end)) = row else {
        return Ok(None);
    };
    let mut stmt = conn.prepare(
        "SELECT step_id, title, start_date, end_date, hours FROM plan_steps
         WHERE plan_id = ?1 ORDER BY position",
    )?;
    let steps = stmt
        .query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, f64>(4)?,
            ))
        })?
        .map(|row| {
            let (step, title, start, end, hours) = row?;
            Ok(StepSpan {
                step,
                title,
                start: date(&start)?,
                end: date(&end)?,
                hours,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Some(PlanView {
        id,
        created_at,
        roadmap_title,
        settings: PlanSettings {
            start: date(&start)?,
            months,
        },
        target_end: date(&target_end)?,
        steps,
    }))
}

fn date(text: &str) -> Result<NaiveDate, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("{text:?} is not a date")))
}
