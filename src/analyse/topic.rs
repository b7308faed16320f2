//! One topic's history (`tricorder topic`), and every topic that trended
//! over a period (`tricorder topics`).
//!
//! A topic report runs in named stages over the items a query matches:
//! [`timeline`] (counts and shares per day or week, from the index's fast
//! fields), [`growth_now`] (the statistic `trends` uses), [`stories_of`]
//! (the matched items clustered into stories), [`voices`] (feeds and
//! authors), [`questions_of`] and [`related`] (phrases that co-occur with
//! the topic more than chance, by log-likelihood with a minimum support).
//! No stage reads item text: the index gives ids, feeds and dates (and the
//! period's phrase counts); the store gives titles, authors, key phrases
//! and the questions found at ingest, for the newest [`ITEMS_READ`] matches.

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::analyse::questions;
use crate::analyse::stories;
use crate::analyse::trends;
use crate::index::{MatchedDoc, SearchError, SearchIndex};
use crate::store::{Store, StoryRow, TopicItemRow, TrendedRow, rfc3339};

/// Under this span the timeline counts days, over it weeks.
pub const DAILY_UNDER_DAYS: i64 = 30;
/// The newest matched items read from the store for stories, authors and
/// questions: a broad topic matches tens of thousands of items over a
/// quarter, and its stories and voices show in its newest ones.
pub const ITEMS_READ: usize = 1000;
/// A phrase must appear in this many of the topic's items to be related.
pub const MIN_SUPPORT: u32 = 3;
/// Phrases whose co-occurrence is measured (the most frequent in the topic).
pub const RELATED_CANDIDATES: usize = 100;
/// The least G² for a related phrase: the 5 % critical value of χ² with
/// one degree of freedom, so that "more than chance" means something.
pub const MIN_LLR: f64 = 3.84;
/// Items in the period from which the period's phrase counts are sampled
/// (one in `items / SAMPLE_FROM`).
pub const SAMPLE_FROM: u64 = 125_000;
/// Related phrases reported.
pub const RELATED_SHOWN: usize = 10;
/// Stories, questions, feeds and authors reported.
pub const STORIES_SHOWN: usize = 20;
pub const QUESTIONS_SHOWN: usize = 20;
pub const VOICES_SHOWN: usize = 10;
/// Stemmed word overlap (intersection over union) from which two weeks'
/// topics are one topic.
pub const SAME_TOPIC: f64 = 0.6;

