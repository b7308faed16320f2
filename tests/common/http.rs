//! A small, hand-written HTTP/1.1 server for integration tests and benchmarks.
//!
//! It is deliberately not built on a server framework: tests need hostile
//! behaviours (bodies that trickle forever, huge advertised lengths, servers
//! that accept and never answer) that frameworks make hard to produce.
//!
//! Only `std` is used: one accept thread plus one thread per connection.
//! Sockets use short read/write timeouts so every thread notices both a
//! vanished client and a dropped [`TestServer`] within ~100 ms.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Granularity at which blocked socket operations re-check the stop flag.
const POLL: Duration = Duration::from_millis(100);
/// Largest request head (request line + headers) accepted.
const MAX_HEAD: usize = 64 * 1024;
/// Size of the filler block written per syscall by [`Reply::Huge`].
const HUGE_BLOCK: usize = 64 * 1024;

/// One parsed request, as the handler and the request log see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// Request target including any query string, e.g. `/feed/1.xml?x=1`.
    pub path: String,
    /// Headers in the order received, names as sent by the client.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// First header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The path without its query string.
    pub fn path_only(&self) -> &str {
        strip_query(&self.path)
    }
}

/// What the server does with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Status, extra headers, body. The server adds `Content-Length` (unless a
    /// header sets `Content-Length` or `Transfer-Encoding`) and connection
    /// handling. 304/204/1xx responses and HEAD requests get no body.
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// 200 with the given headers and no length, then `chunk` every `every`
    /// (the first one immediately) until the client goes away.
    Trickle {
        headers: Vec<(String, String)>,
        chunk: Vec<u8>,
        every: Duration,
    },
    /// 200 advertising `Content-Length: len`, then streams `len` bytes of
    /// `fill` repeated, as fast as the client reads; stops if it disconnects.
    Huge {
        headers: Vec<(String, String)>,
        fill: Vec<u8>,
        len: u64,
    },
    /// Accept the request and never answer (until the client goes away).
    Hang,
}

