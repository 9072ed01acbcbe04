//! The study timer's actions, shared by the window and `roadmap timer`: the machine's own
//! time read here ([`machine`]), the decisions the core's (`roadmap_core::timer`), each action
//! one transaction.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use roadmap_core::api::{AwayChoice as Away, NextNow, TimerBooked, TimerView};
use roadmap_core::saved::SavedPlan;
use roadmap_core::timer::{Machine, Timer};
use roadmap_store::{timers, topic_notes};

use crate::{AppError, Db};

/// Debug builds: seconds added to the time this boot has been suspended, so that tests can
/// put the computer to sleep.
pub const SUSPENDED_ENV: &str = "ROADMAP_PLANNER_SUSPENDED";
/// Debug builds: the boot id, so that tests can restart the computer.
pub const BOOT_ENV: &str = "ROADMAP_PLANNER_BOOT_ID";

/// What the machine says about its time at `now`. Linux: the boot id from
/// `/proc/sys/kernel/random/boot_id`, and `CLOCK_BOOTTIME` less `CLOCK_MONOTONIC` (the first
/// counts suspend, the second does not). Elsewhere: nothing (no time away is found).
pub fn machine(now: DateTime<Utc>) -> Machine {
    #[allow(unused_mut)]
    let mut m = read_machine(now);
    if cfg!(debug_assertions) {
        #[allow(clippy::disallowed_methods)]
        if let Some(extra) = std::env::var(SUSPENDED_ENV)
            .ok()
            .and_then(|v| v.parse::<i64>().ok())
        {
            m.suspended += extra;
        }
        #[allow(clippy::disallowed_methods)]
        if let Ok(boot) = std::env::var(BOOT_ENV) {
            m.boot = boot;
        }
    }
    m
}

#[cfg(target_os = "linux")]
fn read_machine(now: DateTime<Utc>) -> Machine {
    use rustix::time::{ClockId, clock_gettime};
    let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let seconds = |t: rustix::time::Timespec| t.tv_sec;
    let since_boot = seconds(clock_gettime(ClockId::Boottime));
    let awake = seconds(clock_gettime(ClockId::Monotonic));
    Machine {
        boot,
        suspended: (since_boot - awake).max(0),
        booted_at: Some(now - chrono::Duration::seconds(since_boot)),
    }
}

#[cfg(not(target_os = "linux"))]
fn read_machine(_now: DateTime<Utc>) -> Machine {
    Machine::unknown()
}

/// The timer's title: the topic's (a review's: "Review: …").
fn title(plan: Option<&SavedPlan>, timer: &Timer) -> String {
    plan.and_then(|p| {
        p.timer_target(timer.session, Some(&timer.topic))
            .ok()
            .map(|(_, t)| t)
    })
    .unwrap_or_else(|| timer.topic.clone())
}

/// The timer as it stands at `now`, if one is unfinished.
pub fn status(db: &Db, now: DateTime<Utc>) -> Result<Option<TimerView>, AppError> {
    let Some(timer) = db.read(|conn| Ok(timers::current(conn)?))? else {
        return Ok(None);
    };
    let plan = db.plan()?;
    Ok(Some(timer.view(
        &title(plan.as_deref(), &timer),
        now,
        &machine(now),
    )))
}

/// Starts the timer for `session`, or for `topic` outside any session. One timer at a time:
/// a second start is refused while one is unfinished.
pub fn start(
    db: &Db,
    now: DateTime<Utc>,
    session: Option<i64>,
    topic: Option<&str>,
) -> Result<TimerView, AppError> {
    let plan = db.require_plan()?;
    let (topic, title) = plan.timer_target(session, topic)?;
    let machine = machine(now);
    let timer = db.write(|tx| {
        if let Some(running) = timers::current(tx)? {
            return Err(AppError::TimerRunning {
                title: self::title(Some(&plan), &running),
                since: running
                    .started()
                    .map(|t| t.with_timezone(&plan.zone).format("%H:%M").to_string())
                    .unwrap_or_default(),
            });
        }
        // Never before a span already recorded ends (the clock may have gone back).
        let from = timers::all_spans(tx)?
            .iter()
            .map(|(_, start, end)| end.unwrap_or(*start))
            .max()
            .map_or(now, |last| now.max(last));
        let mut timer = Timer::start(0, session, &topic, from, &machine);
        timer.id = timers::start(tx, &timer)?;
        Ok(timer)
    })?;
    Ok(timer.view(&title, now, &machine))
}

