//! Exercises the hand-written test server in `tests/common/http.rs` with a raw
//! `TcpStream` client, so the other integration tests can trust it.

mod common;

use common::http::{Reply, TestServer};
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

struct Response {
    status: u16,
    reason: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

struct Client {
    reader: BufReader<TcpStream>,
}

impl Client {
    fn connect(server: &TestServer) -> Client {
        let stream = TcpStream::connect(server.addr()).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        Client {
            reader: BufReader::new(stream),
        }
    }

    fn send(&mut self, raw: &[u8]) {
        self.reader.get_mut().write_all(raw).expect("write request");
    }

    fn get(&mut self, path: &str, extra: &str) {
        let req = format!("GET {path} HTTP/1.1\r\nHost: test\r\n{extra}\r\n");
        self.send(req.as_bytes());
    }

    /// Reads status line and headers only.
    fn read_head(&mut self) -> Response {
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("status line");
        let line = line.trim_end();
        let mut parts = line.splitn(3, ' ');
        assert_eq!(parts.next(), Some("HTTP/1.1"), "status line {line:?}");
        let status = parts.next().unwrap().parse().unwrap();
        let reason = parts.next().unwrap_or("").to_string();
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            self.reader.read_line(&mut h).expect("header line");
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let (k, v) = h.split_once(':').expect("header colon");
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
        Response {
            status,
            reason,
            headers,
            body: Vec::new(),
        }
    }

    /// Reads a whole response; `head_request` means no body follows.
    fn read_response(&mut self, head_request: bool) -> Response {
        let mut resp = self.read_head();
        if head_request || resp.status == 304 || resp.status == 204 {
            return resp;
        }
        match resp.header("content-length") {
            Some(n) => {
                let mut body = vec![0; n.parse().unwrap()];
                self.reader.read_exact(&mut body).expect("body");
                resp.body = body;
            }
            None => {
                self.reader
                    .read_to_end(&mut resp.body)
                    .expect("body to EOF");
            }
        }
        resp
    }

    /// True once the server has closed the connection (EOF within 2 s).
    fn closed_by_server(&mut self) -> bool {
        self.reader
            .get_ref()
            .set_read_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        let mut b = [0u8; 1];
        matches!(self.reader.read(&mut b), Ok(0))
    }
}

fn echo_server() -> TestServer {
    TestServer::start(|req| match req.path_only() {
        "/a" => Reply::ok("alpha").with_header("Content-Type", "text/plain"),
        "/b" => Reply::ok(format!("bravo {}", req.path)),
        "/etag" => {
            if req.header("if-none-match") == Some("\"v1\"") {
                Reply::status(304).with_header("ETag", "\"v1\"")
            } else {
                Reply::ok("fresh").with_header("ETag", "\"v1\"")
            }
        }
        "/moved" => Reply::redirect(301, "/a"),
        _ => Reply::status(404),
    })
}

#[test]
fn keep_alive_serves_two_requests_on_one_connection() {
    let server = echo_server();
    let mut c = Client::connect(&server);
    c.get("/a", "");
    let r1 = c.read_response(false);
    assert_eq!((r1.status, r1.reason.as_str()), (200, "OK"));
    assert_eq!(r1.body, b"alpha");
    assert_eq!(r1.header("content-type"), Some("text/plain"));
    assert_eq!(r1.header("content-length"), Some("5"));

    c.get("/b?x=1", "User-Agent: selftest\r\n");
    let r2 = c.read_response(false);
    assert_eq!(r2.status, 200);
    assert_eq!(r2.body, b"bravo /b?x=1");

    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].method, "GET");
    assert_eq!(reqs[1].path, "/b?x=1");
    assert_eq!(reqs[1].header("USER-AGENT"), Some("selftest"));
}

