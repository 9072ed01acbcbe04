//! The CalDAV connection: discovery, the password in the system keyring, HTTP through `libdav`
//! (over `ureq` with rustls, the TLS stack the busy calendars already use), and what was last
//! synced of each object. Every decision of a sync is `roadmap_core::caldav::sync`'s; this
//! lists, fetches, writes and deletes as it asks, and records each step as soon as it is done,
//! so a sync cut short goes on from there the next time.

use std::future::Future;
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use http::{Method, Request, Response, StatusCode, Uri};
use http_body_util::Full;
use libdav::caldav::{CalendarComponent, CreateCalendar, FindCalendarHomeSet, FindCalendars};
use libdav::dav::{GetEtag, ListResources, WebDavClient, WebDavError};
use rusqlite::{Connection, OptionalExtension, params};

use roadmap_core::api::{CaldavStatus, ServerCalendar, SyncReport, TopicMark};
use roadmap_core::caldav::{Delete, Local, Pulled, Put, Remote, Synced, Target, Wanted};

use crate::StoreError;

/// The name the keyring entries go under (one per server and user).
pub const KEYRING_SERVICE: &str = "Roadmap Planner CalDAV";
/// The calendar made or chosen when the learner names none.
pub const DEFAULT_CALENDAR: &str = "Roadmap Planner";
/// How long one request may take before the server counts as not answering.
pub const TIMEOUT_SECONDS: u64 = 30;
/// Overrides [`TIMEOUT_SECONDS`] (tests, very slow links).
pub const TIMEOUT_ENV: &str = "ROADMAP_CALDAV_TIMEOUT_SECONDS";
/// The most a server's answer may hold.
const MAX_ANSWER_BYTES: u64 = 64 * 1024 * 1024;
/// Objects fetched per calendar-multiget.
const FETCH_BATCH: usize = 100;

/// The saved connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub server: String,
    pub user: String,
    pub calendar_url: String,
    pub calendar_name: String,
    pub connected_at: String,
    pub last_sync: Option<String>,
    pub last_report: Option<SyncReport>,
}

pub fn account(conn: &Connection) -> Result<Option<Account>, StoreError> {
    let row = conn
        .query_row(
            "SELECT server, user, calendar_url, calendar_name, connected_at, last_sync, last_report
             FROM caldav_account WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                ))
            },
        )
        .optional()?;
    let Some((server, user, calendar_url, calendar_name, connected_at, last_sync, report)) = row
    else {
        return Ok(None);
    };
    let last_report = match report {
        Some(text) => Some(
            serde_json::from_str(&text)
                .map_err(|e| StoreError::Corrupt(format!("the last CalDAV sync's report: {e}")))?,
        ),
        None => None,
    };
    Ok(Some(Account {
        server,
        user,
        calendar_url,
        calendar_name,
        connected_at,
        last_sync,
        last_report,
    }))
}

/// The connection as the window and `roadmap caldav status` show it.
pub fn status(conn: &Connection) -> Result<Option<CaldavStatus>, StoreError> {
    let Some(a) = account(conn)? else {
        return Ok(None);
    };
    let objects: i64 = conn.query_row("SELECT count(*) FROM caldav_objects", [], |r| r.get(0))?;
    Ok(Some(CaldavStatus {
        server: a.server,
        user: a.user,
        calendar: a.calendar_name,
        calendar_url: a.calendar_url,
        objects: u32::try_from(objects).unwrap_or(u32::MAX),
        last_sync: a.last_sync,
        last_report: a.last_report,
    }))
}

// --- The password ------------------------------------------------------------------------------

fn entry(server: &str, user: &str) -> Result<keyring::Entry, String> {
    keyring::Entry::new(KEYRING_SERVICE, &format!("{user} at {server}"))
        .map_err(|e| format!("the system keyring cannot be used ({e})"))
}

/// Keeps the password in the system keyring (Secret Service, Keychain, Credential Manager).
pub fn keep_password(server: &str, user: &str, password: &str) -> Result<(), String> {
    entry(server, user)?
        .set_password(password)
        .map_err(|e| format!("the system keyring did not take the password ({e})"))
}

