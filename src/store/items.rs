//! Items: what a poll inserts or updates, their revisions and tombstones
//! (which the index follows), and the light rows analysis reads.

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::path::Path;

use super::{BUSY_WAIT, Store, current_rev, json, set_rev, unjson};
use crate::parse::Item;

/// One item as stored, for the index and for display.
#[derive(Debug, Clone)]
pub struct StoredItem {
    pub id: i64,
    pub feed_id: i64,
    pub feed_name: String,
    pub guid: String,
    pub url: Option<String>,
    pub title: String,
    pub author: Option<String>,
    pub published: i64,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    /// The article's full text when it was fetched (`[poll] full_text`),
    /// else the body the feed gave.
    pub body: String,
    /// Key phrases (normalised), as stored by the analysis stage.
    pub phrases: Vec<String>,
    pub rev: i64,
}

/// An item with what the analysis stage extracted from it.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub item: Item,
    pub phrases: Vec<String>,
    pub questions: Vec<String>,
}

impl From<Item> for NewItem {
    fn from(item: Item) -> NewItem {
        NewItem {
            item,
            phrases: Vec::new(),
            questions: Vec::new(),
        }
    }
}

/// Stored phrases of an item kept in `phrase_ids` (the best: phrases are
/// stored best first); story clustering uses no more.
pub const PHRASE_IDS_KEPT: usize = 12;

/// A term's id: the 64-bit FNV-1a hash of its text with the lowest bit
/// cleared (in [`phrase_ids`] that bit marks a multi-word phrase).
///
/// Ids are stored, so the function must never change without a schema
/// step that fills `items.phrase_ids` again. FNV is fixed by its
/// specification; a hasher of the standard library or of `rustc-hash`
/// may change between versions. Two terms that collide only add a little
/// similarity between the items that carry them.
pub fn term_id(term: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = fnv::FnvHasher::default();
    h.write(term.as_bytes());
    h.finish() & !1
}

/// An item's best phrases as stored in `items.phrase_ids`: each
/// [`term_id`] as 8 bytes, little-endian, lowest bit set for a phrase of
/// more than one word. Reading these (from `item_heads`) is what lets story
/// clustering read a week of items without their rows or their phrases.
pub fn phrase_ids(phrases: &[String]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 * phrases.len().min(PHRASE_IDS_KEPT));
    for p in phrases.iter().take(PHRASE_IDS_KEPT) {
        let id = term_id(p) | u64::from(p.contains(' '));
        out.extend_from_slice(&id.to_le_bytes());
    }
    out
}

/// The (term id, multi-word) pairs of a [`phrase_ids`] blob.
pub fn decode_phrase_ids(blob: &[u8]) -> impl Iterator<Item = (u64, bool)> + '_ {
    blob.chunks_exact(8).map(|c| {
        let id = u64::from_le_bytes(c.try_into().expect("chunks of 8"));
        (id & !1, id & 1 == 1)
    })
}

/// Schema step 5: `phrase_ids` for the items stored before it existed.
pub(super) fn fill_phrase_ids(tx: &Connection) -> Result<()> {
    let mut read = tx.prepare("SELECT id, phrases FROM items WHERE phrases <> '[]'")?;
    let mut write = tx.prepare("UPDATE items SET phrase_ids = ?2 WHERE id = ?1")?;
    let mut rows = read.query([])?;
    let mut filled = 0u64;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let phrases = unjson(&r.get::<_, String>(1)?);
        write.execute(params![id, phrase_ids(&phrases)])?;
        filled += 1;
    }
    if filled > 0 {
        tracing::info!("stored the hashed phrases of {filled} items (schema step 5)");
    }
    Ok(())
}

/// One item as the story clustering sees it: no body, its stored phrases
/// as ids (their text is read only for the stories that need it).
#[derive(Debug, Clone)]
pub struct StoryRow {
    pub id: i64,
    pub feed_id: i64,
    /// The feed's identity, for tie-breaks that must not depend on row ids.
    pub feed_url: std::sync::Arc<str>,
    pub feed: std::sync::Arc<str>,
    pub guid: String,
    pub url: Option<String>,
    pub title: String,
    pub published: i64,
    /// Its best phrases, hashed ([`phrase_ids`]).
    pub phrase_ids: Vec<u8>,
}

