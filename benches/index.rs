//! Benchmark of the search index against a large synthetic store.
//!
//! Run with `cargo bench --bench index`. Phases:
//!
//! 1. Generate `TRICORDER_BENCH_ITEMS` items (default 1,000,000) of synthetic
//!    marketing news into a real SQLite store, through the library, with
//!    their phrases and questions extracted as a poll would store them. With
//!    `TRICORDER_BENCH_DIR=<dir>` the data folder is kept and reused: if its
//!    database already holds that many items, generation is skipped.
//! 2. Indexing throughput: `tricorder reindex` as a child process (wall time,
//!    the child's own peak RSS via `wait4`, index size on disk).
//! 3. Query latency in-process with `SearchIndex::search`: single term,
//!    two-term AND, phrase, term + 7-day date range.
//! 4. The same items and queries in SQLite FTS5, for comparison.
//!
//! `TRICORDER_BENCH_QUERIES_ONLY=1` reuses the index in `TRICORDER_BENCH_DIR`
//! as it is and stops after the tantivy queries (for work on queries).
//! 5. A summary against the targets.
//!
//! Prints numbers only. Timings are never asserted; the process exits 1 only
//! if something it runs fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use tricorder::analyse;
use tricorder::config::FeedSpec;
use tricorder::index::{SearchIndex, SearchRequest};
use tricorder::parse::Item;
use tricorder::store::{FetchSuccess, NewItem, Store};

#[path = "support/bulk.rs"]
mod bulk;
#[path = "support/child.rs"]
mod child;
use bulk::*;
use child::*;

const FEEDS: usize = 200;
/// Items per `record_success` call.
const BATCH: usize = 1000;
const QUERIES_PER_KIND: usize = 200;
const WARMUP_PER_KIND: usize = 5;
/// Query words are drawn log-uniformly from ranks MIN_QUERY_RANK..VOCAB_SIZE
/// (nobody searches for "the", but "more" or "brand" are fair game).
const MIN_QUERY_RANK: usize = 12;
const RECENT_DAYS: i64 = 7;

/// Items are published over the 35 days before this instant (2026-11-16T00:00Z),
/// which is also the "now" of every store write.
fn end_ts() -> i64 {
    Utc.with_ymd_and_hms(2026, 11, 16, 0, 0, 0)
        .single()
        .expect("valid date")
        .timestamp()
}

fn start_ts() -> i64 {
    end_ts() - SPAN_DAYS * DAY
}

// ---------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------

const TITLE_OPENERS: &[&str] = &[
    "How",
    "Why",
    "What",
    "Inside",
    "Report:",
    "Exclusive:",
    "Analysis:",
    "Opinion:",
    "Study:",
    "Survey:",
];

/// A phrase planted in a few per cent of items, more often in the last 7 days.
struct Planted {
    phrase: &'static str,
    /// Share of items (per cent) before the last 7 days, and within them.
    base_pct: f64,
    recent_pct: f64,
}

const PLANTED: [Planted; 4] = [
    Planted {
        phrase: "agentic commerce",
        base_pct: 1.0,
        recent_pct: 6.0,
    },
    Planted {
        phrase: "retail media",
        base_pct: 3.0,
        recent_pct: 5.0,
    },
    Planted {
        phrase: "zero-click search",
        base_pct: 1.5,
        recent_pct: 4.5,
    },
    Planted {
        phrase: "email deliverability",
        base_pct: 2.0,
        recent_pct: 3.0,
    },
];

impl Vocab {
    /// A query word: rank log-uniform over MIN_QUERY_RANK..len, so frequent
    /// and rare words are both well represented.
    fn query_word(&self, rng: &mut Rng) -> &str {
        let lo = (MIN_QUERY_RANK as f64).ln();
        let hi = (self.words.len() as f64).ln();
        let r = (lo + rng.unit() * (hi - lo)).exp() as usize;
        &self.words[r.clamp(MIN_QUERY_RANK, self.words.len() - 1)]
    }

    /// Expected share of items (0..1) containing the word of rank `r` at
    /// least once, for a body of `words` words.
    fn doc_share(&self, r: usize, words: f64) -> f64 {
        let p = if r == 0 {
            self.cdf[0]
        } else {
            self.cdf[r] - self.cdf[r - 1]
        };
        1.0 - (1.0 - p).powf(words)
    }
}

