//! SQLite, the source of truth: feeds, items, the fetch log, host back-off.
//!
//! This is the only module that speaks SQL. Each feed's poll result is
//! written in one transaction, so a crash leaves either all of it or none.
//! Items get an integer id that only grows (AUTOINCREMENT), and every insert,
//! update or delete also takes a number from one global revision counter
//! (`rev`). The search index remembers the highest revision it has seen, so
//! after a crash it can catch up on exactly what it missed, updates and
//! deletions included, not only new rows.

use std::path::Path;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use crate::config::FeedSpec;
use crate::parse::Item;

/// Migrations, applied in order; `PRAGMA user_version` counts those done.
const MIGRATIONS: &[&str] = &[
    // 1: the initial schema.
    r#"
    CREATE TABLE feeds (
        id            INTEGER PRIMARY KEY,
        url           TEXT NOT NULL UNIQUE,      -- as the user wrote it: the feed's identity
        fetch_url     TEXT NOT NULL,             -- after permanent redirects
        name          TEXT,                      -- the user's name for it
        title         TEXT,                      -- the feed's own title
        site_url      TEXT,
        tags          TEXT NOT NULL DEFAULT '[]',
        origin        TEXT NOT NULL,             -- 'config' or 'user'
        active        INTEGER NOT NULL DEFAULT 1,
        etag          TEXT,
        last_modified TEXT,
        ttl_secs      INTEGER,
        next_poll     INTEGER NOT NULL DEFAULT 0,
        error_count   INTEGER NOT NULL DEFAULT 0,
        last_error    TEXT,
        last_error_at INTEGER,
        last_success  INTEGER,
        last_fetch    INTEGER,
        created       INTEGER NOT NULL
    );
    CREATE TABLE items (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        feed_id     INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        guid        TEXT NOT NULL,
        url         TEXT,
        title       TEXT NOT NULL,
        author      TEXT,
        published   INTEGER NOT NULL,
        first_seen  INTEGER NOT NULL,
        updated     INTEGER,
        categories  TEXT NOT NULL DEFAULT '[]',
        body        TEXT NOT NULL,
        phrases     TEXT NOT NULL DEFAULT '[]',   -- key phrases (analysis, at ingest)
        questions   TEXT NOT NULL DEFAULT '[]',   -- questions the item asks (analysis, at ingest)
        content_hash BLOB NOT NULL,
        rev         INTEGER NOT NULL,
        UNIQUE (feed_id, guid)
    );
    CREATE INDEX items_published ON items(published);
    CREATE INDEX items_rev ON items(rev);
    CREATE INDEX items_with_questions ON items(published) WHERE questions <> '[]';
    -- Deleted items, so the index can delete them too after a crash.
    CREATE TABLE item_tombstones (
        item_id INTEGER PRIMARY KEY,
        rev     INTEGER NOT NULL
    );
    CREATE INDEX item_tombstones_rev ON item_tombstones(rev);
    CREATE TABLE fetch_log (
        id           INTEGER PRIMARY KEY,
        feed_id      INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        at           INTEGER NOT NULL,
        outcome      TEXT NOT NULL,              -- fetched | not_modified | failed | deferred
        http_status  INTEGER,
        duration_ms  INTEGER,
        bytes        INTEGER,
        new_items    INTEGER NOT NULL DEFAULT 0,
        updated_items INTEGER NOT NULL DEFAULT 0,
        error        TEXT
    );
    CREATE INDEX fetch_log_feed_at ON fetch_log(feed_id, at);
    CREATE INDEX fetch_log_at ON fetch_log(at);
    -- Retry-After from 429/503 applies to the whole host.
    CREATE TABLE hosts (
        host     TEXT PRIMARY KEY,
        retry_at INTEGER NOT NULL
    );
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value INTEGER NOT NULL
    );
    INSERT INTO meta (key, value) VALUES ('rev', 0);
    "#,
    // 2: the digest outbox. A digest is stored, once per period, before it
    // is sent; deliveries are recorded per recipient.
    r#"
    CREATE TABLE digests (
        period       TEXT PRIMARY KEY,          -- local date, e.g. 2026-11-16
        scheduled_at INTEGER NOT NULL,
        composed_at  INTEGER NOT NULL,
        subject      TEXT NOT NULL,
        content      TEXT NOT NULL,             -- the composed digest (JSON)
        status       TEXT NOT NULL,             -- pending | sent | failed | skipped
        attempts     INTEGER NOT NULL DEFAULT 0,
        next_attempt INTEGER NOT NULL DEFAULT 0,
        last_error   TEXT,
        sent_at      INTEGER
    );
    CREATE TABLE digest_deliveries (
        period     TEXT NOT NULL REFERENCES digests(period) ON DELETE CASCADE,
        recipient  TEXT NOT NULL,
        status     TEXT NOT NULL,               -- sent | failed
        at         INTEGER NOT NULL,
        message_id TEXT,
        error      TEXT,
        PRIMARY KEY (period, recipient)
    );
    CREATE TABLE digest_starters (
        period   TEXT NOT NULL REFERENCES digests(period) ON DELETE CASCADE,
        topic    TEXT NOT NULL,
        question TEXT NOT NULL
    );
    CREATE INDEX digest_starters_topic ON digest_starters(topic, period);
    "#,
];

