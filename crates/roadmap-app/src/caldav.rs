//! Two-way sync with the learner's CalDAV calendar: connect, sync, list the server's other
//! calendars, disconnect. Every decision of a sync is `roadmap_core::caldav::sync`'s; the
//! requests are `remote::dav`'s and run with the database unlocked; each step the sync records
//! takes the lock for one short write, so a window command never waits for a server.

use chrono::{DateTime, Utc};

use roadmap_core::api::{CaldavStatus, ServerCalendar, SyncReport, TopicMark};
use roadmap_core::caldav::{Local, Pulled, Synced, Wanted};
use roadmap_store::caldav_account::{self, Account};
use roadmap_store::caldav_objects;

use crate::remote::RemoteError;
use crate::remote::dav::{self, Server};
use crate::remote::keyring;
use crate::{AppError, Db, clock};

/// The calendar made or chosen when the learner names none.
pub const DEFAULT_CALENDAR: &str = "Roadmap Planner";

/// A connection made: the account saved, and why the password could not be kept in the
/// system keyring, if it could not (it is then kept in this process's memory only).
pub struct Connected {
    pub account: Account,
    pub not_kept: Option<RemoteError>,
}

/// The connection as the window and `roadmap caldav status` show it.
pub fn status(db: &Db) -> Result<Option<CaldavStatus>, AppError> {
    db.read(|conn| Ok(caldav_account::status(conn)?))
}

/// Connects: finds the calendar called `calendar` on `server` (made when missing) and keeps the
/// password, both before the database is touched; then saves the connection.
pub fn connect(
    db: &Db,
    server: &str,
    user: &str,
    password: &str,
    calendar: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Connected, AppError> {
    let user = user.trim();
    if user.is_empty() || user.chars().any(char::is_control) {
        return Err(AppError::NoUser);
    }
    if password.is_empty() {
        return Err(AppError::NoPassword);
    }
    let calendar = calendar
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .unwrap_or(DEFAULT_CALENDAR);
    if calendar.chars().count() > 100 || calendar.chars().any(char::is_control) {
        return Err(AppError::CalendarName);
    }
    let server = server.trim();
    let calendar_url = dav::find_calendar(server, user, password, calendar)?;
    let not_kept = keyring::keep(server, user, password);
    let account = db.write(|tx| {
        caldav_account::save(
            tx,
            server,
            user,
            &calendar_url,
            calendar,
            &clock::stamp(now),
        )?;
        caldav_account::get(tx)?.ok_or(AppError::NotConnected)
    })?;
    Ok(Connected { account, not_kept })
}

/// Forgets the connection, what was synced and the kept password. The calendar on the server
/// is left as it is (it is the learner's). Returns the connection that was, and why the
/// keyring could not forget the password, if it could not.
pub fn disconnect(db: &Db) -> Result<Option<(Account, Option<RemoteError>)>, AppError> {
    let Some(a) = db.write(|tx| {
        let a = caldav_account::get(tx)?;
        caldav_account::remove(tx)?;
        Ok(a)
    })?
    else {
        return Ok(None);
    };
    let problem = keyring::forget(&a.server, &a.user);
    Ok(Some((a, problem)))
}

/// What removing the plan's events before disconnecting came to.
pub enum Leaving {
    /// Every event and task of the plan was removed from the calendar, and the connection and
    /// its password forgotten (the keyring's problem, when it could not forget it).
    Removed {
        account: Account,
        removed: u32,
        keyring: Option<RemoteError>,
    },
    /// Not everything could be removed: still connected, nothing forgotten. `left` objects of
    /// the plan are still on the server; the report says why.
    Stopped { left: u32, report: SyncReport },
}

/// Removes every event and task of the plan from the connected calendar (those changed there
/// since are removed too: the learner asked for the calendar back as it was), then forgets the
/// connection and its password. When the server cannot be reached or refuses, the connection
/// stays, so it can be tried again or left with the events kept. `Ok(None)` when not connected.
pub fn disconnect_removing(db: &Db, now: DateTime<Utc>) -> Result<Option<Leaving>, AppError> {
    let Some(a) = db.read(|conn| Ok(caldav_account::get(conn)?))? else {
        return Ok(None);
    };
    let before = db.read(|conn| Ok(caldav_objects::list(conn)?))?.len();
    let mut server = Server::open(&a, &password_for(&a, None)?)?.until(Server::sync_limit());
    let zone = db.zone()?;
    let mut local = Leave(Plan { db, now });
    let report = roadmap_core::caldav::sync(&mut server, &mut local, zone);
    let left = db.read(|conn| Ok(caldav_objects::list(conn)?))?.len();
    if left > 0 || !report.errors.is_empty() {
        return Ok(Some(Leaving::Stopped {
            left: u32::try_from(left).unwrap_or(u32::MAX),
            report,
        }));
    }
    let Some((account, keyring)) = disconnect(db)? else {
        return Ok(None);
    };
    Ok(Some(Leaving::Removed {
        account,
        removed: u32::try_from(before).unwrap_or(u32::MAX),
        keyring,
    }))
}

/// The plan's side of a sync that empties the calendar: nothing is wanted there any more, and
/// nothing made there comes back into the plan.
struct Leave<'d>(Plan<'d>);

