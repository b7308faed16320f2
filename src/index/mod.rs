//! The tantivy index: a derived, rebuildable mirror of the SQLite items.
//!
//! SQLite stays the truth. Every index commit carries, as its payload, the
//! highest store revision it contains (see `store`: each insert, update and
//! delete takes a revision). [`SearchIndex::sync`] indexes whatever the store
//! holds beyond that mark, so the same function serves after each poll, at
//! start-up after a crash between the two commits, and for catching up
//! after an upgrade. Nothing is indexed twice: an item is always deleted by
//! its id before it is added again.
//!
//! How title and body become terms, and why phrase queries of common words
//! stay fast, is in [`text`].

use std::collections::HashSet;
use std::ops::Bound;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::query_grammar::{UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DateTime, Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term, doc,
};

use crate::store::{Store, StoredItem};

mod matching;
mod readonly;
mod text;

pub use matching::MatchedDoc;
pub use text::{FrequentWords, GRAM_ANALYZER, KEYWORD_ANALYZER, TEXT_ANALYZER};

/// Folder names under the data folder.
const INDEX_DIR: &str = "index";
const INDEX_NEW: &str = "index.new";
const INDEX_OLD: &str = "index.old";
/// In the index folder: the corpus's frequent words the grams were built
/// with ([`FrequentWords`]). Written before the index itself, never changed.
const FREQUENT_WORDS: &str = "frequent-words.json";
/// Items whose words are counted to find the frequent words: enough to
/// measure any share above [`text::PAIR_SHARE`] within a fraction of a per
/// cent, in about half a second.
const FREQUENT_WORDS_SAMPLE: usize = 5_000;
/// An index's frequent words are measured again (by a rebuild) once the
/// store has taken in this many times the items it had when they were
/// measured, and at least [`RETUNE_FROM`] items: a daemon's index is created
/// on an empty store. Growth by a factor keeps the rebuilds few: their total
/// cost stays within a third of one rebuild of the final store.
const RETUNE_GROWTH: i64 = 4;
/// Below this, phrase queries are fast without the corpus's own pairs.
const RETUNE_FROM: i64 = 20_000;

/// Length of a search result's snippet, in characters.
pub const SNIPPET_CHARS: usize = 200;

/// How long opening the writer waits for tantivy's own writer lock. The
/// data-folder lock (`lock.rs`) already keeps out every other writer but one:
/// the daemon's worker when the daemon was just killed. The worker dies with
/// it (PR_SET_PDEATHSIG), but the kernel releases the daemon's lock a moment
/// before the worker is gone, and the next writer must not fail for that.
const WRITER_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);
/// Index buffer of [`SearchIndex::incremental_writer`]: tantivy flushes a
/// segment when it fills. A bigger buffer means fewer segments to merge:
/// a first poll of 2,000 feeds (80,000 items) writes 12 segments and
/// merges once with 30 MB, where 20 MB wrote 18 and merged twice. Its
/// peak memory was lowest at 30 MB (114-129 MB over six runs, against
/// 120-144 MB at 20 and 24 MB, 128-146 MB at 40 MB and 167-198 MB at 16 MB).
const INCREMENTAL_MEMORY: usize = 30_000_000;

/// Items read from SQLite per batch while indexing.
const BATCH: i64 = 2_000;

/// The fields, resolved once.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub id: Field,
    pub feed_id: Field,
    pub feed: Field,
    pub title: Field,
    pub body: Field,
    pub url: Field,
    pub published: Field,
    pub tag: Field,
    /// The item's key phrases (filled by the analysis stage), one raw token each.
    pub phrases: Field,
    /// Title and body again, as pairs of adjacent common words ("of the"):
    /// what makes phrases of common words fast.
    pub title_grams: Field,
    pub body_grams: Field,
}

pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |stored: bool| {
        let o = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TEXT_ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored { o.set_stored() } else { o }
    };
    let keyword = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(KEYWORD_ANALYZER)
                .set_index_option(IndexRecordOption::Basic),
        )
        .set_fast(KEYWORD_ANALYZER);
    // Only the analysis reads phrases, and only from the fast field: an
    // inverted index of ~25 distinct phrases per item would hold tens of
    // millions of terms and was the largest cost of indexing.
    let phrases = TextOptions::default().set_fast(KEYWORD_ANALYZER);
    // A two-word phrase is one gram term, so grams need no positions.
    let grams = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(GRAM_ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        id: b.add_i64_field("id", INDEXED | FAST | STORED),
        feed_id: b.add_i64_field("feed_id", INDEXED | FAST),
        feed: b.add_text_field("feed", text(false)),
        title: b.add_text_field("title", text(true)),
        body: b.add_text_field("body", text(false)),
        url: b.add_text_field("url", STORED),
        published: b.add_date_field("published", INDEXED | FAST | STORED),
        tag: b.add_text_field("tag", keyword.clone()),
        phrases: b.add_text_field("phrases", phrases),
        title_grams: b.add_text_field("title_grams", grams.clone()),
        body_grams: b.add_text_field("body_grams", grams),
    };
    (b.build(), fields)
}

/// The index writer, and the store revision of the last change handed to it.
pub struct Writer {
    inner: IndexWriter,
    pending: i64,
    /// Highest item id handed to the writer (committed or not). Items above
    /// it cannot be in the index, so they are added without a delete first:
    /// tantivy keeps every delete in memory until the commit, which made a
    /// full rebuild of a million items slow and memory-hungry.
    max_id: i64,
}

impl Writer {
    /// For tests that simulate a crash: add a document that is never committed.
    pub fn add_raw(&mut self, doc: TantivyDocument) -> Result<()> {
        self.inner.add_document(doc)?;
        Ok(())
    }

    /// Waits for background merges; call before the process exits after a rebuild.
    pub fn finish(self) -> Result<()> {
        self.inner.wait_merging_threads()?;
        Ok(())
    }
}

/// What a sync or rebuild did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SyncStats {
    pub indexed: u64,
    pub deleted: u64,
    /// The store revision the index now reflects.
    pub mark: i64,
}

