//! CalDAV over HTTP: `libdav` (from the pimsync project) over `ureq` with rustls, the TLS
//! stack the busy calendars already use. Discovery of the learner's calendar, the server's side
//! of a sync (`roadmap_core::caldav::Remote`), and reading other calendars on the server as
//! busy calendars. Nothing here touches the database: the caller passes the saved account.

use std::future::Future;
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode, Uri};
use http_body_util::Full;
use libdav::caldav::{CalendarComponent, CreateCalendar, FindCalendarHomeSet, FindCalendars};
use libdav::dav::{GetEtag, ListResources, WebDavClient, WebDavError};

use roadmap_core::answer::{AnswerLimits, AnswerShape, check_answer};
use roadmap_core::api::ServerCalendar;
use roadmap_core::caldav::{Delete, IN_FLIGHT, Put, Remote, Write};
use roadmap_store::caldav_account::Account;

use crate::AppError;
use crate::error::AddressProblem;
use crate::remote::{RemoteError, host_of, on_this_computer};

/// How long one request may take before the server counts as not answering.
pub const TIMEOUT_SECONDS: u64 = 30;
/// Overrides [`TIMEOUT_SECONDS`] (tests, very slow links).
pub const TIMEOUT_ENV: &str = "ROADMAP_CALDAV_TIMEOUT_SECONDS";
/// The most a server's answer may hold.
const MAX_ANSWER_BYTES: u64 = 64 * 1024 * 1024;
/// Objects fetched per calendar-multiget.
const FETCH_BATCH: usize = 100;
/// How long one sync may take in all before it stops (what it did is kept; the next sync goes
/// on from there): a server that answers every request just within its timeout would
/// otherwise hold a sync for hours.
pub const SYNC_SECONDS: u64 = 10 * 60;
/// Overrides [`SYNC_SECONDS`] (tests).
pub const SYNC_SECONDS_ENV: &str = "ROADMAP_CALDAV_SYNC_SECONDS";
/// How many writes may be in flight at once (1 to [`IN_FLIGHT`]; the benchmark compares).
pub const IN_FLIGHT_ENV: &str = "ROADMAP_CALDAV_IN_FLIGHT";
/// How often a write the server answers "locked" (423) or "busy" (500, 502, 503, 504) is
/// tried again, after 0.25 s, 0.5 s and 1 s: under several writes at once a server may say so,
/// and it is never a change made meanwhile (only 412 is).
const RETRIES: u32 = 3;
/// How a busy calendar on the connected server is named as a source: `caldav:` and its path.
pub const BUSY_PREFIX: &str = "caldav:";

// --- HTTP ----------------------------------------------------------------------------------------

/// `libdav`'s HTTP client: `ureq`, run where it is called (each sync drives its own
/// single-threaded runtime, so blocking there holds nothing else up).
#[derive(Clone)]
struct Http {
    agent: ureq::Agent,
    authorization: http::HeaderValue,
}

impl Http {
    fn new(user: &str, password: &str, https: bool) -> Result<Http, RemoteError> {
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
        let mut authorization = http::HeaderValue::from_str(&format!("Basic {token}"))
            .map_err(|_| RemoteError::BadCredentials)?;
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
        // Bounded in work too before anything parses it: an XML answer's depth and elements
        // (see roadmap_core::answer).
        check_answer(&bytes, AnswerLimits::default())
            .map_err(|shape| ureq::Error::Other(Box::new(shape)))?;
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
fn block_on<F>(f: F) -> Result<F::Output, RemoteError>
where
    F: Future + Send,
    F::Output: Send,
{
    let run = move || {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .map(|rt| rt.block_on(f))
            .map_err(|e| RemoteError::Request {
                detail: e.to_string(),
            })
    };
    if tokio::runtime::Handle::try_current().is_ok() {
        std::thread::scope(|scope| scope.spawn(run).join()).map_err(|_| RemoteError::Request {
            detail: "it stopped unexpectedly".into(),
        })?
    } else {
        run()
    }
}

/// A server address: `https://`, or `http://` only to this computer.
pub fn server_address(server: &str) -> Result<(Uri, bool), AppError> {
    // Shown without what a user name or password written into it would give away.
    let shown = roadmap_store::secrets::without_userinfo(server.trim())
        .unwrap_or_else(|| server.trim().to_string());
    let refuse = |problem| AppError::Address {
        address: format!("{shown:?}"),
        problem,
    };
    let url = url::Url::parse(server.trim())
        .map_err(|e| refuse(AddressProblem::Malformed(e.to_string())))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse(AddressProblem::Credentials));
    }
    let https = match url.scheme() {
        "https" => true,
        "http" if on_this_computer(&url) => false,
        "http" => return Err(refuse(AddressProblem::PlainHttpServer)),
        other => return Err(refuse(AddressProblem::ServerScheme(other.to_string()))),
    };
    if url.host_str().is_none_or(str::is_empty) {
        return Err(refuse(AddressProblem::NoHost));
    }
    let uri: Uri = url
        .as_str()
        .parse()
        .map_err(|e: http::uri::InvalidUri| refuse(AddressProblem::Malformed(e.to_string())))?;
    Ok((uri, https))
}