/// A question with the item that asks it.
#[derive(Debug, Clone)]
pub struct QuestionRow {
    pub question: String,
    pub item_id: i64,
    pub title: String,
    pub url: Option<String>,
    pub feed: String,
    pub feed_id: i64,
    pub published: i64,
}

/// What a write did, for the poll summary and the index.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    pub new_items: usize,
    pub updated_items: usize,
}

impl Store {
    /// The content hash of every item a feed has, by guid, read through a
    /// separate read-only connection: parsing tasks call this on their own
    /// threads, to analyse only items that are new or changed.
    pub fn known_hashes(
        db: &Path,
        feed_id: i64,
    ) -> Result<std::collections::HashMap<String, Vec<u8>>> {
        let conn = Connection::open_with_flags(
            db,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_WAIT)?;
        let mut stmt = conn.prepare("SELECT guid, content_hash FROM items WHERE feed_id = ?1")?;
        let rows = stmt
            .query_map([feed_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn item_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM items", [], |r| r.get(0))?)
    }

    /// The highest item id (0 for an empty store); ids only grow, so it
    /// tells how many items the store has taken in, at the cost of a seek.
    pub fn max_item_id(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(id), 0) FROM items", [], |r| r.get(0))?)
    }

    /// True when the store holds no item at all (cheaper than a count).
    pub fn is_empty(&self) -> Result<bool> {
        Ok(!self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM items)", [], |r| r.get(0))?)
    }

    /// The version of the extractor whose phrases and questions the items
    /// carry (`None`: unknown, e.g. a store from before versions were kept).
    /// The store only keeps the number; the analysis stage owns its meaning.
    pub fn extracted_with(&self) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'extracted_with'",
                [],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn set_extracted_with(&mut self, version: i64) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES ('extracted_with', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [version],
        )?;
        Ok(())
    }

    /// The highest revision handed out so far.
    pub fn current_rev(&self) -> Result<i64> {
        current_rev(&self.conn)
    }

    /// Items with `id` in a feed, newest first; for tests and inspection.
    pub fn items_of_feed(&self, feed_id: i64) -> Result<Vec<StoredItem>> {
        self.query_items(
            "i.feed_id = ?1 ORDER BY i.published DESC, i.id DESC",
            [feed_id],
        )
    }

    /// Items changed after revision `rev`, in revision order, at most `limit`.
    pub fn items_after_rev(&self, rev: i64, limit: i64) -> Result<Vec<StoredItem>> {
        self.query_items("i.rev > ?1 ORDER BY i.rev LIMIT ?2", params![rev, limit])
    }

