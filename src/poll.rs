//! One poll round: fetch the due feeds concurrently, parse them, store the
//! results. This is the glue of the ingest stages (fetch → parse → store),
//! used by both `tricorder poll` and the daemon.
//!
//! Fetching and parsing run concurrently (parsing on the blocking pool, it is
//! CPU work); writes are serialised through the one `Store` in the order
//! results arrive, each feed in its own transaction. A feed that fails, for
//! whatever reason, is recorded with its error and a back-off, and never
//! stops the others.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;
use chrono::Utc;
use serde::Serialize;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use url::Url;

use crate::analyse::{self, Extracted};
use crate::clean;
use crate::config::PollConfig;
use crate::fetch::{FetchError, Fetched, Fetcher, Validators, host_key};
use crate::parse::{self, ParsedFeed};
use crate::store::{FeedRow, FetchSuccess, NewItem, Store};

/// How one feed fared in a round.
#[derive(Debug, Clone, Serialize)]
pub struct FeedReport {
    pub url: String,
    pub name: String,
    pub outcome: Outcome,
    pub new_items: usize,
    pub updated_items: usize,
    pub http_status: Option<u16>,
    pub duration_ms: u64,
    /// Set when a permanent redirect moved the feed.
    pub moved_to: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case", tag = "status", content = "reason")]
pub enum Outcome {
    Fetched,
    NotModified,
    Failed(String),
    /// Not fetched: the host asked us to wait (Retry-After).
    Deferred(String),
}

/// The counts of a round: printed by `tricorder poll`, and handed by a
/// daemon worker to the daemon.
#[derive(Debug, Default, Clone, Copy, Serialize, serde::Deserialize)]
pub struct Totals {
    pub feeds: usize,
    pub fetched: usize,
    pub not_modified: usize,
    pub failed: usize,
    pub deferred: usize,
    pub new_items: usize,
    pub updated_items: usize,
    pub elapsed_ms: u64,
}

/// A round's counts and what happened to each feed.
#[derive(Debug, Default, Clone, Serialize)]
pub struct PollSummary {
    #[serde(flatten)]
    pub totals: Totals,
    pub reports: Vec<FeedReport>,
}

impl PollSummary {
    fn add(&mut self, r: FeedReport) {
        match r.outcome {
            Outcome::Fetched => self.totals.fetched += 1,
            Outcome::NotModified => self.totals.not_modified += 1,
            Outcome::Failed(_) => self.totals.failed += 1,
            Outcome::Deferred(_) => self.totals.deferred += 1,
        }
        self.totals.new_items += r.new_items;
        self.totals.updated_items += r.updated_items;
        self.reports.push(r);
    }
}

/// A parsed feed and what analysis extracted from each of its items.
type Parsed = (ParsedFeed, Vec<Extracted>);

/// What a fetch task hands back to the writer.
struct TaskResult {
    feed: FeedRow,
    duration: Duration,
    result: Result<(Fetched, Option<Parsed>), Failure>,
    /// Body size (the body itself is dropped once parsed).
    bytes: u64,
    /// Taken before parsing and held until the result is stored: bounds
    /// how many parsed feeds wait in memory when parsing outruns writing.
    _ready: Option<OwnedSemaphorePermit>,
    /// A large body's parse slot, held until its feed is stored.
    _large: Option<OwnedSemaphorePermit>,
}

enum Failure {
    Fetch(FetchError),
    Parse {
        status: u16,
        error: parse::ParseError,
    },
    Deferred {
        until: i64,
    },
}

/// Most feeds written in one transaction. Bounded so that a crash loses
/// little work, and the index hears of stored feeds soon.
const WRITE_BATCH: usize = 64;

/// Polls `feeds` (the caller chooses: due ones, all, or a few) and writes the
/// results. `on_feed` is called after each feed is stored (its transaction
/// committed), with the store, so the caller can index and report progress.
pub async fn poll(
    store: &mut Store,
    fetcher: &Arc<Fetcher>,
    cfg: &PollConfig,
    feeds: Vec<FeedRow>,
    on_feed: &mut (dyn FnMut(&FeedReport, &Store) -> Result<()> + Send),
) -> Result<PollSummary> {
    let started = Instant::now();
    let now = Utc::now().timestamp();
    // Every item a poll stores is extracted by this build's extractor; a
    // store that starts empty therefore holds only current extractions.
    if store.extracted_with()?.is_none() && store.is_empty()? {
        store.set_extracted_with(analyse::EXTRACTOR_VERSION)?;
    }
    let blocked: Arc<Mutex<HashMap<String, i64>>> =
        Arc::new(Mutex::new(store.blocked_hosts(now)?.into_iter().collect()));
    let mut summary = PollSummary {
        totals: Totals {
            feeds: feeds.len(),
            ..Default::default()
        },
        ..Default::default()
    };

    // Without bounds, every fetched body and parsed feed of a large round
    // could sit in memory at once waiting for the writer. `slots` bounds the
    // feeds in flight (fetching, or fetched and waiting for a parser);
    // parsing is CPU work and gets no more threads than there are cores;
    // `ready` bounds the parsed feeds waiting for the writer. A parsed feed
    // is several times its body, and when parsing outran writing, 68 of them
    // waiting made half of a first poll's peak memory (152 MB against 98 MB
    // with 4 per core, which keep the writer just as busy).
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let slots = Arc::new(Semaphore::new(cfg.concurrency + 2 * cores));
    let parsers = Arc::new(Semaphore::new(cores));
    let ready = Arc::new(Semaphore::new(4 * cores));
    // A large body (see `fetch::LARGE_PARSES_BUDGET`) is parsed, analysed
    // and stored only with one of these: a few at most, one at the default
    // `max_body`, whatever the concurrency.
    let large = Arc::new(Semaphore::new(crate::fetch::slots(
        crate::fetch::LARGE_PARSES_BUDGET,
        cfg.max_body,
    )));
    let mut tasks = JoinSet::new();
    for feed in interleave_hosts(feeds) {
        let fetcher = fetcher.clone();
        let blocked = blocked.clone();
        let slots = slots.clone();
        let parsers = parsers.clone();
        let ready = ready.clone();
        let large = large.clone();
        let db = store.path().to_owned();
        tasks.spawn(async move {
            let _slot = slots.acquire_owned().await.ok();
            fetch_and_parse(feed, &fetcher, &blocked, &parsers, &ready, &large, db).await
        });
    }

    while let Some(first) = tasks.join_next().await {
        // The feeds ready by now are written in one transaction (each its
        // own savepoint): see `Store::batch`.
        let mut joined = vec![first];
        while joined.len() < WRITE_BATCH {
            match tasks.try_join_next() {
                Some(j) => joined.push(j),
                None => break,
            }
        }
        let mut ready = Vec::with_capacity(joined.len());
        for j in joined {
            match j {
                Ok(task) => ready.push(task),
                Err(e) => {
                    // A panic in one feed's task (a parser bug) must not end the round.
                    tracing::error!("a feed task failed unexpectedly: {e}");
                    summary.totals.failed += 1;
                }
            }
        }
        let reports = tokio::task::block_in_place(|| -> Result<Vec<FeedReport>> {
            let reports = store.batch(|store| {
                ready
                    .into_iter()
                    .map(|task| write_result(store, cfg, task))
                    .collect::<Result<Vec<_>>>()
            })?;
            for report in &reports {
                on_feed(report, store)?;
            }
            Ok(reports)
        })?;
        for report in reports {
            log_report(&report);
            summary.add(report);
        }
    }
    tokio::task::block_in_place(|| store.prune(Utc::now().timestamp()))?;
    summary.totals.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(summary)
}

/// Orders feeds so that consecutive ones are on different hosts: a host
/// with many feeds then cannot fill every slot while its own per-host
/// limit lets only two of them run.
fn interleave_hosts(feeds: Vec<FeedRow>) -> Vec<FeedRow> {
    let mut rank: HashMap<String, usize> = HashMap::new();
    let mut keyed: Vec<(usize, usize, FeedRow)> = feeds
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let host = Url::parse(&f.fetch_url)
                .map(|u| host_key(&u))
                .unwrap_or_default();
            let r = rank.entry(host).or_default();
            *r += 1;
            (*r, i, f)
        })
        .collect();
    keyed.sort_by_key(|(r, i, _)| (*r, *i));
    keyed.into_iter().map(|(_, _, f)| f).collect()
}

