//! Articles: the full text of excerpt feeds' items (`[poll] full_text`),
//! kept beside the feed's own summary, which is never overwritten.
//!
//! A row, fetched or failed, is written once per item version: it is what
//! keeps a page from being fetched again, so a page that cannot be read is
//! tried once, not every round.

use anyhow::Result;
use rusqlite::params;

use super::{Store, current_rev, json, set_rev};

/// An item whose page is to be read.
#[derive(Debug, Clone)]
pub struct ArticleWanted {
    pub item_id: i64,
    pub url: String,
    pub title: String,
    /// The feed's body, in words (what `auto` judges).
    pub body_words: usize,
    pub feed_url: String,
    /// The feed asked for full text (else `auto` chose the item).
    pub feed_asked: bool,
}

/// What reading an item's page gave.
#[derive(Debug, Clone)]
pub enum ArticleOutcome {
    /// The article's text (from the page at `url`), with what analysis
    /// extracts from it; these replace the phrases and questions that the
    /// summary gave, and the item takes a new revision so the index
    /// re-reads it.
    Fetched {
        url: String,
        text: String,
        phrases: Vec<String>,
        questions: Vec<String>,
    },
    /// Why not; the summary stays what analysis and search see.
    Failed { url: String, error: String },
}

impl Store {
    /// Items published and first seen after `since` whose page has not been read: those of
    /// feeds that ask for full text, and with `auto`, those whose body is
    /// under `auto_words` words. Newest first, at most `limit`.
    pub fn articles_wanted(
        &self,
        since: i64,
        auto_words: Option<usize>,
        limit: usize,
    ) -> Result<Vec<ArticleWanted>> {
        // A body of more characters than this has more words than `auto`
        // looks for whatever the language: no need to read it to count.
        let auto_chars = auto_words.map_or(-1, |w| (w * 20) as i64);
        // Nothing to look for, the usual case: no scan at all.
        if auto_words.is_none() {
            let any: bool = self.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM feeds WHERE full_text = 1 AND active = 1)",
                [],
                |r| r.get(0),
            )?;
            if !any {
                return Ok(Vec::new());
            }
        }
        // By publication date, which is indexed in `item_heads` (a scan of
        // every item's body each round would read the whole database), and
        // by first sight.
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.id, i.url, i.title, i.body, f.url, f.full_text
             FROM item_heads h JOIN items i ON i.id = h.id JOIN feeds f ON f.id = i.feed_id
             WHERE h.published > ?1 AND i.first_seen > ?1 AND i.url IS NOT NULL
               AND f.active = 1 AND (f.full_text = 1 OR length(i.body) < ?2)
               AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.item_id = i.id)
             ORDER BY i.first_seen DESC, f.url, i.guid",
        )?;
        let mut out = Vec::new();
        let mut rows = stmt.query(params![since, auto_chars])?;
        while let Some(r) = rows.next()? {
            if out.len() >= limit {
                break;
            }
            let body: String = r.get(3)?;
            let body_words = body.split_whitespace().count();
            let feed_asked: bool = r.get(5)?;
            if !feed_asked && auto_words.is_none_or(|w| body_words >= w) {
                continue;
            }
            out.push(ArticleWanted {
                item_id: r.get(0)?,
                url: r.get(1)?,
                title: r.get(2)?,
                body_words,
                feed_url: r.get(4)?,
                feed_asked,
            });
        }
        Ok(out)
    }

    /// Records what reading an item's page gave, in one transaction. An item
    /// deleted meanwhile (its feed removed) is skipped.
    pub fn record_article(
        &mut self,
        item_id: i64,
        outcome: &ArticleOutcome,
        now: i64,
    ) -> Result<()> {
        let tx = self.conn.savepoint()?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM items WHERE id = ?1)",
            [item_id],
            |r| r.get(0),
        )?;
        if exists {
            match outcome {
                ArticleOutcome::Fetched {
                    url,
                    text,
                    phrases,
                    questions,
                } => {
                    tx.execute(
                        "INSERT OR REPLACE INTO articles (item_id, url, status, text, error, at)
                         VALUES (?1, ?2, 'fetched', ?3, NULL, ?4)",
                        params![item_id, url, text, now],
                    )?;
                    let rev = current_rev(&tx)? + 1;
                    tx.execute(
                        "UPDATE items SET phrases = ?2, questions = ?3, rev = ?4, phrase_ids = ?5
                         WHERE id = ?1",
                        params![
                            item_id,
                            json(phrases),
                            json(questions),
                            rev,
                            super::items::phrase_ids(phrases)
                        ],
                    )?;
                    set_rev(&tx, rev)?;
                }
                ArticleOutcome::Failed { url, error } => {
                    tx.execute(
                        "INSERT OR REPLACE INTO articles (item_id, url, status, text, error, at)
                         VALUES (?1, ?2, 'failed', NULL, ?3, ?4)",
                        params![item_id, url, error, now],
                    )?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// (fetched, failed) article counts, for `status`.
    pub fn article_counts(&self) -> Result<(i64, i64)> {
        Ok(self.conn.query_row(
            "SELECT coalesce(sum(status = 'fetched'), 0), coalesce(sum(status = 'failed'), 0) FROM articles",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }
}
