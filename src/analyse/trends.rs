//! Trending topics: stories and themes whose weight in the window is well
//! above their own baseline, in several feeds, with their evidence.
//!
//! A topic is one of two kinds:
//! - a **story**: one event that several feeds carry and the baseline never
//!   saw (see [`super::stories`]);
//! - a **theme**: a phrase rising across several stories ("agentic
//!   commerce", "answer engine optimization").
//!
//! Evidence is counted in *units*: one feed's coverage of one story counts
//! once, however many items and syndicated copies it has. One feed's
//! template or one republished article therefore cannot make a topic.
//!
//! The analysis runs in named stages, each a function below:
//!
//! 1. [`candidates`]: every phrase of the window's items, counted from the
//!    index's `phrases` fast field (term ordinals, never item text); those
//!    with enough items go on: a superset of what can trend, whatever the
//!    segment layout, so the answer does not depend on it.
//! 2. [`tally`]: the candidates recounted per feed in the window W (with
//!    the items, for the units) and in the baseline B.
//! 3. [`score_themes`]: units in W against the phrase's smoothed share of
//!    B: expected = n_W × (b + ½) / (n_B + 1), floored at [`FLOOR_SHARE`]
//!    of W. Score = ln(L / expected), L the one-sided 95 % lower Poisson
//!    bound of the observed units (Wilson–Hilferty): growth, discounted for
//!    small numbers. One feed's units are capped.
//! 4. [`score_stories`]: a story's units (its feeds, follow-ups capped) are
//!    scored the same way against the baseline share of its most specific
//!    shared phrase, so a daily market report that several feeds run is
//!    steady, not new.
//! 5. [`merge`]: themes that mostly live inside one story join it; themes
//!    that explain the same items merge ("generative ai" absorbs "ai").
//! 6. [`finish`]: labels a reader recognises (see [`super::labels`]),
//!    types ([`super::types`]), evidence and daily counts.

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use tantivy::SegmentReader;
use tantivy::columnar::StrColumn;

use crate::analyse::labels;
use crate::analyse::phrases;
use crate::analyse::stories::{self, Clustering, Story};
use crate::analyse::types::{self, TopicType};
use crate::config::AnalysisConfig;
use crate::index::SearchIndex;
use crate::store::{Store, rfc3339};

/// A phrase is never expected to have fewer than this share of W's units:
/// in a corpus of 200,000 items a week, thousands of n-grams are new each
/// week and reach ten items by chance, and a zero baseline must not make
/// each of them a "trend".
pub const FLOOR_SHARE: f64 = 1.0 / 2000.0;
/// The least a story is expected to have, in feeds: several outlets do not
/// report the same new event by chance, so the phrase floor (which grows
/// with the corpus) does not apply; half a feed keeps the score finite.
pub const STORY_FLOOR: f64 = 0.5;
/// A story whose most novel phrase grew this much (window share over
/// baseline share) counts as wholly new; less growth discounts its score.
pub const NOVEL_GROWTH: f64 = 4.0;
/// Fewer baseline items than this say nothing about whether a story is new.
pub const MIN_BASELINE_ITEMS: u64 = 50;
/// Fewest items in W for a phrase to be a candidate.
pub const MIN_COUNT: u32 = 3;
/// Fewest distinct stories a theme must rise across: fewer is a story (or
/// a template repeated in a handful of items), not a theme.
pub const MIN_THEME_STORIES: usize = 4;
/// Observed / expected below this is not a trend, however significant.
pub const MIN_GROWTH: f64 = 1.5;
/// One feed counts for at most this many units per seven days.
pub const FEED_CAP_PER_WEEK: f64 = 4.0;
/// Items of one story from one feed that count (a report and one follow-up).
pub const STORY_ITEMS_PER_FEED: usize = 2;
/// Topics scoring below this (ln 2: the lower bound of the count is under
/// twice the expected count) are not reported.
pub const MIN_SCORE: f64 = std::f64::consts::LN_2;
/// A theme whose window items lie at least this much inside one story is
/// that story's phrase, not a theme of its own.
pub const INSIDE_STORY: f64 = 0.5;
/// Related phrases shown per topic, besides the label.
pub const RELATED_SHOWN: usize = 6;
/// A single word's score counts this much when themes are seeded.
pub const SINGLE_WORD_DISCOUNT: f64 = 0.5;
/// Items read to label a theme and pick its evidence.
pub const EVIDENCE_SAMPLE: usize = 400;
/// Evidence items shown per topic.
pub const EVIDENCE: usize = 5;
/// Stories listed per topic.
pub const STORIES_SHOWN: usize = 5;
/// z for the one-sided 95 % lower bound.
const Z: f64 = 1.645;

#[derive(Debug, Clone)]
pub struct Params {
    pub as_of: DateTime<Utc>,
    pub window: Duration,
    pub baseline: Duration,
    pub min_feeds: usize,
    pub max_topics: usize,
}

impl Params {
    /// The configured analysis (`[analysis]`), as of `as_of`.
    pub fn from_config(a: &AnalysisConfig, as_of: DateTime<Utc>) -> Result<Params> {
        Ok(Params {
            as_of,
            window: Duration::from_std(a.window)?,
            baseline: Duration::from_std(a.baseline)?,
            min_feeds: a.min_feeds,
            max_topics: a.max_topics,
        })
    }

