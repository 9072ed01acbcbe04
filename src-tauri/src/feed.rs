//! The live calendar feed: the plan as an iCalendar file served over HTTP on 127.0.0.1, so a
//! desktop calendar subscribed to it follows every replan. Off by default. The URL carries a
//! random token, and only `GET`/`HEAD` of exactly that path, addressed to this server by its
//! `Host` (so a web page cannot reach it through DNS rebinding), is answered; anything else gets
//! a short error without a hint. Each request renders the plan afresh from the database, off
//! the async workers and without holding the database while rendering.
//!
//! A hostile or broken client costs little: at most [`MAX_CONNECTIONS`] are served at once (the
//! next ones get a 503 at once, at most [`MAX_REFUSING`] at a time; past that a connection is
//! closed as soon as it is accepted, so a flood of local connections holds at most
//! `MAX_CONNECTIONS + MAX_REFUSING` of the app's file descriptors), each has one deadline for
//! the whole exchange ([`REQUEST_DEADLINE`], however slowly it trickles bytes), and failing
//! `accept`s back off instead of spinning.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tauri::async_runtime::JoinHandle;
use tauri::{AppHandle, Manager, Runtime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

use roadmap_core::api::{ErrorKind, FeedView};
use roadmap_store::calendar_feed::FeedSettings;

use crate::AppState;
use crate::wire::Wire;

/// Connections served at once; calendar apps poll once in a while, one connection each.
pub const MAX_CONNECTIONS: usize = 32;
/// Connections being told "busy" (503) at once; past that, they are closed unanswered.
pub const MAX_REFUSING: usize = 32;
/// The whole exchange with one client: request head in, calendar out.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(10);

/// Renders the feed's body: the plan as iCalendar text.
pub type Render = Arc<dyn Fn() -> Result<String, Wire> + Send + Sync>;

/// The running server, if any.
#[derive(Default)]
pub struct Feed {
    server: Mutex<Option<Running>>,
    problem: Mutex<Option<String>>,
}

struct Running {
    handle: JoinHandle<()>,
    url: String,
}

impl Feed {
    /// The window's view of the feed.
    pub fn view(&self, settings: Option<&FeedSettings>) -> FeedView {
        let running = self
            .server
            .lock()
            .ok()
            .and_then(|s| s.as_ref().map(|r| r.url.clone()));
        FeedView {
            enabled: settings.is_some_and(|s| s.enabled),
            url: running,
            problem: self.problem.lock().ok().and_then(|p| p.clone()),
        }
    }

    /// Stops the server, if it runs, and waits until its port is free again.
    pub async fn stop(&self) {
        let running = self.server.lock().ok().and_then(|mut s| s.take());
        if let Some(r) = running {
            r.handle.abort();
            // The listener is dropped when the aborted task is: wait for that, so the same
            // port can be bound again at once.
            let _ = r.handle.await;
        }
    }

    /// Serves the plan of `app`'s database (see [`Feed::serve`]).
    pub async fn start<R: Runtime>(
        &self,
        app: AppHandle<R>,
        settings: &FeedSettings,
    ) -> Result<String, Wire> {
        let render: Render = Arc::new(move || render(&app));
        self.serve(render, settings).await
    }

    /// Serves on `settings.port`. Already serving there with the same token, it keeps running
    /// untouched, so switching the feed on again never moves a subscribed calendar's address. Returns the URL.
    pub async fn serve(&self, render: Render, settings: &FeedSettings) -> Result<String, Wire> {
        let url = format!(
            "http://127.0.0.1:{}/{}/calendar.ics",
            settings.port, settings.token
        );
        let same = self.server.lock().ok().is_some_and(|s| {
            s.as_ref()
                .is_some_and(|r| r.url == url && !r.handle.inner().is_finished())
        });
        if same {
            return Ok(url);
        }
        self.stop().await;
        let listener = match TcpListener::bind(("127.0.0.1", settings.port)).await {
            Ok(l) => l,
            Err(e) => {
                let message = format!(
                    "the calendar feed cannot listen on 127.0.0.1:{}: {e}; switch it off and on again to pick another port",
                    settings.port
                );
                if let Ok(mut p) = self.problem.lock() {
                    *p = Some(message.clone());
                }
                return Err(Wire::new(ErrorKind::Io, message));
            }
        };
        let path = format!("/{}/calendar.ics", settings.token);
        let port = settings.port;
        let handle = tauri::async_runtime::spawn(accept_loop(listener, path, port, render));
        if let Ok(mut s) = self.server.lock() {
            *s = Some(Running {
                handle,
                url: url.clone(),
            });
        }
        if let Ok(mut p) = self.problem.lock() {
            *p = None;
        }
        Ok(url)
    }
}

async fn accept_loop(listener: TcpListener, path: String, port: u16, render: Render) {
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let refusing = Arc::new(Semaphore::new(MAX_REFUSING));
    let mut failures: u32 = 0;
    loop {
        let (mut stream, _) = match listener.accept().await {
            Ok(accepted) => {
                failures = 0;
                accepted
            }
            Err(_) => {
                // Out of file descriptors, say: wait before trying again rather than spin.
                failures = failures.saturating_add(1);
                tokio::time::sleep(backoff(failures)).await;
                continue;
            }
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            // Full: say so at once and close, so the flood costs nothing more; flooded, close
            // at once (dropping the stream), so it holds no descriptor at all.
            let Ok(refusal) = refusing.clone().try_acquire_owned() else {
                drop(stream);
                continue;
            };
            tauri::async_runtime::spawn(async move {
                let busy = reply(
                    "503 Service Unavailable",
                    "text/plain; charset=utf-8",
                    "busy\n",
                    false,
                );
                let _ = tokio::time::timeout(Duration::from_secs(1), async {
                    stream.write_all(&busy).await?;
                    stream.shutdown().await?;
                    // Take what the client sent before closing, or the close would reset the
                    // connection and the client might never read the 503.
                    let mut sink = [0u8; 1024];
                    while stream.read(&mut sink).await? > 0 {}
                    Ok::<_, std::io::Error>(())
                })
                .await;
                drop(refusal);
            });
            continue;
        };
        let path = path.clone();
        let render = render.clone();
        tauri::async_runtime::spawn(async move {
            // A client that misbehaves only loses its own connection, by the deadline at the
            // latest.
            let _ =
                tokio::time::timeout(REQUEST_DEADLINE, answer(stream, &path, port, render)).await;
            drop(permit);
        });
    }
}

/// How long to wait after the `failures`-th failed `accept` in a row: 10 ms doubling to 1 s.
pub fn backoff(failures: u32) -> Duration {
    Duration::from_millis(10u64.saturating_mul(1 << failures.min(7)).min(1000))
}

/// A free port on 127.0.0.1, chosen by the system.
pub async fn free_port() -> Result<u16, Wire> {
    let l = TcpListener::bind(("127.0.0.1", 0)).await.map_err(|e| {
        Wire::new(
            ErrorKind::Io,
            format!("no free port for the calendar feed: {e}"),
        )
    })?;
    l.local_addr().map(|a| a.port()).map_err(|e| {
        Wire::new(
            ErrorKind::Io,
            format!("no free port for the calendar feed: {e}"),
        )
    })
}

/// A new secret for the feed's URL: 64 hexadecimal digits from the system's random source.
pub fn new_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

async fn answer(
    mut stream: TcpStream,
    path: &str,
    port: u16,
    render: Render,
) -> std::io::Result<()> {
    let mut buf = vec![0u8; 8192];
    let mut read = 0;
    // Read the request head (a calendar client sends no body with GET); the caller's deadline
    // bounds the whole of it.
    loop {
        let n = stream.read(&mut buf[read..]).await?;
        if n == 0 {
            break;
        }
        read += n;
        if buf[..read].windows(4).any(|w| w == b"\r\n\r\n") || read == buf.len() {
            break;
        }
    }
    let head = String::from_utf8_lossy(&buf[..read]);
    let mut lines = head.lines();
    let mut parts = lines.next().unwrap_or_default().split_whitespace();
    let (method, target) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let host = lines
        .take_while(|l| !l.is_empty())
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("host")
                .then(|| value.trim().to_string())
        })
        .unwrap_or_default();
    let response = if !host_is_ours(&host, port) {
        reply(
            "421 Misdirected Request",
            "text/plain; charset=utf-8",
            "this server answers only to 127.0.0.1 and localhost\n",
            false,
        )
    } else if (method == "GET" || method == "HEAD") && target == path {
        let rendered = tauri::async_runtime::spawn_blocking(move || render())
            .await
            .unwrap_or_else(|_| {
                Err(Wire::new(
                    ErrorKind::Internal,
                    "rendering the calendar failed",
                ))
            });
        match rendered {
            Ok(body) => reply(
                "200 OK",
                "text/calendar; charset=utf-8",
                &body,
                method == "HEAD",
            ),
            Err(e) => reply(
                "503 Service Unavailable",
                "text/plain; charset=utf-8",
                &format!("{}\n", e.0.message),
                false,
            ),
        }
    } else {
        reply(
            "404 Not Found",
            "text/plain; charset=utf-8",
            "not found\n",
            false,
        )
    };
    stream.write_all(&response).await?;
    stream.shutdown().await
}