/// A stored digest and its delivery state.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DigestRow {
    pub period: String,
    pub scheduled_at: i64,
    pub composed_at: i64,
    pub subject: String,
    #[serde(skip)]
    pub content: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt: i64,
    pub last_error: Option<String>,
    pub sent_at: Option<i64>,
}

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
    pub body: String,
    /// Key phrases (normalised), as stored by the analysis stage.
    pub phrases: Vec<String>,
    pub rev: i64,
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

/// One item as the story clustering sees it: no body, its stored phrases.
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
    /// Its key phrases as stored (a JSON list, best first), parsed only by
    /// what needs them: at a week of a busy store, building a string per
    /// phrase of every item was most of the cost of reading.
    pub phrases_json: String,
}

impl StoryRow {
    /// The stored phrases, borrowed from the JSON where it has no escapes.
    pub fn phrases(&self) -> Vec<std::borrow::Cow<'_, str>> {
        match serde_json::from_str::<Vec<&str>>(&self.phrases_json) {
            Ok(v) => v.into_iter().map(std::borrow::Cow::Borrowed).collect(),
            Err(_) => unjson(&self.phrases_json)
                .into_iter()
                .map(std::borrow::Cow::Owned)
                .collect(),
        }
    }
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

/// How long a connection waits for another process's lock.
const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Puts the database in WAL mode. Switching a new file to WAL needs an
/// exclusive lock, and SQLite reports a conflict there at once instead of
/// calling the busy handler: two processes that create the database together
/// (a starting daemon and a `status`) would otherwise make one fail with
/// "database is locked". So this waits, as long as the busy timeout would.
fn enable_wal(conn: &Connection) -> rusqlite::Result<()> {
    let deadline = std::time::Instant::now() + BUSY_WAIT;
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            result => return result,
        }
    }
}

pub struct Store {
    conn: Connection,
    path: std::path::PathBuf,
}

/// The database this process opened last: a damaged page is often found
/// by a query far from `Store::open`, and the way out names the file.
static LAST_OPENED: std::sync::Mutex<Option<std::path::PathBuf>> = std::sync::Mutex::new(None);

/// The way out of a damaged database, shown under the error.
pub fn corrupt_hint() -> String {
    let file = LAST_OPENED
        .lock()
        .ok()
        .and_then(|p| p.clone())
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "tricorder.db".into());
    format!(
        "The database file {file} is damaged. Restore it from a backup (stop the daemon \
         first), or move the data folder aside, start a new one and run `tricorder poll --all`: \
         the feeds in the config come back, and each feed's current items with them."
    )
}

/// Whether a file can be created in `dir` (permission bits do not say:
/// root ignores them, and a read-only mount is not in them).
fn can_write(dir: &Path) -> bool {
    let probe = dir.join(format!(".tricorder-probe-{}", std::process::id()));
    let ok = std::fs::File::create(&probe).is_ok();
    let _ = std::fs::remove_file(&probe);
    ok
}

