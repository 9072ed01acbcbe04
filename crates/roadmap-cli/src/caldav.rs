//! `roadmap caldav`: the two-way sync with a CalDAV calendar, over `roadmap_app::caldav`.

use std::io::Write;
use std::process::ExitCode;

use roadmap_app::remote::{host_of, keyring};
use roadmap_app::{AppError, caldav};

use crate::args::{CaldavAction, Format};
use crate::print::json;
use crate::terminal::terminal_text;
use crate::{CliError, now, open_db};

pub fn run(out: &mut dyn Write, action: CaldavAction) -> Result<ExitCode, CliError> {
    let now = now()?;
    let db = open_db()?;
    match action {
        CaldavAction::Connect {
            url,
            user,
            password_file,
            calendar,
        } => {
            let password = match password_file {
                Some(f) => keyring::from_file(&f)?,
                None => ask_password(&user, &host_of(&url))?,
            };
            let caldav::Connected {
                account: a,
                not_kept,
            } = caldav::connect(&db, &url, &user, &password, calendar.as_deref(), now)?;
            writeln!(
                out,
                "Connected to {} as {}: the calendar {:?} ({}).",
                host_of(&a.server),
                terminal_text(&a.user),
                terminal_text(&a.calendar_name),
                terminal_text(&a.calendar_url)
            )?;
            match not_kept {
                None => writeln!(out, "The password is in the system keyring.")?,
                Some(why) => writeln!(
                    out,
                    "The password was not kept: {}. Pass --password-file to each sync.",
                    terminal_text(&why.to_string())
                )?,
            }
            writeln!(out, "`roadmap caldav sync` sends the plan there.")?;
        }
        CaldavAction::Sync {
            format,
            password_file,
        } => {
            let password = password_file.map(|f| keyring::from_file(&f)).transpose()?;
            let report =
                caldav::sync(&db, password.as_deref(), now)?.ok_or(AppError::NotConnected)?;
            match format {
                Format::Json => json(out, &report)?,
                Format::Text => {
                    writeln!(
                        out,
                        "Sent {} new, {} changed, {} deleted; from the calendar: {} moved, {} completed.",
                        report.pushed,
                        report.updated,
                        report.deleted,
                        report.pulled_moves,
                        report.pulled_done
                    )?;
                    for c in &report.conflicts {
                        writeln!(out, "  conflict: {}", terminal_text(c))?;
                    }
                    for e in &report.errors {
                        writeln!(out, "  not finished: {}", terminal_text(e))?;
                    }
                }
            }
            if !report.errors.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
        CaldavAction::Status { format } => {
            let status = caldav::status(&db)?;
            match (format, status) {
                (Format::Json, s) => json(out, &s)?,
                (Format::Text, None) => writeln!(
                    out,
                    "Not connected. `roadmap caldav connect URL --user USER` connects."
                )?,
                (Format::Text, Some(s)) => {
                    writeln!(
                        out,
                        "Connected to {} as {}: {:?} ({}), {} objects synced.",
                        host_of(&s.server),
                        terminal_text(&s.user),
                        terminal_text(&s.calendar),
                        terminal_text(&s.calendar_url),
                        s.objects
                    )?;
                    match (&s.last_sync, &s.last_report) {
                        (Some(at), Some(r)) => {
                            let outcome = if r.errors.is_empty() {
                                "complete".to_string()
                            } else {
                                format!("not finished: {}", r.errors.join("; "))
                            };
                            writeln!(
                                out,
                                "Last sync {at}: {} new, {} changed, {} deleted, {} moved, {} completed, {} conflicts; {}.",
                                r.pushed,
                                r.updated,
                                r.deleted,
                                r.pulled_moves,
                                r.pulled_done,
                                r.conflicts.len(),
                                terminal_text(&outcome)
                            )?;
                        }
                        _ => writeln!(out, "Not synced yet.")?,
                    }
                }
            }
        }
        CaldavAction::Calendars {
            format,
            password_file,
        } => {
            let password = password_file.map(|f| keyring::from_file(&f)).transpose()?;
            let list = caldav::server_calendars(&db, password.as_deref())?;
            match format {
                Format::Json => json(out, &list)?,
                Format::Text if list.is_empty() => {
                    writeln!(out, "No other calendars on the server.")?
                }
                Format::Text => {
                    for c in &list {
                        writeln!(
                            out,
                            "{}: roadmap busy add {} --name {:?}",
                            terminal_text(&c.name),
                            terminal_text(&c.source),
                            terminal_text(&c.name)
                        )?;
                    }
                }
            }
        }
        CaldavAction::Disconnect { remove: true } => match caldav::disconnect_removing(&db, now)? {
            Some(caldav::Leaving::Removed {
                account,
                removed,
                keyring,
            }) => {
                writeln!(
                    out,
                    "Removed the plan's {removed} events and tasks from {:?} and disconnected from {}.",
                    terminal_text(&account.calendar_name),
                    host_of(&account.server)
                )?;
                if let Some(why) = keyring {
                    writeln!(out, "The password: {}.", terminal_text(&why.to_string()))?;
                }
            }
            Some(caldav::Leaving::Stopped { left, report }) => {
                writeln!(
                    out,
                    "{left} of the plan's events and tasks are still in the calendar, so it is still connected: {}",
                    terminal_text(&if report.errors.is_empty() {
                        "they changed on the server meanwhile; try again".to_string()
                    } else {
                        report.errors.join("; ")
                    })
                )?;
                return Ok(ExitCode::FAILURE);
            }
            None => writeln!(out, "Not connected.")?,
        },
        CaldavAction::Disconnect { remove: false } => match caldav::disconnect(&db)? {
            Some((a, keyring)) => {
                writeln!(
                    out,
                    "Disconnected from {}; the calendar {:?} on the server is left as it is.",
                    host_of(&a.server),
                    terminal_text(&a.calendar_name)
                )?;
                match keyring {
                    None => writeln!(out, "The password is gone from the system keyring.")?,
                    Some(why) => {
                        writeln!(out, "The password: {}.", terminal_text(&why.to_string()))?
                    }
                }
            }
            None => writeln!(out, "Not connected.")?,
        },
    }
    Ok(ExitCode::SUCCESS)
}

/// Asks for a password on the terminal without showing it; read from standard input when
/// that is not a terminal.
fn ask_password(user: &str, host: &str) -> Result<String, CliError> {
    use std::io::IsTerminal;
    let password = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("Password for {user} at {host}: "))?
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    if password.is_empty() {
        return Err(CliError::Usage(
            "no password given (type it, or pass --password-file)".into(),
        ));
    }
    Ok(password)
}
