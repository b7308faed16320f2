//! Benchmark of the analysis stage: extraction at ingest, trends and open
//! questions over a large synthetic store.
//!
//! Run with `cargo bench --bench analyse`. Phases:
//!
//! 1. Extraction throughput: `analyse::extract_feed` over realistic items,
//!    one feed document (25 items) per call, single thread. This is the
//!    ingest-time cost per item.
//! 2. A corpus of `TRICORDER_BENCH_ITEMS` items (default 1,000,000) over the
//!    35 days before 2026-11-16T23:59:59Z, across 300 feeds: steady
//!    background topics plus three planted phrases ("agentic commerce",
//!    "AI Mode", "TikTok Shop") at a low baseline rate that surge in the last
//!    7 days. Items are stored with their phrases and questions from
//!    `extract_feed` (extraction on every CPU, storing on one thread) through
//!    `Store::record_success`, then indexed by `tricorder reindex` as a child
//!    process (wall time and its own peak RSS via `wait4`).
//!    `TRICORDER_BENCH_DIR=<dir>` keeps and reuses the data folder: if its
//!    database already holds that many items, generation is skipped;
//!    `TRICORDER_BENCH_SKIP_REINDEX=1` then also skips the reindex when the
//!    index already holds every item.
//! 3. Trends in-process: `trends::trends` five times (7-day window, 28-day
//!    baseline), with the process's peak RSS from `/proc/self/status`.
//! 4. Open questions for the last 14 days: `analyse::open_questions`.
//!    4b. `topic` (a planted phrase and a broad steady topic, 180 days) and
//!    `topics --since 90d` (the first run backfills the weeks not yet
//!    recorded, in the store; later runs read them).
//! 5. A summary against the targets.
//!
//! Prints numbers only. Timings are never asserted; the process exits 1 only
//! if something it runs fails.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use tricorder::analyse::{self, phrases, questions, trends};
use tricorder::config::FeedSpec;
use tricorder::index::SearchIndex;
use tricorder::parse::Item;
use tricorder::store::{FetchSuccess, NewItem, Store};

#[path = "../src/allocator.rs"]
mod allocator;
#[path = "support/bulk.rs"]
mod bulk;
#[path = "support/child.rs"]
mod child;
use bulk::*;
use child::*;

const FEEDS: usize = 300;
/// Items timed in phase 1, and items per `extract_feed` call there.
const EXTRACT_ITEMS: usize = 24_000;
const DOC_ITEMS: usize = 25;
/// Calls of `trends` and `open_questions` timed in phases 3 and 4.
const REPEATS: usize = 5;
/// A call slower than this is not repeated.
const REPEAT_BUDGET: Duration = Duration::from_secs(60);
const WINDOW_DAYS: i64 = 7;
const BASELINE_DAYS: i64 = 28;
const QUESTION_DAYS: i64 = 14;
/// The store is written one "poll" per feed and six-hour slot: the items a
/// feed published in that slot form one feed document.
const SLOT_SECS: i64 = 6 * 3600;
/// Per cent of items with an industry question in the body, with a
/// question as the title, and with a reader hook or call to action (which
/// the detector must reject).
const QUESTION_PCT: f64 = 10.0;
const TITLE_QUESTION_PCT: f64 = 4.0;
const HOOK_PCT: f64 = 5.0;

/// The instant of analysis; items are published in the 35 days up to it.
fn as_of() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 16, 23, 59, 59)
        .single()
        .expect("valid date")
}

fn end_ts() -> i64 {
    as_of().timestamp()
}

fn start_ts() -> i64 {
    end_ts() - SPAN_DAYS * DAY
}

fn window_from() -> i64 {
    end_ts() - WINDOW_DAYS * DAY
}

// ---------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------

/// How names and acronyms among the content words are written.
const CASED: &str = "\
    Google Meta Amazon TikTok YouTube LinkedIn Pinterest Reddit Netflix Walmart Shopify \
    Salesforce Adobe HubSpot OpenAI AI SEO CTV ROI ROAS CPM CPC CTR LTV CAC KPIs FTC GDPR API \
    SDK B2B B2C DTC Q4 UK India China Europe Asia LLM SaaS CEO CMO";

const TITLE_OPENERS: &[&str] = &[
    "Inside",
    "Report:",
    "Exclusive:",
    "Analysis:",
    "Opinion:",
    "Study:",
    "Survey:",
];

const QUESTION_OPENERS: &[&str] = &["How", "Why", "What", "Will", "Can", "Should", "Is"];

const FEED_PREFIXES: &[&str] = &[
    "Ad", "Search", "Retail", "Brand", "Media", "Commerce", "Email", "Social", "Growth", "Martech",
];
const FEED_SUFFIXES: &[&str] = &[
    "Weekly", "Daily", "Insider", "Today", "Wire", "Report", "Brief", "Digest", "Journal", "Times",
];
const FEED_EDITIONS: &[&str] = &["", " Europe", " Asia", " Americas"];

/// A topic: how often items carry it, before the window and within it.
struct TopicSpec {
    phrase: &'static str,
    /// Phrases that often come with it.
    companions: &'static [&'static str],
    /// Per cent of items carrying it before the last 7 days, and within them.
    base_pct: f64,
    recent_pct: f64,
}

const fn steady(phrase: &'static str, pct: f64) -> TopicSpec {
    TopicSpec {
        phrase,
        companions: &[],
        base_pct: pct,
        recent_pct: pct,
    }
}

/// The planted surges, which `trends` should find.
const PLANTED: [TopicSpec; 3] = [
    TopicSpec {
        phrase: "agentic commerce",
        companions: &["AI shopping agents", "agent-led checkout"],
        base_pct: 0.10,
        recent_pct: 2.0,
    },
    TopicSpec {
        phrase: "AI Mode",
        companions: &["Google's AI Mode", "conversational search"],
        base_pct: 0.10,
        recent_pct: 1.5,
    },
    TopicSpec {
        phrase: "TikTok Shop",
        companions: &["live shopping", "TikTok Shop sellers"],
        base_pct: 0.08,
        recent_pct: 1.0,
    },
];

