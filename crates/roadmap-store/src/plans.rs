//! Loading a saved plan and applying the core's changes to it.
//!
//! The store decides nothing: [`change`] opens an IMMEDIATE transaction, loads the current
//! plan, lets the core's [`SavedPlan`] method decide, writes the [`Change`]s it returned and
//! commits. Taking the write lock before the read means two writers (the app and the CLI, say)
//! queue behind each other for up to the busy timeout instead of one failing with "database is
//! locked", and nothing computed from a plan read before another writer's change is written.
//!
//! `plans.months` and `plans.target_end` date from the walking skeleton and are still written
//! (both NOT NULL), but `plan_settings` holds the truth: its `months` may be absent.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Months, Utc};
use rusqlite::{
    CachedStatement, Connection, OptionalExtension, Transaction, TransactionBehavior, params,
};

use roadmap_core::Roadmap;
use roadmap_core::api::PlanSettings;
use roadmap_core::clock::Clock;
use roadmap_core::progress::{MarkRecord, PlanMeta};
use roadmap_core::saved::{Change, SavedPlan};
use roadmap_core::schedule::planner::Plan;

use crate::columns::{date, join_lines, split_lines};
use crate::{StoreError, busy_calendars, recalls, sessions, study_log, topic_marks, week_goals};

/// A plan with everything saved about it: the core's value.
pub type StoredPlan = SavedPlan;

/// Runs `f` in one IMMEDIATE transaction: the write lock is taken before anything is read, so
/// a concurrent writer waits (up to the busy timeout) rather than failing, and what `f` read
/// cannot change before it writes. Committed when `f` returns `Ok`, rolled back otherwise.
pub fn write<T, E: From<StoreError>>(
    conn: &mut Connection,
    f: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
) -> Result<T, E> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(StoreError::from)?;
    let value = f(&tx)?;
    tx.commit().map_err(StoreError::from)?;
    Ok(value)
}

/// Loads the current plan inside `tx`, lets `decide` say what changes at `now`, writes that,
/// saves the week's goal the first time the week is seen, and returns the plan as it now is.
pub fn change<E: From<StoreError>>(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    decide: impl FnOnce(&SavedPlan, &Clock) -> Result<Vec<Change>, E>,
) -> Result<SavedPlan, E> {
    let plan = require_current(tx)?;
    let clock = plan.clock(now);
    let changes = decide(&plan, &clock)?;
    Ok(write_changes(tx, plan, changes, &clock)?)
}

/// Applies `changes` to `plan` and writes them, with the week's goal saved the first time the
/// week is seen: the second half of [`change`].
fn write_changes(
    tx: &Transaction<'_>,
    mut plan: SavedPlan,
    mut changes: Vec<Change>,
    clock: &Clock,
) -> Result<SavedPlan, StoreError> {
    plan.apply(&changes, clock);
    let goal = plan.ensure_week_goal(clock);
    plan.apply(&goal, clock);
    changes.extend(goal);
    apply(tx, plan.meta.id, &changes, clock)?;
    Ok(plan)
}

/// The current plan as last read or written through one connection, kept for as long as the
/// database is not written to: a window's every action at 1,000 topics would otherwise load
/// ~8,000 sessions first. Whether it was written to, by this connection or any other (the
/// CLI, the app's CalDAV worker), is told by SQLite itself: `total_changes()` counts every row
/// this connection wrote, `PRAGMA data_version` changes with every commit of another
/// connection. Any write anywhere, even one that leaves the plan as it was, means a load.
#[derive(Default)]
pub struct KeptPlan {
    kept: Option<(Stamp, Arc<SavedPlan>)>,
}

/// What says whether a database has been written to since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    data_version: i64,
    total_changes: u64,
}

impl Stamp {
    fn read(conn: &Connection) -> Result<Stamp, StoreError> {
        Ok(Stamp {
            data_version: conn.query_row("PRAGMA data_version", [], |r| r.get(0))?,
            total_changes: conn.total_changes(),
        })
    }
}

