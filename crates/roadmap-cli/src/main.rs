//! `roadmap`: plan and track the backend-developer roadmap from a terminal.
//!
//! Arguments and printing only: every action is one use case of `roadmap_app`, the same the
//! window calls, on the same database (the app's data folder, or `$ROADMAP_PLANNER_DATA_DIR`).

mod args;
mod busy;
mod caldav;
mod plan;
mod print;
mod progress;
mod terminal;
mod timer;
mod track;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use roadmap_app::{AppError, Db};
use roadmap_core::CoreError;
use roadmap_core::api::{PlanSettings, TopicMark};
use roadmap_store::StoreError;

use crate::args::{Cli, Command};
use crate::terminal::{Terminal, terminal_text};

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    App(#[from] AppError),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    #[error("{0}")]
    Usage(String),
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
}

impl CliError {
    /// A file the command was given that could not be read, as the CLI says it.
    fn reading(e: AppError) -> CliError {
        match e {
            AppError::File { path, source } => CliError::Read { path, source },
            other => CliError::App(other),
        }
    }
}

impl From<CoreError> for CliError {
    fn from(e: CoreError) -> Self {
        CliError::App(e.into())
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        CliError::App(e.into())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    // Everything printed goes through `Terminal`: a roadmap's text cannot drive the terminal.
    let mut out = std::io::BufWriter::new(Terminal::new(stdout.lock()));
    match run(cli, &mut out).and_then(|code| out.flush().map(|()| code).map_err(CliError::from)) {
        Ok(code) => code,
        // The reader went away (`roadmap plan | head`): nothing more to say.
        Err(CliError::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", terminal_text(&e.to_string()));
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    match cli.command {
        Command::Validate { file } => plan::validate(file, out),
        Command::Tracks { roadmap, format } => plan::tracks(roadmap, format, out),
        Command::Plan {
            roadmap,
            start,
            months,
            availability,
            blackouts,
            session_min,
            session_max,
            without_optional,
            known,
            some,
            track,
            review_cap,
            time_zone,
            save,
            format,
        } => {
            let settings = PlanSettings {
                start,
                months,
                availability,
                blackouts,
                session_min,
                session_max,
                include_optional: !without_optional,
                known: known.unwrap_or_default(),
                some: some.unwrap_or_default(),
                review_cap,
                pace: None,
                weeks: Default::default(),
                chosen: track,
                edits: Vec::new(),
            };
            plan::plan(
                out,
                plan::PlanArgs {
                    roadmap,
                    settings,
                    time_zone,
                    save,
                    format,
                },
            )
        }
        Command::Status { topics, format } => progress::status(out, topics, format),
        Command::Busy { action } => busy::run(out, action),
        Command::Track {
            action:
                args::TrackAction::Switch {
                    option,
                    dry_run,
                    format,
                },
        } => track::switch_track(out, &option, dry_run, format),
        Command::Caldav { action } => caldav::run(out, action),
        Command::Week { action } => progress::week(out, action),
        Command::Forecast { format } => progress::forecast(out, format),
        Command::Log {
            delete: Some(id), ..
        } => progress::delete_log(out, id),
        Command::Log {
            topic: Some(topic),
            minutes: Some(minutes),
            date,
            edit: Some(id),
            ..
        } => progress::edit_log(out, id, &topic, minutes, date),
        Command::Log {
            topic: Some(topic),
            minutes: Some(minutes),
            date,
            ..
        } => progress::log(out, &topic, minutes, date),
        Command::Log { .. } => Err(CliError::Usage(
            "give the topic and the minutes (or --delete ID)".into(),
        )),
        Command::Logs { from, to, format } => progress::logs(out, from, to, format),
        Command::Export { all: Some(all), .. } => progress::export_all(out, &all),
        Command::Export {
            roadmap: Some(file),
            ..
        } => track::export_roadmap(out, &file),
        Command::Topic { action } => track::topic(out, action),
        Command::Export {
            ics: Some(ics),
            alarm,
            name,
            ..
        } => progress::export(out, &ics, alarm, name.as_deref()),
        Command::Export { .. } => Err(CliError::Usage(
            "say what to export: --ics FILE.ics, --all FILE.json, or --roadmap FILE.toml".into(),
        )),
        Command::Import { file } => progress::import_all(out, &file),
        Command::Availability {
            week,
            windows,
            usual,
        } => progress::set_week(out, week, if usual { None } else { windows.as_deref() }),
        Command::Next { format } => timer::next(out, format),
        Command::Timer { action } => timer::run(out, action),
        Command::Reminders { setting } => timer::reminders(out, setting.as_deref()),
        Command::CheckIcs { file } => progress::check_ics(out, &file),
        Command::Sessions { from, to, format } => progress::sessions(out, from, to, format),
        Command::Mark {
            session,
            mark,
            minutes,
        } => progress::mark(out, session, mark, minutes),
        Command::Move { session, to } => progress::move_session(out, session, &to),
        Command::Done { topic } => progress::mark_topic(out, &topic, TopicMark::Done),
        Command::Review { topic, grade, date } => progress::review(out, &topic, grade, date),
        Command::Skip { topic } => progress::mark_topic(out, &topic, TopicMark::Skipped),
        Command::Replan { undo: true, .. } => progress::undo_replan(out),
        Command::Replan {
            policy,
            cap,
            use_pace,
            dry_run,
            undo: false,
            format,
        } => progress::replan(out, policy, cap, use_pace, dry_run, format),
    }
}

/// The database, opened (and migrated). A verified backup is made at least once a day the
/// planner is used; a failure is reported but does not stop the command, as the data itself
/// is fine.
fn open_db() -> Result<Db, CliError> {
    let db = Db::open(&roadmap_store::database_path()?)?;
    if let Err(e) = db.daily_backup(now()?) {
        eprintln!(
            "warning: today's backup could not be made: {}",
            terminal_text(&e.to_string())
        );
    }
    Ok(db)
}

/// Now: the CLI's one clock read, `roadmap_app::clock::now` (debug builds let tests set it).
fn now() -> Result<chrono::DateTime<chrono::Utc>, CliError> {
    Ok(roadmap_app::clock::now()?)
}

/// The allocator of this short-lived process. `roadmap plan` at 1,000 topics makes ~45,000
/// allocations; glibc's malloc spent ~230 instructions on each (with its free) and, growing and
/// shrinking its heap, took ~670 more page faults than this one (BENCHMARKS.md, "`roadmap plan` on 1,000
/// topics"). The app keeps the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
