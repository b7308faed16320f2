//! Reading the documents a query matches, whole, from the fast fields:
//! what `tricorder topic` counts, without reading any item's text.

use anyhow::Result;
use tantivy::DocAddress;
use tantivy::collector::DocSetCollector;

use super::{SearchError, SearchIndex, SearchRequest, text};

/// One matching document's columns.
#[derive(Debug, Clone)]
pub struct MatchedDoc {
    pub id: i64,
    pub feed_id: i64,
    pub published: i64,
}

/// What a query matched: its documents, and the key phrases they carry.
#[derive(Debug, Clone, Default)]
pub struct Matched {
    /// Sorted by (published, id).
    pub docs: Vec<MatchedDoc>,
    /// The most frequent key phrases of the documents published from
    /// `phrases_from`, with their exact counts, most frequent first.
    pub phrases: Vec<(String, u32)>,
}

impl SearchIndex {
    /// Every document `query` matches (the `search` syntax and analysis)
    /// published in `[since, until]`, and among those published from
    /// `phrases_from` the (at most about) `top` most frequent key phrases
    /// that reach `min_count`. Phrases are counted by ordinal, segment by
    /// segment; only candidates become strings.
    pub fn matching(
        &self,
        query: &str,
        since: i64,
        until: i64,
        phrases_from: i64,
        top: usize,
        min_count: u32,
    ) -> Result<Matched, SearchError> {
        let req = SearchRequest {
            query: query.to_owned(),
            since: Some(since),
            until: Some(until),
            ..SearchRequest::default()
        };
        let q = self.build_query(&req)?;
        let searcher = self.reader.searcher();
        let found = self
            .collect(&searcher, &*q, &DocSetCollector)
            .map_err(SearchError::internal)?;
        let segments = searcher.segment_readers();
        let mut by_segment: Vec<Vec<u32>> = vec![Vec::new(); segments.len()];
        for DocAddress {
            segment_ord,
            doc_id,
        } in found
        {
            by_segment[segment_ord as usize].push(doc_id);
        }
        let mut out = Matched::default();
        // Per segment: (its phrase column, ordinal -> count).
        let mut counted: Vec<(Option<tantivy::columnar::StrColumn>, OrdCounts)> = Vec::new();
        let mut read = |seg: &tantivy::SegmentReader, mut docs: Vec<u32>| -> Result<()> {
            docs.sort_unstable();
            let ff = seg.fast_fields();
            let ids = ff.i64("id")?;
            let feeds = ff.i64("feed_id")?;
            let dates = ff.date("published")?;
            let phrases = ff.str("phrases")?;
            let mut counts =
                OrdCounts::new(phrases.as_ref().map_or(0, |c| c.num_terms()), docs.len());
            for &doc in &docs {
                let published = dates.first(doc).map_or(0, |d| d.into_timestamp_secs());
                if published >= phrases_from
                    && let Some(col) = &phrases
                {
                    for o in col.term_ords(doc) {
                        counts.add(o);
                    }
                }
                out.docs.push(MatchedDoc {
                    id: ids.first(doc).unwrap_or(0),
                    feed_id: feeds.first(doc).unwrap_or(0),
                    published,
                });
            }
            counts.finish();
            counted.push((phrases, counts));
            Ok(())
        };
        for (seg, docs) in segments.iter().zip(by_segment) {
            if !docs.is_empty() {
                read(seg, docs).map_err(SearchError::internal)?;
            }
        }
        out.docs.sort_by_key(|d| (d.published, d.id));
        out.phrases = top_phrases(&counted, top, min_count).map_err(SearchError::internal)?;
        Ok(out)
    }

    /// The publication time of every document in `[since, until]`: the
    /// whole against which a topic's share is measured.
    pub fn published_times(&self, since: i64, until: i64) -> Result<Vec<i64>> {
        let searcher = self.reader.searcher();
        let mut out = Vec::with_capacity(searcher.num_docs() as usize);
        for seg in searcher.segment_readers() {
            let dates = seg.fast_fields().date("published")?;
            for doc in seg.doc_ids_alive() {
                if let Some(t) = dates.first(doc).map(|d| d.into_timestamp_secs())
                    && t >= since
                    && t <= until
                {
                    out.push(t);
                }
            }
        }
        Ok(out)
    }