/// A failed request, as the error that names its host.
fn failed(host: &str, e: &WebDavError<ureq::Error>) -> RemoteError {
    match e {
        WebDavError::BadStatusCode(s) => RemoteError::status(host, *s),
        WebDavError::Request(libdav::dav::RequestError::Client(r)) => not_sent(host, r),
        WebDavError::Request(r) => RemoteError::unreachable(host, r.to_string()),
        other => RemoteError::BadAnswer {
            host: host.to_string(),
            detail: other.to_string(),
        },
    }
}

/// A request that got no usable answer: unreachable, timed out, or an answer refused for its
/// shape before it was parsed.
fn not_sent(host: &str, e: &ureq::Error) -> RemoteError {
    match e {
        ureq::Error::Other(inner) if inner.downcast_ref::<AnswerShape>().is_some() => {
            RemoteError::BadAnswer {
                host: host.to_string(),
                detail: inner.to_string(),
            }
        }
        ureq::Error::BodyExceedsLimit(_) => RemoteError::BadAnswer {
            host: host.to_string(),
            detail: format!(
                "its answer is larger than {} MB",
                MAX_ANSWER_BYTES / (1024 * 1024)
            ),
        },
        other => RemoteError::unreachable(host, other.to_string()),
    }
}

// --- Connecting ------------------------------------------------------------------------------

/// Finds the learner's calendar home (RFC 6764's well-known address, then the principal and
/// its calendar home, RFC 4791), and there the calendar called `calendar` — made when there
/// is none. Returns its address and name.
async fn discover(
    dav: &mut Dav,
    host: &str,
    port: u16,
    calendar: &str,
) -> Result<String, RemoteError> {
    let shown = format!("{host}:{port}");
    // RFC 6764: a server given by its plain address redirects its well-known address to the
    // context path. Only that first redirect counts (Radicale, for one, sends the next GET on
    // to its web pages).
    let given_root = dav.base_url.path() == "/" || dav.base_url.path().is_empty();
    if given_root {
        let uri = dav
            .relative_uri("/.well-known/caldav")
            .map_err(|e| RemoteError::Request {
                detail: format!("{shown} cannot be addressed ({e})"),
            })?;
        let request = Request::builder()
            .method(Method::GET)
            .uri(uri)
            .body(String::new())
            .map_err(|e| RemoteError::Request {
                detail: format!("{shown} cannot be addressed ({e})"),
            })?;
        let (head, _) = dav
            .request_raw(request)
            .await
            .map_err(|e| RemoteError::unreachable(&shown, e.to_string()))?;
        if head.status == StatusCode::UNAUTHORIZED {
            return Err(RemoteError::status(&shown, head.status));
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
                    .map_err(|e| RemoteError::BadAnswer {
                        host: shown.clone(),
                        detail: format!("a redirect to an unusable address: {e}"),
                    })?;
            }
        }
    }
    let principal = dav
        .find_current_user_principal()
        .await
        .map_err(|e| match e {
            libdav::dav::FindCurrentUserPrincipalError::RequestError(e) => failed(&shown, &e),
            other => RemoteError::BadAnswer {
                host: shown.clone(),
                detail: format!("no principal: {other}"),
            },
        })?
        .map_or_else(|| dav.base_url.path().to_string(), |u| u.path().to_string());
    let homes = dav
        .request(FindCalendarHomeSet::new(&principal))
        .await
        .map_err(|e| failed(&shown, &e))?
        .home_sets;
    let home =
        homes
            .first()
            .map(|u| u.path().to_string())
            .ok_or_else(|| RemoteError::NoCalendarHome {
                host: shown.clone(),
            })?;
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