    pub fn stories(&self) -> stories::Params {
        stories::Params {
            as_of: self.as_of,
            window: self.window,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// One event, several feeds.
    Story,
    /// A phrase rising across several stories.
    Theme,
}

#[derive(Debug, Clone, Serialize)]
pub struct DayCount {
    pub date: NaiveDate,
    pub count: u32,
    /// True for days inside the window W.
    pub window: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// Row id: differs between data folders, so never shown.
    #[serde(skip)]
    pub id: i64,
    pub title: String,
    pub url: Option<String>,
    pub feed: String,
    pub published: String,
}

/// A story as a topic lists it.
#[derive(Debug, Clone, Serialize)]
pub struct StoryRef {
    pub headline: String,
    pub url: Option<String>,
    pub feeds: Vec<String>,
    pub items: usize,
    pub first_seen: String,
    pub last_seen: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Topic {
    /// What a reader calls it, as people write it ("TikTok Shop").
    pub label: String,
    /// Its normalised key ("tiktok shop").
    pub key: String,
    pub kind: Kind,
    #[serde(rename = "type")]
    pub topic_type: TopicType,
    /// The most central title: the story's, or the theme's best item's.
    pub headline: String,
    pub score: f64,
    /// Units in W: one feed's coverage of one story counts once, and one
    /// feed's units are capped.
    pub count: u32,
    /// Units W would have had at the baseline rate.
    pub expected: f64,
    pub growth: f64,
    /// Distinct feeds in W.
    pub feeds: usize,
    /// Items per day mentioning any of the topic's phrases, baseline then window.
    pub daily: Vec<DayCount>,
    /// The label, then related phrases.
    pub phrases: Vec<String>,
    #[serde(skip)]
    pub phrase_keys: Vec<String>,
    /// How many stories carry it in W.
    pub story_count: usize,
    /// The stories that carry it, biggest first (at most [`STORIES_SHOWN`]).
    pub stories: Vec<StoryRef>,
    /// The best items, from different feeds first.
    pub items: Vec<Evidence>,
    /// Every item of the topic in W.
    #[serde(skip)]
    pub item_ids: Vec<i64>,
    /// The story, for a story topic: its index in the clustering.
    #[serde(skip)]
    pub story: Option<usize>,
}

/// Per-candidate tallies.
#[derive(Default, Clone)]
struct Tally {
    key: String,
    per_feed_b: HashMap<i64, u32>,
    /// (item id, feed id) in W.
    docs_w: Vec<(i64, i64)>,
}

#[derive(Clone, Copy)]
struct PhraseStats {
    count: u32,
    expected: f64,
    growth: f64,
    feeds: usize,
}

/// A scored phrase or story, before merging.
struct Scored {
    key: String,
    score: f64,
    count: u32,
    expected: f64,
    growth: f64,
    feeds: usize,
    docs: HashSet<i64>,
    /// Index of the story, for story topics.
    story: Option<usize>,
}

/// One document's columns, read once.
struct DocView {
    id: i64,
    feed: i64,
    published: i64,
}

/// The window W = (w_from, to] and the baseline B = (b_from, w_from].
#[derive(Clone, Copy)]
struct Span {
    b_from: i64,
    w_from: i64,
    to: i64,
}

impl Span {
    fn new(p: &Params) -> Span {
        let to = p.as_of.timestamp();
        let w_from = to - p.window.num_seconds();
        Span {
            b_from: w_from - p.baseline.num_seconds(),
            w_from,
            to,
        }
    }
}

/// Visits every live document published in `(from, to]`.
fn for_each_doc(
    index: &SearchIndex,
    from: i64,
    to: i64,
    mut f: impl FnMut(usize, &StrColumn, &DocView, &mut dyn Iterator<Item = u64>),
) -> Result<()> {
    let searcher = index.searcher();
    for (seg_no, seg) in searcher.segment_readers().iter().enumerate() {
        for_each_doc_in(seg, from, to, |phrases, view, ords| {
            f(seg_no, phrases, view, ords)
        })?;
    }
    Ok(())
}

/// [`for_each_doc`] within one segment.
fn for_each_doc_in(
    seg: &SegmentReader,
    from: i64,
    to: i64,
    mut f: impl FnMut(&StrColumn, &DocView, &mut dyn Iterator<Item = u64>),
) -> Result<()> {
    let ff = seg.fast_fields();
    let Some(phrases) = ff.str("phrases")? else {
        return Ok(());
    };
    let ids = ff.i64("id")?;
    let feeds = ff.i64("feed_id")?;
    let dates = ff.date("published")?;
    for doc in seg.doc_ids_alive() {
        let Some(p) = dates.first(doc).map(|d| d.into_timestamp_secs()) else {
            continue;
        };
        if p <= from || p > to {
            continue;
        }
        let view = DocView {
            id: ids.first(doc).unwrap_or(0),
            feed: feeds.first(doc).unwrap_or(0),
            published: p,
        };
        let mut ords = phrases.term_ords(doc);
        f(&phrases, &view, &mut ords);
    }
    Ok(())
}

/// Computes the trending topics as of `p.as_of`.
pub fn trends(index: &SearchIndex, store: &Store, p: &Params) -> Result<Vec<Topic>> {
    let span = Span::new(p);
    let started = std::time::Instant::now();
    // Counting phrases reads the index; clustering stories reads the store.
    // Neither needs the other, so they run side by side.
    let (counted, clustering) = std::thread::scope(|scope| {
        let counting = scope.spawn(|| -> Result<Option<(Candidates, Tallied)>> {
            let Some(cands) = candidates(index, span, p)? else {
                return Ok(None);
            };
            let candidates_at = started.elapsed();
            let tallied = tally(index, span, &cands.keys)?;
            tracing::debug!(
                keys = cands.keys.len(),
                "trends: candidates in {:.0} ms, counted by {:.0} ms",
                candidates_at.as_secs_f64() * 1000.0,
                started.elapsed().as_secs_f64() * 1000.0
            );
            Ok(Some((cands, tallied)))
        });
        let clustering = stories::cluster(store, &p.stories(), p.min_feeds);
        let counted = counting
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (counted, clustering)
    });
    let (Some((cands, tallied)), mut clustering) = (counted?, clustering?) else {
        return Ok(Vec::new());
    };
    tracing::debug!(
        "trends: stories and phrase counts in {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    rank(index, store, p, span, &mut clustering, cands, tallied)
}

/// Stages 3 to 6 over the counted phrases and the clustered stories; the
/// stories that become topics are described (label checked against the
/// bodies, type) in place.
fn rank(
    index: &SearchIndex,
    store: &Store,
    p: &Params,
    span: Span,
    clustering: &mut Clustering,
    cands: Candidates,
    mut tallied: Tallied,
) -> Result<Vec<Topic>> {
    let started = std::time::Instant::now();
    let lap = |what: &str| {
        tracing::debug!(
            "trends: {what} at {:.0} ms",
            started.elapsed().as_secs_f64() * 1000.0
        )
    };
    // Story topics need their phrases counted in the baseline too: those
    // the candidates did not cover get a (cheap, few-key) pass of their own.
    let story_min_feeds = p.min_feeds.max(2);
    let story_keys: Vec<(usize, Vec<String>)> = clustering
        .stories
        .iter()
        .enumerate()
        .filter(|(_, s)| s.event && s.feed_ids.len() >= story_min_feeds)
        .map(|(i, s)| (i, novelty_keys(s)))
        .collect();
    let mut extra: Vec<String> = story_keys
        .iter()
        .flat_map(|(_, k)| k.iter().cloned())
        .filter(|k| cands.keys.binary_search(k).is_err())
        .collect();
    extra.sort();
    extra.dedup();
    if !extra.is_empty() {
        tallied.tallies.extend(tally(index, span, &extra)?.tallies);
    }
    lap("story phrases counted");
    let units = Units::new(p, span, clustering, tallied.n_w_docs);
    // Each tally's (units in W, capped items in B, feeds), counted once for
    // the theme scores and the phrase stats both.
    let counted: Vec<(u32, u32, usize)> = tallied
        .tallies
        .par_iter()
        .map(|t| units.of(t, clustering))
        .collect();
    let mut scored = score_themes(&tallied, &counted, &units, clustering, p, cands.min_count);
    let stats: HashMap<String, PhraseStats> = tallied
        .tallies
        .iter()
        .zip(&counted)
        .map(|(t, &(x, y, feeds))| {
            let (_, expected, growth) = score(x, y, units.n_w, tallied.n_b);
            (
                t.key.clone(),
                PhraseStats {
                    count: x,
                    expected,
                    growth,
                    feeds,
                },
            )
        })
        .collect();
    let story_scored = score_stories(clustering, &story_keys, &tallied);
    lap("scores");
    scored.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.key.cmp(&b.key)));
    let mut topics = merge(scored, story_scored, clustering, p);
    for t in &mut topics {
        if let Some(si) = t.story {
            let s = &mut clustering.stories[si];
            stories::describe(store, s)?;
            t.label = s.label.clone();
            t.topic_type = s.kind;
        }
        finish(store, t, &stats, clustering)?;
    }
    lap("finish");
    topics.retain(|t| !t.label.is_empty() && t.score >= MIN_SCORE);
    topics.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.key.cmp(&b.key)));
    // Two topics can end up sharing a label when a broad phrase joins each.
    let mut seen = HashSet::new();
    topics.retain(|t| seen.insert(t.key.clone()));
    topics.truncate(p.max_topics);
    daily_counts(index, &mut topics, span)?;
    Ok(topics)
}

