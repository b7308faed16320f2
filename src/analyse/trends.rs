//! Trending topics: phrases whose share of recent items is well above their
//! own baseline, in several feeds, merged into topics with their evidence.
//!
//! Everything is counted from the index's `phrases` fast field (term
//! ordinals per document), never by re-reading item text:
//!
//! 1. Count every phrase in the window W, per segment, and keep those seen
//!    at least [`MIN_COUNT`] times in more than one feed.
//! 2. Recount the candidates exactly per feed and per day in W, and in the
//!    baseline B. One feed's contribution is capped (a feed that writes ten
//!    posts on its pet subject is one voice, not ten), in W and, pro rata,
//!    in B.
//! 3. Expected count in W = W's item count × the phrase's smoothed share of
//!    B: (b + ½) / (n_B + 1). The half-item prior keeps a zero baseline
//!    finite. The score is ln(L / expected), where L is the one-sided 95 %
//!    lower Poisson bound of the observed count (Wilson–Hilferty). That is
//!    growth, discounted for small numbers: 3 items against 0.2 expected
//!    scores less than 30 against 2, and a frequent phrase whose share rises
//!    from 15 % to 18 % scores almost nothing, however significant the rise.
//! 4. Phrases that explain mostly the same items (overlap ≥ half of the
//!    larger set) merge into one topic, labelled by its most specific
//!    phrase that still covers most of the topic's items; a broad phrase
//!    ("ai") is never absorbed by a narrow one, because its item set is
//!    much larger.

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;
use tantivy::columnar::StrColumn;

use crate::analyse::phrases;
use crate::index::SearchIndex;
use crate::store::{Store, rfc3339};

/// A phrase is never expected to have fewer than this share of W's items:
/// in a corpus of 200,000 items a week, thousands of n-grams are new each
/// week and reach ten items by chance, and a zero baseline must not make
/// each of them a "trend".
pub const FLOOR_SHARE: f64 = 1.0 / 2000.0;
/// Fewest items in W for a phrase to be a candidate.
pub const MIN_COUNT: u32 = 3;
/// Observed / expected below this is not a trend, however significant.
pub const MIN_GROWTH: f64 = 1.5;
/// One feed counts for at most this many items per seven days.
pub const FEED_CAP_PER_WEEK: f64 = 4.0;
/// Topics scoring below this (ln 2: the lower bound of the count is under
/// twice the expected count) are not reported.
pub const MIN_SCORE: f64 = std::f64::consts::LN_2;
/// Related phrases shown per topic, besides the label.
pub const RELATED_SHOWN: usize = 6;
/// A single word's score counts this much when topics are seeded.
pub const SINGLE_WORD_DISCOUNT: f64 = 0.5;
/// Items read to label a topic and pick its evidence.
pub const EVIDENCE_SAMPLE: usize = 400;
/// Evidence items shown per topic.
pub const EVIDENCE: usize = 5;
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

#[derive(Debug, Clone, Serialize)]
pub struct DayCount {
    pub date: NaiveDate,
    pub count: u32,
    /// True for days inside the window W.
    pub window: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub id: i64,
    pub title: String,
    pub url: Option<String>,
    pub feed: String,
    pub published: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Topic {
    /// The label, as people write it ("TikTok Shop").
    pub topic: String,
    /// Its normalised key ("tiktok shop").
    pub key: String,
    pub score: f64,
    /// Items in W that mention the label phrase (one feed's share capped).
    pub count: u32,
    /// Items W would have had at the baseline rate.
    pub expected: f64,
    pub growth: f64,
    /// Distinct feeds in W.
    pub feeds: usize,
    /// Items per day mentioning any of the topic's phrases, baseline then window.
    pub daily: Vec<DayCount>,
    /// Every phrase merged into the topic, label first.
    pub phrases: Vec<String>,
    #[serde(skip)]
    pub phrase_keys: Vec<String>,
    /// The best items, from different feeds first.
    pub items: Vec<Evidence>,
    /// Every item of the topic in W.
    #[serde(skip)]
    pub item_ids: Vec<i64>,
}

/// Per-candidate tallies.
#[derive(Default, Clone)]
struct Tally {
    key: String,
    per_feed_w: HashMap<i64, u32>,
    per_feed_b: HashMap<i64, u32>,
    docs_w: Vec<i64>,
}

#[derive(Clone, Copy)]
struct PhraseStats {
    count: u32,
    expected: f64,
    growth: f64,
    feeds: usize,
}

struct Scored {
    key: String,
    score: f64,
    count: u32,
    expected: f64,
    growth: f64,
    feeds: usize,
    docs: HashSet<i64>,
}

/// One document's columns, read once.
struct DocView {
    id: i64,
    feed: i64,
    published: i64,
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
        let ff = seg.fast_fields();
        let Some(phrases) = ff.str("phrases")? else {
            continue;
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
            f(seg_no, &phrases, &view, &mut ords);
        }
    }
    Ok(())
}