/// Finds (or makes) the calendar called `calendar` for `user` at `server` and returns its
/// address. The network half of connecting; nothing is saved.
pub fn find_calendar(
    server: &str,
    user: &str,
    password: &str,
    calendar: &str,
) -> Result<String, AppError> {
    let (uri, https) = server_address(server)?;
    let host = uri.host().unwrap_or_default().to_string();
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let http = Http::new(user, password, https)?;
    let mut dav = WebDavClient::new(uri, http);
    let path = block_on(discover(&mut dav, &host, port, calendar))??;
    let address = dav
        .relative_uri(&path)
        .map_err(|e| RemoteError::BadAnswer {
            host: host.clone(),
            detail: format!("a calendar address that cannot be used: {e}"),
        })?;
    Ok(address.to_string())
}

// --- Syncing -----------------------------------------------------------------------------------

/// The connected server: the side of a sync `roadmap_core::caldav::sync` calls `Remote`.
pub struct Server {
    dav: Dav,
    http: Http,
    /// How many writes may be in flight now (see `put_many`).
    flight: std::sync::atomic::AtomicUsize,
    /// Held by a write being tried again, so retries go one at a time.
    alone: std::sync::Mutex<()>,
    /// When a sync must stop (see [`Server::until`]).
    deadline: Option<std::time::Instant>,
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

    /// Sends a request as it is (a conditional write): on the HTTP client itself, not through
    /// `libdav`, which runs one request at a time, so that several threads may each have one
    /// in flight.
    fn send(&self, request: Request<String>) -> Result<(StatusCode, Option<String>), String> {
        let answer = self
            .http
            .run(request)
            .map_err(|e| not_sent(&self.host, &e))?;
        let (head, _) = answer.into_parts();
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
        self.in_time()?;
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
            self.in_time()?;
            let hrefs: Vec<String> = chunk.iter().map(|n| self.href(n)).collect();
            let got = match block_on(self.dav.request(
                libdav::caldav::GetCalendarResources::new(&self.collection).with_hrefs(&hrefs),
            ))? {
                Ok(got) => got,
                // One object the answer cannot carry (a control character is not XML) would
                // make the batch unreadable at every sync: the batch is read one object at a
                // time instead, each as it is.
                Err(batch) => {
                    for name in chunk {
                        self.in_time()?;
                        match self.get_one(name) {
                            Ok(Some((etag, text))) => out.push((name.clone(), etag, text)),
                            Ok(None) => {}
                            Err(_) => return Err(failed(&self.host, &batch).into()),
                        }
                    }
                    continue;
                }
            };
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
        self.put_one(name, ics, etag)
    }