/// Stage 1's output: candidate keys and the count they had to reach.
struct Candidates {
    keys: Vec<String>,
    min_count: u32,
}

/// Stage 1: phrases with at least `min_count` items in W, possibly in more
/// than one feed. A superset of what can trend (stage 2 counts exactly);
/// `None` when W is empty.
fn candidates(index: &SearchIndex, span: Span, p: &Params) -> Result<Option<Candidates>> {
    let searcher = index.searcher();
    let segments = searcher.segment_readers().len();
    // Per segment, every (phrase ordinal, feed) of W goes into one vector,
    // sorted: runs give each phrase's count and whether it has several
    // feeds, without a table the size of the phrase dictionary.
    let mut pairs: Vec<Vec<u64>> = vec![Vec::new(); segments];
    let mut n_w: u64 = 0;
    for_each_doc(index, span.w_from, span.to, |seg, _, doc, ords| {
        n_w += 1;
        let feed = doc.feed as u32 as u64;
        pairs[seg].extend(ords.map(|o| (o << 32) | feed));
    })?;
    if n_w == 0 {
        return Ok(None);
    }
    // A topic must reach a minimum share of the window: in a large corpus,
    // a brand-new n-gram with ten items is chance, not a trend.
    let min_count = MIN_COUNT.max((expected_floor(n_w) * MIN_GROWTH).ceil() as u32);
    // Per segment: (ordinal, count, several feeds).
    let runs: Vec<Vec<(u64, u32, bool)>> = pairs
        .iter_mut()
        .map(|v| {
            v.sort_unstable();
            let mut out = Vec::new();
            let mut i = 0;
            while i < v.len() {
                let ord = v[i] >> 32;
                let mut j = i;
                let mut feeds = 0;
                let mut last_feed = u64::MAX;
                while j < v.len() && v[j] >> 32 == ord {
                    if v[j] & 0xffff_ffff != last_feed {
                        feeds += 1;
                        last_feed = v[j] & 0xffff_ffff;
                    }
                    j += 1;
                }
                out.push((ord, (j - i) as u32, feeds >= 2));
                i = j;
            }
            v.clear();
            v.shrink_to_fit();
            out
        })
        .collect();
    drop(pairs);
    let w_segments = runs.iter().filter(|r| !r.is_empty()).count().max(1) as u32;
    // A phrase with `min_count` items over k segments has at least
    // ⌈min_count / k⌉ of them in one segment, so keeping the ordinals that
    // reach that in their segment keeps every phrase that can reach
    // `min_count` (stage 2 counts exactly). Whether it has several feeds is
    // only known within one segment: with several segments that filter
    // waits for stage 3, or the answer would depend on the segment layout.
    let min_in_segment = min_count.div_ceil(w_segments).max(1);
    let mut keys: Vec<String> = Vec::new();
    for (seg_no, r) in runs.iter().enumerate() {
        let ords: Vec<u64> = r
            .iter()
            .filter(|k| k.1 >= min_in_segment && (w_segments > 1 || k.2 || p.min_feeds <= 1))
            .map(|k| k.0)
            .collect();
        if ords.is_empty() {
            continue;
        }
        let col = segment_phrases(index, seg_no)?;
        col.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            keys.push(String::from_utf8_lossy(bytes).into_owned());
        })?;
    }
    keys.sort();
    keys.dedup();
    Ok(Some(Candidates { keys, min_count }))
}

fn segment_phrases(index: &SearchIndex, seg_no: usize) -> Result<StrColumn> {
    let searcher = index.searcher();
    searcher.segment_readers()[seg_no]
        .fast_fields()
        .str("phrases")?
        .ok_or_else(|| anyhow::anyhow!("index segment {seg_no} has no phrases column"))
}

/// Stage 2's output.
struct Tallied {
    tallies: Vec<Tally>,
    n_w_docs: u64,
    n_b: u64,
}