/// What opening does with an index built with another schema: a writer
/// rebuilds it (it is derived from the store), a reader says so.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outdated {
    Rebuild,
    Refuse,
}

pub struct SearchIndex {
    index: Index,
    pub fields: Fields,
    reader: IndexReader,
    /// The frequent words the grams were built with.
    words: FrequentWords,
    /// The identity of the database this index mirrors (see
    /// [`Store::identity`]); a writer's commits record it.
    db_identity: Option<i64>,
    /// Threads that search the segments of one query side by side; made on
    /// the first search (the daemon and the analysis never need them).
    executor: std::sync::OnceLock<Option<tantivy::Executor>>,
}

/// Why an existing index cannot be used. Readers show it with the way out;
/// writers log it and rebuild.
#[derive(Debug, thiserror::Error)]
#[error(
    "the search index at {} cannot be used: {problem}. Run `tricorder reindex` to rebuild it \
     from the database (the next poll or the daemon also rebuilds it)",
    dir.display()
)]
pub struct Unusable {
    pub dir: PathBuf,
    pub problem: String,
}

/// An index as `status` reports it.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Health {
    /// No index yet (nothing polled, or a reader before the first writer).
    Missing,
    /// Usable: its documents, the store's items, and how many store
    /// revisions it is behind (0: up to date).
    Usable {
        documents: u64,
        items: u64,
        lag: i64,
    },
    /// Damaged or another database's: the next writer rebuilds it.
    Unusable { problem: String },
}

impl Health {
    /// How `status` shows it, with the way out when there is one.
    pub fn describe(&self) -> String {
        match self {
            Health::Missing => "none yet (`tricorder poll` creates it)".into(),
            Health::Usable {
                documents,
                items,
                lag,
            } => format!(
                "{documents} documents for {items} items, {}",
                if *lag == 0 {
                    "up to date".to_owned()
                } else {
                    format!("{lag} changes behind (the next poll catches up)")
                }
            ),
            Health::Unusable { problem } => format!(
                "UNUSABLE: {problem}; run `tricorder reindex` (the next poll also rebuilds it)"
            ),
        }
    }
}

impl SearchIndex {
    /// Opens the index under `data_dir` for a writer, creating it if absent
    /// (with the frequent words of `store`) and starting it afresh if it is
    /// unusable: built by another release, damaged (a lost segment file, a
    /// broken meta.json), or the mirror of another database. Also finishes
    /// a `reindex` that crashed between its two renames.
    pub fn open(data_dir: &Path, store: &Store) -> Result<SearchIndex> {
        let dir = data_dir.join(INDEX_DIR);
        let old = data_dir.join(INDEX_OLD);
        if !dir.exists() && old.exists() {
            std::fs::rename(&old, &dir).context("cannot restore the previous index")?;
        }
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create index folder {}", dir.display()))?;
        Self::open_dir(&dir, Outdated::Rebuild, Some(store))
    }

    /// Opens an existing index for reading only; `None` if there is none yet.
    pub fn open_existing(data_dir: &Path) -> Result<Option<SearchIndex>> {
        let dir = data_dir.join(INDEX_DIR);
        if !dir.join("meta.json").exists() {
            return Ok(None);
        }
        Self::open_dir(&dir, Outdated::Refuse, None).map(Some)
    }

    /// Like [`open_existing`](Self::open_existing), and also refuses an index
    /// that mirrors another database than `store` (an [`Unusable`] error):
    /// its ids would name other items.
    pub fn open_existing_for(data_dir: &Path, store: &Store) -> Result<Option<SearchIndex>> {
        let dir = data_dir.join(INDEX_DIR);
        if !dir.join("meta.json").exists() {
            return Ok(None);
        }
        Self::open_dir(&dir, Outdated::Refuse, Some(store)).map(Some)
    }

    /// The index's health against `store`, for `status`; never fails on a
    /// damaged index (that is what it reports).
    pub fn health(data_dir: &Path, store: &Store) -> Result<Health> {
        let index = match Self::open_existing_for(data_dir, store) {
            Ok(None) => return Ok(Health::Missing),
            Ok(Some(index)) => index,
            Err(e) => {
                return Ok(Health::Unusable {
                    problem: match e.downcast_ref::<Unusable>() {
                        Some(u) => u.problem.clone(),
                        None => format!("{e:#}"),
                    },
                });
            }
        };
        let mark = index.mark()?;
        Ok(Health::Usable {
            documents: index.doc_count(),
            items: store.item_count()? as u64,
            lag: (store.current_rev()? - mark).max(0),
        })
    }

    /// Opens or creates the index in `dir`. Only a writer passes `store`:
    /// creating an index measures its frequent words there.
    fn open_dir(dir: &Path, outdated: Outdated, store: Option<&Store>) -> Result<SearchIndex> {
        let (schema, fields) = schema();
        let db_identity = store.map(Store::identity).transpose()?.flatten();
        let mut existing = None;
        if dir.join("meta.json").exists() {
            match Self::check_existing(
                dir,
                &schema,
                store,
                db_identity,
                outdated == Outdated::Refuse,
            ) {
                Ok(usable) => existing = Some(usable),
                Err(problem) if outdated == Outdated::Refuse => {
                    return Err(Unusable {
                        dir: dir.to_owned(),
                        problem: format!("{problem:#}"),
                    }
                    .into());
                }
                Err(problem) => {
                    // The index is derived: an unusable one is dropped, and the
                    // caller's sync rebuilds it from the store (its mark starts
                    // at 0). A crash half-way leaves an empty or partial index
                    // with a mark that is correct for what it holds.
                    tracing::warn!(
                        index = %dir.display(),
                        "cannot use the index ({problem:#}); rebuilding it from the database"
                    );
                    std::fs::remove_dir_all(dir).with_context(|| {
                        format!("cannot remove unusable index {}", dir.display())
                    })?;
                    std::fs::create_dir_all(dir)?;
                }
            }
        }
        let (index, words, reader) = match existing {
            Some(existing) => existing,
            None => {
                let Some(store) = store else {
                    anyhow::bail!("no index at {} to open for reading", dir.display());
                };
                // The words first: an index folder never holds an index
                // without the words its grams were built with.
                let words = measure_frequent_words(store)?;
                write_frequent_words(dir, &words)?;
                let index = Index::create_in_dir(dir, schema)
                    .with_context(|| format!("cannot create index {}", dir.display()))?;
                text::register_analyzers(&index, &words);
                let reader = index
                    .reader_builder()
                    .reload_policy(ReloadPolicy::Manual)
                    .try_into()?;
                (index, words, reader)
            }
        };
        Ok(SearchIndex {
            index,
            fields,
            reader,
            words,
            db_identity,
            executor: std::sync::OnceLock::new(),
        })
    }

