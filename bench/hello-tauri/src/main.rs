//! The smallest Tauri app that can say when its page is on screen, so the app's start-up can be
//! compared with Tauri's own floor on the same machine in the same run.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[tauri::command]
fn report_ready(app: tauri::AppHandle) {
    if std::env::var("ROADMAP_PLANNER_EXIT_ON_READY").is_ok_and(|v| v == "1") {
        app.exit(0);
    }
}

fn main() {
    let result = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![report_ready])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("hello-tauri could not start: {e}");
        std::process::exit(1);
    }
}
