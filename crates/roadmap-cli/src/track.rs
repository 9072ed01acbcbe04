//! `roadmap track …`: the plan's language track (its roadmap's choice).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use roadmap_app::{progress, roadmap};
use roadmap_core::content::{HoursSpec, NewTopic, ResourceSpec, TopicChange, TopicEdit, own_id};
use roadmap_core::saved::{SavedPlan, session_changes};

use crate::args::{Format, TopicAction};
use crate::print::{json, print_replan};
use crate::terminal::terminal_text;
use crate::{CliError, now, open_db};

/// `roadmap track switch ID`: the plan follows another option of its roadmap's choice.
pub fn switch_track(
    out: &mut dyn Write,
    option: &str,
    dry_run: bool,
    format: Format,
) -> Result<ExitCode, CliError> {
    let (preview, plan) = progress::switch_track(&open_db()?, now()?, option, dry_run)?;
    match format {
        Format::Json => json(out, &preview)?,
        Format::Text => {
            if !dry_run {
                let titles: Vec<&str> = plan
                    .roadmap
                    .choices
                    .iter()
                    .filter_map(|c| c.options.iter().find(|o| o.id == c.chosen))
                    .map(|o| o.title.as_str())
                    .collect();
                writeln!(out, "The plan now follows {}.", titles.join(", "))?;
            }
            print_replan(out, &preview, dry_run)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `roadmap topic …`: the learner's changes to the plan's roadmap.
pub fn topic(out: &mut dyn Write, action: TopicAction) -> Result<ExitCode, CliError> {
    let db = open_db()?;
    let edit = match action {
        TopicAction::Changes { format } => {
            let plan = db.require_plan()?;
            match format {
                Format::Json => json(out, &plan.settings.edits)?,
                Format::Text if plan.settings.edits.is_empty() => {
                    writeln!(out, "No changes to the plan's roadmap.")?;
                }
                Format::Text => {
                    for (i, e) in plan.settings.edits.iter().enumerate() {
                        writeln!(out, "{:>3}. {}", i + 1, terminal_text(&describe(e)))?;
                    }
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        TopicAction::Undo { number } => {
            let before = db.require_plan()?;
            let index = number.checked_sub(1).ok_or_else(|| {
                CliError::Usage("changes are numbered from 1 (`roadmap topic changes`)".into())
            })?;
            let plan = roadmap::undo_edit(&db, now()?, index)?;
            writeln!(out, "Change {number} is taken back.")?;
            say_moved(out, &before, &plan)?;
            return Ok(ExitCode::SUCCESS);
        }
        TopicAction::Add {
            title,
            step,
            skills,
            hours,
            low,
            high,
            requires,
            summary,
            resources,
            optional,
        } => {
            let plan = db.require_plan()?;
            let id = own_id(&title, |id| {
                plan.roadmap.any_topic(id).is_some()
                    || plan.settings.edits.iter().any(|e| e.topic() == id)
            });
            TopicEdit::Add {
                topic: NewTopic {
                    id,
                    step,
                    title,
                    summary,
                    skills,
                    hours: estimate(hours, low, high),
                    requires,
                    optional,
                    resources: resources
                        .iter()
                        .map(|r| resource(r))
                        .collect::<Result<_, _>>()?,
                },
            }
        }
        TopicAction::Edit {
            id,
            title,
            summary,
            hours,
            low,
            high,
            requires,
            resources,
            no_resources,
        } => TopicEdit::Change {
            id,
            change: TopicChange {
                title,
                summary,
                hours: hours.map(|h| estimate(h, low, high)),
                requires: requires.map(|r| {
                    r.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                }),
                resources: if no_resources {
                    Some(Vec::new())
                } else if resources.is_empty() {
                    None
                } else {
                    Some(
                        resources
                            .iter()
                            .map(|r| resource(r))
                            .collect::<Result<_, _>>()?,
                    )
                },
            },
        },
        TopicAction::Remove { id } => TopicEdit::Remove { id },
    };
    let said = describe(&edit);
    let before = db.require_plan()?;
    let plan = roadmap::edit_topic(&db, now()?, edit)?;
    writeln!(out, "{}.", terminal_text(&said))?;
    say_moved(out, &before, &plan)?;
    Ok(ExitCode::SUCCESS)
}

/// The sessions an edit changed, counted.
fn say_moved(out: &mut dyn Write, before: &SavedPlan, after: &SavedPlan) -> Result<(), CliError> {
    let changed = session_changes(&before.sessions, &after.sessions);
    let (added, gone) = (
        changed.iter().filter(|c| c.before.is_none()).count(),
        changed.iter().filter(|c| c.after.is_none()).count(),
    );
    let moved = changed.len() - added - gone;
    if changed.is_empty() {
        writeln!(out, "No session changed.")?;
    } else {
        writeln!(
            out,
            "Sessions: {added} added, {moved} moved, {gone} cancelled; no other topic's session changed."
        )?;
    }
    if let Some(first) = changed
        .iter()
        .filter_map(|c| c.after.as_ref().filter(|_| c.before.is_none()))
        .map(|p| p.date)
        .min()
    {
        writeln!(
            out,
            "Placed in the time left free, from {first}; `roadmap replan` fits the work in earlier by moving other sessions."
        )?;
    }
    Ok(())
}

/// An edit in words.
fn describe(e: &TopicEdit) -> String {
    let h = |h: &HoursSpec| format!("{} h ({}–{})", h.expected, h.low, h.high);
    match e {
        TopicEdit::Add { topic } => {
            format!("Added {} ({}), {}", topic.title, topic.id, h(&topic.hours))
        }
        TopicEdit::Remove { id } => format!("Removed {id}"),
        TopicEdit::Change { id, change } => {
            let mut what = Vec::new();
            if let Some(t) = &change.title {
                what.push(format!("title {t:?}"));
            }
            if change.summary.is_some() {
                what.push("summary".to_string());
            }
            if let Some(x) = &change.hours {
                what.push(format!("estimate {}", h(x)));
            }
            if let Some(r) = &change.requires {
                what.push(if r.is_empty() {
                    "requires nothing".to_string()
                } else {
                    format!("requires {}", r.join(", "))
                });
            }
            if let Some(r) = &change.resources {
                what.push(format!(
                    "{} resource{}",
                    r.len(),
                    if r.len() == 1 { "" } else { "s" }
                ));
            }
            format!("Changed {id}: {}", what.join(", "))
        }
    }
}

fn estimate(expected: f64, low: Option<f64>, high: Option<f64>) -> HoursSpec {
    let around = HoursSpec::around(expected);
    HoursSpec {
        low: low.unwrap_or(around.low),
        expected,
        high: high.unwrap_or(around.high),
    }
}

/// "TITLE|URL|KIND" as a resource.
fn resource(text: &str) -> Result<ResourceSpec, CliError> {
    let parts: Vec<&str> = text.split('|').map(str::trim).collect();
    match parts.as_slice() {
        [title, url, kind] => Ok(ResourceSpec {
            title: (*title).to_string(),
            url: (*url).to_string(),
            kind: (*kind).to_string(),
        }),
        [title, url] => Ok(ResourceSpec {
            title: (*title).to_string(),
            url: (*url).to_string(),
            kind: "docs".to_string(),
        }),
        _ => Err(CliError::Usage(format!(
            "--resource {text:?}: write \"TITLE|URL|KIND\", such as \"gRPC docs|https://grpc.io/docs/|docs\""
        ))),
    }
}

/// `roadmap export --roadmap FILE.toml`: the plan's roadmap, with the learner's changes.
pub fn export_roadmap(out: &mut dyn Write, file: &Path) -> Result<ExitCode, CliError> {
    roadmap::export_plan_roadmap(&open_db()?, file)?;
    writeln!(
        out,
        "Wrote the plan's roadmap to {}.",
        terminal_text(&file.display().to_string())
    )?;
    Ok(ExitCode::SUCCESS)
}
