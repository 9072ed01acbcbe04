//! The one mapping from the application layer's errors to the wire: `{ kind, message }`
//! (`roadmap_core::api::ApiError`), where the window switches on `kind` and shows `message`.
//! Every command returns [`Wire`], so `?` on any use case lands here.

use serde::Serialize;

use roadmap_app::AppError;
use roadmap_core::CoreError;
use roadmap_core::api::{ApiError, ErrorKind};
use roadmap_store::StoreError;

/// A command's error as the window receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Wire(pub ApiError);

impl Wire {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Wire {
        Wire(ApiError {
            kind,
            message: message.into(),
        })
    }
}

impl From<ApiError> for Wire {
    fn from(e: ApiError) -> Wire {
        Wire(e)
    }
}

impl From<AppError> for Wire {
    fn from(e: AppError) -> Wire {
        Wire::new(kind(&e), sentence(&e))
    }
}

impl From<StoreError> for Wire {
    fn from(e: StoreError) -> Wire {
        AppError::from(e).into()
    }
}

impl From<CoreError> for Wire {
    fn from(e: CoreError) -> Wire {
        AppError::from(e).into()
    }
}

impl std::fmt::Display for Wire {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.message)
    }
}

/// What kind of failure `e` is, for the window to switch on.
fn kind(e: &AppError) -> ErrorKind {
    match e {
        AppError::Core(core) => core_kind(core),
        AppError::Store(store) => store_kind(store),
        AppError::Unavailable(store) => store_kind(store),
        AppError::Calendar { problem, .. } => kind(problem),
        AppError::File { .. }
        | AppError::FileTooLarge { .. }
        | AppError::NotText { .. }
        | AppError::NotAFile { .. } => ErrorKind::Io,
        AppError::NoBusyCalendar { .. }
        | AppError::NoTopic { .. }
        | AppError::NoResource { .. } => ErrorKind::NotFound,
        AppError::Interrupted => ErrorKind::Internal,
        AppError::Remote(_)
        | AppError::NoPasswordInFile { .. }
        | AppError::Address { .. }
        | AppError::CalendarName
        | AppError::BusyCalendarExists { .. }
        | AppError::ReminderTooEarly { .. }
        | AppError::NoTimer
        | AppError::TimerRunning { .. }
        | AppError::TimerAway { .. }
        | AppError::NoUser
        | AppError::NoPassword
        | AppError::NotConnected
        | AppError::OwnCalendar
        | AppError::ClockSetting { .. } => ErrorKind::InvalidInput,
    }
}

fn core_kind(e: &CoreError) -> ErrorKind {
    match e {
        CoreError::InvalidSettings(_) | CoreError::Refused(_) => ErrorKind::InvalidInput,
        CoreError::Content(_) => ErrorKind::Content,
        CoreError::NotFound(_) => ErrorKind::NotFound,
    }
}

fn store_kind(e: &StoreError) -> ErrorKind {
    match e {
        StoreError::Core(core) => core_kind(core),
        StoreError::NotFound(_) => ErrorKind::NotFound,
        StoreError::Invalid(_) => ErrorKind::InvalidInput,
        StoreError::NotADatabase { .. } | StoreError::EmptyWithBackups { .. } => {
            ErrorKind::NotADatabase
        }
        StoreError::TooNew { .. } => ErrorKind::DatabaseTooNew,
        StoreError::Io { .. } | StoreError::NoDataDir => ErrorKind::Io,
        StoreError::Migration { .. } | StoreError::Corrupt(_) | StoreError::Sqlite(_) => {
            ErrorKind::Database
        }
    }
}

/// The window's sentence for `e`: as the CLI says it, begun with a capital where it names no
/// file or address first.
fn sentence(e: &AppError) -> String {
    match e {
        AppError::NoPassword => "Type the password for this server.".into(),
        AppError::NoBusyCalendar { name } => format!("There is no busy calendar called {name:?}."),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON the window receives: `kind` in snake case and the sentence, nothing else.
    #[test]
    fn an_error_reaches_the_window_as_kind_and_message() {
        let e = Wire::from(AppError::Core(CoreError::InvalidSettings(
            "months is 3".into(),
        )));
        let json = serde_json::to_value(&e).expect("serialise");
        assert_eq!(
            json,
            serde_json::json!({ "kind": "invalid_input", "message": "months is 3" })
        );
        let missing = Wire::from(AppError::NoBusyCalendar {
            name: "Work".into(),
        });
        assert_eq!(missing.0.kind, ErrorKind::NotFound);
        assert!(
            missing.0.message.contains("\"Work\""),
            "{}",
            missing.0.message
        );
    }

    /// Each failure of the database keeps its own kind, so the window can offer a backup for a
    /// damaged file and an update for a newer one.
    #[test]
    fn database_failures_keep_their_kinds() {
        let path = std::path::PathBuf::from("/data/roadmap-planner.sqlite3");
        let cases = [
            (
                StoreError::NotADatabase { path: path.clone() },
                ErrorKind::NotADatabase,
            ),
            (
                StoreError::TooNew {
                    path,
                    found: 99,
                    supported: 11,
                },
                ErrorKind::DatabaseTooNew,
            ),
            (StoreError::NoDataDir, ErrorKind::Io),
            (StoreError::Corrupt("x".into()), ErrorKind::Database),
            (
                StoreError::Core(CoreError::Refused("no".into())),
                ErrorKind::InvalidInput,
            ),
        ];
        for (store, want) in cases {
            let unavailable = AppError::Unavailable(std::sync::Arc::new(StoreError::NoDataDir));
            assert_eq!(Wire::from(unavailable).0.kind, ErrorKind::Io);
            assert_eq!(Wire::from(store).0.kind, want);
        }
    }
}