impl KeptPlan {
    /// The current plan: the one kept when nothing was written since, else loaded (and kept).
    /// The stamp is read before the load, so a write during it means another load next time.
    pub fn current(&mut self, conn: &Connection) -> Result<Option<Arc<SavedPlan>>, StoreError> {
        let stamp = Stamp::read(conn)?;
        if let Some((kept, plan)) = &self.kept
            && *kept == stamp
        {
            return Ok(Some(Arc::clone(plan)));
        }
        self.kept = None;
        let plan = current(conn)?.map(Arc::new);
        if let Some(plan) = &plan {
            self.kept = Some((stamp, Arc::clone(plan)));
        }
        Ok(plan)
    }

    /// The current plan, or an error that tells the user to make one.
    pub fn require_current(&mut self, conn: &Connection) -> Result<Arc<SavedPlan>, StoreError> {
        self.current(conn)?.ok_or_else(no_plan)
    }

    /// [`change`] in its own IMMEDIATE transaction (as [`write`]), from the kept plan when
    /// nothing was written since; the plan as changed is kept once the commit succeeded. A
    /// refused change (`decide` fails) writes nothing and keeps the plan as it was.
    pub fn change<E: From<StoreError>>(
        &mut self,
        conn: &mut Connection,
        now: DateTime<Utc>,
        decide: impl FnOnce(&SavedPlan, &Clock) -> Result<Vec<Change>, E>,
    ) -> Result<Arc<SavedPlan>, E> {
        self.change_with(conn, now, |_, plan, clock| Ok((decide(plan, clock)?, ())))
            .map(|(plan, ())| plan)
    }