    /// Opens an existing index and says what is wrong with it, if anything:
    /// another release's schema, missing frequent words, a meta.json or a
    /// segment file tantivy cannot read, or (given the store) a commit
    /// recorded for another database or a revision the store never reached.
    fn check_existing(
        dir: &Path,
        schema: &Schema,
        store: Option<&Store>,
        db_identity: Option<i64>,
        read_only: bool,
    ) -> Result<(Index, FrequentWords, IndexReader)> {
        let opened = if read_only && !readonly::is_writable(dir) {
            readonly::ReadOnlyDir::open(dir)
                .map_err(tantivy::TantivyError::from)
                .and_then(Index::open)
        } else {
            Index::open_in_dir(dir)
        };
        let index = opened.map_err(|e| {
            anyhow::anyhow!("its meta.json cannot be read ({})", tantivy_problem(&e))
        })?;
        if index.schema() != *schema {
            anyhow::bail!("it was built by another release of tricorder");
        }
        let words = read_frequent_words(dir)?;
        text::register_analyzers(&index, &words);
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e: tantivy::TantivyError| {
                anyhow::anyhow!("its files are incomplete ({})", tantivy_problem(&e))
            })?;
        if let Some(store) = store {
            let payload = read_payload(&index)?;
            let recorded = payload.as_ref().and_then(|v| v["db"].as_i64());
            let docs = reader.searcher().num_docs();
            match (recorded, db_identity) {
                (Some(theirs), Some(ours)) if theirs != ours => anyhow::bail!(
                    "it mirrors another database (identity {theirs:016x}; this one is {ours:016x}), \
                     so its ids would name other items"
                ),
                (None, _) if docs > 0 => anyhow::bail!(
                    "it does not record which database it mirrors (built by an older release)"
                ),
                _ => {}
            }
            let rev = payload
                .as_ref()
                .and_then(|v| v["rev"].as_i64())
                .unwrap_or(0);
            let store_rev = store.current_rev()?;
            if rev > store_rev {
                anyhow::bail!(
                    "it records database revision {rev}, but the database is only at {store_rev}"
                );
            }
        }
        Ok((index, words, reader))
    }

    /// Whether the store has grown so much since this index's frequent
    /// words were measured that a rebuild should measure them again (see
    /// [`RETUNE_GROWTH`]): `Some((then, now))`, the store's highest item id
    /// when they were measured and now.
    pub fn retune_due(&self, store: &Store) -> Result<Option<(i64, i64)>> {
        let then = self.words.max_id;
        let now = store.max_item_id()?;
        Ok(
            (now >= RETUNE_FROM && now >= then.saturating_mul(RETUNE_GROWTH))
                .then_some((then, now)),
        )
    }

    /// The store revision the last commit reflects (0 for a new index).
    pub fn mark(&self) -> Result<i64> {
        Ok(self.payload()?.0)
    }

    /// (revision, highest item id) recorded by the last commit.
    fn payload(&self) -> Result<(i64, i64)> {
        let v = read_payload(&self.index)?;
        let rev = v.as_ref().and_then(|v| v["rev"].as_i64()).unwrap_or(0);
        // Without a recorded highest id, assume any id may be present.
        let empty = self.reader.searcher().num_docs() == 0 && rev == 0;
        let max_id = v
            .as_ref()
            .and_then(|v| v["max_id"].as_i64())
            .unwrap_or(if empty { 0 } else { i64::MAX });
        Ok((rev, max_id))
    }

    /// Opens the (single) index writer. `threads` indexing threads share
    /// `memory` bytes of buffer before a segment is flushed.
    pub fn writer(&self, threads: usize, memory: usize) -> Result<Writer> {
        self.writer_with(
            tantivy::indexer::IndexWriterOptions::builder()
                .num_worker_threads(threads)
                .memory_budget_per_thread(memory / threads)
                .build(),
        )
    }

    fn writer_with(&self, options: tantivy::indexer::IndexWriterOptions) -> Result<Writer> {
        let started = std::time::Instant::now();
        let inner = loop {
            match self.index.writer_with_options(options.clone()) {
                Err(tantivy::TantivyError::LockFailure(
                    tantivy::directory::error::LockError::LockBusy,
                    _,
                )) if started.elapsed() < WRITER_LOCK_WAIT => {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                other => {
                    break other.context(
                        "cannot open the index writer (is another tricorder process writing?)",
                    )?;
                }
            }
        };
        // A writer killed before its commit leaves files no commit refers to
        // (flushed segments, delete bitsets). A new writer may want the same
        // file names (opstamps restart from the last commit), so remove them
        // first.
        inner
            .garbage_collect_files()
            .wait()
            .context("cannot clean up files left by an interrupted writer")?;
        let (pending, max_id) = self.payload()?;
        Ok(Writer {
            inner,
            pending,
            max_id,
        })
    }

    /// The writer for everyday changes (polls, feed removals, healing):
    /// one indexing thread, and a buffer small enough for a first poll's
    /// memory budget. `reindex` asks for more of both.
    ///
    /// Merges one at a time, too: a merge reads its segments through
    /// memory maps, whose pages count in the process's resident memory, and
    /// tantivy's default of four merge threads let merges overlap.
    pub fn incremental_writer(&self) -> Result<Writer> {
        self.writer_with(
            tantivy::indexer::IndexWriterOptions::builder()
                .num_worker_threads(1)
                .memory_budget_per_thread(INCREMENTAL_MEMORY)
                .num_merge_threads(1)
                .build(),
        )
    }

    /// Indexes whatever the store holds beyond the index's mark, in one
    /// commit: a process that died between its SQLite and index commits
    /// left the index behind. Every command that writes does this first.
    pub fn heal(&self, store: &Store, writer: &mut Writer) -> Result<SyncStats> {
        let healed = self.sync(store, writer)?;
        if healed.indexed + healed.deleted > 0 {
            tracing::info!(
                indexed = healed.indexed,
                deleted = healed.deleted,
                "index caught up with the database"
            );
        }
        Ok(healed)
    }

    /// Brings the index up to the store's current revision, in one commit.
    pub fn sync(&self, store: &Store, writer: &mut Writer) -> Result<SyncStats> {
        self.sync_with(store, writer, &mut |_, _| {})
    }

    /// Like [`sync`](Self::sync), reporting (done, total) as it goes.
    pub fn sync_with(
        &self,
        store: &Store,
        writer: &mut Writer,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<SyncStats> {
        let stats = self.add_pending(store, writer, progress)?;
        self.commit(writer)?;
        Ok(stats)
    }

    /// Hands the writer every change the store has beyond what the writer
    /// already holds, without committing. A poll calls this after each feed
    /// so that indexing overlaps fetching, and commits once at the end.
    pub fn add_pending(
        &self,
        store: &Store,
        writer: &mut Writer,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<SyncStats> {
        let from = writer.pending;
        let target = store.current_rev()?;
        let mut stats = SyncStats {
            mark: from,
            ..Default::default()
        };
        if target <= from {
            return Ok(stats);
        }
        let total = store.count_items_after_rev(from)? as u64;
        let mut last = from;
        'batches: loop {
            let batch = store.items_after_rev(last, BATCH)?;
            if batch.is_empty() {
                break;
            }
            for item in &batch {
                if item.rev > target {
                    break 'batches;
                }
                // Delete first when the item may be there already: an updated
                // item replaces its old version.
                if item.id <= writer.max_id {
                    writer
                        .inner
                        .delete_term(Term::from_field_i64(self.fields.id, item.id));
                }
                writer.inner.add_document(self.document(item))?;
                writer.max_id = writer.max_id.max(item.id);
                stats.indexed += 1;
                last = item.rev;
            }
            progress(stats.indexed, total);
        }
        for (id, rev) in store.tombstones_after_rev(from)? {
            if rev <= target {
                writer
                    .inner
                    .delete_term(Term::from_field_i64(self.fields.id, id));
                stats.deleted += 1;
            }
        }
        writer.pending = target;
        stats.mark = target;
        Ok(stats)
    }

    /// Commits what the writer holds, recording the store revision it reflects.
    pub fn commit(&self, writer: &mut Writer) -> Result<()> {
        if writer.pending == self.mark()? {
            return Ok(());
        }
        let mut commit = writer.inner.prepare_commit()?;
        commit.set_payload(
            &serde_json::json!({
                "rev": writer.pending,
                "max_id": writer.max_id,
                "db": self.db_identity,
            })
            .to_string(),
        );
        commit.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    fn document(&self, item: &StoredItem) -> TantivyDocument {
        let f = &self.fields;
        let mut d = doc!(
            f.id => item.id,
            f.feed_id => item.feed_id,
            f.feed => item.feed_name.as_str(),
            f.title => item.title.as_str(),
            f.body => item.body.as_str(),
            f.title_grams => item.title.as_str(),
            f.body_grams => item.body.as_str(),
            f.published => DateTime::from_timestamp_secs(item.published),
        );
        if let Some(u) = &item.url {
            d.add_text(f.url, u);
        }
        let mut tags: Vec<&str> = item
            .tags
            .iter()
            .chain(&item.categories)
            .map(String::as_str)
            .collect();
        tags.sort_unstable();
        tags.dedup();
        for t in tags {
            d.add_text(f.tag, t);
        }
        for p in &item.phrases {
            d.add_text(f.phrases, p);
        }
        d
    }

    /// A searcher over the last committed state, for the analysis stage.
    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    pub fn reload(&self) -> Result<()> {
        self.reader.reload()?;
        Ok(())
    }

    pub fn doc_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Every item id in the index, sorted; for consistency checks.
    pub fn all_ids(&self) -> Result<Vec<i64>> {
        let searcher = self.reader.searcher();
        let mut ids = Vec::with_capacity(searcher.num_docs() as usize);
        for seg in searcher.segment_readers() {
            let col = seg.fast_fields().i64("id")?;
            for doc in seg.doc_ids_alive() {
                if let Some(v) = col.first(doc) {
                    ids.push(v);
                }
            }
        }
        ids.sort_unstable();
        Ok(ids)
    }

    // ---- search -----------------------------------------------------------------

    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, SearchError> {
        let query = self.build_query(req)?;
        let searcher = self.reader.searcher();
        let count;
        let mut hits: Vec<Hit> = match req.sort {
            SortBy::Relevance => {
                // Fetch a few more than asked so that recency can break ties at the edge.
                let (top, n) = self
                    .collect(
                        &searcher,
                        &*query,
                        &(TopDocs::with_limit(req.limit + 10).order_by_score(), Count),
                    )
                    .map_err(SearchError::internal)?;
                count = n;
                top.into_iter()
                    .map(|(score, addr)| self.hit(&searcher, addr, score))
                    .collect::<Result<_>>()
                    .map_err(SearchError::internal)?
            }
            SortBy::Date => {
                let (top, n) = self
                    .collect(
                        &searcher,
                        &*query,
                        &(
                            TopDocs::with_limit(req.limit)
                                .order_by_fast_field::<DateTime>("published", Order::Desc),
                            Count,
                        ),
                    )
                    .map_err(SearchError::internal)?;
                count = n;
                top.into_iter()
                    .map(|(_, addr)| self.hit(&searcher, addr, 0.0))
                    .collect::<Result<_>>()
                    .map_err(SearchError::internal)?
            }
        };
        if req.sort == SortBy::Relevance {
            // Scores within 0.1 % are a tie; the newer item wins it.
            hits.sort_by(|a, b| {
                let close = (a.score - b.score).abs() <= 0.001 * a.score.abs().max(b.score.abs());
                if close {
                    b.published.cmp(&a.published)
                } else {
                    b.score.total_cmp(&a.score)
                }
            });
            hits.truncate(req.limit);
        }
        let highlight = self.highlight_query(&req.query);
        let highlight = highlight.as_deref().unwrap_or(&*query);
        let mut snippets = SnippetGenerator::create(&searcher, highlight, self.fields.body)
            .map_err(SearchError::internal)?;
        snippets.set_max_num_chars(SNIPPET_CHARS);
        let mut title_snippets = SnippetGenerator::create(&searcher, highlight, self.fields.title)
            .map_err(SearchError::internal)?;
        title_snippets.set_max_num_chars(10_000);
        Ok(SearchResults {
            total: count,
            hits,
            highlighter: Highlighter {
                body: snippets,
                title: title_snippets,
            },
        })
    }

    /// Runs `query` over all segments, on all cores when there are several:
    /// a search is one person waiting, and a query over a million items
    /// spends its time in the segments, which are independent.
    fn collect<C: tantivy::collector::Collector>(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        collector: &C,
    ) -> tantivy::Result<C::Fruit> {
        let executor = self.executor.get_or_init(|| {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            (cores > 1)
                .then(|| tantivy::Executor::multi_thread(cores, "tricorder-search").ok())
                .flatten()
        });
        let Some(executor) = executor else {
            return searcher.search(query, collector);
        };
        let scoring = if collector.requires_scoring() {
            tantivy::query::EnableScoring::enabled_from_searcher(searcher)
        } else {
            tantivy::query::EnableScoring::disabled_from_searcher(searcher)
        };
        searcher.search_with_executor(query, collector, executor, scoring)
    }

    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        addr: tantivy::DocAddress,
        score: f32,
    ) -> Result<Hit> {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let id = doc
            .get_first(self.fields.id)
            .and_then(|v| v.as_i64())
            .context("document without id")?;
        let published = doc
            .get_first(self.fields.published)
            .and_then(|v| v.as_datetime())
            .map(|d| d.into_timestamp_secs())
            .unwrap_or(0);
        Ok(Hit {
            id,
            score,
            published,
        })
    }

    /// The query parser: title and body by default, words required unless
    /// `OR` says otherwise, the title weighing more.
    fn parser(&self) -> QueryParser {
        let f = &self.fields;
        let mut parser = QueryParser::for_index(&self.index, vec![f.title, f.body]);
        parser.set_conjunction_by_default();
        // A word in the title says more about the item than one in the body.
        parser.set_field_boost(f.title, 3.0);
        parser.set_field_boost(f.title_grams, 3.0);
        parser
    }

    /// Parses query syntax. A two-word phrase of common words becomes a
    /// lookup of its gram term
    /// (see [`text`]): the same items, without reading positions.
    fn parse(&self, text: &str) -> Result<Box<dyn Query>, SearchError> {
        let error = |message: String| SearchError::Query {
            message,
            query: text.to_owned(),
            position: None,
        };
        let Ok(ast) = tantivy::query_grammar::parse_query(text) else {
            // The strict parser only says no; the lenient one says where.
            let (_, errors) = tantivy::query_grammar::parse_query_lenient(text);
            let e = errors.first();
            return Err(SearchError::Query {
                message: e
                    .map(|e| e.message.clone())
                    .unwrap_or_else(|| "cannot parse the query".into()),
                query: text.to_owned(),
                position: e.map(|e| e.pos),
            });
        };
        let tokenizers = self.index.tokenizers();
        let (Some(mut words), Some(mut grams)) =
            (tokenizers.get(TEXT_ANALYZER), tokenizers.get(GRAM_ANALYZER))
        else {
            return Err(SearchError::internal(anyhow::anyhow!(
                "the text analysers are not registered"
            )));
        };
        let ast = with_grams(ast, &mut |literal| {
            let fields: &[&str] = match literal.field_name.as_deref() {
                None => &["title_grams", "body_grams"],
                Some("title") => &["title_grams"],
                Some("body") => &["body_grams"],
                Some(_) => return None,
            };
            if literal.slop != 0
                || literal.prefix
                || text::terms(&mut words, &literal.phrase).len() != 2
                || text::terms(&mut grams, &literal.phrase).len() != 1
            {
                return None;
            }
            Some(
                fields
                    .iter()
                    .map(|f| UserInputLiteral {
                        field_name: Some((*f).to_owned()),
                        ..literal.clone()
                    })
                    .collect(),
            )
        });
        self.parser()
            .build_query_from_user_input_ast(ast)
            .map_err(|e| error(e.to_string()))
    }

    /// The query whose terms a snippet highlights: the words as written,
    /// not the gram terms that `parse` may have looked up instead.
    fn highlight_query(&self, text: &str) -> Option<Box<dyn Query>> {
        self.parser().parse_query(text).ok()
    }

    fn build_query(&self, req: &SearchRequest) -> Result<Box<dyn Query>, SearchError> {
        let f = &self.fields;
        let text = req.query.trim();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !text.is_empty() {
            let q = self.parse(text)?;
            clauses.push((Occur::Must, q));
            // Plain words ("retail media"): items where they stand together
            // as a phrase rank first. Queries with syntax are taken as written.
            let words: Vec<&str> = text.split_whitespace().collect();
            let plain = words.len() > 1
                && words.len() <= 6
                && words.iter().all(|w| {
                    w.chars().all(|c| c.is_alphanumeric() || c == '\'')
                        && !matches!(*w, "AND" | "OR" | "NOT" | "IN")
                });
            if plain && let Ok(phrase) = self.parse(&format!("\"{}\"", words.join(" "))) {
                clauses.push((Occur::Should, phrase));
            }
        }
        if req.since.is_some() || req.until.is_some() {
            let term =
                |t: i64| Term::from_field_date(f.published, DateTime::from_timestamp_secs(t));
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    req.since
                        .map_or(Bound::Unbounded, |t| Bound::Included(term(t))),
                    req.until
                        .map_or(Bound::Unbounded, |t| Bound::Included(term(t))),
                )),
            ));
        }
        if let Some(ids) = &req.feed_ids {
            let terms: Vec<Term> = ids
                .iter()
                .map(|id| Term::from_field_i64(f.feed_id, *id))
                .collect();
            clauses.push((Occur::Must, Box::new(TermSetQuery::new(terms))));
        }
        for tag in &req.tags {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.tag, &tag.to_lowercase()),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if clauses.is_empty() {
            return Err(SearchError::Query {
                message: "empty query: give some words, or a filter such as --since".into(),
                query: String::new(),
                position: None,
            });
        }
        if clauses.len() == 1 && clauses[0].0 == Occur::Must {
            return Ok(clauses.pop().expect("one clause").1);
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }
}

