//! The commands over the saved plan: `status`, `sessions`, `forecast`, `mark`, `move`, `log`,
//! `done`, `skip`, `review`, `replan`, `export` and `check-ics`. Each is one use case of
//! `roadmap_app` and what it prints.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;

use roadmap_app::{Db, progress};
use roadmap_core::api::{
    Recall, ReplanPolicy, SessionChange, SessionKind, SessionMark, SessionStatus, TopicMark,
};
use roadmap_core::saved::{SavedPlan, session_changes};

use crate::args::{Format, GradeArg, MarkArg, PolicyArg};
use crate::print::{json, print_forecast, print_replan, print_status};
use crate::terminal::terminal_text;
use crate::{CliError, now, open_db};

pub fn status(out: &mut dyn Write, topics: bool, format: Format) -> Result<ExitCode, CliError> {
    let db = open_db()?;
    if db.plan()?.is_none() {
        match format {
            Format::Text => writeln!(
                out,
                "No plan yet. Create one in the app, or with `roadmap plan --start YYYY-MM-DD --months N --save`."
            )?,
            Format::Json => writeln!(out, "null")?,
        }
        return Ok(ExitCode::SUCCESS);
    }
    let now = now()?;
    let plan = progress::look(&db, now)?;
    let home = plan.home(&plan.clock(now));
    match format {
        Format::Json => {
            // The home view, and the finish as `roadmap forecast` tells it (the same fields,
            // the same story) under `forecast`.
            let mut value = serde_json::to_value(&home)?;
            if let serde_json::Value::Object(fields) = &mut value {
                fields.insert(
                    "forecast".into(),
                    serde_json::to_value(plan.forecast(&plan.clock(now)))?,
                );
            }
            writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?
        }
        Format::Text => {
            print_status(out, &home.plan, &home.week, topics)?;
            if let Some(a) = &home.ahead {
                writeln!(
                    out,
                    "You are ahead: pulling the plan forward would finish on {} instead of {} ({} days earlier); `roadmap replan --policy pull-forward --dry-run` shows what would move.",
                    a.finish, a.finish_before, a.days
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn forecast(out: &mut dyn Write, format: Format) -> Result<ExitCode, CliError> {
    let now = now()?;
    let Some(plan) = open_db()?.plan()? else {
        return Err(CliError::Usage(
            "there is no plan to forecast yet; make one with `roadmap plan ... --save`".into(),
        ));
    };
    let forecast = plan.forecast(&plan.clock(now));
    match format {
        Format::Json => json(out, &forecast)?,
        Format::Text => print_forecast(out, &forecast)?,
    }
    Ok(ExitCode::SUCCESS)
}

pub fn log(
    out: &mut dyn Write,
    topic: &str,
    minutes: i64,
    date: Option<NaiveDate>,
) -> Result<ExitCode, CliError> {
    let db = open_db()?;
    let before = db.require_plan()?;
    let plan = progress::log_study(&db, now()?, topic, minutes, date)?;
    let day = plan.logs.iter().max_by_key(|l| l.id).map(|l| l.date);
    let day = day.map_or_else(String::new, |d| format!(" on {d}"));
    writeln!(out, "Logged {minutes} min of {topic}{day}.")?;
    others(out, &before, &plan, |_| false)?;
    Ok(ExitCode::SUCCESS)
}

pub fn week(out: &mut dyn Write, action: crate::args::WeekAction) -> Result<ExitCode, CliError> {
    use crate::args::{OutcomeArg, WeekAction};
    use roadmap_core::api::{ReviewOutcome, WeekReview};
    let db = open_db()?;
    let before = db.require_plan()?;
    let plan = match action {
        WeekAction::Close { day, outcome, note } => {
            let outcome = match outcome {
                OutcomeArg::Done => ReviewOutcome::Done,
                OutcomeArg::Partly => ReviewOutcome::Partly,
                OutcomeArg::Blocked => ReviewOutcome::Blocked,
            };
            let plan = progress::close_week_of(&db, now()?, day, &WeekReview { outcome, note })?;
            writeln!(
                out,
                "The week of {} is closed: {}.",
                roadmap_core::clock::monday_of(day),
                outcome.as_str()
            )?;
            plan
        }
        WeekAction::Reopen { day } => {
            let plan = progress::reopen_week(&db, now()?, day)?;
            writeln!(
                out,
                "The week of {} is open again; close it with its review when you are ready.",
                roadmap_core::clock::monday_of(day)
            )?;
            plan
        }
    };
    others(out, &before, &plan, |_| false)?;
    Ok(ExitCode::SUCCESS)
}

/// Corrects logged entry `id`; its day stays unless `date` is given.
pub fn edit_log(
    out: &mut dyn Write,
    id: i64,
    topic: &str,
    minutes: i64,
    date: Option<NaiveDate>,
) -> Result<ExitCode, CliError> {
    let db = open_db()?;
    let before = db.require_plan()?;
    let day = match date {
        Some(d) => d,
        None => before
            .logs
            .iter()
            .find(|l| l.id == id)
            .map(|l| l.date)
            .ok_or_else(|| {
                roadmap_app::AppError::from(roadmap_core::CoreError::NotFound(format!(
                    "there is no logged study numbered {id} (`roadmap logs` lists them)"
                )))
            })?,
    };
    let plan = progress::edit_log(&db, now()?, id, topic, minutes, day)?;
    writeln!(
        out,
        "Logged entry #{id} is now {minutes} min of {topic} on {day}."
    )?;
    others(out, &before, &plan, |_| false)?;
    Ok(ExitCode::SUCCESS)
}

pub fn delete_log(out: &mut dyn Write, id: i64) -> Result<ExitCode, CliError> {
    let db = open_db()?;
    let before = db.require_plan()?;
    let gone = before.logs.iter().find(|l| l.id == id).cloned();
    let plan = progress::delete_log(&db, now()?, id)?;
    if let Some(l) = gone {
        writeln!(
            out,
            "Deleted logged entry #{id}: {} min of {} on {}.",
            l.minutes, l.topic, l.date
        )?;
    }
    others(out, &before, &plan, |_| false)?;
    Ok(ExitCode::SUCCESS)
}

pub fn logs(
    out: &mut dyn Write,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    format: Format,
) -> Result<ExitCode, CliError> {
    let entries = progress::logs(&open_db()?, from, to)?;
    match format {
        Format::Json => json(out, &entries)?,
        Format::Text => {
            if entries.is_empty() {
                writeln!(out, "No study logged.")?;
            }
            for l in &entries {
                writeln!(
                    out,
                    "#{:<6} {} {:>4} min  {}",
                    l.id,
                    l.date.format("%a %Y-%m-%d"),
                    l.minutes,
                    terminal_text(&l.topic_title)
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn export(
    out: &mut dyn Write,
    ics: &Path,
    alarm: Option<u32>,
    name: Option<&str>,
) -> Result<ExitCode, CliError> {
    let db = open_db()?;
    let plan = db.require_plan()?;
    let alarm = match alarm {
        Some(m) => Some(m),
        None => roadmap_app::reminders::minutes(&db)?,
    };
    let text = roadmap_app::export::render_ics(&plan, name, alarm)?;
    roadmap_app::export::write_atomically(ics, text.as_bytes())?;
    let events = text.matches("BEGIN:VEVENT").count();
    writeln!(out, "Wrote {events} events to {}.", ics.display())?;
    Ok(ExitCode::SUCCESS)
}

pub fn check_ics(out: &mut dyn Write, file: &Path) -> Result<ExitCode, CliError> {
    let text = roadmap_app::files::read_text(file, roadmap_app::remote::web::MAX_CALENDAR_BYTES)
        .map_err(CliError::reading)?;
    let problems = roadmap_core::calendar::lint(&text);
    // What the file says reaches the terminal as text, never as a control sequence, and a
    // file of a million problems prints the first hundred and a count.
    const MOST: usize = 100;
    let shown = terminal_text(&file.display().to_string());
    for p in problems.iter().take(MOST) {
        eprintln!("{shown}:{}: {}", p.line, terminal_text(&p.message));
    }
    if problems.len() > MOST {
        eprintln!("{shown}: and {} more problems", problems.len() - MOST);
    }
    if !problems.is_empty() {
        return Ok(ExitCode::FAILURE);
    }
    writeln!(
        out,
        "{shown}: {} events, no problems found",
        text.matches("BEGIN:VEVENT").count()
    )?;
    Ok(ExitCode::SUCCESS)
}

/// One row of `roadmap sessions --format json`: a contract, fields are only added.
#[derive(serde::Serialize)]
struct SessionRow {
    id: i64,
    topic: String,
    date: NaiveDate,
    start: String,
    minutes: u32,
    status: SessionStatus,
    done_minutes: u32,
    revision: u32,
    pinned: bool,
    /// `study`, or `review` (a spaced review of a finished topic).
    kind: SessionKind,
}

pub fn sessions(
    out: &mut dyn Write,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    format: Format,
) -> Result<ExitCode, CliError> {
    let plan = open_db()?.require_plan()?;
    let sessions: Vec<SessionRow> = plan
        .sessions
        .iter()
        .filter(|s| from.is_none_or(|f| s.date >= f) && to.is_none_or(|t| s.date <= t))
        .map(|s| SessionRow {
            id: s.id,
            kind: s.kind,
            topic: s.topic.clone(),
            date: s.date,
            start: s.start.clone(),
            minutes: s.minutes,
            status: s.status,
            done_minutes: s.done_minutes,
            revision: s.revision,
            pinned: s.pinned,
        })
        .collect();
    match format {
        Format::Json => json(out, &sessions)?,
        Format::Text => {
            for s in &sessions {
                writeln!(
                    out,
                    "#{:<6} {} {} {:>3} min  {:<10} {}{}{}",
                    s.id,
                    s.date.format("%a %Y-%m-%d"),
                    s.start,
                    s.minutes,
                    s.status.as_str(),
                    if s.kind == SessionKind::Review {
                        "review: "
                    } else {
                        ""
                    },
                    terminal_text(&s.topic),
                    if s.pinned { "  (pinned)" } else { "" }
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn mark(
    out: &mut dyn Write,
    session: i64,
    mark: MarkArg,
    minutes: Option<u32>,
) -> Result<ExitCode, CliError> {
    let mark = match (mark, minutes) {
        (MarkArg::Partly, Some(minutes)) => SessionMark::Partial { minutes },
        (MarkArg::Partly, None) => {
            return Err(CliError::Usage(
                "`partly` needs the minutes studied, e.g. `roadmap mark 12 partly 45`".into(),
            ));
        }
        (_, Some(m)) => {
            return Err(CliError::Usage(format!(
                "only `partly` takes minutes (got {m})"
            )));
        }
        (MarkArg::Done, None) => SessionMark::Done,
        (MarkArg::Missed, None) => SessionMark::Missed,
        (MarkArg::Planned, None) => SessionMark::Planned,
    };
    let db = open_db()?;
    let before = db.require_plan()?;
    let plan = progress::mark_session(&db, now()?, session, mark)?;
    let s = plan.session(session)?;
    writeln!(out, "Session {session} is now {}.", s.status.as_str())?;
    others(out, &before, &plan, |c| c.id == session)?;
    Ok(ExitCode::SUCCESS)
}

pub fn move_session(out: &mut dyn Write, session: i64, to: &str) -> Result<ExitCode, CliError> {
    let at = chrono::NaiveDateTime::parse_from_str(to, "%Y-%m-%dT%H:%M").map_err(|_| {
        CliError::Usage(format!(
            "{to:?} is not a local date and time YYYY-MM-DDTHH:MM"
        ))
    })?;
    let start = at.format("%H:%M").to_string();
    let db = open_db()?;
    let before = db.require_plan()?;
    let plan = progress::move_session(&db, now()?, session, at.date(), &start)?;
    let s = plan.session(session)?;
    writeln!(
        out,
        "Session {session} moved to {} {} (pinned).",
        s.date, s.start
    )?;
    others(out, &before, &plan, |c| c.id == session)?;
    Ok(ExitCode::SUCCESS)
}

pub fn mark_topic(out: &mut dyn Write, topic: &str, mark: TopicMark) -> Result<ExitCode, CliError> {
    let db = open_db()?;
    let before = db.require_plan()?;
    let plan = progress::mark_topic(&db, now()?, topic, Some(mark))?;
    writeln!(out, "Marked {topic} {}.", mark.as_str())?;
    others(out, &before, &plan, |c| c.topic == topic)?;
    Ok(ExitCode::SUCCESS)
}

pub fn review(
    out: &mut dyn Write,
    topic: &str,
    grade: GradeArg,
    date: Option<NaiveDate>,
) -> Result<ExitCode, CliError> {
    let recall = match grade {
        GradeArg::Again => Recall::Again,
        GradeArg::Hard => Recall::Hard,
        GradeArg::Good => Recall::Good,
        GradeArg::Easy => Recall::Easy,
    };
    let db = open_db()?;
    let before = db.require_plan()?;
    let plan = progress::review_topic(&db, now()?, topic, recall, date)?;
    let title = plan
        .roadmap
        .topic(topic)
        .map_or_else(|| topic.to_string(), |t| t.title.clone());
    let last = plan.recalls.iter().max_by_key(|r| r.id);
    let next = plan
        .sessions
        .iter()
        .filter(|s| {
            s.kind == SessionKind::Review
                && s.topic == topic
                && s.status == SessionStatus::Planned
                && last.is_none_or(|r| s.date > r.date)
        })
        .map(|s| s.date)
        .min();
    writeln!(
        out,
        "Review of {} rated {}{}.",
        terminal_text(&title),
        recall.as_str(),
        last.map_or_else(String::new, |r| format!(" on {}", r.date))
    )?;
    match next {
        Some(d) => writeln!(out, "Next review: {d}.")?,
        None => writeln!(
            out,
            "No next review fits in the plan yet; it will be planned as the plan goes on."
        )?,
    }
    others(out, &before, &plan, |c| c.topic == topic)?;
    Ok(ExitCode::SUCCESS)
}

pub fn replan(
    out: &mut dyn Write,
    policy: PolicyArg,
    cap: f64,
    use_pace: bool,
    dry_run: bool,
    format: Format,
) -> Result<ExitCode, CliError> {
    let policy = match policy {
        PolicyArg::Extend if use_pace => ReplanPolicy::UsePace,
        _ if use_pace => {
            return Err(CliError::Usage(
                "--use-pace pushes the finish date at your pace; it cannot be combined with another --policy".into(),
            ));
        }
        PolicyArg::Extend => ReplanPolicy::Extend,
        PolicyArg::Compress => ReplanPolicy::Compress {
            cap_hours_per_week: cap,
        },
        PolicyArg::DropOptional => ReplanPolicy::DropOptional,
        PolicyArg::UsePace => ReplanPolicy::UsePace,
        PolicyArg::PullForward => ReplanPolicy::PullForward,
    };
    let (preview, _) = progress::replan(&open_db()?, now()?, policy, dry_run)?;
    match format {
        Format::Json => json(out, &preview)?,
        Format::Text => print_replan(out, &preview, dry_run)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `roadmap availability --week DAY WINDOWS` (or `--usual`): one week's own times.
pub fn set_week(
    out: &mut dyn Write,
    day: NaiveDate,
    windows: Option<&str>,
) -> Result<ExitCode, CliError> {
    let db = open_db()?;
    let before = db.require_plan()?;
    let plan = progress::set_week(&db, now()?, day, windows)?;
    let monday = roadmap_core::clock::monday_of(day);
    let (available, _) = plan.week_busy(monday);
    let hours = |m: u32| f64::from(m) / 60.0;
    match plan.settings.weeks.get(&monday) {
        Some(w) if w.is_empty() => writeln!(out, "The week of {monday} has no study time.")?,
        Some(w) => writeln!(
            out,
            "The week of {monday} has its own times: {w} ({:.1} h).",
            hours(available)
        )?,
        None => writeln!(
            out,
            "The week of {monday} has your usual times ({:.1} h).",
            hours(available)
        )?,
    }
    let changed = session_changes(&before.sessions, &plan.sessions).len();
    match changed {
        0 => writeln!(out, "No session changed.")?,
        n => writeln!(
            out,
            "{n} of that week's sessions changed (`roadmap sessions --from {monday}` lists them); anything that did not fit is behind, for the next replan."
        )?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `roadmap export --all FILE.json`: everything, as one file.
pub fn export_all(out: &mut dyn Write, path: &Path) -> Result<ExitCode, CliError> {
    let db = open_db()?;
    let written = roadmap_app::data::export_all(&db, now()?, path)?;
    writeln!(out, "Wrote all of your data to {}.", written.display())?;
    Ok(ExitCode::SUCCESS)
}

/// `roadmap import FILE.json`: everything replaced by the file, after a backup.
pub fn import_all(out: &mut dyn Write, path: &Path) -> Result<ExitCode, CliError> {
    let db = open_db()?;
    let done = roadmap_app::data::import_all(&db, now()?, path)?;
    let i = done.imported;
    writeln!(
        out,
        "Imported {} plan{} with {} sessions from {}.",
        i.plans,
        if i.plans == 1 { "" } else { "s" },
        i.sessions,
        path.display()
    )?;
    if let Some(b) = done.backup {
        writeln!(
            out,
            "Your data as it was is kept in the backup {}.",
            b.display()
        )?;
    }
    if i.caldav_disconnected {
        writeln!(
            out,
            "The CalDAV connection was forgotten: connect again with `roadmap caldav connect`."
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `roadmap replan --undo`: the last replan taken back.
pub fn undo_replan(out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let db = open_db()?;
    let before = db.require_plan()?;
    let plan = progress::undo_replan(&db, now()?)?;
    let changed = session_changes(&before.sessions, &plan.sessions).len();
    writeln!(
        out,
        "The last replan is undone: {changed} sessions are back as they were before it{}.",
        plan.record()
            .projected_end()
            .map_or_else(String::new, |d| format!("; the plan finishes on {d}"))
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Says how many sessions other than the action's own (`own`) changed their place: a plan
/// people rely on should stay put, so every command that changes it says what else moved.
pub fn others(
    out: &mut dyn Write,
    before: &SavedPlan,
    after: &SavedPlan,
    own: impl Fn(&SessionChange) -> bool,
) -> std::io::Result<()> {
    let n = session_changes(&before.sessions, &after.sessions)
        .iter()
        .filter(|c| !own(c))
        .count();
    match n {
        0 => writeln!(out, "No other session changed."),
        1 => writeln!(
            out,
            "1 other session changed (`roadmap sessions` lists them)."
        ),
        n => writeln!(
            out,
            "{n} other sessions changed (`roadmap sessions` lists them)."
        ),
    }
}

/// The plan before a change, when there is one (a command without a plan fails in its use case
/// with the sentence that says so).
pub fn plan_before(db: &Db) -> Result<Option<std::sync::Arc<SavedPlan>>, CliError> {
    Ok(db.plan()?)
}