    /// [`KeptPlan::change`] for an action that also writes outside the plan in the same
    /// transaction (the study timer's rows): `decide` may write to it, and its value is
    /// returned with the plan.
    pub fn change_with<T, E: From<StoreError>>(
        &mut self,
        conn: &mut Connection,
        now: DateTime<Utc>,
        decide: impl FnOnce(&Transaction<'_>, &SavedPlan, &Clock) -> Result<(Vec<Change>, T), E>,
    ) -> Result<(Arc<SavedPlan>, T), E> {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let loaded = self.require_current(&tx)?;
        let stamp = self.kept.take().map(|(stamp, _)| stamp);
        let clock = loaded.clock(now);
        let (changes, value) = match decide(&tx, &loaded, &clock) {
            Ok(decided) => decided,
            Err(e) => {
                self.kept = stamp.map(|stamp| (stamp, loaded));
                return Err(e);
            }
        };
        // The value itself when no view still holds it, else a copy.
        let plan = write_changes(&tx, Arc::unwrap_or_clone(loaded), changes, &clock)?;
        let stamp = Stamp::read(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        let plan = Arc::new(plan);
        self.kept = Some((stamp, Arc::clone(&plan)));
        Ok((plan, value))
    }

    /// Runs `f` in one IMMEDIATE transaction and keeps the plan it returns, once committed, as
    /// the current one: a new plan ([`create`]) needs no load after it.
    pub fn replace<E: From<StoreError>>(
        &mut self,
        conn: &mut Connection,
        f: impl FnOnce(&Transaction<'_>) -> Result<SavedPlan, E>,
    ) -> Result<Arc<SavedPlan>, E> {
        self.kept = None;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let plan = f(&tx)?;
        let stamp = Stamp::read(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        let plan = Arc::new(plan);
        self.kept = Some((stamp, Arc::clone(&plan)));
        Ok(plan)
    }

    /// Forgets the kept plan (the connection is about to be replaced, or written to in a way
    /// `total_changes` does not count, such as a restore through the backup API).
    pub fn forget(&mut self) {
        self.kept = None;
    }
}

/// Writes `changes` to plan `plan_id`, in order.
pub fn apply(
    tx: &Transaction<'_>,
    plan_id: i64,
    changes: &[Change],
    clock: &Clock,
) -> Result<(), StoreError> {
    let stamp = clock.stamp();
    // The two statements a replan runs thousands of times, each prepared once.
    let mut insert = None;
    let mut reschedule = None;
    for c in changes {
        match c {
            Change::AddSession { id, session } => sessions::insert(
                prepared(&mut insert, tx, sessions::INSERT)?,
                plan_id,
                *id,
                session,
                &stamp,
            )?,
            Change::MoveSession {
                id,
                date,
                start,
                minutes,
            } => sessions::reschedule(
                prepared(&mut reschedule, tx, sessions::RESCHEDULE)?,
                *id,
                *date,
                start,
                *minutes,
                false,
                &stamp,
            )?,
            Change::PinSession { id, date, start } => {
                let minutes = sessions::minutes(tx, *id)?;
                sessions::reschedule(
                    prepared(&mut reschedule, tx, sessions::RESCHEDULE)?,
                    *id,
                    *date,
                    start,
                    minutes,
                    true,
                    &stamp,
                )?
            }
            Change::SetSessionStatus {
                id,
                status,
                done_minutes,
            } => sessions::set_status(tx, *id, *status, *done_minutes, &stamp)?,
            Change::CancelSession { id } => sessions::cancel(tx, *id, &stamp)?,
            Change::RestoreSession { id } => sessions::restore(tx, *id, &stamp)?,
            Change::SetWeek {
                monday,
                availability,
            } => {
                let text: String = tx.query_row(
                    "SELECT weeks FROM plan_settings WHERE plan_id = ?1",
                    [plan_id],
                    |r| r.get(0),
                )?;
                let mut weeks: std::collections::BTreeMap<chrono::NaiveDate, String> =
                    serde_json::from_str(&text).map_err(|e| {
                        StoreError::Corrupt(format!("the plan's one-off weeks {text:?}: {e}"))
                    })?;
                match availability {
                    Some(a) => weeks.insert(*monday, a.clone()),
                    None => weeks.remove(monday),
                };
                tx.execute(
                    "UPDATE plan_settings SET weeks = ?2 WHERE plan_id = ?1",
                    params![plan_id, weeks_text(&weeks)?],
                )?;
            }
            Change::RememberReplan { undo } => remember_replan(tx, plan_id, undo.as_deref())?,
            Change::SetEdits { edits } => {
                tx.execute(
                    "UPDATE plan_settings SET edits = ?2 WHERE plan_id = ?1",
                    params![plan_id, edits_text(edits)?],
                )?;
            }
            Change::SetChosen { chosen } => {
                tx.execute(
                    "UPDATE plan_settings SET chosen = ?2 WHERE plan_id = ?1",
                    params![plan_id, join_lines(chosen)],
                )?;
            }
            Change::AddLog {
                id,
                topic,
                date,
                minutes,
            } => study_log::insert(tx, plan_id, *id, topic, *date, *minutes, &stamp)?,
            Change::EditLog {
                id,
                topic,
                date,
                minutes,
            } => study_log::update(tx, plan_id, *id, topic, *date, *minutes)?,
            Change::RemoveLog { id } => study_log::delete(tx, plan_id, *id)?,
            Change::SetTopicMark { topic, mark } => {
                topic_marks::set(tx, plan_id, topic, *mark, &stamp)?
            }
            Change::SaveGoal {
                week,
                topics,
                target_minutes,
            } => week_goals::save(tx, plan_id, week, topics, *target_minutes)?,
            Change::CloseWeek { week, review } => {
                week_goals::close(tx, plan_id, week, review, &stamp)?
            }
            Change::ReopenWeek { week } => week_goals::reopen(tx, plan_id, week)?,
            Change::AddRecall {
                id,
                topic,
                date,
                recall,
                session,
            } => recalls::insert(
                tx,
                plan_id,
                &recalls::NewRecall {
                    id: *id,
                    topic,
                    date: *date,
                    recall: *recall,
                    session: *session,
                },
                &stamp,
            )?,
            Change::RemoveRecall { session } => recalls::remove_for_session(tx, *session)?,
            Change::Revise {
                availability,
                include_optional,
                pace,
            } => {
                tx.execute(
                    "UPDATE plan_settings SET availability = ?2, include_optional = ?3,
                         revised_at = ?4, pace = ?5
                     WHERE plan_id = ?1",
                    params![
                        plan_id,
                        availability,
                        include_optional,
                        stamp,
                        crate::columns::pace_text(pace.as_ref())
                    ],
                )?;
            }
        }
    }
    Ok(())
}

/// The learner's changes to a plan's roadmap, as the `edits` column keeps them (JSON).
fn edits_text(edits: &[roadmap_core::content::TopicEdit]) -> Result<String, StoreError> {
    serde_json::to_string(edits)
        .map_err(|e| StoreError::Corrupt(format!("the plan's changes to its roadmap: {e}")))
}

/// Keeps what the last replan did (JSON), or forgets it.
pub(crate) fn remember_replan(
    tx: &Transaction<'_>,
    plan_id: i64,
    undo: Option<&roadmap_core::schedule::replan::ReplanUndo>,
) -> Result<(), StoreError> {
    let text = undo
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| StoreError::Invalid(format!("the replan's record: {e}")))?;
    tx.execute(
        "UPDATE plan_settings SET last_replan = ?2 WHERE plan_id = ?1",
        params![plan_id, text],
    )?;
    Ok(())
}

/// One-off weeks as the `weeks` column holds them.
fn weeks_text(
    weeks: &std::collections::BTreeMap<chrono::NaiveDate, String>,
) -> Result<String, StoreError> {
    serde_json::to_string(weeks).map_err(|e| StoreError::Invalid(format!("one-off weeks: {e}")))
}

/// The statement in `slot`, prepared (from the connection's cache) the first time.
fn prepared<'a, 't>(
    slot: &'a mut Option<CachedStatement<'t>>,
    tx: &'t Transaction<'_>,
    sql: &str,
) -> Result<&'a mut CachedStatement<'t>, StoreError> {
    let stmt = match slot.take() {
        Some(stmt) => stmt,
        None => tx.prepare_cached(sql)?,
    };
    Ok(slot.insert(stmt))
}

/// Schedules `roadmap` with `settings` from `now` on (the core decides), saves the plan with its
/// sessions and makes it the current plan.
pub fn create(
    tx: &Transaction<'_>,
    roadmap: Arc<Roadmap>,
    roadmap_id: Option<i64>,
    settings: &PlanSettings,
    time_zone: &str,
    now: DateTime<Utc>,
) -> Result<SavedPlan, StoreError> {
    create_scheduled(tx, roadmap, roadmap_id, settings, time_zone, now).map(|(plan, _)| plan)
}

/// [`create`], with the schedule the plan was made from. The app's "Create plan" and `roadmap
/// plan --save` both come here (through `roadmap_app::plan::create`).
pub fn create_scheduled(
    tx: &Transaction<'_>,
    roadmap: Arc<Roadmap>,
    roadmap_id: Option<i64>,
    settings: &PlanSettings,
    time_zone: &str,
    now: DateTime<Utc>,
) -> Result<(SavedPlan, Plan), StoreError> {
    let zone = parse_time_zone(time_zone)?;
    let clock = Clock::new(now, zone);
    let (mut plan, schedule) = SavedPlan::create_scheduled(
        roadmap,
        roadmap_id,
        settings,
        &clock,
        next_id(tx, "sessions")?,
        busy_calendars::intervals(tx)?,
    )?;
    insert_saved(tx, &mut plan, time_zone, true)?;
    let id = plan.meta.id;
    plan.next_log_id = next_id(tx, "study_log")?;
    plan.next_recall_id = next_id(tx, "recalls")?;
    let goal = plan.ensure_week_goal(&clock);
    plan.apply(&goal, &clock);
    apply(tx, id, &goal, &clock)?;
    Ok((plan, schedule))
}

/// Inserts `plan` as it is (its settings, sessions with their ids and marks, topic marks) as a
/// new plan, the current one when `current`; `plan.meta.id` becomes its id.
pub(crate) fn insert_saved(
    tx: &Transaction<'_>,
    plan: &mut SavedPlan,
    time_zone: &str,
    current: bool,
) -> Result<i64, StoreError> {
    let created_on = DateTime::parse_from_rfc3339(&plan.meta.created_at)
        .map(|t| t.with_timezone(&plan.zone).date_naive())
        .ok();
    let created_on = created_on.unwrap_or_default();
    let settings = &plan.settings;
    let legacy_end = settings
        .months
        .and_then(|m| settings.start.checked_add_months(Months::new(m)))
        .or_else(|| plan.sessions.iter().map(|s| s.date).max())
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

    if current {
        tx.execute("UPDATE plans SET is_current = 0 WHERE is_current = 1", [])?;
    }
    tx.execute(
        "INSERT INTO plans (created_at, roadmap_title, start_date, months, target_end, is_current, roadmap_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?7, ?6)",
        params![
            plan.meta.created_at,
            plan.meta.roadmap_title,
            settings.start.to_string(),
            legacy_months,
            legacy_end.to_string(),
            plan.roadmap_id,
            current,
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO plan_settings (plan_id, months, availability, blackouts, session_min,
             session_max, include_optional, revised_at, time_zone, some_steps, review_cap, pace,
             weeks, chosen, edits)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            id,
            settings.months,
            settings.availability.as_deref().unwrap_or_default(),
            join_lines(&settings.blackouts),
            settings.session_min,
            settings.session_max,
            settings.include_optional,
            plan.meta.revised_at,
            time_zone,
            join_lines(&settings.some),
            settings.review_cap,
            crate::columns::pace_text(settings.pace.as_ref()),
            weeks_text(&settings.weeks)?,
            join_lines(&settings.chosen),
            edits_text(&settings.edits)?,
        ],
    )?;
    sessions::insert_all_stored(tx, id, &plan.sessions, &plan.meta.created_at)?;
    // Topics of the steps the learner already knows, marked skipped by the core (or, from an
    // import, the marks as they were: at noon of their day, in the plan's zone).
    for (topic, m) in &plan.marks {
        let at =
            m.on.and_hms_opt(12, 0, 0)
                .and_then(|noon| noon.and_local_timezone(plan.zone).earliest())
                .map(|t| t.with_timezone(&Utc).to_rfc3339())
                .filter(|_| m.on != created_on)
                .unwrap_or_else(|| plan.meta.created_at.clone());
        topic_marks::set(tx, id, topic, Some(m.mark), &at)?;
    }
    plan.meta.id = id;
    Ok(id)
}

/// The current plan, if one has been created.
pub fn current(conn: &Connection) -> Result<Option<SavedPlan>, StoreError> {
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

/// The time zone of the current plan, without loading the rest of it.
pub fn current_zone(conn: &Connection) -> Result<Option<chrono_tz::Tz>, StoreError> {
    let zone: Option<Option<String>> = conn
        .query_row(
            "SELECT s.time_zone FROM plans p JOIN plan_settings s ON s.plan_id = p.id
             WHERE p.is_current = 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    zone.map(|z| parse_time_zone(&z.unwrap_or_else(crate::system_time_zone)))
        .transpose()
}

/// The current plan, or an error that tells the user to make one.
pub fn require_current(conn: &Connection) -> Result<SavedPlan, StoreError> {
    current(conn)?.ok_or_else(no_plan)
}

fn no_plan() -> StoreError {
    StoreError::NotFound(
        "there is no plan yet: create one in the app, or with `roadmap plan --save`".into(),
    )
}

/// Loads plan `id` with its roadmap, sessions and progress.
pub fn load(conn: &Connection, id: i64) -> Result<Option<SavedPlan>, StoreError> {
    let row = conn
        .query_row(
            "SELECT p.created_at, p.roadmap_title, p.start_date, p.roadmap_id, s.months,
                    s.availability, s.blackouts, s.session_min, s.session_max,
                    s.include_optional, s.revised_at, s.time_zone, s.some_steps, s.review_cap,
                    s.pace, s.last_replan, s.weeks, s.chosen, s.edits
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
                    r.get::<_, String>(12)?,
                    r.get::<_, u32>(13)?,
                    r.get::<_, Option<String>>(14)?,
                    r.get::<_, Option<String>>(15)?,
                    r.get::<_, String>(16)?,
                    r.get::<_, String>(17)?,
                    r.get::<_, String>(18)?,
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
        some,
        review_cap,
        pace,
        last_replan,
        weeks,
        chosen,
        edits,
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
        // What the learner knew is kept as the marks it made, not as a setting.
        known: Vec::new(),
        some: split_lines(&some),
        review_cap,
        pace: crate::columns::pace_map(pace.as_deref())?,
        weeks: serde_json::from_str(&weeks)
            .map_err(|e| StoreError::Corrupt(format!("the plan's one-off weeks {weeks:?}: {e}")))?,
        chosen: split_lines(&chosen),
        edits: serde_json::from_str(&edits).map_err(|e| {
            StoreError::Corrupt(format!("the plan's changes to its roadmap {edits:?}: {e}"))
        })?,
    };
    let roadmap = match roadmap_id {
        None => parsed::bundled()?,
        Some(rid) => {
            let (source, text): (String, String) = conn.query_row(
                "SELECT source, text FROM roadmaps WHERE id = ?1",
                [rid],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            parsed::roadmap(&source, &text)?
        }
    };
    // The options the plan was made with (a language track): their topics are its roadmap.
    let roadmap = if settings.chosen.is_empty() && settings.edits.is_empty() {
        roadmap
    } else {
        Arc::new(roadmap.for_plan(&settings.chosen, &settings.edits)?)
    };
    // Plans made before the zone was recorded are in the machine's zone.
    let zone = parse_time_zone(&time_zone.unwrap_or_else(crate::system_time_zone))?;
    let marks: BTreeMap<String, MarkRecord> = topic_marks::of_plan(conn, id)?
        .into_iter()
        .map(|(topic, mark, at)| {
            let on = at.with_timezone(&zone).date_naive();
            (topic, MarkRecord { mark, on })
        })
        .collect();
    Ok(Some(SavedPlan {
        sessions: sessions::of_plan(conn, id)?,
        marks,
        logs: study_log::of_plan(conn, id)?,
        goals: week_goals::of_plan(conn, id)?,
        next_session_id: next_id(conn, "sessions")?,
        next_log_id: next_id(conn, "study_log")?,
        recalls: recalls::of_plan(conn, id)?,
        next_recall_id: next_id(conn, "recalls")?,
        busy: busy_calendars::intervals(conn)?,
        last_replan: last_replan
            .map(|text| {
                serde_json::from_str(&text).map_err(|e| {
                    StoreError::Corrupt(format!("the plan's record of its last replan: {e}"))
                })
            })
            .transpose()?,
        meta,
        roadmap_id,
        roadmap,
        settings,
        zone,
    }))
}

/// Parsed roadmaps, kept for the life of the process: every write loads the plan, and parsing
/// its roadmap again each time cost most of a small command's time.
mod parsed {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};

    use roadmap_core::{CoreError, Roadmap};

    use crate::StoreError;

    /// How many stored roadmaps are kept parsed (a user switches between a few at most).
    const KEEP: usize = 4;

    pub fn bundled() -> Result<Arc<Roadmap>, StoreError> {
        static BUNDLED: OnceLock<Result<Arc<Roadmap>, CoreError>> = OnceLock::new();
        BUNDLED
            .get_or_init(|| Roadmap::bundled().map(Arc::new).map_err(CoreError::from))
            .clone()
            .map_err(StoreError::from)
    }

    /// The roadmap in `text`, parsed once per distinct text. Keyed by the text itself, so a
    /// row that a restore replaced under the same id is parsed afresh.
    pub fn roadmap(source: &str, text: &str) -> Result<Arc<Roadmap>, StoreError> {
        type Cache = Mutex<HashMap<(String, String), Arc<Roadmap>>>;
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let cache = CACHE.get_or_init(Cache::default);
        let key = (source.to_string(), text.to_string());
        if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Ok(hit);
        }
        let parsed = Arc::new(Roadmap::parse(source, text).map_err(CoreError::from)?);
        if let Ok(mut c) = cache.lock() {
            if c.len() >= KEEP {
                c.clear();
            }
            c.insert(key, parsed.clone());
        }
        Ok(parsed)
    }
}

/// Refuses a name that is not an IANA time zone.
pub fn check_time_zone(name: &str) -> Result<(), StoreError> {
    parse_time_zone(name).map(|_| ())
}

fn parse_time_zone(name: &str) -> Result<chrono_tz::Tz, StoreError> {
    name.parse::<chrono_tz::Tz>().map_err(|_| {
        StoreError::Invalid(format!(
            "{name:?} is not a time zone name such as Europe/Berlin or America/New_York"
        ))
    })
}

/// The id the next row of `table` (`sessions`, `recalls` or `study_log`) gets: ids are never
/// reused.
fn next_id(conn: &Connection, table: &str) -> Result<i64, StoreError> {
    let sql = match table {
        "sessions" => "SELECT COALESCE(MAX(id), 0) + 1 FROM sessions",
        "recalls" => "SELECT COALESCE(MAX(id), 0) + 1 FROM recalls",
        _ => "SELECT COALESCE(MAX(id), 0) + 1 FROM study_log",
    };
    Ok(conn.query_row(sql, [], |r| r.get(0))?)
}