async fn fetch_and_parse(
    feed: FeedRow,
    fetcher: &Fetcher,
    blocked: &Mutex<HashMap<String, i64>>,
    parsers: &Semaphore,
    ready: &Arc<Semaphore>,
    large: &Arc<Semaphore>,
    db: std::path::PathBuf,
) -> TaskResult {
    let started = Instant::now();
    let url = match Url::parse(&feed.fetch_url) {
        Ok(u) => u,
        Err(e) => {
            return TaskResult {
                duration: started.elapsed(),
                result: Err(Failure::Fetch(FetchError::Network(format!("bad URL: {e}")))),
                feed,
                bytes: 0,
                _ready: None,
                _large: None,
            };
        }
    };
    let host = host_key(&url);
    let blocked_until = blocked.lock().expect("poisoned").get(&host).copied();
    if let Some(until) = blocked_until.filter(|u| *u > Utc::now().timestamp()) {
        return TaskResult {
            duration: started.elapsed(),
            result: Err(Failure::Deferred { until }),
            feed,
            bytes: 0,
            _ready: None,
            _large: None,
        };
    }
    let validators = Validators {
        etag: feed.etag.clone(),
        last_modified: feed.last_modified.clone(),
    };
    let fetched = match fetcher.fetch(&url, &validators).await {
        Ok(f) => f,
        Err(e) => {
            if let Some(wait) = e.retry_after() {
                let until = Utc::now().timestamp() + wait.as_secs() as i64;
                let mut b = blocked.lock().expect("poisoned");
                let entry = b.entry(host).or_insert(until);
                *entry = (*entry).max(until);
            }
            return TaskResult {
                duration: started.elapsed(),
                result: Err(Failure::Fetch(e)),
                feed,
                bytes: 0,
                _ready: None,
                _large: None,
            };
        }
    };
    let mut fetched = fetched;
    let Some(body) = fetched.body.take() else {
        return TaskResult {
            duration: started.elapsed(),
            result: Ok((fetched, None)),
            feed,
            bytes: 0,
            _ready: None,
            _large: None,
        };
    };
    // Parsing is CPU-bound (XML, HTML to text); keep it off the async workers.
    let bytes = body.len() as u64;
    let charset = fetched.charset.clone();
    let base = fetched.final_url.clone();
    let ready = ready.clone().acquire_owned().await.ok();
    // The parse slot first, then the download slot goes: the body stays
    // counted by one or the other until its feed is stored.
    let large_parse = if bytes > crate::fetch::SMALL_BODY {
        large.clone().acquire_owned().await.ok()
    } else {
        None
    };
    fetched.large_body = None;
    let _cpu = parsers.acquire().await;
    let feed_id = feed.id;
    // A feed with nothing stored yet (every feed, at a first poll) has no
    // hashes to compare: opening a connection for each one only to read
    // the schema was a few per cent of a first poll.
    let has_items = feed.items > 0;
    let parsed = tokio::task::spawn_blocking(move || {
        parse::parse(&body, charset.as_deref(), &base, Utc::now()).map(|mut feed| {
            drop(body);
            clean_feed(&mut feed);
            // Analyse only what the store will write: new or changed items.
            let known = if has_items {
                Store::known_hashes(&db, feed_id).unwrap_or_default()
            } else {
                HashMap::new()
            };
            let changed: Vec<bool> = feed
                .items
                .iter()
                .map(|i| known.get(&i.guid) != Some(&crate::store::content_hash(i)))
                .collect();
            let extracted = analyse::extract_feed_where(
                feed.items
                    .iter()
                    .map(|i| (i.title.as_str(), i.body.as_str())),
                |i| changed[i],
            );
            (feed, extracted)
        })
    })
    .await;
    let result = match parsed {
        Ok(Ok(p)) => Ok((fetched, Some(p))),
        Ok(Err(error)) => Err(Failure::Parse {
            status: fetched.status,
            error,
        }),
        Err(e) => Err(Failure::Parse {
            status: fetched.status,
            error: parse::ParseError::Crashed(e.to_string()),
        }),
    };
    TaskResult {
        duration: started.elapsed(),
        result,
        feed,
        bytes,
        _ready: ready,
        _large: large_parse,
    }
}