/// Stage 2: each key's items in W (with their feeds) and its items per
/// feed in B.
///
/// Segments are counted on the cores side by side, and their counts added
/// in segment order, as one pass over them would.
fn tally(index: &SearchIndex, span: Span, keys: &[String]) -> Result<Tallied> {
    let searcher = index.searcher();
    let parts: Vec<Result<Tallied>> = searcher
        .segment_readers()
        .par_iter()
        .map(|seg| tally_segment(seg, span, keys))
        .collect();
    let mut out = Tallied {
        tallies: keys
            .iter()
            .map(|k| Tally {
                key: k.clone(),
                ..Default::default()
            })
            .collect(),
        n_w_docs: 0,
        n_b: 0,
    };
    for part in parts {
        let part = part?;
        out.n_w_docs += part.n_w_docs;
        out.n_b += part.n_b;
        for (t, p) in out.tallies.iter_mut().zip(part.tallies) {
            t.docs_w.extend(p.docs_w);
            for (feed, n) in p.per_feed_b {
                *t.per_feed_b.entry(feed).or_default() += n;
            }
        }
    }
    Ok(out)
}

/// [`tally`] within one segment (its tallies' keys left empty).
fn tally_segment(seg: &SegmentReader, span: Span, keys: &[String]) -> Result<Tallied> {
    let mut tallies: Vec<Tally> = keys.iter().map(|_| Tally::default()).collect();
    let map = candidate_ordinals(seg, keys)?;
    let (mut n_b, mut n_w) = (0u64, 0u64);
    for_each_doc_in(seg, span.b_from, span.to, |_, doc, ords| {
        let in_w = doc.published > span.w_from;
        if in_w {
            n_w += 1;
        } else {
            n_b += 1;
        }
        for o in ords {
            if let Some(c) = map.get(o) {
                let t = &mut tallies[c as usize];
                if in_w {
                    t.docs_w.push((doc.id, doc.feed));
                } else {
                    *t.per_feed_b.entry(doc.feed).or_default() += 1;
                }
            }
        }
    })?;
    Ok(Tallied {
        tallies,
        n_w_docs: n_w,
        n_b,
    })
}

/// How evidence is counted: units, caps, and the size of W in units.
struct Units {
    /// (story, feed) pairs in W.
    n_w: u64,
    cap_w: u32,
    cap_b: u32,
    min_feeds: usize,
}

impl Units {
    fn new(p: &Params, span: Span, c: &Clustering, n_w_docs: u64) -> Units {
        let w_days = (span.to - span.w_from) as f64 / 86_400.0;
        let b_days = (span.w_from - span.b_from) as f64 / 86_400.0;
        let n_w: u64 = c.stories.iter().map(|s| s.feed_ids.len() as u64).sum();
        Units {
            // No stories but indexed items: a store that lags the index.
            n_w: if n_w == 0 { n_w_docs.max(1) } else { n_w },
            cap_w: (FEED_CAP_PER_WEEK * w_days / 7.0).ceil().max(1.0) as u32,
            cap_b: (FEED_CAP_PER_WEEK * b_days / 7.0).ceil().max(1.0) as u32,
            min_feeds: p.min_feeds,
        }
    }

    /// (units in W, capped items in B, distinct feeds in W) of a tally.
    fn of(&self, t: &Tally, c: &Clustering) -> (u32, u32, usize) {
        // Distinct (feed, story) pairs, sorted: a run per feed.
        let mut pairs: Vec<(i64, i64)> = t
            .docs_w
            .iter()
            .map(|(id, feed)| (*feed, unit_story(c, *id)))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let per_feed: Vec<u32> = pairs
            .chunk_by(|a, b| a.0 == b.0)
            .map(|run| run.len() as u32)
            .collect();
        let raw_w: u32 = per_feed.iter().sum();
        let raw_b: u32 = t.per_feed_b.values().sum();
        // One feed counts for at most a few units a week, or a quarter of
        // the phrase's units when many feeds carry it.
        let cap_w = self.cap_w.max(raw_w.div_ceil(4));
        let cap_b = self.cap_b.max(raw_b.div_ceil(4));
        let x = per_feed.iter().map(|n| (*n).min(cap_w)).sum();
        let y = t.per_feed_b.values().map(|c| (*c).min(cap_b)).sum();
        (x, y, per_feed.len())
    }
}

/// The story an item counts under: its story when that is one event; a
/// spread-out group is many articles, and an item outside the clustering
/// (the index ahead of the store) is its own, so each counts as a story of
/// its own (a negative id, which no story index is).
fn unit_story(c: &Clustering, id: i64) -> i64 {
    c.story_of
        .get(&id)
        .filter(|&&s| c.stories[s].event)
        .map_or(-id, |&s| s as i64)
}

/// Stage 3: themes, scored on units.
fn score_themes(
    tallied: &Tallied,
    counted: &[(u32, u32, usize)],
    units: &Units,
    c: &Clustering,
    p: &Params,
    min_count: u32,
) -> Vec<Scored> {
    tallied
        .tallies
        .par_iter()
        .zip(counted)
        .filter_map(|(t, &(x, y, feeds))| {
            if feeds < units.min_feeds.max(p.min_feeds) {
                return None;
            }
            let stories: FxHashSet<i64> =
                t.docs_w.iter().map(|(id, _)| unit_story(c, *id)).collect();
            if stories.len() < MIN_THEME_STORIES {
                return None;
            }
            let (score, expected, growth) = score(x, y, units.n_w, tallied.n_b);
            (x >= min_count && growth >= MIN_GROWTH && score > 0.0).then(|| Scored {
                key: t.key.clone(),
                score,
                count: x,
                expected,
                growth,
                feeds,
                docs: t.docs_w.iter().map(|d| d.0).collect(),
                story: None,
            })
        })
        .collect()
}

/// The phrases whose baseline share says whether a story is new: its label
/// (when it is a phrase) and the phrases most of its items share.
fn novelty_keys(s: &Story) -> Vec<String> {
    let mut keys: Vec<String> = s.label_key.iter().cloned().collect();
    keys.extend(
        s.shared_phrases
            .iter()
            .filter(|k| k.contains(' ') || s.label_key.is_none())
            .take(3)
            .cloned(),
    );
    keys.sort();
    keys.dedup();
    keys
}