/// Passwords this process was given but the keyring could not take: kept in memory only, for
/// as long as the process runs (the app's session), never written anywhere.
static SESSION_PASSWORDS: std::sync::Mutex<Vec<(String, String)>> =
    std::sync::Mutex::new(Vec::new());

fn session_key(server: &str, user: &str) -> String {
    format!("{user} at {server}")
}

/// Keeps `password` in this process's memory for `user` at `server` (when the keyring cannot).
pub fn remember_for_session(server: &str, user: &str, password: &str) {
    if let Ok(mut kept) = SESSION_PASSWORDS.lock() {
        let key = session_key(server, user);
        kept.retain(|(k, _)| *k != key);
        kept.push((key, password.to_string()));
    }
}

fn forget_for_session(server: &str, user: &str) {
    if let Ok(mut kept) = SESSION_PASSWORDS.lock() {
        let key = session_key(server, user);
        kept.retain(|(k, _)| *k != key);
    }
}

/// The password kept for `user` at `server`: the system keyring's, or the one this process
/// was given when the keyring could not take it.
pub fn kept_password(server: &str, user: &str) -> Result<String, String> {
    let remembered = SESSION_PASSWORDS.lock().ok().and_then(|kept| {
        let key = session_key(server, user);
        kept.iter().find(|(k, _)| *k == key).map(|(_, p)| p.clone())
    });
    match keyring_password(server, user) {
        Ok(p) => Ok(p),
        Err(e) => remembered.ok_or(e),
    }
}

fn keyring_password(server: &str, user: &str) -> Result<String, String> {
    entry(server, user)?.get_password().map_err(|e| match e {
        keyring::Error::NoEntry => format!(
            "the system keyring holds no password for {user} at {}; connect again, or pass --password-file",
            host_of(server)
        ),
        other => format!("the system keyring could not give the password ({other})"),
    })
}

fn forget_password(server: &str, user: &str) -> Result<(), String> {
    match entry(server, user)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(format!(
            "the system keyring did not remove the password ({e})"
        )),
    }
}

/// A password given in a file: its first line (a script's way in; the file is not kept).
pub fn password_from_file(path: &std::path::Path) -> Result<String, StoreError> {
    let text = std::fs::read_to_string(path).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let first = text.lines().next().unwrap_or_default();
    if first.is_empty() {
        return Err(StoreError::Invalid(format!(
            "{} holds no password on its first line",
            path.display()
        )));
    }
    Ok(first.to_string())
}

// --- HTTP ----------------------------------------------------------------------------------------

/// `libdav`'s HTTP client: `ureq`, run where it is called (each sync drives its own
/// single-threaded runtime, so blocking there holds nothing else up).
#[derive(Clone)]
struct Http {
    agent: ureq::Agent,
    authorization: http::HeaderValue,
}

impl Http {
    fn new(user: &str, password: &str, https: bool) -> Result<Http, String> {
        use base64::Engine;
        let seconds = std::env::var(TIMEOUT_ENV)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(TIMEOUT_SECONDS);
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(seconds)))
            .https_only(https)
            .http_status_as_error(false)
            .allow_non_standard_methods(true)
            // libdav follows the redirects that discovery needs itself.
            .max_redirects(0)
            .user_agent(concat!("RoadmapPlanner/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        let mut authorization =
            http::HeaderValue::from_str(&format!("Basic {token}")).map_err(|_| {
                "the user name or password holds a character HTTP cannot carry".to_string()
            })?;
        authorization.set_sensitive(true);
        Ok(Http {
            agent,
            authorization,
        })
    }

    fn run(&self, mut request: Request<String>) -> Result<Response<Full<Bytes>>, ureq::Error> {
        request
            .headers_mut()
            .insert(http::header::AUTHORIZATION, self.authorization.clone());
        let response = self.agent.run(request)?;
        let (parts, mut body) = response.into_parts();
        let bytes = body.with_config().limit(MAX_ANSWER_BYTES).read_to_vec()?;
        Ok(Response::from_parts(parts, Full::new(Bytes::from(bytes))))
    }
}