/// What a feed says is cleaned and capped before anything else sees it
/// (see `clean`): no control characters, one-line fields of at most
/// [`clean::MAX_LINE_CHARS`] characters, bodies of at most
/// [`clean::MAX_BODY_BYTES`]. A guid longer than a line is a mistake or an
/// attack; it is cut too, and stays stable because the cut is. A link is
/// never cut (it would lead elsewhere): one longer than [`MAX_LINK`] is dropped.
fn clean_feed(feed: &mut ParsedFeed) {
    fn line(s: &mut String) {
        if let std::borrow::Cow::Owned(c) = clean::line(s, clean::MAX_LINE_CHARS) {
            *s = c;
        }
    }
    fn link(l: &mut Option<String>) {
        if l.as_ref()
            .is_some_and(|u| u.len() > MAX_LINK || u.chars().any(char::is_control))
        {
            *l = None;
        }
    }
    if let Some(t) = &mut feed.title {
        line(t);
    }
    link(&mut feed.site_url);
    for item in &mut feed.items {
        line(&mut item.guid);
        line(&mut item.title);
        if let Some(a) = &mut item.author {
            line(a);
        }
        link(&mut item.url);
        for c in &mut item.categories {
            line(c);
        }
        item.categories.truncate(100);
        if let std::borrow::Cow::Owned(b) = clean::body(&item.body, clean::MAX_BODY_BYTES) {
            item.body = b;
        }
    }
}

