//! `roadmap next`, `roadmap timer` and `roadmap reminders`: the same use cases as the window's
//! This week card, its timer and the reminder setting.

use std::io::Write;
use std::process::ExitCode;

use roadmap_app::timer::{self, next as next_now};
use roadmap_core::api::{AwayChoice, NextView, TimerView};
use roadmap_core::timer::minutes_text;

use crate::args::{Format, TimerAction};
use crate::print::json;
use crate::{CliError, now, open_db};

/// When a session is, as a sentence part: "Mon 7 Dec 19:00".
fn when(n: &NextView) -> String {
    format!("{} {}", n.date.format("%a %-d %b %Y"), n.start)
}

pub fn next(out: &mut dyn Write, format: Format) -> Result<ExitCode, CliError> {
    let db = open_db()?;
    let now_ = next_now(&db, now()?)?;
    if let Format::Json = format {
        json(out, &now_.next)?;
        return Ok(ExitCode::SUCCESS);
    }
    let Some(n) = now_.next else {
        writeln!(out, "Nothing is planned ahead.")?;
        return Ok(ExitCode::SUCCESS);
    };
    let lead = if n.under_way {
        "Now".to_string()
    } else if n.first {
        format!("Your first session is {}", when(&n))
    } else {
        format!("Next: {}", when(&n))
    };
    writeln!(
        out,
        "{lead}: {} ({} min, {} {} of {}; id {}).",
        n.title,
        n.minutes,
        if n.kind == roadmap_core::api::SessionKind::Review {
            "review"
        } else {
            "session"
        },
        n.index,
        n.of,
        n.session
    )?;
    if !n.summary.is_empty() {
        writeln!(out, "{}", n.summary)?;
    }
    for r in &n.resources {
        writeln!(out, "- {} ({}): {}", r.title, r.kind, r.url)?;
    }
    if !n.notes.is_empty() {
        writeln!(out, "Your notes: {}", n.notes)?;
    }
    writeln!(out, "Start it with `roadmap timer start {}`.", n.session)?;
    Ok(ExitCode::SUCCESS)
}

fn say(out: &mut dyn Write, t: &TimerView, zone: chrono_tz::Tz) -> Result<(), CliError> {
    let state = if t.running { "running" } else { "paused" };
    let started = chrono::DateTime::parse_from_rfc3339(&t.started)
        .map(|s| s.with_timezone(&zone).format("%a %-d %b %H:%M").to_string())
        .unwrap_or_else(|_| t.started.clone());
    writeln!(
        out,
        "Timer {state} for {}: {} so far (started {started}).",
        t.title,
        minutes_text(t.elapsed_minutes),
    )?;
    for a in &t.away {
        writeln!(
            out,
            "Of those, {} are in question: {}.",
            minutes_text(a.minutes),
            a.why
        )?;
    }
    Ok(())
}

pub fn run(out: &mut dyn Write, action: TimerAction) -> Result<ExitCode, CliError> {
    let db = open_db()?;
    let now = now()?;
    let zone = db.zone()?;
    match action {
        TimerAction::Start { session, topic } => {
            let session = match (session, &topic) {
                (None, None) => Some(
                    next_now(&db, now)?
                        .next
                        .ok_or_else(|| {
                            CliError::Usage(
                                "nothing is planned ahead; give a session or --topic".into(),
                            )
                        })?
                        .session,
                ),
                _ => session,
            };
            let t = timer::start(&db, now, session, topic.as_deref())?;
            say(out, &t, zone)?;
        }
        TimerAction::Pause => say(out, &timer::pause(&db, now)?, zone)?,
        TimerAction::Resume => say(out, &timer::resume(&db, now)?, zone)?,
        TimerAction::Stop {
            discard,
            keep_away,
            drop_away,
        } => {
            let away = if keep_away {
                AwayChoice::Keep
            } else if drop_away {
                AwayChoice::Drop
            } else {
                AwayChoice::Ask
            };
            let (_, booked) = timer::stop(&db, now, away, discard).map_err(|e| match e {
                roadmap_app::AppError::TimerAway { minutes, why } => CliError::Usage(format!(
                    "{why}: stop with --keep-away to count those {minutes} minutes as studied, or --drop-away to leave them out"
                )),
                other => other.into(),
            })?;
            writeln!(out, "{}", booked.said)?;
            if let Some(topic) = booked.rate_topic {
                writeln!(
                    out,
                    "Rate it: `roadmap review {topic} again|hard|good|easy`."
                )?;
            }
        }
        TimerAction::Status { format } => {
            let t = timer::status(&db, now)?;
            match format {
                Format::Json => json(
                    out,
                    &serde_json::json!({
                        "running": t.as_ref().is_some_and(|t| t.running),
                        "paused": t.as_ref().is_some_and(|t| !t.running),
                        "session": t.as_ref().and_then(|t| t.session),
                        "topic": t.as_ref().map(|t| t.topic.clone()),
                        "started": t.as_ref().map(|t| t.started.clone()),
                        "elapsed_minutes": t.as_ref().map_or(0, |t| t.elapsed_minutes),
                        "away_minutes": t.as_ref().map_or(0, |t| t.away_minutes),
                    }),
                )?,
                Format::Text => match t {
                    Some(t) => say(out, &t, zone)?,
                    None => writeln!(out, "No timer is running.")?,
                },
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn reminders(out: &mut dyn Write, setting: Option<&str>) -> Result<ExitCode, CliError> {
    let db = open_db()?;
    let p = match setting {
        None => roadmap_app::reminders::get(&db)?,
        Some("off") => roadmap_app::reminders::set(&db, None)?,
        Some(text) => {
            let minutes = text.parse::<u32>().map_err(|_| {
                CliError::Usage(format!(
                    "{text:?} is not a number of minutes (0 to 10080) or `off`"
                ))
            })?;
            roadmap_app::reminders::set(&db, Some(minutes))?
        }
    };
    match p.reminder_minutes {
        Some(m) => writeln!(
            out,
            "Reminders {} before each session and review.",
            minutes_text(i64::from(m))
        )?,
        None => writeln!(out, "Reminders are off.")?,
    }
    Ok(ExitCode::SUCCESS)
}