#[test]
fn pipelined_requests_are_answered_in_order() {
    let server = echo_server();
    let mut c = Client::connect(&server);
    c.send(b"GET /a HTTP/1.1\r\nHost: t\r\n\r\nGET /b HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_eq!(c.read_response(false).body, b"alpha");
    assert_eq!(c.read_response(false).body, b"bravo /b");
}

#[test]
fn not_modified_and_head_send_no_body() {
    let server = echo_server();
    let mut c = Client::connect(&server);
    c.get("/etag", "If-None-Match: \"v1\"\r\n");
    let r = c.read_response(true);
    assert_eq!((r.status, r.reason.as_str()), (304, "Not Modified"));
    assert_eq!(r.header("etag"), Some("\"v1\""));
    assert_eq!(r.header("content-length"), None);

    c.send(b"HEAD /a HTTP/1.1\r\nHost: t\r\n\r\n");
    let r = c.read_response(true);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-length"), Some("5"));

    // Had either response carried body bytes, this one would be garbled.
    c.get("/etag", "");
    let r = c.read_response(false);
    assert_eq!(r.status, 200);
    assert_eq!(r.body, b"fresh");
}

#[test]
fn status_reasons_and_redirects() {
    let server = TestServer::start(|req| {
        let code: u16 = req.path_only()[1..].parse().unwrap_or(500);
        Reply::status(code)
    });
    let mut c = Client::connect(&server);
    for (code, reason) in [
        (301, "Moved Permanently"),
        (302, "Found"),
        (307, "Temporary Redirect"),
        (308, "Permanent Redirect"),
        (404, "Not Found"),
        (429, "Too Many Requests"),
        (500, "Internal Server Error"),
        (503, "Service Unavailable"),
    ] {
        c.get(&format!("/{code}"), "");
        let r = c.read_response(false);
        assert_eq!((r.status, r.reason.as_str()), (code, reason));
        assert!(r.body.is_empty());
    }

    let server = echo_server();
    let mut c = Client::connect(&server);
    c.get("/moved", "");
    let r = c.read_response(false);
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some("/a"));
}

#[test]
fn connection_close_is_honoured() {
    let server = echo_server();
    let mut c = Client::connect(&server);
    c.get("/a", "Connection: close\r\n");
    let r = c.read_response(false);
    assert_eq!(r.body, b"alpha");
    assert_eq!(r.header("connection"), Some("close"));
    assert!(c.closed_by_server());

    // HTTP/1.0 without keep-alive closes too.
    let mut c = Client::connect(&server);
    c.send(b"GET /a HTTP/1.0\r\n\r\n");
    assert_eq!(c.read_response(false).body, b"alpha");
    assert!(c.closed_by_server());
}

#[test]
fn request_bodies_are_ignored() {
    let server = echo_server();
    let mut c = Client::connect(&server);
    c.send(b"POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\nhello world");
    assert_eq!(c.read_response(false).body, b"alpha");
    c.send(
        b"POST /b HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n",
    );
    assert_eq!(c.read_response(false).body, b"bravo /b");
    c.get("/a", "");
    assert_eq!(c.read_response(false).body, b"alpha");
    assert_eq!(server.hits("/a"), 2);
}

#[test]
fn hits_count_paths_without_query() {
    let server = echo_server();
    let mut c = Client::connect(&server);
    for path in ["/a?x=1", "/a?y=2", "/b", "/a", "/missing"] {
        c.get(path, "");
        c.read_response(false);
    }
    // A second connection counts into the same totals.
    let mut c2 = Client::connect(&server);
    c2.get("/b?z", "");
    c2.read_response(false);

    assert_eq!(server.hits("/a"), 3);
    assert_eq!(server.hits("/b"), 2);
    assert_eq!(server.hits("/missing"), 1);
    assert_eq!(server.hits("/nothing"), 0);
    assert_eq!(server.total_hits(), 6);
    assert_eq!(server.url("/a"), format!("http://{}/a", server.addr()));
}