// ---------------------------------------------------------------------------
// Items
// ---------------------------------------------------------------------------

struct Generated {
    item: Item,
    /// Which planted phrases the item carries.
    planted: [bool; PLANTED.len()],
    recent: bool,
    words: usize,
}

/// Item number `i`, the same on every run (its own seed).
fn make_item(i: usize, feed: usize, vocab: &Vocab) -> Generated {
    let mut rng = Rng::new(0x00B0_D1E5_u64 ^ ((i as u64) << 8));
    let published = start_ts() + rng.below((SPAN_DAYS * DAY) as u64) as i64;
    let recent = published >= end_ts() - RECENT_DAYS * DAY;
    let mut planted = [false; PLANTED.len()];
    for (k, p) in PLANTED.iter().enumerate() {
        planted[k] = rng.chance(if recent { p.recent_pct } else { p.base_pct });
    }

    // Title: 6–12 words.
    let title_phrase = planted
        .iter()
        .position(|&b| b)
        .filter(|_| rng.chance(35.0))
        .map(|k| PLANTED[k].phrase);
    let n = rng.range(6, 12) - if title_phrase.is_some() { 2 } else { 0 };
    let mut words: Vec<&str> = Vec::with_capacity(n + 2);
    if rng.chance(25.0) {
        words.push(rng.pick(TITLE_OPENERS));
    }
    while words.len() < n {
        if !words.is_empty() && words.len() + 1 < n && rng.chance(25.0) {
            words.push(rng.pick(TITLE_GLUE));
        }
        words.push(vocab.sample_content(&mut rng));
    }
    if let Some(p) = title_phrase {
        let at = rng.range(1, words.len());
        words.insert(at, p);
    }
    if rng.chance(10.0) {
        words.push("in");
        words.push("2026");
    }
    let mut title = String::with_capacity(96);
    for (k, w) in words.iter().enumerate() {
        if k == 0 {
            push_capitalized(&mut title, w);
        } else {
            title.push(' ');
            title.push_str(w);
        }
    }

    // Body: 150–300 words in sentences of 8–20, paragraphs of 3–6 sentences.
    let target = rng.range(150, 300);
    let inserts: Vec<(usize, &str)> = planted
        .iter()
        .enumerate()
        .filter(|(_, b)| **b)
        .map(|(k, _)| (rng.below(target as u64) as usize, PLANTED[k].phrase))
        .collect();
    let mut body = String::with_capacity(target * 8);
    let mut written = 0;
    let mut in_paragraph = 0;
    let mut paragraph_len = rng.range(3, 6);
    while written < target {
        let len = rng.range(8, 20).min(target - written);
        for k in 0..len {
            let w = vocab.sample(&mut rng);
            if k == 0 {
                push_capitalized(&mut body, w);
            } else {
                body.push(' ');
                body.push_str(w);
            }
            for (pos, phrase) in &inserts {
                if *pos == written + k {
                    body.push(' ');
                    body.push_str(phrase);
                }
            }
            if k + 1 < len && rng.chance(6.0) {
                body.push(',');
            }
        }
        written += len;
        body.push('.');
        in_paragraph += 1;
        if written < target {
            if in_paragraph >= paragraph_len {
                body.push_str("\n\n");
                in_paragraph = 0;
                paragraph_len = rng.range(3, 6);
            } else {
                body.push(' ');
            }
        }
    }

    let categories = (0..rng.range(0, 2))
        .map(|_| rng.pick(CATEGORIES).to_owned())
        .collect();
    let words = target + 2 * inserts.len();
    Generated {
        item: Item {
            guid: format!("bench-{i}"),
            url: Some(format!("https://news{feed:03}.example.com/posts/{i}")),
            title,
            author: Some(rng.pick(AUTHORS).to_owned()),
            published: DateTime::<Utc>::from_timestamp(published, 0),
            categories,
            body,
        },
        planted,
        recent,
        words,
    }
}

fn feed_specs() -> Vec<FeedSpec> {
    (0..FEEDS)
        .map(|f| FeedSpec {
            url: format!("https://news{f:03}.example.com/feed.xml"),
            name: Some(format!("Marketing News {f:03}")),
            tags: vec![FEED_TAGS[f % FEED_TAGS.len()].to_owned()],
            full_text: false,
        })
        .collect()
}

