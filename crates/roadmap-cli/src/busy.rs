//! `roadmap busy`: the learner's busy calendars, over `roadmap_app::busy`.

use std::io::Write;
use std::process::ExitCode;

use roadmap_app::busy;
use roadmap_app::remote::dav::BUSY_PREFIX;
use roadmap_app::{AppError, Db};
use roadmap_core::saved::SavedPlan;

use crate::args::{BusyAction, Format};
use crate::print::{json, print_changes};
use crate::progress::{others, plan_before};
use crate::terminal::terminal_text;
use crate::{CliError, now, open_db};

pub fn run(out: &mut dyn Write, action: BusyAction) -> Result<ExitCode, CliError> {
    let now = now()?;
    let db = open_db()?;
    let before = plan_before(&db)?;
    match action {
        BusyAction::Add { source, name, yes } => {
            // A file given by a relative path is kept by its full path: `refresh` may run
            // from anywhere.
            let source = if busy::is_address(&source) || source.starts_with(BUSY_PREFIX) {
                source
            } else {
                std::path::absolute(&source).map_or(source, |p| p.to_string_lossy().into_owned())
            };
            let added = busy::add(&db, &source, name.as_deref(), yes, now)?;
            let name = terminal_text(added.name.trim());
            let read = &added.read;
            if !added.added {
                writeln!(
                    out,
                    "Not added: {name} ({} events, {} busy stretches) would move {} sessions:",
                    read.events,
                    read.intervals.len(),
                    added.changes.len()
                )?;
                print_changes(out, &added.changes, 40)?;
                writeln!(
                    out,
                    "Run `roadmap busy add` again with --yes to add it and move them."
                )?;
                return Ok(ExitCode::FAILURE);
            }
            writeln!(
                out,
                "Added {name} ({} events, {} busy stretches); the plan keeps clear of them.",
                read.events,
                read.intervals.len()
            )?;
            for s in &read.skipped {
                writeln!(out, "  left out: {}", terminal_text(s))?;
            }
            say_others(out, &db, before.as_deref())?;
        }
        BusyAction::List { format } => {
            let list = busy::list(&db)?;
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
            let (readings, _) = busy::refresh_all(&db, now)?;
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
                        terminal_text(&e.to_string())
                    )?,
                }
            }
            if !readings.is_empty() {
                say_others(out, &db, before.as_deref())?;
            }
            if failed > 0 {
                return Ok(ExitCode::FAILURE);
            }
        }
        BusyAction::Remove { name } => {
            match busy::remove(&db, &name, now) {
                Err(AppError::NoBusyCalendar { .. }) => {
                    return Err(CliError::Usage(format!(
                        "there is no busy calendar called {name:?}; `roadmap busy list` lists them"
                    )));
                }
                other => other?,
            }
            writeln!(
                out,
                "Removed {}; the times it blocked are free again.",
                terminal_text(&name)
            )?;
            say_others(out, &db, before.as_deref())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// After the busy times changed: how many planned sessions changed their place (none is the
/// action's own).
fn say_others(out: &mut dyn Write, db: &Db, before: Option<&SavedPlan>) -> Result<(), CliError> {
    if let (Some(before), Some(after)) = (before, db.plan()?) {
        others(out, before, &after, |_| false)?;
    }
    Ok(())
}