/// Steady background topics, which it should not.
const BACKGROUND: [TopicSpec; 20] = [
    steady("retail media", 3.0),
    steady("first-party data", 2.0),
    steady("connected TV", 1.5),
    steady("brand safety", 1.2),
    steady("email deliverability", 1.0),
    steady("zero-click search", 1.0),
    steady("creator economy", 1.0),
    steady("data clean rooms", 0.8),
    steady("marketing mix modeling", 0.6),
    steady("customer data platform", 0.6),
    steady("Google Analytics 4", 0.5),
    steady("Performance Max", 0.8),
    steady("AI Overviews", 1.2),
    steady("loyalty programs", 0.7),
    steady("social commerce", 0.8),
    steady("programmatic advertising", 1.0),
    steady("Privacy Sandbox", 0.5),
    steady("holiday shopping", 1.0),
    steady("influencer marketing", 1.2),
    steady("attention metrics", 0.5),
];

/// Questions about a topic (`{t}`), with one free word (`{w}`).
const QUESTION_TEMPLATES: &[&str] = &[
    "How will {t} change {w} budgets?",
    "What does {t} mean for {w} teams?",
    "Is {t} ready for {w} at scale?",
    "Why are so many {w} leaders betting on {t}?",
    "Can {t} deliver real {w} growth?",
    "Who owns {t} inside the {w} team?",
    "Should {w} leaders invest in {t} this year?",
    "Will {t} survive the next {w} cycle?",
];

/// Reader hooks and calls to action: questions the detector must reject.
const HOOKS: &[&str] = &[
    "Is your {w} strategy ready for {t}?",
    "Want to learn more about {t}?",
    "Ready to rethink your {w} plan?",
    "Have you tried {t} yet?",
    "Did you know {t} drives {w}?",
];

// ---------------------------------------------------------------------------
// Feeds and items
// ---------------------------------------------------------------------------

fn feed_name(f: usize) -> String {
    let base = f % (FEED_PREFIXES.len() * FEED_SUFFIXES.len());
    format!(
        "{} {}{}",
        FEED_PREFIXES[base / FEED_SUFFIXES.len()],
        FEED_SUFFIXES[base % FEED_SUFFIXES.len()],
        FEED_EDITIONS[(f / (FEED_PREFIXES.len() * FEED_SUFFIXES.len())) % FEED_EDITIONS.len()]
    )
}

fn feed_specs() -> Vec<FeedSpec> {
    (0..FEEDS)
        .map(|f| FeedSpec {
            url: format!("https://news{f:03}.example.com/feed.xml"),
            name: Some(feed_name(f)),
            tags: vec![FEED_TAGS[f % FEED_TAGS.len()].to_owned()],
            full_text: false,
        })
        .collect()
}

/// The paragraph every item of a feed ends with.
fn footer(feed: usize, title: &str) -> String {
    let name = feed_name(feed);
    match feed % 3 {
        0 => format!(
            "{name} is the daily briefing on search, social and commerce media for marketing \
             leaders, with reporting from our newsroom in New York and London."
        ),
        1 => format!(
            "Get the {name} newsletter every weekday morning: the retail media, programmatic \
             and brand marketing stories that matter, curated by our editors."
        ),
        _ => format!("The post {title} appeared first on {name}."),
    }
}

/// Feed sizes differ: a few big publishers, many small ones.
fn feed_cdf() -> Vec<f64> {
    let mut acc = 0.0;
    let mut cdf: Vec<f64> = (0..FEEDS)
        .map(|f| {
            acc += 1.0 / (f as f64 + 20.0).powf(0.7);
            acc
        })
        .collect();
    for c in &mut cdf {
        *c /= acc;
    }
    cdf
}

/// Feed and publication time of corpus item `i` (its own seed).
fn placement(i: usize, feeds: &[f64]) -> (usize, i64) {
    let mut rng = Rng::new(0x0F1A_CE00_u64 ^ ((i as u64) << 8));
    let u = rng.unit();
    let feed = feeds.partition_point(|&c| c <= u).min(FEEDS - 1);
    let published = start_ts() + 1 + rng.below((SPAN_DAYS * DAY) as u64) as i64;
    (feed, published)
}

fn fill(template: &str, topic: &str, word: &str) -> String {
    template.replace("{t}", topic).replace("{w}", word)
}

struct Generated {
    item: Item,
    /// Which planted phrases the item carries.
    planted: [bool; PLANTED.len()],
}

