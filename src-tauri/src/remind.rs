//! Reminders while the app runs: every [`TICK_SECONDS`] the plan is asked which reminders
//! fire (`SavedPlan::reminders`, the one setting's lead before each session and review), and
//! each is sent straight to the desktop's notification service (freedesktop, over D-Bus; the
//! window has no notification permission). Where the service advertises actions, a reminder
//! offers Start (the timer), Snooze 10 min and Not today; a click opens This week. A reminder
//! whose session is done, moved or cancelled since is withdrawn.

use std::collections::BTreeMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use tauri::{AppHandle, Emitter, Manager, Runtime};

use roadmap_core::remind::Reminder;

use crate::AppState;
use crate::window::{CHANGED_EVENT, show_week};
use crate::wire::Wire;

/// How often the plan is asked for reminders due.
pub const TICK_SECONDS: u64 = 15;
/// Debug builds: a snooze of this many seconds instead of ten minutes, for the tests.
const SNOOZE_ENV: &str = "ROADMAP_PLANNER_SNOOZE_SECONDS";

#[derive(Default)]
pub struct Reminders {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Reminders up to here have been sent.
    checked_until: Option<DateTime<Utc>>,
    /// By session: the start its reminder was for, and the notification's id.
    sent: BTreeMap<i64, (DateTime<Utc>, u32)>,
    /// Snoozed: (session, its start, when to fire again).
    snoozed: Vec<(i64, DateTime<Utc>, DateTime<Utc>)>,
}

fn snooze() -> Duration {
    #[allow(clippy::disallowed_methods)]
    let test = cfg!(debug_assertions)
        .then(|| std::env::var(SNOOZE_ENV).ok()?.parse::<i64>().ok())
        .flatten();
    test.map_or(Duration::minutes(10), Duration::seconds)
}

/// Runs the reminders for as long as the app does.
pub fn spawn<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        loop {
            let handle = app.clone();
            let ticked =
                crate::commands::off_the_runtime(&app, move |state| tick(&handle, state)).await;
            if let Err(e) = ticked {
                eprintln!("reminders: {e}");
            }
            let handle = app.clone();
            let _ = crate::commands::off_the_runtime(&app, move |_| {
                crate::tray::refresh(&handle);
                Ok(())
            })
            .await;
            tokio::time::sleep(std::time::Duration::from_secs(TICK_SECONDS)).await;
        }
    });
}

fn tick<R: Runtime>(app: &AppHandle<R>, state: &AppState) -> Result<(), Wire> {
    let now = crate::state::now()?;
    // While a timer runs, the desktop's idle time is noted in it (asked about at its stop).
    if roadmap_app::timer::status(&state.db, now)?.is_some_and(|t| t.running)
        && let Some((idle, _source)) = crate::idle::seconds()
    {
        roadmap_app::timer::note_idle(&state.db, now, idle)?;
    }
    let Some(plan) = state.db.plan()? else {
        return Ok(());
    };
    let lead = roadmap_app::reminders::minutes(&state.db)?;
    let clock = plan.clock(now);
    let reminders = app.state::<Reminders>();
    let (due, gone) = {
        let mut inner = reminders
            .inner
            .lock()
            .map_err(|_| Wire::from(roadmap_app::AppError::Interrupted))?;
        // Withdrawn: done, moved or cancelled since it was sent (or long over).
        let gone: Vec<u32> = inner
            .sent
            .iter()
            .filter(|(id, (start, _))| {
                !plan.reminder_stands(**id, *start, &clock) || *start < now - Duration::hours(12)
            })
            .map(|(_, (_, n))| *n)
            .collect();
        inner.sent.retain(|id, (start, _)| {
            plan.reminder_stands(*id, *start, &clock) && *start >= now - Duration::hours(12)
        });
        let after = inner
            .checked_until
            .unwrap_or(now - Duration::seconds(TICK_SECONDS as i64));
        inner.checked_until = Some(now);
        let mut due: Vec<Reminder> = match lead {
            // A reminder for a session already begun (after a night asleep) says nothing new.
            Some(lead) => plan
                .reminders(lead, after, now, &clock)
                .into_iter()
                .filter(|r| r.start > now)
                .collect(),
            None => Vec::new(),
        };
        let (ripe, later): (Vec<_>, Vec<_>) =
            inner.snoozed.drain(..).partition(|(_, _, at)| *at <= now);
        inner.snoozed = later;
        due.extend(
            ripe.into_iter()
                .filter_map(|(id, start, at)| plan.snoozed(id, start, at, &clock)),
        );
        (due, gone)
    };
    for id in gone {
        notify::withdraw(id);
    }
    for r in due {
        match notify::send(app, &r) {
            Ok(id) => {
                if let Ok(mut inner) = reminders.inner.lock() {
                    inner.sent.insert(r.session, (r.start, id));
                }
            }
            Err(e) => eprintln!("reminders: the desktop would not show one ({e})"),
        }
    }
    Ok(())
}