/// Pauses the running timer.
pub fn pause(db: &Db, now: DateTime<Utc>) -> Result<TimerView, AppError> {
    let machine = machine(now);
    let timer = db.write(|tx| {
        let mut timer = timers::current(tx)?.ok_or(AppError::NoTimer)?;
        let closed = timer.pause(now, &machine)?;
        timers::close_span(tx, timer.id, &closed)?;
        if let Some(last) = timer.spans.last_mut() {
            *last = closed;
        }
        Ok(timer)
    })?;
    Ok(timer.view(&title(db.plan()?.as_deref(), &timer), now, &machine))
}

/// Resumes a paused timer.
pub fn resume(db: &Db, now: DateTime<Utc>) -> Result<TimerView, AppError> {
    let machine = machine(now);
    let timer = db.write(|tx| {
        let mut timer = timers::current(tx)?.ok_or(AppError::NoTimer)?;
        let span = timer.resume(now, &machine)?;
        timers::insert_span(tx, timer.id, &span)?;
        timer.spans.push(span);
        Ok(timer)
    })?;
    Ok(timer.view(&title(db.plan()?.as_deref(), &timer), now, &machine))
}

/// Stops the timer and books its minutes into the plan (`Away` says what to do with time the
/// computer was away), or, with `discard`, records nothing. The plan as it then is, and what
/// was booked.
pub fn stop(
    db: &Db,
    now: DateTime<Utc>,
    away: Away,
    discard: bool,
) -> Result<(Arc<SavedPlan>, TimerBooked), AppError> {
    let machine = machine(now);
    db.change_with(now, |tx, plan, clock| {
        let timer = timers::current(tx)?.ok_or(AppError::NoTimer)?;
        let title = title(Some(plan), &timer);
        if let Ok(closed) = timer.pause(now, &machine) {
            timers::close_span(tx, timer.id, &closed)?;
        }
        if discard {
            timers::finish(tx, timer.id, None)?;
            return Ok((
                Vec::new(),
                TimerBooked {
                    minutes: 0,
                    said: format!("{title}: timer discarded; nothing recorded."),
                    rate_topic: None,
                },
            ));
        }
        let view = timer.view(&title, now, &machine);
        if away == Away::Ask && view.away_minutes > 0 {
            return Err(AppError::TimerAway {
                minutes: view.away_minutes,
                why: view
                    .away
                    .iter()
                    .map(|a| a.why.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
            });
        }
        let minutes = timer.minutes_to_book(now, &machine, away != Away::Drop);
        let (changes, booked) = plan.book_timer(timer.session, &timer.topic, minutes, clock)?;
        timers::finish(tx, timer.id, Some(booked.minutes))?;
        Ok((changes, booked))
    })
}

/// What to do now: the next session (its topic's notes included) and the timer.
pub fn next(db: &Db, now: DateTime<Utc>) -> Result<NextNow, AppError> {
    let timer = status(db, now)?;
    let Some(plan) = db.plan()? else {
        return Ok(NextNow { next: None, timer });
    };
    let mut next = plan.next(&plan.clock(now));
    if let Some(n) = next.as_mut() {
        n.notes = db.read(|conn| Ok(topic_notes::get(conn, &n.topic)?))?;
    }
    Ok(NextNow { next, timer })
}

/// The desktop reported no input for `idle` seconds at `now`: noted in the running timer
/// when it is worth asking about later (`Timer::idle_to_note`). Returns whether it was noted.
pub fn note_idle(db: &Db, now: DateTime<Utc>, idle: i64) -> Result<bool, AppError> {
    db.write(|tx| {
        let Some(timer) = timers::current(tx)? else {
            return Ok(false);
        };
        match timer.idle_to_note(idle, now) {
            Some(note) => {
                timers::note_idle(tx, timer.id, note.extends, note.start, note.end)?;
                Ok(true)
            }
            None => Ok(false),
        }
    })
}
