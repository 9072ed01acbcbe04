//! The application layer's one error type. Variants carry what went wrong as data (a name, a
//! path, a host); `Display` gives the sentence the CLI prints, and the window maps each
//! variant to its wire `kind` in one place (`src-tauri/src/wire.rs`).

use std::path::PathBuf;
use std::sync::Arc;

use roadmap_core::CoreError;
use roadmap_store::StoreError;

use crate::remote::RemoteError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A decision the core refused, or settings and content it cannot use.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// The database could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The database could not be opened when the app started; every action says why until a
    /// backup is restored in its place.
    #[error("{0}")]
    Unavailable(Arc<StoreError>),
    /// A server, a web address or the system keyring failed.
    #[error(transparent)]
    Remote(#[from] RemoteError),
    /// A calendar (file, address or CalDAV calendar) that could not be read as one.
    #[error("{calendar}: {problem}")]
    Calendar {
        /// The calendar as messages show it: a file's path, a web address by its host only.
        calendar: String,
        problem: Box<AppError>,
    },
    /// A file that could not be read or written.
    #[error("could not use {}: {source}", path.display())]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A calendar file larger than the app reads.
    #[error("{} is {megabytes} MB; a calendar file may be at most {limit} MB", path.display())]
    FileTooLarge {
        path: PathBuf,
        megabytes: u64,
        limit: u64,
    },
    /// Not a regular file: a pipe, a device or a folder, which would block or never end.
    #[error("{} is not a regular file (a pipe, a device or a folder); give a file", path.display())]
    NotAFile { path: PathBuf },
    /// A file that is not UTF-8 text.
    #[error("{} is not UTF-8 text (byte {byte})", path.display())]
    NotText { path: PathBuf, byte: usize },
    /// A password file whose first line is empty.
    #[error("{} holds no password on its first line", path.display())]
    NoPasswordInFile { path: PathBuf },
    /// An address that is not one the app reads from.
    #[error("{address} {problem}")]
    Address {
        /// The address as messages show it (a calendar's secret path left out).
        address: String,
        problem: AddressProblem,
    },
    /// A name for a busy calendar or a CalDAV calendar that cannot be used.
    #[error("a calendar's name needs 1 to 100 characters and no control characters")]
    CalendarName,
    #[error(
        "there is already a busy calendar called {name:?}; choose another name or remove it first"
    )]
    BusyCalendarExists { name: String },
    #[error("there is no busy calendar called {name:?}")]
    NoBusyCalendar { name: String },
    #[error("the roadmap has no topic {topic:?}")]
    NoTopic { topic: String },
    #[error("topic {topic:?} has no resource {index}")]
    NoResource { topic: String, index: usize },
    #[error("a reminder {minutes} minutes ahead is more than a week; choose at most {most}")]
    ReminderTooEarly { minutes: u32, most: u32 },
    #[error("no timer is running")]
    NoTimer,
    #[error("a timer is already running for {title} (since {since}); stop it first")]
    TimerRunning { title: String, since: String },
    /// Stopping a timer with time away in it, without saying whether to keep it.
    #[error("{why}; say whether to keep or drop those {minutes} minutes")]
    TimerAway { minutes: i64, why: String },
    #[error("give the user name the server knows you by")]
    NoUser,
    #[error("type the password for this server")]
    NoPassword,
    #[error("not connected to a CalDAV server; connect first")]
    NotConnected,
    #[error("the plan's own calendar cannot block its sessions; choose another")]
    OwnCalendar,
    /// An earlier action panicked while it held the database; nothing more is safe.
    #[error("an earlier operation failed midway; restart the app")]
    Interrupted,
    /// A test clock setting (debug builds) that cannot be read.
    #[error("{variable}={value:?} is not {expected}")]
    ClockSetting {
        variable: &'static str,
        value: String,
        expected: &'static str,
    },
}

/// Why an address is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressProblem {
    #[error("is not a web address ({0})")]
    Malformed(String),
    #[error("names no host")]
    NoHost,
    /// A calendar at `http://` on another computer: its secret address would cross the
    /// network in the clear.
    #[error(
        "has a plain http address; give its https (or webcal) address: plain http is accepted only from this computer"
    )]
    PlainHttpCalendar,
    /// A server at `http://` on another computer: the password would cross the network in
    /// the clear.
    #[error(
        "has a plain http address; give its https address: a password is sent in the clear over plain http, so it is accepted only to this computer"
    )]
    PlainHttpServer,
    #[error("uses {0}://, which is not read; give an https or webcal address, or a file")]
    Scheme(String),
    #[error("uses {0}://, which is not a CalDAV address; give an https address")]
    ServerScheme(String),
    /// A user name or password written into the address: it would be stored and shown.
    #[error(
        "has a user name or password written into it; give the address alone (the password is asked for on its own and kept in the system keyring)"
    )]
    Credentials,
}

impl AppError {
    /// The database error behind this one, if it is one.
    pub fn store(&self) -> Option<&StoreError> {
        match self {
            AppError::Store(e) => Some(e),
            AppError::Unavailable(e) => Some(e),
            _ => None,
        }
    }

    /// This error about calendar `calendar` (as messages show it).
    pub(crate) fn about(self, calendar: String) -> AppError {
        AppError::Calendar {
            calendar,
            problem: Box::new(self),
        }
    }
}
