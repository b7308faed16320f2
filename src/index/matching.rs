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

impl SearchIndex {
    /// Every document `query` matches (the `search` syntax and analysis)
    /// published in `[since, until]`, sorted by (published, id), read from
    /// the fast fields.
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
        let segments = searcher.segment_readers();
        let mut by_segment: Vec<Vec<u32>> = vec![Vec::new(); segments.len()];
        for DocAddress {
            segment_ord,
            doc_id,
        } in found
        {
            by_segment[segment_ord as usize].push(doc_id);
        }
        let mut out = Vec::new();
        let mut read = |seg: &tantivy::SegmentReader, mut docs: Vec<u32>| -> Result<()> {
            docs.sort_unstable();
            let ff = seg.fast_fields();
            let ids = ff.i64("id")?;
            let feeds = ff.i64("feed_id")?;
            let dates = ff.date("published")?;
            for &doc in &docs {
                out.push(MatchedDoc {
                    id: ids.first(doc).unwrap_or(0),
                    feed_id: feeds.first(doc).unwrap_or(0),
                    published: dates.first(doc).map_or(0, |d| d.into_timestamp_secs()),
                });
            }
            Ok(())
        };
        for (seg, docs) in segments.iter().zip(by_segment) {
            if !docs.is_empty() {
                read(seg, docs).map_err(SearchError::internal)?;
            }
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
    /// by side), among those [`in_sample`] keeps at `rate`; and how many
    /// documents that sample holds.
    pub fn phrase_counts(
        &self,
        keys: &[String],
        since: i64,
        until: i64,
        rate: u64,
    ) -> Result<(Vec<u32>, u64)> {
        let searcher = self.reader.searcher();
        let segments = searcher.segment_readers();
        let per_segment: Vec<Result<Vec<u32>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = segments
                .iter()
                .map(|seg| {
                    scope.spawn(move || -> Result<Vec<u32>> {
                        // The last slot counts the sampled documents.
                        let mut counts = vec![0u32; keys.len() + 1];
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
                        wanted.sort_unstable();
                        let mut bits = vec![0u64; col.num_terms().div_ceil(64)];
                        for (o, _) in &wanted {
                            bits[(*o / 64) as usize] |= 1 << (*o % 64);
                        }
                        for doc in seg.doc_ids_alive() {
                            let Some(t) = dates.first(doc).map(|d| d.into_timestamp_secs()) else {
                                continue;
                            };
                            if t < since || t > until || !in_sample(t, rate) {
                                continue;
                            }
                            counts[keys.len()] += 1;
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
        let mut total = vec![0u32; keys.len() + 1];
        for counts in per_segment {
            for (t, c) in total.iter_mut().zip(counts?) {
                *t += c;
            }
        }
        let sampled = total.pop().unwrap_or(0) as u64;
        Ok((total, sampled))
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

/// Whether a document published at `t` is in the sample kept at `rate`
/// (one in `rate`): decided by its publication time alone, so the sample
/// is the same whatever the segment layout or the order items arrived in.
pub fn in_sample(t: i64, rate: u64) -> bool {
    if rate <= 1 {
        return true;
    }
    // splitmix64's finaliser: neighbouring seconds land far apart.
    let mut z = (t as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)).is_multiple_of(rate)
}

#[cfg(test)]
mod tests {
    use super::in_sample;

    #[test]
    fn the_sample_keeps_about_one_in_rate_even_of_round_times() {
        // Feeds often publish on the minute: the sample must not follow that.
        let kept = (0..80_000i64)
            .filter(|i| in_sample(1_790_000_000 + i * 60, 8))
            .count();
        assert!((9_000..11_000).contains(&kept), "{kept}");
        assert!((0..100).all(|t| in_sample(t, 1)));
    }
}
