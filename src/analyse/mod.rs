//! Analysis: what the industry is talking about, and asking.
//!
//! - [`phrases`]: an item's key phrases, extracted once at ingest.
//! - [`questions`]: the questions an item asks, found once at ingest.
//! - [`trends`]: topics growing against their own baseline, counted from the index.
//! - [`open_questions`](crate::analyse::open_questions): the industry's questions, grouped and ranked.
//!
//! Extraction functions are pure (text in, strings out); the store keeps
//! their output with each item, and the index carries the phrases in a
//! fast field, so trends never re-read item text. Results depend only on
//! the data and `as_of`: the same database and date give the same answer.

pub mod labels;
pub mod lexicon;
pub mod phrases;
pub mod questions;
pub mod stories;
pub mod topic;
pub mod trends;
pub mod types;

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::store::{Store, rfc3339};

/// Bump when [`extract_feed`] gives different output for the same items
/// (new filters, a better phrase rule): `tricorder reindex` then recomputes
/// every stored item's phrases and questions before rebuilding the index.
/// While it matches the store's mark, a reindex only rebuilds the index.
pub const EXTRACTOR_VERSION: i64 = 3;

/// What ingest stores with each item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    pub phrases: Vec<String>,
    pub questions: Vec<String>,
}

/// Extracts phrases and questions for the items of one feed document.
/// Boilerplate is recognised across the document: paragraphs that recur in
/// half its items are footers, not content.
pub fn extract_feed<'a>(items: impl Iterator<Item = (&'a str, &'a str)> + Clone) -> Vec<Extracted> {
    extract_feed_where(items, |_| true)
}

/// Like [`extract_feed`], but only for the items `wanted` says yes to (by
/// position); the others get nothing. A re-fetched feed usually has one new
/// item among forty already analysed.
pub fn extract_feed_where<'a>(
    items: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    wanted: impl Fn(usize) -> bool,
) -> Vec<Extracted> {
    let keyed: Vec<_> = items
        .clone()
        .map(|(title, body)| phrases::keyed_paragraphs(title, body))
        .collect();
    let repeated = phrases::repeated_among(keyed.iter().map(Vec::as_slice));
    items
        .zip(&keyed)
        .enumerate()
        .map(|(i, ((title, _), paragraphs))| {
            if !wanted(i) {
                return Extracted::default();
            }
            let paras = phrases::content_among(paragraphs, &repeated);
            let questions = questions::find_in_item(title, paras.iter().copied());
            Extracted {
                phrases: phrases::extract(title, &paras)
                    .into_iter()
                    .map(|p| p.key)
                    .collect(),
                questions,
            }
        })
        .collect()
}

/// Overlap of two sorted, unique word lists (intersection over union).
fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let (mut i, mut j, mut inter) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// A question and everywhere it was asked.
#[derive(Debug, Clone, Serialize)]
pub struct OpenQuestion {
    pub question: String,
    /// The trending topic it belongs to, if any.
    pub topic: Option<String>,
    pub sources: Vec<Source>,
    #[serde(skip)]
    pub latest: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub title: String,
    pub url: Option<String>,
    pub feed: String,
    pub published: String,
}