/// Item number `i`, the same on every run (its own seed).
fn make_item(i: usize, feed: usize, published: i64, vocab: &Vocab) -> Generated {
    let mut rng = Rng::new(0x00A1_A15E_u64 ^ ((i as u64) << 8));
    let recent = published > window_from();
    let mut planted = [false; PLANTED.len()];
    let mut carried: Vec<&TopicSpec> = Vec::new();
    for (k, t) in PLANTED.iter().enumerate() {
        planted[k] = rng.chance(if recent { t.recent_pct } else { t.base_pct });
        if planted[k] {
            carried.push(t);
        }
    }
    for t in &BACKGROUND {
        if rng.chance(if recent { t.recent_pct } else { t.base_pct }) {
            carried.push(t);
        }
    }
    let lead = (!carried.is_empty()).then(|| carried[rng.below(carried.len() as u64) as usize]);

    // Title: 6–12 words, sometimes a question, often naming the lead topic.
    let title_topic = lead.filter(|_| rng.chance(45.0)).map(|t| t.phrase);
    let as_question = rng.chance(TITLE_QUESTION_PCT);
    let n = rng.range(6, 12) - if title_topic.is_some() { 2 } else { 0 };
    let mut words: Vec<&str> = Vec::with_capacity(n + 4);
    if as_question {
        words.push(rng.pick(QUESTION_OPENERS));
    } else if rng.chance(20.0) {
        words.push(rng.pick(TITLE_OPENERS));
    }
    while words.len() < n {
        if !words.is_empty() && words.len() + 1 < n && rng.chance(25.0) {
            words.push(rng.pick(TITLE_GLUE));
        }
        words.push(vocab.sample_content(&mut rng));
    }
    if let Some(p) = title_topic {
        let at = rng.range(1, words.len());
        words.insert(at, p);
    }
    if !as_question && rng.chance(10.0) {
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
    if as_question {
        title.push('?');
    }

    // Body: 150–300 words in sentences of 8–20, in 2–4 paragraphs.
    let target = rng.range(150, 300);
    let mut lens = Vec::new();
    let mut total = 0;
    while total < target {
        let len = rng.range(8, 20).min(target - total);
        lens.push(len);
        total += len;
    }
    let paragraphs = rng.range(2, 4).min(lens.len());
    let per_paragraph = lens.len().div_ceil(paragraphs);

    // Topic mentions: the lead in the first sentence most of the time, and
    // again later; other topics and companions once or twice.
    let mut inserts: Vec<(usize, &str)> = Vec::new();
    for t in &carried {
        let is_lead = lead.is_some_and(|l| std::ptr::eq(l, *t));
        if is_lead && rng.chance(70.0) {
            inserts.push((rng.below(lens[0] as u64) as usize, t.phrase));
        }
        for _ in 0..rng.range(if is_lead { 1 } else { 0 }, 2) {
            inserts.push((rng.below(target as u64) as usize, t.phrase));
        }
        for c in t.companions {
            if rng.chance(40.0) {
                inserts.push((rng.below(target as u64) as usize, c));
            }
        }
    }
    if inserts.is_empty() && carried.len() == 1 {
        inserts.push((rng.below(target as u64) as usize, carried[0].phrase));
    }
    // Questions, after a random sentence.
    let mut asked: Vec<(usize, String)> = Vec::new();
    if rng.chance(QUESTION_PCT) {
        let q = match lead {
            Some(t) if rng.chance(80.0) => fill(
                rng.pick(QUESTION_TEMPLATES),
                t.phrase,
                vocab.sample_content(&mut rng),
            ),
            _ => {
                let mut q = rng.pick(QUESTION_OPENERS).to_owned();
                for _ in 0..rng.range(4, 10) {
                    q.push(' ');
                    q.push_str(vocab.sample(&mut rng));
                }
                q.push('?');
                q
            }
        };
        asked.push((rng.below(lens.len() as u64) as usize, q));
    }
    if rng.chance(HOOK_PCT) {
        let topic = lead.map_or_else(|| vocab.sample_content(&mut rng), |t| t.phrase);
        let q = fill(rng.pick(HOOKS), topic, vocab.sample_content(&mut rng));
        asked.push((rng.below(lens.len() as u64) as usize, q));
    }

    let mut body = String::with_capacity(target * 8 + 200);
    let mut written = 0;
    for (s, &len) in lens.iter().enumerate() {
        if s > 0 {
            body.push_str(if s % per_paragraph == 0 { "\n\n" } else { " " });
        }
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
        for (after, q) in &asked {
            if *after == s {
                body.push(' ');
                body.push_str(q);
            }
        }
    }
    body.push_str("\n\n");
    body.push_str(&footer(feed, &title));

    let categories = (0..rng.range(0, 2))
        .map(|_| rng.pick(CATEGORIES).to_owned())
        .collect();
    Generated {
        item: Item {
            guid: format!("analyse-{i}"),
            url: Some(format!("https://news{feed:03}.example.com/posts/{i}")),
            title,
            author: Some(rng.pick(AUTHORS).to_owned()),
            published: DateTime::<Utc>::from_timestamp(published, 0),
            categories,
            body,
        },
        planted,
    }
}

// ---------------------------------------------------------------------------
// Phase 1: extraction throughput
// ---------------------------------------------------------------------------

struct ExtractReport {
    items: usize,
    docs: usize,
    secs: f64,
    doc_us: Vec<f64>,
    phrases: usize,
    questions: usize,
    with_questions: usize,
    body_words: usize,
    /// Seconds in each step when timed separately: repeated paragraphs,
    /// boilerplate filter + questions, phrases.
    steps: [f64; 3],
}

fn extraction_benchmark(vocab: &Vocab) -> ExtractReport {
    // Items numbered past any corpus, spread over the span; document d
    // belongs to feed d % FEEDS, as one poll of it would return.
    let docs: Vec<Vec<Item>> = (0..EXTRACT_ITEMS.div_ceil(DOC_ITEMS))
        .map(|d| {
            let feed = d % FEEDS;
            (0..DOC_ITEMS)
                .map(|k| {
                    let i = 1_000_000_000 + d * DOC_ITEMS + k;
                    let mut rng = Rng::new(i as u64);
                    let published = start_ts() + 1 + rng.below((SPAN_DAYS * DAY) as u64) as i64;
                    make_item(i, feed, published, vocab).item
                })
                .collect()
        })
        .collect();
    let items: usize = docs.iter().map(Vec::len).sum();
    let body_words = docs
        .iter()
        .flatten()
        .map(|i| i.body.split_whitespace().count())
        .sum();
    // Warm-up (lazy statics, allocator), not timed.
    for d in docs.iter().take(4) {
        std::hint::black_box(analyse::extract_feed(
            d.iter().map(|i| (i.title.as_str(), i.body.as_str())),
        ));
    }
    let mut report = ExtractReport {
        items,
        docs: docs.len(),
        secs: 0.0,
        doc_us: Vec::with_capacity(docs.len()),
        phrases: 0,
        questions: 0,
        with_questions: 0,
        body_words,
        steps: [0.0; 3],
    };
    let started = Instant::now();
    for d in &docs {
        let t = Instant::now();
        let out = analyse::extract_feed(d.iter().map(|i| (i.title.as_str(), i.body.as_str())));
        report.doc_us.push(t.elapsed().as_secs_f64() * 1e6);
        for x in &out {
            report.phrases += x.phrases.len();
            report.questions += x.questions.len();
            report.with_questions += usize::from(!x.questions.is_empty());
        }
        std::hint::black_box(out);
    }
    report.secs = started.elapsed().as_secs_f64();

    // The same steps as `extract_feed`, each timed on its own.
    for d in &docs {
        let pairs = || d.iter().map(|i| (i.title.as_str(), i.body.as_str()));
        let t = Instant::now();
        let repeated = phrases::repeated_paragraphs(pairs());
        report.steps[0] += t.elapsed().as_secs_f64();
        for (title, body) in pairs() {
            let t = Instant::now();
            let paras = phrases::content_paragraphs(title, body, &repeated);
            let mut qs = questions::find(title);
            for p in &paras {
                qs.extend(questions::find(p));
            }
            report.steps[1] += t.elapsed().as_secs_f64();
            let t = Instant::now();
            std::hint::black_box(phrases::extract(title, &paras));
            report.steps[2] += t.elapsed().as_secs_f64();
            std::hint::black_box(qs);
        }
    }
    report
}

// ---------------------------------------------------------------------------
// Phase 2: the corpus
// ---------------------------------------------------------------------------

struct GenReport {
    reused: bool,
    secs: f64,
    /// Summed over workers: generating text, and `extract_feed`.
    make_secs: f64,
    extract_secs: f64,
    /// Main thread, in `record_success`.
    store_secs: f64,
    workers: usize,
    docs: usize,
    items_w: u64,
    items_b: u64,
    /// Per planted phrase: items carrying it in W and in B.
    planted: [(u64, u64); PLANTED.len()],
    /// Items with phrases and questions stored, and their totals.
    phrases: u64,
    with_questions: u64,
    questions: u64,
}

/// One feed document, extracted, ready to store.
struct DocOut {
    feed: usize,
    now: i64,
    items: Vec<NewItem>,
}

#[derive(Default)]
struct SlotOut {
    docs: Vec<DocOut>,
    make_secs: f64,
    extract_secs: f64,
    items_w: u64,
    items_b: u64,
    planted: [(u64, u64); PLANTED.len()],
}

fn generate(dir: &Path, n: usize, vocab: &Vocab) -> anyhow::Result<GenReport> {
    let started = Instant::now();
    let mut store = Store::open(dir)?;
    let have = store.item_count()? as usize;
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let mut report = GenReport {
        reused: false,
        secs: 0.0,
        make_secs: 0.0,
        extract_secs: 0.0,
        store_secs: 0.0,
        workers,
        docs: 0,
        items_w: 0,
        items_b: 0,
        planted: [(0, 0); PLANTED.len()],
        phrases: 0,
        with_questions: 0,
        questions: 0,
    };
    if have == n {
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
    // Writes are idempotent (same items, same times), so a partly generated
    // folder is simply completed.
    let specs = feed_specs();
    store.sync_config_feeds(&specs, start_ts())?;
    let by_url: HashMap<String, i64> = store.feeds()?.into_iter().map(|f| (f.url, f.id)).collect();
    let feed_ids: Vec<i64> = specs.iter().map(|s| by_url[&s.url]).collect();

    // Where and when each item appears, sorted into (slot, feed) documents.
    let cdf = feed_cdf();
    let mut schedule: Vec<(u32, u16, u32)> = (0..n)
        .map(|i| {
            let (feed, published) = placement(i, &cdf);
            let slot = ((published - start_ts() - 1) / SLOT_SECS) as u32;
            (slot, feed as u16, i as u32)
        })
        .collect();
    schedule.sort_unstable();
    let slots = (SPAN_DAYS * DAY / SLOT_SECS) as usize;
    let slot_start: Vec<usize> = (0..=slots)
        .map(|s| schedule.partition_point(|e| (e.0 as usize) < s))
        .collect();

    let next_slot = AtomicUsize::new(0);
    let (tx, rx) = mpsc::sync_channel::<(usize, SlotOut)>(workers * 2);
    let mut pending: BTreeMap<usize, SlotOut> = BTreeMap::new();
    let mut to_store = 0usize;
    let mut stored_items = 0usize;
    let mut next_progress = 0.1;
    std::thread::scope(|scope| -> anyhow::Result<()> {
        for _ in 0..workers {
            let tx = tx.clone();
            let (schedule, slot_start, next_slot) = (&schedule, &slot_start, &next_slot);
            let cdf = &cdf;
            scope.spawn(move || {
                loop {
                    let s = next_slot.fetch_add(1, Ordering::Relaxed);
                    if s >= slots {
                        break;
                    }
                    let out = make_slot(s, &schedule[slot_start[s]..slot_start[s + 1]], cdf, vocab);
                    if tx.send((s, out)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (s, out) in rx.iter() {
            pending.insert(s, out);
            while let Some(out) = pending.remove(&to_store) {
                to_store += 1;
                report.make_secs += out.make_secs;
                report.extract_secs += out.extract_secs;
                report.items_w += out.items_w;
                report.items_b += out.items_b;
                for (k, p) in out.planted.iter().enumerate() {
                    report.planted[k].0 += p.0;
                    report.planted[k].1 += p.1;
                }
                let t = Instant::now();
                for doc in out.docs {
                    report.docs += 1;
                    stored_items += doc.items.len();
                    for x in &doc.items {
                        report.phrases += x.phrases.len() as u64;
                        report.questions += x.questions.len() as u64;
                        report.with_questions += u64::from(!x.questions.is_empty());
                    }
                    let now = doc.now;
                    store.record_success(
                        feed_ids[doc.feed],
                        &FetchSuccess {
                            http_status: 200,
                            items: Some(doc.items),
                            ..Default::default()
                        },
                        now,
                        |_| now + 3600,
                    )?;
                }
                report.store_secs += t.elapsed().as_secs_f64();
                if stored_items as f64 >= next_progress * n as f64 {
                    eprintln!(
                        "  ... {} items stored ({:.0} s)",
                        thousands(stored_items as u64),
                        started.elapsed().as_secs_f64()
                    );
                    next_progress += 0.1;
                }
            }
        }
        Ok(())
    })?;
    let count = store.item_count()? as usize;
    if count != n {
        anyhow::bail!("generated {n} items but the store holds {count}");
    }
    store.set_extracted_with(analyse::EXTRACTOR_VERSION)?;
    report.secs = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Generates and extracts the feed documents of one slot.
fn make_slot(slot: usize, entries: &[(u32, u16, u32)], cdf: &[f64], vocab: &Vocab) -> SlotOut {
    let mut out = SlotOut::default();
    let now = start_ts() + (slot as i64 + 1) * SLOT_SECS;
    let mut k = 0;
    while k < entries.len() {
        let feed = entries[k].1;
        let end = k + entries[k..].iter().take_while(|e| e.1 == feed).count();
        let t = Instant::now();
        let generated: Vec<Generated> = entries[k..end]
            .iter()
            .map(|e| {
                let i = e.2 as usize;
                let (_, published) = placement(i, cdf);
                make_item(i, feed as usize, published, vocab)
            })
            .collect();
        out.make_secs += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let extracted = analyse::extract_feed(
            generated
                .iter()
                .map(|g| (g.item.title.as_str(), g.item.body.as_str())),
        );
        out.extract_secs += t.elapsed().as_secs_f64();
        let mut items = Vec::with_capacity(generated.len());
        for (g, x) in generated.into_iter().zip(extracted) {
            let recent = g
                .item
                .published
                .is_some_and(|p| p.timestamp() > window_from());
            if recent {
                out.items_w += 1;
            } else {
                out.items_b += 1;
            }
            for (k, &b) in g.planted.iter().enumerate() {
                if b {
                    if recent {
                        out.planted[k].0 += 1;
                    } else {
                        out.planted[k].1 += 1;
                    }
                }
            }
            items.push(NewItem {
                item: g.item,
                phrases: x.phrases,
                questions: x.questions,
            });
        }
        out.docs.push(DocOut {
            feed: feed as usize,
            now: now.min(end_ts()),
            items,
        });
        k = end;
    }
    out
}

// ---------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------

/// Resets this process's RSS high-water mark to its current RSS (Linux ≥ 4.0).
fn reset_hwm() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn percentile(v: &[f64], pct: f64) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return f64::NAN;
    }
    let k = ((pct / 100.0) * v.len() as f64).ceil() as usize;
    v[k.clamp(1, v.len()) - 1]
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// Runs `f` up to `REPEATS` times (fewer once a call exceeds the budget);
/// returns the wall times in ms and the first call's result.
fn repeat<T>(mut f: impl FnMut() -> anyhow::Result<T>) -> anyhow::Result<(Vec<f64>, T)> {
    let mut ms = Vec::with_capacity(REPEATS);
    let mut first = None;
    for _ in 0..REPEATS {
        let t = Instant::now();
        let r = f()?;
        let elapsed = t.elapsed();
        ms.push(elapsed.as_secs_f64() * 1000.0);
        if first.is_none() {
            first = Some(r);
        } else {
            std::hint::black_box(r);
        }
        if elapsed > REPEAT_BUDGET {
            break;
        }
    }
    Ok((ms, first.expect("at least one run")))
}

fn print_repeats(ms: &[f64]) {
    let list: Vec<String> = ms.iter().map(|m| format!("{m:.0}")).collect();
    println!(
        "  {} run(s): first {:.0} ms, median {:.0} ms, min {:.0} ms  [{}]",
        ms.len(),
        ms[0],
        median(ms),
        ms.iter().copied().fold(f64::INFINITY, f64::min),
        list.join(", ")
    );
    if ms.len() < REPEATS {
        println!(
            "  (not repeated: a call took more than {} s)",
            REPEAT_BUDGET.as_secs()
        );
    }
}

// ---------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------

fn main() {
    #[cfg(unix)]
    if let Some(result_path) = std::env::var_os(HELPER_ENV) {
        helper_main(result_path);
    }
    if let Err(e) = run() {
        eprintln!("\nanalyse benchmark failed: {e:#}");
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
    let skip_reindex = std::env::var("TRICORDER_BENCH_SKIP_REINDEX").is_ok_and(|v| v == "1");
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
                    .prefix("tricorder-bench-analyse-")
                    .tempdir()?;
                (t.path().to_owned(), Some(t))
            }
        };
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "tricorder analyse benchmark: {} items, {FEEDS} feeds, {cpus} CPUs, as of {}",
        thousands(n as u64),
        as_of().to_rfc3339()
    );
    println!("  data folder: {}", dir.display());
    let vocab = Vocab::new(CASED);

    // ---- 1. extraction throughput ---------------------------------------------
    println!(
        "\n[1] extraction: analyse::extract_feed, one feed document of {DOC_ITEMS} items per call, one thread"
    );
    let ex = extraction_benchmark(&vocab);
    let ex_rate = ex.items as f64 / ex.secs.max(1e-9);
    println!(
        "  {} items in {} documents ({:.0} words/item incl. footer, ~{} questions planted per 100 items)",
        thousands(ex.items as u64),
        thousands(ex.docs as u64),
        ex.body_words as f64 / ex.items as f64,
        QUESTION_PCT + TITLE_QUESTION_PCT
    );
    println!(
        "  {:.2} s -> {:.0} items/s, {:.1} µs/item; per document p50 {:.0} µs, p99 {:.0} µs",
        ex.secs,
        ex_rate,
        ex.secs * 1e6 / ex.items as f64,
        percentile(&ex.doc_us, 50.0),
        percentile(&ex.doc_us, 99.0)
    );
    println!(
        "  output: {:.1} phrases/item, {:.3} questions/item, {:.1}% of items with a question",
        ex.phrases as f64 / ex.items as f64,
        ex.questions as f64 / ex.items as f64,
        100.0 * ex.with_questions as f64 / ex.items as f64
    );
    let step_total: f64 = ex.steps.iter().sum();
    println!(
        "  steps timed separately (µs/item): repeated_paragraphs {:.1}, content_paragraphs + questions::find {:.1}, phrases::extract {:.1} ({:.0}% of {:.1})",
        ex.steps[0] * 1e6 / ex.items as f64,
        ex.steps[1] * 1e6 / ex.items as f64,
        ex.steps[2] * 1e6 / ex.items as f64,
        100.0 * ex.steps[2] / step_total.max(1e-12),
        step_total * 1e6 / ex.items as f64
    );

    // ---- 2. corpus and index ---------------------------------------------------------
    println!(
        "\n[2] corpus: {} items over the {SPAN_DAYS} days to {}, with planted surges",
        thousands(n as u64),
        as_of().format("%Y-%m-%d %H:%M:%S UTC")
    );
    let gen_report = generate(&dir, n, &vocab)?;
    let db_path = dir.join("tricorder.db");
    if gen_report.reused {
        println!(
            "  reused: {} already holds {} items (generation skipped)",
            db_path.display(),
            thousands(n as u64)
        );
    } else {
        let g = &gen_report;
        println!(
            "  generated and stored {} items in {} feed documents in {:.1} s ({:.0} items/s)",
            thousands(n as u64),
            thousands(g.docs as u64),
            g.secs,
            n as f64 / g.secs.max(1e-9)
        );
        println!(
            "  {} worker threads: text {:.1} s, extract_feed {:.1} s ({:.0} items/s per thread); \
             storing (one thread, Store::record_success per document) {:.1} s ({:.0} items/s)",
            g.workers,
            g.make_secs,
            g.extract_secs,
            n as f64 / g.extract_secs.max(1e-9),
            g.store_secs,
            n as f64 / g.store_secs.max(1e-9)
        );
        println!(
            "  stored: {:.1} phrases/item; {} items ({:.1}%) with questions, {} questions",
            g.phrases as f64 / n as f64,
            thousands(g.with_questions),
            100.0 * g.with_questions as f64 / n as f64,
            thousands(g.questions)
        );
        println!(
            "  items: {} in the last {WINDOW_DAYS} days (W), {} in the {BASELINE_DAYS} days before (B)",
            thousands(g.items_w),
            thousands(g.items_b)
        );
        for (k, p) in PLANTED.iter().enumerate() {
            let (w, b) = g.planted[k];
            println!(
                "  planted {:<20} {:>7} items in W ({:.2}%), {:>7} in B ({:.2}%)",
                format!("\"{}\"", p.phrase),
                thousands(w),
                100.0 * w as f64 / g.items_w.max(1) as f64,
                thousands(b),
                100.0 * b as f64 / g.items_b.max(1) as f64
            );
        }
        println!(
            "  background: {} steady topics at 0.5–3% of items (e.g. \"retail media\" 3%, \"AI Overviews\" 1.2%)",
            BACKGROUND.len()
        );
    }
    let db_size = std::fs::metadata(&db_path).map_or(0, |m| m.len());
    println!("  database file: {:.1} MB", mb(db_size));

    println!(
        "\n[2b] indexing: `tricorder -v reindex` (child process; re-extracts, then rebuilds the index)"
    );
    // An index this build cannot read is simply rebuilt below.
    let existing_docs = SearchIndex::open_existing(&dir)
        .ok()
        .flatten()
        .map(|i| i.doc_count());
    let mut reindex: Option<(f64, Option<u64>)> = None;
    if skip_reindex && existing_docs == Some(n as u64) {
        println!("  skipped (TRICORDER_BENCH_SKIP_REINDEX=1 and the index holds every item)");
    } else {
        let config = dir.join("bench-analyse.toml");
        std::fs::write(
            &config,
            format!(
                "# written by benches/analyse.rs\ndata_dir = {}\n",
                toml_string(&dir.to_string_lossy())
            ),
        )?;
        let run = run_tricorder(bin, &config, &["-v", "reindex"], &dir);
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
        for line in run.stdout.lines().filter(|l| !l.trim().is_empty()) {
            println!("  tricorder: {}", line.trim());
        }
        for line in run.stderr.lines().filter(|l| l.contains("recomputed")) {
            println!("  tricorder log: {}", line.trim());
        }
        println!(
            "  wall {:.1} s (whole process) -> {:.0} items/s",
            run.wall.as_secs_f64(),
            n as f64 / run.wall.as_secs_f64().max(1e-9)
        );
        match run.peak_rss {
            Some(p) => println!(
                "  peak RSS {:.1} MB (wait4 rusage of the tricorder process; spawned from a {} helper)",
                mb(p),
                run.floor_rss
                    .map_or("small".to_owned(), |f| format!("{:.1} MB", mb(f)))
            ),
            None => println!("  peak RSS n/a on this platform"),
        }
        reindex = Some((run.wall.as_secs_f64(), run.peak_rss));
    }
    println!("  index on disk {:.1} MB", mb(dir_size(&dir.join("index"))));

    // ---- 3. trends -------------------------------------------------------------------
    println!(
        "\n[3] trends::trends in-process (window {WINDOW_DAYS} d, baseline {BASELINE_DAYS} d, min_feeds 3, max_topics 10)"
    );
    let index = SearchIndex::open_existing(&dir)?
        .ok_or_else(|| anyhow::anyhow!("no index in {} after reindex", dir.display()))?;
    let store = Store::open(&dir)?;
    let docs = index.doc_count();
    if docs != n as u64 {
        println!("  WARNING: the index holds {docs} documents, expected {n}");
    }
    index_anatomy(&index)?;
    let params = trends::Params {
        as_of: as_of(),
        window: chrono::Duration::days(WINDOW_DAYS),
        baseline: chrono::Duration::days(BASELINE_DAYS),
        min_feeds: 3,
        max_topics: 10,
    };
    // Stories alone: the clustering the trends run on.
    let (story_ms, clustering) =
        repeat(|| analyse::stories::cluster(&store, &params.stories(), params.min_feeds))?;
    println!(
        "  stories alone ({} items in {} stories, {} in 3+ feeds):",
        thousands(clustering.story_of.len() as u64),
        thousands(clustering.stories.len() as u64),
        clustering
            .stories
            .iter()
            .filter(|s| s.feed_ids.len() >= 3)
            .count()
    );
    print_repeats(&story_ms);
    drop(clustering);
    println!("  trends including stories:");
    let reset = reset_hwm();
    let hwm_before = proc_status_bytes("VmHWM:").unwrap_or(0);
    let (trend_ms, topics) = repeat(|| trends::trends(&index, &store, &params))?;
    let hwm_after = proc_status_bytes("VmHWM:").unwrap_or(0);
    print_repeats(&trend_ms);
    println!(
        "  peak RSS (VmHWM) {:.1} MB after the runs; {:.1} MB before them is the floor ({}), so trends added up to {:.1} MB",
        mb(hwm_after),
        mb(hwm_before),
        if reset {
            "high-water mark reset to the current RSS first, via /proc/self/clear_refs"
        } else {
            "could not reset the high-water mark: the floor includes generation"
        },
        mb(hwm_after.saturating_sub(hwm_before))
    );
    println!(
        "\n  {:>2} {:<28} {:>6} {:>9} {:>7} {:>6} {:>6}  merged phrases",
        "#", "topic", "count", "expected", "growth", "feeds", "score"
    );
    for (k, t) in topics.iter().enumerate() {
        println!(
            "  {:>2} {:<28} {:>6} {:>9.1} {:>6.1}x {:>6} {:>6.2}  {}",
            k + 1,
            truncate(&t.label, 28),
            t.count,
            t.expected,
            t.growth,
            t.feeds,
            t.score,
            truncate(&t.phrases[1.min(t.phrases.len())..].join(", "), 60)
        );
    }
    let mut planted_top5 = 0;
    for p in &PLANTED {
        let key = phrases::normalise(p.phrase).unwrap_or_default();
        let rank = topics.iter().position(|t| t.key == key);
        let within = topics.iter().position(|t| t.phrase_keys.contains(&key));
        planted_top5 += usize::from(rank.is_some_and(|r| r < 5));
        println!(
            "  planted {:<20} {}",
            format!("\"{}\":", p.phrase),
            match (rank, within) {
                (Some(r), _) if r < 5 => format!("in the top 5 (#{})", r + 1),
                (Some(r), _) => format!("NOT in the top 5 (#{})", r + 1),
                (None, Some(r)) => format!(
                    "NOT a topic of its own; merged into #{} \"{}\"",
                    r + 1,
                    topics[r].label
                ),
                (None, None) => "NOT among the topics".to_owned(),
            }
        );
    }
    println!(
        "  {} of {} planted topics in the top 5",
        planted_top5,
        PLANTED.len()
    );

    // ---- 4. open questions -----------------------------------------------------------
    println!(
        "\n[4] analyse::open_questions over the last {QUESTION_DAYS} days (with the topics above)"
    );
    let since = as_of() - chrono::Duration::days(QUESTION_DAYS);
    let t = Instant::now();
    let rows = store.questions_between(since.timestamp(), end_ts())?;
    println!(
        "  Store::questions_between alone: {} question rows in {:.0} ms",
        thousands(rows.len() as u64),
        t.elapsed().as_secs_f64() * 1000.0
    );
    drop(rows);
    // How the cost grows with the number of questions.
    for days in [1, 2] {
        let s = as_of() - chrono::Duration::days(days);
        let rows = store.questions_between(s.timestamp(), end_ts())?.len();
        let t = Instant::now();
        let groups = analyse::open_questions(&store, &topics, s, as_of(), None)?.len();
        println!(
            "  probe {days:>2} day(s): {:>7} rows -> {:>7} questions in {:>8.0} ms",
            thousands(rows as u64),
            thousands(groups as u64),
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
    let (q_ms, open) = repeat(|| analyse::open_questions(&store, &topics, since, as_of(), None))?;
    print_repeats(&q_ms);
    let with_topic = open.iter().filter(|q| q.topic.is_some()).count();
    println!(
        "  {} open questions ({} attached to a trending topic); VmHWM now {:.1} MB",
        thousands(open.len() as u64),
        thousands(with_topic as u64),
        mb(proc_status_bytes("VmHWM:").unwrap_or(0))
    );
    for (k, q) in open.iter().take(5).enumerate() {
        let feeds: HashSet<&str> = q.sources.iter().map(|s| s.feed.as_str()).collect();
        println!(
            "  {}. {} [topic: {}; {} sources, {} feeds]",
            k + 1,
            truncate(&q.question, 90),
            q.topic.as_deref().unwrap_or("—"),
            q.sources.len(),
            feeds.len()
        );
    }

    // ---- 4b. topic and topics --------------------------------------------------------------
    drop(store);
    let mut store = Store::open(&dir)?;
    let (topic_ms, topic_broad_ms, topics_first, topics_ms) = topic_phase(&index, &mut store)?;

    // ---- 5. summary ---------------------------------------------------------------------
    println!("\n[5] summary vs targets ({} items)", thousands(n as u64));
    fn row(
        metric: impl std::fmt::Display,
        measured: impl std::fmt::Display,
        target: &str,
        met: &str,
    ) {
        println!("  {metric:<40} {measured:>22} {target:>18} {met:>5}");
    }
    row("metric", "measured", "target", "met");
    let trend_med = median(&trend_ms);
    let q_med = median(&q_ms);
    let story_med = median(&story_ms);
    row(
        "stories alone (median of runs)",
        format!("{:.0} ms", story_med),
        "<= 2 s",
        yes(story_med <= 2000.0),
    );
    row(
        "trends (median of runs)",
        format!("{:.0} ms", trend_med),
        "<= 2 s",
        yes(trend_med <= 2000.0),
    );
    row(
        "trends (first run)",
        format!("{:.0} ms", trend_ms[0]),
        "<= 2 s",
        yes(trend_ms[0] <= 2000.0),
    );
    row(
        format!("open questions, {QUESTION_DAYS} days (median)"),
        format!("{:.0} ms", q_med),
        "<= 2 s",
        yes(q_med <= 2000.0),
    );
    let topic_med = median(&topic_ms);
    row(
        "topic \"agentic commerce\", 180 d (median)",
        format!("{:.0} ms", topic_med),
        "<= 300 ms",
        yes(topic_med <= 300.0),
    );
    let broad_med = median(&topic_broad_ms);
    row(
        "topic \"retail media\" (3 %), 180 d (median)",
        format!("{:.0} ms", broad_med),
        "<= 300 ms",
        yes(broad_med <= 300.0),
    );
    let topics_med = median(&topics_ms);
    row(
        "topics --since 90d, recorded (median)",
        format!("{:.0} ms", topics_med),
        "<= 1 s",
        yes(topics_med <= 1000.0),
    );
    if let Some((weeks, ms)) = topics_first {
        row(
            format!("topics --since 90d, backfilling {weeks} weeks"),
            format!("{:.0} ms", ms),
            "(info, once)",
            "",
        );
    }
    row(
        "extraction (one thread)",
        format!("{} items/s", thousands(ex_rate as u64)),
        ">= 5,000 items/s",
        yes(ex_rate >= 5000.0),
    );
    row(
        "planted topics in the top 5",
        format!("{planted_top5} of {}", PLANTED.len()),
        "(info)",
        "",
    );
    row(
        "trends peak RSS (VmHWM after - floor)",
        format!("+{:.0} MB", mb(hwm_after.saturating_sub(hwm_before))),
        "(info)",
        "",
    );
    if let Some((secs, peak)) = reindex {
        row(
            "reindex wall / peak RSS",
            format!(
                "{secs:.0} s / {}",
                peak.map_or("n/a".to_owned(), |p| format!("{:.0} MB", mb(p)))
            ),
            "(info)",
            "",
        );
    }
    Ok(())
}

/// Segments, phrase dictionary sizes, and the cost of one bare pass over
/// every document's phrase ordinals (what `trends` does at least once).
fn index_anatomy(index: &SearchIndex) -> anyhow::Result<()> {
    let searcher = index.searcher();
    let segs = searcher.segment_readers();
    let mut terms = 0u64;
    let mut ords = 0u64;
    let t = Instant::now();
    for seg in segs {
        let ff = seg.fast_fields();
        let Some(col) = ff.str("phrases")? else {
            continue;
        };
        terms += col.num_terms() as u64;
        for doc in seg.doc_ids_alive() {
            ords += col.term_ords(doc).count() as u64;
        }
    }
    println!(
        "  index: {} docs in {} segments; phrase dictionaries hold {} terms in all; \
         one bare pass over {} phrase ordinals takes {:.0} ms",
        thousands(searcher.num_docs()),
        segs.len(),
        thousands(terms),
        thousands(ords),
        t.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}

/// Phase 4b: `tricorder topic` on a planted phrase and on a broad steady
/// topic, and `tricorder topics --since 90d` (its first run backfills the
/// weeks not yet recorded; later runs read them). Returns the timings:
/// (topic, broad topic, first topics run if it backfilled, recorded runs).
#[allow(clippy::type_complexity)]
fn topic_phase(
    index: &SearchIndex,
    store: &mut Store,
) -> anyhow::Result<(Vec<f64>, Vec<f64>, Option<(usize, f64)>, Vec<f64>)> {
    use tricorder::analyse::topic;
    println!("\n[4b] topic (180 days) and topics (90 days), in-process");
    let params = |q: &str| topic::Params {
        query: q.to_owned(),
        since: as_of() - chrono::Duration::days(180),
        as_of: as_of(),
        window: chrono::Duration::days(WINDOW_DAYS),
        baseline: chrono::Duration::days(BASELINE_DAYS),
    };
    let mut timed = Vec::new();
    for q in ["agentic commerce", "retail media"] {
        let (ms, r) = repeat(|| {
            topic::report(index, store, &[], &params(q)).map_err(|e| anyhow::anyhow!("{e}"))
        })?;
        println!(
            "  topic {q:?}: {} items, {} stories, {} feeds, {} questions, {} related; peak {} ({}), now ×{:.1}",
            thousands(r.items as u64),
            r.stories.len(),
            r.voices.feeds.len(),
            r.questions.len(),
            r.related.len(),
            r.peak
                .as_ref()
                .map_or("-".to_owned(), |b| b.start.to_string()),
            r.peak.as_ref().map_or(0, |b| b.count),
            r.now.growth
        );
        print_repeats(&ms);
        timed.push(ms);
    }
    let trend_params = trends::Params {
        as_of: as_of(),
        window: chrono::Duration::days(WINDOW_DAYS),
        baseline: chrono::Duration::days(BASELINE_DAYS),
        min_feeds: 3,
        max_topics: 10,
    };
    let since = as_of() - chrono::Duration::days(90);
    let recorded = store.trend_windows(since.timestamp(), end_ts())?.len();
    let weeks = topic::week_ends(since, as_of())
        .into_iter()
        .filter(|e| *e > start_ts())
        .count();
    let mut first = None;
    if recorded < weeks {
        let t = Instant::now();
        tricorder::cli::topic::history(store, index, &trend_params, since, as_of())?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        println!(
            "  topics: first run backfilled {} of {weeks} weeks in {ms:.0} ms",
            weeks - recorded
        );
        first = Some((weeks - recorded, ms));
    }
    let (ms, listed) = repeat(|| {
        let rows = tricorder::cli::topic::history(store, index, &trend_params, since, as_of())?;
        Ok(topic::merge_history(index, &rows, None))
    })?;
    println!(
        "  topics --since 90d, weeks recorded: {} topics",
        listed.len()
    );
    for t in listed.iter().take(5) {
        println!(
            "    {} [{}] {} to {}, peak ×{:.1}",
            t.label, t.topic_type, t.first_week, t.last_week, t.peak_growth
        );
    }
    print_repeats(&ms);
    let topic_ms = timed.remove(0);
    Ok((topic_ms, timed.remove(0), first, ms))
}