    /// How many items changed after revision `rev` (for progress bars).
    pub fn count_items_after_rev(&self, rev: i64) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM items WHERE rev > ?1", [rev], |r| {
                r.get(0)
            })?)
    }

    /// Items by id, in the order asked; ids no longer stored are skipped.
    pub fn items_by_ids(&self, ids: &[i64]) -> Result<Vec<StoredItem>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(self.query_items("i.id = ?1", [id])?);
        }
        Ok(out)
    }

    /// The stored phrases (best first) of each of `ids` that exists.
    pub fn phrases_of(&self, ids: &[i64]) -> Result<rustc_hash::FxHashMap<i64, Vec<String>>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT phrases FROM items WHERE id = ?1")?;
        let mut out = rustc_hash::FxHashMap::default();
        // In rowid order: each look-up starts near where the last one ended.
        let mut sorted = ids.to_vec();
        sorted.sort_unstable();
        for id in sorted {
            if let Some(p) = stmt.query_row([id], |r| r.get::<_, String>(0)).optional()? {
                out.insert(id, unjson(&p));
            }
        }
        Ok(out)
    }

    /// About `n` items spread evenly over the id range (every item if there
    /// are fewer): each one a seek, so a large store is not read through.
    pub fn sample_items(&self, n: usize) -> Result<Vec<StoredItem>> {
        let (lo, hi): (Option<i64>, Option<i64>) =
            self.conn
                .query_row("SELECT min(id), max(id) FROM items", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
        let (Some(lo), Some(hi)) = (lo, hi) else {
            return Ok(Vec::new());
        };
        let span = (hi - lo + 1) as i128;
        let n = n.max(1) as i128;
        if span <= n {
            return self.query_items("i.id >= ?1 ORDER BY i.id", [lo]);
        }
        let mut out: Vec<StoredItem> = Vec::with_capacity(n as usize);
        for k in 0..n {
            let at = lo + (span * k / n) as i64;
            for item in self.query_items("i.id >= ?1 ORDER BY i.id LIMIT 1", [at])? {
                // Gaps in the ids can land two seeks on one item.
                if out.last().is_none_or(|last| last.id < item.id) {
                    out.push(item);
                }
            }
        }
        Ok(out)
    }

    /// Every stored item id, sorted; for consistency checks.
    pub fn all_item_ids(&self) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare("SELECT id FROM items ORDER BY id")?;
        let ids = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// Ids of items deleted after revision `rev`, with their deletion revision.
    pub fn tombstones_after_rev(&self, rev: i64) -> Result<Vec<(i64, i64)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT item_id, rev FROM item_tombstones WHERE rev > ?1 ORDER BY rev")?;
        let rows = stmt
            .query_map([rev], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    fn query_items(&self, filter: &str, p: impl rusqlite::Params) -> Result<Vec<StoredItem>> {
        let sql = format!(
            "SELECT i.id, i.feed_id, coalesce(f.name, f.title, f.url), i.guid, i.url, i.title, i.author,
                    i.published, i.categories, f.tags, coalesce(a.text, i.body), i.rev, i.phrases
             FROM items i JOIN feeds f ON f.id = i.feed_id
             LEFT JOIN articles a ON a.item_id = i.id AND a.status = 'fetched'
             WHERE {filter}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(p, |r| {
                Ok(StoredItem {
                    id: r.get(0)?,
                    feed_id: r.get(1)?,
                    feed_name: r.get(2)?,
                    guid: r.get(3)?,
                    url: r.get(4)?,
                    title: r.get(5)?,
                    author: r.get(6)?,
                    published: r.get(7)?,
                    categories: unjson(&r.get::<_, String>(8)?),
                    tags: unjson(&r.get::<_, String>(9)?),
                    body: r.get(10)?,
                    rev: r.get(11)?,
                    phrases: unjson(&r.get::<_, String>(12)?),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The light rows the story clustering reads: every item published in
    /// `(from, to]`, in the order that makes clustering reproducible
    /// (publication time, then feed URL and guid: never row ids, which
    /// depend on the order feeds were polled).
    pub fn story_rows(&self, from: i64, to: i64) -> Result<Vec<StoryRow>> {
        // Feeds are few: their names and URLs come from one small query,
        // not a join per item (a string each for a week of a busy store).
        let mut feeds: std::collections::HashMap<i64, (std::sync::Arc<str>, std::sync::Arc<str>)> =
            std::collections::HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT id, url, coalesce(name, title, url) FROM feeds")?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            for row in rows {
                let (id, url, name) = row?;
                feeds.insert(id, (url.into(), name.into()));
            }
        }
        let mut stmt = self.conn.prepare_cached(
            // From the narrow copy (schema step 6), never the items' rows.
            "SELECT id, feed_id, guid, url, title, published, phrase_ids
             FROM item_heads WHERE published > ?1 AND published <= ?2",
        )?;
        let none: (std::sync::Arc<str>, std::sync::Arc<str>) = ("".into(), "".into());
        let mut rows = stmt
            .query_map([from, to], |r| {
                let feed_id: i64 = r.get(1)?;
                let (feed_url, feed) = feeds.get(&feed_id).unwrap_or(&none).clone();
                Ok(StoryRow {
                    id: r.get(0)?,
                    feed_id,
                    feed_url,
                    feed,
                    guid: r.get(2)?,
                    url: r.get(3)?,
                    title: r.get(4)?,
                    published: r.get(5)?,
                    phrase_ids: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // Publication time, then feed URL and guid: never row ids, which
        // depend on the order feeds were polled.
        rows.sort_unstable_by(|a, b| {
            a.published
                .cmp(&b.published)
                .then_with(|| a.feed_url.cmp(&b.feed_url))
                .then_with(|| a.guid.cmp(&b.guid))
        });
        Ok(rows)
    }

    /// Every question asked by an item published in `(from, to]`, newest first.
    pub fn questions_between(&self, from: i64, to: i64) -> Result<Vec<QuestionRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.id, i.questions, i.title, i.url, coalesce(f.name, f.title, f.url), f.id, i.published
             FROM items i JOIN feeds f ON f.id = i.feed_id
             WHERE i.questions <> '[]' AND i.published > ?1 AND i.published <= ?2
             ORDER BY i.published DESC, f.url, i.guid",
        )?;
        let mut out = Vec::new();
        let rows = stmt.query_map([from, to], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, i64>(6)?,
            ))
        })?;
        for row in rows {
            let (item_id, qs, title, url, feed, feed_id, published) = row?;
            for question in unjson(&qs) {
                out.push(QuestionRow {
                    question,
                    item_id,
                    title: title.clone(),
                    url: url.clone(),
                    feed: feed.clone(),
                    feed_id,
                    published,
                });
            }
        }
        Ok(out)
    }

    /// Replaces the extracted phrases and questions of items (after the
    /// extractor changed), without touching their revision: the caller
    /// rebuilds the index afterwards.
    pub fn set_extracted(&mut self, rows: &[(i64, Vec<String>, Vec<String>)]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE items SET phrases = ?2, questions = ?3, phrase_ids = ?4 WHERE id = ?1",
            )?;
            for (id, phrases, questions) in rows {
                stmt.execute(params![
                    id,
                    json(phrases),
                    json(questions),
                    phrase_ids(phrases)
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Items published in `(from, to]`.
    pub fn count_items_between(&self, from: i64, to: i64) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM item_heads WHERE published > ?1 AND published <= ?2",
            [from, to],
            |r| r.get(0),
        )?)
    }
}

/// Inserts new items and updates changed ones; unchanged items are not
/// touched (no new revision, nothing for the index to redo).
pub(super) fn upsert_items(
    tx: &Connection,
    feed_id: i64,
    items: &[NewItem],
    now: i64,
) -> Result<WriteStats> {
    let mut stats = WriteStats::default();
    let mut rev = current_rev(tx)?;
    let mut seen = std::collections::HashSet::new();
    let mut find = tx.prepare_cached(
        "SELECT id, content_hash, published FROM items WHERE feed_id = ?1 AND guid = ?2",
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO items (feed_id, guid, url, title, author, published, first_seen, categories, body, content_hash, rev, phrases, questions, phrase_ids)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    let mut insert_head = tx.prepare_cached(
        "INSERT INTO item_heads (id, feed_id, published, guid, url, title, phrase_ids)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut update = tx.prepare_cached(
        "UPDATE items SET url = ?2, title = ?3, author = ?4, published = ?5, updated = ?6, categories = ?7,
             body = ?8, content_hash = ?9, rev = ?10,
             -- An item whose article was read keeps what analysis found in
             -- the article: a feed's summary says less (and some feeds
             -- change a date or a tracking link at every fetch).
             phrases = CASE WHEN EXISTS (SELECT 1 FROM articles a WHERE a.item_id = ?1 AND a.status = 'fetched')
                            THEN phrases ELSE ?11 END,
             questions = CASE WHEN EXISTS (SELECT 1 FROM articles a WHERE a.item_id = ?1 AND a.status = 'fetched')
                            THEN questions ELSE ?12 END,
             phrase_ids = CASE WHEN EXISTS (SELECT 1 FROM articles a WHERE a.item_id = ?1 AND a.status = 'fetched')
                            THEN phrase_ids ELSE ?13 END
             WHERE id = ?1",
    )?;
    // A feed with nothing stored yet (every feed, at a first poll) has no
    // item to find: one look instead of one per item.
    let has_items: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM items WHERE feed_id = ?1)",
        [feed_id],
        |r| r.get(0),
    )?;
    for new in items {
        let item = &new.item;
        // Feeds do repeat an entry within one document; the first one wins.
        if !seen.insert(item.guid.as_str()) {
            continue;
        }
        let hash = content_hash(item);
        let existing: Option<(i64, Vec<u8>, i64)> = if has_items {
            find.query_row(params![feed_id, item.guid], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?
        } else {
            None
        };
        match existing {
            None => {
                rev += 1;
                let published = item.published.map(|d| d.timestamp()).unwrap_or(now);
                let ids = phrase_ids(&new.phrases);
                insert.execute(params![
                    feed_id,
                    item.guid,
                    item.url,
                    item.title,
                    item.author,
                    published,
                    now,
                    json(&item.categories),
                    item.body,
                    hash,
                    rev,
                    json(&new.phrases),
                    json(&new.questions),
                    ids,
                ])?;
                // Written here, not by a trigger (see migration 7).
                insert_head.execute(params![
                    tx.last_insert_rowid(),
                    feed_id,
                    published,
                    item.guid,
                    item.url,
                    item.title,
                    ids,
                ])?;
                stats.new_items += 1;
            }
            Some((id, old_hash, old_published)) if old_hash != hash => {
                rev += 1;
                update.execute(params![
                    id,
                    item.url,
                    item.title,
                    item.author,
                    // An undated item keeps the date it was first seen.
                    item.published
                        .map(|d| d.timestamp())
                        .unwrap_or(old_published),
                    now,
                    json(&item.categories),
                    item.body,
                    hash,
                    rev,
                    json(&new.phrases),
                    json(&new.questions),
                    phrase_ids(&new.phrases),
                ])?;
                stats.updated_items += 1;
            }
            Some(_) => {}
        }
    }
    set_rev(tx, rev)?;
    Ok(stats)
}

/// What makes an item "changed": every field a reader sees.
pub fn content_hash(item: &Item) -> Vec<u8> {
    let mut h = Sha256::new();
    for part in [
        item.url.as_deref().unwrap_or(""),
        &item.title,
        item.author.as_deref().unwrap_or(""),
        &item
            .published
            .map(|d| d.timestamp().to_string())
            .unwrap_or_default(),
        &item.categories.join("\u{1f}"),
        &item.body,
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    h.finalize()[..16].to_vec()
}

#[cfg(test)]
mod tests {
    use super::super::FetchSuccess;
    use super::*;
    use crate::config::FeedSpec;

    fn item(guid: &str, title: &str) -> Item {
        Item {
            guid: guid.into(),
            url: Some(format!("https://x.example/{guid}")),
            title: title.into(),
            author: None,
            published: None,
            categories: vec![],
            body: "body".into(),
        }
    }

    fn success(items: Vec<impl Into<NewItem>>) -> FetchSuccess {
        FetchSuccess {
            http_status: 200,
            items: Some(items.into_iter().map(Into::into).collect()),
            ..Default::default()
        }
    }

    /// A new store with one configured feed: (its folder, the store, the feed's id).
    fn store_with_feed() -> (tempfile::TempDir, Store, i64) {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path()).unwrap();
        s.sync_config_feeds(
            &[FeedSpec {
                url: "https://x.example/feed".into(),
                name: None,
                tags: vec![],
                full_text: false,
            }],
            0,
        )
        .unwrap();
        let feed = s.feeds().unwrap()[0].id;
        (dir, s, feed)
    }

    /// What clustering reads (`item_heads`) follows every write to the
    /// items: inserts, updates, new phrases, and a feed's removal.
    #[test]
    fn item_heads_follow_the_items() {
        let (_dir, mut s, feed) = store_with_feed();
        let mut a = NewItem::from(item("a", "A"));
        a.phrases = vec!["alpha beta".into()];
        s.record_success(feed, &success(vec![a, item("b", "B").into()]), 100, |_| 0)
            .unwrap();
        let heads = |s: &Store| {
            let mut rows = s.story_rows(0, i64::MAX).unwrap();
            rows.sort_by(|x, y| x.guid.cmp(&y.guid));
            rows.into_iter()
                .map(|r| (r.guid, r.title, r.phrase_ids))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            heads(&s),
            vec![
                ("a".into(), "A".into(), phrase_ids(&["alpha beta".into()])),
                ("b".into(), "B".into(), vec![]),
            ]
        );
        s.record_success(feed, &success(vec![item("b", "B2")]), 200, |_| 0)
            .unwrap();
        let id_b = s
            .items_of_feed(feed)
            .unwrap()
            .iter()
            .find(|i| i.guid == "b")
            .unwrap()
            .id;
        s.set_extracted(&[(id_b, vec!["gamma".into()], vec![])])
            .unwrap();
        assert_eq!(
            heads(&s)[1],
            ("b".into(), "B2".into(), phrase_ids(&["gamma".into()]))
        );
        s.conn
            .execute("DELETE FROM feeds WHERE id = ?1", [feed])
            .unwrap();
        assert!(heads(&s).is_empty());
    }

    /// Term ids are stored: the function behind them must not change.
    #[test]
    fn term_ids_are_64_bit_fnv_1a_without_the_lowest_bit() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c; of "foobar", 0x85944171f73967e8.
        assert_eq!(term_id("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(term_id("foobar"), 0x8594_4171_f739_67e8);
        let blob = phrase_ids(&["foobar".into(), "foo bar".into()]);
        let decoded: Vec<(u64, bool)> = decode_phrase_ids(&blob).collect();
        assert_eq!(
            decoded,
            vec![(term_id("foobar"), false), (term_id("foo bar"), true)]
        );
        let many: Vec<String> = (0..20).map(|i| format!("p{i}")).collect();
        assert_eq!(phrase_ids(&many).len(), 8 * PHRASE_IDS_KEPT);
    }

    #[test]
    fn items_are_not_duplicated_and_updates_take_a_new_rev() {
        let (_dir, mut s, feed) = store_with_feed();
        let st = s
            .record_success(
                feed,
                &success(vec![item("a", "A"), item("b", "B"), item("a", "A dup")]),
                100,
                |_| 0,
            )
            .unwrap();
        assert_eq!(
            st,
            WriteStats {
                new_items: 2,
                updated_items: 0
            }
        );
        let st = s
            .record_success(
                feed,
                &success(vec![item("a", "A"), item("b", "B2")]),
                200,
                |_| 0,
            )
            .unwrap();
        assert_eq!(
            st,
            WriteStats {
                new_items: 0,
                updated_items: 1
            }
        );
        assert_eq!(s.item_count().unwrap(), 2);
        assert_eq!(s.current_rev().unwrap(), 3);
        let changed = s.items_after_rev(2, 10).unwrap();
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].title, "B2");
        // An undated item keeps its first-seen time as its date.
        assert_eq!(s.items_of_feed(feed).unwrap()[0].published, 100);
    }

    /// A poll writes the feeds that finished together in one batch: a
    /// failure anywhere in it leaves none of the batch behind, so nothing
    /// is half-stored and the feeds are simply polled again.
    #[test]
    fn a_failed_batch_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path()).unwrap();
        let f = FeedSpec {
            url: "https://x.example/feed".into(),
            name: None,
            tags: vec![],
            full_text: false,
        };
        s.add_feed(&f, 0).unwrap();
        let feed = s.feeds().unwrap()[0].id;
        let result = s.batch(|s| {
            s.record_success(feed, &success(vec![item("a", "A")]), 1, |_| 0)?;
            // No such feed: the fetch log's foreign key refuses it.
            s.record_success(feed + 99, &success(vec![item("b", "B")]), 1, |_| 0)
        });
        assert!(result.is_err());
        assert_eq!(s.item_count().unwrap(), 0);
        assert_eq!(s.current_rev().unwrap(), 0);
        // The connection is usable again, in and out of batches.
        s.batch(|s| s.record_success(feed, &success(vec![item("a", "A")]), 2, |_| 0))
            .unwrap();
        assert_eq!(s.item_count().unwrap(), 1);
    }

    #[test]
    fn removing_a_feed_leaves_tombstones() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path()).unwrap();
        let f = FeedSpec {
            url: "https://x.example/feed".into(),
            name: Some("X".into()),
            tags: vec!["t".into()],
            full_text: false,
        };
        assert!(s.add_feed(&f, 0).unwrap());
        assert!(!s.add_feed(&f, 0).unwrap());
        let feed = s.feeds().unwrap()[0].id;
        s.record_success(feed, &success(vec![item("a", "A")]), 1, |_| 0)
            .unwrap();
        assert_eq!(s.remove_feed(&f.url).unwrap(), Some(1));
        assert_eq!(s.tombstones_after_rev(1).unwrap().len(), 1);
        assert_eq!(s.remove_feed(&f.url).unwrap(), None);
    }
}