/// Stage 4: stories carried by enough feeds. A story is scored on its
/// size (its units: feeds, with a follow-up each) against what its most
/// novel phrase says the baseline would have had: a story whose every
/// phrase was as common before (a daily market report several feeds run)
/// is steady, not new; a budget previewed last week is still news when it
/// lands, because its phrases rise far above their baseline share.
fn score_stories(
    c: &Clustering,
    story_keys: &[(usize, Vec<String>)],
    tallied: &Tallied,
) -> Vec<Scored> {
    let rate: HashMap<&str, (f64, f64)> = tallied
        .tallies
        .iter()
        .map(|t| {
            let w = t.docs_w.len() as f64 / tallied.n_w_docs.max(1) as f64;
            let y: u32 = t.per_feed_b.values().sum();
            let b = (y as f64 + 0.5) / (tallied.n_b as f64 + 1.0);
            (t.key.as_str(), (w, b))
        })
        .collect();
    story_keys
        .iter()
        .filter_map(|(si, keys)| {
            let s = &c.stories[*si];
            let ids: HashSet<i64> = s.item_ids().collect();
            // Units: items per feed, a report and a follow-up each.
            let mut per_feed: FxHashMap<&str, usize> = FxHashMap::default();
            for i in &s.items {
                *per_feed.entry(i.feed.as_str()).or_default() += 1;
            }
            let x: u32 = per_feed
                .values()
                .map(|n| (*n).min(STORY_ITEMS_PER_FEED) as u32)
                .sum();
            // Growth of its name (window share over baseline share) when
            // its label is a phrase: a recurring subject ("influencer
            // marketing") keeps its share whatever else its items say.
            // Otherwise its most novel shared phrase. No phrase counted:
            // nothing says it is old.
            // With next to no baseline (a new install) nothing says it is
            // old: the smoothing prior would outweigh the few items there.
            let of = |k: &String| {
                (tallied.n_b >= MIN_BASELINE_ITEMS)
                    .then(|| rate.get(k.as_str()).map(|(w, b)| w / b))
                    .flatten()
            };
            let growth = s.label_key.as_ref().and_then(of).or_else(|| {
                keys.iter()
                    .filter_map(of)
                    .fold(None::<f64>, |m, g| Some(m.map_or(g, |m| m.max(g))))
            });
            let g = growth.unwrap_or(f64::INFINITY);
            let expected = (x as f64 / g.max(1e-9)).max(STORY_FLOOR);
            let growth = x as f64 / expected;
            // Size first: how many feeds carry it, discounted by how
            // little it stands out from its own phrases' baseline.
            let novelty = (g.ln() / NOVEL_GROWTH.ln()).clamp(0.0, 1.0);
            let lower = poisson_lower(x as f64);
            let score = if lower > STORY_FLOOR && g >= MIN_GROWTH {
                (lower / STORY_FLOOR).ln() * novelty
            } else {
                0.0
            };
            (score > 0.0).then(|| Scored {
                key: s.label_key.clone().unwrap_or_else(|| {
                    phrases::normalise(&s.label).unwrap_or_else(|| s.label.to_lowercase())
                }),
                score,
                count: x,
                expected,
                growth,
                feeds: s.feed_ids.len(),
                docs: ids,
                story: Some(*si),
            })
        })
        .collect()
}

/// Stage 5: story topics and themes into topics. A theme that mostly lives
/// inside one story is that story's phrase; themes that explain the same
/// items merge into one, seeded by the most specific.
fn merge(themes: Vec<Scored>, stories: Vec<Scored>, c: &Clustering, p: &Params) -> Vec<Topic> {
    struct Group {
        seed: usize,
        members: Vec<usize>,
        /// Related but broader phrases: shown, not merged into the evidence.
        related: Vec<usize>,
        docs: HashSet<i64>,
    }
    let mut all: Vec<Scored> = stories;
    let n_story = all.len();
    all.extend(themes);
    let mut groups: Vec<Group> = (0..n_story)
        .map(|i| Group {
            seed: i,
            members: vec![i],
            related: vec![],
            docs: all[i].docs.clone(),
        })
        .collect();
    // Specific phrases seed themes: a single word competes at a discount,
    // so "tiktok shop" founds the topic and "shopping" joins it.
    let adjusted = |s: &Scored| {
        if s.key.contains(' ') {
            s.score
        } else {
            s.score * SINGLE_WORD_DISCOUNT
        }
    };
    let mut order: Vec<usize> = (n_story..all.len()).collect();
    order.sort_by(|&a, &b| {
        adjusted(&all[b])
            .total_cmp(&adjusted(&all[a]))
            .then_with(|| all[a].key.cmp(&all[b].key))
    });
    for i in order {
        let s = &all[i];
        // Inside one story: the story's phrase.
        if let Some(si) = (0..n_story)
            .filter(|&g| {
                let inside = s.docs.intersection(&groups[g].docs).count();
                inside as f64 >= INSIDE_STORY * s.docs.len() as f64
            })
            .max_by_key(|&g| (s.docs.intersection(&groups[g].docs).count(), usize::MAX - g))
        {
            groups[si].related.push(i);
            continue;
        }
        // How much of this phrase each theme explains, and how much of each
        // theme's seed this phrase covers.
        let mut best: Option<(usize, f64, f64)> = None;
        let mut explained = 0usize;
        for (gi, g) in groups.iter().enumerate().skip(n_story) {
            let seed_docs = &all[g.seed].docs;
            let inside = s.docs.intersection(&g.docs).count();
            explained += inside;
            let of_phrase = inside as f64 / s.docs.len().max(1) as f64;
            let of_seed =
                s.docs.intersection(seed_docs).count() as f64 / seed_docs.len().max(1) as f64;
            if best.is_none_or(|(_, p, _)| of_phrase > p) {
                best = Some((gi, of_phrase, of_seed));
            }
        }
        match best {
            // Mostly inside one theme, and not much broader than it: the same theme.
            Some((gi, of_phrase, _))
                if of_phrase >= 0.5 && s.docs.len() * 2 <= all[groups[gi].seed].docs.len() * 3 =>
            {
                let g = &mut groups[gi];
                g.members.push(i);
                g.docs.extend(&s.docs);
            }
            // Broader, covering most of a theme, and trending about as hard:
            // the broader phrase is the theme's own name ("agentic
            // commerce" around "shopping agents"). Join it.
            Some((gi, _, of_seed))
                if of_seed >= 0.5 && s.score >= 0.6 * all[groups[gi].seed].score =>
            {
                let g = &mut groups[gi];
                g.members.push(i);
                g.docs.extend(&s.docs);
            }
            // Broader and weaker, or mostly explained by the topics
            // together: related, not a topic of its own.
            Some((gi, _, of_seed)) if of_seed >= 0.5 || explained * 2 >= s.docs.len() => {
                groups[gi].related.push(i);
            }
            _ if groups.len() < n_story + p.max_topics * 3 => groups.push(Group {
                seed: i,
                members: vec![i],
                related: vec![],
                docs: s.docs.clone(),
            }),
            _ => {}
        }
    }

    let mut topics = Vec::new();
    for g in groups {
        let seed = &all[g.seed];
        let max_score = g.members.iter().map(|&m| all[m].score).fold(0.0, f64::max);
        if max_score < MIN_SCORE {
            continue;
        }
        // Members by how many of the topic's items they explain; the label
        // is chosen later, from the items themselves.
        let mut members: Vec<usize> = g.members.iter().copied().filter(|&m| m != g.seed).collect();
        members.sort_by(|&a, &b| {
            all[b]
                .docs
                .len()
                .cmp(&all[a].docs.len())
                .then(all[a].key.cmp(&all[b].key))
        });
        let mut keys = vec![seed.key.clone()];
        let mut related: Vec<String> = Vec::new();
        let story = seed.story.map(|si| &c.stories[si]);
        if let Some(s) = story {
            related.extend(s.shared_phrases.iter().filter(|k| **k != seed.key).cloned());
        }
        keys.extend(members.iter().map(|&m| all[m].key.clone()));
        related.extend(g.related.iter().map(|&m| all[m].key.clone()));
        let mut shown = keys.clone();
        for r in related {
            if !shown.contains(&r) {
                shown.push(r);
            }
        }
        let mut ids: Vec<i64> = g.docs.into_iter().collect();
        ids.sort_unstable();
        // A theme's stories are known once its label is (see `finish`).
        let topic_stories: Vec<usize> = seed.story.into_iter().collect();
        let story_count = topic_stories.len();
        topics.push(Topic {
            label: story.map(|s| s.label.clone()).unwrap_or_default(),
            key: seed.key.clone(),
            kind: if story.is_some() {
                Kind::Story
            } else {
                Kind::Theme
            },
            topic_type: story.map_or(TopicType::Unknown, |s| s.kind),
            headline: story.map(|s| s.headline.clone()).unwrap_or_default(),
            score: round(max_score, 3),
            count: seed.count,
            expected: round(seed.expected, 2),
            growth: round(seed.growth, 1),
            feeds: seed.feeds,
            daily: Vec::new(),
            phrases: shown,
            phrase_keys: keys,
            story_count,
            stories: topic_stories
                .into_iter()
                .map(|si| story_ref(&c.stories[si]))
                .collect(),
            items: Vec::new(),
            item_ids: ids,
            story: seed.story,
        });
    }
    topics.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.key.cmp(&b.key)));
    topics.truncate(p.max_topics * 2);
    topics
}

