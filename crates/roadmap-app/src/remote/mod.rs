//! Everything that leaves this process: calendars at web addresses (`web`), CalDAV servers
//! (`dav`) and the system keyring with the session's password cache (`keyring`). No function
//! here touches the database: the use cases call these before they take it.

pub mod dav;
pub mod keyring;
pub mod web;

/// A server, a web address or the keyring failed. Each names the host it is about (never a
/// path or a user: a calendar's address is its secret).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RemoteError {
    #[error("{host} could not be reached ({detail})")]
    Unreachable { host: String, detail: String },
    #[error("{host} did not answer in time ({detail})")]
    TimedOut { host: String, detail: String },
    #[error("{host} refused the user name or password (401 Unauthorized)")]
    Unauthorized { host: String },
    #[error("{host} answered {code} {reason}")]
    Status {
        host: String,
        code: u16,
        reason: String,
    },
    #[error("{host} gave an answer that could not be used ({detail})")]
    BadAnswer { host: String, detail: String },
    #[error("{host} names no calendar home for this user")]
    NoCalendarHome { host: String },
    #[error("the user name or password holds a character HTTP cannot carry")]
    BadCredentials,
    #[error("the saved calendar address cannot be used ({detail}); connect again")]
    SavedAddress { detail: String },
    #[error("the request could not run ({detail})")]
    Request { detail: String },
    #[error("the system keyring cannot be used ({detail})")]
    Keyring { detail: String },
    #[error(
        "the system keyring holds no password for {user} at {host} any more; disconnect and connect again with the password (or give it with --password-file)"
    )]
    NoKeptPassword { user: String, host: String },
}

impl RemoteError {
    /// A failed request, told apart by whether it timed out.
    pub(crate) fn unreachable(host: &str, detail: String) -> RemoteError {
        if detail.contains("imeout") || detail.contains("timed out") {
            RemoteError::TimedOut {
                host: host.to_string(),
                detail,
            }
        } else {
            RemoteError::Unreachable {
                host: host.to_string(),
                detail,
            }
        }
    }

    /// A status that is not success.
    pub(crate) fn status(host: &str, status: http::StatusCode) -> RemoteError {
        if status == http::StatusCode::UNAUTHORIZED {
            RemoteError::Unauthorized {
                host: host.to_string(),
            }
        } else {
            RemoteError::Status {
                host: host.to_string(),
                code: status.as_u16(),
                reason: status.canonical_reason().unwrap_or_default().to_string(),
            }
        }
    }
}

/// The host (and port) of an address, for messages; never the path or the user.
pub fn host_of(address: &str) -> String {
    url::Url::parse(address)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| {
                u.port()
                    .map_or_else(|| h.to_string(), |p| format!("{h}:{p}"))
            })
        })
        .unwrap_or_else(|| "the server".into())
}

/// Whether an address names this computer (`localhost` or a loopback address): the only
/// place plain `http://` is accepted, for calendars and CalDAV servers alike.
pub fn on_this_computer(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::RemoteError;

    #[test]
    fn a_password_gone_from_the_keyring_says_the_way_back() {
        let said = RemoteError::NoKeptPassword {
            user: "carol".into(),
            host: "dav.example.com".into(),
        }
        .to_string();
        assert!(said.contains("carol at dav.example.com"), "{said}");
        // In the window as on the command line: disconnect, connect again with the password.
        assert!(
            said.contains("disconnect and connect again with the password"),
            "{said}"
        );
    }
}
