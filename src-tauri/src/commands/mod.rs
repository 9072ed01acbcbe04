pub mod arg;
pub mod backup;
pub mod busy;
pub mod caldav;
pub mod calendar;
pub mod lifecycle;
pub mod plan;
pub mod progress;
pub mod roadmap;
pub mod views;

#[cfg(test)]
mod tests {
    /// Tauri runs a synchronous command on the main thread, where a slow database or
    /// scheduler call freezes the window: every command that touches either is `async`, which
    /// Tauri runs on its worker threads. Only `report_ready`, which touches neither, may stay
    /// synchronous.
    #[test]
    fn commands_that_touch_the_database_run_off_the_main_thread() {
        let sources = [
            include_str!("backup.rs"),
            include_str!("caldav.rs"),
            include_str!("calendar.rs"),
            include_str!("lifecycle.rs"),
            include_str!("plan.rs"),
            include_str!("progress.rs"),
            include_str!("roadmap.rs"),
            include_str!("views.rs"),
        ];
        let mut commands = 0;
        let mut blocking = Vec::new();
        for source in sources {
            let mut lines = source.lines();
            while let Some(line) = lines.next() {
                if line.trim() != "#[tauri::command]" {
                    continue;
                }
                commands += 1;
                let signature = lines.next().unwrap_or_default();
                if !signature.contains("pub async fn") && !signature.contains("fn report_ready") {
                    blocking.push(signature.trim().to_string());
                }
            }
        }
        assert!(commands >= 27, "found only {commands} commands");
        assert!(blocking.is_empty(), "synchronous commands: {blocking:?}");
    }
}
