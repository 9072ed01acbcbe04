//! The live calendar feed: the plan as an iCalendar file served over HTTP on 127.0.0.1, so a
//! desktop calendar subscribed to it follows every replan. Off by default. The URL carries a
//! random token, and only `GET`/`HEAD` of exactly that path is answered; anything else gets a
//! 404 without a hint. Each request renders the plan afresh from the database.

use std::sync::Mutex;

use tauri::async_runtime::JoinHandle;
use tauri::{AppHandle, Manager, Runtime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use roadmap_core::api::{ApiError, ErrorKind, FeedView};
use roadmap_store::calendar_feed::{self, FeedSettings};
use roadmap_store::plans;

use crate::AppState;

/// The running server, if any.
#[derive(Default)]
pub struct Feed {
    server: Mutex<Option<(JoinHandle<()>, String)>>,
    problem: Mutex<Option<String>>,
}

impl Feed {
    /// The window's view of the feed.
    pub fn view(&self, settings: Option<&FeedSettings>) -> FeedView {
        let running = self
            .server
            .lock()
            .ok()
            .and_then(|s| s.as_ref().map(|(_, url)| url.clone()));
        FeedView {
            enabled: settings.is_some_and(|s| s.enabled),
            url: running,
            alarm_minutes: settings.and_then(|s| s.alarm_minutes),
            problem: self.problem.lock().ok().and_then(|p| p.clone()),
        }
    }

    /// Stops the server, if it runs.
    pub fn stop(&self) {
        if let Ok(mut s) = self.server.lock()
            && let Some((handle, _)) = s.take()
        {
            handle.abort();
        }
    }

    /// Starts serving on `settings.port` (stopping any earlier server first). Returns the URL.
    pub async fn start<R: Runtime>(
        &self,
        app: AppHandle<R>,
        settings: &FeedSettings,
    ) -> Result<String, ApiError> {
        self.stop();
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
                return Err(ApiError {
                    kind: ErrorKind::Io,
                    message,
                });
            }
        };
        let url = format!(
            "http://127.0.0.1:{}/{}/calendar.ics",
            settings.port, settings.token
        );
        let path = format!("/{}/calendar.ics", settings.token);
        let handle = tauri::async_runtime::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let app = app.clone();
                let path = path.clone();
                tauri::async_runtime::spawn(async move {
                    // A client that misbehaves only loses its own connection.
                    let _ = answer(stream, &app, &path).await;
                });
            }
        });
        if let Ok(mut s) = self.server.lock() {
            *s = Some((handle, url.clone()));
        }
        if let Ok(mut p) = self.problem.lock() {
            *p = None;
        }
        Ok(url)
    }
}

/// A free port on 127.0.0.1, chosen by the system.
pub async fn free_port() -> Result<u16, ApiError> {
    let l = TcpListener::bind(("127.0.0.1", 0))
        .await
        .map_err(|e| ApiError {
            kind: ErrorKind::Io,
            message: format!("no free port for the calendar feed: {e}"),
        })?;
    l.local_addr().map(|a| a.port()).map_err(|e| ApiError {
        kind: ErrorKind::Io,
        message: format!("no free port for the calendar feed: {e}"),
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

async fn answer<R: Runtime>(
    mut stream: TcpStream,
    app: &AppHandle<R>,
    path: &str,
) -> std::io::Result<()> {
    let mut buf = vec![0u8; 8192];
    let mut read = 0;
    // Read the request head (a calendar client sends no body with GET).
    loop {
        let n = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            stream.read(&mut buf[read..]),
        )
        .await
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "slow client"))??;
        if n == 0 {
            break;
        }
        read += n;
        if buf[..read].windows(4).any(|w| w == b"\r\n\r\n") || read == buf.len() {
            break;
        }
    }
    let head = String::from_utf8_lossy(&buf[..read]);
    let mut parts = head.lines().next().unwrap_or_default().split_whitespace();
    let (method, target) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let response = if (method == "GET" || method == "HEAD") && target == path {
        match render(app) {
            Ok(body) => reply(
                "200 OK",
                "text/calendar; charset=utf-8",
                &body,
                method == "HEAD",
            ),
            Err(e) => reply(
                "503 Service Unavailable",
                "text/plain; charset=utf-8",
                &format!("{}\n", e.message),
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

fn render<R: Runtime>(app: &AppHandle<R>) -> Result<String, ApiError> {
    let state = app.state::<AppState>();
    state.with_conn(|conn| {
        let plan = plans::require_current(conn)?;
        let alarm = calendar_feed::get(conn)?.and_then(|f| f.alarm_minutes);
        Ok(roadmap_store::export::render_ics(&plan, None, alarm)?)
    })
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