struct GenReport {
    reused: bool,
    secs: f64,
    words: u64,
    body_bytes: u64,
    /// Per planted phrase: items carrying it (all, last 7 days).
    planted: [(u64, u64); PLANTED.len()],
    recent_items: u64,
}

fn generate(dir: &Path, n: usize, vocab: &Vocab) -> anyhow::Result<GenReport> {
    let started = Instant::now();
    let mut store = Store::open(dir)?;
    let have = store.item_count()? as usize;
    let mut report = GenReport {
        reused: false,
        secs: 0.0,
        words: 0,
        body_bytes: 0,
        planted: [(0, 0); PLANTED.len()],
        recent_items: 0,
    };
    if have == n {
        if store.extracted_with()? != Some(analyse::EXTRACTOR_VERSION) {
            anyhow::bail!(
                "{} holds items without this build's phrase extraction; \
                 use a new TRICORDER_BENCH_DIR",
                dir.display()
            );
        }
        report.reused = true;
        return Ok(report);
    }
    if have > n {
        anyhow::bail!(
            "{} already holds {have} items, more than the {n} asked for; \
             use another TRICORDER_BENCH_DIR or TRICORDER_BENCH_ITEMS={have}",
            dir.display()
        );
    }
    // Writes are idempotent (same items, same "now"), so a partly generated
    // folder is simply completed.
    let now = end_ts();
    let specs = feed_specs();
    store.sync_config_feeds(&specs, now)?;
    let by_url: std::collections::HashMap<String, i64> =
        store.feeds()?.into_iter().map(|f| (f.url, f.id)).collect();
    let feed_ids: Vec<i64> = specs.iter().map(|s| by_url[&s.url]).collect();
    // Items are stored as a poll stores them: with the phrases and questions
    // `analyse::extract_feed` finds in each batch (one feed document),
    // extracted on every core and stored in order on this thread.
    let batches = n.div_ceil(BATCH);
    let workers = std::thread::available_parallelism().map_or(1, |c| c.get());
    let next_batch = AtomicUsize::new(0);
    let (tx, rx) = mpsc::sync_channel::<(usize, Vec<Generated>, Vec<NewItem>)>(workers * 2);
    std::thread::scope(|scope| -> anyhow::Result<()> {
        for _ in 0..workers {
            let (tx, next_batch) = (tx.clone(), &next_batch);
            scope.spawn(move || {
                loop {
                    let b = next_batch.fetch_add(1, Ordering::Relaxed);
                    if b >= batches {
                        break;
                    }
                    let feed = b % FEEDS;
                    let made: Vec<Generated> = (b * BATCH..((b + 1) * BATCH).min(n))
                        .map(|i| make_item(i, feed, vocab))
                        .collect();
                    let extracted = analyse::extract_feed(
                        made.iter()
                            .map(|g| (g.item.title.as_str(), g.item.body.as_str())),
                    );
                    let items = made
                        .iter()
                        .zip(extracted)
                        .map(|(g, x)| NewItem {
                            item: g.item.clone(),
                            phrases: x.phrases,
                            questions: x.questions,
                        })
                        .collect();
                    if tx.send((b, made, items)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending = BTreeMap::new();
        let mut to_store = 0;
        for (b, made, items) in rx.iter() {
            pending.insert(b, (made, items));
            while let Some((made, items)) = pending.remove(&to_store) {
                for g in &made {
                    report.words += g.words as u64;
                    report.body_bytes += g.item.body.len() as u64;
                    report.recent_items += u64::from(g.recent);
                    for (k, &b) in g.planted.iter().enumerate() {
                        if b {
                            report.planted[k].0 += 1;
                            report.planted[k].1 += u64::from(g.recent);
                        }
                    }
                }
                store.record_success(
                    feed_ids[to_store % FEEDS],
                    &FetchSuccess {
                        http_status: 200,
                        items: Some(items),
                        ..Default::default()
                    },
                    now,
                    |_| 0,
                )?;
                to_store += 1;
            }
        }
        Ok(())
    })?;
    store.set_extracted_with(analyse::EXTRACTOR_VERSION)?;
    let count = store.item_count()? as usize;
    if count != n {
        anyhow::bail!("generated {n} items but the store holds {count}");
    }
    report.secs = started.elapsed().as_secs_f64();
    Ok(report)
}

// ---------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Term,
    And,
    Phrase,
    DateRange,
}

const KINDS: [Kind; 4] = [Kind::Term, Kind::And, Kind::Phrase, Kind::DateRange];

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Term => "term",
            Kind::And => "two-term AND",
            Kind::Phrase => "phrase",
            Kind::DateRange => "term + 7-day range",
        }
    }
}

struct Query {
    kind: Kind,
    /// Query text for `SearchIndex::search`.
    tantivy: String,
    /// FTS5 MATCH expression.
    fts: String,
    since: Option<i64>,
    until: Option<i64>,
}

/// Two adjacent words of one sentence of a stored body, lower-cased.
fn body_bigram(conn: &Connection, max_id: i64, rng: &mut Rng) -> anyhow::Result<(String, String)> {
    loop {
        let id = 1 + rng.below(max_id as u64) as i64;
        let body: Option<String> = conn
            .query_row("SELECT body FROM items WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        let Some(body) = body else { continue };
        let sentences: Vec<Vec<String>> = body
            .split(['.', '\n'])
            .map(|s| {
                s.split([' ', ','])
                    .filter(|w| !w.is_empty())
                    .map(str::to_lowercase)
                    .collect::<Vec<_>>()
            })
            .filter(|s| s.len() >= 2)
            .collect();
        if sentences.is_empty() {
            continue;
        }
        let s = &sentences[rng.below(sentences.len() as u64) as usize];
        let k = rng.below((s.len() - 1) as u64) as usize;
        let (a, b) = (&s[k], &s[k + 1]);
        if a.chars().all(|c| c.is_ascii_alphanumeric())
            && b.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Ok((a.clone(), b.clone()));
        }
    }
}

fn build_queries(vocab: &Vocab, conn: &Connection) -> anyhow::Result<Vec<Query>> {
    let mut rng = Rng::new(0x0051_EA2C);
    let max_id: i64 = conn.query_row("SELECT max(id) FROM items", [], |r| r.get(0))?;
    let mut out = Vec::with_capacity(4 * QUERIES_PER_KIND);
    for i in 0..QUERIES_PER_KIND {
        let w = vocab.query_word(&mut rng);
        out.push(Query {
            kind: Kind::Term,
            tantivy: w.to_owned(),
            fts: w.to_owned(),
            since: None,
            until: None,
        });
        let (a, b) = (vocab.query_word(&mut rng), vocab.query_word(&mut rng));
        out.push(Query {
            kind: Kind::And,
            tantivy: format!("{a} {b}"),
            fts: format!("{a} AND {b}"),
            since: None,
            until: None,
        });
        // One phrase in five is a planted one, the rest come from real bodies.
        let phrase = if i % 5 == 4 {
            PLANTED[(i / 5) % PLANTED.len()].phrase.to_owned()
        } else {
            let (a, b) = body_bigram(conn, max_id, &mut rng)?;
            format!("{a} {b}")
        };
        out.push(Query {
            kind: Kind::Phrase,
            tantivy: format!("\"{phrase}\""),
            fts: format!("\"{phrase}\""),
            since: None,
            until: None,
        });
        let w = vocab.query_word(&mut rng);
        let since = start_ts() + rng.below(((SPAN_DAYS - RECENT_DAYS) * DAY) as u64 + 1) as i64;
        out.push(Query {
            kind: Kind::DateRange,
            tantivy: w.to_owned(),
            fts: w.to_owned(),
            since: Some(since),
            until: Some(since + RECENT_DAYS * DAY - 1),
        });
    }
    Ok(out)
}

/// Latencies (ms) and hit information of one engine for one kind.
#[derive(Default)]
struct Timings {
    ms: Vec<f64>,
    /// Queries that returned at least one hit.
    with_hits: usize,
    /// Total matches per query, when the engine reports it.
    totals: Vec<u64>,
    /// The query text of each timing, to name the slowest.
    texts: Vec<String>,
}

impl Timings {
    fn sorted(&self) -> Vec<f64> {
        let mut v = self.ms.clone();
        v.sort_by(f64::total_cmp);
        v
    }
    fn p(&self, pct: f64) -> f64 {
        let v = self.sorted();
        if v.is_empty() {
            return f64::NAN;
        }
        let k = ((pct / 100.0) * v.len() as f64).ceil() as usize;
        v[k.clamp(1, v.len()) - 1]
    }
    fn mean(&self) -> f64 {
        self.ms.iter().sum::<f64>() / self.ms.len().max(1) as f64
    }
    fn max(&self) -> f64 {
        self.ms.iter().copied().fold(f64::NAN, f64::max)
    }
}

fn kind_index(k: Kind) -> usize {
    KINDS.iter().position(|x| *x == k).expect("known kind")
}

fn tantivy_request(q: &Query) -> SearchRequest {
    SearchRequest {
        query: q.tantivy.clone(),
        since: q.since,
        until: q.until,
        limit: 10,
        ..Default::default()
    }
}

fn run_tantivy(index: &SearchIndex, queries: &[Query]) -> anyhow::Result<[Timings; 4]> {
    // Warm-up: a few of each kind, not timed.
    for k in KINDS {
        for q in queries.iter().filter(|q| q.kind == k).take(WARMUP_PER_KIND) {
            index.search(&tantivy_request(q))?;
        }
    }
    let mut out: [Timings; 4] = Default::default();
    for q in queries {
        let req = tantivy_request(q);
        let t = Instant::now();
        let res = index.search(&req)?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let slot = &mut out[kind_index(q.kind)];
        slot.ms.push(ms);
        slot.with_hits += usize::from(!res.hits.is_empty());
        slot.totals.push(res.total as u64);
        slot.texts.push(q.tantivy.clone());
    }
    Ok(out)
}

/// The slowest queries of each kind: what the p99 is made of.
fn print_slowest(t: &[Timings; 4]) {
    println!("  slowest of each kind (ms, matches):");
    for k in KINDS {
        let s = &t[kind_index(k)];
        let mut order: Vec<usize> = (0..s.ms.len()).collect();
        order.sort_by(|a, b| s.ms[*b].total_cmp(&s.ms[*a]));
        let shown: Vec<String> = order
            .iter()
            .take(3)
            .map(|&i| format!("{} {:.1} ({})", s.texts[i], s.ms[i], thousands(s.totals[i])))
            .collect();
        println!("    {:<20} {}", k.label(), shown.join("; "));
    }
}

const FTS_SQL: &str = "SELECT rowid FROM items_fts WHERE items_fts MATCH ?1 ORDER BY rank LIMIT 10";
const FTS_RANGE_SQL: &str = "SELECT f.rowid FROM items_fts AS f JOIN items AS i ON i.id = f.rowid \
     WHERE items_fts MATCH ?1 AND i.published BETWEEN ?2 AND ?3 ORDER BY f.rank LIMIT 10";

fn fts_query(conn: &Connection, q: &Query) -> rusqlite::Result<usize> {
    match (q.since, q.until) {
        (Some(s), Some(u)) => {
            let mut stmt = conn.prepare_cached(FTS_RANGE_SQL)?;
            let rows = stmt.query_map(params![q.fts, s, u], |r| r.get::<_, i64>(0))?;
            rows.collect::<rusqlite::Result<Vec<_>>>().map(|v| v.len())
        }
        _ => {
            let mut stmt = conn.prepare_cached(FTS_SQL)?;
            let rows = stmt.query_map(params![q.fts], |r| r.get::<_, i64>(0))?;
            rows.collect::<rusqlite::Result<Vec<_>>>().map(|v| v.len())
        }
    }
}

fn run_fts(conn: &Connection, queries: &[Query]) -> anyhow::Result<[Timings; 4]> {
    for k in KINDS {
        for q in queries.iter().filter(|q| q.kind == k).take(WARMUP_PER_KIND) {
            fts_query(conn, q)?;
        }
    }
    let mut out: [Timings; 4] = Default::default();
    for q in queries {
        let t = Instant::now();
        let n = fts_query(conn, q)
            .map_err(|e| anyhow::anyhow!("FTS5 query {:?} failed: {e}", q.fts))?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let slot = &mut out[kind_index(q.kind)];
        slot.ms.push(ms);
        slot.with_hits += usize::from(n > 0);
    }
    Ok(out)
}

/// Pages in use (page_count − freelist_count) × page_size, in bytes.
fn used_bytes(conn: &Connection) -> rusqlite::Result<u64> {
    let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
    let free: i64 = conn.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
    let size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    Ok(((pages - free).max(0) * size) as u64)
}

// ---------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------

fn print_timings(engine: &str, t: &[Timings; 4], n_items: u64) {
    println!(
        "  {:<20} {:>9} {:>9} {:>9} {:>9} {:>8} {:>14}",
        engine, "p50 ms", "p99 ms", "mean ms", "max ms", "hit %", "median total"
    );
    for k in KINDS {
        let s = &t[kind_index(k)];
        let median_total = if s.totals.is_empty() {
            "—".to_owned()
        } else {
            let mut v = s.totals.clone();
            v.sort_unstable();
            let m = v[v.len() / 2];
            format!(
                "{} ({:.1}%)",
                thousands(m),
                100.0 * m as f64 / n_items.max(1) as f64
            )
        };
        println!(
            "  {:<20} {:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>7.0}% {:>14}",
            k.label(),
            s.p(50.0),
            s.p(99.0),
            s.mean(),
            s.max(),
            100.0 * s.with_hits as f64 / s.ms.len().max(1) as f64,
            median_total
        );
    }
}

fn main() {
    #[cfg(unix)]
    if let Some(result_path) = std::env::var_os(HELPER_ENV) {
        helper_main(result_path);
    }
    if let Err(e) = run() {
        eprintln!("\nindex benchmark failed: {e:#}");
        std::process::exit(1);
    }
}

fn run() -> anyhow::Result<()> {
    let n: usize = match std::env::var("TRICORDER_BENCH_ITEMS") {
        Ok(v) => v
            .trim()
            .replace(['_', ','], "")
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| {
                anyhow::anyhow!("TRICORDER_BENCH_ITEMS must be a positive integer, got {v:?}")
            })?,
        Err(_) => DEFAULT_ITEMS,
    };
    let bin = env!("CARGO_BIN_EXE_tricorder");
    // Keep the temporary folder alive until the end (dropping it deletes it).
    let (dir, _tmp): (PathBuf, Option<tempfile::TempDir>) =
        match std::env::var_os("TRICORDER_BENCH_DIR") {
            Some(d) => {
                let d = PathBuf::from(d);
                std::fs::create_dir_all(&d)?;
                (std::path::absolute(&d)?, None)
            }
            None => {
                let t = tempfile::Builder::new()
                    .prefix("tricorder-bench-index-")
                    .tempdir()?;
                (t.path().to_owned(), Some(t))
            }
        };
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "tricorder index benchmark: {} items, {FEEDS} feeds, {cpus} CPUs",
        thousands(n as u64)
    );
    println!("  data folder: {}", dir.display());

    // ---- 1. generation --------------------------------------------------------
    let vocab = Vocab::new("");
    println!("\n[1] synthetic store");
    let gen_report = generate(&dir, n, &vocab)?;
    let db_path = dir.join("tricorder.db");
    // Pages in use, not the file size: a reused file may hold freed pages.
    let db_size = used_bytes(&Connection::open(&db_path)?)?;
    if gen_report.reused {
        println!(
            "  reused: {} already holds {} items (generation skipped)",
            db_path.display(),
            thousands(n as u64)
        );
    } else {
        println!(
            "  generated {} items in {:.1} s ({:.0} items/s, extracted on every core as a poll does, stored through Store::record_success in batches of {BATCH})",
            thousands(n as u64),
            gen_report.secs,
            n as f64 / gen_report.secs.max(1e-9)
        );
        println!(
            "  bodies: {:.0} words/item on average, {:.1} MB of body text; vocabulary {} words (Zipf s={ZIPF_S}, q={ZIPF_Q})",
            gen_report.words as f64 / n as f64,
            mb(gen_report.body_bytes),
            vocab.words.len()
        );
        let recent = gen_report.recent_items.max(1);
        let older = (n as u64 - gen_report.recent_items).max(1);
        for (k, p) in PLANTED.iter().enumerate() {
            let (all, rec) = gen_report.planted[k];
            println!(
                "  planted {:<24} {:>8} items: {:.2}% before the last 7 days, {:.2}% within them",
                format!("\"{}\"", p.phrase),
                thousands(all),
                100.0 * (all - rec) as f64 / older as f64,
                100.0 * rec as f64 / recent as f64
            );
        }
    }
    println!("  database: {:.1} MB (pages in use)", mb(db_size));

    // For working on queries: reuse the index as it is, and stop after [3].
    let queries_only = std::env::var_os("TRICORDER_BENCH_QUERIES_ONLY").is_some();

    // ---- 2. reindex -------------------------------------------------------------
    println!("\n[2] indexing: `tricorder reindex` (child process)");
    let config = dir.join("bench-index.toml");
    std::fs::write(
        &config,
        format!(
            "# written by benches/index.rs\ndata_dir = {}\n",
            toml_string(&dir.to_string_lossy())
        ),
    )?;
    let args: &[&str] = if queries_only {
        &["status"]
    } else {
        &["reindex"]
    };
    let run = run_tricorder(bin, &config, args, &dir);
    if !run.status.success() {
        eprintln!(
            "reindex exited with {} after {:.1} s\n--- stderr ---\n{}\n--- stdout ---\n{}",
            run.status,
            run.wall.as_secs_f64(),
            run.stderr.trim_end(),
            run.stdout.trim_end()
        );
        anyhow::bail!("tricorder reindex failed");
    }
    let index_size = dir_size(&dir.join("index"));
    let index_rate = n as f64 / run.wall.as_secs_f64().max(1e-9);
    let peak_rss = run.peak_rss;
    for line in run.stdout.lines().filter(|l| !l.trim().is_empty()) {
        println!("  tricorder: {}", line.trim());
    }
    println!(
        "  wall {:.1} s (whole process) -> {:.0} items/s",
        run.wall.as_secs_f64(),
        index_rate
    );
    match peak_rss {
        Some(p) => println!(
            "  peak RSS {:.1} MB (wait4 rusage of the tricorder process; spawned from a {} helper)",
            mb(p),
            run.floor_rss
                .map_or("small".to_owned(), |f| format!("{:.1} MB", mb(f)))
        ),
        None => println!("  peak RSS n/a on this platform"),
    }
    println!(
        "  index on disk {:.1} MB ({:.0} bytes/item; database {:.1} MB)",
        mb(index_size),
        index_size as f64 / n as f64,
        mb(db_size)
    );
    // The corpus's frequent words, whose pairs are indexed as grams.
    if let Ok(bytes) = std::fs::read(dir.join("index").join("frequent-words.json")) {
        let words: tricorder::index::FrequentWords = serde_json::from_slice(&bytes)?;
        println!(
            "  frequent words: {} measured on {} items; pairs whose shares multiply to >= {} are gram terms",
            words.words.len(),
            words.sampled,
            words.pair_share
        );
    }

    // ---- 3. tantivy queries -------------------------------------------------------
    println!("\n[3] query latency, tantivy (SearchIndex::search, limit 10, in-process)");
    let index = SearchIndex::open_existing(&dir)?
        .ok_or_else(|| anyhow::anyhow!("no index in {} after reindex", dir.display()))?;
    let docs = index.doc_count();
    if docs != n as u64 {
        println!("  WARNING: the index holds {docs} documents, expected {n}");
    }
    let conn = Connection::open(&db_path)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    let t = Instant::now();
    let queries = build_queries(&vocab, &conn)?;
    println!(
        "  {} queries per kind ({} warm-up of each first), picked in {:.2} s; query words: \
         ranks {MIN_QUERY_RANK}..{} log-uniform (e.g. rank {MIN_QUERY_RANK} is in ~{:.0}% of items, the last in ~{:.2}%)",
        QUERIES_PER_KIND,
        WARMUP_PER_KIND,
        t.elapsed().as_secs_f64(),
        vocab.words.len(),
        100.0 * vocab.doc_share(MIN_QUERY_RANK, 225.0),
        100.0 * vocab.doc_share(vocab.words.len() - 1, 225.0)
    );
    let t = Instant::now();
    let tantivy = run_tantivy(&index, &queries)?;
    println!(
        "  ran in {:.1} s; totals count every match",
        t.elapsed().as_secs_f64()
    );
    print_timings("tantivy", &tantivy, n as u64);
    print_slowest(&tantivy);
    // Planted phrases: all time and last 7 days, as a sanity check of the data.
    for p in &PLANTED {
        let all = index.search(&SearchRequest {
            query: format!("\"{}\"", p.phrase),
            limit: 1,
            ..Default::default()
        })?;
        let recent = index.search(&SearchRequest {
            query: format!("\"{}\"", p.phrase),
            since: Some(end_ts() - RECENT_DAYS * DAY),
            until: Some(end_ts()),
            limit: 1,
            ..Default::default()
        })?;
        println!(
            "  {:<24} {:>8} matches, {:>8} in the last 7 days",
            format!("\"{}\"", p.phrase),
            thousands(all.total as u64),
            thousands(recent.total as u64)
        );
    }
    drop(index);
    if queries_only {
        println!(
            "\n(TRICORDER_BENCH_QUERIES_ONLY: index reused as it was; FTS5 and the summary skipped)"
        );
        return Ok(());
    }

    // ---- 4. FTS5 ------------------------------------------------------------------
    println!("\n[4] SQLite FTS5 on the same items (porter unicode61, external content = items)");
    conn.execute_batch("DROP TABLE IF EXISTS items_fts")?;
    let before = used_bytes(&conn)?;
    let t = Instant::now();
    conn.execute_batch(
        "CREATE VIRTUAL TABLE items_fts USING fts5(title, body, content='items', content_rowid='id', tokenize='porter unicode61');
         INSERT INTO items_fts(items_fts) VALUES('rebuild');",
    )?;
    let fts_build = t.elapsed().as_secs_f64();
    let fts_size = used_bytes(&conn)?.saturating_sub(before);
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    println!(
        "  build {:.1} s ({:.0} items/s, one thread), FTS5 index {:.1} MB",
        fts_build,
        n as f64 / fts_build.max(1e-9),
        mb(fts_size)
    );
    let t = Instant::now();
    let fts = run_fts(&conn, &queries)?;
    println!(
        "  ran in {:.1} s; `... MATCH ?1 ORDER BY rank LIMIT 10` (range: JOIN items, published BETWEEN)",
        t.elapsed().as_secs_f64()
    );
    print_timings("FTS5", &fts, n as u64);
    println!("\n  FTS5 / tantivy (higher = tantivy faster)");
    println!("  {:<20} {:>9} {:>9} {:>9}", "", "p50", "p99", "mean");
    for k in KINDS {
        let (a, b) = (&tantivy[kind_index(k)], &fts[kind_index(k)]);
        println!(
            "  {:<20} {:>8.1}x {:>8.1}x {:>8.1}x",
            k.label(),
            b.p(50.0) / a.p(50.0),
            b.p(99.0) / a.p(99.0),
            b.mean() / a.mean()
        );
    }
    println!(
        "  indexing: tantivy {:.0} items/s (whole reindex process) vs FTS5 build {:.0} items/s; size {:.1} MB vs {:.1} MB",
        index_rate,
        n as f64 / fts_build.max(1e-9),
        mb(index_size),
        mb(fts_size)
    );
    // Leave the reused database as we found it (without the FTS table).
    conn.execute_batch("DROP TABLE items_fts")?;
    drop(conn);

    // ---- 5. summary ---------------------------------------------------------------
    println!("\n[5] summary vs targets ({} items)", thousands(n as u64));
    println!(
        "  {:<34} {:>22} {:>18} {:>5}",
        "metric", "measured", "target", "met"
    );
    println!(
        "  {:<34} {:>22} {:>18} {:>5}",
        "indexing throughput (reindex)",
        format!("{} items/s", thousands(index_rate as u64)),
        ">= 20,000 items/s",
        yes(index_rate >= 20_000.0)
    );
    println!(
        "  {:<34} {:>22} {:>18} {:>5}",
        "indexing peak RSS",
        peak_rss.map_or("n/a".to_owned(), |p| format!("{:.0} MB", mb(p))),
        "(info)",
        ""
    );
    for k in [Kind::Term, Kind::Phrase] {
        let p99 = tantivy[kind_index(k)].p(99.0);
        println!(
            "  {:<34} {:>22} {:>18} {:>5}",
            format!("p99 {}", k.label()),
            format!("{p99:.2} ms"),
            "<= 10 ms",
            yes(p99 <= 10.0)
        );
    }
    for k in KINDS {
        let (a, b) = (&tantivy[kind_index(k)], &fts[kind_index(k)]);
        let faster = a.p(50.0) < b.p(50.0) && a.p(99.0) < b.p(99.0);
        println!(
            "  {:<34} {:>22} {:>18} {:>5}",
            format!("{} vs FTS5 (p50, p99)", k.label()),
            format!(
                "{:.2}/{:.2} vs {:.2}/{:.2}",
                a.p(50.0),
                a.p(99.0),
                b.p(50.0),
                b.p(99.0)
            ),
            "faster than FTS5",
            yes(faster)
        );
    }
    Ok(())
}