/// The frequent words an index in `dir` was built with. An index from before
/// they were measured has no file and pairs common words only.
fn read_frequent_words(dir: &Path) -> Result<FrequentWords> {
    let path = dir.join(FREQUENT_WORDS);
    match std::fs::read(&path) {
        Ok(bytes) => {
            serde_json::from_slice(&bytes).with_context(|| format!("{} is damaged", path.display()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FrequentWords::default()),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Writes the frequent words durably (a crash leaves the old file or the new one).
fn write_frequent_words(dir: &Path, words: &FrequentWords) -> Result<()> {
    let path = dir.join(FREQUENT_WORDS);
    let tmp = dir.join(format!("{FREQUENT_WORDS}.tmp"));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        std::io::Write::write_all(&mut f, &serde_json::to_vec_pretty(words)?)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        std::fs::File::open(dir)?.sync_all()
    };
    write().with_context(|| format!("cannot write {}", path.display()))
}

/// Counts the words of about [`FREQUENT_WORDS_SAMPLE`] items spread evenly
/// over the store.
fn measure_frequent_words(store: &Store) -> Result<FrequentWords> {
    let started = std::time::Instant::now();
    let max_id = store.max_item_id()?;
    let items = store.sample_items(FREQUENT_WORDS_SAMPLE)?;
    let words = FrequentWords::measure(
        items.iter().map(|i| [i.title.as_str(), i.body.as_str()]),
        max_id,
    );
    tracing::debug!(
        sampled = words.sampled,
        frequent = words.words.len(),
        ms = started.elapsed().as_millis() as u64,
        "measured the frequent words of the store"
    );
    Ok(words)
}

/// Rewrites every literal of `ast` that `replace` gives alternatives for
/// into a disjunction of those alternatives (one per field).
fn with_grams(
    ast: UserInputAst,
    replace: &mut impl FnMut(&UserInputLiteral) -> Option<Vec<UserInputLiteral>>,
) -> UserInputAst {
    match ast {
        UserInputAst::Clause(clauses) => UserInputAst::Clause(
            clauses
                .into_iter()
                .map(|(occur, a)| (occur, with_grams(a, replace)))
                .collect(),
        ),
        UserInputAst::Boost(a, boost) => {
            UserInputAst::Boost(Box::new(with_grams(*a, replace)), boost)
        }
        UserInputAst::Leaf(leaf) => {
            let UserInputLeaf::Literal(literal) = &*leaf else {
                return UserInputAst::Leaf(leaf);
            };
            let Some(alternatives) = replace(literal) else {
                return UserInputAst::Leaf(leaf);
            };
            let mut any: Vec<(Option<Occur>, UserInputAst)> = alternatives
                .into_iter()
                .map(|l| {
                    (
                        Some(Occur::Should),
                        UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(l))),
                    )
                })
                .collect();
            if any.len() == 1 {
                return any.pop().expect("one alternative").1;
            }
            UserInputAst::Clause(any)
        }
    }
}

/// The last commit's payload: the store revision and highest item id it
/// reflects, and the identity of the database it mirrors.
fn read_payload(index: &Index) -> Result<Option<serde_json::Value>> {
    let metas = index.load_metas()?;
    Ok(metas
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok()))
}