fn story_ref(s: &Story) -> StoryRef {
    StoryRef {
        headline: s.headline.clone(),
        url: s.url.clone(),
        feeds: s.feeds.clone(),
        items: s.items.len(),
        first_seen: s.first_seen.clone(),
        last_seen: s.last_seen.clone(),
    }
}

/// A segment's candidate ordinals: a bitset to reject the (many) other
/// ordinals cheaply, and a sorted list to find the candidate.
#[derive(Default)]
struct CandidateOrds {
    bits: Vec<u64>,
    sorted: Vec<(u64, u32)>,
}

impl CandidateOrds {
    fn get(&self, ord: u64) -> Option<u32> {
        let word = self.bits.get((ord / 64) as usize)?;
        if word & (1 << (ord % 64)) == 0 {
            return None;
        }
        self.sorted
            .binary_search_by_key(&ord, |(o, _)| *o)
            .ok()
            .map(|i| self.sorted[i].1)
    }
}

/// The ordinals of the candidate keys in one segment.
fn candidate_ordinals(seg: &SegmentReader, keys: &[String]) -> Result<CandidateOrds> {
    let mut c = CandidateOrds::default();
    if let Some(col) = seg.fast_fields().str("phrases")? {
        let dict = col.dictionary();
        c.bits = vec![0; col.num_terms().div_ceil(64)];
        for (i, k) in keys.iter().enumerate() {
            if let Some(o) = dict.term_ord(k.as_bytes())? {
                c.bits[(o / 64) as usize] |= 1 << (o % 64);
                c.sorted.push((o, i as u32));
            }
        }
        c.sorted.sort_unstable();
    }
    Ok(c)
}

/// The least a phrase is expected to have in a window of `n_w` items, however
/// rare it was before: one item in [`FLOOR_SHARE`] of them.
pub fn expected_floor(n_w: u64) -> f64 {
    n_w as f64 * FLOOR_SHARE
}

/// (score, expected, growth) for `x` items in W out of `n_w`, and `y` in B out of `n_b`.
pub fn score(x: u32, y: u32, n_w: u64, n_b: u64) -> (f64, f64, f64) {
    let share_b = (y as f64 + 0.5) / (n_b as f64 + 1.0);
    let expected = (n_w as f64 * share_b).max(expected_floor(n_w)).max(1e-9);
    let growth = x as f64 / expected;
    let lower = poisson_lower(x as f64);
    let score = if lower > expected {
        (lower / expected).ln()
    } else {
        0.0
    };
    (score, expected, growth)
}

/// One-sided 95 % lower confidence bound of a Poisson mean, given one
/// observation `x` (Wilson–Hilferty approximation: within a few per cent
/// of the exact chi-square quantile from x = 3, and conservative below).
pub fn poisson_lower(x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let t = 1.0 - 1.0 / (9.0 * x) - Z / (3.0 * x.sqrt());
    (x * t.powi(3)).max(0.0)
}

fn round(v: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (v * f).round() / f
}