/// Whether a request's `Host` names this server: `127.0.0.1:PORT` or `localhost:PORT`.
pub fn host_is_ours(host: &str, port: u16) -> bool {
    let host = host.to_ascii_lowercase();
    host == format!("127.0.0.1:{port}") || host == format!("localhost:{port}")
}

/// The plan of the app's database as the feed serves it: loaded under the database lock,
/// rendered after it is released.
fn render<R: Runtime>(app: &AppHandle<R>) -> Result<String, Wire> {
    let state = app.state::<AppState>();
    let plan = state.db.require_plan()?;
    // The one reminder setting, read at every request: a change reaches subscribers at once.
    let alarm = roadmap_app::reminders::minutes(&state.db)?;
    Ok(roadmap_app::export::render_ics(&plan, None, alarm)?)
}

fn reply(status: &str, content_type: &str, body: &str, head_only: bool) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    if !head_only {
        out.extend_from_slice(body.as_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(port: u16) -> FeedSettings {
        FeedSettings {
            enabled: true,
            port,
            token: "ab".repeat(32),
        }
    }

    fn render_ok() -> Render {
        Arc::new(|| Ok("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".to_string()))
    }

    async fn get(port: u16, host: &str, path: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("connect");
        let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: t\r\n\r\n");
        s.write_all(request.as_bytes()).await.expect("send");
        // Read until the server closes; a reset after the answer arrived still counts.
        let mut out = Vec::new();
        let mut chunk = [0u8; 4096];
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        loop {
            match tokio::time::timeout_at(deadline, s.read(&mut chunk)).await {
                Ok(Ok(0)) | Ok(Err(_)) => break,
                Ok(Ok(n)) => out.extend_from_slice(&chunk[..n]),
                Err(_) => panic!("no answer in time"),
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    #[tokio::test]
    async fn only_requests_addressed_to_this_server_are_answered() {
        let feed = Feed::default();
        let port = free_port().await.expect("port");
        let s = settings(port);
        feed.serve(render_ok(), &s).await.expect("serve");
        let path = format!("/{}/calendar.ics", s.token);
        for host in [
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("LOCALHOST:{port}"),
        ] {
            let r = get(port, &host, &path).await;
            assert!(r.starts_with("HTTP/1.1 200"), "{host}: {r}");
            assert!(r.contains("BEGIN:VCALENDAR"));
        }
        // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own name.
        for host in [
            "evil.example".to_string(),
            format!("evil.example:{port}"),
            format!("127.0.0.1:{}", port + 1),
            String::new(),
        ] {
            let r = get(port, &host, &path).await;
            assert!(r.starts_with("HTTP/1.1 421"), "{host:?}: {r}");
            assert!(!r.contains("VCALENDAR"));
        }
        assert!(
            get(port, &format!("127.0.0.1:{port}"), "/nope")
                .await
                .starts_with("HTTP/1.1 404")
        );
        feed.stop().await;
    }

    /// Switching the feed on while it runs keeps its address; after a stop the same port is
    /// free at once.
    #[tokio::test]
    async fn the_address_survives_switching_on_again() {
        let feed = Feed::default();
        let port = free_port().await.expect("port");
        let s = settings(port);
        let first = feed.serve(render_ok(), &s).await.expect("serve");
        let again = feed.serve(render_ok(), &s).await.expect("serve again");
        assert_eq!(first, again);
        assert_eq!(feed.view(Some(&s)).url, Some(first.clone()));
        feed.stop().await;
        assert_eq!(feed.view(Some(&s)).url, None);
        let third = feed
            .serve(render_ok(), &s)
            .await
            .expect("serve after a stop");
        assert_eq!(third, first);
        let path = format!("/{}/calendar.ics", s.token);
        assert!(
            get(port, &format!("127.0.0.1:{port}"), &path)
                .await
                .starts_with("HTTP/1.1 200")
        );
        feed.stop().await;
    }

    /// Idle connections cannot exhaust the server: past the cap, newcomers get a 503 at once;
    /// and a client trickling its request is cut off at the deadline.
    #[tokio::test]
    async fn idle_and_slow_clients_are_capped_and_cut_off() {
        let feed = Feed::default();
        let port = free_port().await.expect("port");
        let s = settings(port);
        feed.serve(render_ok(), &s).await.expect("serve");
        let mut idle = Vec::new();
        for _ in 0..MAX_CONNECTIONS {
            idle.push(
                TcpStream::connect(("127.0.0.1", port))
                    .await
                    .expect("connect"),
            );
        }
        // Let the server take them all.
        tokio::time::sleep(Duration::from_secs(1)).await;
        let path = format!("/{}/calendar.ics", s.token);
        let r = get(port, &format!("127.0.0.1:{port}"), &path).await;
        assert!(r.starts_with("HTTP/1.1 503"), "{r}");
        // One idle client, trickling a byte a second: closed by the deadline, well before it
        // could finish a request.
        let mut slow = idle.pop().expect("a client");
        let started = std::time::Instant::now();
        let mut closed = false;
        for _ in 0..(REQUEST_DEADLINE.as_secs() + 5) {
            if slow.write_all(b"G").await.is_err() {
                closed = true;
                break;
            }
            let mut byte = [0u8; 1];
            if let Ok(Ok(0)) =
                tokio::time::timeout(Duration::from_secs(1), slow.read(&mut byte)).await
            {
                closed = true;
                break;
            }
        }
        assert!(closed, "a trickling client was never cut off");
        assert!(started.elapsed() <= REQUEST_DEADLINE + Duration::from_secs(3));
        // With the idle ones gone too, a real request is served again.
        drop(idle);
        tokio::time::sleep(REQUEST_DEADLINE).await;
        let r = get(port, &format!("127.0.0.1:{port}"), &path).await;
        assert!(r.starts_with("HTTP/1.1 200"), "{r}");
        feed.stop().await;
    }

    /// Found by the hostile-input pass: a flood of local connections held a descriptor each
    /// (every one was told "busy" on a task of its own), and could exhaust the app's. Now the
    /// feed holds at most `MAX_CONNECTIONS + MAX_REFUSING` whatever the flood, and serves
    /// again once it ends.
    #[tokio::test]
    async fn a_flood_of_connections_holds_a_bounded_number_of_descriptors() {
        // The sockets this process holds on the feed's side of a connection to `port` (other
        // tests run beside this one, with descriptors of their own).
        fn held_by_feed(port: u16) -> usize {
            let ours: std::collections::HashSet<String> = std::fs::read_dir("/proc/self/fd")
                .map(|d| {
                    d.flatten()
                        .filter_map(|e| std::fs::read_link(e.path()).ok())
                        .filter_map(|l| {
                            let l = l.to_string_lossy().into_owned();
                            Some(l.strip_prefix("socket:[")?.strip_suffix(']')?.to_string())
                        })
                        .collect()
                })
                .unwrap_or_default();
            let table = std::fs::read_to_string("/proc/net/tcp").expect("/proc/net/tcp");
            table
                .lines()
                .skip(1)
                .filter(|line| {
                    let f: Vec<&str> = line.split_whitespace().collect();
                    let local_port = f
                        .get(1)
                        .and_then(|a| a.rsplit(':').next())
                        .and_then(|p| u16::from_str_radix(p, 16).ok());
                    // 0A is the listener itself.
                    local_port == Some(port)
                        && f.get(3) != Some(&"0A")
                        && f.get(9).is_some_and(|inode| ours.contains(*inode))
                })
                .count()
        }
        let feed = Feed::default();
        let port = free_port().await.expect("port");
        let s = settings(port);
        feed.serve(render_ok(), &s).await.expect("serve");
        let flood = 300;
        let mut clients = Vec::new();
        for _ in 0..flood {
            clients.push(
                TcpStream::connect(("127.0.0.1", port))
                    .await
                    .expect("connect"),
            );
        }
        // Let the server accept them all (each refused one waits up to a second).
        tokio::time::sleep(Duration::from_millis(300)).await;
        let held = held_by_feed(port);
        assert!(
            held <= MAX_CONNECTIONS + MAX_REFUSING,
            "the feed holds {held} descriptors for {flood} connections"
        );
        drop(clients);
        tokio::time::sleep(REQUEST_DEADLINE + Duration::from_secs(1)).await;
        let path = format!("/{}/calendar.ics", s.token);
        let r = get(port, &format!("127.0.0.1:{port}"), &path).await;
        assert!(r.starts_with("HTTP/1.1 200"), "{r}");
        feed.stop().await;
    }

    #[test]
    fn failed_accepts_back_off_up_to_a_second() {
        let waits: Vec<u64> = (1..12).map(|n| backoff(n).as_millis() as u64).collect();
        assert!(waits.windows(2).all(|w| w[0] <= w[1]), "{waits:?}");
        assert!(
            waits[0] >= 10 && *waits.last().expect("waits") == 1000,
            "{waits:?}"
        );
    }
}