/// The longest link kept; browsers and mail clients give up around here too.
const MAX_LINK: usize = 8 * 1024;

fn write_result(store: &mut Store, cfg: &PollConfig, task: TaskResult) -> Result<FeedReport> {
    let now = Utc::now().timestamp();
    let feed = task.feed;
    let mut report = FeedReport {
        url: feed.url.clone(),
        name: feed.display_name().to_owned(),
        outcome: Outcome::NotModified,
        new_items: 0,
        updated_items: 0,
        http_status: None,
        duration_ms: task.duration.as_millis() as u64,
        moved_to: None,
    };
    match task.result {
        Ok((fetched, parsed)) => {
            report.http_status = Some(fetched.status);
            report.moved_to = fetched.moved_to.as_ref().map(Url::to_string);
            let ttl = parsed.as_ref().and_then(|(p, _)| p.ttl);
            let max_age = fetched.max_age;
            let had_items = feed.items > 0;
            let success = FetchSuccess {
                http_status: fetched.status,
                fetch_url: report.moved_to.clone(),
                etag: fetched.etag,
                last_modified: fetched.last_modified,
                title: parsed.as_ref().and_then(|(p, _)| p.title.clone()),
                site_url: parsed.as_ref().and_then(|(p, _)| p.site_url.clone()),
                ttl_secs: ttl.map(|d| d.as_secs() as i64),
                duration_ms: report.duration_ms as i64,
                bytes: task.bytes as i64,
                items: parsed.map(|(p, extracted)| {
                    if !p.repairs.is_empty() {
                        tracing::debug!(feed = %feed.url, repairs = ?p.repairs, "feed repaired before parsing");
                    }
                    p.items
                        .into_iter()
                        .zip(extracted)
                        .map(|(item, x)| NewItem {
                            item,
                            phrases: x.phrases,
                            questions: x.questions,
                        })
                        .collect()
                }),
            };
            report.outcome = if success.items.is_some() {
                Outcome::Fetched
            } else {
                Outcome::NotModified
            };
            let ttl_hint = ttl.or(feed.ttl_secs.map(|s| Duration::from_secs(s as u64)));
            let stats = store.record_success(feed.id, &success, now, |weekly| {
                now + jitter(next_interval(cfg, weekly, had_items, ttl_hint.max(max_age))).as_secs()
                    as i64
            })?;
            report.new_items = stats.new_items;
            report.updated_items = stats.updated_items;
        }
        Err(Failure::Deferred { until }) => {
            let reason = format!(
                "host asked us to wait (Retry-After) until {}",
                crate::store::rfc3339(until)
            );
            store.defer_feed(feed.id, until, &reason, now)?;
            report.outcome = Outcome::Deferred(reason);
        }
        Err(failure) => {
            let (status, message, retry_after) = match &failure {
                Failure::Fetch(e) => (
                    match e {
                        FetchError::Status { status, .. } => Some(status.as_u16()),
                        _ => None,
                    },
                    e.to_string(),
                    e.retry_after(),
                ),
                Failure::Parse { status, error } => (Some(*status), error.to_string(), None),
                Failure::Deferred { .. } => unreachable!("handled above"),
            };
            let mut delay = jitter_down(backoff(cfg, feed.error_count));
            if let Some(wait) = retry_after {
                let wait = wait.min(cfg.max_interval);
                if let Ok(u) = Url::parse(&feed.fetch_url) {
                    store.block_host(&host_key(&u), now + wait.as_secs() as i64)?;
                }
                delay = delay.max(wait);
            }
            store.record_failure(
                feed.id,
                status,
                &message,
                report.duration_ms as i64,
                now,
                now + delay.as_secs() as i64,
            )?;
            report.http_status = status;
            report.outcome = Outcome::Failed(message);
        }
    }
    Ok(report)
}