impl Local for Leave<'_> {
    fn wanted(&mut self) -> Result<Vec<Wanted>, String> {
        Ok(Vec::new())
    }
    fn synced(&mut self) -> Result<Vec<Synced>, String> {
        self.0.synced()
    }
    fn save(&mut self, s: &Synced) -> Result<(), String> {
        self.0.save(s)
    }
    fn forget(&mut self, uid: &str) -> Result<(), String> {
        self.0.forget(uid)
    }
    fn pull(&mut self, _change: &Pulled) -> Result<Result<(), String>, String> {
        Ok(Err(
            "the plan's events are being removed, so changes made there are not followed".into(),
        ))
    }
}

/// Syncs the current plan with the connected calendar as of `now`. `password` when given (from
/// a file), else the kept one. The report is saved with the time, also when the sync stopped
/// early; `Ok(None)` when not connected.
pub fn sync(
    db: &Db,
    password: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<SyncReport>, AppError> {
    let Some(a) = db.read(|conn| Ok(caldav_account::get(conn)?))? else {
        return Ok(None);
    };
    let report = match sync_with(db, &a, password, now) {
        Ok(r) => r,
        Err(e) => SyncReport {
            errors: vec![e.to_string()],
            ..SyncReport::default()
        },
    };
    db.read(|conn| {
        Ok(caldav_account::save_report(
            conn,
            &clock::stamp(now),
            &report,
        )?)
    })?;
    Ok(Some(report))
}

fn sync_with(
    db: &Db,
    a: &Account,
    password: Option<&str>,
    now: DateTime<Utc>,
) -> Result<SyncReport, AppError> {
    let mut server = Server::open(a, &password_for(a, password)?)?.until(Server::sync_limit());
    let zone = db.zone()?;
    let mut local = Plan { db, now };
    Ok(roadmap_core::caldav::sync(&mut server, &mut local, zone))
}

/// The learner's other calendars on the connected server, to use as busy calendars.
pub fn server_calendars(db: &Db, password: Option<&str>) -> Result<Vec<ServerCalendar>, AppError> {
    let a = account(db)?;
    Ok(Server::open(&a, &password_for(&a, password)?)?.calendars()?)
}

/// The calendar at `path` on the connected server, as iCalendar text.
pub fn calendar_text(db: &Db, path: &str) -> Result<String, AppError> {
    let a = account(db)?;
    Server::open(&a, &password_for(&a, None)?)?.calendar_text(path)
}

fn account(db: &Db) -> Result<Account, AppError> {
    db.read(|conn| Ok(caldav_account::get(conn)?))?
        .ok_or(AppError::NotConnected)
}

fn password_for(a: &Account, given: Option<&str>) -> Result<String, AppError> {
    match given {
        Some(p) => Ok(p.to_string()),
        None => Ok(keyring::kept(&a.server, &a.user)?),
    }
}

/// The plan's side of a sync, on the database: each step a short lock of its own.
struct Plan<'d> {
    db: &'d Db,
    now: DateTime<Utc>,
}

impl Local for Plan<'_> {
    fn wanted(&mut self) -> Result<Vec<Wanted>, String> {
        let Some(plan) = self.db.plan().map_err(|e| e.to_string())? else {
            return Ok(Vec::new());
        };
        let record = plan.record();
        // Read at every sync: a change of the reminder setting reaches every event at once.
        let alarm = crate::reminders::minutes(self.db).map_err(|e| e.to_string())?;
        Ok(
            roadmap_core::calendar::objects(&record, &plan.meta, plan.zone, alarm)
                .map_err(|e| e.to_string())?
                .into_iter()
                .map(Wanted::from_object)
                .collect(),
        )
    }

    fn synced(&mut self) -> Result<Vec<Synced>, String> {
        self.db
            .read(|conn| Ok(caldav_objects::list(conn)?))
            .map_err(|e| e.to_string())
    }

    fn save(&mut self, s: &Synced) -> Result<(), String> {
        self.db
            .read(|conn| Ok(caldav_objects::save(conn, s)?))
            .map_err(|e| format!("the sync's progress could not be saved ({e})"))
    }

    fn forget(&mut self, uid: &str) -> Result<(), String> {
        self.db
            .read(|conn| Ok(caldav_objects::forget(conn, uid)?))
            .map_err(|e| format!("the sync's progress could not be saved ({e})"))
    }

    fn pull(&mut self, change: &Pulled) -> Result<Result<(), String>, String> {
        let result = self.db.change(self.now, |plan, clock| match change {
            Pulled::Move { session, to } => {
                let local = to.with_timezone(&plan.zone);
                Ok(plan.move_session(
                    *session,
                    local.date_naive(),
                    &local.format("%H:%M").to_string(),
                    clock,
                )?)
            }
            Pulled::Done { topic } => Ok(plan.mark_topic(topic, Some(TopicMark::Done), clock)?),
        });
        match result {
            Ok(_) => Ok(Ok(())),
            Err(AppError::Core(e)) => Ok(Err(e.to_string())),
            Err(AppError::Store(roadmap_store::StoreError::NotFound(what))) => {
                Ok(Err(format!("{what} is not in the plan")))
            }
            Err(e) => Err(e.to_string()),
        }
    }
}