/// The industry's open questions in `(since, as_of]`: near-identical ones
/// merged (every source kept), ranked by belonging to a trending topic,
/// then by how many sources ask, then by recency.
pub fn open_questions(
    store: &Store,
    topics: &[trends::Topic],
    since: DateTime<Utc>,
    as_of: DateTime<Utc>,
    topic_filter: Option<&str>,
) -> Result<Vec<OpenQuestion>> {
    let rows = store.questions_between(since.timestamp(), as_of.timestamp())?;
    struct Group {
        norm: String,
        /// Interned word ids, sorted and unique, for the overlap test.
        words: Vec<u32>,
        q: OpenQuestion,
        feeds: HashSet<i64>,
        /// The items that ask it.
        items: Vec<i64>,
    }
    let mut groups: Vec<Group> = Vec::new();
    // Exact duplicates by their normalised text; near duplicates through an
    // index from each question's rarer words to the groups that contain
    // them, so each question is compared with a few groups, not all.
    let mut by_norm: HashMap<String, usize> = HashMap::new();
    let mut by_word: HashMap<u32, Vec<usize>> = HashMap::new();
    let mut ids: HashMap<String, u32> = HashMap::new();
    let normed: Vec<(String, Vec<u32>)> = rows
        .iter()
        .map(|r| {
            let norm = questions::normalise(&r.question);
            let mut w: Vec<u32> = norm
                .split(' ')
                .map(|t| {
                    let next = ids.len() as u32;
                    *ids.entry(t.to_owned()).or_insert(next)
                })
                .collect();
            w.sort_unstable();
            w.dedup();
            (norm, w)
        })
        .collect();
    let mut df: HashMap<u32, u32> = HashMap::new();
    for (_, w) in &normed {
        for t in w {
            *df.entry(*t).or_default() += 1;
        }
    }
    /// Groups remembered per word: enough to find a near duplicate among
    /// recent ones without comparing against every question ever seen.
    const PER_WORD: usize = 64;
    for (row, (norm, words)) in rows.into_iter().zip(normed) {
        let source = Source {
            title: row.title.clone(),
            url: row.url.clone(),
            feed: row.feed.clone(),
            published: rfc3339(row.published),
        };
        let mut rare = words.clone();
        rare.sort_by_key(|t| (df.get(t).copied().unwrap_or(0), *t));
        rare.truncate(3);
        let home = by_norm.get(&norm).copied().or_else(|| {
            let mut seen = HashSet::new();
            rare.iter()
                .flat_map(|t| by_word.get(t).into_iter().flatten().rev().copied())
                .filter(|g| seen.insert(*g))
                .find(|&g| jaccard(&groups[g].words, &words) >= 0.7)
        });
        match home {
            Some(gi) => {
                let g = &mut groups[gi];
                if !g
                    .q
                    .sources
                    .iter()
                    .any(|s| s.url == source.url && s.title == source.title)
                {
                    g.q.sources.push(source);
                }
                g.feeds.insert(row.feed_id);
                g.items.push(row.item_id);
                g.q.latest = g.q.latest.max(row.published);
            }
            None => {
                let gi = groups.len();
                by_norm.insert(norm.clone(), gi);
                for t in &rare {
                    let list = by_word.entry(*t).or_default();
                    if list.len() >= PER_WORD {
                        list.remove(0);
                    }
                    list.push(gi);
                }
                groups.push(Group {
                    norm,
                    words,
                    q: OpenQuestion {
                        question: row.question,
                        topic: None,
                        sources: vec![source],
                        latest: row.published,
                    },
                    feeds: HashSet::from([row.feed_id]),
                    items: vec![row.item_id],
                });
            }
        }
    }
    // Attach topics: the question names the topic or one of its multi-word
    // phrases ("shopping" alone says too little); the most specific match wins.
    let topic_phrases: Vec<(Vec<&str>, &trends::Topic)> = topics
        .iter()
        .flat_map(|t| {
            t.phrase_keys
                .iter()
                .enumerate()
                .filter(|(i, k)| *i == 0 || k.contains(' '))
                .map(move |(_, k)| (k.split(' ').collect::<Vec<&str>>(), t))
        })
        .collect();
    // A question asked by one of a story's own items belongs to it (the
    // highest-ranked such story: a story's items report one event, while a
    // theme's items may ask about anything); otherwise a question belongs
    // to the topic whose phrases it names.
    let topic_items: Vec<HashSet<i64>> = topics
        .iter()
        .map(|t| match t.kind {
            trends::Kind::Story => t.item_ids.iter().copied().collect(),
            trends::Kind::Theme => HashSet::new(),
        })
        .collect();
    for g in &mut groups {
        if let Some(ti) = topic_items
            .iter()
            .position(|items| g.items.iter().any(|i| items.contains(i)))
        {
            g.q.topic = Some(topics[ti].label.clone());
            continue;
        }
        let key = phrases::normalise(&g.q.question).unwrap_or_default();
        let words: Vec<&str> = key.split(' ').collect();
        g.q.topic = topic_phrases
            .iter()
            .filter(|(p, _)| words.windows(p.len()).any(|w| w == p.as_slice()))
            // On a tie the higher-ranked topic (earlier) wins.
            .rev()
            .max_by_key(|(p, _)| p.len())
            .map(|(_, t)| t.label.clone());
    }
    if let Some(want) = topic_filter {
        let want_key = phrases::normalise(want).unwrap_or_default();
        let words: Vec<&str> = want_key.split(' ').collect();
        groups.retain(|g| {
            g.q.topic
                .as_deref()
                .and_then(phrases::normalise)
                .is_some_and(|t| t == want_key)
                || trends::contains_words(
                    &phrases::normalise(&g.q.question).unwrap_or_default(),
                    &words,
                )
        });
    }
    groups.sort_by(|a, b| {
        // Attached to a trending topic first, then asked by more feeds, then newer.
        a.q.topic
            .is_none()
            .cmp(&b.q.topic.is_none())
            .then(b.feeds.len().cmp(&a.feeds.len()))
            .then(b.q.latest.cmp(&a.q.latest))
            .then(a.norm.cmp(&b.norm))
    });
    Ok(groups.into_iter().map(|g| g.q).collect())
}
