//! Feeds: the list, each feed's health and schedule, what a poll writes
//! (with the items, in one transaction), the fetch log and host back-off.

use anyhow::Result;
use rusqlite::{OptionalExtension, params};

use super::items::{NewItem, WriteStats, upsert_items};
use super::{Store, current_rev, json, set_rev, unjson};
use crate::config::FeedSpec;

/// How long fetch-log rows are kept.
const FETCH_LOG_DAYS: i64 = 30;

/// A feed with its health and item count, as shown by `feeds list` and `status`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FeedRow {
    pub id: i64,
    pub url: String,
    pub fetch_url: String,
    pub name: Option<String>,
    pub title: Option<String>,
    pub site_url: Option<String>,
    pub tags: Vec<String>,
    pub origin: String,
    pub active: bool,
    #[serde(skip)]
    pub etag: Option<String>,
    #[serde(skip)]
    pub last_modified: Option<String>,
    pub ttl_secs: Option<i64>,
    pub next_poll: i64,
    pub error_count: i64,
    pub last_error: Option<String>,
    pub last_error_at: Option<i64>,
    pub last_success: Option<i64>,
    pub last_fetch: Option<i64>,
    pub items: i64,
    /// Its items' pages are fetched for their full text.
    pub full_text: bool,
}

impl FeedRow {
    /// The name to show a person: theirs, else the feed's, else the URL.
    pub fn display_name(&self) -> &str {
        self.name
            .as_deref()
            .or(self.title.as_deref())
            .unwrap_or(&self.url)
    }
}

/// What one successful fetch changes about a feed.
#[derive(Debug, Default)]
pub struct FetchSuccess {
    pub http_status: u16,
    pub fetch_url: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub title: Option<String>,
    pub site_url: Option<String>,
    pub ttl_secs: Option<i64>,
    pub duration_ms: i64,
    pub bytes: i64,
    /// `None` for 304 Not Modified.
    pub items: Option<Vec<NewItem>>,
}

impl Store {
    /// When the next feed is due (the earliest `next_poll` of active feeds).
    pub fn next_poll_time(&self) -> Result<Option<i64>> {
        Ok(self.conn.query_row(
            "SELECT min(next_poll) FROM feeds WHERE active = 1",
            [],
            |r| r.get(0),
        )?)
    }

