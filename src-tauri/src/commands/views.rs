//! The timeline's topic details, the calendar and the progress dashboard.

use tauri::{AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;

use roadmap_app::AppError;
use roadmap_core::api::{CalendarView, DashboardView, ErrorKind, TopicDetail};
use roadmap_store::plans::{self, StoredPlan};
use roadmap_store::topic_notes;

use crate::AppState;
use crate::commands::arg::Arg;
use crate::state::now;
use crate::wire::Wire;

#[tauri::command]
pub async fn get_topic(
    state: State<'_, AppState>,
    topic: Arg<String>,
) -> Result<TopicDetail, Wire> {
    let topic = topic.get("topic")?;
    let plan = state.db.require_plan()?;
    let note = state.db.read(|conn| Ok(topic_notes::get(conn, &topic)?))?;
    detail(&plan, &topic, &note)
}

#[tauri::command]
pub async fn save_topic_note(
    state: State<'_, AppState>,
    topic: Arg<String>,
    note: Arg<String>,
) -> Result<TopicDetail, Wire> {
    let topic = topic.get("topic")?;
    let note = note.get("note")?;
    let stamp = roadmap_app::clock::stamp(now()?);
    let (plan, note) = state.db.write(|tx| {
        let plan = plans::require_current(tx)?;
        topic_notes::set(tx, &plan, &topic, &note, &stamp)?;
        Ok((plan, topic_notes::get(tx, &topic)?))
    })?;
    detail(&plan, &topic, &note)
}

/// Opens a topic's resource in the system browser. The window names the resource by topic and
/// position; the URL comes from the roadmap, so the window cannot make the shell open anything
/// else, and it needs no opener permission of its own.
#[tauri::command]
pub async fn open_resource<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    topic: Arg<String>,
    index: Arg<usize>,
) -> Result<(), Wire> {
    let topic = topic.get("topic")?;
    let index = index.get("index")?;
    let plan = state.db.require_plan()?;
    let url = plan
        .roadmap
        .topic(&topic)
        .and_then(|t| t.resources.get(index))
        .map(|r| r.url.clone())
        .ok_or(AppError::NoResource { topic, index })?;
    app.opener().open_url(&url, None::<&str>).map_err(|e| {
        // The system's own words (an exit status, an OS error) help a bug report, not the
        // user: they go to the log, the window gets a sentence and the address.
        eprintln!("opening {url} failed: {e}");
        open_failed(&url)
    })
}

/// What the window says when the system could not open a link.
pub(crate) fn open_failed(url: &str) -> Wire {
    Wire::new(
        ErrorKind::Io,
        format!(
            "Your system could not open the link in a web browser (is a default browser set up?). You can copy the address instead: {url}"
        ),
    )
}

#[tauri::command]
pub async fn get_calendar(state: State<'_, AppState>) -> Result<CalendarView, Wire> {
    let now = now()?;
    let plan = state.db.require_plan()?;
    Ok(plan.calendar_view(&plan.clock(now)))
}

#[tauri::command]
pub async fn get_dashboard(state: State<'_, AppState>) -> Result<DashboardView, Wire> {
    let now = now()?;
    let plan = state.db.require_plan()?;
    Ok(plan.record().dashboard(plan.clock(now).today()))
}

fn detail(plan: &StoredPlan, topic: &str, note: &str) -> Result<TopicDetail, Wire> {
    Ok(plan
        .record()
        .topic_detail(topic, note)
        .ok_or_else(|| AppError::NoTopic {
            topic: topic.to_string(),
        })?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_link_that_will_not_open_is_explained_with_its_address_and_no_system_words() {
        let e = super::open_failed("https://docs.python.org/3/tutorial/").0;
        assert!(e.message.contains("https://docs.python.org/3/tutorial/"));
        assert!(e.message.starts_with("Your system could not open the link"));
        for raw in ["ExitStatus", "wait_status", "os error", "Error"] {
            assert!(!e.message.contains(raw), "{raw} in {:?}", e.message);
        }
    }
}
