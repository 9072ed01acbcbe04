//! `roadmap`: plan and track the backend-developer roadmap from a terminal.
//!
//! A thin shell like the app: it reads files, the clock and the database, calls the core, and
//! prints. It uses the app's data folder (or `$ROADMAP_PLANNER_DATA_DIR`).

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use roadmap_core::api::{PlanSettings, PlanView};
use roadmap_core::content::{BUNDLED_ROADMAP, BUNDLED_ROADMAP_NAME};
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
    /// Create a plan from a start date and a target duration.
    Plan {
        /// A roadmap file to plan instead of the bundled one.
        #[arg(long)]
        roadmap: Option<PathBuf>,
        /// First day of study, YYYY-MM-DD.
        #[arg(long)]
        start: NaiveDate,
        /// Target duration in months (6 to 24).
        #[arg(long, default_value_t = 12)]
        months: u32,
        /// Make this the current plan in the database, as creating it in the app does.
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, CliError> {
    match cli.command {
        Command::Validate { file } => validate(file),
        Command::Plan {
            roadmap,
            start,
            months,
            save,
            format,
        } => {
            let file = roadmap;
            let (roadmap, text) = read_roadmap(file.as_deref())?;
            let settings = PlanSettings { start, months };
            let target_end = schedule::target_end(&settings)?;
            let steps = schedule::spread_steps(&roadmap, &settings)?;
            let created_at = now();
            let mut new = roadmap_store::plans::NewPlan {
                created_at: &created_at,
                roadmap_id: None,
                roadmap_title: &roadmap.title,
                settings: &settings,
                target_end,
                steps: &steps,
            };
            let plan = if save {
                let mut conn = roadmap_store::open(&roadmap_store::database_path()?)?;
                let tx = conn.transaction().map_err(StoreError::from)?;
                // The plan's roadmap becomes the current one, as when planning in the app.
                match (&file, &text) {
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
                let plan = roadmap_store::plans::insert_current(&tx, &new)?;
                tx.commit().map_err(StoreError::from)?;
                plan
            } else {
                PlanView {
                    id: 0,
                    created_at,
                    roadmap_title: roadmap.title.clone(),
                    settings,
                    target_end,
                    steps,
                }
            };
            print_plan(&plan, format)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Status { format } => {
            let conn = roadmap_store::open(&roadmap_store::database_path()?)?;
            match roadmap_store::plans::current(&conn)? {
                Some(plan) => print_plan(&plan, format)?,
                None => match format {
                    Format::Text => println!(
                        "No plan yet. Create one in the app, or with `roadmap plan --start YYYY-MM-DD --months N --save`."
                    ),
                    Format::Json => println!("null"),
                },
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn validate(file: Option<PathBuf>) -> Result<ExitCode, CliError> {
    match load_roadmap(file.as_deref()) {
        Ok(r) => {
            println!(
                "{}: {} steps, {} topics, {} expected hours ({} required)",
                r.title,
                r.steps.len(),
                r.topics.len(),
                r.total_hours(),
                r.required_hours()
            );
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

fn print_plan(plan: &PlanView, format: Format) -> Result<(), CliError> {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(plan)?),
        Format::Text => {
            println!("{}", plan.roadmap_title);
            println!(
                "Start {}, {} months, target end {}",
                plan.settings.start, plan.settings.months, plan.target_end
            );
            for (i, s) in plan.steps.iter().enumerate() {
                println!(
                    "{:>2}. {:<32} {} to {}  ({:.0} h)",
                    i + 1,
                    s.title,
                    s.start,
                    s.end,
                    s.hours
                );
            }
        }
    }
    Ok(())
}

/// The only clock read in the CLI: when a plan is created.
fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