#[test]
fn trickle_sends_bytes_slowly() {
    let server = TestServer::start(|_| Reply::Trickle {
        headers: vec![("Content-Type".into(), "application/rss+xml".into())],
        chunk: b"<".to_vec(),
        every: Duration::from_millis(100),
    });
    let mut c = Client::connect(&server);
    c.get("/slow", "");
    let head = c.read_head();
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), None);
    assert_eq!(head.header("content-type"), Some("application/rss+xml"));

    let started = Instant::now();
    let mut got = 0;
    let mut b = [0u8; 16];
    while got < 4 {
        let n = c.reader.read(&mut b).expect("trickle read");
        assert!(n > 0, "trickle ended early");
        assert!(b[..n].iter().all(|x| *x == b'<'));
        got += n;
    }
    // First chunk is immediate, the next three take ~300 ms.
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(250),
        "too fast: {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(3), "too slow: {elapsed:?}");
    drop(c); // client disconnects mid-body; the server must cope

    // Still serving afterwards.
    let mut c = Client::connect(&server);
    c.get("/again", "");
    assert_eq!(c.read_head().status, 200);
    assert_eq!(server.hits("/slow"), 1);
    assert_eq!(server.hits("/again"), 1);
}

#[test]
fn huge_advertises_length_and_survives_disconnect() {
    let server = TestServer::start(|req| match req.path_only() {
        "/huge" => Reply::Huge {
            headers: vec![],
            fill: b"abc".to_vec(),
            len: 10 * 1024 * 1024 * 1024,
        },
        "/small" => Reply::Huge {
            headers: vec![],
            fill: b"xy".to_vec(),
            len: 100_001,
        },
        _ => Reply::ok("ok"),
    });
    let mut c = Client::connect(&server);
    c.get("/huge", "");
    let head = c.read_head();
    assert_eq!(head.header("content-length"), Some("10737418240"));
    let mut buf = vec![0u8; 300_000];
    c.reader.read_exact(&mut buf).unwrap();
    assert!(buf.starts_with(b"abcabcabc"));
    drop(c);

    let mut c = Client::connect(&server);
    c.get("/small", "");
    let r = c.read_response(false);
    assert_eq!(r.body.len(), 100_001);
    assert!(r.body.chunks(2).all(|p| p == b"xy" || p == b"x"));
    // Correctly framed, so the connection stays usable.
    c.get("/other", "");
    assert_eq!(c.read_response(false).body, b"ok");
}

#[test]
fn hang_never_answers_but_is_logged() {
    let server = TestServer::start(|_| Reply::Hang);
    let mut c = Client::connect(&server);
    c.get("/hang", "");
    c.reader
        .get_ref()
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let mut b = [0u8; 1];
    let err = c.reader.read(&mut b).expect_err("no answer expected");
    assert!(matches!(
        err.kind(),
        ErrorKind::WouldBlock | ErrorKind::TimedOut
    ));
    assert_eq!(server.hits("/hang"), 1);
}

#[test]
fn handler_panic_becomes_500() {
    let server = TestServer::start(|req| {
        if req.path == "/boom" {
            panic!("deliberate handler panic");
        }
        Reply::ok("fine")
    });
    let mut c = Client::connect(&server);
    c.get("/boom", "");
    assert_eq!(c.read_response(false).status, 500);
    c.get("/ok", "");
    assert_eq!(c.read_response(false).body, b"fine");
}

#[test]
fn many_concurrent_clients() {
    let counter = Arc::new(AtomicUsize::new(0));
    let server = {
        let counter = Arc::clone(&counter);
        Arc::new(TestServer::start(move |req| {
            counter.fetch_add(1, Ordering::SeqCst);
            Reply::ok(req.path.clone().into_bytes())
        }))
    };
    let threads: Vec<_> = (0..16)
        .map(|t| {
            let server = Arc::clone(&server);
            std::thread::spawn(move || {
                let mut c = Client::connect(&server);
                for i in 0..50 {
                    let path = format!("/t{t}/{i}");
                    c.get(&path, "");
                    assert_eq!(c.read_response(false).body, path.as_bytes());
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(counter.load(Ordering::SeqCst), 800);
    assert_eq!(server.requests().len(), 800);
}

#[test]
fn drop_stops_accepting_and_closes_connections() {
    let server = echo_server();
    let addr = server.addr();
    let mut idle = Client::connect(&server);
    idle.get("/a", "");
    idle.read_response(false);
    drop(server);
    // The listener is gone...
    assert!(TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err());
    // ...and idle keep-alive connections are closed.
    assert!(idle.closed_by_server());
}
