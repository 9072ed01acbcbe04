//! "Restore from backup": the verified backups the store keeps, and putting one back.

use tauri::State;

use roadmap_core::api::{BackupHolds, BackupReason, BackupView, BackupsView, ErrorKind};
use roadmap_store::backup;

use crate::AppState;
use crate::commands::arg::Arg;
use crate::state::now;
use crate::wire::Wire;

#[tauri::command]
pub async fn list_backups(state: State<'_, AppState>) -> Result<BackupsView, Wire> {
    let db = db_path(&state)?;
    Ok(BackupsView {
        folder: backup::folder(db).display().to_string(),
        backups: backup::list(db)?
            .into_iter()
            .map(|b| describe(db, b))
            .collect(),
        problem: state.backup_problem.clone(),
        restored_note: None,
    })
}

/// A backup as the window lists it: when and why it was made, and what it holds.
fn describe(db: &std::path::Path, b: backup::BackupInfo) -> BackupView {
    let holds = match backup::contents(db, &b.name) {
        Some(backup::BackupContents::NoPlan) => BackupHolds::NoPlan,
        Some(backup::BackupContents::Plan {
            start,
            made,
            sessions_done,
        }) => BackupHolds::Plan {
            start,
            made,
            sessions_done,
        },
        None => BackupHolds::Unknown,
    };
    BackupView {
        reason: match backup::reason(&b.name) {
            backup::BackupReason::Daily => BackupReason::Daily,
            backup::BackupReason::BeforeUpdate => BackupReason::BeforeUpdate,
            backup::BackupReason::BeforeRestore => BackupReason::BeforeRestore,
            backup::BackupReason::BeforeImport => BackupReason::BeforeImport,
            backup::BackupReason::Other => BackupReason::Other,
        },
        // The file's time, as the app's clock read it (the test clock shifts it in debug builds).
        made: b.made.map(|t| {
            let real = chrono::DateTime::<chrono::Utc>::from(t);
            roadmap_app::clock::of_real(real)
                .unwrap_or(real)
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string()
        }),
        name: b.name,
        bytes: b.bytes,
        holds,
    }
}

/// Replaces the database's contents with the backup `name` (the current state is backed up
/// first), then reloads what the app holds in memory. A database that could not be opened is
/// kept aside under another name, the backup put in its place and opened: no restart needed.
#[tauri::command]
pub async fn restore_backup(
    state: State<'_, AppState>,
    name: Arg<String>,
) -> Result<BackupsView, Wire> {
    let name = name.get("name")?;
    let db = db_path(&state)?.to_path_buf();
    let stamp = now()?.format("%Y%m%dT%H%M%SZ").to_string();
    if !state.db.is_open() {
        let aside = backup::restore_file(&db, &name, &stamp)?;
        state.db.reopen()?;
        state.reload_roadmap()?;
        let mut view = list_backups(state).await?;
        view.restored_note = Some(format!(
            "The backup is in place and open. The file that could not be opened was kept, unchanged, as {}.",
            aside.display()
        ));
        return Ok(view);
    }
    state
        .db
        .whole(|conn| Ok(backup::restore(conn, &db, &name, &stamp)?))?;
    state.reload_roadmap()?;
    list_backups(state).await
}

/// Starts afresh with empty data when the database cannot be opened and no backup is wanted:
/// the file is kept aside, unchanged, and a new database opened in its place. Refused while
/// the database opens (the window offers this only on the damaged-data screen).
#[tauri::command]
pub async fn start_afresh(state: State<'_, AppState>) -> Result<BackupsView, Wire> {
    if state.db.is_open() {
        return Err(Wire::new(
            ErrorKind::InvalidInput,
            "your data opens as it is; to begin again, make a new plan from the Plan tab",
        ));
    }
    let db = db_path(&state)?.to_path_buf();
    let stamp = now()?.format("%Y%m%dT%H%M%SZ").to_string();
    let aside = backup::set_aside(&db, &stamp)?;
    state.db.reopen()?;
    state.reload_roadmap()?;
    let mut view = list_backups(state).await?;
    view.restored_note = Some(format!(
        "Started afresh with empty data. The file that could not be opened was kept, unchanged, as {}.",
        aside.display()
    ));
    Ok(view)
}

/// Where the database file is (there is none when no data folder could be found).
fn db_path(state: &AppState) -> Result<&std::path::Path, Wire> {
    state
        .db
        .path()
        .ok_or_else(|| Wire::new(ErrorKind::Database, "the database is not open"))
}
