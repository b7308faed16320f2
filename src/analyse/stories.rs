//! Stories: one event, reported by several feeds, as one unit.
//!
//! A week of news holds the same event many times over: each outlet's own
//! report, follow-ups, wire copy republished word for word. Counting those
//! as separate items lets one syndicated article look like a trend, and
//! lets a big event hide among its own copies. So a period's items are
//! grouped into stories first, by single-pass clustering as in topic
//! detection and tracking (Allan et al., 1998):
//!
//! - each item is a sparse vector of its headline's content words and its
//!   best stored key phrases (which come from the headline and the lead),
//!   weighted by how rare they are in the period (idf). The phrases are
//!   read as the hashed ids stored beside them (`phrase_ids`, copied with
//!   the rest of what clustering reads into the narrow `item_heads` table),
//!   so a week of items is read without touching their rows or parsing
//!   their phrases;
//!   their text is read only for the stories that get a label from it;
//! - items are visited in publication order (ties by feed URL and guid,
//!   never row ids, so the result does not depend on poll order); each
//!   joins the most similar story still active (last item at most
//!   [`STORY_GAP_SECS`] earlier) when the cosine to the story's centroid
//!   reaches [`JOIN_SIMILARITY`] and they share at least [`MIN_SHARED`]
//!   distinctive terms, or else starts a story of its own;
//! - candidate stories come from an inverted index of each item's rarest
//!   terms, so the cost grows with the number of matches, not with items².
//!
//! A story then gets its headline (the most central title), its label (the
//! longest phrase its headlines share that reads as a name or noun phrase,
//! see [`super::labels`]) and its type (see [`super::types`]).

use anyhow::Result;
use chrono::{DateTime, Duration, Utc};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::analyse::labels;
use crate::analyse::lexicon;
use crate::analyse::phrases;
use crate::analyse::types::{self, TopicType};
use crate::store::{Store, StoryRow, decode_phrase_ids, rfc3339, term_id};

/// Cosine to a story's centroid from which an item joins it. Tuned on the
/// hand-written news and trade-press corpora in `tests/fixtures/corpora`
/// (0.18–0.26 all keep purity ≥ 0.97 there; lower merges more of a big
/// story's follow-ups).
pub const JOIN_SIMILARITY: f32 = 0.22;
/// Terms an item must share with a story to join it: one shared name
/// ("Jordan") is how two unrelated events get mixed.
pub const MIN_SHARED: usize = 2;
/// A story with no new item for this long is over; a later item starts a new one.
pub const STORY_GAP_SECS: i64 = 3 * 86_400;
/// An item looks for its story through this many of its rarest terms.
pub const PROBE_TERMS: usize = 8;
/// Terms in more than this share of the period's items ("said", "year")
/// mark no story and are not used to look stories up.
pub const MAX_DF_SHARE: f64 = 0.1;
/// ... but a small corpus always allows this many.
pub const MIN_MAX_DF: u32 = 12;
/// Weights by where a term comes from: a headline word says most about
/// which event an item reports; a multi-word phrase more than a word.
const TITLE_WEIGHT: f32 = 2.0;
const PHRASE_WEIGHT: f32 = 1.0;
const MULTIWORD_WEIGHT: f32 = 1.5;
/// Stories compared per item at most (those sharing most of its rare terms).
const MAX_CANDIDATES: usize = 12;
/// Entries of a term's postings list scanned per look-up, newest first.
const POSTINGS_SCAN: usize = 64;
/// A story is one event when at least [`EVENT_SHARE`] of its items fall
/// within this span.
pub const EVENT_SPAN_SECS: i64 = 3 * 86_400;
pub const EVENT_SHARE: f64 = 0.6;

#[derive(Debug, Clone)]
pub struct Params {
    pub as_of: DateTime<Utc>,
    pub window: Duration,
}

/// One item of a story, as shown.
#[derive(Debug, Clone, Serialize)]
pub struct StoryItem {
    pub title: String,
    pub url: Option<String>,
    pub feed: String,
    pub published: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub guid: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Story {
    /// The most central title.
    pub headline: String,
    /// The headline's link.
    pub url: Option<String>,
    /// What a reader calls it: a name or noun phrase the headlines share,
    /// else a short form of the headline.
    pub label: String,
    #[serde(rename = "type")]
    pub kind: TopicType,
    /// Distinct feeds, by name, sorted.
    pub feeds: Vec<String>,
    pub first_seen: String,
    pub last_seen: String,
    /// Every item, oldest first.
    pub items: Vec<StoryItem>,
    #[serde(skip)]
    pub feed_ids: Vec<i64>,
    /// One event: most of its items came within [`EVENT_SPAN_SECS`]. A
    /// group spread evenly over the period is a subject many feeds keep
    /// writing about (a theme), not a story.
    pub event: bool,
    #[serde(skip)]
    pub first: i64,
    #[serde(skip)]
    pub last: i64,
    /// Normalised key of the label when it is a phrase, for counting it in the baseline.
    #[serde(skip)]
    pub label_key: Option<String>,
    /// The stored phrases most of its items carry, most shared first.
    #[serde(skip)]
    pub shared_phrases: Vec<String>,
    /// Stored phrases two or more of its items carry, with the share of
    /// items that do (for its label).
    #[serde(skip)]
    pub phrase_share: FxHashMap<String, f64>,
    /// Items of the whole period carrying each of its phrases and headline
    /// words, where known: how much of a phrase's use is this story's.
    #[serde(skip)]
    pub period_df: FxHashMap<String, u32>,
}

impl Story {
    pub fn item_ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.items.iter().map(|i| i.id)
    }
}