    /// Up to [`IN_FLIGHT`] writes at once, each on a thread of its own sharing the connection
    /// pool; answered in the order given. Once the server answers a write "locked" or "busy",
    /// the rest of the sync sends one at a time (Xandikos refuses a commit while another is
    /// under way: four at once were slower there, every overlap waiting for its retry).
    fn put_many(&mut self, writes: &[Write<'_>]) -> Vec<Result<Put, String>> {
        let server: &Server = self;
        let mut answers = Vec::with_capacity(writes.len());
        let mut rest = writes;
        while !rest.is_empty() {
            // Read again for every group: a server that said "busy" gets one at a time.
            let at_once = server.flight.load(std::sync::atomic::Ordering::Relaxed);
            let (group, after) = rest.split_at(at_once.min(rest.len()));
            rest = after;
            if group.len() == 1 {
                answers.push(server.put_one(group[0].name, group[0].ics, group[0].etag));
                continue;
            }
            std::thread::scope(|scope| {
                let running: Vec<_> = group
                    .iter()
                    .map(|w| scope.spawn(move || server.put_one(w.name, w.ics, w.etag)))
                    .collect();
                for r in running {
                    answers.push(
                        r.join()
                            .unwrap_or_else(|_| Err("a write stopped unexpectedly".to_string())),
                    );
                }
            });
        }
        answers
    }

    fn etag(&mut self, name: &str) -> Result<Option<String>, String> {
        self.in_time()?;
        match block_on(self.dav.request(GetEtag::new(&self.href(name))))? {
            Ok(r) => Ok(Some(r.etag)),
            Err(WebDavError::BadStatusCode(StatusCode::NOT_FOUND)) => Ok(None),
            Err(e) => Err(failed(&self.host, &e).into()),
        }
    }

    fn delete(&mut self, name: &str, etag: &str) -> Result<Delete, String> {
        let request = || {
            self.request(Method::DELETE, name)?
                .header(http::header::IF_MATCH, etag)
                .body(String::new())
                .map_err(|e| format!("{name} cannot be deleted ({e})"))
        };
        match self.send_retrying(request)? {
            (s, _) if s.is_success() || s == StatusCode::NOT_FOUND => Ok(Delete::Gone),
            (StatusCode::PRECONDITION_FAILED, _) => Ok(Delete::Changed),
            (s, _) => Err(RemoteError::status(&self.host, s).into()),
        }
    }
}

/// The bytes of a whole answer read already (see `Http::run`).
fn body_bytes(body: Full<Bytes>) -> Bytes {
    use http_body_util::BodyExt;
    block_on(body.collect())
        .ok()
        .and_then(Result::ok)
        .map(|c| c.to_bytes())
        .unwrap_or_default()
}

/// How many writes may be in flight: [`IN_FLIGHT`], or fewer when [`IN_FLIGHT_ENV`] says so.
fn in_flight() -> usize {
    std::env::var(IN_FLIGHT_ENV)
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .map_or(IN_FLIGHT, |n| n.clamp(1, IN_FLIGHT))
}

/// Whether an answer says "not now" rather than "no": locked, or the server busy.
fn try_again(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::LOCKED
            | StatusCode::INTERNAL_SERVER_ERROR
            | StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT
    )
}

impl Server {
    /// This server, for a sync that stops once `limit` has passed from now: every request
    /// after that fails with a sentence saying so.
    pub fn until(mut self, limit: Duration) -> Server {
        self.deadline = Some(std::time::Instant::now() + limit);
        self
    }

    /// The sync's deadline for a sync: [`SYNC_SECONDS`], or [`SYNC_SECONDS_ENV`].
    pub fn sync_limit() -> Duration {
        Duration::from_secs(
            std::env::var(SYNC_SECONDS_ENV)
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(SYNC_SECONDS),
        )
    }

    /// `Err` once the deadline has passed.
    fn in_time(&self) -> Result<(), String> {
        match self.deadline {
            Some(d) if std::time::Instant::now() >= d => Err(format!(
                "the sync with {} took too long and stopped; what was done is kept, and the next sync goes on from there",
                self.host
            )),
            _ => Ok(()),
        }
    }

    /// The object `name` by a plain GET: its ETag and text (invalid UTF-8 replaced); `None`
    /// when it is gone.
    fn get_one(&self, name: &str) -> Result<Option<(String, String)>, String> {
        let request = self
            .request(Method::GET, name)?
            .body(String::new())
            .map_err(|e| format!("{name} cannot be read ({e})"))?;
        let answer = self
            .http
            .run(request)
            .map_err(|e| not_sent(&self.host, &e))?;
        let (head, body) = answer.into_parts();
        if head.status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !head.status.is_success() {
            return Err(RemoteError::status(&self.host, head.status).into());
        }
        let etag = head
            .headers
            .get(http::header::ETAG)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let bytes = body_bytes(body);
        Ok(Some((etag, String::from_utf8_lossy(&bytes).into_owned())))
    }