/// What the learner chose on a reminder.
fn act<R: Runtime>(app: &AppHandle<R>, session: i64, start: DateTime<Utc>, action: &str) {
    let state = app.state::<AppState>();
    let outcome: Result<(), Wire> = (|| {
        let now = crate::state::now()?;
        match action {
            "start" => {
                roadmap_app::timer::start(&state.db, now, Some(session), None)?;
                let _ = app.emit(CHANGED_EVENT, ());
                show_week(app);
            }
            "snooze" => {
                let reminders = app.state::<Reminders>();
                if let Ok(mut inner) = reminders.inner.lock() {
                    inner.sent.remove(&session);
                    inner.snoozed.push((session, start, now + snooze()));
                }
            }
            "not-today" => {
                let lead = roadmap_app::reminders::minutes(&state.db)?.unwrap_or(0);
                state
                    .db
                    .change(now, |plan, clock| Ok(plan.not_today(session, lead, clock)?))?;
                let _ = app.emit(CHANGED_EVENT, ());
            }
            "default" => show_week(app),
            _ => {}
        }
        Ok(())
    })();
    if let Err(e) = outcome {
        // Said in the window, which is brought up to say it.
        show_week(app);
        let _ = app.emit(crate::window::PROBLEM_EVENT, e.to_string());
    }
}

#[cfg(target_os = "linux")]
mod notify {
    use super::*;

    /// Shows `r`; its actions are waited for on a thread of their own.
    pub fn send<R: Runtime>(app: &AppHandle<R>, r: &Reminder) -> Result<u32, String> {
        let actions = notify_rust::get_capabilities()
            .map_err(|e| e.to_string())?
            .iter()
            .any(|c| c == "actions");
        let mut n = notify_rust::Notification::new();
        n.appname("Roadmap Planner")
            .summary(&r.title)
            .body(&r.body)
            .hint(notify_rust::Hint::Category("reminder".into()))
            .action("default", "Open This week");
        if actions {
            n.action("start", "Start")
                .action("snooze", "Snooze 10 min")
                .action("not-today", "Not today");
        }
        let handle = n.show().map_err(|e| e.to_string())?;
        let id = handle.id();
        let (app, session, start) = (app.clone(), r.session, r.start);
        std::thread::spawn(move || {
            handle.wait_for_action(|action| act(&app, session, start, action));
        });
        Ok(id)
    }

    /// Withdraws notification `id` (where the service still shows it).
    pub fn withdraw(id: u32) {
        let closed = zbus::blocking::Connection::session().and_then(|c| {
            c.call_method(
                Some("org.freedesktop.Notifications"),
                "/org/freedesktop/Notifications",
                Some("org.freedesktop.Notifications"),
                "CloseNotification",
                &(id,),
            )
            .map(|_| ())
        });
        if let Err(e) = closed {
            eprintln!("reminders: could not withdraw one ({e})");
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod notify {
    use super::*;

    pub fn send<R: Runtime>(_app: &AppHandle<R>, _r: &Reminder) -> Result<u32, String> {
        Err("desktop reminders are built for Linux only so far".into())
    }

    pub fn withdraw(_id: u32) {}
}