/// Computes the trending topics as of `p.as_of`.
pub fn trends(index: &SearchIndex, store: &Store, p: &Params) -> Result<Vec<Topic>> {
    let to = p.as_of.timestamp();
    let w_from = to - p.window.num_seconds();
    let b_from = w_from - p.baseline.num_seconds();
    let searcher = index.searcher();
    let segments = searcher.segment_readers().len();

    // ---- 1. candidates: frequent enough in W, in more than one feed -------------
    // Per segment, every (phrase ordinal, feed) of W goes into one vector,
    // sorted: runs give each phrase's count and its number of feeds without
    // a table the size of the phrase dictionary (tens of millions of terms
    // for a million items).
    let mut pairs: Vec<Vec<u64>> = vec![Vec::new(); segments];
    let mut n_w: u64 = 0;
    for_each_doc(index, w_from, to, |seg, _, doc, ords| {
        n_w += 1;
        let feed = doc.feed as u32 as u64;
        pairs[seg].extend(ords.map(|o| (o << 32) | feed));
    })?;
    if n_w == 0 {
        return Ok(Vec::new());
    }
    // A topic must reach a minimum share of the window: in a large corpus,
    // a brand-new n-gram with ten items is chance, not a trend.
    let floor = expected_floor(n_w);
    let min_count = MIN_COUNT.max((floor * MIN_GROWTH).ceil() as u32);
    let w_segments = pairs.iter().filter(|v| !v.is_empty()).count().max(1);
    // Only ordinals with enough items in their segment are turned into
    // strings; with several segments a phrase could only be missed if its
    // items were spread thinly over all of them.
    let min_in_segment = if w_segments <= 1 {
        min_count
    } else {
        (min_count / w_segments as u32).max(2)
    };
    let mut approx: HashMap<String, (u32, bool, usize)> = HashMap::new();
    for (seg_no, v) in pairs.iter_mut().enumerate() {
        if v.is_empty() {
            continue;
        }
        v.sort_unstable();
        let mut kept: Vec<(u64, u32, bool)> = Vec::new();
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
            let count = (j - i) as u32;
            if count >= min_in_segment {
                kept.push((ord, count, feeds >= 2));
            }
            i = j;
        }
        v.clear();
        v.shrink_to_fit();
        let seg = &searcher.segment_readers()[seg_no];
        let col = seg.fast_fields().str("phrases")?.expect("counted above");
        let ords: Vec<u64> = kept.iter().map(|k| k.0).collect();
        let mut k = 0;
        col.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            let (_, count, multi) = kept[k];
            k += 1;
            let e = approx
                .entry(String::from_utf8_lossy(bytes).into_owned())
                .or_insert((0, false, 0));
            e.0 += count;
            e.1 |= multi;
            e.2 += 1;
        })?;
    }
    let mut cand_keys: Vec<String> = approx
        .into_iter()
        .filter(|(_, (c, multi, segs))| {
            *c >= min_count && (*multi || *segs > 1 || p.min_feeds <= 1)
        })
        .map(|(k, _)| k)
        .collect();
    cand_keys.sort();
    drop(pairs);

    // ---- 2. exact tallies for candidates, in W and B -----------------------------
    let mut tallies: Vec<Tally> = cand_keys
        .iter()
        .map(|k| Tally {
            key: k.clone(),
            ..Default::default()
        })
        .collect();
    let seg_maps = candidate_ordinals(index, &cand_keys)?;
    let mut n_b: u64 = 0;
    for_each_doc(index, b_from, to, |seg, _, doc, ords| {
        let in_w = doc.published > w_from;
        if !in_w {
            n_b += 1;
        }
        let map = &seg_maps[seg];
        for o in ords {
            if let Some(c) = map.get(o) {
                let t = &mut tallies[c as usize];
                if in_w {
                    *t.per_feed_w.entry(doc.feed).or_default() += 1;
                    t.docs_w.push(doc.id);
                } else {
                    *t.per_feed_b.entry(doc.feed).or_default() += 1;
                }
            }
        }
    })?;

    // ---- 3. score ------------------------------------------------------------------
    let w_days = p.window.num_seconds() as f64 / 86_400.0;
    let b_days = p.baseline.num_seconds() as f64 / 86_400.0;
    let cap_w = (FEED_CAP_PER_WEEK * w_days / 7.0).ceil().max(1.0) as u32;
    let cap_b = (FEED_CAP_PER_WEEK * b_days / 7.0).ceil().max(1.0) as u32;
    let mut scored: Vec<Scored> = tallies
        .into_iter()
        .filter_map(|t| {
            let feeds = t.per_feed_w.len();
            if feeds < p.min_feeds {
                return None;
            }
            // One feed counts for at most a few items a week, or a quarter of
            // the phrase's items when many feeds carry it.
            let raw_w: u32 = t.per_feed_w.values().sum();
            let raw_b: u32 = t.per_feed_b.values().sum();
            let cap_w = cap_w.max(raw_w.div_ceil(4));
            let cap_b = cap_b.max(raw_b.div_ceil(4));
            let x: u32 = t.per_feed_w.values().map(|c| (*c).min(cap_w)).sum();
            let y: u32 = t.per_feed_b.values().map(|c| (*c).min(cap_b)).sum();
            let (score, expected, growth) = score(x, y, n_w, n_b);
            (x >= min_count && growth >= MIN_GROWTH && score > 0.0).then(|| Scored {
                key: t.key,
                score,
                count: x,
                expected,
                growth,
                feeds,
                docs: t.docs_w.into_iter().collect(),
            })
        })
        .collect();
    scored.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.key.cmp(&b.key)));

    // ---- 4. merge into topics ----------------------------------------------------------
    // Specific phrases seed topics: a single word competes at a discount, so
    // "tiktok shop" founds the topic and "shopping" joins it, not the reverse.
    let adjusted = |s: &Scored| {
        if s.key.contains(' ') {
            s.score
        } else {
            s.score * SINGLE_WORD_DISCOUNT
        }
    };
    let mut order: Vec<usize> = (0..scored.len()).collect();
    order.sort_by(|&a, &b| {
        adjusted(&scored[b])
            .total_cmp(&adjusted(&scored[a]))
            .then_with(|| scored[a].key.cmp(&scored[b].key))
    });
    struct Group {
        seed: usize,
        members: Vec<usize>,
        /// Related but broader phrases: shown, not merged into the evidence.
        related: Vec<usize>,
        docs: HashSet<i64>,
    }
    let mut groups: Vec<Group> = Vec::new();
    for i in order {
        let s = &scored[i];
        // How much of this phrase each topic explains, and how much of each
        // topic's seed this phrase covers.
        let mut best: Option<(usize, f64, f64)> = None;
        let mut explained = 0usize;
        for (gi, g) in groups.iter().enumerate() {
            let seed_docs = &scored[g.seed].docs;
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
            // Mostly inside one topic, and not much broader than it: the same story.
            Some((gi, of_phrase, _))
                if of_phrase >= 0.5
                    && s.docs.len() * 2 <= scored[groups[gi].seed].docs.len() * 3 =>
            {
                let g = &mut groups[gi];
                g.members.push(i);
                g.docs.extend(&s.docs);
            }
            // Broader, covering most of a topic, and trending about as hard:
            // the broader phrase is the story's own name ("agentic commerce"
            // around "shopping agents"). Join it.
            Some((gi, _, of_seed))
                if of_seed >= 0.5 && s.score >= 0.6 * scored[groups[gi].seed].score =>
            {
                let g = &mut groups[gi];
                g.members.push(i);
                g.docs.extend(&s.docs);
            }
            // Broader and weaker (its growth diluted by everything else it
            // covers), or mostly explained by the topics together ("ai"
            // around "ai mode" and "ai shopping agents"): related, not a
            // topic of its own, and its items are not the topic's.
            Some((gi, _, of_seed)) if of_seed >= 0.5 || explained * 2 >= s.docs.len() => {
                groups[gi].related.push(i);
            }
            _ if groups.len() < p.max_topics * 3 => groups.push(Group {
                seed: i,
                members: vec![i],
                related: vec![],
                docs: s.docs.clone(),
            }),
            _ => {}
        }
    }

    let stats: HashMap<String, PhraseStats> = scored
        .iter()
        .map(|s| {
            (
                s.key.clone(),
                PhraseStats {
                    count: s.count,
                    expected: s.expected,
                    growth: s.growth,
                    feeds: s.feeds,
                },
            )
        })
        .collect();
    let mut topics = Vec::new();
    for g in groups.into_iter() {
        let seed = &scored[g.seed];
        // Members by how many of the topic's items they explain; the label
        // is chosen later, from the items themselves.
        let mut members: Vec<usize> = g.members.iter().copied().filter(|&m| m != g.seed).collect();
        members.sort_by(|&a, &b| {
            scored[b]
                .docs
                .len()
                .cmp(&scored[a].docs.len())
                .then(scored[a].key.cmp(&scored[b].key))
        });
        let mut keys = vec![seed.key.clone()];
        keys.extend(members.iter().map(|&m| scored[m].key.clone()));
        let mut shown = keys.clone();
        shown.extend(g.related.iter().map(|&m| scored[m].key.clone()));
        let mut ids: Vec<i64> = g.docs.into_iter().collect();
        ids.sort_unstable();
        let max_score = g
            .members
            .iter()
            .map(|&m| scored[m].score)
            .fold(0.0, f64::max);
        if max_score < MIN_SCORE {
            continue;
        }
        topics.push(Topic {
            topic: seed.key.clone(),
            key: seed.key.clone(),
            score: round(max_score, 3),
            count: seed.count,
            expected: round(seed.expected, 2),
            growth: round(seed.growth, 1),
            feeds: seed.feeds,
            daily: Vec::new(),
            phrases: shown,
            phrase_keys: keys,
            items: Vec::new(),
            item_ids: ids,
        });
    }
    topics.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.key.cmp(&b.key)));
    topics.truncate(p.max_topics * 2);

    // ---- 5. labels, evidence, display forms, daily counts -------------------------------
    for t in &mut topics {
        finish_topic(store, t, &stats)?;
    }
    topics.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.key.cmp(&b.key)));
    // Two topics can end up sharing a label when a broad phrase joins each.
    let mut seen = HashSet::new();
    topics.retain(|t| seen.insert(t.key.clone()));
    topics.truncate(p.max_topics);
    daily_counts(index, &mut topics, b_from, w_from, to)?;
    Ok(topics)
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