    /// How many documents in `[since, until]` carry each of `keys` among
    /// their key phrases (counted from ordinals, segment by segment, side
    /// by side).
    pub fn phrase_counts(&self, keys: &[String], since: i64, until: i64) -> Result<Vec<u32>> {
        let searcher = self.reader.searcher();
        let segments = searcher.segment_readers();
        let per_segment: Vec<Result<Vec<u32>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = segments
                .iter()
                .map(|seg| {
                    scope.spawn(move || -> Result<Vec<u32>> {
                        let mut counts = vec![0u32; keys.len()];
                        let ff = seg.fast_fields();
                        let Some(col) = ff.str("phrases")? else {
                            return Ok(counts);
                        };
                        let dates = ff.date("published")?;
                        let dict = col.dictionary();
                        // Ordinal -> key index, for the keys this segment has.
                        let mut wanted: Vec<(u64, usize)> = Vec::new();
                        for (i, k) in keys.iter().enumerate() {
                            if let Some(o) = dict.term_ord(k.as_bytes())? {
                                wanted.push((o, i));
                            }
                        }
                        if wanted.is_empty() {
                            return Ok(counts);
                        }
                        wanted.sort_unstable();
                        let mut bits = vec![0u64; col.num_terms().div_ceil(64)];
                        for (o, _) in &wanted {
                            bits[(*o / 64) as usize] |= 1 << (*o % 64);
                        }
                        for doc in seg.doc_ids_alive() {
                            let Some(t) = dates.first(doc).map(|d| d.into_timestamp_secs()) else {
                                continue;
                            };
                            if t < since || t > until {
                                continue;
                            }
                            for o in col.term_ords(doc) {
                                if bits[(o / 64) as usize] & (1 << (o % 64)) != 0
                                    && let Ok(w) = wanted.binary_search_by_key(&o, |x| x.0)
                                {
                                    counts[wanted[w].1] += 1;
                                }
                            }
                        }
                        Ok(counts)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        let mut total = vec![0u32; keys.len()];
        for counts in per_segment {
            for (t, c) in total.iter_mut().zip(counts?) {
                *t += c;
            }
        }
        Ok(total)
    }

    /// The stemmed, accent-folded terms of `text`, as `search` makes them.
    pub fn stems(&self, s: &str) -> Vec<String> {
        match self.index.tokenizers().get(text::TEXT_ANALYZER) {
            Some(mut a) => text::terms(&mut a, s),
            None => Vec::new(),
        }
    }

    /// Up to `n` key phrases of the index spelled most like `query`
    /// (Jaro-Winkler at least `min`), closest first: the suggestions when
    /// a query matches nothing.
    pub fn nearest_phrases(&self, query: &str, n: usize, min: f64) -> Result<Vec<(String, f64)>> {
        let want = query.to_lowercase();
        let searcher = self.reader.searcher();
        let mut best: Vec<(String, f64)> = Vec::new();
        for seg in searcher.segment_readers() {
            let Some(col) = seg.fast_fields().str("phrases")? else {
                continue;
            };
            let mut stream = col.dictionary().stream()?;
            while stream.advance() {
                let Ok(key) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                let sim = strsim::jaro_winkler(&want, key);
                if sim >= min && !best.iter().any(|(k, _)| k == key) {
                    best.push((key.to_owned(), sim));
                }
            }
            best.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            best.truncate(n);
        }
        Ok(best)
    }

    /// Checks query syntax without running it.
    pub fn check_query(&self, query: &str) -> Result<(), SearchError> {
        self.parse(query).map(|_| ())
    }
}

/// Counts per phrase ordinal of one segment: a dense table when the
/// matched documents are many for the dictionary, sorted ordinals otherwise.
enum OrdCounts {
    Dense(Vec<u32>),
    Sparse(Vec<u64>),
}

impl OrdCounts {
    fn new(terms: usize, docs: usize) -> OrdCounts {
        // About 30 phrases a document: dense once that is a good part of
        // the dictionary.
        if docs * 30 >= terms / 16 {
            OrdCounts::Dense(vec![0; terms])
        } else {
            OrdCounts::Sparse(Vec::with_capacity(docs * 30))
        }
    }

    fn add(&mut self, o: u64) {
        match self {
            OrdCounts::Dense(v) => v[o as usize] += 1,
            OrdCounts::Sparse(v) => v.push(o),
        }
    }

    /// Sorts the ordinals, for [`OrdCounts::pairs`] and [`OrdCounts::get`].
    fn finish(&mut self) {
        if let OrdCounts::Sparse(v) = self {
            v.sort_unstable();
        }
    }

    /// (ordinal, count) of every ordinal seen.
    fn pairs(&self) -> Vec<(u64, u32)> {
        match self {
            OrdCounts::Dense(v) => v
                .iter()
                .enumerate()
                .filter(|(_, c)| **c > 0)
                .map(|(o, c)| (o as u64, *c))
                .collect(),
            OrdCounts::Sparse(v) => {
                let mut out: Vec<(u64, u32)> = Vec::new();
                for &o in v {
                    match out.last_mut() {
                        Some((last, c)) if *last == o => *c += 1,
                        _ => out.push((o, 1)),
                    }
                }
                out
            }
        }
    }

    fn get(&self, o: u64) -> u32 {
        match self {
            OrdCounts::Dense(v) => v.get(o as usize).copied().unwrap_or(0),
            OrdCounts::Sparse(v) => {
                let lo = v.partition_point(|x| *x < o);
                let hi = v.partition_point(|x| *x <= o);
                (hi - lo) as u32
            }
        }
    }
}

/// The phrases most frequent across segments, with exact totals: each
/// segment's `top` most frequent are the candidates, then every segment's
/// count of each candidate is summed.
fn top_phrases(
    counted: &[(Option<tantivy::columnar::StrColumn>, OrdCounts)],
    top: usize,
    min_count: u32,
) -> Result<Vec<(String, u32)>> {
    let mut candidates: Vec<String> = Vec::new();
    for (col, counts) in counted {
        let Some(col) = col else { continue };
        let mut pairs = counts.pairs();
        pairs.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        pairs.truncate(top);
        let mut ords: Vec<u64> = pairs.into_iter().map(|p| p.0).collect();
        ords.sort_unstable();
        col.dictionary().sorted_ords_to_term_cb(&ords, |b| {
            candidates.push(String::from_utf8_lossy(b).into_owned());
        })?;
    }
    candidates.sort();
    candidates.dedup();
    let mut out = Vec::new();
    for key in candidates {
        let mut total = 0;
        for (col, counts) in counted {
            let Some(col) = col else { continue };
            if let Some(o) = col.dictionary().term_ord(key.as_bytes())? {
                total += counts.get(o);
            }
        }
        if total >= min_count {
            out.push((key, total));
        }
    }
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(out)
}
