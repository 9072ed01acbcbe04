//! `roadmap track …`: the plan's language track (its roadmap's choice).

use std::io::Write;
use std::process::ExitCode;

use roadmap_app::progress;

use crate::args::Format;
use crate::print::{json, print_replan};
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
