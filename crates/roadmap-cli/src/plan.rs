//! `roadmap validate` and `roadmap plan`: a roadmap checked, and a plan made (and saved).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use roadmap_app::AppError;
use roadmap_app::plan::RoadmapSource;
use roadmap_core::api::PlanSettings;
use roadmap_core::content::{BUNDLED_ROADMAP, BUNDLED_ROADMAP_NAME};
use roadmap_core::schedule::planner;
use roadmap_core::{CoreError, Roadmap};

use crate::args::Format;
use crate::print::{plan_json, print_schedule};
use crate::terminal::terminal_text;
use crate::{CliError, now, open_db};

/// `roadmap plan`'s choices, as given.
pub struct PlanArgs {
    pub roadmap: Option<PathBuf>,
    pub settings: PlanSettings,
    pub time_zone: Option<String>,
    pub save: bool,
    pub format: Format,
}

/// Schedules the roadmap. With `--save`, the plan is made from now on (never in the past),
/// around the busy calendars, saved as the current plan, and what is printed is that plan.
pub fn plan(out: &mut dyn Write, a: PlanArgs) -> Result<ExitCode, CliError> {
    let (roadmap, text) = read_roadmap(a.roadmap.as_deref())?;
    // The options chosen (`--track`): their topics are the roadmap planned and printed.
    let roadmap = match roadmap.chosen(&a.settings.chosen).map_err(AppError::from)? {
        Some(chosen) => chosen,
        None => roadmap,
    };
    let zone = match &a.time_zone {
        Some(z) => {
            roadmap_store::plans::check_time_zone(z)?;
            z.clone()
        }
        None => roadmap_store::system_time_zone(),
    };
    let plan = if a.save {
        let db = open_db()?;
        let path = a.roadmap.as_deref().map(|p| p.display().to_string());
        let source = match (&path, &text) {
            (Some(path), Some(text)) => RoadmapSource::File { path, text },
            _ => RoadmapSource::Bundled,
        };
        let roadmap = Arc::new(roadmap.clone());
        let (_, plan) =
            roadmap_app::plan::create(&db, roadmap, source, &a.settings, &zone, now()?)?;
        plan
    } else {
        planner::plan(&a.settings.request(&roadmap)?)?
    };
    match a.format {
        Format::Json => plan_json(out, &plan)?,
        Format::Text => print_schedule(out, &roadmap, &plan)?,
    }
    // The process ends here: freeing the plan's and the roadmap's ~20,000 strings one by one
    // would be a sixteenth of the whole run at 1,000 topics (BENCHMARKS.md).
    std::mem::forget((plan, roadmap));
    Ok(ExitCode::SUCCESS)
}

pub fn validate(file: Option<PathBuf>, out: &mut dyn Write) -> Result<ExitCode, CliError> {
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
            for c in &r.choices {
                let options: Vec<&str> = c.options.iter().map(|o| o.id.as_str()).collect();
                writeln!(
                    out,
                    "Choice {}: {} (counted above: {})",
                    c.id,
                    options.join(", "),
                    c.chosen
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(CliError::App(AppError::Core(CoreError::Content(errors)))) => {
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

/// `roadmap tracks`: each choice of the roadmap with its options and their hours.
pub fn tracks(
    file: Option<PathBuf>,
    format: Format,
    out: &mut dyn Write,
) -> Result<ExitCode, CliError> {
    let r = load_roadmap(file.as_deref())?;
    let options = r.options_hours();
    match format {
        Format::Json => {
            let choices: Vec<serde_json::Value> = r
                .choices
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "id": c.id,
                        "title": c.title,
                        "summary": c.summary,
                        "default": c.chosen,
                        "options": options
                            .iter()
                            .filter(|(oc, _, _)| oc.id == c.id)
                            .map(|(_, o, hours)| serde_json::json!({
                                "id": o.id,
                                "title": o.title,
                                "summary": o.summary,
                                "hours": hours,
                            }))
                            .collect::<Vec<_>>(),
                    })
                })
                .collect();
            crate::print::json(out, &choices)?;
        }
        Format::Text if r.choices.is_empty() => {
            writeln!(
                out,
                "{} offers no choice: every learner studies all of it.",
                terminal_text(&r.title)
            )?;
        }
        Format::Text => {
            for c in &r.choices {
                writeln!(out, "{} ({}):", terminal_text(&c.title), c.id)?;
                for (_, o, hours) in options.iter().filter(|(oc, _, _)| oc.id == c.id) {
                    writeln!(
                        out,
                        "  {:<12} {} — {hours:.0} h{}",
                        o.id,
                        terminal_text(&o.title),
                        if o.id == c.chosen {
                            " (the default)"
                        } else {
                            ""
                        }
                    )?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn load_roadmap(file: Option<&Path>) -> Result<Roadmap, CliError> {
    Ok(read_roadmap(file)?.0)
}

/// The roadmap in `file` (or the bundled one) and, for a file, its text.
fn read_roadmap(file: Option<&Path>) -> Result<(Roadmap, Option<String>), CliError> {
    match file {
        None => Ok((
            Roadmap::parse(BUNDLED_ROADMAP_NAME, BUNDLED_ROADMAP).map_err(CoreError::from)?,
            None,
        )),
        Some(path) => {
            let text =
                roadmap_app::files::read_text(path, roadmap_core::content::MAX_FILE_BYTES as u64)
                    .map_err(CliError::reading)?;
            let roadmap =
                Roadmap::parse(&path.display().to_string(), &text).map_err(CoreError::from)?;
            Ok((roadmap, Some(text)))
        }
    }
}