/// Stage 6: the label (themes), the display forms, the type (themes), the
/// evidence items. Reads the topic's items (stored phrases, titles, bodies).
///
/// A theme's label is the member phrase that best names it and reads as a
/// label ([`labels::label_problem`]): carried by a good share of its items,
/// used by headlines, longer (more specific) first. A theme with no such
/// phrase ("clients almost", "value of") is dropped: a reader could not
/// tell what it is about.
fn finish(
    store: &Store,
    t: &mut Topic,
    stats: &HashMap<String, PhraseStats>,
    c: &Clustering,
) -> Result<()> {
    // A big topic has thousands of items; a few hundred, chosen by a key
    // that does not depend on row ids, are plenty.
    let sample = evidence_sample(t, c);
    let items = store.items_by_ids(&sample)?;
    let n = items.len().max(1) as f64;
    let title_keys: Vec<String> = items
        .iter()
        .map(|i| phrases::normalise(&i.title).unwrap_or_default())
        .collect();
    // Display forms: how the items write each phrase (the most common
    // form, mid-sentence capitalisation kept).
    let mut displays: HashMap<String, HashMap<String, usize>> = HashMap::new();
    let wanted: HashSet<&str> = t.phrases.iter().map(String::as_str).collect();
    for i in items.iter().take(40) {
        let paras: Vec<&str> = i.body.split("\n\n").collect();
        for p in phrases::extract(&i.title, &paras) {
            if wanted.contains(p.key.as_str()) {
                *displays
                    .entry(p.key)
                    .or_default()
                    .entry(p.display)
                    .or_default() += 1;
            }
        }
    }
    let display_of = |key: &str| -> String {
        displays
            .get(key)
            .and_then(|forms| {
                forms
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                    .map(|(d, _)| d.clone())
            })
            .unwrap_or_else(|| key.to_owned())
    };
    if t.kind == Kind::Theme {
        let mut best: Option<(f64, usize, String)> = None;
        for (pos, key) in t.phrase_keys.iter().enumerate() {
            let words: Vec<&str> = key.split(' ').collect();
            let display = display_of(key);
            if words.len() > 4 || labels::label_problem(&display).is_some() {
                continue;
            }
            let carried = items
                .iter()
                .filter(|i| i.phrases.iter().any(|p| p == key))
                .count() as f64
                / n;
            if carried < 0.4 {
                continue;
            }
            let in_titles = title_keys
                .iter()
                .filter(|tk| contains_words(tk, &words))
                .count() as f64
                / n;
            let inner_stop = words.len() > 2
                && words[1..words.len() - 1]
                    .iter()
                    .any(|w| w.len() <= 3 && !w.chars().any(|c| c.is_ascii_digit()));
            // A single word is rarely the most specific name of a theme.
            let quality = in_titles * 2.0 + carried + 0.25 * words.len().min(3) as f64
                - if words.len() == 1 { 0.75 } else { 0.0 }
                - if inner_stop { 0.5 } else { 0.0 }
                + if pos == 0 { 0.05 } else { 0.0 };
            if best.as_ref().is_none_or(|(q, _, _)| quality > *q) {
                best = Some((quality, pos, display));
            }
        }
        let Some((_, label_pos, display)) = best else {
            t.label.clear();
            return Ok(());
        };
        let label_words: Vec<String> = t.phrase_keys[label_pos]
            .split(' ')
            .map(str::to_owned)
            .collect();
        let lw: Vec<&str> = label_words.iter().map(String::as_str).collect();
        let headline_share = title_keys
            .iter()
            .filter(|tk| contains_words(tk, &lw))
            .count() as f64
            / n;
        // A theme no headline names is usually a recurring sentence inside
        // other stories, not a theme: it keeps at most half its score.
        t.score = round(t.score * (0.5 + headline_share.min(0.5)), 3);
        t.phrase_keys.swap(0, label_pos);
        let label_key = t.phrase_keys[0].clone();
        if let Some(pos) = t.phrases.iter().position(|p| *p == label_key) {
            t.phrases.swap(0, pos);
        }
        t.key = label_key;
        t.label = display;
        if let Some(s) = stats.get(&t.key) {
            t.count = s.count;
            t.expected = round(s.expected, 2);
            t.growth = round(s.growth, 1);
            t.feeds = s.feeds;
        }
    }

    let label_key: Vec<String> = phrases::normalise(&t.label)
        .unwrap_or_default()
        .split(' ')
        .map(str::to_owned)
        .collect();
    let lw: Vec<&str> = label_key.iter().map(String::as_str).collect();
    let mut ranked: Vec<(f64, &crate::store::StoredItem)> = items
        .iter()
        .zip(&title_keys)
        .map(|(i, tk)| {
            let in_title = contains_words(tk, &lw);
            let hits = t
                .phrase_keys
                .iter()
                .filter(|k| i.phrases.iter().any(|p| p == *k))
                .count();
            (hits as f64 + if in_title { 2.0 } else { 0.0 }, i)
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(b.1.published.cmp(&a.1.published))
            .then(a.1.guid.cmp(&b.1.guid))
    });
    if t.kind == Kind::Theme {
        if let Some((_, top)) = ranked.first() {
            t.headline = top.title.clone();
        }
        // Its stories: those whose items carry the label, biggest first
        // (the clustering's order).
        let mut carrying: Vec<usize> = items
            .iter()
            .filter(|i| i.phrases.contains(&t.key))
            .filter_map(|i| c.story_of.get(&i.id).copied())
            .collect();
        carrying.sort_unstable();
        carrying.dedup();
        t.story_count = carrying.len();
        t.stories = carrying
            .into_iter()
            .take(STORIES_SHOWN)
            .map(|si| story_ref(&c.stories[si]))
            .collect();
        let lower = t.label.to_lowercase();
        let mut evidence: Vec<&str> = Vec::new();
        for (_, i) in ranked.iter().take(12) {
            evidence.push(&i.title);
            for s in super::questions::sentences(&i.body) {
                if s.to_lowercase().contains(&lower) {
                    evidence.push(s);
                }
            }
        }
        t.topic_type = types::classify(&t.label, &evidence, false);
    }
    // Related phrases worth showing a reader: names and noun phrases that
    // say more than the label, in the form the items write them.
    let label = t.label.clone();
    let label_norm = t.key.clone();
    let mut shown = vec![label];
    for k in t.phrases.iter().skip(1) {
        if *k == label_norm || k.split(' ').all(|w| lw.contains(&w)) {
            continue;
        }
        let d = display_of(k);
        let key_words: Vec<&str> = k.split(' ').collect();
        // "TikTok Shop prices" says little more than "TikTok Shop".
        if worth_showing(&d)
            && labels::label_problem(&d).is_none()
            && !contains_words(k, &lw)
            && !shown
                .iter()
                .any(|s| phrases::normalise(s).as_deref() == Some(k.as_str()))
            && !key_words.is_empty()
        {
            shown.push(d);
        }
        if shown.len() > RELATED_SHOWN {
            break;
        }
    }
    t.phrases = shown;

    // One item per feed first, then the rest, most relevant first.
    let mut chosen: Vec<&crate::store::StoredItem> = Vec::new();
    let mut feeds = HashSet::new();
    for (_, i) in &ranked {
        if chosen.len() < EVIDENCE && feeds.insert(i.feed_id) {
            chosen.push(i);
        }
    }
    for (_, i) in &ranked {
        if chosen.len() >= 3 {
            break;
        }
        if !chosen.iter().any(|c| c.id == i.id) {
            chosen.push(i);
        }
    }
    t.items = chosen
        .into_iter()
        .map(|i| Evidence {
            id: i.id,
            title: i.title.clone(),
            url: i.url.clone(),
            feed: i.feed_name.clone(),
            published: rfc3339(i.published),
        })
        .collect();
    Ok(())
}