fn log_report(r: &FeedReport) {
    match &r.outcome {
        Outcome::Fetched => tracing::info!(
            feed = %r.url, status = r.http_status, new = r.new_items, updated = r.updated_items,
            ms = r.duration_ms, "fetched"
        ),
        Outcome::NotModified => {
            tracing::info!(feed = %r.url, ms = r.duration_ms, "not modified")
        }
        Outcome::Failed(e) => tracing::warn!(feed = %r.url, ms = r.duration_ms, "failed: {e}"),
        Outcome::Deferred(e) => tracing::info!(feed = %r.url, "deferred: {e}"),
    }
    if let Some(to) = &r.moved_to {
        tracing::info!(feed = %r.url, "moved permanently to {to}");
    }
}

// ---- scheduling ---------------------------------------------------------------

/// How long to wait after a successful fetch.
///
/// Like Miniflux's entry-frequency scheduler: a feed that published `weekly`
/// items in the last seven days is polled about once per expected new item,
/// between `min_interval` and `max_interval`. A feed that went quiet is
/// polled at `max_interval`; one we know nothing about yet at `interval`.
/// The publisher's own TTL or Cache-Control max-age wins when it is longer.
pub fn next_interval(
    cfg: &PollConfig,
    weekly: i64,
    had_items: bool,
    publisher_hint: Option<Duration>,
) -> Duration {
    let base = if weekly > 0 {
        Duration::from_secs(7 * 86_400 / weekly as u64)
    } else if had_items {
        cfg.max_interval
    } else {
        cfg.interval
    };
    let mut d = base.clamp(cfg.min_interval, cfg.max_interval);
    if let Some(hint) = publisher_hint {
        d = d.max(hint.min(cfg.max_interval));
    }
    d
}

/// Exponential back-off for a failing feed: min_interval × 2^errors, capped.
pub fn backoff(cfg: &PollConfig, previous_errors: i64) -> Duration {
    let factor = 2u32.saturating_pow(previous_errors.clamp(0, 20) as u32);
    cfg.min_interval
        .saturating_mul(factor)
        .min(cfg.max_interval)
}

/// ±10 %, so that feeds added together do not stay in lock-step.
fn jitter(d: Duration) -> Duration {
    d.mul_f64(0.9 + fastrand::f64() * 0.2)
}

/// 50–100 %: retries of feeds that failed together spread out.
fn jitter_down(d: Duration) -> Duration {
    d.mul_f64(0.5 + fastrand::f64() * 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adaptive_interval() {
        let cfg = PollConfig::default();
        // 7 items a week → daily; 1000 a week → clamped to 15 min.
        assert_eq!(
            next_interval(&cfg, 7, true, None),
            Duration::from_secs(86_400)
        );
        assert_eq!(next_interval(&cfg, 1000, true, None), cfg.min_interval);
        assert_eq!(next_interval(&cfg, 0, true, None), cfg.max_interval);
        assert_eq!(next_interval(&cfg, 0, false, None), cfg.interval);
        // A 3 h TTL beats a 1 h frequency estimate.
        assert_eq!(
            next_interval(&cfg, 168, true, Some(Duration::from_secs(3 * 3600))),
            Duration::from_secs(3 * 3600)
        );
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let cfg = PollConfig::default();
        assert_eq!(backoff(&cfg, 0), cfg.min_interval);
        assert_eq!(backoff(&cfg, 2), cfg.min_interval * 4);
        assert_eq!(backoff(&cfg, 50), cfg.max_interval);
    }
}