    /// Makes the feeds table agree with the config: config feeds are added or
    /// updated and active; config feeds no longer in the file are deactivated
    /// (their items stay). Feeds added with `feeds add` are left alone.
    pub fn sync_config_feeds(&mut self, feeds: &[FeedSpec], now: i64) -> Result<()> {
        let tx = self.conn.transaction()?;
        for f in feeds {
            tx.execute(
                "INSERT INTO feeds (url, fetch_url, name, tags, origin, created, full_text) VALUES (?1, ?1, ?2, ?3, 'config', ?4, ?5)
                 ON CONFLICT(url) DO UPDATE SET name = excluded.name, tags = excluded.tags, active = 1,
                     full_text = excluded.full_text",
                params![f.url, f.name, json(&f.tags), now, f.full_text],
            )?;
        }
        let urls: std::collections::HashSet<&str> = feeds.iter().map(|f| f.url.as_str()).collect();
        let mut stmt =
            tx.prepare("SELECT id, url FROM feeds WHERE origin = 'config' AND active = 1")?;
        let stale: Vec<i64> = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
            .filter_map(|r| r.ok())
            .filter(|(_, url)| !urls.contains(&url.as_str()))
            .map(|(id, _)| id)
            .collect();
        drop(stmt);
        for id in stale {
            tx.execute("UPDATE feeds SET active = 0 WHERE id = ?1", [id])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Adds a feed by hand. Returns false if it was already there (it is then
    /// re-activated, and the name and tags are updated if given).
    pub fn add_feed(&mut self, f: &FeedSpec, now: i64) -> Result<bool> {
        let tx = self.conn.transaction()?;
        let existed: bool = tx
            .query_row("SELECT 1 FROM feeds WHERE url = ?1", [&f.url], |_| Ok(true))
            .optional()?
            .unwrap_or(false);
        if existed {
            tx.execute(
                "UPDATE feeds SET active = 1, name = coalesce(?2, name), tags = CASE WHEN ?3 = '[]' THEN tags ELSE ?3 END,
                     full_text = max(full_text, ?4) WHERE url = ?1",
                params![f.url, f.name, json(&f.tags), f.full_text],
            )?;
        } else {
            tx.execute(
                "INSERT INTO feeds (url, fetch_url, name, tags, origin, created, full_text) VALUES (?1, ?1, ?2, ?3, 'user', ?4, ?5)",
                params![f.url, f.name, json(&f.tags), now, f.full_text],
            )?;
        }
        tx.commit()?;
        Ok(!existed)
    }

    /// Removes a feed and its items. Returns the number of items removed, or
    /// `None` if there was no such feed.
    pub fn remove_feed(&mut self, url: &str) -> Result<Option<usize>> {
        let tx = self.conn.transaction()?;
        let Some(id): Option<i64> = tx
            .query_row(
                "SELECT id FROM feeds WHERE url = ?1 OR fetch_url = ?1",
                [url],
                |r| r.get(0),
            )
            .optional()?
        else {
            return Ok(None);
        };
        let ids: Vec<i64> = {
            let mut stmt = tx.prepare("SELECT id FROM items WHERE feed_id = ?1")?;
            stmt.query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let mut rev = current_rev(&tx)?;
        {
            let mut tomb = tx
                .prepare("INSERT OR REPLACE INTO item_tombstones (item_id, rev) VALUES (?1, ?2)")?;
            for item in &ids {
                rev += 1;
                tomb.execute(params![item, rev])?;
            }
        }
        set_rev(&tx, rev)?;
        tx.execute("DELETE FROM items WHERE feed_id = ?1", [id])?;
        tx.execute("DELETE FROM fetch_log WHERE feed_id = ?1", [id])?;
        tx.execute("DELETE FROM feeds WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(Some(ids.len()))
    }

    /// Every feed, active first, with its stored item count.
    pub fn feeds(&self) -> Result<Vec<FeedRow>> {
        self.query_feeds("1 = 1")
    }

    /// Active feeds whose next poll time has come.
    pub fn due_feeds(&self, now: i64) -> Result<Vec<FeedRow>> {
        self.query_feeds(&format!("f.active = 1 AND f.next_poll <= {now}"))
    }

    pub fn active_feeds(&self) -> Result<Vec<FeedRow>> {
        self.query_feeds("f.active = 1")
    }

    fn query_feeds(&self, filter: &str) -> Result<Vec<FeedRow>> {
        let sql = format!(
            "SELECT f.id, f.url, f.fetch_url, f.name, f.title, f.site_url, f.tags, f.origin, f.active,
                    f.etag, f.last_modified, f.ttl_secs, f.next_poll, f.error_count, f.last_error,
                    f.last_error_at, f.last_success, f.last_fetch,
                    (SELECT count(*) FROM items i WHERE i.feed_id = f.id), f.full_text
             FROM feeds f WHERE {filter} ORDER BY f.active DESC, f.id"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(FeedRow {
                    id: r.get(0)?,
                    url: r.get(1)?,
                    fetch_url: r.get(2)?,
                    name: r.get(3)?,
                    title: r.get(4)?,
                    site_url: r.get(5)?,
                    tags: unjson(&r.get::<_, String>(6)?),
                    origin: r.get(7)?,
                    active: r.get(8)?,
                    etag: r.get(9)?,
                    last_modified: r.get(10)?,
                    ttl_secs: r.get(11)?,
                    next_poll: r.get(12)?,
                    error_count: r.get(13)?,
                    last_error: r.get(14)?,
                    last_error_at: r.get(15)?,
                    last_success: r.get(16)?,
                    last_fetch: r.get(17)?,
                    items: r.get(18)?,
                    full_text: r.get(19)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    // ---- poll results -----------------------------------------------------------

    /// Stores a successful fetch (200 or 304) and its items in one
    /// transaction. `schedule` gets the number of items the feed published in
    /// the last seven days and returns the next poll time.
    pub fn record_success(
        &mut self,
        feed_id: i64,
        s: &FetchSuccess,
        now: i64,
        schedule: impl FnOnce(i64) -> i64,
    ) -> Result<WriteStats> {
        let tx = self.conn.savepoint()?;
        let stats = match &s.items {
            Some(items) => upsert_items(&tx, feed_id, items, now)?,
            None => WriteStats::default(),
        };
        let weekly: i64 = tx.query_row(
            "SELECT count(*) FROM items WHERE feed_id = ?1 AND published > ?2",
            params![feed_id, now - 7 * 86_400],
            |r| r.get(0),
        )?;
        let next = schedule(weekly);
        // A 304 carries no new validators most of the time; keep the old ones.
        tx.execute(
            "UPDATE feeds SET
                fetch_url = coalesce(?2, fetch_url),
                etag = CASE WHEN ?3 IS NOT NULL OR ?10 = 200 THEN ?3 ELSE etag END,
                last_modified = CASE WHEN ?4 IS NOT NULL OR ?10 = 200 THEN ?4 ELSE last_modified END,
                title = coalesce(?5, title), site_url = coalesce(?6, site_url),
                ttl_secs = CASE WHEN ?10 = 200 THEN ?7 ELSE ttl_secs END,
                next_poll = ?8, error_count = 0, last_error = NULL, last_error_at = NULL,
                last_success = ?9, last_fetch = ?9
             WHERE id = ?1",
            params![
                feed_id,
                s.fetch_url,
                s.etag,
                s.last_modified,
                s.title,
                s.site_url,
                s.ttl_secs,
                next,
                now,
                i64::from(s.http_status),
            ],
        )?;
        tx.execute(
            "INSERT INTO fetch_log (feed_id, at, outcome, http_status, duration_ms, bytes, new_items, updated_items)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                feed_id,
                now,
                if s.items.is_some() { "fetched" } else { "not_modified" },
                i64::from(s.http_status),
                s.duration_ms,
                s.bytes,
                stats.new_items as i64,
                stats.updated_items as i64,
            ],
        )?;
        tx.commit()?;
        Ok(stats)
    }

    /// Records a failed fetch or parse and when to try again.
    pub fn record_failure(
        &mut self,
        feed_id: i64,
        http_status: Option<u16>,
        error: &str,
        duration_ms: i64,
        now: i64,
        next_poll: i64,
    ) -> Result<()> {
        let tx = self.conn.savepoint()?;
        tx.execute(
            "UPDATE feeds SET error_count = error_count + 1, last_error = ?2, last_error_at = ?3,
                 last_fetch = ?3, next_poll = ?4 WHERE id = ?1",
            params![feed_id, error, now, next_poll],
        )?;
        tx.execute(
            "INSERT INTO fetch_log (feed_id, at, outcome, http_status, duration_ms, error) VALUES (?1, ?2, 'failed', ?3, ?4, ?5)",
            params![feed_id, now, http_status.map(i64::from), duration_ms, error],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Moves a feed's next poll later without counting an error (host asked us to wait).
    pub fn defer_feed(&mut self, feed_id: i64, until: i64, reason: &str, now: i64) -> Result<()> {
        let tx = self.conn.savepoint()?;
        tx.execute(
            "UPDATE feeds SET next_poll = max(next_poll, ?2) WHERE id = ?1",
            params![feed_id, until],
        )?;
        tx.execute(
            "INSERT INTO fetch_log (feed_id, at, outcome, error) VALUES (?1, ?2, 'deferred', ?3)",
            params![feed_id, now, reason],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Hosts that asked us (Retry-After) to stay away until a time still in the future.
    pub fn blocked_hosts(&self, now: i64) -> Result<Vec<(String, i64)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT host, retry_at FROM hosts WHERE retry_at > ?1")?;
        let rows = stmt
            .query_map([now], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn block_host(&mut self, host: &str, until: i64) -> Result<()> {
        self.conn.execute(
            "INSERT INTO hosts (host, retry_at) VALUES (?1, ?2)
             ON CONFLICT(host) DO UPDATE SET retry_at = max(retry_at, excluded.retry_at)",
            params![host, until],
        )?;
        Ok(())
    }

    /// Drops fetch-log rows and host blocks that no longer matter.
    pub fn prune(&mut self, now: i64) -> Result<()> {
        self.conn.execute(
            "DELETE FROM fetch_log WHERE at < ?1",
            [now - FETCH_LOG_DAYS * 86_400],
        )?;
        self.conn
            .execute("DELETE FROM hosts WHERE retry_at <= ?1", [now])?;
        Ok(())
    }
}
