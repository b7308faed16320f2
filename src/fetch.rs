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
    /// Cache-Control max-age: the server's own idea of how often to come back.
    pub max_age: Option<Duration>,
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
                max_age: max_age(&headers),
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
            let body = self.read_capped(resp).await?;
            return Ok(meta(Some(body)));
        }
    }

    /// Streams the body, stopping as soon as it passes the cap. The stream is
    /// already decompressed, so the cap also bounds a gzip bomb.
    async fn read_capped(&self, mut resp: reqwest::Response) -> Result<Vec<u8>, FetchError> {
        // Content-Length is the compressed size when compression is on, so it
        // can only reject early, never accept.
        if resp.content_length().is_some_and(|n| n > self.max_body) {
            return Err(FetchError::TooLarge(self.max_body));
        }
        let hint = resp
            .content_length()
            .unwrap_or(64 * 1024)
            .min(self.max_body) as usize;
        let mut body = Vec::with_capacity(hint);
        while let Some(chunk) = resp.chunk().await.map_err(network_error)? {
            if body.len() as u64 + chunk.len() as u64 > self.max_body {
                return Err(FetchError::TooLarge(self.max_body));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// Local files: the modification time plays the part of Last-Modified,
    /// so an unchanged file is not parsed again.
    async fn fetch_file(&self, url: &Url, v: &Validators) -> Result<Fetched, FetchError> {
        let path = url
            .to_file_path()
            .map_err(|_| FetchError::Scheme(format!("bad file URL {url}")))?;
        let file_err = |e: std::io::Error| FetchError::File {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        let md = tokio::fs::metadata(&path).await.map_err(file_err)?;
        if md.len() > self.max_body {
            return Err(FetchError::TooLarge(self.max_body));
        }
        let last_modified = md
            .modified()
            .ok()
            .map(|t: SystemTime| httpdate::fmt_http_date(t));
        let mut fetched = Fetched {
            status: 200,
            body: None,
            final_url: url.clone(),
            moved_to: None,
            etag: None,
            last_modified: last_modified.clone(),
            charset: None,
            max_age: None,
        };
        if last_modified.is_some() && last_modified == v.last_modified {
            fetched.status = 304;
            return Ok(fetched);
        }
        fetched.body = Some(tokio::fs::read(&path).await.map_err(file_err)?);
        Ok(fetched)
    }
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