/// The items read to finish a topic: all of a small one; of a big one, the
/// newest [`EVIDENCE_SAMPLE`] by publication time and guid (row ids differ
/// between data folders).
fn evidence_sample(t: &Topic, c: &Clustering) -> Vec<i64> {
    if t.item_ids.len() <= EVIDENCE_SAMPLE {
        return t.item_ids.clone();
    }
    let key_of: HashMap<i64, (&str, &str)> = c
        .stories
        .iter()
        .flat_map(|s| {
            s.items
                .iter()
                .map(|i| (i.id, (i.published.as_str(), i.guid.as_str())))
        })
        .collect();
    let mut ids: Vec<(Option<(&str, &str)>, i64)> = t
        .item_ids
        .iter()
        .map(|id| (key_of.get(id).copied(), *id))
        .collect();
    ids.sort();
    ids[ids.len() - EVIDENCE_SAMPLE..]
        .iter()
        .map(|x| x.1)
        .collect()
}

fn worth_showing(display: &str) -> bool {
    let words: Vec<&str> = display.split_whitespace().collect();
    match words.len() {
        0 => false,
        1 => display.chars().any(char::is_uppercase),
        n => !words[1..n - 1].iter().any(|w| {
            matches!(
                w.to_lowercase().as_str(),
                "to" | "on" | "of" | "for" | "and" | "in" | "&"
            )
        }),
    }
}

/// The daily counts as ▁▂▃▄▅▆▇█, scaled to the busiest day, with `sep`
/// between the baseline and the window. Used by `trends` and the digest.
pub fn sparkline(days: &[DayCount], sep: char) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = days.iter().map(|d| d.count).max().unwrap_or(0).max(1) as usize;
    let mut s = String::new();
    let mut in_window = false;
    for d in days {
        if d.window && !in_window {
            s.push(sep);
            in_window = true;
        }
        s.push(if d.count == 0 {
            '▁'
        } else {
            BARS[(d.count as usize * 7).div_ceil(max).min(7)]
        });
    }
    s
}

/// Does the space-separated `hay` contain `words` consecutively?
pub fn contains_words(hay: &str, words: &[&str]) -> bool {
    let h: Vec<&str> = hay.split(' ').collect();
    !words.is_empty() && h.windows(words.len()).any(|w| w == words)
}

/// Items per day (B then W) that carry any of each topic's phrases.
fn daily_counts(index: &SearchIndex, topics: &mut [Topic], span: Span) -> Result<()> {
    let Span { b_from, w_from, to } = span;
    let days = ((to - b_from) as f64 / 86_400.0).ceil() as usize;
    let all_keys: Vec<String> = topics.iter().flat_map(|t| t.phrase_keys.clone()).collect();
    // key index → topic index
    let mut owner = Vec::new();
    for (ti, t) in topics.iter().enumerate() {
        owner.extend(std::iter::repeat_n(ti, t.phrase_keys.len()));
    }
    let n_topics = topics.len();
    // Each segment on its own core; counts add up whatever the order.
    let searcher = index.searcher();
    let parts: Vec<Result<Vec<Vec<u32>>>> = searcher
        .segment_readers()
        .par_iter()
        .map(|seg| {
            let map = candidate_ordinals(seg, &all_keys)?;
            let mut counts = vec![vec![0u32; days]; n_topics];
            let mut hit = vec![false; n_topics];
            for_each_doc_in(seg, b_from, to, |_, doc, ords| {
                let day = (((doc.published - b_from - 1).max(0)) / 86_400) as usize;
                hit.fill(false);
                for o in ords {
                    if let Some(k) = map.get(o) {
                        hit[owner[k as usize]] = true;
                    }
                }
                for (ti, h) in hit.iter().enumerate() {
                    if *h && day < days {
                        counts[ti][day] += 1;
                    }
                }
            })?;
            Ok(counts)
        })
        .collect();
    let mut counts = vec![vec![0u32; days]; n_topics];
    for part in parts {
        for (c, p) in counts.iter_mut().zip(part?) {
            for (a, b) in c.iter_mut().zip(p) {
                *a += b;
            }
        }
    }
    let first_day = DateTime::<Utc>::from_timestamp(b_from + 1, 0).unwrap_or_default();
    for (t, c) in topics.iter_mut().zip(counts) {
        t.daily = c
            .into_iter()
            .enumerate()
            .map(|(i, count)| {
                let start = b_from + i as i64 * 86_400;
                DayCount {
                    date: (first_day + Duration::days(i as i64)).date_naive(),
                    count,
                    window: start >= w_from,
                }
            })
            .collect();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_bound_matches_exact_values() {
        // Exact one-sided 95 % lower bounds (chi-square / 2).
        for (x, exact) in [(3.0, 0.8177), (10.0, 5.4254), (30.0, 21.59)] {
            let l = poisson_lower(x);
            assert!((l - exact).abs() / exact < 0.1, "x={x}: {l} vs {exact}");
        }
    }

    #[test]
    fn growth_beats_volume_and_zero_baselines_stay_finite() {
        // A new topic: 15 items this week, none before.
        let (new, _, g) = score(15, 0, 1000, 4000);
        assert!(new.is_finite() && new > 2.0 && g.is_finite());
        // A frequent phrase rising from 15 % to 18 %: significant, but not a trend.
        let (steady, _, _) = score(180, 600, 1000, 4000);
        assert!(steady < 0.1, "{steady}");
        // Few items score less than many at the same ratio.
        let (few, _, _) = score(3, 0, 1000, 4000);
        let (many, _, _) = score(30, 9, 1000, 4000);
        assert!(few < many, "{few} vs {many}");
    }
}
