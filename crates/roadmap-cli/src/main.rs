//! `roadmap`: plan and track the backend-developer roadmap from a terminal.
//!
//! A thin shell like the app: it reads files, the clock and the database, calls the core, and
//! prints. It uses the app's data folder (or `$ROADMAP_PLANNER_DATA_DIR`).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{Datelike, NaiveDate};
use clap::{Parser, Subcommand, ValueEnum};

use roadmap_core::api::{PlanSettings, PlanView};
use roadmap_core::content::{BUNDLED_ROADMAP, BUNDLED_ROADMAP_NAME};
use roadmap_core::schedule::availability::{Availability, Blackout};
use roadmap_core::schedule::planner::{self, Fix, Plan, PlanRequest};
use roadmap_core::{CoreError, Roadmap, schedule};
use roadmap_store::StoreError;

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
        /// Make the start and months the current plan in the database, as creating it in the
        /// app does (needs --months).
        #[arg(long)]
        save: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print the current plan saved in the database.
    Status {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
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
    let mut out = stdout.lock();
    match run(cli, &mut out).and_then(|code| out.flush().map(|()| code).map_err(CliError::from)) {
        Ok(code) => code,
        // The reader went away (`roadmap plan | head`): nothing more to say.
        Err(CliError::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
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
            save,
            format,
        } => {
            let file = roadmap;
            let (roadmap, text) = read_roadmap(file.as_deref())?;
            let mut req = PlanRequest::new(&roadmap, start);
            req.months = months;
            req.availability = availability
                .as_deref()
                .map(Availability::parse)
                .transpose()?;
            req.blackouts = blackouts
                .iter()
                .map(|b| Blackout::parse(b))
                .collect::<Result<_, _>>()?;
            req.session_min = session_min;
            req.session_max = session_max;
            let plan = planner::plan(&req)?;
            if save {
                let Some(months) = months else {
                    return Err(CliError::Usage("--save needs --months".into()));
                };
                save_plan(&roadmap, file.as_deref(), text.as_deref(), start, months)?;
            }
            match format {
                Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&plan)?)?,
                Format::Text => print_schedule(out, &roadmap, &plan)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Status { format } => {
            let conn = roadmap_store::open(&roadmap_store::database_path()?)?;
            match roadmap_store::plans::current(&conn)? {
                Some(plan) => print_plan(out, &plan, format)?,
                None => match format {
                    Format::Text => writeln!(
                        out,
                        "No plan yet. Create one in the app, or with `roadmap plan --start YYYY-MM-DD --months N --save`."
                    )?,
                    Format::Json => writeln!(out, "null")?,
                },
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Saves the plan's settings and step spread as the current plan, with its roadmap.
fn save_plan(
    roadmap: &Roadmap,
    file: Option<&std::path::Path>,
    text: Option<&str>,
    start: NaiveDate,
    months: u32,
) -> Result<(), CliError> {
    let settings = PlanSettings { start, months };
    let target_end = schedule::target_end(&settings)?;
    let steps = schedule::spread_steps(roadmap, &settings)?;
    let created_at = now();
    let mut new = roadmap_store::plans::NewPlan {
        created_at: &created_at,
        roadmap_id: None,
        roadmap_title: &roadmap.title,
        settings: &settings,
        target_end,
        steps: &steps,
    };
    let mut conn = roadmap_store::open(&roadmap_store::database_path()?)?;
    let tx = conn.transaction().map_err(StoreError::from)?;
    // The plan's roadmap becomes the current one, as when planning in the app.
    match (file, text) {
        (Some(path), Some(text)) => {
            let stored = roadmap_store::roadmaps::insert_current(
                &tx,
                &path.display().to_string(),
                text,
                &created_at,
            )?;
            new.roadmap_id = Some(stored.id);
        }
        _ => roadmap_store::roadmaps::use_bundled(&tx)?,
    }
    roadmap_store::plans::insert_current(&tx, &new)?;
    tx.commit().map_err(StoreError::from)?;
    Ok(())
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
                eprintln!("{e}");
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

fn print_plan(out: &mut dyn Write, plan: &PlanView, format: Format) -> Result<(), CliError> {
    match format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(plan)?)?,
        Format::Text => {
            writeln!(out, "{}", plan.roadmap_title)?;
            writeln!(
                out,
                "Start {}, {} months, target end {}",
                plan.settings.start, plan.settings.months, plan.target_end
            )?;
            for (i, s) in plan.steps.iter().enumerate() {
                writeln!(
                    out,
                    "{:>2}. {:<32} {} to {}  ({:.0} h)",
                    i + 1,
                    s.title,
                    s.start,
                    s.end,
                    s.hours
                )?;
            }
        }
    }
    Ok(())
}

/// The only clock read in the CLI: when a plan is created.
fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