impl tower_service::Service<Request<String>> for Http {
    type Response = Response<Full<Bytes>>;
    type Error = ureq::Error;
    type Future = std::future::Ready<Result<Self::Response, Self::Error>>;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<String>) -> Self::Future {
        std::future::ready(self.run(request))
    }
}

type Dav = WebDavClient<Http>;

/// Runs `f` to its end on a single-threaded runtime of its own — on a thread of its own when
/// called from inside another runtime (the app's async commands), which may not be blocked.
fn block_on<F>(f: F) -> Result<F::Output, String>
where
    F: Future + Send,
    F::Output: Send,
{
    let run = move || {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .map(|rt| rt.block_on(f))
            .map_err(|e| format!("could not start the request ({e})"))
    };
    if tokio::runtime::Handle::try_current().is_ok() {
        std::thread::scope(|scope| scope.spawn(run).join())
            .map_err(|_| "the request stopped unexpectedly".to_string())?
    } else {
        run()
    }
}

/// The host of an address, for messages (never the path or the user).
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

/// A server address: `https://`, or `http://` only to this computer.
fn server_address(server: &str) -> Result<(Uri, bool), StoreError> {
    let url = url::Url::parse(server.trim()).map_err(|e| {
        StoreError::Invalid(format!(
            "{server:?} is not a server address ({e}); give one like https://dav.example.com"
        ))
    })?;
    let https = match url.scheme() {
        "https" => true,
        "http" => {
            if !crate::busy_calendars::on_this_computer(&url) {
                return Err(StoreError::Invalid(format!(
                    "{} has a plain http address; give its https address: a password is sent in the clear over plain http, so it is accepted only to this computer",
                    host_of(server)
                )));
            }
            false
        }
        other => {
            return Err(StoreError::Invalid(format!(
                "{other}:// is not a CalDAV address; give an https address"
            )));
        }
    };
    if url.host_str().is_none_or(str::is_empty) {
        return Err(StoreError::Invalid(format!("{server:?} names no host")));
    }
    let uri: Uri = url
        .as_str()
        .parse()
        .map_err(|e| StoreError::Invalid(format!("{server:?} is not a server address ({e})")))?;
    Ok((uri, https))
}

/// A failure of a request, in a sentence that names the host.
fn failed<E: std::fmt::Display>(host: &str, e: &WebDavError<E>) -> String {
    match e {
        WebDavError::BadStatusCode(StatusCode::UNAUTHORIZED) => {
            format!("{host} refused the user name or password (401 Unauthorized)")
        }
        WebDavError::BadStatusCode(s) => format!(
            "{host} answered {} {}",
            s.as_u16(),
            s.canonical_reason().unwrap_or_default()
        ),
        WebDavError::Request(r) => unreachable_sentence(host, &r.to_string()),
        other => format!("{host} gave an answer that could not be used ({other})"),
    }
}

fn unreachable_sentence(host: &str, detail: &str) -> String {
    if detail.contains("imeout") || detail.contains("timed out") {
        format!("{host} did not answer in time ({detail})")
    } else {
        format!("{host} could not be reached ({detail})")
    }
}

fn status_sentence(host: &str, status: StatusCode) -> String {
    if status == StatusCode::UNAUTHORIZED {
        format!("{host} refused the user name or password (401 Unauthorized)")
    } else {
        format!(
            "{host} answered {} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or_default()
        )
    }
}

// --- Connecting ------------------------------------------------------------------------------