    /// Writes `ics` at `name` (see [`Remote::put`]); callable from several threads at once.
    fn put_one(&self, name: &str, ics: &str, etag: Option<&str>) -> Result<Put, String> {
        let request = || {
            let builder = self
                .request(Method::PUT, name)?
                .header(http::header::CONTENT_TYPE, "text/calendar; charset=utf-8");
            let builder = match etag {
                Some(e) => builder.header(http::header::IF_MATCH, e),
                None => builder.header(http::header::IF_NONE_MATCH, "*"),
            };
            builder
                .body(ics.to_string())
                .map_err(|e| format!("{name} cannot be written ({e})"))
        };
        match self.send_retrying(request)? {
            (s, etag) if s.is_success() => Ok(Put::Stored(etag)),
            (StatusCode::PRECONDITION_FAILED, _) => Ok(Put::Changed),
            (s, _) => Err(RemoteError::status(&self.host, s).into()),
        }
    }

    /// Sends the request `make` makes, again (up to [`RETRIES`] times, waiting longer each
    /// time) while the server answers that it is locked or busy; the last answer otherwise.
    fn send_retrying(
        &self,
        make: impl Fn() -> Result<Request<String>, String>,
    ) -> Result<(StatusCode, Option<String>), String> {
        self.in_time()?;
        let mut wait = Duration::from_millis(250);
        let answer = self.send(make()?)?;
        if !try_again(answer.0) {
            return Ok(answer);
        }
        // The server is busy: from now on one write at a time, the retries of writes already
        // in flight included (they would only meet each other again).
        self.flight.store(1, std::sync::atomic::Ordering::Relaxed);
        let _alone = self
            .alone
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut answer = answer;
        for _ in 0..RETRIES {
            std::thread::sleep(wait);
            wait *= 2;
            answer = self.send(make()?)?;
            if !try_again(answer.0) {
                break;
            }
        }
        Ok(answer)
    }
}

impl Server {
    /// The connected server, with the saved account's calendar and `password`.
    pub fn open(a: &Account, password: &str) -> Result<Server, RemoteError> {
        let saved = |e: &dyn std::fmt::Display| RemoteError::SavedAddress {
            detail: e.to_string(),
        };
        let calendar: Uri = a.calendar_url.parse().map_err(|e| saved(&e))?;
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
        let base = Uri::from_parts(base).map_err(|e| saved(&e))?;
        let http = Http::new(&a.user, password, https)?;
        Ok(Server {
            dav: WebDavClient::new(base, http.clone()),
            http,
            flight: std::sync::atomic::AtomicUsize::new(in_flight()),
            alone: std::sync::Mutex::new(()),
            deadline: None,
            collection,
            host,
        })
    }

    /// The learner's calendars in the calendar home the plan's calendar is in, the plan's own
    /// left out (its sessions must not block themselves).
    pub fn calendars(&self) -> Result<Vec<ServerCalendar>, RemoteError> {
        let collection = &self.collection;
        let home = match collection.trim_end_matches('/').rfind('/') {
            Some(i) => collection[..=i].to_string(),
            None => "/".to_string(),
        };
        let found = block_on(self.dav.request(FindCalendars::new(&home)))?
            .map_err(|e| failed(&self.host, &e))?
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

    /// Every event of the calendar at `path` on this server, as one iCalendar text for
    /// `busy::read` (each resource's components, under one VCALENDAR).
    pub fn calendar_text(&self, path: &str) -> Result<String, AppError> {
        if path.trim_end_matches('/') == self.collection.trim_end_matches('/') {
            return Err(AppError::OwnCalendar);
        }
        let got = block_on(
            self.dav
                .request(libdav::caldav::GetCalendarResources::new(path)),
        )?
        .map_err(|e| failed(&self.host, &e))?;
        let mut text = String::from(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Roadmap Planner//busy//EN\r\n",
        );
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
}

impl From<RemoteError> for String {
    fn from(e: RemoteError) -> String {
        e.to_string()
    }
}
