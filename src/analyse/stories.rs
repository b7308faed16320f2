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
//!   stored key phrases (which come from the headline and the lead),
//!   weighted by how rare they are in the period (idf);
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

use std::collections::HashMap;

use anyhow::Result;
use chrono::{DateTime, Duration, Utc};
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::analyse::labels;
use crate::analyse::phrases;
use crate::analyse::types::{self, TopicType};
use crate::store::{Store, StoryRow, rfc3339};

/// Cosine to a story's centroid from which an item joins it. Tuned on the
/// hand-written news and trade-press corpora in `tests/fixtures/corpora`.
pub const JOIN_SIMILARITY: f32 = 0.26;
/// Terms an item must share with a story to join it: one shared name
/// ("Jordan") is how two unrelated events get mixed.
pub const MIN_SHARED: usize = 2;
/// A story with no new item for this long is over; a later item starts a new one.
pub const STORY_GAP_SECS: i64 = 3 * 86_400;
/// An item looks for its story through this many of its rarest terms.
pub const PROBE_TERMS: usize = 8;
/// Terms in more than this share of the period's items ("said", "year")
/// mark no story and are not used to look stories up.
pub const MAX_DF_SHARE: f64 = 0.02;
/// ... but a small corpus always allows this many.
pub const MIN_MAX_DF: u32 = 12;
/// Weights by where a term comes from: a headline word says most about
/// which event an item reports; a multi-word phrase more than a word.
const TITLE_WEIGHT: f32 = 2.0;
const PHRASE_WEIGHT: f32 = 1.0;
const MULTIWORD_WEIGHT: f32 = 1.5;
/// Stories visited per item at most (the nearest, by shared rare terms).
const MAX_CANDIDATES: usize = 64;

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
    pub story_of: HashMap<i64, usize>,
}

/// Groups the items of `(as_of - window, as_of]` into stories. Stories
/// carried by at least `label_min_feeds` feeds get a label from their
/// headlines; the others keep a short form of their headline. Types and
/// body-checked labels come from [`describe`], which callers run only on
/// the stories they show (it reads bodies).
pub fn cluster(store: &Store, p: &Params, label_min_feeds: usize) -> Result<Clustering> {
    let to = p.as_of.timestamp();
    let from = to - p.window.num_seconds();
    let rows = store.story_rows(from, to)?;
    let groups = group(&rows);
    let mut stories: Vec<Story> = groups.into_iter().map(|g| assemble(&rows, g)).collect();
    stories.sort_by(|a, b| {
        b.feed_ids
            .len()
            .cmp(&a.feed_ids.len())
            .then(b.items.len().cmp(&a.items.len()))
            .then(a.first.cmp(&b.first))
            .then_with(|| a.items[0].guid.cmp(&b.items[0].guid))
    });
    for s in stories
        .iter_mut()
        .filter(|s| s.feed_ids.len() >= label_min_feeds.max(2))
    {
        let titles: Vec<(&str, &str)> = s
            .items
            .iter()
            .map(|i| (i.title.as_str(), i.feed.as_str()))
            .collect();
        if let Some((key, display)) = label_from_titles(&titles, &FxHashMap::default()) {
            s.label = display;
            s.label_key = Some(key);
        }
    }
    let story_of = stories
        .iter()
        .enumerate()
        .flat_map(|(si, s)| s.item_ids().map(move |id| (id, si)))
        .collect();
    Ok(Clustering { stories, story_of })
}

/// A clustered group: indexes into the rows, and the centroid's terms.
struct Group {
    members: Vec<usize>,
    sum: FxHashMap<u32, f32>,
    norm2: f64,
    last: i64,
}

/// An item's terms: (term id, weight), and the vector's length.
struct Vector {
    terms: Vec<(u32, f32)>,
    norm: f32,
}

