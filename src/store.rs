//! SQLite, the source of truth: feeds, items, the fetch log, host back-off,
//! digests.
//!
//! This is the only module that speaks SQL. It is one `Store` (one
//! connection), with one file per entity as Miniflux keeps its storage:
//! `feeds` (feeds, their health, the fetch log and host back-off), `items`
//! (items, their revisions and the rows analysis reads) and `digests` (the
//! outbox and its deliveries). This file opens the database and migrates it.
//!
//! Each feed's poll result is written in one transaction, so a crash leaves
//! either all of it or none. Items get an integer id that only grows
//! (AUTOINCREMENT), and every insert, update or delete also takes a number
//! from one global revision counter (`rev`). The search index remembers the
//! highest revision it has seen, so after a crash it can catch up on exactly
//! what it missed, updates and deletions included, not only new rows.

use std::path::Path;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

mod articles;
mod digests;
mod feeds;
mod items;
mod topic;

pub use articles::{ArticleOutcome, ArticleWanted};
pub use digests::{DeliveryStatus, DigestRow, DigestStatus};
pub use feeds::{FeedRow, FetchSuccess};
pub use items::{
    NewItem, PHRASE_IDS_KEPT, QuestionRow, StoredItem, StoryRow, WriteStats, content_hash,
    decode_phrase_ids, phrase_ids, term_id,
};
pub use topic::{TopicItemRow, TrendedRow};

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
    // 3: full text for excerpt feeds. An article is fetched once per item:
    // its row, fetched or failed, is what keeps it from being fetched again.
    r#"
    ALTER TABLE feeds ADD COLUMN full_text INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE articles (
        item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
        url     TEXT NOT NULL,                  -- the page fetched (after redirects)
        status  TEXT NOT NULL,                  -- fetched | failed
        text    TEXT,                           -- the article's text, when fetched
        error   TEXT,                           -- why not, when failed
        at      INTEGER NOT NULL
    );
    "#,
    // 4: the topics that trended, per closed window, for `tricorder topics`:
    // recomputing trends for a quarter of past weeks costs seconds each.
    // A window is recorded with the item count it was computed from, so a
    // window whose items changed since is computed again.
    r#"
    CREATE TABLE trend_windows (
        window_end  INTEGER PRIMARY KEY,
        items       INTEGER NOT NULL,
        computed_at INTEGER NOT NULL
    );
    CREATE TABLE trended_topics (
        window_end INTEGER NOT NULL,
        key        TEXT NOT NULL,
        label      TEXT NOT NULL,
        kind       TEXT NOT NULL,
        type       TEXT NOT NULL,
        growth     REAL NOT NULL,
        score      REAL NOT NULL,
        phrases    TEXT NOT NULL,              -- JSON list of member phrase keys
        digest     TEXT,                       -- the digest period that carried it, if any
        PRIMARY KEY (window_end, key, digest)
    );
    CREATE INDEX trended_topics_end ON trended_topics(window_end);
    "#,
    // 5: each item's best phrases, hashed (see `items::phrase_ids`), beside
    // its phrases. Filled for the items already stored by
    // `fill_phrase_ids` right after this step, before the index below.
    r#"
    ALTER TABLE items ADD COLUMN phrase_ids BLOB NOT NULL DEFAULT x'';
    "#,
    // 6: what story clustering reads of each item, in a narrow table of its
    // own that triggers keep equal to `items`. At 4 kB a page, the items
    // table holds little more than one item (with its body) a page, and
    // reading a week of a busy store row by row was a quarter of the
    // clustering's time; here a page holds a dozen. (A covering index on
    // `items` read as fast, but its entries, ordered by date, were
    // rewritten all over at every commit of a first poll: a second more
    // on 2,000 feeds. This table grows at its end, in item order.)
    r#"
    CREATE TABLE item_heads (
        id         INTEGER PRIMARY KEY,    -- items.id
        feed_id    INTEGER NOT NULL,
        published  INTEGER NOT NULL,
        guid       TEXT NOT NULL,
        url        TEXT,
        title      TEXT NOT NULL,
        phrase_ids BLOB NOT NULL
    );
    INSERT INTO item_heads (id, feed_id, published, guid, url, title, phrase_ids)
        SELECT id, feed_id, published, guid, url, title, phrase_ids FROM items ORDER BY id;
    CREATE INDEX item_heads_published ON item_heads(published);
    CREATE TRIGGER item_heads_insert AFTER INSERT ON items BEGIN
        INSERT INTO item_heads (id, feed_id, published, guid, url, title, phrase_ids)
        VALUES (new.id, new.feed_id, new.published, new.guid, new.url, new.title, new.phrase_ids);
    END;
    CREATE TRIGGER item_heads_update
        AFTER UPDATE OF feed_id, published, guid, url, title, phrase_ids ON items BEGIN
        UPDATE item_heads SET feed_id = new.feed_id, published = new.published, guid = new.guid,
            url = new.url, title = new.title, phrase_ids = new.phrase_ids
        WHERE id = new.id;
    END;
    -- Also when a feed's removal deletes its items (a foreign-key action
    -- fires triggers too).
    CREATE TRIGGER item_heads_delete AFTER DELETE ON items BEGIN
        DELETE FROM item_heads WHERE id = old.id;
    END;
    "#,
    // 7: new items' heads are written by `upsert_items`, the one place that
    // inserts items, beside the item. A statement that fires a trigger
    // keeps a statement journal, a copy of every page it touches, so that
    // it can be undone alone: the insert trigger cost a first poll of 2,000
    // feeds more than a second. Updates and deletes are rare; their
    // triggers stay.
    r#"
    DROP TRIGGER item_heads_insert;
    "#,
    // 8: `item_heads_published` indexes the same dates, and the queries by
    // date read through it. Every index on a date takes its inserts all
    // over the tree; this one cost a first poll of 2,000 feeds 0.4 s.
    r#"
    DROP INDEX items_published;
    "#,
];