/// tantivy's error, shortened to what a person can act on.
fn tantivy_problem(e: &tantivy::TantivyError) -> String {
    use tantivy::directory::error::OpenReadError;
    match e {
        tantivy::TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(p)) => {
            format!("{} is missing", p.display())
        }
        tantivy::TantivyError::DataCorruption(_) => "a file is corrupt".into(),
        other => crate::clean::line(&other.to_string(), 200).into_owned(),
    }
}

/// tantivy's usual merges, but none started in the last third of a rebuild.
///
/// A merge runs on one thread. Started late, it outlasts the indexing and
/// ends the rebuild on one core: at a million items the last merge of
/// eight segments ran about 5 s alone, a tenth of the rebuild. Segments left
/// unmerged cost searches nothing measurable (the index bench's latencies
/// are the same with 10 and 18 segments); a later writer's merges may still
/// take them.
#[derive(Debug, Default)]
struct EarlyMerges {
    inner: tantivy::indexer::LogMergePolicy,
    late: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl tantivy::indexer::MergePolicy for EarlyMerges {
    fn compute_merge_candidates(
        &self,
        segments: &[tantivy::SegmentMeta],
    ) -> Vec<tantivy::indexer::MergeCandidate> {
        if self.late.load(std::sync::atomic::Ordering::Relaxed) {
            return Vec::new();
        }
        self.inner.compute_merge_candidates(segments)
    }
}

/// Indexing threads and their buffer for a rebuild, and whether merges may
/// start late (see [`EarlyMerges`]).
#[derive(Debug, Clone, Copy)]
pub struct RebuildBudget {
    pub threads: usize,
    pub memory: usize,
    pub late_merges: bool,
}

/// A `tricorder reindex`, which someone waits for: both cores, big
/// segments, no merge that would outlast the indexing.
pub const REINDEX_BUDGET: RebuildBudget = RebuildBudget {
    threads: 2,
    memory: 200_000_000,
    late_merges: false,
};
/// A rebuild the daemon starts on its own (see [`SearchIndex::retune_due`]):
/// nobody waits for it, so one thread, a small footprint, and every merge
/// (its short-lived workers rarely see a merge through).
pub const RETUNE_BUDGET: RebuildBudget = RebuildBudget {
    threads: 1,
    memory: 30_000_000,
    late_merges: true,
};

/// Rebuilds the whole index from SQLite into a new folder, then swaps it in.
/// Until the swap, the old index stays complete and usable; a crash during
/// the rebuild leaves it untouched (the half-built folder is discarded next
/// time).
pub fn rebuild(
    data_dir: &Path,
    store: &Store,
    budget: RebuildBudget,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<SyncStats> {
    let new_dir = data_dir.join(INDEX_NEW);
    if new_dir.exists() {
        std::fs::remove_dir_all(&new_dir).context("cannot remove a half-built index")?;
    }
    std::fs::create_dir_all(&new_dir)?;
    let stats = {
        let fresh = SearchIndex::open_dir(&new_dir, Outdated::Refuse, Some(store))?;
        let mut writer = fresh.writer(budget.threads, budget.memory)?;
        let policy = EarlyMerges::default();
        let late = policy.late.clone();
        writer.inner.set_merge_policy(Box::new(policy));
        let stats = fresh.sync_with(store, &mut writer, &mut |done, total| {
            if !budget.late_merges && done * 3 >= total * 2 {
                late.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            progress(done, total)
        })?;
        writer.finish()?;
        stats
    };
    let live: PathBuf = data_dir.join(INDEX_DIR);
    let old = data_dir.join(INDEX_OLD);
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    if live.exists() {
        std::fs::rename(&live, &old).context("cannot move the old index aside")?;
    }
    std::fs::rename(&new_dir, &live).context("cannot move the new index into place")?;
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    Ok(stats)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum SortBy {
    #[default]
    Relevance,
    Date,
}

#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub query: String,
    /// Inclusive bounds, seconds since the epoch.
    pub since: Option<i64>,
    pub until: Option<i64>,
    /// Only these feeds (None: all).
    pub feed_ids: Option<Vec<i64>>,
    pub tags: Vec<String>,
    pub limit: usize,
    pub sort: SortBy,
}

#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub id: i64,
    pub score: f32,
    pub published: i64,
}

pub struct SearchResults {
    /// All matching items, not only those returned.
    pub total: usize,
    pub hits: Vec<Hit>,
    pub highlighter: Highlighter,
}

/// Finds the best fragment of a text for the query and where its terms are.
pub struct Highlighter {
    body: SnippetGenerator,
    title: SnippetGenerator,
}

/// A fragment of text and the byte ranges in it to highlight.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Fragment {
    pub text: String,
    #[serde(skip)]
    pub highlighted: Vec<std::ops::Range<usize>>,
}

impl Highlighter {
    /// The best fragment of a body, about [`SNIPPET_CHARS`] long.
    pub fn body(&self, text: &str) -> Fragment {
        let s = self.body.snippet(text);
        if s.fragment().is_empty() {
            // No query term in the body (a title match): show its beginning.
            let end = text
                .char_indices()
                .nth(SNIPPET_CHARS)
                .map_or(text.len(), |(i, _)| i);
            return Fragment {
                text: text[..end].to_owned(),
                highlighted: vec![],
            };
        }
        Fragment {
            text: s.fragment().to_owned(),
            highlighted: s.highlighted().to_vec(),
        }
    }