/// Whether an error means the database file is damaged or not SQLite at all.
fn is_corrupt(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<rusqlite::Error>().is_some_and(|r| {
            matches!(
                r.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
            )
        })
    })
}

impl Store {
    /// Opens (creating if needed) `data_dir/tricorder.db` and brings its schema up to date.
    ///
    /// A data folder that cannot be written (a read-only copy, a read-only
    /// mount) still opens its existing database for reading, so that
    /// `search`, `status` and the rest work; a write then fails with
    /// SQLite's "readonly database".
    pub fn open(data_dir: &Path) -> Result<Store> {
        if data_dir.exists() && !data_dir.is_dir() {
            anyhow::bail!(
                "the data folder {} is a file, not a folder: set data_dir in the config to a folder",
                data_dir.display()
            );
        }
        let path = data_dir.join("tricorder.db");
        if let Ok(mut last) = LAST_OPENED.lock() {
            *last = Some(path.clone());
        }
        let opened = std::fs::create_dir_all(data_dir)
            .with_context(|| format!("cannot create data folder {}", data_dir.display()))
            .and_then(|()| Self::open_writable(&path));
        match opened {
            Ok(store) => Ok(store),
            Err(e) if is_corrupt(&e) => Err(e.context(format!(
                "the database {} is damaged or is not a tricorder database",
                path.display()
            ))),
            // Only for a folder that cannot be written: an immutable read of a
            // database that someone else is writing could see a torn state.
            Err(e) if path.is_file() && !can_write(data_dir) => Self::open_read_only(&path)
                .map_err(|ro| {
                    tracing::debug!("cannot open {} read-only either: {ro:#}", path.display());
                    e
                }),
            Err(e) => Err(e),
        }
    }

