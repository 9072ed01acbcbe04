//! Found by the hostile-input pass: one object on the server holding a raw control character
//! made the answer to the batch fetch unreadable (not XML), and so blocked every later sync.
//! The batch is then fetched one object at a time: the odd one is read alone, the rest as
//! usual.

use std::io::{BufRead, BufReader, Read, Write as _};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use roadmap_app::remote::dav::Server;
use roadmap_core::caldav::Remote;
use roadmap_store::caldav_account::Account;

const GOOD: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:good\r\nDTSTART:20270104T180000Z\r\nSUMMARY:Good\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
const ODD: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:odd\r\nDTSTART:20270105T180000Z\r\nSUMMARY:Odd \u{1}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

type Answer = (&'static str, String, String);

/// A calendar server on the loopback interface that answers each request with what `answer`
/// makes of its method and path (status, ETag, body). Returns the port and the requests seen.
fn serve_with(
    answer: impl Fn(&str, &str) -> Answer + Send + 'static,
) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut first = String::new();
            let _ = reader.read_line(&mut first);
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let mut parts = first.split(' ');
            let (method, path) = (
                parts.next().unwrap_or("").to_string(),
                parts.next().unwrap_or("").to_string(),
            );
            log.lock().expect("lock").push(format!("{method} {path}"));
            let (status, etag, body) = answer(&method, &path);
            let etag = if etag.is_empty() {
                String::new()
            } else {
                format!("ETag: {etag}\r\n")
            };
            let _ = (&stream).write_all(
                format!("HTTP/1.1 {status}\r\n{etag}Content-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len())
                    .as_bytes(),
            );
            let _ = (&stream).write_all(body.as_bytes());
        }
    });
    (port, seen)
}

/// The server holding `good.ics` and `odd.ics`: it answers a multiget with both in one XML
/// answer (the odd one's control character in it, as servers pass it on), and a GET with the
/// object alone.
fn serve() -> (u16, Arc<Mutex<Vec<String>>>) {
    serve_with(|method, path| match (method, path) {
        ("REPORT", _) => {
            let item = |name: &str, etag: &str, data: &str| {
                format!(
                    "<d:response><d:href>/cal/{name}</d:href><d:propstat><d:prop><d:getetag>{etag}</d:getetag><c:calendar-data>{data}</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
                )
            };
            (
                "207 Multi-Status",
                String::new(),
                multistatus(&format!(
                    "{}{}",
                    item("good.ics", "\"g1\"", GOOD),
                    item("odd.ics", "\"o1\"", ODD)
                )),
            )
        }
        ("GET", "/cal/good.ics") => ("200 OK", "\"g1\"".to_string(), GOOD.to_string()),
        ("GET", "/cal/odd.ics") => ("200 OK", "\"o1\"".to_string(), ODD.to_string()),
        _ => ("404 Not Found", String::new(), String::new()),
    })
}

fn multistatus(inner: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><d:multistatus xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\">{inner}</d:multistatus>"
    )
}

fn account(port: u16) -> Account {
    Account {
        server: format!("http://127.0.0.1:{port}/"),
        user: "learner".into(),
        calendar_url: format!("http://127.0.0.1:{port}/cal/"),
        calendar_name: "Plan".into(),
        connected_at: "2027-01-04T08:00:00Z".into(),
        last_sync: None,
        last_report: None,
    }
}

#[test]
fn an_object_with_a_control_character_does_not_block_the_others() {
    let (port, seen) = serve();
    let mut server = Server::open(&account(port), "secret").expect("open");
    let mut got = server
        .fetch(&["good.ics".to_string(), "odd.ics".to_string()])
        .expect("fetched");
    got.sort();
    let names: Vec<&str> = got.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(names, ["good.ics", "odd.ics"]);
    assert_eq!(got[0].1, "\"g1\"");
    assert_eq!(got[0].2, GOOD);
    assert_eq!(got[1].2, ODD, "the odd one is read as it is");
    // The batch was asked for first; then each object alone.
    let seen = seen.lock().expect("lock").clone();
    assert_eq!(
        seen,
        ["REPORT /cal/", "GET /cal/good.ics", "GET /cal/odd.ics"],
        "{seen:?}"
    );
}

/// Found by the hostile-input pass: an answer of `<response>` elements nested inside each
/// other made parsing and searching it quadratic (and one of tiny elements took fifteen times
/// its size in memory). Such an answer is refused before it is parsed, with a sentence, and
/// the next request goes on as usual.
#[test]
fn an_answer_nested_too_deep_or_too_large_is_refused_before_parsing() {
    let nested = 200_000;
    let (port, _) = serve_with(move |method, _| match method {
        "PROPFIND" => (
            "207 Multi-Status",
            String::new(),
            multistatus(&format!(
                "{}{}",
                "<d:response>".repeat(nested),
                "</d:response>".repeat(nested)
            )),
        ),
        "REPORT" => (
            "207 Multi-Status",
            String::new(),
            multistatus(&"<d:x/>".repeat(roadmap_core::answer::MAX_ANSWER_ELEMENTS)),
        ),
        _ => ("404 Not Found", String::new(), String::new()),
    });
    let mut server = Server::open(&account(port), "secret").expect("open");
    let listed = server.list().expect_err("a 200,000-deep answer is refused");
    assert!(
        listed.contains("127.0.0.1") && listed.contains("nests more than 32 levels deep"),
        "{listed}"
    );
    // The multiget is refused as too large, then read one object at a time (none is there).
    let fetched = server.fetch(&["a.ics".to_string()]).expect("fetched");
    assert!(fetched.is_empty());
    let err = roadmap_app::remote::dav::Server::open(&account(port), "secret")
        .expect("open")
        .calendar_text("/other/")
        .expect_err("too many elements");
    assert!(
        err.to_string().contains("more than 250000 elements"),
        "{err}"
    );
}