/// For each segment, the ordinals of the candidate keys.
fn candidate_ordinals(index: &SearchIndex, keys: &[String]) -> Result<Vec<CandidateOrds>> {
    let searcher = index.searcher();
    let mut out = Vec::new();
    for seg in searcher.segment_readers() {
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
        out.push(c);
    }
    Ok(out)
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

/// Chooses the label, the evidence items and the display forms, reading
/// the topic's items (their stored phrases and titles).
///
/// The label is the member phrase that best names the story: it must be
/// carried by a good share of the topic's items, and among those, phrases
/// that headlines use win, then longer (more specific) ones. Sentence
/// fragments that recur in bodies ("channels to match") rarely make titles.
fn finish_topic(store: &Store, t: &mut Topic, stats: &HashMap<String, PhraseStats>) -> Result<()> {
    // A big topic has thousands of items; the newest few hundred are plenty
    // to choose a label and the evidence.
    let sample = &t.item_ids[t.item_ids.len().saturating_sub(EVIDENCE_SAMPLE)..];
    let items = store.items_by_ids(sample)?;
    let n = items.len().max(1) as f64;
    let title_keys: Vec<String> = items
        .iter()
        .map(|i| phrases::normalise(&i.title).unwrap_or_default())
        .collect();
    let mut best: Option<(f64, usize)> = None;
    for (pos, key) in t.phrase_keys.iter().enumerate() {
        let words: Vec<&str> = key.split(' ').collect();
        let carried = items
            .iter()
            .filter(|i| i.phrases.iter().any(|p| p == key))
            .count() as f64
            / n;
        let in_titles = title_keys
            .iter()
            .filter(|tk| contains_words(tk, &words))
            .count() as f64
            / n;
        if carried < 0.4 || words.len() > 4 {
            continue;
        }
        let inner_stop = words.len() > 2
            && words[1..words.len() - 1]
                .iter()
                .any(|w| w.len() <= 3 && !w.chars().any(|c| c.is_ascii_digit()));
        // A single word is rarely the most specific name of a story.
        let quality = in_titles * 2.0 + carried + 0.25 * words.len().min(3) as f64
            - if words.len() == 1 { 0.5 } else { 0.0 }
            - if inner_stop { 0.5 } else { 0.0 }
            + if pos == 0 { 0.05 } else { 0.0 };
        if best.is_none_or(|(q, _)| quality > q) {
            best = Some((quality, pos));
        }
    }
    let label_pos = best.map_or(0, |(_, p)| p);
    let label_key = t.phrase_keys[label_pos].clone();
    let label_words: Vec<&str> = label_key.split(' ').collect();
    let headline_share = title_keys
        .iter()
        .filter(|tk| contains_words(tk, &label_words))
        .count() as f64
        / n;
    // A story that no headline names is usually a recurring sentence inside
    // another story, not a story: it keeps at most half its score.
    t.score = round(t.score * (0.5 + headline_share.min(0.5)), 3);
    t.phrase_keys.swap(0, label_pos);
    t.phrases.swap(0, label_pos);
    t.key = t.phrase_keys[0].clone();
    t.topic = t.key.clone();
    if let Some(s) = stats.get(&t.key) {
        t.count = s.count;
        t.expected = round(s.expected, 2);
        t.growth = round(s.growth, 1);
        t.feeds = s.feeds;
    }

    let label_words: Vec<&str> = t.key.split(' ').collect();
    let mut ranked: Vec<(f64, &crate::store::StoredItem)> = items
        .iter()
        .zip(&title_keys)
        .map(|(i, tk)| {
            let in_title = contains_words(tk, &label_words);
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
            .then(a.1.id.cmp(&b.1.id))
    });
    // Parts of the label ("tiktok", "shop" of "tiktok shop") say nothing new.
    let label_set: HashSet<&str> = label_words.iter().copied().collect();
    let label = t.phrases[0].clone();
    t.phrases
        .retain(|k| *k == label || !k.split(' ').all(|w| label_set.contains(w)));
    // Display forms: how the top items write each phrase.
    let mut displays: HashMap<String, HashMap<String, usize>> = HashMap::new();
    for (_, i) in ranked.iter().take(20) {
        let paras: Vec<&str> = i.body.split("\n\n").collect();
        for p in phrases::extract(&i.title, &paras) {
            if t.phrases.contains(&p.key) {
                *displays
                    .entry(p.key)
                    .or_default()
                    .entry(p.display)
                    .or_default() += 1;
            }
        }
    }
    for shown in t.phrases.iter_mut() {
        if let Some(forms) = displays.get(shown.as_str())
            && let Some((d, _)) = forms
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        {
            *shown = d.clone();
        }
    }
    t.topic = t.phrases[0].clone();
    // Related phrases worth showing a reader: names and multi-word phrases,
    // not common words ("pages") or clause fragments ("channels to match").
    let label = t.phrases[0].clone();
    let label_key: Vec<String> = t.key.split(' ').map(str::to_owned).collect();
    t.phrases.retain(|p| {
        // "TikTok Shop prices" says little more than "TikTok Shop".
        let key = phrases::normalise(p).unwrap_or_default();
        let words: Vec<&str> = label_key.iter().map(String::as_str).collect();
        *p == label || (worth_showing(p) && !contains_words(&key, &words))
    });
    t.phrases.truncate(RELATED_SHOWN + 1);

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
fn daily_counts(
    index: &SearchIndex,
    topics: &mut [Topic],
    b_from: i64,
    w_from: i64,
    to: i64,
) -> Result<()> {
    let days = ((to - b_from) as f64 / 86_400.0).ceil() as usize;
    let all_keys: Vec<String> = topics.iter().flat_map(|t| t.phrase_keys.clone()).collect();
    let maps = candidate_ordinals(index, &all_keys)?;
    // key index → topic index
    let mut owner = Vec::new();
    for (ti, t) in topics.iter().enumerate() {
        owner.extend(std::iter::repeat_n(ti, t.phrase_keys.len()));
    }
    let mut counts = vec![vec![0u32; days]; topics.len()];
    for_each_doc(index, b_from, to, |seg, _, doc, ords| {
        let day = (((doc.published - b_from - 1).max(0)) / 86_400) as usize;
        let mut hit = vec![false; counts.len()];
        for o in ords {
            if let Some(k) = maps[seg].get(o) {
                hit[owner[k as usize]] = true;
            }
        }
        for (ti, h) in hit.into_iter().enumerate() {
            if h && day < days {
                counts[ti][day] += 1;
            }
        }
    })?;
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
