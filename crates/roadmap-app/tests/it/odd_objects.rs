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

/// A calendar server on the loopback interface holding `good.ics` and `odd.ics`: it answers a
/// multiget with both in one XML answer (the odd one's control character in it, as servers
/// pass it on), and a GET with the object alone. Returns the port and the methods it saw.
fn serve() -> (u16, Arc<Mutex<Vec<String>>>) {
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
            let (status, etag, body) = match (method.as_str(), path.as_str()) {
                ("REPORT", _) => {
                    let item = |name: &str, etag: &str, data: &str| {
                        format!(
                            "<d:response><d:href>/cal/{name}</d:href><d:propstat><d:prop><d:getetag>{etag}</d:getetag><c:calendar-data>{data}</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
                        )
                    };
                    (
                        "207 Multi-Status",
                        String::new(),
                        format!(
                            "<?xml version=\"1.0\" encoding=\"utf-8\"?><d:multistatus xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\">{}{}</d:multistatus>",
                            item("good.ics", "\"g1\"", GOOD),
                            item("odd.ics", "\"o1\"", ODD)
                        ),
                    )
                }
                ("GET", "/cal/good.ics") => ("200 OK", "\"g1\"".to_string(), GOOD.to_string()),
                ("GET", "/cal/odd.ics") => ("200 OK", "\"o1\"".to_string(), ODD.to_string()),
                _ => ("404 Not Found", String::new(), String::new()),
            };
            let etag = if etag.is_empty() {
                String::new()
            } else {
                format!("ETag: {etag}\r\n")
            };
            let _ = (&stream).write_all(
                format!("HTTP/1.1 {status}\r\n{etag}Content-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())
                    .as_bytes(),
            );
        }
    });
    (port, seen)
}

#[test]
fn an_object_with_a_control_character_does_not_block_the_others() {
    let (port, seen) = serve();
    let account = Account {
        server: format!("http://127.0.0.1:{port}/"),
        user: "learner".into(),
        calendar_url: format!("http://127.0.0.1:{port}/cal/"),
        calendar_name: "Plan".into(),
        connected_at: "2027-01-04T08:00:00Z".into(),
        last_sync: None,
        last_report: None,
    };
    let mut server = Server::open(&account, "secret").expect("open");
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
