//! `roadmap`: plan and track the backend-developer roadmap from a terminal.
//!
//! A thin shell like the app: it reads files, the clock and the database, calls the core, and
//! prints. It uses the app's data folder (or `$ROADMAP_PLANNER_DATA_DIR`).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{Datelike, NaiveDate};
use clap::{Parser, Subcommand, ValueEnum};

use std::sync::Arc;

use roadmap_core::api::{
    PlanSettings, PlanView, Recall, ReplanPolicy, ReplanPreview, SessionKind, SessionMark,
    SessionStatus, TopicMark, TopicState, WeekView,
};
use roadmap_core::clock::Clock;
use roadmap_core::content::{BUNDLED_ROADMAP, BUNDLED_ROADMAP_NAME};
use roadmap_core::saved::{Change, SavedPlan};
use roadmap_core::schedule::planner::{self, Fix, Plan};
use roadmap_core::{CoreError, Roadmap};
use roadmap_store::StoreError;
use roadmap_store::plans;
use rusqlite::Connection;

#[derive(Parser)]
#[command(
    name = "roadmap",
    version,
    about = "Plan and track your path to backend developer"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a roadmap file (default: the bundled roadmap) and print a summary or every error.
    Validate {
        /// The roadmap file to check.
        file: Option<PathBuf>,
    },
    /// Schedule every topic as study sessions from a start date, within a target duration
    /// and/or weekly availability, and report whether the target can be met.
    Plan {
        /// A roadmap file to plan instead of the bundled one.
        #[arg(long)]
        roadmap: Option<PathBuf>,
        /// First day of study, YYYY-MM-DD.
        #[arg(long)]
        start: NaiveDate,
        /// Target duration in months (6 to 24). Without --availability, a week is proposed.
        #[arg(long)]
        months: Option<u32>,
        /// Weekly study windows, e.g. "mon=19:00-21:00,sat=09:00-13:00".
        #[arg(long)]
        availability: Option<String>,
        /// A blocked-out period, YYYY-MM-DD..YYYY-MM-DD (repeatable).
        #[arg(long = "blackout", value_name = "FROM..TO")]
        blackouts: Vec<String>,
        /// Shortest session in minutes (a multiple of 15).
        #[arg(long, default_value_t = planner::DEFAULT_SESSION_MIN)]
        session_min: u32,
        /// Longest session in minutes (a multiple of 15).
        #[arg(long, default_value_t = planner::DEFAULT_SESSION_MAX)]
        session_max: u32,
        /// Leave out the optional topics.
        #[arg(long)]
        without_optional: bool,
        /// Steps you already know well (ids, comma-separated, e.g. `version-control`): their
        /// topics are marked skipped in the plan (undo any with the app) and not scheduled.
        #[arg(long, value_delimiter = ',')]
        known: Option<Vec<String>>,
        /// Steps you know something of: their topics' estimates start lower (at 60 %).
        #[arg(long, value_delimiter = ',')]
        some: Option<Vec<String>>,
        /// The share of the weekly hours that spaced review of finished topics may take, in
        /// percent (0 to 50; 0 turns review off).
        #[arg(long, value_name = "PERCENT", default_value_t = roadmap_core::recall::DEFAULT_CAP_PERCENT)]
        review_cap: u32,
        /// The IANA time zone the sessions' times are in (default: this machine's).
        #[arg(long, value_name = "ZONE")]
        time_zone: Option<String>,
        /// Make this the current plan in the database, exactly as creating it in the app does.
        #[arg(long)]
        save: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print the current plan: progress, this week's sessions and goal, and where each step
    /// stands.
    Status {
        /// List every topic with its state.
        #[arg(long)]
        topics: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Record study outside a planned session.
    #[command(allow_negative_numbers = true)]
    Log {
        /// The topic's id (`roadmap status --topics` lists them).
        topic: String,
        /// Minutes studied.
        minutes: i64,
        /// The day of study, YYYY-MM-DD (default: today); not in the future.
        #[arg(long)]
        date: Option<NaiveDate>,
    },
    /// Mark a topic done; its sessions still to come are dropped, and its spaced reviews
    /// begin.
    Done { topic: String },
    /// Rate a spaced review of a finished topic: how well you remembered it. Checks off the
    /// topic's review session of that day (or the latest one before it still open) and plans
    /// the next review from the grade.
    Review {
        /// The topic's id (`roadmap status --topics` lists them).
        topic: String,
        /// again (forgotten), hard, good or easy.
        #[arg(value_enum)]
        grade: GradeArg,
        /// The day of the review, YYYY-MM-DD (default: today); not in the future.
        #[arg(long)]
        date: Option<NaiveDate>,
    },
    /// Mark a topic skipped (you already know it); its sessions still to come are dropped.
    Skip { topic: String },
    /// Write the current plan to an iCalendar file that calendar apps import: a timed event
    /// per session and an all-day event per milestone, the same as the app's export.
    Export {
        /// The .ics file to write (replaced atomically if it exists).
        #[arg(long, value_name = "FILE")]
        ics: PathBuf,
        /// A reminder this many minutes before each session.
        #[arg(long, value_name = "MINUTES")]
        alarm: Option<u32>,
        /// The calendar's name (default: "Roadmap Planner: " and the roadmap's title).
        #[arg(long)]
        name: Option<String>,
    },
    /// Check an iCalendar file's structure: CRLF line ends, lines of at most 75 octets, no
    /// split UTF-8 character, the required properties, UTC stamps, ends after starts, unique
    /// UIDs, a VTIMEZONE for every TZID. Prints each problem with its line.
    CheckIcs { file: PathBuf },
    /// List the plan's sessions (cancelled ones included), oldest first.
    Sessions {
        /// The first day to list, YYYY-MM-DD.
        #[arg(long)]
        from: Option<NaiveDate>,
        /// The last day to list, YYYY-MM-DD.
        #[arg(long)]
        to: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Check a session off: `done`, `missed`, `partly MINUTES`, or `planned` to undo.
    Mark {
        /// The session's id (`roadmap sessions` lists them).
        session: i64,
        /// done, missed, partly or planned.
        #[arg(value_enum)]
        mark: MarkArg,
        /// With `partly`: the minutes studied.
        minutes: Option<u32>,
    },
    /// Move a session to another day and time: it is pinned there, and the work planned ahead
    /// is re-packed around it, as dragging it in the app does.
    Move {
        /// The session's id (`roadmap sessions` lists them).
        session: i64,
        /// The new local start, YYYY-MM-DDTHH:MM.
        to: String,
    },
    /// Reschedule what is left from now: past sessions stay, pinned ones stay put.
    Replan {
        #[arg(long, value_enum, default_value_t = PolicyArg::Extend)]
        policy: PolicyArg,
        /// With --policy compress: the most hours a week you are willing to study.
        #[arg(long, default_value_t = 20.0)]
        cap: f64,
        /// Re-estimate every topic left at your own pace (from the topics you finished), and
        /// push the finish date as needed; the same as `--policy use-pace`.
        #[arg(long)]
        use_pace: bool,
        /// Show what would change without saving it.
        #[arg(long)]
        dry_run: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Calendars whose events block study time (shifts, classes, family): sessions are never
    /// planned or moved onto them. Only the times they block are kept, never their events.
    Busy {
        #[command(subcommand)]
        action: BusyAction,
    },
    /// When the plan will most likely be finished: a band (50, 80 and 90 % likely), from your
    /// own pace and the share of planned hours you study, beside the plan's own finish
    Forecast {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The plan in your own calendar server (CalDAV: Nextcloud, Fastmail, iCloud, Radicale…),
    /// both ways: sessions, reviews and milestones as events, topics as tasks; a session moved
    /// there moves in the plan, a task completed there marks its topic done.
    Caldav {
        #[command(subcommand)]
        action: CaldavAction,
    },
}

#[derive(Subcommand)]
enum CaldavAction {
    /// Connect to a server (its plain address is enough: the calendar home is discovered),
    /// and choose or make the calendar. The password goes to the system keyring.
    Connect {
        /// The server's address, e.g. https://dav.example.com
        url: String,
        #[arg(long)]
        user: String,
        /// Read the password from the first line of this file instead of asking for it.
        #[arg(long)]
        password_file: Option<PathBuf>,
        /// The calendar to use or make (default: "Roadmap Planner").
        #[arg(long)]
        calendar: Option<String>,
    },
    /// Send the plan's changes and bring back the calendar's (moves, completed tasks).
    Sync {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Use the password in this file rather than the one in the system keyring.
        #[arg(long)]
        password_file: Option<PathBuf>,
    },
    /// The connection, and what the last sync did.
    Status {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Forget the connection and its password; the calendar on the server stays as it is.
    Disconnect,
    /// Your other calendars on the server, each with the source `roadmap busy add` takes to
    /// keep study off its events.
    Calendars {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[arg(long)]
        password_file: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum PolicyArg {
    /// Push the finish date.
    Extend,
    /// Keep the target by studying more each week, up to --cap hours.
    Compress,
    /// Leave out the optional topics not yet done.
    DropOptional,
    /// Push the finish date, re-estimating what is left at your own pace.
    UsePace,
}

#[derive(Subcommand)]
enum BusyAction {
    /// Add an .ics file; the plan's work ahead moves off the times it blocks.
    Add {
        /// The .ics file (a calendar app's export), an https:// or webcal:// address, or
        /// caldav:PATH, a calendar on the connected CalDAV server (`roadmap caldav calendars`).
        source: String,
        /// What to call it (default: the file's name).
        #[arg(long)]
        name: Option<String>,
    },
    /// List the busy calendars: what each blocks, when it was read, and any problem.
    List {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Read every busy calendar again; one that cannot be read keeps its last good copy.
    Refresh,
    /// Remove a busy calendar; the times it blocked are free again.
    Remove { name: String },
}

#[derive(Clone, Copy, ValueEnum)]
enum GradeArg {
    Again,
    Hard,
    Good,
    Easy,
}

#[derive(Clone, Copy, ValueEnum)]
enum MarkArg {
    Done,
    Missed,
    Partly,
    Planned,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("{0}")]
    Core(#[from] CoreError),
    #[error("{0}")]
    Store(#[from] StoreError),
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
        Command::Validate { file } => validate(file, out),
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
            review_cap,
            time_zone,
            save,
            format,
        } => {
            let file = roadmap;
            let (roadmap, text) = read_roadmap(file.as_deref())?;
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
            };
            let mut request = settings.request(&roadmap)?;
            if save {
                // The plan saved keeps clear of the busy calendars: so does the one printed.
                let conn = open_db()?;
                let zone: chrono_tz::Tz = match &time_zone {
                    Some(z) => z.parse().map_err(|_| {
                        CliError::Usage(format!(
                            "{z:?} is not a time zone name such as Europe/Berlin"
                        ))
                    })?,
                    None => roadmap_store::system_time_zone()
                        .parse()
                        .unwrap_or(chrono_tz::Tz::UTC),
                };
                let intervals = roadmap_store::busy_calendars::intervals(&conn)?;
                request.busy =
                    roadmap_core::busy::planning_stretches(&intervals, zone, request.start);
            }
            let plan = planner::plan(&request)?;
            if save {
                let zone = time_zone.unwrap_or_else(roadmap_store::system_time_zone);
                save_plan(
                    roadmap.clone(),
                    file.as_deref(),
                    text.as_deref(),
                    &settings,
                    &zone,
                )?;
            } else if let Some(zone) = time_zone {
                plans::check_time_zone(&zone)?;
            }
            match format {
                Format::Json => plan_json(out, &plan)?,
                Format::Text => print_schedule(out, &roadmap, &plan)?,
            }
            // The process ends here: freeing the plan's and the roadmap's ~20,000 strings one
            // by one would be a sixteenth of the whole run at 1,000 topics (BENCHMARKS.md).
            drop(request);
            std::mem::forget((plan, roadmap));
            Ok(ExitCode::SUCCESS)
        }
        Command::Status { topics, format } => {
            let mut conn = open_db()?;
            let Some(plan) = plans::current(&conn)? else {
                match format {
                    Format::Text => writeln!(
                        out,
                        "No plan yet. Create one in the app, or with `roadmap plan --start YYYY-MM-DD --months N --save`."
                    )?,
                    Format::Json => writeln!(out, "null")?,
                }
                return Ok(ExitCode::SUCCESS);
            };
            drop(plan);
            let now = now()?;
            let home = plans::write(&mut conn, |tx| {
                let plan = plans::change(tx, now, |_, _| Ok::<_, CliError>(Vec::new()))?;
                Ok::<_, CliError>(plan.home(&plan.clock(now)))
            })?;
            let (view, week) = (home.plan, home.week);
            match format {
                Format::Json => writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(
                        &serde_json::json!({ "plan": view, "week": week })
                    )?
                )?,
                Format::Text => print_status(out, &view, &week, topics)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Busy { action } => busy(out, action),
        Command::Caldav { action } => caldav(out, action),
        Command::Forecast { format } => {
            let now = now()?;
            let conn = open_db()?;
            let Some(plan) = plans::current(&conn)? else {
                return Err(CliError::Usage(
                    "there is no plan to forecast yet; make one with `roadmap plan ... --save`"
                        .into(),
                ));
            };
            let forecast = plan.forecast(&plan.clock(now));
            match format {
                Format::Json => json(out, &forecast)?,
                Format::Text => print_forecast(out, &forecast)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Log {
            topic,
            minutes,
            date,
        } => {
            let plan = change(|plan, clock| Ok(plan.log_study(&topic, date, minutes, clock)?))?;
            let day = plan.logs.iter().max_by_key(|l| l.id).map(|l| l.date);
            let day = day.map_or_else(String::new, |d| format!(" on {d}"));
            writeln!(out, "Logged {minutes} min of {topic}{day}.")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { ics, alarm, name } => {
            let conn = open_db()?;
            let plan = plans::require_current(&conn)?;
            let text = roadmap_store::export::render_ics(&plan, name.as_deref(), alarm)?;
            roadmap_store::export::write_atomically(&ics, text.as_bytes())?;
            let events = text.matches("BEGIN:VEVENT").count();
            writeln!(out, "Wrote {events} events to {}.", ics.display())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::CheckIcs { file } => {
            let text = std::fs::read_to_string(&file).map_err(|source| CliError::Read {
                path: file.clone(),
                source,
            })?;
            let problems = roadmap_core::calendar::lint(&text);
            for p in &problems {
                eprintln!(
                    "{}:{}: {}",
                    terminal_text(&file.display().to_string()),
                    p.line,
                    p.message
                );
            }
            if problems.is_empty() {
                writeln!(
                    out,
                    "{}: {} events, no problems found",
                    file.display(),
                    text.matches("BEGIN:VEVENT").count()
                )?;
                Ok(ExitCode::SUCCESS)
            } else {
                Ok(ExitCode::FAILURE)
            }
        }
        Command::Sessions { from, to, format } => {
            let conn = open_db()?;
            let plan = plans::require_current(&conn)?;
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
        Command::Mark {
            session,
            mark,
            minutes,
        } => {
            let mark = match (mark, minutes) {
                (MarkArg::Partly, Some(minutes)) => SessionMark::Partial { minutes },
                (MarkArg::Partly, None) => {
                    return Err(CliError::Usage(
                        "`partly` needs the minutes studied, e.g. `roadmap mark 12 partly 45`"
                            .into(),
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
            let plan = change(|plan, clock| Ok(plan.mark_session(session, mark, clock)?))?;
            let s = plan.session(session)?;
            writeln!(out, "Session {session} is now {}.", s.status.as_str())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Move { session, to } => {
            let at =
                chrono::NaiveDateTime::parse_from_str(&to, "%Y-%m-%dT%H:%M").map_err(|_| {
                    CliError::Usage(format!(
                        "{to:?} is not a local date and time YYYY-MM-DDTHH:MM"
                    ))
                })?;
            let start = at.format("%H:%M").to_string();
            let plan =
                change(|plan, clock| Ok(plan.move_session(session, at.date(), &start, clock)?))?;
            let s = plan.session(session)?;
            writeln!(
                out,
                "Session {session} moved to {} {} (pinned); the work planned ahead was re-packed around it.",
                s.date, s.start
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Done { topic } => mark_topic(out, &topic, TopicMark::Done),
        Command::Review { topic, grade, date } => {
            let recall = match grade {
                GradeArg::Again => Recall::Again,
                GradeArg::Hard => Recall::Hard,
                GradeArg::Good => Recall::Good,
                GradeArg::Easy => Recall::Easy,
            };
            let plan = change(|plan, clock| Ok(plan.review(&topic, recall, date, clock)?))?;
            let title = plan
                .roadmap
                .topic(&topic)
                .map_or_else(|| topic.clone(), |t| t.title.clone());
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
            Ok(ExitCode::SUCCESS)
        }
        Command::Skip { topic } => mark_topic(out, &topic, TopicMark::Skipped),
        Command::Replan {
            policy,
            cap,
            use_pace,
            dry_run,
            format,
        } => {
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
            };
            let now = now()?;
            let mut conn = open_db()?;
            // Decided inside the transaction that writes it: a move made in the app meanwhile
            // is part of what this replan sees, never overwritten by it.
            let preview = plans::write(&mut conn, |tx| {
                let mut preview = None;
                plans::change(tx, now, |plan, clock| {
                    let (p, changes) = plan.replan(policy, clock)?;
                    preview = Some(p);
                    Ok::<_, CliError>(if dry_run { Vec::new() } else { changes })
                })?;
                preview.ok_or_else(|| CliError::Usage("the replan did not run".into()))
            })?;
            match format {
                Format::Json => json(out, &preview)?,
                Format::Text => print_replan(out, &preview, dry_run)?,
            }
            Ok(ExitCode::SUCCESS)
        }
    }
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

fn busy(out: &mut dyn Write, action: BusyAction) -> Result<ExitCode, CliError> {
    use roadmap_store::busy_calendars as calendars;
    let now = now()?;
    let mut conn = open_db()?;
    match action {
        BusyAction::Add { source, name } => {
            // A file given by a relative path is kept by its full path: `refresh` may run
            // from anywhere.
            let source = if source.contains("://")
                || source.starts_with(roadmap_store::caldav::BUSY_PREFIX)
            {
                source
            } else {
                std::path::absolute(&source).map_or(source, |p| p.to_string_lossy().into_owned())
            };
            let name = match name {
                Some(n) => n,
                None => calendars::free_name(&conn, &source)?,
            };
            let read = calendars::add(&mut conn, &name, &source, now)?;
            writeln!(
                out,
                "Added {} ({} events, {} busy stretches); the plan keeps clear of them.",
                terminal_text(name.trim()),
                read.events,
                read.intervals.len()
            )?;
            for s in &read.skipped {
                writeln!(out, "  left out: {}", terminal_text(s))?;
            }
        }
        BusyAction::List { format } => {
            let list = calendars::list(&conn)?;
            match format {
                Format::Json => json(out, &list)?,
                Format::Text if list.is_empty() => writeln!(
                    out,
                    "No busy calendars. `roadmap busy add FILE.ics` adds one."
                )?,
                Format::Text => {
                    for c in &list {
                        writeln!(
                            out,
                            "{}: {} events, {} busy stretches, read {} — {}",
                            terminal_text(&c.name),
                            c.events,
                            c.intervals,
                            c.read_at.as_deref().unwrap_or("never"),
                            terminal_text(&c.source)
                        )?;
                        if let Some(e) = &c.error {
                            writeln!(
                                out,
                                "  could not be read at {}: {} (the last good copy is in use)",
                                c.checked_at,
                                terminal_text(e)
                            )?;
                        }
                        for s in &c.skipped {
                            writeln!(out, "  left out: {}", terminal_text(s))?;
                        }
                    }
                }
            }
        }
        BusyAction::Refresh => {
            let readings = calendars::refresh_all(&mut conn, now)?;
            if readings.is_empty() {
                writeln!(out, "No busy calendars to refresh.")?;
            }
            let failed = readings.iter().filter(|(_, r)| r.is_err()).count();
            for (name, read) in &readings {
                match read {
                    Ok(r) => writeln!(
                        out,
                        "{}: {} events, {} busy stretches",
                        terminal_text(name),
                        r.events,
                        r.intervals.len()
                    )?,
                    Err(e) => writeln!(
                        out,
                        "{}: could not be read ({}); its last good copy stays in use",
                        terminal_text(name),
                        terminal_text(e)
                    )?,
                }
            }
            if failed > 0 {
                return Ok(ExitCode::FAILURE);
            }
        }
        BusyAction::Remove { name } => {
            if !calendars::remove_and_adapt(&mut conn, &name, now)? {
                return Err(CliError::Usage(format!(
                    "there is no busy calendar called {name:?}; `roadmap busy list` lists them"
                )));
            }
            writeln!(
                out,
                "Removed {}; the times it blocked are free again.",
                terminal_text(&name)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn caldav(out: &mut dyn Write, action: CaldavAction) -> Result<ExitCode, CliError> {
    use roadmap_store::caldav;
    let now = now()?;
    let mut conn = open_db()?;
    match action {
        CaldavAction::Connect {
            url,
            user,
            password_file,
            calendar,
        } => {
            let password = match password_file {
                Some(f) => caldav::password_from_file(&f)?,
                None => ask_password(&user, &caldav::host_of(&url))?,
            };
            let (a, not_kept) =
                caldav::connect(&mut conn, &url, &user, &password, calendar.as_deref(), now)?;
            writeln!(
                out,
                "Connected to {} as {}: the calendar {:?} ({}).",
                caldav::host_of(&a.server),
                terminal_text(&a.user),
                terminal_text(&a.calendar_name),
                terminal_text(&a.calendar_url)
            )?;
            match not_kept {
                None => writeln!(out, "The password is in the system keyring.")?,
                Some(why) => writeln!(
                    out,
                    "The password was not kept: {}. Pass --password-file to each sync.",
                    terminal_text(&why)
                )?,
            }
            writeln!(out, "`roadmap caldav sync` sends the plan there.")?;
        }
        CaldavAction::Sync {
            format,
            password_file,
        } => {
            let password = password_file
                .map(|f| caldav::password_from_file(&f))
                .transpose()?;
            let report = caldav::sync(&mut conn, password.as_deref(), now)?;
            match format {
                Format::Json => json(out, &report)?,
                Format::Text => {
                    writeln!(
                        out,
                        "Sent {} new, {} changed, {} deleted; from the calendar: {} moved, {} completed.",
                        report.pushed,
                        report.updated,
                        report.deleted,
                        report.pulled_moves,
                        report.pulled_done
                    )?;
                    for c in &report.conflicts {
                        writeln!(out, "  conflict: {}", terminal_text(c))?;
                    }
                    for e in &report.errors {
                        writeln!(out, "  not finished: {}", terminal_text(e))?;
                    }
                }
            }
            if !report.errors.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
        CaldavAction::Status { format } => {
            let status = caldav::status(&conn)?;
            match (format, status) {
                (Format::Json, s) => json(out, &s)?,
                (Format::Text, None) => writeln!(
                    out,
                    "Not connected. `roadmap caldav connect URL --user USER` connects."
                )?,
                (Format::Text, Some(s)) => {
                    writeln!(
                        out,
                        "Connected to {} as {}: {:?} ({}), {} objects synced.",
                        caldav::host_of(&s.server),
                        terminal_text(&s.user),
                        terminal_text(&s.calendar),
                        terminal_text(&s.calendar_url),
                        s.objects
                    )?;
                    match (&s.last_sync, &s.last_report) {
                        (Some(at), Some(r)) => {
                            let outcome = if r.errors.is_empty() {
                                "complete".to_string()
                            } else {
                                format!("not finished: {}", r.errors.join("; "))
                            };
                            writeln!(
                                out,
                                "Last sync {at}: {} new, {} changed, {} deleted, {} moved, {} completed, {} conflicts; {}.",
                                r.pushed,
                                r.updated,
                                r.deleted,
                                r.pulled_moves,
                                r.pulled_done,
                                r.conflicts.len(),
                                terminal_text(&outcome)
                            )?;
                        }
                        _ => writeln!(out, "Not synced yet.")?,
                    }
                }
            }
        }
        CaldavAction::Calendars {
            format,
            password_file,
        } => {
            let password = password_file
                .map(|f| caldav::password_from_file(&f))
                .transpose()?;
            let list = caldav::server_calendars(&conn, password.as_deref())?;
            match format {
                Format::Json => json(out, &list)?,
                Format::Text if list.is_empty() => {
                    writeln!(out, "No other calendars on the server.")?
                }
                Format::Text => {
                    for c in &list {
                        writeln!(
                            out,
                            "{}: roadmap busy add {} --name {:?}",
                            terminal_text(&c.name),
                            terminal_text(&c.source),
                            terminal_text(&c.name)
                        )?;
                    }
                }
            }
        }
        CaldavAction::Disconnect => match caldav::disconnect(&mut conn)? {
            Some((a, keyring)) => {
                writeln!(
                    out,
                    "Disconnected from {}; the calendar {:?} on the server is left as it is.",
                    caldav::host_of(&a.server),
                    terminal_text(&a.calendar_name)
                )?;
                match keyring {
                    None => writeln!(out, "The password is gone from the system keyring.")?,
                    Some(why) => writeln!(out, "The password: {}.", terminal_text(&why))?,
                }
            }
            None => writeln!(out, "Not connected.")?,
        },
    }
    Ok(ExitCode::SUCCESS)
}

/// Asks for a password on the terminal without showing it; read from standard input when
/// that is not a terminal.
fn ask_password(user: &str, host: &str) -> Result<String, CliError> {
    use std::io::IsTerminal;
    let password = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("Password for {user} at {host}: "))?
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    if password.is_empty() {
        return Err(CliError::Usage(
            "no password given (type it, or pass --password-file)".into(),
        ));
    }
    Ok(password)
}

fn mark_topic(out: &mut dyn Write, topic: &str, mark: TopicMark) -> Result<ExitCode, CliError> {
    change(|plan, clock| Ok(plan.mark_topic(topic, Some(mark), clock)?))?;
    writeln!(out, "Marked {topic} {}.", mark.as_str())?;
    Ok(ExitCode::SUCCESS)
}

fn open_db() -> Result<Connection, CliError> {
    let path = roadmap_store::database_path()?;
    let conn = roadmap_store::open(&path)?;
    // A verified backup at least once a day the planner is used. A failure is reported but
    // does not stop the command: the data itself is fine.
    let today = today()?.format("%Y%m%d").to_string();
    if let Err(e) = roadmap_store::backup::daily(&conn, &path, &today) {
        eprintln!(
            "warning: today's backup could not be made: {}",
            terminal_text(&e.to_string())
        );
    }
    Ok(conn)
}

/// Changes the current plan: loaded, decided and written in one IMMEDIATE transaction, so a
/// concurrent writer (the app) is waited for and never overwritten. Returns the plan after.
fn change(
    decide: impl FnOnce(&SavedPlan, &Clock) -> Result<Vec<Change>, CliError>,
) -> Result<SavedPlan, CliError> {
    let now = now()?;
    let mut conn = open_db()?;
    plans::write(&mut conn, |tx| plans::change(tx, now, decide))
}

/// Saves the plan as the current one, with its roadmap: the same call the app makes.
fn save_plan(
    roadmap: Roadmap,
    file: Option<&std::path::Path>,
    text: Option<&str>,
    settings: &PlanSettings,
    time_zone: &str,
) -> Result<(), CliError> {
    let now = now()?;
    let created_at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut conn = open_db()?;
    plans::write(&mut conn, |tx| {
        // The plan's roadmap becomes the current one, as when planning in the app.
        let roadmap_id = match (file, text) {
            (Some(path), Some(text)) => Some(
                roadmap_store::roadmaps::insert_current(
                    tx,
                    &path.display().to_string(),
                    text,
                    &created_at,
                )?
                .id,
            ),
            _ => {
                roadmap_store::roadmaps::use_bundled(tx)?;
                None
            }
        };
        plans::create(tx, Arc::new(roadmap), roadmap_id, settings, time_zone, now)?;
        Ok::<_, CliError>(())
    })
}

fn print_schedule(out: &mut dyn Write, roadmap: &Roadmap, plan: &Plan) -> std::io::Result<()> {
    let hours: f64 = plan.topics.iter().map(|t| t.hours).sum();
    writeln!(
        out,
        "{}: {} topics, {hours:.0} h planned",
        roadmap.title,
        plan.topics.len()
    )?;
    match plan.target_end {
        Some(end) => writeln!(out, "Start {}, target {end}", plan.start)?,
        None => writeln!(out, "Start {}, no target date", plan.start)?,
    }
    writeln!(
        out,
        "Availability{}: {} ({:.1} h a week)",
        if plan.availability_proposed {
            " (proposed)"
        } else {
            ""
        },
        plan.availability,
        plan.available_hours_per_week
    )?;
    if let Some(h) = plan.required_hours_per_week {
        writeln!(out, "Needed to meet the target: {h:.1} h a week")?;
    }
    let reviews: Vec<&planner::Session> = plan
        .sessions
        .iter()
        .filter(|s| s.kind == SessionKind::Review)
        .collect();
    if !reviews.is_empty() {
        writeln!(
            out,
            "Spaced review: {} sessions, {:.1} h in all",
            reviews.len(),
            f64::from(reviews.iter().map(|s| s.minutes).sum::<u32>()) / 60.0
        )?;
    }
    match plan.projected_end {
        Some(end) => writeln!(out, "Projected finish: {end}")?,
        None => writeln!(out, "Projected finish: none (nothing could be scheduled)")?,
    }
    if plan.feasible {
        writeln!(out, "Feasible: yes")?;
    } else {
        writeln!(out, "Feasible: no")?;
        for u in &plan.unscheduled {
            writeln!(
                out,
                "  not scheduled: {} ({} min): {}",
                u.topic, u.minutes, u.reason
            )?;
        }
        for fix in &plan.fixes {
            match fix {
                Fix::MoreHours {
                    extra_hours_per_week,
                } => writeln!(
                    out,
                    "  fix: study {extra_hours_per_week:.1} more hours a week"
                )?,
                Fix::LaterTarget { months: Some(m) } => writeln!(out, "  fix: aim for {m} months")?,
                Fix::LaterTarget { months: None } => writeln!(
                    out,
                    "  fix: no target of 24 months or less is met with this availability"
                )?,
                Fix::DropOptional {
                    topics,
                    hours,
                    enough,
                } => writeln!(
                    out,
                    "  fix: drop the {} optional topics ({hours:.0} h){}",
                    topics.len(),
                    if *enough {
                        ", which alone meets the target"
                    } else {
                        ", which alone is not enough"
                    }
                )?,
            }
        }
    }
    writeln!(out, "Milestones:")?;
    for m in &plan.milestones {
        let title = roadmap
            .steps
            .iter()
            .find(|s| s.id == m.step)
            .map_or(m.step.as_str(), |s| s.title.as_str());
        writeln!(out, "  {:<32} {}", title, m.date)?;
    }
    writeln!(out, "{} sessions; the first week:", plan.sessions.len())?;
    let first_week = plan.sessions.first().map(|s| s.date.iso_week());
    for s in plan
        .sessions
        .iter()
        .take_while(|s| Some(s.date.iso_week()) == first_week)
    {
        writeln!(
            out,
            "  {} {} {:>3} min  {}",
            s.date.format("%a %Y-%m-%d"),
            s.start,
            s.minutes,
            s.topic
        )?;
    }
    Ok(())
}

fn validate(file: Option<PathBuf>, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    match load_roadmap(file.as_deref()) {
        Ok(r) => {
            writeln!(
                out,
                "{}: {} steps, {} topics, {} expected hours ({} required)",
                r.title,
                r.steps.len(),
                r.topics.len(),
                r.total_hours(),
                r.required_hours()
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(CliError::Core(CoreError::Content(errors))) => {
            for e in &errors.0 {
                eprintln!("{}", terminal_text(&e.to_string()));
            }
            eprintln!(
                "{} error{} found",
                errors.0.len(),
                if errors.0.len() == 1 { "" } else { "s" }
            );
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(e),
    }
}

fn load_roadmap(file: Option<&std::path::Path>) -> Result<Roadmap, CliError> {
    Ok(read_roadmap(file)?.0)
}

/// The roadmap in `file` (or the bundled one) and, for a file, its text.
fn read_roadmap(file: Option<&std::path::Path>) -> Result<(Roadmap, Option<String>), CliError> {
    match file {
        None => Ok((
            Roadmap::parse(BUNDLED_ROADMAP_NAME, BUNDLED_ROADMAP).map_err(CoreError::from)?,
            None,
        )),
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| CliError::Read {
                path: path.to_path_buf(),
                source,
            })?;
            let roadmap =
                Roadmap::parse(&path.display().to_string(), &text).map_err(CoreError::from)?;
            Ok((roadmap, Some(text)))
        }
    }
}

fn hours(minutes: u32) -> String {
    format!("{:.1} h", f64::from(minutes) / 60.0)
}

fn print_forecast(out: &mut dyn Write, f: &roadmap_core::api::ForecastView) -> std::io::Result<()> {
    let day = |d: Option<chrono::NaiveDate>| {
        d.map_or_else(|| "not within 20 years".to_string(), |d| d.to_string())
    };
    writeln!(
        out,
        "Forecast as of {} ({} simulated futures)",
        f.as_of, f.runs
    )?;
    writeln!(out, "  The plan's own finish: {}", day(f.naive_end))?;
    writeln!(out, "  50 % likely by:        {}", day(f.p50))?;
    writeln!(out, "  80 % likely by:        {}", day(f.p80))?;
    writeln!(out, "  90 % likely by:        {}", day(f.p90))?;
    match f.adherence {
        Some(a) => writeln!(
            out,
            "  You studied {:.0} % of the hours you planned, week by week.",
            100.0 * a
        )?,
        None => writeln!(
            out,
            "  No whole week studied yet: your share of planned hours is assumed."
        )?,
    }
    if !f.evidence {
        writeln!(
            out,
            "  Nothing to learn your pace from yet (a whole week, or a finished topic): the band comes from the roadmap's ranges alone."
        )?;
    }
    writeln!(
        out,
        "  Pace by skill area (your hours over the roadmap's estimate):"
    )?;
    for p in &f.pace {
        writeln!(
            out,
            "    {:<28} {:.2}×  ({:.0} h of finished topics)",
            p.name, p.factor, p.evidence_hours
        )?;
    }
    Ok(())
}

fn print_status(
    out: &mut dyn Write,
    plan: &PlanView,
    week: &WeekView,
    all_topics: bool,
) -> std::io::Result<()> {
    let p = &plan.progress;
    writeln!(out, "{}", plan.roadmap_title)?;
    let target = plan
        .target_end
        .map_or("no target".to_string(), |t| format!("target {t}"));
    let projected = plan
        .projected_end
        .map_or("nothing planned".to_string(), |d| {
            format!("projected finish {d}")
        });
    writeln!(
        out,
        "Start {}, {target}, {projected}{}",
        plan.settings.start,
        if plan.on_track {
            ""
        } else {
            " (behind the target)"
        }
    )?;
    writeln!(
        out,
        "Progress: {} of {} topics, {} of {}",
        p.topics_done,
        p.topics_total,
        hours(p.minutes_done),
        hours(p.minutes_total)
    )?;
    writeln!(
        out,
        "This week ({}): {} of {} done; goal {}",
        week.week,
        hours(week.done_minutes),
        hours(week.planned_minutes),
        hours(week.goal.target_minutes)
    )?;
    for s in &week.sessions {
        let status = match s.status {
            SessionStatus::Planned => "",
            SessionStatus::Done => "  [done]",
            SessionStatus::Partial => "  [partly]",
            SessionStatus::Missed => "  [missed]",
            SessionStatus::Cancelled => "  [cancelled]",
        };
        writeln!(
            out,
            "  #{:<5} {} {} {:>3} min  {}{}{status}",
            s.id,
            s.date.format("%a %Y-%m-%d"),
            s.start,
            s.minutes,
            if s.kind == SessionKind::Review {
                "review: "
            } else {
                ""
            },
            s.topic
        )?;
    }
    writeln!(out, "Steps:")?;
    for (i, s) in plan.steps.iter().enumerate() {
        let milestone = s.milestone.map_or("-".to_string(), |d| d.to_string());
        writeln!(
            out,
            "{:>2}. {:<32} milestone {milestone}  ({}/{} topics)",
            i + 1,
            s.title,
            s.topics_done,
            s.topics_total
        )?;
    }
    if all_topics {
        writeln!(out, "Topics:")?;
        for t in &plan.topics {
            let state = match t.state {
                TopicState::NotStarted => "not started",
                TopicState::InProgress => "in progress",
                TopicState::Done => "done",
                TopicState::Skipped => "skipped",
            };
            writeln!(
                out,
                "  {:<28} {state:<11} {} of {}",
                t.id,
                hours(t.done_minutes),
                hours(t.planned_minutes)
            )?;
        }
    }
    Ok(())
}

fn print_replan(out: &mut dyn Write, r: &ReplanPreview, dry_run: bool) -> std::io::Result<()> {
    let date = |d: Option<NaiveDate>| d.map_or("-".to_string(), |d| d.to_string());
    writeln!(
        out,
        "{} from {}:",
        if dry_run {
            "Replan (dry run)"
        } else {
            "Replanned"
        },
        r.from
    )?;
    writeln!(
        out,
        "  finish {} -> {} (target {}){}",
        date(r.projected_end_before),
        date(r.projected_end),
        date(r.target_end),
        if r.on_track {
            ""
        } else {
            ", behind the target"
        }
    )?;
    writeln!(
        out,
        "  {:.1} -> {:.1} h a week ({})",
        r.hours_per_week_before, r.hours_per_week, r.availability
    )?;
    writeln!(
        out,
        "  {} sessions move, {} added, {} cancelled",
        r.moved, r.added, r.cancelled
    )?;
    if !r.dropped.is_empty() {
        writeln!(out, "  optional topics left out: {}", r.dropped.join(", "))?;
    }
    if r.unscheduled_minutes > 0 {
        writeln!(out, "  {} not placed at all", hours(r.unscheduled_minutes))?;
    }
    Ok(())
}

/// Writes `value` as pretty JSON and a newline, as it is made, in 64 KiB pieces: a plan at
/// 1,000 topics is over a megabyte, which a whole-document buffer grew to by copying itself,
/// and a line-buffered terminal would take a line at a time.
fn json(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<(), CliError> {
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut buffered, value)?;
    buffered.write_all(b"\n")?;
    buffered.flush()?;
    Ok(())
}

/// [`json`] for a plan: the same bytes, its long lists written by hand (see
/// `roadmap_core::schedule::json`).
fn plan_json(out: &mut dyn Write, plan: &Plan) -> Result<(), CliError> {
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    roadmap_core::schedule::json::write_plan(plan, &mut buffered)?;
    buffered.write_all(b"\n")?;
    buffered.flush()?;
    Ok(())
}

/// Now: the CLI's one clock read (debug builds let tests set it; see
/// `roadmap_store::clock`).
fn now() -> Result<chrono::DateTime<chrono::Utc>, CliError> {
    Ok(roadmap_store::clock::now()?)
}

/// Today in the machine's zone, for the daily backup's name.
fn today() -> Result<NaiveDate, CliError> {
    let zone: chrono_tz::Tz = roadmap_store::system_time_zone()
        .parse()
        .unwrap_or(chrono_tz::Tz::UTC);
    Ok(now()?.with_timezone(&zone).date_naive())
}

/// Text from a roadmap, a file name or the database as it may reach a terminal: control
/// characters (which could retitle the terminal or change its colours) are shown as `?`; line
/// breaks and tabs stay.
fn terminal_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\n' | '\t') {
                '?'
            } else {
                c
            }
        })
        .collect()
}

/// Standard output with control characters replaced by `?`, as [`terminal_text`] does, byte
/// by byte so that it can sit under a `BufWriter` and see large chunks: C0 controls (but line
/// breaks and tabs) and DEL are single bytes; C1 controls (U+0080..U+009F) are 0xC2 followed
/// by 0x80..0x9F in UTF-8, so a write ending on 0xC2 keeps that byte until the next one.
struct Terminal<W: Write> {
    inner: W,
    /// A 0xC2 that ended the last write.
    held: bool,
}

impl<W: Write> Terminal<W> {
    fn new(inner: W) -> Self {
        Terminal { inner, held: false }
    }
}

impl<W: Write> Write for Terminal<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let mut bytes = Vec::new();
        let chunk: &[u8] = if self.held {
            bytes.reserve(buf.len() + 1);
            bytes.push(0xc2);
            bytes.extend_from_slice(buf);
            &bytes
        } else {
            buf
        };
        let (chunk, held) = match chunk.split_last() {
            Some((&0xc2, rest)) => (rest, true),
            _ => (chunk, false),
        };
        self.held = held;
        let c0 = |b: u8| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f;
        let c1 = |i: usize| {
            chunk[i] == 0xc2 && chunk.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n))
        };
        // A plain scan first (the compiler vectorises it); the exact check only when it finds
        // a byte that might start a control character.
        let suspicious = chunk.iter().fold(false, |seen, &b| {
            seen | ((b < 0x20) & (b != b'\n') & (b != b'\t')) | (b == 0x7f) | (b == 0xc2)
        });
        if !suspicious || !(0..chunk.len()).any(|i| c0(chunk[i]) || c1(i)) {
            self.inner.write_all(chunk)?;
            return Ok(buf.len());
        }
        let mut clean = Vec::with_capacity(chunk.len());
        let mut i = 0;
        while i < chunk.len() {
            if c1(i) {
                clean.push(b'?');
                i += 2;
            } else {
                clean.push(if c0(chunk[i]) { b'?' } else { chunk[i] });
                i += 1;
            }
        }
        self.inner.write_all(&clean)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if std::mem::take(&mut self.held) {
            // Output that ends on a lone 0xC2 is not text; pass the byte on as it came.
            self.inner.write_all(&[0xc2])?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Control characters become `?` however the output is cut into writes, a C1 control
    /// split across two of them included; everything else passes through unchanged.
    #[test]
    fn the_terminal_never_receives_a_control_character() {
        let text = "ok ✓ · é\n\tbell\u{7} esc\u{1b}]0;x csi\u{9b}31m del\u{7f} end";
        for capacity in 1..24 {
            let mut out = std::io::BufWriter::with_capacity(capacity, Terminal::new(Vec::new()));
            for piece in text.as_bytes().chunks(capacity) {
                out.write_all(piece).expect("write");
            }
            let mut terminal = out.into_inner().map_err(|_| "flush").expect("flush");
            terminal.flush().expect("flush");
            let written = terminal.inner;
            let written = String::from_utf8(written).expect("still UTF-8");
            assert_eq!(
                written, "ok ✓ · é\n\tbell? esc?]0;x csi?31m del? end",
                "cut every {capacity} bytes"
            );
        }
    }
}

/// The allocator of this short-lived process. `roadmap plan` at 1,000 topics makes ~45,000
/// allocations; glibc's malloc spent ~230 instructions on each (with its free) and, growing and
/// shrinking its heap, took ~670 more page faults than this one (BENCHMARKS.md, "`roadmap plan` on 1,000
/// topics"). The app keeps the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
