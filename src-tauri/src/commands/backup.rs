//! "Restore from backup": the verified backups the store keeps, and putting one back.

use tauri::State;

use roadmap_core::api::{ApiError, BackupView, BackupsView};
use roadmap_store::backup;

use crate::AppState;
use crate::commands::arg::Arg;

#[tauri::command]
pub async fn list_backups(state: State<'_, AppState>) -> Result<BackupsView, ApiError> {
    let db = state.db_path()?;
    Ok(BackupsView {
        folder: backup::folder(db).display().to_string(),
        backups: backup::list(db)?
            .into_iter()
            .map(|b| BackupView {
                name: b.name,
                bytes: b.bytes,
            })
            .collect(),
        problem: state.backup_problem.clone(),
        restart_needed: None,
    })
}

/// Replaces the database's contents with the backup `name` (the current state is backed up
/// first), then reloads what the app holds in memory.
#[tauri::command]
pub async fn restore_backup(
    state: State<'_, AppState>,
    name: Arg<String>,
) -> Result<BackupsView, ApiError> {
    let name = name.get("name")?;
    let db = state.db_path()?.to_path_buf();
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    if !state.db_is_open() {
        // The file there could not be opened: put the backup in its place, keep the file.
        let aside = backup::restore_file(&db, &name, &stamp)?;
        let mut view = list_backups(state).await?;
        view.restart_needed = Some(format!(
            "The backup is in place. The file that could not be opened was kept as {}. Quit Roadmap Planner and start it again to use the restored data.",
            aside.display()
        ));
        return Ok(view);
    }
    state.with_conn_mut(|conn| Ok(backup::restore(conn, &db, &name, &stamp)?))?;
    state.reload_roadmap()?;
    list_backups(state).await
}