/// What to report on.
#[derive(Debug, Clone)]
pub struct Params {
    pub query: String,
    pub since: DateTime<Utc>,
    pub as_of: DateTime<Utc>,
    /// The window and baseline of the growth "now", as `trends` uses them.
    pub window: Duration,
    pub baseline: Duration,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bucket {
    /// First day of the bucket (UTC).
    pub start: NaiveDate,
    pub count: u32,
    /// All items in the bucket.
    pub total: u32,
    /// count / total.
    pub share: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Growth {
    pub window_days: i64,
    pub count: u32,
    pub expected: f64,
    pub growth: f64,
    /// ln(lower 95 % bound / expected), as in `trends`.
    pub score: f64,
    /// Whether `trends` would call it rising (score and growth both clear).
    pub rising: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemRef {
    pub title: String,
    pub url: Option<String>,
    pub feed: String,
    pub published: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StoryOut {
    pub label: String,
    pub headline: String,
    pub url: Option<String>,
    pub feeds: Vec<String>,
    pub first_seen: String,
    pub last_seen: String,
    pub items: Vec<ItemRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Voice {
    pub name: String,
    /// The feed an author writes in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feed: Option<String>,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Voices {
    pub feeds: Vec<Voice>,
    pub authors: Vec<Voice>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionOut {
    pub question: String,
    pub sources: Vec<ItemRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Related {
    pub phrase: String,
    /// The trended topic this phrase is the key of, if any.
    pub topic: Option<String>,
    /// Items of the topic that carry the phrase.
    pub together: u32,
    /// Items of the period that carry it.
    pub count: u32,
    /// ln(observed / expected co-occurrence).
    pub pmi: f64,
    /// Dunning's log-likelihood ratio (G²) of the 2×2 table.
    pub llr: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub query: String,
    /// The search query that was run for it.
    pub search: String,
    /// The trended topic the query named, if it named one.
    pub topic: Option<String>,
    pub since: String,
    pub as_of: String,
    /// When the stored items start.
    pub data_from: String,
    pub items: usize,
    /// "day" or "week".
    pub bucket: &'static str,
    pub timeline: Vec<Bucket>,
    pub sparkline: String,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub peak: Option<Bucket>,
    pub now: Growth,
    /// Whether stories, authors and questions come from only the newest
    /// [`ITEMS_READ`] matched items.
    pub sampled: bool,
    pub stories: Vec<StoryOut>,
    pub voices: Voices,
    pub questions: Vec<QuestionOut>,
    pub related: Vec<Related>,
    /// Nearest labels and phrases, when nothing matched.
    pub suggestions: Vec<String>,
}

/// Why a topic cannot be reported.
#[derive(Debug, thiserror::Error)]
pub enum TopicError {
    #[error(transparent)]
    Query(#[from] SearchError),
    #[error("{0}")]
    Period(String),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// Does `query` use search syntax (then it is run as written)?
fn has_syntax(query: &str) -> bool {
    query.contains(['"', ':', '(', ')', '*', '+', '-', '^', '~', '[', ']'])
        || query
            .split_whitespace()
            .any(|w| matches!(w, "AND" | "OR" | "NOT" | "IN"))
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', " "))
}

/// The stemmed words of `s`, sorted and unique.
fn stem_set(index: &SearchIndex, s: &str) -> Vec<String> {
    let mut w = index.stems(s);
    w.sort();
    w.dedup();
    w
}

fn overlap(a: &[String], b: &[String]) -> f64 {
    let inter = a.iter().filter(|w| b.contains(w)).count();
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// The searches a query stands for, most exact first: a trended topic's
/// label and key phrase when the query names one, else the words as a
/// phrase, then all the words anywhere. Syntax is run as written.
pub fn searches(
    index: &SearchIndex,
    query: &str,
    history: &[TrendedRow],
) -> (Vec<String>, Option<String>) {
    let q = query.trim();
    if has_syntax(q) {
        return (vec![q.to_owned()], None);
    }
    // The words in order: "commerce agentic commerce" is not "agentic commerce".
    let want = index.stems(q);
    let latest = |rows: Vec<&TrendedRow>| {
        // The latest window's naming of it.
        rows.into_iter()
            .max_by(|a, b| {
                (a.window_end, a.digest.is_none())
                    .cmp(&(b.window_end, b.digest.is_none()))
                    .then_with(|| b.label.cmp(&a.label))
            })
            .cloned()
    };
    let exact = latest(
        history
            .iter()
            .filter(|r| r.label.eq_ignore_ascii_case(q))
            .collect(),
    );
    let named = exact.or_else(|| {
        latest(
            history
                .iter()
                .filter(|r| index.stems(&r.label) == want || index.stems(&r.key) == want)
                .collect(),
        )
    });
    if let Some(r) = named {
        // The words as given, the label and the key phrase: any of them.
        let mut alts: Vec<String> = Vec::new();
        let mut seen: Vec<Vec<String>> = Vec::new();
        for s in [q, r.label.as_str(), r.key.as_str()] {
            let stems = index.stems(s);
            if !stems.is_empty() && !seen.contains(&stems) {
                seen.push(stems);
                alts.push(quote(s));
            }
        }
        return (vec![alts.join(" OR ")], Some(r.label.clone()));
    }
    let words = q.split_whitespace().count();
    if words > 1 {
        (vec![quote(q), q.to_owned()], None)
    } else {
        (vec![q.to_owned()], None)
    }
}

/// The report on `p.query`, or why there is none.
pub fn report(
    index: &SearchIndex,
    store: &Store,
    history: &[TrendedRow],
    p: &Params,
) -> Result<Report, TopicError> {
    let Some((first, _last)) = store.published_range()? else {
        return Err(TopicError::Period(
            "no items are stored yet: run `tricorder poll` first".into(),
        ));
    };
    let since = p.since.timestamp();
    let to = p.as_of.timestamp();
    if to < first {
        return Err(TopicError::Period(format!(
            "the period ends on {} but the data starts on {}",
            &rfc3339(to)[..10],
            &rfc3339(first)[..10]
        )));
    }
    let started = std::time::Instant::now();
    let lap = |what: &str| {
        tracing::debug!(
            "topic: {what} at {:.0} ms",
            started.elapsed().as_secs_f64() * 1000.0
        )
    };
    let b_from = to - p.window.num_seconds() - p.baseline.num_seconds();
    let from = since.min(b_from + 1);
    let (alternatives, topic) = searches(index, &p.query, history);
    // Syntax errors are the user's, whichever alternative meets them first.
    index.check_query(&alternatives[0])?;
    lap("resolved");
    let mut search = alternatives[0].clone();
    let mut docs = Vec::new();
    for alt in &alternatives {
        docs = index.matching(alt, from, to)?;
        search = alt.clone();
        if docs.iter().any(|d| d.published >= since) {
            break;
        }
    }
    let docs = &docs;
    lap("matched");
    let all = index.published_times(from, to)?;
    lap("all dates read");
    let in_period: Vec<&MatchedDoc> = docs.iter().filter(|d| d.published >= since).collect();
    let (bucket, timeline) = timeline(&in_period, &all, since, to);
    let now = growth_now(docs, &all, p);
    let mut report = Report {
        query: p.query.clone(),
        search,
        topic,
        since: rfc3339(since),
        as_of: rfc3339(to),
        data_from: rfc3339(first),
        items: in_period.len(),
        bucket,
        sparkline: sparkline(&timeline),
        first_seen: in_period.first().map(|d| rfc3339(d.published)),
        last_seen: in_period.last().map(|d| rfc3339(d.published)),
        peak: timeline
            .iter()
            .filter(|b| b.count > 0)
            // The highest count; on a tie the earlier bucket.
            .min_by(|a, b| b.count.cmp(&a.count).then(a.start.cmp(&b.start)))
            .cloned(),
        timeline,
        now,
        sampled: in_period.len() > ITEMS_READ,
        stories: Vec::new(),
        voices: Voices {
            feeds: Vec::new(),
            authors: Vec::new(),
        },
        questions: Vec::new(),
        related: Vec::new(),
        suggestions: Vec::new(),
    };
    if in_period.is_empty() {
        report.suggestions = suggestions(index, &p.query, history)?;
        return Ok(report);
    }
    let newest: Vec<i64> = in_period
        .iter()
        .rev()
        .take(ITEMS_READ)
        .map(|d| d.id)
        .collect();
    let mut rows = store.topic_items(&newest)?;
    lap("rows read");
    // Publication time, then feed URL and guid: the order stories need,
    // and never row ids.
    rows.sort_by(|a, b| {
        a.published
            .cmp(&b.published)
            .then_with(|| a.feed_url.cmp(&b.feed_url))
            .then_with(|| a.guid.cmp(&b.guid))
    });
    let feed_names: HashMap<i64, String> = store
        .feeds()?
        .into_iter()
        .map(|f| (f.id, f.display_name().to_owned()))
        .collect();
    report.stories = stories_of(&rows)?;
    lap("stories");
    report.voices = voices(&in_period, &rows, &feed_names);
    report.questions = questions_of(&rows);
    let n_period = all.iter().filter(|t| **t >= since).count() as u64;
    report.related = related(index, &rows, n_period, (since, to), p, history)?;
    lap("related");
    Ok(report)
}

/// Stage: mentions per bucket, against all items per bucket. Buckets end
/// at `to` and run back to `since`.
fn timeline(docs: &[&MatchedDoc], all: &[i64], since: i64, to: i64) -> (&'static str, Vec<Bucket>) {
    let span = (to - since).max(1);
    let (name, size) = if span < DAILY_UNDER_DAYS * 86_400 {
        ("day", 86_400)
    } else {
        ("week", 7 * 86_400)
    };
    let n = ((span + size - 1) / size) as usize;
    // Bucket i covers (to - (n-i)·size, to - (n-i-1)·size].
    let at = |t: i64| -> Option<usize> {
        if t < since || t > to {
            return None;
        }
        let back = ((to - t) / size) as usize;
        (back < n).then(|| n - 1 - back)
    };
    let mut counts = vec![0u32; n];
    let mut totals = vec![0u32; n];
    for d in docs {
        if let Some(i) = at(d.published) {
            counts[i] += 1;
        }
    }
    for &t in all {
        if let Some(i) = at(t) {
            totals[i] += 1;
        }
    }
    let buckets = (0..n)
        .map(|i| {
            let start = to - (n - i) as i64 * size + 1;
            Bucket {
                start: DateTime::<Utc>::from_timestamp(start.max(since), 0)
                    .unwrap_or_default()
                    .date_naive(),
                count: counts[i],
                total: totals[i],
                share: if totals[i] == 0 {
                    0.0
                } else {
                    counts[i] as f64 / totals[i] as f64
                },
            }
        })
        .collect();
    (name, buckets)
}

/// Eight levels of share, highest bucket full.
fn sparkline(buckets: &[Bucket]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = buckets.iter().map(|b| b.share).fold(0.0, f64::max);
    buckets
        .iter()
        .map(|b| {
            if b.count == 0 || max == 0.0 {
                ' '
            } else {
                BARS[((b.share / max) * 7.0).round() as usize]
            }
        })
        .collect()
}

/// Stage: growth in the last window against the baseline before it, with
/// the statistic of `trends` (here in items: the topic is given, so there
/// are no stories to count units by).
fn growth_now(docs: &[MatchedDoc], all: &[i64], p: &Params) -> Growth {
    let to = p.as_of.timestamp();
    let w_from = to - p.window.num_seconds();
    let b_from = w_from - p.baseline.num_seconds();
    let in_w = |t: i64| t > w_from && t <= to;
    let in_b = |t: i64| t > b_from && t <= w_from;
    let x = docs.iter().filter(|d| in_w(d.published)).count() as u32;
    let y = docs.iter().filter(|d| in_b(d.published)).count() as u32;
    let n_w = all.iter().filter(|t| in_w(**t)).count() as u64;
    let n_b = all.iter().filter(|t| in_b(**t)).count() as u64;
    let (score, expected, growth) = trends::score(x, y, n_w, n_b);
    Growth {
        window_days: p.window.num_days(),
        count: x,
        expected,
        growth,
        score,
        rising: score >= trends::MIN_SCORE && growth >= trends::MIN_GROWTH,
    }
}

fn item_ref(r: &TopicItemRow) -> ItemRef {
    ItemRef {
        title: r.title.clone(),
        url: r.url.clone(),
        feed: r.feed.clone(),
        published: rfc3339(r.published),
    }
}

/// Stage: the matched items clustered into stories, newest first.
fn stories_of(rows: &[TopicItemRow]) -> Result<Vec<StoryOut>> {
    let story_rows: Vec<StoryRow> = rows
        .iter()
        .map(|r| StoryRow {
            id: r.id,
            feed_id: r.feed_id,
            feed_url: r.feed_url.as_str().into(),
            feed: r.feed.as_str().into(),
            guid: r.guid.clone(),
            url: r.url.clone(),
            title: r.title.clone(),
            published: r.published,
            phrase_ids: crate::store::phrase_ids(&r.phrases),
        })
        .collect();
    let phrases_of = |ids: &[i64]| -> Result<FxHashMap<i64, Vec<String>>> {
        let wanted: std::collections::HashSet<i64> = ids.iter().copied().collect();
        Ok(rows
            .iter()
            .filter(|r| wanted.contains(&r.id))
            .map(|r| (r.id, r.phrases.clone()))
            .collect())
    };
    let clustering = stories::cluster_rows(&story_rows, 2, &phrases_of)?;
    let by_id: HashMap<i64, &TopicItemRow> = rows.iter().map(|r| (r.id, r)).collect();
    let mut out: Vec<(i64, StoryOut)> = clustering
        .stories
        .iter()
        .map(|s| {
            let mut items: Vec<&TopicItemRow> = s
                .item_ids()
                .filter_map(|id| by_id.get(&id).copied())
                .collect();
            items.sort_by(|a, b| {
                b.published
                    .cmp(&a.published)
                    .then_with(|| a.guid.cmp(&b.guid))
            });
            let story = StoryOut {
                label: s.label.clone(),
                headline: s.headline.clone(),
                url: s.url.clone(),
                feeds: s.feeds.clone(),
                first_seen: s.first_seen.clone(),
                last_seen: s.last_seen.clone(),
                items: items.iter().map(|r| item_ref(r)).collect(),
            };
            (s.last, story)
        })
        .collect();
    out.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.feeds.len().cmp(&a.1.feeds.len()))
            .then_with(|| a.1.headline.cmp(&b.1.headline))
    });
    Ok(out.into_iter().map(|(_, s)| s).collect())
}

/// Stage: the feeds (over every matched item) and the authors (over the
/// items read) that write about it most.
fn voices(docs: &[&MatchedDoc], rows: &[TopicItemRow], names: &HashMap<i64, String>) -> Voices {
    let mut feeds: HashMap<&str, u32> = HashMap::new();
    for d in docs {
        if let Some(n) = names.get(&d.feed_id) {
            *feeds.entry(n.as_str()).or_default() += 1;
        }
    }
    let mut authors: HashMap<(String, &str), u32> = HashMap::new();
    for r in rows {
        if let Some(a) = r.author.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
            *authors.entry((a.to_owned(), r.feed.as_str())).or_default() += 1;
        }
    }
    let mut feeds: Vec<Voice> = feeds
        .into_iter()
        .map(|(n, c)| Voice {
            name: n.to_owned(),
            feed: None,
            count: c,
        })
        .collect();
    feeds.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    let mut authors: Vec<Voice> = authors
        .into_iter()
        .map(|((a, f), c)| Voice {
            name: a,
            feed: Some(f.to_owned()),
            count: c,
        })
        .collect();
    authors.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.feed.cmp(&b.feed))
    });
    Voices { feeds, authors }
}

/// Stage: the questions the matched items ask, the same question from
/// several items once with every source; asked most, then newest, first.
fn questions_of(rows: &[TopicItemRow]) -> Vec<QuestionOut> {
    let mut groups: Vec<(String, QuestionOut, i64)> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for r in rows.iter().rev() {
        for q in &r.questions {
            let norm = questions::normalise(q);
            match at.get(&norm) {
                Some(&i) => groups[i].1.sources.push(item_ref(r)),
                None => {
                    at.insert(norm.clone(), groups.len());
                    groups.push((
                        norm,
                        QuestionOut {
                            question: q.clone(),
                            sources: vec![item_ref(r)],
                        },
                        r.published,
                    ));
                }
            }
        }
    }
    groups.sort_by(|a, b| {
        b.1.sources
            .len()
            .cmp(&a.1.sources.len())
            .then(b.2.cmp(&a.2))
            .then_with(|| a.0.cmp(&b.0))
    });
    groups.into_iter().map(|g| g.1).collect()
}

/// Dunning's G² for a 2×2 table: `a` items with both, `b` the topic
/// without the phrase, `c` the phrase without the topic, `d` neither.
fn llr(a: f64, b: f64, c: f64, d: f64) -> f64 {
    let n = a + b + c + d;
    let term = |o: f64, e: f64| {
        if o > 0.0 && e > 0.0 {
            o * (o / e).ln()
        } else {
            0.0
        }
    };
    let (r1, r2, c1, c2) = (a + b, c + d, a + c, b + d);
    2.0 * (term(a, r1 * c1 / n)
        + term(b, r1 * c2 / n)
        + term(c, r2 * c1 / n)
        + term(d, r2 * c2 / n))
}

/// Stage: phrases found with the topic more often than chance, strongest
/// (by G²) first, each in at least [`MIN_SUPPORT`] of its items; the
/// topic's own words are left out.
fn related(
    index: &SearchIndex,
    rows: &[TopicItemRow],
    n_all: u64,
    (since, to): (i64, i64),
    p: &Params,
    history: &[TrendedRow],
) -> Result<Vec<Related>> {
    let own = stem_set(index, &p.query);
    // Co-occurrence among the items read (all of a topic's items up to
    // [`ITEMS_READ`], its newest beyond), from the phrases stored with them.
    let n_topic = rows.len() as u64;
    let mut together: HashMap<&str, u32> = HashMap::new();
    for r in rows {
        for ph in &r.phrases {
            *together.entry(ph.as_str()).or_default() += 1;
        }
    }
    let mut cands: Vec<(&str, u32)> = together
        .into_iter()
        .filter(|(_, c)| *c >= MIN_SUPPORT)
        .collect();
    cands.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    // A broad topic has thousands of phrases with support: only the most
    // frequent are stemmed and counted across the period.
    cands.truncate(2 * RELATED_CANDIDATES);
    cands.retain(|(k, _)| {
        let s = stem_set(index, k);
        // Neither part of the query nor containing it.
        !(s.iter().all(|w| own.contains(w)) || own.iter().all(|w| s.contains(w)))
    });
    cands.truncate(RELATED_CANDIDATES);
    let keys: Vec<String> = cands.iter().map(|(k, _)| (*k).to_owned()).collect();
    // Over a large period, a phrase's share is measured on a sample of
    // the period's items (chosen by publication time): a few per cent of
    // error in the expected count, for an eighth of the reading.
    let rate = (n_all / SAMPLE_FROM).max(1);
    let (counts, sampled) = index.phrase_counts(&keys, since, to, rate)?;
    let scale = n_all as f64 / sampled.max(1) as f64;
    let n = n_all.max(1) as f64;
    let m = n_topic as f64;
    let topic_of: HashMap<&str, &str> = history
        .iter()
        .map(|r| (r.key.as_str(), r.label.as_str()))
        .collect();
    let mut out: Vec<Related> = cands
        .iter()
        .zip(counts)
        .map(|((k, a), count)| {
            let a = *a as f64;
            let np = (count as f64 * scale).round().max(a);
            Related {
                phrase: (*k).to_owned(),
                topic: topic_of.get(k).map(|l| (*l).to_owned()),
                together: a as u32,
                count: np as u32,
                pmi: (a * n / (m * np)).ln(),
                llr: llr(a, m - a, np - a, (n - m - np + a).max(0.0)),
            }
        })
        .filter(|r| r.pmi > 0.0 && r.llr >= MIN_LLR)
        .collect();
    out.sort_by(|a, b| {
        b.llr
            .total_cmp(&a.llr)
            .then_with(|| a.phrase.cmp(&b.phrase))
    });
    out.truncate(RELATED_SHOWN);
    Ok(out)
}

/// Labels of trended topics and phrases of the index spelled most like
/// `query`, nearest first.
fn suggestions(index: &SearchIndex, query: &str, history: &[TrendedRow]) -> Result<Vec<String>> {
    let want = query.to_lowercase();
    let mut scored: Vec<(String, f64)> = Vec::new();
    for r in history {
        let sim = strsim::jaro_winkler(&want, &r.label.to_lowercase());
        scored.push((r.label.clone(), sim));
    }
    scored.extend(index.nearest_phrases(query, 5, 0.8)?);
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut seen = HashSet::new();
    Ok(scored
        .into_iter()
        .filter(|(s, sim)| *sim >= 0.7 && seen.insert(s.to_lowercase()))
        .map(|(s, _)| s)
        .take(5)
        .collect())
}

/// The command that shows a topic, as the other verbs print it.
pub fn command(label: &str) -> String {
    format!("tricorder topic {}", shell_quote(label))
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

// ---- topics: the history --------------------------------------------------------

/// The ends of the weekly windows (Sunday 23:59:59 UTC) in `(since, as_of]`,
/// oldest first: the closed weeks `topics` looks at.
pub fn week_ends(since: DateTime<Utc>, as_of: DateTime<Utc>) -> Vec<i64> {
    let d = as_of.date_naive();
    let back = d.weekday().num_days_from_sunday() as i64;
    let mut end = (d - Duration::days(back))
        .and_hms_opt(23, 59, 59)
        .expect("valid time")
        .and_utc();
    if end > as_of {
        end -= Duration::days(7);
    }
    let mut out = Vec::new();
    while end > since {
        out.push(end.timestamp());
        end -= Duration::days(7);
    }
    out.reverse();
    out
}

/// ISO week of a window ending at `end`, and the date its week starts.
fn week_of(end: i64) -> (String, NaiveDate) {
    let d = DateTime::<Utc>::from_timestamp(end, 0)
        .unwrap_or_default()
        .date_naive();
    let w = d.iso_week();
    let monday = d - Duration::days(d.weekday().num_days_from_monday() as i64);
    (format!("{}-W{:02}", w.year(), w.week()), monday)
}

/// A topic as it trended over a period: every week's row of it merged.
#[derive(Debug, Clone, Serialize)]
pub struct Trended {
    pub label: String,
    pub key: String,
    /// "story" or "theme".
    pub kind: String,
    #[serde(rename = "type")]
    pub topic_type: String,
    /// ISO weeks it trended in, and the Monday the first and last start on.
    pub weeks: Vec<String>,
    pub first_week: NaiveDate,
    pub last_week: NaiveDate,
    pub peak_growth: f64,
    /// Digest periods that carried it.
    pub digests: Vec<String>,
    pub phrases: Vec<String>,
    pub command: String,
}

/// Week ends in `(since, as_of]` (and the open week's, `as_of` rounded up
/// to the hour so that a default "now" is computed once an hour) whose
/// trends are not recorded, or whose items changed since: `(end, items)`.
/// Also returns the open week's end.
pub fn weeks_due(
    store: &Store,
    window: Duration,
    since: DateTime<Utc>,
    as_of: DateTime<Utc>,
) -> Result<(Vec<(i64, i64)>, i64)> {
    let first = store.published_range()?.map_or(i64::MAX, |r| r.0);
    let recorded: HashMap<i64, i64> = store
        .trend_windows(since.timestamp(), as_of.timestamp() + 3600)?
        .into_iter()
        .collect();
    let mut due = Vec::new();
    let mut ends = week_ends(since, as_of);
    let open_end = {
        let t = as_of.timestamp();
        t - t.rem_euclid(3600) + 3599
    };
    if ends.last() != Some(&open_end) && ends.last() != Some(&as_of.timestamp()) {
        ends.push(open_end);
    }
    for end in ends {
        // A week that ends before the first item has nothing to say.
        if end < first {
            continue;
        }
        let items = store.count_items_between(end - window.num_seconds(), end)?;
        if recorded.get(&end) != Some(&items) {
            due.push((end, items));
        }
    }
    Ok((due, open_end))
}

/// Computes the trends of the `due` weeks (see [`weeks_due`]) with `p`
/// (its `as_of` aside) and keeps them, so that `topics` reads them back
/// instead of computing a quarter of weeks each time. The daemon does this
/// after each digest, so a user's `topics` rarely has to.
pub fn record_weeks(
    store: &mut Store,
    index: &SearchIndex,
    p: &trends::Params,
    due: &[(i64, i64)],
) -> Result<()> {
    for &(end, items) in due {
        let p = trends::Params {
            as_of: DateTime::<Utc>::from_timestamp(end, 0).unwrap_or_default(),
            ..p.clone()
        };
        let topics = trends::trends(index, store, &p)?;
        let rows: Vec<TrendedRow> = topics.iter().map(|t| row_of(t, end, None)).collect();
        if let Err(e) = store.record_trended(end, items, None, &rows, Utc::now().timestamp()) {
            // A read-only copy still answers, computing again next time.
            tracing::warn!("cannot keep the trends of {}: {e:#}", rfc3339(end));
        }
    }
    Ok(())
}

/// Rows of the same topic across windows merged into one (same stemmed
/// key or label, or labels and keys sharing [`SAME_TOPIC`] of their
/// stemmed words), most recent and strongest first. `query`, if given,
/// keeps topics whose label and phrases hold all its stemmed words.
pub fn merge_history(
    index: &SearchIndex,
    rows: &[TrendedRow],
    query: Option<&str>,
) -> Vec<Trended> {
    let stems: Vec<(Vec<String>, Vec<String>)> = rows
        .iter()
        .map(|r| (stem_set(index, &r.key), stem_set(index, &r.label)))
        .collect();
    // Union-find over rows.
    let mut parent: Vec<usize> = (0..rows.len()).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for i in 0..rows.len() {
        for j in 0..i {
            let (ki, li) = &stems[i];
            let (kj, lj) = &stems[j];
            let same = ki == kj
                || li == lj
                || overlap(li, lj) >= SAME_TOPIC
                || overlap(ki, kj) >= SAME_TOPIC;
            if same {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                if a != b {
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..rows.len() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    let want = query.map(|q| stem_set(index, q));
    let mut out: Vec<(i64, Trended)> = groups
        .into_values()
        .filter_map(|members| {
            let rs: Vec<&TrendedRow> = members.iter().map(|&i| &rows[i]).collect();
            if let Some(want) = &want {
                let mut words: HashSet<String> = HashSet::new();
                for r in &rs {
                    words.extend(stem_set(index, &r.label));
                    for ph in &r.phrases {
                        words.extend(stem_set(index, ph));
                    }
                }
                if !want.iter().all(|w| words.contains(w)) {
                    return None;
                }
            }
            // Named as in its strongest week; ties by the later week, then label.
            let best = rs.iter().copied().max_by(|a, b| {
                a.score
                    .total_cmp(&b.score)
                    .then(a.window_end.cmp(&b.window_end))
                    .then_with(|| b.label.cmp(&a.label))
            })?;
            let mut ends: Vec<i64> = rs.iter().map(|r| r.window_end).collect();
            ends.sort_unstable();
            ends.dedup();
            let mut weeks: Vec<String> = ends.iter().map(|e| week_of(*e).0).collect();
            weeks.dedup();
            let mut digests: Vec<String> = rs.iter().filter_map(|r| r.digest.clone()).collect();
            digests.sort();
            digests.dedup();
            let mut phrases: Vec<String> =
                rs.iter().flat_map(|r| r.phrases.iter().cloned()).collect();
            phrases.sort();
            phrases.dedup();
            let last = *ends.last()?;
            Some((
                last,
                Trended {
                    label: best.label.clone(),
                    key: best.key.clone(),
                    kind: best.kind.clone(),
                    topic_type: best.topic_type.clone(),
                    weeks,
                    first_week: week_of(ends[0]).1,
                    last_week: week_of(last).1,
                    peak_growth: rs.iter().map(|r| r.growth).fold(0.0, f64::max),
                    digests,
                    phrases,
                    command: command(&best.label),
                },
            ))
        })
        .collect();
    out.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.peak_growth.total_cmp(&a.1.peak_growth))
            .then_with(|| a.1.label.cmp(&b.1.label))
    });
    out.into_iter().map(|(_, t)| t).collect()
}

/// A trended topic as the history records it.
pub fn row_of(t: &trends::Topic, window_end: i64, digest: Option<&str>) -> TrendedRow {
    TrendedRow {
        window_end,
        key: t.key.clone(),
        label: t.label.clone(),
        kind: match t.kind {
            trends::Kind::Story => "story",
            trends::Kind::Theme => "theme",
        }
        .to_owned(),
        topic_type: t.topic_type.as_str().to_owned(),
        growth: t.growth,
        score: t.score,
        phrases: t.phrase_keys.clone(),
        digest: digest.map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_end_on_sundays_within_the_period() {
        let as_of = DateTime::parse_from_rfc3339("2026-10-21T12:00:00Z")
            .unwrap()
            .to_utc();
        let ends = week_ends(as_of - Duration::days(21), as_of);
        let days: Vec<String> = ends.iter().map(|e| rfc3339(*e)).collect();
        assert_eq!(
            days,
            [
                "2026-10-04T23:59:59Z",
                "2026-10-11T23:59:59Z",
                "2026-10-18T23:59:59Z"
            ]
        );
        assert_eq!(
            week_of(ends[2]),
            (
                "2026-W42".to_owned(),
                NaiveDate::from_ymd_opt(2026, 10, 12).unwrap()
            )
        );
    }

    #[test]
    fn llr_is_zero_for_independence_and_grows_with_association() {
        assert!(llr(10.0, 90.0, 90.0, 810.0).abs() < 1e-9);
        assert!(llr(50.0, 50.0, 50.0, 850.0) > 50.0);
    }

    #[test]
    fn commands_quote_what_a_shell_would_split() {
        assert_eq!(command("ctv"), "tricorder topic ctv");
        assert_eq!(
            command("Kestrel's deal"),
            "tricorder topic 'Kestrel'\\''s deal'"
        );
    }

    #[test]
    fn syntax_is_recognised() {
        assert!(has_syntax("title:seo"));
        assert!(has_syntax("seo OR geo"));
        assert!(!has_syntax("synthetic focus groups"));
    }
}
