//! HTTP (and `file://`) fetching: polite, bounded, and never trusting the server.
//!
//! This stage only moves bytes. It knows about conditional GET, redirects,
//! compression, timeouts, size caps and per-host politeness; it knows nothing
//! about feeds. Every limit is enforced while the response streams in, so a
//! hostile server can cost us at most `max_body` bytes of memory and
//! `timeout` of wall time per feed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap, HeaderValue};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use url::Url;

use crate::config::PollConfig;

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 5;

/// A body up to this size needs no more than its fetch slot: nearly every
/// real feed is under it, so `concurrency` of them in flight cost at most
/// `concurrency` MiB.
pub const SMALL_BODY: u64 = 1024 * 1024;

/// Memory for large bodies being downloaded or waiting to be parsed: a
/// body past [`SMALL_BODY`] takes one of `LARGE_DOWNLOADS_BUDGET / max_body`
/// download slots (at least one) until it is fetched and a parse slot is
/// free. Downloads still overlap (a few hostile bodies that run into
/// `max_body` fail side by side), but their bytes are bounded, not only
/// their number.
pub const LARGE_DOWNLOADS_BUDGET: u64 = 64 * 1024 * 1024;

/// Memory for large bodies being parsed, analysed and stored, in
/// `max_body`s (at least one at a time; see `poll`). A feed costs far more
/// than its body once parsed and its phrases extracted: a 10 MiB feed of
/// 1,000 items peaked at 213 MB on its own (15 MB read, 63 MB parsed,
/// 213 MB extracted); sixteen such feeds at once peaked at 655 MB, past
/// the service's 512 MB ceiling.
pub const LARGE_PARSES_BUDGET: u64 = 16 * 1024 * 1024;

/// How many of a budget's slots a `max_body` allows (at least one).
pub fn slots(budget: u64, max_body: u64) -> usize {
    (budget / max_body.max(1)).max(1) as usize
}

/// What we remembered from the last successful fetch, echoed back byte for byte.
#[derive(Debug, Clone, Default)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A response we can use: either a body, or "not modified".
#[derive(Debug)]
pub struct Fetched {
    pub status: u16,
    /// `None` for 304 Not Modified.
    pub body: Option<Vec<u8>>,
    /// Where the content finally came from, after redirects.
    pub final_url: Url,
    /// Set when every redirect on the way was permanent (301/308): the feed has moved.
    pub moved_to: Option<Url>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The `charset` parameter of Content-Type, a hint for the parser.
    pub charset: Option<String>,
    /// The Content-Type's media type, lower case ("text/html").
    pub media_type: Option<String>,
    /// Cache-Control max-age: the server's own idea of how often to come back.
    pub max_age: Option<Duration>,
    /// A large body's download slot (see [`LARGE_DOWNLOADS_BUDGET`]): whoever
    /// parses the body keeps it until it has a parse slot.
    pub large_body: Option<OwnedSemaphorePermit>,
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("HTTP {status}{}", retry_after.map(|d| format!(" (server asked us to retry after {})", humantime::format_duration(d))).unwrap_or_default())]
    Status {
        status: StatusCode,
        retry_after: Option<Duration>,
    },
    #[error("timed out after {}", humantime::format_duration(*.0))]
    Timeout(Duration),
    #[error("response body is larger than the {} limit (poll.max_body)", bytesize::ByteSize(*.0))]
    TooLarge(u64),
    #[error("redirect loop: {}", .0.join(" -> "))]
    RedirectLoop(Vec<String>),
    #[error("too many redirects (more than {MAX_REDIRECTS}): {}", .0.join(" -> "))]
    TooManyRedirects(Vec<String>),
    #[error("redirect from {from} has no usable Location header")]
    BadRedirect { from: String },
    #[error("{0}")]
    Network(String),
    #[error("cannot read {path}: {message}")]
    File { path: String, message: String },
    #[error("unsupported URL scheme {0:?}")]
    Scheme(String),
}

