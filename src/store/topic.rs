//! What `tricorder topic` and `tricorder topics` read: light rows of the
//! items a topic matched, and the history of trended topics per window.

use anyhow::Result;
use rusqlite::params;

use super::{Store, json, unjson};

/// One trended topic of one window, as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendedRow {
    /// End of the window it trended in (seconds).
    pub window_end: i64,
    pub key: String,
    pub label: String,
    /// "story" or "theme".
    pub kind: String,
    pub topic_type: String,
    pub growth: f64,
    pub score: f64,
    pub phrases: Vec<String>,
    /// The digest period that carried it, when it was recorded by a digest.
    pub digest: Option<String>,
}

/// An item as the topic report shows it: no body.
#[derive(Debug, Clone)]
pub struct TopicItemRow {
    pub id: i64,
    pub feed_id: i64,
    pub feed: String,
    pub feed_url: String,
    pub guid: String,
    pub url: Option<String>,
    pub title: String,
    pub author: Option<String>,
    pub published: i64,
    pub phrases: Vec<String>,
    pub questions: Vec<String>,
}

/// Ids per query: well under SQLite's limit on bound parameters.
const IDS_PER_QUERY: usize = 500;

impl Store {
    /// Light rows of the items `ids`, in no particular order; ids no
    /// longer stored are skipped.
    pub fn topic_items(&self, ids: &[i64]) -> Result<Vec<TopicItemRow>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let marks = vec!["?"; chunk.len()].join(",");
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT i.id, i.feed_id, coalesce(f.name, f.title, f.url), f.url, i.guid, i.url,
                        i.title, i.author, i.published, i.phrases, i.questions
                 FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.id IN ({marks})"
            ))?;
            let rows = stmt.query_map(rusqlite::params_from_iter(chunk), |r| {
                Ok(TopicItemRow {
                    id: r.get(0)?,
                    feed_id: r.get(1)?,
                    feed: r.get(2)?,
                    feed_url: r.get(3)?,
                    guid: r.get(4)?,
                    url: r.get(5)?,
                    title: r.get(6)?,
                    author: r.get(7)?,
                    published: r.get(8)?,
                    phrases: unjson(&r.get::<_, String>(9)?),
                    questions: unjson(&r.get::<_, String>(10)?),
                })
            })?;
            for row in rows {
                out.push(row?);
            }
        }
        Ok(out)
    }

    /// The first and last publication times stored, `None` when empty.
    pub fn published_range(&self) -> Result<Option<(i64, i64)>> {
        // Two subqueries: each is one seek in the `published` index, where
        // min() and max() side by side scan the table.
        Ok(self.conn.query_row(
            "SELECT (SELECT min(published) FROM item_heads), (SELECT max(published) FROM item_heads)",
            [],
            |r| Ok(r.get::<_, Option<i64>>(0)?.zip(r.get::<_, Option<i64>>(1)?)),
        )?)
    }

    /// The item count each recorded window was computed from.
    pub fn trend_windows(&self, from: i64, to: i64) -> Result<Vec<(i64, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT window_end, items FROM trend_windows
             WHERE window_end > ?1 AND window_end <= ?2 ORDER BY window_end",
        )?;
        let rows = stmt.query_map([from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records the topics that trended in the window ending at
    /// `window_end`, replacing what an earlier computation of the same
    /// window (and digest) recorded.
    pub fn record_trended(
        &mut self,
        window_end: i64,
        items: i64,
        digest: Option<&str>,
        rows: &[TrendedRow],
        now: i64,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "DELETE FROM trended_topics WHERE window_end = ?1 AND digest IS ?2",
            params![window_end, digest],
        )?;
        {
            let mut ins = tx.prepare_cached(
                "INSERT OR REPLACE INTO trended_topics
                 (window_end, key, label, kind, type, growth, score, phrases, digest)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for r in rows {
                ins.execute(params![
                    window_end,
                    r.key,
                    r.label,
                    r.kind,
                    r.topic_type,
                    r.growth,
                    r.score,
                    json(&r.phrases),
                    digest
                ])?;
            }
        }
        if digest.is_none() {
            tx.execute(
                "INSERT OR REPLACE INTO trend_windows (window_end, items, computed_at) VALUES (?1, ?2, ?3)",
                params![window_end, items, now],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Every recorded trended topic of windows ending in `(from, to]`,
    /// oldest window first, then by key.
    pub fn trended_between(&self, from: i64, to: i64) -> Result<Vec<TrendedRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT window_end, key, label, kind, type, growth, score, phrases, digest
             FROM trended_topics WHERE window_end > ?1 AND window_end <= ?2
             ORDER BY window_end, key, digest",
        )?;
        let rows = stmt.query_map([from, to], |r| {
            Ok(TrendedRow {
                window_end: r.get(0)?,
                key: r.get(1)?,
                label: r.get(2)?,
                kind: r.get(3)?,
                topic_type: r.get(4)?,
                growth: r.get(5)?,
                score: r.get(6)?,
                phrases: unjson(&r.get::<_, String>(7)?),
                digest: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
