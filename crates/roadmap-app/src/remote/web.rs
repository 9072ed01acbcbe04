//! Calendars at web addresses (`https://`, `webcal://`; plain `http://` only from this
//! computer): the address checked, then fetched within a size and time limit.

use crate::error::{AddressProblem, AppError};
use crate::remote::{RemoteError, on_this_computer};

/// A calendar larger than this is refused (a year of a busy person's events is well under a
/// megabyte).
pub const MAX_CALENDAR_BYTES: u64 = 20 * 1024 * 1024;

/// How long a calendar at a web address may take to answer, in all.
const FETCH_SECONDS: u64 = 30;

/// A web address as messages show it: by its host only (the rest of a calendar's address is
/// its secret).
pub fn shown(address: &str) -> String {
    match url::Url::parse(address) {
        Ok(u) => format!("the calendar at {}", u.host_str().unwrap_or_default()),
        Err(_) => address.to_string(),
    }
}

/// The address a calendar is fetched from: `webcal://` is `https://`; `http://` only to this
/// computer (a calendar's secret address must not cross the network in the clear).
pub fn web_address(source: &str) -> Result<url::Url, AppError> {
    let refuse = |problem| AppError::Address {
        address: shown(source),
        problem,
    };
    let bad = |e: url::ParseError| refuse(AddressProblem::Malformed(e.to_string()));
    if !source.contains("://") {
        return Err(refuse(AddressProblem::Malformed(
            "write it as https://host/…".to_string(),
        )));
    }
    let url = url::Url::parse(source).map_err(bad)?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse(AddressProblem::Credentials));
    }
    let mut url = match url.scheme() {
        "https" => url,
        "webcal" | "webcals" => {
            let rest = &source[source.find("://").unwrap_or(0)..];
            url::Url::parse(&format!("https{rest}")).map_err(bad)?
        }
        "http" if on_this_computer(&url) => url,
        "http" => return Err(refuse(AddressProblem::PlainHttpCalendar)),
        other => return Err(refuse(AddressProblem::Scheme(other.to_string()))),
    };
    if url.host_str().is_none_or(str::is_empty) {
        return Err(refuse(AddressProblem::NoHost));
    }
    url.set_fragment(None);
    Ok(url)
}

/// The calendar at `source`, as text. Takes at most 30 s and 20 MB; touches no database, so
/// nothing waits for it.
pub fn fetch(source: &str) -> Result<String, AppError> {
    let url = web_address(source)?;
    let host = url.host_str().unwrap_or_default().to_string();
    let https = url.scheme() == "https";
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(FETCH_SECONDS)))
        .https_only(https)
        // Plain http is accepted only from this computer: a redirect from it is not followed
        // (it led the secret address on, in the clear, to any host).
        .max_redirects(if https { 10 } else { 0 })
        .http_status_as_error(false)
        .user_agent(concat!("RoadmapPlanner/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut response = agent
        .get(url.as_str())
        .header("Accept", "text/calendar, */*;q=0.5")
        .call()
        .map_err(|e| RemoteError::unreachable(&host, e.to_string()))?;
    let status = response.status();
    if !status.is_success() {
        return Err(RemoteError::status(&host, status).into());
    }
    Ok(response
        .body_mut()
        .with_config()
        .limit(MAX_CALENDAR_BYTES)
        .read_to_string()
        .map_err(|e| RemoteError::BadAnswer {
            host,
            detail: e.to_string(),
        })?)
}
