pub mod arg;
pub mod backup;
pub mod busy;
pub mod caldav;
pub mod calendar;
pub mod data;
pub mod lifecycle;
#[cfg(test)]
mod names;
pub mod pick;
pub mod plan;
pub mod progress;
pub mod roadmap;
pub mod timer;
pub mod views;

use tauri::{AppHandle, Manager, Runtime};

use roadmap_core::api::ErrorKind;

use crate::AppState;
use crate::wire::Wire;

/// Runs `f` on a thread of the blocking pool: for the use cases that wait on a server or a
/// file. An `async` command runs on one of the async runtime's few worker threads (as many as
/// the machine has cores), and a request that waits there for 30 s would hold up every other
/// command queued behind it.
pub async fn off_the_runtime<R: Runtime, T: Send + 'static>(
    app: &AppHandle<R>,
    f: impl FnOnce(&AppState) -> Result<T, Wire> + Send + 'static,
) -> Result<T, Wire> {
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<AppState>()))
        .await
        .map_err(|e| {
            Wire::new(
                ErrorKind::Internal,
                format!("the action stopped unexpectedly ({e})"),
            )
        })?
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::names::COMMANDS;

    const SOURCES: [&str; 12] = [
        include_str!("backup.rs"),
        include_str!("busy.rs"),
        include_str!("caldav.rs"),
        include_str!("calendar.rs"),
        include_str!("data.rs"),
        include_str!("lifecycle.rs"),
        include_str!("plan.rs"),
        include_str!("progress.rs"),
        include_str!("roadmap.rs"),
        include_str!("timer.rs"),
        include_str!("views.rs"),
        include_str!("mod.rs"),
    ];

    /// Each `#[tauri::command]` function: its name and the arguments the window sends (in the
    /// camelCase Tauri expects), the app's own parameters (state, handle) left out.
    fn command_functions() -> BTreeMap<String, BTreeSet<String>> {
        let mut out = BTreeMap::new();
        for source in SOURCES {
            let mut rest = source;
            while let Some(at) = rest.find("#[tauri::command]\n") {
                rest = &rest[at + "#[tauri::command]\n".len()..];
                let signature = &rest[..rest.find('{').unwrap_or(rest.len())];
                let name = signature
                    .split("fn ")
                    .nth(1)
                    .and_then(|s| s.split(['(', '<']).next())
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                let params = signature
                    .split_once('(')
                    .map(|(_, p)| p)
                    .unwrap_or_default();
                let args = params
                    .split(',')
                    .filter_map(|p| p.split_once(':'))
                    .filter(|(_, ty)| ty.trim().starts_with("Arg<"))
                    .map(|(n, _)| camel(n.trim()))
                    .collect();
                out.insert(name, args);
            }
        }
        out
    }

    fn camel(snake: &str) -> String {
        let mut out = String::new();
        let mut upper = false;
        for c in snake.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                out.extend(c.to_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        }
        out
    }

    /// `ui/src/api.ts`'s `Commands` interface: each command's name and argument keys.
    fn api_ts_commands() -> BTreeMap<String, BTreeSet<String>> {
        let api = include_str!("../../../ui/src/api.ts");
        let body = api
            .split_once("interface Commands {")
            .map(|(_, b)| b)
            .and_then(|b| b.split_once("\n}"))
            .map(|(b, _)| b)
            .expect("ui/src/api.ts declares `interface Commands { … }`");
        let mut out = BTreeMap::new();
        let mut current = String::new();
        for line in body.lines() {
            if let Some(name) = line
                .strip_prefix("  ")
                .filter(|l| !l.starts_with(' '))
                .and_then(|l| l.split_once(':'))
                .map(|(n, _)| n.trim())
            {
                current = name.to_string();
                out.insert(current.clone(), BTreeSet::new());
            }
            if let Some((_, args)) = line.split_once("args: {") {
                let args = args.split_once('}').map_or(args, |(a, _)| a);
                let keys = args
                    .split(';')
                    .filter_map(|a| a.split_once(':'))
                    .map(|(k, _)| k.trim().to_string())
                    .filter(|k| !k.is_empty());
                out.entry(current.clone()).or_default().extend(keys);
            }
        }
        out
    }

    /// Every command is declared in five places: its function, the handler list, the app's
    /// manifest (`build.rs`, from the one list `names.rs`), the window's capability and the
    /// typed wrapper in `ui/src/api.ts`. All must name the same commands, and the window must
    /// send each the arguments it takes; a command missing from one is a command the window
    /// cannot call, or may call without it being checked.
    #[test]
    fn every_command_is_declared_alike_everywhere() {
        let listed: BTreeSet<String> = COMMANDS.iter().map(|c| c.to_string()).collect();
        assert_eq!(listed.len(), COMMANDS.len(), "a command is listed twice");

        let functions = command_functions();
        let defined: BTreeSet<String> = functions.keys().cloned().collect();
        assert_eq!(defined, listed, "#[tauri::command] functions vs names.rs");

        let lib = include_str!("../lib.rs");
        let handlers = lib
            .split_once("generate_handler![")
            .and_then(|(_, l)| l.split_once(']'))
            .map(|(l, _)| l)
            .expect("lib.rs has a generate_handler! list");
        let handled: BTreeSet<String> = handlers
            .split(',')
            .map(|h| h.trim().rsplit("::").next().unwrap_or_default().to_string())
            .filter(|h| !h.is_empty())
            .collect();
        assert_eq!(handled, listed, "generate_handler! vs names.rs");

        let capability: serde_json::Value =
            serde_json::from_str(include_str!("../../capabilities/default.json"))
                .expect("the capability is JSON");
        let granted: BTreeSet<String> = capability["permissions"]
            .as_array()
            .expect("permissions")
            .iter()
            .filter_map(|p| p.as_str())
            .filter_map(|p| p.strip_prefix("allow-"))
            .map(|p| p.replace('-', "_"))
            .collect();
        assert_eq!(granted, listed, "capabilities/default.json vs names.rs");

        let wrapped = api_ts_commands();
        let typed: BTreeSet<String> = wrapped.keys().cloned().collect();
        assert_eq!(typed, listed, "ui/src/api.ts's Commands vs names.rs");
        for (name, args) in &functions {
            assert_eq!(
                &wrapped[name], args,
                "{name}: the arguments api.ts sends vs the ones the command takes"
            );
        }
    }

    /// Tauri runs a synchronous command on the main thread, where a slow database or
    /// scheduler call freezes the window: every command that touches either is `async`, which
    /// Tauri runs on its worker threads. Only `report_ready`, which touches neither, may stay
    /// synchronous.
    #[test]
    fn commands_that_touch_the_database_run_off_the_main_thread() {
        let mut commands = 0;
        let mut blocking = Vec::new();
        for source in SOURCES {
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
        assert_eq!(commands, COMMANDS.len());
        assert!(blocking.is_empty(), "synchronous commands: {blocking:?}");
    }
}