impl Reply {
    /// `200 OK` with this body.
    pub fn ok(body: impl Into<Vec<u8>>) -> Reply {
        Reply::Full {
            status: 200,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// This status with an empty body.
    pub fn status(code: u16) -> Reply {
        Reply::Full {
            status: code,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A redirect (`code` is e.g. 301, 302, 307, 308) to `location`.
    pub fn redirect(code: u16, location: &str) -> Reply {
        Reply::status(code).with_header("Location", location)
    }

    /// Adds a response header (no effect on [`Reply::Hang`]).
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Reply {
        match &mut self {
            Reply::Full { headers, .. }
            | Reply::Trickle { headers, .. }
            | Reply::Huge { headers, .. } => headers.push((name.into(), value.into())),
            Reply::Hang => {}
        }
        self
    }
}

/// Reason phrase used on the status line.
pub fn reason_phrase(code: u16) -> &'static str {
    match code {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        410 => "Gone",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync + 'static;

struct Shared {
    stop: AtomicBool,
    handler: Box<Handler>,
    log: Mutex<Vec<Request>>,
    hits: Mutex<HashMap<String, usize>>,
}

impl Shared {
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}

/// A running server on `127.0.0.1:<ephemeral port>`; stops accepting when dropped.
pub struct TestServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Binds `127.0.0.1:0` and serves on background threads until dropped.
    /// `handler` is called once per request (after the request is logged).
    pub fn start<F>(handler: F) -> TestServer
    where
        F: Fn(&Request) -> Reply + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").expect("test server: bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("test server: local_addr");
        let shared = Arc::new(Shared {
            stop: AtomicBool::new(false),
            handler: Box::new(handler),
            log: Mutex::new(Vec::new()),
            hits: Mutex::new(HashMap::new()),
        });
        let acceptor = {
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name("test-http-accept".into())
                .spawn(move || accept_loop(listener, shared))
                .expect("test server: spawn accept thread")
        };
        TestServer {
            addr,
            shared,
            acceptor: Some(acceptor),
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/path` (a leading `/` is added if missing).
    pub fn url(&self, path: &str) -> String {
        if path.starts_with('/') {
            format!("http://{}{}", self.addr, path)
        } else {
            format!("http://{}/{}", self.addr, path)
        }
    }

    /// Number of requests so far for exactly this path (query strings ignored).
    pub fn hits(&self, path: &str) -> usize {
        lock(&self.shared.hits).get(path).copied().unwrap_or(0)
    }

    /// Total number of requests so far.
    pub fn total_hits(&self) -> usize {
        lock(&self.shared.log).len()
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        lock(&self.shared.log).clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Unblock the accept() call; the accept loop sees the flag and exits.
        let woke = TcpStream::connect_timeout(&self.addr, Duration::from_secs(2)).is_ok();
        if let Some(handle) = self.acceptor.take()
            && woke
        {
            let _ = handle.join();
        }
        // Connection threads notice the flag within POLL and close their sockets.
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn strip_query(target: &str) -> &str {
    target.split(['?', '#']).next().unwrap_or(target)
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for conn in listener.incoming() {
        if shared.stopped() {
            break;
        }
        match conn {
            Ok(stream) => {
                let shared = Arc::clone(&shared);
                // If the spawn fails the stream is dropped, i.e. closed.
                let _ = thread::Builder::new()
                    .name("test-http-conn".into())
                    .spawn(move || {
                        let mut conn = Conn {
                            stream,
                            buf: Vec::new(),
                            start: 0,
                            shared: &shared,
                        };
                        conn.serve();
                    });
            }
            Err(_) => thread::sleep(Duration::from_millis(5)),
        }
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}

fn stopped_error() -> io::Error {
    io::Error::other("test server stopped")
}

/// Outcome of answering one request.
enum Next {
    KeepAlive,
    Close,
}

struct Conn<'a> {
    stream: TcpStream,
    /// Received but not yet consumed bytes are `buf[start..]`.
    buf: Vec<u8>,
    start: usize,
    shared: &'a Shared,
}

impl Conn<'_> {
    fn serve(&mut self) {
        let _ = self.stream.set_nodelay(true);
        if self.stream.set_read_timeout(Some(POLL)).is_err()
            || self.stream.set_write_timeout(Some(POLL)).is_err()
        {
            return;
        }
        // Any error (client gone, garbage, server stopped) just ends the connection.
        while let Ok(Next::KeepAlive) = self.serve_one() {}
        let _ = self.stream.shutdown(Shutdown::Both);
    }

    fn pending(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    fn consume(&mut self, n: usize) {
        self.start += n;
    }

    /// Reads more bytes. `Ok(false)` on EOF; errors on I/O failure or server stop.
    fn fill(&mut self) -> io::Result<bool> {
        if self.start == self.buf.len() {
            self.buf.clear();
            self.start = 0;
        } else if self.start > 64 * 1024 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        let mut tmp = [0u8; 16 * 1024];
        loop {
            if self.shared.stopped() {
                return Err(stopped_error());
            }
            match self.stream.read(&mut tmp) {
                Ok(0) => return Ok(false),
                Ok(n) => {
                    self.buf.extend_from_slice(&tmp[..n]);
                    return Ok(true);
                }
                Err(e) if is_timeout(&e) => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Reads one request head; `Ok(None)` on a clean EOF between requests.
    fn read_head(&mut self) -> io::Result<Option<Vec<u8>>> {
        loop {
            // Tolerate stray CRLFs between requests (RFC 9112 §2.2).
            let skip = self
                .pending()
                .iter()
                .take_while(|b| **b == b'\r' || **b == b'\n')
                .count();
            self.consume(skip);
            if let Some((head_len, total)) = find_head_end(self.pending()) {
                let head = self.pending()[..head_len].to_vec();
                self.consume(total);
                return Ok(Some(head));
            }
            if self.pending().len() > MAX_HEAD {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "head too large"));
            }
            if !self.fill()? {
                return if self.pending().is_empty() {
                    Ok(None)
                } else {
                    Err(io::ErrorKind::UnexpectedEof.into())
                };
            }
        }
    }

    /// One line (without its line terminator), for chunked request bodies.
    fn read_line(&mut self) -> io::Result<Vec<u8>> {
        loop {
            if let Some(i) = self.pending().iter().position(|b| *b == b'\n') {
                let mut line = self.pending()[..i].to_vec();
                self.consume(i + 1);
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(line);
            }
            if self.pending().len() > MAX_HEAD {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "line too long"));
            }
            if !self.fill()? {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
    }

    /// Skips `n` body bytes.
    fn discard(&mut self, mut n: u64) -> io::Result<()> {
        loop {
            let have = self.pending().len() as u64;
            let take = have.min(n);
            self.consume(take as usize);
            n -= take;
            if n == 0 {
                return Ok(());
            }
            if !self.fill()? {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
    }

    fn discard_chunked(&mut self) -> io::Result<()> {
        loop {
            let line = self.read_line()?;
            let line = String::from_utf8_lossy(&line);
            let size = line.split(';').next().unwrap_or("").trim();
            let size = u64::from_str_radix(size, 16)
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad chunk size"))?;
            if size == 0 {
                // Trailer section, ended by an empty line.
                while !self.read_line()?.is_empty() {}
                return Ok(());
            }
            self.discard(size)?;
            self.read_line()?;
        }
    }

    /// Writes everything, retrying on timeouts until the server stops.
    fn send(&mut self, mut data: &[u8]) -> io::Result<()> {
        while !data.is_empty() {
            if self.shared.stopped() {
                return Err(stopped_error());
            }
            match self.stream.write(data) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => data = &data[n..],
                Err(e) if is_timeout(&e) => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Waits up to `d` while watching the socket. Returns `true` if the client
    /// went away (EOF or error) or the server stopped; incoming bytes are ignored.
    fn wait_or_gone(&mut self, d: Duration) -> bool {
        let deadline = Instant::now() + d;
        let mut tmp = [0u8; 4096];
        let gone = loop {
            if self.shared.stopped() {
                break true;
            }
            let now = Instant::now();
            if now >= deadline {
                break false;
            }
            let slice = (deadline - now).clamp(Duration::from_millis(1), POLL);
            if self.stream.set_read_timeout(Some(slice)).is_err() {
                break true;
            }
            match self.stream.read(&mut tmp) {
                Ok(0) => break true,
                Ok(_) => {}
                Err(e) if is_timeout(&e) => {}
                Err(_) => break true,
            }
        };
        let _ = self.stream.set_read_timeout(Some(POLL));
        gone
    }

    fn serve_one(&mut self) -> io::Result<Next> {
        let Some(head) = self.read_head()? else {
            return Ok(Next::Close);
        };
        let head = String::from_utf8_lossy(&head);
        let mut lines = head.lines();
        let request_line = lines.next().unwrap_or("");
        let mut parts = request_line.split_whitespace();
        let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
            self.send(
                b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            )?;
            return Ok(Next::Close);
        };
        let version = parts.next().unwrap_or("HTTP/1.0");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        let req = Request {
            method: method.to_string(),
            path: origin_form(target).to_string(),
            headers,
        };

        let conn_tokens = header_tokens(&req.headers, "connection");
        let mut keep = if version.eq_ignore_ascii_case("HTTP/1.0") {
            conn_tokens.iter().any(|t| t == "keep-alive")
        } else {
            !conn_tokens.iter().any(|t| t == "close")
        };

        // Request bodies are read and thrown away.
        let chunked = header_tokens(&req.headers, "transfer-encoding")
            .iter()
            .any(|t| t == "chunked");
        let length = req
            .header("content-length")
            .map(|v| v.parse::<u64>())
            .transpose()
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad content-length"))?;
        let has_body = chunked || length.is_some_and(|n| n > 0);
        if has_body
            && req
                .header("expect")
                .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
        {
            self.send(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        }
        if chunked {
            self.discard_chunked()?;
        } else if let Some(n) = length {
            self.discard(n)?;
        }

        {
            let mut hits = lock(&self.shared.hits);
            *hits.entry(req.path_only().to_string()).or_insert(0) += 1;
        }
        lock(&self.shared.log).push(req.clone());

        let reply =
            catch_unwind(AssertUnwindSafe(|| (self.shared.handler)(&req))).unwrap_or_else(|_| {
                Reply::status(500).with_header("X-Test-Server", "handler panicked")
            });
        let is_head = req.method.eq_ignore_ascii_case("HEAD");
        let http10 = version.eq_ignore_ascii_case("HTTP/1.0");

        match reply {
            Reply::Full {
                status,
                headers,
                body,
            } => {
                let bodiless_status =
                    status == 304 || status == 204 || (100..200).contains(&status);
                let send_body = !is_head && !bodiless_status;
                let user_len = header_value(&headers, "content-length");
                let user_te = header_value(&headers, "transfer-encoding").is_some();
                // A caller-supplied length/encoding may deliberately lie; the
                // connection cannot be reused after that.
                if user_te
                    || (send_body && user_len.is_some_and(|v| v.trim() != body.len().to_string()))
                {
                    keep = false;
                }
                let mut out = status_and_headers(status, &headers);
                if user_len.is_none() && !user_te && !bodiless_status {
                    out.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
                }
                keep = finish_head(&mut out, &headers, keep, http10);
                if send_body {
                    out.extend_from_slice(&body);
                }
                self.send(&out)?;
                Ok(if keep { Next::KeepAlive } else { Next::Close })
            }
            Reply::Trickle {
                headers,
                chunk,
                every,
            } => {
                let mut out = status_and_headers(200, &headers);
                finish_head(&mut out, &headers, false, http10);
                self.send(&out)?;
                if is_head {
                    return Ok(Next::Close);
                }
                let every = every.max(Duration::from_millis(1));
                loop {
                    self.send(&chunk)?;
                    if self.wait_or_gone(every) {
                        return Ok(Next::Close);
                    }
                }
            }
            Reply::Huge { headers, fill, len } => {
                let mut out = status_and_headers(200, &headers);
                let user_len = header_value(&headers, "content-length");
                if user_len.is_some_and(|v| v.trim() != len.to_string()) {
                    keep = false;
                }
                if user_len.is_none() {
                    out.extend_from_slice(format!("Content-Length: {len}\r\n").as_bytes());
                }
                keep = finish_head(&mut out, &headers, keep, http10);
                self.send(&out)?;
                if !is_head {
                    let fill = if fill.is_empty() { b"x".to_vec() } else { fill };
                    let block: Vec<u8> = fill.iter().copied().cycle().take(HUGE_BLOCK).collect();
                    let mut left = len;
                    while left > 0 {
                        let n = left.min(block.len() as u64) as usize;
                        self.send(&block[..n])?;
                        left -= n as u64;
                    }
                }
                Ok(if keep { Next::KeepAlive } else { Next::Close })
            }
            Reply::Hang => {
                while !self.wait_or_gone(Duration::from_secs(3600)) {}
                Ok(Next::Close)
            }
        }
    }
}

/// `(head length, head length + terminator length)` if a full head is buffered.
fn find_head_end(buf: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    while i < buf.len() {
        if buf[i] == b'\n' {
            match buf.get(i + 1) {
                Some(b'\n') => return Some((i, i + 2)),
                Some(b'\r') if buf.get(i + 2) == Some(&b'\n') => return Some((i, i + 3)),
                _ => {}
            }
        }
        i += 1;
    }
    None
}

/// Turns an absolute-form target (`http://host/path`) into origin form.
fn origin_form(target: &str) -> &str {
    for scheme in ["http://", "https://"] {
        if let Some(rest) = target.strip_prefix(scheme) {
            return match rest.find('/') {
                Some(i) => &rest[i..],
                None => "/",
            };
        }
    }
    target
}

fn header_value<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Lower-cased comma-separated tokens of every header with this name.
fn header_tokens(headers: &[(String, String)], name: &str) -> Vec<String> {
    headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .flat_map(|(_, v)| v.split(','))
        .map(|t| t.trim().to_ascii_lowercase())
        .filter(|t| !t.is_empty())
        .collect()
}

fn status_and_headers(status: u16, headers: &[(String, String)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(format!("HTTP/1.1 {status} {}\r\n", reason_phrase(status)).as_bytes());
    for (k, v) in headers {
        out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
    }
    out
}

/// Adds connection handling and the blank line; returns whether to keep the
/// connection open (a caller-supplied `Connection: close` wins).
fn finish_head(out: &mut Vec<u8>, headers: &[(String, String)], keep: bool, http10: bool) -> bool {
    let user = header_tokens(headers, "connection");
    let keep = keep && !user.iter().any(|t| t == "close");
    if user.is_empty() {
        if !keep {
            out.extend_from_slice(b"Connection: close\r\n");
        } else if http10 {
            out.extend_from_slice(b"Connection: keep-alive\r\n");
        }
    }
    out.extend_from_slice(b"\r\n");
    keep
}
