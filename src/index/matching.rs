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
    /// Its key phrases, as the analysis stored them.
    pub phrases: Vec<String>,
}

impl SearchIndex {
    /// Every document `query` matches (the `search` syntax and analysis)
    /// published in `[since, until]`, sorted by (published, id).
    pub fn matching(
        &self,
        query: &str,
        since: i64,
        until: i64,
    ) -> Result<Vec<MatchedDoc>, SearchError> {
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
        let mut by_segment: Vec<Vec<u32>> = vec![Vec::new(); searcher.segment_readers().len()];
        for DocAddress {
            segment_ord,
            doc_id,
        } in found
        {
            by_segment[segment_ord as usize].push(doc_id);
        }
        let mut out = Vec::new();
        for (seg, mut docs) in searcher.segment_readers().iter().zip(by_segment) {
            if docs.is_empty() {
                continue;
            }
            docs.sort_unstable();
            let mut read = || -> Result<()> {
                let ff = seg.fast_fields();
                let ids = ff.i64("id")?;
                let feeds = ff.i64("feed_id")?;
                let dates = ff.date("published")?;
                let phrases = ff.str("phrases")?;
                let mut ords: Vec<(u64, usize)> = Vec::new();
                for &doc in &docs {
                    if let Some(col) = &phrases {
                        for o in col.term_ords(doc) {
                            ords.push((o, out.len()));
                        }
                    }
                    out.push(MatchedDoc {
                        id: ids.first(doc).unwrap_or(0),
                        feed_id: feeds.first(doc).unwrap_or(0),
                        published: dates.first(doc).map_or(0, |d| d.into_timestamp_secs()),
                        phrases: Vec::new(),
                    });
                }
                // One pass over the dictionary for all of the segment's
                // ordinals: sorted lookups share its blocks.
                if let Some(col) = &phrases {
                    ords.sort_unstable();
                    let mut sorted: Vec<u64> = ords.iter().map(|o| o.0).collect();
                    sorted.dedup();
                    let mut terms = Vec::with_capacity(sorted.len());
                    col.dictionary().sorted_ords_to_term_cb(&sorted, |b| {
                        terms.push(String::from_utf8_lossy(b).into_owned());
                    })?;
                    for (o, at) in ords {
                        let i = sorted.binary_search(&o).expect("ordinal listed");
                        out[at].phrases.push(terms[i].clone());
                    }
                }
                Ok(())
            };
            read().map_err(SearchError::internal)?;
        }
        out.sort_by_key(|d| (d.published, d.id));
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