    fn open_writable(path: &Path) -> Result<Store> {
        let conn = Connection::open(path)
            .with_context(|| format!("cannot open database {}", path.display()))?;
        // Wait for another process's write instead of failing at once.
        conn.busy_timeout(BUSY_WAIT)?;
        // WAL lets `search` and `status` read while a poll writes; NORMAL
        // sync is durable across process crashes, which is what we promise.
        enable_wal(&conn).with_context(|| format!("cannot use WAL mode on {}", path.display()))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
        };
        store
            .migrate()
            .with_context(|| format!("cannot migrate database {}", path.display()))?;
        store
            .ensure_identity()
            .with_context(|| format!("cannot write to database {}", path.display()))?;
        Ok(store)
    }

    /// A database in a folder we cannot write: WAL mode needs its `-shm`
    /// file, which cannot be created there, so SQLite is told the file
    /// will not change under it (`immutable`), as holds for a read-only copy.
    fn open_read_only(path: &Path) -> Result<Store> {
        let mut uri = url::Url::from_file_path(path)
            .map_err(|_| anyhow::anyhow!("{} cannot be made into a URI", path.display()))?;
        uri.set_query(Some("immutable=1"));
        let conn = Connection::open_with_flags(
            uri.as_str(),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI,
        )?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version as usize != MIGRATIONS.len() {
            anyhow::bail!(
                "the database has schema {version} and cannot be brought to {} without writing",
                MIGRATIONS.len()
            );
        }
        tracing::info!(
            "{} cannot be written: reading it as it is (writing commands will fail)",
            path.display()
        );
        Ok(Store {
            conn,
            path: path.to_owned(),
        })
    }

    /// The random identity this database was given when it was created.
    /// The index records it, so that an index kept while its database was
    /// replaced is noticed instead of answering with another database's ids.
    /// `None` only for a database opened read-only that never had one.
    pub fn identity(&self) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'identity'", [], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Gives the database its identity if it has none yet (new, or created
    /// by a release from before identities).
    fn ensure_identity(&mut self) -> Result<i64> {
        if let Some(id) = self.identity()? {
            return Ok(id);
        }
        // Never 0: an index's payload could be mistaken for "no identity".
        let id = fastrand::i64(1..i64::MAX);
        self.conn.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('identity', ?1)",
            [id],
        )?;
        Ok(self.identity()?.unwrap_or(id))
    }

    fn migrate(&mut self) -> Result<()> {
        let read_version = |conn: &Connection| -> Result<usize> {
            let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
            Ok(v.max(0) as usize)
        };
        if read_version(&self.conn)? == MIGRATIONS.len() {
            return Ok(());
        }
        // Two processes may open a new database at once (the daemon and a
        // `status`): the write lock of an IMMEDIATE transaction makes one
        // wait, and the version is read again under it.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version = read_version(&tx)?;
        if version > MIGRATIONS.len() {
            anyhow::bail!(
                "the database was written by a newer tricorder (schema {version}, this build knows {})",
                MIGRATIONS.len()
            );
        }
        for sql in MIGRATIONS.iter().skip(version) {
            tx.execute_batch(sql)?;
        }
        tx.pragma_update(None, "user_version", MIGRATIONS.len() as i64)?;
        tx.commit()?;
        Ok(())
    }

    /// Frees this connection's page cache. The daemon calls it before it
    /// idles: a poll round fills the cache, and the next round is hours away.
    pub fn release_memory(&self) -> Result<()> {
        self.conn.execute_batch("PRAGMA shrink_memory")?;
        Ok(())
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

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

    /// When the next feed is due (the earliest `next_poll` of active feeds).
    pub fn next_poll_time(&self) -> Result<Option<i64>> {
        Ok(self.conn.query_row(
            "SELECT min(next_poll) FROM feeds WHERE active = 1",
            [],
            |r| r.get(0),
        )?)
    }

    // ---- feeds ----------------------------------------------------------------

    /// Makes the feeds table agree with the config: config feeds are added or
    /// updated and active; config feeds no longer in the file are deactivated
    /// (their items stay). Feeds added with `feeds add` are left alone.
    pub fn sync_config_feeds(&mut self, feeds: &[FeedSpec], now: i64) -> Result<()> {
        let tx = self.conn.transaction()?;
        for f in feeds {
            tx.execute(
                "INSERT INTO feeds (url, fetch_url, name, tags, origin, created) VALUES (?1, ?1, ?2, ?3, 'config', ?4)
                 ON CONFLICT(url) DO UPDATE SET name = excluded.name, tags = excluded.tags, active = 1",
                params![f.url, f.name, json(&f.tags), now],
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
                "UPDATE feeds SET active = 1, name = coalesce(?2, name), tags = CASE WHEN ?3 = '[]' THEN tags ELSE ?3 END WHERE url = ?1",
                params![f.url, f.name, json(&f.tags)],
            )?;
        } else {
            tx.execute(
                "INSERT INTO feeds (url, fetch_url, name, tags, origin, created) VALUES (?1, ?1, ?2, ?3, 'user', ?4)",
                params![f.url, f.name, json(&f.tags), now],
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
                    (SELECT count(*) FROM items i WHERE i.feed_id = f.id)
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
        let tx = self.conn.transaction()?;
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
        let tx = self.conn.transaction()?;
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
        let tx = self.conn.transaction()?;
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

    // ---- items --------------------------------------------------------------------

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
                    i.published, i.categories, f.tags, i.body, i.rev, i.phrases
             FROM items i JOIN feeds f ON f.id = i.feed_id WHERE {filter}"
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
            "SELECT id, feed_id, guid, url, title, published, phrases
             FROM items WHERE published > ?1 AND published <= ?2",
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
                    phrases_json: r.get(6)?,
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
            let mut stmt =
                tx.prepare_cached("UPDATE items SET phrases = ?2, questions = ?3 WHERE id = ?1")?;
            for (id, phrases, questions) in rows {
                stmt.execute(params![id, json(phrases), json(questions)])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    // ---- digests ------------------------------------------------------------------

    /// Stores a composed digest for its period, with the starters it uses, in
    /// one transaction. Returns false (and changes nothing) if the period
    /// already has one: there is never more than one digest per period.
    pub fn insert_digest(
        &mut self,
        row: &DigestRow,
        starters: &[(String, String)],
    ) -> Result<bool> {
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "INSERT OR IGNORE INTO digests (period, scheduled_at, composed_at, subject, content, status, next_attempt)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![row.period, row.scheduled_at, row.composed_at, row.subject, row.content, row.status, row.next_attempt],
        )?;
        if n == 1 {
            let mut stmt = tx.prepare(
                "INSERT INTO digest_starters (period, topic, question) VALUES (?1, ?2, ?3)",
            )?;
            for (topic, q) in starters {
                stmt.execute(params![row.period, topic, q])?;
            }
        }
        tx.commit()?;
        Ok(n == 1)
    }

    pub fn digest(&self, period: &str) -> Result<Option<DigestRow>> {
        Ok(self.query_digests("WHERE period = ?1", [period])?.pop())
    }

    /// The most recent digest, whatever its state.
    pub fn last_digest(&self) -> Result<Option<DigestRow>> {
        Ok(self
            .query_digests("WHERE status <> 'skipped' ORDER BY period DESC LIMIT 1", [])?
            .pop())
    }

    /// Digests waiting to be sent whose next attempt is due.
    pub fn due_digests(&self, now: i64) -> Result<Vec<DigestRow>> {
        self.query_digests(
            "WHERE status = 'pending' AND next_attempt <= ?1 ORDER BY period",
            [now],
        )
    }

    fn query_digests(&self, tail: &str, p: impl rusqlite::Params) -> Result<Vec<DigestRow>> {
        let sql = format!(
            "SELECT period, scheduled_at, composed_at, subject, content, status, attempts, next_attempt, last_error, sent_at
             FROM digests {tail}"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map(p, |r| {
                Ok(DigestRow {
                    period: r.get(0)?,
                    scheduled_at: r.get(1)?,
                    composed_at: r.get(2)?,
                    subject: r.get(3)?,
                    content: r.get(4)?,
                    status: r.get(5)?,
                    attempts: r.get(6)?,
                    next_attempt: r.get(7)?,
                    last_error: r.get(8)?,
                    sent_at: r.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// (recipient, status, error) of every delivery of a period's digest so far.
    pub fn deliveries(&self, period: &str) -> Result<Vec<(String, String, Option<String>)>> {
        let mut stmt = self.conn.prepare(
            "SELECT recipient, status, error FROM digest_deliveries WHERE period = ?1 ORDER BY recipient",
        )?;
        let rows = stmt
            .query_map([period], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn record_delivery(
        &mut self,
        period: &str,
        recipient: &str,
        ok: bool,
        message_id: Option<&str>,
        error: Option<&str>,
        now: i64,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO digest_deliveries (period, recipient, status, at, message_id, error) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(period, recipient) DO UPDATE SET status = excluded.status, at = excluded.at,
                 message_id = excluded.message_id, error = excluded.error",
            params![period, recipient, if ok { "sent" } else { "failed" }, now, message_id, error],
        )?;
        Ok(())
    }

    pub fn set_digest_state(
        &mut self,
        period: &str,
        status: &str,
        attempts: i64,
        next_attempt: i64,
        last_error: Option<&str>,
        sent_at: Option<i64>,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE digests SET status = ?2, attempts = ?3, next_attempt = ?4, last_error = ?5, sent_at = coalesce(?6, sent_at)
             WHERE period = ?1",
            params![period, status, attempts, next_attempt, last_error, sent_at],
        )?;
        Ok(())
    }

    /// Makes a sent digest pending again (`digest --send --force`).
    pub fn reset_digest(&mut self, period: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM digest_deliveries WHERE period = ?1", [period])?;
        tx.execute(
            "UPDATE digests SET status = 'pending', attempts = 0, next_attempt = 0, last_error = NULL WHERE period = ?1",
            [period],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The starters the digest before `period` used for `topic`.
    pub fn previous_starters(&self, period: &str, topic: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT question FROM digest_starters WHERE topic = ?2 AND period =
                 (SELECT max(period) FROM digests WHERE period < ?1 AND status <> 'skipped')",
        )?;
        let rows = stmt
            .query_map([period, topic], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Items published in `(from, to]`.
    pub fn count_items_between(&self, from: i64, to: i64) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM items WHERE published > ?1 AND published <= ?2",
            [from, to],
            |r| r.get(0),
        )?)
    }

    /// Checks that the database file is sound; `status` reports the answer.
    pub fn quick_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))?)
    }
}

fn current_rev(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT value FROM meta WHERE key = 'rev'", [], |r| r.get(0))?)
}

fn set_rev(tx: &Transaction, rev: i64) -> Result<()> {
    tx.execute("UPDATE meta SET value = ?1 WHERE key = 'rev'", [rev])?;
    Ok(())
}

/// Inserts new items and updates changed ones; unchanged items are not
/// touched (no new revision, nothing for the index to redo).
fn upsert_items(tx: &Transaction, feed_id: i64, items: &[NewItem], now: i64) -> Result<WriteStats> {
    let mut stats = WriteStats::default();
    let mut rev = current_rev(tx)?;
    let mut seen = std::collections::HashSet::new();
    let mut find = tx.prepare_cached(
        "SELECT id, content_hash, published FROM items WHERE feed_id = ?1 AND guid = ?2",
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO items (feed_id, guid, url, title, author, published, first_seen, categories, body, content_hash, rev, phrases, questions)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    let mut update = tx.prepare_cached(
        "UPDATE items SET url = ?2, title = ?3, author = ?4, published = ?5, updated = ?6, categories = ?7,
             body = ?8, content_hash = ?9, rev = ?10, phrases = ?11, questions = ?12 WHERE id = ?1",
    )?;
    for new in items {
        let item = &new.item;
        // Feeds do repeat an entry within one document; the first one wins.
        if !seen.insert(item.guid.as_str()) {
            continue;
        }
        let hash = content_hash(item);
        let existing: Option<(i64, Vec<u8>, i64)> = find
            .query_row(params![feed_id, item.guid], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        match existing {
            None => {
                rev += 1;
                insert.execute(params![
                    feed_id,
                    item.guid,
                    item.url,
                    item.title,
                    item.author,
                    item.published.map(|d| d.timestamp()).unwrap_or(now),
                    now,
                    json(&item.categories),
                    item.body,
                    hash,
                    rev,
                    json(&new.phrases),
                    json(&new.questions),
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

fn json(v: &[String]) -> String {
    serde_json::to_string(v).expect("a list of strings always serialises")
}

fn unjson(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

/// A stored time as RFC 3339, for JSON output.
pub fn rfc3339(t: i64) -> String {
    DateTime::<Utc>::from_timestamp(t, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The daemon and a `status` may create the database at the same moment;
    /// neither may fail with "database is locked" (a CI run once did).
    #[test]
    fn processes_creating_the_database_together_all_succeed() {
        for _ in 0..40 {
            let dir = tempfile::tempdir().unwrap();
            std::thread::scope(|s| {
                let opens: Vec<_> = (0..6)
                    .map(|_| s.spawn(|| Store::open(dir.path())))
                    .collect();
                for open in opens {
                    let store = open.join().unwrap().unwrap();
                    assert_eq!(store.item_count().unwrap(), 0);
                }
            });
        }
    }

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

    fn success(items: Vec<Item>) -> FetchSuccess {
        FetchSuccess {
            http_status: 200,
            items: Some(items.into_iter().map(NewItem::from).collect()),
            ..Default::default()
        }
    }

    #[test]
    fn items_are_not_duplicated_and_updates_take_a_new_rev() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path()).unwrap();
        s.sync_config_feeds(
            &[FeedSpec {
                url: "https://x.example/feed".into(),
                name: None,
                tags: vec![],
            }],
            0,
        )
        .unwrap();
        let feed = s.feeds().unwrap()[0].id;
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

    #[test]
    fn removing_a_feed_leaves_tombstones() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path()).unwrap();
        let f = FeedSpec {
            url: "https://x.example/feed".into(),
            name: Some("X".into()),
            tags: vec!["t".into()],
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