/// A period's items grouped into stories, biggest first (most feeds, then
/// most items, then earliest). Every item belongs to exactly one story.
pub struct Clustering {
    pub stories: Vec<Story>,
    /// Item id → index into `stories`.
    pub story_of: FxHashMap<i64, usize>,
}

/// Groups the items of `(as_of - window, as_of]` into stories. Stories
/// carried by at least `label_min_feeds` feeds get a label from their
/// headlines; the others keep a short form of their headline. Types and
/// body-checked labels come from [`describe`], which callers run only on
/// the stories they show (it reads bodies).
pub fn cluster(store: &Store, p: &Params, label_min_feeds: usize) -> Result<Clustering> {
    let to = p.as_of.timestamp();
    let from = to - p.window.num_seconds();
    let started = std::time::Instant::now();
    let rows = store.story_rows(from, to)?;
    tracing::debug!(
        items = rows.len(),
        "stories: rows read in {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    cluster_rows(&rows, label_min_feeds, &|ids| store.phrases_of(ids))
}

/// Reads the stored phrases (text, best first) of the given items.
pub type PhrasesOf<'a> = dyn Fn(&[i64]) -> Result<FxHashMap<i64, Vec<String>>> + 'a;

/// [`cluster`] over rows already read (in [`Store::story_rows`] order):
/// `tricorder topic` groups only the items its query matched. Clustering
/// needs only the rows' hashed phrases; `phrases_of` gives the text of
/// the phrases of the few stories that get a label from them.
pub fn cluster_rows(
    rows: &[StoryRow],
    label_min_feeds: usize,
    phrases_of: &PhrasesOf,
) -> Result<Clustering> {
    let started = std::time::Instant::now();
    let (groups, df) = group(rows);
    let grouped = started.elapsed();
    let label_min_feeds = label_min_feeds.max(2);
    let labelled: Vec<i64> = groups
        .iter()
        .filter(|g| feed_count(rows, g) >= label_min_feeds)
        .flat_map(|g| g.iter().map(|&m| rows[m].id))
        .collect();
    let phrases = phrases_of(&labelled)?;
    let mut stories = assemble_all(rows, groups, &df, label_min_feeds, &phrases);
    tracing::debug!(
        items = rows.len(),
        stories = stories.len(),
        "stories: grouped in {:.0} ms, assembled in {:.0} ms ({} items' phrases read)",
        grouped.as_secs_f64() * 1000.0,
        (started.elapsed() - grouped).as_secs_f64() * 1000.0,
        labelled.len()
    );
    // A stable sort, on the cores: the same order as one thread's.
    stories.par_sort_by(|a, b| {
        b.feed_ids
            .len()
            .cmp(&a.feed_ids.len())
            .then(b.items.len().cmp(&a.items.len()))
            .then(a.first.cmp(&b.first))
            .then_with(|| a.items[0].guid.cmp(&b.items[0].guid))
    });
    let story_of = stories
        .iter()
        .enumerate()
        .flat_map(|(si, s)| s.item_ids().map(move |id| (id, si)))
        .collect();
    tracing::debug!(
        "stories: sorted and indexed by {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(Clustering { stories, story_of })
}

/// Distinct feeds among a group's rows.
fn feed_count(rows: &[StoryRow], members: &[usize]) -> usize {
    let mut feeds: Vec<i64> = members.iter().map(|&m| rows[m].feed_id).collect();
    feeds.sort_unstable();
    feeds.dedup();
    feeds.len()
}

/// A clustered group: indexes into the rows, and the centroid's terms.
struct Group {
    members: Vec<usize>,
    /// The sum of its members' vectors; `None` while it has one member
    /// (whose vector it then is): most items are stories of their own, and
    /// a map for each was most of the clustering's memory traffic.
    sum: Option<FxHashMap<u64, f32>>,
    norm2: f64,
}

impl Group {
    /// (dot product with `v`, terms shared that mark stories).
    fn dot(&self, v: &Vector, vectors: &[Vector]) -> (f32, usize) {
        let (mut dot, mut shared) = (0f32, 0);
        match &self.sum {
            Some(sum) => {
                for (t, w, probe) in &v.terms {
                    if let Some(s) = sum.get(t) {
                        dot += w * s;
                        shared += usize::from(*probe);
                    }
                }
            }
            None => {
                // Both sorted by term: a merge.
                let other = &vectors[self.members[0]].terms;
                let (mut i, mut j) = (0, 0);
                while i < v.terms.len() && j < other.len() {
                    match v.terms[i].0.cmp(&other[j].0) {
                        std::cmp::Ordering::Less => i += 1,
                        std::cmp::Ordering::Greater => j += 1,
                        std::cmp::Ordering::Equal => {
                            dot += v.terms[i].1 * other[j].1;
                            shared += usize::from(v.terms[i].2);
                            i += 1;
                            j += 1;
                        }
                    }
                }
            }
        }
        (dot, shared)
    }

    fn add(&mut self, m: usize, vectors: &[Vector]) {
        if self.members.is_empty() {
            self.norm2 = f64::from(vectors[m].norm).powi(2);
            self.members.push(m);
            return;
        }
        if self.sum.is_none() {
            let first = &vectors[self.members[0]];
            self.sum = Some(first.terms.iter().map(|(t, w, _)| (*t, *w)).collect());
        }
        let sum = self.sum.as_mut().expect("made above");
        for (t, w, _) in &vectors[m].terms {
            let e = sum.entry(*t).or_insert(0.0);
            let old = f64::from(*e);
            *e += w;
            self.norm2 += f64::from(*e).powi(2) - old * old;
        }
        self.members.push(m);
    }
}

/// An item's terms: (term id, weight), and the vector's length.
struct Vector {
    /// (term, weight, whether the term marks stories (its document
    /// frequency is in `2..=max_df`)), sorted by term.
    terms: Vec<(u64, f32, bool)>,
    /// The terms that mark stories, rarest first: (document frequency, term).
    probes: Vec<(u32, u64)>,
    norm: f32,
}

/// Single-pass clustering of `rows` (already in publication order).
fn group(rows: &[StoryRow]) -> (Vec<Vec<usize>>, TermDf) {
    let started = std::time::Instant::now();
    let (vectors, df) = vectorise(rows);
    tracing::debug!(
        "stories: vectors in {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );

    let mut groups: Vec<Group> = Vec::new();
    // Term → groups that hold it, most recently joined last. A group is
    // appended again each time an item with the term joins it, so the
    // groups still growing are always near the end, where the scan looks.
    let mut postings: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    // Per group, in one dense array (looked at for every postings entry
    // scanned, so one cache line instead of three): when it last grew, how
    // many of the current item's probes found it, and the last (item,
    // probe) that counted it, so a group listed twice in one postings list
    // counts once.
    #[derive(Clone, Copy)]
    struct Hit {
        last: i64,
        item: u32,
        probe: u32,
        count: u32,
    }
    let mut hits: Vec<Hit> = Vec::new();
    let mut hit_groups: Vec<u32> = Vec::new();
    for (i, (row, v)) in rows.iter().zip(&vectors).enumerate() {
        let probes = &v.probes;
        hit_groups.clear();
        let oldest = row.published - STORY_GAP_SECS;
        let item = i as u32;
        for (pi, (_, t)) in probes.iter().enumerate() {
            let Some(list) = postings.get_mut(t) else {
                continue;
            };
            // Old entries beyond the scan window are dropped for good: a
            // group that still grows has a newer entry.
            if list.len() > 4 * POSTINGS_SCAN {
                list.drain(..list.len() - POSTINGS_SCAN);
            }
            let probe = pi as u32;
            for &g in list.iter().rev().take(POSTINGS_SCAN) {
                let h = &mut hits[g as usize];
                if h.last < oldest {
                    // Entries are in time order: older ones are older still.
                    break;
                }
                if h.item == item {
                    if h.probe == probe {
                        continue;
                    }
                } else {
                    h.item = item;
                    h.count = 0;
                    hit_groups.push(g);
                }
                h.probe = probe;
                h.count += 1;
            }
        }
        // A story shares at least two rare terms with its next item (see
        // MIN_SHARED); one shared probe is how chance matches look.
        let need = if probes.len() >= MIN_SHARED {
            MIN_SHARED as u32
        } else {
            1
        };
        let mut cands: Vec<(u32, u32)> = hit_groups
            .iter()
            .map(|&g| (g, hits[g as usize].count))
            .filter(|(_, c)| *c >= need)
            .collect();
        cands.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        cands.truncate(MAX_CANDIDATES);
        let mut best: Option<(u32, f32)> = None;
        for (g, _) in cands {
            let grp = &groups[g as usize];
            let (dot, shared) = grp.dot(v, &vectors);
            if shared < MIN_SHARED || v.norm == 0.0 || grp.norm2 <= 0.0 {
                continue;
            }
            let cos = dot / (v.norm * grp.norm2.sqrt() as f32);
            if cos >= JOIN_SIMILARITY && best.is_none_or(|(_, c)| cos > c) {
                best = Some((g, cos));
            }
        }
        let gi = match best {
            Some((g, _)) => g,
            None => {
                groups.push(Group {
                    members: Vec::new(),
                    sum: None,
                    norm2: 0.0,
                });
                hits.push(Hit {
                    last: row.published,
                    item: u32::MAX,
                    probe: u32::MAX,
                    count: 0,
                });
                (groups.len() - 1) as u32
            }
        };
        groups[gi as usize].add(i, &vectors);
        let h = &mut hits[gi as usize];
        h.last = h.last.max(row.published);
        for (_, t) in probes {
            let list = postings.entry(*t).or_default();
            if list.last() != Some(&gi) {
                list.push(gi);
            }
        }
    }
    // The headline is the member closest to the centroid: put it first.
    let groups = groups
        .into_iter()
        .map(|g| {
            // Most groups are one item: it is its own headline.
            if g.members.len() == 1 {
                return g.members;
            }
            let mut members = g.members.clone();
            let central = members
                .iter()
                .copied()
                .map(|m| {
                    let v = &vectors[m];
                    let (dot, _) = g.dot(v, &vectors);
                    (
                        m,
                        dot / (v.norm.max(1e-6) * g.norm2.sqrt().max(1e-6) as f32),
                    )
                })
                // Most central; on a tie the earliest (members are in time order).
                .fold(None::<(usize, f32)>, |best, (m, c)| match best {
                    Some((_, bc)) if bc >= c => best,
                    _ => Some((m, c)),
                })
                .map(|(m, _)| m)
                .unwrap_or(members[0]);
            members.retain(|&m| m != central);
            members.insert(0, central);
            members
        })
        .collect();
    (groups, df)
}

/// Each row's weighted term vector.
///
/// A term's id is a hash of its text (FxHash: the same in every process):
/// interning millions of phrase strings was most of the cost at scale, and
/// a collision between two terms only adds a little similarity.
fn vectorise(rows: &[StoryRow]) -> (Vec<Vector>, TermDf) {
    let max_df = ((rows.len() as f64 * MAX_DF_SHARE) as u32).max(MIN_MAX_DF);
    // Each row's terms are independent work: over the cores, in the rows' order.
    let raw: Vec<Vec<(u64, f32)>> = rows.par_iter().map(row_terms).collect();
    let n = rows.len() as f64;
    let (df, occurrence_df) = TermDf::count(&raw);
    let mut starts = Vec::with_capacity(raw.len());
    let mut at = 0;
    for t in &raw {
        starts.push(at);
        at += t.len();
    }
    let vectors = raw
        .into_par_iter()
        .zip(starts)
        .map(|(t, start)| {
            let mut probes: Vec<(u32, f32, u64)> = Vec::new();
            let terms: Vec<(u64, f32, bool)> = t
                .into_iter()
                .enumerate()
                .filter_map(|(k, (id, w))| {
                    let d = occurrence_df[start + k];
                    // A term no other item has cannot match any story; in
                    // the vector it would only dilute the terms that can.
                    if d < 2 {
                        return None;
                    }
                    let idf = ((n + 1.0) / (d as f64 + 0.5)).ln().max(0.0) as f32;
                    let probe = d <= max_df;
                    if probe {
                        probes.push((d, w, id));
                    }
                    Some((id, w * idf, probe))
                })
                .collect();
            let norm = terms.iter().map(|(_, w, _)| w * w).sum::<f32>().sqrt();
            // Rarest first; among equally rare terms, those from the
            // headline, then multi-word phrases, say most about the event
            // (then by id: reproducible). In a small corpus many terms tie,
            // and which of them look the story up decides whether its
            // reports find each other.
            probes.sort_unstable_by(|a, b| {
                a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2))
            });
            probes.truncate(PROBE_TERMS);
            Vector {
                terms,
                norm,
                probes: probes.into_iter().map(|(d, _, id)| (d, id)).collect(),
            }
        })
        .collect();
    (vectors, df)
}

/// How many of the period's items carry each term.
///
/// Kept in shards by the id's top bits, each counted on its own core: one
/// map of a week's million distinct terms was too big for any cache, and
/// counting into it, then looking every term up in it at random, was most
/// of the time spent on vectors.
pub(crate) struct TermDf {
    shards: Vec<FxHashMap<u64, u32>>,
}

impl TermDf {
    const SHARD_BITS: u32 = 6;

    fn shard(id: u64) -> usize {
        (id >> (64 - Self::SHARD_BITS)) as usize
    }

    /// The counts, and each term occurrence's count (in the order of
    /// `terms` flattened), looked up shard by shard while its map is in
    /// cache rather than term by term at random.
    fn count(terms: &[Vec<(u64, f32)>]) -> (TermDf, Vec<u32>) {
        use std::sync::atomic::{AtomicU32, Ordering};
        let shards = 1usize << Self::SHARD_BITS;
        let chunk = terms.len().div_ceil(64).max(1024);
        let mut starts = Vec::new();
        let mut total = 0;
        for part in terms.chunks(chunk) {
            starts.push(total);
            total += part.iter().map(Vec::len).sum::<usize>();
        }
        // Each chunk of items sorts its (term id, occurrence) into the shards ...
        let scattered: Vec<Vec<Vec<(u64, usize)>>> = terms
            .par_chunks(chunk)
            .zip(starts)
            .map(|(part, start)| {
                let mut out = vec![Vec::new(); shards];
                let mut at = start;
                for t in part {
                    for (id, _) in t {
                        out[Self::shard(*id)].push((*id, at));
                        at += 1;
                    }
                }
                out
            })
            .collect();
        // ... and each shard is counted from every chunk's part of it.
        let occurrence_df: Vec<AtomicU32> = (0..total).map(|_| AtomicU32::new(0)).collect();
        let shards = (0..shards)
            .into_par_iter()
            .map(|s| {
                let mut m: FxHashMap<u64, u32> = FxHashMap::default();
                m.reserve(scattered.iter().map(|c| c[s].len()).sum::<usize>() / 2);
                for c in &scattered {
                    for (id, _) in &c[s] {
                        *m.entry(*id).or_default() += 1;
                    }
                }
                for c in &scattered {
                    for (id, at) in &c[s] {
                        occurrence_df[*at].store(m[id], Ordering::Relaxed);
                    }
                }
                m
            })
            .collect();
        let occurrence_df = occurrence_df
            .into_iter()
            .map(AtomicU32::into_inner)
            .collect();
        (TermDf { shards }, occurrence_df)
    }

    fn get(&self, id: u64) -> Option<u32> {
        self.shards[Self::shard(id)].get(&id).copied()
    }
}

/// One row's terms: its headline's content words and its best phrases,
/// each with the weight of where it comes from, sorted by term.
fn row_terms(r: &StoryRow) -> Vec<(u64, f32)> {
    let mut terms: Vec<(u64, f32)> = Vec::with_capacity(24);
    for w in phrases::content_words(&r.title) {
        terms.push((term_id(&w), TITLE_WEIGHT));
    }
    for (id, multiword) in decode_phrase_ids(&r.phrase_ids) {
        let w = if multiword {
            MULTIWORD_WEIGHT
        } else {
            PHRASE_WEIGHT
        };
        terms.push((id, w));
    }
    // One weight per term: the highest.
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
    terms.dedup_by_key(|t| t.0);
    terms
}

/// Every group's story, in the groups' order. Split over the cores as
/// the vectors are: each story is built from its own rows alone.
fn assemble_all(
    rows: &[StoryRow],
    groups: Vec<Vec<usize>>,
    df: &TermDf,
    label_min_feeds: usize,
    phrases: &FxHashMap<i64, Vec<String>>,
) -> Vec<Story> {
    groups
        .into_par_iter()
        .map(|g| assemble(rows, g, df, label_min_feeds, phrases))
        .collect()
}

/// A story from its rows; `members[0]` is the headline item.
fn assemble(
    rows: &[StoryRow],
    members: Vec<usize>,
    df: &TermDf,
    label_min_feeds: usize,
    phrases: &FxHashMap<i64, Vec<String>>,
) -> Story {
    let head = &rows[members[0]];
    let mut sorted = members.clone();
    sorted.sort_unstable();
    let items: Vec<StoryItem> = sorted
        .iter()
        .map(|&m| {
            let r = &rows[m];
            StoryItem {
                title: r.title.clone(),
                url: r.url.clone(),
                feed: r.feed.to_string(),
                published: rfc3339(r.published),
                id: r.id,
                guid: r.guid.clone(),
            }
        })
        .collect();
    let mut feeds: Vec<(&str, i64, &str)> = sorted
        .iter()
        .map(|&m| (&*rows[m].feed, rows[m].feed_id, &*rows[m].feed_url))
        .collect();
    feeds.sort_by(|a, b| a.2.cmp(b.2));
    feeds.dedup_by(|a, b| a.2 == b.2);
    let first = rows[sorted[0]].published;
    let last = rows[*sorted.last().unwrap_or(&sorted[0])].published;
    // The densest span: members are in time order.
    let times: Vec<i64> = sorted.iter().map(|&m| rows[m].published).collect();
    let mut densest = 0;
    let mut lo = 0;
    for hi in 0..times.len() {
        while times[hi] - times[lo] > EVENT_SPAN_SECS {
            lo += 1;
        }
        densest = densest.max(hi - lo + 1);
    }
    let event = densest as f64 >= EVENT_SHARE * times.len() as f64;
    // Phrases carried by at least half the items (and two of them).
    let mut counts: FxHashMap<String, usize> = FxHashMap::default();
    // Only a story enough feeds carry gets a label from its phrases (a
    // headline's phrases cost as much as an item's analysis): the others
    // skip this, and keep a short form of their headline until described.
    let labelled = feeds.len() >= label_min_feeds;
    let no_phrases = Vec::new();
    let phrases_of = |m: usize| phrases.get(&rows[m].id).unwrap_or(&no_phrases);
    if labelled {
        for &m in &sorted {
            for p in phrases_of(m) {
                *counts.entry(p.clone()).or_default() += 1;
            }
        }
    }
    let phrase_share: FxHashMap<String, f64> = counts
        .iter()
        .filter(|(_, c)| **c >= 2)
        .map(|(k, c)| (k.clone(), *c as f64 / sorted.len() as f64))
        .collect();
    // How many items of the whole period carry each of its candidate
    // label words and phrases (only for stories that get a label).
    let mut period_df: FxHashMap<String, u32> = FxHashMap::default();
    if labelled {
        for &m in &sorted {
            let keys = phrases::title_phrases(&rows[m].title)
                .into_iter()
                .map(|p| p.key)
                .chain(phrases_of(m).iter().cloned());
            for k in keys {
                if let Some(d) = df.get(term_id(&k)) {
                    period_df.insert(k, d);
                }
            }
        }
    }
    let need = (sorted.len().div_ceil(2)).max(2);
    let mut shared: Vec<(String, usize)> = counts.into_iter().filter(|(_, c)| *c >= need).collect();
    shared.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let first_seen = rfc3339(first);
    let mut feed_names: Vec<String> = feeds.iter().map(|f| f.0.to_owned()).collect();
    feed_names.sort();
    feed_names.dedup();
    // A story enough feeds carry is named by what its headlines share.
    let (label, label_key) = if labelled {
        let titles: Vec<(&str, &str)> = items
            .iter()
            .map(|i| (i.title.as_str(), i.feed.as_str()))
            .collect();
        match label_from_titles(&titles, &phrase_share, &period_df, &FxHashMap::default()) {
            Some((key, display)) => (display, Some(key)),
            None => (short_headline(&head.title), None),
        }
    } else if feeds.len() > 1 {
        (short_headline(&head.title), None)
    } else {
        (String::new(), None)
    };
    Story {
        headline: head.title.clone(),
        url: head.url.clone(),
        label,
        kind: TopicType::Unknown,
        feeds: feed_names,
        first_seen: first_seen.clone(),
        last_seen: if last == first {
            first_seen
        } else {
            rfc3339(last)
        },
        event,
        items,
        feed_ids: feeds.iter().map(|f| f.1).collect(),
        first,
        last,
        label_key,
        shared_phrases: shared.into_iter().map(|(p, _)| p).collect(),
        phrase_share,
        period_df,
    }
}

/// Items whose bodies [`describe`] reads.
const DESCRIBE_ITEMS: usize = 8;

/// Labels and types a story from its headlines and a few of its bodies.
/// Headlines are often in title case ("Chancellor Unveils Budget"), so a
/// phrase is shown the way the bodies write it mid-sentence, and judged
/// as a label in that form: "Budget" in a headline is "budget" in a body,
/// a common word, not a name.
pub fn describe(store: &Store, s: &mut Story) -> Result<()> {
    let ids: Vec<i64> = s.items.iter().take(DESCRIBE_ITEMS).map(|i| i.id).collect();
    let bodies = store.items_by_ids(&ids)?;
    let mut forms: FxHashMap<String, FxHashMap<String, usize>> = FxHashMap::default();
    for b in &bodies {
        let paras: Vec<&str> = b.body.split("\n\n").collect();
        for p in phrases::extract("", &paras) {
            *forms
                .entry(p.key)
                .or_default()
                .entry(p.display)
                .or_default() += 1;
        }
    }
    let body_display: FxHashMap<String, String> = forms
        .into_iter()
        .filter_map(|(k, f)| {
            f.into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                .map(|(d, _)| (k, d))
        })
        .collect();
    let titles: Vec<(&str, &str)> = s
        .items
        .iter()
        .map(|i| (i.title.as_str(), i.feed.as_str()))
        .collect();
    match label_from_titles(&titles, &s.phrase_share, &s.period_df, &body_display) {
        Some((key, display)) => {
            s.label = display;
            s.label_key = Some(key);
        }
        None => {
            s.label = short_headline(&s.headline);
            s.label_key = None;
        }
    }
    // Type evidence: the headlines, and the body sentences that mention the label.
    let label_lower = s.label.to_lowercase();
    let mut evidence: Vec<&str> = s.items.iter().map(|i| i.title.as_str()).collect();
    for b in &bodies {
        for sentence in super::questions::sentences(&b.body) {
            if sentence.to_lowercase().contains(&label_lower) {
                evidence.push(sentence);
            }
        }
    }
    s.kind = types::classify(&s.label, &evidence, true);
    Ok(())
}

/// Share of a story's feeds whose headlines must hold a phrase for it to
/// name the story (two feeds at least), unless most items carry it.
const LABEL_MIN_TITLE_SHARE: f64 = 0.3;
/// Share of the items that must carry a phrase the headlines do not share.
const LABEL_MIN_ITEM_SHARE: f64 = 0.6;
/// What one more word is worth: "Storm Hollis" over "Hollis",
/// "answer engine optimization" over "AI answers" when both are carried.
const LABEL_WORD_BONUS: f64 = 0.15;
/// What a lone word loses against phrases: "Centre" is a part of "New
/// Centre" or "Dutch election", rarely the name of the story.
const LABEL_LONE_WORD_PENALTY: f64 = 0.35;

/// The label a story's headlines and items agree on: (key, display).
///
/// Candidates are the phrases of each headline and the phrases most items
/// carry. A candidate's support is the share of distinct feeds whose
/// headline holds it (syndicated copies count once) plus the share of
/// items that carry it; among those that read as labels
/// ([`labels::label_problem`]), the best supported wins, with a bonus per
/// word for being specific, and a longer phrase that contains the winner
/// replaces it when nearly as well supported (names kept whole).
///
/// `item_share` gives, per key, the share of the story's items carrying
/// it; `body_display` the form bodies write a key in, which wins over the
/// headlines' (headlines are often in title case; see [`describe`]).
pub fn label_from_titles(
    titles: &[(&str, &str)],
    item_share: &FxHashMap<String, f64>,
    period_df: &FxHashMap<String, u32>,
    body_display: &FxHashMap<String, String>,
) -> Option<(String, String)> {
    struct Cand {
        feeds: Vec<String>,
        displays: FxHashMap<String, usize>,
        words: usize,
        titles: usize,
    }
    let mut cands: FxHashMap<String, Cand> = FxHashMap::default();
    let mut all_feeds: Vec<&str> = titles.iter().map(|t| t.1).collect();
    all_feeds.sort_unstable();
    all_feeds.dedup();
    for (title, feed) in titles {
        for p in phrases::title_phrases(title) {
            let c = cands.entry(p.key).or_insert_with(|| Cand {
                feeds: Vec::new(),
                displays: FxHashMap::default(),
                words: p.words,
                titles: 0,
            });
            c.titles += 1;
            if !c.feeds.iter().any(|f| f == feed) {
                c.feeds.push((*feed).to_owned());
            }
            *c.displays.entry(p.display).or_default() += 1;
        }
    }
    // Phrases most items carry, though few headlines use them.
    for (key, share) in item_share {
        if *share >= LABEL_MIN_ITEM_SHARE
            && !cands.contains_key(key)
            && let Some(d) = body_display.get(key)
        {
            cands.insert(
                key.clone(),
                Cand {
                    feeds: Vec::new(),
                    displays: FxHashMap::from_iter([(d.clone(), 1)]),
                    words: key.split(' ').count(),
                    titles: 0,
                },
            );
        }
    }
    let n = all_feeds.len().max(1) as f64;
    let mut ok: Vec<(String, String, f64, usize)> = cands
        .into_iter()
        .filter_map(|(key, c)| {
            let title_share = c.feeds.len() as f64 / n;
            let items = item_share.get(&key).copied().unwrap_or(0.0);
            let in_titles = title_share >= LABEL_MIN_TITLE_SHARE && (c.feeds.len() >= 2 || n < 2.0);
            if !in_titles && items < LABEL_MIN_ITEM_SHARE {
                return None;
            }
            // The form most headlines use, unless the bodies say otherwise.
            let mut forms: Vec<(String, usize)> = c.displays.into_iter().collect();
            forms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let display = body_display
                .get(&key)
                .cloned()
                .unwrap_or_else(|| forms[0].0.clone());
            // How much of the phrase's use in the period is this story's:
            // "Zipride" is all this story's, "Supreme Court" everybody's.
            let here = (items * titles.len() as f64).max(c.titles as f64);
            let own = period_df
                .get(&key)
                .map_or(1.0, |d| (here / f64::from(*d).max(here)).min(1.0));
            // A lone word is rarely the story's name, unless it is a name
            // the story has to itself ("Zipride").
            let lone = c.words == 1
                && !labels::is_acronym(&display)
                && !(own >= 0.8 && labels::is_name_word(&display));
            // A verb inside makes a headline fragment ("Centre wins Dutch
            // election"), not a name.
            let words: Vec<&str> = display.split_whitespace().collect();
            let inner_verb = words.len() > 2
                && words[1..words.len() - 1].iter().any(|w| {
                    lexicon::is_verb_form(w) && !w.chars().next().is_some_and(char::is_uppercase)
                });
            let support = (title_share + items) * (0.5 + 0.5 * own)
                + LABEL_WORD_BONUS * (c.words.min(4) - 1) as f64
                - if lone { LABEL_LONE_WORD_PENALTY } else { 0.0 }
                - if inner_verb {
                    LABEL_LONE_WORD_PENALTY
                } else {
                    0.0
                };
            labels::label_problem(&display)
                .is_none()
                .then_some((key, display, support, c.words))
        })
        .collect();
    ok.sort_by(|a, b| b.2.total_cmp(&a.2).then(b.3.cmp(&a.3)).then(a.0.cmp(&b.0)));
    let (mut best_key, mut best_display, best_support, _) = ok.first()?.clone();
    // Prefer the longest phrase that contains the best and is nearly as supported.
    let mut best_words = best_key.split(' ').count();
    for (key, display, support, words) in &ok {
        if *words > best_words && *support >= best_support * 0.75 && contains_phrase(key, &best_key)
        {
            best_key = key.clone();
            best_display = display.clone();
            best_words = *words;
        }
    }
    Some((best_key, best_display))
}

/// Does the key `hay` contain the key `needle` as whole words?
fn contains_phrase(hay: &str, needle: &str) -> bool {
    let h: Vec<&str> = hay.split(' ').collect();
    let n: Vec<&str> = needle.split(' ').collect();
    h.windows(n.len()).any(|w| w == n.as_slice())
}

/// A headline cut to its first clause and at most eight words, for a
/// story whose headlines share no phrase that reads as a label.
pub fn short_headline(title: &str) -> String {
    let first = title
        .split([':', '|', '—', '–'])
        .map(str::trim)
        .find(|p| p.split_whitespace().count() >= 2)
        .unwrap_or(title.trim());
    let first = first.split(" - ").next().unwrap_or(first);
    let words: Vec<&str> = first.split_whitespace().collect();
    if words.len() <= 8 {
        words.join(" ")
    } else {
        format!("{}…", words[..8].join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, feed: &str, t: i64, title: &str, phrases: &[&str]) -> StoryRow {
        StoryRow {
            id,
            feed_id: feed.len() as i64,
            feed_url: format!("http://{feed}.example/feed").into(),
            feed: feed.into(),
            guid: format!("{feed}-{id}"),
            url: None,
            title: title.to_owned(),
            published: t,
            phrase_ids: crate::store::phrase_ids(
                &phrases.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
            ),
        }
    }

    #[test]
    fn one_event_from_several_outlets_is_one_story_and_a_shared_name_is_not() {
        let h = 3600;
        let mut rows = vec![
            row(
                1,
                "wire",
                h,
                "Jordan's King Abdullah arrives in London for talks",
                &[
                    "king abdullah",
                    "jordan",
                    "london",
                    "talk",
                    "downing street",
                    "prime minister",
                ],
            ),
            row(
                2,
                "herald",
                2 * h,
                "King Abdullah of Jordan meets prime minister at Downing Street",
                &[
                    "king abdullah",
                    "jordan",
                    "downing street",
                    "prime minister",
                    "talk",
                ],
            ),
            row(
                3,
                "sport",
                3 * h,
                "Jordan Pickford signs new Everton contract",
                &[
                    "jordan pickford",
                    "everton",
                    "contract",
                    "goalkeeper",
                    "premier league",
                ],
            ),
            row(
                4,
                "ledger",
                4 * h,
                "Abdullah visit: Jordan and UK sign trade pact",
                &[
                    "king abdullah",
                    "jordan",
                    "trade pact",
                    "visit",
                    "downing street",
                ],
            ),
            row(
                5,
                "herald",
                5 * h,
                "Pickford: Everton goalkeeper commits future to club",
                &[
                    "jordan pickford",
                    "everton",
                    "goalkeeper",
                    "contract",
                    "club",
                ],
            ),
        ];
        // Filler so that idf means something.
        for i in 0..40 {
            rows.push(row(
                100 + i,
                "filler",
                6 * h + i,
                &format!("Council budget item {i} on road repairs number{i}"),
                &["council", "road repair"],
            ));
        }
        rows.sort_by_key(|r| r.published);
        let (groups, _) = group(&rows);
        let of = |id: i64| {
            let idx = rows.iter().position(|r| r.id == id).unwrap();
            groups.iter().position(|g| g.contains(&idx)).unwrap()
        };
        assert_eq!(of(1), of(2));
        assert_eq!(of(1), of(4));
        assert_eq!(of(3), of(5));
        assert_ne!(of(1), of(3));
    }

    #[test]
    fn headlines_name_the_story_with_their_longest_shared_phrase() {
        let titles = [
            ("Synthetic focus groups go mainstream at big agencies", "a"),
            ("Why brands are testing synthetic focus groups", "b"),
            (
                "Synthetic focus groups: the research shortcut everyone wants",
                "c",
            ),
            ("Focus groups without people?", "d"),
        ];
        let (key, display) = label_from_titles(
            &titles,
            &FxHashMap::default(),
            &FxHashMap::default(),
            &FxHashMap::default(),
        )
        .unwrap();
        assert_eq!(key, "synthetic focus group");
        assert_eq!(display.to_lowercase(), "synthetic focus groups");
    }

    #[test]
    fn long_headlines_are_cut_to_their_first_clause() {
        assert_eq!(
            short_headline("Budget 2026: what the tax rises mean for you"),
            "Budget 2026"
        );
        assert_eq!(
            short_headline(
                "Storm Amy batters the north-west as thousands of homes lose power overnight"
            ),
            "Storm Amy batters the north-west as thousands of…"
        );
    }
}