/// Finds the learner's calendar home (RFC 6764's well-known address, then the principal and
/// its calendar home, RFC 4791), and there the calendar called `calendar` — made when there
/// is none. Returns its address and name.
async fn discover(dav: &mut Dav, host: &str, port: u16, calendar: &str) -> Result<String, String> {
    let shown = format!("{host}:{port}");
    // RFC 6764: a server given by its plain address redirects its well-known address to the
    // context path. Only that first redirect counts (Radicale, for one, sends the next GET on
    // to its web pages).
    let given_root = dav.base_url.path() == "/" || dav.base_url.path().is_empty();
    if given_root {
        let uri = dav
            .relative_uri("/.well-known/caldav")
            .map_err(|e| format!("{shown} cannot be addressed ({e})"))?;
        let request = Request::builder()
            .method(Method::GET)
            .uri(uri)
            .body(String::new())
            .map_err(|e| format!("{shown} cannot be addressed ({e})"))?;
        let (head, _) = dav
            .request_raw(request)
            .await
            .map_err(|e| unreachable_sentence(&shown, &e.to_string()))?;
        if head.status == StatusCode::UNAUTHORIZED {
            return Err(status_sentence(&shown, head.status));
        }
        if head.status.is_redirection()
            && let Some(location) = head
                .headers
                .get(http::header::LOCATION)
                .and_then(|v| v.to_str().ok())
            && let Ok(to) = location.parse::<Uri>()
        {
            // Same server only: a redirect elsewhere would take the password with it.
            let same = to.host().is_none_or(|h| h == host);
            if same {
                dav.base_url = dav
                    .relative_uri(to.path())
                    .map_err(|e| format!("{shown} redirected to an unusable address ({e})"))?;
            }
        }
    }
    let principal = dav
        .find_current_user_principal()
        .await
        .map_err(|e| match e {
            libdav::dav::FindCurrentUserPrincipalError::RequestError(e) => failed(&shown, &e),
            other => format!("{shown} gave no principal ({other})"),
        })?
        .map_or_else(|| dav.base_url.path().to_string(), |u| u.path().to_string());
    let homes = dav
        .request(FindCalendarHomeSet::new(&principal))
        .await
        .map_err(|e| failed(&shown, &e))?
        .home_sets;
    let home = homes
        .first()
        .map(|u| u.path().to_string())
        .ok_or_else(|| format!("{shown} names no calendar home for this user"))?;
    let found = dav
        .request(FindCalendars::new(&home))
        .await
        .map_err(|e| failed(&shown, &e))?
        .calendars;
    let slug: String = calendar
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let slug = slug.trim_matches('-').to_string();
    let slug = if slug.is_empty() {
        "roadmap-planner".to_string()
    } else {
        slug
    };
    for c in &found {
        let name = c
            .properties
            .iter()
            .find(|(p, _)| **p == libdav::names::DISPLAY_NAME)
            .and_then(|(_, v)| v.clone());
        let last = c
            .href
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default();
        if name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case(calendar))
            || last == slug
        {
            return Ok(c.href.clone());
        }
    }
    let home = if home.ends_with('/') {
        home
    } else {
        format!("{home}/")
    };
    let path = format!("{home}{slug}/");
    dav.request(
        CreateCalendar::new(&path)
            .with_display_name(calendar)
            .with_components(&[CalendarComponent::VEvent, CalendarComponent::VTodo]),
    )
    .await
    .map_err(|e| failed(&shown, &e))?;
    Ok(path)
}

/// Connects: discovers the calendar (made if missing), keeps the password in the system
/// keyring and saves the connection. Returns the account and, when the keyring could not
/// take the password, why (syncs then need `--password-file`).
pub fn connect(
    conn: &mut Connection,
    server: &str,
    user: &str,
    password: &str,
    calendar: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(Account, Option<String>), StoreError> {
    let user = user.trim();
    if user.is_empty() || user.chars().any(char::is_control) {
        return Err(StoreError::Invalid(
            "give the user name the server knows you by (--user)".into(),
        ));
    }
    let calendar = calendar.map_or(DEFAULT_CALENDAR, str::trim);
    if calendar.is_empty()
        || calendar.chars().count() > 100
        || calendar.chars().any(char::is_control)
    {
        return Err(StoreError::Invalid(
            "a calendar's name needs 1 to 100 characters and no control characters".into(),
        ));
    }
    let server = server.trim().to_string();
    let (uri, https) = server_address(&server)?;
    let host = uri.host().unwrap_or_default().to_string();
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let http = Http::new(user, password, https).map_err(StoreError::Invalid)?;
    let mut dav = WebDavClient::new(uri, http);
    let path = block_on(discover(&mut dav, &host, port, calendar))
        .map_err(StoreError::Invalid)?
        .map_err(StoreError::Invalid)?;
    let calendar_url = dav
        .relative_uri(&path)
        .map_err(|e| {
            StoreError::Invalid(format!(
                "{host} named a calendar address that cannot be used ({e})"
            ))
        })?
        .to_string();
    let kept = keep_password(&server, user, password).err();
    if kept.is_some() {
        remember_for_session(&server, user, password);
    }
    crate::plans::write(conn, |tx| {
        let before: Option<String> = tx
            .query_row(
                "SELECT calendar_url FROM caldav_account WHERE id = 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if before.as_deref() != Some(calendar_url.as_str()) {
            // Another calendar: nothing of what was synced applies to it.
            tx.execute("DELETE FROM caldav_objects", [])?;
        }
        tx.execute(
            "INSERT INTO caldav_account (id, server, user, calendar_url, calendar_name, connected_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id) DO UPDATE SET server = ?1, user = ?2, calendar_url = ?3,
                 calendar_name = ?4, connected_at = ?5",
            params![server, user, calendar_url, calendar, now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)],
        )?;
        Ok::<_, StoreError>(())
    })?;
    let account = account(conn)?.ok_or_else(|| StoreError::NotFound("the connection".into()))?;
    Ok((account, kept))
}

