//! Writing the plan to an iCalendar file: the rendering is the core's; this writes it so that
//! an existing file is never left half-written.

use std::io::Write;
use std::path::{Path, PathBuf};

use roadmap_core::calendar::{self, ExportOptions};

use roadmap_store::plans::StoredPlan;

use crate::AppError;

/// The calendar's name when the user gives none.
pub fn default_name(plan: &StoredPlan) -> String {
    format!("Roadmap Planner: {}", plan.meta.roadmap_title)
}

/// The plan as iCalendar text, in the plan's own time zone (the machine's for plans made
/// before the zone was recorded; `plans::load` decides that).
pub fn render_ics(
    plan: &StoredPlan,
    name: Option<&str>,
    alarm_minutes: Option<u32>,
) -> Result<String, AppError> {
    let options = ExportOptions {
        name: name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map_or_else(|| default_name(plan), str::to_string),
        alarm_minutes,
        time_zone: plan.zone.name().to_string(),
    };
    Ok(calendar::render(&plan.record(), &plan.meta, &options)?)
}

/// Writes `bytes` to `path` atomically: into a temporary file in the same folder, flushed to
/// disk, then renamed over `path`. A failure leaves any existing file as it was.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    let io = |source: std::io::Error, at: &Path| AppError::File {
        path: at.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if path.is_dir() {
        return Err(io(
            std::io::Error::new(std::io::ErrorKind::IsADirectory, "it is a folder"),
            path,
        ));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    if !dir.is_dir() {
        return Err(io(
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("the folder {} does not exist", dir.display()),
            ),
            path,
        ));
    }
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        // Errors name the file the user asked for, not the temporary one.
        let mut f = std::fs::File::create(&tmp).map_err(|e| io(e, path))?;
        f.write_all(bytes).map_err(|e| io(e, path))?;
        f.sync_all().map_err(|e| io(e, path))?;
        std::fs::rename(&tmp, path).map_err(|e| io(e, path))?;
        // Make the rename itself durable.
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