/// Single-pass clustering of `rows` (already in publication order).
fn group(rows: &[StoryRow]) -> Vec<Vec<usize>> {
    // Term ids in order of first appearance: rows come in a fixed order,
    // so the ids (and every map iterated below) are reproducible.
    let mut ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut raw: Vec<Vec<(u32, f32)>> = Vec::with_capacity(rows.len());
    for r in rows {
        let mut terms: FxHashMap<u32, f32> = FxHashMap::default();
        let mut add = |ids: &mut FxHashMap<String, u32>, key: &str, w: f32| {
            let next = ids.len() as u32;
            let id = *ids.entry(key.to_owned()).or_insert(next);
            let e = terms.entry(id).or_insert(0.0);
            *e = e.max(w);
        };
        for w in phrases::content_words(&r.title) {
            add(&mut ids, &w, TITLE_WEIGHT);
        }
        for p in &r.phrases {
            let w = if p.contains(' ') {
                MULTIWORD_WEIGHT
            } else {
                PHRASE_WEIGHT
            };
            add(&mut ids, p, w);
        }
        let mut t: Vec<(u32, f32)> = terms.into_iter().collect();
        t.sort_unstable_by_key(|x| x.0);
        raw.push(t);
    }
    let n = rows.len() as f64;
    let mut df = vec![0u32; ids.len()];
    for t in &raw {
        for (id, _) in t {
            df[*id as usize] += 1;
        }
    }
    let max_df = ((n * MAX_DF_SHARE) as u32).max(MIN_MAX_DF);
    let idf: Vec<f32> = df
        .iter()
        .map(|&d| ((n + 1.0) / (d as f64 + 0.5)).ln().max(0.0) as f32)
        .collect();
    let vectors: Vec<Vector> = raw
        .into_iter()
        .map(|t| {
            let terms: Vec<(u32, f32)> = t
                .into_iter()
                // A term only this item has cannot match; it still
                // lengthens the vector, as it should (the item is partly
                // about something no other item is).
                .map(|(id, w)| (id, w * idf[id as usize]))
                .collect();
            let norm = terms.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            Vector { terms, norm }
        })
        .collect();

    let mut groups: Vec<Group> = Vec::new();
    // Term → groups holding it, for the terms an item may be looked up by.
    let mut postings: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    let probe_ok = |id: u32| (2..=max_df).contains(&df[id as usize]);
    let mut hits: FxHashMap<u32, u32> = FxHashMap::default();
    for (i, (row, v)) in rows.iter().zip(&vectors).enumerate() {
        let mut probes: Vec<(u32, f32)> = v
            .terms
            .iter()
            .copied()
            .filter(|(id, _)| probe_ok(*id))
            .collect();
        probes.sort_by(|a, b| {
            idf[b.0 as usize]
                .total_cmp(&idf[a.0 as usize])
                .then(a.0.cmp(&b.0))
        });
        probes.truncate(PROBE_TERMS);
        hits.clear();
        let oldest = row.published - STORY_GAP_SECS;
        for (t, _) in &probes {
            if let Some(list) = postings.get_mut(t) {
                // Visited in time order, a story past its gap never
                // matches again: drop it from the list for good.
                list.retain(|&g| groups[g as usize].last >= oldest);
                for &g in list.iter() {
                    *hits.entry(g).or_default() += 1;
                }
            }
        }
        let mut cands: Vec<(u32, u32)> = hits.iter().map(|(g, c)| (*g, *c)).collect();
        cands.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        cands.truncate(MAX_CANDIDATES);
        let mut best: Option<(u32, f32)> = None;
        for (g, _) in cands {
            let grp = &groups[g as usize];
            let mut dot = 0f32;
            let mut shared = 0;
            for (t, w) in &v.terms {
                if let Some(s) = grp.sum.get(t) {
                    dot += w * s;
                    if probe_ok(*t) {
                        shared += 1;
                    }
                }
            }
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
                    sum: FxHashMap::default(),
                    norm2: 0.0,
                    last: row.published,
                });
                (groups.len() - 1) as u32
            }
        };
        let grp = &mut groups[gi as usize];
        grp.members.push(i);
        grp.last = grp.last.max(row.published);
        for (t, w) in &v.terms {
            let e = grp.sum.entry(*t).or_insert(0.0);
            let old = *e as f64;
            *e += w;
            grp.norm2 += (*e as f64).powi(2) - old * old;
            if old == 0.0 && probe_ok(*t) {
                postings.entry(*t).or_default().push(gi);
            }
        }
    }
    // The headline is the member closest to the centroid: put it first.
    groups
        .into_iter()
        .map(|g| {
            let mut members = g.members;
            let central = members
                .iter()
                .copied()
                .map(|m| {
                    let v = &vectors[m];
                    let dot: f32 = v
                        .terms
                        .iter()
                        .filter_map(|(t, w)| g.sum.get(t).map(|s| w * s))
                        .sum();
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
        .collect()
}

/// A story from its rows; `members[0]` is the headline item.
fn assemble(rows: &[StoryRow], members: Vec<usize>) -> Story {
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
                feed: r.feed.clone(),
                published: rfc3339(r.published),
                id: r.id,
                guid: r.guid.clone(),
            }
        })
        .collect();
    let mut feeds: Vec<(String, i64, String)> = sorted
        .iter()
        .map(|&m| {
            (
                rows[m].feed.clone(),
                rows[m].feed_id,
                rows[m].feed_url.clone(),
            )
        })
        .collect();
    feeds.sort_by(|a, b| a.2.cmp(&b.2));
    feeds.dedup_by(|a, b| a.2 == b.2);
    let first = rows[sorted[0]].published;
    let last = rows[*sorted.last().unwrap_or(&sorted[0])].published;
    // Phrases carried by at least half the items (and two of them).
    let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
    for &m in &sorted {
        for p in &rows[m].phrases {
            *counts.entry(p.as_str()).or_default() += 1;
        }
    }
    let need = (sorted.len().div_ceil(2)).max(2);
    let mut shared: Vec<(&str, usize)> = counts.into_iter().filter(|(_, c)| *c >= need).collect();
    shared.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut feed_names: Vec<String> = feeds.iter().map(|f| f.0.clone()).collect();
    feed_names.sort();
    feed_names.dedup();
    Story {
        headline: head.title.clone(),
        url: head.url.clone(),
        label: short_headline(&head.title),
        kind: TopicType::Unknown,
        feeds: feed_names,
        first_seen: rfc3339(first),
        last_seen: rfc3339(last),
        items,
        feed_ids: feeds.iter().map(|f| f.1).collect(),
        first,
        last,
        label_key: None,
        shared_phrases: shared.into_iter().map(|(p, _)| p.to_owned()).collect(),
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
    match label_from_titles(&titles, &body_display) {
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

/// Fewest distinct feeds whose headlines must hold a phrase for it to name the story.
const LABEL_MIN_TITLE_SHARE: f64 = 0.34;

/// The label a story's headlines agree on: (key, display). Candidates are
/// the phrases of each headline; a candidate's support is the share of
/// distinct feeds whose headline holds it (syndicated copies count once).
/// Among candidates that read as labels, the best supported wins, and a
/// longer one wins over a shorter one it contains when it is nearly as well
/// supported ("synthetic focus groups" over "focus groups", names kept whole).
///
/// `body_display` gives, per key, the form the bodies write it in, which
/// wins over the headlines' (see [`describe`]).
pub fn label_from_titles(
    titles: &[(&str, &str)],
    body_display: &FxHashMap<String, String>,
) -> Option<(String, String)> {
    struct Cand {
        feeds: Vec<String>,
        displays: FxHashMap<String, usize>,
        words: usize,
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
            });
            if !c.feeds.iter().any(|f| f == feed) {
                c.feeds.push((*feed).to_owned());
            }
            *c.displays.entry(p.display).or_default() += 1;
        }
    }
    let n = all_feeds.len().max(1) as f64;
    let mut ok: Vec<(String, String, f64, usize)> = cands
        .into_iter()
        .filter_map(|(key, c)| {
            let share = c.feeds.len() as f64 / n;
            if share < LABEL_MIN_TITLE_SHARE || (c.feeds.len() < 2 && n >= 2.0) {
                return None;
            }
            // The form most headlines use, unless the bodies say otherwise.
            let mut forms: Vec<(String, usize)> = c.displays.into_iter().collect();
            forms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let display = body_display
                .get(&key)
                .cloned()
                .unwrap_or_else(|| forms[0].0.clone());
            labels::label_problem(&display)
                .is_none()
                .then_some((key, display, share, c.words))
        })
        .collect();
    ok.sort_by(|a, b| b.2.total_cmp(&a.2).then(b.3.cmp(&a.3)).then(a.0.cmp(&b.0)));
    let (mut best_key, mut best_display, best_share, _) = ok.first()?.clone();
    // Prefer the longest phrase that contains the best and is nearly as shared.
    let mut best_words = best_key.split(' ').count();
    for (key, display, share, words) in &ok {
        if *words > best_words && *share >= best_share * 0.75 && contains_phrase(key, &best_key) {
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
            feed_url: format!("http://{feed}.example/feed"),
            feed: feed.to_owned(),
            guid: format!("{feed}-{id}"),
            url: None,
            title: title.to_owned(),
            published: t,
            phrases: phrases.iter().map(|p| p.to_string()).collect(),
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
        let groups = group(&rows);
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
        let (key, display) = label_from_titles(&titles, &FxHashMap::default()).unwrap();
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