/// Forgets the connection, what was synced and the kept password. The calendar on the server
/// is left as it is (it is the learner's). Returns the connection that was, and why the
/// keyring could not be asked to forget the password, if it could not (when it cannot be
/// reached, it was never given one either).
pub fn disconnect(conn: &mut Connection) -> Result<Option<(Account, Option<String>)>, StoreError> {
    let Some(a) = account(conn)? else {
        return Ok(None);
    };
    crate::plans::write(conn, |tx| {
        tx.execute("DELETE FROM caldav_objects", [])?;
        tx.execute("DELETE FROM caldav_account", [])?;
        Ok::<_, StoreError>(())
    })?;
    forget_for_session(&a.server, &a.user);
    let problem = forget_password(&a.server, &a.user).err();
    Ok(Some((a, problem)))
}

// --- Syncing -----------------------------------------------------------------------------------

struct Server {
    dav: Dav,
    /// The calendar collection's path, ending in `/`.
    collection: String,
    host: String,
}

impl Server {
    fn href(&self, name: &str) -> String {
        format!("{}{name}", self.collection)
    }

    fn name<'a>(&self, href: &'a str) -> Option<&'a str> {
        let rest = href.strip_prefix(&self.collection).or_else(|| {
            // Some servers answer with full addresses.
            href.find(&self.collection)
                .map(|i| &href[i + self.collection.len()..])
        })?;
        (!rest.is_empty() && !rest.contains('/')).then_some(rest)
    }

    fn send(&self, request: Request<String>) -> Result<(StatusCode, Option<String>), String> {
        let (head, _) = block_on(self.dav.request_raw(request))?
            .map_err(|e| unreachable_sentence(&self.host, &e.to_string()))?;
        let etag = head
            .headers
            .get(http::header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        Ok((head.status, etag))
    }

    fn request(&self, method: Method, name: &str) -> Result<http::request::Builder, String> {
        let uri = self
            .dav
            .relative_uri(&self.href(name))
            .map_err(|e| format!("{name} cannot be addressed ({e})"))?;
        Ok(Request::builder().method(method).uri(uri))
    }
}

impl Remote for Server {
    fn list(&mut self) -> Result<Vec<(String, String)>, String> {
        let listed = block_on(self.dav.request(ListResources::new(&self.collection)))?
            .map_err(|e| failed(&self.host, &e))?;
        Ok(listed
            .resources
            .into_iter()
            .filter(|r| !r.resource_type.is_collection)
            .filter_map(|r| {
                let name = self.name(&r.href)?.to_string();
                Some((name, r.etag.unwrap_or_default()))
            })
            .collect())
    }

    fn fetch(&mut self, names: &[String]) -> Result<Vec<(String, String, String)>, String> {
        let mut out = Vec::new();
        for chunk in names.chunks(FETCH_BATCH) {
            let hrefs: Vec<String> = chunk.iter().map(|n| self.href(n)).collect();
            let got = block_on(self.dav.request(
                libdav::caldav::GetCalendarResources::new(&self.collection).with_hrefs(&hrefs),
            ))?
            .map_err(|e| failed(&self.host, &e))?;
            for r in got.resources {
                let Ok(content) = r.content else { continue };
                if let Some(name) = self.name(&r.href) {
                    out.push((name.to_string(), content.etag, content.data));
                }
            }
        }
        Ok(out)
    }