    pub fn title(&self, text: &str) -> Fragment {
        let s = self.title.snippet(text);
        Fragment {
            text: text.to_owned(),
            highlighted: if s.fragment() == text {
                s.highlighted().to_vec()
            } else {
                vec![]
            },
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The user's query is wrong (exit code 2).
    #[error("{}", render_query_error(.message, .query, *.position))]
    Query {
        message: String,
        query: String,
        position: Option<usize>,
    },
    #[error("search failed: {0}")]
    Internal(String),
}

impl SearchError {
    fn internal(e: impl std::fmt::Display) -> SearchError {
        SearchError::Internal(e.to_string())
    }
}

fn render_query_error(message: &str, query: &str, position: Option<usize>) -> String {
    match position {
        Some(p) => format!(
            "bad query: {message} (at character {})\n  {query}\n  {}^",
            p + 1,
            " ".repeat(query[..p.min(query.len())].chars().count())
        ),
        None if query.is_empty() => format!("bad query: {message}"),
        None => format!("bad query: {message}\n  {query}"),
    }
}

/// Ids seen more than once, for consistency checks.
pub fn duplicates(ids: &[i64]) -> Vec<i64> {
    let mut seen = HashSet::new();
    let mut dup: Vec<i64> = ids.iter().copied().filter(|id| !seen.insert(*id)).collect();
    dup.dedup();
    dup
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::DocSetCollector;

    /// Item ids that `query` matches.
    fn ids(index: &SearchIndex, query: &dyn Query) -> Vec<i64> {
        let searcher = index.searcher();
        let mut out: Vec<i64> = searcher
            .search(query, &DocSetCollector)
            .unwrap()
            .into_iter()
            .map(|addr| index.hit(&searcher, addr, 0.0).unwrap().id)
            .collect();
        out.sort_unstable();
        out
    }

    /// A feed to store items under; its id.
    fn add_feed(store: &mut Store) -> i64 {
        let feed = crate::config::FeedSpec {
            url: "http://127.0.0.1:9/feed".into(),
            name: None,
            tags: vec![],
            full_text: false,
        };
        store.add_feed(&feed, 0).unwrap();
        store.feeds().unwrap()[0].id
    }

    /// Stores `items` as one successful fetch of `feed_id`.
    fn add_items(store: &mut Store, feed_id: i64, items: Vec<crate::parse::Item>) {
        let success = crate::store::FetchSuccess {
            http_status: 200,
            items: Some(items.into_iter().map(Into::into).collect()),
            ..Default::default()
        };
        store
            .record_success(feed_id, &success, 1_800_000_000, |_| 0)
            .unwrap();
    }

    /// The gram lookup must find exactly the items the positional phrase
    /// query finds, for every kind of pair (common, frequent in this corpus,
    /// rare), in title and body.
    #[test]
    fn gram_lookups_match_exactly_what_positional_phrases_match() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let feed_id = add_feed(&mut store);
        let words = [
            "the", "of", "and", "in", "is", "brand", "brands", "retail", "media", "search",
            "Agency", "budgets", "was",
        ];
        // Rare enough (about one item in ten) not to be a frequent word.
        let rare = ["zeppelin", "airship"];
        // A small deterministic corpus where every pair occurs in some
        // items, adjacent or apart, across punctuation or not.
        let mut seed = 0x2545_f491_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut items = Vec::new();
        for id in 1..=400_i64 {
            let mut text = |len: usize| {
                let mut s = String::new();
                for k in 0..len {
                    if k > 0 {
                        s.push_str(if next(6) == 0 { ". " } else { " " });
                    }
                    s.push_str(if next(160) == 0 {
                        rare[next(rare.len())]
                    } else {
                        words[next(words.len())]
                    });
                }
                s
            };
            let (title, body) = (text(4), text(12));
            items.push(crate::parse::Item {
                guid: id.to_string(),
                url: None,
                title,
                author: None,
                published: chrono::DateTime::from_timestamp(1_800_000_000 + id, 0),
                categories: vec![],
                body,
            });
        }
        add_items(&mut store, feed_id, items);
        let index = SearchIndex::open(dir.path(), &store).unwrap();
        index
            .sync(&store, &mut index.writer(1, 15_000_000).unwrap())
            .unwrap();
        // The words were measured on the store and kept with the index.
        let frequent = read_frequent_words(&dir.path().join(INDEX_DIR)).unwrap();
        assert_eq!(frequent.sampled, 400);
        assert!(frequent.words.contains_key("brand"), "{frequent:?}");
        assert!(!frequent.words.contains_key("zeppelin"), "{frequent:?}");

        let mut checked = 0;
        for a in words.iter().chain(&rare) {
            for b in words.iter().chain(&rare) {
                for field in ["", "title:", "body:"] {
                    let q = format!("{field}\"{a} {b}\"");
                    let fast = index.parse(&q).unwrap();
                    let positional = index.parser().parse_query(&q).unwrap();
                    let want = ids(&index, &*positional);
                    assert_eq!(ids(&index, &*fast), want, "{q}");
                    checked += usize::from(!want.is_empty());
                }
            }
        }
        assert!(
            checked > 200,
            "the corpus should exercise most pairs ({checked})"
        );
        // The rewrite really happened for a common pair and for a pair of
        // this corpus's frequent words, and not for a rare one.
        let shown = |q: &str| format!("{:?}", index.parse(q).unwrap());
        for q in ["\"of the\"", "\"the brand\"", "\"retail media\""] {
            assert!(!shown(q).contains("Phrase"), "{q}: {}", shown(q));
        }
        assert!(shown("\"the zeppelin\"").contains("Phrase"));

        // A reader sees the same words; a damaged file is named, not guessed at.
        let reader = SearchIndex::open_existing(dir.path()).unwrap().unwrap();
        assert!(!format!("{:?}", reader.parse("\"the brand\"").unwrap()).contains("Phrase"));
        drop(reader);
        std::fs::write(dir.path().join(INDEX_DIR).join(FREQUENT_WORDS), "{").unwrap();
        let err = SearchIndex::open_existing(dir.path()).err().unwrap();
        assert!(format!("{err:#}").contains(FREQUENT_WORDS), "{err:#}");
        // A writer rebuilds such an index from the store instead.
        let index = SearchIndex::open(dir.path(), &store).unwrap();
        assert_eq!(index.doc_count(), 0);
        index
            .sync(&store, &mut index.writer(1, 15_000_000).unwrap())
            .unwrap();
        assert_eq!(index.all_ids().unwrap(), (1..=400).collect::<Vec<i64>>());
        assert_eq!(
            read_frequent_words(&dir.path().join(INDEX_DIR)).unwrap(),
            frequent
        );
    }

    /// A daemon's index is created on an empty store; once the store has
    /// grown enough, a rebuild measures the frequent words again, and not
    /// again until the store has grown as much once more.
    #[test]
    fn an_index_is_retuned_when_the_store_outgrows_its_frequent_words() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let index = SearchIndex::open(dir.path(), &store).unwrap();
        assert_eq!(index.words.sampled, 0);
        assert_eq!(index.retune_due(&store).unwrap(), None);
        let feed_id = add_feed(&mut store);
        let add = |store: &mut Store, from: i64, to: i64| {
            let items = (from..to)
                .map(|k| crate::parse::Item {
                    guid: k.to_string(),
                    url: None,
                    title: format!("Brand news {k}"),
                    author: None,
                    published: chrono::DateTime::from_timestamp(1_800_000_000 + k, 0),
                    categories: vec![],
                    body: "The brand and the retail media.".into(),
                })
                .collect();
            add_items(store, feed_id, items);
        };
        add(&mut store, 0, RETUNE_FROM - 1);
        assert_eq!(index.retune_due(&store).unwrap(), None, "too few items yet");
        add(&mut store, RETUNE_FROM - 1, RETUNE_FROM);
        assert_eq!(index.retune_due(&store).unwrap(), Some((0, RETUNE_FROM)));
        // A new index measures the store as it is now.
        drop(index);
        std::fs::remove_dir_all(dir.path().join(INDEX_DIR)).unwrap();
        let index = SearchIndex::open(dir.path(), &store).unwrap();
        assert_eq!(index.words.max_id, RETUNE_FROM);
        assert!(index.words.words.contains_key("brand"), "{:?}", index.words);
        add(&mut store, RETUNE_FROM, RETUNE_FROM * RETUNE_GROWTH - 1);
        assert_eq!(index.retune_due(&store).unwrap(), None);
        add(
            &mut store,
            RETUNE_FROM * RETUNE_GROWTH - 1,
            RETUNE_FROM * RETUNE_GROWTH,
        );
        assert_eq!(
            index.retune_due(&store).unwrap(),
            Some((RETUNE_FROM, RETUNE_FROM * RETUNE_GROWTH))
        );
    }
}
