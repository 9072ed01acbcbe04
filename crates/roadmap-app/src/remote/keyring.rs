//! The CalDAV password: in the system keyring (Secret Service, Keychain, Credential Manager),
//! or, when the keyring cannot take it, in this process's memory for as long as it runs.

use std::path::Path;
use std::sync::Mutex;

use crate::AppError;
use crate::remote::{RemoteError, host_of};

/// The name the keyring entries go under (one per server and user).
pub const KEYRING_SERVICE: &str = "Roadmap Planner CalDAV";

/// Passwords this process was given but the keyring could not take: kept in memory only, for
/// as long as the process runs (the app's session), never written anywhere.
static SESSION_PASSWORDS: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());

fn key(server: &str, user: &str) -> String {
    format!("{user} at {server}")
}

fn entry(server: &str, user: &str) -> Result<keyring::Entry, RemoteError> {
    keyring::Entry::new(KEYRING_SERVICE, &key(server, user)).map_err(|e| RemoteError::Keyring {
        detail: e.to_string(),
    })
}

/// Keeps the password in the system keyring; when the keyring cannot take it, in this
/// process's memory instead, and says why.
pub fn keep(server: &str, user: &str, password: &str) -> Option<RemoteError> {
    let kept = entry(server, user).and_then(|e| {
        e.set_password(password).map_err(|e| RemoteError::Keyring {
            detail: format!("it did not take the password: {e}"),
        })
    });
    match kept {
        Ok(()) => None,
        Err(why) => {
            remember_for_session(server, user, password);
            Some(why)
        }
    }
}

/// Keeps `password` in this process's memory for `user` at `server`.
pub fn remember_for_session(server: &str, user: &str, password: &str) {
    if let Ok(mut kept) = SESSION_PASSWORDS.lock() {
        let key = key(server, user);
        kept.retain(|(k, _)| *k != key);
        kept.push((key, password.to_string()));
    }
}

/// The password kept for `user` at `server`: the system keyring's, or the one this process
/// was given when the keyring could not take it.
pub fn kept(server: &str, user: &str) -> Result<String, RemoteError> {
    let remembered = SESSION_PASSWORDS.lock().ok().and_then(|kept| {
        let key = key(server, user);
        kept.iter().find(|(k, _)| *k == key).map(|(_, p)| p.clone())
    });
    let from_keyring = entry(server, user).and_then(|e| {
        e.get_password().map_err(|e| match e {
            keyring::Error::NoEntry => RemoteError::NoKeptPassword {
                user: user.to_string(),
                host: host_of(server),
            },
            other => RemoteError::Keyring {
                detail: format!("it could not give the password: {other}"),
            },
        })
    });
    match from_keyring {
        Ok(p) => Ok(p),
        Err(e) => remembered.ok_or(e),
    }
}

/// Forgets the password everywhere it was kept; says why when the keyring could not.
pub fn forget(server: &str, user: &str) -> Option<RemoteError> {
    if let Ok(mut kept) = SESSION_PASSWORDS.lock() {
        let key = key(server, user);
        kept.retain(|(k, _)| *k != key);
    }
    match entry(server, user).map(|e| e.delete_credential()) {
        Ok(Ok(()) | Err(keyring::Error::NoEntry)) => None,
        Ok(Err(e)) => Some(RemoteError::Keyring {
            detail: format!("it did not remove the password: {e}"),
        }),
        Err(e) => Some(e),
    }
}

/// Moves the password kept for `user` under the server address `was` (an earlier version's,
/// with a user name or password in it) to `now`, the same address without them, and removes
/// the old entry: its name held the secret. Nothing is overwritten: when `now` already has a
/// password, the old entry is only removed. Says why when the keyring could not.
pub fn rename(was: &str, now: &str, user: &str) -> Option<RemoteError> {
    let old = match entry(was, user) {
        Ok(e) => e,
        Err(why) => return Some(why),
    };
    let password = match old.get_password() {
        Ok(p) => p,
        Err(keyring::Error::NoEntry) => return None,
        Err(e) => {
            return Some(RemoteError::Keyring {
                detail: format!("it could not give the password: {e}"),
            });
        }
    };
    let has_new = entry(now, user).is_ok_and(|e| e.get_password().is_ok());
    if !has_new && let Some(why) = keep(now, user, &password) {
        // Kept for this session only: the old entry stays until the keyring takes the new.
        return Some(why);
    }
    match old.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => None,
        Err(e) => Some(RemoteError::Keyring {
            detail: format!("it did not remove the old entry: {e}"),
        }),
    }
}

/// A password given in a file: its first line (a script's way in; the file is not kept). A
/// pipe is fine (`--password-file <(pass show dav)`): at most 4 KiB are read, within 5 s.
pub fn from_file(path: &Path) -> Result<String, AppError> {
    use std::io::Read;
    const MOST: u64 = 4 * 1024;
    let failed = |source| AppError::File {
        path: path.to_path_buf(),
        source,
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let owned = path.to_path_buf();
    // On a thread of its own: opening a pipe nobody writes to blocks, and so does reading it.
    std::thread::spawn(move || {
        let read = std::fs::File::open(&owned).and_then(|f| {
            let mut bytes = Vec::new();
            f.take(MOST).read_to_end(&mut bytes).map(|_| bytes)
        });
        let _ = tx.send(read);
    });
    let bytes = match rx.recv_timeout(std::time::Duration::from_secs(5)) {
        Ok(read) => read.map_err(failed)?,
        Err(_) => {
            return Err(failed(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "nothing was written to it within 5 s",
            )));
        }
    };
    let text = String::from_utf8(bytes).map_err(|e| AppError::NotText {
        path: path.to_path_buf(),
        byte: e.utf8_error().valid_up_to(),
    })?;
    let first = text.lines().next().unwrap_or_default();
    if first.is_empty() {
        return Err(AppError::NoPasswordInFile {
            path: path.to_path_buf(),
        });
    }
    Ok(first.to_string())
}