    fn put(&mut self, name: &str, ics: &str, etag: Option<&str>) -> Result<Put, String> {
        let builder = self
            .request(Method::PUT, name)?
            .header(http::header::CONTENT_TYPE, "text/calendar; charset=utf-8");
        let builder = match etag {
            Some(e) => builder.header(http::header::IF_MATCH, e),
            None => builder.header(http::header::IF_NONE_MATCH, "*"),
        };
        let request = builder
            .body(ics.to_string())
            .map_err(|e| format!("{name} cannot be written ({e})"))?;
        match self.send(request)? {
            (s, etag) if s.is_success() => Ok(Put::Stored(etag)),
            (StatusCode::PRECONDITION_FAILED, _) => Ok(Put::Changed),
            (s, _) => Err(status_sentence(&self.host, s)),
        }
    }

    fn etag(&mut self, name: &str) -> Result<Option<String>, String> {
        match block_on(self.dav.request(GetEtag::new(&self.href(name))))? {
            Ok(r) => Ok(Some(r.etag)),
            Err(WebDavError::BadStatusCode(StatusCode::NOT_FOUND)) => Ok(None),
            Err(e) => Err(failed(&self.host, &e)),
        }
    }

    fn delete(&mut self, name: &str, etag: &str) -> Result<Delete, String> {
        let request = self
            .request(Method::DELETE, name)?
            .header(http::header::IF_MATCH, etag)
            .body(String::new())
            .map_err(|e| format!("{name} cannot be deleted ({e})"))?;
        match self.send(request)? {
            (s, _) if s.is_success() || s == StatusCode::NOT_FOUND => Ok(Delete::Gone),
            (StatusCode::PRECONDITION_FAILED, _) => Ok(Delete::Changed),
            (s, _) => Err(status_sentence(&self.host, s)),
        }
    }
}

/// The plan's side of a sync, on the database: each step in a transaction of its own.
struct Store<'c> {
    conn: &'c mut Connection,
    now: DateTime<Utc>,
}