/// Migrations after which Rust code completes the step (1-based).
const FILL_PHRASE_IDS_AFTER: usize = 5;

/// WAL pages written before SQLite copies them into the database (64 MB):
/// the WAL stays at most about that size, and a page rewritten many times
/// in a round (an index page, the feeds table) is copied once. (4,000
/// pages cost a first poll of 2,000 feeds a quarter of a second more.)
const WAL_CHECKPOINT_PAGES: i64 = 16_000;

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
        // A checkpoint copies the WAL's pages into the database file; with
        // SQLite's default of every 1,000 pages (4 MB) a first poll spent a
        // twentieth of its time copying index pages it rewrote moments later.
        conn.pragma_update(None, "wal_autocheckpoint", WAL_CHECKPOINT_PAGES)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A statement that fires a trigger (an item's update) keeps a
        // statement journal so that it can be undone alone. It holds only
        // the pages one statement touches, so memory is the right place; in
        // a temporary file it once cost a first poll a tenth of its time.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
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
        for (n, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            tx.execute_batch(sql)
                .with_context(|| format!("schema step {} failed", n + 1))?;
            if n + 1 == FILL_PHRASE_IDS_AFTER {
                items::fill_phrase_ids(&tx)?;
            }
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

    /// Runs `f` in one transaction: what it writes is committed together, or
    /// not at all if it fails. Inside, each feed's write is a savepoint of
    /// its own. A poll writes the feeds whose fetches finished together this
    /// way: a commit per feed was a twentieth of a first poll's time, and
    /// most of an unchanged re-poll's.
    pub fn batch<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let done = f(self).and_then(|v| {
            self.conn.execute_batch("COMMIT")?;
            Ok(v)
        });
        if done.is_err() && !self.conn.is_autocommit() {
            // Nothing half-written stays: the batch is undone as a whole.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        done
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
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

fn set_rev(tx: &Connection, rev: i64) -> Result<()> {
    tx.execute("UPDATE meta SET value = ?1 WHERE key = 'rev'", [rev])?;
    Ok(())
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

    /// A database of schema 4 (before `phrase_ids`) with items: opening
    /// it fills their ids, so that clustering reads them as it reads new
    /// items', and stories do not depend on when an item was stored.
    #[test]
    fn items_stored_before_phrase_ids_get_them_when_the_schema_moves_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tricorder.db");
        {
            let conn = Connection::open(&path).unwrap();
            for sql in &MIGRATIONS[..4] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", 4).unwrap();
            conn.execute_batch(
                "INSERT INTO feeds (id, url, fetch_url, origin, created) VALUES (1, 'http://f/', 'http://f/', 'config', 0);
                 INSERT INTO items (feed_id, guid, title, published, first_seen, body, phrases, content_hash, rev)
                 VALUES (1, 'g1', 'Budget day', 100, 100, '', '[\"autumn budget\",\"budget\"]', x'00', 1),
                        (1, 'g2', 'Nothing', 200, 200, '', '[]', x'00', 2);",
            )
            .unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        let rows = store.story_rows(0, 1000).unwrap();
        assert_eq!(rows.len(), 2);
        let ids: Vec<(u64, bool)> = items::decode_phrase_ids(&rows[0].phrase_ids).collect();
        assert_eq!(
            ids,
            vec![
                (items::term_id("autumn budget"), true),
                (items::term_id("budget"), false)
            ]
        );
        assert!(rows[1].phrase_ids.is_empty());
    }
}