impl FetchError {
    /// How long the server asked us to stay away (429/503 with Retry-After).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// One HTTP client for all feeds, plus the limits that keep us polite.
pub struct Fetcher {
    client: reqwest::Client,
    timeout: Duration,
    max_body: u64,
    global: Arc<Semaphore>,
    /// Slots for bodies past [`SMALL_BODY`] (see [`LARGE_DOWNLOADS_BUDGET`]).
    large: Arc<Semaphore>,
    per_host_limit: usize,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl Fetcher {
    pub fn new(cfg: &PollConfig) -> anyhow::Result<Fetcher> {
        let client = reqwest::Client::builder()
            .user_agent(&cfg.user_agent)
            // We follow redirects ourselves: we need to know whether the whole
            // chain was permanent, and to name the hops when it loops.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(cfg.timeout.min(Duration::from_secs(10)))
            .pool_max_idle_per_host(cfg.per_host)
            // Idle connections hold buffers; between a daemon's rounds
            // (minutes to hours apart) they are rarely reused anyway.
            .pool_idle_timeout(Duration::from_secs(30))
            .build()?;
        Ok(Fetcher {
            client,
            timeout: cfg.timeout,
            max_body: cfg.max_body,
            global: Arc::new(Semaphore::new(cfg.concurrency)),
            large: Arc::new(Semaphore::new(slots(LARGE_DOWNLOADS_BUDGET, cfg.max_body))),
            per_host_limit: cfg.per_host,
            hosts: Mutex::new(HashMap::new()),
        })
    }

    /// Fetches `url`, waiting first for a slot for its host and a global slot.
    pub async fn fetch(&self, url: &Url, validators: &Validators) -> Result<Fetched, FetchError> {
        match url.scheme() {
            "file" => return self.fetch_file(url, validators).await,
            "http" | "https" => {}
            other => return Err(FetchError::Scheme(other.to_owned())),
        }
        // Host slot first: waiting for a busy host must not hold a global slot
        // that a feed on an idle host could use.
        let _host = self.host_permit(url).await;
        let _global = self.global.clone().acquire_owned().await;
        match tokio::time::timeout(self.timeout, self.fetch_http(url, validators)).await {
            Ok(r) => r,
            Err(_) => Err(FetchError::Timeout(self.timeout)),
        }
    }

    async fn host_permit(&self, url: &Url) -> Option<OwnedSemaphorePermit> {
        let key = host_key(url);
        let sem = {
            let mut hosts = self.hosts.lock().expect("host table poisoned");
            hosts
                .entry(key)
                .or_insert_with(|| Arc::new(Semaphore::new(self.per_host_limit)))
                .clone()
        };
        sem.acquire_owned().await.ok()
    }

    async fn fetch_http(&self, url: &Url, v: &Validators) -> Result<Fetched, FetchError> {
        let mut current = url.clone();
        let mut hops = vec![url.to_string()];
        let mut all_permanent = true;
        loop {
            let mut req = self.client.get(current.clone()).header(
                header::ACCEPT,
                "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8",
            );
            if let Some(etag) = &v.etag {
                req = req.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &v.last_modified {
                req = req.header(header::IF_MODIFIED_SINCE, lm);
            }
            let resp = req.send().await.map_err(network_error)?;
            let status = resp.status();

            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                let next = resp
                    .headers()
                    .get(header::LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .and_then(|l| current.join(l).ok())
                    .ok_or_else(|| FetchError::BadRedirect {
                        from: current.to_string(),
                    })?;
                all_permanent &= matches!(
                    status,
                    StatusCode::MOVED_PERMANENTLY | StatusCode::PERMANENT_REDIRECT
                );
                let seen = hops.contains(&next.to_string());
                hops.push(next.to_string());
                if seen {
                    return Err(FetchError::RedirectLoop(hops));
                }
                if hops.len() > MAX_REDIRECTS + 1 {
                    return Err(FetchError::TooManyRedirects(hops));
                }
                current = next;
                continue;
            }

            let headers = resp.headers().clone();
            let moved_to = (hops.len() > 1 && all_permanent).then(|| current.clone());
            let meta = |body| Fetched {
                status: status.as_u16(),
                body,
                final_url: current.clone(),
                moved_to: moved_to.clone(),
                etag: header_string(&headers, header::ETAG),
                last_modified: header_string(&headers, header::LAST_MODIFIED),
                charset: charset(&headers),
                media_type: header_string(&headers, header::CONTENT_TYPE).map(|ct| {
                    ct.split(';')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_ascii_lowercase()
                }),
                max_age: max_age(&headers),
                large_body: None,
            };
            if status == StatusCode::NOT_MODIFIED {
                return Ok(meta(None));
            }
            if !status.is_success() {
                return Err(FetchError::Status {
                    status,
                    retry_after: retry_after(&headers),
                });
            }
            let (body, large_body) = self.read_capped(resp).await?;
            let mut fetched = meta(Some(body));
            fetched.large_body = large_body;
            return Ok(fetched);
        }
    }

    /// Streams the body, stopping as soon as it passes the cap. The stream is
    /// already decompressed, so the cap also bounds a gzip bomb.
    async fn read_capped(
        &self,
        mut resp: reqwest::Response,
    ) -> Result<(Vec<u8>, Option<OwnedSemaphorePermit>), FetchError> {
        // Content-Length is the compressed size when compression is on, so it
        // can only reject early, never accept.
        if resp.content_length().is_some_and(|n| n > self.max_body) {
            return Err(FetchError::TooLarge(self.max_body));
        }
        // A hint, not a promise: the server's Content-Length may be a lie, and
        // a large reservation would be memory held before a byte arrived.
        let hint = resp
            .content_length()
            .unwrap_or(64 * 1024)
            .min(self.max_body)
            .min(1024 * 1024) as usize;
        let mut body = Vec::with_capacity(hint);
        // Taken before the body passes SMALL_BODY. Waiting for it holds only
        // a small body, and a holder needs nothing more to finish, so the
        // wait always ends (or the fetch's timeout does).
        let mut large = match resp.content_length() {
            Some(n) if n > SMALL_BODY => Some(self.large_slot().await),
            _ => None,
        };
        while let Some(chunk) = resp.chunk().await.map_err(network_error)? {
            let len = body.len() as u64 + chunk.len() as u64;
            if len > self.max_body {
                return Err(FetchError::TooLarge(self.max_body));
            }
            if len > SMALL_BODY && large.is_none() {
                large = Some(self.large_slot().await);
            }
            body.extend_from_slice(&chunk);
        }
        Ok((body, large.flatten()))
    }

    async fn large_slot(&self) -> Option<OwnedSemaphorePermit> {
        self.large.clone().acquire_owned().await.ok()
    }

    /// Local files: the modification time plays the part of Last-Modified,
    /// so an unchanged file is not parsed again. They take a global slot and
    /// obey `timeout` and `max_body` as HTTP does; only regular files are
    /// read (see [`read_local`]).
    async fn fetch_file(&self, url: &Url, v: &Validators) -> Result<Fetched, FetchError> {
        let path = url
            .to_file_path()
            .map_err(|_| FetchError::Scheme(format!("bad file URL {url}")))?;
        let _global = self.global.clone().acquire_owned().await;
        let large_body = match tokio::fs::metadata(&path).await {
            Ok(md) if md.is_file() && md.len() > SMALL_BODY && md.len() <= self.max_body => {
                self.large_slot().await
            }
            _ => None,
        };
        let (max_body, known) = (self.max_body, v.last_modified.clone());
        let shown = path.display().to_string();
        let read = tokio::task::spawn_blocking(move || read_local(&path, max_body, known));
        let (body, last_modified) = match tokio::time::timeout(self.timeout, read).await {
            Ok(Ok(result)) => result?,
            Ok(Err(e)) => {
                return Err(FetchError::File {
                    path: shown,
                    message: format!("the read stopped: {e}"),
                });
            }
            Err(_) => return Err(FetchError::Timeout(self.timeout)),
        };
        Ok(Fetched {
            status: if body.is_some() { 200 } else { 304 },
            body,
            final_url: url.clone(),
            moved_to: None,
            etag: None,
            last_modified,
            charset: None,
            media_type: None,
            max_age: None,
            large_body,
        })
    }
}

/// File systems whose "files" are the kernel's, not documents: their
/// regular files (`/proc/self/environ`) hold a process's secrets.
#[cfg(target_os = "linux")]
const SYSTEM_FILE_SYSTEMS: &[(i64, &str)] = &[
    (0x9fa0, "/proc"),
    (0x6265_6572, "/sys"),
    (0x6462_6720, "debugfs"),
    (0x7472_6163, "tracefs"),
    (0x7363_6673, "securityfs"),
    (0x6367_7270, "cgroup2"),
    (0x1cd1, "devpts"),
];

/// Reads a local feed: a regular file only, at most `max_body` bytes.
/// Devices (`/dev/zero` never ends), FIFOs and sockets (a read can wait
/// forever), folders, and anything under `/proc`, `/sys` or `/dev` are
/// refused before a byte is read. The file is opened non-blocking and
/// checked again once open, so a path swapped for a FIFO in between cannot
/// hang the poll either. Returns the body (`None` if unchanged since
/// `known`, its Last-Modified) and the file's Last-Modified.
pub fn read_local(
    path: &std::path::Path,
    max_body: u64,
    known: Option<String>,
) -> Result<(Option<Vec<u8>>, Option<String>), FetchError> {
    use std::io::Read;
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let refuse = |message: String| FetchError::File {
        path: path.display().to_string(),
        message,
    };
    let io = |e: std::io::Error| refuse(e.to_string());
    let real = std::fs::canonicalize(path).map_err(io)?;
    for system in ["/proc", "/sys", "/dev"] {
        if real.starts_with(system) {
            return Err(refuse(format!(
                "{} is under {system}: system files are never read as feeds",
                real.display()
            )));
        }
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(&real)
        .map_err(io)?;
    let md = file.metadata().map_err(io)?;
    let kind = md.file_type();
    if !kind.is_file() {
        let what = if kind.is_dir() {
            "a folder"
        } else if kind.is_fifo() {
            "a FIFO (named pipe)"
        } else if kind.is_socket() {
            "a socket"
        } else if kind.is_char_device() || kind.is_block_device() {
            "a device"
        } else {
            "not a regular file"
        };
        return Err(refuse(format!(
            "it is {what}; only regular files are read as feeds"
        )));
    }
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: fstatfs writes into the zeroed struct we own, for an fd we hold open.
        let mut fs: libc::statfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::fstatfs(file.as_raw_fd(), &mut fs) } == 0 {
            let magic = fs.f_type as i64;
            if let Some((_, name)) = SYSTEM_FILE_SYSTEMS.iter().find(|(m, _)| *m == magic) {
                return Err(refuse(format!(
                    "it is on {name}, the kernel's own file system: system files are never read as feeds"
                )));
            }
        }
    }
    if md.len() > max_body {
        return Err(FetchError::TooLarge(max_body));
    }
    let last_modified = md
        .modified()
        .ok()
        .map(|t: SystemTime| httpdate::fmt_http_date(t));
    if last_modified.is_some() && last_modified == known {
        return Ok((None, last_modified));
    }
    // The size was checked, but a file can grow while we read it.
    let mut body = Vec::with_capacity(md.len() as usize);
    file.take(max_body + 1).read_to_end(&mut body).map_err(io)?;
    if body.len() as u64 > max_body {
        return Err(FetchError::TooLarge(max_body));
    }
    Ok((Some(body), last_modified))
}

/// Politeness is per host and port: two feeds on one server share its slots.
pub fn host_key(url: &Url) -> String {
    match (url.host_str(), url.port_or_known_default()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => url.scheme().to_owned(),
    }
}

fn header_string(h: &HeaderMap, name: header::HeaderName) -> Option<String> {
    // Validators are echoed exactly as received, quotes and W/ prefix included.
    h.get(name)
        .and_then(|v: &HeaderValue| v.to_str().ok())
        .map(str::to_owned)
        .filter(|s| !s.is_empty())
}

fn charset(h: &HeaderMap) -> Option<String> {
    let ct = h.get(header::CONTENT_TYPE)?.to_str().ok()?;
    ct.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

fn max_age(h: &HeaderMap) -> Option<Duration> {
    let cc = h.get(header::CACHE_CONTROL)?.to_str().ok()?;
    cc.split(',').find_map(|d| {
        let (k, v) = d.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("max-age"))
            .then(|| v.trim().parse::<u64>().ok().map(Duration::from_secs))?
    })
}

/// Retry-After is either a number of seconds or an HTTP date.
pub fn retry_after(h: &HeaderMap) -> Option<Duration> {
    let v = h.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// reqwest's top-level message is often just "error sending request"; the
/// cause (connection refused, DNS, TLS) is further down the chain.
fn network_error(e: reqwest::Error) -> FetchError {
    if e.is_timeout() {
        return FetchError::Network("timed out".into());
    }
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(&e);
    while let Some(s) = src {
        let part = s.to_string();
        if !msg.contains(&part) {
            msg.push_str(": ");
            msg.push_str(&part);
        }
        src = s.source();
    }
    FetchError::Network(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(
            retry_after(&headers(&[("retry-after", "120")])),
            Some(Duration::from_secs(120))
        );
        let later = SystemTime::now() + Duration::from_secs(600);
        let d = retry_after(&headers(&[(
            "retry-after",
            &httpdate::fmt_http_date(later),
        )]))
        .unwrap();
        assert!(d > Duration::from_secs(500) && d <= Duration::from_secs(600));
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")])), None);
    }

    #[test]
    fn cache_control_and_charset() {
        let h = headers(&[
            ("cache-control", "public, max-age=7200"),
            (
                "content-type",
                "application/rss+xml; charset=\"ISO-8859-1\"",
            ),
        ]);
        assert_eq!(max_age(&h), Some(Duration::from_secs(7200)));
        assert_eq!(charset(&h).as_deref(), Some("ISO-8859-1"));
    }
}