impl Local for Store<'_> {
    fn wanted(&mut self) -> Result<Vec<Wanted>, String> {
        let Some(plan) = crate::plans::current(self.conn).map_err(|e| e.to_string())? else {
            return Ok(Vec::new());
        };
        let record = plan.record();
        Ok(
            roadmap_core::calendar::objects(&record, &plan.meta, plan.zone)
                .map_err(|e| e.to_string())?
                .into_iter()
                .map(Wanted::from_object)
                .collect(),
        )
    }

    fn synced(&mut self) -> Result<Vec<Synced>, String> {
        let read = || -> Result<Vec<Synced>, StoreError> {
            let mut q = self.conn.prepare(
                "SELECT uid, target, name, etag, hash, state, pending FROM caldav_objects
                 ORDER BY uid",
            )?;
            let rows = q.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (uid, target, name, etag, hash, state, pending) = row?;
                let target = Target::from_key(&target).ok_or_else(|| {
                    StoreError::Corrupt(format!("synced object {uid} has no target ({target:?})"))
                })?;
                out.push(Synced {
                    uid,
                    target,
                    name,
                    etag,
                    hash,
                    state,
                    pending,
                });
            }
            Ok(out)
        };
        read().map_err(|e| e.to_string())
    }

    fn save(&mut self, s: &Synced) -> Result<(), String> {
        self.conn
            .execute(
                "INSERT INTO caldav_objects (uid, target, name, etag, hash, state, pending)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (uid) DO UPDATE SET target = ?2, name = ?3, etag = ?4, hash = ?5,
                     state = ?6, pending = ?7",
                params![
                    s.uid,
                    s.target.key(),
                    s.name,
                    s.etag,
                    s.hash,
                    s.state,
                    s.pending
                ],
            )
            .map(|_| ())
            .map_err(|e| format!("the sync's progress could not be saved ({e})"))
    }

    fn forget(&mut self, uid: &str) -> Result<(), String> {
        self.conn
            .execute("DELETE FROM caldav_objects WHERE uid = ?1", [uid])
            .map(|_| ())
            .map_err(|e| format!("the sync's progress could not be saved ({e})"))
    }

    fn pull(&mut self, change: &Pulled) -> Result<Result<(), String>, String> {
        let now = self.now;
        let result = crate::plans::write(self.conn, |tx| {
            crate::plans::change(tx, now, |plan, clock| match change {
                Pulled::Move { session, to } => {
                    let local = to.with_timezone(&plan.zone);
                    plan.move_session(
                        *session,
                        local.date_naive(),
                        &local.format("%H:%M").to_string(),
                        clock,
                    )
                    .map_err(StoreError::from)
                }
                Pulled::Done { topic } => plan
                    .mark_topic(topic, Some(TopicMark::Done), clock)
                    .map_err(StoreError::from),
            })
        });
        match result {
            Ok(_) => Ok(Ok(())),
            Err(StoreError::Core(e)) => Ok(Err(e.to_string())),
            Err(StoreError::NotFound(what)) => Ok(Err(format!("{what} is not in the plan"))),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// Syncs the current plan with the connected calendar as of `now`. `password` when given
/// (from a file), else the one in the system keyring. The report is saved with the time,
/// also when the sync stopped early.
pub fn sync(
    conn: &mut Connection,
    password: Option<&str>,
    now: DateTime<Utc>,
) -> Result<SyncReport, StoreError> {
    let Some(a) = account(conn)? else {
        return Err(not_connected());
    };
    let report = match sync_with(conn, &a, password, now) {
        Ok(r) => r,
        Err(e) => SyncReport {
            errors: vec![e],
            ..SyncReport::default()
        },
    };
    conn.execute(
        "UPDATE caldav_account SET last_sync = ?1, last_report = ?2 WHERE id = 1",
        params![
            now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            serde_json::to_string(&report).map_err(|e| StoreError::Invalid(e.to_string()))?
        ],
    )?;
    Ok(report)
}

fn sync_with(
    conn: &mut Connection,
    a: &Account,
    password: Option<&str>,
    now: DateTime<Utc>,
) -> Result<SyncReport, String> {
    let (dav, host, collection) = client(a, password)?;
    let mut server = Server {
        dav,
        collection,
        host,
    };
    let zone = crate::busy_calendars::zone(conn).map_err(|e| e.to_string())?;
    let mut local = Store { conn, now };
    Ok(roadmap_core::caldav::sync(&mut server, &mut local, zone))
}

/// A client for the connected server: the WebDAV client, the host for messages and the plan's
/// calendar collection path (ending in `/`).
fn client(a: &Account, password: Option<&str>) -> Result<(Dav, String, String), String> {
    let password = match password {
        Some(p) => p.to_string(),
        None => kept_password(&a.server, &a.user)?,
    };
    let calendar: Uri = a
        .calendar_url
        .parse()
        .map_err(|e| format!("the saved calendar address cannot be used ({e}); connect again"))?;
    let https = calendar.scheme_str() == Some("https");
    let host = host_of(&a.calendar_url);
    let collection = calendar.path().to_string();
    let collection = if collection.ends_with('/') {
        collection
    } else {
        format!("{collection}/")
    };
    let mut base = calendar.clone().into_parts();
    base.path_and_query = Some(http::uri::PathAndQuery::from_static("/"));
    let base = Uri::from_parts(base)
        .map_err(|e| format!("the saved calendar address cannot be used ({e})"))?;
    let http = Http::new(&a.user, &password, https)?;
    Ok((WebDavClient::new(base, http), host, collection))
}

// --- Busy calendars on the server ------------------------------------------------------------

/// How a busy calendar on the connected server is named as a source: `caldav:` and its path.
pub const BUSY_PREFIX: &str = "caldav:";

/// The learner's calendars in the calendar home the plan's calendar is in, the plan's own left
/// out (its sessions must not block themselves).
pub fn server_calendars(
    conn: &Connection,
    password: Option<&str>,
) -> Result<Vec<ServerCalendar>, StoreError> {
    let a = account(conn)?.ok_or_else(not_connected)?;
    let (dav, host, collection) = client(&a, password).map_err(StoreError::Invalid)?;
    let home = match collection.trim_end_matches('/').rfind('/') {
        Some(i) => collection[..=i].to_string(),
        None => "/".to_string(),
    };
    let found = block_on(dav.request(FindCalendars::new(&home)))
        .map_err(StoreError::Invalid)?
        .map_err(|e| StoreError::Invalid(failed(&host, &e)))?
        .calendars;
    let mut out: Vec<ServerCalendar> = found
        .into_iter()
        .filter(|c| c.href.trim_end_matches('/') != collection.trim_end_matches('/'))
        .map(|c| {
            let name = c
                .properties
                .iter()
                .find(|(p, _)| **p == libdav::names::DISPLAY_NAME)
                .and_then(|(_, v)| v.clone())
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| {
                    c.href
                        .trim_end_matches('/')
                        .rsplit('/')
                        .next()
                        .unwrap_or_default()
                        .to_string()
                });
            ServerCalendar {
                name,
                source: format!("{BUSY_PREFIX}{}", c.href),
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Every event of the calendar at `path` on the connected server, as one iCalendar text for
/// `busy::read` (each resource's components, under one VCALENDAR).
pub fn calendar_text(
    conn: &Connection,
    path: &str,
    password: Option<&str>,
) -> Result<String, String> {
    let a = account(conn)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| not_connected().to_string())?;
    let (dav, host, collection) = client(&a, password)?;
    if path.trim_end_matches('/') == collection.trim_end_matches('/') {
        return Err("the plan's own calendar cannot block its sessions; choose another".into());
    }
    let got = block_on(dav.request(libdav::caldav::GetCalendarResources::new(path)))?
        .map_err(|e| failed(&host, &e))?;
    let mut text =
        String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Roadmap Planner//busy//EN\r\n");
    for r in got.resources {
        let Ok(content) = r.content else { continue };
        // The components: from the first BEGIN after the calendar's own, to its END.
        let data = content.data.replace("\r\n", "\n");
        let inner = data
            .split_once("BEGIN:VCALENDAR")
            .map(|(_, rest)| rest)
            .and_then(|rest| rest.find("\nBEGIN:").map(|i| &rest[i + 1..]))
            .and_then(|rest| rest.rfind("END:VCALENDAR").map(|i| &rest[..i]))
            .unwrap_or_default();
        for line in inner.lines() {
            text.push_str(line);
            text.push_str("\r\n");
        }
    }
    text.push_str("END:VCALENDAR\r\n");
    Ok(text)
}

fn not_connected() -> StoreError {
    StoreError::Invalid(
        "not connected to a CalDAV server; connect first: roadmap caldav connect URL --user USER"
            .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a sync saves of each object comes back field for field, the state of a write not
    /// yet answered included (it tells a lost answer from a change made elsewhere).
    #[test]
    fn the_sync_state_of_an_object_reads_back_as_saved() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut conn = crate::open(&dir.path().join("db.sqlite3")).expect("open");
        let mut store = Store {
            conn: &mut conn,
            now: "2027-01-04T07:00:00Z".parse().expect("instant"),
        };
        let first = Synced {
            uid: "session-1@roadmap".into(),
            target: Target::Session(1),
            name: "session-1.ics".into(),
            etag: "\"e1\"".into(),
            hash: "h1".into(),
            state: "20270104T180000Z".into(),
            pending: "20270106T180000Z".into(),
        };
        let second = Synced {
            uid: "topic-sql@roadmap".into(),
            target: Target::Topic("sql".into()),
            name: "topic-sql.ics".into(),
            etag: "\"e2\"".into(),
            hash: String::new(),
            state: "open".into(),
            pending: String::new(),
        };
        store.save(&first).expect("save");
        store.save(&second).expect("save");
        assert_eq!(
            store.synced().expect("read"),
            vec![first.clone(), second.clone()]
        );
        // Saved again: the answer came, nothing is pending any more.
        let answered = Synced {
            etag: "\"e3\"".into(),
            state: first.pending.clone(),
            pending: String::new(),
            ..first
        };
        store.save(&answered).expect("save");
        assert_eq!(store.synced().expect("read"), vec![answered, second]);
    }
}
